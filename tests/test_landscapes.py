"""Tests for optimizers.landscapes: values, derivatives, landmarks, noise, input checks.

Expected numbers come from the formulas worked by hand (or from finite differences
of the value), never from printing what the code returns.
"""

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizers import landscapes as ls
from optimizers.landscapes import ALL, Landscape, noisy

NAMES = sorted(ALL)
BOUNDED = [name for name in NAMES if np.isfinite(ALL[name].global_min_value)]
UNBOUNDED = [name for name in NAMES if name not in BOUNDED]
H = 1e-6  # finite-difference step


def random_points(landscape, n=60, seed=0):
    """Points spread uniformly over the plotting window, plus the landmarks."""
    rng = np.random.default_rng(seed)
    (x0, x1), (y0, y1) = landscape.bounds
    uniform = np.stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)], axis=-1)
    extra = [landscape.default_start[None], landscape.minima, landscape.saddles]
    return np.concatenate([uniform, *extra])


def central_difference(fn, points, h=H):
    """d fn / d(x, y) by (fn(p + h e_i) - fn(p - h e_i)) / 2h; result gets a last axis of 2."""
    parts = []
    for i in range(2):
        step = np.zeros(2)
        step[i] = h
        parts.append((fn(points + step) - fn(points - step)) / (2 * h))
    return np.stack(parts, axis=-1)


# ---------------------------------------------------------------------------
# The catalogue
# ---------------------------------------------------------------------------


def test_catalogue_has_the_required_landscapes_under_their_own_names():
    required = {"bowl", "ravine", "rosenbrock", "himmelblau", "beale", "saddle",
                "monkey_saddle", "plateau", "rastrigin", "cliff"}
    assert required <= set(ALL)
    for name, landscape in ALL.items():
        assert isinstance(landscape, Landscape)
        assert landscape.name == name
        assert getattr(ls, name) is landscape


@pytest.mark.parametrize("name", NAMES)
def test_metadata_is_well_formed(name):
    L = ALL[name]
    assert L.description.strip() and "\n" not in L.description
    (x0, x1), (y0, y1) = L.bounds
    assert x0 < x1 and y0 < y1
    assert L.default_start.shape == (2,)
    assert x0 <= L.default_start[0] <= x1 and y0 <= L.default_start[1] <= y1
    for points in (L.minima, L.saddles, L.maxima):
        assert points.ndim == 2 and points.shape[1] == 2 and points.dtype == np.float64
        assert np.all((points[:, 0] >= x0) & (points[:, 0] <= x1))
        assert np.all((points[:, 1] >= y0) & (points[:, 1] <= y1))
        with pytest.raises(ValueError):
            points[...] = 0.0  # landmarks are read-only
    assert isinstance(L.log_scale_contours, bool)
    assert isinstance(L.global_min_value, float)
    with pytest.raises(dataclasses.FrozenInstanceError):
        L.name = "other"


# ---------------------------------------------------------------------------
# Derivatives against finite differences
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_grad_matches_central_differences(name):
    L = ALL[name]
    p = random_points(L)
    numeric = central_difference(L, p)
    # Round-off in the difference quotient is about eps * |f| / h.
    tol = 1e-6 * (1 + np.abs(L(p)))[:, None] + 1e-6 * np.abs(numeric)
    assert np.all(np.abs(L.grad(p) - numeric) <= tol)


@pytest.mark.parametrize("name", NAMES)
def test_hessian_matches_central_differences_of_grad(name):
    L = ALL[name]
    p = random_points(L, seed=1)
    # central_difference of grad gives [..., component, direction] = d g_i / d x_j.
    numeric = np.swapaxes(central_difference(L.grad, p), -1, -2)
    hess = L.hessian(p)
    tol = 1e-6 * (1 + np.abs(L.grad(p)).max(axis=-1))[:, None, None] + 1e-6 * np.abs(numeric)
    assert np.all(np.abs(hess - numeric) <= tol)
    assert np.array_equal(hess[..., 0, 1], hess[..., 1, 0])


def test_cliff_derivatives_hold_on_the_wall_itself():
    # Random points almost never hit a wall 0.1 wide: probe it directly.
    x = np.linspace(1.5 - 0.15, 1.5 + 0.15, 61)
    p = np.stack([x, np.full_like(x, 0.7)], axis=-1)
    grad = ls.cliff.grad(p)
    numeric = central_difference(ls.cliff, p)
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-5)
    numeric_h = np.swapaxes(central_difference(ls.cliff.grad, p), -1, -2)
    np.testing.assert_allclose(ls.cliff.hessian(p), numeric_h, rtol=1e-5, atol=1e-3)


# ---------------------------------------------------------------------------
# Shapes and vectorisation
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_grid_batch_and_single_point_agree(name):
    L = ALL[name]
    (x0, x1), (y0, y1) = L.bounds
    X, Y = np.meshgrid(np.linspace(x0, x1, 7), np.linspace(y0, y1, 5))
    grid = np.stack([X, Y], axis=-1)  # (5, 7, 2)
    batch = grid.reshape(-1, 2)

    assert L(grid).shape == (5, 7)
    assert L.grad(grid).shape == (5, 7, 2)
    assert L.hessian(grid).shape == (5, 7, 2, 2)
    assert L(batch).shape == (35,)
    assert L(batch[0]).shape == ()
    assert L.grad(batch[0]).shape == (2,)
    assert L.hessian(batch[0]).shape == (2, 2)

    close = dict(rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(L(grid).reshape(-1), L(batch), **close)
    np.testing.assert_allclose(L.grad(grid).reshape(-1, 2), L.grad(batch), **close)
    np.testing.assert_allclose(L.hessian(grid).reshape(-1, 2, 2), L.hessian(batch), **close)
    for i in (0, 11, 34):
        np.testing.assert_allclose(L(batch[i]), L(batch)[i], **close)
        np.testing.assert_allclose(L.grad(batch[i]), L.grad(batch)[i], **close)
        np.testing.assert_allclose(L.hessian(batch[i]), L.hessian(batch)[i], **close)


def test_lists_and_integers_are_accepted_and_float32_is_kept():
    assert float(ls.bowl([1, 2])) == 5.0
    assert ls.bowl.grad([1, 2]).tolist() == [2.0, 4.0]
    p32 = np.array([[0.5, -1.0]], dtype=np.float32)
    assert ls.rosenbrock.grad(p32).dtype == np.float32
    assert ls.rastrigin(p32).dtype == np.float32


def test_mesh_covers_the_bounds():
    X, Y, Z = ls.beale.mesh(9)
    assert X.shape == Y.shape == Z.shape == (9, 9)
    (x0, x1), (y0, y1) = ls.beale.bounds
    assert (X.min(), X.max(), Y.min(), Y.max()) == (x0, x1, y0, y1)
    np.testing.assert_array_equal(Z, ls.beale(np.stack([X, Y], axis=-1)))
    with pytest.raises(ValueError, match="n"):
        ls.beale.mesh(1)


@pytest.mark.parametrize("method", ["__call__", "grad", "hessian"])
@pytest.mark.parametrize("bad", [np.zeros(3), np.zeros((4, 3)), np.zeros((2, 1)), 1.0, []])
def test_wrong_xy_shape_is_a_value_error_naming_xy(method, bad):
    with pytest.raises(ValueError, match="xy"):
        getattr(ls.bowl, method)(bad)


@pytest.mark.parametrize("bad", [["a", "b"], np.array([1 + 1j, 2]), [None, None]])
def test_non_numeric_xy_is_a_type_error_naming_xy(bad):
    with pytest.raises(TypeError, match="xy"):
        ls.bowl.grad(bad)


# ---------------------------------------------------------------------------
# Landmarks: minima, saddles, maxima
# ---------------------------------------------------------------------------


def _stationary_tolerance(L, points):
    """|grad| allowed at a float64-rounded stationary point: about |H| * |p| * 1e-10."""
    scale = np.abs(L.hessian(points)).max(axis=(-1, -2)) * (1 + np.abs(points).max(axis=-1))
    return 1e-10 * (1 + scale)


@pytest.mark.parametrize("name", NAMES)
def test_landmarks_are_stationary_points_of_the_right_kind(name):
    L = ALL[name]
    for points in (L.minima, L.saddles, L.maxima):
        if len(points):
            grad_norm = np.linalg.norm(L.grad(points), axis=-1)
            assert np.all(grad_norm <= _stationary_tolerance(L, points))
    if len(L.minima):
        assert np.all(np.linalg.eigvalsh(L.hessian(L.minima)) > 0)
    if len(L.maxima):
        assert np.all(np.linalg.eigvalsh(L.hessian(L.maxima)) < 0)
    if name == "monkey_saddle":
        # Degenerate saddle: zero Hessian, so the second-derivative test is silent.
        np.testing.assert_array_equal(L.hessian(L.saddles), np.zeros((1, 2, 2)))
    elif len(L.saddles):
        eig = np.linalg.eigvalsh(L.hessian(L.saddles))  # ascending per point
        assert np.all(eig[:, 0] < 0) and np.all(eig[:, 1] > 0)


@pytest.mark.parametrize("name", BOUNDED)
def test_global_min_value_is_the_value_at_the_first_minimum(name):
    L = ALL[name]
    assert L.global_min_value == float(L(L.minima[0]))
    assert np.all(L(L.minima) >= L.global_min_value)


@pytest.mark.parametrize("name", BOUNDED)
def test_no_grid_point_is_below_the_global_minimum(name):
    L = ALL[name]
    _, _, Z = L.mesh(400)
    assert Z.min() >= L.global_min_value - 1e-12


@pytest.mark.parametrize("name", UNBOUNDED)
def test_unbounded_landscapes_say_so(name):
    L = ALL[name]
    assert L.minima.shape == (0, 2)
    assert L.global_min_value == -math.inf
    assert "unbounded below" in L.description
    assert L.saddles.tolist() == [[0.0, 0.0]]


def test_unbounded_landscapes_really_fall_forever():
    t = np.array([10.0, 1e3, 1e5])
    zeros = np.zeros_like(t)
    np.testing.assert_array_equal(ls.saddle(np.stack([zeros, t], -1)), -(t**2))
    np.testing.assert_array_equal(ls.monkey_saddle(np.stack([-t, zeros], -1)), -(t**3))


# ---------------------------------------------------------------------------
# Hand-computed values, one landscape at a time
# ---------------------------------------------------------------------------


def test_bowl_and_saddle_by_hand():
    assert float(ls.bowl([1.0, 2.0])) == 5.0
    assert ls.bowl.hessian([3.0, -1.0]).tolist() == [[2.0, 0.0], [0.0, 2.0]]
    assert float(ls.saddle([1.0, 2.0])) == -3.0
    assert ls.saddle.grad([1.0, 2.0]).tolist() == [2.0, -4.0]


def test_ravine_is_ill_conditioned_with_the_steep_axis_across_the_valley():
    eig = np.linalg.eigvalsh(ls.ravine.hessian([0.0, 0.0]))
    assert 50 <= eig[1] / eig[0] <= 100
    hess = ls.ravine.hessian([0.0, 0.0])
    assert hess[1, 1] > hess[0, 0]  # steep in y, gentle along x
    # Gradient descent with lr = 0.1 multiplies y by 1 - 0.1 * f_yy each step:
    # in (-1, 0) means it flips side every step (zig-zag) yet still converges.
    assert -1 < 1 - 0.1 * hess[1, 1] < 0


def test_rosenbrock_by_hand():
    assert float(ls.rosenbrock([0.0, 0.0])) == 1.0
    assert float(ls.rosenbrock([1.0, 1.0])) == 0.0
    assert float(ls.rosenbrock([-1.0, 0.0])) == 4.0 + 100.0
    assert ls.rosenbrock.grad([0.0, 0.0]).tolist() == [-2.0, 0.0]
    # f_xx = 2 - 400 (y - x^2) + 800 x^2, f_xy = -400 x, f_yy = 200 at (1, 1)
    assert ls.rosenbrock.hessian([1.0, 1.0]).tolist() == [[802.0, -400.0], [-400.0, 200.0]]
    assert ls.rosenbrock.log_scale_contours


def test_himmelblau_landmarks_match_the_published_ones():
    L = ls.himmelblau
    assert float(L([0.0, 0.0])) == 121.0 + 49.0
    published_minima = [[3.0, 2.0], [-2.805118, 3.131312], [-3.779310, -3.283186],
                        [3.584428, -1.848126]]
    np.testing.assert_allclose(L.minima, published_minima, atol=1e-6)
    assert np.all(L(L.minima) < 1e-20)  # all four are global minima (value 0)
    np.testing.assert_allclose(L.maxima, [[-0.270845, -0.923039]], atol=1e-6)
    assert abs(float(L(L.maxima[0])) - 181.617) < 1e-3
    assert L.saddles.shape == (4, 2)
    # One saddle between each pair of neighbouring minima: all four are distinct.
    assert len({tuple(np.round(s, 3)) for s in L.saddles}) == 4


def test_beale_by_hand():
    L = ls.beale
    assert float(L([3.0, 0.5])) == 0.0
    assert float(L([0.0, 0.0])) == 1.5**2 + 2.25**2 + 2.625**2
    # At (0, 1) every residual has zero gradient: a saddle with f_xy = 2 (1.5 + 2*2.25 + 3*2.625).
    off_diagonal = 2 * (1.5 + 2 * 2.25 + 3 * 2.625)
    np.testing.assert_allclose(L.hessian([0.0, 1.0]), [[0, off_diagonal], [off_diagonal, 0]])
    assert L.saddles[0].tolist() == [0.0, 1.0]


def test_monkey_saddle_by_hand():
    assert float(ls.monkey_saddle([1.0, 1.0])) == 1.0 - 3.0
    assert ls.monkey_saddle.grad([1.0, 1.0]).tolist() == [0.0, -6.0]


def test_plateau_is_flat_far_away_and_a_well_near_the_minimum():
    L = ls.plateau
    r2 = np.array([0.0, 0.25, 1.0, 4.0])
    p = np.stack([np.sqrt(r2), np.zeros_like(r2)], axis=-1)
    np.testing.assert_allclose(L(p), 1 - np.exp(-r2), rtol=1e-15)
    start = L.default_start
    assert float(L(start)) > 0.99
    assert np.linalg.norm(L.grad(start)) < 0.01
    # Gradient descent at lr = 0.1 moves less than 1e-3 per step there: a crawl.
    assert 0.1 * np.linalg.norm(L.grad(start)) < 1e-3


def test_rastrigin_has_a_local_minimum_near_every_integer_point():
    L = ls.rastrigin
    assert float(L([0.0, 0.0])) == 0.0
    # cos(pi) = -1 in both terms: 20 + 0.25 + 0.25 + 20
    np.testing.assert_allclose(float(L([0.5, 0.5])), 40.5, rtol=1e-15)
    assert L.minima.shape == (121, 2) and L.saddles.shape == (220, 2)
    assert L.maxima.shape == (100, 2)
    assert np.all(np.abs(L.minima - np.round(L.minima)) < 0.03)
    assert L.minima[0].tolist() == [0.0, 0.0]
    assert np.all(np.diff(L(L.minima)) >= 0)  # deepest first
    assert len(np.unique(np.round(L.minima, 6), axis=0)) == 121


def test_cliff_has_a_tall_thin_wall_at_x_1_5():
    L = ls.cliff
    # Across x = 1.5 +- 0.25 (10 length scales each side) the logistic step has
    # risen by 1 - 2 / (1 + e^10) = 0.99991 of its height 10; the bowl adds
    # 0.5 * (1.75^2 - 1.25^2) = 0.75.
    below, above = L([1.25, 0.0]), L([1.75, 0.0])
    np.testing.assert_allclose(above - below, 10 * (1 - 2 / (1 + math.exp(10))) + 0.75, rtol=1e-12)
    # Within 0.1 of the wall's centre, 96 % of the drop has happened already.
    np.testing.assert_allclose(L([1.6, 0.0]) - L([1.4, 0.0]), 10 * math.tanh(2) + 0.3, rtol=1e-12)
    x = np.linspace(1.4, 1.6, 2001)
    slope = L.grad(np.stack([x, np.zeros_like(x)], axis=-1))[:, 0]
    assert slope.max() > 100  # peak = 10 / (4 * 0.025) + 1.5
    assert np.all(np.abs(L.grad([[3.0, 1.0], [-3.0, 1.0]])) < 4)  # gentle elsewhere
    np.testing.assert_allclose(L.minima, [[0.0, 0.0]], atol=1e-20)


def test_cliff_catapults_an_unclipped_gradient_step_but_not_a_clipped_one():
    # Plain gradient descent, lr = 0.1, written out here rather than taken from the library.
    L = ls.cliff

    def longest_step(clip_norm):
        p, longest, landed = L.default_start.copy(), 0.0, None
        for _ in range(30):
            g = L.grad(p)
            if clip_norm is not None:
                g = g * clip_norm / max(np.linalg.norm(g), clip_norm)
            step = -0.1 * g
            if np.linalg.norm(step) > longest:
                longest, landed = np.linalg.norm(step), p + step
            p = p + step
        return longest, landed

    longest, landed = longest_step(None)
    assert longest > 5  # flung more than 5 units in one step ...
    assert landed[0] < L.bounds[0][0]  # ... right out of the plotting window
    longest, _ = longest_step(1.0)
    assert longest <= 0.1 + 1e-12  # clipping caps every step at lr * 1


# ---------------------------------------------------------------------------
# Exact properties (hypothesis)
# ---------------------------------------------------------------------------

coordinate = st.floats(min_value=-10, max_value=10, allow_nan=False)


@settings(max_examples=50, deadline=None)
@given(x=coordinate, y=coordinate, name=st.sampled_from(["bowl", "ravine", "saddle"]))
def test_quadratics_equal_their_second_order_taylor_expansion(x, y, name):
    L = ALL[name]
    p = np.array([x, y])
    hess = L.hessian(p)
    np.testing.assert_allclose(L(p), 0.5 * p @ hess @ p, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(L.grad(p), hess @ p, rtol=1e-12, atol=1e-12)


@settings(max_examples=50, deadline=None)
@given(x=coordinate, y=coordinate, seed=st.integers(0, 2**32), name=st.sampled_from(NAMES))
def test_zero_noise_gives_the_clean_gradient(x, y, seed, name):
    p = np.array([[x, y], [y, x]])
    np.testing.assert_array_equal(noisy(name, 0.0, seed).grad(p), ALL[name].grad(p))


# ---------------------------------------------------------------------------
# Noisy gradients
# ---------------------------------------------------------------------------


def test_noisy_keeps_everything_but_the_gradient():
    base = ls.rosenbrock
    N = noisy(base, 0.5, seed=3)
    assert N.name == "rosenbrock+noise(0.5)"
    p = np.array([[0.3, -0.2], [1.5, 2.0]])
    np.testing.assert_array_equal(N(p), base(p))
    np.testing.assert_array_equal(N.hessian(p), base.hessian(p))
    assert N.bounds == base.bounds and N.global_min_value == base.global_min_value
    np.testing.assert_array_equal(N.minima, base.minima)
    np.testing.assert_array_equal(N.default_start, base.default_start)
    assert N.grad(p).shape == p.shape
    assert not np.array_equal(N.grad(p), base.grad(p))


def test_same_seed_same_noise_sequence_and_reset_replays_it():
    p = np.array([1.0, -1.0])
    a, b, c = noisy(ls.bowl, 1.0, seed=7), noisy(ls.bowl, 1.0, seed=7), noisy(ls.bowl, 1.0, seed=8)
    seq_a = [a.grad(p) for _ in range(4)]
    seq_b = [b.grad(p) for _ in range(4)]
    seq_c = [c.grad(p) for _ in range(4)]
    assert all(np.array_equal(u, v) for u, v in zip(seq_a, seq_b))
    assert not any(np.array_equal(u, v) for u, v in zip(seq_a, seq_c))
    assert not np.array_equal(seq_a[0], seq_a[1])  # fresh noise each call
    a.reset()
    assert all(np.array_equal(a.grad(p), u) for u in seq_a)
    # The noise is exactly sigma times the generator's standard normals.
    expected = ls.bowl.grad(p) + np.random.default_rng(7).standard_normal(2)
    np.testing.assert_array_equal(seq_a[0], expected)


def test_noisy_gradient_is_unbiased_with_standard_deviation_sigma():
    sigma, n = 0.5, 20_000
    N = noisy("himmelblau", sigma, seed=0)
    p = np.tile([1.0, 2.0], (n, 1))  # one call, n independent draws
    g = N.grad(p)
    true = ls.himmelblau.grad([1.0, 2.0])
    # Mean within 5 standard errors; sample std within 3 %.
    assert np.all(np.abs(g.mean(axis=0) - true) < 5 * sigma / np.sqrt(n))
    np.testing.assert_allclose(g.std(axis=0), sigma, rtol=0.03)
    # Averaging over successive calls works too.
    seq = np.array([N.grad([1.0, 2.0]) for _ in range(2000)])
    assert np.all(np.abs(seq.mean(axis=0) - true) < 5 * sigma / np.sqrt(2000))


@pytest.mark.parametrize("sigma, error", [(-0.1, ValueError), (math.nan, ValueError),
                                          (math.inf, ValueError), ("1", TypeError),
                                          (None, TypeError)])
def test_bad_sigma_is_rejected_by_name(sigma, error):
    with pytest.raises(error, match="sigma"):
        noisy(ls.bowl, sigma, seed=0)


def test_bad_landscape_or_seed_is_rejected_by_name():
    with pytest.raises(ValueError, match="landscape"):
        noisy("volcano", 1.0)
    with pytest.raises(TypeError, match="landscape"):
        noisy(lambda xy: 0.0, 1.0)
    with pytest.raises(ValueError, match="seed"):
        noisy(ls.bowl, 1.0, seed=-1)
    with pytest.raises(TypeError, match="seed"):
        noisy(ls.bowl, 1.0, seed=1.5)
