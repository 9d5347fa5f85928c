import datetime
import importlib
import os
import shutil
import time

import pytest
import time_machine
from django.apps import apps as django_apps
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from meetings.models import Document, Meeting, Round
from organisations.models import Organisation
from postulates.models import Outcome


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in Polish: a request under /en/ leaves English active in the thread,
    and reverse() or get_absolute_url() in the next test would then give /en/ addresses."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def plain_test_settings(settings, tmp_path):
    """Tests see every page freshly rendered and log editors in with a password only; the
    page cache and the second factor have their own tests, which switch them back on. The
    site's address is the test client's; stored files are the test's own."""
    settings.PAGE_CACHE_ENABLED = False
    settings.ADMIN_REQUIRE_OTP = False
    # The API's rate limit counts every request of the test client's one address.
    settings.API_RATE_LIMIT = None
    # Nor are the filtered exports limited, but in their limit's own tests.
    settings.EXPORT_RATE_LIMIT = None
    # Files built without a request (opendata/builds.py) name the test client's host.
    settings.SITE_URL = "https://testserver"
    # Stored files (uploads, prebuilt downloads) go to the test's own folder.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def rate_limit_window():
    """The rate limits count in fixed windows (ratelimits.counting): a test of one starts at
    the beginning of a minute's window, not across two (a little ahead of now, so what the
    test has just published stays published)."""
    with time_machine.travel((time.time() // 60 + 1) * 60 + 0.5, tick=True):
        yield


def require_tool(path, what):
    """Skip locally when a system tool is missing; in CI a missing tool is a failure."""
    if shutil.which(path):
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} ({path}) is missing; .ci/run should have installed it.")
    pytest.skip(f"{what} ({path}) is not installed")


# Public pages that carry a form or a personal token: never stored by a cache, never indexed
# (alerts.views.PrivatePageMixin).
PRIVATE_PAGES = {"email-alerts"}


@pytest.fixture
def public_pages(django_db_blocker):
    """The real archive plus one answered postulate: one URL of every public page type."""
    from tests.factories import PositionFactory, PostulateFactory

    with django_db_blocker.unblock():
        # A transactional test run before this one may have flushed the statement its data
        # migration created; the migration's own function puts it back (it skips if present).
        seed = importlib.import_module("accessibility.migrations.0002_initial_statement")
        seed.create_statement(django_apps, schema_editor=None)
        call_command("load_archive", verbosity=0)
        meeting = Meeting.objects.get(
            year=2025, slug="spotkanie-w-centrum-obywatelskim-ul-reymonta-20"
        )
        organisation = Organisation.objects.get(slug="koci-patrol")
        postulate = PostulateFactory(
            meeting=meeting,
            number=1,
            content="Przykładowy postulat testowy: więcej lokali dla organizacji.",
            organisation=organisation,
            programme=meeting.programme,
        )
        PositionFactory(
            postulate=postulate,
            outcome=Outcome.objects.get(slug="czesciowo-uwzgledniony"),
            justification="Przykładowe uzasadnienie stanowiska.",
            answered_on=datetime.date(2025, 9, 1),
            commitment="Przykładowe zobowiązanie: przegląd lokali do końca 2026 r.",
            commitment_due_on=datetime.date(2026, 12, 31),
        )
        return {
            "home": "/",
            "year": "/2025/",
            "meeting": meeting.get_absolute_url(),
            "round": Round.objects.get(slug="spotkania-branzowe-czerwiec-2025").get_absolute_url(),
            "document": Document.objects.filter(round__isnull=False).first().get_absolute_url(),
            "department-list": "/wydzialy/",
            "department": "/wydzialy/wydzial-kultury/",
            "organisation-list": "/organizacje/",
            "organisation": organisation.get_absolute_url(),
            "programme-list": "/programy/",
            "programme": "/programy/rpw-2026/",
            "postulate-list": "/postulaty/",
            "postulate": postulate.get_absolute_url(),
            "commitment-list": "/postulaty/zobowiazania/",
            "accessibility": "/deklaracja-dostepnosci/",
            "meeting-list": "/spotkania/?rok=2025&wydzial=wydzial-kultury",
            "search": "/szukaj/?q=srodowisko+spotkanie",
            "statistics": "/statystyki/",
            "statistics-breakdown": "/statystyki/wydzialy/",
            "subscriptions": "/kanaly-i-kalendarze/",
            "api-docs": "/dane/api/",
            "change-register": "/rejestr-zmian/",
            "email-alerts": "/powiadomienia/wydzial/wydzial-kultury/",
            "not-found": "/nie-ma-takiej-strony/",
        }
