"""TIMEX3 values as people read them: "2016-W37" -> "week of 12 Sep 2016", "2016-SP" -> "spring 2016".

For what a reader sees (the report, the notebook); the tables keep the TIMEX3 value, which is what
analysts filter and sort on. A value this module does not know is returned as it is, never guessed.
"""

from __future__ import annotations

import re
from datetime import date

_SEASONS = {"SP": "spring", "SU": "summer", "FA": "autumn", "AU": "autumn", "WI": "winter"}
_QUARTERS = {"Q1": "first quarter", "Q2": "second quarter", "Q3": "third quarter", "Q4": "fourth quarter"}
_HALVES = {"H1": "first half", "H2": "second half"}
_PARTS_OF_DAY = {"MO": "morning", "MI": "midday", "AF": "afternoon", "EV": "evening", "NI": "night", "DT": "daytime"}
_REFS = {"PRESENT_REF": "now", "PAST_REF": "the past", "FUTURE_REF": "the future"}

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})|T([A-Z]{2}))?$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(-WE)?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_PART = re.compile(r"^(\d{4})-(SP|SU|FA|AU|WI|Q[1-4]|H[12])$")
_DECADE = re.compile(r"^(\d{3})X?$")
_CENTURY = re.compile(r"^(\d{2})(?:XX)?$")


def readable(value: str | None) -> str:
    """The value in words a reader takes in at a glance; unknown forms come back unchanged."""
    if not value:
        return ""
    if value in _REFS:
        return _REFS[value]
    for pattern, render in ((_DAY, _day), (_WEEK, _week), (_MONTH, _month), (_PART, _part_of_year),
                            (_DECADE, _decade), (_CENTURY, _century)):
        match = pattern.match(value)
        if match:
            try:
                return render(match)
            except ValueError:  # "2023-02-30": not a day of the calendar, so not ours to reword
                return value
    return value


def _day(m: re.Match) -> str:
    day = date(int(m[1]), int(m[2]), int(m[3]))
    text = f"{day.day} {day:%b %Y}"
    if m[4]:
        return f"{text}, {m[4]}:{m[5]}"
    if m[6]:
        return f"{text}, {_PARTS_OF_DAY.get(m[6], m[6])}"
    return text


def _week(m: re.Match) -> str:
    monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
    if m[3]:
        saturday = date.fromisocalendar(int(m[1]), int(m[2]), 6)
        return f"weekend of {saturday.day} {saturday:%b %Y}"
    return f"week of {monday.day} {monday:%b %Y}"


def _month(m: re.Match) -> str:
    return f"{date(int(m[1]), int(m[2]), 1):%B %Y}"


def _part_of_year(m: re.Match) -> str:
    part = m[2]
    words = _SEASONS.get(part) or _QUARTERS.get(part) or _HALVES[part]
    return f"{words} {m[1]}" if part in _SEASONS else f"{words} of {m[1]}"


def _decade(m: re.Match) -> str:
    return f"the {m[1]}0s"


def _century(m: re.Match) -> str:
    return f"the {int(m[1]) + 1}{_ordinal_suffix(int(m[1]) + 1)} century"


def _ordinal_suffix(n: int) -> str:
    return "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
