"""Adagrad: each entry's step shrinks with the sum of all its past squared gradients."""

from __future__ import annotations

import numpy as np

from . import _checks
from .base import Optimizer


def adagrad_update(param, grad, accumulator, *, lr, step, epsilon=1e-7):
    """One Adagrad step, in place (Keras 3's form)::

        G <- G + g^2
        p <- p - lr * g / sqrt(G + epsilon)

    ``G`` starts at ``initial_accumulator_value`` (0.1 in Keras), not 0, which keeps
    the very first steps from being huge. It only grows, so the effective step
    ``lr / sqrt(G)`` only shrinks: good for sparse features, too slow late in long runs.

    >>> p, G = np.array([1.0]), np.array([0.0])
    >>> adagrad_update(p, np.array([2.0]), G, lr=0.5, step=1, epsilon=0.0)
    >>> p, G
    (array([0.5]), array([4.]))
    """
    accumulator += np.square(grad)
    param -= lr * grad / np.sqrt(accumulator + epsilon)


class Adagrad(Optimizer):
    """Adagrad (Duchi, Hazan and Singer, 2011), as in Keras 3.

    .. math::

        G_t = G_{t-1} + g_t^2, \\qquad p_t = p_{t-1} - \\eta\\, g_t / \\sqrt{G_t + \\epsilon}

    Args:
        learning_rate: eta (default 0.001).
        initial_accumulator_value: G_0 >= 0 (default 0.1).
        epsilon: > 0 (default 1e-7), inside the square root.

    PyTorch differs: ``torch.optim.Adagrad`` starts G at 0, adds ``eps=1e-10``
    outside the root, and has an ``lr_decay``.
    """

    update_rule = staticmethod(adagrad_update)
    hyperparameter_names = ("initial_accumulator_value", "epsilon")

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.initial_accumulator_value = _checks.non_negative(
            "initial_accumulator_value", initial_accumulator_value)
        self.epsilon = _checks.positive("epsilon", epsilon)

    def slot_names(self):
        return ("accumulator",)

    def initial_slot(self, name, param):
        return np.full_like(param, self.initial_accumulator_value)
