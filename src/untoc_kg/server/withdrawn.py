"""410 Gone for what an update withdrew (`untoc-kg remove`, or a reissue that no longer prints
it): the URI was ours and is not coming back with this graph, so a client learns that instead of a
404, with a pointer to the update that withdrew it (`Link: <...>; rel="...prov#wasInvalidatedBy"`)
and to what the document's history keeps of it.

A withdrawn resource is one the graph says nothing about as subject while some update
`prov:invalidated` it (it may still be the object of history: a replaced printing of it).
"""

from __future__ import annotations

from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from pyoxigraph import DefaultGraph, NamedNode, Store

from untoc_kg.server import formats
from untoc_kg.server.formats import FORMATS, HTML, RDF_FORMATS
from untoc_kg.server.negotiation import negotiate
from untoc_kg.server.pages import Link, Pages
from untoc_kg.server.published import Served, to_local

PROV = "http://www.w3.org/ns/prov#"
INVALIDATED = NamedNode(PROV + "invalidated")
ENDED = NamedNode(PROV + "endedAtTime")
LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
HISTORY = (
    NamedNode("https://w3id.org/untoc-kg/ontology#printingOf"),
    NamedNode("http://purl.org/dc/terms/isVersionOf"),
)
"""What points at a withdrawn resource from the history: a replaced printing of a
recommendation, a former copy of a document."""
DEFAULT = DefaultGraph()


def withdrawing_update(store: Store, iri: str) -> str | None:
    """The latest update that withdrew `iri`, if it is withdrawn (else None). One index look-up
    for a resource that never was withdrawn."""
    node = NamedNode(iri)
    updates = sorted(
        q.subject.value
        for q in store.quads_for_pattern(None, INVALIDATED, node, DEFAULT)
    )
    if not updates or any(
        True for _ in store.quads_for_pattern(node, None, None, DEFAULT)
    ):
        return None
    return updates[-1]  # update URIs start with their time


def gone(pages: Pages, served: Served, iri: str, accept: str | None) -> Response | None:
    """The 410 answer for `iri`, or None when it is not withdrawn."""
    update = withdrawing_update(served.store, iri)
    if update is None:
        return None
    store = served.store
    local = to_local(update, served) or update
    label = next(
        (
            q.object.value
            for q in store.quads_for_pattern(NamedNode(update), LABEL, None, DEFAULT)
        ),
        update,
    )
    ended = next(
        (
            q.object.value
            for q in store.quads_for_pattern(NamedNode(update), ENDED, None, DEFAULT)
        ),
        None,
    )
    history = sorted(
        {
            Link(
                _label(store, q.subject),
                to_local(q.subject.value, served) or q.subject.value,
            )
            for predicate in HISTORY
            for q in store.quads_for_pattern(None, predicate, NamedNode(iri), DEFAULT)
        },
        key=lambda link: link.href,
    )
    headers = {"Link": f'<{local}>; rel="{PROV}wasInvalidatedBy"', "Vary": "Accept"}
    offered = formats.offers(FORMATS)
    fmt = offered.get(negotiate(accept, list(offered)) or "")
    if fmt in RDF_FORMATS:
        return Response(
            formats.serialize([], fmt),
            410,
            headers=headers,
            media_type=fmt.content_type,
        )
    if fmt is HTML or fmt is None:
        body = pages.render(
            "gone.html",
            served,
            iri=iri,
            activity=Link(label, local),
            ended=ended,
            history=history,
        )
        return HTMLResponse(body, 410, headers=headers)
    return PlainTextResponse(
        f"Gone: {iri} was withdrawn by {update}\n", 410, headers=headers
    )


def _label(store: Store, node: NamedNode) -> str:
    return next(
        (q.object.value for q in store.quads_for_pattern(node, LABEL, None, DEFAULT)),
        node.value,
    )
