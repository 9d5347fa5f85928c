from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin import ErrorSummaryMixin, PlainTextMixin
from core.scoping import is_coordinator
from history.models import Redaction, StaffName
from history.redaction import MIN_LENGTH, REPLACEMENT, plan, redact
from meetings.models import Meeting


@admin.register(StaffName)
class StaffNameAdmin(ErrorSummaryMixin, PlainTextMixin, admin.ModelAdmin):
    """The names under which staff accounts appear on the public record cards and change
    registers; kept by coordinators (editors.roles)."""

    list_display = ("name", "role", "user")
    search_fields = ("name", "role", "user__username")
    list_select_related = ("user",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


ONE_MEETING, WHOLE_ARCHIVE = "spotkanie", "archiwum"
SCOPES = [
    (ONE_MEETING, _("tylko materiały tego spotkania")),
    (WHOLE_ARCHIVE, _("całe archiwum")),
]


class RedactionForm(forms.Form):
    name = forms.CharField(
        label=_("Imię i nazwisko do usunięcia"),
        min_length=MIN_LENGTH,
        max_length=200,
        help_text=_(
            "Tak, jak zapisano je w archiwum (wielkość liter bez znaczenia). W każdym miejscu "
            "zostanie zastąpione tekstem „%(replacement)s”."
        )
        % {"replacement": REPLACEMENT},
    )
    # Offered when the page is opened from a meeting (its "Usuń dane osobowe" link).
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.all(), required=False, widget=forms.HiddenInput
    )
    scope = forms.ChoiceField(
        label=_("Zakres"),
        choices=SCOPES,
        initial=WHOLE_ARCHIVE,
        widget=forms.RadioSelect,
        required=False,
    )
    # The name and scope the preview showed: either changed since is previewed again, never
    # removed unseen.
    previewed = forms.CharField(required=False, widget=forms.HiddenInput)

    def scoped_meeting(self):
        """The meeting whose materials alone are redacted, or None for the whole archive."""
        if self.cleaned_data.get("scope") == ONE_MEETING:
            return self.cleaned_data.get("meeting")
        return None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == ONE_MEETING and not cleaned.get("meeting"):
            self.add_error("scope", _("Otwórz to z listy osób spotkania, aby wybrać spotkanie."))
        return cleaned

    def preview_key(self):
        meeting = self.scoped_meeting()
        name = self.cleaned_data["name"]
        return f"{name}|{meeting.pk}" if meeting else name


# Each count with its own noun, declined for it (Polish has three plural forms: 1 miejsce,
# 2–4 and 22–24 miejsca, 5–21 miejsc), through the plural forms of locale/pl.
def _places(count):
    return ngettext("%(counter)s miejsce", "%(counter)s miejsc", count) % {"counter": count}


def _in_records(count):
    return ngettext("w %(counter)s wpisie", "w %(counter)s wpisach", count) % {"counter": count}


def plan_summary(plan):
    """The preview's count, e.g. 4 miejsca w 3 wpisach oraz 2 wersje z historii."""
    versions = ngettext(
        "%(counter)s wersja z historii", "%(counter)s wersji z historii", plan.versions
    ) % {"counter": plan.versions}
    return gettext("%(places)s %(records)s oraz %(versions)s.") % {
        "places": _places(plan.total),
        "records": _in_records(plan.records),
        "versions": versions,
    }


def done_summary(redaction):
    """The message after a redaction, e.g. Usunięto dane osobowe: 1 miejsce w 1 wpisie
    i w 5 wersjach z historii."""
    versions = ngettext(
        "w %(counter)s wersji z historii", "w %(counter)s wersjach z historii", redaction.versions
    ) % {"counter": redaction.versions}
    return gettext("Usunięto dane osobowe: %(places)s %(records)s i %(versions)s.") % {
        "places": _places(redaction.places),
        "records": _in_records(redaction.records),
        "versions": versions,
    }


@admin.register(Redaction)
class RedactionAdmin(admin.ModelAdmin):
    """Removing a person's name from the whole archive (history.redaction): a coordinator
    types the name, sees every place it appears, then confirms. The list is the history of
    such removals: who, when, how many places; never the name."""

    list_display = ("at", "user", "scope", "places", "records", "versions")
    list_select_related = ("user", "meeting")

    @admin.display(description=_("zakres"))
    def scope(self, redaction):
        return redaction.meeting or gettext("całe archiwum")

    def has_add_permission(self, request):
        return is_coordinator(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # The record that a removal happened is itself kept.
        return False

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        meeting = Meeting.objects.filter(pk=request.GET.get("spotkanie") or None).first()
        initial = {"meeting": meeting, "scope": ONE_MEETING} if meeting else {}
        form = RedactionForm(request.POST or None, initial=initial)
        found = None
        if request.method == "POST" and form.is_valid():
            name = form.cleaned_data["name"]
            meeting = form.scoped_meeting() or form.cleaned_data.get("meeting")
            if form.cleaned_data["previewed"] == form.preview_key():
                done = redact(name, request.user, meeting=form.scoped_meeting())
                self.message_user(request, done_summary(done), messages.SUCCESS)
                return redirect(reverse("admin:history_redaction_changelist"))
            found = plan(name, form.scoped_meeting())
            form = RedactionForm(initial={**form.cleaned_data, "previewed": form.preview_key()})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Usuń imię i nazwisko z archiwum"),
            "meeting": meeting,
            "form": form,
            "plan": found,
            "plan_summary": plan_summary(found) if found else "",
            "replacement": REPLACEMENT,
        }
        return TemplateResponse(request, "admin/history/redaction_form.html", context)
