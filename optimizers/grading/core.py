"""The checks behind the exercises: tasks, cases, comparisons and reports.

An exercise's check is a *task*: a generator that calls the learner's function on
random inputs and yields one :class:`Case` per thing it tried. :func:`check` runs a
task, turns the cases into points and prints a short report with, for each failed
case, what was expected, what came back and a hint at the likely mistake::

    @task("double", exercise="00_demo", points=2, title="Double a number")
    def run(student, rng):
        for x in rng.normal(size=3):
            yield compare(f"x = {x:.3f}", student(x), 2 * x,
                          mistakes={"You added instead of multiplying.": x + 2})

    check("double", my_double)      # double: 2/2 points - all 3 cases passed

Points: full points when every case passes, otherwise
``floor(points * passed / total)``; 0 when the learner's code raises.
"""

from __future__ import annotations

import copy
import inspect
import linecache
import math
import numbers
import os
import sysconfig
import traceback
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

#: Environment variable that replaces every task's seed (the batch grader sets it,
#: so submissions meet other random cases than the ones the notebook checks showed).
SEED_VARIABLE = "OPTIMIZERS_GRADING_SEED"
#: Environment variable: comma-separated extra modules that register tasks.
TASK_MODULES_VARIABLE = "OPTIMIZERS_GRADING_TASK_MODULES"

#: How many failed cases a report shows in full.
FAILURES_SHOWN = 3


@dataclass
class Case:
    """One thing a task tried, and whether the learner's code got it right.

    Args:
        description: what was tried, e.g. ``"params (3, 4) float64, t=7, lr=0.01"``.
        passed: True if the result was right.
        expected: the right answer (shown when the case failed).
        got: what the learner's code returned.
        hint: for a failed case, the likely mistake and what to do about it.
        reason: for a failed case, what is wrong with ``got`` (type, shape, values...).
    """

    description: str
    passed: bool
    expected: object = None
    got: object = None
    hint: str = ""
    reason: str = ""


@dataclass
class Result:
    """The outcome of one task: points, status, the cases and the printed report.

    ``status`` is ``"ok"`` (every case passed), ``"partial"`` (some failed),
    ``"not attempted"`` (the code still raises NotImplementedError) or ``"error"``
    (the code raised another exception, or the task could not run).
    """

    name: str
    points: float
    max_points: float
    status: str
    cases: list = field(default_factory=list)
    message: str = ""

    def _ipython_display_(self):
        # check() has printed the report already; a notebook cell ending in
        # check(...) would otherwise show this object a second time.
        pass


@dataclass(frozen=True)
class Task:
    """A registered check: see :func:`task`.

    ``target`` is the name of the learner's function or class that the batch
    grader looks up in a notebook (by default the task's own name).
    """

    name: str
    exercise: str
    points: float
    title: str
    seed: int
    run: Callable
    target: str


#: Every registered task by name, in registration order.
TASKS: dict[str, Task] = {}


def task(name, *, exercise, points, title, seed=0, target=None):
    """Decorator that registers a check generator as ``TASKS[name]``.

    The decorated function is called as ``run(student, rng)`` with the learner's
    function (or class) and ``rng = np.random.default_rng(seed)``, and yields
    :class:`Case` objects. Draw shapes and values from ``rng`` so that a hard-coded
    answer fails.

    Args:
        name: unique task name; it is also what the learner passes to :func:`check`.
        exercise: the exercise it belongs to, e.g. ``"05_adam"``.
        points: points for a fully correct answer (> 0).
        title: one line saying what the task checks.
        seed: default seed of the random cases.
        target: name of the learner's object in the notebook (default: ``name``).

    >>> @task("_doc_square", exercise="_doc", points=1, title="Square a number")
    ... def run(student, rng):
    ...     yield compare("x = 3", student(3), 9)
    >>> TASKS["_doc_square"].points
    1
    >>> del TASKS["_doc_square"]
    """
    for argument, value in (("name", name), ("exercise", exercise), ("title", title)):
        if not isinstance(value, str) or not value:
            raise TypeError(f"`{argument}` must be a non-empty string, got {value!r}.")
    if isinstance(points, bool) or not isinstance(points, numbers.Real):
        raise TypeError(f"`points` must be a number, got {points!r}.")
    if not (0 < points < math.inf):
        raise ValueError(f"`points` must be a finite number > 0, got {points!r}.")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise TypeError(f"`seed` must be an integer >= 0, got {seed!r}.")
    target = name if target is None else target
    if not isinstance(target, str) or not target.isidentifier():
        raise ValueError(f"`target` must be a Python name, got {target!r}.")

    def register(run):
        if not callable(run):
            raise TypeError(f"@task({name!r}) must decorate a function, got {run!r}.")
        old = TASKS.get(name)
        if old is not None and old.exercise != exercise:
            raise ValueError(f"Task name {name!r} is already used by exercise {old.exercise!r}.")
        # Re-registering (a reloaded module) replaces the task and keeps its place.
        TASKS[name] = Task(name, exercise, points, title, int(seed), run, target)
        return run

    return register


def exercise_tasks(exercise) -> list[Task]:
    """The tasks of one exercise, in registration order.

    >>> exercise_tasks("no such exercise")
    []
    """
    return [t for t in TASKS.values() if t.exercise == exercise]


def load_task_modules() -> None:
    """Import the course's tasks and any modules listed in ``OPTIMIZERS_GRADING_TASK_MODULES``.

    The course's tasks live in :mod:`optimizers.grading.tasks`; a course without
    exercises yet has no such package, which is fine. Extra modules (comma
    separated) let an instructor or a test add tasks of their own.
    """
    import importlib

    try:
        importlib.import_module("optimizers.grading.tasks")
    except ModuleNotFoundError as error:
        if error.name != "optimizers.grading.tasks":
            _warn_broken_tasks(error)
    except Exception as error:
        # A bug in one exercise's checks must not stop every notebook from
        # importing `check`: warn, and the affected checks say they are missing.
        _warn_broken_tasks(error)
    for module_name in os.environ.get(TASK_MODULES_VARIABLE, "").split(","):
        if module_name.strip():
            importlib.import_module(module_name.strip())


def _warn_broken_tasks(error):
    import warnings

    warnings.warn(f"Could not load the course's exercise checks (optimizers.grading.tasks): "
                  f"{type(error).__name__}: {error}", RuntimeWarning, stacklevel=3)


# ---------------------------------------------------------------------------
# Comparing a result with the expected one
# ---------------------------------------------------------------------------

def compare(description, got, expected, *, mistakes=None, rtol=1e-7, atol=1e-12) -> Case:
    """Compare the learner's result with the expected one and explain any difference.

    Numbers and arrays pass when ``|got - expected| <= atol + rtol * |expected|``
    entry by entry (NaN matches NaN); tuples and lists are compared item by item.
    A failed case says why: wrong type or number of values, wrong shape, wrong
    dtype (float32 must stay float32, integers integers, booleans booleans; a
    float64 ``expected`` accepts any real dtype), NaN/inf values, or values off
    (with the largest absolute and relative errors).

    Args:
        description: what was tried (shown for a failed case).
        got: the learner's result.
        expected: the right answer: a number, an ndarray, or a tuple/list of them.
        mistakes: maps a hint to the value that mistake would produce; if ``got``
            matches one of them, that hint is the case's hint.
        rtol, atol: relative and absolute tolerance.

    >>> compare("x = 2", 4.0, 4.0).passed
    True
    >>> case = compare("x = 2", 2.0, 4.0, mistakes={"You returned x itself.": 2.0})
    >>> case.passed, case.hint
    (False, 'You returned x itself.')
    >>> compare("shape", np.zeros((2, 3)), np.zeros((3, 2))).reason
    'wrong shape: expected (3, 2), got (2, 3)'
    """
    reason, hint = _difference(got, expected, rtol, atol)
    if reason is None:
        return Case(description, True, expected, got)
    for mistake_hint, wrong_value in (mistakes or {}).items():
        if _difference(got, wrong_value, rtol, atol)[0] is None:
            hint = mistake_hint
            break
    return Case(description, False, expected, got, hint=hint, reason=reason)


def _difference(got, expected, rtol, atol):
    """(reason, default hint) if ``got`` differs from ``expected``, else (None, "")."""
    if isinstance(expected, (tuple, list)):
        return _sequence_difference(got, expected, rtol, atol)
    if got is None and expected is not None:
        return "got None", "Did you forget the `return` statement?"
    if isinstance(expected, np.ndarray):
        return _array_difference(got, expected, rtol, atol)
    if isinstance(expected, (bool, np.bool_)):
        if isinstance(got, (bool, np.bool_)) and bool(got) == bool(expected):
            return None, ""
        return f"expected {bool(expected)}, got {_short(got)}", ""
    if isinstance(expected, numbers.Number):
        return _number_difference(got, expected, rtol, atol)
    try:
        same = type(got) is type(expected) and bool(got == expected)
    except Exception:  # an odd object whose == fails is simply not equal
        same = False
    return (None, "") if same else (f"expected {_short(expected)}, got {_short(got)}", "")


def _sequence_difference(got, expected, rtol, atol):
    count = len(expected)
    if not isinstance(got, (tuple, list)):
        return (f"wrong type: expected {count} values (a {type(expected).__name__}), "
                f"got {type(got).__name__}",
                f"Return all {count} values, e.g. `return a, b`, in the order the docstring gives.")
    if len(got) != count:
        return (f"wrong number of values: expected {count}, got {len(got)}",
                f"Return exactly {count} values, in the order the docstring gives.")
    for index, (got_item, expected_item) in enumerate(zip(got, expected)):
        reason, hint = _difference(got_item, expected_item, rtol, atol)
        if reason is not None:
            return f"value {index + 1} of {count}: {reason}", hint
    return None, ""


def _array_difference(got, expected, rtol, atol):
    if not isinstance(got, np.ndarray):
        return (f"wrong type: expected a NumPy array, got {type(got).__name__}",
                "Return a NumPy array (np.asarray(...) turns a list into one).")
    if got.shape != expected.shape:
        hint = "Check which axis you sum or average over, and that nothing broadcast to a larger shape."
        if got.ndim == 2 and got.shape == expected.shape[::-1]:
            hint = "The result looks transposed: check the order of a matrix product or a missing .T."
        return f"wrong shape: expected {expected.shape}, got {got.shape}", hint
    numeric = "biuf"
    if expected.dtype.kind not in numeric or got.dtype.kind not in numeric:
        equal = got.dtype == expected.dtype and np.array_equal(got, expected)
        return (None, "") if equal else (f"expected {_short(expected)}, got {_short(got)}", "")
    dtype_problem = f"wrong dtype: expected {expected.dtype}, got {got.dtype}"
    if expected.dtype.kind == "f" and expected.dtype != np.float64 and got.dtype != expected.dtype:
        return (dtype_problem,
                f"Keep the inputs' dtype: mixing in a float64 array upcasts the result; "
                f"cast with .astype({expected.dtype.name}) or build constants from the inputs.")
    if expected.dtype.kind in "iu" and got.dtype.kind not in "iu":
        return dtype_problem, "Return whole numbers as an integer array (e.g. with .astype(int))."
    if expected.dtype.kind == "b" and got.dtype.kind != "b":
        return dtype_problem, "Return a boolean array, e.g. the result of a comparison like `x > 0`."
    with np.errstate(all="ignore"):
        got_f = got.astype(np.float64)
        expected_f = expected.astype(np.float64)
        bad = ~np.isfinite(got_f) & np.isfinite(expected_f)
        if bad.any():
            return (f"non-finite values: {int(bad.sum())} of {bad.size} entries are NaN or inf",
                    "NaN or inf usually comes from dividing by zero or the square root of a "
                    "negative number: check where epsilon goes and what is under the root.")
        close = np.isclose(got_f, expected_f, rtol=rtol, atol=atol, equal_nan=True)
        if close.all():
            return None, ""
        error = np.abs(got_f - expected_f)
        error = np.where(np.isnan(error) | np.isinf(error), np.inf, error)
        relative = error / np.where(expected_f != 0, np.abs(expected_f), np.nan)
        finite_rel = relative[np.isfinite(relative)]
        rel_text = f", max rel error {finite_rel.max():.3g}" if finite_rel.size else ""
    off = int((~close).sum())
    return (f"values differ: {off} of {close.size} entries off, "
            f"max abs error {error.max():.3g}{rel_text}", "")


def _number_difference(got, expected, rtol, atol):
    if isinstance(got, np.ndarray) and got.ndim == 0:
        got = got[()]
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, numbers.Number):
        return (f"wrong type: expected a single number, got {type(got).__name__}",
                "Return one number (e.g. a float), not an array or a list.")
    if isinstance(got, numbers.Complex) and not isinstance(got, numbers.Real):
        return (f"wrong type: expected a real number, got {got!r}",
                "Check for a square root of a negative number.")
    got, expected = float(got), float(expected)
    if not math.isfinite(got) and math.isfinite(expected):
        return (f"non-finite value: got {got}",
                "NaN or inf usually comes from dividing by zero or the square root of a "
                "negative number.")
    if math.isclose(got, expected, rel_tol=rtol, abs_tol=atol) or got == expected:
        return None, ""
    if math.isnan(got) and math.isnan(expected):
        return None, ""
    error = abs(got - expected)
    rel_text = f", rel error {error / abs(expected):.3g}" if expected != 0 else ""
    return f"values differ: abs error {error:.3g}{rel_text}", ""


# ---------------------------------------------------------------------------
# Calling the learner's function without letting it change our inputs
# ---------------------------------------------------------------------------

def call_pure(student_fn, *args, **kwargs):
    """Call ``student_fn`` on deep copies of the arguments; report in-place changes.

    Returns ``(result, problem)``: ``problem`` is None, or a hint naming the first
    argument the function changed in place. NotImplementedError (and any other
    exception) from the function propagates.

    >>> def bump(x):
    ...     x += 1
    ...     return x
    >>> result, problem = call_pure(bump, np.zeros(2))
    >>> print(problem)
    Your function changed its input `x` in place; return new arrays instead (e.g. `x = x + 1`, not `x += 1`).
    >>> call_pure(lambda x: x + 1, np.zeros(2))[1] is None
    True
    """
    copied_args = copy.deepcopy(args)
    copied_kwargs = copy.deepcopy(kwargs)
    result = student_fn(*copied_args, **copied_kwargs)
    names = _argument_names(student_fn, len(args))
    for index, (original, passed) in enumerate(zip(args, copied_args)):
        if not _same_value(original, passed):
            return result, _mutation_hint(names[index])
    for name, original in kwargs.items():
        if not _same_value(original, copied_kwargs[name]):
            return result, _mutation_hint(name)
    return result, None


def _argument_names(function, count):
    """Names of the first ``count`` positional parameters (fallback: "argument N")."""
    names = [f"argument {i + 1}" for i in range(count)]
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return names
    positional = [p.name for p in parameters
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return positional[:count] + names[len(positional):]


def _mutation_hint(name):
    return (f"Your function changed its input `{name}` in place; return new arrays instead "
            f"(e.g. `x = x + 1`, not `x += 1`).")


def _same_value(a, b) -> bool:
    """Deep equality for the things tasks pass in: arrays, numbers, containers, objects."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape
                and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if isinstance(a, (list, tuple)):
        return (type(a) is type(b) and len(a) == len(b)
                and all(_same_value(x, y) for x, y in zip(a, b)))
    if isinstance(a, dict):
        return (isinstance(b, dict) and a.keys() == b.keys()
                and all(_same_value(a[k], b[k]) for k in a))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if hasattr(a, "__dict__") and type(a) is type(b) and not callable(a):
        return _same_value(vars(a), vars(b))
    try:
        return bool(a == b)
    except Exception:
        return a is b


# ---------------------------------------------------------------------------
# Running a task and reporting
# ---------------------------------------------------------------------------

def grade(name, student, *, seed=None) -> Result:
    """Run task ``name`` on ``student`` and return its :class:`Result`, printing nothing.

    Never raises for problems in the learner's code: they become the result's
    status and message. See :func:`check` for the seed.
    """
    if name not in TASKS:
        known = ", ".join(sorted(TASKS)) or "none registered"
        message = f"check: there is no task named {name!r} (known tasks: {known})."
        return Result(str(name), 0, 0, "error", [], message)
    the_task = TASKS[name]
    rng = np.random.default_rng(_seed_for(the_task, seed))
    cases: list[Case] = []
    try:
        for case in the_task.run(student, rng):
            if not isinstance(case, Case):
                raise _TaskBug(f"task {name!r} yielded {type(case).__name__}, not a Case")
            cases.append(case)
    except NotImplementedError:
        result = Result(name, 0, the_task.points, "not attempted", cases)
    except (KeyboardInterrupt, GeneratorExit):
        raise
    except _TaskBug as bug:
        result = Result(name, 0, the_task.points, "error", cases)
        result.message = f"{name}: error (0/{_fmt(the_task.points)} points) - {bug}"
        return result
    except BaseException as error:  # SystemExit too: the notebook must keep running
        result = Result(name, 0, the_task.points, "error", cases)
        result.message = _error_report(result, error)
        return result
    else:
        result = _score(the_task, cases)
    result.message = format_result(result)
    return result


def check(name, student, *, seed=None) -> Result:
    """Check the learner's ``student`` against task ``name`` and print a short report.

    All cases pass: one line, e.g. ``adam_step: 4/4 points - all 6 cases passed``.
    Otherwise the points line, then up to three failed cases with expected vs got
    and a hint. Code that still raises NotImplementedError is "not attempted";
    any other exception gives 0 points and its type and message. Never raises,
    so the notebook keeps running.

    Args:
        name: the task's name, e.g. ``"adam_step"``.
        student: the learner's function or class.
        seed: seed of the random cases; None uses the task's own seed, or the
            ``OPTIMIZERS_GRADING_SEED`` environment variable when it is set.

    Returns:
        The :class:`Result` (points, status, cases, and the printed text as ``message``).
    """
    try:
        result = grade(name, student, seed=seed)
    except (KeyboardInterrupt, GeneratorExit):
        raise
    except BaseException as error:  # e.g. a learner's object whose repr raises
        result = Result(str(name), 0, 0, "error", [], f"{name}: the check itself failed "
                        f"({type(error).__name__}: {error}).")
    print(result.message)
    return result


class _TaskBug(Exception):
    """A task that does not follow the protocol (a bug in the course, not the learner's)."""


def _seed_for(the_task, seed):
    if seed is not None:
        return seed
    text = os.environ.get(SEED_VARIABLE, "").strip()
    try:
        return int(text) if text else the_task.seed
    except ValueError:
        return the_task.seed


def _score(the_task, cases) -> Result:
    total = len(cases)
    passed = sum(case.passed for case in cases)
    if total == 0:
        return Result(the_task.name, 0, the_task.points, "error", cases,
                      f"{the_task.name}: error - the task tried no cases (a bug in the course).")
    if passed == total:
        return Result(the_task.name, the_task.points, the_task.points, "ok", cases)
    points = math.floor(the_task.points * passed / total)
    return Result(the_task.name, points, the_task.points, "partial", cases)


def format_result(result: Result) -> str:
    """The report :func:`check` prints for ``result`` (also used in batch feedback)."""
    head = f"{result.name}: {_fmt(result.points)}/{_fmt(result.max_points)} points"
    if result.status == "not attempted":
        return f"{result.name}: not attempted (0/{_fmt(result.max_points)} points)"
    if result.status == "error" and result.message:
        return result.message
    total = len(result.cases)
    failed = [case for case in result.cases if not case.passed]
    if not failed:
        return f"{head} - all {total} cases passed"
    lines = [f"{head} - {total - len(failed)} of {total} cases passed"]
    for case in failed[:FAILURES_SHOWN]:
        lines.append(f"  FAILED: {case.description}")
        if case.expected is not None or case.got is not None:
            lines.append(_labelled("expected", _short(case.expected)))
            lines.append(_labelled("got", _short(case.got)))
        if case.reason:
            lines.append(_labelled("problem", case.reason))
        if case.hint:
            lines.append(_labelled("hint", case.hint))
    hidden = len(failed) - FAILURES_SHOWN
    if hidden > 0:
        lines.append(f"  ... and {hidden} more failed case{'s' if hidden > 1 else ''}")
    return "\n".join(lines)


def _labelled(label, text):
    """``    label:   text`` with continuation lines lined up under the text."""
    prefix = f"    {label + ':':<10}"
    return prefix + str(text).replace("\n", "\n" + " " * len(prefix))


def _fmt(points):
    """Points without a pointless ".0": 4, 2.5."""
    return f"{points:g}"


def _short(value, limit=300):
    """A compact text form of a value for a report."""
    try:
        if isinstance(value, np.ndarray):
            text = np.array2string(value, precision=6, threshold=12, edgeitems=2)
            if value.ndim > 0:
                text += f"  (shape {value.shape}, {value.dtype})"
        elif isinstance(value, (tuple, list)) and len(value) <= 8:
            inner = ", ".join(_short(item, limit) for item in value)
            text = f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
        elif isinstance(value, (float, np.floating)):
            text = f"{float(value):.6g}"
        else:
            text = repr(value)
    except Exception as error:  # a learner's object whose repr is broken
        text = f"<{type(value).__name__} that cannot be shown: {type(error).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


# ---------------------------------------------------------------------------
# Explaining an exception raised by the learner's code
# ---------------------------------------------------------------------------

def _error_report(result, error) -> str:
    kind = type(error).__name__
    detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
    if isinstance(error, SystemExit):
        detail = f"sys.exit({error.code!r}) was called"
    text = f"{kind}: {detail}" if detail else kind
    if len(text) > 300:
        text = text[:297] + "..."
    lines = [f"{result.name}: error (0/{_fmt(result.max_points)} points) - your code raised {text}"]
    where = _learner_frame(error)
    if where:
        lines.append(_labelled("where", where))
    passed = sum(case.passed for case in result.cases)
    if result.cases:
        lines.append(_labelled("before", f"{passed} of {len(result.cases)} cases tried so far passed"))
    lines.append(_labelled("hint", _exception_hint(error)))
    return "\n".join(lines)


def _library_folders():
    """Folders whose frames are not the learner's code: this package, the library, Python's own."""
    here = os.path.dirname(os.path.abspath(__file__))
    folders = {here, os.path.dirname(here)}  # optimizers/grading and optimizers/
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(key)
        if path:
            folders.add(os.path.abspath(path))
    return tuple(folder + os.sep for folder in folders)


def _learner_frame(error) -> str:
    """``line N of function: source`` for the innermost frame in the learner's code."""
    skip = _library_folders()
    found = None
    for frame in traceback.extract_tb(error.__traceback__):
        filename = frame.filename
        if filename.startswith("<frozen"):
            continue
        if not filename.startswith("<") and os.path.abspath(filename).startswith(skip):
            continue
        found = frame
    if found is None:
        return ""
    line = (found.line or linecache.getline(found.filename, found.lineno)).strip()
    where = f"line {found.lineno} of {found.name}"
    return f"{where}: {line}" if line else where


def _exception_hint(error) -> str:
    message = str(error)
    if isinstance(error, SystemExit):
        return "Do not call sys.exit() or exit() in an exercise: return the result instead."
    if isinstance(error, TypeError) and ("argument" in message or "positional" in message):
        return ("Keep the function's signature exactly as given (argument names, order and "
                "defaults): the check calls it the way the docstring describes.")
    if isinstance(error, NameError):
        return ("A name in your code is not defined: a typo, or something defined in another "
                "cell (run the cells above first, including the imports).")
    if isinstance(error, ValueError) and ("broadcast" in message or "shape" in message):
        return "Array shapes do not fit together: print the shapes of your intermediate results."
    if isinstance(error, (ZeroDivisionError, FloatingPointError)):
        return "Something divides by zero: is epsilon in the right place?"
    if isinstance(error, AttributeError):
        return ("An object lacks the attribute you used: check the spelling, and whether you "
                "meant a NumPy function (np.sqrt(x)) rather than a method.")
    if isinstance(error, RecursionError):
        return "Your function calls itself without end."
    if isinstance(error, MemoryError):
        return "Your code needed too much memory: avoid building huge arrays or lists."
    return "Call your function by hand on a small input to see where it fails."
