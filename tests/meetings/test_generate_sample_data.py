"""The generate_sample_data command (sampledata): marked, repeatable sample data that shows
every feature of the archive."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from core.publishing import Status
from departments.models import Department, DepartmentChange
from meetings.models import (
    ArchiveYear,
    Document,
    Meeting,
    MeetingDate,
    MeetingDepartment,
    MeetingParticipant,
    Round,
)
from organisations.models import Organisation
from postulates.models import (
    CommitmentState,
    Outcome,
    Position,
    PositionRevision,
    Postulate,
    PostulateLink,
    PublicTaskArea,
)
from programmes.models import Programme

pytestmark = pytest.mark.django_db

MARKER = "[PRZYKŁAD] "
# Past years only, so whether a postulate has been answered never depends on today's date.
SMALL = ["--meetings", "20", "--postulates", "100", "--organisations", "30"]
SMALL += ["--years", "2018-2020", "--seed", "3"]
PUBLISHABLE = (
    ArchiveYear,
    Department,
    Organisation,
    Programme,
    Round,
    Meeting,
    Document,
    Postulate,
    Position,
)
# Which text field carries the visible marker, per model.
MARKED_FIELDS = {
    ArchiveYear: "intro",
    Department: "name",
    Organisation: "name",
    Programme: "title",
    Round: "title",
    Meeting: "title",
    Document: "title",
    Postulate: "content",
    Position: "justification",
}


def generate(*arguments):
    out = StringIO()
    call_command("generate_sample_data", *SMALL, *arguments, stdout=out)
    return out.getvalue()


def test_creates_exactly_the_requested_amounts():
    generate()

    assert Meeting.objects.count() == 20
    assert Postulate.objects.count() == 100
    assert Organisation.objects.count() == 30
    assert set(ArchiveYear.objects.values_list("year", flat=True)) == {2018, 2019, 2020}
    # Meetings of a year prepare the next year's annual programme.
    programmes = Programme.objects.all()
    assert {(p.kind, p.first_year, p.last_year) for p in programmes} == {
        ("roczny", 2019, 2019),
        ("roczny", 2020, 2020),
        ("roczny", 2021, 2021),
    }
    assert {p.short_name for p in programmes} == {
        "RPW 2019 (przykład)",
        "RPW 2020 (przykład)",
        "RPW 2021 (przykład)",
    }
    assert Round.objects.count() == 6
    assert Department.objects.count() >= 5
    per_meeting = Meeting.objects.annotate(
        date_count=Count("dates", distinct=True),
        department_count=Count("department_links", distinct=True),
        document_count=Count("documents", distinct=True),
    )
    for meeting in per_meeting:
        assert 0 <= meeting.date_count <= 2
        assert 1 <= meeting.department_count <= 2
        assert 1 <= meeting.document_count <= 3
    assert MeetingParticipant.objects.exists()
    # Most postulates are answered, none more than once.
    assert 60 <= Position.objects.count() < 100
    assert not Postulate.objects.annotate(n=Count("positions")).filter(n__gt=1).exists()


def test_summary_line_reports_counts_and_time():
    output = generate()

    assert "spotkania: 20" in output
    assert "postulaty: 100" in output
    assert "organizacje: 30" in output
    assert re.search(r"powiązania postulatów: \d+, zobowiązania: \d+", output)
    assert re.search(r"szkice: \d+, publikacje zaplanowane: \d+ — w", output)
    assert re.search(r"w \d+\.\d s\.", output)


def test_every_created_row_is_a_marked_sample():
    generate()

    for model in PUBLISHABLE:
        rows = model.objects.all()
        assert rows.exists(), model
        assert not rows.filter(is_sample=False).exists(), model
        field = MARKED_FIELDS[model]
        assert not rows.exclude(**{f"{field}__startswith": MARKER}).exists(), model
    for model in (Department, Organisation, Programme, Round, Meeting):
        assert not model.objects.exclude(slug__startswith="przyklad-r0001-").exists(), model
    # Rows without is_sample of their own carry the marker where they are shown.
    for queryset, field in (
        (DepartmentChange.objects.all(), "note"),
        (PostulateLink.objects.all(), "note"),
        (PositionRevision.objects.all(), "justification"),
        (Position.objects.exclude(commitment=""), "commitment"),
    ):
        assert queryset.exists(), queryset.model
        assert not queryset.exclude(**{f"{field}__startswith": MARKER}).exists(), queryset.model


def test_all_but_a_few_drafts_and_scheduled_rows_are_published():
    generate()

    now = timezone.now()
    for model in PUBLISHABLE:
        rows = model.objects.all()
        drafts = rows.filter(status=Status.DRAFT)
        scheduled = rows.filter(status=Status.PUBLISHED, published_at__gt=now)
        held_back = drafts.count() + scheduled.count()
        if model in (Meeting, Postulate, Position):
            assert drafts.exists() and scheduled.exists(), model
            assert held_back <= rows.count() // 10 + 1, model
        else:
            assert held_back == 0, model
        assert model.objects.published_own().count() == rows.count() - held_back, model


def test_postulate_numbers_run_from_one_within_each_meeting():
    generate()

    numbers = {}
    for meeting_id, number in Postulate.objects.values_list("meeting_id", "number"):
        numbers.setdefault(meeting_id, []).append(number)
    assert sum(len(n) for n in numbers.values()) == 100
    for meeting_numbers in numbers.values():
        assert sorted(meeting_numbers) == list(range(1, len(meeting_numbers) + 1))


def test_each_meeting_starts_on_its_first_date():
    generate()

    for meeting in Meeting.objects.prefetch_related("dates"):
        days = [d.date for d in meeting.dates.all()]
        assert meeting.starts_on == (min(days) if days else None)


def test_postulates_and_positions_are_fully_linked():
    generate()

    postulates = Postulate.objects.select_related("meeting", "programme", "source_document")
    for postulate in postulates:
        assert postulate.round_id is None
        assert postulate.area_id is not None
        assert postulate.responsible_department_id is not None
        assert postulate.programme.first_year == postulate.meeting.year_id + 1
        assert postulate.source_document.meeting_id == postulate.meeting_id
    # Some postulates come from private persons, whose names are never published.
    assert postulates.filter(organisation__isnull=True).exists()
    assert postulates.filter(organisation__isnull=False).count() > 50
    for position in Position.objects.select_related("postulate__meeting"):
        assert position.outcome_id is not None
        assert position.justification
        assert position.department_id == position.postulate.responsible_department_id
        days = MeetingDate.objects.filter(meeting=position.postulate.meeting_id)
        for day in days.values_list("date", flat=True):
            assert position.answered_on > day


def test_departments_include_a_rename_chain_and_fit_the_meeting_year():
    generate()

    renames = DepartmentChange.objects.filter(kind=DepartmentChange.Kind.RENAME)
    assert renames.count() == 2
    assert len(renames.first().predecessor.lineage()) >= 3
    for link in MeetingDepartment.objects.select_related("meeting", "department"):
        department, year = link.department, link.meeting.year_id
        assert (department.name_used_from or 0) <= year <= (department.name_used_until or 9999)


def test_joint_meetings_and_documents_of_meetings_and_rounds():
    generate()

    joint = Meeting.objects.annotate(n=Count("department_links")).filter(n=2)
    assert joint.exists()
    round_documents = Document.objects.filter(round__isnull=False)
    assert {d.kind for d in round_documents} == {
        Document.Kind.RULES,
        Document.Kind.CITY_POSITION,
        Document.Kind.MATERIALS,
    }
    assert set(round_documents.values_list("round", flat=True)) == set(
        Round.objects.values_list("pk", flat=True)
    )


def test_postulates_are_linked_across_years_into_threads():
    generate()

    links = PostulateLink.objects.select_related("from_postulate", "to_postulate")
    across_years = [link for link in links if link.from_postulate.year > link.to_postulate.year]
    assert across_years
    assert {link.kind for link in across_years} <= {
        PostulateLink.Kind.RESUBMISSION,
        PostulateLink.Kind.CONTINUATION,
    }
    for link in links:
        # Always to an earlier postulate, never to itself.
        assert link.to_postulate.pk < link.from_postulate.pk
        assert str(link.to_postulate.year) in link.note
        if link.kind == PostulateLink.Kind.RESUBMISSION:
            earlier = link.to_postulate.content.split(" r. ", 1)[-1]
            assert link.from_postulate.content.endswith(earlier.removeprefix(MARKER))


def test_some_answers_were_revised_after_publication():
    generate()

    revisions = PositionRevision.objects.select_related("position")
    assert revisions.exists()
    for revision in revisions:
        position = revision.position
        assert position.is_published_own
        # The earlier version was public from the answer's publication until the revision.
        assert revision.valid_from == position.published_at
        assert revision.valid_from <= revision.valid_to <= timezone.now()
        assert revision.answered_on < position.answered_on
        assert revision.outcome_id != position.outcome_id


def test_commitments_are_fulfilled_overdue_or_open_ended():
    generate("--postulates", "300")

    positions = Position.objects.exclude(commitment="")
    states = {position.commitment_state() for position in positions}
    # The years are past, so no commitment is still within its deadline.
    assert states == {
        CommitmentState.FULFILLED,
        CommitmentState.OVERDUE,
        CommitmentState.NO_DEADLINE,
    }
    for position in positions:
        assert position.outcome.category in {
            Outcome.Category.ACCEPTED,
            Outcome.Category.PARTLY_ACCEPTED,
        }
        if position.commitment_fulfilled_on:
            assert position.answered_on < position.commitment_fulfilled_on <= timezone.localdate()


def test_recent_commitments_are_on_time():
    generate("--years", str(timezone.localdate().year - 1), "--postulates", "300")

    states = {position.commitment_state() for position in Position.objects.all()}
    assert CommitmentState.ON_TIME in states


def test_text_is_varied_polish():
    generate()

    contents = list(Postulate.objects.values_list("content", flat=True))
    assert len(set(contents)) > 90
    text = " ".join(contents + list(Meeting.objects.values_list("topic", flat=True)))
    assert re.search("[ąćęłńóśźż]", text)
    forms = {form for form in ("postulat ", "postulaty", "postulatów") if form in text.lower()}
    assert len(forms) >= 2


def test_second_run_adds_the_same_amount_again_with_the_same_content():
    generate()
    generate()

    assert Meeting.objects.count() == 40
    assert Postulate.objects.count() == 200
    assert Organisation.objects.count() == 60
    # Years and programmes for the period already exist and are reused.
    assert ArchiveYear.objects.count() == 3
    assert Programme.objects.count() == 3
    assert Meeting.objects.filter(slug__startswith="przyklad-r0002-").count() == 20

    # The same seed gives the same content; only the run number in the slugs differs.
    def run(number):
        prefix = f"przyklad-r{number:04d}-"
        meetings = Meeting.objects.filter(slug__startswith=prefix).order_by("pk")
        postulates = Postulate.objects.filter(meeting__slug__startswith=prefix).order_by("pk")
        return (
            [(m.year_id, m.slug.removeprefix(prefix), m.title) for m in meetings],
            list(postulates.values_list("number", "content")),
        )

    assert run(1) == run(2)


def test_other_seed_gives_other_content():
    generate()
    generate("--seed", "4")

    first, second = (
        set(
            Postulate.objects.filter(meeting__slug__startswith=prefix).values_list(
                "content", flat=True
            )
        )
        for prefix in ("przyklad-r0001-", "przyklad-r0002-")
    )
    assert first != second


def test_existing_real_rows_are_reused_and_left_untouched():
    real_year = ArchiveYear.objects.create(year=2019, intro="Prawdziwy wstęp.")
    real_programme = Programme.objects.create(
        title="Program współpracy na rok 2020",
        short_name="RPW 2020",
        kind=Programme.Kind.ANNUAL,
        first_year=2020,
        last_year=2020,
        status=Status.PUBLISHED,
    )
    real_area = PublicTaskArea.objects.create(name="Kultura, sztuka, ochrona dóbr kultury")
    real_outcome = Outcome.objects.create(name="uwzględniony", category="uwzgledniony")
    before = {
        row: (type(row).objects.filter(pk=row.pk).values().get())
        for row in (real_year, real_programme, real_area, real_outcome)
    }

    output = generate()

    for row, values in before.items():
        assert type(row).objects.filter(pk=row.pk).values().get() == values
    assert ArchiveYear.objects.count() == 3
    assert set(ArchiveYear.objects.filter(is_sample=True).values_list("year", flat=True)) == {
        2018,
        2020,
    }
    assert Programme.objects.count() == 3
    assert not Postulate.objects.filter(meeting__year=2019).exclude(programme=real_programme)
    assert Postulate.objects.filter(meeting__year=2019).exists()
    # The vocabularies were not empty, so nothing was added to them.
    assert list(PublicTaskArea.objects.all()) == [real_area]
    assert list(Outcome.objects.all()) == [real_outcome]
    # The real 2019 is a draft: its sample meetings stay hidden, and the command says so.
    assert not Meeting.objects.published().filter(year=2019).exists()
    assert "2019" in output


@pytest.mark.parametrize(
    ("arguments", "option"),
    [
        (["--meetings", "-1"], "--meetings"),
        (["--postulates", "-5"], "--postulates"),
        (["--organisations", "-2"], "--organisations"),
        (["--meetings", "dużo"], "--meetings"),
        (["--meetings", "0", "--postulates", "10"], "--postulates"),
        (["--years", "2020-2015"], "--years"),
        (["--years", "20-26"], "--years"),
        (["--years", "od 2015"], "--years"),
        (["--years", "1900-2000"], "--years"),
        (["--years", ""], "--years"),
    ],
)
def test_bad_arguments_raise_command_error(arguments, option):
    with pytest.raises(CommandError, match=re.escape(option)):
        generate(*arguments)

    assert not ArchiveYear.objects.exists()
    assert not Organisation.objects.exists()


def test_single_year_and_no_meetings():
    generate("--years", "2019", "--meetings", "0", "--postulates", "0")

    assert list(ArchiveYear.objects.values_list("year", flat=True)) == [2019]
    assert not Meeting.objects.exists()
    assert Organisation.objects.count() == 30
    # Even a one-year range keeps its rename chain (the renames happened before it).
    assert DepartmentChange.objects.filter(kind=DepartmentChange.Kind.RENAME).count() == 2


def test_backends_without_returned_ids_fall_back_to_lookups(monkeypatch):
    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)

    generate()

    assert Postulate.objects.count() == 100
    for postulate in Postulate.objects.select_related("source_document"):
        assert postulate.source_document.meeting_id == postulate.meeting_id
    positions = Position.objects.select_related("postulate", "document")
    assert positions.exists()
    for position in positions.exclude(document=None):
        assert position.document.meeting_id == position.postulate.meeting_id
    # Links and earlier versions point at rows whose ids were looked up.
    assert PostulateLink.objects.exists()
    assert PositionRevision.objects.exists()


def test_writes_in_bulk(django_assert_max_num_queries):
    # Row-by-row saves would need well over 10,000 queries here; a few hundred is in bulk.
    with django_assert_max_num_queries(400):
        generate("--meetings", "200", "--postulates", "2000", "--organisations", "300")

    assert Postulate.objects.count() == 2000


def test_real_archive_is_left_exactly_as_it_was():
    call_command("load_archive", verbosity=0)
    models = (*PUBLISHABLE, DepartmentChange, PublicTaskArea, Outcome)

    def real_rows():
        rows = {}
        for model in models:
            queryset = model.objects.order_by("pk")
            if model is DepartmentChange:
                queryset = queryset.filter(predecessor__is_sample=False)
            elif hasattr(model, "is_sample"):
                queryset = queryset.filter(is_sample=False)
            rows[model] = list(queryset.values())
        return rows

    before = real_rows()
    assert before[ArchiveYear] and before[Meeting]

    call_command(
        "generate_sample_data",
        "--meetings=30",
        "--postulates=150",
        "--organisations=20",
        "--seed=5",
        stdout=StringIO(),
    )

    assert real_rows() == before
    assert Meeting.objects.filter(is_sample=True).count() == 30
    assert Postulate.objects.filter(is_sample=True).count() == 150


def test_no_record_was_created_after_its_publication():
    from django.db.models import F

    generate()
    for model in PUBLISHABLE:
        rows = model.objects.filter(published_at__lte=timezone.now())
        assert rows.exists(), model
        assert not rows.filter(created_at__gt=F("published_at")).exists(), model
