"""Keeps old addresses working when a record's URL changes (its slug, its year, its parent).

Each app registers its models in its AppConfig.ready() with `track_url_changes`. Before a
save the stored row is read; after it, if the record's URL differs, the old URL of the record
and of every record listed under it (a meeting's documents) is kept as a MovedPage.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import ForeignKey
from django.db.models.signals import post_save, pre_save

from permalinks.models import MovedPage

_tracked = {}  # model -> (fields its URL is built from, relations of records under its URL)


def track_url_changes(model, url_fields=("slug",), children=()):
    """`url_fields`: the fields get_absolute_url() reads (foreign keys are loaded with the
    stored row); `children`: reverse relations (e.g. "documents") whose records' URLs
    contain this record's URL and so move with it."""
    # save(update_fields=...) may name a foreign key by its attname ("year_id") too.
    names = {name for field in url_fields for name in (field, model._meta.get_field(field).attname)}
    _tracked[model] = (frozenset(names), tuple(children))
    uid = f"permalinks:{model._meta.label}"
    pre_save.connect(remember_stored_record, sender=model, dispatch_uid=uid)
    post_save.connect(keep_old_urls, sender=model, dispatch_uid=uid)


def remember_stored_record(sender, instance, raw=False, using=None, update_fields=None, **kwargs):
    instance._permalinks_stored = None
    url_fields, _children = _tracked[sender]
    if instance.pk is None or (update_fields is not None and url_fields.isdisjoint(update_fields)):
        return  # a new record, or a save that cannot change the URL: no query
    foreign_keys = {
        field.name
        for field in map(sender._meta.get_field, url_fields)
        if isinstance(field, ForeignKey)
    }
    instance._permalinks_stored = (
        sender._base_manager.using(using)
        .select_related(*foreign_keys)
        .filter(pk=instance.pk)
        .first()
    )


def keep_old_urls(sender, instance, created=False, raw=False, using=None, **kwargs):
    stored = instance.__dict__.pop("_permalinks_stored", None)
    if created:
        # Fixtures and recoveries of deleted records are saved raw, maybe before their
        # parents: they claim nothing, and need not, as a live page always wins over a
        # redirect (the middleware only acts on 404s).
        if not raw:
            claim_urls([instance.get_absolute_url()], using)
        return
    if stored is None:
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
    _url_fields, children = _tracked[model]
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
