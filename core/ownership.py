"""The one definition of "which department a record belongs to".

A department-owned model declares `owner_paths` next to its `publication_parents`: the
lookups from a row to the departments it belongs to ("departments" for a meeting,
"meeting__departments" and "round__coordinator" for a document, ...). A record belongs to a
department when any path reaches it.

A model may also declare `owner_paths_if_unset`: where a row belongs when none of its
`owner_paths` names a department (an answer speaks for its department; one naming none
belongs where its postulate does).

Admin scoping (core.scoping), the search's department filter and the public lists'
department filters all read these paths, so they cannot drift apart.

A model may narrow who changes a row to some of its owners with `changed_by_paths`: a
postulate belongs also to the department answering for it, which sees it to answer it, but
only the departments of the meeting or round it was raised at change, move or delete it.

A record no department owns may be shared: a model declaring `named_by` (an organisation)
is named by departments' records, and is the one department's to change only while no other
department's record names it (core.scoping.changeable).
"""

from django.apps import apps
from django.db.models import Q


def owner_paths(model):
    """The ownership lookups of `model`; empty when no department owns its rows."""
    return getattr(model, "owner_paths", ())


def owner_paths_if_unset(model):
    """The lookups that decide where a row belongs when its `owner_paths` reach none."""
    return getattr(model, "owner_paths_if_unset", ())


def changed_by_paths(model):
    """The lookups to the departments that may change `model`'s rows: its owners unless it
    names fewer."""
    return getattr(model, "changed_by_paths", owner_paths(model))


def is_owned(model):
    return bool(owner_paths(model))


def prefixed(prefix, paths):
    """`paths` reached through the foreign key `prefix`: a child belongs where its parent does."""
    return tuple(f"{prefix}__{path}" for path in paths)


def _reaching(paths, department_ids):
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{path}__in": department_ids})
    return condition


def owned_condition(model, department_ids):
    """Q object: rows of `model` belonging to one of `department_ids`."""
    condition = _reaching(owner_paths(model), department_ids)
    fallback = owner_paths_if_unset(model)
    if fallback:
        unset = Q()
        for path in owner_paths(model):
            unset &= Q(**{f"{path}__isnull": True})
        condition |= unset & _reaching(fallback, department_ids)
    return condition


def owned_ids(model, department_ids):
    """A subquery of the pks of `model`'s rows belonging to one of `department_ids`.

    A subquery rather than a join on the caller's queryset, so many-to-many paths never
    duplicate rows."""
    return model._default_manager.filter(owned_condition(model, department_ids)).values("pk")


def owned_ids_by_path(model, department_ids):
    """owned_ids() as one subquery per ownership path (their union is the same rows): each
    follows its own path's index, where the paths OR-ed over one join read every row."""
    subqueries = [
        model._default_manager.order_by().filter(**{f"{path}__in": department_ids}).values("pk")
        for path in owner_paths(model)
    ]
    fallback = owner_paths_if_unset(model)
    if fallback:
        unset = Q(**{f"{path}__isnull": True for path in owner_paths(model)})
        reached = _reaching(fallback, department_ids)
        subqueries.append(model._default_manager.order_by().filter(unset & reached).values("pk"))
    return subqueries


def _reaching_from_row(model, path, department_ids):
    """Q object on `model`'s rows: `path` reaches one of `department_ids`. The foreign keys
    the path begins with are followed as joins (each row has one of each); at the first
    relation of many (a meeting's departments) the rest is a subquery of the related rows'
    keys, which PostgreSQL hashes once: a department's meetings, not its postulates."""
    hops = path.split("__")
    current, followed = model, []
    for number, hop in enumerate(hops):
        field = current._meta.get_field(hop)
        if not (field.many_to_one or field.one_to_one) or not field.concrete:
            rest = "__".join(hops[number:])
            related = current._default_manager.order_by().filter(**{f"{rest}__in": department_ids})
            return Q(**{"__".join([*followed, "pk"]) + "__in": related.values("pk")})
        followed.append(hop)
        current = field.related_model
    return Q(**{f"{path}__in": department_ids})


def owned_row_condition(model, department_ids):
    """owned_condition() written on the rows themselves, without a subquery of `model`'s own
    keys: a row read in some order (the search's newest first) is tested by its own columns
    and a few small hashed sets, not by an index scan per ownership path."""
    condition = Q(pk__in=[])
    for path in owner_paths(model):
        condition |= _reaching_from_row(model, path, department_ids)
    fallback = owner_paths_if_unset(model)
    if fallback:
        unset = Q(**{f"{path}__isnull": True for path in owner_paths(model)})
        reached = Q(pk__in=[])
        for path in fallback:
            reached |= _reaching_from_row(model, path, department_ids)
        condition |= unset & reached
    return condition


def belonging_to(model, department):
    """A subquery of the pks of `model`'s rows belonging to `department` under any of the
    public names it has had: what "filter by department" means on every public list, feed
    and search."""
    return owned_ids(model, department.lineage_ids())


def changed_by_condition(model, department_ids):
    """Q object: rows of `model` that one of `department_ids` may change, of those it owns."""
    return _reaching(changed_by_paths(model), department_ids)


def naming_records(model):
    """(model, field) pairs of the records that name `model`'s rows (its `named_by`): a record
    no department owns but departments' records name, such as an organisation."""
    return [(apps.get_model(label), field) for label, field in getattr(model, "named_by", ())]


def named_beyond_condition(model, department_ids):
    """Q object: rows of `model` named by a record belonging to none of `department_ids`."""
    condition = Q(pk__in=[])
    for naming, field in naming_records(model):
        others = naming._default_manager.exclude(pk__in=owned_ids(naming, department_ids))
        condition |= Q(pk__in=others.filter(**{f"{field}__isnull": False}).values(field))
    return condition


def owner_ids(record):
    """The ids of the departments `record` belongs to, judged by its own field values: a
    stored record, or one as a version in the history holds it (possibly deleted since).

    A deleted record reached only through a many-to-many path (a meeting, through its
    departments) no longer says whose it was: it belongs to none."""
    model = type(record)
    owners = set().union(*(_path_values(record, path) for path in owner_paths(model)))
    if not owners:
        owners = set().union(*(_path_values(record, p) for p in owner_paths_if_unset(model)))
    return owners


def owner_ids_by_pk(model, pks):
    """{pk: set of department ids} for many stored records at once: owner_ids() read with one
    query per ownership path, not one per record."""
    owners = {}
    for path in owner_paths(model):
        rows = model._default_manager.filter(pk__in=pks, **{f"{path}__isnull": False})
        for pk, department in rows.values_list("pk", path):
            owners.setdefault(pk, set()).add(department)
    unset = [pk for pk in pks if pk not in owners]
    for path in owner_paths_if_unset(model) if unset else ():
        rows = model._default_manager.filter(pk__in=unset, **{f"{path}__isnull": False})
        for pk, department in rows.values_list("pk", path):
            owners.setdefault(pk, set()).add(department)
    return owners


def _path_values(record, path):
    """The department ids `path` reaches from `record` (its first step read from the record
    itself, the rest from the database)."""
    model = type(record)
    field_name, _, rest = path.partition("__")
    field = model._meta.get_field(field_name)
    if field.many_to_many:
        if record.pk is None:
            return set()
        values = model._default_manager.filter(pk=record.pk).values_list(path, flat=True)
        return set(values) - {None}
    related_id = getattr(record, field.attname)
    if related_id is None:
        return set()
    if not rest:
        return {related_id}
    values = field.related_model._default_manager.filter(pk=related_id).values_list(rest, flat=True)
    return set(values) - {None}
