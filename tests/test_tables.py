"""Table declarations: Arrow schemas, validation, and the generated data dictionary."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import REPO

from broadsheet.tables import (
    ValidationError,
    arrow_schema,
    create_table_sql,
    data_dictionary,
    table_specs,
    to_arrow,
    validate_all,
)

CONTRACT_COLUMNS = {  # what ../shared/eval/CONTRACT.md fixes; the declaration may only add to it
    "documents": {"doc_id", "source", "published", "text"},
    "entities": {"entity_id", "name", "type"},
    "mentions": {"doc_id", "entity_id", "start_char", "end_char", "text"},
    "time_expressions": {"doc_id", "start_char", "end_char", "text", "type", "value", "date_start", "date_end",
                         "granularity"},
    "quotations": {"quote_id", "doc_id", "start_char", "end_char", "text", "speaker_entity_id", "speaker_text",
                   "speaker_start_char", "speaker_end_char", "cue"},
    "events": {"event_id", "doc_id", "event_type", "trigger", "start_char", "end_char", "date_value",
               "date_start", "date_end", "location_entity_id"},
    "event_participants": {"event_id", "entity_id", "role"},
    "rejects": {"source", "reason", "detail"},
}


def test_declaration_keeps_every_contract_column():
    for name, columns in CONTRACT_COLUMNS.items():
        assert columns <= set(arrow_schema(name).names), name
    assert str(arrow_schema("documents").field("published").type) == "date32[day]"


def _document(doc_id="d1", text="Tom Cruise smiled."):
    from broadsheet.ingest import Article
    from broadsheet.process import document_row

    article = Article(doc_id=doc_id, source="a.txt", input_path="/in/a.txt", text=text, published=date(2023, 1, 1))
    return document_row(article, "r", "v")


def _entity(eid="E1"):
    return {"entity_id": eid, "name": "Tom Cruise", "type": "PERSON", "name_key": "tom cruise", "n_mentions": 1,
            "n_documents": 1}


def _mention(start=0, end=10, text="Tom Cruise", eid="E1", doc_id="d1"):
    return {"doc_id": doc_id, "entity_id": eid, "start_char": start, "end_char": end, "text": text,
            "mention_kind": "name", "ner_label": "PERSON"}


def _tables(**overrides):
    rows = {"documents": [_document()], "entities": [_entity()], "mentions": [_mention()]}
    rows.update(overrides)
    return {name: to_arrow(name, r) for name, r in rows.items()}


def test_valid_tables_pass():
    validate_all(_tables())


def test_unknown_or_missing_columns_are_refused():
    with pytest.raises(ValidationError, match="extra columns"):
        to_arrow("entities", [{**_entity(), "surprise": 1}])
    row = _entity()
    del row["type"]
    with pytest.raises(ValidationError, match="missing columns"):
        to_arrow("entities", [row])


def test_null_in_a_required_column_is_refused():
    with pytest.raises(ValidationError, match="nulls"):
        to_arrow("entities", [{**_entity(), "name": None}])


def test_duplicate_keys_are_refused():
    with pytest.raises(ValidationError, match="repeat the key"):
        to_arrow("mentions", [_mention(), _mention()])


def test_a_span_that_does_not_match_the_text_is_refused():
    with pytest.raises(ValidationError, match="span"):
        validate_all(_tables(mentions=[_mention(0, 9, "Tom Cruise")]))
    with pytest.raises(ValidationError, match="span"):
        validate_all(_tables(mentions=[_mention(10, 40, "x")]))


def test_a_dangling_foreign_key_is_refused():
    with pytest.raises(ValidationError, match="entity_id"):
        validate_all(_tables(mentions=[_mention(eid="E404")]))
    with pytest.raises(ValidationError, match="doc_id"):
        validate_all(_tables(mentions=[_mention(doc_id="d404")]))


def test_ddl_follows_the_declaration():
    sql = create_table_sql("mentions", constraints=True)
    for column in arrow_schema("mentions").names:
        assert f'"{column}"' in sql
    assert 'PRIMARY KEY ("doc_id", "start_char", "end_char")' in sql


def test_data_dictionary_is_up_to_date():
    committed = (REPO / "docs" / "tables.md").read_text(encoding="utf-8")
    assert committed == data_dictionary(), "docs/tables.md is stale: run `make docs`"
    for name in table_specs():
        assert f"## {name}" in committed
