from django.conf import settings

from core.feeds import FeedEntry
from core.text import shorten
from meetings.feeds import author_of_parent, department_prefetches
from postulates.models import Postulate


def postulate_entries(*conditions):
    postulates = (
        Postulate.objects.published()
        .filter(*conditions)
        .select_related("meeting", "round")
        .only(
            "number",
            "content",
            "published_at",
            "meeting__title",
            "round__title",
            "round__coordinator",
        )
        .prefetch_related(*department_prefetches("meeting__departments", "round__coordinator"))
        .order_by("-published_at", "-pk")[: settings.FEED_ENTRIES]
    )
    return [postulate_entry(postulate) for postulate in postulates]


def postulate_entry(postulate):
    parent = postulate.meeting or postulate.round
    return FeedEntry(
        key=f"postulat-{postulate.pk}",
        title=f"Postulat nr {postulate.number}: {shorten(postulate.content, 80)}",
        path=postulate.get_absolute_url(),
        summary=f"{postulate.content} (zgłoszony: {parent.title})",
        published_at=postulate.published_at,
        author=author_of_parent(postulate.meeting, postulate.round),
    )
