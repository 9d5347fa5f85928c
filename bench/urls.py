"""The product's URLs plus /_bench/trivial/: the floor of the stack for bench/http_bench.py.

The trivial view goes through the same gunicorn worker, WSGI handler and middleware as every
page, but touches no database and renders no template, so a page's requests per second next
to it tell what the page itself costs.
"""

from django.http import HttpResponse
from django.urls import path

from krakow_ngo import urls as product_urls


def trivial(request):
    return HttpResponse(b"ok\n", content_type="text/plain; charset=utf-8")


urlpatterns = [path("_bench/trivial/", trivial, name="bench-trivial"), *product_urls.urlpatterns]

# The product's error views, if it names any, serve the benchmark's URLs too.
for _name in ("handler400", "handler403", "handler404", "handler500"):
    if hasattr(product_urls, _name):
        globals()[_name] = getattr(product_urls, _name)
