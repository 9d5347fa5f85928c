"""The meeting's history as editors use it: each save records only what it changed, the revert
page lists what a revert would change before its button, imports and publications are entries
in the meeting's history, and a revert says so."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from pytest_django.asserts import assertContains, assertNotContains
from reversion.models import Version

from core.publishing import Status
from meetings.models import Document, Meeting
from postulates.models import Position, Postulate
from tests.admin_forms import form_data
from tests.factories import DocumentFactory, PositionFactory, PostulateFactory, RoundFactory

pytestmark = pytest.mark.django_db

BUTTON = 'value="Przywróć tę wersję"'


def change_url(meeting):
    return reverse("admin:meetings_meeting_change", args=[meeting.pk])


def save_meeting(client, meeting, **overrides):
    url = change_url(meeting)
    response = client.post(url, form_data(client.get(url), "meeting_form", **overrides))
    assert response.status_code == 302, response.context["errors"]


def versions(record):
    return Version.objects.get_for_object(record).count()


def history_entries(client, record):
    opts = record._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[record.pk])
    return client.get(url).context["action_list"]


def revision_url(meeting, version):
    return reverse("admin:meetings_meeting_revision", args=[meeting.pk, version.pk])


def version_titled(meeting, title):
    return next(
        version
        for version in Version.objects.get_for_object(meeting)
        if version.field_dict["title"] == title
    )


def changes_block(response):
    """The list of what the revert changes, up to its button."""
    html = response.content.decode()
    start = html.index('id="revert-changes"')
    return html[start : html.index(BUTTON, start)]


def moment(version):
    return date_format(timezone.localtime(version.revision.date_created), "DATETIME_FORMAT")


# --- 3. A save records only what it changed ---------------------------------------------------


def test_saving_a_meetings_title_leaves_the_history_of_its_answers_alone(world, login):
    client = login("kultura")
    meeting, answer = world["own"]["meeting"], world["own"]["position"]
    save_meeting(client, meeting, title="Pierwszy tytuł")  # their first versions
    before = {
        record: versions(record)
        for record in (answer, world["own"]["postulate"], world["own"]["document"])
    }
    answer_history = len(history_entries(client, answer))

    save_meeting(client, meeting, title="Drugi tytuł")

    assert {record: versions(record) for record in before} == before
    assert len(history_entries(client, answer)) == answer_history
    latest = history_entries(client, meeting)[-1]["revision"]
    assert [v.object_repr for v in latest.version_set.all()] == ["Drugi tytuł"]


def test_changing_one_answer_on_the_meeting_page_records_only_that_answer(world, login):
    client = login("kultura")
    meeting, answer = world["own"]["meeting"], world["own"]["position"]
    untouched = PositionFactory(
        postulate=PostulateFactory(meeting=meeting, number=99, content="Drugi postulat")
    )
    save_meeting(client, meeting)
    counts = {record: versions(record) for record in (answer, untouched, untouched.postulate)}

    data = form_data(client.get(change_url(meeting)), "meeting_form")
    prefix = next(
        key.removesuffix("id")
        for key, value in data.items()
        if key.startswith("postulates-")
        and key.endswith("-id")
        and value == str(answer.postulate_id)
    )
    data[f"{prefix}justification"] = "Uzasadnienie poprawione"
    client.post(change_url(meeting), data)

    assert versions(answer) == counts[answer] + 1
    assert versions(untouched) == counts[untouched]
    assert versions(untouched.postulate) == counts[untouched.postulate]


def test_a_revert_also_restores_the_records_its_revision_only_listed(world, login):
    """A revision keeps no version of an unchanged answer, yet reverting to it brings the
    answer back as it was then."""
    client = login("kultura")
    meeting, answer = world["own"]["meeting"], world["own"]["position"]
    save_meeting(client, meeting, title="Pierwszy tytuł")
    save_meeting(client, meeting, title="Drugi tytuł")
    second = version_titled(meeting, "Drugi tytuł")
    assert not Version.objects.get_for_object(answer).filter(revision=second.revision).exists()
    Position.objects.filter(pk=answer.pk).update(justification="Zmienione później")

    url = revision_url(meeting, second)
    page = client.get(url)
    block = changes_block(page)
    assert "Zmienione później" in block and "Odpowiedź: Spotkanie kultury" in block
    client.post(url, form_data(page, "meeting_form"))

    assert Position.objects.get(pk=answer.pk).justification == "Odpowiedź: Spotkanie kultury"
    assert Meeting.objects.get(pk=meeting.pk).title == "Drugi tytuł"


# --- 1. What a revert changes, before its button ----------------------------------------------


def test_the_revert_page_lists_what_would_change_then_the_button(world, login):
    client = login("kultura")
    meeting, document = world["own"]["meeting"], world["own"]["document"]
    save_meeting(client, meeting, title="Tytuł pierwotny")
    first = version_titled(meeting, "Tytuł pierwotny")
    save_meeting(client, meeting, title="Tytuł po zmianie")
    added = PostulateFactory(meeting=meeting, number=77, content="Postulat dodany później")
    added_answer = PositionFactory(postulate=added, justification="Odpowiedź dodana później")
    client.post(reverse("admin:meetings_document_delete", args=[document.pk]), {"post": "yes"})
    assert not Document.objects.filter(pk=document.pk).exists()

    url = revision_url(meeting, first)
    page = client.get(url)
    assertContains(page, BUTTON)
    block = changes_block(page)
    assert "Co zmieni przywrócenie wersji z " + moment(first) in block
    assert "<caption>Spotkanie: Tytuł po zmianie</caption>" in block
    assert (
        '<tr><th scope="row">Tytuł</th><td>Tytuł po zmianie</td><td>Tytuł pierwotny</td></tr>'
        in block
    )
    deleted = block.index("Zostaną usunięte – dodano je po tej wersji")
    restored = block.index("Zostaną odtworzone – usunięto je po tej wersji")
    assert deleted < block.index("Postulat nr 77: Postulat dodany później") < restored
    assert block.index("Podsumowanie: Spotkanie kultury", restored)
    # Unchanged records are not listed: the day, the department, the answer.
    assert "Termin spotkania" not in block
    assert "<caption>Stanowisko" not in block

    client.post(url, form_data(page, "meeting_form"))
    assert Meeting.objects.get(pk=meeting.pk).title == "Tytuł pierwotny"
    assert not Postulate.objects.filter(pk=added.pk).exists()
    assert not Position.objects.filter(pk=added_answer.pk).exists()  # deleted before its postulate
    assert Document.objects.get(pk=document.pk).title == "Podsumowanie: Spotkanie kultury"


def test_the_revert_page_of_a_meeting_of_sixty_postulates_lists_only_the_changed_one(world, login):
    client = login("kultura")
    meeting = world["own"]["meeting"]
    # Numbered above the world's own postulates, whose numbers come from a session-wide sequence.
    base = (meeting.postulates.aggregate(top=Max("number"))["top"] or 0) + 1000
    for number in range(base, base + 59):
        PositionFactory(
            postulate=PostulateFactory(meeting=meeting, number=number, content=f"Postulat {number}")
        )
    save_meeting(client, meeting, title="Przed poprawką")
    first = version_titled(meeting, "Przed poprawką")
    changed = Postulate.objects.get(meeting=meeting, number=base + 30)
    changed.content = f"Postulat {base + 30}, poprawiony"
    changed.save()

    block = changes_block(client.get(revision_url(meeting, first)))
    assert block.count("<table") == 1
    assert (
        f"<caption>Postulat: Postulat nr {base + 30}: Postulat {base + 30}, poprawiony</caption>"
        in block
    )
    assert (
        f'<tr><th scope="row">Treść</th><td>Postulat {base + 30}, poprawiony</td>'
        f"<td>Postulat {base + 30}</td></tr>" in block
    )
    assert "Zostaną usunięte" not in block and "Zostaną odtworzone" not in block


def test_long_values_are_shortened_in_the_list(world, login):
    client = login("kultura")
    meeting = world["own"]["meeting"]
    save_meeting(client, meeting, topic="Krótki temat")
    first = Version.objects.get_for_object(meeting).first()
    save_meeting(client, meeting, topic="Bardzo długi temat spotkania " * 10)

    block = changes_block(client.get(revision_url(meeting, first)))
    shortened = "Bardzo długi temat spotkania " * 2 + "Bardzo długi temat sp…"
    assert f'<th scope="row">Temat</th><td>{shortened}</td><td>Krótki temat</td>' in block


def test_a_revert_that_would_delete_a_record_cited_elsewhere_changes_nothing(world, login):
    client = login("koordynator")
    meeting = world["own"]["meeting"]
    save_meeting(client, meeting, title="Przed nowym dokumentem")
    first = version_titled(meeting, "Przed nowym dokumentem")
    save_meeting(client, meeting, title="Z nowym dokumentem")
    cited = DocumentFactory(meeting=meeting, title="Dokument dodany później")
    Position.objects.filter(pk=world["other"]["position"].pk).update(document=cited)

    url = revision_url(meeting, first)
    response = client.post(url, form_data(client.get(url), "meeting_form"), follow=True)
    assertContains(response, "Tej wersji nie można przywrócić")
    assertContains(response, "stanowisko: 1")
    assertNotContains(response, "Odpowiedź: Spotkanie sportu")
    assert Meeting.objects.get(pk=meeting.pk).title == "Z nowym dokumentem"
    assert Document.objects.filter(pk=cited.pk).exists()


# --- 4. The message after a revert ------------------------------------------------------------


def test_after_a_revert_the_message_says_which_version_came_back(world, login):
    client = login("kultura")
    meeting = world["own"]["meeting"]
    save_meeting(client, meeting, title="Spotkanie kultury – wersja 1")
    first = version_titled(meeting, "Spotkanie kultury – wersja 1")
    save_meeting(client, meeting, title="Spotkanie kultury – wersja 2")

    url = revision_url(meeting, first)
    response = client.post(url, form_data(client.get(url), "meeting_form"))
    assert response.url == change_url(meeting)
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        f"Przywrócono wersję z {moment(first)}: Spotkanie kultury – wersja 1"
    ]
    latest = Version.objects.get_for_object(meeting).first().revision
    assert latest.comment == f"Przywrócono wersję z {moment(first)}."


# --- 2. Imports and publications in the meeting's history -------------------------------------


def test_an_import_is_an_entry_in_the_meetings_history(world, login):
    client = login("kultura")
    meeting = world["own"]["meeting"]
    rows = "".join(f"{n};Postulat z arkusza {n};Koci Patrol\n" for n in (201, 202, 203))
    sheet = f"Nr;Treść postulatu;Organizacja\n{rows}".encode()
    url = reverse("admin:meetings_meeting_import_postulates", args=[meeting.pk])
    preview = client.post(url, {"file": SimpleUploadedFile("lista-kultura.csv", sheet)})
    client.post(url, {"token": preview.context["token"]})

    entry = history_entries(client, meeting)[-1]["revision"]
    assert entry.user.username == "kultura"
    assert entry.comment == (
        "Zaimportowano 3 postulaty z pliku „lista-kultura.csv” (stanowiska: 0, nowe "
        "organizacje: 1)."
    )
    history = client.get(reverse("admin:meetings_meeting_history", args=[meeting.pk]))
    assertContains(history, "Zaimportowano 3 postulaty z pliku „lista-kultura.csv”")
    # The imported postulates have their first versions: a revert or a recovery knows them.
    imported = Postulate.objects.get(meeting=meeting, number=202)
    assert Version.objects.get_for_object(imported).get().revision == entry


def test_publishing_a_meeting_is_an_entry_in_its_history_even_when_it_was_public(world, login):
    client = login("kultura")
    meeting = world["own"]["meeting"]
    Postulate.objects.filter(pk=world["own"]["postulate"].pk).update(
        status=Status.DRAFT, published_at=None
    )
    assert meeting.status == Status.PUBLISHED
    publish_url = reverse("admin:meetings_meeting_publish", args=[meeting.pk])
    client.post(publish_url, {"when": "now"})

    entry = history_entries(client, meeting)[-1]["revision"]
    assert entry.comment.startswith(
        "Opublikowano spotkanie ze wszystkim, co zawiera (wpisów: 1), widoczne od "
    )
    postulate = world["own"]["postulate"]
    assert Version.objects.get_for_object(postulate).filter(revision=entry).exists()


def test_a_scheduled_publication_is_an_entry_in_the_meetings_history(world, login):
    client = login("kultura")
    meeting = world["own"]["meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(status=Status.DRAFT)
    at = timezone.localtime() + datetime.timedelta(days=3)
    publish_url = reverse("admin:meetings_meeting_publish", args=[meeting.pk])
    client.post(publish_url, {"when": "later", "at": at.strftime("%Y-%m-%dT%H:%M")})

    entry = history_entries(client, meeting)[-1]["revision"]
    assert entry.comment == (
        "Zaplanowano publikację spotkania ze wszystkim, co zawiera, na "
        f"{at:%-d.%m.%Y, %H:%M} (wpisów: 1)."
    )


def test_publishing_nothing_adds_no_history_entry(world, login):
    client = login("kultura")
    meeting = world["own"]["meeting"]
    before = versions(meeting)
    client.post(reverse("admin:meetings_meeting_publish", args=[meeting.pk]), {"when": "now"})
    assert versions(meeting) == before


# --- Recovery and scoping still hold ----------------------------------------------------------


def test_a_meeting_deleted_after_saves_that_kept_few_versions_comes_back_whole(world, login):
    client = login("kultura")
    meeting = world["own"]["meeting"]
    save_meeting(client, meeting, title="Pierwszy tytuł")
    save_meeting(client, meeting, title="Ostatni tytuł")
    client.post(reverse("admin:meetings_meeting_delete", args=[meeting.pk]), {"post": "yes"})
    assert not Meeting.objects.filter(pk=meeting.pk).exists()

    client = login("koordynator")
    version = Version.objects.get_deleted(Meeting).get(object_id=str(meeting.pk))
    url = reverse("admin:meetings_meeting_recover", args=[version.pk])
    page = client.get(url)
    block = changes_block(page)
    assert "Zostaną odtworzone – usunięto je po tej wersji" in block
    assert "Stanowisko: 1" in block and "Postulat: 1" in block and "Dokument: 1" in block
    client.post(url, form_data(page, "meeting_form"))

    assert Meeting.objects.get(pk=meeting.pk).title == "Ostatni tytuł"
    assert Position.objects.get(pk=world["own"]["position"].pk).justification == (
        "Odpowiedź: Spotkanie kultury"
    )
    assert Document.objects.filter(pk=world["own"]["document"].pk).exists()


def test_an_editor_never_sees_the_changes_of_a_revision_listing_another_departments_answer(
    world, login
):
    """On a joint meeting the sport department answered a postulate: the revision lists that
    answer even where it keeps no version of it, so the culture editor may not revert it and
    the page never shows it."""
    meeting = world["own"]["meeting"]
    PositionFactory(
        postulate=world["own"]["postulate"],
        department=world["sport"],
        justification="Odpowiedź Wydziału Sportu",
    )
    coordinator = login("koordynator")
    save_meeting(coordinator, meeting, title="Pierwszy tytuł")
    save_meeting(coordinator, meeting, title="Drugi tytuł")
    second = version_titled(meeting, "Drugi tytuł")
    assert second.revision.version_set.count() == 1  # the meeting only

    client = login("kultura")
    url = revision_url(meeting, second)
    shown = client.get(url, follow=True)
    assertContains(shown, "Tej wersji nie można przywrócić")
    assertNotContains(shown, "Odpowiedź Wydziału Sportu")
    assertNotContains(shown, "revert-changes")
    client.post(url, {"title": "Pierwszy tytuł"})
    assert Meeting.objects.get(pk=meeting.pk).title == "Drugi tytuł"


def test_the_list_of_changes_does_not_name_another_departments_record(world, login):
    meeting = world["own"]["meeting"]
    client = login("kultura")
    save_meeting(client, meeting, title="Bez cyklu")
    first = version_titled(meeting, "Bez cyklu")
    sport_round = RoundFactory(title="Cykl Wydziału Sportu", coordinator=world["sport"])
    Meeting.objects.filter(pk=meeting.pk).update(round=sport_round)  # as a coordinator may

    block = changes_block(client.get(revision_url(meeting, first)))
    assert (
        '<tr><th scope="row">Cykl spotkań</th><td>wpis innego wydziału</td><td>—</td></tr>' in block
    )
    assert "Cykl Wydziału Sportu" not in block


def test_another_departments_revision_page_is_not_found(world, login):
    other = world["other"]["meeting"]
    save_meeting(login("sport"), other, title="Sport: wersja 1")
    version = Version.objects.get_for_object(other).first()
    client = login("kultura")
    assert client.get(revision_url(other, version)).status_code == 404
    # Nor through one's own meeting's address with another meeting's version.
    own = world["own"]["meeting"]
    assert (
        client.get(
            reverse("admin:meetings_meeting_revision", args=[own.pk, version.pk])
        ).status_code
        == 404
    )
