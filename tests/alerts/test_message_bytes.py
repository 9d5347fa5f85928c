"""The alerts' messages are written out by hand (alerts.mail.AlertMessage), not by Python's email
generator: what a mail program reads back must be what Django would have written."""

import re
from email import message_from_bytes, policy
from types import SimpleNamespace

import pytest
from django.core.mail import BadHeaderError, EmailMultiAlternatives

from alerts.mail import AlertMessage, message_id

SENDER = "Archiwum spotkań z NGO <powiadomienia@archiwum.example.pl>"
HEADERS = {
    "Message-ID": "<alert-7@archiwum.example.pl>",
    "Auto-Submitted": "auto-generated",
    "List-Unsubscribe": "<https://archiwum.example.pl/powiadomienia/wypisz/abc/>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
}


def written(cls, subject, text, html, to="osoba@example.org"):
    message = cls(subject, text, from_email=SENDER, to=[to], headers=HEADERS)
    message.attach_alternative(html, "text/html")
    return message_from_bytes(message.message().as_bytes(linesep="\r\n"), policy=policy.default)


@pytest.mark.parametrize(
    "subject, text",
    [
        ("Nowe w archiwum spotkań z NGO: Postulat nr 7", "Zażółć gęślą jaźń.\n\nhttps://x/\n"),
        ("ASCII only", "Plain ASCII body\nwith two lines\n"),
        # One line longer than SMTP allows (998 bytes): quoted-printable, read back whole.
        ("Długi wiersz", "ą" * 700 + "\nkoniec\n"),
    ],
)
def test_a_mail_program_reads_what_django_would_have_written(subject, text):
    html = f'<!doctype html><html lang="pl"><body><p>{text}</p></body></html>'
    ours = written(AlertMessage, subject, text, html)
    django = written(EmailMultiAlternatives, subject, text, html)
    for header in ("Subject", "From", "To", "Message-ID", "List-Unsubscribe", "Auto-Submitted"):
        assert str(ours[header]).strip() == str(django[header]).strip(), header
    assert ours["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert ours.get_content_type() == "multipart/alternative"
    for kind in ("plain", "html"):
        ours_part = ours.get_body(preferencelist=(kind,))
        assert ours_part.get_content_charset() == "utf-8"
        assert ours_part.get_content() == django.get_body(preferencelist=(kind,)).get_content()


def test_lines_end_as_the_backend_asks_and_no_line_is_too_long_for_smtp():
    message = AlertMessage("Temat", "a\nb\n" + "ż" * 800, from_email=SENDER, to=["o@example.org"])
    message.attach_alternative("<p>ż</p>", "text/html")
    data = message.message().as_bytes(linesep="\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 998


def test_a_title_with_a_line_break_cannot_add_a_header():
    ours = written(AlertMessage, "Spotkanie\nBcc: obcy@example.org", "treść", "<p>treść</p>")
    assert ours["Bcc"] is None
    assert str(ours["Subject"]) == "Spotkanie Bcc: obcy@example.org"
    with pytest.raises(BadHeaderError):
        written(AlertMessage, "Temat", "treść", "<p>treść</p>", to="a@example.org\nBcc: b@x.pl")


def test_an_address_with_a_national_domain_is_sent_in_its_ascii_form():
    ours = written(AlertMessage, "Temat", "treść", "<p>treść</p>", to="osoba@żółw.pl")
    assert str(ours["To"]) == "osoba@xn--w-uga1v8h.pl"


def test_a_message_id_is_stable_for_a_message_and_tells_no_count():
    first, again, next_one = (message_id(SimpleNamespace(pk=pk)) for pk in (38, 38, 39))
    assert first == again
    assert first != next_one
    assert re.fullmatch(r"<alert-[0-9a-f]{32}@[^>]+>", first)
    assert not first.startswith("<alert-38@")
