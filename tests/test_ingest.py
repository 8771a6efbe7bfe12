"""Reading inputs: headers, encodings, jsonl/csv records, and the rejects of bad input."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.config import Settings
from broadsheet.ingest import (
    Article,
    ArticleRef,
    Reject,
    decode_bytes,
    discover_inputs,
    read_articles,
    read_inputs,
    scan_inputs,
    split_header,
)


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


# --- hostile and broken input (issue 10): every input is one Article or one Reject, never an exception

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Council approves new bridge | The Riverside Gazette</title>
<meta property="og:title" content="Council approves new bridge">
<meta property="og:site_name" content="The Riverside Gazette">
{date_meta}
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/subscribe">Subscribe now</a></li></ul></nav></header>
<div class="ad-banner">ADVERTISEMENT Buy cheap watches today! Limited offer.</div>
<main><article><h1>Council approves new bridge</h1><p class="byline">By Ana Ruiz</p>
<p>The Riverside city council voted 7-2 on Tuesday to approve a new pedestrian bridge across the Elm
River, ending a debate that had lasted more than three years.</p>
<p>&ldquo;This bridge connects two neighbourhoods that have been apart for too long,&rdquo; said Mayor
Helen Park after the vote. Construction is expected to start in March &amp; finish next year.</p>
<p>Opponents, led by councillor Tom Baker, argued that the $12 million cost would strain the budget.</p>
</article></main>
<aside class="related"><h3>Most read</h3><ul><li><a href="/a">Ten recipes for summer</a></li></ul></aside>
<footer><p>&copy; 2019 Riverside Gazette. All rights reserved.</p>
<p><a href="/privacy">Privacy policy</a> | <a href="/terms">Terms of use</a> | Cookie settings</p></footer>
</body></html>
"""
DATE_META = '<meta property="article:published_time" content="2021-06-03T09:15:00+00:00">'
BOILERPLATE = ("Subscribe", "ADVERTISEMENT", "watches", "Most read", "recipes", "Privacy", "Cookie", "Home",
               "All rights reserved", "By Ana Ruiz")


@pytest.mark.parametrize("name", ["page.html", "page.HTM"])
def test_a_web_page_gives_its_article_title_and_metadata_date(tmp_path, name):
    (article,) = _read(tmp_path, name, PAGE.format(date_meta=DATE_META).encode())
    assert article.published == date(2021, 6, 3) and article.title == "Council approves new bridge"
    assert article.outlet == "The Riverside Gazette"
    assert article.text.startswith("The Riverside city council voted 7-2 on Tuesday")
    assert "“This bridge connects" in article.text and "March & finish" in article.text  # entities unescaped
    assert "<" not in article.text and not any(junk in article.text for junk in BOILERPLATE)


def test_a_page_date_comes_from_metadata_only_never_from_a_copyright_line(tmp_path):
    (article,) = _read(tmp_path, "nodate.htm", PAGE.format(date_meta="").encode())
    assert article.published is None and article.text.startswith("The Riverside city council")


def test_a_header_line_before_a_saved_page_wins_and_a_page_saved_as_txt_is_read_as_a_page(tmp_path):
    data = ("date 2022-03-04\n" + PAGE.format(date_meta=DATE_META)).encode()
    (article,) = _read(tmp_path, "saved.txt", data)
    assert article.published == date(2022, 3, 4) and article.title == "Council approves new bridge"
    assert "metadata date 2021-06-03 differs" in "; ".join(article.warnings)
    assert "<p>" not in article.text and "Subscribe" not in article.text


@pytest.mark.parametrize("page", [
    "<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav></body></html>",
    "<html><body></body></html>",
    "<html><body><script>var a = '<p>not text</p>';</script><style>p {}</style></body></html>",
])
def test_a_page_without_article_text_is_a_no_text_reject(tmp_path, page):
    (record,) = _read(tmp_path, "menu.html", page.encode())
    assert isinstance(record, Reject) and record.reason == "no_text", record


@pytest.mark.parametrize("page", [
    "<html><body><p>&#x110000;&#0;&bogus; <<<>>></p></body>", "<html" * 10_000, "</p>" * 10_000,
    "<!DOCTYPE html><html><body>" + "<div>" * 5_000 + "deep" + "</div>" * 5_000, "<?xml version='1.0'?><html/>",
])
def test_broken_markup_never_raises(tmp_path, page):
    (record,) = _read(tmp_path, "broken.html", page.encode())
    assert isinstance(record, (Article, Reject))


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("invisible.txt", "\ufeff\u200b\u200d\u2060\n\u00a0 \u3000".encode(), "empty"),
    ("header-only-crlf.txt", b"date 2023-01-01\r\n\r\n  \r\n", "empty"),
    ("bom-only.txt", b"\xef\xbb\xbf", "empty"),
    ("utf16-bom-only.txt", b"\xff\xfe", "empty"),
    ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    ("scan.txt", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj", "binary"),
    ("archive.txt", b"PK\x03\x04\x14\x00\x00\x00", "binary"),
    ("noise.txt", bytes(range(0x80, 0x100)) * 4, "undecodable"),
    ("bad.csv", b"id,body\n1,hello\n", "bad_csv"),
    ("rows-none.csv", b"id,date,text\n", "empty"),
])
def test_more_bad_files_become_rejects(tmp_path, name, data, reason):
    (record,) = _read(tmp_path, name, data)
    assert isinstance(record, Reject) and record.reason == reason, record


@pytest.mark.parametrize(("data", "text", "encoding"), [
    ("date 2024-01-01\nZürich, naïve, façade".encode("latin-1"), "Zürich, naïve, façade", "cp1252"),
    ("date 2024-01-01\nThe “euro” — €5".encode("cp1252"), "The “euro” — €5", "cp1252"),
    ("date 2024-01-01\nUTF-16 “big end”".encode("utf-16-be").join([b"\xfe\xff", b""]), "UTF-16 “big end”",
     "utf-16"),
    ("date 2024-01-01\nNo BOM here".encode("utf-16-le"), "No BOM here", "utf-16-le"),
])
def test_other_encodings_are_read_and_recorded(tmp_path, data, text, encoding):
    (article,) = _read(tmp_path, "a.txt", data)
    assert (article.text, article.encoding, article.published) == (text, encoding, date(2024, 1, 1))


LEGACY_TEXTS = {
    "cp1251": "Президент России заявил в понедельник, что переговоры продолжатся. «Мы готовы», — сказал он.",
    "koi8_r": "Президент России заявил в понедельник, что переговоры продолжатся.",
    "cp1253": "Ο πρωθυπουργός της Ελλάδας δήλωσε τη Δευτέρα ότι οι συνομιλίες θα συνεχιστούν.",
    "cp1250": "Prezydent Polski powiedział w poniedziałek, że rozmowy będą kontynuowane.",
    "cp1256": "قال الرئيس يوم الاثنين إن المحادثات ستستمر.",
}


@pytest.mark.parametrize("codec", sorted(LEGACY_TEXTS))
def test_legacy_code_pages_are_told_apart_from_windows_1252_with_a_warning(tmp_path, codec):
    text = LEGACY_TEXTS[codec]
    (article,) = _read(tmp_path, "a.txt", f"date 2024-01-01\n{text}".encode(codec))
    assert (article.text, article.encoding) == (text, codec)
    assert any("is a guess" in w and codec in w for w in article.warnings)


def test_western_text_stays_windows_1252_without_a_warning(tmp_path):
    text = "The café in Zürich said “we reopen in May” — 5 €, naïve as that sounds. Ça va, señor?"
    (article,) = _read(tmp_path, "a.txt", f"date 2024-01-01\n{text}".encode("cp1252"))
    assert (article.text, article.encoding, article.warnings) == (text, "cp1252", [])


def test_utf8_with_a_broken_byte_keeps_its_utf8_and_says_so(tmp_path):
    data = "date 2024-01-01\nCafé “ok”, a stray ".encode() + b"\xff" + " byte, and naïve.".encode()
    (article,) = _read(tmp_path, "a.txt", data)
    assert article.text == "Café “ok”, a stray \ufffd byte, and naïve." and article.encoding == "utf-8"
    assert "1 invalid UTF-8" in article.warnings[0]


def test_mixed_line_endings_become_newlines(tmp_path):
    (article,) = _read(tmp_path, "a.txt", b"date 2024-01-01\r\nOne.\r\nTwo.\rThree.\nFour.\r\n\r\n")
    assert article.text == "One.\nTwo.\nThree.\nFour." and article.published == date(2024, 1, 1)


def test_a_bom_before_the_header(tmp_path):
    (article,) = _read(tmp_path, "a.txt", b"\xef\xbb\xbf date 2023-12-14 Tom Cruise is dating.")
    assert (article.published, article.text) == (date(2023, 12, 14), "Tom Cruise is dating.")


@pytest.mark.parametrize(("raw", "published", "body", "warning"), [
    ("date 2023-02-30\nBody.", None, "Body.", "'2023-02-30' is not a valid date"),
    ("date yesterday\nBody.", None, "Body.", "'yesterday' is not a valid date"),
    ("Date: 14 Dec 2023\nBody.", date(2023, 12, 14), "Body.", None),
    ("date 2023-12-14\ndate 2023-12-14\nBody.", date(2023, 12, 14), "Body.", "2 header lines"),
    ("date 2023-12-14\nDate: 15 Dec 2023\nBody.", date(2023, 12, 14), "Body.", "the first valid date is used"),
    ("date 2023-02-30\ndate 2023-03-01\nBody.", date(2023, 3, 1), "Body.", "'2023-02-30' is not a valid date"),
    ("date 2999-01-01\nBody.", date(2999, 1, 1), "Body.", "2999-01-01 is in the future"),
    ("date 1850-07-04\nBody.", date(1850, 7, 4), "Body.", "1850-07-04 is before 1900"),
])
def test_malformed_and_implausible_header_dates_are_flagged(tmp_path, raw, published, body, warning):
    (article,) = _read(tmp_path, "a.txt", raw.encode())
    assert (article.published, article.text) == (published, body)
    assert (warning in "; ".join(article.warnings)) if warning else not article.warnings


def test_a_file_over_the_limit_is_rejected_without_being_read(tmp_path, monkeypatch):
    import broadsheet.ingest as ingest

    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: 20 MB on paper, nothing on disk
        handle.truncate(20_000_000)
    monkeypatch.setattr(ingest, "open", lambda *a, **k: pytest.fail("a too-large file was opened"), raising=False)
    (record,) = read_inputs([path], Settings(max_input_bytes=10_000_000))
    assert record.reason == "too_large" and "20000000 bytes > limit 10000000" in record.detail


def test_the_character_limit_rejects_a_body_too_long_for_the_model(tmp_path):
    (record,) = _read(tmp_path, "a.txt", b"date 2024-01-01\n" + b"x" * 5000, max_chars=4000)
    assert record.reason == "too_large" and "5000 characters" in record.detail


def test_a_200000_character_line_is_one_article(tmp_path):
    line = ("The minister said on Monday that the plan would work. " * 4000)[:200_000]
    (article,) = _read(tmp_path, "a.txt", f"date 2024-01-01\n{line}\nEnd.".encode())
    assert len(article.text) == 200_005 and article.text.endswith("\nEnd.")


def test_two_thousand_tiny_files_are_read_quickly(tmp_path):
    import time

    for i in range(2000):
        (tmp_path / f"n{i:04d}.txt").write_text(f"date 2024-01-01\nNote {i % 1500}.", encoding="utf-8")
    started = time.perf_counter()
    files, missing = discover_inputs([tmp_path])
    records = list(read_inputs(files))
    assert time.perf_counter() - started < 5
    assert len(records) == 2000 and not missing
    assert sum(isinstance(r, Article) for r in records) == 1500
    assert {r.reason for r in records if isinstance(r, Reject)} == {"duplicate"}


@pytest.mark.parametrize("text", [
    "He said \"never 'ever \"again\" and left.\n\n“Unclosed in the last paragraph",
    "Emoji 👩‍👩‍👧‍👦 🇺🇸 and RTL \u05e9\u05dc\u05d5\u05dd \u202b\u0645\u0631\u062d\u0628\u0627\u202c text.",
    "Zero\u200bwidth\u200d and soft\u00adhyphen\ufeff, tabs\there\t\tand\ttrailing.",
    "<p>AT&amp;T said &ldquo;yes&rdquo;</p><br/>",
])
def test_text_is_kept_verbatim_apart_from_line_endings(tmp_path, text):
    (article,) = _read(tmp_path, "a.txt", f"date 2024-01-01\n{text}\r\n".encode())
    assert article.text == text.strip()


def test_html_remnants_in_plain_text_are_kept_and_flagged(tmp_path):
    (article,) = _read(tmp_path, "a.txt", b"date 2024-01-01\n<p>AT&amp;T said so.</p>")
    assert article.text == "<p>AT&amp;T said so.</p>" and "HTML remnants" in article.warnings[0]
    (plain,) = _read(tmp_path, "b.txt", b"date 2024-01-01\nAT&T said 3 < 4 & more.")
    assert not plain.warnings


def test_hostile_jsonl_records(tmp_path):
    lines = [
        json.dumps({"id": "../../etc/passwd", "date": "2024-02-03", "text": "First article."}),
        json.dumps({"id": "../../etc/passwd", "date": "2024-02-03", "text": "Same id, other text."}),
        json.dumps({"id": ["list"], "date": 20240203, "title": 7, "url": None, "text": "Odd types."}),
        json.dumps({"id": "dup-text", "text": "First article."}),
        json.dumps({"id": "t-int", "text": 42}),
        json.dumps({"id": "t-missing"}),
        json.dumps({"id": "t-blank", "text": " \n "}),
        "[" * 100_000,
        "not json at all",
        '"a string"',
        json.dumps({"id": "sep", "text": "Line\u2028separator and \x0c feed"}, ensure_ascii=False),
        '{"id": "lone", "text": "A lone \\ud800 surrogate."}',
        json.dumps({"id": "written", "date": "14 Dec 2023", "text": "Written date."}),
        json.dumps({"id": "future", "date": "2999-01-01", "text": "From the future."}),
    ]
    records = _read(tmp_path, "batch.jsonl", "\r\n".join(lines).encode())
    outcome = [(r.source, r.reason if isinstance(r, Reject) else "doc") for r in records]
    assert outcome == [
        ("../../etc/passwd", "doc"), ("batch.jsonl:2", "doc"), ("batch.jsonl:3", "doc"), ("dup-text", "duplicate"),
        ("t-int", "no_text"), ("t-missing", "no_text"), ("t-blank", "no_text"), ("batch.jsonl:8", "bad_json"),
        ("batch.jsonl:9", "bad_json"), ("batch.jsonl:10", "bad_json"), ("sep", "doc"), ("lone", "doc"),
        ("written", "doc"), ("future", "doc"),
    ]
    docs = {r.source: r for r in records if isinstance(r, Article)}
    assert "repeats the id of batch.jsonl:1" in docs["batch.jsonl:2"].warnings[0]
    odd = docs["batch.jsonl:3"]
    assert odd.title is None and odd.published is None and len(odd.warnings) == 2
    assert docs["sep"].text == "Line\u2028separator and \x0c feed"
    assert docs["lone"].text == "A lone \ufffd surrogate."
    assert docs["written"].published == date(2023, 12, 14)
    assert docs["future"].published == date(2999, 1, 1) and "in the future" in docs["future"].warnings[0]
    assert "repeats doc_id" in next(r for r in records if r.source == "dup-text").detail
    assert len({(r.input_path, r.source) for r in records}) == len(records)  # one key per input


def test_hostile_csv_records(tmp_path):
    long_text = "A long article. " * 10_000  # 160,000 characters: over the csv module's default field limit
    data = ('id,date,text,title\n'
            'c1,2024-01-10,"Quoted, with ""inner"" quotes\nand a newline",T\n'
            'c1,2024-01-11,Same id other text,\n'
            'c3,not a date,Some text,\n'
            'c4,2024-01-12,,\n'
            f'c5,2024-01-13,{long_text},\n'
            'c6,2024-01-14,Extra,cells,here,\n'
            'c7\n').encode("cp1252")
    records = _read(tmp_path, "rows.csv", data)
    outcome = [(r.source, r.reason if isinstance(r, Reject) else "doc") for r in records]
    assert outcome == [("c1", "doc"), ("rows.csv:row3", "doc"), ("c3", "doc"), ("c4", "no_text"), ("c5", "doc"),
                       ("c6", "doc"), ("c7", "no_text")]
    assert records[0].text == 'Quoted, with "inner" quotes\nand a newline' and records[0].title == "T"
    assert records[2].published is None and "not a valid date" in records[2].warnings[0]
    assert len(records[4].text) == len(long_text.strip())


def test_paths_with_spaces_unicode_and_shell_metacharacters(tmp_path):
    names = ["name with spaces.txt", "ünïcödé 记者.txt", "a;b $(touch pwned) & `id` 'q' \"dq\" *?[x].txt",
             "line\nbreak.txt", "-dash-first.txt"]
    for i, name in enumerate(names):
        (tmp_path / name).write_text(f"date 2024-01-01\nArticle number {i}.", encoding="utf-8")
    files, _ = discover_inputs([tmp_path])
    records = list(read_inputs(files))
    assert sorted(r.source for r in records) == sorted(names) and all(isinstance(r, Article) for r in records)
    assert not (tmp_path / "pwned").exists()


def test_symlinks_are_followed_once_and_broken_links_fifos_are_rejects(tmp_path):
    import os

    inputs, outside = tmp_path / "in", tmp_path / "outside"
    (inputs / "sub").mkdir(parents=True)
    outside.mkdir()
    (inputs / "real.txt").write_text("date 2024-01-01\nReal article.", encoding="utf-8")
    (outside / "far.txt").write_text("date 2024-01-01\nAn article elsewhere.", encoding="utf-8")
    (inputs / "alias.txt").symlink_to(inputs / "real.txt")
    (inputs / "far-link.txt").symlink_to(outside / "far.txt")
    (inputs / "broken.txt").symlink_to(tmp_path / "nowhere.txt")
    (inputs / "sub" / "loop").symlink_to(inputs, target_is_directory=True)
    (inputs / "sub" / "up").symlink_to(tmp_path, target_is_directory=True)
    os.mkfifo(inputs / "pipe.txt")
    files, rejects = discover_inputs([inputs, inputs / "real.txt"])
    records = rejects + list(read_inputs(files))
    outcome = sorted((r.source, r.reason if isinstance(r, Reject) else "doc") for r in records)
    # far.txt is reached twice from the folder: as far-link.txt and as sub/up/outside/far.txt
    assert outcome == [("alias.txt", "duplicate"), ("broken.txt", "unreadable"), ("far-link.txt", "doc"),
                       ("far.txt", "duplicate"), ("pipe.txt", "unsupported"), ("real.txt", "doc")]


_HOSTILE_BYTES = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.builds(lambda head, body, codec: (head + body).encode(codec, "replace"),
              st.sampled_from(["", "date 2023-02-30\n", "\ufeffdate 2024-01-01\r\n", " date 2023-12-14 ",
                               "Date: 14 Dec 2023\n", "date yesterday\n", "<html><body><p>"]),
              st.text(max_size=200), st.sampled_from(["utf-8", "cp1252", "utf-16", "latin-1"])),
)


@settings(max_examples=150, deadline=None)
@given(data=_HOSTILE_BYTES, suffix=st.sampled_from([".txt", ".html", ".jsonl", ".csv", ".bin"]))
def test_any_bytes_give_records_and_never_raise(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
    path.write_bytes(data)
    records = list(read_inputs([path]))
    assert records and all(isinstance(r, (Article, Reject)) for r in records)
    if suffix in {".txt", ".html", ".bin"}:
        assert len(records) == 1
    for article in (r for r in records if isinstance(r, Article)):
        article.text.encode("utf-8")  # no lone surrogates: every writer downstream needs valid UTF-8
        assert article.text == article.text.strip() and "\r" not in article.text
    assert len({(r.input_path, r.source) for r in records}) == len(records)


@pytest.mark.parametrize(("data", "encoding"), [
    ("date 2024-01-01\nCut “short”".encode("utf-16")[:-1], "utf-16"),
    ("date 2024-01-01\nCut short here".encode("utf-16-le")[:-1], "utf-16-le"),
])
def test_a_truncated_utf16_file_keeps_its_text_and_says_so(tmp_path, data, encoding):
    (article,) = _read(tmp_path, "a.txt", data)
    assert article.encoding == encoding and article.text.startswith("Cut") and article.text.endswith("\ufffd")
    assert "1 invalid UTF-16" in article.warnings[0]


def test_a_folder_that_cannot_be_listed_is_an_unreadable_reject(tmp_path, monkeypatch):
    import os

    (tmp_path / "locked").mkdir()
    (tmp_path / "ok.txt").write_text("An article.", encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path="."):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    files, rejects = discover_inputs([tmp_path])
    assert [f.name for f in files] == ["ok.txt"]
    assert [(r.source, r.reason) for r in rejects] == [("locked", "unreadable")]
    assert "Permission denied" in rejects[0].detail


def test_a_broken_symlink_says_where_it_points(tmp_path):
    (tmp_path / "gone.txt").symlink_to(tmp_path / "moved-away.txt")
    files, _ = discover_inputs([tmp_path])
    (record,) = read_inputs(files)
    assert record.reason == "unreadable" and "broken symlink" in record.detail and "moved-away" in record.detail


def _mixed_inputs(folder):
    (folder / "a.txt").write_text("date 2024-05-02\nThe council met on Tuesday.", encoding="utf-8")
    (folder / "b.jsonl").write_text("\n".join(json.dumps({"id": f"r{i}", "text": f"Record number {i} was filed."})
                                              for i in range(3)) + "\n{broken\n", encoding="utf-8")
    (folder / "c.txt").write_bytes(b"")
    files, _ = discover_inputs([folder])
    return files


def test_a_scan_keeps_refs_and_a_batch_read_gives_back_the_same_articles(tmp_path):
    files = _mixed_inputs(tmp_path)
    full = list(read_inputs(files))
    scanned = list(scan_inputs(files))
    assert [type(r) for r in scanned] == [ArticleRef if isinstance(r, Article) else Reject for r in full]
    assert [r for r in scanned if isinstance(r, Reject)] == [r for r in full if isinstance(r, Reject)]
    refs = [r for r in scanned if isinstance(r, ArticleRef)]
    articles = [r for r in full if isinstance(r, Article)]
    assert [(r.doc_id, r.source, r.input_path) for r in refs] == [(a.doc_id, a.source, a.input_path)
                                                                  for a in articles]
    assert read_articles(refs[::-1]) == articles[::-1]  # any batch, in the refs' order


def test_an_input_that_changed_or_went_since_the_scan_is_read_as_it_is_now(tmp_path):
    files = _mixed_inputs(tmp_path)
    refs = [r for r in scan_inputs(files) if isinstance(r, ArticleRef)]
    (tmp_path / "a.txt").write_text("date 2024-05-03\nThe council adjourned on Wednesday.", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps({"id": "r0", "text": "Record number 0 was filed."}) + "\n",
                                      encoding="utf-8")
    records = read_articles(refs)
    assert len(records) == len(refs)
    changed, kept, *gone = records
    assert isinstance(changed, Article) and "adjourned" in changed.text and changed.doc_id != refs[0].doc_id
    assert isinstance(kept, Article) and kept.doc_id == refs[1].doc_id
    assert [(r.reason, r.source) for r in gone] == [("unreadable", ref.source) for ref in refs[2:]]
    (tmp_path / "a.txt").unlink()
    assert isinstance(read_articles(refs[:1])[0], Reject)
