"""`untoc-kg citations`: treaty citations in any English text."""


def citations() -> None:
    """Print the treaty citations found in a text as JSON (placeholder)."""
    raise NotImplementedError
