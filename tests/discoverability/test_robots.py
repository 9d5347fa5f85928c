import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

pytestmark = pytest.mark.django_db


def test_robots_txt_allows_the_archive_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /szukaj/" in lines
    assert "Allow: /" in lines
    assert "Sitemap: https://testserver/sitemap.xml" in lines
    # Nothing public is closed to crawlers but search results and the alerts' forms.
    disallowed = [line.split(":", 1)[1].strip() for line in lines if line.startswith("Disallow")]
    assert disallowed == ["/szukaj/", "/powiadomienia/", "/en/szukaj/", "/en/powiadomienia/"]


def test_robots_txt_does_not_give_away_the_admins_address(client):
    text = client.get("/robots.txt").content.decode()
    assert reverse("admin:index") not in text
    assert "admin" not in text.lower()


def test_the_admin_tells_crawlers_itself_not_to_index_it(client, admin_client):
    login_page = client.get(reverse("admin:login"))
    assert login_page.status_code == 200
    assert login_page["X-Robots-Tag"] == "noindex, nofollow"
    assertContains(login_page, '<meta name="robots" content="NONE,NOARCHIVE">', html=True)
    # Redirects to the login form and the editors' pages say it too.
    assert client.get(reverse("admin:index"))["X-Robots-Tag"] == "noindex, nofollow"
    changelist = admin_client.get(reverse("admin:meetings_meeting_changelist"))
    assert changelist.status_code == 200
    assert changelist["X-Robots-Tag"] == "noindex, nofollow"
    # Public pages stay indexable.
    assert not client.get("/").has_header("X-Robots-Tag")
