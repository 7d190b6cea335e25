"""`untoc-kg extract`: drive the extract stage."""


def extract() -> None:
    """Extract records from report files (placeholder until the extract stage lands)."""
    raise NotImplementedError
