"""Throughput of the extractor against a naive spaCy baseline and a regex ceiling, in one run.

    python3 bench/extract.py [MEGABYTES]     # default 10

The bundled corpus is repeated until at least MEGABYTES of UTF-8 text, and each method reads the
same texts one document at a time:
- extractor: `untoc_kg.extract.extract_text`, everything (normalisation, layout, meetings,
  recommendations, citations, States, organisations);
- naive baseline: `spacy.blank("en")` with an EntityRuler holding the same State and organisation
  names, run over the whole text of each document (what one would write first);
- regex ceiling: `re.finditer(r"\\barticles? \\d+")` over the same text, the least work that still
  looks at every byte.
Ratios are against the naive baseline; the goal is >= 2x. A second table splits the extractor's
time by stage (the stages of `extract_text`, run one by one on the same texts), so the next reader
sees where the time goes. Not a test: timings vary by machine.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Iterable

import spacy
from rich.console import Console
from rich.table import Table

from untoc_kg.corpus import corpus_files
from untoc_kg.extract import extract_text, normalise_text
from untoc_kg.extract.document import (
    facts_and_meetings,
    recommendations_of,
    with_citations_and_organizations,
)
from untoc_kg.extract.nlp import organization_names, state_names

ARTICLE = re.compile(r"\barticles? \d+")


def naive_pipeline() -> Callable[[str], object]:
    """spaCy blank English and one EntityRuler with the extractor's own State and organisation
    names (untoc_kg.extract.nlp), run over the whole text."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(
        [{"label": "ORG", "pattern": name} for name in organization_names()]
        + [{"label": "GPE", "pattern": name} for name in state_names()]
    )
    return lambda text: nlp(text).ents


def regex_ceiling(text: str) -> int:
    return sum(1 for _ in ARTICLE.finditer(text))


def workload(megabytes: float) -> list[tuple[str, str]]:
    """(source name, text) pairs: the corpus, repeated until at least `megabytes` of UTF-8."""
    corpus = [(p.name, p.read_text(encoding="utf-8")) for p in corpus_files()]
    out: list[tuple[str, str]] = []
    size = 0
    while size < megabytes * 1_000_000:
        for name, text in corpus:
            out.append((name, text))
            size += len(text.encode("utf-8"))
    return out


def timed(run: Callable[[str, str], object], items: Iterable[tuple[str, str]]) -> float:
    start = time.perf_counter()
    for name, text in items:
        run(text, name)
    return time.perf_counter() - start


STAGES = ("normalise", "facts + meetings", "recommendations", "citations + organisations")


def stage_seconds(items: Iterable[tuple[str, str]]) -> dict[str, float]:
    """Seconds spent in each stage of `extract_text` over `items`."""
    seconds = dict.fromkeys(STAGES, 0.0)

    def clock(stage: str, started: float) -> float:
        now = time.perf_counter()
        seconds[stage] += now - started
        return now

    for name, raw in items:
        started = time.perf_counter()
        text = normalise_text(raw)
        started = clock("normalise", started)
        facts, meetings = facts_and_meetings(text, name)
        started = clock("facts + meetings", started)
        recommendations = recommendations_of(text, facts, meetings)
        started = clock("recommendations", started)
        with_citations_and_organizations(recommendations, facts.body.protocol)
        clock("citations + organisations", started)
    return seconds


def stage_table(seconds: dict[str, float], total_mb: float) -> Table:
    table = Table(title="untoc-kg extract_text by stage (same texts, stages timed one by one)")
    for header in ("Stage", "Seconds", "Share", "MB/s"):
        table.add_column(header, justify="left" if header == "Stage" else "right")
    total = sum(seconds.values())
    for stage, spent in seconds.items():
        table.add_row(stage, f"{spent:.2f}", f"{spent / total:.0%}", f"{total_mb / spent:.2f}")
    table.add_row("all", f"{total:.2f}", "100%", f"{total_mb / total:.2f}")
    return table


def main(megabytes: float = 10.0) -> None:
    items = workload(megabytes)
    total_mb = sum(len(t.encode("utf-8")) for _, t in items) / 1_000_000
    naive = naive_pipeline()
    methods: list[tuple[str, Callable[[str, str], object]]] = [
        ("naive: spaCy blank + EntityRuler", lambda text, _name: naive(text)),
        ("untoc-kg extract_text", lambda text, name: extract_text(text, name)),
        ("ceiling: regex article finder", lambda text, _name: regex_ceiling(text)),
    ]
    warm_up = items[: len(corpus_files())]
    seconds = {}
    for label, run in methods:
        timed(run, warm_up)
        seconds[label] = timed(run, items)

    baseline = total_mb / seconds[methods[0][0]]
    table = Table(
        title=f"Extraction throughput on the corpus repeated to {total_mb:.1f} MB ({len(items)} documents)"
    )
    for header in ("Method", "Seconds", "MB/s", "x naive baseline"):
        table.add_column(header, justify="left" if header == "Method" else "right")
    for label, _ in methods:
        rate = total_mb / seconds[label]
        table.add_row(label, f"{seconds[label]:.2f}", f"{rate:.2f}", f"{rate / baseline:.2f}")
    console = Console()
    console.print(table)
    console.print("Goal: untoc-kg extract_text >= 2.00x the naive baseline.")
    console.print(stage_table(stage_seconds(items), total_mb))


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 10.0)
