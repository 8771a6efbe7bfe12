"""Speakers that are entities or honestly absent, and marked text that is no quotation.

"they"/"it" resolve to the organisation or group named just before them (agreeing in number) or to no
entity; relative pronouns to the noun they hang on; passive cues name no speaker; titles, stage
directions, nicknames, markup and scare quotes labelling a noun are not quotations.
"""

from __future__ import annotations

import pytest

import broadsheet


def run(nlp, text: str) -> tuple[list[dict], dict[str, str]]:
    analysis = broadsheet.analyze(text, doc_id="d1", nlp=nlp)
    return analysis.quotations.rows(), {e.entity_id: e.name for e in analysis.entities}


def only(rows: list[dict], content: str) -> dict:
    hits = [r for r in rows if r["text"] == content]
    assert len(hits) == 1, f"no single quotation {content!r} in {[r['text'] for r in rows]}"
    return hits[0]


# ---------------------------------------------------------------- they / it


@pytest.mark.parametrize(("text", "content", "pronoun", "organisation"), [
    ("Greenpeace published a report on Monday. “The river is dying,” they said.", "The river is dying,",
     "they", "Greenpeace"),
    ("The Pentagon released a statement on Friday. “The drills will go ahead,” it said.",
     "The drills will go ahead,", "it", "Pentagon"),
])
def test_they_and_it_resolve_to_the_organisation_named_before(nlp, text, content, pronoun, organisation):
    rows, names = run(nlp, text)
    row = only(rows, content)
    assert row["speaker_text"] == pronoun and row["speaker_kind"] == "pronoun"
    assert names[row["speaker_entity_id"]] == organisation


@pytest.mark.parametrize("text", [
    "“We will not give up,” they said.",                                                   # nothing before
    "Greenpeace published a report on Monday. The farmers were angry. “We will not give up,” they said.",
])
def test_they_with_no_organisation_to_stand_for_has_no_entity(nlp, text):
    rows, _ = run(nlp, text)
    row = only(rows, "We will not give up,")
    assert (row["speaker_text"], row["speaker_kind"], row["speaker_entity_id"]) == ("they", "pronoun", None)


def test_they_does_not_take_a_possessor(nlp):
    # the only organisation named is a possessor ("the Times’s report"): not who "they" are
    text = ("Reporters at the Times’s office checked the figures. “The numbers are right,” they said.")
    rows, _ = run(nlp, text)
    assert only(rows, "The numbers are right,")["speaker_entity_id"] is None


# ---------------------------------------------------------------- relative pronouns


def test_who_passes_over_the_place_to_the_group(nlp):
    text = ("The plan is likely to please nervous Democrats on Capitol Hill, who have argued that it helps "
            "their candidates in close races.")
    rows, names = run(nlp, text)
    row = only(rows, "that it helps their candidates in close races")
    assert row["speaker_text"] == "who" and names[row["speaker_entity_id"]] == "Democrats"


def test_which_takes_the_noun_right_before_it_when_the_parse_gives_no_relative_clause(nlp):
    text = ("To solve this quandary, they turned to the Chicago Police Department which reported "
            "“2,521 shooting incidents” in the city.")
    rows, names = run(nlp, text)
    row = only(rows, "2,521 shooting incidents")
    assert row["speaker_text"] == "which" and names[row["speaker_entity_id"]] == "Chicago Police Department"


# ---------------------------------------------------------------- no speaker


@pytest.mark.parametrize(("text", "content"), [
    ("The movers left a box labeled “Fragile” on the porch.", "Fragile"),                # object, not speaker
    ("When PolitiFact examined the senator’s statement, it was labeled “Mostly True.”", "Mostly True."),
])
def test_what_a_passive_cue_names_has_no_speaker(nlp, text, content):
    rows, _ = run(nlp, text)
    row = only(rows, content)
    assert row["speaker_text"] is None and row["speaker_entity_id"] is None


@pytest.mark.parametrize(("text", "content"), [
    ("It was reported that the talks had failed.", "that the talks had failed"),
    ("The mayor was accused of hiding the report from the council.", "hiding the report from the council"),
])
def test_passive_reported_speech_is_kept_without_a_speaker(nlp, text, content):
    rows, _ = run(nlp, text)
    assert only(rows, content)["speaker_text"] is None


def test_a_bare_quote_after_a_named_persons_sentence_is_theirs(nlp):
    text = "Senator Mary Jones identified the budget as the main problem. “We cannot go on like this.”"
    rows, names = run(nlp, text)
    assert names[only(rows, "We cannot go on like this.")["speaker_entity_id"]] == "Mary Jones"


# ---------------------------------------------------------------- not quotations


@pytest.mark.parametrize("text", [
    "On this weekend’s broadcast of “Fox News Sunday,” Gov. Mike Pence said the debate would be fair.",
    "On Tuesday’s episode of “The Steve Harvey Morning Show,” the candidate spoke about the police.",
    "Sharpton took calls from listeners to his “Keepin’ It Real” radio program on Sunday morning.",
    "The director makes this clear in her new documentary “13th.”",
])
def test_show_and_film_titles_in_marks_are_not_quotations(nlp, text):
    rows, _ = run(nlp, text)
    assert [r["text"] for r in rows if r["kind"] != "indirect"] == []


def test_a_stage_direction_is_not_a_quotation(nlp):
    text = '"WALLACE: Will she be there?\n\n"(CROSSTALK.)\n\n"WALLACE: If I may, sir, we have limited time."'
    rows, _ = run(nlp, text)
    assert not [r for r in rows if "CROSSTALK" in r["text"]]
    assert {r["text"] for r in rows} == {"Will she be there?", "If I may, sir, we have limited time."}


@pytest.mark.parametrize("text", [
    "Rep. Robert C. “Bobby” Scott threw open his back yard.",                            # nickname in a name
    "The “sex tape” reference was about old footage.",                                   # scare quote as a label
    '<tweet author="realDonaldTrump" id="74779">We will win big</tweet>',                # markup attributes
])
def test_nicknames_labels_and_markup_are_not_quotations(nlp, text):
    rows, _ = run(nlp, text)
    assert rows == []


def test_a_scare_quote_with_a_cue_is_still_attributed(nlp):
    rows, _ = run(nlp, "The senator called it a “sham” deal on Monday.")
    row = only(rows, "sham")
    assert row["speaker_text"] == "The senator"


@pytest.mark.parametrize(("text", "content", "speaker"), [
    # "’s" alone is as often "has" as "is": no passive
    ("Paul Ryan spoke on Monday. He's said he gets his ideas about money from a novel by Ayn Rand.",
     "he gets his ideas about money from a novel by Ayn Rand", "He"),
    # a participle after a comma is the sentence's verb, even when the parser makes it a modifier
    ("Beruff, a Scott ally, called the state’s standards “strong.”", "strong.", "Beruff"),
])
def test_active_cues_the_parser_reads_as_passive_keep_their_speaker(nlp, text, content, speaker):
    rows, _ = run(nlp, text)
    assert only(rows, content)["speaker_text"] == speaker


def test_they_in_a_later_sentence_is_the_earlier_main_clauses_subject(nlp):
    # "Democrats" is nearer, but only the subject of what the Republicans say
    text = ("Republicans say Democrats are just trying to distract the public from the leaks. They say the "
            "Democrats already knew about the emails.")
    rows, names = run(nlp, text)
    row = only(rows, "the Democrats already knew about the emails")
    assert row["speaker_text"] == "They" and names[row["speaker_entity_id"]] == "Republicans"


def test_it_in_a_cleft_sentence_is_no_speaker(nlp):
    text = "Candidates dodged tough questions by saying it was the questioner, not the question."
    rows, _ = run(nlp, text)
    assert all(r["speaker_text"] != "it" for r in rows)
