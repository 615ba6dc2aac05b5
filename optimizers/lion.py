"""Lion: the sign of an interpolated momentum (Chen et al., 2023)."""

from __future__ import annotations

import numpy as np

from . import _checks
from .base import Optimizer


def lion_update(param, grad, m, *, lr, step, beta_1=0.9, beta_2=0.99):
    """One Lion step, in place::

        p <- p - lr * sign(beta_1 * m + (1 - beta_1) * g)
        m <- beta_2 * m + (1 - beta_2) * g

    Every entry moves by exactly ``lr`` (or 0), so Lion wants a learning rate 3-10x
    smaller than Adam's, and a larger weight decay.

    >>> p, m = np.zeros(3), np.zeros(3)
    >>> lion_update(p, np.array([0.2, -5.0, 0.0]), m, lr=0.1, step=1)
    >>> p
    array([-0.1,  0.1,  0. ])
    """
    param -= lr * np.sign(m * beta_1 + grad * (1.0 - beta_1))
    m *= beta_2
    m += grad * (1.0 - beta_2)


class Lion(Optimizer):
    """Lion, "EvoLved Sign Momentum" (Chen et al., 2023, arXiv:2302.06675), as in Keras 3.

    Args:
        learning_rate: default 0.001.
        beta_1: weight of the momentum inside the sign, in (0, 1] (default 0.9;
            0 would make it plain sign descent, which Keras refuses too).
        beta_2: decay of the momentum, in [0, 1) (default 0.99).

    There is no Lion in PyTorch itself; the authors' reference code matches this.
    """

    update_rule = staticmethod(lion_update)
    hyperparameter_names = ("beta_1", "beta_2")

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, **kwargs):
        super().__init__(learning_rate, **kwargs)
        beta_1 = _checks.real("beta_1", beta_1)
        if not 0.0 < beta_1 <= 1.0:
            raise ValueError(f"`beta_1` must be in (0, 1] (0 degenerates to sign descent), got {beta_1!r}.")
        self.beta_1 = beta_1
        self.beta_2 = _checks.unit_interval("beta_2", beta_2)

    def slot_names(self):
        return ("m",)
