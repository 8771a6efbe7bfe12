"""`broadsheet report`: what the pages say, that every text is escaped and every span highlighted, that the
index links every article's page and stays small for 10,000 articles, that the folder is swapped in whole,
and that a real headless browser (Debian's chromium) renders it."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest
from conftest import SEED, read_out, run_cli

from broadsheet.report import Report, Span, highlight, page_name
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


def _pages(tables: dict, max_articles: int | None = None) -> tuple[str, dict[str, str]]:
    report = Report(tables, "out/<here>", max_articles)
    return report.render_index(), dict(report.article_pages())


def test_every_text_is_escaped_and_the_pages_nest():
    index, articles = _pages(_hostile_tables())
    assert list(articles) == ["d1.html"]
    article = articles["d1.html"]
    for page in (index, article):
        parsed = parse(page)
        assert not any(name in {"i", "img"} for name, _ in parsed.tags)
        assert [name for name, _ in parsed.tags].count("script") == 1  # the page's own, never the data's
        assert "<b>Lee</b>" not in page and "Ann &lt;b&gt;Lee&lt;/b&gt;" in page
        assert not any(attrs.get("href", "").startswith("javascript:") for _, attrs in parsed.tags)
        assert "<link" not in page and "src=" not in page.replace("src=x", "")  # self-contained: nothing fetched
    assert "&lt;oops&gt;" in index and "&lt;script&gt;alert(1)&lt;/script&gt;" in article
    assert parse(article).text("doc-d1").count(HOSTILE) == 1  # the article's text, whole, once


def test_overlapping_spans_keep_the_text_and_carry_every_class():
    text = HOSTILE
    index, articles = _pages(_hostile_tables())
    parsed = parse(articles["d1.html"])
    classes = {attrs.get("class") for name, attrs in parsed.tags if name == "span"}
    assert {"mention m-PERSON speaker", "quote", "quote event", "timex"} <= classes
    anchors = {attrs["id"] for name, attrs in parsed.tags if name == "a" and "id" in attrs}
    assert {"q-q1", "e-v1", "s-q1", f"m-d1-0-{text.index(' said')}"} <= anchors
    hrefs = {attrs.get("href") for name, attrs in parsed.tags if name == "a"}
    assert {"#q-q1", "#e-v1"} <= hrefs  # the facts link to their spans on the same page
    index_hrefs = {attrs.get("href") for name, attrs in parse(index).tags if name == "a"}
    assert {"articles/d1.html", "articles/d1.html#q-q1", "articles/d1.html#e-v1"} <= index_hrefs


def test_articles_beyond_the_limit_are_indexed_without_dangling_links():
    index, articles = _pages(_hostile_tables(), max_articles=0)
    parsed = parse(index)
    hrefs = {attrs["href"] for name, attrs in parsed.tags if name == "a" and "href" in attrs}
    assert articles == {} and "1 articles have no page" in index
    assert 'Title "<img src=x onerror=alert(1)>"' in parsed.text("articles")  # still listed, as text
    assert not any(h.startswith("articles/") for h in hrefs)  # no link to a page that is not written
    ids = {attrs.get("id") for _, attrs in parsed.tags}
    assert {h[1:] for h in hrefs if h.startswith("#")} <= ids


def _naive_highlight(text: str, spans: list[Span]) -> list[tuple[str, frozenset[str]]]:
    """What each character is marked with, by brute force: the reference the sweep is checked against."""
    marks = []
    for i, char in enumerate(text):
        marks.append((char, frozenset(c for s in spans if 0 <= s.start <= s.end <= len(text) and s.start <= i < s.end
                                      for c in s.css.split())))
    return marks


def _marks_of(out: str) -> list[tuple[str, frozenset[str]]]:
    class Marks(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.classes: list[frozenset[str]] = [frozenset()]
            self.marks: list[tuple[str, frozenset[str]]] = []

        def handle_starttag(self, name, attrs):
            if name == "span":
                self.classes.append(frozenset((dict(attrs).get("class") or "").split()))

        def handle_endtag(self, name):
            if name == "span":
                self.classes.pop()

        def handle_data(self, data):
            self.marks += [(char, self.classes[-1]) for char in data]

    parser = Marks()
    parser.feed(out)
    return parser.marks


def test_highlight_handles_nested_adjacent_and_empty_spans():
    text = "abc def ghi"
    spans = [Span(0, 7, "quote", "q", "a1"), Span(4, 7, "event", "e", "a2"), Span(7, 7, "x", "z", "a3"),
             Span(8, 11, "timex", "t", "a4"), Span(5, 99, "bad", "b", "a5")]
    out = highlight(text, spans)
    assert html.unescape(re.sub(r"<[^>]+>", "", out)) == text
    assert '<span class="quote event" title="q · e">def</span>' in out
    assert '<a id="a3"></a>' in out and "a5" not in out


def test_highlight_marks_every_character_as_brute_force_does():
    import random

    rng = random.Random(7)
    for _ in range(200):
        text = "".join(rng.choice("ab <&\"") for _ in range(rng.randint(0, 40)))
        spans = []
        for i in range(rng.randint(0, 8)):
            a = rng.randint(0, len(text) + 2)
            spans.append(Span(a, a + rng.randint(0, 12), rng.choice(["quote", "event", "timex", "mention m-ORG"]),
                              "t", f"a{i}"))
        out = highlight(text, spans)
        assert _marks_of(out) == _naive_highlight(text, spans), (text, spans)
        assert out.count("<a id=") == sum(0 <= s.start <= s.end <= len(text) for s in spans)


def _links_resolve(folder, index: Page) -> int:
    """Every link of the index into articles/ names a page that exists, and its anchor is on that page."""
    checked = 0
    pages: dict[str, Page] = {}
    for name, attrs in index.tags:
        href = attrs.get("href", "") if name == "a" else ""
        if not href.startswith("articles/"):
            continue
        path, _, anchor = href.partition("#")
        assert (folder / path).is_file(), href
        if anchor:
            if path not in pages:
                pages[path] = parse((folder / path).read_text(encoding="utf-8"))
            assert anchor in {a.get("id") for _, a in pages[path].tags}, href
        checked += 1
    return checked


def test_report_of_a_real_run(seed_mix_out, tmp_path):
    result = run_cli("report", "--out", str(seed_mix_out), "--output", str(tmp_path / "report.html"))
    folder = tmp_path / "report"
    assert str(folder / "index.html") in result.stdout
    assert "report/index.html" in (tmp_path / "report.html").read_text(encoding="utf-8")  # the old path opens it
    page = (folder / "index.html").read_text(encoding="utf-8")
    parsed = parse(page)
    for reason in ("empty", "binary", "bad_json", "no_text", "duplicate"):
        assert f"<td>{reason}</td>" in page, reason
    assert "Dmitry Tsvetkov" in parsed.text("quotes") and "Tom Cruise" in parsed.text("entities")
    assert "Divorce" in parsed.text("timeline")
    documents = read_out(seed_mix_out, "documents")
    assert sorted(p.name for p in (folder / "articles").iterdir()) == sorted(page_name(d["doc_id"])
                                                                             for d in documents)
    for doc in documents:
        article = parse((folder / "articles" / page_name(doc["doc_id"])).read_text(encoding="utf-8"))
        assert article.text(f"doc-{doc['doc_id']}").count(doc["text"]) == 1, doc["source"]
        targets = {a["href"][1:] for n, a in article.tags if n == "a" and a.get("href", "").startswith("#")}
        assert targets <= {a.get("id") for _, a in article.tags}  # every fact links to its span
    assert _links_resolve(folder, parsed) >= len(documents)
    seed = next(d for d in documents if d["source"] == SEED.name)
    seed_page = (folder / "articles" / page_name(seed["doc_id"])).read_text(encoding="utf-8")
    seed_parsed = parse(seed_page)
    highlighted = [a for n, a in seed_parsed.tags if n == "span" and "mention" in (a.get("class") or "")]
    assert len(highlighted) >= len([m for m in read_out(seed_mix_out, "mentions") if m["doc_id"] == seed["doc_id"]])
    seed_text = seed_parsed.text(f"doc-{seed['doc_id']}")
    assert "1,000,000 GBP" in seed_text and "aged 61" in seed_text  # the amounts beside the seed's facts
    assert f"tone {seed['tone']:+.1f}" in seed_page
    assert "Tom Cruise" in parsed.text("tone") and "Dec 2023" in parsed.text("tone")  # tone over time per entity
    # dates as people read them: "Saturday (December 9)" of the seed, not its TIMEX3 value
    assert "9 Dec 2023" in seed_text and ">2023-12-09<" not in seed_page and ">2023-12-09<" not in page
    places = parsed.text("places")  # the seed's places by country, on a map
    assert "United Kingdom (GB)" in places and "Russia (RU)" in places and "London" in places
    charts = parsed.text("charts")
    assert "Articles per month" in charts and "Mentions per month" in charts and "Events per month" in charts
    assert "<polyline" in page or "<circle" in page  # the lines are drawn, as SVG, in the page itself
    assert "<svg" in page and page.count("<rect") > 3


def _replicate(tables: dict, copies: int) -> dict:
    """Every row of the per-article tables `copies` times, each copy with new ids (doc, quote, event ids
    suffixed with the copy) and published a month earlier than the one before, over three years."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    out = {}
    for name, t in tables.items():
        if not spec(name).per_document or t.num_rows == 0:
            out[name] = t
            continue
        n = t.num_rows
        copy = np.repeat(np.arange(copies), n)
        t = t.take(pa.array(np.tile(np.arange(n), copies)))
        suffix = pa.array(np.char.add("-", copy.astype(str)))
        for column in ("doc_id", "quote_id", "event_id", "source_quote_id"):
            if column in t.schema.names:
                t = t.set_column(t.schema.get_field_index(column), column,
                                 pc.binary_join_element_wise(t[column], suffix, ""))
        if name == "documents":
            days = pc.subtract(t["published"].cast(pa.int32()), pa.array((copy % 36) * 30, pa.int32()))
            t = t.set_column(t.schema.get_field_index("published"), "published", days.cast(pa.date32()))
        out[name] = t
    return out


def test_ten_thousand_articles_keep_the_index_small(seed_mix_out, tmp_path):
    """A store of 10,000 articles (the seed run's, copied with new ids): the index stays under 5 MB, every
    article has its page and the index links each one."""
    import time

    from conftest import write_parquet_tables

    from broadsheet.report import write_report
    from broadsheet.store import read_tables

    real = read_tables(seed_mix_out)
    n = real["documents"].num_rows
    tables = _replicate(real, -(-10_000 // n))
    ids = set(tables["documents"]["doc_id"].to_pylist()[:10_000])
    for name, t in tables.items():
        if spec(name).per_document:
            import pyarrow as pa
            import pyarrow.compute as pc

            tables[name] = t.filter(pc.is_in(t["doc_id"], value_set=pa.array(sorted(ids))))
    store = tmp_path / "store"
    store.mkdir()
    write_parquet_tables(tables, store)
    started = time.perf_counter()
    index = write_report(store, tmp_path / "report")
    seconds = time.perf_counter() - started
    folder = index.parent
    size = index.stat().st_size
    assert size < 5_000_000, f"index is {size:,} bytes"
    pages = {p.name for p in (folder / "articles").iterdir()}
    assert pages == {page_name(d) for d in ids}
    linked = {a["href"] for n, a in parse(index.read_text(encoding="utf-8")).tags
              if n == "a" and re.fullmatch(r"articles/[^#]+", a.get("href", ""))}
    assert {h.removeprefix("articles/") for h in linked} == pages
    assert "more are not" in index.read_text(encoding="utf-8") or len(ids) == 10_000
    # about 25 s of CPU on its own; the bound leaves room for a shared machine under load (5 times that)
    assert seconds < 600, f"rendering 10,000 articles took {seconds:.0f} s"


def test_the_report_folder_is_swapped_in_whole(seed_mix_out, tmp_path, monkeypatch):
    from broadsheet import report as report_module

    target = tmp_path / "site"
    first = report_module.write_report(seed_mix_out, target)
    assert first == target / "index.html" and target.is_symlink() and not (tmp_path / "site.html").exists()
    before = {p.name: p.read_bytes() for p in (target / "articles").iterdir()}
    version = target.resolve()

    whole = Report.article_pages

    def broken(self, *args, **kwargs):  # the build dies half-way through the article pages
        yield next(iter(whole(self)))
        raise RuntimeError("disk full")

    monkeypatch.setattr(report_module.Report, "article_pages", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        report_module.write_report(seed_mix_out, target)
    assert target.resolve() == version  # the reader still sees the whole previous report
    assert {p.name: p.read_bytes() for p in (target / "articles").iterdir()} == before
    assert [p.name for p in (tmp_path / ".site.versions").iterdir() if p.is_dir()] == [version.name]
    monkeypatch.undo()
    report_module.write_report(seed_mix_out, target)
    assert target.resolve() != version and not version.exists()  # the new one in, the old one gone
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(FileExistsError):
        report_module.write_report(seed_mix_out, tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


def _chromium() -> str | None:
    return next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome", "chrome"))), None)


def test_report_renders_in_headless_chromium(seed_mix_out, tmp_path):
    browser = _chromium()
    if browser is None:
        pytest.skip("chromium is not installed (as root: apt-get install -y chromium; `make test` does it when it can)")
    run_cli("report", "--out", str(seed_mix_out), "--output", str(tmp_path / "report"))
    index = tmp_path / "report" / "index.html"
    article = max((tmp_path / "report" / "articles").iterdir(), key=lambda p: p.stat().st_size)  # the seed's
    common = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
              f"--user-data-dir={tmp_path / 'profile'}"]
    for page, height in ((index, 2400), (article, 1200)):
        shot = tmp_path / f"{page.stem}.png"
        subprocess.run([*common, f"--window-size=1280,{height}", f"--screenshot={shot}", page.as_uri()],
                       capture_output=True, timeout=120, check=True)
        from PIL import Image

        with Image.open(shot) as image:
            assert image.size == (1280, height)
            pixels = image.convert("RGB").resize((320, 600))
            colours = pixels.getcolors(maxcolors=1 << 16) or []
            not_background = sum(n for n, rgb in colours if sum(rgb) < 720)  # anything darker than near-white
        assert len(colours) > 50, f"{page.name}: the screenshot is nearly one colour: the page did not render"
        assert not_background > 0.05 * 320 * 600, f"{page.name}: the screenshot is nearly blank"
    dom = subprocess.run([*common, "--window-size=1280,2400", "--dump-dom", index.as_uri()], capture_output=True,
                         text=True, timeout=120, check=True).stdout
    assert "Broadsheet report" in dom and "Dmitry Tsvetkov" in dom
    # the inline script ran: the longer tables got a filter box and sortable column heads
    assert 'class="filter"' in dom and 'class="sortable"' in dom


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
    page = Report(tables, "out").render_index()
    section = page[page.index('id="quotes"'):page.index('id="timeline"')]
    assert "1 quotations whose speaker is a pronoun" in section
    assert "<td>they</td>" not in section and "<td>Ann &lt;b&gt;Lee&lt;/b&gt;</td>" in section
