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
from broadsheet.extract import dates, events, names, quotes
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
    start = time.perf_counter()
    docs = list(nlp.pipe((a.text for a in articles), batch_size=32))
    seconds["spaCy nlp.pipe (with our components)"] = time.perf_counter() - start
    for article, doc in zip(articles, docs, strict=True):
        keep_text(doc, article.text)  # as process_batch does
    batch: list[dict] = []
    for article, doc in zip(articles, docs, strict=True):
        t0 = time.perf_counter()
        entities, mentions = names.extract_entities(doc, article.doc_id)
        t1 = time.perf_counter()
        timexes = dates.extract_time_expressions(doc, article.doc_id, article.published)
        t2 = time.perf_counter()
        quotations = quotes.extract_quotations(doc, article.doc_id, entities, mentions)
        t3 = time.perf_counter()
        event_rows, participants = events.extract_events(doc, article.doc_id, entities, mentions, timexes,
                                                         quotations)
        t4 = time.perf_counter()
        release(doc)  # as extract_records does: the shared per-document lists go with the article
        for stage, a, b in (("names", t0, t1), ("dates", t1, t2), ("quotes", t2, t3), ("events", t3, t4)):
            seconds[stage] += b - a
        batch.append({"documents": [document_row(article, "run", "v")], "entities": entities,
                      "mentions": mentions, "time_expressions": timexes, "quotations": quotations,
                      "events": event_rows, "event_participants": participants})
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
