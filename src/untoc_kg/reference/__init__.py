"""Public reference facts shipped as data (see SOURCES.md beside this file).

Treaties and their article titles, the bodies of the Conference of the Parties by symbol prefix,
and ISO 3166 codes with their Wikidata items. Loaded once, read-only.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Mapping


@dataclass(frozen=True)
class TreatyInfo:
    key: str
    title: str
    short_names: tuple[str, ...]
    adopted: str
    adopted_by: str
    entry_into_force: str | None = None
    mtdsg: str | None = None
    """Its number in Multilateral Treaties Deposited with the Secretary-General ("XVIII-12")."""

    @property
    def treaty_collection_page(self) -> str | None:
        """Its page in the UN Treaty Collection (the depositary's record: parties, dates)."""
        if self.mtdsg is None:
            return None
        chapter = self.mtdsg.split("-", 1)[0]
        number = {"XVIII": 18}.get(chapter)
        return (
            "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY"
            f"&mtdsg_no={self.mtdsg}&chapter={number}&clang=_en"
        ) if number else None


@dataclass(frozen=True)
class ChapterInfo:
    treaty: str
    number: str
    title: str
    first_article: int
    last_article: int


@dataclass(frozen=True)
class BodyInfo:
    symbol: str
    name: str
    protocol: str | None


@dataclass(frozen=True)
class CountryCode:
    iso3: str
    iso2: str
    wikidata: str


def _load_json(name: str) -> dict:
    return json.loads(files(__package__).joinpath(name).read_text(encoding="utf-8"))


@cache
def treaties() -> Mapping[str, TreatyInfo]:
    """The Convention and its Protocols by key ("UNTOC", "SOM", "TIP", "FIR")."""
    data = _load_json("treaties.json")
    return MappingProxyType(
        {
            key: TreatyInfo(
                key, v["title"], tuple(v["short"]), v["adopted"], v["adopted_by"],
                v.get("entry_into_force"), v.get("mtdsg"),
            )
            for key, v in data.items()
            if not key.startswith("_")
        }
    )


@cache
def article_titles() -> Mapping[str, Mapping[int, str]]:
    """Article titles by treaty key and article number."""
    data = _load_json("treaty_articles.json")
    return MappingProxyType(
        {
            key: MappingProxyType({int(n): title for n, title in articles.items()})
            for key, articles in data.items()
            if not key.startswith("_")
        }
    )


@cache
def chapters() -> tuple[ChapterInfo, ...]:
    """The chapters of the Protocols, in order."""
    data = _load_json("treaty_articles.json")["_chapters"]
    return tuple(
        ChapterInfo(treaty, c["chapter"], c["title"], c["articles"][0], c["articles"][1])
        for treaty, items in data.items()
        for c in items
    )


@cache
def bodies() -> Mapping[str, BodyInfo]:
    """Subsidiary bodies of the Conference by document symbol prefix ("CTOC/COP/WG.7")."""
    data = _load_json("bodies.json")
    return MappingProxyType(
        {
            symbol: BodyInfo(symbol, v["name"], v["protocol"])
            for symbol, v in data.items()
            if not symbol.startswith("_")
        }
    )


@cache
def organization_items() -> Mapping[str, str]:
    """The Wikidata item of each organisation the table knows, by the organisation's URI key."""
    text = files(__package__).joinpath("organizations_wikidata.csv").read_text(encoding="utf-8")
    return MappingProxyType({r["key"]: r["wikidata"] for r in csv.DictReader(text.splitlines())})


@cache
def country_codes() -> Mapping[str, CountryCode]:
    """ISO 3166-1 codes with the Wikidata item of each country or territory, by alpha-3 code."""
    text = files(__package__).joinpath("iso3166_wikidata.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    return MappingProxyType(
        {r["iso3"]: CountryCode(r["iso3"], r["iso2"], r["wikidata"]) for r in rows}
    )
