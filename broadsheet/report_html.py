"""The markup of `broadsheet report`: escaping, tags, tables, the page frame, its CSS and its script.

Every piece of text from the data is escaped when it is put on a page (`Html` marks the only strings
that are not). Every page is self-contained: its CSS and its one small script are inline, so a page
opens anywhere, can be mailed, needs no network, and reads the same without the script.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache


class Html(str):
    """Markup built by the report; every other string is escaped when it is put on the page."""


_escape = html.escape
_NOTHING = Html("")


def esc(value: object) -> Html:
    """The value as page text: markup passes through, anything else is escaped."""
    if type(value) is Html:  # the hot path of every page: a type check, not isinstance
        return value
    if value is None:
        return _NOTHING
    return Html(_escape(value if type(value) is str else str(value), True))


@cache
def _attribute(name: str) -> str:
    """A keyword argument's attribute name: class_ -> class, data_sort -> data-sort."""
    return name.rstrip("_").replace("_", "-")


def tag(name: str, content: object = "", **attrs: object) -> Html:
    """<name attrs>content</name>, with the content and the attribute values escaped."""
    rendered = "".join(f' {_attribute(k)}="{esc(v)}"' for k, v in attrs.items() if v is not None) if attrs else ""
    return Html(f"<{name}{rendered}>{esc(content)}</{name}>")


def join(parts: Iterable[object], sep: str = "") -> Html:
    """The parts one after the other, each escaped unless it is markup."""
    return Html(sep.join(esc(p) for p in parts))


def link(text: object, href: str) -> Html:
    return tag("a", text, href=href)


@dataclass(frozen=True)
class Cell:
    """A table cell whose sort key differs from what it shows ("12 Sep 2016" sorts as 2016-09-12)."""

    content: object
    sort: object


def _cell(value: object) -> str:
    if type(value) is Cell:
        return f'<td data-sort="{esc(value.sort)}">{esc(value.content)}</td>'
    return f"<td>{esc(value)}</td>"


def table(headers: list[str], rows: Iterable[Iterable[object]], empty: str = "none", total: int | None = None,
          what: str = "rows") -> Html:
    """A table, or a muted line when it has no rows. `total` is how many rows there are in all when
    `rows` holds only the first of them: a note under the table says how many more are left out."""
    body = [Html("<tr>" + "".join(_cell(c) for c in row) + "</tr>") for row in rows]
    if not body:
        return tag("p", empty, class_="muted")
    head = tag("tr", join(tag("th", h) for h in headers))
    shown = tag("table", join([tag("thead", head), Html("<tbody>" + "".join(body) + "</tbody>")]))
    if len(body) > SCROLL_ROWS:  # a long table scrolls in a box of its own, its head kept in view
        shown = tag("div", shown, class_="scroll")
    if total is not None and total > len(body):
        note = f"The first {len(body):,} of {total:,} {what} are shown; {total - len(body):,} more are not."
        return join([shown, tag("p", note, class_="muted more")])
    return shown


SCROLL_ROWS = 25  # a table longer than this scrolls inside a box, so the page stays short to scan


def bar(count: int, most: int, width: int) -> Html:
    """A horizontal bar `width` pixels long for the largest count, and the count."""
    return tag("span", join([tag("span", "", class_="bar", style=f"width:{width * count // max(most, 1)}px"),
                             f" {count:,}"]), class_="count")


def page(title: str, header: Html, body: Html) -> str:
    """A whole self-contained page: inline CSS, the body, and the table script at the end."""
    head = join([Html('<meta charset="utf-8">'),
                 Html('<meta name="viewport" content="width=device-width, initial-scale=1">'),
                 tag("title", title), tag("style", Html(CSS))])
    return "<!doctype html>\n" + tag("html", join([tag("head", head), tag("body", join([
        tag("main", join([header, body])), tag("script", Html(SCRIPT))]))]), lang="en")


# Sort and filter for the tables, written here rather than vendored: click a column head to sort by
# it (numbers as numbers, a cell's data-sort before its text, again to reverse), type in the box to
# keep the rows holding every word typed. Rows are moved in one fragment, so 10,000 rows sort at once.
SCRIPT = """
document.querySelectorAll("table").forEach(function (table) {
  var body = table.tBodies[0];
  if (!body || body.rows.length < 6) return;
  var box = document.createElement("input");
  box.type = "search"; box.placeholder = "filter " + body.rows.length + " rows"; box.className = "filter";
  var texts = null;
  box.addEventListener("input", function () {
    var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean);
    if (!texts) texts = new Map(Array.prototype.map.call(body.rows, function (r) {
      return [r, r.textContent.toLowerCase()]; }));
    Array.prototype.forEach.call(body.rows, function (row) {
      var text = texts.get(row);
      row.style.display = words.every(function (w) { return text.indexOf(w) >= 0; }) ? "" : "none";
    });
  });
  var at = table.parentNode.className === "scroll" ? table.parentNode : table;
  at.parentNode.insertBefore(box, at);
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
    th.className = "sortable"; th.title = "sort by this column";
    th.addEventListener("click", function () {
      var down = th.dataset.order !== "asc";
      th.dataset.order = down ? "asc" : "desc";
      var keyed = Array.prototype.map.call(body.rows, function (row) {
        var cell = row.cells[column], text = cell ? (cell.dataset.sort || cell.textContent).trim() : "";
        var number = parseFloat(text.replace(/[^0-9.eE+-]/g, ""));
        return [/^[-+]?[0-9][0-9.,]*$/.test(text.split(" ")[0]) && !isNaN(number) ? number : text.toLowerCase(), row];
      });
      keyed.sort(function (a, b) {
        var x = a[0], y = b[0];  // numbers before words ("–"), each kind in its own order
        var order = typeof x !== typeof y ? (typeof x === "number" ? -1 : 1) : x < y ? -1 : x > y ? 1 : 0;
        return order * (down ? 1 : -1);
      });
      var rows = document.createDocumentFragment();
      keyed.forEach(function (pair) { rows.appendChild(pair[1]); });
      body.appendChild(rows);
    });
  });
});
"""

CSS = """
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{margin:0 0 4px}h2{margin-top:40px;border-bottom:2px solid #d0d7de;padding-bottom:4px}h3{margin:18px 0 6px}
input.filter{display:block;margin:6px 0;padding:3px 6px;width:260px}th.sortable{cursor:pointer}
th.sortable:after{content:" \\2195";color:#8c959f;font-size:11px}
nav a{margin-right:14px}.muted{color:#656d76}
section.card,article{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:16px 20px;margin:16px 0}
table{border-collapse:collapse;width:100%;margin:8px 0;font-size:14px;background:#fff}
th,td{border-bottom:1px solid #d8dee4;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa;position:sticky;top:0}
.stats{display:flex;flex-wrap:wrap;gap:12px}.stat{background:#fff;border:1px solid #d0d7de;border-radius:8px;
padding:10px 16px;min-width:110px}.stat b{display:block;font-size:24px}
.bar{background:#0969da;height:12px;border-radius:3px;display:inline-block;vertical-align:middle}
.count{white-space:nowrap}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:16px}
figure{margin:0;background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:12px 14px}
figcaption{font-weight:600;margin-bottom:6px}figure svg{display:block;width:100%;height:auto}
svg text{font:13px system-ui,sans-serif;fill:#57606a}
.scroll{max-height:640px;overflow:auto;border:1px solid #d0d7de;border-radius:6px;margin:8px 0}
.scroll table{margin:0}td[data-sort]{white-space:nowrap}
.text{white-space:pre-wrap;font-family:Georgia,serif;font-size:16px;line-height:1.7;background:#fcfcfd;
padding:12px;border-radius:6px}
.quote{background:#fff3b0}.speaker{background:#ffd8a8;font-weight:600}
.mention{border-bottom:2px solid #6e7781}.m-PERSON{border-bottom-color:#0969da}.m-ORG{border-bottom-color:#bf8700}
.m-GPE,.m-LOC,.m-FAC{border-bottom-color:#1a7f37}.timex{background:#ddf4ff;outline:1px dashed #54aeff}
.event{color:#cf222e;font-weight:700}
.amount{background:#fff1c2;border-bottom:2px solid #bf8700}
.tone-pos{color:#1a7f37}.tone-neg{color:#cf222e}
.legend span{margin-right:14px;padding:0 4px}
.keys{display:flex;flex-wrap:wrap;gap:2px 14px;font-size:13px;margin-top:4px}
.key .swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px}
.pager{display:flex;justify-content:space-between;gap:12px}
""".strip()
