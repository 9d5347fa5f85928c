"""Meetings with their days, departments (a quarter of them joint meetings of two),
participants and documents; a few are drafts or scheduled for publication."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q

from core.slugs import polish_slugify
from departments.models import Department
from meetings.models import Document, Meeting, MeetingDate, MeetingDepartment, MeetingParticipant
from organisations.models import Organisation
from sampledata import words
from sampledata.words import MARKER, Topic

MEETING_KIND_WEIGHTS = {
    Meeting.Kind.SECTOR: 40,
    Meeting.Kind.CONSULTATION: 20,
    Meeting.Kind.QUARTERLY: 10,
    Meeting.Kind.INFORMATION: 8,
    Meeting.Kind.INFORMATION_TRAINING: 6,
    Meeting.Kind.TRAINING: 10,
    Meeting.Kind.OTHER: 6,
}
# Meetings that prepare next year's programme belong to the year's consultation round.
PROGRAMME_KINDS = {Meeting.Kind.SECTOR, Meeting.Kind.CONSULTATION}
# Shares of meetings still drafts, and scheduled to appear later (SampleRun.hold_back).
DRAFT_SHARE = 0.02
SCHEDULED_SHARE = 0.01


@dataclass
class MeetingPlan:
    """What was decided for one meeting before it has a primary key."""

    meeting: Meeting
    topic: Topic
    dates: list[date]
    reference_day: date  # first date, or a notional day for meetings without dates
    departments: list[Department]
    participants: list[Organisation]
    postulate_count: int = 0
    documents: dict[str, Document] = field(default_factory=dict)


def meeting_title(rng, kind, topic, year, day):
    return words.MEETING_TITLES[kind].format(
        topic=topic.nominative,
        genitive=topic.genitive,
        year=year,
        next=year + 1,
        quarter=words.QUARTERS[(day.month - 1) // 3],
        training=rng.choice(words.TRAININGS),
        format=rng.choice(words.OTHER_FORMATS),
        district=rng.choice(words.DISTRICTS),
    )


def meeting_topic(rng, topic, year):
    opening = words.MEETING_TOPIC_OPENING.format(
        genitive=topic.genitive, district=rng.choice(words.DISTRICTS)
    )
    sentence = rng.choice(words.MEETING_TOPIC_SENTENCES).format(
        year=year, next=year + 1, beneficiary=rng.choice(words.BENEFICIARIES)
    )
    return f"{MARKER}{opening} {sentence}"


def create_meetings(run, reference, number):
    rng = run.rng
    kinds = list(MEETING_KIND_WEIGHTS)
    kind_weights = list(MEETING_KIND_WEIGHTS.values())
    organisations = reference.organisations
    plans = []
    for _ in range(number):
        year = rng.choice(reference.years)
        kind = rng.choices(kinds, kind_weights)[0]
        topic = rng.choice(words.TOPICS)
        day = run.random_day(year)
        dates = []
        if rng.random() >= 0.05:  # a few archive meetings have no recorded date
            dates.append(day)
            if rng.random() < 0.25:
                second = day + timedelta(days=rng.randint(1, 14))
                if second <= run.last_day(year):
                    dates.append(second)
        round_ = None
        programme = None
        if kind in PROGRAMME_KINDS:
            programme = reference.programmes[year + 1]
            if rng.random() < 0.7:
                round_ = reference.rounds[year]["consultation"]
        elif kind == Meeting.Kind.QUARTERLY:
            round_ = reference.rounds[year]["quarterly"]
        is_online = rng.random() < 0.15
        place = "" if is_online or rng.random() < 0.1 else rng.choice(words.PLACES)
        active = reference.active_departments(year)
        departments = rng.sample(active, k=min(len(active), rng.choice((1, 1, 1, 2))))
        participants = []
        if organisations and rng.random() < 0.5:
            participants = rng.sample(organisations, k=min(len(organisations), rng.randint(2, 8)))
        meeting = Meeting(
            year_id=year,
            round=round_,
            programme=programme,
            kind=kind,
            title=MARKER + meeting_title(rng, kind, topic, year, day),
            topic=meeting_topic(rng, topic, year),
            place=place,
            is_online=is_online,
            # bulk_create skips MeetingDate.save(), which would otherwise keep this current.
            starts_on=min(dates) if dates else None,
            # Announced one to three weeks before the meeting.
            **run.published(day - timedelta(days=rng.randint(7, 21))),
        )
        plans.append(MeetingPlan(meeting, topic, dates, day, departments, participants))
    # Number meetings chronologically, so slugs and pks follow the calendar.
    plans.sort(key=lambda plan: (plan.meeting.year_id, plan.reference_day))
    for number_in_run, plan in enumerate(plans, start=1):
        plan.meeting.slug = run.slug(f"{number_in_run}-{plan.meeting.title[len(MARKER) :]}", 200)
    meetings = [plan.meeting for plan in plans]
    run.hold_back(meetings, DRAFT_SHARE, SCHEDULED_SHARE)
    scope = Q(slug__startswith=run.prefix)
    run.save_all(Meeting, meetings, ("year_id", "slug"), scope, "spotkania")
    # Each meeting's days, departments and participants.
    for attribute, model, field_name, label in (
        ("dates", MeetingDate, "date", "terminy"),
        ("departments", MeetingDepartment, "department", "wydziały spotkań"),
        ("participants", MeetingParticipant, "organisation", "uczestnicy"),
    ):
        rows = [
            model(meeting=plan.meeting, **{field_name: value})
            for plan in plans
            for value in getattr(plan, attribute)
        ]
        run.insert(model, rows, label)
    return plans


def distribute_postulates(rng, plans, number):
    if not plans:
        return
    # Uneven weights: some meetings collect dozens of postulates, trainings almost none.
    weights = [
        0.05 if plan.meeting.kind == Meeting.Kind.TRAINING else rng.random() ** 2 + 0.01
        for plan in plans
    ]
    for index in rng.choices(range(len(plans)), weights, k=number):
        plans[index].postulate_count += 1


def create_documents(run, group):
    rng = run.rng
    documents = []
    for plan in group:
        if plan.postulate_count:
            kinds = [Document.Kind.POSTULATE_LIST]
            extra = [Document.Kind.DEPARTMENT_POSITION, Document.Kind.SUMMARY]
        else:
            kinds = [Document.Kind.SUMMARY]
            extra = [Document.Kind.MATERIALS, Document.Kind.RULES, Document.Kind.OTHER]
        kinds += rng.sample(extra, k=rng.randint(0, 2))
        short_title = plan.meeting.title[len(MARKER) :]
        for order, kind in enumerate(kinds, start=1):
            title = f"{kind.label[0].upper()}{kind.label[1:]} – {short_title}"
            document = Document(
                meeting=plan.meeting,
                kind=kind,
                title=f"{MARKER}{title}"[:500],
                slug=polish_slugify(f"{order}-{title}", max_length=200),
                order=order,
                **run.published(plan.reference_day + timedelta(days=rng.randint(1, 30))),
            )
            plan.documents[kind] = document
            documents.append(document)
    scope = Q(meeting_id__in=[plan.meeting.pk for plan in group])
    run.save_all(Document, documents, ("meeting_id", "slug"), scope, "dokumenty")
