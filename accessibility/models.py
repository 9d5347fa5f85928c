from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from accessibility.contact import contact_email
from accessibility.document_checks import (
    COMPRESSED_TOO_HIGHLY,
    UNREADABLE,
    UNVERIFIED,
    Finding,
)
from accessibility.html_version import (
    LANGUAGE_TAG,
    blocks_markup,
    correction_markup,
    scrollable_tables,
)
from core import rich_text
from core.ownership import prefixed
from core.publishing import published_condition
from meetings.models import Document, Meeting, NamesNoOneWithoutBasis

PROCEDURE = """Każdy ma prawo wystąpić z żądaniem zapewnienia dostępności cyfrowej strony internetowej lub jej elementu. Można także zażądać udostępnienia informacji za pomocą alternatywnego sposobu dostępu, na przykład przez odczytanie niedostępnego cyfrowo dokumentu, opisanie zawartości filmu bez audiodeskrypcji itp.

Żądanie powinno zawierać dane osoby zgłaszającej żądanie, wskazanie, o którą stronę internetową chodzi, oraz sposób kontaktu. Jeżeli osoba żądająca zgłasza potrzebę otrzymania informacji za pomocą alternatywnego sposobu dostępu, powinna także określić dogodny dla niej sposób przedstawienia tej informacji.

Podmiot publiczny powinien zrealizować żądanie niezwłocznie, nie później niż w ciągu 7 dni od dnia wystąpienia z żądaniem. Jeżeli dotrzymanie tego terminu nie jest możliwe, podmiot publiczny niezwłocznie informuje o tym wnoszącego żądanie, kiedy realizacja żądania będzie możliwa, przy czym termin ten nie może być dłuższy niż 2 miesiące od dnia wystąpienia z żądaniem. Jeżeli zapewnienie dostępności cyfrowej nie jest możliwe, podmiot publiczny może zaproponować alternatywny sposób dostępu do informacji.

W przypadku, gdy podmiot publiczny odmówi realizacji żądania zapewnienia dostępności lub alternatywnego sposobu dostępu do informacji, wnoszący żądanie może złożyć skargę w sprawie zapewniania dostępności cyfrowej strony internetowej lub jej elementu. Po wyczerpaniu wskazanej wyżej procedury można także złożyć wniosek do Rzecznika Praw Obywatelskich."""


class AccessibilityStatement(models.Model):
    """The site's Deklaracja dostępności: one record, edited by editors, reviewed yearly."""

    # The texts editors write, in Polish; shown on the English page through texts_on_page().
    STORED_TEXTS = (
        "entity",
        "site_name",
        "assessment",
        "contact_name",
        "non_compliance",
        "disproportionate_burden",
        "procedure",
        "architecture",
        "communication",
        "keyboard_shortcuts",
    )

    class Status(models.TextChoices):
        COMPLIANT = "zgodna", _("zgodna")
        PARTIALLY = "czesciowo-zgodna", _("częściowo zgodna")
        NON_COMPLIANT = "niezgodna", _("niezgodna")

    singleton = models.BooleanField(default=True, editable=False, unique=True)
    entity = models.CharField(_("podmiot publiczny"), max_length=255)
    site_name = models.CharField(_("nazwa strony"), max_length=255)
    site_url = models.URLField(
        _("adres strony"), blank=True, help_text=_("Puste: adres, pod którym działa archiwum.")
    )
    site_published_on = models.DateField(_("data publikacji strony"))
    site_updated_on = models.DateField(_("data ostatniej istotnej aktualizacji strony"))
    status = models.CharField(_("stan zgodności z ustawą"), max_length=20, choices=Status.choices)
    non_compliance = models.TextField(
        _("treści niedostępne i powody"),
        blank=True,
        help_text=_("Wymagane, gdy strona nie jest w pełni zgodna."),
    )
    disproportionate_burden = models.TextField(
        _("ocena nadmiernego obciążenia"),
        blank=True,
        help_text=_("Wypełnij tylko, jeśli powołujesz się na nadmierne obciążenie."),
    )
    prepared_on = models.DateField(_("data sporządzenia deklaracji"))
    reviewed_on = models.DateField(
        _("data ostatniego przeglądu deklaracji"),
        null=True,
        blank=True,
        help_text=_("Przegląd co roku do 31 marca."),
    )
    assessment = models.CharField(
        _("sposób oceny dostępności"), max_length=255, default="samoocena"
    )
    contact_name = models.CharField(
        _("osoba lub komórka do kontaktu"),
        max_length=255,
        help_text=_("Stanowisko lub komórka organizacyjna odpowiedzialna za dostępność."),
    )
    contact_email = models.EmailField(_("adres e-mail do kontaktu"), blank=True)
    contact_phone = models.CharField(_("telefon do kontaktu"), max_length=50, blank=True)
    procedure = models.TextField(
        _("procedura wnioskowo-skargowa"), default=PROCEDURE, help_text=rich_text.HELP_TEXT
    )
    keyboard_shortcuts = models.TextField(
        _("skróty klawiaturowe"), blank=True, help_text=rich_text.HELP_TEXT
    )
    architecture = models.TextField(_("dostępność architektoniczna"), help_text=rich_text.HELP_TEXT)
    communication = models.TextField(
        _("dostępność komunikacyjno-informacyjna"), help_text=rich_text.HELP_TEXT
    )

    class Meta:
        verbose_name = _("deklaracja dostępności")
        verbose_name_plural = _("deklaracja dostępności")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="zgodna") | ~Q(non_compliance=""),
                name="accessibility_non_compliance_explained",
            ),
        ]

    def __str__(self):
        return f"Deklaracja dostępności: {self.site_name}"

    def get_absolute_url(self):
        return reverse("accessibility:statement")

    @property
    def request_email(self):
        """The address the page gives for accessibility requests (accessibility.contact)."""
        return contact_email(self.contact_email)

    def texts_on_page(self):
        """Each stored text as the page shows it: {"text", "lang"}. The interface's catalogue
        translates the statutory wording and the texts the archive started with; a text an
        editor has since rewritten has no translation and keeps lang="pl" on an English page,
        so screen readers read it as Polish."""
        texts = {}
        for field in self.STORED_TEXTS:
            stored = getattr(self, field)
            translated = gettext(stored) if stored else stored
            untranslated_polish = translated == stored and stored and get_language() != "pl"
            texts[field] = {"text": translated, "lang": "pl" if untranslated_polish else ""}
        return texts


# Tags that name no language (undetermined, none, several): the text is taken as Polish.
NO_LANGUAGE = {"und", "zxx", "mul", "mis"}


class DocumentCheck(models.Model):
    """The accessibility check of a document's file (accessibility/document_checks.py), made when
    the file is saved: what the editor is told, what marks the public page, and what the
    statement lists as not fully accessible."""

    document = models.OneToOneField(
        "meetings.Document",
        on_delete=models.CASCADE,  # a check says nothing once its document is gone
        primary_key=True,
        related_name="accessibility_check",
        verbose_name=_("dokument"),
    )
    file_name = models.CharField(_("sprawdzony plik"), max_length=255)
    checksum = models.CharField(_("suma kontrolna SHA-256 pliku"), max_length=64)
    findings = models.JSONField(_("wyniki sprawdzenia"), default=list, blank=True)
    blocking = models.BooleanField(
        _("nie w pełni dostępny"),
        default=False,
        help_text=_("Co najmniej jeden wynik blokuje odczyt pliku czytnikiem ekranu."),
    )
    checked_at = models.DateTimeField(_("sprawdzono"))

    class Ocr(models.TextChoices):
        NOT_NEEDED = "", _("niepotrzebne")
        WAITING = "czeka", _("czeka na rozpoznanie tekstu")
        DONE = "gotowe", _("tekst rozpoznany")
        UNAVAILABLE = "niedostepne", _("OCR nie jest zainstalowany")
        FAILED = "nieudane", _("rozpoznanie tekstu nie powiodło się")

    ocr = models.CharField(
        _("rozpoznawanie tekstu (OCR)"), max_length=12, choices=Ocr.choices, blank=True
    )
    ocr_text = models.TextField(
        _("tekst rozpoznany (OCR)"),
        blank=True,
        help_text=_(
            "Tekst stron bez warstwy tekstowej, odczytany przez OCR; trafia do wyszukiwarki."
        ),
    )
    # The same text by page ({"2": ...}): the HTML version shows each under its page's note.
    ocr_pages = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("sprawdzenie dostępności dokumentu")
        verbose_name_plural = _("sprawdzenia dostępności dokumentów")
        ordering = ["-checked_at"]
        indexes = [
            # The statement lists the blocking ones.
            models.Index(
                fields=["document"], condition=Q(blocking=True), name="document_check_blocking"
            ),
        ]

    def __str__(self):
        return gettext("Sprawdzenie dostępności: %(document)s") % {"document": self.document_id}

    def get_absolute_url(self):
        return self.document.get_absolute_url()

    def finding_list(self):
        return [Finding.from_json(item) for item in self.findings or []]

    def scanned_pages(self):
        """The numbers of the pages found without a text layer, which OCR may read."""
        pages = []
        for finding in self.finding_list():
            if finding.code in ("pdf-scan", "pdf-pages-without-text"):
                pages += [n for n in finding.params.get("numbers", []) if isinstance(n, int)]
        return pages

    @property
    def unreadable(self):
        """Whether the file could not be read at all (damaged), as opposed to read and found
        wanting: a scan opens, a damaged file does not. A zip bomb was not read either."""
        unread = (UNREADABLE, COMPRESSED_TOO_HIGHLY)
        return any(finding.code in unread for finding in self.finding_list())

    @property
    def compressed_too_highly(self):
        """Whether the file was left unread as a zip bomb (files.archives), not as damaged."""
        return any(finding.code == COMPRESSED_TOO_HIGHLY for finding in self.finding_list())

    @property
    def unverified(self):
        """Whether all that keeps the file from counting as accessible is that no one could
        check it (a format the archive does not check, or a check this version cannot
        read): the page says it was not checked, not that it failed."""
        blocking = self.blocking_findings()
        return bool(blocking) and all(f.code in UNVERIFIED for f in blocking)

    @property
    def scanned(self):
        """Whether every page with content is a scan without a text layer."""
        return any(finding.code == "pdf-scan" for finding in self.finding_list())

    def file_language(self):
        """The language the file states when not Polish, as a BCP 47 tag ("en-US"): "" when
        it states none, Polish, or something that is no language's valid tag."""
        for finding in self.finding_list():
            if finding.code == "language-not-polish":
                tag = str(finding.params.get("language", "")).strip()
                valid = LANGUAGE_TAG.fullmatch(tag)
                return tag if valid and tag.split("-")[0].lower() not in NO_LANGUAGE else ""
        return ""

    def page_texts(self):
        """{page number: text OCR read from it}, once OCR has read the file."""
        if self.ocr != self.Ocr.DONE or not isinstance(self.ocr_pages, dict):
            return {}
        return {int(n): t for n, t in self.ocr_pages.items() if str(n).isdigit() and t}

    def marker(self):
        """What lists say of the file after its format and size, and the documents' list in
        the admin in its Dostępność column: "" when nothing blocks reading it."""
        if not self.blocking:
            return ""
        if self.unreadable:
            return gettext("plik uszkodzony lub nieczytelny")
        if self.unverified:
            return gettext("dostępność pliku niesprawdzona")
        return gettext("nie w pełni dostępny cyfrowo")

    def blocking_findings(self):
        return [finding for finding in self.finding_list() if finding.is_blocking]

    def reasons(self):
        """Why the file is not fully accessible, for the public: "skan bez warstwy tekstowej"."""
        return [finding.reason for finding in self.blocking_findings()]


class BelongingQuerySet(models.QuerySet):
    """Records public exactly when the record they belong to is (the one of their
    `publication_parents` that is set): the change register reads them as it reads the
    publishable ones."""

    def published(self, at=None):
        condition = Q(pk__in=[])
        for name in self.model.publication_parents:
            parent = self.model._meta.get_field(name).related_model
            condition |= Q(**{f"{name}__isnull": False}) & published_condition(
                parent, f"{name}__", at
            )
        return self.filter(condition)


class DocumentText(models.Model):
    """The HTML version of a document's file: the structure read from the file when it was
    saved (files.structured_text), or the version an editor corrected, which replaces it on
    the public page. Public exactly when its document is."""

    class Source(models.TextChoices):
        EXTRACTED = "extracted", _("odczytana z pliku")
        CORRECTED = "corrected", _("poprawiona przez redakcję")

    owner_paths = prefixed("document", Document.owner_paths)
    publication_parents = ("document",)
    # Read from the file outside the admin, so before its first saved version it held no
    # correction: an editor's first correction is a change in the register.
    state_before_history = {"corrected_html": ""}

    document = models.OneToOneField(
        Document,
        on_delete=models.CASCADE,
        related_name="html_version",
        verbose_name=_("dokument"),
    )
    blocks = models.JSONField(
        _("struktura odczytana z pliku"), default=list, blank=True, editable=False
    )
    # The blocks as HTML, rendered on save: the largest document takes half a second to render,
    # which no page view should pay.
    rendered = models.TextField(_("tekst strony (HTML)"), blank=True, editable=False)
    # The stored file the blocks were read from: a new upload is read again, a save is not.
    source_file = models.CharField(max_length=255, blank=True, editable=False)
    corrected_html = models.TextField(
        _("poprawiona wersja tekstowa"),
        blank=True,
        help_text=_(
            "Puste: na stronie jest tekst odczytany z pliku. Dozwolone znaczniki: nagłówki "
            "h2–h6, akapity, listy, tabele (th z atrybutem scope), pogrubienie, kursywa, "
            "odnośniki."
        ),
    )
    # The correction as the page shows it, cleaned on save (html_version.sanitized): cleaning
    # a whole document's correction takes seconds, which no page view should pay.
    corrected_rendered = models.TextField(
        _("poprawiona wersja tekstowa (oczyszczona)"), blank=True, editable=False
    )
    # Set when the document's file is replaced under an editor's correction: the correction is
    # kept (it may need only a touch) but describes the old file, so until an editor saves it
    # again the page shows the text read from the new file.
    needs_review = models.BooleanField(
        _("do sprawdzenia po zmianie pliku"), default=False, editable=False
    )
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    objects = BelongingQuerySet.as_manager()

    class Meta:
        verbose_name = _("wersja tekstowa dokumentu")
        verbose_name_plural = _("wersje tekstowe dokumentów")
        ordering = ["document"]

    def __str__(self):
        # Only the document's title: wherever the admin or the change register names this
        # record, it puts the kind ("Wersja tekstowa dokumentu") before it already.
        return self.title

    def save(self, *args, **kwargs):
        self.rendered = blocks_markup(self.blocks)
        update_fields = kwargs.get("update_fields")
        loaded = "corrected_html" in self.__dict__
        changed = loaded and self.corrected_html != getattr(self, "_cleaned_from", None)
        # A version kept in the history from before the cleaned HTML was stored has none.
        missing = loaded and self.corrected_html.strip() and not self.corrected_rendered
        if changed or missing:
            self.corrected_rendered = correction_markup(self.corrected_html)
            self._cleaned_from = self.corrected_html
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "corrected_rendered"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.document.get_text_url()

    @classmethod
    def from_db(cls, db, field_names, values):
        version = super().from_db(db, field_names, values)
        # What corrected_rendered was cleaned from: a save that leaves it is not cleaned again.
        version._cleaned_from = version.__dict__.get("corrected_html")
        return version

    def keep_cleaned(self, clean):
        """Takes `clean`, an output of html_version.cleaned() (the editor's form has it), as
        the correction and as its cleaned HTML: the save need not clean it a second time."""
        self.corrected_html = self.corrected_rendered = self._cleaned_from = clean

    @property
    def title(self):
        """What the change register names the record by (history.entries): its document's."""
        return self.document.title

    @property
    def source(self):
        """What the public page shows: a correction of an earlier file is not shown."""
        corrected = self.corrected_html.strip() and not self.needs_review
        return self.Source.CORRECTED if corrected else self.Source.EXTRACTED

    @property
    def awaiting_review(self):
        """A correction of an earlier file, waiting for an editor (the page shows the text
        read from the new file meanwhile)."""
        return bool(self.corrected_html.strip()) and self.needs_review

    def state(self, check):
        """What the page says of this text, given its file's check (or None): "corrected" by
        an editor; read from a file that is "unreadable" (damaged); a "scan" whose text no
        one has read, or a "scan-read" by OCR; "extracted" from the file's text; or "empty"."""
        if self.source == self.Source.CORRECTED:
            return "corrected"
        if check is not None and check.unreadable:
            return "unreadable"
        if check is not None and check.scanned:
            return "scan-read" if check.page_texts() else "scan"
        return "extracted" if self.rendered.strip() else "empty"

    def language(self, check):
        """The language of the text, given its file's check (or None): the one the file
        states (WCAG 3.1.1: a screen reader reads an English text in English), else Polish."""
        return (check.file_language() if check is not None else "") or "pl"

    def html(self):
        """What the public page shows: the editor's version, or the one read from the file."""
        if self.source == self.Source.CORRECTED:
            # Cleaned on save; marked safe there (correction_markup).
            return scrollable_tables(mark_safe(self.corrected_rendered))
        return scrollable_tables(mark_safe(self.rendered))  # escaped by blocks_markup on save


class EasyReadSummary(NamesNoOneWithoutBasis, models.Model):
    """A summary in easy-to-read Polish ("tekst łatwy do czytania") of a document or a
    meeting, shown first on its page; public exactly when its document or meeting is. It may
    not name a person of the meeting recorded without a legal basis."""

    person_text_fields = ("text",)

    owner_paths = (
        *prefixed("document", Document.owner_paths),
        *prefixed("meeting", Meeting.owner_paths),
    )
    publication_parents = ("document", "meeting")

    document = models.OneToOneField(
        Document,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="easy_read",
        verbose_name=_("dokument"),
    )
    meeting = models.OneToOneField(
        Meeting,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="easy_read",
        verbose_name=_("spotkanie"),
    )
    text = models.TextField(
        _("tekst łatwy do czytania"),
        help_text=format_lazy(
            "{} {}", _("Krótkie zdania, proste słowa, jedna myśl w zdaniu."), rich_text.HELP_TEXT
        ),
    )
    updated_at = models.DateTimeField(_("zmieniono"), auto_now=True)

    objects = BelongingQuerySet.as_manager()

    class Meta:
        verbose_name = _("tekst łatwy do czytania")
        verbose_name_plural = _("teksty łatwe do czytania")
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(document__isnull=False, meeting__isnull=True)
                | Q(document__isnull=True, meeting__isnull=False),
                name="easy_read_of_document_or_meeting",
                violation_error_message=_("Wybierz dokument albo spotkanie (jedno z nich)."),
            ),
        ]

    def __str__(self):
        # Only its document's or meeting's title: the admin's messages and pages put the
        # kind ("Tekst łatwy do czytania") before it already, as for DocumentText. Without a
        # parent while a form choosing none is shown again with its error.
        parent = self.parent
        return parent.title if parent is not None else gettext("bez dokumentu i spotkania")

    def get_absolute_url(self):
        return self.parent.get_absolute_url()

    @property
    def title(self):
        """What the change register names the record by (history.entries), after its kind
        ("Tekst łatwy do czytania"): the title of its document or meeting."""
        return self.parent.title

    @property
    def parent(self):
        return self.document if self.document_id else self.meeting

    def meeting_id_of_people(self):
        if self.document_id:
            return self.document.meeting_id
        return self.meeting_id
