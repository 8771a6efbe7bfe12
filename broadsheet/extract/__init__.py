"""Extraction: Broadsheet's spaCy components, and the table rows made once from an annotated Doc.

Each extracted table in schemas/tables.yaml names the component that fills it (`extracted_by`); the
components are spaCy factories (`broadsheet_names`, `broadsheet_dates`, `broadsheet_quotes`,
`broadsheet_events`, registered through the `spacy_factories` entry point) that read each other's
records from the Doc and set their own there. A new extractor is a module with a registered factory
and its table declared in the schema: nothing here names one.

Pure: no file I/O, no Prefect, no network. The rows are dicts keyed by the declared columns
(broadsheet.tables validates them before writing).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from broadsheet.extract.component import Extractor, records_on
from broadsheet.extract.docs import release
from broadsheet.tables import extracted_tables, table_specs

Pipe = Callable[[Doc], Doc]


def extractor_names() -> list[str]:
    """The extractor components the schema names: those that make a table's records, in the order their
    tables are declared, then those that fill columns of records others made (`filled_by`)."""
    makers = [t.extracted_by.component for t in extracted_tables()]
    fillers = [name for t in table_specs().values() for name in t.filled_by]
    return list(dict.fromkeys([*makers, *fillers]))


def add_components(nlp: Language) -> None:
    """Add every declared extractor to a loaded model (last, in schema order), and the components each
    needs inside the parse (the name patterns before the NER, paragraph sentences before the parser)."""
    for name in extractor_names():
        if name in nlp.pipe_names:
            continue
        try:
            extractor = nlp.add_pipe(name)
        except ValueError as exc:  # spaCy's E002: no such factory
            raise RuntimeError(f"extractor {name!r} (declared in schemas/tables.yaml) is not a registered spaCy "
                               f"factory: is broadsheet installed (pip install -e .)?") from exc
        for helper, before in getattr(extractor, "helpers", ()):
            if helper not in nlp.pipe_names and before in nlp.pipe_names:
                nlp.add_pipe(helper, before=before)


def extractor_pipes(nlp: Language) -> list[tuple[str, Pipe]]:
    """The pipeline's extractor components, in pipeline order (spaCy's own components excluded)."""
    return [(name, proc) for name, proc in nlp.pipeline if isinstance(proc, Extractor)]


def annotate(doc: Doc, extractors: list[tuple[str, Pipe]], doc_id: str | None = None,
             published: date | None = None) -> Doc:
    """Run the extractor components on a parsed Doc, for the article `doc_id` published on `published`."""
    doc._.doc_id = doc_id
    doc._.published = published
    try:
        for _, proc in extractors:
            doc = proc(doc)
    finally:
        release(doc)  # also when an extractor fails: the shared lists go with the article
    return doc


def rows_of(doc: Doc) -> dict[str, list[dict]]:
    """The table rows of an annotated Doc: one list per extracted table whose component has run."""
    rows = {}
    for table in extracted_tables():
        records = records_on(doc, table.name)
        if records is not None:
            rows[table.name] = records.rows()
    return rows


def extract_records(doc: Doc, extractors: list[tuple[str, Pipe]], doc_id: str,
                    published: date | None) -> dict[str, list[dict]]:
    """All rows of one parsed article: its extractors run, then each table's records as rows."""
    return rows_of(annotate(doc, extractors, doc_id, published))
