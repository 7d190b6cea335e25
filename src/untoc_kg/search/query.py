"""Answering a search, and listing the things of a kind, from a build's index (see `index`).

Ranking is FTS5's BM25 with the label weighing more than the text; an empty search lists
everything, newest first. Facet values combine as Datasette's do: values of one facet are
alternatives (OR), facets narrow one another (AND), and each facet's counts are those of the
results as they stand.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from untoc_kg.search.index import INDEX_FILE, Keys, fold
from untoc_kg.search.kinds import BY_NAME, FACET_NAMES, FACETS
from untoc_kg.search.syntax import SearchSyntaxError, quoted, to_match

PAGE_SIZE = 20
MAX_PAGE_SIZE = 500
FACET_VALUES_SHOWN = 12
MARK_START, MARK_END = "\ue000", "\ue001"
"""Around the matched words in highlights (private-use characters: never in the data); a page
turns them into <mark> after escaping the text."""
WEIGHTS = (5.0, 1.0, 2.0)
"""BM25 weights of the label, the text and the other names."""
SORTS = {"label": "sort_label", "date": "date", "count": "count"}


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """facet -> values (local keys); values of one facet are alternatives."""
    page: int = 1
    size: int = PAGE_SIZE
    facet_names: Mapping[str, str] = field(default_factory=dict)
    """facet -> text: show only the values of that facet whose name matches it."""


@dataclass(frozen=True)
class Segment:
    text: str
    match: bool


@dataclass(frozen=True)
class Hit:
    key: str
    iri: str
    kind: str
    label: str
    date: str | None
    score: float | None
    title: tuple[Segment, ...]
    snippet: tuple[Segment, ...]


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class FacetCounts:
    name: str
    title: str
    values: tuple[FacetValue, ...]
    more: int
    """Values with results that are not shown (past the first ones)."""


@dataclass(frozen=True)
class SearchResult:
    request: SearchRequest
    total: int
    hits: tuple[Hit, ...]
    facets: tuple[FacetCounts, ...]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.size))


def open_index(build_dir: Path) -> sqlite3.Connection:
    """A read-only connection to a published index (immutable: it never changes in place)."""
    path = Path(build_dir) / INDEX_FILE
    if not path.is_file():
        raise FileNotFoundError(f"no search index in {build_dir}")
    connection = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True,
                                 check_same_thread=False)
    connection.execute("PRAGMA temp_store = MEMORY")
    return connection


MAX_COMPLETIONS = 200
"""Words a prefix is spelled out into at most; a shorter prefix than that allows is left to
FTS5's prefix search over the stems (right for all but the stem's last letters)."""


def completions(connection: sqlite3.Connection):
    def complete(prefix: str) -> list[str]:
        start = fold(prefix)
        if not start:
            return []
        rows = connection.execute(
            "SELECT word FROM words WHERE word >= ? AND word < ? ORDER BY word LIMIT ?",
            (start, start + "\U0010ffff", MAX_COMPLETIONS + 1),
        ).fetchall()
        if len(rows) > MAX_COMPLETIONS:
            return []  # too short a prefix to spell out: FTS5's own prefix search on the stems
        return [r[0] for r in rows]

    return complete


def segments(text: str) -> tuple[Segment, ...]:
    """Text with highlight marks -> (text, matched) pieces."""
    pieces: list[Segment] = []
    rest = text
    while rest:
        start = rest.find(MARK_START)
        if start < 0:
            pieces.append(Segment(rest, False))
            break
        if start:
            pieces.append(Segment(rest[:start], False))
        end = rest.find(MARK_END, start)
        end = len(rest) if end < 0 else end
        pieces.append(Segment(rest[start + 1: end], True))
        rest = rest[end + 1:]
    return tuple(pieces)


def _filter_sql(request: SearchRequest, match: str | None) -> tuple[str, list]:
    """SQL selecting the ids of the results, and its parameters."""
    clauses, parameters = [], []
    if match is not None:
        clauses.append("SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?")
        parameters.append(match)
    for facet in FACET_NAMES:
        values = request.filters.get(facet)
        if values:
            marks = ",".join("?" * len(values))
            clauses.append(
                f"SELECT entry FROM facets WHERE facet = ? AND value IN ({marks})"
            )
            parameters += [facet, *values]
    if not clauses:
        return "SELECT id FROM entries", []
    return " INTERSECT ".join(clauses), parameters


def search(connection: sqlite3.Connection, request: SearchRequest) -> SearchResult:
    """The page of results the request asks for, with the facet counts of all its results."""
    match = to_match(request.q, completions(connection))
    size = max(1, min(request.size, MAX_PAGE_SIZE))
    request = SearchRequest(request.q, request.filters, max(1, request.page), size,
                            request.facet_names)
    ids_sql, parameters = _filter_sql(request, match)
    try:
        connection.execute("DROP TABLE IF EXISTS temp.found")
        connection.execute("CREATE TEMP TABLE found (id INTEGER PRIMARY KEY)")
        connection.execute(f"INSERT INTO temp.found {ids_sql}", parameters)
    except sqlite3.OperationalError as error:
        raise SearchSyntaxError(f"the search cannot be run: {error}") from error
    total = connection.execute("SELECT COUNT(*) FROM temp.found").fetchone()[0]
    offset = (request.page - 1) * size
    if match is not None:
        rows = connection.execute(
            "SELECT e.id, e.key, e.iri, e.kind, e.label, e.date, "
            f"bm25(entries_fts, {', '.join(map(str, WEIGHTS))}) AS score "
            "FROM entries_fts JOIN entries e ON e.id = entries_fts.rowid "
            "WHERE entries_fts MATCH ? AND entries_fts.rowid IN (SELECT * FROM temp.found) "
            "ORDER BY score, e.id LIMIT ? OFFSET ?",
            (match, size, offset),
        ).fetchall()
    else:
        rows = connection.execute(
            "SELECT e.id, e.key, e.iri, e.kind, e.label, e.date, NULL FROM entries e "
            "WHERE e.id IN (SELECT * FROM temp.found) "
            "ORDER BY e.date IS NULL, e.date DESC, e.sort_label, e.id LIMIT ? OFFSET ?",
            (size, offset),
        ).fetchall()
    highlights = _highlights(connection, match, [r[0] for r in rows])
    hits = tuple(
        Hit(key, iri, kind, label, date, score, *highlights.get(id_, _plain(connection, id_)))
        for id_, key, iri, kind, label, date, score in rows
    )
    facets = tuple(_facet_counts(connection, request))
    connection.execute("DROP TABLE IF EXISTS temp.found")
    return SearchResult(request, total, hits, facets)


def _highlights(
    connection: sqlite3.Connection, match: str | None, ids: Sequence[int]
) -> dict[int, tuple[tuple[Segment, ...], tuple[Segment, ...]]]:
    if match is None or not ids:
        return {}
    marks = ",".join("?" * len(ids))
    found = {}
    for id_, title, text, more in connection.execute(
        f"SELECT rowid, highlight(entries_fts, 0, '{MARK_START}', '{MARK_END}'), "
        f"snippet(entries_fts, 1, '{MARK_START}', '{MARK_END}', '…', 40), "
        f"snippet(entries_fts, 2, '{MARK_START}', '{MARK_END}', '…', 20) "
        f"FROM entries_fts WHERE entries_fts MATCH ? AND rowid IN ({marks})",
        (match, *ids),
    ):
        shown = text if MARK_START in text or MARK_START not in more else more
        found[id_] = (segments(title), segments(shown))
    return found


def _plain(connection: sqlite3.Connection, id_: int) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    label, text, more = connection.execute(
        "SELECT label, text, more FROM entries WHERE id = ?", (id_,)
    ).fetchone()
    shown = text or more
    words = shown.split()
    if len(words) > 40:
        shown = " ".join(words[:40]) + " …"
    return (Segment(label, False),), ((Segment(shown, False),) if shown else ())


def _facet_counts(connection: sqlite3.Connection, request: SearchRequest) -> Iterator[FacetCounts]:
    counts: dict[str, list[tuple[str, str, int]]] = {}
    for facet, value, label, count in connection.execute(
        "SELECT f.facet, f.value, COALESCE(l.label, f.value), COUNT(*) AS n "
        "FROM facets f JOIN temp.found r ON r.id = f.entry "
        "LEFT JOIN labels l ON l.value = f.value "
        "GROUP BY f.facet, f.value ORDER BY n DESC, l.label"
    ):
        counts.setdefault(facet, []).append((value, label, count))
    for facet in FACETS:
        selected = set(request.filters.get(facet.name, ()))
        values = counts.get(facet.name, [])
        if facet.name == "year":
            values = sorted(values, key=lambda v: v[0], reverse=True)
        wanted = request.facet_names.get(facet.name, "").strip()
        if wanted:
            named = _values_named(connection, wanted)
            values = [v for v in values if v[0] in named]
        if not values and not selected:
            continue
        shown = [v for v in values if v[0] in selected]
        shown += [v for v in values if v[0] not in selected][: max(0, FACET_VALUES_SHOWN - len(shown))]
        present = {v[0] for v in values}
        for value in sorted(selected - present):
            shown.append((value, _label(connection, value), 0))
        yield FacetCounts(
            facet.name,
            facet.title,
            tuple(FacetValue(v, label, n, v in selected) for v, label, n in shown),
            max(0, len(values) - len([v for v in shown if v[0] in present])),
        )


def _values_named(connection: sqlite3.Connection, text: str) -> set[str]:
    """Facet values whose name matches `text` (each word as a prefix: "smug mig" finds
    "Smuggling of Migrants")."""
    words = [w for w in text.replace('"', " ").split() if any(c.isalnum() for c in w)]
    if not words:
        return set()
    expression = " AND ".join(quoted(w) + "*" for w in words)
    return {r[0] for r in connection.execute(
        "SELECT value FROM labels_fts WHERE labels_fts MATCH ?", (expression,))}


def _label(connection: sqlite3.Connection, value: str) -> str:
    row = connection.execute("SELECT label FROM labels WHERE value = ?", (value,)).fetchone()
    return row[0] if row else value


def all_rows(connection: sqlite3.Connection, request: SearchRequest) -> Iterator[dict]:
    """Every result of a search (for CSV and JSON downloads), ranked, with its facet values."""
    match = to_match(request.q, completions(connection))
    ids_sql, parameters = _filter_sql(request, match)
    order = (
        f"(SELECT bm25(entries_fts, {', '.join(map(str, WEIGHTS))}) FROM entries_fts "
        "WHERE entries_fts MATCH ? AND rowid = e.id), e.id"
        if match is not None
        else "e.date IS NULL, e.date DESC, e.sort_label, e.id"
    )
    try:
        rows = connection.execute(
            f"SELECT e.id, e.key, e.iri, e.kind, e.label, e.text, e.date FROM entries e "
            f"WHERE e.id IN ({ids_sql}) ORDER BY {order}",
            [*parameters, *([match] if match is not None else [])],
        ).fetchall()
    except sqlite3.OperationalError as error:
        raise SearchSyntaxError(f"the search cannot be run: {error}") from error
    for id_, key, iri, kind, label, text, date in rows:
        values: dict[str, list[str]] = {}
        for facet, value in connection.execute(
            "SELECT facet, value FROM facets WHERE entry = ? ORDER BY facet, value", (id_,)
        ):
            values.setdefault(facet, []).append(value)
        yield {"key": key, "iri": iri, "kind": kind, "label": label, "text": text,
               "date": date, "facets": values}


# -- lists ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListRow:
    key: str
    iri: str
    label: str
    date: str | None
    count: int
    text: str


@dataclass(frozen=True)
class ListPage:
    kind: str
    prefix: str
    sort: str
    rows: tuple[ListRow, ...]
    total: int
    next_after: str | None
    """The key to continue after (keyset paging), or None on the last page."""


class ListError(ValueError):
    """A list cannot be given as asked (an unknown sort, a cursor of another build)."""


def list_kind(
    connection: sqlite3.Connection,
    kind: str,
    prefix: str = "",
    sort: str = "label",
    after: str | None = None,
    size: int = 50,
) -> ListPage:
    """The things of `kind` whose key starts with `prefix`, sorted by label, date or count
    ("-count": descending), keyset-paged: `after` is the key of the last row of the page
    before, so a deep page costs what the first does."""
    if kind not in BY_NAME:
        raise ListError(f"no list of {kind!r}")
    column = SORTS.get(sort.lstrip("-"))
    if column is None:
        raise ListError(f"cannot sort by {sort!r}: sort by {', '.join(SORTS)} (or -{next(iter(SORTS))})")
    descending = sort.startswith("-")
    size = max(1, min(size, MAX_PAGE_SIZE))
    where = ["kind = ?"]
    parameters: list = [kind]
    if prefix:
        where.append("substr(key, 1, ?) = ?")
        parameters += [len(prefix), prefix]
    total = connection.execute(
        f"SELECT COUNT(*) FROM entries WHERE {' AND '.join(where)}", parameters
    ).fetchone()[0]
    # NULL dates sort last either way: COALESCE to a value past (or before) every date.
    sort_value = f"COALESCE({column}, '{'' if descending else '~'}')" if column == "date" else column
    if after is not None:
        row = connection.execute(
            f"SELECT {sort_value}, id FROM entries WHERE key = ? AND kind = ?", (after, kind)
        ).fetchone()
        if row is None:
            raise ListError(f"{after!r} is not in this list (the graph may have changed): start again")
        where.append(f"({sort_value}, id) {'<' if descending else '>'} (?, ?)")
        parameters += list(row)
    direction = "DESC" if descending else "ASC"
    rows = connection.execute(
        f"SELECT key, iri, label, date, count, text FROM entries WHERE {' AND '.join(where)} "
        f"ORDER BY {sort_value} {direction}, id {direction} LIMIT ?",
        [*parameters, size + 1],
    ).fetchall()
    page = tuple(ListRow(*r) for r in rows[:size])
    return ListPage(kind, prefix, sort, page, total,
                    page[-1].key if len(rows) > size else None)


def coverage(connection: sqlite3.Connection) -> dict:
    """What the index covers: counts per kind, the bodies with their counts, the years."""
    kinds = dict(connection.execute("SELECT kind, COUNT(*) FROM entries GROUP BY kind"))
    bodies = connection.execute(
        "SELECT key, label, count FROM entries WHERE kind = 'body' AND count > 0 "
        "ORDER BY count DESC, sort_label"
    ).fetchall()
    years = connection.execute(
        "SELECT MIN(substr(date, 1, 4)), MAX(substr(date, 1, 4)) FROM entries "
        "WHERE kind = 'meeting' AND date IS NOT NULL"
    ).fetchone()
    return {"kinds": kinds, "bodies": bodies, "years": years}


def base_uri(connection: sqlite3.Connection) -> str:
    return connection.execute("SELECT value FROM meta WHERE name = 'base_uri'").fetchone()[0]


def keys(connection: sqlite3.Connection) -> Keys:
    return Keys(base_uri(connection))
