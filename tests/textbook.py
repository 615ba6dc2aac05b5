"""Independent, textbook-style versions of every update rule, for the tests.

Written separately from the library, in a different style on purpose: pure functions
that return new arrays, with bias-corrected moments spelled out the way papers write
them. The tests run these side by side with the library and compare. Where Keras's
grouping of an expression differs from the paper's only in round-off, the comparison
tolerance (1e-12 relative, float64) absorbs it.
"""

from __future__ import annotations

import math

import numpy as np


def sgd(p, g, s, t, lr, momentum=0.0, nesterov=False):
    if momentum == 0:
        return p - lr * g, s
    v = momentum * s.get("v", np.zeros_like(p)) - lr * g
    step = momentum * v - lr * g if nesterov else v
    return p + step, {"v": v}


def rmsprop(p, g, s, t, lr, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False):
    ms = rho * s.get("ms", np.zeros_like(p)) + (1 - rho) * g**2
    mg = rho * s.get("mg", np.zeros_like(p)) + (1 - rho) * g
    var = ms - mg**2 if centered else ms
    inc = lr * g / np.sqrt(var + epsilon)
    mom = momentum * s.get("mom", np.zeros_like(p)) + inc
    return p - (mom if momentum > 0 else inc), {"ms": ms, "mg": mg, "mom": mom}


def adam(p, g, s, t, lr, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False):
    m = beta_1 * s.get("m", np.zeros_like(p)) + (1 - beta_1) * g
    v = beta_2 * s.get("v", np.zeros_like(p)) + (1 - beta_2) * g**2
    vmax = np.maximum(s.get("vmax", np.zeros_like(p)), v)
    m_hat = m / (1 - beta_1**t)
    # Keras: epsilon joins sqrt(v) *before* v's bias correction.
    denom = (np.sqrt(vmax if amsgrad else v) + epsilon) / math.sqrt(1 - beta_2**t)
    return p - lr * m_hat / denom, {"m": m, "v": v, "vmax": vmax}


def adagrad(p, g, s, t, lr, initial_accumulator_value=0.1, epsilon=1e-7):
    acc = s.get("acc", np.full_like(p, initial_accumulator_value)) + g**2
    return p - lr * g / np.sqrt(acc + epsilon), {"acc": acc}


def adadelta(p, g, s, t, lr, rho=0.95, epsilon=1e-7):
    eg = rho * s.get("eg", np.zeros_like(p)) + (1 - rho) * g**2
    ed = s.get("ed", np.zeros_like(p))
    delta = -np.sqrt(ed + epsilon) / np.sqrt(eg + epsilon) * g
    return p + lr * delta, {"eg": eg, "ed": rho * ed + (1 - rho) * delta**2}


def adamax(p, g, s, t, lr, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    m = beta_1 * s.get("m", np.zeros_like(p)) + (1 - beta_1) * g
    u = np.maximum(beta_2 * s.get("u", np.zeros_like(p)), np.abs(g))
    return p - (lr / (1 - beta_1**t)) * m / (u + epsilon), {"m": m, "u": u}


def nadam(p, g, s, t, lr, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    def mu(i):  # Dozat's momentum schedule, as Keras 3 writes it
        return beta_1 * (1 - 0.5 * 0.96**i)

    prod = math.prod(mu(i) for i in range(1, t + 1))
    m = beta_1 * s.get("m", np.zeros_like(p)) + (1 - beta_1) * g
    v = beta_2 * s.get("v", np.zeros_like(p)) + (1 - beta_2) * g**2
    m_bar = mu(t + 1) * m / (1 - prod * mu(t + 1)) + (1 - mu(t)) * g / (1 - prod)
    v_hat = v / (1 - beta_2**t)
    return p - lr * m_bar / (np.sqrt(v_hat) + epsilon), {"m": m, "v": v}


def lion(p, g, s, t, lr, beta_1=0.9, beta_2=0.99):
    m = s.get("m", np.zeros_like(p))
    c = beta_1 * m + (1 - beta_1) * g
    return p - lr * np.sign(c), {"m": beta_2 * m + (1 - beta_2) * g}


def radam(p, g, s, t, lr, beta_1=0.9, beta_2=0.999, epsilon=1e-8):
    m = beta_1 * s.get("m", np.zeros_like(p)) + (1 - beta_1) * g
    v = beta_2 * s.get("v", np.zeros_like(p)) + (1 - beta_2) * g**2
    m_hat = m / (1 - beta_1**t)
    rho_inf = 2 / (1 - beta_2) - 1
    rho_t = rho_inf - 2 * t * beta_2**t / (1 - beta_2**t)
    if rho_t > 5:  # PyTorch's threshold
        r = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
        step = lr * r * m_hat * math.sqrt(1 - beta_2**t) / (np.sqrt(v) + epsilon)
    else:
        step = lr * m_hat
    return p - step, {"m": m, "v": v}


def adabelief(p, g, s, t, lr, beta_1=0.9, beta_2=0.999, epsilon=1e-16):
    m = beta_1 * s.get("m", np.zeros_like(p)) + (1 - beta_1) * g
    b = beta_2 * s.get("b", np.zeros_like(p)) + (1 - beta_2) * (g - m) ** 2 + epsilon
    m_hat, b_hat = m / (1 - beta_1**t), b / (1 - beta_2**t)
    return p - lr * m_hat / (np.sqrt(b_hat) + epsilon), {"m": m, "b": b}


RULES = {"SGD": sgd, "RMSprop": rmsprop, "Adam": adam, "AdamW": adam, "Adagrad": adagrad,
         "Adadelta": adadelta, "Adamax": adamax, "Nadam": nadam, "Lion": lion, "RAdam": radam,
         "AdaBelief": adabelief}

#: Default learning rates (the textbook functions take lr explicitly).
DEFAULT_LR = {"SGD": 0.01, "Adadelta": 0.001}


def run(name, params, grads_per_step, lr, *, weight_decay=None, clip=None, schedule=None,
        **hyper):
    """Run ``len(grads_per_step)`` steps of the textbook rule on a list of params.

    ``clip`` is ``("clipnorm" | "clipvalue" | "global_clipnorm", c)``; order per step:
    clip the gradients, decay the weights, apply the rule (Keras 3's order).
    """
    rule = RULES[name]
    params = [np.array(p, dtype=np.float64) for p in params]
    states = [{} for _ in params]
    history = []
    for t, grads in enumerate(grads_per_step, start=1):
        grads = [np.array(g, dtype=np.float64) for g in grads]
        if clip is not None:
            kind, c = clip
            if kind == "clipvalue":
                grads = [np.clip(g, -c, c) for g in grads]
            elif kind == "clipnorm":
                grads = [g * min(1.0, c / np.linalg.norm(g)) if np.linalg.norm(g) > 0 else g for g in grads]
            else:
                total = math.sqrt(sum(np.sum(g**2) for g in grads))
                grads = [g * min(1.0, c / total) for g in grads]
        rate = schedule(t - 1) if schedule is not None else lr
        new = []
        for i, (p, g) in enumerate(zip(params, grads)):
            if weight_decay:
                p = p * (1 - weight_decay * rate)
            p, states[i] = rule(p, g, states[i], t, rate, **hyper)
            new.append(p)
        params = new
        history.append([p.copy() for p in params])
    return history
