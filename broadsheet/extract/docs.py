"""Per-document values the extractors share, computed once per parsed Doc.

The rules read the same tokens many times over, and spaCy builds a new Token on every `doc[i]`, a new
Span on every `doc[a:b]`, a new string on every `token.lower_`, and `doc.text` from every token on each
access. Together that cost more than the rules themselves. So a document's tokens are read once into
plain lists (`TokenView`), kept in the Doc's `user_data` until `release` drops them after extraction.

The lists come from `doc.to_array` and the document's text, not from one Token object per token:
holding hundreds of Tokens alive makes Python's garbage collector walk them again and again. Tokens
are built only where a rule needs one (`token(i)`), once each. Nothing here changes the Doc.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import cached_property

from spacy.attrs import (
    DEP,
    HEAD,
    IS_ALPHA,
    IS_LOWER,
    IS_PUNCT,
    IS_SPACE,
    IS_TITLE,
    IS_UPPER,
    LEMMA,
    LENGTH,
    LOWER,
    POS,
    SENT_START,
    SPACY,
    TAG,
)
from spacy.parts_of_speech import NAMES as POS_NAMES
from spacy.tokens import Doc, Span, Token

PREFIX = "broadsheet_"  # every key the extractors keep in doc.user_data starts so
TEXT_KEY = PREFIX + "text"
VIEW_KEY = PREFIX + "view"


def doc_text(doc: Doc) -> str:
    """doc.text, built once per document (or kept from the input by `keep_text`)."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def keep_text(doc: Doc, text: str) -> None:
    """Give the Doc the text it was made from, so `doc_text` need not rebuild it (spaCy's tokenizer
    keeps every character: doc.text is the input text verbatim)."""
    doc.user_data[TEXT_KEY] = text


class TokenView:
    """One document's tokens as plain lists indexed by token.i, each list built on first use."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.n = len(doc)
        self.text = doc_text(doc)
        self._tokens: dict[int, Token] = {}
        self._roots: dict[tuple[int, int], int] = {}
        self._memos: dict[str, dict] = {}

    # ------------------------------------------------------------------ offsets and words

    @cached_property
    def _offsets(self) -> tuple[list[int], list[int], list[bool]]:
        """(start, end) character offset and trailing space of each token: the text is the tokens'
        texts, each followed by its space if it has one."""
        if not self.n:
            return [], [], []
        array = self.doc.to_array([LENGTH, SPACY]).astype("int64")
        length, space = array[:, 0], array[:, 1]
        ends = (length + space).cumsum() - space
        return (ends - length).tolist(), ends.tolist(), space.astype(bool).tolist()

    @cached_property
    def idx(self) -> list[int]:
        """token.idx"""
        return self._offsets[0]

    @cached_property
    def ends(self) -> list[int]:
        """token.idx + len(token)"""
        return self._offsets[1]

    @cached_property
    def ws(self) -> list[str]:
        """token.whitespace_: one space or nothing."""
        return [" " if space else "" for space in self._offsets[2]]

    @cached_property
    def words(self) -> list[str]:
        """token.text"""
        text = self.text
        return [text[start:end] for start, end in zip(self.idx, self.ends, strict=True)]

    @cached_property
    def lines(self) -> list[tuple[int, str]]:
        """(start offset, text) of each line."""
        out, pos = [], 0
        for line in self.text.split("\n"):
            out.append((pos, line))
            pos += len(line) + 1
        return out

    # ------------------------------------------------------------------ string attributes

    def _strings(self, attr: int) -> list[str]:
        """An attribute stored as a string hash, each distinct string looked up once."""
        if not self.n:
            return []
        strings = self.doc.vocab.strings
        hashes = self.doc.to_array(attr).tolist()
        known = {h: strings[h] for h in set(hashes)}
        return [known[h] for h in hashes]

    @cached_property
    def lower(self) -> list[str]:
        """token.lower_"""
        return self._strings(LOWER)

    @cached_property
    def lemmas(self) -> list[str]:
        """token.lemma_"""
        return self._strings(LEMMA)

    @cached_property
    def tags(self) -> list[str]:
        """token.tag_"""
        return self._strings(TAG)

    @cached_property
    def deps(self) -> list[str]:
        """token.dep_"""
        return self._strings(DEP)

    @cached_property
    def pos_tags(self) -> list[str]:
        """token.pos_"""
        return [POS_NAMES[p] for p in self.doc.to_array(POS).tolist()] if self.n else []

    @cached_property
    def heads(self) -> list[int]:
        """token.head.i"""
        if not self.n:
            return []
        offsets = self.doc.to_array(HEAD).astype("int64").tolist()  # stored relative to the token
        return [i + offset for i, offset in enumerate(offsets)]

    def dep(self, i: int) -> str:
        return self.deps[i]

    def head(self, i: int) -> int:
        return self.heads[i]

    def pos(self, i: int) -> str:
        return self.pos_tags[i]

    def tag(self, i: int) -> str:
        return self.tags[i]

    def lemma(self, i: int) -> str:
        return self.lemmas[i]

    # ------------------------------------------------------------------ lexical flags

    @cached_property
    def _flags(self) -> list[list[bool]]:
        if not self.n:
            return [[] for _ in range(7)]
        array = self.doc.to_array([IS_ALPHA, IS_TITLE, IS_UPPER, IS_LOWER, IS_PUNCT, IS_SPACE, SENT_START])
        flags = [column.astype(bool).tolist() for column in array[:, :6].T]
        # token.is_sent_start is true where sent_start is 1 (-1: not a start, 0: unknown)
        return [*flags, (array[:, 6].astype("int64") == 1).tolist()]

    @cached_property
    def is_alpha(self) -> list[bool]:
        return self._flags[0]

    @cached_property
    def is_title(self) -> list[bool]:
        return self._flags[1]

    @cached_property
    def is_upper(self) -> list[bool]:
        return self._flags[2]

    @cached_property
    def is_lower(self) -> list[bool]:
        return self._flags[3]

    @cached_property
    def is_punct(self) -> list[bool]:
        return self._flags[4]

    @cached_property
    def is_space(self) -> list[bool]:
        return self._flags[5]

    @cached_property
    def sent_start(self) -> list[bool]:
        return self._flags[6]

    # ------------------------------------------------------------------ tokens, spans, sentences

    def token(self, i: int) -> Token:
        """doc[i], built once."""
        token = self._tokens.get(i)
        if token is None:
            token = self._tokens[i] = self.doc[i]
        return token

    def chars(self, start: int, end: int) -> tuple[int, int]:
        """(start_char, end_char) of doc[start:end]."""
        if start >= end:  # an empty span: let spaCy say where it sits
            span = self.doc[start:end]
            return span.start_char, span.end_char
        return self.idx[start], self.ends[end - 1]

    def span_text(self, start: int, end: int) -> str:
        """doc[start:end].text: the document's text between the span's first and last characters."""
        if start >= end:
            return self.doc[start:end].text
        return self.text[self.idx[start]:self.ends[end - 1]]

    def root(self, start: int, end: int) -> int:
        """doc[start:end].root.i, computed once per span."""
        found = self._roots.get((start, end))
        if found is None:
            found = self._roots[(start, end)] = self.doc[start:end].root.i
        return found

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
        index = [0] * self.n
        for n, sent in enumerate(self.sents):
            index[sent.start:sent.end] = [n] * (sent.end - sent.start)
        return index

    def sent_of(self, i: int) -> Span:
        """The sentence holding token i."""
        return self.sents[self.sent_index[i]]

    def memo(self, name: str) -> dict:
        """A dict an extractor keeps its own per-document results in, dropped with the view."""
        return self._memos.setdefault(name, {})


def token_range(doc: Doc, start_char: int, end_char: int) -> range:
    """The tokens the characters [start_char, end_char) touch: the token indices of
    `doc.char_span(start_char, end_char, alignment_mode="expand")`, without building the Span."""
    shared = view(doc)
    # the first token that ends after start_char (a token's trailing space is not part of it), to the
    # last token that starts before end_char
    return range(bisect_right(shared.ends, start_char), bisect_left(shared.idx, end_char))


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
