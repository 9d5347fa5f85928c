"""Times admin pages in the codebase at argv[1] against DATABASE_URL; prints JSON."""
# ruff: noqa: E402 (Django is set up for the code at argv[1] before its imports)

import json
import os
import statistics
import sys
import time

root = sys.argv[1]
reps = int(sys.argv[2])
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

settings.ALLOWED_HOSTS = ["*"]
settings.ADMIN_REQUIRE_OTP = False
pages = json.loads(sys.argv[3])
out = {}
clients = {}
for user, url in pages:
    if user not in clients:
        c = Client()
        c.force_login(get_user_model().objects.get(username=user))
        clients[user] = c
    c = clients[user]
    times = []
    for i in range(reps + 1):
        with CaptureQueriesContext(connection) as q:
            t = time.perf_counter()
            r = c.get(url)
            dt = time.perf_counter() - t
        if i:
            times.append(dt * 1000)
    out[f"{user} {url}"] = [
        statistics.median(times),
        len(q),
        r.status_code,
        max(((float(x["time"]), x["sql"][:300]) for x in q.captured_queries), default=None),
    ]
print(json.dumps(out))
