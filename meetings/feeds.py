"""Atom feeds of newly published materials: everything, and one year's.

Each feed lists the newest settings.FEED_ENTRIES materials, built from `.published()`
querysets only, in a fixed number of queries however many there are; the entries of all feeds
share one shape (`core.feeds.FeedEntry`). The feeds of a department and of an organisation
live in their apps and reuse what is here.
"""

from operator import attrgetter

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.text import capfirst

from core.absolute_urls import absolute_url, host_name
from core.feeds import FeedEntry, XMLSafeAtom1Feed, summary_text
from departments.models import Department
from meetings.models import ArchiveYear, Document, Meeting

SITE_NAME = "Archiwum spotkań Miasta Krakowa z NGO"
CITY = "Miasto Kraków"
# The date part of entry ids (RFC 4151 tag URIs). It must never change: readers would show
# every entry again as new.
TAG_DATE = "2026"


def published_department_names():
    return Department.objects.published().only("pk", "name")


def department_prefetches(*paths):
    """Prefetches of the published departments behind each path (e.g. "meeting__departments");
    a round's coordinator counts too. A draft department's name is never an entry's author."""
    return [Prefetch(path, queryset=published_department_names()) for path in paths]


def authors(departments):
    return ", ".join(department.name for department in departments if department) or CITY


def author_of_parent(meeting, round_):
    """Who published a meeting's or a round's material: its departments, or the city."""
    if meeting is not None:
        return authors(meeting.departments.all())
    return authors([round_.coordinator])


def document_entries(*conditions):
    documents = (
        Document.objects.published()
        .filter(*conditions)
        .select_related("meeting", "round")
        .only(
            "title",
            "slug",
            "kind",
            "published_at",
            "meeting__title",
            "meeting__slug",
            "meeting__year",
            "round__title",
            "round__slug",
            "round__year",
            "round__coordinator",
        )
        .prefetch_related(*department_prefetches("meeting__departments", "round__coordinator"))
        .order_by("-published_at", "-pk")[: settings.FEED_ENTRIES]
    )
    return [document_entry(document) for document in documents]


def document_entry(document):
    parent = document.parent
    parent_label = "Spotkanie" if document.meeting_id else "Cykl spotkań"
    return FeedEntry(
        key=f"dokument-{document.pk}",
        title=f"{document.title} – {parent.title}",
        path=document.get_absolute_url(),
        summary=f"{capfirst(document.get_kind_display())}. {parent_label}: {parent.title}.",
        published_at=document.published_at,
        author=author_of_parent(document.meeting, document.round),
    )


def meeting_entries(*conditions):
    meetings = (
        Meeting.objects.published()
        .filter(*conditions)
        .only("title", "slug", "year", "kind", "topic", "starts_on", "published_at")
        .prefetch_related(*department_prefetches("departments"))
        .order_by("-published_at", "-pk")[: settings.FEED_ENTRIES]
    )
    return [meeting_entry(meeting) for meeting in meetings]


def meeting_entry(meeting):
    when = f" z {date_format(meeting.starts_on, 'j E Y')} r." if meeting.starts_on else "."
    summary = f"{capfirst(meeting.get_kind_display())}{when} {meeting.topic}".strip()
    return FeedEntry(
        key=f"spotkanie-{meeting.pk}",
        title=meeting.title,
        path=meeting.get_absolute_url(),
        summary=summary,
        published_at=meeting.published_at,
        author=authors(meeting.departments.all()),
    )


class MaterialsFeed(Feed):
    """Newest published materials as Atom; subclasses say which (`entries`) and what about."""

    feed_type = XMLSafeAtom1Feed
    language = "pl"
    author_name = CITY

    @classmethod
    def as_view(cls):
        # A fresh feed per request, so entries can read the request's host (ids, absolute
        # links) without sharing state between threads.
        def view(request, *args, **kwargs):
            feed = cls()
            feed.request = request
            return feed(request, *args, **kwargs)

        return view

    def entries(self, obj):
        raise NotImplementedError

    def items(self, obj):
        newest_first = sorted(
            self.entries(obj), key=attrgetter("published_at", "key"), reverse=True
        )
        return newest_first[: settings.FEED_ENTRIES]

    def page_path(self, obj):
        raise NotImplementedError

    def link(self, obj):
        return absolute_url(self.page_path(obj))

    def stylesheets(self, obj):
        # A person who opens the feed in a browser sees a page explaining it, not raw XML.
        return [static("feeds/atom.xsl")]

    def feed_url(self, obj):
        return absolute_url(self.request.path)

    def feed_guid(self, obj):
        return self.feed_url(obj)

    def item_title(self, entry):
        # An Atom title is plain text: the XML writer escapes it, nothing more is needed.
        return entry.title

    def item_description(self, entry):
        # Atom summaries are typed "html" by Django: escaping makes any markup in a title or
        # topic show as text in readers instead of being interpreted.
        return escape(summary_text(entry.summary))

    def item_link(self, entry):
        return absolute_url(entry.path)

    def item_guid(self, entry):
        return f"tag:{host_name()},{TAG_DATE}:{entry.key}"

    def item_pubdate(self, entry):
        return entry.published_at

    def item_updateddate(self, entry):
        return entry.published_at

    def item_author_name(self, entry):
        return entry.author


class LatestMaterialsFeed(MaterialsFeed):
    title = f"Nowe materiały – {SITE_NAME}"
    subtitle = (
        "Nowo opublikowane dokumenty i spotkania wydziałów Urzędu Miasta Krakowa "
        "z organizacjami pozarządowymi."
    )

    def page_path(self, obj):
        return reverse("meetings:home")

    def entries(self, obj):
        return [*document_entries(), *meeting_entries()]


class YearMaterialsFeed(MaterialsFeed):
    def get_object(self, request, year):
        return get_object_or_404(ArchiveYear.objects.published(), year=year)

    def title(self, year):
        return f"Nowe materiały z roku {year.year} – {SITE_NAME}"

    def subtitle(self, year):
        return f"Nowo opublikowane dokumenty i spotkania z roku {year.year}."

    def page_path(self, year):
        return year.get_absolute_url()

    def entries(self, year):
        return [
            *document_entries(Q(meeting__year=year) | Q(round__year=year)),
            *meeting_entries(Q(year=year)),
        ]
