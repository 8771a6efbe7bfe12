"""What a PostgreSQL load costs after a few articles are added to a large store: the loader of a given git
revision (default `main`) against this checkout's, on the same stores, into two databases.

    .venv/bin/python bench/pg_scale.py [--sizes 8390] [--before main] [--new 20] [--cache DIR] [--dsn URL]

Per store size (a replicated polnear-train output, built by bench/scale.py's build_store): both loaders
load the store into a database of their own (whole, the first time); then the N new articles are added
with the real `broadsheet run --no-load`, and each loader loads again; then a rerun with nothing new, and
a third load. For each load it prints seconds, rows read from the store (each is COPYed into a staging
table), how many months it loaded by ("whole" when it loaded whole tables; a run that relinks an entity
rewrites every month naming it, and every copy of a replicated store names it), the loader's rows
changed, the rows PostgreSQL wrote (n_tup_ins + n_tup_upd + n_tup_del of the tables, from
pg_stat_user_tables) and the write-ahead log it wrote (every page written, row locks too),
then checks that the two databases hold the same rows. Without --dsn a throwaway server is started from
Debian's binaries (/usr/lib/postgresql/*/bin), fsync off, and removed at the end. Appends to
bench/results.md.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from types import ModuleType

import psycopg

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import scale  # noqa: E402

from broadsheet import warehouse  # noqa: E402
from broadsheet.tables import empty_table, spec, table_specs  # noqa: E402


def _loader_at(revision: str) -> ModuleType:
    """broadsheet/warehouse.py as it was at `revision`, imported under another name (the rest of the
    package is this checkout's)."""
    source = subprocess.run(["git", "show", f"{revision}:broadsheet/warehouse.py"], cwd=HERE.parent, check=True,
                            capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp(prefix="pg-scale-")) / "warehouse_before.py"
    path.write_text(source, encoding="utf-8")
    module_spec = importlib.util.spec_from_file_location("warehouse_before", path)
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[module_spec.name] = module  # dataclasses look their module up there
    module_spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def throwaway_server() -> Iterator[str]:
    """A PostgreSQL server in a temporary folder, as the `postgres` user when run as root; yields its DSN."""
    pg_bin = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1])
    base = Path(tempfile.mkdtemp(prefix="pg-scale-server-", dir="/tmp"))
    prefix = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        user = pwd.getpwnam("postgres")
        os.chown(base, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data = base / "data"
    subprocess.run([*prefix, pg_bin / "initdb", "-D", data, "-U", "bench", "--auth=trust", "-E", "UTF8",
                    "--locale=C.UTF-8", "--no-sync"], check=True, capture_output=True)
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    subprocess.run([*prefix, pg_bin / "pg_ctl", "-D", data, "-l", base / "log", "-w", "-o", options, "start"],
                   check=True, capture_output=True)
    try:
        yield f"postgresql://bench@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*prefix, pg_bin / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def _database(server: str) -> str:
    name = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return server.rsplit("/", 1)[0] + "/" + name


def _written(dsn: str) -> int:
    """Rows PostgreSQL has inserted, updated and deleted in the declared tables so far."""
    time.sleep(1.2)  # a backend reports its counters when its transaction ends, at most once a second
    with psycopg.connect(dsn) as conn:
        conn.execute("SELECT pg_stat_clear_snapshot()")
        return conn.execute("SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables "
                            "WHERE schemaname = 'public' AND relname = ANY(%s)", [list(table_specs())]).fetchone()[0]


def _wal(dsn: str) -> int:
    """The server's write-ahead log position: the bytes it wrote since, table and index pages alike, row
    locks included (temporary tables write none). Loads run one at a time, so a difference is one load's."""
    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn").fetchone()[0]


def _measure(loader: ModuleType, out: Path, dsn: str) -> dict:
    before, wal = _written(dsn), _wal(dsn)
    started = time.perf_counter()
    result = loader.load_postgres(out, dsn)
    seconds = time.perf_counter() - started
    months = {m for loaded in getattr(result, "months", {}).values() for m in loaded}  # the loader before: none
    return {"seconds": seconds, "copied": sum(result.rows.values()), "months": len(months), "changed": result.changed,
            "written": _written(dsn) - before, "wal_mb": float(_wal(dsn) - wal) / 1e6}


def _fingerprints(dsn: str) -> dict[str, tuple[int, str]]:
    """Per table: rows, and a hash of every row in key order."""
    found = {}
    with psycopg.connect(dsn) as conn:
        for name in table_specs():
            columns = ", ".join(warehouse.quote_ident(c) for c in spec(name).column_names)
            order = ", ".join(warehouse.quote_ident(k) for k in spec(name).key)
            found[name] = conn.execute(f'SELECT count(*), md5(string_agg(ROW({columns})::text, chr(10) ORDER BY '
                                       f'{order})) FROM "{name}"').fetchone()
    return found


def _run(inputs: Path, out: Path) -> None:
    subprocess.run([scale._broadsheet(), "run", str(inputs), "--out", str(out), "--no-load", "--quiet"], check=True,
                   capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="8390", help="stored articles, multiples of the base's")
    parser.add_argument("--before", default="main", help="the git revision whose loader is compared")
    parser.add_argument("--base", type=Path, help="a broadsheet output to replicate (default: polnear-train's)")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/broadsheet-scale"))
    parser.add_argument("--new", type=int, default=20, help="new articles added to each store")
    parser.add_argument("--dsn", help="a PostgreSQL server (its databases are created here); default: a throwaway one")
    args = parser.parse_args()

    loaders = {f"before ({args.before})": _loader_at(args.before), "after (this checkout)": warehouse}
    base = args.base or scale.ensure_base(args.cache)
    n_base = scale.store.read_table(base, "documents").num_rows
    inputs = scale.new_articles(args.cache, args.new)
    lines = []
    with contextlib.ExitStack() as stack:
        server = args.dsn or stack.enter_context(throwaway_server())
        for size in (int(s) for s in args.sizes.split(",")):
            copies = max(1, round(size / n_base))
            out = args.cache / f"pgstore{copies * n_base}"
            counts = scale.build_store(base, out, copies)
            for name in table_specs():  # a table without rows still has a file, for its schema, as runs write it
                folder = out / scale.store.VERSIONS / name / "scale-base"
                if not any(folder.rglob("*.parquet")):
                    folder.mkdir(parents=True, exist_ok=True)
                    scale.store._write_parquet(empty_table(name), folder / "part-0.parquet")
            print(f"built {counts['documents']} articles, {counts['mentions']} mentions", flush=True)
            databases = {label: _database(server) for label in loaders}
            steps = {}
            for step in ("first load", f"add {args.new}", "no-change rerun"):
                if step != "first load":
                    _run(inputs, out)
                for label, loader in loaders.items():
                    steps[(step, label)] = _measure(loader, out, databases[label])
                    print(step, label, steps[(step, label)], flush=True)
                same = len({str(_fingerprints(dsn)) for dsn in databases.values()}) == 1
                print(step, "the two databases hold the same rows:", same, flush=True)
                if not same:
                    raise SystemExit(f"{step}: the databases differ")
            for (step, label), m in steps.items():
                lines.append(f"| {counts['documents']:,} | {counts['mentions']:,} | {step} | {label} | "
                             f"{m['seconds']:.1f} | {m['copied']:,} | {m['months'] or 'whole'} | {m['changed']:,} | "
                             f"{m['written']:,} | {m['wal_mb']:.1f} |")
            months_stored = len(scale.store.partition_files(scale.store.current_folder(out, "documents")))
            shutil.rmtree(out, ignore_errors=True)
    report = "\n".join([
        f"### {datetime.now():%Y-%m-%d %H:%M} — PostgreSQL load: {args.new} new articles added to replicated "
        f"polnear-train stores, {os.cpu_count()} cores (shared)", "",
        f"`.venv/bin/python bench/pg_scale.py --sizes {args.sizes} --before {args.before} --cache {args.cache}` "
        f"(the two databases held "
        f"the same rows after every step)", "",
        f"Months in the store after the run: {months_stored}.", "",
        "| stored articles | stored mentions | load after | loader | seconds | rows read and COPYed | months loaded "
        "| rows changed (loader) | rows written (pg_stat) | WAL MB |",
        "|---|---|---|---|---|---|---|---|---|---|", *lines]) + "\n"
    print(report)
    with open(HERE / "results.md", "a", encoding="utf-8") as handle:
        handle.write("\n" + report)


if __name__ == "__main__":
    main()
