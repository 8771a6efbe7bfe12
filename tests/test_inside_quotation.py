"""One definition of "inside a quotation" (broadsheet.extract.quotes.quoted_ranges / in_quotation), used by
quotes for its cues and speakers and by names to leave pronouns inside quotations unresolved."""

from __future__ import annotations

import pytest

import broadsheet
from broadsheet.extract.quotes import in_quotation, quoted_ranges


def _inside(text: str, word: str, closed_only: bool = False, nth: int = 0) -> bool:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return in_quotation(quoted_ranges(text, closed_only), start)


@pytest.mark.parametrize("text", [
    "He said “we will win” on Monday.",  # curly
    'He said "we will win" on Monday.',  # straight
    "He said ''we will win'' on Monday.",  # two apostrophes, as in PTB-style text
    "He said «we will win» on Monday.",  # guillemets
])
def test_the_words_between_the_marks_are_inside_and_the_others_are_not(text):
    assert _inside(text, "we") and _inside(text, "win")
    assert not _inside(text, "He") and not _inside(text, "Monday")
    (start, end), = quoted_ranges(text)
    assert text[start] in "“\"'«" and text[end - 1] in "”\"'»"  # the marks belong to the quotation


def test_single_marks_inside_double_ones_are_part_of_the_one_quotation():
    text = "“He told me ‘never again’ twice,” she said, and ‘left’ it there."
    assert len([r for r in quoted_ranges(text) if r[0] == 0]) == 1
    assert _inside(text, "never") and _inside(text, "twice")
    assert not _inside(text, "she")
    assert _inside(text, "left")  # a single-quoted word at the top level is a quotation of its own


def test_apostrophes_are_not_quotation_marks():
    text = "They don’t remember the ‘90s, said O’Brien’s aide."
    assert quoted_ranges(text) == []
    assert not _inside(text, "remember") and not _inside(text, "aide")


def test_an_unclosed_quotation_runs_to_its_paragraph_end_and_no_further():
    text = "He said “we will win this state.\n\nThen he flew to Texas, where “it went well,” aides said."
    assert _inside(text, "state")
    assert not _inside(text, "Then") and not _inside(text, "Texas")
    assert _inside(text, "went")
    # names asks for closed quotations only: the paragraph of a quotation left open stays narration
    assert not _inside(text, "state", closed_only=True)
    assert _inside(text, "went", closed_only=True)


def test_an_unbalanced_mark_does_not_pair_with_one_paragraphs_later():
    text = "He said “we will win.\n\nHe left for Texas.\n\nAn aide said: “It went well.”"
    assert not _inside(text, "left")
    assert _inside(text, "It")


def _pronoun_links(nlp, text: str) -> dict[int, str]:
    analysis = broadsheet.analyze(text, nlp=nlp)
    names = {e.entity_id: e.name for e in analysis.entities}
    return {m.start_char: names[m.entity_id] for m in analysis.mentions if m.mention_kind == "pronoun"}


def test_names_leaves_pronouns_inside_quotations_and_resolves_those_after_an_unclosed_one(nlp):
    quoted = "Donald Trump spoke in Ohio on Monday. ''He is a disaster,'' Trump said of his rival. He then left."
    links = _pronoun_links(nlp, quoted)
    assert quoted.index("He is") not in links  # the quoted "He" is the rival, seen from Trump's view
    assert links[quoted.index("He then")] == "Donald Trump"
    # a mark left open in one paragraph no longer hides the paragraphs up to the next closing mark
    unclosed = ("Donald Trump spoke in Ohio on Monday.\n\n“We will win this state, Trump told the crowd.\n\n"
                "He then flew to Texas.\n\nAn aide said: “It went well.”")
    assert _pronoun_links(nlp, unclosed)[unclosed.index("He then")] == "Donald Trump"
