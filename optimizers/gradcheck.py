"""Gradient checking: compare backprop with finite differences.

Backpropagation is easy to get subtly wrong (a missing transpose, a forgotten
1/n). The cure is to compare it with the *definition* of the derivative,
evaluated numerically by central differences:

    df/dx_i  ~  (f(x + h e_i) - f(x - h e_i)) / (2 h)

whose error shrinks like h^2. The comparison uses the relative error

    rel(a, b) = |a - b| / max(|a| + |b|, tiny)

which is scale-free. Rough guide in float64 with h = 1e-6: below 1e-7 is
right; around 1e-4 is suspicious (or a ReLU kink was crossed); above 1e-2 the
gradient is wrong.

>>> import numpy as np
>>> from optimizers.models import LogisticRegression
>>> rng = np.random.default_rng(0)
>>> X, y = rng.normal(size=(5, 3)), np.array([0, 1, 1, 0, 1])
>>> gradcheck(LogisticRegression(3), X, y) < 1e-7
True
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["numerical_gradient", "relative_error", "gradient_errors", "gradcheck", "TINY"]

TINY = 1e-12
"""Floor on |a| + |b| in the relative error, so two exact zeros compare as equal."""


def _check_h(h):
    if isinstance(h, bool) or not isinstance(h, numbers.Real):
        raise TypeError(f"h must be a positive float step, got {h!r}")
    if not np.isfinite(h) or h <= 0:
        raise ValueError(f"h must be a positive finite float step, got {h!r}")
    return float(h)


def numerical_gradient(f, x, h=1e-6):
    """Gradient of the scalar function ``f`` at ``x`` by central differences.

    Math: g_i = (f(x + h e_i) - f(x - h e_i)) / (2 h) for every entry i of x.

    ``x`` is perturbed *in place*, one entry at a time, so ``f`` can read it
    from anywhere (for example a model's parameter array). Each entry is put
    back to its exact original value afterwards, even if ``f`` raises.

    Args:
        f: callable ``f(x) -> float``; it may ignore its argument and read x
            from elsewhere (e.g. ``lambda _: model.loss(X, y)``).
        x: a float ndarray, modified during the call and restored after.
        h: the step, a positive float.

    Returns:
        an ndarray of x's shape, float64.

    >>> x = np.array([1.0, 2.0])
    >>> g = numerical_gradient(lambda v: float(np.sum(v**2)), x)
    >>> np.allclose(g, [2.0, 4.0]), x.tolist()
    (True, [1.0, 2.0])
    """
    if not callable(f):
        raise TypeError(f"f must be a callable f(x) -> float, got {type(f).__name__}")
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise TypeError("x must be a float ndarray (it is perturbed in place), "
                        f"got {type(x).__name__} of dtype {getattr(x, 'dtype', None)}")
    h = _check_h(h)
    grad = np.zeros(x.shape, dtype=np.float64)
    # A Python loop is unavoidable here: each entry needs its own two evaluations.
    for index in np.ndindex(x.shape):
        original = x[index]  # a NumPy scalar: an immutable copy of the entry
        try:
            x[index] = original + h
            f_plus = float(f(x))
            x[index] = original - h
            f_minus = float(f(x))
        finally:
            # Restore the stored value, not original + h - h, which can differ in the last bit.
            x[index] = original
        grad[index] = (f_plus - f_minus) / (2.0 * h)
    return grad


def relative_error(a, b, tiny=TINY):
    """Largest elementwise relative error between two arrays of the same shape.

    Math: max_i |a_i - b_i| / max(|a_i| + |b_i|, tiny).

    >>> relative_error(np.array([1.0, 0.0]), np.array([1.0 + 1e-9, 0.0])) < 1e-9
    True
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    denom = np.maximum(np.abs(a) + np.abs(b), tiny)
    return float(np.max(np.abs(a - b) / denom))


def gradient_errors(model, X, y, h=1e-6):
    """Relative error of backprop against finite differences, per parameter.

    Returns a dict ``{param_name: max relative error over that parameter}`` in
    the model's parameter order, handy for a readable report:

        for name, err in gradient_errors(model, X, y).items():
            print(f"{name:>4}: {err:.1e}")

    The model's parameters are perturbed during the check and restored exactly.
    """
    h = _check_h(h)
    _, analytic = model.loss_and_grads(X, y)
    errors = {}
    for name, param, grad in zip(model.param_names, model.params, analytic):
        numeric = numerical_gradient(lambda _: model.loss(X, y), param, h=h)
        errors[name] = relative_error(grad, numeric)
    return errors


def gradcheck(model, X, y, h=1e-6):
    """Max relative error between backprop and finite differences over all params.

    Math: max over every parameter entry i of
        |a_i - b_i| / max(|a_i| + |b_i|, tiny),
    where a is the backprop gradient and b the finite-difference one from
    :func:`numerical_gradient`.

    Args:
        model: anything with ``params``, ``param_names``, ``loss`` and ``loss_and_grads``.
        X, y: the batch the loss is evaluated on (keep it small: 2 loss
            evaluations per parameter entry).
        h: finite-difference step.

    Returns:
        a float; about 1e-8 or less for a correct float64 gradient.
    """
    return max(gradient_errors(model, X, y, h=h).values(), default=0.0)
