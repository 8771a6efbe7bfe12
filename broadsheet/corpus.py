"""Corpus-level steps over the merged tables: one entity id per real-world entity across articles,
and the aliases table.

Runs after a run's rows are merged with the stored ones, on Arrow tables; which entities are one is
decided by broadsheet.extract.names.link_across_documents, this module only applies the decision to
every table that refers to entities. No I/O.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import pyarrow as pa
import pyarrow.compute as pc

from broadsheet.extract.ids import entity_id_for, name_key
from broadsheet.extract.names import PERSON_MERGES, document_counts, link_across_documents
from broadsheet.tables import arrow_schema, empty_table, table_specs

MERGES = "entity_merges"


def link_entities(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """The tables with entities that the corpus shows to be one merged onto one id, and `entity_merges`
    saying why each id was merged.

    The links are decided afresh over the whole corpus, from the ids the articles gave (rows a person's
    name merge moved are first put back, restore_article_ids), so they do not depend on the order the
    articles came in: a surname merged while it had one candidate goes back to itself once a second
    full name makes it ambiguous.
    """
    merges = tables.get(MERGES, empty_table(MERGES))
    restored = restore_article_ids(tables, merges)
    entities = universe(restored["entities"], merges)
    mentions = restored["mentions"].select(["entity_id", "doc_id", "mention_kind", "text"]).to_pylist()
    name_docs, full_docs = document_counts(entities.to_pylist(), mentions)
    decisions = link_across_documents(linkable(entities, tables.get("places")).to_pylist(), name_docs,
                                     full_docs)
    linked = remap_entities(restored, {old: new for old, (new, _) in decisions.items()})
    old = pa.array(list(decisions), pa.string())
    linked["entities"] = entities.filter(pc.invert(pc.is_in(entities.column("entity_id"), value_set=old)))
    linked[MERGES] = merges_table(decisions, entities)
    return linked


def remap_entities(tables: dict[str, pa.Table], mapping: dict[str, str]) -> dict[str, pa.Table]:
    """Every column that names an entity, with the ids in `mapping` replaced."""
    if not mapping:
        return dict(tables)
    old, new = pa.array(list(mapping), pa.string()), pa.array(list(mapping.values()), pa.string())
    linked = dict(tables)
    for name, table_spec in table_specs().items():
        for column, target in table_spec.references.items():
            if target == "entities.entity_id" and name in linked and table_spec.per_document:
                linked[name] = _remap_column(linked[name], column, old, new)
    participants = linked.get("event_participants")
    if participants is not None and participants.num_rows:  # two participants merged into one entity
        linked["event_participants"] = _unique_rows(participants, ["event_id", "entity_id", "role"])
    return linked


def universe(entities: pa.Table, merges: pa.Table) -> pa.Table:
    """The entities, then each id merged away before (from `entity_merges`) as the entity its article
    gave: the linker decides about those again."""
    known = set(entities.column("entity_id").to_pylist())
    rows = [{"entity_id": m["from_id"], "name": m["from_name"], "type": m["from_type"],
             "name_key": name_key(m["from_name"]), "n_mentions": 0, "n_documents": 0}
            for m in merges.to_pylist() if m["from_id"] not in known]
    if not rows:
        return entities
    return pa.concat_tables([entities, pa.Table.from_pylist(rows, schema=arrow_schema("entities"))])


def merges_table(decisions: dict[str, tuple[str, str]], entities: pa.Table) -> pa.Table:
    """entity_merges rows for the decisions (old id -> (new id, reason)), ordered by old id."""
    by_id = {e["entity_id"]: e for e in entities.select(["entity_id", "name", "type"]).to_pylist()}
    rows = [{"from_id": old, "to_id": new, "reason": reason, "from_name": by_id[old]["name"],
             "from_type": by_id[old]["type"]} for old, (new, reason) in sorted(decisions.items())]
    return pa.Table.from_pylist(rows, schema=arrow_schema(MERGES))


def prune_merges(merges: pa.Table, entities: pa.Table) -> pa.Table:
    """The merges whose target is still an entity (one whose last article went takes its merges along)."""
    return merges.filter(pc.is_in(merges.column("to_id"), value_set=entities.column("entity_id")))


def restore_article_ids(tables: dict[str, pa.Table], merges: pa.Table) -> dict[str, pa.Table]:
    """Rows that a person's name merge moved onto its target, back on the id their article gave.

    In one article the rows of an entity carry one id, and the article's own id was made from its
    canonical name, the best name mention (as names._canonical_name ranks them: mixed case, most words,
    longest). So where an article's best mention of a merge target makes the id a merged name had
    ('Khayrova' for Elsina Khayrova), its rows came from that name. An article that named both kept
    them apart itself, and stays on the target."""
    person = merges.filter(pc.is_in(merges.column("reason"), value_set=pa.array(PERSON_MERGES)))
    if not person.num_rows:
        return tables
    sources: dict[str, list[tuple[str, str]]] = defaultdict(list)  # target -> (from id, from type)
    for m in person.to_pylist():
        sources[m["to_id"]].append((m["from_id"], m["from_type"]))
    mentions = tables["mentions"]
    names = mentions.filter(pc.and_(pc.equal(mentions.column("mention_kind"), "name"),
                                    pc.is_in(mentions.column("entity_id"), value_set=pa.array(list(sources)))))
    best: dict[tuple[str, str], tuple] = {}
    for m in names.select(["doc_id", "entity_id", "text", "start_char"]).to_pylist():
        text = m["text"]
        rank = (not text.isupper(), len(text.split()), len(text), -m["start_char"], text)
        key = (m["doc_id"], m["entity_id"])
        if key not in best or rank > best[key]:
            best[key] = rank
    back: dict[str, str] = {}  # "doc_id\x1fentity_id" -> the id the article gave
    for (doc_id, target), rank in best.items():
        for from_id, from_type in sources[target]:
            if entity_id_for(from_type, rank[-1]) == from_id:
                back[f"{doc_id}\x1f{target}"] = from_id
    if not back:
        return tables
    restored = dict(tables)
    keys, ids = pa.array(list(back), pa.string()), pa.array(list(back.values()), pa.string())
    for name, table_spec in table_specs().items():
        if not table_spec.per_document or name not in restored:
            continue
        for column, target in table_spec.references.items():
            if target == "entities.entity_id" and restored[name].num_rows:
                restored[name] = _restore_column(restored[name], column, keys, ids)
    return restored


def _restore_column(table: pa.Table, column: str, keys: pa.Array, ids: pa.Array) -> pa.Table:
    values = table.column(column)
    joined = pc.binary_join_element_wise(table.column("doc_id"), values, "\x1f")
    index = pc.index_in(joined, value_set=keys)
    restored = pc.if_else(pc.is_null(index), values, pc.take(ids, pc.fill_null(index, 0)))
    return table.set_column(table.schema.get_field_index(column), table.schema.field(column), restored)


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
    """The first row of each key, in table order (in Arrow: a relink may remap a million rows)."""
    if not table.num_rows:
        return table
    order = pa.array(range(table.num_rows), pa.int64())
    first = table.select(key).append_column("_row", order).group_by(key, use_threads=False).aggregate(
        [("_row", "min")])
    return table.take(first.sort_by("_row_min").column("_row_min"))


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
    finished[MERGES] = prune_merges(finished[MERGES], finished["entities"])
    if "places" in finished:
        finished["places"] = prune_places(finished["places"], finished["entities"])
    finished["entity_aliases"] = entity_aliases(finished["mentions"])
    return finished
