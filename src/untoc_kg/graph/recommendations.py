"""Recommendations -> triples: one resource per recommendation, one occurrence per document that
prints it, qualified citations, and the report of every printing whose wording differs."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass

from rdflib import Literal, URIRef

from untoc_kg.records import Citation

from .meetings import meeting_name
from .merge import MergedRecommendation, body_key, meeting_uri, recommendation_uri_of
from .reference_data import provision_triples, provision_uri
from .standard_terms import standard_terms
from .triples import Triple, en
from .uris import Minter, child, slug
from untoc_kg.vocab import CITO, PROV, RDF, RDFS, SKOS, UNTOC, XSD


@dataclass(frozen=True)
class PrintedText:
    document: str
    """URI of the document."""
    source: str
    """File name of the copy the text was read from."""
    paragraph: str
    text: str


@dataclass(frozen=True)
class WordingDifference:
    """Two printings of one recommendation whose wording differs; both texts are kept."""

    recommendation: str
    first: PrintedText
    second: PrintedText

    def __str__(self) -> str:
        diff = difflib.ndiff(self.first.text.split(), self.second.text.split())
        changes = " ".join(d for d in diff if d[:1] in "+-")
        return (
            f"{self.recommendation}: {self.first.source} paragraph {self.first.paragraph} and "
            f"{self.second.source} paragraph {self.second.paragraph} differ: {changes}"
        )


def recommendation_uri(mint: Minter, merged: MergedRecommendation) -> URIRef:
    return recommendation_uri_of(mint, merged.key)


def addressee_key(addressee: str) -> str:
    """"The Working Group" and "the Working Group" are one addressee: "Working Group"."""
    text = " ".join(addressee.split())
    if text.lower().startswith("the "):
        text = text[4:]
    return text[:1].upper() + text[1:]


def differences(mint: Minter, merged: MergedRecommendation) -> tuple[WordingDifference, ...]:
    """Every printing (each copy of each document) compared with the reference printing."""
    uri = str(recommendation_uri(mint, merged))
    texts = [
        PrintedText(str(mint.document(p.document_key)), copy.source, record.paragraph, record.text)
        for p in merged.printings
        for copy, record in p.records
    ]
    reference = texts[0]
    return tuple(
        WordingDifference(uri, reference, other) for other in texts[1:] if other.text != reference.text
    )


@standard_terms
def recommendation_triples(mint: Minter, merged: MergedRecommendation, body_name: str) -> Iterator[Triple]:
    uri = recommendation_uri(mint, merged)
    body = body_key(merged.body_symbol, body_name)
    meeting = meeting_uri(mint, merged.meeting_key, body_name)
    preferred = merged.preferred
    yield uri, RDF.type, UNTOC.Recommendation
    made_to = f" to {preferred.addressee}" if merged.reviewed_state and preferred.addressee else ""
    yield uri, RDFS.label, en(
        f"Recommendation {merged.seq} of the {meeting_name(merged.meeting, merged.meeting_day, body_name)}{made_to}"
    )
    yield uri, UNTOC.position, Literal(merged.seq, datatype=XSD.integer)
    yield uri, UNTOC.adoptedAt, meeting
    yield uri, UNTOC.adoptedBy, mint.body(body)
    yield uri, UNTOC.text, en(preferred.text)
    for item in preferred.subitems:
        node = child(uri, "subitem", slug(item.label))
        yield uri, UNTOC.subItem, node
        yield node, RDF.type, UNTOC.SubItem
        yield node, RDFS.label, en(f"({item.label})")
        yield node, SKOS.notation, Literal(item.label)
        yield node, UNTOC.text, en(item.text)
    if section := merged.first("section"):
        node = child(meeting, "section", slug(section))
        title = next(
            (p.record.section_title for p in merged.printings
             if p.record.section == section and p.record.section_title), section,
        )
        yield uri, UNTOC.section, node
        yield node, RDF.type, UNTOC.Section
        yield node, SKOS.notation, Literal(section)
        yield node, RDFS.label, en(title)
        yield node, UNTOC.sectionOf, meeting
    if addressee := merged.first("addressee"):
        key = addressee_key(addressee)
        node = mint.addressee(key)
        yield uri, UNTOC.addressee, node
        yield node, RDF.type, UNTOC.Addressee
        yield node, SKOS.inScheme, UNTOC.Addressees
        yield node, RDFS.label, en(key)
    for name in sorted({o for p in merged.printings for _, r in p.records for o in r.organizations}):
        yield uri, UNTOC.mentions, mint.organization(name)
    yield from review_triples(mint, merged, uri)
    yield from occurrence_triples(mint, merged, uri)
    yield from citation_triples(mint, merged, uri)


def review_triples(mint: Minter, merged: MergedRecommendation, uri: URIRef) -> Iterator[Triple]:
    """A review recommendation: the State under review it is made to, the States that made it,
    and its standing where the report splits its lists."""
    preferred = merged.preferred
    if merged.reviewed_state:
        yield uri, UNTOC.stateUnderReview, mint.state(merged.reviewed_state)
    for code in dict.fromkeys(code for _, code in preferred.recommenders):
        yield uri, UNTOC.recommendedBy, mint.state(code)
    if preferred.standing:
        yield uri, UNTOC.standing, Literal(preferred.standing)


def occurrence_uri(recommendation: URIRef, document_key: str) -> URIRef:
    return child(recommendation, "occurrence", document_key)


def occurrence_triples(mint: Minter, merged: MergedRecommendation, uri: URIRef) -> Iterator[Triple]:
    for printing in merged.printings:
        document = mint.document(printing.document_key)
        node = occurrence_uri(uri, printing.document_key)
        record = printing.record
        # Where the recommendation is printed, not what it is derived from: the occurrence and
        # its spans say which document, copy and characters attest it.
        yield uri, UNTOC.occurrence, node
        yield node, RDF.type, UNTOC.RecommendationOccurrence
        yield node, RDFS.label, en(f"Paragraph {record.paragraph or record.label}")
        yield node, UNTOC.inDocument, document
        yield node, UNTOC.paragraphLabel, Literal(record.paragraph or record.label)
        yield node, UNTOC.text, en(record.text)
        for copy, copy_record in printing.records:
            span = child(node, "span", copy.sha256)
            yield node, UNTOC.span, span
            yield span, RDF.type, UNTOC.TextSpan
            yield span, RDFS.label, en(
                f"Characters {copy_record.span.start}-{copy_record.span.end} of copy {copy.sha256[:12]}"
            )
            yield span, UNTOC.inCopy, mint.copy(copy.sha256)
            yield span, UNTOC.startOffset, Literal(copy_record.span.start, datatype=XSD.integer)
            yield span, UNTOC.endOffset, Literal(copy_record.span.end, datatype=XSD.integer)


def citation_triples(mint: Minter, merged: MergedRecommendation, uri: URIRef) -> Iterator[Triple]:
    """One QualifiedCitation per cited provision, whatever the number of mentions or printings:
    explicit if any mention names the instrument, every distinct wording kept."""
    found: dict[URIRef, list[tuple[Citation, URIRef]]] = {}
    for printing in merged.printings:
        occurrence = occurrence_uri(uri, printing.document_key)
        for _, record in printing.records:
            for citation in record.citations:
                found.setdefault(provision_uri(mint, citation), []).append((citation, occurrence))
    for provision, mentions in sorted(found.items()):
        node = child(uri, "citation", str(provision).removeprefix(mint.base))
        explicit = any(c.how == "explicit" for c, _ in mentions)
        yield uri, UNTOC.cites, provision
        yield node, RDF.type, UNTOC.QualifiedCitation
        wordings = sorted({c.text for c, _ in mentions if c.text})
        yield node, RDFS.label, en(wordings[0] if wordings else "citation")
        yield node, UNTOC.citingRecommendation, uri
        yield node, UNTOC.citedProvision, provision
        yield node, UNTOC.citationMode, UNTOC.Explicit if explicit else UNTOC.Context
        yield node, CITO.hasCitationCharacterization, CITO.cites  # what CiTO's Citation needs
        for text in sorted({c.text for c, _ in mentions if c.text}):
            yield node, UNTOC.citedAs, en(text)
        for occurrence in sorted({o for _, o in mentions}):
            yield node, PROV.wasDerivedFrom, occurrence
        yield from provision_triples(mint, mentions[0][0])


