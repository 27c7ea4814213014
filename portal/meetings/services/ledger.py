"""What the SMTP server accepted, recorded the moment it answered, so no message goes out twice.

Two records: the journal (:class:`Journal`), keys in the cache (Redis in production, two days), a
fast first filter and the record of last resort while the database cannot be written; and the ledger
(:class:`Ledger`), each message's outcome written to its row on a database connection of the sending
thread's own, committed before that thread's next ``DATA``. A write that finds the row claimed again
raises :class:`LeaseLost`, so a send that lost its rows stops after at most one message.
"""

import contextlib
import logging
import select
import threading
from datetime import datetime
from functools import cache

from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.utils import timezone

logger = logging.getLogger(__name__)

JOURNAL_TTL = 2 * 24 * 60 * 60


def journal_key(row, channel: str = "email") -> str:
    """The journal's key of a row's message on a channel; rows of other outboxes (the notification
    centre's letters) carry a ``JOURNAL`` prefix of their own."""
    suffix = "" if channel == "email" else f":{channel}"
    return f"{settings.MEETING_SENT_JOURNAL}:{getattr(row, 'JOURNAL', '')}{row.pk}.{row.sequence}{suffix}"


class LeaseLost(Exception):
    """Another claim took these rows over while they were being sent (their task had been given up
    for lost): the new claim sends the rest."""


class Journal:
    """Which messages the SMTP server accepted: keys in the Django cache, kept two days.

    A fast first filter in front of the database's record (``Reminder.email_status``), and the record
    of last resort when the database cannot be written; never relied on: when Redis is away or lost
    its data, sending goes on without it. On Redis each sending thread writes through a connection of
    its own (:meth:`writer`) and reads the server's answer to one write while the next message is on
    its way to the SMTP server. Elsewhere (tests on the local-memory cache) it goes through the cache
    API. The keys and values are the cache's, so ``known`` reads them either way.
    """

    def __init__(self, cache):
        self.cache = cache
        self.client = None
        if isinstance(cache, RedisCache):
            location = settings.CACHES["default"]["LOCATION"]
            if isinstance(location, str):
                location = location.split(",")
            self.client = redis_client(location[0])

    def known(self, keys: list[str]) -> set[str]:
        try:
            return set(self.cache.get_many(keys))
        except JOURNAL_ERRORS as exc:
            logger.warning(
                "The journal of sent messages cannot be read (%s); the database's record is used", exc
            )
            return set()

    def writer(self) -> "JournalWriter":
        return JournalWriter(self)

    def add_many(self, keys: list[str]) -> None:
        try:
            self.cache.set_many(dict.fromkeys(keys, 1), JOURNAL_TTL)
        except JOURNAL_ERRORS as exc:
            logger.warning("The journal of sent messages cannot be written: %s", exc)


def _journal_errors() -> tuple[type[BaseException], ...]:
    try:
        from redis.exceptions import RedisError
    except ImportError:  # pragma: no cover - redis is a dependency
        return (OSError,)
    return (RedisError, OSError)


JOURNAL_ERRORS = _journal_errors()


@cache
def redis_client(url: str):
    """One Redis client per process and server (the journal's, the broker's); redis-py's pool starts
    afresh after a fork and replaces a lost connection."""
    import redis

    return redis.Redis.from_url(url)


class JournalWriter:
    """Journal writes from one thread: each ``add`` sends its ``SET`` at once and reads the reply to
    the previous one, which has long arrived. The first error ends the journal for this thread."""

    def __init__(self, journal: Journal):
        self.journal, self.unanswered = journal, 0
        self.connection = None
        self.broken = False
        if journal.client is not None:
            try:
                self.connection = journal.client.connection_pool.get_connection()
            except JOURNAL_ERRORS as exc:
                self._break(exc)

    def add(self, key: str) -> None:
        if self.broken:
            return
        try:
            if self.connection is None:
                self.journal.cache.set(key, 1, JOURNAL_TTL)
                return
            self._answers(self.connection)
            self.connection.send_command("SET", self.journal.cache.make_key(key), 1, "EX", JOURNAL_TTL)
            self.unanswered = 1
        except JOURNAL_ERRORS as exc:
            self._break(exc)

    def _answers(self, connection) -> None:
        while self.unanswered:
            self.unanswered -= 1
            connection.read_response()

    def _break(self, exc: BaseException) -> None:
        logger.warning("The journal of sent messages stopped (%s); the database's record goes on", exc)
        self.broken = True
        self.close()

    def close(self) -> None:
        connection, self.connection = self.connection, None
        if connection is None:
            return
        try:
            self._answers(connection)
        except JOURNAL_ERRORS:
            connection.disconnect()  # a half-read reply must not reach the pool's next user
        finally:
            self.unanswered = 0
            self.journal.client.connection_pool.release(connection)


# The record of one message, committed on a connection of the sending thread's own. Unconditional
# (the server took the message, whoever holds the row now); it answers whether the row is still
# this send's, so a send whose rows were claimed again stops after at most one message.
LEDGER_SQL = (
    "UPDATE {table} SET {status} = %s, {detail} = %s WHERE id = %s "
    "RETURNING status = 'queued' AND (%s OR lease_until = %s)"
)
# The outboxes whose rows carry email_status/email_detail, sms_status/sms_detail, status and lease_until.
LEDGER_TABLES = ("meetings_reminder", "notices_letter")


def _ledger_sql(channel: str, table: str = "meetings_reminder") -> str:
    return LEDGER_SQL.format(table=table, status=f"{channel}_status", detail=f"{channel}_detail")


def _numbered(sql: str) -> bytes:
    """PostgreSQL's own placeholders ($1, $2, …) for ``%s``."""
    return sql.replace("%s", "{}").format(*(f"${n}" for n in range(1, sql.count("%s") + 1))).encode()


class Ledger:
    """Records each e-mail's outcome in the database the moment the SMTP server answered.

    ``add`` sends the row's ``UPDATE`` (autocommit) without waiting; ``wait``, called before the
    thread's next ``DATA``, reads the answer, so the write travels while the next envelope
    (``MAIL``, ``RCPT``) does. On PostgreSQL the connections are kept per process, with
    ``synchronous_commit`` off: a commit is visible at once and on disk within a fraction of a second
    (a restart of the server writes it; only a crash of the server in that moment, with Redis losing
    the journal too, would lose it). On SQLite (development) it writes through the thread's own
    connection, one thread at a time.
    """

    pool: list = []
    pool_lock = threading.Lock()
    sqlite_lock = threading.Lock()
    writes = 0  # statements this process sent, for the benchmark's count of queries

    def __init__(self, lease: datetime | None, table: str = "meetings_reminder"):
        assert table in LEDGER_TABLES
        self.lease, self.table, self.pending, self.raw, self.sqlite = lease, table, None, None, None
        db = connections[DEFAULT_DB_ALIAS]
        if db.vendor == "postgresql":
            self.raw = self._acquire(db)
        else:
            self.sqlite = db

    @classmethod
    def close_pool(cls) -> None:
        """Close the connections kept for later batches (before a test database is dropped)."""
        with cls.pool_lock:
            pool, cls.pool = cls.pool, []
        for raw in pool:
            with contextlib.suppress(Exception):
                raw.close()

    def _acquire(self, db):
        from psycopg import pq

        with self.pool_lock:
            raw = self.pool.pop() if self.pool else None
        if raw is not None:
            try:
                raw.execute("SELECT 1")  # a server restart since its last use: take a new one
                return raw
            except Exception:
                with contextlib.suppress(Exception):
                    raw.close()
        raw = db.get_new_connection(db.get_connection_params())
        raw.autocommit = True
        raw.execute("SET synchronous_commit = off")
        for table in LEDGER_TABLES:  # planned once per connection, not for every message
            for channel in ("email", "sms"):
                name = f"ledger_{table}_{channel}".encode()
                result = raw.pgconn.prepare(name, _numbered(_ledger_sql(channel, table)))
                if result.status != pq.ExecStatus.COMMAND_OK:
                    raise OperationalError(result.error_message.decode("utf-8", "replace"))
        return raw

    def add(self, pk: int, channel: str, status: str, detail: str) -> None:
        self.wait()
        with self.pool_lock:
            Ledger.writes += 1
        lease = self.lease or timezone.now()  # any value when there is no lease to check
        if self.sqlite is not None:
            params = [
                status,
                detail,
                pk,
                self.lease is None,
                self.sqlite.ops.adapt_datetimefield_value(lease),
            ]
            with self.sqlite_lock, self.sqlite.cursor() as cursor:
                cursor.execute(_ledger_sql(channel, self.table), params)
                self._check(cursor.fetchone(), pk)
            return
        values = [status, detail, str(pk), "t" if self.lease is None else "f", lease.isoformat()]
        try:
            self.raw.pgconn.send_query_prepared(
                f"ledger_{self.table}_{channel}".encode(), [v.encode() for v in values]
            )
        except Exception as exc:
            raise OperationalError(f"Could not record reminder {pk}: {exc}") from exc
        self.pending = pk

    def wait(self) -> None:
        """Until the last record is committed; raises if it was not."""
        if self.pending is None:
            return
        from psycopg import pq

        pk, self.pending, answer, error = self.pending, None, None, ""
        pgconn = self.raw.pgconn
        while pgconn.is_busy():  # wait outside the interpreter lock: the other threads go on
            if not select.select([pgconn.socket], [], [], 30)[0]:
                raise OperationalError(f"Could not record reminder {pk}: no answer in 30 s")
            pgconn.consume_input()
        while (result := pgconn.get_result()) is not None:
            if result.status == pq.ExecStatus.TUPLES_OK and result.ntuples:
                answer = (result.get_value(0, 0) == b"t",)
            elif result.status != pq.ExecStatus.TUPLES_OK:
                error = result.error_message.decode("utf-8", "replace")
        if error or pgconn.status != pq.ConnStatus.OK:
            raise OperationalError(f"Could not record reminder {pk}: {error or 'connection lost'}")
        self._check(answer, pk)

    def _check(self, answer, pk: int) -> None:
        if answer is None or not answer[0]:
            raise LeaseLost(pk)

    def close(self) -> None:
        try:
            self.wait()
        except BaseException:
            if self.raw is not None:
                self.raw.close()
                self.raw = None
            raise
        finally:
            if self.raw is not None:
                with self.pool_lock:
                    self.pool.append(self.raw)
                self.raw = None
