"""Property tests: whatever text comes in, every extractor's rows keep the table contract
(declared columns and types, unique keys, resolving foreign keys, exact spans)."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import broadsheet
from broadsheet.extract.ids import doc_id_for
from broadsheet.ingest import Article
from broadsheet.process import checked_tables, document_row

FRAGMENTS = [
    "Tom Cruise", "Mr. Smith", "Dr. Ana Lopez", "the minister", "he", "she", "they", "said", "told reporters",
    "according to", "added:", "“", "”", "\"", "'", "‘", "’", "«", "»", "(", ")", "—", "-", ":", ",", ".", "\n\n",
    "on Saturday (December 9)", "last week", "two years ago", "May", "2023-12-09", "12/09/2023", "the 1990s",
    "every week", "ten years", "1,000,000", "36-year-old", "divorced", "was arrested", "married", "met with",
    "in London", "at the High Court", "The Daily Mail", "Russia", "😀", "مرحبا", "\u200b", "\t", "&amp;", "<p>",
]
texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(min_size=1, max_size=12)), min_size=1,
                 max_size=40).map(" ".join).filter(str.strip)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts, published=st.one_of(st.none(), st.dates(min_value=date(1850, 1, 1), max_value=date(2100, 1, 1))))
def test_extractors_keep_the_contract_on_any_text(nlp, text, published):
    text = text.strip()
    doc_id = doc_id_for(text)
    analysis = broadsheet.analyze(text, published, nlp=nlp)
    records = {name: found.rows() for name, found in analysis.tables.items()}
    article = Article(doc_id=doc_id, source="x.txt", input_path="/x.txt", text=text, published=published)
    records["documents"] = [document_row(article, "run", "v")]
    checked_tables(records)  # raises on any broken column, key, reference or span
