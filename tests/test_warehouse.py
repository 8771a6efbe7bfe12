"""PostgreSQL loading against a real, throwaway PostgreSQL server started by this module: whole, by month,
and rolled back on failure.

The server runs from Debian's binaries (/usr/lib/postgresql/<version>/bin, or $BROADSHEET_PG_BIN),
as the `postgres` user when the suite runs as root (PostgreSQL refuses root), on a free port of
127.0.0.1 with its socket in a private temporary folder. These tests are never skipped: without
the binaries they fail and say what to install.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from conftest import SEED, read_out, run_cli

from broadsheet import store
from broadsheet.tables import spec, table_specs
from broadsheet.warehouse import PG_LOADED, load_postgres, plan_load

SUPERUSER = "broadsheet"


def _pg_bin() -> Path:
    candidates = [os.environ.get("BROADSHEET_PG_BIN", "")]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True)
    if shutil.which("pg_ctl"):
        candidates.append(str(Path(shutil.which("pg_ctl")).parent))
    for folder in filter(None, candidates):
        if (Path(folder) / "pg_ctl").exists() and (Path(folder) / "initdb").exists():
            return Path(folder)
    pytest.fail("PostgreSQL server binaries not found (apt-get install postgresql-15, or set BROADSHEET_PG_BIN)")


def _as_server_user(base: Path) -> list[str]:
    """The command prefix that runs the server: PostgreSQL refuses to run as root."""
    if os.geteuid() != 0:
        return []
    try:
        user = pwd.getpwnam("postgres")
    except KeyError:
        pytest.fail("running as root and there is no `postgres` user to run the PostgreSQL server as")
    for path in [base, *base.rglob("*")]:
        os.chown(path, user.pw_uid, user.pw_gid)
    return ["runuser", "-u", "postgres", "--"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server for the session; yields the DSN of its `postgres` database."""
    pg_bin = _pg_bin()
    # under /tmp when root: the server user must be able to reach it (root's own TMPDIR may be private)
    base = Path(tempfile.mkdtemp(prefix="broadsheet-pg-", dir="/tmp" if os.geteuid() == 0 else None))
    data, log = base / "data", base / "server.log"
    prefix = _as_server_user(base)
    started = False
    try:
        subprocess.run([*prefix, pg_bin / "initdb", "-D", data, "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                        "--locale=C.UTF-8", "--no-sync"], check=True, capture_output=True, timeout=120)
        for _attempt in range(3):  # another process may take the free port between the probe and the start
            port = _free_port()
            options = (f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off "
                       f"-c full_page_writes=off -c synchronous_commit=off")
            start = subprocess.run([*prefix, pg_bin / "pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "-o", options,
                                    "start"], capture_output=True, text=True, timeout=90)
            if start.returncode == 0:
                started = True
                break
        if not started:
            pytest.fail(f"PostgreSQL did not start: {start.stderr}\n{log.read_text() if log.exists() else ''}")
        yield f"postgresql://{SUPERUSER}@127.0.0.1:{port}/postgres"
    finally:
        if started:
            subprocess.run([*prefix, pg_bin / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"],
                           capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pg(postgres_server) -> Iterator[str]:
    """The DSN of a fresh, empty database on the session's server, dropped afterwards."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield postgres_server.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def _rows(dsn: str, name: str) -> list[dict]:
    columns = ", ".join(f'"{c}"' for c in spec(name).column_names)
    order = ", ".join(f'"{c}"' for c in spec(name).key)
    with psycopg.connect(dsn) as conn, conn.cursor(row_factory=psycopg.rows.dict_row) as cur:
        return cur.execute(f'SELECT {columns} FROM "{name}" ORDER BY {order}').fetchall()


def _parquet_rows(out: Path, name: str) -> list[dict]:
    """The table's declared columns (the hive partition folder level is not a warehouse column)."""
    key, columns = spec(name).key, spec(name).column_names
    rows = [{c: row[c] for c in columns} for row in read_out(out, name)]
    return sorted(rows, key=lambda row: tuple(row[k] for k in key))


def _snapshot(dsn: str) -> dict[str, list[dict]]:
    return {name: _rows(dsn, name) for name in table_specs()}


def _loaded(dsn: str) -> dict[str, tuple]:
    """The load record: table -> (version held, months of its last load or None when whole)."""
    return {name: (version, months) for name, version, months
            in _query(dsn, f'SELECT name, version, months FROM "{PG_LOADED}"')}


def _query(dsn: str, sql: str, params=None) -> list[tuple]:
    with psycopg.connect(dsn) as conn:
        return conn.execute(sql, params).fetchall()


def test_load_creates_the_declared_keys_and_copies_every_row(seed_mix_out, pg):
    result = load_postgres(seed_mix_out, pg)
    assert result.rebuilt

    primary_keys = _query(pg, """
        SELECT tc.table_name, array_agg(k.column_name::text ORDER BY k.ordinal_position)
        FROM information_schema.table_constraints tc
        JOIN information_schema.key_column_usage k USING (constraint_schema, constraint_name)
        WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = 'public' GROUP BY 1""")
    assert {t: tuple(cols) for t, cols in primary_keys} == {**{n: s.key for n, s in table_specs().items()},
                                                            PG_LOADED: ("name",)}

    foreign_keys = _query(pg, """
        SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, fa.attname, c.condeferred
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
        WHERE c.contype = 'f'""")
    declared = {(n, col, *target.split(".")) for n, s in table_specs().items() for col, target in s.references.items()}
    assert {fk[:4] for fk in foreign_keys} == declared and all(fk[4] for fk in foreign_keys)

    for name in table_specs():  # every row, every value: nulls, empty strings, dates, timestamps, floats
        assert _rows(pg, name) == _parquet_rows(seed_mix_out, name), name
        assert result.rows[name] == result.inserted[name] == len(read_out(seed_mix_out, name))

    speakers = _query(pg, """SELECT DISTINCT e.name FROM quotations q JOIN entities e
                             ON e.entity_id = q.speaker_entity_id""")
    assert ("Dmitry Tsvetkov",) in speakers

    assert _loaded(pg) == {name: (version, None) for name, version in store.read_manifest(seed_mix_out).items()
                           if name in table_specs()}
    again = load_postgres(seed_mix_out, pg)
    assert not again.rebuilt and again.changed == 0
    assert again.rows == {} and set(again.current) == set(table_specs())  # nothing read


def _run_pipeline(inputs: Path, out: Path) -> None:
    """`broadsheet run --no-load`, in this process (saves starting Python, Prefect and spaCy twice)."""
    from broadsheet.flows.pipeline import run_pipeline

    run_pipeline([str(inputs)], out=str(out), load=False)


def test_a_rerun_after_a_changed_article_upserts_by_key(seed_mix, pg, tmp_path, prefect_api):
    inputs, out = tmp_path / "inputs", tmp_path / "out"
    shutil.copytree(seed_mix, inputs)
    _run_pipeline(inputs, out)
    first = run_cli("load", "--to", pg, "--out", str(out))
    assert "tables created from schemas/" in first.stdout
    seed_row = "SELECT xmin::text FROM documents WHERE source = %s"
    seed_version = _query(pg, seed_row, [SEED.name])
    old_doc = _query(pg, "SELECT doc_id FROM documents WHERE source = 'undated.txt'")[0][0]

    (inputs / "undated.txt").write_text("The president visited Berlin on Monday, aides said.\n", encoding="utf-8")
    _run_pipeline(inputs, out)
    second = run_cli("load", "--to", pg, "--out", str(out))
    assert "rows changed" in second.stdout and "tables created" not in second.stdout
    # the load went by the months the run rewrote: the undated one, where the article was and is
    version, months = _loaded(pg)["documents"]
    assert version == store.read_manifest(out)["documents"] and "unknown" in months
    assert months == store.read_delta(out, "documents")["months"]

    for name in table_specs():
        assert _rows(pg, name) == _parquet_rows(out, name), name
        key = ", ".join(f'"{k}"' for k in spec(name).key)
        (total, distinct), = _query(pg, f'SELECT count(*), count(DISTINCT ({key})) FROM "{name}"')
        assert total == distinct, name
        for column, target in spec(name).references.items():
            table, target_column = target.split(".")
            (orphans,), = _query(pg, f'SELECT count(*) FROM "{name}" x WHERE x."{column}" IS NOT NULL AND NOT EXISTS '
                                     f'(SELECT 1 FROM "{table}" y WHERE y."{target_column}" = x."{column}")')
            assert orphans == 0, (name, column)
    for name in ("documents", "mentions", "time_expressions", "events"):
        assert _query(pg, f'SELECT count(*) FROM "{name}" WHERE doc_id = %s', [old_doc]) == [(0,)], name
    assert _query(pg, "SELECT count(*) FROM documents WHERE text LIKE '%%Berlin%%'") == [(1,)]
    # the new article's place is upserted into places, joined by entity to its mention
    assert _query(pg, """SELECT p.country_code, p.kind FROM places p JOIN mentions m USING (entity_id)
                         WHERE m.text = 'Berlin'""") == [("DE", "city")]
    assert _query(pg, seed_row, [SEED.name]) == seed_version  # the unchanged article was not rewritten


def _new_version(out: Path, name: str) -> Path:
    """The table's current version copied to a new version, made current: what a run would have written
    (a version's files never change, so the load skips a table at the version it holds). Returns its folder."""
    manifest = store.read_manifest(out)
    folder = out / store.VERSIONS / name / f"{manifest[name]}-broken"
    shutil.copytree(out / store.VERSIONS / name / manifest[name], folder)
    (folder / store.DELTA).unlink(missing_ok=True)
    (out / store.VERSIONS / store.CURRENT).write_text(json.dumps({**manifest, name: folder.name}))
    store.recover(out)  # points the link
    return folder


def _break_documents(out: Path) -> None:
    """Drop one document from the Parquet (so the load has changes to make before it fails)."""
    for path in _new_version(out, "documents").rglob("*.parquet"):  # the month partition holding c1
        table = pq.read_table(path)
        if "c1" in table.column("source").to_pylist():
            pq.write_table(table.filter(pc.not_equal(table.column("source"), "c1")), path)


def _put_nul_in_runs(out: Path) -> None:
    """A NUL character, which Parquet holds and PostgreSQL text cannot: COPY fails on the last table."""
    path = next(_new_version(out, "runs").rglob("*.parquet"))
    table = pq.read_table(path)
    model = table.schema.get_field_index("model")
    pq.write_table(table.set_column(model, "model", pa.array(["model\x00"] * table.num_rows)), path)


@pytest.mark.parametrize("breakage", ["dangling key", "bad text", "corrupt file"])
def test_a_failed_load_leaves_the_warehouse_as_it_was(seed_mix_out, pg, tmp_path, breakage):
    load_postgres(seed_mix_out, pg)
    before, record = _snapshot(pg), _loaded(pg)
    out = tmp_path / "out"
    shutil.copytree(seed_mix_out, out, symlinks=True)
    _break_documents(out)  # the load deletes c1 first; its mentions and events dangle, failing the commit
    expected: type[Exception] = psycopg.errors.ForeignKeyViolation
    if breakage == "bad text":  # fails inside the transaction, after the earlier tables were synced
        _put_nul_in_runs(out)
        expected = psycopg.errors.DataError
    elif breakage == "corrupt file":  # fails while reading, before the warehouse is touched
        next(_new_version(out, "event_participants").rglob("*.parquet")).write_bytes(b"PAR1 not parquet")
        expected = pa.ArrowInvalid
    with pytest.raises(expected):
        load_postgres(out, pg)
    assert _snapshot(pg) == before and _loaded(pg) == record


def test_a_changed_declaration_rebuilds_the_tables(seed_mix_out, pg):
    load_postgres(seed_mix_out, pg)
    with psycopg.connect(pg) as conn:  # what an older Broadsheet would have left
        conn.execute('ALTER TABLE mentions DROP COLUMN ner_label')
        conn.execute("COMMENT ON TABLE mentions IS 'Broadsheet: old'")
    result = load_postgres(seed_mix_out, pg)
    assert result.rebuilt
    assert _rows(pg, "mentions") == _parquet_rows(seed_mix_out, "mentions")


def test_an_unreachable_warehouse_fails_in_one_line(seed_mix_out):
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, not listening: connections are refused
        result = run_cli("load", "--to", f"postgresql://someone:secret@127.0.0.1:{port}/db", "--out",
                         str(seed_mix_out), check=False)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "nothing changed" in result.stderr
    assert "secret" not in result.stderr


def test_the_tables_are_read_again_when_a_run_commits_meanwhile(seed_mix_out, monkeypatch):
    from broadsheet import warehouse

    real, calls = warehouse.read_manifest, []

    def committing_meanwhile(out):  # the first read sees a version a run has since replaced and removed
        calls.append(out)
        manifest = real(out)
        return {**manifest, "runs": "replaced-since"} if len(calls) == 1 else manifest

    monkeypatch.setattr(warehouse, "read_manifest", committing_meanwhile)
    tables = warehouse.read_snapshot(seed_mix_out)
    assert len(calls) == 4
    for name in table_specs():
        assert tables[name].num_rows == len(read_out(seed_mix_out, name)), name


# ---------------------------------------------------------------------------------------------------
# Loading by month: the store's runs from test_delta (no NLP), each followed by a load.
# ---------------------------------------------------------------------------------------------------


def _xmins(dsn: str) -> dict[str, list[tuple]]:
    """Each row's key with the transaction that last wrote it: a row rewritten, even unchanged, shows."""
    found = {}
    for name in table_specs():
        key = ", ".join(f'"{k}"' for k in spec(name).key)
        found[name] = _query(dsn, f'SELECT xmin::text, {key} FROM "{name}" ORDER BY {key}')
    return found


def _assert_equal_to_the_store(dsn: str, out: Path, when: str) -> None:
    for name in table_specs():  # every row, every value
        assert _rows(dsn, name) == _parquet_rows(out, name), (when, name)


def test_loads_follow_the_runs_by_month_and_catch_up_whole_when_two_behind(tmp_path, pg):
    from test_delta import RUNS, _delta_run, _new

    out = tmp_path / "out"
    _delta_run(out, _new(RUNS[0][0]), RUNS[0][1], "v0")
    first = load_postgres(out, pg)
    assert first.rebuilt and first.months == {}  # a first load is whole
    _assert_equal_to_the_store(pg, out, "first")

    _delta_run(out, _new(RUNS[1][0]), RUNS[1][1], "v1")  # not loaded: a run killed before its load
    _delta_run(out, _new(RUNS[2][0]), RUNS[2][1], "v2")
    assert store.read_delta(out, "documents")["parent"] == "v1"
    behind = load_postgres(out, pg)
    assert behind.months == {} and behind.rows["documents"] == 4  # two versions behind: whole tables
    _assert_equal_to_the_store(pg, out, "two behind")
    assert _loaded(pg)["documents"] == ("v2", None)

    # d3's input changes its text: the new article d5 is filed in 2024-07, d3's rows (2023-03) must go
    before = _xmins(pg)
    _delta_run(out, _new(RUNS[3][0]), RUNS[3][1], "v3")
    months = sorted(store.read_delta(out, "documents")["months"])
    assert "2023-03" in months and "2024-07" in months
    result = load_postgres(out, pg)
    assert result.months["documents"] == months and _loaded(pg)["documents"] == ("v3", months)
    for name in ("entities", "entity_aliases", "runs"):
        assert name not in result.months  # corpus-level: always whole
    _assert_equal_to_the_store(pg, out, "replaced d3")
    for name in ("documents", "mentions", "quotations"):
        assert _query(pg, f'SELECT count(*) FROM "{name}" WHERE doc_id = %s', ["d3"]) == [(0,)], name
    assert result.deleted["documents"] == 1 and result.inserted["documents"] == 1
    assert result.deleted["quotations"] == 1  # d3's quote
    after = _xmins(pg)
    for name in ("documents", "mentions"):  # rows of the other documents were not rewritten
        kept = [row for row in after[name] if row[1] not in ("d3", "d5")]
        assert kept and kept == [row for row in before[name] if row[1] not in ("d3", "d5")], name
    # what was written is what changed: one document out, one in, and the rows that go with them
    assert result.deleted["mentions"] == 2 and result.inserted["mentions"] == 2

    # a repeated load, and a load after a run with nothing new: nothing read, no row written
    for _attempt in range(2):
        again = load_postgres(out, pg)
        assert again.changed == 0 and again.rows == {} and set(again.current) == set(table_specs())
        assert _xmins(pg) == after
    _delta_run(out, _new(RUNS[4][0]), RUNS[4][1], "v4")
    assert load_postgres(out, pg).changed == 0 and _xmins(pg) == after


def test_a_load_by_month_reads_and_writes_only_the_months_a_run_rewrote(tmp_path, pg):
    from datetime import date

    from test_delta import RUNS, TEXT2, _delta_run, _doc, _entity, _mention, _new

    out = tmp_path / "out"
    for number, (rows, replaced) in enumerate(RUNS[:4]):
        _delta_run(out, _new(rows), replaced, f"v{number}")
        load_postgres(out, pg)
    before = _xmins(pg)
    # a new article in a month of its own, naming a stored entity: that month is all the load reads
    text = "Tom Cruise flew home."
    new_doc = {**_doc("d1", text), "doc_id": "d6", "published": date(2025, 2, 3), "input_path": "/in/d6.txt",
               "source": "d6.txt"}
    _delta_run(out, _new(dict(documents=[new_doc], entities=[_entity("Tom Cruise")],
                              mentions=[_mention("d6", "Tom Cruise", 0, "Tom Cruise")])), {"d6"}, "v5")
    result = load_postgres(out, pg)
    assert result.months["documents"] == result.months["mentions"] == ["2025-02"]
    assert result.rows["documents"] == result.inserted["documents"] == 1 and result.deleted["documents"] == 0
    assert result.rows["mentions"] == result.inserted["mentions"] == 1 and result.deleted["mentions"] == 0
    assert result.updated["entities"] == 1  # Tom Cruise's counts
    _assert_equal_to_the_store(pg, out, "new month")
    after = _xmins(pg)
    for name in ("documents", "mentions"):  # every row held before is as it was written then
        assert [row for row in after[name] if row[1] != "d6"] == before[name], name

    # a run that changes mentions but not documents: the month of a row held is read off the documents
    # held, which load_duckdb trusts only when documents moves by months alike; so mentions goes whole
    _delta_run(out, _new(dict(documents=[_doc("d2", TEXT2)])), {"d2"}, "v9")
    assert store.read_delta(out, "mentions") == {"parent": "v5", "months": ["2023-03"]}
    result = load_postgres(out, pg)
    assert result.months == {} and "documents" in result.current
    assert result.deleted["mentions"] == 3 and result.inserted["mentions"] == 0  # still only what changed
    _assert_equal_to_the_store(pg, out, "d2 without mentions")


def test_the_plan_follows_load_duckdb():
    per_document = [name for name, s in table_specs().items() if s.per_document]
    manifest = {name: "v2" for name in table_specs()}
    deltas = {name: {"parent": "v1", "months": ["2024-01", "unknown"]} for name in per_document}
    held = {name: "v1" for name in table_specs()}
    plan = plan_load(manifest, deltas, held)
    assert plan == {name: (["2024-01", "unknown"] if name in per_document else None) for name in table_specs()}
    assert plan_load(manifest, deltas, manifest) == {}  # every table at its version
    # documents two versions behind: the months of the rows held are unknown, every table is whole
    assert plan_load(manifest, deltas, {**held, "documents": "v0"}) == dict.fromkeys(table_specs())
    # documents already current while mentions is one behind: whole, as load_duckdb decides
    assert plan_load(manifest, deltas, {**held, "documents": "v2"})["mentions"] is None
    # a table the store has no version of is synced whole, every time
    assert plan_load({}, {}, {}) == dict.fromkeys(table_specs())
    # a month this code cannot read dates from: whole
    odd = {**deltas, "mentions": {"parent": "v1", "months": ["2024-13-01"]}}
    assert set(plan_load(manifest, odd, held).values()) == {None}
