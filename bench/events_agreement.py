"""How far two annotators of the same articles agree on events: the ceiling for the dev-gold figures.

    .venv/bin/python bench/events_agreement.py [GOLD_A] [GOLD_B]

Defaults: the dev gold (tests/data/events_dev_gold.jsonl) against the second, independent annotation of
its first 10 articles (tests/data/events_dev_gold.second_annotator.jsonl). B is graded as if it were a
prediction, with the held-out scorer's matching (tests/eval/events_score.py: spans overlap, optional gold
neutral), in both directions; trigger F1 and the type agreement on matched triggers are printed.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _scorer():
    spec = importlib.util.spec_from_file_location("events_score", REPO / "tests" / "eval" / "events_score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def agreement(gold: list[dict], other: list[dict]) -> dict[str, float]:
    """Trigger P/R/F1 and type agreement of `other`'s required events graded against `gold`."""
    es = _scorer()
    tp = n_pred = n_gold = type_ok = 0
    by_source = {g["source"]: g for g in other}
    for g in gold:
        if g["source"] not in by_source:
            continue
        preds = [dict(e, event_type=f"{e['type']}.{e['subtype']}") for e in by_source[g["source"]]["events"]
                 if not e.get("optional")]
        required = [e for e in g["events"] if not e.get("optional")]
        optional = [e for e in g["events"] if e.get("optional")]
        matched = es.greedy_match(required, preds)
        used = set(matched.values())
        neutral = sum(1 for i, p in enumerate(preds) if i not in used
                      and any(es.overlap((o["start"], o["end"]), (p["start"], p["end"])) for o in optional))
        tp += len(matched)
        n_pred += len(preds) - neutral
        n_gold += len(required)
        type_ok += sum(es.type_ok(preds[j]["event_type"], required[i]) for i, j in matched.items())
    result = es.prf(tp, n_pred, n_gold)
    result["type_agreement"] = round(type_ok / tp, 4) if tp else 0.0
    return result


def main() -> None:
    a = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "tests" / "data" / "events_dev_gold.jsonl"
    b = Path(sys.argv[2]) if len(sys.argv) > 2 else REPO / "tests" / "data" / "events_dev_gold.second_annotator.jsonl"
    gold_a = [json.loads(line) for line in a.open(encoding="utf-8")]
    gold_b = [json.loads(line) for line in b.open(encoding="utf-8")]
    for label, x, y in (("B graded against A", gold_a, gold_b), ("A graded against B", gold_b, gold_a)):
        r = agreement(x, y)
        print(f"{label}: trigger P {r['p']:.3f} R {r['r']:.3f} F1 {r['f1']:.3f}  "
              f"type agreement {r['type_agreement']:.3f}")


if __name__ == "__main__":
    main()
