"""`broadsheet report`: one self-contained HTML page over an output folder.

The page shows the latest run and the run history, rows per table, rejected inputs and why, the top
entities, quotations by speaker, a timeline of dated events, the places by country (bars and a map),
and one section per article with its text, every extracted span highlighted in it (names, time
expressions, quotations and their speakers, event triggers), and its facts linked to those spans.

Plain HTML with inline CSS and one small inline script that makes every table of more than a few
rows sortable (click a column head) and filterable (a search box above it); no external file and no
network, so it opens anywhere and can be mailed, and reads the same without the script.
Every piece of text from the data is escaped (`Html` marks the only strings that are not). Reads
the tables through broadsheet.store; writes only the report file. No NLP.
"""

from __future__ import annotations

import html
import os
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from broadsheet.readable_dates import readable
from broadsheet.store import read_tables

TOP_ENTITIES = 25
TOP_SPEAKERS = 30
QUOTES_PER_SPEAKER = 3
TIMELINE_EVENTS = 300
TONE_ENTITIES = 8  # entities in the tone-over-time table
TONE_MONTHS = 12  # the latest months shown there
TOP_PLACES = 30  # countries in the by-country chart, and places listed
DEFAULT_MAX_ARTICLES = 200


class Html(str):
    """Markup built by this module; every other string is escaped when it is put on the page."""


def esc(value: object) -> Html:
    return value if isinstance(value, Html) else Html(html.escape("" if value is None else str(value), quote=True))


def tag(name: str, content: object = "", **attrs: object) -> Html:
    """<name attrs>content</name>, with the content and the attribute values escaped."""
    rendered = "".join(f' {k.rstrip("_").replace("_", "-")}="{esc(v)}"' for k, v in attrs.items() if v is not None)
    return Html(f"<{name}{rendered}>{esc(content)}</{name}>")


def join(parts: Iterable[object], sep: str = "") -> Html:
    return Html(sep.join(esc(p) for p in parts))


def table(headers: list[str], rows: Iterable[Iterable[object]], empty: str = "none") -> Html:
    body = [tag("tr", join(tag("td", cell) for cell in row)) for row in rows]
    if not body:
        return tag("p", empty, class_="muted")
    head = tag("tr", join(tag("th", h) for h in headers))
    return tag("table", join([tag("thead", head), tag("tbody", join(body))]))


def link(text: object, anchor: str) -> Html:
    return tag("a", text, href=f"#{anchor}")


def bar(count: int, most: int, width: int) -> Html:
    """A horizontal bar `width` pixels long for the largest count, and the count."""
    return tag("span", join([tag("span", "", class_="bar", style=f"width:{width * count // max(most, 1)}px"),
                             f" {count}"]), class_="count")


# Sort and filter for the tables, written here (a dozen lines) rather than vendored: click a column
# head to sort by it (numbers as numbers, again to reverse), type in the box to keep matching rows.
SCRIPT = """
document.querySelectorAll("table").forEach(function (table) {
  var body = table.tBodies[0];
  if (!body || body.rows.length < 6) return;
  var box = document.createElement("input");
  box.type = "search"; box.placeholder = "filter rows"; box.className = "filter";
  box.addEventListener("input", function () {
    var words = box.value.toLowerCase();
    Array.prototype.forEach.call(body.rows, function (row) {
      row.style.display = row.textContent.toLowerCase().indexOf(words) >= 0 ? "" : "none";
    });
  });
  table.parentNode.insertBefore(box, table);
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
    th.className = "sortable"; th.title = "sort by this column";
    th.addEventListener("click", function () {
      var rows = Array.prototype.slice.call(body.rows), down = th.dataset.order !== "asc";
      th.dataset.order = down ? "asc" : "desc";
      var key = function (row) {
        var text = row.cells[column] ? row.cells[column].textContent.trim() : "";
        var number = parseFloat(text.replace(/[^0-9.+-]/g, ""));
        return /^[-+]?[0-9.,]+/.test(text) && !isNaN(number) ? number : text.toLowerCase();
      };
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        return (x < y ? -1 : x > y ? 1 : 0) * (down ? 1 : -1);
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
"""

CSS = """
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{margin:0 0 4px}h2{margin-top:40px;border-bottom:2px solid #d0d7de;padding-bottom:4px}
input.filter{display:block;margin:6px 0;padding:3px 6px;width:240px}th.sortable{cursor:pointer}
nav a{margin-right:14px}.muted{color:#656d76}
section.card,article{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:16px 20px;margin:16px 0}
table{border-collapse:collapse;width:100%;margin:8px 0;font-size:14px}
th,td{border-bottom:1px solid #d8dee4;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
.stats{display:flex;flex-wrap:wrap;gap:12px}.stat{background:#fff;border:1px solid #d0d7de;border-radius:8px;
padding:10px 16px;min-width:110px}.stat b{display:block;font-size:24px}
.bar{background:#0969da;height:12px;border-radius:3px;display:inline-block;vertical-align:middle}
.count{white-space:nowrap}
.text{white-space:pre-wrap;font-family:Georgia,serif;font-size:16px;line-height:1.7;background:#fcfcfd;
padding:12px;border-radius:6px}
.quote{background:#fff3b0}.speaker{background:#ffd8a8;font-weight:600}
.mention{border-bottom:2px solid #6e7781}.m-PERSON{border-bottom-color:#0969da}.m-ORG{border-bottom-color:#bf8700}
.m-GPE,.m-LOC,.m-FAC{border-bottom-color:#1a7f37}.timex{background:#ddf4ff;outline:1px dashed #54aeff}
.event{color:#cf222e;font-weight:700}
.amount{background:#fff1c2;border-bottom:2px solid #bf8700}
.tone-pos{color:#1a7f37}.tone-neg{color:#cf222e}
.legend span{margin-right:14px;padding:0 4px}
.year{font-weight:600;margin-top:10px;list-style:none}
""".strip()


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    css: str
    title: str
    anchor: str


def highlight(text: str, spans: list[Span]) -> Html:
    """The text with every span marked; overlapping spans split the text where any span starts or ends.

    Each piece of text carries the classes and titles of all spans covering it, and each span's
    anchor sits where it starts, so a fact can link to its place in the text.
    """
    spans = [s for s in spans if 0 <= s.start <= s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    starting: dict[int, list[Span]] = defaultdict(list)
    for s in spans:
        starting[s.start].append(s)
    parts: list[Html] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        parts += [tag("a", "", id=s.anchor) for s in starting.get(a, [])]
        covering = [s for s in spans if s.start <= a and b <= s.end and s.start < s.end]
        piece = text[a:b]
        if covering:
            parts.append(tag("span", piece, class_=" ".join(dict.fromkeys(c for s in covering for c in s.css.split())),
                             title=" · ".join(dict.fromkeys(s.title for s in covering))))
        else:
            parts.append(esc(piece))
    parts += [tag("a", "", id=s.anchor) for s in starting.get(len(text), [])]
    return join(parts)


class Report:
    """The tables of one output folder, indexed for the page."""

    def __init__(self, tables: dict[str, list[dict]], source: str, max_articles: int = DEFAULT_MAX_ARTICLES):
        self.t = tables
        self.source = source
        self.max_articles = max_articles
        self.entities = {e["entity_id"]: e for e in tables["entities"]}
        self.documents = sorted(tables["documents"], key=lambda d: (d["published"] is None, d["published"] or 0,
                                                                    d["source"]))
        self.doc_by_id = {d["doc_id"]: d for d in self.documents}
        self.shown = {d["doc_id"] for d in self.documents[:max_articles]}
        self.by_doc: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
        for name in ("mentions", "time_expressions", "quotations", "events", "event_participants", "amounts"):
            for row in tables.get(name, []):
                self.by_doc[row["doc_id"]][name].append(row)
        self.participants: dict[str, list[dict]] = defaultdict(list)
        for p in tables["event_participants"]:
            self.participants[p["event_id"]].append(p)

    # -- helpers --------------------------------------------------------------------------------
    def entity_name(self, entity_id: str | None) -> str:
        entity = self.entities.get(entity_id or "")
        return entity["name"] if entity else ""

    def doc_label(self, doc_id: str) -> str:
        doc = self.doc_by_id.get(doc_id)
        return (doc.get("title") or doc["source"]) if doc else doc_id

    def doc_link(self, doc_id: str, anchor: str | None = None) -> Html:
        """A link to the article's section, or to a span in it; plain text when the article is not shown."""
        if doc_id not in self.shown:
            return esc(self.doc_label(doc_id))
        return link(self.doc_label(doc_id), anchor or f"doc-{doc_id}")

    def who(self, event_id: str) -> str:
        return ", ".join(f"{self.entity_name(p['entity_id'])} ({p['role']})" for p in self.participants[event_id])

    def speaker(self, quote: dict) -> str:
        return self.entity_name(quote["speaker_entity_id"]) or quote["speaker_text"] or "(unattributed)"

    # -- sections ------------------------------------------------------------------------------
    def render(self) -> str:
        sections = [("run", "Run", self.run_section()), ("counts", "Tables", self.counts_section()),
                    ("rejects", "Rejects", self.rejects_section()), ("entities", "Top entities",
                                                                      self.entities_section()),
                    ("quotes", "Quotes by speaker", self.quotes_section()),
                    ("timeline", "Events timeline", self.timeline_section()),
                    ("tone", "Tone over time", self.tone_section()),
                    ("places", "Places", self.places_section()),
                    ("articles", "Articles", self.articles_section())]
        nav = tag("nav", join(link(title, key) for key, title, _ in sections))
        body = join(tag("section", join([tag("h2", title), content]), id=key) for key, title, content in sections)
        generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        header = join([tag("h1", "Broadsheet report"),
                       tag("p", f"{self.source} · generated {generated}", class_="muted"), nav])
        head = join([Html('<meta charset="utf-8">'),
                     Html('<meta name="viewport" content="width=device-width, initial-scale=1">'),
                     tag("title", f"Broadsheet report — {self.source}"), tag("style", Html(CSS))])
        return "<!doctype html>\n" + tag("html", join([tag("head", head), tag("body", join([tag("main", join(
            [header, body])), tag("script", Html(SCRIPT))]))]), lang="en")

    def run_section(self) -> Html:
        runs = sorted(self.t["runs"], key=lambda r: r["started_at"], reverse=True)
        if not runs:
            return tag("p", "No run recorded yet.", class_="muted")
        last = runs[0]
        stats = [("inputs", last.get("input_count")), ("documents", last.get("documents")),
                 ("processed", last.get("processed")), ("unchanged", last.get("unchanged")),
                 ("rejects", last.get("rejects")), ("seconds", last.get("seconds"))]
        cards = tag("div", join(tag("div", join([tag("b", v if v is not None else "–"), k]), class_="stat")
                                for k, v in stats), class_="stats")
        about = tag("p", f"Latest run {last['run_id']}, started {last['started_at']:%Y-%m-%d %H:%M:%S} UTC, "
                         f"model {last.get('model')}, broadsheet {last.get('package_version')}.", class_="muted")
        history = table(["run", "started (UTC)", "inputs", "documents", "rejects", "seconds"],
                        [[r["run_id"], f"{r['started_at']:%Y-%m-%d %H:%M:%S}", r.get("input_count"),
                          r.get("documents"), r.get("rejects"), r.get("seconds")] for r in runs[:20]])
        return join([cards, about, tag("details", join([tag("summary", f"All runs ({len(runs)})"), history]))])

    def counts_section(self) -> Html:
        return table(["table", "rows"], [[name, len(rows)] for name, rows in self.t.items()])

    def rejects_section(self) -> Html:
        rejects = self.t["rejects"]
        if not rejects:
            return tag("p", "Every input became a document.", class_="muted")
        reasons = Counter(r["reason"] for r in rejects)
        summary = table(["reason", "inputs"], reasons.most_common())
        listing = table(["input", "reason", "why", "path"],
                        [[r["source"], r["reason"], r["detail"], r["input_path"]]
                         for r in sorted(rejects, key=lambda r: (r["reason"], r["source"]))[:500]])
        return join([summary, listing])

    def entities_section(self) -> Html:
        aliases: dict[str, list[str]] = defaultdict(list)
        for a in sorted(self.t["entity_aliases"], key=lambda a: -a["count"]):
            aliases[a["entity_id"]].append(a["alias"])
        docs_of: dict[str, list[str]] = defaultdict(list)
        for m in self.t["mentions"]:
            if m["doc_id"] not in docs_of[m["entity_id"]]:
                docs_of[m["entity_id"]].append(m["doc_id"])
        top = sorted(self.entities.values(), key=lambda e: (-e["n_mentions"], e["name"]))[:TOP_ENTITIES]
        most = max((e["n_mentions"] for e in top), default=1)
        rows = [[e["name"], e["type"], bar(e["n_mentions"], most, 80), e["n_documents"],
                 ", ".join(aliases[e["entity_id"]][:6]),
                 join((self.doc_link(d) for d in docs_of[e["entity_id"]][:4]), ", ")] for e in top]
        return table(["entity", "type", "mentions", "articles", "written as", "in"], rows)

    def quotes_section(self) -> Html:
        by_speaker: dict[str, list[dict]] = defaultdict(list)
        pronouns = 0
        for q in self.t["quotations"]:
            if q.get("speaker_kind") == "pronoun" and not q["speaker_entity_id"]:
                pronouns += 1  # an unresolved "they", "it", "who" is nobody to rank
                continue
            by_speaker[self.speaker(q)].append(q)
        ranked = sorted(by_speaker.items(), key=lambda kv: (kv[0] == "(unattributed)", -len(kv[1]), kv[0]))
        rows = []
        for speaker, quotes in ranked[:TOP_SPEAKERS]:
            quotes = sorted(quotes, key=lambda q: (q["doc_id"], q["start_char"]))
            said = join(tag("li", join([f"“{q['text']}” ({q['kind']}, ",
                                        self.doc_link(q["doc_id"], f"q-{q['quote_id']}"), ")"]))
                        for q in quotes[:QUOTES_PER_SPEAKER])
            rows.append([speaker, len(quotes), tag("ul", said)])
        note = tag("p", f"{pronouns} quotations whose speaker is a pronoun no entity was found for (“they”, "
                        f"“who”) are left out.", class_="muted") if pronouns else Html("")
        return join([note, table(["speaker", "quotes", "what they said"], rows, empty="No quotations.")])

    def timeline_section(self) -> Html:
        dated = sorted((e for e in self.t["events"] if e["date_start"]), key=lambda e: (e["date_start"], e["doc_id"]))
        undated = len(self.t["events"]) - len(dated)
        if not dated:
            return tag("p", f"No dated events ({undated} without a date).", class_="muted")
        per_year = Counter(e["date_start"].year for e in dated)
        bars = table(["year", "events"], [[year, bar(n, max(per_year.values()), 300)]
                                          for year, n in sorted(per_year.items())])
        items: list[Html] = []
        year = None
        for e in dated[:TIMELINE_EVENTS]:
            if e["date_start"].year != year:
                year = e["date_start"].year
                items.append(tag("li", year, class_="year"))
            trigger = f"“{e['trigger']}”"
            if e["doc_id"] in self.shown:
                trigger = link(trigger, f"e-{e['event_id']}")
            who = f" — {self.who(e['event_id'])}" if self.participants[e["event_id"]] else ""
            items.append(tag("li", join([tag("b", readable(e["date_value"]) or e["date_start"]), f" {e['event_type']} ",
                                         trigger, who, " ", tag("span", f"in {self.doc_label(e['doc_id'])}",
                                                                class_="muted")])))
        note = f"{len(dated)} dated events, {undated} without a date"
        if len(dated) > TIMELINE_EVENTS:
            note += f"; the first {TIMELINE_EVENTS} are listed"
        return join([tag("p", note + ".", class_="muted"), bars, tag("ul", join(items))])

    def tone_section(self) -> Html:
        """The mean tone of the articles mentioning each top entity, month by month (a lexicon score of
        the articles' words: who the words are about is not measured)."""
        months = sorted({d["published"].strftime("%Y-%m") for d in self.documents
                         if d["published"] and d.get("tone") is not None})
        if not months:
            return tag("p", "No dated articles with a tone.", class_="muted")
        docs_of: dict[str, set[str]] = defaultdict(set)
        for m in self.t["mentions"]:
            docs_of[m["entity_id"]].add(m["doc_id"])
        top = sorted(self.entities.values(), key=lambda e: (-e["n_mentions"], e["name"]))[:TONE_ENTITIES]
        months = months[-TONE_MONTHS:]
        rows = []
        for e in top:
            cells = []
            for month in months:
                tones = [self.doc_by_id[d]["tone"] for d in docs_of[e["entity_id"]]
                         if (doc := self.doc_by_id.get(d)) and doc["published"] and doc.get("tone") is not None
                         and doc["published"].strftime("%Y-%m") == month]
                cells.append(tone_cell(sum(tones) / len(tones), len(tones)) if tones else "")
            rows.append([e["name"], *cells])
        note = tag("p", "Mean VADER tone (positive − negative, in percent of words) of the articles that mention "
                        "each entity, by month of publication, with the number of articles. It scores the "
                        "articles' words, not stance towards the entity.", class_="muted")
        return join([note, table(["entity", *months], rows)])

    def places_section(self) -> Html:
        """Where the news is: mentions and articles by country (bars), a map of the places, the top places."""
        places = {p["entity_id"]: p for p in self.t.get("places", [])}
        if not places:
            return tag("p", "No place was geocoded.", class_="muted")
        mentions: Counter = Counter()
        docs: dict[str, set[str]] = defaultdict(set)
        for m in self.t["mentions"]:
            if m["entity_id"] in places:
                mentions[m["entity_id"]] += 1
                docs[m["entity_id"]].add(m["doc_id"])
        country_names = {p["country_code"]: p["name"] for p in places.values() if p["kind"] == "country"}
        by_country: Counter = Counter()
        country_docs: dict[str, set[str]] = defaultdict(set)
        for eid, n in mentions.items():
            code = places[eid]["country_code"] or "–"
            by_country[code] += n
            country_docs[code] |= docs[eid]
        top = by_country.most_common(TOP_PLACES)
        most = top[0][1] if top else 1
        countries = table(["country", "place mentions", "articles"],
                          [[f"{country_names.get(code) or _country_name(code)} ({code})", bar(n, most, 160),
                            len(country_docs[code])] for code, n in top])
        ranked = sorted(mentions, key=lambda eid: (-mentions[eid], places[eid]["name"]))[:TOP_PLACES]
        listing = table(["place", "kind", "country", "state", "mentions", "articles", "GeoNames", "how"],
                        [[places[e]["name"], places[e]["kind"], places[e]["country_code"] or "–",
                          places[e]["admin1_code"] or "–", mentions[e], len(docs[e]),
                          places[e]["geonames_id"] or "–", places[e]["method"]] for e in ranked])
        return join([tag("p", f"{len(mentions)} places geocoded (offline GeoNames gazetteer), "
                              f"{sum(mentions.values())} mentions, in {len(by_country)} countries.", class_="muted"),
                     world_map([(places[e], mentions[e]) for e in ranked]), countries,
                     tag("details", join([tag("summary", f"Top {len(ranked)} places"), listing]))])

    def articles_section(self) -> Html:
        rows = []
        for d in self.documents:
            facts = self.by_doc[d["doc_id"]]
            rows.append([self.doc_link(d["doc_id"]), d["published"] or "–", len(facts["mentions"]),
                         len(facts["time_expressions"]), len(facts["quotations"]), len(facts["events"]),
                         len(facts["amounts"]), tone_cell(d["tone"]) if d.get("tone") is not None else "–"])
        index = table(["article", "published", "mentions", "time expressions", "quotations", "events", "amounts",
                       "tone"], rows, empty="No documents.")
        legend = tag("p", join([tag("span", "person", class_="mention m-PERSON"), tag("span", "organisation",
                                                                                        class_="mention m-ORG"),
                                tag("span", "place", class_="mention m-GPE"), tag("span", "other name",
                                                                                  class_="mention"),
                                tag("span", "time expression", class_="timex"), tag("span", "quotation",
                                                                                     class_="quote"),
                                tag("span", "speaker", class_="speaker"), tag("span", "event trigger",
                                                                                class_="event"),
                                tag("span", "amount", class_="amount")]),
                     class_="legend")
        hidden = len(self.documents) - len(self.shown)
        note = tag("p", f"{hidden} more articles are in the index only (broadsheet report --max-articles).",
                   class_="muted") if hidden > 0 else Html("")
        articles = join(self.article(d) for d in self.documents if d["doc_id"] in self.shown)
        return join([index, legend, note, articles])

    def article(self, doc: dict) -> Html:
        doc_id, facts = doc["doc_id"], self.by_doc[doc["doc_id"]]
        spans = self.spans(doc_id, facts)
        meta = [doc["source"], f"published {doc['published']}" if doc["published"] else "no date",
                doc.get("outlet"), f"{doc['n_chars']} characters",
                f"tone {doc['tone']:+.1f}" if doc.get("tone") is not None else None, doc.get("warnings")]
        url = doc.get("url") or ""
        head = join([tag("h3", doc.get("title") or doc["source"]),
                     tag("p", join([" · ".join(str(m) for m in meta if m),
                                    join([" · ", tag("a", url, href=url)]) if url.startswith(("http://", "https://"))
                                    else ""]), class_="muted")])
        return tag("article", join([head, tag("div", highlight(doc["text"], spans), class_="text"),
                                    self.facts(doc_id, facts)]), id=f"doc-{doc_id}")

    def spans(self, doc_id: str, facts: dict[str, list[dict]]) -> list[Span]:
        spans = []
        for m in facts["mentions"]:
            entity = self.entities.get(m["entity_id"], {})
            spans.append(Span(m["start_char"], m["end_char"], f"mention m-{entity.get('type', 'OTHER')}",
                              f"{entity.get('name', '?')} ({entity.get('type', '?')}, {m['mention_kind']})",
                              f"m-{doc_id}-{m['start_char']}-{m['end_char']}"))
        for t in facts["time_expressions"]:
            spans.append(Span(t["start_char"], t["end_char"], "timex", f"{t['type']} {t['value'] or '?'}",
                              f"t-{doc_id}-{t['start_char']}-{t['end_char']}"))
        for q in facts["quotations"]:
            spans.append(Span(q["start_char"], q["end_char"], "quote", f"quotation ({q['kind']}) by {self.speaker(q)}",
                              f"q-{q['quote_id']}"))
            if q["speaker_start_char"] is not None:
                spans.append(Span(q["speaker_start_char"], q["speaker_end_char"], "speaker", "speaker",
                                  f"s-{q['quote_id']}"))
        for e in facts["events"]:
            spans.append(Span(e["start_char"], e["end_char"], "event", f"event {e['event_type']}",
                              f"e-{e['event_id']}"))
        for a in facts["amounts"]:
            spans.append(Span(a["start_char"], a["end_char"], "amount", f"{a['kind']} {amount_value(a)}",
                              f"a-{doc_id}-{a['start_char']}-{a['end_char']}"))
        return spans

    def facts(self, doc_id: str, facts: dict[str, list[dict]]) -> Html:
        names: dict[str, list[dict]] = defaultdict(list)
        for m in sorted(facts["mentions"], key=lambda m: m["start_char"]):
            names[m["entity_id"]].append(m)
        entity_rows = [[self.entity_name(eid), self.entities.get(eid, {}).get("type", ""),
                        join((link(m["text"], f"m-{doc_id}-{m['start_char']}-{m['end_char']}") for m in ms), ", ")]
                       for eid, ms in names.items()]
        time_rows = [[link(t["text"], f"t-{doc_id}-{t['start_char']}-{t['end_char']}"), t["type"],
                      readable(t["value"]) if t["type"] in ("DATE", "TIME") else t["value"]]
                     for t in sorted(facts["time_expressions"], key=lambda t: t["start_char"])]
        quote_rows = [[self.speaker(q), q["cue"], q["kind"], link(q["text"], f"q-{q['quote_id']}")]
                      for q in sorted(facts["quotations"], key=lambda q: q["start_char"])]
        event_rows = [[link(e["trigger"], f"e-{e['event_id']}"), e["event_type"], readable(e["date_value"]),
                       self.who(e["event_id"]), e["polarity"], e["modality"]]
                      for e in sorted(facts["events"], key=lambda e: e["start_char"])]
        events_by_id = {e["event_id"]: e for e in facts["events"]}
        amount_rows = [[link(a["text"], f"a-{doc_id}-{a['start_char']}-{a['end_char']}"), amount_value(a), a["kind"],
                        a["object"] or "", self.entity_name(a["entity_id"]) or (
                            events_by_id[a["event_id"]]["event_type"] if a["event_id"] in events_by_id else "")]
                       for a in sorted(facts["amounts"], key=lambda a: a["start_char"])]
        parts = [("Entities", ["entity", "type", "mentions"], entity_rows),
                 ("Time expressions", ["text", "type", "value"], time_rows),
                 ("Quotations", ["speaker", "cue", "kind", "quote"], quote_rows),
                 ("Events", ["trigger", "type", "date", "participants", "polarity", "modality"], event_rows),
                 ("Amounts", ["text", "value", "kind", "of what", "whose"], amount_rows)]
        return join(tag("details", join([tag("summary", f"{title} ({len(rows)})"), table(headers, rows)]),
                        open="open" if rows and title in ("Quotations", "Events", "Amounts") else None)
                    for title, headers, rows in parts)


def _country_name(code: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    return getattr(country, "common_name", None) or (country.name if country else code)


def world_map(points: list[tuple[dict, int]], width: int = 720) -> Html:
    """An inline SVG map of places (equirectangular: longitude across, latitude up), each a dot whose area
    follows its mentions, with its name as a tooltip; a graticule every 30 degrees stands in for coastlines."""
    height = width // 2
    x = lambda lon: (lon + 180) * width / 360  # noqa: E731
    y = lambda lat: (90 - lat) * height / 180  # noqa: E731
    grid = [f'<line x1="{x(lon):.0f}" y1="0" x2="{x(lon):.0f}" y2="{height}"/>' for lon in range(-150, 180, 30)]
    grid += [f'<line x1="0" y1="{y(lat):.0f}" x2="{width}" y2="{y(lat):.0f}"/>' for lat in range(-60, 90, 30)]
    most = max((n for _, n in points), default=1)
    dots = []
    for place, n in sorted(points, key=lambda p: -p[1]):
        if place["latitude"] is None or place["longitude"] is None:
            continue
        r = 2 + 10 * (n / most) ** 0.5
        title = tag("title", "{} ({}, {}): {}".format(place["name"], place["kind"], place["country_code"] or "–", n))
        dots.append(f'<circle cx="{x(place["longitude"]):.1f}" cy="{y(place["latitude"]):.1f}" r="{r:.1f}">'
                    f'{title}</circle>')
    return Html(f'<svg class="map" viewBox="0 0 {width} {height}" width="100%" role="img" '
                f'aria-label="Map of the places the articles name">'
                f'<rect width="{width}" height="{height}" fill="#eef4fb"/>'
                f'<g stroke="#d0d7de" stroke-width="0.5">{"".join(grid)}</g>'
                f'<g fill="#1a7f37" fill-opacity="0.55" stroke="#116329">{"".join(dots)}</g></svg>')


def amount_value(amount: dict) -> str:
    """An amount as a reader says it: "1,000,000 GBP", "16 percent", "aged 61", "thousands"."""
    value = amount["value"]
    if value is None:
        return "(vague)"
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    unit = amount["unit"]
    if unit == "age":
        return f"aged {number}"
    return number if unit in ("count", "other") else f"{number} {unit}"


def tone_cell(tone: float, n: int | None = None) -> Html:
    """A tone value, coloured by its sign, with the number of articles behind it."""
    label = f"{tone:+.1f}" + (f" ({n})" if n is not None else "")
    return tag("span", label, class_="tone-pos" if tone > 0 else "tone-neg" if tone < 0 else "muted")


def render_report(out: Path, max_articles: int = DEFAULT_MAX_ARTICLES) -> str:
    """The report page for the tables under `out`."""
    tables = {name: t.to_pylist() for name, t in read_tables(out).items()}
    return Report(tables, str(out), max_articles).render()


def write_report(out: Path, output: Path | None = None, max_articles: int = DEFAULT_MAX_ARTICLES) -> Path:
    """Write the report (default OUT/report.html) atomically; its path."""
    if not (out / "documents").exists():
        raise FileNotFoundError(f"no Broadsheet tables under {out} (run `broadsheet run ... --out {out}` first)")
    output = output or out / "report.html"
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.name}.tmp")
    tmp.write_text(render_report(out, max_articles), encoding="utf-8")
    os.replace(tmp, output)
    return output
