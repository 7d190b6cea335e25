"""`untoc-kg serve`: the SPARQL endpoint and linked-data pages over the built store."""


def serve() -> None:
    """Serve the built store (placeholder until the server stage lands)."""
    raise NotImplementedError
