"""Checks for exercise 08: read a training curve, and pick a learning rate from a range test.

The curves are not drawn by hand: each comes from a real training run of the
library's models (linear regression, or a small MLP on three blobs) with SGD at a
learning rate chosen relative to what the problem tolerates:

* too low: hundreds of times below a good rate; the loss hardly moves;
* good: the loss falls fast and flattens;
* too high: past the stability limit; the loss grows, often to inf or NaN.

A run is kept only when its curve shows its label beyond doubt (compared on the
mean of the first and last tenth of the curve), so a sensible diagnosis never
fails on a borderline curve.
"""

from __future__ import annotations

import warnings

import numpy as np

from ... import data
from ...models import MLP, LinearRegression
from ...schedules import ExponentialDecay
from ...sgd import SGD
from ...training import fit, minibatches
from ..core import Case, task

EXERCISE = "08_diagnosing_training"
LABELS = ("too_high", "too_low", "good")


# ---------------------------------------------------------------------------
# Real training runs
# ---------------------------------------------------------------------------

def _regression_problem(rng):
    """Linear data with features of different scales; returns X, y and the curvature bound L."""
    n, d = 256, int(rng.integers(3, 9))
    X = rng.normal(size=(n, d)) * rng.uniform(0.5, 2.0, size=d)
    y = X @ (2 * rng.normal(size=d)) + rng.uniform(-3, 3) + 0.1 * rng.normal(size=n)
    with_bias = np.column_stack([X, np.ones(n)])
    # The loss 0.5 mean((Xw + b - y)^2) has Hessian A^T A / n; gradient descent is
    # stable for learning rates below 2 / (its largest eigenvalue).
    L = float(np.linalg.eigvalsh(with_bias.T @ with_bias / n).max())
    return X, y, L


def _train(model, lr, X, y, seed, epochs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a diverging run warns; that is its point
        return fit(model, SGD(lr), X, y, batch_size=32, epochs=epochs, seed=seed, progress=False)


def _run_curve(label, rng):
    """Per-update mini-batch losses of one real run whose learning rate is ``label``."""
    seed = int(rng.integers(2**31))
    if rng.random() < 0.5:
        X, y, L = _regression_problem(rng)
        factor = {"too_low": (3e-4, 2e-3), "good": (0.3, 0.9), "too_high": (2.5, 5.0)}[label]
        lr = float(rng.uniform(*factor)) / L
        model = LinearRegression(X.shape[1], seed=seed)
        return _train(model, lr, X, y, seed, epochs=10).loss
    X, y = data.blobs(n=256, n_classes=3, seed=seed)
    low, high = {"too_low": (1e-4, 5e-4), "good": (0.05, 0.3), "too_high": (5.0, 50.0)}[label]
    lr = float(np.exp(rng.uniform(np.log(low), np.log(high))))
    model = MLP([2, 16, 3], activation="relu", init="he", seed=seed)
    return _train(model, lr, X, y, seed, epochs=12).loss


def _tenths(losses):
    """Means of the first and the last tenth of a curve (mini-batch losses are noisy)."""
    k = max(1, len(losses) // 10)
    return float(np.mean(losses[:k])), float(np.mean(losses[-k:]))


def _shows(label, losses) -> bool:
    """Whether the curve shows its label beyond doubt (the margins the check relies on)."""
    if not np.all(np.isfinite(losses)):
        return label == "too_high"
    first, last = _tenths(losses)
    ratio = last / first
    return {"too_high": ratio > 3.0, "too_low": 0.6 < ratio < 0.95, "good": ratio < 0.25}[label]


def training_curve(label, rng, attempts=50):
    """A real training curve that clearly shows ``label`` ("too_high", "too_low" or "good")."""
    for _ in range(attempts):
        losses = _run_curve(label, rng)
        if _shows(label, losses):
            return losses
    raise RuntimeError(f"could not generate a clear {label!r} curve")  # a bug in the course


_LOOKS = {
    "too_high": "this curve came from a learning rate past the stability limit: the loss grows "
                "({growth}), often to inf or NaN. Test np.isfinite first: comparisons "
                "with NaN are always False.",
    "too_low": "this curve came from a learning rate hundreds of times below a good one: the loss "
               "only crawls down (the last tenth is still {share} of the first tenth), nowhere "
               "near flat.",
    "good": "this curve came from a good learning rate: the loss falls fast and then flattens "
            "(the last tenth is {share} of the first tenth). Average the first and last tenth: "
            "single mini-batch losses are noisy.",
}


def _curve_summary(losses):
    finite = np.isfinite(losses)
    if not finite.all():
        bad = int(np.argmin(finite))
        return f"{len(losses)} losses, first {losses[0]:.3g}, non-finite from update {bad}"
    return f"{len(losses)} losses, first {losses[0]:.3g}, last {losses[-1]:.3g}"


@task("diagnose", exercise=EXERCISE, points=3,
      title="Tell from a training curve whether the learning rate was too high, too low or good")
def check_diagnose(student, rng):
    """Nine curves from real runs, three of each kind, in random order."""
    labels = [label for label in LABELS for _ in range(3)]
    for i in rng.permutation(len(labels)):
        label = labels[i]
        losses = training_curve(label, rng)
        got = student(losses.copy())
        passed = isinstance(got, str) and got == label
        hint = ""
        if not passed:
            if not isinstance(got, str) or got not in LABELS:
                hint = f"Return one of the strings {', '.join(repr(x) for x in LABELS)}."
            else:
                first, last = _tenths(losses) if np.all(np.isfinite(losses)) else (1.0, np.inf)
                growth = ("until it overflowed" if not np.isfinite(last)
                          else f"its last tenth is {last / first:.3g} times its first tenth")
                hint = _LOOKS[label].format(growth=growth, share=f"{last / first:.0%}")
        yield Case(f"curve: {_curve_summary(losses)}", passed, label, got, hint=hint,
                   reason="" if passed else f"expected {label!r}, got {got!r}")


# ---------------------------------------------------------------------------
# The learning-rate range test
# ---------------------------------------------------------------------------

def range_test(X, y, model_seed, low, high, updates=150, batch_size=32):
    """Learning rates and losses of a range test: the rate grows by a constant factor per update.

    The rate follows ``ExponentialDecay(low, 1, (high / low) ** (1 / (updates - 1)))``, a
    decay rate above 1, so it climbs from ``low`` to ``high``; the run stops early if it
    diverges (the last loss may then be inf or NaN).
    """
    schedule = ExponentialDecay(low, 1, (high / low) ** (1 / (updates - 1)))
    model = LinearRegression(X.shape[1], seed=model_seed)
    epochs = -(-updates // -(-len(y) // batch_size))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        history = fit(model, SGD(schedule), X, y, batch_size=batch_size, epochs=epochs, seed=0,
                      progress=False)
    return history.learning_rate[:updates].copy(), history.loss[:updates].copy()


def losses_after_training(X, y, model_seed, learning_rates, updates=64, batch_size=32):
    """Full-data loss of the regression after ``updates`` mini-batch SGD steps, per rate.

    One run per learning rate, all from the same initial weights and batch order, done
    together: the weights of all runs are the rows of one matrix, so each update is a
    few matrix products however many rates are tried. The gradient is
    ``LinearRegression``'s (of ``0.5 * mean((X w + b - y)^2)``). A run that overflows
    gets the loss ``inf``.
    """
    rates = np.asarray(learning_rates, dtype=np.float64).reshape(-1)
    start = LinearRegression(X.shape[1], seed=model_seed)
    W = np.tile(start.params[0], (len(rates), 1))      # (runs, features)
    b = np.tile(start.params[1], len(rates))           # (runs,)
    rng, done = np.random.default_rng(1), 0
    with np.errstate(all="ignore"):
        while done < updates:
            for rows in minibatches(len(y), batch_size, rng):
                residual = X[rows] @ W.T + b - y[rows, None]     # (rows, runs)
                W = W - rates[:, None] * (residual.T @ X[rows]) / len(rows)
                b = b - rates * residual.mean(axis=0)
                done += 1
                if done == updates:
                    break
        losses = 0.5 * np.mean((X @ W.T + b - y[:, None]) ** 2, axis=0)
    return np.where(np.isfinite(losses), losses, np.inf)


@task("pick_learning_rate", exercise=EXERCISE, points=3,
      title="Pick a learning rate from a learning-rate range test")
def check_pick_learning_rate(student, rng):
    """Range tests on three problems; the pick must train (nearly) as well as the best rate."""
    for _ in range(3):
        X, y, L = _regression_problem(rng)
        model_seed = int(rng.integers(2**31))
        low, high = 1e-4 / L * float(rng.uniform(0.5, 2)), 30.0 / L * float(rng.uniform(0.5, 2))
        lrs, losses = range_test(X, y, model_seed, low, high)
        got = student(lrs.copy(), losses.copy())
        start = LinearRegression(X.shape[1], seed=model_seed).loss(X, y)
        grid = np.geomspace(low, high, 25)
        finals = losses_after_training(X, y, model_seed, grid)
        best = float(finals.min())
        good_enough = best + 0.05 * (start - best)
        good = grid[finals <= good_enough]
        expected = (f"a rate that trains about as well as the best (roughly {good.min():.3g} "
                    f"to {good.max():.3g})")
        description = (f"range test of {len(lrs)} updates, rates {lrs[0]:.3g} to {lrs[-1]:.3g}"
                       + (", diverged at the end" if not np.isfinite(losses[-1]) else ""))
        if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, float, np.integer, np.floating)):
            yield Case(description, False, expected, got,
                       reason=f"expected a number, got {type(got).__name__}",
                       hint="Return one learning rate, a float.")
            continue
        pick = float(got)
        final = float(losses_after_training(X, y, model_seed, [pick])[0]) if pick > 0 else start
        passed = bool(np.isfinite(final) and final <= good_enough and lrs[0] <= pick <= lrs[-1])
        hint, reason = "", ""
        if not passed:
            finite = np.where(np.isfinite(losses), losses, np.inf)
            at_minimum = float(lrs[int(np.argmin(finite))])
            if float(pick).is_integer() and 0 <= pick < len(lrs) and pick not in lrs:
                hint = "That looks like an index: return the learning rate itself, learning_rates[i]."
            elif pick >= at_minimum:
                hint = ("The lowest point of a range test is already at the edge of divergence: "
                        "pick about 10x below it, or where the loss falls fastest.")
            else:
                hint = ("That rate is too small: training barely moves. Pick where the loss falls "
                        "fastest, or about 10x below the rate of the lowest loss.")
            reason = (f"training 64 updates at {pick:.3g} "
                      + ("diverged" if not np.isfinite(final) else
                         f"reached loss {final:.3g}; the best rate reaches {best:.3g}"))
        yield Case(description, passed, expected, got, hint=hint, reason=reason)
