"""Full-text search and lists over a build: an index beside the store (SQLite records, a tantivy
engine)."""

from untoc_kg.search.index import INDEX_FILE, build_index, update_index
from untoc_kg.search.kinds import BY_NAME, FACETS, KINDS
from untoc_kg.search.query import (
    ListError,
    Searcher,
    SearchRequest,
    SearchResult,
    list_kind,
    open_index,
    open_searcher,
    search,
)
from untoc_kg.search.syntax import SearchSyntaxError

__all__ = [
    "BY_NAME", "FACETS", "INDEX_FILE", "KINDS", "ListError", "SearchRequest", "SearchResult",
    "SearchSyntaxError", "Searcher", "build_index", "list_kind", "open_index", "open_searcher",
    "search", "update_index",
]
