"""The bundled corpus: the default input of `untoc-kg build`."""

from importlib.resources import files
from pathlib import Path


def corpus_files() -> list[Path]:
    """The bundled source documents, in file-name order."""
    folder = Path(str(files(__package__)))
    return sorted(p for p in folder.iterdir() if p.suffix in {".txt", ".md"})
