"""The one definition of "which department a record belongs to".

A department-owned model declares `owner_paths` next to its `publication_parents`: the
lookups from a row to the departments it belongs to ("departments" for a meeting,
"meeting__departments" and "round__coordinator" for a document, ...). A record belongs to a
department when any path reaches it. Admin scoping (editors.scoping), the search's
department filter and the public lists' department filters all read these paths, so they
cannot drift apart.
"""

from django.db.models import Q


def owner_paths(model):
    """The ownership lookups of `model`; empty when no department owns its rows."""
    return getattr(model, "owner_paths", ())


def is_owned(model):
    return bool(owner_paths(model))


def prefixed(prefix, paths):
    """`paths` reached through the foreign key `prefix`: a child belongs where its parent does."""
    return tuple(f"{prefix}__{path}" for path in paths)


def owned_condition(model, department_ids):
    """Q object: rows of `model` belonging to one of `department_ids` along any path."""
    condition = Q(pk__in=[])
    for path in owner_paths(model):
        condition |= Q(**{f"{path}__in": department_ids})
    return condition


def owned_ids(model, department_ids):
    """A subquery of the pks of `model`'s rows belonging to one of `department_ids`.

    A subquery rather than a join on the caller's queryset, so many-to-many paths never
    duplicate rows."""
    return model._default_manager.filter(owned_condition(model, department_ids)).values("pk")


def belonging_to(model, department):
    """A subquery of the pks of `model`'s rows belonging to `department` under any of the
    public names it has had: what "filter by department" means on every public list, feed
    and search."""
    return owned_ids(model, department.lineage_ids())
