"""Nadam: Adam with Nesterov momentum (Dozat, 2016), as Keras computes it."""

from __future__ import annotations

import numpy as np

from . import _checks
from .base import Optimizer


def momentum_factor(beta_1: float, t: int) -> float:
    """Dozat's momentum schedule ``u_t = beta_1 * (1 - 0.5 * 0.96^t)``.

    It warms the momentum up from ``0.52 * beta_1`` at t = 1 towards ``beta_1``.
    """
    return beta_1 * (1.0 - 0.5 * 0.96**t)


def nadam_update(param, grad, m, v, *, lr, step, u_product, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7):
    """One Nadam step, in place, at step ``t = step``.

    ``u_product`` is ``u_1 * u_2 * ... * u_t`` (kept by the :class:`Nadam` shell)::

        m <- beta_1 * m + (1 - beta_1) * g
        v <- beta_2 * v + (1 - beta_2) * g^2
        m_hat = u_{t+1} * m / (1 - u_1...u_{t+1})  +  (1 - u_t) * g / (1 - u_1...u_t)
        v_hat = v / (1 - beta_2^t)
        p <- p - lr * m_hat / (sqrt(v_hat) + epsilon)

    The first term of ``m_hat`` already uses the *next* step's momentum factor: that
    is the Nesterov look-ahead, folded into the moment estimate.
    """
    u_t = momentum_factor(beta_1, step)
    u_next = momentum_factor(beta_1, step + 1)
    m += (1 - beta_1) * (grad - m)
    v += (1 - beta_2) * (np.square(grad) - v)
    m_hat = u_next * m / (1 - u_product * u_next) + (1 - u_t) * grad / (1 - u_product)
    v_hat = v / (1 - beta_2**step)
    param -= m_hat * lr / (np.sqrt(v_hat) + epsilon)


class Nadam(Optimizer):
    """Nadam (Dozat, 2016, "Incorporating Nesterov momentum into Adam"), as in Keras 3.

    Args:
        learning_rate: default 0.001. beta_1: default 0.9. beta_2: default 0.999.
        epsilon: > 0, default 1e-7, outside the square root.

    The momentum factor follows the schedule ``u_t = beta_1 (1 - 0.5 * 0.96^t)`` and
    the optimizer keeps the running product ``u_1 ... u_t``. PyTorch's
    ``torch.optim.NAdam`` uses ``0.96^(t * momentum_decay)`` with
    ``momentum_decay=0.004``, so its momentum warms up 250 times more slowly, and
    ``eps=1e-8``.
    """

    update_rule = staticmethod(nadam_update)
    hyperparameter_names = ("beta_1", "beta_2", "epsilon")

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = _checks.moment_hyperparameters(beta_1, beta_2, epsilon)
        self.u_product = 1.0

    def slot_names(self):
        return ("m", "v")

    def rule_arguments(self, step):
        # Advanced once per update, for all parameters together (grouped as Keras does).
        self.u_product = self.u_product * self.beta_1 * (1.0 - 0.5 * 0.96**step)
        return {**super().rule_arguments(step), "u_product": self.u_product}

    def _scalar_state(self):
        return {"u_product": self.u_product}

    def _load_scalar_state(self, scalars):
        self.u_product = float(scalars["u_product"])
