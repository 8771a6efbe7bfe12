"""`broadsheet report`: an HTML report of an output folder, as a folder of self-contained pages.

`index.html` holds the latest run and the run history, rows per table, rejected inputs and why,
charts drawn as inline SVG (articles per month, mentions over time of the top entities, events per
type and month, tone per month, the places on a map), the entities, speakers and events as tables,
and every article as a row linking to its page. Each long table shows its first rows and says how
many more there are, so the index grows with the article list alone (about 300 bytes an article).
`articles/<doc_id>.html` is one article: its text with every extracted span highlighted (names,
time expressions, quotations and their speakers, event triggers, amounts) and its facts linked to
those spans.

Plain HTML with inline CSS and one small inline script that makes every longer table sortable and
filterable (broadsheet.report_html); no external file and no network. The folder is built aside and
swapped in at once, so a reader never sees half a report. Reads the tables through broadsheet.store
and works on them as Arrow: the per-article tables are never turned into Python rows whole, only one
article's rows at a time and the rows the index shows. No NLP.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from broadsheet.readable_dates import readable
from broadsheet.report_charts import line_chart, month_range, short_month, stacked_bars, world_map
from broadsheet.report_html import Cell, Html, bar, esc, join, link, page, table, tag
from broadsheet.store import read_tables
from broadsheet.tables import arrow_schema

ENTITY_ROWS = 500  # rows of the entities table on the index; the note says how many more
SPEAKER_ROWS = 300  # rows of the speakers table
QUOTES_PER_SPEAKER = 2  # latest quotations shown beside each speaker
QUOTE_CHARS = 280  # a quotation longer than this is cut on the index (whole on the article's page)
EVENT_ROWS = 500  # rows of the events table
REJECT_ROWS = 500  # rows of the rejects listing
CHART_ENTITIES = 6  # lines in the mentions-over-time chart
CHART_EVENT_TYPES = 7  # event types stacked in the events chart; the rest are "other"
CHART_MONTHS = 120  # the latest months a chart spans, so one stray old date does not squash the rest
TONE_ENTITIES = 8  # entities in the tone-over-time table
TONE_MONTHS = 12  # the latest months shown there
TOP_PLACES = 30  # countries in the by-country chart, and places listed
ALIASES_SHOWN = 4  # names an entity is written as, in its row
ARTICLES_PER_ENTITY = 2  # articles linked from an entity's row, latest first
LABEL_CHARS = 60  # an article's title (or file name) is cut to this length where the index links to it
# The per-article tables an article's page shows, with the columns it reads (the sorted copies made for
# the pages hold only these: events' sentences and quotations' tone scores would double the memory).
PER_DOCUMENT = {
    "mentions": ["doc_id", "entity_id", "start_char", "end_char", "text", "mention_kind"],
    "time_expressions": ["doc_id", "start_char", "end_char", "text", "type", "value"],
    "quotations": ["quote_id", "doc_id", "start_char", "end_char", "text", "speaker_entity_id", "speaker_text",
                   "speaker_start_char", "speaker_end_char", "speaker_kind", "cue", "kind"],
    "events": ["event_id", "doc_id", "event_type", "trigger", "start_char", "end_char", "date_value", "polarity",
               "modality"],
    "event_participants": ["event_id", "entity_id", "role", "doc_id"],
    "amounts": ["doc_id", "start_char", "end_char", "text", "value", "unit", "object", "kind", "entity_id",
                "event_id"],
}


def page_name(doc_id: str) -> str:
    """The file of an article's page: its doc_id (a hash) when that is a safe file name, else a hash of it."""
    safe = re.fullmatch(r"[A-Za-z0-9_-]{1,100}", doc_id)
    return f"{doc_id if safe else hashlib.sha256(doc_id.encode()).hexdigest()[:32]}.html"


def readable_day(day: date | None) -> str:
    return readable(day.isoformat()) if day else ""


def day_cell(day: date | None) -> Cell | str:
    """A publication date as people read it, sorting as the date."""
    return Cell(readable_day(day), day.isoformat()) if day else "–"


def _as_table(name: str, rows: pa.Table | list[dict]) -> pa.Table:
    return rows if isinstance(rows, pa.Table) else pa.Table.from_pylist(rows, schema=arrow_schema(name))


def _rows(table: pa.Table, columns: list[str]) -> Iterator[dict]:
    """The table's rows as dicts of the given columns, a batch at a time (never the whole table at once)."""
    for batch in table.select(columns).to_batches(max_chunksize=65_536):
        yield from batch.to_pylist()


def _only(table: pa.Table, column: str, values: set | list) -> pa.Table:
    """The rows whose `column` is one of `values`."""
    if not values or table.num_rows == 0:
        return table.slice(0, 0)
    return table.filter(pc.is_in(table[column], value_set=pa.array(list(values), table.schema.field(column).type)))


class ByDoc:
    """A per-article table in the order of the article pages, handed out a block of articles at a time.

    Turning Arrow rows into Python costs mostly per call, so rows are converted for many articles at
    once (`BLOCK` of them), which bounds the memory to one block's rows as well.
    """

    BLOCK = 500  # articles whose rows are turned into Python rows in one go

    def __init__(self, table: pa.Table, doc_ids: list[str]) -> None:
        self.doc_ids = doc_ids
        position = pc.index_in(table["doc_id"], value_set=pa.array(doc_ids, pa.string()))
        table = table.append_column("_page", position).filter(pc.is_valid(position))  # articles without a page
        keys = [("_page", "ascending")] + ([("start_char", "ascending")] if "start_char" in table.schema.names else [])
        self.table = table.take(pc.sort_indices(table, sort_keys=keys)).drop_columns(["_page"])
        counts = np.bincount(np.asarray(table["_page"].to_numpy(zero_copy_only=False), dtype=np.int64),
                             minlength=len(doc_ids)) if table.num_rows else np.zeros(len(doc_ids), np.int64)
        self.starts = np.concatenate([[0], np.cumsum(counts)]).tolist()

    def blocks(self) -> Iterator[list[list[dict]]]:
        """For each block of articles, the rows of each article in it."""
        for first in range(0, len(self.doc_ids), self.BLOCK):
            last = min(first + self.BLOCK, len(self.doc_ids))
            begin, end = self.starts[first], self.starts[last]
            rows = self.table.slice(begin, end - begin).to_pylist()
            yield [rows[self.starts[i] - begin:self.starts[i + 1] - begin] for i in range(first, last)]


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    css: str
    title: str
    anchor: str


def highlight(text: str, spans: list[Span]) -> Html:
    """The text with every span marked; overlapping spans split the text where any span starts or ends.

    Each piece of text carries the classes and titles of all spans covering it (in the order of
    `spans`), and each span's anchor sits where it starts, so a fact can link to its place in the
    text. One sweep over the cut points with the set of open spans, so a long article with many
    spans costs what its pieces cost.
    """
    spans = [s for s in spans if 0 <= s.start <= s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    starting: dict[int, list[int]] = defaultdict(list)
    ending: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(spans):
        starting[s.start].append(i)
        if s.start < s.end:
            ending[s.end].append(i)
    open_spans: set[int] = set()
    parts: list[str] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        open_spans.difference_update(ending.get(a, ()))
        parts += [f'<a id="{esc(spans[i].anchor)}"></a>' for i in starting.get(a, [])]
        open_spans.update(i for i in starting.get(a, []) if spans[i].start < spans[i].end)
        piece = esc(text[a:b])
        if open_spans:
            covering = [spans[i] for i in sorted(open_spans)]
            css = " ".join(dict.fromkeys(c for s in covering for c in s.css.split()))
            title = " · ".join(dict.fromkeys(s.title for s in covering))
            parts.append(f'<span class="{esc(css)}" title="{esc(title)}">{piece}</span>')
        else:
            parts.append(piece)
    parts += [f'<a id="{esc(spans[i].anchor)}"></a>' for i in starting.get(len(text), [])]
    return Html("".join(parts))


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


def _country_name(code: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    return getattr(country, "common_name", None) or (country.name if country else code)


def _cut(text: str, limit: int = QUOTE_CHARS) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


LEGEND = tag("p", join([tag("span", "person", class_="mention m-PERSON"),
                        tag("span", "organisation", class_="mention m-ORG"),
                        tag("span", "place", class_="mention m-GPE"), tag("span", "other name", class_="mention"),
                        tag("span", "time expression", class_="timex"), tag("span", "quotation", class_="quote"),
                        tag("span", "speaker", class_="speaker"), tag("span", "event trigger", class_="event"),
                        tag("span", "amount", class_="amount")]), class_="legend")


class Report:
    """The tables of one output folder, indexed for the pages.

    `max_articles` caps the article pages (the first ones in the index's order: by publication date);
    None writes one for every article. An article without a page is still listed in the index.
    """

    def __init__(self, tables: dict[str, pa.Table | list[dict]], source: str, max_articles: int | None = None):
        self.t = {name: _as_table(name, rows) for name, rows in tables.items()}
        self.source = source
        docs = self.t["documents"]
        self.documents = sorted(_rows(docs, [c for c in docs.schema.names if c != "text"]),
                                key=lambda d: (d["published"] is None, d["published"] or date.min, d["source"]))
        self.doc_by_id = {d["doc_id"]: d for d in self.documents}
        self.text_row = {doc_id: i for i, doc_id in enumerate(docs["doc_id"].to_pylist())}
        limit = len(self.documents) if max_articles is None else max_articles
        self.paged = {d["doc_id"] for d in self.documents[:limit]}
        self.month = {d["doc_id"]: d["published"].strftime("%Y-%m") for d in self.documents if d["published"]}
        entities = self.t["entities"]
        self.names = dict(zip(entities["entity_id"].to_pylist(),
                              zip(entities["name"].to_pylist(), entities["type"].to_pylist(), strict=True),
                              strict=True))

    # -- helpers --------------------------------------------------------------------------------
    def entity_name(self, entity_id: str | None) -> str:
        return self.names.get(entity_id or "", ("", ""))[0]

    def doc_label(self, doc_id: str, limit: int = LABEL_CHARS) -> str:
        doc = self.doc_by_id.get(doc_id)
        label = (doc.get("title") or doc["source"]) if doc else doc_id
        return label if len(label) <= limit else label[:limit - 1] + "…"

    def doc_link(self, doc_id: str, anchor: str | None = None, text: object = None, prefix: str = "articles/") -> Html:
        """A link to the article's page, or to a span on it; plain text when the article has no page."""
        text = self.doc_label(doc_id) if text is None else text
        if doc_id not in self.paged:
            return esc(text)
        return link(text, f"{prefix}{page_name(doc_id)}" + (f"#{anchor}" if anchor else ""))

    def speaker(self, quote: dict) -> str:
        return self.entity_name(quote["speaker_entity_id"]) or quote["speaker_text"] or "(unattributed)"

    def chart_months(self, months: set[str]) -> list[str]:
        """The months a chart spans: first to last, without gaps, the latest CHART_MONTHS of them."""
        if not months:
            return []
        return month_range(min(months), max(months))[-CHART_MONTHS:]

    # -- the index ------------------------------------------------------------------------------
    def render_index(self) -> str:
        sections = [("run", "Run", self.run_section()), ("counts", "Tables", self.counts_section()),
                    ("charts", "Over time", self.charts_section()), ("rejects", "Rejects", self.rejects_section()),
                    ("entities", "Entities", self.entities_section()),
                    ("quotes", "Speakers", self.quotes_section()),
                    ("timeline", "Events", self.events_section()),
                    ("tone", "Tone over time", self.tone_section()),
                    ("places", "Places", self.places_section()),
                    ("articles", "Articles", self.articles_section())]
        nav = tag("nav", join(link(title, f"#{key}") for key, title, _ in sections))
        body = join(tag("section", join([tag("h2", title), content]), id=key) for key, title, content in sections)
        now = datetime.now(UTC)
        generated = f"{now.day} {now:%b %Y, %H:%M} UTC"
        header = join([tag("h1", "Broadsheet report"), tag("p", f"{self.source} · generated {generated}",
                                                           class_="muted"), nav])
        return page(f"Broadsheet report — {self.source}", header, body)

    def run_section(self) -> Html:
        runs = sorted(_rows(self.t["runs"], self.t["runs"].schema.names), key=lambda r: r["started_at"],
                      reverse=True)
        if not runs:
            return tag("p", "No run recorded yet.", class_="muted")
        last = runs[0]
        stats = [("inputs", last.get("input_count")), ("documents", last.get("documents")),
                 ("processed", last.get("processed")), ("unchanged", last.get("unchanged")),
                 ("rejects", last.get("rejects")), ("seconds", last.get("seconds"))]
        cards = tag("div", join(tag("div", join([tag("b", _number(v)), k]), class_="stat")
                                for k, v in stats), class_="stats")
        about = tag("p", f"Latest run {last['run_id']}, started {_when(last['started_at'])}, "
                         f"model {last.get('model')}, broadsheet {last.get('package_version')}.", class_="muted")
        history = table(["run", "started", "inputs", "documents", "rejects", "seconds"],
                        [[r["run_id"], Cell(_when(r["started_at"]), r["started_at"].isoformat()), r.get("input_count"),
                          r.get("documents"), r.get("rejects"), r.get("seconds")] for r in runs[:20]],
                        total=len(runs), what="runs")
        return join([cards, about, tag("details", join([tag("summary", f"All runs ({len(runs)})"), history]))])

    def counts_section(self) -> Html:
        return table(["table", "rows"], [[name, Cell(f"{t.num_rows:,}", t.num_rows)] for name, t in self.t.items()])

    def charts_section(self) -> Html:
        """Articles per month, mentions of the top entities per month, events per type and month."""
        per_month = Counter(self.month.values())
        months = self.chart_months(set(per_month))
        if not months:
            return tag("p", "No dated articles to chart.", class_="muted")
        undated = len(self.documents) - len(self.month)
        figures = [stacked_bars("Articles per month", months, {"articles": per_month}, "articles")]
        top = self.top_entities(CHART_ENTITIES)
        mentions = self.t["mentions"]
        by_entity: dict[str, Counter] = defaultdict(Counter)
        for row in _rows(_only(mentions, "entity_id", [e["entity_id"] for e in top]), ["entity_id", "doc_id"]):
            if row["doc_id"] in self.month:
                by_entity[row["entity_id"]][self.month[row["doc_id"]]] += 1
        series = {e["name"]: {m: by_entity[e["entity_id"]].get(m, 0) for m in months} for e in top}
        figures.append(line_chart(f"Mentions per month of the {len(top)} most mentioned entities", months, series,
                                  "mentions"))
        types = Counter()
        per_type: dict[str, Counter] = defaultdict(Counter)
        for row in _rows(self.t["events"], ["event_type", "doc_id"]):
            month = self.month.get(row["doc_id"])
            if month:
                kind = row["event_type"].split(".")[0]  # the top of the taxonomy: Conflict, Contact, ...
                types[kind] += 1
                per_type[kind][month] += 1
        shown = [kind for kind, _ in types.most_common(CHART_EVENT_TYPES)]
        stacks = {kind: per_type[kind] for kind in shown}
        rest = [kind for kind in types if kind not in shown]
        if rest:
            stacks["other"] = sum((per_type[kind] for kind in rest), Counter())
        figures.append(stacked_bars("Events per month, by type (month of the article)", months, stacks, "events"))
        tones: dict[str, list[float]] = defaultdict(list)
        for d in self.documents:
            if d["doc_id"] in self.month and d.get("tone") is not None:
                tones[self.month[d["doc_id"]]].append(d["tone"])
        if tones:
            mean = {m: sum(v) / len(v) for m, v in tones.items() if m in months}
            figures.append(line_chart("Mean tone of the articles per month", months, {"all articles": mean}, "tone",
                                      counts={"all articles": {m: len(v) for m, v in tones.items()}}))
        note = f"By month of publication; {undated:,} undated articles are left out." if undated else \
            "By month of publication."
        if len(month_range(min(per_month), max(per_month))) > CHART_MONTHS:
            note += f" The latest {CHART_MONTHS} months are charted."
        return join([tag("p", note + " Hover over a point or a bar for its figure.", class_="muted"),
                     tag("div", join(f for f in figures if f), class_="charts")])

    def top_entities(self, n: int) -> list[dict]:
        entities = self.t["entities"]
        if entities.num_rows == 0:
            return []
        order = pc.sort_indices(entities, sort_keys=[("n_mentions", "descending"), ("name", "ascending")])
        return entities.take(order[:n]).to_pylist()

    def rejects_section(self) -> Html:
        rejects = self.t["rejects"].to_pylist()  # one row per rejected input: the inputs, not their facts
        if not rejects:
            return tag("p", "Every input became a document.", class_="muted")
        reasons = Counter(r["reason"] for r in rejects)
        summary = table(["reason", "inputs"], reasons.most_common())
        ordered = sorted(rejects, key=lambda r: (r["reason"], r["source"]))
        listing = table(["input", "reason", "why", "path"],
                        [[r["source"], r["reason"], r["detail"], r["input_path"]] for r in ordered[:REJECT_ROWS]],
                        total=len(rejects), what="rejected inputs")
        return join([summary, listing])

    def entities_section(self) -> Html:
        top = self.top_entities(ENTITY_ROWS)
        ids = [e["entity_id"] for e in top]
        aliases: dict[str, list[str]] = defaultdict(list)
        for a in sorted(_rows(_only(self.t["entity_aliases"], "entity_id", ids), ["entity_id", "alias", "count"]),
                        key=lambda a: -a["count"]):
            aliases[a["entity_id"]].append(a["alias"])
        docs_of: dict[str, set[str]] = defaultdict(set)
        pairs = _only(self.t["mentions"], "entity_id", ids).group_by(["entity_id", "doc_id"]).aggregate([])
        for row in _rows(pairs, ["entity_id", "doc_id"]):
            docs_of[row["entity_id"]].add(row["doc_id"])
        most = max((e["n_mentions"] for e in top), default=1)
        rows = []
        for e in top:
            docs = sorted(docs_of[e["entity_id"]], key=self._doc_order)
            dated = [self.doc_by_id[d]["published"] for d in docs if self.doc_by_id.get(d, {}).get("published")]
            rows.append([e["name"], e["type"], Cell(bar(e["n_mentions"], most, 80), e["n_mentions"]),
                         e["n_documents"], ", ".join(aliases[e["entity_id"]][:ALIASES_SHOWN]),
                         day_cell(min(dated) if dated else None), day_cell(max(dated) if dated else None),
                         join((self.doc_link(d) for d in reversed(docs[-ARTICLES_PER_ENTITY:])), Html("<br>"))])
        return table(["entity", "type", "mentions", "articles", "written as", "first seen", "last seen",
                      "latest articles"], rows, total=self.t["entities"].num_rows,
                     what="entities, most mentioned first")

    def _doc_order(self, doc_id: str) -> tuple:
        doc = self.doc_by_id.get(doc_id)
        published = doc["published"] if doc else None
        return (published is not None, published or date.min, doc_id)

    def quotes_section(self) -> Html:
        count: Counter = Counter()
        docs: dict[str, set[str]] = defaultdict(set)
        latest: dict[str, list[tuple]] = defaultdict(list)
        pronouns = 0
        columns = ["quote_id", "doc_id", "start_char", "text", "speaker_entity_id", "speaker_text", "speaker_kind",
                   "kind"]
        for q in _rows(self.t["quotations"], columns):
            if q.get("speaker_kind") == "pronoun" and not q["speaker_entity_id"]:
                pronouns += 1  # an unresolved "they", "it", "who" is nobody to rank
                continue
            who = self.speaker(q)
            count[who] += 1
            docs[who].add(q["doc_id"])
            kept = latest[who]
            kept.append((self._doc_order(q["doc_id"]), q["start_char"], q))
            if len(kept) > QUOTES_PER_SPEAKER:
                kept.remove(min(kept, key=lambda k: k[:2]))
        ranked = sorted(count, key=lambda who: (who == "(unattributed)", -count[who], who))
        rows = []
        for who in ranked[:SPEAKER_ROWS]:
            said = join(tag("li", join([f"“{_cut(q['text'])}” ({q['kind']}, ",
                                        self.doc_link(q["doc_id"], f"q-{q['quote_id']}"), ")"]))
                        for _, _, q in sorted(latest[who], key=lambda k: k[:2], reverse=True))
            rows.append([who, count[who], len(docs[who]), tag("ul", said)])
        note = tag("p", f"{pronouns:,} quotations whose speaker is a pronoun no entity was found for (“they”, "
                        f"“who”) are left out.", class_="muted") if pronouns else Html("")
        return join([note, table(["speaker", "quotes", "articles", "latest quotations"], rows, empty="No quotations.",
                                 total=len(ranked), what="speakers, most quoted first")])

    def events_section(self) -> Html:
        events = self.t["events"]
        if events.num_rows == 0:
            return tag("p", "No events.", class_="muted")
        types = Counter(events["event_type"].to_pylist())
        most = max(types.values())
        by_type = table(["event type", "events"], [[kind, Cell(bar(n, most, 200), n)] for kind, n in
                                                   types.most_common()])
        dated = [d["doc_id"] for d in self.documents if d["published"]]
        latest_first = dated[::-1] + [d["doc_id"] for d in self.documents if not d["published"]]
        position = pc.index_in(events["doc_id"], value_set=pa.array(latest_first, pa.string()))
        order = pc.sort_indices(events.append_column("_article", position),
                                sort_keys=[("_article", "ascending"), ("start_char", "ascending")])
        shown = events.take(order[:EVENT_ROWS]).to_pylist()
        who: dict[str, list[str]] = defaultdict(list)
        for p in _rows(_only(self.t["event_participants"], "event_id", [e["event_id"] for e in shown]),
                       ["event_id", "entity_id", "role"]):
            who[p["event_id"]].append(f"{self.entity_name(p['entity_id'])} ({p['role']})")
        rows = [[Cell(readable(e["date_value"]) or readable_day(e["date_start"]) or "–",
                      e["date_start"].isoformat() if e["date_start"] else ""),
                 e["event_type"], self.doc_link(e["doc_id"], f"e-{e['event_id']}", f"“{e['trigger']}”"),
                 ", ".join(who[e["event_id"]]), self.doc_link(e["doc_id"]),
                 day_cell(self.doc_by_id.get(e["doc_id"], {}).get("published"))] for e in shown]
        with_date = pc.sum(pc.is_valid(events["date_start"]).cast(pa.int64())).as_py()
        note = tag("p", f"{events.num_rows:,} events, {with_date:,} of them with a date of their own (“when”); "
                        f"listed from the latest articles back, in the order of their text.", class_="muted")
        listing = table(["when", "type", "trigger", "who", "article", "published"], rows,
                        total=events.num_rows, what="events, latest articles first")
        return join([tag("details", join([tag("summary", f"Events per type ({len(types)} types)"), by_type])),
                     note, listing])

    def tone_section(self) -> Html:
        """The mean tone of the articles mentioning each top entity, month by month (a lexicon score of
        the articles' words: who the words are about is not measured)."""
        toned = {d["doc_id"]: d["tone"] for d in self.documents if d["doc_id"] in self.month and d.get("tone")
                 is not None}
        months = sorted({self.month[d] for d in toned})[-TONE_MONTHS:]
        if not months:
            return tag("p", "No dated articles with a tone.", class_="muted")
        top = self.top_entities(TONE_ENTITIES)
        tones: dict[tuple[str, str], list[float]] = defaultdict(list)
        pairs = _only(self.t["mentions"], "entity_id", [e["entity_id"] for e in top]).group_by(
            ["entity_id", "doc_id"]).aggregate([])
        for row in _rows(pairs, ["entity_id", "doc_id"]):
            if row["doc_id"] in toned:
                tones[(row["entity_id"], self.month[row["doc_id"]])].append(toned[row["doc_id"]])
        rows = []
        for e in top:
            cells = []
            for month in months:
                values = tones.get((e["entity_id"], month))
                cells.append(Cell(tone_cell(sum(values) / len(values), len(values)), sum(values) / len(values))
                             if values else "")
            rows.append([e["name"], *cells])
        note = tag("p", "Mean VADER tone (positive − negative, in percent of words) of the articles that mention "
                        "each entity, by month of publication, with the number of articles. It scores the "
                        "articles' words, not stance towards the entity.", class_="muted")
        return join([note, table(["entity", *(short_month(m) for m in months)], rows)])

    def places_section(self) -> Html:
        """Where the news is: mentions and articles by country (bars), a map of the places, the top places."""
        places = {p["entity_id"]: p for p in self.t["places"].to_pylist()} if "places" in self.t else {}
        if not places:
            return tag("p", "No place was geocoded.", class_="muted")
        counted = _only(self.t["mentions"], "entity_id", list(places)).group_by("entity_id").aggregate(
            [("doc_id", "count"), ("doc_id", "count_distinct")])
        mentions = dict(zip(counted["entity_id"].to_pylist(), counted["doc_id_count"].to_pylist(), strict=True))
        articles = dict(zip(counted["entity_id"].to_pylist(), counted["doc_id_count_distinct"].to_pylist(),
                            strict=True))
        country_pairs = _only(self.t["mentions"], "entity_id", list(places)).select(["entity_id", "doc_id"])
        country_names = {p["country_code"]: p["name"] for p in places.values() if p["kind"] == "country"}
        by_country: Counter = Counter()
        country_docs: dict[str, set[str]] = defaultdict(set)
        for eid, n in mentions.items():
            by_country[places[eid]["country_code"] or "–"] += n
        for row in _rows(country_pairs.group_by(["entity_id", "doc_id"]).aggregate([]), ["entity_id", "doc_id"]):
            country_docs[places[row["entity_id"]]["country_code"] or "–"].add(row["doc_id"])
        top = by_country.most_common(TOP_PLACES)
        most = top[0][1] if top else 1
        countries = table(["country", "place mentions", "articles"],
                          [[f"{country_names.get(code) or _country_name(code)} ({code})", Cell(bar(n, most, 160), n),
                            len(country_docs[code])] for code, n in top], total=len(by_country), what="countries")
        ranked = sorted(mentions, key=lambda eid: (-mentions[eid], places[eid]["name"]))[:TOP_PLACES]
        listing = table(["place", "kind", "country", "state", "mentions", "articles", "GeoNames", "how"],
                        [[places[e]["name"], places[e]["kind"], places[e]["country_code"] or "–",
                          places[e]["admin1_code"] or "–", mentions[e], articles[e],
                          places[e]["geonames_id"] or "–", places[e]["method"]] for e in ranked],
                        total=len(mentions), what="places")
        return join([tag("p", f"{len(mentions):,} places geocoded (offline GeoNames gazetteer), "
                              f"{sum(mentions.values()):,} mentions, in {len(by_country)} countries.", class_="muted"),
                     world_map([(places[e], mentions[e]) for e in ranked]), countries,
                     tag("details", join([tag("summary", f"Top {len(ranked)} places"), listing]))])

    def articles_section(self) -> Html:
        counts = {name: _per_doc(self.t[name]) for name in ("mentions", "quotations", "events", "amounts")}
        rows = [[self.doc_link(d["doc_id"], text=self.doc_label(d["doc_id"], 200)), day_cell(d["published"]),
                 d.get("outlet") or "",
                 counts["mentions"][d["doc_id"]], counts["quotations"][d["doc_id"]], counts["events"][d["doc_id"]],
                 counts["amounts"][d["doc_id"]], tone_cell(d["tone"]) if d.get("tone") is not None else "–"]
                for d in self.documents]
        hidden = len(self.documents) - len(self.paged)
        note = tag("p", f"{hidden:,} articles have no page of their own (broadsheet report --max-articles).",
                   class_="muted") if hidden > 0 else Html("")
        intro = tag("p", f"{len(self.documents):,} articles, oldest first; each links to its page with the text "
                         f"and every extracted span highlighted.", class_="muted")
        return join([intro, note, table(["article", "published", "outlet", "mentions", "quotations", "events",
                                         "amounts", "tone"], rows, empty="No documents.")])

    # -- the article pages ----------------------------------------------------------------------
    def article_pages(self) -> Iterator[tuple[str, str]]:
        """(file name, page) for every article that has a page, in the index's order."""
        paged = [d for d in self.documents if d["doc_id"] in self.paged]
        ids = [d["doc_id"] for d in paged]
        blocks = {name: ByDoc(self.t[name].select(columns), ids).blocks() for name, columns in PER_DOCUMENT.items()}
        texts = self.t["documents"]["text"]
        for first in range(0, len(paged), ByDoc.BLOCK):
            block = {name: next(rows) for name, rows in blocks.items()}
            for i, doc in enumerate(paged[first:first + ByDoc.BLOCK], start=first):
                facts = {name: rows[i - first] for name, rows in block.items()}
                text = texts[self.text_row[doc["doc_id"]]].as_py()
                before = ids[i - 1] if i else None
                after = ids[i + 1] if i + 1 < len(ids) else None
                yield page_name(doc["doc_id"]), self.article_page(doc, text, facts, before, after)

    def article_page(self, doc: dict, text: str, facts: dict[str, list[dict]], before: str | None = None,
                     after: str | None = None) -> str:
        doc_id = doc["doc_id"]
        published = f"published {readable_day(doc['published'])}" if doc["published"] else "no date"
        meta = [doc["source"], published, doc.get("outlet"), f"{doc['n_chars']:,} characters",
                f"tone {doc['tone']:+.1f}" if doc.get("tone") is not None else None, doc.get("warnings")]
        url = doc.get("url") or ""
        pager = tag("nav", join([link("← report", "../index.html#articles"),
                                 self.doc_link(before, text="‹ older", prefix="") if before else "",
                                 self.doc_link(after, text="newer ›", prefix="") if after else ""]), class_="pager")
        header = join([pager, tag("h1", doc.get("title") or doc["source"]),
                       tag("p", join([" · ".join(str(m) for m in meta if m),
                                      join([" · ", tag("a", url, href=url)]) if url.startswith(("http://", "https://"))
                                      else ""]), class_="muted")])
        body = tag("article", join([LEGEND, tag("div", highlight(text, self.spans(doc_id, facts)), class_="text"),
                                    self.facts(doc_id, facts)]), id=f"doc-{doc_id}")
        return page(f"{doc.get('title') or doc['source']} — Broadsheet report", header, body)

    def spans(self, doc_id: str, facts: dict[str, list[dict]]) -> list[Span]:
        spans = []
        for m in facts["mentions"]:
            name, kind = self.names.get(m["entity_id"], ("?", "OTHER"))
            spans.append(Span(m["start_char"], m["end_char"], f"mention m-{kind}",
                              f"{name} ({kind}, {m['mention_kind']})", f"m-{doc_id}-{m['start_char']}-{m['end_char']}"))
        for t in facts["time_expressions"]:
            value = readable(t["value"]) if t["type"] in ("DATE", "TIME") else t["value"]
            spans.append(Span(t["start_char"], t["end_char"], "timex", f"{t['type']} {value or '?'}",
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
        here = lambda anchor: f"#{anchor}"  # noqa: E731 - links within the article's page
        names: dict[str, list[dict]] = defaultdict(list)
        for m in facts["mentions"]:
            names[m["entity_id"]].append(m)
        entity_rows = [[self.entity_name(eid), self.names.get(eid, ("", ""))[1],
                        join((link(m["text"], here(f"m-{doc_id}-{m['start_char']}-{m['end_char']}")) for m in ms),
                             ", ")] for eid, ms in names.items()]
        time_rows = [[link(t["text"], here(f"t-{doc_id}-{t['start_char']}-{t['end_char']}")), t["type"],
                      Cell(readable(t["value"]), t["value"] or "") if t["type"] in ("DATE", "TIME") else t["value"]]
                     for t in facts["time_expressions"]]
        quote_rows = [[self.speaker(q), q["cue"], q["kind"], link(q["text"], here(f"q-{q['quote_id']}"))]
                      for q in facts["quotations"]]
        who: dict[str, list[str]] = defaultdict(list)
        for p in facts["event_participants"]:
            who[p["event_id"]].append(f"{self.entity_name(p['entity_id'])} ({p['role']})")
        event_rows = [[link(e["trigger"], here(f"e-{e['event_id']}")), e["event_type"],
                       Cell(readable(e["date_value"]), e["date_value"] or ""), ", ".join(who[e["event_id"]]),
                       e["polarity"], e["modality"]] for e in facts["events"]]
        events_by_id = {e["event_id"]: e for e in facts["events"]}
        amount_rows = [[link(a["text"], here(f"a-{doc_id}-{a['start_char']}-{a['end_char']}")), amount_value(a),
                        a["kind"], a["object"] or "", self.entity_name(a["entity_id"]) or (
                            events_by_id[a["event_id"]]["event_type"] if a["event_id"] in events_by_id else "")]
                       for a in facts["amounts"]]
        parts = [("Entities", ["entity", "type", "mentions"], entity_rows),
                 ("Time expressions", ["text", "type", "value"], time_rows),
                 ("Quotations", ["speaker", "cue", "kind", "quote"], quote_rows),
                 ("Events", ["trigger", "type", "date", "participants", "polarity", "modality"], event_rows),
                 ("Amounts", ["text", "value", "kind", "of what", "whose"], amount_rows)]
        return join(tag("details", join([tag("summary", f"{title} ({len(rows)})"), table(headers, rows)]),
                        open="open" if rows else None)
                    for title, headers, rows in parts)


def _per_doc(table: pa.Table) -> Counter:
    """doc_id -> its rows in the table, counted by Arrow (no Python string per row)."""
    counted = pc.value_counts(table["doc_id"]).flatten() if table.num_rows else []
    return Counter(dict(zip(counted[0].to_pylist(), counted[1].to_pylist(), strict=True))) if counted else Counter()


def _number(value: float | None) -> str:
    """A count with thousands separators, seconds to one decimal: "1,361.0"."""
    if value is None:
        return "–"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


def _when(moment: datetime) -> str:
    """A run's start as people read it: "14 Dec 2023, 09:30:12 UTC"."""
    return f"{moment.day} {moment:%b %Y, %H:%M:%S} UTC"


def report_paths(output: Path) -> tuple[Path, Path | None]:
    """The report folder for `--output`, and the page that opens it when `--output` names an .html file
    (the default OUT/report.html: the folder is OUT/report/, and OUT/report.html forwards to it)."""
    if output.suffix.lower() in (".html", ".htm"):
        return output.with_suffix(""), output
    return output, None


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One report writer per folder at a time: a second waits rather than removing the first's build."""
    with open(folder / ".lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _swap_in(build: Path, target: Path) -> None:
    """Make `target` the finished folder `build` in one step: `target` is a symbolic link, replaced
    by renaming a new link over it (atomic), so a reader sees the old report or the new, never half.
    A real folder already at `target` (a report from before the link, or an empty folder) is moved aside
    first; anything else there is not ours to replace."""
    if target.exists() and not target.is_symlink():
        if not target.is_dir() or any(p.name != "index.html" and p.name != "articles" for p in target.iterdir()):
            raise FileExistsError(f"{target} exists and is not a Broadsheet report folder; choose another --output")
        target.rename(build.parent / f"old-{os.getpid()}")
    new_link = target.with_name(f".{target.name}.link-{os.getpid()}")
    new_link.unlink(missing_ok=True)
    new_link.symlink_to(os.path.relpath(build, target.parent))
    os.replace(new_link, target)


def write_report(out: Path, output: Path | None = None, max_articles: int | None = None) -> Path:
    """Write the report folder (default OUT/report/, opened by OUT/report.html) atomically; its index.

    The pages are written into a new folder beside the target (`.<name>.versions/`, a dot-folder,
    so table readers never see it), the target link is swapped to it, and the previous versions are
    removed.
    """
    if not (out / "documents").exists():
        raise FileNotFoundError(f"no Broadsheet tables under {out} (run `broadsheet run ... --out {out}` first)")
    folder, opener = report_paths(output or out / "report.html")
    folder.parent.mkdir(parents=True, exist_ok=True)
    versions = folder.with_name(f".{folder.name}.versions")
    versions.mkdir(exist_ok=True)
    report = Report(read_tables(out), str(out), max_articles)
    with _locked(versions):
        build = Path(tempfile.mkdtemp(prefix="build-", dir=versions))
        try:
            (build / "articles").mkdir()
            for name, html_page in report.article_pages():
                (build / "articles" / name).write_text(html_page, encoding="utf-8")
            (build / "index.html").write_text(report.render_index(), encoding="utf-8")
            build.chmod(0o755)  # mkdtemp makes it private; a report is for reading
            _swap_in(build, folder)
        except BaseException:
            shutil.rmtree(build, ignore_errors=True)
            raise
        for old in versions.iterdir():
            if old.is_dir() and old != build:
                shutil.rmtree(old, ignore_errors=True)
    if opener is not None:
        target = f"{folder.name}/index.html"
        tmp = opener.with_name(f".{opener.name}.tmp")
        tmp.write_text(FORWARD.format(target=esc(target)), encoding="utf-8")
        os.replace(tmp, opener)
    return folder / "index.html"


# What OUT/report.html holds: a page that opens the report folder (it was the whole report once,
# so the path people bookmarked still works).
FORWARD = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0; url={target}">
<title>Broadsheet report</title></head>
<body><p>The report is in <a href="{target}">{target}</a>.</p></body></html>
"""
