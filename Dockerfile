# Production image: gunicorn serves the portal, whitenoise the static files; the same image runs the
# Celery worker and beat (see docker-compose.yml). All configuration comes from the environment.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /home/app --create-home app

WORKDIR /app

# WeasyPrint (the report PDF) needs Pango and a font from the system.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, in their own layer: rebuilt only when pyproject.toml changes.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
# Editable, so settings.BASE_DIR stays /app where templates/, static/ and locale/ live.
RUN pip install --no-deps -e . \
    && DJANGO_ENV=production \
       SECRET_KEY=build-time-only-key-for-collectstatic-never-used-at-runtime-000000 \
       VAR_DIR=/tmp/build-var \
       python manage.py collectstatic --noinput \
    && rm -rf /tmp/build-var \
    && mkdir -p /app/var/evidence \
    && chown -R app:app /app/var \
    && chmod 700 /app/var/evidence

# The code stays root-owned and read-only to the process; only var/ is writable.
USER app

EXPOSE 8000
# gunicorn believes X-Forwarded-Proto only from the addresses in FORWARDED_ALLOW_IPS (comma-separated
# addresses or networks): set it to the TLS-terminating proxy's address.
ENV FORWARDED_ALLOW_IPS=127.0.0.1
CMD ["gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
