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
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from untoc_kg.server import formats
from untoc_kg.server.conditional import etag, not_modified, validators
from untoc_kg.server.describe import describe
from untoc_kg.server.formats import wants_page
from untoc_kg.server.negotiation import negotiate
from untoc_kg.server.pages import Pages
from untoc_kg.server.published import PublishedBuilds, Served, to_local
from untoc_kg.settings import ONTOLOGY_NAMESPACE
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


def void_triples(served: Served, site: str) -> list[Triple]:
    """The build's own dataset description, plus where this server publishes it: endpoint,
    dumps (as DCAT distributions with size and checksum), URI space, examples, vocabularies."""
    dataset = dataset_iri(served)
    manifest = served.build.manifest
    t = [*describe(served.store, dataset.value, inverse_limit=0)]
    add = lambda s, p, o: t.append(Triple(s, p, o))  # noqa: E731
    add(dataset, RDF_TYPE, _iri("Dataset", VOID))
    add(dataset, RDF_TYPE, _iri("Dataset", DCAT))
    endpoint = NamedNode(site + "/sparql")
    add(dataset, _iri("sparqlEndpoint", VOID), endpoint)
    add(dataset, _iri("uriSpace", VOID), Literal(served.base_uri))
    add(dataset, _iri("vocabulary", VOID), NamedNode(ONTOLOGY_NAMESPACE))
    if "triples" in manifest:
        add(
            dataset,
            _iri("triples", VOID),
            Literal(str(manifest["triples"]), datatype=NamedNode(XSD + "integer")),
        )
    add(
        dataset,
        _iri("modified", DCT),
        Literal(str(manifest.get("created", "")), datatype=NamedNode(XSD + "dateTime")),
    )
    add(dataset, _iri("hasVersion", DCT), Literal(served.build_id))
    for example in examples(served):
        add(dataset, _iri("exampleResource", VOID), example)
    licence = next(
        (o.object for o in t if o.subject == dataset and o.predicate.value == DCT + "license"), None
    )
    for dump in manifest.get("dumps", []):
        url = NamedNode(f"{site}/dumps/{dump['file']}")
        add(dataset, _iri("dataDump", VOID), url)
        dist = NamedNode(dump_url(served.base_uri, dump["file"]))
        add(dataset, _iri("distribution", DCAT), dist)
        add(dist, RDF_TYPE, _iri("Distribution", DCAT))
        add(dist, _iri("downloadURL", DCAT), url)
        add(
            dist,
            _iri("mediaType", DCAT),
            NamedNode("http://www.iana.org/assignments/media-types/" + dump["media_type"]),
        )
        add(
            dist,
            _iri("byteSize", DCAT),
            Literal(str(dump["bytes"]), datatype=NamedNode(XSD + "nonNegativeInteger")),
        )
        if licence is not None:
            add(dist, _iri("license", DCT), licence)
        checksum = BlankNode()
        add(dist, _iri("checksum", SPDX), checksum)
        add(checksum, _iri("algorithm", SPDX), _iri("checksumAlgorithm_sha256", SPDX))
        add(
            checksum,
            _iri("checksumValue", SPDX),
            Literal(dump["sha256"], datatype=NamedNode(XSD + "hexBinary")),
        )
    service = NamedNode(site + "/sparql#service")
    add(service, RDF_TYPE, _iri("DataService", DCAT))
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
