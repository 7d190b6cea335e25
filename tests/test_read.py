"""Reading source files: what is not a text report gets a clear error naming the file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from untoc_kg.extract.errors import ExtractionError
from untoc_kg.extract.read import read_report


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_utf8_text_is_read_with_its_checksum(tmp_path: Path) -> None:
    data = "1. States parties should act. Côte d’Ivoire\n".encode("utf-8")
    source = read_report(write(tmp_path, "report.txt", data))
    assert source.text == data.decode("utf-8")
    assert source.sha256 == hashlib.sha256(data).hexdigest()
    assert source.warnings == ()
    assert source.name.endswith("report.txt")


def test_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    source = read_report(write(tmp_path, "bom.txt", b"\xef\xbb\xbfI. Introduction\n"))
    assert source.text == "I. Introduction\n"


def test_cp1252_text_is_read_with_a_warning(tmp_path: Path) -> None:
    data = "1. States\u2019 measures in C\u00f4te d\u2019Ivoire \u2013 \u201cbest\u201d practice.\n".encode("cp1252")
    source = read_report(write(tmp_path, "windows.txt", data))
    assert source.text == data.decode("cp1252")
    assert any("cp1252" in w for w in source.warnings)


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\r\n\t\n", "empty"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("controls.bin", bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16]) * 100, "binary"),
        ("latin.txt", b"abc \x81\x8d\x8f\x90\x9d", "not UTF-8"),
    ],
)
def test_bad_input_names_the_file_and_the_problem(tmp_path: Path, name: str, data: bytes, problem: str) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(ExtractionError) as raised:
        read_report(path)
    message = str(raised.value)
    assert name in message and problem in message


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ExtractionError, match="missing.txt: no such file"):
        read_report(tmp_path / "missing.txt")
    with pytest.raises(ExtractionError, match="directory"):
        read_report(tmp_path)
