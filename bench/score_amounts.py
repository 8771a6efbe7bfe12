"""Score a run's `amounts` table against the hand-annotated gold (tests/data/amounts_gold.jsonl, issue 19).

    .venv/bin/python bench/score_amounts.py GOLD.jsonl OUTPUT_DIR [--json] [--quiet] [--limit N]

OUTPUT_DIR is a `broadsheet run --out` folder holding the Parquet datasets `documents/` and `amounts/`
(hive-partitioned by publication month). The gold holds 20 whole polnear-train articles annotated from
their text alone (conventions: tests/data/AMOUNTS-GUIDE.md), one JSON object per article:
{"source", "doc_id", "published", "amounts": [{"start", "end", "text", "value", "unit", "object", "kind"}]}.

Only documents in the gold are scored; predicted rows of other documents are ignored. A gold document is
found in the output by its doc_id (falling back to its source file name, with a warning); a gold document
absent from the output counts all its amounts as missed.

Reports span precision/recall/F1 with exact spans and with overlapping spans (one-to-one), and on the
exact-matched spans: value accuracy (both null, or equal within 1e-6 relative), unit accuracy, object
accuracy (null == null is right; compared lower-cased) and kind accuracy; per-kind recall (by the gold
kind) and precision (by the predicted kind). The missed and spurious exact spans, and the attribute
mismatches, are listed on stderr (the first --limit of each; --quiet for none).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

import pyarrow.dataset as ds

FIELDS = ("value", "unit", "object", "kind")
PRED_COLUMNS = ["doc_id", "start_char", "end_char", "text", "value", "unit", "object", "kind"]


def load_gold(path: str | Path) -> list[dict]:
    """The gold articles, each {"source", "doc_id", "published", "amounts": [...]}, amounts sorted by start."""
    articles = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        article = json.loads(line)
        for key in ("doc_id", "amounts"):
            if key not in article:
                raise ValueError(f"{path}:{number}: gold article without {key!r}")
        article["amounts"] = sorted(article["amounts"], key=lambda row: (row["start"], row["end"]))
        articles.append(article)
    return articles


def _read_table(folder: Path, columns: list[str], doc_ids: set[str] | None = None) -> list[dict]:
    """Rows of a (possibly hive-partitioned, possibly empty) Parquet dataset folder, as dicts; only the rows
    of `doc_ids` when given."""
    folder = folder.resolve()
    if not folder.is_dir() or not any(folder.rglob("*.parquet")):
        return []
    dataset = ds.dataset(str(folder), format="parquet", partitioning="hive")
    present = [name for name in columns if name in dataset.schema.names]
    where = None if doc_ids is None else ds.field("doc_id").isin(sorted(doc_ids))
    rows = dataset.to_table(columns=present, filter=where).to_pylist()
    for row in rows:
        for name in columns:
            row.setdefault(name, None)
    return rows


def load_predictions(out_dir: str | Path, gold: list[dict]) -> tuple[dict[str, list[dict]], list[str]]:
    """Predicted amounts of the gold documents: {gold doc_id: [row, ...]} with rows as
    {"start", "end", "text", "value", "unit", "object", "kind"}, and a list of warnings."""
    out_dir = Path(out_dir)
    warnings = []
    documents = _read_table(out_dir / "documents", ["doc_id", "source"])
    by_id = {row["doc_id"]: row for row in documents}
    by_source = {row["source"]: row for row in documents}
    output_id = {}  # gold doc_id -> the doc_id the output uses for that article
    for article in gold:
        doc_id = article["doc_id"]
        document = by_id.get(doc_id)
        if document is None and article.get("source") in by_source:
            document = by_source[article["source"]]
            warnings.append(f"{article['source']}: doc_id {doc_id} not in documents; matched by source "
                            f"to {document['doc_id']}")
        if document is None:
            warnings.append(f"{article.get('source', doc_id)}: not in the output's documents; all its amounts "
                            "count as missed")
            continue
        output_id[doc_id] = document["doc_id"]
    wanted = {out_id: gold_id for gold_id, out_id in output_id.items()}
    gold_by_id = {article["doc_id"]: article for article in gold}
    for document in _read_table(out_dir / "documents", ["doc_id", "text"], set(wanted)):
        article, text = gold_by_id[wanted[document["doc_id"]]], document["text"]
        wrong = [row for row in article["amounts"] if text is None or text[row["start"]:row["end"]] != row["text"]]
        if wrong:
            warnings.append(f"{article.get('source', article['doc_id'])}: {len(wrong)} gold spans do not match the "
                            f"output's document text (first: {wrong[0]['text']!r})")
    predictions: dict[str, list[dict]] = {gold_id: [] for gold_id in output_id}
    for row in _read_table(out_dir / "amounts", PRED_COLUMNS, set(wanted)):
        gold_id = wanted.get(row["doc_id"])
        if gold_id is None:
            continue
        predictions[gold_id].append({"start": row["start_char"], "end": row["end_char"], "text": row["text"],
                                     "value": row["value"], "unit": row["unit"], "object": row["object"],
                                     "kind": row["kind"]})
    for rows in predictions.values():
        rows.sort(key=lambda row: (row["start"], row["end"]))
    return predictions, warnings


def same_value(gold: float | None, predicted: float | None) -> bool:
    """Both null, or equal within 1e-6 relative."""
    if gold is None or predicted is None:
        return gold is None and predicted is None
    gold, predicted = float(gold), float(predicted)
    if math.isnan(predicted):
        return False
    return math.isclose(gold, predicted, rel_tol=1e-6, abs_tol=1e-12)


def _norm(text: str | None) -> str | None:
    if text is None:
        return None
    text = str(text).strip().lower()
    return text or None


def same_field(field: str, gold, predicted) -> bool:
    if field == "value":
        return same_value(gold, predicted)
    return _norm(gold) == _norm(predicted)


def _match_exact(gold_rows: list[dict], predicted: list[dict]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index) with the same span; duplicate predictions stay spurious."""
    free: dict[tuple[int, int], list[int]] = defaultdict(list)
    for pi, row in enumerate(predicted):
        free[(row["start"], row["end"])].append(pi)
    pairs = []
    for gi, row in enumerate(gold_rows):
        candidates = free.get((row["start"], row["end"]))
        if candidates:
            pairs.append((gi, candidates.pop(0)))
    return pairs


def _match_overlap(gold_rows: list[dict], predicted: list[dict]) -> list[tuple[int, int]]:
    """One-to-one pairs of overlapping spans, the largest overlap first, then the nearest start."""
    candidates = []
    for gi, g in enumerate(gold_rows):
        for pi, p in enumerate(predicted):
            overlap = min(g["end"], p["end"]) - max(g["start"], p["start"])
            if overlap > 0:
                candidates.append((-overlap, abs(g["start"] - p["start"]), gi, pi))
    pairs, used_gold, used_pred = [], set(), set()
    for _, _, gi, pi in sorted(candidates):
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            pairs.append((gi, pi))
    return pairs


def _prf(matched: int, n_gold: int, n_pred: int) -> dict:
    precision = matched / n_pred if n_pred else 0.0
    recall = matched / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "matched": matched, "gold": n_gold, "pred": n_pred}


def score(gold: list[dict], predictions: dict[str, list[dict]]) -> dict:
    """Figures for the gold articles against the predicted rows ({gold doc_id: rows}; a gold document
    missing from `predictions` has no predicted rows)."""
    n_gold = n_pred = exact = overlap = 0
    right = dict.fromkeys(FIELDS, 0)
    kind_gold: dict[str, int] = defaultdict(int)
    kind_exact: dict[str, int] = defaultdict(int)
    kind_overlap: dict[str, int] = defaultdict(int)
    kind_pred: dict[str, int] = defaultdict(int)
    kind_pred_exact: dict[str, int] = defaultdict(int)
    missed, spurious, mismatches = [], [], []
    for article in gold:
        label = article.get("source") or article["doc_id"]
        gold_rows = article["amounts"]
        predicted = predictions.get(article["doc_id"], [])
        n_gold += len(gold_rows)
        n_pred += len(predicted)
        for row in gold_rows:
            kind_gold[row["kind"]] += 1
        for row in predicted:
            kind_pred[_norm(row["kind"]) or "?"] += 1
        exact_pairs = _match_exact(gold_rows, predicted)
        overlap_pairs = _match_overlap(gold_rows, predicted)
        exact += len(exact_pairs)
        overlap += len(overlap_pairs)
        for gi, pi in exact_pairs:
            g, p = gold_rows[gi], predicted[pi]
            kind_exact[g["kind"]] += 1
            kind_pred_exact[_norm(p["kind"]) or "?"] += 1
            wrong = []
            for field in FIELDS:
                if same_field(field, g[field], p[field]):
                    right[field] += 1
                else:
                    wrong.append(f"{field} {g[field]!r} != {p[field]!r}")
            if wrong:
                mismatches.append({"source": label, "start": g["start"], "end": g["end"], "text": g["text"],
                                   "wrong": wrong})
        for gi, _ in overlap_pairs:
            kind_overlap[gold_rows[gi]["kind"]] += 1
        overlap_of_gold = dict(overlap_pairs)
        overlap_of_pred = {pi: gi for gi, pi in overlap_pairs}
        matched_gold = {gi for gi, _ in exact_pairs}
        matched_pred = {pi for _, pi in exact_pairs}
        for gi, g in enumerate(gold_rows):
            if gi not in matched_gold:
                near = overlap_of_gold.get(gi)
                missed.append({"source": label, "start": g["start"], "end": g["end"], "text": g["text"],
                               "kind": g["kind"], "overlaps": None if near is None else predicted[near]["text"]})
        for pi, p in enumerate(predicted):
            if pi not in matched_pred:
                near = overlap_of_pred.get(pi)
                spurious.append({"source": label, "start": p["start"], "end": p["end"], "text": p["text"],
                                 "kind": p["kind"], "overlaps": None if near is None else gold_rows[near]["text"]})
    return {
        "documents": len(gold),
        "exact": _prf(exact, n_gold, n_pred),
        "overlap": _prf(overlap, n_gold, n_pred),
        "accuracy": {field: (right[field] / exact if exact else 0.0) for field in FIELDS},
        "per_kind": {kind: {"gold": kind_gold[kind],
                            "recall_exact": kind_exact[kind] / kind_gold[kind],
                            "recall_overlap": kind_overlap[kind] / kind_gold[kind]}
                     for kind in sorted(kind_gold)},
        "per_predicted_kind": {kind: {"pred": kind_pred[kind],
                                      "precision_exact": kind_pred_exact[kind] / kind_pred[kind]}
                               for kind in sorted(kind_pred)},
        "missed": missed,
        "spurious": spurious,
        "mismatches": mismatches,
    }


def format_report(result: dict) -> str:
    lines = [f"documents scored: {result['documents']}"]
    for name in ("exact", "overlap"):
        r = result[name]
        lines.append(f"span {name:<8} P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}  "
                     f"(matched {r['matched']}, gold {r['gold']}, predicted {r['pred']})")
    n = result["exact"]["matched"]
    lines.append(f"on {n} exact-matched spans: " + "  ".join(
        f"{field} {result['accuracy'][field]:.3f}" for field in FIELDS))
    lines.append("per gold kind:      " + "  ".join(
        f"{kind} {r['recall_exact']:.2f}/{r['recall_overlap']:.2f} of {r['gold']}"
        for kind, r in result["per_kind"].items()) + "   (recall exact/overlap)")
    lines.append("per predicted kind: " + "  ".join(
        f"{kind} {r['precision_exact']:.2f} of {r['pred']}"
        for kind, r in result["per_predicted_kind"].items()) + "   (precision exact)")
    return "\n".join(lines)


def format_lists(result: dict, limit: int) -> str:
    lines = []
    for name in ("missed", "spurious"):
        rows = result[name]
        lines.append(f"{name} spans ({len(rows)}, first {min(limit, len(rows))}):")
        for row in rows[:limit]:
            near = f"  ~ overlaps {row['overlaps']!r}" if row["overlaps"] is not None else ""
            lines.append(f"  {row['source']} [{row['start']}:{row['end']}] {row['text']!r} ({row['kind']}){near}")
    rows = result["mismatches"]
    lines.append(f"attribute mismatches on exact spans ({len(rows)}, first {min(limit, len(rows))}):")
    for row in rows[:limit]:
        lines.append(f"  {row['source']} [{row['start']}:{row['end']}] {row['text']!r}: " + "; ".join(row["wrong"]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path, help="gold JSONL (tests/data/amounts_gold.jsonl)")
    parser.add_argument("out_dir", type=Path, help="a `broadsheet run --out` folder with documents/ and amounts/")
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON on stdout")
    parser.add_argument("--quiet", action="store_true", help="do not list missed/spurious spans on stderr")
    parser.add_argument("--limit", type=int, default=30, help="rows per list on stderr (default 30)")
    args = parser.parse_args(argv)
    gold = load_gold(args.gold)
    predictions, warnings = load_predictions(args.out_dir, gold)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    result = score(gold, predictions)
    if args.json:
        print(json.dumps(result, indent=1, ensure_ascii=False))
    else:
        print(format_report(result))
    if not args.quiet:
        print(format_lists(result, args.limit), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
