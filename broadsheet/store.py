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
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from broadsheet.tables import (
    PARTITION_COLUMN,
    ValidationError,
    arrow_schema,
    empty_table,
    spec,
    table_specs,
    validate_all,
    validate_references,
    validate_spans,
    validate_table,
)

VERSIONS = ".versions"
CURRENT = "CURRENT"
LOCK = ".lock"
# The entity index: per entity, the counts a run needs to link and prune entities without reading
# mentions whole. Versioned and swapped with the tables, but a dot-name: no link, invisible to readers.
ENTITY_INDEX = ".entity_index"
ENTITY_INDEX_SCHEMA = pa.schema([pa.field("entity_id", pa.string(), nullable=False),
                                 pa.field("n_name_documents", pa.int64(), nullable=False),
                                 pa.field("n_full_name_documents", pa.int64(), nullable=False),
                                 pa.field("n_references", pa.int64(), nullable=False)])
# What planning needs of every stored document (never its text): read column by column
DOC_INDEX_COLUMNS = ["doc_id", "input_path", "source", "pipeline_version"]
# In a per-document table's version folder written by months: the version it was made from and the
# months rewritten (a dot-file: dataset readers and *.parquet globs never see it)
DELTA = ".delta.json"
# A month partition holds at most this many files. A run that adds articles to a month adds one file and
# links the others; past this many, the month's files but its largest are merged into the new one (so a
# month busy with new articles is rewritten about once every this many runs, and a reader opens few files).
MAX_FILES_PER_MONTH = 12


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


def current_folder(out: Path, name: str) -> Path | None:
    """The committed version folder of a table (or of the entity index), None when there is none."""
    version = read_manifest(out).get(name)
    if version is not None:
        folder = out / VERSIONS / name / version
        return folder if folder.is_dir() else None
    link = out / name
    return link.resolve() if not name.startswith(".") and link.exists() else None


def partition_files(folder: Path | None) -> dict[str | None, list[Path]]:
    """month -> the Parquet files of that month's partition in one version folder of a per-document table
    (files outside any month folder, from before the tables were partitioned, are under None)."""
    parts: dict[str | None, list[Path]] = {}
    if folder is None:
        return parts
    prefix = PARTITION_COLUMN + "="
    for path in sorted(folder.rglob("*.parquet")):
        if path.name.startswith("."):
            continue
        rel = path.parent.relative_to(folder).parts
        month = rel[0][len(prefix):] if len(rel) == 1 and rel[0].startswith(prefix) else None
        if month is None and pq.ParquetFile(path).metadata.num_rows == 0:
            continue  # the empty file that gives a table without rows its schema
        parts.setdefault(month, []).append(path)
    return parts


def is_partitioned(out: Path) -> bool:
    """True when every per-document table is stored by month (nothing from the unpartitioned layout)."""
    return all(None not in partition_files(current_folder(out, name))
               for name, table_spec in table_specs().items() if table_spec.per_document)


def read_partitions(out: Path, name: str, months: Iterable[str],
                    parts: dict[str | None, list[Path]] | None = None) -> pa.Table:
    """The rows of the given months of a per-document table, conformed (empty when none). `parts`: the
    table's partition_files, when the caller has them already."""
    parts = partition_files(current_folder(out, name)) if parts is None else parts
    files = [f for month in sorted(set(months)) for f in parts.get(month, [])]
    if not files:
        return empty_table(name)
    return conform(name, pa.concat_tables([pq.read_table(f) for f in files], promote_options="default"))


def read_doc_index(out: Path, doc_ids: Iterable[str] | None = None,
                   input_paths: Iterable[str] | None = None) -> pa.Table:
    """doc_id, input_path, source, pipeline_version and published_month of every stored document, or only
    of those with one of `doc_ids` or `input_paths` when either is given.

    Reads those columns only (never the text), every month's file in one multi-threaded scan that keeps
    only the rows asked for."""
    schema = arrow_schema("documents")
    fields = [schema.field(c).with_nullable(True) for c in DOC_INDEX_COLUMNS]
    index_schema = pa.schema([*fields, pa.field(PARTITION_COLUMN, pa.string())])
    folder = current_folder(out, "documents")
    parts = partition_files(folder)
    pieces = []
    monthly = [str(f) for month, files in parts.items() if month is not None for f in files]
    if monthly:
        dataset = ds.dataset(monthly, schema=index_schema, format="parquet", partition_base_dir=str(folder),
                             partitioning=ds.partitioning(pa.schema([index_schema.field(PARTITION_COLUMN)]),
                                                          flavor="hive"))
    wanted = None
    if doc_ids is not None or input_paths is not None:
        ids = pa.array(sorted(set(doc_ids or ())), pa.string())
        paths = pa.array(sorted(set(input_paths or ())), pa.string())
        wanted = ds.field("doc_id").isin(ids) | ds.field("input_path").isin(paths)
    if monthly:
        pieces.append(dataset.to_table(columns=index_schema.names, filter=wanted))
    for path in parts.get(None, []):  # unpartitioned layout: the month from the date
        table = conform("documents", pq.read_table(path))
        table = pa.Table.from_arrays([*(table.column(c) for c in DOC_INDEX_COLUMNS),
                                      month_of(table.column("published"))], schema=index_schema)
        pieces.append(table if wanted is None else table.filter(wanted))
    return pa.concat_tables(pieces) if pieces else index_schema.empty_table()


def read_delta(out: Path, name: str) -> dict | None:
    """{"parent": version, "months": [...]} of a table's current version when it was written by months."""
    folder = current_folder(out, name)
    note = None if folder is None else folder / DELTA
    return json.loads(note.read_text(encoding="utf-8")) if note is not None and note.exists() else None


def month_of(published: pa.ChunkedArray | pa.Array) -> pa.Array:
    """The partition month ("2023-12", or "unknown") of publication dates."""
    if len(published) == 0:
        return pa.array([], pa.string())
    text = pc.strftime(pc.cast(published, pa.timestamp("s")), format="%Y-%m")
    return pc.fill_null(text, "unknown")


def read_entity_index(out: Path) -> pa.Table | None:
    """The committed entity index; None when the store has none (written before it existed, or before it
    counted full-name documents: such a store is merged whole once, which writes it)."""
    folder = current_folder(out, ENTITY_INDEX)
    if folder is None or not (folder / "part-0.parquet").exists():
        return None
    index = pq.read_table(folder / "part-0.parquet")
    if index.schema.names != ENTITY_INDEX_SCHEMA.names:
        return None
    return index.cast(ENTITY_INDEX_SCHEMA)


def months_referencing(out: Path, entity_ids: Iterable[str], skip: Iterable[str]) -> set[str]:
    """The months (other than `skip`) whose per-document rows refer to any of `entity_ids`.

    Reads only the entity columns, month by month: used when the corpus merges a stored entity into
    another, so every partition that names it is rewritten."""
    wanted = pa.array(sorted(set(entity_ids)), pa.string())
    skip = set(skip)
    found: set[str] = set()
    for name, table_spec in table_specs().items():
        columns = [c for c, target in table_spec.references.items() if target == "entities.entity_id"]
        if not table_spec.per_document or not columns:
            continue
        for month, files in partition_files(current_folder(out, name)).items():
            if month in skip or month in found:
                continue
            for path in files:
                table = pq.read_table(path, columns=columns)
                if any(pc.any(pc.is_in(table.column(c), value_set=wanted)).as_py() for c in columns):
                    found.add(month)
                    break
    return found


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
        elif name == "places":
            merged[name] = corpus_places(old, fresh)
            continue
        elif table_spec.derived:
            continue  # recomputed from the merged tables by broadsheet.corpus
        merged[name] = pa.concat_tables([old, fresh])
    return merged


def corpus_places(stored: pa.Table, fresh: pa.Table) -> pa.Table:
    """One places row per entity: the run's row where it has one (the latest decision and gazetteer),
    else the stored one. broadsheet.corpus prunes the rows whose entity is gone."""
    if not fresh.num_rows:
        return stored
    kept = stored.filter(pc.invert(pc.is_in(stored.column("entity_id"), value_set=fresh.column("entity_id"))))
    return pa.concat_tables([kept, fresh.cast(stored.schema)])


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


def write_tables(out: Path, tables: dict[str, pa.Table], version: str, only: Iterable[str] | None = None,
                 touched: Iterable[str] | Mapping[str, Iterable[str]] | None = None,
                 relinked_rows: Callable[[str], dict[str, pa.Table]] | None = None) -> None:
    """Validate the tables, write them (or those named in `only`) aside as `version`, swap them in, and drop
    old versions. Validation always covers every table given, so keys into unwritten tables are checked too;
    tables not written keep their current version.

    With `touched` (months), the per-document tables given hold only those months' rows: the new version
    of each is those months written anew plus every other month's files of the current version, hard
    linked (no copy; a file is never changed once written, so two versions can share it). `touched` may
    name the months per table: a table may then cover months `documents` does not (rows a link across
    articles renamed, in months where nothing else changed; see _validate). Those months' rows are in the
    tables given, or, with `relinked_rows`, come from it one month at a time (month -> the rows of the
    tables covering it), so memory follows one month. The entity index (ENTITY_INDEX) may be given like
    a table; it is written and swapped with the others.
    """
    by_table = _touched_by_table(tables, touched)
    months = _Months(_months_by_document(tables["documents"]) if "documents" in tables else {})
    renamed_only = (set().union(*by_table.values()) - by_table["documents"]
                    if by_table and "documents" in by_table else set())
    if renamed_only:
        months.update(_stored_documents(out, renamed_only))
    _validate(tables, by_table, months, renamed_only)
    streamed = renamed_only if relinked_rows is not None else set()
    root = out / VERSIONS
    written = {name: tables[name] for name in (tables if only is None else only)}
    changed: dict[str, set[str]] = {}
    current_parts: dict[str, dict[str | None, list[Path]]] = {}
    for name, table in written.items():
        folder = root / name / version
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        per_document = name in table_specs() and spec(name).per_document
        if per_document and by_table is not None:
            current = current_folder(out, name)
            current_parts[name] = partition_files(current)
            _link_partitions(current, folder, skip=by_table[name])
            changed[name] = _write_touched(name, table, current_parts[name], folder, months,
                                           by_table[name] - streamed, version)
        elif per_document and table.num_rows:
            _write_partitioned(table, folder, months)
    for month in sorted(streamed):
        rows = relinked_rows(month)
        _validate_renamed(tables, rows, month, months)
        for name in rows:
            if name in changed and month in by_table[name]:
                changed[name] |= _write_touched(name, rows[name], current_parts[name], root / name / version,
                                                months, {month}, version)
    for name, table in written.items():
        folder = root / name / version
        per_document = name in table_specs() and spec(name).per_document
        current = current_folder(out, name) if name in changed else None
        if current is not None:  # how this version differs from the current one, for the warehouse
            note = folder / DELTA
            note.write_text(json.dumps({"parent": current.name, "months": sorted(changed[name])}), encoding="utf-8")
            _fsync(note)
        if not per_document or not any(p for p in folder.iterdir() if p.name != DELTA):
            # an empty table still has a file, for its schema
            _write_parquet(table.slice(0, 0) if per_document else table, folder / "part-0.parquet")
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


class _Months(dict):
    """doc_id -> month, with its keys and values as Arrow arrays, made once (looked up for every table and
    month a run writes)."""

    def arrays(self) -> tuple[pa.Array, pa.Array]:
        if getattr(self, "_arrays", None) is None or len(self._arrays[0]) != len(self):
            self._arrays = (pa.array(list(self), pa.string()), pa.array(list(self.values()), pa.string()))
        return self._arrays


def _month_column(table: pa.Table, months: dict[str, str]) -> pa.Array:
    """The month of each row's document (null where `months` does not know it), computed in Arrow: a
    relink may give millions of rows."""
    ids, values = months.arrays() if isinstance(months, _Months) else (pa.array(list(months), pa.string()),
                                                                       pa.array(list(months.values()), pa.string()))
    return pc.take(values, pc.index_in(table.column("doc_id"), value_set=ids))


def _write_partitioned(table: pa.Table, folder: Path, months: dict[str, str]) -> None:
    """One hive folder per publication month (PARTITION_COLUMN=YYYY-MM): analysts reading a period
    open only its files, and a month's articles sit together."""
    month = pa.array([months[doc_id] for doc_id in table.column("doc_id").to_pylist()], pa.string())
    for value in pc.unique(month).to_pylist():
        part = folder / f"{PARTITION_COLUMN}={value}"
        part.mkdir()
        _write_parquet(table.filter(pc.equal(month, value)), part / "part-0.parquet")


def _touched_by_table(tables: dict[str, pa.Table],
                      touched: Iterable[str] | Mapping[str, Iterable[str]] | None) -> dict[str, set[str]] | None:
    """Per per-document table given, the months its rows cover (None: the tables are whole)."""
    if touched is None:
        return None
    names = [name for name in tables if name in table_specs() and spec(name).per_document]
    if isinstance(touched, Mapping):
        return {name: set(touched[name]) for name in names}
    months = set(touched)
    return dict.fromkeys(names, months) if names else {}


def _stored_documents(out: Path, months: Iterable[str]) -> dict[str, str]:
    """doc_id -> month of the stored documents of `months` (reads the doc_id column of their files only)."""
    parts = partition_files(current_folder(out, "documents"))
    found: dict[str, str] = {}
    for month in months:
        for path in parts.get(month, []):
            found.update(dict.fromkeys(pq.read_table(path, columns=["doc_id"]).column("doc_id").to_pylist(), month))
    return found


def _validate(tables: dict[str, pa.Table], by_table: dict[str, set[str]] | None, months: dict[str, str],
              renamed_only: set[str]) -> None:
    """validate_all, except that rows in months `documents` was not given for (renamed_only) are checked
    without reading those months' articles: only their entity ids differ from the stored rows (a link
    across articles), so their spans hold as stored. Every table is checked whole for columns, types and
    keys; those rows' references to entities and to each other, and their documents against the stored
    documents of their months."""
    declared = {name: table for name, table in tables.items() if name in table_specs()}
    if not renamed_only:
        validate_all(declared)
        return
    given = set(by_table.get("documents", ()))
    base, renamed = {}, {}
    for name, table in declared.items():
        if spec(name).per_document and by_table[name] - given:
            month = _month_column(table, months)
            inside = pc.is_in(month, value_set=pa.array(sorted(renamed_only), pa.string()))
            base[name], renamed[name] = table.filter(pc.invert(inside)), table.filter(inside)
            if pc.any(pc.is_null(month)).as_py():
                raise ValidationError(f"{name}: rows of documents that are neither given nor stored")
        else:
            base[name] = table
    for name, table in declared.items():
        validate_table(name, table)
    validate_references(base)
    validate_spans(base)
    validate_references({**{n: t for n, t in declared.items() if not spec(n).per_document}, **renamed})


def _validate_renamed(tables: dict[str, pa.Table], rows: dict[str, pa.Table], month: str,
                      months: dict[str, str]) -> None:
    """The rows of a month only a link across articles touched, as _validate checks them: columns, types
    and keys, references to the corpus-level tables and to each other, documents stored in that month."""
    for name, table in rows.items():
        validate_table(name, table)
        known = _month_column(table, months)
        if table.num_rows and not pc.all(pc.equal(pc.fill_null(known, ""), month)).as_py():
            raise ValidationError(f"{name}: rows of {month} name documents not stored in that month")
    corpus_level = {n: t for n, t in tables.items() if n in table_specs() and not spec(n).per_document}
    validate_references({**corpus_level, **rows})


def _write_touched(name: str, table: pa.Table, current_parts: dict[str | None, list[Path]], folder: Path,
                   months: dict[str, str], touched: set[str], version: str) -> set[str]:
    """Write the touched months of a per-document table (`table` holds their rows after the run); the months
    whose rows changed.

    A month is a folder of files, each holding whole documents. A current file whose documents' rows are
    all unchanged is hard-linked; the rows of the other documents (new, replaced, or renamed by a link
    across articles) are written as one new file, `part-<version>.parquet`. So adding an article to a month
    writes that article's rows, not the month's, and a month only some of whose files name a relinked
    entity rewrites those files. Past MAX_FILES_PER_MONTH files, the month's smaller files are merged
    into the new one, which bounds what readers open."""
    month = _month_column(table, months)
    changed = set()
    for value in sorted(touched):
        rows = conform(name, table.filter(pc.equal(month, value))) if table.num_rows else empty_table(name)
        kept: list[Path] = []
        for path in current_parts.get(value, []):
            old = conform(name, pq.read_table(path))
            docs = pc.is_in(rows.column("doc_id"), value_set=pc.unique(old.column("doc_id")))
            if old.num_rows and _same_documents(old, rows.filter(docs)):
                kept.append(path)
                rows = rows.filter(pc.invert(docs))
        if len(kept) == len(current_parts.get(value, [])) and not rows.num_rows:
            if kept:  # nothing in this month changed: its files as they were
                _link_files(kept, folder / f"{PARTITION_COLUMN}={value}")
            continue
        changed.add(value)
        if len(kept) + 1 > MAX_FILES_PER_MONTH:  # compaction: every file but the largest into the new one
            kept.sort(key=lambda p: p.stat().st_size, reverse=True)
            merged = [conform(name, pq.read_table(p)) for p in kept[1:]]
            rows = pa.concat_tables([rows, *merged])
            kept = kept[:1]
        part = folder / f"{PARTITION_COLUMN}={value}"
        if kept:
            _link_files(kept, part)
        if rows.num_rows:
            part.mkdir(exist_ok=True)
            _write_parquet(rows, part / f"part-{version}.parquet")
    return changed


def _same_documents(old: pa.Table, new: pa.Table) -> bool:
    """The same rows, in any order (both conformed to the table's schema)."""
    if old.num_rows != new.num_rows:
        return False
    key = [(c, "ascending") for c in old.schema.names if pa.types.is_string(old.schema.field(c).type)][:3]
    return old.sort_by(key).equals(new.sort_by(key))


def _link_files(files: list[Path], part: Path) -> None:
    part.mkdir(exist_ok=True)
    for path in files:
        os.link(path, part / path.name)


def _link_partitions(current: Path | None, folder: Path, skip: set[str]) -> None:
    """Hard-link every month partition of `current` except those in `skip` into `folder`."""
    for month, files in partition_files(current).items():
        if month is None:
            raise RuntimeError(f"{current}: unpartitioned files; only a whole-table write can replace them")
        if month in skip:
            continue
        part = folder / f"{PARTITION_COLUMN}={month}"
        part.mkdir()
        for path in files:
            os.link(path, part / path.name)


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
        if name.startswith("."):
            continue  # the entity index: no link
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
    for name in [*table_specs(), ENTITY_INDEX]:
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


def row_counts(out: Path) -> dict[str, int]:
    """Rows of each table, from the Parquet footers of its current version (no data read)."""
    counts = {}
    for name in table_specs():
        folder = current_folder(out, name)
        files = [] if folder is None else [p for p in folder.rglob("*.parquet") if not p.name.startswith(".")]
        counts[name] = sum(pq.ParquetFile(p).metadata.num_rows for p in files)
    return counts


def table_paths(out: Path) -> dict[str, Path]:
    """The dataset folder of each table that exists under `out`."""
    return {name: out / name for name in table_specs() if (out / name).exists()}

