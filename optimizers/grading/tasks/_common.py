"""Helpers shared by the exercise checks: random inputs and calls that watch for mutation.

Every check draws its shapes and numbers from the ``rng`` it is given, so a learner
who hard-codes one answer fails the other cases. The helpers here keep the task
modules short and make them all behave the same way.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..core import Case, call_pure, compare

#: Shapes a parameter can have in the checks: a vector, a matrix, a 3-D block.
_NDIMS = (1, 2, 3)


def random_shape(rng, max_size=24) -> tuple[int, ...]:
    """A random parameter shape with 1 to 3 axes and at most ``max_size`` entries."""
    while True:
        ndim = int(rng.choice(_NDIMS))
        shape = tuple(int(d) for d in rng.integers(1, 6, size=ndim))
        if int(np.prod(shape)) <= max_size:
            return shape


def log_uniform(rng, low, high) -> float:
    """A number between ``low`` and ``high`` whose logarithm is uniform (for rates)."""
    return float(np.exp(rng.uniform(np.log(low), np.log(high))))


def describe(shape, dtype=np.float64, **values) -> str:
    """A short case description, e.g. ``"param (3, 4) float64, lr=0.01, t=7"``."""
    parts = [f"param {tuple(shape)} {np.dtype(dtype).name}"]
    for name, value in values.items():
        if isinstance(value, float):
            parts.append(f"{name}={value:.4g}")
        else:
            parts.append(f"{name}={value!r}")
    return ", ".join(parts)


def check_result(description, got, expected, *, mistakes=None, rtol=1e-7, atol=1e-12) -> Case:
    """``compare`` with only the mistakes that the case can tell apart from the right answer.

    A mistake whose value is within tolerance of the expected one (epsilon placement
    with a tiny epsilon, a wrong sign on a zero gradient...) cannot be what went wrong
    when a case fails, so its hint is not offered for this case.
    """
    distinct = {hint: value for hint, value in (mistakes or {}).items()
                if not compare("", value, expected, rtol=rtol, atol=atol).passed}
    return compare(description, got, expected, mistakes=distinct, rtol=rtol, atol=atol)


def pure_case(description, student, args, kwargs=None, *, expected, mistakes=None,
              rtol=1e-7, atol=1e-12) -> Case:
    """Call ``student(*args, **kwargs)`` on copies, compare with ``expected``.

    The case fails (with the mutation hint) when the learner's function changed
    one of its inputs in place, even if the returned values are right: the
    exercises ask for pure functions, and a caller's arrays must stay as they were.
    """
    got, problem = call_pure(student, *args, **(kwargs or {}))
    case = check_result(description, got, expected, mistakes=mistakes, rtol=rtol, atol=atol)
    if problem is not None:
        case.passed = False
        case.hint = problem
        case.reason = case.reason or "an input was modified in place"
    return case


def call_watching(student, args, names):
    """Call ``student(*args)`` with copies of the array arguments; report one it modified.

    ``call_pure`` deep-copies everything and compares afterwards; that cannot be used
    when an argument is a random generator, whose state is *meant* to advance. This
    copies only the arrays and returns ``(result, problem)`` like ``call_pure``.
    """
    passed = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    result = student(*passed)
    for name, original, given in zip(names, args, passed):
        if isinstance(original, np.ndarray) and not np.array_equal(original, given):
            return result, (f"Your function changed its input `{name}` in place; return new "
                            f"arrays instead (e.g. `w = w - step`, not `w -= step`).")
    return result, None


def scalar_series(description, values, expected, *, mistakes=None, rtol=1e-7, atol=1e-12) -> Case:
    """Compare a list of numbers the learner returned, one per step, with ``expected``.

    If an entry is not a real number (None, an array, a string), the case reports
    that entry with its step, so the learner sees the first bad value rather than a
    failed conversion.
    """
    for step, value in enumerate(values):
        if isinstance(value, np.ndarray) and value.ndim == 0:
            value = value[()]
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            return compare(f"{description}; step {step}", value, float(expected[step]))
    got = np.array([float(v) for v in values], dtype=np.float64)
    return check_result(description, got, np.asarray(expected, dtype=np.float64),
                        mistakes=mistakes, rtol=rtol, atol=atol)
