"""Queueing a Celery task after commit, by its registered name.

Tasks call services; services name the tasks they queue and never import a tasks module, so the two
never import each other (``tests/test_architecture.py`` holds the code to that).
"""

from celery import Task
from django.db import transaction

from portal.celery import app


def enqueue(task_name: str, *args, **kwargs) -> None:
    """Queue the task ``task_name`` with these arguments once the current transaction commits (at once
    outside one), as ``task.delay(*args, **kwargs)`` in ``transaction.on_commit`` would. An unknown
    name fails here, inside the transaction. Not robust: a broker that refuses the message raises
    from the commit hook."""
    task = registered_task(task_name)
    transaction.on_commit(lambda: task.apply_async(args, kwargs))


def registered_task(name: str) -> Task:
    """The task registered as ``name``. Outside a worker no tasks module may have been imported yet:
    the first look-up imports them all."""
    try:
        return app.tasks[name]
    except KeyError:
        app.autodiscover_tasks(force=True)
        return app.tasks[name]
