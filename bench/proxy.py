"""Debian's nginx running the shipped site file (deploy/nginx/archiwum-ngo.conf) in front of an
app server, for the proxy tier's tests and `make bench`. Only addresses and paths are swapped
for a scratch folder's; each swapped line must exist, so a change of the file's shape is
noticed rather than silently tested around."""

import os
import re
import socket
import subprocess
import time
from pathlib import Path

NGINX = "/usr/sbin/nginx"
SITE_CONF = Path(__file__).resolve().parent.parent / "deploy" / "nginx" / "archiwum-ngo.conf"
HOST = "archiwum-ngo.krakow.pl"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NginxProxy:
    def __init__(self, folder, upstream, *, tls=True, workers=1):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.tls = tls
        self.workers = workers
        self.http_port, self.port = free_port(), free_port()
        self.base = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.process = None
        self.write_certificate()
        (self.folder / "cache").mkdir(exist_ok=True)
        self.write_site(upstream)
        self.write_main()

    def write_certificate(self):
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", f"/CN={HOST}", "-keyout", self.folder / "key.pem",
                "-out", self.folder / "cert.pem",
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip

    def write_site(self, upstream):
        text = SITE_CONF.read_text()
        listen = f"listen 127.0.0.1:{self.port}{' ssl' if self.tls else ''};"
        swaps = [
            (r"server 127\.0\.0\.1:8000;", f"server {upstream};"),
            (r"listen 80;", f"listen 127.0.0.1:{self.http_port};"),
            (r"listen 443 ssl http2;", listen),
            (r"listen \[::\]:\d+[^;]*;\n", ""),
            (r"/etc/letsencrypt/live/[^/]+/fullchain\.pem", str(self.folder / "cert.pem")),
            (r"/etc/letsencrypt/live/[^/]+/privkey\.pem", str(self.folder / "key.pem")),
            (r"/var/cache/nginx/archiwum-ngo", str(self.folder / "cache")),
            (r"/var/log/nginx/archiwum-ngo\.access\.log", str(self.folder / "access.log")),
        ]
        for pattern, replacement in swaps:
            text, count = re.subn(pattern, replacement, text)
            if not count:
                raise RuntimeError(f"{pattern!r} is no longer in {SITE_CONF}")
        (self.folder / "site.conf").write_text(text)

    def write_main(self):
        folder = self.folder
        # As root, nginx's workers would drop to `nobody`, who cannot enter a private folder.
        user = "user root;" if os.geteuid() == 0 else ""
        (folder / "nginx.conf").write_text(
            f"""{user}
worker_processes {self.workers};
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/site.conf;
}}
"""
        )

    def command(self, *extra):
        return [NGINX, "-p", str(self.folder), "-c", str(self.folder / "nginx.conf"), *extra]

    def start(self):
        self.process = subprocess.Popen(self.command("-g", "daemon off;"), stderr=subprocess.PIPE)
        for _ in range(200):
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx stopped: {self.process.stderr.read().decode()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nginx did not open its port")

    def reload(self, upstream):
        """The same cache, another app server (or none: an address nothing listens on)."""
        self.write_site(upstream)
        subprocess.run(self.command("-s", "reload"), check=True, capture_output=True)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
