"""Personal data of private persons (RODO), from the outside: a person at a meeting is shown by
role unless the editor records a legal basis; a coordinator takes a name out of the whole
archive in one step, proven by crawling every public page, feed, export and API list the site
links to (and the search) for the name, before and after."""

import datetime
import html
import io
import re
import zipfile
from collections import Counter, deque
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains
from reversion.models import Version

from alerts import capture, dispatch
from alerts.models import Delivery, Frequency
from history.models import Redaction
from meetings.models import LegalBasis, MeetingPerson
from postulates.models import PositionRevision
from tests.admin_forms import form_data
from tests.alerts.conftest import confirm_link, fresh_limits, path_of, run_worker  # noqa: F401
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

NAME = "Zofia Wiśniewska"
# What the crawl looks for; the search is asked without diacritics (it folds them), so a
# page echoing the query never counts as naming her, while a result would.
SEARCHED = [NAME, "Wiśniewska"]
QUERIES = ["wisniewska", "zofia+wisniewska"]
# Addresses the crawl never follows: the staff's side, static files and the uploaded
# documents' own files (binary; their titles are what pages show).
SKIPPED = ("/admin", "/static/", "/media/", "/panel")
# Pages of one address with the same parameters (filters, pages of a list): a few show
# what the kind of page holds; the rest only repeat it.
PER_SHAPE = 4
LIMIT = 4000

LINK = re.compile(r"""(?:href|src|action)=["']([^"'#]+)""")
ABSOLUTE = re.compile(r"""https?://testserver(/[^\s"'<>\\)\]]*)""")


def admin_url(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def save(client, record, **overrides):
    url = admin_url(record)
    response = client.post(
        url, form_data(client.get(url), f"{record._meta.model_name}_form", **overrides)
    )
    assert response.status_code == 302, response.context and response.context.get("errors")
    return response


def person_row(**fields):
    return {
        "people-TOTAL_FORMS": "1",
        "people-INITIAL_FORMS": "0",
        "people-0-name": NAME,
        "people-0-role": "ekspertka",
        "people-0-presence": MeetingPerson.Presence.PARTICIPANT,
        **fields,
    }


def texts_of(response):
    """The text of a response, a zip's files included."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return body.decode("utf-8", "replace")


def crawl(client, seeds):
    """{url: text} of every address reachable from `seeds` by the links pages, feeds,
    sitemaps and API answers give (a few of each shape of address)."""
    queue, seen, shapes, found = deque(seeds), set(), Counter(), {}
    while queue and len(seen) < LIMIT:
        url = queue.popleft()
        if url in seen or url.startswith(SKIPPED):
            continue
        seen.add(url)
        parts = urlsplit(url)
        shape = (parts.path, tuple(sorted(p.split("=")[0] for p in parts.query.split("&"))))
        shapes[shape] += 1
        if shapes[shape] > PER_SHAPE:
            continue
        response = client.get(url)
        if response.status_code in (301, 302, 303, 307, 308):
            queue.append(response["Location"].replace("https://testserver", ""))
            continue
        if response.status_code != 200:
            continue
        text = texts_of(response)
        found[url] = text
        for link in LINK.findall(text) + ABSOLUTE.findall(text):
            link = html.unescape(link).replace("https://testserver", "").replace("\\/", "/")
            if link.startswith("/") and not link.startswith("//"):
                queue.append(link)
    return found


def seeds():
    today = timezone.localdate()
    register = reverse("history:register")
    period = f"?od={today - datetime.timedelta(days=3)}&do={today + datetime.timedelta(days=1)}"
    return [
        "/",
        "/sitemap.xml",
        "/robots.txt",
        "/api/v1/",
        "/kanaly-i-kalendarze/",
        register + period,
        reverse("history_files:csv") + period,
        *(f"/szukaj/?q={query}" for query in QUERIES),
    ]


def naming(pages):
    return sorted(
        url for url, text in pages.items() if any(w.casefold() in text.casefold() for w in SEARCHED)
    )


@pytest.fixture
def named(world, login, client):
    """A culture meeting naming the person, with consent recorded, and a postulate and a
    revised answer naming her, all saved by the department's editor through the admin."""
    own = world["own"]
    editor = login("kultura")
    save(
        editor,
        own["meeting"],
        title=f"Spotkanie kultury z udziałem: {NAME}",
        topic=f"Spotkanie prowadziła {NAME}.",
        **person_row(
            **{
                "people-0-legal_basis": LegalBasis.CONSENT,
                "people-0-consent_on": "2026-01-10",
                "people-0-consent_source": "lista obecności, poz. 4",
            }
        ),
    )
    save(editor, own["postulate"], content=f"Postulat zgłoszony przez: {NAME}.")
    save(editor, own["position"], justification=f"Odpowiedź przekazano: {NAME}.")
    save(editor, own["position"], justification="Odpowiedź poprawiona.")
    assert PositionRevision.objects.filter(justification__contains=NAME).exists()
    client.logout()
    return own


def test_a_person_without_a_legal_basis_is_shown_by_role_only(world, login, client):
    meeting = world["own"]["meeting"]
    editor = login("kultura")
    save(editor, meeting, **person_row())
    client.logout()
    page = client.get(meeting.get_absolute_url())
    assertContains(page, "<li>ekspertka</li>", html=True)
    assertNotContains(page, NAME)

    editor = login("kultura")
    MeetingPerson.objects.update(role="")
    page = client.get(meeting.get_absolute_url())
    assertContains(page, "przedstawiciel organizacji")


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"topic": f"Prowadziła {NAME}."}, "a nie ma podstawy publikacji nazwiska"),
        # Surname first, without Polish letters, inflected: still her name.
        ({"topic": "Głos zabrała Wiśniewska Zofia."}, "a nie ma podstawy publikacji nazwiska"),
        ({"title": "Spotkanie z Zofia Wisniewska"}, "a nie ma podstawy publikacji nazwiska"),
        ({"place": "Dom pani Wiśniewskiej"}, "a nie ma podstawy publikacji nazwiska"),
        ({"people-0-role": "mieszkanka Zofia Wiśniewska"}, "nie wpisuj w nią nazwiska"),
        (
            {"people-0-legal_basis": LegalBasis.OFFICIAL, "people-0-role": ""},
            "Podaj funkcję publiczną, w związku z którą nazwisko jest jawne.",
        ),
        ({"people-0-legal_basis": LegalBasis.CONSENT}, "Podaj datę zgody."),
        (
            {"people-0-legal_basis": LegalBasis.CONSENT, "people-0-consent_on": "2026-01-10"},
            "Podaj, gdzie zgoda jest zapisana.",
        ),
    ],
)
def test_a_name_without_a_basis_or_consent_without_its_record_is_refused(
    world, login, fields, error
):
    meeting = world["own"]["meeting"]
    editor = login("kultura")
    url = admin_url(meeting)
    response = editor.post(url, form_data(editor.get(url), "meeting_form", **person_row(**fields)))
    assert response.status_code == 200
    assertContains(response, error)
    assert not MeetingPerson.objects.exists()


def test_a_meeting_whose_person_was_redacted_still_saves(world, login):
    """What a redaction leaves in the text and the person's row is no one's name."""
    meeting = world["own"]["meeting"]
    editor = login("kultura")
    save(
        editor,
        meeting,
        title="Spotkanie kultury z udziałem: [dane osobowe usunięte]",
        **person_row(**{"people-0-name": "[dane osobowe usunięte]"}),
    )
    assert MeetingPerson.objects.get().name == "[dane osobowe usunięte]"


def test_a_public_official_or_consent_shows_the_name(world, login, client):
    meeting = world["own"]["meeting"]
    editor = login("kultura")
    save(editor, meeting, **person_row(**{"people-0-legal_basis": LegalBasis.OFFICIAL}))
    client.logout()
    assertContains(client.get(meeting.get_absolute_url()), f"<li>{NAME}, ekspertka</li>", html=True)


def test_only_a_coordinator_may_redact(world, login):
    editor = login("kultura")
    assert editor.get(reverse("admin:history_redaction_add")).status_code == 403


def test_redaction_takes_the_name_out_of_every_public_page_feed_export_and_api(
    named,
    login,
    client,
    run_worker,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    # A subscriber's alert about the meeting is waiting to be sent.
    client.post(
        f"/powiadomienia/wydzial/{named['meeting'].departments.get().slug}/",
        {
            "email": "biuro@fundacja.example.org",
            "frequency": Frequency.IMMEDIATELY,
            "language": "pl",
        },
    )
    run_worker()
    client.post(path_of(confirm_link(mail.outbox[-1])))
    mail.outbox.clear()
    # A document naming her goes public after the subscriber confirmed: an alert waits.
    DocumentFactory(meeting=named["meeting"], title=f"Notatka: {NAME}", published_at=timezone.now())
    capture.capture(timezone.now())
    dispatch.dispatch_immediate(timezone.now())
    assert Delivery.objects.filter(state=Delivery.State.PENDING).exists()

    before = naming(crawl(client, seeds()))
    kinds = {
        "meeting": named["meeting"].get_absolute_url(),
        "postulate": named["postulate"].get_absolute_url(),
        "search": "/szukaj/",
        "register": "/rejestr-zmian/",
        "feed": ".atom",
        "calendar": ".ics",
        "api": "/api/v1/",
        "export": "/dane/",
    }
    missing = [kind for kind, part in kinds.items() if not any(part in url for url in before)]
    assert not missing, (missing, before)

    coordinator = login("koordynator")
    add = reverse("admin:history_redaction_add")
    preview = coordinator.post(add, {"name": NAME.upper()})
    assertContains(preview, "Usuń we wszystkich miejscach")
    for field in ("Tytuł", "Temat", "Treść", "Uzasadnienie", "Imię i nazwisko"):
        assertContains(preview, f"<td>{field}</td>")
    assert not Redaction.objects.exists()  # a preview changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        done = coordinator.post(add, {"name": NAME.upper(), "previewed": NAME.upper()})
    assert done.status_code == 302
    client.logout()

    redaction = Redaction.objects.get()
    # The meeting's title and topic, the person, the postulate, the answer's earlier version,
    # the document; and the register's rows naming the records as the public saw them (the
    # meeting's two corrections — its first, of a record loaded in bulk, is listed too — the
    # postulate's, the answer's two revisions).
    assert (redaction.places, redaction.records) == (11, 10)
    assert redaction.versions >= 3
    assert NAME.casefold() not in str(vars(redaction)).casefold()
    after = naming(crawl(client, seeds()))
    assert after == [], after
    assert not Version.objects.filter(serialized_data__icontains="wiśniewska").exists()
    assert not MeetingPerson.objects.exclude(legal_basis=LegalBasis.NONE).exists()

    run_worker()  # the waiting alert is written now, from the archive as it is
    [alert] = mail.outbox
    assert "Notatka: [dane osobowe usunięte]" in alert.body
    assert "wiśniewska" not in (alert.subject + alert.body).casefold()
