"""The pages a reader wants (issue 14, item 3), over a real uvicorn server: a meeting's
recommendations with their text and cited articles, attendance with the parties first and long
lists collapsed, "attendance not recorded" where there is none; an article's title and its citing
recommendations by year; a State's meetings with dates and what they adopted; a document's UN
symbol linked to the official document; every statement grouped, the links to a thing apart."""

from __future__ import annotations

import re

import httpx
import pytest

from sample_build import publish_sample
from untoc_kg.server import create_app

PATH = "/untoc-kg/id/"
STATES = [f"Q{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(15)]
EXTRA = "".join(
    f"<state/{code}> a untoc:State ; rdfs:label \"State {code}\"@en .\n"
    f"<meeting/ctoc-cop-wg7/3/attendance/{code}> a untoc:Attendance ; "
    f"untoc:atMeeting <meeting/ctoc-cop-wg7/3> ; untoc:participant <state/{code}> ; "
    f"untoc:role untoc:StateParty .\n"
    for code in STATES
) + """
<treaty/som/article/8> dct:title "Measures against the smuggling of migrants by sea"@en .
<meeting/ctoc-cop-wg7/4> a untoc:Meeting ; rdfs:label "Fourth meeting of the Working Group"@en ;
  schema:startDate "2017-09-11"^^xsd:date .
<recommendation/ctoc-cop-wg7/4/1> a untoc:Recommendation ; rdfs:label "Recommendation 1 of the fourth meeting"@en ;
  untoc:text "States should use article 8 against smuggling by sea."@en ;
  untoc:adoptedAt <meeting/ctoc-cop-wg7/4> ; untoc:position 1 ; untoc:cites <treaty/som/article/8> .
"""


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, live_server) -> httpx.Client:
    data_dir = tmp_path_factory.mktemp("reader-pages")
    publish_sample(data_dir, EXTRA)
    with httpx.Client(base_url=live_server(create_app(data_dir)), timeout=30, follow_redirects=True) as c:  # as a browser follows the 303
        yield c


def page(client: httpx.Client, path: str) -> str:
    r = client.get(PATH + path, headers={"Accept": "text/html"})
    assert r.status_code == 200, path
    return r.text


def section(html: str, heading: str) -> str:
    return html.split(f">{heading}</h")[1].split("</section>")[0]


def test_a_meeting_lists_its_recommendations_with_text_and_cited_articles(client) -> None:
    html = page(client, "meeting/ctoc-cop-wg7/3")
    recommendations = section(html, "Recommendations: A. Smuggling by sea")
    assert "States parties should cooperate at sea" in recommendations
    assert f'href="{PATH}treaty/som/article/8"' in recommendations and "cites" in recommendations
    assert f'href="{PATH}recommendation/ctoc-cop-wg7/3/"' in html  # the list of them all


def test_attendance_puts_the_parties_first_and_collapses_long_lists(client) -> None:
    html = page(client, "meeting/ctoc-cop-wg7/3")
    parties = html.index("Attendance: State party (16)")
    observers = html.index("Attendance: Observer (1)")
    assert parties < observers
    assert "<details><summary>Show all 16</summary>" in section(html, "Attendance: State party (16)")
    assert "<details>" not in section(html, "Attendance: Observer (1)")
    assert "17 participants, 16 of them States." in html


def test_a_meeting_without_attendance_says_it_is_not_recorded(client) -> None:
    html = page(client, "meeting/ctoc-cop-wg7/4")
    assert "Attendance not recorded" in section(html, "Attendance")
    assert "Attendance not recorded" not in page(client, "meeting/ctoc-cop-wg7/3")


def test_an_article_shows_its_title_and_citing_recommendations_by_year(client) -> None:
    html = page(client, "treaty/som/article/8")
    assert "Measures against the smuggling of migrants by sea" in section(html, "Title")
    cited = section(html, "Cited by")
    assert cited.index("<h3>2015</h3>") < cited.index("<h3>2017</h3>")
    in_2015 = cited.split("<h3>2015</h3>")[1].split("<h3>")[0]
    assert f"{PATH}recommendation/ctoc-cop-wg7/3/1" in in_2015
    assert f"{PATH}recommendation/ctoc-cop-wg7/3/2" in in_2015  # cites a paragraph of it
    assert f"{PATH}recommendation/ctoc-cop-wg7/4/1" in cited.split("<h3>2017</h3>")[1]


def test_a_state_shows_its_meetings_with_dates_and_what_they_adopted(client) -> None:
    attended = section(page(client, "state/ITA"), "Attended")
    assert "2015-11-18 to 2015-11-20" in attended and "State party" in attended
    assert re.search(rf'<a href="{PATH}recommendation/ctoc-cop-wg7/3/">2 recommendations adopted</a>',
                     attended)
    assert client.get(PATH + "recommendation/ctoc-cop-wg7/3/").status_code == 200


def test_a_document_shows_its_un_symbol_and_links_the_official_document(client) -> None:
    html = page(client, "document/CTOC-COP-WG.7-2015-5")
    assert "<strong>CTOC/COP/WG.7/2015/5</strong>" in html
    assert ('href="https://documents.un.org/api/symbol/access?s=CTOC/COP/WG.7/2015/5&amp;l=en&amp;t=pdf"'
            in html)
    printed = section(html, "Recommendations printed in it (1)")
    assert f"{PATH}recommendation/ctoc-cop-wg7/3/1" in printed and "paragraph 1" in printed


def test_all_statements_are_grouped_and_ordered_with_the_links_to_it_apart(client) -> None:
    html = page(client, "meeting/ctoc-cop-wg7/3")
    statements = section(html, "All statements")
    properties = re.findall(r"<dt><a [^>]+>([^<]+)</a></dt>", statements)
    assert properties[0] == "type"  # what it is first, then by name
    assert properties[1:] == sorted(properties[1:], key=str.casefold)
    assert f"{PATH}recommendation/ctoc-cop-wg7/3/1" not in statements  # inbound: apart
    inbound = section(html, "Links to this")
    assert f"{PATH}recommendation/ctoc-cop-wg7/3/1" in inbound
    assert re.search(r"<dt><a [^>]+>(adopted at|adoptedAt)</a> of</dt>", inbound)
