"""Postulates and the city's answers: postulates linked to earlier ones (resubmitted or
continued in a later year, duplicated or merged within one), answers revised after their
publication (the earlier version kept, as editors' revisions keep it), commitments with due
dates (fulfilled, overdue, on time, open-ended), and a few drafts and scheduled publications."""

from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q

from meetings.models import Document
from postulates.models import (
    STALE_PENDING_DAYS,
    Outcome,
    Position,
    PositionRevision,
    Postulate,
    PostulateLink,
)
from sampledata import words
from sampledata.words import MARKER

LinkKind = PostulateLink.Kind

ANSWERED_SHARE = 0.85
# Of postulates, those linked to an earlier one; of those, the share linked across years.
LINKED_SHARE = 0.06
ACROSS_YEARS_SHARE = 0.8
# How many of the latest postulates of one topic and year later ones may be linked to.
LINKABLE_PER_YEAR = 30
# Of accepted and partly accepted answers, those with a commitment; of commitments, those
# without a deadline and those fulfilled (some late).
COMMITTING_OUTCOMES = {Outcome.Category.ACCEPTED, Outcome.Category.PARTLY_ACCEPTED}
COMMITMENT_SHARE = 0.35
OPEN_ENDED_SHARE = 0.15
FULFILLED_SHARE = 0.5
# Of answers, those first published as "in progress" and revised to the final answer.
REVISED_SHARE = 0.08
# Of answers still "in progress" after STALE_PENDING_DAYS, most got their final answer: the
# rest are the stale ones the public pages flag (postulates.models.stale_pending_condition).
RESOLVED_PENDING_SHARE = 0.85
# Shares of postulates and answers still drafts, and scheduled to appear later.
POSTULATE_DRAFTS, POSTULATE_SCHEDULED = 0.01, 0.005
ANSWER_DRAFTS, ANSWER_SCHEDULED = 0.02, 0.01


@dataclass(frozen=True)
class Raised:
    """A postulate later ones may be linked to, with its words (no marker, no opening)."""

    postulate: Postulate
    year: int
    text: str


class PostulateWriter:
    """Writes the postulates of one group of meetings at a time, oldest group first, and
    remembers some of every topic and year for later postulates to be linked to."""

    def __init__(self, run, reference):
        self.run = run
        self.reference = reference
        self.rng = run.rng
        self.linkable = defaultdict(dict)  # {topic: {year: deque of Raised}}
        self.pending_outcomes = [
            o for o in reference.outcomes if o.category == Outcome.Category.PENDING
        ]
        final = [
            (o, weight)
            for o, weight in zip(reference.outcomes, reference.outcome_weights, strict=True)
            if o.category != Outcome.Category.PENDING
        ]
        self.final_outcomes = [o for o, _weight in final]
        self.final_weights = [weight for _o, weight in final]

    def write(self, group):
        plans = {plan.meeting.pk: plan for plan in group}
        postulates, topics = self.create_postulates(group)
        self.create_positions(plans, postulates, topics)

    # --- Postulates ------------------------------------------------------------------------

    def postulate_text(self, topic, year):
        rng = self.rng
        thing = rng.choice(topic.things)
        sentence = f"{rng.choice(words.OPENINGS)} {rng.choice(words.ACTIONS)} {thing}"
        # A draw happens either way, so the sequence (and the seed's output) stays stable.
        beneficiary = rng.choice(words.BENEFICIARIES)
        if rng.random() < 0.5 and " dla " not in thing:
            sentence += f" dla {beneficiary}"
        if rng.random() < 0.4:
            sentence += f" {rng.choice(words.DISTRICTS)}"
        reasons = rng.sample(words.POSTULATE_REASONS, k=rng.randint(1, 2))
        return " ".join(
            [
                f"{sentence}.",
                *(
                    reason.format(
                        previous=year - 1,
                        year=year,
                        programme=year + 1,
                        genitive=topic.genitive,
                        beneficiary=rng.choice(words.BENEFICIARIES),
                        supporters=rng.randint(5, 24),
                    )
                    for reason in reasons
                ),
            ]
        )

    def earlier_postulate(self, topic, year):
        """(kind of link, Raised) for a postulate to be linked to an earlier one, else None:
        mostly one of the last three years (a thread across years), else of the same year."""
        rng = self.rng
        if rng.random() >= LINKED_SHARE:
            return None
        by_year = self.linkable[topic]
        earlier_years = sorted(y for y in by_year if y < year)
        if earlier_years and rng.random() < ACROSS_YEARS_SHARE:
            target = rng.choice(by_year[rng.choice(earlier_years[-3:])])
            kind = LinkKind.RESUBMISSION if rng.random() < 0.75 else LinkKind.CONTINUATION
            return kind, target
        if by_year.get(year):
            kind = LinkKind.DUPLICATE if rng.random() < 0.6 else LinkKind.MERGED
            return kind, rng.choice(by_year[year])
        return None

    def content(self, topic, year, link):
        """(content, the postulate's own words): a resubmission or a duplicate repeats the
        earlier postulate's words, the first after an opening that names its year."""
        kind, earlier = link or (None, None)
        if kind == LinkKind.RESUBMISSION:
            opening = words.RESUBMISSION_OPENING.format(year=earlier.year)
            return f"{MARKER}{opening} {earlier.text}", earlier.text
        if kind == LinkKind.DUPLICATE:
            return f"{MARKER}{earlier.text}", earlier.text
        text = self.postulate_text(topic, year)
        return f"{MARKER}{text}", text

    def create_postulates(self, group):
        rng, reference = self.rng, self.reference
        postulates, topics, links = [], [], []
        for plan in group:
            year = plan.meeting.year_id
            active = reference.active_departments(year)
            for number in range(1, plan.postulate_count + 1):
                # Most postulates stay on the meeting's topic; some wander off.
                topic = plan.topic if rng.random() < 0.7 else rng.choice(words.TOPICS)
                if plan.participants and rng.random() < 0.6:
                    organisation = rng.choice(plan.participants)
                elif reference.organisations and rng.random() < 0.75:
                    organisation = rng.choice(reference.organisations)
                else:
                    organisation = None  # raised by a private person
                if rng.random() < 0.8:
                    area = rng.choice(reference.topic_areas[topic])
                else:
                    area = rng.choice(reference.areas)
                if rng.random() < 0.7:
                    department = rng.choice(plan.departments)
                else:
                    department = rng.choice(active)
                link = self.earlier_postulate(topic, year)
                content, text = self.content(topic, year, link)
                postulate = Postulate(
                    meeting=plan.meeting,
                    source_document=plan.documents.get(Document.Kind.POSTULATE_LIST),
                    number=number,
                    content=content,
                    organisation=organisation,
                    area=area,
                    responsible_department=department,
                    programme=reference.programmes[year + 1],
                    **self.run.published(plan.reference_day + timedelta(days=rng.randint(3, 40))),
                )
                postulates.append(postulate)
                topics.append(topic)
                if link:
                    links.append((postulate, *link))
                by_year = self.linkable[topic]
                by_year.setdefault(year, deque(maxlen=LINKABLE_PER_YEAR))
                by_year[year].append(Raised(postulate, year, text))
        self.run.hold_back(postulates, POSTULATE_DRAFTS, POSTULATE_SCHEDULED)
        scope = Q(meeting_id__in=[plan.meeting.pk for plan in group])
        self.run.save_all(Postulate, postulates, ("meeting_id", "number"), scope, "postulaty")
        # After the save: a link to a postulate of this group needs its id.
        self.run.insert(
            PostulateLink,
            [
                PostulateLink(
                    from_postulate=postulate,
                    to_postulate=earlier.postulate,
                    kind=kind,
                    note=MARKER + words.LINK_NOTES[kind].format(year=earlier.year),
                )
                for postulate, kind, earlier in links
            ],
            "powiązania postulatów",
        )
        return postulates, topics

    # --- Answers ---------------------------------------------------------------------------

    def justification(self, category, topic, year):
        templates = words.JUSTIFICATIONS.get(
            category, words.JUSTIFICATIONS[Outcome.Category.NEUTRAL]
        )
        text = self.rng.choice(templates).format(programme=year + 1, genitive=topic.genitive)
        return f"{MARKER}{text}"

    def commit(self, position, topic, year):
        """Gives `position` a commitment: most with a due date, half of those fulfilled (some
        after the deadline, none in the future); the rest overdue or on time, by the date."""
        rng = self.rng
        commitment = rng.choice(words.COMMITMENTS).format(
            genitive=topic.genitive, thing=rng.choice(topic.things), programme=year + 1
        )
        position.commitment = f"{MARKER}{commitment}"
        if rng.random() < OPEN_ENDED_SHARE:
            return
        answered_on = position.answered_on
        position.commitment_due_on = due = answered_on + timedelta(days=rng.randint(60, 540))
        if rng.random() < FULFILLED_SHARE:
            done = answered_on + timedelta(days=rng.randint(30, (due - answered_on).days + 90))
            if done <= self.run.today:
                position.commitment_fulfilled_on = done

    def earlier_version(self, position, plan, topic):
        """The version of `position` the public saw first, "in progress", from a date between
        the meeting and the final answer; moves the position's publication back to it. None
        when there is no time for it, or the final answer is itself "in progress"."""
        rng, run = self.rng, self.run
        waited = (position.answered_on - plan.reference_day).days
        if waited < 40 or not self.pending_outcomes or position.outcome in self.pending_outcomes:
            return None
        answered_on = plan.reference_day + timedelta(days=rng.randint(14, waited - 21))
        position.published_at = run.moment(answered_on + timedelta(days=rng.randint(0, 7)))
        outcome = rng.choice(self.pending_outcomes)
        return PositionRevision(
            position=position,
            outcome=outcome,
            justification=self.justification(outcome.category, topic, plan.meeting.year_id),
            department=position.department,
            answered_on=answered_on,
            document=position.document,
            valid_from=position.published_at,
            valid_to=run.moment(position.answered_on + timedelta(days=rng.randint(0, 7))),
        )

    def create_positions(self, plans, postulates, topics):
        rng, run = self.rng, self.run
        positions, revisions = [], []
        for postulate, topic in zip(postulates, topics, strict=True):
            if rng.random() >= ANSWERED_SHARE:
                continue  # still unanswered
            plan = plans[postulate.meeting_id]
            answered_on = plan.reference_day + timedelta(days=rng.randint(20, 150))
            if answered_on > run.today:
                continue  # no answers from the future
            outcome = rng.choices(self.reference.outcomes, self.reference.outcome_weights)[0]
            if (
                outcome in self.pending_outcomes
                and (run.today - answered_on).days > STALE_PENDING_DAYS
                and self.final_outcomes
                and rng.random() < RESOLVED_PENDING_SHARE
            ):
                outcome = rng.choices(self.final_outcomes, self.final_weights)[0]
            year = plan.meeting.year_id
            position = Position(
                postulate=postulate,
                outcome=outcome,
                justification=self.justification(outcome.category, topic, year),
                department=postulate.responsible_department,
                answered_on=answered_on,
                document=plan.documents.get(Document.Kind.DEPARTMENT_POSITION),
                **run.published(answered_on + timedelta(days=rng.randint(0, 14))),
            )
            if outcome.category in COMMITTING_OUTCOMES and rng.random() < COMMITMENT_SHARE:
                self.commit(position, topic, year)
            if rng.random() < REVISED_SHARE:
                revision = self.earlier_version(position, plan, topic)
                if revision:
                    revisions.append(revision)
            positions.append(position)
        run.count("zobowiązania", sum(1 for position in positions if position.commitment))
        run.hold_back(positions, ANSWER_DRAFTS, ANSWER_SCHEDULED)
        scope = Q(postulate__meeting_id__in=list(plans))
        run.save_all(Position, positions, ("postulate_id",), scope, "stanowiska")
        # A version the public saw: never one of an answer held back before it appeared.
        seen = [revision for revision in revisions if revision.position.is_published_own]
        run.insert(PositionRevision, seen, "wcześniejsze wersje stanowisk")
