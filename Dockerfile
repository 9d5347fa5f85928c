# Production image: gunicorn as a non-root user, static files served by whitenoise.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_DEBUG=false \
    PORT=8000

WORKDIR /app
RUN useradd --system --uid 10001 --home-dir /app archiwum

# Tesseract with its Polish data: the worker's OCR of scanned documents (accessibility/ocr.py).
# Without it the archive still runs and only flags scans.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-pol \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.lock .
RUN pip install --require-hashes --no-deps -r requirements.lock

COPY . .
# collectstatic needs settings that start; the real key comes from the environment at run time.
RUN DJANGO_SECRET_KEY=collectstatic-only DJANGO_ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/media && chown archiwum /app/media

USER archiwum
EXPOSE 8000
# gunicorn.conf.py: port from $PORT, workers from $GUNICORN_WORKERS, access log to stdout.
CMD ["gunicorn"]
