"""The open data page and the lists with their download links are valid HTML (Nu Html Checker)."""

import pytest

from tests.html_validator import html_problems

pytestmark = pytest.mark.django_db


def test_open_data_page_and_list_links_are_valid_html(client, archive, tmp_path):
    files = []
    for name, url in {
        "dane": "/dane/",
        "spotkania": "/spotkania/?rok=2025&page=1",
        "postulaty": "/postulaty/",
    }.items():
        response = client.get(url)
        assert response.status_code == 200
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    assert html_problems(files) == []
