from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import router
from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accessibility.admin import (
    AccessibilityFilter,
    DocumentCheckAdminMixin,
    accessibility_state,
)
from core.admin import (
    PREPARED_BY_FIELDSET,
    PUBLICATION_FIELDSET,
    CheckedFileInput,
    LoadedAutocompleteMixin,
    PlainTextMixin,
    PublishableAdmin,
    RelatedInListFilter,
    ScopedInlineMixin,
    export_as_csv,
    is_changelist,
    publication_moment,
    publish_selected,
    report_count,
    unpublish_selected,
)
from core.scoping import editable_department_ids, own_department_ids, scope_queryset
from departments.models import Department
from history.recording import followed_loaded_at_once
from meetings.forms import MeetingForm
from meetings.models import (
    ArchiveYear,
    Document,
    Meeting,
    MeetingDate,
    MeetingDepartment,
    MeetingParticipant,
    MeetingPerson,
    Round,
    names_person,
    people_without_basis,
)
from meetings.services import (
    delete_meeting,
    meeting_tree,
    publication_plan,
    publish_meeting,
)
from postulates.forms import PostulateWithAnswerForm
from postulates.import_views import ImportPostulatesView, ImportTemplateView
from postulates.models import Position, Postulate, PostulateLink
from search.indexing import update_search_text
from search.text import as_read, fold


@admin.register(ArchiveYear)
class ArchiveYearAdmin(PublishableAdmin):
    list_display = ("year", "publication_state")
    search_fields = ("year", "intro")
    fieldsets = ((None, {"fields": ("year", "intro")}), PUBLICATION_FIELDSET)


def document_file_url(document):
    return reverse("admin:meetings_document_file", args=[document.pk])


class DocumentFileMixin:
    """The document's "Teraz:" link opens its file through the checked download view
    (DocumentAdmin.file_view), never the /media/ address production does not serve."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "file":
            kwargs["widget"] = CheckedFileInput(document_file_url)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


# Several fields to a line, the rarely used ones folded: a document took ~600 px of the
# meeting's page, one field a line.
DOCUMENT_FOLDED_FIELDSET = (
    _("Adres strony i uwaga redakcji"),
    {"classes": ("collapse",), "fields": ("slug", "editor_note")},
)


class DocumentInline(DocumentFileMixin, PlainTextMixin, ScopedInlineMixin, admin.StackedInline):
    model = Document
    extra = 0
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("kind", "title", "order"),
                    ("file", "accessibility_state", "status", "published_at"),
                )
            },
        ),
        DOCUMENT_FOLDED_FIELDSET,
    )
    # What the documents' list says of each file; its findings are on the document's page.
    readonly_fields = ("accessibility_state",)
    prepopulated_fields = {"slug": ("title",)}

    def get_queryset(self, request):
        # The file's check with each document: never a query a row.
        return super().get_queryset(request).select_related("accessibility_check")

    @admin.display(description=_("Dostępność"))
    def accessibility_state(self, document):
        return accessibility_state(document)


class RoundDocumentInline(DocumentInline):
    fk_name = "round"


class MeetingDocumentInline(DocumentInline):
    fk_name = "meeting"


@admin.register(Round)
class RoundAdmin(DocumentCheckAdminMixin, PublishableAdmin):
    list_display = ("title", "year", "programme", "publication_state")
    list_filter = ("year", "status")
    search_fields = ("title", "description")
    autocomplete_fields = ("programme", "coordinator")
    prepopulated_fields = {"slug": ("title",)}
    inlines = (RoundDocumentInline,)
    fieldsets = (
        (None, {"fields": ("year", "title", "slug", "programme", "coordinator", "description")}),
        PREPARED_BY_FIELDSET,
    )


class MeetingDateInline(PlainTextMixin, admin.TabularInline):
    view_on_site = False  # no page of its own: the parent's link is above
    model = MeetingDate
    extra = 1


class OwnDepartmentFormSet(forms.BaseInlineFormSet):
    """An editor's meeting must keep one of the editor's departments, or they would lose it."""

    editable_ids = None  # set per request by MeetingDepartmentInline.get_formset

    def clean(self):
        super().clean()
        if self.editable_ids is None or any(self.errors):
            return
        kept = {
            form.cleaned_data["department"].pk
            for form in self.forms
            if form.cleaned_data.get("department") and not form.cleaned_data.get("DELETE")
        }
        if not kept & self.editable_ids:
            raise forms.ValidationError(
                _("Spotkanie musi mieć co najmniej jeden z Twoich wydziałów.")
            )
        # A department that answered postulates here keeps its place on the meeting: without
        # it, its editors would lose the meeting their answers belong to (as deleting the
        # meeting is refused while it holds another department's answer).
        if self.instance.pk is None:
            return
        removed = set(self.instance.departments.values_list("pk", flat=True)) - kept
        answered = Department.objects.filter(
            pk__in=removed - self.editable_ids,
            positions__postulate__meeting=self.instance,
        ).distinct()
        if answered:
            raise forms.ValidationError(
                _(
                    "Nie można odłączyć od spotkania wydziału, który odpowiedział na jego "
                    "postulaty: %(departments)s. Poproś o to koordynatora."
                )
                % {"departments": ", ".join(str(department) for department in answered)}
            )


class MeetingDepartmentInline(PlainTextMixin, LoadedAutocompleteMixin, admin.TabularInline):
    view_on_site = False  # no page of its own: the parent's link is above
    model = MeetingDepartment
    formset = OwnDepartmentFormSet
    autocomplete_fields = ("department",)
    extra = 1
    min_num = 1

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.editable_ids = editable_department_ids(request.user)
        return formset


class MeetingParticipantInline(PlainTextMixin, LoadedAutocompleteMixin, admin.TabularInline):
    view_on_site = False  # no page of its own: the parent's link is above
    model = MeetingParticipant
    autocomplete_fields = ("organisation",)
    extra = 0


# The meeting's text a person may be named in (its address too: "spotkanie-anna-kowalska").
MEETING_TEXT_FIELDS = ("title", "slug", "topic", "place", "editor_note", "prepared_by")


class MeetingPersonFormSet(forms.BaseInlineFormSet):
    """A person without a legal basis must not be named in the meeting's own text either:
    the page would show what the record hides. Nor may a person whose name the texts show be
    deleted (or renamed) from the list: the name would stay published with no basis recorded;
    the texts are corrected first, or the name redacted."""

    def clean(self):
        super().clean()
        meeting = self.instance
        text = " ".join(
            [
                *(str(getattr(meeting, name, "") or "") for name in MEETING_TEXT_FIELDS),
                *meeting.stored_texts_of_records(),
            ]
        )
        with_basis = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            name = (data.get("name") or "").strip()
            if not name or data.get("DELETE"):
                continue
            if data.get("legal_basis"):
                with_basis.add(fold(name).strip())
            elif names_person(text, name):
                form.add_error(
                    "name",
                    _(
                        "„%(name)s” występuje w tekstach spotkania (tytuł, adres strony, temat, "
                        "miejsce, uwaga, „informację przygotował(a)”, tekst łatwy do czytania) "
                        "albo w jego dokumentach, postulatach lub odpowiedziach, a nie ma "
                        "podstawy publikacji nazwiska: zastąp je tam rolą osoby albo zapisz "
                        "podstawę (funkcja publiczna lub zgoda)."
                    )
                    % {"name": name},
                )
        # A role is published in place of a name ("przedstawicielka organizacji"): it may not
        # name another person listed without a basis (its own person's name: MeetingPerson.clean).
        without_basis = [
            (form.cleaned_data.get("name") or "").strip()
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and not form.cleaned_data.get("DELETE")
            and not form.cleaned_data.get("legal_basis")
        ]
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            role = data.get("role") or ""
            own = (data.get("name") or "").strip()
            named = [
                name for name in without_basis if name and name != own and names_person(role, name)
            ]
            if named and not data.get("DELETE"):
                form.add_error(
                    "role",
                    _(
                        "Rola jest publikowana zamiast nazwiska, a wymienia osobę „%(name)s”, "
                        "której nazwisko nie ma podstawy publikacji: opisz samą rolę."
                    )
                    % {"name": named[0]},
                )
        # A departing person's name stays public in the files' text too, which is kept out
        # of the public text only for a person listed without a basis.
        if self.initial_forms and meeting.pk:
            text = " ".join([text, *meeting.documents.values_list("text", flat=True)])
        for form in self.initial_forms:
            data = getattr(form, "cleaned_data", None) or {}
            stored = (form.initial.get("name") or "").strip()
            # Compared as read (accents composed, invisible characters out): the same name
            # typed again is no rename.
            # A name refused above has left cleaned_data: that person stays, and is told why.
            departs = data.get("DELETE") or (
                "name" in data and fold(as_read(data["name"] or "")) != fold(as_read(stored))
            )
            if departs and fold(stored).strip() not in with_basis and names_person(text, stored):
                raise forms.ValidationError(
                    _(
                        "Nie można usunąć z listy osoby „%(name)s” ani zmienić jej nazwiska: "
                        "teksty spotkania, jego dokumentów, postulatów lub odpowiedzi nadal je "
                        "wymieniają, a bez niej nazwisko zostałoby opublikowane bez podstawy. "
                        "Najpierw zastąp je tam rolą osoby albo poproś koordynatora o usunięcie "
                        "danych osobowych (Historia zmian → Usunięcia danych osobowych)."
                    )
                    % {"name": stored},
                    code="named",
                )


class MeetingPersonInline(PlainTextMixin, admin.StackedInline):
    """Private persons (RODO): their names stay off the public pages unless a legal basis is
    recorded; organisations go in the list above."""

    view_on_site = False
    model = MeetingPerson
    formset = MeetingPersonFormSet
    fields = (("name", "role", "presence"), ("legal_basis", "consent_on", "consent_source"))
    extra = 0
    classes = ("collapse",)


# Postulates (with their answers) the meeting's page shows and sends at a time. Twenty are
# ~400 form fields: far under DATA_UPLOAD_MAX_NUMBER_FIELDS with whatever else the meeting
# holds, where all sixty of a big meeting were over it and the save was refused.
POSTULATES_PER_PAGE = 20
POSTULATES_PAGE_PARAMETER = "postulaty"
# The submit buttons of the pager: save, then show that page of postulates.
SAVE_AND_SHOW_PAGE = "_postulates_page"


class PostulateInline(PlainTextMixin, ScopedInlineMixin, admin.StackedInline):
    """Postulates raised at the meeting, each with the city's answer, on the meeting's page:
    a page of them at a time, the pager's buttons saving before they turn the page."""

    model = Postulate
    template = "admin/meetings/meeting/postulate_inline.html"
    # The page of the meeting's postulates this request shows (set by page_of, per request:
    # the admin builds its inline instances anew for each).
    page = None
    page_numbers = ()
    form = PostulateWithAnswerForm
    fk_name = "meeting"
    extra = 0
    autocomplete_fields = ("organisation", "area", "responsible_department")
    # Links to postulates of other years are edited on the postulate's own page.
    show_change_link = True
    fieldsets = (
        (None, {"fields": (("number", "status", "published_at"), "content")}),
        (None, {"fields": (("organisation", "area", "responsible_department"),)}),
        (
            _("Stanowisko Miasta"),
            {"fields": (("outcome", "answered_on", "answer_status"), "justification")},
        ),
        (
            _("Zobowiązanie Miasta"),
            {"fields": ("commitment", ("commitment_due_on", "commitment_fulfilled_on"))},
        ),
    )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.editor = request.user
        formset.form.share_outcome_choices()  # read once for the page's forms
        if obj is not None:  # which of the meeting's answers are the editor's, in one query
            answers = Position.objects.filter(postulate__meeting=obj)
            formset.form.answers_in_scope = frozenset(
                scope_queryset(answers, request.user).values_list("pk", flat=True)
            )
            if request.method == "POST":  # for the forms' checks, read before any is saved
                formset.form.people_without_basis = people_without_basis(obj.pk)
        return formset

    def row_label(self, form):
        """How the page's list of errors names a postulate: by its number, as editors do
        (core.admin.error_summary); None, to count rows, while the number is wrong."""
        number = form["number"].value()
        if not number or "number" in form.errors:
            return None
        return _("Postulat nr %(number)s") % {"number": number}

    def page_of(self, request, meeting, postulates):
        """The forms' queryset: the requested page of `meeting`'s `postulates`, in order.

        A save takes them all (in scope): its forms name their postulates by id, and a page
        whose content shifted since it was opened (a colleague added a postulate) must still
        find every one of them."""
        postulates = postulates.filter(meeting=meeting).order_by("number", "pk")
        paginator = Paginator(postulates.values_list("pk", flat=True), POSTULATES_PER_PAGE)
        self.page = paginator.get_page(request.GET.get(POSTULATES_PAGE_PARAMETER))
        self.page_numbers = list(
            paginator.get_elided_page_range(self.page.number, on_each_side=2, on_ends=1)
        )
        postulates = postulates.select_related(
            "organisation", "area", "responsible_department"
        ).prefetch_related(Postulate.prefetch_current_position())
        if request.method == "POST":
            return postulates
        return postulates.filter(pk__in=list(self.page.object_list))


# What reversion follows from a saved meeting (meetings.apps, postulates.apps), with what
# each followed record's name reads (its version's object_repr), loaded in a few queries.
FOLLOWED_BY_A_MEETINGS_REVISION = (
    "dates",
    Prefetch("department_links", MeetingDepartment.objects.select_related("department")),
    Prefetch("participant_links", MeetingParticipant.objects.select_related("organisation")),
    "people",
    "documents",
    Prefetch(
        "postulates",
        Postulate.objects.prefetch_related(
            Prefetch("positions", Position.objects.select_related("outcome")),
            Prefetch("outgoing_links", PostulateLink.objects.select_related("to_postulate")),
        ),
    ),
)


@admin.action(
    description=_("Opublikuj zaznaczone spotkania ze wszystkim, co zawierają"),
    permissions=["change"],
)
def publish_meetings_whole(modeladmin, request, queryset):
    published = 0
    for meeting in queryset:
        plan = publish_meeting(meeting, request.user)
        log_publication(modeladmin, request, meeting, plan)
        published += plan.count
    report_count(
        modeladmin,
        request,
        published,
        _("Opublikowano wpisów (spotkania, dokumenty, postulaty, odpowiedzi, organizacje): %d."),
        _("Nic nie opublikowano: wszystko w zaznaczonych spotkaniach było już publiczne."),
    )


def log_publication(modeladmin, request, meeting, plan):
    """A line in the admin's log (the start page's recent changes) for a meeting published
    with everything in it; nothing when nothing changed."""
    if plan.count:
        modeladmin.log_change(
            request,
            meeting,
            str(
                _("Opublikowano ze wszystkim, co zawiera (wpisów: %(count)d), od %(when)s.")
                % {"count": plan.count, "when": publication_moment(plan.at)}
            ),
        )


class PublishMeetingForm(forms.Form):
    """When a meeting with everything in it becomes public: now, or at a chosen moment."""

    when = forms.ChoiceField(
        label=_("Kiedy opublikować"),
        choices=[
            ("now", _("Teraz")),
            ("later", _("W wybranym dniu i godzinie (publikacja zaplanowana)")),
        ],
        initial="now",
        widget=forms.RadioSelect,
    )
    at = forms.DateTimeField(
        label=_("Dzień i godzina"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Tylko dla publikacji zaplanowanej; czas polski."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("when") != "later":
            cleaned["at"] = None
        elif cleaned.get("at") is None:
            self.add_error("at", _("Podaj dzień i godzinę publikacji zaplanowanej."))
        elif cleaned["at"] <= timezone.now():
            self.add_error("at", _("Ta chwila już minęła: wybierz „Teraz” albo późniejszy termin."))
        return cleaned


@admin.register(Meeting)
class MeetingAdmin(DocumentCheckAdminMixin, PublishableAdmin):
    form = MeetingForm
    list_display = ("title", "starts_on", "department_names", "answered", "publication_state")
    # The department filter offers the departments of meetings the editor sees, not all.
    list_filter = ("year", "kind", "status", ("departments", RelatedInListFilter))
    search_fields = ("title", "topic", "place", "departments__name")
    autocomplete_fields = ("round", "programme")
    readonly_fields = (*PublishableAdmin.readonly_fields, "easy_read_summary")
    prepopulated_fields = {"slug": ("title",)}
    actions = [publish_selected, unpublish_selected, publish_meetings_whole, export_as_csv]
    inlines = (
        MeetingDateInline,
        MeetingDepartmentInline,
        MeetingParticipantInline,
        MeetingPersonInline,
        MeetingDocumentInline,
        PostulateInline,
    )
    # What every meeting needs first, several fields to a line; the page's address and the
    # editor's note, rarely touched, folded away (an error in them unfolds them).
    fieldsets = (
        (None, {"fields": ("title", ("kind", "year"), ("place", "is_online"), "topic")}),
        (_("Cykl i program"), {"fields": (("round", "programme"),)}),
        (_("Dostępność"), {"fields": ("easy_read_summary",)}),
        (
            PUBLICATION_FIELDSET[0],
            {**PUBLICATION_FIELDSET[1], "fields": (("status", "published_at"), "prepared_by")},
        ),
        (
            _("Adres strony i uwaga redakcji"),
            {"classes": ("collapse",), "fields": ("slug", "editor_note")},
        ),
    )
    # Also at the top: a long page's save is in reach, and Enter in a field saves (the first
    # submit button of the form) instead of pressing a pager button.
    save_on_top = True

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, PostulateInline) and obj is not None and obj.pk:
            kwargs["queryset"] = inline.page_of(request, obj, kwargs["queryset"])
        if isinstance(inline, MeetingDepartmentInline) and (obj is None or obj.pk is None):
            own = own_department_ids(request.user)
            # An editor of one department adds meetings of that department. Only shown: on
            # a POST an unchanged initial row would count as empty and not be saved.
            if request.method == "GET" and own and len(own) == 1:
                kwargs["initial"] = [{"department": next(iter(own))}]
        return kwargs

    def save_model(self, request, obj, form, change):
        if getattr(form, "new_year", False):
            # A year the archive did not have (MeetingForm): made now, as a draft, for a
            # coordinator to publish; editors cannot publish years.
            obj.year, created = ArchiveYear.objects.get_or_create(year=obj.year_id)
            if created:
                self.message_user(
                    request,
                    _(
                        "Założono rok %(year)s archiwum jako szkic. Spotkania z tego roku "
                        "będą publiczne, gdy koordynator opublikuje rok."
                    )
                    % {"year": obj.year_id},
                    messages.WARNING,
                )
        with followed_loaded_at_once(obj, *FOLLOWED_BY_A_MEETINGS_REVISION):
            super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        page = request.POST.get(SAVE_AND_SHOW_PAGE, "")
        if page.isdigit():
            self.message_user(
                request,
                _("Zapisano spotkanie „%(meeting)s”. Strona postulatów: %(page)s.")
                % {"meeting": obj, "page": page},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(f"{request.path}?{POSTULATES_PAGE_PARAMETER}={page}")
        # "Save and continue" keeps the page's query string, so the same page of postulates.
        return super().response_change(request, obj)

    def get_queryset(self, request):
        meetings = super().get_queryset(request)
        if not is_changelist(request):
            return meetings
        # What the list's columns read, counted per row in the database.
        postulates = Postulate.objects.filter(meeting=OuterRef("pk")).order_by().values("meeting")
        answered = postulates.filter(Exists(Position.objects.filter(postulate=OuterRef("pk"))))
        return (
            meetings.only("title", "starts_on", "status", "published_at")
            .prefetch_related(Prefetch("departments", queryset=Department.objects.only("name")))
            .annotate(
                postulate_count=Subquery(postulates.annotate(n=Count("pk")).values("n")),
                answered_count=Subquery(answered.annotate(n=Count("pk")).values("n")),
            )
        )

    @admin.display(description=_("wydziały"))
    def department_names(self, meeting):
        return ", ".join(department.name for department in meeting.departments.all())

    @admin.display(description=_("odpowiedzi"))
    def answered(self, meeting):
        """ "3 z 5" postulates with an answer; "—" for a meeting without postulates."""
        if not meeting.postulate_count:
            return "—"
        return _("%(answered)d z %(all)d") % {
            "answered": meeting.answered_count or 0,
            "all": meeting.postulate_count,
        }

    def get_deleted_objects(self, objs, request):
        """List a meeting's documents, postulates and answers as deleted with it, not as
        protected: delete_meeting removes them deliberately and keeps them recoverable.
        Anything else that still points at them keeps the whole deletion refused."""
        to_delete, counts, perms_needed, _protected = super().get_deleted_objects(objs, request)
        collector = NestedObjects(using=router.db_for_write(Meeting))
        collector.collect(list(objs))
        own = {}
        theirs = []  # another department's answers on a joint meeting: the meeting stays
        for meeting in objs:
            for records in meeting_tree(meeting).values():
                mine = set(scope_queryset(records, request.user).values_list("pk", flat=True))
                records = list(records)
                theirs += [record for record in records if record.pk not in mine]
                own.update({(type(record), record.pk): record for record in records})
                collector.collect(records)  # what, outside the meeting, still points at them
        outside = [
            f"{capfirst(obj._meta.verbose_name)}: {obj}"
            for obj in collector.protected
            if (type(obj), obj.pk) not in own
        ]
        outside += [
            _("%(record)s – należy do innego wydziału; usunąć może je on sam albo koordynator")
            % {"record": f"{capfirst(record._meta.verbose_name)}: {record}"}
            for record in theirs
        ]
        if outside:
            return to_delete, counts, perms_needed, outside
        for record in own.values():
            opts = record._meta
            to_delete.append(f"{capfirst(opts.verbose_name)}: {record}")
            counts[opts.verbose_name_plural] = counts.get(opts.verbose_name_plural, 0) + 1
            if not request.user.has_perm(f"{opts.app_label}.delete_{opts.model_name}"):
                perms_needed.add(opts.verbose_name)
        return to_delete, counts, perms_needed, []

    def get_urls(self):
        meetings = self

        class ScopedImportView(ImportPostulatesView):
            def get_meeting_queryset(self, request):
                return meetings.get_queryset(request)

        guard = self.admin_site.admin_view
        return [
            path(
                "<int:meeting_id>/publikuj/",
                guard(self.publish_view),
                name="meetings_meeting_publish",
            ),
            path(
                "<int:meeting_id>/importuj-postulaty/",
                guard(
                    ScopedImportView.as_view(
                        admin_site=self.admin_site,
                        template_download_url_name="admin:postulates_import_template",
                    )
                ),
                name="meetings_meeting_import_postulates",
            ),
            path(
                "importuj-postulaty/szablon.csv",
                guard(ImportTemplateView.as_view()),
                name="postulates_import_template",
            ),
            *super().get_urls(),
        ]

    def publish_view(self, request, meeting_id):
        """Publish (or schedule) the meeting with everything in it, after a preview of what
        becomes public and what stays as it is."""
        meeting = self.get_queryset(request).filter(pk=meeting_id).first()
        if meeting is None:
            raise Http404(_("Nie ma takiego spotkania albo nie należy do Twojego wydziału."))
        if not self.has_change_permission(request, meeting):
            raise PermissionDenied
        form = PublishMeetingForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            plan = publish_meeting(meeting, request.user, form.cleaned_data["at"])
            log_publication(self, request, meeting, plan)
            if plan.count:
                self.message_user(
                    request,
                    _(
                        "Opublikowano spotkanie „%(meeting)s” ze wszystkim, co zawiera: %(count)d "
                        "wpisów, widocznych od %(when)s."
                    )
                    % {
                        "meeting": meeting,
                        "count": plan.count,
                        "when": publication_moment(plan.at),
                    },
                    messages.SUCCESS,
                )
            else:
                self.message_user(
                    request,
                    _("Nic nie opublikowano: wszystko w tym spotkaniu było już publiczne."),
                    messages.WARNING,
                )
            return redirect(self._admin_url("change", meeting.pk))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": meeting,
            "title": _("Opublikuj spotkanie ze wszystkim, co zawiera"),
            "plan": publication_plan(meeting, request.user),
            "form": form,
        }
        return TemplateResponse(request, "admin/meetings/meeting/publish.html", context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The departments are saved by their inline after the meeting itself, and the
        # meeting's search text names them: bring it up to date once they are in.
        form.instance.refresh_search_text()
        # A person's basis recorded or withdrawn lets the files' text into the search or
        # keeps it out (Document.file_text_withheld).
        update_search_text(Document, form.instance.documents.exclude(text=""))

    def delete_model(self, request, obj):
        delete_meeting(obj, request.user)

    def delete_queryset(self, request, queryset):
        for meeting in queryset:
            delete_meeting(meeting, request.user)


@admin.register(Document)
class DocumentAdmin(DocumentCheckAdminMixin, DocumentFileMixin, PublishableAdmin):
    list_display = (
        *("title", "kind", "meeting", "round", "file_format"),
        *("accessibility_state", "publication_state"),
    )
    list_filter = ("kind", "status", "file_format", AccessibilityFilter)
    search_fields = ("title", "meeting__title", "round__title")
    autocomplete_fields = ("meeting", "round")
    list_select_related = ("meeting", "round", "accessibility_check")
    readonly_fields = (
        *PublishableAdmin.readonly_fields,
        "file_format",
        "file_size",
        "file_withdrawn",
        "accessibility_findings",
        "accessible_versions",
    )
    fieldsets = (
        (None, {"fields": ("meeting", "round", "kind", "title", "slug", "order")}),
        (
            _("Plik"),
            {
                "fields": (
                    *("file", "file_format", "file_size", "file_withdrawn"),
                    *("accessibility_findings", "accessible_versions"),
                )
            },
        ),
        (None, {"fields": ("editor_note",)}),
        PREPARED_BY_FIELDSET,
    )

    def get_queryset(self, request):
        # Each choice of a document names its meeting or round (Document.choice_label). The
        # list's own joins too: Django adds list_select_related only to a queryset with none.
        return super().get_queryset(request).select_related(*self.list_select_related)

    def get_urls(self):
        return [
            path(
                "<int:object_id>/plik/",
                self.admin_site.admin_view(self.file_view),
                name="meetings_document_file",
            ),
            *super().get_urls(),
        ]

    def file_view(self, request, object_id):
        """The document's file, for whoever may open the document here: a redirect to its
        download view, which serves a draft to the staff who may preview it. The address is
        read from the stored record, not from a form that may hold an unsaved title."""
        document = self.get_queryset(request).select_related("meeting", "round")
        document = document.filter(pk=object_id).first()
        if document is None or not self.has_view_permission(request, document):
            raise Http404(_("Nie ma takiego dokumentu albo nie należy do Twojego wydziału."))
        if not document.file:
            raise Http404(_("Ten dokument nie ma jeszcze dołączonego pliku."))
        return redirect(document.get_download_url())
