"""The build being served, resolved on every request so a rebuild is picked up at once.

`current` is a symlink switched atomically (`untoc_kg.datadir.writer`); reading it costs one
`readlink`. The read-only store and the manifest of a build are opened once per build id and kept
while that build is current, plus the one before it (requests still running on it finish).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph

from untoc_kg.settings import ONTOLOGY_NAMESPACE
from untoc_kg.datadir.layout import (
    CURRENT,
    NoPublishedBuild,
    PublishedBuild,
    current_build,
    open_store,
)
from untoc_kg.sparql.remote import RemoteEndpoint, RemoteStore

KEPT_BUILDS = 2


@dataclass(frozen=True)
class Served:
    """One published build, opened for reading."""

    build: PublishedBuild
    store: pyoxigraph.Store | RemoteStore
    remote: RemoteEndpoint | None = None
    """Set when the graph is read from a remote SPARQL store (`serve --sparql-endpoint`)."""

    @property
    def build_id(self) -> str:
        return self.build.build_id

    @property
    def base_uri(self) -> str:
        return str(self.build.manifest["base_uri"])

    @property
    def base_path(self) -> str:
        """The path of the base URI ("/untoc-kg/id/"): resources are served there on any host."""
        return urlsplit(self.base_uri).path or "/"

    @property
    def last_modified(self) -> str:
        """build.json's `created`, as an HTTP date."""
        created = datetime.fromisoformat(str(self.build.manifest["created"]))
        if created.tzinfo is None:
            created = created.replace(tzinfo=timezone.utc)
        return format_datetime(created.astimezone(timezone.utc), usegmt=True)


def ontology_path() -> str:
    """Where the vocabulary document is served ("/untoc-kg/ontology"): its namespace's path."""
    return urlsplit(ONTOLOGY_NAMESPACE.rstrip("#")).path


def to_local(iri: str, served: Served) -> str | None:
    """The local path of an IRI we serve, or None for an IRI of someone else's."""
    if iri.startswith(served.base_uri):
        return served.base_path + iri[len(served.base_uri) :]
    vocabulary = ONTOLOGY_NAMESPACE.rstrip("#")
    if iri == vocabulary or iri.startswith((ONTOLOGY_NAMESPACE, vocabulary + "/")):  # terms, versions
        return ontology_path() + iri[len(vocabulary) :]
    return None


class PublishedBuilds:
    """Opens the current build of a data dir on demand; safe to share between threads."""

    def __init__(self, data_dir: Path, remote: RemoteEndpoint | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.remote = remote
        """Read the graph from this store instead of the build's embedded one (the build's
        manifest and dumps still come from `data_dir`)."""
        self._lock = threading.Lock()
        self._opened: dict[str, Served] = {}

    def current(self) -> Served:
        """The build `current` points to now (`NoPublishedBuild` when there is none)."""
        try:
            build_name = os.path.basename(os.readlink(self.data_dir / CURRENT))
        except OSError as error:
            raise NoPublishedBuild(f"no published build in {self.data_dir}") from error
        served = self._opened.get(build_name)
        if served is not None:
            return served
        with self._lock:
            build = current_build(self.data_dir)
            served = self._opened.get(build.path.name)
            if served is None:
                if self.remote is not None:
                    served = Served(build, self.remote.open(), self.remote)
                else:
                    served = Served(build, open_store(build.store_path))
                self._opened[build.path.name] = served
                for stale in list(self._opened)[:-KEPT_BUILDS]:
                    del self._opened[stale]
            return served
