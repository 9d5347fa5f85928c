"""The admin's list of postulates: the newest entered first, a late page as the first, and
its search over the postulate's text, organisation and meeting, within the editor's reach."""

import pytest
from django.contrib import admin

from postulates.models import Postulate
from tests.factories import MeetingFactory, OrganisationFactory, PostulateFactory

pytestmark = pytest.mark.django_db

URL = "/admin/postulates/postulate/"


def listed(client, **query):
    response = client.get(URL, query)
    assert response.status_code == 200
    return [postulate.content for postulate in response.context["cl"].result_list]


def test_the_list_shows_the_newest_entered_first_page_by_page(world, login, monkeypatch):
    monkeypatch.setattr(admin.site._registry[Postulate], "list_per_page", 2)
    meeting = world["own"]["meeting"]
    for number in range(1, 4):
        PostulateFactory(meeting=meeting, number=number, content=f"Dopisany {number}")
    client = login("kultura")
    assert listed(client) == ["Dopisany 3", "Dopisany 2"]
    assert listed(client, p=2) == ["Dopisany 1", "Postulat: Spotkanie kultury"]


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("DOTACJE", ["Dotacje dla świetlic"]),
        ("swietlic", ["Dotacje dla świetlic"]),
        ("Stowarzyszenie Sąsiedzkie", ["Lokale dla organizacji"]),
        ("podgórze", ["Lokale dla organizacji"]),
        ("dla swietlic", ["Dotacje dla świetlic"]),
        ('"rada dzielnicy"', ["Lokale dla organizacji"]),
        ("lokale sasiedzkie", ["Lokale dla organizacji"]),
        ("lokale dotacje", []),
    ],
)
def test_search_finds_text_organisation_and_meeting(world, login, typed, found):
    culture = world["culture"]
    PostulateFactory(meeting=world["own"]["meeting"], number=5, content="Dotacje dla świetlic")
    PostulateFactory(
        meeting=MeetingFactory(title="Rada Dzielnicy Podgórze", departments=[culture]),
        number=6,
        content="Lokale dla organizacji",
        organisation=OrganisationFactory(name="Stowarzyszenie Sąsiedzkie"),
    )
    assert listed(login("koordynator"), q=typed) == found


def test_an_editors_search_finds_only_their_departments_postulates(world, login):
    for key in ("own", "other"):
        PostulateFactory(meeting=world[key]["meeting"], number=7, content=f"Dotacje: {key}")
    assert listed(login("kultura"), q="dotacje") == ["Dotacje: own"]
    assert listed(login("sport"), q="dotacje") == ["Dotacje: other"]
    assert sorted(listed(login("koordynator"), q="dotacje")) == ["Dotacje: other", "Dotacje: own"]


def test_a_word_in_many_meetings_titles_is_searched_all_the_same(world, login, monkeypatch):
    monkeypatch.setattr("postulates.admin.SEARCH_KEYS_LISTED", 1)
    for number in (8, 9):
        meeting = MeetingFactory(title=f"Rada seniorów {number}", departments=[world["culture"]])
        PostulateFactory(meeting=meeting, number=number, content=f"Postulat rady {number}")
    found = listed(login("kultura"), q="seniorów")
    assert sorted(found) == ["Postulat rady 8", "Postulat rady 9"]


def test_the_number_of_a_postulates_public_address_finds_it_within_the_editors_reach(world, login):
    """A resident quotes /postulaty/95773/ to the department: the editor types the number."""
    own = PostulateFactory(meeting=world["own"]["meeting"], number=8, content="Cytowany")
    other = PostulateFactory(meeting=world["other"]["meeting"], number=9, content="Cudzy")
    # (The digits may also stand in other postulates' texts or their meetings' titles.)
    assert "Cytowany" in listed(login("kultura"), q=str(own.pk))
    assert "Cudzy" not in listed(login("kultura"), q=str(other.pk))
    assert "Cudzy" in listed(login("koordynator"), q=str(other.pk))
    # Digits past any postulate's number are words like any other, not an error.
    assert listed(login("koordynator"), q="9" * 30) == []
