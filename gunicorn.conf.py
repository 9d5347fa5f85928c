"""gunicorn settings, read from the environment like the rest of the archive.

gunicorn loads ./gunicorn.conf.py by itself when started in this folder (the Docker image's
WORKDIR); options given on the command line win over these. bench/http_bench.py and
bench/load_test.py serve the archive with this file too.

    PORT                 port to listen on, on every interface (default 8000)
    GUNICORN_WORKERS     worker processes (default 3)
    GUNICORN_WORKER_CLASS  gthread (default) or sync
    GUNICORN_THREADS     threads per worker, for gthread (default 4)
    GUNICORN_TIMEOUT     seconds before a silent worker is restarted (default 30)
    GUNICORN_ACCESS_LOG  where the access log goes: "-" is standard output (default), a path
                         a file, an empty value none
    FORWARDED_ALLOW_IPS  addresses of the TLS-terminating proxy whose X-Forwarded-* headers
                         are trusted (default 127.0.0.1,::1; "*" when the proxy's address
                         is not fixed and nothing else can reach the port)
"""

import os
from pathlib import Path

wsgi_app = "krakow_ngo.wsgi:application"
bind = [f"0.0.0.0:{os.environ.get('PORT', '8000')}"]

# cores + 1 processes keep both cores busy while one waits for the database, and leave the
# database server its share of a small machine. gthread, not sync: a download of the whole
# archive (100 MB to a slow client) takes minutes, and a sync worker busy that long is killed
# at the timeout mid-file and holds its only slot meanwhile. In gthread the worker's main loop
# keeps its heartbeat while a thread sends the file, and the other threads serve pages (the
# pages are CPU-bound, so more threads than this only queue on the GIL).
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
# An alert subscriber's token in a path is written as [ukryty] (krakow_ngo/secret_paths.py).
logger_class = "krakow_ngo.secret_paths.RedactingGunicornLogger"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Above the app's own limits (REQUEST_LINE_MAX, REQUEST_HEADER_FIELDS_MAX/FIELD_MAX and
# REQUEST_HEADERS_TOTAL_MAX in krakow_ngo/settings.py), so a request the app must refuse
# reaches it and it answers 414/431 as JSON under /api/ and a Polish page elsewhere, never with
# gunicorn's own English HTML. A request line of any length (0: gunicorn then stops reading at
# 1 MB), 1,000 fields of up to 64 kB: gunicorn reads at most about 64 MB of headers before it
# refuses (docs/deployment.md says why these numbers). nginx in front
# (deploy/nginx/archiwum-ngo.conf) refuses addresses past 8000 characters and header lines
# past its 32 kB buffers first, in the same shapes.
limit_request_line = 0
limit_request_fields = 1000
limit_request_field_size = 65536

# gunicorn 25+ opens a control socket at ~/.gunicorn/gunicorn.ctl: one path shared by every
# instance of a user (the benchmarks run several) and a folder the image's user cannot create.
control_socket_disable = True

# Workers' heartbeat files in memory: a container's overlay filesystem can stall them.
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"
