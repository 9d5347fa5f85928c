from dataclasses import dataclass, field

import reversion
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.publishing import Status, published_own_condition
from core.scoping import changeable, scope_queryset
from organisations.models import Organisation
from postulates.models import Position, PositionRevision, Postulate


def meeting_tree(meeting):
    """What is recorded under a meeting and goes (and comes back) with it."""
    postulates = Postulate.objects.filter(meeting=meeting)
    positions = Position.objects.filter(postulate__in=postulates)
    return {
        # Earlier public versions of the answers: they go, and come back, with their answers.
        "position_revisions": PositionRevision.objects.filter(position__in=positions),
        "positions": positions,
        "postulates": postulates,
        "documents": meeting.documents.all(),
    }


@transaction.atomic
def delete_meeting(meeting, user=None):
    """Delete a meeting with its documents, postulates and answers, after recording all of them
    in one history revision, so a coordinator can recover the whole meeting in one step.

    The database refuses to delete a meeting that still has such records (PROTECT): this is
    the one deliberate path that removes them, and it never loses them silently."""
    tree = meeting_tree(meeting)
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(
            _("Usunięto spotkanie „%(title)s” wraz z materiałami.") % {"title": meeting.title}
        )
        reversion.add_to_revision(meeting)  # follows dates, links, documents, postulates
        for record in (*tree["positions"], *tree["position_revisions"]):
            reversion.add_to_revision(record)
    for part in ("positions", "postulates", "documents"):
        tree[part].delete()
    meeting.delete()


def not_public_at(queryset, at):
    """Rows of `queryset` that will not be public by their own state at `at`: drafts, and
    publications scheduled later."""
    return queryset.exclude(published_own_condition(at=at))


@dataclass
class PublicationPlan:
    """What publishing a meeting "with everything in it" at `at` makes public, and what it
    leaves: the preview an editor confirms, and the list the publication then follows."""

    meeting: object
    at: object
    # (label, records) of what becomes public, the meeting itself first when it is not yet
    to_publish: list = field(default_factory=list)
    # Another department's answers on a joint meeting: theirs to publish.
    left_to_others: list = field(default_factory=list)

    @property
    def count(self):
        return sum(len(records) for _label, records in self.to_publish)

    @property
    def year_is_draft(self):
        """The meeting's year is not public: nothing of it shows until a coordinator
        publishes the year (editors cannot)."""
        return not self.meeting.year.is_public


def publication_plan(meeting, user, at=None):
    at = at or timezone.now()
    postulates = Postulate.objects.filter(meeting=meeting)
    answers = Position.objects.filter(postulate__meeting=meeting)
    own_answers = scope_queryset(answers, user)
    # Those the user may change: one another department's records name too (and a coordinator
    # left hidden) stays as it is.
    organisations = changeable(
        Organisation.objects.filter(
            Q(pk__in=postulates.values("organisation"))
            | Q(pk__in=meeting.participant_links.values("organisation"))
        ),
        user,
    )
    parts = (
        (_("Spotkanie"), not_public_at(type(meeting).objects.filter(pk=meeting.pk), at)),
        (_("Dokumenty"), not_public_at(meeting.documents.all(), at)),
        (_("Postulaty"), not_public_at(postulates, at).order_by("number", "pk")),
        (_("Stanowiska (odpowiedzi)"), not_public_at(own_answers, at).select_related("postulate")),
        (_("Organizacje zgłaszające i uczestniczące"), not_public_at(organisations, at)),
    )
    return PublicationPlan(
        meeting=meeting,
        at=at,
        to_publish=[(label, list(records)) for label, records in parts if records],
        left_to_others=list(
            not_public_at(answers.exclude(pk__in=own_answers.values("pk")), at).select_related(
                "postulate", "department"
            )
        ),
    )


@transaction.atomic
def publish_meeting(meeting, user, at=None):
    """Publish a meeting with its documents, postulates, the answers `user` may change and the
    organisations they name, all at `at` (now, or a scheduled moment), in one history
    revision recorded on the meeting (its history names it even when the meeting itself was
    public already); returns the plan it followed (its `count` is what changed)."""
    plan = publication_plan(meeting, user, at)
    if not plan.count:
        return plan
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(publication_comment(plan))
        for _label, records in plan.to_publish:
            for record in records:
                record.status = Status.PUBLISHED
                record.published_at = plan.at
                record.save()  # one by one: each change lands in the history
        meeting.refresh_from_db()  # the plan published its own copy of it
        reversion.add_to_revision(meeting)
    return plan


def publication_comment(plan):
    """The meeting's history entry for a publication: done now, or scheduled."""
    moment = date_format(timezone.localtime(plan.at), "j.m.Y, H:i")
    if plan.at > timezone.now():
        return _(
            "Zaplanowano publikację spotkania ze wszystkim, co zawiera, na %(when)s "
            "(wpisów: %(count)d)."
        ) % {"when": moment, "count": plan.count}
    return _(
        "Opublikowano spotkanie ze wszystkim, co zawiera (wpisów: %(count)d), widoczne od %(when)s."
    ) % {"when": moment, "count": plan.count}
