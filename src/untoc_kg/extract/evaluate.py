"""Score predicted documents against gold annotations, both in the shape of tests/gold/SCHEMA.md.

Pure functions over plain dicts: no file is read here, so any gold folder of that shape (another
working group, another year) is scored the same way. Every score is a count of things right,
predicted and expected, from which precision, recall and F1 follow.

How things are matched:
- documents by file name (`document`);
- meetings by ordinal, then each field (start, end, place, chair) must be equal;
- agenda items by meeting and position, then the title must be equal;
- attendees by meeting, role and name;
- recommendations by meeting and seq, then each field must be equal (text_start: the two texts
  agree over the shorter one, which must be the gold's "~60 characters" or the whole text);
- citations by meeting, seq, treaty, article, paragraph, subparagraph and chapter.
Strings are compared after folding whitespace and quotes (curly and straight), nothing else.
A list the gold leaves out (no `documents_cited` key for a document, no `panellists` for a meeting)
was not annotated and is not scored; a missing attendance role or chair means there is none.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from untoc_kg.records import AttendanceRole

ALL = "all"
"""The item name of a category's overall score (identity match, or every attendee)."""

DOCUMENT_FIELDS = ("kind", "title", "symbol", "issued", "body", "parent_protocol")
DOCUMENT_LISTS = ("resolutions_cited", "documents_cited")
MEETING_FIELDS = ("start", "end", "place", "chair")
MEETING_LISTS = ("panellists", "documents_cited")
RECOMMENDATION_FIELDS = (
    "label",
    "section",
    "section_title",
    "addressee",
    "text_start",
    "subitems",
    "organizations",
)
OPTIONAL_DOCUMENT_FIELDS = ("parent_body", "job_number", "previous_symbol")
OPTIONAL_MEETING_FIELDS = ("state_under_review", "review", "adoption", "head_of_delegation", "troika")
OPTIONAL_ROLES = ("delegations_making_statements",)
OPTIONAL_RECOMMENDATION_FIELDS = ("paragraph", "recommending_states", "other_bodies")
"""Keys that only some gold annotations carry (a review report's, ../shared/real-reports/):
scored where the gold has them, so a gold without them keeps its rows."""
IMPLIED_ADDRESSEE = re.compile(r"\(implied\b")
"""A gold addressee such as "State under review (implied; imperative)": the text names none, so
the State under review, the words "State under review" or none at all are each right."""
CITATION_KEY = ("treaty", "article", "paragraph", "subparagraph", "chapter")
TEXT_START_MIN = 60
"""The gold's text_start holds "~60 characters": agreement on fewer proves nothing."""

CATEGORIES = ("document", "meetings", "agenda", "attendance", "recommendations", "citations")


@dataclass(frozen=True)
class Score:
    """Counts behind precision / recall / F1. With nothing expected and nothing predicted, all
    three are 1.0: there was nothing to find and nothing was invented."""

    correct: int = 0
    predicted: int = 0
    expected: int = 0

    @property
    def precision(self) -> float:
        if self.predicted == 0:
            return 1.0 if self.expected == 0 else 0.0
        return self.correct / self.predicted

    @property
    def recall(self) -> float:
        if self.expected == 0:
            return 1.0 if self.predicted == 0 else 0.0
        return self.correct / self.expected

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    def __add__(self, other: Score) -> Score:
        return Score(
            self.correct + other.correct,
            self.predicted + other.predicted,
            self.expected + other.expected,
        )

    def as_json(self) -> dict[str, float | int]:
        return {
            "correct": self.correct,
            "predicted": self.predicted,
            "expected": self.expected,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(frozen=True)
class Line:
    """One row of a score table: a category ("recommendations") and an item of it ("label")."""

    category: str
    item: str
    score: Score


@dataclass(frozen=True)
class Scorecard:
    """Every line for one document, or for the total of several."""

    name: str
    lines: tuple[Line, ...]

    def score(self, category: str, item: str = ALL) -> Score:
        for line in self.lines:
            if line.category == category and line.item == item:
                return line.score
        raise KeyError(f"no score for {category}/{item}")

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for line in self.lines:
            out.setdefault(line.category, {})[line.item] = line.score.as_json()
        return {"name": self.name, "scores": out}


@dataclass(frozen=True)
class Evaluation:
    documents: tuple[Scorecard, ...]
    total: Scorecard
    missing: tuple[str, ...] = ()
    """Gold documents that had no prediction (scored as all missed)."""
    unscored: tuple[str, ...] = ()
    """Predicted documents without a gold annotation (not scored)."""

    def as_json(self) -> dict[str, Any]:
        return {
            "documents": [d.as_json() for d in self.documents],
            "total": self.total.as_json(),
            "missing": list(self.missing),
            "unscored": list(self.unscored),
        }


# -- folding -----------------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"'})


def fold(value: Any) -> Any:
    """Whitespace and quote styles folded in every string inside `value`; lists become tuples
    and dicts sorted item tuples, so the result can be compared and counted."""
    if isinstance(value, str):
        return _SPACE.sub(" ", value.translate(_QUOTES)).strip()
    if isinstance(value, Mapping):
        return tuple(sorted((k, fold(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(fold(v) for v in value)
    return value


def text_start_agrees(predicted: str | None, gold: str | None) -> bool:
    """The predicted text starts as the gold's text_start does, over the shorter of the two, and
    that shorter one is long enough to mean something (or is a whole, short text)."""
    if predicted is None or gold is None:
        return predicted == gold
    p, g = fold(predicted), fold(gold)
    n = min(len(p), len(g))
    return p[:n] == g[:n] and n >= min(TEXT_START_MIN, len(g))


# -- counting ----------------------------------------------------------------------------------


def _bag_score(predicted: Iterable[Hashable], expected: Iterable[Hashable]) -> Score:
    p, e = Counter(predicted), Counter(expected)
    return Score(sum((p & e).values()), sum(p.values()), sum(e.values()))


def _by_key(items: Iterable[dict], key: tuple[str, ...]) -> dict[tuple, dict]:
    """First item per identity key (a duplicate prediction still counts as predicted)."""
    out: dict[tuple, dict] = {}
    for item in items:
        out.setdefault(tuple(fold(item.get(k)) for k in key), item)
    return out


def _field_score(
    predicted: list[dict],
    expected: list[dict],
    key: tuple[str, ...],
    field: str,
    reviewed: tuple[str, ...] = (),
) -> Score:
    pred, gold = _by_key(predicted, key), _by_key(expected, key)
    correct = sum(
        1
        for k, g in gold.items()
        if k in pred and _field_equal(field, pred[k].get(field), g.get(field), reviewed)
    )
    return Score(correct, len(predicted), len(expected))


def _field_equal(field: str, predicted: Any, gold: Any, reviewed: tuple[str, ...] = ()) -> bool:
    if field == "addressee" and isinstance(gold, str) and IMPLIED_ADDRESSEE.search(gold):
        return predicted is None or fold(predicted) in {"State under review", *map(fold, reviewed)}
    if field == "text_start":
        return text_start_agrees(predicted, gold)
    if field == "organizations":
        return sorted(fold(predicted or [])) == sorted(fold(gold or []))
    if field in ("subitems", "agenda"):
        return fold(predicted or []) == fold(gold or [])
    return fold(predicted) == fold(gold)


# -- categories --------------------------------------------------------------------------------


def _document_lines(pred: dict | None, gold: dict) -> list[Line]:
    shown = 1 if pred is not None else 0
    p = pred or {}
    lines = [
        Line(
            "document",
            f,
            Score(int(pred is not None and fold(p.get(f)) == fold(gold.get(f))), shown, 1),
        )
        for f in DOCUMENT_FIELDS + tuple(f for f in OPTIONAL_DOCUMENT_FIELDS if f in gold)
    ]
    lines += [
        Line("document", f, _bag_score(set(fold(p.get(f) or [])), set(fold(gold.get(f) or []))))
        for f in DOCUMENT_LISTS
        if f in gold
    ]
    return lines


def _meeting_lines(pred: list[dict], gold: list[dict]) -> list[Line]:
    key = ("ordinal",)
    lines = [
        Line(
            "meetings",
            ALL,
            _bag_score(
                (fold(m.get("ordinal")) for m in pred), (fold(m.get("ordinal")) for m in gold)
            ),
        )
    ]
    optional = tuple(f for f in OPTIONAL_MEETING_FIELDS if any(f in m for m in gold))
    lines += [Line("meetings", f, _field_score(pred, gold, key, f)) for f in MEETING_FIELDS + optional]
    for f in MEETING_LISTS:
        annotated = {m.get("ordinal") for m in gold if f in m}
        lines.append(
            Line(
                "meetings",
                f,
                _bag_score(
                    {
                        (m.get("ordinal"), x)
                        for m in pred
                        if m.get("ordinal") in annotated
                        for x in fold(m.get(f) or [])
                    },
                    {(m.get("ordinal"), x) for m in gold for x in fold(m.get(f) or [])},
                ),
            )
        )
    return lines


def _agenda_lines(pred: list[dict], gold: list[dict]) -> list[Line]:
    def items(meetings: list[dict]) -> list[tuple]:
        return [
            (m.get("ordinal"), i, fold(title))
            for m in meetings
            for i, title in enumerate(m.get("agenda") or [])
        ]

    return [Line("agenda", ALL, _bag_score(items(pred), items(gold)))]


def _attendance_lines(pred: list[dict], gold: list[dict]) -> list[Line]:
    def names(meetings: list[dict], role: str) -> set[tuple]:
        return {
            (m.get("ordinal"), role, fold(name))
            for m in meetings
            for name in (m.get("attendance") or {}).get(role, [])
        }

    roles = [r.value for r in AttendanceRole] + [
        r for r in OPTIONAL_ROLES if any(r in (m.get("attendance") or {}) for m in gold)
    ]
    per_role = [
        Line("attendance", r, _bag_score(names(pred, r), names(gold, r))) for r in roles
    ]
    total = sum((line.score for line in per_role), Score())
    return [Line("attendance", ALL, total), *per_role]


def _recommendation_lines(
    pred: list[dict], gold: list[dict], reviewed: Iterable[str] = ()
) -> list[Line]:
    key = ("meeting", "seq")
    reviewed = tuple(reviewed)
    identity = _bag_score(
        (tuple(fold(r.get(k)) for k in key) for r in pred),
        (tuple(fold(r.get(k)) for k in key) for r in gold),
    )
    lines = [Line("recommendations", ALL, identity)]
    optional = tuple(f for f in OPTIONAL_RECOMMENDATION_FIELDS if any(f in r for r in gold))
    lines += [
        Line("recommendations", f, _field_score(pred, gold, key, f, reviewed))
        for f in RECOMMENDATION_FIELDS + optional
    ]
    return lines


def _citation_lines(pred: list[dict], gold: list[dict]) -> list[Line]:
    def cites(recs: list[dict]) -> list[tuple[tuple, Any]]:
        return [
            (
                (r.get("meeting"), r.get("seq"), *(fold(c.get(k)) for k in CITATION_KEY)),
                c.get("how"),
            )
            for r in recs
            for c in r.get("citations") or []
        ]

    p, g = cites(pred), cites(gold)
    identity = _bag_score((k for k, _ in p), (k for k, _ in g))
    how = _bag_score(p, g)
    return [
        Line("citations", ALL, identity),
        Line("citations", "how", Score(how.correct, identity.predicted, identity.expected)),
    ]


def score_document(predicted: dict | None, gold: dict) -> Scorecard:
    """All lines for one document; `predicted` None means the extractor gave nothing for it."""
    p = predicted or {}
    pm, gm = p.get("meetings") or [], gold.get("meetings") or []
    pr, gr = p.get("recommendations") or [], gold.get("recommendations") or []
    lines = [
        *_document_lines(predicted, gold),
        *_meeting_lines(pm, gm),
        *_agenda_lines(pm, gm),
        *_attendance_lines(pm, gm),
        *_recommendation_lines(pr, gr, (m["state_under_review"] for m in pm if m.get("state_under_review"))),
        *_citation_lines(pr, gr),
    ]
    return Scorecard(str(gold.get("document")), tuple(lines))


def total(cards: Iterable[Scorecard], name: str = "total") -> Scorecard:
    """Counts summed line by line (micro-average), in the order of the first card."""
    sums: dict[tuple[str, str], Score] = {}
    for card in cards:
        for line in card.lines:
            k = (line.category, line.item)
            sums[k] = sums.get(k, Score()) + line.score
    return Scorecard(name, tuple(Line(c, i, s) for (c, i), s in sums.items()))


def evaluate(predicted: Iterable[dict], gold: Iterable[dict]) -> Evaluation:
    """Score every gold document against the prediction of the same file name."""
    by_name = {p["document"]: p for p in predicted}
    gold_docs = sorted(gold, key=lambda g: g["document"])
    cards = tuple(score_document(by_name.get(g["document"]), g) for g in gold_docs)
    gold_names = {g["document"] for g in gold_docs}
    return Evaluation(
        documents=cards,
        total=total(cards),
        missing=tuple(g["document"] for g in gold_docs if g["document"] not in by_name),
        unscored=tuple(sorted(n for n in by_name if n not in gold_names)),
    )
