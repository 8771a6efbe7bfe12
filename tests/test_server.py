"""`broadsheet run` without a Prefect server: the temporary API it starts early is used, then stopped."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from broadsheet.flows import server
from conftest import REPO, read_out


def test_no_early_server_when_an_api_is_configured(monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    assert server.start_early() is None


def test_run_without_prefect_api_url_uses_and_stops_its_own_server(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")  # its own database, not the user's
    out = tmp_path / "out"
    exe = Path(sys.executable).parent / "broadsheet"
    result = subprocess.run([str(exe), "run", "seeds", "--out", str(out)], capture_output=True, text=True,
                            env=env, cwd=REPO, timeout=600)
    assert result.returncode == 0, result.stderr
    url = re.search(r"temporary Prefect server on (http://\S+/api)", result.stderr).group(1)
    assert len(read_out(out, "documents")) == 1
    runs = read_out(out, "runs")
    assert runs[0]["processed"] == 1
    with pytest.raises(httpx.TransportError):  # stopped when the run ended
        httpx.get(f"{url}/health", timeout=2)
