"""Dereferencing: every URI of the served data answers at its own path on this server. A thing's
IRI (`/untoc-kg/id/state/ITA`: a State, a meeting, a recommendation, not a web page) answers
**303 See Other** to the document about it in the format the client asks for (`….html`, `….ttl`,
`….jsonld`, `….nt`, `….rdf`); the documents answer 200 with ETag, Last-Modified, 304 and HEAD.

Why 303 rather than 200 + `Vary: Accept` (this module's earlier policy): the W3C note "Cool URIs
for the Semantic Web" (section 4.3, "303 URIs forwarding to different documents"), DBpedia
(`/resource/X` -> `/page/X`, `/data/X.ttl`), Pubby and Wikidata (`/entity/Q` ->
`/wiki/Special:EntityData/Q.json`) keep the thing and the document apart by a redirect
(httpRange-14): a client that says something about the URL it ended at speaks of a document, and
the IRI it started from stays the name of the thing. The cost is one more round trip on the first
visit; the 303 itself is cacheable (`Vary: Accept`), and every link a page or `Link` header gives
points straight at a document. The vocabulary (a hash namespace: `…/ontology#State`) answers at
its own IRI with 200 + `Vary: Accept`, as section 4.1 of the note has hash IRIs do. Nothing
acceptable: 406 listing the documents; withdrawn: 410, at the IRI and at its documents.

The RDF keeps the canonical URIs (the base URI of the build) whatever host serves it: a URI is an
identifier first, and rewriting it per host would give the same thing two names. Only what people
follow (pages, redirects, links) is local, so a person can browse any running copy.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from urllib.parse import unquote

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pyoxigraph import DefaultGraph, NamedNode
from fastapi.responses import PlainTextResponse, Response

from untoc_kg.server import formats
from untoc_kg.server.conditional import CACHE_CONTROL, etag, not_modified, validators
from untoc_kg.server.describe import describe, exists
from untoc_kg.server.formats import (
    CONTEXT_PATH,
    FORMATS,
    HTML,
    JSON_LD,
    JSON_LD_CONTEXT_REL,
    Format,
)
from untoc_kg.server.negotiation import negotiate
from untoc_kg.server.ontology_page import ontology_representation
from untoc_kg.server.pages import Pages
from untoc_kg.server.published import PublishedBuilds, Served, ontology_path
from untoc_kg.server.withdrawn import gone
from untoc_kg.settings import ONTOLOGY_NAMESPACE

OFFERS = formats.offers(FORMATS)
OWL_VERSION_IRI = NamedNode("http://www.w3.org/2002/07/owl#versionIRI")
REPRESENTATIONS_CACHED = 2048
ACCEPT_HEADERS_REMEMBERED = 512


def split_extension(path: str) -> tuple[str, Format | None]:
    """`/a/b.ttl` -> (`/a/b`, Turtle); a path without a known suffix -> (path, None)."""
    stem, dot, suffix = path.rpartition(".")
    fmt = formats.BY_EXTENSION.get(suffix) if dot and "/" not in suffix else None
    return (stem, fmt) if fmt else (path, None)


def is_traversal(path: str) -> bool:
    """Dot segments, NULs or backslashes, raw or percent-encoded: never a resource of ours."""
    decoded = unquote(unquote(path))
    segments = decoded.split("/")
    return any(s in (".", "..") for s in segments) or "\x00" in decoded or "\\" in decoded


def alternates(local_path: str, served_format: Format | None) -> str:
    """The `Link` header naming the per-format documents of a resource."""
    return ", ".join(
        f'<{local_path}.{f.extension}>; rel="alternate"; type="{f.media_type}"'
        for f in FORMATS
        if f is not served_format
    )


class Resolved:
    """What a request path names: a resource IRI (with its local path), maybe a fixed format."""

    def __init__(
        self, iri: str, local_path: str, fixed: Format | None, is_thing: bool = False
    ) -> None:
        self.iri, self.local_path, self.fixed = iri, local_path, fixed
        self.is_thing = is_thing
        """A thing named under the base URI (not the vocabulary): its IRI answers 303."""


def is_version_of_vocabulary(path: str, served: Served) -> bool:
    """Is `path` the path of the vocabulary's `owl:versionIRI` (…/ontology/0.1.0)? The version
    IRI answers with the vocabulary document it names."""
    if not path.startswith(ontology_path() + "/"):
        return False
    iri = ONTOLOGY_NAMESPACE.rstrip("#") + path[len(ontology_path()) :]
    return any(
        True
        for _ in served.store.quads_for_pattern(
            NamedNode(ONTOLOGY_NAMESPACE.rstrip("#")),
            OWL_VERSION_IRI,
            NamedNode(iri),
            DefaultGraph(),
        )
    )


def is_iri_path(path: str) -> bool:
    """Can `path` be part of an IRI? A decoded path may hold "<", a space or a quote, which
    no IRI of ours has and pyoxigraph refuses to make a node of."""
    try:
        NamedNode("http://host" + path)
    except ValueError:
        return False
    return True


def resolve(path: str, served: Served) -> Resolved | None:
    """The resource a request path names, or None (404)."""
    if not is_iri_path(path):
        return None
    vocabulary_path = ontology_path()
    stem, fixed = split_extension(path)
    for candidate, fmt in ((path, None), (stem, fixed)) if fixed else ((path, None),):
        if candidate == vocabulary_path or is_version_of_vocabulary(candidate, served):
            return Resolved(ONTOLOGY_NAMESPACE.rstrip("#"), candidate, fmt)
        if candidate.startswith(served.base_path):
            iri = served.base_uri + candidate[len(served.base_path) :]
            if exists(served.store, iri):
                return Resolved(iri, candidate, fmt, is_thing=True)
    return None


class Representations:
    """Rendered bodies, least recently used dropped first, keyed by build id: a rebuild never
    serves a stale body, and the dereferencing hot path skips describe-and-serialise."""

    def __init__(self, pages: Pages, size: int = REPRESENTATIONS_CACHED) -> None:
        self.pages, self.size = pages, size
        self._bodies: OrderedDict[tuple[str, str, str], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def cached(self, served: Served, iri: str, fmt: Format) -> bytes | None:
        key = (served.build_id, iri, fmt.extension)
        with self._lock:
            if key in self._bodies:
                self._bodies.move_to_end(key)
                return self._bodies[key]
        return None

    def get(self, served: Served, iri: str, fmt: Format) -> bytes:
        body = self.cached(served, iri, fmt)
        if body is not None:
            return body
        key = (served.build_id, iri, fmt.extension)
        body = self.render(served, iri, fmt)
        with self._lock:
            self._bodies[key] = body
            while len(self._bodies) > self.size:
                self._bodies.popitem(last=False)
        return body

    def render(self, served: Served, iri: str, fmt: Format) -> bytes:
        if iri == ONTOLOGY_NAMESPACE.rstrip("#"):
            return ontology_representation(self.pages, served, fmt)
        triples = describe(served.store, iri)
        if fmt is HTML:
            return self.pages.resource(served, iri, triples).encode("utf-8")
        return formats.serialize(triples, fmt)


def resource_router(builds: PublishedBuilds, pages: Pages) -> APIRouter:
    """The catch-all route: include it after every other route."""
    router = APIRouter()

    cache = Representations(pages)
    chosen: dict[str | None, Format | None] = {}  # Accept header -> format; clients send few

    def choose(accept: str | None) -> Format | None:
        if accept not in chosen:
            if len(chosen) > ACCEPT_HEADERS_REMEMBERED:
                chosen.clear()
            chosen[accept] = OFFERS.get(negotiate(accept, list(OFFERS)) or "")
        return chosen[accept]

    @router.api_route("/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
    async def dereference(request: Request, path: str) -> Response:
        # async: a cached answer is a few dictionary look-ups, cheaper than a thread hop;
        # anything that renders or queries at length goes to the thread pool.
        raw_path = request.scope.get("raw_path", b"").decode("latin-1") or request.url.path
        if is_traversal(raw_path):
            return PlainTextResponse("Bad request: dot segments are not allowed.", 400)
        served = builds.current()
        resolved = resolve(raw_path, served) or resolve(unquote(raw_path), served)
        accept = request.headers.get("accept")
        if resolved is None:
            return await run_in_threadpool(pages.not_found, served, request.url.path, accept)
        if (withdrawn := gone(pages, served, resolved.iri, accept)) is not None:
            return withdrawn  # 410, pointing to the update that withdrew it
        fmt = resolved.fixed or choose(accept)
        if fmt is None:
            return not_acceptable(resolved.local_path)
        if resolved.is_thing and resolved.fixed is None:
            return see_other(resolved.local_path, fmt, request.url.query)
        return await answer(request, served, resolved, fmt, cache)

    return router


def see_other(local_path: str, fmt: Format, query: str) -> Response:
    """303 from a thing's IRI to the document about it in `fmt` (the query string, e.g. a
    page's `?after=`, goes along)."""
    document = f"{local_path}.{fmt.extension}" + (f"?{query}" if query else "")
    return PlainTextResponse(
        f"See {document} (a document about this thing, as {fmt.name}).\n",
        303,
        headers={
            "Location": document,
            "Vary": "Accept",
            "Cache-Control": CACHE_CONTROL,
            "Link": alternates(local_path, None),
        },
    )


def not_acceptable(local_path: str) -> Response:
    listing = "\n".join(f"{f.media_type}\t{local_path}.{f.extension}" for f in FORMATS)
    return PlainTextResponse(
        f"Not acceptable. This resource is available as:\n{listing}\n",
        406,
        headers={"Vary": "Accept", "Link": alternates(local_path, None)},
    )


async def answer(
    request: Request,
    served: Served,
    resolved: Resolved,
    fmt: Format,
    cache: Representations,
) -> Response:
    tag = etag(served.build_id, resolved.local_path, fmt.extension, request.url.query)
    headers = validators(tag, served.last_modified)
    headers["Link"] = alternates(resolved.local_path, fmt)
    if fmt is JSON_LD:
        headers["Link"] += f', <{CONTEXT_PATH}>; rel="{JSON_LD_CONTEXT_REL}"'
    if resolved.fixed is None:
        headers["Vary"] = "Accept"
        headers["Content-Location"] = f"{resolved.local_path}.{fmt.extension}"
    if not_modified(request, tag, served.last_modified):
        return Response(status_code=304, headers=headers)
    after = request.query_params.get("after")
    if after is not None and fmt is HTML:  # a deeper page of a long list: rendered, not cached
        body = await run_in_threadpool(deeper_page, cache.pages, served, resolved.iri, after)
    else:
        body = cache.cached(served, resolved.iri, fmt) or await run_in_threadpool(
            cache.get, served, resolved.iri, fmt
        )
    return Response(body, headers=headers, media_type=fmt.content_type)


def deeper_page(pages: Pages, served: Served, iri: str, after: str) -> bytes:
    return pages.resource(served, iri, describe(served.store, iri), after).encode("utf-8")
