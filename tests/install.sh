#!/usr/bin/env bash
# Installs what the test suite needs and is missing, saying what it installs:
# - Python (pip, into the active Python: README's test command makes and activates a virtual
#   environment): this checkout, editable, with its test extras (pytest, Playwright, ...);
# - Debian/Ubuntu packages (apt-get: needs root or sudo): chromium (the browser tests),
#   libapache-jena-java (Apache Jena's riot, tdb2 and rsparql), virtuoso-opensource (Virtuoso, a
#   SPARQL store the tests load into; on a host with systemd its package starts a system-wide
#   Virtuoso service on ports 1111 and 8890).
# Each program and each Python package is checked first: what is there is not installed again,
# and apt-get (its `update` included) runs only when a package is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "tests/install.sh: $*" >&2; }

# -- Python: every requirement of the project and its test extras, and this checkout installed
python_missing() {
  python3 - <<'EOF'
import sys, tomllib
from importlib import metadata
from pathlib import Path

try:
    from packaging.requirements import Requirement
except ImportError:  # pip vendors it; a Python without either has nothing installed anyway
    from pip._vendor.packaging.requirements import Requirement

project = tomllib.loads(Path("pyproject.toml").read_text())["project"]
missing = []
for spec in project["dependencies"] + project["optional-dependencies"]["test"]:
    requirement = Requirement(spec)
    try:
        installed = metadata.version(requirement.name)
    except metadata.PackageNotFoundError:
        missing.append(spec)
        continue
    if not requirement.specifier.contains(installed, prereleases=True):
        missing.append(f"{spec} (have {installed})")
try:
    import untoc_kg
    here = Path("src/untoc_kg").resolve()
    if Path(untoc_kg.__file__).resolve().parent != here:
        missing.append(f"untoc-kg from this checkout (found {Path(untoc_kg.__file__).parent})")
except ImportError:
    missing.append("untoc-kg")
print("\n".join(missing))
EOF
}

missing_python="$(python_missing)"
if [ -n "$missing_python" ]; then
  say "pip install -e .[test] into $(python3 -c 'import sys; print(sys.prefix)'), for:"
  while IFS= read -r line; do echo "  $line" >&2; done <<<"$missing_python"
  python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"
else
  say "Python: this checkout and every test requirement are installed"
fi

# -- Debian packages: the programs the tests run
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# Debian's Jena ships jars and no launcher scripts (tests/jena.py runs them with java)
{ command -v java >/dev/null 2>&1 && [ -e /usr/share/java/jena-core.jar ]; } || need+=(libapache-jena-java)
command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource)
if [ ${#need[@]} -eq 0 ]; then
  say "programs: chromium, Apache Jena and Virtuoso are installed"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    say "missing Debian packages: ${need[*]}; installing them needs root: run this as root, or"
    say "  apt-get install ${need[*]}"
    exit 1
  fi
  SUDO="sudo"
fi
say "apt-get install ${need[*]}${SUDO:+ (with sudo: it needs root)}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
