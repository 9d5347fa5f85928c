from django.utils import timezone

from postulates.models import Position, PositionRevision


def keep_replaced_public_version(position):
    """Before `position` is saved: if the public sees its stored version and this save revises
    it (or withdraws it from the public), keep that version as a PositionRevision with the
    period it was public, so nothing the public once read is silently overwritten.

    Called from a pre_save signal, which every save path goes through: the admin, the meeting
    screen's form, imports, publishing actions and reverting to a version from history."""
    # Not `_state.adding`: reverting from history saves a fresh instance of an existing row.
    if position.pk is None:
        return
    stored = Position.objects.published().filter(pk=position.pk).first()
    if stored is None:
        return
    revised = stored.public_version() != position.public_version()
    if not revised and position.is_published_own:
        return
    now = timezone.now()
    last_replaced = (
        PositionRevision.objects.filter(position=stored)
        .order_by("-valid_to")
        .values_list("valid_to", flat=True)
        .first()
    )
    # The stored version became public when the position was published or when the
    # version before it was replaced, whichever came later.
    valid_from = max(filter(None, (stored.published_at, last_replaced)))
    PositionRevision.objects.create(
        position=stored,
        **stored.public_version(),
        valid_from=min(valid_from, now),
        valid_to=now,
    )
