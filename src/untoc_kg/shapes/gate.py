"""The SHACL gate: a graph that does not conform to shapes.ttl is never published.

The shapes are package data (shapes.ttl beside this file); `validate` runs them with pyshacl and
turns the report into text a person can act on: one line per problem, naming the resource, the
property and what is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files

import pyshacl
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

SHAPES_FILE = "shapes.ttl"


@dataclass(frozen=True)
class Problem:
    focus: str
    path: str | None
    value: str | None
    message: str
    shape: str

    def __str__(self) -> str:
        where = f" (property {self.path})" if self.path else ""
        value = f" [value: {self.value}]" if self.value is not None else ""
        return f"- {self.focus}{where}: {self.message}{value}"


@dataclass(frozen=True)
class ValidationResult:
    conforms: bool
    report_text: str
    """A summary for people: the verdict, then one line per problem, sorted."""
    report_graph: Graph
    """The W3C SHACL validation report, as pyshacl produced it."""
    problems: tuple[Problem, ...] = ()


def shapes_text() -> str:
    return files(__package__).joinpath(SHAPES_FILE).read_text(encoding="utf-8")


def shapes_graph() -> Graph:
    """The project's SHACL shapes, parsed afresh (callers may add to their copy)."""
    return Graph().parse(data=shapes_text(), format="turtle")


def validate(
    data: Graph, shapes: Graph | None = None, focus_nodes: Sequence[Node] | None = None
) -> ValidationResult:
    """Validate `data` against the project's shapes (or `shapes`); only `focus_nodes`, when
    given (an update validates what it changes, with the neighbours it links to as context).

    No inference: the data graph already carries the ontology, and SHACL's own rule of following
    `rdfs:subClassOf` in the data graph is enough for `sh:class` and class targets."""
    conforms, report_graph, _ = pyshacl.validate(
        data,
        shacl_graph=shapes if shapes is not None else shapes_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
        **({"focus_nodes": list(focus_nodes)} if focus_nodes is not None else {}),
    )
    problems = problems_of(report_graph)
    return ValidationResult(
        conforms=bool(conforms),
        report_text=summary(bool(conforms), problems),
        report_graph=report_graph,
        problems=problems,
    )


def problems_of(report: Graph) -> tuple[Problem, ...]:
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        message = report.value(result, SH.resultMessage)
        found.append(
            Problem(
                focus=_show(report.value(result, SH.focusNode)),
                path=_show(path) if path is not None else None,
                value=_show(value) if value is not None else None,
                message=str(message) if message is not None else "does not conform",
                shape=_show(report.value(result, SH.sourceShape)),
            )
        )
    return tuple(
        sorted(found, key=lambda p: (p.focus, p.path or "", p.message, p.value or ""))
    )


def _show(node: Node | None) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    return str(node) if node is not None else "?"


def summary(conforms: bool, problems: tuple[Problem, ...]) -> str:
    if conforms:
        return "Conforms: yes. The graph satisfies every shape.\n"
    lines = [f"Conforms: no. {len(problems)} problem(s):", *map(str, problems)]
    return "\n".join(lines) + "\n"
