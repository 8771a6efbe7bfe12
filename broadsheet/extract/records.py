"""Typed records of the extracted tables, one class per table, made from schemas/tables.yaml.

A record holds one row's values as attributes (`mention.entity_id`, `quote.speaker_text`); its fields
are the table's declared columns, in order, so a column is still named only in the schema. The class
name is the table's `extracted_by.record` ("Mention", "TimeExpression"); import it from this module
(`from broadsheet.extract.records import Mention`). `Records` is a list of one table's records that
turns itself into an Arrow table or a pandas DataFrame.

What this module does not do: extract anything, or validate keys and spans (broadsheet.tables does,
on the Arrow table).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import cache
from typing import Any

from broadsheet.tables import extracted_tables, spec, to_arrow

_PYTHON_TYPES: dict[str, type] = {"string": str, "int32": int, "int64": int, "bool": bool, "float64": float,
                                  "date32": dt.date, "timestamp": dt.datetime}


class Record:
    """Base of every record class: the row as a dict and the table it belongs to."""

    table: str = ""

    def as_row(self) -> dict[str, Any]:
        """The record as a table row: a dict keyed by the declared columns, in declaration order."""
        return dict(self.__dict__)


@cache
def record_class(table: str) -> type[Record]:
    """The record class of a declared table: a dataclass with one field per column (nullable columns
    default to None)."""
    declared = spec(table)
    name = declared.extracted_by.record if declared.extracted_by else _camel(table)
    fields = [(c.name, _PYTHON_TYPES[c.type] | None if c.nullable else _PYTHON_TYPES[c.type],
               dataclasses.field(default=None) if c.nullable else dataclasses.field())
              for c in declared.columns]
    cls = dataclasses.make_dataclass(name, fields, bases=(Record,), kw_only=True, eq=True,
                                     namespace={"table": table, "__module__": __name__})
    cls.__doc__ = f"One row of `{table}`: {declared.description}"
    return cls


def _camel(table: str) -> str:
    return "".join(part.capitalize() for part in table.split("_"))


@cache
def _classes_by_name() -> dict[str, str]:
    return {t.extracted_by.record: t.name for t in extracted_tables()}


def __getattr__(name: str) -> type[Record]:
    """`from broadsheet.extract.records import Mention`: the class of the table declaring that record
    name (also how pickle finds a record's class in another process)."""
    table = _classes_by_name().get(name)
    if table is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return record_class(table)


class Records(list):
    """One table's records (a list), with the table's Arrow and pandas forms."""

    def __init__(self, table: str, records: list[Record] | tuple[Record, ...] = ()) -> None:
        super().__init__(records)
        self.table = table

    def rows(self) -> list[dict[str, Any]]:
        """The records as table rows (dicts keyed by the declared columns)."""
        return [r.as_row() for r in self]

    def to_arrow(self):  # -> pyarrow.Table (imported lazily by callers that need the type)
        """The records as a pyarrow Table with the declared schema, validated (types, nulls, keys)."""
        return to_arrow(self.table, self.rows())

    def to_pandas(self):  # -> pandas.DataFrame
        """The records as a pandas DataFrame with the declared columns (empty tables keep them)."""
        return self.to_arrow().to_pandas()

    def __repr__(self) -> str:
        return f"Records({self.table!r}, {len(self)} rows)"
