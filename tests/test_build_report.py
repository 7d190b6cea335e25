"""The numbering warnings of a document (issue 13, item 3: a gap, a repeat, a number out of
order, a label without its text) are lines of the build's report: printed by `untoc-kg build`
and kept in build.json's "warnings", each naming the file once; the rest of the document is
still built. Our own texts (tests/texts/wg_unnumbered_meeting.txt with its numbers changed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from untoc_kg.datadir import current_build

TEXT = Path(__file__).parent / "texts" / "wg_unnumbered_meeting.txt"
ORIGINAL = TEXT.read_text(encoding="utf-8")


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "untoc_kg.cli", *args],
        capture_output=True, text=True, timeout=600, check=False,
    )


@pytest.fixture(scope="module")
def texts(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("numbering")
    variants = {
        "gap.txt": ORIGINAL.replace("\n4. States parties should train", "\n6. States parties should train"),
        "repeat.txt": ORIGINAL.replace("\n4. States parties should train", "\n3. States parties should train"),
    }
    paths = {}
    for name, text in variants.items():
        assert text != ORIGINAL
        paths[name] = folder / name
        paths[name].write_text(text.replace("2033", "2035" if name == "gap.txt" else "2036"), encoding="utf-8")
    return paths


@pytest.fixture(scope="module")
def build(texts, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("store")
    done = cli("build", "--store", str(data_dir), *map(str, texts.values()))
    assert done.returncode == 0, done.stderr
    return data_dir, done


def test_the_warnings_are_lines_of_the_build_report(texts, build) -> None:
    data_dir, done = build
    gap = f"{texts['gap.txt']}: numbering gap between recommendations 3 and 6 (missing 4, 5)"
    repeat = f"{texts['repeat.txt']}: recommendation 3 is numbered twice"
    manifest = json.loads((current_build(data_dir).path / "build.json").read_text(encoding="utf-8"))
    assert gap in manifest["warnings"] and repeat in manifest["warnings"]
    assert f"warning: {gap}" in done.stderr.splitlines()
    assert f"warning: {repeat}" in done.stderr.splitlines()
    # the file is named once, not once by the document and again by the build
    assert not [w for w in manifest["warnings"] if w.count(str(texts["gap.txt"])) > 1]


def test_the_rest_is_still_built(build) -> None:
    data_dir, _ = build
    manifest = json.loads((current_build(data_dir).path / "build.json").read_text(encoding="utf-8"))
    assert manifest["conforms"] and manifest["printed_recommendations"] == 6


def test_a_number_out_of_order_is_a_line_too(tmp_path) -> None:
    path = tmp_path / "swapped.txt"
    path.write_text(
        ORIGINAL.replace("\n3. States parties should consider", "\n9. States parties should consider"),
        encoding="utf-8",
    )
    done = cli("build", "--store", str(tmp_path / "store"), str(path))
    assert done.returncode == 0, done.stderr
    manifest = json.loads((current_build(tmp_path / "store").path / "build.json").read_text(encoding="utf-8"))
    assert f"{path}: recommendation 4 is out of order (after 9)" in manifest["warnings"]
