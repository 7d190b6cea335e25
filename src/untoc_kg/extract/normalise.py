"""Raw report text -> normalised text: one block per line.

THE TEXT CONTRACT (every later extractor relies on it, and every span in the records points into
this text):

- Every block is exactly one line: a heading ("II. Recommendations", "A. Smuggling of migrants by
  sea", "Recommendation 1", "Annex"), a numbered paragraph ("5. States should ..."), a lettered or
  roman sub-item ("(a) ..."), an agenda item ("1. Organizational matters:"), or another block of
  text (header lines, titles, table rows). Lines are separated by a single "\\n"; there are no blank
  lines, and whitespace inside a line is folded to single spaces.
- Quotes are straight ASCII (' and "); in a copy that lost all its apostrophes, those of French
  elisions and possessives are put back ("Côte d'Ivoire"); ligatures, non-breaking and other unicode spaces, soft
  hyphens and zero-width characters are gone; dashes other than the hyphen are kept as printed.
- Page furniture is gone: UN job numbers ("V.13-88543 (E) 021113 031113"), barcodes
  ("*1388543*"), page numbers, repeated running headers.
- Markdown is reduced to its text: links to their text, emphasis to the words, list bullets and
  heading hashes dropped.
- A web copy with unrelated text around the report is cut to the report: from its header (the
  lines around "Distr.:", or the title) to the end of its last numbered paragraph or its annex.

How blocks are found: a line that starts with a marker that continues the document's numbering
(paragraph N+1, sub-item after the previous letter, heading after the previous heading, or a
restart at 1 / (a) / I. / A.) starts a block. Lines of a hard-wrapped (PDF) text are otherwise
joined; a blank line separates blocks unless the sentence visibly continues (the next line starts
in lower case, or the previous one ends in a comma or a function word). In a line that runs many
paragraphs together (web copies), a marker inside the line starts a block only if it continues the
numbering and stands where a block can start (after ".", ";" or ":"; headings also when their title
is followed directly by the next marker). Everything here is linear-time regex work.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise

PAGE_BREAK = "\f"

# ---------------------------------------------------------------- characters

_QUOTES = {c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u02bc"} | {
    c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"
}
_SPACES = {c: " " for c in "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
           "\u2009\u200a\u202f\u205f\u3000\t\v"}
_INVISIBLE = {c: None for c in "\u00ad\u200b\u200c\u200d\u2060\ufeff"}
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
              "\ufb05": "st", "\ufb06": "st"}
_HYPHENS = {"\u2010": "-", "\u2011": "-"}
_LINES = {"\u2028": "\n", "\u2029": "\n", "\u0085": "\n"}
_CHAR_MAP = str.maketrans(_QUOTES | _SPACES | _INVISIBLE | _LIGATURES | _HYPHENS | _LINES)
_SPECIAL_CHAR = re.compile("[" + re.escape("".join(_QUOTES | _SPACES | _INVISIBLE | _LIGATURES | _HYPHENS | _LINES)) + "]+")

# ---------------------------------------------------------------- markdown and page furniture

_MD_LINK = re.compile(r"\[([^\]\n]{0,300})\]\([^)\n]{0,300}\)")
# Patterns tried over a whole text open with a literal character (here "*" or "\n", not "^" or
# "\*{1,3}"): the regex engine then skips to that character instead of trying every position.
_MD_EMPHASIS = re.compile(r"(\*\*\*|\*\*|\*)(?=[^\s*])([^*\n]{0,300}?[^\s*])\1(?![\w*])")
_MD_LINE_START = re.compile(r"\n[ ]*(?:#{1,6}|[-*+\u2022\u00b7])[ ]+")
"""A heading's hashes or a list bullet, after the line break before it."""

_JOB_NUMBER = (
    r"(?:[A-Z]{1,2}\.\d{2}-\d{5}(?:[ ]*\([A-Z]\))?|\b\d{2}-\d{5}[ ]*\([A-Z]\))"
    r"(?:[ ]+\d{6}){0,2}(?:[ ]*\*\d{5,9}\*)?"
)
_FOOTER = re.compile(
    r"(?=[\dA-Z][\dA-Z. ]*?\d-\d{5})"  # where a job number follows: spares the rest elsewhere
    + r"(?:(?P<page>\d{1,3})[ ]+)?"  # a page number printed before it
    + r"\b" + _JOB_NUMBER
    + r"(?:[ ]+\d{1,3}\b(?![.\d]))?"  # a page number printed after it
)
_PRINTED_JOB_NUMBER = re.compile(r"\b[A-Z]{1,2}\.\d{2}-\d{5}(?:[ ]*\([A-Z]\))?")


def find_job_number(raw: str) -> str | None:
    """The UN job number a document prints on its first page ("GE.14-23930 (E)",
    "V.20-04871 (E)"), as printed; read from the raw text, as normalising removes it."""
    match = _PRINTED_JOB_NUMBER.search(raw)
    return " ".join(match[0].split()) if match else None


_JOB_NUMBER_CORE = re.compile(r"-(?<=\d{2}-)\d{5}")
"""NN-NNNNN, looked for from its hyphen."""
_BARCODE = re.compile(r"\*\d{6,9}\*")
# No two runs of spaces meet without a character between them: "[ ]*-?[ ]*" would try every
# split of a long run of spaces (a deeply indented line took time quadratic in its length).
_PAGE_NUMBER_LINE = re.compile(
    r"\n[ ]*(?:Page[ ]+)?(?:-[ ]*)?\d{1,3}[ ]*(?:-[ ]*)?(?=\n|\Z)", re.IGNORECASE
)
"""A line that is only a page number, after the line break before it."""
_SYMBOL_LINE = re.compile(r"[A-Z][A-Za-z]{0,9}(?:/[A-Za-z0-9.\-]+){2,}")

# ---------------------------------------------------------------- block markers

_ROMAN = r"[IVXL]{1,6}"
_MARKER = re.compile(
    r"(?:(?P<dec>\d{1,3}\.\d{1,3})\.?|(?P<para>\d{1,3})\.|\((?P<item>[a-z]{1,4})\)|(?P<roman>" + _ROMAN + r")\.|(?P<capital>[A-Z])\."
    r"|(?P<rec>Recommendation)[ ](?P<recno>\d{1,3}))(?=[ ]|$)"
)
"""A block marker at the position where it is tried."""
_INLINE_CANDIDATE = re.compile(r" (?:\d{1,3}\.\d{1,3}\.?|\d{1,3}\.|\([a-z]{1,4}\)|[A-Z]{1,6}\.|Recommendation \d{1,3})(?= |$)")
"""A space before something that may be a block marker (checked by `_MARKER`)."""
_ANNEX = re.compile(r"^Annex(?:es)?(?:[ ]+[IVXL]{1,6})?\b")
_ENDS_SENTENCE = re.compile(r"[.;:!?][\"')\]]*$")
_PUNCT_BEFORE = re.compile(r"[.;:!?][\"')\]]*[ ]+$")
_FUNCTION_WORDS = frozenset(
    "a an and the of to in on for with by at from or as that which who whose whom into onto upon "
    "between among under over than nor its their his her our your this these those such against "
    "about within without through toward towards across including concerning regarding".split()
)
_COMPOUND_PREFIXES = frozenset("multi cross non well self anti ex post semi vice quasi".split())
"""A word broken after one of these at a line end keeps its hyphen ("multi-agency")."""
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")


def normalise_text(raw: str) -> str:
    """Raw report text (any of the forms the module docstring lists) -> normalised text."""
    text = _drop_footnotes(_clean_characters(raw))
    text = _strip_markdown(text)
    if "*" in text:
        text = _FOOTNOTE_MARK.sub("", text)
    text = _strip_page_furniture(text)
    lines = _drop_running_headers(_drop_contents(text.split("\n")))
    vocabulary = _Vocabulary(text)
    blocks = _assemble_blocks(lines, vocabulary)
    blocks = _crop_to_report(blocks)
    return _restore_lost_apostrophes("\n".join(_split_header(b.text) if b.header else b.text for b in blocks))


_ELISION = re.compile(r"\b([dlDL]) (?=[AEIOUY\u00c9][a-z\u00e0-\u00ff])")
_POSSESSIVE = re.compile(r"(?<=[A-Za-z]) s(?= [A-Za-z])")


def _restore_lost_apostrophes(text: str) -> str:
    """Some web copies drop every apostrophe ("Côte d Ivoire", "People s Republic"). Only in a
    text with no apostrophe at all is a lone "d"/"l" before a vowel, or a lone "s" after a word,
    the trace of one."""
    if "'" in text:
        return text
    return _POSSESSIVE.sub("'s", _ELISION.sub(r"\1'", text))


_PRIVATE_USE_BARCODE = re.compile(r"[ ]*[\ue000-\uf8ff]{4,}[ ]*(?=\n|$)")
"""A barcode set in a symbol font: a PDF reader gives its glyphs as private-use characters."""


def _clean_characters(raw: str) -> str:
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    if re.search("[\ue000-\uf8ff]", text):
        text = _PRIVATE_USE_BARCODE.sub(PAGE_BREAK, text)
    return _SPECIAL_CHAR.sub(lambda m: m[0].translate(_CHAR_MAP), text)


def _strip_markdown(text: str) -> str:
    if "[" in text:
        text = _MD_LINK.sub(r"\1", text)
    if "*" in text:
        text = _BARCODE.sub(PAGE_BREAK, text)  # before emphasis: "*1388543*" is a barcode, not markup
        text = _MD_EMPHASIS.sub(_unemphasise, text)
    return _MD_LINE_START.sub("\n", "\n" + text)[1:]


def _unemphasise(match: re.Match[str]) -> str:
    before = match.string[match.start() - 1] if match.start() else " "
    return match[0] if before.isalnum() or before in "*_" else match[2]


_FOOTNOTE_START = re.compile(r"[ ]*(?:\*{1,3}|\d{1,2}(?=[ ]+[A-Z]))(?:[ ]+\S.*)?")
"""The first line of a footnote: its mark ("*", "**", "1") alone or before its text."""
_PAGE_END = re.compile(
    r"[ ]*(?:Page[ ]+)?\d{1,3}[ ]*$|.*" + PAGE_BREAK + r".*|.*\b[A-Z]{1,2}\.\d{2}-\d{5}\b.*|.*\b\d{2}-\d{5}[ ]*\([A-Z]\).*"
    r"|[ ]*\*\d{6,9}\*[ ]*|[ ]*[\ue000-\uf8ff]{4,}[ ]*"
)
"""A line that ends a printed page: a page number alone, a form feed, a job-number footer."""
_FOOTNOTE_LINES = 10
_FOOTNOTE_MARK = re.compile(r"(?<=[A-Za-z)])\*{1,3}(?=[ ]|$)", re.MULTILINE)
"""A footnote's mark after a word ("Review*", "recommendations**"), once Markdown is gone."""


def _drop_footnotes(text: str) -> str:
    """A footnote at the foot of a page (after a blank line, its mark then its text, up to the
    page's footer) is not the report's text: it goes, wherever it falls (between a heading and
    its paragraph, inside a recommendation or a list). The page footer itself stays."""
    if PAGE_BREAK not in text and "*" not in text:
        return text
    lines = text.split("\n")
    dropped: set[int] = set()
    for index, line in enumerate(lines):
        if index == 0 or lines[index - 1].strip() or not _FOOTNOTE_START.fullmatch(line):
            continue
        if not line.strip().startswith("*") and not _indented_less(lines, index):
            continue  # a number at a line start is a footnote only where it stands apart
        end = next(
            (i for i in range(index + 1, min(len(lines), index + _FOOTNOTE_LINES))
             if _PAGE_END.fullmatch(lines[i])),
            None,
        )
        if end is not None and not any(_MARKER.match(lines[i].strip()) and "*" not in lines[i] for i in range(index + 1, end)):
            dropped.update(range(index, end))
    return "\n".join(line for i, line in enumerate(lines) if i not in dropped)


def _indented_less(lines: list[str], index: int) -> bool:
    """A footnote's number stands left of the text column above it."""
    above = next((l for l in reversed(lines[max(0, index - 6):index]) if l.strip()), "")
    indent = len(lines[index]) - len(lines[index].lstrip())
    return bool(above) and indent < len(above) - len(above.lstrip())


def _strip_page_furniture(text: str) -> str:
    if _JOB_NUMBER_CORE.search(text):
        # A footer is on one line with a job number: only those lines meet the costlier pattern.
        text = "\n".join(
            _FOOTER.sub(_page_break, line) if _JOB_NUMBER_CORE.search(line) else line
            for line in text.split("\n")
        )
    return _PAGE_NUMBER_LINE.sub("\n" + PAGE_BREAK, "\n" + text)[1:]


def _page_break(footer: re.Match[str]) -> str:
    """A footer becomes a page break; the number before it goes too if it stands where a page
    number stands (line start or after punctuation), not inside a sentence ("article 5")."""
    if footer["page"]:
        before = footer.string[max(0, footer.start() - 2):footer.start()]
        if before and not (before.endswith("\n") or re.fullmatch(r"[.,;:!?)\"'] ", before)):
            return footer["page"] + "\n" + PAGE_BREAK + "\n"
    return "\n" + PAGE_BREAK + "\n"


_LEADER_ROW = re.compile(r"(?:\.[ ]?){4,}[ ]*(?:\d{1,3}(?:[ ]*[-–][ ]*\d{1,3})?[ ]*){1,2}$")
"""A contents row: dot leaders, then paragraph numbers and/or a page number."""
_CONTENTS_TITLE = re.compile(r"^[ ]*Contents\b", re.IGNORECASE)
_CONTENTS_GAP = 3
"""Rows of one contents table are at most this many lines apart (a wrapped title, "Annex")."""


def _drop_contents(lines: list[str]) -> list[str]:
    """A table of contents is not the report's structure: its rows (dot leaders and page
    numbers), the lines between them and its "Contents" title line go."""
    rows = [i for i, line in enumerate(lines) if "...." in line and _LEADER_ROW.search(line.rstrip())]
    if len(rows) < 2:
        return lines
    dropped: set[int] = set()
    chain = [rows[0]]
    for row in rows[1:] + [None]:
        if row is not None and row - chain[-1] <= _CONTENTS_GAP:
            chain.append(row)
            continue
        if len(chain) >= 2:
            first = chain[0]
            title = next((i for i in range(first - 1, max(-1, first - 4), -1) if _CONTENTS_TITLE.match(lines[i])), first)
            dropped.update(range(title, chain[-1] + 1))
        chain = [row] if row is not None else []
    return [PAGE_BREAK if i in dropped else line for i, line in enumerate(lines)]


def _drop_running_headers(lines: list[str]) -> list[str]:
    """A line that is only a document symbol and recurs is a running header: keep the first."""
    symbol_lines = Counter(
        line.strip() for line in lines if _SYMBOL_LINE.fullmatch(line.strip())
    )
    seen: set[str] = set()
    kept: list[str] = []
    for line in lines:
        key = line.strip()
        if symbol_lines.get(key, 0) > 1:
            at_page_top = PAGE_BREAK in line or _after_page_break(kept)
            if key in seen or at_page_top:
                kept.append(PAGE_BREAK)
                continue
            seen.add(key)
        kept.append(line)
    return kept


def _after_page_break(kept: list[str]) -> bool:
    """Whether the last non-blank line kept so far is a page break."""
    for line in reversed(kept):
        if line.strip():
            return False
        if PAGE_BREAK in line:
            return True
    return False


@dataclass(frozen=True)
class _Vocabulary:
    """Words of the text, to decide whether "multi-\\nagency" is a compound or a broken word."""

    text: str

    @cached_property
    def words(self) -> frozenset[str]:
        """Computed on the first broken word only: most texts have none."""
        return frozenset(w.lower() for w in _WORD.findall(self.text))

    def keeps_hyphen(self, left: str, right: str) -> bool:
        """Whether the hyphen ending `left` at a line end belongs to the word continued by the next
        line `right` ("multi-" "agency") or only broke it ("estab-" "lishing")."""
        stem = re.search(r"([A-Za-z]+)-$", left)
        head = re.match(r"[A-Za-z]+", right)
        if not stem or not head or not right[0].islower():
            return True  # "COVID-" + "19", "non-" + "EU"
        compound = f"{stem[1]}-{head[0]}".lower()
        joined = f"{stem[1]}{head[0]}".lower()
        return compound in self.words or (joined not in self.words and stem[1].lower() in _COMPOUND_PREFIXES)


# ---------------------------------------------------------------- numbering

def _roman_value(roman: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50}
    total = 0
    for i, char in enumerate(roman):
        value = values[char]
        total += -value if i + 1 < len(roman) and values[roman[i + 1]] > value else value
    return total


_ROMAN_ITEMS = ("i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix xx").split()


@dataclass
class _Numbering:
    """The numbering seen so far, to tell a block marker from a number inside a sentence."""

    paragraph: int = 0
    listed: int = 0
    """Last number of a list inside a paragraph (an agenda) or numbered per section."""
    letter: str = ""
    roman_item: str = ""
    chapter: int = 0
    section: str = ""
    recommendation: int = 0
    decimal: int = 0
    """Last item of a list numbered inside the current paragraph ("115.3": 3)."""
    subheading: int = 0
    """Last numbered sub-heading of the section ("2. Criminalization" between paragraphs 4 and 5):
    their numbers run on across the paragraphs under them, until the next heading."""

    def accepts(self, marker: re.Match[str], after_subheading: bool = False) -> bool:
        """`after_subheading`: the block before is a numbered sub-heading, whose number the
        paragraph under it may repeat ("2. Jurisdiction" then "2. States should ...")."""
        if marker["dec"]:
            head, tail = (int(part) for part in marker["dec"].split("."))
            return head == self.paragraph and tail in (self.decimal + 1, 1)
        if marker["para"]:
            n = int(marker["para"])
            repeats = after_subheading and n in (self.paragraph, self.listed)
            return repeats or n in (self.paragraph + 1, self.listed + 1, 1) or (
                n == self.subheading + 1 and self.subheading > 0
            )
        if marker["item"]:
            item = marker["item"]
            return item in ("a", "i") or item == _next_letter(self.letter) or item == _next_roman_item(self.roman_item)
        if marker["roman"]:
            return self.chapter == 0 or _roman_value(marker["roman"]) in (1, self.chapter + 1)
        if marker["capital"]:
            return marker["capital"] in ("A", _next_letter(self.section.lower()).upper())
        return int(marker["recno"]) in (1, self.recommendation + 1)

    def take(self, marker: re.Match[str]) -> str:
        """Record an accepted marker; returns its kind."""
        if marker["dec"]:
            self.decimal = int(marker["dec"].split(".")[1])
            self.letter = self.roman_item = ""
            return "para"
        if marker["para"]:
            n = int(marker["para"])
            if n == self.paragraph + 1:
                self.paragraph, self.listed, self.decimal = n, 0, 0
            elif n != self.paragraph:
                self.listed = n
                if n in (1, self.subheading + 1):
                    self.subheading = n
            self.letter = self.roman_item = ""
            return "para"
        if marker["item"]:
            item = marker["item"]
            if item == _next_roman_item(self.roman_item) and not (item == _next_letter(self.letter) and item != "i"):
                self.roman_item = item
            else:
                self.letter = item
            return "item"
        if marker["roman"]:
            self.chapter = _roman_value(marker["roman"])
            self.section, self.listed, self.letter, self.subheading = "", 0, "", 0
            return "heading"
        if marker["capital"]:
            self.section, self.listed, self.letter, self.subheading = marker["capital"], 0, "", 0
            return "heading"
        self.recommendation = int(marker["recno"])
        return "recommendation"


def _next_letter(letter: str) -> str:
    return chr(ord(letter) + 1) if letter and letter < "z" else "a"


def _next_roman_item(item: str) -> str:
    if item in _ROMAN_ITEMS[:-1]:
        return _ROMAN_ITEMS[_ROMAN_ITEMS.index(item) + 1]
    return "i"


# ---------------------------------------------------------------- blocks

_GLUE = "\x00"
"""Put before a part that continues the previous one without a space (a word broken at a line end)."""


@dataclass
class _Block:
    parts: list[str] = field(default_factory=list)
    kind: str = "text"
    """"para", "item", "heading", "recommendation", "annex" or "text"."""
    header: bool = False

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).replace(" " + _GLUE, "").split())


@dataclass
class _Piece:
    text: str
    kind: str | None
    """The marker kind when the piece starts with an accepted marker, else None."""
    first_in_line: bool


def _assemble_blocks(lines: list[str], vocabulary: _Vocabulary) -> list[_Block]:
    wrapped = _is_hard_wrapped(lines)
    numbering = _Numbering()
    blocks: list[_Block] = []
    gap = "start"  # what separates the next line from the previous block: "line", "blank", "page"
    for raw_line in lines:
        line = " ".join(raw_line.split())
        if not line:
            if PAGE_BREAK in raw_line:
                gap = "page" if gap != "start" else gap
            elif gap == "line":
                gap = "blank"
            continue
        for piece in _split_line(line, numbering, blocks[-1].parts[-1] if blocks else ""):
            if piece.kind is not None or gap == "start" or not blocks:
                blocks.append(_Block([piece.text], piece.kind or "text"))
            elif not piece.first_in_line:
                blocks.append(_Block([piece.text]))
            elif _continues(blocks[-1], piece.text, gap, wrapped):
                _append(blocks[-1], piece.text, vocabulary)
            else:
                blocks.append(_Block([piece.text], "annex" if _ANNEX.match(piece.text) else "text"))
            gap = "line"
    return blocks


def _append(block: _Block, text: str, vocabulary: _Vocabulary) -> None:
    last = block.parts[-1]
    if last[-1:] == "-" and last[-2:-1].isalpha() and text[:1].isalpha():
        if not vocabulary.keeps_hyphen(_tail(block.parts), text):
            block.parts[-1] = last[:-1]
        block.parts.append(_GLUE + text)
    else:
        block.parts.append(text)


def _tail(parts: list[str], length: int = 40) -> str:
    """The last characters of a block, across parts glued without a space."""
    tail = ""
    for part in reversed(parts):
        if part.startswith(_GLUE):
            tail = part[1:] + tail
        else:
            tail = part + tail
            break
        if len(tail) > length:
            break
    return tail[-length:]


def _continues(block: _Block, line: str, gap: str, wrapped: bool) -> bool:
    """Whether `line` (no marker at its start) continues the previous block."""
    if _ANNEX.match(line) and (gap != "line" or wrapped):
        return False
    if block.kind in ("para", "item") and len(block.parts) == 1 and _MARKER.fullmatch(block.parts[0]):
        return True  # a label printed alone on its line ("4."): its text is on the lines after it
    if block.kind == "recommendation" or (block.kind == "heading" and gap == "page" and line[:1].isupper()):
        return False  # a heading at a page's foot: its text opens the next page
    previous = block.parts[-1].rstrip()
    if line[:1].islower() or previous.endswith((",", "-")):
        return True
    last_word = previous.rsplit(" ", 1)[-1].lower()
    if last_word in _FUNCTION_WORDS:
        return True
    if gap == "line" and wrapped:
        return True
    if gap == "page":
        if block.kind == "text" and len(block.parts) == 1 and len(previous) <= _MAX_TITLE_LINE:
            return False  # a title line ("Slovenia") before the page's first heading
        return not _ends_sentence(previous)
    return False


_MAX_TITLE_LINE = 80


def _ends_sentence(text: str) -> bool:
    """Whether `text` ends a sentence or list item (looking at its end only)."""
    return _ENDS_SENTENCE.search(text[-8:].rstrip()) is not None


_LONGEST_PRINTED_LINE = 400
"""No printed line (a PDF's, a layout text's with its indentation folded) is this long."""
_SHORTEST_WRAPPED_LINE = 40


def _is_hard_wrapped(lines: list[str]) -> bool:
    """A PDF extraction breaks sentences at line ends; a clean text keeps a block on one line.
    Any line longer than a printed line can be shows a text that is not wrapped; short lines
    (header pieces, titles) say nothing either way."""
    pairs = wraps = 0
    for line, following in pairwise(lines):
        line, following = line.strip(), following.strip()
        if len(line) > _LONGEST_PRINTED_LINE:
            return False
        if not line or not following or PAGE_BREAK in line or PAGE_BREAK in following:
            continue
        if len(line) < _SHORTEST_WRAPPED_LINE:
            continue
        pairs += 1
        if not _ends_sentence(line) and not _MARKER.match(following):
            wraps += 1
    return pairs >= 5 and wraps / pairs >= 0.5


def _split_line(line: str, numbering: _Numbering, previous_block: str = "") -> list[_Piece]:
    """Cut one line at the block markers it holds; update the numbering. `previous_block` is the
    text of the block before the line."""
    pieces: list[_Piece] = []
    start, kind = 0, None
    candidates = [0] + [m.start() + 1 for m in _INLINE_CANDIDATE.finditer(line)]
    title_end = -1  # where the title of a heading just cut ends: the next block starts there
    for index, position in enumerate(candidates):
        marker = _MARKER.match(line, position)
        if marker is None:
            continue
        before = previous_block[-_MAX_SUBHEADING - 1:] if position == 0 else (
            line[start:position] if position - start <= _MAX_SUBHEADING else ""
        )
        after_subheading = marker["para"] is not None and (
            _is_numbered_subheading(before)
            or (position > 0 and start == 0 and not pieces and _is_unnumbered_heading(before))
        )
        if not numbering.accepts(marker, after_subheading):
            continue
        if position == 0:
            if not _can_start_line(line, marker):
                continue
        elif position != title_end and not _can_start_inline(line, position, marker, after_subheading):
            continue
        if marker["roman"] or marker["capital"]:
            title_end = _heading_title_end(line, marker, candidates, index + 1, numbering)
            if position and title_end < 0:
                continue
        pieces.append(_Piece(line[start:position].strip(), kind, start == 0))
        kind = numbering.take(marker)
        start = position
        if kind == "recommendation" and line[marker.end():].strip():
            # "Recommendation 3 States parties should ..." -> the heading, then its text
            pieces.append(_Piece(line[start:marker.end()], kind, False))
            kind, start = None, marker.end()
    pieces.append(_Piece(line[start:].strip(), kind, start == 0))
    return [piece for piece in pieces if piece.text]


def _can_start_line(line: str, marker: re.Match[str]) -> bool:
    rest = line[marker.end():].strip()
    if marker["recno"]:
        return not rest or rest[0].isupper()  # "Recommendation 11 of ..." is a reference
    if marker["roman"] or marker["capital"]:
        return bool(rest) and (rest[0].isupper() or rest[0].isdigit())
    return not rest or rest[0] not in ",;.:)"  # "(a), of the Protocol" continues a sentence


def _can_start_inline(line: str, position: int, marker: re.Match[str], after_subheading: bool) -> bool:
    """A marker inside a line starts a block when a capitalised text follows it and, for a
    paragraph or sub-item, a sentence or list item ended just before it, or the block before is a
    numbered sub-heading ("1. Criminalization 1. States parties ..."). Headings are further checked
    by `_heading_title_end`."""
    after = line[marker.end():marker.end() + 2].lstrip()
    if not after or not (after[0].isupper() or after[0] in "(\"'"):
        return False
    if marker["para"] or marker["item"] or marker["dec"]:
        return after_subheading or bool(_PUNCT_BEFORE.search(line, max(0, position - 12), position))
    return True


_NUMBERED_SUBHEADING = re.compile(r"\d{1,3}\.[ ][A-Z][^.;:!?]{0,80}")


_FINITE_VERBS = frozenset("should must may shall will would could can are is was were has have had".split())


_MAX_SUBHEADING = 100


_UNNUMBERED_HEADING = re.compile(r"[A-Z][a-z]+(?:[ ](?:[A-Z][a-z]+|of|and|the|to))*")


def _is_unnumbered_heading(text: str) -> bool:
    """"Introduction", "Annex", "Opening of the meeting": a short title the line starts with,
    before the paragraph it heads (a flattened text runs them on)."""
    text = text.strip()
    return len(text.split()) <= 6 and _UNNUMBERED_HEADING.fullmatch(text) is not None and not _FINITE_VERBS.intersection(
        w.lower() for w in text.split()
    )


def _is_numbered_subheading(block: str) -> bool:
    """"2. Jurisdiction": a short numbered title without a sentence's end or verb."""
    if len(block) > _MAX_SUBHEADING:
        return False
    block = block.strip()
    words = block.split()
    return (
        len(words) <= 10
        and _NUMBERED_SUBHEADING.fullmatch(block) is not None
        and not _FINITE_VERBS.intersection(w.lower() for w in words)
    )


def _heading_title_end(
    line: str, marker: re.Match[str], candidates: list[int], first: int, numbering: _Numbering
) -> int:
    """Where a heading's title ends: at the next marker (from `candidates[first]` on) that can
    open the heading's first block, with no sentence punctuation in between; -1 if there is none.
    Titles are at most `_MAX_TITLE` characters long, which bounds the work per heading."""
    for next_position in candidates[first:first + _MAX_TITLE]:
        title = line[marker.end():next_position]
        if len(title) > _MAX_TITLE or re.search(r"[.;:!?]", title):
            return -1
        following = _MARKER.match(line, next_position)
        if following and _follows_heading(following, marker, numbering):
            return next_position
    return -1


_MAX_TITLE = 400


def _follows_heading(following: re.Match[str], heading: re.Match[str], numbering: _Numbering) -> bool:
    """Whether `following` can open the first block under the heading `heading`."""
    if following["para"]:
        return int(following["para"]) in (numbering.paragraph + 1, 1)
    if following["capital"]:
        return heading["roman"] is not None and following["capital"] == "A"
    if following["recno"]:
        return int(following["recno"]) == numbering.recommendation + 1
    return False


# ---------------------------------------------------------------- the report inside the text

_DISTRIBUTION = re.compile(r"\bDistr\.[ ]?:")
_ORGAN_LINE = re.compile(
    r"^(?:United Nations|General Assembly|Security Council|Economic and Social Council|"
    r"Conference of the (?:States )?Parties|Commission on|Human Rights Council|"
    r"[A-Z][A-Za-z]{0,9}(?:/[A-Za-z0-9.\-]+){2,})"
)


def _crop_to_report(blocks: list[_Block]) -> list[_Block]:
    """Drop unrelated text before the report's header and after its end."""
    first = _first_chapter(blocks)
    if first is None:
        return blocks
    start = _header_start(blocks, first)
    end = _report_end(blocks)
    for block in blocks[start:first]:
        block.header = _DISTRIBUTION.search(block.text) is not None
    return blocks[start:max(end, first + 1)]


def _first_chapter(blocks: list[_Block]) -> int | None:
    """The block of the report's chapter I: the last "I." heading before the first "II."."""
    last_first = None
    for index, block in enumerate(blocks):
        if block.kind != "heading":
            continue
        if re.match(r"I\.[ ]", block.text):
            last_first = index
        elif re.match(r"II\.[ ]", block.text) and last_first is not None:
            return last_first
    return last_first


def _header_start(blocks: list[_Block], first: int) -> int:
    window = range(first - 1, max(-1, first - 16), -1)
    distribution = next((i for i in window if _DISTRIBUTION.search(blocks[i].text)), None)
    if distribution is not None:
        start = distribution
        while start > 0 and distribution - start < 3 and _ORGAN_LINE.match(blocks[start - 1].text):
            start -= 1
        return start
    # No distribution line: keep the title lines just before chapter I.
    start = first
    while start > 0 and first - start < 6 and _is_title_like(blocks[start - 1]):
        start -= 1
    return start


def _is_title_like(block: _Block) -> bool:
    text = block.text
    return block.kind == "text" and len(text) <= 300 and not _ends_sentence(text)


def _report_end(blocks: list[_Block]) -> int:
    """One past the report's last block: its annex runs to the end, else its last numbered block."""
    last = None
    for index, block in enumerate(blocks):
        if block.kind == "annex":
            return len(blocks)
        if block.kind in ("para", "item", "heading", "recommendation"):
            last = index
    if last is None:
        return len(blocks)
    if blocks[last].kind in ("heading", "recommendation") and last + 1 < len(blocks):
        last += 1  # the text under a final "Recommendation N" heading
    return last + 1


_HEADER_BREAKS = (
    re.compile(r"^(United Nations)[ ](?=[A-Z])"),
    re.compile(r"[ ](?=Distr\.[ ]?:)"),
    re.compile(r"(Distr\.[ ]?:[ ]?[A-Z][a-z]+)[ ](?=\d{1,2}[ ][A-Z][a-z]+[ ]\d{4})"),
    re.compile(r"[ ](?=Original[ ]?:)"),
    re.compile(r"(Original[ ]?:[ ]?[A-Z][a-z]+)[ ]"),
)


def _split_header(text: str) -> str:
    """A header run into one line ("United Nations CTOC/... Distr.: General 19 November 2013
    Original: English ...") -> its usual lines."""
    for pattern in _HEADER_BREAKS:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + "\n", text, count=1)
    return "\n".join(part.strip() for part in text.split("\n") if part.strip())
