"""A web page -> the text of the report it carries, one block per paragraph.

The page, decoded as any text report is, is parsed with lxml's HTML parser. The report is the page's
<main> (or role="main"), else its only <article>, else its <body>; site furniture inside it
(navigation, scripts, styles, forms, cookie banners, sidebars) is dropped, and outside <main> or
<article> so are the page's <header> and <footer>. Block elements become paragraphs; the numbers
of an ordered list, which the browser draws but the text does not contain, are written out.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from untoc_kg.extract.errors import ExtractionError

_DROPPED_TAGS = frozenset({
    "script", "style", "noscript", "template", "nav", "aside", "form", "iframe", "svg", "button",
    "select", "input", "textarea", "object", "embed", "canvas", "dialog", "menu",
})
_PAGE_CHROME_TAGS = frozenset({"header", "footer"})
_DROPPED_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alert"})
_BOILERPLATE = re.compile(
    r"(?:^|[-_ ])(?:cookie|cookies|consent|gdpr|breadcrumbs?|navbar|sidebar|skip-?link|share|social|site-?(?:header|footer|nav))(?:$|[-_ ])",
    re.I,
)
_BLOCK_TAGS = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "tr",
    "table", "thead", "tbody", "tfoot", "section", "article", "main", "blockquote", "pre",
    "header", "footer", "address", "figure", "figcaption", "hr", "caption", "body", "center",
})
_CELL_TAGS = frozenset({"td", "th"})
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
"""lxml refuses a decoded string that still declares its encoding."""
_HARD_BREAK = "\u2028"
_SPACE = re.compile(r"[ \t\r\n\f\v]+")


def html_text(markup: str, name: str) -> str:
    """The report's text in a web page (already decoded); blocks are separated by blank lines."""
    try:
        page = lxml.html.document_fromstring(_XML_DECLARATION.sub("", markup, count=1))
    except (lxml.etree.ParserError, ValueError) as error:
        raise ExtractionError(name, f"unreadable HTML ({error})") from None
    root = _report_root(page)
    _drop_furniture(root, drop_chrome=root.tag not in {"main", "article"} and root.get("role") != "main")
    blocks: list[str] = []
    _walk(root, blocks, [])
    text = "\n\n".join(block for block in blocks if block)
    if not text:
        raise ExtractionError(name, "web page without text")
    return text


def _report_root(page: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    mains = page.xpath("//main | //*[@role='main']")
    if mains:
        return mains[0]
    articles = page.xpath("//article")
    if len(articles) == 1:
        return articles[0]
    bodies = page.xpath("//body")
    return bodies[0] if bodies else page


def _drop_furniture(root: lxml.html.HtmlElement, drop_chrome: bool) -> None:
    doomed = [
        element
        for element in root.iterdescendants()
        if isinstance(element.tag, str) and _is_furniture(element, drop_chrome)
    ]
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()  # keeps the tail text, which belongs to the parent


def _is_furniture(element: lxml.html.HtmlElement, drop_chrome: bool) -> bool:
    if element.tag in _DROPPED_TAGS or (drop_chrome and element.tag in _PAGE_CHROME_TAGS):
        return True
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    if (element.get("role") or "").lower() in _DROPPED_ROLES:
        return True
    names = f"{element.get('id') or ''} {element.get('class') or ''}"
    return bool(_BOILERPLATE.search(names))


def _walk(element: lxml.html.HtmlElement, blocks: list[str], line: list[str], in_pre: bool = False) -> None:
    """Appends the element's text to `line`; a block element first closes the line into `blocks`.
    A <br>, and a line end inside <pre>, is a hard line break within the block (kept as
    _HARD_BREAK while other white space is folded)."""
    tag = element.tag if isinstance(element.tag, str) else ""
    in_pre = in_pre or tag == "pre"
    if tag == "br":
        line.append(_HARD_BREAK)
    elif tag in _BLOCK_TAGS:
        _close(blocks, line)
        if tag == "li":
            line.append(_list_label(element))
        line.append(_text(element.text, in_pre))
        for child in element:
            _walk(child, blocks, line, in_pre)
        _close(blocks, line)
    else:
        if tag in _CELL_TAGS:
            line.append(" ")
        line.append(_text(element.text, in_pre) if tag else "")  # a comment's text is not the page's
        for child in element:
            _walk(child, blocks, line, in_pre)
    line.append(_text(element.tail, in_pre and tag != "pre"))


def _text(text: str | None, in_pre: bool) -> str:
    return (text or "").replace("\n", _HARD_BREAK) if in_pre else (text or "")


def _close(blocks: list[str], line: list[str]) -> None:
    if line:
        folded = _SPACE.sub(" ", "".join(line))
        blocks.append("\n".join(part.strip() for part in folded.split(_HARD_BREAK)).strip("\n "))  # <br><br> stays a blank line
        line.clear()


def _list_label(item: lxml.html.HtmlElement) -> str:
    """"N. " for an item of an ordered list (honouring start= and value=), else nothing."""
    parent = item.getparent()
    if parent is None or parent.tag != "ol" or (parent.get("type") or "1") != "1":
        return ""
    number = _int(parent.get("start"), 1) - 1
    for sibling in parent.iterchildren("li"):
        number = _int(sibling.get("value"), number + 1)
        if sibling is item:
            return f"{number}. "
    return ""


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
