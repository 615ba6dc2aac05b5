"""Driving JupyterLab from the browser tests: the server, notebooks and one browser tab.

:func:`start_lab_server` starts JupyterLab from the environment the tests run in
(the one `make setup` builds) on a free loopback port, with a random token and
private config, settings, runtime, workspace and data folders, so nothing from the
user's Jupyter set-up changes the outcome. It serves a temporary folder; tests put
notebooks there with :meth:`LabServer.add_notebook` / :meth:`LabServer.copy_notebook`,
always without stored outputs, so "every cell ran" is something this run did.

:class:`LabPage` wraps a Playwright page with the few moves the tests need. Every
wait polls the page's own state (the kernel's status, the cells' prompts) with a
time limit; nothing sleeps for a fixed time.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS", HERE / "artifacts"))
DOC_IMAGES = REPO / "docs" / "images"

#: Flags that let Debian's Chromium run headless as root in a container, and keep it
#: from phoning home (the machines that run CI reach no network but package mirrors).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: One fixed window, so screenshots are comparable between runs.
VIEWPORT = {"width": 1280, "height": 900}

#: How long any one wait in the browser may take (ms). Generous for a 2-core CI machine;
#: a normal wait ends in well under a second.
TIMEOUT_MS = 60_000

#: JupyterLab user settings for the test server (plugin id -> settings).
LAB_SETTINGS = {
    # JupyterLab 4 only keeps the cells near the viewport in the page by default;
    # "none" attaches every cell, so prompts and outputs of all cells can be read.
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none", "autoStartDefaultKernel": True},
    # Autosave would write the executed notebooks back while the test reads them.
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    # No "would you like news?" toast over the notebook, and no request to the internet.
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}


# ------------------------------------------------------------------ Chromium ---


def find_chromium(environ=os.environ, which=shutil.which) -> str | None:
    """Path of the Chromium to drive: ``$CHROMIUM`` if set, else ``chromium`` on PATH, else None.

    Debian's ``apt-get install chromium`` puts it at /usr/bin/chromium.
    """
    return environ.get("CHROMIUM") or which("chromium")


# ----------------------------------------------------------------- JupyterLab ---


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http(method: str, url: str, token: str | None = None) -> tuple[int, dict, bytes]:
    """(status, headers, body) of one request; redirects are *not* followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, method=method)
    if token is not None:
        request.add_header("Authorization", f"token {token}")
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def clear_outputs(notebook: dict) -> dict:
    """The notebook with every output and execution count removed (prompts read ``[ ]``)."""
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    notebook.get("metadata", {}).pop("widgets", None)  # stored widget state
    return notebook


def new_notebook(*sources: str) -> dict:
    """An nbformat-4 notebook (python3 kernel) with one code cell per source string."""
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
        "cells": [
            {"cell_type": "code", "id": f"cell-{i}", "metadata": {}, "source": source,
             "outputs": [], "execution_count": None}
            for i, source in enumerate(sources)
        ],
    }


@dataclass
class LabServer:
    """A running JupyterLab: where it listens, its token and the folder it serves."""

    base_url: str
    token: str
    root: Path
    log_path: Path
    process: subprocess.Popen = field(repr=False)

    def url(self, path: str, token: bool = True) -> str:
        """Absolute URL of ``path`` (``"/lab"``...), with ``?token=`` unless ``token=False``."""
        url = f"{self.base_url}{path}"
        if token:
            url += ("&" if "?" in url else "?") + f"token={self.token}"
        return url

    def add_notebook(self, name: str, notebook: dict) -> str:
        """Write ``notebook`` (outputs cleared) into the served folder; returns its name."""
        path = self.root / name
        path.write_text(json.dumps(clear_outputs(notebook), indent=1), encoding="utf-8")
        return name

    def copy_notebook(self, source: Path, name: str | None = None) -> str:
        """Copy a notebook of the course into the served folder, outputs cleared."""
        notebook = json.loads(Path(source).read_text(encoding="utf-8"))
        return self.add_notebook(name or Path(source).name, notebook)

    def api(self, method: str, path: str):
        """JSON answer of an authenticated REST call (None for an empty body)."""
        status, _, body = http(method, self.url(path, token=False), token=self.token)
        assert 200 <= status < 300, f"{method} {path} -> {status}: {body[:300]!r}"
        return json.loads(body) if body else None

    def shut_down_kernels(self) -> None:
        """End every session and kernel of the server (each test leaves none behind)."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}")
        for kernel in self.api("GET", "/api/kernels"):
            self.api("DELETE", f"/api/kernels/{kernel['id']}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def lab_environment(home: Path) -> dict[str, str]:
    """Environment of the server: private Jupyter folders and a kernel of this Python."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("JUPYTER", "JPY_"))}
    # `make test` sets MPLBACKEND=Agg for the unit tests; a learner's kernel has none,
    # and with Agg `plt.show()` would show nothing.
    env.pop("MPLBACKEND", None)
    folders = {
        "JUPYTER_CONFIG_DIR": home / "config",
        "JUPYTER_DATA_DIR": home / "data",
        "JUPYTER_RUNTIME_DIR": home / "runtime",
        "JUPYTERLAB_SETTINGS_DIR": home / "lab-settings",
        "JUPYTERLAB_WORKSPACES_DIR": home / "lab-workspaces",
    }
    for variable, folder in folders.items():
        folder.mkdir(parents=True, exist_ok=True)
        env[variable] = str(folder)
    for plugin, settings in LAB_SETTINGS.items():
        path = folders["JUPYTERLAB_SETTINGS_DIR"] / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings))
    # The "python3" kernel is this interpreter, whatever other kernelspecs the
    # machine has (the private data folder is searched first).
    spec = folders["JUPYTER_DATA_DIR"] / "kernels" / "python3" / "kernel.json"
    spec.parent.mkdir(parents=True)
    spec.write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }))
    env["PYTHONHASHSEED"] = "0"
    return env


def stop(process: subprocess.Popen) -> None:
    """Stop the server and anything it started (its own process group)."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)  # Jupyter shuts its kernels down on SIGINT too
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
    try:  # a kernel that outlived the server
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


class ServerError(RuntimeError):
    """JupyterLab did not start; the message carries its log."""


def start_lab_server(home: Path, root: Path, log_path: Path, timeout: float = 90) -> LabServer:
    """Start JupyterLab serving ``root`` and wait until its REST API answers.

    ``home`` holds the private Jupyter folders; the server's output goes to ``log_path``.
    It listens on 127.0.0.1 only, with a fresh random token.
    """
    port, token = free_port(), secrets.token_hex(24)
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        # Lets the tests call JupyterLab's own commands ("run all cells") instead of
        # pressing keyboard shortcuts, which differ between platforms.
        "--LabApp.expose_app_in_browser=True",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")  # CI machines run as root; JupyterLab refuses without it
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w") as log:
        # Its own process group, so stop() can also reach kernels the server leaves behind.
        process = subprocess.Popen(command, cwd=root, env=lab_environment(home), stdout=log,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    server = LabServer(f"http://127.0.0.1:{port}", token, root, log_path, process)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise ServerError("JupyterLab exited at start:\n" + server.log())
        try:
            if http("GET", server.url("/api", token=False))[0] == 200:
                return server
        except OSError:
            pass  # not listening yet
        if time.monotonic() > deadline:
            stop(process)
            raise ServerError(f"JupyterLab did not answer within {timeout:g} s:\n" + server.log())
        time.sleep(0.2)


# ---------------------------------------------------------------- a lab page ---


class LabPage:
    """One JupyterLab in one browser tab, with the few moves the tests need.

    JupyterLab is loaded once (:meth:`load`); each test then opens its notebook in
    that same app (:meth:`open_notebook`) and closes it again (:meth:`close_notebook`),
    which is much cheaper than loading JupyterLab for every notebook. One notebook is
    open at a time, and every query is scoped to it.

    Every wait polls the page's own state (the kernel's status, the cells' prompts,
    an image's source) with a time limit; nothing sleeps for a fixed time.
    """

    def __init__(self, page, server: LabServer):
        self.page, self.server = page, server
        self.name = "lab"  # prefix of screenshot files, set per test
        self.errors: list[str] = []  # uncaught page errors and console errors
        self.shots = 0
        self.scope = ""  # CSS selector of the open notebook panel
        self._jobs = 0
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("console", lambda message: message.type == "error"
                and self.errors.append(f"console error: {message.text}"))

    def start_test(self, name: str) -> None:
        """Name the screenshots after ``name`` and forget errors seen before."""
        self.name, self.shots, self.errors[:] = name, 0, []

    # ---------------------------------------------------------------- in the page
    def call(self, function: str, arg=None):
        """Run the JavaScript ``function`` (may be async) on ``arg`` in the page and return its result.

        Unlike ``page.evaluate`` this waits with a time limit, and an exception in the
        page becomes an AssertionError carrying the JavaScript message.
        """
        self._jobs += 1
        job = self._jobs
        # Started here, awaited below by polling: page.evaluate itself would wait forever.
        self.page.evaluate(
            """([job, arg]) => {
                window.__jobs = window.__jobs || {};
                window.__jobs[job] = null;
                Promise.resolve()
                    .then(() => (FUNCTION)(arg))
                    .then(value => { window.__jobs[job] = {ok: true, value: value === undefined ? null : value}; },
                          error => { window.__jobs[job] = {ok: false, error: String((error && error.stack) || error)}; });
            }""".replace("FUNCTION", function),
            [job, arg],
        )
        result = self.page.wait_for_function(f"() => window.__jobs[{job}]", timeout=TIMEOUT_MS).json_value()
        assert result["ok"], f"JavaScript failed in the page: {result['error']}"
        return result["value"]

    def locator(self, css: str):
        """Playwright locator for ``css`` inside the open notebook."""
        return self.page.locator(f"{self.scope} {css}")

    # --------------------------------------------------------------- screenshots
    def screenshot(self, label: str, locator=None, docs_name: str | None = None) -> Path:
        """Save the page (or one element) as ``artifacts/<test>-<n>-<label>.png``.

        ``docs_name``: with UPDATE_SCREENSHOTS=1 also copy it to docs/images/<docs_name>.
        """
        self.shots += 1
        path = ARTIFACTS / f"{self.name}-{self.shots:02d}-{label}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        target = self.page if locator is None else locator
        target.screenshot(path=str(path), timeout=TIMEOUT_MS)
        if docs_name and os.environ.get("UPDATE_SCREENSHOTS") == "1":
            DOC_IMAGES.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, DOC_IMAGES / docs_name)
        return path

    # ------------------------------------------------------------------ notebook
    def load(self) -> None:
        """Load JupyterLab with an empty workspace and wait until it has finished restoring."""
        # `?reset` starts from an empty workspace, so tabs of an earlier run do not reopen.
        self.page.goto(self.server.url("/lab?reset"))
        self.page.wait_for_function("() => window.jupyterapp !== undefined", timeout=TIMEOUT_MS)
        self.call("() => window.jupyterapp.restored")
        self.scope = ""

    def open_notebook(self, name: str) -> None:
        """Open ``name`` and wait until its cells are in the page and its kernel is idle."""
        panel_id = self.call(
            """async path => {
                const app = window.jupyterapp;
                const panel = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
                await panel.context.ready;
                app.shell.activateById(panel.id);
                window.__panel = panel;
                return panel.id;
            }""",
            name,
        )
        self.scope = f'[id="{panel_id}"]'
        self.page.wait_for_selector(f"{self.scope} .jp-Notebook .jp-Cell", timeout=TIMEOUT_MS)
        self.wait_for_kernel_idle()

    def close_notebook(self) -> None:
        """Shut the open notebook's kernel down and close it without saving."""
        self.call(
            """async () => {
                const panel = window.__panel;
                window.__panel = undefined;
                if (!panel || panel.isDisposed) return;
                await panel.sessionContext.shutdown();
                panel.context.model.dirty = false;  // no "save your changes?" dialog
                panel.dispose();
            }"""
        )
        self.scope = ""

    def wait_for_kernel_idle(self) -> None:
        """Wait until the open notebook's kernel is started, connected and idle.

        The toolbar's status indicator can say "idle" before any kernel exists, so
        this asks the notebook's session directly.
        """
        self.page.wait_for_function(
            """() => {
                const context = window.__panel && window.__panel.sessionContext;
                const kernel = context && context.session && context.session.kernel;
                return Boolean(kernel) && context.isReady
                    && kernel.connectionStatus === 'connected' && kernel.status === 'idle';
            }""",
            timeout=TIMEOUT_MS,
        )

    def prompts(self) -> list[str]:
        """The input prompts of the code cells, in order (``"[3]:"``, ``"[*]:"``, ``"[ ]:"``)."""
        return self.locator(".jp-CodeCell .jp-InputPrompt").evaluate_all(
            "nodes => nodes.map(node => node.textContent.trim())")

    def run_all(self) -> None:
        """Run every cell with JupyterLab's "Run All Cells" command and wait until it is done.

        Done means: the command finished, no cell shows ``[*]`` any more and the kernel
        is idle again. A failing cell stops the run, so the cells after it keep
        ``[ ]``; :meth:`problems` reports that.
        """
        prompts = self.prompts()
        assert all(prompt in ("[ ]:", "") for prompt in prompts), (
            f"{self.name}: cells show prompts before running: {prompts}"
        )
        self.call(
            """async () => {
                const app = window.jupyterapp;
                if (app.shell.currentWidget !== window.__panel) {
                    throw new Error('the notebook under test is not the current tab');
                }
                return await app.commands.execute('notebook:run-all-cells');
            }"""
        )
        self.page.wait_for_function(
            """scope => ![...document.querySelectorAll(scope + ' .jp-CodeCell .jp-InputPrompt')]
                     .some(node => node.textContent.includes('*'))""",
            arg=self.scope, timeout=TIMEOUT_MS,
        )
        self.wait_for_kernel_idle()

    def outputs(self) -> list[str]:
        """The text of each code cell's outputs (without the ``[n]:`` output prompts), in order."""
        return self.locator(".jp-CodeCell").evaluate_all(
            """cells => cells.map(cell => [...cell.querySelectorAll('.jp-OutputArea-output')]
                                      .map(output => output.innerText).join('\\n'))""")

    def problems(self) -> list[str]:
        """What went wrong in the run: unrun cells, error and stderr outputs, page errors."""
        found = [f"cell {i} did not run (prompt {prompt!r})"
                 for i, prompt in enumerate(self.prompts()) if not _is_numbered(prompt)]
        # Tracebacks and text written to stderr both render with the stderr mime type.
        found += self.locator(".jp-CodeCell").evaluate_all(
            """cells => cells.flatMap((cell, i) => [...cell.querySelectorAll(
                    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
                .map(node => `cell ${i}: error or stderr output: ${node.innerText.slice(0, 800)}`))""",
        )
        found += self.errors
        return found


def _is_numbered(prompt: str) -> bool:
    return prompt.startswith("[") and prompt.endswith("]:") and prompt[1:-2].isdigit()
