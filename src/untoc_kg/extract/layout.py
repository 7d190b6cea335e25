"""Where the parts of a normalised UN document are: its header (symbol, "Distr.", date, body,
title) comes before the first numbered paragraph or roman-numbered heading."""

from __future__ import annotations

import re

_BODY_START = re.compile(r"^(?:\d{1,3}|[IVXLC]+)\.\s")


def text_lines(text: str) -> list[str]:
    """The non-blank lines of `text`, stripped: one block each in normalised text."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def body_start(lines: list[str]) -> int:
    """Index of the first line after the header: the first numbered paragraph or heading."""
    return next((i for i, line in enumerate(lines) if _BODY_START.match(line)), len(lines))
