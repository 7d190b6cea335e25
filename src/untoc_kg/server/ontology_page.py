"""The vocabulary's page: pyLODE's documentation inside the site's own page (header, one title),
its stylesheet served as a file so the page renders under the site's Content-Security-Policy
(`style-src 'self'`, no inline style), and its links to what this site serves made local."""

from __future__ import annotations

import html
import re
from importlib.resources import files

import pyoxigraph
from markupsafe import Markup

from untoc_kg.server import formats
from untoc_kg.server.formats import HTML, Format
from untoc_kg.server.published import Served, to_local

STYLESHEET_PATH = "/ontology.css"
OVERRIDES = files("untoc_kg.server").joinpath("static", "ontology.css")
HREF = re.compile(r'href="([^"#][^"]*)"')


def localise_links(markup: str, served: Served) -> str:
    """Every `href` naming an IRI this site serves points at its local path instead, so a local
    `untoc-kg serve` keeps the reader on the local site whatever the base URI."""

    def local(match: re.Match[str]) -> str:
        iri = html.unescape(match.group(1))
        path = to_local(iri, served)
        return f'href="{html.escape(path)}"' if path else match.group(0)

    return HREF.sub(local, markup)


def stylesheet() -> bytes:
    """pyLODE's CSS, then the site's adjustments (later rules win at equal specificity)."""
    from untoc_kg.ontology.documentation import ontology_documentation

    css = ontology_documentation().stylesheet + "\n" + OVERRIDES.read_text(encoding="utf-8")
    return css.encode("utf-8")


def ontology_page(pages, served: Served) -> str:
    """The HTML page of the vocabulary (`pages`: the site's `Pages`, for its base template)."""
    from untoc_kg.ontology.documentation import ontology_documentation

    doc = ontology_documentation()
    return pages.render(
        "ontology.html",
        served,
        title=html.unescape(doc.title),
        stylesheet=STYLESHEET_PATH,
        documentation=Markup(localise_links(doc.body, served)),
    )


def ontology_representation(pages, served: Served, fmt: Format) -> bytes:
    """The vocabulary in `fmt`: its page, or its triples."""
    from untoc_kg.ontology import ontology_turtle

    if fmt is HTML:
        return ontology_page(pages, served).encode("utf-8")
    triples = pyoxigraph.parse(ontology_turtle().encode("utf-8"), pyoxigraph.RdfFormat.TURTLE)
    return formats.serialize(triples, fmt)
