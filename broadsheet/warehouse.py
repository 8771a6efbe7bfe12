"""Load the Parquet tables into a warehouse: DuckDB (embedded default).

Tables are created from the declarations in schemas/ and replaced inside one transaction, so a
failed load leaves the warehouse as it was. Reads Parquet; never touches the Parquet files.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from broadsheet.tables import create_table_sql, spec, table_specs


def parquet_glob(table_dir: Path) -> str:
    """A glob of a table's Parquet files (resolved through the table's version link)."""
    return str(table_dir.resolve() / "**" / "*.parquet")


def load_duckdb(out: Path, database: Path, only: list[str] | None = None) -> dict[str, int]:
    """Replace every table (or those in `only`) of `database` with the tables under `out`; rows per table."""
    database.parent.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with duckdb.connect(str(database)) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            for name in table_specs():
                if not (out / name).exists() or (only is not None and name not in only):
                    continue
                columns = ", ".join(f'"{c}"' for c in spec(name).column_names)
                con.execute(f'DROP TABLE IF EXISTS "{name}"')
                con.execute(create_table_sql(name))
                con.execute(f'INSERT INTO "{name}" SELECT {columns} FROM read_parquet(?, union_by_name=true)',
                            [parquet_glob(out / name)])
                counts[name] = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    return counts
