"""Predeclared prefixes and readable syntax errors, for every place a person types SPARQL (the
endpoint, the query page, `untoc-kg query`).

Virtuoso predeclares well-known prefixes and YASGUI adds the PREFIX lines a query misses; here
the vocabulary's prefix table is predeclared (a query's own PREFIX line still wins), and
`with_prologue` writes the missing lines into the text, so a query shown or shared stays plain
SPARQL that runs on any store. Oxigraph's parser reports what it expected as every character
range of the grammar ("expected one of Prefix not found, ['%'], ['-' | '0' ..= '9' | …"):
`explain` says what is wrong instead, in the words of the query.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from untoc_kg.sparql.query_screening import keyword_text

_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)
_USED = re.compile(r"(?<![\w.:?$-])([A-Za-z][\w.-]*)?:(?=[\w%\\:]|\s|$)")
_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)
_FIRST_WORD = re.compile(r"[A-Za-z]+")
QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
PROLOGUE_WORDS = ("PREFIX", "BASE")


def _visible(query: str) -> str:
    """The query without strings, IRIs, comments, variables and local names: the screen's view
    (`keyword_text`, linear in the query's length even on text made to slow a scan down)."""
    return keyword_text(query)


def _declared_in(visible: str) -> set[str]:
    return {m.group(1) or "" for m in _DECLARED.finditer(visible)}


def _used_in(visible: str) -> set[str]:
    return {m.group(1) or "" for m in _USED.finditer(visible)}


def declared(query: str) -> set[str]:
    """The prefixes the query declares itself."""
    return _declared_in(_visible(query))


def used(query: str) -> set[str]:
    """The prefixes of the prefixed names the query uses (`untoc:cites` -> "untoc")."""
    return _used_in(_visible(query))


def missing(query: str, prefixes: Mapping[str, str]) -> dict[str, str]:
    """The known prefixes the query uses without declaring them."""
    visible = _visible(query)
    wanted = _used_in(visible) - _declared_in(visible)
    return {name: iri for name, iri in prefixes.items() if name in wanted}


def with_prologue(query: str, prefixes: Mapping[str, str]) -> str:
    """The query with a PREFIX line for each known prefix it uses and does not declare."""
    lines = [f"PREFIX {name}: <{iri}>" for name, iri in sorted(missing(query, prefixes).items())]
    return "\n".join([*lines, query]) if lines else query


def _first_word(visible: str) -> str:
    """The first keyword after the prologue (PREFIX and BASE declarations), upper-cased."""
    text = re.sub(r"\bPREFIX\s+[\w.-]*:\s*|\bBASE\s*", " ", visible, flags=re.IGNORECASE)
    match = _FIRST_WORD.search(text)
    return match.group(0).upper() if match else ""


def _items(expected: str) -> list[str]:
    """A parser's "expected one of A, B, [...]" list, split at top-level commas."""
    items, depth, quoted, current = [], 0, False, ""
    for char in expected:
        if char == '"':
            quoted = not quoted
        elif char == "[" and not quoted:
            depth += 1
        elif char == "]" and not quoted:
            depth -= 1
        if char == "," and depth == 0 and not quoted:
            items.append(current.strip())
            current = ""
        else:
            current += char
    return [*items, current.strip()] if current.strip() else items


def _expectation(rest: str) -> str:
    """What the parser expected, in a few words: tokens kept, character ranges dropped, a
    sentence (the parser's own explanation, e.g. of an unbound variable) preferred."""
    if not rest.startswith("expected one of "):
        return rest.strip()
    items = [i for i in _items(rest.removeprefix("expected one of ")) if i and not i.startswith("[")]
    sentences = [i for i in items if " " in i and not i.startswith('"')]
    if sentences:
        return "; ".join(sentences)
    tokens = [i for i in items if i != "Prefix not found"]
    shown = ", ".join(tokens[:8]) + (", …" if len(tokens) > 8 else "")
    return f"expected one of {shown}" if shown else "unexpected text"


EXPLAINED_UP_TO = 20_000
"""Characters of a query read to explain its error: the first ones say what a person wrote, and a
megabyte of hostile text must not keep a query worker busy (the light queries beside it wait)."""


def explain(message: str, query: str, prefixes: Mapping[str, str]) -> str:
    """A parser's syntax error about `query`, said for a person."""
    visible = _visible(query[:EXPLAINED_UP_TO])
    first = _first_word(visible)
    if first in UPDATE_WORDS:
        return "this is SPARQL Update; only queries are accepted (the data is read-only)"
    if first and first not in QUERY_FORMS:
        return (
            f"a query starts with {', '.join(QUERY_FORMS[:-1])} or {QUERY_FORMS[-1]} "
            f"(after its PREFIX and BASE lines), not {first!r}"
        )
    undeclared = sorted(_used_in(visible) - _declared_in(visible) - set(prefixes))
    if undeclared and "Prefix not found" in message:
        name = undeclared[0]
        return (
            f"prefix {name}: is not declared; add PREFIX {name}: <…> "
            f"(declared for you: {', '.join(sorted(prefixes))})"
        )
    match = _POSITION.match(message)
    if match is None:
        return message
    line, column, rest = int(match.group(1)), int(match.group(2)), match.group(3)
    lines = query.split("\n", line)
    near = lines[line - 1][max(column - 1, 0) :][:60].strip()[:30] if 0 < line <= len(lines) else ""
    where = f"line {line}, column {column}" + (f" (at {near!r})" if near else " (at the end)")
    return f"{where}: {_expectation(rest)}"
