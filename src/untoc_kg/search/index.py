"""The search index of a build, beside the store: the records of what is found, in one SQLite file
(`search.sqlite`), and the full-text engine made from them (`search.tantivy/`, see `engine`). The
records are made from the store by SPARQL queries (queries/*.rq, queries/facets/*.rq), so the index holds what
the published graph holds and nothing else.

    entries      one row per thing found (recommendation, meeting, document, State, ...), with its
                 local key (its IRI less the base URI), label, text, date and count
    facets       (entry, facet, value): the facet values of each entry, values as local keys
    labels       facet value -> the name it is shown and searched by (labels_fts)
    words        every word of the text, folded, unstemmed: a prefix search ("migrati*") is
                 answered with the words it begins (the engine holds stems: "migrat", not
                 "migration")

The file is written under a temporary name and renamed into place, and a build dir is published
whole by switching `current`, so a reader only ever opens a finished index. An update copies the
previous build's index and re-reads from the new store only the things the update touched.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Protocol

from untoc_kg.search import engine
from untoc_kg.search.kinds import BY_CLASS, BY_NAME, KINDS
from untoc_kg.sparql.named_queries import NamedQuery, parse_query

INDEX_FILE = "search.sqlite"
FORMAT = "2"
"""Bumped when the schema changes: the server rebuilds an index of another format."""
TOKENIZER = "unicode61 remove_diacritics 2"
"""For the facet names, searched by word prefixes ("smug mig"): folded, not stemmed."""
BATCH = 400
"""Subjects per VALUES block when an update re-reads what it touched."""

SCHEMA = f"""
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entries (
  id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, iri TEXT NOT NULL, kind TEXT NOT NULL,
  label TEXT NOT NULL, text TEXT NOT NULL, more TEXT NOT NULL, date TEXT,
  sort_label TEXT NOT NULL, count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX entries_by_label ON entries (kind, sort_label, id);
CREATE INDEX entries_by_date ON entries (kind, date, id);
CREATE INDEX entries_by_count ON entries (kind, count, id);
CREATE TABLE facets (
  entry INTEGER NOT NULL, facet TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (facet, value, entry)
) WITHOUT ROWID;
CREATE INDEX facets_by_entry ON facets (entry, facet, value);
CREATE TABLE labels (value TEXT PRIMARY KEY, label TEXT NOT NULL);
CREATE TABLE words (word TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE VIRTUAL TABLE labels_fts USING fts5(value UNINDEXED, label, tokenize = '{TOKENIZER}');
"""


class Store(Protocol):
    """What the index reads: a pyoxigraph store, read-only or not (or the remote one)."""

    def query(self, query: str) -> Any: ...


@cache
def queries() -> dict[str, NamedQuery]:
    folder = files(__package__).joinpath("queries")
    return {
        name: parse_query(name, folder.joinpath(f"{name}.rq").read_text(encoding="utf-8"))
        for name in ("entries", "labels")
    }


@cache
def facet_queries() -> dict[str, NamedQuery]:
    """One query per facet (queries/facets/NAME.rq, answering ?s ?value): each a plain pattern,
    so a VALUES block of subjects is joined first (a UNION of them all was evaluated whole,
    then joined: 7 s for one meeting's update at 10,000 recommendations)."""
    folder = files(__package__).joinpath("queries").joinpath("facets")
    return {
        entry.name.removesuffix(".rq"): parse_query(
            entry.name.removesuffix(".rq"), entry.read_text(encoding="utf-8"))
        for entry in sorted(folder.iterdir(), key=lambda e: e.name) if entry.name.endswith(".rq")
    }


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def restricted(query: NamedQuery, subjects: Sequence[str] | None) -> str:
    """The query, for the given subjects only (a VALUES block opening its WHERE), or all."""
    if subjects is None:
        return query.text
    match = _WHERE.search(query.text)
    assert match is not None, query.name
    values = " ".join(f"<{s}>" for s in subjects)
    return f"{query.text[: match.end()]}\n  VALUES ?s {{ {values} }}{query.text[match.end():]}"


def fold(text: str) -> str:
    """Case and accents folded, as the tokenizer folds them."""
    if text.isascii():
        return text.lower()  # most text: no accent to take off (and 10x quicker)
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


_WORD = re.compile(r"[^\W_]+")


def words(*texts: str) -> set[str]:
    return {w for text in texts for w in _WORD.findall(fold(text))}


def sort_label(label: str) -> str:
    """A label's sort key: case and accents folded, numbers compared as numbers ("9" < "10")."""
    return re.sub(r"\d+", lambda m: m.group(0).zfill(10), fold(label))


class Keys:
    """IRIs as local keys: the part after the base URI (an IRI of someone else's stays whole)."""

    def __init__(self, base_uri: str) -> None:
        self.base_uri = base_uri

    def key(self, iri: str) -> str:
        return iri[len(self.base_uri):] if iri.startswith(self.base_uri) else iri

    def iri(self, key: str) -> str:
        return key if "://" in key else self.base_uri + key


def _value(solution: Any, name: str) -> str | None:
    term = solution[name]
    return None if term is None else term.value


def read_entries(store: Store, keys: Keys, subjects: Sequence[str] | None) -> Iterator[tuple]:
    """(key, iri, kind, label, text, more, date) of the things found among `subjects` (all)."""
    for solution in store.query(restricted(queries()["entries"], subjects)):
        iri, cls = _value(solution, "s"), _value(solution, "class")
        kind = BY_CLASS.get(cls or "")
        if iri is None or kind is None:
            continue
        key = keys.key(iri)
        label = _value(solution, "label") or key.rsplit("/", 1)[-1]
        date = _value(solution, "date")
        yield (key, iri, kind.name, label, _value(solution, "text") or "",
               _value(solution, "more") or "", date[:10] if date else None)


def read_facets(store: Store, keys: Keys, subjects: Sequence[str] | None) -> Iterator[tuple]:
    """(subject key, facet, value key) of `subjects` (all)."""
    for facet, query in facet_queries().items():
        for solution in store.query(restricted(query, subjects)):
            yield keys.key(solution["s"].value), facet, keys.key(solution["value"].value)


def read_labels(store: Store, iris: Sequence[str]) -> Iterator[tuple[str, str]]:
    for chunk in _chunks(iris, BATCH):
        for solution in store.query(restricted(queries()["labels"], chunk)):
            if solution["label"] is not None:
                yield solution["s"].value, solution["label"].value


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start: start + size]


def connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(str(path), isolation_level=None)
    connection.execute("PRAGMA journal_mode = OFF")
    connection.execute("PRAGMA synchronous = OFF")
    return connection


def build_index(store: Store, build_dir: Path, base_uri: str) -> Path:
    """Write `build_dir/search.sqlite` from the store (replacing any there); returns its path."""
    target = Path(build_dir) / INDEX_FILE
    temporary = target.with_name(f".{INDEX_FILE}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    connection = connect(temporary)
    try:
        connection.executescript(SCHEMA)
        connection.executemany(
            "INSERT INTO meta VALUES (?, ?)", [("format", FORMAT), ("base_uri", base_uri)]
        )
        _index(connection, store, Keys(base_uri), None)
        _switch_engine(build_dir, lambda folder: engine.write_engine(connection, folder))
    finally:
        connection.close()
    os.replace(temporary, target)  # last: a finished records file means a finished index
    return target


def _switch_engine(build_dir: Path, write: Any) -> None:
    """Write the engine's folder under a temporary name, then rename it into place."""
    final = Path(build_dir) / engine.ENGINE_DIR
    temporary = final.with_name(f".{engine.ENGINE_DIR}.{os.getpid()}.tmp")
    write(temporary)
    if final.exists():
        shutil.rmtree(final)
    os.replace(temporary, final)


def update_index(
    store: Store, previous_build: Path, build_dir: Path, base_uri: str, changed: Iterable[str]
) -> Path:
    """`build_dir`'s index: the previous build's, with what `changed` (IRIs whose triples the
    update removed or added) touches read again from `store`, the new build's store. Rebuilt
    whole when the previous build has no index of this format."""
    source = Path(previous_build) / INDEX_FILE
    target = Path(build_dir) / INDEX_FILE
    if index_format(source) != FORMAT or not (Path(previous_build) / engine.ENGINE_DIR).is_dir():
        return build_index(store, build_dir, base_uri)
    temporary = target.with_name(f".{INDEX_FILE}.{os.getpid()}.tmp")
    shutil.copyfile(source, temporary)
    keys = Keys(base_uri)
    connection = connect(temporary)
    try:
        touched = _touched(connection, {keys.key(iri) for iri in changed})
        forgotten = _forget(connection, touched)
        subjects = sorted({keys.iri(k) for k in touched})
        for chunk in _chunks(subjects, BATCH):
            _index(connection, store, keys, chunk)
        added = _known(connection, touched)
        _switch_engine(build_dir, lambda folder: engine.update_engine(
            Path(previous_build) / engine.ENGINE_DIR, folder, connection, forgotten, added))
    finally:
        connection.close()
    os.replace(temporary, target)
    return target


def index_format(path: Path) -> str | None:
    if not Path(path).is_file():
        return None
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = connection.execute("SELECT value FROM meta WHERE name = 'format'").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def _touched(connection: sqlite3.Connection, changed: set[str]) -> set[str]:
    """The keys to read again: the changed ones, the entries a changed key is part of (an
    attendance is under its meeting's key), and the recommendations of a changed meeting (their
    year is the meeting's)."""
    touched = set(changed)
    for key in changed:
        parts = key.split("/")
        touched.update("/".join(parts[:n]) for n in range(1, len(parts)))
    listed = sorted(touched)
    for chunk in _chunks(listed, BATCH):
        marks = ",".join("?" * len(chunk))
        touched.update(
            row[0] for row in connection.execute(
                f"SELECT e.key FROM facets f JOIN entries e ON e.id = f.entry "
                f"WHERE f.facet = 'meeting' AND f.value IN ({marks})", chunk
            )
        )
    # New things are among the changed keys themselves; prefixes are only read if known.
    return _known(connection, touched) | changed


def _known(connection: sqlite3.Connection, keys: set[str]) -> set[str]:
    """Those of `keys` the records hold."""
    known = set()
    for chunk in _chunks(sorted(keys), BATCH):
        marks = ",".join("?" * len(chunk))
        known.update(r[0] for r in connection.execute(
            f"SELECT key FROM entries WHERE key IN ({marks})", chunk))
    return known


def _forget(connection: sqlite3.Connection, keys: set[str]) -> set[str]:
    """Drop the entries of `keys`; returns the keys that were there."""
    forgotten = _known(connection, keys)
    for chunk in _chunks(sorted(keys), BATCH):
        marks = ",".join("?" * len(chunk))
        # a facet value's label is read again too: the thing's own label may have changed
        connection.execute(f"DELETE FROM labels WHERE value IN ({marks})", chunk)
        connection.execute(f"DELETE FROM labels_fts WHERE value IN ({marks})", chunk)
        ids = [r[0] for r in connection.execute(
            f"SELECT id FROM entries WHERE key IN ({marks})", chunk)]
        if not ids:
            continue
        id_marks = ",".join("?" * len(ids))
        connection.execute(f"DELETE FROM facets WHERE entry IN ({id_marks})", ids)
        connection.execute(f"DELETE FROM entries WHERE id IN ({id_marks})", ids)
    return forgotten


def _index(
    connection: sqlite3.Connection, store: Store, keys: Keys, subjects: Sequence[str] | None
) -> None:
    """Add the entries of `subjects` (all) with their facets, labels and counts."""
    connection.execute("BEGIN")
    ids: dict[str, int] = {}
    vocabulary: set[str] = set()
    rows: list[tuple[int, str, str]] = []
    for key, iri, kind, label, text, more, date in read_entries(store, keys, subjects):
        cursor = connection.execute(
            "INSERT INTO entries (key, iri, kind, label, text, more, date, sort_label) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (key, iri, kind, label, text, more, date, sort_label(label)),
        )
        ids[key] = cursor.lastrowid
        vocabulary |= words(label, text, more)
        rows.append((cursor.lastrowid, "kind", kind))
        if date:
            rows.append((cursor.lastrowid, "year", date[:4]))
    connection.executemany("INSERT OR IGNORE INTO words VALUES (?)", ((w,) for w in vocabulary))
    connection.executemany("INSERT OR IGNORE INTO facets VALUES (?, ?, ?)", rows)
    connection.executemany(
        "INSERT OR IGNORE INTO facets VALUES (?, ?, ?)",
        ((ids[s], facet, value) for s, facet, value in read_facets(store, keys, subjects)
         if s in ids),
    )
    _label(connection, store, keys)
    _count(connection)
    connection.execute("COMMIT")


def _label(connection: sqlite3.Connection, store: Store, keys: Keys) -> None:
    """A label for every facet value that has none yet: an entry's own label, a kind's title, a
    year as itself, else the store's rdfs:label."""
    missing = [r[0] for r in connection.execute(
        "SELECT DISTINCT f.value FROM facets f LEFT JOIN labels l ON l.value = f.value "
        "WHERE l.value IS NULL")]
    found: dict[str, str] = {}
    for value in missing:
        if value in BY_NAME:
            found[value] = BY_NAME[value].title
        elif value.isdigit():
            found[value] = value
    entry_labels = {}
    for chunk in _chunks([v for v in missing if v not in found], BATCH):
        marks = ",".join("?" * len(chunk))
        entry_labels.update(connection.execute(
            f"SELECT key, label FROM entries WHERE key IN ({marks})", chunk))
    found.update(entry_labels)
    rest = [keys.iri(v) for v in missing if v not in found]
    found.update((keys.key(iri), label) for iri, label in read_labels(store, rest))
    for value in missing:
        label = found.get(value, value.rsplit("/", 1)[-1])
        connection.execute("INSERT INTO labels VALUES (?, ?)", (value, label))
        connection.execute("INSERT INTO labels_fts VALUES (?, ?)", (value, label))


def _count(connection: sqlite3.Connection) -> None:
    """Each entry's count: how many entries name it in its kind's `counted_by` facet."""
    for kind in KINDS:
        if kind.counted_by:
            connection.execute(
                "UPDATE entries SET count = (SELECT COUNT(*) FROM facets f "
                "JOIN facets k ON k.entry = f.entry AND k.facet = 'kind' AND k.value = ? "
                "WHERE f.facet = ? AND f.value = entries.key) WHERE kind = ?",
                (kind.counted_kind, kind.counted_by, kind.name),
            )
