"""The MIME text of a meeting message (:class:`MeetingEmail`), written by hand rather than by Python's
``email`` package, and the header helpers it needs (encoded words, addresses with names)."""

import binascii
import email.policy
import email.utils
import re
from base64 import b64encode, encodebytes
from functools import cache

from django.core.mail import EmailMultiAlternatives

from portal.meetings import ics


def b64_lines(data: bytes) -> bytes:
    return encodebytes(data).replace(b"\n", b"\r\n")


class MeetingEmail(EmailMultiAlternatives):
    """A meeting message: plain text, HTML and a calendar file, whose MIME text is written directly.

    Python's ``email`` package takes milliseconds per message; this writes the same structure
    (multipart/mixed → multipart/alternative + text/calendar) with the calendar part encoded once per
    meeting, which is what lets a worker keep up with an SMTP server during the conference weeks.
    """

    ics_b64: bytes = b""
    ics_method: str = "REQUEST"
    # The headers with names; ``from_email`` and ``to`` hold bare addresses (quicker for the backend).
    from_header: str = ""
    to_header: str = ""

    prepared: bytes | None = None

    def prepare(self) -> None:
        """Write the message now (in the thread that renders), so sending only sends."""
        self.prepared = _compose(self)

    def message(self, *, policy=None):
        return RawMessage(self.prepared or _compose(self))


class RawMessage:
    """The finished bytes of a message, with the little of ``email.message.Message`` the mail
    backends use (``as_bytes``, ``as_string``) and header access for tests."""

    def __init__(self, data: bytes):
        self.data = data

    def as_bytes(self, unixfrom=False, linesep="\r\n", policy=None) -> bytes:
        return self.data if linesep == "\r\n" else self.data.replace(b"\r\n", linesep.encode())

    def as_string(self, unixfrom=False, maxheaderlen=0, policy=None) -> str:
        return self.data.decode("utf-8", "replace")

    def get_charset(self):
        return None  # the console backend then decodes as UTF-8; the headers are 7-bit anyway

    def parsed(self):
        return email.message_from_bytes(self.data, policy=email.policy.default)

    def __getitem__(self, name):
        return self.parsed()[name]

    def get(self, name, default=None):
        return self.parsed().get(name, default)


def _encoded_words(text: str) -> str:
    """RFC 2047 base64 words of at most 45 bytes each (never splitting a character), folded."""
    words = ics.utf8_chunks(text.encode(), 45)
    return "\r\n ".join(f"=?utf-8?b?{b64encode(w).decode()}?=" for w in words if w)


def _header(value: str) -> str:
    value = " ".join(str(value).split())  # no line breaks from user input in a header
    if value.isascii() and len(value) < 900:
        return value
    return _encoded_words(value)


def address_header(name: str, addr: str) -> str:
    name = " ".join(name.split())
    if not name:
        return addr
    if not name.isascii():
        return f"{_encoded_words(name)} <{addr}>"
    if PLAIN_NAME.fullmatch(name):
        return f"{name} <{addr}>"
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{quoted}" <{addr}>'


PLAIN_NAME = re.compile(r"[A-Za-z0-9 .'!#$%&*+/=?^_`{|}~-]+")


@cache
def _from_header(value: str) -> str:
    name, addr = email.utils.parseaddr(value)
    return address_header(name, addr)


@cache
def bare_address(value: str) -> str:
    return email.utils.parseaddr(value)[1]


def _qp(text: str) -> bytes:
    return binascii.b2a_qp(text.replace("\r\n", "\n").replace("\n", "\r\n").encode(), istext=True)


MIXED, ALTERNATIVE = b"=_gpv_mixed_0", b"=_gpv_alt_0"  # "=_" never occurs in QP or base64 text


def _compose(message: MeetingEmail) -> bytes:
    to = message.to_header or ", ".join(message.to)
    headers = [
        f"From: {_from_header(message.from_header or message.from_email)}",
        f"To: {to}",
        f"Subject: {_header(message.subject)}",
        f"Date: {email.utils.formatdate(usegmt=True)}",
    ]
    headers += [f"{name}: {_header(value)}" for name, value in message.extra_headers.items()]
    parts = [
        "\r\n".join(headers).encode(),
        b'\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="%s"\r\n\r\n--%s\r\n'
        % (MIXED, MIXED),
        b'Content-Type: multipart/alternative; boundary="%s"\r\n\r\n--%s\r\n' % (ALTERNATIVE, ALTERNATIVE),
        b'Content-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n',
        _qp(message.body),
    ]
    for content, mimetype in message.alternatives:
        parts += [
            b'\r\n--%s\r\nContent-Type: %s; charset="utf-8"\r\n' % (ALTERNATIVE, mimetype.encode()),
            b"Content-Transfer-Encoding: quoted-printable\r\n\r\n",
            _qp(content),
        ]
    parts.append(b"\r\n--%s--\r\n" % ALTERNATIVE)
    for filename, content, mimetype in message.attachments:
        encoded = message.ics_b64 if mimetype.startswith("text/calendar") and message.ics_b64 else None
        if encoded is None:
            encoded = b64_lines(content.encode() if isinstance(content, str) else content)
        parts += [
            b'\r\n--%s\r\nContent-Type: %s; charset="utf-8"\r\n' % (MIXED, mimetype.encode()),
            b'Content-Disposition: attachment; filename="%s"\r\n' % filename.encode(),
            b"Content-Transfer-Encoding: base64\r\n\r\n",
            encoded,
        ]
    parts.append(b"\r\n--%s--\r\n" % MIXED)
    return b"".join(parts)
