"""The search box's language, turned into an FTS5 MATCH expression.

    discrimination women        both words (stemmed: "discriminate" finds "discrimination")
    "law enforcement"           the phrase
    migrants OR refugees        either
    smuggling NOT sea           the first without the second
    (sea OR air) AND smuggling  grouping
    traffick*                   any word starting so

Operators are written in capitals (a lower-case "or" is a word). Every word is quoted in the FTS5
expression, so no input can reach FTS5's own syntax (column filters, NEAR, ^). A word with an
irregular plural is searched in both forms ("woman" finds "women"; see irregular_plurals.tsv).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

OPERATORS = ("AND", "OR", "NOT")
_TOKEN = re.compile(r'\s*(?:(?P<phrase>"[^"]*"?)|(?P<paren>[()])|(?P<word>[^\s()"]+))')
_WORD_CHARS = re.compile(r"\w", re.UNICODE)


class SearchSyntaxError(ValueError):
    """The search text cannot be read; the message says where and why."""


@dataclass(frozen=True)
class Token:
    kind: str  # "term", "phrase", "op", "(", ")"
    text: str
    prefix: bool = False
    at: int = 0


@cache
def irregular_plurals() -> dict[str, tuple[str, ...]]:
    """word -> the forms it is searched in (itself and its irregular singular or plural)."""
    forms: dict[str, tuple[str, ...]] = {}
    text = files(__package__).joinpath("irregular_plurals.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        singular, plural = line.split("\t")
        forms[singular] = forms[plural] = (singular, plural)
    return forms


def tokens(text: str) -> list[Token]:
    found: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            break
        position = match.end()
        at = match.start(match.lastgroup) + 1 if match.lastgroup else position
        if match.group("phrase") is not None:
            raw = match.group("phrase")
            if len(raw) < 2 or not raw.endswith('"'):
                raise SearchSyntaxError(f'the quote at character {at} is never closed')
            phrase = raw[1:-1].strip()
            if _WORD_CHARS.search(phrase):
                found.append(Token("phrase", phrase, at=at))
        elif match.group("paren") is not None:
            found.append(Token(match.group("paren"), match.group("paren"), at=at))
        else:
            word = match.group("word")
            if word in OPERATORS:
                found.append(Token("op", word, at=at))
            elif _WORD_CHARS.search(word):
                prefix = word.endswith("*")
                found.append(Token("term", word.rstrip("*"), prefix, at=at))
    return found


def quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


Completions = Callable[[str], Sequence[str]]
"""prefix -> the indexed words that begin with it."""


def term_expression(token: Token, completions: Completions | None = None) -> str:
    if token.kind == "phrase":
        return quoted(token.text)
    if token.prefix:
        # The index holds stems: "migrati"* would match no stem ("migrat"), so a prefix is
        # searched as the words it begins, each stemmed as the text was.
        found = list(completions(token.text)) if completions is not None else []
        if not found:
            return quoted(token.text) + "*"
        return "(" + " OR ".join(quoted(w) for w in found) + ")"
    forms = irregular_plurals().get(token.text.casefold())
    if forms:
        return "(" + " OR ".join(quoted(f) for f in forms) + ")"
    return quoted(token.text)


def to_match(text: str, completions: Completions | None = None) -> str | None:
    """The FTS5 expression for the search text, or None when it holds no word (list all)."""
    found = tokens(text)
    if not found:
        return None
    parts: list[str] = []
    depth = 0
    previous: Token | None = None  # the last token written
    for token in found:
        operand_start = token.kind in ("term", "phrase", "(")
        if operand_start and previous is not None and previous.kind in ("term", "phrase", ")"):
            parts.append("AND")  # words side by side: all of them
        if token.kind == "op":
            if previous is None or previous.kind in ("op", "("):
                if token.text == "NOT" and previous is not None and previous.text == "AND":
                    parts[-1] = "NOT"  # "a AND NOT b" is FTS5's "a NOT b"
                    previous = Token("op", "NOT", at=token.at)
                    continue
                raise SearchSyntaxError(
                    f"{token.text} at character {token.at} needs a word before it"
                    + (' (to leave a word out, write "this NOT that")' if token.text == "NOT" else "")
                )
            parts.append(token.text)
        elif token.kind == "(":
            depth += 1
            parts.append("(")
        elif token.kind == ")":
            if depth == 0:
                raise SearchSyntaxError(f"')' at character {token.at} has no '(' before it")
            if previous is not None and previous.kind in ("op", "("):
                raise SearchSyntaxError(f"nothing to search for before ')' at character {token.at}")
            depth -= 1
            parts.append(")")
        else:
            parts.append(term_expression(token, completions))
        previous = token
    if previous is not None and previous.kind == "op":
        raise SearchSyntaxError(f"{previous.text} at character {previous.at} needs a word after it")
    if depth:
        raise SearchSyntaxError("a '(' is never closed")
    return " ".join(parts)
