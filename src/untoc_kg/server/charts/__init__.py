"""Pictures drawn on the server as SVG, each with its numbers beside it (a table, and CSV at
`/charts/NAME.csv`): the articles most cited, recommendations per meeting over time, and
attendance by State on a hex-tile world map.

No script, no CDN, no inline style: shapes carry SVG presentation attributes (fill, x, y), which
the site's Content-Security-Policy (`style-src 'self'`) allows, and classes styled in style.css.
The numbers come from the build's search index, which counts them once per build.
"""

from __future__ import annotations

import csv
import io
import math
import sqlite3
from dataclasses import dataclass
from datetime import date

from untoc_kg.server.charts.hexmap import centre, layout

PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1",
           "#ff9da7", "#9c755f", "#bab0ac")
"""Tableau 10: distinct hues that stay apart for most colour-blind readers."""
SCALE = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
"""Sequential blues, for counts on the map (ColorBrewer Blues, 5 classes)."""
NO_DATA = "#eeeeee"
TOP_ARTICLES = 25


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    colour: str
    group: str


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    width: int
    height: int
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    legend: tuple[tuple[str, str], ...]
    """(colour, label)"""
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    """The numbers drawn, as a table (and CSV)."""
    value_ticks: tuple[Tick, ...] = ()
    """Marks on the value axis, where it is vertical."""


def _groups(keys: list[str], at: int) -> dict[str, str]:
    """Segment `at` of each key -> a colour of the palette, in order of first appearance."""
    found: dict[str, str] = {}
    for key in keys:
        parts = key.split("/")
        group = parts[at] if len(parts) > at else ""
        if group not in found:
            found[group] = PALETTE[len(found) % len(PALETTE)]
    return found


def articles_chart(connection: sqlite3.Connection) -> Chart:
    """Horizontal bars: the articles cited by the most recommendations."""
    rows = connection.execute(
        "SELECT key, label, count FROM entries WHERE kind = 'article' AND count > 0 "
        "ORDER BY count DESC, sort_label LIMIT ?", (TOP_ARTICLES,)
    ).fetchall()
    treaties = dict(connection.execute(
        "SELECT key, label FROM entries WHERE kind = 'treaty'").fetchall())
    colours = _groups([r[0] for r in rows], 1)
    left, bar_height, width = 330, 18, 760
    biggest = max((r[2] for r in rows), default=1)
    scale = (width - left - 40) / biggest
    bars = tuple(
        Bar(key, label, count, left, 24 + i * (bar_height + 4), count * scale, bar_height,
            colours[key.split("/")[1]], treaties.get("treaty/" + key.split("/")[1], ""))
        for i, (key, label, count) in enumerate(rows)
    )
    step = _nice_step(biggest)
    ticks = tuple(Tick(left + v * scale, str(v)) for v in range(0, biggest + 1, step))
    legend = tuple((colour, treaties.get("treaty/" + group, group)) for group, colour in colours.items())
    return Chart("articles", f"The {len(rows)} articles cited by the most recommendations",
                 width, 24 + len(rows) * (bar_height + 4) + 30, bars, ticks, legend,
                 ("article", "treaty", "citing recommendations"),
                 tuple((b.label, b.group, b.value) for b in bars))


def _nice_step(biggest: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000):
        if biggest / step <= 8:
            return step
    return max(1, biggest // 8)


def meetings_chart(connection: sqlite3.Connection) -> Chart:
    """Bars on a time line: the recommendations each meeting adopted, by its first day."""
    rows = connection.execute(
        "SELECT key, label, date, count FROM entries WHERE kind = 'meeting' AND date IS NOT NULL "
        "ORDER BY date, sort_label"
    ).fetchall()
    bodies = dict(connection.execute("SELECT key, label FROM entries WHERE kind = 'body'").fetchall())
    colours = _groups([r[0] for r in rows], 1)
    left, top, width, height = 50, 20, 760, 260
    if rows:
        first = date.fromisoformat(rows[0][2][:10]).year
        last = date.fromisoformat(rows[-1][2][:10]).year + 1
    else:
        first, last = 2000, 2001
    span = (date(last, 1, 1) - date(first, 1, 1)).days or 1
    plot = width - left - 20
    biggest = max((r[3] for r in rows), default=1) or 1
    bar_width = max(2.0, min(14.0, plot / max(1, len(rows)) * 0.8))

    def x_of(day: date) -> float:
        return left + (day - date(first, 1, 1)).days / span * plot

    bars = []
    for key, label, day, count in rows:
        h = count / biggest * (height - top - 30)
        bars.append(Bar(key, label, count, x_of(date.fromisoformat(day[:10])) - bar_width / 2,
                        height - 30 - h, bar_width, h, colours[key.split("/")[1]],
                        bodies.get("body/" + key.split("/")[1], "")))
    years = range(first, last + 1, max(1, math.ceil((last - first) / 10)))
    ticks = tuple(Tick(x_of(date(y, 1, 1)), str(y)) for y in years)
    legend = tuple((colour, bodies.get("body/" + group, group)) for group, colour in colours.items())
    step = _nice_step(biggest)
    value_ticks = tuple(Tick(height - 30 - v / biggest * (height - top - 30), str(v))
                        for v in range(0, biggest + 1, step))
    return Chart("meetings", "Recommendations adopted at each meeting, over time", width, height,
                 tuple(bars), ticks, legend, ("meeting", "body", "first day", "recommendations"),
                 tuple((b.label, b.group, r[2], b.value) for b, r in zip(bars, rows)),
                 value_ticks)


@dataclass(frozen=True)
class Hexagon:
    iso3: str
    label: str
    value: int | None
    points: str
    x: float
    y: float
    colour: str


@dataclass(frozen=True)
class Map:
    name: str
    title: str
    width: int
    height: int
    hexagons: tuple[Hexagon, ...]
    legend: tuple[tuple[str, str], ...]
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    unplaced: tuple[str, ...]
    """States with a count that have no tile (not a UN Member or observer State)."""


def shade(value: int, biggest: int) -> int:
    """The class of a count of 1..biggest on the SCALE (equal intervals)."""
    return min(len(SCALE) - 1, (value - 1) * len(SCALE) // max(1, biggest))


def attendance_map(connection: sqlite3.Connection, size: float = 11.0) -> Map:
    """Each State a hexagon near its capital, shaded by the meetings it attended."""
    counts = {key.split("/", 1)[1]: (label, count) for key, label, count in connection.execute(
        "SELECT key, label, count FROM entries WHERE kind = 'state'")}
    biggest = max((c for _, c in counts.values()), default=0)
    tiles = layout()
    min_col = min(t.col for t in tiles)
    min_row = min(t.row for t in tiles)
    hexagons = []
    for tile in tiles:
        x, _ = centre(tile.col - min_col, tile.row - min_row)
        cx = x * size * math.sqrt(3) + size
        cy = (tile.row - min_row) * size * 1.5 + size
        label, value = counts.get(tile.iso3, (tile.iso3, None))
        colour = NO_DATA if not value else SCALE[shade(value, biggest)]
        points = " ".join(
            f"{cx + size * math.cos(math.radians(60 * i - 30)):.1f},"
            f"{cy + size * math.sin(math.radians(60 * i - 30)):.1f}"
            for i in range(6)
        )
        hexagons.append(Hexagon(tile.iso3, label, value, points, cx, cy, colour))
    width = int(max(h.x for h in hexagons) + 2 * size)
    height = int(max(h.y for h in hexagons) + 2 * size)
    legend = [(NO_DATA, "none recorded")]
    spans: dict[int, list[int]] = {}
    for value in range(1, biggest + 1):
        spans.setdefault(shade(value, biggest), []).append(value)
    for i, values in sorted(spans.items()):
        low, high = values[0], values[-1]
        legend.append((SCALE[i], f"{low}" if low == high else f"{low}–{high}"))
    placed = {t.iso3 for t in tiles}
    rows = tuple(sorted(((label, iso3, count) for iso3, (label, count) in counts.items() if count),
                        key=lambda r: (-r[2], r[0])))
    return Map("attendance", "Meetings attended, by State", width, height, tuple(hexagons),
               tuple(legend), ("State", "ISO 3166 code", "meetings attended"), rows,
               tuple(sorted(iso3 for iso3, (_, c) in counts.items() if c and iso3 not in placed)))


def as_csv(columns: tuple[str, ...], rows: tuple[tuple, ...]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()
