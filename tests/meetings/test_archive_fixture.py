"""The real archive (fixtures/archive.json) holds exactly what the city's page published.

The page itself is kept beside the fixture (fixtures/seed/), so these tests compare the two
rather than repeating the fixture's content."""

import datetime
import re
from collections import Counter

import pytest
from django.conf import settings
from django.core.management import call_command

from departments.models import Department, DepartmentChange
from meetings.models import ArchiveYear, Document, Meeting, MeetingDate, Round
from organisations.models import Organisation
from postulates.models import Outcome, Position, Postulate, PublicTaskArea
from programmes.models import Programme

pytestmark = pytest.mark.django_db

SEED = (settings.BASE_DIR / "fixtures" / "seed" / "materialy-ze-spotkan-z-ngo.txt").read_text()


@pytest.fixture
def archive():
    call_command("load_archive", verbosity=0)


def seed_link_texts():
    texts = re.findall(r"\[(.+?)\]\(#\)", SEED, flags=re.S)
    return [" ".join(text.replace("\\(", "(").replace("\\)", ")").split()) for text in texts]


def test_every_linked_document_of_the_page_is_in_the_archive_once(archive):
    assert Counter(Document.objects.values_list("title", flat=True)) == Counter(seed_link_texts())


def test_no_file_is_invented_where_the_page_links_nowhere(archive):
    assert not Document.objects.exclude(file="").exists()


def test_no_postulate_or_position_is_invented(archive):
    assert not Postulate.objects.exists()
    assert not Position.objects.exists()


def test_years_and_their_meetings(archive):
    per_year = {y.year: y.meetings.count() for y in ArchiveYear.objects.published()}
    assert per_year == {2026: 10, 2025: 15, 2024: 6, 2023: 1}


def test_every_date_on_the_page_is_a_meeting_date(archive):
    numeric = {
        datetime.date(int(y), int(m), int(d))
        for d, m, y in re.findall(r"(\d{2})\.(\d{2})\.(\d{4}) ?r\.", SEED)
    }
    # Dates written in words: "(5 czerwca 2025r.)", "11 i 25 czerwca 2024", "15 i 21 września 2023".
    worded = {
        datetime.date(2025, 6, 5),
        datetime.date(2025, 9, 3),
        datetime.date(2024, 9, 25),
        datetime.date(2024, 6, 10),
        datetime.date(2024, 6, 11),
        datetime.date(2024, 6, 25),
        datetime.date(2024, 6, 18),
        datetime.date(2024, 6, 19),
        datetime.date(2024, 6, 26),
        datetime.date(2023, 9, 15),
        datetime.date(2023, 9, 21),
    }
    stored = set(MeetingDate.objects.values_list("date", flat=True))
    assert stored == numeric | worded
    assert len(numeric) == 18  # distinct days; several meetings share one


def test_each_meeting_starts_on_its_first_date(archive):
    for meeting in Meeting.objects.prefetch_related("dates"):
        days = [d.date for d in meeting.dates.all()]
        assert meeting.starts_on == (min(days) if days else None), meeting.slug


def test_edge_cases_of_the_page(archive):
    two_days = Meeting.objects.get(slug="spotkania-w-wydziale-polityki-spolecznej-i-zdrowia")
    assert [d.date for d in two_days.dates.all()] == [
        datetime.date(2024, 6, 11),
        datetime.date(2024, 6, 25),
    ]
    skp = Meeting.objects.get(slug="spotkania-informacyjno-szkoleniowe-system-koordynacji-promocji")
    assert not skp.dates.exists()
    training = Meeting.objects.get(kind=Meeting.Kind.TRAINING)
    assert training.is_online and training.place == ""
    # The participants list on the page ends with a dangling comma; no empty organisation results.
    assert sorted(training.participants.values_list("name", flat=True)) == [
        "Faculty of Chemistry Jagiellonian University",
        "Fundacja Akcja Dla Dzikich Zwierząt - Kraków",
        "Fundacja Dzikusy Salamandry",
        "Koci Patrol",
    ]
    assert (
        training.participants.get(name__startswith="Faculty").kind == Organisation.Kind.UNIVERSITY
    )
    same_month = Meeting.objects.filter(
        year=2026, departments__slug="wydzial-polityki-spolecznej-rownosci-i-zdrowia"
    )
    assert sorted(same_month.values_list("title", flat=True)) == [
        "I spotkanie branżowe w Wydziale Polityki Społecznej, Równości i Zdrowia",
        "II spotkanie branżowe w Wydziale Polityki Społecznej, Równości i Zdrowia",
    ]


def test_misspelt_department_keeps_the_published_title_and_is_corrected_by_a_note(archive):
    document = Document.objects.get(title__contains="Dialogu, Konsultacji i Dialogu")
    meeting = document.meeting
    assert meeting.departments.get().name == (
        "Wydział Dialogu, Konsultacji i Kontaktu Obywatelskiego"
    )
    assert "Kontaktu Obywatelskiego" in meeting.editor_note


def test_renamed_departments_are_linked_and_keep_their_history(archive):
    changes = {
        (c.predecessor.name, c.successor.name, c.kind)
        for c in DepartmentChange.objects.select_related("predecessor", "successor")
    }
    assert changes == {
        (
            "Wydział Polityki Społecznej i Zdrowia",
            "Wydział Polityki Społecznej, Równości i Zdrowia",
            DepartmentChange.Kind.RENAME,
        ),
        (
            "Wydział Kultury i Dziedzictwa Narodowego",
            "Wydział Kultury",
            DepartmentChange.Kind.RENAME,
        ),
        (
            "Zarząd Infrastruktury Sportowej w Krakowie",
            "Wydział Sportu",
            DepartmentChange.Kind.TAKEOVER,
        ),
    }
    culture = Department.objects.get(slug="wydzial-kultury")
    assert [d.slug for d in culture.lineage()] == [
        "wydzial-kultury-i-dziedzictwa-narodowego",
        "wydzial-kultury",
    ]
    assert Meeting.objects.filter(departments__in=culture.lineage()).count() == 3


def test_rounds_carry_the_programme_they_prepare_and_their_positions(archive):
    rounds = {r.slug: r.programme.short_name for r in Round.objects.select_related("programme")}
    assert rounds == {
        "spotkania-branzowe-2026-rpw-2027": "RPW 2027",
        "spotkania-branzowe-czerwiec-2025": "RPW 2026",
        "spotkania-branzowe-czerwiec-2024": "RPW 2025",
        "spotkania-branzowe-2023-program-wieloletni-2024-2027": "Program wieloletni 2024–2027",
        "spotkania-branzowe-2023-rpw-2024": "RPW 2024",
    }
    city_positions = Document.objects.filter(kind=Document.Kind.CITY_POSITION, round__year=2023)
    assert city_positions.count() == 2
    assert Programme.objects.get(kind=Programme.Kind.MULTIANNUAL).last_year == 2027


def test_everything_real_is_published_and_none_of_it_is_sample_data(archive):
    for model in (ArchiveYear, Round, Meeting, Document, Department, Organisation, Programme):
        assert model.objects.published().count() == model.objects.count() > 0, model
        assert not model.objects.filter(is_sample=True).exists(), model


def test_vocabularies_are_loaded_for_editors(archive):
    assert list(Outcome.objects.values_list("name", flat=True)) == [
        "uwzględniony",
        "częściowo uwzględniony",
        "nieuwzględniony",
        "do dalszej analizy",
        "poza zakresem Programu",
        "wyjaśnienie / informacja",
    ]
    assert PublicTaskArea.objects.filter(name__startswith="Kultura, sztuka").exists()


def test_loading_again_never_overwrites_editors_changes(archive):
    meeting = Meeting.objects.get(slug="spotkanie-w-wydziale-sportu")
    meeting.topic = "Uzupełnione przez redakcję"
    meeting.save()
    call_command("load_archive", verbosity=0)
    meeting.refresh_from_db()
    assert meeting.topic == "Uzupełnione przez redakcję"
    assert Meeting.objects.count() == 32


def test_every_record_was_created_by_its_publication_and_its_card_says_so(archive, client):
    from django.db.models import F

    from tests.editors.test_record_card import record_data

    for model in (ArchiveYear, Round, Meeting, Document, Department, Organisation, Programme):
        assert not model.objects.filter(published_at__lt=F("created_at")).exists(), model
    meeting = Meeting.objects.published().order_by("pk").first()
    (data,) = record_data(client.get(meeting.get_absolute_url()))
    assert data["dateCreated"] <= data["datePublished"]
