"""Batch grading of submitted notebooks into a score table, a CSV file and feedback.

    python -m optimizers.grading PATH... [--csv FILE] [--timeout SECONDS] [--feedback DIR]

Grades one notebook or every ``*.ipynb`` under the given folders (submissions
named per student, possibly of different exercises). Each submission is re-run
from scratch in its own limited process (see :mod:`optimizers.grading.runner`);
stored outputs are never trusted, and which exercise a notebook is comes from its
metadata or its ``check(...)`` calls, never from its file name.

Prints a score table; ``--csv`` writes it as CSV (one row per submission: its file
name without ``.ipynb``, one column per task, then ``total``, ``max`` and
``status``); ``--feedback DIR`` writes ``DIR/<name>.txt`` per submission. Exit
status 0 when grading ran (whatever the scores), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import core
from .runner import (DEFAULT_TIMEOUT, OUTPUT_LIMIT_BYTES, InvalidNotebook, RunReport, Sandbox,
                     identify_exercise, read_notebook)

#: Seed of the batch grader's cases, different from the notebooks' own checks.
BATCH_SEED = 271828

#: Row statuses.
OK, NOT_ATTEMPTED, TIMEOUT, ERROR = "ok", "not attempted", "timeout", "error"
INVALID = "invalid notebook"


@dataclass
class TaskScore:
    """Points of one task in one submission, with the report the learner sees."""

    points: float
    max_points: float
    status: str
    message: str


@dataclass
class Submission:
    """The graded result of one notebook file."""

    name: str
    path: Path
    exercise: str | None = None
    kind: str = OK               # ok / not attempted / timeout / error / invalid notebook
    reasons: list = field(default_factory=list)
    tasks: dict = field(default_factory=dict)   # task name -> TaskScore
    cell_errors: list = field(default_factory=list)

    @property
    def total(self):
        return sum(score.points for score in self.tasks.values())

    @property
    def max_points(self):
        return sum(score.max_points for score in self.tasks.values()) if self.exercise else None

    @property
    def status(self):
        """``kind``, then the reasons after a colon, e.g. ``"timeout: no result after 3 s"``."""
        return f"{self.kind}: {'; '.join(self.reasons)}" if self.reasons else self.kind


def find_notebooks(paths) -> list[Path]:
    """Every notebook named or found (recursively, skipping hidden folders) under ``paths``.

    Raises FileNotFoundError for a path that does not exist.
    """
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            for candidate in path.rglob("*.ipynb"):
                parts = candidate.relative_to(path).parts
                if candidate.is_file() and not any(part.startswith(".") for part in parts):
                    found.append(candidate)
        elif path.exists():
            found.append(path)
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
    unique = {os.path.abspath(p): p for p in found}
    return sorted(unique.values(), key=lambda p: (p.name, str(p)))


def submission_names(paths) -> list[str]:
    """Row names: the file name without ``.ipynb``; equal names get their folder path too."""
    def stem(path):
        return path.name[: -len(".ipynb")] if path.name.endswith(".ipynb") else path.name

    stems = [stem(p) for p in paths]
    common = os.path.commonpath([str(p.resolve().parent) for p in paths]) if paths else ""
    names = []
    for path, name in zip(paths, stems):
        if stems.count(name) > 1:
            folder = os.path.relpath(path.resolve().parent, common).replace(os.sep, "/")
            name = name if folder == "." else f"{folder}/{name}"
        names.append(name)
    return names


def grade_submission(path, name, sandbox) -> Submission:
    """Identify, run and score one notebook file."""
    submission = Submission(name=name, path=Path(path))
    try:
        notebook = read_notebook(path)
    except InvalidNotebook as problem:
        return _invalid(submission, str(problem))
    exercise = identify_exercise(notebook)
    if exercise is None:
        return _invalid(submission, "cannot tell which exercise this is")
    submission.exercise = exercise
    try:
        report = sandbox.run(path, exercise)
    except OSError as error:  # e.g. the file vanished, or the disk is full
        report = RunReport(status="error", reason=f"the grader could not run it ({error})")
    submission.cell_errors = report.cell_errors
    for the_task in core.exercise_tasks(exercise):
        record = report.tasks.get(the_task.name)
        submission.tasks[the_task.name] = _task_score(the_task, record, report)
    if report.status == "ok":
        statuses = {score.status for score in submission.tasks.values()}
        submission.kind = NOT_ATTEMPTED if statuses == {"not attempted"} else OK
    else:
        submission.kind = TIMEOUT if report.status == "timeout" else ERROR
        submission.reasons.append(report.reason)
        graded = sum(task_name in report.tasks for task_name in submission.tasks)
        if graded:
            submission.reasons.append(f"{graded} of {len(submission.tasks)} tasks graded before that")
    if report.output_truncated:
        submission.reasons.append(f"output truncated after {OUTPUT_LIMIT_BYTES // 2**20} MB")
    return submission


def _invalid(submission, reason):
    submission.kind = INVALID
    submission.reasons.append(reason)
    return submission


def _task_score(the_task, record, report) -> TaskScore:
    """The runner's record of a task, checked against the task itself (never trusted blindly)."""
    if record is not None:
        points = record.get("points")
        if isinstance(points, (int, float)) and not isinstance(points, bool) and math.isfinite(points):
            points = min(max(points, 0), the_task.points)
            message = str(record.get("message", ""))
            return TaskScore(points, the_task.points, str(record.get("status", "")), message)
    why = report.reason or "the notebook did not finish"
    return TaskScore(0, the_task.points, "not graded",
                     f"{the_task.name}: not graded (0/{the_task.points:g} points) - {why}")


# ---------------------------------------------------------------------------
# Output: table, CSV, feedback
# ---------------------------------------------------------------------------

def task_columns(submissions) -> list[str]:
    """Task names of every exercise seen, by exercise then in registration order."""
    exercises = sorted({s.exercise for s in submissions if s.exercise})
    return [t.name for exercise in exercises for t in core.exercise_tasks(exercise)]


def _fmt(value):
    return "" if value is None else f"{value:g}"


def table_rows(submissions) -> list[list[str]]:
    """Header and one row per submission, as text (blank: task not in that exercise)."""
    columns = task_columns(submissions)
    rows = [["submission", *columns, "total", "max", "status"]]
    for s in submissions:
        cells = [_fmt(s.tasks[c].points) if c in s.tasks else "" for c in columns]
        rows.append([s.name, *cells, _fmt(s.total), _fmt(s.max_points), s.status])
    return rows


def format_table(submissions) -> str:
    """A fixed-width table: names left-aligned, numbers right-aligned, status last."""
    rows = table_rows(submissions)
    shown = [[cell if cell or i in (0, len(row) - 1) else "-" for i, cell in enumerate(row)]
             for row in rows]
    widths = [max(len(row[i]) for row in shown) for i in range(len(shown[0]) - 1)]
    lines = []
    for number, row in enumerate(shown):
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:-1], widths[1:])]
        lines.append("  ".join(cells + [row[-1]]).rstrip())
        if number == 0:
            lines.append("-" * len(lines[0]))
    return "\n".join(lines)


def write_csv(submissions, path):
    """Write the score table as CSV (UTF-8, one header row)."""
    with open(path, "w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(table_rows(submissions))


def feedback_text(submission) -> str:
    """The feedback file's text for one submission."""
    s = submission
    shown = s.name if s.name.endswith(s.path.suffix) else s.name + s.path.suffix
    lines = [f"Feedback on {shown}"]
    if s.exercise:
        lines.append(f"Exercise: {s.exercise}")
        lines.append(f"Score: {_fmt(s.total)} / {_fmt(s.max_points)} points")
    lines.append(f"Status: {s.status}")
    if s.kind == INVALID:
        lines += ["", "The notebook could not be graded. Open it in JupyterLab, check that it is",
                  "the exercise notebook you were given, run it from top to bottom, save,",
                  "and hand it in again."]
    if s.kind == TIMEOUT:
        lines += ["", "Your notebook did not finish in time: look for a loop that never ends."]
    if s.tasks:
        lines.append("")
        lines += [score.message for score in s.tasks.values()]
    if s.cell_errors:
        lines += ["", "While running your notebook from top to bottom:"]
        lines += [f"  {error}" for error in s.cell_errors]
    return "\n".join(lines) + "\n"


def write_feedback(submissions, folder):
    """Write ``<name>.txt`` per submission into ``folder`` (created if needed)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for s in submissions:
        (folder / (s.name.replace("/", "__") + ".txt")).write_text(feedback_text(s), encoding="utf-8")


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------

def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m optimizers.grading",
        description="Grade submitted exercise notebooks, each in its own limited process.")
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="a notebook, or a folder graded with every *.ipynb under it")
    parser.add_argument("--csv", metavar="FILE", help="also write the score table as CSV")
    parser.add_argument("--timeout", metavar="SECONDS", type=float, default=DEFAULT_TIMEOUT,
                        help=f"wall-clock limit per submission (default {DEFAULT_TIMEOUT:g})")
    parser.add_argument("--feedback", metavar="DIR", help="write one <name>.txt per submission here")
    parser.add_argument("--seed", type=int, default=BATCH_SEED,
                        help=f"seed of the grading cases (default {BATCH_SEED})")
    return parser


def main(argv=None) -> int:
    """Run the batch grader; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.timeout > 0 or not math.isfinite(args.timeout):
        parser.error(f"--timeout must be a number of seconds > 0, got {args.timeout:g}")
    if args.seed < 0:
        parser.error(f"--seed must be >= 0, got {args.seed}")
    try:
        paths = find_notebooks(args.paths)
    except FileNotFoundError as error:
        parser.error(str(error))
    if not paths:
        parser.error("no *.ipynb notebooks found under " + ", ".join(args.paths))
    if not core.TASKS:
        parser.error("no exercise tasks are registered (is optimizers.grading.tasks installed?)")
    if os.name == "posix" and os.geteuid() != 0:
        print("note: not running as root, so submissions run with your own permissions; "
              "run the grader as root in a container to protect your files from them.",
              file=sys.stderr)
    # On `kill` too, unwind normally so the running submission's processes are ended.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    submissions = []
    try:
        with Sandbox(timeout=args.timeout, seed=args.seed) as sandbox:
            for number, (path, name) in enumerate(zip(paths, submission_names(paths)), start=1):
                submission = grade_submission(path, name, sandbox)
                submissions.append(submission)
                score = (f"{_fmt(submission.total)}/{_fmt(submission.max_points)}"
                         if submission.exercise else "-")
                print(f"[{number}/{len(paths)}] {name}: {score} {submission.status}", file=sys.stderr)
    except KeyboardInterrupt:
        print("interrupted: no table written", file=sys.stderr)
        return 130
    print(format_table(submissions))
    if args.csv:
        write_csv(submissions, args.csv)
    if args.feedback:
        write_feedback(submissions, args.feedback)
    return 0


if __name__ == "__main__":
    sys.exit(main())
