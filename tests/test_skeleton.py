"""The package installs as one CLI and ships its corpus and reference data."""

import subprocess
import sys

from untoc_kg.corpus import corpus_files
from untoc_kg.reference import article_titles, bodies, country_codes, treaties


def test_cli_lists_every_command() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "untoc_kg.cli", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in ("extract", "citations", "eval", "build", "validate", "query", "serve"):
        assert command in out


def test_corpus_is_package_data() -> None:
    files = corpus_files()
    assert len(files) == 5
    assert all(f.stat().st_size > 10_000 for f in files)


def test_reference_data_loads() -> None:
    assert set(treaties()) == {"UNTOC", "SOM", "TIP", "FIR"}
    assert len(article_titles()["UNTOC"]) == 41
    assert article_titles()["SOM"][8] == "Measures against the smuggling of migrants by sea"
    assert bodies()["CTOC/COP/WG.4"].protocol == "TIP"
    assert country_codes()["ESP"].wikidata == "Q29"
