"""Extraction: a parsed spaCy Doc plus the article's metadata in, table records out.

Pure functions only: no file I/O, no Prefect, no network. Each record is a dict whose keys are the
column names declared in schemas/tables.yaml (broadsheet.tables validates them before writing).
"""

from __future__ import annotations

from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from broadsheet.extract import dates, events, names, quotes
from broadsheet.extract.docs import release

# Tables whose rows extraction produces, in the order they are built.
EXTRACTED_TABLES = ("entities", "mentions", "time_expressions", "quotations", "events", "event_participants")


def add_components(nlp: Language) -> None:
    """Add each extractor's spaCy components (entity patterns and the like) to a loaded model."""
    for module in (names, dates, quotes, events):
        hook = getattr(module, "add_components", None)
        if hook is not None:
            hook(nlp)


def extract_records(doc: Doc, doc_id: str, published: date | None) -> dict[str, list[dict]]:
    """All records of one article: entities, mentions, time expressions, quotations, events."""
    try:
        entities, mentions = names.extract_entities(doc, doc_id)
        timexes = dates.extract_time_expressions(doc, doc_id, published)
        quotations = quotes.extract_quotations(doc, doc_id, entities, mentions)
        event_rows, participants = events.extract_events(doc, doc_id, entities, mentions, timexes, quotations)
    finally:
        release(doc)
    return {
        "entities": entities,
        "mentions": mentions,
        "time_expressions": timexes,
        "quotations": quotations,
        "events": event_rows,
        "event_participants": participants,
    }
