"""The Broadsheet Prefect flow: inputs → articles → batches through spaCy and the extractors → tables.

Thin on purpose: every step is a library function; this file only wires them over batches.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from broadsheet import corpus, delta, process, progress, runlog, store, warehouse
from broadsheet.config import DEFAULT_MODEL, Settings
from broadsheet.ingest import discover_inputs, read_inputs
from broadsheet.plan import plan_run
from broadsheet.tables import empty_table, to_arrow


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def ingest(paths: list[str]) -> list:
    """Every input under `paths` as an Article or a Reject (I/O: retried)."""
    files, missing = discover_inputs(paths)
    return [*missing, *read_inputs(files, Settings())]


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def read_existing(out: Path, doc_ids: list[str], input_paths: list[str]) -> dict[str, pa.Table]:
    """What planning needs of the store: every table when it must be merged whole (a store written before
    the entity index), else the rejects and the index rows of the stored documents the run's inputs can
    meet (the same text or the same input file)."""
    store.recover(out)
    if delta.can_update(out):
        return {"documents": store.read_doc_index(out, doc_ids, input_paths),
                "rejects": store.read_table(out, "rejects")}
    return store.read_tables(out)


@task(cache_policy=NO_CACHE)
def extract_batch(articles: list, model: str, run_id: str) -> process.BatchResult:
    """spaCy + extraction over one batch, in a worker process when the run has a pool."""
    pool = process.active_pool()
    if pool is None:
        return process.process_batch(articles, model, run_id)
    return pool.submit(process.process_batch, articles, model, run_id).result()


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def write(out: Path, tables: dict[str, pa.Table], run_id: str, only: list[str] | None = None,
          touched: set[str] | None = None) -> None:
    store.write_tables(out, tables, run_id, only=only, touched=touched)


def merge(out: Path, existing: dict[str, pa.Table], new: dict[str, pa.Table],
          plan) -> tuple[dict, list[str], set | None]:
    """The tables to write, which of them changed, and the months they cover (None: whole tables).

    A store with an entity index takes the run by the month partitions it touches (broadsheet.delta);
    one without is merged whole once, which writes the index."""
    if "text" not in existing["documents"].schema.names:  # the document index: merge by partition
        update = delta.merge_update(out, new, plan.replaced_doc_ids, plan.input_keys, existing["documents"])
        get_run_logger().info("merged by month: %d months touched (%d for entities the corpus merged)",
                              len(update.months), len(update.relinked))
        return update.to_write(), update.changed(out), update.months
    tables = corpus.finish_tables(store.merge_run(existing, new, plan.replaced_doc_ids, plan.input_keys))
    changed = store.changed_tables(out, existing, tables)
    return {**tables, store.ENTITY_INDEX: delta.full_index(tables)}, [*changed, store.ENTITY_INDEX], None


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def load_postgres(out: Path, dsn: str) -> dict[str, int]:
    """Sync the tables into PostgreSQL (idempotent, so a retry is safe)."""
    return warehouse.load_postgres(out, dsn).rows


@task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def load_warehouse(out: Path, only: list[str] | None = None) -> dict[str, int]:
    return warehouse.load_duckdb(out, out / "broadsheet.duckdb", only=only)


def _batches(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


@flow(name="broadsheet", log_prints=False)
def pipeline(paths: list[str], out: str = "data", workers: int = 1, batch_size: int = 64,
             model: str = DEFAULT_MODEL, full: bool = False, load: bool = True, load_to: str | None = None,
             process_started: float | None = None) -> dict:
    """Run Broadsheet over `paths` into the Parquet tables under `out` (and its DuckDB warehouse).
    `process_started` (epoch seconds) is when the calling command started: the run's seconds count from
    then, as the user waited."""
    logger = get_run_logger()
    started, clock = datetime.now(UTC), runlog.StageClock(process_started)
    run_id = started.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    out_dir = Path(out)
    with store.run_lock(out_dir):
        records = ingest(paths)
        existing = read_existing(out_dir, [r.doc_id for r in records if getattr(r, "doc_id", None)],
                                 [r.input_path for r in records if r.input_path is not None])
        plan = plan_run(records, existing["documents"], process.pipeline_version(model), full, existing["rejects"])
        logger.info("%d inputs: %d to process, %d unchanged, %d rejected", len(plan.input_keys),
                    len(plan.to_process), len(plan.unchanged), len(plan.rejects))
        clock.lap("ingest")
        batches = _batches(plan.to_process, batch_size)
        with process.worker_pool(workers, model), progress.articles_bar(len(plan.to_process)) as advance:
            futures = [extract_batch.submit(batch, model, run_id) for batch in batches]
            results = []
            for batch, future in zip(batches, futures, strict=True):
                results.append(future.result())
                advance(len(batch))
        clock.lap("extract")
        runlog.add_work_seconds(clock, results)
        new = runlog.combine_batches(results, plan, run_id)
        processed = len(plan.to_process) - sum(len(r.rejects) for r in results)
        counts = {"processed": processed, "documents": processed + len(plan.unchanged),
                  "rejects": new["rejects"].num_rows}
        new["runs"] = to_arrow("runs", [runlog.run_row(run_id, started, clock, plan, counts, model)])
        tables, changed, touched = merge(out_dir, existing, new, plan)
        clock.lap("merge")
        # only what changed is rewritten and reloaded: a rerun with nothing new touches just `runs`
        write(out_dir, tables, run_id, only=changed, touched=touched)
        clock.lap("write")
        # the warehouse loads each table whose version it does not hold yet: what this run changed, by
        # month, and whatever a killed run left it behind on
        loaded = load_warehouse(out_dir) if load else {}
        clock.lap("load")
        # the run's own row, now that every stage is timed (a small second swap of one table)
        final_row = to_arrow("runs", [runlog.run_row(run_id, started, clock, plan, counts, model)])
        tables["runs"] = pa.concat_tables([tables["runs"].slice(0, tables["runs"].num_rows - 1), final_row])
        write(out_dir, {"runs": tables["runs"]}, run_id + "-final")
        if load:
            load_warehouse(out_dir, only=["runs"])
        if load_to:
            load_postgres(out_dir, load_to)
        rows = store.row_counts(out_dir)
    summary = {
        "run_id": run_id, "inputs": len(plan.input_keys), **counts, "unchanged": len(plan.unchanged),
        "rows": rows,
        "warehouse": str(out_dir / "broadsheet.duckdb") if load else None, "loaded": loaded,
        "seconds": round(clock.total(), 2), "stages": clock.seconds,
    }
    _publish_artifact(summary, new.get("rejects", empty_table("rejects")))
    return summary


def _publish_artifact(summary: dict, rejects: pa.Table) -> None:
    lines = [f"# Broadsheet run {summary['run_id']}", "",
             f"{summary['inputs']} inputs: {summary['documents']} documents "
             f"({summary['processed']} processed, {summary['unchanged']} unchanged), "
             f"{summary['rejects']} rejects, {summary['seconds']} s.", "",
             "| table | rows |", "|---|---|"]
    lines += [f"| {name} | {count} |" for name, count in summary["rows"].items()]
    if rejects.num_rows:
        lines += ["", "| rejected input | reason | detail |", "|---|---|---|"]
        lines += [f"| {r['source']} | {r['reason']} | {r['detail']} |" for r in rejects.to_pylist()[:50]]
    create_markdown_artifact("\n".join(lines), key="broadsheet-run", description="Broadsheet run summary")


def run_pipeline(paths: list[str], out: str = "data", workers: int = 1, dask_address: str | None = None,
                 dask: bool = False, **options) -> dict:
    """Call the flow with a task runner for the requested parallelism.

    On one machine: threads that hand each batch to one of `workers` processes. On a Dask cluster
    (`dask_address`, or a LocalCluster of `workers` processes when `dask`): prefect-dask's
    DaskTaskRunner, each Dask worker loading the model once.
    """
    if dask_address or dask:
        from prefect_dask import DaskTaskRunner

        runner = DaskTaskRunner(address=dask_address) if dask_address else DaskTaskRunner(
            cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True})
        workers = 1  # the cluster is the parallelism: no local process pool besides
    else:
        runner = ThreadPoolTaskRunner(max_workers=max(1, workers))
    return pipeline.with_options(task_runner=runner)(paths=[str(p) for p in paths], out=str(out),
                                                     workers=workers, **options)
