"""`untoc-kg build`, `validate` and `query`: extract -> graph -> shapes -> store, and queries."""


def build() -> None:
    """Build the validated graph from reports (placeholder until the graph stage lands)."""
    raise NotImplementedError


def validate() -> None:
    """Validate a built graph against the SHACL shapes."""
    raise NotImplementedError


def query() -> None:
    """Run a named query or a SPARQL file against the built store."""
    raise NotImplementedError
