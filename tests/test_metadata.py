from datetime import date

import pytest

from danish.dates import parse_danish_date
from danish.decisions import find_case_number
from ingest.metadata import (
    find_committee,
    find_contact,
    find_date,
    guess_doc_type,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dato: 5. december 2019", date(2019, 12, 5)),
        ("mødet d. 27. august 2025 kl. 16", date(2025, 8, 27)),
        ("27-08-2025", date(2025, 8, 27)),
        ("den 3. dec. 2019", date(2019, 12, 3)),
        ("27.08.2025", date(2025, 8, 27)),
        ("2023-08-15", date(2023, 8, 15)),
    ],
)
def test_danish_dates(text, expected):
    assert parse_danish_date(text) == expected


def test_invalid_dates_are_skipped():
    assert parse_danish_date("31-02-2024 og 1. marts 2024") == date(2024, 3, 1)
    assert parse_danish_date("ingen dato her") is None


def test_labelled_date_wins_over_earlier_dates():
    assert find_date("temamøde den 3. december 2019\nDato: 5. december 2019") == date(2019, 12, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sagsid: 00.01.10-P22-1-18", "00.01.10-P22-1-18"),
        ("Sagsnr.: 24-012345", "24-012345"),
        ("Se EMN-2023-01234 for detaljer", "EMN-2023-01234"),
        ("Sags nr. 22/1234.", "22/1234"),
        ("Sag nr.: 24-009214", "24-009214"),
        ("ingen sag", ""),
    ],
)
def test_case_numbers(text, expected):
    assert find_case_number(text) == expected


def test_committee_in_definite_form():
    text = "Økonomiudvalgets møde i januar. Det fandt økonomiudvalget. Teknik- og Miljøudvalget"
    assert find_committee(text) == "Økonomiudvalget"
    assert find_committee("Sagen afgøres af Byrådet") == "Byrådet"
    assert find_committee("intet udvalg nævnt") == ""
    assert find_committee("LINDBÆK KOMMUNE\nTEKNIK- OG MILJØUDVALGET\nREFERAT") == (
        "Teknik- og Miljøudvalget"
    )
    assert find_committee("Klima-, Teknik- og Miljøudvalget") == "Klima-, Teknik- og Miljøudvalget"


def test_contact_and_doc_type():
    assert find_contact("Dato: x\nKontakt: Morten Dalsgaard\n") == "Morten Dalsgaard"
    assert guess_doc_type("Opsamling på temamøde om integration") == "opsamling"
    assert guess_doc_type("Forslag til Klimapolitik – i høring") == "politik"
    assert guess_doc_type("Juridisk notat") == "notat"
    assert guess_doc_type("Noget helt andet") == "andet"
    assert guess_doc_type("REFERAT\n1. Godkendelse af dagsorden") == "referat"


def test_a_letterhead_in_capitals_gives_way_to_a_meeting_title():
    from ingest.loaders import load_file
    from ingest.passages import prepare_document
    from tests.conftest import EXAMPLES

    path = EXAMPLES / "Teknik-og-Miljøudvalget_referat_2024-04-03.txt"
    prepared = prepare_document(load_file(path)[0], path.name, "hash", "public", 150, 350)
    assert prepared.metadata["title"] == "Teknik- og Miljøudvalget – referat 3. april 2024"
