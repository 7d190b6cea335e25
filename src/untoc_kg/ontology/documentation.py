"""Human documentation of the vocabulary, rendered by pyLODE (OntPub profile)."""

from __future__ import annotations

import sys
import types
from functools import cache
from importlib.metadata import version


def _load_pylode():
    # pylode 3.4.x reads its version from a pyproject.toml that its wheel does not ship, so a
    # plain `import pylode` fails on installed copies. Pre-registering `pylode.version` with the
    # installed distribution's version sidesteps that without touching site-packages.
    if "pylode.version" not in sys.modules:
        shim = types.ModuleType("pylode.version")
        shim.__version__ = version("pylode")
        sys.modules["pylode.version"] = shim
    import pylode

    return pylode


@cache
def ontology_html() -> str:
    """The vocabulary's HTML documentation page (one self-contained document, CSS inline)."""
    from . import ontology_graph

    return _load_pylode().OntPub(ontology_graph(), sort_subjects=True).make_html()
