"""Deterministic synthetic `Document` records of realistic shape, for the scale benchmarks.

    from bench.gen import synthetic_documents
    for document in synthetic_documents(10_000, seed=0): ...

or `python bench/gen.py N` (prints a summary). Documents are generated lazily, one meeting at a
time, so a million recommendations never sit in memory at once.

Shape (after the bundled corpus): meetings of the Conference's bodies (the six known ones plus
synthetic working groups) round-robin; each meeting has its report (dates, place, chair, an
agenda with sub-items, 50-80 attending States in their roles plus a few organisations,
panellists, the earlier meetings it names) adopting 20-60 recommendations, each with 0-3
citations of real treaty provisions, sub-items in about a third, a thematic section, an
addressee and named organisations. After every tenth meeting of a body a compilation reprints
every fifth recommendation of those ten meetings (the same recommendation printed in two
documents; one in fifty reworded), and every 25th report also comes as a second copy (another
file, same records). The same `n_recommendations` and `seed` give the same documents.
"""

from __future__ import annotations

import hashlib
import random
import sys
import zlib
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `untoc_kg` importable from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from untoc_kg.records import (
    AgendaItem,
    AttendanceRole,
    Attendee,
    Body,
    Citation,
    Document,
    Meeting,
    Person,
    Recommendation,
    Span,
    SubItem,
)

SIZES = (1_000, 10_000, 100_000, 1_000_000)
"""The sizes the scale benchmark runs at."""

COMPILATION_EVERY = 10
"""A body's compilation reprints the recommendations of its last this-many meetings."""
REPRINT_EVERY = 5
"""A compilation reprints every this-many-th recommendation."""
SECOND_COPY_EVERY = 25
"""Every this-many-th report also comes as a second source file."""

_KNOWN_BODIES = (
    Body("Working Group on the Smuggling of Migrants", "CTOC/COP/WG.7", "SOM"),
    Body("Working Group on Trafficking in Persons", "CTOC/COP/WG.4", "TIP"),
    Body("Working Group on Firearms", "CTOC/COP/WG.6", "FIR"),
    Body("Working Group on International Cooperation", "CTOC/COP/WG.3", None),
    Body("Working Group of Government Experts on Technical Assistance", "CTOC/COP/WG.2", None),
)
BODIES = _KNOWN_BODIES + tuple(
    Body(f"Working Group on Synthetic Topic {k}", f"CTOC/COP/WG.{k}", None) for k in (10, 11, 12)
)
ARTICLES = {"UNTOC": 41, "SOM": 25, "TIP": 20, "FIR": 21}
TREATY_NAMES = {
    "UNTOC": "the Convention",
    "SOM": "the Smuggling of Migrants Protocol",
    "TIP": "the Trafficking in Persons Protocol",
    "FIR": "the Firearms Protocol",
}
ORGANIZATIONS = (
    ("International Organization for Migration", "IOM"),
    ("European Union", "EU"),
    ("Office of the United Nations High Commissioner for Refugees", "UNHCR"),
    ("International Criminal Police Organization", "INTERPOL"),
    ("United Nations Office on Drugs and Crime", "UNODC"),
    ("Council of Europe", "Council of Europe"),
    ("Organization for Security and Co-operation in Europe", "OSCE"),
)
ADDRESSEES = ("States parties", "States", "The Working Group", "the Working Group", "UNODC",
              "The secretariat", "States parties and signatories")
PLACES = ("Vienna", "Vienna", "Vienna", "New York", "Geneva")
VERBS = ("should consider", "are encouraged to", "should continue to", "are invited to",
         "should strengthen", "may wish to")
NOUNS = ("international cooperation", "mutual legal assistance", "the exchange of information",
         "capacity-building", "the protection of victims", "border management", "data collection",
         "specialized investigative units", "financial investigations", "public awareness",
         "the rights of migrants", "joint investigations", "training of practitioners",
         "the identification of victims", "firearms tracing", "national legislation")
LINKS = ("in order to promote", "with a view to improving", "taking into account", "including",
         "in particular", "through", "so as to enhance", "and")


def _states() -> tuple[tuple[str, str], ...]:
    """(alpha-3 code, name as printed) of every State ISO 3166 lists with a Wikidata item."""
    import pycountry

    from untoc_kg.reference import country_codes

    found = []
    for iso3 in sorted(country_codes()):
        country = pycountry.countries.get(alpha_3=iso3)
        if country is not None:
            found.append((iso3, getattr(country, "common_name", None) or country.name))
    return tuple(found)


def _sha(seed: int, source: str) -> str:
    return hashlib.sha256(f"untoc-kg synthetic {seed} {source}".encode()).hexdigest()


def _sentence(rng: random.Random, words: int) -> str:
    parts = [rng.choice(NOUNS)]
    while sum(len(p.split()) for p in parts) < words:
        parts.append(rng.choice(LINKS))
        parts.append(rng.choice(NOUNS))
    return " ".join(parts)


def _citation(rng: random.Random, protocol: str | None) -> Citation:
    treaty = rng.choice(("UNTOC", protocol or "UNTOC"))
    article = rng.randint(1, ARTICLES[treaty])
    paragraph = rng.choice((None, None, 1, 2, 3))
    sub = rng.choice((None, None, "a", "b")) if paragraph else None
    where = f"article {article}" + (f", paragraph {paragraph}" if paragraph else "")
    where += f" ({sub})" if sub else ""
    return Citation(treaty, article, paragraph, sub, None, "explicit",
                    f"{where} of {TREATY_NAMES[treaty]}")


def _recommendation(rng: random.Random, body: Body, ordinal: int, seq: int,
                    offset: int) -> Recommendation:
    addressee = rng.choice(ADDRESSEES)
    citations = tuple(_citation(rng, body.protocol) for _ in range(rng.choice((0, 0, 1, 1, 2, 3))))
    cited = "".join(f", in accordance with {c.text}" for c in citations)
    text = f"{addressee} {rng.choice(VERBS)} {_sentence(rng, rng.randint(18, 60))}{cited}."
    subitems: tuple[SubItem, ...] = ()
    if rng.random() < 0.33:
        subitems = tuple(
            SubItem(label, _sentence(rng, rng.randint(6, 20)))
            for label in "abcd"[: rng.randint(2, 4)]
        )
        text = text[:-1] + ": " + "; ".join(f"({s.label}) {s.text}" for s in subitems) + "."
    organizations = tuple(sorted({rng.choice(ORGANIZATIONS)[1] for _ in range(rng.choice((0, 0, 0, 1, 2)))}))
    section = "ABCD"[(seq - 1) * 4 // 61]
    return Recommendation(
        body_symbol=body.symbol or body.name, meeting=ordinal, seq=seq, label=str(seq),
        section=section, section_title=f"Thematic area {section}", addressee=addressee,
        text=text, subitems=subitems, citations=citations, organizations=organizations,
        paragraph=str(10 + seq), span=Span(offset, offset + len(text)),
    )


def _agenda(rng: random.Random) -> tuple[AgendaItem, ...]:
    items = []
    for number in range(1, rng.randint(4, 8) + 1):
        subitems = tuple(AgendaItem(label, _sentence(rng, 4).capitalize())
                         for label in "abc"[: rng.choice((0, 0, 2, 3))])
        items.append(AgendaItem(str(number), _sentence(rng, 5).capitalize(), subitems))
    return tuple(items)


def _attendance(rng: random.Random, states: tuple[tuple[str, str], ...]) -> tuple[Attendee, ...]:
    present = sorted(rng.sample(range(len(states)), rng.randint(50, 80)))
    roles = []
    for index in present:
        iso3, name = states[index]
        draw = rng.random()
        role = (AttendanceRole.STATES_PARTIES if draw < 0.85 else
                AttendanceRole.SIGNATORIES if draw < 0.93 else AttendanceRole.NON_PARTIES)
        roles.append(Attendee(name, role, iso3=iso3))
    for name, key in rng.sample(ORGANIZATIONS, rng.randint(2, 5)):
        role = (AttendanceRole.REGIONAL_ORGANIZATIONS_PARTIES if key == "EU"
                else AttendanceRole.ORGANIZATIONS)
        roles.append(Attendee(name, role, org_key=key))
    return tuple(roles)


def _person(rng: random.Random, states: tuple[tuple[str, str], ...]) -> Person:
    first = rng.choice(("Maria", "Ahmed", "Li", "Olga", "Juan", "Amina", "Pierre", "Kenji", "Sara"))
    last = rng.choice(("Garcia", "Haddad", "Wang", "Ivanova", "Silva", "Okafor", "Martin",
                       "Tanaka", "Novak", "Rahman", "Kowalski", "Mensah"))
    name = f"{first} {last} {rng.randint(1, 999)}"
    # The State follows from the name: one person represents one State in every meeting.
    return Person(name, states[zlib.crc32(name.encode()) % len(states)][1])


def _meeting(rng: random.Random, body: Body, ordinal: int, index: int,
             states: tuple[tuple[str, str], ...]) -> Meeting:
    start = date(1990, 1, 1) + timedelta(days=index)
    return Meeting(
        body_symbol=body.symbol or body.name, ordinal=ordinal, start=start,
        end=start + timedelta(days=rng.randint(1, 4)), place=rng.choice(PLACES),
        chair=_person(rng, states), agenda=_agenda(rng), attendance=_attendance(rng, states),
        panellists=tuple(_person(rng, states) for _ in range(rng.randint(0, 4))),
        documents_cited=tuple(f"{body.symbol}/{ordinal}/CRP.{k}" for k in range(1, rng.randint(2, 4))),
    )


def _report(seed: int, body: Body, meeting: Meeting, earlier: tuple[Meeting, ...],
            recommendations: tuple[Recommendation, ...]) -> Document:
    symbol = f"{body.symbol}/{meeting.start.year}/{meeting.ordinal}"
    source = f"synthetic-{symbol.replace('/', '-').replace('.', '')}.txt"
    return Document(
        source=source, sha256=_sha(seed, source), kind="report",
        title=f"Report on the meeting of the {body.name} held in {meeting.place} "
              f"from {meeting.start.isoformat()} to {meeting.end.isoformat()}",
        symbol=symbol, issued=meeting.end + timedelta(days=30), body=body,
        resolutions_cited=("5/3", "7/1"), documents_cited=meeting.documents_cited,
        meetings=(*earlier, meeting), recommendations=recommendations,
    )


def _compilation(seed: int, body: Body, first: int, last: int,
                 printed: list[Recommendation], rng: random.Random) -> Document:
    source = f"synthetic-{(body.symbol or '').replace('/', '-').replace('.', '')}-compilation-{first}-{last}.txt"
    reprinted = []
    offset = 0
    for number, record in enumerate(printed[::REPRINT_EVERY], start=1):
        text = record.text
        if rng.random() < 0.02:  # a reworded printing: the merge reports the difference
            text = text.replace(" should ", " shall ", 1) if " should " in text else text + " (reprinted)"
        reprinted.append(replace(record, label=f"Recommendation {number}", text=text,
                                 paragraph=f"Recommendation {number}",
                                 span=Span(offset, offset + len(text))))
        offset += len(text) + 2
    return Document(
        source=source, sha256=_sha(seed, source), kind="compilation",
        title=f"Compilation of the recommendations of meetings {first} to {last} of the {body.name}",
        symbol=None, issued=None, body=body, recommendations=tuple(reprinted),
    )


def synthetic_documents(n_recommendations: int, seed: int = 0) -> Iterator[Document]:
    """Documents holding exactly `n_recommendations` distinct recommendations (keyed by body,
    meeting and position), generated lazily and deterministically from `seed`."""
    states = _states()
    made = 0
    index = 0
    recent: dict[str, list[Recommendation]] = {b.symbol or b.name: [] for b in BODIES}
    while made < n_recommendations:
        body = BODIES[index % len(BODIES)]
        ordinal = index // len(BODIES) + 1
        # One generator per meeting: a meeting's content depends only on (seed, meeting).
        rng = random.Random(f"{seed}/{body.symbol}/{ordinal}")
        meeting = _meeting(rng, body, ordinal, index, states)
        earlier = tuple(
            Meeting(body.symbol or body.name, k, start=meeting.start - timedelta(days=len(BODIES) * (ordinal - k)))
            for k in range(max(1, ordinal - 2), ordinal)
        )
        count = min(rng.randint(20, 60), n_recommendations - made)
        offset = 2000
        records = []
        for seq in range(1, count + 1):
            record = _recommendation(rng, body, ordinal, seq, offset)
            offset = record.span.end + 2
            records.append(record)
        made += count
        report = _report(seed, body, meeting, earlier, tuple(records))
        yield report
        if index % SECOND_COPY_EVERY == SECOND_COPY_EVERY - 1:
            source = report.source.replace(".txt", ".pdf")
            yield replace(report, source=source, sha256=_sha(seed, source))
        key = body.symbol or body.name
        recent[key].extend(records)
        last = made >= n_recommendations
        if ordinal % COMPILATION_EVERY == 0 or (last and recent[key]):
            first = recent[key][0].meeting
            yield _compilation(seed, body, first, ordinal, recent[key], rng)
            recent[key] = []
        index += 1


def main(argv: list[str]) -> None:
    n = int(argv[1]) if len(argv) > 1 else 1000
    documents = recommendations = printings = attendees = 0
    keys = set()
    for document in synthetic_documents(n):
        documents += 1
        printings += len(document.recommendations)
        keys.update((r.body_symbol, r.meeting, r.seq) for r in document.recommendations)
        attendees += sum(len(m.attendance) for m in document.meetings)
    recommendations = len(keys)
    print(f"{documents} documents, {recommendations} recommendations, {printings} printings, "
          f"{attendees} attendances")


if __name__ == "__main__":
    main(sys.argv)
