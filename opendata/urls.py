from django.urls import path

from opendata import views

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
    path("dane/", views.OpenDataView.as_view(), name="index"),
    path("dane/archiwum.zip", views.ArchiveView.as_view(), name="archive"),
    path("dane/schema.json", views.SchemaView.as_view(), name="schema"),
]
