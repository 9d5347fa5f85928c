from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from krakow_ngo.health import health
from krakow_ngo.robots import RobotsTxtView
from krakow_ngo.sitemap_sections import SITEMAP_SECTIONS
from krakow_ngo.sitemaps import sitemap_index
from krakow_ngo.subscriptions import SubscriptionHelpView

handler400 = "krakow_ngo.errors.bad_request"
handler403 = "krakow_ngo.errors.permission_denied"
handler500 = "krakow_ngo.errors.server_error"

# What leaves the site as files or serves machines keeps one address whatever the interface
# language: the admin, feeds and calendars, exports, the full export, sitemaps and robots.txt.
urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    # For load balancers: database and cache state, never cached.
    path("zdrowie/", health, name="health"),
    path("kanaly/", include("krakow_ngo.feed_urls")),
    # CSV/JSON of the lists (/spotkania/eksport.csv, ...) and the full export under /dane/.
    path("", include("opendata.urls")),
    # The statistics as CSV (/statystyki/wydzialy.csv, ...).
    path("statystyki/", include("stats.file_urls")),
    # The read-only JSON API and its OpenAPI description (/api/v1/openapi.json).
    path("api/", include("api.urls")),
    # The change register as CSV and Atom (/rejestr-zmian.csv, /rejestr-zmian.atom).
    path("", include("history.file_urls")),
    path("robots.txt", RobotsTxtView.as_view(), name="robots"),
    path("", include("krakow_ngo.icons")),
    # An index of sections, each paginated at 50,000 URLs, so the sitemap keeps up with growth.
    path(
        "sitemap.xml",
        sitemap_index,
        {"sitemaps": SITEMAP_SECTIONS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAP_SECTIONS},
        name="sitemap-section",
    ),
]

# The public pages: Polish at the addresses they always had, English under /en/. The
# archive's content (titles, topics, names) stays in Polish in both.
urlpatterns += i18n_patterns(
    path("wydzialy/", include("departments.urls")),
    path("organizacje/", include("organisations.urls")),
    path("programy/", include("programmes.urls")),
    path("postulaty/", include("postulates.urls")),
    path("deklaracja-dostepnosci/", include("accessibility.urls")),
    path("szukaj/", include("search.urls")),
    path("kanaly-i-kalendarze/", SubscriptionHelpView.as_view(), name="subscriptions"),
    path("powiadomienia/", include("alerts.urls")),
    path("statystyki/", include("stats.urls")),
    path("", include("api.page_urls")),
    path("rejestr-zmian/", include("history.urls")),
    path("", include("opendata.page_urls")),
    path("", include("meetings.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
