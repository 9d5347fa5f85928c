from django.urls import include, path

from accessibility.views import DocumentTextView
from meetings import views
from meetings.models import Document


def document_urls(parent_field):
    return [
        path(
            "",
            views.DocumentDetailView.as_view(parent_field=parent_field),
            name=f"{parent_field}_document",
        ),
        path(
            "pobierz/",
            views.DocumentDownloadView.as_view(parent_field=parent_field),
            name=f"{parent_field}_document_download",
        ),
        path(
            f"{Document.TEXT_SEGMENT}/",
            DocumentTextView.as_view(parent_field=parent_field),
            name=f"{parent_field}_document_text",
        ),
    ]


app_name = "meetings"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("spotkania/", views.MeetingListView.as_view(), name="list"),
    path("<int:year>/", views.YearDetailView.as_view(), name="year"),
    path("<int:year>/spotkania/<slug:slug>/", views.MeetingDetailView.as_view(), name="detail"),
    path("<int:year>/cykle/<slug:slug>/", views.RoundDetailView.as_view(), name="round"),
    path(
        f"<int:year>/spotkania/<slug:parent_slug>/{Document.URL_SEGMENT}/<slug:slug>/",
        include(document_urls("meeting")),
    ),
    path(
        f"<int:year>/cykle/<slug:parent_slug>/{Document.URL_SEGMENT}/<slug:slug>/",
        include(document_urls("round")),
    ),
]
