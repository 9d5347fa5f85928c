import datetime

from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.absolute_urls import absolute_url
from core.streaming import csv_document
from core.structured_data import record_page
from core.views import BreadcrumbsMixin, asked_page
from history.cards import card_of, with_answers, with_departments, with_documents
from history.changes import day_start, described, entries
from history.forms import ChangeRegisterForm


class RecordCardMixin:
    """A detail page of a public record with its record card ("metryczka") and change
    register ("rejestr zmian") in the context as `record_history`, and the card's dates and
    authors in its JSON-LD."""

    # The schema.org type of the page.
    record_type = "WebPage"

    @cached_property
    def record_history(self):
        return card_of(self.object)

    def complete_history(self, context):
        """Adds to the record's card what the page shows with it (a postulate's answers) and
        the departments publishing it."""
        with_departments([self.record_history], [self.object])

    def render_to_response(self, context, **response_kwargs):
        # Here, once the page's own get_context_data() has run: the history may take in what
        # the page lists with the record (a postulate's answers).
        context["record_history"] = self.record_history
        self.complete_history(context)
        context["structured_data"] = [
            *context.get("structured_data", []),
            *filter(None, [self.card_data()]),
        ]
        return super().render_to_response(context, **response_kwargs)

    def card_data(self):
        found = self.record_history
        return record_page(
            self.request,
            kind=self.record_type,
            name=str(getattr(self.object, "title", "") or self.object),
            published=found.first_published,
            modified=found.last_changed,
            departments=found.departments,
            prepared_by=getattr(self.object, "prepared_by", ""),
            created=found.created,
            entered_by=found.entered_by,
        )


class PostulateCardMixin(RecordCardMixin):
    """A postulate's card, its register holding its answers' changes too (`positions` in the
    context, as the page lists them)."""

    def complete_history(self, context):
        super().complete_history(context)
        with_answers(self.record_history, context["positions"])


class WithDocumentsCardMixin(RecordCardMixin):
    """A meeting's or a round's card: its documents are part of its page, so adding one is a
    change of that page (`documents` as the page lists them, public ones)."""

    def complete_history(self, context):
        super().complete_history(context)
        with_documents(self.record_history, self.object.documents.all())


class DepartmentCardMixin(RecordCardMixin):
    """A department's (unit's) card: the department publishes its own page."""

    def complete_history(self, context):
        self.record_history.departments = [self.object]


class ChangeRegisterMixin:
    """The site-wide register's period and department from the URL (history.forms), and its
    rows; an invalid filter answers 400 with the form's messages."""

    def read_filters(self, request):
        self.form = ChangeRegisterForm(request.GET or None)
        if self.form.is_bound and not self.form.is_valid():
            return None
        cleaned = self.form.cleaned_data if self.form.is_bound else self._defaults()
        first, last = cleaned["first_day"], cleaned["last_day"]
        self.first_day, self.last_day = first, last
        department = cleaned.get("wydzial")
        self.department = department
        return entries(day_start(first), day_start(last + datetime.timedelta(days=1)), department)

    def _defaults(self):
        form = ChangeRegisterForm({})
        form.is_valid()
        return form.cleaned_data


class ChangeRegisterView(ChangeRegisterMixin, BreadcrumbsMixin, TemplateView):
    """Every change of published material in a period: /rejestr-zmian/."""

    template_name = "history/change_register.html"
    per_page = 100

    def get(self, request, *args, **kwargs):
        found = self.read_filters(request)
        valid = found is not None
        page = Paginator(found if valid else [], self.per_page).get_page(asked_page(request))
        # Only the page's rows are read whole, with their records and signatures.
        page.object_list = described(page.object_list)
        context = self.get_context_data(
            form=self.form,
            filter=self,
            invalid_filters=not valid,
            page_obj=page,
            query=self._query_without_page(request),
        )
        return self.render_to_response(context, status=200 if valid else 400)

    def _query_without_page(self, request):
        query = request.GET.copy()
        query.pop("page", None)
        return query.urlencode()

    def get_breadcrumbs(self):
        return [(_("Rejestr zmian"), None)]


class ChangeRegisterCSV(ChangeRegisterMixin, View):
    """The same changes as CSV, for a spreadsheet."""

    def get(self, request):
        found = self.read_filters(request)
        if found is None:
            errors = "; ".join(" ".join(e) for e in self.form.errors.values())
            return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")
        response = HttpResponse(
            "".join(csv_document(CSV_COLUMNS, described(found))),
            content_type="text/csv; charset=utf-8",
        )
        name = f"rejestr-zmian-{self.first_day:%Y-%m-%d}-{self.last_day:%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


def _withdrawn_address(change):
    """Where a record withdrawn since was: marked so, as the address no longer answers."""
    if not change.stored_url:
        return ""
    return _("%(url)s (obecnie niepubliczny)") % {"url": absolute_url(change.stored_url)}


CSV_COLUMNS = [
    ("data", lambda c: timezone.localtime(c.entry.at).isoformat()),
    ("rodzaj_wpisu", lambda c: c.kind_of_record),
    ("tytul", lambda c: c.title),
    # Absolute, as in every file that leaves the site (core.absolute_urls).
    ("adres", lambda c: absolute_url(c.url) if c.url else _withdrawn_address(c)),
    ("zmiana", lambda c: str(c.entry.kind_label)),
    ("zmienione_pola", lambda c: c.entry.fields),
    ("wprowadzil", lambda c: str(c.entry.signature)),
]
