"""HTML for people: one Jinja2 template per kind of thing (kinds.py), fed by the SPARQL queries
of queries/ over the served build (Trifid-style: the graph holds the facts, the template only
arranges them). The queries carry the named-query header (`# param: r iri`) and are bound by
`untoc_kg.sparql.named_queries`, as the named queries are.

Autoescaping is on for every template: data is always text, never markup. The page's JSON-LD is
embedded with `<`, `>` and `&` written as JSON escapes, so "</script>" in the data cannot end the
script element.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

import pyoxigraph
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from pyoxigraph import Literal, NamedNode, Triple

from untoc_kg.server import formats
from untoc_kg.server.formats import FORMATS, HTML, RDF_FORMATS, Format
from untoc_kg.server.negotiation import negotiate
from untoc_kg.server.pages.resource import PAGE_SIZE, ResourcePages, value_text
from untoc_kg.server.pages.rows import Link, Note, Row, Section
from untoc_kg.server.published import Served, to_local
from untoc_kg.settings import ONTOLOGY_NAMESPACE
from untoc_kg.sparql.labels import LABEL_PROPERTIES
from untoc_kg.sparql.named_queries import NamedQuery, bound_text, parse_query

__all__ = ["PAGE_SIZE", "STATIC", "Link", "Note", "Pages", "Row", "Section", "embed_json",
           "list_path"]

U = ONTOLOGY_NAMESPACE


@cache
def page_queries() -> dict[str, NamedQuery]:
    """The pages' queries (queries/*.rq beside this module), by name."""
    folder = files(__package__).joinpath("queries")
    return {
        entry.name.removesuffix(".rq"): parse_query(
            entry.name.removesuffix(".rq"), entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir() if entry.name.endswith(".rq")
    }


def embed_json(data: bytes) -> Markup:
    """JSON for a <script type="application/ld+json"> block. `<`, `>` and `&` only occur inside
    JSON strings, where their \\u escapes mean the same: nothing can close the element."""
    text = data.decode("utf-8")
    for char, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, escape)
    return Markup(text)


class Pages:
    """Renders the site's pages for the build being served."""

    def __init__(self) -> None:
        self.env = Environment(
            loader=PackageLoader("untoc_kg.server", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.resources = ResourcePages(self)

    # -- shared pieces -------------------------------------------------------------------------

    def rows(
        self, served: Served, name: str, limit: int | None = None, **values: Any
    ) -> list[dict[str, Any]]:
        """The answers of the page query `name`, its parameters bound to `values` (terms or
        strings), as dicts of variable -> term (None where unbound)."""
        query = page_queries()[name]
        text = bound_text(query, {k: value_text(v) for k, v in values.items()})
        if limit is not None:
            text += f"\nLIMIT {limit}"
        solutions = served.store.query(text)
        names = [v.value for v in solutions.variables]
        return [{n: row[n] for n in names} for row in solutions]

    def label(self, served: Served, node: Any) -> str:
        if isinstance(node, Literal):
            return node.value
        for prop in LABEL_PROPERTIES:
            for quad in served.store.quads_for_pattern(node, prop, None, pyoxigraph.DefaultGraph()):
                return quad.object.value
        return node.value.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def link(self, served: Served, node: Any, label: Any = None) -> Link:
        text = value_text(label) if label is not None else self.label(served, node)
        return Link(text, to_local(node.value, served) or node.value)

    def dataset(self, served: Served) -> dict[str, Any]:
        rows = self.rows(served, "dataset")
        row = rows[0] if rows else {}
        licence = row.get("license")
        return {
            "title": value_text(row["title"]) if row.get("title") else "untoc-kg",
            "iri": row["d"].value if row.get("d") else None,
            "licence": licence.value if licence is not None else None,
            "build_id": served.build_id,
            "created": served.build.manifest.get("created"),
        }

    def render(self, template: str, served: Served | None, **context: Any) -> str:
        site = self.dataset(served) if served is not None else {"title": "untoc-kg"}
        return self.env.get_template(template).render(site=site, **context)

    # -- resources -------------------------------------------------------------------------------

    def resource(
        self, served: Served, iri: str, triples: list[Triple], after: str | None = None
    ) -> str:
        """The page of a thing: its kind's template and sections (`resource.ResourcePages`)."""
        return self.resources.page(served, iri, triples, after)

    # -- other pages -----------------------------------------------------------------------------

    def ontology(self, served: Served, fmt: Format) -> bytes:
        from untoc_kg.ontology import ontology_html, ontology_turtle

        if fmt is HTML:
            return ontology_html().encode("utf-8")
        triples = pyoxigraph.parse(ontology_turtle().encode("utf-8"), pyoxigraph.RdfFormat.TURTLE)
        return formats.serialize(triples, fmt)

    def home(self, served: Served, coverage: dict | None = None) -> str:
        """The dataset at a glance: what it covers (bodies, years, counts, from the search index
        when there is one), a way into every list, and the meetings."""
        counts = self.rows(served, "home-counts")
        meetings = self.rows(served, "home-meetings")
        from untoc_kg.search.kinds import BY_CLASS, KINDS

        def counted(cls: NamedNode) -> Link:
            kind = BY_CLASS.get(cls.value)
            link = self.link(served, cls)
            if kind is None or kind.classes[0] != cls.value:
                return link
            return Link(link.label, list_path(served, kind.name))

        return self.render(
            "home.html",
            served,
            coverage=coverage,
            lists=[(k, list_path(served, k.name)) for k in KINDS],
            counts=[(counted(r["class"]), int(r["n"].value)) for r in counts],
            meetings=[self.link(served, r["m"]) for r in meetings],
            # what the endpoint counts: the dumps' own sizes and checksums included
            triples=served.build.manifest.store_triples or served.build.manifest.triples,
        )

    def not_found(self, served: Served | None, path: str, accept: str | None) -> Response:
        """A real 404, in the format asked for: a page, an empty graph, or plain text."""
        offered = formats.offers(FORMATS)
        fmt = offered.get(negotiate(accept, list(offered)) or "")
        if fmt is HTML:
            return HTMLResponse(self.render("not_found.html", served, path=path), 404)
        if fmt in RDF_FORMATS:
            return Response(formats.serialize([], fmt), 404, media_type=fmt.content_type)
        return PlainTextResponse(f"Not found: {path}\n", 404)


def list_path(served: Served, kind: str) -> str:
    """Where the list of a kind is served: its things' IRIs cut back to the kind's segment
    (…/id/article/ lists the articles of every treaty; …/id/treaty/som/article/ those of one)."""
    from untoc_kg.search.kinds import BY_NAME

    return served.base_path + BY_NAME[kind].segment + "/"


STATIC = files("untoc_kg.server").joinpath("static")
