"""Argument checks shared by every optimizer.

Each check either returns the value (converted to a plain Python type) or raises an
error whose message names the argument, what was received and what is allowed, so a
learner who types ``Adam(beta_1=1.2)`` is told exactly what to change.
"""

from __future__ import annotations

import math
import numbers


def real(name: str, value) -> float:
    """Return ``value`` as a float, or raise TypeError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"`{name}` must be a real number, got {value!r} ({type(value).__name__}).")
    value = float(value)
    if math.isnan(value):
        raise ValueError(f"`{name}` must be a number, got NaN.")
    return value


def non_negative(name: str, value) -> float:
    """A finite number >= 0 (learning rates, momentum, weight decay)."""
    value = real(name, value)
    if not (0.0 <= value < math.inf):
        raise ValueError(f"`{name}` must be a finite number >= 0, got {value!r}.")
    return value


def positive(name: str, value) -> float:
    """A finite number > 0 (epsilon, clipping thresholds)."""
    value = real(name, value)
    if not (0.0 < value < math.inf):
        raise ValueError(f"`{name}` must be a finite number > 0, got {value!r}.")
    return value


def unit_interval(name: str, value) -> float:
    """A decay rate in [0, 1): 1 would freeze the moving average forever."""
    value = real(name, value)
    if not (0.0 <= value < 1.0):
        raise ValueError(f"`{name}` must be in [0, 1), got {value!r}.")
    return value


def optional(check, name: str, value):
    """``None`` (the feature is off) or a value that passes ``check``."""
    return None if value is None else check(name, value)


def boolean(name: str, value) -> bool:
    """A real ``True``/``False`` (not 0/1 or a string, which hide typos)."""
    if not isinstance(value, bool):
        raise TypeError(f"`{name}` must be True or False, got {value!r}.")
    return value


def integer(name: str, value, minimum: int) -> int:
    """An integer >= ``minimum`` (step counts such as Lookahead's ``k``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"`{name}` must be an integer, got {value!r}.")
    if value < minimum:
        raise ValueError(f"`{name}` must be an integer >= {minimum}, got {value!r}.")
    return int(value)


def moment_hyperparameters(beta_1, beta_2, epsilon) -> tuple[float, float, float]:
    """The Adam family's ``beta_1``, ``beta_2`` in [0, 1) and ``epsilon`` > 0."""
    return unit_interval("beta_1", beta_1), unit_interval("beta_2", beta_2), positive("epsilon", epsilon)
