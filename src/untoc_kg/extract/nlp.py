"""The one place the spaCy pipeline is assembled, and the name tables it is built from.

`spacy.blank("en")` (no model download) with one EntityRuler, "entities": States (label GPE,
id = ISO 3166-1 alpha-3) and organisations (label ORG, id = the short name of
tests/gold/SCHEMA.md); two PhraseMatchers run on their own, without the ruler's bookkeeping
(they run on every recommendation): `instrument_matcher()`, the Convention and its Protocols by
title, short name and the bare forms a report prints ("the Convention", "the Protocol", "this
article"), plus the Vienna Convention on Consular Relations, match id = treaty key or role (see
patterns/instruments.json); `organization_matcher()`, the organisations alone; and one Matcher,
`provision_matcher()`, for the parts of a citation (patterns/provisions.json).

Everything is built once per process (functools.cache) and read-only afterwards. The names are
data: pycountry's country names with the variants the UN prints, and the JSON files beside this
module.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Iterator, Mapping

import pycountry
import spacy
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from untoc_kg import reference

OTHER_INSTRUMENT_LABEL = "OTHER_INSTRUMENT"
DOCUMENT_REF_LABEL = "DOCUMENT_REF"
"""Match ids of the provision Matcher that name instruments, not provisions."""
OTHER_INSTRUMENT = "OTHER"
"""Entity id of an instrument the project has no key for (its provisions are never emitted)."""
DOCUMENT_REF = "DOCUMENT"
"""Entity id of a resolution, decision, recommendation or annex (not a treaty)."""

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def _data(name: str) -> dict:
    text = files(__package__).joinpath("patterns", name).read_text(encoding="utf-8")
    return {k: v for k, v in json.loads(text).items() if not k.startswith("_")}


def fold(name: str) -> str:
    """The form names are compared in: NFKC, straight apostrophes, whitespace folded, case folded,
    no leading "the", no trailing full stop."""
    text = unicodedata.normalize("NFKC", name).translate(_APOSTROPHES)
    text = " ".join(text.split()).strip(" .,;:").casefold()
    return text[4:] if text.startswith("the ") else text


def _spellings(name: str) -> Iterator[str]:
    """The printed forms of a name: as given and with the other apostrophe."""
    yield name
    if "'" in name:
        yield name.replace("'", "\u2019")


# States ----------------------------------------------------------------------------------------


def _country_variants(name: str) -> Iterator[str]:
    """pycountry's "Korea, Republic of" also as the UN prints it: "Republic of Korea" and
    "Korea (Republic of)"; "Congo, The Democratic Republic of the" as "Democratic Republic of the
    Congo"."""
    yield name
    if ", " in name and "(" not in name:
        head, tail = name.split(", ", 1)
        tail_words = tail.split()
        if tail_words and tail_words[0].lower() == "the":
            tail = " ".join(tail_words[1:])
        if tail.endswith(" the"):
            yield f"{tail} {head}"
            yield f"{head} ({tail})"
        elif tail.endswith(" of"):
            yield f"{tail} {head}"
            yield f"{head} ({tail})"


@cache
def state_index() -> Mapping[str, str | None]:
    """Folded State name -> ISO 3166-1 alpha-3; None for names that are known not to be States
    (the European Union)."""
    index: dict[str, str | None] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            name = getattr(country, attr, None)
            if name:
                for variant in _country_variants(name):
                    index.setdefault(fold(variant), country.alpha_3)
    for name, code in _data("state_aliases.json").items():
        index[fold(name)] = code
    return MappingProxyType(index)


@cache
def state_names() -> Mapping[str, str]:
    """Printed State name -> alpha-3, for the entity ruler (names that are not States left out)."""
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            name = getattr(country, attr, None)
            if name:
                for variant in _country_variants(name):
                    names.setdefault(variant, country.alpha_3)
    for name, code in _data("state_aliases.json").items():
        if code is None:
            names.pop(name, None)
        else:
            names[name] = code
    return MappingProxyType(names)


# Organisations ---------------------------------------------------------------------------------


@cache
def organization_names() -> Mapping[str, str]:
    """Printed organisation name or acronym -> short name (tests/gold/SCHEMA.md)."""
    return MappingProxyType(
        {name: short for short, names in _data("organizations.json").items() for name in names}
    )


_NOT_IN_WORDS = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\u2013\u2014\u2026"})


def words(text: str) -> list[str]:
    """The words of a text split at spaces and punctuation: a cheap superset test for names."""
    return text.translate(_NOT_IN_WORDS).split()


@cache
def organization_cue() -> frozenset[str]:
    """The first word of any organisation name (as printed and in capitals): a text none of whose
    `words` is one of these is never tokenised, and most recommendations name no organisation.
    A set of words, not a regex alternation: an alternation costs as much as the ruler it spares."""
    first_words = {words(name)[0] for name in organization_names()}
    return frozenset(first_words | {w.upper() for w in first_words})


@cache
def organization_matcher() -> PhraseMatcher:
    """The organisation names alone (match id = short name), case-blind: finding organisations
    needs neither the State names nor the EntityRuler's bookkeeping around them."""
    nlp = pipeline()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    by_short: dict[str, list[str]] = {}
    for name, short in organization_names().items():
        by_short.setdefault(short, []).extend(_spellings(name))
    for short, names in by_short.items():
        matcher.add(short, list(nlp.tokenizer.pipe(names)))
    return matcher


@cache
def organization_index() -> Mapping[str, str]:
    """Folded organisation name -> short name."""
    return MappingProxyType({fold(name): short for name, short in organization_names().items()})


# Instruments -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class InstrumentName:
    text: str
    id: str


def _forms(name: str) -> Iterator[str]:
    """A name with and without its leading "the"; a lone "Protocol" or "Convention" is a common
    noun, not a name, so "the" stays on those."""
    yield name
    if name.lower().startswith("the ") and len(name.split()) > 2:
        yield name[4:]


@cache
def instrument_names() -> tuple[InstrumentName, ...]:
    """Every name of an instrument the project knows, with its key or role."""
    pairs: list[tuple[str, str]] = []
    for key, treaty in reference.treaties().items():
        pairs.append((treaty.title, key))
        pairs.append((treaty.title.split(", supplementing")[0], key))
        pairs.extend((short, key) for short in treaty.short_names)
    for key, names in _data("instruments.json")["names"].items():
        pairs.extend((name, key) for name in names)
    found: dict[str, InstrumentName] = {}
    for name, key in pairs:
        for form in _forms(name):
            found.setdefault(form.lower(), InstrumentName(form, key))
    return tuple(found.values())


@cache
def article_counts() -> Mapping[str, int]:
    """How many articles each instrument with a key has (reference data plus instruments.json)."""
    counts = {key: len(articles) for key, articles in reference.article_titles().items()}
    counts.update(_data("instruments.json")["article_counts"])
    return MappingProxyType(counts)


# The pipeline ----------------------------------------------------------------------------------


@cache
def pipeline() -> Language:
    """spaCy blank English with the "entities" ruler (not run by `nlp(text)` in this project:
    callers run what they need on `nlp.make_doc(text)`)."""
    nlp = spacy.blank("en")
    entities = nlp.add_pipe(
        "entity_ruler", name="entities", config={"phrase_matcher_attr": "LOWER"}
    )
    entities.add_patterns(
        [
            {"label": "ORG", "pattern": spelling, "id": short}
            for name, short in organization_names().items()
            for spelling in _spellings(name)
        ]
        + [
            {"label": "GPE", "pattern": spelling, "id": code}
            for name, code in state_names().items()
            for spelling in _spellings(name)
        ]
    )
    return nlp


@cache
def instrument_matcher() -> PhraseMatcher:
    """The names of `instrument_names()`, case-blind; match id = treaty key or role."""
    nlp = pipeline()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    by_id: dict[str, list[str]] = {}
    for name in instrument_names():
        by_id.setdefault(name.id, []).append(name.text)
    for key, names in by_id.items():
        matcher.add(key, list(nlp.tokenizer.pipe(names)))
    return matcher


@cache
def provision_matcher() -> Matcher:
    """Matcher for the parts of a citation and for instruments without a key; match ids are the
    labels of patterns/provisions.json."""
    nlp = pipeline()
    matcher = Matcher(nlp.vocab)
    for label, patterns in _data("provisions.json").items():
        matcher.add(label, patterns, greedy="LONGEST")
    return matcher


@dataclass(frozen=True)
class Tokens:
    """A text as spaCy tokens with the whitespace tokens left out, so that rules never have to
    allow for line breaks or double spaces; `starts[i]` is the offset of token i in the text."""

    doc: Doc
    starts: tuple[int, ...]

    def char_span(self, start: int, end: int) -> tuple[int, int]:
        """Character offsets in the text of tokens start..end (end-exclusive)."""
        last = self.doc[end - 1]
        return self.starts[start], self.starts[end - 1] + len(last.text)


_SPACE_TOKEN = re.compile(r"^\s|\s\s|[^\S ]")
"""Where spaCy makes a whitespace token: leading, repeated or other than one plain space."""


def tokens(text: str) -> Tokens:
    nlp = pipeline()
    doc = nlp.make_doc(text)
    if not _SPACE_TOKEN.search(text):
        return Tokens(doc, tuple(doc.to_array("IDX").tolist()))
    kept = [t for t in doc if not t.is_space]
    compact = Doc(nlp.vocab, words=[t.text for t in kept], spaces=[True] * len(kept))
    return Tokens(compact, tuple(t.idx for t in kept))

