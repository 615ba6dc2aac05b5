"""tools/build_exercises.py: one source -> a blank exercise and its solution notebook."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nbformat.v4 import new_output
from repo_tools import load_tool

REPO = Path(__file__).resolve().parent.parent


tool = load_tool("build_exercises")

TOY_SOURCE = '''\
"""Note for maintainers: this line is not copied into the notebooks."""

# %% [markdown]
# # Exercise 1: doubling
#
# Write `toy_double(x)`, returning `2 * x`.

# %%
import numpy as np
from optimizers.grading import check

# %%
def toy_double(x):
    """Return 2 x (a new array)."""
    ### BEGIN SOLUTION
    doubled = 2 * x
    return doubled
    ### END SOLUTION

# %%
check("toy_double", toy_double)

# %% [markdown]
# Well done.
'''

TOY_TASKS = '''
from optimizers.grading import compare, task

@task("toy_double", exercise="01_toy", points=2, title="Double an array")
def run(student, rng):
    for size in rng.integers(1, 5, size=3):
        x = rng.normal(size=size)
        yield compare(f"x of shape ({size},)", student(x.copy()), 2 * x)
'''


@pytest.fixture
def course(tmp_path):
    """A tiny course tree with one exercise source."""
    (tmp_path / "exercises" / "source").mkdir(parents=True)
    (tmp_path / "exercises" / "source" / "01_toy.py").write_text(TOY_SOURCE)
    return tmp_path


def sources_of(notebook):
    return [cell.source for cell in notebook.cells]


def test_parse_source_splits_markdown_and_code():
    cells = tool.parse_source(TOY_SOURCE)
    assert [cell.kind for cell in cells] == ["markdown", "code", "code", "code", "markdown"]
    assert cells[0].text == "# Exercise 1: doubling\n\nWrite `toy_double(x)`, returning `2 * x`."
    assert cells[1].text == "import numpy as np\nfrom optimizers.grading import check"
    assert cells[4].text == "Well done."
    assert cells[1].line == 8         # where the cell's header is, for error messages


@pytest.mark.parametrize("source, words", [
    ("# %% [markdown]\nnot a comment\n", r"x\.py:2: a markdown line must start with '# '"),
    ("# %%\ndef f():\n    ### BEGIN SOLUTION\n    pass\n", "BEGIN SOLUTION without ### END"),
    ("# %%\ndef f():\n    pass\n    ### END SOLUTION\n", "END SOLUTION without ### BEGIN"),
    ("# %%\ndef f():\n    ### BEGIN SOLUTION\n    ### BEGIN SOLUTION\n", "inside another solution block"),
    ("# %%\n### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n", "must be indented inside a function"),
    ("just text, no cells\n", "no cells"),
])
def test_bad_sources_are_refused_with_where_and_why(tmp_path, source, words):
    path = tmp_path / "x.py"
    path.write_text(source)
    with pytest.raises(tool.SourceError, match=words):
        tool.build_pair(path)


def test_exercise_has_stubs_and_no_outputs_solution_has_the_code(course):
    exercise, solution = tool.build_pair(course / "exercises" / "source" / "01_toy.py")
    assert sources_of(exercise)[2] == ('def toy_double(x):\n    """Return 2 x (a new array)."""\n'
                                       '    raise NotImplementedError("Your code here")')
    assert sources_of(solution)[2] == ('def toy_double(x):\n    """Return 2 x (a new array)."""\n'
                                       '    doubled = 2 * x\n    return doubled')
    assert sources_of(exercise)[3] == 'check("toy_double", toy_double)'
    assert sources_of(solution)[3] == '# NBVAL_CHECK_OUTPUT\ncheck("toy_double", toy_double)'
    for cell in exercise.cells:
        assert "BEGIN SOLUTION" not in cell.source and "doubled" not in cell.source
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert "Note for maintainers" not in json.dumps(exercise)


def test_metadata_ids_and_format(course):
    exercise, solution = tool.build_pair(course / "exercises" / "source" / "01_toy.py")
    for notebook, kind in ((exercise, "exercise"), (solution, "solution")):
        assert notebook.metadata["optimizers_course"] == {"exercise": "01_toy", "kind": kind}
        assert notebook.metadata["kernelspec"]["name"] == "python3"
        assert (notebook.nbformat, notebook.nbformat_minor) == (4, 5)
        assert [cell.id for cell in notebook.cells] == [f"01_toy-{i:02d}" for i in range(5)]


def test_building_twice_gives_identical_files(course):
    first = [tool.notebook_text(nb) for nb in tool.build_pair(course / "exercises" / "source" / "01_toy.py")]
    second = [tool.notebook_text(nb) for nb in tool.build_pair(course / "exercises" / "source" / "01_toy.py")]
    assert first == second
    assert first[0].endswith("}\n") and json.loads(first[0])["nbformat_minor"] == 5
    assert '"cells"' in first[0].splitlines()[1]       # sorted keys: "cells" first


# Lines of a code cell outside the answer, and answers, drawn at random: the property
# is that exercise and solution agree everywhere except where an answer was.
_frame_line = st.sampled_from(["x = 1", "y = x + 2", "# a comment", "print(x)", ""])
_answer = st.lists(st.sampled_from(["return x", "z = 3", "w = [z]", "# why"]), min_size=1, max_size=3)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.lists(_frame_line, max_size=3), st.one_of(st.none(), _answer),
                          st.lists(_frame_line, max_size=3)), min_size=1, max_size=5))
def test_property_exercise_and_solution_differ_only_in_answers(tmp_path_factory, cells):
    source, expected_exercise, expected_solution = [], [], []
    for before, answer, after in cells:
        frame = ["def f(x):"] + ["    " + line if line else "" for line in before]
        tail = ["    " + line if line else "" for line in after]
        block, stub, body = [], [], []
        if answer is not None:
            block = ["    ### BEGIN SOLUTION"] + ["    " + line for line in answer] + ["    ### END SOLUTION"]
            stub = ["    " + tool.STUB]
            body = ["    " + line for line in answer]
        source += ["# %%"] + frame + block + tail
        expected_exercise.append("\n".join(frame + stub + tail).strip("\n"))
        expected_solution.append("\n".join(frame + body + tail).strip("\n"))
    path = tmp_path_factory.mktemp("prop") / "03_prop.py"
    path.write_text("\n".join(source) + "\n")
    exercise, solution = tool.build_pair(path)
    assert sources_of(exercise) == expected_exercise
    assert sources_of(solution) == expected_solution
    assert [c.id for c in exercise.cells] == [c.id for c in solution.cells]


def fake_execute(notebook, cwd, root=None, timeout=None):
    """Stand-in for running a kernel: give each code cell a count and an output."""
    for count, cell in enumerate((c for c in notebook.cells if c.cell_type == "code"), start=1):
        cell.execution_count = count
        cell.outputs = [new_output("stream", name="stdout", text=f"ran in {Path(cwd).name}\n")]
    return notebook


def test_build_writes_both_notebooks_and_check_accepts_them(course, monkeypatch, capsys):
    monkeypatch.setattr(tool, "execute", fake_execute)
    written = tool.build(course, log=lambda message: None)
    assert [p.relative_to(course).as_posix() for p in written] == [
        "exercises/01_toy.ipynb", "solutions/01_toy.ipynb"]
    solution = json.loads((course / "solutions" / "01_toy.ipynb").read_text())
    assert solution["cells"][1]["outputs"][0]["text"] == ["ran in solutions\n"]  # cwd = solutions/
    assert tool.check(course) == []
    assert tool.main(["--check", "--root", str(course)]) == 0
    assert "All 1 exercises match their sources." in capsys.readouterr().out


@pytest.mark.parametrize("change, words", [
    (lambda ex, sol: ex["cells"][2].update(source="def toy_double(x):\n    return 2 * x"),
     "exercises/01_toy.ipynb: cell 3 (01_toy-02): source differ"),
    (lambda ex, sol: ex["cells"][1].update(outputs=[{"output_type": "stream", "name": "stdout",
                                                     "text": "hi"}]),
     "exercises/01_toy.ipynb: cell 2 (01_toy-01): stored outputs differ"),
    (lambda ex, sol: sol["cells"].pop(), "solutions/01_toy.ipynb: 4 cells, the source gives 5"),
    (lambda ex, sol: sol["metadata"].pop("optimizers_course"), "solutions/01_toy.ipynb: optimizers_course"),
    (lambda ex, sol: sol["cells"][1].update(execution_count=None),
     "solutions/01_toy.ipynb: not executed"),
])
def test_check_names_the_file_that_differs(course, monkeypatch, capsys, change, words):
    monkeypatch.setattr(tool, "execute", fake_execute)
    tool.build(course, log=lambda message: None)
    paths = course / "exercises" / "01_toy.ipynb", course / "solutions" / "01_toy.ipynb"
    exercise, solution = (json.loads(p.read_text()) for p in paths)
    change(exercise, solution)
    for path, notebook in zip(paths, (exercise, solution)):
        path.write_text(json.dumps(notebook))
    assert tool.main(["--check", "--root", str(course)]) == 1
    assert words in capsys.readouterr().out


def test_check_ignores_what_running_a_solution_changes(course, monkeypatch):
    monkeypatch.setattr(tool, "execute", fake_execute)
    tool.build(course, log=lambda message: None)
    path = course / "solutions" / "01_toy.ipynb"
    solution = json.loads(path.read_text())
    solution["cells"][1]["outputs"] = []
    solution["cells"][1]["metadata"]["execution"] = {"iopub.status.busy": "2024-01-01T00:00:00Z"}
    solution["metadata"]["language_info"] = {"name": "python", "version": "3.12.1"}
    path.write_text(json.dumps(solution))
    assert tool.check(course) == []


def test_check_reports_missing_and_orphan_notebooks(course):
    (course / "exercises" / "99_orphan.ipynb").write_text("{}")
    problems = tool.check(course)
    assert "exercises/01_toy.ipynb: missing (run tools/build_exercises.py)" in problems
    assert "exercises/99_orphan.ipynb: no source exercises/source/99_orphan.py" in problems


def test_building_an_unknown_name_is_a_usage_error(course, capsys):
    assert tool.main(["--root", str(course), "--no-execute", "42_nothing"]) == 2
    assert "no source for: 42_nothing" in capsys.readouterr().err


def test_the_solution_really_runs_and_stores_the_check_report(course, monkeypatch):
    (course / "cli_build_toy_tasks.py").write_text(TOY_TASKS)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(REPO), str(course)]))
    monkeypatch.setenv("OPTIMIZERS_GRADING_TASK_MODULES", "cli_build_toy_tasks")
    monkeypatch.setenv("OPTIMIZERS_GRADING_SEED", "99")   # the build must ignore this
    tool.build(course, log=lambda message: None)
    solution = json.loads((course / "solutions" / "01_toy.ipynb").read_text())
    check_cell = solution["cells"][3]
    assert check_cell["execution_count"] == 3
    assert check_cell["outputs"] == [{"name": "stdout", "output_type": "stream",
                                      "text": ["toy_double: 2/2 points - all 3 cases passed\n"]}]
    assert "execution" not in check_cell["metadata"]            # no timestamps
    assert solution["metadata"]["language_info"] == {"name": "python"}
    assert tool.check(course) == []


COURSE_SOURCES = tool.sources(REPO)


@pytest.mark.skipif(not COURSE_SOURCES, reason="exercises/source/ has no exercises yet")
def test_committed_exercises_match_their_sources():
    problems = tool.check(REPO)
    assert problems == [], "\n".join(problems)
