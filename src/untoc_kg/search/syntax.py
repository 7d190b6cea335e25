"""The search box's language, read into a small tree the engine turns into its query.

    discrimination women        both words (stemmed: "discriminate" finds "discrimination")
    "law enforcement"           the phrase
    migrants OR refugees        either
    smuggling NOT sea           the first without the second ("smuggling AND NOT sea" too)
    (sea OR air) AND smuggling  grouping
    traffick*                   any word starting so

Operators are written in capitals (a lower-case "or" is a word); NOT binds tightest, then AND
(also implied between words side by side), then OR, as in SQLite FTS5 and Lucene. Nothing the
user types reaches an engine's own syntax: words become term queries. A word with an irregular
plural is searched in both forms ("woman" finds "women"; see irregular_plurals.tsv).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

OPERATORS = ("AND", "OR", "NOT")
_TOKEN = re.compile(r'\s*(?:(?P<phrase>"[^"]*"?)|(?P<paren>[()])|(?P<word>[^\s()"]+))')
_WORD_CHARS = re.compile(r"[^\W_]", re.UNICODE)


class SearchSyntaxError(ValueError):
    """The search text cannot be read; the message says where and why."""


@dataclass(frozen=True)
class Token:
    kind: str  # "term", "phrase", "op", "(", ")"
    text: str
    prefix: bool = False
    at: int = 0


@dataclass(frozen=True)
class Word:
    text: str
    forms: tuple[str, ...]
    """The word and its irregular singular or plural: any of them matches."""


@dataclass(frozen=True)
class Phrase:
    text: str


@dataclass(frozen=True)
class Prefix:
    text: str


@dataclass(frozen=True)
class All:
    parts: tuple["Node", ...]


@dataclass(frozen=True)
class Any_:
    parts: tuple["Node", ...]


@dataclass(frozen=True)
class Without:
    kept: "Node"
    left_out: "Node"


Node = Word | Phrase | Prefix | All | Any_ | Without


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
                raise SearchSyntaxError(f"the quote at character {at} is never closed")
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


class _Reader:
    def __init__(self, found: list[Token]) -> None:
        self.tokens, self.at = found, 0

    def peek(self) -> Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def any_(self) -> Node:
        parts = [self.all_()]
        while (t := self.peek()) is not None and t.kind == "op" and t.text == "OR":
            self.take()
            parts.append(self.all_(after=t))
        return parts[0] if len(parts) == 1 else Any_(tuple(parts))

    def all_(self, after: Token | None = None) -> Node:
        parts = [self.without(after)]
        while (t := self.peek()) is not None and (
            t.kind in ("term", "phrase", "(") or (t.kind == "op" and t.text == "AND")
        ):
            if t.kind == "op":
                self.take()
                following = self.peek()
                if following is not None and following.kind == "op" and following.text == "NOT":
                    self.take()  # "a AND NOT b" is "a NOT b"
                    parts[-1] = Without(parts[-1], self.primary(following))
                    continue
                parts.append(self.without(t))
            else:
                parts.append(self.without())
        return parts[0] if len(parts) == 1 else All(tuple(parts))

    def without(self, after: Token | None = None) -> Node:
        node = self.primary(after)
        while (t := self.peek()) is not None and t.kind == "op" and t.text == "NOT":
            self.take()
            node = Without(node, self.primary(t))
        return node

    def primary(self, after: Token | None = None) -> Node:
        token = self.peek()
        if token is None:
            if after is not None:
                raise SearchSyntaxError(f"{after.text} at character {after.at} needs a word after it")
            raise SearchSyntaxError("nothing to search for")
        if token.kind == "op":
            hint = ' (to leave a word out, write "this NOT that")' if token.text == "NOT" else ""
            raise SearchSyntaxError(f"{token.text} at character {token.at} needs a word before it{hint}")
        if token.kind == ")":
            raise SearchSyntaxError(f"')' at character {token.at} has no '(' before it"
                                    if after is None or after.kind != "(" else
                                    f"nothing to search for before ')' at character {token.at}")
        self.take()
        if token.kind == "(":
            node = self.any_()
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise SearchSyntaxError("a '(' is never closed")
            self.take()
            return node
        if token.kind == "phrase":
            return Phrase(token.text)
        if token.prefix:
            return Prefix(token.text)
        return Word(token.text, irregular_plurals().get(token.text.casefold(), (token.text,)))


def parse(text: str) -> Node | None:
    """The tree of the search text, or None when it holds no word (everything matches)."""
    found = tokens(text)
    if not found:
        return None
    reader = _Reader(found)
    node = reader.any_()
    rest = reader.peek()
    if rest is not None:
        if rest.kind == ")":
            raise SearchSyntaxError(f"')' at character {rest.at} has no '(' before it")
        raise SearchSyntaxError(f"unexpected {rest.text!r} at character {rest.at}")
    return node


def quoted(text: str) -> str:
    """A string as one FTS5 string (for the facet names' index)."""
    return '"' + text.replace('"', '""') + '"'
