"""Where a name starts and ends: headline words, job titles, no-break spaces and HTML remnants are not part
of it, and organisations the small model misses or calls persons are organisations (made-up sentences)."""

from __future__ import annotations

import pytest

import broadsheet


def names(nlp, text: str) -> list[tuple[str, str, str]]:
    """(mention text, its entity's name, its entity's type) of every name mention, in text order."""
    analysis = broadsheet.analyze(text, nlp=nlp)
    entity = {e.entity_id: e for e in analysis.entities}
    return [(m.text, entity[m.entity_id].name, entity[m.entity_id].type)
            for m in analysis.mentions if m.mention_kind == "name"]


def test_a_headline_verb_or_adjective_is_cut_from_a_name_the_article_gives_elsewhere(nlp):
    text = "Derelict Obama Ignores The Border Crisis\n\nBarack Obama spoke on Tuesday."
    assert names(nlp, text)[0] == ("Obama", "Barack Obama", "PERSON")
    text = "How Clinton Hid Past From Her Voters\n\nHillary Clinton spoke in Ohio on Tuesday."
    assert names(nlp, text)[0] == ("Clinton", "Hillary Clinton", "PERSON")


def test_a_headline_adverb_ends_a_name(nlp):
    text = "Trump Creepily Singles Out Supporter At Rally\n\nDonald Trump spoke at a rally."
    assert names(nlp, text)[0] == ("Trump", "Donald Trump", "PERSON")


def test_a_given_name_is_never_cut_off_a_full_name(nlp):
    text = ("Debbie Wasserman Schultz spoke on Monday. Later Wasserman Schultz said she would resign. "
            "Mary Jo White, the chair, agreed.")
    found = names(nlp, text)
    assert found[:2] == [("Debbie Wasserman Schultz", "Debbie Wasserman Schultz", "PERSON"),
                         ("Wasserman Schultz", "Debbie Wasserman Schultz", "PERSON")]
    assert ("Mary Jo White", "Mary Jo White", "PERSON") in found


def test_a_capitalised_job_title_is_not_part_of_the_name(nlp):
    text = "Billionaire Sheldon Adelson gave money to the campaign. Adelson said he was happy."
    assert names(nlp, text)[0] == ("Sheldon Adelson", "Sheldon Adelson", "PERSON")


def test_a_no_break_space_holds_a_name_together(nlp):
    assert names(nlp, "Donald\u00a0Trump spoke in Ohio on Monday.")[0] == ("Donald\u00a0Trump", "Donald Trump",
                                                                            "PERSON")


def test_html_remnants_beside_a_name_are_not_part_of_it(nlp):
    found = names(nlp, "He met <b>Ted Cruz</b> later. Senator Marco Rubio&nbsp;spoke.")
    assert [text for text, _, _ in found] == ["Ted Cruz", "Marco Rubio"]


def test_a_colon_with_a_space_after_it_ends_a_name(nlp):
    found = names(nlp, "It was the debate in Milwaukee: Carly Fiorina was better than before.")
    assert ("Milwaukee", "Milwaukee", "GPE") in found
    assert all(":" not in text for text, _, _ in found)


@pytest.mark.parametrize("organisation", ["Facebook", "FEC", "POLITICO", "AFP", "Public Citizen"])
def test_common_organisations_are_found(nlp, organisation):
    text = f"The complaint was first reported by {organisation} on Monday, and the campaign did not reply."
    assert (organisation, organisation, "ORG") in names(nlp, text)


def test_a_company_named_for_its_industry_is_no_person(nlp):
    found = names(nlp, "Patriot Coal filed for bankruptcy on Monday. Arch Coal also struggled.")
    assert ("Patriot Coal", "Patriot Coal", "ORG") in found
    assert ("Arch Coal", "Arch Coal", "ORG") in found
