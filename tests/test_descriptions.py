"""Descriptions of organisations and places ("the company", "the state") linked to the name they stand for."""

from __future__ import annotations

import broadsheet


def descriptions(text: str) -> dict[str, list[str]]:
    """Each linked description's text -> the names of the entities it was linked to, in text order."""
    a = broadsheet.analyze(text, "2016-03-17")
    names = {e.entity_id: e.name for e in a.entities}
    found: dict[str, list[str]] = {}
    for m in sorted(a.mentions, key=lambda m: m.start_char):
        if m.mention_kind == "descriptor":
            found.setdefault(m.text, []).append(names[m.entity_id])
    return found


def test_the_company_is_the_organisation_named_just_before():
    text = ("Facebook relies on user reports to find terrorist accounts. If the company is told of a threat, "
            "it acts.")
    assert descriptions(text).get("the company") == ["Facebook"]


def test_a_description_is_not_the_organisation_its_own_clause_names():
    text = ("Pershing Square Capital raised its stake in Allergan Inc. Its position in Allergan Inc caused "
            "strife at the firm.")
    assert descriptions(text).get("the firm") == ["Pershing Square Capital"]


def test_a_noun_marked_named_takes_only_an_organisation_whose_name_holds_it():
    text = ("Goldman Sachs backed the Democratic Party in 2012. Bankers said the party had changed since then.")
    assert descriptions(text).get("the party") == ["Democratic Party"]
    text = "Goldman Sachs gave money in 2012. Bankers said the party had changed since then."
    assert "the party" not in descriptions(text)  # no party named: Goldman Sachs is not one


def test_the_state_is_a_state_the_gazetteer_knows_not_a_city():
    text = ("The law was passed in Mississippi last year. Judge Carlton Reeves sat in Jackson on Friday. "
            "He said the state had gone too far.")
    assert descriptions(text).get("the state") == ["Mississippi"]


def test_a_description_too_far_from_any_fitting_name_stays_unlinked():
    text = ("Facebook relies on user reports. Reporters waited. Aides left. The talks went on. Nobody spoke. "
            "Then the company acted.")
    assert "the company" not in descriptions(text)


def test_a_description_that_introduces_a_name_is_left_to_that_name():
    text = ("Apple sold phones. The survey, conducted for the advocacy group America's Voice, found support.")
    assert "the advocacy group" not in descriptions(text)


def test_a_verb_conjoined_without_its_own_subject_is_still_the_clause_that_names_the_organisation():
    text = ("Budgets were a theme of NATO talks in May, but the approach of Acme Corp neglects the rules and "
            "understates the payments to the organization.")
    assert descriptions(text).get("the organization") == ["NATO"]


def test_the_same_description_again_stands_for_what_it_stood_for():
    text = ("Pershing Square Capital raised its stake in Allergan Inc. Its position in Allergan Inc caused "
            "strife at the firm, and two of the firm's directors resigned.")
    assert descriptions(text).get("the firm") == ["Pershing Square Capital", "Pershing Square Capital"]


def test_a_description_with_its_own_name_after_of_or_for_is_that_name_or_none():
    text = "Reeves sat in New York City in May. He said the state of Mississippi had gone too far."
    assert descriptions(text).get("the state") == ["Mississippi"]
    text = "UnitedHealth Group lost money. This week the trade group for Blue Cross plans raised alarms."
    assert "the trade group" not in descriptions(text)
