"""The command line as a user types it: help, query formats and messages, serve's parameters."""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq
from typer.testing import CliRunner

from broadsheet.cli import app

runner = CliRunner()
SQL = "SELECT name, n_mentions FROM entities ORDER BY n_mentions DESC, name LIMIT 3"


def test_help_shows_flags_as_flags():
    result = runner.invoke(app, ["run", "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0 and "--full" in result.output and "--dask" in result.output
    assert "<bool>" not in result.output and "BOOLEAN" not in result.output


def test_query_writes_csv_json_and_parquet_with_the_same_rows(seed_mix_out, tmp_path):
    as_csv = runner.invoke(app, ["query", SQL, "--out", str(seed_mix_out), "--format", "csv"])
    as_json = runner.invoke(app, ["query", SQL, "--out", str(seed_mix_out), "-f", "json"])
    target = tmp_path / "top.parquet"
    as_parquet = runner.invoke(app, ["query", SQL, "--out", str(seed_mix_out), "-f", "parquet", "--output",
                                     str(target)])
    assert as_csv.exit_code == as_json.exit_code == as_parquet.exit_code == 0
    rows = [{"name": r["name"], "n_mentions": int(r["n_mentions"])} for r in csv.DictReader(io.StringIO(as_csv.stdout))]
    assert len(rows) == 3 and rows[0]["name"] == "Dmitry Tsvetkov"
    assert [json.loads(line) for line in as_json.stdout.splitlines()] == rows
    assert pq.read_table(target).to_pylist() == rows


def test_query_explains_what_is_missing(tmp_path, seed_mix_out):
    nothing = runner.invoke(app, ["query", SQL, "--out", str(tmp_path / "nothing")])
    assert nothing.exit_code == 1 and "no Broadsheet tables under" in nothing.output
    assert "broadsheet run" in nothing.output and "does not exist" not in nothing.output
    parquet = runner.invoke(app, ["query", SQL, "--out", str(seed_mix_out), "-f", "parquet"])
    assert parquet.exit_code == 1 and "--output" in parquet.output
    unknown = runner.invoke(app, ["query", SQL, "--out", str(seed_mix_out), "-f", "xml"])
    assert unknown.exit_code == 1 and "csv" in unknown.output


def test_serve_passes_the_model_and_batch_size_to_every_scheduled_run(monkeypatch, tmp_path):
    from broadsheet.flows.pipeline import pipeline

    from broadsheet.config import DEFAULT_MODEL

    served = {}
    monkeypatch.setattr(type(pipeline), "serve", lambda self, **kwargs: served.update(kwargs))
    (tmp_path / "in").mkdir()
    env = {"PREFECT_API_URL": "http://127.0.0.1:1/api", "BROADSHEET_BATCH_SIZE": "7"}
    result = runner.invoke(app, ["serve", str(tmp_path / "in"), "--out", str(tmp_path / "out"),
                                 "--model", DEFAULT_MODEL], env=env)
    assert result.exit_code == 0, result.output
    assert served["parameters"]["model"] == DEFAULT_MODEL and served["parameters"]["batch_size"] == 7
