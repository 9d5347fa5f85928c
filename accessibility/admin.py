from django.contrib import admin, messages
from django.db import models
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accessibility.models import AccessibilityStatement, DocumentCheck
from core.admin import ArchiveAdmin


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
    if check.blocking:
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


class DocumentCheckAdminMixin:
    """For the admin pages that take document files (the document's own, and the meetings'
    and rounds' document inlines): the file's check shown as a message right after the save,
    and on the document's page. The check itself runs on every save (apps.py)."""

    @admin.display(description=_("Dostępność pliku"))
    def accessibility_findings(self, document):
        check = DocumentCheck.objects.filter(document=document.pk).first() if document.pk else None
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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "file" in form.changed_data:
            self.report_check(request, obj)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if getattr(formset, "model", None) is not DocumentCheck.document.field.related_model:
            return
        for document_form in formset.forms:
            deleted = formset.can_delete and formset._should_delete_form(document_form)
            if "file" in document_form.changed_data and not deleted:
                self.report_check(request, document_form.instance)

    def report_check(self, request, document):
        check = DocumentCheck.objects.filter(document=document.pk).first()
        if check is not None:
            summary, level = check_summary(check, document.title)
            self.message_user(request, summary, level)
