"""Corpus-level steps over the merged tables: one entity id per real-world entity across articles,
and the aliases table.

Runs after a run's rows are merged with the stored ones, on Arrow tables; which entities are one is
decided by broadsheet.extract.names.merge_across_documents, this module only applies the decision to
every table that refers to entities. No I/O.
"""

from __future__ import annotations

from collections import Counter

import pyarrow as pa
import pyarrow.compute as pc

from broadsheet.extract.names import merge_across_documents
from broadsheet.tables import arrow_schema, table_specs


def link_entities(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """The tables with entities that the corpus shows to be one merged onto one id.

    Merges are monotone: an id merged away is gone, so a later article cannot split it again.
    """
    mapping = merge_across_documents(linkable(tables["entities"], tables.get("places")).to_pylist(),
                                     tables["mentions"].select(["entity_id", "doc_id", "mention_kind"]).to_pylist())
    if not mapping:
        return tables
    old, new = pa.array(list(mapping), pa.string()), pa.array(list(mapping.values()), pa.string())
    linked = dict(tables)
    for name, table_spec in table_specs().items():
        for column, target in table_spec.references.items():
            if target == "entities.entity_id" and name in linked:
                linked[name] = _remap_column(linked[name], column, old, new)
    participants = linked["event_participants"]
    if participants.num_rows:  # two participants merged into one entity: keep one row per key
        linked["event_participants"] = _unique_rows(participants, ["event_id", "entity_id", "role"])
    entities = linked["entities"]
    linked["entities"] = entities.filter(pc.invert(pc.is_in(entities.column("entity_id"), value_set=old)))
    return linked


def linkable(entities: pa.Table, places: pa.Table | None) -> pa.Table:
    """The entities name-based linking may merge: not the places, whose identity the gazetteer decided
    (two places of one name stay two; their names are the gazetteer's, so there is nothing to link)."""
    if places is None or not places.num_rows:
        return entities
    return entities.filter(pc.invert(pc.is_in(entities.column("entity_id"), value_set=places.column("entity_id"))))


def prune_places(places: pa.Table, entities: pa.Table) -> pa.Table:
    """The places rows whose entity is still in the corpus."""
    return places.filter(pc.is_in(places.column("entity_id"), value_set=entities.column("entity_id")))


def _remap_column(table: pa.Table, column: str, old: pa.Array, new: pa.Array) -> pa.Table:
    values = table.column(column)
    index = pc.index_in(values, value_set=old)
    remapped = pc.if_else(pc.is_null(index), values, pc.take(new, pc.fill_null(index, 0)))
    return table.set_column(table.schema.get_field_index(column), table.schema.field(column), remapped)


def _unique_rows(table: pa.Table, key: list[str]) -> pa.Table:
    seen: set[tuple] = set()
    keep = []
    for row in table.select(key).to_pylist():
        marker = tuple(row[k] for k in key)
        keep.append(marker not in seen)
        seen.add(marker)
    return table.filter(pa.array(keep))


def entity_aliases(mentions: pa.Table) -> pa.Table:
    """Every surface form of every entity's name mentions, with how often it occurs."""
    names = mentions.filter(pc.equal(mentions.column("mention_kind"), "name"))
    counts = Counter(zip(names.column("entity_id").to_pylist(), names.column("text").to_pylist(), strict=True))
    rows = [{"entity_id": eid, "alias": alias, "count": n} for (eid, alias), n in sorted(counts.items())]
    return pa.Table.from_pylist(rows, schema=arrow_schema("entity_aliases"))




def count_entities(tables: dict[str, pa.Table]) -> pa.Table:
    """The entities something still refers to, with corpus-wide mention and document counts."""
    mentions = tables["mentions"]
    counts = mentions.group_by("entity_id").aggregate([("doc_id", "count"), ("doc_id", "count_distinct")])
    ids = counts.column("entity_id").to_pylist()
    n_mentions = dict(zip(ids, counts.column("doc_id_count").to_pylist(), strict=True))
    n_docs = dict(zip(ids, counts.column("doc_id_count_distinct").to_pylist(), strict=True))
    referenced = set(n_mentions)
    for name, table_spec in table_specs().items():
        for column, target in table_spec.references.items():
            # only an article's rows keep an entity alive: not its aliases, nor its own places row
            if target == "entities.entity_id" and table_spec.per_document and name != "mentions" and name in tables:
                referenced.update(v for v in tables[name].column(column).to_pylist() if v is not None)
    rows = [dict(row, n_mentions=n_mentions.get(row["entity_id"], 0), n_documents=n_docs.get(row["entity_id"], 0))
            for row in tables["entities"].to_pylist() if row["entity_id"] in referenced]
    return pa.Table.from_pylist(rows, schema=arrow_schema("entities"))


def finish_tables(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """Merged tables → final tables: entities linked across articles, counted, pruned; aliases rebuilt."""
    finished = link_entities(tables)
    finished["entities"] = count_entities(finished)
    if "places" in finished:
        finished["places"] = prune_places(finished["places"], finished["entities"])
    finished["entity_aliases"] = entity_aliases(finished["mentions"])
    return finished
