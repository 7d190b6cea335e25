"""Every error a command reports, under one base, so the CLI catches `UntocKgError` once.

The tree (each class is defined here; its stage re-exports it where it raises it):

    UntocKgError
    ├── ExtractionError          a source that cannot be read as a report (extract)
    ├── DataDirError             the data dir cannot be read or written as asked (datadir)
    │   ├── NoPublishedBuild     no `current` build yet            (also FileNotFoundError)
    │   ├── RecordsError         a build's kept records are missing or unreadable (also RuntimeError)
    │   ├── DataDirBusy          another command writes the data dir and `wait` was False
    │   ├── PublishConflict      `current` moved since the command started from it
    │   ├── RefusedBuild         a build that did not conform, or of another data dir (also ValueError)
    │   └── UnknownBuild         `rollback` to a build the data dir does not keep
    ├── PublishError             a build or an update that publishes nothing (publish)
    │   ├── NothingToPublish     no document was read: the served graph is left as it was
    │   └── UpdateError          an update that cannot be made as asked    (also ValueError)
    ├── QueryParameterError      a named query's parameter is unknown or ill-typed (also ValueError)
    ├── RemoteStoreError         a remote store unreachable or refusing     (also OSError)
    ├── RemoteQueryError         a query a remote store rejected as invalid (also SyntaxError)
    └── LoadError                a load into a remote store that cannot go on (also RuntimeError)

The second bases are kept where callers (and pyoxigraph's own conventions: I/O is `OSError`, a
bad query `SyntaxError`) already catch them. The server's own exceptions (`ProtocolError`,
`QueryTimeout`, `WorkersBusy`) are answered as HTTP statuses and never reach a command.
"""

from __future__ import annotations


class UntocKgError(Exception):
    """The base of every error a command reports: its message names the file or the thing and
    says what went wrong (and, where there is one, what to do)."""


class ExtractionError(UntocKgError):
    """A source file that cannot be extracted. The message names the file and the problem, so a
    command that reads many files can print it and go on with the others."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class DataDirError(UntocKgError):
    """The data dir cannot be read or written as the command asks."""


class NoPublishedBuild(DataDirError, FileNotFoundError):
    """The data dir has no published build (run `untoc-kg build`)."""


class RecordsError(DataDirError, RuntimeError):
    """A build's kept records are missing or unreadable (built by an older version?)."""


class DataDirBusy(DataDirError):
    """Another command holds the data dir's write lock."""


class PublishConflict(DataDirError):
    """`current` is not the build the command started from any more: another command published
    in between. Nothing was published; run the command again on the new graph."""


class RefusedBuild(DataDirError, ValueError):
    """A build that cannot be made current: it did not pass validation, has no store, or is not a
    build of this data dir."""


class UnknownBuild(DataDirError):
    """A build id the data dir does not keep (see `untoc-kg builds`)."""


class PublishError(UntocKgError):
    """A build or an update that publishes nothing."""


class NothingToPublish(PublishError):
    """A build that read no document (every input failed, or none was given)."""


class UpdateError(PublishError, ValueError):
    """The update cannot be made as asked (nothing to remove, an earlier issue, ...)."""


class QueryParameterError(UntocKgError, ValueError):
    """A parameter is unknown, missing, or its value does not fit its kind."""


class RemoteStoreError(UntocKgError, OSError):
    """The remote store could not be reached, or refused; the message names its URL."""


class RemoteQueryError(UntocKgError, SyntaxError):
    """The remote store rejected a query as invalid (HTTP 400), with the store's message."""


class LoadError(UntocKgError, RuntimeError):
    """A load that could not go on; the message says where and why."""


__all__ = [
    "DataDirBusy", "DataDirError", "ExtractionError", "LoadError", "NoPublishedBuild",
    "NothingToPublish", "PublishConflict", "PublishError", "QueryParameterError", "RecordsError", "RefusedBuild",
    "RemoteQueryError", "RemoteStoreError", "UnknownBuild", "UntocKgError", "UpdateError",
]
