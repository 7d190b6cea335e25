"""Dataset metadata and bulk downloads: VoID (with DCAT) at `/.well-known/void`, and the dumps at
stable URLs (`/dumps/<file>`, and the path of their published URL, `dump_url`)."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from pyoxigraph import Literal, NamedNode, Triple

from untoc_kg.server import formats
from untoc_kg.server.conditional import etag, not_modified, validators
from untoc_kg.server.describe import describe
from untoc_kg.server.formats import wants_page
from untoc_kg.server.negotiation import negotiate
from untoc_kg.server.pages import Pages
from untoc_kg.server.published import PublishedBuilds, Served, to_local
from untoc_kg.settings import ONTOLOGY_NAMESPACE
from rdflib import URIRef

from untoc_kg.datadir.dumps import PLAIN_MEDIA_TYPE, distribution_uri
from untoc_kg.datadir.layout import DUMP_FILES, dump_url

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
SPDX = "http://spdx.org/rdf/terms#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
VOID_PATH = "/.well-known/void"
EXAMPLE_CLASSES = ("Recommendation", "Meeting", "Article", "State")


def _iri(suffix: str, ns: str) -> NamedNode:
    return NamedNode(ns + suffix)


def dataset_iri(served: Served) -> NamedNode:
    for solution in served.store.query(
        f"SELECT ?d WHERE {{ ?d a <{VOID}Dataset> }} ORDER BY ?d LIMIT 1"
    ):
        return solution["d"]
    return NamedNode(served.base_uri + "dataset")


def examples(served: Served) -> list[NamedNode]:
    found = []
    for name in EXAMPLE_CLASSES:
        for solution in served.store.query(
            f"SELECT ?s WHERE {{ ?s a <{ONTOLOGY_NAMESPACE}{name}> }} ORDER BY ?s LIMIT 1"
        ):
            found.append(solution["s"])
    return found


VALIDATION_PATH = "/validation"
VALIDATION_REPORT = "validation/report.ttl"
"""The SHACL report of the build (pipeline.write_validation), served as a distribution."""
SHACL = "http://www.w3.org/ns/shacl#"
IANA = "https://www.iana.org/assignments/media-types/"
DESCRIBED_WITH_THE_DATASET = (DCAT + "distribution", DCAT + "contactPoint", VOID + "subset", SPDX + "checksum")
"""Nodes whose own description the VoID carries beside the dataset's (one hop, then their checksums)."""


def _count(served: Served, query: str) -> int:
    for solution in served.store.query(query):
        return int(solution["n"].value)
    return 0


def _with_parts(served: Served, triples: list[Triple]) -> list[Triple]:
    """The dataset's distributions, contact point and linksets as the store describes them, and
    the distributions' checksums."""
    found = list(triples)
    todo = [t.object for t in triples if t.predicate.value in DESCRIBED_WITH_THE_DATASET]
    seen: set = set()
    while todo:
        node = todo.pop()
        if node in seen or not isinstance(node, NamedNode):
            continue
        seen.add(node)
        described = describe(served.store, node.value, inverse_limit=0)
        found += described
        todo += [t.object for t in described if t.predicate.value in DESCRIBED_WITH_THE_DATASET]
    return found


def _distribution_from_manifest(dataset: NamedNode, dist: NamedNode, base_uri: str, dump: dict) -> list[Triple]:
    """A dump as build.json lists it, in the terms the build's own description uses."""
    compressed = dump["file"].endswith(".gz")
    plain = PLAIN_MEDIA_TYPE.get(dump["file"], dump["media_type"])
    checksum = NamedNode(dist.value + "#sha256")
    found = [
        Triple(dataset, _iri("distribution", DCAT), dist),
        Triple(dist, RDF_TYPE, _iri("Distribution", DCAT)),
        Triple(dist, _iri("downloadURL", DCAT), NamedNode(dump_url(base_uri, dump["file"]))),
        Triple(dist, _iri("mediaType", DCAT), NamedNode(IANA + plain)),
        Triple(dist, _iri("byteSize", DCAT), Literal(str(dump["bytes"]), datatype=NamedNode(XSD + "integer"))),
        Triple(dist, _iri("checksum", SPDX), checksum),
        Triple(checksum, RDF_TYPE, _iri("Checksum", SPDX)),
        Triple(checksum, _iri("algorithm", SPDX), _iri("checksumAlgorithm_sha256", SPDX)),
        Triple(checksum, _iri("checksumValue", SPDX), Literal(dump["sha256"], datatype=NamedNode(XSD + "hexBinary"))),
    ]
    if compressed:
        found.append(Triple(dist, _iri("compressFormat", DCAT), NamedNode(IANA + dump["media_type"])))
    return found


def void_triples(served: Served, site: str) -> list[Triple]:
    """The build's own dataset description (from the store: one set of distributions, with size,
    checksum and compression, one modified date, its version), plus where this server publishes
    it: endpoint, dumps, URI space, examples, the size of the Wikidata linkset, the validation
    report; `void:triples` is what the endpoint counts."""
    dataset = dataset_iri(served)
    manifest = served.build.manifest
    t = _with_parts(served, [*describe(served.store, dataset.value, inverse_limit=0)])
    add = lambda s, p, o: t.append(Triple(s, p, o))  # noqa: E731
    add(dataset, RDF_TYPE, _iri("Dataset", VOID))
    add(dataset, RDF_TYPE, _iri("Dataset", DCAT))
    endpoint = NamedNode(site + "/sparql")
    add(dataset, _iri("sparqlEndpoint", VOID), endpoint)
    add(dataset, _iri("uriSpace", VOID), Literal(served.base_uri))
    add(dataset, _iri("vocabulary", VOID), NamedNode(ONTOLOGY_NAMESPACE))
    # The version is the build (DCAT 3's dcat:version), said here: a build's graph cannot name
    # the build an update will make of it.
    add(dataset, _iri("version", DCAT), Literal(served.build_id))
    integer = NamedNode(XSD + "integer")
    counted = manifest.get("store_triples")
    if counted is None:
        counted = _count(served, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    add(dataset, _iri("triples", VOID), Literal(str(counted), datatype=integer))
    for linkset in [o.object for o in t if o.subject == dataset and o.predicate.value == VOID + "subset"]:
        links = _count(
            served,
            "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://www.w3.org/2002/07/owl#sameAs> ?o "
            "FILTER(STRSTARTS(STR(?o), 'http://www.wikidata.org/entity/')) }",
        )
        add(linkset, _iri("triples", VOID), Literal(str(links), datatype=integer))
    for example in examples(served):
        add(dataset, _iri("exampleResource", VOID), example)
    licence = next(
        (o.object for o in t if o.subject == dataset and o.predicate.value == DCT + "license"), None
    )
    distributions = {o.object.value for o in t if o.subject == dataset and o.predicate.value == DCAT + "distribution"}
    for dump in manifest.get("dumps", []):
        url = NamedNode(f"{site}/dumps/{dump['file']}")
        add(dataset, _iri("dataDump", VOID), url)
        dist = NamedNode(distribution_uri(URIRef(dataset.value), dump["file"]))
        if dist.value not in distributions:  # a store without the dumps' description
            t.extend(_distribution_from_manifest(dataset, dist, served.base_uri, dump))
        add(dist, _iri("accessURL", DCAT), NamedNode(site + "/dumps/"))
        if licence is not None:
            add(dist, _iri("license", DCT), licence)
    if (served.build.path / VALIDATION_REPORT).exists():
        report = NamedNode(f"{dataset.value.rstrip('/')}/distribution/validation-report")
        add(dataset, _iri("distribution", DCAT), report)
        add(report, RDF_TYPE, _iri("Distribution", DCAT))
        add(report, _iri("title", DCT), Literal("SHACL validation report of this build", language="en"))
        add(report, _iri("downloadURL", DCAT), NamedNode(site + VALIDATION_PATH))
        add(report, _iri("accessURL", DCAT), NamedNode(site + VALIDATION_PATH))
        add(report, _iri("mediaType", DCAT), NamedNode(IANA + "text/turtle"))
        add(report, _iri("conformsTo", DCT), NamedNode(SHACL))
    service = NamedNode(site + "/sparql#service")
    add(service, RDF_TYPE, _iri("DataService", DCAT))
    add(service, _iri("title", DCT), Literal("SPARQL endpoint of untoc-kg", language="en"))
    add(service, _iri("endpointURL", DCAT), endpoint)
    add(service, _iri("servesDataset", DCAT), dataset)
    add(service, _iri("conformsTo", DCT), NamedNode("https://www.w3.org/TR/sparql11-protocol/"))
    return list(dict.fromkeys(t))


def site_of(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def metadata_router(builds: PublishedBuilds, pages: Pages) -> APIRouter:
    router = APIRouter()
    rdf_offers = formats.offers(formats.RDF_FORMATS)

    @router.api_route(VOID_PATH, methods=["GET", "HEAD"])
    def void(request: Request) -> Response:
        served = builds.current()
        if wants_page(request.headers.get("accept")):  # a person: the dataset's page says it
            page = (to_local(dataset_iri(served).value, served) or "/") + ".html"
            return RedirectResponse(page, 303, headers={"Vary": "Accept"})
        chosen = negotiate(request.headers.get("accept"), list(rdf_offers))
        if chosen is None:
            return PlainTextResponse("VoID is served as: " + ", ".join(rdf_offers) + "\n", 406)
        fmt = rdf_offers[chosen]
        tag = etag(served.build_id, VOID_PATH, fmt.extension, site_of(request))
        headers = {**validators(tag, served.last_modified), "Vary": "Accept"}
        if not_modified(request, tag, served.last_modified):
            return Response(status_code=304, headers=headers)
        body = formats.serialize(void_triples(served, site_of(request)), fmt)
        return Response(body, headers=headers, media_type=fmt.content_type)

    @router.api_route(VALIDATION_PATH, methods=["GET", "HEAD"])
    def validation(request: Request) -> Response:
        """The build's SHACL validation report (Turtle), as the VoID lists it."""
        served = builds.current()
        report = served.build.path / VALIDATION_REPORT
        if not report.exists():
            return pages.not_found(served, request.url.path, request.headers.get("accept"))
        return FileResponse(report, media_type="text/turtle", headers=validators(
            etag(served.build_id, VALIDATION_PATH), served.last_modified))

    @router.get("/dumps/", response_class=HTMLResponse)
    def dump_index() -> HTMLResponse:
        served = builds.current()
        html = pages.render("dumps.html", served, dumps=served.build.manifest.get("dumps", []))
        return HTMLResponse(html)

    def serve_dump(request: Request, file: str) -> Response:
        served = builds.current()
        listed = {d["file"]: d for d in served.build.manifest.get("dumps", [])}
        if (
            file not in DUMP_FILES or file not in listed
        ):  # a fixed list: no path ever built from input
            return pages.not_found(served, request.url.path, request.headers.get("accept"))
        dump = listed[file]
        tag = f'"{dump["sha256"]}"'
        headers = validators(tag, served.last_modified)
        licence = pages.dataset(served)["licence"]
        if licence:
            headers["Link"] = f'<{licence}>; rel="license"'
        if not_modified(request, tag, served.last_modified):
            return Response(status_code=304, headers=headers)
        return FileResponse(
            served.build.dumps_path / file, media_type=dump["media_type"], headers=headers
        )

    @router.api_route("/dumps/{file}", methods=["GET", "HEAD"])
    def dump(request: Request, file: str) -> Response:
        return serve_dump(request, file)

    @router.api_route(
        "/{prefix:path}/dumps/{file}", methods=["GET", "HEAD"], include_in_schema=False
    )
    def published_dump(request: Request, prefix: str, file: str) -> Response:
        served = builds.current()
        if urlsplit(dump_url(served.base_uri, file)).path != request.url.path:
            return pages.not_found(served, request.url.path, request.headers.get("accept"))
        return serve_dump(request, file)

    return router
