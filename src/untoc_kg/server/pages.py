"""HTML for people: one Jinja2 template per kind of thing, fed by a few SPARQL queries over the
served build (Trifid-style: the graph holds the facts, the template only arranges them).

Autoescaping is on for every template: data is always text, never markup. The page's JSON-LD is
embedded with `<`, `>` and `&` written as JSON escapes, so "</script>" in the data cannot end the
script element.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

import pyoxigraph
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from pyoxigraph import Literal, NamedNode, Triple

from untoc_kg.server import formats
from untoc_kg.server.formats import FORMATS, HTML, JSON_LD, RDF_FORMATS, Format
from untoc_kg.server.negotiation import negotiate
from untoc_kg.server.published import Served, to_local
from untoc_kg.settings import ONTOLOGY_NAMESPACE
from untoc_kg.sparql.labels import LABEL_PROPERTIES

U = ONTOLOGY_NAMESPACE
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PAGE_SIZE = 50
PREFIX = f"""PREFIX untoc: <{U}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""


@dataclass(frozen=True)
class Link:
    """Something to link to: its label, and where it lives (a local path or an outside URL)."""

    label: str
    href: str


@dataclass
class Section:
    """One block of a page: a heading, then rows of links or text, maybe a 'next page' link."""

    heading: str
    rows: list[Any] = field(default_factory=list)
    next_href: str | None = None


def embed_json(data: bytes) -> Markup:
    """JSON for a <script type="application/ld+json"> block. `<`, `>` and `&` only occur inside
    JSON strings, where their \\u escapes mean the same: nothing can close the element."""
    text = data.decode("utf-8")
    for char, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, escape)
    return Markup(text)


def value_text(term: Any) -> str:
    return term.value if isinstance(term, (Literal, NamedNode)) else str(term)


class Pages:
    """Renders the site's pages for the build being served."""

    def __init__(self) -> None:
        self.env = Environment(
            loader=PackageLoader("untoc_kg.server", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )

    # -- shared pieces -------------------------------------------------------------------------

    def select(self, served: Served, query: str, **bindings: Any) -> list[dict[str, Any]]:
        """Run a SELECT with `bindings` as a VALUES block at the start of its WHERE (terms are
        written in their N-Triples form, which escapes whatever they hold)."""
        if bindings:
            names = " ".join(f"?{k}" for k in bindings)
            terms = " ".join(str(v) for v in bindings.values())
            query = query.replace("WHERE {", f"WHERE {{ VALUES ({names}) {{ ({terms}) }} ", 1)
        solutions = served.store.query(PREFIX + query)
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
        rows = self.select(
            served,
            "SELECT ?d ?title ?license WHERE { ?d a <http://rdfs.org/ns/void#Dataset> "
            "OPTIONAL { ?d dct:title ?title } OPTIONAL { ?d dct:license ?license } } LIMIT 1",
        )
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
        node = NamedNode(iri)
        types = {t.object.value for t in triples if t.subject == node and t.predicate == RDF_TYPE}
        local = to_local(iri, served) or iri
        sections = self.sections_for(served, node, types, after)
        return self.render(
            "resource.html",
            served,
            iri=iri,
            title=self.label(served, node),
            types=[self.link(served, NamedNode(t)) for t in sorted(types)],
            sections=sections,
            about=self.about(served, node, triples),
            alternates=[(f, f"{local}.{f.extension}") for f in FORMATS],
            json_ld=embed_json(formats.serialize(triples, JSON_LD)),
            wikidata=[
                t.object.value
                for t in triples
                if t.subject == node
                and t.object.value.startswith("http://www.wikidata.org/entity/")
            ],
        )

    def about(
        self, served: Served, node: NamedNode, triples: list[Triple]
    ) -> list[tuple[Link, list[Any]]]:
        """Every statement of the resource, property by property: the generic part of a page."""
        grouped: dict[str, list[Any]] = {}
        for t in triples:
            if t.subject != node or t.predicate == RDF_TYPE:
                continue
            value = (
                t.object
                if isinstance(t.object, Literal)
                else (self.link(served, t.object) if isinstance(t.object, NamedNode) else None)
            )
            if value is not None:
                grouped.setdefault(t.predicate.value, []).append(
                    value.value if isinstance(value, Literal) else value
                )
        return [(self.link(served, NamedNode(p)), vs) for p, vs in sorted(grouped.items())]

    def sections_for(
        self, served: Served, node: NamedNode, types: set[str], after: str | None = None
    ) -> list[Section]:
        sections: list[Section] = []
        if U + "Recommendation" in types:
            sections += self.recommendation(served, node)
        if U + "Meeting" in types:
            sections += self.meeting(served, node)
        if U + "State" in types or U + "Organization" in types:
            sections += self.attendance(served, node, after)
        if types & {U + "Article", U + "Provision", U + "Paragraph", U + "Chapter"}:
            sections += self.citing(served, node, after)
        return sections

    def recommendation(self, served: Served, node: NamedNode) -> list[Section]:
        text = self.select(served, "SELECT ?t WHERE { ?r untoc:text ?t }", r=node)
        subitems = self.select(
            served,
            "SELECT ?label ?t WHERE { ?r untoc:subItem ?s . "
            "?s untoc:text ?t OPTIONAL { ?s skos:notation|rdfs:label ?label } } "
            "ORDER BY ?label",
            r=node,
        )
        context = self.select(
            served,
            "SELECT ?p ?o WHERE { VALUES ?p { untoc:adoptedAt "
            "untoc:section untoc:addressee } ?r ?p ?o }",
            r=node,
        )
        cites = self.select(
            served,
            "SELECT ?a (SAMPLE(?l) AS ?label) (SAMPLE(?t) AS ?title) "
            "WHERE { ?r untoc:cites ?a OPTIONAL { ?a rdfs:label ?l } "
            "OPTIONAL { ?a dct:title ?t } } GROUP BY ?a ORDER BY ?a",
            r=node,
        )
        printed = self.select(
            served,
            "SELECT ?doc ?para WHERE { ?r untoc:occurrence ?o . "
            "?o untoc:inDocument ?doc OPTIONAL { ?o untoc:paragraphLabel ?para } }"
            " ORDER BY ?doc",
            r=node,
        )
        names = {
            U + "adoptedAt": "Adopted at",
            U + "section": "Section",
            U + "addressee": "Addressed to",
        }
        return [
            Section(
                "Text",
                [value_text(r["t"]) for r in text]
                + [
                    f"({value_text(r['label']) if r['label'] else ''}) {value_text(r['t'])}"
                    for r in subitems
                ],
            ),
            Section(
                "Context",
                [
                    (names[r["p"].value], self.link(served, r["o"]))
                    for r in context
                    if isinstance(r["o"], NamedNode)
                ],
            ),
            Section("Cites", [self.cited(served, r) for r in cites]),
            Section(
                "Printed in",
                [
                    (
                        self.link(served, r["doc"]),
                        f"paragraph {value_text(r['para'])}" if r["para"] else "",
                    )
                    for r in printed
                ],
            ),
        ]

    def cited(self, served: Served, row: dict[str, Any]) -> Link:
        """A cited provision as "Article 15 of the Convention: Jurisdiction"."""
        label = value_text(row["label"]) if row["label"] else self.label(served, row["a"])
        title = value_text(row["title"]) if row["title"] else ""
        return self.link(
            served, row["a"], f"{label}: {title}" if title and title != label else label
        )

    def meeting(self, served: Served, node: NamedNode) -> list[Section]:
        dates = self.select(
            served,
            "SELECT ?s ?e ?place WHERE { OPTIONAL { ?m schema:startDate ?s } "
            "OPTIONAL { ?m schema:endDate ?e } OPTIONAL { ?m schema:location ?place } }",
            m=node,
        )
        chair = self.select(served, "SELECT ?c WHERE { ?m untoc:chair ?c }", m=node)
        agenda = self.select(
            served,
            "SELECT ?i ?pos ?title WHERE { ?m untoc:agendaItem ?i "
            "OPTIONAL { ?i untoc:position ?pos } OPTIONAL { ?i dct:title|rdfs:label ?title } }"
            " ORDER BY ?pos",
            m=node,
        )
        attendance = self.select(
            served,
            "SELECT ?who ?role WHERE { ?a untoc:atMeeting ?m ; "
            "untoc:participant ?who OPTIONAL { ?a untoc:role ?role } }",
            m=node,
        )
        recs = self.select(
            served,
            "SELECT ?r ?pos ?sec WHERE { ?r untoc:adoptedAt ?m "
            "OPTIONAL { ?r untoc:position ?pos } OPTIONAL { ?r untoc:section ?sec } }"
            " ORDER BY ?sec ?pos",
            m=node,
        )
        when = [
            f"{value_text(r['s']) if r['s'] else '?'} to {value_text(r['e']) if r['e'] else '?'}"
            + (f", {self.label(served, r['place'])}" if r["place"] else "")
            for r in dates
            if r["s"] or r["e"]
        ]
        by_role: dict[str, list[Link]] = {}
        for r in attendance:
            role = self.label(served, r["role"]) if r["role"] else "Participants"
            by_role.setdefault(role, []).append(self.link(served, r["who"]))
        by_section: dict[str, list[Link]] = {}
        for r in recs:
            section = self.label(served, r["sec"]) if r["sec"] else "without a section"
            by_section.setdefault(section, []).append(self.link(served, r["r"]))
        return [
            Section("Dates", when),
            Section("Chair", [self.link(served, r["c"]) for r in chair]),
            Section(
                "Agenda",
                [
                    value_text(r["title"]) if r["title"] else self.label(served, r["i"])
                    for r in agenda
                ],
            ),
            *[
                Section(f"Attendance: {role}", sorted(links, key=lambda link: link.label))
                for role, links in sorted(by_role.items())
            ],
            *[Section(f"Recommendations: {sec}", links) for sec, links in by_section.items()],
        ]

    def attendance(
        self, served: Served, node: NamedNode, after: str | None = None
    ) -> list[Section]:
        """Meetings attended, oldest first, keyset-paged on (start date, meeting IRI) as
        `citing` is: a State attends thousands of meetings in a large graph."""
        rows = self.select(
            served,
            "SELECT ?m ?role ?key WHERE { ?a untoc:participant ?who ; "
            "untoc:atMeeting ?m OPTIONAL { ?a untoc:role ?role } "
            "OPTIONAL { ?m schema:startDate ?start } "
            "BIND(CONCAT(COALESCE(STR(?start), ''), ' ', STR(?m)) AS ?key) "
            + ("FILTER(?key > ?after) " if after else "")
            + f"}} ORDER BY ?key LIMIT {PAGE_SIZE + 1}",
            who=node,
            **({"after": Literal(after)} if after else {}),
        )
        section = Section(
            "Attended",
            [
                (self.link(served, r["m"]), self.label(served, r["role"]) if r["role"] else "")
                for r in rows[:PAGE_SIZE]
            ],
        )
        if len(rows) > PAGE_SIZE:
            section.next_href = "?after=" + value_text(rows[PAGE_SIZE - 1]["key"])
        return [section]

    def citing(self, served: Served, node: NamedNode, after: str | None = None) -> list[Section]:
        """Recommendations citing a provision (or a part of it), oldest meeting first, keyset-paged
        on (meeting date, IRI): a page costs the same however deep it is."""
        rows = self.select(
            served,
            "SELECT ?r ?m ?date WHERE { ?r untoc:cites ?p . ?p untoc:isPartOf* ?a . "
            "?r untoc:adoptedAt ?m OPTIONAL { ?m schema:startDate ?d } "
            "BIND(CONCAT(COALESCE(STR(?d), ''), ' ', STR(?r)) AS ?date) "
            + ("FILTER(?date > ?after) " if after else "")
            + f"}} GROUP BY ?r ?m ?date ORDER BY ?date LIMIT {PAGE_SIZE + 1}",
            a=node,
            **({"after": Literal(after)} if after else {}),
        )
        section = Section(
            "Cited by",
            [(self.link(served, r["r"]), self.link(served, r["m"])) for r in rows[:PAGE_SIZE]],
        )
        if len(rows) > PAGE_SIZE:
            section.next_href = "?after=" + value_text(rows[PAGE_SIZE - 1]["date"])
        return [section]

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
        counts = self.select(
            served,
            "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class "
            f"FILTER(STRSTARTS(STR(?class), '{U}')) }} GROUP BY ?class ORDER BY DESC(?n)",
        )
        meetings = self.select(
            served, "SELECT ?m WHERE { ?m a untoc:Meeting ; schema:startDate ?d } ORDER BY DESC(?d)"
        )
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
            triples=served.build.manifest.get("triples"),
        )

    def query(self, served: Served, examples: Iterable[tuple[str, str, str]]) -> str:
        return self.render("query.html", served, examples=list(examples))

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


def named_query_examples() -> list[tuple[str, str, str]]:
    """(name, title, text) of every named query, its parameters' defaults bound by a VALUES
    block opening its WHERE group (where FILTERs of that group see them), so each example runs
    as it stands and shows the user which value to change."""
    from untoc_kg.sparql.named_queries import named_queries, to_term

    examples = []
    for name, q in named_queries().items():
        values = "".join(
            f"\n  VALUES ?{p.name} {{ {to_term(p, p.default)} }}"
            for p in q.parameters
            if p.default is not None
        )
        text = WHERE_OPEN.sub(lambda m: m.group(0) + values, q.text.rstrip(), count=1)
        examples.append((name, q.title or name, text))
    return examples


WHERE_OPEN = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


STATIC = files("untoc_kg.server").joinpath("static")
