from django.db.models import Prefetch

from postulates.models import Position, Postulate


def public_positions():
    return Position.objects.published().select_related(
        "outcome", "department", "document__meeting", "document__round"
    )


def public_postulates():
    return (
        Postulate.objects.published()
        .select_related(
            "organisation", "area", "responsible_department", "programme", "meeting", "round"
        )
        .prefetch_related(Prefetch("positions", queryset=public_positions()))
        .order_by("meeting", "round", "number")
    )
