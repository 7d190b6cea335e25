"""What a build keeps of its documents: builds/<id>/records/<sha256>.json (the records of each
document, losslessly: `untoc_kg.records_json`) and records/index.sqlite (the `Index`).

The index holds what an update needs without reading every document: which documents touch
each unit (`units`), and the corpus-wide counts the aggregate resources are made of (the names
a State is printed under, the names of organisations, the names of bodies). Counts, not sets, so
that withdrawing a document subtracts exactly what it brought.

On disk the index is SQLite (`IndexFile`), not one pickle: an update copies the file and changes
only the rows of the units it touches, where a pickle had to be read and written whole (seconds
at 100,000 recommendations).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Self

from untoc_kg.records import Document
from untoc_kg.records_json import document_from_json, document_to_json
from untoc_kg.graph.corpus import CorpusFacts
from untoc_kg.graph.merge import RecommendationKey, recommendation_key, recommendation_uri_of
from untoc_kg.graph.uris import Minter

from untoc_kg.graph.units import document_units
from untoc_kg.errors import RecordsError

RECORDS = "records"
INDEX = "index.sqlite"
INDEX_FORMAT = 3


@dataclass(frozen=True)
class DocumentEntry:
    source: str
    symbol: str | None


@dataclass(frozen=True)
class Index:
    units: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Unit URI -> checksums of the documents that touch it."""
    documents: Mapping[str, DocumentEntry] = field(default_factory=dict)
    """Checksum -> the document's file name and symbol."""
    recommendations: Mapping[str, RecommendationKey] = field(default_factory=dict)
    """Recommendation URI -> its key: the order the dataset's example uses."""
    facts: CorpusFacts = field(default_factory=CorpusFacts)
    """The corpus-wide names the States, organisations and bodies are made of."""


def contribution(mint: Minter, document: Document) -> Index:
    """What one document brings to the index."""
    recommendations = {
        str(recommendation_uri_of(mint, key, document.body.name)): key
        for key in map(recommendation_key, document.recommendations)
    }
    return Index(
        units={
            unit: frozenset({document.sha256})
            for unit in document_units(mint, document)
        },
        documents={document.sha256: DocumentEntry(document.source, document.symbol)},
        recommendations=recommendations,
        facts=CorpusFacts.of(document),
    )


def revised(index: Index, added: Sequence[Index], removed: Sequence[Index]) -> Index:
    """`index` with what `added` bring and without what `removed` brought. Given an
    `IndexFile.corpus` (no units), only the corpus-wide part of the result is whole: the file's
    own rows are revised by `IndexFile.revise`."""
    units = {unit: set(shas) for unit, shas in index.units.items()}
    documents = dict(index.documents)
    recommendations = dict(index.recommendations)
    for part in removed:
        for unit, shas in part.units.items():
            units.get(unit, set()).difference_update(shas)
        for sha in part.documents:
            documents.pop(sha, None)
    for part in added:
        for unit, shas in part.units.items():
            units.setdefault(unit, set()).update(shas)
        documents.update(part.documents)
        recommendations.update(part.recommendations)
    kept = {unit: frozenset(shas) for unit, shas in units.items() if shas}
    facts = CorpusFacts.total(p.facts for p in removed)
    return Index(
        units=kept,
        documents=documents,
        recommendations={
            uri: key for uri, key in recommendations.items() if uri in kept
        },
        facts=(index.facts - facts) + CorpusFacts.total(p.facts for p in added),
    )


# ---------------------------------------------------------------- on disk


def records_dir(build_dir: Path) -> Path:
    return Path(build_dir) / RECORDS


def write_document(folder: Path, document: Document) -> None:
    path = Path(folder) / f"{document.sha256}.json"
    path.write_text(
        json.dumps(document_to_json(document), ensure_ascii=False), encoding="utf-8"
    )


def read_documents(folder: Path, shas: Iterable[str]) -> tuple[Document, ...]:
    """The records of the documents `shas` of a build, in checksum order."""
    found = []
    for sha in sorted(shas):
        path = Path(folder) / f"{sha}.json"
        try:
            found.append(
                document_from_json(json.loads(path.read_text(encoding="utf-8")))
            )
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise RecordsError(
                f"{path}: cannot read the records of this document ({error})"
            ) from error
    return tuple(found)




class RecordKeeper:
    """Keeps the records of the documents a build reads, as they stream past (a build reads
    them once), then their index."""

    def __init__(self, build_dir: Path, base_uri: str) -> None:
        self.folder = records_dir(build_dir)
        self.mint = Minter(base_uri)
        self.parts: list[Index] = []

    def keep(self, documents: Iterable[Document]) -> Iterator[Document]:
        self.folder.mkdir(exist_ok=True)
        for document in documents:
            write_document(self.folder, document)
            self.parts.append(contribution(self.mint, document))
            yield document

    def finish(self) -> Index:
        self.folder.mkdir(exist_ok=True)
        index = revised(Index(), self.parts, [])
        write_index(self.folder, index)
        return index


def carry_records(
    old_build: Path,
    new_build: Path,
    keep: Iterable[str],
    documents: Sequence[Document],
) -> None:
    """The records of an updated build: the old build's files of `keep` (hard links: they never
    change, so nothing is read or rewritten) and the records of the new `documents`. The index
    is `revise_index_copy`'s."""
    old, new = records_dir(old_build), records_dir(new_build)
    new.mkdir(exist_ok=True)
    for sha in keep:
        name = f"{sha}.json"
        try:
            os.link(old / name, new / name)
        except OSError:
            (new / name).write_bytes((old / name).read_bytes())
    for document in documents:
        write_document(new, document)


SCHEMA = """
CREATE TABLE units (unit TEXT NOT NULL, sha TEXT NOT NULL, PRIMARY KEY (unit, sha)) WITHOUT ROWID;
CREATE TABLE documents (sha TEXT PRIMARY KEY, source TEXT NOT NULL, symbol TEXT) WITHOUT ROWID;
CREATE TABLE recommendations (
    uri TEXT PRIMARY KEY, body TEXT, meeting INTEGER NOT NULL, day TEXT NOT NULL,
    reviewed TEXT NOT NULL, seq INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX recommendation_order ON recommendations (body, meeting, day, reviewed, seq, uri);
CREATE TABLE state_names (iso3 TEXT, name TEXT, n INTEGER, PRIMARY KEY (iso3, name)) WITHOUT ROWID;
CREATE TABLE person_states (state TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID;
CREATE TABLE org_full (key TEXT, name TEXT, n INTEGER, PRIMARY KEY (key, name)) WITHOUT ROWID;
CREATE TABLE org_short (key TEXT, name TEXT, n INTEGER, PRIMARY KEY (key, name)) WITHOUT ROWID;
CREATE TABLE body_names (symbol TEXT, sha TEXT, name TEXT, PRIMARY KEY (symbol, sha)) WITHOUT ROWID;
"""
"""One table per mapping of the `Index` (its `CorpusFacts` are the small ones). `units` and `recommendations` grow with the graph and are
only ever read and written by the rows an update touches; the rest are corpus-wide counts of a
few thousand rows at most, read whole (the aggregate resources are made of all of them)."""

_PAIR_COUNTERS = ("state_names", "org_full", "org_short")


def write_index(folder: Path, index: Index) -> None:
    """The build's index, written once in bulk (`IndexFile.revise` updates a copy in place)."""
    temporary = Path(folder) / f".{INDEX}.tmp"
    temporary.unlink(missing_ok=True)
    db = sqlite3.connect(temporary)
    try:
        with db:
            db.executescript(SCHEMA)
            db.execute(f"PRAGMA user_version = {INDEX_FORMAT}")
            db.executemany(
                "INSERT INTO units VALUES (?, ?)",
                ((unit, sha) for unit, shas in index.units.items() for sha in shas),
            )
            db.executemany(
                "INSERT INTO recommendations VALUES (?, ?, ?, ?, ?, ?)",
                ((uri, *key) for uri, key in index.recommendations.items()),
            )
            _write_corpus_wide(db, index)
    finally:
        db.close()
    os.replace(temporary, Path(folder) / INDEX)


def _write_corpus_wide(db: sqlite3.Connection, index: Index) -> None:
    """The small tables, whole: documents, counts and body names."""
    for table in ("documents", "person_states", "body_names", *_PAIR_COUNTERS):
        db.execute(f"DELETE FROM {table}")
    db.executemany(
        "INSERT INTO documents VALUES (?, ?, ?)",
        ((sha, e.source, e.symbol) for sha, e in index.documents.items()),
    )
    facts = index.facts
    db.executemany("INSERT INTO person_states VALUES (?, ?)", facts.person_states.items())
    for table in _PAIR_COUNTERS:
        db.executemany(
            f"INSERT INTO {table} VALUES (?, ?, ?)",
            ((*key, n) for key, n in getattr(facts, table).items()),
        )
    db.executemany(
        "INSERT INTO body_names VALUES (?, ?, ?)",
        ((*key, name) for key, name in facts.body_names.items()),
    )


class IndexFile:
    """A build's index on disk. `corpus` is what is read whole (an `Index` without `units` and
    `recommendations`: ask `shas` and `example`, which read only the rows they need)."""

    def __init__(self, path: Path, writable: bool = False) -> None:
        self.path = Path(path)
        mode = "rw" if writable else "ro"
        try:
            self.db = sqlite3.connect(f"file:{self.path}?mode={mode}", uri=True)
            found = self.db.execute("PRAGMA user_version").fetchone()[0]
            if found != INDEX_FORMAT:
                raise ValueError(f"index format {found!r}, expected {INDEX_FORMAT}")
            self.corpus = self._read_corpus_wide()
        except (sqlite3.Error, ValueError) as error:
            raise RecordsError(
                f"{self.path}: the published build keeps no readable records index ({error}); "
                "rebuild it with `untoc-kg build` to add documents to it"
            ) from error

    def _read_corpus_wide(self) -> Index:
        rows = self.db.execute
        return Index(
            documents={
                sha: DocumentEntry(source, symbol)
                for sha, source, symbol in rows("SELECT sha, source, symbol FROM documents")
            },
            facts=CorpusFacts(
                person_states=Counter(dict(rows("SELECT state, n FROM person_states"))),
                body_names=MappingProxyType({
                    (symbol, sha): name
                    for symbol, sha, name in rows("SELECT symbol, sha, name FROM body_names")
                }),
                **{
                    table: Counter({(a, b): n for a, b, n in rows(f"SELECT * FROM {table}")})
                    for table in _PAIR_COUNTERS
                },
            ),
        )

    def shas(self, units: Iterable[str]) -> frozenset[str]:
        """Checksums of the documents touching any of `units`."""
        found: set[str] = set()
        for unit in set(units):
            found.update(
                sha for (sha,) in self.db.execute("SELECT sha FROM units WHERE unit = ?", (unit,))
            )
        return frozenset(found)

    def example(self) -> str | None:
        """The recommendation the dataset names as its example: the first in key order."""
        row = self.db.execute(
            "SELECT uri FROM recommendations ORDER BY body, meeting, day, reviewed, seq, uri LIMIT 1"
        ).fetchone()
        return row[0] if row else None

    def revise(self, corpus: Index, added: Sequence[Index], removed: Sequence[Index]) -> None:
        """In place, as `revised`: the rows of the units `added` and `removed` touch, and the
        corpus-wide tables from `corpus` (already revised)."""
        with self.db:
            for part in removed:
                self.db.executemany(
                    "DELETE FROM units WHERE unit = ? AND sha = ?",
                    ((unit, sha) for unit, shas in part.units.items() for sha in shas),
                )
            for part in added:
                self.db.executemany(
                    "INSERT OR IGNORE INTO units VALUES (?, ?)",
                    ((unit, sha) for unit, shas in part.units.items() for sha in shas),
                )
                self.db.executemany(
                    "INSERT OR REPLACE INTO recommendations VALUES (?, ?, ?, ?, ?, ?)",
                    ((uri, *key) for uri, key in part.recommendations.items()),
                )
            # a recommendation no document prints any more leaves the index
            left = {unit for part in removed for unit in part.units}
            self.db.executemany(
                "DELETE FROM recommendations WHERE uri = ?",
                ((unit,) for unit in left - self.touched(left)),
            )
            _write_corpus_wide(self.db, corpus)

    def touched(self, units: Iterable[str]) -> set[str]:
        """Which of `units` some document still touches."""
        return {
            unit
            for unit in units
            if self.db.execute("SELECT 1 FROM units WHERE unit = ? LIMIT 1", (unit,)).fetchone()
        }

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def read_index(build_dir: Path) -> IndexFile:
    """The published build's index, read-only."""
    path = records_dir(build_dir) / INDEX
    if not path.is_file():
        raise RecordsError(
            f"{path}: the published build keeps no readable records index (no file); "
            "rebuild it with `untoc-kg build` to add documents to it"
        )
    return IndexFile(path)


def revise_index_copy(
    old_build: Path, new_build: Path, corpus: Index, added: Sequence[Index], removed: Sequence[Index]
) -> IndexFile:
    """The new build's index: a copy of the old build's file (published files never change),
    revised in place."""
    folder = records_dir(new_build)
    folder.mkdir(exist_ok=True)
    temporary = folder / f".{INDEX}.tmp"
    shutil.copyfile(records_dir(old_build) / INDEX, temporary)
    with IndexFile(temporary, writable=True) as index:
        index.revise(corpus, added, removed)
    os.replace(temporary, folder / INDEX)
    return IndexFile(folder / INDEX)
