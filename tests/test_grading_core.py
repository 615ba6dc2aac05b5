"""The grading core: comparisons, pure calls, tasks, points and the printed report.

Toy tasks are registered here under names starting with "_core_" and removed
after each test, so the course's own tasks are never touched.
"""

from __future__ import annotations

import doctest
import json
import re
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from optimizers.grading import core, runner
from optimizers.grading.core import TASKS, Case, call_pure, check, compare, exercise_tasks, task


@pytest.fixture
def toy_tasks():
    """Register two toy tasks of exercise "_core_toy" (checks f(x) = 2x and f(x) = x^2)."""
    names_before = set(TASKS)

    @task("_core_double", exercise="_core_toy", points=4, title="Double an array")
    def run_double(student, rng):
        for size in rng.integers(1, 6, size=6):
            x = rng.normal(size=size)
            got, problem = call_pure(student, x)
            yield compare(f"x of shape ({size},)", got, 2 * x,
                          mistakes={"You added 2 instead of multiplying by 2.": x + 2})
            if problem:
                yield Case("x left unchanged", False, hint=problem)

    @task("_core_square", exercise="_core_toy", points=3, title="Square a number", seed=5)
    def run_square(student, rng):
        for x in rng.uniform(-3, 3, size=3):
            yield compare(f"x = {x:.4f}", student(float(x)), float(x) ** 2)

    yield
    for name in set(TASKS) - names_before:
        del TASKS[name]


# ---------------------------------------------------------------------------
# compare
# ---------------------------------------------------------------------------

def test_compare_accepts_equal_and_close_values():
    assert compare("n", 3.0, 3.0).passed
    assert compare("n", np.float32(0.5), 0.5).passed
    assert compare("n", np.array(2.0), 2.0).passed              # a 0-d array is a number
    assert compare("a", np.array([1.0, np.nan]), np.array([1.0, np.nan])).passed
    # within rtol = 1e-7 of |expected| = 1e3: an error of 5e-5 passes, 2e-4 does not
    assert compare("a", np.array([1000.00005]), np.array([1000.0])).passed
    assert compare("ints", np.array([1, 2], np.int32), np.array([1, 2], np.int64)).passed
    assert compare("ints as floats", np.array([1, 2]), np.array([1.0, 2.0])).passed
    assert not compare("a", np.array([1000.0002]), np.array([1000.0])).passed


def test_compare_tuple_item_by_item():
    expected = (np.zeros(2), np.ones(2))
    assert compare("t", [np.zeros(2), np.ones(2)], expected).passed
    case = compare("t", (np.zeros(2), np.full(2, 3.0)), expected)
    assert not case.passed
    assert case.reason.startswith("value 2 of 2: values differ: 2 of 2 entries off, max abs error 2")


@pytest.mark.parametrize("got, expected, reason_start, hint_part", [
    (np.zeros(2), (np.zeros(2), np.zeros(2)), "wrong type: expected 2 values (a tuple), got ndarray",
     "Return all 2 values"),
    ((np.zeros(2),), (np.zeros(2), np.zeros(2)), "wrong number of values: expected 2, got 1",
     "exactly 2 values"),
    ([1.0, 2.0], np.array([1.0, 2.0]), "wrong type: expected a NumPy array, got list", "np.asarray"),
    (np.zeros((2, 3)), np.zeros((3, 2)), "wrong shape: expected (3, 2), got (2, 3)", "transposed"),
    (np.zeros(6), np.zeros((6, 1)), "wrong shape: expected (6, 1), got (6,)", "broadcast"),
    (np.zeros(3, np.float64), np.zeros(3, np.float32), "wrong dtype: expected float32, got float64",
     ".astype(float32)"),
    (np.array([1.0, 2.0]), np.array([1, 2]), "wrong dtype: expected int64, got float64", ".astype(int)"),
    (np.array([1, 0]), np.array([True, False]), "wrong dtype: expected bool, got int64", "boolean array"),
    (np.array([1.0, np.inf, np.nan]), np.ones(3), "non-finite values: 2 of 3 entries are NaN or inf",
     "epsilon"),
    (None, np.ones(3), "got None", "return"),
    (np.ones(2), 1.0, "wrong type: expected a single number, got ndarray", "one number"),
    (float("nan"), 1.0, "non-finite value: got nan", "dividing by zero"),
    ("adam", "sgd", "expected 'sgd', got 'adam'", ""),
])
def test_compare_explains_each_kind_of_failure(got, expected, reason_start, hint_part):
    case = compare("what was tried", got, expected)
    assert not case.passed
    assert case.description == "what was tried"
    assert case.reason.startswith(reason_start), case.reason
    assert hint_part in case.hint


def test_compare_reports_the_largest_errors():
    expected = np.array([1.0, 2.0, 4.0])
    got = np.array([1.0, 2.5, 3.0])        # errors 0, 0.5, 1.0; relative 0, 0.25, 0.25
    case = compare("x", got, expected)
    assert case.reason == "values differ: 2 of 3 entries off, max abs error 1, max rel error 0.25"
    assert compare("x", 3.0, 2.0).reason == "values differ: abs error 1, rel error 0.5"


def test_compare_names_the_mistake_that_matches():
    x = np.array([1.0, -2.0])
    mistakes = {"Sign flipped.": -2 * x, "Added instead of multiplied.": x + 2}
    assert compare("x", x + 2, 2 * x, mistakes=mistakes).hint == "Added instead of multiplied."
    assert compare("x", -2 * x, 2 * x, mistakes=mistakes).hint == "Sign flipped."
    assert compare("x", 3 * x, 2 * x, mistakes=mistakes).hint == ""   # no mistake matches
    # a right answer is never blamed on a mistake, even if the mistake gives the same value
    assert compare("x", 2 * x, 2 * x, mistakes={"never": 2 * x}).hint == ""


def test_compare_never_raises_on_odd_results():
    class Weird:
        def __eq__(self, other):
            raise RuntimeError("no comparing me")

        def __repr__(self):
            raise RuntimeError("no showing me")

    for got in (Weird(), {"a": 1}, object(), "text", [np.zeros(2)]):
        case = compare("odd", got, np.zeros(2))
        assert not case.passed
    case = compare("odd", Weird(), "x")
    assert not case.passed
    assert "cannot be shown" in core._short(Weird())


@settings(max_examples=50, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=3, max_side=5),
                  elements=st.floats(-1e6, 1e6)))
def test_property_an_array_matches_itself_and_not_a_shifted_copy(values):
    assert compare("same", values.copy(), values).passed
    shifted = values.copy()
    shifted.flat[0] += 1e-3 * (1 + abs(shifted.flat[0]))   # far beyond rtol 1e-7 + atol 1e-12
    case = compare("shifted", shifted, values)
    assert not case.passed and case.reason.startswith("values differ: 1 of")


# ---------------------------------------------------------------------------
# call_pure
# ---------------------------------------------------------------------------

def test_call_pure_names_the_argument_changed_in_place():
    def step(param, grad, m):
        m *= 0.9
        return param - grad, m

    param, grad, m = np.ones(3), np.full(3, 0.5), np.full(3, 2.0)
    (new_param, new_m), problem = call_pure(step, param, grad, m)
    assert problem.startswith("Your function changed its input `m` in place")
    assert np.array_equal(m, np.full(3, 2.0))           # the caller's arrays are untouched
    assert np.array_equal(new_m, np.full(3, 1.8))


def test_call_pure_keyword_arguments_and_clean_functions():
    def scale(x, *, factor):
        factor[0] = 0
        return x

    assert call_pure(scale, np.ones(1), factor=[3])[1].startswith(
        "Your function changed its input `factor`")
    assert call_pure(lambda a, b: a + b, np.ones(2), np.ones(2))[1] is None


def test_call_pure_lets_not_implemented_through():
    def blank(x):
        raise NotImplementedError("Your code here")

    with pytest.raises(NotImplementedError):
        call_pure(blank, np.ones(2))


# ---------------------------------------------------------------------------
# check: points, statuses and the report
# ---------------------------------------------------------------------------

def test_all_cases_pass_prints_one_line(toy_tasks, capsys):
    result = check("_core_double", lambda x: 2 * x)
    assert capsys.readouterr().out == "_core_double: 4/4 points - all 6 cases passed\n"
    assert (result.points, result.max_points, result.status) == (4, 4, "ok")
    assert len(result.cases) == 6 and all(case.passed for case in result.cases)


def test_partial_points_are_floored_and_failures_explained(toy_tasks, capsys):
    calls = []

    def right_four_times(x):
        calls.append(x)
        return 2 * x if len(calls) <= 4 else 2 * x + 1

    result = check("_core_double", right_four_times)
    out = capsys.readouterr().out
    assert result.points == 2          # floor(4 points * 4 / 6 cases) = floor(2.67)
    assert result.status == "partial"
    assert out.startswith("_core_double: 2/4 points - 4 of 6 cases passed\n")
    assert out.count("  FAILED: x of shape (") == 2
    assert "    expected: [" in out and "    got:      [" in out
    assert "    problem:  values differ: " in out and "max abs error 1, max rel error" in out


def test_report_shows_at_most_three_failures_and_the_mistake_hint(toy_tasks, capsys):
    result = check("_core_double", lambda x: x + 2)
    out = capsys.readouterr().out
    assert result.points == 0 and result.status == "partial"
    assert out.count("  FAILED:") == 3
    assert "  ... and 3 more failed cases" in out
    assert out.count("    hint:     You added 2 instead of multiplying by 2.") == 3


def test_mutating_the_input_costs_a_case(toy_tasks, capsys):
    def in_place(x):
        x *= 2
        return x

    result = check("_core_double", in_place)
    assert result.status == "partial"
    assert sum(not case.passed for case in result.cases) == 6
    assert "changed its input `x` in place" in capsys.readouterr().out


def test_not_attempted(toy_tasks, capsys):
    def blank(x):
        raise NotImplementedError("Your code here")

    result = check("_core_double", blank)
    assert capsys.readouterr().out == "_core_double: not attempted (0/4 points)\n"
    assert (result.points, result.status) == (0, "not attempted")


def test_an_exception_gives_zero_points_type_message_and_where(toy_tasks, capsys):
    def broken(x):
        scale = 0
        return x / scale if isinstance(x, float) else 1 / scale

    result = check("_core_double", broken)
    out = capsys.readouterr().out
    assert (result.points, result.status) == (0, "error")
    first = out.splitlines()[0]
    assert first == ("_core_double: error (0/4 points) - your code raised "
                     "ZeroDivisionError: division by zero")
    assert re.search(r"\n    where:    line \d+ of broken: return x / scale if isinstance", out)
    assert "    hint:     Something divides by zero" in out
    assert "Traceback" not in out


def test_check_never_raises(toy_tasks, capsys):
    def leaves(x):
        sys.exit(3)

    assert check("_core_double", leaves).status == "error"
    assert "sys.exit(3) was called" in capsys.readouterr().out
    result = check("no_such_task", lambda x: x)
    assert result.status == "error"
    assert "there is no task named 'no_such_task'" in capsys.readouterr().out


def test_seeds_choose_the_cases(toy_tasks, monkeypatch, capsys):
    seen = []

    def spy(x):
        seen.append(x)
        return x * x

    def cases_with(**kwargs):
        seen.clear()
        check("_core_square", spy, **kwargs)
        return list(seen)

    default = cases_with()
    assert default == list(np.random.default_rng(5).uniform(-3, 3, size=3))   # the task's seed
    assert cases_with(seed=11) == list(np.random.default_rng(11).uniform(-3, 3, size=3))
    monkeypatch.setenv(core.SEED_VARIABLE, "11")
    assert cases_with() == cases_with(seed=11)
    assert cases_with(seed=5) == default        # an explicit seed wins over the variable
    capsys.readouterr()


def test_values_are_printed_short(toy_tasks, capsys):
    @task("_core_big", exercise="_core_toy", points=1, title="A big array")
    def run(student, rng):
        yield compare("x of shape (100,)", student(), np.arange(100.0))

    check("_core_big", lambda: np.arange(100.0) + 1 / 3)
    out = capsys.readouterr().out
    assert "0.333333" in out and "0.3333333" not in out     # precision 6
    assert "..." in out and "(shape (100,), float64)" in out
    assert max(len(line) for line in out.splitlines()) < 120


def test_result_shows_nothing_extra_in_a_notebook(toy_tasks, capsys):
    result = check("_core_square", lambda x: x * x)
    assert result._ipython_display_() is None
    assert result.message == capsys.readouterr().out.rstrip("\n")


# ---------------------------------------------------------------------------
# Registration
# ---------------------------------------------------------------------------

def test_tasks_are_listed_per_exercise_in_registration_order(toy_tasks):
    assert [t.name for t in exercise_tasks("_core_toy")] == ["_core_double", "_core_square"]
    the_task = TASKS["_core_square"]
    assert (the_task.points, the_task.seed, the_task.target, the_task.title) == (
        3, 5, "_core_square", "Square a number")


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(points=0), ValueError, "`points` must be a finite number > 0"),
    (dict(points="4"), TypeError, "`points` must be a number"),
    (dict(exercise=""), TypeError, "`exercise` must be a non-empty string"),
    (dict(seed=-1), TypeError, "`seed` must be an integer >= 0"),
    (dict(target="not a name"), ValueError, "`target` must be a Python name"),
])
def test_task_rejects_bad_arguments(kwargs, error, words):
    arguments = dict(exercise="_core_toy", points=1, title="t") | kwargs
    with pytest.raises(error, match=words):
        task("_core_bad", **arguments)


def test_a_task_name_belongs_to_one_exercise(toy_tasks):
    with pytest.raises(ValueError, match="already used by exercise '_core_toy'"):
        task("_core_double", exercise="_core_other", points=1, title="t")(lambda s, r: iter(()))


# ---------------------------------------------------------------------------
# Reading submissions (used by the batch grader)
# ---------------------------------------------------------------------------

def _notebook(sources, metadata=None):
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": metadata or {},
            "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": s}
                      for s in sources]}


def test_exercise_comes_from_metadata_then_check_calls(toy_tasks):
    named = _notebook(["x = 1"], {"optimizers_course": {"exercise": "_core_toy"}})
    assert runner.identify_exercise(named) == "_core_toy"
    by_checks = _notebook(["check('_core_square', f)", 'check("_core_double", g)'])
    assert runner.identify_exercise(by_checks) == "_core_toy"
    unknown = _notebook(["check('nothing_known', f)"], {"optimizers_course": {"exercise": "99_x"}})
    assert runner.identify_exercise(unknown) is None


@pytest.mark.parametrize("content, words", [
    (b"{not json", "not valid JSON"),
    (b"\xff\xfe\x00", "not text"),
    (b"[1, 2]", "no list of cells"),
    (json.dumps({"nbformat": 3, "cells": []}).encode(), "format 4"),
    (json.dumps({"nbformat": 4, "cells": [{"cell_type": "code"}]}).encode(), "cell 1 is malformed"),
])
def test_read_notebook_says_what_is_wrong(tmp_path, content, words):
    path = tmp_path / "x.ipynb"
    path.write_bytes(content)
    with pytest.raises(runner.InvalidNotebook, match=words):
        runner.read_notebook(path)


def test_read_notebook_refuses_huge_files(tmp_path, monkeypatch):
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(_notebook(["x = 1"])))
    assert runner.read_notebook(path)["cells"][0]["source"] == "x = 1"
    monkeypatch.setattr(runner, "MAX_NOTEBOOK_BYTES", 10)
    with pytest.raises(runner.InvalidNotebook, match="more than"):
        runner.read_notebook(path)


def test_ipython_lines_are_skipped():
    assert runner.python_source("%%bash\nrm -rf /") == ""
    assert runner.python_source("%%time\nx = 1") == "x = 1"
    assert runner.python_source("if True:\n    !pip install x\n    %time y = 2") == \
        "if True:\n    pass\n    pass"


@pytest.fixture
def restore_main():
    saved_main, saved_argv = sys.modules["__main__"], sys.argv
    yield
    sys.modules["__main__"], sys.argv = saved_main, saved_argv


def test_run_cells_goes_on_after_errors(restore_main):
    cells = [(1, "a = 1"), (2, "raise ValueError('boom')"), (3, "import sys; sys.exit(4)"),
             (5, "def f(:"), (6, "b = a + 1")]
    namespace, errors = runner.run_cells(cells)
    assert namespace["b"] == 2
    assert errors == ["cell 2 raised ValueError: boom (line 1)",
                      "cell 3 called sys.exit(4)",
                      "cell 5 raised SyntaxError: invalid syntax (<cell 5>, line 1) (line 1)"]


def test_docstring_examples_of_the_grading_modules():
    for module in (core, runner):
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0, module.__name__
