"""How many subscribers the email alerts about a meeting reached, for its editors: counts
only, per kind of change (alerts.Event.reached), never who."""

from django import template
from django.db.models import Count, Sum

from alerts.models import Event

register = template.Library()


@register.inclusion_tag("admin/alerts/_meeting_reach.html")
def meeting_reach(meeting):
    rows = (
        Event.objects.filter(meeting_id=meeting.pk, announced=True)
        .values("kind")
        .annotate(changes=Count("pk"), reached=Sum("reached"))
        .order_by("kind")
    )
    labels = dict(Event.Kind.choices)
    return {"rows": [(labels[row["kind"]], row["changes"], row["reached"]) for row in rows]}
