"""A run killed with SIGKILL at any moment leaves the previous tables readable and complete, and the
next run finishes the job. Uses real `broadsheet` subprocesses."""

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


def _articles(folder: Path, count: int) -> None:
    """`count` distinct news-like articles (the seed with its figures changed)."""
    body = SEED.read_text(encoding="utf-8").split(" ", 3)[3]
    for i in range(count):
        text = body.replace("61", str(20 + i)).replace("ten years", f"{i + 2} years")
        (folder / f"article_{i:03d}.txt").write_text(f"date 2023-12-{1 + i % 28:02d}\n{text}", encoding="utf-8")


def _snapshot(out: Path) -> dict[str, list]:
    return {name: sorted(map(repr, read_out(out, name))) for name in table_specs() if name != "runs"}


def _start(inputs: Path, out: Path) -> subprocess.Popen:
    exe = Path(sys.executable).parent / "broadsheet"
    return subprocess.Popen([str(exe), "run", str(inputs), "--out", str(out), "--batch-size", "8"], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _kill_when(process: subprocess.Popen, ready) -> int:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and process.poll() is None and not ready():
        time.sleep(0.005)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    return process.wait()


def test_sigkill_at_any_stage_keeps_the_previous_tables(tmp_path):
    out, inputs = tmp_path / "out", tmp_path / "inputs"
    inputs.mkdir()
    run_cli("run", str(SEED), "--out", str(out))
    before = _snapshot(out)
    _articles(inputs, 12)
    started = time.monotonic()
    moments = [
        lambda: time.monotonic() - started > 1.0,  # while starting up / reading inputs
        lambda: any((out / ".versions" / "documents").glob("*")) and len(
            list((out / ".versions" / "documents").iterdir())) > 1,  # new versions being written aside
        lambda: len(list((out / ".versions" / "runs").iterdir())) > 1,  # around the swap
    ]
    for ready in moments:
        started = time.monotonic()
        assert _kill_when(_start(inputs, out), ready) == -signal.SIGKILL
        tables = {name: store.read_table(out, name) for name in table_specs()}
        validate_all(tables)  # whatever version each table is at, it is complete and consistent
        after = _snapshot(out)
        assert after == before or len(read_out(out, "documents")) == 13
        before = after if len(read_out(out, "documents")) == 13 else before
    run_cli("run", str(inputs), "--out", str(out))
    documents = read_out(out, "documents")
    assert len(documents) == 13
    validate_all({name: store.read_table(out, name) for name in table_specs()})
    assert not [p for p in (out / ".versions" / "documents").iterdir()
                if p.name != os.readlink(out / "documents").rsplit("/", 1)[-1]]
