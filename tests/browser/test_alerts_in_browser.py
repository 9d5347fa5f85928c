"""Email alerts as a resident's browser uses them: the forms are posted by Chromium itself,
with the headers a real browser sends (Origin, Referer under the site's policy), through the
CSRF check. A client-side test cannot see a policy that makes the browser send `Origin: null`."""

import pytest
from django.core import mail

from alerts.models import Frequency, Subscriber
from tests.alerts.conftest import confirm_link, path_of, run_worker  # noqa: F401 - a fixture
from tests.browser.conftest import SCREENSHOTS
from tests.factories import DepartmentFactory, MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 360, "height": 740}


def test_a_resident_subscribes_confirms_changes_and_leaves_in_the_browser(
    browser,
    live_server,
    run_worker,  # noqa: F811
):
    department = DepartmentFactory(name="Wydział Kultury", slug="wydzial-kultury")
    MeetingFactory(departments=[department])
    context = browser.new_context(viewport=PHONE, locale="pl-PL")
    page = context.new_page()

    page.goto(f"{live_server.url}{department.get_absolute_url()}")
    page.get_by_role("link", name="Powiadamiaj mnie e-mailem").click()
    page.get_by_label("Adres e-mail").fill("anna.nowak@example.org")
    page.screenshot(path=SCREENSHOTS / "alerts-subscribe-phone.png", full_page=True)
    page.get_by_role("button", name="Zapisz mnie").click()
    assert page.locator("h1").inner_text() == "Sprawdź pocztę"

    run_worker()
    page.goto(live_server.url + path_of(confirm_link(mail.outbox[-1])))
    page.get_by_role("button", name="Potwierdzam").click()
    assert page.locator("h1").inner_text() == "Powiadomienia potwierdzone"
    subscriber = Subscriber.objects.get(email="anna.nowak@example.org")
    assert subscriber.confirmed_at is not None

    page.goto(f"{live_server.url}{subscriber.get_absolute_url()}")
    page.get_by_label("raz w tygodniu (podsumowanie)").check()
    page.get_by_role("button", name="Zapisz zmiany").click()
    assert page.get_by_text("Zapisano zmiany.").is_visible()
    subscriber.refresh_from_db()
    assert subscriber.frequency == Frequency.WEEKLY

    page.get_by_role("button", name="Wypisz mnie ze wszystkich powiadomień").click()
    page.wait_for_load_state()
    assert not Subscriber.objects.filter(email="anna.nowak@example.org").exists()
    context.close()
