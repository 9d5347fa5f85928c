from collections import defaultdict

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from departments.models import Department
from krakow_ngo.views import BreadcrumbsMixin, paginate
from search.engine import COUNT_LIMIT, KINDS, Criteria, Results
from search.forms import SearchForm
from search.hits import hit_for
from search.text import query_terms

RESULTS_PER_PAGE = 20


def hydrate(rows):
    """The records behind (kind, pk, rank, day) rows, in the rows' order."""
    wanted = defaultdict(list)
    for kind, pk, _rank, _day in rows:
        wanted[kind].append(pk)
    loaded = {}
    for kind, pks in wanted.items():
        for record in LOADERS[kind](KINDS[kind].model.objects.filter(pk__in=pks)):
            loaded[kind, record.pk] = record
    return [(kind, loaded[kind, pk]) for kind, pk, _rank, _day in rows if (kind, pk) in loaded]


PUBLIC_DEPARTMENTS = Department.objects.published()
LOADERS = {
    "spotkania": lambda qs: qs.prefetch_related(
        "dates", Prefetch("departments", queryset=PUBLIC_DEPARTMENTS)
    ),
    "dokumenty": lambda qs: qs.select_related("meeting", "round__coordinator").prefetch_related(
        Prefetch("meeting__departments", queryset=PUBLIC_DEPARTMENTS)
    ),
    "postulaty": lambda qs: qs.select_related(
        "meeting", "round", "organisation", "responsible_department"
    ),
    "stanowiska": lambda qs: qs.select_related(
        "outcome", "department", "postulate__meeting", "postulate__round"
    ),
    "organizacje": lambda qs: qs,
}


class SearchView(BreadcrumbsMixin, TemplateView):
    template_name = "search/results.html"

    def get(self, request, *args, **kwargs):
        form = SearchForm(request.GET or None)
        context = self.get_context_data(form=form)
        if not form.is_bound:
            return self.render_to_response(context)
        if not form.is_valid():
            # Bad input gets a clear message and a 400, never a 500 or a silent guess.
            return self.render_to_response(context, status=400)
        if form.is_empty():
            return self.render_to_response(context)
        terms = query_terms(form.cleaned_data["q"])
        if form.cleaned_data["q"].strip() and not terms:
            context["too_short"] = True
            return self.render_to_response(context)
        kind = form.cleaned_data["typ"]
        criteria = Criteria(
            terms=terms,
            kinds=[kind] if kind else list(KINDS),
            year=form.cleaned_data["rok"].year if form.cleaned_data["rok"] else None,
            department=form.cleaned_data["wydzial"],
        )
        results = Results(criteria)
        page = paginate(request, results, RESULTS_PER_PAGE)
        context.update(
            searched=True,
            terms=terms,
            page_obj=page,
            hits=[hit_for(kind, record, terms) for kind, record in hydrate(page.object_list)],
            counts=[
                (KINDS[key], count, key in results.capped) for key, count in results.counts.items()
            ],
            total=results.count(),
            capped=bool(results.capped),
            count_limit=COUNT_LIMIT,
        )
        return self.render_to_response(context)

    def get_breadcrumbs(self):
        return [(_("Szukaj"), None)]
