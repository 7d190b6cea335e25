"""Document-level facts: on the corpus against the gold, and on reports of other bodies written
for these tests."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from untoc_kg.corpus import corpus_files
from untoc_kg.extract.metadata import NoTitleError, find_document_facts
from untoc_kg.extract.normalise import normalise_text
from untoc_kg.records import Body
from untoc_kg.extract.symbols import find_symbols

GOLD = Path(__file__).parent / "gold"


@pytest.fixture(scope="module")
def corpus() -> dict[str, tuple[str, dict]]:
    """Normalised text and gold annotation of every corpus document, by file name."""
    return {
        path.name: (
            normalise_text(path.read_text(encoding="utf-8")),
            json.loads((GOLD / f"{path.stem}.json").read_text(encoding="utf-8")),
        )
        for path in corpus_files()
    }


@pytest.mark.parametrize("index", range(5))
def test_corpus_document_facts_match_the_gold(corpus, index: int) -> None:
    name = sorted(corpus)[index]
    text, gold = corpus[name]
    facts = find_document_facts(text)
    assert facts.kind == gold["kind"]
    assert facts.title == gold["title"]
    assert facts.symbol == gold["symbol"]
    assert (facts.issued.isoformat() if facts.issued else None) == gold["issued"]
    assert facts.body.name == gold["body"]
    assert facts.body.protocol == gold["parent_protocol"]
    assert list(facts.resolutions_cited) == gold["resolutions_cited"]
    if "documents_cited" in gold:
        assert list(facts.documents_cited) == gold["documents_cited"]


def test_a_web_copy_and_its_pdf_agree_except_for_what_only_one_prints(corpus) -> None:
    pdf, web = (find_document_facts(corpus[n][0]) for n in sorted(corpus)[2:5:2])
    assert (pdf.title, pdf.body, pdf.resolutions_cited) == (web.title, web.body, web.resolutions_cited)
    assert web.symbol == "CTOC/COP/WG.7/2013/5" and web.symbol not in web.documents_cited


TIP_REPORT = """United Nations CTOC/COP/WG.4/2031/7
Conference of the Parties to the United Nations Convention against Transnational Organized Crime
Distr.: General
2 February 2031
Original: English
Working Group on Trafficking in Persons
Geneva, 20-22 January 2031
Item 2 of the provisional agenda*
Report on the meeting of the Working Group on Trafficking in Persons held in Geneva from 20 to 22 January 2031
I. Introduction
1. Pursuant to decision 4/4 and to resolutions 10/3 and 11/1 of the Conference, and recalling General Assembly resolution 55/25, the Working Group met. In its decision 4/4 and decision 12/2 the Conference also acted; see resolution 11/1.
2. The Working Group had before it a note (CTOC/COP/WG.4/2031/2 and Add.1) and a background paper (CTOC/COP/WG.4/2031/3).
"""

FIREARMS_REPORT = """Conference of the Parties to the United Nations Convention against Transnational Organized Crime
Distr.: Limited
9 March 2032
Report on the meeting of the Working Group on Firearms held in Vienna on 1 and 2 March 2032
I. Introduction
1. The Conference, in its resolution 9/2, decided that the Working Group on the Smuggling of Migrants and the Working Group on Firearms would meet consecutively.
"""


def test_a_trafficking_in_persons_report_is_read_with_its_own_body_and_protocol() -> None:
    facts = find_document_facts(TIP_REPORT)
    assert facts.kind == "report"
    assert facts.title.startswith("Report on the meeting of the Working Group on Trafficking in Persons")
    assert facts.symbol == "CTOC/COP/WG.4/2031/7"
    assert facts.issued == date(2031, 2, 2)
    assert facts.body == Body("Working Group on Trafficking in Persons", "CTOC/COP/WG.4", "TIP")
    assert facts.resolutions_cited == ("10/3", "11/1")  # 55/25 is the General Assembly's
    assert facts.decisions_cited == ("4/4", "12/2")
    assert facts.documents_cited == (
        "CTOC/COP/WG.4/2031/2",
        "CTOC/COP/WG.4/2031/2/Add.1",
        "CTOC/COP/WG.4/2031/3",
    )


def test_a_firearms_report_without_a_symbol_gets_its_body_from_the_title() -> None:
    facts = find_document_facts(FIREARMS_REPORT)
    assert facts.symbol is None
    assert facts.issued == date(2032, 3, 9)
    # The text also names the smuggling of migrants group; the title decides.
    assert facts.body == Body("Working Group on Firearms", "CTOC/COP/WG.6", "FIR")
    assert facts.resolutions_cited == ("9/2",)


def test_header_pieces_run_together_on_one_line_are_taken_off_the_title() -> None:
    text = (
        "United Nations CTOC/COP/WG.6/2032/4 Conference of the Parties to the United Nations Convention "
        "against Transnational Organized Crime Distr.: General 9 March 2032 Original: English "
        "Working Group on Firearms Vienna, 1-2 March 2032 "
        "Report on the meeting of the Working Group on Firearms held in Vienna on 1 and 2 March 2032\n"
        "I. Introduction\n1. Text.\n"
    )
    facts = find_document_facts(text)
    assert facts.title == "Report on the meeting of the Working Group on Firearms held in Vienna on 1 and 2 March 2032"
    assert facts.symbol == "CTOC/COP/WG.6/2032/4"
    assert facts.issued == date(2032, 3, 9)
    assert facts.body.symbol == "CTOC/COP/WG.6"


def test_a_compilation_of_several_meetings() -> None:
    text = """Distr.: General
1 June 2030
Working Group on Trafficking in Persons
Recommendations adopted by the Working Group on Trafficking in Persons at its meetings held from 2009 to 2012
The present paper complements the index (CTOC/COP/WG.4/2030/4).
I. First meeting, Vienna, 14 and 15 April 2009
1. States parties should act.
II. Second meeting, Vienna, 27-29 January 2010
1. States parties should act again.
"""
    facts = find_document_facts(text)
    assert facts.kind == "compilation"
    assert facts.symbol is None  # the symbol printed is another document's
    assert facts.documents_cited == ("CTOC/COP/WG.4/2030/4",)
    assert facts.body.protocol == "TIP"


def test_a_body_missing_from_the_reference_data_keeps_its_printed_name() -> None:
    text = "Distr.: General\n3 May 2033\nReport on the meeting of the Working Group on Counterfeit Medicines held in Vienna on 1 May 2033\nI. Introduction\n"
    facts = find_document_facts(text)
    assert facts.body == Body("Working Group on Counterfeit Medicines", None, None)


def test_a_text_without_a_title_is_refused_with_a_reason() -> None:
    with pytest.raises(NoTitleError, match="no title"):
        find_document_facts("Some unrelated text.\n1. A paragraph.\n")


def test_symbols_keep_resolution_numbers_and_sentence_ends_out() -> None:
    text = (
        "see A/RES/55/25, resolution 5/3 and/or E/CN.15/2019/1. The report (CTOC/COP/2020/L.2, "
        "Add.1 and Corr.1) and CTOC/COP/WG.7/2015/INF/1/Rev.1."
    )
    assert find_symbols(text) == (
        "A/RES/55/25",
        "E/CN.15/2019/1",
        "CTOC/COP/2020/L.2",
        "CTOC/COP/2020/L.2/Add.1",
        "CTOC/COP/2020/L.2/Corr.1",
        "CTOC/COP/WG.7/2015/INF/1/Rev.1",
    )
