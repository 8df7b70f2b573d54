"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Every page a test looks at goes through ``check_page``: the expected HTTP status, an <h1>, the
right ``<html lang>``, no horizontal scrolling, no console error (a Content-Security-Policy
violation shows up there), no failed style sheet or script, axe-core with the WCAG 2.0/2.1 A and
AA rules plus best practices, and the Nu HTML Checker on the HTML the server sent.

Chromium is Debian's (/usr/bin/chromium, installed by ``make test-deps``); Playwright's own
browser download is never used. axe-core and the Nu HTML Checker come from npm (node_modules/).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands
from django.test import override_settings
from playwright.sync_api import Browser, Page, Response, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("KYODO_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTIFACTS = ROOT / "test-artifacts"

VIEWPORTS = {
    "phone": {"width": 375, "height": 812},
    "desktop": {"width": 1280, "height": 900},
}
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
SETUP_HINT = "run `make test-deps` (it installs Chromium, Java and node_modules)"


# --- Chromium -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(django_db_setup) -> Browser:
    """Chromium, started for each test module (about a second) and stopped after it.

    Between its calls, Playwright's sync API leaves its asyncio loop marked as running in this
    thread. Django (through asgiref) then treats the thread as async, which has three effects
    that this fixture handles:

    - ORM calls would raise SynchronousOnlyOperation: DJANGO_ALLOW_ASYNC_UNSAFE allows them
      while the browser runs.
    - The thread gets a second set of database connections. The database content that
      serialized_rollback restores before each test (rows made by migrations: role groups,
      activity fields) is kept on the first set, so it is handed over to the second.
    - Tests after this module must find the thread as it was: Playwright is stopped (which
      clears the loop) and the second set of connections closed at the end of the module.
    """
    from django.db import connections

    if not CHROMIUM.exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: {SETUP_HINT}", pytrace=False)
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    allow_async_unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            for alias, contents in serialized.items():
                if not hasattr(connections[alias], "_test_serialized_contents"):
                    connections[alias]._test_serialized_contents = contents
            try:
                yield browser
            finally:
                connections.close_all()
                browser.close()
    finally:
        if allow_async_unsafe is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = allow_async_unsafe


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> dict:
    """Each test that asks for it runs twice: at phone width (375px) and at desktop width."""
    return VIEWPORTS[request.param]


@dataclass
class PageWatch:
    """What one page did that a test cannot see in the DOM."""

    errors: list[str] = field(default_factory=list)
    document: Response | None = None


_watches: weakref.WeakKeyDictionary[Page, PageWatch] = weakref.WeakKeyDictionary()


def _watch(page: Page) -> PageWatch:
    watch = PageWatch()

    def on_console(message):
        # Failed loads are reported (with their address) by on_response instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            watch.errors.append(f"console: {message.text}")

    def on_response(response: Response):
        request = response.request
        if request.resource_type == "document" and request.frame == page.main_frame:
            if not 300 <= response.status < 400:
                watch.document = response
        elif response.status >= 400:
            watch.errors.append(f"{request.resource_type} {response.url}: HTTP {response.status}")

    def on_request_failed(request):
        # ERR_ABORTED: the browser cancelled the request itself, as it does with a favicon
        # still loading when the test moves on to the next page; not a fault of the page.
        if request.resource_type != "document" and request.failure != "net::ERR_ABORTED":
            watch.errors.append(f"{request.resource_type} {request.url}: {request.failure}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: watch.errors.append(f"script error: {error}"))
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    _watches[page] = watch
    return watch


@pytest.fixture
def new_page(browser, live_server, request):
    """Make a page in a fresh browser context (own cookies) at the given viewport size.

    The browser asks for Japanese, as most residents' browsers do; English is reached through
    the language switch in the header.
    """
    contexts = []

    def make(viewport: dict | None = None) -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport or VIEWPORTS["desktop"],
            locale="ja-JP",
            timezone_id="Asia/Tokyo",
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        _watch(page)
        return page

    yield make

    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for context in contexts:
        if failed:
            _save_artifacts(request.node.nodeid, context.pages)
        context.close()


@pytest.fixture
def page(new_page, viewport) -> Page:
    return new_page(viewport)


def _save_artifacts(nodeid: str, pages: list[Page]) -> None:
    """A screenshot and the DOM of each page of a failed test, under test-artifacts/."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid)[-150:]
    ARTIFACTS.mkdir(exist_ok=True)
    for index, page in enumerate(pages):
        try:
            page.screenshot(path=ARTIFACTS / f"{name}-{index}.png", full_page=True)
            (ARTIFACTS / f"{name}-{index}.html").write_text(page.content(), encoding="utf-8")
        except Exception as error:  # noqa: BLE001 - a broken page must not hide the real failure
            print(f"could not save artifacts for {nodeid}: {error}")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# --- axe-core ---------------------------------------------------------------------------------


def _axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS.relative_to(ROOT)} is missing: {SETUP_HINT}", pytrace=False)
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[str]:
    """axe-core's findings on the page as it is now, one readable paragraph per rule."""
    # Evaluated through the DevTools protocol, which the page's CSP (script-src 'self') does not
    # govern; a <script> tag would need the policy relaxed, and the policy is under test too.
    if page.evaluate("typeof window.axe") == "undefined":
        page.evaluate(_axe_source() + "\n;void 0")
    result = page.evaluate("options => window.axe.run(document, options)", AXE_OPTIONS)
    findings = []
    for violation in result["violations"]:
        lines = [
            f"{violation['id']} [{violation.get('impact')}] {violation['help']}"
            f" ({violation['helpUrl']})"
        ]
        nodes = violation["nodes"]
        for node in nodes[:5]:
            target = " ".join(
                " > ".join(part) if isinstance(part, list) else part for part in node["target"]
            )
            summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
            lines.append(f"    at {target}: {summary[:300]}")
        if len(nodes) > 5:
            lines.append(f"    … and {len(nodes) - 5} more")
        findings.append("\n".join(lines))
    return findings


@pytest.fixture
def check_accessibility():
    """check_accessibility(page): fail with axe-core's violations on the page as shown."""

    def check(page: Page) -> None:
        findings = axe_violations(page)
        if findings:
            pytest.fail(
                f"axe-core found {len(findings)} problem(s) on {page.url} "
                f"({_size(page)}):\n" + "\n".join(findings),
                pytrace=False,
            )

    return check


# --- Nu HTML Checker --------------------------------------------------------------------------


class HtmlChecker:
    """The Nu HTML Checker (vnu.jar) as a local web service, started once per test session.

    One Java process for the whole session: starting Java for each page would cost seconds.
    """

    def __init__(self) -> None:
        if not VNU_JAR.exists():
            pytest.fail(f"{VNU_JAR.relative_to(ROOT)} is missing: {SETUP_HINT}", pytrace=False)
        java = shutil.which("java")
        if java is None:
            pytest.fail(f"java not found: {SETUP_HINT}", pytrace=False)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/?out=json"
        self.log = ROOT / "test-artifacts" / "vnu.log"
        self.log.parent.mkdir(exist_ok=True)
        self.process = subprocess.Popen(
            [
                java,
                "-Xmx1g",
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(VNU_JAR),
                "nu.validator.servlet.Main",
                str(port),
            ],
            stdin=subprocess.DEVNULL,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        # Local only: never through a proxy from the environment.
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.monotonic() + 90
        while True:
            try:
                self.opener.open(f"http://127.0.0.1:{port}/", timeout=2).close()
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.close()
                    pytest.fail(f"the Nu HTML Checker did not start; see {self.log}", pytrace=False)
                time.sleep(0.2)

    def errors(self, html: str) -> list[str]:
        request = urllib.request.Request(
            self.url,
            data=html.encode("utf-8"),
            headers={"Content-Type": "text/html; charset=utf-8"},
            method="POST",
        )
        with self.opener.open(request, timeout=60) as response:
            messages = json.load(response)["messages"]
        found = []
        for message in messages:
            if message["type"] not in {"error", "non-document-error"}:
                continue
            line = message.get("lastLine")
            where = f"line {line}" if line else "document"
            extract = " ".join((message.get("extract") or "").split())
            found.append(f"{where}: {message['message']}" + (f"\n    {extract}" if extract else ""))
        return found

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="session")
def html_checker():
    checker = HtmlChecker()
    yield checker
    checker.close()


def _server_html(page: Page) -> str:
    """The HTML the server sent for the page now shown (the POST's answer after a form)."""
    watch = _watches.get(page)
    document = watch.document if watch else None
    if document is not None and document.url == page.url:
        try:
            return document.text()
        except Exception:  # noqa: BLE001 - the body may be gone; fetch the page again
            pass
    return page.request.get(page.url).text()


@pytest.fixture
def check_html(html_checker):
    """check_html(page): fail when the Nu HTML Checker finds an error in the page's HTML."""

    def check(page: Page) -> None:
        errors = html_checker.errors(_server_html(page))
        if errors:
            pytest.fail(
                f"HTML errors in {page.url}:\n" + "\n".join(f"- {e}" for e in errors),
                pytrace=False,
            )

    return check


# --- Everything at once -----------------------------------------------------------------------


def _size(page: Page) -> str:
    size = page.viewport_size or {}
    return f"{size.get('width')}x{size.get('height')}"


@pytest.fixture
def check_page(html_checker):
    """check_page(page, lang="ja", status=200): run every page-level check, report all problems.

    Each problem names the page's address and the viewport, so a failure reads on its own.
    """

    def check(page: Page, *, lang: str = "ja", status: int = 200) -> None:
        problems: list[str] = []
        watch = _watches.get(page) or PageWatch()
        if watch.document is None:
            problems.append("no document response was seen")
        elif watch.document.status != status:
            problems.append(f"HTTP status {watch.document.status}, expected {status}")

        page_lang = page.evaluate("document.documentElement.lang")
        if (page_lang or "").split("-")[0] != lang:
            problems.append(f'<html lang="{page_lang}">, expected "{lang}"')

        headings = page.locator("h1")
        if headings.count() == 0:
            problems.append("no <h1>")
        elif not headings.first.inner_text().strip():
            problems.append("the <h1> is empty")

        width = page.viewport_size["width"]
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width + 1:
            wide = page.evaluate(_WIDEST_ELEMENTS, width)
            problems.append(
                f"scrolls sideways: content is {scroll_width}px wide in a {width}px window;"
                f" too wide: {', '.join(wide) or '?'}"
            )

        problems += watch.errors
        watch.errors.clear()
        problems += [f"axe: {finding}" for finding in axe_violations(page)]
        problems += [f"HTML: {error}" for error in html_checker.errors(_server_html(page))]
        if problems:
            pytest.fail(
                f"{page.url} ({_size(page)}, lang {lang}) has {len(problems)} problem(s):\n"
                + "\n".join(f"- {problem}" for problem in problems),
                pytrace=False,
            )

    return check


# Names the elements that stick out past the window's right edge, to say what to fix.
_WIDEST_ELEMENTS = """width => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0) {
      const id = el.id ? '#' + el.id : '';
      const cls = el.classList.length ? '.' + [...el.classList].join('.') : '';
      out.push(`${el.tagName.toLowerCase()}${id}${cls} (right edge ${Math.round(box.right)}px)`);
    }
    if (out.length >= 5) break;
  }
  return out;
}"""


@pytest.fixture
def switch_language():
    """switch_language(page, "English", "en"): follow the header's language link, wait for it."""

    def switch(page: Page, link_name: str, lang: str) -> None:
        link = page.get_by_role("banner").get_by_role("link", name=link_name, exact=True)
        with page.expect_navigation():
            link.click()
        expect(page.locator("html")).to_have_attribute("lang", lang)

    return switch


# --- Demo data ---------------------------------------------------------------------------------


@pytest.fixture
def fast_passwords():
    """Cheap password hashing: the demo accounts are created (and signed in) in every test."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def demo_data(live_server, fast_passwords):
    """The demo city of `manage.py seed_demo`, freshly loaded for the test.

    live_server tests run on a transactional database that is emptied after each test, so the
    data is loaded for every test that asks for it.
    """
    if "seed_demo" not in get_commands():
        pytest.fail("the seed_demo management command does not exist yet", pytrace=False)
    call_command("seed_demo", verbosity=0)
