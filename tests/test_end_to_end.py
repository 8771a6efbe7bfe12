"""The pipeline as a user runs it: `broadsheet run` on the seed and a mix of broken inputs."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest
from conftest import SEED, SEED_MIX_INPUTS, read_out, run_cli

from broadsheet.tables import spec, table_specs

pytestmark = pytest.mark.usefixtures("prefect_api")


def _seed_doc(out: Path) -> dict:
    return next(d for d in read_out(out, "documents") if d["source"] == SEED.name)


def test_every_input_is_a_document_or_a_reject(seed_mix_out):
    documents, rejects = read_out(seed_mix_out, "documents"), read_out(seed_mix_out, "rejects")
    assert len(documents) + len(rejects) == SEED_MIX_INPUTS
    reasons = {r["source"]: r["reason"] for r in rejects}
    assert reasons == {"empty.txt": "empty", "picture.png": "binary", "records.jsonl:2": "bad_json",
                       "a3": "no_text", "a4": "duplicate", "c2": "no_text"}
    duplicate = next(r for r in rejects if r["reason"] == "duplicate")
    assert _seed_doc(seed_mix_out)["doc_id"] in duplicate["detail"]


def test_documents_keep_dates_encodings_and_records(seed_mix_out):
    docs = {d["source"]: d for d in read_out(seed_mix_out, "documents")}
    assert docs[SEED.name]["published"] == date(2023, 12, 14)
    assert docs[SEED.name]["text"].startswith("Tom Cruise is reportedly dating")
    assert docs["undated.txt"]["published"] is None
    assert docs["latin1.txt"]["encoding"] == "cp1252"
    assert "café owner said \u201cwe will reopen" in docs["latin1.txt"]["text"]
    assert docs["a1"]["title"] == "Vote" and docs["a1"]["published"] == date(2024, 5, 2)
    assert docs["c1"]["published"] == date(2024, 1, 10)


def test_every_span_matches_the_document_text(seed_mix_out):
    texts = {d["doc_id"]: d["text"] for d in read_out(seed_mix_out, "documents")}
    checked = 0
    for name, table in table_specs().items():
        if not table.has_span:
            continue
        for row in read_out(seed_mix_out, name):
            assert texts[row["doc_id"]][row["start_char"]:row["end_char"]] == row["text"], (name, row)
            if row.get("speaker_start_char") is not None:
                assert texts[row["doc_id"]][row["speaker_start_char"]:row["speaker_end_char"]] == row["speaker_text"]
            checked += 1
    assert checked > 50


def test_every_foreign_key_resolves(seed_mix_out):
    tables = {name: read_out(seed_mix_out, name) for name in table_specs()}
    checked = 0
    for name, table in table_specs().items():
        for column, target in table.references.items():
            target_table, target_column = target.split(".")
            known = {row[target_column] for row in tables[target_table]}
            for row in tables[name]:
                if row[column] is not None:
                    assert row[column] in known, (name, column, row)
                    checked += 1
    assert checked > 50


def test_keys_are_unique_in_every_table(seed_mix_out):
    for name in table_specs():
        rows = read_out(seed_mix_out, name)
        keys = [tuple(row[k] for k in spec(name).key) for row in rows]
        assert len(keys) == len(set(keys)), name


def test_seed_entities(seed_mix_out):
    seed_id = _seed_doc(seed_mix_out)["doc_id"]
    entities = {e["entity_id"]: e for e in read_out(seed_mix_out, "entities")}
    by_name: dict[str, set[str]] = {}
    for m in read_out(seed_mix_out, "mentions"):
        if m["doc_id"] == seed_id:
            entity = entities[m["entity_id"]]
            by_name.setdefault((entity["name"], entity["type"]), set()).add(m["text"])
    for person, short in [("Tom Cruise", "Cruise"), ("Elsina Khayrova", "Khayrova"),
                          ("Dmitry Tsvetkov", "Tsvetkov")]:
        assert short in by_name[(person, "PERSON")], person
    for person in ["Rinat Khayrov", "Vladimir Putin", "Katie Holmes", "Nicole Kidman", "Mimi Rogers"]:
        assert (person, "PERSON") in by_name, person
    names = {name for name, _ in by_name}
    assert {"London", "Russia"} <= names
    assert {n.removeprefix("The ") for n, t in by_name if t == "ORG"} >= {"Daily Mail", "Telegraph"}


def test_seed_time_expressions(seed_mix_out):
    seed_id = _seed_doc(seed_mix_out)["doc_id"]
    timexes = [t for t in read_out(seed_mix_out, "time_expressions") if t["doc_id"] == seed_id]
    values = {}
    for t in timexes:
        values.setdefault(t["text"], set()).add(t["value"])
    saturday = next(t for t in timexes if "December 9" in t["text"])
    assert saturday["value"] == "2023-12-09" and saturday["text"].startswith("Saturday")
    assert saturday["date_start"] == saturday["date_end"] == date(2023, 12, 9)
    assert values["earlier this year"] == {"2023"}
    assert values["August"] == {"2023-08"}
    assert values["2012"] == {"2012"}
    assert values["ten years"] == {"P10Y"}
    assert values["May 23, 2025"] == {"2025-05-23"}
    assert not any(t["text"] in {"61", "36-year-old"} for t in timexes)


def test_undated_article_keeps_relative_dates_unresolved(seed_mix_out):
    doc = next(d for d in read_out(seed_mix_out, "documents") if d["source"] == "undated.txt")
    timexes = [t for t in read_out(seed_mix_out, "time_expressions") if t["doc_id"] == doc["doc_id"]]
    assert [t["value"] for t in timexes if "December 9" in t["text"]] == ["XXXX-12-09"]


def test_seed_quotations(seed_mix_out):
    seed_id = _seed_doc(seed_mix_out)["doc_id"]
    entities = {e["entity_id"]: e["name"] for e in read_out(seed_mix_out, "entities")}
    quotes = [q for q in read_out(seed_mix_out, "quotations") if q["doc_id"] == seed_id]
    by_start = {q["text"][:25]: q for q in quotes}
    for opening in ("After the judgement in Au", "When I was at school in R"):
        quote = by_start[opening]
        assert entities[quote["speaker_entity_id"]] == "Dmitry Tsvetkov", quote
    judge = next(q for q in quotes if q["text"] == "guilty of sustained duplicity")
    assert judge["speaker_text"] == "a judge" and judge["speaker_entity_id"] is None


def test_seed_events(seed_mix_out):
    seed_id = _seed_doc(seed_mix_out)["doc_id"]
    entities = {e["entity_id"]: e["name"] for e in read_out(seed_mix_out, "entities")}
    events = {e["event_id"]: e for e in read_out(seed_mix_out, "events") if e["doc_id"] == seed_id}
    participants: dict[str, set[str]] = {}
    for p in read_out(seed_mix_out, "event_participants"):
        if p["event_id"] in events:
            participants.setdefault(p["event_id"], set()).add(entities[p["entity_id"]])
    dating = [e for e in events.values() if e["trigger"] == "dating"]
    assert dating and {"Tom Cruise", "Elsina Khayrova"} <= participants[dating[0]["event_id"]]
    divorces = [e for e in events.values() if e["trigger"].lower() == "divorce" and "Divorce" in e["event_type"]]
    assert any({"Elsina Khayrova", "Dmitry Tsvetkov"} <= participants.get(e["event_id"], set()) for e in divorces)


def test_seed_participants_are_shown_where_written(seed_mix_out):
    seed = _seed_doc(seed_mix_out)
    mentions = {(m["start_char"], m["end_char"]): m["entity_id"] for m in read_out(seed_mix_out, "mentions")
                if m["doc_id"] == seed["doc_id"]}
    rows = [p for p in read_out(seed_mix_out, "event_participants") if p["doc_id"] == seed["doc_id"]]
    assert rows and all(p["text"] is not None for p in rows)
    for p in rows:
        # the text is a mention of that very entity, at its offsets
        assert seed["text"][p["start_char"]:p["end_char"]] == p["text"]
        assert mentions[(p["start_char"], p["end_char"])] == p["entity_id"]


def test_warehouse_holds_the_same_tables(seed_mix_out):
    with duckdb.connect(str(seed_mix_out / "broadsheet.duckdb"), read_only=True) as con:
        for name in table_specs():
            count = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            assert count == len(read_out(seed_mix_out, name)), name


def test_runs_row_accounts_for_the_run(seed_mix_out):
    (run,) = read_out(seed_mix_out, "runs")
    assert run["input_count"] == SEED_MIX_INPUTS
    assert run["documents"] + run["rejects"] == run["input_count"]
    assert run["package_version"] and run["model"]
    # the extract stage splits into spaCy and our rules, both measured, neither more than the stage
    assert run["seconds_parse"] > 0 and run["seconds_rules"] > 0
    assert run["seconds_parse"] + run["seconds_rules"] <= run["seconds_extract"]
    # the run counts from the command's start, as the user waited: Python, imports and Prefect included
    stages = [run[f"seconds_{s}"] for s in ("startup", "ingest", "extract", "merge", "write", "load")]
    assert run["seconds_startup"] > 0 and sum(stages) <= run["seconds"] + 0.01


def test_the_summary_says_how_long_the_user_waited(seed_mix, tmp_path):
    import re
    import time

    started = time.monotonic()
    result = run_cli("run", str(seed_mix), "--out", str(tmp_path / "out"))
    waited = time.monotonic() - started
    said = float(re.search(r"([0-9.]+) s\b", result.stdout + result.stderr).group(1))
    assert 0.75 * waited <= said <= waited


def test_rerun_skips_unchanged_and_replaces_changed(seed_mix, tmp_path):
    inputs, out = tmp_path / "inputs", tmp_path / "out"
    shutil.copytree(seed_mix, inputs)
    run_cli("run", str(inputs), "--out", str(out))
    before = {name: len(read_out(out, name)) for name in table_specs()}
    links = {name: os.readlink(out / name) for name in table_specs()}
    # nothing to extract: the run is recorded without Prefect (a dead API address would fail a flow run)
    result = run_cli("run", str(inputs), "--out", str(out), env={"PREFECT_API_URL": "http://127.0.0.1:9/api"})
    assert "0 processed" in result.stdout and "5 unchanged" in result.stdout
    assert "Prefect" not in result.stderr
    # nothing new: only the runs table is rewritten, every other table keeps its files
    assert [name for name in table_specs() if os.readlink(out / name) != links[name]] == ["runs"]
    after = {name: len(read_out(out, name)) for name in table_specs()}
    assert {k: v for k, v in after.items() if k != "runs"} == {k: v for k, v in before.items() if k != "runs"}
    assert after["runs"] == before["runs"] + 1
    # a changed article replaces its rows in every table; no orphans remain
    (inputs / "undated.txt").write_text("The president visited Berlin on Monday, aides said.\n", encoding="utf-8")
    result = run_cli("run", str(inputs), "--out", str(out))
    assert "1 processed" in result.stdout
    docs = read_out(out, "documents")
    assert len(docs) + len(read_out(out, "rejects")) == SEED_MIX_INPUTS
    doc_ids = {d["doc_id"] for d in docs}
    for name in ("mentions", "time_expressions", "quotations", "events"):
        assert all(row["doc_id"] in doc_ids for row in read_out(out, name)), name
    assert any("Berlin" in d["text"] for d in docs) and not any("union leaders" in d["text"] for d in docs)


def test_missing_input_fails_with_one_line(prefect_api, tmp_path):
    result = run_cli("run", str(tmp_path / "nope"), "--out", str(tmp_path / "out"), check=False)
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    assert "no such input" in result.stdout + result.stderr


def test_help_on_every_command():
    for command in ([], ["run"], ["serve"], ["load"], ["report"], ["docs"], ["query"]):
        result = run_cli(*command, "--help")
        assert "Usage" in result.stdout


def test_a_locked_output_folder_is_refused_with_one_line(tmp_path):
    from broadsheet.store import run_lock

    with run_lock(tmp_path / "out"):
        result = run_cli("run", str(SEED), "--out", str(tmp_path / "out"), check=False)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "another broadsheet run" in result.stderr


def _same_values(out: Path, reference: Path) -> None:
    """Every table but `runs` holds the same rows, value for value, in both outputs (the run id that
    stamps each article's rows aside)."""
    for name in table_specs():
        if name == "runs":
            continue
        rows = sorted(repr(sorted((k, v) for k, v in r.items() if k != "run_id")) for r in read_out(out, name))
        expected = sorted(repr(sorted((k, v) for k, v in r.items() if k != "run_id"))
                          for r in read_out(reference, name))
        assert rows == expected, name


def test_worker_processes_give_the_same_tables(seed_mix, seed_mix_out, tmp_path):
    out = tmp_path / "out"
    run_cli("run", str(seed_mix), "--out", str(out), "--workers", "2", "--batch-size", "2")
    _same_values(out, seed_mix_out)


def test_a_local_dask_cluster_gives_the_same_tables(seed_mix, seed_mix_out, tmp_path):
    out = tmp_path / "out"
    run_cli("run", str(seed_mix), "--out", str(out), "--dask", "--workers", "2", "--batch-size", "2")
    _same_values(out, seed_mix_out)


def test_serve_without_a_prefect_server_explains_what_it_needs(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    exe = Path(sys.executable).parent / "broadsheet"
    result = subprocess.run([str(exe), "serve", str(SEED), "--out", str(tmp_path / "out")], capture_output=True,
                            text=True, env=env, timeout=120)
    assert result.returncode == 1 and "prefect server start" in result.stderr
