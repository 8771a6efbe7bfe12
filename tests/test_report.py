"""`broadsheet report`: what the page says, that every text is escaped and every span highlighted, and
that a real headless browser (Debian's chromium) renders it."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest
from conftest import SEED, read_out, run_cli

from broadsheet.report import Report, Span, highlight
from broadsheet.tables import spec, table_specs

VOID = {"meta", "br", "img", "hr", "link", "input"}


class Page(HTMLParser):
    """Checks that tags nest and close, and collects the text of each element with an id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.text_by_id: dict[str, list[str]] = {}
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, name, attrs):
        self.tags.append((name, dict(attrs)))
        if name not in VOID:
            self.stack.append((name, dict(attrs).get("id")))

    def handle_endtag(self, name):
        assert self.stack and self.stack[-1][0] == name, f"</{name}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data):
        for _, element_id in self.stack:
            if element_id:
                self.text_by_id.setdefault(element_id, []).append(data)

    def text(self, element_id: str) -> str:
        return "".join(self.text_by_id.get(element_id, []))


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    assert parser.stack == [], f"unclosed: {parser.stack}"
    return parser


def _row(table: str, **values) -> dict:
    row = dict.fromkeys(spec(table).column_names)
    row.update(values)
    return row


HOSTILE = 'Ann <b>Lee</b> said: "We & they <i>won</i>." Then <script>alert(1)</script> on May 2, 2024.'


def _hostile_tables() -> dict[str, list[dict]]:
    """One article whose text and names are full of markup, with overlapping spans."""
    text = HOSTILE
    name_end = text.index(" said")
    quote_start, quote_end = text.index("We"), text.index('"', text.index("We"))
    won = text.index("won")
    may = text.index("May 2, 2024")
    tables: dict[str, list[dict]] = {name: [] for name in table_specs()}
    tables["documents"] = [_row("documents", doc_id="d1", source="<evil>.txt", text=text, published=date(2024, 5, 2),
                                title='Title "<img src=x onerror=alert(1)>"', url="javascript:alert(1)",
                                input_path="/in/<evil>.txt", encoding="utf-8", n_chars=len(text))]
    tables["entities"] = [_row("entities", entity_id="e1", name="Ann <b>Lee</b>", type="PERSON", name_key="ann lee",
                               n_mentions=1, n_documents=1)]
    tables["mentions"] = [_row("mentions", doc_id="d1", entity_id="e1", start_char=0, end_char=name_end,
                               text=text[:name_end], mention_kind="name")]
    tables["quotations"] = [_row("quotations", quote_id="q1", doc_id="d1", start_char=quote_start, end_char=quote_end,
                                 text=text[quote_start:quote_end], speaker_entity_id="e1", speaker_text=text[:name_end],
                                 speaker_start_char=0, speaker_end_char=name_end, cue="said", kind="direct")]
    tables["events"] = [_row("events", event_id="v1", doc_id="d1", event_type="Conflict.Win", trigger="won",
                             start_char=won, end_char=won + 3, date_value="2024-05-02", date_start=date(2024, 5, 2),
                             date_end=date(2024, 5, 2), sentence=text, polarity="positive", modality="reported")]
    tables["event_participants"] = [_row("event_participants", event_id="v1", entity_id="e1", role="agent",
                                         doc_id="d1")]
    tables["time_expressions"] = [_row("time_expressions", doc_id="d1", start_char=may, end_char=may + 11,
                                       text="May 2, 2024", type="DATE", value="2024-05-02")]
    tables["rejects"] = [_row("rejects", source="<b>bad</b>.jsonl:2", reason="bad_json", detail="line 2: <oops>",
                              input_path="/in/x.jsonl", run_id="r1")]
    now = datetime(2024, 5, 3, tzinfo=UTC)
    tables["runs"] = [_row("runs", run_id="r1", started_at=now, ended_at=now, input_count=2, documents=1, rejects=1,
                           seconds=1.5)]
    return tables


def test_every_text_is_escaped_and_the_page_nests():
    page = Report(_hostile_tables(), "out/<here>").render()
    parsed = parse(page)
    assert not any(name in {"i", "img"} for name, _ in parsed.tags)
    assert [name for name, _ in parsed.tags].count("script") == 1  # the page's own, never the data's
    assert "<b>Lee</b>" not in page and "Ann &lt;b&gt;Lee&lt;/b&gt;" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;oops&gt;" in page
    assert not any(attrs.get("href", "").startswith("javascript:") for _, attrs in parsed.tags)
    assert parsed.text("doc-d1").count(HOSTILE) == 1  # the article's text, whole, once


def test_overlapping_spans_keep_the_text_and_carry_every_class():
    text = HOSTILE
    page = Report(_hostile_tables(), "out").render()
    parsed = parse(page)
    classes = {attrs.get("class") for name, attrs in parsed.tags if name == "span"}
    assert {"mention m-PERSON speaker", "quote", "quote event", "timex"} <= classes
    anchors = {attrs["id"] for name, attrs in parsed.tags if name == "a" and "id" in attrs}
    assert {"q-q1", "e-v1", "s-q1", f"m-d1-0-{text.index(' said')}"} <= anchors
    hrefs = {attrs.get("href") for name, attrs in parsed.tags if name == "a"}
    assert {"#q-q1", "#e-v1", "#doc-d1"} <= hrefs  # facts and sections link to the spans


def test_articles_beyond_the_limit_are_indexed_without_dangling_links():
    page = Report(_hostile_tables(), "out", max_articles=0).render()
    parsed = parse(page)
    ids = {attrs.get("id") for _, attrs in parsed.tags}
    hrefs = {attrs["href"] for name, attrs in parsed.tags if name == "a" and "href" in attrs}
    assert "doc-d1" not in ids and "1 more articles" in page
    assert {h for h in hrefs if h.lstrip("#") not in ids} == set()  # every in-page link has its target


def test_highlight_handles_nested_adjacent_and_empty_spans():
    text = "abc def ghi"
    spans = [Span(0, 7, "quote", "q", "a1"), Span(4, 7, "event", "e", "a2"), Span(7, 7, "x", "z", "a3"),
             Span(8, 11, "timex", "t", "a4"), Span(5, 99, "bad", "b", "a5")]
    out = highlight(text, spans)
    assert html.unescape(re.sub(r"<[^>]+>", "", out)) == text
    assert '<span class="quote event" title="q · e">def</span>' in out
    assert '<a id="a3"></a>' in out and "a5" not in out


def test_report_of_a_real_run(seed_mix_out, tmp_path):
    output = tmp_path / "report.html"
    result = run_cli("report", "--out", str(seed_mix_out), "--output", str(output))
    assert str(output) in result.stdout
    page = output.read_text(encoding="utf-8")
    parsed = parse(page)
    for reason in ("empty", "binary", "bad_json", "no_text", "duplicate"):
        assert f"<td>{reason}</td>" in page, reason
    assert "Dmitry Tsvetkov" in parsed.text("quotes") and "Tom Cruise" in parsed.text("entities")
    assert "Divorce" in parsed.text("timeline")
    documents = read_out(seed_mix_out, "documents")
    for doc in documents:
        assert parsed.text(f"doc-{doc['doc_id']}").count(doc["text"]) == 1, doc["source"]
    ids = {attrs.get("id") for _, attrs in parsed.tags}
    hrefs = [attrs.get("href", "") for name, attrs in parsed.tags if name == "a"]
    targets = {href[1:] for href in hrefs if href.startswith("#")}
    assert targets and targets <= ids  # every fact links to its span, every article link to its section
    seed = next(d for d in documents if d["source"] == SEED.name)
    highlighted = [a for n, a in parsed.tags if n == "span" and "mention" in (a.get("class") or "")]
    assert len(highlighted) >= len([m for m in read_out(seed_mix_out, "mentions") if m["doc_id"] == seed["doc_id"]])
    seed_text = parsed.text(f"doc-{seed['doc_id']}")
    assert "1,000,000 GBP" in seed_text and "aged 61" in seed_text  # the amounts beside the seed's facts
    assert f"tone {seed['tone']:+.1f}" in seed_text
    assert "Tom Cruise" in parsed.text("tone") and "2023-12" in parsed.text("tone")  # tone over time per entity
    # dates as people read them: "Saturday (December 9)" of the seed, not its TIMEX3 value
    assert "9 Dec 2023" in seed_text and ">2023-12-09<" not in page
    places = parsed.text("places")  # the seed's places by country, on a map
    assert "United Kingdom (GB)" in places and "Russia (RU)" in places and "London" in places
    assert "<svg" in page and "<circle" in page


def _chromium() -> str | None:
    return next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome", "chrome"))), None)


def test_report_renders_in_headless_chromium(seed_mix_out, tmp_path):
    browser = _chromium()
    if browser is None:
        pytest.skip("chromium is not installed (as root: apt-get install -y chromium; `make test` does it when it can)")
    page = tmp_path / "report.html"
    run_cli("report", "--out", str(seed_mix_out), "--output", str(page))
    common = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
              f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,2400"]
    shot = tmp_path / "report.png"
    subprocess.run([*common, f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120, check=True)
    dom = subprocess.run([*common, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120,
                         check=True).stdout
    assert "Broadsheet report" in dom and "Dmitry Tsvetkov" in dom
    # the inline script ran: the longer tables got a filter box and sortable column heads
    assert 'class="filter"' in dom and 'class="sortable"' in dom

    from PIL import Image

    with Image.open(shot) as image:
        assert image.size == (1280, 2400)
        pixels = image.convert("RGB").resize((320, 600))
        colours = pixels.getcolors(maxcolors=1 << 16) or []
        not_background = sum(n for n, rgb in colours if sum(rgb) < 720)  # anything darker than near-white
    assert len(colours) > 50, "the screenshot is nearly one colour: the page did not render"
    assert not_background > 0.05 * 320 * 600, "the screenshot is nearly blank"


def test_report_without_tables_fails_in_one_line(tmp_path):
    result = run_cli("report", "--out", str(tmp_path / "none"), check=False)
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "no Broadsheet tables" in result.stderr



def test_unresolved_pronoun_speakers_are_not_ranked():
    from broadsheet.report import Report

    tables = _hostile_tables()
    text = tables["documents"][0]["text"]
    tables["quotations"].append(_row("quotations", quote_id="q2", doc_id="d1", start_char=0, end_char=3,
                                     text=text[:3], speaker_text="they", speaker_kind="pronoun", cue="said",
                                     kind="direct"))
    page = Report(tables, "out").render()
    section = page[page.index('id="quotes"'):page.index('id="timeline"')]
    assert "1 quotations whose speaker is a pronoun" in section
    assert "<td>they</td>" not in section and "<td>Ann &lt;b&gt;Lee&lt;/b&gt;</td>" in section
