"""The full-text engine: a tantivy index (`search.tantivy/`) beside the SQLite records of the index.

Why tantivy and not SQLite FTS5 (measured by bench/search.py at 10,000 recommendations, on the
same entries): a search is ranked, counted and faceted over every result, and FTS5 has neither
top-k pruning nor columnar facet counts, so a broad word ("victims": 7,476 results) cost 100-400 ms
(p99 626 ms) where tantivy answers count + top 20 + facet counts in 0.6 ms (p99 9.8 ms). FTS5
stays where it is quick: the facet names (`labels_fts`) and the lists, which are plain SQL.

The analyzer folds case and diacritics (ASCII folding: "Turkiye" finds "Türkiye") and stems with
the English Snowball stemmer ("discriminate" finds "discrimination"); positions are indexed, for
phrases. Facets are raw fast fields, counted by a terms aggregation.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

import tantivy

from untoc_kg.search.kinds import FACET_NAMES

ENGINE_DIR = "search.tantivy"
ANALYZER = "untoc_en"
TEXT_FIELDS = ("label", "text", "more")
BOOSTS = {"label": 5.0, "text": 1.0, "more": 2.0}
WRITER_HEAP = 64_000_000


def analyzer() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("key", stored=True, tokenizer_name="raw")
    for field in TEXT_FIELDS:
        builder.add_text_field(field, stored=True, tokenizer_name=ANALYZER,
                               index_option="position")
    for facet in FACET_NAMES:
        builder.add_text_field(facet, tokenizer_name="raw", fast=True)
    builder.add_text_field("date", tokenizer_name="raw", fast=True)
    return builder.build()


def open_engine(folder: Path) -> tantivy.Index:
    index = tantivy.Index.open(str(folder))
    index.register_tokenizer(ANALYZER, analyzer())
    return index


def _new(folder: Path) -> tantivy.Index:
    folder.mkdir(parents=True)
    index = tantivy.Index(schema(), path=str(folder))
    index.register_tokenizer(ANALYZER, analyzer())
    return index


def documents(connection: sqlite3.Connection, keys: Iterable[str] | None = None) -> Iterator[tantivy.Document]:
    """The engine's documents for the entries (of `keys`, or all), facets included."""
    if keys is None:
        rows = connection.execute(
            "SELECT id, key, label, text, more, date FROM entries ORDER BY id").fetchall()
    else:
        wanted = sorted(set(keys))
        rows = []
        for start in range(0, len(wanted), 400):
            chunk = wanted[start: start + 400]
            rows += connection.execute(
                f"SELECT id, key, label, text, more, date FROM entries WHERE key IN "
                f"({','.join('?' * len(chunk))})", chunk).fetchall()
    for id_, key, label, text, more, date in rows:
        document = tantivy.Document(key=key, label=label, text=text, more=more, date=date or "")
        for facet, value in connection.execute(
            "SELECT facet, value FROM facets WHERE entry = ?", (id_,)
        ):
            document.add_text(facet, value)
        yield document


def write_engine(connection: sqlite3.Connection, folder: Path) -> None:
    """A new engine index in `folder` (replaced if there) of every entry of the records."""
    if folder.exists():
        shutil.rmtree(folder)
    index = _new(folder)
    writer = index.writer(heap_size=WRITER_HEAP, num_threads=1)
    for document in documents(connection):
        writer.add_document(document)
    writer.commit()
    writer.wait_merging_threads()


def update_engine(
    previous: Path, folder: Path, connection: sqlite3.Connection, forgotten: Iterable[str],
    added: Iterable[str],
) -> None:
    """`folder`: a copy of the previous build's engine, less the `forgotten` keys, plus the
    entries of the `added` keys as the records now hold them."""
    if folder.exists():
        shutil.rmtree(folder)
    # Hard links, not copies: the engine never rewrites a file it wrote (segments and their
    # deletes are new files, meta.json is replaced by a rename), so the previous build's index
    # is untouched, and an update costs the change rather than the index's size. Lock files
    # belong to the previous index's readers and writers.
    shutil.copytree(
        previous, folder, copy_function=os.link, ignore=shutil.ignore_patterns(".tantivy-*.lock")
    )
    index = open_engine(folder)
    writer = index.writer(heap_size=WRITER_HEAP, num_threads=1)
    for key in forgotten:
        writer.delete_documents_by_term("key", key)
    for document in documents(connection, added):
        writer.add_document(document)
    writer.commit()
    writer.wait_merging_threads()
