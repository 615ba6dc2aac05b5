"""RAdam: Adam whose adaptive step is switched on only once it can be trusted."""

from __future__ import annotations

import math

import numpy as np

from . import _checks
from .base import Optimizer


def rectification(beta_2: float, t: int) -> float | None:
    """RAdam's variance rectification factor r_t, or None while it is undefined.

    ``rho_inf = 2 / (1 - beta_2) - 1`` and ``rho_t = rho_inf - 2 t beta_2^t / (1 - beta_2^t)``
    estimate how many gradients the average v effectively holds. While ``rho_t <= 5``
    (PyTorch's threshold; the paper says 4) the variance of the adaptive step is too
    large to use and RAdam takes a plain momentum step. Then::

        r_t = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))

    >>> rectification(0.999, 5) is None, round(rectification(0.999, 6), 6)
    (True, 0.025821)
    """
    rho_inf = 2.0 / (1.0 - beta_2) - 1.0
    rho_t = rho_inf - 2.0 * t * beta_2**t / (1.0 - beta_2**t)
    if rho_t <= 5.0:
        return None
    return math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))


def radam_update(param, grad, m, v, *, lr, step, beta_1=0.9, beta_2=0.999, epsilon=1e-8):
    """One RAdam step, in place, at step ``t = step``, as ``torch.optim.RAdam`` computes it::

        m <- beta_1 * m + (1 - beta_1) * g
        v <- beta_2 * v + (1 - beta_2) * g^2
        m_hat = m / (1 - beta_1^t)
        p <- p - lr * m_hat * r_t * sqrt(1 - beta_2^t) / (sqrt(v) + epsilon)   if r_t defined
        p <- p - lr * m_hat                                                    otherwise
    """
    m += (1 - beta_1) * (grad - m)
    v *= beta_2
    v += (1 - beta_2) * np.square(grad)
    m_hat = m / (1 - beta_1**step)
    r = rectification(beta_2, step)
    if r is None:
        param -= m_hat * lr
    else:
        param -= m_hat * lr * (math.sqrt(1 - beta_2**step) / (np.sqrt(v) + epsilon)) * r


class RAdam(Optimizer):
    """Rectified Adam (Liu et al., 2020, arXiv:1908.03265), as ``torch.optim.RAdam`` computes it.

    Not in Keras; arguments use Keras's names. For the first few steps (while
    ``rho_t <= 5``, i.e. t <= 5 at beta_2 = 0.999) it takes bias-corrected momentum
    steps, then Adam steps scaled by the rectification factor r_t, which rises towards
    1: a built-in, parameter-free learning-rate warmup.

    Args:
        learning_rate: default 0.001. beta_1: default 0.9. beta_2: default 0.999.
        epsilon: > 0, default 1e-8 (PyTorch's), added to sqrt(v) before the bias
            correction, as PyTorch does.
        weight_decay: decoupled (``torch.optim.RAdam(decoupled_weight_decay=True)``).
    """

    update_rule = staticmethod(radam_update)
    hyperparameter_names = ("beta_1", "beta_2", "epsilon")

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = _checks.moment_hyperparameters(beta_1, beta_2, epsilon)

    def slot_names(self):
        return ("m", "v")
