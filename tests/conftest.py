"""Shared fixtures: one spaCy model for the whole session (loading it costs about a second)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from broadsheet.config import DEFAULT_MODEL

REPO = Path(__file__).resolve().parents[1]
SEED = next((REPO / "seeds").glob("*.txt"))


@pytest.fixture(scope="session")
def nlp():
    import broadsheet

    return broadsheet.load_nlp(os.environ.get("BROADSHEET_MODEL", DEFAULT_MODEL))


@pytest.fixture(scope="session")
def seed_body() -> str:
    """The seed article's body, the header removed the way ingest removes it."""
    from broadsheet.ingest import split_header

    _, body = split_header(SEED.read_text(encoding="utf-8"))
    return body


@pytest.fixture(scope="session")
def prefect_api():
    """One Prefect API server for the whole session (a temporary one per CLI run costs 10-40 s).

    Its URL is exported, so `broadsheet` subprocesses started by the tests use it too.
    """
    from prefect.testing.utilities import prefect_test_harness

    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    with prefect_test_harness(server_startup_timeout=180):
        from prefect.settings import PREFECT_API_URL

        previous = os.environ.get("PREFECT_API_URL")
        os.environ["PREFECT_API_URL"] = PREFECT_API_URL.value()
        try:
            yield PREFECT_API_URL.value()
        finally:
            if previous is None:
                os.environ.pop("PREFECT_API_URL", None)
            else:
                os.environ["PREFECT_API_URL"] = previous


def run_cli(*args: str, check: bool = True, env: dict[str, str] | None = None):
    """Run the `broadsheet` console script as a user would (with `env` added to the environment);
    returns the CompletedProcess."""
    import shutil
    import subprocess
    import sys

    exe = shutil.which("broadsheet", path=str(Path(sys.executable).parent)) or "broadsheet"
    result = subprocess.run([exe, *args], capture_output=True, text=True, timeout=900, cwd=REPO,
                            env={**os.environ, **env} if env else None)
    if check and result.returncode != 0:
        raise AssertionError(f"broadsheet {' '.join(args)} failed ({result.returncode}):\n"
                             f"{result.stdout}\n{result.stderr}")
    return result


def read_out(out: Path, name: str) -> list[dict]:
    """A table under `out`, read the way analysts and the scorer read it."""
    import pyarrow.dataset as ds

    return ds.dataset(str(out / name), format="parquet", partitioning="hive").to_table().to_pylist()


SEED_MIX_INPUTS = 11  # the inputs `seed_mix` writes: see its body


@pytest.fixture(scope="session")
def seed_mix(tmp_path_factory) -> Path:
    """A folder with the seed and a realistic mix of broken inputs (11 inputs in all)."""
    folder = tmp_path_factory.mktemp("inputs")
    seed_text = SEED.read_text(encoding="utf-8")
    (folder / SEED.name).write_text(seed_text, encoding="utf-8")  # 1 document
    (folder / "empty.txt").write_bytes(b"")  # 1 reject: empty
    (folder / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")  # 1 reject: binary
    (folder / "undated.txt").write_text(  # 1 document with a null date
        "The minister met union leaders on Saturday (December 9) in Paris, officials said.\n", encoding="utf-8")
    (folder / "latin1.txt").write_bytes(  # 1 document decoded from Windows-1252
        "date 2024-03-01\nThe caf\xe9 owner said \u201cwe will reopen in May\u201d, according to Le Monde.".encode(
            "cp1252"))
    import json

    _, seed_body = (seed_text.split("\n", 1) + [""])[:2]
    lines = [
        json.dumps({"id": "a1", "date": "2024-05-02", "title": "Vote",
                    "text": "Senator Jane Doe said on Tuesday that the bill would pass next month."}),  # document
        "{not json",  # reject: bad_json
        json.dumps({"id": "a3", "date": "2024-05-02"}),  # reject: no_text
        json.dumps({"id": "a4", "date": "2023-12-14", "text": seed_text.split(" ", 3)[3]}),  # reject: duplicate
    ]
    (folder / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")  # 4 inputs
    (folder / "records.csv").write_text(  # 2 inputs: one document, one no_text
        'id,date,text\nc1,2024-01-10,"Apple announced on Monday it would buy a start-up for $2 billion."\n'
        "c2,2024-01-11,\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def seed_mix_out(prefect_api, seed_mix, tmp_path_factory) -> Path:
    """The output of one `broadsheet run` over `seed_mix`."""
    out = tmp_path_factory.mktemp("out")
    run_cli("run", str(seed_mix), "--out", str(out))
    return out


def load_eval_scorer(name: str):
    """tests/eval/NAME.py, a checked copy of a ../shared/eval scorer, as a module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, REPO / "tests" / "eval" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_parquet_tables(tables: dict, root: Path) -> None:
    """Each table as ROOT/NAME/part-0.parquet: the layout the shared scorers read."""
    import pyarrow.parquet as pq

    for name, table in tables.items():
        (root / name).mkdir()
        pq.write_table(table, root / name / "part-0.parquet")
