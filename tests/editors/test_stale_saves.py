"""Two tabs, one meeting: a save never silently writes back what another save changed since
the page was opened. Replayed as the outside review found it: the answer changed on its own
page, then the meeting page, opened before, saved with a new place."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db

STALE = "Nie zapisano: ten wpis ktoś zmienił po otwarciu tej strony"


def meeting_url(meeting):
    return reverse("admin:meetings_meeting_change", args=[meeting.pk])


def position_url(position):
    return reverse("admin:postulates_position_change", args=[position.pk])


def test_an_answer_changed_in_another_tab_is_not_overwritten_by_the_meeting_page(world, login):
    client = login("kultura")
    meeting, position = world["own"]["meeting"], world["own"]["position"]
    tab_a = form_data(client.get(meeting_url(meeting)), "meeting_form", place="Sala Obrad")

    tab_b = form_data(
        client.get(position_url(position)), "position_form", justification="Nowe uzasadnienie"
    )
    assert client.post(position_url(position), tab_b).status_code == 302

    response = client.post(meeting_url(meeting), tab_a)
    assert response.status_code == 200
    assertContains(response, STALE)
    position.refresh_from_db()
    meeting.refresh_from_db()
    assert position.justification == "Nowe uzasadnienie"
    assert meeting.place != "Sala Obrad"
    # What the editor typed is still in the form they are looking at.
    assertContains(response, 'value="Sala Obrad"')


def test_the_same_meeting_saved_in_two_tabs_keeps_the_first_save(world, login):
    client = login("kultura")
    meeting = world["own"]["meeting"]
    first = form_data(client.get(meeting_url(meeting)), "meeting_form", topic="Temat z karty A")
    second = form_data(client.get(meeting_url(meeting)), "meeting_form", topic="Temat z karty B")
    assert client.post(meeting_url(meeting), first).status_code == 302
    response = client.post(meeting_url(meeting), second)
    assertContains(response, STALE)
    meeting.refresh_from_db()
    assert meeting.topic == "Temat z karty A"


def test_saving_again_after_reopening_the_page_works(world, login):
    client = login("kultura")
    meeting = world["own"]["meeting"]
    for place in ("Sala A", "Sala B"):
        data = form_data(client.get(meeting_url(meeting)), "meeting_form", place=place)
        assert client.post(meeting_url(meeting), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "Sala B"


def test_a_save_leaves_untouched_rows_and_their_publication_moments_alone(world, login):
    """The picker shows minutes; a record published "now" has seconds. An untouched row used to
    count as changed and was saved with its moment cut to the minute."""
    import datetime

    from django.utils import timezone

    client = login("kultura")
    meeting, postulate = world["own"]["meeting"], world["own"]["postulate"]
    moment = timezone.now().replace(second=42, microsecond=123456) - datetime.timedelta(days=1)
    type(postulate).objects.filter(pk=postulate.pk).update(published_at=moment)
    postulate.refresh_from_db()
    data = form_data(client.get(meeting_url(meeting)), "meeting_form", place="Sala Obrad")
    assert client.post(meeting_url(meeting), data).status_code == 302
    saved = type(postulate).objects.get(pk=postulate.pk)
    assert (saved.published_at, saved.updated_at) == (moment, postulate.updated_at)
    meeting.refresh_from_db()
    assert meeting.place == "Sala Obrad"
