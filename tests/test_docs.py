"""The shared per-document view: the same tokens, attributes and spans spaCy gives, built once."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.extract import extract_records
from broadsheet.extract.docs import PREFIX, doc_text, release, token_range, view

TEXT = ("Prime Minister Jacinda Ardern said on Tuesday that the  border would reopen.\n\n"
        "\u201cWe are ready,\u201d she told reporters in Wellington. Officials disagreed.")


@pytest.fixture(scope="module")
def doc(nlp):
    return nlp(TEXT)


def test_view_lists_match_the_tokens(doc):
    shared = view(doc)
    assert shared is view(doc)
    assert [t.i for t in shared.tokens] == list(range(len(doc)))
    assert shared.lower == [t.lower_ for t in doc]
    assert shared.lemma == [t.lemma_ for t in doc]
    assert shared.pos == [t.pos_ for t in doc]
    assert shared.dep == [t.dep_ for t in doc]
    assert shared.head == [t.head.i for t in doc]
    assert shared.idx == [t.idx for t in doc]
    assert [s.start for s in shared.sents] == [s.start for s in doc.sents]
    assert [shared.sent_of(t.i).start for t in doc] == [t.sent.start for t in doc]
    assert [(e.start, e.end, e.label_) for e in shared.ents] == [(e.start, e.end, e.label_) for e in doc.ents]
    release(doc)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_token_range_is_char_span_expand(doc, data):
    start = data.draw(st.integers(0, len(TEXT) - 1))
    end = data.draw(st.integers(start + 1, len(TEXT)))
    span = doc.char_span(start, end, alignment_mode="expand")
    expected = list(range(span.start, span.end)) if span is not None else []
    assert list(token_range(doc, start, end)) == expected
    release(doc)


def test_extraction_releases_what_it_cached(nlp):
    doc = nlp(TEXT)
    doc.user_data["someone_else"] = 1
    assert doc_text(doc) == TEXT and view(doc).tokens
    extract_records(doc, "d1", None)
    assert not [k for k in doc.user_data if isinstance(k, str) and k.startswith(PREFIX)]
    assert doc.user_data["someone_else"] == 1


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("ab C.,\u201c\u201d\n\t  \u00e9-'1"), max_size=60))
def test_spacy_keeps_the_input_text_verbatim(nlp, text):
    # keep_text relies on it: the text handed to nlp.pipe is the Doc's text, character for character
    assert nlp.make_doc(text).text == text
