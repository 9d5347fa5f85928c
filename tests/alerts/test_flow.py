"""The whole flow from the outside: subscribe, confirm, an editor publishes, the worker sends
exactly one message with the right headers and links, one click unsubscribes, nothing more is
sent. And what must never happen: a draft reaching a mailbox, a scheduled item announced
before its time, a message lost or sent twice when a worker dies between picking and sending."""

import datetime
import smtplib
import socket
from email import message_from_bytes, policy

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from alerts import sending
from alerts.models import Delivery, Event, Frequency, Subscriber
from core.publishing import Status
from tests.alerts.conftest import confirm_link, path_of
from tests.factories import DepartmentFactory, MeetingFactory, PositionFactory, PostulateFactory

pytestmark = pytest.mark.django_db

ADDRESS = "biuro@fundacja.example.org"


@pytest.fixture
def culture():
    return DepartmentFactory(name="Wydział Kultury", slug="wydzial-kultury")


@pytest.fixture
def follower(client, culture, run_worker):
    """A confirmed subscriber to the culture department, who wants alerts at once."""

    def follow(frequency=Frequency.IMMEDIATELY, email=ADDRESS):
        client.post(
            f"/powiadomienia/wydzial/{culture.slug}/",
            {"email": email, "frequency": frequency, "language": "pl"},
        )
        run_worker()
        client.post(path_of(confirm_link(mail.outbox[-1])))
        mail.outbox.clear()
        return Subscriber.objects.get(email=email)

    return follow


def draft_answer(culture, **fields):
    meeting = MeetingFactory(departments=[culture], title="Spotkanie branżowe kultury")
    postulate = PostulateFactory(meeting=meeting, number=7, content="Więcej sal prób dla chórów.")
    return PositionFactory(postulate=postulate, status=Status.DRAFT, published_at=None, **fields)


def publish(record, at=None):
    record.status = Status.PUBLISHED
    record.published_at = at
    record.save()


def test_subscribe_confirm_publish_send_once_unsubscribe_in_one_click(
    culture, follower, run_worker
):
    answer = draft_answer(culture)
    subscriber = follower()
    publish(answer)
    assert mail.outbox == []  # the editor's save sent nothing

    run_worker()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [ADDRESS]
    assert message.subject == (
        "Nowe w archiwum spotkań z NGO: Postulat nr 7: Więcej sal prób dla chórów."
    )
    unsubscribe = f"https://testserver/powiadomienia/wypisz/{subscriber.token}/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    postulate_url = f"https://testserver{answer.postulate.get_absolute_url()}"
    assert postulate_url in message.body
    assert "ODPOWIEDZI MIASTA NA POSTULATY" in message.body
    html, _type = message.alternatives[0]
    assert f'<a href="{postulate_url}">Postulat nr 7: Więcej sal prób dla chórów.</a>' in html
    assert "<h2" in html and '<html lang="pl">' in html

    run_worker()
    assert len(mail.outbox) == 1  # once

    response = Client(enforce_csrf_checks=True).post(
        path_of(unsubscribe),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscriber.objects.exists()

    publish(draft_answer(culture))
    run_worker()
    assert len(mail.outbox) == 1  # nothing more


def test_editors_see_how_many_subscribers_an_item_reached(
    admin_client, culture, follower, run_worker
):
    answer = draft_answer(culture)
    follower()
    follower(email="druga@example.org")
    publish(answer)
    run_worker()
    assert Event.objects.get(kind=Event.Kind.ANSWER).reached == 2
    page = admin_client.get(f"/admin/meetings/meeting/{answer.postulate.meeting_id}/change/")
    content = page.content.decode()
    assert "Powiadomienia e-mail o tym spotkaniu" in content
    assert "Odpowiedź Miasta: 1, dotarło do 2 subskrybentów" in content
    assert ADDRESS not in content


def test_a_draft_never_reaches_a_mailbox(culture, follower, run_worker):
    answer = draft_answer(culture)
    follower()
    for text in ("Pierwsza wersja robocza.", "Druga wersja robocza."):
        answer.justification = text
        answer.save()
        run_worker()
    assert mail.outbox == []
    assert not Event.objects.filter(kind=Event.Kind.ANSWER).exists()


def test_a_scheduled_answer_mails_when_it_goes_public_not_when_saved(culture, follower, run_worker):
    answer = draft_answer(culture)
    follower()
    moment = timezone.now() + datetime.timedelta(hours=5)
    publish(answer, at=moment)
    run_worker()
    assert mail.outbox == []
    with time_machine.travel(moment + datetime.timedelta(minutes=1), tick=False):
        run_worker()
    assert len(mail.outbox) == 1


def test_an_item_withdrawn_before_sending_is_dropped(culture, follower, run_worker):
    answer = draft_answer(culture)
    follower()
    publish(answer)
    # Recorded and queued, not sent yet: then withdrawn.
    from alerts import capture, dispatch

    capture.capture()
    dispatch.dispatch_immediate()
    answer.status = Status.DRAFT
    answer.save()
    run_worker()
    assert mail.outbox == []
    assert Delivery.objects.get(kind=Delivery.Kind.ALERT).state == Delivery.State.DROPPED


def test_a_crash_between_picked_and_sent_neither_loses_nor_duplicates(
    culture, follower, run_worker
):
    answer = draft_answer(culture)
    follower()
    publish(answer)
    from alerts import capture, dispatch

    capture.capture()
    dispatch.dispatch_immediate()
    delivery = Delivery.objects.get(kind=Delivery.Kind.ALERT)
    # A worker picks the message and dies before sending it.
    picked = sending.claim([delivery.pk], timezone.now())
    assert [d.pk for d in picked] == [delivery.pk]
    # Its task is still queued: another worker finds the message taken and leaves it.
    run_worker()
    assert mail.outbox == []
    # Once the dead worker's lease has run out, the message is sent, once.
    with time_machine.travel(timezone.now() + sending.LEASE + datetime.timedelta(minutes=1)):
        run_worker()
        run_worker()
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (Delivery.State.SENT, 2)


def test_an_smtp_outage_is_retried_with_backoff_then_left_dead_for_editors(
    culture, follower, run_worker, monkeypatch, admin_client
):
    answer = draft_answer(culture)
    follower()
    publish(answer)

    def refuse(self, messages):
        raise smtplib.SMTPRecipientsRefused({ADDRESS: (450, b"Mailbox busy " + ADDRESS.encode())})

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    run_worker()
    delivery = Delivery.objects.get(kind=Delivery.Kind.ALERT)
    assert (delivery.state, delivery.attempts) == (Delivery.State.PENDING, 1)
    assert delivery.last_error == "SMTPRecipientsRefused (450)"
    assert delivery.next_attempt_at > timezone.now()
    moment = timezone.now()
    for pause in sending.BACKOFF:
        moment += pause + datetime.timedelta(seconds=1)
        with time_machine.travel(moment, tick=False):
            run_worker()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (Delivery.State.DEAD, sending.MAX_ATTEMPTS)
    page = admin_client.get("/admin/alerts/delivery/?state=nieudane")
    assert "SMTPRecipientsRefused (450)" in page.content.decode()
    assert ADDRESS not in page.content.decode()


def test_daily_subscribers_get_one_digest_of_the_day_in_the_order_things_happened(
    culture, follower, run_worker
):
    # 10:00 on a day ahead, so the test's records (published "yesterday") are public.
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    start += datetime.timedelta(days=7)
    with time_machine.travel(start, tick=False):
        first, second = draft_answer(culture), draft_answer(culture)
        follower(frequency=Frequency.DAILY)
        publish(first)
    with time_machine.travel(start + datetime.timedelta(hours=2), tick=False):
        run_worker()
        publish(second)
    with time_machine.travel(start + datetime.timedelta(hours=4), tick=False):
        run_worker()
    assert mail.outbox == []  # no digest before 7:00 the next day
    with time_machine.travel(start + datetime.timedelta(hours=21, minutes=1), tick=False):
        run_worker()
        run_worker()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Podsumowanie: 2 zmiany w archiwum spotkań z NGO"
    body = message.body
    assert body.index(first.postulate.get_absolute_url()) < body.index(
        second.postulate.get_absolute_url()
    )


def test_one_message_through_a_real_smtp_server(culture, follower, run_worker, settings):
    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        answer = draft_answer(culture)
        subscriber = follower()
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        publish(answer)
        run_worker()
    finally:
        controller.stop()
    assert len(received) == 1
    envelope = received[0]
    assert envelope.rcpt_tos == [ADDRESS]
    parsed = message_from_bytes(envelope.content, policy=policy.default)
    # A long header may be folded onto the next line; unfolded it is the one URL.
    assert parsed["List-Unsubscribe"].strip() == (
        f"<https://testserver/powiadomienia/wypisz/{subscriber.token}/>"
    )
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert parsed["Subject"].strip().startswith("Nowe w archiwum spotkań z NGO: Postulat nr 7")
    text = parsed.get_body(preferencelist=("plain",)).get_content()
    html = parsed.get_body(preferencelist=("html",)).get_content()
    assert answer.postulate.get_absolute_url() in text
    assert '<html lang="pl">' in html
    assert parsed["Message-ID"].startswith("<alert-")


def test_a_busy_day_lists_twenty_changes_of_a_kind_and_says_how_many_more(
    culture, follower, run_worker
):
    subscriber = follower(frequency=Frequency.IMMEDIATELY)
    meeting = MeetingFactory(departments=[culture])
    for number in range(1, 23):
        PositionFactory(postulate=PostulateFactory(meeting=meeting, number=number))
    run_worker()
    message = mail.outbox[-1]
    assert message.body.count("/postulaty/") == 20
    assert "I jeszcze 2 zmiany: wszystkie są na obserwowanych stronach." in message.body
    assert f"https://testserver{subscriber.get_absolute_url()}" in message.body
    # The meeting itself is one of the 23 changes: 21 listed, 2 left out.
    assert message.subject.endswith("i 22 inne zmiany")


def test_an_english_subscriber_gets_english_messages(culture, follower, run_worker):
    answer = draft_answer(culture)
    subscriber = follower()
    subscriber.language = "en"
    subscriber.save()
    publish(answer)
    run_worker()
    message = mail.outbox[0]
    assert message.subject.startswith("New in the archive of meetings with NGOs: Postulate no. 7")
    assert "THE CITY'S ANSWERS TO POSTULATES" in message.body
    assert f"https://testserver/en/powiadomienia/wypisz/{subscriber.token}/" in message.body
    html, _type = message.alternatives[0]
    assert '<html lang="en">' in html


def test_switching_to_a_digest_never_repeats_what_went_out_at_once(
    client, culture, follower, run_worker
):
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    start += datetime.timedelta(days=7)
    with time_machine.travel(start, tick=False):
        answer = draft_answer(culture)
        subscriber = follower(frequency=Frequency.IMMEDIATELY)
        publish(answer)
        run_worker()
    assert len(mail.outbox) == 1
    with time_machine.travel(start + datetime.timedelta(minutes=5), tick=False):
        changed = client.post(
            subscriber.get_absolute_url(), {"frequency": Frequency.DAILY, "language": "pl"}
        )
        assert changed.status_code == 200
    with time_machine.travel(start + datetime.timedelta(hours=21, minutes=1), tick=False):
        run_worker()
    assert len(mail.outbox) == 1
