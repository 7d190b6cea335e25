"""Real SPARQL 1.1 stores on 127.0.0.1 for the tests: Oxigraph's server (PyPI `oxigraph`) and
Virtuoso open source (Debian `virtuoso-opensource`), each in a temporary folder on free ports,
stopped when the block ends. `tests/install.sh` installs both."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

VIRTUOSO = "virtuoso-t"
VIRTUOSO_ISQL = "isql-vt"
OXIGRAPH = "oxigraph"
START_TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class TripleStore:
    """A running store: where to load (Graph Store Protocol, SPARQL Update) and query it."""

    name: str
    query_url: str
    graph_store_url: str
    update_url: str
    graph: str | None
    """The graph the published data goes to (None: the default graph)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited ({process.returncode}):\n{log.read_text()}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"no SPARQL endpoint at {url} after {START_TIMEOUT_SECONDS} s:\n{log.read_text()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def oxigraph_server(folder: Path) -> Iterator[TripleStore]:
    """`oxigraph serve` on a fresh store; the data goes to its default graph, as in the embedded
    store."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = folder / "oxigraph.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [OXIGRAPH, "serve", "--location", str(folder / "store"), "--bind", f"127.0.0.1:{port}"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/query", process, log)
        yield TripleStore("oxigraph-server", base + "/query", base + "/store", base + "/update", None)
    finally:
        _stop(process)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = ., {dir}, /usr/share/virtuoso-opensource-7/vad
VADInstallDir = /usr/share/virtuoso-opensource-7/vad/
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 10
MaxClientConnections = 10
EnabledGzipContent = 0
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 10
MaxQueryCostEstimationTime = 0
"""
"""A minimal configuration: everything in the temporary folder, both ports on 127.0.0.1, a
result cap (Virtuoso's default is 10,000 rows) above the test data so exports are whole, no
refusal on the optimiser's cost estimate (the endpoint's own time limit decides), and queries
stopped after 10 s so one the endpoint gave up on does not burn the test machine's CPU."""
VIRTUOSO_GRAPH = "https://w3id.org/untoc-kg/graph"


@contextmanager
def virtuoso_server(folder: Path) -> Iterator[TripleStore]:
    """`virtuoso-t` in the foreground on a fresh database. Its SPARQL endpoint (/sparql) answers
    queries and, once the anonymous `SPARQL` account holds the SPARQL_UPDATE role, SPARQL Update
    and the Graph Store Protocol (/sparql-graph-crud); granted here over the SQL port with
    isql, which a fresh database lets `dba` do with the default password."""
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=folder, sql_port=sql_port, http_port=http_port))
    log = folder / "virtuoso-stdout.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [VIRTUOSO, "+foreground", "+configfile", str(ini)],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{http_port}"
    try:
        _wait_for(base + "/sparql", process, log)
        subprocess.run(
            [VIRTUOSO_ISQL, f"127.0.0.1:{sql_port}", "dba", "dba",
             "exec=GRANT SPARQL_UPDATE TO \"SPARQL\";"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        yield TripleStore(
            "virtuoso", base + "/sparql", base + "/sparql-graph-crud", base + "/sparql", VIRTUOSO_GRAPH
        )
    finally:
        _stop(process)


def missing(program: str) -> str | None:
    """Why a store's tests are skipped: its program is not installed (None: it is)."""
    if shutil.which(program) is None:
        return f"{program} is not installed; run `bash tests/install.sh`"
    return None
