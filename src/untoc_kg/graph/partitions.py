"""The graph as a stream of partitions, for builds too large to hold: records -> spool -> triples.

`build_graph` holds every record and every triple. At a million recommendations that is tens of
millions of triples, so a build instead reads the documents once (`spool`), keeping only what is
small and global (document headers, State and organisation names, body names, checksums) and
writing every meeting and recommendation record to one of `BUCKETS` spool files chosen by its
meeting (body symbol, ordinal). Then `partitions` yields the graph in pieces:

- one global partition: the vocabulary, treaties, bodies, States, organisations, the build's
  provenance and the dataset's description;
- document partitions: documents and their copies, a few hundred documents each;
- meeting partitions: whole meetings (their description, attendance, and every recommendation
  adopted there, however many documents print it), about `MEETING_CHUNK` recommendations each.

Everything `merge` groups lands in one partition: the copies of one document by document key,
and the printings of one recommendation and the records of one meeting by meeting, which is the
spool's bucket key. The union of the partitions is exactly `build_graph`'s graph (triples shared
between partitions, e.g. a cited article, are identical and de-duplicated by the dump's sort);
tests/test_partitioned.py checks that on the corpus.
"""

from __future__ import annotations

import pickle
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from untoc_kg.extract.records import Document, Meeting
from untoc_kg.ontology import ontology_graph
from untoc_kg.reference import bodies

from .agents import (
    organization_names,
    organizations_triples,
    person_states,
    state_codes,
    state_names,
    states_triples,
)
from .dataset import dataset_triples
from .documents import document_triples
from .meetings import meeting_core_triples, meeting_triples
from .merge import (
    MergedDocument,
    MergedMeeting,
    MergedRecommendation,
    Printing,
    _fullness,
    document_key,
    recommendation_key,
)
from .provenance import build_id, build_triples
from .recommendations import (
    WordingDifference,
    differences,
    recommendation_triples,
    recommendation_uri,
)
from .reference_data import (
    body_triples,
    reference_body_triples,
    reference_treaty_triples,
)
from .triples import Triple
from .uris import Minter

BUCKETS = 256
"""Spool files; a bucket (1/256 of the meetings) is read back into memory at once, so a worker's
memory grows with N / BUCKETS: at 1M recommendations and 64 buckets each worker held 1.2 GB of
its own; small graphs are unaffected (consecutive buckets share a job up to `MEETING_CHUNK`)."""
MEETING_CHUNK = 2000
"""Recommendations per meeting partition (whole meetings, so a few more)."""
DOCUMENT_CHUNK = 500
"""Documents per document partition."""

MeetingKey = tuple[str, int]


@dataclass(frozen=True)
class Partition:
    name: str
    """"global", "documents/3", "meetings/17/0": where the triples came from, for reports."""
    triples: tuple[Triple, ...]
    differences: tuple[WordingDifference, ...] = ()
    recommendations: int = 0


@dataclass(frozen=True)
class Spooled:
    """What the first pass over the documents keeps: everything global, and where the rest is."""

    folder: Path
    headers: tuple[Document, ...]
    """Every document without its recommendations, and with only the meeting it reports on
    (cut down: see `_header`), in input order."""
    keys: tuple[str, ...]
    """The document key of each header (computed on the full document)."""
    reports_of: dict[MeetingKey, str]
    """(body symbol, ordinal) -> key of the document reporting on that meeting."""
    state_names: dict[str, Counter[str]]
    person_states: frozenset[str]
    organizations: tuple[dict[str, set[str]], dict[str, set[str]]]
    first_recommendation: tuple[str, int, str, int] | None
    recommendations: int
    warnings: tuple[str, ...]
    bucket_sizes: tuple[int, ...] = ()
    """Recommendation records spooled into each bucket."""

    def bucket(self, index: int) -> Path:
        return bucket_path(self.folder, index)


def bucket_path(folder: Path, index: int) -> Path:
    return Path(folder) / f"bucket-{index:03d}.pickle"


def bucket_of(key: MeetingKey) -> int:
    # crc32, not hash(): the same meeting goes to the same bucket in every process and run.
    return zlib.crc32(f"{key[0]}\x00{key[1]}".encode()) % BUCKETS


def _header(document: Document) -> Document:
    """The document as `document_triples` needs it: no recommendations, and of its meetings only
    the reported one, without its attendance and agenda beyond the first entry (enough to stay
    the meeting `reported_meeting` finds, at a fraction of the memory)."""
    reported = document.reported_meeting
    meetings: tuple[Meeting, ...] = ()
    if reported is not None:
        meetings = (
            replace(reported, attendance=reported.attendance[:1], agenda=reported.agenda[:1],
                    panellists=(), documents_cited=()),
        )
    return replace(document, recommendations=(), meetings=meetings)


def spool(documents: Iterable[Document], folder: Path) -> Spooled:
    """First pass: read every document once, keep the global facts, spool meetings and
    recommendations by meeting."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = [bucket_path(folder, i).open("wb") for i in range(BUCKETS)]
    headers: list[Document] = []
    keys: list[str] = []
    reports: dict[MeetingKey, set[str]] = defaultdict(set)
    names: dict[str, Counter[str]] = defaultdict(Counter)
    printed_states: set[str] = set()
    full: dict[str, set[str]] = defaultdict(set)
    short: dict[str, set[str]] = defaultdict(set)
    first: tuple[str, int, str, int] | None = None
    count = 0
    sizes = [0] * BUCKETS
    warnings: list[str] = []
    try:
        for document in documents:
            key = document_key(document)
            header = _header(document)
            headers.append(header)
            keys.append(key)
            warnings.extend(f"{document.source}: {w}" for w in document.warnings)
            if (reported := document.reported_meeting) is not None:
                reports[(reported.body_symbol, reported.ordinal)].add(key)
            for iso3, spellings in state_names([document]).items():
                names[iso3].update(spellings)
            printed_states |= person_states([document])
            document_full, document_short = organization_names([document])
            for k, v in document_full.items():
                full[k] |= v
            for k, v in document_short.items():
                short[k] |= v
            copy = (document.sha256, document.source)
            for meeting in document.meetings:
                symbol = meeting.body_symbol or document.body.symbol or document.body.name
                pickle.dump(("m", (symbol, meeting.ordinal), key, copy, meeting),
                            files[bucket_of((symbol, meeting.ordinal))], pickle.HIGHEST_PROTOCOL)
            for record in document.recommendations:
                meeting_key = (record.body_symbol, record.meeting)
                bucket = bucket_of(meeting_key)
                pickle.dump(("r", meeting_key, key, copy, record), files[bucket], pickle.HIGHEST_PROTOCOL)
                sizes[bucket] += 1
                rec_key = recommendation_key(record)
                first = rec_key if first is None else min(first, rec_key)
                count += 1
    finally:
        for file in files:
            file.close()
    return Spooled(
        folder=folder,
        headers=tuple(headers),
        keys=tuple(keys),
        # `merge_recommendations` lets the last document (in key order) reporting on a meeting win.
        reports_of={meeting: max(found) for meeting, found in reports.items()},
        state_names=dict(names),
        person_states=frozenset(printed_states),
        organizations=(dict(full), dict(short)),
        first_recommendation=first,
        recommendations=count,
        warnings=tuple(warnings),
        bucket_sizes=tuple(sizes),
    )


def body_names(spooled: Spooled) -> dict[str, str]:
    """As `untoc_kg.graph.body_names`, from the headers."""
    names = {symbol: info.name for symbol, info in bodies().items()}
    for document in sorted(spooled.headers, key=lambda d: d.sha256):
        if document.body.symbol:
            names.setdefault(document.body.symbol, document.body.name)
    return names


def _state_lists(spooled: Spooled) -> dict[str, list[str]]:
    return {iso3: list(counts.elements()) for iso3, counts in spooled.state_names.items()}


def global_triples(
    spooled: Spooled, mint: Minter, build_time: datetime, tool_version: str
) -> Iterator[Triple]:
    """The global partition's data triples (without the vocabulary: see `partitions`)."""
    names = body_names(spooled)
    build = mint.build(build_id(spooled.headers, build_time, tool_version))
    yield from reference_treaty_triples(mint)
    yield from reference_body_triples(mint)
    symbols = {d.body.symbol or d.body.name for d in spooled.headers}
    for symbol in sorted(symbols - set(bodies())):
        yield from body_triples(mint, symbol if symbol in names else None, names.get(symbol, symbol))
    yield from states_triples(mint, _state_lists(spooled), set(spooled.person_states))
    yield from organizations_triples(mint, *spooled.organizations)
    yield from build_triples(mint, build, spooled.headers, build_time, tool_version)
    example = None
    if spooled.first_recommendation is not None:
        symbol, meeting, reviewed, seq = spooled.first_recommendation
        example = recommendation_uri(mint, MergedRecommendation(symbol, meeting, seq, (), reviewed or None))
    yield from dataset_triples(mint, build, build_time, tool_version, example)


def merged_documents(spooled: Spooled) -> tuple[MergedDocument, ...]:
    """As `merge.merge_documents`, from the headers and their precomputed keys."""
    groups: dict[str, list[Document]] = defaultdict(list)
    for key, header in zip(spooled.keys, spooled.headers, strict=True):
        groups[key].append(header)
    return tuple(
        MergedDocument(key, tuple(sorted(copies, key=lambda d: (d.sha256, d.source))))
        for key, copies in sorted(groups.items())
    )


def _read_bucket(path: Path) -> Iterator[tuple]:
    with path.open("rb") as stream:
        while True:
            try:
                yield pickle.load(stream)
            except EOFError:
                return


def _bucket_meetings(
    spooled: Spooled, index: int, copies: dict[tuple[str, str], Document]
) -> list[tuple[MeetingKey, MergedMeeting | None, list[MergedRecommendation]]]:
    """The meetings of one bucket, merged as `merge_meetings` and `merge_recommendations` do."""
    meetings: dict[MeetingKey, list[tuple[str, str, Meeting]]] = defaultdict(list)
    found: dict[tuple[str, int, str, int], dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for kind, meeting_key, doc_key, copy, record in _read_bucket(spooled.bucket(index)):
        if kind == "m":
            meetings[meeting_key].append((doc_key, copy[0], record))
        else:
            found[recommendation_key(record)][doc_key].append((copy, record))
    recommendations: dict[MeetingKey, list[MergedRecommendation]] = defaultdict(list)
    for (symbol, meeting, reviewed, seq), by_document in sorted(found.items()):
        own_report = spooled.reports_of.get((symbol, meeting))
        printings = sorted(
            (
                # copies of a document in checksum order, as `merge_documents` orders them
                Printing(doc_key, tuple((copies[c], r) for c, r in sorted(records, key=lambda x: x[0])))
                for doc_key, records in by_document.items()
            ),
            key=lambda p: (p.document_key != own_report, p.document_key),
        )
        recommendations[(symbol, meeting)].append(
            MergedRecommendation(symbol, meeting, seq, tuple(printings), reviewed or None)
        )
    result = []
    for key in sorted(set(meetings) | set(recommendations)):
        merged = None
        if key in meetings:
            items = sorted(meetings[key], key=lambda item: (-_fullness(item[2]), item[0], item[1]))
            merged = MergedMeeting(key[0], key[1], tuple((k, m) for k, _, m in items))
        result.append((key, merged, recommendations.get(key, [])))
    return result


@dataclass(frozen=True)
class Job:
    """A piece of the second pass that runs on its own (in another process, for a big graph)."""

    kind: str
    """"global", "documents" or "meetings"."""
    index: int
    """The first document (documents) or the first bucket (meetings)."""
    count: int
    """Documents, or buckets."""


def jobs(spooled: Spooled) -> tuple[Job, ...]:
    """The second pass cut into jobs: the global partition, documents by `DOCUMENT_CHUNK`, and
    runs of consecutive buckets holding about `MEETING_CHUNK` recommendations each."""
    found = [Job("global", 0, 1)]
    documents = len(set(spooled.keys))
    found += [Job("documents", start, DOCUMENT_CHUNK) for start in range(0, documents, DOCUMENT_CHUNK)]
    first = held = 0
    for index, size in enumerate(spooled.bucket_sizes or (1,) * BUCKETS):
        held += size
        if held >= MEETING_CHUNK or index == BUCKETS - 1:
            found.append(Job("meetings", first, index + 1 - first))
            first, held = index + 1, 0
    return tuple(found)


def partitions(
    spooled: Spooled, mint: Minter, build_time: datetime, tool_version: str
) -> Iterator[Partition]:
    """Second pass: the graph, partition by partition (see the module note)."""
    for job in jobs(spooled):
        yield from run(spooled, job, mint, build_time, tool_version)


def run(
    spooled: Spooled, job: Job, mint: Minter, build_time: datetime, tool_version: str
) -> Iterator[Partition]:
    """The partitions of one job."""
    if job.kind == "global":
        yield Partition(
            "global",
            (*ontology_graph(), *global_triples(spooled, mint, build_time, tool_version)),
        )
    elif job.kind == "documents":
        documents = merged_documents(spooled)[job.index : job.index + job.count]
        triples = [t for d in documents for t in document_triples(mint, d)]
        yield Partition(f"documents/{job.index // DOCUMENT_CHUNK}", tuple(triples))
    else:
        yield from _meeting_partitions(spooled, job, mint)


def _meeting_partitions(spooled: Spooled, job: Job, mint: Minter) -> Iterator[Partition]:
    names = body_names(spooled)
    codes = state_codes(_state_lists(spooled))
    copies = {(d.sha256, d.source): d for d in spooled.headers}
    chunk: list[Triple] = []
    found: list[WordingDifference] = []
    count = part = 0
    for index in range(job.index, job.index + job.count):
        # A partition is any set of whole meetings: it may take meetings of several buckets, so
        # that a small graph is a few partitions (pyshacl has a fixed cost per call).
        for (symbol, ordinal), meeting, recommendations in _bucket_meetings(spooled, index, copies):
            name = names.get(symbol, symbol)
            if meeting is not None:
                chunk.extend(meeting_triples(mint, meeting, name, codes))
            for merged in recommendations:
                chunk.extend(meeting_core_triples(mint, merged.body_symbol, merged.meeting, name))
                chunk.extend(recommendation_triples(mint, merged, name))
                found.extend(differences(mint, merged))
            count += len(recommendations)
            if count >= MEETING_CHUNK:
                yield Partition(f"meetings/{job.index}/{part}", tuple(chunk), tuple(found), count)
                chunk, found, count, part = [], [], 0, part + 1
    if chunk:
        yield Partition(f"meetings/{job.index}/{part}", tuple(chunk), tuple(found), count)
