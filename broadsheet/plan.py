"""Which inputs a run must process: new and changed articles, not the unchanged ones.

Compares the run's Articles (or their ArticleRefs: planning needs no text) with the documents already
in the output (content hash + pipeline version). Tables and records in, a RunPlan out; it only looks at
the disk to tell whether a stored article's input file still exists.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from broadsheet.ingest import Article, ArticleRef, Reject

Input = Article | ArticleRef  # planning reads only doc_id, source and input_path


@dataclass
class RunPlan:
    to_process: list[Input] = field(default_factory=list)
    unchanged: list[Input] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    # documents whose rows this run replaces: reprocessed ones, and old content of changed inputs
    replaced_doc_ids: set[str] = field(default_factory=set)
    # (input_path, source) of every input this run saw, accepted or rejected
    input_keys: set[tuple[str, str]] = field(default_factory=set)


def plan_run(records: list[Input | Reject], documents: pa.Table, version: str, full: bool,
             rejects: pa.Table | None = None) -> RunPlan:
    """Split the run's inputs into work to do, work already done, and rejects.

    An article whose extraction failed before (an internal_error in the stored `rejects`) is not
    retried while its text and the pipeline version are the same: it would only fail again, and load
    the model on every scheduled run. Its reject is kept; `full` retries it.
    """
    failed = _failed_articles(rejects, version) if rejects is not None and not full else {}
    documents = _relevant(documents, records)
    existing = {row["doc_id"]: row for row in
                documents.select(["doc_id", "input_path", "source", "pipeline_version"]).to_pylist()}
    doc_of_input = {(row["input_path"], row["source"]): doc_id for doc_id, row in existing.items()}
    plan = RunPlan()
    for record in records:
        key = (record.input_path, record.source)
        plan.input_keys.add(key)
        if isinstance(record, Reject):
            plan.rejects.append(record)
            continue
        old_doc = doc_of_input.get(key)
        if old_doc is not None and old_doc != record.doc_id:
            plan.replaced_doc_ids.add(old_doc)  # the input's text changed: its old rows go
    for record in records:
        if isinstance(record, Reject):
            continue
        key = (record.input_path, record.source)
        known_failure = failed.get(key)
        if known_failure is not None and known_failure.doc_id == record.doc_id:
            plan.rejects.append(known_failure)
            continue
        row = existing.get(record.doc_id)
        owner = (row["input_path"], row["source"]) if row else None
        if row and owner != key and _still_held_elsewhere(record.doc_id, owner, plan):
            plan.rejects.append(Reject(record.source, "duplicate",
                                       f"repeats doc_id {record.doc_id} (stored from {row['source']})",
                                       record.input_path))
        elif row and owner == key and row["pipeline_version"] == version and not full:
            plan.unchanged.append(record)
        else:
            plan.to_process.append(record)
            plan.replaced_doc_ids.add(record.doc_id)
    return plan


def _relevant(documents: pa.Table, records: list[Input | Reject]) -> pa.Table:
    """The stored documents a run's records can meet: the same text, or the same input file. Planning
    looks only these up, so it holds Python rows for the run's inputs, not for the whole store."""
    doc_ids = pa.array(sorted({r.doc_id for r in records if not isinstance(r, Reject)}), pa.string())
    paths = pa.array(sorted({r.input_path for r in records if r.input_path is not None}), pa.string())
    keep = pc.or_(pc.is_in(documents.column("doc_id"), value_set=doc_ids),
                  pc.fill_null(pc.is_in(documents.column("input_path"), value_set=paths), False))
    return documents.filter(keep)


def _failed_articles(rejects: pa.Table, version: str) -> dict[tuple[str, str], Reject]:
    """(input_path, source) -> the stored internal_error reject of an article that failed under `version`."""
    rows = rejects.filter(pc.and_(pc.equal(rejects.column("reason"), "internal_error"),
                                  pc.equal(rejects.column("pipeline_version"), version))).to_pylist()
    return {(row["input_path"], row["source"]): Reject(row["source"], row["reason"], row["detail"], row["input_path"],
                                                       doc_id=row["doc_id"], pipeline_version=version)
            for row in rows}


def _still_held_elsewhere(doc_id: str, owner: tuple[str, str], plan: RunPlan) -> bool:
    """True when the stored copy of `doc_id` still belongs to another input (so this one repeats it).

    A stored copy whose input this run saw with other text, or whose file is gone (renamed, moved),
    is taken over instead.
    """
    if doc_id in plan.replaced_doc_ids or owner in plan.input_keys or owner[0] is None:
        return False
    return os.path.exists(owner[0])
