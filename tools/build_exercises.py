"""Build the exercise and solution notebooks from their single source.

Each exercise is written once, as ``exercises/source/NN_topic.py`` in percent
format: a line ``# %% [markdown]`` starts a text cell (its lines prefixed with
``# ``), a line ``# %%`` starts a code cell, and the answer code sits between
``### BEGIN SOLUTION`` and ``### END SOLUTION`` lines. From it this script writes

- ``exercises/NN_topic.ipynb``: every solution block (markers included) replaced
  by ``raise NotImplementedError("Your code here")`` at the block's indentation;
  stored without outputs;
- ``solutions/NN_topic.ipynb``: the marker lines dropped, every cell that calls
  ``check(`` marked ``# NBVAL_CHECK_OUTPUT`` (so nbval compares its report), and
  executed, so its outputs are stored.

So the two notebooks differ only in the answer cells, by construction. Text before
the first ``# %%`` line is a note for maintainers and is not copied. Both notebooks
carry ``{"optimizers_course": {"exercise": "NN_topic", "kind": ...}}`` metadata,
which the batch grader uses to recognise a submission.

From the repository root:

    python tools/build_exercises.py               # build all (executes the solutions)
    python tools/build_exercises.py 05_adam       # build one
    python tools/build_exercises.py --no-execute  # quick, solutions without outputs
    python tools/build_exercises.py --check       # are the committed notebooks up to date?

``--check`` rebuilds in memory and exits with status 1, naming each file, if a
committed notebook differs in anything but the solutions' execution outputs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

REPO_ROOT = Path(__file__).resolve().parent.parent

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
STUB = 'raise NotImplementedError("Your code here")'
CHECK_OUTPUT = "# NBVAL_CHECK_OUTPUT"
CELL_TIMEOUT = 120  # seconds per cell when executing a solution

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
# Cell metadata that Jupyter changes while someone works (not content).
VOLATILE_CELL_METADATA = {"execution", "collapsed", "scrolled", "jupyter", "ExecuteTime"}
_CELL_HEADER = re.compile(r"^# %%(?P<rest>.*)$")
_CHECK_CALL = re.compile(r"\bcheck\(")
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,60}$")


@dataclass
class SourceCell:
    """One cell of a source file: ``kind`` is "markdown" or "code"; ``line`` is where it starts."""

    kind: str
    text: str
    line: int


class SourceError(ValueError):
    """A source file that does not follow the format; the message says where."""


def parse_source(text: str, where: str = "<source>") -> list[SourceCell]:
    """Split a percent-format source into cells.

    >>> cells = parse_source("# %% [markdown]\\n# # Title\\n#\\n# Text.\\n# %%\\nx = 1\\n")
    >>> [(c.kind, c.text) for c in cells]
    [('markdown', '# Title\\n\\nText.'), ('code', 'x = 1')]
    """
    cells: list[SourceCell] = []
    kind, start, body = None, 0, []

    def finish():
        if kind is None:
            return  # the maintainers' note before the first cell
        filled = [i for i, line in enumerate(body) if line.strip()]
        first, last = (filled[0], filled[-1]) if filled else (0, -1)
        lines = body[first:last + 1]
        if kind == "markdown":
            lines = [_markdown_line(line, where, start + first + 1 + offset)
                     for offset, line in enumerate(lines)]
            while lines and not lines[0].strip():   # "#" lines at the edges
                lines.pop(0)
            while lines and not lines[-1].strip():
                lines.pop()
        cells.append(SourceCell(kind, "\n".join(lines), start))

    for number, line in enumerate(text.splitlines(), start=1):
        header = _CELL_HEADER.match(line)
        if header:
            finish()
            kind = "markdown" if "[markdown]" in header.group("rest") else "code"
            start, body = number, []
        else:
            body.append(line)
    finish()
    if not cells:
        raise SourceError(f"{where}: no cells (a cell starts with a line "
                          f"'# %%' or '# %% [markdown]')")
    return cells


def _markdown_line(line, where, number):
    if line.startswith("# "):
        return line[2:]
    if line.rstrip() in ("#", ""):
        return ""
    raise SourceError(f"{where}:{number}: a markdown line must start with '# ', got {line!r}")


def _solution_blocks(code: str, where: str):
    """``(begin, end, indent)`` line indexes of each solution block; checks the markers pair up."""
    blocks, begin = [], None
    for index, line in enumerate(code.splitlines()):
        marker = line.strip()
        if marker == BEGIN:
            if begin is not None:
                raise SourceError(f"{where}: {BEGIN} inside another solution block")
            begin, indent = index, line[: len(line) - len(line.lstrip())]
            if not indent:
                raise SourceError(
                    f"{where}: a solution block must be indented inside a function or class: at "
                    f"top level the blank exercise would stop with NotImplementedError")
        elif marker == END:
            if begin is None:
                raise SourceError(f"{where}: {END} without {BEGIN}")
            blocks.append((begin, index, indent))
            begin = None
    if begin is not None:
        raise SourceError(f"{where}: {BEGIN} without {END}")
    return blocks


def exercise_code(code: str, where: str = "<cell>") -> str:
    """The learner's version of a code cell: each solution block becomes a stub.

    >>> code = "def f(x):\\n    ### BEGIN SOLUTION\\n    return 2 * x\\n    ### END SOLUTION"
    >>> print(exercise_code(code))
    def f(x):
        raise NotImplementedError("Your code here")
    """
    lines = code.splitlines()
    for begin, end, indent in reversed(_solution_blocks(code, where)):
        lines[begin:end + 1] = [indent + STUB]
    return "\n".join(lines)


def solution_code(code: str, where: str = "<cell>") -> str:
    """The complete version of a code cell: the marker lines removed.

    >>> code = "def f(x):\\n    ### BEGIN SOLUTION\\n    return 2 * x\\n    ### END SOLUTION"
    >>> print(solution_code(code))
    def f(x):
        return 2 * x
    """
    lines = code.splitlines()
    for begin, end, _ in reversed(_solution_blocks(code, where)):
        del lines[end]
        del lines[begin]
    return "\n".join(lines)


def build_pair(source_path) -> tuple[nbformat.NotebookNode, nbformat.NotebookNode]:
    """The (exercise, solution) notebooks of one source file, not executed."""
    source_path = Path(source_path)
    name = source_path.stem
    if not _NAME.match(name):
        raise SourceError(f"{source_path}: the file name may use only letters, digits, '_' and '-'")
    cells = parse_source(source_path.read_text(encoding="utf-8"), str(source_path))
    notebooks = {}
    for kind in ("exercise", "solution"):
        notebook = new_notebook()
        notebook.nbformat, notebook.nbformat_minor = 4, 5
        notebook.metadata = {
            "kernelspec": dict(KERNELSPEC),
            "language_info": {"name": "python"},
            "optimizers_course": {"exercise": name, "kind": kind},
        }
        for index, cell in enumerate(cells):
            where = f"{source_path}:{cell.line}"
            if cell.kind == "markdown":
                if BEGIN in cell.text or END in cell.text:
                    raise SourceError(f"{where}: solution markers belong in code cells")
                new = new_markdown_cell(cell.text)
            else:
                if kind == "exercise":
                    text = exercise_code(cell.text, where)
                else:
                    text = solution_code(cell.text, where)
                    if _CHECK_CALL.search(text) and not text.startswith(CHECK_OUTPUT):
                        text = f"{CHECK_OUTPUT}\n{text}"
                new = new_code_cell(text)
            new.id = f"{name}-{index:02d}"  # stable ids: same in both notebooks and every build
            notebook.cells.append(new)
        notebooks[kind] = notebook
    return notebooks["exercise"], notebooks["solution"]


@contextlib.contextmanager
def _kernel_environment(root):
    """Environment for executing a solution: the course importable, the checks' own seeds."""
    saved = dict(os.environ)
    os.environ.pop("OPTIMIZERS_GRADING_SEED", None)
    os.environ.pop("MPLBACKEND", None)   # notebooks use Jupyter's inline backend
    os.environ["PYTHONHASHSEED"] = "0"
    # The course being built first, then this checkout's package, then the caller's path.
    paths = [str(root), str(REPO_ROOT)] + [p for p in saved.get("PYTHONPATH", "").split(os.pathsep) if p]
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def execute(notebook, cwd, root=REPO_ROOT, timeout=CELL_TIMEOUT):
    """Run a notebook in a fresh python3 kernel (in ``cwd``) and store its outputs."""
    from nbclient import NotebookClient

    with _kernel_environment(root):
        client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(cwd)}},
                                record_timing=False, allow_errors=False)
        client.execute()
    # The kernel fills in its version; keep files identical between machines.
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def notebook_text(notebook) -> str:
    """The notebook as file text: sorted keys, one-space indent, final newline."""
    return nbformat.writes(notebook) + "\n"


def sources(root) -> list[Path]:
    """The exercise source files, in name order (files starting with "_" are helpers)."""
    folder = Path(root) / "exercises" / "source"
    return sorted(p for p in folder.glob("*.py") if not p.name.startswith("_"))


def build(root=REPO_ROOT, names=None, run=True, log=print) -> list[Path]:
    """Write the exercise and solution notebooks of every (or the named) source; return their paths."""
    root = Path(root)
    chosen = [p for p in sources(root) if names is None or p.stem in names]
    if names:
        unknown = set(names) - {p.stem for p in chosen}
        if unknown:
            raise SourceError(f"no source for: {', '.join(sorted(unknown))} "
                              f"(looked in {root / 'exercises' / 'source'})")
    written = []
    for source_path in chosen:
        exercise, solution = build_pair(source_path)
        solutions_folder = root / "solutions"
        solutions_folder.mkdir(exist_ok=True)
        if run:
            log(f"executing the solution of {source_path.stem} ...")
            execute(solution, solutions_folder, root)
        for notebook, folder in ((exercise, root / "exercises"), (solution, solutions_folder)):
            path = folder / f"{source_path.stem}.ipynb"
            path.write_text(notebook_text(notebook), encoding="utf-8")
            written.append(path)
            log(f"wrote {path.relative_to(root)}")
    return written


def _essence(notebook: dict, keep_outputs: bool):
    """What must match between a committed notebook and a fresh build."""
    metadata = notebook.get("metadata", {})
    cells = []
    for cell in notebook.get("cells", []):
        source = cell.get("source", "")
        entry = {
            "id": cell.get("id"),
            "cell_type": cell.get("cell_type"),
            "source": source if isinstance(source, str) else "".join(source),
            "metadata": {k: v for k, v in cell.get("metadata", {}).items()
                         if k not in VOLATILE_CELL_METADATA},
        }
        if keep_outputs and cell.get("cell_type") == "code":
            entry["outputs"] = cell.get("outputs")
            entry["execution_count"] = cell.get("execution_count")
        cells.append(entry)
    return {
        "nbformat": (notebook.get("nbformat"), notebook.get("nbformat_minor")),
        "kernelspec": metadata.get("kernelspec"),
        "optimizers_course": metadata.get("optimizers_course"),
        "cells": cells,
    }


def _first_difference(committed, built) -> str:
    for key in ("nbformat", "kernelspec", "optimizers_course"):
        if committed[key] != built[key]:
            return f"{key} is {committed[key]!r}, the source gives {built[key]!r}"
    if len(committed["cells"]) != len(built["cells"]):
        return f"{len(committed['cells'])} cells, the source gives {len(built['cells'])}"
    for number, (old, new) in enumerate(zip(committed["cells"], built["cells"]), start=1):
        for key in new:
            if old.get(key) != new[key]:
                what = "stored outputs" if key in ("outputs", "execution_count") else key
                return f"cell {number} ({new['id']}): {what} differ"
    return "differs"


def check(root=REPO_ROOT) -> list[str]:
    """Problems that make the committed notebooks differ from their sources (empty: all fine)."""
    root = Path(root)
    problems = []
    expected = set()
    for source_path in sources(root):
        try:
            exercise, solution = build_pair(source_path)
        except SourceError as error:
            problems.append(str(error))
            continue
        for notebook, folder, kind in ((exercise, "exercises", "exercise"),
                                       (solution, "solutions", "solution")):
            path = root / folder / f"{source_path.stem}.ipynb"
            expected.add(path)
            label = path.relative_to(root)
            if not path.exists():
                problems.append(f"{label}: missing (run tools/build_exercises.py)")
                continue
            try:
                committed = json.loads(path.read_text(encoding="utf-8"))
            except ValueError as error:
                problems.append(f"{label}: not valid JSON ({error})")
                continue
            # Exercises must match exactly, outputs included (they have none).
            built = _essence(json.loads(notebook_text(notebook)), keep_outputs=kind == "exercise")
            stored = _essence(committed, keep_outputs=kind == "exercise")
            if stored != built:
                problems.append(f"{label}: {_first_difference(stored, built)} "
                                f"(rebuild with tools/build_exercises.py)")
            elif kind == "solution":
                unrun = [n for n, c in enumerate(committed["cells"], start=1)
                         if c.get("cell_type") == "code" and c.get("execution_count") is None]
                if unrun:
                    problems.append(f"{label}: not executed (cell {unrun[0]} has no outputs); "
                                    f"rebuild without --no-execute")
    for folder in ("exercises", "solutions"):
        for path in sorted((root / folder).glob("*.ipynb")):
            if path not in expected:
                problems.append(f"{path.relative_to(root)}: no source exercises/source/{path.stem}.py")
    return problems


def main(argv=None) -> int:
    """Command line; returns the exit status."""
    parser = argparse.ArgumentParser(description="Build exercises/*.ipynb and solutions/*.ipynb "
                                                 "from exercises/source/*.py.")
    parser.add_argument("names", nargs="*", help="build only these exercises, e.g. 05_adam")
    parser.add_argument("--check", action="store_true",
                        help="only check that the committed notebooks match their sources")
    parser.add_argument("--no-execute", action="store_true",
                        help="write the solutions without running them (no outputs)")
    parser.add_argument("--root", default=str(REPO_ROOT), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        if args.check:
            problems = check(args.root)
            for problem in problems:
                print(problem)
            if problems:
                return 1
            print(f"All {len(sources(args.root))} exercises match their sources.")
            return 0
        build(args.root, names=args.names or None, run=not args.no_execute)
    except SourceError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
