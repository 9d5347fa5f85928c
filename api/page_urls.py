"""The API's documentation for people (/dane/api/, /en/dane/api/), in the interface language."""

from django.urls import path

from api import docs

app_name = "api_page"

urlpatterns = [
    path("dane/api/", docs.ApiDocsView.as_view(), name="docs"),
]
