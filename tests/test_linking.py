"""Linking across articles does not depend on the order the articles arrive in: the same articles added
in any order, in one run or several, give the same entities, mentions and entity_merges, and each merge
says why it was made."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import pytest
from test_store import _all_tables
from test_tables import _document

from broadsheet import delta, store
from broadsheet.corpus import finish_tables
from broadsheet.extract.ids import entity_id_for, name_key
from broadsheet.extract.names import (
    MERGE_DOMINANT,
    MERGE_INITIAL,
    MERGE_ONLY,
    link_across_documents,
    merge_across_documents,
)

# One article each: (doc_id, month, [(mention text, the name the article's entity has)])
ARTICLES = {
    "a": (date(2023, 1, 5), [("Khayrova", "Khayrova"), ("Khayrova", "Khayrova")]),
    "b": (date(2023, 3, 9), [("Elsina Khayrova", "Elsina Khayrova"), ("Khayrova", "Elsina Khayrova")]),
    "c": (date(2024, 7, 1), [("Rinat Khayrova", "Rinat Khayrova")]),
    "d": (date(2023, 3, 20), [("Donald J. Trump", "Donald J. Trump"), ("Trump", "Donald J. Trump")]),
    "e": (None, [("Trump", "Trump")]),
    "f": (date(2024, 7, 2), [("Donald Trump", "Donald Trump")]),
}


def _rows(doc_id: str) -> dict:
    published, names = ARTICLES[doc_id]
    text = " and ".join(t for t, _ in names) + " met."
    document = {**_document(doc_id, text), "published": published, "input_path": f"/in/{doc_id}.txt",
                "source": f"{doc_id}.txt"}
    entities, mentions, at = {}, [], 0
    for mention_text, name in names:
        eid = entity_id_for("PERSON", name)
        entities[eid] = {"entity_id": eid, "name": name, "type": "PERSON", "name_key": name_key(name),
                         "n_mentions": 1, "n_documents": 1}
        mentions.append({"doc_id": doc_id, "entity_id": eid, "start_char": at, "end_char": at + len(mention_text),
                         "text": mention_text, "mention_kind": "name", "ner_label": "PERSON"})
        at += len(mention_text) + len(" and ")
    return {"documents": [document], "entities": list(entities.values()), "mentions": mentions}


def _batch(doc_ids: tuple[str, ...]) -> dict:
    rows: dict[str, list] = {"documents": [], "entities": [], "mentions": []}
    for doc_id in doc_ids:
        for name, values in _rows(doc_id).items():
            rows[name] += values
    unique = {e["entity_id"]: e for e in rows["entities"]}
    return _all_tables(**{**rows, "entities": list(unique.values())})


def _by_runs(out: Path, batches: list[tuple[str, ...]]) -> dict[str, list]:
    """The batches added run after run into one store, as `broadsheet run` merges them (by month)."""
    for number, batch in enumerate(batches):
        update = delta.merge_update(out, _batch(batch), set(batch), set(), store.read_doc_index(out))
        store.write_tables(out, update.to_write(), f"v{number}", only=update.changed(out),
                           touched=update.touched, relinked_rows=update.relinked_rows)
    return _summary(store.read_tables(out))


def _summary(tables: dict) -> dict[str, list]:
    names = {e["entity_id"]: e["name"] for e in tables["entities"].to_pylist()}
    return {"entities": sorted((e["name"], e["n_mentions"], e["n_documents"]) for e in tables["entities"].to_pylist()),
            "mentions": sorted((m["doc_id"], m["start_char"], m["text"], names[m["entity_id"]])
                               for m in tables["mentions"].to_pylist()),
            "merges": sorted((m["from_name"], names[m["to_id"]], m["reason"])
                             for m in tables["entity_merges"].to_pylist())}


EXPECTED = {
    # "Khayrova" alone has two full names to choose from, each named in one article: it stays apart
    "entities": [("Donald Trump", 4, 3), ("Elsina Khayrova", 2, 1), ("Khayrova", 2, 1), ("Rinat Khayrova", 1, 1)],
    "merges": [("Donald J. Trump", "Donald Trump", MERGE_INITIAL), ("Trump", "Donald Trump", MERGE_ONLY)],
}


def _orders() -> list[list[tuple[str, ...]]]:
    """Every order of the articles one by one, all in one run, and a few splits into runs."""
    ids = tuple(ARTICLES)
    orders = [[(doc_id,) for doc_id in order] for order in itertools.permutations("abc")]
    orders = [[*order, ("d",), ("e",), ("f",)] for order in orders]
    orders += [[ids], [("a", "b"), ("d", "e"), ("c", "f")], [("e",), ("a", "d"), ("b",), ("f", "c")],
               [("f", "c", "e"), ("a", "b", "d")]]
    return orders


@pytest.mark.parametrize("batches", _orders(), ids=lambda b: "|".join("".join(x) for x in b))
def test_the_same_articles_in_any_order_and_batching_give_the_same_entities(tmp_path, batches):
    got = _by_runs(tmp_path, batches)
    assert got["entities"] == EXPECTED["entities"]
    assert got["merges"] == EXPECTED["merges"]
    khayrova = [m for m in got["mentions"] if m[0] == "a"]
    assert [m[3] for m in khayrova] == ["Khayrova", "Khayrova"]


def test_runs_give_what_one_whole_merge_of_the_same_articles_gives(tmp_path):
    whole = _summary(finish_tables(store.merge_run(_all_tables(), _batch(tuple(ARTICLES)), set(ARTICLES), set())))
    assert whole["entities"] == EXPECTED["entities"]
    assert _by_runs(tmp_path, [(doc_id,) for doc_id in "abdefc"]) == whole


def test_a_merge_the_corpus_overturns_comes_undone_and_its_articles_rewritten(tmp_path):
    # Elsina is the only Khayrova: the lone surname joins her ...
    first = _by_runs(tmp_path / "s", [("a",), ("b",)])
    assert [m[3] for m in first["mentions"] if m[0] == "a"] == ["Elsina Khayrova", "Elsina Khayrova"]
    assert first["merges"] == [("Khayrova", "Elsina Khayrova", MERGE_ONLY)]
    # ... until Rinat's article makes it ambiguous: it is "Khayrova" again, in its own (January) article too
    after = _by_runs(tmp_path / "s", [("c",)])
    assert [m[3] for m in after["mentions"] if m[0] == "a"] == ["Khayrova", "Khayrova"]
    assert after["merges"] == []


def entity(eid: str, name: str, etype: str = "PERSON") -> dict:
    return {"entity_id": eid, "name": name, "type": etype}


def test_a_surname_joins_the_full_name_that_dominates_and_stays_apart_between_equals():
    people = [entity("c", "Clinton"), entity("hc", "Hillary Clinton"), entity("bc", "Bill Clinton")]
    dominant = link_across_documents(people, {}, {"hc": 6, "bc": 2})
    assert dominant == {"c": ("hc", MERGE_DOMINANT)}
    assert link_across_documents(people, {}, {"hc": 3, "bc": 2}) == {}  # neither dominates: "Clinton" stays
    assert link_across_documents(people, {}, {"hc": 2, "bc": 1}) == {}  # too few articles to tell


def test_a_name_dominates_only_all_its_other_holders_together():
    jims = [entity("j", "Jim"), entity("jg", "Jim Gilmore"), entity("jw", "Jim Webb"), entity("jc", "Jim Comey"),
            entity("jb", "Jim Brady")]
    assert link_across_documents(jims, {}, {"jg": 5, "jw": 2}) == {"j": ("jg", MERGE_DOMINANT)}
    # the most frequent of many Jims is still less than two in three of their documents
    assert link_across_documents(jims, {}, {"jg": 5, "jw": 2, "jc": 1, "jb": 1}) == {}


def test_a_known_first_name_alone_joins_the_one_full_name_it_begins():
    people = [entity("h", "Hillary"), entity("hc", "Hillary Clinton"), entity("t", "Tom Cruise")]
    assert link_across_documents(people, {}, {"hc": 1, "t": 1}) == {"h": ("hc", MERGE_ONLY)}


def test_a_middle_initial_does_not_make_a_second_person_but_two_initials_are_two_people():
    one = [entity("djt", "Donald J. Trump"), entity("dt", "Donald Trump")]
    assert merge_across_documents(one, []) == {"djt": "dt"}
    two = [entity("gwb", "George W. Bush"), entity("ghwb", "George H. W. Bush"), entity("gb", "George Bush")]
    assert merge_across_documents(two, []) == {}


ARTICLE_TEXTS = {
    "a.txt": "date 2023-01-05\nKhayrova was previously married to Russian tycoon Dmitry Tsvetkov for ten years. "
             "A judge accused Khayrova of lying.",
    "b.txt": "date 2023-03-09\nTom Cruise is reportedly dating socialite Elsina Khayrova, the daughter of an MP.",
    "c.txt": "date 2024-07-01\nThe banker Rinat Khayrova told reporters in Moscow on Monday that he would resign.",
}


def _command_runs(folder: Path, batches: list[tuple[str, ...]]) -> dict[str, str]:
    """`broadsheet run` once per batch into one store; each article's names -> its entity's name."""
    from conftest import read_out, run_cli

    inputs, out = folder / "inputs", folder / "out"
    inputs.mkdir(parents=True)
    for batch in batches:
        for name in batch:
            (inputs / name).write_text(ARTICLE_TEXTS[name], encoding="utf-8")
        run_cli("run", str(inputs), "--out", str(out), "--no-load")
    names = {e["entity_id"]: e["name"] for e in read_out(out, "entities")}
    return {m["text"]: names[m["entity_id"]] for m in read_out(out, "mentions")
            if m["mention_kind"] == "name" and "Khayrova" in m["text"]}


@pytest.mark.usefixtures("prefect_api")
def test_the_command_run_after_run_links_as_one_run_over_the_same_articles(tmp_path):
    # the surname's one full name comes first; the second full name, in a later run, makes it ambiguous,
    # as a single run over all three finds it (the library test above runs every order)
    linked = _command_runs(tmp_path, [("a.txt", "b.txt"), ("c.txt",)])
    assert linked == {"Khayrova": "Khayrova", "Elsina Khayrova": "Elsina Khayrova", "Rinat Khayrova": "Rinat Khayrova"}
