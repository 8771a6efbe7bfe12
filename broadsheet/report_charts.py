"""Charts for `broadsheet report`, drawn in Python as inline SVG: no script and no network to view them.

Lines over months (mentions of the top entities, tone), stacked bars over months (events by type,
articles), and a map of places. Every mark carries a `<title>`, so hovering shows its figure, and
the legend is plain HTML under the chart. Months are "YYYY-MM" strings; the axis shows them as
people read them ("Sep 2016").
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date

from broadsheet.report_html import Html, esc, join, tag

# Colours told apart by most readers, colour-blind ones included (Okabe-Ito, then two greys).
PALETTE = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000", "#999999",
           "#666666"]
WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 12, 34  # room for the value ticks on the left, months below
MONTH_LABELS = 8  # at most this many month names under the axis


def month_range(first: str, last: str) -> list[str]:
    """Every month from `first` to `last` ("2016-01", "2016-03" -> three months), so gaps show as gaps."""
    y, m = int(first[:4]), int(first[5:7])
    months = []
    while f"{y:04d}-{m:02d}" <= last:
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def short_month(month: str) -> str:
    """ "2016-09" -> "Sep 2016"."""
    return f"{date(int(month[:4]), int(month[5:7]), 1):%b %Y}"


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round values (1, 2 or 5 times a power of ten apart) spanning low..high, about `count` of them."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(s * power for s in (1, 2, 5, 10) if s * power >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def legend(names: Sequence[str]) -> Html:
    """The series' names, each beside a swatch of its colour."""
    keys = (tag("span", join([tag("span", "", class_="swatch", style=f"background:{PALETTE[i % len(PALETTE)]}"),
                              name]), class_="key") for i, name in enumerate(names))
    return tag("div", join(keys), class_="keys")


class _Frame:
    """The axes shared by the month charts: months across, values up, with gridlines and labels."""

    def __init__(self, months: Sequence[str], low: float, high: float, unit: str) -> None:
        self.months = months
        self.ticks = nice_ticks(low, high)
        self.low, self.high = self.ticks[0], self.ticks[-1]
        self.unit = unit
        self.plot_w = WIDTH - LEFT - RIGHT
        self.plot_h = HEIGHT - TOP - BOTTOM
        self.slot = self.plot_w / max(len(months), 1)

    def x(self, i: int) -> float:
        """The middle of month i's slot."""
        return LEFT + (i + 0.5) * self.slot

    def y(self, value: float) -> float:
        return TOP + self.plot_h * (self.high - value) / (self.high - self.low or 1)

    def axes(self) -> str:
        parts = []
        for t in self.ticks:
            label = f"{t:,.0f}" if float(t).is_integer() else f"{t:,.1f}"
            parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{self.y(t):.1f}" y2="{self.y(t):.1f}" '
                         f'stroke="{"#8c959f" if t == 0 else "#eaeef2"}"/>'
                         f'<text x="{LEFT - 6}" y="{self.y(t) + 4:.1f}" text-anchor="end">{label}</text>')
        every = max(1, math.ceil(len(self.months) / MONTH_LABELS))
        for i, month in enumerate(self.months):
            if i % every == 0:
                parts.append(f'<text x="{self.x(i):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">'
                             f'{esc(short_month(month))}</text>')
        parts.append(f'<text x="12" y="{TOP + self.plot_h / 2:.0f}" text-anchor="middle" '
                     f'transform="rotate(-90 12 {TOP + self.plot_h / 2:.0f})">{esc(self.unit)}</text>')
        return "".join(parts)


def _figure(caption: str, svg: str, label: str, below: Html | str = "") -> Html:
    return tag("figure", join([tag("figcaption", caption),
                               Html(f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{esc(label)}">'
                                    f"{svg}</svg>"), below]))


def line_chart(caption: str, months: Sequence[str], series: Mapping[str, Mapping[str, float]], unit: str,
               counts: Mapping[str, Mapping[str, int]] | None = None) -> Html:
    """One line per series over the months (a month without a value breaks the line); `counts`, when
    given, is the number behind each point, shown in its tooltip (the articles a mean tone is of)."""
    values = [v for s in series.values() for v in s.values()]
    if not months or not values:
        return Html("")
    frame = _Frame(months, min(0.0, min(values)), max(values), unit)
    marks = []
    for i, (name, points) in enumerate(series.items()):
        colour = PALETTE[i % len(PALETTE)]
        runs: list[list[str]] = [[]]
        dots = []
        for j, month in enumerate(months):
            if month not in points:
                runs.append([])
                continue
            x, y = frame.x(j), frame.y(points[month])
            runs[-1].append(f"{x:.1f},{y:.1f}")
            behind = f" ({counts[name][month]} articles)" if counts and month in counts.get(name, {}) else ""
            value = points[month]
            shown = f"{value:,.0f}" if float(value).is_integer() else f"{value:+.1f}"
            dots.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5"><title>{esc(name)}, '
                        f'{esc(short_month(month))}: {shown}{esc(behind)}</title></circle>')
        lines = "".join(f'<polyline points="{" ".join(r)}"/>' for r in runs if len(r) > 1)
        marks.append(f'<g fill="{colour}" stroke="{colour}"><g fill="none" stroke-width="2">{lines}</g>'
                     f'{"".join(dots)}</g>')
    return _figure(caption, frame.axes() + "".join(marks), caption, legend(list(series)))


def stacked_bars(caption: str, months: Sequence[str], stacks: Mapping[str, Mapping[str, int]], unit: str) -> Html:
    """A bar per month, split into one block per stack (event types), the stacks in the order given."""
    totals = [sum(s.get(m, 0) for s in stacks.values()) for m in months]
    if not months or not any(totals):
        return Html("")
    frame = _Frame(months, 0, max(totals), unit)
    width = max(1.0, frame.slot * 0.8)
    marks = []
    for j, month in enumerate(months):
        base = 0
        for i, (name, counts) in enumerate(stacks.items()):
            n = counts.get(month, 0)
            if not n:
                continue
            top, bottom = frame.y(base + n), frame.y(base)
            marks.append(f'<rect x="{frame.x(j) - width / 2:.1f}" y="{top:.1f}" width="{width:.1f}" '
                         f'height="{bottom - top:.1f}" fill="{PALETTE[i % len(PALETTE)]}">'
                         f'<title>{esc(name)}, {esc(short_month(month))}: {n:,}</title></rect>')
            base += n
    keys = legend(list(stacks)) if len(stacks) > 1 else ""
    return _figure(caption, frame.axes() + "".join(marks), caption, keys)


def world_map(points: list[tuple[dict, int]], width: int = WIDTH) -> Html:
    """A map of places (equirectangular: longitude across, latitude up), each a dot whose area follows
    its mentions, with its name as a tooltip; a graticule every 30 degrees stands in for coastlines."""
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
