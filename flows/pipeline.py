"""The Broadsheet Prefect flow: inputs → articles → batches through spaCy and the extractors → tables.

Thin on purpose: every step is a library function; this file only wires them over batches.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from broadsheet import process, progress, steps, store
from broadsheet.config import DEFAULT_MODEL, Settings

# The run's I/O steps (broadsheet.steps) as tasks, retried on a passing failure.
io_task = task(retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
ingest = io_task(steps.scan, name="ingest")
read_existing = io_task(steps.read_existing)
write = io_task(steps.write)
load_warehouse = io_task(steps.load_warehouse)
load_postgres = io_task(steps.load_postgres)


@task(cache_policy=NO_CACHE)
def extract_batch(refs: list, model: str, run_id: str, settings: Settings) -> process.BatchResult:
    """Read, parse and extract one batch, in a worker process when the run has a pool (on a Dask worker
    when the run has a Dask task runner): the articles' texts are read where they are parsed."""
    pool = process.active_pool()
    if pool is None:
        return steps.extract_inputs(refs, model, run_id, settings)
    return pool.submit(steps.extract_inputs, refs, model, run_id, settings).result()


def _batches(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


@flow(name="broadsheet", log_prints=False)
def pipeline(paths: list[str], out: str = "data", workers: int = 1, batch_size: int = 64,
             model: str = DEFAULT_MODEL, full: bool = False, load: bool = True, load_to: str | None = None,
             process_started: float | None = None) -> dict:
    """Run Broadsheet over `paths` into the Parquet tables under `out` (and its DuckDB warehouse).
    `process_started` (epoch seconds) is when the calling command started: the run's seconds count from
    then, as the user waited."""
    io = steps.Steps(scan=ingest, read_existing=read_existing, write=write, load_warehouse=load_warehouse,
                     load_postgres=load_postgres, log=get_run_logger().info)
    out_dir, settings = Path(out), Settings()
    with store.run_lock(out_dir):
        run = None if full else steps.planned_ahead(paths, out_dir, model)
        if run is not None:  # `broadsheet run` planned before starting Prefect and found work
            plan = run.plan
            io.log("%d inputs: %d to process (planned before the flow started)", len(plan.input_keys),
                   len(plan.to_process))
        else:
            run = steps.start(model, process_started)
            plan = steps.plan_inputs(run, paths, out_dir, full, io)
        batches = _batches(plan.to_process, batch_size)
        with process.worker_pool(workers, model), progress.articles_bar(len(plan.to_process)) as advance:
            futures = [extract_batch.submit(batch, model, run.run_id, settings) for batch in batches]
            results = []
            for batch, future in zip(batches, futures, strict=True):
                results.append(future.result())
                advance(len(batch))
        summary = steps.commit(run, results, out_dir, io, load=load, load_to=load_to)
    _publish_artifact(summary)
    return summary


def _publish_artifact(summary: dict) -> None:
    lines = [f"# Broadsheet run {summary['run_id']}", "",
             f"{summary['inputs']} inputs: {summary['documents']} documents "
             f"({summary['processed']} processed, {summary['unchanged']} unchanged), "
             f"{summary['rejects']} rejects, {summary['seconds']} s.", "",
             "| table | rows |", "|---|---|"]
    lines += [f"| {name} | {count} |" for name, count in summary["rows"].items()]
    if summary["reject_rows"]:
        lines += ["", "| rejected input | reason | detail |", "|---|---|---|"]
        lines += [f"| {r['source']} | {r['reason']} | {r['detail']} |" for r in summary["reject_rows"]]
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
