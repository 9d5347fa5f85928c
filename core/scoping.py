"""Which records a staff account may see and change in the admin.

A department's editor works on their departments' records (also those recorded under the
names and units their department took over); a coordinator, or a superuser, works on
everything. Which departments a record belongs to is declared on its model (`owner_paths`,
see core.ownership). Every admin queryset, form choice, autocomplete, history page and action
goes through `scope_queryset`, so a record outside the editor's departments is simply not
there for them.
"""

from reversion.errors import RevertError

from core.ownership import (
    changed_by_condition,
    changed_by_paths,
    is_owned,
    named_beyond_condition,
    naming_records,
    owned_ids,
    owner_ids,
    owner_paths,
)

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
            pk for department in profile.departments.all() for pk in department.former_ids()
        )
    user._editable_department_ids = ids
    return ids


def own_department_ids(user):
    """The departments `user` is an editor of, without the former ones they also reach;
    None for "all of them" (a coordinator)."""
    ids = editable_department_ids(user)
    if not ids:
        return ids
    # Kept on the user for the request, as editable_department_ids: a meeting's page of
    # postulate forms asks once per form.
    cached = getattr(user, "_own_department_ids", _NOT_COMPUTED)
    if cached is _NOT_COMPUTED:
        cached = frozenset(user.editor_profile.departments.values_list("pk", flat=True))
        user._own_department_ids = cached
    return cached


def answering_department_ids(user):
    """The departments in whose name `user` may answer (Position.speaks_for): their own,
    not the former ones (a split's shared predecessor would pass answers between its
    successors); None for "any of them"."""
    return own_department_ids(user)


def is_coordinator(user):
    return user.is_active and user.is_staff and editable_department_ids(user) is None


def scope_queryset(queryset, user):
    """`queryset` narrowed to what `user` may work on; unchanged for unscoped models."""
    ids = editable_department_ids(user)
    if ids is None or not is_owned(queryset.model):
        return queryset
    return queryset.filter(pk__in=owned_ids(queryset.model, ids))


def changeable(queryset, user):
    """`queryset` narrowed to the rows `user` may change, of those they may see. A postulate
    is changed by the departments it was raised with, not the one answering for it
    (`changed_by_paths`). A shared record (an organisation) is an editor's to rename,
    unpublish or delete only while no other department's record names it; then it is the
    coordinator's, as a change would alter the other department's pages."""
    ids = editable_department_ids(user)
    model = queryset.model
    if ids is None:
        return queryset
    if changed_by_paths(model) != owner_paths(model):
        queryset = queryset.filter(
            pk__in=model._default_manager.filter(changed_by_condition(model, ids)).values("pk")
        )
    if naming_records(model):
        queryset = queryset.exclude(named_beyond_condition(model, ids))
    return queryset


def has_change_rule(model):
    """Whether changing some of `model`'s visible rows is refused to some editors."""
    return bool(naming_records(model)) or changed_by_paths(model) != owner_paths(model)


def may_change(user, record):
    """changeable(), for one stored record."""
    if record.pk is None or not has_change_rule(type(record)):
        return True
    return changeable(type(record)._default_manager.filter(pk=record.pk), user).exists()


def is_in_scope(user, record):
    """Whether `user` may work on `record`: a stored record, or one as a version in the
    history holds it (judged by its own foreign keys, see core.ownership.owner_ids). A
    deleted record that no longer says whose it was is a coordinator's alone."""
    ids = editable_department_ids(user)
    if ids is None or not is_owned(type(record)):
        return True
    return not owner_ids(record).isdisjoint(ids)


def change_permission(model):
    return f"{model._meta.app_label}.change_{model._meta.model_name}"


def revision_records_outside_scope(user, plan):
    """The records a revert by `plan` (core.history.RevertPlan) would write or delete that
    `user` may not: each record the revision holds, as it is now and as the revision holds
    it, and every record the revert deletes because it was added since (a postulate added to
    a meeting after the revision), as (model, pk) pairs. Empty when the user may revert it
    all."""
    if editable_department_ids(user) is None:
        return []
    outside = []
    for version in plan.versions:
        model = version._model
        # A shared record (an organisation, a year) is the editor's to revert only if they may
        # change it at all; an owned one is judged by its departments below.
        if model is None or not (is_owned(model) or user.has_perm(change_permission(model))):
            outside.append((model, version.object_id))
            continue
        try:
            as_versioned = version._object_version.object
        except RevertError:
            outside.append((model, version.object_id))
            continue
        stored = plan.stored.get((version.content_type_id, version.object_id))
        if not is_in_scope(user, as_versioned) or (
            stored is not None and not (is_in_scope(user, stored) and may_change(user, stored))
        ):
            outside.append((model, version.object_id))
    outside += [(type(r), r.pk) for r in plan.to_delete if not is_in_scope(user, r)]
    return outside
