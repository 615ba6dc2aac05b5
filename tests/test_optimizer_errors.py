"""Bad input gets a clear error naming the argument, and changes nothing."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import optimizers as opt

ALL_NAMES = [n for n in opt.ALL if n != "Lookahead"]


@pytest.mark.parametrize("name", ALL_NAMES)
@pytest.mark.parametrize("lr,error,words", [
    (-0.1, ValueError, ">= 0"),
    (math.nan, ValueError, "NaN"),
    (math.inf, ValueError, "finite"),
    ("0.1", TypeError, "schedule"),
    (True, TypeError, "learning_rate"),
    (np.array([0.1, -0.2]), ValueError, ">= 0"),
    (np.array([0.1, np.nan]), ValueError, "finite"),
])
def test_bad_learning_rate(name, lr, error, words):
    with pytest.raises(error, match="learning_rate") as info:
        opt.ALL[name](learning_rate=lr)
    assert words in str(info.value)


@pytest.mark.parametrize("name,kwargs,words", [
    ("SGD", {"momentum": -0.5}, "[0, 1)"),
    ("SGD", {"momentum": 1.0}, "[0, 1)"),
    ("SGD", {"nesterov": True}, "momentum"),
    ("SGD", {"nesterov": 1}, "True or False"),
    ("RMSprop", {"rho": 1.0}, "[0, 1)"),
    ("RMSprop", {"rho": -0.1}, "[0, 1)"),
    ("RMSprop", {"momentum": -1.0}, "[0, 1)"),
    ("RMSprop", {"epsilon": 0.0}, "> 0"),
    ("Adam", {"beta_1": 1.0}, "[0, 1)"),
    ("Adam", {"beta_2": 1.5}, "[0, 1)"),
    ("Adam", {"beta_1": math.nan}, "NaN"),
    ("Adam", {"epsilon": -1e-7}, "> 0"),
    ("Adam", {"epsilon": 0}, "> 0"),
    ("Adam", {"amsgrad": "yes"}, "True or False"),
    ("Adagrad", {"initial_accumulator_value": -0.1}, ">= 0"),
    ("Adadelta", {"rho": 1.2}, "[0, 1)"),
    ("Adamax", {"beta_2": -0.1}, "[0, 1)"),
    ("Nadam", {"beta_1": 2.0}, "[0, 1)"),
    ("Lion", {"beta_1": 0.0}, "(0, 1]"),
    ("Lion", {"beta_2": 1.0}, "[0, 1)"),
    ("RAdam", {"beta_2": 1.0}, "[0, 1)"),
    ("AdaBelief", {"epsilon": -1.0}, "> 0"),
    ("Adam", {"weight_decay": -0.1}, ">= 0"),
    ("Adam", {"clipnorm": -1.0}, "> 0"),
    ("Adam", {"clipvalue": 0.0}, "> 0"),
    ("Adam", {"global_clipnorm": math.nan}, "NaN"),
    ("Adam", {"clipnorm": 1.0, "clipvalue": 1.0}, "Only one"),
    ("SGD", {"clipnorm": 1.0, "global_clipnorm": 1.0}, "Only one"),
])
def test_bad_hyperparameter_names_argument_and_range(name, kwargs, words):
    with pytest.raises((ValueError, TypeError)) as info:
        opt.ALL[name](**kwargs)
    message = str(info.value)
    assert words in message
    assert any(f"`{k}`" in message for k in kwargs), message


def test_bad_lookahead_arguments():
    with pytest.raises(ValueError, match="`k`"):
        opt.Lookahead(opt.SGD(), k=0)
    with pytest.raises(TypeError, match="`k`"):
        opt.Lookahead(opt.SGD(), k=2.5)
    with pytest.raises(ValueError, match="`alpha`"):
        opt.Lookahead(opt.SGD(), alpha=0.0)
    with pytest.raises(TypeError, match="`inner`"):
        opt.Lookahead("adam")


def snapshot(optimizer, params):
    return (optimizer.iterations, [p.copy() for p in params],
            [{k: v.copy() for k, v in s.items()} for s in optimizer.state],
            getattr(optimizer, "u_product", None))


def assert_unchanged(before, optimizer, params):
    iterations, ps, state, u = before
    assert optimizer.iterations == iterations
    for a, b in zip(ps, params):
        np.testing.assert_array_equal(a, b)
    assert len(state) == len(optimizer.state)
    for sa, sb in zip(state, optimizer.state):
        assert sa.keys() == sb.keys()
        for k in sa:
            np.testing.assert_array_equal(sa[k], sb[k])
    assert getattr(optimizer, "u_product", None) == u


BAD_CALLS = [
    ("shape mismatch", lambda ps: ([np.ones(3), np.ones((3, 2))], ps), ValueError, "grads[1] has shape"),
    ("count mismatch", lambda ps: ([np.ones(3)], ps), ValueError, "1 gradients for 2 params"),
    ("integer param", lambda ps: ([np.ones(3), np.ones((2, 2))], [ps[0], np.ones((2, 2), dtype=int)]),
     TypeError, "params[1] has dtype int"),
    ("param not an array", lambda ps: ([np.ones(3), np.ones((2, 2))], [ps[0], [[1.0, 1.0], [1.0, 1.0]]]),
     TypeError, "params[1] must be an ndarray"),
    ("shape changed", lambda ps: ([np.ones(3), np.ones(4)], [ps[0], np.ones(4)]), ValueError, "params[1] was"),
    ("complex grad", lambda ps: ([np.ones(3), np.ones((2, 2)) * 1j], ps), TypeError, "grads[1]"),
]


@pytest.mark.parametrize("name", ALL_NAMES)
@pytest.mark.parametrize("case,make,error,words", BAD_CALLS, ids=[c[0] for c in BAD_CALLS])
def test_bad_apply_changes_nothing(name, case, make, error, words):
    rng = np.random.default_rng(0)
    params = [rng.normal(size=3), rng.normal(size=(2, 2))]
    optimizer = opt.ALL[name](learning_rate=0.1, clipnorm=1.0)
    optimizer.apply([rng.normal(size=3), rng.normal(size=(2, 2))], params)  # build the state
    before = snapshot(optimizer, params)
    grads, call_params = make(params)
    with pytest.raises(error) as info:
        optimizer.apply(grads, call_params)
    assert words in str(info.value)
    assert_unchanged(before, optimizer, params)


def test_bad_schedule_value_is_caught_before_any_change():
    p = np.ones(3)
    sgd = opt.SGD(learning_rate=lambda step: [0.1, -1.0][step], momentum=0.5)
    sgd.apply(np.ones(3), p)
    before = snapshot(sgd, [p])
    with pytest.raises(ValueError, match="learning_rate.*step 1"):
        sgd.apply(np.ones(3), p)
    assert_unchanged(before, sgd, [p])


def test_array_learning_rate_that_does_not_broadcast():
    p = np.ones((4, 2))
    adam = opt.Adam(learning_rate=np.full(3, 0.1))
    with pytest.raises(ValueError, match=r"learning_rate.*shape \(3,\).*params\[0\]"):
        adam.apply(np.ones((4, 2)), p)
    np.testing.assert_array_equal(p, 1.0)
    assert adam.iterations == 0 and adam.state == []


def test_array_learning_rate_is_copied():
    rates = np.array([0.1, 0.2])
    sgd = opt.SGD(learning_rate=rates)
    rates[0] = -5.0  # the caller's later edits must not leak in
    p = np.ones(2)
    sgd.apply(np.ones(2), p)
    np.testing.assert_allclose(p, [0.9, 0.8])


def test_read_only_param():
    p = np.ones(2)
    p.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        opt.SGD().apply(np.ones(2), p)


def test_single_param_with_list_grads_is_a_type_error():
    with pytest.raises(TypeError, match="grads"):
        opt.SGD().apply([np.ones(2)], np.ones(2))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_gradient_warns_with_parameter_and_advice(bad):
    p = [np.ones(2), np.ones(3)]
    g = [np.ones(2), np.array([1.0, bad, 1.0])]
    with pytest.warns(RuntimeWarning, match=r"grads\[1\].*step 1.*smaller learning rate"):
        opt.Adam().apply(g, p)


def test_overflowing_param_warns():
    p = np.array([1e300])
    with pytest.warns(RuntimeWarning, match=r"params\[0\] overflowed.*step 1") as record:
        opt.SGD(learning_rate=1e10).apply(np.array([-1e300]), p)
    assert len(record) == 1  # ours only, not NumPy's "overflow encountered"


def test_finite_gradient_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # huge but finite: the blocked sum overflows, the exact check must not be fooled
        g = np.full(40_000, 1e308)
        opt.SGD(learning_rate=0.0).apply(g, np.ones(40_000))
