"""The icons browsers ask for at the site's root are served from the static files."""

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("root_path", "static_path"),
    [
        ("/favicon.ico", "/static/icons/favicon.ico"),
        ("/apple-touch-icon.png", "/static/icons/apple-touch-icon.png"),
    ],
)
def test_a_browser_asking_the_root_for_an_icon_is_sent_to_the_static_file(
    client, root_path, static_path
):
    response = client.get(root_path)
    assert (response.status_code, response["Location"]) == (302, static_path)
    assert finders.find(static_path.removeprefix("/static/"))


def test_every_page_links_its_icons(client):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/icons/favicon.ico" sizes="32x32">' in html
    assert '<link rel="icon" href="/static/icons/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png">' in html
