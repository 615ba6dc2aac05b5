"""Tests of the training widgets: batch noise, Adam's bias correction, schedule explorer.

Every app is built headless (ipywidgets needs no browser). A test sets a control's
value the way a slider move would and checks the plotted data against numbers worked
out here from the formulas, not read back from the code under test.
"""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from optimizers.data import regression_line
from optimizers.widgets import style
from optimizers.widgets import training_demos as td
from optimizers.widgets._app import App


@pytest.fixture(scope="module")
def noise_app():
    return td.batch_noise()


@pytest.fixture(scope="module")
def bias_app():
    return td.bias_correction()


@pytest.fixture(scope="module")
def _shared_schedule_app():
    return td.schedule_explorer()


@pytest.fixture
def schedule_app(_shared_schedule_app):
    """The schedule explorer back at its first view (one build for all tests: builds are slow)."""
    _shared_schedule_app.reset()
    return _shared_schedule_app


@pytest.fixture
def count_figures(monkeypatch):
    """Number of matplotlib Figures created since the fixture was requested."""
    created = []
    original = Figure.__init__

    def counting(self, *args, **kwargs):
        created.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "__init__", counting)
    return created


def _is_blue(patch):
    return np.allclose(patch.get_facecolor()[:3], np.array([0x00, 0x72, 0xB2]) / 255)


# =========================================================================== common contract


@pytest.mark.parametrize("builder, fixture", [(td.batch_noise, "noise_app"), (td.bias_correction, "bias_app"),
                                              (td.schedule_explorer, "schedule_app")])
def test_every_app_is_an_app_with_labels_and_a_picture(builder, fixture, request):
    app = request.getfixturevalue(fixture)
    assert isinstance(app, App)
    assert app.image.value[:8] == b"\x89PNG\r\n\x1a\n"  # rendered at build time
    assert app.controls and all(hasattr(c, "value") for c in app.controls.values())
    for ax in app.figure.axes:
        assert ax.get_xlabel() and ax.get_title()
    assert any(ax.get_ylabel() for ax in app.figure.axes)
    bundle = app._repr_mimebundle_()
    assert "image/png" in bundle  # what a reader without a kernel sees
    assert app.__class__.__doc__ and builder.__doc__ and "Control" in builder.__doc__


def test_docstring_examples_run():
    result = doctest.testmod(td, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.attempted >= 5 and result.failed == 0


def test_control_changes_reuse_the_figure_and_its_artists(count_figures, noise_app, bias_app, schedule_app):
    for app, name, values in [(noise_app, "batch_size", [1, 64, 4]),
                              (bias_app, "beta_1", [0.5, 0.9]),
                              (bias_app, "gradient", ["noisy", "constant"])]:
        figure, axes = app.figure, list(app.figure.axes)
        lines = [len(ax.lines) for ax in axes]
        for value in values:
            app.controls[name].value = value
        assert app.figure is figure and list(figure.axes) == axes
        assert [len(ax.lines) for ax in axes] == lines
    axes = list(schedule_app.figure.axes)
    schedule_app.controls["schedule"].value = "PolynomialDecay"
    schedule_app.controls["power"].value = 3.0
    schedule_app.controls["log_scale"].value = True
    assert list(schedule_app.figure.axes) == axes and len(schedule_app.ax.lines) == 2
    assert count_figures == []  # no Figure was created by any of these changes


# =========================================================================== batch noise


def _full_batch_losses(n, epochs, lr, seed):
    """Batch GD on half-MSE linear regression, written out: w <- w - lr*mean(r x), b <- b - lr*mean(r)."""
    X, y = regression_line(n=n, noise=0.5, seed=seed)
    x = X[:, 0]
    w = np.random.default_rng(seed).normal(0.0, 0.01, size=1)[0]  # LinearRegression's initial w
    b = 0.0
    losses = [0.5 * np.mean((w * x + b - y) ** 2)]
    for _ in range(epochs):
        r = w * x + b - y
        w, b = w - lr * np.mean(r * x), b - lr * np.mean(r)
        losses.append(0.5 * np.mean((w * x + b - y) ** 2))
    return np.array(losses)


def test_full_batch_epoch_curve_is_gradient_descent_by_hand(noise_app):
    noise_app.controls["batch_size"].value = 64
    expected = _full_batch_losses(64, 10, 0.3, seed=0)
    np.testing.assert_allclose(noise_app.epoch_line.get_ydata(), expected, rtol=1e-12)
    np.testing.assert_array_equal(noise_app.epoch_line.get_xdata(), np.arange(11))
    # One update per epoch: the mini-batch loss *is* the full loss before each update.
    np.testing.assert_allclose(noise_app.update_line.get_ydata(), expected[:-1], rtol=1e-12)


@pytest.mark.parametrize("batch_size", [1, 2, 4, 8, 16, 32])
def test_updates_per_epoch_follow_the_batch_size(noise_app, batch_size):
    noise_app.controls["batch_size"].value = batch_size
    per_epoch = 64 // batch_size
    x = noise_app.update_line.get_xdata()
    assert len(x) == 10 * per_epoch
    np.testing.assert_allclose(x, np.arange(10 * per_epoch) / per_epoch)
    assert f"batch size {batch_size}: {per_epoch} update(s) per epoch" in noise_app.loss_title.get_text()
    selected = noise_app.batch_sizes.index(batch_size)
    assert [_is_blue(bar) for bar in noise_app.bars] == [i == selected for i in range(len(noise_app.bars))]
    assert f"{per_epoch} updates per epoch" in noise_app.message.value


def test_small_batches_are_noisier_but_cover_more_ground_per_epoch(noise_app):
    noise_app.controls["batch_size"].value = 1
    sgd_losses, sgd_after_one_epoch = noise_app.update_line.get_ydata(), noise_app.epoch_line.get_ydata()[1]
    noise_app.controls["batch_size"].value = 64
    full_after_one_epoch = noise_app.epoch_line.get_ydata()[1]
    # Single rows: losses from about 0 to several times the mean; one epoch of 64 updates
    # gets much further than one full-batch update.
    late = sgd_losses[len(sgd_losses) // 2:]
    assert late.std() > 0.5 * late.mean()
    assert sgd_after_one_epoch < 0.5 * full_after_one_epoch


def test_cost_bars_show_updates_per_epoch_for_every_batch_size(noise_app):
    labels = [t.get_text() for t in noise_app.cost_ax.texts]
    assert labels == [str(math.ceil(64 / b)) for b in (1, 2, 4, 8, 16, 32, 64)]
    assert all(bar.get_height() > 0 for bar in noise_app.bars)


def test_batch_noise_non_power_of_two_rows_has_a_partial_last_batch():
    app = td.batch_noise(n=10, epochs=2)
    assert app.batch_sizes == [1, 2, 4, 8, 10]
    app.controls["batch_size"].value = 4
    assert len(app.update_line.get_xdata()) == 2 * 3  # ceil(10 / 4) = 3 updates per epoch


def test_divergence_is_marked_and_explained():
    app = td.batch_noise(n=32, epochs=4, learning_rate=100.0)
    app.controls["batch_size"].value = 1
    history = app.histories[1]
    assert history.diverged  # 128 updates, each multiplying the error by ~30: overflow
    assert "diverged" in app.message.value and "too large" in app.message.value
    assert list(app.diverged_marker.get_xdata()) == [history.diverged_at / 32]
    assert app.diverged_marker.get_marker() == style.DIVERGED_MARKER["marker"]
    # The full batch does not overflow in 4 updates but leaves the plot after the first.
    app.controls["batch_size"].value = 32
    assert not app.histories[32].diverged
    assert list(app.diverged_marker.get_xdata()) == [1.0] and "grew beyond the plot" in app.message.value
    app.controls["batch_size"].value = 1
    assert list(app.diverged_marker.get_xdata()) == [history.diverged_at / 32]


def test_no_divergence_marker_at_the_default_learning_rate(noise_app):
    for batch_size in noise_app.batch_sizes:
        noise_app.controls["batch_size"].value = batch_size
        assert len(noise_app.diverged_marker.get_xdata()) == 0 and "diverged" not in noise_app.message.value


@pytest.mark.parametrize("kwargs, words", [
    (dict(n=1), "`n`"), (dict(epochs=0), "`epochs`"), (dict(learning_rate=-1.0), "learning_rate"),
    (dict(n=2.5), "`n`")])
def test_batch_noise_rejects_bad_arguments(kwargs, words):
    with pytest.raises((ValueError, TypeError), match=words):
        td.batch_noise(**kwargs)


# =========================================================================== bias correction


def test_constant_gradient_moments_by_formula(bias_app):
    bias_app.controls["gradient"].value = "constant"
    bias_app.controls["beta_1"].value = 0.8
    bias_app.controls["beta_2"].value = 0.99
    t = np.arange(1, 51)
    np.testing.assert_array_equal(bias_app.m_raw.get_xdata(), t)
    # With g = 1: m_t = 1 - beta_1^t and v_t = 1 - beta_2^t; the corrected ones are exactly 1.
    np.testing.assert_allclose(bias_app.m_raw.get_ydata(), 1 - 0.8**t, rtol=1e-12)
    np.testing.assert_allclose(bias_app.v_raw.get_ydata(), 1 - 0.99**t, rtol=1e-12)
    np.testing.assert_allclose(bias_app.m_hat.get_ydata(), 1.0, rtol=1e-12)
    np.testing.assert_allclose(bias_app.v_hat.get_ydata(), 1.0, rtol=1e-12)


def test_steps_with_and_without_correction_by_formula(bias_app):
    bias_app.controls["gradient"].value = "constant"
    bias_app.controls["beta_1"].value = 0.9
    bias_app.controls["beta_2"].value = 0.999
    t = np.arange(1, 51)
    root = np.sqrt(1 - 0.999**t)
    # Keras Adam: lr * sqrt(1-b2^t)/(1-b1^t) * m/(sqrt(v)+eps), with m = 1-b1^t, v = 1-b2^t.
    np.testing.assert_allclose(bias_app.step_with.get_ydata(), root / (root + 1e-7), rtol=1e-6)
    # Uncorrected: m/(sqrt(v)+eps). At t=1: 0.1 / sqrt(0.001) = 3.162...
    np.testing.assert_allclose(bias_app.step_without.get_ydata(), (1 - 0.9**t) / (root + 1e-7), rtol=1e-9)
    assert bias_app.step_without.get_ydata()[0] == pytest.approx(0.1 / math.sqrt(0.001), rel=1e-5)
    assert "3.2 times" in bias_app.message.value


def test_noisy_gradient_moments_follow_the_recursion(bias_app):
    bias_app.controls["gradient"].value = "noisy"
    bias_app.controls["beta_1"].value = 0.7
    bias_app.controls["beta_2"].value = 0.9
    g = bias_app.g_points.get_ydata()
    assert g.std() > 0.5  # really noisy
    m = v = 0.0
    expected_m, expected_v = [], []
    for g_t in g:
        m, v = 0.7 * m + 0.3 * g_t, 0.9 * v + 0.1 * g_t**2
        expected_m.append(m)
        expected_v.append(v)
    t = np.arange(1, len(g) + 1)
    np.testing.assert_allclose(bias_app.m_raw.get_ydata(), expected_m, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(bias_app.m_hat.get_ydata(), np.array(expected_m) / (1 - 0.7**t), rtol=1e-10)
    np.testing.assert_allclose(bias_app.v_hat.get_ydata(), np.array(expected_v) / (1 - 0.9**t), rtol=1e-10)
    np.testing.assert_allclose(bias_app.g2_points.get_ydata(), g**2)
    bias_app.controls["gradient"].value = "constant"


def test_noisy_gradient_is_seeded(bias_app):
    # Mean 1, standard deviation 1, drawn from default_rng(seed): the same numbers every run.
    expected = 1.0 + np.random.default_rng(0).standard_normal(bias_app.MAX_STEPS)
    np.testing.assert_array_equal(bias_app.gradients["noisy"], expected)
    bias_app.controls["gradient"].value = "noisy"
    np.testing.assert_array_equal(bias_app.g_points.get_ydata(), expected[:50])
    bias_app.controls["gradient"].value = "constant"
    np.testing.assert_array_equal(bias_app.g_points.get_ydata(), np.ones(50))


def test_steps_and_show_controls(bias_app):
    bias_app.controls["steps"].value = 120
    assert len(bias_app.m_hat.get_xdata()) == 120 and bias_app.m_ax.get_xlim()[1] == 121
    bias_app.controls["show"].value = "without correction"
    assert not bias_app.m_hat.get_visible() and bias_app.m_raw.get_visible()
    bias_app.controls["show"].value = "with correction (Adam)"
    assert bias_app.step_with.get_visible() and not bias_app.step_without.get_visible()
    bias_app.controls["show"].value = "both"
    bias_app.controls["steps"].value = 50
    assert all(line.get_visible() for line in (bias_app.v_hat, bias_app.v_raw))


@settings(max_examples=30, deadline=None)
@given(c=st.floats(0.01, 100.0), beta_1=st.floats(0.0, 0.99), beta_2=st.floats(0.5, 0.9999),
       steps=st.integers(1, 40))
def test_variant_without_correction_matches_closed_form(c, beta_1, beta_2, steps):
    m, v, step = td.adam_without_correction(np.full(steps, c), beta_1, beta_2, epsilon=0.0)
    t = np.arange(1, steps + 1)
    np.testing.assert_allclose(m, c * (1 - beta_1**t), rtol=1e-9)
    np.testing.assert_allclose(v, c**2 * (1 - beta_2**t), rtol=1e-9)
    np.testing.assert_allclose(step, (1 - beta_1**t) / np.sqrt(1 - beta_2**t), rtol=1e-9)


@pytest.mark.parametrize("kwargs, words", [
    (dict(beta_1=1.0), "beta_1"), (dict(beta_2=0.95), "beta_2"), (dict(gradient="wild"), "gradient"),
    (dict(steps=0), "steps"), (dict(steps=1000), "steps")])
def test_bias_correction_rejects_bad_arguments(kwargs, words):
    with pytest.raises((ValueError, TypeError), match=words):
        td.bias_correction(**kwargs)


# =========================================================================== schedule explorer


def _visible(app):
    return {name for name, c in app.controls.items() if c.layout.display != "none"}


def test_default_is_cosine_with_warmup_by_formula(schedule_app):
    s = np.arange(1001.0)
    warm = 0.1 * s / 100
    decay = 0.1 * 0.5 * (1 + np.cos(np.pi * (s - 100) / 900))
    np.testing.assert_allclose(schedule_app.line.get_ydata(), np.where(s < 100, warm, decay), atol=1e-15)
    assert schedule_app.call_text.get_text() == (
        "keras.optimizers.schedules.CosineDecay(0.0, 900, warmup_target=0.1, warmup_steps=100)")
    assert _visible(schedule_app) == {"schedule", "steps", "log_scale", "initial_learning_rate",
                                      "decay_steps", "alpha", "warmup_target", "warmup_steps"}
    assert list(schedule_app.peak_marker.get_xdata()) == [100]


def test_brief_example_call_text(schedule_app):
    schedule_app.controls["decay_steps"].value = 1000
    assert schedule_app.call_text.get_text() == (
        "keras.optimizers.schedules.CosineDecay(0.0, 1000, warmup_target=0.1, warmup_steps=100)")


def test_exponential_decay_controls_and_curve(schedule_app):
    schedule_app.controls["schedule"].value = "ExponentialDecay"
    assert _visible(schedule_app) == {"schedule", "steps", "log_scale", "initial_learning_rate",
                                      "decay_steps", "decay_rate", "staircase"}
    t = np.arange(1001)
    np.testing.assert_allclose(schedule_app.line.get_ydata(), 0.1 * 0.5 ** (t / 200), rtol=1e-12)
    assert schedule_app.call_text.get_text() == "keras.optimizers.schedules.ExponentialDecay(0.1, 200, 0.5)"
    schedule_app.controls["staircase"].value = True
    np.testing.assert_allclose(schedule_app.line.get_ydata(), 0.1 * 0.5 ** (t // 200), rtol=1e-12)
    assert schedule_app.call_text.get_text().endswith("(0.1, 200, 0.5, staircase=True)")
    schedule_app.controls["decay_rate"].value = 0.25
    assert schedule_app.line.get_ydata()[400] == pytest.approx(0.1 * 0.25**2)


def test_piecewise_text_boxes(schedule_app):
    schedule_app.controls["schedule"].value = "PiecewiseConstantDecay"
    schedule_app.controls["boundaries"].value = "100, 250"
    schedule_app.controls["values"].value = "1, 0.5, 0.25"
    y = schedule_app.line.get_ydata()
    # The new value starts one step *after* each boundary (Keras compares with <=).
    assert (y[100], y[101], y[250], y[251]) == (1.0, 0.5, 0.5, 0.25)
    assert schedule_app.call_text.get_text() == (
        "keras.optimizers.schedules.PiecewiseConstantDecay([100, 250], [1, 0.5, 0.25])")


def test_steps_slider_and_log_scale(schedule_app):
    schedule_app.controls["steps"].value = 3000
    assert len(schedule_app.line.get_xdata()) == 3001 and schedule_app.ax.get_xlim() == (0, 3000)
    schedule_app.controls["log_scale"].value = True
    low, high = schedule_app.ax.get_ylim()
    positive = schedule_app.line.get_ydata()[schedule_app.line.get_ydata() > 0]
    assert schedule_app.ax.get_yscale() == "log" and 0 < low <= positive.min() and high >= positive.max()
    schedule_app.controls["log_scale"].value = False
    assert schedule_app.ax.get_yscale() == "linear" and schedule_app.ax.get_ylim()[0] == 0


def test_linear_y_range_is_round_and_steady(schedule_app):
    assert schedule_app.ax.get_ylim() == (0.0, 0.12)  # peak 0.1 -> next round number above 0.11
    schedule_app.controls["warmup_target"].value = "0.105"  # small change: the axis stays
    assert schedule_app.ax.get_ylim() == (0.0, 0.12)
    schedule_app.controls["warmup_target"].value = "0.5"
    assert schedule_app.ax.get_ylim() == (0.0, 0.6)


@pytest.mark.parametrize("control, value, words", [
    ("warmup_target", "0.1, 0.2", "warmup_target"),
    ("initial_learning_rate", 0.5, "warmup_target"),  # above the warmup target
    ("initial_learning_rate", -1.0, "initial_learning_rate"),
    ("warmup_target", "high", "warmup_target"),
])
def test_invalid_cosine_settings_show_a_message(schedule_app, control, value, words):
    before = schedule_app.line.get_ydata().copy()
    schedule_app.controls[control].value = value  # must not raise
    assert "Cannot show this setting" in schedule_app.message.value and words in schedule_app.message.value
    np.testing.assert_array_equal(schedule_app.line.get_ydata(), before)  # last valid curve kept...
    assert schedule_app.line.get_alpha() == pytest.approx(0.3)  # ...faded
    assert "invalid" in schedule_app.call_text.get_text()


def test_invalid_text_and_restarts_messages_then_recovery(schedule_app):
    schedule_app.controls["schedule"].value = "PiecewiseConstantDecay"
    schedule_app.controls["values"].value = "0.1, abc"
    assert "`values`" in schedule_app.message.value
    schedule_app.controls["values"].value = "0.1"  # one value too few for two boundaries
    assert "`values` must have one more entry" in schedule_app.message.value
    schedule_app.controls["values"].value = "0.1, 0.01, 0.001"
    assert schedule_app.message.value == "" and schedule_app.line.get_alpha() == 1.0
    schedule_app.controls["schedule"].value = "CosineDecayRestarts"
    schedule_app.controls["t_mul"].value = 0.5  # periods shrink: no rate after step 100 / 0.5
    assert "t_mul" in schedule_app.message.value


def test_each_schedule_remembers_its_values(schedule_app):
    schedule_app.controls["schedule"].value = "InverseTimeDecay"
    schedule_app.controls["decay_rate"].value = 1.5
    schedule_app.controls["schedule"].value = "ExponentialDecay"
    assert schedule_app.controls["decay_rate"].value == 0.5  # its own preset
    schedule_app.controls["schedule"].value = "InverseTimeDecay"
    assert schedule_app.controls["decay_rate"].value == 1.5
    t = np.arange(1001)
    np.testing.assert_allclose(schedule_app.line.get_ydata(), 0.1 / (1 + 1.5 * t / 100), rtol=1e-12)


def test_every_schedule_draws_a_curve(schedule_app):
    for name in td.schedules.ALL:
        schedule_app.controls["schedule"].value = name
        y = schedule_app.line.get_ydata()
        assert schedule_app.message.value == "", name
        assert len(y) == 1001 and np.all(np.isfinite(y)) and y.max() > 0, name
        assert schedule_app.call_text.get_text().startswith(f"keras.optimizers.schedules.{name}(")


def test_schedule_explorer_rejects_bad_arguments():
    with pytest.raises(ValueError, match="schedule"):
        td.schedule_explorer("StepDecay")
    with pytest.raises(ValueError, match="steps"):
        td.schedule_explorer(steps=5)
