"""The dumps of a build: sorted N-Triples, Turtle, and both gzipped, written deterministically.

N-Triples lines are sorted and de-duplicated, and gzip is written with mtime 0, so the same graph
gives the same bytes on every build. The DCAT description of the dumps is split in two on purpose:
a dump cannot state its own byte size or checksum (writing them changes both), so the graph (and
so the dumps) describes each distribution by download URL, media type and format, and the
measured `dcat:byteSize` and `spdx:checksum` go into the store (and build.json) only, after the
files exist.
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from untoc_kg.datadir.layout import DUMP_FILES, dump_url
from untoc_kg.vocab import DCAT, DCTERMS, RDF, SPDX, XSD

IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
NTRIPLES = "untoc-kg.nt"
TURTLE = "untoc-kg.ttl"
_PLAIN_MEDIA_TYPE = {
    "untoc-kg.nt.gz": "application/n-triples",
    "untoc-kg.ttl.gz": "text/turtle",
}
"""What a gzipped dump holds once decompressed (its `dcat:packageFormat` is gzip)."""
PLAIN_MEDIA_TYPE = _PLAIN_MEDIA_TYPE


@dataclass(frozen=True)
class DumpFile:
    file: str
    media_type: str
    bytes: int
    sha256: str
    url: str

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "media_type": self.media_type,
            "bytes": self.bytes,
            "sha256": self.sha256,
            "url": self.url,
        }


def sorted_ntriples(graph: Graph) -> bytes:
    """The graph as N-Triples, one line per triple, sorted: the same graph, the same bytes."""
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def write_dumps(graph: Graph, folder: Path, base_uri: str) -> tuple[DumpFile, ...]:
    """Write the four dumps of `graph` into `folder`; return what was written, measured."""
    folder = Path(folder)
    (folder / NTRIPLES).write_bytes(sorted_ntriples(graph))
    graph.serialize(destination=str(folder / TURTLE), format="turtle", encoding="utf-8")
    for plain in (NTRIPLES, TURTLE):
        _gzip(folder / plain, folder / f"{plain}.gz")
    return tuple(_measure(folder / name, base_uri) for name in DUMP_FILES)


def finish_dumps(folder: Path, base_uri: str) -> tuple[DumpFile, ...]:
    """Gzip the N-Triples and Turtle dumps already written into `folder` (by a streamed build,
    which cannot hold the graph for `write_dumps`); return the four dumps, measured."""
    folder = Path(folder)
    for plain in (NTRIPLES, TURTLE):
        _gzip(folder / plain, folder / f"{plain}.gz")
    return tuple(_measure(folder / name, base_uri) for name in DUMP_FILES)


def _gzip(source: Path, target: Path) -> None:
    # mtime=0 and a fixed name: the gzip header carries no build-time state.
    with (
        source.open("rb") as plain,
        target.open("wb") as raw,
        gzip.GzipFile(filename=source.name, mode="wb", fileobj=raw, mtime=0) as packed,
    ):
        shutil.copyfileobj(plain, packed)


def _measure(path: Path, base_uri: str) -> DumpFile:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return DumpFile(
        file=path.name,
        media_type=DUMP_FILES[path.name],
        bytes=path.stat().st_size,
        sha256=digest.hexdigest(),
        url=dump_url(base_uri, path.name),
    )


def find_dataset(graph: Graph) -> URIRef | None:
    """The dataset the graph describes (its one `dcat:Dataset` or `void:Dataset`)."""
    for cls in (DCAT.Dataset, URIRef("http://rdfs.org/ns/void#Dataset")):
        found = sorted(
            s for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef)
        )
        if found:
            return found[0]
    return None


def distribution_uri(dataset: URIRef, file_name: str) -> URIRef:
    return URIRef(f"{str(dataset).rstrip('/')}/distribution/{file_name}")


def distribution_graph(dataset: URIRef, base_uri: str) -> Graph:
    """What the dumps say about themselves: one `dcat:Distribution` per dump file, without the
    size and checksum (see the module note)."""
    described = Graph()
    for file_name, media_type in DUMP_FILES.items():
        node = distribution_uri(dataset, file_name)
        described.add((dataset, DCAT.distribution, node))
        described.add((node, RDF.type, DCAT.Distribution))
        described.add(
            (node, DCTERMS.title, Literal(f"{file_name} (dump of the whole dataset)"))
        )
        described.add((node, DCAT.downloadURL, URIRef(dump_url(base_uri, file_name))))
        plain_type = _PLAIN_MEDIA_TYPE.get(file_name, media_type)
        described.add((node, DCAT.mediaType, URIRef(IANA_MEDIA_TYPES + plain_type)))
        if file_name.endswith(".gz"):
            described.add(
                (node, DCAT.compressFormat, URIRef(IANA_MEDIA_TYPES + media_type))
            )
    return described


def measurement_graph(dataset: URIRef, dumps: tuple[DumpFile, ...]) -> Graph:
    """Byte size and SHA-256 checksum of each written dump, for the store only."""
    measured = Graph()
    for dump in dumps:
        node = distribution_uri(dataset, dump.file)
        checksum = URIRef(f"{node}#sha256")
        measured.add(
            (node, DCAT.byteSize, Literal(dump.bytes, datatype=XSD.integer))
        )
        measured.add((node, SPDX.checksum, checksum))
        measured.add((checksum, RDF.type, SPDX.Checksum))
        measured.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        measured.add(
            (checksum, SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary))
        )
    return measured
