"""Adadelta: a step whose units match the parameter's, from two running averages."""

from __future__ import annotations

import numpy as np

from . import _checks
from .base import Optimizer


def adadelta_update(param, grad, accumulated_grad, accumulated_delta, *, lr, step, rho=0.95,
                    epsilon=1e-7):
    """One Adadelta step, in place (Keras 3's form)::

        E[g^2]  <- rho * E[g^2] + (1 - rho) * g^2
        delta    = - sqrt(E[dx^2] + eps) / sqrt(E[g^2] + eps) * g
        E[dx^2] <- rho * E[dx^2] + (1 - rho) * delta^2
        p <- p + lr * delta

    The ratio of the two root-mean-squares gives the step the units of the parameter,
    so Zeiler's paper needs no learning rate (``lr = 1``); Keras keeps one, with
    default 0.001, which makes Adadelta crawl unless you raise it.

    >>> p, eg, ed = np.array([0.0]), np.zeros(1), np.zeros(1)
    >>> adadelta_update(p, np.array([1.0]), eg, ed, lr=1.0, step=1, rho=0.0, epsilon=1.0)
    >>> p   # delta = -sqrt(0 + 1) / sqrt(1 + 1) * 1
    array([-0.70710678])
    """
    accumulated_grad *= rho
    accumulated_grad += (1 - rho) * np.square(grad)
    delta = -(np.sqrt(accumulated_delta + epsilon) * grad / np.sqrt(accumulated_grad + epsilon))
    accumulated_delta *= rho
    accumulated_delta += (1 - rho) * np.square(delta)
    param += lr * delta


class Adadelta(Optimizer):
    """Adadelta (Zeiler, 2012, arXiv:1212.5701), as in Keras 3.

    Args:
        learning_rate: default 0.001 (the paper's method corresponds to 1.0).
        rho: decay of both running averages, in [0, 1) (default 0.95).
        epsilon: > 0 (default 1e-7), inside both square roots.

    PyTorch differs: ``torch.optim.Adadelta`` defaults to ``lr=1.0``, ``rho=0.9`` and
    ``eps=1e-6``.
    """

    update_rule = staticmethod(adadelta_update)
    hyperparameter_names = ("rho", "epsilon")

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.rho = _checks.unit_interval("rho", rho)
        self.epsilon = _checks.positive("epsilon", epsilon)

    def slot_names(self):
        return ("accumulated_grad", "accumulated_delta")
