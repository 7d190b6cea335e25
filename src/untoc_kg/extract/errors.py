"""The one error the extract stage raises for input it cannot read as a report."""

from __future__ import annotations


class ExtractionError(Exception):
    """A source file that cannot be extracted. The message names the file and the problem, so a
    command that reads many files can print it and go on with the others."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem
