"""Load the Parquet tables into a warehouse: DuckDB (embedded default) or PostgreSQL.

Tables are created from the declarations in schemas/. Either warehouse records the store version of
each table it holds, so a load reads only what changed since: a per-document table one version
behind is loaded by the months the run rewrote; the corpus-level tables, and any table further
behind, whole. DuckDB replaces what it loads; PostgreSQL tables get primary and foreign keys and
are synced by key, so unchanged rows are never rewritten. Either way a load is one transaction, so
a failed load leaves the warehouse as it was. Reads Parquet; never touches the Parquet files.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from broadsheet.store import (
    DELTA,
    VERSIONS,
    conform,
    current_folder,
    partition_files,
    read_delta,
    read_folder,
    read_manifest,
    read_table,
)
from broadsheet.tables import create_table_sql, empty_table, quote_ident, spec, table_specs


def parquet_glob(table_dir: Path) -> str:
    """A glob of a table's Parquet files (resolved through the table's version link)."""
    return str(table_dir.resolve() / "**" / "*.parquet")


LOADED = "_broadsheet.loaded"  # the version of each table the DuckDB file holds (its own schema)


def load_duckdb(out: Path, database: Path, only: list[str] | None = None) -> dict[str, int]:
    """Bring every table (or those in `only`) of `database` up to the tables under `out`; rows per table loaded.

    The database records the version of each table it holds, in the same transaction as the rows, so
    a table already at its current version is skipped, and one left behind (a run killed between its
    Parquet swap and its load) is caught up by the next load. A per-document table whose current
    version rewrote some months of the version the database holds is loaded by those months: the
    rows of their documents are deleted and the months' files inserted. Anything else is replaced.
    """
    database.parent.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    manifest = read_manifest(out)
    deltas = {name: read_delta(out, name) or {} for name, table_spec in table_specs().items()
              if table_spec.per_document}
    with duckdb.connect(str(database)) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("CREATE SCHEMA IF NOT EXISTS _broadsheet")
            con.execute(f"CREATE TABLE IF NOT EXISTS {LOADED} (name VARCHAR PRIMARY KEY, version VARCHAR)")
            loaded = dict(con.execute(f"SELECT name, version FROM {LOADED}").fetchall())
            existing = {row[0] for row in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
            # a table recorded as loaded but missing from the file is not held: it is loaded whole
            held = {name: version for name, version in loaded.items() if name in existing}
            plan = {name: months for name, months in plan_load(manifest, deltas, held).items()
                    if (out / name).exists() and (only is None or name in only)}
            if plan.get("documents") is None:
                plan = dict.fromkeys(plan)  # the month of a row held is known from the documents held, loaded alike
            todo = list(plan)
            by_months = {name for name, months in plan.items() if months is not None}
            if by_months:
                months = sorted({m for name in by_months for m in plan[name]})
                # the documents of those months as the database holds them, before anything is deleted
                con.execute("CREATE OR REPLACE TEMP TABLE _touched AS SELECT doc_id, "
                            "coalesce(strftime(published, '%Y-%m'), 'unknown') AS month FROM documents "
                            "WHERE coalesce(strftime(published, '%Y-%m'), 'unknown') IN (SELECT unnest(?))",
                            [months])
            for name in todo:
                columns = ", ".join(f'"{c}"' for c in spec(name).column_names)
                folder = current_folder(out, name)
                if name in by_months:
                    table_months = plan[name]
                    con.execute(f'DELETE FROM "{name}" WHERE doc_id IN (SELECT doc_id FROM _touched '
                                f"WHERE month IN (SELECT unnest(?)))", [table_months])
                    parts = partition_files(folder)
                    files = [str(f) for m in table_months for f in parts.get(m, [])]
                    if files:
                        con.execute(f'INSERT INTO "{name}" SELECT {columns} FROM read_parquet(?, union_by_name=true)',
                                    [files])
                else:
                    con.execute(f'DROP TABLE IF EXISTS "{name}"')
                    con.execute(create_table_sql(name))
                    con.execute(f'INSERT INTO "{name}" SELECT {columns} FROM read_parquet(?, union_by_name=true)',
                                [str(folder / "**" / "*.parquet")])
                if manifest.get(name) is not None:
                    con.execute(f"INSERT OR REPLACE INTO {LOADED} VALUES (?, ?)", [name, manifest[name]])
                counts[name] = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    return counts


# ---------------------------------------------------------------------------------------------------
# PostgreSQL: keyed, by month, one transaction.
# ---------------------------------------------------------------------------------------------------

PG_TYPES = {
    "string": "text",
    "int32": "integer",
    "int64": "bigint",
    "bool": "boolean",
    "float64": "double precision",
    "date32": "date",
    "timestamp": "timestamptz",
}
# Serialises concurrent loads into the same database (an arbitrary constant: "bsheet" in ASCII).
LOAD_LOCK = 0x627368656574
COPY_BATCH_ROWS = 20_000
# The store version of each table the database holds, written in each load's transaction (beside the
# tables, so a user who may create the tables may create it too)
PG_LOADED = "_broadsheet_loaded"
# A partition folder's month, as the store names it ("2023-12"; "unknown" for undated articles)
MONTH = re.compile(r"(\d{1,4})-(\d{2})")
UNKNOWN_MONTH = "unknown"


@dataclass
class PostgresLoad:
    """What a PostgreSQL load did, per table it loaded (a table already at its version is not listed)."""

    rows: dict[str, int] = field(default_factory=dict)  # rows read from the store: the table, or its months
    inserted: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    months: dict[str, list[str]] = field(default_factory=dict)  # tables loaded by these months, not whole
    current: list[str] = field(default_factory=list)  # tables skipped: the database holds their version
    rebuilt: bool = False  # tables were (re)created from the declaration

    @property
    def changed(self) -> int:
        return sum(self.inserted.values()) + sum(self.updated.values()) + sum(self.deleted.values())


def _ident(*names: str) -> str:
    return ", ".join(quote_ident(n) for n in names)


def postgres_create_sql(name: str) -> str:
    """CREATE TABLE for PostgreSQL: declared columns, NOT NULL and the primary key."""
    return create_table_sql(name, constraints=True, types=PG_TYPES)


def postgres_foreign_keys_sql(name: str) -> list[str]:
    """One ALTER TABLE per declared reference.

    Deferred to commit, so the rows of a load can be replaced in any table order; a dangling key
    still fails the whole load.
    """
    statements = []
    for column, target in spec(name).references.items():
        target_table, target_column = target.split(".")
        if spec(target_table).key != (target_column,):
            raise ValueError(f"schemas/tables.yaml: {name}.{column} references {target}, which is not the key "
                             f"of {target_table}; a foreign key needs a unique target")
        statements.append(
            f"ALTER TABLE {_ident(name)} ADD CONSTRAINT {_ident(f'{name}_{column}_fkey')} "
            f"FOREIGN KEY ({_ident(column)}) REFERENCES {_ident(target_table)} ({_ident(target_column)}) "
            f"DEFERRABLE INITIALLY DEFERRED")
    return statements


def postgres_indexes_sql(name: str) -> list[str]:
    """The indexes a load by month needs, beyond the primary key.

    Every referencing column that does not lead the primary key: a load deletes a replaced article's
    rows by doc_id, and each deleted entity, event or quotation makes PostgreSQL look up the rows
    referencing it at commit, which without an index scans the whole referencing table once per row.
    And documents.published: the documents of a month are found by a range of dates.
    """
    declared = spec(name)
    columns = [c for c in declared.references if c != declared.key[0]]
    if name == "documents":
        columns.append("published")
    return [f"CREATE INDEX {_ident(f'{name}_{c}_idx')} ON {_ident(name)} ({_ident(c)})" for c in columns]


def postgres_loaded_sql() -> str:
    """The table recording the store version of each table the database holds."""
    return (f"CREATE TABLE {_ident(PG_LOADED)} (name text PRIMARY KEY, version text NOT NULL, "
            f"months text[], loaded_at timestamptz NOT NULL DEFAULT now())")


def postgres_schema_sql() -> list[str]:
    """Every statement that creates the declared tables, their keys and indexes, and the load record."""
    statements = [postgres_create_sql(name) for name in table_specs()]
    statements.append(postgres_loaded_sql())
    statements += [s for name in table_specs() for s in postgres_foreign_keys_sql(name)]
    statements += [s for name in table_specs() for s in postgres_indexes_sql(name)]
    return statements


def schema_fingerprint() -> str:
    """A short hash of the PostgreSQL schema; a load rebuilds the tables when it differs."""
    return hashlib.sha256("\n".join(postgres_schema_sql()).encode()).hexdigest()[:16]


def _table_comment(name: str) -> str:
    return f"Broadsheet: {spec(name).description} [schema {schema_fingerprint()}]"


def _schema_is_current(conn: psycopg.Connection) -> bool:
    expected = {name: _table_comment(name) for name in table_specs()}
    found = dict(conn.execute(
        "SELECT name, obj_description(to_regclass(quote_ident(name)), 'pg_class') FROM unnest(%s::text[]) AS name",
        [list(expected)]).fetchall())
    loaded = conn.execute("SELECT to_regclass(%s) IS NOT NULL", [quote_ident(PG_LOADED)]).fetchone()[0]
    return found == expected and loaded


def _create_schema(conn: psycopg.Connection) -> None:
    """Drop (all at once, so our own foreign keys never block it) and create every declared table.

    No CASCADE: a view an analyst built on a table makes the load fail with PostgreSQL's message
    rather than silently dropping the view. The load record goes with the tables: they are empty.
    """
    names = [*table_specs(), PG_LOADED]
    conn.execute(f"DROP TABLE IF EXISTS {_ident(*names)}")
    for statement in postgres_schema_sql():
        conn.execute(statement)
    for name in table_specs():
        conn.execute(f"COMMENT ON TABLE {_ident(name)} IS {_literal(_table_comment(name))}")
    conn.execute(f"COMMENT ON TABLE {_ident(PG_LOADED)} IS "
                 f"{_literal('Broadsheet: the store version of each table this database holds (set by each load)')}")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _copy_into(conn: psycopg.Connection, target: str, table: pa.Table) -> None:
    """COPY the rows of `table` (declared column order) into `target`, as CSV: strings quoted, null empty."""
    options = pacsv.WriteOptions(include_header=False, quoting_style="needed")
    with conn.cursor() as cur, cur.copy(
            f"COPY {_ident(target)} ({_ident(*table.schema.names)}) FROM STDIN (FORMAT csv)") as copy:
        for batch in table.to_batches(max_chunksize=COPY_BATCH_ROWS):
            buffer = io.BytesIO()
            pacsv.write_csv(batch, buffer, options)
            copy.write(buffer.getvalue())


TOUCHED = "_broadsheet_touched"  # temp table: doc_id, month of the documents held in the months loaded


def _month_start(month: str) -> date | None:
    """The first day of a partition month, None for the undated; ValueError for anything else."""
    if month == UNKNOWN_MONTH:
        return None
    found = MONTH.fullmatch(month)
    if found is None:
        raise ValueError(f"not a partition month: {month!r}")
    return date(int(found[1]), int(found[2]), 1)


def _note_touched_documents(conn: psycopg.Connection, months: set[str]) -> None:
    """Record the documents the database holds in `months`, with their month, before any row changes.

    A per-document table's rows are filed under their document's month, so these are the rows a
    load by those months replaces. Ranges of dates, so documents.published's index finds them.
    """
    conn.execute(f"CREATE TEMP TABLE {_ident(TOUCHED)} (doc_id text PRIMARY KEY, month text NOT NULL) "
                 f"ON COMMIT DROP")
    dated = sorted(m for m in months if m != UNKNOWN_MONTH)
    if dated:
        conn.execute(f"INSERT INTO {_ident(TOUCHED)} SELECT d.doc_id, m.month "
                     f"FROM unnest(%s::text[], %s::date[]) AS m(month, first) JOIN documents d "
                     f"ON d.published >= m.first AND d.published < (m.first + interval '1 month')::date",
                     [dated, [_month_start(m) for m in dated]])
    if UNKNOWN_MONTH in months:
        conn.execute(f"INSERT INTO {_ident(TOUCHED)} SELECT doc_id, %s FROM documents WHERE published IS NULL",
                     [UNKNOWN_MONTH])


def _sync_table(conn: psycopg.Connection, name: str, table: pa.Table, result: PostgresLoad,
                months: list[str] | None = None) -> None:
    """Make the PostgreSQL table hold exactly `table`: delete keys that are gone, insert new rows, update
    changed ones; rows that did not change are not written.

    With `months`, `table` is those months' rows and only the rows of the documents the database holds
    in those months (_note_touched_documents) may go: every other month is as the database holds it.
    A changed article has a new doc_id, so its old rows go and its new rows come, in this transaction.
    """
    declared = spec(name)
    stage = f"_broadsheet_stage_{name}"
    columns, key = declared.column_names, declared.key
    conn.execute(f"CREATE TEMP TABLE {_ident(stage)} (LIKE {_ident(name)}) ON COMMIT DROP")
    _copy_into(conn, stage, table)
    conn.execute(f"ANALYZE {_ident(stage)}")  # temp tables get no statistics otherwise: plans the joins
    match = " AND ".join(f"s.{_ident(k)} = t.{_ident(k)}" for k in key)
    scope, params = "", []
    if months is not None:
        scope = f"t.doc_id IN (SELECT doc_id FROM {_ident(TOUCHED)} WHERE month = ANY(%s)) AND "
        params = [months]
    deleted = conn.execute(
        f"DELETE FROM {_ident(name)} t WHERE {scope}NOT EXISTS (SELECT 1 FROM {_ident(stage)} s WHERE {match})",
        params).rowcount
    values = [c for c in columns if c not in key]
    updated = 0
    if values:
        # only rows whose values differ: an UPDATE (or an upsert's conflict) would write every row it meets
        updated = conn.execute(
            f"UPDATE {_ident(name)} t SET {', '.join(f'{_ident(c)} = s.{_ident(c)}' for c in values)} "
            f"FROM {_ident(stage)} s WHERE {match} AND "
            f"ROW({', '.join(f't.{_ident(c)}' for c in values)}) IS DISTINCT FROM "
            f"ROW({', '.join(f's.{_ident(c)}' for c in values)})").rowcount
    inserted = conn.execute(
        f"INSERT INTO {_ident(name)} ({_ident(*columns)}) SELECT {', '.join(f's.{_ident(c)}' for c in columns)} "
        f"FROM {_ident(stage)} s WHERE NOT EXISTS (SELECT 1 FROM {_ident(name)} t WHERE {match})").rowcount
    result.rows[name] = table.num_rows
    result.inserted[name], result.updated[name], result.deleted[name] = inserted, updated, deleted


def _conninfo(dsn: str) -> str:
    given = conninfo_to_dict(dsn)
    defaults = {"application_name": "broadsheet", "connect_timeout": "10"}
    return make_conninfo(dsn, **{k: v for k, v in defaults.items() if k not in given})


def describe_dsn(dsn: str) -> str:
    """The DSN without its password, for messages."""
    try:
        info = conninfo_to_dict(dsn)
    except psycopg.Error:
        return "<unparsable DSN>"
    user = f"{info['user']}@" if info.get("user") else ""
    port = f":{info['port']}" if info.get("port") else ""
    return f"postgresql://{user}{info.get('host', '')}{port}/{info.get('dbname', '')}"


def plan_load(manifest: dict[str, str], deltas: dict[str, dict], loaded: dict[str, str]) -> dict[str, list[str] | None]:
    """What a load must do, decided as load_duckdb decides: table -> the months to load it by, or None to
    sync it whole; a table the warehouse holds at its current version is left out.

    `manifest` is the store's committed version of each table, `deltas` the delta note ({"parent",
    "months"}) of each per-document table's current version that has one, `loaded` the version of each
    table the warehouse holds. A per-document table goes by months when its current version was made
    from the one held; and only when documents does, as a row's month is read off the documents held.
    The corpus-level tables (entities, places, runs, ...) are always whole: small, and rewritten whole.
    """
    todo = [name for name in table_specs() if manifest.get(name) is None or loaded.get(name) != manifest[name]]
    by_months = {name: sorted(deltas[name]["months"]) for name in todo
                 if spec(name).per_document and loaded.get(name) is not None and name in deltas
                 and deltas[name].get("parent") == loaded[name]}
    try:
        for months in by_months.values():
            for month in months:
                _month_start(month)
    except ValueError:
        by_months = {}  # a month this code cannot find documents by: whole tables are always right
    if "documents" not in by_months:
        by_months = {}
    return {name: by_months.get(name) for name in todo}


@dataclass
class _Read:
    """A table's rows for a load: its version, and the whole table or only `months`' rows."""

    version: str | None
    months: list[str] | None
    table: pa.Table


def read_changes(out: Path, loaded: dict[str, str], attempts: int = 3) -> dict[str, _Read]:
    """The rows a warehouse holding `loaded` (table -> version) needs, all from one committed set of versions.

    A run committing meanwhile changes the manifest (and may remove a version being read): then the
    plan is made and the rows read again, so a load never mixes two runs' tables.
    """
    for _ in range(attempts):
        manifest = read_manifest(out)
        try:
            reads = _read_planned(out, manifest, loaded)
        except OSError:
            if read_manifest(out) == manifest:
                raise
            continue
        if read_manifest(out) == manifest:
            return reads
    raise RuntimeError(f"the tables under {out} kept changing while being read (a run is writing); try again")


def read_snapshot(out: Path, attempts: int = 3) -> dict[str, pa.Table]:
    """Every table whole, as one run committed them: the versions the manifest names, not the links."""
    return {name: read.table for name, read in read_changes(out, {}, attempts).items()}


def _read_planned(out: Path, manifest: dict[str, str], loaded: dict[str, str]) -> dict[str, _Read]:
    deltas = {}
    for name, version in manifest.items():
        note = out / VERSIONS / name / version / DELTA
        if name in table_specs() and spec(name).per_document and loaded.get(name) is not None and note.exists():
            deltas[name] = json.loads(note.read_text(encoding="utf-8"))
    reads = {}
    for name, months in plan_load(manifest, deltas, loaded).items():
        version = manifest.get(name)
        if months is None:
            reads[name] = _Read(version, None, _read_version(out, name, version))
            continue
        parts = partition_files(out / VERSIONS / name / version)
        files = [f for month in months for f in parts.get(month, [])]
        table = (conform(name, pa.concat_tables([pq.read_table(f) for f in files], promote_options="default"))
                 if files else empty_table(name))
        reads[name] = _Read(version, months, table)
    return reads


def _read_version(out: Path, name: str, version: str | None) -> pa.Table:
    if version is None:  # not in the manifest: the table as its link shows it (empty when absent)
        return read_table(out, name)
    folder = out / VERSIONS / name / version
    table = read_folder(name, folder)
    if table is None:
        raise FileNotFoundError(f"{folder}: no Parquet files")
    return table


def load_postgres(out: Path, dsn: str) -> PostgresLoad:
    """Bring the PostgreSQL database at `dsn` up to date with the tables under `out`, in one transaction.

    Tables are created from schemas/ (primary keys, deferred foreign keys) on the first load, and
    rebuilt when the declaration changed. The database records the store version of each table it
    holds (PG_LOADED, in the same transaction as the rows), so a table at its version is not read,
    and a per-document table one version behind is synced by the months its new version rewrote;
    other tables (the corpus-level ones, or any further behind) are synced whole. Either way by key:
    rows whose key is gone are deleted, new and changed rows written, unchanged rows left alone. Any
    error rolls the whole load back: the warehouse is as it was.
    """
    if not (out / "documents").exists():
        raise FileNotFoundError(f"no Broadsheet tables under {out} (run `broadsheet run ... --out {out}` first)")
    result = PostgresLoad()
    with psycopg.connect(_conninfo(dsn)) as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [LOAD_LOCK])
        if not _schema_is_current(conn):
            _create_schema(conn)
            result.rebuilt = True
        loaded = dict(conn.execute(f"SELECT name, version FROM {_ident(PG_LOADED)}").fetchall())
        reads = read_changes(out, loaded)
        result.current = [name for name in table_specs() if name not in reads]
        months = {m for read in reads.values() if read.months is not None for m in read.months}
        if months:
            _note_touched_documents(conn, months)
        for name, read in reads.items():
            _sync_table(conn, name, read.table, result, read.months)
            if read.months is not None:
                result.months[name] = read.months
            if read.version is None:
                conn.execute(f"DELETE FROM {_ident(PG_LOADED)} WHERE name = %s", [name])
            else:
                conn.execute(f"INSERT INTO {_ident(PG_LOADED)} (name, version, months) VALUES (%s, %s, %s) "
                             f"ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version, "
                             f"months = EXCLUDED.months, loaded_at = now()", [name, read.version, read.months])
        conn.execute("SET CONSTRAINTS ALL IMMEDIATE")  # dangling keys fail here, with the table named
    return result
