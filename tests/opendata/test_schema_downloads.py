"""schema.json describes every download of the archive, not only the full export's files:
the lists' CSV/JSON files (meetings, postulates, commitments) and the statistics' CSV, each
from the definitions that write it, so its fields and columns are the files' real ones."""

import csv
import io
import json

import pytest

from tests.factories import MeetingFactory, PositionFactory, PostulateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    PositionFactory(
        postulate=PostulateFactory(meeting=MeetingFactory()),
        commitment="Remont świetlicy",
    )
    return client.get("/dane/schema.json").json()


def header_of(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return next(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_every_list_download_is_described_with_its_real_columns_and_fields(client, schema):
    described = {entry["tytul"]: entry for entry in schema["eksporty"]}
    assert [entry["pliki"] for entry in schema["eksporty"]] == [
        ["https://testserver/spotkania/eksport.csv", "https://testserver/spotkania/eksport.json"],
        ["https://testserver/postulaty/eksport.csv", "https://testserver/postulaty/eksport.json"],
        [
            "https://testserver/postulaty/zobowiazania/eksport.csv",
            "https://testserver/postulaty/zobowiazania/eksport.json",
        ],
    ]
    for entry in described.values():
        csv_url, json_url = (url.removeprefix("https://testserver") for url in entry["pliki"])
        assert header_of(client.get(csv_url)) == entry["kolumny_csv"]
        response = client.get(json_url)
        records = json.loads(b"".join(response.streaming_content))["dane"]
        assert records, csv_url
        assert list(records[0]) == [field["nazwa"] for field in entry["pola"]]
    # The commitments' JSON records have the justification, their CSV has no such column: the
    # schema says each as it is.
    commitments = described["Zobowiązania Miasta"]
    assert "uzasadnienie" in [field["nazwa"] for field in commitments["pola"]]
    assert not any("zasadnienie" in column for column in commitments["kolumny_csv"])


def test_every_statistics_file_is_described_with_its_real_columns(client, schema):
    assert [entry["plik"] for entry in schema["statystyki"]] == [
        "https://testserver/statystyki/lata.csv",
        "https://testserver/statystyki/wydzialy.csv",
        "https://testserver/statystyki/sfery.csv",
        "https://testserver/statystyki/programy.csv",
    ]
    for entry in schema["statystyki"]:
        response = client.get(entry["plik"].removeprefix("https://testserver"))
        assert header_of(response) == entry["kolumny_csv"]
