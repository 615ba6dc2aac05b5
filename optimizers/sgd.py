"""Gradient descent, with optional momentum and Nesterov momentum.

Plain gradient descent is ``SGD()`` with ``momentum=0``. Whether it is *batch*,
*mini-batch* or *stochastic* gradient descent depends only on how many examples the
gradient was averaged over (the training loop's ``batch_size``), not on the optimizer.
"""

from __future__ import annotations

import numpy as np

from . import _checks
from .base import Optimizer


def sgd_update(param, grad, velocity=None, *, lr, step, momentum=0.0, nesterov=False):
    """One step of gradient descent, in place.

    Without momentum (``velocity is None``)::

        p <- p - lr * g

    With momentum (Keras's form: the velocity carries the learning rate)::

        v <- momentum * v - lr * g
        p <- p + v                          (classical momentum)
        p <- p + momentum * v - lr * g      (Nesterov, with the new v)

    ``step`` is unused: gradient descent has no step-dependent terms.

    >>> p, v = np.array([1.0, -2.0]), np.zeros(2)
    >>> sgd_update(p, np.array([0.5, 0.5]), v, lr=0.1, step=1, momentum=0.9)
    >>> p, v
    (array([ 0.95, -2.05]), array([-0.05, -0.05]))
    """
    if velocity is None:
        param -= grad * lr
        return
    velocity *= momentum
    velocity -= grad * lr
    if nesterov:
        param += velocity * momentum - grad * lr
    else:
        param += velocity


class SGD(Optimizer):
    """Stochastic gradient descent, with optional (Nesterov) momentum, as in Keras 3.

    .. math::

        v_t = \\mu v_{t-1} - \\eta g_t, \\qquad
        p_t = p_{t-1} + v_t \\quad\\text{or (Nesterov)}\\quad
        p_t = p_{t-1} + \\mu v_t - \\eta g_t

    and ``p_t = p_{t-1} - eta g_t`` when ``momentum == 0``.

    Args:
        learning_rate: step size eta (default 0.01), a schedule or an array.
        momentum: mu in [0, 1) (default 0: plain gradient descent).
        nesterov: look ahead along the velocity (needs ``momentum > 0``).
        weight_decay, clipnorm, clipvalue, global_clipnorm, name: see
            :class:`optimizers.base.Optimizer`.

    PyTorch differs: ``torch.optim.SGD`` keeps ``b = mu b + g`` and steps
    ``p -= lr * b``. At a constant learning rate both give the same path
    (``v = -lr * b``); once a schedule changes the rate they differ, because Keras's
    velocity remembers the old rates and PyTorch's buffer does not. PyTorch's
    ``dampening`` and coupled ``weight_decay`` have no Keras counterpart.

    >>> p = np.array([1.0])
    >>> SGD(learning_rate=0.1).apply(np.array([2.0]), p); p
    array([0.8])
    """

    update_rule = staticmethod(sgd_update)
    hyperparameter_names = ("momentum", "nesterov")

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.momentum = _checks.unit_interval("momentum", momentum)
        self.nesterov = _checks.boolean("nesterov", nesterov)
        if nesterov and self.momentum == 0:
            raise ValueError("`nesterov` is True but `momentum` is 0: Nesterov momentum needs "
                             "`momentum` in (0, 1).")

    def slot_names(self):
        return ("velocity",) if self.momentum != 0 else ()
