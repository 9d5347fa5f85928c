import unicodedata

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from alerts.models import Frequency

# RFC 2606 and 6761: names that never reach a mailbox on the internet.
RESERVED_TOP_LEVEL_DOMAINS = {"example", "invalid", "local", "localhost", "test"}


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Adres e-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Podaj adres e-mail."),
            "invalid": _("Podaj adres e-mail w postaci nazwa@domena.pl."),
        },
    )
    frequency = forms.ChoiceField(
        label=_("Jak często wysyłać"),
        choices=Frequency.choices,
        initial=Frequency.DAILY,
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(
        label=_("Język wiadomości"), choices=settings.LANGUAGES, widget=forms.RadioSelect
    )

    def clean_email(self):
        # One subscriber per mailbox: addresses differ only in letter case in practice, and
        # look-alike characters (a full-width "ｅ") reach the same mailbox once the domain is
        # encoded for DNS, so they are folded first (NFKC) and counted as one address.
        email = unicodedata.normalize("NFKC", self.cleaned_data["email"]).strip().lower()
        domain = email.rpartition("@")[2]
        # Django accepts "a@localhost", "a@[127.0.0.1]" and reserved names: mail to this
        # machine, an address or nowhere, never a person's mailbox on the internet.
        if (
            domain.startswith("[")
            or "." not in domain
            or domain.rsplit(".", 1)[1] in RESERVED_TOP_LEVEL_DOMAINS
        ):
            raise forms.ValidationError(self.fields["email"].error_messages["invalid"])
        return email


class ManageForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Jak często wysyłać"), choices=Frequency.choices, widget=forms.RadioSelect
    )
    language = forms.ChoiceField(
        label=_("Język wiadomości"), choices=settings.LANGUAGES, widget=forms.RadioSelect
    )
    drop = forms.TypedMultipleChoiceField(
        label=_("Przestań obserwować"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, subscriptions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["drop"].choices = [(pk, label) for pk, label in subscriptions]
