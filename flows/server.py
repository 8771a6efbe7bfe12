"""A temporary Prefect API server for one CLI run, started before the heavy imports so that its boot
overlaps them.

Without PREFECT_API_URL, Prefect itself starts such a server when the flow is first called: it imports
the whole server package into the run's process (about 3 s) and then waits for the subprocess to boot
(about 4 s), all before the flow can begin. Started here, at the top of `broadsheet run`, the same
uvicorn command boots while the run imports Prefect, spaCy and pyarrow and reads its inputs, which is
most of a rerun with nothing new to do.

What it does not do: anything when a Prefect server is configured (PREFECT_API_URL in the environment
or in the active Prefect profile): runs then go to that server, as `broadsheet serve` and deployments do.
This module imports nothing from Prefect at load time.
"""

from __future__ import annotations

import atexit
import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import AbstractContextManager, nullcontext
from importlib.util import find_spec
from pathlib import Path

# The settings Prefect gives its own temporary server (no UI, ephemeral mode: no background services),
# and no block registration at start: a run uses no blocks, and registering them first imports every
# installed Prefect collection (prefect-dask brings in all of dask.distributed) while the run waits.
SERVER_ENV = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1",
              "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_API_BLOCKS_REGISTER_ON_START": "false",
              "PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false"}
STARTUP_TIMEOUT_S = 60.0


class TemporaryServer:
    """`python -m uvicorn prefect.server.api.server:create_app` on a free local port."""

    def __init__(self) -> None:
        self.port = _free_port()
        prefect_dir = Path(find_spec("prefect").origin).parent  # type: ignore[arg-type]
        # a file, not a pipe: an unread pipe that fills up blocks the server
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed with the process, in stop)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--app-dir", str(prefect_dir.parent), "--factory",
             "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(self.port),
             "--log-level", "error", "--lifespan", "on"],
            env={**os.environ, **SERVER_ENV}, stdout=subprocess.DEVNULL, stderr=self.log)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def wait_until_healthy(self, timeout: float = STARTUP_TIMEOUT_S) -> None:
        """Block until the server answers /health; a server that exits or never answers is an error."""
        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                detail = self.log.read().decode(errors="replace")[-500:]
                raise RuntimeError(f"the temporary Prefect server exited ({self.process.returncode}): {detail}")
            try:
                if httpx.get(f"{self.api_url}/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"the temporary Prefect server did not answer within {timeout:.0f} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_early() -> TemporaryServer | None:
    """Start a temporary server now unless the environment names a Prefect API (checked again, against
    the Prefect profile, by `use`)."""
    if os.environ.get("PREFECT_API_URL"):
        return None
    server = TemporaryServer()
    # registered before Prefect registers its own exit handlers, so it runs after them (atexit is
    # last-in, first-out): Prefect's log and event workers flush to the server before it stops
    atexit.register(server.stop)
    return server


def use(server: TemporaryServer | None) -> AbstractContextManager:
    """Context in which flows talk to `server`; nothing to do without one or when the active Prefect
    profile names an API after all (the early server is then stopped unused)."""
    if server is None:
        return nullcontext()
    from prefect.settings import PREFECT_API_URL, temporary_settings

    if PREFECT_API_URL.value():
        server.stop()
        return nullcontext()
    server.wait_until_healthy()
    return temporary_settings({PREFECT_API_URL: server.api_url})
