"""The on-disk build layout: publishing switches `current` atomically, refuses unvalidated builds,
and keeps old builds bounded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyoxigraph
import pytest

from untoc_kg.datadir import layout
from untoc_kg.datadir.writer import writing

EX = "http://example.org/"


def _make_build(
    data_dir: Path, when: datetime, value: str, conforms: bool = True
) -> Path:
    build_id = layout.new_build_id(when)
    path = layout.new_build_dir(data_dir, build_id)
    store = pyoxigraph.Store(str(path / layout.STORE))
    store.add(
        pyoxigraph.Quad(
            pyoxigraph.NamedNode(EX + "s"),
            pyoxigraph.NamedNode(EX + "p"),
            pyoxigraph.Literal(value),
        )
    )
    store.flush()
    del store
    layout.write_manifest(
        path, {"build_id": build_id, "conforms": conforms, "base_uri": EX}
    )
    return path


def _publish(data_dir: Path, build_dir: Path) -> layout.PublishedBuild:
    with writing(data_dir, "build") as writer:
        return writer.make_current(build_dir)


def _value(build: layout.PublishedBuild) -> str:
    store = layout.open_store(build.store_path)
    return next(iter(store.quads_for_pattern(None, None, None))).object.value


T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_no_published_build_names_the_dir(tmp_path: Path) -> None:
    with pytest.raises(layout.NoPublishedBuild, match=str(tmp_path)):
        layout.current_build(tmp_path)


def test_publish_switches_current_to_the_new_build(tmp_path: Path) -> None:
    first = _make_build(tmp_path, T0, "one")
    assert _value(_publish(tmp_path, first)) == "one"
    second = _make_build(tmp_path, T0 + timedelta(seconds=1), "two")
    published = _publish(tmp_path, second)
    assert published.build_id == second.name
    assert (tmp_path / layout.CURRENT).is_symlink()
    assert not Path(layout.CURRENT).is_absolute()
    assert _value(layout.current_build(tmp_path)) == "two"
    # the superseded build is still complete on disk for readers that hold it
    assert _value(layout.read_build(first)) == "one"
    assert not list(tmp_path.glob(".current*"))


def test_publish_refuses_a_build_that_did_not_conform(tmp_path: Path) -> None:
    good = _make_build(tmp_path, T0, "good")
    _publish(tmp_path, good)
    bad = _make_build(tmp_path, T0 + timedelta(seconds=1), "bad", conforms=False)
    with pytest.raises(ValueError, match="did not pass validation"):
        _publish(tmp_path, bad)
    assert layout.current_build(tmp_path).build_id == good.name


def test_old_builds_are_pruned_but_never_the_published_one(tmp_path: Path) -> None:
    published = _make_build(tmp_path, T0, "published")
    _publish(tmp_path, published)
    failed = [
        _make_build(tmp_path, T0 + timedelta(seconds=i), f"failed {i}", conforms=False)
        for i in range(1, 6)
    ]
    removed = layout.prune(tmp_path, keep=2)
    assert sorted(removed) == sorted(failed[:3])
    left = sorted(p.name for p in layout.builds_dir(tmp_path).iterdir())
    assert left == sorted([published.name, failed[3].name, failed[4].name])
    assert layout.current_build(tmp_path).build_id == published.name


def test_resolve_store_accepts_data_build_and_store_dirs(tmp_path: Path) -> None:
    build = _make_build(tmp_path, T0, "x")
    _publish(tmp_path, build)
    store_path = build / layout.STORE
    assert layout.resolve_store(tmp_path) == store_path
    assert layout.resolve_store(build) == store_path
    assert layout.resolve_store(store_path) == store_path
    with pytest.raises(layout.NoPublishedBuild):
        layout.resolve_store(tmp_path / "missing")


def test_dump_urls_sit_beside_the_id_space() -> None:
    assert (
        layout.dump_url("https://w3id.org/untoc-kg/id/", "untoc-kg.nt")
        == "https://w3id.org/untoc-kg/dumps/untoc-kg.nt"
    )
