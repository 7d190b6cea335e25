"""The SHACL gate for a graph too large for pyshacl at once: per partition, and on the store.

The shapes are split in two (`split`):

- **local** constraints, which a triple satisfies or not on its own (datatype, pattern, node
  kind, `sh:in`, language, lengths, ranges) and `sh:sparql` ones (the project's compare two
  values of one resource): pyshacl checks these on each partition, a small graph (the partition
  plus the vocabulary's `rdfs:subClassOf` triples, so class targets find subclass instances);
- **global** constraints, whose answer depends on triples another partition may hold:
  `sh:minCount` and `sh:maxCount` (a resource described in two partitions), `sh:class`, and
  `sh:or` lists of `sh:class` alternatives (a value typed in another partition). These become
  SPARQL SELECTs (`StoreCheck`) that the build runs on the loaded store, over the whole graph.

Only constraints of property shapes with an IRI path in a node shape with `sh:targetClass` are
moved; anything else stays local, which is correct whenever the graph's partitions keep each
resource's triples together (`untoc_kg.graph.partitions` does). Both halves report problems
exactly as pyshacl would on the whole graph (focus, path, value, message): `combine` puts them
in one `ValidationResult`, and tests/test_partitioned.py shows both ways agree on broken data.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from .gate import Problem, ValidationResult, problems_of, summary

NOT_CONSTRAINTS = frozenset({
    SH.path, SH.message, SH.name, SH.description, SH.severity, SH.deactivated, SH.order,
    SH.group, RDF.type,
})
"""What a property shape may say that constrains nothing."""


@dataclass(frozen=True)
class StoreCheck:
    """One global constraint as a SPARQL SELECT over the whole graph. Each row is a violation:
    `?this` the focus node, `?value` the value (absent for counts)."""

    query: str
    path: URIRef | None
    """None for an `sh:sparql` constraint (as pyshacl reports it)."""
    message: str
    shape: Node
    component: URIRef
    severity: URIRef


@dataclass(frozen=True)
class SplitShapes:
    local: Graph
    checks: tuple[StoreCheck, ...]


def _iri(node: Node) -> str:
    return f"<{node}>"


def _only_class(shapes: Graph, member: Node) -> URIRef | None:
    """The class of an `sh:or` member that says nothing but `sh:class C`, else None."""
    predicates = {p for p, _ in shapes.predicate_objects(member)}
    cls = shapes.value(member, SH["class"])
    return cls if predicates == {SH["class"]} and isinstance(cls, URIRef) else None


def _or_classes(shapes: Graph, node: Node) -> list[URIRef] | None:
    members = list(Collection(shapes, node))
    classes = [_only_class(shapes, m) for m in members]
    return classes if members and all(classes) else None  # type: ignore[return-value]


def _message(shapes: Graph, shape: Node, default: str) -> str:
    message = shapes.value(shape, SH.message)
    return str(message) if message is not None else default


def split(shapes: Graph) -> SplitShapes:
    """The local shapes (a copy without the global constraints) and the global checks."""
    local = Graph()
    for triple in shapes:
        local.add(triple)
    for prefix, namespace in shapes.namespaces():
        local.bind(prefix, namespace)
    checks: list[StoreCheck] = []
    shaped = set(shapes.subjects(SH.property, None)) | set(shapes.subjects(SH.sparql, None))
    for node_shape in sorted(shaped, key=str):
        targets = sorted(o for o in shapes.objects(node_shape, SH.targetClass) if isinstance(o, URIRef))
        if not targets:
            continue
        for constraint in list(shapes.objects(node_shape, SH.sparql)):
            # pyshacl parses an sh:sparql query once per focus node (0.2 s each): run it once,
            # on the store, with $this unbound and joined with the targets instead.
            if (check := _sparql_check(shapes, node_shape, constraint, targets)) is not None:
                checks.append(check)
                local.remove((node_shape, SH.sparql, constraint))
        for shape in shapes.objects(node_shape, SH.property):
            path = shapes.value(shape, SH.path)
            if not isinstance(path, URIRef) or shapes.value(shape, SH.deactivated) == Literal(True):
                continue
            severity = shapes.value(shape, SH.severity) or SH.Violation
            focus = _focus(targets)
            for count in shapes.objects(shape, SH.minCount):
                n = int(count)
                checks.append(StoreCheck(
                    _min_count(focus, path, n), path,
                    _message(shapes, shape, f"Less than {n} values on {{this}}->{path}"),
                    shape, SH.MinCountConstraintComponent, severity))
                local.remove((shape, SH.minCount, count))
            for count in shapes.objects(shape, SH.maxCount):
                n = int(count)
                checks.append(StoreCheck(
                    _max_count(focus, path, n), path,
                    _message(shapes, shape, f"More than {n} values on {{this}}->{path}"),
                    shape, SH.MaxCountConstraintComponent, severity))
                local.remove((shape, SH.maxCount, count))
            for cls in shapes.objects(shape, SH["class"]):
                checks.append(StoreCheck(
                    _classes(focus, path, [cls]), path,
                    _message(shapes, shape, f"Value does not have class {cls}"),
                    shape, SH.ClassConstraintComponent, severity))
                local.remove((shape, SH["class"], cls))
            for alternatives in shapes.objects(shape, SH["or"]):
                classes = _or_classes(shapes, alternatives)
                if classes is None:
                    continue
                checks.append(StoreCheck(
                    _classes(focus, path, classes), path,
                    _message(shapes, shape, "Node does not conform to one or more shapes in sh:or"),
                    shape, SH.OrConstraintComponent, severity))
                local.remove((shape, SH["or"], alternatives))
            if not set(local.predicates(shape)) - NOT_CONSTRAINTS:
                # nothing left to check locally: spare pyshacl visiting every focus node for it
                local.remove((node_shape, SH.property, shape))
    return SplitShapes(local, tuple(checks))


def _prefixes(shapes: Graph, constraint: Node) -> str:
    lines = []
    for owner in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(owner, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines)))


def _sparql_check(
    shapes: Graph, node_shape: Node, constraint: Node, targets: Sequence[URIRef]
) -> StoreCheck | None:
    select = shapes.value(constraint, SH.select)
    if select is None or shapes.value(constraint, SH.deactivated) == Literal(True):
        return None
    inner = str(select).replace("$this", "?this")
    query = (
        f"{_prefixes(shapes, constraint)}\n"
        f"SELECT DISTINCT ?this ?value WHERE {{ {_focus(targets)} {{ {inner} }} }}"
    )
    severity = shapes.value(node_shape, SH.severity) or SH.Violation
    message = _message(shapes, constraint, "SPARQL constraint violated")
    return StoreCheck(query, None, message, constraint, SH.SPARQLConstraintComponent, severity)


def _focus(targets: Sequence[URIRef]) -> str:
    """The focus nodes of class targets: SHACL instances, following rdfs:subClassOf."""
    values = " ".join(_iri(t) for t in targets)
    return f"VALUES ?target {{ {values} }} ?this <{RDF.type}>/<{RDFS.subClassOf}>* ?target ."


def _min_count(focus: str, path: URIRef, n: int) -> str:
    if n == 1:  # the common case, without grouping every focus node
        return f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {_iri(path)} ?v }} }}"
    return (
        f"SELECT ?this WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {focus} }} }} "
        f"OPTIONAL {{ ?this {_iri(path)} ?v }} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {n})"
    )


def _max_count(focus: str, path: URIRef, n: int) -> str:
    if n == 1:  # two different values, without grouping every focus node
        return (
            f"SELECT DISTINCT ?this WHERE {{ {focus} ?this {_iri(path)} ?a , ?b . "
            f"FILTER (!sameTerm(?a, ?b)) }}"
        )
    return (
        f"SELECT ?this WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {focus} }} }} "
        f"?this {_iri(path)} ?v }} GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {n})"
    )


def _classes(focus: str, path: URIRef, classes: Iterable[Node]) -> str:
    missing = " ".join(
        f"FILTER NOT EXISTS {{ ?value <{RDF.type}>/<{RDFS.subClassOf}>* {_iri(c)} }}" for c in classes
    )
    return f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {_iri(path)} ?value . {missing} }}"


def class_hierarchy(vocabulary: Graph) -> Graph:
    """The `rdfs:subClassOf` triples each partition is validated with."""
    found = Graph()
    for triple in vocabulary.triples((None, RDFS.subClassOf, None)):
        found.add(triple)
    return found


@dataclass(frozen=True)
class PartitionResult:
    """pyshacl's verdict on one partition (its report is kept only when there are problems)."""

    conforms: bool
    problems: tuple[Problem, ...]
    report_graph: Graph | None


def validate_partition(data: Graph, local_shapes: Graph) -> PartitionResult:
    """pyshacl on one partition (which should include `class_hierarchy`), with the local shapes;
    the same options as `untoc_kg.shapes.validate`."""
    conforms, report, _ = pyshacl.validate(
        data, shacl_graph=local_shapes, inference="none", advanced=True, allow_warnings=True,
        inplace=True,  # the partition's graph is not used again: spare pyshacl the copy
    )
    problems = problems_of(report)  # warnings may come with a conforming verdict
    return PartitionResult(bool(conforms), problems, report if problems else None)


def store_problems(check: StoreCheck, rows: Iterable[tuple[Node, Node | None]]) -> tuple[Problem, ...]:
    """The rows of `check`'s query (focus, value), as problems worded as pyshacl words them."""
    found = []
    for focus, value in _with_values(check, rows):
        found.append(Problem(
            focus=_show(focus),
            path=_show(check.path) if check.path is not None else None,
            value=_show(value) if value is not None else None,
            message=check.message.replace("{this}", str(focus)),
            shape=_show(check.shape),
        ))
    return tuple(found)


def _with_values(
    check: StoreCheck, rows: Iterable[tuple[Node, Node | None]]
) -> list[tuple[Node, Node | None]]:
    """SHACL-SPARQL: a solution without ?value reports the focus node as the value."""
    if check.component != SH.SPARQLConstraintComponent:
        return list(rows)
    return [(focus, focus if value is None else value) for focus, value in rows]


def _show(node: Node | None) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    return str(node) if node is not None else "?"


def combine(
    partitions: Sequence[PartitionResult],
    checks: Sequence[tuple[StoreCheck, Sequence[tuple[Node, Node | None]]]],
) -> ValidationResult:
    """One verdict and one W3C validation report from the partitions' and the store's."""
    report = Graph()
    report.bind("sh", SH)
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    conforms = all(p.conforms for p in partitions)
    problems: list[Problem] = [problem for p in partitions for problem in p.problems]
    for part in partitions:
        if part.report_graph is None:
            continue
        for result in part.report_graph.objects(None, SH.result):
            report.add((root, SH.result, result))
        for triple in part.report_graph:
            if triple[0] != next(part.report_graph.subjects(RDF.type, SH.ValidationReport), None):
                report.add(triple)
    for check, rows in checks:
        found = store_problems(check, rows)
        if found and check.severity == SH.Violation:
            conforms = False
        problems.extend(found)
        for (focus, value), problem in zip(_with_values(check, rows), found, strict=True):
            result = BNode()
            report.add((root, SH.result, result))
            report.add((result, RDF.type, SH.ValidationResult))
            report.add((result, SH.focusNode, focus))
            if check.path is not None:
                report.add((result, SH.resultPath, check.path))
            report.add((result, SH.resultMessage, Literal(problem.message)))
            report.add((result, SH.resultSeverity, check.severity))
            report.add((result, SH.sourceConstraintComponent, check.component))
            report.add((result, SH.sourceShape, check.shape))
            if value is not None:
                report.add((result, SH.value, value))
    report.add((root, SH.conforms, Literal(conforms, datatype=XSD.boolean)))
    ordered = tuple(sorted(problems, key=lambda p: (p.focus, p.path or "", p.message, p.value or "")))
    return ValidationResult(conforms, summary(conforms, ordered), report, ordered)
