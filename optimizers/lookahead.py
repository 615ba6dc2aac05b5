"""Lookahead: a slow copy of the weights that follows the fast optimizer's lead."""

from __future__ import annotations

import numpy as np

from . import _checks
from .base import Optimizer


def lookahead_sync(params, slow, alpha):
    """Pull the slow weights towards the fast ones, then restart the fast ones there::

        slow <- slow + alpha * (fast - slow)  =  (1 - alpha) * slow + alpha * fast
        fast <- slow

    (computed in the second form, which makes ``alpha = 1`` exactly "take the fast weights").

    >>> fast, slow = [np.array([2.0])], [np.array([0.0])]
    >>> lookahead_sync(fast, slow, 0.5); fast, slow
    ([array([1.])], [array([1.])])
    """
    for p, s in zip(params, slow):
        s *= 1.0 - alpha
        s += alpha * p
        p[...] = s


class Lookahead:
    """Lookahead (Zhang, Lucas, Hinton and Ba, NeurIPS 2019, arXiv:1907.08610).

    Wraps any optimizer of this package (the *inner*, or fast, optimizer). The inner
    optimizer updates the parameters as usual; every ``k`` updates the slow weights
    move a fraction ``alpha`` of the way to the parameters, and the parameters are
    reset to the slow weights. The inner optimizer keeps its state across the resets.
    The slow weights start as a copy of the parameters before the first update.

    Args:
        inner: the fast optimizer (e.g. ``Adam()``).
        k: number of fast steps between synchronisations, >= 1 (default 5).
        alpha: slow step size in (0, 1] (default 0.5); ``alpha = 1`` makes Lookahead
            exactly its inner optimizer.

    Not in Keras or PyTorch core; it has the same methods as every optimizer here.

    >>> from optimizers import SGD
    >>> p = np.array([0.0])
    >>> la = Lookahead(SGD(learning_rate=1.0), k=2, alpha=0.5)
    >>> la.apply(np.array([-1.0]), p); p           # fast step: 0 -> 1
    array([1.])
    >>> la.apply(np.array([-1.0]), p); p           # 1 -> 2, then sync: slow 0 -> 1
    array([1.])
    """

    def __init__(self, inner, k=5, alpha=0.5, name=None):
        if not isinstance(inner, Optimizer):
            raise TypeError(f"`inner` must be an optimizer of this package, got {type(inner).__name__}.")
        self.inner = inner
        self.k = _checks.integer("k", k, 1)
        alpha = _checks.real("alpha", alpha)
        if not 0.0 < alpha <= 1.0:
            raise ValueError(f"`alpha` must be in (0, 1], got {alpha!r}.")
        self.alpha = alpha
        self.name = f"lookahead({inner.name})" if name is None else str(name)
        self.iterations = 0
        self.slow: list[np.ndarray] = []

    @property
    def learning_rate(self):
        """The inner optimizer's learning rate."""
        return self.inner.learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self.inner.learning_rate = value

    @property
    def state(self):
        """The inner optimizer's slots, each dict extended with the slow weights ``"slow"``."""
        if not self.slow:
            return self.inner.state
        return [{**s, "slow": w} for s, w in zip(self.inner.state, self.slow)]

    def apply(self, grads, params) -> None:
        """One inner update; every ``k``-th call also synchronises the slow weights."""
        first = not self.slow
        params_list = [params] if isinstance(params, np.ndarray) else list(params)
        before = [p.copy() for p in params_list] if first else None
        self.inner.apply(grads, params)  # checks everything; raises before changing anything
        if first:
            self.slow = before
        self.iterations += 1
        if self.iterations % self.k == 0:
            lookahead_sync(params_list, self.slow, self.alpha)

    def apply_gradients(self, grads_and_vars) -> None:
        """Keras-style ``apply_gradients(zip(grads, params))``."""
        grads, params = zip(*list(grads_and_vars))
        self.apply(list(grads), list(params))

    def get_config(self) -> dict:
        return {"name": self.name, "k": self.k, "alpha": self.alpha,
                "inner": {"class_name": type(self.inner).__name__, "config": self.inner.get_config()}}

    @classmethod
    def from_config(cls, config: dict):
        from . import ALL
        config = dict(config)
        inner = config.pop("inner")
        return cls(ALL[inner["class_name"]].from_config(inner["config"]), **config)

    def state_dict(self) -> dict:
        return {"class_name": "Lookahead", "iterations": self.iterations,
                "slow": [w.copy() for w in self.slow], "inner": self.inner.state_dict()}

    def load_state_dict(self, state: dict) -> None:
        if not isinstance(state, dict) or state.get("class_name") != "Lookahead":
            raise ValueError("`state` must be a dict made by Lookahead.state_dict().")
        iterations = _checks.integer("state['iterations']", state.get("iterations"), 0)
        self.inner.load_state_dict(state["inner"])  # validates the inner part before changing it
        self.iterations = iterations
        self.slow = [np.array(w, copy=True) for w in state["slow"]]

    def __repr__(self) -> str:
        return f"Lookahead({self.inner!r}, k={self.k}, alpha={self.alpha})"
