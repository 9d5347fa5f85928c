from django.db.models import Prefetch

from postulates.models import Position, Postulate


def public_positions(include_drafts=False):
    return Position.objects.visible(include_drafts).select_related(
        "outcome", "department", "document__meeting", "document__round"
    )


def public_postulates(include_drafts=False):
    return (
        Postulate.objects.visible(include_drafts)
        .select_related(
            "organisation", "area", "responsible_department", "programme", "meeting", "round"
        )
        .prefetch_related(Prefetch("positions", queryset=public_positions(include_drafts)))
        .order_by("meeting", "round", "number")
    )
