from django.urls import reverse
from django.views.generic import TemplateView

from core.absolute_urls import absolute_url


class RobotsTxtView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"

    def get_context_data(self, **kwargs):
        sitemap_url = absolute_url(self.request, reverse("sitemap"))
        return super().get_context_data(sitemap_url=sitemap_url, **kwargs)
