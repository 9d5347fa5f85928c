from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Archiwum spotkań Miasta Krakowa z NGO – redakcja"
admin.site.site_title = "Redakcja archiwum NGO"
admin.site.index_title = "Materiały ze spotkań z organizacjami pozarządowymi"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("wydzialy/", include("departments.urls")),
    path("organizacje/", include("organisations.urls")),
    path("programy/", include("programmes.urls")),
    path("postulaty/", include("postulates.urls")),
    path("deklaracja-dostepnosci/", include("accessibility.urls")),
    path("", include("meetings.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
