"""Query expressions keeping drafts out of exported references.

A published record may point to a record that is not public and is not one of its
publication parents (a meeting's round, a postulate's organisation, ...). Exports name or
reference such a target only when it is public itself; otherwise they say nothing, as if the
link were empty, so neither a draft's name nor its id ever leaves the archive.
"""

from django.db.models import Case, F, When

from krakow_ngo.publishing import published_condition


def public_related(target, path, field_name="pk", at=None):
    """`path__field_name` of the record at `path` (of model `target`) when it is public,
    else NULL."""
    return Case(
        When(published_condition(target, f"{path}__", at), then=F(f"{path}__{field_name}")),
        default=None,
    )
