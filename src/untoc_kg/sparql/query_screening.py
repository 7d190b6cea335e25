"""What the endpoint can tell from a query's text before evaluating it.

pyoxigraph parses queries but exposes no algebra, and it will happily send `SERVICE` requests to
any host, so federated queries are refused here, from the text. The screen is conservative by
construction: it only hides text that the SPARQL grammar can never read as a keyword (string
literals, IRIs, comments, variable names and the local part of prefixed names, each matched by a
pattern no wider than the grammar's), then looks for the word anywhere in what is left, without
word boundaries, because Oxigraph's parser needs none (`SERVICESILENT<x>{}` and `SERVICE:x {}`
are both federated queries to it). A query can be refused that did not need to be (a prefix
label containing "service"); none can slip through.

Two things keep it so. What the grammar escapes is hidden as a unit: `\\u` escapes in IRIs,
and a local name's escapes (`ex:a\\'b`, `ex:a\\#b`), whose quote or hash would otherwise open a
string or comment that is none and hide the `SERVICE` after it. And a quote that opens no
string the screen can close (a syntax error to the parser) leaves the rest of the query
visible: the screen never guesses, and it reads the query once, in time linear in its length
(retrying at every quote of `'\\'\\'\\'...` was quadratic: minutes for 200 KB).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class ResultKind(str, Enum):
    """What a query returns, which decides the formats it can be written in."""

    BOOLEAN = "boolean"  # ASK
    SOLUTIONS = "solutions"  # SELECT
    GRAPH = "graph"  # CONSTRUCT, DESCRIBE

_NEVER_KEYWORDS = re.compile(
    r"""
      \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"       # long string literals
    | '''(?:[^'\\]|\\.|'(?!''))*'''
    | "(?:[^"\\\n\r]|\\.)*"                      # string literals
    | '(?:[^'\\\n\r]|\\.)*'
    | <(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>
                                                 # IRIs (no space, brace or quote; \u escapes)
    | \#[^\n\r]*                                 # comments
    | [?$][A-Za-z0-9_]+                          # variables (ASCII part of VARNAME)
    | (?<=:)[A-Za-z0-9_:][A-Za-z0-9_.:-]*        # local part of a prefixed name (ASCII part)
    | \\[_~.\-!$&'()*+,;=/?\#@%]               # an escape in a local name (PN_LOCAL_ESC)
    """,
    re.VERBOSE | re.DOTALL,
)
_MAY_START_HIDDEN = re.compile(r"""["'<\#?$\\]|(?<=:)[A-Za-z0-9_:]""")
"""Where one of the patterns above can begin: the scan jumps from one such place to the next."""
_QUOTES = "\"'"
_SERVICE = re.compile("service", re.IGNORECASE)
_FORM = re.compile(
    r"\b(SELECT|CONSTRUCT|DESCRIBE|ASK"
    r"|INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)(?![\w:])",
    re.IGNORECASE,
)
_KINDS = {
    "SELECT": ResultKind.SOLUTIONS,
    "ASK": ResultKind.BOOLEAN,
    "CONSTRUCT": ResultKind.GRAPH,
    "DESCRIBE": ResultKind.GRAPH,
}


@dataclass(frozen=True)
class Screening:
    kind: ResultKind | None
    """What the query returns, when its text says so plainly (None: let the parser decide)."""
    is_update: bool
    """The text is a SPARQL Update operation (INSERT, DELETE, LOAD, CLEAR, ...)."""
    uses_service: bool
    """The text may contain a SERVICE clause (a federated query)."""
    nesting: int = 0
    """How deep its brackets nest ({ ( [ and <<): Oxigraph's parser recurses once per level and
    overflows its stack, killing the worker, from a few hundred levels (300 nested [ ])."""


MAX_NESTING = 128
"""Deeper queries are refused before a worker sees them; no real query comes close."""
_BRACKET = re.compile(r"<<|>>|[{(\[]|[})\]]")


def keyword_text(query: str) -> str:
    """The query with everything that can never be a keyword blanked out."""
    kept: list[str] = []
    at = 0
    while (start := _MAY_START_HIDDEN.search(query, at)) is not None:
        kept.append(query[at : start.start()])
        hidden = _NEVER_KEYWORDS.match(query, start.start())
        if hidden is not None:
            kept.append(" ")
            at = hidden.end()
        elif query[start.start()] in _QUOTES:
            break  # a string that never closes: leave the rest visible
        else:
            kept.append(query[start.start()])
            at = start.start() + 1
    kept.append(query[at:])
    return "".join(kept)


def screen(query: str) -> Screening:
    text = keyword_text(query)
    form = _FORM.search(text)
    keyword = form.group(1).upper() if form else None
    return Screening(
        kind=_KINDS.get(keyword) if keyword else None,
        is_update=keyword is not None and keyword not in _KINDS,
        uses_service=_SERVICE.search(text) is not None,
        nesting=_nesting(text),
    )


def _nesting(text: str) -> int:
    depth = deepest = 0
    for bracket in _BRACKET.finditer(text):
        if bracket.group() in ("<<", "{", "(", "["):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(0, depth - 1)
    return deepest
