"""What every Broadsheet extractor component shares: the Doc extensions, the article's id and date,
and the check that the pipeline gives a component what it needs.

Extractors are spaCy components (registered factories, `broadsheet_names` and so on) that talk to each
other only through the Doc: each sets its records as a Doc extension named in schemas/tables.yaml
(`doc._.mentions`, `doc._.timexes`, `doc._.quotations`, `doc._.events`), and later components read
them there. Table rows are made once, at the end, from those records (broadsheet.extract.rows_of).

Extensions set here:
  - `doc._.doc_id`, `doc._.published`: the article's id and publication date, set before the
    components run (the id defaults to the hash of the text, the date to unknown);
  - one `doc._.<attribute>` per extracted table (None until its component has run);
  - `doc._.tone`: the article's tone columns of `documents` (broadsheet_tone), None until computed;
  - `span._.entity_id`: the entity of the mention at this span (or of the one entity whose mentions
    it holds), or None;
  - `doc._.mention_spans`: the mentions as spaCy Spans (label = entity type, kb_id = entity id).

What it does not do: extract anything itself, or touch files.
"""

from __future__ import annotations

import warnings
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc, Span

from broadsheet.extract.docs import release
from broadsheet.extract.ids import doc_id_for
from broadsheet.extract.records import Record, Records
from broadsheet.tables import extracted_tables, spec


class MissingAnnotation(ValueError):
    """A component ran on a Doc that lacks what it needs (a parse, or another component's records)."""


def _entity_id_of_span(span: Span) -> str | None:
    """The entity of the mention at exactly this span, else of the mentions inside it when they are all
    one entity's ("the Daily Mail" holds the mention "Daily Mail")."""
    inside = set()
    for m in span.doc._.mentions or ():
        if m.start_char == span.start_char and m.end_char == span.end_char:
            return m.entity_id
        if span.start_char <= m.start_char and m.end_char <= span.end_char:
            inside.add(m.entity_id)
    return inside.pop() if len(inside) == 1 else None


def _mention_spans(doc: Doc) -> list[Span]:
    types = {e.entity_id: e.type for e in doc._.entities or ()}
    spans = []
    for m in doc._.mentions or ():
        span = doc.char_span(m.start_char, m.end_char, label=types.get(m.entity_id, ""), kb_id=m.entity_id,
                             alignment_mode="expand")
        if span is not None:
            spans.append(span)
    return spans


def register_extensions() -> None:
    """Declare the Doc and Span extensions (once per process; a repeat call changes nothing)."""
    for name in ("doc_id", "published", "tone", *(t.extracted_by.attribute for t in extracted_tables())):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if not Doc.has_extension("mention_spans"):
        Doc.set_extension("mention_spans", getter=_mention_spans)
    if not Span.has_extension("entity_id"):
        Span.set_extension("entity_id", getter=_entity_id_of_span)


register_extensions()


def doc_id_of(doc: Doc) -> str:
    """The article's id: the one set on `doc._.doc_id`, else the hash of its text (set there)."""
    if doc._.doc_id is None:
        doc._.doc_id = doc_id_for(doc.text)
    return doc._.doc_id


def published_of(doc: Doc) -> date | None:
    """The article's publication date (`doc._.published`), against which relative dates resolve."""
    return doc._.published


def set_records(doc: Doc, table: str, records: list[Record]) -> None:
    """Put a table's records on the Doc, in the extension schemas/tables.yaml names for the table."""
    setattr(doc._, spec(table).extracted_by.attribute, Records(table, records))


def records_on(doc: Doc, table: str) -> Records | None:
    """A table's records on the Doc, or None when its component has not run."""
    return getattr(doc._, spec(table).extracted_by.attribute)


class Extractor:
    """Base of Broadsheet's extractor components. A subclass says what it needs and fills `annotate`.

    needs_parse: spaCy annotations the Doc must have ("DEP", "ENT_IOB", "TAG");
    needs_tables: tables whose records an earlier component must have set;
    helpers: components that must run inside spaCy's parse for this one to work well, as
      (factory, the component they go before); `broadsheet.load_nlp` adds them, and a user's own
      pipeline gets a one-line warning when one is missing.
    """

    needs_parse: tuple[str, ...] = ()
    needs_tables: tuple[str, ...] = ()
    helpers: tuple[tuple[str, str], ...] = ()

    def __init__(self, nlp: Language, name: str) -> None:
        self.nlp = nlp
        self.name = name
        self._warned = False

    def __call__(self, doc: Doc) -> Doc:
        self.check(doc)
        try:
            self.annotate(doc)
        finally:
            if not self._later_extractors():
                release(doc)  # the per-document lists the extractors shared go with the last of them
        return doc

    def annotate(self, doc: Doc) -> None:
        raise NotImplementedError

    def check(self, doc: Doc) -> None:
        """Raise a one-line MissingAnnotation when the Doc lacks what this component needs."""
        if not self._warned:
            self._warned = True
            self._warn_missing_helpers()
        if not len(doc):
            return
        for attr in self.needs_parse:
            if not doc.has_annotation(attr):
                raise MissingAnnotation(f"{self.name} needs spaCy's {_PARSE_GIVERS.get(attr, attr)} in the "
                                        f"pipeline before it ({attr} is not set on the Doc)")
        for table in self.needs_tables:
            if records_on(doc, table) is None:
                giver = spec(table).extracted_by.component
                raise MissingAnnotation(f"{self.name} needs the {table} that {giver!r} sets: "
                                        f"nlp.add_pipe({giver!r}) before {self.name!r}")

    def _warn_missing_helpers(self) -> None:
        factories = {self.nlp.get_pipe_meta(n).factory for n in self.nlp.pipe_names}
        for helper, before in self.helpers:
            if helper not in factories:
                warnings.warn(f"{self.name}: {helper!r} is not in the pipeline, results will be poorer "
                              f"(nlp.add_pipe({helper!r}, before={before!r}))", stacklevel=3)

    def _later_extractors(self) -> bool:
        names = self.nlp.pipe_names
        if self.name not in names:
            return False
        return any(isinstance(proc, Extractor) for _, proc in self.nlp.pipeline[names.index(self.name) + 1:])


_PARSE_GIVERS = {"DEP": "parser", "ENT_IOB": "ner", "TAG": "tagger", "SENT_START": "parser or senter",
                 "POS": "tagger and attribute_ruler"}
