"""What a build keeps of its documents: builds/<id>/records/<sha256>.json (the records of each
document, losslessly: `untoc_kg.extract.records_json`) and records/index.pickle (the `Index`).

The index holds what an update needs without reading every document: which documents touch
each unit (`units`), and the corpus-wide counts the aggregate resources are made of (the names
a State is printed under, the names of organisations, the names of bodies). Counts, not sets, so
that withdrawing a document subtracts exactly what it brought.
"""

from __future__ import annotations

import json
import os
import pickle
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from untoc_kg.extract.records import Document
from untoc_kg.extract.records_json import document_from_json, document_to_json
from untoc_kg.graph.agents import organization_names, person_states, state_names
from untoc_kg.graph.merge import body_key
from untoc_kg.graph.uris import Minter
from untoc_kg.reference import bodies

from .units import document_units

RECORDS = "records"
INDEX = "index.pickle"
INDEX_FORMAT = 1


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
    recommendations: Mapping[str, tuple[str, int, int]] = field(default_factory=dict)
    """Recommendation URI -> (body symbol, meeting, seq): the order the dataset's example uses."""
    state_names: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(alpha-3, name as printed in an attendance list) -> mentions."""
    person_states: Counter[str] = field(default_factory=Counter)
    """State as printed after a chair's or panellist's name -> documents printing it."""
    org_full: Counter[tuple[str, str]] = field(default_factory=Counter)
    org_short: Counter[tuple[str, str]] = field(default_factory=Counter)
    body_names: Mapping[tuple[str, str], str] = field(default_factory=dict)
    """(body symbol, document checksum) -> the body's name as that document prints it."""

    def shas(self, units: Iterable[str]) -> frozenset[str]:
        return frozenset(sha for unit in units for sha in self.units.get(unit, ()))

    def names_of_bodies(self) -> dict[str, str]:
        """As `untoc_kg.graph.body_names`: the reference names, else the name printed by the
        document with the smallest checksum."""
        names = {symbol: info.name for symbol, info in bodies().items()}
        for (symbol, _sha), name in sorted(self.body_names.items()):
            names.setdefault(symbol, name)
        return names

    def states(self) -> dict[str, list[str]]:
        """As `untoc_kg.graph.agents.state_names`: every printed name by code, one per mention."""
        names: dict[str, list[str]] = {}
        for (iso3, name), count in sorted(self.state_names.items()):
            names.setdefault(iso3, []).extend([name] * count)
        return names

    def organizations(self) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        full: dict[str, set[str]] = {}
        short: dict[str, set[str]] = {}
        for key, name in self.org_full:
            full.setdefault(key, set()).add(name)
        for key, name in self.org_short:
            short.setdefault(key, set()).add(name)
        return full, short

    def example(self) -> str | None:
        """The recommendation the dataset names as its example: the first in key order."""
        if not self.recommendations:
            return None
        return min(self.recommendations.items(), key=lambda item: item[1])[0]


def contribution(mint: Minter, document: Document) -> Index:
    """What one document brings to the index."""
    full, short = organization_names([document])
    recommendations = {
        str(
            mint.recommendation(
                body_key(r.body_symbol, document.body.name), r.meeting, r.seq
            )
        ): (r.body_symbol, r.meeting, r.seq)
        for r in document.recommendations
    }
    return Index(
        units={
            unit: frozenset({document.sha256})
            for unit in document_units(mint, document)
        },
        documents={document.sha256: DocumentEntry(document.source, document.symbol)},
        recommendations=recommendations,
        state_names=Counter(
            (iso3, name)
            for iso3, names in state_names([document]).items()
            for name in names
        ),
        person_states=Counter(person_states([document])),
        org_full=Counter((k, n) for k, names in full.items() for n in names),
        org_short=Counter((k, n) for k, names in short.items() for n in names),
        body_names=(
            {(document.body.symbol, document.sha256): document.body.name}
            if document.body.symbol
            else {}
        ),
    )


def revised(index: Index, added: Sequence[Index], removed: Sequence[Index]) -> Index:
    """`index` with what `added` bring and without what `removed` brought."""
    units = {unit: set(shas) for unit, shas in index.units.items()}
    documents = dict(index.documents)
    recommendations = dict(index.recommendations)
    counters = [
        Counter(index.state_names),
        Counter(index.person_states),
        Counter(index.org_full),
        Counter(index.org_short),
    ]
    body_names = dict(index.body_names)
    for part in removed:
        for unit, shas in part.units.items():
            units.get(unit, set()).difference_update(shas)
        for sha in part.documents:
            documents.pop(sha, None)
        for mine, theirs in zip(counters, _counters(part), strict=True):
            mine.subtract(theirs)
        for key in part.body_names:
            body_names.pop(key, None)
    for part in added:
        for unit, shas in part.units.items():
            units.setdefault(unit, set()).update(shas)
        documents.update(part.documents)
        recommendations.update(part.recommendations)
        for mine, theirs in zip(counters, _counters(part), strict=True):
            mine.update(theirs)
        body_names.update(part.body_names)
    kept = {unit: frozenset(shas) for unit, shas in units.items() if shas}
    return Index(
        units=kept,
        documents=documents,
        recommendations={
            uri: key for uri, key in recommendations.items() if uri in kept
        },
        state_names=+counters[0],
        person_states=+counters[1],
        org_full=+counters[2],
        org_short=+counters[3],
        body_names=body_names,
    )


def _counters(index: Index) -> tuple[Counter, ...]:
    return index.state_names, index.person_states, index.org_full, index.org_short


def index_of(mint: Minter, documents: Sequence[Document]) -> Index:
    return revised(Index(), [contribution(mint, d) for d in documents], [])


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


class RecordsError(RuntimeError):
    """A build's kept records are missing or unreadable (built by an older version?)."""


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
    index: Index,
) -> None:
    """The records of an updated build: the old build's files of `keep` (hard links: they never
    change), the records of the new `documents`, and the new index."""
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
    write_index(new, index)


def write_index(folder: Path, index: Index) -> None:
    """A pickle of plain values (no classes of ours: a later version still reads it). Pickle, not
    JSON: at 100,000 recommendations JSON takes seconds each way, a pickle a fraction of one.
    The file is the build's own, written and read by this module only."""
    data = {
        "format": INDEX_FORMAT,
        "units": dict(index.units),
        "documents": {s: (e.source, e.symbol) for s, e in index.documents.items()},
        "recommendations": dict(index.recommendations),
        "state_names": dict(index.state_names),
        "person_states": dict(index.person_states),
        "org_full": dict(index.org_full),
        "org_short": dict(index.org_short),
        "body_names": dict(index.body_names),
    }
    temporary = Path(folder) / f".{INDEX}.tmp"
    temporary.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(temporary, Path(folder) / INDEX)


def read_index(build_dir: Path) -> Index:
    path = records_dir(build_dir) / INDEX
    try:
        data = pickle.loads(path.read_bytes())
        if data.get("format") != INDEX_FORMAT:
            raise ValueError(f"index format {data.get('format')!r}, expected {INDEX_FORMAT}")
    except (OSError, ValueError, pickle.UnpicklingError, AttributeError, EOFError) as error:
        raise RecordsError(
            f"{path}: the published build keeps no readable records index ({error}); "
            "rebuild it with `untoc-kg build` to add documents to it"
        ) from error
    return Index(
        units=data["units"],
        documents={s: DocumentEntry(*e) for s, e in data["documents"].items()},
        recommendations=data["recommendations"],
        state_names=Counter(data["state_names"]),
        person_states=Counter(data["person_states"]),
        org_full=Counter(data["org_full"]),
        org_short=Counter(data["org_short"]),
        body_names=data["body_names"],
    )
