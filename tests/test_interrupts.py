"""What a user meets when they stop a run or start a second one: Ctrl-C or SIGTERM at a point the run
proves it reached (BROADSHEET_PAUSE_AT holds it there) ends it with one line and exit 130/143 at once,
and a second run on the same folder is refused within seconds, without a traceback."""

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
EXE = Path(sys.executable).parent / "broadsheet"


def _start(inputs: Path, out: Path, pause_at: str | None, *extra: str) -> subprocess.Popen:
    env = dict(os.environ)
    if pause_at:
        env["BROADSHEET_PAUSE_AT"] = pause_at
    return subprocess.Popen([str(EXE), "run", str(inputs), "--out", str(out), *extra], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def _wait_for(marker: Path, process: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, f"{marker.name} never reached"
        time.sleep(0.02)


def _snapshot(out: Path) -> dict[str, list]:
    return {name: sorted(map(repr, read_out(out, name))) for name in table_specs() if name != "runs"}


@pytest.mark.parametrize(("pause_at", "signum", "committed"), [
    ("started", signal.SIGINT, False),         # before the inputs are read
    ("table_written", signal.SIGINT, False),   # tables written aside, not committed
    ("committed", signal.SIGTERM, True),       # after the commit point
])
def test_a_signal_stops_the_run_at_once_with_one_line(tmp_path, pause_at, signum, committed):
    out, inputs = tmp_path / "out", tmp_path / "inputs"
    inputs.mkdir()
    run_cli("run", str(SEED), "--out", str(out))
    before = _snapshot(out)
    (inputs / "other.txt").write_text("date 2024-02-01\nAngela Merkel spoke in Berlin on Monday.\n", encoding="utf-8")
    process = _start(inputs, out, pause_at)
    _wait_for(out / f".paused-{pause_at}", process)
    sent = time.monotonic()
    os.killpg(process.pid, signum)  # as a terminal's Ctrl-C reaches the whole process group
    _, stderr = process.communicate(timeout=30)
    assert time.monotonic() - sent < 2
    assert process.returncode == 128 + signum
    lines = [line for line in stderr.splitlines() if line.strip() and "temporary Prefect server" not in line]
    assert len(lines) == 1 and lines[0].startswith("interrupted"), stderr
    assert ("committed" in lines[0]) == committed and ("unchanged" in lines[0]) != committed
    (out / f".paused-{pause_at}").unlink()
    if not committed:
        assert _snapshot(out) == before
    run_cli("run", str(inputs), "--out", str(out))  # the rerun completes and the tables are whole
    tables = {name: store.read_table(out, name) for name in table_specs()}
    validate_all(tables)
    assert tables["documents"].num_rows == 2


def test_a_second_run_on_the_same_folder_is_refused_at_once_in_one_line(tmp_path):
    out = tmp_path / "out"
    first = _start(SEED, out, "started")
    try:
        _wait_for(out / ".paused-started", first)
        started = time.monotonic()
        second = subprocess.run([str(EXE), "run", str(SEED), "--out", str(out)], cwd=REPO, capture_output=True,
                                text=True, timeout=60)
        assert time.monotonic() - started < 10  # the process start itself; no Prefect, no model
        assert second.returncode == 1
        assert second.stderr.strip().startswith("error: another broadsheet run") and "Traceback" not in second.stderr
        assert len(second.stderr.strip().splitlines()) == 1
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()


def _rows_both_ways(out: Path) -> tuple[dict[str, list], dict[str, list]]:
    """Every table's rows as DuckDB holds them and as the Parquet datasets hold them, the same columns
    in the same order (read through DuckDB both times, so the values have the same Python types)."""
    import duckdb

    from broadsheet.warehouse import parquet_glob

    warehouse, parquet = {}, {}
    with duckdb.connect(str(out / "broadsheet.duckdb"), read_only=True) as con:
        for name in table_specs():
            if name == "runs":
                continue
            columns = ", ".join(f'"{c[0]}"' for c in con.execute(f'DESCRIBE "{name}"').fetchall())
            warehouse[name] = sorted(map(repr, con.execute(f'SELECT {columns} FROM "{name}"').fetchall()))
            if store.read_table(out, name).num_rows:
                parquet[name] = sorted(map(repr, con.execute(
                    f"SELECT {columns} FROM read_parquet('{parquet_glob(out / name)}', hive_partitioning=true,"
                    " union_by_name=true)").fetchall()))
            else:
                parquet[name] = []
    return warehouse, parquet


def test_a_run_killed_between_the_commit_and_the_warehouse_load_is_caught_up_by_the_next(tmp_path):
    """SIGKILL after the commit point (a marker proves the run got there) leaves DuckDB one run behind;
    the next run, with nothing new to read, finishes the swap and loads it: every table's rows in
    DuckDB equal the Parquet's, value for value."""
    out, inputs = tmp_path / "out", tmp_path / "inputs"
    inputs.mkdir()
    run_cli("run", str(SEED), "--out", str(out))
    (inputs / "other.txt").write_text("date 2024-02-01\nAngela Merkel spoke in Berlin on Monday.\n", encoding="utf-8")
    process = _start(inputs, out, "committed")
    _wait_for(out / ".paused-committed", process)
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)
    (out / ".paused-committed").unlink()
    assert len(_rows_both_ways(out)[0]["documents"]) == 1  # the new document never reached DuckDB
    run_cli("run", str(inputs), "--out", str(out))  # nothing new: it must still load what the crash cut
    warehouse, parquet = _rows_both_ways(out)
    assert len(warehouse["documents"]) == 2
    for name, rows in parquet.items():
        assert warehouse[name] == rows, name
