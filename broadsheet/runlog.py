"""What a run did: its batches' tables combined, the clock of its stages, and its `runs` row.

Bookkeeping for the flow; no I/O.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pyarrow as pa
import spacy

import broadsheet
from broadsheet import process
from broadsheet.plan import RunPlan
from broadsheet.tables import empty_table, extracted_tables, to_arrow

STAGES = ("ingest", "extract", "merge", "write", "load")
WORK = ("parse", "rules")  # the two parts of extract, summed over batches


def combine_batches(results: list[process.BatchResult], plan: RunPlan, run_id: str) -> dict[str, pa.Table]:
    """The run's new rows: every batch's tables concatenated, entities made unique, and all rejects."""
    tables = {name: pa.concat_tables([r.tables[name] for r in results if name in r.tables] or [empty_table(name)])
              for name in ("documents", *(t.name for t in extracted_tables()))}
    for name in ("entities", "places"):  # corpus-level tables every article adds rows to
        tables[name] = to_arrow(name, process.unique_rows(name, tables[name].to_pylist()))
    rejects = plan.rejects + [r for result in results for r in result.rejects]
    tables["rejects"] = to_arrow("rejects", [dict(source=r.source, reason=r.reason, detail=r.detail,
                                                  input_path=r.input_path, run_id=run_id, doc_id=r.doc_id,
                                                  pipeline_version=r.pipeline_version) for r in rejects])
    return tables


class StageClock:
    """Seconds spent in each stage of a run, for the runs table. Given the epoch second its process
    started, the clock counts from then, so the total is what the user waited (the time before the
    flow's first step is the `startup` stage)."""

    def __init__(self, process_started: float | None = None) -> None:
        now = time.perf_counter()
        self.start = now
        self.seconds: dict[str, float] = {}
        if process_started is not None:
            startup = max(0.0, time.time() - process_started)
            self.start = now - startup
            self.seconds["seconds_startup"] = round(startup, 3)
        self.last = now

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[f"seconds_{stage}"] = round(now - self.last, 3)
        self.last = now

    def total(self) -> float:
        return round(time.perf_counter() - self.start, 3)


def add_work_seconds(clock: StageClock, results: list[process.BatchResult]) -> None:
    """Record how the batches' time split between spaCy and Broadsheet's own rules."""
    clock.seconds["seconds_parse"] = round(sum(r.seconds_parse for r in results), 3)
    clock.seconds["seconds_rules"] = round(sum(r.seconds_rules for r in results), 3)


def run_row(run_id: str, started: datetime, clock: StageClock, plan: RunPlan, counts: dict, model: str) -> dict:
    """The `runs` row of a run, with the stages timed so far (the others 0)."""
    stages = {f"seconds_{stage}": 0.0 for stage in (*STAGES, *WORK)}
    return {"run_id": run_id, "started_at": started, "ended_at": datetime.now(UTC),
            "input_count": len(plan.input_keys), "documents": counts["documents"], "rejects": counts["rejects"],
            "processed": counts["processed"], "unchanged": len(plan.unchanged),
            "package_version": broadsheet.__version__, "spacy_version": spacy.__version__,
            "model": f"{model}-{process.model_version(model)}", "pipeline_version": process.pipeline_version(model),
            "seconds": clock.total(), "seconds_startup": None, **stages, **clock.seconds}
