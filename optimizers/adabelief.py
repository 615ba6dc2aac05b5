"""AdaBelief: scale the step by how far the gradient strays from its prediction."""

from __future__ import annotations

import numpy as np

from . import _checks
from .base import Optimizer


def adabelief_update(param, grad, m, s, *, lr, step, beta_1=0.9, beta_2=0.999, epsilon=1e-16):
    """One AdaBelief step, in place, at step ``t = step`` (Algorithm 2 of the paper)::

        m <- beta_1 * m + (1 - beta_1) * g
        s <- beta_2 * s + (1 - beta_2) * (g - m)^2 + epsilon
        m_hat = m / (1 - beta_1^t),   s_hat = s / (1 - beta_2^t)
        p <- p - lr * m_hat / (sqrt(s_hat) + epsilon)

    Where Adam divides by the size of the gradient, AdaBelief divides by its surprise
    ``(g - m)^2``: when the gradient agrees with its running mean ("belief") the step
    is large, when it jumps around the step is small.

    >>> p, m, s = np.zeros(1), np.zeros(1), np.zeros(1)
    >>> adabelief_update(p, np.array([1.0]), m, s, lr=0.1, step=1, beta_1=0.5, beta_2=0.5, epsilon=0.0)
    >>> m, s, p   # m = 0.5; s = 0.5 * 0.25; m_hat = 1, s_hat = 0.25, step 0.1 * 1 / 0.5
    (array([0.5]), array([0.125]), array([-0.2]))
    """
    m += (1 - beta_1) * (grad - m)
    s *= beta_2
    s += (1 - beta_2) * np.square(grad - m)
    s += epsilon
    m_hat = m / (1 - beta_1**step)
    s_hat = s / (1 - beta_2**step)
    param -= lr * m_hat / (np.sqrt(s_hat) + epsilon)


class AdaBelief(Optimizer):
    """AdaBelief (Zhuang et al., NeurIPS 2020, arXiv:2010.07468).

    Not in Keras; arguments use Keras's names.

    Args:
        learning_rate: default 0.001. beta_1: default 0.9. beta_2: default 0.999.
        epsilon: > 0, default 1e-16 (the authors' package default; the paper's
            Algorithm 2 adds it both inside s and outside the root, and so do we).
        weight_decay: decoupled, as in the authors' ``weight_decouple=True`` option.
    """

    update_rule = staticmethod(adabelief_update)
    hyperparameter_names = ("beta_1", "beta_2", "epsilon")

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-16, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = _checks.moment_hyperparameters(beta_1, beta_2, epsilon)

    def slot_names(self):
        return ("m", "s")
