"""The register as a file and a feed: one address whatever the interface language."""

from django.urls import path

from history import feeds, views

app_name = "history_files"

urlpatterns = [
    path("rejestr-zmian.csv", views.ChangeRegisterCSV.as_view(), name="csv"),
    path("rejestr-zmian.atom", feeds.ChangeRegisterFeed.as_view(), name="feed"),
]
