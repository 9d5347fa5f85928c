from django.db import models
from django.utils.translation import gettext_lazy as _

from search.text import search_text


class Searchable(models.Model):
    """A record the full-text search finds: it keeps its own folded text up to date."""

    search_text = models.TextField(_("tekst do wyszukiwania"), blank=True, editable=False)

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
