"""Checks for exercise 04: RMSprop, plain and centered (Keras's form, epsilon inside the root)."""

from __future__ import annotations

import numpy as np

from ...rmsprop import rmsprop_update
from ..core import task
from ._common import describe, log_uniform, pure_case, random_shape

EXERCISE = "04_rmsprop"


def _state_after(rng, shape, steps, rho, dtype=np.float64, centered=False):
    """The slots v (and mg) after ``steps`` real RMSprop updates on random gradients.

    Drawing the state from a real run keeps it consistent (v >= mg**2), as it is
    in training; a gradient scale per entry makes v differ across entries.
    """
    scale = np.exp(rng.uniform(-2, 1, size=shape))
    p, v, mg = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    for _ in range(steps):
        rmsprop_update(p, rng.normal(size=shape) * scale, v, mg if centered else None,
                       lr=0.01, step=1, rho=rho, centered=centered)
    return v.astype(dtype), mg.astype(dtype)


def _cases(rng):
    """(kind, shape, dtype, steps already taken, epsilon): the variety every check covers."""
    kinds = [("mid-run", 1e-7), ("large epsilon", None), ("first step", 1e-7),
             ("mid-run", None), ("zero gradient", 1e-7), ("float32", 1e-7)]
    for kind, epsilon in kinds:
        shape = random_shape(rng)
        dtype = np.float32 if kind == "float32" else np.float64
        steps = 0 if kind == "first step" else int(rng.integers(1, 30))
        # A large epsilon makes "inside vs outside the root" visible in the numbers.
        epsilon = log_uniform(rng, 1e-3, 1e-1) if epsilon is None else epsilon
        yield kind, shape, dtype, steps, epsilon


@task("rmsprop_step", exercise=EXERCISE, points=3,
      title="One RMSprop step: v = rho v + (1 - rho) g^2, param - lr g / sqrt(v + epsilon)")
def check_rmsprop_step(student, rng):
    """Mid-run states, a first step, a zero gradient, a large epsilon, float32."""
    for kind, shape, dtype, steps, epsilon in _cases(rng):
        rho = float(rng.uniform(0.8, 0.99))
        lr = log_uniform(rng, 1e-3, 0.1)
        v, _ = _state_after(rng, shape, steps, rho, dtype)
        param = rng.normal(size=shape).astype(dtype)
        grad = (np.zeros(shape, dtype) if kind == "zero gradient"
                else (rng.normal(size=shape) * np.exp(rng.uniform(-2, 1, size=shape))).astype(dtype))
        p, new_v = param.copy(), v.copy()
        rmsprop_update(p, grad, new_v, lr=lr, step=1, rho=rho, epsilon=epsilon)
        v_ok = rho * v + (1 - rho) * grad**2
        v_swapped = (1 - rho) * v + rho * grad**2
        mistakes = {
            "Epsilon goes *inside* the square root here (Keras): grad / sqrt(v + epsilon). "
            "Adding it to sqrt(v) is PyTorch's choice.": (param - lr * grad / (np.sqrt(v_ok) + epsilon), v_ok),
            "The weights are swapped: v = rho * v + (1 - rho) * grad**2 (rho keeps the old "
            "average).": (param - lr * grad / np.sqrt(v_swapped + epsilon), v_swapped),
            "Divide by the *new* v: update the average first, then take the step.":
                (param - lr * grad / np.sqrt(v + epsilon), v_ok),
            "The square root is missing: divide by sqrt(v + epsilon), the root mean square.":
                (param - lr * grad / (v_ok + epsilon), v_ok),
            "Wrong sign: step against the gradient, param - learning_rate * grad / sqrt(...).":
                (param + lr * grad / np.sqrt(v_ok + epsilon), v_ok),
            "The new gradient's weight is (1 - rho): v = rho * v + (1 - rho) * grad**2.":
                (param - lr * grad / np.sqrt(rho * v + grad**2 + epsilon), rho * v + grad**2),
        }
        tolerance = dict(rtol=1e-5, atol=1e-6) if dtype == np.float32 else dict(rtol=1e-7, atol=1e-10)
        yield pure_case(describe(shape, dtype, state=kind, learning_rate=lr, rho=rho, epsilon=epsilon),
                        student, (param, grad, v, lr, rho, epsilon), expected=(p, new_v),
                        mistakes=mistakes, **tolerance)


@task("rmsprop_centered_step", exercise=EXERCISE, points=2,
      title="One centered RMSprop step: divide by sqrt(v - mg^2 + epsilon)")
def check_rmsprop_centered_step(student, rng):
    """Mid-run states (consistent v >= mg**2), a first step, a zero gradient, float32."""
    for kind, shape, dtype, steps, epsilon in _cases(rng):
        rho = float(rng.uniform(0.8, 0.99))
        lr = log_uniform(rng, 1e-3, 0.1)
        v, mg = _state_after(rng, shape, steps, rho, dtype, centered=True)
        param = rng.normal(size=shape).astype(dtype)
        grad = (np.zeros(shape, dtype) if kind == "zero gradient"
                else (rng.normal(size=shape) * np.exp(rng.uniform(-2, 1, size=shape))).astype(dtype))
        p, new_v, new_mg = param.copy(), v.copy(), mg.copy()
        rmsprop_update(p, grad, new_v, new_mg, lr=lr, step=1, rho=rho, epsilon=epsilon, centered=True)
        v_ok = rho * v + (1 - rho) * grad**2
        mg_ok = rho * mg + (1 - rho) * grad
        with np.errstate(all="ignore"):  # some mistakes take the root of a negative number
            mistakes = {
                "Centered RMSprop subtracts the squared mean: sqrt(v - mg**2 + epsilon) "
                "(you divided by sqrt(v + epsilon), plain RMSprop).":
                    (param - lr * grad / np.sqrt(v_ok + epsilon), v_ok, mg_ok),
                "Use the *new* mean gradient mg in v - mg**2: update both averages first.":
                    (param - lr * grad / np.sqrt(v_ok - mg**2 + epsilon), v_ok, mg_ok),
                "Subtract the *square* of the mean gradient: v - mg**2, not v - mg.":
                    (param - lr * grad / np.sqrt(v_ok - mg_ok + epsilon), v_ok, mg_ok),
                "Epsilon goes inside the square root (Keras): sqrt(v - mg**2 + epsilon).":
                    (param - lr * grad / (np.sqrt(v_ok - mg_ok**2) + epsilon), v_ok, mg_ok),
            }
        tolerance = dict(rtol=1e-5, atol=1e-6) if dtype == np.float32 else dict(rtol=1e-7, atol=1e-10)
        yield pure_case(describe(shape, dtype, state=kind, learning_rate=lr, rho=rho, epsilon=epsilon),
                        student, (param, grad, v, mg, lr, rho, epsilon), expected=(p, new_v, new_mg),
                        mistakes=mistakes, **tolerance)
