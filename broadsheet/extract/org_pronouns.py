"""'It' and 'its' of organisations and countries, linked to the name they stand for.

"Pershing Square now has a 9 percent stake, after selling some of its shares", "the Obama administration
announced it could pay only a fraction": a pronoun is bound by the subject of its own clause, or of the
clauses it hangs from within its sentence ("after selling" inherits "Pershing Square"). "its" takes that
subject when it is an organisation or a country; "it" only as the subject of a clause that a verb reports
or that completes a verb ("announced it could pay", "said it would"), where the verb's subject is one.

What it does not do: "it" anywhere else (mostly a thing or nothing: "it is clear", "it was a mistake"),
pronouns across sentences, persons (broadsheet.extract.names' own walk), "they" of organisations. The
first subject met on the way up decides: a person or a common noun there binds the pronoun to itself,
and nothing is linked. Pure: a parsed Doc and who each name token belongs to in, (token, owner) out.
Cost: one pass over the article's tokens, and a walk up the parse from each "it"/"its"; nothing
outside the article.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
# clauses whose missing subject is their governor's: "after selling", "to pay", "and cut"
_INHERITING_DEPS = frozenset({"advcl", "xcomp", "conj", "pcomp", "acl", "prep", "pobj", "dobj", "poss",
                              "compound", "amod", "nmod", "npadvmod", "attr", "appos", "oprd", "acomp"})
_REPORTED_DEPS = frozenset({"ccomp", "xcomp"})


def link_organisation_pronouns(doc: Doc, owner: dict[int, int]) -> list[tuple[int, int]]:
    """(token index, owner) of each "it"/"its" bound by an organisation or country subject. `owner` maps
    each token of an organisation's or country's mention to its entity (cluster) number."""
    found = []
    for tok in doc:
        word = tok.lower_
        if word == "its" and tok.tag_ == "PRP$":
            binder = _clause_subject(tok)
        elif word == "it" and tok.dep_ in _SUBJECT_DEPS and tok.head.dep_ in _REPORTED_DEPS:
            binder = _first_subject(tok.head.head)
        else:
            continue
        if binder is not None and binder.i in owner:
            found.append((tok.i, owner[binder.i]))
    return found


def _clause_subject(tok: Token) -> Token | None:
    """The first subject met going up from a token through the phrases and clauses it hangs from, within
    its sentence."""
    cur = tok
    while True:
        if cur.i != tok.i:
            subject = next((c for c in cur.children if c.dep_ in _SUBJECT_DEPS and c.i != tok.i), None)
            if subject is not None:
                return subject
        if cur.head.i == cur.i or cur.dep_ in _SUBJECT_DEPS or cur.dep_ not in _INHERITING_DEPS:
            return None
        cur = cur.head


def _first_subject(verb: Token) -> Token | None:
    """The subject of a verb, or of the verb its clause inherits one from."""
    return next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None) or _clause_subject(verb)
