"""The one definition of "published" for everything the public can see.

A record is public when its own state is published, its publication time has come
(a future time is a scheduled publication that needs no cron job), and every parent it
hangs from (a meeting's year, a document's meeting, ...) is public too.
"""

import datetime

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.ownership import is_owned, owned_ids
from core.scoping import editable_department_ids


class Status(models.TextChoices):
    DRAFT = "draft", _("szkic")
    PUBLISHED = "published", _("opublikowany")


def published_state_condition(prefix=""):
    """Q object for the part of a row's own publication that does not move with the clock: its
    state. Partial indexes of published rows are declared with it, since an index cannot
    hold "published by now"."""
    return Q(**{f"{prefix}status": Status.PUBLISHED})


def published_own_condition(prefix="", at=None):
    """Q object for a row's own publication state and time, its parents not considered
    (Publishable.is_published_own, in SQL)."""
    return published_state_condition(prefix) & Q(
        **{f"{prefix}published_at__lte": at or timezone.now()}
    )


def scheduled_condition(prefix="", at=None):
    """Q object for a scheduled publication: published by its state, at a time still to come
    (the row appears by itself then)."""
    return Q(
        **{f"{prefix}status": Status.PUBLISHED, f"{prefix}published_at__gt": at or timezone.now()}
    )


def published_condition(model, prefix="", at=None, named=False):
    """Q object selecting public rows of `model`, reached through `prefix` (e.g. "meeting__").

    `named`: the row reached through `prefix` is named by a public record (a public
    postulate's organisation), so a model public only where named (`named_by`) needs no
    further look for one."""
    at = at or timezone.now()
    condition = published_own_condition(prefix, at)
    if model.named_by and not named:
        condition &= named_by_public_condition(model, prefix, at)
    for parent_name in model.publication_parents:
        field = model._meta.get_field(parent_name)
        parent_condition = published_condition(field.related_model, f"{prefix}{parent_name}__", at)
        if field.null:
            parent_condition |= Q(**{f"{prefix}{parent_name}__isnull": True})
        condition &= parent_condition
    return condition


def named_by_public_condition(model, prefix="", at=None):
    """Q object: rows of `model` (reached through `prefix`) named by at least one public
    record among its `named_by`.

    An EXISTS per row, which stops at the row's first public naming record found through the
    naming field's index: "pk IN (every public naming record)" made the database find every
    public postulate of the archive first, for a page of a few organisations (a second and
    more at 100,000 postulates)."""
    condition = Q(pk__in=[])
    for label, field in model.named_by:
        naming = apps.get_model(label)
        naming_public = naming._default_manager.published(at).filter(
            **{field: OuterRef(f"{prefix}pk")}
        )
        condition |= Q(Exists(naming_public))
    return condition


def public_related(target, path, field_name="pk", at=None):
    """Expression: `path__field_name` of the related record at `path` (of model `target`)
    when that record is public, else NULL (is_public, in SQL).

    A published record may point to one that is not public and is not among its publication
    parents (a meeting's round, a postulate's organisation, a position's document): pages and
    exports name or reference such a target only through this, or is_public, so neither a
    draft's name nor its id ever shows.

    Asked of public rows only: the row names its target, so a target public only where a
    public record names it (an organisation) is named here."""
    condition = published_condition(target, f"{path}__", at, named=True)
    return Case(
        When(condition, then=F(f"{path}__{field_name}")),
        default=None,
    )


# A publication moment this recent is the editor's "now" typed to the minute.
TYPED_AS_NOW = datetime.timedelta(minutes=5)


class PublishableQuerySet(models.QuerySet):
    """The vocabulary of visibility; nothing else defines who sees a record.

    - published(): what the public sees: rows published by their own state and time whose
      every publication parent is published too (and, for a model with `named_by`, named by
      a public record).
    - published_own(): rows published by their own state and time, parents not checked: the
      children of a record the page has already found public.
    - for_preview(user): what `user`'s staff preview shows: the published rows and the drafts
      `user` may edit (never another department's); None, for no preview, is published().
    """

    def published(self, at=None):
        return self.filter(published_condition(self.model, at=at))

    def published_own(self, at=None):
        # Joining the parents again would only cost planning time where they are known public.
        return self.filter(published_own_condition(at=at))

    def for_preview(self, user):
        if user is None:
            return self.published()
        department_ids = editable_department_ids(user)
        if department_ids is None or not is_owned(self.model):
            return self.all()  # a coordinator's preview, or a record no department owns
        editable = owned_ids(self.model, department_ids)
        return self.filter(published_condition(self.model) | Q(pk__in=editable))


class PublishableManager(models.Manager.from_queryset(PublishableQuerySet)):
    """Also finds records by natural key, so fixtures can name them by slug, not by id."""

    def get_by_natural_key(self, *key):
        return self.get(**dict(zip(self.model.natural_key_fields, key, strict=True)))


class Publishable(models.Model):
    # Names of foreign keys whose targets must be public for this record to be public.
    publication_parents: tuple[str, ...] = ()
    # Fields identifying a record in fixtures and exports; empty where there is no such key.
    natural_key_fields: tuple[str, ...] = ()
    # ("app.Model", field) pairs of the records that name this one. A model declaring them is
    # public only while a public record names it: an organisation becomes public with the
    # first published postulate or meeting naming it (and editors share it, core.scoping).
    named_by: tuple[tuple[str, str], ...] = ()

    status = models.CharField(
        _("stan publikacji"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("data publikacji"),
        null=True,
        blank=True,
        help_text=_("Data w przyszłości oznacza publikację zaplanowaną: wpis pojawi się sam."),
    )
    is_sample = models.BooleanField(
        _("dane przykładowe"),
        default=False,
        editable=False,
        help_text=_(
            "Wygenerowane do demonstracji i testów wydajności; nie są prawdziwym archiwum."
        ),
    )
    # Defaults rather than auto_now: fixtures and bulk loads (which skip save()) get them too.
    created_at = models.DateTimeField(_("utworzono"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("zmieniono"), default=timezone.now, editable=False)

    objects = PublishableManager()

    class Meta:
        abstract = True
        indexes = [
            models.Index(fields=["status", "published_at"], name="%(app_label)s_%(class)s_pub"),
            # The latest change among published rows (sitemaps' lastmod), read backwards from
            # the end instead of aggregating every row.
            models.Index(
                fields=["updated_at"],
                condition=published_state_condition(),
                name="%(app_label)s_%(class)s_upd",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(published_at__isnull=False),
                name="%(app_label)s_%(class)s_published_dated",
                violation_error_message=_("Opublikowany wpis musi mieć datę publikacji."),
            ),
        ]

    def save(self, *args, **kwargs):
        self.date_publication()
        self.updated_at = timezone.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at", "published_at"}
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "published_at" not in (exclude or ()) and "published_at" not in errors:
            message = self.backdated()
            if message:
                errors["published_at"] = [message]
        if errors:
            raise ValidationError(errors)

    def clean(self):
        super().clean()
        self.date_publication()

    def backdated(self):
        """The error for an editor's publication moment in the past, or None. The real moment
        a record becomes public is the system's to record (BIP: art. 8 ust. 6 of the act on
        access to public information), not the editor's: a record made public now is dated
        now; an earlier moment cannot be typed in, nor a public record's moment moved. The
        stored moment of a withdrawn record being published again, or one a few minutes old
        (the minute typed as "now"), is replaced by now."""
        now = timezone.now()
        if self.status != Status.PUBLISHED or self.published_at is None or self.published_at > now:
            return None
        stored = None
        if self.pk is not None:
            stored = (
                type(self)
                ._base_manager.filter(pk=self.pk)
                .values_list("status", "published_at")
                .first()
            )
        # As the picker showed it (to the minute): the stored moment, left as it was.
        left_as_stored = (
            stored is not None
            and stored[1] is not None
            and abs(stored[1] - self.published_at) < datetime.timedelta(minutes=1)
        )
        if left_as_stored and stored[0] == Status.PUBLISHED:
            self.published_at = stored[1]
            return None  # public since then, as stored: unchanged
        if left_as_stored or self.published_at >= now - TYPED_AS_NOW:
            self.published_at = now
            return None
        return _(
            "Nie można opublikować z datą wsteczną: system zapisuje rzeczywistą chwilę "
            "publikacji. Zostaw datę pustą, aby opublikować teraz, albo podaj datę w "
            "przyszłości, aby zaplanować publikację."
        )

    def date_publication(self):
        """Published without a date means "now": what an editor choosing "opublikowany" and
        leaving the date empty wants. Run by the admin's validation (clean) before the
        database's constraint would refuse the row, and by every save."""
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    @property
    def is_public(self):
        """published(), for one record already loaded: its own state and time, and every
        parent's. What a page asks before it names or links a related record (a position's
        document, a meeting's round, a postulate's organisation). Reads the parents through
        their foreign keys: select_related them where a page shows many."""
        if not self.is_public_as_named:
            return False
        return (
            not self.named_by or type(self)._default_manager.published().filter(pk=self.pk).exists()
        )

    @property
    def is_public_as_named(self):
        """is_public, asked through a public record naming this one (a public postulate's
        organisation): such a record is named by a public one, so no query looks for it."""
        if not self.is_published_own:
            return False
        for parent_name in self.publication_parents:
            parent = getattr(self, parent_name)
            if parent is not None and not parent.is_public:
                return False
        return True

    @property
    def is_published_own(self):
        """Published by its own state and time, parents not considered (published_own(), for one
        record): for a record whose parents the caller has already found public."""
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def draft_label(self):
        """How a staff preview marks a record the public cannot see yet ("" once public)."""
        if self.status != Status.PUBLISHED:
            return _("szkic")
        if self.published_at and self.published_at > timezone.now():
            return _("publikacja zaplanowana")
        return ""


def created_by_publication(models, **only):
    """Records loaded in bulk with a publication moment in the past (the real archive, sample
    data) existed by then: their creation and last save (the load's moment, by default) are
    moved back to it, so no record card says it was created after it was published."""
    for model in models:
        if issubclass(model, Publishable) and not model._meta.abstract:
            loaded = model._default_manager.filter(**only)
            loaded.filter(published_at__lt=F("created_at")).update(
                created_at=F("published_at"), updated_at=F("published_at")
            )
