"""A run merged by the month partitions it touches gives the tables a whole-table merge gives, rewrites only
its months' files, and hard-links the others into the new version."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
from test_store import _all_tables
from test_tables import _document

from broadsheet import delta, store
from broadsheet.corpus import finish_tables
from broadsheet.extract.ids import entity_id_for, name_key
from broadsheet.tables import table_specs

MONTHS = {"d1": date(2023, 1, 5), "d2": date(2023, 3, 9), "d3": date(2023, 3, 20), "d4": None, "d5": date(2024, 7, 1)}


def _doc(doc_id: str, text: str, path: str | None = None) -> dict:
    return {**_document(doc_id, text), "published": MONTHS[doc_id], "input_path": path or f"/in/{doc_id}.txt",
            "source": f"{doc_id}.txt"}


def _entity(name: str, etype: str = "PERSON") -> dict:
    return {"entity_id": entity_id_for(etype, name), "name": name, "type": etype, "name_key": name_key(name),
            "n_mentions": 1, "n_documents": 1}


def _mention(doc_id: str, text: str, start: int, name: str, etype: str = "PERSON", kind: str = "name") -> dict:
    return {"doc_id": doc_id, "entity_id": entity_id_for(etype, name), "start_char": start,
            "end_char": start + len(text), "text": text, "mention_kind": kind, "ner_label": etype}


def _quote(doc_id: str, start: int, text: str, speaker: str | None) -> dict:
    """A quotations row (the record class fills the columns left null)."""
    from broadsheet.extract.records import Quotation

    return Quotation(quote_id=f"Q{doc_id}{start}", doc_id=doc_id, start_char=start, end_char=start + len(text),
                     text=text, speaker_entity_id=entity_id_for("PERSON", speaker) if speaker else None, cue="said",
                     kind="direct").as_row()


# Each run: the new rows, the documents it replaces, and the inputs it saw.
TEXT1 = "Khayrova was seen in London. The Daily Mail said so."
TEXT2 = "Elsina Khayrova spoke. Khayrova left. Daily Mail wrote it."
TEXT3 = "Tom Cruise smiled. Cruise said yes."
TEXT4 = "Khayrova and Tom Cruise met."
TEXT5 = "Tom Cruise left London."
RUNS = [
    (dict(documents=[_doc("d1", TEXT1), _doc("d3", TEXT3)],
          entities=[_entity("Khayrova"), _entity("London", "GPE"), _entity("The Daily Mail", "ORG"),
                    _entity("Tom Cruise"), _entity("Cruise")],
          mentions=[_mention("d1", "Khayrova", 0, "Khayrova"), _mention("d1", "London", 21, "London", "GPE"),
                    _mention("d1", "The Daily Mail", 29, "The Daily Mail", "ORG"),
                    _mention("d3", "Tom Cruise", 0, "Tom Cruise"), _mention("d3", "Cruise", 19, "Cruise")],
          quotations=[_quote("d3", 31, "yes", "Cruise")]),
     {"d1", "d3"}),
    # a full name arrives in March: the stored January surname merges into it, the ORG "Daily Mail" too
    (dict(documents=[_doc("d2", TEXT2)],
          entities=[_entity("Elsina Khayrova"), _entity("Khayrova"), _entity("Daily Mail", "ORG")],
          mentions=[_mention("d2", "Elsina Khayrova", 0, "Elsina Khayrova"), _mention("d2", "Khayrova", 23, "Khayrova"),
                    _mention("d2", "Daily Mail", 38, "Daily Mail", "ORG")]),
     {"d2"}),
    # an undated article
    (dict(documents=[_doc("d4", TEXT4)], entities=[_entity("Khayrova"), _entity("Tom Cruise")],
          mentions=[_mention("d4", "Khayrova", 0, "Khayrova"), _mention("d4", "Tom Cruise", 13, "Tom Cruise")]),
     {"d4"}),
    # d3's input changes text (new doc d5, another month): d3's rows go, "Cruise" loses its only mention
    (dict(documents=[_doc("d5", TEXT5, "/in/d3.txt")], entities=[_entity("Tom Cruise"), _entity("London", "GPE")],
          mentions=[_mention("d5", "Tom Cruise", 0, "Tom Cruise"), _mention("d5", "London", 16, "London", "GPE")]),
     {"d3", "d5"}),
    # nothing new
    (dict(), set()),
]


def _new(rows: dict) -> dict:
    tables = _all_tables(**rows)
    tables["entities"] = tables["entities"]  # unique already, as combine_batches makes them
    return tables


def _rows(table) -> list[str]:
    return sorted(map(repr, table.to_pylist()))


def _delta_run(out: Path, new: dict, replaced: set[str], version: str) -> delta.Update:
    update = delta.merge_update(out, new, replaced, set(), store.read_doc_index(out))
    store.write_tables(out, update.to_write(), version, only=update.changed(out), touched=update.touched,
                       relinked_rows=update.relinked_rows)
    return update


def test_runs_by_partition_give_the_tables_of_whole_table_merges(tmp_path):
    reference = {name: _all_tables()[name] for name in table_specs()}
    for number, (rows, replaced) in enumerate(RUNS):
        new = _new(rows)
        reference = finish_tables(store.merge_run(reference, new, replaced, set()))
        _delta_run(tmp_path, new, replaced, f"v{number}")
        stored = store.read_tables(tmp_path)
        for name in table_specs():
            if name in ("entities", "entity_aliases"):
                assert stored[name].to_pylist() == reference[name].to_pylist(), (number, name)
            else:
                assert _rows(stored[name]) == _rows(reference[name]), (number, name)
        assert store.read_entity_index(tmp_path).equals(delta.full_index(reference)), number
    linked = {r["name"] for r in store.read_table(tmp_path, "entities").to_pylist()}
    assert "Khayrova" not in linked and "Daily Mail" not in linked and "Cruise" not in linked


def _inodes(out: Path, name: str) -> dict[str, int]:
    folder = (out / name).resolve()
    return {p.parent.name: p.stat().st_ino for p in folder.rglob("*.parquet")}


def test_a_run_rewrites_only_its_months_and_hard_links_the_others(tmp_path):
    first = _new(RUNS[0][0])
    _delta_run(tmp_path, first, RUNS[0][1], "v0")
    before = {name: _inodes(tmp_path, name) for name in ("documents", "mentions")}
    assert set(before["documents"]) == {"published_month=2023-01", "published_month=2023-03"}
    # one article in a new month, naming nobody stored: only its month is written
    text = "Ana Lopez spoke."
    update = _delta_run(tmp_path, _new(dict(documents=[{**_doc("d5", text)}], entities=[_entity("Ana Lopez")],
                                            mentions=[_mention("d5", "Ana Lopez", 0, "Ana Lopez")])), {"d5"}, "v1")
    assert update.months == {"2024-07"}
    for name in ("documents", "mentions"):
        after = _inodes(tmp_path, name)
        assert set(after) == {*before[name], "published_month=2024-07"}
        assert all(after[part] == inode for part, inode in before[name].items()), name  # the same files
    assert (tmp_path / ".versions" / "documents").is_dir()
    assert [p.name for p in (tmp_path / ".versions" / "documents").iterdir()] == ["v1"]
    assert store.read_table(tmp_path, "documents").num_rows == 3
    # a table the run adds nothing to keeps its version
    assert store.current_folder(tmp_path, "quotations").name == "v0"


def test_a_stored_entity_merged_away_rewrites_every_month_that_names_it(tmp_path):
    _delta_run(tmp_path, _new(RUNS[0][0]), RUNS[0][1], "v0")
    january = _inodes(tmp_path, "mentions")["published_month=2023-01"]
    update = _delta_run(tmp_path, _new(RUNS[1][0]), RUNS[1][1], "v1")
    assert update.months == {"2023-01", "2023-03"}  # January names Khayrova, now Elsina Khayrova
    assert _inodes(tmp_path, "mentions")["published_month=2023-01"] != january
    full = entity_id_for("PERSON", "Elsina Khayrova")
    mentions = store.read_table(tmp_path, "mentions").to_pylist()
    assert {m["entity_id"] for m in mentions if "Khayrova" in m["text"]} == {full}


def test_a_store_without_the_index_is_merged_whole_once(tmp_path):
    tables = finish_tables(store.merge_run(_all_tables(), _new(RUNS[0][0]), RUNS[0][1], set()))
    store.write_tables(tmp_path, tables, "v0")
    assert not delta.can_update(tmp_path)
    store.write_tables(tmp_path, {**tables, store.ENTITY_INDEX: delta.full_index(tables)}, "v1",
                       only=[store.ENTITY_INDEX])
    assert delta.can_update(tmp_path)
    assert not (tmp_path / store.ENTITY_INDEX).exists()  # no link: invisible to readers


def test_the_document_index_reads_months_not_text(tmp_path):
    _delta_run(tmp_path, _new(RUNS[0][0]), RUNS[0][1], "v0")
    index = store.read_doc_index(tmp_path)
    assert "text" not in index.schema.names
    pairs = zip(index.column("doc_id").to_pylist(), index.column("published_month").to_pylist(), strict=True)
    assert sorted(pairs) == [("d1", "2023-01"), ("d3", "2023-03")]
    # a run asks only for the documents its inputs can meet: by text (doc_id) or by file
    assert store.read_doc_index(tmp_path, ["d1"], ["/in/elsewhere.txt"]).column("doc_id").to_pylist() == ["d1"]
    assert store.read_doc_index(tmp_path, [], ["/in/d3.txt"]).column("doc_id").to_pylist() == ["d3"]


def _warehouse_rows(database: Path, name: str) -> list[str]:
    import duckdb

    with duckdb.connect(str(database), read_only=True) as con:
        table = con.sql(f'SELECT * FROM "{name}"').to_arrow_table()
    return _rows(table)


def test_the_warehouse_loads_the_months_a_run_rewrote_and_catches_up_when_behind(tmp_path):
    from broadsheet import warehouse

    database = tmp_path / "w.duckdb"
    for number, (rows, replaced) in enumerate(RUNS):
        _delta_run(tmp_path, _new(rows), replaced, f"v{number}")
        if number == 1:
            continue  # a run killed before its load: the next load catches up (by replacing)
        loaded = warehouse.load_duckdb(tmp_path, database)
        if number == 4:
            assert loaded == {}  # nothing new: every table already at its version
        for name in table_specs():
            assert _warehouse_rows(database, name) == _rows(store.read_table(tmp_path, name)), (number, name)
    # the months a run rewrote are all it loads: rows of other months stay as they were
    _delta_run(tmp_path, _new(dict(documents=[_doc("d2", TEXT2)])), {"d2"}, "v9")
    assert store.read_delta(tmp_path, "mentions") == {"parent": "v3", "months": ["2023-03"]}
    assert set(warehouse.load_duckdb(tmp_path, database)) == {"mentions", "entities", "entity_aliases"}
    assert _warehouse_rows(database, "mentions") == _rows(store.read_table(tmp_path, "mentions"))


def _files(out: Path, name: str, month: str) -> dict[str, int]:
    part = (out / name).resolve() / f"published_month={month}"
    return {p.name: p.stat().st_ino for p in part.glob("*.parquet")}


def test_an_article_added_to_a_month_writes_its_rows_and_links_the_months_unchanged_files(tmp_path):
    _delta_run(tmp_path, _new(RUNS[0][0]), RUNS[0][1], "v0")
    march = _files(tmp_path, "mentions", "2023-03")
    assert list(march) == ["part-v0.parquet"]
    # d2 joins March beside d3 (whose rows do not change) and merges January's "Khayrova" away
    _delta_run(tmp_path, _new(RUNS[1][0]), RUNS[1][1], "v1")
    after = _files(tmp_path, "mentions", "2023-03")
    assert after["part-v0.parquet"] == march["part-v0.parquet"]  # d3's file, hard-linked
    new_rows = store.read_folder("mentions", (tmp_path / "mentions").resolve() / "published_month=2023-03")
    assert set(new_rows.column("doc_id").to_pylist()) == {"d2", "d3"}
    import pyarrow.parquet as pq

    added = pq.read_table((tmp_path / "mentions").resolve() / "published_month=2023-03" / "part-v1.parquet")
    assert set(added.column("doc_id").to_pylist()) == {"d2"}  # only the new article's rows were written
    # January's file named the merged surname: rewritten, and recorded as a month the version changed
    assert list(_files(tmp_path, "mentions", "2023-01")) == ["part-v1.parquet"]
    assert store.read_delta(tmp_path, "mentions")["months"] == ["2023-01", "2023-03"]
    # quotations: d3's quote is in March, which only gained d2 (no quote): the table keeps its version
    assert store.current_folder(tmp_path, "quotations").name == "v0"


def test_a_month_past_its_file_limit_is_compacted_and_reads_the_same(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "MAX_FILES_PER_MONTH", 2)
    reference = {name: _all_tables()[name] for name in table_specs()}
    runs = [(dict(documents=[_doc("d1", TEXT1)], entities=[_entity("Khayrova")],
                  mentions=[_mention("d1", "Khayrova", 0, "Khayrova")]), {"d1"})]
    for i, day in enumerate((2, 3, 4)):
        doc_id = f"j{i}"
        MONTHS[doc_id] = date(2023, 1, day)
        text = f"Tom Cruise spoke {i}."
        runs.append((dict(documents=[_doc(doc_id, text)], entities=[_entity("Tom Cruise")],
                          mentions=[_mention(doc_id, "Tom Cruise", 0, "Tom Cruise")]), {doc_id}))
    counts = []
    for number, (rows, replaced) in enumerate(runs):
        new = _new(rows)
        reference = finish_tables(store.merge_run(reference, new, replaced, set()))
        _delta_run(tmp_path, new, replaced, f"v{number}")
        counts.append(len(_files(tmp_path, "mentions", "2023-01")))
        assert _rows(store.read_table(tmp_path, "mentions")) == _rows(reference["mentions"]), number
    assert counts == [1, 2, 2, 2]  # never more than the limit: the smaller files merged into the new one


def test_a_month_only_a_relink_touches_reads_and_writes_only_the_tables_naming_entities(tmp_path, monkeypatch):
    _delta_run(tmp_path, _new(RUNS[0][0]), RUNS[0][1], "v0")
    january = {name: _files(tmp_path, name, "2023-01") for name in ("documents", "mentions")}
    read = []
    original = store.read_partitions
    monkeypatch.setattr(store, "read_partitions",
                        lambda out, name, months, *parts: read.append((name, set(months)))
                        or original(out, name, months, *parts))
    update = _delta_run(tmp_path, _new(RUNS[1][0]), RUNS[1][1], "v1")
    assert update.relinked == {"2023-01"}
    assert {name for name, months in read if "2023-01" in months} == set(delta.ENTITY_TABLES)
    assert _files(tmp_path, "documents", "2023-01") == january["documents"]  # the article's text: not rewritten
    assert _files(tmp_path, "mentions", "2023-01") != january["mentions"]
    assert "2023-01" not in store.read_delta(tmp_path, "documents")["months"]
    # the store still validates whole, and reads as one run over both articles gives
    from broadsheet.tables import validate_all

    validate_all(store.read_tables(tmp_path))


def test_rows_given_for_months_without_their_documents_must_belong_to_stored_documents(tmp_path):
    import pytest

    from broadsheet.tables import ValidationError

    _delta_run(tmp_path, _new(RUNS[0][0]), RUNS[0][1], "v0")
    update = delta.merge_update(tmp_path, _new(RUNS[1][0]), RUNS[1][1], set(), store.read_doc_index(tmp_path))
    tables = update.to_write()
    stray = _new(dict(mentions=[_mention("dX", "Khayrova", 0, "Elsina Khayrova")]))["mentions"]
    tables["mentions"] = pa.concat_tables([tables["mentions"], stray.cast(tables["mentions"].schema)])
    with pytest.raises(ValidationError):
        store.write_tables(tmp_path, tables, "v1", only=update.changed(tmp_path), touched=update.touched,
                           relinked_rows=update.relinked_rows)
    assert store.current_folder(tmp_path, "mentions").name == "v0"  # nothing committed


def test_the_rows_of_a_month_only_a_relink_touches_are_validated_as_they_are_written(tmp_path):
    import pytest

    from broadsheet.tables import ValidationError

    _delta_run(tmp_path, _new(RUNS[0][0]), RUNS[0][1], "v0")
    update = delta.merge_update(tmp_path, _new(RUNS[1][0]), RUNS[1][1], set(), store.read_doc_index(tmp_path))
    assert update.relinked == {"2023-01"} and update.relinked_rows is not None
    stray = _new(dict(mentions=[_mention("d3", "Khayrova", 40, "Elsina Khayrova")]))["mentions"]

    def with_a_row_of_march(month: str) -> dict:
        rows = update.relinked_rows(month)
        return {**rows, "mentions": pa.concat_tables([rows["mentions"], stray.cast(rows["mentions"].schema)])}

    with pytest.raises(ValidationError, match="not stored in that month"):
        store.write_tables(tmp_path, update.to_write(), "v1", only=update.changed(tmp_path), touched=update.touched,
                           relinked_rows=with_a_row_of_march)
    assert store.current_folder(tmp_path, "mentions").name == "v0"


def test_unique_rows_keeps_the_first_row_of_each_key_in_order():
    from broadsheet.corpus import _unique_rows

    table = pa.table({"a": ["x", "y", "x", None, None, "y"], "b": [1, 2, 1, 3, 3, 5], "n": [0, 1, 2, 3, 4, 5]})
    assert _unique_rows(table, ["a", "b"]).column("n").to_pylist() == [0, 1, 3, 5]
    assert _unique_rows(table.slice(0, 0), ["a", "b"]).num_rows == 0
