"""Places of one article: each place entity resolved to one gazetteer place, GDELT-style.

`broadsheet_places` runs right after `broadsheet_names` (its table is declared right after `mentions`),
so every later component sees the resolved entities. For each entity the names component typed as a
place (GPE, LOC, FAC), it looks its written forms up in the gazetteer (broadsheet.extract.gazetteer)
and chooses among the candidates from the context, not the first match:
  0. a place the name is the own name of beats one it is only an old name or exonym of ("Philadelphia"
     is Philadelphia, not Amman);
  1. a qualifier written beside the name narrows the candidates to those inside it: "Paris, Texas",
     "Springfield, Ill.", "Grosvenor Square, London", "(D-Mo.)" (`method` "qualifier");
  2. "County"/"counties" after the name, or after a list ending so ("Beaufort, Moore and Cumberland
     counties"), favours the county reading;
  3. a prior: countries, states and regions first ("Georgia", "Jordan"), then cities by population
     (a capital a little more); a town under `city_alone_min_population` is taken only when a
     qualifier or another place of the article in its state or country backs it;
  4. the article's other places: each candidate gains from the others' current beliefs in its state
     and its country, the dateline's places counting more; a few rounds settle it
     (`method` "article-context" when this changed the choice, else "population-prior"; "unique" for a
     name with one reading; "dateline" for the place of the dateline).

Identity follows the gazetteer: every mention of one place is one entity whose id is made from the
place's key (`ids.place_entity_id`) and whose name is the gazetteer's ("US", "U.S.", "America" and
"United States of America" are all "United States"), so the same place has the same id in every
article, and two places of one name ("Paris", France, and "Paris", Texas) have two.

What it does not do: geocode a PERSON ("Jordan"), an ORG ("Washington Post") or a nationality; take a
place name that starts an organisation's name as a place mention ("California GOP": an entity all of
whose mentions are so is left alone); find places the names component did not find; or guess
coordinates for a name the gazetteer lacks (no row).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from broadsheet.extract.component import Extractor, records_on, set_records
from broadsheet.extract.docs import doc_text
from broadsheet.extract.gazetteer import Place, gazetteer
from broadsheet.extract.ids import entity_id_for, name_key, place_entity_id
from broadsheet.extract.lexicon import load_yaml, threshold
from broadsheet.extract.records import Entity, Mention
from broadsheet.extract.records import Place as PlaceRecord

_DATA = "places.yaml"
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
# The entity type of a resolved place follows its kind, so a place has one id and one type everywhere.
_TYPE_OF_KIND = {"country": "GPE", "admin1": "GPE", "admin2": "GPE", "city": "GPE", "region": "LOC",
                 "landmark": "FAC"}
# A newswire dateline on one of the first lines: "LONDON 1996-08-30", "WASHINGTON (AP) —",
# "TAVILDARA , Tajikistan 1996-08-30" (one character class per part: no backtracking blow-up).
_DATELINE = re.compile(r"([A-Z][A-Z.'\- ]*[A-Z.])(?:\s*,\s*[A-Z][A-Za-z.' ]*?)?\s*(?:\([A-Za-z ]+\)\s*)?"
                       r"(?:—|–|--|-\s|\d{4}-\d\d-\d\d)")
_LIST_WORD = re.compile(r"[A-Za-z][A-Za-z.'\-]*|[,&]")
# A member of Congress's party and state: "(D-Mo.)", "(R-Texas)", "Sen. Ted Cruz, R-Texas, said"
_PARTY_BEFORE = re.compile(r"(?:\(|,\s)\s*[DRI]\s*-\s*$")
_PARTY_STATE = re.compile(r"(?:\(|,\s)\s*[DRI]\s*-\s*([A-Z][A-Za-z]*\.?(?:\s?[A-Z][A-Za-z]*\.|\s[A-Z][a-z]+)?)\s*[,)-]")
# A score after a name: "England beat Moldova 2-0", "Falkirk 1 Clydebank 0"
_SCORE_AFTER = re.compile(r"[ \t]+\d{1,3}(?:-\d{1,3})?(?:\s|$|[,.;)])")


def _param(key: str) -> float:
    return float(threshold(_DATA, key))


def _words(key: str) -> frozenset[str]:
    return frozenset(w.lower() for w in load_yaml(_DATA).get(key) or ())


@dataclass
class _Candidate:
    place: Place
    prior: float
    score: float = 0.0
    belief: float = 0.0


@dataclass
class _Entity:
    entity: Entity
    mentions: list[Mention]
    candidates: list[_Candidate] = field(default_factory=list)
    qualified: bool = False
    dateline: bool = False


class PlacesComponent(Extractor):
    """`broadsheet_places`: sets `doc._.places` and rewrites place entities to their gazetteer identity
    in `doc._.entities` and `doc._.mentions`. Needs `broadsheet_names`."""

    needs_tables = ("entities", "mentions")

    def annotate(self, doc: Doc) -> None:
        entities, mentions, places = geocode(doc_text(doc), list(records_on(doc, "entities")),
                                             list(records_on(doc, "mentions")))
        set_records(doc, "entities", entities)
        set_records(doc, "mentions", mentions)
        set_records(doc, "places", places)


@Language.factory("broadsheet_places", assigns=["doc._.places"])
def make_places(nlp: Language, name: str) -> PlacesComponent:
    return PlacesComponent(nlp, name)


def geocode(text: str, entities: list[Entity], mentions: list[Mention]
            ) -> tuple[list[Entity], list[Mention], list[PlaceRecord]]:
    """The article's entities and mentions with places given their gazetteer identity, and a places
    record per resolved place."""
    if "-" in text and _PARTY_STATE.search(text):
        entities, mentions = _party_states(text, entities, mentions)
    dateline = dateline_span(text)
    locative_words = _words("locative_words")
    if dateline is not None:
        entities, mentions = _dateline_places(text, dateline, entities, mentions)
    entities, mentions = _locative_parts(text, entities, mentions, locative_words)
    entities, mentions = _listed_places(text, entities, mentions)
    by_entity: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_entity[m.entity_id].append(m)
    org_words, team_words = _words("org_words") | _words("event_words"), _words("team_words")
    county_words, facility_words = _words("admin2_words"), _words("facility_words")
    found: list[_Entity] = []
    facilities: set[str] = set()
    for e in entities:
        names = [m for m in by_entity.get(e.entity_id, ()) if m.mention_kind == "name"]
        if e.type == "PERSON" or not names:
            continue
        in_dateline = dateline is not None and any(dateline[0] <= m.start_char < dateline[1] for m in names)
        # what the text itself says is a place counts whatever the model typed it: the dateline, a name in
        # a list of counties ("Beaufort, Moore and Cumberland counties"), a landmark standing for its people,
        # a big place's very name after "in" or "at" ("in Copenhagen"), a facility after them ("at the
        # Mayflower Hotel")
        said = in_dateline or any(_county_word_after(text, m, county_words) for m in names)
        if not said and e.type not in PLACE_TYPES:
            locative = any(_locative(text, m, locative_words) for m in names)
            if locative and e.name.split()[-1].lower() in facility_words:
                facilities.add(e.entity_id)
            elif not (locative and _known_place(e.name)) and not (e.type == "ORG" and _is_landmark(e.name)):
                continue
        names = [m for m in names if not _inside_org_name(text, m, org_words)]
        if not in_dateline and names and _is_team(text, names, team_words):
            continue  # a country or town that only ever plays is a team ("England beat Moldova 2-0")
        if names:
            found.append(_Entity(e, names, dateline=in_dateline))
    if not found:
        return entities, mentions, []
    gaz = gazetteer()
    for item in found:
        if item.entity.entity_id not in facilities:
            _candidates(item, text, gaz, county_words)
    # a name the gazetteer lacks: a facility is placed at its city, a place of the text's own words only
    # by a qualifier written after it ("Kaneohe Bay, Hawaii")
    unknown = [item for item in found if not item.candidates
               and (item.entity.type == "FAC" or item.entity.entity_id in facilities)]
    qualified_only = [item for item in found if not item.candidates and item.entity.type in ("GPE", "LOC")]
    found = [item for item in found if item.candidates]
    _qualifiers(found, text, gaz)
    chosen = _decide(found)
    chosen.update(_facilities_in_cities(text, unknown, found, chosen))
    chosen.update(_facilities_in_cities(text, qualified_only, found, chosen, dateline_city=False,
                                        holder_kinds=("admin1",)))
    return _rewrite(entities, mentions, chosen)


def _facilities_in_cities(text: str, unknown: list[_Entity], found: list[_Entity],
                          chosen: dict[str, tuple[Place, str]], dateline_city: bool = True,
                          holder_kinds: tuple[str, ...] = ("city", "admin1")) -> dict[str, tuple[Place, str]]:
    """A facility the gazetteer lacks ("Mayflower Hotel", "Waterfront Park") placed at its city, GDELT's
    way: the city (or state) written right after it ("the Ritz, Paris", "the Mayflower Hotel in
    Washington"), else the dateline's city (the city an article merely names most is too weak a guess: a
    Washington story names other cities). It is a landmark with no GeoNames id."""
    holders = {item.entity.entity_id: item for item in found
               if item.entity.entity_id in chosen and chosen[item.entity.entity_id][0].kind in holder_kinds}
    if not unknown or not holders:
        return {}
    starts = {m.start_char: item for item in holders.values() for m in item.mentions}
    dateline = [item for item in holders.values() if item.dateline and chosen[item.entity.entity_id][0].kind == "city"
                and dateline_city]
    placed = {}
    for item in unknown:
        after = next((f for m in item.mentions
                      if (f := _next_mention(text, m.end_char, starts, within=True)) is not None), None)
        city = after or (dateline[0] if dateline else None)
        if city is None:
            continue
        at, _ = chosen[city.entity.entity_id]
        if at.latitude is None:
            continue
        name = item.entity.name
        landmark = Place(f"landmark:{at.country_code}:{at.admin1_code}:{name_key(name)}", None, name, "landmark",
                         at.country_code, at.admin1_code, at.latitude, at.longitude, None)
        placed[item.entity.entity_id] = (landmark, "qualifier" if after else "landmark-in-city")
    return placed


# ------------------------------------------------------------------------------ candidates


def _is_landmark(name: str) -> bool:
    """A name data/places.yaml lists as a landmark or region ("White House", "Pentagon", "Wall Street"):
    geocoded even when typed ORG, as it is the place standing for those in it."""
    return any(p.kind in ("landmark", "region") and p.geonames_id is None for p in gazetteer().lookup(name))


def _inside_org_name(text: str, m: Mention, org_words: frozenset[str]) -> bool:
    """'California GOP', 'Texas Republicans': the place name starts an organisation's name."""
    after = re.match(r"[ \t]+([A-Za-z]+)", text[m.end_char:m.end_char + 30])
    return bool(after) and after.group(1)[0].isupper() and after.group(1).lower() in org_words


def _plays(text: str, m: Mention, team_words: frozenset[str]) -> bool:
    """The name stands for a team: a score follows it, or a word of the game ("squad", "beat", "coach")."""
    tail = text[m.end_char:m.end_char + 24]
    if _SCORE_AFTER.match(tail):
        return True
    after = re.match(r"(?:[ \t]*'s)?[ \t]+([A-Za-z\-]+)", tail)
    before = re.search(r"\b([A-Za-z]+)[ \t]+$", text[max(0, m.start_char - 16):m.start_char])
    return bool(after and after.group(1).lower() in team_words) or \
        bool(before and before.group(1).lower() in ("beat", "beating", "play", "playing", "v", "vs"))


def _county_word_after(text: str, m: Mention, county_words: frozenset[str]) -> bool:
    """'Moore County', and 'Beaufort' in 'Beaufort, Moore and Cumberland counties': the first lower-case
    word after the names of a list."""
    for word in _LIST_WORD.findall(text[m.end_char:m.end_char + 120]):
        if word in (",", "&", "and") or word[0].isupper():
            continue
        return word.lower() in county_words
    return False


def _prior(place: Place, county_word: bool) -> float:
    if place.kind == "city":
        prior = math.log10(max(place.population or 1, 1)) + (_param("prior_capital") if place.capital else 0.0)
    elif place.kind == "admin1" and place.geonames_id is None:
        prior = _param("prior_subdivision")
    else:
        prior = _param(f"prior_{place.kind}")
    if place.kind == "admin2" and county_word:
        prior += _param("admin2_word_bonus")
    return prior


def _candidates(item: _Entity, text: str, gaz, county_words: frozenset[str]) -> None:
    forms = {m.text for m in item.mentions} | {item.entity.name}
    county_word = any(_county_word_after(text, m, county_words) for m in item.mentions)
    places: dict[str, Place] = {}
    own_name: set[str] = set()
    for form in sorted(forms):
        for place in gaz.lookup(form):
            places.setdefault(place.key, place)
            if not gaz.by_alternate_name(form, place):
                own_name.add(place.key)
    if own_name:  # "Philadelphia" is Philadelphia, not Amman, whose old name it is
        places = {k: p for k, p in places.items() if k in own_name}
    if county_word:  # "Moore County" names the county alone; the city "Moore" is another place
        counties = {k: p for k, p in places.items() if p.kind == "admin2"}
        places = counties or places
    elif any(_state_word_after(text, m) for m in item.mentions):  # "Washington state", not the capital
        states = {k: p for k, p in places.items() if p.kind == "admin1"}
        places = states or places
    else:
        places = {k: p for k, p in places.items() if p.kind != "admin2" or _names_county(forms)}
    item.candidates = [_Candidate(p, _prior(p, county_word)) for p in places.values()]


def _state_word_after(text: str, m: Mention) -> bool:
    """'Washington state', 'New York state's delegates': a word of data/places.yaml `admin1_words`, in
    lower case, right after the name."""
    after = re.match(r"[ \t]+([a-z]+)", text[m.end_char:m.end_char + 16])
    return bool(after) and after.group(1) in _words("admin1_words")


def _names_county(forms: set[str]) -> bool:
    return any(re.search(r"\b(County|Parish)\b", f) for f in forms)


def _party_states(text: str, entities: list[Entity], mentions: list[Mention]
                  ) -> tuple[list[Entity], list[Mention]]:
    """The states of "(D-Mo.)", "(R-Texas)", and the towns of state legislators' "(D-Newport News)", as
    place mentions, where the names component has none (or took the party letter into a name)."""
    for match in _PARTY_STATE.finditer(text):
        written = match.group(1)
        start, end = match.span(1)
        places = [p for p in gazetteer().qualifier(written) if p.kind == "admin1" and p.country_code == "US"]
        places = places or [p for p in gazetteer().lookup(written) if p.kind == "city" and p.country_code == "US"]
        if not places:
            continue
        # "D-Newport News" read as one name: the party letter is no part of the place
        party = text.rfind("-", 0, start)
        entities, mentions = _add_place_mention(text, entities, mentions, start, end, replace_from=party - 1)
    return entities, mentions


def _add_place_mention(text: str, entities: list[Entity], mentions: list[Mention], start: int, end: int,
                       replace_from: int | None = None) -> tuple[list[Entity], list[Mention]]:
    """The entities and mentions with text[start:end] a GPE name mention, unless a mention overlaps it;
    a mention that overlaps it and starts at `replace_from` (or is exactly it) is taken off its entity
    and replaced."""
    doc_id = mentions[0].doc_id if mentions else None
    over = [m for m in mentions if m.start_char < end and start < m.end_char]
    if doc_id is None or any(m.start_char not in (replace_from, start) for m in over):
        return entities, mentions
    return _move_mentions(entities, mentions, over, start, end, text[start:end], doc_id)


def _move_mentions(entities: list[Entity], mentions: list[Mention], old: list[Mention], start: int, end: int,
                   written: str, doc_id: str) -> tuple[list[Entity], list[Mention]]:
    gone = {(m.start_char, m.end_char) for m in old}
    counts: dict[str, int] = defaultdict(int)
    for m in old:
        counts[m.entity_id] += 1
    eid = entity_id_for("GPE", written)
    kept = []
    for e in entities:
        if e.entity_id in counts:
            e = Entity(**{**e.as_row(), "n_mentions": e.n_mentions - counts[e.entity_id]})
            if e.n_mentions <= 0:
                continue
        kept.append(e)
    if all(e.entity_id != eid for e in kept):
        kept.append(Entity(entity_id=eid, name=written, type="GPE", name_key=name_key(written), n_mentions=0,
                           n_documents=1))
    place = next(e for e in kept if e.entity_id == eid)
    place.n_mentions += 1
    moved = [m for m in mentions if (m.start_char, m.end_char) not in gone]
    moved.append(Mention(doc_id=doc_id, entity_id=eid, start_char=start, end_char=end, text=written,
                         mention_kind="name", ner_label=None))
    moved.sort(key=lambda m: (m.start_char, m.end_char))
    return kept, moved


def _dateline_places(text: str, dateline: tuple[int, int], entities: list[Entity], mentions: list[Mention]
                     ) -> tuple[list[Entity], list[Mention]]:
    """The dateline's place ("NEWPORT NEWS, Va. -") as a mention when the names component missed it and
    the gazetteer knows the name."""
    m = re.match(r"[A-Z][A-Z.'\-]*(?: [A-Z][A-Z.'\-]*)*", text[dateline[0]:dateline[1]])
    if not m or any(x.start_char < dateline[0] + m.end() and dateline[0] < x.end_char for x in mentions):
        return entities, mentions
    start, end = dateline[0], dateline[0] + m.end()
    written = text[start:end].rstrip(".")
    end = start + len(written)
    if not mentions or not gazetteer().lookup(written):
        return entities, mentions
    return _move_mentions(entities, mentions, [], start, end, written, mentions[0].doc_id)


@cache
def _listed_pattern() -> re.Pattern[str] | None:
    """The names of data/places.yaml's regions and landmarks of two words or more, as written."""
    data = load_yaml(_DATA)
    names = {n for kind in ("regions", "landmarks") for row in data.get(kind) or ()
             for n in (row["name"], *(row.get("aliases") or ()))}
    names = sorted((n for n in names if len(n.split()) > 1 and all(w[0].isupper() for w in n.split())),
                   key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, names)) + r")(?![\w-])") if names else None


def _listed_places(text: str, entities: list[Entity], mentions: list[Mention]
                   ) -> tuple[list[Entity], list[Mention]]:
    """A region or landmark the data file lists ("Wall Street", "Middle East"), written in full and
    capitalised, that the model left out: a place mention (one inside a name the model found stays that
    name's: "Wall Street Journal")."""
    pattern = _listed_pattern()
    if pattern is None or not mentions:
        return entities, mentions
    for match in pattern.finditer(text):
        start, end = match.span()
        if not any(m.start_char < end and start < m.end_char for m in mentions):
            entities, mentions = _move_mentions(entities, mentions, [], start, end, match.group(0), mentions[0].doc_id)
    return entities, mentions


def _locative(text: str, m: Mention, locative_words: frozenset[str]) -> bool:
    """'in Copenhagen', 'at the Mayflower Hotel': a locative word right before the name."""
    before = re.search(r"\b([A-Za-z]+)\s+(?:the\s+)?$", text[max(0, m.start_char - 20):m.start_char])
    # written in capitals ("KANSAS CITY AT DETROIT") it is a table or a headline: the teams' schedule
    return bool(before) and not before.group(1).isupper() and before.group(1).lower() in locative_words


def _known_place(name: str) -> bool:
    """A country, a state, or a big city whose own name this is (see locative_city_min_population): not an
    alternate name ("Torino" is also a football club's name; the gazetteer's city is "Turin")."""
    floor = _param("locative_city_min_population")
    key = name_key(name)
    return any(p.kind == "country" or (p.kind == "admin1" and p.geonames_id is not None)
               or (p.kind == "city" and (p.population or 0) >= floor and name_key(p.name) == key)
               for p in gazetteer().lookup(name))


def _locative_parts(text: str, entities: list[Entity], mentions: list[Mention], locative_words: frozenset[str]
                    ) -> tuple[list[Entity], list[Mention]]:
    """A place's name the names component filed under an organisation named after it ("Wuxi" in "a factory
    in Wuxi", of the entity "Wuxi Tong Ling Company Ltd"): its locative mentions become the place's."""
    kinds = {e.entity_id: (e.type, e.name) for e in entities}
    for m in list(mentions):
        etype, ename = kinds.get(m.entity_id, ("PERSON", ""))
        if etype in PLACE_TYPES or etype == "PERSON" or m.mention_kind != "name" or m.text == ename:
            continue
        if _locative(text, m, locative_words) and _known_place(m.text):
            entities, mentions = _move_mentions(entities, mentions, [m], m.start_char, m.end_char, m.text, m.doc_id)
    return entities, mentions


def _is_team(text: str, names: list[Mention], team_words: frozenset[str]) -> bool:
    """Every mention plays ("Romania beat Lithuania 2-1"), or heads a line of scorers ("Romania - Cosmin
    Contra ( 31st )"), and one plays."""
    plays = [_plays(text, m, team_words) for m in names]
    return any(plays) and all(p or _roster_line(text, m) for p, m in zip(plays, names, strict=True))


def _roster_line(text: str, m: Mention) -> bool:
    """A name that starts a line and is followed by a dash or colon: the head of a list of players."""
    return (m.start_char == 0 or text[m.start_char - 1] == "\n") and \
        bool(re.match(r"[ \t]+-[ \t]|[ \t]*:", text[m.end_char:m.end_char + 4]))


# ------------------------------------------------------------------------------ qualifiers


def _within(inner: Place, outer: Place) -> bool:
    """Whether `inner` lies inside `outer` as far as the gazetteer can tell."""
    if inner.key == outer.key or outer.kind in ("region", "landmark", "admin2"):
        return False
    if outer.kind == "country":
        return inner.country_code == outer.country_code and inner.kind != "country"
    if outer.kind == "admin1":
        return inner.kind in ("city", "admin2", "landmark", "region") and inner.country_code == outer.country_code \
            and inner.admin1_code == outer.admin1_code
    return inner.kind in ("landmark", "region") and inner.country_code == outer.country_code \
        and inner.admin1_code == outer.admin1_code  # a landmark in its city


def _qualifier_text(text: str, end: int) -> list[str]:
    """The words after ", " or " (" that may name a state or country, longest first."""
    m = re.match(r"\s*[,(]\s*((?:[A-Z][\w.']*\.?)(?:\s+[A-Z][\w.']*\.?){0,2})", text[end:end + 60])
    if not m:
        return []
    words = m.group(1).split()
    return [" ".join(words[:n]).rstrip(",") for n in range(len(words), 0, -1)]


def _qualifiers(found: list[_Entity], text: str, gaz) -> None:
    """Narrow each entity to the candidates a qualifier written after one of its mentions allows: a
    state or country read from the text, or the candidates of the place mention that follows."""
    starts = {m.start_char: item for item in found for m in item.mentions}
    for item in found:
        for m in item.mentions:
            outers: list[Place] = []
            follower = _next_mention(text, m.end_char, starts)
            if follower is not None and follower is not item:
                outers = [c.place for c in follower.candidates]
            else:
                for words in _qualifier_text(text, m.end_char):
                    outers = gaz.qualifier(words)
                    if outers:
                        break
            inside = [c for c in item.candidates if any(_within(c.place, o) for o in outers)]
            if inside:
                item.candidates = inside
                item.qualified = True
                if follower is not None and follower is not item:  # the qualifier is read as what holds it
                    held = [c for c in follower.candidates if any(_within(i.place, c.place) for i in inside)]
                    if held:
                        follower.candidates, follower.qualified = held, True
                break
    for item in found:  # "(D-Mo.)": the state of a member of Congress
        if any(_PARTY_BEFORE.search(text[max(0, m.start_char - 8):m.start_char]) for m in item.mentions):
            states = [c for c in item.candidates if c.place.kind == "admin1" and c.place.country_code == "US"]
            if states:
                item.candidates, item.qualified = states, True


def _next_mention(text: str, end: int, starts: dict[int, _Entity], within: bool = False) -> _Entity | None:
    """The place mention right after a name, past ", " or " (" (and " in " when `within`)."""
    m = re.match(r"\s*(?:,|\()\s*" + (r"|\s+in\s+" if within else ""), text[end:end + 6])
    return starts.get(end + m.end()) if m else None


# ------------------------------------------------------------------------------ deciding


def _eligible(item: _Entity, c: _Candidate, same_state: float, same_country: float) -> bool:
    """A small town needs backing from the article: a qualifier, or another place in its state; so does a
    division known only to pycountry ("Central", Zambia): other places in its country. A town that bears a
    state's or a country's own name ("Oregon", Ohio; "Jordan", Minnesota) needs a qualifier, unless it is
    a big city ("Washington", D.C.)."""
    p = c.place
    if item.qualified or item.dateline:
        return True
    if p.kind == "city" and (p.population or 0) < _param("namesake_city_min_population") and any(
            o.place.kind in ("country", "admin1") and o.place.geonames_id is not None
            and name_key(o.place.name) == name_key(p.name) for o in item.candidates):
        return False
    if p.kind == "admin1" and p.geonames_id is None:
        return same_country >= _param("subdivision_min_country_belief")
    small = p.kind == "city" and (p.population or 0) < _param("city_alone_min_population")
    return not small or same_state > 0.3


def _masses(item: _Entity, weight: float) -> tuple[dict[tuple, float], dict[str, float]]:
    """One entity's belief by state ((country, admin1); (country, "*") for the country itself) and by
    country, times its weight."""
    a1: dict[tuple, float] = defaultdict(float)
    cc: dict[str, float] = defaultdict(float)
    for c in item.candidates:
        p = c.place
        if p.country_code is None:
            continue
        if p.kind == "country":
            a1[(p.country_code, "*")] += weight * c.belief
        elif p.admin1_code:
            a1[(p.country_code, p.admin1_code)] += weight * c.belief
        cc[p.country_code] += weight * c.belief
    return a1, cc


def _decide(found: list[_Entity]) -> dict[str, tuple[Place, str]]:
    """entity_id -> (place, method) for every entity some candidate of which is eligible."""
    for item in found:
        _beliefs(item, {})
    admin1_w, country_w, dateline_w = _param("context_admin1"), _param("context_country"), _param("dateline_weight")
    cap = _param("context_cap")
    states: dict[str, dict[str, float]] = {}
    countries: dict[str, dict[str, float]] = {}
    for _ in range(int(_param("context_rounds"))):
        own = [_masses(item, dateline_w if item.dateline else 1.0) for item in found]
        all_a1: dict[tuple, float] = defaultdict(float)
        all_cc: dict[str, float] = defaultdict(float)
        # belief other entities put on a place itself: another name of that very place ("Mexico City")
        # is no evidence that this name ("Mexico") means it too, so it does not count as its state's
        on_place: dict[str, float] = defaultdict(float)
        for item in found:
            for c in item.candidates:
                if c.place.kind != "country":
                    on_place[c.place.key] += (dateline_w if item.dateline else 1.0) * c.belief
        for a1, cc in own:
            for k, v in a1.items():
                all_a1[k] += v
            for k, v in cc.items():
                all_cc[k] += v
        total = sum(all_cc.values())
        for item, (a1, cc) in zip(found, own, strict=True):
            context, same_states, same_countries = {}, {}, {}
            for c in item.candidates:
                p = c.place
                if p.country_code is None:
                    continue
                same_state = 0.0
                if p.admin1_code and p.kind != "country":
                    state = (p.country_code, p.admin1_code)
                    mine = (dateline_w if item.dateline else 1.0) * c.belief if p.kind != "country" else 0.0
                    same_state = max(0.0, all_a1[state] - a1.get(state, 0.0) - (on_place[p.key] - mine))
                # the country's share of the other places: the same for every candidate in one country,
                # so it tells which country ("Paris", "Georgia"), never which place within it
                in_country = all_cc[p.country_code] - cc.get(p.country_code, 0.0)
                others = total - sum(cc.values())
                by_country = country_w * in_country / others * min(1.0, others / 2) if others > 0 else 0.0
                # the country's part is the same for every candidate in it, so it must not use up the room
                # the state's part has to tell them apart
                context[p.key] = min(cap, admin1_w * same_state) + by_country
                same_states[p.key] = same_state
                same_countries[p.key] = in_country
            states[item.entity.entity_id] = same_states
            countries[item.entity.entity_id] = same_countries
            _beliefs(item, context)
    chosen: dict[str, tuple[Place, str]] = {}
    for item in found:
        same_states = states.get(item.entity.entity_id, {})
        same_countries = countries.get(item.entity.entity_id, {})
        eligible = [c for c in item.candidates if _eligible(item, c, same_states.get(c.place.key, 0.0),
                                                            same_countries.get(c.place.key, 0.0))]
        if not eligible:
            continue
        best = max(eligible, key=lambda c: (c.score, c.place.population or 0, c.place.key))
        by_prior = max(eligible, key=lambda c: (c.prior, c.place.population or 0, c.place.key))
        if item.qualified:
            method = "qualifier"
        elif len(item.candidates) == 1:
            method = "unique"
        elif item.dateline:
            method = "dateline"
        elif best is by_prior:
            method = "population-prior"
        else:
            method = "article-context"
        chosen[item.entity.entity_id] = (best.place, method)
    return chosen


def _beliefs(item: _Entity, context: dict[str, float]) -> None:
    for c in item.candidates:
        c.score = c.prior + context.get(c.place.key, 0.0)
    top = max(c.score for c in item.candidates)
    weights = [math.exp(2.0 * (c.score - top)) for c in item.candidates]
    total = sum(weights)
    for c, w in zip(item.candidates, weights, strict=True):
        c.belief = w / total


# ------------------------------------------------------------------------------ records


def dateline_span(text: str) -> tuple[int, int] | None:
    """The span of the dateline's place names, on one of the first three lines."""
    at = 0
    for line in text[:400].split("\n")[:3]:
        m = _DATELINE.match(line[:120])
        # a dateline ends on a date, or is followed by the story ("CRICKET - LEICESTERSHIRE TAKE OVER" is
        # a headline in capitals)
        if m and (m.group(0)[-1].isdigit() or any(ch.islower() for ch in line[m.end():])):
            return at, at + m.end()
        at += len(line) + 1
    return None


def _rewrite(entities: list[Entity], mentions: list[Mention], chosen: dict[str, tuple[Place, str]]
             ) -> tuple[list[Entity], list[Mention], list[PlaceRecord]]:
    """Entities of one place merged into one, named and keyed by the gazetteer; mentions moved to them."""
    new_id = {eid: place_entity_id(place.key) for eid, (place, _) in chosen.items()}
    out: dict[str, Entity] = {}
    places: dict[str, PlaceRecord] = {}
    for e in entities:
        eid = new_id.get(e.entity_id)
        if eid is None:
            out[e.entity_id] = e
            continue
        place, method = chosen[e.entity_id]
        if eid in out:
            out[eid].n_mentions += e.n_mentions
            continue
        out[eid] = Entity(entity_id=eid, name=place.name, type=_TYPE_OF_KIND[place.kind], name_key=name_key(place.name),
                          n_mentions=e.n_mentions, n_documents=e.n_documents)
        places[eid] = PlaceRecord(entity_id=eid, geonames_id=place.geonames_id, name=place.name, kind=place.kind,
                                  country_code=place.country_code, admin1_code=place.admin1_code,
                                  latitude=place.latitude, longitude=place.longitude, population=place.population,
                                  method=method)
    moved = [m if m.entity_id not in new_id else Mention(**{**m.as_row(), "entity_id": new_id[m.entity_id]})
             for m in mentions]
    return list(out.values()), moved, list(places.values())
