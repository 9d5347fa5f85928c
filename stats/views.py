import hashlib

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.views import BreadcrumbsMixin, is_tracking, unknown_parameters
from opendata.builds import over_export_limit
from opendata.lists import invalid_filters_response, unknown_parameters_response
from postulates.views import postulate_list_url
from stats.charts import legend, outcome_chart
from stats.dimensions import DIMENSIONS, OVERVIEW, Vocabularies, list_filters, statistics_url
from stats.exports import csv_filename, statistics_csv
from stats.forms import StatisticsFilterForm
from stats.selectors import breakdown
from stats.tallies import outcome_categories


class StatisticsSource:
    """The dimension from the URL, the filters from the query string, and the numbers: one
    definition for the page and its CSV file."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # The URL converters accept only known dimensions.
        self.dimension = dimension = DIMENSIONS[kwargs.get("dimension", OVERVIEW.slug)]
        # One moment for every "published" in the request, so all numbers agree.
        self.vocabularies = Vocabularies(timezone.now())
        params = request.GET
        bound = any(name in params for name in StatisticsFilterForm.base_fields)
        self.form = StatisticsFilterForm(
            params if bound else None,
            vocabularies=self.vocabularies,
            without=dimension.filter_name,
        )
        self.valid = not bound or self.form.is_valid()

    def get_breakdown(self):
        filters = self.form.filters() if self.form.is_bound else {}
        return breakdown(self.dimension, self.vocabularies, filters)

    def filters_for(self, dimension):
        """The chosen filters that `dimension`'s page also offers, to keep them when moving
        between dimensions: from one department's years to its areas, say."""
        if not (self.form.is_bound and self.valid):
            return {}
        return {
            name: self.request.GET[name]
            for name in self.form.fields
            if name != dimension.filter_name and self.request.GET.get(name)
        }

    @property
    def filters_described(self):
        return self.form.described() if self.form.is_bound and self.valid else ""


class StatisticsView(StatisticsSource, BreadcrumbsMixin, TemplateView):
    template_name = "stats/statistics.html"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context, status=200 if self.valid else 400)

    def get_breadcrumbs(self):
        if self.dimension == OVERVIEW:
            return [(_("Statystyki"), None)]
        return [(_("Statystyki"), reverse("stats:overview")), (self.dimension.title, None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        title, by = str(self.dimension.title), str(self.dimension.by)
        if self.filters_described:
            title = f"{title}: {self.filters_described}"
            by = f"{by} ({self.filters_described})"
        context.update(
            dimension=self.dimension,
            dimension_links=[
                (
                    _("Lata") if item == OVERVIEW else capfirst(item.plural),
                    statistics_url(item, **self.filters_for(item)),
                    item == self.dimension,
                )
                for item in DIMENSIONS.values()
            ],
            overview=OVERVIEW,
            title=title,
            # What the chart and the tables show: "według wydziałów (2025)".
            subject=by,
            filter={"form": self.form},
            invalid_filters=not self.valid,
            categories=outcome_categories(),
            csv_url=reverse("stats_files:csv", kwargs={"dimension": self.dimension.slug}),
            # A filter this page does not offer (?rok= on the page by years) is named, as the
            # lists name theirs; its CSV refuses it.
            ignored_parameters=[
                name
                for name in unknown_parameters(self.request.GET, self.form.fields)
                if not is_tracking(name)
            ],
        )
        if self.valid:
            numbers = self.get_breakdown()
            self.link_to_lists(numbers)
            context["breakdown"] = numbers
            if numbers.groups:
                context["chart"] = outcome_chart(
                    f"wykres-{self.dimension.slug}", numbers, context["subject"]
                )
                context["legend"] = legend()
        return context

    def link_to_lists(self, numbers):
        """Each count links to the postulate list showing those postulates, so a reader can
        check it and see them."""
        chosen = self.form.list_filters() if self.form.is_bound else {}
        rows = [(numbers, numbers.total, {})]
        for group in numbers.groups:
            filters = None
            if group.key is not None:
                filters = list_filters(self.dimension, group.key, self.vocabularies)
            rows.append((group, group.tally, filters))
        for row, tally, filters in rows:
            if filters is None:  # a group no list shows as counted here
                row.linked_shares = [(share, "") for share in tally.shares()]
                continue
            row.list_url = postulate_list_url(**chosen, **filters)
            # Each outcome's count too: the list of the postulates whose current answer has
            # that outcome, or which have none.
            row.linked_shares = [
                (share, postulate_list_url(**chosen, **filters, odpowiedz=share.category.value))
                for share in tally.shares()
            ]


class StatisticsCsvView(StatisticsSource, View):
    def get(self, request, *args, **kwargs):
        if unknown := unknown_parameters(request.GET, self.form.fields):
            return unknown_parameters_response(unknown, self.form.fields, "statystyk")
        if not self.valid:
            return invalid_filters_response(self.form, "statystyk")
        # A filtered file is counted like the lists' filtered files: each is computed now.
        if self.form.is_bound and (
            refused := over_export_limit(request, (("Pełny plik bez filtrów", request.path),))
        ):
            return refused
        response = HttpResponse(self.content(), content_type="text/csv; charset=utf-8")
        filename = csv_filename(self.dimension, self.form)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        # The pages are what search engines index; the files are for people and programs.
        response["X-Robots-Tag"] = "noindex"
        return response

    def content(self):
        return statistics_csv(self.get_breakdown()).encode()


class StatisticsChecksumView(StatisticsCsvView):
    """The whole (unfiltered) file's SHA-256 at its address + ".sha256", in sha256sum's
    format, like the other whole files of the archive (opendata.builds.checksum_response)."""

    def get(self, request, *args, **kwargs):
        if unknown := unknown_parameters(request.GET, ()):
            return unknown_parameters_response(unknown, (), "sumy kontrolnej")
        digest = hashlib.sha256(self.content()).hexdigest()
        return HttpResponse(
            f"{digest}  {csv_filename(self.dimension, self.form)}\n",
            content_type="text/plain; charset=utf-8",
        )
