"""States and organisations as the UN prints them: ISO codes, short names, mentions in order."""

from __future__ import annotations

import pytest

from untoc_kg.extract.entities import (
    find_organizations,
    find_states,
    resolve_organization,
    resolve_state,
)


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Venezuela (Bolivarian Republic of)", "VEN"),
        ("Bolivia (Plurinational State of)", "BOL"),
        ("Iran (Islamic Republic of)", "IRN"),
        ("Micronesia (Federated States of)", "FSM"),
        ("Netherlands (Kingdom of the)", "NLD"),
        ("Republic of Korea", "KOR"),
        ("Democratic People's Republic of Korea", "PRK"),
        ("Democratic People\u2019s Republic of Korea", "PRK"),
        ("Democratic Republic of the Congo", "COD"),
        ("Congo", "COG"),
        ("Republic of Moldova", "MDA"),
        ("United Republic of Tanzania", "TZA"),
        ("State of Palestine", "PSE"),
        ("Holy See", "VAT"),
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("Czech Republic", "CZE"),
        ("Czechia", "CZE"),
        ("Côte d'Ivoire", "CIV"),
        ("Côte d\u2019Ivoire", "CIV"),
        ("Côte d Ivoire", "CIV"),
        ("United States", "USA"),
        ("United States of America", "USA"),
        ("United Kingdom of Great Britain and Northern Ireland", "GBR"),
        ("the former Yugoslav Republic of Macedonia", "MKD"),
        ("Lao People's Democratic Republic", "LAO"),
        ("Viet Nam", "VNM"),
        ("Eswatini", "SWZ"),
        ("  Spain\n", "ESP"),
        ("SPAIN", "ESP"),
    ],
)
def test_state_names_resolve_to_iso3(name: str, iso3: str) -> None:
    assert resolve_state(name) == iso3


@pytest.mark.parametrize(
    "name",
    ["European Union", "Sovereign Order of Malta", "International Organization for Migration",
     "IN", "to", "", "Atlantis"],
)
def test_what_is_not_a_state_resolves_to_none(name: str) -> None:
    assert resolve_state(name) is None


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("International Criminal Police Organization (INTERPOL)", "INTERPOL"),
        ("INTERPOL", "INTERPOL"),
        ("Office of the United Nations High Commissioner for Refugees", "UNHCR"),
        ("United Nations High Commissioner for Refugees", "UNHCR"),
        ("United Nations Office on Drugs and Crime (UNODC)", "UNODC"),
        ("United Nations Office on Drugs and Crime", "UNODC"),
        ("United Nations Children\u2019s Fund", "UNICEF"),
        ("International Organization for Migration", "IOM"),
        ("International Civil Aviation Organization", "ICAO"),
        ("European Union", "EU"),
        ("Organization for Security and Co-operation in Europe", "OSCE"),
        ("Council of Europe", "Council of Europe"),
        ("Global Migration Group", "Global Migration Group"),
    ],
)
def test_organization_names_resolve_to_short_names(name: str, short: str) -> None:
    assert resolve_organization(name) == short


def test_an_eu_agency_is_not_the_eu_and_unknown_names_are_none() -> None:
    assert resolve_organization("European Union Agency for Criminal Justice Cooperation") != "EU"
    assert resolve_organization("Central European Initiative") is None
    assert resolve_organization("Spain") is None


def test_organizations_in_order_of_first_mention_each_once() -> None:
    text = (
        "States should use the UNODC Digest of Organized Crime Cases and the portal known as "
        "Sharing Electronic Resources and Laws on Crime (SHERLOC), launched by UNODC, with the "
        "International Criminal Police Organization (INTERPOL) and the Digital INTERPOL Alert "
        "Library, and the work of the International Civil Aviation Organization."
    )
    assert find_organizations(text) == ("UNODC", "SHERLOC", "INTERPOL", "ICAO")


def test_a_named_process_and_group_count_generic_phrases_do_not() -> None:
    text = (
        "A system developed at the request of the Bali Process on People Smuggling, Trafficking in "
        "Persons and Related Transnational Crime, shared with international organizations such as "
        "the International Organization for Migration, civil society and the Global Migration Group."
    )
    assert find_organizations(text) == ("Bali Process", "IOM", "Global Migration Group")
    assert find_organizations("Cooperate with international organizations and civil society.") == ()


def test_states_named_in_text() -> None:
    text = "Algeria, Côte d\u2019Ivoire, Venezuela (Bolivarian Republic of), the European Union and the Holy See."
    assert find_states(text) == ("DZA", "CIV", "VEN", "VAT")
