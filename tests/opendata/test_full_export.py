"""The full export under /dane/: the ZIP opens, holds every file the schema lists and only
published records, its files agree with schema.json, and the page documents every field."""

import datetime
import json
import re
from unittest.mock import ANY

import pytest
from django.utils.html import escape

from opendata.archive import ARCHIVE_FILES
from pagecache import generation
from tests.factories import DocumentFactory, MeetingFactory, PositionFactory, PostulateFactory
from tests.opendata.conftest import SECRET, absolute, read_zip

pytestmark = pytest.mark.django_db

FILES = [
    "lata.json",
    "wydzialy.json",
    "organizacje.json",
    "programy.json",
    "cykle.json",
    "spotkania.json",
    "dokumenty.json",
    "postulaty.json",
    "stanowiska.json",
    "powiazania_postulatow.json",
    "sfery.json",
    "rozstrzygniecia.json",
]


@pytest.fixture
def files(client, archive):
    response = client.get("/dane/archiwum.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return read_zip(response)


def data(files, name):
    return json.loads(files[name])["dane"]


def ids(files, name, key="id"):
    return {record[key] for record in data(files, name)}


def test_the_zip_holds_every_file(files):
    assert sorted(files) == sorted([*FILES, "schema.json", "LICENCJA.txt"])
    assert [file.name for file in ARCHIVE_FILES] == FILES


def test_nothing_unpublished_is_in_the_zip(files):
    for name, text in files.items():
        assert SECRET not in text, name
    assert ids(files, "lata.json", "rok") == {2024, 2025}


def test_records_match_what_was_published(files, archive):
    meetings = {r["id"]: r for r in data(files, "spotkania.json")}
    assert set(meetings) == {
        m.pk for m in (archive[k] for k in ("zielen", "online", "in_draft_round"))
    }
    # Its round, programme, participant and one department are drafts: left out.
    in_draft_round = meetings[archive["in_draft_round"].pk]
    assert (in_draft_round["cykl_id"], in_draft_round["program_id"]) == (None, None)
    assert in_draft_round["wydzialy_id"] == [archive["culture"].pk]
    assert in_draft_round["organizacje_id"] == []
    zielen = meetings[archive["zielen"].pk]
    assert zielen["tytul"] == "Spotkanie o zieleni: żółw, źrebię i łąki"
    assert zielen["daty"] == ["2025-06-10", "2025-06-11"]
    assert zielen["cykl_id"] == archive["round"].pk
    assert zielen["program_id"] == archive["programme"].pk
    assert zielen["organizacje_id"] == [archive["organisation"].pk]
    assert sorted(zielen["wydzialy_id"]) == sorted(
        [archive["culture"].pk, archive["environment"].pk]
    )
    postulates = {r["id"]: r for r in data(files, "postulaty.json")}
    assert len(postulates) == 3
    assert postulates[archive["private"].pk]["organizacja_id"] is None
    assert postulates[archive["postulate"].pk]["zestawienie_id"] == archive["document"].pk
    assert postulates[archive["postulate"].pk]["tresc"] == (
        "Więcej łąk kwietnych przy ulicach; żadnych koszeń w maju."
    )
    positions = {r["id"]: r for r in data(files, "stanowiska.json")}
    assert positions[archive["latest"].pk]["dokument_id"] == archive["document"].pk
    assert len(positions) == 3
    departments = {r["id"]: r for r in data(files, "wydzialy.json")}
    culture, old_culture = archive["culture"].pk, archive["old_culture"].pk
    assert [link["id"] for link in departments[culture]["poprzednicy"]] == [old_culture]
    assert departments[culture]["nastepcy"] == []  # its successor is a draft
    assert departments[old_culture]["nastepcy"] == [
        {"id": culture, "rodzaj_zmiany": "zmiana nazwy", "rok": 2024, "opis": ""}
    ]
    document = data(files, "dokumenty.json")[0]
    assert document["adres"] == absolute(archive["document"].get_absolute_url())
    assert document["plik"] is None


def test_references_point_only_to_exported_records(files):
    targets = {
        "rok": ids(files, "lata.json", "rok"),
        "wydzial": ids(files, "wydzialy.json"),
        "organizacja": ids(files, "organizacje.json"),
        "program": ids(files, "programy.json"),
        "cykl": ids(files, "cykle.json"),
        "spotkanie": ids(files, "spotkania.json"),
        "dokument": ids(files, "dokumenty.json"),
        "zestawienie": ids(files, "dokumenty.json"),
        "postulat": ids(files, "postulaty.json"),
        "powiazany_postulat": ids(files, "postulaty.json"),
        "sfera": ids(files, "sfery.json"),
        "rozstrzygniecie": ids(files, "rozstrzygniecia.json"),
        "wydzial_wlasciwy": ids(files, "wydzialy.json"),
        "wydzial_koordynujacy": ids(files, "wydzialy.json"),
        "wydzialy": ids(files, "wydzialy.json"),
        "organizacje": ids(files, "organizacje.json"),
    }
    checked = 0
    for name in FILES:
        for record in data(files, name):
            for key, value in record.items():
                if key.endswith("_id") and value is not None:
                    target = targets[key.removesuffix("_id")]
                    assert set(value if isinstance(value, list) else [value]) <= target, (
                        name,
                        key,
                    )
                    checked += 1
            if name in ("cykle.json", "spotkania.json"):
                assert record["rok"] in targets["rok"]
            for link in record.get("poprzednicy", []) + record.get("nastepcy", []):
                assert link["id"] in targets["wydzial"]
    assert checked > 10


DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def matches(value, field):
    """Whether `value` has the type schema.json gives `field`."""
    if value is None:
        return field["null"]
    kind = field["typ"]
    if kind == "array":
        if not isinstance(value, list):
            return False
        if "pola" in field:
            return all(matches(item, {**field, "typ": "object", "null": False}) for item in value)
        return all(matches(item, {"typ": field["elementy"], "null": False}) for item in value)
    if kind == "object":
        if "pola" not in field:  # the envelope's "dane"
            return isinstance(value, dict)
        return (
            isinstance(value, dict)
            and sorted(value) == sorted(sub["nazwa"] for sub in field["pola"])
            and all(matches(value[sub["nazwa"]], sub) for sub in field["pola"])
        )
    return {
        "integer": lambda: isinstance(value, int) and not isinstance(value, bool),
        "string": lambda: isinstance(value, str),
        "boolean": lambda: isinstance(value, bool),
        "date": lambda: isinstance(value, str) and bool(DATE.match(value)),
        "datetime": lambda: (
            isinstance(value, str) and datetime.datetime.fromisoformat(value).tzinfo is not None
        ),
        "url": lambda: isinstance(value, str) and value.startswith(("https://", "http://")),
    }[kind]()


def test_schema_matches_every_file(files):
    schema = json.loads(files["schema.json"])
    assert [entry["plik"] for entry in schema["pliki"]] == FILES
    envelope = schema["koperta"]
    for entry in schema["pliki"]:
        document = json.loads(files[entry["plik"]])
        assert list(document) == [field["nazwa"] for field in envelope]
        for field in envelope:
            assert matches(document[field["nazwa"]], field), (entry["plik"], field["nazwa"])
        assert document["liczba"] == len(document["dane"])
        assert document["dane"], entry["plik"]  # each file is checked on real records
        names = [field["nazwa"] for field in entry["pola"]]
        for record in document["dane"]:
            assert list(record) == names, entry["plik"]
            for field in entry["pola"]:
                assert matches(record[field["nazwa"]], field), (entry["plik"], field["nazwa"])


def test_list_exports_match_their_documented_fields(client, archive):
    from opendata.lists import MEETINGS, POSTULATES

    for export, url in (
        (MEETINGS, "/spotkania/eksport.json"),
        (POSTULATES, "/postulaty/eksport.json"),
    ):
        fields = [field.describe() for field in export.fields]
        response = client.get(url)
        records = json.loads(b"".join(response.streaming_content))["dane"]
        assert records
        for record in records:
            assert list(record) == [field["nazwa"] for field in fields]
            for field in fields:
                assert matches(record[field["nazwa"]], field), (url, field["nazwa"])


def test_the_licence_travels_with_the_data(files):
    licence = files["LICENCJA.txt"]
    assert "CC BY 4.0" in licence
    assert "Gmina Miejska Kraków" in licence
    assert "ustawa z dnia 11 sierpnia 2021 r. o otwartych danych" in licence
    assert json.loads(files["spotkania.json"])["licencja"]["nazwa"] == "CC BY 4.0"


def test_the_schema_is_also_served_alone(client, files):
    response = client.get("/dane/schema.json")
    assert response.status_code == 200
    assert response.json() == json.loads(files["schema.json"])


def test_the_page_documents_every_file_and_field_and_the_licence(client, archive):
    response = client.get("/dane/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Otwarte dane – " in html
    assert 'href="/dane/archiwum.zip"' in html
    for file in ARCHIVE_FILES:
        assert f"<code>{file.name}</code>" in html
        for path, field in file.flat_fields:
            row = f"<tr><td><code>{path}</code></td><td>{escape(field.type_label)}</td>"
            assert f"{row}<td>{escape(field.description)}</td></tr>" in html, path
    assert "<code>poprzednicy[].rodzaj_zmiany</code>" in html
    assert "<code>stanowiska[].rozstrzygniecie</code>" in html  # the postulate list's export
    assert "CC BY 4.0" in html
    assert "Gmina Miejska Kraków" in html
    assert "o otwartych danych i ponownym wykorzystywaniu informacji sektora publicznego" in html
    assert SECRET not in html


def test_zip_query_count_does_not_grow_with_the_archive(client, django_assert_max_num_queries):
    client.get("/dane/archiwum.zip")  # the first build records the file; later ones replace it
    counts = []
    for size in (5, 45):
        for _ in range(size):
            meeting = MeetingFactory()
            meeting.participants.add(PostulateFactory(meeting=meeting).organisation)
            DocumentFactory(meeting=meeting)
            PositionFactory(postulate=meeting.postulates.get())
        generation.invalidate()  # changed data: the file is built anew
        # 2 per file (count, rows) and the build's own: the data's generation (which reads
        # the next scheduled publication), the stored file, the size check, saving it.
        with django_assert_max_num_queries(60) as captured:
            files = read_zip(client.get("/dane/archiwum.zip"))
        assert len(json.loads(files["spotkania.json"])["dane"]) == (5 if size == 5 else 50)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts


def test_links_between_published_postulates_are_exported_and_drafts_never_named(client):
    from core.publishing import Status
    from tests.factories import PostulateLinkFactory

    earlier = PostulateFactory(content="Więcej lokali dla organizacji")
    later = PostulateFactory(content="Więcej lokali – ponownie")
    draft = PostulateFactory(content="Szkic", status=Status.DRAFT)
    PostulateLinkFactory(from_postulate=later, to_postulate=earlier, kind="ponownie")
    PostulateLinkFactory(from_postulate=draft, to_postulate=earlier, kind="duplikat")
    PositionFactory(
        postulate=later,
        commitment="Przegląd lokali do końca roku",
        commitment_due_on=datetime.date(2026, 12, 31),
    )
    files = read_zip(client.get("/dane/archiwum.zip"))
    assert data(files, "powiazania_postulatow.json") == [
        {
            "id": ANY,
            "postulat_id": later.pk,
            "powiazany_postulat_id": earlier.pk,
            "rodzaj": "zgłoszony ponownie",
        }
    ]
    (position,) = data(files, "stanowiska.json")
    assert position["zobowiazanie"] == "Przegląd lokali do końca roku"
    assert position["termin_zobowiazania"] == "2026-12-31"
    assert position["data_wykonania_zobowiazania"] is None
