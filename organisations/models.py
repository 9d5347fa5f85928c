from django.db import models
from django.utils.translation import gettext_lazy as _

from core.publishing import Publishable
from core.slugs import SLUG_HELP_TEXT, unique_slug
from core.url_templates import PathTemplate
from search.models import Searchable

ORGANISATION_PATH = PathTemplate("organisations:detail", "slug")


class Organisation(Searchable, Publishable):
    """An organisation taking part in meetings or submitting postulates. Its name is public."""

    natural_key_fields = ("slug",)
    # Public only while a public postulate or meeting names it; shared by the departments
    # whose records name it (core.scoping.changeable).
    named_by = (("postulates.Postulate", "organisation"), ("meetings.Meeting", "participants"))

    class Kind(models.TextChoices):
        NGO = "ngo", _("organizacja pozarządowa")
        UNIVERSITY = "uczelnia", _("uczelnia lub jednostka naukowa")
        OTHER = "inna", _("inny podmiot")

    name = models.CharField(_("nazwa"), max_length=255)
    slug = models.SlugField(
        _("końcówka adresu strony"),
        max_length=255,
        unique=True,
        blank=True,
        help_text=SLUG_HELP_TEXT,
    )
    kind = models.CharField(_("rodzaj"), max_length=20, choices=Kind.choices, default=Kind.NGO)
    editor_note = models.TextField(_("uwaga redakcji"), blank=True)

    class Meta(Publishable.Meta):
        verbose_name = _("organizacja")
        verbose_name_plural = _("organizacje")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name, Organisation.objects.all())
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return ORGANISATION_PATH.path(slug=self.slug)

    def natural_key(self):
        return (self.slug,)

    def search_parts(self):
        return [self.name]
