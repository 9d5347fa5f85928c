"""The statistics' facts (stats.snapshot) give exactly the numbers worked out live from the
archive, and are never read once the archive has changed: after a save, a withdrawal, a
department's rename, a scheduled publication's time and midnight, the pages count live
until the worker builds the facts again."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from core.publishing import Status
from departments.models import Department
from pagecache import generation
from postulates.models import CommitmentState, Outcome, Postulate
from postulates.views import CommitmentListView, PostulateListView
from stats import snapshot
from stats.dimensions import DIMENSIONS, Vocabularies
from stats.models import OutcomeFact
from stats.selectors import breakdown
from stats.tallies import outcome_categories
from tests.factories import OutcomeFactory, PositionFactory, PostulateFactory
from tests.stats.test_numbers import NOW, Archive, computed_tallies, expected_tallies

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock(settings):
    # The generation is read afresh each time: no token remembered from an earlier test.
    settings.PAGE_CACHE_TOKEN_SECONDS = 0
    with time_machine.travel(NOW, tick=False):
        yield


def numbers(slug, filters=None):
    """Every group's counts and histograms, and the total's, as the page shows them."""
    result = breakdown(DIMENSIONS[slug], Vocabularies(timezone.now()), filters)
    tallies = [(group.label, group.tally) for group in result.groups]
    return [
        (label, dict(tally.counts), dict(tally.waits), dict(tally.open_waits))
        for label, tally in [*tallies, ("total", result.total)]
    ]


def live_numbers(monkeypatch, slug, filters=None):
    with monkeypatch.context() as patch:
        patch.setattr("stats.selectors.current_facts", lambda at: None)
        return numbers(slug, filters)


def every_page(archive):
    """(dimension slug, filters) of the pages compared: each dimension, and filtered."""
    culture = [archive.old_culture.pk, archive.culture.pk]
    return [
        *((slug, None) for slug in DIMENSIONS),
        ("sfery", {"year": 2025, "department": culture}),
        ("lata", {"department": culture}),
        ("wydzialy", {"area": archive.areas[0].pk}),
    ]


def assert_facts_equal_live(archive, monkeypatch):
    assert snapshot.current_facts(timezone.now()) is not None
    for slug, filters in every_page(archive):
        assert numbers(slug, filters) == live_numbers(monkeypatch, slug, filters), slug


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_facts_give_the_live_numbers_on_every_page(seed, monkeypatch):
    archive = Archive(seed)

    assert snapshot.rebuild() is True

    assert OutcomeFact.objects.count() == len(archive.expected)
    assert_facts_equal_live(archive, monkeypatch)
    # And both equal a count made independently, in plain Python.
    for slug in DIMENSIONS:
        dimension = DIMENSIONS[slug]
        computed = computed_tallies(breakdown(dimension, Vocabularies(timezone.now())))
        assert computed == expected_tallies(archive.expected, dimension.field)


def test_facts_are_built_once_per_generation():
    PostulateFactory()
    assert snapshot.rebuild() is True
    assert snapshot.rebuild() is False
    assert OutcomeFact.objects.count() == 1


@pytest.mark.parametrize("change", ["answer", "withdrawal", "rename", "new postulate"])
def test_after_a_save_the_numbers_are_live_until_the_facts_are_built_again(change, monkeypatch):
    archive = Archive(7)
    snapshot.rebuild()
    published = Postulate.objects.published().order_by("pk")
    before = live_numbers(monkeypatch, "wydzialy")

    if change == "answer":
        postulate = published.filter(positions__isnull=True).first()
        PositionFactory(
            postulate=postulate,
            outcome=OutcomeFactory(category=Outcome.Category.REJECTED),
            department=archive.culture,
            answered_on=datetime.date(2025, 12, 1),
        )
    elif change == "withdrawal":
        postulate = published.first()
        postulate.status = Status.DRAFT
        postulate.save()
    elif change == "rename":
        culture = Department.objects.get(pk=archive.culture.pk)
        culture.name = "Wydział Kultury i Sztuki"
        culture.save()
    else:
        PostulateFactory(meeting=published.first().meeting, number=999)
    # What the save's commit does (tested in tests/pagecache; the test's transaction never
    # commits): a new generation.
    generation.invalidate()

    assert snapshot.current_facts(timezone.now()) is None
    after = live_numbers(monkeypatch, "wydzialy")
    assert after != before  # the change shows in the numbers...
    assert numbers("wydzialy") == after  # ...at once, counted live
    assert snapshot.rebuild() is True
    assert numbers("wydzialy") == after
    assert_facts_equal_live(archive, monkeypatch)


def test_a_scheduled_publication_ends_the_facts_when_its_time_comes(monkeypatch):
    archive = Archive(8)  # with scheduled records, published three days after NOW
    snapshot.rebuild()
    today = live_numbers(monkeypatch, "lata")

    with time_machine.travel(NOW + datetime.timedelta(days=3, seconds=1), tick=False):
        assert snapshot.current_facts(timezone.now()) is None
        later = live_numbers(monkeypatch, "lata")
        assert later != today
        assert numbers("lata") == later
        assert snapshot.rebuild() is True
        assert_facts_equal_live(archive, monkeypatch)


def test_midnight_ends_the_facts_as_unanswered_postulates_wait_a_day_more(monkeypatch):
    PostulateFactory()  # unanswered
    snapshot.rebuild()
    (waited,) = breakdown(DIMENSIONS["lata"], Vocabularies(timezone.now())).total.open_waits

    tomorrow = timezone.localtime(NOW).replace(hour=0, minute=0) + datetime.timedelta(days=1)
    with time_machine.travel(tomorrow, tick=False):
        assert snapshot.current_facts(timezone.now()) is None
        total = breakdown(DIMENSIONS["lata"], Vocabularies(timezone.now())).total
        assert list(total.open_waits) == [waited + 1]


def test_a_worker_round_builds_the_facts(monkeypatch):
    PostulateFactory.create_batch(2)
    # Only the round's statistics step: the others are tested with their apps.
    monkeypatch.setattr("alerts.worker.tick", lambda: None)
    monkeypatch.setattr(
        "alerts.management.commands.alerts_worker.call_command", lambda *args, **kwargs: None
    )
    monkeypatch.setattr("alerts.management.commands.alerts_worker.refresh_files", lambda: None)

    call_command("alerts_worker", once=True)

    assert snapshot.current_facts(timezone.now()) is not None
    assert OutcomeFact.objects.count() == 2


def list_pages(client):
    """(count, postulate ids shown) of every page of the unfiltered postulate list, and of a
    page past its end (which shows the last)."""
    first = client.get("/postulaty/").context["page_obj"]
    pages = [
        first,
        *(
            client.get("/postulaty/", {"page": number}).context["page_obj"]
            for number in [*range(2, first.paginator.num_pages + 1), 999]
        ),
    ]
    return [(page.paginator.count, [postulate.pk for postulate in page]) for page in pages]


def test_the_postulate_list_in_its_kept_order_shows_the_sorted_pages(client, monkeypatch):
    Archive(9)
    monkeypatch.setattr(PostulateListView, "per_page", 7)
    with monkeypatch.context() as patch:
        patch.setattr("postulates.views.current_list_order", lambda at: None)
        sorted_live = list_pages(client)
    assert len(sorted_live) > 3

    snapshot.rebuild()

    assert snapshot.current_list_order(timezone.now()).count == sorted_live[0][0]
    assert list_pages(client) == sorted_live
    # Filtered, the list is sorted live: only the whole list's order is kept.
    year = client.get("/postulaty/", {"rok": 2025}).context["page_obj"]
    assert year.paginator.count < sorted_live[0][0]


def test_after_a_withdrawal_the_postulate_list_is_sorted_live_until_built_again(client):
    PostulateFactory.create_batch(3)
    snapshot.rebuild()
    withdrawn = Postulate.objects.order_by("pk").first()
    withdrawn.status = Status.DRAFT
    withdrawn.save()
    generation.invalidate()  # what the save's commit does

    assert snapshot.current_list_order(timezone.now()) is None
    page = client.get("/postulaty/").context["page_obj"]
    assert page.paginator.count == 2
    assert withdrawn not in page

    snapshot.rebuild()
    assert client.get("/postulaty/").context["page_obj"].paginator.count == 2


@pytest.mark.parametrize("built", [False, True])
def test_the_postulate_list_costs_the_same_queries_for_few_or_many(
    client, built, django_assert_num_queries
):
    first = PostulateFactory()
    meeting = first.meeting
    if built:
        snapshot.rebuild()
    # The page's own queries, and the kept order's snapshot; then, when it is built, the
    # generation it must match, else the count of the sorted list.
    expected = 12
    with django_assert_num_queries(expected):
        client.get("/postulaty/")
    # Numbers after the first's, whatever the factory's sequence has reached.
    for number in range(first.number + 1, first.number + 59):
        PositionFactory(postulate=PostulateFactory(meeting=meeting, number=number))
    generation.invalidate()
    if built:
        snapshot.rebuild()
    with django_assert_num_queries(expected):
        response = client.get("/postulaty/", {"page": 2})
    assert len(response.context["page_obj"]) == 9


def commitment_pages(client, **filters):
    """(count, counts per state, answer ids shown) of every page of the list of commitments."""

    def page(number):
        response = client.get("/postulaty/zobowiazania/", {**filters, "page": number})
        page_obj = response.context["page_obj"]
        states = [(state.value, count) for state, count, _chosen in response.context["states"]]
        return page_obj.paginator.count, states, [answer.pk for answer in page_obj]

    first = page(1)
    pages = -(-first[0] // 3)
    return [first, *(page(number) for number in range(2, pages + 2))]


def test_the_commitments_in_their_kept_order_show_the_sorted_pages(client, monkeypatch):
    archive = Archive(10)
    for number, postulate in enumerate(Postulate.objects.published().order_by("pk")[:12]):
        due = NOW.date() + datetime.timedelta(days=number * 20 - 120)
        PositionFactory(
            postulate=postulate,
            department=archive.culture,
            answered_on=datetime.date(2025, 12, 1) + datetime.timedelta(days=number),
            commitment=f"Zobowiązanie {number}",
            commitment_due_on=due if number % 4 else None,
            commitment_fulfilled_on=NOW.date() if number % 5 == 0 else None,
        )
    monkeypatch.setattr(CommitmentListView, "per_page", 3)
    chosen = [{}, *({"stan": state} for state in CommitmentState.values)]
    with monkeypatch.context() as patch:
        patch.setattr("postulates.views.current_commitment_order", lambda at: None)
        sorted_live = [commitment_pages(client, **filters) for filters in chosen]
    assert all(len(pages) > 1 for pages in sorted_live)

    snapshot.rebuild()

    assert snapshot.current_commitment_order(timezone.now()) is not None
    assert [commitment_pages(client, **filters) for filters in chosen] == sorted_live


def listed_ids(client, filters):
    """The ids of every postulate the list shows under `filters`, page after page."""
    first = client.get("/postulaty/", filters).context["page_obj"]
    pages = range(2, first.paginator.num_pages + 1)
    later = [client.get("/postulaty/", {**filters, "page": n}).context["page_obj"] for n in pages]
    return first.paginator.count, sorted(p.pk for page in [first, *later] for p in page)


def test_the_lists_filters_as_in_the_statistics_read_the_facts_and_list_the_same(
    client, monkeypatch
):
    """?odpowiedzialny= and ?odpowiedz= took 4-9 s and 2.8 s at 100,000 postulates, working
    out every current answer's department and outcome: with the facts built they read them,
    and list exactly the postulates worked out live (a former name's address too)."""
    archive = Archive(11)
    cases = [
        {"odpowiedzialny": archive.old_culture.slug},
        {"odpowiedzialny": archive.culture.slug, "odpowiedz": "nieuwzgledniony"},
        *({"odpowiedz": category.value} for category in outcome_categories()),
    ]
    live = [listed_ids(client, filters) for filters in cases]
    assert live[0][0] and live[1][0]
    assert sum(count for count, _ids in live[2:]) == Postulate.objects.published().count()

    snapshot.rebuild()
    with monkeypatch.context() as patch:
        # Read from the facts: the live attribution is not worked out at all.
        patch.setattr("stats.snapshot.counted_under", None)
        patch.setattr("stats.snapshot.unanswered_postulates", None)
        assert [listed_ids(client, filters) for filters in cases] == live
