"""Records -> triples, in one place: the order and the pieces the full build, its partitions and an
update (`add`/`remove`) all use, so an update cannot drift from a full build by construction.

- `global_triples`: what the whole corpus makes once: the reference treaties and bodies, the
  bodies of the corpus, every State and organisation (`aggregate_triples`), the build's
  provenance and the dataset's description;
- `document_triples` (documents.py): one document and its copies;
- `meeting_unit_triples`: one meeting (its description, attendance, agenda) and every
  recommendation adopted there, however many documents print it;
- `unit_triples`: the documents, meetings and recommendations of some documents, merged.

The corpus-wide names come from one `CorpusFacts`, whoever gathered it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

from untoc_kg.records import Document
from untoc_kg.reference import bodies

from .agents import organizations_triples, states_triples
from .corpus import CorpusFacts
from .dataset import dataset_triples
from .documents import document_triples
from .meetings import meeting_core_triples, meeting_triples
from .merge import (
    MeetingKey,
    MergedMeeting,
    MergedRecommendation,
    RecommendationKey,
    merge_documents,
    merge_meetings,
    merge_recommendations,
    recommendation_key,
    recommendation_uri_of,
)
from .provenance import build_id, build_triples
from .recommendations import recommendation_triples
from .reference_data import body_triples, reference_body_triples, reference_treaty_triples
from .triples import Triple
from .uris import Minter

def corpus_body_triples(
    mint: Minter, documents: Iterable[Document], facts: CorpusFacts
) -> Iterator[Triple]:
    """The bodies `documents` are issued by that the reference data does not know."""
    names = facts.bodies()
    for symbol in sorted({d.body.symbol or d.body.name for d in documents} - set(bodies())):
        yield from body_triples(mint, symbol if symbol in names else None, names.get(symbol, symbol))


def aggregate_triples(mint: Minter, facts: CorpusFacts) -> Iterator[Triple]:
    """Every State and organisation of the corpus."""
    yield from states_triples(mint, facts.state_lists(), facts.printed_states())
    yield from organizations_triples(mint, *facts.organizations())


def global_triples(
    mint: Minter,
    facts: CorpusFacts,
    headers: Sequence[Document],
    build_time: datetime,
    tool_version: str,
    first_recommendation: RecommendationKey | None,
) -> Iterator[Triple]:
    """What the whole corpus makes once (the vocabulary is not among them). `headers` are the
    documents (their recommendations may be cut away: only their copies are read here), and
    `first_recommendation` the key of the recommendation the dataset gives as its example."""
    build = mint.build(build_id(headers, build_time, tool_version))
    yield from reference_treaty_triples(mint)
    yield from reference_body_triples(mint)
    yield from corpus_body_triples(mint, headers, facts)
    yield from aggregate_triples(mint, facts)
    yield from build_triples(mint, build, headers, build_time, tool_version)
    example = None
    if first_recommendation is not None:
        example = recommendation_uri_of(mint, first_recommendation)
    yield from dataset_triples(mint, build, build_time, tool_version, example)


def first_recommendation(documents: Iterable[Document]) -> RecommendationKey | None:
    return min(
        (recommendation_key(r) for d in documents for r in d.recommendations), default=None
    )


def meeting_unit_triples(
    mint: Minter,
    symbol: str,
    meeting: MergedMeeting | None,
    recommendations: Sequence[MergedRecommendation],
    facts: CorpusFacts,
    names: dict[str, str] | None = None,
    codes: dict[str, str] | None = None,
) -> Iterator[Triple]:
    """One meeting of body `symbol` and the recommendations adopted there. `names` and `codes`
    (`facts.bodies()`, `facts.state_codes()`) may be passed in when many meetings are made."""
    names = facts.bodies() if names is None else names
    codes = facts.state_codes() if codes is None else codes
    name = names.get(symbol, symbol)
    if meeting is not None:
        yield from meeting_triples(mint, meeting, names.get(meeting.body_symbol, meeting.body_symbol), codes)
    for merged in recommendations:
        yield from meeting_core_triples(mint, merged.meeting_key, name)
        yield from recommendation_triples(mint, merged, name)


def by_meeting(
    meetings: Iterable[MergedMeeting], recommendations: Iterable[MergedRecommendation]
) -> list[tuple[MeetingKey, MergedMeeting | None, list[MergedRecommendation]]]:
    """Meetings and recommendations paired by meeting (`MeetingKey`), in key order."""
    described = {m.key: m for m in meetings}
    adopted: dict[MeetingKey, list[MergedRecommendation]] = defaultdict(list)
    for merged in recommendations:
        adopted[merged.meeting_key].append(merged)
    return [
        (key, described.get(key), adopted.get(key, []))
        for key in sorted(set(described) | set(adopted))
    ]


def unit_triples(
    mint: Minter, documents: Sequence[Document], facts: CorpusFacts
) -> Iterator[Triple]:
    """The bodies, documents, meetings and recommendations of `documents`, merged (States,
    organisations, provenance and the dataset are the corpus's: `global_triples`)."""
    merged_documents = merge_documents(documents)
    names, codes = facts.bodies(), facts.state_codes()
    yield from corpus_body_triples(mint, documents, facts)
    for merged in merged_documents:
        yield from document_triples(mint, merged)
    meetings = by_meeting(merge_meetings(merged_documents), merge_recommendations(merged_documents))
    for (symbol, _, _), meeting, recommendations in meetings:
        yield from meeting_unit_triples(mint, symbol, meeting, recommendations, facts, names, codes)
