"""Reading inputs: headers, encodings, jsonl/csv records, and the rejects of bad input."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from broadsheet.config import Settings
from broadsheet.ingest import Article, Reject, decode_bytes, discover_inputs, read_inputs, split_header


@pytest.mark.parametrize(("raw", "published", "body"), [
    (" date 2023-12-14 Tom Cruise is dating", date(2023, 12, 14), "Tom Cruise is dating"),
    ("date 2023-12-14\nBody text.", date(2023, 12, 14), "Body text."),
    ("\ufeffdate 2020-01-01\r\nBody.", date(2020, 1, 1), "Body."),
    ("Date: 14 Dec 2023\nBody.", date(2023, 12, 14), "Body."),
    ("date 2023-02-30\nBody.", None, "Body."),
    ("date yesterday\nBody.", None, "Body."),
    ("Date night ideas\nBody.", None, "Date night ideas\nBody."),
    ("No header here.", None, "No header here."),
])
def test_split_header(raw, published, body):
    assert split_header(raw) == (published, body)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
       st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1).filter(str.strip))
def test_header_date_and_body_round_trip(day, body):
    published, parsed = split_header(f"date {day.isoformat()}\n{body}")
    assert published == day and parsed == body.strip()


def _read(tmp_path, name: str, data: bytes, **settings) -> list[Article | Reject]:
    path = tmp_path / name
    path.write_bytes(data)
    files, _ = discover_inputs([path])
    return list(read_inputs(files, Settings(**settings) if settings else None))


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\t\n", "empty"),
    ("header-only.txt", b"date 2023-01-01\n", "empty"),
    ("doc.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "binary"),
    ("nul.txt", b"text\x00with a NUL", "binary"),
    ("notes.md", b"# a markdown file", "unsupported"),
])
def test_bad_files_become_rejects(tmp_path, name, data, reason):
    (record,) = _read(tmp_path, name, data)
    assert isinstance(record, Reject) and record.reason == reason and record.source == name


def test_too_large_is_rejected_against_the_configured_limit(tmp_path):
    (record,) = _read(tmp_path, "big.txt", b"date 2023-01-01\n" + b"word " * 100, max_input_bytes=100)
    assert record.reason == "too_large"


@pytest.mark.parametrize(("data", "encoding"), [
    ("date 2024-01-01\nCafé “quoted”".encode("cp1252"), "cp1252"),
    ("date 2024-01-01\nCafé “quoted”".encode("utf-16"), "utf-16"),
    (b"\xef\xbb\xbfdate 2024-01-01\nCaf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d", "utf-8"),
])
def test_encodings_are_detected_and_recorded(tmp_path, data, encoding):
    (article,) = _read(tmp_path, "a.txt", data)
    assert article.text == "Café “quoted”" and article.encoding == encoding
    assert article.published == date(2024, 1, 1)


def test_plain_utf8_is_read_as_utf8():
    assert decode_bytes(b"plain") == ("plain", "utf-8")


def test_jsonl_records_each_become_a_document_or_a_reject(tmp_path):
    lines = [json.dumps({"id": "x1", "date": "2024-02-03", "text": "First article.", "url": "http://e/1",
                         "source": "Wire"}),
             "[1, 2]", "{broken", json.dumps({"id": "x4", "text": 42}),
             json.dumps({"date": "not a date", "text": "Second article."})]
    records = _read(tmp_path, "batch.jsonl", "\n".join(lines).encode())
    assert [type(r).__name__ for r in records] == ["Article", "Reject", "Reject", "Reject", "Article"]
    first, last = records[0], records[-1]
    assert (first.source, first.published, first.url, first.outlet) == ("x1", date(2024, 2, 3), "http://e/1",
                                                                        "Wire")
    assert last.source == "batch.jsonl:5" and last.published is None and last.warnings
    assert [r.reason for r in records[1:4]] == ["bad_json", "bad_json", "no_text"]


def test_csv_without_text_column_is_one_reject(tmp_path):
    (record,) = _read(tmp_path, "t.csv", b"id,body\n1,hello\n")
    assert record.reason == "bad_csv"


def test_repeated_text_is_a_duplicate_naming_the_first(tmp_path):
    (tmp_path / "a.txt").write_text("date 2024-01-01\nSame words here.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("date 2024-01-02\n  Same   words here.  ", encoding="utf-8")
    files, _ = discover_inputs([tmp_path])
    first, second = read_inputs(files)
    assert isinstance(first, Article) and second.reason == "duplicate" and first.doc_id in second.detail


def test_discovery_follows_folders_skips_hidden_and_survives_symlink_loops(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a b ü.txt").write_text("x", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)
    files, missing = discover_inputs([tmp_path, tmp_path / "absent"])
    assert [f.name for f in files] == ["a b ü.txt"]
    assert [m.reason for m in missing] == ["unreadable"]
