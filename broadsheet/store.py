"""Parquet datasets under the output root: read, merge a run's rows in, write aside, swap, lock.

Layout: `OUT/<table>` is a symlink to `OUT/.versions/<table>/<version>/`, a folder of Parquet files
that pyarrow, DuckDB and pandas read as a dataset. A run writes every table's new version aside,
validates it, records the set in `OUT/.versions/CURRENT` (one atomic rename), then re-points each
symlink (one atomic rename each). A reader therefore always sees a complete version of each table,
and a run killed at any moment leaves the previous tables readable; the next run finishes or undoes
the swap (`recover`). Folders starting with "." are invisible to dataset readers.

This module does no NLP; which rows a run replaces is decided here, from keys declared in schemas/.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from broadsheet.tables import PARTITION_COLUMN, arrow_schema, empty_table, spec, table_specs, validate_all

VERSIONS = ".versions"
CURRENT = "CURRENT"
LOCK = ".lock"


class OutputLocked(RuntimeError):
    """Another run is writing to the same output folder."""


@contextmanager
def run_lock(out: Path) -> Iterator[None]:
    """Hold the output folder's writer lock for the duration; a second writer fails at once.

    Re-entrant within a process: `broadsheet run` takes the lock before anything else starts and the
    flow it then calls takes it again without waiting for itself."""
    out.mkdir(parents=True, exist_ok=True)
    key = out.resolve()
    if key in _HELD_LOCKS:
        _HELD_LOCKS[key] += 1
        try:
            yield
        finally:
            _HELD_LOCKS[key] -= 1
        return
    handle = open(out / LOCK, "a+")  # noqa: SIM115 - held open for the lock's lifetime
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise OutputLocked(f"another broadsheet run (pid {holder}) is writing to {out}; "
                               f"wait for it to finish") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        _HELD_LOCKS[key] = 1
        try:
            yield
        finally:
            del _HELD_LOCKS[key]
    finally:
        handle.close()  # closing releases the flock


_HELD_LOCKS: dict[Path, int] = {}  # output folders whose lock this process holds, with the nesting depth


def read_table(out: Path, name: str) -> pa.Table:
    """The current version of a table, conformed to its declared schema (empty when absent)."""
    path = out / name
    table = read_folder(name, path.resolve()) if path.exists() else None
    return empty_table(name) if table is None else table


def read_folder(name: str, folder: Path) -> pa.Table | None:
    """Every Parquet file under one version folder of a table, conformed; None when it holds none."""
    files = sorted(p for p in folder.rglob("*.parquet") if not p.name.startswith("."))
    if not files:
        return None
    return conform(name, pa.concat_tables([pq.read_table(f) for f in files], promote_options="default"))


def conform(name: str, table: pa.Table) -> pa.Table:
    """Select and order the declared columns; a column added to the declaration since is filled with nulls."""
    schema = arrow_schema(name)
    columns = [
        table.column(f.name).cast(f.type) if f.name in table.schema.names else pa.nulls(table.num_rows, f.type)
        for f in schema
    ]
    return pa.Table.from_arrays(columns, schema=schema)


def read_tables(out: Path) -> dict[str, pa.Table]:
    return {name: read_table(out, name) for name in table_specs()}


def merge_run(existing: dict[str, pa.Table], new: dict[str, pa.Table], replaced_doc_ids: Iterable[str],
              reject_keys: Iterable[tuple[str, str]]) -> dict[str, pa.Table]:
    """The tables after a run: per-document rows of replaced documents swapped for the run's rows.

    `replaced_doc_ids` are the documents the run reprocessed or that an input of the run no longer
    holds; `reject_keys` are the (input_path, source) of every input the run saw, so a reject of an
    input that now reads cleanly disappears and a repeated reject is not added twice. Entities are
    the union of stored and new ones; broadsheet.corpus.finish_tables links, counts and prunes them.
    """
    replaced = pa.array(sorted(set(replaced_doc_ids)), pa.string())
    merged: dict[str, pa.Table] = {}
    for name, table_spec in table_specs().items():
        old, fresh = existing[name], new.get(name, empty_table(name))
        if table_spec.per_document:
            old = old.filter(pc.invert(pc.is_in(old.column("doc_id"), value_set=replaced)))
        elif name == "rejects":
            old = _drop_reject_keys(old, reject_keys)
        elif name == "entities":
            old = _union_entities(old, fresh)
            fresh = empty_table(name)
        elif table_spec.derived:
            continue  # recomputed from the merged tables by broadsheet.corpus
        merged[name] = pa.concat_tables([old, fresh])
    return merged


def _drop_reject_keys(rejects: pa.Table, keys: Iterable[tuple[str, str]]) -> pa.Table:
    keys = set(keys)
    if not keys or not rejects.num_rows:
        return rejects
    pairs = zip(rejects.column("input_path").to_pylist(), rejects.column("source").to_pylist(), strict=True)
    return rejects.filter(pa.array([pair not in keys for pair in pairs]))


def _union_entities(old: pa.Table, fresh: pa.Table) -> pa.Table:
    """One row per entity id, the earliest-seen row winning (counts are redone by broadsheet.corpus)."""
    rows: dict[str, dict] = {}
    for row in old.to_pylist() + fresh.to_pylist():
        rows.setdefault(row["entity_id"], row)
    return pa.Table.from_pylist(list(rows.values()), schema=arrow_schema("entities"))


def changed_tables(out: Path, existing: dict[str, pa.Table], tables: dict[str, pa.Table]) -> list[str]:
    """Names of the tables not yet under `out` or whose content differs from `existing`, what is stored
    (rejects compared without their run_id)."""
    changed = []
    for name, table in tables.items():
        old = existing.get(name) if (out / name).exists() else None
        if name == "rejects" and old is not None:
            same = _reject_set(old) == _reject_set(table)
        else:
            same = old is not None and old.num_rows == table.num_rows and old.equals(table)
        if not same:
            changed.append(name)
    return changed


def _reject_set(rejects: pa.Table) -> set[tuple]:
    return set(zip(*(rejects.column(c).to_pylist() for c in ("input_path", "source", "reason", "detail")),
                   strict=True))


def write_tables(out: Path, tables: dict[str, pa.Table], version: str, only: Iterable[str] | None = None) -> None:
    """Validate the tables, write them (or those named in `only`) aside as `version`, swap them in, and drop
    old versions. Validation always covers every table given, so keys into unwritten tables are checked too;
    tables not written keep their current version.
    """
    validate_all(tables)
    root = out / VERSIONS
    months = _months_by_document(tables["documents"]) if "documents" in tables else {}
    written = {name: tables[name] for name in (tables if only is None else only)}
    for name, table in written.items():
        folder = root / name / version
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        if spec(name).per_document and table.num_rows:
            _write_partitioned(table, folder, months)
        else:
            _write_parquet(table, folder / "part-0.parquet")
        pause_point(out, "table_written")
    manifest = {**read_manifest(out), **{name: version for name in written}}
    tmp = root / f".{CURRENT}.tmp"
    tmp.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    _fsync(tmp)
    os.replace(tmp, root / CURRENT)  # the commit point: from here on, the new versions are current
    pause_point(out, "committed")
    _point_links(out, manifest)
    _drop_unreferenced_versions(out, manifest)


def pause_point(out: Path, name: str) -> None:
    """Hold the run here when BROADSHEET_PAUSE_AT names this point: lets the crash tests kill a real run
    at an exact moment of the swap. Does nothing otherwise."""
    if os.environ.get("BROADSHEET_PAUSE_AT") == name:
        (out / f".paused-{name}").touch()
        time.sleep(3600)


def _months_by_document(documents: pa.Table) -> dict[str, str]:
    """doc_id → the publication month ("2023-12", or "unknown") its rows are filed under."""
    return {doc_id: published.strftime("%Y-%m") if published else "unknown"
            for doc_id, published in zip(documents.column("doc_id").to_pylist(),
                                         documents.column("published").to_pylist(), strict=True)}


def _write_partitioned(table: pa.Table, folder: Path, months: dict[str, str]) -> None:
    """One hive folder per publication month (PARTITION_COLUMN=YYYY-MM): analysts reading a period
    open only its files, and a month's articles sit together."""
    month = pa.array([months[doc_id] for doc_id in table.column("doc_id").to_pylist()], pa.string())
    for value in pc.unique(month).to_pylist():
        part = folder / f"{PARTITION_COLUMN}={value}"
        part.mkdir()
        _write_parquet(table.filter(pc.equal(month, value)), part / "part-0.parquet")


def _write_parquet(table: pa.Table, path: Path) -> None:
    tmp = path.with_name("." + path.name + ".tmp")
    pq.write_table(table, tmp, compression="zstd")
    _fsync(tmp)
    os.replace(tmp, path)


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _point_links(out: Path, manifest: dict[str, str]) -> None:
    for name, version in manifest.items():
        link = out / name
        target = Path(VERSIONS) / name / version  # relative, so the output folder can be moved
        if link.is_symlink() and Path(os.readlink(link)) == target:
            continue
        if link.exists() and not link.is_symlink():
            raise RuntimeError(f"{link} is not a Broadsheet table link; refusing to replace it")
        tmp = out / f".{name}.link.tmp"
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        tmp.symlink_to(target, target_is_directory=True)
        os.replace(tmp, link)
        pause_point(out, "link_swapped")


def _drop_unreferenced_versions(out: Path, manifest: dict[str, str]) -> None:
    root = out / VERSIONS
    for name in table_specs():
        folder = root / name
        if not folder.is_dir():
            continue
        for version in folder.iterdir():
            if version.name != manifest.get(name):
                shutil.rmtree(version, ignore_errors=True)


def read_manifest(out: Path) -> dict[str, str]:
    """The committed version of each table ({} before the first run)."""
    current = out / VERSIONS / CURRENT
    return json.loads(current.read_text(encoding="utf-8")) if current.exists() else {}


def recover(out: Path) -> None:
    """Finish the swap a killed run committed, or drop the versions a killed run left uncommitted."""
    manifest = read_manifest(out)
    if not manifest:
        return
    _point_links(out, manifest)
    _drop_unreferenced_versions(out, manifest)


def table_paths(out: Path) -> dict[str, Path]:
    """The dataset folder of each table that exists under `out`."""
    return {name: out / name for name in table_specs() if (out / name).exists()}

