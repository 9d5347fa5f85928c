from django.utils import timezone

from krakow_ngo.publishing import Status
from postulates.models import Position, Postulate


def publish_answers(meetings):
    """Publish every postulate of `meetings` and every answer to them; returns the count.

    Saved one by one rather than with update(), so each change lands in the history."""
    now = timezone.now()
    published = 0
    drafts = [
        *Postulate.objects.filter(meeting__in=meetings).exclude(status=Status.PUBLISHED),
        *Position.objects.filter(postulate__meeting__in=meetings).exclude(status=Status.PUBLISHED),
    ]
    for record in drafts:
        record.status = Status.PUBLISHED
        record.published_at = record.published_at or now
        record.save()
        published += 1
    return published
