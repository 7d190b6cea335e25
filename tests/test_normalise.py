"""Text normalisation: the one-block-per-line contract on texts written for the tests, and on the
bundled corpus."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from untoc_kg.corpus import corpus_files
from untoc_kg.extract.normalise import normalise_text

PDF_TEXT = """\
   Report on the meeting of the Working Group on Trafficking in Persons held
in Vienna from 6 to 8 July 2016


 I. Introduction

1. Pursuant to resolution 4/4, the Working Group was estab-
lished to advise the Conference. It heard about a multi-
agency approach.

 II. Recommendations

2. The Working Group adopted the recommendations below.
  A. Prevention of trafficking in persons

3. States parties should consider the
well-being of victims, in accordance with article 9 of the
V.16-04321 (E)    120716    130716
*1604321*


Protocol, and should:
  (a) Protect victims;

  (b) Train officials.
2 V.16-04321

4. The Secretariat should continue to assist States.
"""


def test_pdf_text_becomes_one_block_per_line() -> None:
    assert normalise_text(PDF_TEXT).split("\n") == [
        "Report on the meeting of the Working Group on Trafficking in Persons held in Vienna from 6 to 8 July 2016",
        "I. Introduction",
        "1. Pursuant to resolution 4/4, the Working Group was established to advise the Conference. "
        "It heard about a multi-agency approach.",
        "II. Recommendations",
        "2. The Working Group adopted the recommendations below.",
        "A. Prevention of trafficking in persons",
        "3. States parties should consider the well-being of victims, in accordance with article 9 "
        "of the Protocol, and should:",
        "(a) Protect victims;",
        "(b) Train officials.",
        "4. The Secretariat should continue to assist States.",
    ]


def test_markdown_is_reduced_to_its_text() -> None:
    text = (
        "# Note by the Secretariat\n\n"
        "1. The index ([CTOC/COP/WG.4/2019/4](#)) lists them.\n"
        "2. States should use the *Digest of Cases* and **all** tools:\n"
        " - (a) Training;\n"
        " - (b) Exchange of information.\n"
    )
    assert normalise_text(text).split("\n") == [
        "Note by the Secretariat",
        "1. The index (CTOC/COP/WG.4/2019/4) lists them.",
        "2. States should use the Digest of Cases and all tools:",
        "(a) Training;",
        "(b) Exchange of information.",
    ]


def test_characters_are_folded_to_one_form() -> None:
    text = (
        "1.\u00a0States\u2019 \u201cof\ufb01cial\u201d na\u00adtional\u2002measures\u200b,\r\n"
        "in the Parties\u2018 view.\r\n"
    )
    assert normalise_text(text) == "1. States' \"official\" national measures, in the Parties' view."


RUN_TOGETHER = (
    "Similar documents\n"
    "Report of the Conference of the States Parties\n"
    "XX/CONF/2018/5. Draft final document. I. Introduction. 29 November Original: English\n"
    "1. Unrelated list item\n\n"
    "Transcription:\n\n"
    "United Nations XX/COP/WG.9/2016/2 Conference of the Parties to the Convention Distr.: General "
    "20 July 2016 Original: English Report on the meeting of the Working Group on Firearms held "
    "in Vienna on 18 and 19 May 2016 I. Introduction 1. The Working Group met in Vienna. "
    "2. It was chaired by A. B. Smith (Italy). II. Recommendations 3. The Working Group adopted "
    "the recommendations below. A. Marking 4. States parties should mark firearms, in line with "
    "article 8 of the Protocol. 5. States parties should consider: (a) Keeping records; "
    "(b) Sharing records. V.16-02870 (E) 200716 210716 *1602870*\n\n"
    "B. Brokering 6. States should regulate brokers in accordance with paragraph 1. "
    "The Working Group noted that 14. 7. The Conference should review it. 2 V.16-02870\n\n"
    "III. Adoption of the report 8. The report was adopted. V.16-02870 3\n"
)


def test_run_together_web_copy_is_cut_to_the_report_and_split_by_numbering() -> None:
    assert normalise_text(RUN_TOGETHER).split("\n") == [
        "United Nations",
        "XX/COP/WG.9/2016/2 Conference of the Parties to the Convention",
        "Distr.: General",
        "20 July 2016",
        "Original: English",
        "Report on the meeting of the Working Group on Firearms held in Vienna on 18 and 19 May 2016",
        "I. Introduction",
        "1. The Working Group met in Vienna.",
        "2. It was chaired by A. B. Smith (Italy).",
        "II. Recommendations",
        "3. The Working Group adopted the recommendations below.",
        "A. Marking",
        "4. States parties should mark firearms, in line with article 8 of the Protocol.",
        "5. States parties should consider:",
        "(a) Keeping records;",
        "(b) Sharing records.",
        "B. Brokering",
        "6. States should regulate brokers in accordance with paragraph 1. The Working Group noted that 14.",
        "7. The Conference should review it.",
        "III. Adoption of the report",
        "8. The report was adopted.",
    ]


def test_apostrophes_lost_by_a_web_copy_are_put_back() -> None:
    lost = "1. Observers from Cote d Ivoire and the People s Republic of China attended."
    assert normalise_text(lost) == "1. Observers from Cote d'Ivoire and the People's Republic of China attended."
    kept = "1. The Chair's view: d Artagnan and l Oreal s plans."
    assert normalise_text(kept) == kept


def test_numbered_subheadings_run_into_a_line_are_split() -> None:
    text = (
        "II. Recommendations A. Criminal justice 1. Criminalization 1. States parties should act. "
        "2. Jurisdiction 2. States should establish jurisdiction. III. Other matters 3. None were raised."
    )
    assert normalise_text(text).split("\n") == [
        "II. Recommendations",
        "A. Criminal justice",
        "1. Criminalization",
        "1. States parties should act.",
        "2. Jurisdiction",
        "2. States should establish jurisdiction.",
        "III. Other matters",
        "3. None were raised.",
    ]


def test_blank_line_inside_a_sentence_does_not_split_it() -> None:
    text = "1. Represented were Algeria, Republic of\n\nKorea, Spain and\n\nthe European Union.\n"
    assert normalise_text(text) == "1. Represented were Algeria, Republic of Korea, Spain and the European Union."


def test_recommendation_headings_are_blocks_of_their_own() -> None:
    text = "II. Recommendations A. Data Recommendation 1 States should collect data. Recommendation 2 The Secretariat should help."
    assert normalise_text(text).split("\n") == [
        "II. Recommendations",
        "A. Data",
        "Recommendation 1",
        "States should collect data.",
        "Recommendation 2",
        "The Secretariat should help.",
    ]


@pytest.fixture(scope="module")
def corpus() -> dict[str, str]:
    return {p.name[:3]: normalise_text(p.read_text(encoding="utf-8")) for p in corpus_files()}


def test_corpus_texts_keep_the_contract(corpus: dict[str, str]) -> None:
    for name, text in corpus.items():
        lines = text.split("\n")
        assert all(line and line == " ".join(line.split()) for line in lines), name
        assert not re.search(r"V\.\d{2}-\d{5}|\*\d{7}\*|[\u201c\u201d\u2018\u2019\u00a0]", text), name
        assert normalise_text(text) == text, f"{name}: normalising twice changes the text"


def test_web_copy_gives_the_same_report_body_as_the_pdf_text(corpus: dict[str, str]) -> None:
    def body(text: str) -> list[str]:
        lines = text.split("\n")
        start = lines.index("I. Introduction")
        end = next(i for i, line in enumerate(lines) if line.startswith("Annex"))
        # The web copy lost its quotation marks (its apostrophes are put back): compare without them.
        return [line.replace('"', "") for line in lines[start:end]]

    assert body(corpus["004"]) == body(corpus["002"])
    assert not any("Transcription" in line or "Similar documents" in line for line in corpus["004"].split("\n"))


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    "text",
    ["(a" * 50_000, "*" * 100_000, "1. " * 40_000, "A. B. " * 30_000, "I. A. 1. " * 20_000, "V.13-" * 30_000,
     "x-\n" * 50_000, "[a](" * 40_000, "(a) " * 40_000, "Recommendation 1 " * 10_000],
    ids=lambda text: f"{text[:12]!r}x{len(text)}",
)
def test_pathological_input_is_normalised_in_bounded_time(text: str) -> None:
    normalise_text(text)


def test_running_headers_and_page_numbers_go_and_hyphens_follow_the_text() -> None:
    text = (
        "CTOC/COP/WG.4/2016/2\n\n"
        "1. States parties stressed that decision-making should involve the victims' deci-\n"
        "sion-\n"
        "making bodies and that the informa-\n"
        "tion should be shared.\n\n"
        "3\n\n"
        "CTOC/COP/WG.4/2016/2\n\n"
        "2. States parties should fund self-\n"
        "help groups.\n"
    )
    assert normalise_text(text).split("\n") == [
        "CTOC/COP/WG.4/2016/2",
        "1. States parties stressed that decision-making should involve the victims' "
        "decision-making bodies and that the information should be shared.",
        "2. States parties should fund self-help groups.",
    ]


_PIECES = st.sampled_from(
    ["1. ", "2. ", "(a) ", "(b) ", "I. ", "II. ", "A. ", "Recommendation 1 ", "States ", "should ",
     "act", ".", ";", ":", "\n", "\n\n", "  ", "\u00a0", "-", "*", "[x](#)", "V.13-87865 (E) ",
     "*1387865*", "Distr.: General ", "\u201c", "\r\n", "\f", "Annex "]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES | st.text(max_size=5), max_size=60).map("".join))
def test_any_text_gives_folded_non_blank_lines(raw: str) -> None:
    text = normalise_text(raw)
    if text:
        assert all(line and line == " ".join(line.split()) for line in text.split("\n"))
