"""Time expressions: find TIMEX3 spans in an article and normalise them against its publication date.

What it does: one regex pass per grammar rule over each line of the article that holds a word of each
list the rule needs (prefilter.py; the grammar and its word lists live in data/time_rules.yaml and
data/time_lexicon.yaml; an expression never runs over a line break), the longest candidate wins, spaCy's parse
filters false friends ("May" the modal verb, years that count people, names such as "Black Friday")
and gives the tense that decides whether a bare "Saturday" or "August" points back or forward.
TimeML span conventions: modifiers ("early", "about", "the end of") are inside the span, a leading
"the" is inside when the expression is a noun phrase of its own ("the third quarter") and outside
when it modifies a noun ("the two-week trip").

What it does not do: TimeML's mod/anchor/temporalFunction attributes, event-time linking, or
calendars other than the Gregorian one. Without an article date, deictic expressions ("last week")
get no value and partial dates stay partial ("XXXX-12-09").

Tense: a future cue ("due", "scheduled to", "extended to", "payable"; also past a preposition or a time
of day, "until 5 p.m. EST Nov. 9", and as the complement of a copula, "is due in court on Monday") looks
forward unless told in the past perfect ("had been due to expire Friday" is past), as does the object
of a verb that fixes a date ("has set Nov. 10 as the deadline"); present-tense forecast verbs ("expects
a fourth-quarter charge") and infinitives that complete a noun or a verb of intent or request ("an
agreement to acquire it in January", "agreed to buy it in February", "asked it to respond by Oct. 31",
"guidelines to be published in May") look forward; a past-tense time clause takes the tense of the
clause it hangs on ("likely to buy as soon as trading opened Monday"). A verb in the simple present
tells a schedule ("talks begin Monday", "the trial opens Tuesday": forward), unless it is a copula, a
reporting verb or a bare form that is also the past ("stocks hurt the index Friday"); a passive takes
its auxiliary's tense ("is set for Saturday" forward, "is being held" present, "was held" and a bare
"evacuated Sunday" past). For a written day that names a thing ("the June 7 primary", "the Iowa caucuses
on Feb. 1") the tense is a preference only (names_a_thing). A weekday that owns a noun ("Friday's close")
is past, unless a phrase of approach leads to the noun ("heading into Tuesday's primary": ahead, or the
nearest day when the clause is past). A year that sets its clause's scene ("In 2008, ...") holds the
months and days told in that clause without a year ("... began airing ads in mid-September": 2008-09).

Normalisers (the `norm` of each rule in time_rules.yaml):

| norm           | examples                              | value                                          |
|----------------|---------------------------------------|------------------------------------------------|
| calendar       | May 23, 2025 / Saturday (December 9)  | 2025-05-23; a day and month without a year:    |
|                | Oct. 23 / August / June last year /   | the latest on/before the article date told in  |
|                | last April                            | the past, the earliest on/after it in the      |
|                |                                       | future, else the nearest (a weekday beside it  |
|                |                                       | picks the year it fits); a month alone: the    |
|                |                                       | nearest, against the tense counting            |
|                |                                       | tense_penalty_days farther (2023-08); "last    |
|                |                                       | April" the latest April before last month;     |
|                |                                       | Feb. 29, 2023 (no such day): no value          |
| numeric_date   | 12/09/2023, 25/12/2023                | m/d/y as in US news; d/m/y if the first > 12   |
| range_end      | 9 (of Dec. 6-9), 9, 2022 (of Dec. 6   | 2023-12-09: the start's month and year. TimeML |
|                | to 9, 2022)                           | has no range value; each end is a TIMEX3       |
| holiday        | Christmas, Election Day, Easter 2024  | 2023-12-25; movable feasts computed; the year  |
|                |                                       | from the tense (past: the last one)            |
| spoken_year    | nineteen ninety-six                   | 1996                                           |
| named_day      | 9/11, the Sept. 11 terrorist attacks  | 2001-09-11 (the date the rule gives)           |
| decade         | the 1990s, the '90s, the nineties     | 199                                            |
| century        | the 20th century, the 1900s           | 19                                             |
| quarter        | the third quarter, Q3 2023, last      | 2023-Q3; "the quarter", "the latest period" is |
|                | quarter, the year-ago quarter         | the last quarter named, else the last complete |
|                |                                       | ("latest", "year-ago", "same" skip a quarter   |
|                |                                       | named looking forward); "the quarter ended July|
|                |                                       | 31" holds most of May-July: 2023-Q2; "the same |
|                |                                       | period last year" is that quarter a year back; |
|                | fiscal 1998's second quarter          | 1998-Q2                                        |
|                | the second and fourth quarters        | SET XXXX-Q2 and XXXX-Q4 ("the" left to both)   |
| half           | the first half of 2023, the first two | 2023-H1                                        |
|                | quarters of 2023                      |                                                |
| season         | this summer, winter 2022              | 2023-SU                                        |
| relative_day   | yesterday, tonight, this morning      | 2023-12-13, 2023-12-14TNI, 2023-12-14TMO       |
|                | overnight                             | the night before the day told about (the day   |
|                |                                       | last named if 1-3 days before the article's)   |
| weekday        | Saturday, last Friday, Friday night,  | past tense: latest on/before the article date; |
|                | this Friday                           | future or a schedule in the simple present     |
|                |                                       | ("talks begin Monday"): earliest on/after it;  |
|                |                                       | progressive or unknown: nearest; "the previous |
|                |                                       | Friday": the one before the day last named     |
| weekend        | the weekend, last weekend             | 2023-W49-WE                                    |
| deictic_unit   | last week, this year, next month,     | 2023-W49, 2023, 2024-01, 2022 (ISO weeks, also |
|                | the latest fiscal year                | on a Sunday); not a title ("This Week" inside a|
|                |                                       | sentence)                                      |
| anaphoric_next | the next day, the following week     | the last date named, shifted                   |
| year_ago_adj   | year-earlier, year-ago                | the last period named (else the year) - 1 year |
| the_year       | the year, the fiscal year             | the article's year; "throughout the year", "the |
|                |                                       | year ended June 30" are DURATION P1Y           |
| year_end       | by year-end, since year-end           | the article's year (the one before after since)|
| year_period    | the 1988 period, the 1988 quarter     | that year's quarter being reported on (for "the|
|                |                                       | 1988 quarter" the last complete one), or 1988  |
| the_unit       | the end of the month, later in the day| the month/day last named, else the article's   |
| offset_ago     | two years ago, three days ago,        | article date minus the amount, at the unit's   |
|                | a decade ago                          | granularity (decades and centuries count years:|
|                |                                       | 2013; "a year ago" after a quarter is that     |
|                |                                       | quarter a year back)                           |
| offset_ref     | a year earlier, three days later      | the last date named, shifted ("a few days      |
|                |                                       | later": DURATION PXD); a year back             |
|                |                                       | right after "the nine months" is the year      |
|                |                                       | before (also "a year ago", "year-earlier")     |
| duration       | ten years, six-month, several weeks,  | P10Y, P6M, PXW; PT2H for hours and minutes;    |
|                | for years, in the first hours,        | PXY, PTXH, P9M                                 |
|                | the year-earlier nine months          |                                                |
| set_unit       | every week, twice a year              | P1W, P1Y                                       |
| set_weekday    | every Monday, on Fridays, on Monday   | XXXX-WXX-1, XXXX-WXX-2TNI (a plural part of the|
|                | and Tuesday nights                    | day makes a weekday recur)                     |
| set_calendar   | each July                             | XXXX-07                                        |
| set_adverb     | weekly, annually                      | P1W, P1Y; not after an amount ("20% annually") |
| clock          | 3 p.m., 10:30, noon                   | 2023-12-14T15:00 (the day next to it, else the |
|                |                                       | last day named, else the article date)         |
| (merged)       | 10 p.m. Thursday night, the night of  | one TIME on that day: 2016-03-10T22:00,        |
|                | Thursday, Thursday night at 1 a.m.    | 2016-03-10TNI, 2016-03-11T01:00 (small hours)  |
| fuzzy          | now, recently, the future, recent,    | PRESENT_REF, PAST_REF, FUTURE_REF              |
|                | future quarters                       |                                                |
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from broadsheet.extract.component import Extractor, doc_id_of, published_of, set_records
from broadsheet.extract.docs import doc_text
from broadsheet.extract.lexicon import LexiconError, load_yaml, threshold
from broadsheet.extract.prefilter import Lines, LiteralSets, first_char_guard, necessary_literal_sets
from broadsheet.extract.records import TimeExpression

# Granularities ordered fine to coarse (weekend and half are reported as week and None).
GRAN_ORDER = ("day", "week", "weekend", "month", "quarter", "half", "season", "year", "decade", "century")
GRAN_REPORTED = {"weekend": "week", "half": None}
SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def _threshold(key: str):
    """A number under `thresholds:` in data/time_rules.yaml."""
    return threshold("time_rules.yaml", key)


def season_of_month(month: int) -> str:
    """The season a month falls in (a season point shifted by months, "the following month" after
    "this fall", can start on any month)."""
    starts = sorted(SEASON_START.items(), key=lambda kv: kv[1])
    return next((code for code, start in reversed(starts) if start <= month), starts[-1][0])


# Entity types whose words are names, not dates ("Black Friday", "Windows 2000", "April Ryan").
NAME_ENTITY_TYPES = {"PERSON", "ORG", "WORK_OF_ART", "PRODUCT", "FAC", "LAW", "EVENT", "GPE", "LOC", "NORP"}
QUANTITY_ENTITY_TYPES = {"MONEY", "PERCENT", "QUANTITY"}
TIME_UNIT_LEMMAS = {"year", "month", "week", "day", "quarter", "period", "season", "decade", "century",
                    "time", "hour", "minute", "night", "morning", "evening", "afternoon", "weekend"}


# ---------------------------------------------------------------- grammar loading

@dataclass(frozen=True)
class Rule:
    """One grammar rule: a compiled pattern, the TIMEX3 type it yields and its normaliser."""

    name: str
    type: str
    norm: str
    regex: re.Pattern
    before: re.Pattern | None = None
    before_not: re.Pattern | None = None
    after_not: re.Pattern | None = None
    fixed: dict = field(default_factory=dict)
    filters: tuple[FalseFriendFilter, ...] = ()  # the rule's `filters` in time_rules.yaml: any true rejects
    needs: LiteralSets = ()  # every match holds one string of each set, case-folded (prefilter.py)
    scanner: re.Pattern | None = None  # `regex` behind a first-character look-ahead: same matches, sooner


def _cased(word: str, case: str) -> list[str]:
    """Spellings of a lexicon word: capitalised and ALL CAPS for names; other words are matched
    ignoring case, so their lower-case form is enough."""
    if case != "title":
        return [word]
    return sorted({word[:1].upper() + word[1:], word.upper()})


def _alternation(words: list[str], case: str = "any") -> str:
    """A non-capturing regex alternation of the words, longest first, spaces matching any whitespace.
    Rules are matched ignoring case, except names ("title" case), so "may" is never the month."""
    forms = {f for w in words for f in _cased(w, case)}
    parts = [re.escape(f).replace(r"\ ", r"\s+") for f in sorted(forms, key=lambda f: (-len(f), f))]
    return ("(?-i:" if case == "title" else "(?:") + "|".join(parts) + ")"


@lru_cache(maxsize=1)
def lexicon() -> dict:
    """The word lists of the grammar (data/time_lexicon.yaml), loaded once."""
    return load_yaml("time_lexicon.yaml")


def _month_alternation(lex: dict, case: str) -> str:
    """Month names, abbreviations with an optional full stop ("Dec.", "Sept"): the stop of a full name
    is the sentence's, not the month's."""
    full = lex["month_full_names"]
    abbrev = [w for w in lex["months"] if w not in full]
    return f"(?:{_alternation(full, case)}|{_alternation(abbrev, case)}\\.?)"


def _holiday_alternation(lex: dict) -> str:
    """Holiday names as written or in capitals, either apostrophe, matched case-sensitively."""
    forms = {f for name in lex["holidays"] for f in (name, name.upper())}
    parts = [re.escape(f).replace(r"\ ", r"\s+").replace("'", "['\u2019]")
             for f in sorted(forms, key=lambda f: (-len(f), f))]
    return "(?-i:" + "|".join(parts) + ")"


def holiday_entry(name: str) -> dict:
    """Lexicon entry of a holiday as written ("Valentine\u2019s Day", "CHRISTMAS")."""
    key = re.sub(r"\s+", " ", name.replace("\u2019", "'")).lower()
    return {k.lower(): v for k, v in lexicon()["holidays"].items()}[key]


def holiday_date(entry: dict, year: int) -> date:
    """The holiday's day in a year: fixed, nth weekday of a month, or relative to Easter."""
    if "easter" in entry:
        from dateutil.easter import easter

        return easter(year) + timedelta(days=entry["easter"])
    if "day" in entry:
        return date(year, entry["month"], entry["day"])
    nth, weekday = entry["nth"], entry["weekday"]
    if nth < 0:
        last = date(year, entry["month"], monthrange(year, entry["month"])[1])
        return last - timedelta(days=(last.isoweekday() - weekday) % 7)
    first = date(year, entry["month"], entry.get("day_min", 1))
    return first + timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (nth - 1))


def _macros(lex: dict, fragments: dict) -> dict[str, str]:
    case = lex["case"]
    # Articles count only at the start of a number ("a hundred", "a year"), never inside ("a five year").
    article = [w for w in lex["numbers"] if w.split()[0] in ("a", "an", "half")]
    number_word = _alternation([w for w in lex["numbers"] if w not in article])
    numeral = rf"(?:{number_word}(?:[- ](?:and[- ])?{number_word}){{0,3}})"
    macros = {
        "MONTH": _month_alternation(lex, case["months"]),
        "MONTH_FULL": _alternation(lex["month_full_names"], case["months"]),
        "WEEKDAY": _alternation(list(lex["weekdays"]), case["weekdays"]),
        "WEEKDAY_FULL": _alternation(lex["weekday_full_names"], case["weekdays"]),
        "WEEKDAYS_PLURAL": _alternation(list(lex["weekdays_plural"]), case["weekdays"]),
        "NUM": rf"(?:{fragments['DIGITS']}|{_alternation(article)}|{numeral})",
        "NUM_NOA": rf"(?:{fragments['DIGITS']}|{numeral})",
        "UNIT_NQ": _alternation([u for u in lex["units"] if not u.startswith("quarter")]),
        "VAGUE": _alternation(lex["vague_numbers"]),
        "UNIT": _alternation(list(lex["units"])),
        "ORD": _alternation(list(lex["ordinals"])),
        "SEASON": _alternation(list(lex["seasons"])),
        "PART": _alternation(list(lex["day_parts"])),
        "RELDAY": _alternation(list(lex["relative_days"])),
        "DIR": _alternation(list(lex["directions"])),
        "FUZZY": _alternation(list(lex["fuzzy"])),
        "SETADV": _alternation(list(lex["set_adverbs"])),
        "DECADE_WORD": _alternation(list(lex["decade_words"])),
        "HOLIDAY": _holiday_alternation(lex),
        "GENERIC_NOUN": _alternation(lex["generic_today_nouns"]),
    }
    macros.update(fragments)
    return macros


def _expand(pattern: str, macros: dict[str, str]) -> str:
    """Replace {MACRO}s until none is left (fragments may use other fragments)."""
    for _ in range(5):
        expanded = re.sub(r"\{([A-Z_]+)\}", lambda m: macros[m.group(1)], pattern)
        if expanded == pattern:
            break
        pattern = expanded
    return pattern


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    """The grammar (data/time_rules.yaml) compiled once, in priority order."""
    return compile_rules(load_yaml("time_rules.yaml"))


def compile_rules(spec: dict) -> tuple[Rule, ...]:
    """A grammar (the contents of a time_rules.yaml) compiled, in priority order. Every rule must name
    a known normaliser and list its false-friend filters (`filters: []` for none): a LexiconError
    says which rule names what, so a new rule never goes unfiltered by accident."""
    macros = _macros(lexicon(), spec["fragments"])
    compiled = []
    for r in spec["rules"]:
        # Word boundaries on both sides, so "1988" is not found inside "19885" nor "may" in "Mayor".
        body = r"(?<![\w'])(?:" + _expand(r["pattern"], macros) + r")(?!\w)"
        opt = {k: re.compile(_expand(r[k], macros), re.I) if k in r else None
               for k in ("before", "before_not", "after_not")}
        fixed = {k: v for k, v in r.items() if k not in ("name", "type", "norm", "pattern", "filters", *opt)}
        if fixed.get("time_of_day", "clock") not in ("clock", "part"):
            raise LexiconError(f"data/time_rules.yaml: rule {r['name']!r}: time_of_day is clock or part, "
                               f"not {fixed['time_of_day']!r}")
        regex = re.compile(body, re.I)
        compiled.append(Rule(r["name"], r["type"], _known_norm(r), regex, fixed=fixed, filters=_rule_filters(r),
                             needs=necessary_literal_sets(regex), scanner=first_char_guard(regex), **opt))
    return tuple(compiled)


def _known_norm(rule: dict) -> str:
    if rule["norm"] not in NORMALISERS:
        raise LexiconError(f"data/time_rules.yaml: rule {rule['name']!r} names unknown norm {rule['norm']!r} "
                           f"(known: {', '.join(sorted(NORMALISERS))})")
    return rule["norm"]


def _rule_filters(rule: dict) -> tuple[FalseFriendFilter, ...]:
    """The filter functions a rule names, checked: each must be registered with @false_friend."""
    if "filters" not in rule:
        raise LexiconError(f"data/time_rules.yaml: rule {rule['name']!r} has no `filters` list "
                           "(write `filters: []` when no false-friend filter applies)")
    names = rule["filters"]
    if not isinstance(names, list):
        raise LexiconError(f"data/time_rules.yaml: rule {rule['name']!r}: `filters` must be a list of names")
    unknown = [name for name in names if name not in FALSE_FRIEND_FILTERS]
    if unknown:
        raise LexiconError(f"data/time_rules.yaml: rule {rule['name']!r} names unknown filter(s) "
                           f"{', '.join(map(repr, unknown))} (known: {', '.join(sorted(FALSE_FRIEND_FILTERS))})")
    return tuple(FALSE_FRIEND_FILTERS[name] for name in names)


@lru_cache(maxsize=1)
def _modifier_patterns() -> dict[str, re.Pattern]:
    lex = lexicon()

    def tail(words: list[str]) -> re.Pattern:
        alts = sorted(words, key=len, reverse=True)
        parts = [re.escape(w).replace(r"\ ", r"\s+") + ("" if w.endswith("-") else r"\s+") for w in alts]
        return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")$", re.I)

    return {"date": tail(lex["date_modifiers"]), "duration": tail(lex["duration_modifiers"])}


# ---------------------------------------------------------------- calendar points

@dataclass(frozen=True)
class Point:
    """A resolved calendar interval: its granularity and first day (seasons start on their month)."""

    gran: str
    start: date

    def end(self) -> date:
        """Last day the point covers (inclusive)."""
        s = self.start
        if self.gran == "day":
            return s
        if self.gran == "week":
            return s + timedelta(days=6)
        if self.gran == "weekend":
            return s + timedelta(days=1)
        months = {"month": 1, "quarter": 3, "half": 6, "season": 3}.get(self.gran)
        if months:
            return _add_months(s, months) - timedelta(days=1)
        years = {"year": 1, "decade": 10, "century": 100}[self.gran]
        return date(s.year + years, 1, 1) - timedelta(days=1)

    def value(self) -> str:
        """The TIMEX3 value string."""
        s, g = self.start, self.gran
        if g == "day":
            return s.isoformat()
        if g in ("week", "weekend"):
            y, w, _ = s.isocalendar()
            return f"{y:04d}-W{w:02d}" + ("-WE" if g == "weekend" else "")
        if g == "month":
            return f"{s.year:04d}-{s.month:02d}"
        if g == "quarter":
            return f"{s.year:04d}-Q{(s.month - 1) // 3 + 1}"
        if g == "half":
            return f"{s.year:04d}-H{(s.month - 1) // 6 + 1}"
        if g == "season":
            return f"{s.year:04d}-{season_of_month(s.month)}"
        if g == "year":
            return f"{s.year:04d}"
        if g == "decade":
            return f"{s.year // 10:03d}"
        return f"{s.year // 100:02d}"

    def shift(self, n: int, unit: str | None = None) -> Point:
        """The point moved by n units (its own granularity unless another unit is given)."""
        unit = unit or self.gran
        if unit in ("day",):
            return Point(self.gran, self.start + timedelta(days=n))
        if unit in ("week", "weekend"):
            return Point(self.gran, self.start + timedelta(weeks=n))
        months = {"month": 1, "quarter": 3, "half": 6, "season": 12, "year": 12, "decade": 120,
                  "century": 1200}[unit]
        return Point(self.gran, _add_months(self.start, n * months))

    def coarsen(self, gran: str) -> Point:
        """The point of granularity `gran` containing this point's first day."""
        return point_of(gran, self.start)


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, monthrange(year, month)[1]))


def point_of(gran: str, d: date) -> Point:
    """The point of granularity `gran` that contains day d."""
    if gran == "day":
        return Point("day", d)
    if gran == "week":
        return Point("week", d - timedelta(days=d.weekday()))
    if gran == "weekend":
        return Point("weekend", d - timedelta(days=d.weekday()) + timedelta(days=5))
    if gran == "month":
        return Point("month", d.replace(day=1))
    if gran == "quarter":
        return Point("quarter", date(d.year, (d.month - 1) // 3 * 3 + 1, 1))
    if gran == "half":
        return Point("half", date(d.year, (d.month - 1) // 6 * 6 + 1, 1))
    if gran == "season":
        start = max((m for m in SEASON_START.values() if m <= d.month), default=None)
        return Point("season", date(d.year, start, 1) if start else date(d.year - 1, 12, 1))
    if gran == "year":
        return Point("year", date(d.year, 1, 1))
    if gran == "decade":
        return Point("decade", date(d.year // 10 * 10, 1, 1))
    return Point("century", date(d.year // 100 * 100, 1, 1))


def finer(a: str, b: str) -> str:
    """The finer of two granularities."""
    return a if GRAN_ORDER.index(a) <= GRAN_ORDER.index(b) else b


def nearest(candidates: list[Point], dct: date, direction: int) -> Point:
    """The candidate nearest the article date, those against the tense's direction counting as
    tense_penalty_days (time_rules.yaml) farther: "Feb. 1" in an October article is next February even in a past-tense
    sentence ("effective Feb. 1"), "April" in a past-tense October sentence is the April before."""

    tense_penalty = _threshold("tense_penalty_days")
    year_change_penalty = _threshold("year_change_penalty_days")

    def cost(c: Point) -> int:
        if c.start <= dct <= c.end():
            return 0
        after = c.start > dct
        gap = (c.start - dct).days if after else (dct - c.end()).days
        wrong_side = (after and direction < 0) or (not after and direction > 0)
        other_year = year_change_penalty if c.start.year != dct.year else 0
        return gap + other_year + (tense_penalty.get(c.gran, tense_penalty["other"]) if wrong_side else 0)

    return min(candidates, key=cost)


def choose(candidates: list[Point], dct: date, direction: int) -> Point:
    """The candidate the tense points at: past = latest not after dct, future = earliest not before it,
    present/unknown = nearest to dct."""
    if direction < 0:
        ok = [c for c in candidates if c.start <= dct]
        if ok:
            return max(ok, key=lambda c: c.start)
    if direction > 0:
        ok = [c for c in candidates if c.end() >= dct]
        if ok:
            return min(ok, key=lambda c: c.start)

    def distance(c: Point) -> int:
        return 0 if c.start <= dct <= c.end() else min(abs((c.start - dct).days), abs((c.end() - dct).days))

    return min(candidates, key=distance)


# ---------------------------------------------------------------- resolution context

@dataclass
class Result:
    """What a normaliser returns: the value, the point it covers, and a type when the rule's is wrong."""

    value: str | None
    point: Point | None = None
    type: str | None = None
    anchors: bool = True  # whether later anaphoric expressions ("a year earlier") may refer to it


@dataclass
class Context:
    """Per-document state: the article date and the last date named (the reference time)."""

    dct: date | None
    ref: Point | None = None
    ref_end: int = 0
    ref_dir: int = 0  # the tense the reference time was named in (+1: looking forward)
    stretch_end: int = -1  # end of the last reporting stretch named ("the nine months"), -1 if none
    loose_tense: bool = False  # the expression being resolved names a thing (names_a_thing)
    year_scope: int | None = None  # the year the expression lies in the scope of (scoping_year)

    def after_stretch(self, m: Match) -> bool:
        """Whether a year-back comparison ("a year earlier") refers to a reporting stretch ("for the
        nine months, ... a year earlier" is the year before), not to the quarter or day last named."""
        return self.stretch_end > self.ref_end and m.start - self.stretch_end <= _threshold("stretch_reach_chars")

    def anchor(self) -> Point | None:
        """The reference time for anaphoric expressions: the last date named, else the article day."""
        if self.ref is not None:
            return self.ref
        return Point("day", self.dct) if self.dct else None


@dataclass
class Match:
    """A candidate span with its rule and named groups."""

    start: int
    end: int
    rule: Rule
    groups: dict[str, str]
    text_before: str = ""


# ---------------------------------------------------------------- number and unit helpers

def parse_number(text: str) -> float | None:
    """'twenty four' -> 24, 'a hundred' -> 100, '2 1/2' -> 2.5, '1.5' -> 1.5."""
    text = text.strip().lower()
    numbers = lexicon()["numbers"]
    m = re.fullmatch(r"(\d[\d,]*(?:\.\d+)?)(?:\s+1/2)?", text)
    if m:
        return float(m.group(1).replace(",", "")) + (0.5 if "1/2" in text else 0.0)
    words = [w for w in re.split(r"[\s-]+", text) if w and w != "and"]
    total, current, i = 0.0, 0.0, 0
    while i < len(words):
        for size in (3, 2, 1):  # multi-word entries such as "a couple of"
            key = " ".join(words[i:i + size])
            if len(words[i:i + size]) == size and key in numbers:
                val = float(numbers[key])
                break
        else:
            return None
        if val in (100, 1000) and current:
            current *= val
            if val == 1000:
                total, current = total + current, 0.0
        else:
            current += val
        i += size
    return total + current


def unit_info(unit: str) -> dict:
    """Lexicon entry of a unit word ('weeks' -> letter W)."""
    return lexicon()["units"][re.sub(r"\s+", " ", unit.lower())]


def unit_gran(unit: str) -> str | None:
    """Calendar granularity of a unit word, for offsets ('two weeks ago' is week-grained). Decades and
    centuries count years: "a decade ago" in 2023 is 2013, not the 2010s, as "ten years ago" is."""
    info = unit_info(unit)
    if info.get("time"):
        return "day"
    if info["letter"] == "Y":
        return "year"
    return {"M": "month", "W": "week", "D": "day", "Q": "quarter"}[info["letter"]]


def duration_value(amount: float | None, unit: str) -> str:
    """TIMEX3 duration: P10Y, PT2H, P18M for 1.5 years; PXY when the amount is vague (None)."""
    info = unit_info(unit)
    letter, per, is_time = info["letter"], info["n"], bool(info.get("time"))
    if amount is None:
        vague = {10: "DE", 100: "CE"}.get(per, letter) if letter == "Y" else letter
        return ("PTX" if is_time else "PX") + vague
    amount *= per
    if letter == "Q":
        letter, amount = "M", amount * 3
    whole = int(amount)
    if amount != whole:
        # Fractions carry into the next smaller unit where that is exact: 2.5 years is P2Y6M.
        step = {("Y", False): ("M", 12), ("D", False): ("H", 24), ("H", True): ("M", 60),
                ("M", True): ("S", 60)}.get((letter, is_time))
        rest = (amount - whole) * step[1] if step else None
        if step and rest == int(rest):
            head = f"{whole}{letter}" if whole else ""
            if letter == "D":  # days and hours: P1DT12H
                return f"P{head}T{int(rest)}H"
            return ("PT" if is_time else "P") + head + f"{int(rest)}{step[0]}"
    num = str(whole) if amount == whole else f"{amount:g}"
    return ("PT" if is_time else "P") + num + letter


def direction_word(word: str | None) -> int | None:
    """Shift of a direction word: last -1, this 0, next +1."""
    if not word:
        return None
    return lexicon()["directions"].get(re.sub(r"\s+", " ", word.lower()))


# ---------------------------------------------------------------- normalisers

Normaliser = Callable[[Match, Context, int], "Result | None"]
NORMALISERS: dict[str, Normaliser] = {}
_Fn = TypeVar("_Fn", bound=Callable)


def _registrar(table: dict[str, _Fn]) -> Callable[[str], Callable[[_Fn], _Fn]]:
    """A decorator factory filing functions in `table` under the name time_rules.yaml gives them."""
    def named(name: str) -> Callable[[_Fn], _Fn]:
        def register(fn: _Fn) -> _Fn:
            table[name] = fn
            return fn
        return register
    return named


normaliser = _registrar(NORMALISERS)


def _month_number(word: str) -> int:
    if word.isdigit():
        return int(word)
    return lexicon()["months"][word.lower().rstrip(".")]


def _day_number(word: str) -> int:
    return int(re.match(r"\d+", word).group())


def _resolve_partial(month: int, day: int | None, ctx: Context, direction: int,
                     weekday: int | None) -> Result | None:
    """A month (and day) without a year: the year the tense points at, or XXXX without an article date."""
    if day is not None and day > monthrange(2000, month)[1]:
        return Result(None, anchors=False)  # "Feb. 30": a date no year has; the text is kept, unvalued
    if ctx.dct is None:
        return Result(f"XXXX-{month:02d}" + (f"-{day:02d}" if day else ""), anchors=False)
    years = (ctx.dct.year - 1, ctx.dct.year, ctx.dct.year + 1)
    if ctx.year_scope is not None and not (ctx.year_scope < ctx.dct.year and direction > 0):
        years = (ctx.year_scope,)  # "In 2008, the campaign began airing ads in mid-September"
    if day is None:
        p = nearest([Point("month", date(y, month, 1)) for y in years], ctx.dct, direction)
        return Result(p.value(), p)
    cands = [Point("day", date(y, month, day)) for y in years if day <= monthrange(y, month)[1]]
    # "Saturday (December 9)": the year in which the weekday fits says more than the tense.
    fitting = [c for c in cands if c.start.isoweekday() == weekday]
    if fitting:
        p = nearest(fitting, ctx.dct, 0)
    elif ctx.loose_tense and cands:
        p = nearest(cands, ctx.dct, direction)  # "the June 7 primary": the tense is a preference only
    else:
        p = day_for_tense(cands, ctx.dct, direction)
    if p is None:
        return Result(None, anchors=False)  # "Feb. 29" told in the past in 2023: no such day to point at
    return Result(p.value(), p)


def day_for_tense(cands: list[Point], dct: date, direction: int) -> Point | None:
    """A day and month without a year, told in a tense: past, the latest such day on or before the
    article date ("Oct. 23" in a past-tense sentence of an October 20 article is last year's); future,
    the earliest on or after it; present or unknown, the nearest. None when no candidate lies on the
    tense's side (a 29 February told in the past in a year after a leap year's)."""
    if direction < 0:
        return max((c for c in cands if c.start <= dct), key=lambda c: c.start, default=None)
    if direction > 0:
        return min((c for c in cands if c.start >= dct), key=lambda c: c.start, default=None)
    return nearest(cands, dct, 0) if cands else None


@normaliser("calendar")
def norm_calendar(m: Match, ctx: Context, direction: int) -> Result | None:
    g = m.groups
    month = _month_number(g["month"]) if g.get("month") else None
    day = _day_number(g["day"]) if g.get("day") else None
    year = year_of(g["year"]) if g.get("year") else None
    weekday = lexicon()["weekdays"][g["weekday"].lower().rstrip(".")] if g.get("weekday") else None
    if year is not None and len(g["year"]) == 2:
        year = _two_digit_year(year, ctx.dct)
    if g.get("yeardir"):  # "June last year"
        year = _year_from_dir(g["yeardir"], ctx)
        if year is None:
            return Result(None, anchors=False)
    if month is None:
        return Result(f"{year:04d}", Point("year", date(year, 1, 1)))
    if day is not None and year is not None:
        if day > monthrange(year, month)[1]:
            # "Feb. 29, 2023": no such day. The text stays a time expression, without a value: any
            # value would be a day the text does not name (the text's year has no Feb. 29).
            return Result(None, anchors=False)
        p = Point("day", date(year, month, day))
        return Result(p.value(), p)
    if year is not None:
        p = Point("month", date(year, month, 1))
        return Result(p.value(), p)
    shift = direction_word(g.get("dir"))
    if shift is not None and ctx.dct is not None:
        # "last April" is the latest April before this month, "next May" the first after it.
        cands = [Point("month", date(y, month, 1)) for y in range(ctx.dct.year - 1, ctx.dct.year + 2)]
        this_month = point_of("month", ctx.dct)
        if shift < 0:
            # The month just before this one is "last month"; "last February" said in March is a
            # year back (but "this past February" is the one just ended).
            before = this_month.shift(-1) if g["dir"].lower() in ("last", "past", "previous") else this_month
            p = max((c for c in cands if c.start < before.start), key=lambda c: c.start)
        elif shift > 0:
            p = min((c for c in cands if c.start > this_month.start), key=lambda c: c.start)
        else:
            p = Point("month", date(ctx.dct.year, month, 1))
        return Result(p.value(), p)
    return _resolve_partial(month, day, ctx, direction, weekday)


def _two_digit_year(yy: int, dct: date | None) -> int:
    """'98' -> 1998, '05' -> 2005: the century that puts the year at most ten years after the article."""
    pivot = (dct.year if dct else 2000) + _threshold("two_digit_year_max_ahead")
    year = pivot // 100 * 100 + yy
    return year - 100 if year > pivot else year


def year_of(text: str) -> int:
    """A year written in digits or read out ("nineteen ninety-six", "two thousand and one")."""
    if text.isdigit():
        return int(text)
    words = re.split(r"[\s-]+", text.lower())
    if words[:2] == ["two", "thousand"]:
        rest = [w for w in words[2:] if w != "and"]
        year = 2000 + int(parse_number(" ".join(rest)) or 0) if rest else 2000
    else:
        rest = [w for w in words[1:] if w != "oh"]
        hundreds = int(parse_number(words[0]) or 0)
        tail = 0 if rest == ["hundred"] else int(parse_number(" ".join(rest)) or 0)
        year = hundreds * 100 + tail
    return year


@normaliser("range_end")
def norm_range_end(m: Match, ctx: Context, direction: int) -> Result | None:
    """The day that ends a range within one month ("9" of "Dec. 6-9"): the month and year of the range's
    start, which the rule's `before` reads; a day not after the start ends no range."""
    start = m.rule.before.search(m.text_before)
    month, first = _month_number(start.group("smonth")), _day_number(start.group("sday"))
    day = _day_number(m.groups["day"])
    if not first < day <= monthrange(2000, month)[1]:
        return None
    if m.groups.get("year"):
        year = int(m.groups["year"])
    elif ctx.ref is not None and ctx.ref.gran == "day" and (ctx.ref.start.month, ctx.ref.start.day) == (month, first):
        year = ctx.ref.start.year  # the start, just resolved
    else:
        begun = _resolve_partial(month, first, ctx, direction, None)
        if begun.point is None:
            return Result(f"XXXX-{month:02d}-{day:02d}" if ctx.dct is None else None, anchors=False)
        year = begun.point.start.year
    if day > monthrange(year, month)[1]:
        return Result(None, anchors=False)
    p = Point("day", date(year, month, day))
    return Result(p.value(), p)


@normaliser("named_day")
def norm_named_day(m: Match, ctx: Context, direction: int) -> Result | None:
    """A day that names an event ("9/11"): its date whatever the article's; it is no reference time."""
    p = Point("day", date.fromisoformat(str(m.rule.fixed["date"])))
    return Result(p.value(), p, anchors=False)


@normaliser("spoken_year")
def norm_spoken_year(m: Match, ctx: Context, direction: int) -> Result | None:
    p = Point("year", date(year_of(m.groups["spoken"]), 1, 1))
    return Result(p.value(), p)


@normaliser("holiday")
def norm_holiday(m: Match, ctx: Context, direction: int) -> Result | None:
    entry = holiday_entry(m.groups["holiday"])
    if m.groups.get("year"):
        p = Point("day", holiday_date(entry, int(m.groups["year"])))
        return Result(p.value(), p)
    if ctx.dct is None:
        fixed = "day" in entry
        return Result(f"XXXX-{entry['month']:02d}-{entry['day']:02d}" if fixed else None, anchors=False)
    cands = [Point("day", holiday_date(entry, y)) for y in range(ctx.dct.year - 1, ctx.dct.year + 2)]
    p = choose(cands, ctx.dct, direction)  # a holiday recurs yearly: the tense decides which one
    return Result(p.value(), p)


@normaliser("numeric_date")
def norm_numeric_date(m: Match, ctx: Context, direction: int) -> Result | None:
    a, b, y = int(m.groups["a"]), int(m.groups["b"]), m.groups["year"]
    year = int(y) if len(y) == 4 else _two_digit_year(int(y), ctx.dct)
    month, day = (b, a) if a > 12 else (a, b)  # US order unless the first number cannot be a month
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if day > monthrange(year, month)[1]:
        return Result(None, anchors=False)  # "2/29/2023": a date, but no such day (see norm_calendar)
    p = Point("day", date(year, month, day))
    return Result(p.value(), p)


@normaliser("decade")
def norm_decade(m: Match, ctx: Context, direction: int) -> Result | None:
    g = m.groups
    if g.get("decade"):
        p = Point("decade", date(int(g["decade"]), 1, 1))
        return Result(p.value(), p)
    digit = int(g["decade2"][0]) if g.get("decade2") else lexicon()["decade_words"][g["decword"].lower()]
    ref_year = ctx.dct.year if ctx.dct else 1999
    # The most recent such decade that has begun: "the '90s" in 2023 is the 1990s, "the '20s" the 2020s.
    year = ref_year // 100 * 100 + digit * 10
    if year > ref_year:
        year -= 100
    p = Point("decade", date(year, 1, 1))
    return Result(p.value(), p)


@normaliser("century")
def norm_century(m: Match, ctx: Context, direction: int) -> Result | None:
    g = m.groups
    if g.get("hundreds"):
        n = int(g["hundreds"])
    else:
        word = g["ord"].lower()
        n = lexicon()["ordinals"].get(word) or _day_number(word)
        if n < 1:
            return None
        n -= 1
    p = Point("century", date(max(n, 0) * 100 or 1, 1, 1))
    return Result(f"{n:02d}", p if n > 0 else None)


def _year_from_dir(word: str | None, ctx: Context) -> int | None:
    shift = direction_word(word)
    return ctx.dct.year + shift if shift is not None and ctx.dct else None


@normaliser("quarter")
def norm_quarter(m: Match, ctx: Context, direction: int) -> Result | None:
    g = m.groups
    ref = ctx.ref if ctx.ref is not None and ctx.ref.gran == "quarter" else None
    if m.rule.fixed.get("quarter_from_context"):
        word = re.sub(r"\s+", " ", (g.get("dir") or g.get("pdir") or "the").lower())
        word = {"most recent": "latest", "comparable": "same", "corresponding": "same"}.get(word, word)
        if ctx.dct is None and ref is None:
            return Result("XXXX-QX", anchors=False)
        current = point_of("quarter", ctx.dct) if ctx.dct else ref
        shift = direction_word(word)
        # The quarter being reported on has begun and was not named looking forward: an outlook ("will
        # take a fourth-quarter charge", "the third quarter of 1990") is not what "the latest quarter"
        # or "the year-ago period" means.
        reported = ref if ref is not None and ctx.ref_dir <= 0 and (
            ctx.dct is None or ref.start <= ctx.dct) else None
        if g.get("ended") and ctx.dct is not None:  # "the quarter ended July 31"
            p = _quarter_ended(g, ctx.dct)
        elif word in ("year-ago", "year-earlier"):
            p = (reported or current.shift(-1)).shift(-1, "year")
        elif word == "same":
            p = reported or current.shift(-1)
        elif word in ("latest", "recent", "just-ended"):
            p = reported if reported is not None and reported.start >= current.shift(-2).start else (
                current.shift(-1))
        elif shift is not None and word not in ("past",):
            p = current.shift(shift)
        elif word == "past":
            p = current.shift(-1)
        else:  # "the quarter", "the latest quarter": the one being reported on
            recent = ref is not None and ctx.dct is not None and ref.start >= current.shift(-2).start
            p = ref if recent or ctx.dct is None else current.shift(-1)
        if g.get("dir3") and ctx.dct is not None:  # "last year's quarter": the same quarter, that year
            p = Point("quarter", date(ctx.dct.year + (direction_word(g["dir3"]) or 0), p.start.month, 1))
        if g.get("ago"):  # "the quarter a year ago", "the same period last year"
            p = p.shift(-1, "year")
        backward = word in ("year-ago", "year-earlier") or bool(g.get("ago") or g.get("dir3"))
        return Result(p.value(), p, anchors=not backward)
    if g.get("qn") or g.get("qn2"):
        q = int(g.get("qn") or g.get("qn2"))
    elif g.get("ord", "").lower() == "last" and not g.get("year") and not g.get("dir2"):
        return None  # "the last quarter" is quarter_dir's
    else:
        q = lexicon()["ordinals"][g["ord"].lower()]
        q = 4 if q == -1 else q
    if not 1 <= q <= 4:
        return None
    if g.get("plural") and not (g.get("year") or g.get("dir2") or g.get("dir")):
        # "business is brisk in the second and fourth quarters": those quarters of every year
        return Result(f"XXXX-Q{q}", type="SET", anchors=False)
    year = None
    if g.get("year") or g.get("year3") or g.get("year4"):
        y = g.get("year") or g.get("year3") or g["year4"]
        year = int(y) if len(y) == 4 else _two_digit_year(int(y), ctx.dct)
    elif g.get("dir2") or g.get("dir3"):
        year = _year_from_dir(g.get("dir2") or g["dir3"], ctx)
    if year is None:
        if ctx.dct is None:
            return Result(f"XXXX-Q{q}", anchors=False)
        else:
            # Quarters are talked about around their end: this year's, unless it has not begun yet and
            # the sentence looks back ("the fourth quarter" in a past-tense sentence in May).
            this_year = Point("quarter", date(ctx.dct.year, (q - 1) * 3 + 1, 1))
            not_begun = this_year.start > ctx.dct
            p = this_year.shift(-1, "year") if not_begun and direction < 0 else this_year
            if g.get("yago"):
                return Result(p.shift(-1, "year").value(), p.shift(-1, "year"), anchors=False)
            return Result(p.value(), p)
    p = Point("quarter", date(year, (q - 1) * 3 + 1, 1))
    if g.get("yago"):
        return Result(p.shift(-1, "year").value(), p.shift(-1, "year"), anchors=False)
    return Result(p.value(), p)


def _quarter_ended(g: dict, dct: date) -> Point:
    """"The quarter ended July 31": the calendar quarter holding most of the three months that end
    then (May to July is the second quarter), in the latest year in which that end is not after dct."""
    month = _month_number(g["emonth"])
    day = _day_number(g["eday"]) if g.get("eday") else monthrange(dct.year, month)[1]
    year = dct.year if (month, day) <= (dct.month, dct.day) else dct.year - 1
    middle = _add_months(date(year, month, 1), -1)
    return point_of("quarter", middle)


@normaliser("half")
def norm_half(m: Match, ctx: Context, direction: int) -> Result | None:
    g = m.groups
    h = 1 if g["ord"].lower() in ("first", "1st") else 2  # "the first two quarters" is the first half
    year = int(g["year"]) if g.get("year") else _year_from_dir(g.get("dir"), ctx)
    if year is None and ctx.ref is not None and ctx.ref.gran == "year":
        year = ctx.ref.start.year
    if year is None:
        if ctx.dct is None:
            return Result(f"XXXX-H{h}", anchors=False)
        year = ctx.dct.year
    p = Point("half", date(year, 1 + 6 * (h - 1), 1))
    return Result(p.value(), p)


@normaliser("season")
def norm_season(m: Match, ctx: Context, direction: int) -> Result | None:
    g = m.groups
    code = lexicon()["seasons"][g["season"].lower()]
    month = SEASON_START[code]
    if g.get("year"):
        p = Point("season", date(year_of(g["year"]), month, 1))
        return Result(p.value(), p)
    if ctx.dct is None:
        return Result(f"XXXX-{code}", anchors=False)
    cands = [Point("season", date(y, month, 1)) for y in range(ctx.dct.year - 2, ctx.dct.year + 2)]
    shift = direction_word(g.get("dir"))
    current = point_of("season", ctx.dct)
    if shift is not None and shift < 0:
        p = max((c for c in cands if c.end() < ctx.dct), key=lambda c: c.start)
    elif shift is not None and shift > 0:
        p = min((c for c in cands if c.start > ctx.dct), key=lambda c: c.start)
    elif shift == 0:
        same = [c for c in cands if c.start == current.start]
        this_year = [c for c in cands if c.start.year == ctx.dct.year]
        p = same[0] if same else min(this_year, key=lambda c: c.start)
    else:
        p = choose(cands, ctx.dct, direction)
    return Result(p.value(), p)


def _with_part(p: Point, part: str | None) -> tuple[str, str | None]:
    """Value of a day with a part of the day (2023-12-14TNI) and the type it makes."""
    if not part:
        return p.value(), None
    code = lexicon()["day_parts"][part.lower()]
    return f"{p.value()}T{code}", "TIME"


def _recent_story_day(ctx: Context) -> bool:
    """The day last named is a day just before the article's (a Monday paper telling Friday's
    trading), so it, not the article date, is the day being told about."""
    ref = ctx.ref
    return (ref is not None and ctx.dct is not None and ref.gran == "day"
            and 0 < (ctx.dct - ref.start).days <= 3)


@normaliser("relative_day")
def norm_relative_day(m: Match, ctx: Context, direction: int) -> Result | None:
    g = m.groups
    lex = lexicon()
    part = g.get("part") or g.get("part2") or g.get("part3")
    if g.get("rel"):
        word = g["rel"].lower()
        entry = lex["relative_days"].get(word, {"offset": 0})
        offset, part = entry["offset"], part or entry.get("part")
        part = {"NI": "night"}.get(part, part)
        base = Point("day", ctx.dct) if ctx.dct else None
        if entry.get("from_ref") and _recent_story_day(ctx):
            base = ctx.ref  # "overnight losses": the night before the day being told about
    elif g.get("rel2"):
        offset = -2 if "before" in g["rel2"].lower() else 2
        base = Point("day", ctx.dct) if ctx.dct else None
    elif g.get("part2"):
        offset, base = -1, Point("day", ctx.dct) if ctx.dct else None
    else:  # "this day", "the same day", "in the morning": the day last named
        offset = 0
        base = ctx.ref.coarsen("day") if ctx.ref is not None and ctx.ref.gran == "day" else (
            Point("day", ctx.dct) if ctx.dct else None)
    if base is None:
        return Result(None, anchors=False, type="TIME" if part else None)
    p = base.shift(offset)
    value, typ = _with_part(p, part)
    return Result(value, p, typ)


def weekday_for_tense(dct: date, weekday: int, direction: int) -> date:
    """The day a weekday names, told in a tense (as HeidelTime resolves it): past, the latest such
    day on or before the article date; future, the earliest on or after it; present (progressive,
    "is meeting Friday") or unknown, the nearest."""
    back = (dct.isoweekday() - weekday) % 7
    fwd = (weekday - dct.isoweekday()) % 7
    if direction < 0:
        return dct - timedelta(days=back)
    if direction > 0:
        return dct + timedelta(days=fwd)
    return dct + timedelta(days=fwd) if fwd < back else dct - timedelta(days=back)


@normaliser("weekday")
def norm_weekday(m: Match, ctx: Context, direction: int) -> Result | None:
    g = m.groups
    wd = lexicon()["weekdays"][g["weekday"].lower().rstrip(".")]
    shift = direction_word(g.get("dir"))
    if ctx.dct is None:
        value = f"XXXX-WXX-{wd}"
        return Result(value + (f"T{lexicon()['day_parts'][g['part'].lower()]}" if g.get("part") else ""),
                      anchors=False, type="TIME" if g.get("part") else None)
    dct = ctx.dct
    back = (dct.isoweekday() - wd) % 7
    fwd = (wd - dct.isoweekday()) % 7
    anaphoric = (g.get("dir") or "").lower() in ("previous", "preceding", "prior")
    if anaphoric and ctx.ref is not None and ctx.ref.gran == "day":
        # "down from the previous Friday": the one before the day last named, not before the article.
        base = ctx.ref.start
        d = base - timedelta(days=(base.isoweekday() - wd) % 7 or 7)
    elif shift is not None and shift < 0:
        d = dct - timedelta(days=back or 7)
    elif shift is not None and shift > 0:
        d = dct + timedelta(days=fwd or 7)
    else:
        # A bare "Friday", or "this Friday" (which says no more than the bare day about which week).
        d = weekday_for_tense(dct, wd, direction)
    p = Point("day", d)
    value, typ = _with_part(p, g.get("part"))
    return Result(value, p, typ)


@normaliser("weekend")
def norm_weekend(m: Match, ctx: Context, direction: int) -> Result | None:
    if ctx.dct is None:
        return Result("XXXX-WXX-WE", anchors=False)
    shift = direction_word(m.groups.get("dir"))
    this = point_of("weekend", ctx.dct)
    if shift is None:
        # "the weekend": the one just past in a past-tense sentence, else the coming one.
        in_weekend = ctx.dct.isoweekday() >= 6
        shift = 0 if direction >= 0 or in_weekend else -1
    p = this.shift(shift)
    return Result(p.value(), p)


def _preceded_by_the(m: Match) -> bool:
    return bool(re.search(r"\bthe\s+$", m.text_before, re.I))


@normaliser("deictic_unit")
def norm_deictic_unit(m: Match, ctx: Context, direction: int) -> Result | None:
    g = m.groups
    word = (g.get("dir") or m.rule.fixed["dir"]).lower()
    unit = re.sub(r"\s+", " ", g["unit"].lower()).replace("fiscal ", "")
    if ctx.dct is None:
        return Result(None, anchors=False)
    shift = direction_word(word) or 0
    p = point_of(unit, ctx.dct).shift(shift)
    return Result(p.value(), p)


@normaliser("anaphoric_next")
def norm_anaphoric_next(m: Match, ctx: Context, direction: int) -> Result | None:
    g = m.groups
    word, unit = g["dir"].lower(), g["unit"].lower()
    base = ctx.anchor()
    if base is None:
        return Result(None, anchors=False)
    shift = {"same": 0, "that": 0}.get(word, direction_word(word) or 0)
    if unit in lexicon()["day_parts"]:
        p = base.coarsen("day") if base.gran == "day" else Point("day", ctx.dct or base.start)
        p = p.shift(shift)
        value, typ = _with_part(p, unit)
        return Result(value, p, typ)
    gran = unit if GRAN_ORDER.index(unit) >= GRAN_ORDER.index(base.gran) else base.gran
    p = point_of(gran, base.start).shift(shift, unit)
    return Result(p.value(), p)


@normaliser("year_ago_adj")
def norm_year_ago_adj(m: Match, ctx: Context, direction: int) -> Result | None:
    # The period being compared: the quarter (or month) just named, else the article's year.
    base = ctx.ref if ctx.ref is not None and ctx.ref.gran in ("quarter", "half", "month") else None
    if ctx.after_stretch(m):
        base = None
    if base is None:
        if ctx.dct is None:
            return Result(None, anchors=False)
        base = point_of("year", ctx.dct)
    p = base.shift(-1, "year")
    return Result(p.value(), p, anchors=False)


@normaliser("year_period")
def norm_year_period(m: Match, ctx: Context, direction: int) -> Result | None:
    """"the 1988 period", "the 1988 quarter": the quarter being reported on, in that year."""
    year = int(m.groups["year"])
    ref = ctx.ref
    unit = m.groups["unit"].lower()
    if unit != "year" and ref is not None and ref.gran == "quarter":
        p = Point("quarter", date(year, ref.start.month, 1))
    elif unit == "quarter" and ctx.dct is not None:  # no quarter named yet: the last complete one's
        p = Point("quarter", date(year, point_of("quarter", ctx.dct).shift(-1).start.month, 1))
    else:
        p = Point("year", date(year, 1, 1))
    return Result(p.value(), p, anchors=False)


@normaliser("year_end")
def norm_year_end(m: Match, ctx: Context, direction: int) -> Result | None:
    """"by year-end" is the end of this year; "since year-end" the end of the last one."""
    if ctx.dct is None:
        return Result(None, anchors=False)
    year = ctx.dct.year - (1 if re.search(r"\bsince\s+$", m.text_before, re.I) else 0)
    p = Point("year", date(year, 1, 1))
    return Result(p.value(), p, anchors=False)


@normaliser("the_unit")
def norm_the_unit(m: Match, ctx: Context, direction: int) -> Result | None:
    """"the month", "the day": the one containing the last date named (if as fine), else the article's."""
    unit = m.groups["unit"].lower()
    ref = ctx.ref
    if ref is not None and GRAN_ORDER.index(ref.gran) <= GRAN_ORDER.index(unit):
        p = ref.coarsen(unit)
    elif ctx.dct is not None:
        p = point_of(unit, ctx.dct)
    else:
        return Result(None, anchors=False)
    return Result(p.value(), p, anchors=False)


@normaliser("the_year")
def norm_the_year(m: Match, ctx: Context, direction: int) -> Result | None:
    stretch = re.search(r"\b(?:during|over|throughout|all|through)\s+$", m.text_before, re.I)
    if stretch or m.groups.get("ended"):
        # "throughout the year", "the year ended Sept. 30": a stretch of twelve months.
        return Result("P1Y", type="DURATION", anchors=False)
    # News means the current (fiscal) year by "the year"; the article's year is the best guess.
    if ctx.dct is None:
        return Result(None, anchors=False)
    base = point_of("year", ctx.dct)
    return Result(base.value(), base, anchors=False)


def _amount(g: dict) -> float | None:
    if g.get("vnum") or g.get("bunit"):
        return None
    return parse_number(g["num"]) if g.get("num") else 1.0


@normaliser("offset_ago")
def norm_offset_ago(m: Match, ctx: Context, direction: int) -> Result | None:
    g = m.groups
    amount = _amount(g)
    if amount is None:
        return Result("PAST_REF", anchors=False)
    unit = g["unit"]
    gran = unit_gran(unit)
    if ctx.dct is None:
        return Result(None, anchors=False)
    n = -amount * unit_info(unit)["n"]
    ref = ctx.ref
    if gran == "year" and ctx.after_stretch(m):
        result = _shifted(point_of("year", ctx.anchor().start), n, unit, gran)
    elif gran == "year" and ref is not None and ref.gran in ("quarter", "half") and (
            m.start - ctx.ref_end < _threshold("year_ago_quarter_reach_chars")):
        # Earnings news: "profit rose from $5 million a year ago" compares with the quarter just named.
        result = _shifted(ref, n, unit, ref.gran)
    else:
        result = _shifted(Point("day", ctx.dct), n, unit, gran)
    if result is not None:
        result.anchors = False
    return result


def _shifted(base: Point, n: float, unit: str, gran: str) -> Result | None:
    """base moved by n of the unit, reported at granularity gran."""
    info = unit_info(unit)
    if info.get("time"):
        p = Point("day", base.start + timedelta(hours=n) if info["letter"] == "H" else base.start)
        return Result(p.value(), point_of("day", p.start))
    if n != int(n):
        return None
    n = int(n)
    letter = info["letter"]
    moved = base.start
    if letter == "D":
        moved = base.start + timedelta(days=n)
    elif letter == "W":
        moved = base.start + timedelta(weeks=n)
    else:
        moved = _add_months(base.start, n * {"M": 1, "Q": 3, "Y": 12}[letter])
    p = point_of(gran, moved)
    return Result(p.value(), p)


@normaliser("offset_ref")
def norm_offset_ref(m: Match, ctx: Context, direction: int) -> Result | None:
    g = m.groups
    amount = _amount(g)
    rel = re.sub(r"\s+", " ", g["rel"].lower())
    sign = -1 if rel in ("earlier", "before", "previously", "prior") else 1
    if amount is None and rel in ("hence", "from now"):
        return Result("FUTURE_REF", anchors=False)  # "many years from now"
    if amount is None:
        # "a few days later": no day can be computed; TimeML keeps the stretch ("a few days", PXD)
        return Result(duration_value(None, g["unit"]), type="DURATION", anchors=False)
    unit = g["unit"]
    base = Point("day", ctx.dct) if rel in ("hence", "from now") and ctx.dct else ctx.anchor()
    if base is None:
        return Result(None, anchors=False)
    gran = unit_gran(unit) if rel in ("hence", "from now") else finer(base.gran, unit_gran(unit))
    if unit_gran(unit) == "year" and sign < 0 and ctx.after_stretch(m):
        gran = "year"
    gran = "day" if gran == "weekend" else gran
    result = _shifted(point_of(gran, base.start), sign * amount * unit_info(unit)["n"], unit, gran)
    if result is not None:
        result.anchors = False  # "a year earlier" compares with the date named; it does not replace it
    return result


@normaliser("duration")
def norm_duration(m: Match, ctx: Context, direction: int) -> Result | None:
    g = dict(m.groups)
    and_a_half = m.rule.fixed.get("and_a_half")
    if and_a_half and g.get("num2"):  # "two and a half hours"
        g["num"], g["unit"] = g["num2"], g["unit2"]
    unit = g["unit"]
    if g.get("half"):
        amount: float | None = 0.5
    elif g.get("recent") or g.get("vnum") or not (g.get("num")):
        amount = None
    else:
        amount = parse_number(g["num"])
        if amount is None:
            return None
        if and_a_half:
            amount += 0.5
    return Result(duration_value(amount, unit), anchors=False)


@normaliser("set_unit")
def norm_set_unit(m: Match, ctx: Context, direction: int) -> Result | None:
    g = m.groups
    amount = 2.0 if g.get("other") else (parse_number(g["num"]) if g.get("num") else 1.0)
    return Result(duration_value(amount, g["unit"]), anchors=False)


@normaliser("set_weekday")
def norm_set_weekday(m: Match, ctx: Context, direction: int) -> Result | None:
    g = m.groups
    lex = lexicon()
    table, word = ("weekdays", g["weekday"]) if g.get("weekday") else ("weekdays_plural", g["weekdays"])
    wd = lex[table][word.lower()]
    part = f"T{lex['day_parts'][g['part'].lower()]}" if g.get("part") else ""
    return Result(f"XXXX-WXX-{wd}{part}", anchors=False)


@normaliser("set_calendar")
def norm_set_calendar(m: Match, ctx: Context, direction: int) -> Result | None:
    return Result(f"XXXX-{_month_number(m.groups['month']):02d}", anchors=False)


@normaliser("set_adverb")
def norm_set_adverb(m: Match, ctx: Context, direction: int) -> Result | None:
    return Result(lexicon()["set_adverbs"][m.groups["setadv"].lower()], anchors=False)


@normaliser("clock")
def norm_clock(m: Match, ctx: Context, direction: int) -> Result | None:
    g = m.groups
    if g.get("noon"):
        hh, mm = {"noon": (12, 0), "midday": (12, 0), "midnight": (24, 0)}[g["noon"].lower()]
    else:
        hh = int(g.get("hour") or g.get("hour2"))
        mm = int(g.get("minute") or g.get("minute2") or 0)
        ampm = (g.get("ampm") or "").lower()
        if ampm.startswith("p") and hh < 12:
            hh += 12
        elif ampm.startswith("a") and hh == 12:
            hh = 0
        if ampm and not 1 <= int(g.get("hour") or 0) <= 12:
            return None
    base = ctx.ref if ctx.ref is not None and ctx.ref.gran == "day" else (
        Point("day", ctx.dct) if ctx.dct else None)
    day = base.value() if base else "XXXX-XX-XX"
    return Result(f"{day}T{hh:02d}:{mm:02d}", base, anchors=False)


@normaliser("fuzzy")
def norm_fuzzy(m: Match, ctx: Context, direction: int) -> Result | None:
    fixed = m.rule.fixed.get("fuzzy")
    lex = lexicon()
    word = re.sub(r"\s+", " ", m.groups.get("fuzzy", "").lower())
    value = fixed or lex["fuzzy"].get(word) or lex["ref_adjectives"][word]
    return Result(value, anchors=False)


# ---------------------------------------------------------------- candidate search and filters

def find_candidates(text: str) -> list[Match]:
    """All rule matches in order of preference: the longest span first, then the earlier rule. A match
    lies within one line: a time expression does not run over a paragraph break."""
    found = []
    lines = Lines(text)
    reach = _threshold("rule_context_chars")
    for priority, rule in enumerate(rules()):
        for mo in _line_matches(rule, text, lines):
            s, e = mo.span()
            if "\n" in text[s:e]:  # only a line's own break, as trailing space: never inside a match
                continue
            before = text[max(0, s - reach):s]
            if rule.before is not None and not rule.before.search(before):
                continue
            if rule.before_not is not None and rule.before_not.search(before):
                continue
            if rule.after_not is not None and rule.after_not.search(text[e:e + reach]):
                continue
            groups = {k: v for k, v in mo.groupdict().items() if v is not None}
            found.append((-(e - s), priority, s, Match(s, e, rule, groups, before)))
    return [m for *_, m in sorted(found, key=lambda t: (t[0], t[1], t[2]))]


def _line_matches(rule: Rule, text: str, lines: Lines) -> Iterator[re.Match]:
    """The rule's matches line by line, over the lines holding one word of each of its lists only."""
    for start, end in lines.ranges_holding_all(rule.needs):
        yield from rule.scanner.finditer(text, start, end)


def normalise(m: Match, ctx: Context, direction: int) -> Result | None:
    """The rule's normaliser. When the arithmetic leaves the calendar ("10,000 years ago" is before
    year 1) the expression stays, without a value."""
    try:
        return NORMALISERS[m.rule.norm](m, ctx, direction)
    except (ValueError, OverflowError):
        return Result(None, anchors=False)


def select_spans(doc: Doc, candidates: list[Match], published: date | None) -> list[tuple[Match, Span]]:
    """Non-overlapping candidates in text order. A candidate that is a false friend or that its
    normaliser rejects gives way to the next best one over the same text ("last quarter")."""
    chosen: list[tuple[Match, Span]] = []
    taken: list[tuple[int, int]] = []
    for m in candidates:
        if any(s < m.end and m.start < e for s, e in taken):
            continue
        span = _tokens(doc, m.start, m.end)
        if span is None or len(span) == 0 or is_false_friend(m, span):
            continue
        if normalise(m, Context(published), 0) is None:
            continue
        chosen.append((m, span))
        taken.append((m.start, m.end))
    return sorted(chosen, key=lambda pair: pair[0].start)


def _tokens(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


FalseFriendFilter = Callable[["Match", Span], bool]
# Filters a rule may name in the `filters` list of time_rules.yaml: each says whether a candidate
# span of that rule only looks like a date. Registered once, here, with @false_friend.
FALSE_FRIEND_FILTERS: dict[str, FalseFriendFilter] = {}
false_friend = _registrar(FALSE_FRIEND_FILTERS)


def _inside_name(first: Token) -> bool:
    """The token belongs to a longer name entity ("Black Friday", "April Ryan", "The Daily Mail")."""
    if first.ent_type_ not in NAME_ENTITY_TYPES:
        return False
    doc = first.doc
    alone = first.ent_iob_ == "B" and (first.i + 1 >= len(doc) or doc[first.i + 1].ent_iob_ != "I")
    return not alone


def _is_modal_or_verb(first: Token) -> bool:
    """"May" the modal ("he may resign") or "March" the verb."""
    if first.tag_ == "MD" or first.pos_ in ("VERB", "AUX"):
        return True
    nxt = first.doc[first.i + 1] if first.i + 1 < len(first.doc) else None
    return first.lower_ == "may" and nxt is not None and nxt.pos_ in ("VERB", "AUX")


def _counts_things(tok: Token) -> bool:
    """A four-digit number that counts or labels something: "2000 people", "1600 Pennsylvania Avenue"."""
    doc = tok.doc
    if tok.ent_type_ in NAME_ENTITY_TYPES - {"EVENT", "NORP", "GPE", "LOC"}:
        return True
    prev = doc[tok.i - 1] if tok.i > 0 else None
    determined = prev is not None and (prev.pos_ == "DET" or prev.tag_ in ("POS", "PRP$"))
    head = tok.head
    if (tok.dep_ == "nummod" and head.tag_ == "NNS" and head.lemma_.lower() not in TIME_UNIT_LEMMAS
            and not determined and tok.ent_type_ != "DATE"):
        return True  # but not "the company's 1989 results", nor "1990 earnings" (spaCy: a DATE)
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    return nxt is not None and nxt.ent_type_ == "FAC" and nxt.ent_iob_ == "B"


def _capitalised_inside_name(first: Token) -> bool:
    """A capitalised common word right after a proper noun, inside a sentence: part of a title."""
    prev = first.doc[first.i - 1] if first.i > 0 else None
    return (first.text[:1].isupper() and not first.is_sent_start and prev is not None
            and prev.pos_ == "PROPN" and prev.text[:1].isupper())


def _after_amount(first: Token) -> bool:
    """The token follows a quantity: a number, a money amount or a counted plural ("700 seats")."""
    prev = first.doc[first.i - 1] if first.i > 0 else None
    if prev is None:
        return False
    return prev.like_num or prev.ent_type_ in QUANTITY_ENTITY_TYPES or prev.ent_type_ == "CARDINAL" or (
        prev.tag_ == "NNS" and prev.i > 0 and prev.doc[prev.i - 1].like_num)


@false_friend("inside_name")
def _filter_inside_name(m: Match, span: Span) -> bool:
    """Part of a longer name: "Black Friday", "April Ryan", "Windows 2000"."""
    return _inside_name(span[0])


@false_friend("modal_or_verb")
def _filter_modal_or_verb(m: Match, span: Span) -> bool:
    """"May" the modal ("he may resign"), "March" the verb."""
    return _is_modal_or_verb(span[0])


@false_friend("quantity_entity")
def _filter_quantity_entity(m: Match, span: Span) -> bool:
    """A token of the span is part of an amount spaCy found (money, percent, quantity)."""
    return any(t.ent_type_ in QUANTITY_ENTITY_TYPES for t in span)


@false_friend("rate_after_amount")
def _filter_rate_after_amount(m: Match, span: Span) -> bool:
    """"a year" after an amount: "$500 million a year", "700 seats a week" are a rate, not a stretch."""
    return m.groups.get("num", "").lower() in ("a", "an") and _after_amount(span[0])


@false_friend("capitalised_in_title")
def _filter_capitalised_in_title(m: Match, span: Span) -> bool:
    """A capitalised word right after a proper noun: "Breitbart News Daily", "USA Today"."""
    return _capitalised_inside_name(span[0])


@false_friend("title_inside_sentence")
def _filter_title_inside_sentence(m: Match, span: Span) -> bool:
    """Title case inside a sentence: ABC's "This Week", "The Year in Review"."""
    return span[-1].is_title and not span[0].is_sent_start


@false_friend("part_in_title")
def _filter_part_in_title(m: Match, span: Span) -> bool:
    """A capitalised part of the day before another capitalised word: the title "Friday Night Lights",
    not the night of a Friday ("Storm Hits Thursday Night" in a headline stays)."""
    part = m.groups.get("part", "")
    doc = span.doc
    nxt = doc[span.end] if span.end < len(doc) else None
    return part.istitle() and nxt is not None and nxt.is_title and nxt.pos_ in ("PROPN", "NOUN")


@false_friend("some_quarters")
def _filter_some_quarters(m: Match, span: Span) -> bool:
    """"in some quarters": among some people."""
    return m.groups.get("vnum", "").lower() == "some" and "quarter" in m.groups["unit"]


@false_friend("adjective")
def _filter_adjective(m: Match, span: Span) -> bool:
    """"quarterly dividend", "daily volume": TimeML tags the adverb only."""
    return span[0].pos_ == "ADJ"


@false_friend("after_amount")
def _filter_after_amount(m: Match, span: Span) -> bool:
    """"to rise 8.5% annually", "10,000 units annually": a rate, as "$5 million a year"."""
    return _after_amount(span[0])


@false_friend("not_adjective_modifier")
def _filter_not_adjective_modifier(m: Match, span: Span) -> bool:
    """"recent", "current" only as an adjective modifying a noun."""
    first = span[0]
    return first.pos_ != "ADJ" or first.dep_ != "amod"


@false_friend("counts_things")
def _filter_counts_things(m: Match, span: Span) -> bool:
    """A number that counts or labels something: "2000 people", "1600 Pennsylvania Avenue"."""
    return _counts_things(span[-1])


def is_false_friend(m: Match, span: Span) -> bool:
    """Spans that look like dates but are not: whichever of its rule's filters (time_rules.yaml) holds."""
    return any(f(m, span) for f in m.rule.filters)


def extend_modifiers(text: str, m: Match, typ: str, floor: int) -> int:
    """New start of the span after taking in TimeML modifiers before it ("early", "about", "the end of")."""
    pattern = _modifier_patterns()["duration" if typ == "DURATION" else "date"]
    start = m.start
    reach = _threshold("modifier_reach_chars")
    for _ in range(_threshold("modifier_max")):
        mo = pattern.search(text[max(floor, start - reach):start])
        if not mo:
            break
        start -= len(mo.group())
    return start


def take_leading_the(doc: Doc, text: str, start: int, end: int, floor: int) -> int:
    """Include a leading "the" when the expression heads its own noun phrase (not "the two-week trip")."""
    mo = re.search(r"(?<!\w)[Tt]he\s+$", text[max(floor, start - 10):start])
    if not mo:
        return start
    span = _tokens(doc, start, end)
    if span is None:
        return start
    last = span[-1]
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if nxt is not None and (nxt.pos_ in ("NOUN", "PROPN", "ADJ", "NUM") or nxt.tag_ == "VBG") and not nxt.is_punct:
        return start  # "the 1999 shooting", "the two-week trip": the expression modifies a noun
    if last.pos_ not in ("NOUN", "PROPN", "NUM", "ADJ") or (len(span) == 1 and re.fullmatch(r"\d{4}", last.text)):
        return start
    return start - len(mo.group())


# ---------------------------------------------------------------- tense

FUTURE_AUX = {"will", "shall", "'ll", "wo", "would", "gon", "going"}


def tense_direction(span: Span) -> int:
    """-1 past, +1 future, 0 present/unknown: from a future cue ruling the span ("effective Feb. 1"),
    the verb it follows ("said Monday"), else the verb (or future adjective) governing it, else the
    sentence's verbs."""
    doc = span.doc
    cues = set(lexicon()["future_cues"])
    before = _word_before(span)
    cue = _future_cue(span, before, cues)
    if cue is not None:
        return _cue_direction(cue)
    if before is not None and before.lower_ in lexicon()["past_cues"]:
        return -1
    if span.end < len(doc) and doc[span.end].tag_ == "POS":
        # "Friday's close", "Thursday's meeting": reported after the fact, unless what the day owns is
        # what a future verb is about ("Saturday's vote will decide the election").
        owned = span.root.head
        ahead = owned.dep_ in ("nsubj", "nsubjpass", "dobj") and any(
            c.lower_ in FUTURE_AUX for c in owned.head.children if c.dep_ == "aux")
        if ahead:
            return 1
        return _approach_direction(owned) if _approached(owned) else -1
    if before is not None and before.pos_ in ("VERB", "AUX"):
        # "said Monday it would ...": the verb the date follows, whatever the parser attached it to.
        d = _verb_direction(before)
        if d is not None:
            return d
    tok = span.root
    head = span.root.head
    governor = head.head if head.dep_ == "prep" else head  # "plays on Sunday", "begin Monday"
    for _ in range(_threshold("tense_max_climb")):
        cue = _future_cue_at(tok, cues) if tok not in span else None
        if cue is not None:
            return _cue_direction(cue)  # "the payment, due in full on Monday"
        if tok.pos_ in ("VERB", "AUX"):
            d = _verb_direction(tok, direct=tok.i == governor.i)
            if d is not None:
                return d
        if tok.head is tok:
            break
        tok = tok.head
    for verb in (t for t in span.sent if t.pos_ in ("VERB", "AUX")):
        d = _verb_direction(verb, direct=False)
        if d is not None:
            return d
    return 0


def _approached(noun: Token) -> bool:
    """The noun is what a phrase of approach leads to: "in the lead-up to Tuesday's primary", "heading
    into Tuesday's vote", "ahead of Friday's meeting", "on the eve of Sunday's final"."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ not in lexicon()["approach_prepositions"]:
        return False
    cues = lexicon()["approach_cues"]
    # the preposition's head, or the words just before it ("the lead up to": "to" hangs on "up")
    near = [prep.head, *(t for t in noun.doc[max(prep.i - 2, 0):prep.i])]
    return any(t.lemma_.lower() in cues or t.lower_ in cues for t in near)


def _approach_direction(noun: Token) -> int:
    """A phrase of approach looks forward, unless the clause it is told in is past ("ahead of Tuesday's
    vote, he campaigned" may be told the day after the vote): then the nearest day."""
    tok = noun.head.head
    for _ in range(_threshold("tense_max_climb")):
        if tok.pos_ in ("VERB", "AUX") and tok.tag_ != "VBG":
            return 0 if _verb_direction(tok) == -1 else 1
        if tok.head.i == tok.i:
            break
        tok = tok.head
    return 1


# Prepositions through which a cue verb rules a date: "extended its offer to Nov. 20", "postponed until
# Monday" (but not "moved to Paris on Tuesday", which stays past).
CUE_PREPOSITIONS = ("to", "until", "till", "through", "for")


def _future_cue(span: Span, before: Token | None, cues: set[str]) -> Token | None:
    """The future cue that rules a date, if any: the word it follows ("effective Feb. 1", "until 5 p.m.
    EST Nov. 9"), the word it hangs on, directly or through a preposition ("payable Dec. 15", "extended
    its offer to Nov. 20"), or a verb that fixes it as its object ("has set Nov. 10 as the deadline")."""
    if before is not None and before.lower_ in cues:
        return before
    head = span.root.head
    movers = set(lexicon()["reschedule_cues"])
    if head.dep_ == "prep" and head.lower_ in CUE_PREPOSITIONS and head.head.lower_ in cues | movers:
        return head.head
    if head.lower_ in cues:
        return head
    via = span.doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.lower_ in movers and via is not None and via.lower_ in CUE_PREPOSITIONS:
        return before  # "postponed to Tuesday", where the parser hangs "to" elsewhere
    adjacent = span.doc[span.start - 1] if span.start > 0 else None
    if adjacent is not None and adjacent.lemma_.lower() in lexicon()["future_cue_governors"]:
        return adjacent
    return None


def _cue_direction(cue: Token) -> int:
    """A future cue looks forward ("is due Monday", "postponed until Tuesday"); in the past perfect it
    is a plan told from after it ("had been due to expire Friday": past); an adjective told in the
    simple past ("were due to file by March 15") may point at either side of the article date."""
    if _past_perfect(cue):
        return -1
    copula = cue.head if cue.dep_ in ("acomp", "attr") else None
    if copula is not None and copula.tag_ == "VBD":
        return 0
    return 1


def names_a_thing(span: Span) -> bool:
    """A written day that describes a thing more than it says when the clause's verb happened: it
    modifies a noun ("the June 7 primary", "the Feb. 13 death"), hangs on one ("the Iowa caucuses on
    Feb. 1", "from 40 percent on July 14") or on a participle that describes one ("a special airing on
    May 23"). The clause's tense says little about such a day: it counts as a preference only
    (tense_penalty_days), not as the side the day must lie on."""
    root = span.root
    return _names_a_thing(root, span) or (root.head.dep_ == "prep" and _names_a_thing(root.head, span))


def _names_a_thing(tok: Token, span: Span) -> bool:
    root = span.root
    if not any(t.is_digit for t in span):
        # A written day only: "a debate on Saturday" (last Saturday, told in the past) and "a drop in
        # profits for the fourth quarter" keep the clause's tense.
        return False
    if tok.i == root.i:
        return root.dep_ in ("compound", "nmod", "amod", "appos", "npadvmod") and root.head.pos_ in (
            "NOUN", "PROPN")  # "the June 7 primary", "the Iowa caucuses Feb. 1"
    if tok.dep_ == "prep" and tok.i == root.head.i:
        return tok.head.pos_ in ("NOUN", "PROPN") and tok.head.i < tok.i or (
            tok.head.tag_ == "VBG" and tok.head.dep_ == "acl")
    return False


def _word_before(span: Span) -> Token | None:
    """The word a date follows, past a preposition and a time of day: "until 5 p.m. EST Nov. 9" follows
    "until", "effective on Feb. 1" follows "effective"."""
    doc = span.doc
    i = span.start - 1
    while i > 0 and doc[i].ent_type_ == "TIME" and span.start - i <= _threshold("clock_max_tokens"):
        i -= 1
    if i > 0 and doc[i].lower_ in ("on", "by", "at", "in", "for", "to"):
        i -= 1
    return doc[i] if i >= 0 else None


def _future_cue_at(tok: Token, cues: set[str]) -> Token | None:
    """A future adjective on the way up from a date ("the payment, due in full on Monday"), or the
    complement of a copula the date hangs on ("he is due in court on Monday": "on Monday" hangs on
    "is"). Verbs among the cues ("extended") count only right before the date."""
    if tok.lower_ in cues and tok.pos_ == "ADJ":
        return tok
    if tok.pos_ in ("VERB", "AUX"):
        return next((c for c in tok.children if c.dep_ == "acomp" and c.lower_ in cues), None)
    return None


def _past_perfect(tok: Token) -> bool:
    """The word is in the past perfect ("had been scheduled", "had planned"), or completes a verb that is
    ("had been due": "due" hangs from "been")."""
    verb = tok.head if tok.dep_ in ("acomp", "attr") else tok
    return any(c.lower_ in ("had", "'d") and c.dep_ in ("aux", "auxpass") for c in verb.children)


def _verb_direction(verb: Token, direct: bool = True) -> int | None:
    """Direction of one verb (`direct`: it governs the date itself, or through a preposition); None for
    participles without auxiliaries ("ending"), which defer to the verb above them. Infinitives ("is to
    resume", "set to close") point forward, bare past participles ("the terms, announced Friday") back."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    # "is going to rule": "going" with an infinitive; "going from 40 percent to 46" is no future.
    going_to = verb.lower_ in ("going", "gon") and any(c.dep_ == "xcomp" for c in verb.children)
    lowers = {a.lower_ for a in auxes} | ({verb.lower_} if going_to or verb.lower_ not in ("going", "gon") else set())
    if verb.dep_ == "advcl" and verb.tag_ in ("VBD", "VBN") and not auxes and any(
            c.dep_ == "mark" and c.lower_ in lexicon()["time_subordinators"] for c in verb.children):
        return None  # "likely to buy as soon as trading opened Monday": the clause it hangs on decides
    if lowers & FUTURE_AUX or any(a.lower_ == "to" and a.head.lower_ == "going" for a in auxes):
        return 1
    infinitive = verb.tag_ == "VB" or any(a.lower_ == "be" for a in auxes)  # "to report", "to be published"
    if infinitive and any(a.lower_ == "to" for a in auxes):
        # "expects to report Friday", "is set to resume Monday" look forward, unless told from after
        # the plan ("had been scheduled to expire Friday"); other infinitives ("continuing to try to
        # sell") take the tense of the verb above them.
        head = verb.head
        if head.lemma_.lower() in lexicon()["request_verbs"]:
            return 0  # "asked it to respond by Oct. 31": after the asking, on either side of today
        if head.lemma_.lower() in lexicon()["future_verbs"] or (head.lower_ in ("is", "are", "was", "were")):
            return -1 if _past_perfect(head) else 1
        if head.pos_ == "NOUN" and head.i < verb.i and head.lemma_.lower() in lexicon()["plan_nouns"]:
            return 1  # "an agreement to acquire it in January", "guidelines to be published in May"
        return None
    if verb.tag_ in ("VBZ", "VBP") and not auxes and verb.lemma_.lower() in lexicon()["forecast_verbs"]:
        return 1  # "it expects a fourth-quarter charge", "analysts forecast growth next year"
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return -1
    if verb.tag_ == "VBN":
        return _participle_direction(verb, auxes)
    if verb.tag_ == "VBG" and not auxes:
        return None
    if direct and verb.tag_ in ("VBZ", "VBP") and not auxes and _tells_schedule(verb):
        # "talks begin Monday", "the team plays on Sunday": news tells a schedule in the present, of
        # the date the verb itself governs ("posts stories, including one in September" does not).
        return 1
    if verb.tag_ in ("VBP", "VBZ", "VB", "VBG"):
        return 0
    return None


def _tells_schedule(verb: Token) -> bool:
    """A verb in the simple present that looks ahead at the date it governs: not a copula or a reporting
    verb ("he says"), nor a bare form that is also the past ("stocks hurt the index Friday" is tagged
    VBP as often as not)."""
    lex = lexicon()
    lemma = verb.lemma_.lower()
    if lemma in lex["present_not_ahead"]:
        return False
    return not (verb.tag_ == "VBP" and verb.lower_ in lex["past_same_as_present"])


def _participle_direction(verb: Token, auxes: list[Token]) -> int:
    """A past participle takes its tense from its auxiliaries: bare ("evacuated Saturday") or perfect
    ("has been held") it is past; a present passive ("is set for Saturday", "is scheduled for Tuesday")
    of a verb of planning looks forward, any other present or progressive passive ("is being held
    Saturday", "are closed Monday") is present."""
    lowers = {a.lower_ for a in auxes}
    if "being" in lowers:
        return 0
    if any(a.tag_ == "MD" for a in auxes):
        # "should be allowed to expire on Sept. 30", "may be held Monday" ("could have been" is past)
        return -1 if "have" in lowers else 0
    if not auxes or lowers & {"has", "have", "had", "'ve"}:
        return -1
    if any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        return 1 if verb.lemma_.lower() in lexicon()["future_verbs"] else 0
    return -1


# ---------------------------------------------------------------- merging and records

# Reporting stretches of several months ("the nine months", "the first six months"): a year-back
# comparison right after one is a year, not the quarter named before it.
REPORTING_STRETCH = re.compile(r"P(?:[2-9]|1[01])M")
CLOCK_JOIN = re.compile(r"^\s*,?\s*(?:on|at)?\s*$", re.I)
PART_OF_JOIN = re.compile(r"^\s+of\s+$", re.I)


def _interval(result: Result) -> tuple[date | None, date | None, str | None]:
    if result.point is None or result.value is None or result.value.startswith(("P", "X")):
        return None, None, None
    p = result.point
    return p.start, p.end(), GRAN_REPORTED.get(p.gran, p.gran)


def _record(doc_id: str, text: str, start: int, end: int, typ: str, result: Result, rule: str) -> dict:
    d_start, d_end, gran = _interval(result) if typ in ("DATE", "TIME") else (None, None, None)
    return {"doc_id": doc_id, "start_char": start, "end_char": end, "text": text[start:end], "type": typ,
            "value": result.value, "date_start": d_start, "date_end": d_end, "granularity": gran,
            "rule": rule}


@lru_cache(maxsize=1)
def _time_of_day() -> dict[str, str]:
    """Rule name -> its `time_of_day` in time_rules.yaml (clock or part), for the rules that have one."""
    return {r.name: r.fixed["time_of_day"] for r in rules() if "time_of_day" in r.fixed}


def _joins(prev: dict, rec: dict, text: str) -> bool:
    gap = text[prev["end_char"]:rec["start_char"]]
    parts = _time_of_day()
    if parts.get(prev["rule"]) == "part":  # "the morning of Dec. 9", not "in the morning, Friday"
        return bool(PART_OF_JOIN.match(gap))
    return bool(CLOCK_JOIN.match(gap)) and parts.get(rec["rule"]) != "part"


def _day_of(rec: dict) -> str | None:
    """The day (YYYY-MM-DD) a record names, if it names one: a date of day granularity, or a day with a
    part of the day ("Thursday night", 2016-03-10TNI), which a clock time makes more precise."""
    if rec["granularity"] != "day" or not rec["value"] or rec["rule"] in _time_of_day():
        return None
    day, _, part = rec["value"].partition("T")
    if rec["type"] == "DATE":
        return day
    return day if part in set(lexicon()["day_parts"].values()) else None


def _clock_on_day(day: dict, clock: dict) -> str:
    """The value of a clock time on a day: "10 p.m. Thursday" is 2016-03-10T22:00; the small hours of a
    night belong to the next morning ("Thursday night at 1 a.m." is 2016-03-11T01:00)."""
    when = date.fromisoformat(_day_of(day))
    time_part = clock["value"].split("T", 1)[1]
    if day["value"].endswith("TNI") and time_part[:2].isdigit() and int(time_part[:2]) < _threshold(
            "night_ends_hour"):
        when += timedelta(days=1)
    return f"{when.isoformat()}T{time_part}"


def merge_clock_with_day(records: list[dict], text: str) -> list[dict]:
    """"10 p.m. Wednesday", "Friday at 3 p.m.", "the morning of Dec. 9", "10 p.m. Thursday night": one
    TIME on that day."""
    out: list[dict] = []
    for rec in records:
        prev = out[-1] if out else None
        if prev is not None and prev["value"] and rec["value"] and _joins(prev, rec, text):
            clock, day = (prev, rec) if prev["rule"] in _time_of_day() else (rec, prev)
            clock_kind = _time_of_day().get(clock["rule"])
            if clock_kind is not None and _day_of(day) and (day["type"] == "DATE" or clock_kind == "clock"):
                merged = dict(day, start_char=prev["start_char"], end_char=rec["end_char"], type="TIME",
                              value=_clock_on_day(day, clock), rule="clock")
                merged["text"] = text[merged["start_char"]:merged["end_char"]]
                out[-1] = merged
                continue
        out.append(rec)
    return out


def _attachment_of(span: Span) -> Token:
    """The word a date phrase hangs on: "began" for "In 2008, the campaign began ..."."""
    head = span.root.head
    return head.head if head.dep_ == "prep" else head


def scoping_year(span: Span, years: list[tuple[Token, int]]) -> int | None:
    """The year of an earlier date phrase of the sentence whose clause holds this one: "In 2008, the
    campaign began airing ads in mid-September" puts mid-September in 2008. A year inside another
    clause ("the company, founded in 1998, said in March") does not."""
    for word, year in reversed(years):
        if word.sent.start != span.sent.start or word.i == span.root.i:
            continue
        if word.i == span.root.head.i or word.is_ancestor(span.root):
            return year
    return None


def extract_time_expressions(doc: Doc, doc_id: str, published: date | None) -> list[TimeExpression]:
    """The time expressions of one article, values resolved against `published`."""
    text = doc_text(doc)
    ctx = Context(published)
    years: list[tuple[Token, int]] = []  # each year named so far, with the word its phrase hangs on
    records: list[dict] = []
    floor = 0
    for m, span in select_spans(doc, find_candidates(text), published):
        direction = tense_direction(span)
        ctx.loose_tense = names_a_thing(span)
        ctx.year_scope = scoping_year(span, years)
        result = normalise(m, ctx, direction)
        if result is None:
            continue
        if (result.point is not None and result.point.gran == "year" and re.fullmatch(r"\d{4}", result.value or "")
                and span.root.head.lower_ in lexicon()["scope_prepositions"]):
            years.append((_attachment_of(span), result.point.start.year))
        typ = result.type or m.rule.type
        start = m.start if (result.value or "").endswith("_REF") else extend_modifiers(text, m, typ, floor)
        if not m.rule.fixed.get("the_outside"):
            start = take_leading_the(doc, text, start, m.end, floor)
        if result.anchors and result.point is not None:
            ctx.ref, ctx.ref_end, ctx.ref_dir = result.point, m.end, direction
        if typ == "DURATION" and REPORTING_STRETCH.fullmatch(result.value or "") and (
                text[start:m.end].lower().startswith("the ")):
            ctx.stretch_end = m.end
        records.append(_record(doc_id, text, start, m.end, typ, result, m.rule.name))
        floor = m.end
    return [TimeExpression(**r) for r in merge_clock_with_day(records, text)]


class DatesComponent(Extractor):
    """`broadsheet_dates`: sets `doc._.timexes`, resolved against `doc._.published` (None: unknown)."""

    needs_parse = ("TAG", "DEP")

    def annotate(self, doc: Doc) -> None:
        set_records(doc, "time_expressions", extract_time_expressions(doc, doc_id_of(doc), published_of(doc)))


@Language.factory("broadsheet_dates", assigns=["doc._.timexes"], requires=["token.tag", "token.dep"])
def make_dates(nlp: Language, name: str) -> DatesComponent:
    """The time-expression extractor as a spaCy component."""
    return DatesComponent(nlp, name)

