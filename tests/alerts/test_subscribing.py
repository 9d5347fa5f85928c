"""Subscribing from a public page: the form, double opt-in by POST, managing and one-click
unsubscribing, with the messages sent by the worker and never during a request."""

import datetime
import logging
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alerts.models import Delivery, Frequency, Subscriber, Subscription
from core.publishing import Status
from tests.alerts.conftest import confirm_link, path_of
from tests.factories import DepartmentFactory, MeetingFactory, PostulateFactory

pytestmark = pytest.mark.django_db

ADDRESS = "anna.nowak@example.org"


@pytest.fixture
def department():
    department = DepartmentFactory(name="Wydział Kultury", slug="wydzial-kultury")
    MeetingFactory(departments=[department])
    return department


def subscribe(client, department, email=ADDRESS, **data):
    return client.post(
        f"/powiadomienia/wydzial/{department.slug}/",
        {"email": email, "frequency": Frequency.DAILY, "language": "pl", **data},
    )


def subscribed_and_confirmed(client, department, run_worker, email=ADDRESS):
    subscribe(client, department, email=email)
    run_worker()
    client.post(path_of(confirm_link(mail.outbox[-1])))
    return Subscriber.objects.get(email=email)


def test_the_department_page_links_to_the_subscription_page_without_a_form(client, department):
    page = client.get(department.get_absolute_url())
    assert (
        f'<a href="/powiadomienia/wydzial/{department.slug}/">Powiadamiaj mnie e-mailem</a>'
        in page.content.decode()
    )
    # Nothing per visitor: the page stays cacheable.
    assert b"csrfmiddlewaretoken" not in page.content
    assert not page.cookies


def test_the_subscription_page_names_what_is_followed_and_the_information_clause(
    client, department
):
    page = client.get(f"/powiadomienia/wydzial/{department.slug}/")
    assert page.status_code == 200
    content = page.content.decode()
    assert f'Obserwujesz: <a href="{department.get_absolute_url()}">Wydział Kultury</a>' in content
    assert "Gmina Miejska Kraków, reprezentowana przez Prezydenta Miasta Krakowa" in content
    assert "art. 6 ust. 1 lit. a RODO" in content
    assert "do wypisania się" in content
    assert "Niepotwierdzoną prośbę usuwamy po 48 godzinach." in content
    assert (
        "możesz pisać do inspektora ochrony danych: "
        '<a href="mailto:iod@um.krakow.pl">iod@um.krakow.pl</a>.'
    ) in content
    assert "skarga do Prezesa Urzędu Ochrony Danych Osobowych" in content
    assert "no-store" in page["Cache-Control"]
    assert page["X-Robots-Tag"] == "noindex"


def test_the_subscription_page_speaks_english_under_en(client, department):
    page = client.get(f"/en/powiadomienia/wydzial/{department.slug}/")
    assert page.status_code == 200
    assert "Email me about this" in page.content.decode()
    assert "Your personal data" in page.content.decode()
    assert "write to the data protection officer: <a href=" in page.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/powiadomienia/wydzial/nie-ma-takiego/",
        "/powiadomienia/postulat/999999/",
        "/powiadomienia/rok/1999/",
        "/powiadomienia/organizacja/nie-ma-takiej/",
    ],
)
def test_what_is_not_public_cannot_be_followed(client, path):
    assert client.get(path).status_code == 404


def test_a_draft_department_cannot_be_followed(client):
    draft = DepartmentFactory(status=Status.DRAFT, slug="wydzial-w-szkicu")
    assert client.get(f"/powiadomienia/wydzial/{draft.slug}/").status_code == 404


def test_subscribing_sends_nothing_during_the_request_and_one_confirmation_from_the_worker(
    client, department, run_worker
):
    response = subscribe(client, department)
    assert response.status_code == 302
    assert response["Location"] == "/powiadomienia/sprawdz-poczte/"
    assert mail.outbox == []
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None
    assert subscription.department == department

    run_worker()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [ADDRESS]
    assert message.subject == "Potwierdź powiadomienia z archiwum spotkań Miasta Krakowa z NGO"
    assert "Wydział Kultury" in message.body
    assert confirm_link(message).startswith("https://testserver/powiadomienia/potwierdz/")
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="pl">' in html
    assert f'href="{confirm_link(message)}"' in html
    assert "List-Unsubscribe" not in message.extra_headers

    run_worker()
    assert len(mail.outbox) == 1  # sent once


def test_get_on_the_confirmation_link_changes_nothing_and_post_confirms(
    client, department, run_worker
):
    subscribe(client, department)
    run_worker()
    link = path_of(confirm_link(mail.outbox[0]))

    page = client.get(link)
    assert page.status_code == 200
    assert "Potwierdzam: chcę otrzymywać powiadomienia" in page.content.decode()
    assert Subscription.objects.get().confirmed_at is None
    assert Subscriber.objects.get().confirmed_at is None

    confirmed = client.post(link)
    assert confirmed.status_code == 200
    assert "Powiadomienia potwierdzone" in confirmed.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is not None
    assert subscription.confirmation_token is None
    # Used once: the link is dead afterwards.
    assert client.get(link).status_code == 404


def test_an_expired_confirmation_link_is_a_clear_404(client, department, run_worker):
    subscribe(client, department)
    run_worker()
    Subscription.objects.update(created_at=timezone.now() - datetime.timedelta(hours=49))
    response = client.post(path_of(confirm_link(mail.outbox[0])))
    assert response.status_code == 404
    assert "Ten link wygasł albo został już użyty" in response.content.decode()
    assert Subscription.objects.get().confirmed_at is None


def test_unconfirmed_requests_expire_with_their_address(client, department, run_worker):
    subscribe(client, department)
    run_worker()
    Subscription.objects.update(created_at=timezone.now() - datetime.timedelta(hours=49))
    call_command("expire_alert_requests", verbosity=0)
    assert not Subscription.objects.exists()
    assert not Subscriber.objects.exists()
    assert not Delivery.objects.filter(state=Delivery.State.PENDING).exists()


def test_the_worker_also_expires_unconfirmed_requests(client, department, run_worker):
    subscribe(client, department)
    Subscription.objects.update(created_at=timezone.now() - datetime.timedelta(hours=49))
    run_worker()
    assert not Subscriber.objects.exists()
    assert mail.outbox == []  # the request expired before its message went


def test_asking_twice_for_what_one_follows_sends_nothing_and_says_the_same(
    client, department, run_worker
):
    subscribed_and_confirmed(client, department, run_worker)
    response = subscribe(client, department)
    assert response["Location"] == "/powiadomienia/sprawdz-poczte/"
    run_worker()
    assert len(mail.outbox) == 1


def test_the_manage_page_changes_frequency_and_drops_some_or_all(client, department, run_worker):
    subscriber = subscribed_and_confirmed(client, department, run_worker)
    postulate = PostulateFactory()
    client.post(
        f"/powiadomienia/postulat/{postulate.pk}/",
        {"email": ADDRESS, "frequency": Frequency.DAILY, "language": "pl"},
    )
    run_worker()
    client.post(path_of(confirm_link(mail.outbox[-1])))
    manage = subscriber.get_absolute_url()

    page = client.get(manage)
    assert page.status_code == 200
    content = page.content.decode()
    assert "Wydział Kultury" in content
    assert f"Postulat nr {postulate.number}" in content
    assert ADDRESS not in content

    kept, dropped = subscriber.subscriptions.order_by("pk")
    response = client.post(
        manage, {"frequency": Frequency.WEEKLY, "language": "en", "drop": [dropped.pk]}
    )
    assert response.status_code == 200
    assert "Zapisano zmiany." in response.content.decode()
    subscriber.refresh_from_db()
    assert (subscriber.frequency, subscriber.language) == (Frequency.WEEKLY, "en")
    assert list(subscriber.subscriptions.all()) == [kept]

    client.post(manage, {"delete_all": "1"})
    assert not Subscriber.objects.exists()
    assert not Subscription.objects.exists()
    assert client.get(manage).status_code == 404


def test_dropping_the_last_subscription_deletes_the_address(client, department, run_worker):
    subscriber = subscribed_and_confirmed(client, department, run_worker)
    only = subscriber.subscriptions.get()
    client.post(
        subscriber.get_absolute_url(),
        {"frequency": Frequency.DAILY, "language": "pl", "drop": [only.pk]},
    )
    assert not Subscriber.objects.exists()


def test_one_click_unsubscribe_is_a_post_without_cookies_or_csrf(client, department, run_worker):
    subscriber = subscribed_and_confirmed(client, department, run_worker)
    url = subscriber.unsubscribe_url()
    mail_client = Client(enforce_csrf_checks=True)

    assert mail_client.get(url).status_code == 200  # a page with one button
    assert Subscriber.objects.exists()

    response = mail_client.post(
        url,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscriber.objects.exists()
    assert not Subscription.objects.exists()
    assert mail_client.post(url).status_code == 404


@pytest.mark.parametrize("method", ["get", "head"])
def test_get_on_the_unsubscribe_link_changes_nothing(client, department, run_worker, method):
    subscriber = subscribed_and_confirmed(client, department, run_worker)
    getattr(Client(), method)(subscriber.unsubscribe_url())
    getattr(Client(), method)(subscriber.get_absolute_url())
    assert Subscriber.objects.get().subscriptions.count() == 1


def test_too_many_requests_for_one_address_are_refused(client, department):
    years = [MeetingFactory(year__year=2000 + n).year for n in range(3)]
    for year in years:
        client.post(
            f"/powiadomienia/rok/{year.year}/",
            {"email": ADDRESS, "frequency": Frequency.DAILY, "language": "pl"},
        )
    # Three unconfirmed requests are the most one address may have.
    refused = subscribe(client, department)
    assert refused.status_code == 429
    assert "zbyt wiele próśb" in refused.content.decode()
    assert Subscription.objects.count() == 3


def test_a_request_repeated_at_once_sends_one_message(client, department):
    for _ in range(12):
        assert subscribe(client, department).status_code == 302
    assert Delivery.objects.count() == 1


def test_requests_per_address_are_limited_over_a_day(client, department):
    for _ in range(5):
        assert subscribe(client, department).status_code == 302
        # The previous message went more than a quarter of an hour ago.
        Delivery.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=16))
    refused = subscribe(client, department)
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(24 * 3600)
    assert Delivery.objects.count() == 5
    # A day later the address may ask again.
    Delivery.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    assert subscribe(client, department).status_code == 302
    assert Delivery.objects.count() == 6


def test_requests_per_client_are_limited(client, department):
    for n in range(20):
        assert subscribe(client, department, email=f"osoba{n}@example.org").status_code == 302
    refused = subscribe(client, department, email="kolejna@example.org")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert not Subscriber.objects.filter(email="kolejna@example.org").exists()
    # Another client is not affected.
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert subscribe(other, department, email="kolejna@example.org").status_code == 302


@pytest.mark.parametrize(
    "data",
    [
        {"email": ""},
        {"email": "to nie adres"},
        {"email": "a@localhost"},
        {"email": "a@[127.0.0.1]"},
        {"email": "a@[IPv6:::1]"},
        {"email": "a@sub.localhost"},
        {"email": "a@example.invalid"},
        {"email": "a@drukarka.local"},
        {"frequency": "co-godzine"},
        {"language": "de"},
    ],
)
def test_bad_input_is_a_clear_400(client, department, data):
    response = subscribe(client, department, **data)
    assert response.status_code == 400
    assert "Popraw zaznaczone pola" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_addresses_are_kept_in_lower_case(client, department):
    subscribe(client, department, email="Anna.Nowak@Example.ORG")
    assert Subscriber.objects.get().email == ADDRESS


def test_look_alike_spellings_of_an_address_are_one_subscriber(client, department):
    subscribe(client, department, email="anna.nowak@\uff45xample.org")  # full-width e
    subscribe(client, department, email="ANNA.NOWAK@EXAMPLE.ORG")
    assert list(Subscriber.objects.values_list("email", flat=True)) == [ADDRESS]
    assert Delivery.objects.count() == 1


def test_a_long_search_in_another_script_can_be_followed(client, postulates):
    words = "пропозиції громадських організацій щодо приміщень " * 4
    query = urlencode({"q": words[:190], "wydzial": postulates[1].slug})
    assert len(query) > 1000
    posted = client.post(
        f"/powiadomienia/postulaty/?{query}",
        {"email": ADDRESS, "frequency": Frequency.DAILY, "language": "pl"},
    )
    assert posted.status_code == 302
    assert Subscription.objects.get().query.startswith("q=")


def test_no_address_reaches_the_logs_or_the_queue(client, department, run_worker, caplog):
    caplog.set_level(logging.DEBUG)
    subscriber = subscribed_and_confirmed(client, department, run_worker)
    client.post(subscriber.get_absolute_url(), {"frequency": "bogus"})  # a 400, logged
    client.post(subscriber.unsubscribe_url())
    assert caplog.records  # the flow did log
    for record in caplog.records:
        assert ADDRESS not in record.getMessage()
        assert ADDRESS not in str(record.__dict__)
    for task in DBTaskResult.objects.all():
        assert ADDRESS not in str(task.args_kwargs)


@pytest.fixture
def postulates():
    culture = DepartmentFactory(name="Wydział Kultury", slug="wydzial-kultury")
    sport = DepartmentFactory(name="Wydział Sportu", slug="wydzial-sportu")
    meeting = MeetingFactory(departments=[culture])
    for _ in range(3):
        PostulateFactory(meeting=meeting)
    PostulateFactory(meeting=MeetingFactory(departments=[sport]))
    return culture, sport


def test_a_narrow_filtered_list_can_be_followed_with_the_lists_own_filters(client, postulates):
    _culture, sport = postulates
    list_page = client.get(f"/postulaty/?wydzial={sport.slug}&page=1")
    assert (
        f'<a href="/powiadomienia/postulaty/?wydzial={sport.slug}">Powiadamiaj mnie e-mailem</a>'
        in list_page.content.decode()
    )
    page = client.get(f"/powiadomienia/postulaty/?wydzial={sport.slug}&utm_source=x")
    assert page.status_code == 200
    assert "Postulaty: Wydział związany z postulatem: Wydział Sportu" in page.content.decode()
    client.post(
        f"/powiadomienia/postulaty/?wydzial={sport.slug}",
        {"email": ADDRESS, "frequency": Frequency.DAILY, "language": "pl"},
    )
    subscription = Subscription.objects.get()
    assert (subscription.kind, subscription.query) == ("postulaty", f"wydzial={sport.slug}")


def test_a_list_matching_most_of_the_archive_is_refused(client, postulates):
    culture, _sport = postulates
    for query in (f"wydzial={culture.slug}", "", "page=2"):
        page = client.get(f"/powiadomienia/postulaty/?{query}")
        assert page.status_code == 400
        assert "obejmują większą część archiwum" in page.content.decode()
        posted = client.post(
            f"/powiadomienia/postulaty/?{query}",
            {"email": ADDRESS, "frequency": Frequency.DAILY, "language": "pl"},
        )
        assert posted.status_code == 400
    assert not Subscriber.objects.exists()


def test_invalid_list_filters_are_a_clear_400(client, postulates):
    page = client.get("/powiadomienia/spotkania/?rok=abc&wydzial=nie-ma-takiego")
    assert page.status_code == 400
    assert "Tych filtrów nie można obserwować" in page.content.decode()


def test_the_search_links_to_alerts_on_the_postulates_it_finds(client, postulates):
    page = client.get("/szukaj/?q=postulatu&typ=postulaty")
    assert '<a href="/powiadomienia/postulaty/?q=postulatu">' in page.content.decode()


def test_the_subscription_pages_cost_a_fixed_number_of_queries(
    client, department, run_worker, django_assert_num_queries
):
    with django_assert_num_queries(1):  # the department
        client.get(f"/powiadomienia/wydzial/{department.slug}/")
    subscribe(client, department)
    run_worker()
    link = path_of(confirm_link(mail.outbox[-1]))
    with django_assert_num_queries(1):  # the request, with what it follows
        client.get(link)
    client.post(link)
    subscriber = Subscriber.objects.get(email=ADDRESS)
    for _ in range(3):
        Subscription.objects.create(
            subscriber=subscriber,
            kind=Subscription.Kind.POSTULATE,
            postulate=PostulateFactory(),
            confirmed_at=timezone.now(),
            confirmation_token=None,
        )
    # The subscriber, and the subscriptions with what they follow, however many there are.
    with django_assert_num_queries(2):
        client.get(subscriber.get_absolute_url())


def test_subscribing_leaves_the_public_page_cache_alone(
    client, department, run_worker, django_capture_on_commit_callbacks
):
    from pagecache.generation import store

    before = store().read()[0]  # the stored token, not this process's copy of it
    with django_capture_on_commit_callbacks(execute=True):
        subscribed_and_confirmed(client, department, run_worker)
    assert store().read()[0] == before


def test_typed_words_never_carry_a_strangers_text_to_an_unconfirmed_address(
    client, postulates, run_worker
):
    _culture, sport = postulates
    planted = "x\r\n\r\nUWAGA: potwierdź tożsamość na https://krakow-rodo.example/login \u202e"
    query = urlencode({"wydzial": sport.slug, "q": planted})
    posted = client.post(
        f"/powiadomienia/postulaty/?{query}",
        {"email": ADDRESS, "frequency": Frequency.DAILY, "language": "pl"},
    )
    assert posted.status_code == 302
    run_worker()
    message = mail.outbox[-1]
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert "UWAGA" not in body and "krakow-rodo" not in body and "\u202e" not in body
    assert (
        "Obserwowana strona: Postulaty: "
        "Szukane słowa: (pokażemy je po otwarciu linku potwierdzającego); "
        "Wydział związany z postulatem: Wydział Sportu\n"
        f"https://testserver/postulaty/?wydzial={sport.slug}\n"
    ) in message.body

    # The person who opens the link sees the words, quoted on one line, cut short, with no
    # character that reorders text.
    page = client.get(path_of(confirm_link(message))).content.decode()
    assert ("Szukane słowa: „x UWAGA: potwierdź tożsamość na https://krakow-rodo.example…”") in page
    assert "\u202e" not in page


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    "path",
    [
        "/powiadomienia/potwierdz/%00/",
        "/powiadomienia/potwierdz/a%00b/",
        "/powiadomienia/zarzadzaj/%00/",
        "/powiadomienia/wypisz/%00/",
        "/en/powiadomienia/zarzadzaj/%00/",
        "/powiadomienia/zarzadzaj/a%20b/",
    ],
)
def test_a_link_that_cannot_be_a_token_is_an_unknown_link(client, path, method):
    response = getattr(client, method)(path)
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/postulaty/?status=x", "/spotkania/?page=2&utm_source=x"])
def test_a_list_without_its_own_filters_offers_no_alert_it_would_refuse(client, postulates, path):
    assert "Powiadamiaj mnie e-mailem" not in client.get(path).content.decode()
