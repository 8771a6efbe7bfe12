"""Necessary literals: a text that fails the prefilter never holds a match of the pattern."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.extract import dates
from broadsheet.extract.prefilter import may_match, necessary_literals


def test_literals_of_simple_patterns():
    assert necessary_literals(re.compile(r"(?:ab|cd)\s+x")) == {"ab", "cd"}
    assert necessary_literals(re.compile(r"(?<!q)weekend")) == {"weekend"}  # lookarounds are ignored
    assert necessary_literals(re.compile(r"\d+(?:st|nd)?")) is None  # an optional part needs nothing
    assert necessary_literals(re.compile(r"(?:foo|\d)")) is None  # one alternative without a literal
    assert necessary_literals(re.compile(r"(?:ab)+", re.I)) == {"ab"}
    assert necessary_literals(re.compile(r"(?:[A-Z]x|y)")) == {"x", "y"}


def test_the_longest_shortest_literal_wins():
    assert necessary_literals(re.compile(r"(?:a|b) quarter")) == {" quarter"}


def test_case_is_folded():
    literals = necessary_literals(re.compile(r"(?-i:MONDAY)"))
    assert may_match(literals, "see you on monday".casefold())
    assert not may_match(literals, "see you on friday".casefold())


PIECES = ["January", "Jan.", "may", "Monday", "mon", "the", "last", "next", "year", "years", "ago", "week",
          "2023", "1996", "12", "9/11", "a", "half", "quarter", "Q3", "fiscal", "today", "tonight", "noon",
          "3 p.m.", "spring", "'90s", "century", "every", "daily", "earlier", "later", "recent", "for",
          "long", "now", "-", ",", ".", "(", ")", "of", "on", "and", "Christmas", "few", "weekend", "ÉTÉ"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12))
def test_prefilter_never_hides_a_time_rule_match(words):
    text = " ".join(words)
    folded = text.casefold()
    for rule in dates.rules():
        if rule.regex.search(text):
            assert may_match(rule.needs, folded), (rule.name, text)
