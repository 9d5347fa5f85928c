from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from departments.models import Department
from krakow_ngo.publishing import Publishable
from krakow_ngo.slugs import unique_slug
from meetings.models import Document, Meeting, Round
from organisations.models import Organisation
from programmes.models import Programme
from search.models import Searchable


class VocabularyManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Vocabulary(models.Model):
    """A list editors maintain in the admin; its slug is the value of a public filter."""

    # The postulate list's query parameter that filters by this vocabulary.
    filter_parameter = ""

    name = models.CharField(_("nazwa"), max_length=300, unique=True)
    slug = models.SlugField(_("adres (slug)"), max_length=120, unique=True, blank=True)
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0)

    objects = VocabularyManager()

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name, type(self)._default_manager.all())
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{reverse('postulates:list')}?{self.filter_parameter}={self.slug}"

    def natural_key(self):
        return (self.slug,)


class PublicTaskArea(Vocabulary):
    """A sphere of public tasks (art. 4 of the act)."""

    filter_parameter = "sfera"

    class Meta(Vocabulary.Meta):
        verbose_name = _("sfera zadań publicznych")
        verbose_name_plural = _("sfery zadań publicznych")


class Outcome(Vocabulary):
    """How a position answers a postulate."""

    filter_parameter = "rozstrzygniecie"

    class Category(models.TextChoices):
        ACCEPTED = "uwzgledniony", _("uwzględniony")
        PARTLY_ACCEPTED = "czesciowo", _("częściowo uwzględniony")
        REJECTED = "nieuwzgledniony", _("nieuwzględniony")
        PENDING = "w-toku", _("w toku")
        NEUTRAL = "informacja", _("wyjaśnienie lub poza zakresem")

    category = models.CharField(
        _("kategoria w statystykach"), max_length=20, choices=Category.choices
    )
    description = models.TextField(_("opis"), blank=True)

    class Meta(Vocabulary.Meta):
        verbose_name = _("rozstrzygnięcie")
        verbose_name_plural = _("rozstrzygnięcia")


class Postulate(Searchable, Publishable):
    """A proposal an NGO submitted at a meeting (or in a round) for a cooperation programme."""

    publication_parents = ("meeting", "round")

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postulates",
        verbose_name=_("spotkanie"),
    )
    round = models.ForeignKey(
        Round,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postulates",
        verbose_name=_("cykl spotkań"),
    )
    source_document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="listed_postulates",
        verbose_name=_("zestawienie postulatów"),
    )
    number = models.PositiveIntegerField(_("numer"))
    content = models.TextField(_("treść"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postulates",
        verbose_name=_("organizacja zgłaszająca"),
        help_text=_("Puste, gdy zgłosiła osoba prywatna: jej dane nie są publikowane."),
    )
    area = models.ForeignKey(
        PublicTaskArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postulates",
        verbose_name=_("sfera zadań publicznych"),
    )
    responsible_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postulates",
        verbose_name=_("wydział właściwy"),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postulates",
        verbose_name=_("program, którego dotyczy"),
    )
    editor_note = models.TextField(_("uwaga redakcji"), blank=True)

    class Meta(Publishable.Meta):
        verbose_name = _("postulat")
        verbose_name_plural = _("postulaty")
        ordering = ["meeting", "round", "number"]
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(meeting__isnull=False) | Q(round__isnull=False),
                name="postulate_raised_at_meeting_or_round",
            ),
            models.UniqueConstraint(
                fields=["meeting", "number"],
                condition=Q(meeting__isnull=False),
                name="postulate_unique_number_per_meeting",
            ),
            models.UniqueConstraint(
                fields=["round", "number"],
                condition=Q(meeting__isnull=True),
                name="postulate_unique_number_per_round",
            ),
        ]

    def __str__(self):
        return _("Postulat nr %(number)s: %(content)s") % {
            "number": self.number,
            "content": self.content[:60],
        }

    def get_absolute_url(self):
        return reverse("postulates:detail", kwargs={"pk": self.pk})

    def current_position(self):
        """The latest answer to this postulate, whatever its publication state."""
        return self.positions.order_by(F("answered_on").desc(nulls_last=True), "-pk").first()

    def search_parts(self):
        return [
            self.content,
            self.organisation.name if self.organisation_id else "",
            self.editor_note,
        ]


class Position(Searchable, Publishable):
    """The city's answer to one postulate: an outcome and its justification."""

    publication_parents = ("postulate",)

    postulate = models.ForeignKey(
        Postulate,
        on_delete=models.PROTECT,
        related_name="positions",
        verbose_name=_("postulat"),
    )
    outcome = models.ForeignKey(
        Outcome,
        on_delete=models.PROTECT,
        related_name="positions",
        verbose_name=_("rozstrzygnięcie"),
    )
    justification = models.TextField(_("uzasadnienie"), blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name=_("wydział odpowiadający"),
    )
    answered_on = models.DateField(_("data stanowiska"), null=True, blank=True)
    document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
        verbose_name=_("dokument stanowiska"),
    )

    class Meta(Publishable.Meta):
        verbose_name = _("stanowisko")
        verbose_name_plural = _("stanowiska")
        ordering = ["postulate", "answered_on", "pk"]
        indexes = [
            *Publishable.Meta.indexes,
            models.Index(fields=["answered_on"], name="position_answered_on"),
        ]

    def __str__(self):
        return f"{self.outcome}: {self.postulate}"

    def get_absolute_url(self):
        return self.postulate.get_absolute_url()

    def search_parts(self):
        return [self.justification, self.outcome.name if self.outcome_id else ""]
