"""`untoc-kg build` on the corpus: it conforms and is published; a re-build gives byte-identical
N-Triples; a build that fails validation leaves the last good store serving; bad input is named
and costs no other data; `validate` and `query` work on what was built."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from rdflib import Graph

from untoc_kg import publish as pipeline
from untoc_kg.publish.steps import build_time_from_env
from untoc_kg.corpus import corpus_files
from untoc_kg.settings import DEFAULT_BASE_URI
from untoc_kg.shapes import shapes_graph
from untoc_kg.datadir import current_build, open_store

COUNT = """PREFIX untoc: <https://w3id.org/untoc-kg/ontology#>
SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a untoc:{cls} }}"""


def count(store_path: Path, cls: str) -> int:
    store = open_store(store_path)
    return int(next(iter(store.query(COUNT.format(cls=cls))))["n"].value)


def cli(*args: str, input_text: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "untoc_kg.cli", *args],
        capture_output=True,
        text=True,
        timeout=600,
        input=input_text,
        check=False,
    )


def test_the_corpus_build_conforms_and_is_published(corpus_build) -> None:
    assert corpus_build.validation.conforms, corpus_build.validation.report_text
    assert corpus_build.published is not None and not corpus_build.failures
    store_path = corpus_build.published.store_path
    assert count(store_path, "Recommendation") == 171
    assert count(store_path, "Meeting") == 7
    manifest = json.loads((corpus_build.build_dir / "build.json").read_text())
    assert manifest["conforms"] is True
    assert manifest["base_uri"] == DEFAULT_BASE_URI
    assert len(manifest["inputs"]) == len(corpus_files())
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])
    report = corpus_build.build_dir / "validation"
    assert (report / "report.txt").read_text().startswith("Conforms: yes")
    assert len(Graph().parse(report / "report.ttl")) > 0


@pytest.fixture(scope="module")
def second_build(
    corpus_build, tmp_path_factory: pytest.TempPathFactory
) -> pipeline.BuildResult:
    """The corpus built again, into another data dir, at the same build time."""
    return pipeline.build(
        corpus_files(),
        tmp_path_factory.mktemp("rebuild"),
        DEFAULT_BASE_URI,
        build_time=datetime.fromisoformat(corpus_build.manifest["build_time"]),
    )


def test_a_rebuild_gives_byte_identical_dumps(corpus_build, second_build) -> None:
    first = corpus_build.published.dumps_path
    second = second_build.published.dumps_path
    assert second_build.build_dir != corpus_build.build_dir
    for name in ("untoc-kg.nt", "untoc-kg.nt.gz"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_a_build_failing_validation_leaves_the_last_good_store_serving(
    second_build,
) -> None:
    data_dir = second_build.build_dir.parent.parent
    good = current_build(data_dir)
    strict = shapes_graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:test:shape> a sh:NodeShape ;
            sh:targetClass <https://w3id.org/untoc-kg/ontology#Recommendation> ;
            sh:property [ sh:path <urn:test:reviewedBy> ; sh:minCount 1 ;
                          sh:message "Every recommendation must be reviewed." ] .""",
        format="turtle",
    )
    failed = pipeline.build(corpus_files(), data_dir, DEFAULT_BASE_URI, shapes=strict)
    assert failed.published is None and not failed.validation.conforms
    assert current_build(data_dir).build_id == good.build_id
    assert count(good.store_path, "Recommendation") == 171
    # the failed build keeps its report for the user, and nothing to serve
    report = (failed.build_dir / "validation" / "report.txt").read_text()
    assert "Every recommendation must be reviewed." in report
    assert (failed.build_dir / "validation" / "report.ttl").is_file()
    assert (
        json.loads((failed.build_dir / "build.json").read_text())["conforms"] is False
    )
    assert not (failed.build_dir / "store").exists()
    assert not list((failed.build_dir / "dumps").iterdir())


def test_cli_names_a_bad_input_and_still_builds_the_others(tmp_path: Path) -> None:
    good = corpus_files()[0]
    missing = tmp_path / "no-such-report.txt"
    result = cli(
        "build", "--quiet", "--out", str(tmp_path / "data"), str(good), str(missing)
    )
    assert result.returncode == 1
    assert "no-such-report.txt" in result.stderr
    published = current_build(tmp_path / "data")
    assert [Path(i["file"]).name for i in published.manifest["inputs"]] == [good.name]
    assert count(published.store_path, "Recommendation") > 0
    assert result.stdout == ""  # --quiet


def test_cli_validate_and_query_on_the_built_store(
    corpus_build, tmp_path: Path
) -> None:
    data_dir = corpus_build.build_dir.parent.parent
    validated = cli("validate", "--store", str(data_dir))
    assert validated.returncode == 0, validated.stderr
    assert "Conforms: yes" in validated.stdout

    broken = tmp_path / "broken.ttl"
    broken.write_text(
        "@prefix untoc: <https://w3id.org/untoc-kg/ontology#> .\n"
        "<https://example.org/id/meeting/x/1> a untoc:Meeting .\n"
    )
    rejected = cli("validate", str(broken))
    assert rejected.returncode == 1
    assert "A meeting needs exactly one number" in rejected.stdout

    answer = cli(
        "query",
        "recommendations-citing-article",
        "--store",
        str(data_dir),
        "--param",
        "treaty=SOM",
        "--param",
        "article=8",
        "--format",
        "json",
    )
    assert answer.returncode == 0, answer.stderr
    bindings = json.loads(answer.stdout)["results"]["bindings"]
    assert bindings and all("recommendation" in b for b in bindings)

    csv = cli(
        "query",
        "-",
        "--store",
        str(data_dir),
        "--format",
        "csv",
        input_text="SELECT (1 AS ?one) {}",
    )
    assert csv.stdout.split() == ["one", "1"]

    unknown = cli("query", "no-such-query", "--store", str(data_dir))
    assert (
        unknown.returncode == 2 and "recommendations-citing-article" in unknown.stderr
    )


def test_cli_query_without_a_build_says_so(tmp_path: Path) -> None:
    result = cli("query", "articles-by-citations", "--store", str(tmp_path / "empty"))
    assert result.returncode == 2
    assert "empty" in result.stderr


def test_source_date_epoch_fixes_the_build_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert build_time_from_env() == datetime.fromisoformat("2026-01-01T00:00:00+00:00")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert build_time_from_env().year >= 2026
