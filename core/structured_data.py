"""schema.org descriptions (JSON-LD) of the archive's pages, for search engines."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.absolute_urls import absolute_url

CONTEXT = "https://schema.org"
CITY_HALL = {"@type": "GovernmentOrganization", "name": "Urząd Miasta Krakowa"}


def breadcrumb_list(request, breadcrumbs):
    """BreadcrumbList of the archive's root followed by the page's (label, url) crumbs."""
    items = [(_("Archiwum"), reverse("meetings:home")), *breadcrumbs]
    return {
        "@context": CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": str(label),
                "item": absolute_url(url or request.path),
            }
            for position, (label, url) in enumerate(items, start=1)
        ],
    }


def government_organization(request, department):
    return {"@context": CONTEXT, **_organization(request, department)}


def _organization(request, department):
    data = {
        "@type": "GovernmentOrganization",
        "name": department.name,
        "url": absolute_url(department.get_absolute_url()),
        "parentOrganization": CITY_HALL,
        "address": {"@type": "PostalAddress", "addressLocality": "Kraków", "addressCountry": "PL"},
    }
    if department.abbreviation:
        data["alternateName"] = department.abbreviation
    return data


def event(request, meeting):
    """An Event for a dated meeting; None for a meeting without dates (startDate is required)."""
    days = [day.date for day in meeting.dates.all()]
    if not days:
        return None
    url = absolute_url(meeting.get_absolute_url())
    if meeting.is_online:
        mode, location = "OnlineEventAttendanceMode", {"@type": "VirtualLocation", "url": url}
    else:
        mode = "OfflineEventAttendanceMode"
        location = {
            "@type": "Place",
            "name": meeting.place or "Urząd Miasta Krakowa",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": "Kraków",
                "addressCountry": "PL",
            },
        }
    data = {
        "@context": CONTEXT,
        "@type": "Event",
        "name": meeting.title,
        "startDate": min(days).isoformat(),
        "endDate": max(days).isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": f"https://schema.org/{mode}",
        "location": location,
        "organizer": [_organization(request, d) for d in meeting.departments.all()] or [CITY_HALL],
        "url": url,
    }
    if meeting.topic:
        data["description"] = meeting.topic
    return data


def dataset(request, *, name, description, licence_url, creator, distributions):
    """A Dataset with its downloads: (name, path, MIME type) for each distribution."""
    return {
        "@context": CONTEXT,
        "@type": "Dataset",
        "name": name,
        "description": description,
        "url": absolute_url(request.path),
        "license": licence_url,
        "inLanguage": "pl",
        "isAccessibleForFree": True,
        "creator": {"@type": "GovernmentOrganization", "name": creator},
        "distribution": [
            {
                "@type": "DataDownload",
                "name": title,
                "encodingFormat": mime_type,
                "contentUrl": absolute_url(path),
            }
            for title, path, mime_type in distributions
        ],
    }


def record_page(
    request,
    *,
    kind,
    name,
    published,
    modified,
    departments,
    prepared_by,
    created=None,
    entered_by=None,
):
    """The record card ("metryczka") of a public page in schema.org terms: the page as
    `kind` (WebPage, DigitalDocument) with when it was created, first published and last
    changed, the departments publishing and authoring it, who prepared it (`creditText`: the
    editor's free text, a name with a position or a unit, typed as nothing more) and who
    entered it (`contributor`: a staff account's public name and role as signed then, a
    history Signature; none for an unsigned one, which names no person). None
    before the record is public."""
    if published is None:
        return None
    publishers = [_organization(request, department) for department in departments] or [CITY_HALL]
    data = {
        "@context": CONTEXT,
        "@type": kind,
        "name": name,
        "url": absolute_url(request.path),
        "inLanguage": "pl",
        "datePublished": timezone.localtime(published).isoformat(),
        "dateModified": timezone.localtime(modified or published).isoformat(),
        "publisher": publishers,
        "author": publishers,
    }
    if created is not None:
        data["dateCreated"] = timezone.localtime(created).isoformat()
    if prepared_by:
        data["creditText"] = prepared_by
    if entered_by is not None and entered_by.person:
        contributor = {"@type": "Person", "name": entered_by.name}
        if entered_by.role:
            contributor["jobTitle"] = entered_by.role
        data["contributor"] = contributor
    return data
