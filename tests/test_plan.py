"""Planning a run against what is stored: unchanged articles are skipped, changed ones replaced."""

from __future__ import annotations

from datetime import date

import pyarrow as pa

from broadsheet.extract.ids import doc_id_for
from broadsheet.ingest import Article
from broadsheet.plan import plan_run


def _article(text: str, path: str) -> Article:
    return Article(doc_id=doc_id_for(text), source=path.rsplit("/", 1)[-1], input_path=path, text=text,
                   published=date(2024, 1, 1))


def _stored(*rows: tuple[str, str | None, str, str]) -> pa.Table:
    doc_ids, paths, sources, versions = zip(*rows, strict=True) if rows else ((), (), (), ())
    return pa.table({"doc_id": pa.array(doc_ids, pa.string()), "input_path": pa.array(paths, pa.string()),
                     "source": pa.array(sources, pa.string()), "pipeline_version": pa.array(versions, pa.string())})


def test_unchanged_is_skipped_and_changed_text_replaces_the_old_rows():
    same, changed = _article("Same text.", "/in/a.txt"), _article("New text.", "/in/b.txt")
    stored = _stored((same.doc_id, "/in/a.txt", "a.txt", "v1"), ("old-b", "/in/b.txt", "b.txt", "v1"))
    plan = plan_run([same, changed], stored, "v1", full=False)
    assert plan.unchanged == [same] and plan.to_process == [changed]
    assert plan.replaced_doc_ids == {"old-b", changed.doc_id}
    assert plan_run([same, changed], stored, "v2", full=False).to_process == [same, changed]


def test_a_stored_copy_without_an_input_path_is_taken_over_not_a_crash():
    # outputs written before input_path was recorded hold nulls there
    article = _article("Some text.", "/in/a.txt")
    plan = plan_run([article], _stored((article.doc_id, None, "a.txt", "v1")), "v1", full=False)
    assert plan.to_process == [article] and not plan.rejects
