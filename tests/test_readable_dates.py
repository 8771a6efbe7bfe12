"""TIMEX3 values in words: expected strings come from the calendar (2016-W37 begins Monday 12 Sep 2016)."""

from __future__ import annotations

import pytest

from broadsheet.readable_dates import readable


@pytest.mark.parametrize(("value", "words"), [
    ("2016-09-17", "17 Sep 2016"),
    ("2016-09-17TNI", "17 Sep 2016, night"),
    ("2016-09-17T14:30", "17 Sep 2016, 14:30"),
    ("2016-W37", "week of 12 Sep 2016"),
    ("2016-W37-WE", "weekend of 17 Sep 2016"),
    ("2016-09", "September 2016"),
    ("2016-SP", "spring 2016"),
    ("2015-Q4", "fourth quarter of 2015"),
    ("2016-H1", "first half of 2016"),
    ("2016", "2016"),
    ("199", "the 1990s"),
    ("199X", "the 1990s"),
    ("19", "the 20th century"),
    ("PRESENT_REF", "now"),
    ("2023-02-30", "2023-02-30"),   # no such day: left as written
    ("P3Y", "P3Y"),                 # a duration is not a point in time
    ("", ""),
])
def test_readable(value, words):
    assert readable(value) == words
