"""Gradient clipping, with the three meanings Keras gives it.

Clipping happens first in every update, before weight decay and the rule itself. Each
function returns new arrays and never modifies the gradients it was given (they belong
to the caller).

* ``clip_by_value``: each entry is clipped to ``[-c, c]``. This can change the
  gradient's direction.
* ``clip_by_norm``: each tensor ``g`` is rescaled to ``g * c / max(||g||, c)``, so its
  L2 norm is at most ``c`` and its direction is kept.
* ``clip_by_global_norm``: all tensors are rescaled by one common factor
  ``c / max(||G||, c)``, where ``||G||`` is the norm of all gradients together, so the
  direction of the whole update is kept.
"""

from __future__ import annotations

import numpy as np


def clip_by_value(grads: list[np.ndarray], clipvalue: float) -> list[np.ndarray]:
    """Clip every entry of every gradient to ``[-clipvalue, clipvalue]``.

    >>> clip_by_value([np.array([-3.0, 0.5, 2.0])], 1.0)[0]
    array([-1. ,  0.5,  1. ])
    """
    return [np.clip(g, -clipvalue, clipvalue) for g in grads]


def l2_norm(g: np.ndarray) -> float:
    """The Euclidean norm ``sqrt(sum(g**2))`` of all entries of ``g``."""
    return float(np.sqrt(np.vdot(g, g).real)) if g.size else 0.0


def clip_by_norm(grads: list[np.ndarray], clipnorm: float) -> list[np.ndarray]:
    """Rescale each gradient separately to ``g * c / max(||g||, c)``.

    Written without a branch, as Keras does: a gradient already shorter than ``c`` is
    multiplied by ``c / c``.

    >>> clip_by_norm([np.array([3.0, 4.0]), np.array([0.3, 0.4])], 1.0)
    [array([0.6, 0.8]), array([0.3, 0.4])]
    """
    return [g * clipnorm / max(l2_norm(g), clipnorm) for g in grads]


def clip_by_global_norm(grads: list[np.ndarray], global_clipnorm: float) -> list[np.ndarray]:
    """Rescale all gradients by one factor so their joint norm is at most ``c``.

    ``scale = c * min(1 / ||G||, 1 / c)`` with ``||G|| = sqrt(sum_i ||g_i||^2)``; a NaN
    or infinite norm makes the scale NaN, so a broken gradient is not silently hidden.

    >>> clip_by_global_norm([np.array([3.0]), np.array([4.0])], 1.0)
    [array([0.6]), array([0.8])]
    """
    norm = np.float64(np.sqrt(sum(l2_norm(g) ** 2 for g in grads)))
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = global_clipnorm * min(1.0 / norm, 1.0 / global_clipnorm) + (norm - norm)
    return [g * scale for g in grads]
