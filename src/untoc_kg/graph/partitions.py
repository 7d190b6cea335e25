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
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from untoc_kg.ontology import ontology_graph
from untoc_kg.records import Document, Meeting

from .assemble import global_triples as corpus_global_triples
from .assemble import by_meeting, meeting_unit_triples
from .corpus import CorpusFacts
from .documents import document_triples
from .merge import (
    MergedDocument,
    MergedMeeting,
    MeetingKey,
    MergedRecommendation,
    RecommendationKey,
    adopting_meeting_key,
    document_key,
    group_copies,
    meeting_key_of,
    meeting_symbol,
    merge_meeting,
    merge_printings,
    recommendation_key,
)
from .recommendations import WordingDifference, differences
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
    """Meeting -> key of the document reporting on it."""
    facts: CorpusFacts
    """The corpus-wide names (States, organisations, bodies), from the full documents."""
    first_recommendation: RecommendationKey | None
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
    return zlib.crc32("\x00".join(map(str, key)).encode()) % BUCKETS


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
    facts: list[CorpusFacts] = []
    first: RecommendationKey | None = None
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
                reports[meeting_key_of(reported, reported.body_symbol)].add(key)
            facts.append(CorpusFacts.of(document))
            copy = (document.sha256, document.source)
            for meeting in document.meetings:
                held = meeting_key_of(meeting, meeting_symbol(meeting, document))
                pickle.dump(("m", held, key, copy, meeting), files[bucket_of(held)], pickle.HIGHEST_PROTOCOL)
            for record in document.recommendations:
                meeting_key = adopting_meeting_key(record)
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
        facts=CorpusFacts.total(facts),
        first_recommendation=first,
        recommendations=count,
        warnings=tuple(warnings),
        bucket_sizes=tuple(sizes),
    )


def global_triples(
    spooled: Spooled, mint: Minter, build_time: datetime, tool_version: str
) -> Iterator[Triple]:
    """The global partition's data triples (without the vocabulary: see `partitions`)."""
    return corpus_global_triples(
        mint, spooled.facts, spooled.headers, build_time, tool_version, spooled.first_recommendation
    )


def merged_documents(spooled: Spooled) -> tuple[MergedDocument, ...]:
    """The documents, merged from the headers and their precomputed keys."""
    return group_copies(zip(spooled.keys, spooled.headers, strict=True))


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
    found: dict[RecommendationKey, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for kind, meeting_key, doc_key, copy, record in _read_bucket(spooled.bucket(index)):
        if kind == "m":
            meetings[meeting_key].append((doc_key, copy[0], record))
        else:
            found[recommendation_key(record)][doc_key].append((copy, record))
    recommendations = [
        MergedRecommendation.of_key(key, merge_printings(
            {doc_key: [(copies[c], r) for c, r in records] for doc_key, records in by_document.items()},
            spooled.reports_of.get(key[:3]),
        ))
        for key, by_document in sorted(found.items())
    ]
    merged = [merge_meeting(key, items) for key, items in meetings.items()]
    return by_meeting(merged, recommendations)


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
    names, codes = spooled.facts.bodies(), spooled.facts.state_codes()
    copies = {(d.sha256, d.source): d for d in spooled.headers}
    chunk: list[Triple] = []
    found: list[WordingDifference] = []
    count = part = 0
    for index in range(job.index, job.index + job.count):
        # A partition is any set of whole meetings: it may take meetings of several buckets, so
        # that a small graph is a few partitions (pyshacl has a fixed cost per call).
        for (symbol, _, _), meeting, recommendations in _bucket_meetings(spooled, index, copies):
            chunk.extend(
                meeting_unit_triples(mint, symbol, meeting, recommendations, spooled.facts, names, codes)
            )
            for merged in recommendations:
                found.extend(differences(mint, merged))
            count += len(recommendations)
            if count >= MEETING_CHUNK:
                yield Partition(f"meetings/{job.index}/{part}", tuple(chunk), tuple(found), count)
                chunk, found, count, part = [], [], 0, part + 1
    if chunk:
        yield Partition(f"meetings/{job.index}/{part}", tuple(chunk), tuple(found), count)
