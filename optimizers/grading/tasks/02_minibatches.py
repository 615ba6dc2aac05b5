"""Checks for exercise 02: batch, mini-batch and stochastic gradients from one function."""

from __future__ import annotations

import math

import numpy as np

from ...training import minibatches
from ..core import task
from ._common import check_result, call_watching, log_uniform

EXERCISE = "02_minibatches"


def _batch_sizes(rng, n):
    """One of each regime: full batch, stochastic, a divisor of n, a non-divisor, too big."""
    divisors = [k for k in range(2, n) if n % k == 0] or [n]
    others = [k for k in range(2, n) if n % k != 0] or [n + 1]
    return [None, 1, int(rng.choice(divisors)), int(rng.choice(others)), n + int(rng.integers(1, 5))]


@task("updates_per_epoch", exercise=EXERCISE, points=1,
      title="Updates in one epoch: 1 for the full batch, else ceil(n / batch_size)")
def check_updates_per_epoch(student, rng):
    """Every regime, on a few data set sizes."""
    for n in (int(rng.integers(10, 40)), int(rng.integers(41, 200))):
        for batch_size in _batch_sizes(rng, n):
            expected = 1 if batch_size is None else math.ceil(n / batch_size)
            mistakes = {}
            if batch_size is not None:
                mistakes["The last, smaller batch is an update too: round up, "
                         "ceil(n / batch_size) (or -(-n // batch_size))."] = n // batch_size
                mistakes["Updates are counted in whole numbers: round n / batch_size up with "
                         "math.ceil."] = n / batch_size
            got = student(n, batch_size)
            yield check_result(f"n={n}, batch_size={batch_size}", got, expected, mistakes=mistakes)


@task("minibatch_indices", exercise=EXERCISE, points=3,
      title="Row indices of each batch of one epoch (shuffled with rng.permutation)")
def check_minibatch_indices(student, rng):
    """Every regime: one in-order batch, n batches of one row, equal and unequal batches."""
    n = int(rng.integers(12, 40))
    for batch_size in _batch_sizes(rng, n):
        seed = int(rng.integers(2**31))
        expected = list(minibatches(n, batch_size, np.random.default_rng(seed)))
        order = np.random.default_rng(seed).permutation(n)
        in_order = np.arange(n)
        mistakes = {
            "Shuffle: draw the order once with order = rng.permutation(n), then cut it into "
            "consecutive batches.": [in_order[i:i + batch_size] for i in range(0, n, batch_size)]
            if batch_size else [in_order],
        }
        if batch_size is None:
            mistakes = {"batch_size=None is one batch of all rows *in order* (np.arange(n)): "
                        "the full-batch gradient does not depend on the order, so do not shuffle.":
                        [order]}
        elif n % batch_size:
            mistakes["The last batch is missing: keep the remainder as a smaller last batch, "
                     "so every row is used once per epoch."] = expected[:-1]
        got = student(n, batch_size, np.random.default_rng(seed))
        yield check_result(f"n={n}, batch_size={batch_size}", got, expected, mistakes=mistakes)


def _epoch(w, X, y, batch_size, lr, seed, *, reduce="mean", divide_by=None, full=False, after=False):
    """The reference epoch, and (with the keywords) the results of common mistakes."""
    w = w.copy()
    losses = []
    for rows in minibatches(len(y), batch_size, np.random.default_rng(seed)):
        Xb, yb = (X, y) if full else (X[rows], y[rows])
        residual = Xb @ w - yb
        count = len(rows) if divide_by is None else divide_by
        scale = 1.0 / count if reduce == "mean" else 1.0
        loss = 0.5 * float(np.sum(residual**2)) * scale
        grad = Xb.T @ residual * scale
        w = w - lr * grad
        if after:  # the loss measured after the update instead of before it
            loss = 0.5 * float(np.sum((Xb @ w - yb) ** 2)) * scale
        losses.append(loss)
    return w, np.array(losses)


@task("sgd_epoch", exercise=EXERCISE, points=3,
      title="One epoch of mini-batch gradient descent on linear regression")
def check_sgd_epoch(student, rng):
    """Full batch, stochastic and mini-batch epochs, with and without a short last batch."""
    n, d = int(rng.integers(20, 50)), int(rng.integers(2, 5))
    X = rng.normal(size=(n, d))
    y = X @ rng.normal(size=d) + 0.1 * rng.normal(size=n)
    unequal = next(k for k in range(3, n) if n % k)
    for batch_size in (None, 1, unequal, n + 3):
        w = rng.normal(size=d)
        lr = log_uniform(rng, 0.01, 0.1)
        seed = int(rng.integers(2**31))
        expected = _epoch(w, X, y, batch_size, lr, seed)
        mistakes = {
            "Average over the batch, not sum: the gradient is X_B.T @ (X_B @ w - y_B) / len(rows) "
            "(a sum makes the step grow with the batch size).": _epoch(w, X, y, batch_size, lr, seed,
                                                                       reduce="sum"),
            "Each update must use only its batch's rows, X[rows] and y[rows], not the whole data.":
                _epoch(w, X, y, batch_size, lr, seed, full=True),
            "Record each batch's loss *before* its update (the loss the gradient was computed "
            "at).": _epoch(w, X, y, batch_size, lr, seed, after=True),
        }
        if batch_size is not None and n % batch_size and batch_size < n:
            mistakes["The last batch is smaller: divide by len(rows), the rows actually in the "
                     "batch, not by batch_size."] = _epoch(w, X, y, batch_size, lr, seed,
                                                       divide_by=batch_size)
        got, problem = call_watching(student, (w, X, y, batch_size, lr, np.random.default_rng(seed)),
                                     ("w", "X", "y", "batch_size", "learning_rate", "rng"))
        if isinstance(got, list):
            got = tuple(got)
        case = check_result(f"n={n} rows, {d} features, batch_size={batch_size}, learning_rate={lr:.3g}",
                       got, expected, mistakes=mistakes, rtol=1e-9, atol=1e-12)
        if problem is not None:
            case.passed, case.hint = False, problem
            case.reason = case.reason or "an input was modified in place"
        yield case
