import datetime

from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, Value, When
from django.db.models.functions import Coalesce, Greatest, Least
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core import rich_text
from core.dates import newest_first
from core.ownership import prefixed
from core.publishing import (
    Publishable,
    PublishableManager,
    PublishableQuerySet,
    published_condition,
    published_own_condition,
)
from core.record_card import PreparedBy
from core.slugs import SLUG_HELP_TEXT, unique_slug
from core.text import shorten
from core.url_templates import PathTemplate
from departments.models import Department
from meetings.models import Document, Meeting, NamesNoOneWithoutBasis, Round
from organisations.models import Organisation
from programmes.models import Programme
from search.models import DatedByMeeting, Searchable, meeting_day

POSTULATE_PATH = PathTemplate("postulates:detail", "pk")
# Characters of a postulate's content in its name (__str__).
POSTULATE_NAME_LENGTH = 60


class VocabularyManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Vocabulary(models.Model):
    """A list editors maintain in the admin; its slug is the value of a public filter."""

    # The postulate list's query parameter that filters by this vocabulary.
    filter_parameter = ""

    name = models.CharField(_("nazwa"), max_length=300, unique=True)
    name_en = models.CharField(
        _("nazwa po angielsku"),
        max_length=300,
        blank=True,
        help_text=_("Pokazywana na stronach po angielsku; puste pole: nazwa po polsku."),
    )
    slug = models.SlugField(
        _("końcówka adresu strony"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=SLUG_HELP_TEXT,
    )
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0)

    objects = VocabularyManager()

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name, type(self)._default_manager.all())
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{reverse('postulates:list')}?{self.filter_parameter}={self.slug}"

    def natural_key(self):
        return (self.slug,)

    @property
    def display_name(self):
        """The name in the interface's language: every public page, form and chart reads this."""
        return self.name if self.shows_polish_name else self.name_en

    @property
    def shows_polish_name(self):
        """Whether display_name is the Polish name on an English page (none stored in
        English): a page marks it as Polish then (the archive library's `named` filter)."""
        return get_language() != "en" or not self.name_en


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


# The current answer to a postulate is its latest: by date, undated ones counting as oldest,
# then the latest entered. ANSWERS_OLDEST_FIRST lists them so that the last is the current one.
CURRENT_POSITION_FIRST = (F("answered_on").desc(nulls_last=True), "-pk")
ANSWERS_OLDEST_FIRST = (F("answered_on").asc(nulls_first=True), "pk")


class Postulate(NamesNoOneWithoutBasis, PreparedBy, DatedByMeeting, Searchable, Publishable):
    """A proposal an NGO submitted at a meeting (or in a round) for a cooperation programme."""

    person_text_fields = ("content", "editor_note", "prepared_by")

    publication_parents = ("meeting", "round")
    # The department answering for it, and the departments of the meeting or round it was
    # raised at.
    owner_paths = (
        "responsible_department",
        *prefixed("meeting", Meeting.owner_paths),
        *prefixed("round", Round.owner_paths),
    )
    # The answering department sees it and answers it; the departments it was raised with
    # change, move or delete it (core.scoping.changeable).
    changed_by_paths = (
        *prefixed("meeting", Meeting.owner_paths),
        *prefixed("round", Round.owner_paths),
    )

    objects = PublishableManager()

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
        indexes = [
            *Publishable.Meta.indexes,
            # The search's newest-first read (search.engine.search) walks it and stops:
            models.Index(*newest_first("search_day"), name="postulate_newest_first"),
        ]

    def __str__(self):
        # Cut at a word with "…": the name shows in admin lists and register titles.
        return _("Postulat nr %(number)s: %(content)s") % {
            "number": self.number,
            "content": shorten(self.content, POSTULATE_NAME_LENGTH),
        }

    def get_absolute_url(self):
        return POSTULATE_PATH.path(pk=self.pk)

    @classmethod
    def search_day_source(cls, meetings):
        return meeting_day(meetings)  # raised in a round: undated

    @property
    def raised_at(self):
        """The meeting the postulate was raised at, or else its round."""
        return self.meeting if self.meeting_id else self.round

    @property
    def year(self):
        return self.meeting.year_id if self.meeting_id else self.round.year_id

    def current_position(self):
        """The latest answer to this postulate, whatever its publication state (read from
        `positions_current_first` where a page of postulates prefetched it)."""
        if hasattr(self, "positions_current_first"):
            return next(iter(self.positions_current_first), None)
        return self.positions.order_by(*CURRENT_POSITION_FIRST).first()

    @staticmethod
    def prefetch_current_position():
        """What lets current_position() of many postulates cost one query."""
        return Prefetch(
            "positions",
            queryset=Position.objects.order_by(*CURRENT_POSITION_FIRST),
            to_attr="positions_current_first",
        )

    def search_parts(self):
        return [
            self.content,
            self.organisation.name
            if self.organisation_id and self.organisation.is_public_as_named
            else "",
            self.editor_note,
        ]


class CommitmentState(models.TextChoices):
    FULFILLED = "wykonane", _("wykonane")
    OVERDUE = "po-terminie", _("po terminie")
    ON_TIME = "w-terminie", _("w terminie")
    NO_DEADLINE = "bez-terminu", _("bez terminu")


def commitment_state_condition(state, today=None):
    """Q for the answers whose commitment is in `state` (a CommitmentState) today: derived
    from the dates alone, so it is never stored and never goes stale. The SQL twin of
    CommitmentMixin.commitment_state."""
    today = today or timezone.localdate()
    committed = ~Q(commitment="")
    unfulfilled = committed & Q(commitment_fulfilled_on__isnull=True)
    return {
        CommitmentState.FULFILLED: committed & Q(commitment_fulfilled_on__isnull=False),
        CommitmentState.OVERDUE: unfulfilled & Q(commitment_due_on__lt=today),
        CommitmentState.ON_TIME: unfulfilled & Q(commitment_due_on__gte=today),
        CommitmentState.NO_DEADLINE: unfulfilled & Q(commitment_due_on__isnull=True),
    }[state]


def commitment_overdue_condition(today=None):
    """Q for "a commitment whose due date has passed unfulfilled"."""
    return commitment_state_condition(CommitmentState.OVERDUE, today)


# How long an answer may say "in progress" before the site flags it as waiting too long for
# the final answer it promised ("after the budget work" is at most a season away). Stated on
# the pages that flag it.
STALE_PENDING_DAYS = 180


def stale_pending_condition(today=None):
    """Q for an answer still "in progress" (Outcome.Category.PENDING) dated more than
    STALE_PENDING_DAYS before `today`. Undated answers are not flagged: nothing says since
    when they wait."""
    today = today or timezone.localdate()
    return Q(
        outcome__category=Outcome.Category.PENDING,
        answered_on__lt=today - datetime.timedelta(days=STALE_PENDING_DAYS),
    )


# How far ahead "due soon" looks: the editors' start page and the answers' list filter.
COMMITMENT_DUE_SOON_DAYS = 30


# The fields of a commitment, on a position and on its earlier versions.
COMMITMENT_FIELDS = ("commitment", "commitment_due_on", "commitment_fulfilled_on")


class CommitmentMixin:
    """For records with `commitment`, `commitment_due_on` and `commitment_fulfilled_on`."""

    def commitment_state(self, today=None):
        """Where the commitment stands today, from its dates alone; None without one."""
        if not self.commitment:
            return None
        if self.commitment_fulfilled_on:
            return CommitmentState.FULFILLED
        if self.commitment_due_on is None:
            return CommitmentState.NO_DEADLINE
        if self.commitment_due_on < (today or timezone.localdate()):
            return CommitmentState.OVERDUE
        return CommitmentState.ON_TIME


# Sorts an undated answer before every dated one, as CURRENT_POSITION_FIRST does, where SQL
# compares dates (Position.objects.current()).
NO_ANSWER_DATE = datetime.date(1, 1, 1)


def answer_order(date):
    return Coalesce(date, Value(NO_ANSWER_DATE), output_field=models.DateField())


def flag(condition):
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=models.BooleanField()
    )


class PositionQuerySet(PublishableQuerySet):
    def current(self, at=None):
        """The current answer of every published postulate that has one: the published answer
        with the latest date (undated ones before dated, then the latest entered), i.e.
        Postulate.current_position among published answers. An anti-join ("no later published
        answer exists") rather than a subquery per postulate, so it stays fast at 100,000
        rows. Among the answers to one postulate only their own state matters: they share
        its parents."""
        later = (
            Position.objects.filter(published_own_condition(at=at), postulate=OuterRef("postulate"))
            .alias(order=answer_order(F("answered_on")))
            .filter(
                Q(order__gt=answer_order(OuterRef("answered_on")))
                | Q(order=answer_order(OuterRef("answered_on")), pk__gt=OuterRef("pk"))
            )
        )
        return self.published(at).filter(~Exists(later))

    def commitments_due_soon(self, today=None):
        """Answers whose commitment is unfulfilled and overdue or due within
        COMMITMENT_DUE_SOON_DAYS, the soonest first."""
        today = today or timezone.localdate()
        day = today + datetime.timedelta(days=COMMITMENT_DUE_SOON_DAYS)
        return self.filter(
            ~Q(commitment=""), commitment_fulfilled_on__isnull=True, commitment_due_on__lte=day
        ).order_by("commitment_due_on", "pk")

    def with_follow_up(self, today=None):
        """Annotates what a reader should be told to follow up: `commitment_status` (a
        CommitmentState value, None without a commitment) and `stale_pending` (an answer
        "in progress" for longer than STALE_PENDING_DAYS)."""
        today = today or timezone.localdate()
        return self.annotate(
            commitment_status=Case(
                *(
                    When(commitment_state_condition(state, today), then=Value(state.value))
                    for state in CommitmentState
                ),
                default=None,
                output_field=models.CharField(),
            ),
            stale_pending=flag(stale_pending_condition(today)),
        )

    def with_commitment(self, today=None):
        """Answers with a commitment, with_follow_up: the unfulfilled ones first, the longest
        overdue first and the open-ended last, then the fulfilled ones, latest first."""
        return (
            self.exclude(commitment="")
            .with_follow_up(today)
            .order_by(
                F("commitment_fulfilled_on").desc(nulls_first=True),
                F("commitment_due_on").asc(nulls_last=True),
                "pk",
            )
        )


class Position(NamesNoOneWithoutBasis, PreparedBy, CommitmentMixin, Searchable, Publishable):
    """The city's answer to one postulate: an outcome and its justification, and possibly
    a commitment with a due date."""

    publication_parents = ("postulate",)
    # An answer belongs to the department it speaks for: on a joint meeting, the other
    # departments' editors may not change or delete it. One naming no department belongs
    # where its postulate does.
    owner_paths = ("department",)
    owner_paths_if_unset = prefixed("postulate", Postulate.owner_paths)
    # The department in whose name the answer speaks: an editor names only their own. (A
    # postulate's responsible department, by contrast, may be any: routing a postulate to the
    # competent department is an editor's job.)
    speaks_for = ("department",)
    # What the public sees of a position: a change to any of these, once public, keeps the
    # replaced version (PositionRevision).
    public_fields = (
        "outcome",
        "justification",
        "department",
        "answered_on",
        "document",
        *COMMITMENT_FIELDS,
    )

    objects = PublishableManager.from_queryset(PositionQuerySet)()
    person_text_fields = ("justification", "commitment", "prepared_by")

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
    justification = models.TextField(_("uzasadnienie"), blank=True, help_text=rich_text.HELP_TEXT)
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
    commitment = models.TextField(
        _("zobowiązanie Miasta"),
        blank=True,
        help_text=_("Co Miasto zobowiązało się zrobić, jeśli cokolwiek."),
    )
    commitment_due_on = models.DateField(_("termin zobowiązania"), null=True, blank=True)
    commitment_fulfilled_on = models.DateField(
        _("data wykonania zobowiązania"), null=True, blank=True
    )

    class Meta(Publishable.Meta):
        verbose_name = _("stanowisko")
        verbose_name_plural = _("stanowiska")
        ordering = ["postulate", "answered_on", "pk"]
        indexes = [
            *Publishable.Meta.indexes,
            models.Index(fields=["answered_on"], name="position_answered_on"),
            # The search's newest-first read (search.engine.search) walks it and stops:
            models.Index(*newest_first("answered_on"), name="position_newest_first"),
        ]
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=~Q(commitment="")
                | Q(commitment_due_on__isnull=True, commitment_fulfilled_on__isnull=True),
                name="position_commitment_dates_need_commitment",
                violation_error_message=_(
                    "Termin i data wykonania dotyczą zobowiązania: opisz najpierw zobowiązanie."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.outcome}: {self.postulate}"

    def get_absolute_url(self):
        return self.postulate.get_absolute_url()

    def search_parts(self):
        return [
            self.justification,
            self.outcome.name if self.outcome_id else "",
            self.commitment,
        ]

    @property
    def commitment_status_label(self):
        """The label of `commitment_status` (annotated by with_follow_up)."""
        return CommitmentState(self.commitment_status).label

    def meeting_id_of_people(self):
        return self.postulate.meeting_id if self.postulate_id else None

    def public_version(self):
        """The values of the public fields (foreign keys as ids), to compare two versions of a
        position and to copy one into a PositionRevision."""
        attnames = (self._meta.get_field(name).attname for name in self.public_fields)
        return {attname: getattr(self, attname) for attname in attnames}


class PositionRevision(CommitmentMixin, models.Model):
    """A version of a position the public saw before it was revised or withdrawn.

    Written automatically (postulates.services.keep_replaced_public_version) and never
    edited: it is shown whenever its position is public."""

    owner_paths = prefixed("position", Position.owner_paths)
    owner_paths_if_unset = prefixed("position", Position.owner_paths_if_unset)

    position = models.ForeignKey(
        Position,
        # The earlier versions are part of the position and go with it.
        on_delete=models.CASCADE,
        related_name="revisions",
        verbose_name=_("stanowisko"),
    )
    outcome = models.ForeignKey(
        Outcome,
        on_delete=models.PROTECT,
        related_name="position_revisions",
        verbose_name=_("rozstrzygnięcie"),
    )
    justification = models.TextField(_("uzasadnienie"), blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="position_revisions",
        verbose_name=_("wydział odpowiadający"),
    )
    answered_on = models.DateField(_("data stanowiska"), null=True, blank=True)
    document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="position_revisions",
        verbose_name=_("dokument stanowiska"),
    )
    commitment = models.TextField(_("zobowiązanie Miasta"), blank=True)
    commitment_due_on = models.DateField(_("termin zobowiązania"), null=True, blank=True)
    commitment_fulfilled_on = models.DateField(
        _("data wykonania zobowiązania"), null=True, blank=True
    )
    valid_from = models.DateTimeField(_("obowiązywała od"))
    valid_to = models.DateTimeField(_("obowiązywała do"))

    class Meta:
        verbose_name = _("wcześniejsza wersja stanowiska")
        verbose_name_plural = _("wcześniejsze wersje stanowisk")
        ordering = ["position", "valid_to", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__lte=F("valid_to")), name="position_revision_valid_period"
            ),
        ]

    def __str__(self):
        return _("%(position)s (wersja do %(date)s)") % {
            "position": self.position,
            "date": timezone.localtime(self.valid_to).date().isoformat(),
        }

    def get_absolute_url(self):
        return self.position.get_absolute_url()


class PostulateLink(models.Model):
    """An editor's statement that one postulate resubmits, continues, duplicates or was
    merged into another, possibly from another year: together they tell one story."""

    # Recorded on, and edited with, the postulate it starts from.
    owner_paths = prefixed("from_postulate", Postulate.owner_paths)
    # It may point to anyone's public postulate, of any year (core.admin.ScopedChoicesMixin).
    chosen_beyond_department = ("to_postulate",)

    class Kind(models.TextChoices):
        RESUBMISSION = "ponownie", _("zgłoszony ponownie")
        CONTINUATION = "kontynuacja", _("kontynuacja")
        DUPLICATE = "duplikat", _("duplikat")
        MERGED = "polaczony", _("połączony z")

    from_postulate = models.ForeignKey(
        Postulate,
        # A link is part of the postulate it was recorded on and goes with it...
        on_delete=models.CASCADE,
        related_name="outgoing_links",
        verbose_name=_("postulat"),
    )
    to_postulate = models.ForeignKey(
        Postulate,
        # ...but the postulate it points to stays while another postulate cites it.
        on_delete=models.RESTRICT,
        related_name="incoming_links",
        verbose_name=_("powiązany postulat"),
        help_text=_("Może pochodzić z dowolnego roku i wydziału."),
    )
    kind = models.CharField(
        _("ten postulat jest"),
        max_length=20,
        choices=Kind.choices,
        help_text=_(
            "Zgłoszony ponownie, kontynuacja, duplikat powiązanego postulatu albo połączony z nim."
        ),
    )
    note = models.CharField(_("uwaga"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("powiązanie postulatów")
        verbose_name_plural = _("powiązania postulatów")
        ordering = ["from_postulate", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_postulate=F("to_postulate")),
                name="postulate_link_not_to_itself",
                violation_error_message=_("Postulatu nie można powiązać z nim samym."),
            ),
            # One link per pair of postulates, whichever way it was recorded.
            models.UniqueConstraint(
                Least("from_postulate", "to_postulate"),
                Greatest("from_postulate", "to_postulate"),
                name="postulate_link_unique_pair",
                violation_error_message=_("Te dwa postulaty są już ze sobą powiązane."),
            ),
        ]

    def __str__(self):
        return f"{self.from_postulate} – {self.get_kind_display()} – {self.to_postulate}"

    def get_absolute_url(self):
        return self.from_postulate.get_absolute_url()

    @property
    def is_resubmission(self):
        return self.kind == self.Kind.RESUBMISSION


def history_in_other_years_condition():
    """Q for postulates linked, either way, to a public postulate of another year: those
    whose page shows a timeline across years. One correlated lookup per end of a link, so a
    page of postulates costs a few index probes per row, and the filter a probe per row."""
    year = Coalesce(OuterRef("meeting__year"), OuterRef("round__year"))

    def linked(this_end, other_end):
        return Exists(
            PostulateLink.objects.filter(published_condition(Postulate, f"{other_end}__"))
            .filter(**{this_end: OuterRef("pk")})
            .alias(other_year=Coalesce(f"{other_end}__meeting__year", f"{other_end}__round__year"))
            .exclude(other_year=year)
        )

    return Q(linked("from_postulate", "to_postulate")) | Q(linked("to_postulate", "from_postulate"))


def with_history_in_other_years_condition():
    """The same postulates as history_in_other_years_condition, for filtering a whole list:
    read from the links (a few thousand) rather than probed for every postulate (at 100,000
    postulates the probes took 0.9 s; these two hashed subqueries take milliseconds)."""

    def linked(this_end, other_end):
        return (
            PostulateLink.objects.filter(published_condition(Postulate, f"{other_end}__"))
            .alias(
                this_year=Coalesce(f"{this_end}__meeting__year", f"{this_end}__round__year"),
                other_year=Coalesce(f"{other_end}__meeting__year", f"{other_end}__round__year"),
            )
            .exclude(other_year=F("this_year"))
            .values(this_end)
        )

    return Q(pk__in=linked("from_postulate", "to_postulate")) | Q(
        pk__in=linked("to_postulate", "from_postulate")
    )
