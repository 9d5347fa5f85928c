from collections import defaultdict

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.publishing import Publishable, published_condition
from core.slugs import SLUG_HELP_TEXT, unique_slug
from core.url_templates import PathTemplate

DEPARTMENT_PATH = PathTemplate("departments:detail", "slug")


class Department(Publishable):
    """A city department or unit under one name; a rename makes a new record linked to the old."""

    natural_key_fields = ("slug",)

    class Kind(models.TextChoices):
        CITY_HALL = "wydzial", _("wydział Urzędu Miasta Krakowa")
        CITY_UNIT = "jednostka", _("jednostka miejska")
        CIVIC_CENTRE = "centrum", _("centrum obywatelskie")

    name = models.CharField(_("nazwa urzędowa"), max_length=255)
    slug = models.SlugField(
        _("końcówka adresu strony"),
        max_length=255,
        unique=True,
        blank=True,
        help_text=SLUG_HELP_TEXT,
    )
    abbreviation = models.CharField(_("skrót"), max_length=30, blank=True)
    kind = models.CharField(
        _("rodzaj"), max_length=20, choices=Kind.choices, default=Kind.CITY_HALL
    )
    name_used_from = models.PositiveSmallIntegerField(
        _("nazwa używana od roku"), null=True, blank=True
    )
    name_used_until = models.PositiveSmallIntegerField(
        _("nazwa używana do roku"),
        null=True,
        blank=True,
        help_text=_("Puste, jeśli nazwa obowiązuje nadal."),
    )
    editor_note = models.TextField(_("uwaga redakcji"), blank=True)

    class Meta(Publishable.Meta):
        verbose_name = _("wydział lub jednostka")
        verbose_name_plural = _("wydziały i jednostki")
        ordering = ["name"]
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(name_used_until__isnull=True)
                | Q(name_used_from__isnull=True)
                | Q(name_used_from__lte=F("name_used_until")),
                name="department_name_years_in_order",
            ),
        ]

    def __str__(self):
        return self.name

    def choice_label(self):
        """How editors' choices name it: a name no longer used says so, beside the current
        one it was renamed to. It stays a choice: a meeting of its years is recorded under
        the name of the time."""
        if self.name_used_until is None:
            return self.name
        if self.name_used_until < timezone.localdate().year:
            label = _("%(name)s (dawna nazwa, do %(year)s)")
        else:
            label = _("%(name)s (nazwa używana do %(year)s)")
        return label % {"name": self.name, "year": self.name_used_until}

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name, Department.objects.all())
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return DEPARTMENT_PATH.path(slug=self.slug)

    def natural_key(self):
        return (self.slug,)

    def _reached_ids(self, *, later):
        """Ids of this department and of those reached through public changes: always its
        predecessors, however distant; with `later`, its successors too. Directed, never
        sideways: after a split (A -> B and A -> C) nothing leads from B to C. Changes with a
        draft or planned department at either end count for nothing yet."""
        # The whole table in one query (a city has dozens of changes), walked here.
        successors, predecessors = defaultdict(list), defaultdict(list)
        for predecessor, successor in DepartmentChange.objects.public().values_list(
            "predecessor", "successor"
        ):
            successors[predecessor].append(successor)
            predecessors[successor].append(predecessor)
        reached = {self.pk}
        for step in (predecessors, successors) if later else (predecessors,):
            frontier = [self.pk]
            while frontier:
                frontier = [pk for known in frontier for pk in step[known] if pk not in reached]
                reached.update(frontier)
        return reached

    def lineage(self):
        """This department with the names and units it came from and those that took over
        from it, however distant: the history its public page tells and its filters cover."""
        reached = self._reached_ids(later=True) - {self.pk}
        departments = [self, *Department.objects.filter(pk__in=reached)]
        return sorted(departments, key=lambda d: (d.name_used_from or 0, d.name))

    def lineage_ids(self):
        """The ids of lineage(), worked out once per object."""
        if not hasattr(self, "_lineage_ids"):
            self._lineage_ids = [department.pk for department in self.lineage()]
        return self._lineage_ids

    def former_ids(self):
        """This department and the ones whose tasks it took over, however distant: what its
        editors work on. Not its successors: a department that handed tasks over does not
        reach into the records of the one that took them."""
        return self._reached_ids(later=False)


class DepartmentChangeQuerySet(models.QuerySet):
    def public(self, at=None):
        """Changes between two public departments that have taken effect: one whose other
        end is a draft or planned department, or dated in a later year, says nothing yet."""
        year = timezone.localdate(at).year if at else timezone.localdate().year
        return self.filter(
            Q(year__isnull=True) | Q(year__lte=year),
            published_condition(Department, "predecessor__", at),
            published_condition(Department, "successor__", at),
        )


class DepartmentChange(models.Model):
    """How a department's tasks passed to another: a rename, or a takeover by another unit."""

    class Kind(models.TextChoices):
        RENAME = "zmiana-nazwy", _("zmiana nazwy")
        TAKEOVER = "przejecie-zadan", _("przejęcie zadań")

    predecessor = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="successor_changes",
        verbose_name=_("poprzednik"),
    )
    successor = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="predecessor_changes",
        verbose_name=_("następca"),
    )
    kind = models.CharField(_("rodzaj zmiany"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("rok zmiany"), null=True, blank=True)
    note = models.TextField(_("opis"), blank=True)

    objects = DepartmentChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("zmiana wydziału")
        verbose_name_plural = _("zmiany wydziałów")
        ordering = ["year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="department_change_unique_pair"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=F("successor")), name="department_change_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor}"

    def get_absolute_url(self):
        return self.successor.get_absolute_url()
