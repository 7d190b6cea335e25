"""A hex-tile map of the States: each State one hexagon, placed near its capital.

The layout is computed, not drawn by hand: capitals.csv (public facts: the approximate latitude
and longitude of each UN Member State's and observer State's capital, keyed by ISO 3166-1
alpha-3) is projected (Mercator) onto a grid of pointy-top hexagons in offset rows; a State whose cell is
taken goes to the nearest free one. The same file gives the same map.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

CELL_WIDTH = 6.0
"""Degrees of longitude per hexagon."""
ROW_HEIGHT = 5.0
"""Mercator degrees of latitude per row (Europe and the Caribbean are crowded: smaller cells leave
half the world's grid empty, larger ones push small States far from home)."""


MERCATOR_TOP = 80.0


def mercator(lat: float) -> float:
    """Latitude in Mercator's degrees: it stretches the crowded north (Europe) and keeps the
    tropics (Africa, the Caribbean) as they are."""
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


@dataclass(frozen=True)
class Tile:
    iso3: str
    col: int
    row: int


def centre(col: int, row: int) -> tuple[float, float]:
    """The (x, y) of a cell in cell units (odd rows shifted half a cell right)."""
    return col + (0.5 if row % 2 else 0.0), row * math.sqrt(3) / 2


@cache
def capitals() -> tuple[tuple[str, float, float], ...]:
    text = files(__package__).joinpath("capitals.csv").read_text(encoding="utf-8")
    return tuple((r["iso3"], float(r["lat"]), float(r["lon"])) for r in csv.DictReader(text.splitlines()))


def _ring(col: int, row: int, radius: int) -> list[tuple[int, int]]:
    return [(c, r) for r in range(row - radius, row + radius + 1)
            for c in range(col - radius - 1, col + radius + 2)]


@cache
def layout() -> tuple[Tile, ...]:
    places = []
    for iso3, lat, lon in capitals():
        y = (MERCATOR_TOP - mercator(lat)) / ROW_HEIGHT
        row = round(y)
        x = (lon + 180.0) / CELL_WIDTH - (0.5 if row % 2 else 0.0)
        places.append((iso3, x + (0.5 if row % 2 else 0.0), y * math.sqrt(3) / 2, round(x), row))
    # Those nearest their own cell's centre choose first.
    places.sort(key=lambda p: (math.dist(centre(p[3], p[4]), (p[1], p[2])), p[0]))
    taken: dict[tuple[int, int], str] = {}
    tiles = []
    for iso3, x, y, col, row in places:
        radius = 0
        while True:
            free = [cell for cell in _ring(col, row, radius) if cell not in taken]
            if free:
                cell = min(free, key=lambda c: (math.dist(centre(*c), (x, y)), c))
                break
            radius += 1
        taken[cell] = iso3
        tiles.append(Tile(iso3, *cell))
    return tuple(sorted(tiles, key=lambda t: t.iso3))
