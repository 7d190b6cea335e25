"""What the endpoint can tell from a query's text before evaluating it.

pyoxigraph parses queries but exposes no algebra, and it will happily send `SERVICE` requests to
any host, so federated queries are refused here, from the text. The screen is conservative by
construction: it only hides text that the SPARQL grammar can never read as a keyword (string
literals, IRIs, comments, variable names and the local part of prefixed names, each matched by a
pattern no wider than the grammar's), then looks for the word anywhere in what is left, without
word boundaries, because Oxigraph's parser needs none (`SERVICESILENT<x>{}` and `SERVICE:x {}`
are both federated queries to it). A query can be refused that did not need to be (a prefix
label containing "service"); none can slip through.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from untoc_kg.server.results import ResultKind

_NEVER_KEYWORDS = re.compile(
    r"""
      \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"       # long string literals
    | '''(?:[^'\\]|\\.|'(?!''))*'''
    | "(?:[^"\\\n\r]|\\.)*"                      # string literals
    | '(?:[^'\\\n\r]|\\.)*'
    | <[^<>"{}|^`\\\x00-\x20]*>                  # IRIs (IRIREF allows no space, brace, quote)
    | \#[^\n\r]*                                 # comments
    | [?$][A-Za-z0-9_]+                          # variables (ASCII part of VARNAME)
    | (?<=:)[A-Za-z0-9_:][A-Za-z0-9_.:-]*        # local part of a prefixed name
    """,
    re.VERBOSE | re.DOTALL,
)
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


def keyword_text(query: str) -> str:
    """The query with everything that can never be a keyword blanked out."""
    return _NEVER_KEYWORDS.sub(" ", query)


def screen(query: str) -> Screening:
    text = keyword_text(query)
    form = _FORM.search(text)
    keyword = form.group(1).upper() if form else None
    return Screening(
        kind=_KINDS.get(keyword) if keyword else None,
        is_update=keyword is not None and keyword not in _KINDS,
        uses_service=_SERVICE.search(text) is not None,
    )
