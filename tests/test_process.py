"""A batch goes on when one article breaks an extractor or the table contract: that article is an
`internal_error` reject, the others are kept."""

from __future__ import annotations

import gc
from datetime import date

import pytest

from broadsheet import process
from broadsheet.config import DEFAULT_MODEL
from broadsheet.extract.ids import doc_id_for
from broadsheet.ingest import Article


def _article(text: str) -> Article:
    return Article(doc_id=doc_id_for(text), source=f"{text[:5]}.txt", input_path="/in", text=text,
                   published=date(2024, 1, 1))


def test_a_crashing_or_contract_breaking_article_is_rejected_and_the_batch_goes_on(nlp, monkeypatch):
    good, crash, broken = (_article("Angela Merkel spoke in Berlin on Monday."), _article("Crash here."),
                           _article("Broken spans here."))
    real = process.extract_records

    def flaky(doc, extractors, doc_id, published):
        if doc_id == crash.doc_id:
            raise RuntimeError("boom")
        records = real(doc, extractors, doc_id, published)
        if doc_id == broken.doc_id:
            records["time_expressions"].append({
                "doc_id": doc_id, "start_char": 0, "end_char": 6, "text": "nonsense", "type": "DATE",
                "value": None, "date_start": None, "date_end": None, "granularity": None, "rule": None})
        return records

    monkeypatch.setattr(process, "extract_records", flaky)
    result = process.process_batch([good, crash, broken], DEFAULT_MODEL, "run")
    assert result.tables["documents"].column("doc_id").to_pylist() == [good.doc_id]
    reasons = {r.source: (r.reason, r.detail) for r in result.rejects}
    assert reasons[crash.source] == ("internal_error", "RuntimeError: boom")
    assert reasons[broken.source][0] == "internal_error" and "span" in reasons[broken.source][1]
    assert set(result.tables["mentions"].column("doc_id").to_pylist()) == {good.doc_id}


def test_a_batch_collects_garbage_rarely_and_restores_the_collector_after(nlp, monkeypatch):
    seen, real = [], process.extract_records

    def watched(doc, extractors, doc_id, published):
        seen.append(gc.get_threshold())
        if "Crash" in doc.text:
            raise RuntimeError("boom")
        return real(doc, extractors, doc_id, published)

    monkeypatch.setattr(process, "extract_records", watched)
    before = gc.get_threshold()
    result = process.process_batch([_article("Angela Merkel spoke."), _article("Crash here.")], DEFAULT_MODEL, "r")
    assert seen == [process.BATCH_GC_THRESHOLDS] * 2 and before != process.BATCH_GC_THRESHOLDS
    assert gc.get_threshold() == before and len(result.rejects) == 1
    monkeypatch.setattr(process, "load_nlp", lambda model: 1 / 0)  # a batch that fails outright restores it too
    with pytest.raises(ZeroDivisionError):
        process.process_batch([_article("Angela Merkel spoke.")], DEFAULT_MODEL, "r")
    assert gc.get_threshold() == before


def test_a_failed_article_is_not_retried_until_its_text_or_the_pipeline_changes(prefect_api, tmp_path, monkeypatch):
    from broadsheet.flows.pipeline import run_pipeline
    from conftest import read_out

    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    (inputs / "good.txt").write_text("date 2024-01-02\nAngela Merkel spoke in Berlin on Monday.\n", encoding="utf-8")
    (inputs / "poison.txt").write_text("date 2024-01-02\nThis article breaks an extractor.\n", encoding="utf-8")
    real, calls = process.extract_records, []

    def failing(doc, extractors, doc_id, published):
        calls.append(doc_id)
        if "breaks" in doc.text:
            raise RuntimeError("boom")
        return real(doc, extractors, doc_id, published)

    monkeypatch.setattr(process, "extract_records", failing)
    first = run_pipeline([str(inputs)], out=str(out), load=False)
    assert (first["processed"], first["rejects"]) == (1, 1) and len(calls) == 2
    (reject,) = read_out(out, "rejects")
    assert reject["reason"] == "internal_error" and reject["doc_id"] and reject["pipeline_version"]

    again = run_pipeline([str(inputs)], out=str(out), load=False)
    assert (again["processed"], again["unchanged"], again["rejects"]) == (0, 1, 1) and len(calls) == 2
    assert read_out(out, "rejects") == [reject]  # kept as it was, not duplicated

    (inputs / "poison.txt").write_text("date 2024-01-02\nThis article breaks it again, with new text.\n",
                                       encoding="utf-8")
    changed = run_pipeline([str(inputs)], out=str(out), load=False)
    assert changed["rejects"] == 1 and len(calls) == 3  # new text: tried again

    monkeypatch.setattr(process, "extract_records", real)  # the bug fixed: --full retries it
    fixed = run_pipeline([str(inputs)], out=str(out), load=False, full=True)
    assert (fixed["processed"], fixed["rejects"]) == (2, 0)
    assert read_out(out, "rejects") == []


def test_a_preloaded_model_is_not_loaded_again():
    from broadsheet import nlp as nlp_module

    thread = nlp_module.preload(DEFAULT_MODEL)
    first = nlp_module.load_nlp(DEFAULT_MODEL)  # while the preload may still be running: waits for it
    thread.join(timeout=120)
    misses = nlp_module._load.cache_info().misses
    assert nlp_module.load_nlp(DEFAULT_MODEL) is first
    assert nlp_module._load.cache_info().misses == misses and "ner" in first.pipe_names


def test_a_failed_preload_is_reported_by_the_load_that_needs_it():
    import pytest

    from broadsheet.nlp import load_nlp, preload

    preload("no_such_model_xyz").join(timeout=60)  # no exception escapes the thread
    with pytest.raises(RuntimeError, match="not installed"):
        load_nlp("no_such_model_xyz")
