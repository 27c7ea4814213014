"""Fixtures for the browser tests: the system Chromium, a live server and the cast in a real database.

pytest-playwright's sync API keeps an event loop running in the main thread from the first browser
test to the end of the session, so Django refuses ORM calls there (SynchronousOnlyOperation) unless
DJANGO_ALLOW_ASYNC_UNSAFE is set. The live server is a thread of this process and the tests touch the
database only between browser steps, so that is safe here. The variable is set only once the first
browser test starts, not when this file is imported: every subprocess a test starts inherits it, and
`manage.py check --deploy` (tests/test_deployment.py) rightly fails with it (async.E001). For the
same reasons the browser tests run after all other tests of a session (or of an xdist worker).
"""

import os
import uuid
import warnings
from pathlib import Path

import pytest

from tests.browser.checks import Recorder, check_html, vnu_command

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests last (a stable sort, after pytest-django's own ordering): see the docstring above."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session", autouse=True)
def _allow_the_orm_beside_playwrights_event_loop():
    # Session-scoped and autouse, so set before pytest-playwright's session fixtures start the loop.
    already_set = ASYNC_UNSAFE in os.environ
    os.environ.setdefault(ASYNC_UNSAFE, "true")
    yield
    if not already_set:
        os.environ.pop(ASYNC_UNSAFE, None)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """The Debian Chromium; Playwright's own browser download is never available here."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: apt-get install -y chromium"
        if os.environ.get("CI"):
            pytest.fail(f"The browser tests must run in CI, but {reason}", pytrace=False)
        pytest.skip(reason)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A Danish browser, as most of the portal's users have; Chromium would otherwise ask for English.
    return {**browser_context_args, "locale": "da-DK", "timezone_id": "Europe/Copenhagen"}


@pytest.fixture
def live_cast(transactional_db, cast, settings, live_server):
    """The named cast (tests/conftest.py) in a database the live server's thread can see.

    The cache is a private in-memory one for each test: allauth keeps used TOTP codes and login
    rate limits there, and a Redis cache (CI) is shared by the xdist workers, whose databases hand
    out the same user ids, so one worker's login could otherwise spend the other's code.
    """
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"browser-{uuid.uuid4().hex}",
        }
    }
    return cast


@pytest.fixture(scope="session")
def _checked_html(tmp_path_factory):
    """Where each page is saved for the Nu HTML checker, which runs over all of them at the end."""
    command = vnu_command()
    if command is None:
        warnings.warn("The HTML is not checked: the Nu HTML checker needs java and npm ci", stacklevel=1)
    directory = tmp_path_factory.mktemp("html")
    index: dict[str, dict[str, str]] = {}
    yield directory, index
    if command is None:
        return
    errors = check_html(command, directory, index)
    if errors:
        pytest.fail(f"The Nu HTML checker found {len(errors)} error(s):\n" + "\n".join(errors), pytrace=False)


@pytest.fixture
def new_context(new_context, browser, request, _checked_html):
    """pytest-playwright's new_context, recording every HTML page its pages load for the checks."""
    directory, index = _checked_html
    recorder = Recorder(request.node.nodeid, directory, index)
    request.node.page_recorder = recorder
    request.node.page_browser = browser

    def _new_context(**kwargs):
        context = new_context(**kwargs)
        context.on("response", recorder.on_response)
        return context

    return _new_context


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After a browser test passes: each page it loaded fits a 320 px screen."""
    result = yield
    recorder = getattr(item, "page_recorder", None)
    if recorder is not None:
        recorder.assert_pages_fit_the_narrowest_phone(item.page_browser)
    return result
