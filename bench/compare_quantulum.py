"""quantulum3 (a maintained quantity parser) on the amounts dev gold, mapped to the amounts table's units
and graded by bench/score_amounts.py, to compare with broadsheet_amounts before choosing.

    pip install quantulum3   # not a Broadsheet dependency
    .venv/bin/python bench/compare_quantulum.py

quantulum3 gives no counted object; its units are mapped: dollar, pound sterling, euro -> ISO codes
(money), percentage -> percent, "N-year" before "-old" -> age, dozen -> x12, dimensionless -> count,
anything else -> other.
"""

from __future__ import annotations

import importlib.util
import sys
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpora" / "polnear-train" / "inputs"
CURRENCIES = {"dollar": "USD", "united states dollar": "USD", "pound sterling": "GBP", "euro": "EUR", "cent": "USD"}


def _scorer():
    spec = importlib.util.spec_from_file_location("score_amounts", REPO / "bench" / "score_amounts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def quantulum_rows(text: str) -> list[dict]:
    """quantulum3's quantities of a text as rows of the scorer's format."""
    from quantulum3 import parser

    rows = []
    for q in parser.parse(text):
        name = q.unit.name.lower()
        value, unit, kind = q.value, "count", "count"
        if name in CURRENCIES:
            unit, kind = CURRENCIES[name], "money"
        elif name == "percentage":
            unit, kind = "percent", "percent"
        elif name == "year" and text[q.span[1]:q.span[1] + 4] == "-old":
            unit, kind = "age", "age"
        elif name == "dozen":
            value = q.value * 12
        elif name != "dimensionless":
            unit = "other"
        start, end = q.span
        rows.append({"start": start, "end": end, "text": text[start:end], "value": value, "unit": unit,
                     "object": None, "kind": kind})
    return rows


def main() -> None:
    warnings.filterwarnings("ignore")  # quantulum3 warns that its optional classifier is not installed
    sys.path.insert(0, str(REPO))
    from broadsheet.ingest import Article, read_inputs

    scorer = _scorer()
    gold = scorer.load_gold(REPO / "tests" / "data" / "amounts_gold.jsonl")
    articles = {a.doc_id: a for a in read_inputs([CORPUS / g["source"] for g in gold]) if isinstance(a, Article)}
    result = scorer.score(gold, {g["doc_id"]: quantulum_rows(articles[g["doc_id"]].text) for g in gold})
    print(scorer.format_report(result))


if __name__ == "__main__":
    main()
