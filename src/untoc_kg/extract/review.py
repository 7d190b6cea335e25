"""What a review report (the Universal Periodic Review) prints about its session: the State under
review, the sittings at which it was reviewed and the report adopted, the head of its delegation,
the troika, and the delegations whose statements the report summarises.

Input is normalised text (`untoc_kg.extract.normalise`): one block per line. The wording is the
Working Group's standing form ("The review of X was held at the 14th meeting, on 16 February
2010", "At its 17th meeting, held on 19 February 2010, the Working Group adopted the report on
X", "The delegation of X was headed by ...", "... group of rapporteurs (troika) ...: A, B and C"),
read with plain regular expressions, with variants in word order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from untoc_kg.extract.attendance import split_names
from untoc_kg.extract.dates import DATE, parse_date
from untoc_kg.extract.entities import resolve_state
from untoc_kg.extract.ordinals import ORDINAL, ordinal_value
from untoc_kg.records import Meeting, Person, Sitting

_NTH = r"(?P<number>\d{1,3})(?:st|nd|rd|th)"
_STATE = r"(?P<state>[A-Z][\w'’()\- ]{1,80}?)"
_REVIEW = re.compile(
    rf"\b[Tt]he\s+review\s+of\s+(?:the\s+)?{_STATE}\s+(?:was\s+)?(?:held|took\s+place|conducted)\s+"
    rf"at\s+the\s+{_NTH}\s+meeting,?\s+(?:held\s+)?on\s+(?P<date>{DATE})"
)
_ADOPTION = (
    re.compile(
        rf"\b[Aa]t\s+its\s+{_NTH}\s+meeting,?\s+(?:held\s+)?on\s+(?P<date>{DATE}),?\s+the\s+"
        rf"[A-Z][\w ]{{0,60}}?\s+adopted\s+(?:the\s+(?:present\s+)?)?report\s+on\s+(?:the\s+)?{_STATE}[.,;]"
    ),
    re.compile(
        rf"\badopted\s+(?:the\s+(?:present\s+)?)?report\s+on\s+(?:the\s+)?{_STATE}\s+at\s+its\s+{_NTH}"
        rf"\s+meeting,?\s+(?:held\s+)?on\s+(?P<date>{DATE})"
    ),
)
_HEADED = re.compile(
    r"\b[Tt]he\s+delegation\s+of\s+(?:the\s+)?(?P<state>[A-Z][^,.;]{1,80}?)\s+was\s+headed\s+by\s+"
    r"(?:the\s+)?(?P<first>[^,.;]{2,120}),\s+(?P<second>[^,;]{2,120}?)(?=\.\s|\.$|;|,|\s+and\s+|$)"
)
_OFFICE_WORDS = re.compile(
    r"\b(?:Minister|Ministry|Secretary|Ambassador|Director|Head|President|Representative|Deputy|"
    r"Chief|Commissioner|Permanent|Chair|Chairperson|Adviser|Advisor|Counsellor|Envoy|Vice|State)\b"
)
_TROIKA = re.compile(r"\(troika\)[^:]{0,200}:\s*(?P<list>[^:]+?)\.(?:\s|$)")
_SESSION = re.compile(
    rf"\bheld\s+its\s+(?!\d)(?P<ord>{ORDINAL})\s+session\b"
)
_DIALOGUE = re.compile(r"\binteractive\s+dialogue\b", re.IGNORECASE)
_PARAGRAPH = re.compile(r"\d{1,3}\.[ ](?P<body>.+)")
_CHAPTER = re.compile(r"[IVXL]{1,6}\.[ ]")
_RECOMMENDATIONS = re.compile(r"\brecommendations\b", re.IGNORECASE)
_LEADING_THE = re.compile(r"^[Tt]he\s+")
_MAX_NAME_WORDS = 9


@dataclass(frozen=True)
class ReviewFacts:
    state_under_review: str | None
    review: Sitting | None
    adoption: Sitting | None
    head_of_delegation: Person | None
    troika: tuple[str, ...]
    delegations: tuple[str, ...]


def session_ordinal(lines: list[str]) -> int | None:
    """The session of the body the report is from ("held its seventh session ..."), if printed."""
    for line in lines:
        if "session" in line and (match := _SESSION.search(line)):
            return ordinal_value(match["ord"])
    return None


def find_review(lines: list[str], title_state: str | None) -> ReviewFacts | None:
    """The review facts of a review report; None when the text reviews no State."""
    flat = " ".join(lines)
    if "review of" not in flat and "report on" not in flat:  # most reports review no State
        return None
    review = _REVIEW.search(flat) if "review of" in flat else None
    adoption = next((m for p in _ADOPTION if (m := p.search(flat))), None) if "report on" in flat else None
    state = title_state or (review["state"] if review else adoption["state"] if adoption else None)
    if state is None or (review is None and adoption is None):
        return None
    return ReviewFacts(
        state_under_review=state,
        review=_sitting(review),
        adoption=_sitting(adoption),
        head_of_delegation=_head(flat),
        troika=_troika(flat),
        delegations=_delegations(lines, state),
    )


def with_review(meeting: Meeting, facts: ReviewFacts) -> Meeting:
    return replace(
        meeting,
        state_under_review=facts.state_under_review,
        review=facts.review,
        adoption=facts.adoption,
        head_of_delegation=facts.head_of_delegation,
        troika=facts.troika,
        delegations_making_statements=facts.delegations,
        named_states=tuple(
            (name, code)
            for name in (facts.state_under_review or "", *facts.troika, *facts.delegations)
            if name and (code := resolve_state(name))
        ),
    )


def _sitting(match: re.Match[str] | None) -> Sitting | None:
    if match is None:
        return None
    return Sitting(int(match["number"]), parse_date(match["date"]))


def _head(flat: str) -> Person | None:
    """"headed by the Minister for Foreign Affairs, Samuel Zbogar" or "headed by Samuel Zbogar,
    Minister for Foreign Affairs": the part with an office word is the title."""
    match = _HEADED.search(flat)
    if match is None:
        return None
    first, second = match["first"].strip(), match["second"].strip()
    if _OFFICE_WORDS.search(second) and not _OFFICE_WORDS.search(first):
        first, second = second, first
    return Person(name=_LEADING_THE.sub("", second), title=first)


def _troika(flat: str) -> tuple[str, ...]:
    match = _TROIKA.search(flat)
    return tuple(split_names(match["list"])) if match else ()


def _delegations(lines: list[str], state_under_review: str) -> tuple[str, ...]:
    """The States whose statements the interactive dialogue summarises: the numbered paragraphs,
    from the first heading that names the dialogue to the recommendations chapter, that open with
    a State's name and a verb ("Italy shared ...", "The Czech Republic welcomed ..."); the State
    under review's replies are not statements of a delegation."""
    reviewed = resolve_state(state_under_review)
    start = next((i for i, line in enumerate(lines) if _DIALOGUE.search(line) and len(line) < 200
                  and not _PARAGRAPH.match(line)), 0)
    found: dict[str, None] = {}
    for line in lines[start:]:
        if _CHAPTER.match(line) and _RECOMMENDATIONS.search(line):
            break
        paragraph = _PARAGRAPH.match(line)
        if paragraph is None:
            continue
        name = _opening_state(paragraph["body"])
        if name and resolve_state(name) != reviewed:
            found.setdefault(name, None)
    return tuple(found)


def _opening_state(body: str) -> str | None:
    """The State named by the first words of a sentence when a lower-case word (its verb)
    follows the name: the longest such name, as printed, without a leading "The" unless the
    name itself begins with a lower-case "the" ("the former Yugoslav Republic of Macedonia")."""
    words = body.split(" ", _MAX_NAME_WORDS + 1)
    for count in range(min(_MAX_NAME_WORDS, len(words) - 1), 0, -1):
        name = " ".join(words[:count])
        if not words[count][:1].islower() or name.endswith(","):
            continue
        if resolve_state(name):
            bare = _LEADING_THE.sub("", name)
            return f"the {bare}" if _spelt_with_the(bare) else bare
    return None


def _spelt_with_the(bare: str) -> bool:
    """A name whose UN spelling starts with a lower-case "the" (listed so in state_aliases)."""
    from untoc_kg.extract.nlp import state_names

    return f"the {bare}" in state_names()
