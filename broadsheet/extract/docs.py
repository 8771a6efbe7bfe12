"""Per-document values the extractors share, computed once per parsed Doc.

spaCy rebuilds `doc.text` from its tokens on every access (about a millisecond for a news article);
each extractor needs it, so it is kept in the Doc's `user_data`. Nothing here changes the Doc's
annotations.
"""

from __future__ import annotations

from spacy.tokens import Doc

TEXT_KEY = "broadsheet_text"


def doc_text(doc: Doc) -> str:
    """doc.text, built once per document."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text
