"""Adamax: Adam with the infinity norm in place of the root mean square."""

from __future__ import annotations

import numpy as np

from . import _checks
from .base import Optimizer


def adamax_update(param, grad, m, u, *, lr, step, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    """One Adamax step, in place, at step ``t = step``::

        m <- beta_1 * m + (1 - beta_1) * g
        u <- max(beta_2 * u, |g|)              (a decaying maximum, needs no correction)
        p <- p - lr * m / ((1 - beta_1^t) * (u + epsilon))

    >>> p, m, u = np.zeros(1), np.zeros(1), np.zeros(1)
    >>> adamax_update(p, np.array([-4.0]), m, u, lr=0.1, step=1, epsilon=0.0)
    >>> p, u
    (array([0.1]), array([4.]))
    """
    m += (1 - beta_1) * (grad - m)
    np.maximum(beta_2 * u, np.abs(grad), out=u)
    param -= lr * m / ((1 - beta_1**step) * (u + epsilon))


class Adamax(Optimizer):
    """Adamax (Kingma and Ba, 2015, section 7.1), as in Keras 3.

    Args:
        learning_rate: default 0.001. beta_1: default 0.9. beta_2: default 0.999.
        epsilon: > 0, default 1e-7, added to u.

    PyTorch's ``torch.optim.Adamax`` defaults to ``lr=0.002`` and ``eps=1e-8``, and
    adds eps inside the maximum: ``u = max(beta_2 u, |g| + eps)``.
    """

    update_rule = staticmethod(adamax_update)
    hyperparameter_names = ("beta_1", "beta_2", "epsilon")

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = _checks.moment_hyperparameters(beta_1, beta_2, epsilon)

    def slot_names(self):
        return ("m", "u")
