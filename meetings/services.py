import reversion
from django.db import transaction
from django.utils.translation import gettext as _

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
