"""What the admin's start page shows a staff member to start the day: their drafts, scheduled
publications, postulates waiting for an answer, commitments coming due and recent changes.

Every panel reads only records in the user's scope (core.scoping: an editor's departments, a
coordinator's everything), at most PANEL_ROWS of them, in a fixed number of queries whatever
the archive's size: each list is one query with LIMIT, related names come with it.
"""

from dataclasses import dataclass, field
from heapq import merge
from itertools import islice

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models import CharField, Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import PublicationStateFilter, publication_state
from core.ownership import is_owned
from core.publishing import Status, scheduled_condition
from core.scoping import editable_department_ids, is_coordinator, scope_queryset
from departments.models import Department
from meetings.admin import POSTULATES_PAGE_PARAMETER, POSTULATES_PER_PAGE
from meetings.models import ArchiveYear, Document, Meeting, Round
from organisations.models import Organisation
from postulates.admin import AnsweredFilter, CommitmentFilter
from postulates.models import COMMITMENT_DUE_SOON_DAYS, Position, Postulate
from programmes.models import Programme

PANEL_ROWS = 10


@dataclass
class Panel:
    rows: list
    # More rows exist than the panel shows.
    has_more: bool = False
    # (label, url): the admin lists holding all of them.
    more_links: list = field(default_factory=list)


@dataclass
class Action:
    label: str
    url: str


def admin_url(model, view, *args, query=""):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)
    return f"{url}?{query}" if query else url


def first_rows(queryset, limit=PANEL_ROWS):
    """At most `limit` rows, and whether there are more: one query, never a COUNT."""
    rows = list(queryset[: limit + 1])
    return rows[:limit], len(rows) > limit


def may_view(user, model):
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}")


# --- Moje szkice ------------------------------------------------------------------------------


def my_drafts(user):
    """Meetings still drafts that `user` may edit, the most recently changed first."""
    drafts = scope_queryset(Meeting.objects.exclude(status=Status.PUBLISHED), user)
    rows, has_more = first_rows(
        drafts.prefetch_related(
            Prefetch("departments", queryset=Department.objects.only("name").order_by("name"))
        ).order_by("-updated_at", "-pk")
    )
    may_import = user.has_perm("postulates.add_postulate")
    for meeting in rows:
        meeting.admin_url = admin_url(Meeting, "change", meeting.pk)
        meeting.department_names = ", ".join(d.name for d in meeting.departments.all())
        meeting.import_url = (
            reverse("admin:meetings_meeting_import_postulates", args=[meeting.pk])
            if may_import
            else ""
        )
    query = f"{PublicationStateFilter.parameter_name}={PublicationStateFilter.DRAFT}"
    return Panel(
        rows,
        has_more,
        [(_("Pokaż wszystkie szkice spotkań"), admin_url(Meeting, "changelist", query=query))],
    )


# --- Zaplanowane ------------------------------------------------------------------------------

# Whose scheduled publications the panel lists, with the relations their names read. Records
# no department owns (years, departments, programmes, organisations) are the coordinators' to
# publish, and only theirs are listed.
SCHEDULED = (
    (Meeting, ()),
    (Round, ()),
    (Document, ()),
    (Postulate, ()),
    (Position, ("postulate", "outcome")),
    (ArchiveYear, ()),
    (Department, ()),
    (Programme, ()),
    (Organisation, ()),
)


def scheduled_models(user):
    return [
        (model, related)
        for model, related in SCHEDULED
        if may_view(user, model) and (is_owned(model) or is_coordinator(user))
    ]


def _comes_with_scheduled_parent(model, listed, now):
    """Q: rows that appear together with a scheduled parent the panel lists itself (a
    meeting's postulates published with it): one line for the meeting, not one per record."""
    condition = Q(pk__in=[])
    for parent_name in model.publication_parents:
        parent = model._meta.get_field(parent_name).related_model
        if parent in listed:
            condition |= scheduled_condition(f"{parent_name}__", now) & Q(
                **{f"{parent_name}__published_at__gte": F("published_at")}
            )
    return condition


def scheduled(user, now=None):
    """Publications still to come, the soonest first: one query per kind of record."""
    now = now or timezone.now()
    models = scheduled_models(user)
    listed = {model for model, _related in models}
    per_model = []
    for model, related in models:
        records = (
            scope_queryset(model._default_manager.filter(scheduled_condition(at=now)), user)
            .exclude(_comes_with_scheduled_parent(model, listed, now))
            .select_related(*related)
            .order_by("published_at", "pk")
        )
        per_model.append(list(records[: PANEL_ROWS + 1]))
    soonest = list(islice(merge(*per_model, key=lambda r: (r.published_at, r.pk)), PANEL_ROWS + 1))
    rows = soonest[:PANEL_ROWS]
    for record in rows:
        record.kind_label = record._meta.verbose_name
        record.state_label = publication_state(record)
        record.admin_url = admin_url(type(record), "change", record.pk)
    query = f"{PublicationStateFilter.parameter_name}={PublicationStateFilter.SCHEDULED}"
    kinds = {type(record) for record in soonest}
    more_links = [
        (
            _("Pokaż wszystkie zaplanowane: %(kind)s") % {"kind": model._meta.verbose_name_plural},
            admin_url(model, "changelist", query=query),
        )
        for model, _related in models
        if model in kinds
    ]
    return Panel(rows, len(soonest) > PANEL_ROWS, more_links)


# --- Postulaty bez odpowiedzi -------------------------------------------------------------------


def unanswered_postulates(user):
    """Postulates in `user`'s scope with no answer at all, the oldest meeting first, each
    with where to answer it: its own page, and its page of the meeting's postulates when the
    user may open the meeting."""
    earlier_on_meeting = (
        Postulate.objects.filter(meeting=OuterRef("meeting"))
        .filter(
            Q(number__lt=OuterRef("number")) | Q(number=OuterRef("number"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    postulates = (
        scope_queryset(Postulate.objects.all(), user)
        .filter(~Exists(Position.objects.filter(postulate=OuterRef("pk"))))
        .select_related("meeting", "round")
        .annotate(
            earlier_on_meeting=Coalesce(Subquery(earlier_on_meeting), 0),
            meeting_in_scope=Exists(
                scope_queryset(Meeting.objects.filter(pk=OuterRef("meeting")), user)
            ),
        )
        .order_by(
            Coalesce("meeting__year", "round__year"),
            F("meeting__starts_on").asc(nulls_last=True),
            "meeting_id",
            "round_id",
            "number",
            "pk",
        )
    )
    rows, has_more = first_rows(postulates)
    for postulate in rows:
        postulate.admin_url = admin_url(Postulate, "change", postulate.pk)
        postulate.meeting_answer_url = ""
        if postulate.meeting_id and postulate.meeting_in_scope:
            page = postulate.earlier_on_meeting // POSTULATES_PER_PAGE + 1
            postulate.meeting_answer_url = admin_url(
                Meeting, "change", postulate.meeting_id, query=f"{POSTULATES_PAGE_PARAMETER}={page}"
            )
    query = f"{AnsweredFilter.parameter_name}=bez"
    return Panel(
        rows,
        has_more,
        [
            (
                _("Pokaż wszystkie postulaty bez odpowiedzi"),
                admin_url(Postulate, "changelist", query=query),
            )
        ],
    )


# --- Zobowiązania z terminem --------------------------------------------------------------------


def due_label(due_on, today):
    days = (due_on - today).days
    if days < 0:
        return ngettext("po terminie od %(count)d dnia", "po terminie od %(count)d dni", -days) % {
            "count": -days
        }
    if days == 0:
        return _("termin dziś")
    if days == 1:
        return _("termin jutro")
    return ngettext("termin za %(count)d dzień", "termin za %(count)d dni", days) % {"count": days}


def commitments_due(user, today=None):
    """Unfulfilled commitments of `user`'s answers, overdue or due soon, the soonest first."""
    today = today or timezone.localdate()
    positions = scope_queryset(Position.objects.commitments_due_soon(today), user).select_related(
        "postulate", "postulate__meeting", "postulate__round", "department"
    )
    rows, has_more = first_rows(positions)
    for position in rows:
        position.admin_url = admin_url(Position, "change", position.pk)
        position.is_overdue = position.commitment_due_on < today
        position.due_label = due_label(position.commitment_due_on, today)
    query = f"{CommitmentFilter.parameter_name}={CommitmentFilter.DUE_SOON}"
    return Panel(
        rows,
        has_more,
        [
            (
                _("Pokaż wszystkie zobowiązania do wykonania"),
                admin_url(Position, "changelist", query=query),
            )
        ],
    )


# --- Ostatnie zmiany ----------------------------------------------------------------------------

ACTION_LABELS = {ADDITION: _("dodano"), CHANGE: _("zmieniono"), DELETION: _("usunięto")}


def _logged_in_scope(user):
    """Q: admin log entries about records of `user`'s departments (a record deleted since
    no longer says whose it was: a coordinator's alone, as in core.scoping)."""
    condition = Q(pk__in=[])
    for model in apps.get_models():
        # Only the admin writes the log: its pages, actions and imports.
        if not (is_owned(model) and admin.site.is_registered(model)):
            continue
        opts = model._meta
        own_ids = (
            scope_queryset(model._default_manager.all(), user)
            .order_by()
            .values_list(Cast("pk", output_field=CharField()), flat=True)
        )
        condition |= Q(
            content_type__app_label=opts.app_label,
            content_type__model=opts.model_name,
            object_id__in=own_ids,
        )
    return condition


def recent_changes(user):
    """The latest entries of the admin's log about records in `user`'s scope: by anyone."""
    entries = LogEntry.objects.select_related("content_type", "user")
    if editable_department_ids(user) is not None:
        entries = entries.filter(_logged_in_scope(user))
    rows, has_more = first_rows(entries.order_by("-action_time", "-pk"))
    for entry in rows:
        entry.action_label = ACTION_LABELS.get(entry.action_flag, "")
        entry.kind_label = entry.content_type.name if entry.content_type_id else ""
        entry.admin_url = "" if entry.is_deletion() else (entry.get_admin_url() or "")
        entry.author = (
            (entry.user.get_full_name() or entry.user.get_username()) if entry.user_id else ""
        )
    return Panel(rows, has_more)


# --- The page ------------------------------------------------------------------------------------

# The most common actions, each offered to whoever may take it.
ACTIONS = (
    (_("Dodaj spotkanie"), "admin:meetings_meeting_add", "meetings.add_meeting"),
    (_("Dodaj dokument"), "admin:meetings_document_add", "meetings.add_document"),
    (_("Dodaj postulat"), "admin:postulates_postulate_add", "postulates.add_postulate"),
    (
        _("Dodaj organizację"),
        "admin:organisations_organisation_add",
        "organisations.add_organisation",
    ),
    (_("Dodaj cykl spotkań"), "admin:meetings_round_add", "meetings.add_round"),
    (
        _("Szablon arkusza do importu postulatów"),
        "admin:postulates_import_template",
        "postulates.add_postulate",
    ),
)


def actions_for(user):
    return [
        Action(label, reverse(url_name)) for label, url_name, perm in ACTIONS if user.has_perm(perm)
    ]


def departments_of(user):
    """The departments an editor works for, by name; None for a coordinator."""
    if editable_department_ids(user) is None:
        return None
    profile = getattr(user, "editor_profile", None)
    return [d.name for d in profile.departments.order_by("name")] if profile else []


def dashboard(user):
    """Everything the start page shows `user`, panel by panel (None: not theirs to see)."""
    return {
        "actions": actions_for(user),
        "departments": departments_of(user),
        "due_soon_days": COMMITMENT_DUE_SOON_DAYS,
        "drafts": my_drafts(user) if may_view(user, Meeting) else None,
        "scheduled": scheduled(user),
        "unanswered": unanswered_postulates(user) if may_view(user, Postulate) else None,
        "commitments": commitments_due(user) if may_view(user, Position) else None,
        "recent": recent_changes(user),
    }
