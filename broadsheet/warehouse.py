"""Load the Parquet tables into a warehouse: DuckDB (embedded default) or PostgreSQL.

Tables are created from the declarations in schemas/. DuckDB tables are loaded by the months a run
rewrote (or replaced, when the file is behind by more than one version);
PostgreSQL tables get primary and foreign keys and are synced incrementally by key. Either way a
load is one transaction, so a failed load leaves the warehouse as it was. Reads Parquet; never
touches the Parquet files.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from broadsheet.store import (
    VERSIONS,
    current_folder,
    partition_files,
    read_delta,
    read_folder,
    read_manifest,
    read_table,
)
from broadsheet.tables import create_table_sql, quote_ident, spec, table_specs


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
            todo = [name for name in table_specs() if (out / name).exists() and (only is None or name in only)
                    and not (name in existing and manifest.get(name) is not None
                             and loaded.get(name) == manifest.get(name))]
            by_months = {name for name in todo if spec(name).per_document and name in existing
                         and loaded.get(name) is not None and deltas.get(name, {}).get("parent") == loaded[name]}
            if "documents" not in by_months:
                by_months = set()  # the month of a row held is known from the documents held, loaded alike
            if by_months:
                months = sorted({m for name in by_months for m in deltas[name]["months"]})
                # the documents of those months as the database holds them, before anything is deleted
                con.execute("CREATE OR REPLACE TEMP TABLE _touched AS SELECT doc_id, "
                            "coalesce(strftime(published, '%Y-%m'), 'unknown') AS month FROM documents "
                            "WHERE coalesce(strftime(published, '%Y-%m'), 'unknown') IN (SELECT unnest(?))",
                            [months])
            for name in todo:
                columns = ", ".join(f'"{c}"' for c in spec(name).column_names)
                folder = current_folder(out, name)
                if name in by_months:
                    table_months = deltas[name]["months"]
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
# PostgreSQL: keyed, incremental, one transaction.
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


@dataclass
class PostgresLoad:
    """What a PostgreSQL load did, per table."""

    rows: dict[str, int] = field(default_factory=dict)
    inserted: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
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


def postgres_schema_sql() -> list[str]:
    """Every statement that creates the declared tables, their keys and their comments."""
    statements = [postgres_create_sql(name) for name in table_specs()]
    statements += [s for name in table_specs() for s in postgres_foreign_keys_sql(name)]
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
    return found == expected


def _create_schema(conn: psycopg.Connection) -> None:
    """Drop (all at once, so our own foreign keys never block it) and create every declared table.

    No CASCADE: a view an analyst built on a table makes the load fail with PostgreSQL's message
    rather than silently dropping the view.
    """
    names = list(table_specs())
    conn.execute(f"DROP TABLE IF EXISTS {_ident(*names)}")
    for statement in postgres_schema_sql():
        conn.execute(statement)
    for name in names:
        conn.execute(f"COMMENT ON TABLE {_ident(name)} IS {_literal(_table_comment(name))}")


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


def _sync_table(conn: psycopg.Connection, name: str, table: pa.Table, result: PostgresLoad) -> None:
    """Make the PostgreSQL table hold exactly `table`: delete keys that are gone, upsert new and changed rows.

    A changed article has a new doc_id, so its old rows go and its new rows come, in this transaction;
    rows that did not change are not rewritten.
    """
    declared = spec(name)
    stage = f"_broadsheet_stage_{name}"
    columns, key = declared.column_names, declared.key
    conn.execute(f"CREATE TEMP TABLE {_ident(stage)} (LIKE {_ident(name)}) ON COMMIT DROP")
    _copy_into(conn, stage, table)
    match = " AND ".join(f"s.{_ident(k)} = t.{_ident(k)}" for k in key)
    deleted = conn.execute(
        f"DELETE FROM {_ident(name)} t WHERE NOT EXISTS (SELECT 1 FROM {_ident(stage)} s WHERE {match})")
    values = [c for c in columns if c not in key]
    if values:
        row_t = ", ".join(f"{_ident(name)}.{_ident(c)}" for c in values)
        row_x = ", ".join(f"EXCLUDED.{_ident(c)}" for c in values)
        on_conflict = (f"DO UPDATE SET {', '.join(f'{_ident(c)} = EXCLUDED.{_ident(c)}' for c in values)} "
                       f"WHERE ROW({row_t}) IS DISTINCT FROM ROW({row_x})")
    else:
        on_conflict = "DO NOTHING"
    # xmax = 0 tells an inserted row from an updated one
    inserted, updated = conn.execute(
        f"WITH upsert AS (INSERT INTO {_ident(name)} ({_ident(*columns)}) SELECT {_ident(*columns)} "
        f"FROM {_ident(stage)} ON CONFLICT ({_ident(*key)}) {on_conflict} RETURNING (xmax = 0) AS is_new) "
        f"SELECT count(*) FILTER (WHERE is_new), count(*) FILTER (WHERE NOT is_new) FROM upsert").fetchone()
    result.rows[name] = table.num_rows
    result.inserted[name], result.updated[name], result.deleted[name] = inserted, updated, deleted.rowcount


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


def read_snapshot(out: Path, attempts: int = 3) -> dict[str, pa.Table]:
    """Every table as one run committed them: the versions the manifest names, not the links.

    A run committing meanwhile changes the manifest (and may remove a version being read): then the
    tables are read again, so a load never mixes two runs' tables.
    """
    for _ in range(attempts):
        manifest = read_manifest(out)
        try:
            tables = {name: _read_version(out, name, manifest.get(name)) for name in table_specs()}
        except OSError:
            if read_manifest(out) == manifest:
                raise
            continue
        if read_manifest(out) == manifest:
            return tables
    raise RuntimeError(f"the tables under {out} kept changing while being read (a run is writing); try again")


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
    rebuilt when the declaration changed. Each table is then synced by its key: rows whose key is
    gone are deleted, new and changed rows are upserted, unchanged rows are left alone. Any error
    rolls the whole load back: the warehouse is as it was.
    """
    if not (out / "documents").exists():
        raise FileNotFoundError(f"no Broadsheet tables under {out} (run `broadsheet run ... --out {out}` first)")
    tables = read_snapshot(out)
    result = PostgresLoad()
    with psycopg.connect(_conninfo(dsn)) as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [LOAD_LOCK])
        if not _schema_is_current(conn):
            _create_schema(conn)
            result.rebuilt = True
        for name in table_specs():
            _sync_table(conn, name, tables[name], result)
        conn.execute("SET CONSTRAINTS ALL IMMEDIATE")  # dangling keys fail here, with the table named
    return result
