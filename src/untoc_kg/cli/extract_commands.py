"""`untoc-kg extract`, `citations` and `eval`: drive the extract stage."""


def extract() -> None:
    """Extract records from report files (placeholder until the extract stage lands)."""
    raise NotImplementedError


def citations() -> None:
    """Print the treaty citations found in a text as JSON."""
    raise NotImplementedError


def evaluate() -> None:
    """Score the extractor against a gold folder."""
    raise NotImplementedError
