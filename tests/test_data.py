"""Tests for optimizers.data: shapes, determinism, geometry of the toy sets, splits, digits."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizers.data import Split, blobs, digits, regression_line, spirals, train_val_test_split, two_moons

CLASSIFICATION_SETS = [
    (two_moons, dict(n=101), 2),
    (spirals, dict(n=101, n_classes=4), 4),
    (blobs, dict(n=101, n_classes=5), 5),
]


# ---------------------------------------------------------------------------
# Shapes, dtypes, determinism
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("make, kwargs, k", CLASSIFICATION_SETS)
def test_classification_sets_shapes_dtypes_and_balance(make, kwargs, k):
    X, y = make(**kwargs, seed=0)
    assert X.shape == (101, 2) and X.dtype == np.float64
    assert y.shape == (101,) and y.dtype == np.int64
    counts = np.bincount(y, minlength=k)
    # 101 rows over k classes: sizes differ by at most one and add up.
    assert len(counts) == k and counts.sum() == 101 and counts.max() - counts.min() <= 1
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize("make, kwargs, k", CLASSIFICATION_SETS)
def test_classification_sets_are_shuffled(make, kwargs, k):
    _, y = make(**kwargs, seed=0)
    # Sorted labels would make every mini-batch single-class; count label changes.
    assert np.count_nonzero(np.diff(y)) > 101 // 4


@pytest.mark.parametrize("make, kwargs", [(regression_line, {})] + [(m, kw) for m, kw, _ in CLASSIFICATION_SETS])
def test_same_seed_same_bits_different_seed_different(make, kwargs):
    X1, y1 = make(**kwargs, seed=3)
    X2, y2 = make(**kwargs, seed=3)
    X3, _ = make(**kwargs, seed=4)
    assert np.array_equal(X1.view(np.uint64), X2.view(np.uint64)) and np.array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


def test_regression_line_without_noise_lies_on_the_line():
    X, y = regression_line(n=50, slope=-3.0, intercept=0.5, noise=0.0, seed=1)
    assert X.shape == (50, 1) and y.shape == (50,) and X.dtype == y.dtype == np.float64
    np.testing.assert_allclose(y, -3.0 * X[:, 0] + 0.5, atol=1e-15)
    assert np.all((X >= -1.0) & (X <= 1.0))


def test_regression_line_noise_has_the_requested_std():
    X, y = regression_line(n=20000, slope=2.0, intercept=-1.0, noise=0.5, seed=0)
    residual = y - (2.0 * X[:, 0] - 1.0)
    # 20,000 draws: the sample std is within ~0.5% of 0.5; the mean within ~0.01.
    assert residual.std() == pytest.approx(0.5, rel=0.03)
    assert abs(residual.mean()) < 0.02


def test_two_moons_without_noise_lie_on_their_half_circles():
    X, y = two_moons(n=200, noise=0.0, seed=2)
    upper, lower = X[y == 0], X[y == 1]
    # class 0: unit circle around (0, 0), upper half; class 1: unit circle around (1, 1/2), lower half
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0, atol=1e-12)
    assert np.all(upper[:, 1] >= 0)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0, atol=1e-12)
    assert np.all(lower[:, 1] <= 0.5)


def test_spirals_without_noise_follow_their_arms():
    K = 3
    X, y = spirals(n=90, n_classes=K, noise=0.0, seed=0)
    r = np.hypot(X[:, 0], X[:, 1])
    assert r.min() == pytest.approx(0.0, abs=1e-15) and r.max() == pytest.approx(1.0)
    # angle = 2 pi k / K + 1.5 pi r (mod 2 pi); compare as unit vectors to dodge the wrap-around.
    keep = r > 1e-9
    expected = 2 * np.pi * y[keep] / K + 1.5 * np.pi * r[keep]
    np.testing.assert_allclose(X[keep] / r[keep, None],
                               np.column_stack([np.cos(expected), np.sin(expected)]), atol=1e-9)


def test_blobs_without_spread_sit_on_their_centres():
    X, y = blobs(n=40, n_classes=4, spread=0.0, seed=0)
    # centres at radius 3, angles 0, 90, 180, 270 degrees
    centres = np.array([[3.0, 0.0], [0.0, 3.0], [-3.0, 0.0], [0.0, -3.0]])
    np.testing.assert_allclose(X, centres[y], atol=1e-14)


@pytest.mark.parametrize("call, exc, pattern", [
    (lambda: two_moons(n=0), ValueError, r"`n` must be an integer >= 2"),
    (lambda: two_moons(n=10.0), TypeError, r"`n` must be an integer"),
    (lambda: two_moons(n=True), TypeError, r"`n` must be an integer"),
    (lambda: two_moons(noise=-0.1), ValueError, r"noise must be >= 0"),
    (lambda: two_moons(noise=float("nan")), ValueError, r"noise must be finite"),
    (lambda: spirals(n_classes=1), ValueError, r"`n_classes` must be an integer >= 2"),
    (lambda: spirals(n=2, n_classes=3), ValueError, r"`n` must be an integer >= 3"),
    (lambda: blobs(spread=-1.0), ValueError, r"spread must be >= 0"),
    (lambda: blobs(n="300"), TypeError, r"`n` must be an integer"),
    (lambda: regression_line(n=0), ValueError, r"`n` must be an integer >= 1"),
    (lambda: regression_line(slope=float("inf")), ValueError, r"slope must be finite"),
    (lambda: regression_line(noise="big"), TypeError, r"noise must be a real number"),
])
def test_generator_argument_errors(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()


# ---------------------------------------------------------------------------
# train_val_test_split
# ---------------------------------------------------------------------------


def test_plain_split_sizes_and_partition():
    ids = np.arange(50)
    s = train_val_test_split(ids[:, None] * 1.0, ids, val_fraction=0.2, test_fraction=0.1, seed=0)
    assert (len(s.y_train), len(s.y_val), len(s.y_test)) == (35, 10, 5)
    together = np.concatenate([s.y_train, s.y_val, s.y_test])
    assert sorted(together.tolist()) == list(range(50))  # every row once, no overlap
    for X_part, y_part in [(s.X_train, s.y_train), (s.X_val, s.y_val), (s.X_test, s.y_test)]:
        assert np.array_equal(X_part[:, 0], y_part)  # rows stay paired with their targets


@settings(max_examples=50, deadline=None)
@given(n=st.integers(3, 200), val=st.floats(0.0, 0.45), test=st.floats(0.0, 0.45),
       seed=st.integers(0, 2**32 - 1), stratify=st.booleans())
def test_split_is_always_a_partition(n, val, test, seed, stratify):
    ids = np.arange(n)
    labels = ids % 3
    try:
        s = train_val_test_split(ids, labels, val, test, seed=seed, stratify=stratify)
    except ValueError as err:
        # Rounding can hand every row of a tiny set to val/test (e.g. n=4, 0.45 + 0.45).
        assert "no training rows left" in str(err)
        return
    together = np.concatenate([s.X_train, s.X_val, s.X_test])
    assert sorted(together.tolist()) == list(range(n))
    assert np.array_equal(s.y_train, s.X_train % 3)
    if not stratify:
        assert len(s.y_test) == int(np.floor(test * n + 0.5))
        assert len(s.y_val) == int(np.floor(val * n + 0.5))


def test_stratified_split_keeps_class_proportions():
    y = np.repeat([0, 1, 2], [60, 30, 10])
    X = np.arange(100.0)[:, None]
    s = train_val_test_split(X, y, 0.2, 0.3, seed=1, stratify=True)
    # per class: test = round(0.3 m), val = round(0.2 m), train = the rest
    assert np.bincount(s.y_test).tolist() == [18, 9, 3]
    assert np.bincount(s.y_val).tolist() == [12, 6, 2]
    assert np.bincount(s.y_train).tolist() == [30, 15, 5]
    assert s.n_classes == 3
    assert np.count_nonzero(np.diff(s.y_train)) > 5  # not left sorted by class


def test_split_is_seeded_and_returns_copies():
    X = np.arange(40.0).reshape(20, 2)
    y = np.arange(20)
    a = train_val_test_split(X, y, 0.25, 0.25, seed=5)
    b = train_val_test_split(X, y, 0.25, 0.25, seed=5)
    c = train_val_test_split(X, y, 0.25, 0.25, seed=6)
    assert np.array_equal(a.y_train, b.y_train) and np.array_equal(a.X_test, b.X_test)
    assert not np.array_equal(a.y_train, c.y_train)
    # The seed picks *which* rows are held out, not just their order.
    assert set(a.y_test.tolist()) != set(c.y_test.tolist())
    a.X_train[...] = -1.0
    assert X.min() == 0.0  # the input is untouched
    assert isinstance(a, Split)


def test_regression_targets_have_no_n_classes():
    s = train_val_test_split(np.ones((10, 1)), np.linspace(0, 1, 10), 0.2, 0.2)
    assert s.n_classes is None and s.y_train.dtype == np.float64


@pytest.mark.parametrize("kwargs, exc, pattern", [
    (dict(val_fraction=-0.1), ValueError, r"val_fraction must be in \[0, 1\)"),
    (dict(test_fraction=1.0), ValueError, r"test_fraction must be in \[0, 1\)"),
    (dict(val_fraction=float("nan")), ValueError, r"val_fraction must be finite"),
    (dict(val_fraction="0.2"), TypeError, r"val_fraction must be a real number"),
    (dict(val_fraction=0.5, test_fraction=0.5), ValueError, r"val_fraction \+ test_fraction must be < 1"),
    (dict(val_fraction=0.4, test_fraction=0.5), ValueError, r"no training rows left"),  # 1 + 2 of 3 rows
])
def test_split_fraction_errors(kwargs, exc, pattern):
    with pytest.raises(exc, match=pattern):
        train_val_test_split(np.ones((3, 1)), np.arange(3), **kwargs)


def test_split_shape_errors():
    with pytest.raises(ValueError, match="y has 4 entries but X has 3 rows"):
        train_val_test_split(np.ones((3, 1)), np.arange(4))
    with pytest.raises(ValueError, match="y must be 1-D"):
        train_val_test_split(np.ones((3, 1)), np.ones((3, 1)))
    with pytest.raises(TypeError, match="stratify=True needs integer class labels"):
        train_val_test_split(np.ones((3, 1)), np.ones(3), stratify=True)
    with pytest.raises(ValueError, match="at least one row"):
        train_val_test_split(np.ones((0, 1)), np.ones(0))


# ---------------------------------------------------------------------------
# digits
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def split():
    return digits(seed=0)


def _row_multiset(X, y):
    rows = np.column_stack([X, y])
    return rows[np.lexsort(rows.T[::-1])]


def test_digits_shapes_sizes_and_dtypes(split):
    sizes = [len(split.y_train), len(split.y_val), len(split.y_test)]
    assert sum(sizes) == 1797
    # stratified rounding per class keeps each part within a few rows of 60/20/20
    assert abs(sizes[1] - 0.2 * 1797) <= 10 and abs(sizes[2] - 0.2 * 1797) <= 10
    for X, y in [(split.X_train, split.y_train), (split.X_val, split.y_val), (split.X_test, split.y_test)]:
        assert X.shape == (len(y), 64) and X.dtype == np.float64 and y.dtype == np.int64
        assert set(y.tolist()) == set(range(10))  # every class in every part
    assert split.n_classes == 10
    assert "digits" in split.description


def test_digits_scaled_to_unit_interval(split):
    X = np.vstack([split.X_train, split.X_val, split.X_test])
    assert X.min() == 0.0 and X.max() == 1.0
    assert np.all(X * 16 == np.round(X * 16))  # the raw pixels are the integers 0..16


def test_digits_parts_do_not_overlap_and_cover_the_dataset(split):
    from sklearn.datasets import load_digits

    X_raw, y_raw = load_digits(return_X_y=True)
    X = np.vstack([split.X_train, split.X_val, split.X_test])
    y = np.concatenate([split.y_train, split.y_val, split.y_test])
    # Same multiset of (image, label) rows as the original: each image used exactly once.
    assert np.array_equal(_row_multiset(X * 16, y), _row_multiset(X_raw, y_raw))


def test_digits_seeded(split):
    again = digits(seed=0)
    other = digits(seed=1)
    assert np.array_equal(split.X_train, again.X_train) and np.array_equal(split.y_test, again.y_test)
    assert not np.array_equal(split.y_train, other.y_train)


def test_digits_fractions_are_passed_on():
    s = digits(seed=0, val_fraction=0.0, test_fraction=0.5)
    assert len(s.y_val) == 0 and abs(len(s.y_test) - 898) <= 10
    with pytest.raises(ValueError, match="test_fraction"):
        digits(test_fraction=1.5)
