"""Hostile input to the extract stage: random bytes, truncated reports, a 10 MB paragraph, very
long lines, deeply nested lists, mixed encodings; and reports as published (PDF, Word, web page)
cut short or damaged, a Word zip bomb, web pages nested 100,000 deep. Every input ends, within a
bounded time, in a Document or an ExtractionError naming the file: never another exception,
never a hang; and in a multi-file `untoc-kg extract` run the other files come out exactly as
they do alone."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import zipfile
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from published_formats import make_docx, make_html, make_pdf, report_blocks
from untoc_kg.corpus import corpus_files
from untoc_kg.extract import ExtractionError, extract_document
from untoc_kg.extract.gold_json import document_to_json
from untoc_kg.records import Document

SECONDS_PER_INPUT = 15.0
"""Generous: a corpus report takes well under a second; this bounds a hang, not speed."""
FUZZ = settings(
    max_examples=40,
    deadline=None,  # timed below with a clearer message; hypothesis' deadline reruns slow examples
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CORPUS = [p.read_bytes() for p in corpus_files()]
ENCODINGS = ["utf-8", "cp1252", "latin-1", "utf-16-le", "utf-16", "mac_roman", "cp437", "utf-8-sig"]


def extract_bounded(path: Path, seconds: float = SECONDS_PER_INPUT) -> Document | ExtractionError:
    """Extract `path`; an ExtractionError is an answer, any other exception fails the test."""
    started = time.monotonic()
    try:
        outcome: Document | ExtractionError = extract_document(path)
    except ExtractionError as error:
        assert str(path) in str(error) and error.problem, error
        outcome = error
    elapsed = time.monotonic() - started
    assert elapsed < seconds, f"{path.name}: {elapsed:.1f} s for {path.stat().st_size} bytes"
    return outcome


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


@FUZZ
@given(data=st.binary(max_size=8192))
def test_random_bytes(tmp_path: Path, data: bytes) -> None:
    extract_bounded(write(tmp_path, "random.txt", data))


@FUZZ
@given(data=st.binary(min_size=1, max_size=2048), report=st.sampled_from(CORPUS), at=st.floats(0, 1))
def test_random_bytes_inside_a_report(tmp_path: Path, data: bytes, report: bytes, at: float) -> None:
    cut = int(len(report) * at)
    extract_bounded(write(tmp_path, "spliced.txt", report[:cut] + data + report[cut:]))


@FUZZ
@given(report=st.sampled_from(CORPUS), start=st.floats(0, 1), end=st.floats(0, 1))
def test_truncated_reports(tmp_path: Path, report: bytes, start: float, end: float) -> None:
    """Any byte slice of a real report, cut mid-character, mid-word or mid-table included."""
    first, last = sorted((int(len(report) * start), int(len(report) * end)))
    extract_bounded(write(tmp_path, "cut.txt", report[first:last]))


@FUZZ
@given(
    pieces=st.lists(
        st.tuples(st.sampled_from(CORPUS), st.floats(0, 1), st.sampled_from(ENCODINGS)),
        min_size=1,
        max_size=6,
    )
)
def test_mixed_encodings(tmp_path: Path, pieces: list[tuple[bytes, float, str]]) -> None:
    """Stretches of reports, each re-encoded differently, in one file (as when files are
    concatenated from several tools)."""
    data = b""
    for report, at, encoding in pieces:
        text = report.decode("utf-8")
        start = int(len(text) * at)
        data += text[start : start + 4000].encode(encoding, errors="replace")
    extract_bounded(write(tmp_path, "mixed.txt", data))


MARKERS = ["({})", "{}.", "{})"]
LABELS = ["a", "i", "A", "1", "iv", "xviii", "zz"]


@FUZZ
@given(
    depth=st.integers(1, 400),
    labels=st.lists(st.sampled_from(LABELS), min_size=1, max_size=8),
    indent=st.booleans(),
    one_line=st.booleans(),
)
def test_deeply_nested_lists(tmp_path: Path, depth: int, labels: list[str], indent: bool, one_line: bool) -> None:
    """Lists nested hundreds of levels deep: "(a) ... (i) ... (A) ..." under a real report's head."""
    head = CORPUS[0].decode("utf-8")[:3000]
    items = []
    for level in range(depth):
        marker = MARKERS[level % len(MARKERS)].format(labels[level % len(labels)])
        items.append(("  " * level if indent else "") + f"{marker} States should cooperate with")
    body = (" " if one_line else "\n").join(items)
    outcome = extract_bounded(write(tmp_path, "nested.txt", f"{head}\n\n1. {body}\n".encode()))
    assert isinstance(outcome, (Document, ExtractionError))


def test_a_list_indented_1600_levels_deep(tmp_path: Path) -> None:
    """2.6 MB, mostly indentation (line n starts with 2n spaces). A page-number pattern once
    tried every split of each run of spaces: 128 s here; now well under a second."""
    head = CORPUS[0].decode("utf-8")[:3000]
    items = [("  " * level) + f"({LABELS[level % 4]}) States should cooperate with" for level in range(1600)]
    outcome = extract_bounded(write(tmp_path, "indented.txt", f"{head}\n\n1. {chr(10).join(items)}\n".encode()))
    assert isinstance(outcome, Document)


@cache
def published() -> dict[str, bytes]:
    """A corpus report as a PDF, a Word file and a web page, made once."""
    blocks = report_blocks(CORPUS[0].decode("utf-8"))
    return {"pdf": make_pdf(blocks), "docx": make_docx(blocks), "html": make_html(blocks).encode()}


@FUZZ
@given(
    kind=st.sampled_from(["pdf", "docx", "html"]),
    damage=st.sampled_from(["cut", "overwrite", "insert"]),
    at=st.floats(0, 1),
    data=st.binary(min_size=1, max_size=2000),
)
def test_damaged_published_reports(tmp_path: Path, kind: str, damage: str, at: float, data: bytes) -> None:
    """A PDF, Word file or web page cut short, or with bytes overwritten or inserted (in a Word
    file, often inside a compressed stream; in a PDF, in its cross-reference table)."""
    whole = published()[kind]
    cut = int(len(whole) * at)
    damaged = {
        "cut": whole[:cut],
        "overwrite": whole[:cut] + data + whole[cut + len(data) :],
        "insert": whole[:cut] + data + whole[cut:],
    }[damage]
    extract_bounded(write(tmp_path, f"damaged.{kind}", damaged or b"x"))


def test_a_word_zip_bomb_is_refused_unread(tmp_path: Path) -> None:
    """A Word file whose text unpacks to 300 MiB (300 KB on disk; the reader's bound is 256 MB):
    refused from what the archive says, before anything is unpacked."""
    bomb = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(published()["docx"])) as real, \
            zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as fake:
        for member in real.infolist():
            if member.filename != "word/document.xml":
                fake.writestr(member, real.read(member))
        with fake.open("word/document.xml", "w", force_zip64=True) as text:
            text.write(real.read("word/document.xml")[:-40])
            chunk = b" " * (1 << 20)
            for _ in range(300):
                text.write(chunk)
    assert len(bomb.getvalue()) < 1024 * 1024
    path = write(tmp_path, "bomb.docx", bomb.getvalue())
    outcome = extract_bounded(path, seconds=5)
    assert isinstance(outcome, ExtractionError) and "zip bomb" in outcome.problem, outcome


def test_a_word_file_with_damaged_compressed_text_is_a_clear_error(tmp_path: Path) -> None:
    """Bytes overwritten inside the deflated text: zlib fails while the archive is read."""
    whole = published()["docx"]
    with zipfile.ZipFile(io.BytesIO(whole)) as archive:
        member = archive.getinfo("word/document.xml")
    start = member.header_offset + 30 + len(member.filename.encode()) + len(member.extra)
    middle = start + member.compress_size // 2
    for garbage in [b"\xff" * 8, b"\x00" * 64, bytes(range(256))]:
        damaged = whole[:middle] + garbage + whole[middle + len(garbage) :]
        outcome = extract_bounded(write(tmp_path, "damaged.docx", damaged))
        assert isinstance(outcome, ExtractionError) and "corrupt Word" in outcome.problem, outcome


@pytest.mark.parametrize("tag", ["div", "ol><li", "blockquote", "b", "table><tr><td"])
def test_web_pages_nested_a_hundred_thousand_deep(tmp_path: Path, tag: str) -> None:
    """The reader walks the page recursively; the parser's depth limit keeps that bounded."""
    head = "".join(f"<p>{line}</p>" for line in CORPUS[0].decode("utf-8").splitlines()[:60])
    closing = "".join(f"</{name}>" for name in reversed(tag.strip("<>").split("><")))
    page = f"<html><body><main>{head}" + f"<{tag}>x " * 100_000 + "deep" + closing * 100_000 + "</main></body></html>"
    extract_bounded(write(tmp_path, "deep.html", page.encode()))


def test_very_long_lines(tmp_path: Path) -> None:
    """Every report as one line, and a report whose every line is 200,000 characters long."""
    for index, report in enumerate(CORPUS):
        text = report.decode("utf-8")
        extract_bounded(write(tmp_path, f"one-line-{index}.txt", " ".join(text.split()).encode()))
    words = CORPUS[1].decode("utf-8").split()
    line = " ".join(words * (200_000 // len(" ".join(words)) + 1))[:200_000]
    extract_bounded(write(tmp_path, "long-lines.txt", (CORPUS[1][:2000] + b"\n" + (line + "\n").encode() * 5)))


def test_a_ten_megabyte_paragraph_is_linear(tmp_path: Path) -> None:
    """One paragraph of 10 MB after a real report's head: read in bounded time, and the time
    grows about linearly with the size (a quadratic step would take 16 times as long for four
    times the size, a linear one 4 times)."""
    head = CORPUS[0][:3000]
    sentence = b"States parties should cooperate to prevent and counter the smuggling of migrants "

    def paragraph(megabytes: float) -> bytes:
        return head + b"\n\n1. " + sentence * int(megabytes * 1024 * 1024 / len(sentence)) + b"\n"

    started = time.monotonic()
    extract_bounded(write(tmp_path, "quarter.txt", paragraph(2.5)), seconds=60)
    quarter = time.monotonic() - started
    started = time.monotonic()
    extract_bounded(write(tmp_path, "ten.txt", paragraph(10)), seconds=120)
    whole = time.monotonic() - started
    print(f"2.5 MB paragraph: {quarter:.1f} s; 10 MB paragraph: {whole:.1f} s")
    assert whole < 8 * max(quarter, 1.0), (quarter, whole)


def test_one_bad_file_costs_no_other_data(tmp_path: Path) -> None:
    """`untoc-kg extract --json` over the corpus interleaved with hostile files: each hostile
    file is an error naming it or a document, and every corpus report comes out exactly as when
    extracted alone."""
    report = CORPUS[1]
    hostile = {
        "random.txt": os.urandom(20_000),
        "nul.txt": report[:5000] + b"\x00" * 100 + report[5000:],
        "cut-mid-character.txt": "Vienna — État ".encode()[:-2] * 200 + report[: len(report) // 3],
        "utf16.txt": report.decode("utf-8").encode("utf-16"),
        "mixed.txt": report[:10_000] + report.decode("utf-8").encode("cp1252", errors="replace"),
        "nested.txt": report[:3000] + b"\n1. " + b"\n".join(b"  " * i + b"(a) x" for i in range(300)),
        "empty.txt": b"",
    }
    paths: list[Path] = []
    for corpus_path, (name, data) in zip(corpus_files(), [*hostile.items()][: len(CORPUS)], strict=False):
        paths += [corpus_path, write(tmp_path, name, data)]
    paths += [write(tmp_path, name, data) for name, data in [*hostile.items()][len(CORPUS) :]]
    folder = tmp_path / "a-directory.txt"
    folder.mkdir()
    paths.append(folder)

    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "untoc_kg.cli", "extract", "--json", *map(str, paths)],
        capture_output=True, text=True, timeout=300,
    )
    elapsed = time.monotonic() - started
    extracted = {d["document"]: d for d in json.loads(run.stdout)}
    errors = [line for line in run.stderr.splitlines() if line.startswith("error: ")]
    print(f"multi-file extract: {len(paths)} inputs, {len(extracted)} extracted, "
          f"{len(errors)} errors, {elapsed:.1f} s")
    assert run.returncode == 1  # some inputs failed, and the status says so
    for path in paths:
        named = [line for line in errors if line.startswith(f"error: {path}: ")]
        assert (path.name in extracted) != bool(named), (path, named)
    for name in ["random.txt", "nul.txt", "empty.txt", "a-directory.txt"]:
        assert any(line.startswith(f"error: {tmp_path / name}: ") for line in errors), name
    for corpus_path in corpus_files():
        assert extracted[corpus_path.name] == document_to_json(extract_document(corpus_path))


@pytest.mark.parametrize("name", ["missing.txt", "dangling-link.txt"])
def test_unreadable_paths_are_clear_errors(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name.startswith("dangling"):
        path.symlink_to(tmp_path / "nowhere")
    with pytest.raises(ExtractionError, match=str(path)):
        extract_document(path)
