"""The subscription pages. Public pages only link here (no form, no token in them), so they stay
cacheable; these pages are never cached or indexed: they carry a form or a personal token.
GET never changes anything: mail scanners open links; confirming and unsubscribing are POSTs."""

from django.conf import settings
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from alerts import services, targets
from alerts.forms import ManageForm, SubscribeForm
from alerts.models import Subscriber, is_token_shaped
from core.views import BreadcrumbsMixin
from krakow_ngo.client_ip import client_ip


class PrivatePageMixin(BreadcrumbsMixin):
    """Never stored by the page cache or a proxy, never indexed.

    The site's `Referrer-Policy: same-origin` stays: a link to another site carries no
    address of these pages (which hold the subscriber's token), while the forms keep their
    Origin, which the CSRF check needs ("no-referrer" makes browsers send `Origin: null`)."""

    @method_decorator(never_cache)
    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex"
        return response

    def get_breadcrumbs(self):
        return [(_("Powiadomienia e-mail"), None)]


class SubscribeView(PrivatePageMixin, TemplateView):
    """ "Powiadamiaj mnie e-mailem": what the page it came from lets one follow, the form and
    the information clause. A list's filters that are invalid or match most of the archive
    are refused (400) before anyone can subscribe to them."""

    template_name = "alerts/subscribe.html"
    kind = None

    def dispatch(self, request, *args, **kwargs):
        self.target = targets.subscription_for(
            self.kind, kwargs.get("value"), querydict=request.GET
        )
        self.refusal = targets.refusal(self.target)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render(SubscribeForm(initial={"language": get_language()}))

    def post(self, request, *args, **kwargs):
        form = SubscribeForm(request.POST)
        if self.refusal or not form.is_valid():
            return self.render(form, status=400)
        outcome = services.request_subscription(
            self.target,
            email=form.cleaned_data["email"],
            language=form.cleaned_data["language"],
            frequency=form.cleaned_data["frequency"],
            client=client_ip(request),
        )
        if outcome in services.REFUSED:
            response = self.render(form, status=429, too_many=True)
            # The window of the limit reached: the longest a retry may have to wait.
            response["Retry-After"] = str(services.retry_after(outcome))
            return response
        # The same page whether the address was new, pending or following already: the form
        # must not tell a stranger who subscribes to what.
        return redirect("alerts:requested")

    def render(self, form, status=200, **extra):
        if self.refusal:
            status = 400
        what, url = (None, None) if self.refusal == "invalid" else targets.describe(self.target)
        context = self.get_context_data(
            form=form,
            what=what,
            followed_url=url,
            kind=self.target.kind,
            refusal=self.refusal,
            valid_hours=services.confirmation_valid_hours(),
            data_protection_officer_email=settings.DATA_PROTECTION_OFFICER_EMAIL,
            **extra,
        )
        return self.render_to_response(context, status=status)


class RequestedView(PrivatePageMixin, TemplateView):
    template_name = "alerts/requested.html"


class ConfirmView(PrivatePageMixin, TemplateView):
    template_name = "alerts/confirm.html"

    def dispatch(self, request, *args, **kwargs):
        self.subscription = services.pending_subscription(kwargs["token"])
        if self.subscription is None:
            return TemplateResponse(request, "alerts/link_expired.html", status=404)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        what, url = targets.describe(self.subscription)
        return super().get_context_data(what=what, followed_url=url, **kwargs)

    def post(self, request, *args, **kwargs):
        services.confirm(self.subscription)
        return self.render_to_response(
            self.get_context_data(
                confirmed=True, manage_url=self.subscription.subscriber.get_absolute_url()
            )
        )


def confirmed_subscriber(token):
    """The subscriber a manage or unsubscribe link names; None once unsubscribed."""
    if not is_token_shaped(token):
        return None
    return Subscriber.objects.filter(token=token, confirmed_at__isnull=False).first()


class ManageView(PrivatePageMixin, TemplateView):
    """ "Manage my alerts", reached by the link in every message: no password anywhere."""

    template_name = "alerts/manage.html"

    def dispatch(self, request, *args, **kwargs):
        self.subscriber = confirmed_subscriber(kwargs["token"])
        if self.subscriber is None:
            return TemplateResponse(request, "alerts/link_expired.html", status=404)
        return super().dispatch(request, *args, **kwargs)

    def followed(self):
        subscriptions = self.subscriber.subscriptions.confirmed().select_related(
            "department", "organisation", "postulate"
        )
        return [
            (subscription.pk, *targets.describe(subscription)) for subscription in subscriptions
        ]

    def form(self, data=None):
        followed = self.followed()
        return ManageForm(
            data,
            initial={
                "frequency": self.subscriber.frequency,
                "language": self.subscriber.language,
            },
            subscriptions=[(pk, what) for pk, what, _url in followed],
        ), followed

    def get(self, request, *args, **kwargs):
        form, followed = self.form()
        return self.render_to_response(self.get_context_data(form=form, followed=followed))

    def post(self, request, *args, **kwargs):
        if "delete_all" in request.POST:
            services.erase(self.subscriber)
            return TemplateResponse(request, "alerts/unsubscribed.html")
        form, followed = self.form(request.POST)
        if not form.is_valid():
            context = self.get_context_data(form=form, followed=followed)
            return self.render_to_response(context, status=400)
        deleted = services.update_preferences(
            self.subscriber,
            frequency=form.cleaned_data["frequency"],
            language=form.cleaned_data["language"],
            dropped_ids=form.cleaned_data["drop"],
        )
        if deleted:
            return TemplateResponse(request, "alerts/unsubscribed.html")
        form, followed = self.form()
        return self.render_to_response(
            self.get_context_data(form=form, followed=followed, saved=True)
        )


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(PrivatePageMixin, View):
    """The List-Unsubscribe address. Mail providers POST `List-Unsubscribe=One-Click` to it
    without cookies (RFC 8058), hence no CSRF check: the token alone authorises it. A person
    opening it gets a page with one button (the same POST)."""

    def get(self, request, token):
        if confirmed_subscriber(token) is None:
            return TemplateResponse(request, "alerts/link_expired.html", status=404)
        return TemplateResponse(request, "alerts/unsubscribe.html", self.get_context_data())

    def post(self, request, token):
        subscriber = confirmed_subscriber(token)
        if subscriber is None:
            return TemplateResponse(request, "alerts/link_expired.html", status=404)
        services.erase(subscriber)
        return TemplateResponse(request, "alerts/unsubscribed.html", self.get_context_data())

    def get_context_data(self, **kwargs):
        return {"breadcrumbs": self.get_breadcrumbs(), **kwargs}
