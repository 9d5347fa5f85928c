"""Keeps old addresses working when a record's URL changes (its slug, its year, its parent).

Each app registers its models in its AppConfig.ready() with `track_url_changes`. Before a
save the stored row is read; after it, if the record's URL differs, the old URL of the record
and of every record listed under it (a meeting's documents) is kept as a MovedPage.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save, pre_save

from permalinks.models import MovedPage

_tracked = {}  # model -> (relations to records whose URLs hang under it, FKs its URL reads)


def track_url_changes(model, children=(), url_parents=()):
    """`children`: reverse relations (e.g. "documents") whose records' URLs contain this
    record's URL; `url_parents`: foreign keys get_absolute_url() reads, loaded in one query."""
    _tracked[model] = (tuple(children), tuple(url_parents))
    uid = f"permalinks:{model._meta.label}"
    pre_save.connect(remember_stored_record, sender=model, dispatch_uid=uid)
    post_save.connect(keep_old_urls, sender=model, dispatch_uid=uid)


def remember_stored_record(sender, instance, raw=False, using=None, **kwargs):
    stored = None
    if instance.pk is not None:
        _children, url_parents = _tracked[sender]
        stored = (
            sender._base_manager.using(using)
            .select_related(*url_parents)
            .filter(pk=instance.pk)
            .first()
        )
    instance._permalinks_stored = stored


def keep_old_urls(sender, instance, created=False, raw=False, using=None, **kwargs):
    stored = instance.__dict__.pop("_permalinks_stored", None)
    if stored is None:
        if raw:
            # Loading fixtures or recovering a deleted record: its parent may not be loaded
            # yet, and a live page wins over any redirect anyway (the middleware only acts
            # on 404s), so there is nothing to claim.
            return
        claim_urls([instance.get_absolute_url()], using)
        return
    new_url, old_url = instance.get_absolute_url(), stored.get_absolute_url()
    if new_url == old_url:
        return
    moves = [(old_url, new_url, instance), *_moved_children(sender, instance, stored)]
    claim_urls([new for _old, new, _record in moves], using)
    MovedPage.objects.using(using).bulk_create(
        [
            MovedPage(
                old_path=old,
                content_type=ContentType.objects.db_manager(using).get_for_model(record),
                object_id=record.pk,
            )
            for old, new, record in moves
            if old != new
        ],
        # An address that once led elsewhere now leads to the record that left it last.
        update_conflicts=True,
        unique_fields=["old_path"],
        update_fields=["content_type", "object_id", "moved_at"],
    )


def _moved_children(model, instance, stored):
    """(old URL, new URL, record) of every record whose URL hangs under `instance`'s."""
    children, _url_parents = _tracked[model]
    for relation in children:
        parent_field = model._meta.get_field(relation).field.name
        for child in getattr(instance, relation).all():
            new_url = child.get_absolute_url()
            # The same child seen under the parent as it was stored gives its old URL.
            setattr(child, parent_field, stored)
            yield child.get_absolute_url(), new_url, child


def claim_urls(urls, using=None):
    """A live record at an address ends any redirect from it (so none points to itself)."""
    MovedPage.objects.using(using).filter(old_path__in=urls).delete()
