"""find_citations on sentences written for these tests: every citation shape, "the Protocol" read
from the context (SOM, TIP, FIR), a treaty's own text, other instruments never read as the
Convention's, and spans that point at the surface text."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from untoc_kg.extract.citations import CitationContext, find_citations, scan_citations

SOM = CitationContext(protocol="SOM")
TIP = CitationContext(protocol="TIP")
FIR = CitationContext(protocol="FIR")

Key = tuple  # (treaty, article, paragraph, subparagraph, chapter, how)


def keys(text: str, context: CitationContext | None = SOM) -> list[Key]:
    return [
        (c.treaty, c.article, c.paragraph, c.subparagraph, c.chapter, c.how)
        for c in find_citations(text, context)
    ]


FORMS: list[tuple[str, CitationContext, list[Key]]] = [
    ("Members recalled article 8 of the Protocol.", SOM, [("SOM", 8, None, None, None, "explicit")]),
    (
        "Parties cooperate in accordance with articles 16 and 18 of the Convention.",
        SOM,
        [("UNTOC", 16, None, None, None, "explicit"), ("UNTOC", 18, None, None, None, "explicit")],
    ),
    (
        "Bearing in mind articles 32 and\n37 of the Convention, parties should act.",
        SOM,
        [("UNTOC", 32, None, None, None, "explicit"), ("UNTOC", 37, None, None, None, "explicit")],
    ),
    (
        "The offence in article 6, paragraph 1, of the Smuggling of Migrants Protocol applies.",
        SOM,
        [("SOM", 6, 1, None, None, "explicit")],
    ),
    (
        "Parties should give effect to article 5 and article 6, paragraph 4, of the Protocol.",
        SOM,
        [("SOM", 5, None, None, None, "explicit"), ("SOM", 6, 4, None, None, "explicit")],
    ),
    (
        "Assistance under article 14, paragraph 3, of the Protocol is available;",
        SOM,
        [("SOM", 14, 3, None, None, "explicit")],
    ),
    ("Bearing in mind chapter II of the Protocol, parties act.", SOM, [("SOM", None, None, None, "II", "explicit")]),
    (
        "Pursuant to article 20 of the Organized Crime Convention, parties may act.",
        SOM,
        [("UNTOC", 20, None, None, None, "explicit")],
    ),
    (
        "Joint teams under article 19 of the United Nations Convention against Transnational "
        "Organized Crime are useful.",
        SOM,
        [("UNTOC", 19, None, None, None, "explicit")],
    ),
    (
        "Agreements to implement article 8 of the Protocol against the Smuggling of Migrants by "
        "Land, Sea and Air, supplementing the United Nations Convention against Transnational "
        "Organized Crime are encouraged.",
        TIP,
        [("SOM", 8, None, None, None, "explicit")],
    ),
    (
        "Use the provisions of the United Nations Convention against Transnational Organized "
        "Crime, such as article 13 on cooperation, which augments article 12 on seizure.",
        SOM,
        [("UNTOC", 13, None, None, None, "explicit"), ("UNTOC", 12, None, None, None, "context")],
    ),
    (
        "Parties should comply with their obligations under article 18, including on return.",
        SOM,
        [("SOM", 18, None, None, None, "context")],
    ),
    ("Offences in article 6, paragraph 1 (a), of the Protocol.", SOM, [("SOM", 6, 1, "a", None, "explicit")]),
    (
        "Offences in subparagraphs (a) and (b) of paragraph 1 of article 6 of the Protocol.",
        SOM,
        [("SOM", 6, 1, "a", None, "explicit"), ("SOM", 6, 1, "b", None, "explicit")],
    ),
    (
        "See articles 5, 6 and 8 of the Firearms Protocol and article 9 of the Convention.",
        SOM,
        [("FIR", n, None, None, None, "explicit") for n in (5, 6, 8)]
        + [("UNTOC", 9, None, None, None, "explicit")],
    ),
    (
        "Article 10 of the Trafficking in Persons Protocol and ARTICLE 27 OF THE CONVENTION apply.",
        SOM,
        [("TIP", 10, None, None, None, "explicit"), ("UNTOC", 27, None, None, None, "explicit")],
    ),
    (
        "Obligations under the Vienna Convention on Consular Relations, as referred to in "
        "article 16, paragraph 5, of the Smuggling of Migrants Protocol, apply.",
        SOM,
        [("SOM", 16, 5, None, None, "explicit")],
    ),
    (
        "Under article 6, paragraphs 1 and 3, and article 3, paragraph 1 (a) (i), of the Protocol.",
        SOM,
        [("SOM", 6, 1, None, None, "explicit"), ("SOM", 6, 3, None, None, "explicit"),
         ("SOM", 3, 1, "a(i)", None, "explicit")],
    ),
    (
        "Cooperation under the Organized Crime Convention (article 18) and the Protocol, in "
        "particular article 16, paragraph 5.",
        SOM,
        [("UNTOC", 18, None, None, None, "explicit"), ("SOM", 16, 5, None, None, "explicit")],
    ),
    (
        "Consular access under article 36 of the Vienna Convention on Consular Relations.",
        SOM,
        [("VCCR", 36, None, None, None, "explicit")],
    ),
]


@pytest.mark.parametrize(("text", "context", "expected"), FORMS, ids=[f[0][:40] for f in FORMS])
def test_every_form(text: str, context: CitationContext, expected: list[Key]) -> None:
    assert keys(text, context) == expected


@pytest.mark.parametrize(("text", "context", "expected"), FORMS, ids=[f[0][:40] for f in FORMS])
def test_spans_point_at_the_surface_text(text: str, context: CitationContext, expected: list[Key]) -> None:
    for citation in find_citations(text, context):
        assert text[citation.span.start : citation.span.end] == citation.text
        assert any(w in citation.text.lower() for w in ("article", "chapter"))
        assert str(citation.article or citation.chapter) in citation.text.upper()


def test_a_range_of_articles() -> None:
    assert [k[1] for k in keys("articles 9 to 11 of the Convention", SOM)] == [9, 10, 11]


def test_span_of_a_citation_in_a_longer_text() -> None:
    text = "First sentence here. Second: parties recalled article 8 of the Protocol. Third."
    [citation] = find_citations(text, SOM)
    assert (citation.span.start, citation.span.end) == (46, 71)
    assert citation.text == "article 8 of the Protocol"


TRAFFICKING_REPORT = (
    "II. Recommendations\n"
    "1. States parties should criminalize trafficking in persons in line with article 5 of the "
    "Protocol, and should protect victims as provided for in article 6, paragraph 3, of the "
    "Protocol.\n"
    "2. States parties should consider their obligations under article 9 and the cooperation "
    "provided for in article 27 of the Convention.\n"
)

FIREARMS_REPORT = (
    "Recommendation 1. States should mark firearms as required by article 8, paragraph 1 (a), of "
    "the Protocol and keep records under article 7.\n"
    "Recommendation 2. States should use chapter II of the Protocol and article 18 of the "
    "Organized Crime Convention.\n"
)


def test_the_protocol_of_a_trafficking_in_persons_report_is_tip() -> None:
    assert keys(TRAFFICKING_REPORT, TIP) == [
        ("TIP", 5, None, None, None, "explicit"),
        ("TIP", 6, 3, None, None, "explicit"),
        ("TIP", 9, None, None, None, "context"),
        ("UNTOC", 27, None, None, None, "explicit"),
    ]


def test_the_protocol_of_a_firearms_report_is_fir() -> None:
    assert keys(FIREARMS_REPORT, FIR) == [
        ("FIR", 8, 1, "a", None, "explicit"),
        ("FIR", 7, None, None, None, "context"),
        ("FIR", None, None, None, "II", "explicit"),
        ("UNTOC", 18, None, None, None, "explicit"),
    ]


def test_the_same_words_follow_the_context() -> None:
    text = "States should apply article 10 of the Protocol."
    assert [k[0] for k in (keys(text, SOM) + keys(text, TIP) + keys(text, FIR))] == ["SOM", "TIP", "FIR"]


TREATY_ARTICLE = (
    "Article 9\n"
    "1. States Parties shall establish policies to prevent trafficking in persons.\n"
    "2. Measures established in accordance with paragraph 1 of this article shall include, "
    "where appropriate, measures referred to in subparagraph (a) of paragraph 2 of this article "
    "and in article 5 of this Protocol.\n"
    "3. The measures referred to in paragraph 2 shall be consistent with article 34 of the "
    "Convention.\n"
)


def test_a_treaty_articles_own_text() -> None:
    context = CitationContext(treaty="TIP", article=9)
    found = keys(TREATY_ARTICLE, context)
    assert ("TIP", 9, 1, None, None, "explicit") in found
    assert ("TIP", 9, 2, "a", None, "explicit") in found
    assert ("TIP", 5, None, None, None, "explicit") in found
    assert ("TIP", 9, 2, None, None, "context") in found  # bare "paragraph 2" in the article
    assert ("UNTOC", 34, None, None, None, "explicit") in found


TWO_ARTICLES = (
    "Article 7\nCooperation\n\nStates Parties shall cooperate as set out in paragraph 2 of this "
    "article.\n\nArticle 8 \u2014 Measures at sea\n\n1. A State Party may request under "
    "paragraph 1 of this article and article 7 of this Protocol.\n"
)


def test_article_headings_set_the_enclosing_article_and_are_not_citations() -> None:
    found = find_citations(TWO_ARTICLES, CitationContext(treaty="SOM"))
    assert [(c.key, c.how) for c in found] == [
        (("SOM", 7, 2, None, None), "explicit"),
        (("SOM", 8, 1, None, None), "explicit"),
        (("SOM", 7, None, None, None), "explicit"),
    ]
    assert [c.text for c in found] == [
        "paragraph 2 of this article", "paragraph 1 of this article", "article 7 of this Protocol"
    ]


def test_this_article_without_an_article_in_context_is_rejected() -> None:
    scan = scan_citations("under paragraph 1 of this article", CitationContext(treaty="TIP"))
    assert scan.citations == ()
    assert "this article" in scan.rejected[0].reason


NEGATIVE = [
    "States should comply with the Vienna Convention on Consular Relations.",
    "As recommendation 11 and resolution 5/3 and decision 9/1 say, paragraph 3 of resolution 5/3 applies.",
    "Recalling the Convention on International Civil Aviation, article 45, and its annexes.",
    "PROTOCOL RELATING TO AN AMENDMENT TO THE CONVENTION ON INTERNATIONAL CIVIL AVIATION ARTICLE 45, SIGNED",
    "Article 14 of the 1951 Convention relating to the Status of Refugees applies.",
    "As stated in paragraph 5 above and in chapter II of this report.",
    "Article 6 of the Protocols thereto was discussed.",
    "States should implement article 4 of the Programme of Action.",
    "The Arms Trade Treaty, article 11, applies to diversion.",
    "The Working Group recalled the Organized Crime Convention and the Protocols thereto.",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_other_instruments_and_the_reports_own_parts_are_not_cited(text: str) -> None:
    assert keys(text, SOM) == []


def test_a_human_rights_treaty_article_is_that_treaty_s_not_the_convention_s() -> None:
    """Once the human rights treaties are reference data (issue 13), their articles are theirs:
    never the Convention's, as before, and no longer dropped."""
    assert keys("See article 3 of the Convention on the Rights of the Child.", SOM) == [
        ("CRC", 3, None, None, None, "explicit")
    ]
    assert keys(
        "the amendment to article 8 of the International Convention on the Elimination of All "
        "Forms of Racial Discrimination", SOM,
    ) == [("ICERD", 8, None, None, None, "explicit")]


def test_a_national_constitution_s_articles_are_rejected_with_the_reason() -> None:
    scan = scan_citations("Slovenia noted that articles 14, 61 and 62 of the Constitution applied.", SOM)
    assert scan.citations == ()
    assert {r.reason for r in scan.rejected} == {"an article of a national constitution or code, not a treaty"}
    assert len(scan.rejected) == 3


def test_a_named_other_convention_takes_a_later_bare_article() -> None:
    text = "Under the Convention on International Civil Aviation, States apply article 45 to aircraft."
    assert keys(text, SOM) == []


def test_a_resolution_named_before_an_article_does_not_own_it() -> None:
    assert keys("As in recommendation 5, article 18 should be applied.", SOM) == [
        ("SOM", 18, None, None, None, "context")
    ]


def test_articles_beyond_the_treaty_are_dropped_with_a_reason() -> None:
    scan = scan_citations("article 99 of the Protocol and article 42 of the Convention", SOM)
    assert scan.citations == ()
    assert [r.reason for r in scan.rejected] == [
        "SOM has 25 articles, not 99",
        "UNTOC has 41 articles, not 42",
    ]
    assert scan.rejected[0].text == "article 99 of the Protocol"


def test_chapters_are_checked_against_the_treaty() -> None:
    assert keys("chapter IV of the Protocol", TIP) == [("TIP", None, None, None, "IV", "explicit")]
    assert keys("chapter IV of the Firearms Protocol", TIP) == []


def test_the_protocol_without_a_protocol_in_context_is_rejected() -> None:
    scan = scan_citations("article 5 of the Protocol and article 7 of the Convention", None)
    assert [(c.treaty, c.article) for c in scan.citations] == [("UNTOC", 7)]
    assert "the Protocol" in scan.rejected[0].reason


def test_a_comma_after_an_article_does_not_start_a_list() -> None:
    assert keys("Under article 18, 15 States parties reported.", SOM) == [("SOM", 18, None, None, None, "context")]


def test_text_without_provisions_is_cheap_and_empty() -> None:
    assert find_citations("", SOM) == []
    assert find_citations("States parties should cooperate with UNODC.", SOM) == []


def test_cli_prints_json_and_reads_stdin() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "untoc_kg.cli", "citations", "-", "--protocol", "TIP", "--rejected"],
        input="See article 5 of the Protocol and article 99 of the Protocol.",
        capture_output=True,
        text=True,
        check=True,
    )
    out = json.loads(run.stdout)
    assert out["citations"] == [
        {
            "treaty": "TIP",
            "article": 5,
            "paragraph": None,
            "subparagraph": None,
            "chapter": None,
            "how": "explicit",
            "text": "article 5 of the Protocol",
            "start": 4,
            "end": 29,
        }
    ]
    assert out["rejected"][0]["reason"] == "TIP has 20 articles, not 99"


def test_cli_names_a_file_it_cannot_read(tmp_path) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("article 5 of the Protocol \xe9".encode("latin-1"))
    run = subprocess.run(
        [sys.executable, "-m", "untoc_kg.cli", "citations", str(bad)], capture_output=True, text=True
    )
    assert run.returncode == 2
    assert "latin1.txt" in run.stderr and "UTF-8" in run.stderr


WORDS = [
    "article", "articles", "Article", "paragraph", "paragraphs", "subparagraph", "chapter", "of",
    "the", "this", "Protocol", "Protocols", "Convention", "and", "or", "to", ",", ".", "(", ")",
    "(a)", "(i)", "1", "6", "18", "99", "1(a)", "II", "IIII", "x", "such as", "Vienna",
    "on Consular Relations", "resolution 5/3", "recommendation 11", "Smuggling of Migrants",
    "Organized Crime", "International Civil Aviation", "States", "\n", "1951", "present",
]


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.sampled_from(WORDS), max_size=30),
    separators=st.lists(st.sampled_from([" ", "", "\n", "  ", "\u00a0"]), min_size=30, max_size=30),
    context=st.sampled_from([None, SOM, TIP, CitationContext(treaty="FIR", article=3)]),
)
def test_any_text_gives_well_formed_citations(words, separators, context) -> None:
    text = "".join(w + s for w, s in zip(words, separators))
    scan = scan_citations(text, context)
    for citation in scan.citations:
        assert text[citation.span.start : citation.span.end] == citation.text
        assert citation.treaty in {"UNTOC", "SOM", "TIP", "FIR", "VCCR"}
        assert (citation.article is None) != (citation.chapter is None)
        if citation.treaty == "SOM" and citation.article is not None:
            assert 1 <= citation.article <= 25
    for rejected in scan.rejected:
        assert text[rejected.span.start : rejected.span.end] == rejected.text and rejected.reason
