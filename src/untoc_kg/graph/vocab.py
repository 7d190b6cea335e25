"""Namespaces of the external vocabularies the data uses (rdflib lacks some of them)."""

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from untoc_kg.ontology import NS as UNTOC

SCHEMA = Namespace("https://schema.org/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VOID = Namespace("http://rdfs.org/ns/void#")
CITO = Namespace("http://purl.org/spar/cito/")
CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"

__all__ = [
    "CC_BY_4", "CITO", "DCAT", "DCTERMS", "ELI", "ORG", "OWL", "PROV", "RDF", "RDFS", "SCHEMA", "SKOS",
    "SPDX", "UNTOC", "VOID", "XSD",
]
