"""The statistics equal counts made independently, in plain Python, over varied random data:
drafts, scheduled records, several answers per postulate, renamed departments, rounds."""

import datetime
import random
import statistics
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
import time_machine
from django.utils import timezone
from pytest_django.asserts import assertContains

from postulates.models import Outcome
from programmes.models import Programme
from stats.dimensions import DIMENSIONS, Vocabularies
from stats.selectors import breakdown
from stats.tallies import UNANSWERED
from tests.factories import (
    DRAFT,
    ArchiveYearFactory,
    DepartmentChangeFactory,
    DepartmentFactory,
    MeetingFactory,
    OutcomeFactory,
    PositionFactory,
    PostulateFactory,
    ProgrammeFactory,
    PublicTaskAreaFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 1, 15, 12, 0, tzinfo=datetime.UTC)
SCHEDULED = {"published_at": NOW + datetime.timedelta(days=3)}


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def state(rng, draft_share=0.15, scheduled_share=0.15):
    """Publication of a random record: ("published" | "draft" | "scheduled", factory kwargs)."""
    roll = rng.random()
    if roll < draft_share:
        return "draft", DRAFT
    if roll < draft_share + scheduled_share:
        return "scheduled", SCHEDULED
    return "published", {}


def half_up(value):
    number = Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return int(number) if number == number.to_integral_value() else number


class Archive:
    """Varied data, and what each postulate should count as, decided in plain Python."""

    def __init__(self, seed, postulates=80):
        rng = random.Random(seed)
        y2024, y2025 = ArchiveYearFactory(year=2024), ArchiveYearFactory(year=2025)
        draft_year = ArchiveYearFactory(year=2023, **DRAFT)
        old_culture = DepartmentFactory(
            name="Wydział Kultury i Dziedzictwa Narodowego", name_used_until=2024
        )
        culture = DepartmentFactory(name="Wydział Kultury", name_used_from=2025)
        DepartmentChangeFactory(predecessor=old_culture, successor=culture)
        sport = DepartmentFactory(name="Wydział Sportu")
        draft_department = DepartmentFactory(name="Wydział w przygotowaniu", **DRAFT)
        self.group_name = {
            old_culture.pk: culture.name,
            culture.pk: culture.name,
            sport.pk: sport.name,
        }
        p2025, p2026 = ProgrammeFactory(first_year=2025), ProgrammeFactory(first_year=2026)
        draft_programme = ProgrammeFactory(first_year=2027, **DRAFT)
        self.areas = [PublicTaskAreaFactory(name="Kultura"), PublicTaskAreaFactory(name="Sport")]
        self.outcomes = [
            OutcomeFactory(category=category) for category in Outcome.Category.values
        ] + [OutcomeFactory(category=Outcome.Category.NEUTRAL)]

        def meeting(year, departments, dates, **kwargs):
            return MeetingFactory(year=year, departments=departments, dates=dates, **kwargs)

        round_ = RoundFactory(year=y2025, coordinator=culture, programme=p2026)
        for day, extra in ((1, {}), (20, {}), (30, DRAFT)):
            meeting(
                y2025,
                [culture],
                [datetime.date(2025, 7 if extra else 6, day)],
                round=round_,
                **extra,
            )
        # source: (record, public?, year, {public department ids}, raised on, programme id)
        sources = [
            (
                meeting(y2024, [old_culture], [datetime.date(2024, 6, 10)], programme=p2025),
                True,
                2024,
                [old_culture.pk],
                datetime.date(2024, 6, 10),
                p2025.pk,
            ),
            (
                meeting(y2025, [culture], [datetime.date(2025, 6, 12), datetime.date(2025, 6, 13)]),
                True,
                2025,
                [culture.pk],
                datetime.date(2025, 6, 12),
                None,
            ),
            (
                meeting(y2025, [culture, sport], [datetime.date(2025, 6, 20)]),
                True,
                2025,
                [culture.pk, sport.pk],
                datetime.date(2025, 6, 20),
                None,
            ),
            (
                meeting(y2025, [sport, draft_department], [datetime.date(2025, 5, 5)]),
                True,
                2025,
                [sport.pk],
                datetime.date(2025, 5, 5),
                None,
            ),
            (meeting(y2025, [sport], []), True, 2025, [sport.pk], None, None),
            (
                meeting(y2025, [sport], [datetime.date(2025, 6, 1)], **DRAFT),
                False,
                2025,
                [sport.pk],
                None,
                None,
            ),
            (
                meeting(draft_year, [sport], [datetime.date(2023, 6, 1)]),
                False,
                2023,
                [sport.pk],
                None,
                None,
            ),
            # A round's postulates wait from the round's last public meeting.
            (round_, True, 2025, [culture.pk], datetime.date(2025, 6, 20), p2026.pk),
        ]
        public_departments = {old_culture.pk, culture.pk, sport.pk}
        self.expected = []  # one dict per counted postulate
        for number in range(1, postulates + 1):
            source, source_public, year, source_departments, raised_on, source_programme = (
                rng.choice(sources)
            )
            is_round = source == round_
            responsible = rng.choice([None, None, culture, old_culture, sport, draft_department])
            area = rng.choice([None, *self.areas])
            programme = rng.choice([None, p2025, p2026, draft_programme])
            postulate_state, publication = state(rng)
            postulate = PostulateFactory(
                meeting=None if is_round else source,
                round=source if is_round else None,
                number=number,
                responsible_department=responsible,
                area=area,
                programme=programme,
                **publication,
            )
            answers = []
            for _ in range(rng.choice([0, 1, 1, 2, 3])):
                answered_on = rng.choice(
                    [
                        None,
                        (raised_on or datetime.date(2025, 6, 1))
                        + datetime.timedelta(days=rng.randint(-5, 150)),
                    ]
                )
                position_state, publication = state(rng)
                position = PositionFactory(
                    postulate=postulate,
                    outcome=rng.choice(self.outcomes),
                    answered_on=answered_on,
                    department=rng.choice([None, culture, sport, draft_department]),
                    **publication,
                )
                if position_state == "published":
                    answers.append(position)
            if not (source_public and postulate_state == "published"):
                continue
            current = max(
                answers,
                key=lambda p: (p.answered_on is not None, p.answered_on or datetime.date.min, p.pk),
                default=None,
            )
            if responsible and responsible.pk in public_departments:
                department = responsible.pk
            elif current and current.department_id in public_departments:
                department = current.department_id
            elif len(source_departments) == 1:
                department = source_departments[0]
            else:
                department = None
            days = None
            if current and current.answered_on and raised_on:
                days = (current.answered_on - raised_on).days
                days = days if days >= 0 else None
            if programme and programme != draft_programme:
                programme_id = programme.pk
            else:
                programme_id = source_programme
            self.expected.append(
                {
                    "year": str(year),
                    "department": self.group_name.get(department, "nie przypisano wydziału"),
                    "area": area.name if area else "nie przypisano sfery",
                    "programme": {p2025.pk: "RPW 2025", p2026.pk: "RPW 2026"}.get(
                        programme_id, "nie przypisano programu"
                    ),
                    "category": current.outcome.category if current else UNANSWERED,
                    "days": days,
                    "department_id": department,
                }
            )
        self.old_culture, self.culture = old_culture, culture


def expected_tallies(rows, field):
    counts, waits = defaultdict(Counter), defaultdict(list)
    for row in rows:
        counts[row[field]][row["category"]] += 1
        if row["days"] is not None:
            waits[row[field]].append(row["days"])
    return {
        label: {
            "counts": dict(counts[label]),
            "median": half_up(statistics.median(waits[label])) if waits[label] else None,
            "mean": half_up(statistics.fmean(waits[label])) if waits[label] else None,
            "max": max(waits[label], default=None),
            "timed": len(waits[label]),
        }
        for label in counts
    }


def computed_tallies(numbers):
    return {
        group.label: {
            "counts": {c: n for c, n in group.tally.counts.items() if n},
            "median": group.tally.median_days,
            "mean": group.tally.mean_days,
            "max": group.tally.max_days,
            "timed": group.tally.timed,
        }
        for group in numbers.groups
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("slug", list(DIMENSIONS))
def test_every_dimension_matches_an_independent_count(seed, slug):
    archive = Archive(seed)
    dimension = DIMENSIONS[slug]

    numbers = breakdown(dimension, Vocabularies(timezone.now()))

    assert computed_tallies(numbers) == expected_tallies(archive.expected, dimension.field)
    assert numbers.total.total == len(archive.expected)
    assert sum(group.tally.total for group in numbers.groups) == numbers.total.total
    # Some of everything was generated, so the comparison above means something.
    assert {row["category"] for row in archive.expected} == {*Outcome.Category.values, UNANSWERED}


@pytest.mark.parametrize("seed", [4, 5])
def test_filters_match_an_independent_count(seed):
    archive = Archive(seed)
    vocabularies = Vocabularies(timezone.now())
    culture = [archive.old_culture.pk, archive.culture.pk]

    by_area = breakdown(DIMENSIONS["sfery"], vocabularies, {"year": 2025, "department": culture})

    rows = [
        row
        for row in archive.expected
        if row["year"] == "2025" and row["department"] == "Wydział Kultury"
    ]
    assert rows
    assert computed_tallies(by_area) == expected_tallies(rows, "area")


def test_a_renamed_department_is_one_row_under_its_latest_name():
    archive = Archive(6)
    numbers = breakdown(DIMENSIONS["wydzialy"], Vocabularies(timezone.now()))
    (culture,) = [group for group in numbers.groups if group.key == archive.culture.pk]
    assert culture.label == "Wydział Kultury"
    assert culture.note == "Wydział Kultury i Dziedzictwa Narodowego"
    assert culture.url == "/wydzialy/wydzial-kultury/"
    assert culture.statistics_url == "/statystyki/?wydzial=wydzial-kultury"
    assert "Wydział Kultury i Dziedzictwa Narodowego" not in [g.label for g in numbers.groups]
    assert "Wydział w przygotowaniu" not in [g.label for g in numbers.groups]


def test_scheduled_answers_count_once_their_time_comes():
    postulate = PostulateFactory()
    accepted = OutcomeFactory(category=Outcome.Category.ACCEPTED)
    rejected = OutcomeFactory(category=Outcome.Category.REJECTED)
    PositionFactory(postulate=postulate, outcome=accepted, answered_on=datetime.date(2025, 7, 1))
    PositionFactory(
        postulate=postulate, outcome=rejected, answered_on=datetime.date(2025, 9, 1), **SCHEDULED
    )

    def counts():
        numbers = breakdown(DIMENSIONS["lata"], Vocabularies(timezone.now()))
        return dict(numbers.total.counts), numbers.total.max_days

    assert counts() == ({"uwzgledniony": 1}, 21)
    with time_machine.travel(NOW + datetime.timedelta(days=4), tick=False):
        assert counts() == ({"nieuwzgledniony": 1}, 83)


def test_time_to_answer_counts_days_from_the_meeting_and_from_a_rounds_last_meeting():
    year = ArchiveYearFactory(year=2025)
    outcome = OutcomeFactory()
    round_ = RoundFactory(year=year)
    MeetingFactory(year=year, round=round_, dates=[datetime.date(2025, 6, 2)])
    MeetingFactory(year=year, round=round_, dates=[datetime.date(2025, 6, 16)])
    # An unpublished meeting of the round is not when the round ended.
    MeetingFactory(year=year, round=round_, dates=[datetime.date(2025, 8, 1)], **DRAFT)
    meeting = MeetingFactory(
        year=year, dates=[datetime.date(2025, 6, 10), datetime.date(2025, 6, 11)]
    )
    for days in (10, 20, 31, 101):  # from the meeting's first day
        PositionFactory(
            postulate__meeting=meeting,
            outcome=outcome,
            answered_on=datetime.date(2025, 6, 10) + datetime.timedelta(days=days),
        )
    PositionFactory(
        postulate__meeting=None,
        postulate__round=round_,
        outcome=outcome,
        answered_on=datetime.date(2025, 7, 1),  # 15 days after 16 June
    )
    PositionFactory(postulate__meeting=meeting, outcome=outcome, answered_on=None)
    PostulateFactory(meeting=meeting)  # not answered: no wait

    total = breakdown(DIMENSIONS["lata"], Vocabularies(timezone.now())).total

    assert (total.total, total.answered, total.timed) == (7, 6, 5)
    assert total.median_days == 20
    assert total.mean_days == Decimal("35.4")  # (10 + 15 + 20 + 31 + 101) / 5
    assert total.max_days == 101


def listed_count(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page_obj"].paginator.count


@pytest.mark.parametrize("seed", [6, 7])
@pytest.mark.parametrize(
    "slug, filters",
    [
        ("lata", {}),
        ("wydzialy", {}),
        ("wydzialy", {"rok": 2025}),
        ("sfery", {"wydzial": None}),
        ("programy", {}),
        ("lata", {"program": None}),
    ],
)
def test_each_count_links_to_the_postulate_list_showing_as_many(client, seed, slug, filters):
    """The outside pass could not reproduce a department's 922 on the list: its department
    filter also counts the departments holding the meeting. Each count links to the list
    filtered by the department responsible as the statistics count it, and lists as many;
    so does each outcome's count (the current answer's outcome, or none), and a programme's
    (counted under its meeting's or round's programme too)."""
    archive = Archive(seed)
    if "wydzial" in filters:  # a former name's address: the department with its history
        filters = {"wydzial": archive.old_culture.slug}
    if "program" in filters:
        filters = {"program": Programme.objects.published().first().slug}
    response = client.get(f"/statystyki/{slug}/" if slug != "lata" else "/statystyki/", filters)
    numbers = response.context["breakdown"]
    linked = [group for group in numbers.groups if group.list_url]
    assert linked
    html = response.content.decode()
    for row, tally in [*((group, group.tally) for group in linked), (numbers, numbers.total)]:
        assert listed_count(client, row.list_url) == tally.total, getattr(row, "label", "")
        cells = [(share, url) for share, url in row.linked_shares if share.count]
        assert cells
        for share, url in cells:
            assert listed_count(client, url) == share.count, (share.category.value, url)
            # The page shows the link on the count.
            assert f'href="{url.replace("&", "&amp;")}"' in html
    assert f'href="{linked[0].list_url.replace("&", "&amp;")}"' in html


def test_an_unknown_outcome_on_the_list_is_a_clear_error(client):
    response = client.get("/postulaty/", {"odpowiedz": "zapomniane"})
    assert response.status_code == 400
    assertContains(response, "Nie można zastosować filtrów", status_code=400)
