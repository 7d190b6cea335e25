"""Human documentation of the vocabulary, rendered by pyLODE (OntPub profile).

`ontology_html()` is pyLODE's whole page (CSS inline); `ontology_documentation()` is the same
documentation in parts (its title, its stylesheet, the body's markup) for a site that serves
styles from files under a Content-Security-Policy and puts its own header around the body.
"""

from __future__ import annotations

import re
import sys
import types
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version

from rdflib import OWL, RDF, SKOS, Graph


def _load_pylode():
    # pylode 3.4.x reads its version from a pyproject.toml that its wheel does not ship, so a
    # plain `import pylode` fails on installed copies. Pre-registering `pylode.version` with the
    # installed distribution's version sidesteps that without touching site-packages.
    if "pylode.version" not in sys.modules:
        shim = types.ModuleType("pylode.version")
        shim.__version__ = version("pylode")
        sys.modules["pylode.version"] = shim
    import pylode

    return pylode


def for_pylode(graph: Graph) -> Graph:
    """The vocabulary as pyLODE should see it. pyLODE takes every skos:ConceptScheme for a header
    of the document (their titles run together in one h1, the page's title and IRI are the last
    scheme's); our schemes are parts of the vocabulary, documented as its named individuals."""
    for scheme in list(graph.subjects(RDF.type, SKOS.ConceptScheme)):
        graph.remove((scheme, RDF.type, SKOS.ConceptScheme))
        graph.add((scheme, RDF.type, OWL.NamedIndividual))
    return graph


@cache
def ontology_html() -> str:
    """The vocabulary's HTML documentation page (one self-contained document, CSS inline)."""
    from . import ontology_graph

    return _load_pylode().OntPub(for_pylode(ontology_graph()), sort_subjects=True).make_html()


@dataclass(frozen=True)
class Documentation:
    title: str
    stylesheet: str
    """pyLODE's CSS, to be served as a file."""
    body: str
    """The markup inside pyLODE's <body>: no style element or attribute, no executable script."""


STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)
BODY = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL | re.IGNORECASE)
TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL | re.IGNORECASE)


@cache
def ontology_documentation() -> Documentation:
    """pyLODE's page in parts. Fails loudly if a pyLODE release puts styles or scripts where a
    strict CSP would block them (inline style attributes, event handlers, scripts in the body)."""
    html = ontology_html()
    body = BODY.search(html)
    title = TITLE.search(html)
    if body is None or title is None:
        raise ValueError("pyLODE's page has no <title> or <body>: unknown pyLODE layout")
    markup = body.group(1)
    if re.search(r"<script|<style|\sstyle=|\son[a-z]+=", markup, re.IGNORECASE):
        raise ValueError("pyLODE's body holds inline style or script: the site's CSP blocks it")
    return Documentation(title.group(1).strip(), "\n".join(STYLE.findall(html)), markup)
