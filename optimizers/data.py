"""Datasets for the lessons: seeded toy generators and the bundled digits.

Every function takes a ``seed`` and builds its randomness from
``np.random.default_rng(seed)``, so the same seed always gives bit-identical
arrays. Nothing is downloaded: the toy sets are generated here and the digits
ship inside scikit-learn.

Classification sets return ``X`` float64 of shape (n, 2) and ``y`` int64 of
shape (n,) with labels 0..K-1, rows shuffled so that any slice (a mini-batch)
mixes the classes.

>>> X, y = two_moons(n=10, seed=0)
>>> X.shape, X.dtype, y.dtype, sorted(set(y.tolist()))
((10, 2), dtype('float64'), dtype('int64'), [0, 1])
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from . import _checks

__all__ = [
    "regression_line",
    "two_moons",
    "spirals",
    "blobs",
    "Split",
    "train_val_test_split",
    "digits",
]


# ---------------------------------------------------------------------------
# Argument checks
# ---------------------------------------------------------------------------




def _check_real(value, name, minimum=None):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return float(value)


def _check_fraction(value, name):
    value = _check_real(value, name)
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")
    return value


def _class_sizes(n, n_classes):
    """Split n rows over the classes as evenly as possible (the first classes get the extras)."""
    return [n // n_classes + (k < n % n_classes) for k in range(n_classes)]


def _shuffled(rng, X, y):
    order = rng.permutation(len(y))
    return X[order], y[order]


# ---------------------------------------------------------------------------
# Toy generators
# ---------------------------------------------------------------------------


def regression_line(n=100, slope=2.0, intercept=-1.0, noise=0.5, seed=0):
    """Noisy points around a straight line, for linear regression.

    Math: x ~ Uniform(-1, 1),  y = slope * x + intercept + noise * e,  e ~ N(0, 1).

    Args:
        n: number of points (>= 1).
        slope, intercept: the true line, which a perfect fit recovers as n grows.
        noise: standard deviation of the Gaussian noise (>= 0).
        seed: random seed.

    Returns:
        ``X`` of shape (n, 1) and ``y`` of shape (n,), both float64.

    >>> X, y = regression_line(n=3, noise=0.0)
    >>> bool(np.allclose(y, 2.0 * X[:, 0] - 1.0))
    True
    """
    n = _checks.integer("n", n, 1)
    slope = _check_real(slope, "slope")
    intercept = _check_real(intercept, "intercept")
    noise = _check_real(noise, "noise", minimum=0.0)
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, size=n)
    y = slope * x + intercept + noise * rng.standard_normal(n)
    return x[:, None], y


def two_moons(n=200, noise=0.1, seed=0):
    """Two interleaving half circles: a set no straight line separates.

    Math: angle t ~ Uniform(0, pi);
        class 0 (upper moon): (cos t, sin t)
        class 1 (lower moon): (1 - cos t, 1/2 - sin t)
    plus Gaussian noise of standard deviation ``noise`` on both coordinates.

    Args:
        n: number of points (>= 2); class 0 gets the extra point when n is odd.
        noise: noise standard deviation (>= 0).
        seed: random seed.

    Returns:
        ``X`` float64 (n, 2) and ``y`` int64 (n,), rows shuffled.
    """
    n = _checks.integer("n", n, 2)
    noise = _check_real(noise, "noise", minimum=0.0)
    rng = np.random.default_rng(seed)
    n0, n1 = _class_sizes(n, 2)
    t0 = rng.uniform(0.0, np.pi, size=n0)
    t1 = rng.uniform(0.0, np.pi, size=n1)
    upper = np.column_stack([np.cos(t0), np.sin(t0)])
    lower = np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])
    X = np.vstack([upper, lower]) + noise * rng.standard_normal((n, 2))
    y = np.repeat(np.arange(2, dtype=np.int64), [n0, n1])
    return _shuffled(rng, X, y)


def spirals(n=300, n_classes=3, noise=0.2, seed=0):
    """Interleaved spiral arms, one per class: hard for linear models, fine for an MLP.

    Math: for class k with m points, radius r runs evenly from 0 to 1 and
        angle = 2 pi k / K + 1.5 pi r + noise * e,   e ~ N(0, 1)
        point = r * (cos(angle), sin(angle))
    so each arm turns three quarters of a circle; ``noise`` jitters the angle (radians).

    Args:
        n: total number of points (>= n_classes).
        n_classes: number of arms (>= 2).
        noise: standard deviation of the angular noise (>= 0).
        seed: random seed.

    Returns:
        ``X`` float64 (n, 2) and ``y`` int64 (n,), rows shuffled.
    """
    n_classes = _checks.integer("n_classes", n_classes, 2)
    n = _checks.integer("n", n, n_classes)
    noise = _check_real(noise, "noise", minimum=0.0)
    rng = np.random.default_rng(seed)
    sizes = _class_sizes(n, n_classes)
    # One vectorised pass: per-row class label and radius, then all angles at once.
    y = np.repeat(np.arange(n_classes, dtype=np.int64), sizes)
    r = np.concatenate([np.linspace(0.0, 1.0, m) for m in sizes])
    angle = 2.0 * np.pi * y / n_classes + 1.5 * np.pi * r + noise * rng.standard_normal(n)
    X = r[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return _shuffled(rng, X, y)


def blobs(n=300, n_classes=3, spread=1.0, seed=0):
    """Gaussian clusters, one per class, with centres evenly spaced on a circle of radius 3.

    Math: centre_k = 3 * (cos(2 pi k / K), sin(2 pi k / K)),
          point = centre_k + spread * e,  e ~ N(0, I_2).

    Args:
        n: total number of points (>= n_classes).
        n_classes: number of clusters (>= 2).
        spread: standard deviation of each cluster (>= 0); raise it to make the classes overlap.
        seed: random seed.

    Returns:
        ``X`` float64 (n, 2) and ``y`` int64 (n,), rows shuffled.
    """
    n_classes = _checks.integer("n_classes", n_classes, 2)
    n = _checks.integer("n", n, n_classes)
    spread = _check_real(spread, "spread", minimum=0.0)
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(n_classes, dtype=np.int64), _class_sizes(n, n_classes))
    theta = 2.0 * np.pi * np.arange(n_classes) / n_classes
    centres = 3.0 * np.column_stack([np.cos(theta), np.sin(theta)])
    X = centres[y] + spread * rng.standard_normal((n, 2))
    return _shuffled(rng, X, y)


# ---------------------------------------------------------------------------
# Train / validation / test split and the digits dataset
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Split:
    """A dataset cut into training, validation and test parts.

    Attributes:
        X_train, y_train: what the optimizer sees.
        X_val, y_val: held out to choose hyperparameters and watch overfitting.
        X_test, y_test: held out until the very end, to report generalisation.
        n_classes: number of classes (labels are 0..n_classes-1), None for regression.
        description: one line saying what the data is.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    n_classes: int | None = None
    description: str = ""

    def __repr__(self):
        return (
            f"Split(train={len(self.y_train)}, val={len(self.y_val)}, test={len(self.y_test)}, "
            f"n_classes={self.n_classes}, description={self.description!r})"
        )


def _round_half_up(x):
    return int(np.floor(x + 0.5))


def train_val_test_split(X, y, val_fraction=0.2, test_fraction=0.2, seed=0, stratify=False,
                         description=""):
    """Shuffle rows with a seed and cut them into train, validation and test sets.

    Sizes: n_test = round(test_fraction * n), n_val = round(val_fraction * n),
    and the rest is training data. With ``stratify=True`` (integer labels only)
    the rounding is done per class, so every split keeps the class proportions
    of the whole set; the totals can then differ from the plain rule by a row
    or two per class.

    Args:
        X: array with one row per example.
        y: 1-D array of targets, one per row of X.
        val_fraction, test_fraction: each in [0, 1), summing to less than 1.
        seed: random seed for the shuffle.
        stratify: keep class proportions (requires integer labels).
        description: stored on the returned :class:`Split`.

    Returns:
        a :class:`Split`; its arrays are copies, never views of X or y.

    >>> s = train_val_test_split(np.arange(20.0)[:, None], np.arange(20) % 2, 0.25, 0.25)
    >>> len(s.y_train), len(s.y_val), len(s.y_test)
    (10, 5, 5)
    """
    X = np.asarray(X)
    y = np.asarray(y)
    if X.ndim == 0:
        raise ValueError("X must have one row per example, got a scalar")
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D, got shape {y.shape}")
    if len(y) != len(X):
        raise ValueError(f"y has {len(y)} entries but X has {len(X)} rows; they must match")
    if len(y) == 0:
        raise ValueError("X and y must have at least one row, got none")
    val_fraction = _check_fraction(val_fraction, "val_fraction")
    test_fraction = _check_fraction(test_fraction, "test_fraction")
    if val_fraction + test_fraction >= 1.0:
        raise ValueError(
            "val_fraction + test_fraction must be < 1 to leave training data, got "
            f"{val_fraction} + {test_fraction}"
        )
    is_labels = np.issubdtype(y.dtype, np.integer)
    if stratify and not is_labels:
        raise TypeError(f"stratify=True needs integer class labels in y, got dtype {y.dtype}")

    rng = np.random.default_rng(seed)
    # Each group is cut separately: the whole set when plain, each class when stratified.
    groups = [np.flatnonzero(y == c) for c in np.unique(y)] if stratify else [np.arange(len(y))]
    train, val, test = [], [], []
    for group in groups:
        group = rng.permutation(group)
        n_test = _round_half_up(test_fraction * len(group))
        n_val = _round_half_up(val_fraction * len(group))
        test.append(group[:n_test])
        val.append(group[n_test:n_test + n_val])
        train.append(group[n_test + n_val:])
    # Shuffle again so a stratified split does not come out sorted by class.
    train, val, test = (rng.permutation(np.concatenate(part)) for part in (train, val, test))
    if len(train) == 0:
        raise ValueError(
            f"no training rows left: {len(y)} rows with val_fraction={val_fraction}, "
            f"test_fraction={test_fraction}; use smaller fractions"
        )
    n_classes = int(y.max()) + 1 if is_labels else None
    return Split(X[train], y[train], X[val], y[val], X[test], y[test], n_classes, description)


def digits(seed=0, val_fraction=0.2, test_fraction=0.2):
    """scikit-learn's bundled 8x8 handwritten digits, scaled and split (stratified).

    1,797 grey-scale images of the digits 0-9, each flattened to 64 pixel
    features. Pixels range over 0..16 in the original; here they are divided by
    16 so every feature lies in [0, 1]. The data ships inside scikit-learn
    (``sklearn.datasets.load_digits``), so nothing is downloaded.

    Args:
        seed: random seed for the split.
        val_fraction, test_fraction: see :func:`train_val_test_split`.

    Returns:
        a :class:`Split` with X arrays float64 (m, 64), y arrays int64, n_classes=10.
    """
    from sklearn.datasets import load_digits  # imported here: only this function needs it

    X, y = load_digits(return_X_y=True)
    X = X.astype(np.float64) / 16.0
    y = y.astype(np.int64)
    description = (
        "scikit-learn digits: 8x8 images of handwritten 0-9, 64 pixel features "
        "scaled to [0, 1], 10 classes, 1797 images"
    )
    return train_val_test_split(X, y, val_fraction, test_fraction, seed=seed, stratify=True,
                                description=description)
