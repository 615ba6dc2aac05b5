"""Tests for optimizers.schedules.

Expected values are worked out by hand from the Keras 3 formulas (the working is in
the comments), chosen so the arithmetic is exact or nearly so.
"""

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizers import schedules
from optimizers.schedules import (
    ALL,
    CosineDecay,
    CosineDecayRestarts,
    ExponentialDecay,
    InverseTimeDecay,
    LearningRateSchedule,
    PiecewiseConstantDecay,
    PolynomialDecay,
    deserialize,
    serialize,
)

FAST = settings(max_examples=50, deadline=None)
close = dict(rel=1e-12, abs=1e-15)


# --------------------------------------------------------------------------- hand-derived values


def test_exponential_decay_values():
    s = ExponentialDecay(0.1, 10, 0.5)
    assert s(0) == 0.1
    assert s(20) == pytest.approx(0.1 * 0.25, **close)          # two halvings
    assert s(5) == pytest.approx(0.1 * math.sqrt(0.5), **close)  # half a decay period
    assert s(15) == pytest.approx(0.1 * 0.5 * math.sqrt(0.5), **close)


def test_exponential_decay_staircase_steps_only_at_multiples():
    s = ExponentialDecay(0.1, 10, 0.5, staircase=True)
    assert [s(k) for k in (0, 9, 10, 19, 20)] == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025])


def test_exponential_decay_rate_above_one_grows():
    # Range-test use: x10 every 10 steps, so 1e-3 -> 1e-1 after 20 steps.
    assert ExponentialDecay(1e-3, 10, 10.0)(20) == pytest.approx(0.1, **close)


def test_piecewise_constant_old_value_applies_at_the_boundary():
    s = PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
    expected = {0: 1.0, 9: 1.0, 10: 1.0, 11: 0.5, 20: 0.5, 21: 0.1, 1000: 0.1}
    for step, value in expected.items():
        assert s(step) == value, f"step {step}"
    assert s(10.5) == 0.5  # a fractional step past the boundary uses the new value


def test_piecewise_constant_without_boundaries_is_constant():
    assert PiecewiseConstantDecay([], [0.3])(np.arange(5)).tolist() == [0.3] * 5


def test_inverse_time_decay_values():
    s = InverseTimeDecay(1.0, 10, 0.5)
    assert s(0) == 1.0
    assert s(5) == pytest.approx(1 / (1 + 0.5 * 0.5), **close)   # 0.8
    assert s(20) == pytest.approx(1 / (1 + 0.5 * 2), **close)    # 0.5
    stairs = InverseTimeDecay(1.0, 10, 0.5, staircase=True)
    assert stairs(9) == 1.0
    assert stairs(19) == pytest.approx(1 / 1.5, **close)
    assert stairs(20) == pytest.approx(0.5, **close)


def test_polynomial_decay_values():
    quad = PolynomialDecay(1.0, 10, end_learning_rate=0.0, power=2.0)
    assert quad(5) == pytest.approx(0.25, **close)   # (1 - 5/10)^2
    assert quad(10) == 0.0 and quad(25) == 0.0       # capped at decay_steps
    line = PolynomialDecay(1.0, 10, end_learning_rate=0.1)
    assert line(5) == pytest.approx(0.9 * 0.5 + 0.1, **close)  # 0.55


def test_polynomial_decay_default_end_rate_is_keras_default():
    assert PolynomialDecay(1.0, 10)(10) == pytest.approx(0.0001, **close)


def test_polynomial_decay_cycle():
    s = PolynomialDecay(1.0, 10, end_learning_rate=0.1, cycle=True)
    assert s(0) == 1.0                                    # step 0 uses one period
    assert s(10) == pytest.approx(0.1, **close)           # end of the first period
    assert s(11) == pytest.approx(0.9 * (1 - 11 / 20) + 0.1, **close)  # horizon 20: 0.505
    assert s(15) == pytest.approx(0.9 * 0.25 + 0.1, **close)           # 0.325
    assert s(20) == pytest.approx(0.1, **close)


def test_cosine_decay_values_and_no_rebound():
    s = CosineDecay(1.0, 10)
    assert s(0) == 1.0
    assert s(5) == pytest.approx(0.5, **close)                   # cos(pi/2) = 0
    assert s(10) == pytest.approx(0.0, abs=1e-15)
    assert s(15) == s(10) and s(1000) == s(10)                   # stays at the floor
    floor = CosineDecay(1.0, 10, alpha=0.1)
    assert floor(5) == pytest.approx(0.9 * 0.5 + 0.1, **close)   # 0.55
    assert floor(1000) == pytest.approx(0.1, **close)


def test_cosine_decay_warmup_values():
    s = CosineDecay(0.0, 10, warmup_target=1.0, warmup_steps=4)
    assert [s(k) for k in range(4)] == pytest.approx([0.0, 0.25, 0.5, 0.75], **close)
    assert s(4) == 1.0                                       # the peak, exactly
    assert s(9) == pytest.approx(0.5, **close)               # halfway through the decay
    assert s(14) == pytest.approx(0.0, abs=1e-15)
    assert s(1000) == s(14)
    with_floor = CosineDecay(0.1, 10, alpha=0.2, warmup_target=1.0, warmup_steps=4)
    assert with_floor(2) == pytest.approx(0.1 + 0.9 * 0.5, **close)
    assert with_floor(1000) == pytest.approx(0.2, **close)   # alpha is a fraction of the target


def test_cosine_decay_warmup_target_with_zero_warmup_steps_starts_at_target():
    assert CosineDecay(0.01, 10, warmup_target=1.0)(0) == 1.0


def test_cosine_decay_restarts_values():
    s = CosineDecayRestarts(1.0, 10, t_mul=2.0, m_mul=0.5)
    assert s(0) == 1.0
    assert s(5) == pytest.approx(0.5, **close)
    assert s(9) == pytest.approx(0.5 * (1 + math.cos(0.9 * math.pi)), **close)
    assert s(10) == pytest.approx(0.5, **close)     # restart: peak x m_mul
    assert s(11) == pytest.approx(0.5 * 0.5 * (1 + math.cos(math.pi / 20)), **close)
    assert s(20) == pytest.approx(0.25, **close)    # middle of the 20-step period
    assert s(30) == pytest.approx(0.25, **close)    # second restart
    assert s(70) == pytest.approx(0.125, **close)   # third restart: 10 + 20 + 40


def test_cosine_decay_restarts_constant_period_and_alpha():
    s = CosineDecayRestarts(2.0, 10, t_mul=1.0, m_mul=0.5, alpha=0.1)
    # step 25: period 2, halfway: 2 * (0.9 * 0.5 * 0.25 * (1 + 0) + 0.1)
    assert s(25) == pytest.approx(2.0 * (0.9 * 0.125 + 0.1), **close)
    assert s(20) == pytest.approx(2.0 * (0.9 * 0.25 + 0.1), **close)


def test_cosine_decay_restarts_keras_defaults():
    s = CosineDecayRestarts(1.0, 10)  # t_mul=2, m_mul=1, alpha=0
    assert s(10) == 1.0 and s(30) == 1.0
    assert s(20) == pytest.approx(0.5, **close)


@pytest.mark.parametrize("t_mul, first, restart", [(3.0, 10, 1210), (3.0, 1, 121), (0.9, 100, 190)])
def test_cosine_decay_restarts_peak_at_a_restart_despite_log_round_off(t_mul, first, restart):
    # These restart steps are where log(1 - f (1 - t_mul)) / log(t_mul) lands just under
    # a whole number; the new period must still start at its peak, not at the old trough.
    s = CosineDecayRestarts(1.0, first, t_mul=t_mul)
    period = first * t_mul ** round(math.log(1 - restart / first * (1 - t_mul), t_mul))
    assert s(restart) == 1.0
    assert s(restart + 1) == pytest.approx(0.5 * (1 + math.cos(math.pi / period)), rel=1e-9)
    assert s(restart - 1) < 1e-3


def test_cosine_decay_restarts_shrinking_periods():
    s = CosineDecayRestarts(1.0, 10, t_mul=0.5, m_mul=0.5)
    assert s(10) == pytest.approx(0.5, **close)    # periods 10, 5, 2.5, ...
    assert s(15) == pytest.approx(0.25, **close)
    assert s(12.5) == pytest.approx(0.25, **close)  # halfway through the 5-step period
    assert s(19) > 0
    with pytest.raises(ValueError, match="step"):
        s(20)                                       # 10 / (1 - 0.5): infinitely many restarts
    with pytest.raises(ValueError, match="step"):
        s(np.arange(30))


def test_restart_steps_and_shrinking_peaks_are_where_the_formula_says():
    first, t_mul, m_mul = 10, 2.0, 0.5
    lr = CosineDecayRestarts(1.0, first, t_mul=t_mul, m_mul=m_mul)(np.arange(400))
    jumps = np.flatnonzero(np.diff(lr) > 0) + 1
    expected = [first * (t_mul ** n - 1) / (t_mul - 1) for n in range(1, 6)]  # 10, 30, 70, 150, 310
    assert jumps.tolist() == expected
    assert lr[jumps] == pytest.approx([m_mul ** n for n in range(1, 6)], **close)
    assert np.diff(jumps).tolist() == [20, 40, 80, 160]  # each period t_mul times longer


# --------------------------------------------------------------------------- properties


@FAST
@given(lr0=st.floats(0, 10), decay_steps=st.integers(1, 200), rate=st.floats(0.01, 1.0),
       staircase=st.booleans(), inverse=st.booleans())
def test_exponential_and_inverse_time_are_non_increasing(lr0, decay_steps, rate, staircase, inverse):
    cls = InverseTimeDecay if inverse else ExponentialDecay
    lr = cls(lr0, decay_steps, rate, staircase)(np.arange(3 * decay_steps + 5))
    assert np.all(np.diff(lr) <= 0)
    assert lr[0] == lr0 and np.all((lr >= 0) & (lr <= lr0))


@FAST
@given(lr0=st.floats(0, 10), share=st.floats(0, 1), decay_steps=st.integers(1, 200),
       power=st.floats(0.1, 5))
def test_polynomial_decay_is_non_increasing_and_ends_at_end_rate(lr0, share, decay_steps, power):
    end = lr0 * share
    lr = PolynomialDecay(lr0, decay_steps, end, power)(np.arange(2 * decay_steps + 3))
    assert np.all(np.diff(lr) <= 0)
    assert np.all((lr >= end) & (lr <= lr0))
    assert np.all(lr[decay_steps:] == end)


@FAST
@given(lr0=st.floats(0, 10), share=st.floats(0, 1), decay_steps=st.integers(1, 100),
       power=st.floats(0.1, 5))
def test_polynomial_decay_cycle_stays_in_range_and_hits_end_at_multiples(lr0, share, decay_steps,
                                                                         power):
    end = lr0 * share
    lr = PolynomialDecay(lr0, decay_steps, end, power, cycle=True)(np.arange(5 * decay_steps + 1))
    assert np.all((lr >= end) & (lr <= lr0))
    assert np.all(lr[decay_steps::decay_steps] == end)


@FAST
@given(lr0=st.floats(0, 10), alpha=st.floats(0, 1), decay_steps=st.integers(1, 2000))
def test_cosine_decay_is_non_increasing_between_alpha_lr_and_lr(lr0, alpha, decay_steps):
    lr = CosineDecay(lr0, decay_steps, alpha)(np.arange(decay_steps + 50))
    assert np.all(np.diff(lr) <= 0)
    assert np.all((lr >= alpha * lr0) & (lr <= lr0))
    assert lr[0] == lr0
    assert np.all(lr[decay_steps:] == lr0 * alpha)  # cos(pi) = -1 exactly: no rebound


@FAST
@given(lr0=st.floats(0, 1), gain=st.floats(0, 5), alpha=st.floats(0, 1),
       warmup_steps=st.integers(1, 60), decay_steps=st.integers(1, 300))
def test_cosine_warmup_rises_to_exact_peak_then_only_falls(lr0, gain, alpha, warmup_steps,
                                                           decay_steps):
    target = lr0 + gain
    lr = CosineDecay(lr0, decay_steps, alpha, target, warmup_steps)(
        np.arange(warmup_steps + decay_steps + 30))
    rising, falling = lr[:warmup_steps + 1], lr[warmup_steps:]
    assert lr[0] == lr0
    assert lr[warmup_steps] == target                 # the peak, exactly
    assert np.all(np.diff(rising) >= 0)               # warmup never lowers the rate
    assert np.all(np.diff(falling) <= 0)              # and the decay never raises it
    assert np.all((rising >= lr0) & (rising <= target))
    assert np.all((falling >= alpha * target) & (falling <= target))
    assert np.all(lr[warmup_steps + decay_steps:] == target * alpha)


@FAST
@given(lr0=st.floats(0, 10), first=st.integers(1, 50), t_mul=st.floats(1.0, 3.0),
       m_mul=st.floats(0, 1), alpha=st.floats(0, 1))
def test_cosine_restarts_stay_between_alpha_lr_and_lr(lr0, first, t_mul, m_mul, alpha):
    lr = CosineDecayRestarts(lr0, first, t_mul, m_mul, alpha)(np.arange(20 * first))
    assert np.all((lr >= alpha * lr0) & (lr <= lr0))
    assert lr[0] == lr0


@FAST
@given(first=st.integers(1, 40), t_mul=st.sampled_from([1.0, 2.0, 3.0, 4.0]),
       m_mul=st.floats(0.5, 1), n=st.integers(1, 4))
def test_every_restart_step_starts_at_the_scaled_peak(first, t_mul, m_mul, n):
    restart = first * sum(t_mul ** k for k in range(n))  # whole number for whole t_mul
    s = CosineDecayRestarts(1.0, first, t_mul, m_mul)
    assert s(restart) == pytest.approx(m_mul ** n, **close)
    # The step before ends the old period; the step after starts down the new one.
    old_period, new_period = first * t_mul ** (n - 1), first * t_mul ** n
    before = m_mul ** (n - 1) * 0.5 * (1 + math.cos(math.pi * (old_period - 1) / old_period))
    after = (m_mul ** n * 0.5 * (1 + math.cos(math.pi / new_period)) if new_period > 1
             else m_mul ** (n + 1))  # a one-step period restarts again at once
    assert s(restart - 1) == pytest.approx(before, **close)
    assert s(restart + 1) == pytest.approx(after, **close)


# --------------------------------------------------------------------------- steps: scalars vs arrays

EXAMPLES = [
    ExponentialDecay(0.1, 7, 0.3),
    ExponentialDecay(0.1, 7, 0.3, staircase=True),
    PiecewiseConstantDecay([5, 50, 100], [0.3, 0.2, 0.1, 0.05]),
    InverseTimeDecay(0.5, 3, 0.7, True),
    PolynomialDecay(0.2, 40, 0.01, 0.5),
    PolynomialDecay(0.2, 40, 0.01, 2.0, cycle=True),
    CosineDecay(0.3, 100, 0.05),
    CosineDecay(0.01, 100, 0.1, warmup_target=0.4, warmup_steps=20),
    CosineDecayRestarts(0.3, 15, 1.5, 0.8, 0.02),
    CosineDecayRestarts(0.3, 15, 1.0, 0.9),
]


@pytest.mark.parametrize("schedule", EXAMPLES, ids=repr)
def test_array_of_steps_equals_step_by_step(schedule):
    steps = np.arange(300)
    curve = schedule(steps)
    assert isinstance(curve, np.ndarray) and curve.shape == (300,) and curve.dtype == np.float64
    one_by_one = [schedule(int(k)) for k in steps]
    assert all(type(v) is float for v in one_by_one)
    assert np.array_equal(curve, one_by_one)
    grid = schedule(steps.reshape(30, 10))
    assert grid.shape == (30, 10) and np.array_equal(grid.ravel(), curve)


@pytest.mark.parametrize("step", [7, np.int64(7), np.int32(7), 7.0])
def test_single_step_returns_python_float(step):
    value = ExponentialDecay(1.0, 7, 0.5)(step)
    assert type(value) is float and value == 0.5


def test_list_of_steps_returns_array():
    assert ExponentialDecay(1.0, 1, 0.5)([0, 1, 2]).tolist() == [1.0, 0.5, 0.25]


# --------------------------------------------------------------------------- config and saving


@pytest.mark.parametrize("schedule", EXAMPLES, ids=repr)
def test_config_round_trips_give_identical_values(schedule):
    steps = np.arange(300)
    config = schedule.get_config()
    json.dumps(config)  # plain Python types only
    rebuilt = type(schedule).from_config(config)
    assert rebuilt.get_config() == config
    assert np.array_equal(rebuilt(steps), schedule(steps))
    saved = json.loads(json.dumps(serialize(schedule)))
    assert saved["class_name"] == type(schedule).__name__
    assert np.array_equal(deserialize(saved)(steps), schedule(steps))


@pytest.mark.parametrize("schedule", EXAMPLES, ids=repr)
def test_repr_reads_like_the_constructor_call(schedule):
    text = repr(schedule)
    assert text.startswith(type(schedule).__name__ + "(") and "name=" not in text
    assert eval(text, vars(schedules)).get_config() == schedule.get_config()


def test_repr_shows_a_non_default_name():
    assert "name='warm'" in repr(CosineDecay(0.1, 10, name="warm"))


def test_get_config_holds_the_keras_argument_names():
    assert ExponentialDecay(0.1, 10, 0.5).get_config() == {
        "initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5,
        "staircase": False, "name": "ExponentialDecay"}
    assert set(CosineDecay(0.1, 10).get_config()) == {
        "initial_learning_rate", "decay_steps", "alpha", "warmup_target", "warmup_steps", "name"}
    assert set(CosineDecayRestarts(0.1, 10).get_config()) == {
        "initial_learning_rate", "first_decay_steps", "t_mul", "m_mul", "alpha", "name"}
    assert PiecewiseConstantDecay([1], [0.2, 0.1]).get_config()["name"] == "PiecewiseConstant"
    assert CosineDecayRestarts(0.1, 10).get_config()["name"] == "SGDRDecay"


def test_numpy_arguments_become_plain_python_in_the_config():
    config = PiecewiseConstantDecay(np.array([10, 20]), np.array([0.3, 0.2, 0.1])).get_config()
    assert [type(b) for b in config["boundaries"]] == [int, int]
    assert [type(v) for v in config["values"]] == [float, float, float]


def test_deserialize_accepts_a_keras_saved_dict():
    keras_style = {"module": "keras.optimizers.schedules", "class_name": "PolynomialDecay",
                   "config": {"cycle": False, "decay_steps": 10000, "end_learning_rate": 0.01,
                              "initial_learning_rate": 0.1, "name": "PolynomialDecay",
                              "power": 0.5},
                   "registered_name": None}
    schedule = deserialize(keras_style)
    assert isinstance(schedule, PolynomialDecay)
    assert schedule(2500) == pytest.approx(0.09 * math.sqrt(0.75) + 0.01, **close)


def test_all_lists_the_six_keras_schedules():
    assert sorted(ALL) == sorted(["ExponentialDecay", "PiecewiseConstantDecay", "InverseTimeDecay",
                                  "PolynomialDecay", "CosineDecay", "CosineDecayRestarts"])
    assert all(issubclass(cls, LearningRateSchedule) for cls in ALL.values())


class Halving(LearningRateSchedule):
    """A learner-style schedule: implements only `_rate` and `get_config`."""

    def __init__(self, lr):
        self.lr = lr

    def _rate(self, s):
        return self.lr * 0.5 ** s

    def get_config(self):
        return {"lr": self.lr}


def test_a_custom_schedule_inherits_step_handling_and_saving():
    s = Halving(1.0)
    assert s(2) == 0.25 and s(np.arange(3)).tolist() == [1.0, 0.5, 0.25]
    with pytest.raises(ValueError, match="step"):
        s(-1)
    rebuilt = deserialize(serialize(s), custom_objects={"Halving": Halving})
    assert rebuilt(3) == 0.125
    with pytest.raises(ValueError, match="class_name"):
        deserialize(serialize(s))


def test_base_class_says_what_to_implement():
    with pytest.raises(NotImplementedError, match="_rate"):
        LearningRateSchedule()(0)
    with pytest.raises(NotImplementedError, match="get_config"):
        LearningRateSchedule().get_config()


# --------------------------------------------------------------------------- bad input

BAD_ARGUMENTS = [
    # (class, args, kwargs, error, the argument the message must name)
    (ExponentialDecay, (-0.1, 10, 0.5), {}, ValueError, "initial_learning_rate"),
    (ExponentialDecay, (float("nan"), 10, 0.5), {}, ValueError, "initial_learning_rate"),
    (ExponentialDecay, (float("inf"), 10, 0.5), {}, ValueError, "initial_learning_rate"),
    (ExponentialDecay, ("0.1", 10, 0.5), {}, TypeError, "initial_learning_rate"),
    (ExponentialDecay, (0.1, 0, 0.5), {}, ValueError, "decay_steps"),
    (ExponentialDecay, (0.1, -5, 0.5), {}, ValueError, "decay_steps"),
    (ExponentialDecay, (0.1, float("nan"), 0.5), {}, ValueError, "decay_steps"),
    (ExponentialDecay, (0.1, 10, 0.0), {}, ValueError, "decay_rate"),
    (ExponentialDecay, (0.1, 10, -0.5), {}, ValueError, "decay_rate"),
    (ExponentialDecay, (0.1, 10, 0.5, 1), {}, TypeError, "staircase"),
    (ExponentialDecay, (0.1, 10, 0.5), {"name": 3}, TypeError, "name"),
    (PiecewiseConstantDecay, ([20, 10], [1.0, 0.5, 0.1]), {}, ValueError, "boundaries"),
    (PiecewiseConstantDecay, ([10, 10], [1.0, 0.5, 0.1]), {}, ValueError, "boundaries"),
    (PiecewiseConstantDecay, ([-1, 10], [1.0, 0.5, 0.1]), {}, ValueError, "boundaries"),
    (PiecewiseConstantDecay, ([10, 20], [1.0, 0.5]), {}, ValueError, "values"),
    (PiecewiseConstantDecay, ([10], [1.0, 0.5, 0.1]), {}, ValueError, "values"),
    (PiecewiseConstantDecay, ([10], [1.0, -0.5]), {}, ValueError, "values"),
    (PiecewiseConstantDecay, ([10], [1.0, float("nan")]), {}, ValueError, "values"),
    (PiecewiseConstantDecay, (10, [1.0, 0.5]), {}, TypeError, "boundaries"),
    (PiecewiseConstantDecay, ([10], 1.0), {}, TypeError, "values"),
    (InverseTimeDecay, (-1.0, 10, 0.5), {}, ValueError, "initial_learning_rate"),
    (InverseTimeDecay, (1.0, 0, 0.5), {}, ValueError, "decay_steps"),
    (InverseTimeDecay, (1.0, 10, 0.0), {}, ValueError, "decay_rate"),
    (InverseTimeDecay, (1.0, 10, 0.5, "yes"), {}, TypeError, "staircase"),
    (PolynomialDecay, (1.0, 0), {}, ValueError, "decay_steps"),
    (PolynomialDecay, (1.0, 10, -0.1), {}, ValueError, "end_learning_rate"),
    (PolynomialDecay, (1.0, 10, 0.0, 0.0), {}, ValueError, "power"),
    (PolynomialDecay, (1.0, 10, 0.0, -1.0), {}, ValueError, "power"),
    (PolynomialDecay, (1.0, 10), {"cycle": "yes"}, TypeError, "cycle"),
    (CosineDecay, (-0.1, 10), {}, ValueError, "initial_learning_rate"),
    (CosineDecay, (0.1, 0), {}, ValueError, "decay_steps"),
    (CosineDecay, (0.1, 10, -0.1), {}, ValueError, "alpha"),
    (CosineDecay, (0.1, 10, 1.5), {}, ValueError, "alpha"),
    (CosineDecay, (0.1, 10), {"warmup_target": 1.0, "warmup_steps": -1}, ValueError,
     "warmup_steps"),
    (CosineDecay, (0.1, 10), {"warmup_steps": 5}, ValueError, "warmup_steps"),
    (CosineDecay, (0.5, 10), {"warmup_target": 0.1, "warmup_steps": 5}, ValueError,
     "warmup_target"),
    (CosineDecay, (0.1, 10), {"warmup_target": float("nan"), "warmup_steps": 5}, ValueError,
     "warmup_target"),
    (CosineDecayRestarts, (float("inf"), 10), {}, ValueError, "initial_learning_rate"),
    (CosineDecayRestarts, (1.0, 0), {}, ValueError, "first_decay_steps"),
    (CosineDecayRestarts, (1.0, 10, 0.0), {}, ValueError, "t_mul"),
    (CosineDecayRestarts, (1.0, 10, -2.0), {}, ValueError, "t_mul"),
    (CosineDecayRestarts, (1.0, 10, 2.0, -0.1), {}, ValueError, "m_mul"),
    (CosineDecayRestarts, (1.0, 10, 2.0, 1.0, 2.0), {}, ValueError, "alpha"),
]


@pytest.mark.parametrize("cls, args, kwargs, error, argument", BAD_ARGUMENTS)
def test_bad_constructor_arguments_are_named(cls, args, kwargs, error, argument):
    with pytest.raises(error, match=f"`{argument}`"):
        cls(*args, **kwargs)


def test_range_messages_say_what_is_allowed():
    with pytest.raises(ValueError, match=r"> 0.*got 0"):
        ExponentialDecay(0.1, 0, 0.5)
    with pytest.raises(ValueError, match=r"\[0, 1\].*got 1.5"):
        CosineDecay(0.1, 10, 1.5)
    with pytest.raises(ValueError, match=r"len\(boundaries\)\+1 = 3.*got 2"):
        PiecewiseConstantDecay([10, 20], [1.0, 0.5])


@pytest.mark.parametrize("step", [-1, -0.5, float("nan"), float("inf"), np.array([0, 3, -3])])
def test_bad_step_values_are_rejected(step):
    for schedule in EXAMPLES:
        with pytest.raises(ValueError, match="`step`"):
            schedule(step)


@pytest.mark.parametrize("step", [True, "3", None, 2 + 1j, np.array([True, False]),
                                  np.array(["1"]), [1, None]])
def test_bad_step_types_are_rejected(step):
    with pytest.raises(TypeError, match="`step`"):
        ExponentialDecay(0.1, 10, 0.5)(step)


def test_saving_errors():
    with pytest.raises(TypeError, match="`schedule`"):
        serialize(lambda step: 0.1)
    with pytest.raises(TypeError, match="class_name"):
        deserialize({"config": {}})
    with pytest.raises(ValueError, match="class_name.*'Nope'"):
        deserialize({"class_name": "Nope", "config": {}})
    with pytest.raises(TypeError, match="`config`"):
        ExponentialDecay.from_config([0.1, 10, 0.5])
