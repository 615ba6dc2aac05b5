"""Tests for optimizers.training: the batch / mini-batch / stochastic training loop.

Expected numbers come from gradient-descent loops written out again here (the
half-MSE gradient X^T (Xw + b - y) / n by hand), from formulas (ceil(n / k),
schedules), or from np.linalg.norm on gradients computed directly; never from
numbers printed by fit itself.
"""

import json
import math
import sys
import time
import types
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import optimizers as opt
from optimizers import training
from optimizers.models import MLP, LinearRegression, LogisticRegression
from optimizers.training import History, evaluate, fit, minibatches, updates_per_epoch


# --------------------------------------------------------------------------- helpers


def linear_data(n=40, d=3, noise=0.1, seed=0):
    """y = X w* + b* + noise * e with X ~ N(0, 1)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    w_true = np.arange(1.0, d + 1.0)
    y = X @ w_true - 0.5 + noise * rng.normal(size=n)
    return X, y


def hand_gd_step(w, b, X, y, lr):
    """One gradient-descent step on L = 0.5 * mean((Xw + b - y)^2), written from the math."""
    r = X @ w + b - y
    loss = 0.5 * np.mean(r**2)
    grad_w = X.T @ r / len(y)
    grad_b = np.mean(r)
    return w - lr * grad_w, b - lr * grad_b, loss


def run_quiet(*args, **kwargs):
    """fit with warnings turned into a list, so a test can count them."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = fit(*args, **kwargs)
    return history, [w for w in caught if issubclass(w.category, RuntimeWarning)]


class RecordingRegression(LinearRegression):
    """LinearRegression that remembers which rows (column 0 holds the row id) each update saw."""

    def __init__(self, n_features):
        super().__init__(n_features, seed=0)
        self.batches = []

    def loss_and_grads(self, X, y):
        self.batches.append(np.asarray(X)[:, 0].astype(int))
        return super().loss_and_grads(X, y)


class ScriptedRegression(LinearRegression):
    """LinearRegression whose update number `bad_update` gets a chosen loss or gradient.

    It also snapshots the parameters at every call, so a test can see what fit did.
    """

    def __init__(self, n_features, bad_update, loss=None, grads=None):
        super().__init__(n_features, seed=0)
        self.bad_update, self.bad_loss, self.bad_grads = bad_update, loss, grads
        self.snapshots = []

    def loss_and_grads(self, X, y):
        self.snapshots.append([p.copy() for p in self.params])
        loss, grads = super().loss_and_grads(X, y)
        if len(self.snapshots) - 1 == self.bad_update:
            if self.bad_loss is not None:
                loss = self.bad_loss
            if self.bad_grads is not None:
                grads = [np.full_like(g, self.bad_grads) for g in grads]
        return loss, grads


# --------------------------------------------------------------------------- minibatches


def test_minibatches_in_order_cuts_consecutive_rows():
    assert [b.tolist() for b in minibatches(10, 3, shuffle=False)] == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    assert [b.tolist() for b in minibatches(4, 1, shuffle=False)] == [[0], [1], [2], [3]]
    assert [b.tolist() for b in minibatches(3, 10, shuffle=False)] == [[0, 1, 2]]  # batch_size > n


def test_minibatches_full_batch_is_all_rows_in_order():
    rng = np.random.default_rng(0)
    assert [b.tolist() for b in minibatches(5, None, rng, shuffle=True)] == [[0, 1, 2, 3, 4]]


def test_minibatches_shuffle_draws_one_permutation_per_call():
    rng = np.random.default_rng(7)
    first = np.concatenate(list(minibatches(12, 5, rng)))
    second = np.concatenate(list(minibatches(12, 5, rng)))
    expected_rng = np.random.default_rng(7)
    np.testing.assert_array_equal(first, expected_rng.permutation(12))
    np.testing.assert_array_equal(second, expected_rng.permutation(12))
    assert not np.array_equal(first, second)
    # An int is taken as a seed.
    np.testing.assert_array_equal(np.concatenate(list(minibatches(12, 5, 7))), first)


@settings(max_examples=50, deadline=None)
@given(n=st.integers(1, 60), k=st.integers(1, 70), seed=st.integers(0, 2**32 - 1), shuffle=st.booleans())
def test_minibatches_partition_the_rows(n, k, seed, shuffle):
    batches = list(minibatches(n, k, np.random.default_rng(seed), shuffle))
    assert len(batches) == math.ceil(n / k) == updates_per_epoch(n, k)
    assert all(len(b) == k for b in batches[:-1]) and 1 <= len(batches[-1]) <= k
    assert sorted(np.concatenate(batches).tolist()) == list(range(n))


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(n=0, batch_size=2), ValueError, "`n`"),
    (dict(n=2.0, batch_size=2), TypeError, "`n`"),
    (dict(n=5, batch_size=0), ValueError, "`batch_size`"),
    (dict(n=5, batch_size=1.5), TypeError, "`batch_size`"),
    (dict(n=5, batch_size=True), TypeError, "`batch_size`"),
    (dict(n=5, batch_size=2, shuffle="yes"), TypeError, "`shuffle`"),
    (dict(n=5, batch_size=2, rng=None), ValueError, "`rng`"),
    (dict(n=5, batch_size=2, rng="seed"), TypeError, "`rng`"),
])
def test_minibatches_bad_input(kwargs, error, words):
    with pytest.raises(error, match=words):
        list(minibatches(**kwargs))


def test_updates_per_epoch_formula():
    assert updates_per_epoch(10, None) == 1
    assert updates_per_epoch(10, 1) == 10
    assert updates_per_epoch(10, 3) == 4  # 3 + 3 + 3 + 1
    assert updates_per_epoch(10, 10) == 1
    assert updates_per_epoch(10, 25) == 1


# --------------------------------------------------------------------------- regimes inside fit


@pytest.mark.parametrize("batch_size, expected", [(None, 1), (1, 10), (3, 4), (4, 3), (11, 1)])
def test_fit_updates_per_epoch(batch_size, expected):
    X, y = linear_data(n=10)
    h = fit(LinearRegression(3), opt.SGD(0.01), X, y, batch_size=batch_size, epochs=3, progress=False)
    assert h.updates_per_epoch == expected
    assert h.n_updates == len(h.loss) == len(h.learning_rate) == 3 * expected
    assert h.epochs_run == len(h.epoch_train_loss) == 3
    assert h.batch_size == batch_size


def test_fit_uses_every_row_once_per_epoch_in_a_new_order():
    n, k, epochs, seed = 10, 3, 4, 123
    X = np.column_stack([np.arange(n, dtype=float), np.ones(n)])  # column 0: the row id
    model = RecordingRegression(2)
    fit(model, opt.SGD(0.0), X, np.zeros(n), batch_size=k, epochs=epochs, seed=seed, progress=False)
    sizes = [len(b) for b in model.batches]
    assert sizes == [3, 3, 3, 1] * epochs
    orders = [np.concatenate(model.batches[e * 4:(e + 1) * 4]) for e in range(epochs)]
    for order in orders:
        assert sorted(order.tolist()) == list(range(n))
    assert len({tuple(o) for o in orders}) == epochs  # every epoch its own order
    # One generator for the whole run: epoch e uses its e-th permutation.
    rng = np.random.default_rng(seed)
    for order in orders:
        np.testing.assert_array_equal(order, rng.permutation(n))


def test_fit_without_shuffle_keeps_row_order():
    n = 7
    X = np.column_stack([np.arange(n, dtype=float), np.ones(n)])
    model = RecordingRegression(2)
    fit(model, opt.SGD(0.0), X, np.zeros(n), batch_size=3, epochs=2, shuffle=False, progress=False)
    assert [b.tolist() for b in model.batches] == [[0, 1, 2], [3, 4, 5], [6]] * 2


def test_batch_gd_equals_hand_written_loop():
    X, y = linear_data(n=30)
    model = LinearRegression(3, seed=4)
    w, b = model.params[0].copy(), float(model.params[1][0])
    lr, epochs = 0.1, 25
    hand_losses = []
    for _ in range(epochs):
        w, b, loss = hand_gd_step(w, b, X, y, lr)
        hand_losses.append(loss)
    h = fit(model, opt.SGD(lr), X, y, batch_size=None, epochs=epochs, progress=False)
    np.testing.assert_allclose(h.loss, hand_losses, rtol=1e-12, atol=0)
    np.testing.assert_allclose(model.params[0], w, rtol=0, atol=1e-12)
    np.testing.assert_allclose(model.params[1][0], b, rtol=0, atol=1e-12)
    # Per-epoch train loss is measured after the update: the hand loop's next loss.
    _, _, after_last = hand_gd_step(w, b, X, y, 0.0)
    np.testing.assert_allclose(h.epoch_train_loss[:-1], hand_losses[1:], rtol=1e-12)
    np.testing.assert_allclose(h.epoch_train_loss[-1], after_last, rtol=1e-12)


def test_shuffled_minibatch_sgd_equals_hand_written_loop():
    X, y = linear_data(n=10)
    model = LinearRegression(3, seed=1)
    w, b = model.params[0].copy(), float(model.params[1][0])
    lr, k, epochs, seed = 0.05, 4, 3, 99
    rng = np.random.default_rng(seed)
    hand_losses = []
    for _ in range(epochs):
        order = rng.permutation(len(y))
        for start in range(0, len(y), k):
            rows = order[start:start + k]
            w, b, loss = hand_gd_step(w, b, X[rows], y[rows], lr)
            hand_losses.append(loss)
    h = fit(model, opt.SGD(lr), X, y, batch_size=k, epochs=epochs, seed=seed, progress=False)
    np.testing.assert_allclose(h.loss, hand_losses, rtol=1e-12)
    np.testing.assert_allclose(model.params[0], w, atol=1e-12)
    np.testing.assert_allclose(model.params[1][0], b, atol=1e-12)


def test_batch_larger_than_data_is_one_batch():
    X, y = linear_data(n=8)
    big = fit(LinearRegression(3), opt.SGD(0.1), X, y, batch_size=100, epochs=5, progress=False)
    full = fit(LinearRegression(3), opt.SGD(0.1), X, y, batch_size=None, epochs=5, progress=False)
    assert big.updates_per_epoch == 1
    np.testing.assert_allclose(big.loss, full.loss, rtol=1e-12)  # same rows, other order


def test_fit_does_not_modify_the_data():
    X, y = linear_data(n=12)
    X0, y0 = X.copy(), y.copy()
    fit(LinearRegression(3), opt.Adam(0.1), X, y, batch_size=5, epochs=2, progress=False)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)


# --------------------------------------------------------------------------- determinism


def _mlp_run(seed):
    rng = np.random.default_rng(5)
    X = rng.normal(size=(50, 4))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    model = MLP([4, 8, 2], activation="tanh", seed=3)
    h = fit(model, opt.Adam(0.05), X, y, batch_size=8, epochs=4, seed=seed,
            validation_data=(X[:10], y[:10]), progress=False)
    return h, model


def test_same_seed_gives_bit_identical_history_and_params():
    h1, m1 = _mlp_run(seed=11)
    h2, m2 = _mlp_run(seed=11)
    for name in ("loss", "learning_rate", "grad_norms"):
        assert np.array_equal(getattr(h1, name), getattr(h2, name)), name
    for name in ("epoch_train_loss", "epoch_train_metric", "epoch_val_loss", "epoch_val_metric"):
        assert getattr(h1, name) == getattr(h2, name), name
    for p1, p2 in zip(m1.params, m2.params):
        assert np.array_equal(p1, p2)


def test_other_seed_gives_other_numbers():
    h1, m1 = _mlp_run(seed=11)
    h2, m2 = _mlp_run(seed=12)
    assert h1.n_updates == h2.n_updates
    assert h1.loss[0] != h2.loss[0]  # the first batch already holds other rows
    assert not np.array_equal(m1.params[0], m2.params[0])


# --------------------------------------------------------------------------- it learns


def test_linear_regression_reaches_the_noise_floor():
    sigma, n, d = 0.1, 200, 3
    X, y = linear_data(n=n, d=d, noise=sigma, seed=2)
    model = LinearRegression(d)
    h = fit(model, opt.SGD(0.1), X, y, batch_size=10, epochs=30, progress=False)
    # The best possible half-MSE is about 0.5 * sigma^2 * (1 - (d + 1) / n); allow 50 % above it.
    floor = 0.5 * sigma**2
    assert h.epoch_train_loss[0] < h.loss[0]
    assert h.epoch_train_loss[-1] < 1.5 * floor
    assert h.loss[0] > 10 * floor  # it started far away: the drop is real


def test_logistic_regression_separates_blobs():
    rng = np.random.default_rng(0)
    # Two clusters at (2, 2) and (-2, -2) with std 0.3: each point is ~9 std from the line x + y = 0.
    X = np.vstack([rng.normal(2.0, 0.3, size=(100, 2)), rng.normal(-2.0, 0.3, size=(100, 2))])
    y = np.repeat([1, 0], 100)
    model = LogisticRegression(2)
    h = fit(model, opt.SGD(0.5), X, y, batch_size=16, epochs=10, progress=False)
    assert h.metric_name == "accuracy"
    assert h.epoch_train_metric[-1] == 1.0
    assert h.epoch_train_loss[-1] < 0.05


def test_mlp_on_digits_generalises_quickly():
    from optimizers import data

    split = data.digits(seed=0)
    model = MLP([64, 32, 10], activation="relu", seed=0)
    start = time.perf_counter()
    h = fit(model, opt.Adam(0.01), split.X_train, split.y_train, batch_size=32, epochs=6,
            validation_data=(split.X_val, split.y_val), seed=0, progress=False)
    assert time.perf_counter() - start < 3.0
    assert len(h.epoch_val_metric) == 6
    assert h.epoch_val_metric[-1] > 0.9
    # The recorded final validation numbers are those of the trained model.
    assert (h.epoch_val_loss[-1], h.epoch_val_metric[-1]) == evaluate(model, split.X_val, split.y_val)


# --------------------------------------------------------------------------- divergence


def test_huge_learning_rate_diverges_cleanly():
    X, y = linear_data(n=50)
    model = LinearRegression(3)
    h, caught = run_quiet(model, opt.SGD(1e6), X, y, epochs=500, progress=False)
    assert h.diverged and h.diverged_at is not None
    assert h.diverged_at < 40  # the residual grows ~1e6-fold an update: overflow within ~30
    assert len(caught) == 1 and str(caught[0].message) == h.message
    assert "learning rate" in h.message and f"update {h.diverged_at}" in h.message
    # Truncated at the divergence, not padded to 500 epochs.
    assert h.n_updates == len(h.loss) == h.diverged_at + 1 < 500
    assert h.grad_norms.shape == (h.n_updates, 2) and len(h.learning_rate) == h.n_updates
    assert np.all(np.isfinite(h.loss[:-1]))
    assert not np.isfinite(h.epoch_train_loss[-1]) or not np.isfinite(h.loss[-1])
    assert "DIVERGED" in h.summary()


def test_non_finite_loss_stops_before_the_update():
    X, y = linear_data(n=12)
    model = ScriptedRegression(3, bad_update=5, loss=math.inf)
    sgd = opt.SGD(0.01)
    h, caught = run_quiet(model, sgd, X, y, batch_size=4, epochs=10, progress=False)
    assert (h.diverged, h.diverged_at, h.diverged_epoch) == (True, 5, 1)  # 3 updates an epoch
    assert h.message == "diverged at update 5 (epoch 1): loss became inf; try a smaller learning rate (it was 0.01)"
    assert len(caught) == 1
    assert len(h.loss) == 6 and h.loss[5] == math.inf and np.all(np.isfinite(h.loss[:5]))
    assert sgd.iterations == 5  # the bad update was not applied ...
    for p, before in zip(model.params, model.snapshots[5]):
        np.testing.assert_array_equal(p, before)  # ... so the params are those that gave the inf loss
    assert h.epochs_run == 1  # epoch 1 never finished


def test_nan_gradient_is_reported_by_parameter_name():
    X, y = linear_data(n=12)
    model = ScriptedRegression(3, bad_update=2, grads=math.nan)
    h, caught = run_quiet(model, opt.SGD(0.01), X, y, batch_size=None, epochs=10, progress=False)
    assert h.diverged_at == 2 and h.diverged_epoch == 2
    assert "gradient of 'w' became nan" in h.message
    assert len(caught) == 1
    assert np.isnan(h.grad_norms[2]).all() and np.isfinite(h.grad_norms[:2]).all()


def test_overflowing_update_is_reported_once_without_the_optimizers_warning():
    X, y = linear_data(n=12)
    model = ScriptedRegression(3, bad_update=1, grads=1e300)  # lr * grad = 1e310: overflow
    h, caught = run_quiet(model, opt.SGD(1e10), X, y, batch_size=None, epochs=10, progress=False)
    assert h.diverged_at == 1
    assert "parameter 'w' became inf after the update" in h.message
    assert len(caught) == 1  # the optimizer's own "grads ... diverging" warning is silenced
    assert not np.all(np.isfinite(model.params[0]))  # the params hold what the update made


def test_keep_going_after_divergence_when_asked():
    X, y = linear_data(n=12)
    model = ScriptedRegression(3, bad_update=1, loss=math.nan)
    h, caught = run_quiet(model, opt.SGD(0.01), X, y, batch_size=None, epochs=4,
                          stop_on_divergence=False, progress=False)
    assert h.diverged and h.diverged_at == 1 and "loss became nan" in h.message
    assert h.n_updates == 4 and h.epochs_run == 4
    assert len(caught) == 1


def test_healthy_run_does_not_warn():
    X, y = linear_data(n=12)
    h, caught = run_quiet(LinearRegression(3), opt.SGD(0.1), X, y, epochs=3, progress=False)
    assert not h.diverged and h.diverged_at is None and caught == []
    assert "DIVERGED" not in h.summary()


# --------------------------------------------------------------------------- what is recorded


def test_learning_rate_schedule_is_recorded_per_update():
    from optimizers.schedules import ExponentialDecay

    X, y = linear_data(n=10)
    h = fit(LinearRegression(3), opt.SGD(ExponentialDecay(0.1, 5, 0.5)), X, y, batch_size=3,
            epochs=3, progress=False)
    steps = np.arange(12)
    np.testing.assert_allclose(h.learning_rate, 0.1 * 0.5 ** (steps / 5), rtol=1e-14)
    assert h.learning_rate.dtype == np.float64


def test_callable_learning_rate_and_lookahead_are_recorded():
    X, y = linear_data(n=10)
    h = fit(LinearRegression(3), opt.SGD(lambda step: 1.0 / (10 + step)), X, y, batch_size=5,
            epochs=2, progress=False)
    np.testing.assert_array_equal(h.learning_rate, [1 / 10, 1 / 11, 1 / 12, 1 / 13])
    h = fit(LinearRegression(3), opt.Lookahead(opt.SGD(0.03), k=2), X, y, epochs=3, progress=False)
    np.testing.assert_array_equal(h.learning_rate, [0.03] * 3)


def test_grad_norms_layout_and_values():
    X, y = linear_data(n=20)
    model = MLP([3, 5, 4, 1], activation="tanh", seed=2, task="regression")
    start = model.copy()
    seed, k = 3, 6
    h = fit(model, opt.Adam(0.01), X, y, batch_size=k, epochs=2, seed=seed, progress=False)
    assert h.param_names == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert h.grad_norms.shape == (h.n_updates, 6) == (8, 6)
    # The first update's gradient: initial weights on the first shuffled batch.
    rows = np.random.default_rng(seed).permutation(20)[:k]
    _, grads = start.loss_and_grads(X[rows], y[rows])
    expected = [np.linalg.norm(g) for g in grads]
    np.testing.assert_allclose(h.grad_norms[0], expected, rtol=1e-12)
    np.testing.assert_array_equal(h.grad_norm("W2"), h.grad_norms[:, 2])
    with pytest.raises(ValueError, match="`name`"):
        h.grad_norm("W9")


def test_validation_lists_and_metrics():
    X, y = linear_data(n=20)
    h = fit(LinearRegression(3), opt.SGD(0.1), X, y, epochs=3, progress=False)
    assert h.epoch_val_loss == [] and h.epoch_val_metric == []
    assert h.metric_name == "mse"
    model = LinearRegression(3)
    h = fit(model, opt.SGD(0.1), X[:15], y[:15], epochs=3, validation_data=(X[15:], y[15:]), progress=False)
    assert len(h.epoch_val_loss) == len(h.epoch_val_metric) == 3
    # mse metric = twice the half-MSE loss, written out by hand on the held-out rows.
    r = model.predict(X[15:]) - y[15:]
    assert h.epoch_val_loss[-1] == pytest.approx(0.5 * np.mean(r**2), rel=1e-12)
    assert h.epoch_val_metric[-1] == pytest.approx(np.mean(r**2), rel=1e-12)


def test_evaluate_by_hand():
    model = LogisticRegression(1)
    model.params[0][...] = 0.0  # every logit is 0: p = 1/2, loss log 2, predicts class 0
    loss, accuracy = evaluate(model, np.array([[1.0], [2.0], [3.0], [4.0]]), np.array([0, 0, 0, 1]))
    assert loss == pytest.approx(math.log(2.0), rel=1e-15)
    assert accuracy == 0.75


def test_history_summary_and_to_dict():
    X, y = linear_data(n=10)
    h = fit(LinearRegression(3), opt.SGD(0.1), X, y, batch_size=4, epochs=2, progress=False)
    assert isinstance(h, History)
    text = h.summary()
    assert "mini-batch" in text and "6 update(s)" in text and f"{h.epoch_train_loss[-1]:.4g}" in text
    d = json.loads(json.dumps(h.to_dict()))
    assert d["loss"] == h.loss.tolist() and d["n_updates"] == 6 and d["param_names"] == ["w", "b"]
    assert h.wall_time >= 0.0


# --------------------------------------------------------------------------- input errors


def _base():
    X, y = linear_data(n=10)
    return dict(model=LinearRegression(3), optimizer=opt.SGD(0.1), X=X, y=y, batch_size=4,
                epochs=2, progress=False)


_X, _Y = linear_data(n=10)
BAD_INPUTS = [
    (dict(X=_X[:, 0]), ValueError, r"`X` must be 2-D"),
    (dict(X=_X[None]), ValueError, r"`X` must be 2-D"),
    (dict(X=np.full((10, 3), "a")), TypeError, r"`X`"),
    (dict(X=np.empty((0, 3)), y=np.empty(0)), ValueError, r"`X`"),
    (dict(y=_Y[:-1]), ValueError, r"`y`"),
    (dict(X=np.ones((10, 4))), ValueError, r"X must have 3 features"),
    (dict(X=np.where(np.eye(10, 3) > 0, np.nan, _X)), ValueError, r"X contains NaN"),
    (dict(batch_size=0), ValueError, r"`batch_size`"),
    (dict(batch_size=-3), ValueError, r"`batch_size`"),
    (dict(batch_size=2.5), TypeError, r"`batch_size`"),
    (dict(batch_size=True), TypeError, r"`batch_size`"),
    (dict(batch_size="8"), TypeError, r"`batch_size`"),
    (dict(epochs=0), ValueError, r"`epochs`"),
    (dict(epochs=1.0), TypeError, r"`epochs`"),
    (dict(seed=1.5), TypeError, r"`seed`"),
    (dict(seed=None), TypeError, r"`seed`"),
    (dict(shuffle="yes"), TypeError, r"`shuffle`"),
    (dict(progress="sometimes"), ValueError, r"`progress`"),
    (dict(stop_on_divergence=None), TypeError, r"`stop_on_divergence`"),
    (dict(validation_data=_X), TypeError, r"`validation_data` must be a 2-tuple"),
    (dict(validation_data=(_X, _Y, _Y)), TypeError, r"`validation_data` must be a 2-tuple"),
    (dict(validation_data=(_X, _Y[:-1])), ValueError, r"`validation_data\[1\]`"),
    (dict(validation_data=(_X[:, 0], _Y)), ValueError, r"`validation_data\[0\]` must be 2-D"),
    (dict(validation_data=(_X[:, :2], _Y)), ValueError, r"`validation_data`: X must have 3 features"),
    (dict(model=object()), TypeError, r"`model`"),
    (dict(optimizer="sgd"), TypeError, r"`optimizer`"),
]


@pytest.mark.parametrize("override, error, pattern", BAD_INPUTS)
def test_bad_input_is_rejected_before_any_update(override, error, pattern):
    kwargs = _base()
    kwargs.update(override)
    model, optimizer = kwargs["model"], kwargs["optimizer"]
    before = [p.copy() for p in getattr(model, "params", [])]
    with pytest.raises(error, match=pattern):
        fit(kwargs.pop("model"), kwargs.pop("optimizer"), kwargs.pop("X"), kwargs.pop("y"), **kwargs)
    for p, p0 in zip(getattr(model, "params", []), before):
        np.testing.assert_array_equal(p, p0)
    assert getattr(optimizer, "iterations", 0) == 0


def test_bad_class_label_is_rejected_before_any_update():
    X = np.array([[0.0], [1.0], [2.0]])
    model, sgd = LogisticRegression(1), opt.SGD(0.1)
    with pytest.raises(ValueError, match="y must hold class labels"):
        fit(model, sgd, X, np.array([0, 1, 2]), progress=False)
    assert sgd.iterations == 0


# --------------------------------------------------------------------------- progress bar


def test_progress_auto_is_silent_under_pytest(capsys):
    X, y = linear_data(n=10)
    h = fit(LinearRegression(3), opt.SGD(0.01), X, y, batch_size=1, epochs=200)  # 2,000 updates
    assert h.n_updates >= training.PROGRESS_MIN_UPDATES
    out, err = capsys.readouterr()
    assert out == "" and err == ""


def test_progress_true_draws_a_bar(capsys):
    X, y = linear_data(n=10)
    fit(LinearRegression(3), opt.SGD(0.01), X, y, epochs=3, progress=True)
    out, err = capsys.readouterr()
    assert "3/3" in out + err and "loss=" in out + err


def test_progress_auto_needs_a_kernel_and_a_long_run(monkeypatch):
    assert training._in_jupyter_kernel() is False  # pytest is not a Jupyter kernel
    monkeypatch.setattr(training, "_in_jupyter_kernel", lambda: True)
    assert training._show_progress("auto", training.PROGRESS_MIN_UPDATES) is True
    assert training._show_progress("auto", training.PROGRESS_MIN_UPDATES - 1) is False
    assert training._show_progress(False, 10**6) is False
    assert training._show_progress(True, 1) is True
    monkeypatch.setattr(training, "_in_jupyter_kernel", lambda: False)
    assert training._show_progress("auto", 10**6) is False


def test_kernel_detection_reads_ipython_config(monkeypatch):
    shell = types.SimpleNamespace(config={"IPKernelApp": {"connection_file": "x.json"}})
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: shell))
    assert training._in_jupyter_kernel() is True
    shell.config = {"TerminalIPythonApp": {}}  # plain IPython in a terminal: no widgets
    assert training._in_jupyter_kernel() is False
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: None))
    assert training._in_jupyter_kernel() is False
