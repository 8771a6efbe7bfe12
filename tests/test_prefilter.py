"""Necessary literals: a text that fails the prefilter never holds a match of the pattern."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.extract import dates
from broadsheet.extract.prefilter import Lines, first_char_guard, necessary_literal_sets, necessary_literals


def test_literals_of_simple_patterns():
    assert necessary_literals(re.compile(r"(?:ab|cd)\s+x")) == {"ab", "cd"}
    assert necessary_literals(re.compile(r"(?<!q)weekend")) == {"weekend"}  # lookarounds are ignored
    assert necessary_literals(re.compile(r"\d+(?:st|nd)?")) is None  # an optional part needs nothing
    assert necessary_literals(re.compile(r"(?:foo|\d)")) is None  # one alternative without a literal
    assert necessary_literals(re.compile(r"(?:ab)+", re.I)) == {"ab"}
    assert necessary_literals(re.compile(r"(?:[A-Z]x|y)")) == {"x", "y"}


def test_literal_sets_hold_together():
    pattern = re.compile(r"(?:\d+|few)\s+(?:days?|weeks?|january|jan)\s+(?:before|on)")
    assert necessary_literal_sets(pattern) == (frozenset({"day", "week", "jan"}), frozenset({"before", "on"}))
    assert necessary_literal_sets(re.compile(r"\d+")) == ()


def test_an_alternative_holding_a_literal_of_another_adds_nothing():
    assert necessary_literal_sets(re.compile(r"for\s+now|right\s+now|now|soon")) == (frozenset({"now", "soon"}),)


def test_first_char_guard_keeps_the_pattern():
    assert first_char_guard(re.compile(r"(?:ab|cd)x", re.I)).pattern == "(?=[ac])(?:(?:ab|cd)x)"
    assert first_char_guard(re.compile(r"a|\d")).pattern == r"(?=[a\d])(?:a|\d)"  # the guard covers both
    for unguarded in (r"a?", r"[^a]x", r"(?i:a)b", r".x", r"(a)?\1"):
        assert first_char_guard(re.compile(unguarded)).pattern == unguarded


def test_the_longest_shortest_literal_wins():
    assert necessary_literals(re.compile(r"(?:a|b) quarter")) == {" quarter"}


def _may_match(literals: frozenset[str] | None, folded: str) -> bool:
    return literals is None or any(s in folded for s in literals)


def test_case_is_folded():
    literals = necessary_literals(re.compile(r"(?-i:MONDAY)"))
    assert _may_match(literals, "see you on monday".casefold())
    assert not _may_match(literals, "see you on friday".casefold())


PIECES = ["January", "Jan.", "may", "Monday", "mon", "the", "last", "next", "year", "years", "ago", "week",
          "2023", "1996", "12", "9/11", "a", "half", "quarter", "Q3", "fiscal", "today", "tonight", "noon",
          "3 p.m.", "spring", "'90s", "century", "every", "daily", "earlier", "later", "recent", "for",
          "long", "now", "-", ",", ".", "(", ")", "of", "on", "and", "Christmas", "few", "weekend", "ÉTÉ"]


def test_lines_ranges_cover_the_lines_holding_a_literal():
    text = "Nothing here.\nMonday came.\nThen Tuesday.\nno\nSTRASSE on Friday"
    lines = Lines(text)
    finder = frozenset({"monday", "tuesday", "friday"})
    assert [text[s:e] for s, e in lines.ranges(finder)] == ["Monday came.\n", "Then Tuesday.\n", "STRASSE on Friday"]
    assert len(lines.ranges(None)) == 5
    assert lines.ranges(frozenset({"sunday"})) == []


def test_ranges_survive_case_folding_that_changes_lengths():
    text = "Straße ßß ßß\nmeet on MONDAY"  # ß folds to "ss": the folded text is longer
    (start, end), = Lines(text).ranges(frozenset({"monday"}))
    assert text[start:end] == "meet on MONDAY"


def _full_scan(text: str) -> list[tuple[str, int, int]]:
    """Every rule over every line, without the literal filter."""
    found, start = [], 0
    for line in text.split("\n"):
        end = min(len(text), start + len(line) + 1)
        for rule in dates.rules():
            for mo in rule.regex.finditer(text, start, end):
                if "\n" not in mo.group() and not (rule.before or rule.before_not or rule.after_not):
                    found.append((rule.name, *mo.span()))
        start = end
    return sorted(found)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12))
def test_prefilter_never_hides_a_time_rule_match(words):
    text = " ".join(words)
    folded = text.casefold()
    for rule in dates.rules():
        if rule.regex.search(text):
            assert _may_match(necessary_literals(rule.regex), folded), (rule.name, text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*PIECES, "\n", "\n\n"]), min_size=1, max_size=20))
def test_line_filtered_candidates_equal_the_full_scan(words):
    text = " ".join(words)
    filtered = sorted((m.rule.name, m.start, m.end) for m in dates.find_candidates(text)
                      if not (m.rule.before or m.rule.before_not or m.rule.after_not))
    assert filtered == _full_scan(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12))
def test_every_literal_set_is_in_every_match(words):
    text = " ".join(words)
    for rule in dates.rules():
        for mo in rule.regex.finditer(text):
            folded = mo.group().casefold()
            for literals in necessary_literal_sets(rule.regex):
                assert any(s in folded for s in literals), (rule.name, mo.group(), literals)


# glued without spaces too, and with characters whose case folding is special (long s, Kelvin sign)
GLUE = [" ", " ", "\n", "ß", "ſ", "\u212a", "İ", "’", "3:30"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*PIECES, *GLUE]), max_size=30).map("".join))
def test_guarded_rules_find_the_same_matches(text):
    for rule in dates.rules():
        expected = [(mo.span(), mo.groupdict()) for mo in rule.regex.finditer(text)]
        assert [(mo.span(), mo.groupdict()) for mo in rule.scanner.finditer(text)] == expected, rule.name
