"""Checks for exercise 09: Lion and AdaBelief written from their papers' pseudo-code."""

from __future__ import annotations

import numpy as np

from ...adabelief import adabelief_update
from ...lion import Lion
from ..core import task
from ._common import describe, log_uniform, pure_case, random_shape

EXERCISE = "09_lion_adabelief"


def _lion_library(param, grad, m, lr, b1, b2, wd):
    """The library's Lion (weight decay applied as in Keras) on copies, with m preloaded."""
    p = param.copy()
    optimizer = Lion(lr, beta_1=b1, beta_2=b2, weight_decay=wd or None)
    optimizer.state = [{"m": m.copy()}]
    optimizer.apply(grad.copy(), p)
    return p, optimizer.state[0]["m"]


@task("lion_step", exercise=EXERCISE, points=3,
      title="One Lion step: the sign of an interpolated momentum, then the momentum update")
def check_lion_step(student, rng):
    """Mid-run momentum, weight decay on and off, a first step with a zero gradient, float32."""
    kinds = ["mid-run", "weight decay", "first step", "zero gradient", "float32", "weight decay"]
    for kind in kinds:
        shape = random_shape(rng, max_size=30)
        dtype = np.float32 if kind == "float32" else np.float64
        b1, b2 = float(rng.uniform(0.8, 0.95)), float(rng.uniform(0.95, 0.999))
        lr = log_uniform(rng, 1e-3, 0.1)
        wd = float(rng.uniform(0.1, 1.0)) if kind == "weight decay" else 0.0
        param = rng.normal(size=shape).astype(dtype)
        m = (np.zeros(shape, dtype) if kind in ("first step", "zero gradient")
             else rng.normal(scale=0.5, size=shape).astype(dtype))
        grad = np.zeros(shape, dtype) if kind == "zero gradient" else rng.normal(size=shape).astype(dtype)
        expected = _lion_library(param, grad, m, lr, b1, b2, wd)
        m_new = b2 * m + (1 - b2) * grad
        c = b1 * m + (1 - b1) * grad
        decayed = param - lr * wd * param
        mistakes = {
            "Compute the interpolation c = beta_1 * m + (1 - beta_1) * grad with the *old* m, "
            "and update m only after the step.": (decayed - lr * np.sign(b1 * m_new + (1 - b1) * grad), m_new),
            "The betas are swapped: beta_1 interpolates inside the sign, beta_2 decays the momentum.":
                (decayed - lr * np.sign(b2 * m + (1 - b2) * grad), b1 * m + (1 - b1) * grad),
            "Take the sign: every entry moves by exactly learning_rate, param - lr * sign(c).":
                (decayed - lr * c, m_new),
            "Wrong sign: Lion steps against sign(c), param - lr * sign(c).": (decayed + lr * np.sign(c), m_new),
        }
        if wd:
            mistakes["Weight decay is scaled by the learning rate too: param - lr * (sign(c) + "
                     "weight_decay * param)."] = (param - wd * param - lr * np.sign(c), m_new)
            stepped = param - lr * np.sign(c)
            mistakes["Decay the *old* parameter, in the same step: param - lr * (sign(c) + "
                     "weight_decay * param), not a decay after the sign step."] = (
                stepped - lr * wd * stepped, m_new)
        tolerance = dict(rtol=1e-5, atol=1e-6) if dtype == np.float32 else {}
        yield pure_case(describe(shape, dtype, state=kind, learning_rate=lr, beta_1=b1, beta_2=b2,
                                 weight_decay=wd),
                        student, (param, grad, m),
                        dict(learning_rate=lr, beta_1=b1, beta_2=b2, weight_decay=wd),
                        expected=expected, mistakes=mistakes, **tolerance)


def _belief_after(rng, shape, steps, b1, b2, eps, dtype=np.float64):
    """m and s after ``steps`` real AdaBelief updates on random gradients."""
    scale = np.exp(rng.uniform(-2, 1, size=shape))
    p, m, s = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    for t in range(1, steps + 1):
        adabelief_update(p, rng.normal(size=shape) * scale, m, s, lr=0.01, step=t,
                         beta_1=b1, beta_2=b2, epsilon=eps)
    return m.astype(dtype), s.astype(dtype)


def _belief_variant(param, grad, m, s, t, lr, b1, b2, eps, *, adam=False, old_m=False,
                    eps_in_s=True, correct=True, t_used=None):
    """AdaBelief written out by formula, with switches that reproduce common mistakes."""
    t = t if t_used is None else t_used
    m_new = b1 * m + (1 - b1) * grad
    surprise = grad**2 if adam else (grad - (m if old_m else m_new)) ** 2
    s_new = b2 * s + (1 - b2) * surprise + (eps if eps_in_s else 0.0)
    with np.errstate(all="ignore"):
        c1 = np.float64(1 - b1**t) if correct else np.float64(1.0)
        c2 = np.float64(1 - b2**t) if correct else np.float64(1.0)
        new_param = param - lr * (m_new / c1) / (np.sqrt(s_new / c2) + eps)
    return new_param, m_new, s_new


@task("adabelief_step", exercise=EXERCISE, points=3,
      title="One AdaBelief step: like Adam, but s tracks (g - m)^2, the surprise")
def check_adabelief_step(student, rng):
    """t = 1, mid-run states, a large epsilon (to see where it goes), float32."""
    kinds = ["first step", "mid-run", "large epsilon", "mid-run", "float32", "large epsilon"]
    for kind in kinds:
        shape = random_shape(rng)
        dtype = np.float32 if kind == "float32" else np.float64
        b1, b2 = float(rng.uniform(0.8, 0.95)), float(rng.uniform(0.9, 0.999))
        eps = log_uniform(rng, 1e-4, 1e-2) if kind == "large epsilon" else 1e-16
        t = 1 if kind == "first step" else int(rng.integers(2, 30))
        m, s = _belief_after(rng, shape, t - 1, b1, b2, eps, dtype)
        lr = log_uniform(rng, 1e-3, 0.1)
        param = rng.normal(size=shape).astype(dtype)
        grad = (rng.normal(size=shape) * np.exp(rng.uniform(-2, 1, size=shape))).astype(dtype)
        p, new_m, new_s = param.copy(), m.copy(), s.copy()
        adabelief_update(p, grad, new_m, new_s, lr=lr, step=t, beta_1=b1, beta_2=b2, epsilon=eps)
        args = (param, grad, m, s, t, lr, b1, b2, eps)
        mistakes = {
            "That is Adam's second moment, grad**2; AdaBelief tracks the surprise "
            "(grad - m)**2, with the new m.": _belief_variant(*args, adam=True),
            "Use the *new* m in (grad - m)**2: update m first (Algorithm 2 of the paper).":
                _belief_variant(*args, old_m=True),
            "Epsilon is added twice in the paper's Algorithm 2: inside s (s = beta_2 s + "
            "(1 - beta_2)(grad - m)**2 + epsilon) and again to sqrt(s_hat).":
                _belief_variant(*args, eps_in_s=False),
            "Bias correction is missing: m_hat = m / (1 - beta_1**t), s_hat = s / (1 - beta_2**t).":
                _belief_variant(*args, correct=False),
            "Bias correction off by one step: use beta**t with t as given (t = 1 for the first update).":
                _belief_variant(*args, t_used=t + 1),
        }
        # The float32 case and epsilon=1e-16 leave s tiny where the gradient is steady, so
        # allow float32 round-off relative to the step, not to the (large) ratio m / sqrt(s).
        tolerance = dict(rtol=1e-4, atol=1e-5) if dtype == np.float32 else dict(rtol=1e-7, atol=1e-10)
        yield pure_case(describe(shape, dtype, state=kind, t=t, learning_rate=lr, beta_1=b1,
                                 beta_2=b2, epsilon=eps),
                        student, args[:5], dict(learning_rate=lr, beta_1=b1, beta_2=b2, epsilon=eps),
                        expected=(p, new_m, new_s), mistakes=mistakes, **tolerance)
