"""The amounts scorer (bench/score_amounts.py) on a tiny handmade gold and output folder; no extractor needed."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

REPO = Path(__file__).resolve().parents[1]


def _load_scorer():
    spec = importlib.util.spec_from_file_location("score_amounts", REPO / "bench" / "score_amounts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


scorer = _load_scorer()

TEXT_A = "Some 4,000 supporters gave $25 million for ads; 16 percent said so. Cruise, 61, left."
TEXT_B = "Thousands of people came, and three assassination attempts failed."
TEXT_C = "An article that is not in the gold: 5 people."


def _row(text: str, surface: str, value, unit, obj, kind, occurrence: int = 0) -> dict:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(surface, start + 1)
    return {"start": start, "end": start + len(surface), "text": surface, "value": value, "unit": unit,
            "object": obj, "kind": kind}


GOLD = [
    {"source": "a.txt", "doc_id": "docA", "published": "2024-03-01", "amounts": [
        _row(TEXT_A, "4,000", 4000.0, "people", "supporter", "count"),
        _row(TEXT_A, "$25 million", 25e6, "USD", "ad", "money"),
        _row(TEXT_A, "16 percent", 16.0, "percent", None, "percent"),
        _row(TEXT_A, "61", 61.0, "age", None, "age"),
    ]},
    {"source": "b.txt", "doc_id": "docB", "published": None, "amounts": [
        _row(TEXT_B, "Thousands", None, "people", "person", "count"),
        _row(TEXT_B, "three", 3.0, "count", "attempt", "count"),
    ]},
]


def _pred(doc_id: str, text: str, surface: str, value, unit, obj, kind) -> dict:
    row = _row(text, surface, value, unit, obj, kind)
    return {"doc_id": doc_id, "start_char": row["start"], "end_char": row["end"], "text": surface,
            "value": value, "unit": unit, "object": obj, "kind": kind, "entity_id": None, "event_id": None}


PREDICTED = [
    _pred("docA", TEXT_A, "4,000", 4000.0, "people", "supporter", "count"),    # all right
    _pred("docA", TEXT_A, "$25 million", 25000000.000001, "USD", None, "money"),  # object wrong
    _pred("docA", TEXT_A, "16", 16.0, "percent", None, "percent"),             # overlap only
    # "61" missed
    _pred("docB", TEXT_B, "Thousands", None, "count", "person", "count"),      # unit wrong
    _pred("docB", TEXT_B, "three", 3.0, "count", "attempt", "count"),          # all right
    _pred("docB", TEXT_B, "people", 1.0, "count", None, "count"),              # spurious
    _pred("docC", TEXT_C, "5", 5.0, "people", "person", "count"),              # not in the gold: ignored
]

AMOUNT_TYPES = pa.schema([("doc_id", pa.string()), ("start_char", pa.int64()), ("end_char", pa.int64()),
                          ("text", pa.string()), ("value", pa.float64()), ("unit", pa.string()),
                          ("object", pa.string()), ("kind", pa.string()), ("entity_id", pa.string()),
                          ("event_id", pa.string())])


def _write_hive(folder: Path, rows: list[dict], schema: pa.Schema, months: dict[str, str]) -> None:
    """Like broadsheet.store: one published_month=YYYY-MM folder per month."""
    for month in sorted(set(months.values())):
        part = folder / f"published_month={month}"
        part.mkdir(parents=True)
        chosen = [row for row in rows if months[row["doc_id"]] == month]
        pq.write_table(pa.Table.from_pylist(chosen, schema=schema), part / "part-0.parquet")


@pytest.fixture
def run_folder(tmp_path: Path) -> tuple[Path, Path]:
    gold_path = tmp_path / "gold.jsonl"
    gold_path.write_text("".join(json.dumps(article) + "\n" for article in GOLD), encoding="utf-8")
    out = tmp_path / "out"
    months = {"docA": "2024-03", "docB": "unknown", "docC": "2024-03"}
    documents = [{"doc_id": "docA", "source": "a.txt", "text": TEXT_A},
                 {"doc_id": "docB", "source": "b.txt", "text": TEXT_B},
                 {"doc_id": "docC", "source": "c.txt", "text": TEXT_C}]
    doc_schema = pa.schema([("doc_id", pa.string()), ("source", pa.string()), ("text", pa.string())])
    _write_hive(out / "documents", documents, doc_schema, months)
    _write_hive(out / "amounts", PREDICTED, AMOUNT_TYPES, months)
    return gold_path, out


def test_scores_a_tiny_run(run_folder):
    gold_path, out = run_folder
    gold = scorer.load_gold(gold_path)
    predictions, warnings = scorer.load_predictions(out, gold)
    assert warnings == []
    assert sorted(predictions) == ["docA", "docB"]
    result = scorer.score(gold, predictions)
    assert result["documents"] == 2
    exact, overlap = result["exact"], result["overlap"]
    assert (exact["matched"], exact["gold"], exact["pred"]) == (4, 6, 6)
    assert exact["precision"] == pytest.approx(4 / 6) and exact["recall"] == pytest.approx(4 / 6)
    assert overlap["matched"] == 5 and overlap["f1"] == pytest.approx(5 / 6)
    accuracy = result["accuracy"]
    assert accuracy["value"] == 1.0  # 25000000.000001 is within 1e-6 relative; null == null
    assert accuracy["unit"] == pytest.approx(3 / 4)
    assert accuracy["object"] == pytest.approx(3 / 4)
    assert accuracy["kind"] == 1.0
    assert result["per_kind"]["age"]["recall_exact"] == 0.0
    assert result["per_kind"]["percent"] == {"gold": 1, "recall_exact": 0.0, "recall_overlap": 1.0}
    assert result["per_kind"]["count"]["recall_exact"] == 1.0
    assert [row["text"] for row in result["missed"]] == ["16 percent", "61"]
    assert result["missed"][0]["overlaps"] == "16"
    assert [row["text"] for row in result["spurious"]] == ["16", "people"]


def test_missing_document_and_fallback_by_source(run_folder, tmp_path):
    gold_path, out = run_folder
    gold = scorer.load_gold(gold_path)
    gold[0]["doc_id"] = "stale-id"  # found again through its source file name
    gold.append({"source": "absent.txt", "doc_id": "docZ", "published": None,
                 "amounts": [{"start": 0, "end": 1, "text": "7", "value": 7.0, "unit": "count", "object": None,
                              "kind": "count"}]})
    predictions, warnings = scorer.load_predictions(out, gold)
    assert len(warnings) == 2
    assert sorted(predictions) == ["docB", "stale-id"]
    result = scorer.score(gold, predictions)
    assert result["exact"]["gold"] == 7 and result["exact"]["matched"] == 4
    assert result["missed"][-1]["source"] == "absent.txt"


def test_same_value():
    assert scorer.same_value(None, None)
    assert not scorer.same_value(None, 0.0)
    assert not scorer.same_value(24.0, None)
    assert scorer.same_value(0.5, 0.5000000001)
    assert not scorer.same_value(25e6, 25e5)
    assert not scorer.same_value(1.0, float("nan"))


def test_command_line(run_folder, capsys):
    gold_path, out = run_folder
    assert scorer.main([str(gold_path), str(out)]) == 0
    captured = capsys.readouterr()
    assert "span exact" in captured.out and "F1 0.667" in captured.out
    assert "missed spans (2" in captured.err and "'61'" in captured.err


def test_committed_gold_is_consistent():
    """Every committed gold row is well formed and sorted; offsets are checked against the corpus when present."""
    gold = scorer.load_gold(REPO / "tests" / "data" / "amounts_gold.jsonl")
    assert len(gold) == 20
    for article in gold:
        starts = [row["start"] for row in article["amounts"]]
        assert starts == sorted(starts)
        for row in article["amounts"]:
            assert row["kind"] in {"money", "percent", "count", "age"}
            assert row["end"] - row["start"] == len(row["text"])
            assert row["value"] is None or isinstance(row["value"], float)
    corpus = REPO.parent / "shared" / "corpora" / "polnear-train" / "inputs"
    if not corpus.is_dir():
        pytest.skip(f"{corpus} not here: offsets not checked against the article texts")
    from broadsheet.ingest import Article, discover_inputs, read_inputs

    files, _ = discover_inputs([str(corpus / article["source"]) for article in gold])
    texts = {a.source: a for a in read_inputs(files) if isinstance(a, Article)}
    for article in gold:
        body = texts[article["source"]]
        assert body.doc_id == article["doc_id"]
        for row in article["amounts"]:
            assert body.text[row["start"]:row["end"]] == row["text"]
