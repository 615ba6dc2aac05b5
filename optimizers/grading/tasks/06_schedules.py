"""Checks for exercise 06: step decay and cosine decay with warmup, with Keras's conventions."""

from __future__ import annotations

import numpy as np

from ...schedules import CosineDecay, PiecewiseConstantDecay
from ..core import task
from ._common import log_uniform, scalar_series

EXERCISE = "06_schedules"


@task("step_decay", exercise=EXERCISE, points=3,
      title="Step decay (Keras PiecewiseConstantDecay): the old value still applies AT a boundary")
def check_step_decay(student, rng):
    """Random boundaries; every step from 0 to past the last boundary, boundaries included."""
    for n_boundaries in (1, 2, 3, 4):
        boundaries = sorted(int(b) for b in rng.choice(np.arange(1, 60), size=n_boundaries,
                                                        replace=False))
        if n_boundaries == 4:
            boundaries[0] = 0  # a boundary at step 0: the first value is used for step 0 only
            boundaries = sorted(set(boundaries))
        values = sorted((log_uniform(rng, 1e-4, 1.0) for _ in range(len(boundaries) + 1)),
                        reverse=True)
        steps = np.arange(boundaries[-1] + 6)
        expected = PiecewiseConstantDecay(boundaries, values)(steps)
        edges = np.asarray(boundaries)
        switched_early = np.asarray(values)[np.searchsorted(edges, steps, side="right")]
        mistakes = {
            "Off by one at the boundaries: at step == boundaries[i] the *old* value still "
            "applies (Keras compares step <= boundary); the new value starts one step later. "
            "The step counts updates done so far, starting at 0.": switched_early,
        }
        got = [student(int(s), list(boundaries), list(values)) for s in steps]
        yield scalar_series(f"boundaries={boundaries}, values={[round(v, 6) for v in values]}, "
                            f"steps 0..{steps[-1]}", got, expected, mistakes=mistakes)


def _warmup_cosine_variants(steps, peak, W, T, start, alpha):
    """Common mistakes written out: each returns the whole curve over ``steps``."""
    s = steps.astype(float)

    def cosine(x, floor=alpha * peak):
        return (peak - floor) * 0.5 * (1 + np.cos(np.pi * x / T)) + floor

    warm = start + (peak - start) * s / W if W else np.full_like(s, peak)
    decay = cosine(np.minimum(s - W, T))
    return {
        "from step 0": np.where(s < W, warm, cosine(np.minimum(s, T))),
        "rebound": np.where(s < W, warm, cosine(s - W)),
        "warmup +1": np.where(s < W, start + (peak - start) * (s + 1) / W if W else peak, decay),
        "absolute floor": np.where(s < W, warm, cosine(np.minimum(s - W, T), floor=alpha)),
        "warmup from 0": np.where(s < W, peak * s / W if W else peak, decay),
    }


@task("warmup_cosine", exercise=EXERCISE, points=3,
      title="Linear warmup to the peak, then cosine decay to alpha * peak (Keras CosineDecay)")
def check_warmup_cosine(student, rng):
    """Warmup from 0 and from a start rate, no warmup, a floor alpha; steps well past the end."""
    settings = [(True, 0.0, 0.0), (True, "start", "alpha"), (False, 0.0, "alpha"),
                (True, "start", 0.0)]
    for warm, start, alpha in settings:
        peak = log_uniform(rng, 1e-3, 1.0)
        W = int(rng.integers(3, 20)) if warm else 0
        T = int(rng.integers(10, 60))
        start = float(rng.uniform(0.01, 0.3)) * peak if start == "start" else 0.0
        alpha = float(rng.uniform(0.05, 0.3)) if alpha == "alpha" else 0.0
        steps = np.arange(W + T + 15)
        expected = CosineDecay(start, T, alpha=alpha, warmup_target=peak, warmup_steps=W)(steps)
        variants = _warmup_cosine_variants(steps, peak, W, T, start, alpha)
        mistakes = {
            "The cosine must start where warmup ends: measure its progress from the end of "
            "warmup, step - warmup_steps (yours decays during warmup, so the peak is never "
            "reached).": variants["from step 0"],
            "After decay_steps the rate must stay at alpha * peak: clamp the decay's progress "
            "with min(step - warmup_steps, decay_steps) (yours rises again).": variants["rebound"],
            "Warmup is off by one: at step 0 the rate is initial_learning_rate, and it reaches "
            "the peak exactly at step == warmup_steps (use step / warmup_steps).":
                variants["warmup +1"],
            "alpha is a fraction of the peak: the floor is alpha * peak, not alpha.":
                variants["absolute floor"],
            "Warmup starts at initial_learning_rate, not 0: initial + (peak - initial) * "
            "step / warmup_steps.": variants["warmup from 0"],
        }
        got = [student(int(s), peak, W, T, initial_learning_rate=start, alpha=alpha) for s in steps]
        yield scalar_series(f"peak_learning_rate={peak:.4g}, warmup_steps={W}, decay_steps={T}, "
                            f"initial_learning_rate={start:.4g}, alpha={alpha:.3g}, "
                            f"steps 0..{steps[-1]}", got, expected, mistakes=mistakes,
                            rtol=1e-9, atol=1e-12)
