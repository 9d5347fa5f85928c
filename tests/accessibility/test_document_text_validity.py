"""The HTML version of every kind of document is valid HTML (the Nu Html Checker)."""

import pytest

from tests.accessibility.pages import text_version_pages
from tests.html_validator import html_problems

pytestmark = pytest.mark.django_db


def test_the_html_version_of_every_kind_of_document_is_valid_html(client, tmp_path):
    files = []
    for name, url in text_version_pages().items():
        for prefix in ("", "/en"):
            response = client.get(prefix + url)
            assert response.status_code == 200, url
            path = tmp_path / f"{prefix.strip('/') or 'pl'}-{name}.html"
            path.write_bytes(response.content)
            files.append(str(path))

    assert html_problems(files, check_css=True) == []
