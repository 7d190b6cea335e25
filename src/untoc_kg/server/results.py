"""SPARQL query results: the formats the endpoint serves, and writing a result in one of them.

SELECT and ASK answers are SPARQL results (JSON, XML, CSV, TSV); CONSTRUCT and DESCRIBE answers
are RDF in the formats every resource is served in (`untoc_kg.server.formats`). pyoxigraph writes
every format; this module only adds the row cap, which pyoxigraph cannot apply to a result it
serialises itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice

import pyoxigraph

from untoc_kg.server import formats
from untoc_kg.sparql.query_screening import ResultKind


@dataclass(frozen=True)
class ResultsFormat:
    """A SPARQL query results format."""

    name: str
    media_type: str
    results_format: pyoxigraph.QueryResultsFormat
    format_iri: str
    """Its name in http://www.w3.org/ns/formats/, for the service description."""
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"


SPARQL_JSON = ResultsFormat(
    "SPARQL JSON",
    "application/sparql-results+json",
    pyoxigraph.QueryResultsFormat.JSON,
    "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    ("application/json",),
)
SPARQL_XML = ResultsFormat(
    "SPARQL XML",
    "application/sparql-results+xml",
    pyoxigraph.QueryResultsFormat.XML,
    "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    ("application/xml", "text/xml"),
)
SPARQL_CSV = ResultsFormat(
    "CSV",
    "text/csv",
    pyoxigraph.QueryResultsFormat.CSV,
    "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
)
SPARQL_TSV = ResultsFormat(
    "TSV",
    "text/tab-separated-values",
    pyoxigraph.QueryResultsFormat.TSV,
    "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
)

RESULTS_FORMATS: tuple[ResultsFormat, ...] = (SPARQL_JSON, SPARQL_XML, SPARQL_CSV, SPARQL_TSV)
"""In the server's order of preference (JSON for `*/*`)."""

GRAPH_FORMAT_IRIS: Mapping[str, str] = {
    formats.TURTLE.media_type: "http://www.w3.org/ns/formats/Turtle",
    formats.JSON_LD.media_type: "http://www.w3.org/ns/formats/JSON-LD",
    formats.N_TRIPLES.media_type: "http://www.w3.org/ns/formats/N-Triples",
    formats.RDF_XML.media_type: "http://www.w3.org/ns/formats/RDF_XML",
}


def offers(kind: ResultKind) -> dict[str, ResultsFormat | formats.Format]:
    """Media type -> format, in the server's order of preference: every format's own media type
    first, then the aliases, so a wildcard (`text/*`, `application/*`) picks a format whose own
    type it matches (text/csv) and not one that only an alias matches (text/xml)."""
    chosen: tuple[ResultsFormat | formats.Format, ...] = (
        formats.RDF_FORMATS if kind is ResultKind.GRAPH else RESULTS_FORMATS
    )
    table: dict[str, ResultsFormat | formats.Format] = {f.media_type: f for f in chosen}
    for fmt in chosen:
        table.update({alias: fmt for alias in fmt.aliases if alias not in table})
    return table


def format_for(kind: ResultKind, media_type: str) -> ResultsFormat | formats.Format:
    """The format a negotiated media type (or alias) of `kind` stands for."""
    return offers(kind)[media_type]


@dataclass(frozen=True)
class WrittenResult:
    """A query answer, serialised."""

    kind: ResultKind
    content_type: str
    body: bytes
    truncated: bool
    """True when the answer had more rows (or triples) than the cap and was cut."""


def write_boolean(answer: pyoxigraph.QueryBoolean, fmt: ResultsFormat) -> WrittenResult:
    body = answer.serialize(format=fmt.results_format)
    return WrittenResult(ResultKind.BOOLEAN, fmt.content_type, body, truncated=False)


def write_graph(
    triples: Iterable[pyoxigraph.Triple], fmt: formats.Format, max_rows: int
) -> WrittenResult:
    kept = list(islice(triples, max_rows + 1))
    truncated = len(kept) > max_rows
    body = formats.serialize(kept[:max_rows], fmt)
    return WrittenResult(ResultKind.GRAPH, fmt.content_type, body, truncated)


def write_solutions(
    solutions: pyoxigraph.QuerySolutions, fmt: ResultsFormat, max_rows: int
) -> WrittenResult:
    """The first `max_rows` solutions in `fmt`.

    pyoxigraph can only write a whole result, so the kept rows go through SPARQL JSON (written
    here with the json module, which does all the escaping) and pyoxigraph writes the requested
    format from that: one writer per format, whatever the cap."""
    names = [variable.value for variable in solutions.variables]
    rows = list(islice(solutions, max_rows + 1))
    truncated = len(rows) > max_rows
    document = {
        "head": {"vars": names},
        "results": {"bindings": list(_json_bindings(names, rows[:max_rows]))},
    }
    capped = pyoxigraph.parse_query_results(
        json.dumps(document, ensure_ascii=False).encode("utf-8"),
        format=pyoxigraph.QueryResultsFormat.JSON,
    )
    body = capped.serialize(format=fmt.results_format)
    return WrittenResult(ResultKind.SOLUTIONS, fmt.content_type, body, truncated)


def _json_bindings(
    names: list[str], rows: list[pyoxigraph.QuerySolution]
) -> Iterator[dict[str, dict[str, object]]]:
    for row in rows:
        binding = {}
        for index, name in enumerate(names):
            term = row[index]
            if term is not None:
                binding[name] = _json_term(term)
        yield binding


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_RDF_DIR_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"


def _json_term(term: object) -> dict[str, object]:
    """One RDF term in SPARQL 1.1 (and 1.2, for triple terms and directions) JSON results."""
    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, pyoxigraph.Literal):
        literal: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            literal["xml:lang"] = term.language
            if term.direction is not None:
                literal["its:dir"] = str(term.direction)
        elif term.datatype.value not in (_XSD_STRING, _RDF_LANG_STRING, _RDF_DIR_LANG_STRING):
            literal["datatype"] = term.datatype.value
        return literal
    if isinstance(term, pyoxigraph.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    raise TypeError(f"not an RDF term: {term!r}")
