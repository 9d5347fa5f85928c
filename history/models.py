from django.db import models
from django.utils.translation import gettext_lazy as _
from reversion.models import Revision


class RecordList(models.Model):
    """Every record a revision holds, where it keeps a version of only the changed ones: a
    meeting saved with its title changed keeps the meeting's new version and lists its
    unchanged postulates and answers, so reverting to it still restores the whole meeting
    (core.history.revision_versions)."""

    revision = models.OneToOneField(
        Revision,
        on_delete=models.CASCADE,
        related_name="record_list",
        verbose_name=_("wersja"),
    )
    # [content type id, object id] pairs, as reversion's versions name their records.
    records = models.JSONField(_("wpisy"))

    class Meta:
        verbose_name = _("lista wpisów wersji")
        verbose_name_plural = _("listy wpisów wersji")
        ordering = ["-revision"]

    def __str__(self):
        return _("Wpisy wersji nr %(revision)s: %(count)s") % {
            "revision": self.revision_id,
            "count": len(self.records),
        }
