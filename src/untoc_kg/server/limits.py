"""The limits every SPARQL request is held to; stated in the service description and README."""

from __future__ import annotations

from dataclasses import dataclass

GIB = 1024**3


@dataclass(frozen=True)
class QueryLimits:
    timeout_seconds: float = 30.0
    """Wall-clock time a query may take, waiting for a free worker included; then 504 (503 when
    no worker freed up)."""
    max_result_rows: int = 10_000
    """Rows of a SELECT answer, triples of a CONSTRUCT or DESCRIBE answer. A longer answer is
    cut to this many and says so in the `X-SPARQL-MaxRows` header."""
    max_request_bytes: int = 1_000_000
    """Size of a POST body; a larger one gets 413 before it is read."""
    linger_seconds: float = 5.0
    """How long the rest of a refused body is still read and dropped before the connection
    closes (nginx's lingering close): a client that sends its whole body before it reads, as
    Python's urllib does, then reads the 413 instead of a reset connection."""
    workers: int = 2
    """Query worker processes: queries evaluated at the same time."""
    worker_memory_bytes: int | None = 4 * GIB
    """Address space of one worker (RLIMIT_AS); a query needing more fails alone. None: no limit."""

    def __post_init__(self) -> None:
        if self.timeout_seconds <= 0 or self.linger_seconds < 0 or self.max_result_rows < 1 or self.max_request_bytes < 1:
            raise ValueError(f"query limits must be positive: {self}")
        if self.workers < 1:
            raise ValueError("the endpoint needs at least one query worker")
