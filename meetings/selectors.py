"""Reads of public meetings shared by the home, year, department, organisation and programme
pages: one place that decides what is prefetched, so no list page can fall into N+1."""

from django.db.models import F, Prefetch

from departments.models import Department
from meetings.models import Document, Meeting
from organisations.models import Organisation


def public_documents():
    return Document.objects.published().order_by("order", "pk")


def public_meetings():
    return (
        Meeting.objects.published()
        .with_first_date()
        .select_related("round", "programme")
        .prefetch_related(
            "dates",
            Prefetch("departments", queryset=Department.objects.published()),
            Prefetch("documents", queryset=public_documents()),
        )
        .order_by("-year", F("first_date").asc(nulls_last=True), "title")
    )


def public_meeting_detail():
    return (
        Meeting.objects.published()
        .select_related("year", "round", "programme")
        .prefetch_related(
            "dates",
            Prefetch("departments", queryset=Department.objects.published()),
            Prefetch("participants", queryset=Organisation.objects.published()),
            Prefetch("documents", queryset=public_documents()),
        )
    )
