from functools import cached_property

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.control_characters import guard_text_field
from core.forms import DateInput
from core.publishing import Status
from core.scoping import answering_department_ids, is_in_scope, scope_queryset
from meetings.models import named_without_basis, people_without_basis
from postulates.models import COMMITMENT_FIELDS, Outcome, Position, Postulate, PostulateLink

# The answer's fields of PostulateWithAnswerForm, beside the postulate's own.
ANSWER_FIELDS = ("outcome", "justification", "answered_on", "answer_status", *COMMITMENT_FIELDS)


class PostulateWithAnswerForm(forms.ModelForm):
    """A postulate and the city's current answer to it, edited together on a meeting's page.

    The admin sets `editor` (the signed-in user): a new answer speaks for the postulate's
    responsible department, which must then be one the editor answers for
    (Position.speaks_for), and another department's answer is shown, not edited (on a joint
    meeting, each department changes only its own answers)."""

    editor = None  # None: no limits (a form built outside the admin)

    outcome = forms.ModelChoiceField(
        Outcome.objects.all(), required=False, label=_("Rozstrzygnięcie")
    )
    justification = guard_text_field(
        forms.CharField(
            widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Uzasadnienie")
        )
    )
    answered_on = forms.DateField(required=False, label=_("Data stanowiska"), widget=DateInput)
    answer_status = forms.ChoiceField(
        choices=Status.choices, initial=Status.DRAFT, label=_("Stan publikacji stanowiska")
    )
    commitment = guard_text_field(
        forms.CharField(
            widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Zobowiązanie Miasta")
        )
    )
    commitment_due_on = forms.DateField(
        required=False, label=_("Termin zobowiązania"), widget=DateInput
    )
    commitment_fulfilled_on = forms.DateField(
        required=False, label=_("Data wykonania zobowiązania"), widget=DateInput
    )

    class Meta:
        model = Postulate
        fields = (
            "number",
            "content",
            "organisation",
            "area",
            "responsible_department",
            "status",
            "published_at",
        )
        widgets = {"content": forms.Textarea(attrs={"rows": 3})}

    outcome_choices = None  # set by share_outcome_choices() on a form class many forms use
    # The ids of the answers `editor` may change, where a page of forms looked them up at once;
    # None: ask core.scoping per form.
    answers_in_scope = None
    # The meeting's persons named only by their role, where a page of forms of one meeting
    # looked them up at once (meetings.models.people_without_basis); None: asked per form.
    people_without_basis = None

    @classmethod
    def share_outcome_choices(cls):
        cls.outcome_choices = list(cls.base_fields["outcome"].choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.outcome_choices is not None:
            self.fields["outcome"].choices = self.outcome_choices
        self.answer = self.instance.current_position() if self.instance.pk else None
        if self.people_without_basis is not None:
            self.instance.known_people_without_basis = self.people_without_basis
        if self.answer:
            self.initial.update(
                outcome=self.answer.outcome_id,
                justification=self.answer.justification,
                answered_on=self.answer.answered_on,
                answer_status=self.answer.status,
                commitment=self.answer.commitment,
                commitment_due_on=self.answer.commitment_due_on,
                commitment_fulfilled_on=self.answer.commitment_fulfilled_on,
            )
        if not self.may_change_answer:
            for name in ANSWER_FIELDS:
                self.fields[name].disabled = True
            self.fields["outcome"].help_text = _(
                "Odpowiedź wydziału %(department)s: może ją zmienić tylko ten wydział."
            ) % {"department": self.answer.department}

    def also_saved_records(self):
        # Its answer is saved from this form too (core.admin.RefusesStaleSaves).
        return [self.answer]

    @cached_property
    def may_change_answer(self):
        if self.answer is None or self.editor is None:
            return True
        if self.answers_in_scope is not None:
            return self.answer.pk in self.answers_in_scope
        return is_in_scope(self.editor, self.answer)

    def clean(self):
        cleaned = super().clean()
        answered = any(
            cleaned.get(name) for name in ("justification", "answered_on", *COMMITMENT_FIELDS)
        )
        if answered and not cleaned.get("outcome"):
            self.add_error("outcome", _("Podaj rozstrzygnięcie, do którego odnosi się stanowisko."))
        # The department save_answer() would give the answer (it keeps one already set).
        speaks_for = None
        if cleaned.get("outcome") and not (self.answer and self.answer.department_id):
            speaks_for = cleaned.get("responsible_department")
        allowed = answering_department_ids(self.editor) if self.editor else None
        if speaks_for and allowed is not None and speaks_for.pk not in allowed:
            self.add_error(
                "outcome",
                _(
                    "Odpowiedź zapisana tutaj mówi w imieniu wydziału właściwego (%(department)s), "
                    "a odpowiadać możesz tylko w imieniu swojego wydziału. Dodaj odpowiedź na "
                    "stronie postulatu i wybierz w niej swój wydział."
                )
                % {"department": speaks_for.name},
            )
        # The answer's texts are the form's own fields, not the postulate's: checked here
        # as Position.clean_fields checks them on the answer's own page.
        texts = [name for name in ("justification", "commitment") if cleaned.get(name)]
        people = []
        if texts:
            people = self.people_without_basis
            if people is None:
                people = people_without_basis(self.instance.meeting_id)
        for name in texts if people and self.may_change_answer else ():
            message = named_without_basis(cleaned[name], people)
            if message:
                self.add_error(name, message)
        dated = cleaned.get("commitment_due_on") or cleaned.get("commitment_fulfilled_on")
        if dated and not cleaned.get("commitment"):
            self.add_error(
                "commitment",
                _("Termin i data wykonania dotyczą zobowiązania: opisz najpierw zobowiązanie."),
            )
        return cleaned

    def save(self, commit=True):
        postulate = super().save(commit=commit)
        if commit:
            self.save_answer(postulate)
        return postulate

    def save_answer(self, postulate):
        outcome = self.cleaned_data.get("outcome")
        if outcome is None or not self.may_change_answer:
            return
        answer = self.answer or Position(postulate=postulate)
        answer.outcome = outcome
        answer.justification = self.cleaned_data.get("justification", "")
        answer.answered_on = self.cleaned_data.get("answered_on")
        answer.commitment = self.cleaned_data.get("commitment", "")
        answer.commitment_due_on = self.cleaned_data.get("commitment_due_on")
        answer.commitment_fulfilled_on = self.cleaned_data.get("commitment_fulfilled_on")
        answer.status = self.cleaned_data["answer_status"]
        answer.department = answer.department or postulate.responsible_department
        answer.save()


class PostulateLinkForm(forms.ModelForm):
    """A link edited inline on its postulate's page. The database refuses a self-link and a
    second link between the same two postulates; these checks say so in the form first,
    because a formset leaves its parent's key out of model validation."""

    class Meta:
        model = PostulateLink
        fields = ("kind", "to_postulate", "note")

    def clean(self):
        cleaned = super().clean()
        source, target = self.instance.from_postulate_id, cleaned.get("to_postulate")
        if target is None or source is None:
            return cleaned
        if target.pk == source:
            self.add_error("to_postulate", _("Postulatu nie można powiązać z nim samym."))
        elif (
            PostulateLink.objects.filter(
                Q(from_postulate=source, to_postulate=target)
                | Q(from_postulate=target, to_postulate=source)
            )
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("to_postulate", _("Te dwa postulaty są już ze sobą powiązane."))
        return cleaned


class PostulateAdminForm(forms.ModelForm):
    """A postulate's own admin page. A postulate another department has answered stays
    where it was raised: moved to another meeting or round, it would take that department's
    answer out of its reach. The admin sets `editor` (the signed-in user)."""

    editor = None

    def clean(self):
        cleaned = super().clean()
        moved = {"meeting", "round"} & set(self.changed_data)
        if self.editor is None or self.instance.pk is None or not moved:
            return cleaned
        answers = Position.objects.filter(postulate=self.instance)
        theirs = answers.exclude(pk__in=scope_queryset(answers, self.editor).values("pk"))
        departments = sorted(
            {str(answer.department) for answer in theirs.select_related("department")}
        )
        if departments:
            self.add_error(
                None,
                _(
                    "Tego postulatu nie można przenieść na inne spotkanie ani do innego cyklu: "
                    "odpowiedział na niego inny wydział (%(departments)s). Poproś o to "
                    "koordynatora."
                )
                % {"departments": ", ".join(departments)},
            )
        return cleaned
