"""The page of one thing of the graph: the sections its kind has (kinds.py), each from a query of
queries/, then every statement about it, grouped and ordered, and the links to it apart
(LodView and Trifid pages)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, Triple

from untoc_kg.server import formats
from untoc_kg.server.formats import FORMATS, JSON_LD
from untoc_kg.server.pages.kinds import COLLAPSE_AFTER, OFFICIAL_DOCUMENT, ROLE_ORDER, page_kind
from untoc_kg.server.pages.rows import Link, Note, Row, Section
from untoc_kg.server.published import Served, to_local
from untoc_kg.settings import ONTOLOGY_NAMESPACE as U
from untoc_kg.vocab import RDF_TYPE

if TYPE_CHECKING:
    from untoc_kg.server.pages import Pages

PAGE_SIZE = 50
MADE, RECEIVED = "made", "received"
"""The lists of a State's page paged apart from the meetings it attended: `?after=made:<key>`."""
TEXT_SHOWN = 300
"""Characters of a recommendation's text shown in a list before it is cut."""


def value_text(term: Any) -> str:
    return term.value if isinstance(term, (Literal, NamedNode)) else str(term)


def shortened(text: str, size: int = TEXT_SHOWN) -> str:
    return text if len(text) <= size else text[: size].rsplit(" ", 1)[0] + " …"


class ResourcePages:
    def __init__(self, pages: Pages) -> None:
        self.pages = pages

    def page(self, served: Served, iri: str, triples: list[Triple], after: str | None) -> str:
        from untoc_kg.server.pages import embed_json

        pages = self.pages
        node = NamedNode(iri)
        types = {t.object.value for t in triples if t.subject == node and t.predicate == RDF_TYPE}
        kind = page_kind(types)
        sections = getattr(self, kind.sections)(served, node, after) if kind else []
        local = to_local(iri, served) or iri
        statements, inbound = self.about(served, node, triples)
        return pages.render(
            kind.template if kind else "resource.html",
            served,
            iri=iri,
            title=pages.label(served, node),
            types=[pages.link(served, NamedNode(t)) for t in sorted(types)],
            sections=sections,
            about=statements,
            inbound=inbound,
            alternates=[(f, f"{local}.{f.extension}") for f in FORMATS],
            json_ld=embed_json(formats.serialize(triples, JSON_LD)),
            wikidata=[
                t.object.value for t in triples
                if t.subject == node and t.object.value.startswith("http://www.wikidata.org/entity/")
            ],
            official=self.official(served, node) if kind and kind.sections == "document" else None,
        )

    # -- the generic part ----------------------------------------------------------------------

    def about(self, served: Served, node: NamedNode, triples: list[Triple]) -> tuple[list, list]:
        """(property, values) of every statement about the thing, its type first then by the
        property's name, values by name; and (property, subjects) of the links pointing to it."""
        pages = self.pages
        out: dict[str, list[Any]] = defaultdict(list)
        into: dict[str, list[Link]] = defaultdict(list)
        for t in triples:
            if t.subject == node:
                if isinstance(t.object, Literal):
                    out[t.predicate.value].append(t.object.value)
                elif isinstance(t.object, NamedNode):
                    out[t.predicate.value].append(pages.link(served, t.object))
            elif t.object == node and isinstance(t.subject, NamedNode):
                into[t.predicate.value].append(pages.link(served, t.subject))

        def ordered(groups: dict[str, list[Any]]) -> list[tuple[Link, list[Any]]]:
            named = [(pages.link(served, NamedNode(p)), values) for p, values in groups.items()]
            named.sort(key=lambda g: (g[0].href != pages.link(served, RDF_TYPE).href,
                                      g[0].label.casefold()))
            return [(prop, sorted(set(values), key=_value_key)) for prop, values in named]

        return ordered(out), ordered(into)

    # -- kinds -----------------------------------------------------------------------------------

    def recommendation(self, served: Served, node: NamedNode, after: str | None) -> list[Section]:
        pages = self.pages
        text = pages.rows(served, "recommendation-text", r=node)
        context = pages.rows(served, "recommendation-context", r=node)
        cites = pages.rows(served, "recommendation-cites", r=node)
        printed = pages.rows(served, "recommendation-printed", r=node)
        names = {U + "adoptedAt": "Adopted at", U + "section": "Section",
                 U + "addressee": "Addressed to"}
        return [
            Section("Text", [
                Note(value_text(r["t"]) if r["main"].value == "true"
                     else f"({value_text(r['label']) if r['label'] else ''}) {value_text(r['t'])}")
                for r in text
            ]),
            Section("Context", [
                Row(pages.link(served, r["o"]), note=names[r["p"].value])
                for r in context if isinstance(r["o"], NamedNode)
            ]),
            Section("Cites", [Row(self.cited(served, r)) for r in cites]),
            Section("Printed in", [
                Row(pages.link(served, r["doc"]),
                    note=f"paragraph {value_text(r['para'])}" if r["para"] else "")
                for r in printed
            ]),
        ]

    def cited(self, served: Served, row: dict[str, Any]) -> Link:
        """A cited provision as "Article 15 of the Convention: Jurisdiction"."""
        label = value_text(row["label"]) if row["label"] else self.pages.label(served, row["a"])
        title = value_text(row["title"]) if row["title"] else ""
        return self.pages.link(
            served, row["a"], f"{label}: {title}" if title and title != label else label
        )

    def meeting(self, served: Served, node: NamedNode, after: str | None) -> list[Section]:
        pages = self.pages
        facts = pages.rows(served, "meeting-facts", m=node)
        agenda = pages.rows(served, "meeting-agenda", m=node)
        attendance = pages.rows(served, "meeting-attendance", m=node)
        recommendations = pages.rows(served, "meeting-recommendations", m=node)
        documents = pages.rows(served, "meeting-documents", m=node)
        when = [
            f"{value_text(r['s']) if r['s'] else '?'} to {value_text(r['e']) if r['e'] else '?'}"
            + (f", {pages.label(served, r['place'])}" if r["place"] else "")
            for r in facts[:1] if r["s"] or r["e"]
        ]
        chairs = {r["chair"].value: r["chair"] for r in facts if r["chair"] is not None}
        sections = [
            Section("Dates", [Note(w) for w in when]),
            Section("Chair", [pages.link(served, c) for c in chairs.values()]),
            Section("Agenda", [
                Note(value_text(r["title"]) if r["title"] else pages.label(served, r["i"]))
                for r in agenda
            ]),
            Section("Reported in", [pages.link(served, r["doc"]) for r in documents]),
        ]
        sections += self.attendance_sections(served, attendance)
        sections += self.recommendation_sections(served, recommendations)
        return sections

    def attendance_sections(self, served: Served, rows: list[dict]) -> list[Section]:
        """Attendance by role, the parties first; long lists collapsed; "not recorded" said."""
        pages = self.pages
        if not rows:
            return [Section("Attendance", empty="Attendance not recorded: the documents of this "
                            "meeting in the graph list no participants.")]
        by_role: dict[str, list[Link]] = defaultdict(list)
        labels: dict[str, str] = {}
        for r in rows:
            role = r["role"].value if r["role"] is not None else ""
            labels[role] = pages.label(served, r["role"]) if r["role"] is not None else "Participants"
            by_role[role].append(pages.link(served, r["who"]))
        order = {iri: i for i, iri in enumerate(ROLE_ORDER)}
        roles = sorted(by_role, key=lambda r: (order.get(r, len(order)), labels[r].casefold()))
        total = sum(len(v) for v in by_role.values())
        states = len({r["who"].value for r in rows if r["state"].value == "true"})
        sections = [Section("Attendance", [Note(
            f"{total} participant{'s' if total != 1 else ''}, {states} of them States.")])]
        for role in roles:
            links = sorted(by_role[role], key=lambda link: link.label.casefold())
            sections.append(Section(f"Attendance: {labels[role]} ({len(links)})", links,
                                    collapsed=len(links) > COLLAPSE_AFTER, level=3))
        return sections

    def recommendation_sections(self, served: Served, rows: list[dict]) -> list[Section]:
        """The recommendations by section, in order, each with its text and cited provisions."""
        pages = self.pages
        if not rows:
            return [Section("Recommendations", empty="No recommendation of this meeting is in the graph.")]
        by_section: dict[str, dict[str, dict]] = defaultdict(dict)
        for r in rows:
            section = pages.label(served, r["sec"]) if r["sec"] else "without a section"
            entry = by_section[section].setdefault(
                r["r"].value, {"node": r["r"], "text": value_text(r["text"]) if r["text"] else "",
                               "cited": {}})
            if r["cited"] is not None:
                entry["cited"][r["cited"].value] = r["cited"]
        count = len({r["r"].value for r in rows})
        listing = (to_local(rows[0]["r"].value, served) or "").rsplit("/", 1)[0] + "/"
        sections = [Section("Recommendations", [Link(
            f"All {count} as a list, to sort and page", listing)])]
        for section, entries in by_section.items():
            sections.append(Section(f"Recommendations: {section}", [
                Row(pages.link(served, e["node"]), text=shortened(e["text"]),
                    links=tuple(pages.link(served, c) for c in e["cited"].values()),
                    links_label="cites")
                for e in entries.values()
            ], level=2))
        return sections

    def agent(self, served: Served, node: NamedNode, after: str | None) -> list[Section]:
        """Meetings attended, then the review recommendations made and received where there are
        any, each list keyset-paged on its own: a deeper page (`?after=made:…`) is of one list."""
        section, _, key = (after or "").partition(":")
        if after and section == MADE:
            return self.recommendations_made(served, node, key)
        if after and section == RECEIVED:
            return self.recommendations_received(served, node, key)
        if after:
            return self.attended(served, node, after)
        return (self.attended(served, node, None) + self.recommendations_made(served, node, None)
                + self.recommendations_received(served, node, None))

    def attended(self, served: Served, node: NamedNode, after: str | None) -> list[Section]:
        """Meetings attended, oldest first, with their dates and what each adopted; keyset-paged."""
        pages = self.pages
        rows = pages.rows(served, "attended", limit=PAGE_SIZE + 1, who=node,
                          **({"after": after} if after else {}))
        shown = []
        for r in rows[:PAGE_SIZE]:
            dates = " to ".join(value_text(r[k]) for k in ("start", "end") if r[k] is not None)
            adopted = int(r["adopted"].value)
            role = pages.label(served, r["role"]) if r["role"] else ""
            links = ()
            if adopted:
                listing = (to_local(r["m"].value, served) or "").replace(
                    "/meeting/", "/recommendation/", 1)
                links = (Link(f"{adopted} recommendation{'s' if adopted != 1 else ''} adopted",
                              listing + "/"),)
            shown.append(Row(pages.link(served, r["m"]), note=" · ".join(p for p in (role, dates) if p),
                             links=links))
        section = Section("Attended", shown, empty=None if after else "No attendance recorded.")
        if len(rows) > PAGE_SIZE:
            section.next_href = "?after=" + quote(value_text(rows[PAGE_SIZE - 1]["key"]))
        return [section]

    def recommendations_made(self, served: Served, node: NamedNode, after: str | None) -> list[Section]:
        """The review recommendations the State made, by State under review, session and
        position, each with its standing and text; none, no section."""
        pages = self.pages
        rows = pages.rows(served, "recommendations-made", limit=PAGE_SIZE + 1, who=node,
                          **({"after": after} if after else {}))
        if not rows:
            return []
        shown = [
            Row(pages.link(served, r["r"]), note=value_text(r["standing"]) if r["standing"] else "",
                text=shortened(value_text(r["text"])) if r["text"] else "",
                links=(pages.link(served, r["reviewed"]),)
                + ((pages.link(served, r["m"]),) if r["m"] is not None else ()),
                links_label="to")
            for r in rows[:PAGE_SIZE]
        ]
        section = Section("Recommendations made", shown)
        if len(rows) > PAGE_SIZE:
            section.next_href = self.next_page(MADE, rows[PAGE_SIZE - 1])
        return [section]

    def recommendations_received(self, served: Served, node: NamedNode,
                                 after: str | None) -> list[Section]:
        """As State under review: how many recommendations each State made (on the first page),
        then the recommendations under their recommending States; none, no section."""
        pages = self.pages
        rows = pages.rows(served, "recommendations-received", limit=PAGE_SIZE + 1, who=node,
                          **({"after": after} if after else {}))
        if not rows:
            return []
        counts = [] if after else [
            Row(pages.link(served, r["by"]), note=_received_note(r))
            for r in pages.rows(served, "recommendations-received-counts", who=node)
        ]
        by_state: dict[str, list[Row]] = defaultdict(list)
        for r in rows[:PAGE_SIZE]:
            by_state[pages.label(served, r["by"])].append(Row(
                pages.link(served, r["r"]), note=value_text(r["standing"]) if r["standing"] else "",
                text=shortened(value_text(r["text"])) if r["text"] else "",
                links=(pages.link(served, r["m"]),) if r["m"] is not None else (),
                links_label="at"))
        section = Section("Recommendations received", counts, collapsed=len(counts) > COLLAPSE_AFTER,
                          groups=[(f"From {state}", group) for state, group in by_state.items()])
        if len(rows) > PAGE_SIZE:
            section.next_href = self.next_page(RECEIVED, rows[PAGE_SIZE - 1])
        return [section]

    @staticmethod
    def next_page(section: str, last: dict[str, Any]) -> str:
        return "?after=" + quote(f"{section}:{value_text(last['key'])}")

    def provision(self, served: Served, node: NamedNode, after: str | None) -> list[Section]:
        """The provision's title and whole, then the recommendations citing it by year, keyset-paged."""
        pages = self.pages
        facts = pages.rows(served, "provision-title", a=node)
        title = next((value_text(r["title"]) for r in facts if r["title"]), None)
        whole = [pages.link(served, r["whole"]) for r in facts if r["whole"] is not None]
        rows = pages.rows(served, "citing", limit=PAGE_SIZE + 1, a=node,
                          **({"after": after} if after else {}))
        sections = [Section("Title", [Note(title)] if title else []),
                    Section("Part of", whole)]
        by_year: dict[str, list[Row]] = defaultdict(list)
        for r in rows[:PAGE_SIZE]:
            year = value_text(r["d"])[:4] if r["d"] else "no date"
            by_year[year].append(Row(pages.link(served, r["r"]), links=(pages.link(served, r["m"]),),
                                     links_label="adopted at"))
        cited = Section("Cited by", empty=None if after else "No recommendation cites it.",
                        groups=list(by_year.items()))
        if len(rows) > PAGE_SIZE:
            cited.next_href = "?after=" + quote(value_text(rows[PAGE_SIZE - 1]["date"]))
        sections.append(cited)
        return sections

    def document(self, served: Served, node: NamedNode, after: str | None) -> list[Section]:
        pages = self.pages
        facts = pages.rows(served, "document-facts", d=node)
        prints = pages.rows(served, "document-prints", d=node)
        about = [Row(pages.link(served, r["meeting"]), note="Reports on")
                 for r in facts if r["meeting"] is not None]
        issued = [Note(f"Issued {value_text(r['issued'])}") for r in facts[:1] if r["issued"]]
        printed = [Row(pages.link(served, r["r"]),
                       note=f"paragraph {value_text(r['para'])}" if r["para"] else "")
                   for r in prints]
        return [
            Section("Document", issued + about),
            Section(f"Recommendations printed in it ({len(printed)})", printed,
                    collapsed=len(printed) > COLLAPSE_AFTER),
        ]

    def official(self, served: Served, node: NamedNode) -> dict | None:
        """The UN symbol and the official document's address, when the document has a symbol."""
        facts = self.pages.rows(served, "document-facts", d=node)
        symbol = next((value_text(r["symbol"]) for r in facts if r["symbol"]), None)
        if not symbol:
            return None
        return {"symbol": symbol, "href": OFFICIAL_DOCUMENT.format(symbol=quote(symbol, safe="/"))}


def _received_note(row: dict[str, Any]) -> str:
    """ "3 recommendations: 2 supported, 1 noted" (the standings only where the reports say)."""
    n = int(row["n"].value)
    standings = ", ".join(
        f"{int(row[k].value)} {name}" for k, name in (("supportedCount", "supported"),
                                                       ("notedCount", "noted"))
        if int(row[k].value))
    return f"{n} recommendation{'s' if n != 1 else ''}" + (f": {standings}" if standings else "")


def _value_key(value: Any) -> str:
    return (value.label if isinstance(value, Link) else str(value)).casefold()
