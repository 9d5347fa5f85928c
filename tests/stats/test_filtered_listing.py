"""The postulate list filtered by a year, a department, an organisation or a programme (and a
programme's page, which shows its first postulates), read from the lists
kept per content generation (stats.snapshot.FilteredListing), shows exactly the pages sorted
and counted live, and is never read once the archive has changed: a save shows on the
filtered page at once, cached or not."""

import datetime
import importlib

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from core.publishing import Status
from departments.models import Department
from meetings.models import ArchiveYear
from organisations.models import Organisation
from pagecache import generation
from postulates.models import Outcome, Position, Postulate
from postulates.views import PostulateListView
from programmes import views as programme_views
from programmes.models import Programme
from stats import snapshot
from stats.models import FilteredListing
from tests.factories import (
    ArchiveYearFactory,
    DepartmentFactory,
    MeetingFactory,
    OrganisationFactory,
    OutcomeFactory,
    PositionFactory,
    PostulateFactory,
    PostulateLinkFactory,
)
from tests.stats.test_numbers import NOW, SCHEDULED, Archive

# At NOW, the generation read afresh each time (autouse).
from tests.stats.test_snapshot import frozen_clock  # noqa: F401

pytestmark = pytest.mark.django_db


def filtered_pages(client, filters):
    """(count, postulate ids shown) of every page of the list under `filters`, and of a page
    past its end (which shows the last)."""
    first = client.get("/postulaty/", filters).context["page_obj"]
    later = [
        client.get("/postulaty/", {**filters, "page": number}).context["page_obj"]
        for number in [*range(2, first.paginator.num_pages + 1), 999]
    ]
    return [
        (page.paginator.count, [postulate.pk for postulate in page]) for page in [first, *later]
    ]


def every_filter(organisations):
    """One filter for each public year and department (a former name's too, and one with no
    postulates), and for `organisations`."""
    return [
        *({"rok": year} for year in ArchiveYear.objects.published().values_list("year", flat=True)),
        *(
            {"wydzial": slug}
            for slug in Department.objects.published().values_list("slug", flat=True)
        ),
        *({"organizacja": organisation.slug} for organisation in organisations),
        *(
            {"program": slug}
            for slug in Programme.objects.published().values_list("slug", flat=True)
        ),
    ]


def sorted_live(client, monkeypatch, cases):
    with monkeypatch.context() as patch:
        patch.setattr("postulates.views.current_filtered_order", lambda *args: None)
        return [filtered_pages(client, filters) for filters in cases]


def test_the_kept_filtered_lists_show_the_pages_sorted_live(client, monkeypatch):
    archive = Archive(12, postulates=60)
    DepartmentFactory(name="Wydział bez postulatów")
    # Organisations with several postulates, of meetings and of the round.
    shared = OrganisationFactory.create_batch(2)
    for number, postulate in enumerate(Postulate.objects.order_by("pk")):
        if number % 3 < 2:
            postulate.organisation = shared[number % 3]
            postulate.save()
    monkeypatch.setattr(PostulateListView, "per_page", 5)
    public = Organisation.objects.published().order_by("pk")
    cases = every_filter([*shared, public.exclude(pk__in=[o.pk for o in shared]).first()])
    live = sorted_live(client, monkeypatch, cases)
    assert sum(len(pages) > 2 for pages in live) >= 6
    assert any(pages[0][0] == 0 for pages in live)  # the department without postulates

    snapshot.rebuild()

    with monkeypatch.context() as patch:
        # Neither sorted nor counted live: the filtered queryset is read only by its keys.
        patch.setattr("core.pagination.KeysFirstPaginator.sorted_keys", None)
        assert [filtered_pages(client, filters) for filters in cases] == live
    former = snapshot.current_filtered_order(timezone.now(), ("wydzial", archive.old_culture.pk))
    assert former.count == live[cases.index({"wydzial": archive.old_culture.slug})][0][0]


def programme_pages(client):
    """(count, postulate ids shown) of every public programme's page."""
    return [
        (response.context["postulate_count"], [p.pk for p in response.context["postulates"]])
        for response in (
            client.get(programme.get_absolute_url())
            for programme in Programme.objects.published().order_by("pk")
        )
    ]


def test_a_programmes_page_shows_its_first_postulates_from_the_kept_list(client, monkeypatch):
    """A programme's page shows its first postulates in the list's order and their number:
    read from the kept list, the same as sorted and counted live."""
    Archive(14, postulates=60)
    monkeypatch.setattr(programme_views, "POSTULATES_SHOWN", 4)
    live = programme_pages(client)
    assert [count for count, _shown in live] == [
        Postulate.objects.published().filter(programme=programme).count()
        for programme in Programme.objects.published().order_by("pk")
    ]
    assert all(count > 4 for count, _shown in live)

    snapshot.rebuild()

    with monkeypatch.context() as patch:
        # Neither counted nor sorted live: only the kept keys' rows are read.
        patch.setattr("django.db.models.QuerySet.count", None)
        assert programme_pages(client) == live
    # A change ends the kept list: the page is counted live again, with the change.
    Postulate.objects.filter(pk=live[0][1][0]).update(status=Status.DRAFT)
    generation.invalidate()
    assert sum(count for count, _shown in programme_pages(client)) == (
        sum(count for count, _shown in live) - 1
    )


def answers_to_follow_up(archive):
    """Overdue, fulfilled and open-ended commitments on some answers of `archive`, and links
    between postulates of one year, of two, and to a draft: what the follow-up and history
    filters select (the archive's own answers wait "in progress" past STALE_PENDING_DAYS
    already)."""
    answers = list(Position.objects.order_by("pk"))
    for number, answer in enumerate(answers):
        if number % 2 == 0:
            answer.commitment = "Zrobimy to."
            answer.commitment_due_on = datetime.date(2025, 9, 1 + number % 2 * 20)
            if number % 3 == 0:
                answer.commitment_fulfilled_on = datetime.date(2025, 8, 1)
            if number % 5 == 0:
                answer.commitment_due_on = None
            answer.save()
    postulates = list(Postulate.objects.order_by("pk"))
    for earlier, later in zip(postulates[::7], postulates[3::7], strict=False):
        PostulateLinkFactory(from_postulate=later, to_postulate=earlier)


def test_the_answers_filters_and_their_combinations_read_kept_lists_as_sorted_live(
    client, monkeypatch
):
    archive = Archive(14, postulates=70)
    answers_to_follow_up(archive)
    monkeypatch.setattr(PostulateListView, "per_page", 4)
    culture = archive.culture.slug
    cases = [
        *({"rozstrzygniecie": outcome.slug} for outcome in archive.outcomes),
        {"uwaga": "zobowiazanie-po-terminie"},
        {"uwaga": "czeka-na-odpowiedz"},
        {"historia": "tak"},
        {"rok": 2025, "wydzial": culture},
        {"rok": 2025, "wydzial": culture, "rozstrzygniecie": archive.outcomes[0].slug},
        {"historia": "tak", "rok": 2025},
        {"uwaga": "czeka-na-odpowiedz", "wydzial": culture},
        {"uwaga": "zobowiazanie-po-terminie", "rok": 2025},
    ]
    live = sorted_live(client, monkeypatch, cases)
    # The filters select some postulates, not all, over several pages: the cases test something.
    everything = client.get("/postulaty/").context["page_obj"].paginator.count
    counts = [pages[0][0] for pages in live]
    single = len(archive.outcomes) + 3
    assert all(0 < count < everything for count in counts[:single]), counts
    assert sum(count > 0 for count in counts[single:]) >= 4, counts
    assert sum(len(pages) > 2 for pages in live) >= 6

    snapshot.rebuild()

    with monkeypatch.context() as patch:
        patch.setattr("core.pagination.KeysFirstPaginator.sorted_keys", None)
        assert [filtered_pages(client, filters) for filters in cases] == live


def test_only_kept_filters_read_the_kept_lists(client, monkeypatch):
    Archive(13, postulates=30)
    snapshot.rebuild()
    read = []
    monkeypatch.setattr(
        "postulates.views.current_filtered_order",
        lambda *args: read.append(args[1:]) or snapshot.current_filtered_order(*args),
    )
    culture = Department.objects.get(name="Wydział Kultury")
    outcome = Outcome.objects.order_by("pk").first()

    client.get("/postulaty/", {"rok": 2025, "sfera": "kultura"})
    client.get("/postulaty/", {"rok": "1999"})  # not a public year: the form's error
    client.get("/postulaty/", {"uwaga": "nie-wiem"})
    assert read == []
    client.get("/postulaty/", {"wydzial": culture.slug, "rok": "", "page": 2})
    client.get("/postulaty/", {"rok": 2025, "wydzial": culture.slug})
    client.get("/postulaty/", {"historia": "tak", "uwaga": "czeka-na-odpowiedz"})
    client.get(
        "/postulaty/", {"uwaga": "zobowiazanie-po-terminie", "rozstrzygniecie": outcome.slug}
    )
    assert read == [
        (("wydzial", culture.pk),),
        (("rok", 2025), ("wydzial", culture.pk)),
        # In the form's order of the filters.
        (("uwaga", 2), ("historia", 1)),
        (("rozstrzygniecie", outcome.pk), ("uwaga", 1)),
    ]


def test_a_save_shows_on_the_filtered_list_at_once(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_SHARED = False
    cache.clear()
    y2024, y2025 = ArchiveYearFactory(year=2024), ArchiveYearFactory(year=2025)
    moved = PostulateFactory(meeting=MeetingFactory(year=y2024), content="Postulat przeniesiony.")
    later = MeetingFactory(year=y2025)
    PostulateFactory(meeting=later, content="Postulat roku 2025.")
    snapshot.rebuild()

    def year_page(year):
        return client.get("/postulaty/", {"rok": year}).content.decode()

    assert "Postulat przeniesiony." in year_page(2024)
    assert "Postulat przeniesiony." not in year_page(2025)  # and both pages are cached now

    # A real commit's invalidation (a savepoint of its own, as tests/pagecache do).
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        moved.meeting = later
        moved.save()

    assert snapshot.current_filtered_order(timezone.now(), ("rok", 2025)) is None
    assert "Postulat przeniesiony." not in year_page(2024)
    assert "Postulat przeniesiony." in year_page(2025)
    # Built again, the kept lists hold the move too.
    snapshot.rebuild()
    assert snapshot.current_filtered_order(timezone.now(), ("rok", 2025)).count == 2
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        moved.status = Status.DRAFT
        moved.save()
    assert "Postulat przeniesiony." not in year_page(2025)
    assert "1 postulat" in year_page(2025)


def test_a_scheduled_publication_ends_the_kept_lists_when_its_time_comes(client):
    year = ArchiveYearFactory(year=2025)
    PostulateFactory(meeting=MeetingFactory(year=year))
    PostulateFactory(meeting=MeetingFactory(year=year), **SCHEDULED)
    generation.invalidate()
    snapshot.rebuild()
    assert snapshot.current_filtered_order(timezone.now(), ("rok", 2025)).count == 1

    with time_machine.travel(NOW + datetime.timedelta(days=3, seconds=1), tick=False):
        assert snapshot.current_filtered_order(timezone.now(), ("rok", 2025)) is None
        page = client.get("/postulaty/", {"rok": 2025}).context["page_obj"]
        assert page.paginator.count == 2


def listed_everywhere(meeting, number, outcome, earlier):
    """A postulate of `meeting` that every filter of QUERY_CASES selects: answered with
    `outcome` and an overdue commitment, and linked to `earlier`, of another year."""
    postulate = PostulateFactory(meeting=meeting, number=number)
    PositionFactory(
        postulate=postulate,
        outcome=outcome,
        commitment="Zrobimy to.",
        commitment_due_on=datetime.date(2025, 9, 1),
    )
    PostulateLinkFactory(from_postulate=postulate, to_postulate=earlier)
    return postulate


# {case: (a function of (year, outcome) giving the filters, queries, postulates listed besides
# the meeting's: the earlier one, whose link gives it a history too)}: the page's
# own queries and the filters' chosen records; the snapshot, which reads the kept list's length
# along, and, when it is built, the generation it must match, else the count: one more than
# sorting it live without a snapshot.
QUERY_CASES = {
    "year": (lambda year, outcome: {"rok": year}, 13, 0),
    "outcome": (lambda year, outcome: {"rozstrzygniecie": outcome.slug}, 13, 0),
    "overdue": (lambda year, outcome: {"uwaga": "zobowiazanie-po-terminie"}, 12, 0),
    "history": (lambda year, outcome: {"historia": "tak"}, 12, 1),
    "year and outcome": (
        lambda year, outcome: {"rok": year, "rozstrzygniecie": outcome.slug},
        14,
        0,
    ),
}


@pytest.mark.parametrize("built", [False, True])
@pytest.mark.parametrize("case", QUERY_CASES)
def test_the_filtered_list_costs_the_same_queries_for_few_or_many(
    client, case, built, django_assert_num_queries
):
    values, expected, besides = QUERY_CASES[case]
    earlier = PostulateFactory(meeting=MeetingFactory(year=ArchiveYearFactory(year=2024)))
    meeting = MeetingFactory(year=ArchiveYearFactory(year=2025))
    outcome = OutcomeFactory()
    listed_everywhere(meeting, 1, outcome, earlier)
    filters = values(2025, outcome)
    if built:
        snapshot.rebuild()
    with django_assert_num_queries(expected):
        response = client.get("/postulaty/", filters)
    assert response.context["page_obj"].paginator.count == 1 + besides
    for number in range(2, 60):
        listed_everywhere(meeting, number, outcome, earlier)
    generation.invalidate()
    if built:
        snapshot.rebuild()
        assert FilteredListing.objects.filter(filter="rok", key=2025).count() == 59
    with django_assert_num_queries(expected):
        response = client.get("/postulaty/", {**filters, "page": 2})
    assert len(response.context["page_obj"]) == 9 + besides
    assert response.context["page_obj"].paginator.count == 59 + besides


def test_postulates_of_tied_meetings_show_once_each_in_one_order(client, monkeypatch):
    """Two meetings of one year with the same title tie in the list's sort: each meeting's
    postulates stay together, and every page, sorted live or read from the kept lists, shows
    each postulate once."""
    year = ArchiveYearFactory(year=2025)
    first, second = (MeetingFactory(year=year, title="Spotkanie z organizacjami") for _ in "ab")
    # Entered alternately, so the ids alone would interleave the two meetings.
    postulates = {first: [], second: []}
    for number in range(1, 9):
        for meeting in (second, first) if number % 2 else (first, second):
            postulates[meeting].append(PostulateFactory(meeting=meeting, number=number))
    expected = [postulate.pk for postulate in [*postulates[first], *postulates[second]]]
    monkeypatch.setattr(PostulateListView, "per_page", 3)

    def shown(filters):
        return [pk for _count, ids in filtered_pages(client, filters)[:-1] for pk in ids]

    assert shown({}) == expected
    assert shown({"rok": 2025}) == expected
    snapshot.rebuild()
    with monkeypatch.context() as patch:
        patch.setattr("core.pagination.KeysFirstPaginator.sorted_keys", None)
        assert shown({}) == expected
        assert shown({"rok": 2025}) == expected


def test_the_migration_adding_kept_filters_forgets_the_snapshot_built_without_them(client):
    """A snapshot built before the outcome, follow-up and history lists were kept has none of
    them: after the migration the lists are worked out live until the worker builds again."""
    answered = PositionFactory().postulate
    snapshot.rebuild()
    migration = importlib.import_module("stats.migrations.0004_filtered_listing_member")
    FilteredListing.objects.filter(filter="rozstrzygniecie").delete()  # as the old code built it

    migration.forget_built_generation(django_apps, None)

    outcome = answered.positions.get().outcome
    assert snapshot.current_filtered_order(timezone.now(), ("rozstrzygniecie", outcome.pk)) is None
    filters = {"rozstrzygniecie": outcome.slug}
    assert client.get("/postulaty/", filters).context["page_obj"].paginator.count == 1
