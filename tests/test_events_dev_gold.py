"""The events extractor on the dev gold: 40 whole polnear-train articles (every 21st file) annotated from
their text by ../shared/eval/EVENTS-GUIDE.md before the extractor's output was looked at, graded by the
scorer that grades held-out news (a copy in tests/eval/). Floors sit a little under what the extractor
reaches, so a regression in triggers, types, participants or dates fails CI."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest
from conftest import REPO, load_eval_scorer, write_parquet_tables

import broadsheet

GOLD = REPO / "tests" / "data" / "events_dev_gold.jsonl"
SCORER = REPO / "tests" / "eval" / "events_score.py"
SHARED_SCORER = REPO.parent / "shared" / "eval" / "events_score.py"


def _write_run(gold: list[dict], nlp, root) -> None:
    """The tables the scorer reads, as `broadsheet run` would write them for these articles."""
    analyses = [broadsheet.analyze(g["body"], g["date"], nlp=nlp) for g in gold]
    tables = {"documents": pa.table({"doc_id": [a.doc_id for a in analyses], "source": [g["source"] for g in gold],
                                     "text": [a.text for a in analyses]})}
    for name in ("events", "event_participants", "entities"):
        tables[name] = pa.concat_tables([a.to_arrow(name) for a in analyses])
    write_parquet_tables(tables, root)


def test_the_dev_gold_scores_stay_above_their_floors(nlp, tmp_path):
    gold = [json.loads(line) for line in GOLD.open(encoding="utf-8")]
    assert len(gold) == 40
    _write_run(gold, nlp, tmp_path)
    result = load_eval_scorer("events_score").score(gold, tmp_path)
    assert result["docs_aligned"] == 40
    print({"trigger_f1": result["trigger"]["f1"], "participant_recall": result["participant_recall"],
           "date_acc": result["date_acc"]})
    assert result["trigger"]["f1"] >= 0.79
    assert result["type_acc"] >= 0.95
    assert result["participant_recall"] >= 0.68
    assert result["date_acc"] >= 0.78


@pytest.mark.skipif(not SHARED_SCORER.is_file(), reason="../shared/eval is not beside this clone")
def test_the_scorer_copy_is_the_shared_scorer():
    copy = SCORER.read_text(encoding="utf-8").split("\n", 3)[3]  # after the two-line note and a blank line
    assert copy == SHARED_SCORER.read_text(encoding="utf-8")
