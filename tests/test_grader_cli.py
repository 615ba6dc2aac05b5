"""The batch grader, end to end: ``python -m optimizers.grading`` on toy submissions.

The toy tasks live in a module written to a temporary folder and named in
OPTIMIZERS_GRADING_TASK_MODULES, so the grader's child processes register them too.
One folder of submissions (good, blank, crashing, exiting, printing megabytes,
spawning processes, deleting files, invalid) is graded once per test session and
the tests below check its table, CSV and feedback; a second run checks a timeout.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from repo_tools import load_tool

REPO = Path(__file__).resolve().parent.parent

TOY_TASKS = '''
import numpy as np
from optimizers.grading import compare, task

@task("toy_double", exercise="toy", points=2, title="Double an array")
def double(student, rng):
    for size in rng.integers(1, 5, size=3):
        x = rng.normal(size=size)
        yield compare(f"x of shape ({size},)", student(x.copy()), 2 * x,
                      mistakes={"You added 2 instead of multiplying by 2.": x + 2})

@task("toy_square", exercise="toy", points=3, title="Square a number")
def square(student, rng):
    for x in rng.uniform(-2, 2, size=3):
        yield compare(f"x = {x:.3f}", student(float(x)), float(x) ** 2)

@task("toy_negate", exercise="toy2", points=1, title="Negate a number")
def negate(student, rng):
    for x in rng.normal(size=2):
        yield compare(f"x = {x:.3f}", student(float(x)), -float(x))
'''

# The single source of the toy exercise, built into its blank and solution notebooks
# by tools/build_exercises.py (as the course's exercises are).
TOY_SOURCE = '''
# %% [markdown]
# # Toy exercise
# %%
from optimizers.grading import check
# %%
def toy_double(x):
    """Return 2 x."""
    ### BEGIN SOLUTION
    return 2 * x
    ### END SOLUTION
# %%
check("toy_double", toy_double)
# %%
def toy_square(x):
    """Return x squared."""
    ### BEGIN SOLUTION
    return x * x
    ### END SOLUTION
# %%
check("toy_square", toy_square)
'''

SOLUTION = ["def toy_double(x):\n    return 2 * x", "def toy_square(x):\n    return x * x"]
SLEEP_MARKS = ("987.601", "987.602", "987.603")   # unusual durations to find our sleeps by


def notebook(sources, exercise="toy"):
    """A minimal nbformat-4 notebook of code cells (metadata naming ``exercise`` unless None)."""
    metadata = {"optimizers_course": {"exercise": exercise, "kind": "exercise"}} if exercise else {}
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": metadata,
            "cells": [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {},
                       "outputs": [], "source": source} for i, source in enumerate(sources)]}


def write(path, content):
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")


def running_processes(marker):
    """Command lines of live (not zombie) processes containing ``marker``."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{name}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            state = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if marker in cmdline and state != "Z" and int(name) != os.getpid():
            found.append(cmdline)
    return found


def protected_folder(prefix):
    """A root-owned folder others may read but not change (mode 755), with one file."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    folder.chmod(0o755)
    (folder / "keep.txt").write_text("precious\n")
    return folder


class Grader:
    """Runs ``python -m optimizers.grading`` with the toy tasks importable."""

    def __init__(self, task_folder, temp):
        self.env = dict(os.environ)
        self.env.pop("OPTIMIZERS_GRADING_SEED", None)
        self.env["PYTHONPATH"] = os.pathsep.join([str(REPO), str(task_folder), str(task_folder / "lazy")])
        self.env["OPTIMIZERS_GRADING_TASK_MODULES"] = "cli_toy_tasks"
        # The grader's temporary folders go here, so its processes can be found by name.
        self.env["TMPDIR"] = str(temp)

    def __call__(self, *args, timeout=180):
        return subprocess.run([sys.executable, "-m", "optimizers.grading", *map(str, args)],
                              env=self.env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    base = tmp_path_factory.mktemp("grader")
    (base / "cli_toy_tasks.py").write_text(TOY_TASKS)
    (base / "lazy").mkdir()
    (base / "lazy").chmod(0o755)
    temp = Path(tempfile.mkdtemp(prefix="grader-cli-test-"))
    temp.chmod(0o755)   # the unprivileged submissions must reach their folders inside
    yield base, Grader(base, temp), temp
    shutil.rmtree(temp, ignore_errors=True)


@pytest.fixture(scope="module")
def batch(setup):
    """Grade one folder of assorted submissions once; the tests inspect the results."""
    base, grader, temp = setup
    folder = base / "submissions"
    folder.mkdir()
    source = base / "source" / "exercises" / "source" / "01_toy.py"
    source.parent.mkdir(parents=True)
    source.write_text(TOY_SOURCE)
    exercise, solution = load_tool("build_exercises").build_pair(source)
    write(folder / "alice.ipynb", solution)
    write(folder / "blank.ipynb", exercise)
    write(folder / "07_adam.ipynb", notebook(SOLUTION))               # misleading file name
    write(folder / "bob_no_metadata.ipynb",
          notebook(SOLUTION + ["check('toy_double', toy_double)"], exercise=None))
    write(folder / "carol_toy2.ipynb", notebook(["def toy_negate(x):\n    return -x"], "toy2"))
    write(folder / "crash.ipynb", notebook(["raise ValueError('boom')"] + SOLUTION))
    write(folder / "sysexit.ipynb", notebook(["import sys\nsys.exit(1)"] + SOLUTION))
    write(folder / "osexit.ipynb", notebook(SOLUTION[:1] + ["import os\nos._exit(3)"] + SOLUTION[1:]))
    write(folder / "bigprint.ipynb", notebook(["for _ in range(50):\n    print('x' * 1_000_000)"]
                                              + SOLUTION))
    write(folder / "spawner.ipynb", notebook([
        "import subprocess\n"
        f"subprocess.Popen(['sleep', '{SLEEP_MARKS[1]}'], start_new_session=True)\n"
        f"subprocess.Popen(['sleep', '{SLEEP_MARKS[2]}'])"] + SOLUTION))
    write(folder / "wrong.ipynb", notebook([
        "import json\nprint(json.dumps({'event': 'task', 'name': 'toy_double', 'points': 2}))",
        "def toy_double(x):\n    return x + 2", SOLUTION[1]]))
    write(folder / "badjson.ipynb", "{not json")
    write(folder / "a_list.ipynb", "[1, 2]")
    write(folder / "unknown.ipynb", notebook(["x = 1"], exercise=None))
    # A module in an open folder inside a private one (pytest's tmp folders are
    # private, like a Python installed under /root), imported only while the
    # notebook runs as `nobody`: the runner keeps such folders importable.
    (base / "lazy" / "cli_lazy_helper.py").write_text("def double(x):\n    return 2 * x\n")
    write(folder / "lazy_import.ipynb", notebook([
        "import importlib\nhelper = importlib.import_module('cli_lazy_' + 'helper')",
        "toy_double = helper.double", SOLUTION[1]]))
    victim, course = protected_folder("grader-victim-"), protected_folder("grader-course-")
    write(folder / "hostile.ipynb", notebook([
        f"import shutil\nshutil.rmtree({str(victim)!r})",
        f"import os\nos.remove({str(course / 'keep.txt')!r})",
        f"open({str(course / 'keep.txt')!r}, 'w').write('changed')",
        f"shutil.rmtree({str(folder)!r})",
    ] + SOLUTION))
    csv_path, feedback = base / "scores.csv", base / "feedback"
    completed = grader(folder, "--csv", csv_path, "--feedback", feedback, "--timeout", 60)
    with open(csv_path, newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    yield dict(completed=completed, rows=rows, by_name={row[0]: row for row in rows[1:]},
               feedback=feedback, folder=folder, victim=victim, course=course, temp=temp)
    shutil.rmtree(victim, ignore_errors=True)
    shutil.rmtree(course, ignore_errors=True)


def test_exit_status_is_zero_and_stdout_has_the_table(batch):
    completed = batch["completed"]
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[0].split() == ["submission", "toy_double", "toy_square", "toy_negate",
                                "total", "max", "status"]
    assert set(lines[1]) == {"-"}
    alice = next(line for line in lines if line.startswith("alice "))
    assert alice.split() == ["alice", "2", "3", "-", "5", "5", "ok"]


def test_csv_header_and_rows(batch):
    rows = batch["rows"]
    assert rows[0] == ["submission", "toy_double", "toy_square", "toy_negate", "total", "max", "status"]
    names = [row[0] for row in rows[1:]]
    assert names == sorted(p.name[:-6] for p in batch["folder"].glob("*.ipynb"))
    assert all(len(row) == 7 for row in rows)
    by_name = batch["by_name"]
    assert by_name["alice"] == ["alice", "2", "3", "", "5", "5", "ok"]
    assert by_name["carol_toy2"] == ["carol_toy2", "", "", "1", "1", "1", "ok"]


def test_blank_exercise_scores_zero_not_attempted(batch):
    assert batch["by_name"]["blank"] == ["blank", "0", "0", "", "0", "5", "not attempted"]
    text = (batch["feedback"] / "blank.txt").read_text()
    assert "toy_double: not attempted (0/2 points)" in text


def test_exercise_comes_from_content_not_file_name(batch):
    assert batch["by_name"]["07_adam"][1:6] == ["2", "3", "", "5", "5"]
    assert batch["by_name"]["bob_no_metadata"][1:7] == ["2", "3", "", "5", "5", "ok"]
    assert (batch["feedback"] / "07_adam.txt").read_text().splitlines()[1] == "Exercise: toy"


def test_modules_in_private_folders_stay_importable(batch):
    assert batch["by_name"]["lazy_import"][1:7] == ["2", "3", "", "5", "5", "ok"]


def test_a_raising_cell_costs_only_that_cell(batch):
    assert batch["by_name"]["crash"][1:7] == ["2", "3", "", "5", "5", "ok"]
    assert "cell 1 raised ValueError: boom (line 1)" in (batch["feedback"] / "crash.txt").read_text()
    assert batch["by_name"]["sysexit"][1:7] == ["2", "3", "", "5", "5", "ok"]
    assert "cell 1 called sys.exit(1)" in (batch["feedback"] / "sysexit.txt").read_text()


def test_os_exit_is_an_error_of_that_submission(batch):
    row = batch["by_name"]["osexit"]
    assert row[1:6] == ["0", "0", "", "0", "5"]
    assert row[6] == "error: the submission ended the grading process (exit code 3, as os._exit does)"


def test_huge_output_is_capped_and_still_graded(batch):
    assert batch["by_name"]["bigprint"][1:7] == ["2", "3", "", "5", "5",
                                                 "ok: output truncated after 1 MB"]


def test_wrong_answers_get_hints_and_forged_output_is_ignored(batch):
    assert batch["by_name"]["wrong"][1:7] == ["0", "3", "", "3", "5", "ok"]
    text = (batch["feedback"] / "wrong.txt").read_text()
    assert "toy_double: 0/2 points - 0 of 3 cases passed" in text
    assert "hint:     You added 2 instead of multiplying by 2." in text
    assert "Score: 3 / 5 points" in text


def test_invalid_notebooks_are_reported_in_their_row(batch):
    by_name = batch["by_name"]
    assert by_name["badjson"][:6] == ["badjson", "", "", "", "0", ""]
    assert by_name["badjson"][6].startswith("invalid notebook: not valid JSON (")
    assert by_name["a_list"][6] == "invalid notebook: valid JSON but not a Jupyter notebook (no list of cells)"
    assert by_name["unknown"][6] == "invalid notebook: cannot tell which exercise this is"


def test_one_feedback_file_per_submission_invalid_ones_included(batch):
    written = sorted(p.name for p in batch["feedback"].iterdir())
    assert written == sorted(f"{row[0]}.txt" for row in batch["rows"][1:])
    text = (batch["feedback"] / "badjson.txt").read_text()
    assert text.startswith("Feedback on badjson.ipynb\nStatus: invalid notebook: not valid JSON")
    alice = (batch["feedback"] / "alice.txt").read_text()
    assert alice.splitlines()[:4] == ["Feedback on alice.ipynb", "Exercise: toy",
                                      "Score: 5 / 5 points", "Status: ok"]
    assert "toy_square: 3/3 points - all 3 cases passed" in alice


def test_no_process_outlives_the_grader(batch):
    assert batch["by_name"]["spawner"][6] == "ok"
    for mark in SLEEP_MARKS:
        assert running_processes(f"sleep {mark}") == []
    assert running_processes(str(batch["temp"])) == []
    assert list(batch["temp"].iterdir()) == []        # and its temporary folders are gone


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="submissions run as 'nobody' only when the grader runs as root")
def test_a_submission_cannot_delete_files_around_it(batch):
    assert (batch["victim"] / "keep.txt").read_text() == "precious\n"
    assert (batch["course"] / "keep.txt").read_text() == "precious\n"
    assert len(list(batch["folder"].glob("*.ipynb"))) == len(batch["rows"]) - 1
    assert batch["by_name"]["hostile"][1:7] == ["2", "3", "", "5", "5", "ok"]
    text = (batch["feedback"] / "hostile.txt").read_text()
    assert "cell 1 raised PermissionError" in text and "cell 2 raised PermissionError" in text


def test_an_endless_loop_times_out_and_the_run_ends(setup):
    base, grader, _ = setup
    path = base / "loop.ipynb"
    write(path, notebook([f"import subprocess\nsubprocess.Popen(['sleep', '{SLEEP_MARKS[0]}'])",
                          "while True:\n    pass"] + SOLUTION))
    completed = grader(path, "--timeout", 3, timeout=60)
    assert completed.returncode == 0, completed.stderr
    row = completed.stdout.splitlines()[2].split(None, 5)
    assert row == ["loop", "0", "0", "0", "5", "timeout: no result after 3 s"]
    assert running_processes(f"sleep {SLEEP_MARKS[0]}") == []


def test_stopping_the_grader_stops_the_submission(setup):
    base, grader, _ = setup
    mark = "987.604"
    path = base / "stopped.ipynb"
    write(path, notebook([f"import subprocess\nsubprocess.Popen(['sleep', '{mark}'])",
                          "while True:\n    pass"]))
    process = subprocess.Popen([sys.executable, "-m", "optimizers.grading", str(path), "--timeout", "60"],
                               env=grader.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not running_processes(f"sleep {mark}") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert running_processes(f"sleep {mark}"), "the submission never started"
        process.terminate()
        assert process.wait(timeout=30) == 128 + signal.SIGTERM
    finally:
        process.kill()
    assert running_processes(f"sleep {mark}") == []


def test_usage_errors_exit_with_status_two(setup, tmp_path):
    _, grader, _ = setup
    assert grader().returncode == 2
    missing = grader(tmp_path / "nothing_here")
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr
    empty = grader(tmp_path)
    assert empty.returncode == 2 and "no *.ipynb notebooks found" in empty.stderr
    assert grader(tmp_path, "--timeout", "0").returncode == 2


REPO_EXERCISES = sorted((REPO / "exercises").glob("*.ipynb"))


@pytest.mark.skipif(not REPO_EXERCISES, reason="the course has no exercise notebooks yet")
def test_the_course_solutions_score_full_and_the_exercises_zero(tmp_path):
    # One run over both folders (slow-ish: every notebook is executed again).
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.pop("OPTIMIZERS_GRADING_TASK_MODULES", None)
    csv_path = tmp_path / "course.csv"
    completed = subprocess.run([sys.executable, "-m", "optimizers.grading", str(REPO / "solutions"),
                                str(REPO / "exercises"), "--csv", str(csv_path)],
                               env=env, capture_output=True, text=True, timeout=900)
    assert completed.returncode == 0, completed.stderr
    with open(csv_path, newline="", encoding="utf-8") as file:
        rows = {row["submission"]: row for row in csv.DictReader(file)}
    for path in REPO_EXERCISES:
        blank, solution = rows[f"exercises/{path.stem}"], rows[f"solutions/{path.stem}"]
        assert (blank["status"], blank["total"]) == ("not attempted", "0"), blank
        assert solution["status"] == "ok" and solution["total"] == solution["max"], solution
