"""Run an optimizer on a 2-D landscape and record the path it takes.

The optimizer's own :meth:`~optimizers.base.Optimizer.apply` does every update; this
module only feeds it gradients, records points and losses, and watches for runs that
blow up. Many runs go in one call: stack the starts as an ``(n, 2)`` array, and give
the optimizer an ``(n, 1)`` array of learning rates to sweep the rate (see
:func:`sweep`). A run that produces NaN/inf, or wanders far outside the landscape's
plotting window, is frozen at its last good point and flagged; the others go on.
"""

from __future__ import annotations

import numbers
import warnings
from dataclasses import dataclass

import numpy as np

from .base import Optimizer, check_learning_rate

#: A run counts as diverged once it is this many half-widths of the plotting window
#: away from the window's centre (10: far beyond anything a plot shows).
ESCAPE_FACTOR = 10.0


@dataclass
class Trajectory:
    """The result of :func:`run`.

    Attributes:
        points: ``(steps + 1, 2)`` for one start, ``(steps + 1, n, 2)`` for ``n`` starts;
            row 0 is the start. After a run diverges its rows repeat its last good point.
        losses: the landscape's value at each point, ``(steps + 1,)`` or ``(steps + 1, n)``.
        diverged: per run, whether it was frozen (a bool for one start).
        diverged_at: per run, the first step whose update was bad, or -1.
        optimizer: the optimizer after the run (a fresh copy of the one passed in).
        landscape: the landscape walked on.
    """

    points: np.ndarray
    losses: np.ndarray
    diverged: np.ndarray
    diverged_at: np.ndarray
    optimizer: object
    landscape: object

    @property
    def steps(self) -> int:
        return self.points.shape[0] - 1

    @property
    def final_points(self) -> np.ndarray:
        return self.points[-1]

    @property
    def final_losses(self) -> np.ndarray:
        return self.losses[-1]

    def steps_to_reach(self, loss: float) -> np.ndarray | int:
        """First step at which the loss is <= ``loss`` (-1 where never reached)."""
        below = self.losses <= loss
        first = np.where(below.any(axis=0), below.argmax(axis=0), -1)
        return int(first) if np.ndim(first) == 0 else first

    def summary(self) -> str:
        """One line per run: final loss, or where it diverged."""
        losses = np.atleast_1d(self.final_losses)
        diverged, at = np.atleast_1d(self.diverged), np.atleast_1d(self.diverged_at)
        lines = []
        for i, (loss, bad, step) in enumerate(zip(losses, diverged, at)):
            label = f"run {i}: " if losses.size > 1 else ""
            lines.append(f"{label}diverged at step {step}" if bad else f"{label}final loss {loss:.6g}")
        return "\n".join(lines)


def fresh_copy(optimizer):
    """A new optimizer with the same configuration and no state.

    :func:`run` works on such a copy, so running twice gives the same path and the
    optimizer passed in is left untouched.
    """
    if not hasattr(optimizer, "get_config") or not hasattr(type(optimizer), "from_config"):
        raise TypeError(f"`optimizer` must be an optimizer of this package, got {type(optimizer).__name__}.")
    config = optimizer.get_config()
    if "learning_rate" in config:  # keep a schedule object itself, not its description
        config["learning_rate"] = optimizer.learning_rate
    return type(optimizer).from_config(config)


def _clips_by_norm(optimizer) -> bool:
    inner = getattr(optimizer, "inner", optimizer)  # Lookahead clips through its inner optimizer
    return bool(getattr(inner, "clipnorm", None) or getattr(inner, "global_clipnorm", None))


def _check_start(start) -> np.ndarray:
    start = np.array(start, dtype=np.float64)  # a private copy, updated in place
    if start.ndim not in (1, 2) or start.shape[-1] != 2:
        raise ValueError(f"`start` must have shape (2,) or (n, 2), got {start.shape}.")
    if not np.all(np.isfinite(start)):
        raise ValueError("`start` must hold finite numbers.")
    return start


def run(optimizer, landscape, start=None, steps: int = 100, *, escape_factor: float = ESCAPE_FACTOR) -> Trajectory:
    """Run ``steps`` updates of ``optimizer`` on ``landscape`` from ``start``.

    Args:
        optimizer: e.g. ``opt.Adam(learning_rate=0.1)``; it is copied (fresh state), not
            modified. A learning-rate array of shape ``(n, 1)`` gives each of ``n`` runs
            its own rate.
        landscape: anything with ``f(xy)``, ``f.grad(xy)`` and ``bounds``
            (see :mod:`optimizers.landscapes`). A noisy landscape is ``reset()`` first,
            so the same call gives the same numbers.
        start: ``(2,)`` for one run, ``(n, 2)`` for ``n`` runs at once; defaults to the
            landscape's ``default_start``.
        steps: number of updates, >= 1.
        escape_factor: a run is stopped once it is this many half-widths of ``bounds``
            away from their centre.

    Gradient clipping by norm treats each run's 2-vector as its own gradient (as if the
    runs were done one by one); ``global_clipnorm`` is handled the same way.
    """
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 1:
        raise ValueError(f"`steps` must be an integer >= 1, got {steps!r}.")
    optimizer = fresh_copy(optimizer)
    xy = _check_start(landscape.default_start if start is None else start)
    single = xy.ndim == 1
    xy = xy.reshape(-1, 2)
    n = xy.shape[0]
    if hasattr(landscape, "reset"):
        landscape.reset()

    (x0, x1), (y0, y1) = landscape.bounds
    centre = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
    half_width = np.array([(x1 - x0) / 2, (y1 - y0) / 2])

    points = np.empty((steps + 1, n, 2))
    losses = np.empty((steps + 1, n))
    points[0], losses[0] = xy, landscape(xy)
    diverged_at = np.full(n, -1)
    alive = np.ones(n, dtype=bool)
    # Norm clipping must see one run's gradient at a time: then each run gets its own copy.
    per_run = n > 1 and _clips_by_norm(optimizer)
    if per_run:
        optimizers = [fresh_copy(optimizer) for _ in range(n)]
        if isinstance(optimizer.learning_rate, np.ndarray):
            rates = np.broadcast_to(optimizer.learning_rate, (n, 2))
            for o, rate in zip(optimizers, rates):
                o.learning_rate = rate

    with warnings.catch_warnings():
        # A run that blows up is reported in `diverged`, not by a warning per step.
        warnings.simplefilter("ignore", RuntimeWarning)
        for t in range(1, steps + 1):
            with np.errstate(all="ignore"):
                grad = landscape.grad(xy)
            grad[~alive] = 0.0  # frozen runs get no push (their rows are restored below anyway)
            if per_run:
                for i in range(n):
                    optimizers[i].apply(grad[i], xy[i])
            else:
                optimizer.apply(grad, xy)
            with np.errstate(all="ignore"):
                loss = landscape(xy)
                escaped = np.any(np.abs(xy - centre) > escape_factor * half_width, axis=1)
            bad = alive & (~np.all(np.isfinite(xy), axis=1) | ~np.isfinite(loss) | escaped)
            diverged_at[bad] = t
            alive &= ~bad
            xy[~alive] = points[t - 1, ~alive]  # freeze at the last good point
            loss = np.where(alive, loss, losses[t - 1])
            points[t], losses[t] = xy, loss
            if not alive.any():
                points[t + 1:], losses[t + 1:] = xy, loss
                break

    diverged = diverged_at >= 0
    if single:
        return Trajectory(points[:, 0], losses[:, 0], bool(diverged[0]), int(diverged_at[0]),
                          optimizer if not per_run else optimizers[0], landscape)
    return Trajectory(points, losses, diverged, diverged_at, optimizer if not per_run else optimizers, landscape)


def sweep(optimizer, learning_rates, landscape, start=None, steps: int = 100) -> Trajectory:
    """Run one copy of ``optimizer`` per learning rate, all in one vectorised call.

    On the bowl ``x^2 + y^2`` each gradient-descent step multiplies the point by
    ``1 - 2 lr``: 0.8 for lr = 0.1, exactly 0 for lr = 0.5 (one step to the minimum),
    -2 for lr = 1.5, which doubles the distance every step until the run is stopped.

    >>> import optimizers as opt
    >>> from optimizers.landscapes import bowl
    >>> result = sweep(opt.SGD(), [0.1, 0.5, 1.5], bowl, start=[1.0, 1.0], steps=20)
    >>> result.diverged.tolist()
    [False, False, True]
    >>> float(result.points[1, 0, 0]), float(result.points[1, 1, 0]), float(result.points[1, 2, 0])
    (0.8, 0.0, -2.0)
    """
    rates = check_learning_rate(np.asarray(learning_rates, dtype=np.float64).reshape(-1))
    optimizer = fresh_copy(optimizer)
    optimizer.learning_rate = rates[:, None]
    xy = _check_start(landscape.default_start if start is None else start)
    if xy.ndim == 1:
        xy = np.tile(xy, (rates.size, 1))
    elif xy.shape[0] != rates.size:
        raise ValueError(f"`start` has {xy.shape[0]} rows but {rates.size} learning rates were given.")
    return run(optimizer, landscape, xy, steps)
