"""Where things live by default. Every default can be overridden on the command line."""

import os
from pathlib import Path

DEFAULT_BASE_URI = "https://w3id.org/untoc-kg/id/"
"""Base of every minted URI; `untoc-kg build --base-uri` changes it."""


def default_data_dir() -> Path:
    """Folder of built stores and dumps: $UNTOC_KG_HOME, else $XDG_DATA_HOME/untoc-kg."""
    if home := os.environ.get("UNTOC_KG_HOME"):
        return Path(home)
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "untoc-kg"

ONTOLOGY_NAMESPACE = "https://w3id.org/untoc-kg/ontology#"
"""The vocabulary's namespace. Fixed: it does not move with the data's base URI."""
