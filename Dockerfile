# syntax=docker/dockerfile:1
# NRM Digital: one image for every process (web, worker, beat, migrate). See docs/deployment.md.
#
#   docker build -t nrm-digital .
#   docker run --env-file prod.env nrm-digital                                   # web (the default command)
#   docker run --env-file prod.env nrm-digital celery -A nrm worker --loglevel INFO
#   docker run --env-file prod.env nrm-digital python manage.py migrate --noinput   # release step
#
# The image expects DATABASE_URL, REDIS_URL, SECRET_KEY and CLAMD_HOST (or CLAMD_SOCKET): it never starts the
# embedded servers of `make run`.

# --- Stage 1: GOV.UK Frontend and accessible-autocomplete, built as the Makefile's static/vendor/.built does.
FROM python:3.11-slim-bookworm AS assets
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY package.json package-lock.json ./
# --omit=dev leaves out axe-core, which only the browser tests use; the copied files are the same.
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error
# GOV.UK Frontend's CSS points at /assets/, so it is rewritten to the copied assets folder beside it.
RUN rm -rf static/vendor && mkdir -p static/vendor/govuk static/vendor/accessible-autocomplete \
    && cp -r node_modules/govuk-frontend/dist/govuk/assets static/vendor/govuk/ \
    && cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.{js,js.map,css.map} static/vendor/govuk/ \
    && sed 's#url(/assets/#url(assets/#g' node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css \
        > static/vendor/govuk/govuk-frontend.min.css \
    && cp node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.{js,css}{,.map} \
        static/vendor/accessible-autocomplete/ \
    && touch static/vendor/.built

# --- Stage 2: the application.
FROM python:3.11-slim-bookworm AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_ROOT_USER_ACTION=ignore \
    MEDIA_ROOT=/data/media \
    PRIVATE_MEDIA_ROOT=/data/private \
    QUARANTINE_MEDIA_ROOT=/data/quarantine

# WeasyPrint's libraries (Pango, HarfBuzz subsetting) and fonts for the PDFs: Liberation Sans has Arial's
# metrics, the fallback GOV.UK Frontend names; DejaVu covers the wider character set of names and places.
# clamav-daemon: ClamAV's clamd and freshclam, so that this image can also run the upload scanner
# (docs/deployment.md, "Malware scanning"); the app itself talks to clamd over CLAMD_SOCKET or CLAMD_HOST.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-liberation2 fonts-dejavu-core \
        clamav-daemon \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --gid 10001 nrm \
    && useradd --uid 10001 --gid nrm --create-home --home-dir /home/nrm --shell /usr/sbin/nologin nrm

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them. pyproject.toml declares no packages
# (`packages = []`): installing "." installs only the pinned dependencies; the code runs from /app. No extra: the
# `dev` (tests) and `local` (embedded PostgreSQL and Redis, supervisord) extras are for development machines only.
COPY pyproject.toml constraints.txt ./
RUN pip install -c constraints.txt . \
    && rm -rf build ./*.egg-info

COPY . .
COPY --from=assets /build/static/vendor static/vendor

# Static files are collected (and compressed, with hashed names) into .data/staticfiles for whitenoise.
# Placeholders only: collectstatic connects to nothing, and set URLs stop the settings from looking for or
# starting local servers.
RUN SECRET_KEY=collectstatic-placeholder \
    DATABASE_URL=postgres://placeholder@placeholder.invalid/placeholder \
    REDIS_URL=redis://placeholder.invalid:6379/0 \
    CLAMD_HOST=placeholder.invalid \
    python manage.py collectstatic --noinput -v 0 \
    && python -m compileall -q /app \
    && mkdir -p "$MEDIA_ROOT" "$PRIVATE_MEDIA_ROOT" "$QUARANTINE_MEDIA_ROOT" \
    && chown -R nrm:nrm /data

# The code stays owned by root and read-only to the service; only /data is writable: media, private files
# (evidence, letters, case files) and the quarantine. Mount one volume on /data shared by web and worker (a new
# named volume starts with these directories, owned by nrm), or configure object storage (S3_BUCKET).
USER nrm
EXPOSE 8000

# Liveness only (/healthz answers without touching PostgreSQL or Redis). The Host header must be one Django
# accepts, so the first entry of ALLOWED_HOSTS is used. Worker and beat containers override or disable this.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import http.client,os,sys; hosts=[h.strip().lstrip('.') for h in os.environ.get('ALLOWED_HOSTS','localhost').split(',') if h.strip() and h.strip()!='*']; c=http.client.HTTPConnection('127.0.0.1',8000,timeout=4); c.request('GET','/healthz',headers={'Host':hosts[0] if hosts else 'localhost'}); sys.exit(0 if c.getresponse().status==200 else 1)"]

# Workers, threads and the access log: gunicorn.conf.py in /app (WEB_CONCURRENCY, WEB_THREADS; docs/deployment.md).
CMD ["gunicorn", "nrm.wsgi", "--bind", "0.0.0.0:8000"]
