"""Which addresses bench/pages_bench.py measures: every URL pattern of the public URLconf,
each with addresses picked from the data (the heavy end of what is public), each list at its
first page and, read from that page, its last."""

import gzip
import re
from dataclasses import dataclass
from urllib.parse import urlencode

# The page count every paginated list shows ("Strona 1 z 2 000", includes/pagination.html).
PAGE_COUNT = re.compile(r"(?:Strona|Page) \d+ (?:z|of) ([\d\u00a0 ,]+)</span>")
SITEMAP_PAGES = re.compile(r"<loc>[^<]*sitemap-([a-z]+)\.xml\?p=(\d+)</loc>")


@dataclass
class Target:
    """One address to measure."""

    pattern: str  # the URL pattern's name ("postulates:list") or route
    label: str
    path: str
    download: bool = False  # judged by its first byte against the download target
    status: int = 200
    last_page_of: str = ""  # measure also the last page of this list (found on its first)
    skipped: str = ""  # why the data offers nothing to measure here


def public_patterns():
    """{name: route} of every URL pattern of the public URLconf, the admin's aside: named
    ones by "namespace:name", the others by their route."""
    from django.conf import settings
    from django.urls import URLPattern, URLResolver, get_resolver

    found = {}

    def walk(patterns, route, namespace):
        for pattern in patterns:
            here = route + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if here.startswith(settings.ADMIN_URL):
                    continue
                inner = ":".join(filter(None, (namespace, pattern.namespace)))
                walk(pattern.url_patterns, here, inner)
            elif isinstance(pattern, URLPattern):
                name = ":".join(filter(None, (namespace, pattern.name))) if pattern.name else ""
                found[name or here] = here

    walk(get_resolver().url_patterns, "", "")
    return found


def with_query(path, **parameters):
    return f"{path}?{urlencode(parameters)}" if parameters else path


def pick_targets():
    """The addresses to measure, picked from the data: the heavy end of what is public."""
    from django.db.models import Count
    from django.urls import reverse

    from accessibility.models import AccessibilityStatement
    from departments.models import Department
    from meetings.models import Document, Meeting, Round
    from organisations.models import Organisation
    from postulates.models import Outcome, Position, Postulate, PostulateLink, PublicTaskArea
    from programmes.models import Programme
    from stats.dimensions import DIMENSIONS, OVERVIEW, statistics_url

    meetings = Meeting.objects.published()
    year = meetings.values("year").annotate(n=Count("pk")).order_by("-n", "-year").first()["year"]
    meeting = (
        meetings.filter(year=year)
        .annotate(n=Count("postulates"))
        .order_by("-n", "pk")
        .only("pk", "slug", "year")
        .first()
    )
    round_ = Round.objects.published().annotate(n=Count("meetings")).order_by("-n", "pk").first()
    department = (
        Department.objects.published().annotate(n=Count("meetings")).order_by("-n", "pk").first()
    )
    organisation = (
        Organisation.objects.published()
        .annotate(n=Count("postulates"))
        .order_by("-n", "pk")
        .first()
    )
    programme = (
        Programme.objects.published().annotate(n=Count("meetings")).order_by("-n", "pk").first()
    )
    area = PublicTaskArea.objects.annotate(n=Count("postulates")).order_by("-n", "pk").first()
    outcome = Outcome.objects.annotate(n=Count("positions")).order_by("-n", "pk").first()
    linked = (
        Postulate.objects.published()
        .filter(pk__in=PostulateLink.objects.values("from_postulate"))
        .order_by("pk")
        .first()
    ) or Postulate.objects.published().order_by("pk").first()
    answered = Position.objects.published().order_by("-pk").first()
    meeting_document = Document.objects.published().filter(meeting__isnull=False).first()
    round_document = Document.objects.published().filter(round__isnull=False).first()
    meeting_file = Document.objects.published().filter(meeting__isnull=False).exclude(file="")
    round_file = Document.objects.published().filter(round__isnull=False).exclude(file="")
    words = "lokale organizacji"

    def document_targets(kind, document, with_file):
        found = []
        if document:
            found.append(
                Target(f"meetings:{kind}_document", "document", document.get_absolute_url())
            )
        download = with_file.first()
        pattern = f"meetings:{kind}_document_download"
        text = f"meetings:{kind}_document_text"
        if download:
            found.append(
                Target(pattern, "document file", download.get_download_url(), download=True)
            )
            found.append(Target(text, "document's text version", download.get_text_url()))
        else:
            found.append(Target(pattern, "document file", "", skipped="no document with a file"))
            found.append(Target(text, "document's text version", "", skipped="no file"))
        return found

    targets = [
        Target("health", "health check", reverse("health")),
        Target("robots", "robots.txt", reverse("robots")),
        Target("favicon.ico", "favicon (redirect)", "/favicon.ico", status=302),
        Target(
            "apple-touch-icon.png", "touch icon (redirect)", "/apple-touch-icon.png", status=302
        ),
        Target("meetings:home", "home", reverse("meetings:home")),
        Target("meetings:home", "home, English", "/en/"),
        Target("meetings:list", "meetings", reverse("meetings:list"), last_page_of="meetings"),
        Target(
            "meetings:list",
            f"meetings ?rok={year}",
            with_query(reverse("meetings:list"), rok=year),
            last_page_of="meetings of a year",
        ),
        Target(
            "meetings:list",
            "meetings ?wydzial=",
            with_query(reverse("meetings:list"), wydzial=department.slug),
            last_page_of="meetings of a department",
        ),
        Target(
            "meetings:list",
            "meetings ?sfera=",
            with_query(reverse("meetings:list"), sfera=area.slug),
        ),
        Target(
            "meetings:list",
            "meetings ?organizacja=",
            with_query(reverse("meetings:list"), organizacja=organisation.slug),
        ),
        Target(
            "meetings:year",
            f"year {year}",
            reverse("meetings:year", kwargs={"year": year}),
            last_page_of=f"year {year}",
        ),
        Target("meetings:detail", "meeting (most postulates)", meeting.get_absolute_url()),
        Target(
            "meetings:round",
            "round (most meetings)",
            round_.get_absolute_url(),
            last_page_of="round",
        ),
        *document_targets("meeting", meeting_document, meeting_file),
        *document_targets("round", round_document, round_file),
        Target("departments:list", "departments", reverse("departments:list")),
        Target(
            "departments:detail",
            "department (most meetings)",
            department.get_absolute_url(),
            last_page_of="department",
        ),
        Target(
            "organisations:list",
            "organisations",
            reverse("organisations:list"),
            last_page_of="organisations",
        ),
        Target(
            "organisations:list",
            "organisations ?nazwa=",
            with_query(reverse("organisations:list"), nazwa=organisation.name.split()[0]),
        ),
        Target(
            "organisations:detail",
            "organisation (most postulates)",
            organisation.get_absolute_url(),
            last_page_of="organisation",
        ),
        Target("programmes:list", "programmes", reverse("programmes:list")),
        Target(
            "programmes:detail",
            "programme (most meetings)",
            programme.get_absolute_url(),
            last_page_of="programme",
        ),
        Target(
            "postulates:list", "postulates", reverse("postulates:list"), last_page_of="postulates"
        ),
        *(
            Target(
                "postulates:list",
                f"postulates ?{name}=",
                with_query(reverse("postulates:list"), **{name: value}),
                last_page_of=f"postulates ?{name}=" if name in ("rok", "wydzial") else "",
            )
            for name, value in (
                ("rok", year),
                ("wydzial", department.slug),
                ("odpowiedzialny", department.slug),
                ("sfera", area.slug),
                ("rozstrzygniecie", outcome.slug),
                ("organizacja", organisation.slug),
                ("uwaga", "zobowiazanie-po-terminie"),
                ("historia", "tak"),
                ("q", words),
            )
        ),
        Target("postulates:detail", "postulate (linked)", linked.get_absolute_url()),
        Target("postulates:detail", "postulate (answered)", answered.postulate.get_absolute_url()),
        Target(
            "postulates:commitments",
            "commitments",
            reverse("postulates:commitments"),
            last_page_of="commitments",
        ),
        Target(
            "postulates:commitments",
            "commitments ?stan=po-terminie",
            with_query(reverse("postulates:commitments"), stan="po-terminie"),
        ),
        Target(
            "search:results",
            f"search {words!r}",
            with_query(reverse("search:results"), q=words),
        ),
        Target("subscriptions", "feeds and calendars", reverse("subscriptions")),
        Target("opendata_page:index", "open data", reverse("opendata_page:index")),
        Target("stats:overview", "statistics", reverse("stats:overview")),
        Target(
            "stats:overview",
            "statistics ?wydzial=",
            statistics_url(OVERVIEW, wydzial=department.slug),
        ),
        *(
            Target("stats:breakdown", f"statistics /{slug}/", statistics_url(dimension))
            for slug, dimension in DIMENSIONS.items()
            if dimension != OVERVIEW
        ),
        Target(
            "stats:breakdown",
            f"statistics /wydzialy/ ?rok={year}",
            statistics_url(DIMENSIONS["wydzialy"], rok=year),
        ),
        Target(
            "stats_files:csv",
            "statistics CSV",
            reverse("stats_files:csv", kwargs={"dimension": "wydzialy"}),
        ),
        Target("feeds:latest", "feed: latest", reverse("feeds:latest")),
        Target("feeds:year", "feed: year", reverse("feeds:year", kwargs={"year": year})),
        Target(
            "feeds:department",
            "feed: department",
            reverse("feeds:department", kwargs={"slug": department.slug}),
        ),
        Target(
            "feeds:organisation",
            "feed: organisation",
            reverse("feeds:organisation", kwargs={"slug": organisation.slug}),
        ),
        Target("feeds:calendar", "calendar: all meetings", reverse("feeds:calendar")),
        Target(
            "feeds:department_calendar",
            "calendar: department",
            reverse("feeds:department_calendar", kwargs={"slug": department.slug}),
        ),
        Target(
            "feeds:organisation_calendar",
            "calendar: organisation",
            reverse("feeds:organisation_calendar", kwargs={"slug": organisation.slug}),
        ),
        Target("opendata:schema", "export schema", reverse("opendata:schema")),
        Target("opendata:archive", "full archive ZIP", reverse("opendata:archive"), download=True),
        Target(
            "opendata:archive_sha256",
            "full archive checksum",
            reverse("opendata:archive_sha256"),
        ),
        Target("sitemap", "sitemap index", reverse("sitemap")),
    ]
    for export in ("meetings", "postulates", "commitments"):
        for file_format in ("csv", "json"):
            name = f"opendata:{export}_{file_format}"
            targets += [
                Target(name, f"{export}.{file_format}", reverse(name), download=True),
                Target(
                    f"{name}_sha256", f"{export}.{file_format} checksum", reverse(f"{name}_sha256")
                ),
            ]
    # Filtered exports are built in the request, up to EXPORT_REQUEST_MAX_RECORDS records.
    targets += [
        Target(
            "opendata:postulates_csv",
            "postulates.csv ?organizacja=",
            with_query(reverse("opendata:postulates_csv"), organizacja=organisation.slug),
            download=True,
        ),
        Target(
            "opendata:meetings_csv",
            "meetings.csv ?wydzial=",
            with_query(reverse("opendata:meetings_csv"), wydzial=department.slug),
            download=True,
        ),
        Target(
            "opendata:commitments_csv",
            "commitments.csv ?wydzial=",
            with_query(reverse("opendata:commitments_csv"), wydzial=department.slug),
            download=True,
        ),
    ]
    targets += api_targets(department)
    targets += alert_targets(year, department, organisation, linked)
    targets += [
        Target(
            "history:register",
            "change register",
            reverse("history:register"),
            last_page_of="change register",
        ),
        Target("history_files:csv", "change register CSV", reverse("history_files:csv")),
        Target("history_files:feed", "change register feed", reverse("history_files:feed")),
        Target(
            "stats_files:csv_sha256",
            "statistics CSV checksum",
            reverse("stats_files:csv_sha256", kwargs={"dimension": "wydzialy"}),
        ),
        Target("dane/dane-gov-pl.xml.md5", "dane.gov.pl MD5 (route)", "/dane/dane-gov-pl.xml.md5"),
    ]
    if AccessibilityStatement.objects.exists():
        targets.append(
            Target(
                "accessibility:statement",
                "accessibility statement",
                reverse("accessibility:statement"),
            )
        )
    else:
        # Without a statement the page answers 404: measured as such.
        targets.append(
            Target(
                "accessibility:statement",
                "accessibility statement (none: 404)",
                reverse("accessibility:statement"),
                status=404,
            )
        )
    return targets


def alert_targets(year, department, organisation, postulate):
    """The alerts' sign-up forms for each kind of target, the page after signing up, and the
    pages a subscriber's links open (a subscriber's own token where the data has one, else an
    unknown token, which the pages answer as such)."""
    from django.urls import reverse

    from alerts.models import Subscriber, Subscription

    subscriber = Subscriber.objects.order_by("pk").first()
    pending = Subscription.objects.filter(confirmation_token__isnull=False).order_by("pk").first()
    unknown = "nieznany-token-0000000000000000000000000000"
    token = subscriber.token if subscriber else unknown
    confirmation = pending.confirmation_token if pending else unknown
    # An unknown token's pages answer 404.
    status = 200 if subscriber else 404
    return [
        Target("alerts:archive", "alerts: whole archive", reverse("alerts:archive")),
        Target("alerts:year", "alerts: a year", reverse("alerts:year", args=[year])),
        Target(
            "alerts:department",
            "alerts: a department",
            reverse("alerts:department", args=[department.slug]),
        ),
        Target(
            "alerts:organisation",
            "alerts: an organisation",
            reverse("alerts:organisation", args=[organisation.slug]),
        ),
        Target(
            "alerts:postulate",
            "alerts: a postulate",
            reverse("alerts:postulate", args=[postulate.pk]),
        ),
        # A list's filters (unfiltered, the list is too broad to follow: refused with 400).
        Target(
            "alerts:meeting_list",
            "alerts: meetings ?organizacja=",
            with_query(reverse("alerts:meeting_list"), organizacja=organisation.slug),
        ),
        Target(
            "alerts:postulate_list",
            "alerts: postulates ?organizacja=",
            with_query(reverse("alerts:postulate_list"), organizacja=organisation.slug),
        ),
        Target("alerts:requested", "alerts: check your mail", reverse("alerts:requested")),
        Target(
            "alerts:confirm",
            "alerts: confirm" + ("" if pending else " (unknown token)"),
            reverse("alerts:confirm", args=[confirmation]),
            status=200 if pending else 404,
        ),
        Target(
            "alerts:manage",
            "alerts: manage" + ("" if subscriber else " (unknown token)"),
            reverse("alerts:manage", args=[token]),
            status=status,
        ),
        Target(
            "alerts:unsubscribe",
            "alerts: unsubscribe" + ("" if subscriber else " (unknown token)"),
            reverse("alerts:unsubscribe", args=[token]),
            status=status,
        ),
    ]


def api_cursor_of_last_page(resource, limit):
    """The cursor of a list's last page: the id just before its last `limit` records."""
    from django.utils import timezone

    keys = resource.queryset(timezone.now()).order_by("-pk").values_list("pk", flat=True)
    before = list(keys[limit : limit + 1])
    return before[0] if before else 0


def api_targets(department):
    """Every resource of the API at its first and last page and one record, the postulates
    filtered too; its description, documentation and index; the dane.gov.pl catalogue."""
    from django.urls import reverse
    from django.utils import timezone

    from api.pagination import DEFAULT_LIMIT
    from api.resources import RESOURCES

    targets = [
        # Ninja's own root pattern sits behind the index at the same address.
        Target("api:index", "API index", reverse("api:index")),
        Target("api:api-root", "API index (root pattern)", reverse("api:api-root")),
        Target("api:openapi-json", "API OpenAPI document", reverse("api:openapi-json")),
        Target("api_page:docs", "API documentation", reverse("api_page:docs")),
        Target("api_not_found", "API unknown address (404)", "/api/v2/", status=404),
        Target("api_versions", "API versions", "/api/"),
        *(
            Target(f"api:{name}", f"API {name}", reverse(f"api:{name}"))
            for name in (
                "statystyki-lata",
                "statystyki-wydzialy",
                "statystyki-sfery",
                "statystyki-programy",
            )
        ),
        Target("opendata:harvest", "dane.gov.pl catalogue", reverse("opendata:harvest")),
        Target("opendata:harvest_md5", "dane.gov.pl MD5", reverse("opendata:harvest_md5")),
        Target("opendata:dcat", "DCAT-AP catalogue", reverse("opendata:dcat")),
    ]
    for resource in RESOURCES:
        name = f"api:{resource.name}-list"
        path = reverse(name)
        targets += [
            Target(name, f"API {resource.name}", path),
            Target(
                name,
                f"API {resource.name}, last page",
                with_query(path, kursor=api_cursor_of_last_page(resource, DEFAULT_LIMIT)),
            ),
        ]
        first = resource.queryset(timezone.now()).values_list("pk", flat=True).first()
        detail = f"api:{resource.name}-detail"
        if first is None:
            targets.append(Target(detail, f"API {resource.name} record", "", skipped="none"))
        else:
            targets.append(
                Target(detail, f"API {resource.name} record", reverse(detail, args=[first]))
            )
    postulates = reverse("api:postulaty-list")
    targets += [
        Target(
            "api:postulaty-list",
            "API postulaty ?wydzial=",
            with_query(postulates, wydzial=department.slug),
        ),
        Target(
            "api:postulaty-list",
            "API postulaty ?rok= limit 200",
            with_query(postulates, rok=department_year(), limit=200),
        ),
    ]
    return targets


def department_year():
    from meetings.models import ArchiveYear

    return ArchiveYear.objects.published().order_by("-year").values_list("year", flat=True)[0]


def body_text(response):
    if response.streaming:
        return ""
    content = response.content
    if response.get("Content-Encoding") == "gzip":
        content = gzip.decompress(content)
    return content.decode(errors="replace")


def last_page_target(target, response):
    """The same list at its last page, read from the first page's "Strona 1 z N"; None for a
    list of one page."""
    text = body_text(response)
    if target.pattern.startswith("sitemap"):
        return None
    match = PAGE_COUNT.search(text)
    if not match:
        return None
    pages = int(re.sub(r"\D", "", match.group(1)))
    if pages < 2:
        return None
    separator = "&" if "?" in target.path else "?"
    return Target(
        target.pattern,
        f"{target.last_page_of}, last page ({pages:,})",
        f"{target.path}{separator}page={pages}",
    )


def sitemap_section_targets(index_text):
    """Each section of the sitemap index at its first page, and at its last where it has more."""
    from django.urls import reverse

    from krakow_ngo.sitemap_sections import SITEMAP_SECTIONS

    last_pages = {}
    for section, page in SITEMAP_PAGES.findall(index_text):
        last_pages[section] = max(last_pages.get(section, 1), int(page))
    targets = []
    for section in SITEMAP_SECTIONS:
        path = reverse("sitemap-section", kwargs={"section": section})
        targets.append(Target("sitemap-section", f"sitemap-{section}", path))
        if section in last_pages:
            targets.append(
                Target(
                    "sitemap-section",
                    f"sitemap-{section}, last page ({last_pages[section]})",
                    f"{path}?p={last_pages[section]}",
                )
            )
    return targets
