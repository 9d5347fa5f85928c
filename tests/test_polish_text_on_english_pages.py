"""English pages translate the interface, not what editors entered: titles, names and
postulates stay Polish and say so (lang="pl", WCAG 3.1.2), or a screen reader reads them with
English pronunciation. Polish pages need no such mark."""

import datetime

import pytest
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from tests.factories import (
    DepartmentFactory,
    DocumentFactory,
    MeetingFactory,
    OrganisationFactory,
    PostulateFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    organisation = OrganisationFactory(name="Fundacja Środowiska")
    meeting = MeetingFactory(
        title="Spotkanie branżowe kultury",
        departments=[DepartmentFactory(name="Wydział Kultury")],
        dates=[datetime.date(2025, 6, 11)],
    )
    meeting.participants.add(organisation)
    DocumentFactory(meeting=meeting, title="Podsumowanie spotkania")
    PostulateFactory(
        meeting=meeting, organisation=organisation, content="Więcej lokali dla organizacji."
    )
    return meeting


def test_an_english_meeting_page_marks_each_polish_text_it_shows(client, meeting):
    document_path = meeting.documents.get().get_absolute_url()
    html = client.get(f"/en{meeting.get_absolute_url()}").content.decode()

    assert '<html lang="en">' in html
    assertInHTML('<h1><span lang="pl">Spotkanie branżowe kultury</span></h1>', html)
    assertInHTML(
        '<span aria-current="page"><span lang="pl">Spotkanie branżowe kultury</span></span>',
        html,
    )
    assertInHTML(
        f'<a href="/en{document_path}"><span lang="pl">Podsumowanie spotkania</span></a>',
        html,
    )
    assertInHTML(
        '<a href="/en/wydzialy/wydzial-kultury/"><span lang="pl">Wydział Kultury</span></a>', html
    )
    for text in ("Fundacja Środowiska", "Więcej lokali dla organizacji."):
        assert f'<span lang="pl">{text}</span>' in html, text
    # The interface around them is English, unmarked.
    assert '<span lang="pl">Documents</span>' not in html


def test_an_english_postulate_page_marks_its_text_and_where_it_was_raised(client, meeting):
    meeting_path = meeting.get_absolute_url()
    html = client.get(f"/en{meeting.postulates.get().get_absolute_url()}").content.decode()
    assert '<blockquote class="postulate-content" lang="pl">' in html
    assertInHTML(
        f'<a href="/en{meeting_path}"><span lang="pl">Spotkanie branżowe kultury</span></a>',
        html,
    )


def test_an_english_organisation_page_marks_its_name(client, meeting):
    organisation = meeting.participants.get()
    html = client.get(f"/en{organisation.get_absolute_url()}").content.decode()
    assertInHTML('<h1><span lang="pl">Fundacja Środowiska</span></h1>', html)


def test_polish_pages_carry_no_extra_marks(client, meeting):
    response = client.get(meeting.get_absolute_url())
    assertContains(response, "<h1>Spotkanie branżowe kultury</h1>", html=True)
    assertNotContains(response, '<span lang="pl">')
