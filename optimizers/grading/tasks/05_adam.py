"""Checks for exercise 05: Adam with bias correction (Keras's form), as a function and a class."""

from __future__ import annotations

import numpy as np

from ...adam import Adam, adam_update
from ..core import task
from ._common import check_result, describe, log_uniform, pure_case, random_shape

EXERCISE = "05_adam"


def _moments_after(rng, shape, steps, beta_1, beta_2, dtype=np.float64):
    """m and v after ``steps`` real Adam updates on random gradients (consistent slots)."""
    scale = np.exp(rng.uniform(-2, 1, size=shape))
    p, m, v = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    for t in range(1, steps + 1):
        adam_update(p, rng.normal(size=shape) * scale, m, v, lr=0.01, step=t,
                    beta_1=beta_1, beta_2=beta_2)
    return m.astype(dtype), v.astype(dtype)


def _adam_variant(param, grad, m, v, t, lr, b1, b2, eps, *, correct_m=True, correct_v=True,
                  t_used=None, eps_after=False, eps_inside=False, old_moments=False, swapped=False):
    """Adam written out by formula, with switches that reproduce common mistakes."""
    t = t if t_used is None else t_used
    if swapped:  # the betas weigh the new gradient instead of the old average
        m_new, v_new = b1 * grad + (1 - b1) * m, b2 * grad**2 + (1 - b2) * v
    else:
        m_new, v_new = b1 * m + (1 - b1) * grad, b2 * v + (1 - b2) * grad**2
    m_use, v_use = (m, v) if old_moments else (m_new, v_new)
    # NumPy scalars, so that t = 0 gives inf/NaN (as the learner's code would) instead of raising.
    c1 = np.float64(1 - b1**t) if correct_m else np.float64(1.0)
    c2 = np.float64(1 - b2**t) if correct_v else np.float64(1.0)
    with np.errstate(all="ignore"):
        if eps_after:      # the paper's Algorithm 1 and PyTorch: epsilon after correcting v
            step = lr * (m_use / c1) / (np.sqrt(v_use / c2) + eps)
        elif eps_inside:   # epsilon under the root
            step = lr * np.sqrt(c2) / c1 * m_use / np.sqrt(v_use + eps)
        else:
            step = lr * np.sqrt(c2) / c1 * m_use / (np.sqrt(v_use) + eps)
    return param - step, m_new, v_new


@task("adam_step", exercise=EXERCISE, points=4,
      title="One Adam step with bias correction (Keras: epsilon added to sqrt(v) before correcting)")
def check_adam_step(student, rng):
    """t = 1 from zero moments, mid-run states, a large epsilon, a zero gradient, float32."""
    kinds = ["first step", "mid-run", "large epsilon", "mid-run", "zero gradient", "float32",
             "large epsilon"]
    for kind in kinds:
        shape = random_shape(rng)
        dtype = np.float32 if kind == "float32" else np.float64
        b1, b2 = float(rng.uniform(0.8, 0.95)), float(rng.uniform(0.9, 0.999))
        t = 1 if kind == "first step" else int(rng.integers(2, 40))
        m, v = _moments_after(rng, shape, t - 1, b1, b2, dtype)
        lr = log_uniform(rng, 1e-3, 0.1)
        # With the default epsilon the placements differ by round-off only; a large one
        # shows whether epsilon is added before or after the bias correction of v.
        eps = log_uniform(rng, 1e-3, 1e-1) if kind == "large epsilon" else 1e-7
        param = rng.normal(size=shape).astype(dtype)
        grad = (np.zeros(shape, dtype) if kind == "zero gradient"
                else (rng.normal(size=shape) * np.exp(rng.uniform(-2, 1, size=shape))).astype(dtype))
        p, new_m, new_v = param.copy(), m.copy(), v.copy()
        adam_update(p, grad, new_m, new_v, lr=lr, step=t, beta_1=b1, beta_2=b2, epsilon=eps)
        args = (param, grad, m, v, t, lr, b1, b2, eps)
        mistakes = {
            "Bias correction is missing: divide m by (1 - beta_1**t) and v by (1 - beta_2**t) "
            "(or scale the rate by sqrt(1 - beta_2**t) / (1 - beta_1**t)).":
                _adam_variant(*args, correct_m=False, correct_v=False),
            "Bias correction off by one step: use the step number t as given (t = 1 for the first "
            "update), beta**t, not beta**(t + 1).": _adam_variant(*args, t_used=t + 1),
            "Bias correction off by one step: use beta**t with t as given, not beta**(t - 1) "
            "(at t = 1 that divides by zero).": _adam_variant(*args, t_used=t - 1),
            "Only m is bias-corrected: correct v too, v_hat = v / (1 - beta_2**t).":
                _adam_variant(*args, correct_v=False),
            "Only v is bias-corrected: correct m too, m_hat = m / (1 - beta_1**t).":
                _adam_variant(*args, correct_m=False),
            "Epsilon placement: this course follows Keras, p - alpha * m / (sqrt(v) + epsilon) "
            "with alpha = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t). You added epsilon after "
            "correcting v (the paper's Algorithm 1, PyTorch).": _adam_variant(*args, eps_after=True),
            "Epsilon goes outside the square root: sqrt(v) + epsilon, not sqrt(v + epsilon).":
                _adam_variant(*args, eps_inside=True),
            "Update m and v first, then take the step with the *new* moments.":
                _adam_variant(*args, old_moments=True),
            "The betas weigh the old averages: m = beta_1 * m + (1 - beta_1) * grad "
            "(and likewise v).": _adam_variant(*args, swapped=True),
            "Wrong sign: Adam steps against m, param - alpha * m / (sqrt(v) + epsilon).":
                (2 * param - _adam_variant(*args)[0], *_adam_variant(*args)[1:]),
        }
        tolerance = dict(rtol=1e-5, atol=1e-6) if dtype == np.float32 else dict(rtol=1e-7, atol=1e-10)
        yield pure_case(describe(shape, dtype, state=kind, t=t, learning_rate=lr, beta_1=b1,
                                 beta_2=b2, epsilon=eps),
                        student, args[:5], dict(learning_rate=lr, beta_1=b1, beta_2=b2, epsilon=eps),
                        expected=(p, new_m, new_v), mistakes=mistakes, **tolerance)


def _library_path(param, grads, lr, b1, b2, eps, *, fresh_each_step=False, frozen_t=None,
                  zero_moments_each_step=False):
    """Params after each call when the library's Adam runs the same calls (or a mistake)."""
    p, path = param.copy(), []
    optimizer = Adam(lr, beta_1=b1, beta_2=b2, epsilon=eps)
    for k, g in enumerate(grads):
        if fresh_each_step or zero_moments_each_step:
            optimizer = Adam(lr, beta_1=b1, beta_2=b2, epsilon=eps)
        if zero_moments_each_step:  # new zero moments, but the step count goes on
            optimizer.iterations = k
        if frozen_t is not None:  # the step count never advances
            optimizer.iterations = frozen_t - 1
        optimizer.apply(g, p)
        path.append(p.copy())
    return np.array(path)


@task("AdamOptimizer", exercise=EXERCISE, points=3,
      title="An Adam optimizer class that keeps m, v and the step count between calls")
def check_adam_optimizer(student, rng):
    """Several calls per optimizer, compared with the library's Adam; two optimizers in turn."""
    state_hint = ("The moments were not kept between calls: create m and v once (zeros on the "
                  "first call) and store them on self.")
    count_hint = ("The step count does not advance: add 1 to self.t on every call, so the bias "
                  "correction uses t = 1, 2, 3, ...")
    in_place_hint = ("The parameter did not change: `apply` must update `param` in place "
                     "(param -= ... or param[...] = ...); it returns nothing.")
    for _ in range(3):
        shape = random_shape(rng)
        steps = int(rng.integers(4, 9))
        b1, b2 = float(rng.uniform(0.8, 0.95)), float(rng.uniform(0.9, 0.999))
        lr, eps = log_uniform(rng, 1e-3, 0.1), 1e-7
        param = rng.normal(size=shape)
        grads = [rng.normal(size=shape) * np.exp(rng.uniform(-1, 1)) for _ in range(steps)]
        expected = _library_path(param, grads, lr, b1, b2, eps)
        mistakes = {
            state_hint: _library_path(param, grads, lr, b1, b2, eps, fresh_each_step=True),
            state_hint + " (The step count alone is not enough.)":
                _library_path(param, grads, lr, b1, b2, eps, zero_moments_each_step=True),
            count_hint: _library_path(param, grads, lr, b1, b2, eps, frozen_t=1),
            in_place_hint: np.repeat(param[None], steps, axis=0),
            "Everything became NaN: the first call must use t = 1 (t = 0 divides by zero in the "
            "bias correction), so add 1 to self.t before using it.": np.full((steps, *shape), np.nan),
        }
        optimizer = student(learning_rate=lr, beta_1=b1, beta_2=b2, epsilon=eps)
        p, path = param.copy(), []
        for g in grads:
            optimizer.apply(g.copy(), p)
            path.append(p.copy())
        yield check_result(f"{steps} calls of apply on one {shape} param, learning_rate={lr:.3g}, "
                      f"beta_1={b1:.3g}, beta_2={b2:.4g}", np.array(path), expected,
                      mistakes=mistakes, rtol=1e-7, atol=1e-10)

    shape = random_shape(rng)
    params = [rng.normal(size=shape), rng.normal(size=shape)]
    grads = [[rng.normal(size=shape) for _ in range(3)] for _ in range(2)]
    expected = [_library_path(p, g, 0.01, 0.9, 0.999, 1e-7)[-1] for p, g in zip(params, grads)]
    optimizers = [student(learning_rate=0.01), student(learning_rate=0.01)]
    got = [p.copy() for p in params]
    for k in range(3):
        for i in range(2):
            optimizers[i].apply(grads[i][k].copy(), got[i])
    case = check_result(f"two optimizers, each with its own {shape} param, 3 calls each in turn",
                   got, expected, rtol=1e-7, atol=1e-10)
    if not case.passed:
        case.hint = case.hint or ("Each optimizer needs its own m, v and t: store them on self "
                                  "in the instance, not in class attributes or globals.")
    yield case
