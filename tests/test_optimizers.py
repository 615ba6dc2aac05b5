"""Update rules against independent textbook formulas, and the properties that pin them."""

from __future__ import annotations

import math

import numpy as np
import pytest

import optimizers as opt
import optimizers.base as base
import textbook

RTOL = 1e-12  # float64 round-off over a few steps

# (class name, constructor kwargs) covering every optimizer and every option that
# changes its rule. The textbook function receives the same hyperparameters.
CASES = [
    ("SGD", {}),
    ("SGD", {"momentum": 0.9}),
    ("SGD", {"momentum": 0.8, "nesterov": True}),
    ("RMSprop", {}),
    ("RMSprop", {"rho": 0.8, "momentum": 0.5}),
    ("RMSprop", {"centered": True}),
    ("RMSprop", {"centered": True, "momentum": 0.9, "epsilon": 1e-3}),
    ("Adam", {}),
    ("Adam", {"beta_1": 0.8, "beta_2": 0.95, "epsilon": 1e-3}),
    ("Adam", {"amsgrad": True}),
    ("AdamW", {}),
    ("Adagrad", {}),
    ("Adagrad", {"initial_accumulator_value": 0.5, "epsilon": 1e-3}),
    ("Adadelta", {}),
    ("Adadelta", {"rho": 0.9}),
    ("Adamax", {}),
    ("Adamax", {"beta_2": 0.9}),
    ("Nadam", {}),
    ("Nadam", {"beta_1": 0.8}),
    ("Lion", {}),
    ("Lion", {"beta_1": 0.5, "beta_2": 0.9}),
    ("RAdam", {}),
    ("RAdam", {"beta_2": 0.99}),
    ("AdaBelief", {}),
    ("AdaBelief", {"epsilon": 1e-8}),
]


def random_problem(seed, steps=8, shapes=((3,), (2, 4))):
    rng = np.random.default_rng(seed)
    params = [rng.normal(size=s) for s in shapes]
    grads = [[rng.normal(size=s) * (1 + t) for s in shapes] for t in range(steps)]
    # Make the AMSGrad maximum matter: a big gradient early, then small ones.
    grads[1] = [10 * g for g in grads[1]]
    return params, grads


def run_library(optimizer, params, grads):
    params = [p.copy() for p in params]
    history = []
    for step_grads in grads:
        optimizer.apply([g.copy() for g in step_grads], params)
        history.append([p.copy() for p in params])
    return history


def textbook_kwargs(name, kwargs):
    kw = dict(kwargs)
    if name == "AdamW":
        kw.pop("weight_decay", None)
    return kw


@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_rule_matches_textbook(name, kwargs):
    params, grads = random_problem(seed=len(name) + len(kwargs))
    optimizer = opt.ALL[name](**kwargs)
    lr = optimizer.learning_rate
    weight_decay = optimizer.weight_decay
    expected = textbook.run(name, params, grads, lr, weight_decay=weight_decay, **textbook_kwargs(name, kwargs))
    got = run_library(optimizer, params, grads)
    for t, (e_step, g_step) in enumerate(zip(expected, got), start=1):
        for e, g in zip(e_step, g_step):
            np.testing.assert_allclose(g, e, rtol=RTOL, atol=1e-15, err_msg=f"{name} {kwargs} step {t}")
    assert optimizer.iterations == len(grads)


# ---------------------------------------------------------------- numbers worked out by hand

def test_sgd_by_hand():
    p = np.array([1.0, -1.0])
    sgd = opt.SGD(learning_rate=0.5, momentum=0.5)
    sgd.apply(np.array([2.0, 0.0]), p)  # v = -1, 0 ; p = 0, -1
    np.testing.assert_allclose(p, [0.0, -1.0], atol=1e-15)
    sgd.apply(np.array([2.0, 0.0]), p)  # v = 0.5 * -1 - 1 = -1.5 ; p = -1.5
    np.testing.assert_allclose(p, [-1.5, -1.0], atol=1e-15)
    np.testing.assert_allclose(sgd.state[0]["velocity"], [-1.5, 0.0], atol=1e-15)


def test_nesterov_by_hand():
    p = np.array([0.0])
    sgd = opt.SGD(learning_rate=1.0, momentum=0.5, nesterov=True)
    sgd.apply(np.array([1.0]), p)  # v = -1; p += 0.5 * -1 - 1 = -1.5
    assert p[0] == -1.5
    sgd.apply(np.array([1.0]), p)  # v = -0.5 - 1 = -1.5; p += -0.75 - 1
    assert p[0] == -3.25


def test_adam_first_step_by_hand():
    # t = 1: m = 0.1 g, v = 0.001 g^2, alpha = lr sqrt(0.001) / 0.1, so the step is
    # lr * g / (|g| + epsilon / sqrt(0.001)) = lr * sign(g) up to epsilon.
    g = np.array([4.0, -0.5, 1e-3])
    p = np.zeros(3)
    opt.Adam(learning_rate=0.01).apply(g, p)
    expected = -0.01 * g / (np.abs(g) + 1e-7 / math.sqrt(0.001))
    np.testing.assert_allclose(p, expected, rtol=1e-14)
    # within 0.5% of lr even for |g| = 1e-3, where epsilon / sqrt(0.001) = 3.2e-6 shows
    assert np.all(np.abs(np.abs(p) - 0.01) < 0.01 * 5e-3)


def test_adagrad_starts_from_initial_accumulator():
    p = np.array([0.0])
    opt.Adagrad(learning_rate=1.0, epsilon=1e-12).apply(np.array([0.3]), p)
    # accumulator 0.1 + 0.09 = 0.19
    np.testing.assert_allclose(p, [-0.3 / math.sqrt(0.19 + 1e-12)], rtol=1e-15)


def test_rmsprop_epsilon_inside_the_root():
    p = np.array([0.0])
    opt.RMSprop(learning_rate=1.0, rho=0.0, epsilon=1.0).apply(np.array([1.0]), p)
    assert p[0] == pytest.approx(-1 / math.sqrt(2))  # outside the root it would be -0.5


def test_adam_epsilon_before_bias_correction():
    # With a big epsilon, Keras's placement (eps / sqrt(1 - beta_2^t) after correction)
    # and PyTorch's (eps after correction) give clearly different first steps.
    p = np.array([0.0])
    opt.Adam(learning_rate=1.0, epsilon=0.1).apply(np.array([1.0]), p)
    keras_form = -1.0 / (1.0 + 0.1 / math.sqrt(0.001))
    torch_form = -1.0 / (1.0 + 0.1)
    assert p[0] == pytest.approx(keras_form, rel=1e-14)
    assert abs(p[0] - torch_form) > 0.5


def test_nadam_momentum_cache_by_hand():
    # beta_1 = 0.5: u_1 = 0.5 (1 - 0.48) = 0.26, u_2 = 0.5 (1 - 0.5 * 0.9216) = 0.2696.
    # Step 1, g = 1: m = 0.5, v = 0.001 (beta_2 = 0.999), v_hat = 1.
    # m_bar = 0.2696 * 0.5 / (1 - 0.26 * 0.2696) + (1 - 0.26) * 1 / (1 - 0.26)
    nadam = opt.Nadam(learning_rate=1.0, beta_1=0.5, epsilon=1e-12)
    p = np.array([0.0])
    nadam.apply(np.array([1.0]), p)
    m_bar = 0.2696 * 0.5 / (1 - 0.26 * 0.2696) + 1.0
    assert p[0] == pytest.approx(-m_bar / (1 + 1e-12), rel=1e-12)
    assert nadam.u_product == pytest.approx(0.26, rel=1e-15)


def test_radam_switches_on_when_rho_t_exceeds_5():
    # beta_2 = 0.999: rho_t = 1999 - 2 t 0.999^t / (1 - 0.999^t) is 4.99 at t = 5 and 5.98 at
    # t = 6. Steps 1-5 are bias-corrected momentum steps (size lr for a constant gradient).
    radam = opt.RAdam(learning_rate=0.1)
    p = np.array([0.0])
    for t in range(1, 6):
        before = p[0]
        radam.apply(np.array([2.0]), p)
        assert before - p[0] == pytest.approx(0.1 * 2.0, rel=1e-12), t
    before = p[0]
    radam.apply(np.array([2.0]), p)
    rho_inf, b = 1999.0, 0.999**6
    rho_t = rho_inf - 12 * b / (1 - b)
    assert 5 < rho_t < 6
    r = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
    # constant gradient: m_hat = 2, sqrt(v) = 2 sqrt(1 - b), so the step is lr * r (up to eps)
    assert before - p[0] == pytest.approx(0.1 * r, rel=1e-7)


def test_lion_moves_every_entry_by_lr():
    p = np.zeros(4)
    opt.Lion(learning_rate=0.05).apply(np.array([3.0, -1e-9, 0.0, -7.0]), p)
    np.testing.assert_array_equal(p, [-0.05, 0.05, 0.0, 0.05])


def test_adadelta_by_hand():
    # rho 0.5, eps 1e-2, g = 2: E[g^2] = 2, delta = -sqrt(0.01)/sqrt(2.01) * 2
    p = np.array([0.0])
    opt.Adadelta(learning_rate=1.0, rho=0.5, epsilon=1e-2).apply(np.array([2.0]), p)
    assert p[0] == pytest.approx(-0.1 / math.sqrt(2.01) * 2, rel=1e-14)


# ---------------------------------------------------------------- cross-cutting conventions

@pytest.mark.parametrize("name", ["SGD", "Adam"])
@pytest.mark.parametrize("clip", [("clipnorm", 0.5), ("clipvalue", 0.3), ("global_clipnorm", 0.7)])
def test_clip_then_weight_decay_then_rule(name, clip):
    params, grads = random_problem(seed=3, steps=5)
    kwargs = {"momentum": 0.9} if name == "SGD" else {}
    optimizer = opt.ALL[name](learning_rate=0.05, weight_decay=0.1, **{clip[0]: clip[1]}, **kwargs)
    expected = textbook.run(name, params, grads, 0.05, weight_decay=0.1, clip=clip, **kwargs)
    got = run_library(optimizer, params, grads)
    for e_step, g_step in zip(expected, got):
        for e, g in zip(e_step, g_step):
            np.testing.assert_allclose(g, e, rtol=1e-12, atol=1e-15)


def test_schedule_sees_zero_based_step_count():
    seen = []

    def schedule(step):
        seen.append(step)
        return 0.1

    optimizer = opt.SGD(learning_rate=schedule)
    p = np.zeros(2)
    for _ in range(3):
        optimizer.apply(np.ones(2), p)
    assert seen == [0, 1, 2]


def test_sgd_velocity_carries_the_learning_rate():
    # Keras: v = mu v - lr_t g. PyTorch: b = mu b + g; p -= lr_t b. With a learning rate
    # that halves each step, the two differ from the second step on.
    lrs = [1.0, 0.5, 0.25]
    optimizer = opt.SGD(learning_rate=lambda step: lrs[step], momentum=0.9)
    p = np.array([0.0])
    for _ in range(3):
        optimizer.apply(np.array([1.0]), p)
    keras = -(1.0) + -(0.9 * 1.0 + 0.5) + -(0.9 * 1.4 + 0.25)
    b1, b2, b3 = 1.0, 1.9, 2.71
    torch = -(1.0 * b1 + 0.5 * b2 + 0.25 * b3)
    assert p[0] == pytest.approx(keras, rel=1e-15)
    assert abs(keras - torch) > 0.1


def test_weight_decay_is_decoupled_and_uses_scheduled_lr():
    # Zero gradient: only the decay acts, p *= (1 - wd * lr_t); Adam's rule then moves
    # nothing (m = 0).
    p = np.array([2.0])
    optimizer = opt.Adam(learning_rate=lambda step: [0.1, 0.2][step], weight_decay=0.5)
    optimizer.apply(np.array([0.0]), p)
    optimizer.apply(np.array([0.0]), p)
    assert p[0] == pytest.approx(2.0 * (1 - 0.05) * (1 - 0.1), rel=1e-15)


def test_adam_with_weight_decay_equals_adamw():
    params, grads = random_problem(seed=11)
    a = run_library(opt.Adam(weight_decay=0.004), params, grads)
    b = run_library(opt.AdamW(), params, grads)
    for sa, sb in zip(a, b):
        for x, y in zip(sa, sb):
            np.testing.assert_array_equal(x, y)


# ---------------------------------------------------------------- properties

def test_sgd_without_momentum_is_plain_gradient_descent():
    rng = np.random.default_rng(5)
    p = rng.normal(size=(4, 3))
    expected = p.copy()
    optimizer = opt.SGD(learning_rate=0.3)
    for _ in range(5):
        g = rng.normal(size=(4, 3))
        expected = expected - 0.3 * g
        optimizer.apply(g, p)
    np.testing.assert_allclose(p, expected, rtol=1e-15)
    assert optimizer.state == [{}]


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop", "Nadam", "Lion"])
def test_lookahead_with_alpha_one_is_its_inner_optimizer(name):
    params, grads = random_problem(seed=2, steps=9)
    a = run_library(opt.ALL[name](learning_rate=0.01), params, grads)
    b = run_library(opt.Lookahead(opt.ALL[name](learning_rate=0.01), k=3, alpha=1.0), params, grads)
    for sa, sb in zip(a, b):
        for x, y in zip(sa, sb):
            np.testing.assert_array_equal(x, y)


def test_lookahead_sync_by_hand():
    # SGD lr 1, gradient -1: fast weights gain 1 per step. k = 3, alpha = 0.5.
    p = np.array([0.0])
    la = opt.Lookahead(opt.SGD(learning_rate=1.0), k=3, alpha=0.5)
    values = []
    for _ in range(6):
        la.apply(np.array([-1.0]), p)
        values.append(p[0])
    # steps 1, 2: 1, 2; step 3: fast 3, slow 0 + 0.5 * 3 = 1.5; steps 4, 5: 2.5, 3.5;
    # step 6: fast 4.5, slow 1.5 + 0.5 * 3 = 3.
    assert values == [1.0, 2.0, 1.5, 2.5, 3.5, 3.0]


@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_array_learning_rate_equals_separate_runs(name, kwargs):
    rates = np.array([0.001, 0.01, 0.1])
    rng = np.random.default_rng(9)
    start = rng.normal(size=2)
    grads = [rng.normal(size=(3, 2)) for _ in range(4)]
    stacked = np.tile(start, (3, 1))
    many = opt.ALL[name](learning_rate=rates[:, None], **kwargs)
    for g in grads:
        many.apply(g, stacked)
    for i, lr in enumerate(rates):
        p = start.copy()
        one = opt.ALL[name](learning_rate=float(lr), **kwargs)
        for g in grads:
            one.apply(g[i].copy(), p)
        np.testing.assert_allclose(stacked[i], p, rtol=1e-13, atol=1e-16)


@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_blocked_update_is_bit_identical(name, kwargs, monkeypatch):
    rng = np.random.default_rng(1)
    shape = (37, 29)  # not a multiple of the block size
    p0 = rng.normal(size=shape)
    grads = [rng.normal(size=shape) for _ in range(4)]
    whole = p0.copy()
    a = opt.ALL[name](weight_decay=0.01, **kwargs)
    for g in grads:
        a.apply(g, whole)
    monkeypatch.setattr(base, "BLOCK_BYTES", 64 * 8)  # 64 float64 entries per block
    monkeypatch.setattr(base, "PARALLEL_MIN_SIZE", 256)
    monkeypatch.setattr(base, "NUM_THREADS", 3)
    blocked = p0.copy()
    b = opt.ALL[name](weight_decay=0.01, **kwargs)
    for g in grads:
        b.apply(g, blocked)
    np.testing.assert_array_equal(whole, blocked)
    for sa, sb in zip(a.state, b.state):
        for k in sa:
            np.testing.assert_array_equal(sa[k], sb[k])


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_params_keep_their_dtype_and_identity(dtype):
    p = np.ones((5, 5), dtype=dtype)
    before = p
    optimizer = opt.Adam(learning_rate=0.01)
    optimizer.apply(np.ones((5, 5)), p)  # float64 gradient for a lower-precision param
    assert p is before and p.dtype == dtype
    assert optimizer.state[0]["m"].dtype == dtype
    np.testing.assert_allclose(p.astype(np.float64), 1 - 0.01, rtol=1e-2)


def test_gradients_are_not_modified():
    g = np.array([10.0, -10.0])
    g_before = g.copy()
    p = np.zeros(2)
    opt.SGD(learning_rate=0.1, clipnorm=1.0).apply(g, p)
    opt.Adam(clipvalue=1.0).apply(g, p)
    np.testing.assert_array_equal(g, g_before)


def test_apply_gradients_equals_apply():
    params, grads = random_problem(seed=4, steps=3)
    a = run_library(opt.Adam(), params, grads)
    ps = [p.copy() for p in params]
    adam = opt.Adam()
    for step in grads:
        adam.apply_gradients(zip(step, ps))
    for x, y in zip(a[-1], ps):
        np.testing.assert_array_equal(x, y)


def test_zero_dimensional_param():
    p = np.array(1.0)
    opt.SGD(learning_rate=0.5).apply(np.array(2.0), p)
    assert p == 0.0
