"""What a page is made of: typed rows in sections, so a template never guesses what a row is."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Link:
    """Something to link to: its label, and where it lives (a local path or an outside URL)."""

    label: str
    href: str
    kind: str = field(default="link", init=False)


@dataclass(frozen=True)
class Note:
    """A line of text."""

    text: str
    kind: str = field(default="note", init=False)


@dataclass(frozen=True)
class Row:
    """A link with what a reader wants beside it: a note, a text, further links."""

    link: Link
    note: str = ""
    text: str = ""
    links: tuple[Link, ...] = ()
    links_label: str = ""
    """What the further links are ("cites", "at")."""
    kind: str = field(default="row", init=False)


@dataclass
class Section:
    """One block of a page: a heading, then rows, maybe a 'next page' link. A long section is
    collapsed (shown on demand); an empty one says why when `empty` is set."""

    heading: str
    rows: list[Link | Note | Row] = field(default_factory=list)
    next_href: str | None = None
    collapsed: bool = False
    empty: str | None = None
    level: int = 2
    """h2 for a section, h3 for a group within the section before it."""
    groups: list[tuple[str, list[Link | Note | Row]]] = field(default_factory=list)
    """Rows under sub-headings, after the section's own rows (citing recommendations by year)."""
