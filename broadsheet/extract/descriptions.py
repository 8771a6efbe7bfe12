"""Descriptions of organisations and places linked to the name they stand for.

"The company", "the drug company", "the party", "the state": a definite description whose noun is listed
in data/names_lexicon.yaml (`descriptors: organisations / places`) stands for the latest organisation or
place of a fitting type named in its sentence or the few before (`description_window_sentences`), and
not in its own clause ("Valeant's stake caused strife at the firm": the firm is not Valeant). A noun
marked `named` takes only an organisation whose name holds it ("the party": the Democratic Party); a
place noun takes only a place the gazetteer knows as that kind ("the state": Mississippi, not Jackson).

What it does not do: plural or indefinite descriptions ("the companies", "a company"), descriptions that
carry a name of their own ("the Houston firm"), or pronouns ("it"). Persons' descriptions ("the actor")
are broadsheet.extract.names' own walk. Pure: tokens and names in, (start, end, name key) out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from broadsheet.extract.docs import view

_CLAUSE_POS = {"VERB", "AUX"}
_MODIFIER_DEPS = {"amod", "compound", "nmod", "npadvmod", "punct", "advmod", "hyph"}


def clause_head(token: Token) -> int:
    """The verb whose clause the token sits in (the sentence root when none): "Obama's endorsement
    seemed certain, as the president traveled" puts Obama and "the president" in two clauses; a verb
    conjoined without its own subject stays in its first verb's clause."""
    while token.head.i != token.i and not (token.pos_ in _CLAUSE_POS and token.dep_ not in ("aux", "auxpass")
                                           and not _shares_its_subject(token)):
        token = token.head
    return token.i


def _shares_its_subject(verb: Token) -> bool:
    """A conjoined verb without a subject of its own ("neglects ... and understates"): one clause."""
    return verb.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children)


@dataclass(frozen=True)
class Named:
    """One name mention of an organisation or place, as the linking reads it."""

    start: int  # token index
    end: int  # token index, exclusive
    key: int  # the entity (cluster) the name belongs to
    type: str  # PERSON, ORG, GPE, ...
    words: frozenset[str]  # the lower-case words of all the entity's names
    name: str  # the entity's fullest name ("New York City", where this mention says "New York")


@dataclass(frozen=True)
class Noun:
    """What a describing noun asks of the name it stands for."""

    types: frozenset[str]
    named: bool = False  # the name must hold the noun ("the party")
    places: frozenset[str] = frozenset()  # gazetteer kinds the place must have ("the state": admin1)
    not_places: frozenset[str] = frozenset()  # kinds it must not also have ("the country": not Georgia)


def nouns_from(section: dict) -> dict[str, Noun]:
    """The describing nouns of the lexicon's `organisations:` or `places:` section."""
    return {word: Noun(frozenset(rule["types"]), bool(rule.get("named")), frozenset(rule.get("places") or ()),
                       frozenset(rule.get("not_places") or ())) for word, rule in section.items()}


def link_descriptions(doc: Doc, named: list[Named], nouns: dict[str, Noun], taken: set[int],
                      not_referring: Iterable[str], window: int,
                      place_kinds: Callable[[str], set[str]]) -> list[tuple[int, int, int]]:
    """(start, end, key) of each description linked to a name: its tokens and the entity it stands for.
    `taken`: tokens already in a mention; `place_kinds`: the gazetteer kinds a place name may be."""
    f = view(doc)
    named = sorted(named, key=lambda n: n.start)
    starts = {n.start: n for n in named}
    marked = {word for word, noun in nouns.items() if noun.named}
    not_referring = frozenset(not_referring)
    found = []
    said: dict[str, tuple[int, int]] = {}  # noun -> (sentence, key) of its latest linked description
    for i, word in enumerate(f.lower):
        if word != "the" or f.dep(i) != "det" or i in taken:
            continue
        head = f.token(f.head(i))
        noun = nouns.get(head.lower_)
        if noun is None or head.i <= i or head.tag_ != "NN" or head.dep_ == "attr":
            continue
        between = range(i + 1, head.i)
        if any(j in taken or f.dep(j) not in _MODIFIER_DEPS or f.lower[j] in not_referring for j in between):
            continue
        target = _written_beside(head, starts, noun)
        if target is None and _names_another(head):
            continue  # "the advocacy group America's Voice", "the trade group for Blue Cross": not the last name
        key = target.key if target is not None else _repeated(f, head, said)
        if key is None and (fitting := _latest_fitting(f, head, named, noun, marked, window, place_kinds)):
            key = fitting.key
        if key is not None:
            found.append((i, head.i + 1, key))
            said[head.lower_] = (f.sent_index[head.i], key)
    return found


def _names_another(head: Token) -> bool:
    """A name follows the noun, or its "of"/"for" phrase holds one: the description says who itself."""
    if head.i + 1 < len(head.doc) and head.nbor(1).pos_ == "PROPN":
        return True
    return any(p.dep_ == "prep" and p.lower_ in ("of", "for") and any(o.pos_ == "PROPN" for o in p.subtree)
               for p in head.children)


def _repeated(f, head: Token, said: dict[str, tuple[int, int]]) -> int | None:
    """"caused strife at the firm, and two of the firm's directors resigned": the same noun again in its
    sentence or the next stands for what it stood for."""
    sent, key = said.get(head.lower_, (-2, None))
    return key if f.sent_index[head.i] - sent <= 1 else None


def _written_beside(head: Token, starts: dict[int, Named], noun: Noun) -> Named | None:
    """The name the description stands beside: "Valeant, the drug company", "the group Asawitiri Media",
    "the state of Mississippi"."""
    beside = starts.get(head.i + 1)
    if beside is None and head.i + 2 < len(head.doc) and head.nbor(1).lower_ == "of":
        beside = starts.get(head.i + 2)
    if beside is None and head.dep_ == "appos":
        beside = next((n for n in starts.values() if n.start <= head.head.i < n.end), None)
    return beside if beside is not None and beside.type in noun.types else None


def _latest_fitting(f, head: Token, named: list[Named], noun: Noun, marked: set[str], window: int,
                    place_kinds: Callable[[str], set[str]]) -> Named | None:
    sent = f.sent_index[head.i]
    own_clause = clause_head(head)
    in_own_clause = set()
    for n in reversed(named):
        if n.start >= head.i or n.type not in noun.types:
            continue
        if f.sent_index[n.start] < sent - window:
            return None
        if f.sent_index[n.start] == sent and clause_head(f.token(f.root(n.start, n.end))) == own_clause:
            in_own_clause.add(n.key)
        if n.key in in_own_clause:
            continue
        if noun.named and head.lower_ not in n.words:
            continue
        if not noun.named and not noun.places and n.words & marked:
            continue  # "the company" is not the Supreme Court
        if noun.places and not _fits_place(noun, place_kinds(n.name)):
            continue
        return n
    return None


def _fits_place(noun: Noun, kinds: set[str]) -> bool:
    return bool(noun.places & kinds) and not noun.not_places & kinds
