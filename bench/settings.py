"""The production settings plus the benchmark's trivial view (bench/urls.py).

Only bench/http_bench.py serves these; the product's URLs never contain the trivial view.
"""

from krakow_ngo.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
