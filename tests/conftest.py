"""The named cast every test uses.

Anna is Emil's mother (custody); Mikkel is Emil's father without custody; Bo is Freja's father;
Carla is a pedagogue in Emil's group at Solsikken; Lene leads Solsikken; Dorte teaches Freja's class
at Skovvangskolen (the receiving school); Sofie is a health visitor with a caseload; Erik is an
administrator of Aarhus; Olga is an administrator of the neighbouring municipality. Freja (1.A) has
her own pupil login, ``freja_pupil`` (freja.pupil@example.test).
"""

import contextlib
import copy
import re
import socket
import time
import uuid
from types import SimpleNamespace

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.test import override_settings

from children.models import PupilAccount
from portal.meetings.services.ledger import Ledger
from portal.organisation.models import Institution, StaffMembership
from tests import factories as f

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def enable_mfa(user):
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Each test sees its own part of the cache (the real Redis in CI): rate limits, used TOTP codes and
    cached sessions of one test never reach another, also across xdist workers."""
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = caches


def clear_own_cache() -> None:
    """Empty this test's part of the cache. ``cache.clear()`` on Redis empties the whole database, and
    with it the sessions of the tests running beside this one (each test has its own key prefix)."""
    from django.core.cache import cache
    from django.core.cache.backends.redis import RedisCache

    if not isinstance(cache, RedisCache):
        cache.clear()
        return
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def no_quiet_hours(settings):
    """The tests of messages run at any hour of the day: no default quiet hours, except where a test
    of quiet hours sets them (``settings.NOTICE_QUIET_HOURS``) or gives a person their own."""
    settings.NOTICE_QUIET_HOURS = ""


@pytest.fixture(autouse=True)
def evidence_storage(settings, tmp_path):
    """Evidence and data exports go to directories of each test's own (the private file storage of
    development)."""
    storages = copy.deepcopy(settings.STORAGES)
    for alias in ("evidence", "exports", "imports"):
        storages[alias] = {
            "BACKEND": "children.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / alias)},
        }
    settings.STORAGES = storages
    return tmp_path / "evidence"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    """moto's standalone S3-compatible server on 127.0.0.1 (a dev dependency), for the production path:
    real HTTP requests signed by boto3 through django-storages."""
    import subprocess
    import sys
    import urllib.request

    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=1)  # noqa: S310
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError("moto's server did not start") from None
                time.sleep(0.1)
        else:
            raise RuntimeError("moto's server did not answer")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def s3_evidence_storage(settings, s3_server):
    """The evidence storage as production has it: a private bucket behind the S3 API (a fresh bucket
    per test). Returns the boto3 client and the bucket's name, to look inside."""
    import boto3

    bucket = f"evidence-{uuid.uuid4().hex[:12]}"
    credentials = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
    client = boto3.client("s3", endpoint_url=s3_server, region_name="eu-north-1", **credentials)
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
    storages = copy.deepcopy(settings.STORAGES)
    storages["evidence"] = {
        "BACKEND": "children.storage.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": s3_server,
            "region_name": "eu-north-1",
            "access_key": "test",
            "secret_key": "test",
            "location": "evidence",
            "file_overwrite": False,
        },
    }
    settings.STORAGES = storages
    return SimpleNamespace(client=client, bucket=bucket)


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in-process in unit tests; tests marked `slow` use a real worker instead."""
    from portal.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _ledger_connections():
    """Reminders are sent on connections of their own, kept per sending thread for the next batch; a
    test database cannot be dropped while they are open, so every test closes them."""
    yield
    Ledger.close_pool()


@pytest.fixture
def cast(db):
    aarhus = f.MunicipalityFactory(name="Aarhus Kommune", code="751")
    other = f.MunicipalityFactory(name="Skanderborg Kommune", code="746")

    solsikken = f.InstitutionFactory(municipality=aarhus, name="Børnehuset Solsikken")
    mariehonen = f.GroupFactory(institution=solsikken, name="Mariehønen")
    bien = f.GroupFactory(institution=solsikken, name="Bien")
    school = f.InstitutionFactory(municipality=aarhus, name="Skovvangskolen", kind=Institution.Kind.SCHOOL)
    class_1a = f.GroupFactory(institution=school, name="1.A", school_year=1)
    health = f.InstitutionFactory(
        municipality=aarhus, name="Sundhedsplejen", kind=Institution.Kind.HEALTH_VISITING
    )
    caseload = f.GroupFactory(institution=health, name="Sundhedspleje Vest")
    other_daycare = f.InstitutionFactory(municipality=other, name="Børnehaven Ved Søen")
    other_group = f.GroupFactory(institution=other_daycare, name="Frøerne")

    emil = f.ChildFactory(municipality=aarhus, first_name="Emil", last_name="Jensen")
    freja = f.ChildFactory(municipality=aarhus, first_name="Freja", last_name="Nielsen")
    ida = f.ChildFactory(
        municipality=aarhus, first_name="Ida", last_name="Berg"
    )  # in Bien, not Carla's group
    baby = f.ChildFactory(
        municipality=aarhus,
        first_name="Baby",
        last_name="Holm",
        birth_date=None,
        expected_on=time.strftime("%Y-12-31"),
    )
    søren = f.ChildFactory(municipality=other, first_name="Søren", last_name="Dam")

    f.EnrollmentFactory(child=emil, group=mariehonen)
    f.EnrollmentFactory(child=freja, group=class_1a)
    f.EnrollmentFactory(child=ida, group=bien)
    f.EnrollmentFactory(child=baby, group=caseload)
    f.EnrollmentFactory(child=søren, group=other_group)

    anna = f.UserFactory(email="anna@example.test", first_name="Anna", last_name="Jensen")
    mikkel = f.UserFactory(email="mikkel@example.test", first_name="Mikkel", last_name="Jensen")
    bo = f.UserFactory(email="bo@example.test", first_name="Bo", last_name="Nielsen")
    holm = f.UserFactory(email="holm@example.test", first_name="Maja", last_name="Holm")
    dam = f.UserFactory(email="dam@example.test", first_name="Lars", last_name="Dam")
    f.GuardianshipFactory(child=emil, user=anna)
    f.GuardianshipFactory(child=emil, user=mikkel, relation="father", has_custody=False)
    f.GuardianshipFactory(child=freja, user=bo, relation="father")
    f.GuardianshipFactory(child=baby, user=holm)
    f.GuardianshipFactory(child=søren, user=dam, relation="father")

    carla = enable_mfa(f.UserFactory(email="carla@example.test", first_name="Carla", last_name="Hansen"))
    lene = enable_mfa(f.UserFactory(email="lene@example.test", first_name="Lene", last_name="Schmidt"))
    dorte = enable_mfa(f.UserFactory(email="dorte@example.test", first_name="Dorte", last_name="Madsen"))
    sofie = enable_mfa(f.UserFactory(email="sofie@example.test", first_name="Sofie", last_name="Christensen"))
    erik = enable_mfa(f.UserFactory(email="erik@example.test", first_name="Erik", last_name="Larsen"))
    olga = enable_mfa(f.UserFactory(email="olga@example.test", first_name="Olga", last_name="Berg"))
    f.StaffMembershipFactory(user=carla, institution=solsikken, groups=[mariehonen])
    f.StaffMembershipFactory(user=lene, institution=solsikken, role=StaffMembership.Role.LEADER)
    f.StaffMembershipFactory(
        user=dorte, institution=school, role=StaffMembership.Role.TEACHER, groups=[class_1a]
    )
    f.StaffMembershipFactory(
        user=sofie, institution=health, role=StaffMembership.Role.HEALTH_VISITOR, groups=[caseload]
    )
    f.AdministratorFactory(user=erik, municipality=aarhus)
    f.AdministratorFactory(user=olga, municipality=other)

    # Freja (1.A) has her own pupil login, made with a code from Dorte.
    freja_pupil = f.UserFactory(
        email="freja.pupil@example.test", first_name="Freja", last_name="Nielsen", notify_by_email=False
    )
    PupilAccount.objects.create(user=freja_pupil, child=freja, created_by=dorte)

    return SimpleNamespace(**locals())


SITE = SimpleNamespace(name="Godt på vej Testby", url="https://portal.testby.example")


@pytest.fixture
def distinct_site(settings):
    """A portal name and address that no request carries (the test client's host is "testserver")."""
    settings.SITE_NAME = SITE.name
    settings.SITE_URL = SITE.url
    settings.ACCOUNT_EMAIL_SUBJECT_PREFIX = f"{SITE.name}: "  # settings.py derives it from SITE_NAME
    return SITE


def assert_mail_names_the_site(message, site=SITE):
    """The mail names the portal and links only to its configured address, never the request's host."""
    bodies = [message.body] + [content for content, _type in getattr(message, "alternatives", [])]
    for body in bodies:
        body = str(body)
        assert site.name in body, body
        assert site.url in body, body
        assert "testserver" not in body, body
        for link in re.findall(r"https?://[^\s\"<>]+", body):
            assert link.startswith(site.url), f"{link} is not on {site.url}"


def _log_in(client, user, *, mfa=True):
    client.force_login(user)
    session = client.session
    now = time.time()
    records = [{"method": "password", "at": now, "email": user.email}]
    if mfa:
        records.append({"method": "mfa", "at": now, "id": 0, "type": "totp"})
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


@pytest.fixture
def login():
    """login(client, user): a signed-in session as if the person passed password (and MFA) at login."""
    return _log_in


@contextlib.contextmanager
def mail_server_down():
    """Mail goes to an SMTP port nothing listens on: every send is refused, as in a mail outage."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    smtp = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": port},
    }
    with override_settings(MAILERS={"default": smtp}):
        yield


PASSWORD_OF_THE_CAST = "correct-horse-battery"  # tests/factories.py


def _reauthenticate(client, password=PASSWORD_OF_THE_CAST):
    """Enter the password again on allauth's page, as changing security settings asks (a few minutes)."""
    from django.urls import reverse

    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


@pytest.fixture
def reauthenticate():
    """reauthenticate(client): the signed-in person has just entered their password again."""
    return _reauthenticate
