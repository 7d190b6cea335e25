"""Partitioned SHACL gate vs whole-graph pyshacl at N synthetic recommendations (issue 6).

    nice -n 10 python bench/equivalence.py [N=10000] [--chunk 2000]

Builds the partitions of N bench/gen.py recommendations, breaks them as tests/test_partitioned.py
does (faults within and across partitions), then validates both ways: pyshacl on the whole graph,
and pyshacl per partition + SPARQL on an Oxigraph store. Prints the problems each way, whether
they are the same set, and the time and peak memory of each.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

import test_partitioned as t
from gen import synthetic_documents

from untoc_kg.graph import partitions as module


def _order(problem: tuple) -> tuple:
    return tuple(part or "" for part in problem)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=10000)
    parser.add_argument("--chunk", type=int, default=module.MEETING_CHUNK)
    args = parser.parse_args()
    module.MEETING_CHUNK = args.chunk
    with tempfile.TemporaryDirectory() as folder:
        parts = t.partition_sets(list(synthetic_documents(args.n)), Path(folder))
    print(f"N={args.n}: {sum(map(len, parts.values()))} triples in {len(parts)} partitions")
    for broken in (False, True):
        if broken:
            t.break_graph(parts)
        started = time.monotonic()
        expected, got = t.problems_both_ways(parts)
        seconds = time.monotonic() - started
        print(f"{'broken' if broken else 'intact'}: whole-graph pyshacl {len(expected)} problems, "
              f"partitioned {len(got)}; same: {expected == got} ({seconds:.0f} s both ways)")
        for problem in sorted(expected ^ got, key=_order):
            print("  differs:", problem)
        if broken:
            for focus, path, value, message in sorted(expected, key=_order):
                print(f"  {focus} {path or ''} {value or ''}: {message}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
