"""`untoc-kg serve` as a separate process on 127.0.0.1, as a user runs it: for the tests that kill
it, measure its memory, or must keep the test runner's GIL out of the server's latencies."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(data_dir: Path, port: int, *options: str) -> subprocess.Popen:
    """Its own session, so the server and its query workers can be found and ended as a group."""
    return subprocess.Popen(
        [sys.executable, "-m", "untoc_kg.cli", "serve", "--store", str(data_dir), "--port", str(port),
         "--log-level", "warning",
         *options],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )


def wait_until_up(base: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}: {process.stderr.read()}")
        try:
            if httpx.get(base + "/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"no answer from {base} within {timeout} s")


def children(pid: int) -> list[int]:
    """The live processes whose parent is `pid` (a server's query workers)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def rss_bytes(pids: list[int]) -> int:
    """Resident memory of the processes together (VmRSS)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def end_group(process: subprocess.Popen) -> None:
    """SIGKILL the server's session (server and workers), then reap the server."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=10)


@contextmanager
def serving(data_dir: Path, *options: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """`untoc-kg serve --store data_dir [options]` until the block ends; yields (base URL,
    process)."""
    port = free_port()
    process = start_server(data_dir, port, *options)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        yield base, process
    finally:
        end_group(process)
