"""Per-document values the extractors share, computed once per parsed Doc.

spaCy rebuilds `doc.text` from its tokens on every access (about a millisecond for a news article),
builds a new Token object on every `doc[i]`, and a new Python string on every `token.lower_`. The
extractors read the same tokens and attributes many times, so each value is built once per document
and kept in the Doc's `user_data` until `release` drops it. Nothing here changes the Doc's
annotations.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import cached_property

from spacy.tokens import Doc, Span, Token

PREFIX = "broadsheet_"  # every key the extractors keep in doc.user_data starts so
TEXT_KEY = PREFIX + "text"
VIEW_KEY = PREFIX + "view"


def doc_text(doc: Doc) -> str:
    """doc.text, built once per document."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def keep_text(doc: Doc, text: str) -> None:
    """Give the Doc the text it was made from, so `doc_text` need not rebuild it (spaCy's tokenizer
    keeps every character: doc.text is the input text verbatim)."""
    doc.user_data[TEXT_KEY] = text


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

    @cached_property
    def end_char(self) -> list[int]:
        return [t.idx + len(t) for t in self.tokens]

    @cached_property
    def ents(self) -> tuple[Span, ...]:
        """doc.ents (rebuilt by spaCy on every access; no extractor sets them)."""
        return self.doc.ents

    @cached_property
    def sents(self) -> list[Span]:
        return list(self.doc.sents)

    @cached_property
    def sent_index(self) -> list[int]:
        """The number of each token's sentence (`token.sent` walks the sentence on every call)."""
        index = [0] * len(self.doc)
        for n, sent in enumerate(self.sents):
            index[sent.start:sent.end] = [n] * (sent.end - sent.start)
        return index

    def sent_of(self, i: int) -> Span:
        """The sentence holding token i."""
        return self.sents[self.sent_index[i]]


def token_range(doc: Doc, start_char: int, end_char: int) -> range:
    """The tokens the characters [start_char, end_char) touch: the token indices of
    `doc.char_span(start_char, end_char, alignment_mode="expand")`, without building the Span."""
    shared = view(doc)
    # the first token that ends after start_char (a token's trailing space is not part of it), to the
    # last token that starts before end_char
    return range(bisect_right(shared.end_char, start_char), bisect_left(shared.idx, end_char))


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
