from django import forms
from django.utils.translation import gettext_lazy as _

from krakow_ngo.publishing import Status
from postulates.models import Outcome, Position, Postulate


class PostulateWithAnswerForm(forms.ModelForm):
    """A postulate and the city's current answer to it, edited together on a meeting's page."""

    outcome = forms.ModelChoiceField(
        Outcome.objects.all(), required=False, label=_("rozstrzygnięcie")
    )
    justification = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("uzasadnienie")
    )
    answered_on = forms.DateField(required=False, label=_("data stanowiska"))
    answer_status = forms.ChoiceField(
        choices=Status.choices, initial=Status.DRAFT, label=_("stan stanowiska")
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.answer = self.instance.current_position() if self.instance.pk else None
        if self.answer:
            self.initial.update(
                outcome=self.answer.outcome_id,
                justification=self.answer.justification,
                answered_on=self.answer.answered_on,
                answer_status=self.answer.status,
            )

    def clean(self):
        cleaned = super().clean()
        answered = cleaned.get("justification") or cleaned.get("answered_on")
        if answered and not cleaned.get("outcome"):
            self.add_error("outcome", _("Podaj rozstrzygnięcie, do którego odnosi się stanowisko."))
        return cleaned

    def save(self, commit=True):
        postulate = super().save(commit=commit)
        if commit:
            self.save_answer(postulate)
        return postulate

    def save_answer(self, postulate):
        outcome = self.cleaned_data.get("outcome")
        if outcome is None:
            return
        answer = self.answer or Position(postulate=postulate)
        answer.outcome = outcome
        answer.justification = self.cleaned_data.get("justification", "")
        answer.answered_on = self.cleaned_data.get("answered_on")
        answer.status = self.cleaned_data["answer_status"]
        answer.department = answer.department or postulate.responsible_department
        answer.save()
