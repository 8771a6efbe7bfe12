"""A run merged into the store through the month partitions it touches, not by reading every table.

The months a run touches are its new documents' months and the months of the stored documents it
replaces (found in the document index: a few columns of `documents`, never the text). Only those
partitions are read; every other partition is hard-linked into the new version unchanged. Within a
touched month, the store (broadsheet.store.write_tables) links again every file whose documents' rows
did not change and writes the rest as one new file: a run adding articles to a month writes their rows,
not the month's, and a month a relink touches rewrites only its files holding rows that change.

Corpus-wide values come from the stored small tables and a delta. For any entity and any count that
sums over documents (mentions, documents, documents with a name mention, references), the new value
is the stored one, minus the touched partitions' rows before the run, plus their rows after it: every
document's rows sit in one partition, and untouched partitions do not change. Aliases likewise.

Linking entities across articles (broadsheet.extract.names.link_across_documents) is given only the
entities whose groups (names.related_entities: same key, same organisation, same last word of a person, a
first name alone and the full names it begins) hold an entity whose counts the run changes, closed over
those groups, and the ids merged away before (entity_merges), so it can decide about them again; a group
nothing changed in decides what it decided before. The person rules read per entity the documents that
name it in full, which a merged surname does not change, so the stored counts serve as they are. When
a run's decisions overturn a stored merge (the surname had one full name, now it has two), the months
naming the merge's target are read too, and in them the rows the merge moved are put back on the ids
their articles gave (corpus.restore_article_ids) before the new decisions apply, so the store holds
what one run over all its articles would give. An entity the corpus now merges into
another is looked up in the entity index: when rows outside the touched partitions name it, those
partitions are found (reading only their entity columns) and rewritten too. Those relinked months are
read one at a time and only in the tables that name entities (ENTITY_TABLES: the others' rows do not
change): once here, to count what the renaming changes, and again when the store writes them
(Update.relinked_rows), so memory follows a month, not the months naming an entity.

What a run costs at a million articles (some hundreds of thousands of entities): the entity index,
`entities`, `entity_aliases` and `entity_merges` are read and rewritten whole (columns of short strings
and counts, in proportion to the entities, not the articles: tens of MB); grouping reads only the
names and types of the entities; the linker itself sees the few groups the run's names touch (a new
"Trump" article: the Trumps, plus the Donalds if an article writes "Donald" alone). The articles'
rows are read only for the months the run touches, plus the months naming an entity it merges away.
A run that overturns a stored merge also reads the months naming that merge's target (for "Clinton"
undone from Hillary Clinton, every month naming her) and rewrites their files holding the rows the merge
moved: it happens when an article makes a surname ambiguous or settles it anew. Such a flip costs in
proportion to the documents that wrote the name alone, which grow with the store; but the decisions
compare counts of documents, which one article moves by less as the store grows, so flips get rarer in
the same proportion (bench/scale.py measures a store whose counts are not exact multiples of a small
corpus's, where they would sit at a threshold's edge).

`places` (one row per place entity, like `entities`) is the stored rows with the run's rows for the same
entities replacing them, pruned to the entities still in the corpus; place entities take no part in
name-based linking, as the gazetteer already decided their identity.

The result equals what merging into fully read tables gives (broadsheet.store.merge_run and
broadsheet.corpus.finish_tables, kept for stores without an index and as the reference in tests).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from broadsheet import corpus, store
from broadsheet.extract.names import is_full_name, link_across_documents, related_entities
from broadsheet.tables import arrow_schema, empty_table, spec, table_specs

PER_DOCUMENT = [name for name, s in table_specs().items() if s.per_document]
# (table, column) of every per-document column that names an entity
ENTITY_COLUMNS = [(name, column) for name in PER_DOCUMENT
                  for column, target in spec(name).references.items() if target == "entities.entity_id"]
# the per-document tables that name entities: the only ones a link across articles changes
ENTITY_TABLES = [name for name in PER_DOCUMENT if any(table == name for table, _ in ENTITY_COLUMNS)]
STATS = ["n_mentions", "n_documents", "n_name_documents", "n_full_name_documents", "n_references"]
MERGES = corpus.MERGES


@dataclass
class Update:
    """A run's changes: the touched months' rows before and after, and the small tables after."""

    months: set[str]
    before: dict[str, pa.Table]  # per-document tables: the stored rows of the touched months
    tables: dict[str, pa.Table]  # per-document: the touched months after the run; others whole
    index: pa.Table  # the entity index after the run
    stored: dict[str, pa.Table] = field(default_factory=dict)  # the small tables as stored
    relinked: set[str] = field(default_factory=set)  # months touched only because a stored entity merged
    # the rows of the tables naming entities in a relinked month, after the run (read and renamed on demand,
    # a month at a time: `before` and `tables` hold the other touched months only)
    relinked_rows: Callable[[str], dict[str, pa.Table]] | None = None
    relinked_changed: set[str] = field(default_factory=set)  # the tables whose relinked months' rows change

    def changed(self, out: Path) -> list[str]:
        """The tables to write: per-document ones whose touched months changed, small ones that differ."""
        changed = []
        for name, table in self.tables.items():
            if name in PER_DOCUMENT:
                same = ((out / name).exists() and name not in self.relinked_changed
                        and _same_rows(self.before[name], table))
            elif name == "rejects":
                same = (out / name).exists() and store._reject_set(self.stored[name]) == store._reject_set(table)
            else:
                same = (out / name).exists() and self.stored[name].equals(table)
            if not same:
                changed.append(name)
        if store.read_entity_index(out) is None or not self.stored[store.ENTITY_INDEX].equals(self.index):
            changed.append(store.ENTITY_INDEX)
        return changed

    def to_write(self) -> dict[str, pa.Table]:
        return {**self.tables, store.ENTITY_INDEX: self.index}

    @property
    def touched(self) -> dict[str, set[str]]:
        """The months each per-document table is given for (store.write_tables' `touched`): the months
        only a link across articles touches (relinked) hold rows of the tables that name entities only."""
        return {name: set(self.months) if name in ENTITY_TABLES else self.months - self.relinked
                for name in PER_DOCUMENT}


def _same_rows(a: pa.Table, b: pa.Table) -> bool:
    if a.num_rows != b.num_rows:
        return False
    if not a.num_rows:
        return True
    key = [(c, "ascending") for c in a.schema.names if pa.types.is_string(a.schema.field(c).type)][:3]
    return a.sort_by(key).equals(b.sort_by(key))


def can_update(out: Path) -> bool:
    """True when the store can take a run by partitions: it has an entity index and is partitioned
    (a store written before either exists is merged whole once, which writes both)."""
    if not (out / "documents").exists():
        return True
    return store.read_entity_index(out) is not None and store.is_partitioned(out)


def merge_update(out: Path, new: dict[str, pa.Table], replaced_doc_ids: set[str], input_keys: set[tuple[str, str]],
                 doc_index: pa.Table, reconsider: frozenset[str] = frozenset()) -> Update:
    """The store after the run's rows `new` are merged in, as an Update over the touched months.
    `reconsider` names stored entities whose cross-article links are decided again although the run does
    not change their counts (a store whose links were not decided at its own counts, as bench/scale.py's
    replicated stores are before it settles them)."""
    stored = {name: store.read_table(out, name)
              for name in ("entities", "entity_aliases", "places", "rejects", "runs", MERGES)}
    index = store.read_entity_index(out)
    stored[store.ENTITY_INDEX] = index if index is not None else store.ENTITY_INDEX_SCHEMA.empty_table()
    replaced = pa.array(sorted(replaced_doc_ids), pa.string())
    new_docs = new.get("documents", empty_table("documents"))
    months = set(store.month_of(new_docs.column("published")).to_pylist())
    replaced_rows = doc_index.filter(pc.is_in(doc_index.column("doc_id"), value_set=replaced))
    months |= set(replaced_rows.column(store.PARTITION_COLUMN).to_pylist())

    before = {name: store.read_partitions(out, name, months) for name in PER_DOCUMENT}
    merged = {name: pa.concat_tables([_drop_docs(before[name], replaced), new.get(name, empty_table(name))])
              for name in PER_DOCUMENT}
    removed = {name: before[name].filter(pc.is_in(before[name].column("doc_id"), value_set=replaced))
               for name in PER_DOCUMENT}

    # entities: the stored ones, then the run's new ones (a stored row wins, as in store.merge_run)
    stored_entities = stored["entities"]
    fresh = new.get("entities", empty_table("entities"))
    fresh = fresh.filter(pc.invert(pc.is_in(fresh.column("entity_id"), value_set=stored_entities.column("entity_id"))))
    entities = corpus.universe(pa.concat_tables([stored_entities, fresh]), stored[MERGES])
    places = store.corpus_places(stored["places"], new.get("places", empty_table("places")))

    base = _base_stats(stored_entities, stored[store.ENTITY_INDEX])
    seeds = set(_entity_ids({**{n: new.get(n, empty_table(n)) for n in PER_DOCUMENT}}))
    seeds |= set(_entity_ids(removed)) | set(fresh.column("entity_id").to_pylist()) | reconsider
    before_stats = _stats(before)
    decisions, relinked = _link(corpus.linkable(entities, places), seeds,
                                 _combine([base, before_stats, _stats(merged)], [1, -1, 1]))
    overturned = _overturned(stored[MERGES], decisions, relinked)
    mapping = {old: new_id for old, (new_id, _) in decisions.items()}
    merges = _merges_after(stored[MERGES], decisions, relinked, entities)

    extra: set[str] = set()
    renamed_stats: list[pa.Table] = []  # per relinked month: its stats before, then after (signs -1, +1)
    renamed_aliases: list[pa.Table] = []
    relinked_changed: set[str] = set()
    relinked_rows = None
    if mapping or overturned.num_rows:
        # a stored entity merged into another, or a merge undone: the rows outside the touched months
        # that name it (or the target it was merged into) are rewritten too
        olds = pa.array(list(mapping), pa.string())
        refs_elsewhere = _combine([base, before_stats], [1, -1])
        elsewhere = refs_elsewhere.filter(pc.and_(pc.is_in(refs_elsewhere.column("entity_id"), value_set=olds),
                                                  pc.greater(refs_elsewhere.column("n_references"), 0)))
        search = {*elsewhere.column("entity_id").to_pylist(), *overturned.column("to_id").to_pylist()}
        if search:
            extra = store.months_referencing(out, search, skip=months)

        def rename(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
            if overturned.num_rows:  # the rows an undone merge moved go back to the ids their articles gave
                tables = corpus.restore_article_ids(tables, overturned)
            return _remap(tables, mapping) if mapping else tables

        merged = rename(merged)
        if extra:
            # months touched only by the relink: only the tables naming entities (the others' rows there do
            # not change), one month at a time, so memory follows a month and not the months naming an entity
            parts = {name: store.partition_files(store.current_folder(out, name)) for name in ENTITY_TABLES}

            def read_month(month: str) -> dict[str, pa.Table]:
                return {name: store.read_partitions(out, name, [month], parts[name]) for name in ENTITY_TABLES}

            def relinked_rows(month: str) -> dict[str, pa.Table]:
                return rename(read_month(month))

            for month in sorted(extra):
                stored_rows = read_month(month)
                renamed = rename(stored_rows)
                renamed_stats += [_stats(stored_rows), _stats(renamed)]
                renamed_aliases += [_alias_counts(stored_rows["mentions"], -1), _alias_counts(renamed["mentions"], 1)]
                relinked_changed |= {name for name in ENTITY_TABLES if not _same_rows(stored_rows[name], renamed[name])}
            months |= extra
        entities = entities.filter(pc.invert(pc.is_in(entities.column("entity_id"), value_set=olds)))

    counts = _combine([base, before_stats, _stats(merged), *renamed_stats],
                      [1, -1, 1, *([-1, 1] * (len(renamed_stats) // 2))])
    entities, index = _count(entities, counts)
    aliases = _aliases(stored["entity_aliases"], before, merged, renamed_aliases)
    rejects = pa.concat_tables([store._drop_reject_keys(stored["rejects"], input_keys),
                                new.get("rejects", empty_table("rejects"))])
    runs = pa.concat_tables([stored["runs"], new.get("runs", empty_table("runs"))])
    places = corpus.prune_places(places, entities)
    tables = {**merged, "entities": entities, "entity_aliases": aliases, "places": places, "rejects": rejects,
              "runs": runs, MERGES: corpus.prune_merges(merges, entities)}
    tables = {name: tables[name] for name in table_specs()}
    return Update(months=months, before=before, tables=tables, index=index, stored=stored, relinked=extra,
                  relinked_rows=relinked_rows, relinked_changed=relinked_changed)


def _overturned(merges: pa.Table, decisions: dict[str, tuple[str, str]], relinked: set[str]) -> pa.Table:
    """The stored merges the corpus now undoes or redirects ('Khayrova' joined Elsina Khayrova while she
    was the only Khayrova; Rinat Khayrova's article makes it ambiguous)."""
    mine = merges.filter(pc.is_in(merges.column("from_id"), value_set=pa.array(sorted(relinked), pa.string())))
    undone = []
    for old in mine.select(["from_id", "to_id"]).to_pylist():
        was = decisions.get(old["to_id"], (old["to_id"], ""))[0]  # the old target may have merged on since
        undone.append(decisions.get(old["from_id"], (old["from_id"], ""))[0] != was)
    return mine.filter(pa.array(undone, pa.bool_()))


def _merges_after(stored: pa.Table, decisions: dict[str, tuple[str, str]], relinked: set[str],
                  entities: pa.Table) -> pa.Table:
    """entity_merges after the run: the stored rows of ids the run did not relink, and its decisions."""
    kept = stored.filter(pc.invert(pc.is_in(stored.column("from_id"), value_set=pa.array(sorted(relinked),
                                                                                        pa.string()))))
    both = pa.concat_tables([kept, corpus.merges_table(decisions, entities)])
    return both.sort_by("from_id") if both.num_rows else both


def _drop_docs(table: pa.Table, doc_ids: pa.Array) -> pa.Table:
    return table.filter(pc.invert(pc.is_in(table.column("doc_id"), value_set=doc_ids)))


def _entity_ids(tables: dict[str, pa.Table]) -> list[str]:
    ids: list[str] = []
    for name, column in ENTITY_COLUMNS:
        if name in tables:
            ids += pc.unique(pc.drop_null(tables[name].column(column))).to_pylist()
    return ids


def _stats(tables: dict[str, pa.Table]) -> pa.Table:
    """Per entity: mention rows, documents mentioning it, documents naming it, rows referring to it."""
    mentions = tables["mentions"]
    parts = []
    if mentions.num_rows:
        by_entity = mentions.group_by("entity_id").aggregate([("doc_id", "count"), ("doc_id", "count_distinct")])
        names = mentions.filter(pc.equal(mentions.column("mention_kind"), "name"))
        named = names.group_by("entity_id").aggregate([("doc_id", "count_distinct")])
        full = names.filter(_full_names(names.column("text")))
        full = full.group_by("entity_id").aggregate([("doc_id", "count_distinct")])
        parts.append(_stat_table(by_entity.column("entity_id"), n_mentions=by_entity.column("doc_id_count"),
                                 n_documents=by_entity.column("doc_id_count_distinct")))
        parts.append(_stat_table(named.column("entity_id"), n_name_documents=named.column("doc_id_count_distinct")))
        parts.append(_stat_table(full.column("entity_id"),
                                 n_full_name_documents=full.column("doc_id_count_distinct")))
    for name, column in ENTITY_COLUMNS:
        values = pc.drop_null(tables[name].column(column))
        if len(values):
            refs = pa.table({"entity_id": values}).group_by("entity_id").aggregate([("entity_id", "count")])
            parts.append(_stat_table(refs.column("entity_id"), n_references=refs.column("entity_id_count")))
    return _combine(parts, [1] * len(parts))


def _full_names(texts: pa.ChunkedArray) -> pa.ChunkedArray:
    """is_full_name of each text, deciding each distinct text once (a month repeats its names thousands of
    times)."""
    distinct = pc.unique(texts).to_pylist()
    full = pa.array([t for t in distinct if t is not None and is_full_name(t)], pa.string())
    return pc.fill_null(pc.is_in(texts, value_set=full), False)


def _stat_table(ids, **columns) -> pa.Table:
    n = len(ids)
    arrays = [pa.array(ids, pa.string()) if not isinstance(ids, pa.ChunkedArray) else ids.cast(pa.string())]
    for stat in STATS:
        value = columns.get(stat)
        arrays.append(pa.array([0] * n, pa.int64()) if value is None else value.cast(pa.int64()))
    return pa.table(arrays, names=["entity_id", *STATS])


def _base_stats(entities: pa.Table, index: pa.Table) -> pa.Table:
    """The stored counts of every stored entity (the index holds the two that are not columns of entities)."""
    stored = _stat_table(entities.column("entity_id"), n_mentions=entities.column("n_mentions"),
                         n_documents=entities.column("n_documents"))
    indexed = _stat_table(index.column("entity_id"), n_name_documents=index.column("n_name_documents"),
                          n_full_name_documents=index.column("n_full_name_documents"),
                          n_references=index.column("n_references"))
    return _combine([stored, indexed], [1, 1])


def _combine(parts: list[pa.Table], signs: list[int]) -> pa.Table:
    """Sum stat tables with signs, per entity."""
    signed = []
    for part, sign in zip(parts, signs, strict=True):
        if sign < 0:
            part = pa.table([part.column("entity_id"), *(pc.negate(part.column(s)) for s in STATS)],
                            names=["entity_id", *STATS])
        signed.append(part)
    if not signed:
        return _stat_table(pa.array([], pa.string()))
    total = pa.concat_tables(signed).group_by("entity_id").aggregate([(s, "sum") for s in STATS])
    return pa.table([total.column("entity_id"), *(total.column(f"{s}_sum") for s in STATS)],
                    names=["entity_id", *STATS])


def _link(entities: pa.Table, seeds: set[str], counts: pa.Table) -> tuple[dict[str, tuple[str, str]], set[str]]:
    """link_across_documents over the entities that share a group with an entity the run changed: its
    decisions (old id -> (new id, reason)) and the ids it decided about."""
    if not seeds or not entities.num_rows:
        return {}, set()
    related = related_entities(entities.select(["entity_id", "name", "type"]).to_pylist(), seeds)
    chosen = pc.is_in(entities.column("entity_id"), value_set=pa.array(sorted(related), pa.string()))
    candidates = entities.filter(chosen)
    named = counts.filter(pc.is_in(counts.column("entity_id"), value_set=candidates.column("entity_id")))
    ids = named.column("entity_id").to_pylist()
    name_docs = dict(zip(ids, (max(n, 0) for n in named.column("n_name_documents").to_pylist()), strict=True))
    full_docs = dict(zip(ids, (max(n, 0) for n in named.column("n_full_name_documents").to_pylist()), strict=True))
    decisions = link_across_documents(candidates.to_pylist(), name_docs, full_docs)
    return decisions, set(candidates.column("entity_id").to_pylist())


def _remap(tables: dict[str, pa.Table], mapping: dict[str, str]) -> dict[str, pa.Table]:
    old, new = pa.array(list(mapping), pa.string()), pa.array(list(mapping.values()), pa.string())
    remapped = dict(tables)
    for name, column in ENTITY_COLUMNS:
        remapped[name] = corpus._remap_column(remapped[name], column, old, new)
    participants = remapped["event_participants"]
    if participants.num_rows:
        remapped["event_participants"] = corpus._unique_rows(participants, ["event_id", "entity_id", "role"])
    return remapped


def _count(entities: pa.Table, counts: pa.Table) -> tuple[pa.Table, pa.Table]:
    """The entities something still refers to, with their new counts, in their order; and the index."""
    order = pa.array(range(entities.num_rows), pa.int64())
    joined = entities.select(["entity_id"]).append_column("_order", order).join(counts, "entity_id",
                                                                                join_type="left outer")
    joined = joined.filter(pc.greater(pc.fill_null(joined.column("n_references"), 0), 0)).sort_by("_order")
    kept = entities.take(joined.column("_order"))
    schema = arrow_schema("entities")
    for column in ("n_mentions", "n_documents"):
        kept = kept.set_column(schema.get_field_index(column), schema.field(column),
                               pc.fill_null(joined.column(column), 0).cast(pa.int64()))
    index = pa.table([joined.column("entity_id"), pc.fill_null(joined.column("n_name_documents"), 0),
                      pc.fill_null(joined.column("n_full_name_documents"), 0), joined.column("n_references")],
                     schema=store.ENTITY_INDEX_SCHEMA)
    return kept, index


def _alias_counts(mentions: pa.Table, sign: int) -> pa.Table:
    names = mentions.filter(pc.equal(mentions.column("mention_kind"), "name"))
    counts = names.group_by(["entity_id", "text"]).aggregate([("text", "count")])
    values = counts.column("text_count").cast(pa.int64())
    return pa.table([counts.column("entity_id"), counts.column("text"), values if sign > 0 else pc.negate(values)],
                    names=["entity_id", "alias", "count"])


def _aliases(stored: pa.Table, before: dict[str, pa.Table], after: dict[str, pa.Table],
             more: list[pa.Table] = ()) -> pa.Table:
    """entity_aliases after the run: the stored counts, less the touched rows before, plus them after
    (and `more` signed counts, of the months only a relink touched)."""
    schema = pa.schema([("entity_id", pa.string()), ("alias", pa.string()), ("count", pa.int64())])
    parts = [stored.select(["entity_id", "alias", "count"]), _alias_counts(before["mentions"], -1),
             _alias_counts(after["mentions"], 1), *more]
    total = pa.concat_tables([part.cast(schema) for part in parts])
    total = total.group_by(["entity_id", "alias"]).aggregate([("count", "sum")])
    total = total.filter(pc.greater(total.column("count_sum"), 0)).sort_by([("entity_id", "ascending"),
                                                                           ("alias", "ascending")])
    return pa.table([total.column("entity_id"), total.column("alias"), total.column("count_sum")],
                    schema=arrow_schema("entity_aliases"))


def full_index(tables: dict[str, pa.Table]) -> pa.Table:
    """The entity index of fully read tables (a store merged whole, or one written before the index)."""
    stats = _stats({name: tables[name] for name in PER_DOCUMENT})
    _, index = _count(tables["entities"], stats)
    return index
