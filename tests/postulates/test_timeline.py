"""Links between postulates across years, and the timeline each of their pages shows."""

import datetime
import re

import pytest
from django.db import IntegrityError, transaction
from django.db.models import RestrictedError
from pytest_django.asserts import assertContains, assertNotContains

from core.publishing import Status
from meetings.models import Meeting
from postulates.models import PostulateLink
from postulates.selectors import postulate_thread
from tests.factories import (
    ArchiveYearFactory,
    MeetingFactory,
    OutcomeFactory,
    PositionFactory,
    PostulateFactory,
    PostulateLinkFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db


def postulate_in(year, **kwargs):
    meeting = MeetingFactory(
        year=ArchiveYearFactory(year=year),
        title=f"Spotkanie branżowe {year}",
        dates=[datetime.date(year, 6, 10)],
    )
    return PostulateFactory(meeting=meeting, **kwargs)


def timeline_entries(response):
    """The timeline as a reader sees it: each entry's text, the page's own marker removed."""
    html = response.content.decode()
    match = re.search(r'<ol class="timeline">(.*?)</ol>\s*</section>', html, re.S)
    assert match, "no timeline on the page"
    text = re.sub(r"<[^>]+>", " ", match.group(1)).replace("(ta strona)", "")
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def resubmitted():
    """A 2023 postulate, resubmitted in 2024 and again in 2025, each answered."""
    first = postulate_in(2023, content="Więcej lokali dla organizacji (2023).", number=4)
    second = postulate_in(2024, content="Więcej lokali dla organizacji (2024).", number=2)
    third = postulate_in(2025, content="Więcej lokali dla organizacji (2025).", number=7)
    PositionFactory(
        postulate=first,
        outcome=OutcomeFactory(name="do dalszej analizy"),
        answered_on=datetime.date(2023, 9, 1),
    )
    PositionFactory(
        postulate=second,
        outcome=OutcomeFactory(name="nieuwzględniony"),
        answered_on=datetime.date(2024, 9, 2),
    )
    PositionFactory(
        postulate=third,
        outcome=OutcomeFactory(name="uwzględniony"),
        answered_on=datetime.date(2025, 9, 3),
        commitment="Konkurs na lokale w 2026 r.",
        commitment_due_on=datetime.date(2026, 6, 30),
    )
    # Recorded in both directions of the chain's history: newer → older.
    PostulateLinkFactory(from_postulate=second, to_postulate=first)
    PostulateLinkFactory(from_postulate=third, to_postulate=second)
    return first, second, third


def test_a_postulate_resubmitted_twice_shows_one_identical_timeline_on_each_page(
    client, resubmitted
):
    pages = [client.get(postulate.get_absolute_url()) for postulate in resubmitted]
    texts = [timeline_entries(page) for page in pages]
    assert texts[0] == texts[1] == texts[2]

    timeline = texts[0]
    # Oldest first, each with where it was raised and what the city answered.
    assert timeline.index("2023 Postulat nr 4") < timeline.index("2024 Postulat nr 2")
    assert timeline.index("2024 Postulat nr 2") < timeline.index("2025 Postulat nr 7")
    assert "Zgłoszony na spotkaniu: Spotkanie branżowe 2023 , 10 czerwca 2023" in timeline
    assert "Stanowisko z 1 września 2023 : do dalszej analizy" in timeline
    assert "Stanowisko z 2 września 2024 : nieuwzględniony" in timeline
    assert "Zgłoszony ponownie w 2024 – wcześniej: postulat nr 4 z 2023 r." in timeline
    assert "Zgłoszony ponownie w 2025 – wcześniej: postulat nr 2 z 2024 r." in timeline
    assert "Zobowiązanie Miasta: Konkurs na lokale w 2026 r." in timeline
    assertContains(pages[0], f'<a href="{resubmitted[1].get_absolute_url()}">', count=2)


def test_the_timeline_marks_the_current_page_and_links_the_others(client, resubmitted):
    first, second, third = resubmitted
    response = client.get(second.get_absolute_url())
    assertContains(response, '<li class="timeline-entry timeline-current" aria-current="page">')
    assertContains(response, "timeline-current", count=1)
    assertContains(response, "Historia postulatu</h2>")
    assertContains(response, f'<a href="{first.get_absolute_url()}">Postulat nr 4</a>', html=True)
    assertContains(response, f'<a href="{third.get_absolute_url()}">Postulat nr 7</a>', html=True)
    assertContains(response, first.meeting.get_absolute_url())


def test_a_postulate_without_links_has_no_timeline(client):
    response = client.get(PositionFactory().postulate.get_absolute_url())
    assertNotContains(response, "Historia postulatu")


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        (PostulateLink.Kind.CONTINUATION, "Kontynuacja – postulat nr 1 z 2024 r."),
        (PostulateLink.Kind.DUPLICATE, "Duplikat – postulat nr 1 z 2024 r."),
        (PostulateLink.Kind.MERGED, "Połączony z – postulat nr 1 z 2024 r."),
    ],
)
def test_each_kind_of_link_is_named_on_the_timeline(client, kind, text):
    older = postulate_in(2024, number=1)
    newer = postulate_in(2025, number=3)
    PostulateLinkFactory(from_postulate=newer, to_postulate=older, kind=kind, note="")
    assert text in timeline_entries(client.get(older.get_absolute_url()))


def test_a_draft_in_the_thread_is_neither_shown_nor_named(client, resubmitted):
    first, second, _third = resubmitted
    second.status = Status.DRAFT
    second.save()
    response = client.get(first.get_absolute_url())
    timeline = timeline_entries(response)
    assertNotContains(response, "Więcej lokali dla organizacji (2024).")
    assertNotContains(response, "postulat nr 2 z 2024")
    assertNotContains(response, second.get_absolute_url())
    assert "2025 Postulat nr 7" in timeline  # still part of the story, through the draft


def test_a_draft_meeting_hides_its_postulate_from_the_timeline(client, resubmitted):
    first, _second, third = resubmitted
    Meeting.objects.filter(pk=third.meeting_id).update(status=Status.DRAFT)
    response = client.get(first.get_absolute_url())
    assertNotContains(response, "Więcej lokali dla organizacji (2025).")
    assertNotContains(response, "Spotkanie branżowe 2025")


def test_a_draft_answer_in_the_thread_is_not_shown(client, resubmitted):
    first, second, _third = resubmitted
    PositionFactory(
        postulate=second, outcome=OutcomeFactory(name="roboczy szkic"), status=Status.DRAFT
    )
    assertNotContains(client.get(first.get_absolute_url()), "roboczy szkic")


def test_the_thread_follows_links_both_ways_and_survives_a_cycle():
    a, b, c, d = (postulate_in(year) for year in (2022, 2023, 2024, 2025))
    PostulateLinkFactory(from_postulate=b, to_postulate=a)
    PostulateLinkFactory(from_postulate=b, to_postulate=c, kind=PostulateLink.Kind.DUPLICATE)
    PostulateLinkFactory(from_postulate=d, to_postulate=c)
    PostulateLinkFactory(from_postulate=a, to_postulate=d, kind=PostulateLink.Kind.MERGED)
    unrelated = postulate_in(2025)
    for postulate in (a, b, c, d):
        assert postulate_thread(postulate) == [a, b, c, d]
    assert postulate_thread(unrelated) == [unrelated]


def test_a_round_postulate_takes_its_place_by_year():
    in_round = PostulateFactory(
        meeting=None, round=RoundFactory(year=ArchiveYearFactory(year=2024))
    )
    earlier = postulate_in(2023)
    later = postulate_in(2025)
    PostulateLinkFactory(from_postulate=in_round, to_postulate=earlier)
    PostulateLinkFactory(from_postulate=later, to_postulate=in_round)
    assert postulate_thread(later) == [earlier, in_round, later]


def test_the_timeline_costs_the_same_queries_however_long_the_chain(
    client, django_assert_num_queries
):
    postulates = [postulate_in(2020)]
    PositionFactory(postulate=postulates[0])
    url = postulates[0].get_absolute_url()
    with django_assert_num_queries(11):
        client.get(url)
    for year in range(2021, 2027):
        postulates.append(postulate_in(year))
        PositionFactory(postulate=postulates[-1], commitment="Zrobimy to.")
        PositionFactory(postulate=postulates[-1])
        PostulateLinkFactory(from_postulate=postulates[-1], to_postulate=postulates[-2])
    with django_assert_num_queries(11):
        response = client.get(url)
    assert len(response.context["timeline"]) == 7


def test_a_postulate_cannot_be_linked_to_itself_or_twice_to_the_same_one():
    older, newer = postulate_in(2024), postulate_in(2025)
    with pytest.raises(IntegrityError), transaction.atomic():
        PostulateLinkFactory(from_postulate=older, to_postulate=older)
    PostulateLinkFactory(from_postulate=newer, to_postulate=older)
    with pytest.raises(IntegrityError), transaction.atomic():
        PostulateLinkFactory(from_postulate=newer, to_postulate=older)
    with pytest.raises(IntegrityError), transaction.atomic():  # nor the other way round
        PostulateLinkFactory(from_postulate=older, to_postulate=newer)


def test_a_postulate_another_one_cites_is_not_deleted_but_the_citing_one_takes_its_link():
    older, newer = postulate_in(2024), postulate_in(2025)
    PostulateLinkFactory(from_postulate=newer, to_postulate=older)
    with pytest.raises(RestrictedError):
        older.delete()
    newer.delete()
    assert not PostulateLink.objects.exists()
    older.delete()
