"""Build the lesson notebooks from their plain-text sources, executed top to bottom.

Each lesson is written as a Python file in "percent" format under
``notebooks/source/NN_topic.py`` (easy to review and diff):

    # %% [markdown]
    # # Lesson title
    # Markdown, each line behind "# ".

    # %%
    import numpy as np

This tool turns each source into ``notebooks/NN_topic.ipynb``, runs it in a fresh
kernel (cwd ``notebooks/``), stores the outputs, and fails if any cell raised or wrote
a warning, so the stored notebooks are always a clean run of the current library.

    python tools/build_lessons.py                 # every lesson
    python tools/build_lessons.py 03 07           # lessons whose number is given
    python tools/build_lessons.py --no-execute    # structure only (fast)

Cell ids are derived from the file name and the cell's position, so rebuilding gives
the same JSON when nothing changed.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "notebooks" / "source"
OUTPUT = ROOT / "notebooks"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
CELL_MARK = re.compile(r"^# %%(?P<rest>.*)$")


def parse_percent(text: str) -> list[tuple[str, str]]:
    """Split a percent-format source into ``(cell_type, source)`` pairs."""
    cells: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        mark = CELL_MARK.match(line)
        if mark:
            kind = "markdown" if "[markdown]" in mark.group("rest") else "code"
            cells.append((kind, []))
        elif cells:
            cells[-1][1].append(line)
    result = []
    for kind, lines in cells:
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        if kind == "markdown":
            lines = [re.sub(r"^# ?", "", line) for line in lines]
        if lines:
            result.append((kind, "\n".join(lines)))
    return result


def notebook_from_source(path: Path) -> nbformat.NotebookNode:
    """A fresh (unexecuted) notebook for the source file ``path``."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": dict(KERNELSPEC),
                   "language_info": {"name": "python"},
                   "optimizers_course": {"lesson": path.stem, "source": f"source/{path.name}"}}
    for i, (kind, source) in enumerate(parse_percent(path.read_text())):
        make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        cell = make(source)
        cell.id = f"{path.stem[:2]}-{i:03d}"
        nb.cells.append(cell)
    return nb


def problems_in(nb) -> list[str]:
    """Errors and warnings a learner would see in the executed notebook."""
    found = []
    for i, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                found.append(f"cell {i}: {output.ename}: {output.evalue}")
            elif output.output_type == "stream" and output.name == "stderr":
                found.append(f"cell {i}: stderr: {output.text.strip()[:300]}")
    return found


#: The kernel computes with one BLAS thread, as `make test` does, so the stored numbers
#: are the ones nbval will get (a chaotic run can differ in the last digits otherwise).
KERNEL_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "PYTHONHASHSEED": "0"}


def execute(nb, cwd: Path, timeout: int = 300):
    from nbclient import NotebookClient

    os.environ.update(KERNEL_ENV)  # the kernel inherits this process's environment

    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(cwd)}},
                            allow_errors=True)
    client.execute()
    for cell in nb.cells:  # keep the stored JSON free of run-specific timestamps
        cell.metadata.pop("execution", None)
    return nb


def build(path: Path, run: bool = True) -> tuple[Path, float, list[str]]:
    nb = notebook_from_source(path)
    start = time.perf_counter()
    if run:
        execute(nb, OUTPUT)
    seconds = time.perf_counter() - start
    target = OUTPUT / f"{path.stem}.ipynb"
    nbformat.validate(nb)
    target.write_text(nbformat.writes(nb) + "\n")
    return target, seconds, problems_in(nb) if run else []


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", help="lesson numbers (e.g. 03) or source names; default: all")
    parser.add_argument("--no-execute", action="store_true", help="write the notebooks without running them")
    args = parser.parse_args(argv)
    sources = sorted(SOURCES.glob("[0-9][0-9]_*.py"))
    if args.lessons:
        sources = [s for s in sources if any(s.stem.startswith(w) or s.name == w for w in args.lessons)]
    if not sources:
        print("No lesson sources matched.", file=sys.stderr)
        return 2
    failed = False
    for source in sources:
        target, seconds, problems = build(source, run=not args.no_execute)
        status = "ok" if not problems else "PROBLEMS"
        print(f"{target.relative_to(ROOT)}: {seconds:.1f} s, {status}")
        for problem in problems:
            print(f"    {problem}")
        failed |= bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
