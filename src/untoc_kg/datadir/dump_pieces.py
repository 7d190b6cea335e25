"""The dumps of an updated build, at the cost of the change, not of the graph.

The sorted N-Triples are kept in *pieces* (builds/<id>/dump-pieces/): runs of whole subjects,
about `PIECE_LINES` lines each, named by the SHA-256 of their bytes, each with its own Turtle
(its own `@prefix` lines: a Turtle document may declare a prefix again) and its own gzip member
of each (concatenated gzip members are one gzip file, RFC 1952). An update rewrites only the
pieces its removed and added lines fall into; the others are hard links to the previous build's.
The four dump files are the concatenations of the pieces' files, so they are still the whole
dataset, sorted, and gzip/Turtle readers see one document. Only concatenating and measuring the
files grows with the graph.

The first update of a build made by `untoc-kg build` cuts its N-Triples dump into pieces (once).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph

from untoc_kg.datadir.dumps import NTRIPLES, TURTLE, DumpFile
from untoc_kg.datadir.layout import DUMP_FILES, dump_url

PIECES = "dump-pieces"
LISTING = "pieces.json"
PIECE_LINES = 20_000
PRODUCTS = (".nt", ".nt.gz", ".ttl", ".ttl.gz")


def pieces_dir(build_dir: Path) -> Path:
    return Path(build_dir) / PIECES


def subject_of(line: bytes) -> bytes:
    return line.split(b" ", 1)[0]


def cut(lines: Iterable[bytes], size: int = PIECE_LINES) -> Iterator[list[bytes]]:
    """Sorted lines -> runs of at least `size` lines that end where a subject ends."""
    piece: list[bytes] = []
    for line in lines:
        if len(piece) >= size and subject_of(line) != subject_of(piece[-1]):
            yield piece
            piece = []
        piece.append(line)
    if piece:
        yield piece


def _write_piece(folder: Path, lines: list[bytes], prefixes: Mapping[str, str]) -> dict:
    data = b"".join(line + b"\n" for line in lines)
    name = hashlib.sha256(data).hexdigest()
    base = folder / name
    if not Path(f"{base}.nt.gz").exists():  # written last: the piece is complete
        turtle = pyoxigraph.serialize(
            pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES),
            format=pyoxigraph.RdfFormat.TURTLE,
            prefixes=dict(prefixes),
        )
        for suffix, content in ((".ttl", turtle), (".nt", data)):
            _write(Path(f"{base}{suffix}"), content)
            # mtime 0 and no name: the member carries no build-time state
            _write(
                Path(f"{base}{suffix}.gz"),
                gzip.compress(content, compresslevel=6, mtime=0),
            )
    return {
        "first": subject_of(lines[0]).decode("utf-8"),
        "name": name,
        "lines": len(lines),
    }


def _write(path: Path, content: bytes) -> None:
    """All or nothing: an interrupted update leaves no half-written piece behind."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(content)
    os.replace(temporary, path)


def _read_listing(folder: Path) -> list[dict] | None:
    try:
        return json.loads((folder / LISTING).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def patch(
    previous_build: Path,
    build_dir: Path,
    removed: set[bytes],
    added: set[bytes],
    prefixes: Mapping[str, str],
) -> int:
    """The pieces of `build_dir`: the previous build's with `removed` lines dropped and `added`
    lines merged in. Returns the number of lines (triples) of the whole dump."""
    old, new = pieces_dir(previous_build), pieces_dir(build_dir)
    new.mkdir()
    listing = _read_listing(old)
    if listing is None:  # a build's dump, not cut yet: cut it once
        listing = _cut_dump(Path(previous_build) / "dumps" / NTRIPLES, old, prefixes)
    if not listing:  # an empty graph: the added lines are the dump
        result = [
            _write_piece(new, part, prefixes) for part in cut(sorted(added - removed))
        ]
        (new / LISTING).write_text(json.dumps(result), encoding="utf-8")
        return sum(p["lines"] for p in result)
    firsts = [p["first"].encode("utf-8") for p in listing]
    changes: dict[int, tuple[set[bytes], set[bytes]]] = defaultdict(
        lambda: (set(), set())
    )
    for which, lines in ((0, removed), (1, added)):
        for line in lines:
            changes[max(0, bisect_right(firsts, subject_of(line)) - 1)][which].add(line)
    result: list[dict] = []
    for position, piece in enumerate(listing):
        if position not in changes:
            for suffix in PRODUCTS:
                _link(
                    old / f"{piece['name']}{suffix}", new / f"{piece['name']}{suffix}"
                )
            result.append(piece)
            continue
        gone, come = changes[position]
        lines = (old / f"{piece['name']}.nt").read_bytes().splitlines()
        merged = sorted((set(lines) - gone) | come)
        for part in cut(merged):
            result.append(_write_piece(new, part, prefixes))
    _write(new / LISTING, json.dumps(result).encode("utf-8"))
    return sum(p["lines"] for p in result)


def _cut_dump(ntriples: Path, folder: Path, prefixes: Mapping[str, str]) -> list[dict]:
    folder.mkdir(exist_ok=True)
    with ntriples.open("rb") as stream:
        lines = (line.rstrip(b"\n") for line in stream if line.strip())
        listing = [_write_piece(folder, piece, prefixes) for piece in cut(lines)]
    _write(folder / LISTING, json.dumps(listing).encode("utf-8"))
    return listing


def cut_store_dump(ntriples: Path, build_dir: Path, prefixes: Mapping[str, str]) -> int:
    """Pieces from scratch (a sorted N-Triples file), when patching is not possible."""
    folder = pieces_dir(build_dir)
    shutil.rmtree(folder, ignore_errors=True)
    return sum(p["lines"] for p in _cut_dump(ntriples, folder, prefixes))


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def assemble(build_dir: Path, folder: Path, base_uri: str) -> tuple[DumpFile, ...]:
    """The four dump files of `build_dir` from its pieces, measured. Two at a time: reading,
    hashing and writing release the GIL, and this is the step of an update that grows with the
    graph (gigabytes at 100,000 recommendations)."""
    pieces = pieces_dir(build_dir)
    listing = _read_listing(pieces) or []
    assert {NTRIPLES, TURTLE} <= set(DUMP_FILES)
    with ThreadPoolExecutor(max_workers=2) as pool:
        return tuple(
            pool.map(
                lambda name: _concatenate(pieces, listing, Path(folder), name, base_uri),
                DUMP_FILES,
            )
        )


def _concatenate(
    pieces: Path, listing: list[dict], folder: Path, file_name: str, base_uri: str
) -> DumpFile:
    suffix = file_name.removeprefix("untoc-kg")
    digest = hashlib.sha256()
    size = 0
    with (folder / file_name).open("wb") as output:
        for piece in listing:
            with (pieces / f"{piece['name']}{suffix}").open("rb") as source:
                for block in iter(lambda: source.read(1 << 22), b""):
                    output.write(block)
                    digest.update(block)
                    size += len(block)
    return DumpFile(
        file_name, DUMP_FILES[file_name], size, digest.hexdigest(), dump_url(base_uri, file_name)
    )
