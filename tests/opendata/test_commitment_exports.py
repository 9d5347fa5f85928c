"""CSV and JSON of the commitments list (/postulaty/zobowiazania/): the list's own records and
filters, the postulate export's field definitions, nothing the public cannot see."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import DRAFT, DepartmentFactory, PositionFactory, PostulateFactory
from tests.opendata.conftest import SECRET, absolute, body, read_csv, read_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def commitments():
    today = timezone.localdate()
    mops = DepartmentFactory(name="Miejski Ośrodek Pomocy Społecznej", abbreviation="MOPS")
    overdue = PositionFactory(
        postulate=PostulateFactory(meeting__year__year=2025, number=7),
        commitment="Otworzymy punkt porad – Łobzów",
        commitment_due_on=today - datetime.timedelta(days=10),
        answered_on=today - datetime.timedelta(days=100),
        department=mops,
    )
    fulfilled = PositionFactory(
        postulate=PostulateFactory(meeting__year__year=2024),
        commitment="Zamontujemy ławki",
        commitment_due_on=today - datetime.timedelta(days=40),
        commitment_fulfilled_on=today - datetime.timedelta(days=50),
    )
    # A later draft answer does not replace the current one; a draft's commitment never shows.
    PositionFactory(postulate=fulfilled.postulate, commitment=SECRET, **DRAFT)
    PositionFactory(
        postulate=PostulateFactory(meeting__year__year=2025, **DRAFT), commitment=SECRET
    )
    return {"mops": mops, "overdue": overdue, "fulfilled": fulfilled}


def test_commitment_csv_names_the_postulate_the_answer_and_the_state(client, commitments):
    response = client.get("/postulaty/zobowiazania/eksport.csv")
    assert response.status_code == 200
    rows = read_csv(response)
    overdue = commitments["overdue"]
    postulate = overdue.postulate
    assert rows[0] == {
        "Identyfikator postulatu": str(postulate.pk),
        "Adres postulatu": absolute(f"/postulaty/{postulate.pk}/"),
        "Numer postulatu": "7",
        "Rok": "2025",
        "Spotkanie": postulate.meeting.title,
        "Cykl spotkań": "",
        "Organizacja": postulate.organisation.name,
        "Odpowiada": "Miejski Ośrodek Pomocy Społecznej",
        "Rozstrzygnięcie": overdue.outcome.name,
        "Data stanowiska": overdue.answered_on.isoformat(),
        "Zobowiązanie": "Otworzymy punkt porad – Łobzów",
        "Termin zobowiązania": overdue.commitment_due_on.isoformat(),
        "Data wykonania zobowiązania": "",
        "Stan": "po-terminie",
    }
    assert [row["Stan"] for row in rows] == ["po-terminie", "wykonane"]
    assert SECRET not in body(client.get("/postulaty/zobowiazania/eksport.csv")).decode()


def test_commitment_json_holds_what_the_list_shows_for_its_filters(client, commitments):
    params = {"stan": "po-terminie", "wydzial": commitments["mops"].slug, "rok": 2025}
    listed = client.get("/postulaty/zobowiazania/", params).context["page_obj"].object_list
    response = client.get("/postulaty/zobowiazania/eksport.json", params)
    data = read_json(response)
    assert [record["postulat"]["id"] for record in data["dane"]] == [
        answer.postulate_id for answer in listed
    ]
    assert data["dane"][0]["stan"] == "po-terminie"
    assert data["dane"][0]["postulat"]["rok"] == 2025
    assert 'filename="zobowiazania-po-terminie-mops-2025.json"' in response["Content-Disposition"]
    assert SECRET not in body(client.get("/postulaty/zobowiazania/eksport.json")).decode()


def test_the_commitments_list_links_to_its_exports(client, commitments):
    html = client.get("/postulaty/zobowiazania/", {"stan": "wykonane", "page": 1}).content.decode()
    assert 'href="/postulaty/zobowiazania/eksport.csv?stan=wykonane"' in html
    assert 'href="/postulaty/zobowiazania/eksport.json?stan=wykonane"' in html
