"""A WSGI app that sends one big file the way Django sends a prebuilt download (a FileResponse
goes out through the server's wsgi.file_wrapper, i.e. sendfile), and a small page beside it:
tests/deployment/test_gunicorn_downloads.py serves it with the shipped gunicorn.conf.py."""

import os


def application(environ, start_response):
    if environ["PATH_INFO"] == "/plik":
        path = os.environ["DOWNLOAD_TEST_FILE"]
        size = os.path.getsize(path)
        start_response("200 OK", [("Content-Type", "text/csv"), ("Content-Length", str(size))])
        return environ["wsgi.file_wrapper"](open(path, "rb"))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"strona\n"]
