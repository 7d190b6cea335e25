"""The instruments a text names, cited by article or not: "To ratify the Convention on the Rights
of Persons with Disabilities" names CRPD without citing any of its provisions (a mention, not a
citation). Keys as in patterns/instruments.json; ILO conventions by their number ("the ILO
Domestic Workers Convention, 2011 (No. 189)" -> "ILO-C189"). "Protocol No. 12", "Directive (EU)
2024/1069" and "Sustainable Development Goals 10 and 16" name no instrument the project has a key
for, and carry no article either.
"""

from __future__ import annotations

import re

from spacy.util import filter_spans

from untoc_kg.extract.nlp import instrument_matcher, tokens

_ROLES = frozenset(
    {"PROTOCOL", "THIS_PROTOCOL", "THIS_CONVENTION", "THIS_ARTICLE", "PROTOCOLS", "NATIONAL_LAW"}
)
"""Names that stand for an instrument only in context ("the Protocol"), or for no treaty."""
_ILO = re.compile(
    r"\bILO\b(?:[^;()]|\([A-Z][A-Za-z ]+\))*?\bConvention\b[^;()]{0,40}?\((?:No\.|no\.)\s*(?P<number>\d{1,3})\)"
    r"|\bILO\s+Convention\s+No\.\s*(?P<bare>\d{1,3})\b"
    r"|\bInternational\s+Labour\s+Organization\s+Convention\s+No\.\s*(?P<long>\d{1,3})\b"
)
_CUE = re.compile(r"Convention|Covenant|Protocol|Charter|ILO|OPCAT|ICERD|ICCPR|ICESCR|CEDAW|ICRMW|CRPD|ICPPED")


def named_instruments(text: str) -> tuple[str, ...]:
    """Keys of the instruments `text` names, unique, in order of first mention. A bare "the
    Convention" (a UNTOC report's own) is left to the citation rules, which know the context."""
    if not _CUE.search(text):
        return ()
    found: list[tuple[int, str]] = []
    toks = tokens(text)
    for span in filter_spans(instrument_matcher()(toks.doc, as_spans=True)):
        key = toks.doc.vocab.strings[span.label]
        if key not in _ROLES and span.text.lower() not in ("the convention", "convention"):
            found.append((toks.char_span(span.start, span.end)[0], key))
    for match in _ILO.finditer(text):
        number = match["number"] or match["bare"] or match["long"]
        found.append((match.start(), f"ILO-C{int(number)}"))
    return tuple(dict.fromkeys(key for _, key in sorted(found)))
