"""Citations of treaty provisions in any English text, in the spirit of eyecite's `get_citations`.

Two steps, like eyecite's find -> resolve:
1. find: spaCy rules mark the parts (`untoc_kg.extract.nlp`): instrument names ("the Smuggling of
   Migrants Protocol", "the Protocol", "this article", unknown conventions, resolutions) by the
   instrument PhraseMatcher, provisions ("articles 16 and 18", "paragraph 1 (a)",
   "subparagraph (a)", "chapter II") by the provision Matcher.
   A treaty's own text is cut at its article headings ("Article 5" alone on a line), which set
   the enclosing article for "this article" (CitationContext.article is the fallback).
2. resolve: neighbouring parts joined by ",", "and", "of" form one phrase; the phrase's
   instrument is the one named after it ("... of the Protocol") or just before it ("the
   Convention, such as article 13"): how = "explicit". A phrase that names none takes the
   instrument last named in the same sentence, else the text's own treaty, else the context's
   Protocol: how = "context".

What is dropped, with a reason (`scan_citations(...).rejected`): provisions of instruments without
a key (another convention, a resolution, a recommendation), "the Protocol" when the context names
no Protocol, paragraphs and chapters with no article or instrument (a report's own paragraphs),
articles beyond the treaty's last article, chapters the treaty does not have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable, Iterable

from spacy.tokens import Doc
from spacy.util import filter_spans

from untoc_kg import reference
from untoc_kg.extract.nlp import (
    DOCUMENT_REF,
    DOCUMENT_REF_LABEL,
    OTHER_INSTRUMENT,
    OTHER_INSTRUMENT_LABEL,
    Tokens,
    article_counts,
    instrument_matcher,
    provision_matcher,
    tokens,
)
from untoc_kg.records import Citation, Span, TreatyKey

PROTOCOLS = ("SOM", "TIP", "FIR")

_SENTENCE_BREAK = re.compile(r"[.!?]\s+(?=\S)")
"""Its match starts with the sentence's last character (a first character to look for is what
makes this fast)."""
_ARTICLE_HEADING = re.compile(
    r"^[ \t]*Article[ \t]+(\d{1,3})[ \t]*(?:[\u2013\u2014-][ \t]*[A-Z][^\n]*)?[ \t]*$", re.MULTILINE
)
_NUMBER = re.compile(r"^(\d{1,3})(?:\(([a-z]|[ivx]{1,4}))?$", re.IGNORECASE)
_ROMAN = re.compile(r"^[ivx]{1,5}$", re.IGNORECASE)

_NOT_INSTRUMENTS = frozenset({"THIS_ARTICLE", DOCUMENT_REF})
"""Names that a provision can belong to ("paragraph 3 of resolution 5/3") but that never own the
provision after them ("in recommendation 5, article 18 ...")."""
_TIGHT = frozenset({"", ","})
_LIST = frozenset({"and", "or", ", and", ", or", "and/or", "as well as", ", as well as"})
_OF = frozenset({"of", ", of", "of the", ", of the"})
_OF_DATED = re.compile(r",? ?of (?:the )?(?:\d{4} )?")
_PREFIX = frozenset(
    {"", ",", "(", "such as", ", such as", "including", ", including", ", in particular",
     "in particular", ", notably", ", especially", ", namely"}
)


@dataclass(frozen=True)
class CitationContext:
    """What the text's bare references mean.

    protocol: what a bare "the Protocol" means (the Protocol of the document's body: "SOM" for
        the Working Group on the Smuggling of Migrants, "TIP" for the one on Trafficking in
        Persons). None: "the Protocol" cannot be resolved and its provisions are rejected.
    treaty: the instrument whose own text this is ("this Protocol", "this Convention").
    article: the article whose text this is ("paragraph 1 of this article").
    """

    protocol: TreatyKey | None = None
    treaty: TreatyKey | None = None
    article: int | None = None


@dataclass(frozen=True)
class Rejected:
    """A provision the rules found but did not emit, and why."""

    text: str
    span: Span
    reason: str


@dataclass(frozen=True)
class CitationScan:
    citations: tuple[Citation, ...]
    rejected: tuple[Rejected, ...]


def find_citations(text: str, context: CitationContext | None = None) -> list[Citation]:
    """The treaty provisions cited in `text`, in order, with spans into `text`."""
    return list(scan_citations(text, context).citations)


def scan_citations(text: str, context: CitationContext | None = None) -> CitationScan:
    """`find_citations` with the provisions that were found but dropped, each with its reason."""
    context = context or CitationContext()
    citations: list[Citation] = []
    rejected: list[Rejected] = []
    if not _has_cue(text):
        return CitationScan((), ())
    for offset, sentence, article in _sentences(text):
        if not _has_cue(sentence):
            continue
        here = context if article is None else replace(context, article=article)
        for found in _scan_sentence(tokens(sentence), here):
            start, end = found.span.start + offset, found.span.end + offset
            moved = replace(found, span=Span(start, end), text=text[start:end])
            (rejected if isinstance(moved, Rejected) else citations).append(moved)
    return CitationScan(tuple(citations), tuple(rejected))


def _has_cue(text: str) -> bool:
    """Whether a text can cite anything: most sentences cannot, and are never tokenised."""
    lowered = text.lower()
    return "article" in lowered or "paragraph" in lowered or "chapter" in lowered


def _sentences(text: str) -> Iterable[tuple[int, str, int | None]]:
    """Sentences with their offsets and the article whose text they are in: the scope of "the
    instrument last named" and the unit the rules run on. A treaty's own text is cut at its
    article headings ("Article 5" alone on a line): the heading is no citation, and "this
    article" after it is article 5."""
    headings = list(_ARTICLE_HEADING.finditer(text)) if "Article" in text else []
    bounds = [(0, len(text), None)] if not headings else [(0, headings[0].start(), None)]
    for heading, following in zip(headings, headings[1:] + [None]):
        bounds.append((heading.end(), following.start() if following else len(text), int(heading[1])))
    for start, end, article in bounds:
        for boundary in _SENTENCE_BREAK.finditer(text, start, end):
            yield start, text[start : boundary.start() + 1], article
            start = boundary.end()
        yield start, text[start:end], article


# find ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Part:
    """An instrument (kind "INSTRUMENT", `id` = key or role) or a provision part (kind = label,
    `values` = its numbers, letters or chapter numerals) over tokens start..end."""

    kind: str
    start: int
    end: int
    id: str = ""
    values: tuple[int | str, ...] = ()
    letter: str | None = None


def _parts(doc: Doc) -> list[_Part]:
    # longest name first, as an EntityRuler picks them
    known = filter_spans(instrument_matcher()(doc, as_spans=True))
    matcher = provision_matcher()
    unknown, provisions = [], []
    for match_id, start, end in matcher(doc):
        label = doc.vocab.strings[match_id]
        if label in (OTHER_INSTRUMENT_LABEL, DOCUMENT_REF_LABEL):
            unknown.append(doc[start:end])
            unknown[-1].label_ = OTHER_INSTRUMENT if label == OTHER_INSTRUMENT_LABEL else DOCUMENT_REF
            continue
        part = _provision(doc, _kind(doc[start].lower_), start, end)
        if part is not None:
            provisions.append(part)
    # known names first: on a tie in length the name the project knows wins
    instruments = [_Part("INSTRUMENT", s.start, s.end, s.label_) for s in filter_spans(known + unknown)]
    taken = {i for p in instruments for i in range(p.start, p.end)}
    provisions = [p for p in provisions if not taken.intersection(range(p.start, p.end))]
    return sorted(instruments + provisions, key=lambda p: p.start)


_KINDS = {
    "article": "ARTICLE", "articles": "ARTICLE", "paragraph": "PARAGRAPH", "paragraphs": "PARAGRAPH",
    "chapter": "CHAPTER", "chapters": "CHAPTER", "subparagraph": "SUBPARAGRAPH",
    "subparagraphs": "SUBPARAGRAPH",
}


def _kind(keyword: str) -> str:
    """ARTICLE, PARAGRAPH, CHAPTER, SUBPARAGRAPH by the part's first word; LETTER for "(a)"."""
    return _KINDS.get(keyword, "LETTER")


def _provision(doc: Doc, kind: str, start: int, end: int) -> _Part | None:
    """Read the numbers or letters of one matched part; the greedy list tail is cut back to
    the last number or letter."""
    words = [t.text for t in doc[start:end]]
    if kind in ("ARTICLE", "PARAGRAPH"):
        numbers, last = _read_list(words, _arabic)
        if not numbers:
            return None  # "article IV": not a numbering these treaties use
        letter = _NUMBER.match(words[last])[2]  # type: ignore[index]  # "1(a" of "1(a)"
        if letter and last + 1 < len(words) and words[last + 1] == ")":
            last += 1
        return _Part(kind, start, start + last + 1, values=tuple(numbers), letter=letter and letter.lower())
    if kind == "CHAPTER":
        numbers, last = _read_list(words, _chapter_number)
        if not numbers:
            return None
        return _Part(kind, start, start + last + 1, values=tuple(_roman(n) for n in numbers))
    letters: list[str] = []
    for i in range(1, len(words) - 1):
        if words[i - 1] == "(" and words[i + 1] == ")":
            if letters and i >= 3 and words[i - 2] == ")":
                letters[-1] += f"({words[i].lower()})"  # "(a) (i)" is item (i) of (a): "a(i)"
            else:
                letters.append(words[i].lower())
    if not letters:
        return None
    last = max(i for i, word in enumerate(words) if word == ")")
    return _Part(kind, start, start + last + 1, values=tuple(letters))


def _read_list(words: list[str], read: Callable[[str], int | None]) -> tuple[list[int], int]:
    """The numbers after the keyword ("articles 16 and 18", "articles 5, 6 and 8", "articles 5
    to 7") and the index of the last word read. A list with commas is a list only when "and" /
    "or" closes it ("article 18, 15 States" is article 18), and it ends with the number after
    that "and"."""
    numbers: list[int] = []
    ends: list[int] = []
    joiner = ""
    for i, word in enumerate(words[1:], start=1):
        value = read(word)
        if value is None:
            joiner = word.lower()
            continue
        if joiner == "to" and numbers and numbers[-1] < value <= numbers[-1] + 50:
            numbers.extend(range(numbers[-1] + 1, value + 1))
        else:
            numbers.append(value)
        ends.append(i)
        if joiner in ("and", "or", "to"):
            return numbers, i
    return numbers[:1], (ends[0] if ends else 0)


def _arabic(word: str) -> int | None:
    number = _NUMBER.match(word)
    return int(number[1]) if number else None


_ROMAN_VALUES = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def _chapter_number(word: str) -> int | None:
    """Chapters are numbered in Roman numerals ("II"); "chapter 2" is read as the same chapter."""
    if word.isdigit():
        return int(word)
    if not _ROMAN.match(word):
        return None
    text, value = word.upper(), 0
    for number, numeral in _ROMAN_VALUES:
        while text.startswith(numeral):
            value, text = value + number, text[len(numeral) :]
    return value if value and _roman(value) == word.upper() else None  # "IIII" is no numeral


def _roman(number: int) -> str:
    out = ""
    for value, numeral in _ROMAN_VALUES:
        while number >= value:
            out, number = out + numeral, number - value
    return out


# resolve ---------------------------------------------------------------------------------------


@dataclass
class _Draft:
    """A provision being read; mutable only inside `_read_phrase`."""

    start: int
    article: int | None = None
    paragraph: int | None = None
    subparagraph: str | None = None
    chapter: str | None = None
    this_article: bool = False


@dataclass(frozen=True)
class _Instrument:
    key: TreatyKey | None
    reason: str = ""


def _scan_sentence(toks: Tokens, context: CitationContext) -> list[Citation | Rejected]:
    doc = toks.doc
    parts = _parts(doc)
    out: list[Citation | Rejected] = []
    last_named: _Instrument | None = None
    i = 0
    while i < len(parts):
        part = parts[i]
        if part.kind == "INSTRUMENT" or part.kind == "LETTER":
            if part.kind == "INSTRUMENT" and part.id not in _NOT_INSTRUMENTS:
                last_named = _instrument(part.id, context)
            i += 1
            continue
        phrase, suffix = _phrase(doc, parts, i)
        end = (suffix or phrase[-1][1]).end
        prefix = _prefix(doc, parts, i) if suffix is None else None
        if suffix is not None:
            named, how = _instrument(suffix.id, context), "explicit"
            last_named = named
        elif prefix is not None:
            named, how = _instrument(prefix.id, context), "explicit"
        elif _owned_by_a_name(doc, end):
            named, how = _Instrument(None, "a provision of an instrument the rules do not know"), "explicit"
        else:
            named, how = None, "context"
        for draft in _read_phrase(phrase):
            start = prefix.start if prefix is not None else draft.start
            out.append(_resolve(draft, named, how, last_named, context, toks.char_span(start, end)))
        i += len(phrase) + (1 if suffix is not None else 0)
    return out


_NOT_NAMES = frozenset({"states", "state", "parties", "member", "members"})


def _owned_by_a_name(doc: Doc, end: int) -> bool:
    """Whether the phrase ending at token `end` is followed by "of (the) <Capitalised name>"
    that is no known instrument ("article 4 of the Programme of Action"): such a provision
    belongs to that document, not to the context's treaty."""
    words = doc[end : end + 3]
    if not len(words) or words[0].lower_ != "of":
        return False
    name = words[2] if len(words) > 2 and words[1].lower_ == "the" else words[1] if len(words) > 1 else None
    return name is not None and name.text[:1].isupper() and name.lower_ not in _NOT_NAMES


def _gap(doc: Doc, left: _Part, right: _Part) -> str:
    return " ".join(t.lower_ for t in doc[left.end : right.start])


def _names_instrument(gap: str) -> bool:
    """Whether the words between a provision and an instrument make the instrument the
    provision's: "of", "of the", "of the 1951" (a year before the name)."""
    return gap in _OF or _OF_DATED.fullmatch(gap + " ") is not None


def _phrase(doc: Doc, parts: list[_Part], first: int) -> tuple[list[tuple[str, _Part]], _Part | None]:
    """The provision parts joined to parts[first], each with the words before it, and the
    instrument named after them ("of the Protocol"), if any."""
    phrase = [("", parts[first])]
    for part in parts[first + 1 :]:
        gap = _gap(doc, phrase[-1][1], part)
        if part.kind == "INSTRUMENT":
            if _names_instrument(gap) and part.id == "THIS_ARTICLE":
                phrase.append((gap, part))  # "this article" ends the phrase: nothing is above it
                return phrase, None
            return phrase, (part if _names_instrument(gap) else None)
        if part.kind == "LETTER" and not (
            gap == "" or (gap in _LIST and doc[phrase[-1][1].end - 1].text == ")")
        ):
            break
        if gap not in _TIGHT | _LIST | _OF:
            break
        phrase.append((gap, part))
    return phrase, None


def _prefix(doc: Doc, parts: list[_Part], first: int) -> _Part | None:
    """The instrument named just before a phrase: "the Convention on International Civil
    Aviation, article 45", "the Convention, such as article 13"."""
    if first == 0 or parts[first - 1].kind != "INSTRUMENT" or parts[first - 1].id in _NOT_INSTRUMENTS:
        return None
    before = parts[first - 1]
    return before if _gap(doc, before, parts[first]) in _PREFIX else None


def _read_phrase(phrase: list[tuple[str, _Part]]) -> list[_Draft]:
    """The provisions a phrase cites: descending ("article 6, paragraph 1 (a)"), ascending
    ("subparagraph (a) of paragraph 2 of this article") and lists ("articles 16 and 18",
    "article 5 and article 6, paragraph 4")."""
    done: list[_Draft] = []
    current: list[_Draft] = []

    def start(drafts: list[_Draft]) -> None:
        done.extend(current)
        current[:] = drafts

    for gap, part in phrase:
        last = current[-1] if current else None
        if part.kind == "ARTICLE":
            if gap in _OF and current and all(d.article is None and d.chapter is None for d in current):
                for d in current:
                    d.article = part.values[0]
            else:
                start([_Draft(part.start, article=n) for n in part.values])
                if part.letter and len(current) == 1:
                    current[0].subparagraph = part.letter
        elif part.kind == "PARAGRAPH":
            if gap in _TIGHT and last and last.article is not None and last.paragraph is None:
                current.pop()
                current.extend(replace(last, paragraph=n) for n in part.values)
            elif gap in _OF and current and all(
                d.subparagraph and d.paragraph is None and d.article is None for d in current
            ):
                for d in current:
                    d.paragraph = part.values[0]
            elif gap in _LIST and last and last.article is not None and last.paragraph is not None:
                start([replace(last, paragraph=n, subparagraph=None) for n in part.values])
            else:
                start([_Draft(part.start, paragraph=n) for n in part.values])
            if part.letter and len(part.values) == 1 and current:
                current[-1].subparagraph = part.letter
        elif part.kind == "LETTER" and gap == "" and last and last.subparagraph is not None:
            last.subparagraph += f"({part.values[0]})"  # "(a) (i)" is item (i) of (a): "a(i)"
        elif part.kind in ("SUBPARAGRAPH", "LETTER"):
            if gap in _TIGHT and last and last.subparagraph is None and (
                last.paragraph is not None or last.article is not None
            ):
                current.pop()
                current.extend(replace(last, subparagraph=x) for x in part.values)
            elif gap in _LIST and last and last.subparagraph is not None:
                start([replace(last, subparagraph=x) for x in part.values])
            else:
                start([_Draft(part.start, subparagraph=x) for x in part.values])
        elif part.kind == "CHAPTER":
            start([_Draft(part.start, chapter=c) for c in part.values])
        elif part.id == "THIS_ARTICLE":
            for d in current:
                if d.article is None and d.chapter is None:
                    d.this_article = True
    return done + current


def _instrument(entity_id: str, context: CitationContext) -> _Instrument:
    if entity_id == "PROTOCOL":
        key = context.protocol or (context.treaty if context.treaty in PROTOCOLS else None)
        return _Instrument(key, "" if key else '"the Protocol" with no Protocol in the context')
    if entity_id == "THIS_PROTOCOL":
        key = context.treaty or context.protocol
        return _Instrument(key, "" if key else '"this Protocol" with no treaty in the context')
    if entity_id == "THIS_CONVENTION":
        key = context.treaty
        return _Instrument(key, "" if key else '"this Convention" with no treaty in the context')
    if entity_id == "PROTOCOLS":
        return _Instrument(None, '"the Protocols" names no one Protocol')
    if entity_id == OTHER_INSTRUMENT:
        return _Instrument(None, "a provision of an instrument other than the Convention, its Protocols and the VCCR")
    if entity_id == DOCUMENT_REF:
        return _Instrument(None, "a paragraph of a resolution, decision or recommendation, not a treaty")
    if entity_id == "NATIONAL_LAW":
        return _Instrument(None, "an article of a national constitution or code, not a treaty")
    return _Instrument(entity_id)


def _resolve(
    draft: _Draft,
    named: _Instrument | None,
    how: str,
    last_named: _Instrument | None,
    context: CitationContext,
    span: tuple[int, int],
) -> Citation | Rejected:
    where = Span(*span)
    article = draft.article
    if draft.this_article:
        if context.article is None:
            return Rejected("", where, '"this article" with no article in the context')
        article, how = context.article, "explicit"
        named = named or _Instrument(context.treaty or context.protocol, "no treaty in the context")
    if named is None:
        if article is None and draft.chapter is None and context.article is not None:
            article = context.article  # "paragraph 3" inside an article's own text
            named = _Instrument(context.treaty or context.protocol, "no treaty in the context")
        elif article is None:
            what = "a chapter" if draft.chapter else "a paragraph"
            return Rejected("", where, f"{what} with no article or instrument named (the document's own?)")
        else:
            named = last_named or _Instrument(
                context.treaty or context.protocol, "an article with no instrument named or in the context"
            )
    if named.key is None:
        return Rejected("", where, named.reason)
    if article is None and draft.chapter is None:
        return Rejected("", where, "a paragraph with no article")
    problem = _invalid(named.key, article, draft.chapter)
    if problem:
        return Rejected("", where, problem)
    return Citation(
        treaty=named.key,
        article=article,
        paragraph=draft.paragraph,
        subparagraph=draft.subparagraph,
        chapter=draft.chapter,
        how=how,  # type: ignore[arg-type]
        span=where,
    )


def _invalid(treaty: str, article: int | None, chapter: str | None) -> str | None:
    """Why a provision cannot exist in the treaty, or None."""
    count = article_counts().get(treaty)
    if article is not None and count is not None and not 1 <= article <= count:
        return f"{treaty} has {count} articles, not {article}"
    if chapter is not None:
        numbers = {c.number for c in reference.chapters() if c.treaty == treaty}
        if chapter not in numbers:
            return f"{treaty} has no chapter {chapter}"
    return None
