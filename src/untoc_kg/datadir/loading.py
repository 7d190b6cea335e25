"""Large graphs onto disk: the sorted N-Triples dump by external sort, the store by bulk load
from that file, the Turtle dump streamed from it, and SELECTs on the loaded store.

Nothing here holds the graph in memory: `sort` (LC_ALL=C, so byte order, which for UTF-8 is the
code point order Python's `sorted` gives) spills to disk, and Oxigraph parses files as streams.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyoxigraph
from rdflib.term import Node

from untoc_kg.terms import to_rdflib

SORT_MEMORY = "512M"
"""`sort`'s buffer: bigger is faster, and it is part of the build's peak memory."""


def sort_ntriples(parts: Sequence[Path], target: Path, scratch: Path) -> int:
    """Sort and de-duplicate the lines of the `parts` files into `target`; returns the line
    count. Empty lines are dropped (an empty graph gives an empty file)."""
    environment = {**os.environ, "LC_ALL": "C"}
    names = b"".join(str(p).encode() + b"\0" for p in parts)
    with Path(target).open("wb") as output:
        sort = subprocess.Popen(
            ["sort", "-u", "-S", SORT_MEMORY, "-T", str(scratch), "--parallel=2", "--files0-from=-"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=environment,
        )
        # grep exits 1 when it selects nothing (an empty graph): not an error here
        grep = subprocess.Popen(["grep", "-v", "^$"], stdin=sort.stdout, stdout=output, env=environment)
        sort.stdout.close()  # type: ignore[union-attr]  (grep holds it now)
        sort.stdin.write(names)  # type: ignore[union-attr]
        sort.stdin.close()  # type: ignore[union-attr]
        sort.wait()
        grep.wait()
    if sort.returncode != 0:
        raise RuntimeError(f"sort failed with {sort.returncode}")
    with Path(target).open("rb") as stream:
        return sum(block.count(b"\n") for block in iter(lambda: stream.read(1 << 20), b""))


def bulk_load(store_path: Path, ntriples: Path) -> pyoxigraph.Store:
    """A new on-disk store holding the file, in the default graph; the caller closes it (`del`)."""
    store = pyoxigraph.Store(str(store_path))
    store.bulk_load(path=str(ntriples), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return store


def select(store: pyoxigraph.Store, query: str, variables: tuple[str, ...]) -> list[tuple[Node | None, ...]]:
    """The rows of a SELECT, as rdflib terms (None where unbound or not projected)."""
    return [tuple(to_rdflib(_value(solution, v)) for v in variables) for solution in store.query(query)]


def _value(solution: pyoxigraph.QuerySolution, name: str) -> object:
    try:
        return solution[name]
    except (KeyError, IndexError):  # a variable the query does not project
        return None


def turtle_from_ntriples(ntriples: Path, target: Path, prefixes: Mapping[str, str]) -> None:
    """The Turtle dump, streamed from the sorted N-Triples (so subjects come grouped)."""
    pyoxigraph.serialize(
        pyoxigraph.parse(path=str(ntriples), format=pyoxigraph.RdfFormat.N_TRIPLES),
        str(target),
        pyoxigraph.RdfFormat.TURTLE,
        prefixes=dict(prefixes),
    )
