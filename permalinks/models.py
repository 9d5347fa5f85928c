from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Pages under a record's own URL that move with it (a document's file download).
SUB_PAGES = ("pobierz/",)


class MovedPageQuerySet(models.QuerySet):
    def current_url(self, path):
        """Where the page once at `path` is now, or None if it is gone or not public.

        Read at request time from the record itself, so the answer is always its current URL
        in one hop, however many times it was renamed after leaving `path`.
        """
        candidates = {path: ""}
        for sub_page in SUB_PAGES:
            if path.endswith(f"/{sub_page}"):
                candidates[path.removesuffix(sub_page)] = sub_page
        moved = (
            self.filter(old_path__in=candidates)
            .select_related("content_type")
            .order_by(Length("old_path").desc())
            .first()
        )
        if moved is None:
            return None
        model = moved.content_type.model_class()
        if model is None:
            return None
        # Only a published record is followed: a redirect must not reveal a draft's address.
        target = (
            model._default_manager.published()
            .select_related(*model.publication_parents)
            .filter(pk=moved.object_id)
            .first()
        )
        if target is None:
            return None
        new_url = target.get_absolute_url() + candidates[moved.old_path]
        return None if new_url == path else new_url


class MovedPage(models.Model):
    """An address a public page had before its slug, or its parent's, changed.

    It points to the record rather than to a new address: the redirect is computed from the
    record's current URL, so renames A→B→C need no rewriting and never make chains.
    """

    old_path = models.CharField(_("dawny adres"), max_length=600, unique=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    moved_at = models.DateTimeField(_("przeniesiono"), default=timezone.now)

    objects = MovedPageQuerySet.as_manager()

    class Meta:
        verbose_name = _("przeniesiony adres")
        verbose_name_plural = _("przeniesione adresy")
        indexes = [models.Index(fields=["content_type", "object_id"], name="moved_page_target")]

    def __str__(self):
        return self.old_path
