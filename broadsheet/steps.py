"""A run's steps as plain functions, in the order a run takes them: scan and plan, extract, commit.

The Prefect flow (broadsheet/flows/pipeline.py) wraps the I/O steps in tasks (for retries) and runs the
extraction batch by batch; `broadsheet run` calls the same steps directly, with no Prefect and no
model, when planning finds nothing to extract (a scheduled run over a corpus with no new articles).
So the two paths cannot drift apart: there is one sequence of steps, and only who calls it differs.

What a step costs with a million stored articles: scanning reads every input once (the content hash
decides what changed) and keeps three short strings per input, never the texts; planning reads the
document index rows of the run's inputs only (broadsheet.store.read_doc_index); extraction reads the
articles it processes, a batch at a time, in the process that parses them; committing costs what
broadsheet.delta says (the touched months and the corpus-level tables).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from broadsheet import corpus, delta, process, runlog, store, warehouse
from broadsheet.config import Settings
from broadsheet.ingest import Article, ArticleRef, Reject, discover_inputs, read_articles, scan_inputs
from broadsheet.plan import RunPlan, plan_run
from broadsheet.tables import to_arrow


def scan(paths: list[str]) -> list[ArticleRef | Reject]:
    """Every input under `paths` as an ArticleRef or a Reject (the texts are read, hashed and dropped)."""
    files, missing = discover_inputs(paths)
    return [*missing, *scan_inputs(files, Settings())]


def read_existing(out: Path, doc_ids: list[str], input_paths: list[str]) -> dict[str, pa.Table]:
    """What planning needs of the store: every table when it must be merged whole (a store written before
    the entity index), else the rejects and the index rows of the stored documents the run's inputs can
    meet (the same text or the same input file)."""
    store.recover(out)
    if delta.can_update(out):
        return {"documents": store.read_doc_index(out, doc_ids, input_paths),
                "rejects": store.read_table(out, "rejects")}
    return store.read_tables(out)


def extract_inputs(refs: list[ArticleRef], model: str, run_id: str,
                   settings: Settings | None = None) -> process.BatchResult:
    """Read a batch's articles from their inputs, then parse and extract them. Runs where the batch is
    parsed (this process, a worker process, a Dask worker), so the texts never pass through the driver."""
    records = read_articles(refs, settings)
    result = process.process_batch([r for r in records if isinstance(r, Article)], model, run_id)
    result.rejects[:0] = [r for r in records if isinstance(r, Reject)]
    return result


def write(out: Path, tables: dict[str, pa.Table], run_id: str, only: list[str] | None = None,
          touched: dict[str, set[str]] | set[str] | None = None,
          relinked_rows: Callable[[str], dict[str, pa.Table]] | None = None) -> None:
    store.write_tables(out, tables, run_id, only=only, touched=touched, relinked_rows=relinked_rows)


def load_warehouse(out: Path, only: list[str] | None = None) -> dict[str, int]:
    return warehouse.load_duckdb(out, out / "broadsheet.duckdb", only=only)


def load_postgres(out: Path, dsn: str) -> dict[str, int]:
    """Sync the tables into PostgreSQL (idempotent, so a retry is safe)."""
    return warehouse.load_postgres(out, dsn).rows


@dataclass
class Steps:
    """The I/O steps of a run: these functions as they are, or the flow's Prefect tasks wrapping them."""

    scan: Callable[..., list] = scan
    read_existing: Callable[..., dict[str, pa.Table]] = read_existing
    write: Callable[..., None] = write
    load_warehouse: Callable[..., dict[str, int]] = load_warehouse
    load_postgres: Callable[..., dict[str, int]] = load_postgres
    log: Callable[..., None] = logging.getLogger("broadsheet").info


@dataclass
class Run:
    """One run: its id, when it started, the clock of its stages, what it planned and what it found stored."""

    run_id: str
    started: datetime
    clock: runlog.StageClock
    model: str
    plan: RunPlan | None = None
    existing: dict[str, pa.Table] | None = None


def start(model: str, process_started: float | None = None) -> Run:
    """A new run. `process_started` (epoch seconds) is when the calling command started: the run's seconds
    count from then, as the user waited."""
    started = datetime.now(UTC)
    run_id = started.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    return Run(run_id, started, runlog.StageClock(process_started), model)


def plan_inputs(run: Run, paths: list[str], out: Path, full: bool, steps: Steps) -> RunPlan:
    """Scan the inputs and split them into work to do, work done and rejects (the `ingest` stage)."""
    refs = steps.scan(paths)
    run.existing = steps.read_existing(out, [r.doc_id for r in refs if isinstance(r, ArticleRef)],
                                       [r.input_path for r in refs if r.input_path is not None])
    run.plan = plan_run(refs, run.existing["documents"], process.pipeline_version(run.model), full,
                        run.existing["rejects"])
    steps.log("%d inputs: %d to process, %d unchanged, %d rejected", len(run.plan.input_keys),
              len(run.plan.to_process), len(run.plan.unchanged), len(run.plan.rejects))
    run.clock.lap("ingest")
    return run.plan


def merge(out: Path, existing: dict[str, pa.Table], new: dict[str, pa.Table], plan: RunPlan,
          log: Callable[..., None]) -> tuple[dict, list[str], dict[str, set[str]] | None, Callable | None]:
    """The tables to write, which of them changed, the months each per-document table covers (None:
    whole tables), and the rows of the months only a relink touched, by month (store.write_tables).

    A store with an entity index takes the run by the month partitions it touches (broadsheet.delta);
    one without is merged whole once, which writes the index."""
    if "text" not in existing["documents"].schema.names:  # the document index: merge by partition
        update = delta.merge_update(out, new, plan.replaced_doc_ids, plan.input_keys, existing["documents"])
        log("merged by month: %d months touched (%d for entities the corpus merged)",
            len(update.months), len(update.relinked))
        return update.to_write(), update.changed(out), update.touched, update.relinked_rows
    tables = corpus.finish_tables(store.merge_run(existing, new, plan.replaced_doc_ids, plan.input_keys))
    changed = store.changed_tables(out, existing, tables)
    return {**tables, store.ENTITY_INDEX: delta.full_index(tables)}, [*changed, store.ENTITY_INDEX], None, None


def commit(run: Run, results: list[process.BatchResult], out: Path, steps: Steps, load: bool = True,
           load_to: str | None = None) -> dict:
    """Merge the batches' tables into the store, write what changed, load the warehouse, and record the
    run's row; returns the run's summary. The extract stage ends where this starts."""
    plan, clock = run.plan, run.clock
    clock.lap("extract")
    runlog.add_work_seconds(clock, results)
    new = runlog.combine_batches(results, plan, run.run_id)
    # an input whose text changed between the scan and its batch's read was processed with its new text
    plan.replaced_doc_ids.update(new["documents"].column("doc_id").to_pylist())
    processed = new["documents"].num_rows
    counts = {"processed": processed, "documents": processed + len(plan.unchanged),
              "rejects": new["rejects"].num_rows}
    new["runs"] = to_arrow("runs", [runlog.run_row(run.run_id, run.started, clock, plan, counts, run.model)])
    tables, changed, touched, relinked_rows = merge(out, run.existing, new, plan, steps.log)
    clock.lap("merge")
    # only what changed is rewritten and reloaded: a rerun with nothing new touches just `runs`
    steps.write(out, tables, run.run_id, only=changed, touched=touched, relinked_rows=relinked_rows)
    clock.lap("write")
    # the warehouse loads each table whose version it does not hold yet: what this run changed, by
    # month, and whatever a killed run left it behind on
    loaded = steps.load_warehouse(out) if load else {}
    clock.lap("load")
    # the run's own row, now that every stage is timed (a small second swap of one table)
    final_row = to_arrow("runs", [runlog.run_row(run.run_id, run.started, clock, plan, counts, run.model)])
    tables["runs"] = pa.concat_tables([tables["runs"].slice(0, tables["runs"].num_rows - 1), final_row])
    steps.write(out, {"runs": tables["runs"]}, run.run_id + "-final")
    if load:
        steps.load_warehouse(out, only=["runs"])
    if load_to:
        steps.load_postgres(out, load_to)
    return {
        "run_id": run.run_id, "inputs": len(plan.input_keys), **counts, "unchanged": len(plan.unchanged),
        "rows": store.row_counts(out),
        "warehouse": str(out / "broadsheet.duckdb") if load else None, "loaded": loaded,
        "seconds": round(clock.total(), 2), "stages": clock.seconds,
        "reject_rows": new["rejects"].slice(0, 50).to_pylist(),  # the first few, for the run's artifact
    }


# Runs planned by `run_if_nothing_to_extract` that found work, for the flow of the same process to take up
# (keyed by output folder and inputs): the caller holds the store's lock in between, so the plan stays true.
_PLANNED_AHEAD: dict[tuple[str, tuple[str, ...], str], Run] = {}


def run_if_nothing_to_extract(paths: list[str], out: Path, model: str, load: bool = True,
                              load_to: str | None = None, process_started: float | None = None) -> dict | None:
    """The whole run, without Prefect and without loading the model, when no input needs extracting (every
    article unchanged, or rejected). When there is work, returns None having written nothing, and the
    flow called next in this process, under the same lock, starts from this plan instead of scanning again."""
    with store.run_lock(out):
        run = start(model, process_started)
        if plan_inputs(run, paths, out, full=False, steps=Steps()).to_process:
            _PLANNED_AHEAD[_plan_key(paths, out, model)] = run
            return None
        return commit(run, [], out, Steps(), load=load, load_to=load_to)


def planned_ahead(paths: list[str], out: Path, model: str) -> Run | None:
    """The run `run_if_nothing_to_extract` planned for these inputs and store, if any (taken once)."""
    return _PLANNED_AHEAD.pop(_plan_key(paths, out, model), None)


def _plan_key(paths: list[str], out: Path, model: str) -> tuple[str, tuple[str, ...], str]:
    return str(Path(out).resolve()), tuple(str(p) for p in paths), model
