"""Amounts of one article: how much money, what percentage, how many of what, how old.

GDELT's V2.1AMOUNTS, with offsets, a value, a unit and what is counted. A plug-in extractor
(`broadsheet_amounts`, table `amounts`), after names, dates and events, whose records it reads.

What it does, in order:
  1. Candidates: spaCy's MONEY, PERCENT, CARDINAL and QUANTITY entities; numbers that modify a noun the
     model left untagged; "36-year-old" and "61 years old"; a bare number between commas after a
     person's name ("Cruise, 61,"); vague quantities ("thousands of people", a null value).
  2. Not amounts: anything inside a name ("S&P 500") or a time expression ("ten years", "2019"; ages
     excepted), a count right after a capitalised proper noun ("Future 45", "Boeing 737"), a number
     after its head noun or a label word ("page 3", "Section 230"),
     years, clock times, phone numbers, and frequencies ("three times").
  3. The text keeps the currency sign, scale word and "percent" and drops approximations before the
     number ("some 4,000" -> "4,000"); the value applies the scale ("$25 million" -> 25000000, "two
     dozen" -> 24, "half" -> 0.5), the unit is an ISO currency code, percent, age, votes, people (the
     counted noun is a person noun or a nationality) or count (other measures: other).
  4. The object is the lemma of what is counted or bought ("300 protesters" -> protester, "$25 million
     for ads" -> ad, "16 percent of voters" -> voter); the entity is the person an age describes (an
     apposition, or a descriptor mention like "the 36-year-old model"), else the subject of the verb
     the amount hangs on; the event is the one whose trigger governs the amount.

What it does not do: ranges as one amount ("10 to 15 people" is two rows), arithmetic across
sentences, unit conversion, or money without a currency (unit "other").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from broadsheet.extract.component import Extractor, doc_id_of, records_on, set_records
from broadsheet.extract.docs import doc_text, token_range, view
from broadsheet.extract.lexicon import load_yaml, threshold
from broadsheet.extract.records import Amount

_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?|\.\d+")
_GLUED_SCALE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*([A-Za-z]+)\b")
_PHONE = re.compile(r"^\(?\d{3}\)?[-. ]\d{3,4}(?:[-. ]\d{4})?$")
_CLOCK = re.compile(r"\d:\d\d")
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_MAX_GOVERNOR_STEPS = threshold("amount_rules.yaml", "governor_max_steps")
_CLAUSE_EDGES = frozenset({"conj", "ccomp", "advcl", "relcl", "xcomp", "parataxis", "acl", "csubj"})


@dataclass(frozen=True)
class Rules:
    """data/amount_rules.yaml, as sets and maps."""

    candidate_labels: frozenset[str]
    currency_signs: tuple[tuple[str, str], ...]  # longest sign first
    currency_words: dict[str, str]
    currency_codes: frozenset[str]
    scales: dict[str, float]
    number_words: dict[str, float]
    multipliers: dict[str, float]
    fractions: dict[str, float]
    one_idiom_prepositions: frozenset[str]
    vague: frozenset[str]
    needs_of: frozenset[str]
    not_before_of: frozenset[str]
    percent_words: tuple[str, ...]
    leading_modifiers: tuple[tuple[str, ...], ...]  # word sequences, longest first
    label_words: frozenset[str]
    person_nouns: frozenset[str]
    vote_nouns: frozenset[str]
    not_objects: frozenset[str]
    age_range: tuple[int, int]


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The amount rules (read once per process)."""
    raw = load_yaml("amount_rules.yaml")
    modifiers = sorted((tuple(m.split()) for m in raw["leading_modifiers"]), key=len, reverse=True)
    return Rules(
        candidate_labels=frozenset(raw["candidate_labels"]),
        currency_signs=tuple(sorted(raw["currency_signs"].items(), key=lambda kv: -len(kv[0]))),
        currency_words=dict(raw["currency_words"]),
        currency_codes=frozenset(raw["currency_codes"]),
        scales={k: float(v) for k, v in raw["scales"].items()},
        number_words={k: float(v) for k, v in raw["number_words"].items()},
        multipliers={k: float(v) for k, v in raw["multipliers"].items()},
        fractions={k: float(v) for k, v in raw["fractions"].items()},
        one_idiom_prepositions=frozenset(raw["one_idiom_prepositions"]),
        vague=frozenset(raw["vague"]),
        needs_of=frozenset(raw["needs_of"]),
        not_before_of=frozenset(raw["not_before_of"]),
        percent_words=tuple(raw["percent_words"]),
        leading_modifiers=tuple(modifiers),
        label_words=frozenset(raw["label_words"]),
        person_nouns=frozenset(raw["person_nouns"]),
        vote_nouns=frozenset(raw["vote_nouns"]),
        not_objects=frozenset(raw["not_objects"]),
        age_range=(int(raw["age_range"][0]), int(raw["age_range"][1])),
    )


# --------------------------------------------------------------------------------------- candidates


@dataclass
class _Candidate:
    start: int  # token index
    end: int  # token index, exclusive
    kind: str  # money, percent, count, age, quantity (a measure: kind count, unit other)
    entity_id: str | None = None  # set when the candidate itself says whose it is (appositive age)


def _pattern_matcher(nlp_vocab) -> Matcher:
    matcher = Matcher(nlp_vocab)
    matcher.add("hyphenated", [[{"LIKE_NUM": True}, {"ORTH": "-"}, {"LOWER": {"IN": ["year", "years"]}},
                                {"ORTH": "-"}, {"LOWER": "old"}]])
    matcher.add("years_old", [[{"LIKE_NUM": True}, {"LOWER": {"IN": ["year", "years"]}}, {"LOWER": "old"}]])
    matcher.add("aged", [[{"LOWER": "aged"}, {"LIKE_NUM": True}]])
    matcher.add("points", [[{"LIKE_NUM": True}, {"LOWER": "percentage"}, {"ORTH": "-", "OP": "?"},
                            {"LOWER": {"IN": ["point", "points"]}}]])
    return matcher


def _candidates(doc: Doc, matcher: Matcher, person_at: dict[int, str], lex: Rules) -> list[_Candidate]:
    found: list[_Candidate] = []
    for match_id, start, end in matcher(doc):
        label = doc.vocab.strings[match_id]
        if label == "points":  # "5 percentage points" of a poll lead
            found.append(_Candidate(start, end, "percent"))
            continue
        if label == "aged":
            start += 1  # "aged 61": the amount is the number
        found.append(_Candidate(start, end, "age"))
    signs = {sign for sign, _ in lex.currency_signs}
    for ent in doc.ents:
        if ent.label_ in lex.candidate_labels:
            kind = {"MONEY": "money", "PERCENT": "percent", "QUANTITY": "quantity"}.get(ent.label_, "count")
            start = ent.start
            if kind == "money" and start and doc[start - 1].text in signs:
                start -= 1  # the model left the sign out: "$" "2.5bn"
            found.append(_Candidate(start, ent.end, kind))
    # the shared view's plain lists pick the few tokens worth a Token object (most are neither)
    shared = view(doc)
    deps, lower, words = shared.deps, shared.lower, shared.words
    for i in range(shared.n):
        if (deps[i] == "nummod" or lower[i] in lex.vague) and _untagged_count(shared.token(i), lex):
            found.append(_Candidate(i, i + 1, "count"))
        elif words[i].isdecimal() and _is_age_number(tok := shared.token(i), lex) and (
                person := _appositive_person(tok, person_at)) is not None:
            found.append(_Candidate(i, i + 1, "age", person))
    return [piece for c in found for piece in _split_pairs(doc, c)]


def _appositive_person(tok: Token, person_at: dict[int, str]) -> str | None:
    """The person a bare number between commas or brackets follows: "Cruise, 61," "Khan (66)"."""
    doc = tok.doc
    if tok.i < 2 or doc[tok.i - 1].text not in (",", "(") or tok.i + 1 >= len(doc):
        return None
    if doc[tok.i + 1].text not in (",", ")", ";", ".", ":"):
        return None
    return person_at.get(tok.i - 2)


def _split_pairs(doc: Doc, c: _Candidate) -> list[_Candidate]:
    """"71 percent to 27 percent", "$5 or $10": two amounts the model ran into one span."""
    for i in range(c.start + 1, c.end - 1):
        if doc[i].lower_ in ("to", "and", "or", "-") and any(_DIGIT.search(t.text) for t in doc[c.start:i]) and any(
                _DIGIT.search(t.text) for t in doc[i + 1:c.end]):
            return [_Candidate(c.start, i, c.kind), *_split_pairs(doc, _Candidate(i + 1, c.end, c.kind))]
    return [c]


def _untagged_count(tok: Token, lex: Rules) -> bool:
    """A number modifying a noun, or a vague quantity, that the NER left untagged."""
    if tok.ent_type_:
        return False
    if tok.like_num and tok.dep_ == "nummod":
        return tok.head.pos_ in ("NOUN", "PROPN")
    return tok.lower_ in lex.vague and tok.pos_ == "NOUN"


def _is_age_number(tok: Token, lex: Rules) -> bool:
    if not tok.text.isdecimal():  # isdigit() also takes "¹", which int() refuses
        return False
    low, high = lex.age_range
    return low <= int(tok.text) <= high


def _without_overlaps(candidates: list[_Candidate]) -> list[_Candidate]:
    """Ages first (they are the most specific), then the longest span; no two rows share a token."""
    rank = {"age": 0, "money": 1, "percent": 1, "quantity": 2, "count": 3}
    kept: list[_Candidate] = []
    taken: set[int] = set()
    for c in sorted(candidates, key=lambda c: (rank[c.kind], -(c.end - c.start), c.start)):
        if not taken.intersection(range(c.start, c.end)):
            kept.append(c)
            taken.update(range(c.start, c.end))
    return sorted(kept, key=lambda c: c.start)


# ---------------------------------------------------------------------------------------- filtering


def _trimmed(doc: Doc, c: _Candidate, lex: Rules) -> _Candidate | None:
    """The candidate without approximations and determiners before the number, or the trailing "of"."""
    start, end = c.start, c.end
    changed = True
    while changed and start < end:
        changed = False
        for words in lex.leading_modifiers:
            n = len(words)
            if words in (("a",), ("an",)) and start + 1 < end and (
                    doc[start + 1].lower_ in lex.scales.keys() | lex.multipliers.keys()):
                continue  # "a billion dollars", "a dozen": the article is the number
            if start + n < end and tuple(t.lower_ for t in doc[start:start + n]) == words:
                start += n
                changed = True
                break
        if start < end and doc[start].is_punct and doc[start].text not in ("$", "£", "€", "¥", "₹", "₽", "₩"):
            start += 1
            changed = True
    while end > start and (doc[end - 1].is_punct and doc[end - 1].text != "%" or doc[end - 1].lower_ == "of"):
        end -= 1
    return _Candidate(start, end, c.kind, c.entity_id) if end > start else None


def _is_amount(doc: Doc, c: _Candidate, names: set[int], times: set[int], lex: Rules) -> bool:
    span = doc[c.start:c.end]
    text = span.text
    if names.intersection(range(c.start, c.end)):
        return False  # "Future 45", "S&P 500"
    if c.kind == "age":
        return True  # "36-year-old" is an age even where the date extractor saw a duration
    if times.intersection(range(c.start, c.end)):
        return False  # "ten years", "2019"
    if not any(t.like_num or _DIGIT.search(t.text) or t.lower_ in lex.vague or t.lower_ in lex.fractions
               for t in span):
        return False
    if _PHONE.match(text) or _CLOCK.search(text):
        return False
    if c.kind == "count" and len(span) == 1 and _YEAR.match(text):
        return False  # a year the date extractor did not take ("in 2019" as a bare number)
    root = span.root
    before = doc[c.start - 1] if c.start else None
    if before is not None and (before.lower_ in lex.label_words or before.text == "#"):
        return False
    if c.kind == "count" and before is not None and before.pos_ == "PROPN" and before.is_title and (
            not before.whitespace_.count("\n")):
        return False  # "Future 45", "Boeing 737", "Fortune 500": a number that ends a name
    if c.kind == "count" and root.dep_ in ("nummod", "compound", "appos") and root.head.i < c.start and (
            root.head.pos_ in ("NOUN", "PROPN")):
        return False  # "Section 230", "Fox 5": a number after its head noun labels it
    after = doc[c.end] if c.end < len(doc) else None
    if len(span) == 1 and span[0].lower_ in lex.needs_of and (after is None or after.lower_ != "of"):
        return False  # "one of them" is a pronoun, "scores" alone a plural noun, not a quantity
    if len(span) == 1 and span[0].lower_ in lex.not_before_of and after is not None and after.lower_ == "of":
        return False
    if span.text.lower() == "one" and _one_is_not_a_quantity(span[0], before, lex):
        return False
    counted = _counted_token(root)
    return not (counted is not None and counted.lemma_.lower() in lex.not_objects)


def _one_is_not_a_quantity(tok: Token, before: Token | None, lex: Rules) -> bool:
    """"one" counts only as a numeral on a noun ("one person died"); "for one", "the one who" are
    pronouns, and "in one case", "at one point", "on one side" are idioms, whatever the noun."""
    if tok.dep_ != "nummod":
        return True
    return before is not None and before.lower_ in lex.one_idiom_prepositions


# -------------------------------------------------------------------------------------------- values


def parse_value(text: str, lex: Rules) -> float | None:
    """The number an amount's text says, with its scale: "$2.5bn" -> 2.5e9, "two dozen" -> 24,
    "half" -> 0.5, "thousands" -> None."""
    lowered = text.lower().replace("-", " ")
    words = re.findall(r"[a-z]+|\d[\d,]*(?:\.\d+)?|\.\d+", lowered)
    if any(w in lex.vague for w in words):
        return None
    digits = _DIGITS.search(text)
    if digits is not None:
        value = float(digits.group().replace(",", ""))
        glued = _GLUED_SCALE.search(text, digits.start())  # the word right after the digits: "1million", "25 million"
        scale = glued.group(2).lower() if glued and glued.start() == digits.start() else None
        if scale in lex.scales:
            value *= lex.scales[scale]
        elif scale in lex.multipliers:  # "2 dozen"
            value *= lex.multipliers[scale]
        return value
    return _words_value([w for w in words if w in lex.number_words or w in lex.multipliers or w in lex.scales
                         or w in lex.fractions], lex)


def _words_value(words: list[str], lex: Rules) -> float | None:
    if not words:
        return None
    if len(words) == 1 and words[0] in lex.fractions:
        return lex.fractions[words[0]]
    total = current = 0.0
    seen = False
    for w in words:
        if w in lex.number_words:
            current += lex.number_words[w]
            seen = True
        elif w in lex.multipliers:
            current = (current or 1.0) * lex.multipliers[w]
            seen = True
        elif w in lex.scales and len(w) > 2:
            total += (current or 1.0) * lex.scales[w]
            current = 0.0
            seen = True
        elif w in lex.fractions:
            current = (current or 1.0) * lex.fractions[w]
            seen = True
    return total + current if seen else None


def _currency(span: Span, lex: Rules) -> str | None:
    text = span.text
    for sign, code in lex.currency_signs:
        if sign in text:
            return code
    after = span.doc[span.end] if span.end < len(span.doc) else None
    for tok in [*span, *([after] if after is not None else [])]:
        if tok.lemma_.lower() in lex.currency_words:
            return lex.currency_words[tok.lemma_.lower()]
        if tok.text in lex.currency_codes:
            return tok.text
    return None


def _counted_token(root: Token) -> Token | None:
    """The noun an amount counts: the head it modifies ("300 protesters"), or the object of "of"
    after it ("thousands of people", "16 percent of voters")."""
    for child in root.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return objects[0]
    if root.dep_ in ("nummod", "quantmod", "amod", "compound", "npadvmod", "predet", "nmod") and (
            root.head.pos_ in ("NOUN", "PROPN") and root.head.i > root.i):
        return root.head
    return None


def _bought_token(root: Token) -> Token | None:
    """What money pays for: "$25 million for ads", "a $5 million donation", "worth £1million"."""
    for child in root.children:
        if child.dep_ == "prep" and child.lower_ in ("for", "on"):
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return objects[0]
    head = root.head
    if head.lower_ == "worth" and head.head.pos_ in ("NOUN", "PROPN"):
        return head.head
    if root.dep_ in ("compound", "nummod", "amod", "npadvmod", "nmod") and head.pos_ == "NOUN" and head.i > root.i:
        return head
    return None


def _object_lemma(obj: Token | None) -> str | None:
    """What is counted, as a lemma; "people" stays "people" (the model's lemma is "person")."""
    if obj is None:
        return None
    return obj.lower_ if obj.lower_ == "people" else obj.lemma_.lower()


def _is_fraction(span: Span, lex: Rules) -> bool:
    """"half", "one-half", "a third", "two-thirds": the words name a share, not a number of things."""
    words = [w for t in span for w in t.lower_.split("-") if w]
    return bool(words) and (words[-1] in lex.fractions or words[-1].rstrip("s") in lex.fractions)


def _unit(kind: str, span: Span, obj: Token | None, lex: Rules) -> str:
    if kind == "money":
        return _currency(span, lex) or "other"
    if kind in ("percent", "age"):
        return kind
    if kind == "quantity" or _is_fraction(span, lex):
        return "other"  # a share of something ("half of voters") is not a count of it
    if obj is None:
        return "count"
    lemma = _object_lemma(obj)
    if lemma in lex.vote_nouns:
        return "votes"
    if lemma in lex.person_nouns or obj.ent_type_ == "NORP":
        return "people"
    return "count"


# ----------------------------------------------------------------------------------------- linking


def _governor(root: Token) -> Token | None:
    """The nearest verb above the amount in its own clause, within a few steps of the parse."""
    tok = root
    for _ in range(_MAX_GOVERNOR_STEPS):
        if tok.head is tok or tok.dep_ in _CLAUSE_EDGES:
            return None
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            return tok
    return None


def _event_of(root: Token, obj: Token | None, event_at: dict[int, str]) -> str | None:
    tok = root
    for _ in range(_MAX_GOVERNOR_STEPS + 1):
        if tok.i in event_at:
            return event_at[tok.i]
        if tok.head is tok or tok.dep_ in _CLAUSE_EDGES:
            break
        tok = tok.head
    return event_at.get(obj.i) if obj is not None else None


def _entity_of(c: _Candidate, root: Token, entity_at: dict[int, str], described: dict[int, str]) -> str | None:
    if c.entity_id is not None:
        return c.entity_id
    for i in range(c.start, c.end):  # inside a descriptor: "the 36-year-old model"
        if i in described:
            return described[i]
    if c.kind == "age":
        head = root.head if root.dep_ in ("amod", "appos", "nummod") else None
        return entity_at.get(head.i) if head is not None else None
    verb = _governor(root)
    if verb is None:
        return None
    subjects = [t for t in verb.children if t.dep_ in ("nsubj", "nsubjpass")]
    return entity_at.get(subjects[0].i) if subjects else None


# ------------------------------------------------------------------------------------------- records


def extract_amounts(doc: Doc, doc_id: str, matcher: Matcher) -> list[Amount]:
    """The amounts of one article, in text order."""
    lex = rules()
    text = doc_text(doc)
    entity_types = {e.entity_id: e.type for e in records_on(doc, "entities") or ()}
    name_tokens: set[int] = set()
    entity_at: dict[int, str] = {}
    described: dict[int, str] = {}
    person_at: dict[int, str] = {}
    for m in records_on(doc, "mentions") or ():
        for i in token_range(doc, m.start_char, m.end_char):
            entity_at.setdefault(i, m.entity_id)
            if m.mention_kind == "name":
                name_tokens.add(i)
                if entity_types.get(m.entity_id) == "PERSON":
                    person_at[i] = m.entity_id
            else:
                described[i] = m.entity_id
    time_tokens: set[int] = set()
    for t in records_on(doc, "time_expressions") or ():
        time_tokens.update(token_range(doc, t.start_char, t.end_char))
    event_at = {}
    for ev in records_on(doc, "events") or ():
        for i in token_range(doc, ev.start_char, ev.end_char):
            event_at[i] = ev.event_id
    found: list[Amount] = []
    for raw in _without_overlaps(_candidates(doc, matcher, person_at, lex)):
        c = _trimmed(doc, raw, lex)
        if c is None or not _is_amount(doc, c, name_tokens, time_tokens, lex):
            continue
        span = doc[c.start:c.end]
        root = span.root
        value = parse_value(span.text, lex)
        if value is None and not any(t.lower_ in lex.vague for t in span):
            continue  # nothing countable after all ("percent" alone)
        obj = _bought_token(root) if c.kind == "money" else None if c.kind == "age" else _counted_token(root)
        start_char, end_char = span.start_char, span.end_char
        found.append(Amount(
            doc_id=doc_id, start_char=start_char, end_char=end_char, text=text[start_char:end_char], value=value,
            unit=_unit(c.kind, span, obj, lex), object=_object_lemma(obj),
            kind="count" if c.kind == "quantity" else c.kind, entity_id=_entity_of(c, root, entity_at, described),
            event_id=_event_of(root, obj, event_at)))
    return found


class AmountsComponent(Extractor):
    """`broadsheet_amounts`: sets `doc._.amounts`, reading the names, dates and events on the Doc."""

    needs_parse = ("DEP", "ENT_IOB")
    needs_tables = ("entities", "mentions", "time_expressions", "events")

    def __init__(self, nlp: Language, name: str) -> None:
        super().__init__(nlp, name)
        self.matcher = _pattern_matcher(nlp.vocab)

    def annotate(self, doc: Doc) -> None:
        set_records(doc, "amounts", extract_amounts(doc, doc_id_of(doc), self.matcher))


@Language.factory("broadsheet_amounts", assigns=["doc._.amounts"],
                  requires=["doc._.mentions", "doc._.timexes", "doc._.events", "token.dep"])
def make_amounts(nlp: Language, name: str) -> AmountsComponent:
    """The amounts extractor as a spaCy component."""
    return AmountsComponent(nlp, name)
