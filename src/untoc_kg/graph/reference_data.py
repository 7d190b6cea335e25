"""Reference facts as triples: treaties with their articles and chapters (titles from the
reference data), the bodies of the Conference, States with ISO codes and Wikidata items."""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Literal, URIRef

from untoc_kg.records import Citation
from untoc_kg.reference import (
    TreatyInfo,
    article_titles,
    bodies,
    chapters,
    country_codes,
    treaties,
)

from .documents import official_document
from .standard_terms import standard_terms
from .triples import Triple, en
from .uris import Minter, child, slug
from untoc_kg.vocab import DCTERMS, ELI, ORG, OWL, RDF, RDFS, SKOS, UNTOC, XSD


def treaty_name(key: str) -> str:
    """The short name a lawyer would write ("Smuggling of Migrants Protocol"), else the key."""
    info = treaties().get(key)
    if info is None or not info.short_names:
        return key
    return max((s.removeprefix("the ") for s in info.short_names), key=len)


def _treaty_class(info: TreatyInfo) -> URIRef:
    if info.title.startswith("Protocol"):
        return UNTOC.Protocol
    if "Convention" in info.title:
        return UNTOC.Convention
    return UNTOC.Treaty


def treaty_triples(mint: Minter, key: str) -> Iterator[Triple]:
    uri = mint.treaty(key)
    info = treaties().get(key)
    yield uri, DCTERMS.identifier, Literal(key)
    if info is None:
        yield uri, RDF.type, UNTOC.Treaty
        yield uri, RDFS.label, en(key)
        return
    yield uri, RDF.type, _treaty_class(info)
    yield uri, RDFS.label, en(treaty_name(key))
    yield uri, DCTERMS.title, en(info.title)
    for short in info.short_names:
        if short.removeprefix("the ") != treaty_name(key):
            yield uri, SKOS.altLabel, en(short.removeprefix("the "))
    # Adoption is ELI's date of the document ("date of adoption or signature"); dct:dateAccepted
    # would read as a State's acceptance, one of the ways to consent to be bound by a treaty.
    yield uri, ELI.date_document, Literal(info.adopted, datatype=XSD.date)
    if info.entry_into_force:
        yield uri, ELI.first_date_entry_in_force, Literal(info.entry_into_force, datatype=XSD.date)
    if page := info.treaty_collection_page:
        yield uri, RDFS.seeAlso, URIRef(page)
    yield uri, RDFS.seeAlso, official_document(info.adopted_by)
    for other in treaties().values():
        if other.key != key and f"supplementing the {other.title}" in info.title:
            yield uri, UNTOC.supplements, mint.treaty(other.key)


def chapter_uri(mint: Minter, treaty: str, number: str) -> URIRef:
    return child(mint.treaty(treaty), "chapter", slug(number))


def article_uri(mint: Minter, treaty: str, number: int) -> URIRef:
    return child(mint.treaty(treaty), "article", str(number))


def chapter_triples(mint: Minter, treaty: str, number: str, title: str | None) -> Iterator[Triple]:
    uri = chapter_uri(mint, treaty, number)
    yield uri, RDF.type, UNTOC.Chapter
    yield uri, RDFS.label, en(f"Chapter {number} of the {treaty_name(treaty)}")
    yield uri, ELI.number, Literal(number)
    yield uri, UNTOC.isPartOf, mint.treaty(treaty)
    if title:
        yield uri, DCTERMS.title, en(title)


def article_triples(mint: Minter, treaty: str, number: int) -> Iterator[Triple]:
    uri = article_uri(mint, treaty, number)
    yield uri, RDF.type, UNTOC.Article
    yield uri, RDFS.label, en(f"Article {number} of the {treaty_name(treaty)}")
    yield uri, ELI.number, Literal(str(number))
    if title := article_titles().get(treaty, {}).get(number):
        yield uri, DCTERMS.title, en(title)
    parent = next(
        (chapter_uri(mint, c.treaty, c.number) for c in chapters()
         if c.treaty == treaty and c.first_article <= number <= c.last_article),
        mint.treaty(treaty),
    )
    yield uri, UNTOC.isPartOf, parent


@standard_terms
def reference_treaty_triples(mint: Minter) -> Iterator[Triple]:
    """Every treaty, chapter and article the reference data knows, cited or not."""
    for key in sorted(treaties()):
        yield from treaty_triples(mint, key)
    for chapter in chapters():
        yield from chapter_triples(mint, chapter.treaty, chapter.number, chapter.title)
    for treaty, articles in sorted(article_titles().items()):
        for number in sorted(articles):
            yield from article_triples(mint, treaty, number)


def provision_uri(mint: Minter, citation: Citation) -> URIRef:
    """The most precise provision a citation names."""
    if citation.article is None:
        return chapter_uri(mint, citation.treaty, citation.chapter or "unknown")
    uri = article_uri(mint, citation.treaty, citation.article)
    if citation.paragraph is not None:
        uri = child(uri, "paragraph", str(citation.paragraph))
    if citation.subparagraph:
        uri = child(uri, "subparagraph", slug(citation.subparagraph))
    return uri


def provision_triples(mint: Minter, citation: Citation) -> Iterator[Triple]:
    """The cited provision and its parents, for provisions the reference data does not list
    (paragraphs, subparagraphs, articles or treaties it lacks). Triples repeat harmlessly."""
    name = treaty_name(citation.treaty)
    yield from treaty_triples(mint, citation.treaty)
    if citation.article is None:
        yield from chapter_triples(mint, citation.treaty, citation.chapter or "unknown", None)
        return
    yield from article_triples(mint, citation.treaty, citation.article)
    article = article_uri(mint, citation.treaty, citation.article)
    sub = f" ({citation.subparagraph})" if citation.subparagraph else ""
    if citation.paragraph is not None:
        paragraph = child(article, "paragraph", str(citation.paragraph))
        yield paragraph, RDF.type, UNTOC.Paragraph
        yield paragraph, RDFS.label, en(
            f"Article {citation.article}, paragraph {citation.paragraph}, of the {name}"
        )
        yield paragraph, ELI.number, Literal(str(citation.paragraph))
        yield paragraph, UNTOC.isPartOf, article
        parent, label = paragraph, f"Article {citation.article}, paragraph {citation.paragraph}{sub}, of the {name}"
    else:
        parent, label = article, f"Article {citation.article}{sub} of the {name}"
    if citation.subparagraph:
        uri = child(parent, "subparagraph", slug(citation.subparagraph))
        yield uri, RDF.type, UNTOC.Subparagraph
        yield uri, RDFS.label, en(label)
        yield uri, ELI.number, Literal(citation.subparagraph)
        yield uri, UNTOC.isPartOf, parent


def body_class(name: str) -> URIRef:
    if name.startswith("Working Group"):
        return UNTOC.WorkingGroup
    if name.startswith("Conference"):
        return UNTOC.Conference
    return UNTOC.Body


@standard_terms
def body_triples(mint: Minter, symbol: str | None, name: str) -> Iterator[Triple]:
    """A body, and the body it reports to: the known body whose symbol is the longest proper
    prefix of its own ("CTOC/COP" for "CTOC/COP/WG.7")."""
    from .merge import body_key

    uri = mint.body(body_key(symbol, name))
    yield uri, RDF.type, body_class(name)
    yield uri, RDFS.label, en(name)
    if symbol:
        yield uri, DCTERMS.identifier, Literal(symbol)
        parents = [s for s in bodies() if symbol.startswith(s + "/")]
        if parents:
            yield uri, ORG.subOrganizationOf, mint.body(body_key(max(parents, key=len)))


@standard_terms
def reference_body_triples(mint: Minter) -> Iterator[Triple]:
    for symbol, info in sorted(bodies().items()):
        yield from body_triples.__wrapped__(mint, symbol, info.name)


def state_triples(mint: Minter, iso3: str, names: list[str]) -> Iterator[Triple]:
    """A State: its alpha-3 code, its Wikidata item, its name as the reports print it (the most
    frequent spelling; the others as alternative labels)."""
    uri = mint.state(iso3)
    yield uri, RDF.type, UNTOC.State
    yield uri, DCTERMS.identifier, Literal(iso3.upper())
    code = country_codes().get(iso3.upper())
    if code is not None:
        yield uri, SKOS.notation, Literal(code.iso2)
        yield uri, OWL.sameAs, wikidata(code.wikidata)
    spellings = sorted(set(names), key=lambda n: (-names.count(n), n)) or [_iso_name(iso3)]
    yield uri, RDFS.label, en(spellings[0])
    for other in spellings[1:]:
        yield uri, SKOS.altLabel, en(other)


def wikidata(item: str) -> URIRef:
    """A Wikidata item's entity IRI (the form Wikidata's own RDF uses)."""
    return URIRef(f"http://www.wikidata.org/entity/{item}")


def _iso_name(iso3: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_3=iso3.upper())
    return country.name if country is not None else iso3.upper()


def iso3_of(name: str, known: dict[str, str]) -> str | None:
    """The alpha-3 code of a State named as printed: first as the corpus's attendance lists spell
    it, then by ISO 3166 names."""
    if name in known:
        return known[name]
    import pycountry

    try:
        return pycountry.countries.lookup(name).alpha_3
    except LookupError:
        return None
