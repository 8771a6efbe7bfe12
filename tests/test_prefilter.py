"""Necessary literals: a text that fails the prefilter never holds a match of the pattern."""

from __future__ import annotations

import functools
import json
import re
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.extract import dates, prefilter
from broadsheet.extract.prefilter import Lines, first_char_guard, necessary_literal_sets, necessary_literals

DATA = Path(__file__).parent / "data"


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


# ---------------------------------------------------------------- without the private regex parser

def test_the_private_parser_reads_as_expected_on_this_python():
    """On every supported Python (3.11-3.13) the analysis is on: else the time rules silently run slower."""
    assert prefilter.canary_reads()
    assert prefilter.ANALYSIS


def _candidates(text: str) -> list[tuple]:
    return [(m.rule.name, m.start, m.end, tuple(sorted(m.groups.items())), m.text_before)
            for m in dates.find_candidates(text)]


@functools.cache
def _fallback_rules() -> tuple:
    """The time rules compiled as on a Python without `re._parser` (or whose trees read differently)."""
    saved = prefilter.ANALYSIS
    prefilter.ANALYSIS = False
    dates.rules.cache_clear()
    try:
        return dates.rules()
    finally:
        prefilter.ANALYSIS = saved
        dates.rules.cache_clear()


@contextmanager
def _fallback():
    """dates as it runs without the analysis (the rules are compiled once: it takes a second)."""
    original, fallback = dates.rules, _fallback_rules()
    dates.rules = lambda: fallback
    try:
        yield
    finally:
        dates.rules = original


def test_fallback_has_no_filter_and_no_guard(monkeypatch):
    assert all(rule.needs == () and rule.scanner is rule.regex for rule in _fallback_rules())
    assert any(rule.needs for rule in dates.rules()) and prefilter.ANALYSIS  # the analysis is back
    monkeypatch.setattr(prefilter, "ANALYSIS", False)
    pattern = re.compile(r"(?:ab|cd)\s+x", re.I)
    assert necessary_literals(pattern) is None
    assert necessary_literal_sets(pattern) == ()
    assert first_char_guard(pattern) is pattern


def test_a_parser_without_the_expected_trees_fails_the_canary(monkeypatch):
    class Moved:  # a future re._parser whose trees hold other things
        @staticmethod
        def parse(pattern, flags=0):
            return [("LITERAL", 97)]

    monkeypatch.setattr(prefilter, "_parser", Moved)
    assert not prefilter.canary_reads()
    monkeypatch.setattr(prefilter, "_parser", None)  # a Python without it
    assert not prefilter.canary_reads()


def _texts() -> list[str]:
    seeds = Path(__file__).resolve().parents[1] / "seeds"
    gold = [json.loads(line)["text"] for line in (DATA / "events_gold.jsonl").read_text().splitlines() if line]
    return [*(p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))), "\n\n".join(gold), *gold]


def test_fallback_finds_the_same_candidates_on_real_text():
    texts = _texts()
    expected = [_candidates(t) for t in texts]
    assert sum(map(len, expected)) > 100
    with _fallback():
        assert [_candidates(t) for t in texts] == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([*PIECES, *GLUE, "\n\n"]), max_size=30).map(" ".join))
def test_fallback_finds_the_same_candidates(text):
    expected = _candidates(text)
    with _fallback():
        assert _candidates(text) == expected


@pytest.mark.parametrize("published", [date(2023, 12, 14), None])
def test_fallback_gives_the_same_time_expressions(nlp, seed_body, published):
    from test_dates import CASES

    texts = [seed_body, *(c[0] for c in CASES)]
    docs = list(nlp.pipe(texts))
    expected = [dates.extract_time_expressions(doc, "d", published) for doc in docs]
    with _fallback():
        assert [dates.extract_time_expressions(doc, "d", published) for doc in docs] == expected
