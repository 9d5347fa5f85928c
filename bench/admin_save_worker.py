"""Times saves of meetings' first pages of postulates in the codebase at argv[1] against
DATABASE_URL (one answer changed each time); prints JSON. The first save of a bulk-loaded
meeting also keeps the loaded states of its records, so each meeting is saved twice."""
# ruff: noqa: E402 (Django is set up for the code at argv[1] before its imports)

import json
import os
import sys
import time

root = sys.argv[1]
user = sys.argv[2]
meeting_ids = [int(pk) for pk in sys.argv[3].split(",")]
sys.path.insert(0, root)
os.chdir(root)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krakow_ngo.settings")
os.environ["DJANGO_PAGE_CACHE"] = "off"
import django

django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.admin_forms import form_data

settings.ALLOWED_HOSTS = ["*"]
settings.ADMIN_REQUIRE_OTP = False
client = Client()
client.force_login(get_user_model().objects.get(username=user))
out = []
for meeting_id in meeting_ids:
    url = f"/admin/meetings/meeting/{meeting_id}/change/"
    for attempt in range(2):
        data = form_data(client.get(url), "meeting_form", _continue="1")
        key = sorted(key for key in data if key.endswith("-justification") and data[key])[0]
        data[key] = f"{data[key]} (poprawka {attempt})"
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.post(url, data)
            elapsed = time.perf_counter() - started
        slowest = sorted(queries.captured_queries, key=lambda query: -float(query["time"]))[:4]
        out.append(
            [
                meeting_id,
                attempt,
                round(elapsed * 1000),
                len(queries),
                response.status_code,
                round(sum(float(query["time"]) for query in queries.captured_queries) * 1000),
                [[query["time"], query["sql"][:150]] for query in slowest],
            ]
        )
if os.environ.get("BENCH_GROUPS"):
    import collections
    import re

    groups = collections.Counter(
        re.sub(r"\d+", "N", query["sql"])[:110] for query in queries.captured_queries
    )
    for sql, count in groups.most_common(25):
        print(count, sql, file=sys.stderr)
print(json.dumps(out))
