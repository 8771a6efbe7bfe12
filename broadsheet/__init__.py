"""Broadsheet: news articles in, joinable tables out — as a library and as a command.

    import broadsheet
    a = broadsheet.analyze(text, published="2023-12-14")      # one article -> Analysis
    a.quotations.to_pandas()
    for a in broadsheet.analyze_many(records, n_process=2):   # many, streaming
        ...
    nlp = broadsheet.load_nlp()                                # spaCy with every component
    doc = nlp(text); doc._.quotations, doc._.events, doc._.timexes, doc.ents[0]._.entity_id

The names are imported on first use, so `import broadsheet` stays cheap for the command line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["Analysis", "Records", "analyze", "analyze_many", "load_nlp", "__version__"]

_EXPORTS = {"Analysis": "broadsheet.api", "analyze": "broadsheet.api", "analyze_many": "broadsheet.api",
            "load_nlp": "broadsheet.api", "Records": "broadsheet.extract.records"}

if TYPE_CHECKING:
    from broadsheet.api import Analysis, analyze, analyze_many, load_nlp
    from broadsheet.extract.records import Records


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'broadsheet' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(module), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
