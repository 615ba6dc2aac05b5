"""Checks for exercise 03: SGD with momentum and Nesterov momentum, in Keras's form."""

from __future__ import annotations

import numpy as np

from ...sgd import SGD, sgd_update
from ..core import task
from ._common import check_result, describe, log_uniform, pure_case, random_shape

EXERCISE = "03_momentum"

PYTORCH_HINT = ("That is PyTorch's form (buffer b = momentum * b + grad, param -= lr * b). Here the "
                "velocity carries the learning rate, as in Keras: velocity = momentum * velocity - "
                "learning_rate * grad, then param + velocity.")


def _keras(param, grad, velocity, lr, mu, nesterov):
    p, v = param.copy(), velocity.copy()
    sgd_update(p, grad, v, lr=lr, step=1, momentum=mu, nesterov=nesterov)
    return p, v


@task("momentum_step", exercise=EXERCISE, points=3,
      title="One step of SGD with (Nesterov) momentum, velocity = momentum * velocity - lr * grad")
def check_momentum_step(student, rng):
    """Classical and Nesterov steps from a velocity mid-run, a first step, float32."""
    settings = [(False, "mid-run"), (True, "mid-run"), (False, "first step"), (True, "first step"),
                (False, "float32"), (True, "mid-run")]
    for nesterov, kind in settings:
        shape = random_shape(rng)
        dtype = np.float32 if kind == "float32" else np.float64
        param = rng.normal(size=shape).astype(dtype)
        grad = rng.normal(size=shape).astype(dtype)
        velocity = (np.zeros(shape, dtype) if kind == "first step"
                    else rng.normal(scale=0.3, size=shape).astype(dtype))
        lr, mu = log_uniform(rng, 0.01, 0.5), float(rng.uniform(0.5, 0.99))
        expected = _keras(param, grad, velocity, lr, mu, nesterov)
        new_v = mu * velocity - lr * grad
        buffer = mu * velocity + grad
        mistakes = {
            PYTORCH_HINT: (param - lr * buffer, buffer),
            "Wrong sign: the velocity must point downhill, velocity = momentum * velocity "
            "- learning_rate * grad, and the parameter moves by + velocity.":
                (param - (mu * velocity + lr * grad), mu * velocity + lr * grad),
            "Update the velocity first, then move the parameter with the *new* velocity.":
                (param + velocity, new_v),
            "No (1 - momentum) factor here: velocity = momentum * velocity - learning_rate * grad.":
                (param + mu * velocity - (1 - mu) * lr * grad, mu * velocity - (1 - mu) * lr * grad),
        }
        if nesterov:
            mistakes["nesterov=True must look ahead: param + momentum * new_velocity "
                     "- learning_rate * grad (you took the classical step)."] = (param + new_v, new_v)
            mistakes["Nesterov uses the *new* velocity: param + momentum * velocity_new "
                     "- learning_rate * grad."] = (param + mu * velocity - lr * grad, new_v)
        tolerance = dict(rtol=1e-5, atol=1e-6) if dtype == np.float32 else {}
        yield pure_case(describe(shape, dtype, learning_rate=lr, momentum=mu, nesterov=nesterov,
                                 velocity=kind), student, (param, grad, velocity, lr, mu),
                        dict(nesterov=nesterov), expected=expected, mistakes=mistakes, **tolerance)


def _run_library(param, grads, lr, mu, nesterov, new_lr_at=None, new_lr=None, fresh_each_step=False):
    """Params after each step when the library's SGD runs the same calls."""
    p = param.copy()
    optimizer = SGD(lr, momentum=mu, nesterov=nesterov)
    path = []
    for k, g in enumerate(grads):
        if new_lr_at is not None and k == new_lr_at:
            optimizer.learning_rate = new_lr
        if fresh_each_step:
            optimizer = SGD(optimizer.learning_rate, momentum=mu, nesterov=nesterov)
        optimizer.apply(g, p)
        path.append(p.copy())
    return np.array(path)


def _run_pytorch_form(param, grads, lr, mu, new_lr_at=None, new_lr=None):
    """The same calls with PyTorch's buffer b = mu b + g, p -= lr b (classical momentum)."""
    p, b, path = param.copy(), np.zeros_like(param), []
    for k, g in enumerate(grads):
        if new_lr_at is not None and k == new_lr_at:
            lr = new_lr
        b = mu * b + g
        p = p - lr * b
        path.append(p)
    return np.array(path)


@task("MomentumSGD", exercise=EXERCISE, points=3,
      title="A momentum optimizer class that keeps its velocity between calls")
def check_momentum_sgd(student, rng):
    """Several steps per optimizer, a learning-rate change mid-run, two optimizers at once."""
    in_place_hint = ("The parameter did not change: `apply` must update `param` in place "
                     "(param += ... or param[...] = ...), as Keras optimizers do; it returns nothing.")
    state_hint = ("The velocity was not kept between calls: create it once (zeros on the first "
                  "call) and store it on self, e.g. self.velocity.")
    for nesterov, change_lr in ((False, False), (True, False), (False, True), (True, True)):
        shape = random_shape(rng)
        steps = int(rng.integers(5, 9))
        param = rng.normal(size=shape)
        grads = [rng.normal(size=shape) for _ in range(steps)]
        lr, mu = log_uniform(rng, 0.01, 0.3), float(rng.uniform(0.6, 0.95))
        change = dict(new_lr_at=steps // 2, new_lr=lr * float(rng.uniform(0.1, 0.5))) if change_lr else {}
        expected = _run_library(param, grads, lr, mu, nesterov, **change)
        mistakes = {
            state_hint: _run_library(param, grads, lr, mu, nesterov, fresh_each_step=True, **change),
            in_place_hint: np.repeat(param[None], steps, axis=0),
        }
        if not nesterov and change_lr:
            mistakes[PYTORCH_HINT + " The two agree until the learning rate changes."] = \
                _run_pytorch_form(param, grads, lr, mu, **change)
        optimizer = student(learning_rate=lr, momentum=mu, nesterov=nesterov)
        p = param.copy()
        path = []
        for k, g in enumerate(grads):
            if change and k == change["new_lr_at"]:
                optimizer.learning_rate = change["new_lr"]
            optimizer.apply(g.copy(), p)
            path.append(p.copy())
        description = (f"{steps} calls of apply on one {shape} param, learning_rate={lr:.3g}, "
                       f"momentum={mu:.3g}, nesterov={nesterov}"
                       + (f", learning_rate set to {change['new_lr']:.3g} before call {steps // 2 + 1}"
                          if change else ""))
        yield check_result(description, np.array(path), expected, mistakes=mistakes)

    # Two optimizers used in turn: each must keep its own velocity.
    shape = random_shape(rng)
    lr, mu = log_uniform(rng, 0.01, 0.3), float(rng.uniform(0.6, 0.95))
    params = [rng.normal(size=shape), rng.normal(size=shape)]
    grads = [[rng.normal(size=shape) for _ in range(4)] for _ in range(2)]
    expected = [_run_library(p, g, lr, mu, False)[-1] for p, g in zip(params, grads)]
    optimizers = [student(learning_rate=lr, momentum=mu), student(learning_rate=lr, momentum=mu)]
    got = [p.copy() for p in params]
    for k in range(4):
        for i in range(2):
            optimizers[i].apply(grads[i][k].copy(), got[i])
    case = check_result(f"two optimizers, each with its own {shape} param, 4 calls each in turn",
                   got, expected)
    if not case.passed:
        case.hint = case.hint or ("Each optimizer needs its own velocity: store it on self in "
                                  "the instance, not in a class attribute or a global.")
    yield case
