"""Events: typed, dated, located happenings with their participants, from a trigger lexicon and the parse.

What it does: finds event triggers (verbs, adjectives and event nouns, matched by lemma or form with their
part of speech) from the ACE/ERE-like lexicon in data/event_types.yaml; reads each trigger's arguments off
the dependency parse (subject, object, prepositional objects, possessives, compounds, conjunctions,
relative pronouns, the subject of a support verb such as "held talks" or "survived attempts", the subject
of an infinitive's clause noun "has no plans to meet", the object of a control verb "urged Kerry to
negotiate", the dative of a support verb "give Garland a hearing", the members a participant group is said
to include "Democrats, including Reid and Leahy") and maps them to type-specific roles; adds the
participants of an event noun's setting (the clause subject of "swung at Sanders in the opening round of
the debate", of a participation verb "addressed a rally", of an adjunct phrase for events one attends
"praised Obama after their meeting") and of a participle on a plain noun ("a Gallup poll released
Tuesday"); lets a definite event noun with nobody of its own take the participants of the same word told a
few sentences before ("The meeting lasted two hours"); keeps only arguments that are entities of the
article (names, or descriptors and pronouns that names.py resolved); dates the event with the time
expression the trigger governs or shares a clause with, else with a date on a verb that governs it (down
to reported, relative, ordered or argument phrases: "said Thursday during a taping of a town hall" dates
the town hall, "said Thursday the election was rigged" does not); locates it with a place entity attached
by in/at/near; and judges polarity (negated or not) and modality (asserted, reported, hypothetical).

What it does not do: event coreference across different words ("bought" ... "the acquisition"),
arguments that are not entities (sums of money, crimes), pronouns names.py left unresolved, and dates
taken from the article date or from an earlier sentence's event when the text gives none (undated
past-tense events stay undated: measured, that rule dated more undated events wrongly than it got
right). Gapped conjuncts ("married to X for 11 years, and Y for three") join the same event. Grammar
cues live in data/event_grammar.yaml, not here.
"""

from __future__ import annotations

import os
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from broadsheet.extract.component import Extractor, doc_id_of, records_on, set_records
from broadsheet.extract.docs import doc_text, token_range, view
from broadsheet.extract.ids import span_id_for
from broadsheet.extract.lexicon import declared_columns, load_yaml, threshold
from broadsheet.extract.places import dateline_span
from broadsheet.extract.quotes import quoted_ranges
from broadsheet.extract.records import Entity, Event, EventParticipant, Mention, Quotation, TimeExpression

# The event attributes computed beyond the base columns; each is emitted once schemas/tables.yaml
# declares it for the events table (broadsheet.tables is the one place that knows the columns).
ATTRIBUTE_COLUMNS = ("polarity", "modality", "source_quote_id")

# A proper noun can be an event noun too: title-case headlines tag "Primary", "Debate" PROPN. It counts
# only outside every named entity (find_triggers), so "March" the month or "Strike Group" never do.
_POS_OF_KIND = {"verbs": ("VERB",), "adjs": ("ADJ", "VERB"), "nouns": ("NOUN", "PROPN")}
_MODIFIER_POS = ("PROPN", "ADJ", "NOUN")
_NAME_ENT_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "WORK_OF_ART", "PRODUCT", "LAW"}


# --------------------------------------------------------------------------------------------------
# The lexicon (data files, loaded once)


@dataclass(frozen=True)
class Condition:
    """One requires/rejects item of the lexicon: a slot, optionally restricted by entity type or lemma."""

    slot: str
    types: frozenset[str] | None = None
    not_types: frozenset[str] | None = None
    lemmas: frozenset[str] | None = None
    # a rejecting item does not reject when one of these holds ("attacked" by a person: words, unless
    # the sentence speaks of violence)
    unless: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class EventType:
    """One event type of the lexicon with its role map and constraints."""

    name: str
    roles: dict[str, str]
    trigger_roles: dict[str, dict[str, str]]
    requires: tuple[Condition, ...]
    rejects: tuple[Condition, ...]
    requires_for: dict[str, tuple[Condition, ...]]
    rejects_for: dict[str, tuple[Condition, ...]]

    def role_map(self, entry: str) -> dict[str, str]:
        return {**self.roles, **self.trigger_roles.get(entry, {})}


@dataclass(frozen=True)
class Lexicon:
    """Everything events.py knows about language, from data/event_types.yaml and data/event_grammar.yaml."""

    types: dict[str, EventType]
    # (kind, entry) -> candidate type names in lexicon order; kind is verbs, adjs or nouns
    entries: dict[tuple[str, str], tuple[str, ...]]
    grammar: dict
    _word_sets: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict, repr=False, compare=False)

    def words(self, *path: str) -> frozenset[str]:
        """The word list at that path of the grammar, as a set made once: the rules ask per token."""
        found = self._word_sets.get(path)
        if found is None:
            node = self.grammar
            for key in path:
                node = node[key]
            found = self._word_sets[path] = frozenset(node)
        return found


# The slots argument_slots fills (and "sentence", the words around): a sense condition on any other
# slot would never hold, so the lexicon refuses it at load ("amod": noun modifiers are "compound").
CONDITION_SLOTS = frozenset(("subj", "subjpass", "obj", "iobj", "agent", "complement", "clause", "compound",
                             "poss", "support_agent", "support_patient", "support_dative", "host_subj", "pursuer",
                             "sentence", "particle"))


def _conditions(items: Iterable[dict] | None) -> tuple[Condition, ...]:
    def opt(item: dict, key: str) -> frozenset[str] | None:
        return frozenset(item[key]) if key in item else None

    for item in items or ():
        if item["slot"] not in CONDITION_SLOTS and not item["slot"].startswith("prep:"):
            raise ValueError(f"event_types.yaml: no argument fills the slot {item['slot']!r} of a condition")
    return tuple(Condition(i["slot"], opt(i, "types"), opt(i, "not_types"), opt(i, "lemmas"),
                           _conditions(i.get("unless")))
                 for i in items or ())


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The event lexicon and grammar cues (read once per process)."""
    raw = load_yaml("event_types.yaml")
    grammar = load_yaml("event_grammar.yaml")
    defaults = raw["default_roles"]
    types: dict[str, EventType] = {}
    entries: dict[tuple[str, str], list[str]] = {}
    for name, spec in raw["types"].items():
        types[name] = EventType(
            name=name,
            roles={**defaults, **spec.get("roles", {})},
            trigger_roles=spec.get("trigger_roles", {}),
            requires=_conditions(spec.get("requires")),
            rejects=_conditions(spec.get("rejects")),
            requires_for={k: _conditions(v) for k, v in spec.get("requires_for", {}).items()},
            rejects_for={k: _conditions(v) for k, v in spec.get("rejects_for", {}).items()},
        )
        for kind in _POS_OF_KIND:
            for entry in spec.get(kind, []):
                entries.setdefault((kind, entry), []).append(name)
        for noun in _derived_nouns(spec):
            if name not in entries.setdefault(("nouns", noun), []):
                entries[("nouns", noun)].append(name)
    return Lexicon(types, {k: tuple(v) for k, v in entries.items()}, grammar)


def _derived_nouns(spec: dict) -> list[str]:
    """The -ing nouns of a type's unambiguous verbs: "campaigning", "fundraising", "posting", "hiring".

    English derives an event noun from every event verb this way, so the lexicon lists the verb once.
    Only verbs without a sense condition of their own are derived: a condition on "raise" reads the
    verb's object, which its noun ("the raising of") does not have."""
    conditioned = set(spec.get("requires_for", {})) | set(spec.get("rejects_for", {})) | set(spec.get("no_noun", []))
    return [_gerund(verb) for verb in spec.get("verbs", [])
            if " " not in verb and not verb.startswith("=") and verb not in conditioned]


_VOWELS = frozenset("aeiou")


def _gerund(verb: str) -> str:
    """The -ing form by English spelling rules: die -> dying, hire -> hiring, stab -> stabbing."""
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        return verb[:-1] + "ing"
    if (len(verb) <= 4 and len(verb) >= 3 and verb[-1] not in _VOWELS | {"w", "x", "y"}
            and verb[-2] in _VOWELS and verb[-3] not in _VOWELS):
        return verb + verb[-1] + "ing"  # one syllable ending consonant-vowel-consonant doubles it
    return verb + "ing"


@dataclass(frozen=True)
class _Phrase:
    """A multi-word lexicon entry: its words (lower case) and which one is the head. The head is looked
    up like a one-word entry (by lemma, or by form for "=" entries); the other words must follow by form."""

    kind: str
    entry: str
    words: tuple[str, ...]
    head_index: int


_PHRASE_MATCHERS: dict[int, PhraseMatcher] = {}


def _excluded_matcher(vocab: Vocab) -> PhraseMatcher:
    """The excluded-phrase matcher for a vocab, built once."""
    key = id(vocab)
    if key not in _PHRASE_MATCHERS:
        excluded = PhraseMatcher(vocab, attr="LOWER")
        for phrase in load_lexicon().grammar["exclude_phrases"]:
            words = phrase.split()
            blocked = [i for i, w in enumerate(words) if w.startswith("*")] or list(range(len(words)))
            label = "X|" + ",".join(map(str, blocked))
            excluded.add(label, [Doc(vocab, words=[w.strip("*") for w in words])])
        _PHRASE_MATCHERS[key] = excluded
    return _PHRASE_MATCHERS[key]


@lru_cache(maxsize=1)
def _trigger_entries() -> dict[tuple[str, str, str], list[str | _Phrase]]:
    """(kind, attribute, head word) -> the lexicon entries with that head; attribute is lemma or lower.

    A one-word entry is the entry string itself, a multi-word one a _Phrase whose other words are
    checked by form. Looked up per token: a spaCy Matcher with part-of-speech predicates costs several
    milliseconds per article for the same result."""
    table: dict[tuple[str, str, str], list[str | _Phrase]] = {}
    for kind, entry in load_lexicon().entries:
        words = tuple(entry.lstrip("=").split())
        head_index = len(words) - 1 if kind == "nouns" else 0
        head = words[head_index]
        item: str | _Phrase = entry if len(words) == 1 else _Phrase(kind, entry, words, head_index)
        if entry.startswith("="):
            attributes = ("lower",)
        elif kind == "adjs":
            attributes = ("lemma", "lower")
        else:
            attributes = ("lemma",)
        for attribute in attributes:
            table.setdefault((kind, attribute, head), []).append(item)
    return table


def _trigger_matches(doc: Doc) -> Iterator[tuple[str, str, Span]]:
    """(kind, entry, span) for every lexicon entry whose head word, with the right part of speech,
    and other words stand in the text: one-word entries first, then phrases, as before."""
    table = _trigger_entries()
    kinds_of_pos = _kinds_of_pos()
    shared = view(doc)
    lower, lemma = shared.lower, shared.lemmas
    phrases: list[tuple[str, str, Span]] = []
    for i, pos in enumerate(shared.pos_tags):
        kinds = kinds_of_pos.get(pos)
        if not kinds:
            continue
        for kind in kinds:
            single = None
            # a proper noun keeps its capital in the lemma ("Primary"); the lexicon is lower case
            word_lemma = lemma[i].lower() if pos == "PROPN" else lemma[i]
            for attribute, word in (("lemma", word_lemma), ("lower", lower[i])):
                for item in table.get((kind, attribute, word), ()):
                    if isinstance(item, str):
                        single = single or item
                    elif _phrase_at(item, i, lower):
                        start = i - item.head_index
                        phrases.append((kind, item.entry, doc[start:start + len(item.words)]))
            if single is not None:
                yield kind, single, doc[i:i + 1]
    yield from phrases


def _phrase_at(phrase: _Phrase, head: int, lower: list[str]) -> bool:
    start = head - phrase.head_index
    if start < 0 or start + len(phrase.words) > len(lower):
        return False
    return all(lower[start + k] == word for k, word in enumerate(phrase.words) if k != phrase.head_index)


@lru_cache(maxsize=1)
def _kinds_of_pos() -> dict[str, tuple[str, ...]]:
    """Part of speech -> the trigger kinds it can be, in _POS_OF_KIND's order."""
    kinds: dict[str, list[str]] = {}
    for kind, tags in _POS_OF_KIND.items():
        for tag in tags:
            kinds.setdefault(tag, []).append(kind)
    return {tag: tuple(names) for tag, names in kinds.items()}


# --------------------------------------------------------------------------------------------------
# Entities of the article, by token


@dataclass
class EntityIndex:
    """Which entity each token belongs to (smallest mention wins), and each entity's type."""

    by_token: dict[int, str] = field(default_factory=dict)
    name_tokens: set[int] = field(default_factory=set)
    types: dict[str, str] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)  # nationality entity -> the article's country
    quoted: set[int] | None = None  # tokens inside quotation marks (quotes.quoted_ranges), when first asked
    dateline: range = range(0)  # the tokens of a newswire dateline ("JACKSON, Miss. -")
    _ordered: list[int] = field(default_factory=list, repr=False)  # by_token's keys, sorted on first use

    def entity_of(self, token: Token) -> str | None:
        return self.by_token.get(token.i)

    def add(self, i: int, entity_id: str) -> None:
        """Token i stands for the entity, unless a mention already says whom it stands for."""
        if i not in self.by_token:
            self.by_token[i] = entity_id
            self._ordered = []

    def tokens_between(self, start: int, end: int) -> list[int]:
        """The tokens in [start, end) that belong to an entity, in text order."""
        ordered = self._ordered or sorted(self.by_token)
        self._ordered = ordered
        return ordered[bisect_left(ordered, start):bisect_left(ordered, end)]

    def type_of(self, entity_id: str | None) -> str | None:
        return self.types.get(entity_id) if entity_id else None


def _add_speakers(doc: Doc, index: EntityIndex, quotations: list[Quotation], lexicon: Lexicon) -> None:
    """Who a quotation's speaker is, for the words the mentions leave open: the speaker as written
    ("he said", resolved by the quotations' own rules) and "I"/"me"/"my" inside the quoted words ("I
    have not had any conversations", said by Pate: Pate)."""
    first_person = lexicon.words("first_person_pronouns")
    for q in quotations:
        entity = q.speaker_entity_id
        if not entity or entity not in index.types:
            continue
        if q.speaker_start_char is not None and q.speaker_end_char is not None:
            for i in token_range(doc, q.speaker_start_char, q.speaker_end_char):
                index.add(i, entity)
        for i in token_range(doc, q.start_char, q.end_char):
            # the tagger sometimes calls "I" a proper noun ("If, when, I'm elected")
            if doc[i].lower_ in first_person and (doc[i].pos_ == "PRON" or doc[i].text == "I"):
                index.add(i, entity)


def _countries_by_demonym(entities: list[Entity]) -> dict[str, str]:
    """Nationality entities ("Russian", "the Russians") and the country entity of the same article they
    stand for as event participants ("Russian airstrikes": Russia attacks). Only a country the article
    names: a nationality alone says which people, not that its state acted."""
    rule = load_lexicon().grammar["demonyms"]
    irregular = {k.lower(): v.lower() for k, v in rule["irregular"].items()}
    countries = {e.name.lower(): e.entity_id for e in entities if e.type == "GPE"}
    found: dict[str, str] = {}
    for e in entities:
        if e.type != "NORP":
            continue
        word = e.name.lower().removeprefix("the ")  # "Russians" shares "russia" with Russia as "Russian" does
        for country, entity_id in countries.items():
            shared = len(os.path.commonprefix([word, country]))
            if irregular.get(word) == country or (shared >= _threshold("demonym_min_prefix")
                                                  and shared >= len(country) - 1):
                found[e.entity_id] = entity_id
                break
    return found


_NATIONALITY_RANK = 1 << 20  # added to a NORP mention's size: any other mention of its tokens wins


def _index_entities(doc: Doc, entities: list[Entity], mentions: list[Mention]) -> EntityIndex:
    index = EntityIndex(types={e.entity_id: e.type for e in entities},
                        countries=_countries_by_demonym(entities))
    sizes: dict[int, int] = {}
    for m in mentions:
        if m.entity_id not in index.types:
            continue
        # a nationality inside a description yields to it: "the Wisconsin Republican" is the person
        size = m.end_char - m.start_char + (_NATIONALITY_RANK if index.types[m.entity_id] == "NORP" else 0)
        is_name = m.mention_kind == "name" and index.types[m.entity_id] != "EVENT"
        for i in token_range(doc, m.start_char, m.end_char):
            if i not in sizes or size < sizes[i]:
                sizes[i] = size
                index.by_token[i] = m.entity_id
            if is_name:
                index.name_tokens.add(i)
    for ent in view(doc).ents:  # names the name extractor left out are still not triggers ("Court of Appeal")
        if ent.label_ in _NAME_ENT_LABELS:
            index.name_tokens.update(range(ent.start, ent.end))
    # a lower-case word inside a name span is a tagging slip ("Smith met Jones" as one ORG), not a name
    words = view(doc).words
    index.name_tokens = {i for i in index.name_tokens if not words[i].islower()}
    dateline = dateline_span(doc_text(doc))
    if dateline is not None:
        index.dateline = token_range(doc, *dateline)
    return index


# --------------------------------------------------------------------------------------------------
# Triggers


@dataclass
class Trigger:
    """A matched trigger: its span, head token, lexicon entry and candidate types."""

    span: Span
    head: Token
    kind: str
    entry: str
    candidates: tuple[str, ...]


def _excluded_tokens(doc: Doc) -> set[int]:
    blocked: set[int] = set()
    for match_id, start, _end in _excluded_matcher(doc.vocab)(doc):
        offsets = doc.vocab.strings[match_id].split("|", 1)[1]
        blocked.update(start + int(i) for i in offsets.split(","))
    return blocked


def _named_event_heads(doc: Doc, index: EntityIndex, lexicon: Lexicon) -> set[int]:
    """The last word of a name that names an event ("the Democratic National Convention", "the Copenhagen
    climate summit"): the name is an entity, and its head word is still the event's trigger."""
    heads = lexicon.words("named_event_heads")
    lemmas = view(doc).lemmas
    return {i for i in index.name_tokens if lemmas[i].lower() in heads and i + 1 not in index.name_tokens}


def find_triggers(doc: Doc, index: EntityIndex) -> list[Trigger]:
    """Trigger candidates: the longest lexicon match per head token, minus names and excluded phrases."""
    lexicon = load_lexicon()
    named_events = _named_event_heads(doc, index, lexicon)
    blocked = _excluded_tokens(doc) | (index.name_tokens - named_events)
    best: dict[int, Trigger] = {}
    for kind, entry, span in _trigger_matches(doc):
        head = span[0] if kind != "nouns" else span[-1]
        if head.i in blocked or not head.is_alpha and "-" not in head.text:
            continue
        if head.pos_ == "PROPN" and (head.ent_type_ or not head.is_title) and head.i not in named_events:
            continue
        current = best.get(head.i)
        if current is None or len(span) > len(current.span):
            best[head.i] = Trigger(span, head, kind, entry, lexicon.entries[(kind, entry)])
    return sorted(best.values(), key=lambda t: t.head.i)


# --------------------------------------------------------------------------------------------------
# Arguments from the parse


def _np_head(trigger: Token) -> Token:
    """The noun phrase a noun trigger heads: "assassination attempts" -> attempts; "a string of
    victories" -> string (a noun that only counts its events: quantity_nouns)."""
    tok = trigger
    while tok.dep_ == "compound" and tok.head.pos_ in ("NOUN", "PROPN") and tok.head.i != tok.i:
        tok = tok.head
    if (tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.pos_ == "NOUN"
            and tok.head.head.lemma_.lower() in load_lexicon().words("quantity_nouns")):
        return tok.head.head
    return tok


def _is_passive(tok: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children) or (
        tok.tag_ == "VBN" and tok.dep_ in ("acl", "amod"))


def _threshold(key: str):
    """A number under `thresholds:` in data/event_grammar.yaml."""
    return threshold("event_grammar.yaml", key)


def _subjects(verb: Token, depth: int = 0) -> list[tuple[str, Token]]:
    """(slot, token) subjects of a verb, inherited from the governing verb for conj/xcomp/acomp."""
    found = [("subj" if c.dep_ in ("nsubj", "csubj", "expl") else "subjpass", c)
             for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
    if found:
        # "Clinton became the first woman and Cruz the first Latino": a name the parser conjoined to the
        # predicate noun is a second subject whose verb is left out
        found += [("subj", c) for a in verb.children if a.dep_ == "attr" and a.pos_ == "NOUN"
                  for c in a.children if c.dep_ == "conj" and c.pos_ == "PROPN"]
    if found or depth > _threshold("subject_max_climb") or verb.head.i == verb.i:
        return found
    slot = "subjpass" if _is_passive(verb) else "subj"
    if verb.dep_ == "xcomp" and verb.head.lemma_ in load_lexicon().words("object_control_verbs"):
        # "instructed Kerry to negotiate", "urged Sanders to drop out": the object does it
        objects = [c for c in verb.head.children if c.dep_ == "dobj"]
        if objects:
            return [(slot, tok) for tok in objects]
    if verb.dep_ in ("conj", "xcomp", "acomp", "oprd", "advcl"):
        inherited = [(slot, tok) for _, tok in _subjects(verb.head, depth + 1)]
        if verb.dep_ == "xcomp" and verb.head.lemma_ == "be":
            # "Cruz's strategy was to crisscross the state": whose plan it is does it
            inherited = [(slot, owner) for s, tok in inherited for owner in (
                [c for c in tok.children if c.dep_ == "poss"]
                if tok.lemma_.lower() in load_lexicon().words("intention_nouns") else []) or [tok]]
        return inherited
    # "accused Putin of killing him"; a gerund the parser makes the object itself: "fail to find common
    # ground during meeting in China"
    if (verb.dep_ == "pcomp" or verb.dep_ == "pobj" and verb.tag_ == "VBG") and verb.head.head.pos_ in ("VERB", "AUX"):
        governor = verb.head.head
        # "accused Putin of killing him": the object of the governing verb is the doer
        objects = [c for c in governor.children if c.dep_ == "dobj"]
        if objects and verb.head.lower_ in ("of", "for", "with"):
            return [(slot, tok) for tok in objects]
        return [(slot, tok) for _, tok in _subjects(governor, depth + 1)]
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    # "the first Jewish candidate to win a primary": an infinitive on a noun is parsed acl or relcl
    # "the first of the contenders to address the gala": an ordinal stands for the noun it leaves out
    ordinal = verb.head.pos_ == "ADJ" and verb.head.dep_ == "attr" and verb.head.ent_type_ == "ORDINAL"
    if (verb.dep_ in ("acl", "amod") or verb.dep_ == "relcl" and infinitive) and (verb.head.pos_ in (
            "NOUN", "PROPN", "PRON") or ordinal):
        found = [] if ordinal else [("subjpass" if _is_passive(verb) else "subj", verb.head)]
        noun = verb.head
        if noun.dep_ == "appos" and noun.head.dep_ == "attr":
            noun = noun.head  # "the first outsider (that is, someone who ...) to win": the predicate noun
        # "Trump was the first to address the gala", "Francis has no plans to meet": an infinitive on the
        # predicate noun of a clause, or on an object of intent, is done by that clause's subject
        intention = noun.lemma_.lower() in load_lexicon().words("intention_nouns")
        if (noun.pos_ == "NOUN" or ordinal) and noun.ent_type_ in ("", "ORDINAL") and infinitive and (
                noun.dep_ == "attr" or (noun.dep_ == "dobj" and intention)):
            found += [(slot, tok) for _, tok in _subjects(noun.head, depth + 1)]
        elif noun.pos_ == "NOUN" and infinitive and intention and noun.dep_ == "pobj" \
                and noun.head.head.pos_ in ("VERB", "AUX"):
            # "we're not in a position to buy more", "is under pressure to resign": the clause's subject
            found += [(slot, tok) for _, tok in _subjects(noun.head.head, depth + 1)]
        return found
    return []


def _prep_objects(tok: Token, skip: Token | None = None) -> Iterator[tuple[str, Token]]:
    for c in tok.children:
        if skip is not None and c.i == skip.i:
            continue
        if c.dep_ in ("advmod", "prt"):  # "flew back to Florida"
            yield from ((slot, obj) for slot, obj in _prep_objects(c) if slot.startswith("prep:"))
        elif c.dep_ == "prep":
            # "married to X for 11 years and to Y": a conjoined preposition is a phrase of its own
            for prep in (c, *(g for g in c.children if g.dep_ == "conj" and g.pos_ == "ADP")):
                for obj in prep.children:
                    if obj.dep_ in ("pobj", "pcomp"):
                        yield f"prep:{prep.lower_}", obj
                        yield from _nested_of(f"prep:{prep.lower_}", obj)
        elif c.dep_ == "agent":
            for obj in c.children:
                if obj.dep_ == "pobj":
                    yield "agent", obj


def _nested_of(slot: str, tok: Token) -> Iterator[tuple[str, Token]]:
    """"step down as chief executive of Twitter": slot prep:as:of holds Twitter. "in his home state of
    Texas", "in the city of Aleppo": the place named by "of" fills the place preposition's slot itself."""
    if slot.removeprefix("prep:") in load_lexicon().words("place_prepositions") and tok.ent_type_ == "":
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                yield from ((slot, obj) for obj in c.children if obj.dep_ == "pobj" and obj.ent_type_ in ("GPE", "LOC"))
    if slot == "prep:as":  # also "as Russia's president"
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                yield from ((f"{slot}:of", obj) for obj in c.children if obj.dep_ == "pobj")
            elif c.dep_ == "poss":
                yield f"{slot}:of", c


def _verb_slots(trigger: Token, lexicon: Lexicon) -> list[tuple[str, Token]]:
    slots = list(_subjects(trigger))
    for c in trigger.children:
        if c.dep_ == "dobj" and c.lemma_.lower() not in lexicon.words("not_objects"):
            if not any(slot == "obj" for slot, _ in slots):  # a second "object" is a misparse
                slots.append(("obj", c))
        elif c.dep_ in ("oprd", "acomp", "ccomp", "xcomp") and c.pos_ == "ADJ":
            slots.append(("complement", c))
            # "found Donald Trump guilty": the small clause's subject is the object
            slots.extend(("obj", s) for s in c.children if s.dep_ == "nsubj")
        elif c.dep_ == "dative":
            slots.extend(("iobj", tok) for tok in _dative_objects(c))
        elif c.dep_ == "ccomp":
            slots.append(("clause", c))  # "demonstrate how ...": a sense filter's slot, no participant
    slots.extend(_prep_objects(trigger))
    # "a super PAC he formed": the noun an object relative clause hangs on is the object
    if trigger.dep_ == "relcl" and not any(slot in ("obj", "subjpass") for slot, _ in slots) and any(
            c.dep_ == "nsubj" and c.tag_ not in ("WP", "WDT") for c in trigger.children) and not (
            _is_relative_of_place(trigger, lexicon)):  # "China, where Kerry met Lavrov": the place
        slots.append(("obj", trigger.head))
    return slots


def _support_slots(np: Token, lexicon: Lexicon) -> list[tuple[str, Token]]:
    """Subjects of the verb a noun trigger is the object of, when that verb only supports it."""
    verb = _support_verb(np, lexicon)
    if verb is None:
        return []
    slot = "support_agent" if verb.lemma_ in lexicon.words("support_verbs", "agent") else "support_patient"
    slots = [(slot, tok) for kind, tok in _subjects(verb) if kind == "subj"]
    # "give Garland a hearing", "denied him a meeting": the one the event is given to or withheld from
    slots.extend(("support_dative", tok) for c in verb.children if c.dep_ == "dative" for tok in _dative_objects(c))
    # "filed for divorce from Affleck", "filed a lawsuit against X": the verb's PPs are the noun's
    container = np.head if np.dep_ == "pobj" else np
    slots.extend(_prep_objects(verb, skip=container))
    return slots


def _dative_objects(dative: Token) -> list[Token]:
    """Who a dative names: "gave Garland a hearing" -> Garland; "sent an email to Jones", which the parser
    also calls dative, -> Jones, not "to"."""
    if dative.pos_ == "ADP":
        return [c for c in dative.children if c.dep_ == "pobj"]
    return [dative]


def _support_verb(np: Token, lexicon: Lexicon) -> Token | None:
    """The support verb of a noun trigger ("held talks", "filed for bankruptcy"), if it has one."""
    if np.dep_ == "dobj":
        verb = np.head
    elif np.dep_ == "pobj" and np.head.lower_ in lexicon.words("support_prepositions"):
        verb = np.head.head
    else:
        return None
    if verb.pos_ not in ("VERB", "AUX") or verb.lemma_ not in _support_lemmas(lexicon):
        return None
    # "called the ruling a tragic error": the verb says something about the noun, it does not support it
    if any(c.dep_ in ("oprd", "ccomp") for c in verb.children):
        return None
    return verb


def _support_lemmas(lexicon: Lexicon) -> frozenset[str]:
    return lexicon.words("support_verbs", "agent") | lexicon.words("support_verbs", "patient")


def _host_slots(np: Token, lexicon: Lexicon) -> list[tuple[str, Token]]:
    """"In an interview with X, Y said ...": Y takes part in the interview."""
    prep = np.head
    if np.dep_ != "pobj" or prep.lower_ not in lexicon.words("host_prepositions"):
        return []
    if prep.head.pos_ not in ("VERB", "AUX"):
        return []
    return [("host_subj", tok) for _kind, tok in _subjects(prep.head)]


def _noun_slots(trigger: Token, lexicon: Lexicon) -> list[tuple[str, Token]]:
    np = _np_head(trigger)
    slots: list[tuple[str, Token]] = []
    for tok in ([trigger] if np.i == trigger.i else [trigger, np]):
        for c in tok.children:
            if c.dep_ == "poss":
                slots.append(("poss", c))
            elif c.dep_ in ("compound", "amod", "nmod") and c.i < trigger.i and c.pos_ in _MODIFIER_POS:
                slots.append(("compound", c))
        slots.extend(_prep_objects(tok))
    slots.extend(_support_slots(np, lexicon))
    slots.extend(_host_slots(np, lexicon))
    slots.extend(_pursuer_slots(np, lexicon))
    return slots


def _pursuer_slots(np: Token, lexicon: Lexicon) -> list[tuple[str, Token]]:
    """"Clinton's lead for the nomination", "Trump's path to victory", "her bid for the nomination": the
    possessor of a noun of pursuit takes part in the event it is a way to."""
    rule = lexicon.grammar["pursuit"]
    prep = np.head
    if np.dep_ != "pobj" or prep.lower_ not in rule["prepositions"]:
        return []
    noun = prep.head
    if noun.pos_ in ("VERB", "AUX") and prep.i > 0 and prep.nbor(-1).head.i == noun.i:
        noun = prep.nbor(-1)  # "spell out Trump's path to the nomination": "to" hung on the verb
    if noun.pos_ != "NOUN" or noun.lemma_.lower() not in rule["nouns"]:
        return []
    return [("pursuer", c) for c in noun.children if c.dep_ == "poss"]


def argument_slots(trigger: Trigger, lexicon: Lexicon) -> list[tuple[str, Token]]:
    """(slot, token) arguments of a trigger, conjuncts included ("Tsvetkov and Khayrova divorced")."""
    head = trigger.head
    base = _noun_slots(head, lexicon) if trigger.kind == "nouns" else _verb_slots(head, lexicon)
    slots: list[tuple[str, Token]] = []
    remnants: list[Token] = []
    for slot, tok in base:
        slots.append((slot, tok))
        for conj in _conjuncts(tok):
            # "for 11 years and Mimi Rogers": a name conjoined to a measure is a gapped argument
            if _is_measure(tok, lexicon) and not _is_measure(conj, lexicon):
                remnants.append(conj)
            else:
                slots.append((slot, conj))
    if trigger.kind != "nouns":
        remnants.extend(_gapped_remnants(head))
    for remnant in remnants:
        slot = _parallel_slot(remnant, base, lexicon)
        if slot is not None:
            slots.append((slot, remnant))
            slots.extend((slot, conj) for conj in _conjuncts(remnant))
    return slots


def _is_measure(tok: Token, lexicon: Lexicon) -> bool:
    """A date, duration or number ("for 11 years"): never the parallel of a gapped argument."""
    return tok.ent_type_ in lexicon.words("gapping", "measure_labels") or tok.like_num or (
        tok.lemma_.lower() in lexicon.words("not_objects"))


def _gapped_remnants(trigger: Token) -> list[Token]:
    """Nouns left of an elided repeat of the predicate: "arrested Smith in June, and Jones in July",
    "was married to Kidman for 11 years, and Mimi Rogers for three years" (the parser hangs the
    remnant on the verb, or on the copula of an adjective trigger, as a conj or dep)."""
    lexicon = load_lexicon()
    hosts = [trigger]
    if trigger.dep_ in ("acomp", "xcomp", "oprd") and trigger.head.pos_ in ("AUX", "VERB"):
        hosts.append(trigger.head)
    conjunctions = lexicon.words("gapping", "conjunctions")
    if not any(c.dep_ == "cc" and c.lower_ in conjunctions for host in hosts for c in host.children):
        return []
    remnants = []
    for host in hosts:
        for c in host.children:
            if ( c.dep_ in ("conj", "dep") and c.i > trigger.i and c.pos_ in ("PROPN", "NOUN")
                    and not any(g.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for g in c.children)):
                remnants.append(c)
    return remnants


def _parallel_slot(remnant: Token, base: list[tuple[str, Token]], lexicon: Lexicon) -> str | None:
    """The slot a gapped remnant repeats: the nearest earlier non-subject argument of the same kind
    (a name for a name, a common noun for a common noun), dates and numbers aside."""
    kind = {"PROPN": "name", "PRON": "name"}
    wanted = kind.get(remnant.pos_, "noun")
    best: tuple[int, str] | None = None
    for slot, tok in base:
        if slot.startswith("subj") or slot in lexicon.words("gapping", "not_parallel_slots"):
            continue
        if tok.i >= remnant.i or _is_measure(tok, lexicon) or kind.get(tok.pos_, "noun") != wanted:
            continue
        if best is None or tok.i > best[0]:
            best = (tok.i, slot)
    return best[1] if best else None


def _conjuncts(tok: Token) -> Iterator[Token]:
    """The nouns coordinated with tok; also a name the parser hung on it as a modifier with its own "and"
    ("Republican Donald Trump and Democrat Hillary Clinton" parsed as Trump <-nmod- Clinton)."""
    for c in tok.children:
        if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN", "PRON") or (
                c.dep_ == "nmod" and c.pos_ == "PROPN" and c.i < tok.i
                and any(g.dep_ == "cc" and g.lower_ == "and" for g in c.children)):
            yield c
            yield from _conjuncts(c)


def _resolve(tok: Token, index: EntityIndex, lexicon: Lexicon) -> list[str]:
    """The entities a participant token stands for (_resolve_entities), a nationality as its country."""
    return list(dict.fromkeys(index.countries.get(e, e) for e in _resolve_entities(tok, index, lexicon)))


def _relative_clause_of(tok: Token) -> Token | None:
    """The relative clause a relative pronoun opens: "who died", "which ...", and for "whose" the clause
    its noun sits in ("the parents whose appearance created a firestorm")."""
    if tok.tag_ in ("WP", "WDT"):
        clause = tok.head
        while clause.dep_ == "xcomp":  # "Texas, which he's expected to win": the clause the verb completes
            clause = clause.head
        return clause if clause.dep_ in ("relcl", "acl") else None
    if tok.tag_ == "WP$":
        clause = tok.head
        while clause.dep_ not in ("relcl", "acl") and clause.head.i != clause.i:
            clause = clause.head
        return clause if clause.dep_ in ("relcl", "acl") else None
    return None


def _opened_by_who(clause: Token) -> bool:
    """A relative clause opened by who/whom: its antecedent is a person."""
    return any(c.lower_ in ("who", "whom") and c.tag_ == "WP" for c in clause.children)


def _resolve_entities(tok: Token, index: EntityIndex, lexicon: Lexicon) -> list[str]:
    """The entities a participant token stands for: its mention, an apposition, a relative's
    antecedent, the group a member noun belongs to ("Hamas fighters"), or the conjoined subject a
    plural possessive is bound by ("Shakira and Piqué announced their separation")."""
    if tok.i in index.dateline:
        # "JACKSON, Miss. - U.S. District Judge Carlton W. Reeves issued an injunction": the parser makes
        # the dateline the subject and the story's own subject its apposition; the dateline is where
        # the story's first sentence happens
        appositions = [e for c in tok.children if c.dep_ == "appos" for e in _resolve_entities(c, index, lexicon)]
        return [e for e in (index.entity_of(tok), *appositions) if e]
    relative = _relative_clause_of(tok)
    if relative is not None:
        tok = relative.head
        if (tok.dep_ == "pobj" and tok.head.lower_ == "of" and _opened_by_who(relative)
                and index.type_of(index.entity_of(tok)) not in (None, "PERSON", "NORP")):
            tok = tok.head.head  # "the chairman of Bear Stearns, who died": who is the chairman
        if index.entity_of(tok) is None and tok.dep_ == "appos" and index.entity_of(tok.head):
            # "Alan Greenberg, the chairman of Bear Stearns, who died": the name; "Khizr and Ghazala
            # Khan, the parents whose appearance ...": both names
            return list(dict.fromkeys(index.entity_of(t) for t in (tok.head, *_conjuncts(tok.head))
                                      if index.entity_of(t)))
        if index.type_of(index.entity_of(tok)) in (None, "NORP") and tok.dep_ == "attr":
            # "Reeves is an African American who was born in 1964": the one the predicate noun describes
            subjects = [c for c in tok.head.children if c.dep_ == "nsubj" and index.entity_of(c)]
            tok = subjects[0] if subjects else tok
    entity = index.entity_of(tok)
    named = [index.entity_of(c) for c in tok.children if c.dep_ == "appos" and index.entity_of(c)]
    # "Two Democrats, Tom Steyer and Donald Sussman, ...": the names say who, the group only what
    if named and (entity is None or index.type_of(entity) == "NORP"):
        appositions = [c for c in tok.children if c.dep_ == "appos" and index.entity_of(c)]
        return list(dict.fromkeys(index.entity_of(t) for a in appositions for t in (a, *_conjuncts(a))
                                  if index.entity_of(t)))
    members = _included_members(tok, index, lexicon)
    if entity:
        return [entity, *(m for m in members if m != entity)]
    if members:
        return members  # "met top Senate Democrats, including Harry Reid and Pat Leahy"
    if tok.lemma_.lower() in lexicon.words("member_nouns"):
        # "European members of NATO": the group after "of" is the one they belong to
        groups = [index.entity_of(o) for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                  for o in c.children if o.dep_ == "pobj" and index.entity_of(o)]
        groups += [index.entity_of(c) for c in tok.children
                   if c.dep_ in ("compound", "amod", "nmod", "poss") and index.entity_of(c)]
        if groups:
            return groups[:1]
    if tok.lower_ in lexicon.words("plural_pronoun_rule", "pronouns"):
        return _bound_plural(tok, index) or _recent_pair(tok, index, lexicon)
    return []


def _recent_pair(pronoun: Token, index: EntityIndex, lexicon: Lexicon) -> list[str]:
    """"Rubio and Kasich trail. They are banking on winning their home states": an unresolved they/their
    outside quotation marks is the conjoined subject (two or more named entities) told last, earlier in
    its sentence or in the one before."""
    doc = pronoun.doc
    if index.quoted is None:
        index.quoted = {i for q in quoted_ranges(doc_text(doc), closed_only=True) for i in token_range(doc, *q)}
    if pronoun.i in index.quoted:
        return []
    shared = view(doc)
    sent = shared.sent_of(pronoun.i)
    first = shared.sent_of(sent.start - 1).start if sent.start > 0 else sent.start
    kinds = lexicon.words("plural_pronoun_rule", "pair_types")
    for i in range(pronoun.i - 1, first - 1, -1):
        tok = doc[i]
        if tok.dep_ not in ("nsubj", "nsubjpass") or not any(c.dep_ == "conj" for c in tok.children):
            continue
        members = [tok, *_conjuncts(tok)]
        entities = [index.entity_of(m) for m in members]
        if all(entities) and all(index.type_of(e) in kinds for e in entities):
            return list(dict.fromkeys(entities))
        return []  # the last plural subject names no pair: "they" may be anyone
    return []


def _included_members(tok: Token, index: EntityIndex, lexicon: Lexicon) -> list[str]:
    """Entities a group is said to include ("Democrats, including Reid and Leahy"): they take its part."""
    found: list[str] = []
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ in lexicon.words("member_prepositions"):
            for obj in (o for o in prep.children if o.dep_ == "pobj"):
                found += [e for t in (obj, *_conjuncts(obj)) if (e := index.entity_of(t))]
    return list(dict.fromkeys(found))


def _bound_plural(pronoun: Token, index: EntityIndex) -> list[str]:
    """Entities of the conjoined subject of the pronoun's clause ("X and Y ... their")."""
    clause = _clause_head(pronoun)
    for _slot, subject in _subjects(clause):
        members = [subject, *_conjuncts(subject)]
        entities = [index.entity_of(m) for m in members]
        if len(members) > 1 and all(entities):
            return list(dict.fromkeys(entities))
    return []


# --------------------------------------------------------------------------------------------------
# Type choice


@dataclass
class Filler:
    """A slot filler: the token, its lemma and the entity it resolves to (if any)."""

    slot: str
    token: Token
    entity_id: str | None
    entity_type: str | None


def _holds(cond: Condition, fillers: list[Filler], rejecting: bool) -> bool:
    if rejecting and any(_holds(u, fillers, rejecting=False) for u in cond.unless):
        return False
    for f in fillers:
        if f.slot != cond.slot:
            continue
        lemma = f.token.lemma_.lower()
        if rejecting:
            if cond.types is not None and f.entity_type not in cond.types:
                continue  # "rejects a person subject": only fillers of those types reject
            if cond.lemmas is not None and lemma in cond.lemmas:
                return True
            if cond.not_types is not None and f.entity_type not in cond.not_types:
                return True
            if cond.lemmas is None and cond.not_types is None:
                return True
        elif cond.lemmas is None and f.token.ent_type_ in load_lexicon().words("date_types"):
            continue  # "a strike on Thursday": a date fills a slot but says nothing of the event's kind
        # an entity's type, or the model's label for what is no entity here ("about $100,000": MONEY)
        elif ((cond.types is None or f.entity_type in cond.types or f.token.ent_type_ in cond.types)
              and (cond.lemmas is None or lemma in cond.lemmas)):
            return True
    return False


def choose_type(trigger: Trigger, fillers: list[Filler], lexicon: Lexicon) -> EventType | None:
    """The first candidate type whose constraints the arguments satisfy."""
    # a type with conditions on this very trigger word speaks first ("return as chief executive")
    ordered = sorted(trigger.candidates, key=lambda n: trigger.entry not in lexicon.types[n].requires_for)
    for name in ordered:
        etype = lexicon.types[name]
        requires = etype.requires + etype.requires_for.get(trigger.entry, ())
        rejects = etype.rejects + etype.rejects_for.get(trigger.entry, ())
        if requires and not any(_holds(c, fillers, rejecting=False) for c in requires):
            continue
        if any(_holds(c, fillers, rejecting=True) for c in rejects):
            continue
        return etype
    return None


# --------------------------------------------------------------------------------------------------
# Date, place, polarity, modality


def _clause_head(tok: Token) -> Token:
    """The verb (or copula) heading the clause a token is in; a participle used as a preposition ("spoke
    following a meeting", "including") heads none."""
    cur = tok
    while (cur.pos_ not in ("VERB", "AUX") or cur.dep_ == "prep") and cur.head.i != cur.i:
        cur = cur.head
    return cur


def _path_up(tok: Token, target: Token) -> int | None:
    """Steps from tok up to target, or None when target is no ancestor within the clause (no verb between)."""
    steps, cur = 0, tok
    while cur.i != target.i:
        if cur.head.i == cur.i:
            return None
        cur = cur.head
        steps += 1
        if cur.i != target.i and cur.pos_ in ("VERB", "AUX"):
            return None
    return steps


# An anchor shared with the clause must hang off the clause verb directly: `clause_steps` in
# data/event_grammar.yaml.
_CLAUSE_STEPS = _threshold("clause_steps")
# A date modifying another noun dates that noun ("a lawsuit over claims about the 2020 election").
_NOUN_MODIFIER_DEPS = ("compound", "nummod", "amod", "poss", "nmod")


def _attachment(anchor: Token, trigger: Token, clause_steps: int = _CLAUSE_STEPS) -> tuple[int, int] | None:
    """(rank, steps) of how an anchor (a date or place) attaches to a trigger: governed, then same clause."""
    for rank, target in enumerate((trigger, _np_head(trigger))):
        steps = _path_up(anchor, target)
        if steps is not None:
            return rank, steps
    clause = _clause_head(trigger)
    trigger_steps = _path_up(trigger, clause)
    steps = _path_up(anchor, clause)
    if None not in (trigger_steps, steps) and trigger_steps <= _CLAUSE_STEPS and steps <= clause_steps:
        return 2, steps
    return None


def _root_token(doc: Doc, start: int, end: int) -> Token | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None else None


def _modifies(trigger: Token, timex_root: Token) -> bool:
    """"... in 2012, when he divorced ...": the trigger's clause is a relative clause of the date."""
    clause = _clause_head(trigger)
    return clause.dep_ in ("relcl", "acl") and clause.head.i == timex_root.i


def choose_date(doc: Doc, trigger: Token, timexes: list[TimeExpression], lexicon: Lexicon,
                quotations: list[Quotation] = ()) -> TimeExpression | None:
    """The time expression in the trigger's sentence that the trigger governs or shares a clause with;
    failing that, the sentence's one date (_sentence_date)."""
    sent = view(doc).sent_of(trigger.i)
    usable_types = lexicon.words("date_types")
    undatable = lexicon.words("undatable_values")
    coverage = lexicon.words("coverage_prepositions")
    best: tuple[tuple[int, ...], TimeExpression] | None = None
    in_sentence: list[tuple[TimeExpression, Token]] = []
    for tx in timexes:
        if tx.type not in usable_types or not tx.value or tx.value in undatable:
            continue
        if not (sent.start_char <= tx.start_char and tx.end_char <= sent.end_char):
            continue
        root = _root_token(doc, tx.start_char, tx.end_char)
        if root is None or _bounds_a_range(root, trigger, lexicon):
            continue
        if _shortly_around(root, trigger, lexicon):
            # "soon after Sunday's massacre he tweeted": within hours of a dated event is on its day
            in_sentence.append((tx, root))
            if best is None or best[0] > (2, 9, 0):
                best = ((2, 9, 0), tx)
            continue
        if root.dep_ in _NOUN_MODIFIER_DEPS and root.head.i not in (trigger.i, _np_head(trigger).i) and not (
                _modifies_adjective_of(root, trigger) or _modifies_governor_of(root, trigger)
                or _modifies_object_of(root, trigger, lexicon)):
            continue
        in_sentence.append((tx, root))
        rank = _date_attachment(root, trigger, lexicon)
        if rank is not None:
            covers = root.dep_ == "pobj" and root.head.lower_ in coverage
            rank = (*rank, int(covers))
        if rank is not None and (best is None or rank < best[0]):
            best = (rank, tx)
    if best:
        return best[1]
    if modality_of(trigger, False, lexicon) == "hypothetical":
        return None  # "will face trial, a judge ruled on Friday": the ruling's day is not the trial's
    return _sentence_date(trigger, in_sentence, quotations, lexicon)


@lru_cache(maxsize=1)
def _ordering_and_short_words() -> tuple[frozenset[str], frozenset[str]]:
    rule = load_lexicon().grammar["sentence_date"]
    return frozenset(rule["ordering_words"]), frozenset(rule["short_offset_words"])


def _shortly_around(root: Token, trigger: Token, lexicon: Lexicon) -> bool:
    """The date lies in a phrase or clause that puts the trigger minutes or hours from a dated event:
    "tweeted soon after Sunday's massacre", "posted just minutes before the shootings occurred on
    Wednesday" (a plain "after the vote" may be days later, and says nothing of the trigger's day)."""
    ordering, short = _ordering_and_short_words()
    cur = root
    for _ in range(_threshold("shortly_max_climb")):
        if cur.head.i == cur.i:
            return False
        opens = (cur.dep_ == "prep" and cur.lower_ in ordering) or (
            cur.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ordering for c in cur.children))
        if opens and cur.head.i in (trigger.i, _clause_head(trigger).i):
            # the parser hangs "soon" on the preposition, or on the verb right before it
            near = [c for c in cur.children if c.dep_ in ("advmod", "npadvmod")]
            word = cur if cur.dep_ == "prep" else next(c for c in cur.children if c.dep_ == "mark")
            if word.i > 0 and word.nbor(-1).dep_ in ("advmod", "npadvmod"):
                near.append(word.nbor(-1))
            return any(c.lemma_.lower() in short or c.lower_ in short for c in near)
        cur = cur.head
    return False


def _sentence_date(trigger: Token, dated: list[tuple[TimeExpression, Token]], quotations: list[Quotation],
                   lexicon: Lexicon) -> TimeExpression | None:
    """"Cruz said Thursday during a taping of a town hall", "Cruz picked up a win in Idaho Tuesday night,
    while Rubio failed to win any states": a date said of a verb dates what that verb governs, however
    far down, unless the way down leaves the verb's time: a reported or relative clause ("X said
    Thursday the election was rigged"), an infinitive on a noun ("no plans to spend"), a phrase or
    clause of another time ("after the talks collapsed", "until the caucuses"), or a quotation's edge.
    Of several such dates the one on the nearest governing verb wins."""
    ancestors = {a.i: depth for depth, a in enumerate(trigger.ancestors)}
    trigger_quote = _quote_containing(trigger.doc[trigger.i:trigger.i + 1], quotations)
    best: tuple[int, TimeExpression] | None = None
    for tx, root in dated:
        if root.dep_ in lexicon.words("sentence_date", "not_adverbial_deps"):
            continue  # "Wednesday added one more development": the day is what the clause is about
        verb = _clause_head(root)
        if verb.i not in ancestors or _path_up(root, verb) is None:
            continue
        if trigger_quote != _quote_containing(trigger.doc[root.i:root.i + 1], quotations):
            continue
        if _leaves_its_time(trigger, verb, lexicon):
            continue
        if best is None or ancestors[verb.i] < best[0]:
            best = (ancestors[verb.i], tx)
    return best[1] if best else None


def _leaves_its_time(tok: Token, verb: Token, lexicon: Lexicon) -> bool:
    """True when the way up from tok to a verb governing it passes something with a time of its own: a
    reported clause, a relative clause, an infinitive on a noun, a subject clause, a phrase or clause
    opened by an ordering word ("after", "before", "until"), or more than `sentence_date_max_nouns`
    nouns ("in the face of concerns about a federal investigation")."""
    rule = lexicon.grammar["sentence_date"]
    reporting = lexicon.words("modality", "reporting_verbs")
    ordering = frozenset(rule["ordering_words"])
    setting = frozenset(lexicon.grammar["setting"]["prepositions"])
    takes_part = frozenset(lexicon.grammar["setting"]["participation_verbs"]) | _support_lemmas(lexicon)
    scene = frozenset(rule["scene_relatives"])
    places = lexicon.words("place_entity_types")
    time_verbs = lexicon.words("setting", "time_verbs")
    nouns, cur = 0, tok
    while cur.i != verb.i:
        # "moved on Sunday to China, where Kerry met Lavrov": a where- or when-clause is in the scene
        if cur.dep_ == "relcl" and any(c.lower_ in scene for c in cur.children if c.dep_ == "advmod"):
            cur = cur.head
            continue
        if cur.dep_ in ("relcl", "acl", "csubj", "csubjpass") or cur.lower_ in ordering:
            return True
        # "acquitted in 1995 of murdering", "pleaded guilty on Monday to charges": a verb's own phrase
        # names an earlier event; only a setting ("during a taping") or a noun's phrase ("of a town
        # hall") shares the verb's time, and so does what time is spent on ("spent Wednesday on something
        # of a victory tour")
        if (cur.dep_ == "prep" and cur.lower_ not in setting and cur.head.pos_ not in ("NOUN", "PROPN", "PRON")
                and not (cur.lower_ == "on" and cur.head.lemma_.lower() in time_verbs)
                and not any(o.ent_type_ in places for o in cur.children if o.dep_ == "pobj")):
            return True  # (a place is a setting whatever the preposition: "moved to China, where ...")
        # "agreed on Tuesday to settle a lawsuit": the object of a verb is an event of its own time,
        # unless the verb only holds or contests it ("held a debate", "won the primary")
        if cur.dep_ == "dobj" and cur.pos_ in ("NOUN", "PROPN") and cur.head.lemma_ not in takes_part:
            return True
        if cur.dep_ in ("ccomp", "parataxis") and cur.head.lemma_ in reporting:
            return True
        if cur.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ordering for c in cur.children):
            return True
        if cur.pos_ in ("NOUN", "PROPN") and cur.i != tok.i:
            nouns += 1
            if nouns > _threshold("sentence_date_max_nouns"):
                return True
        cur = cur.head
    return False


def _modifies_governor_of(root: Token, trigger: Token) -> bool:
    """"his romp Tuesday in the Northeast primaries", "an appearance Wednesday at the rally": the date
    of the noun whose phrase the event sits in is the event's."""
    np = _np_head(trigger)
    return np.dep_ == "pobj" and root.head.i == np.head.head.i and root.head.pos_ in ("NOUN", "PROPN")


def _modifies_object_of(root: Token, trigger: Token, lexicon: Lexicon) -> bool:
    """"Sanders addressed a Wednesday night rally", "Addressing the party's gala Thursday": the date of
    the event a participation verb's object names is the verb's."""
    obj = root.head
    return (trigger.lemma_ in lexicon.grammar["setting"]["participation_verbs"] and obj.dep_ == "dobj"
            and obj.head.i == trigger.i and obj.pos_ in ("NOUN", "PROPN"))


def _modifies_adjective_of(root: Token, trigger: Token) -> bool:
    """"Obama's landmark 2012 visit": the date hangs on an adjective before the event noun."""
    adjective = root.head
    return (adjective.pos_ == "ADJ" and adjective.dep_ in _NOUN_MODIFIER_DEPS
            and adjective.head.i in (trigger.i, _np_head(trigger).i) and adjective.i < trigger.i)


def _bounds_a_range(root: Token, trigger: Token, lexicon: Lexicon) -> bool:
    """"until 2025" does not date an event, nor does "since 2008" after a noun ("the largest failure
    since 2008"); "have been dating since last summer" does."""
    if root.dep_ != "pobj":
        return False
    prep = root.head.lower_
    if prep in lexicon.words("range_prepositions"):
        return True
    # "since" bounds the range of a noun: the trigger's own ("the largest failure since 2008") or
    # another one's ("born to unmarried mothers, a threefold increase since the 1960s")
    attached_to = root.head.head
    return prep in lexicon.words("noun_range_prepositions") and (
        trigger.pos_ in ("NOUN", "PROPN") or (attached_to.pos_ == "NOUN" and attached_to.i != trigger.i))


def _date_attachment(root: Token, trigger: Token, lexicon: Lexicon) -> tuple[int, int] | None:
    """How a date attaches to a trigger: its own adjunct, its clause's, a clause the trigger
    completes ("attacked on Saturday, killing hundreds"), or a when-clause of it ("killed when the
    jet crashed on Wednesday")."""
    if root.head.dep_ in ("aux", "auxpass") and root.head.head.i == trigger.i:
        return 0, 1  # "Police had last month charged him": a date parsed onto the auxiliary dates its verb
    rank = _attachment(root, trigger)
    if rank is not None:
        return rank
    if _modifies(trigger, root):
        return 2, 0
    if _modifies_governor_of(root, trigger):
        return 3, 0
    if _modifies_object_of(root, trigger, lexicon):
        return 1, 1
    np = _np_head(trigger)
    # "a private meeting he had with Rubio a year ago", "the convention, which begins Monday": a relative
    # clause that holds or starts the event dates it
    for relcl in np.children if trigger.pos_ in ("NOUN", "PROPN") else ():
        if relcl.dep_ == "relcl" and relcl.lemma_ in _support_lemmas(lexicon):
            steps = _path_up(root, relcl)
            if steps is not None and steps <= _CLAUSE_STEPS:
                return 1, steps
    # "held primaries and caucuses Tuesday": coordinated event nouns share a date
    if trigger.pos_ in ("NOUN", "PROPN"):
        partners = [np.head] if np.dep_ == "conj" else []
        partners += [c for c in np.children if c.dep_ == "conj"]
        for partner in (p for p in partners if p.pos_ in ("NOUN", "PROPN")):
            shared = _attachment(root, partner)
            if shared is not None or root.i == partner.i + 1 and root.dep_ in ("npadvmod", "tmod", "nmod"):
                return 3, shared[1] if shared else 0
    # "a statement released by the campaign on Thursday", "the summit held in May": the participle that
    # describes an event noun carries its date
    for participle in _np_head(trigger).children:
        if participle.dep_ == "acl" and participle.tag_ in ("VBN", "VBG"):
            steps = _path_up(root, participle)
            if steps is not None and steps <= _CLAUSE_STEPS:
                return 2, steps
    # "his tweet yesterday", "the attack Monday": a bare date right after an event noun (often misparsed)
    if trigger.pos_ in ("NOUN", "PROPN") and root.i == trigger.i + 1 and root.dep_ in ("npadvmod", "tmod", "nmod"):
        return 3, 0
    clause = _clause_head(trigger)
    participle = clause.dep_ == "advcl" and clause.tag_ == "VBG" and not any(
        c.dep_ == "mark" for c in clause.children)
    # "agreed on Monday to sell", "arrested him on Thursday and accused him": the governing verb's
    # own date (when the trigger has none) is the trigger's
    if participle or clause.dep_ in ("xcomp", "conj") and clause.head.pos_ in ("VERB", "AUX"):
        steps = _path_up(root, clause.head)
        if steps is not None and steps <= _CLAUSE_STEPS and root.i < clause.i:
            return 3, steps
    for sub in clause.children:
        markers = [c for c in sub.children if c.dep_ in ("mark", "advmod")]
        if sub.dep_ == "advcl" and any(c.lower_ in lexicon.words("when_markers") for c in markers):
            steps = _path_up(root, sub)
            if steps is not None and steps <= _CLAUSE_STEPS:
                return 3, steps
    # "are expected to speak on Thursday night, as the Democrats hold a debate": a when-clause
    # happens at the time of the clause it hangs on (or of that clause's infinitive)
    if clause.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in lexicon.words("when_markers")
                                      for c in clause.children):
        host = clause.head
        for verb in (host, *(c for c in host.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX"))):
            steps = _path_up(root, verb)
            if steps is not None and steps <= _CLAUSE_STEPS:
                return 4, steps
    return _inherited_attachment(root, trigger, clause)


def _inherited_attachment(root: Token, trigger: Token, clause: Token) -> tuple[int, int] | None:
    """The last resort, when nothing dates the trigger itself: the date of a verb that shares its
    subject. "resigned and fled the country on Monday": a conjoined verb's date; "His trial is
    scheduled to begin in May": the date of the verb chain the event noun is the subject of."""
    bare = load_lexicon().words("inherited_date", "bare_verb_deps")
    # only a bare verb shares its conjunct's date: "has been married three times and divorced ... in
    # 2012" says nothing of when he married
    if trigger.pos_ == "VERB" and all(c.dep_ in bare for c in trigger.children) and not any(
            c.dep_ == "aux" and c.lemma_ == "have" for c in trigger.children):
        for conj in trigger.children:
            if conj.dep_ == "conj" and conj.pos_ == "VERB" and root.i > conj.i:
                steps = _path_up(root, conj)
                if steps is not None and steps <= _CLAUSE_STEPS:
                    return 4, steps
    np = _np_head(trigger)
    if trigger.pos_ in ("NOUN", "PROPN") and np.dep_ in ("nsubj", "nsubjpass") and np.head.i == clause.i:
        chain = clause
        for _ in range(_threshold("date_xcomp_max_chain")):
            chain = next((c for c in chain.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")), None)
            if chain is None:
                break
            steps = _path_up(root, chain)
            if steps is not None and steps <= _CLAUSE_STEPS:
                return 4, steps
    return None


def choose_places(trigger: Token, fillers: list[Filler], index: EntityIndex, lexicon: Lexicon) -> list[str]:
    """The place entities attached to the trigger or its clause by in/at/near (all of those attached
    alike: "won in Oklahoma and in his home state of Texas"), or named before an event noun; the
    first is the event's location."""
    place_types = lexicon.words("place_entity_types")
    preps = lexicon.words("place_prepositions")
    found: list[tuple[tuple[int, int], str]] = []
    shared = view(trigger.doc)
    sent = shared.sent_of(trigger.i)
    for i in index.tokens_between(sent.start, sent.end):  # only a token of an entity can be the place
        entity = index.by_token[i]
        if index.type_of(entity) not in place_types:
            continue
        prep = _place_preposition(shared.token(i), preps, lexicon)
        rank = _attachment(prep, trigger, clause_steps=1) if prep is not None else None
        if rank is not None:
            found.append((rank, entity))
    if found:
        best = min(rank for rank, _ in found)
        return list(dict.fromkeys(entity for rank, entity in found if rank == best))
    for f in fillers:
        if f.slot == "compound" and f.entity_type in place_types:
            return [f.entity_id]
    relative = _relative_place(trigger, index, lexicon)
    return [relative] if relative else []


def _place_preposition(tok: Token, preps: frozenset[str], lexicon: Lexicon) -> Token | None:
    """The place preposition a place name is the object of, through a list ("in Alabama, Georgia and
    Virginia"), a place noun ("in his home state of Texas") and a conjoined preposition ("in Oklahoma
    and in Texas": the first "in", so both attach alike)."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in lexicon.words(
            "place_nouns"):
        tok = tok.head.head
        while tok.dep_ == "conj":
            tok = tok.head
    if tok.dep_ != "pobj" or tok.head.lower_ not in preps:
        return None
    prep = tok.head
    while prep.dep_ == "conj" and prep.head.lower_ in preps:
        prep = prep.head
    return prep


def _relative_place(trigger: Token, index: EntityIndex, lexicon: Lexicon) -> str | None:
    """"the Pulse nightclub in Orlando, where 49 people were killed", "China, where Kerry met Lavrov",
    "a city in which ...": an event told in a relative clause of place happened at the place the clause
    hangs on, or at the place that names that noun ("the Benghazi scandal, in which ...") or that noun
    is in ("a nightclub in Orlando, where ...")."""
    clause = trigger if trigger.pos_ in ("VERB", "AUX") else _clause_head(trigger)
    if not _is_relative_of_place(clause, lexicon):
        return None
    preps = lexicon.words("place_prepositions")
    place_types = lexicon.words("place_entity_types")
    antecedent = clause.head
    # "the Benghazi scandal, in which four Americans were killed": the place that names the noun
    candidates = [antecedent] + [c for c in antecedent.children if c.dep_ == "compound" and c.i < antecedent.i]
    candidates += [obj for c in antecedent.children if c.dep_ == "prep" and c.lower_ in preps
                   for obj in c.children if obj.dep_ == "pobj"]
    for tok in candidates:
        entity = index.entity_of(tok)
        if entity is not None and index.type_of(entity) in place_types:
            return entity
    return None


def _is_relative_of_place(clause: Token, lexicon: Lexicon) -> bool:
    """A relative clause opened by "where" or "in which": it tells what happened at the noun it hangs on."""
    if clause.dep_ != "relcl":
        return False
    preps = lexicon.words("place_prepositions")
    return any(c.lower_ == "where" and c.dep_ == "advmod" for c in clause.children) or any(
        c.dep_ == "prep" and c.lower_ in preps and any(g.lower_ == "which" for g in c.children)
        for c in clause.children)


def _governors(trigger: Token, lexicon: Lexicon) -> list[Token]:
    """The trigger and the verbs whose modality it shares: its xcomp chain, or a noun's support verb."""
    chain = [trigger]
    np = _np_head(trigger)
    if np.dep_ == "dobj" and np.head.lemma_ in (lexicon.words("support_verbs", "agent")
                                                 | lexicon.words("support_verbs", "patient")):
        chain.append(np.head)
    cur = chain[-1]
    longest = _threshold("governor_max_chain")
    while cur.dep_ in ("xcomp", "acomp", "oprd") and cur.head.i != cur.i and len(chain) < longest:
        cur = cur.head
        chain.append(cur)
    return chain


def polarity_of(trigger: Token, lexicon: Lexicon) -> str:
    """'negative' when the trigger or a verb governing it is negated ("did not meet", "no arrests")."""
    negations = lexicon.words("polarity", "negation_words")
    negating = lexicon.words("polarity", "negating_governors")
    for tok in _governors(trigger, lexicon):
        if any(c.dep_ in ("neg", "det", "advmod", "preconj") and c.lower_ in negations for c in tok.children):
            return "negative"
        if tok.i != trigger.i and tok.lemma_ in negating:
            return "negative"
    return "positive"


def _reported_by_clause(trigger: Token, lexicon: Lexicon) -> bool:
    """True when the trigger's clause is the complement of a reporting verb ("X said he met Y")."""
    reporting = lexicon.words("modality", "reporting_verbs")
    cur = _clause_head(trigger)
    for _ in range(_threshold("reporting_max_climb")):
        if cur.dep_ in ("ccomp", "parataxis") and cur.head.lemma_ in reporting:
            return True
        if any(c.lower_ == "according" for c in cur.children):
            return True
        if cur.head.i == cur.i:
            return False
        cur = _clause_head(cur.head)
    return False


def modality_of(trigger: Token, in_quote: bool, lexicon: Lexicon) -> str:
    """'hypothetical' (future, planned, conditional), 'reported' (attributed) or 'asserted'."""
    cues = lexicon.grammar["modality"]
    governors = _governors(trigger, lexicon)
    for tok in governors:
        for c in tok.children:
            if c.dep_ == "aux" and c.lower_ in cues["hypothetical_auxiliaries"]:
                return "hypothetical"
            if c.dep_ == "mark" and c.lower_ in cues["hypothetical_markers"]:
                return "hypothetical"
        if tok.i != trigger.i and tok.lemma_ in cues["hypothetical_governors"]:
            return "hypothetical"
    if any(c.dep_ == "amod" and c.lower_ in cues["hypothetical_modifiers"] for c in trigger.children):
        return "hypothetical"
    if in_quote:
        return "reported"
    clause = _clause_head(trigger)
    for tok in (*governors, clause):
        for c in tok.children:
            if c.dep_ == "advmod" and c.lower_ in cues["reported_adverbs"]:
                return "reported"
            if c.dep_ == "amod" and c.lower_ in cues["reported_modifiers"]:
                return "reported"
    if _reported_by_clause(trigger, lexicon):
        return "reported"
    return "asserted"


# --------------------------------------------------------------------------------------------------
# Putting it together


@dataclass
class EventMention:
    """One extracted event before it becomes rows."""

    trigger: Trigger
    etype: EventType
    sentence_index: int
    participants: list[tuple[str, str]]  # (entity_id, role), in order of appearance
    unresolved_plural: list[str]  # roles whose filler is an unresolved they/their
    unresolved_spouses: list[tuple[str, str]]  # (role, entity whose spouse fills it): "his ex-wife"
    date: TimeExpression | None
    location_entity_id: str | None
    polarity: str
    modality: str
    source_quote_id: str | None
    same_as: EventMention | None = None  # an earlier mention of the same happening (_apply_event_coreference)


def _fillers(trigger: Trigger, index: EntityIndex, lexicon: Lexicon) -> list[Filler]:
    fillers = []
    for slot, tok in argument_slots(trigger, lexicon):
        entities = _resolve(tok, index, lexicon) or [None]
        fillers.extend(Filler(slot, tok, entity, index.type_of(entity)) for entity in entities)
    # the pseudo-slot "sentence" lets the lexicon test the words around ("attacked ... in the debate"),
    # "particle" a verb's particle ("it is paying off": no payment)
    fillers.extend(_sentence_fillers(trigger.head))
    fillers.extend(Filler("particle", c, None, None) for c in trigger.head.children if c.dep_ == "prt")
    return fillers


def _sentence_fillers(token: Token) -> list[Filler]:
    """The "sentence" pseudo-fillers of a token's sentence: one per word, built once per sentence."""
    shared = view(token.doc)
    n = shared.sent_index[token.i]
    cache = shared.memo("events_sentence_fillers")
    if n not in cache:
        sent = shared.sents[n]
        cache[n] = [Filler("sentence", shared.token(i), None, None)
                    for i in range(sent.start, sent.end) if shared.is_alpha[i]]
    return cache[n]


def _participants(fillers: list[Filler], etype: EventType, entry: str, lexicon: Lexicon, index: EntityIndex,
                  places: list[str]) -> tuple[list[tuple[str, str]], list[str], list[tuple[str, str]]]:
    roles = etype.role_map(entry)
    place_types = lexicon.words("place_entity_types")
    place_preps = {f"prep:{p}" for p in lexicon.words("place_prepositions")}
    plural = lexicon.words("plural_pronoun_rule", "pronouns")
    found: list[tuple[str, str]] = []
    unresolved: list[str] = []
    spouses: list[tuple[str, str]] = []
    for f in fillers:
        role = roles.get(f.slot)
        if f.slot in place_preps and f.entity_type in place_types:
            # "won in Colorado, Minnesota and Oklahoma": every place the event is in takes the role
            # place; the places chosen for it (choose_places) are added below in any case
            if (f.entity_id, "place") not in found:
                found.append((f.entity_id, "place"))
            continue
        if role is None:
            continue
        if f.entity_id is None:
            if f.token.lower_ in plural:
                unresolved.append(role)
            possessor = _spouse_possessor(f.token, index, lexicon)
            if possessor:
                spouses.append((role, possessor))
            continue
        if f.entity_type not in place_types:
            role = _non_place_role(role)
        if (f.entity_id, role) not in found:
            found.append((f.entity_id, role))
        if f.entity_type == "PERSON" and etype.name.split(".")[0] in lexicon.words("affiliation", "event_types"):
            found += [(org, role) for org in _affiliations(f.token, index, lexicon) if (org, role) not in found]
    found += [(place, "place") for place in places if (place, "place") not in found]
    return found, unresolved, spouses


def _affiliations(person: Token, index: EntityIndex, lexicon: Lexicon) -> list[str]:
    """The organisations a person is written as speaking for: "Sam Lau, the communications director for
    the Iowa Democratic Party", "Noah Oppenheim, the NBC executive" (an apposition's "of/for/at" object
    or its name modifier)."""
    found = []
    preps = lexicon.words("affiliation", "prepositions")
    for role in (c for c in person.children if c.dep_ == "appos"):
        if any(c.lower_ in lexicon.words("affiliation", "past") for c in role.children):
            continue  # "the former Hewlett-Packard CEO" speaks for it no longer
        tokens = [c for c in role.children if c.dep_ in ("compound", "nmod") and c.i < role.i]
        tokens += [o for p in role.children if p.dep_ == "prep" and p.lower_ in preps
                   for o in p.children if o.dep_ == "pobj"]
        found += [e for t in tokens if index.type_of(e := index.entity_of(t)) == "ORG"]
    return list(dict.fromkeys(found))


def _involved(prep: Token, lexicon: Lexicon) -> list[Token]:
    """Who "involved in" (implicated in, engaged in) an event names: the noun the participle describes,
    through a partitive and an apposition ("Malik, one of two terrorists involved in the attacks":
    Malik), or the subject of "was involved in"."""
    verb = prep.head
    if prep.lower_ != "in" or verb.lemma_.lower() not in lexicon.words("involvement_verbs"):
        return []
    if verb.dep_ not in ("acl", "amod"):
        return [tok for _, tok in _subjects(verb)]
    noun = verb.head
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lower_ in lexicon.words(
            "partitive_words"):
        noun = noun.head.head
    if noun.dep_ == "appos" and noun.pos_ in ("NUM", "PRON", "NOUN"):
        noun = noun.head
    return [noun, *_conjuncts(noun)]


def _add_clause_participants(found: list[tuple[str, str]], noun: Token, etype: EventType, index: EntityIndex,
                             lexicon: Lexicon) -> None:
    """An event noun's participants beyond its own slots: the entities inside its phrase ("the meeting
    he had with Rubio", "the Clinton campaign's emails"), and the subject of the clause it sits in
    ("Sanders touted his wins in caucuses and primaries"), but never across a clause boundary: in
    "X said the debate was rigged" X is no participant of the debate. Names and the pronouns and
    descriptors names.py resolved count alike; a place takes the role `place`."""
    roles = etype.roles
    add = _participant_adder(found, index, lexicon, itself=index.entity_of(noun))
    np = _np_head(noun)
    for tok in _phrase_tokens(np):
        add(index.entity_of(tok), roles.get("compound", "participant"))
    setting = lexicon.grammar["setting"]
    if np.dep_ == "dobj" and _lemmas(np.head) & lexicon.words("setting", "participation_verbs"):
        # "Sanders addressed a rally", "Cruz picked up a win": the verb says its subject took part
        for _kind, subject in _subjects(np.head):
            for entity in (e for tok in (subject, *_conjuncts(subject)) for e in _resolve(tok, index, lexicon)):
                add(entity, roles.get("host_subj", "participant"))
    if _opens_a_time_clause(np, lexicon) and etype.name in setting["adjunct_event_types"]:
        # "As the race began, Cruz was a 40-year-old litigator": the clause it is the subject of dates the
        # sentence, whose subject takes part (as "after the meeting" does)
        for _kind, subject in _subjects(np.head.head):
            for entity in (e for tok in (subject, *_conjuncts(subject)) for e in _resolve(tok, index, lexicon)):
                if index.type_of(entity) in setting["acted_on_types"]:  # a person or a body, not "America"
                    add(entity, roles.get("host_subj", "participant"))
        return
    if np.dep_ == "poss" and np.head.pos_ == "NOUN" and np.head.dep_ == "pobj":
        np = np.head  # "at the race's start, Cruz garnered": the phrase the event noun's part heads
    if np.dep_ != "pobj":
        return  # the subject of "Biden criticized the ruling" is no party to it: only a phrase's setting
    prep, governor = np.head, np.head.head
    for tok in _involved(prep, lexicon):  # "one of two terrorists involved in the attacks"
        for entity in _resolve(tok, index, lexicon):
            add(entity, roles.get("host_subj", "participant"))
    for tok in (governor, *_conjuncts(governor)):  # "Huckabee and Christie in the undercard debate"
        add(index.entity_of(tok), roles.get("host_subj", "participant"))
    if governor.pos_ in ("NOUN", "PROPN"):  # "Rubio's catch phrase in that election"
        for child in governor.children:
            if child.dep_ == "poss":
                for entity in _resolve(child, index, lexicon):
                    add(entity, roles.get("poss", "participant"))
    clause = _clause_head(noun)
    if clause.i == noun.i or _crosses_clause(noun, clause):
        return
    prep, governor = _setting_of(np, clause)
    # "he learned of the relationship": a verb's own argument, not the event's setting; "after the
    # meeting", "for the nomination" set the scene only for events one attends or contests
    adjunct = prep is not None and (prep.lower_ in setting["adjunct_prepositions"] or (
        # "edging closer to the nomination": nearing an event one contests or attends
        prep.lower_ in setting["approach_prepositions"] and prep.head.lemma_.lower() in setting["approach_words"]))
    # "spent Wednesday on a victory tour": the time someone spends on an event is time in it
    spent_on = prep is not None and prep.lower_ == "on" and clause.lemma_.lower() in setting["time_verbs"]
    if prep is None or prep.lower_ not in setting["prepositions"] and not spent_on and not (
            adjunct and etype.name in setting["adjunct_event_types"]):
        return
    for _kind, subject in _subjects(clause):
        for tok in (subject, *_conjuncts(subject)):  # "Huckabee and Christie spoke in the debate"
            for entity in _resolve(tok, index, lexicon) or _speaker_of_words(tok, index, lexicon):
                add(entity, roles.get("host_subj", "participant"))
    if governor.i == clause.i:
        # "support Clinton in the election", "met Obama at the summit", "swung at Sanders in the debate":
        # whom the clause acts on was there too
        for child in clause.children:
            objects = [child] if child.dep_ == "dobj" else []
            # "at Sanders" too: a person or an organisation is no setting, whatever the preposition
            if child.dep_ == "prep" and child.i != prep.i:
                objects = [o for o in child.children if o.dep_ == "pobj"]
            for tok in (t for o in objects for t in (o, *_conjuncts(o))):
                for entity in _resolve(tok, index, lexicon):
                    if child.dep_ == "dobj" or index.type_of(entity) in setting["acted_on_types"]:
                        add(entity, roles.get("obj", "participant"))


def _opens_a_time_clause(np: Token, lexicon: Lexicon) -> bool:
    """The event noun is the subject of a clause of time on another verb: "as the race began", "when
    the debate ended", "after the meeting broke up"."""
    clause = np.head
    return (np.dep_ in ("nsubj", "nsubjpass") and clause.dep_ == "advcl" and clause.head.i != clause.i
            and any(c.dep_ in ("mark", "advmod") and c.lower_ in lexicon.words("setting", "time_clause_marks")
                    for c in clause.children))


def _lemmas(verb: Token) -> set[str]:
    """A verb's lemma, and the one with a silent e the lemmatizer may have cut ("taping" -> tap, tape)."""
    lemma = verb.lemma_.lower()
    cut = verb.lower_.endswith(("ing", "ed")) and not lemma.endswith("e")
    return {lemma, lemma + "e"} if cut else {lemma}


def _speaker_of_words(noun: Token, index: EntityIndex, lexicon: Lexicon) -> list[str]:
    """"Trump's comments came during an interview": whose words a noun of speech is (its possessor)."""
    if noun.lemma_.lower() not in lexicon.words("setting", "speech_nouns"):
        return []
    return [e for c in noun.children if c.dep_ == "poss" for e in _resolve(c, index, lexicon)]


def _setting_of(np: Token, clause: Token) -> tuple[Token | None, Token]:
    """The preposition that attaches the phrase holding an event noun to its clause, and what it hangs
    on: "in the opening round of the debate" -> (in, the verb), through at most `setting_max_nouns`
    nouns between; (None, np) when the noun is not inside such a chain of phrases."""
    cur, nouns = np, 0
    while cur.dep_ == "pobj" and cur.head.dep_ == "prep":
        prep, governor = cur.head, cur.head.head
        # through nouns and partitive pronouns: "on something of a victory tour", "in one of the debates"
        if governor.i == clause.i or governor.pos_ not in ("NOUN", "PROPN", "PRON") or governor.dep_ != "pobj":
            return prep, governor
        nouns += 1
        if nouns > _threshold("setting_max_nouns"):
            break
        cur = governor
    return None, np


_ARGUMENT_DEPS = {"dobj": "obj", "dative": "iobj", "attr": "obj", "oprd": "obj", "agent": "agent"}
_CLAUSE_DEPS = frozenset(("relcl", "acl", "ccomp", "advcl", "xcomp", "csubj", "parataxis", "conj", "pcomp"))


def _add_phrase_participants(found: list[tuple[str, str]], verb: Token, etype: EventType, entry: str,
                             index: EntityIndex, lexicon: Lexicon) -> None:
    """A verb's participants inside its argument phrases, beyond their heads: "nominate the likes of
    Carson or Trump", "bought Valeant shares", "meets with Sanders in the Oval Office", "speak at a
    Midtown Manhattan hotel". Each takes its phrase's role (a place: `place`); nothing is taken from a
    clause inside a phrase ("a bid to persuade the company")."""
    roles = etype.role_map(entry)
    add = _participant_adder(found, index, lexicon)
    for child in verb.children:
        if child.dep_ == "prep":
            slot = f"prep:{child.lower_}"
        elif child.dep_ in _ARGUMENT_DEPS:
            slot = _ARGUMENT_DEPS[child.dep_]
        else:
            continue
        role = roles.get(slot, "participant")
        stack = list(child.children) if child.dep_ in ("prep", "agent") else [child]
        while stack:
            tok = stack.pop()
            add(index.entity_of(tok), role)
            # a noun's conjuncts are more of the phrase ("such as Texas and Oklahoma"); a verb's are clauses
            stack.extend(c for c in tok.children if c.dep_ not in _CLAUSE_DEPS
                         or c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN") and tok.pos_ in ("NOUN", "PROPN"))
    # "a CNN/ORC poll released Thursday", "the Trump campaign's ad aired Monday": a participle on a noun
    # that is no entity is done by whoever that noun belongs to (a "Poll" written capitalised too), unless
    # a "by" phrase says who
    noun = verb.head
    if (verb.dep_ == "acl" and verb.tag_ == "VBN" and noun.pos_ in ("NOUN", "PROPN")
            and index.entity_of(noun) is None and not any(c.dep_ == "agent" for c in verb.children)):
        for c in noun.children:
            if c.dep_ in ("compound", "poss", "nmod") and c.i < noun.i:
                for tok in (c, *(g for g in c.subtree if g.dep_ in ("compound", "nmod"))):
                    add(index.entity_of(tok), roles.get("agent", "participant"))


def _non_place_role(role: str) -> str:
    """The role of an entity that is no place: a place's slot it fills ("the Democratic primary") makes it
    a participant."""
    return "participant" if role == "place" else role


def _participant_adder(found: list[tuple[str, str]], index: EntityIndex, lexicon: Lexicon,
                       itself: str | None = None):
    """add(entity, role): appends to `found` an entity not yet in it, a place with the role `place` (and
    no other entity with it: "the Clinton campaign" in the slot of "the Iowa caucuses").
    A nationality is left out ("the Russian invasion": it describes, it does not take part), and so is
    `itself`, the entity a named event is ("the Republican National Convention")."""
    place_types = lexicon.words("place_entity_types")
    taken = {entity for entity, _ in found} | {itself}

    def add(entity: str | None, role: str) -> None:
        if entity is not None and entity not in taken and index.type_of(entity) != "NORP":
            taken.add(entity)
            found.append((entity, "place" if index.type_of(entity) in place_types else _non_place_role(role)))

    return add


def _phrase_tokens(np: Token) -> Iterator[Token]:
    """The tokens of a noun phrase, down into its relative clauses ("the meeting he had with Rubio") but
    not into the clauses it merely precedes (a ccomp or parataxis hanging off it by a misparse), nor to
    the possessor of a participant ("between his ex-wife and Cruise": "his" is not in the relationship)."""
    stack = [np]
    while stack:
        tok = stack.pop()
        yield tok
        stack.extend(c for c in tok.children if c.dep_ not in ("ccomp", "parataxis", "advcl")
                     and (c.dep_ != "poss" or tok.i == np.i))


def _crosses_clause(tok: Token, clause: Token) -> bool:
    """True when the way up from tok to its clause verb passes a clause boundary of its own (it sits in
    a relative clause, a complement or a reported clause, not in the clause of that verb)."""
    cur = tok
    while cur.i != clause.i:
        if cur.dep_ in ("relcl", "acl", "ccomp", "advcl", "csubj", "parataxis", "xcomp"):
            return True
        cur = cur.head
    return False


def _spouse_possessor(tok: Token, index: EntityIndex, lexicon: Lexicon) -> str | None:
    """The entity X of "X's wife" / "his ex-wife" (tokenised ex, -, wife), when tok is such a noun."""
    if tok.lemma_.lower() not in lexicon.words("spouse_rule", "nouns"):
        return None
    holders = [tok]
    doc = tok.doc
    if tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].lower_ == "ex":
        holders.append(doc[tok.i - 2])
    for holder in holders:
        for c in holder.children:
            if c.dep_ == "poss" and index.entity_of(c):
                return index.entity_of(c)
    return None


def _apply_clause_couple_rule(events: list[EventMention], index: EntityIndex, lexicon: Lexicon) -> None:
    """"divorced his wife after six years of marriage": a Life noun with nobody of its own, inside
    the clause of a Life verb, is about the same couple."""
    kinds = set(lexicon.grammar["plural_pronoun_rule"]["event_types"])
    verb_events = {ev.trigger.head.i: ev for ev in events if ev.trigger.kind != "nouns" and ev.etype.name in kinds}
    for ev in events:
        head = ev.trigger.head
        if ev.trigger.kind != "nouns" or ev.etype.name not in kinds:
            continue
        if any(index.type_of(e) == "PERSON" for e, _ in ev.participants):
            continue
        host = verb_events.get(_clause_head(head).i)
        if host is None or _path_up(head, host.trigger.head) is None:
            continue
        persons = [e for e, _ in host.participants if index.type_of(e) == "PERSON"]
        if len(set(persons)) >= 2:
            ev.participants.extend((e, "person") for e in dict.fromkeys(persons))


def _apply_spouse_rule(events: list[EventMention], index: EntityIndex, lexicon: Lexicon) -> None:
    """"his ex-wife": the one person X married or divorced in an earlier event of the article."""
    kinds = set(lexicon.grammar["spouse_rule"]["event_types"])
    for i, ev in enumerate(events):
        for role, possessor in ev.unresolved_spouses:
            partners = {e for prev in events[:i] if prev.etype.name in kinds
                        and any(e == possessor for e, _ in prev.participants)
                        for e, _ in prev.participants
                        if e != possessor and index.type_of(e) == "PERSON"}
            if len(partners) == 1 and (partner := partners.pop(), role) not in ev.participants:
                ev.participants.append((partner, role))


def _quote_containing(trigger: Span, quotations: list[Quotation]) -> str | None:
    for q in quotations:
        if q.start_char <= trigger.start_char and trigger.end_char <= q.end_char:
            return q.quote_id
    return None


def _is_support_use(trigger: Trigger, noun_heads: set[int], lexicon: Lexicon) -> bool:
    """"launched an attack", "held a meeting": the verb only supports the noun event."""
    if trigger.kind == "nouns" or trigger.head.lemma_ not in _support_lemmas(lexicon):
        return False
    head = trigger.head
    if head.dep_ == "amod" and head.head.i in noun_heads:  # "launching missile strikes" misparsed
        return True
    objects = [c for c in head.children if c.dep_ == "dobj"]
    return any(c.i in noun_heads or any(g.i in noun_heads for g in c.lefts if g.dep_ == "compound")
               for c in objects)


def _is_attribute(trigger: Trigger, lexicon: Lexicon) -> bool:
    """"a retired general", "elected officials": a participle naming a state, not an event; "the
    job-killing TPP", "a record-breaking haul": a compound adjective built on a trigger describes; "a
    dead heat": an idiom (adjective_idioms)."""
    head = trigger.head
    if _in_idiom(head, lexicon):
        return True
    if head.dep_ != "amod":
        return False
    return head.lower_ in lexicon.words("attributive_states") or any(
        c.dep_ in ("npadvmod", "compound") and c.i < head.i for c in head.children) or (
        head.tag_ == "VBG" and head.i > 0 and head.nbor(-1).text == "-")  # "higher-paying positions"


def _in_idiom(adjective: Token, lexicon: Lexicon) -> bool:
    """"a dead heat", "looks dead on arrival": an adjective trigger in one of adjective_idioms."""
    idiom = lexicon.grammar["adjective_idioms"].get(adjective.lower_)
    if not idiom:
        return False
    if adjective.dep_ == "amod" and adjective.head.lemma_.lower() in idiom.get("nouns", ()):
        return True
    # the parser hangs "on arrival" on the adjective or on the verb it complements
    hosts = [adjective, adjective.head] if adjective.dep_ in ("acomp", "oprd") else [adjective]
    return any(p.dep_ == "prep" and o.lemma_.lower() in idiom.get("objects", ())
               for host in hosts for p in host.children for o in p.children)


def _is_bare_concept(trigger: Trigger, lexicon: Lexicon) -> bool:
    """"regardless of race, religion", "God's design for marriage": a singular noun of bare_concepts with
    no determiner, possessor, number or modifier names a concept, not a happening; "after six years of
    marriage" measures one (a time unit before "of")."""
    head = trigger.head
    if trigger.kind != "nouns" or head.tag_ != "NN" or head.lemma_.lower() not in lexicon.words("bare_concepts"):
        return False
    if any(c.dep_ in ("det", "poss", "nummod", "compound", "amod", "nmod") for c in head.children):
        return False
    return not (head.dep_ == "pobj" and head.head.lower_ == "of"
                and head.head.head.lemma_.lower() in lexicon.words("time_units"))


def _modifies_a_thing(trigger: Trigger, lexicon: Lexicon) -> bool:
    """"investment bankers", "email server": a noun trigger naming a kind of thing, not an event."""
    head = trigger.head
    return (trigger.kind == "nouns" and head.dep_ == "compound" and head.head.pos_ == "NOUN"
            and head.head.lemma_.lower() not in lexicon.words("event_head_nouns"))


def _restates(trigger: Trigger, by_head: dict[int, Trigger]) -> bool:
    """"indicted on bribery charges": a noun in a phrase of a verb trigger of the same type is that event."""
    np = _np_head(trigger.head)
    if trigger.kind != "nouns" or np.dep_ != "pobj":
        return False
    if np.head.lower_ in _setting_prepositions():
        return False  # "voted in the primary", "spoke at the convention": the noun names its own event
    if np.head.lower_ in _ordering_and_short_words()[0]:
        return False  # "spoke to reporters after the meeting": what comes before or after is another event
    verb = by_head.get(np.head.head.i)
    return verb is not None and verb.kind == "verbs" and bool(set(verb.candidates) & set(trigger.candidates))


def _names_the_same_event_as(trigger: Trigger, by_head: dict[int, Trigger]) -> bool:
    """"a town hall meeting", "a news conference call": an event noun compounded onto an event noun of
    the same type is one event with it, told by the head."""
    head = trigger.head
    if trigger.kind != "nouns" or head.dep_ != "compound":
        return False
    other = by_head.get(head.head.i)
    return (other is not None and other.kind == "nouns" and other.head.i != head.i
            and bool(set(other.candidates) & set(trigger.candidates)))


@lru_cache(maxsize=1)
def _setting_prepositions() -> frozenset[str]:
    return load_lexicon().words("host_prepositions")


def _is_complement_of(trigger: Trigger, verb_heads: set[int]) -> bool:
    """"shot dead", "found dead": an adjective trigger completing a verb trigger is part of its event."""
    head = trigger.head
    return trigger.kind == "adjs" and head.dep_ in ("oprd", "acomp", "xcomp") and head.head.i in verb_heads


def _apply_plural_rule(events: list[EventMention], index: EntityIndex, lexicon: Lexicon) -> None:
    """An unresolved "their" in a Life event: the persons of the latest such event nearby."""
    rule = lexicon.grammar["plural_pronoun_rule"]
    kinds = set(rule["event_types"])
    person_types = set(rule["antecedent_types"])
    for i, ev in enumerate(events):
        if not ev.unresolved_plural or ev.etype.name not in kinds:
            continue
        for prev in reversed(events[:i]):
            if ev.sentence_index - prev.sentence_index > rule["max_sentence_distance"]:
                break
            persons = [e for e, _ in prev.participants if index.type_of(e) in person_types]
            persons = list(dict.fromkeys(persons))
            if prev.etype.name in kinds and len(persons) >= 2:
                role = ev.unresolved_plural[0]
                ev.participants.extend((e, role) for e in persons if (e, role) not in ev.participants)
                break


def _apply_charge_defendant_rule(events: list[EventMention], lexicon: Lexicon) -> None:
    """"acquitted X of all charges", "pleaded guilty to charges of fraud": a charge noun with nobody of
    its own, in a phrase of another justice event, is brought against that event's defendant."""
    rule = lexicon.grammar["charge_rule"]
    by_head = {ev.trigger.head.i: ev for ev in events}
    for ev in events:
        someone = any(role != "place" for _, role in ev.participants)
        if ev.etype.name not in rule["event_types"] or someone or ev.trigger.kind != "nouns":
            continue
        np = _np_head(ev.trigger.head)
        if np.dep_ != "pobj":
            continue
        host = np.head.head
        # "pleaded guilty to charges"; "acquitted X of all charges" (the phrase hangs on the object)
        if host.dep_ in ("acomp", "oprd", "xcomp") and host.pos_ == "ADJ" or host.dep_ in ("dobj", "nsubjpass"):
            host = host.head
        host_event = by_head.get(host.i)
        if host_event is None or not host_event.etype.name.startswith(rule["host_type_prefix"]):
            continue
        ev.participants.extend((e, role) for e, role in host_event.participants if role in rule["roles"])


def _apply_event_coreference(events: list[EventMention], index: EntityIndex, lexicon: Lexicon) -> None:
    """"Sanders met Sharpton at a breakfast ... The breakfast ran long": a definite event noun mentions an
    event the article already told by the same word (the latest earlier event of the same type and
    head word at most `coref_same_word_sentences` sentences back, _told_before). With nobody of its own it
    takes that event's participants, from the latest such event that has some; with participants of
    its own it is the same happening only when it shares one of them and no date sets them apart. Both
    set `same_as`, from which the events table's `event_group` is read. A name that only classified the
    earlier event ("the GOP debate") is not passed on."""
    for i, ev in enumerate(events):
        told = _told_before(ev, events[:i], lexicon)
        latest = next(told, None)
        if latest is None:
            continue
        own = {e for e, role in ev.participants if role != "place"}
        if own:
            if own & {e for e, role in latest.participants if role != "place"} and _same_day(ev, latest):
                ev.same_as = latest
            continue
        ev.same_as = latest
        for prev in (latest, *told):
            classifiers = {index.entity_of(c) for c in prev.trigger.head.children
                           if c.dep_ in ("compound", "amod") and c.i < prev.trigger.head.i}
            inherited = [(e, role) for e, role in prev.participants if role != "place" and e not in classifiers]
            if inherited:
                ev.participants.extend(p for p in inherited if p not in ev.participants)
                break


def _apply_elaboration_rule(events: list[EventMention]) -> None:
    """"Trump won not only in the Northeast, carrying Massachusetts, but also across the South -- in
    Alabama, Georgia ...": a participle of the same event type hanging on a verb event tells more of that
    event, so the places it names are that event's places too."""
    by_head = {ev.trigger.head.i: ev for ev in events if ev.trigger.kind != "nouns"}
    for ev in events:
        head = ev.trigger.head
        if ev.trigger.kind == "nouns" or head.dep_ != "advcl" or head.tag_ != "VBG":
            continue
        main = by_head.get(head.head.i)
        if main is not None and main.etype.name == ev.etype.name:
            main.participants.extend(p for p in ev.participants if p[1] == "place" and p not in main.participants)


def _told_before(ev: EventMention, earlier: list[EventMention], lexicon: Lexicon) -> Iterator[EventMention]:
    """The earlier events a definite event noun may mention again, latest first (lazily: most callers
    want only the latest): of its type and head
    word, at most `coref_same_word_sentences` sentences back. "a meeting", "no meeting", "primaries" and
    "the first ballot" introduce an event of their own, and so does the same word under another name
    ("the Democratic National Convention" after the Republican one). The -ing noun of the earlier verb
    is the same word ("Obama met Sanders ... the meeting"); another word for the event ("bought" ...
    "the acquisition") is left alone: the article may be telling a second event."""
    rule = lexicon.grammar["event_coreference"]
    definite, fresh = frozenset(rule["determiners"]), frozenset(rule["fresh_modifiers"])
    head = ev.trigger.head
    if ev.trigger.kind != "nouns":
        return
    modifiers = [c for c in (*head.children, *_np_head(head).children)]
    determiners = [c.lower_ for c in modifiers if c.dep_ in ("det", "poss")]
    if not determiners or any(d not in definite for d in determiners):
        return
    if any(c.ent_type_ == "ORDINAL" or c.lower_ in fresh for c in modifiers if c.dep_ in ("amod", "nummod")):
        return
    window = _threshold("coref_same_word_sentences")
    for prev in reversed(earlier):
        if ev.sentence_index - prev.sentence_index > window:
            return
        if (prev.etype.name == ev.etype.name and _same_word(prev.trigger.head, head)
                and not _named_apart(prev.trigger.head, head)):
            yield prev


def _same_day(ev: EventMention, other: EventMention) -> bool:
    """No date sets two mentions apart: one is undated, or both carry the same value."""
    return ev.date is None or other.date is None or ev.date.value == other.date.value


def event_group_of(ev: EventMention) -> EventMention:
    """The first mention of the happening an event mention tells (itself when it is the first)."""
    while ev.same_as is not None:
        ev = ev.same_as
    return ev


def _proper_modifiers(noun: Token) -> frozenset[str]:
    """The proper names and nationalities before a noun: "Democratic", "National" of "the Democratic
    National Convention"."""
    return frozenset(c.lower_ for c in noun.subtree
                     if c.i < noun.i and (c.pos_ == "PROPN" or c.ent_type_ == "NORP"))


def _named_apart(earlier: Token, noun: Token) -> bool:
    """Two mentions of one word that names two happenings: "the Republican National Convention" ...
    "the Democratic National Convention". A bare "the convention" is not named apart."""
    first, second = _proper_modifiers(earlier), _proper_modifiers(noun)
    return bool(first) and bool(second) and first != second


def _same_word(earlier: Token, noun: Token) -> bool:
    """The noun is the earlier trigger's word, or the -ing noun of its verb ("met" ... "the meeting")."""
    word, lemma = earlier.lemma_.lower(), noun.lemma_.lower()
    return lemma == word or earlier.pos_ == "VERB" and lemma == _gerund(word)


def find_events(doc: Doc, entities: list[Entity], mentions: list[Mention], timexes: list[TimeExpression],
                quotations: list[Quotation]) -> list[EventMention]:
    """Typed events of a parsed article with participants, date, place, polarity and modality."""
    lexicon = load_lexicon()
    index = _index_entities(doc, entities, mentions)
    _add_speakers(doc, index, quotations, lexicon)
    triggers = find_triggers(doc, index)
    noun_heads = {t.head.i for t in triggers if t.kind == "nouns"}
    verb_heads = {t.head.i for t in triggers if t.kind == "verbs"}
    by_head = {t.head.i: t for t in triggers}
    shared = view(doc)
    events: list[EventMention] = []
    for trigger in triggers:
        if (_is_support_use(trigger, noun_heads, lexicon) or _is_complement_of(trigger, verb_heads)
                or _restates(trigger, by_head) or _modifies_a_thing(trigger, lexicon)
                or _names_the_same_event_as(trigger, by_head)
                or _is_attribute(trigger, lexicon) or _is_bare_concept(trigger, lexicon)):
            continue
        fillers = _fillers(trigger, index, lexicon)
        etype = choose_type(trigger, fillers, lexicon)
        if etype is None:
            continue
        head = trigger.head
        places = choose_places(head, fillers, index, lexicon)
        location = places[0] if places else None
        participants, unresolved, spouses = _participants(fillers, etype, trigger.entry, lexicon, index, places)
        quote_id = _quote_containing(trigger.span, quotations)
        events.append(EventMention(
            trigger=trigger, etype=etype, sentence_index=shared.sent_index[head.i],
            participants=participants, unresolved_plural=unresolved, unresolved_spouses=spouses,
            date=choose_date(doc, head, timexes, lexicon, quotations), location_entity_id=location,
            polarity=polarity_of(head, lexicon),
            modality=modality_of(head, quote_id is not None, lexicon), source_quote_id=quote_id))
    _apply_plural_rule(events, index, lexicon)
    _apply_spouse_rule(events, index, lexicon)
    _apply_clause_couple_rule(events, index, lexicon)
    _apply_charge_defendant_rule(events, lexicon)
    for ev in events:  # after the rules above: they fill what the slots left empty, these only add
        if ev.trigger.kind == "nouns":
            itself = index.entity_of(ev.trigger.head)  # a named event is no party to itself
            ev.participants[:] = [p for p in ev.participants if itself is None or p[0] != itself]
            _add_clause_participants(ev.participants, ev.trigger.head, ev.etype, index, lexicon)
        else:
            _add_phrase_participants(ev.participants, ev.trigger.head, ev.etype, ev.trigger.entry, index, lexicon)
    _apply_event_coreference(events, index, lexicon)
    _apply_elaboration_rule(events)
    _apply_contest_rule(events, index, lexicon)
    _apply_talk_rule(events, index, lexicon)
    _apply_scene_rule(events, index, lexicon)
    return events


def _apply_scene_rule(events: list[EventMention], index: EntityIndex, lexicon: Lexicon) -> None:
    """"In Orlando, Clinton made a stop at the nightclub where 49 people were killed in a mass shooting":
    a place phrase that opens a sentence, before its comma, sets the scene of the whole sentence; every
    event there with no place of its own happened in that place."""
    if not events:
        return
    shared = view(events[0].trigger.head.doc)
    scenes: dict[int, str | None] = {}
    for ev in events:
        if ev.location_entity_id is not None:
            continue
        if ev.sentence_index not in scenes:
            scenes[ev.sentence_index] = _scene_of(shared.sents[ev.sentence_index], index, lexicon)
        scene = scenes[ev.sentence_index]
        if scene is not None:
            ev.location_entity_id = scene
            if (scene, "place") not in ev.participants:
                ev.participants.append((scene, "place"))


def _scene_of(sent: Span, index: EntityIndex, lexicon: Lexicon) -> str | None:
    """The place of a sentence's opening place phrase ("In New Hampshire, ..."), None when it opens
    otherwise. The phrase must hang on the sentence's main verb and end at a comma."""
    first = sent[0]
    if first.dep_ != "prep" or first.lower_ not in lexicon.words("place_prepositions") or first.head.dep_ != "ROOT":
        return None
    phrase = list(first.subtree)
    after = phrase[-1].i + 1
    if after >= sent.end or sent.doc[after].text != ",":
        return None
    objects = [c for c in first.children if c.dep_ == "pobj"]
    place_types = lexicon.words("place_entity_types")
    for obj in objects:
        entity = index.entity_of(obj)
        if entity is not None and index.type_of(entity) in place_types:
            return entity
    return None


def _apply_talk_rule(events: list[EventMention], index: EntityIndex, lexicon: Lexicon) -> None:
    """"Grassley spoke with Garland and did not rule out a meeting": a talk with nobody of its own (a
    meeting, an interview, a hearing: event_grammar.yaml talk_rule) takes the persons its sentence names,
    but the source of what is said of it, as one election does (`_persons_named`)."""
    if not events:
        return
    rule = lexicon.grammar["talk_rule"]
    nouns, role = frozenset(rule["nouns"]), rule["role"]
    sources = _source_verbs(lexicon)
    shared = view(events[0].trigger.head.doc)
    for ev in events:
        head = ev.trigger.head
        if ev.trigger.kind != "nouns" or head.lemma_.lower() not in nouns:
            continue
        if any(r != "place" for _, r in ev.participants):
            continue
        for person in _persons_named(head, shared.sents[ev.sentence_index], index, sources):
            ev.participants.append((person, role))


def _apply_contest_rule(events: list[EventMention], index: EntityIndex, lexicon: Lexicon) -> None:
    """"Following the Iowa caucus, Clinton is currently leading Sanders": an election noun with no person
    of its own takes the persons its sentence says compete (event_grammar.yaml contest_rule), the subject
    and rival of a word of competing; with no such word, one election noun takes the persons its sentence
    names but the source of what is said of it (`_persons_named`). Competitors told in another sentence
    are not guessed."""
    if not events:
        return
    rule = lexicon.grammar["contest_rule"]
    kinds, nouns, role = set(rule["event_types"]), set(rule["nouns"]), rule["role"]
    competing, rival_preps = set(rule["competing"]), set(rule["rival_prepositions"])
    sources = _source_verbs(lexicon)
    shared = view(events[0].trigger.head.doc)
    for ev in events:
        head = ev.trigger.head
        if ev.etype.name not in kinds or ev.trigger.kind != "nouns" or head.lemma_.lower() not in nouns:
            continue
        if any(index.type_of(e) == "PERSON" for e, _ in ev.participants):
            continue
        sent = shared.sents[ev.sentence_index]
        for word in (head.doc[i] for i in range(sent.start, sent.end)):
            if word.lemma_.lower() not in competing:
                continue
            for person in _competitors(word, rival_preps, index):
                if (person, role) not in ev.participants:
                    ev.participants.append((person, role))
        if head.tag_ not in ("NNS", "NNPS") and not any(index.type_of(e) == "PERSON" for e, _ in ev.participants):
            for person in _persons_named(head, sent, index, sources):
                ev.participants.append((person, role))


def _source_verbs(lexicon: Lexicon) -> frozenset[str]:
    """Verbs whose subject is the source of what their clause says: the reporting verbs and a few more
    (event_grammar.yaml contest_rule source_verbs)."""
    return lexicon.words("modality", "reporting_verbs") | lexicon.words("contest_rule", "source_verbs")


def _persons_named(noun: Token, sent: Span, index: EntityIndex, sources: frozenset[str]) -> list[str]:
    """The persons a sentence names, but the source of what it says of the event noun ("the general
    election, Sabato said", "Vavreck finds that ... the election", "he reiterated that there won't be a
    hearing"): the persons a sentence about one election or one talk names are its parties far more
    often than anyone else."""
    reporting = [t for t in noun.ancestors if t.lemma_.lower() in sources]
    # the source's own words; named again in what it says ("Sanders said he would meet ... no meeting
    # has been arranged"), it is a contender all the same
    source_words = {t.i for verb in reporting for c in verb.children if c.dep_ == "nsubj" for t in c.subtree}
    persons: list[str] = []
    for i in index.tokens_between(sent.start, sent.end):
        entity, tok = index.by_token[i], sent.doc[i]
        if index.type_of(entity) != "PERSON" or i in source_words or entity in persons:
            continue
        # a name that only classifies another noun ("anti-Trump delegates") names nobody taking part
        if tok.dep_ in ("compound", "amod") and index.entity_of(tok.head) != entity:
            continue
        persons.append(entity)
    return persons


def _competitors(word: Token, rival_preps: set[str], index: EntityIndex) -> list[str]:
    """The persons a word of competing sets against each other: its subject (for an adjective or a noun,
    its clause's subject, "Harris is ahead of Sanchez", or the name its phrase hangs on, "Clinton, with a
    lead over Sanders"), its object, and the objects of its rival prepositions ("over Sanders")."""
    slots = [c for c in word.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
    if word.dep_ in ("acomp", "advmod", "attr", "dobj", "pobj") or word.pos_ in ("ADJ", "NOUN"):
        governor = word.head if word.dep_ != "pobj" else word.head.head
        slots += [c for c in governor.children if c.dep_ in ("nsubj", "nsubjpass")]
        if governor.pos_ in ("PROPN", "NOUN"):
            slots.append(governor)  # "Clinton with only a small lead"
    for prep in (c for c in word.children if c.dep_ == "prep" and c.lower_ in rival_preps):
        slots += [o for o in prep.children if o.dep_ == "pobj"]
    found = []
    for tok in slots:
        for member in (tok, *_conjuncts(tok)):
            entity = index.entity_of(member)
            if entity is not None and index.type_of(entity) == "PERSON" and entity not in found:
                found.append(entity)
    return found


def _event_row(ev: EventMention, doc_id: str) -> dict:
    span = ev.trigger.span
    date = ev.date
    row = {
        "event_id": span_id_for("V", doc_id, span.start_char, span.end_char),
        "doc_id": doc_id,
        "event_type": ev.etype.name,
        "trigger": span.text,
        "start_char": span.start_char,
        "end_char": span.end_char,
        "date_value": date.value if date else None,
        "date_start": date.date_start if date else None,
        "date_end": date.date_end if date else None,
        "location_entity_id": ev.location_entity_id,
        "sentence": _sentence_text(span),
    }
    first = event_group_of(ev).trigger.span
    attributes = {"polarity": ev.polarity, "modality": ev.modality, "source_quote_id": ev.source_quote_id,
                  "event_group": span_id_for("V", doc_id, first.start_char, first.end_char)}
    row.update({k: v for k, v in attributes.items() if k in declared_event_columns()})
    return row


def _sentence_text(span: Span) -> str:
    sent = view(span.doc).sent_of(span.start)
    return doc_text(span.doc)[sent.start_char:sent.end_char].strip()


def declared_event_columns() -> frozenset[str]:
    """Columns schemas/tables.yaml declares for events."""
    return declared_columns("events")


def extract_events(doc: Doc, doc_id: str, entities: list[Entity], mentions: list[Mention],
                   timexes: list[TimeExpression], quotations: list[Quotation],
                   ) -> tuple[list[Event], list[EventParticipant]]:
    """(events, event participants) of one article."""
    event_records: list[Event] = []
    participants: list[EventParticipant] = []
    written: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        written[m.entity_id].append(m)
    shared = view(doc)
    for ev in find_events(doc, entities, mentions, timexes, quotations):
        event = Event(**_event_row(ev, doc_id))
        event_records.append(event)
        sent = shared.sents[ev.sentence_index]
        for entity_id, role in ev.participants:
            at = _written_at(written.get(entity_id, ()), ev.trigger.span, sent)
            participants.append(EventParticipant(
                event_id=event.event_id, entity_id=entity_id, role=role, doc_id=doc_id,
                text=at.text if at else None, start_char=at.start_char if at else None,
                end_char=at.end_char if at else None))
    return event_records, participants


def _written_at(mentions: Sequence[Mention], trigger: Span, sent: Span) -> Mention | None:
    """The mention that shows a participant at its event: in the trigger's sentence the nearest to the
    trigger, else the nearest before it (an earlier sentence told who), else the first after it."""
    at = trigger.start_char
    near = [m for m in mentions if sent.start_char <= m.start_char < sent.end_char]
    if near:
        return min(near, key=lambda m: (abs(m.start_char - at), m.start_char))
    before = [m for m in mentions if m.start_char < at]
    if before:
        return max(before, key=lambda m: m.start_char)
    return min(mentions, key=lambda m: m.start_char, default=None)


class EventsComponent(Extractor):
    """`broadsheet_events`: sets `doc._.events` and `doc._.event_participants`, from the parse and the
    records of broadsheet_names, broadsheet_dates and broadsheet_quotes."""

    needs_parse = ("DEP",)
    needs_tables = ("entities", "mentions", "time_expressions", "quotations")

    def annotate(self, doc: Doc) -> None:
        found, participants = extract_events(doc, doc_id_of(doc), *(records_on(doc, t) for t in self.needs_tables))
        set_records(doc, "events", found)
        set_records(doc, "event_participants", participants)


@Language.factory("broadsheet_events", assigns=["doc._.events", "doc._.event_participants"],
                  requires=["doc._.entities", "doc._.mentions", "doc._.timexes", "doc._.quotations", "token.dep"])
def make_events(nlp: Language, name: str) -> EventsComponent:
    """The event extractor as a spaCy component."""
    return EventsComponent(nlp, name)
