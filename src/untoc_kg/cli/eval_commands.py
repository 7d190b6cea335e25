"""`untoc-kg eval`: score the extractor against a gold folder."""


def evaluate() -> None:
    """Score the extractor against a gold folder (placeholder)."""
    raise NotImplementedError
