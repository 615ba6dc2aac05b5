"""RMSprop: divide each gradient entry by the root of its recent mean square."""

from __future__ import annotations

import numpy as np

from . import _checks
from .base import Optimizer


def rmsprop_update(param, grad, velocity, average_gradient=None, momentum_buffer=None, *,
                   lr, step, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False):
    """One RMSprop step, in place (Keras 3's form).

    ::

        v <- rho * v + (1 - rho) * g^2                      (mean square)
        mg <- rho * mg + (1 - rho) * g                      (centered only: mean)
        d = v + eps        or   v - mg^2 + eps  (centered: a variance)
        increment = lr * g / sqrt(d)
        p <- p - increment                                  (momentum == 0)
        mom <- momentum * mom + increment;  p <- p - mom    (momentum > 0)

    Epsilon sits *inside* the square root here (PyTorch adds it outside).

    >>> p, v = np.array([1.0]), np.zeros(1)
    >>> rmsprop_update(p, np.array([2.0]), v, lr=0.1, step=1, epsilon=0.0)
    >>> v, p.round(6)   # v = 0.1 * 4; step = 0.1 * 2 / sqrt(0.4)
    (array([0.4]), array([0.683772]))
    """
    velocity *= rho
    velocity += (1 - rho) * np.square(grad)
    if centered:
        average_gradient *= rho
        average_gradient += (1 - rho) * grad
        denominator = velocity - np.square(average_gradient) + epsilon
    else:
        denominator = velocity + epsilon
    increment = lr * grad / np.sqrt(denominator)
    if momentum_buffer is None:
        param -= increment
    else:
        momentum_buffer *= momentum
        momentum_buffer += increment
        param -= momentum_buffer


class RMSprop(Optimizer):
    """RMSprop (Hinton, Coursera lecture 6e, 2012), as in Keras 3.

    .. math::

        v_t = \\rho v_{t-1} + (1-\\rho) g_t^2, \\qquad
        p_t = p_{t-1} - \\eta\\, g_t / \\sqrt{v_t + \\epsilon}

    Each parameter's step is scaled by the inverse root-mean-square of its recent
    gradients, so steep and shallow directions move at similar speeds.

    Args:
        learning_rate: eta (default 0.001).
        rho: decay of the mean square, in [0, 1) (default 0.9).
        momentum: in [0, 1) (default 0); with momentum the increments are accumulated.
        epsilon: > 0 (default 1e-7), added to v *inside* the square root.
        centered: divide by an estimate of the variance ``v - mean(g)^2`` instead.

    PyTorch differs: ``torch.optim.RMSprop`` defaults to ``alpha=0.99`` (its name for
    rho) and ``eps=1e-8`` added *outside* the root, ``g / (sqrt(v) + eps)``.
    """

    update_rule = staticmethod(rmsprop_update)
    hyperparameter_names = ("rho", "momentum", "epsilon", "centered")

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False,
                 **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.rho = _checks.unit_interval("rho", rho)
        self.momentum = _checks.unit_interval("momentum", momentum)
        self.epsilon = _checks.positive("epsilon", epsilon)
        self.centered = _checks.boolean("centered", centered)

    def slot_names(self):
        return (("velocity",) + (("average_gradient",) if self.centered else ())
                + (("momentum_buffer",) if self.momentum > 0 else ()))
