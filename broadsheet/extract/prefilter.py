"""Necessary literals of a regular expression: cheap tests that let a scan skip the lines a pattern cannot match.

`necessary_literals(pattern)` reads the pattern's syntax tree and returns a set of strings such that
every match contains at least one of them (compared case-folded), or None when it cannot tell. A
C-speed search for those strings is far cheaper than running a large case-insensitive pattern over
every position of a text, so `Lines.ranges` gives the lines that hold one of them, and a caller that
matches line by line (a time expression never runs over a paragraph break) scans only those. A filter
only: it finds no matches.

`necessary_literal_sets(pattern)` gives every such set the syntax tree shows (a unit word AND "before"
or "after"): a line must hold a literal of each, so a rule skips more lines, and a text that lacks one
of its sets entirely.

What it does not do: look inside lookarounds (their text may lie outside the match), or give anything
for patterns that can match without a literal (digits only, character classes): those return None
and are always scanned.

The syntax tree is the standard library's own (`re._parser`, `re._constants`): private modules, so
they are imported behind a guard. When they are missing, or a canary pattern no longer reads as this
module expects (`ANALYSIS` is False then), every function here answers "unknown": no literals, no
guard, every line scanned. The matches are the same either way (a filter only ever skips lines that
cannot match); only the speed differs. tests/test_prefilter.py runs the time rules both ways.
"""

from __future__ import annotations

import bisect
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field

try:  # the standard library's own regex syntax tree (CPython 3.11+): private, so guarded (see above)
    from re import _constants as sre
    from re import _parser

    _REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}
    _ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}
    _CATEGORIES = {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D", sre.CATEGORY_WORD: r"\w",
                   sre.CATEGORY_NOT_WORD: r"\W", sre.CATEGORY_SPACE: r"\s", sre.CATEGORY_NOT_SPACE: r"\S"}
except (ImportError, AttributeError):  # pragma: no cover - a Python without them: no analysis
    sre = _parser = None
    _REPEATS, _ZERO_WIDTH, _CATEGORIES = set(), set(), {}

ANALYSIS = _parser is not None  # and the canaries read as expected: decided at the end of the module

Literals = frozenset[str] | None
LiteralSets = tuple[frozenset[str], ...]  # every match holds a literal of each set; () = unknown


def necessary_literals(pattern: re.Pattern) -> Literals:
    """Strings one of which (case-folded) occurs in every match of `pattern`; None if unknown."""
    options = _options_of(pattern)
    if not options:
        return None
    found = _most_selective(options)
    if any(not s for s in found):
        return None
    return frozenset(s.casefold() for s in found)


def necessary_literal_sets(pattern: re.Pattern) -> LiteralSets:
    """Every set of strings one of which (case-folded) occurs in every match, the most selective first;
    () if unknown. Within a set a string holding a shorter one of the set is dropped: any line holding
    it holds the shorter one too, so the set's lines are the same and fewer searches find them."""
    sets = []
    for found in _options_of(pattern):
        folded = {s.casefold() for s in found}
        if any(not s for s in folded):
            continue
        shortest = frozenset(s for s in folded if not any(t != s and t in s for t in folded))
        if shortest not in sets:
            sets.append(shortest)
    return tuple(sorted(sets, key=_selectivity, reverse=True))


def _parse(pattern: re.Pattern) -> list | None:
    """The pattern's syntax tree as a list of (opcode, argument), or None when there is no analysis."""
    if not ANALYSIS:
        return None
    return list(_parser.parse(pattern.pattern, pattern.flags))


def _options_of(pattern: re.Pattern) -> list[frozenset[str]]:
    try:
        tree = _parse(pattern)
        return [] if tree is None else _of_sequence(tree)
    except Exception:  # a syntax this reader does not know: no filter, always scan
        return []


def _selectivity(literals: frozenset[str]) -> tuple[int, int]:
    """The set whose shortest string is longest rules out the most texts, then the smaller set."""
    return min(map(len, literals)), -len(literals)


def _most_selective(options: list[frozenset[str]]) -> frozenset[str]:
    return max(options, key=_selectivity)


@dataclass
class Lines:
    """A text's lines, and those of its case-folded copy (folding may change lengths, never line counts)."""

    text: str
    folded: str = field(init=False)
    starts: list[int] = field(init=False)  # line starts in `text`
    folded_starts: list[int] = field(init=False)
    _hits: dict[str, tuple[int, ...]] = field(init=False, default_factory=dict)  # literal -> its lines
    _set_hits: dict[frozenset[str], frozenset[int]] = field(init=False, default_factory=dict)
    _ranges: dict[LiteralSets, list[tuple[int, int]]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.folded = self.text.casefold()
        self.starts = _line_starts(self.text)
        self.folded_starts = _line_starts(self.folded)

    def ranges(self, literals: Literals) -> list[tuple[int, int]]:
        """(start, end) of each line of `text` holding one of the literals (every line when there are
        none), each with its line break, so look-aheads see what follows as in the whole text."""
        return self.ranges_holding_all(() if literals is None else (literals,))

    def ranges_holding_all(self, literal_sets: LiteralSets) -> list[tuple[int, int]]:
        """As `ranges`, for the lines holding a literal of every set (every line when there is none).
        Found once per text for each combination: rules share their word lists."""
        found = self._ranges.get(literal_sets)
        if found is None:
            lines: Iterable[int] = range(len(self.starts)) if not literal_sets else sorted(
                self._lines_with_all(literal_sets))
            found = self._ranges[literal_sets] = [(self.starts[line], self._end(line)) for line in lines]
        return found

    def _lines_with_all(self, literal_sets: LiteralSets) -> frozenset[int]:
        lines = self._lines_with_any(literal_sets[0])
        for literals in literal_sets[1:]:
            if not lines:  # the text lacks the first set: the others need no search
                break
            lines &= self._lines_with_any(literals)
        return lines

    def _lines_with_any(self, literals: frozenset[str]) -> frozenset[int]:
        found = self._set_hits.get(literals)
        if found is None:
            found = self._set_hits[literals] = frozenset().union(*map(self._lines_with, literals))
        return found

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


def _of_sequence(items: list) -> list[frozenset[str]]:
    """The necessary sets of the sequence's literal runs and of its elements (each one holds)."""
    options: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            run.append(chr(av))
            continue
        if run:
            options.append(frozenset({"".join(run)}))
            run = []
        options += _of_item(op, av)
    if run:
        options.append(frozenset({"".join(run)}))
    return options


def _of_item(op, av) -> list[frozenset[str]]:
    if op is sre.SUBPATTERN:
        return _of_sequence(list(av[-1]))
    if op is sre.ATOMIC_GROUP:
        return _of_sequence(list(av))
    if op in _REPEATS:
        low, _high, body = av
        return _of_sequence(list(body)) if low >= 1 else []
    if op is sre.BRANCH:
        alternatives = [_of_sequence(list(alternative)) for alternative in av[1]]
        if not all(alternatives):
            return []  # one alternative without a literal: the branch needs nothing
        return [_union_of_alternatives(alternatives)]
    return []


def _union_of_alternatives(alternatives: list[list[frozenset[str]]]) -> frozenset[str]:
    """One set per alternative, joined. An alternative that holds a string already in the union adds
    nothing ("for now" next to "now"): the alternatives with a single set are taken first."""
    union: set[str] = set()
    for options in sorted(alternatives, key=len):
        if not any(_covered(literals, union) for literals in options):
            union |= _most_selective(options)
    return frozenset(union)


def _covered(literals: frozenset[str], union: set[str]) -> bool:
    """Every one of the literals holds a string of the union (case folding keeps that true)."""
    return all(any(u in literal for u in union) for literal in literals)


# ---------------------------------------------------------------- first-character guard

Firsts = tuple[list[str], bool]  # character-class items a match can start with; whether it can be empty


def first_char_guard(pattern: re.Pattern) -> re.Pattern:
    """The same pattern behind a look-ahead for the characters a match can start with: the same
    matches, found sooner. The regex engine tries a pattern at every position of the text, and for a
    pattern that opens on a long case-insensitive alternation each try walks the whole alternation;
    one character-class test turns most positions away first. The pattern itself when its first
    characters cannot be told (it may match empty, or opens on a negated class or a backreference)."""
    try:
        tree = _parse(pattern)
        firsts = None if tree is None else _firsts_of_sequence(tree)
        if firsts is None or firsts[1] or not firsts[0]:
            return pattern
        if pattern.flags & re.VERBOSE:  # a trailing comment would swallow the closing parenthesis
            return pattern
        guard = f"(?=[{''.join(dict.fromkeys(firsts[0]))}])"
        return re.compile(f"{guard}(?:{pattern.pattern})", pattern.flags)
    except Exception:  # a syntax this reader does not know: the pattern as it is
        return pattern


def _firsts_of_sequence(items: list) -> Firsts | None:
    found: list[str] = []
    for op, av in items:
        firsts = _firsts_of_item(op, av)
        if firsts is None:
            return None
        found += firsts[0]
        if not firsts[1]:  # this element consumes a character: the rest cannot start the match
            return found, False
    return found, True


def _firsts_of_item(op, av) -> Firsts | None:
    if op is sre.LITERAL:
        return [_class_char(av)], False
    if op is sre.IN:
        items = _class_items(av)
        return None if items is None else (items, False)
    if op in _ZERO_WIDTH:  # consumes nothing: the next element starts the match (a superset is safe)
        return [], True
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, body = av
        # a group that turns a flag on (ignore case, ASCII) would read its class differently from
        # the guard, which has the pattern's own flags; turning one off only narrows the group
        return None if add_flags else _firsts_of_sequence(list(body))
    if op is sre.ATOMIC_GROUP:
        return _firsts_of_sequence(list(av))
    if op in _REPEATS:
        low, _high, body = av
        firsts = _firsts_of_sequence(list(body))
        return None if firsts is None else (firsts[0], firsts[1] or low == 0)
    if op is sre.BRANCH:
        found: list[str] = []
        empty = False
        for alternative in av[1]:
            firsts = _firsts_of_sequence(list(alternative))
            if firsts is None:
                return None
            found += firsts[0]
            empty = empty or firsts[1]
        return found, empty
    return None  # any character, a negated class, a backreference: no guard


def _class_items(items) -> list[str] | None:
    out = []
    for op, av in items:
        if op is sre.LITERAL:
            out.append(_class_char(av))
        elif op is sre.RANGE:
            out.append(f"{_class_char(av[0])}-{_class_char(av[1])}")
        elif op is sre.CATEGORY and av in _CATEGORIES:
            out.append(_CATEGORIES[av])
        else:  # NEGATE and the like
            return None
    return out


def _class_char(code: int) -> str:
    """A character as written inside a character class (escaped unless a letter or digit)."""
    char = chr(code)
    return char if char.isascii() and char.isalnum() else f"\\U{code:08x}"



# ---------------------------------------------------------------- the guard on the private parser

# Patterns using every construct the readers above interpret, and what they must make of them. A
# Python whose private parser builds other trees fails this check and gets no analysis (every line
# scanned, no guard), rather than a filter that might skip a line holding a match.
_CANARY_SETS = {
    r"(?<![\w'])(?:(?P<a>last|next)\s+(?>weeks?|months?)(?:\s+ago)+|(?:[0-9a\d]{2,}?|x{1,3}?)\s*"
    r"(?:before|after)\b)(?!\w)": (frozenset({"last", "next", "before", "after"}),),
    r"(?:last|next)\s+(?>weeks?|months?)(?:\s+ago)+": (
        frozenset({"last", "next"}), frozenset({"week", "month"}), frozenset({"ago"})),
}
_CANARY_GUARDS = {
    r"\b(?:[0-9a]{2,}?|(?>b)|\d+)(?=c)(?:c|d)": r"(?=[0-9ab\d])(?:\b(?:[0-9a]{2,}?|(?>b)|\d+)(?=c)(?:c|d))",
    r"(?i:a)b": r"(?i:a)b",
}


def canary_reads() -> bool:
    """Whether the standard library's parser gives the trees this module reads, on the canaries."""
    if _parser is None:
        return False
    try:
        return (all(necessary_literal_sets(re.compile(p, re.I)) == sets for p, sets in _CANARY_SETS.items())
                and all(first_char_guard(re.compile(p, re.I)).pattern == g for p, g in _CANARY_GUARDS.items()))
    except Exception:
        return False


ANALYSIS = canary_reads()
if _parser is not None and not ANALYSIS:  # pragma: no cover - a Python whose regex internals moved
    warnings.warn("broadsheet: this Python's re._parser reads differently; the time rules run without "
                  "their line prefilter (same results, slower)", RuntimeWarning, stacklevel=1)
