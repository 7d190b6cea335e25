"""The one way to change a data dir: an exclusive lock, and a compare-and-swap switch of `current`.

Every command that writes a data dir (build, add, remove, rollback) runs inside
`writing(data_dir, command)`. It holds `flock` on `<data dir>/.write.lock` for the whole command,
so two writers never overlap: the second waits (told why by `on_wait`, with the holder's pid and
command line read from the lock file) and then starts from what the first published.

The lock is not all: `Writer.make_current` switches `current` only if it still is the build the
command started from, else it raises `PublishConflict` saying what changed. What "started from"
means is the command's:

- a full build replaces the graph with its inputs, so it started from what was current when the
  user ran it (`Start.COMMAND`): a build that had to wait while an `add` published fails, rather
  than silently dropping the added document;
- an update revises the graph, so it starts from what is current once it holds the lock
  (`Start.LOCK`), which is what it reads and revises;
- so does `rollback`: "the build before this one" is relative to what is current then.

A reader (the server) never takes the lock: it follows `current`, which is switched atomically.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from untoc_kg.errors import DataDirBusy, PublishConflict, UnknownBuild

from .layout import (
    KEEP_BUILDS,
    PublishedBuild,
    builds_dir,
    current_id,
    kept_builds,
    read_build,
    switch_current,
)

LOCK = ".write.lock"


class Start(Enum):
    COMMAND = "command"
    """The build current when the command began (before waiting for the lock)."""
    LOCK = "lock"
    """The build current once the command holds the lock."""


@dataclass
class Writer:
    """The holder of a data dir's write lock (mutable: `started_from` follows what it publishes)."""

    data_dir: Path
    command: str
    started_from: str | None
    """Build id `current` pointed to when the command started (None: no published build)."""

    def check(self) -> None:
        """`PublishConflict` unless `current` is still `started_from`."""
        now = current_id(self.data_dir)
        if now != self.started_from:
            raise PublishConflict(conflict_message(self.data_dir, self.command, self.started_from, now))

    def make_current(self, build_dir: Path, keep: int = KEEP_BUILDS) -> PublishedBuild:
        """Publish `build_dir` if `current` is still what this command started from."""
        self.check()
        published = switch_current(self.data_dir, build_dir, keep=keep)
        self.started_from = published.build_id
        return published


def conflict_message(data_dir: Path, command: str, started: str | None, now: str | None) -> str:
    """What changed, by whom, and what to do."""
    what = "no published build" if started is None else f"build {started}"
    if now is None:
        change = "there is no published build any more"
    else:
        change = f"{now} is current now ({_describe(builds_dir(data_dir) / now)})"
    return (
        f"{data_dir}: `untoc-kg {command}` started from {what}, but {change}; nothing was "
        f"published. Run `untoc-kg {command}` again to apply it to the graph as it is now "
        "(`untoc-kg builds` lists the builds)."
    )


def _describe(build_dir: Path) -> str:
    try:
        manifest = read_build(build_dir).manifest
    except Exception:  # noqa: BLE001  (a description only: the conflict is the message)
        return "unreadable manifest"
    made = manifest.created.strftime("%Y-%m-%d %H:%M:%S UTC")
    if manifest.update is None:
        return f"a full build of {manifest.documents} documents made {made}"
    added = ", ".join(Path(str(a["file"])).name for a in manifest.update.get("added", ()))
    removed = ", ".join(Path(str(r["file"])).name for r in manifest.update.get("removed", ()))
    change = "; ".join(p for p in (f"added {added}" if added else "", f"removed {removed}" if removed else "") if p)
    return f"an update made {made}: {change or 'a rollback'}"


@contextmanager
def writing(
    data_dir: Path,
    command: str,
    start: Start = Start.LOCK,
    on_wait: Callable[[str], None] | None = None,
    wait: bool = True,
) -> Iterator[Writer]:
    """Hold `data_dir`'s write lock for the block; yields the `Writer` that publishes.

    `on_wait(message)` is called once if another command holds the lock (then this one blocks
    until it is released, or raises `DataDirBusy` when `wait` is False)."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    before = current_id(data_dir)
    with (data_dir / LOCK).open("a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "another command"
            message = f"{data_dir} is being written by {holder}"
            if not wait:
                raise DataDirBusy(message) from None
            if on_wait is not None:
                on_wait(f"waiting: {message}")
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            lock.seek(0)
            lock.truncate()
            lock.write(f"pid {os.getpid()} (untoc-kg {command})\n")
            lock.flush()
            writer = Writer(data_dir, command, before if start is Start.COMMAND else current_id(data_dir))
            if start is Start.COMMAND:
                writer.check()  # another command published while this one waited
            yield writer
        finally:
            lock.seek(0)
            lock.truncate()
            lock.flush()
            fcntl.flock(lock, fcntl.LOCK_UN)


def rollback_target(data_dir: Path, build_id: str | None) -> PublishedBuild:
    """The build `rollback` makes current: `build_id`, else the newest conforming build older
    than the current one. `UnknownBuild` names the builds kept when there is none such."""
    builds = kept_builds(data_dir)
    now = current_id(data_dir)
    usable = [b for b in builds if b.manifest.conforms and b.store_path.is_dir()]
    if build_id is not None:
        found = [b for b in builds if b.build_id == build_id]
        if not found:
            kept = ", ".join(b.build_id for b in usable) or "none"
            raise UnknownBuild(f"{data_dir} keeps no build {build_id} (builds it can publish: {kept})")
        return found[0]
    older = [b for b in usable if now is None or b.build_id < now]
    if not older:
        raise UnknownBuild(f"{data_dir}: no conforming build older than {now} is kept to roll back to")
    return older[-1]


def rollback(
    data_dir: Path, build_id: str | None = None, on_wait: Callable[[str], None] | None = None
) -> tuple[str | None, PublishedBuild]:
    """Make a kept build current again, atomically, as a build is published (readers see the one
    build or the other). Returns the build current before, and the one current now."""
    with writing(data_dir, "rollback", Start.LOCK, on_wait) as writer:
        before = writer.started_from
        target = rollback_target(data_dir, build_id)
        return before, writer.make_current(target.path)
