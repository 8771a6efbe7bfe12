"""The one loader of the extractors' data files (broadsheet.extract.lexicon)."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.extract import lexicon
from broadsheet.extract.lexicon import LexiconError, data_text, load_tsv, load_yaml, threshold

DATA = Path(lexicon.__file__).parent / "data"


def test_yaml_is_the_file_parsed_and_read_once():
    rules = load_yaml("time_rules.yaml")
    assert {"fragments", "rules"} <= set(rules)
    assert any(r["name"] == "month_alone" for r in rules["rules"])
    assert load_yaml("time_rules.yaml") is rules  # cached: a second call reads nothing
    assert data_text("time_rules.yaml") == (DATA / "time_rules.yaml").read_text(encoding="utf-8")


def test_every_data_file_loads():
    for path in sorted(DATA.iterdir()):
        loaded = load_yaml(path.name) if path.suffix == ".yaml" else load_tsv(path.name)
        assert loaded, path.name


def test_tsv_rows_leave_out_comments_and_blank_lines():
    rows = load_tsv("names_places.tsv")
    text = (DATA / "names_places.tsv").read_text(encoding="utf-8")
    assert text.startswith("#")  # the file documents itself in comment lines
    assert not any(row[0].startswith("#") for row in rows)
    assert len(rows) == sum(1 for line in text.splitlines() if line.strip() and not line.startswith("#"))
    assert ("Albania", "GPE", "country") in rows
    assert all(len(row) == 3 for row in rows)
    assert load_tsv("names_places.tsv") is rows


def test_a_missing_file_names_itself():
    with pytest.raises(LexiconError, match="no_such_file.yaml"):
        load_yaml("no_such_file.yaml")


def test_thresholds_are_read_by_name_from_the_data_file():
    assert threshold("time_rules.yaml", "rule_context_chars") == load_yaml("time_rules.yaml")["thresholds"][
        "rule_context_chars"]
    assert threshold("names_lexicon.yaml", "pronoun_window_sentences") == 2
    assert threshold("event_grammar.yaml", "clause_steps") == load_yaml("event_grammar.yaml")["thresholds"][
        "clause_steps"]
    with pytest.raises(LexiconError, match="names_lexicon.yaml has no threshold `no_such_threshold`"):
        threshold("names_lexicon.yaml", "no_such_threshold")
