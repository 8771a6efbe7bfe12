"""A run killed with SIGKILL at any moment leaves the previous tables readable and complete, and the
next run finishes the job. Real `broadsheet` subprocesses, killed at exact points of the swap
(BROADSHEET_PAUSE_AT holds the run there) and in the middle of extraction."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, SEED, read_out, run_cli

from broadsheet import store
from broadsheet.tables import table_specs, validate_all

pytestmark = pytest.mark.usefixtures("prefect_api")
ARTICLES = 12


def _articles(folder: Path, count: int) -> None:
    """`count` distinct news-like articles (the seed with its figures changed)."""
    body = SEED.read_text(encoding="utf-8").split(" ", 3)[3]
    for i in range(count):
        text = body.replace("61", str(20 + i)).replace("ten years", f"{i + 2} years")
        (folder / f"article_{i:03d}.txt").write_text(f"date 2023-12-{1 + i % 28:02d}\n{text}", encoding="utf-8")


def _snapshot(out: Path) -> dict[str, list]:
    return {name: sorted(map(repr, read_out(out, name))) for name in table_specs() if name != "runs"}


def _run_and_kill(inputs: Path, out: Path, pause_at: str | None, *extra: str) -> int:
    """Start a run, kill it with SIGKILL once it reaches `pause_at` (or after 2 s), return its exit code."""
    env = dict(os.environ)
    if pause_at:
        env["BROADSHEET_PAUSE_AT"] = pause_at
    exe = Path(sys.executable).parent / "broadsheet"
    process = subprocess.Popen([str(exe), "run", str(inputs), "--out", str(out), "--batch-size", "4", *extra],
                               cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    marker = out / f".paused-{pause_at}"
    deadline = time.monotonic() + (300 if pause_at else 2)
    while time.monotonic() < deadline and process.poll() is None and not (pause_at and marker.exists()):
        time.sleep(0.01)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    marker.unlink(missing_ok=True)
    return process.wait()


def _every_table_readable(out: Path) -> dict:
    return {name: store.read_table(out, name) for name in table_specs()}


def test_sigkill_at_any_stage_keeps_the_previous_tables(tmp_path):
    out, inputs = tmp_path / "out", tmp_path / "inputs"
    inputs.mkdir()
    run_cli("run", str(SEED), "--out", str(out))
    before = _snapshot(out)
    _articles(inputs, ARTICLES)

    for pause_at in (None, "table_written"):  # before the commit point: nothing changes
        assert _run_and_kill(inputs, out, pause_at) == -signal.SIGKILL
        validate_all(_every_table_readable(out))
        assert _snapshot(out) == before, pause_at

    # after the commit point the new version is current; the next run (recover) finishes the swap
    for pause_at, extra in (("committed", ()), ("link_swapped", ("--full",))):
        assert _run_and_kill(inputs, out, pause_at, *extra) == -signal.SIGKILL
        _every_table_readable(out)  # each table is whole, whichever version its link names
        store.recover(out)
        tables = _every_table_readable(out)
        validate_all(tables)
        assert tables["documents"].num_rows == ARTICLES + 1, pause_at

    run_cli("run", str(inputs), "--out", str(out))
    tables = _every_table_readable(out)
    validate_all(tables)
    assert tables["documents"].num_rows == ARTICLES + 1
    current = os.readlink(out / "documents").rsplit("/", 1)[-1]
    assert [p.name for p in (out / ".versions" / "documents").iterdir()] == [current]


def test_two_runs_on_one_output_never_write_together(tmp_path):
    out, inputs = tmp_path / "out", tmp_path / "inputs"
    inputs.mkdir()
    _articles(inputs, 2)
    env = dict(os.environ, BROADSHEET_PAUSE_AT="table_written")
    exe = Path(sys.executable).parent / "broadsheet"
    first = subprocess.Popen([str(exe), "run", str(inputs), "--out", str(out)], cwd=REPO, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while not (out / ".paused-table_written").exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        second = run_cli("run", str(inputs), "--out", str(out), check=False)
        assert second.returncode == 1 and "another broadsheet run" in second.stderr
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
