"""Stage: datadir. The data dir and everything in it, owned in one place, under both builders:

- `layout`: builds/<id>/ (store, dumps, validation, records), `current`, pruning, opening a store;
- `manifest`: build.json as a typed, frozen `Manifest`;
- `writer`: the one way to publish: the write lock, and the compare-and-swap switch of `current`;
- `records`: the records a build keeps of its documents, and their index (SQLite);
- `dumps` and `dump_pieces`: the four dumps, and the pieces an update patches them from;
- `loading`: external sort of N-Triples, bulk load, SELECT on a loaded store.
"""

from .layout import (
    PublishedBuild,
    current_build,
    current_id,
    kept_builds,
    open_store,
    resolve_store,
)
from .manifest import Manifest
from .writer import Start, Writer, rollback, writing
from untoc_kg.errors import NoPublishedBuild

__all__ = [
    "Manifest", "NoPublishedBuild", "PublishedBuild", "Start", "Writer", "current_build",
    "current_id", "kept_builds", "open_store", "resolve_store", "rollback", "writing",
]
