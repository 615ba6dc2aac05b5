"""Tests for optimizers.models and optimizers.gradcheck.

Expected numbers are worked out by hand (in comments) or from the formula
written out again here, independently of the code under test.
"""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from optimizers.gradcheck import gradcheck, gradient_errors, numerical_gradient, relative_error
from optimizers.models import MLP, LinearRegression, LogisticRegression, log_softmax, sigmoid, softmax

ACTIVATIONS = ["relu", "tanh", "sigmoid"]
TASKS = ["classification", "regression"]


def batch(seed, n=6, d=3, n_classes=3, task="classification"):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = rng.integers(0, n_classes, size=n) if task == "classification" else rng.normal(size=n)
    return X, y


def all_models():
    """One instance of every model flavour, with a matching batch."""
    X, y3 = batch(0)
    _, y2 = batch(0, n_classes=2)
    _, yr = batch(0, task="regression")
    return [
        (LinearRegression(3, seed=1), X, yr),
        (LogisticRegression(3, seed=1), X, y2),
        (LogisticRegression(3, n_classes=3, seed=1), X, y3),
        (MLP([3, 5, 3], activation="tanh", seed=1), X, y3),
        (MLP([3, 5, 1], activation="relu", seed=1, task="regression"), X, yr),
    ]


def randomise(model, seed, scale=0.5):
    """Move every parameter (biases included) to a random point, in place."""
    rng = np.random.default_rng(seed)
    for p in model.params:
        p[...] = rng.normal(scale=scale, size=p.shape)


# ---------------------------------------------------------------------------
# Gradient checks
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("n_classes", [2, 4])
def test_logistic_regression_gradcheck(n_classes, seed):
    model = LogisticRegression(3, n_classes=n_classes, seed=seed)
    randomise(model, seed + 10)
    X, y = batch(seed, n_classes=n_classes)
    assert gradcheck(model, X, y) < 1e-7


def test_linear_regression_gradcheck():
    model = LinearRegression(3, seed=0)
    randomise(model, 5)
    X, y = batch(2, task="regression")
    assert gradcheck(model, X, y) < 1e-7


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("task", TASKS)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_mlp_gradcheck(activation, task, seed):
    # Random non-zero biases keep ReLU pre-activations away from the kink at 0
    # (with zero biases a row whose hidden units are all off gives z = 0 exactly).
    # h = 1e-5 balances truncation error (~h^2) and round-off (~1e-16 / h), so the
    # smallest gradient entries of the sigmoid net are still resolved to 1e-6
    # (typical errors here are 1e-9 to 1e-7).
    out = 3 if task == "classification" else 1
    model = MLP([3, 5, 4, out], activation=activation, init=1.0, seed=seed, task=task)
    randomise(model, seed + 100)
    X, y = batch(seed, n=4, task=task)
    assert gradcheck(model, X, y, h=1e-5) < 1e-6


def test_gradcheck_catches_a_wrong_gradient():
    class ForgotTheOneOverN(LinearRegression):
        def loss_and_grads(self, X, y):
            loss, grads = super().loss_and_grads(X, y)
            return loss, [g * len(y) for g in grads]

    model = ForgotTheOneOverN(3)
    randomise(model, 0)
    X, y = batch(0, task="regression")
    assert gradcheck(model, X, y) > 0.5  # factor 6 off: |6a - a| / (6|a| + |a|) = 5/7


def test_gradient_errors_report_names_every_param_and_restores_params():
    model = MLP([3, 4, 3], activation="tanh", seed=0)
    before = [p.copy() for p in model.params]
    X, y = batch(0)
    errors = gradient_errors(model, X, y)
    assert list(errors) == ["W1", "b1", "W2", "b2"]
    assert all(0.0 <= e < 1e-6 for e in errors.values())
    for p, q in zip(model.params, before):
        assert np.array_equal(p, q)


def test_numerical_gradient_of_known_function():
    # f(x) = sum(x^3) has gradient 3 x^2; central differences are exact up to
    # h^2 * f''' / 6 = h^2 (for each entry) plus round-off.
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    g = numerical_gradient(lambda v: float(np.sum(v**3)), x, h=1e-5)
    np.testing.assert_allclose(g, 3 * x**2, rtol=1e-8)


@settings(max_examples=50, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=2, max_side=4),
                  elements=st.floats(-1e6, 1e6, allow_subnormal=False)))
def test_numerical_gradient_restores_x_bit_for_bit(x):
    original = x.copy()
    numerical_gradient(lambda v: float(np.sum(np.sin(v))), x, h=1e-3)
    assert np.array_equal(x.view(np.uint64), original.view(np.uint64))


def test_numerical_gradient_restores_x_when_f_raises():
    x = np.array([0.1, 0.2])

    def boom(v):
        raise RuntimeError("f failed")

    with pytest.raises(RuntimeError):
        numerical_gradient(boom, x)
    assert x.tolist() == [0.1, 0.2]


def test_numerical_gradient_rejects_bad_input():
    with pytest.raises(TypeError, match="x must be a float ndarray"):
        numerical_gradient(lambda v: 0.0, np.array([1, 2]))
    with pytest.raises(ValueError, match="h must be"):
        numerical_gradient(lambda v: 0.0, np.array([1.0]), h=0.0)
    with pytest.raises(TypeError, match="f must be"):
        numerical_gradient(3.0, np.array([1.0]))


def test_relative_error_by_hand():
    # |1 - 3| / (1 + 3) = 0.5 ; |2 - 2| / 4 = 0 ; two zeros compare as 0.
    assert relative_error(np.array([1.0, 2.0, 0.0]), np.array([3.0, 2.0, 0.0])) == 0.5
    with pytest.raises(ValueError, match="same shape"):
        relative_error(np.zeros(2), np.zeros(3))


# ---------------------------------------------------------------------------
# Hand-derived values
# ---------------------------------------------------------------------------


def test_linear_regression_two_points_by_hand():
    model = LinearRegression(1)
    model.params[0][...] = 0.5  # w
    model.params[1][...] = 0.25  # b
    X = np.array([[1.0], [2.0]])
    y = np.array([1.0, 3.0])
    # predictions 0.75, 1.25; residuals -0.25, -1.75
    # loss = 0.5 * (0.0625 + 3.0625) / 2 = 0.78125
    # dL/dw = mean(residual * x) = (-0.25 - 3.5) / 2 = -1.875 ; dL/db = mean(residual) = -1.0
    loss, (dw, db) = model.loss_and_grads(X, y)
    assert loss == pytest.approx(0.78125, abs=1e-15)
    np.testing.assert_allclose(dw, [-1.875], atol=1e-15)
    np.testing.assert_allclose(db, [-1.0], atol=1e-15)
    assert model.loss(X, y) == pytest.approx(0.78125, abs=1e-15)
    assert model.metric_name == "mse"
    assert model.metric(X, y) == pytest.approx(1.5625, abs=1e-15)  # no 1/2 in the metric
    np.testing.assert_allclose(model.predict(X), [0.75, 1.25])


def test_tiny_mlp_forward_and_backward_by_hand():
    # 1 -> 1 -> 1 regression net, relu: x=1, W1=2, b1=-1, W2=3, b2=0.5, y=0.5.
    # z1 = 1, a1 = 1, out = 3.5, residual 3, loss = 0.5 * 9 = 4.5
    # dout = 3; dW2 = a1 * 3 = 3; db2 = 3; da1 = 3 * W2 = 9; dz1 = 9 (relu on); dW1 = 9; db1 = 9
    model = MLP([1, 1, 1], activation="relu", task="regression")
    for p, v in zip(model.params, [2.0, -1.0, 3.0, 0.5]):
        p[...] = v
    loss, grads = model.loss_and_grads(np.array([[1.0]]), np.array([0.5]))
    assert loss == 4.5
    assert [float(g.ravel()[0]) for g in grads] == [9.0, 9.0, 3.0, 3.0]
    # With the unit switched off (b1 = -2 -> z1 = 0) nothing reaches the first layer.
    model.params[1][...] = -2.0
    _, grads = model.loss_and_grads(np.array([[1.0]]), np.array([0.5]))
    assert grads[0][0, 0] == 0.0 and grads[1][0] == 0.0


def test_binary_logistic_at_zero_weights():
    model = LogisticRegression(2, seed=3)
    for p in model.params:
        p[...] = 0.0
    X = np.array([[1.0, 2.0], [-1.0, 0.5], [3.0, -2.0]])
    y = np.array([1, 0, 1])
    loss, (dw, db) = model.loss_and_grads(X, y)
    assert loss == pytest.approx(math.log(2), abs=1e-15)
    # p = 1/2 everywhere: dL/dw = X^T (1/2 - y) / 3, dL/db = mean(1/2 - y)
    r = np.array([-0.5, 0.5, -0.5])
    np.testing.assert_allclose(dw, [(1.0 * -0.5 + -1.0 * 0.5 + 3.0 * -0.5) / 3,
                                    (2.0 * -0.5 + 0.5 * 0.5 + -2.0 * -0.5) / 3], atol=1e-15)
    np.testing.assert_allclose(db, [r.mean()], atol=1e-15)


@pytest.mark.parametrize("k", [3, 5, 10])
def test_softmax_logistic_at_zero_weights_is_log_k(k):
    model = LogisticRegression(4, n_classes=k)
    for p in model.params:
        p[...] = 0.0
    X, y = batch(1, d=4, n=7, n_classes=k)
    assert model.loss(X, y) == pytest.approx(math.log(k), abs=1e-14)
    np.testing.assert_allclose(model.predict_proba(X), np.full((7, k), 1.0 / k))


def test_accuracy_by_hand():
    model = LogisticRegression(1)
    model.params[0][...] = 1.0
    model.params[1][...] = 0.0
    X = np.array([[-2.0], [-1.0], [1.0], [2.0]])  # predicted classes 0, 0, 1, 1
    assert model.predict(X).tolist() == [0, 0, 1, 1]
    assert model.metric(X, np.array([0, 1, 1, 1])) == 0.75
    assert model.metric_name == "accuracy"


@settings(max_examples=50, deadline=None)
@given(hnp.arrays(np.float64, (3, 4), elements=st.floats(-1e300, 1e300)))
def test_softmax_rows_sum_to_one_even_for_huge_logits(Z):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = softmax(Z)
    assert np.all(p >= 0)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)


def test_mlp_predict_proba_sums_to_one():
    model = MLP([3, 6, 4], seed=2)
    X, _ = batch(3)
    p = model.predict_proba(X)
    assert p.shape == (6, 4)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)
    assert np.array_equal(model.predict(X), np.argmax(p, axis=1))


def test_huge_logits_give_exact_finite_loss_without_warnings():
    X = np.array([[1.0], [-1.0]])
    binary = LogisticRegression(1)
    binary.params[0][...] = 1000.0  # logits +1000 and -1000
    softmax_model = LogisticRegression(1, n_classes=3)
    softmax_model.params[0][...] = [[1000.0, 0.0, -1000.0]]
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        # Both rows wrong: each costs log(1 + e^1000) ~ 1000 exactly in float64.
        loss_b, grads_b = binary.loss_and_grads(X, np.array([0, 1]))
        # Row 1 logits (1000, 0, -1000), label 1: loss 1000; row 2 (-1000, 0, 1000), label 0: 2000.
        loss_s, grads_s = softmax_model.loss_and_grads(X, np.array([1, 0]))
        assert sigmoid(np.array([-1e308])).tolist() == [0.0]
        assert np.all(np.isfinite(log_softmax(np.array([[1e300, -1e300]]))))
    assert loss_b == 1000.0
    assert loss_s == 1500.0
    assert all(np.all(np.isfinite(g)) for g in grads_b + grads_s)


# ---------------------------------------------------------------------------
# The contract: no mutation, stable identities, independent copies
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("model, X, y", all_models())
def test_contract_shapes_and_no_mutation(model, X, y):
    params_before = [p.copy() for p in model.params]
    ids_before = [id(p) for p in model.params]
    X_before, y_before = X.copy(), y.copy()
    loss, grads = model.loss_and_grads(X, y)
    model.loss(X, y)
    model.metric(X, y)
    model.predict(X)
    assert isinstance(loss, float)
    assert len(grads) == len(model.params) == len(model.param_names)
    for g, p in zip(grads, model.params):
        assert g.shape == p.shape and g.dtype == np.float64 and p.dtype == np.float64
        assert g is not p
    assert [id(p) for p in model.params] == ids_before
    for p, q in zip(model.params, params_before):
        assert np.array_equal(p, q)
    assert np.array_equal(X, X_before) and np.array_equal(y, y_before)
    assert model.loss(X, y) == loss


@pytest.mark.parametrize("model, X, y", all_models())
def test_in_place_updates_are_seen_by_the_model(model, X, y):
    # What an optimizer does: update params in place, then ask for the loss again.
    loss0, grads = model.loss_and_grads(X, y)
    ids = [id(p) for p in model.params]
    for p, g in zip(model.params, grads):
        p -= 0.1 * g
    assert [id(p) for p in model.params] == ids
    assert model.loss(X, y) < loss0


@pytest.mark.parametrize("model, X, y", all_models())
def test_copy_is_independent(model, X, y):
    twin = model.copy()
    for p, q in zip(model.params, twin.params):
        assert p is not q and np.array_equal(p, q)
    assert twin.loss(X, y) == model.loss(X, y)
    rng = np.random.default_rng(0)
    for p in twin.params:  # random, not constant: softmax ignores a shift shared by all logits
        p += rng.normal(size=p.shape)
    assert twin.loss(X, y) != model.loss(X, y)
    # And the copy's named attributes still point at its own params.
    twin_loss = twin.loss(X, y)
    for p in twin.params:
        p[...] = 0.0
    assert twin.loss(X, y) != twin_loss


@pytest.mark.parametrize("cls, args", [(LinearRegression, (3,)), (LogisticRegression, (3, 4)),
                                       (MLP, ([3, 5, 2],))])
def test_seeds_are_reproducible(cls, args):
    a, b, c = cls(*args, seed=7), cls(*args, seed=7), cls(*args, seed=8)
    assert all(np.array_equal(p, q) for p, q in zip(a.params, b.params))
    assert not all(np.array_equal(p, q) for p, q in zip(a.params, c.params))


def test_param_names_and_shapes():
    net = MLP([64, 32, 10])
    assert net.param_names == ["W1", "b1", "W2", "b2"]
    assert [p.shape for p in net.params] == [(64, 32), (32,), (32, 10), (10,)]
    assert net.n_params == 64 * 32 + 32 + 32 * 10 + 10
    assert LogisticRegression(5).param_names == ["w", "b"]
    assert [p.shape for p in LogisticRegression(5, 3).params] == [(5, 3), (3,)]
    assert [p.shape for p in LinearRegression(2).params] == [(2,), (1,)]


def test_mlp_regression_predicts_a_vector():
    net = MLP([2, 4, 1], task="regression")
    X = np.ones((5, 2))
    assert net.predict(X).shape == (5,)
    assert net.metric_name == "mse"
    with pytest.raises(ValueError, match="classification"):
        net.predict_proba(X)


# ---------------------------------------------------------------------------
# Initialisation and vanishing / exploding gradients
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("init, expected_std", [
    ("he", math.sqrt(2 / 400)),
    ("glorot", math.sqrt(2 / (400 + 300))),
    (0.05, 0.05),
])
def test_init_std(init, expected_std):
    net = MLP([400, 300, 10], init=init, seed=0)
    W1 = net.params[0]
    # 120,000 samples: the sample std is within ~0.2% of the truth; allow 2%.
    assert W1.std() == pytest.approx(expected_std, rel=0.02)
    assert abs(W1.mean()) < 0.05 * expected_std  # standard error of the mean is ~0.003 std
    assert np.all(net.params[1] == 0.0)


def test_init_zero_std_gives_zero_weights():
    net = MLP([3, 4, 2], init=0.0)
    assert all(np.all(p == 0) for p in net.params)


def _layer_grad_norms(net, X, y):
    _, grads = net.loss_and_grads(X, y)
    return [np.linalg.norm(g) for g in grads[0::2]]


def test_deep_sigmoid_net_with_small_init_vanishes():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(32, 16)), rng.integers(0, 4, size=32)
    net = MLP([16] + [32] * 7 + [4], activation="sigmoid", init=0.1, seed=0)
    norms = _layer_grad_norms(net, X, y)
    # Each layer scales the gradient by about sigmoid' * std * sqrt(width) = 0.25 * 0.1 * 5.7 ~ 0.14.
    assert norms[0] < 1e-4 * norms[-1]
    assert all(a < b for a, b in zip(norms, norms[1:]))  # shrinks steadily towards the input


def test_deep_tanh_net_with_large_init_explodes():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(32, 16)), rng.integers(0, 4, size=32)
    big = MLP([16] + [32] * 7 + [4], activation="tanh", init=1.0, seed=0)
    norms = _layer_grad_norms(big, X, y)
    assert norms[0] > 10 * norms[-1]  # grows on the way back to the input
    calm = MLP([16] + [32] * 7 + [4], activation="tanh", init="glorot", seed=0)
    calm_norms = _layer_grad_norms(calm, X, y)
    assert norms[0] > 50 * calm_norms[0]


def test_deep_relu_net_with_large_init_explodes_compared_with_he():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(32, 16)), rng.normal(size=32)
    sizes = [16] + [32] * 7 + [1]
    he = MLP(sizes, activation="relu", init="he", seed=0, task="regression")
    big = MLP(sizes, activation="relu", init=1.0, seed=0, task="regression")
    # He keeps each layer's gain near 1; std 1.0 is 4x the He std (sqrt(2/32) = 0.25),
    # so each of the 8 layers multiplies the signal by about 4.
    assert min(_layer_grad_norms(big, X, y)) > 1e4 * max(_layer_grad_norms(he, X, y))


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("X, y, exc, pattern", [
    (np.ones((4, 2)), np.zeros(4, dtype=int), ValueError, r"X must have 3 features"),
    (np.ones(3), np.zeros(1, dtype=int), ValueError, r"X must be 2-D"),
    (np.ones((0, 3)), np.zeros(0, dtype=int), ValueError, r"X must have at least one row"),
    (np.array([[1.0, np.nan, 0.0]]), np.zeros(1, dtype=int), ValueError, r"X contains NaN"),
    ([["a", "b", "c"]], np.zeros(1, dtype=int), TypeError, r"X must be a numeric array"),
    (np.ones((4, 3)), np.zeros(5, dtype=int), ValueError, r"y has 5 entries but X has 4 rows"),
    (np.ones((4, 3)), np.zeros((4, 1), dtype=int), ValueError, r"y must be 1-D"),
    (np.ones((2, 3)), np.array([0.0, 1.5]), ValueError, r"y must hold integer class labels"),
    (np.ones((2, 3)), np.array([0, 3]), ValueError, r"y must hold class labels in 0..2"),
    (np.ones((2, 3)), np.array([-1, 0]), ValueError, r"y must hold class labels in 0..2"),
    (np.ones((2, 3)), np.array(["a", "b"]), TypeError, r"y must hold integer class labels"),
])
def test_classifier_input_errors(X, y, exc, pattern):
    model = MLP([3, 4, 3])
    with pytest.raises(exc, match=pattern):
        model.loss_and_grads(X, y)
    with pytest.raises(exc, match=pattern):
        model.loss(X, y)


def test_integer_valued_float_labels_are_accepted():
    model = LogisticRegression(3, n_classes=3)
    X = np.ones((2, 3))
    assert model.loss(X, np.array([0.0, 2.0])) == model.loss(X, np.array([0, 2]))


def test_binary_labels_must_be_0_or_1():
    with pytest.raises(ValueError, match=r"0..1"):
        LogisticRegression(2).loss(np.ones((2, 2)), np.array([0, 2]))


def test_regression_target_errors():
    model = LinearRegression(2)
    with pytest.raises(ValueError, match=r"y contains NaN"):
        model.loss(np.ones((2, 2)), np.array([1.0, np.inf]))
    with pytest.raises(ValueError, match=r"y must be 1-D.*ravel"):
        model.loss(np.ones((2, 2)), np.ones((2, 1)))
    with pytest.raises(ValueError, match=r"X must be 2-D.*reshape"):
        LinearRegression(1).predict(np.ones(5))


@pytest.mark.parametrize("kwargs, exc, pattern", [
    (dict(layer_sizes=[3]), ValueError, "layer_sizes"),
    (dict(layer_sizes=[3, 0, 2]), ValueError, "layer_sizes"),
    (dict(layer_sizes=[3, 2.5, 2]), TypeError, "layer_sizes"),
    (dict(layer_sizes="32"), TypeError, "layer_sizes"),
    (dict(layer_sizes=[3, 1]), ValueError, "classes"),
    (dict(layer_sizes=[3, 2], task="regression"), ValueError, "end with 1"),
    (dict(layer_sizes=[3, 2], task="ranking"), ValueError, "task"),
    (dict(layer_sizes=[3, 2], activation="gelu"), ValueError, "activation"),
    (dict(layer_sizes=[3, 2], init="xavier"), ValueError, "init"),
    (dict(layer_sizes=[3, 2], init=-0.1), ValueError, "init"),
    (dict(layer_sizes=[3, 2], init=float("nan")), ValueError, "init"),
    (dict(layer_sizes=[3, 2], init=None), TypeError, "init"),
])
def test_mlp_constructor_errors(kwargs, exc, pattern):
    with pytest.raises(exc, match=pattern):
        MLP(**kwargs)


def test_linear_model_constructor_errors():
    with pytest.raises(ValueError, match="n_features"):
        LinearRegression(0)
    with pytest.raises(TypeError, match="n_features"):
        LogisticRegression(2.0)
    with pytest.raises(ValueError, match="n_classes"):
        LogisticRegression(3, n_classes=1)
