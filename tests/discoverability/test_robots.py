import pytest

pytestmark = pytest.mark.django_db


def test_robots_txt_allows_the_archive_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Disallow: /szukaj/" in lines
    assert "Allow: /" in lines
    assert "Sitemap: https://testserver/sitemap.xml" in lines
    # Nothing public is closed to crawlers.
    disallowed = [line.split(":", 1)[1].strip() for line in lines if line.startswith("Disallow")]
    assert disallowed == ["/admin/", "/szukaj/"]
