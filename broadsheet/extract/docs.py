"""Per-document values the extractors share, computed once per parsed Doc.

spaCy rebuilds `doc.text` from its tokens on every access (about a millisecond for a news article),
builds a new Token object on every `doc[i]`, and a new Python string on every `token.lower_`. The
extractors read the same tokens and attributes many times, so each value is built once per document
and kept in the Doc's `user_data` until `release` drops it. Nothing here changes the Doc's
annotations.
"""

from __future__ import annotations

from functools import cached_property

from spacy.tokens import Doc, Token

PREFIX = "broadsheet_"  # every key the extractors keep in doc.user_data starts so
TEXT_KEY = PREFIX + "text"
VIEW_KEY = PREFIX + "view"


def doc_text(doc: Doc) -> str:
    """doc.text, built once per document."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


class TokenView:
    """A document's tokens and their most-read attributes as plain Python lists, indexed by token.i.

    Each list is built on first use. `tokens[i]` is the same Token as `doc[i]` without building a
    new object per access."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc

    @cached_property
    def tokens(self) -> list[Token]:
        return list(self.doc)

    @cached_property
    def lower(self) -> list[str]:
        return [t.lower_ for t in self.tokens]

    @cached_property
    def lemma(self) -> list[str]:
        return [t.lemma_ for t in self.tokens]

    @cached_property
    def pos(self) -> list[str]:
        return [t.pos_ for t in self.tokens]

    @cached_property
    def tag(self) -> list[str]:
        return [t.tag_ for t in self.tokens]

    @cached_property
    def dep(self) -> list[str]:
        return [t.dep_ for t in self.tokens]

    @cached_property
    def head(self) -> list[int]:
        return [t.head.i for t in self.tokens]

    @cached_property
    def text(self) -> list[str]:
        return [t.text for t in self.tokens]

    @cached_property
    def idx(self) -> list[int]:
        return [t.idx for t in self.tokens]


def view(doc: Doc) -> TokenView:
    """The document's shared TokenView (built once; dropped by `release`)."""
    shared = doc.user_data.get(VIEW_KEY)
    if shared is None:
        shared = doc.user_data[VIEW_KEY] = TokenView(doc)
    return shared


def release(doc: Doc) -> None:
    """Drop every value the extractors cached on the Doc (keys starting "broadsheet_"): the view's
    tokens point back at the Doc, which should be freed by reference counting as soon as extraction
    is done, not by a later garbage collection."""
    for key in [k for k in doc.user_data if isinstance(k, str) and k.startswith(PREFIX)]:
        del doc.user_data[key]
