"""Services queue tasks by name after commit (portal.enqueue), without importing a tasks module."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from portal.enqueue import enqueue, registered_task

ROOT = Path(__file__).resolve().parent.parent


def test_enqueue_sends_the_named_task_only_after_commit(db, monkeypatch, django_capture_on_commit_callbacks):
    sent = []
    task = registered_task("meetings.replan_reminders")
    monkeypatch.setattr(task, "apply_async", lambda args, kwargs: sent.append((args, kwargs)))
    with django_capture_on_commit_callbacks() as callbacks:
        enqueue("meetings.replan_reminders", 7)
        assert sent == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert sent == [((7,), {})]


def test_an_unknown_task_name_fails_at_once_inside_the_transaction(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(KeyError):
        enqueue("meetings.no_such_task", 1)
    assert callbacks == []


def test_a_web_process_that_imported_no_tasks_module_still_finds_the_task():
    script = (
        "import sys, django; django.setup()\n"
        "from portal.enqueue import registered_task\n"
        "assert 'portal.meetings.tasks' not in sys.modules\n"
        "print(registered_task('meetings.send_reminders').name)\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "meetings.send_reminders"
