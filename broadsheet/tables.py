"""The table declarations of schemas/tables.yaml turned into pyarrow schemas, validation and docs.

Everything that knows a column (writer, validation, data dictionary, warehouse DDL) asks this module,
so a column is named once, in schemas/tables.yaml. This module does no file I/O beyond reading that
declaration.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pyarrow as pa
import pyarrow.compute as pc
import yaml

ARROW_TYPES = {
    "string": pa.string(),
    "int32": pa.int32(),
    "int64": pa.int64(),
    "bool": pa.bool_(),
    "float64": pa.float64(),
    "date32": pa.date32(),
    "timestamp": pa.timestamp("us", tz="UTC"),
}
SQL_TYPES = {
    "string": "VARCHAR",
    "int32": "INTEGER",
    "int64": "BIGINT",
    "bool": "BOOLEAN",
    "float64": "DOUBLE",
    "date32": "DATE",
    "timestamp": "TIMESTAMPTZ",
}


# Per-document tables are stored as hive partitions by the article's publication month
# (published_month=2023-12, or published_month=unknown): not a declared column, a folder level.
PARTITION_COLUMN = "published_month"


class ValidationError(ValueError):
    """A table breaks its declaration: wrong columns, nulls, duplicate keys, dangling keys or spans."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool
    description: str


@dataclass(frozen=True)
class Extraction:
    """Which spaCy component fills a table, the Doc extension holding its records, their class name."""

    component: str
    attribute: str
    record: str


@dataclass(frozen=True)
class TableSpec:
    name: str
    description: str
    key: tuple[str, ...]
    per_document: bool
    derived: bool
    references: dict[str, str]
    columns: tuple[Column, ...]
    extracted_by: Extraction | None = None
    filled_by: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def has_span(self) -> bool:
        return {"doc_id", "start_char", "end_char", "text"} <= set(self.column_names) and self.name != "documents"


@lru_cache(maxsize=1)
def table_specs() -> dict[str, TableSpec]:
    """All declared tables, by name, in declaration order."""
    return parse_table_specs(resources.files("broadsheet.schemas").joinpath("tables.yaml").read_text(encoding="utf-8"))


def parse_table_specs(declaration: str) -> dict[str, TableSpec]:
    """Table specs from the text of a declaration in the format of schemas/tables.yaml."""
    raw = yaml.safe_load(declaration)
    specs = {}
    for name, body in raw.items():
        columns = tuple(
            Column(col, spec["type"], bool(spec["nullable"]), spec["description"])
            for col, spec in body["columns"].items()
        )
        unknown = {c.type for c in columns} - ARROW_TYPES.keys()
        if unknown:
            raise ValueError(f"schemas/tables.yaml: table {name} uses unknown types {unknown}")
        extracted_by = Extraction(**body["extracted_by"]) if body.get("extracted_by") else None
        specs[name] = TableSpec(name, body["description"], tuple(body["key"]), bool(body.get("per_document")),
                                bool(body.get("derived")), dict(body.get("references") or {}), columns,
                                extracted_by, tuple(body.get("filled_by") or ()))
    return specs


def spec(name: str) -> TableSpec:
    return table_specs()[name]


def extracted_tables() -> list[TableSpec]:
    """The tables extraction fills, in declaration order (the order their components run)."""
    return [t for t in table_specs().values() if t.extracted_by is not None]


def arrow_schema(name: str) -> pa.Schema:
    """The pyarrow schema of a declared table."""
    return pa.schema([pa.field(c.name, ARROW_TYPES[c.type], nullable=c.nullable) for c in spec(name).columns])


def to_arrow(name: str, rows: list[dict]) -> pa.Table:
    """Rows (dicts keyed by the declared columns, exactly) as a validated Arrow table."""
    expected = set(spec(name).column_names)
    for row in rows:
        if row.keys() != expected:
            extra, missing = sorted(row.keys() - expected), sorted(expected - row.keys())
            raise ValidationError(f"{name}: row has extra columns {extra} / missing columns {missing}")
    try:
        table = pa.Table.from_pylist(rows, schema=arrow_schema(name))
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise ValidationError(f"{name}: {exc}") from exc
    validate_table(name, table)
    return table


def empty_table(name: str) -> pa.Table:
    return arrow_schema(name).empty_table()


def validate_table(name: str, table: pa.Table) -> None:
    """Columns and types as declared, no nulls in non-nullable columns, unique keys."""
    declared = spec(name)
    schema = arrow_schema(name)
    if table.schema.names[: len(schema.names)] != schema.names:
        raise ValidationError(f"{name}: columns {table.schema.names} != declared {schema.names}")
    for column in declared.columns:
        field = table.schema.field(column.name)
        if field.type != ARROW_TYPES[column.type]:
            raise ValidationError(f"{name}.{column.name}: type {field.type} != declared {column.type}")
        if not column.nullable and table.column(column.name).null_count:
            raise ValidationError(f"{name}.{column.name}: {table.column(column.name).null_count} nulls "
                                  f"in a non-nullable column")
    if table.num_rows:
        distinct = table.group_by(list(declared.key)).aggregate([]).num_rows
        if distinct != table.num_rows:
            raise ValidationError(f"{name}: {table.num_rows - distinct} rows repeat the key {declared.key}")


def validate_references(tables: dict[str, pa.Table]) -> None:
    """Every declared foreign key resolves (nulls allowed where the column is nullable)."""
    for name, table in tables.items():
        for column, target in spec(name).references.items():
            target_table, target_column = target.split(".")
            if target_table not in tables:
                continue
            values = pc.drop_null(pc.unique(table.column(column)))
            known = pc.unique(tables[target_table].column(target_column))
            dangling = pc.filter(values, pc.invert(pc.is_in(values, value_set=known)))
            if len(dangling):
                raise ValidationError(f"{name}.{column}: {len(dangling)} values not in {target} "
                                      f"(e.g. {dangling[0].as_py()!r})")


def validate_spans(tables: dict[str, pa.Table]) -> None:
    """For every row with a span, documents.text[start_char:end_char] == text (and speaker spans)."""
    texts = dict(zip(tables["documents"].column("doc_id").to_pylist(),
                     tables["documents"].column("text").to_pylist(), strict=True))
    for name, table in tables.items():
        if not spec(name).has_span:
            continue
        spans = [("start_char", "end_char", "text")]
        for role in ("speaker", "addressee"):
            if f"{role}_text" in table.schema.names:
                spans.append((f"{role}_start_char", f"{role}_end_char", f"{role}_text"))
        for row in table.select(["doc_id", *{c for s in spans for c in s}]).to_pylist():
            body = texts.get(row["doc_id"])
            if body is None:
                continue  # a dangling doc_id is validate_references' to report
            for start, end, text in spans:
                if row[start] is None:
                    continue
                if not 0 <= row[start] <= row[end] <= len(body) or body[row[start]:row[end]] != row[text]:
                    raise ValidationError(f"{name}: span [{row[start]}:{row[end]}] of {row['doc_id']} is "
                                          f"{body[row[start]:row[end]]!r}, row says {row[text]!r}")


def validate_all(tables: dict[str, pa.Table]) -> None:
    """Each table against its declaration, then the foreign keys and spans across tables."""
    for name, table in tables.items():
        validate_table(name, table)
    validate_references(tables)
    if "documents" in tables:
        validate_spans(tables)


def data_dictionary() -> str:
    """docs/tables.md: every table, column, type, key and an example join, from the declaration."""
    lines = ["# Broadsheet tables", "",
             "Generated from `schemas/tables.yaml` by `broadsheet docs` — do not edit by hand.", "",
             "Each table is a Parquet dataset folder under the output root (default `data/`), and a table "
             "of the same name in `data/broadsheet.duckdb`. Offsets are 0-based, end-exclusive, into "
             "`documents.text`. Tables whose rows belong to one article are hive-partitioned by the "
             f"article's publication month (`{PARTITION_COLUMN}=2023-12`, or `{PARTITION_COLUMN}=unknown`), "
             "which dataset readers add as a column.", ""]
    for table in table_specs().values():
        lines += [f"## {table.name}", "", table.description, "", f"Key: `{', '.join(table.key)}`."]
        if table.references:
            refs = ", ".join(f"`{col}` → `{target}`" for col, target in table.references.items())
            lines.append(f"References: {refs}.")
        lines += ["", "| column | type | nullable | description |", "|---|---|---|---|"]
        lines += [f"| {c.name} | {c.type} | {'yes' if c.nullable else 'no'} | {c.description} |"
                  for c in table.columns]
        lines.append("")
    lines += ["## Example join", "", "Who said what, and when the article appeared:", "", "```sql",
              "SELECT e.name AS speaker, q.text AS quote, d.published",
              "FROM quotations q",
              "JOIN documents d USING (doc_id)",
              "LEFT JOIN entities e ON e.entity_id = q.speaker_entity_id",
              "ORDER BY d.published;", "```", ""]
    return "\n".join(lines)


def create_table_sql(name: str, *, constraints: bool = False, types: dict[str, str] | None = None) -> str:
    """CREATE TABLE for a declared table, in the SQL types given (DuckDB's by default), with the
    primary key when `constraints`."""
    table, types = spec(name), types or SQL_TYPES
    cols = [f"{quote_ident(c.name)} {types[c.type]}{'' if c.nullable else ' NOT NULL'}" for c in table.columns]
    if constraints:
        cols.append(f"PRIMARY KEY ({', '.join(quote_ident(k) for k in table.key)})")
    return f"CREATE TABLE {quote_ident(name)} (\n  " + ",\n  ".join(cols) + "\n)"


def quote_ident(name: str) -> str:
    """A SQL identifier in double quotes (valid in DuckDB and PostgreSQL)."""
    return '"' + name.replace('"', '""') + '"'
