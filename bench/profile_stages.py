"""Where the time goes: spaCy parsing vs each extractor, per article, on a sample of a corpus.

    .venv/bin/python bench/profile_stages.py [INPUTS] [--limit N]
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

import spacy

from broadsheet.config import DEFAULT_MODEL
from broadsheet.extract import extractor_pipes, rows_of
from broadsheet.extract.docs import keep_text, release
from broadsheet.ingest import Article, discover_inputs, read_inputs
from broadsheet.nlp import load_nlp
from broadsheet.process import checked_tables, combine_records, document_row

HERE = Path(__file__).resolve().parent
BATCH = 64  # the flow's default batch size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="?", default=str(HERE.parent.parent / "shared/corpora/polnear-train/inputs"))
    parser.add_argument("--limit", type=int, default=100)
    args = parser.parse_args()
    files, _ = discover_inputs([args.inputs])
    articles = [r for r in read_inputs(files[: args.limit]) if isinstance(r, Article)]
    nlp = load_nlp()
    seconds: dict[str, float] = defaultdict(float)
    raw = spacy.load(DEFAULT_MODEL)
    start = time.perf_counter()
    for _ in raw.pipe((a.text for a in articles), batch_size=32):
        pass
    raw_seconds = time.perf_counter() - start
    extractors = extractor_pipes(nlp)
    start = time.perf_counter()
    docs = list(nlp.pipe((a.text for a in articles), batch_size=32, disable=[name for name, _ in extractors]))
    seconds["spaCy nlp.pipe (with our parse-stage components)"] = time.perf_counter() - start
    for article, doc in zip(articles, docs, strict=True):
        keep_text(doc, article.text)  # as process_batch does
    batch: list[dict] = []
    for article, doc in zip(articles, docs, strict=True):
        doc._.doc_id, doc._.published = article.doc_id, article.published
        for name, proc in extractors:  # as broadsheet.extract.annotate does, each component timed
            started = time.perf_counter()
            proc(doc)
            seconds[name.removeprefix("broadsheet_")] += time.perf_counter() - started
        release(doc)
        started = time.perf_counter()
        records = rows_of(doc)
        seconds["rows from the Doc's records"] += time.perf_counter() - started
        batch.append({"documents": [document_row(article, "run", "v")], **records})
        if len(batch) == BATCH or article is articles[-1]:  # checked per batch, as process_batch does
            t5 = time.perf_counter()
            checked_tables(combine_records(batch))
            seconds["contract check (Arrow + validation, per batch)"] += time.perf_counter() - t5
            batch = []
    total = sum(seconds.values())
    tokens = sum(len(d) for d in docs)
    print(f"{len(articles)} articles, {tokens} tokens; raw spaCy without our components: {raw_seconds:.2f} s")
    print("| stage | seconds | ms/article | share |\n|---|---|---|---|")
    for stage, value in seconds.items():
        print(f"| {stage} | {value:.2f} | {1000 * value / len(articles):.1f} | {value / total:.0%} |")


if __name__ == "__main__":
    main()
