"""A resident looks for postulates that came back in other years, and sees in any list which
postulates have such a history."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from core.publishing import Status
from postulates.models import Postulate, PostulateLink, with_history_in_other_years_condition
from postulates.selectors import with_history_marker
from tests.factories import (
    ArchiveYearFactory,
    MeetingFactory,
    PostulateFactory,
    PostulateLinkFactory,
    RoundFactory,
    scheduled,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("postulates:list")


def raised_in(year, content, **fields):
    return PostulateFactory(
        meeting=MeetingFactory(year=ArchiveYearFactory(year=year)), content=content, **fields
    )


@pytest.fixture
def postulates():
    first = raised_in(2024, "Lokale dla organizacji seniorów.")
    again = raised_in(2025, "Ponownie: lokale dla organizacji seniorów.")
    PostulateLinkFactory(
        from_postulate=again, to_postulate=first, kind=PostulateLink.Kind.RESUBMISSION
    )
    # A duplicate within one year is no history across years...
    duplicate = raised_in(2025, "Dyżury urzędników w dzielnicach.")
    PostulateLinkFactory(
        from_postulate=duplicate, to_postulate=again, kind=PostulateLink.Kind.DUPLICATE
    )
    # ...nor a link to a postulate the public cannot see.
    hidden = raised_in(2023, "Szkic postulatu.", status=Status.DRAFT)
    after_hidden = raised_in(2026, "Postulat powiązany ze szkicem.")
    PostulateLinkFactory(from_postulate=after_hidden, to_postulate=hidden)
    raised_in(2026, "Postulat bez historii.")
    return {"first": first, "again": again}


def contents(response):
    return [postulate.content for postulate in response.context["page_obj"].object_list]


def test_a_resident_lists_the_postulates_with_a_history_in_other_years(client, postulates):
    response = client.get(LIST_URL, {"historia": "tak"})

    assert response.status_code == 200
    # Newest meeting first, as the list orders them.
    assert contents(response) == [
        "Ponownie: lokale dla organizacji seniorów.",
        "Lokale dla organizacji seniorów.",
    ]
    assertContains(response, "2 postulaty")


def test_lists_mark_the_postulates_with_a_history_and_lead_to_it(client, postulates):
    response = client.get(LIST_URL)

    assert len(contents(response)) == 5
    html = response.content.decode()
    assert html.count('class="history-marker"') == 2
    first = postulates["first"].get_absolute_url()
    assertContains(
        response,
        f'<a class="history-marker" href="{first}#timeline-heading">ma historię w innych latach</a>',
        html=True,
    )
    # The meeting page lists its postulates with the same marker.
    meeting_page = client.get(postulates["again"].meeting.get_absolute_url())
    assertContains(meeting_page, 'class="history-marker"', count=1)


def test_an_unknown_history_value_is_a_clear_error(client, postulates):
    response = client.get(LIST_URL, {"historia": "moze"})

    assert response.status_code == 400
    assertContains(response, "Nie można zastosować filtrów", status_code=400)


def test_the_filter_finds_exactly_the_postulates_the_marker_marks(postulates):
    """The list filter reads the links, the marker probes each postulate: one meaning."""
    in_round = PostulateFactory(
        meeting=None, round=RoundFactory(year=ArchiveYearFactory(year=2022))
    )
    PostulateLinkFactory(from_postulate=postulates["first"], to_postulate=in_round)
    scheduled_one = raised_in(2021, "Zaplanowany.", **scheduled())
    PostulateLinkFactory(from_postulate=scheduled_one, to_postulate=postulates["again"])
    filtered = set(Postulate.objects.published().filter(with_history_in_other_years_condition()))
    marked = {
        postulate
        for postulate in with_history_marker(Postulate.objects.published())
        if postulate.has_history
    }
    assert filtered == marked
    assert in_round in filtered and scheduled_one not in filtered
