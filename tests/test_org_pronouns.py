"""'it' and 'its' of organisations and countries (broadsheet.extract.org_pronouns), through the public API."""

from __future__ import annotations

import pytest

import broadsheet


def pronouns_of(nlp, text: str, name: str) -> list[str]:
    analysis = broadsheet.analyze(text, doc_id="d1", nlp=nlp)
    ids = {e["entity_id"] for e in analysis.entities.rows() if e["name"] == name}
    assert ids, [e["name"] for e in analysis.entities.rows()]
    return [m["text"] for m in analysis.mentions.rows() if m["entity_id"] in ids and m["mention_kind"] == "pronoun"]


@pytest.mark.parametrize("text, name, expected", [
    # bound by the subject of its clause, through the clauses that inherit it
    ("Microsoft is selling some of its shares after the deal.", "Microsoft", ["its"]),
    ("Russia has used the presence of Nusra fighters to justify its airstrikes.", "Russia", ["its"]),
    # "it" as the subject of what the organisation says or announces
    ("Valeant Pharmaceuticals said it would cut prices.", "Valeant Pharmaceuticals", ["it"]),
])
def test_it_and_its_stand_for_the_organisation_whose_clause_they_sit_in(nlp, text, name, expected):
    assert pronouns_of(nlp, text, name) == expected


@pytest.mark.parametrize("text, name", [
    ("Microsoft hired Anna Berg, and she praised its culture.", "Microsoft"),  # a person binds "its" first
    ("Microsoft missed its target, and it is clear that investors noticed.", "Microsoft"),  # no reported "it"
])
def test_a_pronoun_another_subject_binds_or_an_empty_it_is_left_alone(nlp, text, name):
    found = pronouns_of(nlp, text, name)
    assert "it" not in found
    if "she" in text:
        assert found == []
