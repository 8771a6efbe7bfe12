"""The real command, run after run: an added article rewrites only its month's partitions (the others are
the same files, hard-linked), and the tables equal a from-scratch run over the same inputs."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import SEED, read_out, run_cli

from broadsheet import store
from broadsheet.tables import table_specs

pytestmark = pytest.mark.usefixtures("prefect_api")


def _article(folder: Path, i: int, date: str) -> None:
    body = SEED.read_text(encoding="utf-8").split(" ", 3)[3]
    text = body.replace("61", str(30 + i)).replace("ten years", f"{i + 3} years")
    (folder / f"article_{i:03d}.txt").write_text(f"date {date}\n{text}", encoding="utf-8")


def _inodes(out: Path, name: str) -> dict[str, int]:
    return {p.parent.name: p.stat().st_ino for p in (out / name).resolve().rglob("*.parquet")}


def _values(out: Path, name: str) -> list[str]:
    rows = [{k: v for k, v in row.items() if k != "run_id"} for row in read_out(out, name)]
    return sorted(map(repr, rows))


def test_an_added_article_rewrites_its_month_only_and_equals_a_from_scratch_run(tmp_path):
    inputs, out, scratch = tmp_path / "inputs", tmp_path / "out", tmp_path / "scratch"
    inputs.mkdir()
    for i in range(3):
        _article(inputs, i, f"2023-12-{10 + i}")
    run_cli("run", str(inputs), "--out", str(out))
    before = {name: _inodes(out, name) for name in ("documents", "mentions", "events")}
    assert set(before["documents"]) == {"published_month=2023-12"}

    _article(inputs, 3, "2024-02-01")
    run_cli("run", str(inputs), "--out", str(out))
    for name, inodes in before.items():
        after = _inodes(out, name)
        assert after["published_month=2023-12"] == inodes["published_month=2023-12"], name  # linked, not rewritten
        assert "published_month=2024-02" in after

    run_cli("run", str(inputs), "--out", str(scratch))
    for name in table_specs():
        if name != "runs":
            assert _values(out, name) == _values(scratch, name), name
    # the warehouse, loaded by month, holds the same rows as the tables
    with duckdb.connect(str(out / "broadsheet.duckdb"), read_only=True) as con:
        for name in table_specs():
            assert con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == len(read_out(out, name)), name
    assert store.read_delta(out, "documents")["months"] == ["2024-02"]


def test_a_warehouse_a_killed_run_left_behind_is_caught_up_by_the_next_run(tmp_path):
    from test_crash_safety import _run_and_kill

    inputs, out = tmp_path / "inputs", tmp_path / "out"
    inputs.mkdir()
    for i in range(2):
        _article(inputs, i, f"2023-12-{10 + i}")
    run_cli("run", str(inputs), "--out", str(out))
    _article(inputs, 2, "2024-03-05")
    # killed after its tables are committed and the first link swapped, before the warehouse is loaded
    assert _run_and_kill(inputs, out, "link_swapped") < 0
    run_cli("run", str(inputs), "--out", str(out))  # nothing left to process: the load catches up
    assert len(read_out(out, "documents")) == 3
    with duckdb.connect(str(out / "broadsheet.duckdb"), read_only=True) as con:
        for name in table_specs():
            assert con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == len(read_out(out, name)), name
        held = dict(con.execute("SELECT name, version FROM _broadsheet.loaded").fetchall())
    manifest = store.read_manifest(out)
    assert all(held[name] == manifest[name] for name in table_specs())


def test_a_store_written_before_the_entity_index_is_merged_whole_once_then_by_month(tmp_path):
    import json
    import shutil

    from broadsheet.tables import validate_all

    inputs, out = tmp_path / "inputs", tmp_path / "out"
    inputs.mkdir()
    _article(inputs, 0, "2023-12-10")
    run_cli("run", str(inputs), "--out", str(out))
    # as an older Broadsheet left it: no entity index, no notes of rewritten months
    manifest_path = out / ".versions" / "CURRENT"
    manifest = json.loads(manifest_path.read_text())
    version = manifest.pop(store.ENTITY_INDEX)
    shutil.rmtree(out / ".versions" / store.ENTITY_INDEX / version)
    manifest_path.write_text(json.dumps(manifest))
    assert store.read_entity_index(out) is None

    _article(inputs, 1, "2024-01-10")
    run_cli("run", str(inputs), "--out", str(out))  # merged whole: writes the index
    assert store.read_entity_index(out) is not None
    _article(inputs, 2, "2024-02-10")
    run_cli("run", str(inputs), "--out", str(out))  # by month from here on
    assert store.read_delta(out, "documents")["months"] == ["2024-02"]
    tables = {name: store.read_table(out, name) for name in table_specs()}
    validate_all(tables)
    assert tables["documents"].num_rows == 3
