"""Make the axiom extracts in this folder from the vocabularies' published files (see SOURCES.md).

    python tests/vocabularies/extract_axioms.py SOURCE_DIR

Keeps what an OWL 2 RL reasoner uses (class and property hierarchy, domains, ranges, disjointness,
inverses, characteristics, restrictions and the lists they need) and drops the annotations
(labels, comments, dates), so the files are small; schema.org keeps only its class and property
hierarchy, under https://schema.org/ as the data writes it. Run once by hand; the test reads the
extracts.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS

SOURCES = {
    "prov-o": "prov-o.ttl", "org": "org.ttl", "oa": "oa.ttl", "skos": "skos.ttl",
    "dcterms": "dcterms.ttl", "foaf": "foaf.ttl", "eli": "eli.ttl", "cito": "cito.ttl",
}
LOGICAL = {RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, RDF.first, RDF.rest} | {
    OWL[name] for name in (
        "equivalentClass", "equivalentProperty", "disjointWith", "propertyDisjointWith", "inverseOf",
        "unionOf", "intersectionOf", "complementOf", "oneOf", "members", "onProperty", "onClass",
        "someValuesFrom", "allValuesFrom", "hasValue", "cardinality", "minCardinality",
        "maxCardinality", "qualifiedCardinality", "minQualifiedCardinality", "maxQualifiedCardinality",
        "propertyChainAxiom", "hasKey", "disjointUnionOf", "sameAs", "differentFrom", "onDatatype",
        "withRestrictions",
    )
}
TYPES = {
    OWL.Class, RDFS.Class, RDF.Property, OWL.ObjectProperty, OWL.DatatypeProperty,
    OWL.TransitiveProperty, OWL.SymmetricProperty, OWL.AsymmetricProperty, OWL.FunctionalProperty,
    OWL.InverseFunctionalProperty, OWL.IrreflexiveProperty, OWL.ReflexiveProperty, OWL.Restriction,
    OWL.AllDisjointClasses, OWL.AllDisjointProperties, OWL.AnnotationProperty,
}
SCHEMA_HTTP = Namespace("http://schema.org/")


def axioms(source: Graph) -> Graph:
    out = Graph()
    for s, p, o in source:
        if p in LOGICAL or (p == RDF.type and o in TYPES):
            out.add((s, p, o))
    return out


def schema_hierarchy(source: Graph) -> Graph:
    def https(term):
        text = str(term)
        return URIRef("https://schema.org/" + text[len(SCHEMA_HTTP):]) if text.startswith(str(SCHEMA_HTTP)) else term

    out = Graph()
    for p in (RDFS.subClassOf, RDFS.subPropertyOf):
        for s, o in source.subject_objects(p):
            if isinstance(s, URIRef) and isinstance(o, URIRef):
                out.add((https(s), p, https(o)))
    return out


def main(source_dir: Path) -> None:
    here = Path(__file__).parent
    for name, file in SOURCES.items():
        graph = Graph().parse(source_dir / file, format="turtle")
        (here / f"{name}.nt").write_text(
            "".join(sorted(axioms(graph).serialize(format="nt").splitlines(keepends=True))), encoding="utf-8"
        )
    schema = Graph().parse(source_dir / "schema.ttl", format="turtle")
    (here / "schema.nt").write_text(
        "".join(sorted(schema_hierarchy(schema).serialize(format="nt").splitlines(keepends=True))), encoding="utf-8"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
