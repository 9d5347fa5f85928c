import secrets
from pathlib import PurePosixPath

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Min, Prefetch, Q
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import rich_text
from core.dates import newest_first
from core.ownership import prefixed
from core.publishing import (
    Publishable,
    PublishableManager,
    PublishableQuerySet,
    public_related,
    published_condition,
)
from core.record_card import PreparedBy
from core.slugs import SLUG_HELP_TEXT, polish_slugify, unique_slug
from core.url_templates import PathTemplate
from departments.models import Department
from files.text_extraction import extract_text
from files.uploads import validate_document_file
from organisations.models import Organisation
from programmes.models import Programme
from search.models import DatedByMeeting, Searchable, meeting_day, store_search_days
from search.text import as_read, fold, month_names, without_lookalikes

YEAR_PATH = PathTemplate("meetings:year", "year")
ROUND_PATH = PathTemplate("meetings:round", "year", "slug")
MEETING_PATH = PathTemplate("meetings:detail", "year", "slug")
DOCUMENT_PATHS = {
    f"{parent}_{view}": PathTemplate(f"meetings:{parent}_{view}", "year", "parent_slug", "slug")
    for parent in ("meeting", "round")
    for view in ("document", "document_download", "document_text")
}


def year_url(year):
    return YEAR_PATH.path(year=year)


def year_label(year):
    """ "Rok 2025" / "Year 2025": how breadcrumbs and headings name a year of the archive."""
    return gettext("Rok %(year)s") % {"year": year}


# A meeting's place in the archive: its year, then its first day (undated meetings last).
# "year_id", not "year": ordering by the foreign key would apply ArchiveYear's own
# (descending) ordering and silently reverse the direction.
CHRONOLOGICAL = ("year_id", F("starts_on").asc(nulls_last=True), "pk")
REVERSE_CHRONOLOGICAL = ("-year_id", F("starts_on").desc(nulls_first=True), "-pk")
# Lists show the newest year first and each year's meetings in the order they took place.
LISTING_ORDER = ("-year_id", *CHRONOLOGICAL[1:])

# What a meeting in a list shows.
LISTED_MEETING_FIELDS = (
    "year",
    "round",
    "kind",
    "title",
    "slug",
    "is_online",
    "starts_on",
    "round__title",
)
# What a document in a list shows (the document_link tag): never its extracted text, which
# for a long PDF is hundreds of kilobytes that only the search reads.
LISTED_DOCUMENT_FIELDS = (
    "meeting",
    "round",
    "kind",
    "title",
    "slug",
    "file",
    "file_withdrawn",
    "file_format",
    "file_size",
    "status",
    "published_at",
)


class RoundQuerySet(PublishableQuerySet):
    def with_meeting_count(self):
        """`meeting_count`, each round's published meetings: only where it is shown (a
        round's page), since over a big year it is not free."""
        return self.annotate(
            meeting_count=Count("meetings", filter=published_condition(Meeting, "meetings__"))
        )


class MeetingQuerySet(PublishableQuerySet):
    def for_listing(self):
        """The meetings with only what lists show (the meeting_item tag), in the listing
        order: their days, public departments and public documents in `public_dates`,
        `public_departments` and `public_documents` (of meetings the caller found public).
        An export that reads more widens the query with defer(None).

        Plain attributes rather than prefetched managers: Django builds a queryset per meeting
        and relation for a prefetched manager, which cost a year page a tenth of its time."""
        return (
            self.select_related("round")
            .only(*LISTED_MEETING_FIELDS)
            .prefetch_related(
                Prefetch("dates", to_attr="public_dates"),
                Prefetch(
                    "departments",
                    queryset=Department.objects.published().only("name", "slug"),
                    to_attr="public_departments",
                ),
                Prefetch(
                    "documents",
                    queryset=Document.objects.published_own().for_listing(),
                    to_attr="public_documents",
                ),
            )
            .order_by(*LISTING_ORDER)
        )

    def grouped_by_public_round(self):
        """Ordered in groups by round, each meeting with `round_heading`: its round's title
        when the round is public, else None. Meetings of a draft round and those of no round
        so make one group ("other meetings"), and a draft round's title is never read out."""
        return self.annotate(round_heading=public_related(Round, "round", "title")).order_by(
            F("round_heading").asc(nulls_last=True), F("starts_on").asc(nulls_last=True), "pk"
        )


class DocumentQuerySet(PublishableQuerySet):
    def for_listing(self):
        """In their order on the page, with only what lists show."""
        return (
            self.select_related("accessibility_check")
            .order_by("order", "pk")
            .only(
                *LISTED_DOCUMENT_FIELDS,
                "accessibility_check__blocking",
                "accessibility_check__findings",  # what is wrong, when blocking (small)
            )
        )


class ArchiveYear(Searchable, Publishable):
    """A year of the archive, as the city's page groups it ("Rok 2025")."""

    natural_key_fields = ("year",)
    year = models.PositiveSmallIntegerField(_("rok"), primary_key=True)
    intro = models.TextField(_("wstęp"), blank=True, help_text=rich_text.HELP_TEXT)

    class Meta(Publishable.Meta):
        verbose_name = _("rok archiwum")
        verbose_name_plural = _("lata archiwum")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)

    def get_absolute_url(self):
        return year_url(self.year)

    def natural_key(self):
        return (self.year,)

    def search_parts(self):
        # Its introduction is the year page's own text: a person or a phrase named there finds
        # the page (the year itself is a filter, search.query).
        return [self.intro]


class Round(PreparedBy, Publishable):
    """A cycle of meetings preparing one programme, often answered by a single position."""

    objects = PublishableManager.from_queryset(RoundQuerySet)()
    publication_parents = ("year",)
    # A round is its coordinating department's: only its editors attach documents and
    # postulates to it (a round without a coordinator is the coordinators' alone).
    owner_paths = ("coordinator",)
    natural_key_fields = ("year", "slug")

    year = models.ForeignKey(
        ArchiveYear, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("rok")
    )
    title = models.CharField(_("tytuł"), max_length=500)
    slug = models.SlugField(
        _("końcówka adresu strony"), max_length=200, blank=True, help_text=SLUG_HELP_TEXT
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rounds",
        verbose_name=_("przygotowywany program"),
    )
    coordinator = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_rounds",
        verbose_name=_("wydział koordynujący"),
    )
    description = models.TextField(_("opis"), blank=True, help_text=rich_text.HELP_TEXT)

    class Meta(Publishable.Meta):
        verbose_name = _("cykl spotkań")
        verbose_name_plural = _("cykle spotkań")
        ordering = ["-year_id", "title"]
        constraints = [
            *Publishable.Meta.constraints,
            models.UniqueConstraint(fields=["year", "slug"], name="round_unique_slug_per_year"),
        ]

    def natural_key(self):
        return (
            self.year_id,
            self.slug,
        )

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.title, Round.objects.filter(year=self.year_id))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return ROUND_PATH.path(year=self.year_id, slug=self.slug)


class Meeting(PreparedBy, Searchable, Publishable):
    """A meeting or training of a department with NGOs, on zero, one or more days."""

    objects = PublishableManager.from_queryset(MeetingQuerySet)()
    publication_parents = ("year",)
    owner_paths = ("departments",)
    # A meeting joins a public round whichever department coordinates it.
    chosen_beyond_department = ("round",)
    natural_key_fields = ("year", "slug")

    class Kind(models.TextChoices):
        SECTOR = "branzowe", _("spotkanie branżowe")
        QUARTERLY = "kwartalne", _("spotkanie kwartalne")
        CONSULTATION = "informacyjno-konsultacyjne", _("spotkanie informacyjno-konsultacyjne")
        INFORMATION = "informacyjne", _("spotkanie informacyjne")
        INFORMATION_TRAINING = "informacyjno-szkoleniowe", _("spotkanie informacyjno-szkoleniowe")
        TRAINING = "szkolenie", _("szkolenie")
        OTHER = "inne", _("inne")

    year = models.ForeignKey(
        ArchiveYear,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("rok"),
        help_text=_(
            "Rok archiwum, pod którym spotkanie będzie widoczne, zwykle rok jego pierwszego "
            "dnia (np. 2026)."
        ),
    )
    round = models.ForeignKey(
        Round,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("cykl spotkań"),
        help_text=_(
            "Seria spotkań o jednym celu, np. „Konsultacje programu współpracy na 2027 rok”; "
            "puste dla spotkania pojedynczego. Cykle zakłada koordynator."
        ),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("przygotowywany program"),
        help_text=_(
            "Program, nad którym pracowano, np. „Program współpracy Gminy Miejskiej Kraków na "
            "rok 2027”; puste, gdy spotkanie nie dotyczyło programu."
        ),
    )
    kind = models.CharField(_("rodzaj"), max_length=30, choices=Kind.choices, default=Kind.SECTOR)
    title = models.CharField(_("tytuł"), max_length=500)
    slug = models.SlugField(
        _("końcówka adresu strony"), max_length=200, blank=True, help_text=SLUG_HELP_TEXT
    )
    topic = models.TextField(_("temat"), blank=True, help_text=rich_text.HELP_TEXT)
    place = models.CharField(
        _("miejsce"), max_length=255, blank=True, help_text=_("Puste, jeśli nie podano.")
    )
    is_online = models.BooleanField(_("online"), default=False)
    departments = models.ManyToManyField(
        Department,
        through="MeetingDepartment",
        related_name="meetings",
        verbose_name=_("wydziały i jednostki"),
    )
    participants = models.ManyToManyField(
        Organisation,
        through="MeetingParticipant",
        related_name="meetings",
        blank=True,
        verbose_name=_("organizacje uczestniczące"),
    )
    editor_note = models.TextField(
        _("uwaga redakcji"),
        blank=True,
        help_text=_("Sprostowanie lub wyjaśnienie, pokazywane obok opublikowanej treści."),
    )

    starts_on = models.DateField(
        _("pierwszy dzień"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Wyliczany z terminów spotkania; porządkuje listy i nawigację."),
    )

    class Meta(Publishable.Meta):
        verbose_name = _("spotkanie")
        verbose_name_plural = _("spotkania")
        ordering = ["-year_id", "title"]
        constraints = [
            *Publishable.Meta.constraints,
            models.UniqueConstraint(fields=["year", "slug"], name="meeting_unique_slug_per_year"),
        ]
        indexes = [
            *Publishable.Meta.indexes,
            models.Index(fields=["year", "kind"], name="meeting_year_kind"),
            models.Index(fields=["year", "starts_on", "id"], name="meeting_chronology"),
            # The search's newest-first read (search.engine.search) walks it and stops:
            models.Index(*newest_first("starts_on"), name="meeting_newest_first"),
        ]

    def natural_key(self):
        return (
            self.year_id,
            self.slug,
        )

    def refresh_starts_on(self):
        self.starts_on = self.dates.aggregate(first=Min("date"))["first"]
        Meeting.objects.filter(pk=self.pk).update(starts_on=self.starts_on)
        store_search_days(self.postulates.all())
        store_search_days(self.documents.all())

    def search_parts(self):
        # .all() reuses prefetched relations (bulk reindexing) and queries otherwise. Only
        # public names: searching for a draft department's name must find nothing. What the
        # meeting's page shows is found: departments' abbreviations ("MOPS"), the
        # organisations that took part, the programme, the round's description, the month.
        named = []
        if self.pk:
            for department in self.departments.all():
                if department.is_public:
                    named += [department.name, department.abbreviation]
            named += [org.name for org in self.participants.all() if org.is_public_as_named]
        if self.programme_id and self.programme.is_public_as_named:
            named += [self.programme.short_name, self.programme.title]
        if self.round_id and self.round.is_public_as_named:
            named.append(self.round.description)
        return [
            self.title,
            self.topic,
            self.place,
            self.editor_note,
            *named,
            *month_names(self.starts_on),
        ]

    def __str__(self):
        return self.title

    def stored_texts_of_records(self):
        """The free text the public reads of the meeting's documents, postulates and their
        answers, as stored (NamesNoOneWithoutBasis.person_text_fields): a person added later
        without a legal basis must not be named there either."""
        if not self.pk:
            return []
        document_fields = Document.person_text_fields
        postulate_fields = self.postulates.model.person_text_fields
        answer_fields = [f"positions__{name}" for name in ("justification", "commitment")]
        summaries = apps.get_model("accessibility", "EasyReadSummary").objects.filter(
            Q(meeting=self) | Q(document__meeting=self)
        )
        rows = [
            *self.documents.values_list(*document_fields),
            *self.postulates.values_list(*postulate_fields),
            *self.postulates.values_list(*answer_fields),
            *summaries.values_list(*summaries.model.person_text_fields),
        ]
        return [text for row in rows for text in row if text]

    def choice_label(self):
        """How editors' choices name it: a department's meetings often share a title, so with
        their first day (or year, when no day is recorded)."""
        when = date_format(self.starts_on, "j E Y") if self.starts_on else self.year_id
        return f"{self.title} ({when})"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.title, Meeting.objects.filter(year=self.year_id))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return MEETING_PATH.path(year=self.year_id, slug=self.slug)


class MeetingDate(models.Model):
    """One day of a meeting; saving or deleting one keeps the meeting's `starts_on` current."""

    owner_paths = prefixed("meeting", Meeting.owner_paths)

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="dates", verbose_name=_("spotkanie")
    )
    date = models.DateField(_("data"), db_index=True)

    class Meta:
        verbose_name = _("termin spotkania")
        verbose_name_plural = _("terminy spotkania")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "date"], name="meeting_date_unique"),
        ]

    def __str__(self):
        return self.date.isoformat()

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.meeting.refresh_starts_on()

    def get_absolute_url(self):
        return self.meeting.get_absolute_url()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.meeting.refresh_starts_on()
        return result


class MeetingDepartment(models.Model):
    """Links a meeting to the department under the name it had at the time."""

    owner_paths = prefixed("meeting", Meeting.owner_paths)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="department_links")
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="meeting_links",
        verbose_name=_("wydział lub jednostka"),
    )

    class Meta:
        verbose_name = _("wydział spotkania")
        verbose_name_plural = _("wydziały spotkania")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "department"], name="meeting_department_unique"
            ),
        ]

    def __str__(self):
        return str(self.department)


class MeetingParticipant(models.Model):
    """An organisation that took part in a meeting."""

    owner_paths = prefixed("meeting", Meeting.owner_paths)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participant_links")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="participation_links",
        verbose_name=_("organizacja"),
    )

    class Meta:
        verbose_name = _("uczestnik spotkania")
        verbose_name_plural = _("uczestnicy spotkania")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organisation"], name="meeting_participant_unique"
            ),
        ]

    def __str__(self):
        return str(self.organisation)


class LegalBasis(models.TextChoices):
    """Why a person's name may be published (RODO art. 6): without one, only the role is."""

    NONE = "", _("brak – na stronie tylko rola")
    OFFICIAL = "funkcja", _("osoba pełniąca funkcję publiczną, w związku z tą funkcją")
    CONSENT = "zgoda", _("zgoda tej osoby")


def names_person(text, name):
    """Whether `text` names the person called `name` by surname: in any letter case, with or
    without Polish letters, inflected ("Ślązak" in "Krystyny Ślązak", "Slazak", "Ślązakowi") and
    in any word order, in an address ("spotkanie-anna-kowalska") and as a reader sees it
    (search.text.as_read: a soft hyphen inside, spaced letters, decomposed accents), also
    with look-alike letters of other scripts ("Zеnobia", Cyrillic е). A bracketed placeholder (what
    a redaction leaves) names no one."""
    name = name.strip()
    if not name or (name.startswith("[") and name.endswith("]")):
        return False
    parts = fold(name).split()
    # The surname (with both parts of a double one); a one-word name is itself the surname.
    surname = [part for part in parts[1:] or parts if len(part) >= 3]
    words = fold(without_lookalikes(as_read(text))).split()
    # Inflection changes a Polish surname's last two letters at most: match on the rest.
    stems = [part[: max(4, len(part) - 2)] for part in surname]
    return any(word.startswith(stem) for stem in stems for word in words)


def people_without_basis(meeting_id):
    """The persons of a meeting whose names the public pages may not show."""
    if meeting_id is None:
        return []
    return list(
        MeetingPerson.objects.filter(meeting_id=meeting_id, legal_basis=LegalBasis.NONE).only(
            "name", "role"
        )
    )


def people_without_basis_of_meeting():
    """Prefetches a document's meeting's persons named only by role, for
    Document.file_text_withheld (one query for a list of documents)."""
    return Prefetch(
        "meeting__people",
        queryset=MeetingPerson.objects.filter(legal_basis=LegalBasis.NONE).only("meeting", "name"),
        to_attr="people_without_basis",
    )


def named_without_basis(text, people):
    """The error for `text` naming one of `people` (people_without_basis), or None."""
    for person in people:
        if names_person(text or "", person.name):
            return _(
                "Ten tekst wymienia osobę „%(name)s”, której nazwisko nie ma w tym spotkaniu "
                "podstawy publikacji: zastąp je rolą osoby („%(role)s”) albo zapisz przy niej "
                "podstawę (funkcja publiczna lub zgoda) w części „Osoby (dane osobowe)” "
                "spotkania."
            ) % {"name": person.name, "role": person.public_label}
    return None


class NamesNoOneWithoutBasis:
    """A meeting's record whose free text the public reads (a document's title, a postulate,
    an answer): it may not name a person of the meeting recorded without a legal basis. Its
    fields are checked with the others (clean_fields), so a form that leaves one out is not
    refused for it."""

    person_text_fields = ()
    # The meeting's persons without a basis where a page of forms looked them up at once
    # (people_without_basis); None: looked up here.
    known_people_without_basis = None

    def meeting_id_of_people(self):
        return self.meeting_id

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        checked = [name for name in self.person_text_fields if name not in (exclude or ())]
        people = []
        if checked:
            people = self.known_people_without_basis
            if people is None:
                people = people_without_basis(self.meeting_id_of_people())
        for name in checked if people else ():
            message = named_without_basis(getattr(self, name), people)
            if message and name not in errors:
                errors[name] = [message]
        if errors:
            raise ValidationError(errors)


class MeetingPerson(models.Model):
    """A private person at a meeting or named in its text (not an organisation, whose name is
    public): the name is shown only with a legal basis recorded, otherwise only the role."""

    owner_paths = prefixed("meeting", Meeting.owner_paths)

    class Presence(models.TextChoices):
        PARTICIPANT = "uczestnik", _("uczestniczyła w spotkaniu")
        NAMED = "w-tresci", _("wymieniona w treści")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(_("imię i nazwisko"), max_length=200)
    role = models.CharField(
        _("rola"),
        max_length=200,
        blank=True,
        help_text=_("Pokazywana zamiast nazwiska; puste: „przedstawiciel organizacji”."),
    )
    presence = models.CharField(
        _("osoba"), max_length=20, choices=Presence.choices, default=Presence.PARTICIPANT
    )
    legal_basis = models.CharField(
        _("podstawa publikacji nazwiska"),
        max_length=20,
        choices=LegalBasis.choices,
        blank=True,
        default=LegalBasis.NONE,
    )
    consent_on = models.DateField(_("data zgody"), null=True, blank=True)
    consent_source = models.CharField(
        _("źródło zgody"),
        max_length=300,
        blank=True,
        help_text=_("Gdzie zgoda jest zapisana, np. „lista obecności z 12 czerwca, poz. 4”."),
    )

    class Meta:
        verbose_name = _("osoba (dane osobowe)")
        verbose_name_plural = _("osoby (dane osobowe)")
        ordering = ["pk"]

    def __str__(self):
        return self.public_label

    def get_absolute_url(self):
        return self.meeting.get_absolute_url()

    @property
    def name_is_public(self):
        return bool(self.legal_basis)

    @property
    def public_label(self):
        """What a public page may say about the person."""
        role = self.role or str(_("przedstawiciel organizacji"))
        if not self.name_is_public:
            return role
        return f"{self.name}, {self.role}" if self.role else self.name

    def clean(self):
        errors = {}
        if names_person(self.role, self.name):
            errors["role"] = _("Rola jest pokazywana zamiast nazwiska: nie wpisuj w nią nazwiska.")
        if self.legal_basis == LegalBasis.OFFICIAL and not self.role.strip():
            errors["role"] = _("Podaj funkcję publiczną, w związku z którą nazwisko jest jawne.")
        if self.legal_basis == LegalBasis.CONSENT:
            if not self.consent_on:
                errors["consent_on"] = _("Podaj datę zgody.")
            elif self.consent_on > timezone.localdate():
                errors["consent_on"] = _("Data zgody nie może być z przyszłości.")
            if not self.consent_source.strip():
                errors["consent_source"] = _("Podaj, gdzie zgoda jest zapisana.")
        if errors:
            raise ValidationError(errors)


def document_upload_to(document, filename):
    # The stored name never comes from the uploader: only a transliterated slug (ASCII, no
    # dots or slashes) and a lowercase extension survive, under a per-year folder. A random
    # token keeps two uploads with the same name from overwriting or renaming each other.
    path = PurePosixPath(filename)
    stem = polish_slugify(path.stem, max_length=80) or "dokument"
    extension = polish_slugify(path.suffix.lstrip("."), max_length=10)
    stem = f"{stem}-{secrets.token_hex(4)}"
    name = f"{stem}.{extension}" if extension else stem
    year = document.meeting.year_id if document.meeting_id else document.round.year_id
    return f"dokumenty/{year}/{name}"


class Document(NamesNoOneWithoutBasis, PreparedBy, DatedByMeeting, Searchable, Publishable):
    """A published document of a meeting or a round; the file may be attached later."""

    person_text_fields = ("title", "slug", "editor_note", "prepared_by")

    objects = PublishableManager.from_queryset(DocumentQuerySet)()
    publication_parents = ("meeting", "round")
    owner_paths = (
        *prefixed("meeting", Meeting.owner_paths),
        *prefixed("round", Round.owner_paths),
    )
    # Between a parent's address and its documents' (meetings/urls.py).
    URL_SEGMENT = "dokumenty"
    # After a document's address: its HTML version (accessibility.DocumentText).
    TEXT_SEGMENT = "tekst"

    class Kind(models.TextChoices):
        SUMMARY = "podsumowanie", _("podsumowanie spotkania")
        POSTULATE_LIST = "zestawienie-postulatow", _("zestawienie zgłoszonych postulatów")
        DEPARTMENT_POSITION = "stanowisko-wydzialu", _("stanowisko wydziału")
        CITY_POSITION = "stanowisko-miasta", _("stanowisko Miasta")
        RULES = "zasady", _("zasady i regulaminy")
        MATERIALS = "materialy", _("materiały ze spotkania")
        OTHER = "inne", _("inny dokument")

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("spotkanie"),
    )
    round = models.ForeignKey(
        Round,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("cykl spotkań"),
    )
    kind = models.CharField(_("rodzaj"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("tytuł"), max_length=500)
    slug = models.SlugField(
        _("końcówka adresu strony"), max_length=200, blank=True, help_text=SLUG_HELP_TEXT
    )
    file = models.FileField(
        _("plik"),
        upload_to=document_upload_to,
        validators=[validate_document_file],
        blank=True,
        max_length=255,
    )
    file_format = models.CharField(_("format pliku"), max_length=10, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField(
        _("rozmiar pliku (bajty)"), null=True, blank=True, editable=False
    )
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0)
    editor_note = models.TextField(_("uwaga redakcji"), blank=True)
    # A file naming a person whose name was redacted (history.redaction): its own content
    # cannot be rewritten, so it is not served until a file without the name replaces it.
    file_withdrawn = models.BooleanField(
        _("plik wycofany z pobierania"),
        default=False,
        editable=False,
        help_text=_(
            "Tekst pliku wymieniał osobę, której dane osobowe usunięto z archiwum: strona "
            "dokumentu podaje wersję tekstową bez nich zamiast pliku. Prześlij plik bez danych "
            "osobowych, aby znów można go było pobrać."
        ),
    )
    text = models.TextField(
        _("tekst pliku"),
        blank=True,
        editable=False,
        help_text=_("Wyodrębniony z pliku przy przesłaniu; przeszukiwany przez wyszukiwarkę."),
    )

    class Meta(Publishable.Meta):
        verbose_name = _("dokument")
        verbose_name_plural = _("dokumenty")
        ordering = ["order", "pk"]
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(meeting__isnull=False, round__isnull=True)
                | Q(meeting__isnull=True, round__isnull=False),
                name="document_belongs_to_meeting_or_round",
                violation_error_message=_(
                    "Wybierz spotkanie albo cykl spotkań, do którego należy dokument "
                    "(jedno z nich, nie oba)."
                ),
            ),
            models.UniqueConstraint(
                fields=["meeting", "slug"], name="document_unique_slug_per_meeting"
            ),
            models.UniqueConstraint(
                fields=["round", "slug"], name="document_unique_slug_per_round"
            ),
        ]
        indexes = [
            *Publishable.Meta.indexes,
            models.Index(fields=["kind"], name="document_kind"),
            # The search's newest-first read (search.engine.search) walks it and stops:
            models.Index(*newest_first("search_day"), name="document_newest_first"),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def search_day_source(cls, meetings):
        # A round's document (or an undated meeting's) by the day it was published.
        return Coalesce(meeting_day(meetings), Cast(F("published_at"), models.DateField()))

    @property
    def parent(self):
        return self.meeting if self.meeting_id else self.round

    def when(self, parent=None):
        """What tells the document from a same-titled one of another meeting: its meeting's
        day ("5 czerwca 2025"), or its meeting's or round's year when no day is known.
        `parent`: its meeting or round, when the caller has it loaded."""
        parent = parent or self.parent
        starts_on = getattr(parent, "starts_on", None)
        return date_format(starts_on, "j E Y") if starts_on else str(parent.year_id)

    def save(self, *args, **kwargs):
        if not self.slug:
            siblings = Document.objects.filter(meeting=self.meeting_id, round=self.round_id)
            self.slug = unique_slug(self, self.title, siblings)
        if self.file:
            self.file_format = PurePosixPath(self.file.name).suffix.lstrip(".").upper()[:10]
            self.file_size = self.file.size
            if self._file_is_new():
                # A new upload: its words are taken now, once, for the full-text search.
                self.text = extract_text(self.file, self.file_format)
                self.file_withdrawn = False
        else:
            self.file_format, self.file_size, self.text = "", None, ""
            self.file_withdrawn = False
        super().save(*args, **kwargs)

    def _file_is_new(self):
        if not self.file._committed:  # uploaded through a form, not stored yet
            return True
        stored = Document.objects.filter(pk=self.pk).values_list("file", flat=True).first()
        return stored != self.file.name  # stored by FieldFile.save() just before this save

    def _url(self, name):
        path = DOCUMENT_PATHS[f"{'meeting' if self.meeting_id else 'round'}_{name}"]
        return path.path(year=self.parent.year_id, parent_slug=self.parent.slug, slug=self.slug)

    def get_absolute_url(self):
        return self._url("document")

    def url_under(self, parent_url):
        """get_absolute_url(), given its parent's address: a list reverses one address per
        meeting instead of one per document."""
        return f"{parent_url}{self.URL_SEGMENT}/{self.slug}/"

    def get_download_url(self):
        return self._url("document_download") if self.file and not self.file_withdrawn else ""

    def get_text_url(self):
        return self._url("document_text") if self.file else ""

    def choice_label(self):
        """How editors' choices name it: documents of different meetings often share a title
        ("Podsumowanie spotkania"), so with their meeting (or round) and its day."""
        parent = self.parent
        return f"{self.title} – {parent.title} ({self.when(parent)})"

    def names_someone_without_basis(self, text):
        """Whether `text` (the file's, as read from it) names a person of the document's
        meeting recorded without a legal basis. The file's text is not checked at save like
        the editor's own: the editor is told at upload (accessibility.admin), and the text
        version page and the search leave it out until the basis is recorded or the name
        redacted. The search's bulk loading brings the meeting's persons along
        (search.kinds)."""
        if not text or not self.meeting_id:
            return False
        meeting = self._state.fields_cache.get("meeting")
        people = getattr(meeting, "people_without_basis", None)
        if people is None:
            people = people_without_basis(self.meeting_id)
        return any(names_person(text, person.name) for person in people)

    @property
    def file_text_withheld(self):
        return self.names_someone_without_basis(self.text)

    def search_parts(self):
        return [self.title, self.editor_note, "" if self.file_text_withheld else self.text]
