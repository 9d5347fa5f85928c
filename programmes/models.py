from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.publishing import Publishable
from core.slugs import SLUG_HELP_TEXT, unique_slug
from core.url_templates import PathTemplate

PROGRAMME_PATH = PathTemplate("programmes:detail", "slug")


class Programme(Publishable):
    """A Programme of cooperation with NGOs adopted by the City Council (art. 5a of the act)."""

    natural_key_fields = ("slug",)

    class Kind(models.TextChoices):
        ANNUAL = "roczny", _("roczny")
        MULTIANNUAL = "wieloletni", _("wieloletni")

    title = models.CharField(_("pełna nazwa"), max_length=500)
    short_name = models.CharField(_("nazwa skrócona"), max_length=50, help_text=_("np. RPW 2027"))
    slug = models.SlugField(
        _("końcówka adresu strony"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=SLUG_HELP_TEXT,
    )
    kind = models.CharField(_("rodzaj"), max_length=20, choices=Kind.choices, default=Kind.ANNUAL)
    first_year = models.PositiveSmallIntegerField(_("od roku"))
    last_year = models.PositiveSmallIntegerField(_("do roku"))

    class Meta(Publishable.Meta):
        verbose_name = _("program współpracy")
        verbose_name_plural = _("programy współpracy")
        ordering = ["-first_year", "kind"]
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(first_year__lte=F("last_year")), name="programme_years_in_order"
            ),
            models.CheckConstraint(
                condition=~Q(kind="roczny") | Q(first_year=F("last_year")),
                name="programme_annual_spans_one_year",
            ),
            models.UniqueConstraint(
                fields=["kind", "first_year", "last_year"], name="programme_unique_period"
            ),
        ]
        indexes = [
            *Publishable.Meta.indexes,
            models.Index(fields=["first_year", "last_year"], name="programme_years"),
        ]

    def __str__(self):
        return self.short_name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.short_name, Programme.objects.all())
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return PROGRAMME_PATH.path(slug=self.slug)

    def natural_key(self):
        return (self.slug,)
