"""The project as a newcomer meets it (../shared/reviews/newcomer-2026-12.md): README's commands,
CI running exactly README's test command, tests/install.sh installing only what is missing, the
CLI's --version, serve's --help and request log, a busy port, and a progress bar that ends."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import httpx
import pytest

from serve_process import end_group, free_port, wait_until_up
from untoc_kg import __version__
from untoc_kg.server.limits import QueryLimits

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "untoc_kg.cli"]


def readme_command(heading: str) -> str:
    """The indented command line under README's bold `heading`."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    after = text.split(f"**{heading}**", 1)[1]
    return re.search(r"^    (\S.*)$", after, re.MULTILINE).group(1)


def test_readmes_first_command_makes_and_uses_a_virtual_environment() -> None:
    command = readme_command("Build the graph from the bundled corpus and serve it")
    steps = [s.strip() for s in command.split("&&")]
    assert steps[0].startswith("python3 -m venv ") and steps[1].startswith(". ")
    assert steps[1].endswith("/bin/activate")
    assert "pip install ." in steps and steps[-2:] == ["untoc-kg build", "untoc-kg serve"]
    assert not any("python3 -m pip" in s for s in steps)  # the system pip is refused (PEP 668)


def test_ci_runs_exactly_readmes_test_command() -> None:
    command = readme_command("Run the tests")
    assert "bash tests/install.sh" in command and "pytest" in command
    lines = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
        and not line.startswith(("set ", "cd "))
    ]
    assert lines == [command]


def test_install_sh_installs_nothing_that_is_there(tmp_path: Path) -> None:
    """On a machine with everything installed (this one, when the suite runs): no pip, no apt."""
    calls = tmp_path / "calls"
    stubs = tmp_path / "bin"
    stubs.mkdir()
    for tool in ("apt-get", "sudo"):
        stub = stubs / tool
        stub.write_text(f'#!/bin/sh\necho "{tool} $*" >> {calls}\n')
        stub.chmod(0o755)
    env = {**os.environ, "PATH": f"{stubs}:{Path(sys.executable).parent}:{os.environ['PATH']}"}
    done = subprocess.run(
        ["bash", str(ROOT / "tests" / "install.sh")], capture_output=True, text=True, env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    if "pip install" in done.stderr or "apt-get install" in done.stderr:
        pytest.skip(f"something is missing here, so install.sh installs it: {done.stderr}")
    assert "are installed" in done.stderr
    assert not calls.exists(), calls.read_text()


def test_install_sh_says_what_it_installs_and_that_apt_needs_root() -> None:
    header = (ROOT / "tests" / "install.sh").read_text(encoding="utf-8").split("set -euo")[0]
    for needed in ("chromium", "libapache-jena-java", "virtuoso-opensource", "root or sudo"):
        assert needed in header
    command = readme_command("Run the tests")
    readme = (ROOT / "README.md").read_text(encoding="utf-8").split(command)[0]
    assert "root or\nsudo" in readme or "root or sudo" in readme
    assert "virtuoso-opensource" in readme


def test_version_and_short_help() -> None:
    version = subprocess.run([*CLI, "--version"], capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.strip() == f"untoc-kg {__version__}"
    short = subprocess.run([*CLI, "-h"], capture_output=True, text=True, timeout=60)
    assert short.returncode == 0 and "Usage" in short.stdout


def test_serve_help_shows_the_limits_defaults() -> None:
    shown = subprocess.run(
        [*CLI, "serve", "--help"], capture_output=True, text=True, timeout=60,
        env={**os.environ, "COLUMNS": "200"},
    ).stdout
    limits = QueryLimits()
    for option, default in (
        ("--query-timeout", f"{limits.timeout_seconds:g}"),
        ("--max-rows", str(limits.max_result_rows)),
        ("--max-body", str(limits.max_request_bytes)),
        ("--query-workers", str(limits.workers)),
    ):
        line = next(line for line in shown.splitlines() if option in line)
        assert f"(default: {default})" in line, line
    assert "--log-level" in shown


def test_serve_logs_requests_at_info(corpus_build, tmp_path: Path) -> None:
    port = free_port()
    log = (tmp_path / "serve.log").open("w+")
    process = subprocess.Popen(
        [*CLI, "serve", "--store", str(corpus_build.build_dir.parent.parent), "--port", str(port),
         "--log-level", "info"],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}", process)
        assert httpx.get(f"http://127.0.0.1:{port}/dumps/").status_code == 200
        deadline = time.monotonic() + 10
        while '"GET /dumps/ HTTP/1.1" 200' not in Path(log.name).read_text():
            assert time.monotonic() < deadline, Path(log.name).read_text()
            time.sleep(0.1)
        assert f"Open http://127.0.0.1:{port}/" in Path(log.name).read_text()
    finally:
        end_group(process)
        log.close()


def test_serve_on_a_busy_port_says_so_and_prints_no_url(corpus_build) -> None:
    with closing(socket.create_server(("127.0.0.1", 0))) as taken:
        port = taken.getsockname()[1]
        done = subprocess.run(
            [*CLI, "serve", "--store", str(corpus_build.build_dir.parent.parent), "--port", str(port)],
            capture_output=True, text=True, timeout=60,
        )
    assert done.returncode == 1
    assert "Open http" not in done.stdout
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr and "--port" in done.stderr


def test_every_progress_bar_ends_at_its_total(tmp_path: Path) -> None:
    from contextlib import contextmanager

    from untoc_kg import publish as pipeline
    from untoc_kg.corpus import corpus_files
    from untoc_kg.settings import DEFAULT_BASE_URI

    bars: list[list[int]] = []  # [total, advanced]

    class Recording(pipeline.Progress):
        @contextmanager
        def track(self, description, total):
            bar = [total, 0]
            bars.append(bar)
            yield lambda: bar.__setitem__(1, bar[1] + 1)

    result = pipeline.build(corpus_files(), tmp_path, DEFAULT_BASE_URI, progress=Recording())
    assert result.ok and bars
    assert [advanced for _, advanced in bars] == [total for total, _ in bars]
