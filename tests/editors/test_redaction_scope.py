"""A redaction's reach chosen by the coordinator, from the outside: one meeting's materials
(a person named with a basis in another meeting stays named there) or the whole archive,
previewed first; the inflected first name goes with the surname; the search no longer
suggests the name."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from history.models import Redaction
from meetings.models import LegalBasis, MeetingPerson
from postulates.models import Postulate
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:history_redaction_add")


@pytest.fixture
def both(world):
    """Jan Nowak named in both meetings: without a basis in the culture meeting (written
    before he was listed), a public official in the sport one."""
    for key, basis, role in (
        ("own", LegalBasis.NONE, "mieszkaniec"),
        ("other", LegalBasis.OFFICIAL, "radny dzielnicy"),
    ):
        records = world[key]
        MeetingPerson.objects.create(
            meeting=records["meeting"], name="Jan Nowak", role=role, legal_basis=basis
        )
        Postulate.objects.filter(pk=records["postulate"].pk).update(
            content="Postulat zgłosił Jan Nowak z Nowej Huty."
        )
    return world


def test_the_meeting_page_leads_to_a_redaction_of_its_materials(both, login):
    coordinator = login("koordynator")
    meeting = both["own"]["meeting"]
    page = coordinator.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    link = f"{ADD}?spotkanie={meeting.pk}"
    assertContains(
        page, f'<a href="{link}">Usuń dane osobowe z materiałów spotkania</a>', html=True
    )
    form = coordinator.get(link)
    assertContains(form, "tylko materiały tego spotkania")
    assert form.context["form"]["scope"].value() == "spotkanie"
    # An editor is not offered the link.
    editor = login("kultura")
    page = editor.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    assertNotContains(page, "Usuń dane osobowe z materiałów spotkania")


def test_a_redaction_of_one_meeting_leaves_the_name_where_it_has_a_basis(both, login, client):
    own, other = both["own"], both["other"]
    coordinator = login("koordynator")
    choice = {"name": "Jan Nowak", "scope": "spotkanie", "meeting": own["meeting"].pk}
    preview = coordinator.post(f"{ADD}?spotkanie={own['meeting'].pk}", choice)
    assertContains(preview, "Zakres: tylko materiały spotkania „Spotkanie kultury")
    records = {place.record for place in preview.context["plan"].places}
    assert "Postulat: Spotkanie sportu" not in str(records)
    assert preview.context["plan"].records == 2  # the postulate and the person
    assert not Redaction.objects.exists()

    # A preview of one scope does not confirm the other.
    previewed = f"Jan Nowak|{own['meeting'].pk}"
    widened = coordinator.post(ADD, {**choice, "scope": "archiwum", "previewed": previewed})
    assert widened.status_code == 200
    assertContains(widened, "Zakres: całe archiwum.")
    assert not Redaction.objects.exists()

    done = coordinator.post(ADD, {**choice, "previewed": previewed})
    assert done.status_code == 302
    redaction = Redaction.objects.get()
    assert redaction.meeting == own["meeting"]
    listing = coordinator.get(reverse("admin:history_redaction_changelist"))
    assertContains(listing, "Spotkanie kultury")
    client.logout()

    assertContains(
        client.get(own["postulate"].get_absolute_url()),
        "Postulat zgłosił [dane osobowe usunięte] z Nowej Huty.",
    )
    assertContains(client.get(other["postulate"].get_absolute_url()), "Postulat zgłosił Jan Nowak")
    assertContains(client.get(other["meeting"].get_absolute_url()), "Jan Nowak, radny dzielnicy")
    kept = MeetingPerson.objects.get(meeting=other["meeting"])
    assert (kept.name, kept.legal_basis) == ("Jan Nowak", LegalBasis.OFFICIAL)


def test_a_redaction_of_the_whole_archive_reaches_every_meeting(both, login, client):
    coordinator = login("koordynator")
    done = coordinator.post(
        ADD, {"name": "Jan Nowak", "scope": "archiwum", "previewed": "Jan Nowak"}
    )
    assert done.status_code == 302
    assert Redaction.objects.get().meeting is None
    client.logout()
    for key in ("own", "other"):
        page = client.get(both[key]["postulate"].get_absolute_url())
        assertContains(page, "Postulat zgłosił [dane osobowe usunięte] z Nowej Huty.")


@pytest.mark.parametrize(
    ("name", "title", "redacted"),
    [
        ("Jan Nowak", "Notatka Jana Nowaka", "Notatka [dane osobowe usunięte]"),
        ("Jan Kowalski", "List do Janowi Kowalskiemu", "List do [dane osobowe usunięte]"),
        ("Anna Wąs", "Uwagi Anny Wąs i Nowej Huty", "Uwagi [dane osobowe usunięte] i Nowej Huty"),
        (
            "Ewa Sport",
            "Mówiła Ewie Sport z Wydziału Sportu",
            "Mówiła [dane osobowe usunięte] z Wydziału Sportu",
        ),
        ("Jan Kowalski", "Rozmowa z Janem Kowalskim", "Rozmowa z [dane osobowe usunięte]"),
        ("Anna Kowalska", "Notatka K o w a l s k a Anna", "Notatka [dane osobowe usunięte]"),
        ("Anna Kowalska", "Notatka A. Kowalskiej", "Notatka [dane osobowe usunięte]"),
        ("Anna Kowalska", "Notatka B. Kowalskiej", "Notatka B. Kowalskiej"),
        ("Anna Kowalska", "Notatka Anny Kowal\u00adskiej", "Notatka [dane osobowe usunięte]"),
    ],
)
def test_the_inflected_first_name_goes_with_the_surname(
    world, login, client, name, title, redacted
):
    document = DocumentFactory(meeting=world["own"]["meeting"], title=title)
    done = login("koordynator").post(ADD, {"name": name, "previewed": name})
    assert done.status_code == 302
    client.logout()
    document.refresh_from_db()
    assert document.title == redacted
    assertContains(client.get(world["own"]["meeting"].get_absolute_url()), redacted)


def test_the_search_no_longer_suggests_a_redacted_name(world, login, client):
    meeting = world["own"]["meeting"]
    MeetingPerson.objects.create(
        meeting=meeting, name="Bożydar Wąchocki", role="radny", legal_basis=LegalBasis.OFFICIAL
    )
    meeting.topic = "Spotkanie prowadził Bożydar Wąchocki."
    meeting.save()
    # Offered as the meeting writes the name.
    suggestion = (
        '<p class="suggestion">Czy chodziło Ci o: <a href="?q=W%C4%85chocki">Wąchocki</a>?</p>'
    )
    assertContains(client.get("/szukaj/?q=wachoxki"), suggestion, html=True)

    done = login("koordynator").post(
        ADD, {"name": "Bożydar Wąchocki", "previewed": "Bożydar Wąchocki"}
    )
    assert done.status_code == 302
    client.logout()
    response = client.get("/szukaj/?q=wachoxki")
    assert response.status_code == 200
    assertNotContains(response, "chocki")
    assertNotContains(response, "Czy chodziło Ci o")
