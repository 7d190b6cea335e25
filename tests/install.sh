#!/usr/bin/env bash
# Installs everything the test suite needs: the package with its test extras (Python), and the
# real external programs the tests talk to (Debian: Chromium for page tests, Apache Jena for
# riot / tdb2.tdbloader / rsparql; Virtuoso open source, a SPARQL store to load into and serve
# from).
# Idempotent: what is already there is not installed again.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v riot >/dev/null 2>&1 || need+=(libapache-jena-java)
command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
