"""`untoc-kg eval`: extract documents and score them against a gold folder."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from untoc_kg.extract.evaluate import Scorecard


def evaluate(
    docs: Annotated[
        list[Path] | None,
        typer.Argument(help="Report files to extract and score. Default: the bundled corpus."),
    ] = None,
    gold: Annotated[
        Path | None,
        typer.Option(
            "--gold",
            help="Folder of gold annotations, one <document>.json each (tests/gold/SCHEMA.md). "
            "Default: a folder named 'gold' beside the documents.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Score the extractor against gold annotations: precision, recall and F1 per document and
    in total. Exits 1 if a document could not be extracted (it is then scored as all missed)."""
    from rich.console import Console

    from untoc_kg.corpus import corpus_files
    from untoc_kg.extract import extract_document
    from untoc_kg.extract.errors import ExtractionError
    from untoc_kg.extract.evaluate import evaluate as score
    from untoc_kg.extract.gold_json import document_to_json

    err = Console(stderr=True)
    paths = list(docs) if docs else corpus_files()
    gold_dir = gold or _gold_beside(paths)
    annotations = read_gold_folder(gold_dir)
    by_name = {a["document"]: a for a in annotations}
    by_stem = {Path(a["document"]).stem: a for a in annotations}

    def gold_of(path: Path) -> dict | None:
        """The gold of the file, or of the report's text when the file is another printing of
        it (its PDF scored against the gold of its text), named after the file."""
        found = by_name.get(path.name) or by_stem.get(path.stem)
        return None if found is None else {**found, "document": path.name}

    scored = [p for p in paths if gold_of(p) is not None]
    for p in paths:
        if gold_of(p) is None:
            err.print(
                f"{p}: no gold annotation in {gold_dir}, not scored", style="yellow", markup=False
            )
    if not scored:
        raise typer.BadParameter(
            f"none of the documents has a gold annotation in {gold_dir}", param_hint="DOCS"
        )

    predictions, failed = [], False
    for path in scored:
        try:
            predictions.append(document_to_json(extract_document(path)))
        except ExtractionError as exc:
            failed = True
            err.print(str(exc), style="red", markup=False)

    result = score(predictions, [gold_of(p) for p in scored])
    if as_json:
        json.dump(result.as_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        console = Console()
        for card in (*result.documents, result.total):
            console.print(scorecard_table(card))
    if failed:
        raise typer.Exit(1)


def _gold_beside(paths: list[Path]) -> Path:
    folders = {p.parent / "gold" for p in paths}
    found = [f for f in folders if f.is_dir()]
    if len(found) == 1:
        return found[0]
    raise typer.BadParameter(
        "no gold folder beside the documents; pass --gold DIR, a folder with one "
        "<document file name>.json per document in the shape of tests/gold/SCHEMA.md",
        param_hint="--gold",
    )


def read_gold_folder(folder: Path) -> list[dict]:
    """Every gold annotation in `folder`; a file that is not one stops the run, naming it."""
    if not folder.is_dir():
        raise typer.BadParameter(f"{folder} is not a folder", param_hint="--gold")
    annotations = []
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise typer.BadParameter(
                f"{path}: not a JSON file ({exc})", param_hint="--gold"
            ) from exc
        if not isinstance(data, dict) or not isinstance(data.get("document"), str):
            raise typer.BadParameter(
                f'{path}: not a gold annotation (no "document" file name)', param_hint="--gold"
            )
        annotations.append(data)
    if not annotations:
        raise typer.BadParameter(f"{folder} holds no *.json gold annotation", param_hint="--gold")
    return annotations


def scorecard_table(card: Scorecard):
    """Precision, recall and F1 of every category and field of one document (or the total);
    for fields, how many of the expected values are right."""
    from rich.table import Table

    table = Table(title=card.name, title_justify="left")
    for header in ("Category", "Item", "P", "R", "F1", "Right", "Predicted"):
        table.add_column(header, justify="left" if header in ("Category", "Item") else "right")
    shown = None
    for line in card.lines:
        s = line.score
        if s.expected == 0 and s.predicted == 0:
            continue
        table.add_row(
            line.category if line.category != shown else "",
            line.item,
            f"{s.precision:.3f}",
            f"{s.recall:.3f}",
            f"{s.f1:.3f}",
            f"{s.correct}/{s.expected}",
            str(s.predicted),
            style="bold" if s.f1 < 1 else None,
        )
        shown = line.category
    return table
