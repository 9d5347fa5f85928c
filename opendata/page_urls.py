"""The open data page (/dane/, /en/dane/): in the interface language, unlike its files."""

from django.urls import path

from opendata import views

app_name = "opendata_page"

urlpatterns = [
    path("dane/", views.OpenDataView.as_view(), name="index"),
]
