"""Named queries: the .rq files in queries/ beside this module, with their parameters.

Each file starts with a header of comment lines:

    # title: Recommendations citing an article
    # description: Every recommendation that cites the article, with its meeting and year.
    # param: treaty string = SOM   Treaty key (UNTOC, SOM, TIP, FIR)
    # param: article integer = 8   Article number
    # param: body string?           Optional: left unset, it matches any value

A parameter is a variable of the query; its value is bound by a `VALUES` block put at the start of
the query's top-level WHERE group, so the query text stays plain SPARQL that runs as is on any
store (an unbound parameter is just a free variable). Kinds: string, integer, iri.
(pyoxigraph's own substitutions would need every parameter in the SELECT projection.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from types import MappingProxyType

import pyoxigraph

from untoc_kg.errors import QueryParameterError

QUERIES_FOLDER = "queries"
KINDS = ("string", "integer", "iri")
_HEADER = re.compile(r"^#\s*(title|description|param):\s*(.*?)\s*$")
_PARAM = re.compile(r"^(\w+)\s+(\w+)(\?)?(?:\s*=\s*(\S+))?\s*(.*)$")




@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str
    default: str | None
    description: str
    optional: bool = False
    """An optional parameter left unset stays a free variable (it matches anything)."""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str

    def substitutions(
        self, values: Mapping[str, str]
    ) -> dict[pyoxigraph.Variable, pyoxigraph.NamedNode | pyoxigraph.Literal]:
        """The parameters' values (given, else default) as terms, checked against their kinds."""
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise QueryParameterError(
                f"query {self.name!r} has no parameter {', '.join(unknown)}; "
                f"it takes: {', '.join(known) or 'none'}"
            )
        bound = {}
        for parameter in self.parameters:
            value = values.get(parameter.name, parameter.default)
            if value is None and parameter.optional:
                continue
            if value is None:
                raise QueryParameterError(
                    f"query {self.name!r} needs --param {parameter.name}=... "
                    f"({parameter.description or parameter.kind})"
                )
            bound[pyoxigraph.Variable(parameter.name)] = to_term(parameter, value)
        return bound


def to_term(
    parameter: Parameter, value: str
) -> pyoxigraph.NamedNode | pyoxigraph.Literal:
    if parameter.kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", value.strip()):
            raise QueryParameterError(
                f"parameter {parameter.name} must be an integer, not {value!r}"
            )
        return pyoxigraph.Literal(
            str(int(value)),
            datatype=pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#integer"),
        )
    if parameter.kind == "iri":
        try:
            return pyoxigraph.NamedNode(value.strip().strip("<>"))
        except ValueError as error:
            raise QueryParameterError(f"parameter {parameter.name}: {error}") from error
    return pyoxigraph.Literal(value)


def parse_query(name: str, text: str) -> NamedQuery:
    """A query and what its header says about it."""
    header: dict[str, str] = {}
    parameters = []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.groups()
        if key == "param":
            parameters.append(_parameter(name, value))
        else:
            header[key] = value
    return NamedQuery(
        name=name,
        title=header.get("title", name),
        description=header.get("description", ""),
        parameters=tuple(parameters),
        text=text,
    )


def _parameter(query: str, spec: str) -> Parameter:
    match = _PARAM.match(spec)
    if not match or match.group(2) not in KINDS:
        raise ValueError(
            f"query {query}: bad parameter line {spec!r} (name kind [= default] text)"
        )
    name, kind, optional, default, description = match.groups()
    return Parameter(name, kind, default, description, optional=bool(optional))


@cache
def named_queries() -> Mapping[str, NamedQuery]:
    """Every named query shipped with the package, by name (the file name without .rq)."""
    folder = files(__package__).joinpath(QUERIES_FOLDER)
    found = {
        entry.name.removesuffix(".rq"): parse_query(
            entry.name.removesuffix(".rq"), entry.read_text(encoding="utf-8")
        )
        for entry in folder.iterdir()
        if entry.name.endswith(".rq")
    }
    return MappingProxyType(dict(sorted(found.items())))


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def bound_text(
    query: NamedQuery, values: Mapping[str, str] = MappingProxyType({})
) -> str:
    """The query text with its parameters bound by a VALUES block (plain SPARQL 1.1)."""
    bound = query.substitutions(values)
    if not bound:
        return query.text
    variables = " ".join(f"?{v.value}" for v in bound)
    row = " ".join(str(term) for term in bound.values())
    match = _WHERE.search(_without_comments(query.text))
    if match is None:
        raise QueryParameterError(
            f"query {query.name!r} has parameters but no WHERE clause"
        )
    cut = match.end()
    return f"{query.text[:cut]}\n  VALUES ({variables}) {{ ({row}) }}{query.text[cut:]}"


def _without_comments(text: str) -> str:
    """The text with comment lines blanked (same length, so offsets still match)."""
    return "\n".join(
        " " * len(line) if line.lstrip().startswith("#") else line
        for line in text.split("\n")
    )


def run(
    store: pyoxigraph.Store,
    query: NamedQuery,
    values: Mapping[str, str] = MappingProxyType({}),
    prefixes: Mapping[str, str] | None = None,
) -> pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | pyoxigraph.QueryTriples:
    """Evaluate `query` with its parameters bound; `prefixes` are predeclared."""
    return store.query(bound_text(query, values), prefixes=dict(prefixes or {}))


def rows(
    store: pyoxigraph.Store,
    query: NamedQuery,
    values: Mapping[str, str] = MappingProxyType({}),
) -> list[dict[str, str]]:
    """A SELECT query's answers as plain dicts of variable name -> value (lexical form)."""
    solutions = run(store, query, values)
    names = [v.value for v in solutions.variables]
    return [
        {name: solution[name].value for name in names if solution[name] is not None}
        for solution in solutions
    ]
