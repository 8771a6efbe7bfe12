"""Necessary literals of a regular expression: cheap tests that let a scan skip the lines a pattern cannot match.

`necessary_literals(pattern)` reads the pattern's syntax tree and returns a set of strings such that
every match contains at least one of them (compared case-folded), or None when it cannot tell. A
C-speed search for those strings is far cheaper than running a large case-insensitive pattern over
every position of a text, so `Lines.ranges` gives the lines that hold one of them, and a caller that
matches line by line (a time expression never runs over a paragraph break) scans only those. A filter
only: it finds no matches.

What it does not do: look inside lookarounds (their text may lie outside the match), or give anything
for patterns that can match without a literal (digits only, character classes): those return None
and are always scanned.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from re import _constants as sre  # the standard library's own regex syntax tree (CPython 3.11+)
from re import _parser

_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}
Literals = frozenset[str] | None


def necessary_literals(pattern: re.Pattern) -> Literals:
    """Strings one of which (case-folded) occurs in every match of `pattern`; None if unknown."""
    try:
        tree = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # a syntax this reader does not know: no filter, always scan
        return None
    found = _of_sequence(list(tree))
    if not found or any(not s for s in found):
        return None
    return frozenset(s.casefold() for s in found)


@dataclass
class Lines:
    """A text's lines, and those of its case-folded copy (folding may change lengths, never line counts)."""

    text: str
    folded: str = field(init=False)
    starts: list[int] = field(init=False)  # line starts in `text`
    folded_starts: list[int] = field(init=False)
    _hits: dict[str, tuple[int, ...]] = field(init=False, default_factory=dict)  # literal -> its lines

    def __post_init__(self) -> None:
        self.folded = self.text.casefold()
        self.starts = _line_starts(self.text)
        self.folded_starts = _line_starts(self.folded)

    def ranges(self, literals: Literals) -> list[tuple[int, int]]:
        """(start, end) of each line of `text` holding one of the literals (every line when there are
        none), each with its line break, so look-aheads see what follows as in the whole text."""
        if literals is None:
            lines: Iterable[int] = range(len(self.starts))
        else:
            lines = sorted({line for literal in literals for line in self._lines_with(literal)})
        return [(self.starts[line], self._end(line)) for line in lines]

    def _lines_with(self, literal: str) -> tuple[int, ...]:
        """The lines whose folded text holds `literal`, found once per text (rules share their words)."""
        found = self._hits.get(literal)
        if found is None:
            hits, pos = [], self.folded.find(literal)
            while pos != -1:
                line = bisect.bisect_right(self.folded_starts, pos) - 1
                hits.append(line)
                if line + 1 >= len(self.folded_starts):
                    break
                pos = self.folded.find(literal, self.folded_starts[line + 1])  # one hit per line is enough
            found = self._hits[literal] = tuple(hits)
        return found

    def _end(self, line: int) -> int:
        return self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    i = text.find("\n")
    while i != -1:
        starts.append(i + 1)
        i = text.find("\n", i + 1)
    return starts


def _of_sequence(items: list) -> Literals:
    """The most selective necessary set among the sequence's literal runs and its elements."""
    options: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            run.append(chr(av))
            continue
        if run:
            options.append(frozenset({"".join(run)}))
            run = []
        found = _of_item(op, av)
        if found:
            options.append(found)
    if run:
        options.append(frozenset({"".join(run)}))
    if not options:
        return None
    # the set whose shortest string is longest rules out the most texts
    return max(options, key=lambda s: (min(map(len, s)), -len(s)))


def _of_item(op, av) -> Literals:
    if op is sre.SUBPATTERN:
        return _of_sequence(list(av[-1]))
    if op is sre.ATOMIC_GROUP:
        return _of_sequence(list(av))
    if op in _REPEATS:
        low, _high, body = av
        return _of_sequence(list(body)) if low >= 1 else None
    if op is sre.BRANCH:
        union: set[str] = set()
        for alternative in av[1]:
            found = _of_sequence(list(alternative))
            if not found:
                return None  # one alternative without a literal: the branch needs nothing
            union |= found
        return frozenset(union)
    return None
