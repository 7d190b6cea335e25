"""The query page (`/query`): a SPARQL editor in the manner of YASGUI, served whole by the site
(no CDN; one script file, so it runs under the site's CSP).

`/query?query=...` is a permalink: the page opens with that query and runs it. `/query?name=N&p=v`
opens the named query N with its parameters. The page carries what its script needs to show
results as a reader wants them: the predeclared prefixes, the label properties, and where the
base URI and the vocabulary live on this server, so every result links to a local page whatever
base URI the build was made with.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup

from untoc_kg.server.formats import PREFIXES
from untoc_kg.server.pages import Pages, embed_json
from untoc_kg.server.published import Served, ontology_path
from untoc_kg.settings import ONTOLOGY_NAMESPACE
from untoc_kg.sparql.labels import LABEL_PROPERTIES
from untoc_kg.sparql.named_queries import (
    NamedQuery,
    QueryParameterError,
    bound_text,
    named_queries,
)

DEFAULT_QUERY = """SELECT ?class (COUNT(?thing) AS ?things) WHERE {
  ?thing a ?class
}
GROUP BY ?class
ORDER BY DESC(?things)
LIMIT 20"""
INPUT_TYPES = {"integer": "number", "string": "text", "iri": "url"}
DOWNLOADS = (
    ("csv", "CSV"),
    ("tsv", "TSV"),
    ("json", "JSON (SPARQL results, or JSON-LD)"),
    ("xml", "XML (SPARQL results, or RDF/XML)"),
    ("ttl", "Turtle (CONSTRUCT, DESCRIBE)"),
    ("nt", "N-Triples (CONSTRUCT, DESCRIBE)"),
)


@dataclass(frozen=True)
class Field:
    name: str
    input_type: str
    value: str
    required: bool
    description: str


@dataclass(frozen=True)
class NamedForm:
    name: str
    title: str
    description: str
    text: str
    """The query with its parameters' defaults bound: it runs as it stands."""
    fields: tuple[Field, ...]


def named_form(query: NamedQuery, values: Mapping[str, str]) -> NamedForm:
    fields = tuple(
        Field(
            p.name,
            INPUT_TYPES.get(p.kind, "text"),
            values.get(p.name, p.default or ""),
            not p.optional,
            p.description or p.kind,
        )
        for p in query.parameters
    )
    try:
        text = bound_text(query)
    except QueryParameterError:
        text = query.text
    return NamedForm(query.name, query.title, query.description, text, fields)


def page_settings(served: Served) -> Markup:
    """What the script needs, as a JSON data block (not executed, so the CSP allows it)."""
    settings = {
        "prefixes": dict(PREFIXES),
        "labelProperties": [p.value for p in LABEL_PROPERTIES],
        "local": [
            [served.base_uri, served.base_path],
            [ONTOLOGY_NAMESPACE.rstrip("#"), ontology_path()],
        ],
    }
    return embed_json(json.dumps(settings).encode("utf-8"))


def query_page(pages: Pages, served: Served, params: Mapping[str, str]) -> str:
    chosen = params.get("name") if params.get("name") in named_queries() else None
    forms = [
        named_form(q, params if q.name == chosen else {}) for q in named_queries().values()
    ]
    return pages.render(
        "query.html",
        served,
        forms=forms,
        chosen=chosen,
        query=params.get("query") or DEFAULT_QUERY,
        prefixes=sorted(PREFIXES.items()),
        downloads=DOWNLOADS,
        settings=page_settings(served),
    )
