"""Quotations: sentences in, quotation rows (content, kind, speaker, cue) out."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import broadsheet
from broadsheet.extract.ids import span_id_for
from broadsheet.tables import spec

DOUBLE_MARKS = "\"“”«»„"


def run(nlp, text: str) -> tuple[list[dict], dict[str, str]]:
    analysis = broadsheet.analyze(text, doc_id="d1", nlp=nlp)
    return analysis.quotations.rows(), {e.entity_id: e.name for e in analysis.entities}


def find(rows: list[dict], content: str) -> dict:
    hits = [r for r in rows if r["text"] == content]
    assert hits, f"no quotation {content!r} in {[r['text'] for r in rows]}"
    return hits[0]


# (text, content, kind, speaker_text, cue): one expected quotation per case.
CASES = [
    # direct quotes, cue after
    ('"We will win," Smith said.', "We will win,", "direct", "Smith", "said"),
    ("“We will win,” Smith said.", "We will win,", "direct", "Smith", "said"),
    ("“We will win,” said Smith.", "We will win,", "direct", "Smith", "said"),
    ("“We will win,” John Smith, the party leader, said on Monday.", "We will win,", "direct", "John Smith",
     "said"),
    ("“Prices will rise,” a spokesman for the company said.", "Prices will rise,", "direct",
     "a spokesman for the company", "said"),
    ("“Nobody was hurt,” police said.", "Nobody was hurt,", "direct", "police", "said"),
    ("“It is over,” officials said on Tuesday.", "It is over,", "direct", "officials", "said"),
    ("“It is a disgrace,” she told reporters.", "It is a disgrace,", "direct", "she", "told"),
    ("“Why now?” Mary Jones asked.", "Why now?", "direct", "Mary Jones", "asked"),
    ("“Stop it!” the crowd shouted.", "Stop it!", "direct", "the crowd", "shouted"),
    ("“We are ready,” the minister wrote on Twitter.", "We are ready,", "direct", "the minister", "wrote"),
    ("“We are ready,” the minister tweeted.", "We are ready,", "direct", "the minister", "tweeted"),
    ("“The law is clear,” the judge insisted.", "The law is clear,", "direct", "the judge", "insisted"),
    ("“That is false,” the senator claimed.", "That is false,", "direct", "the senator", "claimed"),
    ("“We need more time,” the mayor added.", "We need more time,", "direct", "the mayor", "added"),
    ("“The deal is done,” the company stated.", "The deal is done,", "direct", "the company", "stated"),
    ("“I was wrong,” Brown admitted.", "I was wrong,", "direct", "Brown", "admitted"),
    ("“Nothing has changed,” Garcia noted.", "Nothing has changed,", "direct", "Garcia", "noted"),
    ("“Taxes will go up,” Lee warned.", "Taxes will go up,", "direct", "Lee", "warned"),
    # cue before, colon introductions
    ("Smith said: “We will win.”", "We will win.", "direct", "Smith", "said"),
    ("The president told the crowd: “This is our moment.”", "This is our moment.", "direct",
     "The president", "told"),
    ("In a statement, the company said: “We regret the error.”", "We regret the error.", "direct",
     "the company", "said"),
    ("Smith said, “We will win.”", "We will win.", "direct", "Smith", "said"),
    ("The mayor added:\n\n“We will rebuild.”", "We will rebuild.", "direct", "The mayor", "added"),
    # according to
    ("According to the report, “the plant was unsafe.”", "the plant was unsafe.", "direct", "the report",
     "According to"),
    # pronoun speakers
    ("Tom Cruise arrived late. “I love this city,” he said.", "I love this city,", "direct", "he", "said"),
    ("Ann Lee spoke first. “We are united,” she said.", "We are united,", "direct", "she", "said"),
    ("“We did our best,” they said.", "We did our best,", "direct", "they", "said"),
    # partial quotes inside a sentence
    ("A judge accused her of being “guilty of sustained duplicity”.", "guilty of sustained duplicity",
     "direct", "A judge", "accused"),
    ("The senator called the plan “a disaster” on Monday.", "a disaster", "direct", "The senator", "called"),
    ("Critics described the law as “deeply flawed”.", "deeply flawed", "direct", "Critics", "described"),
    # split by the cue: one quotation running over the cue
    ("“Fine,” he said, “but only if Tom Cruise can be the actor.”",
     "Fine,” he said, “but only if Tom Cruise can be the actor.", "direct", "he", "said"),
    ("“We will win,” Smith said. “And we will win big.”", "We will win,” Smith said. “And we will win big.",
     "direct", "Smith", "said"),
    # nested single quotes are part of the one quotation
    ("“A friend said, ‘Why don’t we do a movie?’ I agreed,” Tsvetkov told the outlet.",
     "A friend said, ‘Why don’t we do a movie?’ I agreed,", "direct", "Tsvetkov", "told"),
    ("“He told me ‘never again’ and left,” Ortiz said.", "He told me ‘never again’ and left,", "direct",
     "Ortiz", "said"),
    # single marks at the top level, and headline labels
    ("Critics call it the ‘nuclear option’ in private.", "nuclear option", "direct", "Critics", "call"),
    ("Obama: ‘We will not back down’ on climate.", "‘We will not back down’ on climate", "mixed", "Obama",
     ":"),
    # guillemets
    ("«Nous gagnerons», said Dupont.", "Nous gagnerons", "direct", "Dupont", "said"),
    # dash bylines
    ("“The most unqualified candidate ever.” ― Maria Lopez", "The most unqualified candidate ever.",
     "direct", "Maria Lopez", "―"),
    # transcript lines
    ('"WALLACE: Will she be there?', "Will she be there?", "direct", "WALLACE", ":"),
    # indirect speech
    ("Tsvetkov said he learned of the relationship from friends.",
     "he learned of the relationship from friends", "indirect", "Tsvetkov", "said"),
    ("The minister said that the talks had failed.", "that the talks had failed", "indirect",
     "The minister", "said"),
    ("The company told investors that profits would fall.", "that profits would fall", "indirect",
     "The company", "told"),
    ("Police said the suspect fled on foot.", "the suspect fled on foot", "indirect", "Police", "said"),
    ("The talks have failed, a diplomat said.", "The talks have failed", "indirect", "a diplomat", "said"),
    ("The bridge will close in May, officials said on Friday.", "The bridge will close in May", "indirect",
     "officials", "said"),
    ("She claimed the vote was rigged.", "the vote was rigged", "indirect", "She", "claimed"),
    ("The report found that emissions rose sharply.", "that emissions rose sharply", "indirect",
     "The report", "found"),
    ("He argued that the tax was unfair to farmers.", "that the tax was unfair to farmers", "indirect", "He",
     "argued"),
    ("The governor warned that the storm could be deadly.", "that the storm could be deadly", "indirect",
     "The governor", "warned"),
    ("Smith denied that he had taken the money.", "that he had taken the money", "indirect", "Smith",
     "denied"),
    ("According to the police, the driver was drunk.", "the driver was drunk", "indirect", "the police",
     "According to"),
    ("The driver was drunk, according to the police.", "The driver was drunk", "indirect", "the police",
     "according to"),
    ("A spokesman for the ministry said the army would withdraw.", "the army would withdraw", "indirect",
     "A spokesman for the ministry", "said"),
    ("Jones, who said the plan would fail, left early.", "the plan would fail", "indirect", "who", "said"),
    # stance verbs: what they attribute is their object
    ("The union urged members to reject the offer.", "members to reject the offer", "indirect", "The union",
     "urged"),
    ("The mayor wants to build a new stadium downtown.", "to build a new stadium downtown", "indirect",
     "The mayor", "wants"),
    ("The senator called on the president to resign immediately.", "the president to resign immediately",
     "indirect", "The senator", "called on"),
    ("Clinton cited derogatory comments Trump had made about Machado.",
     "derogatory comments Trump had made about Machado", "indirect", "Clinton", "cited"),
    # mixed: a reported clause holding a partial quote
    ("A source said they were “inseparable” at the party.", "they were “inseparable” at the party", "mixed",
     "A source", "said"),
    ("Reporters checked Smith’s claim that the city had “thousands of shootings” this year.",
     "that the city had “thousands of shootings” this year", "mixed", "Smith", "claim"),
    ("The mayor said the city was “ready for anything” this winter.",
     "the city was “ready for anything” this winter", "mixed", "The mayor", "said"),
]


@pytest.mark.parametrize(("text", "content", "kind", "speaker", "cue"), CASES)
def test_quotation_table(nlp, text, content, kind, speaker, cue):
    rows, _ = run(nlp, text)
    row = find(rows, content)
    assert row["kind"] == kind
    assert row["speaker_text"] == speaker
    if cue is not None:
        assert row["cue"] == cue


def test_at_least_sixty_cases():
    assert len(CASES) >= 60


def test_quote_only_paragraph_inherits_previous_speaker(nlp):
    text = "“I was there,” Mr. Lopez said.\n\n“It was the worst day of my life.”"
    rows, _ = run(nlp, text)
    second = find(rows, "It was the worst day of my life.")
    assert second["speaker_text"] == "Lopez" or second["speaker_text"] == "Mr. Lopez"
    assert second["speaker_start_char"] == find(rows, "I was there,")["speaker_start_char"]


@pytest.mark.parametrize("between", [
    "The mayor spoke next.",                                   # someone is given the floor
    "Then Mary Jones took the microphone.",                    # another person is the subject
])
def test_a_bare_quotation_after_someone_else_comes_in_is_not_the_earlier_speakers(nlp, between):
    text = f"“I was there,” Mr. Lopez said.\n\n{between}\n\n“It was the worst day of my life.”"
    rows, _ = run(nlp, text)
    assert find(rows, "It was the worst day of my life.")["speaker_text"] not in ("Lopez", "Mr. Lopez")


def test_a_bare_quotation_after_the_speaker_pauses_is_still_his(nlp):
    text = "“I was there,” Mr. Lopez said.\n\nHe paused. Lopez looked down.\n\n“It was the worst day of my life.”"
    rows, _ = run(nlp, text)
    assert find(rows, "It was the worst day of my life.")["speaker_text"] in ("Lopez", "Mr. Lopez")


def test_who_speaks_for_the_name_its_title_describes(nlp):
    text = ("The firm was led by Alan Greenberg, the legendary chairman of Bear Stearns, who said "
            "“we never took the bailout.”")
    rows, names = run(nlp, text)
    row = find(rows, "we never took the bailout.")
    assert row["speaker_text"] == "who" and names[row["speaker_entity_id"]] == "Alan Greenberg"


def test_unclosed_paragraph_runs_on_into_the_next(nlp):
    text = "Mr. Ortiz said: “We lost everything that night.\n\n“Then we started again.”\n\nThe rain stopped."
    rows, _ = run(nlp, text)
    assert len(rows) == 1
    row = rows[0]
    assert row["text"].startswith("We lost everything") and row["text"].endswith("started again.")
    assert row["speaker_text"] in ("Ortiz", "Mr. Ortiz")


def test_unnamed_source_keeps_text_and_offsets_without_entity(nlp):
    text = "“He seemed to be besotted with her,” a source said."
    rows, _ = run(nlp, text)
    row = find(rows, "He seemed to be besotted with her,")
    assert row["speaker_text"] == "a source" and row["speaker_entity_id"] is None
    assert text[row["speaker_start_char"]:row["speaker_end_char"]] == "a source"


def test_named_speaker_resolves_to_entity(nlp):
    rows, entity_names = run(nlp, "“We will win,” said Hillary Clinton on Monday.")
    row = find(rows, "We will win,")
    assert entity_names.get(row["speaker_entity_id"]) == "Hillary Clinton"


def test_pronoun_speaker_resolves_to_the_last_person_named(nlp):
    text = "Hillary Clinton spoke to The Telegraph in London.\n\n“I was shocked,” she said."
    rows, entity_names = run(nlp, text)
    row = find(rows, "I was shocked,")
    assert row["speaker_text"] == "she"
    assert entity_names.get(row["speaker_entity_id"]) == "Hillary Clinton"


def test_no_quotes_in_plain_narrative(nlp):
    rows, _ = run(nlp, "The bridge was built in 1932. It spans the river near the old mill.")
    assert rows == []


def test_apostrophes_are_not_quotes(nlp):
    rows, _ = run(nlp, "The ‘90s were good to rock’n’roll and to Smith’s band.")
    assert rows == []


def test_row_shape_ids_and_offsets(nlp):
    text = "“We will win,” Smith said. Officials said the vote was fair."
    rows, _ = run(nlp, text)
    assert rows
    for row in rows:
        assert set(row) == set(spec("quotations").column_names)
        assert row["quote_id"] == span_id_for("Q", "d1", row["start_char"], row["end_char"])
        assert text[row["start_char"]:row["end_char"]] == row["text"]
        assert text[row["speaker_start_char"]:row["speaker_end_char"]] == row["speaker_text"]


def test_seed_quotations(nlp, seed_body):
    rows, entity_names = run(nlp, seed_body)
    judge = next(r for r in rows if r["text"] == "guilty of sustained duplicity")
    assert judge["speaker_text"] == "a judge" and judge["speaker_entity_id"] is None
    for words in ("inseparable", "clearly a couple", "He seemed to be besotted with her."):
        row = next(r for r in rows if words in r["text"])
        assert row["speaker_text"] == "a source" and row["speaker_entity_id"] is None
    long_quotes = [r for r in rows if r["text"].startswith(("After the judgement", "When I was at school"))]
    assert len(long_quotes) == 2
    assert all(entity_names.get(r["speaker_entity_id"]) == "Dmitry Tsvetkov" for r in long_quotes)
    learned = next(r for r in rows if r["text"].startswith("he learned of the alleged relationship"))
    assert learned["kind"] == "indirect"
    assert entity_names.get(learned["speaker_entity_id"]) == "Dmitry Tsvetkov"


# ---------------------------------------------------------------- properties

_WORDS = st.sampled_from(["He", "said", "the", "plan", "was", "“", "”", '"', "‘", "’", "good", ",", ".",
                          "Smith", "told", "them", ":", "\n\n", "that", "it", "failed", "'", "«", "»"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_WORDS, min_size=1, max_size=40))
def test_spans_exclude_marks_and_never_overlap(nlp, words):
    text = " ".join(words)
    rows, _ = run(nlp, text)
    spans = sorted((r["start_char"], r["end_char"]) for r in rows)
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        assert end <= start
    for r in rows:
        assert text[r["start_char"]:r["end_char"]] == r["text"] and r["text"]
        if r["kind"] == "direct":
            assert r["text"][0] not in DOUBLE_MARKS and r["text"][-1] not in DOUBLE_MARKS
        if r["speaker_start_char"] is not None:
            assert text[r["speaker_start_char"]:r["speaker_end_char"]] == r["speaker_text"]


ADDRESSEE_COLUMNS = frozenset({"quote_id", "doc_id", "start_char", "end_char", "text", "speaker_entity_id",
                               "speaker_text", "speaker_start_char", "speaker_end_char", "cue", "kind",
                               "addressee_text", "addressee_entity_id", "addressee_start_char",
                               "addressee_end_char"})


@pytest.mark.parametrize(("text", "content", "addressee"), [
    ("“It was a shock,” Tsvetkov told the outlet.", "It was a shock,", "the outlet"),
    ("In an interview with The Telegraph, Tsvetkov said he learned of it from friends.",
     "he learned of it from friends", "The Telegraph"),
    ("“I would,” Melanie said to the TV.", "I would,", "the TV"),
    ("The minister told reporters that the talks had failed.", "that the talks had failed", "reporters"),
    ("“We will win,” Smith said.", "We will win,", None),
])
def test_addressee_of_the_quotation(nlp, text, content, addressee):
    rows, _ = run(nlp, text)
    assert set(rows[0]) >= ADDRESSEE_COLUMNS
    row = find(rows, content)
    assert row["addressee_text"] == addressee
    if addressee is not None:
        assert text[row["addressee_start_char"]:row["addressee_end_char"]] == addressee


def test_addressee_comes_from_the_declared_schema(nlp):
    rows, _ = run(nlp, "“It was a shock,” Tsvetkov told the outlet.")
    assert rows and rows[0]["addressee_text"] == "the outlet"


@pytest.mark.parametrize("text", [
    "The senator appeared on CNN’s “State of the Union” on Sunday.",
    "She was interviewed on “Fox News Sunday” last week.",
    "His new book “The Art of the Deal” sold well.",
])
def test_titles_in_marks_are_not_quotations(nlp, text):
    rows, _ = run(nlp, text)
    assert [r for r in rows if r["kind"] == "direct"] == []


@pytest.mark.parametrize(("text", "speaker", "kind"), [
    ("“We will fight,” they said.", "they", "pronoun"),
    ("“No comment,” a source said.", "a source", "phrase"),
    ("“Yes,” Tom Cruise said.", "Tom Cruise", "entity"),
    ("Tom Cruise arrived. “Yes,” he said.", "he", "pronoun"),
])
def test_speaker_kind_says_how_the_speaker_is_written(nlp, text, speaker, kind):
    rows, _ = run(nlp, text)
    (row,) = [r for r in rows if r["kind"] == "direct"]
    assert (row["speaker_text"], row["speaker_kind"]) == (speaker, kind)
