"""Text messages behind a small backend interface, like Django's e-mail backends.

``settings.SMS_BACKEND`` names the class. A gateway backend subclasses :class:`BaseSmsBackend` and
implements ``send_messages``; it raises ``OSError`` (or a subclass) for a failure worth retrying.
"""

import logging
import sys
import threading
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Messages "sent" with the LocMemBackend, for tests.
outbox: list["SmsMessage"] = []


@dataclass(frozen=True)
class SmsMessage:
    to: str
    body: str
    # The sender's own reference (e.g. the reminder's Message-ID), so a gateway can drop a resend.
    reference: str = ""


class BaseSmsBackend:
    def __init__(self, *, fail_silently: bool = False, **kwargs):
        self.fail_silently = fail_silently

    def send_messages(self, messages: list[SmsMessage]) -> int:
        """Send the messages; return how many were handed over."""
        raise NotImplementedError


class ConsoleBackend(BaseSmsBackend):
    """Writes each message to standard output and the log (development)."""

    def __init__(self, *, stream=None, **kwargs):
        super().__init__(**kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.Lock()

    def send_messages(self, messages: list[SmsMessage]) -> int:
        with self._lock:
            for message in messages:
                self.stream.write(f"SMS to {message.to} [{message.reference}]\n{message.body}\n{'-' * 40}\n")
                logger.info("SMS to %s: %s", message.to, message.reference)
            self.stream.flush()
        return len(messages)


class LocMemBackend(BaseSmsBackend):
    """Keeps the messages in ``portal.meetings.sms.outbox`` (tests)."""

    def send_messages(self, messages: list[SmsMessage]) -> int:
        outbox.extend(messages)
        return len(messages)


def get_backend(path: str | None = None, **kwargs) -> BaseSmsBackend:
    return import_string(path or settings.SMS_BACKEND)(**kwargs)
