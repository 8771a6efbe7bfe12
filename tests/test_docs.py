"""The shared per-document view: the same tokens, attributes and spans spaCy gives, built once."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.extract import extract_records, extractor_names, extractor_pipes
from broadsheet.extract.docs import PREFIX, doc_text, release, token_range, view

TEXT = ("Prime Minister Jacinda Ardern said on Tuesday that the  border would reopen.\n\n"
        "\u201cWe are ready,\u201d she told reporters in Wellington. Officials disagreed.")


@pytest.fixture(scope="module")
def doc(nlp):
    return nlp(TEXT)


def test_an_empty_document_has_empty_lists(nlp):
    shared = view(nlp(""))
    assert shared.words == shared.lower == shared.deps == shared.heads == shared.is_alpha == shared.idx == []


def test_view_lists_match_the_tokens(doc):
    shared = view(doc)
    assert shared is view(doc)
    assert [shared.token(t.i).i for t in doc] == list(range(len(doc)))
    assert shared.token(3) is shared.token(3)
    assert shared.words == [t.text for t in doc]
    assert shared.ws == [t.whitespace_ for t in doc]
    assert shared.lower == [t.lower_ for t in doc]
    assert shared.lemmas == [t.lemma_ for t in doc]
    assert shared.pos_tags == [t.pos_ for t in doc]
    assert shared.tags == [t.tag_ for t in doc]
    assert shared.deps == [t.dep_ for t in doc]
    assert shared.heads == [t.head.i for t in doc]
    assert shared.idx == [t.idx for t in doc]
    assert shared.ends == [t.idx + len(t) for t in doc]
    flags = ("is_alpha", "is_title", "is_upper", "is_lower", "is_punct", "is_space", "is_sent_start")
    for flag in flags:
        assert getattr(shared, flag.replace("is_sent_start", "sent_start")) == [bool(getattr(t, flag)) for t in doc]
    assert shared.span_text(2, 5) == doc[2:5].text and shared.chars(2, 5) == (doc[2:5].start_char, doc[2:5].end_char)
    assert shared.root(0, 5) == doc[0:5].root.i
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
    doc = nlp(TEXT, disable=extractor_names())
    doc.user_data["someone_else"] = 1
    assert doc_text(doc) == TEXT and view(doc).lower and view(doc).token(0)
    extract_records(doc, extractor_pipes(nlp), "d1", None)
    assert not [k for k in doc.user_data if isinstance(k, str) and k.startswith(PREFIX)]
    assert doc.user_data["someone_else"] == 1


def test_the_last_component_of_a_pipeline_releases_what_the_extractors_shared(nlp):
    doc = nlp(TEXT)  # the whole pipeline, as a spaCy user runs it
    assert doc._.mentions is not None and doc._.events is not None
    assert not [k for k in doc.user_data if isinstance(k, str) and k.startswith(PREFIX)]


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("ab C.,\u201c\u201d\n\t  \u00e9-'1"), max_size=60))
def test_spacy_keeps_the_input_text_verbatim(nlp, text):
    # keep_text relies on it: the text handed to nlp.pipe is the Doc's text, character for character
    assert nlp.make_doc(text).text == text
