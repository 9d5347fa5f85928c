"""Which records a staff account may see and change in the admin.

A department's editor works on their departments' records (under every name the department
has had); a coordinator, or a superuser, works on everything. Every admin queryset, form
choice, autocomplete, history page and action goes through `scope_queryset`, so a record
outside the editor's departments is simply not there for them.
"""

from django.db.models import Q

from meetings.models import Document, Meeting
from postulates.models import Position, Postulate

_NOT_COMPUTED = object()


def editable_department_ids(user):
    """The ids of the departments `user` edits, or None for "all of them"."""
    cached = getattr(user, "_editable_department_ids", _NOT_COMPUTED)
    if cached is not _NOT_COMPUTED:
        return cached
    profile = getattr(user, "editor_profile", None) if user.is_authenticated else None
    if user.is_superuser or (profile and profile.is_coordinator):
        ids = None
    elif profile is None:
        ids = frozenset()
    else:
        ids = frozenset(
            relative.pk
            for department in profile.departments.all()
            for relative in department.lineage()
        )
    user._editable_department_ids = ids
    return ids


def is_coordinator(user):
    return user.is_active and user.is_staff and editable_department_ids(user) is None


def _meeting_scope(ids, path=""):
    return Q(**{f"{path}departments__in": ids})


def _postulate_scope(ids, path=""):
    return (
        _meeting_scope(ids, f"{path}meeting__")
        | Q(**{f"{path}round__coordinator__in": ids})
        | Q(**{f"{path}responsible_department__in": ids})
    )


# For each department-owned model: the condition "belongs to one of these departments".
SCOPES = {
    Meeting: _meeting_scope,
    Document: lambda ids: _meeting_scope(ids, "meeting__") | Q(round__coordinator__in=ids),
    Postulate: _postulate_scope,
    Position: lambda ids: Q(department__in=ids) | _postulate_scope(ids, "postulate__"),
}


def is_scoped(model):
    return model in SCOPES


def scope_queryset(queryset, user):
    """`queryset` narrowed to what `user` may work on; unchanged for unscoped models."""
    ids = editable_department_ids(user)
    if ids is None or queryset.model not in SCOPES:
        return queryset
    # A subquery rather than a join, so many-to-many paths never duplicate rows.
    owned = queryset.model._default_manager.filter(SCOPES[queryset.model](ids)).values("pk")
    return queryset.filter(pk__in=owned)
