from html.parser import HTMLParser

import pytest

from core.rich_text import render
from tests.factories import MeetingFactory

PAYLOAD = "<script>alert(1)</script>\"'><img src=x onerror=alert(1)>"


def test_plain_text_keeps_its_paragraphs_and_line_breaks():
    assert render("Pierwszy wiersz\ndrugi wiersz\n\nNowy akapit") == (
        "<p>Pierwszy wiersz<br>\ndrugi wiersz</p>\n<p>Nowy akapit</p>\n"
    )


def test_lists_emphasis_and_links_are_formatted():
    html = render(
        "Wydział:\n\n- **przyjmuje** postulat,\n- *rozważy* go w 2027.\n\n"
        "Szczegóły: [BIP](https://www.bip.krakow.pl/) i https://ngo.krakow.pl"
    )
    assert "<ul>\n<li><strong>przyjmuje</strong> postulat,</li>" in html
    assert "<em>rozważy</em>" in html
    assert '<a href="https://www.bip.krakow.pl/" rel="nofollow noopener">BIP</a>' in html
    assert (
        '<a href="https://ngo.krakow.pl" rel="nofollow noopener">https://ngo.krakow.pl</a>' in html
    )


@pytest.mark.parametrize(
    "text",
    [
        PAYLOAD,
        "[kliknij](javascript:alert(1))",
        "[kliknij](data:text/html;base64,PHNjcmlwdD4=)",
        "<a href='https://zly.example' onclick='alert(1)'>x</a>",
        "![obraz](https://zly.example/sledzenie.png)",
        '<iframe src="https://zly.example"></iframe>',
        "<style>body{display:none}</style>",
    ],
)
def test_nothing_an_editor_types_becomes_active_markup(text):
    parser = Elements()
    parser.feed(render(text))
    assert {tag for tag, _ in parser.elements} <= {"p", "br", "a"}
    for _tag, attributes in parser.elements:
        assert set(attributes) <= {"href", "rel"}
        assert attributes.get("href", "https:").startswith("https:")


class Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def test_headings_and_images_are_not_formatting_editors_can_use():
    assert render("# Tytuł") == "<p># Tytuł</p>\n"
    assert "<img" not in render("![opis](/static/x.png)")


@pytest.mark.django_db
def test_the_meeting_page_shows_the_formatted_topic(client):
    meeting = MeetingFactory(topic="Tematy:\n\n1. lokale\n2. granty\n\n" + PAYLOAD)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "<ol>\n<li>lokale</li>\n<li>granty</li>\n</ol>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
