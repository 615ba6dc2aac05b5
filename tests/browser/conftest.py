"""Fixtures of the browser tests: a private JupyterLab server and headless Chromium.

- ``lab`` (session): one JupyterLab server on a free loopback port with a random
  token, serving an empty temporary folder (see :mod:`labdriver`).
- ``browser`` (session): Debian's ``chromium`` (or ``$CHROMIUM``) driven by
  Playwright for Python; Playwright's own browser download is never used.
- ``lab_app`` (session): JupyterLab loaded once in one tab with a fixed viewport;
  ``lab_page`` hands it to one test, which opens one notebook in it. Afterwards the
  notebook is closed, every kernel is shut down, and a failed test leaves a
  screenshot and reloads JupyterLab.
- ``anonymous_page`` (per test): a tab of a fresh context that has no token.

Without a Chromium the tests skip with the reason, unless ``BROWSER_TESTS_REQUIRED=1``
(``.ci/run`` sets it): then a missing browser is a failure, so CI never passes by
skipping. Screenshots of every step go to ``tests/browser/artifacts/`` (or
``$BROWSER_ARTIFACTS``); with ``UPDATE_SCREENSHOTS=1`` the ones the README shows are
also copied to ``docs/images/browser_*.png``.
"""

from __future__ import annotations

import os

import pytest

from labdriver import (ARTIFACTS, CHROMIUM_ARGS, TIMEOUT_MS, VIEWPORT, LabPage, ServerError,
                       find_chromium, start_lab_server, stop)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The Chromium executable, or a skip (a failure on CI) when there is none."""
    path = find_chromium()
    if path is None:
        reason = ("no Chromium found (no `chromium` on PATH, CHROMIUM not set); "
                  "install it, e.g. on Debian or Ubuntu: apt-get install chromium")
        if os.environ.get("BROWSER_TESTS_REQUIRED") == "1":
            pytest.fail(f"BROWSER_TESTS_REQUIRED=1 but {reason}")
        pytest.skip(reason)
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail(f"CHROMIUM={path!r} is not an executable file")
    return path


@pytest.fixture(scope="session", autouse=True)
def fresh_artifacts():
    """Remove the screenshots and server log of an earlier run (only those)."""
    if ARTIFACTS.is_dir():
        for path in [*ARTIFACTS.glob("*.png"), ARTIFACTS / "jupyterlab.log"]:
            path.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def browser(chromium_path):
    """A headless Chromium, launched once for the whole session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed; it is in the test extra: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, headless=True,
                                              args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def lab(tmp_path_factory, chromium_path):
    """A JupyterLab server for the whole session (only started when a browser exists)."""
    try:
        server = start_lab_server(home=tmp_path_factory.mktemp("jupyter-home"),
                                  root=tmp_path_factory.mktemp("lab-root"),
                                  log_path=ARTIFACTS / "jupyterlab.log")
    except ServerError as error:
        pytest.fail(str(error))
    try:
        yield server
    finally:
        try:
            if server.process.poll() is None:
                server.shut_down_kernels()
        finally:
            stop(server.process)


def new_tab(browser):
    """A browser context of its own (no cookies shared) with the fixed viewport, and its tab."""
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


@pytest.fixture(scope="session")
def lab_app(browser, lab):
    """JupyterLab loaded once in a tab; the notebook tests share it (see ``lab_page``)."""
    context, page = new_tab(browser)
    app = LabPage(page, lab)
    try:
        app.load()
        yield app
    finally:
        context.close()


@pytest.fixture
def lab_page(request, lab_app, lab):
    """The shared JupyterLab tab, for one test: it opens one notebook, which is closed after.

    Afterwards the notebook's kernel (and any other) is shut down. When the test failed,
    the page is screenshot for diagnosis and JupyterLab reloaded, so a dialog or a
    half-run notebook cannot spill into the next test.
    """
    lab_app.start_test(request.node.name.removeprefix("test_"))
    yield lab_app
    failed = getattr(request.node, "call_failed", False)
    try:
        if failed:
            lab_app.screenshot("failure")
        lab_app.close_notebook()
    finally:
        lab.shut_down_kernels()
        if failed:
            lab_app.load()


@pytest.fixture
def anonymous_page(browser):
    """A tab of a fresh browser context that has never seen the token."""
    context, page = new_tab(browser)
    try:
        yield page
    finally:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Note on the test item whether its body failed (read by ``lab_page``)."""
    report = yield
    if report.when == "call":
        item.call_failed = report.failed
    return report
