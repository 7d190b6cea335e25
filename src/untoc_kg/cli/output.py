"""What every command prints the same way: errors, the one catch of `UntocKgError`, and the rich
progress bars of the commands that build."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer


def err(message: str) -> None:
    typer.echo(message, err=True)


@contextmanager
def reported(code: int = 1) -> Iterator[None]:
    """Every error a command reports derives from `UntocKgError`: printed, then exit `code`."""
    from untoc_kg.errors import UntocKgError

    try:
        yield
    except UntocKgError as error:
        err(f"error: {error}")
        raise typer.Exit(code) from error


def _quiet_progress():
    from untoc_kg.publish import Progress

    class QuietProgress(Progress):
        """No bars; but a command that waits for another one's lock says so."""

        def waiting(self, message: str) -> None:
            err(message)

    return QuietProgress()


@contextmanager
def progress(quiet: bool) -> Iterator:
    from untoc_kg.publish import Progress

    if quiet:
        yield _quiet_progress()
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.progress import Progress as Bars

    class RichProgress(Progress):
        def __init__(self, bars: Bars) -> None:
            self.bars = bars
            self.current: int | None = None

        def step(self, description: str) -> None:
            self._finish()
            self.current = self.bars.add_task(description, total=None)

        @contextmanager
        def track(self, description: str, total: int) -> Iterator[Callable[[], None]]:
            self._finish()
            task = self.bars.add_task(description, total=total)
            yield lambda: self.bars.advance(task)

        def _finish(self) -> None:
            if self.current is not None:
                self.bars.update(self.current, total=1, completed=1)
                self.current = None

    with Bars(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=False,
    ) as bars:
        progress = RichProgress(bars)
        yield progress
        progress._finish()
