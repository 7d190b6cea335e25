"""Apache Jena's command-line tools (Debian's libapache-jena-java) for the tests.

Debian ships Jena as jars without launch scripts, so the tools run as `java -cp ... <main class>`.
Two packaging quirks are handled here:
- /usr/share/java holds conflicting SLF4J bindings, so the class path is built from the jars of
  Jena's own Debian dependencies (walked recursively with dpkg-query), not from the whole folder;
- jena-core relocates the bundled Xerces classes to `xerces.*` but leaves their message bundles
  (and the regex messages) under `org/apache/jena/ext/xerces/`, so XSD datatypes fail to
  initialise ("internal error"). A small jar with those resources copied to where the classes look
  for them fixes it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zipfile
from functools import cache
from pathlib import Path

MAIN_CLASSES = {
    "riot": "riotcmd.riot",
    "tdb2.tdbloader": "tdb2.tdbloader",
    "tdb2.tdbquery": "tdb2.tdbquery",
    "rsparql": "arq.rsparql",
    "sparql": "arq.sparql",
}
JENA_PACKAGE = "libapache-jena-java"
RELOCATED_FROM = "org/apache/jena/ext/"
VERSIONED_JAR = re.compile(r"-\d[\w.]*\.jar$")


def jena_available() -> bool:
    return shutil.which("java") is not None and Path("/usr/share/java/jena-core.jar").exists()


def _depends(package: str) -> list[str]:
    out = subprocess.run(
        ["dpkg-query", "-W", "-f=${Depends}", package], capture_output=True, text=True
    ).stdout
    names = [alt.split("|")[0].strip().split(" ")[0] for alt in out.split(",") if alt.strip()]
    return [n for n in names if n.endswith("-java")]


def _package_jars(package: str) -> list[str]:
    out = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True).stdout
    # Debian installs each jar twice (versioned and unversioned); the unversioned link is enough.
    return [
        line
        for line in out.splitlines()
        if line.startswith("/usr/share/java/")
        and line.endswith(".jar")
        and "/" not in line.removeprefix("/usr/share/java/")
        and not VERSIONED_JAR.search(line)
    ]


def _relocated_resources_jar(folder: Path) -> Path:
    target = folder / "jena-xerces-resources.jar"
    with zipfile.ZipFile("/usr/share/java/jena-core.jar") as core, zipfile.ZipFile(
        target, "w"
    ) as shim:
        for name in core.namelist():
            if name.startswith(RELOCATED_FROM) and name.endswith(".properties"):
                shim.writestr(name.removeprefix(RELOCATED_FROM), core.read(name))
    return target


@cache
def classpath() -> str:
    seen: set[str] = set()
    todo = [JENA_PACKAGE]
    jars: list[str] = []
    while todo:
        package = todo.pop()
        if package in seen:
            continue
        seen.add(package)
        jars += _package_jars(package)
        todo += _depends(package)
    logging = [j for j in jars if "slf4j" in j or "log4j" in j]
    jars = [j for j in jars if j not in logging] + [
        "/usr/share/java/slf4j-api.jar",
        "/usr/share/java/slf4j-nop.jar",
    ]
    shim = _relocated_resources_jar(Path(tempfile.mkdtemp(prefix="jena-shim-")))
    return ":".join([str(shim), *dict.fromkeys(jars)])


def run_jena(tool: str, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run a Jena tool ("riot", "tdb2.tdbloader", "tdb2.tdbquery", "rsparql", "sparql")."""
    command = ["java", "-Xmx1g", "-cp", classpath(), MAIN_CLASSES[tool], *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)
