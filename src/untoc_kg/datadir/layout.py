"""The on-disk layout of built graphs, and the one way to publish a build.

A data dir (default `untoc_kg.settings.default_data_dir()`) holds:

    builds/<build-id>/
        store/                  on-disk Oxigraph store; the whole dataset (data, ontology,
                                dataset metadata) in the DEFAULT graph
        dumps/untoc-kg.ttl  untoc-kg.ttl.gz  untoc-kg.nt  untoc-kg.nt.gz
        validation/report.txt  validation/report.ttl
        build.json              manifest: build_id, base_uri, created, tool_version, triples,
                                inputs (file, sha256), dumps (file, media_type, bytes, sha256,
                                url), conforms
    current -> builds/<build-id>    symlink to the published build

Readers (the server) only ever follow `current`. A build writes a new build dir and publishing
replaces `current` atomically (a new symlink under a temporary name, then `os.replace`), so a
reader sees the old build or the new one, never a mix. A build that fails validation is never
published: its dir stays under builds/ with its report for the user to read (build.json says
`"conforms": false`), and old builds are pruned by `prune`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urljoin

import pyoxigraph

from untoc_kg.errors import DataDirError, NoPublishedBuild, RefusedBuild

from .manifest import MANIFEST, Manifest, read_manifest, write_manifest

BUILDS = "builds"
CURRENT = "current"
STORE = "store"
DUMPS = "dumps"
VALIDATION = "validation"
KEEP_BUILDS = 3
"""Build dirs kept besides the published one (failed or superseded)."""

DUMP_FILES: Mapping[str, str] = MappingProxyType(
    {
        "untoc-kg.ttl": "text/turtle",
        "untoc-kg.ttl.gz": "application/gzip",
        "untoc-kg.nt": "application/n-triples",
        "untoc-kg.nt.gz": "application/gzip",
    }
)
"""Dump file name -> the media type it is served with (gzip files: `Content-Encoding`-free
downloads of the plain file's bytes compressed)."""




@dataclass(frozen=True)
class PublishedBuild:
    build_id: str
    path: Path
    """The build dir (resolved: `current` followed once, so it stays valid after a switch)."""
    store_path: Path
    manifest: Manifest
    """The build's build.json (typed; also readable key by key, as the file)."""

    @property
    def dumps_path(self) -> Path:
        return self.path / DUMPS

    @property
    def validation_path(self) -> Path:
        return self.path / VALIDATION


def dump_url(base_uri: str, file_name: str) -> str:
    """Where a dump is published: `dumps/<file>` beside the id space of `base_uri`
    (https://w3id.org/untoc-kg/id/ -> https://w3id.org/untoc-kg/dumps/untoc-kg.ttl)."""
    return urljoin(base_uri, f"../{DUMPS}/{file_name}")


def builds_dir(data_dir: Path) -> Path:
    return Path(data_dir) / BUILDS


def read_build(build_dir: Path) -> PublishedBuild:
    """The build in `build_dir`, from its manifest."""
    build_dir = Path(build_dir)
    manifest = read_manifest(build_dir)
    return PublishedBuild(
        build_id=manifest.build_id,
        path=build_dir,
        store_path=build_dir / STORE,
        manifest=manifest,
    )


def current_build(data_dir: Path) -> PublishedBuild:
    """The published build of `data_dir`, or `NoPublishedBuild` naming the dir."""
    link = Path(data_dir) / CURRENT
    try:
        target = link.resolve(strict=True)
        return read_build(target)
    except (FileNotFoundError, NotADirectoryError) as error:
        raise NoPublishedBuild(
            f"no published build in {data_dir} (expected {link} -> {BUILDS}/<build-id>); "
            "run `untoc-kg build` first"
        ) from error


def open_store(store_path: Path) -> pyoxigraph.Store:
    """Open a published store for reading; several processes may do this at once."""
    return pyoxigraph.Store.read_only(str(store_path))



def new_build_dir(data_dir: Path, build_id: str) -> Path:
    """A fresh, empty build dir for `build_id` (an error if it exists already)."""
    path = builds_dir(data_dir) / build_id
    path.mkdir(parents=True, exist_ok=False)
    (path / DUMPS).mkdir()
    (path / VALIDATION).mkdir()
    return path


def current_id(data_dir: Path) -> str | None:
    """The id of the published build (one `readlink`), or None when there is none."""
    try:
        return os.path.basename(os.readlink(Path(data_dir) / CURRENT))
    except OSError:
        return None


def switch_current(data_dir: Path, build_dir: Path, keep: int = KEEP_BUILDS) -> PublishedBuild:
    """Point `current` at `build_dir` atomically (a new symlink under a temporary name, then
    `os.replace`), then prune. Only `untoc_kg.datadir.writer.Writer.make_current` calls this: it
    holds the data dir's write lock and checks that `current` is still what it started from.

    Refuses a build whose manifest does not say it conforms: validation is the gate."""
    data_dir = Path(data_dir)
    build = read_build(build_dir)
    if not build.manifest.conforms:
        raise RefusedBuild(f"refusing to publish {build_dir}: it did not pass validation")
    if build.path.parent.resolve() != builds_dir(data_dir).resolve():
        raise RefusedBuild(f"{build_dir} is not a build dir of {data_dir}")
    if not build.store_path.is_dir():
        raise RefusedBuild(f"refusing to publish {build_dir}: it has no store")
    link = data_dir / CURRENT
    temporary = data_dir / f".{CURRENT}.{os.getpid()}.tmp"
    temporary.unlink(missing_ok=True)
    os.symlink(Path(BUILDS) / build.path.name, temporary, target_is_directory=True)
    os.replace(temporary, link)
    prune(data_dir, keep=keep)
    return current_build(data_dir)


def kept_builds(data_dir: Path) -> tuple[PublishedBuild, ...]:
    """Every build dir of `data_dir` with a readable manifest, oldest first (a build still being
    written has none yet and is left out)."""
    folder = builds_dir(data_dir)
    if not folder.is_dir():
        return ()
    found = []
    for path in sorted(p for p in folder.iterdir() if p.is_dir()):
        try:
            found.append(read_build(path))
        except (FileNotFoundError, DataDirError):
            continue
    return tuple(found)


def prune(data_dir: Path, keep: int = KEEP_BUILDS) -> list[Path]:
    """Remove all but the `keep` newest build dirs; the published one is never removed.

    Build ids start with their UTC creation time, so name order is age order. Returns what was
    removed. A server still reading a removed store keeps its open files (POSIX), and reopens
    `current` on its next switch."""
    folder = builds_dir(data_dir)
    if not folder.is_dir():
        return []
    link = Path(data_dir) / CURRENT
    published = link.resolve() if link.exists() else None
    others = sorted(
        (p for p in folder.iterdir() if p.is_dir() and p.resolve() != published),
        key=lambda p: p.name,
    )
    removed = others[: max(0, len(others) - keep)]
    for path in removed:
        shutil.rmtree(path, ignore_errors=True)
    return removed


def new_build_id(created: datetime) -> str:
    """A build id that sorts by creation time: "20261123T143000123456Z"."""
    return created.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def resolve_store(path: Path) -> Path:
    """The store a `--store DIR` option means: DIR may be a data dir (its published build), a
    build dir, or a store dir itself."""
    path = Path(path)
    if (path / CURRENT).exists() or (path / BUILDS).is_dir():
        return current_build(path).store_path
    if (path / MANIFEST).is_file():
        return path / STORE
    if path.is_dir():
        return path
    raise NoPublishedBuild(f"{path} is neither a data dir, a build dir nor a store")
