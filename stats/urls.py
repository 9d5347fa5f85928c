"""The statistics pages (/statystyki/, /en/statystyki/): in the interface language, unlike the
CSV files (stats/file_urls.py), which keep one address."""

from django.urls import path, register_converter

from stats import converters, views

register_converter(converters.BreakdownConverter, "stats_breakdown")

app_name = "stats"

urlpatterns = [
    path("", views.StatisticsView.as_view(), name="overview"),
    path("<stats_breakdown:dimension>/", views.StatisticsView.as_view(), name="breakdown"),
]
