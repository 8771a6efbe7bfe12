"""What adding a few articles costs as the store grows: a real output replicated into larger stores.

    .venv/bin/python bench/scale.py [--sizes 839,8390] [--repeat N] [--base DIR] [--new N] [--vary N] [--label TEXT]
                                    [--keep] [--reuse]

The base is a real `broadsheet run` output (built once into --cache from polnear-train when --base is not
given). A store of S articles is about S/839 copies of it, written directly as Parquet with pyarrow in the
store's own layout (versions folder, manifest, links) plus its DuckDB warehouse: copy k has new
doc, quote and event ids and is published 30*k days before the base, so the months span years; entity
ids stay (they hash type + name, like the pipeline's). With `--vary N` (default 10) every copy but the
first leaves out each article whose id hashes to 0 modulo N, a different tenth per copy, so the
entities' counts are not exact multiples of the base's (exact multiples put every group the base
decided at a threshold's edge, 4 full-name documents against 2, exactly at the edge again, 40 against
20, where one new article tips it; a corpus that grew does not sit there). `--vary 0` gives exact
copies. Counts, the entity index and aliases are computed from the copies' rows, and the links across
articles are decided again at those counts (settle_links). Then a fixed
batch of N new articles (the first N of polnear-dev) is added with the real `broadsheet run`, and run
again with nothing new. Per store size it prints wall seconds (Python and Prefect start included),
peak RSS (the largest process of the run, from the OS), Parquet bytes written (new files under
.versions: a hard link to an unchanged file is not counted), and the runs table's stage seconds, and
appends the table to bench/results.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

HERE = Path(__file__).resolve().parent
CORPORA = Path(os.environ.get("BROADSHEET_CORPORA", HERE.parent.parent / "shared" / "corpora"))
sys.path.insert(0, str(HERE.parent))

from broadsheet import store, warehouse  # noqa: E402
from broadsheet.extract.ids import short_hash  # noqa: E402
from broadsheet.tables import PARTITION_COLUMN, spec, table_specs  # noqa: E402

# columns holding ids derived from a document: remapped per copy
ID_COLUMNS = ("doc_id", "quote_id", "event_id", "source_quote_id")

_WRAPPER = """
import resource, subprocess, sys
result = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stdout.write(result.stdout)
sys.stderr.write(result.stderr)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(usage.ru_maxrss, file=sys.stderr)
sys.exit(result.returncode)
"""


def _broadsheet() -> str:
    return str(Path(sys.executable).parent / "broadsheet")


def _copy_ids(values: pa.ChunkedArray, copy: int) -> pa.Array:
    if copy == 0:
        return values
    mapped = [None if v is None else v[0] + short_hash(v, copy)[: len(v) - 1] for v in values.to_pylist()]
    return pa.array(mapped, pa.string())


def _copy(name: str, table: pa.Table, copy: int, months: dict[str, str]) -> pa.Table:
    """Copy `copy` of a per-document table: new ids, and the partition month of its documents' shifted date."""
    for column in ID_COLUMNS:
        if column in table.schema.names:
            i = table.schema.get_field_index(column)
            table = table.set_column(i, table.schema.field(column), _copy_ids(table.column(column), copy))
    if name == "documents":
        shifted = pc.cast(pc.subtract(pc.cast(table.column("published"), pa.int32()), pa.scalar(30 * copy, pa.int32())),
                          pa.date32())
        table = table.set_column(table.schema.get_field_index("published"), "published", shifted)
        for column, suffix in (("source", f"#copy{copy}"), ("input_path", f".copy{copy}")):
            if copy:
                i = table.schema.get_field_index(column)
                table = table.set_column(i, column, pc.binary_join_element_wise(table.column(column), suffix, ""))
        for doc_id, published in zip(table.column("doc_id").to_pylist(), table.column("published").to_pylist(),
                                     strict=True):
            months[doc_id] = published.strftime("%Y-%m") if published else "unknown"
    month = pa.array([months[d] for d in table.column("doc_id").to_pylist()], pa.string())
    return table.append_column(PARTITION_COLUMN, month)


def settle_links(out: Path) -> None:
    """Decide every cross-article link again at the replicated store's own counts, and commit that.

    The copies carry the base's decisions, taken at a tenth (or a sixtieth) of these counts: a surname
    named in full in 2 documents of the base is named in 20 here, past the linker's thresholds. Left so,
    the first run that touches a group re-decides it and rewrites every month naming it, which a store
    grown article by article would have done long before; the measured run would pay for the replication."""
    from broadsheet import delta

    ids = frozenset(store.read_table(out, "entities").column("entity_id").to_pylist())
    update = delta.merge_update(out, {}, set(), set(), store.read_doc_index(out, [], []), reconsider=ids)
    store.write_tables(out, update.to_write(), "scale-settled", only=update.changed(out), touched=update.touched,
                       relinked_rows=update.relinked_rows)


def _kept(doc_ids: pa.ChunkedArray, copy: int, vary: int) -> pa.Array:
    """The base's documents copy `copy` keeps: all for the first copy or without --vary, else those whose
    id does not hash to 0 modulo `vary` (a different share for each copy)."""
    if copy == 0 or vary <= 0:
        return pa.array([True] * len(doc_ids), pa.bool_())
    return pa.array([int(short_hash(d, copy, length=8), 16) % vary != 0 for d in doc_ids.to_pylist()], pa.bool_())


def build_store(base: Path, out: Path, copies: int, vary: int = 0) -> dict[str, int]:
    """`copies` copies of the output under `base`, written under `out` as a committed store + warehouse."""
    from broadsheet import delta

    if out.exists():
        shutil.rmtree(out)
    (out / store.VERSIONS).mkdir(parents=True)
    version = "scale-base"
    rows = {}
    months: dict[str, str] = {}
    tables = store.read_tables(base)
    base_docs = tables["documents"].column("doc_id")
    keep = {k: pa.array(base_docs.to_pylist(), pa.string()).filter(_kept(base_docs, k, vary)) for k in range(copies)}
    per_copy = {name: {k: tables[name].filter(pc.is_in(tables[name].column("doc_id"), value_set=keep[k]))
                       for k in range(copies)} for name in delta.PER_DOCUMENT}
    # the corpus's counts are the sums of the copies' (entity ids are the same in every copy, doc ids not)
    stats = delta._combine([delta._stats({name: per_copy[name][k] for name in delta.PER_DOCUMENT})
                            for k in range(copies)], [1] * copies)
    entities, index = delta._count(tables["entities"], stats)
    names = pa.concat_tables([per_copy["mentions"][k].select(["entity_id", "text", "mention_kind"])
                              for k in range(copies)])
    aliases = delta._aliases(tables["entity_aliases"].slice(0, 0),
                             {"mentions": names.slice(0, 0)}, {"mentions": names})
    small = {"entities": entities, "entity_aliases": aliases}
    for name in table_specs():
        folder = out / store.VERSIONS / name / version
        if spec(name).per_document:
            copies_of = [_copy(name, per_copy[name][k], k, months) for k in range(copies)]
            table = pa.concat_tables([c.cast(copies_of[0].schema) for c in copies_of])
            ds.write_dataset(table, folder, format="parquet", partitioning=[PARTITION_COLUMN],
                             partitioning_flavor="hive", basename_template="part-{i}.parquet",
                             existing_data_behavior="overwrite_or_ignore",
                             file_options=ds.ParquetFileFormat().make_write_options(compression="zstd"),
                             max_rows_per_group=1 << 20)
            rows[name] = table.num_rows
            continue
        table = small.get(name, tables[name])
        folder.mkdir(parents=True)
        store._write_parquet(table, folder / "part-0.parquet")
        rows[name] = table.num_rows
    manifest = {n: version for n in table_specs()}
    folder = out / store.VERSIONS / store.ENTITY_INDEX / version
    folder.mkdir(parents=True)
    store._write_parquet(index, folder / "part-0.parquet")
    manifest[store.ENTITY_INDEX] = version
    (out / store.VERSIONS / store.CURRENT).write_text(json.dumps(manifest))
    store.recover(out)  # points the links
    if copies > 1:
        settle_links(out)
    warehouse.load_duckdb(out, out / "broadsheet.duckdb")
    return rows


def _files(out: Path) -> dict[int, int]:
    """inode -> size of every Parquet file under the store's versions."""
    return {p.stat().st_ino: p.stat().st_size for p in (out / store.VERSIONS).rglob("*.parquet")}


def measure_run(inputs: Path, out: Path) -> dict:
    before = _files(out)
    cmd = [_broadsheet(), "run", str(inputs), "--out", str(out), "--quiet"]
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _WRAPPER, *cmd], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if result.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{result.stdout}\n{result.stderr}")
    peak_mib = int(result.stderr.strip().splitlines()[-1]) / 1024
    written = sum(size for inode, size in _files(out).items() if inode not in before)
    runs = store.read_table(out, "runs").sort_by([("started_at", "descending")]).slice(0, 1).to_pylist()[0]
    return {"wall": wall, "rss": peak_mib, "written_mb": written / 1e6, "processed": runs["processed"],
            **{stage: runs[f"seconds_{stage}"] for stage in ("ingest", "extract", "merge", "write", "load")}}


def ensure_base(cache: Path) -> Path:
    base = cache / "base"
    if (base / "documents").exists():
        return base
    inputs = CORPORA / "polnear-train" / "inputs"
    print(f"building the base output from {inputs} (one full run, a few minutes)", flush=True)
    subprocess.run([_broadsheet(), "run", str(inputs), "--out", str(base), "--quiet"], check=True)
    return base


def new_articles(cache: Path, count: int) -> Path:
    folder = cache / f"new{count}"
    if not folder.exists() or not any(folder.iterdir()):
        folder.mkdir(parents=True, exist_ok=True)
        for path in sorted((CORPORA / "polnear-dev" / "inputs").iterdir())[:count]:
            shutil.copy(path, folder / path.name)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="839,8390", help="stored articles, multiples of the base's")
    parser.add_argument("--base", type=Path, help="a broadsheet output to replicate (default: polnear-train's)")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/broadsheet-scale"))
    parser.add_argument("--new", type=int, default=20, help="new articles added to each store")
    parser.add_argument("--label", default="", help="a note for the results table (e.g. the commit)")
    parser.add_argument("--keep", action="store_true", help="keep the built stores")
    parser.add_argument("--vary", type=int, default=10,
                        help="copies after the first leave out one article in N (0: exact copies)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep a pristine copy of each built store in --cache and start from it next time "
                             "(only while the code that built it is the code measured)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds per size (the store rebuilt each round); one table row per round")
    args = parser.parse_args()

    base = args.base or ensure_base(args.cache)
    n_base = store.read_table(base, "documents").num_rows
    inputs = new_articles(args.cache, args.new)
    rows = []
    share = 1 - 1 / args.vary if args.vary > 0 else 1  # of the base each copy after the first keeps
    for size in (int(s) for s in args.sizes.split(",")):
        copies = max(1, 1 + round((size - n_base) / (n_base * share)))
        out = args.cache / f"store{size}-vary{args.vary}"
        for _ in range(args.repeat):
            started = time.perf_counter()
            pristine = out.with_name(out.name + "-pristine")
            if args.reuse and pristine.exists():  # a copy of a store built before: files are never changed
                shutil.rmtree(out, ignore_errors=True)
                subprocess.run(["cp", "-a", str(pristine), str(out)], check=True)
                counts = store.row_counts(out)
            else:
                counts = build_store(base, out, copies, args.vary)
                if args.reuse:
                    shutil.rmtree(pristine, ignore_errors=True)
                    subprocess.run(["cp", "-a", str(out), str(pristine)], check=True)
            print(f"built {counts['documents']} articles, {counts['mentions']} mentions in "
                  f"{time.perf_counter() - started:.1f} s", flush=True)
            add = measure_run(inputs, out)
            again = measure_run(inputs, out)
            rows.append((counts, add, again))
            print(counts["documents"], add, again, flush=True)
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)

    lines = [f"### {datetime.now():%Y-%m-%d %H:%M} — scale: {args.new} new articles added to replicated "
             f"polnear-train stores{f' ({args.label})' if args.label else ''}, {os.cpu_count()} cores (shared)", "",
             f"`.venv/bin/python bench/scale.py --sizes {args.sizes} --repeat {args.repeat} --vary {args.vary}`", "",
             "| stored articles | stored mentions | run | wall s | peak RSS MiB | Parquet written MB | ingest s "
             "| extract s | merge s | write s | load s |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for counts, add, again in rows:
        for what, m in ((f"add {args.new}", add), ("no-change rerun", again)):
            lines.append(f"| {counts['documents']:,} | {counts['mentions']:,} | {what} | {m['wall']:.1f} | "
                         f"{m['rss']:.0f} | {m['written_mb']:.1f} | {m['ingest']:.2f} | {m['extract']:.2f} | "
                         f"{m['merge']:.2f} | {m['write']:.2f} | {m['load']:.2f} |")
    report = "\n".join(lines) + "\n"
    print(report)
    with open(HERE / "results.md", "a", encoding="utf-8") as handle:
        handle.write("\n" + report)


if __name__ == "__main__":
    main()
