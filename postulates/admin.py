from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.admin import (
    PREPARED_BY_FIELDSET,
    ArchiveAdmin,
    KeysFirstPaginator,
    PlainTextMixin,
    PublishableAdmin,
    RelatedInListFilter,
    ScopedChoicesMixin,
    ScopedInlineMixin,
    admin_search_words,
    is_changelist,
)
from core.scoping import editable_department_ids, may_change, scope_queryset
from core.text import shorten
from meetings.models import Meeting
from organisations.models import Organisation
from postulates.forms import PostulateAdminForm, PostulateLinkForm
from postulates.models import (
    COMMITMENT_DUE_SOON_DAYS,
    COMMITMENT_FIELDS,
    Outcome,
    Position,
    PositionRevision,
    Postulate,
    PostulateLink,
    PublicTaskArea,
    commitment_overdue_condition,
)


class PartOfParentPermissionsMixin:
    """An inline record that is part of its parent is edited by whoever may change the
    parent (`obj`): the editors' group needs no permissions of its own for it."""

    def _may(self, request, action, parent=None):
        opts = self.parent_model._meta
        return request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}") and (
            action == "view" or parent is None or may_change(request.user, parent)
        )

    def has_view_permission(self, request, obj=None):
        return self._may(request, "view")

    def has_add_permission(self, request, obj=None):
        return self._may(request, "change", obj)

    def has_change_permission(self, request, obj=None):
        return self._may(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self._may(request, "change", obj)


@admin.register(PublicTaskArea)
class PublicTaskAreaAdmin(ArchiveAdmin):
    list_display = ("name", "name_en", "order")
    list_editable = ("order",)
    search_fields = ("name", "name_en")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Outcome)
class OutcomeAdmin(ArchiveAdmin):
    list_display = ("name", "name_en", "category", "order")
    list_editable = ("order",)
    list_filter = ("category",)
    search_fields = ("name", "name_en")
    prepopulated_fields = {"slug": ("name",)}


POSITION_INLINE_FIELDS = (
    "outcome",
    "justification",
    "department",
    "answered_on",
    "document",
    *COMMITMENT_FIELDS,
    "status",
    "published_at",
    "prepared_by",
)


class PositionInline(PlainTextMixin, ScopedInlineMixin, admin.StackedInline):
    """The answers the editor may change: their departments' (Position.owner_paths)."""

    view_on_site = False  # no page of its own: the parent's link is above
    model = Position
    extra = 0
    autocomplete_fields = ("department", "document")
    fields = POSITION_INLINE_FIELDS


class OtherDepartmentsPositionInline(admin.StackedInline):
    """On a joint meeting's postulate, the answers other departments gave: shown to the
    editor for context, changed only by their own department."""

    view_on_site = False  # no page of its own: the parent's link is above
    model = Position
    extra = 0
    fields = POSITION_INLINE_FIELDS
    readonly_fields = fields
    can_delete = False
    verbose_name = _("stanowisko innego wydziału")
    verbose_name_plural = _("stanowiska innych wydziałów (tylko do odczytu)")

    def get_queryset(self, request):
        # Not super()'s: it asks has_view_permission without a postulate, which is False here.
        queryset = Position.objects.all()
        return queryset.exclude(pk__in=scope_queryset(queryset, request.user).values("pk"))

    def has_view_permission(self, request, obj=None):
        # Shown only where there is something to show: a coordinator changes every answer in
        # the inline above, and a new postulate has no answers yet.
        if obj is None or editable_department_ids(request.user) is None:
            return False
        return (
            super().has_view_permission(request, obj)
            and self.get_queryset(request).filter(postulate=obj).exists()
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PostulateLinkInline(
    PlainTextMixin, ScopedChoicesMixin, PartOfParentPermissionsMixin, admin.TabularInline
):
    """Links from this postulate to postulates of other meetings or years: they make up the
    timeline shown on each of their public pages."""

    view_on_site = False  # no page of its own: the parent's link is above
    model = PostulateLink
    form = PostulateLinkForm
    fk_name = "from_postulate"
    extra = 0
    autocomplete_fields = ("to_postulate",)
    fields = ("kind", "to_postulate", "note")
    verbose_name = _("powiązanie z innym postulatem")
    verbose_name_plural = _("powiązania z innymi postulatami (historia postulatu)")


class PositionRevisionInline(PlainTextMixin, PartOfParentPermissionsMixin, admin.TabularInline):
    """Earlier public versions, written automatically and never edited: the record of what
    the public read before."""

    view_on_site = False  # no page of its own: the parent's link is above
    model = PositionRevision
    extra = 0
    fields = ("valid_from", "valid_to", "outcome", "answered_on", "justification", "commitment")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AnsweredFilter(admin.SimpleListFilter):
    title = _("odpowiedź")
    parameter_name = "odpowiedz"

    def lookups(self, request, model_admin):
        return [("bez", _("bez odpowiedzi")), ("jest", _("z odpowiedzią"))]

    def queryset(self, request, queryset):
        answered = Exists(Position.objects.filter(postulate=OuterRef("pk")))
        if self.value() == "bez":
            return queryset.filter(~answered)
        if self.value() == "jest":
            return queryset.filter(answered)
        return queryset


class CommitmentFilter(admin.SimpleListFilter):
    title = _("zobowiązanie")
    parameter_name = "zobowiazanie"
    DUE_SOON = "do-terminu"
    OVERDUE = "po-terminie"
    FULFILLED = "wykonane"

    def lookups(self, request, model_admin):
        return [
            (
                self.DUE_SOON,
                _("do wykonania: po terminie lub w ciągu %(days)d dni")
                % {"days": COMMITMENT_DUE_SOON_DAYS},
            ),
            (self.OVERDUE, _("po terminie")),
            (self.FULFILLED, _("wykonane")),
        ]

    def queryset(self, request, queryset):
        if self.value() == self.DUE_SOON:
            return queryset.commitments_due_soon()
        if self.value() == self.OVERDUE:
            return queryset.filter(commitment_overdue_condition())
        if self.value() == self.FULFILLED:
            return queryset.exclude(commitment="").filter(commitment_fulfilled_on__isnull=False)
        return queryset


# Keys read first up to this many: past it (a word of one letter) a subquery, as a list that
# long would pass SQLite's limit of a statement's parameters.
SEARCH_KEYS_LISTED = 1000


def keys_or_subquery(model, **lookups):
    """The keys of `model`'s records matching `lookups`, read first: a list of keys joins the
    postulates' text indexes in one bitmap, where a subquery is checked row by row."""
    matching = model._default_manager.filter(**lookups).values_list("pk", flat=True)
    keys = list(matching[: SEARCH_KEYS_LISTED + 1])
    return keys if len(keys) <= SEARCH_KEYS_LISTED else matching


# Longer runs of digits are no postulate's number (and would overflow the database's integer).
MAX_ID_DIGITS = 9


@admin.register(Postulate)
class PostulateAdmin(PublishableAdmin):
    list_display = (
        "number",
        "short_content",
        "meeting",
        "responsible_department",
        "is_answered",
        "publication_state",
    )
    list_filter = (
        "status",
        AnsweredFilter,
        ("responsible_department", RelatedInListFilter),
        "area",
        "programme",
    )
    search_fields = ("content", "organisation__name", "meeting__title")
    autocomplete_fields = (
        "meeting",
        "round",
        "source_document",
        "organisation",
        "responsible_department",
        "programme",
    )
    list_select_related = ("meeting", "responsible_department")
    # The newest entered first (the admin's usual order), read off the primary key's index:
    # the model's order (by each meeting's year and title, then each round's) sorted every
    # postulate with its meeting and round for any page, a late one in seconds.
    ordering = ("-pk",)
    paginator = KeysFirstPaginator
    # No publication-date links above the list: they take two more passes over every
    # matching postulate per page (first and last date, the years); the publication-state
    # filter says what they would.
    date_hierarchy = None
    inlines = (PositionInline, OtherDepartmentsPositionInline, PostulateLinkInline)
    form = PostulateAdminForm
    fieldsets = (
        (None, {"fields": ("meeting", "round", "source_document", "number", "content")}),
        (None, {"fields": ("organisation", "area", "responsible_department", "programme")}),
        (None, {"fields": ("editor_note",)}),
        PREPARED_BY_FIELDSET,
    )

    def get_search_results(self, request, queryset, search_term):
        """As the admin's own search over search_fields (each word in one of them), with the
        organisation's and meeting's names looked up in their own small tables: an OR across
        joined tables is read row by row, this one in the indexes of the postulates' texts
        (migration 0013)."""
        condition = Q()
        for word in admin_search_words(search_term):
            matches = (
                Q(content__icontains=word)
                | Q(search_text__folded=word)
                | Q(organisation__in=keys_or_subquery(Organisation, name__icontains=word))
                | Q(meeting__in=keys_or_subquery(Meeting, title__icontains=word))
            )
            # The number in the postulate's public address (/postulaty/95773/), which people
            # quote to the department.
            if word.isascii() and word.isdigit() and len(word) <= MAX_ID_DIGITS:
                matches |= Q(pk=int(word))
            condition &= matches
        # Whatever else the archive's admins narrow a search to (core.admin.ArchiveAdmin).
        queryset, _duplicates = super().get_search_results(request, queryset.filter(condition), "")
        return queryset, False

    @admin.display(description=_("treść"))
    def short_content(self, obj):
        return shorten(obj.content, 100)

    @admin.display(description=_("odpowiedź"), boolean=True)
    def is_answered(self, obj):
        return obj.is_answered

    def get_queryset(self, request):
        postulates = (
            super()
            .get_queryset(request)
            .annotate(is_answered=Exists(Position.objects.filter(postulate=OuterRef("pk"))))
        )
        if not is_changelist(request):
            return postulates
        # Only the list's columns: the database sorts the whole list by its meeting (a late
        # page sorts 100,000 rows), and every column more, the long search text above all,
        # makes each sorted row wider.
        return postulates.select_related(*self.list_select_related).only(
            "number",
            "content",
            "status",
            "published_at",
            "meeting__title",
            "responsible_department__name",
        )

    read_only_message = _(
        "Ten postulat zgłoszono na spotkaniu innego wydziału. Możesz dodać lub zmienić "
        "odpowiedź swojego wydziału; sam postulat zmienia (albo usuwa) wydział prowadzący "
        "spotkanie lub koordynator."
    )

    def has_change_permission(self, request, obj=None):
        # The department answering for a postulate raised elsewhere opens it to answer it
        # (PositionInline): the page saves, while the postulate's own fields are read-only
        # (get_readonly_fields) and deleting it is refused (ArchiveAdmin).
        if obj is not None and not may_change(request.user, obj):
            return super().has_change_permission(request, None)
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not may_change(request.user, obj):
            return flatten_fieldsets(self.get_fieldsets(request, obj))
        return super().get_readonly_fields(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.editor = request.user
        return form


@admin.register(Position)
class PositionAdmin(PublishableAdmin):
    list_display = (
        "postulate",
        "outcome",
        "department",
        "answered_on",
        "commitment_due_on",
        "publication_state",
    )
    list_filter = ("status", CommitmentFilter, "outcome")
    search_fields = ("justification", "postulate__content")
    autocomplete_fields = ("postulate", "department", "document")
    list_select_related = ("postulate", "outcome", "department")
    date_hierarchy = None  # as PostulateAdmin's: two more passes over the list per page
    inlines = (PositionRevisionInline,)
    fieldsets = (
        (None, {"fields": ("postulate", "outcome", "justification", "department")}),
        (None, {"fields": ("answered_on", "document")}),
        (
            _("Zobowiązanie"),
            {
                "fields": COMMITMENT_FIELDS,
                "description": _(
                    "Po terminie bez daty wykonania strona publiczna sama pokaże "
                    "„po terminie”. Zmiana opublikowanego stanowiska zachowuje poprzednią "
                    "wersję na stronie publicznej."
                ),
            },
        ),
        PREPARED_BY_FIELDSET,
    )
