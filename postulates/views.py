from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from core.polish import PolishText
from core.views import (
    BreadcrumbsMixin,
    DraftPreviewMixin,
    FilteredListMixin,
    chosen_filters,
    paginate,
)
from history.views import PostulateCardMixin
from meetings.models import year_label, year_url
from pagecache.generation import current_generation
from postulates.filters import CommitmentFilter, PostulateFilter, kept_key
from postulates.models import STALE_PENDING_DAYS, CommitmentState, Postulate
from postulates.selectors import (
    commitment_counts,
    postulate_thread,
    public_commitments,
    public_postulates,
    timeline,
    with_history_marker,
)
from stats.snapshot import (
    KEPT_FILTERS,
    current_commitment_order,
    current_filtered_order,
    current_list_order,
)

POSTULATES_PER_PAGE = 50
COMMITMENTS_PER_PAGE = 50


def postulate_list_url(**filters):
    return f"{reverse('postulates:list')}?{urlencode(filters)}"


class PostulateListSource:
    """What the postulate list shows before its filters, and the filters themselves: one
    definition for the page and for its CSV and JSON exports (opendata)."""

    filterset_class = PostulateFilter

    def base_queryset(self):
        return public_postulates()


def kept_order(filterset, at):
    """The kept order the postulate list filtered by `filterset` is, or None: it is sorted
    and counted live. Filtered only by kept filters, it is their kept lists (their common
    postulates, for several)."""
    if filterset.is_bound and not filterset.is_valid():
        return None
    chosen = chosen_filters(filterset)
    if not chosen:
        return current_list_order(at)
    if not set(chosen) <= set(KEPT_FILTERS):
        return None
    return current_filtered_order(
        at, *((name, kept_key(name, value)) for name, value in chosen.items())
    )


def postulate_list_count(**filters):
    """How many postulates the public list shows filtered by `filters` (its URL's
    parameters): the number a page that links to the list must show, so the two agree. From
    the kept lists when they are current, else counted as the list counts them."""
    filterset = PostulateFilter(filters, queryset=public_postulates())
    order = kept_order(filterset, timezone.now())
    return filterset.qs.count() if order is None else order.count


class PostulateListView(PostulateListSource, FilteredListMixin, BreadcrumbsMixin, ListView):
    context_object_name = "postulates"
    per_page = POSTULATES_PER_PAGE

    def base_queryset(self):
        return with_history_marker(super().base_queryset())

    def paginate(self, object_list):
        """Unfiltered, or filtered only by filters whose lists are kept (a year, a department,
        an organisation, a programme, an outcome, a follow-up, a history), the list's order and length are
        read from those kept for the current content generation when they are built
        (stats.snapshot): sorting and counting every published postulate took about a second
        at 100,000 postulates, for any page; finding a year's or a department's 300-600 ms,
        an outcome's, a follow-up's or a history's 2-4 s under load. The page's rows are then
        read by their ids from the unfiltered list: the kept keys are the filters' rows, and
        their conditions asked again of fifty rows made the database work them out for all."""
        order = self.kept_order(timezone.now())
        if order is None:
            return super().paginate(object_list)
        return paginate(
            self.request,
            self.filterset.queryset,
            self.per_page,
            count=order.count,
            keys=order.keys,
        )

    def kept_order(self, at):
        return kept_order(self.filterset, at)

    def get_breadcrumbs(self):
        return [(_("Postulaty"), None)]


class CommitmentListSource:
    """The commitments list's records and filters, for the page and its exports (opendata)."""

    filterset_class = CommitmentFilter

    def base_queryset(self):
        return public_commitments()


class CommitmentListView(CommitmentListSource, FilteredListMixin, BreadcrumbsMixin, ListView):
    """What the city committed to in its current answers, and where each commitment stands
    today: due, overdue, fulfilled or open-ended."""

    context_object_name = "commitments"
    template_name = "postulates/commitment_list.html"
    per_page = COMMITMENTS_PER_PAGE
    extra_context = {"stale_pending_days": STALE_PENDING_DAYS}

    def paginate(self, object_list):
        """The page, its count taken from the counts per state (one grouped query, kept until
        the archive changes or the day ends: counting every current answer's commitments took
        0.3 s at 100,000 postulates, each time the list was shown). Unfiltered but by state,
        the order and the counts are read from those kept for the current content generation
        when they are built (stats.snapshot): sorting every current answer took as long."""
        self.state_counts, self.chosen = {}, {}
        if self.filterset.is_bound:
            if not self.filterset.is_valid():
                return super().paginate(object_list)
            self.chosen = self.filterset.form.cleaned_data
        state = self.chosen.get("stan")
        narrowed = any(
            value not in (None, "") for name, value in self.chosen.items() if name != "stan"
        )
        order = None if narrowed else current_commitment_order(timezone.now())
        keys = None
        if order is None:
            self.state_counts = self.counts_by_state()
        else:
            self.state_counts, keys = order.counts(), order.keys(state)
        count = self.state_counts.get(state, 0) if state else sum(self.state_counts.values())
        return paginate(self.request, object_list, self.per_page, count=count, keys=keys)

    def counts_by_state(self):
        """{state: commitments} under the chosen filters but the state's own."""
        filters = {
            name: value
            for name, value in self.chosen.items()
            if name != "stan" and value not in (None, "")
        }
        data = {name: self.request.GET[name] for name in filters}

        def counted():
            return commitment_counts(
                self.filterset_class(data or None, queryset=self.base_queryset()).qs
            )

        # Kept as the page cache keeps pages: for the content's generation, which every change
        # and the end of the day (when commitments fall overdue) replaces.
        if not settings.PAGE_CACHE_ENABLED:
            return counted()
        generation = current_generation()
        described = "&".join(f"{name}={value.pk}" for name, value in sorted(filters.items()))
        key = f"commitment-counts:{generation.token}:{described}"
        counts = cache.get(key)
        if counts is None:
            counts = counted()
            seconds = (generation.valid_until - timezone.now()).total_seconds()
            cache.set(key, counts, timeout=max(1, int(seconds)))
        return counts

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chosen = self.chosen.get("stan")
        context["states"] = [
            (state, self.state_counts.get(state.value, 0), state.value == chosen)
            for state in CommitmentState
        ]
        # Named in the heading: an organisation's page links here for its commitments.
        context["organisation"] = self.chosen.get("organizacja")
        return context

    def get_breadcrumbs(self):
        return [(_("Postulaty"), reverse("postulates:list")), (_("Zobowiązania Miasta"), None)]


class PostulateDetailView(PostulateCardMixin, DraftPreviewMixin, BreadcrumbsMixin, DetailView):
    """A postulate, the city's answers to it with their earlier versions, and its timeline:
    every postulate linked to it across the years."""

    context_object_name = "postulate"

    def get_queryset(self):
        # Its answers come with the timeline, which includes the postulate itself.
        return Postulate.objects.for_preview(self.preview_for).select_related(
            "organisation", "area", "responsible_department", "programme", "meeting", "round"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        thread = postulate_thread(self.object, self.preview_for)
        this = next(postulate for postulate in thread if postulate.pk == self.object.pk)
        context["positions"] = this.positions.all()
        context["timeline"] = timeline(thread) if len(thread) > 1 else []
        context["stale_pending_days"] = STALE_PENDING_DAYS
        return context

    def get_breadcrumbs(self):
        postulate = self.object
        source = postulate.raised_at
        return [
            (year_label(source.year_id), year_url(source.year_id)),
            (PolishText(source.title), source.get_absolute_url()),
            (_("Postulat nr %(number)s") % {"number": postulate.number}, None),
        ]
