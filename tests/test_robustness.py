"""Hostile and broken input through `broadsheet run`: never a crash, never a lost article (issue 10).

One folder holds every kind of bad input a scraper can leave behind; one run over it (and one rerun)
must account for every input as a document or a reject, keep the tables valid and every offset exact.
"""

from __future__ import annotations

import base64
import json
import os
import random
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO, SEED, read_out, run_cli
from test_ingest import DATE_META, PAGE

from broadsheet.tables import spec, table_specs

pytestmark = pytest.mark.usefixtures("prefect_api")

DOC = "doc"  # the expected outcome of an accepted input; a reject's is its reason
MANY = 2000  # tiny files in one folder
MANY_UNIQUE = 40  # of which this many have a text of their own; the rest repeat one of them

TRIPPING = {  # text that trips extractors, kept verbatim: offsets must stay exact
    "quotes-unbalanced.txt": 'The mayor said "we will win. Then he left.\n\nOthers said "no" and "yes.',
    "quotes-nested.txt": ("He said \"she told me 'never \"again\" ever' and left\" on Monday.\n"
                          "“Outer ‘inner “deep” inner’ outer,” said Ann Lee."),
    "quote-last-paragraph.txt": "Senator Bob Smith spoke on Tuesday.\n\n“This is the last paragraph and it never",
    "emoji.txt": "President 👩‍👩‍👧‍👦 Joe Biden 🇺🇸 said “we are 💯 ready” on Friday 🎉. Elon Musk 🚀 agreed.",
    "rtl.txt": ("The Israeli minister said \u05e9\u05dc\u05d5\u05dd on Monday. \u0645\u0631\u062d\u0628\u0627 "
                "said Ahmed Ali in Cairo \u202b\u0645\u0631\u062d\u0628\u0627\u202c yesterday."),
    "html-remnants.txt": ("<p>Mayor Jane Doe said &ldquo;AT&amp;T will pay&rdquo; on Monday.</p><br/>"
                          "<a href=\"x\">Read more</a> &#8220;ok&#8221; Smith &amp; Wesson"),
    "zero-width.txt": "Barack\u200b Obama said\u200d “yes\u200b” on Mon\u00adday in Wash\u00adington.\ufeff Bye.",
    "tabs.txt": "Name\tDate\tQuote\nJohn Smith\t2023-01-05\t\"We will go,\" he said.\n\t\tMary Jones spoke Friday.",
    "controls.txt": "Text with \x0b vertical tab, \x0c form feed, \x1b escape. Tim Cook said \"ok\" on Monday.",
    "punctuation-only.txt": ".....!!!???,,,;;; “““ ””” \"\"\"",
    "dates-odd.txt": "On February 30, 2023 and 31 April, 10,000 BC, year 99999, 1899, 2999, 0000-00-00 and 10:99 am.",
}
SHELL_NAMES = ["name with spaces.txt", "ünïcödé 记者.txt", "a;b $(touch pwned) & `touch pwned2` 'q' \"dq\" *?[x].txt",
               "-dash first.txt", "line\nbreak.txt"]


def _write_inputs(folder: Path, outside: Path) -> dict[str, str]:
    """Write the hostile inputs; returns source → expected outcome (DOC or the reject reason)."""
    expected: dict[str, str] = {}

    def put(name: str, data: bytes | str, outcome: str) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        expected[path.name] = outcome

    put(SEED.name, SEED.read_bytes(), DOC)
    # web pages
    put("page.html", PAGE.format(date_meta=DATE_META), DOC)
    put("page-undated.htm", PAGE.format(date_meta="").replace("7-2", "6-3"), DOC)
    put("saved-page.txt", "date 2022-03-04\n" + PAGE.format(date_meta="").replace("7-2", "5-4"), DOC)
    put("menu-only.html", "<html><body><nav><a href='/'>Home</a> | <a href='/news'>News</a></nav></body></html>",
        "no_text")
    # empty and binary
    put("empty.txt", b"", "empty")
    put("blank.txt", b" \n\t \r\n", "empty")
    put("header-only.txt", b"date 2023-01-01\r\n\r\n", "empty")
    put("invisible.txt", "\ufeff\u200b\u200b\u2060\n".encode(), "empty")
    put("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "binary")
    put("picture.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary")
    put("nul.txt", b"date 2024-01-01\nText with a \x00 NUL byte.", "binary")
    put("notes.md", b"# Markdown is not read", "unsupported")
    # encodings and line endings
    put("cp1252.txt", "date 2024-03-01\nThe caf\xe9 owner said “we reopen in May” — 5 €.".encode("cp1252"), DOC)
    put("latin1.txt", "date 2024-03-02\nZürich, naïve façade, señor Muñoz said on Friday.".encode("latin-1"), DOC)
    put("utf16.txt", "date 2024-03-03\nThe “UTF-16” article, said Ana Lima on Monday.".encode("utf-16"), DOC)
    put("bad-utf8.txt", "date 2024-03-04\nCafé “ok”, a stray ".encode() + b"\xff" + b" byte, said Bo Li.",
        DOC)
    put("noise.txt", bytes(range(0x80, 0x100)) * 4, "undecodable")
    put("mixed-endings.txt", b"date 2024-03-05\r\nOne line.\r\nTwo line.\rThree line.\nFour line.\r\n", DOC)
    put("bom-header.txt", b"\xef\xbb\xbfdate 2024-03-06\nA BOM before the header, said Al Gore.", DOC)
    # malformed and implausible headers
    put("feb30.txt", "date 2023-02-30\nThe council met on Friday, February 3.", DOC)
    put("yesterday.txt", "date yesterday\nThe council met again on Friday.", DOC)
    put("written-date.txt", "Date: 14 Dec 2023\nThe council met a third time on Friday.", DOC)
    put("two-headers.txt", "date 2023-12-14\ndate 2023-12-15\nThe council met a fourth time.", DOC)
    put("future.txt", "date 2999-01-01\nA dispatch from the future, on Monday.", DOC)
    put("old.txt", "date 1850-07-04\nA dispatch from the past, on Monday.", DOC)
    # huge inputs: over the run's byte limit (set low by the fixture), and one 200,000-character line
    with (folder / "huge.txt").open("wb") as handle:
        handle.write(b"date 2023-01-01\n")
        handle.write(b"word " * 4_000_000)  # 20 MB
    expected["huge.txt"] = "too_large"
    blob = base64.b64encode(random.Random(10).randbytes(150_000)).decode()
    put("long-line.txt", f"date 2024-01-01\nMayor Ann Lee said the image follows.\n{blob}\nShe said: “Done.”", DOC)
    for i in range(MANY):  # many tiny files, in one folder
        put(f"many/n{i:04d}.txt", f"date 2024-01-01\nNote {i % MANY_UNIQUE}.", DOC if i < MANY_UNIQUE else "duplicate")
    # text that trips extractors
    for name, text in TRIPPING.items():
        put(name, f"date 2024-02-01\n{text}", DOC)
    # paths
    for i, name in enumerate(SHELL_NAMES):
        put(name, f"date 2024-02-02\nArticle number {i} about paths.", DOC)
    (folder / ".hidden.txt").write_text("date 2024-01-01\nHidden files are not inputs.", encoding="utf-8")
    (outside / "far.txt").write_text("date 2024-01-01\nAn article kept outside the folder.", encoding="utf-8")
    (folder / "far-link.txt").symlink_to(outside / "far.txt")
    expected["far-link.txt"] = DOC
    (folder / "alias.txt").symlink_to(folder / "cp1252.txt")
    expected["alias.txt"] = "duplicate"
    (folder / "broken-link.txt").symlink_to(outside / "nowhere.txt")
    expected["broken-link.txt"] = "unreadable"
    (folder / "many" / "loop").symlink_to(folder, target_is_directory=True)
    os.mkfifo(folder / "pipe.txt")
    expected["pipe.txt"] = "unsupported"
    # jsonl and csv
    records = [
        {"id": "../../etc/passwd", "date": "2024-02-03", "text": "A record whose id looks like a path."},
        {"id": "../../etc/passwd", "date": "2024-02-03", "text": "Another record with the same id."},
        {"id": ["a", "list"], "date": 20240203, "title": 7, "text": "A record with wrong types."},
        {"id": "same-as-txt", "text": "The council met on Friday, February 3."},  # repeats feb30.txt
        {"id": "text-int", "text": 42},
        {"id": "text-missing", "date": "2024-02-03"},
        {"id": "/tmp/absolute", "source": "../../outlet", "text": "An absolute id and an outlet like a path."},
    ]
    lines = [json.dumps(r) for r in records] + ["{not json", "[" * 50_000, '"a string"']
    put("records.jsonl", "\n".join(lines) + "\n", DOC)
    expected.pop("records.jsonl")
    expected.update({"../../etc/passwd": DOC, "records.jsonl:2": DOC, "records.jsonl:3": DOC,
                     "same-as-txt": "duplicate", "text-int": "no_text", "text-missing": "no_text",
                     "/tmp/absolute": DOC, "records.jsonl:8": "bad_json", "records.jsonl:9": "bad_json",
                     "records.jsonl:10": "bad_json"})
    put("records.csv", 'id,date,text\nc1,2024-01-10,"A csv article, with ""quotes"",\nand a newline."\n'
        "c1,2024-01-11,Same id again in the csv.\nc3,not a date,A csv article without a date.\nc4,2024-01-12,\n",
        DOC)
    expected.pop("records.csv")
    expected.update({"c1": DOC, "records.csv:row3": DOC, "c3": DOC, "c4": "no_text"})
    put("no-text-column.csv", "id,body\n1,hello\n", "bad_csv")
    return expected


@pytest.fixture(scope="session")
def hostile(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("hostile")
    folder, outside = root / "inputs", root / "outside"
    folder.mkdir()
    outside.mkdir()
    return folder, _write_inputs(folder, outside)


@pytest.fixture(scope="session")
def hostile_out(prefect_api, hostile, tmp_path_factory) -> Path:
    """One `broadsheet run` over the hostile folder, with the byte limit lowered to 10 MB."""
    out = tmp_path_factory.mktemp("hostile-out") / "nested" / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BROADSHEET_MAX_INPUT_BYTES", "10000000")
        patch.setenv("BROADSHEET_BATCH_SIZE", "64")
        run_cli("run", str(hostile[0]), "--out", str(out))
    return out


def _outcomes(out: Path) -> dict[str, str]:
    outcomes: dict[str, str] = {}
    for row in read_out(out, "documents"):
        assert row["source"] not in outcomes, row["source"]
        outcomes[row["source"]] = DOC
    for row in read_out(out, "rejects"):
        assert row["source"] not in outcomes, row["source"]
        outcomes[row["source"]] = row["reason"]
    return outcomes


def test_every_input_is_a_document_or_a_reject(hostile, hostile_out):
    _, expected = hostile
    documents, rejects = read_out(hostile_out, "documents"), read_out(hostile_out, "rejects")
    assert len(documents) + len(rejects) == len(expected)  # documents + rejects = inputs
    assert _outcomes(hostile_out) == expected
    (run,) = read_out(hostile_out, "runs")
    assert run["input_count"] == len(expected) == run["documents"] + run["rejects"]
    assert not [r for r in rejects if r["reason"] == "internal_error"]


def test_documents_record_dates_encodings_and_warnings(hostile_out):
    docs = {d["source"]: d for d in read_out(hostile_out, "documents")}
    page = docs["page.html"]
    assert (page["published"], page["title"]) == (date(2021, 6, 3), "Council approves new bridge")
    assert page["text"].startswith("The Riverside city council") and "Subscribe" not in page["text"]
    assert docs["page-undated.htm"]["published"] is None
    assert docs["saved-page.txt"]["published"] == date(2022, 3, 4)
    assert {name: docs[name]["encoding"] for name in ("cp1252.txt", "latin1.txt", "utf16.txt", "bad-utf8.txt")} == {
        "cp1252.txt": "cp1252", "latin1.txt": "cp1252", "utf16.txt": "utf-16", "bad-utf8.txt": "utf-8"}
    assert "Zürich, naïve façade, señor Muñoz" in docs["latin1.txt"]["text"]
    assert "invalid UTF-8" in docs["bad-utf8.txt"]["warnings"]
    assert docs["mixed-endings.txt"]["text"] == "One line.\nTwo line.\nThree line.\nFour line."
    assert docs["bom-header.txt"]["published"] == date(2024, 3, 6)
    for name, published, warning in [("feb30.txt", None, "not a valid date"), ("yesterday.txt", None, "not a valid"),
                                      ("written-date.txt", date(2023, 12, 14), None),
                                      ("two-headers.txt", date(2023, 12, 14), "2 header lines"),
                                      ("future.txt", date(2999, 1, 1), "in the future"),
                                      ("old.txt", date(1850, 7, 4), "before 1900"),
                                      ("html-remnants.txt", date(2024, 2, 1), "HTML remnants")]:
        assert docs[name]["published"] == published, name
        assert (warning in (docs[name]["warnings"] or "")) if warning else docs[name]["warnings"] is None, name
    assert docs["long-line.txt"]["n_chars"] > 200_000
    for name, text in TRIPPING.items():
        assert docs[name]["text"] == text.strip(), name  # verbatim: ingest neither strips nor unescapes


def test_every_span_is_exact_and_every_key_unique(hostile_out):
    texts = {d["doc_id"]: d["text"] for d in read_out(hostile_out, "documents")}
    tables = {name: read_out(hostile_out, name) for name in table_specs()}
    checked = 0
    for name, table in table_specs().items():
        keys = [tuple(row[k] for k in spec(name).key) for row in tables[name]]
        assert len(keys) == len(set(keys)), name
        if not table.has_span:
            continue
        for row in tables[name]:
            assert texts[row["doc_id"]][row["start_char"]:row["end_char"]] == row["text"], (name, row)
            if row.get("speaker_start_char") is not None:
                assert texts[row["doc_id"]][row["speaker_start_char"]:row["speaker_end_char"]] == row["speaker_text"]
            checked += 1
    tripping = {d["doc_id"] for d in read_out(hostile_out, "documents") if d["source"] in TRIPPING}
    assert checked > 20 and any(row["doc_id"] in tripping for row in tables["mentions"])


def test_names_never_become_paths(hostile, hostile_out):
    folder, _ = hostile
    docs = {d["source"]: d for d in read_out(hostile_out, "documents")}
    assert docs["/tmp/absolute"]["outlet"] == "../../outlet"
    for root in (hostile_out, folder, REPO):  # the shell never saw a file name
        assert not (root / "pwned").exists() and not (root / "pwned2").exists()
    assert not Path("/tmp/absolute").exists()
    # ids and outlets are strings in the tables, never paths: no file was written under those names
    written = {p.name for p in hostile_out.parents[1].rglob("*")}
    assert not written & {"passwd", "etc", "absolute", "outlet"}


def test_a_rerun_accounts_for_the_same_inputs_once(hostile, hostile_out, tmp_path):
    """The second of this module's two CLI runs: nothing to redo, and still one row per input."""
    _, expected = hostile
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BROADSHEET_MAX_INPUT_BYTES", "10000000")
        result = run_cli("run", str(hostile[0]), "--out", str(hostile_out))
    assert "0 processed" in result.stdout
    assert _outcomes(hostile_out) == expected
    runs = read_out(hostile_out, "runs")
    assert len(runs) == 2 and all(r["documents"] + r["rejects"] == r["input_count"] == len(expected) for r in runs)
