"""The Parquet store: atomic swap, recovery after a crash, the writer lock, and merging a run in."""

from __future__ import annotations

import json
import os

import pyarrow.dataset as ds
import pytest
from test_tables import _document, _entity, _mention

from broadsheet import store
from broadsheet.corpus import finish_tables
from broadsheet.tables import empty_table, table_specs, to_arrow


def _all_tables(**rows):
    tables = {name: empty_table(name) for name in table_specs()}
    tables.update({name: to_arrow(name, r) for name, r in rows.items()})
    return tables


def _one_doc(doc_id="d1", text="Tom Cruise smiled."):
    return _all_tables(documents=[_document(doc_id, text)], entities=[_entity()], mentions=[_mention(doc_id=doc_id)])


def test_written_tables_read_back_as_plain_datasets(tmp_path):
    store.write_tables(tmp_path, _one_doc(), "v1")
    assert ds.dataset(str(tmp_path / "mentions"), format="parquet", partitioning="hive").count_rows() == 1
    assert store.read_table(tmp_path, "documents").column("doc_id").to_pylist() == ["d1"]


def test_a_new_version_replaces_the_old_one_without_stale_files(tmp_path):
    store.write_tables(tmp_path, _one_doc(), "v1")
    store.write_tables(tmp_path, _one_doc("d2", "Tom Cruise frowned."), "v2")
    assert store.read_table(tmp_path, "documents").column("doc_id").to_pylist() == ["d2"]
    assert sorted(p.name for p in (tmp_path / ".versions" / "documents").iterdir()) == ["v2"]


def test_uncommitted_versions_of_a_killed_run_are_dropped(tmp_path):
    store.write_tables(tmp_path, _one_doc(), "v1")
    # a run killed after writing its files but before the commit point
    stray = tmp_path / ".versions" / "documents" / "v2"
    stray.mkdir()
    (stray / "part-0.parquet").write_bytes(b"half a file")
    store.recover(tmp_path)
    assert not stray.exists()
    assert store.read_table(tmp_path, "documents").column("doc_id").to_pylist() == ["d1"]


def test_a_committed_but_unswapped_run_is_finished_by_recover(tmp_path):
    store.write_tables(tmp_path, _one_doc(), "v1")
    store.write_tables(tmp_path, _one_doc("d2", "Tom Cruise frowned."), "v2")
    # roll one link back, as if the run died between the commit and the last swap
    (tmp_path / "documents").unlink()
    os.symlink(".versions/documents/v1", tmp_path / "documents")
    store.recover(tmp_path)
    assert os.readlink(tmp_path / "documents") == ".versions/documents/v2"
    assert json.loads((tmp_path / ".versions" / "CURRENT").read_text())["documents"] == "v2"


def test_invalid_tables_are_never_swapped_in(tmp_path):
    store.write_tables(tmp_path, _one_doc(), "v1")
    broken = _one_doc()
    broken["mentions"] = to_arrow("mentions", [_mention(eid="E404")])
    with pytest.raises(ValueError):
        store.write_tables(tmp_path, broken, "v2")
    assert store.read_table(tmp_path, "mentions").column("entity_id").to_pylist() == ["E1"]


def test_a_second_writer_is_refused(tmp_path):
    import subprocess
    import sys

    take = (f"from pathlib import Path; from broadsheet import store\n"
            f"with store.run_lock(Path({str(tmp_path)!r})): pass")
    with store.run_lock(tmp_path):
        other = subprocess.run([sys.executable, "-c", take], capture_output=True, text=True)
        assert other.returncode == 1 and "another broadsheet run" in other.stderr
        with store.run_lock(tmp_path):  # the holder itself takes it again (the CLI, then its flow)
            pass
    assert subprocess.run([sys.executable, "-c", take]).returncode == 0  # released after the holder is done


def test_merge_replaces_reprocessed_documents_and_recounts_entities():
    existing = _one_doc()
    existing = {**existing, **{"rejects": to_arrow("rejects", [
        {"source": "x.txt", "reason": "empty", "detail": "", "input_path": "/in/x.txt", "run_id": "r0",
         "doc_id": None, "pipeline_version": None}])}}
    new = _all_tables(documents=[_document("d1", "Tom Cruise smiled.")], entities=[_entity()],
                      mentions=[_mention(doc_id="d1")])
    merged = finish_tables(store.merge_run(existing, new, {"d1"}, {("/in/x.txt", "x.txt")}))
    assert merged["documents"].num_rows == 1 and merged["mentions"].num_rows == 1
    assert merged["rejects"].num_rows == 0  # the input was seen again and no longer rejected
    assert merged["entities"].to_pylist()[0]["n_mentions"] == 1


def test_merge_keeps_other_documents_and_drops_unreferenced_entities():
    existing = _one_doc()
    new = _all_tables(documents=[_document("d2", "Tom Cruise frowned.")], entities=[_entity("E2")],
                      mentions=[_mention(doc_id="d2", eid="E2")])
    merged = finish_tables(store.merge_run(existing, new, {"d2"}, set()))
    assert sorted(merged["documents"].column("doc_id").to_pylist()) == ["d1", "d2"]
    replaced = finish_tables(store.merge_run(merged, _all_tables(documents=[_document("d1")]), {"d1", "d2"}, set()))
    assert replaced["entities"].num_rows == 0 and replaced["entity_aliases"].num_rows == 0


def test_per_document_tables_are_partitioned_by_publication_month(tmp_path):
    undated = {**_document("d2", "Tom Cruise frowned."), "published": None}
    tables = _all_tables(documents=[_document(), undated], entities=[_entity()],
                         mentions=[_mention(), _mention(doc_id="d2")])
    store.write_tables(tmp_path, tables, "v1")
    folders = sorted(p.name for p in (tmp_path / "mentions").resolve().iterdir())
    assert folders == ["published_month=2023-01", "published_month=unknown"]
    dataset = ds.dataset(str(tmp_path / "mentions"), format="parquet", partitioning="hive")
    january = dataset.to_table(filter=ds.field("published_month") == "2023-01")
    assert january.column("doc_id").to_pylist() == ["d1"]
    assert store.read_table(tmp_path, "mentions").num_rows == 2  # read back with the declared columns only


def test_only_changed_tables_count_as_changed(tmp_path):
    tables = _one_doc()
    store.write_tables(tmp_path, tables, "v1")
    stored = store.read_tables(tmp_path)
    assert store.changed_tables(tmp_path, stored, stored) == []
    rejects = to_arrow("rejects", [{"source": "x", "reason": "empty", "detail": "", "input_path": "/x",
                                    "run_id": "r2", "doc_id": None, "pipeline_version": None}])
    again = {**stored, "rejects": rejects}
    assert store.changed_tables(tmp_path, stored, again) == ["rejects"]
    store.write_tables(tmp_path, again, "v2", only=["rejects"])
    assert os.readlink(tmp_path / "documents") == ".versions/documents/v1"
    assert store.changed_tables(tmp_path, store.read_tables(tmp_path), {**again, "rejects": to_arrow(
        "rejects", [{**rejects.to_pylist()[0], "run_id": "r3"}])}) == []  # a repeated reject is no change
