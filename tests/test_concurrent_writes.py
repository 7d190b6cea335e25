"""Commands that write one data dir at the same time (issue 12): whatever the interleaving, every
command that succeeds has its effect in the served graph, and the other waits or fails saying why.

The interleavings are forced, not left to timing: the first command is paused at a chosen step
(its `Progress` blocks there, the data dir's write lock held), the second is started and runs
until it reports that it waits for the lock, then the first goes on. Every step of the first
command is tried, for each pair (full build, add), (add, full build), (build, remove),
(remove, build), (add, another add). Real parts: the bundled corpus, real Oxigraph stores, the
builders in threads of this process (each opens the lock file itself, so `flock` excludes them
from one another as it does processes); the CLI's side of it runs as a real process below.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph
import pytest

from untoc_kg import publish
from untoc_kg.corpus import corpus_files
from untoc_kg.datadir import current_build, current_id, open_store, writing
from untoc_kg.errors import NothingToPublish, PublishConflict
from untoc_kg.settings import DEFAULT_BASE_URI

TIME = datetime(2026, 1, 1, tzinfo=UTC)
COPY = pyoxigraph.NamedNode("https://w3id.org/untoc-kg/ontology#DocumentCopy")
RDF_TYPE = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
INVALIDATED = pyoxigraph.NamedNode("http://www.w3.org/ns/prov#wasInvalidatedBy")
PATIENCE = 180
"""Seconds a paused command or a waiting one is given to get where the test expects it."""

BUILD_STEPS = (
    "Reading the records", "Building and validating the graph", "Sorting the triples",
    "Loading", "Checking what crosses partitions", "Writing the dumps", "Adding the dumps' sizes",
)
UPDATE_STEPS = (
    "Reading the change", "Revising the graph", "Validating the change",
    "Applying the change", "Writing the dumps", "Publishing",
)


@pytest.fixture(scope="module")
def corpus():
    documents, failures = publish.extract_all(corpus_files())
    assert not failures and len(documents) == 5
    with_symbol = [d for d in documents if d.symbol]
    assert with_symbol, "the corpus has a document issued under a symbol (to remove)"
    return documents


@pytest.fixture(scope="module")
def base(corpus, tmp_path_factory) -> Path:
    """A published build of two documents (one with a symbol, so `remove` has one to withdraw)."""
    data_dir = tmp_path_factory.mktemp("base") / "data"
    result = publish.build_documents(
        [corpus[0], _symbol_document(corpus)], data_dir, DEFAULT_BASE_URI, build_time=TIME
    )
    assert result.ok, result.validation.report_text
    return data_dir


def _symbol_document(corpus):
    return next(d for d in corpus if d.symbol)


def _others(corpus):
    return [d for d in corpus[1:] if not d.symbol]


class Pausing(publish.Progress):
    """Stops the command it reports for at the first step whose description starts with `at`,
    until `go` is set; says when another command's lock makes it wait."""

    def __init__(self, at: str | None = None) -> None:
        self.at = at
        self.reached = threading.Event()
        self.go = threading.Event()
        self.waited = threading.Event()
        self.steps: list[str] = []

    def step(self, description: str) -> None:
        self.steps.append(description)
        if self.at is not None and description.startswith(self.at) and not self.reached.is_set():
            self.reached.set()
            assert self.go.wait(PATIENCE), f"never released at {description!r}"

    @contextmanager
    def track(self, description: str, total: int) -> Iterator[Callable[[], None]]:
        self.step(description)
        yield lambda: None

    def waiting(self, message: str) -> None:
        self.steps.append(message)
        self.waited.set()


@dataclass
class Command:
    """One builder call in its own thread; its outcome once joined."""

    name: str
    run: Callable[[publish.Progress], object]
    effect: Callable[[set[str]], set[str]]
    """The documents served after it, from the documents served before."""
    progress: Pausing = field(default_factory=Pausing)
    result: object = None
    error: BaseException | None = None
    thread: threading.Thread | None = None

    def start(self) -> None:
        def target() -> None:
            try:
                self.result = self.run(self.progress)
            except BaseException as error:  # noqa: BLE001  (the test reads it)
                self.error = error

        self.thread = threading.Thread(target=target, name=self.name, daemon=True)
        self.thread.start()

    def join(self) -> None:
        assert self.thread is not None
        self.thread.join(PATIENCE)
        assert not self.thread.is_alive(), f"{self.name} never finished"

    @property
    def published(self) -> str | None:
        if self.error is None and self.result is not None and self.result.ok:
            return self.result.published.build_id
        return None


def commands(corpus, data_dir: Path) -> dict[str, Callable[[], Command]]:
    """Fresh commands on `data_dir`: a full build of three documents, two adds, a remove."""
    first, second = _others(corpus)[:2]
    symbolled = _symbol_document(corpus)
    rebuilt = [corpus[0], first, symbolled]

    def full_build(progress):
        return publish.build_documents(rebuilt, data_dir, DEFAULT_BASE_URI, build_time=TIME, progress=progress)

    return {
        "build": lambda: Command("build", full_build, lambda _: {d.sha256 for d in rebuilt}),
        "add": lambda: Command(
            "add", lambda p: publish.update(data_dir, added=[second], time=TIME, progress=p),
            lambda served: served | {second.sha256},
        ),
        "add another": lambda: Command(
            "add another",
            lambda p: publish.update(data_dir, added=[_others(corpus)[2]], time=TIME, progress=p),
            lambda served: served | {_others(corpus)[2].sha256},
        ),
        "remove": lambda: Command(
            "remove",
            lambda p: publish.update(data_dir, removed_symbols=[symbolled.symbol], time=TIME, progress=p),
            lambda served: served - {symbolled.sha256},
        ),
    }


def served_documents(data_dir: Path) -> set[str]:
    """Checksums of the copies the served store describes as current (a withdrawn copy stays as
    history, invalidated), checked against what the current build's manifest lists."""
    build = current_build(data_dir)
    store = open_store(build.store_path)
    copies = {q.subject for q in store.quads_for_pattern(None, RDF_TYPE, COPY)}
    current = {
        c.value.rsplit("/", 1)[1]
        for c in copies
        if not any(True for _ in store.quads_for_pattern(c, INVALIDATED, None))
    }
    assert current == {i.sha256 for i in build.manifest.inputs}
    return current


PAIRS = [
    ("build", "add", BUILD_STEPS),
    ("add", "build", UPDATE_STEPS),
    ("build", "remove", BUILD_STEPS),
    ("remove", "build", UPDATE_STEPS),
    ("add", "add another", UPDATE_STEPS),
]
CASES = [(first, second, step) for first, second, steps in PAIRS for step in steps]


@pytest.mark.parametrize(
    ("first", "second", "step"), CASES, ids=[f"{a}-paused-at-{s}-then-{b}" for a, b, s in CASES]
)
def test_two_writers_never_lose_a_published_change(corpus, base, tmp_path, first, second, step):
    data_dir = tmp_path / "data"
    shutil.copytree(base, data_dir, symlinks=True)
    before = served_documents(data_dir)
    started_from = current_id(data_dir)
    made = commands(corpus, data_dir)
    one, other = made[first](), made[second]()
    one.progress.at = step
    one.start()
    assert one.progress.reached.wait(PATIENCE), f"{first} never reached {step!r}: {one.progress.steps} {one.error!r}"
    other.start()
    # The second command cannot get past the lock the paused one holds.
    assert other.progress.waited.wait(PATIENCE), f"{second} did not wait: {other.progress.steps} {other.error!r}"
    assert current_id(data_dir) == started_from
    one.progress.go.set()
    one.join()
    other.join()

    assert one.error is None and one.published, f"{first}: {one.error!r}"
    expected = one.effect(before)
    if other.name == "build":
        # It started from the graph as it was before `one` published: it must not replace
        # `one`'s change with a graph that lacks it, so it publishes nothing and says why.
        assert isinstance(other.error, PublishConflict), repr(other.error or other.result)
        message = str(other.error)
        assert started_from in message and one.published in message
        assert "nothing was published" in message and "again" in message
    else:
        assert other.error is None and other.published, f"{second}: {other.error!r}"
        assert other.published > one.published
        expected = other.effect(expected)
    assert current_id(data_dir) == (other.published or one.published)
    assert served_documents(data_dir) == expected


def test_a_build_leaves_current_alone_when_it_reads_no_document(base, tmp_path):
    """`untoc-kg build` of unreadable files: current stays, the command fails and says so."""
    data_dir = tmp_path / "data"
    shutil.copytree(base, data_dir, symlinks=True)
    kept = current_id(data_dir)
    builds = sorted(p.name for p in (data_dir / "builds").iterdir())
    (tmp_path / "notes.txt").write_bytes(b"\xff\xfe not a report \x00")
    done = subprocess.run(
        [sys.executable, "-m", "untoc_kg.cli", "build", "--store", str(data_dir), "-q",
         str(tmp_path / "nope.pdf"), str(tmp_path / "notes.txt")],
        capture_output=True, text=True, timeout=PATIENCE,
    )
    assert done.returncode == 1, done.stderr
    assert "nothing published: no document was read" in done.stderr
    assert "nope.pdf" in done.stderr and "notes.txt" in done.stderr
    assert f"current is still {kept}" in done.stderr
    assert current_id(data_dir) == kept
    assert sorted(p.name for p in (data_dir / "builds").iterdir()) == builds
    with pytest.raises(NothingToPublish):
        publish.build([tmp_path / "nope.pdf"], data_dir, DEFAULT_BASE_URI)
    assert current_id(data_dir) == kept


def test_the_cli_build_that_waited_while_another_published_fails_with_what_changed(
    corpus, base, tmp_path
):
    """A real `untoc-kg build` process started while this test holds the data dir's lock (as
    another command would) waits; the test publishes meanwhile; the build then publishes
    nothing, exits 1 and names the build it started from, the one current now, and what to do."""
    data_dir = tmp_path / "data"
    shutil.copytree(base, data_dir, symlinks=True)
    started_from = current_id(data_dir)
    with writing(data_dir, "add") as writer:
        process = subprocess.Popen(
            [sys.executable, "-m", "untoc_kg.cli", "build", "--store", str(data_dir), "-q",
             str(corpus_files()[1])],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"},
        )
        line = process.stderr.readline()  # it says it waits before it blocks
        assert "waiting:" in line and "untoc-kg add" in line, line
        meanwhile = publish.build_documents(
            [corpus[0], _symbol_document(corpus), _others(corpus)[1]], data_dir,
            DEFAULT_BASE_URI, build_time=TIME, writer=writer,
        )
        assert meanwhile.ok
    out, rest = process.communicate(timeout=PATIENCE)
    assert process.returncode == 1, out + rest
    assert f"started from build {started_from}" in rest
    assert f"{meanwhile.published.build_id} is current now" in rest
    assert "nothing was published" in rest and "untoc-kg build` again" in rest
    assert current_id(data_dir) == meanwhile.published.build_id


def test_builds_and_rollback_on_a_served_data_dir(corpus, base, tmp_path):
    """`untoc-kg builds` lists the kept builds and marks the current one; `untoc-kg rollback`
    makes the one before current again while a real `untoc-kg serve` answers requests: before,
    the added document's copy is served; during, every answer is whole (200 or 404, never an
    error); after, the site answers from the earlier build, and `rollback BUILD` undoes it."""
    from serve_process import serving

    import httpx

    data_dir = tmp_path / "data"
    shutil.copytree(base, data_dir, symlinks=True)
    earlier = current_id(data_dir)
    added = _others(corpus)[0]
    later = publish.update(data_dir, added=[added], time=TIME)
    assert later.ok
    copy = f"/untoc-kg/id/copy/{added.sha256}.ttl"  # its document (the IRI answers 303 to it)

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "untoc_kg.cli", *args, "--store", str(data_dir)],
            capture_output=True, text=True, timeout=PATIENCE,
        )

    listed = cli("builds")
    assert listed.returncode == 0, listed.stderr
    rows = {line.split("│")[2].strip(): line for line in listed.stdout.splitlines() if "│" in line}
    assert set(rows) == {earlier, later.published.build_id}
    assert "*" in rows[later.published.build_id].split("│")[1]
    assert "*" not in rows[earlier].split("│")[1]
    assert "add/remove" in rows[later.published.build_id] and "yes" in rows[earlier]
    assert f"│ {len(later.manifest.inputs)} " in rows[later.published.build_id].replace("  ", " ")

    with serving(data_dir) as (site, _process), httpx.Client(base_url=site, timeout=30) as client:
        def status() -> int:
            return client.get(copy, headers={"Accept": "text/turtle"}).status_code

        assert status() == 200  # before
        answers: list[int] = []
        stop = threading.Event()

        def keep_asking() -> None:
            with httpx.Client(base_url=site, timeout=30) as own:
                while not stop.is_set():
                    answers.append(own.get(copy, headers={"Accept": "text/turtle"}).status_code)

        asking = threading.Thread(target=keep_asking, daemon=True)
        asking.start()
        rolled = cli("rollback")
        stop.set()
        asking.join(PATIENCE)
        assert rolled.returncode == 0, rolled.stderr
        assert f"current -> {earlier} (was {later.published.build_id})" in rolled.stdout
        assert answers and set(answers) <= {200, 404}, answers  # during: whole answers only
        assert status() == 404  # after: the next request is answered from the earlier build
        assert current_id(data_dir) == earlier
        again = cli("rollback", later.published.build_id)  # undone, by naming the build
        assert again.returncode == 0, again.stderr
        assert status() == 200
    unknown = cli("rollback", "20000101T000000000000Z")
    assert unknown.returncode == 1 and "keeps no build 20000101T000000000000Z" in unknown.stderr
    assert current_id(data_dir) == later.published.build_id
