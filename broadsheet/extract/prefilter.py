"""Necessary literals of a regular expression: a cheap test that lets a scan skip a text the pattern cannot match.

`necessary_literals(pattern)` reads the pattern's syntax tree and returns a set of strings such that
every match contains at least one of them (compared case-folded), or None when it cannot tell. Testing
`any(s in text.casefold() for s in literals)` is a C-speed substring search, far cheaper than running
a large case-insensitive pattern over every position of the text; when it fails, the pattern has no
match there and the scan can be skipped. A superset test only: it never finds matches itself.

What it does not do: look inside lookarounds (their text may lie outside the match), or give anything
for patterns that can match without a literal (digits only, character classes): those return None
and are always scanned.
"""

from __future__ import annotations

import re
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


def may_match(literals: Literals, folded_text: str) -> bool:
    """False only when the pattern with these literals cannot match the (case-folded) text."""
    return literals is None or any(s in folded_text for s in literals)


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
