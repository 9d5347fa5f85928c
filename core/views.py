"""View helpers shared by every public page."""

from django.conf import settings
from django.contrib import admin
from django.http import Http404, QueryDict

from core.pagination import KeysFirstPaginator
from core.structured_data import breadcrumb_list

# The page number of every paginated list, in its URL.
PAGE_PARAMETER = "page"
# Added to shared links by social networks, newsletters and ads: they mean nothing to a list,
# so a page ignores them without a word (any other unknown parameter is named to the reader).
TRACKING_PREFIXES = ("utm_",)
TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "igshid", "mc_cid", "mc_eid"}
)


def list_parameters(filterset_class):
    """What a list's address may hold: its FilterSet's filters and the page number (which its
    CSV/JSON downloads ignore: they hold every page). The page and its downloads read this
    one definition; the API reads the same FilterSet's filters."""
    return frozenset({*filterset_class.base_filters, PAGE_PARAMETER})


def unknown_parameters(query, known):
    return sorted(name for name in query if name not in known)


def is_tracking(name):
    return name.startswith(TRACKING_PREFIXES) or name in TRACKING_PARAMETERS


def filters_query(query, filterset_class):
    """`?...` with only the filters of `query` (no page number, nothing unknown), for links to
    the same list's downloads; '' without any."""
    kept = QueryDict(mutable=True)
    for name, values in query.lists():
        if name in filterset_class.base_filters:
            kept.setlist(name, values)
    return f"?{kept.urlencode()}" if kept else ""


def parameter_values(form):
    """The address's form of each filter a valid form read: the field's own value written
    back by the field (" 2025" and "２０２５" both name the year 2025, which the list reads
    from either), so one choice of filters has one address."""
    return [
        (name, form.fields[name].prepare_value(value))
        for name, value in form.cleaned_data.items()
        if value not in (None, "", [], ())
    ]


class BreadcrumbsMixin:
    """Puts `breadcrumbs`, a list of (label, url) after the home page, into the context, and
    the same trail as schema.org BreadcrumbList for search engines."""

    def get_breadcrumbs(self):
        return []

    def get_structured_data(self):
        """schema.org objects describing the page, besides its breadcrumbs."""
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = self.get_breadcrumbs()
        context["structured_data"] = [
            breadcrumb_list(self.request, context["breadcrumbs"]),
            *filter(None, self.get_structured_data()),
        ]
        return context


class DraftPreviewMixin:
    """Staff who may edit a record can open it on its public URL before it is public, under a
    preview banner and with its draft parts marked; for everyone else it does not exist.

    The view's get_queryset() reads `preview_for`: None while the public lookup runs, the
    staff user once it has failed and the preview is allowed (pass it to for_preview())."""

    preview_for = None

    @property
    def preview(self):
        return self.preview_for is not None

    def may_preview(self):
        # Exactly the admin's entry rule (active staff, second factor confirmed), read from the
        # admin site itself: a password-only session sees no more than the public.
        if not admin.site.has_permission(self.request):
            return False
        opts = self.get_queryset().model._meta
        return self.request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}")

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            if not self.may_preview():
                raise
            self.preview_for = self.request.user
            return super().get_object()

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=self.preview, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.preview:
            # A preview must never be cached or indexed, anywhere.
            response["Cache-Control"] = "private, no-store"
            response["X-Robots-Tag"] = "noindex"
        return response


class FilteredListMixin:
    """A list narrowed by a django-filter FilterSet from the URL. Invalid filter values answer
    400 with the form's messages, never a 500 and never a silently broader list; a parameter
    the list does not read (?organizacia=, a typo) is named on the page, which shows the list
    as if it were absent."""

    filterset_class = None
    per_page = 50

    def get(self, request, *args, **kwargs):
        self.filterset = self.filterset_class(
            request.GET or None, queryset=self.base_queryset(), request=request
        )
        valid = not self.filterset.is_bound or self.filterset.is_valid()
        self.object_list = self.filterset.qs if valid else self.filterset.queryset.none()
        page_obj = self.paginate(self.object_list)
        limit = settings.EXPORT_REQUEST_MAX_RECORDS
        context = self.get_context_data(
            filter=self.filterset,
            page_obj=page_obj,
            invalid_filters=not valid,
            # The list's filtered download would be refused (opendata.builds): the page offers
            # the full file instead of a link that ends in an error.
            too_many_to_download=valid
            and applies_filters(self.filterset)
            and page_obj.paginator.count > limit,
            download_limit=limit,
            ignored_parameters=[
                name
                for name in unknown_parameters(request.GET, list_parameters(self.filterset_class))
                if not is_tracking(name)
            ],
            filters_query=filters_query(request.GET, self.filterset_class),
        )
        return self.render_to_response(context, status=200 if valid else 400)

    def paginate(self, object_list):
        return paginate(self.request, object_list, self.per_page)


def applies_filters(filterset):
    """Whether the request narrows or reorders the list (a page number or empty fields do not)."""
    return bool(chosen_filters(filterset))


def chosen_filters(filterset):
    """{name: value} of the filters the request narrows or reorders the list by (a page number
    or empty fields are none)."""
    if not filterset.is_bound:
        return {}
    return {
        name: value
        for name, value in filterset.form.cleaned_data.items()
        if value not in (None, "", [], ())
    }


def paginate(request, queryset, per_page, count=None, keys=None):
    """A page of `queryset`; a missing, malformed or too large ?page= gives a valid page
    (a too large one the last, which says so: note_past_the_end). `count`, when the caller
    knows it, spares the paginator counting the rows again; `keys`, where the caller keeps the
    order, sorting them (KeysFirstPaginator)."""
    paginator = KeysFirstPaginator(queryset, per_page, keys=keys)
    if count is not None:
        paginator.count = count
    return note_past_the_end(request, paginator.get_page(asked_page(request)))


def asked_page(request):
    """?page= as Paginator.get_page should read it: a number below 1 is the first page, which
    get_page would answer with the last; anything else as given (get_page makes what is not
    a number the first page, and one past the end the last)."""
    value = request.GET.get(PAGE_PARAMETER)
    try:
        return 1 if int(value) < 1 else value
    except (TypeError, ValueError):
        return value


def note_past_the_end(request, page):
    """`page` with `past_the_end`: the page number asked for when it is beyond the last page
    (and `page` is the last), else None; includes/pagination.html tells the reader, rather
    than show the last page as if it were the one asked for."""
    try:
        asked = int(request.GET.get(PAGE_PARAMETER, ""))
    except ValueError:
        asked = None
    page.past_the_end = asked if asked is not None and asked > page.number else None
    return page
