"""Adam and AdamW: momentum plus a per-parameter scale, with bias correction."""

from __future__ import annotations

import math

import numpy as np

from . import _checks
from .base import Optimizer


def adam_update(param, grad, m, v, v_max=None, *, lr, step, beta_1=0.9, beta_2=0.999,
                epsilon=1e-7):
    """One Adam step, in place, at step ``t = step`` (1 for the first update).

    ::

        m <- beta_1 * m + (1 - beta_1) * g          (first moment: momentum)
        v <- beta_2 * v + (1 - beta_2) * g^2        (second moment: scale)
        v_max <- max(v_max, v); use v_max as v      (AMSGrad only)
        alpha = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)   (both bias corrections)
        p <- p - alpha * m / (sqrt(v) + epsilon)

    This equals ``p -= lr * m_hat / (sqrt(v_hat) + eps_hat)`` with
    ``m_hat = m / (1 - beta_1^t)``, ``v_hat = v / (1 - beta_2^t)`` and
    ``eps_hat = epsilon / sqrt(1 - beta_2^t)``: Keras adds epsilon *before* correcting
    v, PyTorch after. The first step moves every entry by about ``lr``, a little less
    where ``sqrt(v)`` is not much larger than epsilon:

    >>> p, m, v = np.zeros(2), np.zeros(2), np.zeros(2)
    >>> adam_update(p, np.array([3.0, -0.01]), m, v, lr=0.1, step=1)
    >>> p.round(6)
    array([-0.1     ,  0.099968])
    """
    m += (1 - beta_1) * (grad - m)
    v += (1 - beta_2) * (np.square(grad) - v)
    if v_max is not None:
        np.maximum(v_max, v, out=v_max)
        v = v_max
    alpha = lr * math.sqrt(1 - beta_2**step) / (1 - beta_1**step)
    param -= m * alpha / (np.sqrt(v) + epsilon)


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015, arXiv:1412.6980), as in Keras 3.

    .. math::

        m_t = \\beta_1 m_{t-1} + (1-\\beta_1) g_t, \\quad
        v_t = \\beta_2 v_{t-1} + (1-\\beta_2) g_t^2, \\quad
        p_t = p_{t-1} - \\eta \\frac{\\sqrt{1-\\beta_2^t}}{1-\\beta_1^t}
              \\frac{m_t}{\\sqrt{v_t} + \\epsilon}

    Args:
        learning_rate: eta (default 0.001).
        beta_1: decay of the first moment, in [0, 1) (default 0.9).
        beta_2: decay of the second moment, in [0, 1) (default 0.999).
        epsilon: > 0 (default 1e-7; it caps the step at about ``eta * |m| / epsilon``
            where v is tiny).
        amsgrad: divide by the running maximum of v (Reddi et al., 2018).
        weight_decay: decoupled, so ``Adam(weight_decay=w)`` behaves like ``AdamW``.

    PyTorch differs: ``torch.optim.Adam`` uses ``eps=1e-8`` added after the bias
    correction of v, and its ``weight_decay`` is an L2 term added to the gradient
    (use ``AdamW`` there for the decoupled form).
    """

    update_rule = staticmethod(adam_update)
    hyperparameter_names = ("beta_1", "beta_2", "epsilon", "amsgrad")

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = _checks.moment_hyperparameters(beta_1, beta_2, epsilon)
        self.amsgrad = _checks.boolean("amsgrad", amsgrad)

    def slot_names(self):
        return ("m", "v", "v_max") if self.amsgrad else ("m", "v")


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov and Hutter, 2019, arXiv:1711.05101).

    Before each Adam step the weights shrink toward zero by a fixed fraction:
    ``p <- p - p * weight_decay * lr``. Unlike an L2 penalty added to the loss, this
    decay is not divided by Adam's ``sqrt(v)``, so every weight decays at the same
    rate whatever its gradient history. Same arguments as :class:`Adam`, with
    ``weight_decay`` defaulting to 0.004 (Keras 3's default; PyTorch's is 0.01).
    """

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False, **kwargs):
        super().__init__(learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon,
                         amsgrad=amsgrad, weight_decay=weight_decay, **kwargs)
