"""Every page type is valid HTML, checked by the Nu Html Checker (vnu.jar, run on Java)."""

import pytest

from tests.html_validator import html_problems

pytestmark = pytest.mark.django_db


def test_every_page_type_is_valid_html(client, public_pages, tmp_path):
    files = []
    # Every page type in Polish and in English (/en/...).
    pages = [
        *public_pages.items(),
        *((f"en-{name}", f"/en{url}") for name, url in public_pages.items()),
    ]
    for name, url in pages:
        response = client.get(url)
        assert response.status_code == (404 if name.endswith("not-found") else 200), url
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))

    assert html_problems(files, check_css=True) == []
