"""The corpus-wide facts the aggregate resources are made of, as one value that adds and subtracts.

A State's label is the spelling the attendance lists print most; a chair's "(Spain)" finds its
State through the spellings the lists use; an organisation is labelled by the full names printed
for it; a body the reference data does not know is named as the document with the smallest
checksum prints it. All of these are facts of the whole corpus, not of one document. The full
build gathers them from every document (`CorpusFacts.total`), the streamed build from its spool,
an update from the published build's index (`untoc_kg.datadir.records`): the same value each
time, so the three cannot drift. Counts, not sets, so that withdrawing a document subtracts
exactly what it brought (`facts - CorpusFacts.of(document)`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from untoc_kg.records import Document
from untoc_kg.reference import bodies

from .agents import organization_names, person_states, state_codes, state_names


def _counter() -> Counter:
    return Counter()


@dataclass(frozen=True)
class CorpusFacts:
    state_names: Counter[tuple[str, str]] = field(default_factory=_counter)
    """(alpha-3, name as printed in an attendance list) -> mentions."""
    person_states: Counter[str] = field(default_factory=_counter)
    """State as printed after a chair's or panellist's name -> documents printing it."""
    org_full: Counter[tuple[str, str]] = field(default_factory=_counter)
    """(organisation key, full name printed) -> documents printing it."""
    org_short: Counter[tuple[str, str]] = field(default_factory=_counter)
    """(organisation key, short name printed) -> documents printing it."""
    body_names: Mapping[tuple[str, str], str] = field(default_factory=lambda: MappingProxyType({}))
    """(body symbol, document checksum) -> the body's name as that document prints it."""

    @classmethod
    def of(cls, document: Document) -> CorpusFacts:
        """What one document brings."""
        full, short = organization_names([document])
        return cls(
            state_names=Counter(
                (iso3, name) for iso3, names in state_names([document]).items() for name in names
            ),
            person_states=Counter(person_states([document])),
            org_full=Counter((k, n) for k, names in full.items() for n in names),
            org_short=Counter((k, n) for k, names in short.items() for n in names),
            body_names=MappingProxyType(
                {(document.body.symbol, document.sha256): document.body.name}
                if document.body.symbol
                else {}
            ),
        )

    @classmethod
    def total(cls, parts: Iterable[CorpusFacts]) -> CorpusFacts:
        """The sum of many (one pass: `sum` would copy the counters at every step)."""
        counters = [Counter(), Counter(), Counter(), Counter()]
        names: dict[tuple[str, str], str] = {}
        for part in parts:
            for mine, theirs in zip(counters, part._counters(), strict=True):
                mine.update(theirs)
            names.update(part.body_names)
        return cls(*counters, body_names=MappingProxyType(names))

    @classmethod
    def of_documents(cls, documents: Iterable[Document]) -> CorpusFacts:
        return cls.total(cls.of(d) for d in documents)

    def _counters(self) -> tuple[Counter, ...]:
        return self.state_names, self.person_states, self.org_full, self.org_short

    def __add__(self, other: CorpusFacts) -> CorpusFacts:
        return CorpusFacts.total((self, other))

    def __sub__(self, other: CorpusFacts) -> CorpusFacts:
        counters = [mine - theirs for mine, theirs in zip(self._counters(), other._counters(), strict=True)]
        names = {k: v for k, v in self.body_names.items() if k not in other.body_names}
        return CorpusFacts(*counters, body_names=MappingProxyType(names))

    def bodies(self) -> dict[str, str]:
        """Body symbol -> name: the reference names, else the name printed by the document with
        the smallest checksum."""
        names = {symbol: info.name for symbol, info in bodies().items()}
        for (symbol, _sha), name in sorted(self.body_names.items()):
            names.setdefault(symbol, name)
        return names

    def state_lists(self) -> dict[str, list[str]]:
        """Alpha-3 -> every printed name, one entry per mention (as `agents.state_names`)."""
        names: dict[str, list[str]] = {}
        for (iso3, name), count in sorted(self.state_names.items()):
            names.setdefault(iso3, []).extend([name] * count)
        return names

    def state_codes(self) -> dict[str, str]:
        """Printed name -> alpha-3, so a chair's "(Spain)" finds the State the lists name."""
        return state_codes(self.state_lists())

    def printed_states(self) -> set[str]:
        return set(self.person_states)

    def organizations(self) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        """(full names, short names) of every organisation, by key."""
        full: dict[str, set[str]] = {}
        short: dict[str, set[str]] = {}
        for key, name in self.org_full:
            full.setdefault(key, set()).add(name)
        for key, name in self.org_short:
            short.setdefault(key, set()).add(name)
        return full, short
