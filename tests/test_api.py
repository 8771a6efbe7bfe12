"""The public API: analyze, analyze_many, load_nlp, the registered spaCy components and their Doc
extensions, the plug-in mechanism, and the README's library examples (run with doctest)."""

from __future__ import annotations

import doctest
import pickle
import warnings
from datetime import date

import pyarrow as pa
import pytest
import spacy
from conftest import REPO

import broadsheet
from broadsheet.config import DEFAULT_MODEL
from broadsheet.extract import add_components, extractor_names
from broadsheet.extract.component import MissingAnnotation
from broadsheet.extract.ids import doc_id_for
from broadsheet.tables import arrow_schema, extracted_tables

TEXT = ("Tom Cruise met Elsina Khayrova in London on Saturday (December 9).\n\n"
        "\u201cWe are very happy,\u201d Cruise told the Daily Mail. \u201cIt was a long road.\u201d\n\n"
        "He was arrested in 2019, police said.")


@pytest.fixture(scope="module")
def analysis(nlp):
    return broadsheet.analyze(TEXT, published="2023-12-14", nlp=nlp)


def test_readme_library_examples_run_as_written():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the README's own pipeline adds every helper; nothing to warn
        result = doctest.testfile(str(REPO / "README.md"), module_relative=False,
                                  optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 15 and result.failed == 0


def test_analysis_holds_one_records_list_per_extracted_table(analysis):
    assert list(analysis.tables) == [t.name for t in extracted_tables()]
    assert analysis.doc_id == doc_id_for(TEXT) and analysis.published == date(2023, 12, 14)
    for name, records in analysis.tables.items():
        table = records.to_arrow()
        assert isinstance(table, pa.Table) and table.schema.equals(arrow_schema(name))
        assert list(records.to_pandas().columns) == arrow_schema(name).names
        assert all(r.table == name for r in records)


def test_records_are_typed_and_their_offsets_point_into_the_text(analysis):
    names = {e.entity_id: e.name for e in analysis.entities}
    assert {names[m.entity_id] for m in analysis.mentions if m.text == "Cruise"} == {"Tom Cruise"}
    for table in ("mentions", "time_expressions", "quotations", "events"):
        for r in getattr(analysis, table):
            assert TEXT[r.start_char:r.end_char] == (r.text if table != "events" else r.trigger)
    saturday = next(t for t in analysis.time_expressions if t.text.startswith("Saturday"))
    assert saturday.value == "2023-12-09"
    speakers = {(q.kind, q.speaker_text, names.get(q.speaker_entity_id)) for q in analysis.quotations}
    assert speakers == {("direct", "Cruise", "Tom Cruise"), ("indirect", "police", None)}


def test_records_survive_pickling_as_worker_processes_send_them(analysis):
    again = pickle.loads(pickle.dumps(analysis))
    assert again.tables.keys() == analysis.tables.keys()
    assert all(again.tables[t] == analysis.tables[t] for t in analysis.tables)
    assert type(again.mentions[0]).__name__ == "Mention"


@pytest.mark.parametrize("published", ["2023-02-30", "yesterday", 20231214])
def test_a_bad_publication_date_is_refused_with_a_clear_error(nlp, published):
    with pytest.raises((ValueError, TypeError), match="published"):
        broadsheet.analyze(TEXT, published=published, nlp=nlp)


def test_analyze_many_streams_every_input_form_in_order_as_analyze_does(nlp):
    articles = [TEXT, (TEXT, date(2023, 12, 14)), {"id": "x1", "text": "Obama spoke on Monday.", "date": "2016-09-14"},
                {"text": "No date here."}]
    results = list(broadsheet.analyze_many(articles, batch_size=3))
    assert [r.doc_id for r in results] == [doc_id_for(TEXT), doc_id_for(TEXT), "x1", doc_id_for("No date here.")]
    assert [r.published for r in results] == [None, date(2023, 12, 14), date(2016, 9, 14), None]
    alone = broadsheet.analyze(TEXT, published=date(2023, 12, 14), nlp=nlp)
    assert {t: r.rows() for t, r in results[1].tables.items()} == {t: r.rows() for t, r in alone.tables.items()}
    with pytest.raises(TypeError, match="text"):
        list(broadsheet.analyze_many([{"body": "no text key"}]))


def test_analyze_many_in_worker_processes_gives_the_same_values():
    articles = [(TEXT, "2023-12-14"), "Angela Merkel spoke in Berlin on Monday.", {"id": "b", "text": "Nothing."}]
    here = [{t: r.rows() for t, r in a.tables.items()} for a in broadsheet.analyze_many(articles)]
    there = [{t: r.rows() for t, r in a.tables.items()}
             for a in broadsheet.analyze_many(articles, n_process=2, batch_size=1)]
    assert there == here


def test_a_third_party_pipeline_takes_the_components_by_name_and_warns_once_of_a_missing_helper():
    nlp = spacy.load(DEFAULT_MODEL)  # not broadsheet.load_nlp: the components come from the entry points
    nlp.add_pipe("broadsheet_names")
    nlp.add_pipe("broadsheet_quotes")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        docs = list(nlp.pipe([TEXT, TEXT]))
    messages = [str(w.message) for w in caught]
    assert len(messages) == 2 and all(len(m.splitlines()) == 1 for m in messages)
    assert any("broadsheet_name_patterns" in m for m in messages)
    assert any("broadsheet_paragraph_sentences" in m for m in messages)
    doc = docs[0]
    speaker = {e.entity_id: e.name for e in doc._.entities}[doc._.quotations[0].speaker_entity_id]
    assert speaker == "Tom Cruise"
    assert doc._.events is None and doc._.timexes is None  # components not added set nothing
    tsvetkov = [ent for ent in doc.ents if ent.text == "Cruise"]
    assert tsvetkov and {ent._.entity_id for ent in tsvetkov} == {doc._.mentions[0].entity_id}
    assert [s.text for s in doc._.mention_spans] == [m.text for m in doc._.mentions]


def test_a_component_missing_what_it_needs_says_so_in_one_line():
    nlp = spacy.load(DEFAULT_MODEL)
    nlp.add_pipe("broadsheet_quotes")
    with pytest.raises(MissingAnnotation) as caught:
        nlp(TEXT)
    assert "broadsheet_names" in str(caught.value) and len(str(caught.value).splitlines()) == 1
    blank = spacy.blank("en")
    blank.add_pipe("broadsheet_names")
    with pytest.raises(MissingAnnotation, match="ner"):
        blank(TEXT)


def test_load_nlp_adds_every_declared_extractor_once_in_schema_order(nlp):
    names = [n for n in nlp.pipe_names if n in extractor_names()]
    assert names == extractor_names()
    assert nlp.pipe_names.index("broadsheet_name_patterns") < nlp.pipe_names.index("ner")
    assert nlp.pipe_names.index("broadsheet_paragraph_sentences") < nlp.pipe_names.index("parser")
    again = spacy.load(DEFAULT_MODEL)
    add_components(again)
    add_components(again)  # a second call adds nothing
    assert again.pipe_names == nlp.pipe_names


def test_published_on_the_doc_resolves_relative_dates(nlp):
    doc = nlp.make_doc("The talks ended on Saturday.")
    doc._.published = date(2023, 12, 14)
    assert [t.value for t in nlp(doc)._.timexes] == ["2023-12-09"]
    assert [t.value for t in nlp("The talks ended on Saturday.")._.timexes] == ["XXXX-WXX-6"]
