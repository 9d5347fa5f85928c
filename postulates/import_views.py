"""Admin pages importing a meeting's postulate list from a spreadsheet.

The views only move the file between requests and render; parsing, validation and saving
live in postulates.importing (reading the file, in files.spreadsheets). The admin mounts them (with its own staff check and, by
overriding `get_meeting_queryset`, per-department scoping); nothing here wires URLs.
"""

import csv
import datetime
import uuid
from dataclasses import dataclass, field

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views import View

from departments.models import Department
from files.spreadsheets import MAX_FILE_BYTES, spaced
from meetings.models import Meeting
from postulates import importing
from postulates.importing import (
    COLUMNS,
    MAX_DATA_ROWS,
    TEMPLATE_HEADERS,
    import_postulates,
    parse_spreadsheet,
    validate,
)
from postulates.importing.workbook import CONTENT_TYPE as XLSX_CONTENT_TYPE
from postulates.importing.workbook import template_workbook
from postulates.models import Outcome, PublicTaskArea

STASH_FOLDER = "imports"
STASH_EXTENSIONS = ("xlsx", "csv")
# Tokens this session uploaded, with their meeting: a token alone imports nothing.
SESSION_KEY = "postulate_import_tokens"
# The name each token's file had on the editor's computer, for the meeting's history.
NAMES_SESSION_KEY = "postulate_import_file_names"


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Plik z postulatami (XLSX lub CSV)",
        help_text=(
            f"Najwyżej {MAX_FILE_BYTES // 1024 // 1024} MB i {spaced(MAX_DATA_ROWS)} postulatów. "
            "CSV może być zapisany w UTF-8 albo Windows-1250, z separatorem „;”, „,” lub tabulatorem."
        ),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
    )


# --- The uploaded file between preview and confirmation ---------------------------------------


# A preview nobody confirmed within this time is abandoned: its file goes at the next upload.
STASH_LIFETIME = datetime.timedelta(days=1)


def stash_upload(upload, file_format):
    """Keep the upload server-side; the browser only ever gets the random token back."""
    discard_abandoned_stashes()
    token = str(uuid.uuid4())
    upload.seek(0)
    default_storage.save(_stash_name(token, file_format), upload)
    return token


def discard_abandoned_stashes(now=None):
    """Delete the kept files of previews older than STASH_LIFETIME (closed tabs, sessions
    that ended): uploads must not pile up in the storage."""
    cutoff = (now or timezone.now()) - STASH_LIFETIME
    try:
        _folders, names = default_storage.listdir(STASH_FOLDER)
    except FileNotFoundError:
        return
    for name in names:
        path = f"{STASH_FOLDER}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)


def read_stash(token):
    """The stashed file's bytes, or None for a token that is malformed or has no file."""
    for name in _stash_names(token):
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as stashed:
                return stashed.read(MAX_FILE_BYTES + 1)
    return None


def discard_stash(token):
    for name in _stash_names(token):
        if default_storage.exists(name):
            default_storage.delete(name)


def _stash_name(token, file_format):
    return f"{STASH_FOLDER}/{token}.{file_format}"


def _stash_names(token):
    # Only a canonical UUID may become part of a storage path.
    try:
        canonical = str(uuid.UUID(token))
    except (TypeError, ValueError):
        return []
    if canonical != token:
        return []
    return [_stash_name(token, extension) for extension in STASH_EXTENSIONS]


# --- The preview table ------------------------------------------------------------------------


@dataclass
class PreviewCell:
    text: str
    errors: list[str] = field(default_factory=list)
    note: str = ""


def preview_cells(row):
    """One cell per column: the value to be saved, or the text as written when it has errors."""
    cells = []
    for column in COLUMNS:
        errors = row.errors_for(column)
        text, note = (row.texts[column.key], "") if errors else _resolved(row, column)
        cells.append(PreviewCell(text=text, errors=errors, note=note))
    return cells


def _resolved(row, column):
    values = row.values
    if column is importing.ORGANISATION:
        if values.new_organisation_name:
            if row.similar_organisation is not None:
                note = f"nowa organizacja – podobna do istniejącej „{row.similar_organisation}”"
                return values.new_organisation_name, note
            return values.new_organisation_name, "nowa organizacja"
        if values.organisation is None and row.texts[column.key]:
            return "", "osoba prywatna – bez nazwy"
        return _text(values.organisation), ""
    if (
        column is importing.ANSWERING_DEPARTMENT
        and values.outcome
        and not values.answering_department
    ):
        return _text(values.position_department), "jak wydział właściwy"
    value = getattr(values, column.key)
    if isinstance(value, datetime.date):
        return f"{value:%d.%m.%Y}", ""
    return _text(value), ""


def _text(value):
    return "" if value is None else str(value)


# --- Views ------------------------------------------------------------------------------------


class ImportPostulatesView(View):
    """Upload a sheet, see every row and every error, then confirm: one meeting at a time."""

    template_name = "admin/postulates/import_postulates.html"
    permission_required = "postulates.add_postulate"
    admin_site = admin.site
    template_download_url_name = "postulates_import_template"
    # The XLSX template fits the meeting (its next number, its department), so the meeting's
    # import page itself serves it.
    xlsx_template_parameter = ("wzor", "xlsx")
    xlsx_template_filename = "wzor-importu-postulatow.xlsx"

    def get_meeting_queryset(self, request):
        return Meeting.objects.all()

    def get_success_url(self):
        return reverse("admin:meetings_meeting_change", args=[self.meeting.pk])

    def has_permission(self, request):
        return request.user.has_perm(self.permission_required)

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission(request):
            raise PermissionDenied
        self.meeting = get_object_or_404(
            self.get_meeting_queryset(request), pk=self.kwargs["meeting_id"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        name, value = self.xlsx_template_parameter
        if request.GET.get(name) == value:
            return self.xlsx_template()
        return self.render_page(UploadForm())

    def xlsx_template(self):
        response = HttpResponse(
            template_workbook(self.meeting, self.request.user), content_type=XLSX_CONTENT_TYPE
        )
        response["Content-Disposition"] = f'attachment; filename="{self.xlsx_template_filename}"'
        return response

    def post(self, request, *args, **kwargs):
        if "token" in request.POST:
            return self.confirm(request)
        return self.preview(request)

    def preview(self, request):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(form)
        upload = form.cleaned_data["file"]
        preview = validate(parse_spreadsheet(upload), self.meeting, request.user)
        token = ""
        if preview.is_valid:  # an invalid file can never be confirmed, so it is not kept
            token = stash_upload(upload, preview.sheet.file_format)
            self._remember(request, token, upload.name)
        return self.render_page(UploadForm(), preview=preview, token=token)

    def confirm(self, request):
        token = request.POST["token"]
        data = read_stash(token) if self._owns(request, token) else None
        if data is None:
            problem = "Nie znaleziono przesłanego pliku (mógł już zostać zaimportowany). Prześlij go ponownie."
            return self.render_page(UploadForm(), problem=problem, status=400)
        # The database may have changed since the preview: validate again, from the file.
        preview = validate(parse_spreadsheet(data), self.meeting, request.user)
        if not preview.is_valid:
            self._forget(request, token)
            problem = "Od czasu podglądu dane spotkania się zmieniły i plik ma teraz błędy. Nic nie zapisano."
            return self.render_page(UploadForm(), preview=preview, problem=problem)
        try:
            result = import_postulates(
                preview,
                self.meeting,
                user=request.user,
                file_name=request.session.get(NAMES_SESSION_KEY, {}).get(token, ""),
            )
        except IntegrityError:
            # Someone saved a clashing postulate between validation and saving; nothing was kept.
            self._forget(request, token)
            problem = "W tej chwili ktoś inny zmienił postulaty tego spotkania. Nic nie zapisano – prześlij plik ponownie."
            return self.render_page(UploadForm(), problem=problem, status=409)
        self._forget(request, token)
        messages.success(request, self.success_message(result))
        return redirect(self.get_success_url())

    def success_message(self, result):
        return (
            f"Zaimportowano postulaty: {result.postulates_created}, stanowiska: "
            f"{result.positions_created}, nowe organizacje: {result.organisations_created}. "
            "Postulaty i stanowiska są szkicami – opublikuj je po sprawdzeniu."
        )

    def _remember(self, request, token, file_name):
        tokens = request.session.get(SESSION_KEY, {})
        tokens[token] = self.meeting.pk
        request.session[SESSION_KEY] = tokens
        names = request.session.get(NAMES_SESSION_KEY, {})
        # Only the name, on one line and not too long: it is shown in the history.
        names[token] = " ".join(file_name.replace("\\", "/").rsplit("/", 1)[-1].split())[:120]
        request.session[NAMES_SESSION_KEY] = names

    def _owns(self, request, token):
        return request.session.get(SESSION_KEY, {}).get(token) == self.meeting.pk

    def _forget(self, request, token):
        discard_stash(token)
        tokens = request.session.get(SESSION_KEY, {})
        if tokens.pop(token, None) is not None:
            request.session[SESSION_KEY] = tokens
        names = request.session.get(NAMES_SESSION_KEY, {})
        if names.pop(token, None) is not None:
            request.session[NAMES_SESSION_KEY] = names

    def render_page(self, form, preview=None, token="", problem="", status=200):
        context = {
            **self.admin_site.each_context(self.request),
            "title": "Import postulatów z arkusza",
            "subtitle": str(self.meeting),
            "opts": Meeting._meta,
            "meeting": self.meeting,
            "form": form,
            "preview": preview,
            "rows": [(row, preview_cells(row)) for row in preview.rows] if preview else [],
            "token": token,
            "problem": problem,
            "columns": COLUMNS,
            "areas": PublicTaskArea.objects.all(),
            "outcomes": Outcome.objects.all(),
            "departments": Department.objects.only("name", "abbreviation"),
            "template_download_url": self._template_download_url(),
            "xlsx_template_url": "{}?{}={}".format(
                self.request.path, *self.xlsx_template_parameter
            ),
            "meeting_url": self.get_success_url(),
        }
        return render(self.request, self.template_name, context, status=status)

    def _template_download_url(self):
        try:
            return reverse(self.template_download_url_name)
        except NoReverseMatch:
            return ""


class ImportTemplateView(View):
    """An empty sheet with the exact headers, as Polish Excel opens it: UTF-8 with BOM, ';'."""

    filename = "wzor-importu-postulatow.csv"

    def get(self, request, *args, **kwargs):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.filename}"'
        response.write("\ufeff")  # without the BOM Excel would read the file as Windows-1250
        csv.writer(response, delimiter=";", lineterminator="\r\n").writerow(TEMPLATE_HEADERS)
        return response
