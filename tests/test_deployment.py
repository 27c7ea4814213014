"""The ways the portal is started (Makefile, Dockerfile, docker-compose.yml, `manage.py serve`) refer to
things that exist, and production settings are safe. Docker itself is not needed: the files are read."""

import http.client
import importlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import yaml
from celery.app.utils import find_app
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")
APP_ENV = ("DJANGO_ENV", "SECRET_KEY", "MFA_ENCRYPTION_KEYS", "DATABASE_URL", "REDIS_URL", "EMAIL_URL")
# Variables a developer's or CI's shell may hold that would change what a subprocess is testing.
SERVICE_VARS = (
    *APP_ENV,
    "DEBUG",
    "ALLOWED_HOSTS",
    "CELERY_BROKER_URL",
    "CELERY_TASK_ALWAYS_EAGER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "PORT",
    "VAR_DIR",
    "FORWARDED_ALLOW_IPS",
    "NUM_PROXIES",
    "TRUST_X_FORWARDED_PROTO",
)


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def command_of(service):
    command = service["command"]
    return command.split() if isinstance(command, str) else command


def dockerfile_cmd():
    (line,) = [line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("CMD ")]
    return json.loads(line.removeprefix("CMD "))


def clean_env(**values):
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARS and not k.startswith("MAKE")}
    return {**env, "DJANGO_SETTINGS_MODULE": "portal.settings", **values}


def production_env(tmp_path, **values):
    return clean_env(
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(45),  # 60 characters
        MFA_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="godtpaavej.example.dk",
        SITE_URL="https://godtpaavej.example.dk",
        DATABASE_URL="postgres://godtpaavej:secret@db.example.dk:5432/godtpaavej",
        REDIS_URL="redis://redis.example.dk:6379/0",
        EMAIL_URL="smtp+tls://smtp.example.dk:587",
        ACCESSIBILITY_EMAIL="tilgaengelighed@example.dk",
        ACCESSIBILITY_PHONE="+45 89 40 20 00",
        VAR_DIR=str(tmp_path),
        **values,
    )


def test_compose_defines_every_service_from_an_image_or_a_build(compose):
    services = compose["services"]

    assert {"postgres", "redis", "web", "worker", "beat", "mailpit"} <= services.keys()
    for name, service in services.items():
        assert "image" in service or "build" in service, name


def test_compose_app_services_share_the_production_environment(compose):
    for name in (*APP_SERVICES, "migrate"):
        env = compose["services"][name]["environment"]

        assert set(APP_ENV) <= env.keys(), name
        assert env["DJANGO_ENV"] == "production"
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?"), "no default secret may be baked in"
        assert env["MFA_ENCRYPTION_KEYS"].startswith("${MFA_ENCRYPTION_KEYS:?"), "nor a default key"
        assert env["EMAIL_URL"] == "smtp://mailpit:1025"


def test_compose_app_services_wait_for_healthy_backing_services_and_migrations(compose):
    services = compose["services"]

    for name in ("postgres", "redis", "web"):
        assert services[name]["healthcheck"]["test"], name
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert command_of(services["migrate"])[-3:-1] == ["manage.py", "migrate"]
    for name in APP_SERVICES:
        depends_on = services[name]["depends_on"]
        assert depends_on["postgres"]["condition"] == "service_healthy", name
        assert depends_on["redis"]["condition"] == "service_healthy", name
        assert depends_on["migrate"]["condition"] == "service_completed_successfully", name


def test_dockerfile_builds_from_python_3_12_slim():
    (base,) = re.findall(r"^FROM\s+(\S+)", (ROOT / "Dockerfile").read_text(), flags=re.MULTILINE)

    assert base == "python:3.12-slim"


def test_gunicorn_commands_name_an_importable_wsgi_application(compose):
    for command in (dockerfile_cmd(), command_of(compose["services"]["web"])):
        assert command[0] == "gunicorn"
        module, _, attr = command[1].partition(":")

        application = getattr(importlib.import_module(module), attr or "application")

        assert callable(application)


def test_celery_commands_find_the_app_and_it_registers_every_scheduled_task(compose):
    from portal import celery_app

    for name in ("worker", "beat"):
        command = command_of(compose["services"][name])
        assert command[:2] == ["celery", "-A"], name
        assert find_app(command[2]) is celery_app, name

    celery_app.autodiscover_tasks(force=True)
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled
    assert scheduled <= set(celery_app.tasks)


def test_every_management_command_the_tooling_and_readme_name_exists(compose):
    commands = [" ".join(command_of(s)) for s in compose["services"].values() if "command" in s]
    files = [ROOT / name for name in ("Makefile", "Dockerfile", "README.md", ".ci/run")]
    text = "\n".join([*(path.read_text() for path in files if path.exists()), *commands])
    named = set(re.findall(r"manage\.py\s+([a-z_]+)", text))
    # The Makefile runs check_messages only once its file exists.
    if not (ROOT / "portal/management/commands/check_messages.py").exists():
        named.discard("check_messages")

    assert {"migrate", "collectstatic", "serve", "seed_demo", "makemigrations"} <= named
    assert named <= set(get_commands()), named - set(get_commands())


def test_check_deploy_passes_in_production(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("secret_key", [None, "too-short", "django-insecure-" + "x" * 60])
def test_production_refuses_to_start_without_a_real_secret_key(tmp_path, secret_key):
    env = production_env(tmp_path)
    env.pop("SECRET_KEY")
    if secret_key is not None:
        env["SECRET_KEY"] = secret_key

    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_trust_x_forwarded_proto_from_anyone(tmp_path):
    env = production_env(tmp_path, TRUST_X_FORWARDED_PROTO="true")

    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode != 0
    assert "FORWARDED_ALLOW_IPS" in result.stderr


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("run", ["manage.py migrate", "manage.py seed_demo", "manage.py serve"]),
        ("test", ["-m pytest", "ruff check", "makemigrations --check"]),
        ("check", ["check --deploy"]),
    ],
)
def test_make_targets_parse(target, expected):
    result = subprocess.run(
        ["make", "-n", target], cwd=ROOT, env=clean_env(), capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    for fragment in expected:
        assert fragment in result.stdout, fragment


# `manage.py serve`, for real: three process groups up, all gone after a signal or a crash.


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def processes():
    """{pid: (ppid, pgid)} of every live (non-zombie) process, from /proc."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, ppid, pgid = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, IndexError):
            continue
        if state != "Z":
            found[int(stat.parent.name)] = (int(ppid), int(pgid))
    return found


def alive_in_groups(pgids):
    return [pid for pid, (_, pgid) in processes().items() if pgid in pgids]


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def serve(tmp_path):
    """Start `manage.py serve` on SQLite and the file broker in tmp_path; yield (process, log, port)."""
    if not Path("/proc/self/stat").exists():
        pytest.skip("reads the process table from /proc")
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--port", str(port)],
            cwd=ROOT,
            env=clean_env(VAR_DIR=str(tmp_path / "var")),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process, log, port
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


def start(serve):
    """Wait until the web server answers and the worker and beat are up; return the children's groups."""
    process, log, port = serve

    def healthy():
        if process.poll() is not None:
            pytest.fail(f"serve exited with status {process.returncode}:\n{log.read_text()}")
        try:
            return urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).status == 200
        except OSError:
            return False

    wait_for(healthy, 60, "/healthz")
    wait_for(lambda: re.search(r"celery@\S+ ready", log.read_text()), 60, "the worker")
    wait_for(lambda: "beat: Starting" in log.read_text(), 60, "beat")
    children = {pid: pgid for pid, (ppid, pgid) in processes().items() if ppid == process.pid}
    assert len(children) == 3
    assert all(pid == pgid for pid, pgid in children.items()), "each child leads its own process group"
    return set(children)


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_serve_stops_everything_it_started_on_a_signal(serve, signum):
    process, log, _ = serve
    groups = start(serve)
    assert len(alive_in_groups(groups)) > 3  # the reloader's server and the worker's pool as well

    process.send_signal(signum)

    assert process.wait(timeout=30) == 0, log.read_text()
    wait_for(lambda: not alive_in_groups(groups), 5, "every process serve started to end")


@pytest.mark.slow
def test_serve_stops_the_rest_and_fails_when_a_child_dies(serve):
    process, log, _ = serve
    groups = start(serve)
    worker = next(pid for pid in groups if b"worker" in Path(f"/proc/{pid}/cmdline").read_bytes())

    os.kill(worker, signal.SIGKILL)

    assert process.wait(timeout=30) != 0
    wait_for(lambda: not alive_in_groups(groups), 5, "every process serve started to end")
    assert "The worker process exited with status -9; stopped the others." in log.read_text()


# gunicorn as the image runs it: X-Forwarded-Proto counts only from FORWARDED_ALLOW_IPS.


@pytest.fixture
def gunicorn(tmp_path):
    """gunicorn(command, **env): run a gunicorn command line on a socket bound to 127.0.0.1:0 with the
    production settings; return its address."""
    started = []

    def start(command, **env):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        started.append(sock)
        bind = command.index("--bind") + 1
        argv = [*command[:bind], f"fd://{sock.fileno()}", *command[bind + 1 :], "--workers", "1"]
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / argv[0]), *argv[1:]],
            cwd=ROOT,
            env={**production_env(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", **env},
            pass_fds=[sock.fileno()],
            stdout=subprocess.DEVNULL,
            stderr=(tmp_path / "gunicorn.log").open("w"),
        )
        started.append(process)
        address = "http://{}:{}".format(*sock.getsockname())
        wait_for(lambda: process.poll() is not None or answers(address), 60, "gunicorn")
        assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
        return address

    yield start
    for thing in reversed(started):
        if isinstance(thing, socket.socket):
            thing.close()
        else:
            thing.terminate()
            thing.wait(timeout=30)


def answers(address):
    try:
        get(address + "/healthz")
    except OSError:
        return False
    return True


def get(url, **headers):
    """(status, headers) of a GET to the production host name; redirects are not followed."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", parts.path, headers={"Host": "godtpaavej.example.dk", **headers})
        response = connection.getresponse()
        return response.status, response.headers
    finally:
        connection.close()


@pytest.mark.parametrize("where", ["Dockerfile", "docker-compose.yml"])
def test_gunicorn_believes_x_forwarded_proto_only_from_the_configured_proxy(gunicorn, compose, where):
    command = dockerfile_cmd() if where == "Dockerfile" else command_of(compose["services"]["web"])
    claim = {"X-Forwarded-Proto": "https"}

    # The proxy is elsewhere: this peer (127.0.0.1) is a client claiming https, and is sent to https.
    untrusted = gunicorn(command, FORWARDED_ALLOW_IPS="192.0.2.10")
    status, headers = get(untrusted + "/account/login/", **claim)
    assert (status, headers["Location"]) == (301, "https://godtpaavej.example.dk/account/login/")
    # /healthz is never redirected; HSTS is sent only on what Django takes for https.
    status, headers = get(untrusted + "/healthz", **claim)
    assert status == 200 and "Strict-Transport-Security" not in headers

    # The image's default trusts only a proxy on the same host (127.0.0.1): its claim is believed.
    dockerfile = (ROOT / "Dockerfile").read_text()
    (default,) = re.findall(r"^ENV FORWARDED_ALLOW_IPS=(\S+)$", dockerfile, re.MULTILINE)
    trusted = gunicorn(command, FORWARDED_ALLOW_IPS=default)
    status, headers = get(trusted + "/healthz", **claim)
    assert status == 200 and headers["Strict-Transport-Security"].startswith("max-age=")
