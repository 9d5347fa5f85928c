from collections import defaultdict

from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.views import BreadcrumbsMixin, note_past_the_end
from departments.models import Department
from search.engine import COUNT_LIMIT, Criteria, search
from search.forms import SearchForm
from search.hits import hit_for
from search.kinds import KINDS, NAME_AND_STATE
from search.query import read_query
from search.suggestions import suggestion

RESULTS_PER_PAGE = 20


def hydrate(page):
    """The records behind a page's (kind, pk) pairs, in the page's order."""
    wanted = defaultdict(list)
    for kind, pk in page:
        wanted[kind].append(pk)
    loaded = {}
    for kind, pks in wanted.items():
        kind_of = KINDS[kind]
        for record in kind_of.load_hits(kind_of.model.objects.filter(pk__in=pks)):
            loaded[kind, record.pk] = record
    # The departments of meetings found and of documents' meetings, in one query.
    meetings = [
        record if kind == "spotkania" else record.meeting
        for (kind, _pk), record in loaded.items()
        if kind == "spotkania" or (kind == "dokumenty" and record.meeting_id)
    ]
    # Built here, not at import: "published" depends on the moment.
    public_departments = Department.objects.published().only(*NAME_AND_STATE)
    prefetch_related_objects(meetings, Prefetch("departments", queryset=public_departments))
    return [(kind, loaded[kind, pk]) for kind, pk in page if (kind, pk) in loaded]


class _PageOfResults:
    """Stands for all matches where only one page of them was read, so Django's Paginator
    numbers the pages as on every other list."""

    def __init__(self, results):
        self.results = results

    def count(self):
        return self.results.total

    def __getitem__(self, window):
        return self.results.page  # Paginator.page() asks for exactly the page that was read


def requested_page(request, kinds):
    """?page= as a number from 1 to the most pages `kinds` can fill; anything else is 1 (a
    number past the last page gives the last, which says so, as on every list)."""
    try:
        number = int(request.GET.get("page", 1))
    except (TypeError, ValueError):
        return 1
    most = -(-len(kinds) * COUNT_LIMIT // RESULTS_PER_PAGE)
    return min(max(number, 1), most)


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
        data = form.cleaned_data
        read = read_query(
            data["q"], year=data["rok"].year if data["rok"] else None, department=data["wydzial"]
        )
        terms = [term for term, _word in read.words]
        if data["q"].strip() and not terms and not read.recognised:
            context["too_short"] = True
            return self.render_to_response(context)
        kind = data["typ"]
        criteria = Criteria(
            terms=terms,
            kinds=[kind] if kind else list(KINDS),
            year=data["rok"].year if data["rok"] else read.year,
            department=data["wydzial"] or read.department,
            programme=read.programme,
            answers=form.answers(),
            words=read.words,
        )
        number = requested_page(request, criteria.kinds)
        results = search(criteria, (number - 1) * RESULTS_PER_PAGE, RESULTS_PER_PAGE)
        paginator = Paginator(_PageOfResults(results), RESULTS_PER_PAGE)
        if number > paginator.num_pages:  # past the last page: the last, as lists do
            number = paginator.num_pages
            results = search(criteria, (number - 1) * RESULTS_PER_PAGE, RESULTS_PER_PAGE)
            paginator = Paginator(_PageOfResults(results), RESULTS_PER_PAGE)
        page = note_past_the_end(request, paginator.page(number))
        if not results.total and terms:
            context["suggestion"] = suggestion(data["q"], read.words)
        context.update(
            searched=True,
            recognised=read.recognised,
            terms=terms,
            page_obj=page,
            hits=[hit_for(kind, record, terms) for kind, record in hydrate(results.page)],
            # Only the kinds that found something: on a phone, seven "…: 0" pushed the first
            # result down a screen.
            counts=[
                (KINDS[key], count, key in results.capped)
                for key, count in results.counts.items()
                if count
            ],
            total=results.total,
            capped=bool(results.capped),
            count_limit=COUNT_LIMIT,
        )
        return self.render_to_response(context)

    def get_breadcrumbs(self):
        return [(_("Szukaj"), None)]
