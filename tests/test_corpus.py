"""Corpus-level entity linking: a surname-only article joins the full name another article gives."""

from __future__ import annotations

from test_store import _all_tables
from test_tables import _document

from broadsheet.corpus import finish_tables
from broadsheet.extract.ids import entity_id_for, name_key


def _entity(name, etype="PERSON"):
    return {"entity_id": entity_id_for(etype, name), "name": name, "type": etype, "name_key": name_key(name),
            "n_mentions": 1, "n_documents": 1}


def _mention(doc_id, text, start, name, kind="name"):
    return {"doc_id": doc_id, "entity_id": entity_id_for("PERSON", name), "start_char": start,
            "end_char": start + len(text), "text": text, "mention_kind": kind, "ner_label": "PERSON"}


def test_a_surname_in_one_article_joins_the_full_name_in_another():
    a, b = "Khayrova was seen in London.", "Elsina Khayrova spoke. Khayrova left."
    tables = _all_tables(
        documents=[_document("d1", a), _document("d2", b)],
        entities=[_entity("Khayrova"), _entity("Elsina Khayrova")],
        mentions=[_mention("d1", "Khayrova", 0, "Khayrova"), _mention("d2", "Elsina Khayrova", 0, "Elsina Khayrova"),
                  _mention("d2", "Khayrova", 23, "Elsina Khayrova")])
    finished = finish_tables(tables)
    (entity,) = finished["entities"].to_pylist()
    assert entity["name"] == "Elsina Khayrova" and entity["n_mentions"] == 3 and entity["n_documents"] == 2
    assert set(finished["mentions"].column("entity_id").to_pylist()) == {entity["entity_id"]}
    aliases = {(r["alias"], r["count"]) for r in finished["entity_aliases"].to_pylist()}
    assert aliases == {("Khayrova", 2), ("Elsina Khayrova", 1)}
