"""The time grammar's data file is checked when it loads: every rule names its false-friend filters
(`filters: []` for none) and each name is a filter dates.py registers."""

from __future__ import annotations

import copy
from datetime import date

import pytest

import broadsheet
from broadsheet.extract import dates
from broadsheet.extract.dates import FALSE_FRIEND_FILTERS, compile_rules
from broadsheet.extract.lexicon import LexiconError, load_yaml


def _grammar_with(name: str, **changes) -> dict:
    """A copy of the shipped grammar with one rule changed (None removes a key)."""
    spec = copy.deepcopy(load_yaml("time_rules.yaml"))
    rule = next(r for r in spec["rules"] if r["name"] == name)
    for key, value in changes.items():
        if value is None:
            rule.pop(key, None)
        else:
            rule[key] = value
    return spec


def test_the_shipped_grammar_names_only_known_filters():
    spec = load_yaml("time_rules.yaml")
    assert all("filters" in r for r in spec["rules"])
    named = {f for r in spec["rules"] for f in r["filters"]}
    assert named == set(FALSE_FRIEND_FILTERS)  # every registered filter is used by some rule
    month_alone = next(r for r in dates.rules() if r.name == "month_alone")
    assert [FALSE_FRIEND_FILTERS["inside_name"], FALSE_FRIEND_FILTERS["modal_or_verb"]] == list(month_alone.filters)


def test_a_rule_naming_an_unknown_filter_fails_at_load():
    spec = _grammar_with("month_alone", filters=["inside_name", "no_such_filter"])
    with pytest.raises(LexiconError, match=r"rule 'month_alone' names unknown filter\(s\) 'no_such_filter'"):
        compile_rules(spec)


def test_a_rule_without_a_filters_list_fails_at_load():
    spec = _grammar_with("holiday", filters=None)
    with pytest.raises(LexiconError, match=r"rule 'holiday' has no `filters` list"):
        compile_rules(spec)


def test_a_rule_naming_an_unknown_norm_fails_at_load():
    with pytest.raises(LexiconError, match="unknown norm 'no_such_norm'"):
        compile_rules(_grammar_with("holiday", norm="no_such_norm"))


def test_no_filter_is_an_explicit_choice_and_the_data_decides(nlp):
    """The same grammar with month_alone's filters removed takes the modal "May" for a month: the
    filtering is the data's, not a branch on the rule's name."""
    text = "May we all be so lucky, he said in May."
    assert [t.text for t in broadsheet.analyze(text, date(2023, 12, 14), nlp=nlp).time_expressions] == ["May"]
    doc = nlp(text)
    unfiltered = compile_rules(_grammar_with("month_alone", filters=[]))
    rule = next(r for r in unfiltered if r.name == "month_alone")
    candidates = [m for m in dates.find_candidates(text) if m.rule.name == "month_alone"]
    assert [text[m.start:m.end] for m in candidates] == ["May", "May"]
    modal = candidates[0]
    span = doc.char_span(modal.start, modal.end)
    assert dates.is_false_friend(modal, span)  # the shipped rule filters the modal
    assert not dates.is_false_friend(dates.Match(modal.start, modal.end, rule, modal.groups), span)
