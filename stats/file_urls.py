"""The statistics as CSV (/statystyki/wydzialy.csv, ...): outside i18n_patterns, one address
whatever the interface language, like the other exports."""

from django.urls import path, register_converter

from stats import converters, views

register_converter(converters.DimensionConverter, "stats_dimension")

app_name = "stats_files"

urlpatterns = [
    path("<stats_dimension:dimension>.csv", views.StatisticsCsvView.as_view(), name="csv"),
    path(
        "<stats_dimension:dimension>.csv.sha256",
        views.StatisticsChecksumView.as_view(),
        name="csv_sha256",
    ),
]
