from django import forms
from django.contrib import admin, messages
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accessibility.html_version import (
    MAX_NESTING,
    blocks_markup,
    blocks_to_html,
    cleaned,
    sanitized,
    too_deeply_nested,
)
from accessibility.models import (
    AccessibilityStatement,
    DocumentCheck,
    DocumentText,
    EasyReadSummary,
)
from core.admin import ArchiveAdmin, changeable_selection, report_count, save_recorded


@admin.register(AccessibilityStatement)
class AccessibilityStatementAdmin(ArchiveAdmin):
    # A site address typed without a scheme means https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("entity", "site_name", "site_url")}),
        (
            _("Daty"),
            {"fields": ("site_published_on", "site_updated_on", "prepared_on", "reviewed_on")},
        ),
        (
            _("Stan dostępności"),
            {"fields": ("status", "non_compliance", "disproportionate_burden", "assessment")},
        ),
        (_("Kontakt"), {"fields": ("contact_name", "contact_email", "contact_phone")}),
        (None, {"fields": ("procedure", "keyboard_shortcuts", "architecture", "communication")}),
    )

    def has_add_permission(self, request):
        # There is exactly one statement; editors change it, never add a second.
        return super().has_add_permission(request) and not AccessibilityStatement.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


def findings_html(check):
    """A check's findings for the editor: what to do, blocking ones first."""
    findings = sorted(check.finding_list(), key=lambda finding: not finding.is_blocking)
    return format_html_join(
        "",
        "<li>{}{}</li>",
        (
            (gettext("Blokuje odczyt: ") if finding.is_blocking else "", finding.advice)
            for finding in findings
        ),
    )


def check_summary(check, title):
    """What the editor reads after saving a file, and its message level."""
    if not check.findings:
        text = gettext("Sprawdzono dostępność pliku dokumentu „{}”: nie znaleziono problemów.")
        return format_html(text, title), messages.SUCCESS
    if check.compressed_too_highly:
        text = gettext(
            "Pliku dokumentu „{}” archiwum nie odczytało: po rozpakowaniu byłby setki razy "
            "większy niż przesłany, jak tzw. bomba ZIP, a nie jak dokument zapisany w "
            "edytorze. Możesz go opublikować, ale strona dokumentu i deklaracja dostępności "
            "powiedzą mieszkańcom, że plik jest nieczytelny, dopóki nie prześlesz poprawnego. "
            "Co zrobić:"
        )
        level = messages.WARNING
    elif check.unreadable:
        text = gettext(
            "Plik dokumentu „{}” jest uszkodzony lub nieczytelny: archiwum nie umie go "
            "otworzyć. Możesz go opublikować, ale strona dokumentu i deklaracja dostępności "
            "powiedzą mieszkańcom, że plik jest uszkodzony lub nieczytelny, dopóki nie "
            "prześlesz poprawnego. Co zrobić:"
        )
        level = messages.WARNING
    elif check.unverified:
        text = gettext(
            "Dostępności pliku dokumentu „{}” nie sprawdzono. Możesz go opublikować, ale "
            "strona dokumentu i deklaracja dostępności powiedzą mieszkańcom, że dostępności "
            "pliku nie sprawdzono, dopóki nie prześlesz pliku, który archiwum sprawdza. Co "
            "zrobić:"
        )
        level = messages.WARNING
    elif check.blocking:
        text = gettext(
            "Plik dokumentu „{}” nie jest w pełni dostępny cyfrowo. Możesz go opublikować, "
            "ale strona dokumentu i deklaracja dostępności powiedzą o tym mieszkańcom, "
            "dopóki nie prześlesz poprawionego pliku. Co poprawić:"
        )
        level = messages.WARNING
    else:
        text = gettext("Plik dokumentu „{}” jest czytelny, ale warto go poprawić:")
        level = messages.INFO
    return format_html(
        '{} <ul class="accessibility-findings">{}</ul>',
        format_html(text, title),
        findings_html(check),
    ), level


def outdated_texts_messages(document):
    """What the editor is told after replacing `document`'s file about the texts written for
    the old one: a correction of the text version kept for review, an easy-read summary."""
    found = []
    version = DocumentText.objects.filter(document=document.pk, needs_review=True).first()
    if version is not None:
        url = reverse("admin:accessibility_documenttext_change", args=[version.pk])
        text = gettext(
            "Plik dokumentu „{}” został zmieniony. Poprawiona wersja tekstowa została zachowana, "
            "ale dotyczy poprzedniego pliku, więc do czasu jej sprawdzenia strona pokazuje tekst "
            'odczytany z nowego pliku. <a href="{}">Sprawdź poprawioną wersję tekstową</a> '
            "i zapisz ją."
        )
        found.append(format_html(text, document.title, url))
    summary = EasyReadSummary.objects.filter(document=document.pk).first()
    if summary is not None:
        url = reverse("admin:accessibility_easyreadsummary_change", args=[summary.pk])
        text = gettext(
            "Tekst łatwy do czytania dokumentu „{}” opisuje poprzedni plik i może być "
            'nieaktualny: <a href="{}">sprawdź go</a>.'
        )
        found.append(format_html(text, document.title, url))
    return found


# A document's accessibility as the documents' list shows and filters it: (filter value,
# label, the documents in that state). Blocking includes damaged and unchecked files; the
# column tells those apart.
ACCESSIBILITY_STATES = (
    (
        "nie-w-pelni",
        _("nie w pełni dostępny, niesprawdzony lub uszkodzony"),
        Q(accessibility_check__blocking=True),
    ),
    (
        "uwagi",
        _("dostępny, z uwagami"),
        Q(accessibility_check__blocking=False) & ~Q(accessibility_check__findings=[]),
    ),
    (
        "dostepny",
        _("dostępny"),
        Q(accessibility_check__blocking=False, accessibility_check__findings=[]),
    ),
    (
        "czeka",
        _("czeka na sprawdzenie"),
        ~Q(file="") & Q(accessibility_check__isnull=True),
    ),
    ("bez-pliku", _("brak pliku"), Q(file="")),
)


def accessibility_state(document):
    """What the documents' list says of a document's file; reads the check the list loaded
    with the document, never a query a row."""
    check = getattr(document, "accessibility_check", None) if document.file else None
    if not document.file:
        return gettext("brak pliku")
    if check is None:
        return gettext("czeka na sprawdzenie")
    if check.blocking:
        return check.marker()  # as the public lists say it
    return gettext("dostępny, z uwagami") if check.findings else gettext("dostępny")


class AccessibilityFilter(admin.SimpleListFilter):
    title = _("dostępność")
    parameter_name = "dostepnosc"

    def lookups(self, request, model_admin):
        return [(value, label) for value, label, _condition in ACCESSIBILITY_STATES]

    def queryset(self, request, queryset):
        for value, _label, condition in ACCESSIBILITY_STATES:
            if self.value() == value:
                return queryset.filter(condition)
        return queryset


def easy_read_link(record, field):
    """The link from a document's or meeting's admin page to its easy-to-read summary: to
    change it, or to add one already pointed at the record."""
    if record.pk is None:
        return gettext("Zapisz, by dodać tekst łatwy do czytania.")
    summary = EasyReadSummary.objects.filter(**{field: record.pk}).only("pk").first()
    if summary is not None:
        url = reverse("admin:accessibility_easyreadsummary_change", args=[summary.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Zmień tekst łatwy do czytania"))
    url = f"{reverse('admin:accessibility_easyreadsummary_add')}?{field}={record.pk}"
    return format_html('<a href="{}">{}</a>', url, gettext("Dodaj tekst łatwy do czytania"))


class DocumentCheckAdminMixin:
    """For the admin pages that take document files (the document's own, and the meetings'
    and rounds' document inlines): the file's check shown as a message right after the save,
    and on the document's page. The check itself runs on every save (apps.py)."""

    @admin.display(description=_("Dostępność pliku"))
    def accessibility_findings(self, document):
        check = DocumentCheck.objects.filter(document=document.pk).first() if document.pk else None
        if document.pk and not document.file:
            return gettext("brak pliku")
        if not document.file or check is None:
            return gettext("Plik nie został jeszcze sprawdzony (sprawdza się po zapisaniu).")
        checked = date_format(localtime(check.checked_at), "j E Y, H:i")
        summary, _level = check_summary(check, document.title)
        details = format_html("{} {}", gettext("Sprawdzono:"), checked)
        if check.ocr:
            ocr = gettext("Rozpoznawanie tekstu skanu (OCR): %(state)s.") % {
                "state": check.get_ocr_display()
            }
            details = format_html("{} {}", details, ocr)
        return format_html("{} <p>{}</p>", summary, details)

    @admin.display(description=_("Dostępność"), ordering="accessibility_check__blocking")
    def accessibility_state(self, document):
        return accessibility_state(document)

    @admin.display(description=_("Wersja tekstowa i tekst łatwy do czytania"))
    def accessible_versions(self, document):
        """Where an editor finds what the accessibility app keeps of the document."""
        text = DocumentText.objects.filter(document=document.pk).only("pk").first()
        if text is None:
            text_links = gettext("Wersja tekstowa powstaje po zapisaniu dokumentu z plikiem.")
        else:
            url = reverse("admin:accessibility_documenttext_change", args=[text.pk])
            text_links = format_html('<a href="{}">{}</a>', url, gettext("Popraw wersję tekstową"))
            if public := document.get_text_url():
                text_links = format_html(
                    '{} · <a href="{}">{}</a>',
                    text_links,
                    public,
                    gettext("wersja tekstowa na stronie"),
                )
        return format_html("<p>{}</p><p>{}</p>", text_links, easy_read_link(document, "document"))

    @admin.display(description=_("Tekst łatwy do czytania"))
    def easy_read_summary(self, meeting):
        return easy_read_link(meeting, "meeting")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "file" in form.changed_data:
            self.report_check(request, obj)
            self.report_outdated_texts(request, obj)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if getattr(formset, "model", None) is not DocumentCheck.document.field.related_model:
            return
        for document_form in formset.forms:
            deleted = formset.can_delete and formset._should_delete_form(document_form)
            if "file" in document_form.changed_data and not deleted:
                self.report_check(request, document_form.instance)
                self.report_outdated_texts(request, document_form.instance)

    def report_outdated_texts(self, request, document):
        for message in outdated_texts_messages(document):
            self.message_user(request, message, messages.WARNING)

    def report_check(self, request, document):
        check = DocumentCheck.objects.filter(document=document.pk).first()
        if check is not None:
            summary, level = check_summary(check, document.title)
            self.message_user(request, summary, level)
        if document.file_text_withheld:
            self.message_user(
                request,
                format_html(
                    gettext(
                        "Tekst pliku dokumentu „{}” wymienia osobę ze spotkania, której nazwisko "
                        "nie ma podstawy publikacji. Wersja tekstowa i wyszukiwarka nie pokażą "
                        "tekstu pliku, dopóki nie zapiszesz tej podstawy w części „Osoby (dane "
                        "osobowe)” spotkania albo koordynator nie usunie nazwiska. Sam plik "
                        "jest do pobrania: jeśli nazwisko nie powinno być jawne, prześlij plik "
                        "bez niego."
                    ),
                    document.title,
                ),
                messages.WARNING,
            )


AWAITING_REVIEW = _("poprawka czeka na sprawdzenie")
# The text versions' list filter: (value, label, condition), as DocumentText.source and
# awaiting_review say.
TEXT_VERSION_STATES = [
    (
        "poprawiona",
        DocumentText.Source.CORRECTED.label,
        ~Q(corrected_html="") & Q(needs_review=False),
    ),
    ("do-sprawdzenia", AWAITING_REVIEW, ~Q(corrected_html="") & Q(needs_review=True)),
    ("z-pliku", DocumentText.Source.EXTRACTED.label, Q(corrected_html="")),
]


class TextVersionStateFilter(admin.SimpleListFilter):
    title = _("wersja")
    parameter_name = "wersja"

    def lookups(self, request, model_admin):
        return [(value, label) for value, label, _condition in TEXT_VERSION_STATES]

    def queryset(self, request, queryset):
        for value, _label, condition in TEXT_VERSION_STATES:
            if self.value() == value:
                return queryset.filter(condition)
        return queryset


# A corrected HTML version holds a whole document: far more than an ordinary text field.
CORRECTED_HTML_MAX_LENGTH = 3_000_000


class DocumentTextForm(forms.ModelForm):
    """The corrected version starts from the text read from the file; it is cleaned to the
    allowed elements on save, and one left as it was read stores no correction."""

    class Meta:
        model = DocumentText
        fields = ("corrected_html",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["corrected_html"]
        field.max_length = CORRECTED_HTML_MAX_LENGTH
        field.validators = [
            v for v in field.validators if not isinstance(v, MaxLengthValidator)
        ] + [MaxLengthValidator(CORRECTED_HTML_MAX_LENGTH)]
        field.widget.attrs.update(maxlength=str(CORRECTED_HTML_MAX_LENGTH), rows=30)
        if self.instance.pk and not self.instance.corrected_html:
            # Not the safe markup the page shows: the textarea must escape it.
            self.initial["corrected_html"] = blocks_markup(self.instance.blocks)
        if self.instance.needs_review:
            field.help_text = format_html(
                "<strong>{}</strong> {}",
                gettext(
                    "Plik dokumentu został zmieniony: ta poprawiona wersja dotyczy poprzedniego "
                    "pliku. Porównaj ją z nowym plikiem i zapisz; do tego czasu strona pokazuje "
                    "tekst odczytany z nowego pliku."
                ),
                field.help_text,
            )

    def clean_corrected_html(self):
        if too_deeply_nested(self.cleaned_data["corrected_html"]):
            raise forms.ValidationError(
                gettext(
                    "Znaczniki są zagnieżdżone zbyt głęboko (więcej niż %(limit)d poziomów, np. "
                    "lista w liście w liście…). Taki tekst trudno przeczytać czytnikiem ekranu, "
                    "a strona ładowałaby się bardzo długo: spłaszcz strukturę (najwyżej kilka "
                    "poziomów list) i zapisz ponownie."
                )
                % {"limit": MAX_NESTING}
            )
        html, cleaning = cleaned(self.cleaned_data["corrected_html"])
        # What the editor is told after the save (DocumentTextAdmin.save_model).
        self.cleaning_changes = cleaning.descriptions()
        html = str(html).strip()
        extracted = str(sanitized(blocks_to_html(self.instance.blocks))).strip()
        return "" if html == extracted else html

    def save(self, commit=True):
        self.instance.needs_review = False  # an editor has read it against the current file
        # Cleaned by clean_corrected_html already.
        self.instance.keep_cleaned(self.cleaned_data["corrected_html"])
        return super().save(commit)


@admin.register(DocumentText)
class DocumentTextAdmin(ArchiveAdmin):
    form = DocumentTextForm
    list_display = ("document", "source_label", "updated_at")
    list_filter = (TextVersionStateFilter,)
    list_select_related = ("document",)
    search_fields = ("document__title",)
    fields = ("document_link", "public_link", "corrected_html")
    readonly_fields = ("document_link", "public_link")

    @admin.display(description=_("wersja"))
    def source_label(self, obj):
        return AWAITING_REVIEW if obj.awaiting_review else obj.Source(obj.source).label

    @admin.display(description=_("dokument"))
    def document_link(self, obj):
        url = reverse("admin:meetings_document_change", args=[obj.document_id])
        return format_html('<a href="{}">{}</a>', url, obj.document.title)

    @admin.display(description=_("strona publiczna"))
    def public_link(self, obj):
        url = obj.document.get_text_url()
        return format_html('<a href="{}">{}</a>', url, url) if url else "–"

    actions = [*ArchiveAdmin.actions, "restore_extracted"]

    def has_add_permission(self, request):
        return False  # read from the document's file when it is saved

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changes = getattr(form, "cleaning_changes", [])
        if changes:
            text = gettext(
                "Poprawiona wersja tekstowa dokumentu „{}” została zapisana po oczyszczeniu "
                "do dozwolonych znaczników. Zmieniono: {}. Sprawdź wynik na stronie publicznej."
            )
            self.message_user(
                request, format_html(text, obj.document.title, "; ".join(changes)), messages.WARNING
            )

    def has_delete_permission(self, request, obj=None):
        # Not on its own pages: a deleted version left the public page "w przygotowaniu" with
        # nothing to read the file again; restore_extracted is what an editor wants. Deleting
        # a document still takes its version along, which asks this permission from the
        # document's pages.
        match = getattr(request, "resolver_match", None)
        own_page = match is not None and (match.url_name or "").startswith(
            f"{self.opts.app_label}_{self.opts.model_name}_"
        )
        return not own_page and super().has_delete_permission(request, obj)

    @admin.action(
        description=_("Przywróć tekst odczytany z pliku (usuń poprawki)"),
        permissions=["change"],
    )
    def restore_extracted(self, request, queryset):
        restored = 0
        for version in changeable_selection(self, request, queryset).exclude(corrected_html=""):
            version.corrected_html, version.needs_review = "", False
            save_recorded(request, version, gettext("Przywrócono tekst odczytany z pliku."))
            self.log_change(request, version, gettext("Przywrócono tekst odczytany z pliku."))
            restored += 1
        report_count(
            self,
            request,
            restored,
            gettext("Przywrócono tekst odczytany z pliku: %d."),
            gettext("Nic nie zmieniono: zaznaczone wersje nie miały poprawek."),
        )


class EasyReadSummaryForm(forms.ModelForm):
    """A document or meeting has one summary: choosing one that has it already says which
    summary that is, with a link to change it, instead of Django's generic error."""

    class Meta:
        model = EasyReadSummary
        fields = ("document", "meeting", "text")

    def clean(self):
        cleaned = super().clean()
        for field in ("document", "meeting"):
            record = cleaned.get(field)
            if record is None:
                continue
            existing = EasyReadSummary.objects.filter(**{field: record}).exclude(
                pk=self.instance.pk
            )
            existing = existing.only("pk").first()
            if existing is not None:
                url = reverse("admin:accessibility_easyreadsummary_change", args=[existing.pk])
                message = (
                    gettext("Ten dokument ma już tekst łatwy do czytania:")
                    if field == "document"
                    else gettext("To spotkanie ma już tekst łatwy do czytania:")
                )
                link = format_html(
                    '{} <a href="{}">{}</a>. {}',
                    message,
                    url,
                    gettext("Tekst łatwy do czytania: %(title)s") % {"title": record.title},
                    gettext("Zmień tamten tekst zamiast dodawać drugi."),
                )
                self.add_error(field, link)
        return cleaned

    def validate_unique(self):
        # The one-to-one fields' own "already exists" error would repeat clean()'s.
        exclude = self._get_validation_exclusions()
        exclude.update({"document", "meeting"})
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)


@admin.register(EasyReadSummary)
class EasyReadSummaryAdmin(ArchiveAdmin):
    form = EasyReadSummaryForm
    list_display = ("__str__", "updated_at")
    list_select_related = ("document", "meeting")
    search_fields = ("document__title", "meeting__title", "text")
    autocomplete_fields = ("document", "meeting")
    fields = ("document", "meeting", "text")
