"""End to end in a real browser: the course as a learner meets it in JupyterLab.

Headless Chromium opens notebooks on a private JupyterLab server (see conftest.py),
runs all their cells with JupyterLab's own "Run All Cells" and checks what a learner
would see: every cell ran, nothing printed an error, an interactive figure's slider
moves and the figure redraws, and an exercise check prints its feedback. Also: the
server refuses requests that lack its token.

These tests need Chromium (`apt-get install chromium`); without it they skip.
Screenshots of each step are written to tests/browser/artifacts/.
"""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image

from labdriver import ARTIFACTS, REPO, TIMEOUT_MS, clear_outputs, find_chromium, http, new_notebook


# ------------------------------------------------------------------- helpers ---


def pixels(png: bytes) -> np.ndarray:
    """An RGB screenshot as a (height, width, 3) int array."""
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def changed_fraction(before: bytes, after: bytes) -> float:
    """Share of pixels that differ between two screenshots of the same size."""
    a, b = pixels(before), pixels(after)
    assert a.shape == b.shape, f"the figure changed size: {a.shape} -> {b.shape}"
    return float(np.mean(np.any(a != b, axis=-1)))


def loaded_image_source(page, selector: str) -> str:
    """Wait until the first ``selector`` image has finished loading; return its ``src``."""
    page.wait_for_function(
        """selector => { const img = document.querySelector(selector);
                         return img && img.src && img.complete && img.naturalWidth > 0; }""",
        arg=selector, timeout=TIMEOUT_MS,
    )
    return page.eval_on_selector(selector, "img => img.src")


# ------------------------------------------------------------ the test's own parts ---


def test_chromium_comes_from_the_variable_first_then_the_path():
    on_path = {"chromium": "/usr/bin/chromium"}.get
    assert find_chromium({"CHROMIUM": "/opt/c/chrome"}, on_path) == "/opt/c/chrome"
    assert find_chromium({"CHROMIUM": ""}, on_path) == "/usr/bin/chromium"
    assert find_chromium({}, on_path) == "/usr/bin/chromium"
    assert find_chromium({}, lambda name: None) is None


def test_clearing_outputs_leaves_every_code_cell_unrun():
    notebook = new_notebook("print(1)", "2")
    notebook["cells"][0].update(execution_count=4, outputs=[{"output_type": "stream", "name": "stdout",
                                                              "text": "1\n"}])
    notebook["metadata"]["widgets"] = {"state": {}}
    cleared = clear_outputs(notebook)
    assert [(cell["execution_count"], cell["outputs"]) for cell in cleared["cells"]] == [(None, [])] * 2
    assert "widgets" not in cleared["metadata"]
    assert [cell["source"] for cell in cleared["cells"]] == ["print(1)", "2"]


# ------------------------------------------------------- the run checks themselves ---


def test_a_failing_cell_is_reported(lab, lab_page):
    """The checks the other tests rely on do catch stderr, a traceback and unrun cells."""
    name = lab.add_notebook("canary.ipynb", new_notebook(
        "import sys\nprint('a warning on stderr', file=sys.stderr)",
        "1 / 0",
        "print('never reached')",
    ))
    lab_page.open_notebook(name)
    lab_page.run_all()
    lab_page.screenshot("after-run")
    problems = "\n".join(lab_page.problems())
    assert "cell 0: error or stderr output: a warning on stderr" in problems
    assert "cell 1: error or stderr output:" in problems and "ZeroDivisionError" in problems
    assert "cell 2 did not run" in problems
    assert "cell 0 did not run" not in problems and "cell 1 did not run" not in problems


# ---------------------------------------------------------------- the server ---


def test_server_refuses_requests_without_the_token(lab, anonymous_page):
    contents = lab.url("/api/contents", token=False)
    assert http("GET", contents)[0] == 403
    assert http("GET", contents, token="wrong-" + lab.token)[0] == 403
    assert http("GET", contents, token=lab.token)[0] == 200
    # The lab page itself sends a visitor without the token to the login form.
    status, headers, _ = http("GET", lab.url("/lab", token=False))
    assert status == 302 and "/login" in headers["Location"], (status, headers)
    page = anonymous_page
    page.goto(lab.url("/lab/tree/canary.ipynb", token=False))
    page.wait_for_selector("#password_input", timeout=TIMEOUT_MS)
    assert "/login" in page.url
    page.screenshot(path=str(ARTIFACTS / "server_refuses_requests_without_the_token-login.png"))
    # A wrong token typed into the form does not get in either.
    page.fill("#password_input", "wrong-" + lab.token)
    with page.expect_navigation(timeout=TIMEOUT_MS):
        page.click("#login_submit")
    assert "/login" in page.url
    assert page.locator(".jp-Notebook").count() == 0


# -------------------------------------------------------------- the lessons ---


def test_start_here_runs_without_errors(lab, lab_page):
    source = REPO / "notebooks" / "00_start_here.ipynb"
    name = lab.copy_notebook(source)
    lab_page.open_notebook(name)
    lab_page.screenshot("opened")
    lab_page.run_all()
    assert lab_page.problems() == []
    # Every code cell is in the page (no virtualised cells), numbered 1, 2, 3... in
    # order: each ran exactly once, top to bottom.
    code_cells = sum(cell["cell_type"] == "code" for cell in json.loads(source.read_text())["cells"])
    assert code_cells > 0
    assert lab_page.prompts() == [f"[{i}]:" for i in range(1, code_cells + 1)]
    outputs = "\n".join(lab_page.outputs())
    assert "Environment OK" in outputs
    # The matplotlib figure reached the page as a picture.
    figure = lab_page.locator(".jp-OutputArea-output[data-mime-type='image/png'] img").first
    figure.wait_for(state="visible", timeout=TIMEOUT_MS)
    assert figure.evaluate("img => img.complete && img.naturalWidth > 0")
    figure.scroll_into_view_if_needed()
    lab_page.screenshot("ran", docs_name="browser_start_here.png")


def test_slider_of_a_widget_app_redraws_its_figure(lab, lab_page):
    name = lab.add_notebook("widget_app.ipynb", new_notebook(
        "from optimizers import widgets\n\napp = widgets.lr_pitfalls()\napp",
    ))
    page = lab_page.page
    lab_page.open_notebook(name)
    lab_page.run_all()
    assert lab_page.problems() == []

    # A real slider, not the text `FloatLogSlider(...)` or the static PNG that a
    # notebook without the JupyterLab widget manager would show instead.
    handle = lab_page.locator(".widget-slider .noUi-handle").first
    handle.wait_for(state="visible", timeout=TIMEOUT_MS)
    image = f"{lab_page.scope} .jp-OutputArea-output .widget-image"
    readout = lab_page.locator(".widget-slider .widget-readout").first
    message = lab_page.locator(".jp-OutputArea-output .widget-html").first
    output = lab_page.locator(".jp-OutputArea-output").filter(has=page.locator(".widget-slider")).first

    source_before = loaded_image_source(page, image)
    readout_before = readout.inner_text().strip()
    message_before = message.inner_text().strip()
    shot_before = page.locator(image).screenshot()
    lab_page.screenshot("before", output, docs_name="browser_widget_before.png")

    # ipywidgets 8 sliders are noUiSlider handles: focus one and use the arrow keys.
    handle.focus()
    for _ in range(30):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "([selector, old]) => document.querySelector(selector).innerText.trim() !== old",
        arg=[f"{lab_page.scope} .widget-slider .widget-readout", readout_before], timeout=TIMEOUT_MS,
    )
    readout_after = readout.inner_text().strip()
    assert float(readout_after) > float(readout_before)
    # The kernel computed the new rate: the app's text names it (to the readout's
    # 3 digits). The picture is sent right after that text, before the kernel is idle.
    page.wait_for_function(
        r"""([selector, value]) => {
            const match = document.querySelector(selector).innerText.match(/lr\s*=\s*(\d+(?:\.\d+)?(?:e[-+]?\d+)?)/);
            return match !== null && Math.abs(Number(match[1]) - value) <= 0.005 * value;
        }""",
        arg=[f"{lab_page.scope} .jp-OutputArea-output .widget-html", float(readout_after)],
        timeout=TIMEOUT_MS,
    )
    lab_page.wait_for_kernel_idle()
    page.wait_for_function(
        "([selector, old]) => { const img = document.querySelector(selector);"
        " return img.src !== old && img.complete && img.naturalWidth > 0; }",
        arg=[image, source_before], timeout=TIMEOUT_MS,
    )
    assert message.inner_text().strip() != message_before
    # The picture changed visibly: the path, its loss curve and the verdict are redrawn.
    shot_after = page.locator(image).screenshot()
    assert changed_fraction(shot_before, shot_after) > 0.002
    lab_page.screenshot("after", output, docs_name="browser_widget_after.png")
    assert lab_page.problems() == []


# ------------------------------------------------------------ the exercises ---


GOOD_STEP = '''\
def gradient_descent_step(param, grad, learning_rate):
    return param - learning_rate * grad

check("gradient_descent_step", gradient_descent_step)'''

# Rounds down: forgets the last, smaller mini-batch.
FLOOR_UPDATES = '''\
def updates_per_epoch(n, batch_size):
    return 1 if batch_size is None else n // batch_size

check("updates_per_epoch", updates_per_epoch)'''

UNTOUCHED_STEP = '''\
def gradient_descent_step(param, grad, learning_rate):
    raise NotImplementedError("your code here")

check("gradient_descent_step", gradient_descent_step)'''

WRONG_SIGN_STEP = '''\
def gradient_descent_step(param, grad, learning_rate):
    return param + learning_rate * grad

check("gradient_descent_step", gradient_descent_step)'''


def test_exercise_check_cells_show_their_feedback(lab, lab_page):
    name = lab.add_notebook("exercise_check.ipynb", new_notebook(
        "from optimizers.grading import check", GOOD_STEP, FLOOR_UPDATES, UNTOUCHED_STEP,
        WRONG_SIGN_STEP,
    ))
    lab_page.open_notebook(name)
    lab_page.run_all()
    assert lab_page.problems() == []
    _, good, floor, untouched, wrong_sign = lab_page.outputs()
    # Points as in the exercises' tables: 2 for the step, 1 for counting updates.
    assert "gradient_descent_step: 2/2 points" in good
    assert "FAILED" not in good
    for wrong, points in ((floor, "updates_per_epoch: 0/1 points"),
                          (wrong_sign, "gradient_descent_step: 0/2 points")):
        assert points in wrong
        for part in ("FAILED", "expected:", "got:", "hint:"):
            assert part in wrong, f"no {part!r} in the feedback:\n{wrong}"
    assert "sign" in wrong_sign.lower()  # the hint names the mistake
    assert "not attempted" in untouched
    # The first cells (a pass, a failure with its hint, "not attempted"): the README's picture.
    lab_page.locator(".jp-Cell").first.scroll_into_view_if_needed()
    lab_page.screenshot("feedback", lab_page.page.locator(lab_page.scope),
                        docs_name="browser_exercise_check.png")


def test_blank_exercise_runs_and_every_check_says_not_attempted(lab, lab_page):
    source = REPO / "exercises" / "01_gradient_descent.ipynb"
    if not source.is_file():
        pytest.fail(f"{source.relative_to(REPO)} is missing")
    name = lab.copy_notebook(source)
    lab_page.open_notebook(name)
    lab_page.run_all()
    assert lab_page.problems() == []
    code = [cell for cell in json.loads(source.read_text())["cells"] if cell["cell_type"] == "code"]
    checks = [i for i, cell in enumerate(code) if "check(" in "".join(cell["source"])]
    assert checks, "the exercise has no check cells"
    outputs = lab_page.outputs()
    for i in checks:
        assert "not attempted" in outputs[i], f"check cell {i} says: {outputs[i]!r}"
    lab_page.screenshot("ran")
