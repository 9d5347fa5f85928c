"""The editors' admin site: a password and, for every staff account, a one-time code from an
authenticator app (TOTP, django-otp). A staff member without a device sets one up right
after the password step and cannot open anything else until it is confirmed."""

from base64 import b32encode
from io import BytesIO

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.admin import ChoiceLabelAutocompleteView
from krakow_ngo.client_ip import client_ip
from ratelimits.counting import take

TOKEN_FIELD = forms.CharField(
    label=_("Kod jednorazowy"),
    required=False,
    max_length=8,
    widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
)


def otp_required():
    return settings.ADMIN_REQUIRE_OTP


def is_verified(user):
    # OTPMiddleware adds is_verified() to the request's user; the user a login has just put on
    # the request is a fresh object without it, and unverified until django_otp.login().
    return getattr(user, "is_verified", lambda: False)()


class LoginForm(AdminAuthenticationForm):
    """Password first (throttled by django-axes); then the code, if the account has a device."""

    otp_token = TOKEN_FIELD

    # With the second factor on, a wrong password and a right password with a missing or wrong
    # code get the same answer: a different one would tell a guesser the password is right.
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login_or_code": _(
            "Nazwa użytkownika, hasło lub kod jednorazowy są nieprawidłowe (kod wygasa po 30 "
            "sekundach). Przy pierwszym logowaniu, zanim skonfigurujesz aplikację "
            "uwierzytelniającą, pole kodu zostaw puste."
        ),
    }

    def get_invalid_login_error(self):
        if not otp_required():
            return super().get_invalid_login_error()
        return forms.ValidationError(
            self.error_messages["invalid_login_or_code"], code="invalid_login"
        )

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if user is None or not otp_required():
            return cleaned_data
        device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
        if device is None:
            return cleaned_data  # the site sends this user to set up a device next
        token = (cleaned_data.get("otp_token") or "").strip()
        # verify_token throttles repeated failures on the device itself.
        if not token or not device.verify_token(token):
            self.user_cache = None
            raise self.get_invalid_login_error()
        user.otp_device = device  # django_otp.login() below records it in the session
        return cleaned_data


class DeviceSetupForm(forms.Form):
    otp_token = TOKEN_FIELD

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device
        self.fields["otp_token"].required = True

    def clean_otp_token(self):
        token = self.cleaned_data["otp_token"].strip()
        if not self.device.verify_token(token):
            raise forms.ValidationError(
                _("Kod jest nieprawidłowy. Sprawdź czas w telefonie i przepisz nowy kod.")
            )
        return token


def qr_code_svg(text):
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    # qrcode writes only paths and numbers; the XML declaration is dropped to inline it.
    return mark_safe(buffer.getvalue().decode().split("?>", 1)[-1])


class ArchiveAdminSite(admin.AdminSite):
    site_header = "Archiwum spotkań Miasta Krakowa z NGO – redakcja"
    # The lists need the width: at 1366 px the sidebar left them 717 px and hid columns.
    enable_nav_sidebar = False
    site_title = "Redakcja archiwum NGO"
    index_title = "Materiały ze spotkań z organizacjami pozarządowymi"
    login_form = LoginForm
    login_template = "admin/archive_login.html"
    # The start page: the day's work first (editors/dashboard.py), every section below.
    index_template = "admin/archive_index.html"
    # The sections in the order of the work, not alphabetically; the rest after these.
    app_order = ("meetings", "postulates", "organisations", "departments", "programmes")

    def index(self, request, extra_context=None):
        # Imported here: the dashboard reads the apps' admins, which register on this site.
        from editors.dashboard import dashboard

        context = {"dashboard": dashboard(request.user), **(extra_context or {})}
        return super().index(request, context)

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        rank = {label: i for i, label in enumerate(self.app_order)}
        return sorted(apps, key=lambda app: rank.get(app["app_label"], len(rank)))

    def has_permission(self, request):
        return super().has_permission(request) and (not otp_required() or is_verified(request.user))

    def needs_device_setup(self, request):
        user = request.user
        return (
            otp_required()
            and user.is_active
            and user.is_staff
            and not is_verified(user)
            and not user_has_device(user, confirmed=True)
        )

    def login(self, request, extra_context=None):
        if request.method == "GET" and self.needs_device_setup(request):
            return redirect("admin:otp_setup")
        if request.method == "POST":
            quota = take("admin-login", client_ip(request), settings.LOGIN_ADDRESS_LIMIT)
            if not quota.allowed:
                response = TemplateResponse(
                    request, "admin/locked_out.html", self.each_context(request), status=429
                )
                response["Retry-After"] = str(quota.retry_after())
                return response
        response = super().login(request, extra_context)
        if request.method == "POST" and isinstance(response, HttpResponseRedirect):
            device = getattr(request.user, "otp_device", None)
            if device is not None:
                otp_login(request, device)
            elif self.needs_device_setup(request):
                return redirect("admin:otp_setup")
        return response

    def get_urls(self):
        return [
            path("dwuetapowe/", self.device_setup, name="otp_setup"),
            # Before Django's own view of the same name and address, which it replaces.
            path(
                "r/<int:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            ),
            *super().get_urls(),
        ]

    def autocomplete_view(self, request):
        # Results named as the forms' choices are (a department's former name says so).
        return ChoiceLabelAutocompleteView.as_view(admin_site=self)(request)

    def view_on_site(self, request, content_type_id, object_id):
        """The "Pokaż na stronie" redirect, for a record the user may open in the admin only.
        Django's own answers for any record of any model, and so tells an editor the public
        address (made from the title) of another department's draft."""
        content_type = ContentType.objects.filter(pk=content_type_id).first()
        model_admin = self._registry.get(content_type.model_class()) if content_type else None
        if model_admin is None or not model_admin.has_view_permission(request):
            raise Http404
        if model_admin.get_object(request, unquote(object_id)) is None:
            raise Http404
        return shortcut(request, content_type_id, object_id)

    @method_decorator(never_cache)
    def device_setup(self, request):
        """Show a new authenticator key as a QR code and confirm it with the first code."""
        if not self.needs_device_setup(request):
            return redirect("admin:index" if self.has_permission(request) else "admin:login")
        device, _created = TOTPDevice.objects.get_or_create(
            user=request.user,
            confirmed=False,
            defaults={"name": "Aplikacja uwierzytelniająca"},
        )
        form = DeviceSetupForm(request.POST or None, device=device)
        if request.method == "POST" and form.is_valid():
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Weryfikacja dwuetapowa jest włączona."))
            return redirect("admin:index")
        context = {
            **self.each_context(request),
            "title": _("Włącz weryfikację dwuetapową"),
            "form": form,
            "qr_code": qr_code_svg(device.config_url),
            "secret": _group(device.bin_key),
            "logout_url": reverse("admin:logout"),
        }
        return TemplateResponse(request, "admin/otp_setup.html", context)


def _group(key):
    text = b32encode(key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
