"""Score the event extractor against the hand-annotated gold set (tests/data/events_gold.jsonl).

    .venv/bin/python bench/score_events.py [GOLD.jsonl] [--split dev|test|all] [--verbose] [--json]

The gold texts are short news-style articles written and annotated by hand for this purpose. Split
"dev" was used to find errors and adjust rules; split "test" was annotated before the extractor was
run on it and is not used for tuning: its figures are the honest ones. Split "test-new" holds texts
written and annotated (before any run) for the types and rules added later: trial/hearing, plea,
investigation, endorsement, labour strikes, gapped conjuncts and verbal "attacks" that are no attack.
When types were added, the events of those types in the older texts were annotated as well.

Runs the whole extraction (names, dates, quotes, events) on each gold text with its article date and
reports: trigger precision/recall/F1 (a prediction matches a gold trigger when the spans overlap, one to
one), type accuracy on matched triggers, typed F1 (span and type right), participant recall and
precision on matched events (a gold participant is found when a predicted participant entity's name
holds all its words, or the other way round; a participant only in the "place" role is not held
against precision: it repeats the location),
and date accuracy on matched events whose gold has a date.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import broadsheet  # noqa: E402
from broadsheet.extract.ids import name_key  # noqa: E402


def _same_entity(gold_name: str, predicted_name: str) -> bool:
    gold, pred = set(name_key(gold_name).split()), set(name_key(predicted_name).split())
    return bool(gold) and bool(pred) and (gold <= pred or pred <= gold)


def _same_date(predicted: str | None, gold: str | None) -> bool:
    """Same TIMEX3 value; a time of day on the right day counts ("2022-09-08TAF" for "2022-09-08")."""
    if predicted is None or gold is None:
        return predicted == gold
    return predicted == gold or predicted.startswith(gold + "T")


def _match(gold_events: list[dict], predicted: list[dict]) -> list[tuple[dict, dict]]:
    """One-to-one pairs of overlapping triggers, same type first, then nearest start."""
    candidates = []
    for gi, g in enumerate(gold_events):
        for pi, p in enumerate(predicted):
            if p["start_char"] < g["end"] and g["start"] < p["end_char"]:
                candidates.append((p["event_type"] != g["type"], abs(p["start_char"] - g["start"]), gi, pi))
    pairs, used_g, used_p = [], set(), set()
    for _, _, gi, pi in sorted(candidates):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gold_events[gi], predicted[pi]))
    return pairs


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def score(gold_path: Path, verbose: bool, split: str = "all") -> dict:
    nlp = broadsheet.load_nlp()
    lines = gold_path.read_text(encoding="utf-8").splitlines()
    articles = [json.loads(line) for line in lines if line.strip()]
    articles = [a for a in articles if split == "all" or a.get("split", "dev") == split]
    counts = dict(gold=0, pred=0, matched=0, typed=0, gold_parts=0, found_parts=0, pred_parts=0,
                  right_parts=0, gold_dates=0, right_dates=0, pred_dates=0, right_pred_dates=0)
    started = time.perf_counter()
    for art in articles:
        analysis = broadsheet.analyze(art["text"], date.fromisoformat(art["date"]), nlp=nlp)
        records = {name: found.rows() for name, found in analysis.tables.items()}
        names = {e["entity_id"]: e["name"] for e in records["entities"]}
        parts: dict[str, list[str]] = {}
        for p in records["event_participants"]:
            parts.setdefault(p["event_id"], []).append((names.get(p["entity_id"], ""), p["role"]))
        predicted = records["events"]
        gold_events = art["events"]
        counts["gold"] += len(gold_events)
        counts["pred"] += len(predicted)
        pairs = _match(gold_events, predicted)
        counts["matched"] += len(pairs)
        for g, p in pairs:
            counts["typed"] += g["type"] == p["event_type"]
            with_roles = parts.get(p["event_id"], [])
            predicted_parts = list(dict.fromkeys(name for name, _ in with_roles))
            found = [n for n in g["participants"] if any(_same_entity(n, q) for q in predicted_parts)]
            right = [q for q in predicted_parts if any(_same_entity(n, q) for n in g["participants"])]
            # a place only in the "place" role repeats the event's location: not held against precision
            located = {name for name, role in with_roles if role == "place"}
            located -= {name for name, role in with_roles if role != "place"}
            predicted_parts = [q for q in predicted_parts if q not in located or q in right]
            counts["gold_parts"] += len(g["participants"])
            counts["found_parts"] += len(found)
            counts["pred_parts"] += len(predicted_parts)
            counts["right_parts"] += len(right)
            if g["date"]:
                counts["gold_dates"] += 1
                counts["right_dates"] += _same_date(p["date_value"], g["date"])
            if p["date_value"]:
                counts["pred_dates"] += 1
                counts["right_pred_dates"] += _same_date(p["date_value"], g["date"])
            wrong = (g["type"] != p["event_type"] or len(found) < len(g["participants"])
                     or not _same_date(p["date_value"], g["date"]) or len(right) < len(predicted_parts))
            if verbose and wrong:
                print(f"  {art['id']} {g['trigger']!r}: gold {g['type']} {g['participants']} {g['date']}"
                      f" | pred {p['event_type']} {predicted_parts} {p['date_value']}")
        if verbose:
            matched_g = {id(g) for g, _ in pairs}
            matched_p = {id(p) for _, p in pairs}
            for g in gold_events:
                if id(g) not in matched_g:
                    print(f"  {art['id']} MISSED {g['type']} {g['trigger']!r}")
            for p in predicted:
                if id(p) not in matched_p:
                    print(f"  {art['id']} SPURIOUS {p['event_type']} {p['trigger']!r}")
    precision = _ratio(counts["matched"], counts["pred"])
    recall = _ratio(counts["matched"], counts["gold"])
    typed_p = _ratio(counts["typed"], counts["pred"])
    typed_r = _ratio(counts["typed"], counts["gold"])
    return {
        "split": split,
        "articles": len(articles),
        "gold_events": counts["gold"],
        "predicted_events": counts["pred"],
        "trigger_precision": round(precision, 3),
        "trigger_recall": round(recall, 3),
        "trigger_f1": round(_ratio(2 * precision * recall, precision + recall), 3),
        "type_accuracy": round(_ratio(counts["typed"], counts["matched"]), 3),
        "typed_f1": round(_ratio(2 * typed_p * typed_r, typed_p + typed_r), 3),
        "participant_recall": round(_ratio(counts["found_parts"], counts["gold_parts"]), 3),
        "participant_precision": round(_ratio(counts["right_parts"], counts["pred_parts"]), 3),
        "date_accuracy": round(_ratio(counts["right_dates"], counts["gold_dates"]), 3),
        "date_precision": round(_ratio(counts["right_pred_dates"], counts["pred_dates"]), 3),
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="?", default=str(REPO / "tests" / "data" / "events_gold.jsonl"))
    parser.add_argument("--split", default="all", choices=("dev", "test", "test-new", "news", "news-heldout", "all"),
                        help="which gold texts")
    parser.add_argument("--verbose", action="store_true", help="list every mismatch")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    result = score(Path(args.gold), args.verbose, args.split)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:24} {value}")


if __name__ == "__main__":
    main()
