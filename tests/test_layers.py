"""The layering is checked: import-linter's contract in pyproject.toml (the stages flow one way:
cli > server > publish > sparql | shapes > datadir > graph | extract > ontology | reference |
corpus > vocab | records_json | terms > records | errors | settings; "|" peers must not import
each other) holds for the package, and breaks, naming the import, when a lower stage imports a
higher one or one peer imports the other."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "untoc_kg"


def lint(source_root: Path) -> subprocess.CompletedProcess:
    """`lint-imports` with the project's contract, on the package found under `source_root`."""
    return subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command;"
         " sys.exit(lint_imports_command())", "--config", str(ROOT / "pyproject.toml"),
         "--no-cache"],
        capture_output=True, text=True, cwd=source_root, env={"PYTHONPATH": str(source_root)},
        timeout=300,
    )


def test_the_package_keeps_its_layers() -> None:
    done = lint(ROOT / "src")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "line", "shown"),
    [
        ("datadir/layout.py", "import untoc_kg.publish.build", "untoc_kg.datadir.layout -> untoc_kg.publish.build"),
        ("graph/merge.py", "import untoc_kg.extract.dates", "untoc_kg.graph.merge -> untoc_kg.extract.dates"),
        ("shapes/gate.py", "import untoc_kg.sparql.labels", "untoc_kg.shapes.gate -> untoc_kg.sparql.labels"),
        ("records.py", "import untoc_kg.vocab", "untoc_kg.records -> untoc_kg.vocab"),
    ],
    ids=["lower-imports-higher", "graph-imports-extract", "peer-imports-peer", "records-import-vocab"],
)
def test_an_import_against_the_layers_breaks_the_contract(tmp_path, module, line, shown) -> None:
    copy = tmp_path / "untoc_kg"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    target = copy / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # against the layers\n", encoding="utf-8")
    done = lint(tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "BROKEN" in done.stdout and shown in done.stdout, done.stdout
