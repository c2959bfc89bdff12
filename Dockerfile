# Production image: gunicorn for web, the same image for the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    MEDIA_ROOT=/data/media \
    STATIC_ROOT=/app/var/static

WORKDIR /app
# libmagic identifies uploads by content; the CJK TrueType fonts are embedded in printed PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libmagic1 fonts-wqy-microhei fonts-droid-fallback \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt requirements-s3.txt ./
RUN pip install -r requirements.txt -r requirements-s3.txt

COPY . .
# collectstatic needs settings to load; the key is a build-time placeholder, never used at run time.
RUN SECRET_KEY=collectstatic-only DEBUG=false python manage.py collectstatic --no-input -v0 \
    && useradd --system --uid 1000 portal \
    && mkdir -p /data/media && chown -R portal /data

USER portal
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2"]
