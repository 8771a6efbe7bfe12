"""Score geocoding (the `places` table) against the place gold (tests/data/places_gold.jsonl).

    .venv/bin/python bench/score_places.py GOLD.jsonl OUTPUT_DIR [--json] [--quiet]
    .venv/bin/python bench/score_places.py GOLD.jsonl --analyze [--json] [--quiet]   # no run: broadsheet.analyze
    .venv/bin/python bench/score_places.py GOLD.jsonl --write-inputs DIR               # the gold's articles as .txt

The gold holds whole articles, one JSON object per line: {"source", "date", "body", "places": [{"start",
"end", "text", "geonames_id" (null when GeoNames has none), "name", "kind", "country_code", "admin1_code",
"latitude", "longitude", "metonymy"}]}, offsets into `body`. OUTPUT_DIR is a `broadsheet run --out`
folder of those articles (`--write-inputs` writes them, with their dates, for `broadsheet run`);
`--analyze` runs the library on the bodies instead. A gold article is found in the output by the hash of
its body (as `documents.doc_id`), else by its source file name.

For every gold place mention, the predicted mention at the same span (else the one overlapping it most)
and its entity's `places` row give the prediction; no mention or no row is a miss. Reported:
  - country: share of gold mentions with a country whose prediction has that country_code;
  - id: share of gold mentions with a GeoNames id whose prediction has that id;
  - 161 km: share of gold cities, counties and landmarks with coordinates predicted within 161 km;
  - false geocodes: share of the geocoded entities of the gold articles (one per article and entity)
    none of whose mentions overlaps a gold place mention.
The misses and false geocodes are listed on stderr (--quiet for none).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

NEAR_KM = 161.0  # GDELT's and the geoparsing literature's "within 100 miles"
NEAR_KINDS = ("city", "admin2", "landmark")


def load_gold(path: str | Path) -> list[dict]:
    articles = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        article = json.loads(line)
        for key in ("body", "places"):
            if key not in article:
                raise ValueError(f"{path}:{number}: gold article without {key!r}")
        article["places"] = sorted(article["places"], key=lambda p: (p["start"], p["end"]))
        articles.append(article)
    return articles


def _doc_id(body: str) -> str:
    from broadsheet.extract.ids import doc_id_for

    return doc_id_for(body)


def _read(folder: Path, columns: list[str]) -> list[dict]:
    import pyarrow.dataset as ds

    folder = folder.resolve()
    if not folder.is_dir() or not any(folder.rglob("*.parquet")):
        return []
    dataset = ds.dataset(str(folder), format="parquet", partitioning="hive")
    present = [c for c in columns if c in dataset.schema.names]
    return dataset.to_table(columns=present).to_pylist()


def predictions_from_output(out_dir: str | Path, gold: list[dict]) -> tuple[list[dict | None], list[str]]:
    """Per gold article: {"text", "mentions": [...], "places": {entity_id: row}} from a run's tables."""
    out = Path(out_dir)
    documents = _read(out / "documents", ["doc_id", "source", "text"])
    by_id = {d["doc_id"]: d for d in documents}
    by_source = {Path(d["source"]).stem: d for d in documents}
    mentions = defaultdict(list)
    for m in _read(out / "mentions", ["doc_id", "entity_id", "start_char", "end_char", "text"]):
        mentions[m["doc_id"]].append(m)
    places = {p["entity_id"]: p for p in _read(out / "places", PLACE_COLUMNS)}
    found, warnings = [], []
    for article in gold:
        doc = by_id.get(_doc_id(article["body"])) or by_source.get(Path(article.get("source") or "").stem)
        if doc is None:
            warnings.append(f"{article.get('source')}: not in the output; its places count as missed")
            found.append(None)
            continue
        found.append({"text": doc["text"], "mentions": mentions.get(doc["doc_id"], []), "places": places})
    return found, warnings


def predictions_from_analyze(gold: list[dict]) -> list[dict]:
    import broadsheet

    found = []
    for article, a in zip(gold, broadsheet.analyze_many([(g["body"], g.get("date")) for g in gold]), strict=True):
        del article
        found.append({"text": a.text, "mentions": a.mentions.rows(),
                      "places": {p["entity_id"]: p for p in a.places.rows()}})
    return found


PLACE_COLUMNS = ["entity_id", "geonames_id", "name", "kind", "country_code", "admin1_code", "latitude",
                 "longitude", "method"]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def _offset(body: str, text: str) -> int | None:
    """What to add to a gold offset to point into the output's text (0 when they are the same; ingest
    may drop the blank lines and spaces around a body)."""
    if text == body:
        return 0
    core = body.strip()
    at = text.find(core)
    return at - body.find(core) if at >= 0 else None


def _match(g: dict, mentions: list[dict], shift: int) -> dict | None:
    start, end = g["start"] + shift, g["end"] + shift
    exact = [m for m in mentions if m["start_char"] == start and m["end_char"] == end]
    if exact:
        return exact[0]
    overlapping = [m for m in mentions if m["start_char"] < end and start < m["end_char"]]
    return max(overlapping, key=lambda m: min(end, m["end_char"]) - max(start, m["start_char"]), default=None)


def score(gold: list[dict], predicted: list[dict | None]) -> dict:
    counts = defaultdict(int)
    misses: list[str] = []
    false_geocodes: list[str] = []
    for article, pred in zip(gold, predicted, strict=True):
        shift = None if pred is None else _offset(article["body"], pred["text"])
        mentions = [] if pred is None or shift is None else pred["mentions"]
        places = {} if pred is None else pred["places"]
        for g in article["places"]:
            m = _match(g, mentions, shift or 0)
            p = places.get(m["entity_id"]) if m else None
            label = f"{article.get('source')}: {g['text']!r} -> {p['name'] if p else None!r}"
            if g.get("country_code"):
                counts["country_n"] += 1
                ok = p is not None and p["country_code"] == g["country_code"]
                counts["country_ok"] += ok
                if not ok:
                    misses.append(f"{label} (country {g['country_code']}, got {p and p['country_code']})")
            if g.get("geonames_id") is not None:
                counts["id_n"] += 1
                ok = p is not None and p["geonames_id"] == g["geonames_id"]
                counts["id_ok"] += ok
                if not ok and p is not None and p["country_code"] == g.get("country_code"):
                    misses.append(f"{label} (id {g['geonames_id']} {g['name']}, got {p['geonames_id']} {p['kind']})")
            if g.get("kind") in NEAR_KINDS and g.get("latitude") is not None:
                counts["near_n"] += 1
                near = p is not None and p["latitude"] is not None and distance_km(
                    g["latitude"], g["longitude"], p["latitude"], p["longitude"]) <= NEAR_KM
                counts["near_ok"] += near
        # false geocodes: geocoded entities of this article none of whose mentions is a gold place
        by_entity = defaultdict(list)
        for m in mentions:
            if m["entity_id"] in places:
                by_entity[m["entity_id"]].append(m)
        for eid, ms in by_entity.items():
            counts["geocoded"] += 1
            s = shift or 0
            if not any(g["start"] + s < m["end_char"] and m["start_char"] < g["end"] + s
                       for m in ms for g in article["places"]):
                counts["false"] += 1
                false_geocodes.append(f"{article.get('source')}: {ms[0]['text']!r} -> {places[eid]['name']} "
                                      f"({places[eid]['kind']}, {places[eid]['country_code']})")

    def share(ok: str, n: str) -> float:
        return round(counts[ok] / counts[n], 4) if counts[n] else 0.0

    return {"articles": len(gold), "gold_places": sum(len(a["places"]) for a in gold),
            "country_accuracy": share("country_ok", "country_n"), "country_n": counts["country_n"],
            "id_accuracy": share("id_ok", "id_n"), "id_n": counts["id_n"],
            "within_161km": share("near_ok", "near_n"), "near_n": counts["near_n"],
            "false_geocodes": share("false", "geocoded"), "geocoded": counts["geocoded"],
            "misses": misses, "false_geocode_list": false_geocodes}


def write_inputs(gold: list[dict], folder: Path) -> int:
    """The gold's articles as `broadsheet run` inputs: one .txt per article, its date as the header."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, article in enumerate(gold):
        stem = Path(article.get("source") or f"article-{i}").stem
        header = f"date {article['date']}\n" if article.get("date") else ""
        (folder / f"{stem}.txt").write_text(header + article["body"], encoding="utf-8")
    return len(gold)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold")
    parser.add_argument("output", nargs="?")
    parser.add_argument("--analyze", action="store_true", help="run broadsheet.analyze on the gold bodies")
    parser.add_argument("--write-inputs", metavar="DIR", help="write the gold's articles as .txt inputs and stop")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    gold = load_gold(args.gold)
    if args.write_inputs:
        print(f"wrote {write_inputs(gold, Path(args.write_inputs))} inputs to {args.write_inputs}")
        return 0
    if args.analyze:
        predicted, warnings = predictions_from_analyze(gold), []
    elif args.output:
        predicted, warnings = predictions_from_output(args.output, gold)
    else:
        parser.error("give OUTPUT_DIR or --analyze")
    result = score(gold, predicted)
    if not args.quiet:
        for line in warnings + [f"miss: {m}" for m in result["misses"]] + \
                [f"false geocode: {f}" for f in result["false_geocode_list"]]:
            print(line, file=sys.stderr)
    summary = {k: v for k, v in result.items() if not isinstance(v, list)}
    if args.json:
        print(json.dumps(summary))
    else:
        print(f"articles {summary['articles']}, gold place mentions {summary['gold_places']}")
        print(f"country accuracy   {summary['country_accuracy']:.3f}  (of {summary['country_n']})")
        print(f"GeoNames id acc.   {summary['id_accuracy']:.3f}  (of {summary['id_n']})")
        print(f"within 161 km      {summary['within_161km']:.3f}  (of {summary['near_n']} cities, counties, landmarks)")
        print(f"false geocodes     {summary['false_geocodes']:.3f}  (of {summary['geocoded']} geocoded entities)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
