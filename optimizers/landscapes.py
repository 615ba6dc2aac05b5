"""Two-dimensional test functions ("loss landscapes") for the lessons to walk on.

A real network has millions of weights, so its loss surface cannot be drawn. These
functions of two variables can: each one isolates a single difficulty an optimizer
meets (a narrow valley, a saddle, a plateau, many local minima, a cliff) so that a
learner can watch what a given update rule does about it.

Every landscape is a :class:`Landscape`. Call it on points ``xy`` of shape
``(..., 2)`` - one point ``(2,)``, a batch ``(n, 2)`` or a whole plotting grid
``(H, W, 2)`` - and get the loss, its analytic gradient and its analytic Hessian in
one vectorised call:

>>> import numpy as np
>>> from optimizers.landscapes import rosenbrock
>>> float(rosenbrock([0.0, 0.0]))
1.0
>>> rosenbrock.grad([0.0, 0.0])
array([-2.,  0.])
>>> rosenbrock(np.zeros((3, 4, 2))).shape
(3, 4)

``ALL`` maps each name to its landscape; :func:`noisy` wraps one so that its
gradient carries seeded Gaussian noise, the way a mini-batch gradient does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ._checks import integer, non_negative

__all__ = [
    "Landscape",
    "NoisyLandscape",
    "noisy",
    "ALL",
    "bowl",
    "ravine",
    "rosenbrock",
    "himmelblau",
    "beale",
    "saddle",
    "monkey_saddle",
    "plateau",
    "rastrigin",
    "cliff",
]


# ---------------------------------------------------------------------------
# Input checking and small helpers
# ---------------------------------------------------------------------------


def _as_points(xy) -> np.ndarray:
    """Return ``xy`` as a float array of shape (..., 2), or raise naming ``xy``."""
    points = np.asarray(xy)
    if points.dtype.kind not in "biuf":
        raise TypeError(
            f"`xy` must hold real numbers, got an array of dtype {points.dtype} "
            f"from {type(xy).__name__}."
        )
    if points.dtype.kind != "f":
        # Integer or boolean coordinates: compute in float64 rather than round.
        points = points.astype(np.float64)
    if points.ndim == 0 or points.shape[-1] != 2:
        raise ValueError(
            f"`xy` must have shape (..., 2): its last axis holds (x, y). Got shape {points.shape}."
        )
    return points


def _points(value) -> np.ndarray:
    """A read-only (k, 2) float array of special points (minima, saddles, ...)."""
    array = np.array(value, dtype=np.float64).reshape(-1, 2) if np.size(value) else np.empty((0, 2))
    array.setflags(write=False)
    return array


def _newton(df, d2f, guesses) -> np.ndarray:
    """Polish approximate stationary points with Newton's method, all at once.

    Solves grad f = 0 by ``p <- p - H(p)^-1 grad f(p)`` for every row of ``guesses``
    (shape (k, 2)). Newton converges quadratically once close, so a guess good to
    two or three digits is enough to reach full float64 precision in a few steps.
    """
    p = np.array(guesses, dtype=np.float64).reshape(-1, 2)
    for _ in range(50):
        fx, fy = np.broadcast_arrays(*df(p[:, 0], p[:, 1]))
        fxx, fxy, fyy = np.broadcast_arrays(p[:, 0], *d2f(p[:, 0], p[:, 1]))[1:]
        det = fxx * fyy - fxy * fxy
        # Inverse of the symmetric 2x2 Hessian applied to the gradient, written out.
        step = np.stack([(fyy * fx - fxy * fy) / det, (fxx * fy - fxy * fx) / det], axis=-1)
        p = p - step
        if np.all(np.abs(step) <= 1e-15 * (1.0 + np.abs(p))):
            break
    return p


# ---------------------------------------------------------------------------
# The Landscape type
# ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, repr=False)
class Landscape:
    """A 2-D loss surface with its analytic gradient, Hessian and known landmarks.

    The three maths functions take the coordinates separately, exactly as the
    formulas are written: ``f(x, y)`` is the loss, ``df(x, y)`` returns
    ``(df/dx, df/dy)`` and ``d2f(x, y)`` returns ``(d2f/dx2, d2f/dxdy, d2f/dy2)``.
    Learners normally use the checked, vectorised methods instead:

    - ``landscape(xy)`` -> loss, shape ``xy.shape[:-1]``
    - ``landscape.grad(xy)`` -> gradient, shape ``xy.shape``
    - ``landscape.hessian(xy)`` -> Hessian, shape ``xy.shape[:-1] + (2, 2)``

    for any ``xy`` of shape ``(..., 2)``.

    Attributes:
        name: short identifier, the key in ``ALL``.
        description: one plain-English line saying what a learner sees there.
        bounds: ``((xmin, xmax), (ymin, ymax))``, the window worth plotting.
        minima: ``(k, 2)`` known local minimisers, global one(s) first;
            ``(0, 2)`` when the function is unbounded below.
        global_min_value: the lowest value of the function (``-inf`` when it
            is unbounded below).
        default_start: ``(2,)`` a start point that shows the lesson.
        saddles: ``(k, 2)`` known saddle points (``(0, 2)`` when none).
        maxima: ``(k, 2)`` known local maximisers (``(0, 2)`` when none).
        log_scale_contours: True when the values span many orders of magnitude,
            so contour levels should be spaced logarithmically.

    Example:
        >>> import numpy as np
        >>> b = Landscape("b", "a round bowl", lambda x, y: x**2 + y**2,
        ...               lambda x, y: (2 * x, 2 * y), lambda x, y: (2.0, 0.0, 2.0),
        ...               bounds=((-1, 1), (-1, 1)), minima=[[0, 0]],
        ...               global_min_value=0.0, default_start=(0.5, 0.5))
        >>> b.grad(np.array([[1.0, 2.0], [3.0, 4.0]]))
        array([[2., 4.],
               [6., 8.]])
        >>> b.hessian([0.0, 0.0])
        array([[2., 0.],
               [0., 2.]])
    """

    name: str
    description: str
    f: Callable
    df: Callable
    d2f: Callable
    bounds: tuple
    minima: np.ndarray
    global_min_value: float
    default_start: np.ndarray
    saddles: np.ndarray = ()
    maxima: np.ndarray = ()
    log_scale_contours: bool = False

    def __post_init__(self):
        # Normalise once so every landscape exposes the same, read-only types.
        (x0, x1), (y0, y1) = self.bounds
        object.__setattr__(self, "bounds", ((float(x0), float(x1)), (float(y0), float(y1))))
        for field in ("minima", "saddles", "maxima"):
            object.__setattr__(self, field, _points(getattr(self, field)))
        start = np.array(self.default_start, dtype=np.float64).reshape(2)
        start.setflags(write=False)
        object.__setattr__(self, "default_start", start)
        object.__setattr__(self, "global_min_value", float(self.global_min_value))

    def __repr__(self) -> str:
        return f"<Landscape {self.name!r}: {self.description}>"

    def __call__(self, xy):
        """Loss ``f(x, y)`` at every point of ``xy`` (shape (..., 2)); shape ``xy.shape[:-1]``."""
        p = _as_points(xy)
        return self.f(p[..., 0], p[..., 1])

    def grad(self, xy) -> np.ndarray:
        """Gradient ``(df/dx, df/dy)`` at every point of ``xy``; same shape as ``xy``."""
        p = _as_points(xy)
        x, y = p[..., 0], p[..., 1]
        fx, fy = np.broadcast_arrays(x, *self.df(x, y))[1:]
        return np.stack([fx, fy], axis=-1)

    def hessian(self, xy) -> np.ndarray:
        """Hessian ``[[f_xx, f_xy], [f_xy, f_yy]]`` at every point; shape ``xy.shape[:-1] + (2, 2)``."""
        p = _as_points(xy)
        x, y = p[..., 0], p[..., 1]
        # Constant second derivatives come back as plain numbers: broadcast them.
        fxx, fxy, fyy = np.broadcast_arrays(x, *self.d2f(x, y))[1:]
        rows = [np.stack([fxx, fxy], axis=-1), np.stack([fxy, fyy], axis=-1)]
        return np.stack(rows, axis=-2)

    def mesh(self, n: int = 200):
        """Grid for contour plots: ``(X, Y, Z)``, each ``(n, n)``, covering ``bounds``.

        >>> X, Y, Z = bowl.mesh(3)
        >>> Z
        array([[18.,  9., 18.],
               [ 9.,  0.,  9.],
               [18.,  9., 18.]])
        """
        n = integer("n", n, minimum=2)
        (x0, x1), (y0, y1) = self.bounds
        X, Y = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
        return X, Y, self(np.stack([X, Y], axis=-1))


# ---------------------------------------------------------------------------
# Quadratics: bowl, ravine, saddle
# ---------------------------------------------------------------------------


def _diagonal_quadratic(a: float, b: float):
    """f = (a x^2 + b y^2) / 2, its gradient (a x, b y) and its constant Hessian."""

    def f(x, y):
        return 0.5 * (a * x**2 + b * y**2)

    def df(x, y):
        return a * x, b * y

    def d2f(x, y):
        return a, 0.0, b

    return f, df, d2f


bowl = Landscape(
    "bowl",
    "A perfectly round bowl, x^2 + y^2: every downhill arrow points at the minimum, the easy case.",
    *_diagonal_quadratic(2.0, 2.0),
    bounds=((-3, 3), (-3, 3)),
    minima=[[0, 0]],
    global_min_value=0.0,
    default_start=(-2.5, 2.0),
)

# Curvature 16 across the valley (y) and 0.2 along it (x): condition number 80.
# Gradient descent is stable for lr < 2/16 = 0.125, so at lr = 0.1 it zig-zags
# across the valley while creeping along it (x shrinks by only 2 % a step).
ravine = Landscape(
    "ravine",
    "A long narrow valley (condition number 80): steep walls across y, a gentle floor along x,"
    " so plain gradient descent zig-zags across it and crawls along it.",
    *_diagonal_quadratic(0.2, 16.0),
    bounds=((-5, 5), (-2.5, 2.5)),
    minima=[[0, 0]],
    global_min_value=0.0,
    default_start=(-4.5, 1.5),
)

saddle = Landscape(
    "saddle",
    "A saddle, x^2 - y^2: a minimum along x but a maximum along y, flat at the centre;"
    " unbounded below, so there is no minimum at all.",
    *_diagonal_quadratic(2.0, -2.0),
    bounds=((-2, 2), (-2, 2)),
    minima=(),
    global_min_value=-np.inf,
    saddles=[[0, 0]],
    # Almost on the ridge line y = 0: the run first slides towards the saddle
    # and stalls there until the tiny y offset grows enough to carry it off.
    default_start=(-1.5, 1e-3),
)


# ---------------------------------------------------------------------------
# Rosenbrock: a curved banana-shaped valley
# ---------------------------------------------------------------------------


def _rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _rosenbrock_grad(x, y):
    return -2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)


def _rosenbrock_hess(x, y):
    return 2 - 400 * y + 1200 * x**2, -400 * x, 200.0


rosenbrock = Landscape(
    "rosenbrock",
    "Rosenbrock's banana: a curved, flat-bottomed valley that is easy to fall into"
    " and slow to follow to the minimum at (1, 1).",
    _rosenbrock,
    _rosenbrock_grad,
    _rosenbrock_hess,
    bounds=((-2, 2), (-1, 3)),
    minima=[[1, 1]],
    global_min_value=0.0,
    default_start=(-1.2, 1.0),  # the start Rosenbrock used in 1960
    log_scale_contours=True,
)


# ---------------------------------------------------------------------------
# Himmelblau: four equal minima, four saddles, one maximum
# ---------------------------------------------------------------------------


def _himmelblau(x, y):
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def _himmelblau_grad(x, y):
    u, v = x**2 + y - 11, x + y**2 - 7
    return 4 * x * u + 2 * v, 2 * u + 4 * y * v


def _himmelblau_hess(x, y):
    return 12 * x**2 + 4 * y - 42, 4 * (x + y), 12 * y**2 + 4 * x - 26


# Rough locations, polished to full precision by Newton's method at import.
# (3, 2) is exact and stays exact: the gradient there is exactly zero.
himmelblau = Landscape(
    "himmelblau",
    "Himmelblau's function: four equally deep minima separated by four saddles and a hill;"
    " which one you reach depends on where you start and how you move.",
    _himmelblau,
    _himmelblau_grad,
    _himmelblau_hess,
    bounds=((-5, 5), (-5, 5)),
    minima=_newton(
        _himmelblau_grad,
        _himmelblau_hess,
        [[3.0, 2.0], [-2.805, 3.131], [-3.779, -3.283], [3.584, -1.848]],
    ),
    global_min_value=0.0,
    saddles=_newton(
        _himmelblau_grad,
        _himmelblau_hess,
        [[0.087, 2.884], [-3.073, -0.081], [3.385, 0.074], [-0.128, -1.954]],
    ),
    maxima=_newton(_himmelblau_grad, _himmelblau_hess, [[-0.271, -0.923]]),
    default_start=(0.5, -0.5),
    log_scale_contours=True,
)


# ---------------------------------------------------------------------------
# Beale: sharp walls, flat arms, minimum at (3, 0.5)
# ---------------------------------------------------------------------------


def _beale_terms(x, y):
    """The three residuals u_i = c_i - x + x y^i whose squares Beale's function sums."""
    return 1.5 - x + x * y, 2.25 - x + x * y**2, 2.625 - x + x * y**3


def _beale(x, y):
    u1, u2, u3 = _beale_terms(x, y)
    return u1**2 + u2**2 + u3**2


def _beale_grad(x, y):
    # Chain rule with du_i/dx = y^i - 1 and du_i/dy = i x y^(i-1).
    u1, u2, u3 = _beale_terms(x, y)
    fx = 2 * (u1 * (y - 1) + u2 * (y**2 - 1) + u3 * (y**3 - 1))
    fy = 2 * (u1 * x + u2 * 2 * x * y + u3 * 3 * x * y**2)
    return fx, fy


def _beale_hess(x, y):
    # Sum over i of 2 (grad u_i grad u_i^T + u_i Hess u_i); Hess u_i has no xx part.
    u1, u2, u3 = _beale_terms(x, y)
    fxx = 2 * ((y - 1) ** 2 + (y**2 - 1) ** 2 + (y**3 - 1) ** 2)
    fxy = 2 * (
        (y - 1) * x + u1
        + (y**2 - 1) * 2 * x * y + u2 * 2 * y
        + (y**3 - 1) * 3 * x * y**2 + u3 * 3 * y**2
    )
    fyy = 2 * (x**2 + (2 * x * y) ** 2 + u2 * 2 * x + (3 * x * y**2) ** 2 + u3 * 6 * x * y)
    return fxx, fxy, fyy


beale = Landscape(
    "beale",
    "Beale's function: steep walls, long flat arms and a narrow minimum at (3, 0.5);"
    " values span five orders of magnitude.",
    _beale,
    _beale_grad,
    _beale_hess,
    bounds=((-4.5, 4.5), (-4.5, 4.5)),
    minima=[[3.0, 0.5]],
    global_min_value=0.0,
    # (0, 1) is an exact saddle (every residual's derivative vanishes there);
    # the second one has no closed form.
    saddles=_newton(_beale_grad, _beale_hess, [[0.0, 1.0], [0.1005, -2.6445]]),
    default_start=(1.0, 1.5),
    log_scale_contours=True,
)


# ---------------------------------------------------------------------------
# Monkey saddle: a degenerate saddle with three valleys
# ---------------------------------------------------------------------------


def _monkey(x, y):
    return x**3 - 3 * x * y**2


def _monkey_grad(x, y):
    return 3 * x**2 - 3 * y**2, -6 * x * y


def _monkey_hess(x, y):
    return 6 * x, -6 * y, -6 * x


monkey_saddle = Landscape(
    "monkey_saddle",
    "A monkey saddle, x^3 - 3xy^2: three valleys meet at a centre whose gradient and"
    " curvature both vanish; unbounded below, so there is no minimum at all.",
    _monkey,
    _monkey_grad,
    _monkey_hess,
    bounds=((-1.5, 1.5), (-1.5, 1.5)),
    minima=(),
    global_min_value=-np.inf,
    # Degenerate: the Hessian at the origin is the zero matrix, so the
    # second-derivative test says nothing there; the third derivatives decide.
    saddles=[[0, 0]],
    default_start=(1.0, 0.01),
)


# ---------------------------------------------------------------------------
# Plateau: a narrow well in a wide, nearly flat table
# ---------------------------------------------------------------------------

_PLATEAU_WIDTH = 1.0


def _plateau(x, y):
    q = (x**2 + y**2) / _PLATEAU_WIDTH**2
    # 1 - exp(-q), written with expm1 so that values near the minimum keep
    # full relative precision instead of cancelling to zero.
    return -np.expm1(-q)


def _plateau_grad(x, y):
    w2 = _PLATEAU_WIDTH**2
    e = np.exp(-(x**2 + y**2) / w2)
    return 2 * e * x / w2, 2 * e * y / w2


def _plateau_hess(x, y):
    # H = (2 e / w^2) (I - (2 / w^2) p p^T) with p = (x, y) and e = exp(-|p|^2 / w^2).
    w2 = _PLATEAU_WIDTH**2
    c = 2 * np.exp(-(x**2 + y**2) / w2) / w2
    return c * (1 - 2 * x**2 / w2), -c * 2 * x * y / w2, c * (1 - 2 * y**2 / w2)


# From (-2.4, 1.0), 2.6 units from the well, the slope is only 6e-3. Gradient
# descent at lr = 0.1 needs about 400 steps to get down to loss 0.5; momentum 0.9
# needs about 70 and Adam fewer than 20, because Adam's step does not shrink with the slope.
plateau = Landscape(
    "plateau",
    "A wide, almost flat table (loss close to 1) around one narrow well at the origin:"
    " far from the well the slope is nearly zero, so plain gradient descent crawls.",
    _plateau,
    _plateau_grad,
    _plateau_hess,
    bounds=((-4, 4), (-4, 4)),
    minima=[[0, 0]],
    global_min_value=0.0,
    default_start=(-2.4, 1.0),
)


# ---------------------------------------------------------------------------
# Rastrigin: a bowl covered in regular bumps, one local minimum per unit square
# ---------------------------------------------------------------------------

_TWO_PI = 2 * np.pi


def _rastrigin(x, y):
    return 20 + x**2 + y**2 - 10 * (np.cos(_TWO_PI * x) + np.cos(_TWO_PI * y))


def _rastrigin_grad(x, y):
    return 2 * x + 10 * _TWO_PI * np.sin(_TWO_PI * x), 2 * y + 10 * _TWO_PI * np.sin(_TWO_PI * y)


def _rastrigin_hess(x, y):
    k = 10 * _TWO_PI**2
    return 2 + k * np.cos(_TWO_PI * x), 0.0, 2 + k * np.cos(_TWO_PI * y)


def _rastrigin_landmarks():
    """All stationary points inside +-5.12, sorted into minima, saddles and maxima.

    The function is a sum of the same 1-D curve in x and in y. That curve has a
    local minimum near every integer and a local maximum near every half-integer,
    so 2-D minima pair two 1-D minima, maxima pair two maxima, saddles mix them.
    """
    low = np.arange(-5, 6, dtype=float)  # 1-D minima near -5 .. 5
    high = np.arange(-4.5, 5.0, 1.0)  # 1-D maxima near -4.5 .. 4.5

    def pairs(xs, ys):
        X, Y = np.meshgrid(xs, ys, indexing="ij")
        return np.stack([X.ravel(), Y.ravel()], axis=-1)

    minima = _newton(_rastrigin_grad, _rastrigin_hess, pairs(low, low))
    # Global minimum (0, 0) first, then the rest from the deepest up.
    minima = minima[np.argsort(_rastrigin(minima[:, 0], minima[:, 1]), kind="stable")]
    saddles = _newton(
        _rastrigin_grad, _rastrigin_hess, np.concatenate([pairs(low, high), pairs(high, low)])
    )
    maxima = _newton(_rastrigin_grad, _rastrigin_hess, pairs(high, high))
    return minima, saddles, maxima


_R_MINIMA, _R_SADDLES, _R_MAXIMA = _rastrigin_landmarks()

rastrigin = Landscape(
    "rastrigin",
    "Rastrigin's function: a bowl covered in an egg-box of bumps, with 121 local minima"
    " inside the window; only the one at the origin is global.",
    _rastrigin,
    _rastrigin_grad,
    _rastrigin_hess,
    bounds=((-5.12, 5.12), (-5.12, 5.12)),
    minima=_R_MINIMA,
    global_min_value=0.0,
    saddles=_R_SADDLES,
    maxima=_R_MAXIMA,
    # Far from the origin: small-step gradient descent settles in the nearest
    # pit, near (3, -3) with loss about 18, and never sees the global minimum.
    default_start=(3.3, -2.6),
)


# ---------------------------------------------------------------------------
# Cliff: a gentle bowl with a sudden step (exploding gradient)
# ---------------------------------------------------------------------------

_CLIFF_AT = 1.5  # x position of the wall
_CLIFF_HEIGHT = 10.0  # how much higher the ground is on the x > 1.5 side
_CLIFF_WIDTH = 0.025  # the logistic step's length scale: 96 % of the drop happens within +-4 of these


def _logistic_parts(z):
    """sigma(z), sigma'(z) and 1 - 2 sigma(z), without overflow for any z."""
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    sigma = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    dsigma = e / (1 + e) ** 2  # sigma (1 - sigma), accurate even deep in the tails
    return sigma, dsigma, -np.tanh(z / 2)


def _cliff(x, y):
    sigma, _, _ = _logistic_parts((x - _CLIFF_AT) / _CLIFF_WIDTH)
    return 0.5 * (x**2 + y**2) + _CLIFF_HEIGHT * sigma


def _cliff_grad(x, y):
    _, dsigma, _ = _logistic_parts((x - _CLIFF_AT) / _CLIFF_WIDTH)
    return x + _CLIFF_HEIGHT / _CLIFF_WIDTH * dsigma, y


def _cliff_hess(x, y):
    # sigma'' = sigma' (1 - 2 sigma)
    _, dsigma, one_minus_two_sigma = _logistic_parts((x - _CLIFF_AT) / _CLIFF_WIDTH)
    return 1 + _CLIFF_HEIGHT / _CLIFF_WIDTH**2 * dsigma * one_minus_two_sigma, 0.0, 1.0


# The wall's tail tilts the bowl by about 1e-23 at the origin: Newton finds the
# true minimiser anyway.
_CLIFF_MINIMUM = _newton(_cliff_grad, _cliff_hess, [[0.0, 0.0]])

# The wall's slope peaks at height / (4 width) = 100, against at most ~4 for the
# bowl. From (3.5, 1.0) gradient descent at lr = 0.1 lands on the wall at its 8th
# step and is thrown about 7 units, out of the window to x = -5.6; with the
# gradient clipped to norm 1 it walks down calmly.
cliff = Landscape(
    "cliff",
    "A gentle bowl with a cliff: along the line x = 1.5 the ground drops by 10 within"
    " about 0.2, where the slope reaches 100, so an unclipped step landing on the wall"
    " is flung far past the minimum at the origin.",
    _cliff,
    _cliff_grad,
    _cliff_hess,
    bounds=((-4, 4), (-3, 3)),
    minima=_CLIFF_MINIMUM,
    global_min_value=float(_cliff(*_CLIFF_MINIMUM[0])),
    default_start=(3.5, 1.0),
)


ALL: dict[str, Landscape] = {
    landscape.name: landscape
    for landscape in (
        bowl,
        ravine,
        rosenbrock,
        himmelblau,
        beale,
        saddle,
        monkey_saddle,
        plateau,
        rastrigin,
        cliff,
    )
}


# ---------------------------------------------------------------------------
# Noisy gradients
# ---------------------------------------------------------------------------


class NoisyLandscape:
    """A landscape whose gradient carries fresh Gaussian noise at every call.

    ``grad(xy) = base.grad(xy) + sigma * n`` with ``n ~ N(0, 1)`` drawn independently
    for every coordinate of every point from the wrapper's own generator. The loss,
    Hessian, bounds and landmarks are the clean ones of ``base``: the noise imitates
    a mini-batch gradient, an unbiased but noisy estimate of the true one.
    Build one with :func:`noisy`.
    """

    def __init__(self, base, sigma: float, seed: int):
        self.base = base
        self.sigma = sigma
        self.seed = seed
        self.name = f"{base.name}+noise({sigma:g})"
        self.description = f"{base.description} Gradients carry Gaussian noise of std {sigma:g}."
        for attribute in (
            "bounds",
            "minima",
            "global_min_value",
            "default_start",
            "saddles",
            "maxima",
            "log_scale_contours",
        ):
            setattr(self, attribute, getattr(base, attribute))
        self.reset()

    def __repr__(self) -> str:
        return f"<NoisyLandscape {self.name!r} seed={self.seed}>"

    def reset(self) -> None:
        """Restart the noise stream: the next gradients repeat the first ones."""
        self._rng = np.random.default_rng(self.seed)

    def __call__(self, xy):
        """Clean loss of the base landscape."""
        return self.base(xy)

    def hessian(self, xy) -> np.ndarray:
        """Clean Hessian of the base landscape."""
        return self.base.hessian(xy)

    def mesh(self, n: int = 200):
        """Clean plotting grid ``(X, Y, Z)`` of the base landscape."""
        return self.base.mesh(n)

    def grad(self, xy) -> np.ndarray:
        """Gradient plus ``sigma`` times fresh standard normal noise; same shape as ``xy``."""
        g = self.base.grad(xy)
        noise = self._rng.standard_normal(g.shape)
        return g + (self.sigma * noise).astype(g.dtype, copy=False)


def noisy(landscape, sigma: float, seed: int = 0) -> NoisyLandscape:
    """Wrap ``landscape`` so its gradient gets seeded Gaussian noise N(0, sigma^2).

    Each ``grad`` call draws new noise, so a run sees a different error at every
    step, just like stochastic gradient descent; the same ``seed`` replays the
    same sequence, and ``reset()`` starts it again.

    Args:
        landscape: a :class:`Landscape` (or another noisy one), or its name in ``ALL``.
        sigma: standard deviation of the noise added to each gradient coordinate,
            a finite number >= 0 (0 gives back the clean gradient).
        seed: non-negative integer seed of the noise generator.

    Example:
        >>> g = noisy(bowl, sigma=0.5, seed=1)
        >>> g.name
        'bowl+noise(0.5)'
        >>> first = g.grad([1.0, 1.0])
        >>> bool(np.all(first != g.grad([1.0, 1.0])))  # fresh noise each call
        True
        >>> g.reset()
        >>> bool(np.array_equal(first, g.grad([1.0, 1.0])))  # replayed from the seed
        True
    """
    if isinstance(landscape, str):
        if landscape not in ALL:
            raise ValueError(f"`landscape` must be one of {sorted(ALL)}, got {landscape!r}.")
        landscape = ALL[landscape]
    if not isinstance(landscape, (Landscape, NoisyLandscape)):
        raise TypeError(
            f"`landscape` must be a Landscape or a name in ALL, got {type(landscape).__name__}."
        )
    sigma = non_negative("sigma", sigma)
    seed = integer("seed", seed, minimum=0)
    return NoisyLandscape(landscape, sigma, seed)
