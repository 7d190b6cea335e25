"""Recommendations in normalised text (see `untoc_kg.extract.normalise`: one block per line).

Where they stand, by layout:
- a report: the numbered paragraphs of the chapter whose heading names recommendations
  ("II. Recommendations", "III. Conclusions and recommendations"), less its chapeau (the paragraph
  that only introduces them, "4. The Working Group adopted the recommendations provided below.");
  sub-headings inside a section ("1. Criminalization") are headings, not recommendations;
- a report that prints "Recommendation N" headings: the text under each heading;
- a compilation: the numbered paragraphs under chapters named after a meeting ("I. First meeting,
  Vienna, ..."), each chapter giving the meeting's ordinal and numbered from 1.
Thematic headings "A. ..." give the section letter and title. Citations and organisations are
added by the caller (`untoc_kg.extract.document`): this module only reads structure and wording.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from untoc_kg.extract.ordinals import ORDINAL, ordinal_value
from untoc_kg.records import Recommendation, Span, SubItem

_CHAPTER = re.compile(r"(?P<number>[IVXL]{1,6})\.[ ](?P<title>.+)")
_SECTION = re.compile(r"(?P<letter>[A-Z])\.[ ](?P<title>.+)")
_HEADING = re.compile(r"Recommendation[ ](?P<number>\d{1,3})")
_PARAGRAPH = re.compile(r"(?P<number>\d{1,3}\.\d{1,3}(?=\.?(?:[ ]|$))|\d{1,3}(?=\.(?:[ ]|$)))\.?(?:[ ]|$)(?P<body>.*)")
"""A numbered paragraph: "5. ...", or an item of a list numbered inside paragraph 115 ("115.1 ...").
A label without its text ("6." alone, its text lost) is one too, with an empty body: it is kept,
and the numbering check names it, rather than read as part of the paragraph before."""
_ITEM = re.compile(r"\((?P<label>[a-z]{1,4})\)[ ](?P<body>.+)")
_MEETING_CHAPTER = re.compile(rf"(?P<ordinal>{ORDINAL})[ ](?:meeting|session)\b", re.IGNORECASE)
_RECOMMENDATIONS_CHAPTER = re.compile(r"\brecommendations\b", re.IGNORECASE)
_CHAPEAU = re.compile(
    r"\brecommendations\b.*\b(?:below|as follows|following)\b|\bfollowing recommendations\b"
    r"|\brecommendations\b.*:$",
    re.IGNORECASE,
)
_CHAPEAU_CHARS = 600
"""A chapeau says what it introduces early; looking further only costs time."""
_SENTENCE_END = re.compile(r"[.;:!?][\"')\]]*$")


@dataclass(frozen=True)
class _Line:
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class _Chapter:
    title: str
    lines: tuple[_Line, ...]


def find_recommendations(
    text: str, body_symbol: str, reported_meeting: int | None
) -> tuple[Recommendation, ...]:
    """The recommendations printed in normalised `text`, in order. `reported_meeting` is the
    ordinal of the meeting a report reports on (None for a compilation, whose chapters name
    their meetings); a report's recommendations are that meeting's."""
    found: list[Recommendation] = []
    for chapter in _chapters(_lines(text)):
        meeting = _chapter_meeting(chapter.title)
        if meeting is None:
            if reported_meeting is None or not _RECOMMENDATIONS_CHAPTER.search(chapter.title):
                continue
            meeting = reported_meeting
        seq = sum(1 for r in found if r.meeting == meeting)
        for draft in _drafts(chapter.lines, text):
            seq += 1
            found.append(
                Recommendation(
                    body_symbol=body_symbol,
                    meeting=meeting,
                    seq=seq,
                    label=draft.label,
                    section=draft.section,
                    section_title=draft.section_title,
                    addressee=addressee(draft.text),
                    text=draft.text,
                    subitems=draft.subitems,
                    paragraph=draft.paragraph or draft.label,
                    span=draft.span,
                    standing=draft.standing,
                )
            )
    return tuple(found)


def _lines(text: str) -> list[_Line]:
    lines, start = [], 0
    for line in text.split("\n"):
        lines.append(_Line(start, line))
        start += len(line) + 1
    return lines


def _chapters(lines: list[_Line]) -> Iterator[_Chapter]:
    title, body = None, []
    for line in lines:
        match = _CHAPTER.fullmatch(line.text)
        if match:
            if title is not None:
                yield _Chapter(title, tuple(body))
            title, body = match["title"], []
        elif title is not None:
            body.append(line)
    if title is not None:
        yield _Chapter(title, tuple(body))


def _chapter_meeting(title: str) -> int | None:
    """3 for "Third meeting, Vienna, ...": the chapters of a compilation."""
    match = _MEETING_CHAPTER.match(title)
    return ordinal_value(match["ordinal"]) if match else None


@dataclass(frozen=True)
class _Draft:
    label: str
    section: str | None
    section_title: str | None
    text: str
    subitems: tuple[SubItem, ...]
    span: Span
    paragraph: str = ""
    """The paragraph that holds a list numbered inside it ("111" for its items 1, 2, ...)."""
    standing: str | None = None


_STANDINGS = (
    ("noted", re.compile(r"\b(?:were|are|have\s+been|has\s+been)\s+noted\b|\bdid\s+not\s+(?:enjoy|receive)\s+the\s+support\b|\bnot\s+supported\b", re.IGNORECASE)),
    ("supported", re.compile(r"\benjoy\s+the\s+support\b|\b(?:are|were|is)\s+(?:accepted|supported)\b", re.IGNORECASE)),
    ("to be examined", re.compile(r"\bwill\s+be\s+examined\b|\bwill\s+examine\b", re.IGNORECASE)),
)
"""What a review report's chapeau says of the recommendations it lists, first match wins."""


def _standing(chapeau: str) -> str | None:
    return next((name for name, pattern in _STANDINGS if pattern.search(chapeau[:_CHAPEAU_CHARS])), None)


def _drafts(lines: tuple[_Line, ...], text: str) -> Iterator[_Draft]:
    if any(_HEADING.fullmatch(line.text) for line in lines):
        yield from _headed_drafts(lines, text)
    else:
        yield from _paragraph_drafts(lines, text)


def _paragraph_drafts(lines: tuple[_Line, ...], text: str) -> Iterator[_Draft]:
    """Numbered paragraphs, each with the sub-items and unnumbered blocks that follow it.

    A paragraph that names recommendations and is followed by a list numbered inside it
    ("111. The recommendations ... listed below ..." then 1, 2, ...; "115. ..." then 115.1,
    115.2, ...) holds them: its items are the recommendations, it and the paragraphs that continue
    the report's own numbering after the list (closing remarks) are not."""
    has_sections = any(_SECTION.fullmatch(line.text) for line in lines)
    section: tuple[str, str] | None = None
    started = False
    holder: re.Match[str] | None = None  # the paragraph whose nested list is being read
    after_list = False
    index = 0
    while index < len(lines):
        line = lines[index]
        heading = _SECTION.fullmatch(line.text)
        paragraph = _PARAGRAPH.fullmatch(line.text)
        index += 1
        if heading and not paragraph:
            section = (heading["letter"], heading["title"])
            continue
        if not paragraph:
            continue
        following = _following_blocks(lines, index)
        if holder is not None and not _in_list(paragraph["number"], holder["number"]):
            holder = None  # the report's numbering resumes: the list has ended
        if holder is None and _holds_list(paragraph, lines[index + following:index + following + 1]):
            holder, after_list = paragraph, True
            index += following
            continue
        if holder is None and after_list:
            continue  # a closing paragraph after a nested list, not a recommendation
        if holder is None and _is_subheading(paragraph["body"], lines[index:index + 1]):
            continue
        if not started and holder is None and (
            (has_sections and section is None) or _CHAPEAU.search(paragraph["body"][:_CHAPEAU_CHARS])
        ):
            continue  # the chapeau: it introduces the recommendations
        started = True
        body_start = line.start + paragraph.start("body")
        draft = _draft(paragraph["number"], section, body_start, lines[index - 1:index + following], text)
        if holder is not None:
            draft = replace(draft, paragraph=holder["number"], standing=_standing(holder["body"]))
        yield draft
        index += following


def _holds_list(paragraph: re.Match[str], following: tuple[_Line, ...]) -> bool:
    """A paragraph naming recommendations whose next numbered block starts a list inside it."""
    if not following or "." in paragraph["number"] or not _RECOMMENDATIONS_CHAPTER.search(paragraph["body"][:_CHAPEAU_CHARS]):
        return False
    first = _PARAGRAPH.fullmatch(following[0].text)
    return first is not None and first["number"] in ("1", f"{paragraph['number']}.1")


def _in_list(number: str, holder: str) -> bool:
    """Whether a paragraph numbered `number` still belongs to the list inside paragraph `holder`:
    a decimal item of it, or (a list numbered 1, 2, ...) any integer but the report's next one."""
    if "." in number:
        return number.split(".")[0] == holder
    return int(number) != int(holder) + 1


def _headed_drafts(lines: tuple[_Line, ...], text: str) -> Iterator[_Draft]:
    """"Recommendation N" headings, each followed by its text."""
    section: tuple[str, str] | None = None
    for index, line in enumerate(lines):
        heading = _SECTION.fullmatch(line.text)
        if heading and not _HEADING.fullmatch(line.text):
            section = (heading["letter"], heading["title"])
            continue
        numbered = _HEADING.fullmatch(line.text)
        if not numbered or index + 1 >= len(lines):
            continue
        body = lines[index + 1:index + 2 + _following_blocks(lines, index + 2)]
        if _is_structure(body[0].text):
            continue
        yield _draft(line.text, section, body[0].start, body, text)


def _following_blocks(lines: tuple[_Line, ...], index: int) -> int:
    """How many blocks from `index` on belong to the block before: sub-items and unnumbered text."""
    count = 0
    while index + count < len(lines) and not _is_structure(lines[index + count].text):
        count += 1
    return count


def _is_structure(block: str) -> bool:
    """A block that starts something new: a heading or a numbered paragraph."""
    return bool(
        _PARAGRAPH.fullmatch(block) or _SECTION.fullmatch(block) or _HEADING.fullmatch(block)
        or _CHAPTER.fullmatch(block)
    )


def _is_subheading(body: str, following: tuple[_Line, ...] | list[_Line]) -> bool:
    """"1. Criminalization" followed by a numbered paragraph: a heading with its own number."""
    return (
        0 < len(body.split()) <= 12
        and not _SENTENCE_END.search(body)
        and bool(following)
        and bool(_PARAGRAPH.fullmatch(following[0].text))
    )


def _draft(
    label: str, section: tuple[str, str] | None, start: int, blocks: tuple[_Line, ...], text: str
) -> _Draft:
    end = blocks[-1].end
    subitems = []
    expected = "a"
    for block in blocks[1:]:
        item = _ITEM.fullmatch(block.text)
        if item and item["label"] == expected:
            subitems.append(SubItem(item["label"], item["body"]))
            expected = chr(ord(expected) + 1)
    return _Draft(
        label=label,
        section=section[0] if section else None,
        section_title=section[1] if section else None,
        text=text[start:end].replace("\n", " "),
        subitems=tuple(subitems),
        span=Span(start, end),
    )


# ---------------------------------------------------------------- addressee

_INTRODUCTORY = frozenset(
    "in consistent although to recognizing recognising taking pursuant bearing keeping recalling "
    "with given noting mindful considering acknowledging while whereas where when as following "
    "further furthermore building based having through for under without subject upon on at by "
    "since if unless stressing emphasizing emphasising reaffirming welcoming aware conscious "
    "concerned also moreover additionally within before after during against despite "
    "notwithstanding regarding concerning according".split()
)
"""First words of a clause that comes before the subject ("In implementing ..., States parties")."""
_VERB = re.compile(
    r"(?:should|must|shall|may|might|could|can|will|would|need|are|is|were|was|have|has|"
    r"requested|recommended|decided|agreed|invited|urged|encouraged|called|requests|recommends|"
    r"decides|invites|urges|encourages|calls|adopted|noted|welcomed|stressed|emphasized)\b"
)
_STOP = frozenset(
    "of on to in for with by at from that which who whose when where as through under "
    "against about into within among between".split()
)
_SUBJECT_CHARS = 1000
"""The subject of a recommendation comes early: its first sentence, or this much of it."""
_ACRONYM = re.compile(r"\(([A-Z][A-Za-z]{1,10})\)")


def addressee(text: str) -> str | None:
    """The grammatical subject of a recommendation's main clause, as written ("States", "States
    parties", "The Working Group", "States parties and UNODC"); None if there is none to find."""
    sentence = text[:_SUBJECT_CHARS].split(". ", 1)[0]
    starts = [0] + [m.end() for m in re.finditer(r",[ ]", sentence)]
    first_word = sentence.split(" ", 1)[0].lower()
    for start in starts:
        if start == 0 and (first_word in _INTRODUCTORY or first_word.endswith("ing")):
            continue
        subject = _subject_at(sentence, start, must_precede_verb=start > 0)
        if subject:
            subject = _addressed_by(sentence[start:][len(subject):]) or subject
            return subject[0].upper() + subject[1:]
    return None


_REQUEST = re.compile(
    r"(?:[ ]+(?:on|of|the|for|in|against|and|[A-Z][\w'-]*))*?"  # the rest of the body's name
    r"[ ]+(?:requested|recommended|invited|urged|encouraged|called[ ]upon|requests|recommends|"
    r"invites|urges|encourages|calls[ ]upon)[ ]+(?:to[ ]+|that[ ]+)?"
)
"""A body's request or recommendation: its subject is the author, the one asked to act follows
("requested the Secretariat to", "recommended to the Conference that", "recommended that the
Conference ..."), also after the rest of the author's name ("The Working Group on the Smuggling of
Migrants requested ...")."""


def _addressed_by(after_subject: str) -> str | None:
    """Whom a request or recommendation made by the subject asks to act: the name after the verb
    ("the Secretariat", "UNODC", "the Conference" of "the Conference of the Parties")."""
    verb = _REQUEST.match(after_subject)
    if verb is None:
        return None
    words = after_subject[verb.end():].split(" ")
    head = words[:1] if words[:1] == ["the"] else []
    for word in words[len(head):]:
        bare = word.rstrip(",;:")
        if not bare or not bare[0].isupper() or _VERB.fullmatch(bare):
            break
        head.append(bare)
        if bare != word:
            break
    named = [w for w in head if w != "the"]
    return " ".join(head) if named and len(named) <= 6 else None


def _subject_at(sentence: str, start: int, must_precede_verb: bool) -> str | None:
    """The noun phrase heading the clause at `start`: its capitalised words (or a short lower-case
    phrase after an introductory clause), up to a preposition, a relative pronoun, a comma or the
    verb, plus a coordinated second subject ("States parties and the ... (UNODC)")."""
    rest = sentence[start:]
    words = rest.split(" ")
    head: list[str] = []
    for word in words:
        bare = word.rstrip(",;:")
        if _VERB.fullmatch(bare) or bare.lower() in _STOP or not bare or bare.lower() == "and":
            break
        if head and not (bare[0].isupper() or bare == "parties") and not (must_precede_verb and len(head) < 3):
            break
        head.append(bare)
        if bare != word:
            break
    if not head or len(head) > 6:
        return None
    if head[0][0].islower() and not must_precede_verb:
        return None
    subject = " ".join(head)
    after = rest[len(subject):].lstrip()
    coordinated = re.match(r"and[ ](.+?)[ ](?=" + _VERB.pattern + ")", after)
    if coordinated:
        second = _coordinated_name(coordinated[1])
        if second:
            subject = f"{subject} and {second}"
            after = after[coordinated.end():]
    if must_precede_verb and not _VERB.match(after):
        return None
    if head[0][0].islower() and len(head) > 3:
        return None
    return subject


def _coordinated_name(phrase: str) -> str | None:
    """"the United Nations Office on Drugs and Crime (UNODC)" -> "UNODC"; "the Secretariat" ->
    "the Secretariat"; a phrase with a comma is not a coordinated subject."""
    if "," in phrase:
        return None
    acronym = _ACRONYM.search(phrase)
    if acronym and phrase.rstrip().endswith(")"):
        return acronym[1]
    words = phrase.split()
    if len(words) <= 4 and all(w[0].isupper() or w in ("the", "parties") for w in words):
        return phrase
    return None
