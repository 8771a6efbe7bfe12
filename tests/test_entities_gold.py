"""Entities on the entity gold: 15 whole polnear-train articles (every 56th file) annotated blind from their
text, graded by the scorer that grades held-out news (a copy in tests/eval/), after the corpus-level linking
a run does. Floors sit a little under what the extractor and linker reach, so a regression in mention
boundaries, clustering, cross-article links, canonical names or types fails CI."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest
from conftest import REPO, load_eval_scorer, write_parquet_tables

import broadsheet
from broadsheet.corpus import finish_tables
from broadsheet.tables import empty_table, table_specs

GOLD = REPO / "tests" / "data" / "entities_gold.jsonl"
SCORER = REPO / "tests" / "eval" / "entities_score.py"
SHARED_SCORER = REPO.parent / "shared" / "eval" / "entities_score.py"


def _write_run(gold: list[dict], nlp, root) -> None:
    """The tables the scorer reads, as `broadsheet run` would write them: each article extracted, then the
    corpus linked across articles (broadsheet.corpus.finish_tables)."""
    analyses = [broadsheet.analyze(g["body"], g["date"], nlp=nlp) for g in gold]
    tables = {name: empty_table(name) for name in table_specs()}
    for name in ("mentions", "quotations", "events", "event_participants", "amounts"):
        tables[name] = pa.concat_tables([a.to_arrow(name) for a in analyses])
    entities = pa.concat_tables([a.to_arrow("entities") for a in analyses]).to_pylist()
    unique = {e["entity_id"]: e for e in reversed(entities)}  # the first article's row wins, as in a run
    tables["entities"] = pa.Table.from_pylist(list(reversed(unique.values())), schema=tables["entities"].schema)
    linked = finish_tables(tables)
    linked["documents"] = pa.table({"doc_id": [a.doc_id for a in analyses], "source": [g["source"] for g in gold],
                                    "text": [a.text for a in analyses]})
    write_parquet_tables({name: linked[name] for name in ("documents", "entities", "mentions")}, root)


def test_the_entity_gold_scores_stay_above_their_floors(nlp, tmp_path):
    gold = [json.loads(line) for line in GOLD.open(encoding="utf-8")]
    assert len(gold) == 15
    _write_run(gold, nlp, tmp_path)
    result = load_eval_scorer("entities_score").score(gold, tmp_path)
    assert result["docs_aligned"] == 15
    exact = result["exact"]
    print({k: exact[k] for k in ("mention_recall", "canonical_acc", "type_acc")}, exact["b3"], exact["cross_doc"])
    assert exact["mention_recall"] >= 0.93
    assert exact["b3"]["f1"] >= 0.97
    assert exact["cross_doc"]["link_recall"] >= 0.78
    assert exact["cross_doc"]["false_merge_rate"] < 0.01
    assert exact["canonical_acc"] >= 0.96
    assert exact["type_acc"] >= 0.95


@pytest.mark.skipif(not SHARED_SCORER.is_file(), reason="../shared/eval is not beside this clone")
def test_the_scorer_copy_is_the_shared_scorer():
    copy = SCORER.read_text(encoding="utf-8").split("\n", 3)[3]  # after the two-line note and a blank line
    assert copy == SHARED_SCORER.read_text(encoding="utf-8")
