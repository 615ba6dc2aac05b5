"""Checkpoints resume bit for bit; configs rebuild equal optimizers."""

from __future__ import annotations

import json

import numpy as np
import pytest

import optimizers as opt

CONFIGS = [
    ("SGD", {"momentum": 0.9, "nesterov": True}),
    ("RMSprop", {"centered": True, "momentum": 0.5}),
    ("Adam", {"amsgrad": True, "weight_decay": 0.01}),
    ("AdamW", {"clipnorm": 1.0}),
    ("Adagrad", {}),
    ("Adadelta", {"learning_rate": 1.0}),
    ("Adamax", {"global_clipnorm": 2.0}),
    ("Nadam", {}),
    ("Lion", {"clipvalue": 0.5}),
    ("RAdam", {}),
    ("AdaBelief", {}),
]


def make(name, kwargs):
    return opt.ALL[name](**kwargs)


def grads_for(step, shapes):
    rng = np.random.default_rng(step)
    return [rng.normal(size=s) for s in shapes]


@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=[c[0] for c in CONFIGS])
def test_state_dict_resumes_bit_identically(name, kwargs):
    shapes = [(3,), (4, 2)]
    params = [np.ones(s) for s in shapes]
    straight = make(name, kwargs)
    resumed_params = None
    snapshot = None
    for step in range(10):
        if step == 4:
            snapshot = straight.state_dict()
            resumed_params = [p.copy() for p in params]
        straight.apply(grads_for(step, shapes), params)
    fresh = make(name, kwargs)
    fresh.load_state_dict(snapshot)
    for step in range(4, 10):
        fresh.apply(grads_for(step, shapes), resumed_params)
    assert fresh.iterations == straight.iterations == 10
    for a, b in zip(params, resumed_params):
        np.testing.assert_array_equal(a, b)


def test_state_dict_is_a_copy():
    p = np.ones(2)
    adam = opt.Adam()
    adam.apply(np.ones(2), p)
    snap = adam.state_dict()
    adam.apply(np.ones(2), p)
    assert snap["iterations"] == 1
    assert not np.shares_memory(snap["slots"][0]["m"], adam.state[0]["m"])
    fresh = opt.Adam()
    fresh.load_state_dict(snap)
    snap["slots"][0]["m"][:] = 99.0  # editing the snapshot later must not reach the optimizer
    assert np.all(fresh.state[0]["m"] != 99.0)


def test_lookahead_state_dict_resumes():
    shapes = [(5,)]
    params = [np.zeros(5)]
    straight = opt.Lookahead(opt.Adam(learning_rate=0.1), k=3)
    for step in range(4):
        straight.apply(grads_for(step, shapes), params)
    snap, saved = straight.state_dict(), [params[0].copy()]
    for step in range(4, 9):
        straight.apply(grads_for(step, shapes), params)
    fresh = opt.Lookahead(opt.Adam(learning_rate=0.1), k=3)
    fresh.load_state_dict(snap)
    for step in range(4, 9):
        fresh.apply(grads_for(step, shapes), saved)
    np.testing.assert_array_equal(params[0], saved[0])


def test_load_state_dict_rejects_mismatches_and_changes_nothing():
    p = np.ones(2)
    adam = opt.Adam()
    adam.apply(np.ones(2), p)
    with pytest.raises(ValueError, match="saved from a SGD"):
        adam.load_state_dict(opt.SGD().state_dict())
    bad = adam.state_dict()
    bad["slots"][0].pop("v")
    with pytest.raises(ValueError, match="slots"):
        opt.Adam().load_state_dict(bad)
    amsgrad_snapshot = opt.Adam(amsgrad=True)
    amsgrad_snapshot.apply(np.ones(2), np.ones(2))
    with pytest.raises(ValueError, match="v_max"):
        adam.load_state_dict(amsgrad_snapshot.state_dict())
    assert adam.iterations == 1
    with pytest.raises(TypeError, match="state"):
        adam.load_state_dict({"iterations": 3})


def test_loaded_state_of_wrong_shape_is_caught_before_an_update():
    adam = opt.Adam()
    adam.apply(np.ones(3), np.ones(3))
    fresh = opt.Adam()
    fresh.load_state_dict(adam.state_dict())
    p = np.ones(4)
    with pytest.raises(ValueError, match="shape"):
        fresh.apply(np.ones(4), p)
    np.testing.assert_array_equal(p, 1.0)
    assert fresh.iterations == 1


@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=[c[0] for c in CONFIGS])
def test_config_round_trip_is_json_and_equal(name, kwargs):
    a = make(name, kwargs)
    config = a.get_config()
    config = json.loads(json.dumps(config))
    b = opt.ALL[name].from_config(config)
    assert b.get_config() == a.get_config()
    params, grads = [np.ones(3)], [np.arange(3.0)]
    pa, pb = [params[0].copy()], [params[0].copy()]
    for _ in range(3):
        a.apply(grads, pa)
        b.apply(grads, pb)
    np.testing.assert_array_equal(pa[0], pb[0])


def test_config_holds_keras_names_and_defaults():
    config = opt.Adam().get_config()
    assert config == {"name": "adam", "learning_rate": 0.001, "weight_decay": None, "clipnorm": None,
                      "clipvalue": None, "global_clipnorm": None, "beta_1": 0.9, "beta_2": 0.999,
                      "epsilon": 1e-7, "amsgrad": False}


def test_config_with_array_learning_rate():
    a = opt.SGD(learning_rate=np.array([0.1, 0.2]))
    b = opt.SGD.from_config(a.get_config())
    np.testing.assert_array_equal(b.learning_rate, [0.1, 0.2])


def test_lookahead_config_round_trip():
    a = opt.Lookahead(opt.RMSprop(learning_rate=0.01, momentum=0.5), k=7, alpha=0.3)
    b = opt.Lookahead.from_config(json.loads(json.dumps(a.get_config())))
    assert b.get_config() == a.get_config()
    assert isinstance(b.inner, opt.RMSprop) and b.inner.momentum == 0.5


# Keras 3's documented defaults (keras.io/api/optimizers), written out independently.
KERAS_DEFAULTS = {
    "SGD": {"learning_rate": 0.01, "momentum": 0.0, "nesterov": False},
    "RMSprop": {"learning_rate": 0.001, "rho": 0.9, "momentum": 0.0, "epsilon": 1e-7, "centered": False},
    "Adam": {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7, "amsgrad": False},
    "AdamW": {"learning_rate": 0.001, "weight_decay": 0.004, "beta_1": 0.9, "beta_2": 0.999,
              "epsilon": 1e-7, "amsgrad": False},
    "Adagrad": {"learning_rate": 0.001, "initial_accumulator_value": 0.1, "epsilon": 1e-7},
    "Adadelta": {"learning_rate": 0.001, "rho": 0.95, "epsilon": 1e-7},
    "Adamax": {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7},
    "Nadam": {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7},
    "Lion": {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.99},
}


@pytest.mark.parametrize("name", KERAS_DEFAULTS)
def test_defaults_equal_keras(name):
    config = opt.ALL[name]().get_config()
    for key, value in KERAS_DEFAULTS[name].items():
        assert config[key] == value, key
