"""The one way an extractor reads its data files (broadsheet/extract/data/): package data read through
importlib.resources, parsed once per process.

    from broadsheet.extract.lexicon import load_yaml, load_tsv
    rules = load_yaml("time_rules.yaml")    # the parsed document (shared: read it, never change it)
    places = load_tsv("names_places.tsv")   # rows of tab-separated fields, comments and blanks left out

Each file is read and parsed on first use and cached: an article never costs a file read. What an
extractor builds from the data (compiled patterns, sets, dataclasses) it caches itself, once.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

# The package whose data/ folder holds the data files.
_PACKAGE = "broadsheet.extract"
_FOLDER = "data"


class LexiconError(ValueError):
    """A data file is missing or says something the code cannot use (an unknown filter, a missing key)."""


def data_text(name: str) -> str:
    """The text of one data file, e.g. "time_rules.yaml" (UTF-8)."""
    resource = resources.files(_PACKAGE).joinpath(_FOLDER, name)
    if not resource.is_file():
        raise LexiconError(f"no data file {_FOLDER}/{name} in package {_PACKAGE}")
    return resource.read_text(encoding="utf-8")


class _UniqueKeyLoader(yaml.SafeLoader):
    """safe_load that refuses a key written twice in one mapping: plain YAML keeps the last and drops
    the first without a word, which silently loses half of a rule (two `rejects_for:` under one type)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise ValueError(f"{key!r} is written twice in one mapping ({key_node.start_mark})")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


@cache
def load_yaml(name: str) -> Any:
    """The parsed YAML document of a data file, read once per process. The same object is returned to
    every caller: treat it as read-only. A key repeated in one mapping is an error."""
    return yaml.load(data_text(name), Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass


@cache
def load_tsv(name: str) -> tuple[tuple[str, ...], ...]:
    """The rows of a tab-separated data file, read once per process: lines that are blank or start
    with "#" are left out; each row is its fields as written."""
    return tuple(tuple(line.split("\t")) for line in data_text(name).splitlines()
                 if line.strip() and not line.startswith("#"))



@cache
def threshold(name: str, key: str) -> Any:
    """A number that tunes a rule, by its key under `thresholds:` in the data file `name` (each is
    written beside a comment saying what it tunes). Cached: a lookup per call, no file read."""
    section = load_yaml(name).get("thresholds") or {}
    if key not in section:
        raise LexiconError(f"data/{name} has no threshold `{key}` under `thresholds:`")
    return section[key]


@cache
def declared_columns(table: str) -> frozenset[str]:
    """The columns schemas/tables.yaml declares for a table (read once, through broadsheet.tables):
    an extractor emits an optional column only once the schema declares it."""
    from broadsheet.tables import spec

    return frozenset(spec(table).column_names)
