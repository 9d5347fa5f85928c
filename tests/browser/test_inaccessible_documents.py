"""A scanned document's page, its meeting's page and the accessibility statement listing it, in
headless Chromium: zero axe-core violations and no sideways scrolling at 1280 and 320 px, with
screenshots left in screenshots/ for a person to look at."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.urls import reverse

from sampledata.files import pdf
from tests.browser.conftest import page_failures
from tests.factories import DocumentFactory, MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_marked_pages_pass_axe_and_reflow(browser, live_server):
    from axe_playwright_python.sync_playwright import Axe

    seed = importlib.import_module("accessibility.migrations.0002_initial_statement")
    seed.create_statement(django_apps, schema_editor=None)
    meeting = MeetingFactory(title="Spotkanie branżowe: kultura")
    scan = DocumentFactory(meeting=meeting, title="Podsumowanie spotkania (skan)")
    scan.file.save("skan.pdf", ContentFile(pdf([None, None])))
    DocumentFactory(meeting=meeting, title="Zestawienie postulatów")
    pages = {
        "document-scan": scan.get_absolute_url(),
        "meeting-with-scan": meeting.get_absolute_url(),
        "statement-with-documents": reverse("accessibility:statement"),
    }
    axe = Axe()
    failures = []
    for width in (1280, 320):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="pl-PL")
        page = context.new_page()
        for name, url in pages.items():
            assert page.goto(live_server.url + url).status == 200
            assert "w pełni dostępn" in page.content()
            failures += page_failures(page, name, width, axe)
        context.close()
    assert failures == []
