from django.db import models
from django.db.models.lookups import Contains
from django.utils.translation import gettext_lazy as _

from search.text import fold, search_text


class FoldedContains(Contains):
    """`search_text__folded="Seniorów"`: the stored folded text contains the value folded the
    same way (search.text.fold), so text typed with or without Polish letters matches."""

    def get_prep_lookup(self):
        return fold(str(super().get_prep_lookup()))


class Searchable(models.Model):
    """A record the full-text search finds: it keeps its own folded text up to date."""

    search_text = models.TextField(_("tekst do wyszukiwania"), blank=True, editable=False)
    search_text.register_lookup(FoldedContains, lookup_name="folded")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_text = search_text(*self.search_parts())
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def search_parts(self):
        """The texts a search should find this record by."""
        raise NotImplementedError

    def refresh_search_text(self):
        """Recompute after related records (e.g. a meeting's departments) changed."""
        self.search_text = search_text(*self.search_parts())
        type(self)._default_manager.filter(pk=self.pk).update(search_text=self.search_text)


class DatedByMeeting(models.Model):
    """A searchable record shown and ordered by its meeting's day: that day is stored on its
    own row (`search_day`), so the search reads each kind newest first through one index on
    its own table, without a join (search.engine.search). Kept by save(), by
    Meeting.refresh_starts_on for the meeting's records and by update_search_text after bulk
    loads (the archive import, sample data), all through store_search_days."""

    search_day = models.DateField(_("dzień w wyszukiwarce"), null=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        store_search_days(type(self)._default_manager.filter(pk=self.pk))

    @classmethod
    def search_day_source(cls, meetings):
        """The expression of the day, for an update() of this model's rows (which allows no
        join): `meetings` is the Meeting model (a migration's historical one too)."""
        raise NotImplementedError


def meeting_day(meetings):
    """The starting day of the row's meeting (none without a meeting), for an update()."""
    return models.Subquery(
        meetings._default_manager.filter(pk=models.OuterRef("meeting_id")).values("starts_on")[:1]
    )


def store_search_days(records, meetings=None):
    """Recompute the stored search_day of `records` (a queryset of a DatedByMeeting model)."""
    if meetings is None:
        from django.apps import apps

        meetings = apps.get_model("meetings", "Meeting")
    return records.order_by().update(search_day=records.model.search_day_source(meetings))
