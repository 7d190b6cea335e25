"""Who made a review recommendation: the State(s) a review report prints in parentheses.

"To ratify (Spain)/consider ratifying (Argentina) the ... Convention (Spain, Argentina)" was made
by Spain and Argentina; "... (Azerbaijan); to continue ... (Malaysia)" merges two recommendations,
each with its State; "Iran (Islamic Republic of)" nests a parenthesis inside the State's name;
"(Social Security)" and "(No. 189)" belong to a convention's title. A parenthesised group is the
recommending States when every name in it is a State; the last group of a recommendation that
names no known State but reads as names is kept too (a spelling the State tables lack), and said.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from importlib.resources import files

from untoc_kg.extract.attendance import split_names
from untoc_kg.extract.entities import resolve_state
from untoc_kg.records import Meeting, Recommendation

_NAME_WORDS = re.compile(r"^(?:the\s+)?[A-Z][\w'’.\-]*(?:\s+(?:[A-Z][\w'’.\-]*|of|and|the|d'|du|de))*$")
_CLOSING = re.compile(r"[\s.;,]*$")


@cache
def _body_names() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern over every printed name of patterns/human_rights_bodies.json (longest first),
    and each printed name's reported name."""
    data = json.loads(files(__package__).joinpath("patterns", "human_rights_bodies.json").read_text("utf-8"))
    names = {printed: name for name, forms in data.items() if not name.startswith("_") for printed in forms}
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternation})\b"), names


def parenthesised(text: str) -> Iterator[tuple[int, int, str]]:
    """The top-level parenthesised groups of `text` (start, end, inside), nested ones kept inside
    their group: "(Iran (Islamic Republic of))" is one group."""
    depth, start = 0, -1
    for position, char in enumerate(text):
        if char == "(":
            if depth == 0:
                start = position
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                yield start, position + 1, text[start + 1:position]


def recommending_states(text: str) -> tuple[tuple[str, ...], bool]:
    """The States in a recommendation's parentheses, as printed, unique, in order of first
    appearance; the flag says a group of unknown names was taken for States."""
    found: dict[str, None] = {}
    groups = list(parenthesised(text))
    for _, _, inside in groups:
        names = _state_list(inside)
        if names and all(resolve_state(n) for n in names):
            found.update((n, None) for n in names)
    guessed = False
    if groups and not found:
        start, end, inside = groups[-1]
        names = _state_list(inside)
        if not _CLOSING.sub("", text[end:]) and names and all(_NAME_WORDS.match(n) for n in names):
            found.update((n, None) for n in names)
            guessed = True
    return tuple(found), guessed


def _state_list(inside: str) -> list[str]:
    """"Kenya, Bosnia and Herzegovina and Chile" -> the three names: split at commas outside
    brackets, then at an " and " only where the part is not itself a State's name."""
    names: list[str] = []
    for part in _outside_brackets(inside, ","):
        part = " ".join(part.split())
        part = part[4:] if part.startswith("and ") else part
        if not part:
            continue
        if resolve_state(part) or " and " not in part:
            names.append(_as_printed(_without_the(part), inside))
            continue
        names.extend(_as_printed(_without_the(n), inside) for n in split_names(part))
    return names


def _outside_brackets(text: str, separator: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for position, char in enumerate(text):
        depth += 1 if char == "(" else -1 if char == ")" else 0
        if char == separator and depth == 0:
            parts.append(text[start:position])
            start = position + 1
    parts.append(text[start:])
    return parts


def _without_the(name: str) -> str:
    return name[4:] if name[:4] in ("the ", "The ") else name


def _as_printed(name: str, listing: str) -> str:
    """A name whose UN spelling begins with a lower-case "the" keeps it ("the former Yugoslav
    Republic of Macedonia"); other names lose the article split_names takes off."""
    from untoc_kg.extract.nlp import state_names

    spelt = f"the {name}"
    return spelt if spelt in state_names() and spelt in listing else name


def other_bodies(text: str) -> tuple[str, ...]:
    """UN treaty bodies, Council organs and mechanisms named by title in the text."""
    pattern, names = _body_names()
    found: list[tuple[int, str]] = [(m.start(), names[m[0]]) for m in pattern.finditer(text)]
    found += [(m.start(), m[0]) for m in _MANDATE.finditer(text)]
    return tuple(dict.fromkeys(name for _, name in sorted(found)))


_MANDATE = re.compile(
    r"\b(?:Special\s+Rapporteur|Independent\s+Expert|Working\s+Group)\s+on\s+(?:the\s+)?[a-z][\w\-]*"
    r"(?:\s+(?!(?:regarding|concerning|in|with|for|by|during|after|when|that|which|who)\b)[a-z][\w\-]*)*"
)
"""A special procedure of the Council named by its mandate ("the Special Rapporteur on the
rights to water and sanitation"), up to the word that ends the name."""


def with_review_fields(
    recommendations: tuple[Recommendation, ...], session: Meeting
) -> tuple[Recommendation, ...]:
    """The recommendations of a review report with their recommending States and bodies named;
    they are addressed to the State under review (they have no grammatical subject)."""
    out = []
    for recommendation in recommendations:
        if recommendation.meeting != session.ordinal:
            out.append(recommendation)
            continue
        states, _ = recommending_states(recommendation.text)
        out.append(
            replace(
                recommendation,
                recommending_states=states,
                recommenders=tuple((n, code) for n in states if (code := resolve_state(n))),
                addressee=session.state_under_review,
                other_bodies=other_bodies(recommendation.text),
                reviewed_state=resolve_state(session.state_under_review or ""),
            )
        )
    return tuple(out)
