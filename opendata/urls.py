from django.urls import path

from opendata import views

# The files: outside i18n_patterns, one address whatever the interface language. The page
# describing them, /dane/, is in opendata/page_urls.py (translated, /en/dane/ in English).
app_name = "opendata"

urlpatterns = [
    path(
        "spotkania/eksport.csv",
        views.MeetingExportView.as_view(file_format="csv"),
        name="meetings_csv",
    ),
    path(
        "spotkania/eksport.json",
        views.MeetingExportView.as_view(file_format="json"),
        name="meetings_json",
    ),
    path(
        "postulaty/eksport.csv",
        views.PostulateExportView.as_view(file_format="csv"),
        name="postulates_csv",
    ),
    path(
        "postulaty/eksport.json",
        views.PostulateExportView.as_view(file_format="json"),
        name="postulates_json",
    ),
    path("dane/archiwum.zip", views.ArchiveView.as_view(), name="archive"),
    path("dane/schema.json", views.SchemaView.as_view(), name="schema"),
]
