"""run() and sweep(): paths on 2-D landscapes, many runs at once, divergence."""

from __future__ import annotations

import numpy as np
import pytest

import optimizers as opt
from optimizers import landscapes
from optimizers.trajectory import run, sweep


def test_gradient_descent_on_the_bowl_by_hand():
    # bowl = x^2 + y^2, gradient 2 xy: each step multiplies the point by (1 - 2 lr) = 0.8.
    result = run(opt.SGD(learning_rate=0.1), landscapes.bowl, start=[1.0, -2.0], steps=5)
    expected = np.array([[1.0, -2.0]]) * 0.8 ** np.arange(6)[:, None]
    np.testing.assert_allclose(result.points, expected, rtol=1e-14)
    np.testing.assert_allclose(result.losses, 5.0 * 0.64 ** np.arange(6), rtol=1e-14)
    assert result.diverged is False and result.diverged_at == -1
    assert result.points.shape == (6, 2) and result.losses.shape == (6,)


def test_many_starts_equal_single_runs():
    starts = np.array([[-1.2, 1.0], [0.5, 2.0], [1.5, -0.5]])
    many = run(opt.Adam(learning_rate=0.05), landscapes.rosenbrock, starts, steps=50)
    assert many.points.shape == (51, 3, 2) and many.losses.shape == (51, 3)
    for i, s in enumerate(starts):
        one = run(opt.Adam(learning_rate=0.05), landscapes.rosenbrock, s, steps=50)
        np.testing.assert_allclose(many.points[:, i], one.points, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop", "Lion", "Nadam"])
def test_sweep_equals_runs_one_by_one(name):
    rates = np.array([1e-3, 1e-2, 3e-2])
    kwargs = {"momentum": 0.9} if name == "SGD" else {}
    swept = sweep(opt.ALL[name](**kwargs), rates, landscapes.rosenbrock, steps=40)
    for i, lr in enumerate(rates):
        one = run(opt.ALL[name](learning_rate=float(lr), **kwargs), landscapes.rosenbrock, steps=40)
        np.testing.assert_allclose(swept.points[:, i], one.points, rtol=1e-12, atol=1e-15)


def test_clipped_sweep_clips_each_run_separately():
    rates = [0.05, 0.2]
    swept = sweep(opt.SGD(clipnorm=1.0), rates, landscapes.cliff, steps=30)
    for i, lr in enumerate(rates):
        one = run(opt.SGD(learning_rate=lr, clipnorm=1.0), landscapes.cliff, steps=30)
        np.testing.assert_allclose(swept.points[:, i], one.points, rtol=1e-13)
    # A clipped step is never longer than lr * clipnorm.
    steps = np.linalg.norm(np.diff(swept.points, axis=0), axis=-1)
    assert np.all(steps <= np.array(rates) * 1.0 + 1e-12)


def test_divergent_run_is_frozen_and_flagged_others_continue():
    # lr 1.5 on the bowl multiplies the point by -2 each step; it leaves 10 half-widths
    # (30 units) of the window once 2^t * 1 > 30, i.e. at t = 5 (32).
    result = sweep(opt.SGD(), [0.1, 1.5], landscapes.bowl, start=[1.0, 0.0], steps=12)
    assert result.diverged.tolist() == [False, True]
    assert result.diverged_at.tolist() == [-1, 5]
    frozen = result.points[4:, 1]
    np.testing.assert_array_equal(frozen, np.tile([16.0, 0.0], (9, 1)))  # (-2)^4 = 16
    assert np.all(np.isfinite(result.losses))
    np.testing.assert_allclose(result.points[-1, 0], [0.8**12, 0.0], rtol=1e-12)
    assert "diverged at step 5" in result.summary()


def test_nan_gradient_freezes_run_without_warnings(recwarn):
    class NaNAfterTwo:
        bounds = ((-1, 1), (-1, 1))
        default_start = np.array([0.5, 0.5])
        calls = 0

        def __call__(self, xy):
            return np.sum(xy**2, axis=-1)

        def grad(self, xy):
            self.calls += 1
            return np.full_like(xy, np.nan) if self.calls > 2 else 2 * xy

    result = run(opt.Adam(learning_rate=0.1), NaNAfterTwo(), steps=6)
    assert result.diverged and result.diverged_at == 3
    np.testing.assert_array_equal(result.points[3:], np.tile(result.points[2], (4, 1)))
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_run_does_not_touch_the_optimizer_and_repeats_exactly():
    adam = opt.Adam(learning_rate=0.1)
    a = run(adam, landscapes.himmelblau, steps=30)
    b = run(adam, landscapes.himmelblau, steps=30)
    assert adam.iterations == 0 and adam.state == []
    np.testing.assert_array_equal(a.points, b.points)
    assert a.optimizer.iterations == 30


def test_noisy_landscape_is_reset_so_runs_repeat():
    noisy = landscapes.noisy(landscapes.bowl, sigma=0.5, seed=3)
    a = run(opt.SGD(learning_rate=0.1), noisy, steps=20)
    b = run(opt.SGD(learning_rate=0.1), noisy, steps=20)
    np.testing.assert_array_equal(a.points, b.points)
    clean = run(opt.SGD(learning_rate=0.1), landscapes.bowl, steps=20)
    assert not np.allclose(a.points, clean.points)


def test_schedule_survives_the_copy():
    schedule = opt.schedules.ExponentialDecay(0.4, decay_steps=1, decay_rate=0.5)
    result = run(opt.SGD(learning_rate=schedule), landscapes.bowl, start=[1.0, 0.0], steps=3)
    # factors 1 - 2 * (0.4, 0.2, 0.1) = 0.2, 0.6, 0.8
    np.testing.assert_allclose(result.points[:, 0], [1.0, 0.2, 0.12, 0.096], rtol=1e-14)


def test_steps_to_reach():
    result = run(opt.SGD(learning_rate=0.25), landscapes.bowl, start=[1.0, 0.0], steps=10)
    # factor 0.5 per step: loss 0.25^t; <= 1e-3 first at t = 5 (0.25^5 = 9.8e-4)
    assert result.steps_to_reach(1e-3) == 5
    assert result.steps_to_reach(-1.0) == -1


@pytest.mark.parametrize("kwargs,error,words", [
    ({"steps": 0}, ValueError, "`steps`"),
    ({"steps": 2.5}, ValueError, "`steps`"),
    ({"start": [1.0, 2.0, 3.0]}, ValueError, "`start`"),
    ({"start": [np.nan, 0.0]}, ValueError, "`start`"),
])
def test_bad_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        run(opt.SGD(), landscapes.bowl, **kwargs)


def test_sweep_start_rows_must_match_rates():
    with pytest.raises(ValueError, match="3 rows but 2 learning rates"):
        sweep(opt.SGD(), [0.1, 0.2], landscapes.bowl, start=np.zeros((3, 2)))


def test_not_an_optimizer():
    with pytest.raises(TypeError, match="`optimizer`"):
        run("adam", landscapes.bowl)
