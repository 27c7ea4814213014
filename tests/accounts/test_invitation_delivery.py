"""An invitation travels the real way: PostgreSQL, a Celery worker on Redis, and an SMTP server."""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from django.conf import settings
from django.db import connection
from django.urls import reverse

from portal.accounts import services
from portal.accounts.models import Invitation
from portal.celery import app
from portal.organisation.models import StaffMembership

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI sets it)"),
]

ROOT = Path(__file__).resolve().parents[2]


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def worker(smtp_server, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the worker needs a database it can share: PostgreSQL")
    db = connection.settings_dict
    controller, _inbox = smtp_server
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EMAIL_URL": f"smtp://127.0.0.1:{controller.port}",
        "VAR_DIR": str(tmp_path),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "-P",
            "solo",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
    )
    yield process
    process.terminate()
    process.wait(timeout=20)


@pytest.mark.django_db(transaction=True)
def test_invitation_is_delivered_by_a_real_worker_over_smtp(cast, worker, smtp_server, client):
    app.conf.task_always_eager = False
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    _controller, inbox = smtp_server
    invitation = services.invitation_create(
        invited_by=cast.lene,
        kind="staff",
        municipality=cast.aarhus,
        institution=cast.solsikken,
        role="pedagogue",
        email="karen@example.test",
        first_name="Karen",
        last_name="Lund",
    )
    deadline = time.monotonic() + 60
    while not inbox.messages and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(inbox.messages) == 1, "the worker did not deliver the invitation"
    message = inbox.messages[0]
    assert message["To"] == "karen@example.test"
    body = message.get_payload(0).get_payload(decode=True).decode()
    token = re.search(r"/invitation/([^/\s]+)/", body).group(1)
    response = client.post(
        reverse("accounts:invitation_accept", args=[token]),
        {"password1": "lang-og-sikker-kode-42", "password2": "lang-og-sikker-kode-42"},
    )
    assert response.status_code == 302
    assert StaffMembership.objects.filter(user__email="karen@example.test").exists()
    invitation.refresh_from_db()
    assert invitation.sent_at and invitation.accepted_at
    assert Invitation.objects.filter(sent_at__isnull=False).count() == 1
