"""broadsheet_links (the worked example of a plug-in extractor) and the plug-in mechanism itself: a
component and a table declaration are all a new extractor needs."""

from __future__ import annotations

import re

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

import broadsheet
from broadsheet import tables
from broadsheet.config import DEFAULT_MODEL
from broadsheet.extract import add_components
from broadsheet.extract.component import Extractor, doc_id_of, register_extensions, set_records
from broadsheet.extract.records import record_class
from broadsheet.ingest import Article
from broadsheet.process import checked_tables, combine_records, document_row


def links(nlp, text: str) -> list[tuple[str, str, str, str | None]]:
    return [(r.text, r.kind, r.target, r.domain) for r in broadsheet.analyze(text, nlp=nlp).links]


def test_urls_addresses_handles_and_hashtags_with_their_targets(nlp):
    text = ("Follow @realDonaldTrump and #MAGA (see http://WWW.CNN.com/2016/a.html). Email tips@Politico.com "
            "or read politico.com/news \u2014 pic.twitter.com/AbC12")
    assert links(nlp, text) == [
        ("@realDonaldTrump", "handle", "realdonaldtrump", None),
        ("#MAGA", "hashtag", "maga", None),
        ("http://WWW.CNN.com/2016/a.html", "url", "http://www.cnn.com/2016/a.html", "cnn.com"),
        ("tips@Politico.com", "email", "tips@politico.com", "politico.com"),
        ("politico.com/news", "url", "http://politico.com/news", "politico.com"),
        ("pic.twitter.com/AbC12", "url", "http://pic.twitter.com/AbC12", "pic.twitter.com"),
    ]


@pytest.mark.parametrize("text", ["He wrote C# and F# code.", "They ranked #1 and won 3 #s.", "Meet @ 5pm.",
                                  "The user@ sign.", "Tag # MAGA apart."])
def test_signs_that_start_no_handle_or_hashtag_are_not_links(nlp, text):
    assert links(nlp, text) == []


def test_links_keep_the_contract_in_a_batch(nlp):
    text = "Read cnn.com and follow @CNN, #news."
    analysis = broadsheet.analyze(text, nlp=nlp)
    table = analysis.links.to_arrow()
    assert table.column("kind").to_pylist() == ["url", "handle", "hashtag"]
    assert all(text[r.start_char:r.end_char] == r.text for r in analysis.links)


# ------------------------------------------------------------------------- the plug-in mechanism

SHOUTS = """
shouts:
  description: One row per word written in capitals.
  key: [doc_id, start_char]
  extracted_by: {component: test_shouts, attribute: shouts, record: Shout}
  per_document: true
  references: {doc_id: documents.doc_id}
  columns:
    doc_id: {type: string, nullable: false, description: "Article."}
    start_char: {type: int64, nullable: false, description: "Start."}
    end_char: {type: int64, nullable: false, description: "End."}
    text: {type: string, nullable: false, description: "The word."}
"""


class Shouts(Extractor):
    def annotate(self, doc: Doc) -> None:
        shout = record_class("shouts")
        set_records(doc, "shouts", [shout(doc_id=doc_id_of(doc), start_char=m.start(), end_char=m.end(), text=m[0])
                                    for m in re.finditer(r"\b[A-Z]{3,}\b", doc.text)])


@Language.factory("test_shouts")
def make_shouts(nlp: Language, name: str) -> Shouts:
    return Shouts(nlp, name)


def test_a_new_extractor_needs_only_its_factory_and_its_table(monkeypatch):
    real = tables.table_specs()
    monkeypatch.setattr(tables, "table_specs", lambda: {**real, **tables.parse_table_specs(SHOUTS)})
    register_extensions()
    nlp = spacy.load(DEFAULT_MODEL)
    add_components(nlp)
    names = nlp.pipe_names
    assert names.index("test_shouts") == names.index("broadsheet_amounts") + 1  # after the tables declared before it
    analysis = broadsheet.analyze("The NATO summit met in PARIS.", nlp=nlp)
    assert [s.text for s in analysis.shouts] == ["NATO", "PARIS"]
    assert analysis.shouts.to_arrow().num_rows == 2
    rows = {name: found.rows() for name, found in analysis.tables.items()}
    article = Article(doc_id=analysis.doc_id, source="x.txt", input_path="/x.txt", text=analysis.text, published=None)
    rows["documents"] = [document_row(article, "r", "v", analysis.tone)]
    assert checked_tables(combine_records([rows]))["shouts"].num_rows == 2

