"""Checks on every HTML page a browser test receives, wired up in conftest.py.

Each browser context records the HTML documents its pages load (not htmx fragments: their markup is
part of a whole page too). After the test, each is shown again at 320 px, from the recorded response
(only its static files are fetched again), and must not scroll sideways. The documents are also saved
for the Nu HTML checker, which runs once per session (per xdist worker) over all of them.
"""

import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Error, Response, Route

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
NARROWEST = {"width": 320, "height": 640}
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
# Headers that describe the original transfer, not the document.
HOP_HEADERS = {"content-encoding", "content-length", "transfer-encoding", "set-cookie"}


@dataclass
class Document:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class Recorder:
    """The HTML documents loaded by the pages of one test, saved to `directory` for the checker."""

    test: str
    directory: Path
    index: dict[str, dict[str, str]]
    documents: list[Document] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    pending: int = 0

    def on_response(self, response: Response) -> None:
        request = response.request
        is_page = request.resource_type == "document" and request.frame.parent_frame is None
        if not is_page or not response.headers.get("content-type", "").startswith("text/html"):
            return
        if 300 <= response.status < 400:
            return  # a redirect has no body; its target is recorded in turn
        self.pending += 1
        try:
            body = response.body()
        except Error as error:
            self.problems.append(f"{response.url}: could not read the page ({error.message})")
            return
        finally:
            self.pending -= 1
        self.documents.append(Document(response.url, response.status, response.headers, body))
        name = hashlib.sha256(body).hexdigest()[:20] + ".html"
        if name not in self.index:
            (self.directory / name).write_bytes(body)
            self.index[name] = {"url": response.url, "test": self.test}

    def assert_pages_fit_the_narrowest_phone(self, browser: Browser) -> None:
        """Every recorded page, rendered from its recorded response at 320 px, has no sideways scroll."""
        context = browser.new_context(viewport=NARROWEST, locale="da-DK")
        try:
            page = context.new_page()
            for _ in range(100):  # while waiting, responses still being read are finished
                if not self.pending:
                    break
                page.wait_for_timeout(50)
            for document in self.documents:
                page.route(lambda url, wanted=document.url: url == wanted, _fulfil_with(document), times=1)
                page.goto(document.url, wait_until="load")
                overflow = page.evaluate(OVERFLOW)
                problem = f"{document.url} is {overflow}px wider than a 320 px screen"
                if overflow > 0 and problem not in self.problems:
                    self.problems.append(problem)
                page.goto("about:blank")  # no polling from a page left open
        finally:
            context.close()
        if self.problems:
            pytest.fail("\n".join(self.problems), pytrace=False)


def _fulfil_with(document: Document):
    headers = {k: v for k, v in document.headers.items() if k.lower() not in HOP_HEADERS}

    def fulfil(route: Route) -> None:
        route.fulfill(status=document.status, headers=headers, body=document.body)

    return fulfil


def vnu_command() -> list[str] | None:
    """The Nu HTML checker's command line, or None when Java or vnu.jar is missing."""
    java = shutil.which("java")
    if not java or not VNU.exists():
        missing = "java (apt-get install default-jre-headless)" if not java else f"{VNU} (npm ci)"
        if os.environ.get("CI"):
            pytest.fail(f"The HTML of the browser tests must be checked in CI, but {missing} is missing")
        return None
    return [java, "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout"]


def check_html(command: list[str], directory: Path, index: dict[str, dict[str, str]]) -> list[str]:
    """Run the Nu HTML checker once over every saved page; one line per error."""
    if not index:
        return []
    result = subprocess.run([*command, str(directory)], capture_output=True, text=True, timeout=600)
    try:
        messages = json.loads(result.stdout)["messages"]
    except (ValueError, KeyError):
        return [f"The Nu HTML checker failed (exit {result.returncode}): {result.stderr or result.stdout}"]
    errors = []
    for message in messages:
        page = index.get(Path(message.get("url", "")).name, {"url": message.get("url"), "test": "?"})
        where = f"line {message['lastLine']}" if "lastLine" in message else "document"
        errors.append(
            f"{page['url']} ({where}, seen by {page['test']}): {message.get('message')}\n"
            f"    {message.get('extract', '').strip()}"
        )
    return errors
