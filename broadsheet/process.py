"""A batch of Articles → table rows: spaCy over the batch, then the pure extractors per document.

Runs in whichever process holds the model (the flow's own, or a worker of `worker_pool`); it does
no file I/O and knows nothing of Prefect.
"""

from __future__ import annotations

import gc
import hashlib
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import pyarrow as pa
import spacy

import broadsheet
from broadsheet.extract import extract_records, extractor_pipes
from broadsheet.extract.docs import keep_text
from broadsheet.extract.gazetteer import version as gazetteer_version
from broadsheet.ingest import Article, Reject
from broadsheet.nlp import load_nlp
from broadsheet.tables import ValidationError, spec, to_arrow, validate_all


@lru_cache(maxsize=4)
def pipeline_version(model: str) -> str:
    """Package, model and spaCy versions and a hash of the extraction code and data (and of the gazetteer's
    package versions): any change reprocesses."""
    digest = hashlib.sha256()
    package = resources.files("broadsheet")
    for folder in (package.joinpath("extract"), package.joinpath("extract").joinpath("data")):
        for item in sorted(folder.iterdir(), key=lambda p: p.name):
            if item.is_file() and not item.name.endswith(".pyc"):
                digest.update(item.name.encode())
                digest.update(item.read_bytes())
    digest.update(gazetteer_version().encode())  # the gazetteer's packages are rule data too
    rules = digest.hexdigest()[:10]
    return f"{broadsheet.__version__}+{model}-{model_version(model)}+spacy-{spacy.__version__}+{rules}"


@lru_cache(maxsize=4)
def model_version(model: str) -> str:
    """The installed model package's version, read without loading the model."""
    from spacy.util import get_package_version

    return get_package_version(model) or "unknown"


def document_row(article: Article, run_id: str, version: str, filled: dict | None = None) -> dict:
    """The article's documents row. `filled` holds the columns components computed for the article
    (`doc._.tone`); the other declared columns a component fills are null when it did not run."""
    row = {
        "doc_id": article.doc_id, "source": article.source, "published": article.published,
        "text": article.text, "title": article.title, "url": article.url, "outlet": article.outlet,
        "input_path": article.input_path, "encoding": article.encoding,
        "warnings": "; ".join(article.warnings) or None, "n_chars": len(article.text),
        "pipeline_version": version, "run_id": run_id,
    }
    filled = filled or {}
    for column in spec("documents").column_names:
        row.setdefault(column, filled.get(column))
    return row


@dataclass
class BatchResult:
    """A batch's validated Arrow tables (compact to hold and to ship between processes) and its rejects."""

    tables: dict[str, pa.Table] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)
    seconds_parse: float = 0.0  # inside spaCy's nlp.pipe
    seconds_rules: float = 0.0  # inside Broadsheet's extractors and the contract check


def process_batch(articles: list[Article], model: str, run_id: str) -> BatchResult:
    """Parse and extract a batch; an article whose extraction fails or breaks the contract is rejected."""
    with _rare_collections():
        return _process_batch(articles, model, run_id)


BATCH_GC_THRESHOLDS = (20_000, 20, 20)  # young-generation allocations, then collections per older one


@contextmanager
def _rare_collections() -> Iterator[None]:
    """Collect garbage less often during a batch. Its records are small objects that live until the
    batch's tables are built; the default thresholds (700, 10, 10) scan them again and again and promote
    them into full collections of the whole heap, about 1% of a run for no memory returned."""
    before = gc.get_threshold()
    gc.set_threshold(*BATCH_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _process_batch(articles: list[Article], model: str, run_id: str) -> BatchResult:
    """process_batch's work: spaCy over the batch, then the extractors and the contract per article."""
    nlp = load_nlp(model)
    version = pipeline_version(model)
    result = BatchResult()
    extracted: list[tuple[Article, dict[str, list[dict]]]] = []
    # spaCy's parse for the batch, then the extractors article by article: one failing article is a
    # reject, not a lost batch, and the parse and the rules are timed apart
    extractors = extractor_pipes(nlp)
    docs = nlp.pipe((a.text for a in articles), batch_size=32, disable=[name for name, _ in extractors])
    clock = time.perf_counter
    for article in articles:
        started = clock()
        doc = next(docs)
        parsed = clock()
        result.seconds_parse += parsed - started
        keep_text(doc, article.text)
        try:
            records = extract_records(doc, extractors, article.doc_id, article.published)
        except Exception as exc:  # one bad article must not sink the batch: it becomes a reject
            result.rejects.append(_internal_error(article, exc, version))
            continue
        finally:
            result.seconds_rules += clock() - parsed
        records["documents"] = [document_row(article, run_id, version, doc._.tone)]
        extracted.append((article, records))
    started = clock()
    try:  # validating the batch at once is cheap; only a failing batch is checked article by article
        result.tables = checked_tables(combine_records(records for _, records in extracted))
    except ValidationError:
        kept = []
        for article, records in extracted:
            try:
                checked_tables(records)
                kept.append((article, records))
            except ValidationError as exc:
                result.rejects.append(_internal_error(article, exc, version))
        result.tables = checked_tables(combine_records(records for _, records in kept))
    result.seconds_rules += clock() - started
    return result


def _internal_error(article: Article, exc: Exception, version: str) -> Reject:
    return Reject(article.source, "internal_error", f"{type(exc).__name__}: {exc}", article.input_path,
                  doc_id=article.doc_id, pipeline_version=version)


def combine_records(per_document: Iterable[dict[str, list[dict]]]) -> dict[str, list[dict]]:
    """Several articles' records as one set of rows per table."""
    rows: dict[str, list[dict]] = defaultdict(list)
    for records in per_document:
        for table, table_rows in records.items():
            rows[table].extend(table_rows)
    return rows


def checked_tables(records: dict[str, list[dict]]) -> dict[str, pa.Table]:
    """Rows as Arrow tables, validated against the contract: columns, types, keys, foreign keys and spans."""
    tables = {name: to_arrow(name, unique_rows(name, rows)) for name, rows in records.items()}
    validate_all(tables)
    return tables


def unique_entities(rows: list[dict]) -> list[dict]:
    return list({row["entity_id"]: row for row in rows}.values())


def unique_rows(name: str, rows: list[dict]) -> list[dict]:
    """Rows of a corpus-level table that several articles of a batch fill (entities, places) made unique
    by key, the later article's row winning; other tables' rows as they are."""
    table_spec = spec(name)
    if table_spec.per_document or table_spec.extracted_by is None or len(table_spec.key) != 1:
        return rows
    key = table_spec.key[0]
    return list({row[key]: row for row in rows}.values())


def _warm_worker(model: str) -> None:
    load_nlp(model)


_ACTIVE_POOL: ProcessPoolExecutor | None = None


def active_pool() -> ProcessPoolExecutor | None:
    """The pool of the running `worker_pool` block, if any (tasks submit their batch to it)."""
    return _ACTIVE_POOL


@contextmanager
def worker_pool(workers: int, model: str) -> Iterator[ProcessPoolExecutor | None]:
    """A pool of `workers` processes, each with the model loaded once; None when workers <= 1."""
    global _ACTIVE_POOL
    if workers <= 1:
        yield None
        return
    import multiprocessing

    # spawn, not fork: the parent holds Prefect's threads and event loop, which fork would copy mid-state.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_warm_worker,
                             initargs=(model,)) as pool:
        _ACTIVE_POOL = pool
        try:
            yield pool
        finally:
            _ACTIVE_POOL = None
