"""Write notebooks/00_start_here.ipynb, the "Start here" lesson, and run it.

The notebook is kept in this script so that its wording lives in one reviewable
place and cell ids stay stable between rebuilds. Rebuild it from the repository
root with the course environment:

    .venv/bin/python tools/build_start_here.py            # write and execute
    .venv/bin/python tools/build_start_here.py --no-execute

Executing stores the outputs in the file, so a reader sees them without running
anything, and nbval has reference outputs for the cells marked NBVAL_CHECK_OUTPUT.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_PATH = REPO_ROOT / "notebooks" / "00_start_here.ipynb"


INTRO = """\
# 00 · Start here

Welcome to **Optimizers from scratch**, a hands-on course on how neural networks
actually learn: what gradient descent does, why momentum helps, what Adam adapts,
and how to pick and tune an optimizer for a real problem.

The course has three parts that work together:

- **a small library, `optimizers`**, written in plain NumPy so that you can read it:
  each update rule is a few lines that follow its formula;
- **lessons** (this folder, `notebooks/`), one idea each, with plots you can play with;
- **exercises** with instant feedback, where you write the update rules yourself.

This first notebook only checks that your setup works and shows what is coming."""

HOW_NOTEBOOKS_WORK = """\
## How a notebook works

A notebook is a list of *cells*. Text cells, like this one, explain; code cells run
Python and show their result underneath.

- Click a code cell and press **Shift + Enter** to run it and move to the next one.
- Run cells **from top to bottom**: later cells use what earlier ones defined.
- If things get confusing, use *Kernel → Restart Kernel and Run All Cells…* to start
  clean. Nothing you do here can break the course files for good: `git` keeps the
  original versions.

Try it now on the cell below: it reports the versions of the main libraries."""

VERSIONS_CODE = """\
# NBVAL_IGNORE_OUTPUT
# (Your version numbers may differ from the stored ones; that is fine.)
import platform
from importlib.metadata import PackageNotFoundError, version

import ipywidgets
import matplotlib
import numpy

import optimizers

try:
    course_version = version("optimizers-from-scratch")
except PackageNotFoundError:  # imported from the folder without `make setup`
    course_version = "not installed (run `make lab` from the repository root)"

print(f"Python      {platform.python_version()}")
print(f"NumPy       {numpy.__version__}")
print(f"Matplotlib  {matplotlib.__version__}")
print(f"ipywidgets  {ipywidgets.__version__}")
print(f"optimizers  {course_version}")"""

CHECK_INTRO = """\
The next cell checks the minimum versions the course needs. It should print
**Environment OK**; if it raises an error instead, the message says what to fix."""

CHECK_CODE = """\
# NBVAL_CHECK_OUTPUT
import sys

from packaging.version import Version

# The same lower bounds as pyproject.toml.
MINIMUM_VERSIONS = {"numpy": "1.26", "matplotlib": "3.8", "ipywidgets": "8.1"}

problems = []
if sys.version_info < (3, 11):
    problems.append(f"Python {platform.python_version()} is too old: the course needs 3.11 or newer")
for package, minimum in MINIMUM_VERSIONS.items():
    if Version(version(package)) < Version(minimum):
        problems.append(f"{package} {version(package)} is too old: the course needs {minimum} or newer")

if problems:
    raise RuntimeError(
        "Setup problem:\\n- " + "\\n- ".join(problems)
        + "\\nRun `make lab` from the repository root; it installs the right versions."
    )
print("Environment OK")"""

FIGURE_INTRO = """\
## A first picture

Plots are how this course explains things. Here is a preview of lesson 03: the loss
$L(w) = (w - 3)^2$ of a model with a single weight $w$, and five steps of gradient
descent, $w \\leftarrow w - \\eta \\, L'(w)$ with learning rate $\\eta = 0.3$, starting
from $w = -1$. Each step moves downhill, and the steps shrink as the slope flattens."""

FIGURE_CODE = """\
import matplotlib.pyplot as plt
import numpy as np

learning_rate = 0.3
w_steps = [-1.0]
for _ in range(5):
    slope = 2 * (w_steps[-1] - 3)          # L'(w) for L(w) = (w - 3)**2
    w_steps.append(w_steps[-1] - learning_rate * slope)
w_steps = np.array(w_steps)

w_grid = np.linspace(-2, 8, 201)
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(w_grid, (w_grid - 3) ** 2, label="loss $L(w) = (w - 3)^2$")
ax.plot(w_steps, (w_steps - 3) ** 2, "o-", color="tab:red", label="gradient-descent steps")
ax.set_title("Gradient descent walks downhill")
ax.set_xlabel("weight $w$")
ax.set_ylabel("loss $L(w)$")
ax.legend()
plt.show()"""

RESULT_CODE = """\
# NBVAL_CHECK_OUTPUT
print(f"after 5 steps: w = {w_steps[-1]:.4f}, loss = {(w_steps[-1] - 3) ** 2:.4f}")"""

RESULT_NOTE = """\
Each step here multiplies the distance to the minimum by $1 - 2\\eta = 0.4$, so after
five steps $w = 3 - 4 \\cdot 0.4^5 \\approx 2.959$. Lesson 03 shows what happens when
$\\eta$ is too small, too large, or large enough to diverge."""


def lessons() -> list[tuple[str, str, str]]:
    """``(number, title, notebook file)`` for every lesson source in notebooks/source/."""
    found = []
    for source in sorted((REPO_ROOT / "notebooks" / "source").glob("[0-9][0-9]_*.py")):
        heading = next((line for line in source.read_text().splitlines() if line.startswith("# # ")), "")
        title = re.sub(r"^# # Lesson \d+\s*[:·]\s*", "", heading).strip() or source.stem
        found.append((source.stem[:2], title, f"{source.stem}.ipynb"))
    return found


def coming_next() -> str:
    """The "Course map" section: every lesson, linked, in order."""
    lines = [
        "## The course map",
        "",
        "Work through the lessons in order; each one ends with a recap and points to its",
        "exercise in `../exercises/`:",
        "",
    ]
    lines += [f"- **{number}** · [{title}]({file})" for number, title, file in lessons()]
    lines += [
        "",
        "Each lesson takes 10 to 30 minutes and runs top to bottom in seconds. Start with",
        "[lesson 01](" + (lessons()[0][2] if lessons() else "") + ").",
    ]
    return "\n".join(lines)


def build_notebook() -> nbformat.NotebookNode:
    """Return the unexecuted "Start here" notebook with stable cell ids."""
    cells = [
        new_markdown_cell(INTRO),
        new_markdown_cell(HOW_NOTEBOOKS_WORK),
        new_code_cell(VERSIONS_CODE),
        new_markdown_cell(CHECK_INTRO),
        new_code_cell(CHECK_CODE),
        new_markdown_cell(FIGURE_INTRO),
        new_code_cell(FIGURE_CODE),
        new_code_cell(RESULT_CODE),
        new_markdown_cell(RESULT_NOTE),
        new_markdown_cell(coming_next()),
    ]
    # Fixed ids keep rebuilds free of spurious diffs (nbformat draws random ones).
    for index, cell in enumerate(cells):
        cell["id"] = f"start-here-{index:02d}"
    notebook = new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def execute(notebook: nbformat.NotebookNode) -> None:
    """Run every cell in a fresh kernel of this Python, storing the outputs."""
    from nbclient import NotebookClient

    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK_PATH.parent)}},
    )
    client.execute()


def main() -> None:
    """Build the notebook, execute it unless told not to, and write it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-execute", action="store_true", help="write it without outputs")
    args = parser.parse_args()

    notebook = build_notebook()
    if not args.no_execute:
        execute(notebook)
    nbformat.validate(notebook)
    NOTEBOOK_PATH.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, NOTEBOOK_PATH)
    print(f"wrote {NOTEBOOK_PATH.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
