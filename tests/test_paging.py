"""Long lists on HTML pages are keyset-paged (issue 6): a State that attended more meetings than
a page holds gets them over several pages, each once, oldest first, by following `?after=`."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import httpx
import pytest
from sample_build import publish_sample

from untoc_kg.server import create_app
from untoc_kg.server.pages import PAGE_SIZE

ID = "https://w3id.org/untoc-kg/id/"
U = "https://w3id.org/untoc-kg/ontology#"
MEETINGS = 2 * PAGE_SIZE + 7


def attended_turtle() -> str:
    lines = [f"<{ID}state/ZZZ> a <{U}State> ; <http://www.w3.org/2000/01/rdf-schema#label> \"Paged State\" ."]
    for i in range(MEETINGS):
        meeting = f"<{ID}meeting/paged/{i + 1}>"
        start = date(2000, 1, 1) + timedelta(days=(i * 37) % MEETINGS)  # not in IRI order
        lines.append(
            f"{meeting} a <{U}Meeting> ; <https://schema.org/startDate> "
            f"\"{start.isoformat()}\"^^<http://www.w3.org/2001/XMLSchema#date> .\n"
            f"<{ID}attendance/paged/{i + 1}/ZZZ> a <{U}Attendance> ; <{U}atMeeting> {meeting} ; "
            f"<{U}participant> <{ID}state/ZZZ> ; <{U}role> <{U}StateParty> ."
        )
    return "\n" + "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, live_server) -> httpx.Client:
    data_dir = tmp_path_factory.mktemp("paging")
    publish_sample(data_dir, extra_turtle=attended_turtle())
    with httpx.Client(base_url=live_server(create_app(data_dir)), timeout=30, follow_redirects=True) as c:
        yield c


def test_a_state_page_pages_through_every_meeting_attended_once_oldest_first(client) -> None:
    path = "/untoc-kg/id/state/ZZZ"
    url, seen, pages = path, [], 0
    while url:
        page = client.get(url, headers={"Accept": "text/html"})
        assert page.status_code == 200
        attended = page.text.split("<h2>Attended</h2>")[1].split("</section>")[0]
        found = re.findall(r'href="/untoc-kg/id/meeting/paged/(\d+)"', attended)
        assert 0 < len(found) <= PAGE_SIZE
        seen += [int(n) for n in found]
        pages += 1
        link = re.search(r'href="(\?after=[^"]*)"', attended)
        url = path + html.unescape(link.group(1)) if link else None
    assert pages == 3
    assert sorted(seen) == list(range(1, MEETINGS + 1))  # every meeting, each once
    starts = [(date(2000, 1, 1) + timedelta(days=((n - 1) * 37) % MEETINGS)) for n in seen]
    assert starts == sorted(starts)
