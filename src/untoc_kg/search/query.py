"""Answering a search, and listing the things of a kind, from a build's index (see `index`).

Ranking is the engine's BM25 with the label weighing more than the text; an empty search lists
everything, newest first. Facet values combine as Datasette's do: values of one facet are
alternatives (OR), facets narrow one another (AND), and each facet's counts are those of the
results as they stand.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tantivy

from untoc_kg.search import syntax
from untoc_kg.search.engine import BOOSTS, ENGINE_DIR, TEXT_FIELDS, analyzer, open_engine
from untoc_kg.search.index import INDEX_FILE, fold
from untoc_kg.search.kinds import BY_NAME, FACET_NAMES, FACETS
from untoc_kg.search.syntax import SearchSyntaxError, quoted

PAGE_SIZE = 20
MAX_PAGE_SIZE = 500
FACET_VALUES_SHOWN = 12
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
    more: bool
    """Other values have results too (find them by name)."""
    counted: bool = True
    """False for a facet of many values over a very broad search, left uncounted (see
    `COUNTED_UP_TO`)."""


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
"""Words a prefix is spelled out into at most; a shorter prefix is matched against the stems."""


@dataclass(frozen=True)
class Searcher:
    """What a search reads: the records (SQLite) and the engine (tantivy), of one build."""

    records: sqlite3.Connection
    engine: tantivy.Index

    def close(self) -> None:
        self.records.close()


def open_searcher(build_dir: Path, engine_index: tantivy.Index | None = None) -> Searcher:
    """The build's index; pass `engine_index` to reuse an opened engine (the server keeps one per
    build: opening it reads its metadata)."""
    return Searcher(open_index(build_dir),
                    engine_index or open_engine(Path(build_dir) / ENGINE_DIR))


def completions(connection: sqlite3.Connection, prefix: str) -> list[str] | None:
    """The indexed words `prefix` begins, or None when there are too many to spell out."""
    start = fold(prefix)
    if not start:
        return []
    rows = connection.execute(
        "SELECT word FROM words WHERE word >= ? AND word < ? ORDER BY word LIMIT ?",
        (start, start + "\U0010ffff", MAX_COMPLETIONS + 1),
    ).fetchall()
    return None if len(rows) > MAX_COMPLETIONS else [r[0] for r in rows]


class _Queries:
    """The syntax tree -> tantivy queries, each leaf over the label, text and other names."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self.schema = searcher.engine.schema
        self.analyze = analyzer().analyze

    def over_fields(self, tokens: list[str]) -> tantivy.Query | None:
        if not tokens:
            return None
        parts = []
        for field in TEXT_FIELDS:
            query = (tantivy.Query.term_query(self.schema, field, tokens[0]) if len(tokens) == 1
                     else tantivy.Query.phrase_query(self.schema, field, tokens))
            parts.append((tantivy.Occur.Should, tantivy.Query.boost_query(query, BOOSTS[field])))
        return tantivy.Query.boolean_query(parts)

    def any_of(self, queries: list[tantivy.Query | None]) -> tantivy.Query:
        found = [q for q in queries if q is not None]
        if not found:
            return tantivy.Query.empty_query()
        if len(found) == 1:
            return found[0]
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in found])

    def query(self, node: syntax.Node) -> tantivy.Query:
        if isinstance(node, syntax.Word):
            return self.any_of([self.over_fields(self.analyze(form)) for form in node.forms])
        if isinstance(node, syntax.Phrase):
            return self.any_of([self.over_fields(self.analyze(node.text))])
        if isinstance(node, syntax.Prefix):
            return self.prefix(node.text)
        if isinstance(node, syntax.All):
            return tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, self.query(p)) for p in node.parts])
        if isinstance(node, syntax.Any_):
            return self.any_of([self.query(p) for p in node.parts])
        if isinstance(node, syntax.Without):
            return tantivy.Query.boolean_query([
                (tantivy.Occur.Must, self.query(node.kept)),
                (tantivy.Occur.MustNot, self.query(node.left_out)),
            ])
        raise TypeError(node)

    def prefix(self, text: str) -> tantivy.Query:
        # The engine holds stems: "migrati" begins no stem ("migrat"), so a prefix is searched
        # as the words it begins, each stemmed as the text was.
        words = completions(self.searcher.records, text)
        if words is None:  # a short prefix: it begins the stems too
            pattern = re.escape(fold(text)) + ".*"
            return tantivy.Query.boolean_query([
                (tantivy.Occur.Should, tantivy.Query.boost_query(
                    tantivy.Query.regex_query(self.schema, field, pattern), BOOSTS[field]))
                for field in TEXT_FIELDS])
        stems = sorted({stem for word in words for stem in self.analyze(word)})
        return self.any_of([self.over_fields([stem]) for stem in stems])

    def filtered(self, request: SearchRequest) -> tantivy.Query:
        """The request's query: the text's, narrowed by each facet (values as alternatives)."""
        node = syntax.parse(request.q)
        parts = [(tantivy.Occur.Must, self.query(node) if node is not None
                  else tantivy.Query.all_query())]
        for facet in FACET_NAMES:
            values = request.filters.get(facet)
            if values:
                parts.append((tantivy.Occur.Must, tantivy.Query.const_score_query(
                    self.any_of([tantivy.Query.term_query(self.schema, facet, v) for v in values]),
                    0.0)))
        return tantivy.Query.boolean_query(parts)


def search(searcher: Searcher, request: SearchRequest) -> SearchResult:
    """The page of results the request asks for, with the facet counts of all its results."""
    size = max(1, min(request.size, MAX_PAGE_SIZE))
    request = SearchRequest(request.q, request.filters, max(1, request.page), size,
                            request.facet_names)
    queries = _Queries(searcher)
    query = queries.filtered(request)
    engine = searcher.engine.searcher()
    offset = (request.page - 1) * size
    ranked = syntax.parse(request.q) is not None
    try:
        if ranked:
            found = engine.search(query, size, count=True, offset=offset)
        else:
            found = engine.search(query, size, count=True, offset=offset,
                                  order_by_field="date", order=tantivy.Order.Desc)
    except ValueError as error:
        raise SearchSyntaxError(f"the search cannot be run: {error}") from error
    documents = [(score, engine.doc(address)) for score, address in found.hits]
    generators = (
        {field: _snippets(engine, query, searcher.engine.schema, field) for field in TEXT_FIELDS}
        if ranked else {}
    )
    rows = _rows(searcher.records, [d["key"][0] for _, d in documents])
    hits = []
    for score, document in documents:
        key = document["key"][0]
        if key not in rows:
            continue
        iri, kind, label, date = rows[key]
        title, snippet = _highlights(generators, document)
        hits.append(Hit(key, iri, kind, label, date, score if ranked else None, title, snippet))
    counts = _aggregate(engine, query, request, found.count)
    return SearchResult(request, found.count, tuple(hits),
                        tuple(_facet_counts(searcher.records, request, counts)))


def _snippets(engine: Any, query: tantivy.Query, schema: tantivy.Schema, field: str) -> Any:
    generator = tantivy.SnippetGenerator.create(engine, query, schema, field)
    generator.set_max_num_chars(240 if field != "label" else 1000)
    return generator


def _rows(connection: sqlite3.Connection, keys: list[str]) -> dict[str, tuple]:
    if not keys:
        return {}
    marks = ",".join("?" * len(keys))
    return {key: rest for key, *rest in connection.execute(
        f"SELECT key, iri, kind, label, date FROM entries WHERE key IN ({marks})", keys)}


def _pieces(snippet: Any) -> tuple[Segment, ...]:
    text = snippet.fragment()
    pieces, at = [], 0
    for span in sorted(snippet.highlighted(), key=lambda r: r.start):
        if span.start > at:
            pieces.append(Segment(text[at: span.start], False))
        pieces.append(Segment(text[span.start: span.end], True))
        at = span.end
    if at < len(text):
        pieces.append(Segment(text[at:], False))
    return tuple(pieces)


def _highlights(generators: dict, document: Any) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    label = document["label"][0] if document["label"] else ""
    text = document["text"][0] if document["text"] else ""
    more = document["more"][0] if document["more"] else ""
    if not generators:
        return (Segment(label, False),), _shortened(text or more)
    title = _pieces(generators["label"].snippet_from_doc(document))
    if not any(p.match for p in title):
        title = (Segment(label, False),)
    snippet = _pieces(generators["text"].snippet_from_doc(document)) if text else ()
    if not any(p.match for p in snippet) and more:
        other = _pieces(generators["more"].snippet_from_doc(document))
        if any(p.match for p in other):
            snippet = other
    return title, snippet or _shortened(text or more)


def _shortened(text: str) -> tuple[Segment, ...]:
    words = text.split()
    if len(words) > 40:
        text = " ".join(words[:40]) + " …"
    return (Segment(text, False),) if text else ()


FACET_BUCKETS = 1000
"""Values fetched for a facet being searched by name (its other values are never listed)."""
MANY_VALUED = ("meeting", "section", "document")
"""Facets with a value per meeting or document: thousands in a large graph."""
COUNTED_UP_TO = 20_000
"""Results up to which the many-valued facets are counted. Past it their counts cost most of a
search (at 100,000 recommendations: 27 of 42 ms for a word in most of them; bench/search.py)
and say little (the top twelve of thousands of meetings): the page asks to narrow the search."""


def _aggregate(
    engine: Any, query: tantivy.Query, request: SearchRequest, total: int
) -> dict[str, tuple[list, bool] | None]:
    """facet -> (the first values with their counts, whether there are more), or None when
    the facet is left uncounted."""
    aggregations = {}
    for facet in FACET_NAMES:
        chosen = bool(request.filters.get(facet)) or facet in request.facet_names
        if facet in MANY_VALUED and total > COUNTED_UP_TO and not chosen:
            continue
        size = (FACET_BUCKETS if facet in request.facet_names
                else FACET_VALUES_SHOWN + len(request.filters.get(facet, ())))
        aggregations[facet] = {"terms": {"field": facet, "size": size}}
    answer = engine.aggregate(query, aggregations) if aggregations else {}
    found: dict[str, tuple[list, bool] | None] = {}
    for facet in FACET_NAMES:
        if facet not in aggregations:
            found[facet] = None
            continue
        result = answer.get(facet, {})
        found[facet] = ([(b["key"], b["doc_count"]) for b in result.get("buckets", [])],
                        result.get("sum_other_doc_count", 0) > 0)
    return found


def _facet_counts(
    connection: sqlite3.Connection, request: SearchRequest,
    counts: dict[str, tuple[list, bool] | None],
) -> Iterator[FacetCounts]:
    listed = {f: c[0] for f, c in counts.items() if c is not None}
    wanted_labels = {v for values in listed.values() for v, _ in values[:FACET_VALUES_SHOWN]}
    wanted_labels |= {v for values in request.filters.values() for v in values}
    named: dict[str, set[str]] = {}
    for facet, text in request.facet_names.items():
        if text.strip():
            named[facet] = _values_named(connection, text)
            wanted_labels |= {v for v, _ in listed.get(facet, []) if v in named[facet]}
    labels = _labels(connection, wanted_labels)
    for facet in FACETS:
        selected = set(request.filters.get(facet.name, ()))
        if counts.get(facet.name) is None:
            yield FacetCounts(facet.name, facet.title, (), True, counted=False)
            continue
        values, more = counts[facet.name]
        if facet.name in named:
            values = [v for v in values if v[0] in named[facet.name]]
        if facet.name == "year":
            values = sorted(values, reverse=True)
        if not values and not selected:
            continue
        shown = [v for v in values if v[0] in selected]
        shown += [v for v in values if v[0] not in selected][: max(0, FACET_VALUES_SHOWN - len(shown))]
        present = {v for v, _ in values}
        shown += [(v, 0) for v in sorted(selected - present)]
        yield FacetCounts(
            facet.name, facet.title,
            tuple(FacetValue(v, labels.get(v, v), n, v in selected) for v, n in shown),
            more or len(values) > len([v for v, _ in shown if v in present]),
        )


def _labels(connection: sqlite3.Connection, values: set[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    ordered = sorted(values)
    for start in range(0, len(ordered), 400):
        chunk = ordered[start: start + 400]
        found.update(connection.execute(
            f"SELECT value, label FROM labels WHERE value IN ({','.join('?' * len(chunk))})", chunk))
    return found


def _values_named(connection: sqlite3.Connection, text: str) -> set[str]:
    """Facet values whose name matches `text` (each word as a prefix: "smug mig" finds
    "Smuggling of Migrants")."""
    words = [w for w in text.replace('"', " ").split() if any(c.isalnum() for c in w)]
    if not words:
        return set()
    expression = " AND ".join(quoted(w) + "*" for w in words)
    return {r[0] for r in connection.execute(
        "SELECT value FROM labels_fts WHERE labels_fts MATCH ?", (expression,))}


def all_rows(searcher: Searcher, request: SearchRequest) -> Iterator[dict]:
    """Every result of a search (for CSV and JSON downloads), ranked, with its facet values."""
    query = _Queries(searcher).filtered(request)
    engine = searcher.engine.searcher()
    total = engine.search(query, 1, count=True).count
    ranked = syntax.parse(request.q) is not None
    found = engine.search(query, max(1, total), count=False, **(
        {} if ranked else {"order_by_field": "date", "order": tantivy.Order.Desc}))
    keys = [engine.doc(address)["key"][0] for _, address in found.hits]
    for start in range(0, len(keys), 400):
        chunk = keys[start: start + 400]
        rows = {row[1]: row for row in searcher.records.execute(
            "SELECT id, key, iri, kind, label, text, date FROM entries WHERE key IN "
            f"({','.join('?' * len(chunk))})", chunk)}
        for key in chunk:
            if key not in rows:
                continue
            id_, key, iri, kind, label, text, date = rows[key]
            values: dict[str, list[str]] = {}
            for facet, value in searcher.records.execute(
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
