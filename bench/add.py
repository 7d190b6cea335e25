"""Living graph (issue 8): `untoc-kg add` of one report to a published graph of N recommendations,
against a full rebuild of the same documents, in the same run.

    nice -n 10 python bench/add.py [--sizes 10000 30000 100000] [--keep DIR]

Per N: bench/gen.py's documents; the last two reports are held out. The others are built and published
(`untoc_kg.publish.build_documents`, the path `untoc-kg build` runs); then the held-out reports are added
(`untoc_kg.publish.update.update`, what `untoc-kg add` runs after extracting the file), and the
same N documents are rebuilt from scratch into another data dir. Printed: triples, store and dump
sizes, the time of the first add after the build (it also cuts the build's dump into pieces,
once: `untoc_kg.datadir.dump_pieces`) and of the next one (with its steps, from its build.json), the full
rebuild's time, and the ratio of the rebuild to the (next) add. Goal (issue 8): add <= 10 s at 100,000 recommendations.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from gen import synthetic_documents

from untoc_kg import publish as pipeline
from untoc_kg.publish import update
from untoc_kg.settings import DEFAULT_BASE_URI


def size_of(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def measure(n: int, folder: Path, rebuild: bool = True) -> dict:
    documents = list(synthetic_documents(n, seed=0))
    # the last two reports are held out: the first add after a build also cuts the build's
    # dump into pieces (once); the second is what every later add costs
    reports = [i for i, d in enumerate(documents) if d.kind == "report"][-2:]
    first, report = (documents[i] for i in reports)
    others = [d for i, d in enumerate(documents) if i not in reports]

    started = time.monotonic()
    base = pipeline.build_documents(others, folder / "living", DEFAULT_BASE_URI)
    base_seconds = time.monotonic() - started
    assert base.ok, base.validation.report_text

    started = time.monotonic()
    assert update(folder / "living", added=[first]).ok
    first_add_seconds = time.monotonic() - started

    started = time.monotonic()
    added = update(folder / "living", added=[report])
    add_seconds = time.monotonic() - started
    assert added.ok, added.validation.report_text

    rebuild_seconds, rebuilt_triples = base_seconds, None
    if rebuild:
        started = time.monotonic()
        rebuilt = pipeline.build_documents(
            documents, folder / "rebuilt", DEFAULT_BASE_URI
        )
        rebuild_seconds = time.monotonic() - started
        assert rebuilt.ok, rebuilt.validation.report_text
        rebuilt_triples = rebuilt.manifest["store_triples"]

    build = added.published
    return {
        "recommendations": sum(len(d.recommendations) for d in documents),
        "documents": len(documents),
        "added_recommendations": len(report.recommendations),
        "triples": added.manifest["store_triples"],
        "rebuilt_triples": rebuilt_triples,
        "rebuild_measured": "all N documents"
        if rebuild
        else "the base build (N minus the report)",
        "store_mb": round(size_of(build.store_path) / 1e6, 1),
        "dumps_mb": round(size_of(build.dumps_path) / 1e6, 1),
        "records_mb": round(size_of(build.path / "records") / 1e6, 1),
        "documents_read": added.manifest["update"]["documents_read"],
        "subjects_replaced": added.manifest["update"]["subjects_replaced"],
        "base_build_s": round(base_seconds, 2),
        "first_add_s": round(first_add_seconds, 2),
        "add_s": round(add_seconds, 2),
        "add_steps": added.manifest["timings"],
        "rebuild_s": round(rebuild_seconds, 2),
        "ratio": round(rebuild_seconds / add_seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000]
    )
    parser.add_argument("--keep", type=Path, help="keep the data dirs here")
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    parser.add_argument(
        "--no-rebuild",
        action="store_true",
        help="take the base build (all but the added report) as the full build's time instead of "
        "building the N documents again (halves the run; the two differ by one report)",
    )
    args = parser.parse_args()
    rows = []
    for n in args.sizes:
        folder = (
            args.keep / str(n)
            if args.keep
            else Path(tempfile.mkdtemp(prefix=f"add-{n}-"))
        )
        try:
            row = measure(n, folder, rebuild=not args.no_rebuild)
        finally:
            if not args.keep:
                shutil.rmtree(folder, ignore_errors=True)
        rows.append(row)
        print(json.dumps(row), flush=True)
    print()
    print(
        "| recommendations | triples | store MB | dumps MB | first add s | add s | full build s | build/add | add steps (s) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        steps = ", ".join(f"{k} {v}" for k, v in r["add_steps"].items())
        print(
            f"| {r['recommendations']:,} | {r['triples']:,} | {r['store_mb']} | {r['dumps_mb']} | "
            f"{r['first_add_s']} | {r['add_s']} | {r['rebuild_s']} | {r['ratio']}x | {steps} |"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
