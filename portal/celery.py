"""The Celery app. Workers keep their database connection between tasks (``CELERY_DB_REUSE_MAX``) and
apply Django's ``CONN_MAX_AGE`` and ``CONN_HEALTH_CHECKS`` before each task, as Django does before each
request, so a restarted PostgreSQL costs the next task one reconnect instead of an error."""

import os
from pathlib import Path

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect
@signals.task_postrun.connect
def _close_old_connections(task=None, **kwargs):
    # Closes connections that are too old or broken and arms the health check for the next query.
    # Not for eager tasks: they run inside the caller's transaction.
    if task is not None and getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()


@signals.worker_init.connect
def _preload(**kwargs):
    # Before the pool forks: every app's views (through the URLconf) and the translation catalogues
    # are loaded once here and shared by the pool processes, instead of by each one's first task.
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    resolver = get_resolver()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            resolver.reverse_dict  # noqa: B018 - populates the language's reverse lookups


# Benchmarks: each pool process counts its SQL queries and writes the count to a file of its own.
QUERY_COUNT_DIR = os.environ.get("CELERY_QUERY_COUNT_DIR", "")


class _QueryCounter:
    count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


_query_counter = _QueryCounter()


@signals.worker_process_init.connect
def _install_query_counter(**kwargs):
    if QUERY_COUNT_DIR:
        from django.db import connection

        connection.execute_wrappers.append(_query_counter)


@signals.task_postrun.connect
def _write_query_count(**kwargs):
    if QUERY_COUNT_DIR:
        from portal.meetings.services.ledger import Ledger  # its writes go through connections of its own

        count = _query_counter.count + Ledger.writes
        Path(QUERY_COUNT_DIR, f"queries.{os.getpid()}").write_text(str(count))


@signals.worker_ready.connect
def _announce_ready(**kwargs):
    # Lets a test or benchmark start its clock when the worker is listening.
    if ready_file := os.environ.get("CELERY_READY_FILE"):
        Path(ready_file).touch()
