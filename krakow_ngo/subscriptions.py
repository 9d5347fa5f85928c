"""The page that explains feeds and calendars: what they are, and how to subscribe in the
readers and calendar apps people use. It lists every app's feeds, so it lives with their wiring."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.absolute_urls import absolute_url
from core.views import BreadcrumbsMixin
from meetings.models import ArchiveYear


class SubscriptionHelpView(BreadcrumbsMixin, TemplateView):
    template_name = "feeds/subscriptions.html"

    def get_breadcrumbs(self):
        return [(_("Kanały i kalendarze"), None)]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            calendar_url=absolute_url(reverse("feeds:calendar")),
            feed_url=absolute_url(reverse("feeds:latest")),
            years=ArchiveYear.objects.published().values_list("year", flat=True),
            calendar_months=settings.CALENDAR_PAST_MONTHS,
            calendar_max_events=settings.CALENDAR_MAX_EVENTS,
            feed_entries=settings.FEED_ENTRIES,
            **kwargs,
        )
