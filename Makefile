# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell sha1sum requirements-dev.lock | cut -c1-12)

.PHONY: install system-deps run worker test lint format lock sample-data bench-search bench-feeds bench bench-pages bench-alerts load-test scale-out-check clean

$(STAMP): requirements-dev.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-dev.lock
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

# The email alerts' worker runs beside the server (its messages land in sent-mail/ locally) and
# stops with it.
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_archive
	$(BIN)/python manage.py alerts_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The email alerts' worker alone (production runs it as its own service: docs/deployment.md).
worker: install
	$(BIN)/python manage.py alerts_worker

# Browser and HTML-validity tests need Debian's chromium and a Java runtime (for vnu.jar); the
# proxy tier's tests run Debian's nginx with deploy/nginx/archiwum-ngo.conf.
# Playwright cannot download its own browser here, so the system's chromium is used.
# Tesseract with its Polish data reads scanned documents (OCR in the worker; its test is skipped
# without it). GNU gettext runs makemessages/compilemessages (the compiled .mo files are
# committed, so serving English does not need it).
system-deps:
	@missing=""; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	test -x /usr/sbin/nginx || missing="$$missing nginx"; \
	tesseract --list-langs 2>/dev/null | grep -qx pol || missing="$$missing tesseract-ocr tesseract-ocr-pol"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "Missing system packages:$$missing (install them as root; browser tests will be skipped)"; \
	  fi; \
	fi

test: install system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Regenerates the pinned, hashed requirement files from pyproject.toml (uv resolves in
# seconds where pip-compile backtracked for minutes over boto3/botocore).
lock: install
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile -q --generate-hashes --python-version 3.11 -o requirements.lock pyproject.toml
	$(BIN)/uv pip compile -q --generate-hashes --python-version 3.11 --extra dev -o requirements-dev.lock pyproject.toml

sample-data: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py generate_sample_data --meetings $(or $(MEETINGS),1000) --postulates $(or $(POSTULATES),10000)
	$(BIN)/python manage.py build_exports

# Search p50/p95 over 10,000 meetings and 100,000 postulates on the local PostgreSQL.
bench-search: install
	$(BIN)/python bench/search_bench.py $(BENCH_ARGS)

# Size in bytes and time of every feed and calendar URL (the heaviest year, department and
# organisation) over the same database.
bench-feeds: install
	$(BIN)/python bench/feeds_bench.py $(BENCH_ARGS)

# Issue #18's targets in one run: every public page kind uncached (bench-pages: p50/p95, the
# downloads' first byte, plans of the slow ones), every feed's size (bench-feeds), then under
# gunicorn with production settings the busiest pages' requests per second and latency with the
# page cache off, in memory, in Redis and behind the nginx proxy tier (and how soon a save shows
# through it), every page kind's cached throughput over the trivial view's, and the workers'
# memory after serving every page kind. BENCH_ARGS=--strict fails on any target, --scale 10 for
# 100,000 meetings / 1,000,000 postulates (a database of its own, reused). Installs Debian's wrk
# when run as root.
bench: install
	$(BIN)/python bench/http_bench.py $(BENCH_ARGS)

# Uncached p50/p95 of every URL pattern of the public site, each list at its first and its
# last page and with typical filters, at 10,000 meetings / 100,000 postulates (issue #18;
# BENCH_ARGS=--strict fails on a page over 50 ms (100 ms at --scale 10: 100,000 / 1,000,000),
# --database-url to measure another database as it is). Prints the slowest query's plan of
# every page over its target.
bench-pages: install
	$(BIN)/python bench/pages_bench.py $(BENCH_ARGS)

# Email alerts: 10,000 subscribers and 2,000 changes published in a day, digests built and handed
# to a loopback SMTP server; the editor's save timed with and without alerts (issue #19).
bench-alerts: install
	$(BIN)/python bench/alerts_bench.py $(BENCH_ARGS)

# 100 connections for 60 s over a mix of public URLs under gunicorn; fails on any socket
# error, timeout or unexpected status (issue #9).
load-test: install
	$(BIN)/python bench/load_test.py $(BENCH_ARGS)

# Two gunicorn instances on one PostgreSQL, one Redis and one S3 bucket (moto, in-process)
# serve the same pages and ETags, see each other's saves within a second and keep no files of
# their own (issue #8). Needs PostgreSQL and Redis on loopback; exits 1 on any failed check.
scale-out-check: install
	$(BIN)/python bench/scale_out.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
