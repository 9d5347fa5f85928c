"""What a redaction reaches beyond plain text, from the outside: the name in any spelling in an
answer's earlier versions (the postulate's page and the API), whole words only, page
addresses and stored files, and the change register (an entry saying a redaction happened,
never the name). And the register's rows as they were written: a meeting's persons list
changes, and a signature renamed since."""

import datetime
import json
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from history.models import Redaction, RegisterEntry, StaffName
from meetings.models import Meeting, MeetingPerson
from postulates.models import PositionRevision
from tests.editors.test_redaction import save
from tests.factories import DocumentFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def redact(client, name):
    add = reverse("admin:history_redaction_add")
    response = client.post(add, {"name": name, "previewed": name})
    assert response.status_code == 302
    return Redaction.objects.latest("at")


def page_register(response):
    html = response.content.decode()
    start = html.index('<section class="record-card"')
    card = html[start : html.index("</section>", start)]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", li).split())
        for li in re.findall(r"<li>(.*?)</li>", card, re.S)
    ]


def register_url():
    today = timezone.localdate()
    return (
        reverse("history:register")
        + f"?od={today - datetime.timedelta(days=1)}&do={today + datetime.timedelta(days=1)}"
    )


def test_an_answers_earlier_version_without_polish_letters_is_redacted_on_the_page_and_api(
    world, login, client, django_capture_on_commit_callbacks
):
    own = world["own"]
    editor = login("kultura")
    save(editor, own["position"], justification="Odpowiedź przekazał Lukasz Slazak.")
    save(editor, own["position"], justification="Odpowiedź przekazano Ślązakowi Łukaszowi.")
    save(editor, own["position"], justification="Odpowiedź poprawiona.")
    assert PositionRevision.objects.count() == 3
    client.logout()
    postulate_page = own["postulate"].get_absolute_url()
    api = "/api/v1/stanowiska/"
    assertContains(client.get(postulate_page), "Lukasz Slazak")
    assert "Slazak" in client.get(api).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        redact(login("koordynator"), "Łukasz Ślązak")
    client.logout()
    for url in (postulate_page, api):
        text = client.get(url).content.decode()
        assert not re.search(r"(?i)sl[aą]zak|ślązak|łukasz|lukasz", text), url
    assert set(PositionRevision.objects.values_list("justification", flat=True)) == {
        "Odpowiedź: Spotkanie kultury",
        "Odpowiedź przekazał [dane osobowe usunięte].",
        "Odpowiedź przekazano [dane osobowe usunięte].",
    }


@pytest.mark.parametrize(
    ("redacted", "kept"), [("Jan Kowal", "Jan Kowalski"), ("Jan Kowalski", "Jan Kowal")]
)
def test_only_whole_words_of_the_name_are_redacted(world, login, redacted, kept):
    meeting = world["own"]["meeting"]
    editor = login("kultura")
    save(editor, meeting, topic=f"Prowadził {kept}; notował {redacted}.")
    done = redact(login("koordynator"), redacted)
    meeting.refresh_from_db()
    assert meeting.topic == f"Prowadził {kept}; notował [dane osobowe usunięte]."
    # The versions counted are those changed: the one naming both, not every one naming the
    # other person.
    assert done.versions == 1


@pytest.mark.parametrize(
    ("redacted", "text", "expected"),
    [
        (
            "Ewa Testowska-Nowa",
            "Notowała Ewa Testowska-Nowa z Centrum Obywatelskiego Nowa Huta.",
            "Notowała [dane osobowe usunięte] z Centrum Obywatelskiego Nowa Huta.",
        ),
        (
            "Zofia Testowa",
            "Zaplanowane testowo; prowadziła Testowa Zofia.",
            "Zaplanowane testowo; prowadziła [dane osobowe usunięte].",
        ),
        (
            "Maria Sport",
            "Wydział Sportu i klub sportowy; mówiła Marii Sport.",
            "Wydział Sportu i klub sportowy; mówiła [dane osobowe usunięte].",
        ),
    ],
)
def test_only_the_whole_name_is_redacted_never_a_word_like_its_surname(
    world, login, redacted, text, expected
):
    meeting = world["own"]["meeting"]
    save(login("kultura"), meeting, topic=text)
    redact(login("koordynator"), redacted)
    meeting.refresh_from_db()
    assert meeting.topic == expected


def test_addresses_and_files_naming_the_person_are_renamed_leaving_no_redirect(
    world, login, client, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(
        title="Spotkanie z Zofią Wiśniewską",
        slug="spotkanie-w-maju",
        departments=[world["culture"]],
        dates=[datetime.date(2025, 5, 11)],
    )
    neutral_url = meeting.get_absolute_url()
    meeting.slug = "spotkanie-zofii-wisniewskiej"
    meeting.save()  # renamed: its first address now redirects
    named_url = meeting.get_absolute_url()
    meeting.slug = "spotkanie-z-zofia-wisniewska"
    meeting.save()
    document = DocumentFactory(meeting=meeting, title="Notatka", slug="notatka-zofii-wisniewskiej")
    document.file.save("notatka-zofia-wisniewska.pdf", ContentFile(b"%PDF-1.4 notatka"))
    old_file = document.file.name
    old_document_url = document.get_absolute_url()
    assert "wisniewska" in old_file
    assert client.get(named_url).status_code == 301

    with django_capture_on_commit_callbacks(execute=True):
        redact(login("koordynator"), "Zofia Wiśniewska")
    client.logout()
    meeting.refresh_from_db()
    document.refresh_from_db()
    assert meeting.slug == "spotkanie-z-dane-osobowe-usuniete"
    assert document.slug == "notatka-dane-osobowe-usuniete"
    # The old addresses naming her lead nowhere; the one that never named her still leads
    # to the page.
    for url in (named_url, old_document_url, f"{old_document_url}pobierz/"):
        assert client.get(url).status_code == 404, url
    moved = client.get(neutral_url)
    assert moved.status_code == 301
    assert moved["Location"] == meeting.get_absolute_url()
    assertContains(client.get(meeting.get_absolute_url()), "[dane osobowe usunięte]")
    download = client.get(document.get_download_url())
    assert download.status_code == 200
    assert "wisniewsk" not in download["Content-Disposition"].lower()
    assert "wisniewsk" not in document.file.name
    assert default_storage.exists(document.file.name)
    assert not default_storage.exists(old_file)
    assert b"".join(download.streaming_content) == b"%PDF-1.4 notatka"


def test_a_redaction_enters_the_register_without_the_name(
    world, login, client, django_user_model, django_capture_on_commit_callbacks
):
    own = world["own"]
    editor = login("kultura")
    save(editor, own["postulate"], content="Postulat zgłoszony przez: Zofia Wiśniewska.")
    postulate = own["postulate"]
    client.logout()
    before = page_register(client.get(postulate.get_absolute_url()))

    coordinator = login("koordynator")
    StaffName.objects.create(
        user=django_user_model.objects.get(username="koordynator"),
        name="Ewa Koordynatorka",
        role="koordynatorka",
    )
    with django_capture_on_commit_callbacks(execute=True):
        redact(coordinator, "Zofia Wiśniewska")
    client.logout()
    response = client.get(postulate.get_absolute_url())
    after = page_register(response)
    assert len(after) == len(before) + 1
    assert after[-1].endswith(
        "usunięto dane osobowe (Treść) wprowadził(a): Ewa Koordynatorka, koordynatorka"
    )
    assertNotContains(response, "Wiśniewska")
    site = client.get(register_url())
    assertContains(site, "usunięto dane osobowe")
    assertNotContains(site, "Wiśniewska")
    entry = RegisterEntry.objects.get(kind="usunieto-dane")
    assert "wisniewsk" not in json.dumps(
        [entry.title, entry.url, entry.fields], ensure_ascii=False
    ).lower().replace("ś", "s")
    # The card's last change is the redaction's moment.
    data = [
        json.loads(block)
        for block in re.findall(
            r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
        )
    ]
    modified = [d["dateModified"] for d in data if "dateModified" in d]
    assert modified and modified[0].startswith(
        timezone.localtime(entry.at).strftime("%Y-%m-%dT%H:%M")
    )


def test_a_public_meetings_persons_list_changes_enter_its_register(world, login, client):
    meeting = world["own"]["meeting"]
    editor = login("kultura")
    save(
        editor,
        meeting,
        **{
            "people-TOTAL_FORMS": "1",
            "people-INITIAL_FORMS": "0",
            "people-0-name": "Adam Mickiewicz",
            "people-0-role": "poeta",
            "people-0-presence": MeetingPerson.Presence.PARTICIPANT,
        },
    )
    client.logout()
    entries = page_register(client.get(meeting.get_absolute_url()))
    assert entries[-1].startswith(f"{timezone.localtime():%-d}")
    assert "poprawiono treść (Osoby (dane osobowe))" in entries[-1]
    assert (
        RegisterEntry.objects.filter(
            object_id=meeting.pk, kind="poprawiono", fields=["Osoby (dane osobowe)"]
        ).count()
        == 1
    )
    # Removing the person is a change too.
    editor = login("kultura")
    person = MeetingPerson.objects.get()
    RegisterEntry.objects.update(at=timezone.now() - datetime.timedelta(minutes=1))
    save(editor, meeting, **{"people-0-id": str(person.pk), "people-0-DELETE": "on"})
    assert RegisterEntry.objects.filter(object_id=meeting.pk, event=True).count() == 2


def test_persons_added_to_a_draft_meeting_make_no_register_entry(world, login):
    meeting = world["own"]["meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(status="draft", published_at=None)
    save(
        login("kultura"),
        meeting,
        **{
            "people-TOTAL_FORMS": "1",
            "people-INITIAL_FORMS": "0",
            "people-0-name": "Adam Mickiewicz",
            "people-0-presence": MeetingPerson.Presence.PARTICIPANT,
        },
    )
    assert not RegisterEntry.objects.filter(event=True).exists()


def test_a_register_row_keeps_the_signature_it_was_written_with(
    world, login, client, django_user_model
):
    user = django_user_model.objects.get(username="kultura")
    signature = StaffName.objects.create(user=user, name="Anna Nowak", role="inspektor")
    meeting = world["own"]["meeting"]
    editor = login("kultura")
    save(editor, meeting, title="Spotkanie kultury")  # its first version: public since
    save(editor, meeting, title="Spotkanie kultury (poprawione)")
    signature.name, signature.role = "Anna Kowalczyk", "kierowniczka referatu"
    signature.save()
    client.logout()
    site = client.get(register_url())
    assertContains(site, "Anna Nowak, inspektor")
    assertNotContains(site, "Anna Kowalczyk")
    csv = client.get(
        register_url().replace(reverse("history:register"), reverse("history_files:csv"))
    )
    assert "Anna Nowak, inspektor" in csv.content.decode("utf-8-sig")


def test_the_preview_lists_the_addresses_and_files_to_be_renamed(world, login):
    meeting = MeetingFactory(
        title="Spotkanie", slug="spotkanie-zofia-wisniewska", departments=[world["culture"]]
    )
    DocumentFactory(meeting=meeting, title="Notatka").file.save(
        "notatka-wisniewska-zofia.pdf", ContentFile(b"%PDF-1.4")
    )
    preview = login("koordynator").post(
        reverse("admin:history_redaction_add"), {"name": "Zofia Wiśniewska"}
    )
    assertContains(preview, "zostaną zmienione, a dawne adresy przestaną działać")
    assertContains(preview, "<li>Spotkanie: Spotkanie</li>", html=True)
    assertContains(preview, "<li>Dokument: Notatka</li>", html=True)
    meeting.refresh_from_db()
    assert meeting.slug == "spotkanie-zofia-wisniewska"  # a preview changes nothing
