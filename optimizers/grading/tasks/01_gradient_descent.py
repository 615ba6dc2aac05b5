"""Checks for exercise 01: the gradient-descent step, a numerical gradient, a descent loop."""

from __future__ import annotations

import numpy as np

from ...sgd import sgd_update
from ..core import task
from ._common import describe, log_uniform, pure_case, random_shape

EXERCISE = "01_gradient_descent"


@task("gradient_descent_step", exercise=EXERCISE, points=2,
      title="One step of gradient descent: param - learning_rate * grad")
def check_gradient_descent_step(student, rng):
    """Random shapes and rates; a float32 case; a zero gradient."""
    settings = [(random_shape(rng), np.float64, False) for _ in range(3)]
    settings += [(random_shape(rng), np.float32, False), (random_shape(rng), np.float64, True)]
    for shape, dtype, zero in settings:
        param = rng.normal(size=shape).astype(dtype)
        grad = np.zeros(shape, dtype) if zero else rng.normal(size=shape).astype(dtype)
        lr = log_uniform(rng, 0.01, 0.9)
        expected = param.copy()
        sgd_update(expected, grad, lr=lr, step=1)  # the library's rule, on a copy
        mistakes = {
            "Wrong sign: gradient descent steps *against* the gradient, "
            "param - learning_rate * grad.": param + lr * grad,
            "The learning rate is missing: multiply the gradient by learning_rate.": param - grad,
            "You divided by the learning rate; multiply by it instead.": param - grad / lr,
            "You returned only the step; return the new parameter, param - learning_rate * grad.":
                -lr * grad,
        }
        tolerance = dict(rtol=1e-6, atol=1e-7) if dtype == np.float32 else {}
        yield pure_case(describe(shape, dtype, learning_rate=lr, grad="zeros" if zero else "random"),
                        student, (param, grad, lr), expected=expected, mistakes=mistakes, **tolerance)


def _test_function(rng, shape):
    """A smooth function of an array with a curved gradient, plus its description.

    f(x) = sum(a * x**3) / 3 + sum(b * x) + (sum(c * x))**2 / 2 mixes every entry,
    so an entry perturbed and not put back changes the other partial derivatives.
    """
    a, b, c = (rng.normal(size=shape) for _ in range(3))

    def f(x):
        return float(np.sum(a * x**3) / 3 + np.sum(b * x) + np.sum(c * x) ** 2 / 2)

    return f


def _differences(f, x, h):
    """Central, forward and backward differences, entry by entry (the reference)."""
    central, forward, backward = (np.zeros(x.shape) for _ in range(3))
    f_x = f(x.copy())
    for index in np.ndindex(x.shape):
        e = np.zeros(x.shape)
        e[index] = h
        f_plus, f_minus = f(x + e), f(x - e)
        central[index] = (f_plus - f_minus) / (2 * h)
        forward[index] = (f_plus - f_x) / h
        backward[index] = (f_x - f_minus) / h
    return central, forward, backward


@task("numerical_gradient", exercise=EXERCISE, points=3,
      title="Gradient by central differences, (f(x + h e_i) - f(x - h e_i)) / (2h)")
def check_numerical_gradient(student, rng):
    """Central differences on cubic test functions of several shapes and steps h."""
    for h in (1e-3, 1e-4, None, 1e-2):
        shape = random_shape(rng, max_size=12)
        f = _test_function(rng, shape)
        x = rng.normal(size=shape)
        step = 1e-5 if h is None else h
        central, forward, backward = _differences(f, x, step)
        mistakes = {
            "That is the forward difference (f(x + h) - f(x)) / h; use the central one, "
            "(f(x + h e_i) - f(x - h e_i)) / (2 h): its error shrinks like h**2, not h.": forward,
            "That is the backward difference; use the central one, "
            "(f(x + h e_i) - f(x - h e_i)) / (2 h).": backward,
            "Twice the right answer: divide by 2 * h (the two points are 2h apart), not h.":
                2 * central,
        }
        args = (f, x) if h is None else (f, x, h)
        description = f"x of shape {shape}, " + ("h left at its default 1e-5" if h is None else f"h={h:g}")
        # Round-off in f(x +- h) is divided by 2h, so allow a little more than the default.
        yield pure_case(description, student, args, expected=central, mistakes=mistakes,
                        rtol=1e-6, atol=1e-7)


@task("gradient_descent", exercise=EXERCISE, points=2,
      title="Run gradient descent and return the whole path, starting point included")
def check_gradient_descent(student, rng):
    """Quadratic bowls whose paths are known in closed form: x_k = x* + (I - lr A)^k (x_0 - x*)."""
    for steps in (int(rng.integers(5, 15)), int(rng.integers(15, 30)), 0, 1):
        d = int(rng.integers(2, 5))
        Q = np.linalg.qr(rng.normal(size=(d, d)))[0]
        curvatures = rng.uniform(0.5, 4.0, size=d)
        A = Q @ np.diag(curvatures) @ Q.T          # symmetric positive definite
        minimum = rng.normal(size=d)
        lr = float(rng.uniform(0.1, 1.0) / curvatures.max())  # stable: lr < 2 / max curvature

        def grad_fn(x, A=A, minimum=minimum):
            return A @ (x - minimum)               # gradient of 0.5 (x - x*)^T A (x - x*)

        start = rng.normal(size=d) * 3
        contraction = np.eye(d) - lr * A
        expected = np.array([minimum + np.linalg.matrix_power(contraction, k) @ (start - minimum)
                             for k in range(steps + 1)])
        mistakes = {
            "Row 0 must be the starting point itself: the path has steps + 1 rows.": expected[1:],
            "One step short: run `steps` updates, so the path has steps + 1 rows.": expected[:-1],
            "Every row holds the same point: you stored the same array object each time and "
            "then changed it in place. Store a new array per step (x = x - lr * g).":
                np.repeat(expected[-1:], steps + 1, axis=0),
        }
        description = f"quadratic bowl in {d}-D, steps={steps}, learning_rate={lr:.4g}"
        yield pure_case(description, student, (grad_fn, start, lr, steps), expected=expected,
                        mistakes=mistakes, rtol=1e-9, atol=1e-10)
