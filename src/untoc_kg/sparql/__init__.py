"""Stage: sparql. Queries over a published graph, and other stores:

- `named_queries`: the named `.rq` queries (`queries/`), their parameters bound through VALUES;
- `query_screening`: what a query is allowed to ask before it runs;
- `remote`: a remote SPARQL store read as if it were pyoxigraph's `Store` (`RemoteStore`);
- `push`: the published graph loaded into another store, and checked there;
- `client`: the one HTTP client both talk through.
"""

from .named_queries import named_queries, parse_query, rows
from .named_queries import run as run_named
from .push import load
from .query_screening import screen
from .remote import RemoteEndpoint, RemoteStore

__all__ = [
    "RemoteEndpoint", "RemoteStore", "load", "named_queries", "parse_query", "rows", "run_named",
    "screen",
]
