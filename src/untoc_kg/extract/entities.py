"""States and organisations: names as the UN prints them -> ISO 3166-1 alpha-3 codes and the
short names of tests/gold/SCHEMA.md.

The names come from pycountry plus the alias tables in patterns/ (see `untoc_kg.extract.nlp`);
finding them in running text is the "entities" EntityRuler's job for States and the
organisation PhraseMatcher's for organisations.
"""

from __future__ import annotations

import re

from spacy.util import filter_spans

from untoc_kg.extract.nlp import (
    fold,
    organization_cue,
    organization_index,
    organization_matcher,
    pipeline,
    state_index,
    words,
)

_BRACKETED = re.compile(r"^(?P<name>.+?)\s*\((?P<inner>[^()]+)\)$")


def resolve_state(name: str) -> str | None:
    """ISO 3166-1 alpha-3 code of a State (or territory) named as printed, else None.

    "Venezuela (Bolivarian Republic of)" -> "VEN", "Türkiye" -> "TUR", "Holy See" -> "VAT";
    the European Union is not a State -> None.
    """
    index = state_index()
    key = fold(name)
    if key in index:
        return index[key]
    bracketed = _BRACKETED.match(key)
    if bracketed:
        # "Netherlands (Kingdom of the)": the name before the brackets is the State's short name
        return index.get(fold(bracketed["name"]))
    return None


def resolve_organization(name: str) -> str | None:
    """Short name of a known organisation named as printed ("International Criminal Police
    Organization (INTERPOL)" -> "INTERPOL"), else None."""
    index = organization_index()
    key = fold(name)
    if key in index:
        return index[key]
    bracketed = _BRACKETED.match(key)
    if bracketed:
        return index.get(fold(bracketed["name"])) or index.get(fold(bracketed["inner"]))
    return None


def _entity_ids(text: str, label: str) -> tuple[str, ...]:
    nlp = pipeline()
    doc = nlp.get_pipe("entities")(nlp.make_doc(text))
    seen: dict[str, None] = {}
    for ent in doc.ents:
        if ent.label_ == label:
            seen.setdefault(ent.ent_id_, None)
    return tuple(seen)


def find_organizations(text: str) -> tuple[str, ...]:
    """Short names of the organisations named in a text, in order of first mention, each once.

    Only named organisations count: "international organizations" and "civil society" are not
    names; a resource named on its own (SHERLOC) counts under its own short name.
    """
    if organization_cue().isdisjoint(words(text)):
        return ()
    doc = pipeline().make_doc(text)
    spans = filter_spans(organization_matcher()(doc, as_spans=True))  # longest name wins
    return tuple(dict.fromkeys(span.label_ for span in sorted(spans, key=lambda s: s.start)))


def find_states(text: str) -> tuple[str, ...]:
    """ISO alpha-3 codes of the States named in a text, in order of first mention, each once."""
    return _entity_ids(text, "GPE")
