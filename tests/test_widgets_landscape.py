"""Tests of the landscape widgets (optimizers/widgets/landscape_demos.py) and their frame.

Every app is built headless (ipywidgets needs no browser), its controls are set from
code, and the tests check the plotted data against numbers worked out here from the
formulas, never against numbers the widget code printed.
"""

import base64
import io
import math

import matplotlib.figure
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

import optimizers as opt
from optimizers import landscapes
from optimizers.widgets import _app, landscape_demos as ld, style
from optimizers.widgets._landscape_plot import exit_point, inside

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def pitfalls():
    return ld.lr_pitfalls()


@pytest.fixture(scope="module")
def saddle():
    return ld.saddle_escape()


@pytest.fixture(scope="module")
def plateau():
    return ld.plateau_crawl()


@pytest.fixture(scope="module")
def ravine():
    return ld.ravine_momentum()


@pytest.fixture(scope="module")
def race():
    return ld.optimizer_race("bowl", ["GD", "Adam", "Lion"], steps=60)


@pytest.fixture(scope="module")
def gallery():
    return ld.landscape_gallery()


@pytest.fixture(scope="module")
def arrows():
    return ld.gradient_arrows()


@pytest.fixture
def no_new_figures(monkeypatch):
    """Counts Figure objects created while a test runs (a control change must create none)."""
    created = []
    original = matplotlib.figure.Figure.__init__

    def counting(self, *args, **kwargs):
        created.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(matplotlib.figure.Figure, "__init__", counting)
    return created


def data(line):
    """A line's (x, y) data as float arrays (copies, so later changes do not leak in)."""
    return np.array(line.get_xdata(), dtype=float), np.array(line.get_ydata(), dtype=float)


def changed(before, after) -> bool:
    (x0, y0), (x1, y1) = before, after
    return x0.shape != x1.shape or not (np.allclose(x0, x1, equal_nan=True) and np.allclose(y0, y1, equal_nan=True))


def set_and_check(app, control, value, line, no_new_figures):
    """Set ``control`` to ``value`` and assert that ``line``'s data moved, on the same figure."""
    figure, n_axes = app.figure, len(app.figure.axes)
    before = data(line)
    app.controls[control].value = value
    assert app.figure is figure and len(figure.axes) == n_axes
    assert not no_new_figures, "a control change created a new Figure"
    assert changed(before, data(line)), f"changing {control} did not move the line"
    assert "Cannot" not in app.message.value


# --------------------------------------------------------------------------- every app


ALL_BUILDERS = [ld.lr_pitfalls, ld.saddle_escape, ld.plateau_crawl, ld.ravine_momentum, ld.optimizer_race,
                ld.landscape_gallery, ld.gradient_arrows]


@pytest.mark.parametrize("fixture", ["pitfalls", "saddle", "plateau", "ravine", "race", "gallery", "arrows"])
def test_every_app_has_labels_titles_legend_and_a_png(fixture, request):
    app = request.getfixturevalue(fixture)
    assert isinstance(app, _app.App)
    assert app.__doc__ and "Controls:" in app.__doc__  # says what it teaches and what each control does
    for ax in app.figure.axes:
        if ax.name == "3d":
            continue
        assert ax.get_xlabel() and ax.get_ylabel(), f"unlabelled axes in {fixture}"
        assert ax.get_title(), f"untitled axes in {fixture}"
    assert any(ax.get_legend() is not None for ax in app.figure.axes)
    assert bytes(app.image.value).startswith(PNG_SIGNATURE)


def test_display_carries_a_static_png(ravine):
    bundle = ravine._repr_mimebundle_()
    # A picture for readers without a kernel (e.g. a notebook viewed on a code-hosting site).
    assert base64.b64decode(bundle["image/png"]).startswith(PNG_SIGNATURE)


def test_builder_docstrings_and_argument_errors():
    for builder in ALL_BUILDERS:
        assert builder.__doc__.strip().splitlines()[0]
    with pytest.raises(ValueError, match="landscape"):
        ld.lr_pitfalls("saddle")  # no minimum: no learning-rate verdict
    with pytest.raises(TypeError, match="landscape"):
        ld.lr_pitfalls(3)
    with pytest.raises(ValueError, match="steps"):
        ld.lr_pitfalls(steps=0)
    with pytest.raises(TypeError, match="steps"):
        ld.plateau_crawl(steps=1.5)
    with pytest.raises(ValueError, match="learning_rate"):
        ld.saddle_escape(learning_rate=0.0)
    with pytest.raises(ValueError, match="y0"):
        ld.saddle_escape(y0=2.0)
    with pytest.raises(ValueError, match="momentum"):
        ld.ravine_momentum(momentum=1.0)
    with pytest.raises(TypeError, match="nesterov"):
        ld.ravine_momentum(nesterov=1)
    with pytest.raises(ValueError, match="optimizers"):
        ld.optimizer_race(optimizers=["SGD"])
    with pytest.raises(ValueError, match="outside"):
        ld.optimizer_race("bowl", start=(10.0, 0.0))
    with pytest.raises(ValueError, match="landscape"):
        ld.landscape_gallery("volcano")


# --------------------------------------------------------------------------- the frame (App)


def test_a_slider_change_blits_instead_of_redrawing_everything(pitfalls):
    pitfalls.controls["learning_rate"].value = 0.05
    background = pitfalls._background
    assert background is not None
    pitfalls.controls["learning_rate"].value = 0.06
    assert pitfalls._background is background  # only the animated artists were redrawn


def test_blitted_frame_matches_a_full_redraw(pitfalls):
    pitfalls.controls["learning_rate"].value = 0.124
    live = np.asarray(Image.open(io.BytesIO(bytes(pitfalls.image.value))).convert("RGB"), dtype=float)
    with pitfalls._everything_drawn():
        pitfalls.figure.canvas.draw()  # the full picture, nothing blitted
    full = np.asarray(pitfalls.figure.canvas.buffer_rgba(), dtype=float)[..., :3]
    assert live.shape == full.shape
    # Only the 256-colour palette separates the two: tiny average, no large patches.
    difference = np.abs(live - full).max(axis=-1)
    assert difference.mean() < 1.5
    assert np.mean(difference > 40) < 0.002


def test_animate_text_reuses_pixels_for_a_repeated_string(pitfalls):
    title = pitfalls.ax_path.title
    pitfalls.controls["learning_rate"].value = 0.2  # diverged
    pitfalls.controls["learning_rate"].value = 0.05
    pitfalls.controls["learning_rate"].value = 0.2
    assert "verdict: diverged" in pitfalls._sprites[title]


def test_png_and_save_include_the_animated_artists(pitfalls, tmp_path):
    pitfalls.controls["learning_rate"].value = 0.1
    path = tmp_path / "view.png"
    pitfalls.save(path)
    assert path.read_bytes().startswith(PNG_SIGNATURE)
    # The black "your lr" path must be in the saved picture (animated artists are
    # skipped by a plain draw, so save() has to switch that off).
    picture = np.asarray(Image.open(path).convert("RGB"))
    assert np.any(np.all(picture < 30, axis=-1))
    assert all(artist.get_animated() for artist in pitfalls._animated)  # switched back on


def test_quiet_suppresses_refresh(pitfalls):
    before = bytes(pitfalls.image.value)
    with pitfalls.quiet():
        pitfalls.controls["learning_rate"].value = 0.011
    assert bytes(pitfalls.image.value) == before


def test_refresh_turns_errors_into_a_message(pitfalls):
    pitfalls.controls["learning_rate"].value = float("nan")
    assert "Cannot show this setting" in pitfalls.message.value
    assert "learning_rate" in pitfalls.message.value
    pitfalls.controls["learning_rate"].value = 0.1
    assert "Cannot" not in pitfalls.message.value


# --------------------------------------------------------------------------- lr_pitfalls


def test_lr_pitfalls_path_is_gradient_descent_on_the_bowl(no_new_figures):
    app = ld.lr_pitfalls("bowl", steps=20, learning_rate=0.1)
    no_new_figures.clear()
    # On x^2 + y^2 each step multiplies the point by (1 - 2 lr): 0.5 at lr = 0.25.
    set_and_check(app, "learning_rate", 0.25, app.run.path, no_new_figures)
    start = landscapes.bowl.default_start
    expected = start[None, :] * 0.5 ** np.arange(21)[:, None]
    x, y = data(app.run.path)
    np.testing.assert_allclose(np.c_[x, y], expected, rtol=1e-12, atol=1e-15)
    assert app.ax_path.get_title() == "verdict: good"
    loss_x, loss_y = data(app.run.curve)
    np.testing.assert_allclose(loss_y[:5], (expected[:5] ** 2).sum(axis=1), rtol=1e-12)


def test_lr_pitfalls_divergence_is_marked_where_the_run_leaves_the_window():
    app = ld.lr_pitfalls("bowl", steps=40, learning_rate=1.05)
    # Factor 1 - 2 * 1.05 = -1.1 per step: |x| = 2.5 * 1.1^t passes 3 (the window) at t = 2
    # and the run is stopped once a coordinate passes 10 half-widths = 30:
    # 2.5 * 1.1^t > 30  <=>  t > ln(12) / ln(1.1) = 26.07, so at step 27.
    assert app.ax_path.get_title() == "verdict: diverged"
    assert "step 27" in app.message.value
    (mx,), (my,) = data(app.run.exit)
    assert math.isclose(abs(mx), 3.0, rel_tol=1e-12) or math.isclose(abs(my), 3.0, rel_tol=1e-12)
    assert abs(mx) <= 3.0 + 1e-12 and abs(my) <= 3.0 + 1e-12
    x, _ = data(app.run.path)
    assert len(x) == 27  # the frozen repeats after the bad step are not drawn


def test_lr_pitfalls_slider_controls_every_regime(pitfalls, no_new_figures):
    set_and_check(pitfalls, "learning_rate", 0.002, pitfalls.run.curve, no_new_figures)
    assert pitfalls.ax_path.get_title() == "verdict: too small: far from minimum"
    pitfalls.controls["learning_rate"].value = 0.124
    assert pitfalls.ax_path.get_title() == "verdict: too large: oscillating"
    pitfalls.controls["learning_rate"].value = 0.2
    assert pitfalls.ax_path.get_title() == "verdict: diverged"
    assert "smaller learning rate" in pitfalls.message.value
    # A rate off the slider grid (set from code) is run on demand.
    pitfalls.controls["learning_rate"].value = 0.0777
    assert pitfalls.ax_path.get_title().startswith("verdict: good")
    assert pitfalls.ax_loss.get_ylim() == pytest.approx(pitfalls.loss_limits)  # the axis did not move


def test_verdict_rules_on_hand_made_paths():
    bowl = landscapes.bowl
    assert ld.verdict(np.zeros((3, 2)), np.zeros(3), 2, bowl)[0] == "diverged"
    # Still 90 % of the way from the minimum.
    slow = np.c_[np.linspace(2.0, 1.8, 11), np.zeros(11)]
    short, sentence = ld.verdict(slow, bowl(slow), -1, bowl)
    assert short == "too small: far from minimum" and "90%" in sentence
    # Halving the distance every step, no reversal: good.
    good = np.c_[2.0 * 0.5 ** np.arange(11), np.zeros(11)]
    assert ld.verdict(good, bowl(good), -1, bowl)[0] == "good"
    # Reversing every step with a factor -0.5: overshoots but converges.
    bouncing = np.c_[2.0 * (-0.5) ** np.arange(30), np.zeros(30)]
    assert ld.verdict(bouncing, bowl(bouncing), -1, bowl)[0] == "good, overshoots at first"
    # Factor -0.99: still reversing at the end.
    persistent = np.c_[2.0 * (-0.99) ** np.arange(30), np.zeros(30)]
    assert ld.verdict(persistent, bowl(persistent), -1, bowl)[0] == "too large: oscillating"


# --------------------------------------------------------------------------- saddle_escape


def gd_escape_step(x0, y0, lr, drop=ld.ESCAPE_DROP):
    """Gradient descent on x^2 - y^2 written out: x *= 1 - 2 lr, y *= 1 + 2 lr."""
    t = np.arange(200)
    loss = (x0 * (1 - 2 * lr) ** t) ** 2 - (y0 * (1 + 2 * lr) ** t) ** 2
    return int(np.argmax(loss <= -drop))


def test_saddle_escape_step_of_gradient_descent_matches_the_formula(saddle, no_new_figures):
    saddle.controls["landscape"].value = "saddle"
    saddle.controls["x0"].value = -1.5
    saddle.controls["y0"].value = 1e-3
    assert saddle.escape_texts["GD"].get_text() == f"GD: {gd_escape_step(-1.5, 1e-3, 0.05)}"
    before = data(saddle.runs["GD"].curve)
    saddle.controls["y0"].value = 1e-4
    assert not no_new_figures and changed(before, data(saddle.runs["GD"].curve))
    # Ten times closer to the ridge: ln(10) / ln(1.1) = 24 more steps, give or take one.
    assert saddle.escape_texts["GD"].get_text() == f"GD: {gd_escape_step(-1.5, 1e-4, 0.05)}"
    assert gd_escape_step(-1.5, 1e-4, 0.05) - gd_escape_step(-1.5, 1e-3, 0.05) in (23, 24, 25)
    # Adaptive methods barely care about the offset: they escape first.
    rms = int(saddle.escape_texts["RMSprop"].get_text().split(": ")[1])
    assert rms < gd_escape_step(-1.5, 1e-4, 0.05)
    # The distance curve is |p - saddle| of the plotted path.
    x, y = data(saddle.runs["GD"].path)
    _, distance = data(saddle.runs["GD"].curve)
    np.testing.assert_allclose(distance, np.hypot(x, y), rtol=1e-12)


def test_saddle_escape_x0_and_landscape_switch(saddle, no_new_figures):
    saddle.controls["landscape"].value = "saddle"
    set_and_check(saddle, "x0", -0.8, saddle.runs["Adam"].path, no_new_figures)
    (sx,), (sy,) = data(saddle.start_marker)
    assert sx == pytest.approx(-0.8) and sy == pytest.approx(saddle.controls["y0"].value)
    set_and_check(saddle, "landscape", "monkey_saddle", saddle.runs["Momentum"].path, no_new_figures)
    assert saddle.ax_path.get_xlim() == pytest.approx((-1.5, 1.5))
    assert saddle.controls["x0"].min == 0.0 and saddle.controls["x0"].value == pytest.approx(1.0)
    # On the monkey saddle gradient descent stalls (x shrinks like 1 / (3 lr t)) while
    # momentum coasts through the centre into the valley behind it.
    assert saddle.escape_texts["GD"].get_text() == "GD: > 100"
    assert "Still stuck" in saddle.message.value and "GD" in saddle.message.value
    x, _ = data(saddle.runs["Momentum"].path)
    assert x.min() < -1.5  # left the window on the far side
    saddle.controls["landscape"].value = "saddle"


def test_escape_steps_by_hand():
    assert ld.escape_steps(np.array([1.0, 0.0, -0.24, -0.25, -3.0]), 0.0) == 3
    assert ld.escape_steps(np.array([[1.0, 0.5], [0.7, -1.0]]), 0.5).tolist() == [-1, 1]


# --------------------------------------------------------------------------- plateau_crawl


def test_plateau_step_lengths_and_distance(plateau, no_new_figures):
    set_and_check(plateau, "learning_rate", 0.01, plateau.runs["GD"].curve, no_new_figures)
    # Gradient of 1 - exp(-r^2) is 2 exp(-r^2) (x, y): GD's first step is lr times its length.
    x0, y0 = landscapes.plateau.default_start
    r2 = x0**2 + y0**2
    first_step = 0.01 * 2 * math.exp(-r2) * math.sqrt(r2)
    steps, lengths = data(plateau.runs["GD"].curve)
    assert steps[0] == 1 and lengths[0] == pytest.approx(first_step, rel=1e-12)
    # Adam's first step (Keras form): lr sqrt(1 - b2) g / (sqrt(1 - b2) |g| + eps) per coordinate,
    # close to lr in each coordinate whatever the size of g.
    g = 2 * math.exp(-r2) * np.array([x0, y0])
    c = math.sqrt(1 - 0.999)
    adam_step = 0.01 * c * g / (c * np.abs(g) + 1e-7)
    _, adam_lengths = data(plateau.runs["Adam"].curve)
    assert adam_lengths[0] == pytest.approx(np.linalg.norm(adam_step), rel=1e-9)
    assert adam_lengths[0] > 100 * lengths[0]
    _, travelled = data(plateau.far_lines["GD"])
    np.testing.assert_allclose(travelled, np.cumsum(lengths), rtol=1e-12)
    assert "GD did not reach the well" in plateau.message.value


# --------------------------------------------------------------------------- ravine_momentum


def test_ravine_momentum_controls(ravine, no_new_figures):
    set_and_check(ravine, "learning_rate", 0.05, ravine.gd_run.path, no_new_figures)
    # Along the valley floor GD multiplies x by 1 - 0.2 lr each step (curvature 0.2).
    x, y = data(ravine.gd_run.path)
    x_start = landscapes.ravine.default_start[0]
    np.testing.assert_allclose(x, x_start * (1 - 0.2 * 0.05) ** np.arange(len(x)), rtol=1e-12)
    set_and_check(ravine, "momentum_learning_rate", 0.03, ravine.momentum_run.path, no_new_figures)
    set_and_check(ravine, "momentum", 0.5, ravine.momentum_run.curve, no_new_figures)
    set_and_check(ravine, "nesterov", True, ravine.momentum_run.path, no_new_figures)
    assert ravine.loss_legend.get_texts()[1].get_text() == "Nesterov"
    assert ravine.momentum_run.path.get_color() == style.color_of("Nesterov")
    ravine.controls["nesterov"].value = False


def test_ravine_momentum_bad_values_show_a_message(ravine):
    ravine.controls["nesterov"].value = True
    ravine.controls["momentum"].value = 0.0
    assert "Nesterov momentum needs" in ravine.message.value
    ravine.controls["momentum"].value = float("nan")
    assert "`momentum` must be a finite number" in ravine.message.value
    ravine.controls["nesterov"].value = False
    ravine.controls["momentum"].value = 0.9
    assert "Cannot" not in ravine.message.value


def test_ravine_nesterov_divergence_is_reported(ravine):
    ravine.controls["momentum"].value = 0.9
    ravine.controls["momentum_learning_rate"].value = 0.1
    ravine.controls["nesterov"].value = True
    assert "diverged at step" in ravine.message.value
    assert len(ravine.momentum_run.exit.get_xdata()) == 1  # the X is drawn
    ravine.controls["nesterov"].value = False
    ravine.controls["momentum_learning_rate"].value = 0.02


# --------------------------------------------------------------------------- optimizer_race


def test_race_step_slider_truncates_and_play_is_linked(race, no_new_figures):
    set_and_check(race, "step", 10, race.runs["Adam"].path, no_new_figures)
    assert len(race.runs["GD"].path.get_xdata()) == 11
    # GD on the bowl at lr 0.1: factor 0.8 a step, so the head is at 0.8^10 of the start.
    (hx,), (hy,) = data(race.runs["GD"].head)
    np.testing.assert_allclose([hx, hy], landscapes.bowl.default_start * 0.8**10, rtol=1e-12)
    assert list(race.now_line.get_xdata()) == [10, 10]
    race.controls["play"].value = 25
    assert race.controls["step"].value == 25
    assert len(race.runs["Lion"].curve.get_xdata()) == 26
    assert not race.runs["Nadam"].path.get_visible()  # not chosen


def test_race_landscape_start_and_selection(race, no_new_figures):
    race.controls["step"].value = 60
    set_and_check(race, "landscape", "himmelblau", race.runs["Adam"].path, no_new_figures)
    assert race.controls["x0"].value == pytest.approx(landscapes.himmelblau.default_start[0])
    assert race.ax_path.get_xlim() == pytest.approx((-5.0, 5.0))
    set_and_check(race, "x0", -2.0, race.runs["GD"].path, no_new_figures)
    assert race.runs["GD"].path.get_xdata()[0] == pytest.approx(-2.0)
    set_and_check(race, "optimizers", ("GD", "Nadam"), race.runs["Nadam"].path, no_new_figures)
    assert race.runs["Nadam"].path.get_visible() and not race.runs["Adam"].path.get_visible()
    labels = [t.get_text() for t in race.legend.get_texts()]
    assert labels == [f"GD (lr={ld.RACE_RATES['himmelblau']['GD']:g})",
                      f"Nadam (lr={ld.RACE_RATES['himmelblau']['Nadam']:g})"]
    race.controls["optimizers"].value = ()
    assert "Pick at least one optimizer" in race.message.value
    race.controls["optimizers"].value = ("GD", "Adam", "Lion")
    race.controls["landscape"].value = "saddle"  # no minimum: plain loss axis, no X marks
    assert race.ax_loss.get_yscale() == "linear"
    assert all(len(race.runs[n].exit.get_xdata()) == 0 for n in ("GD", "Adam", "Lion"))


def test_race_rates_cover_every_landscape_and_optimizer():
    assert set(ld.RACE_RATES) == set(landscapes.ALL)
    for rates in ld.RACE_RATES.values():
        assert set(rates) == set(ld.RACE_OPTIMIZERS)
        assert all(rate > 0 for rate in rates.values())


# --------------------------------------------------------------------------- gallery and arrows


def test_gallery_shows_minima_and_saddles(gallery, no_new_figures):
    set_and_check(gallery, "landscape", "himmelblau", gallery.view.minima, no_new_figures)
    assert len(gallery.view.minima.get_xdata()) == 4 and len(gallery.view.saddles.get_xdata()) == 4
    gallery.controls["landscape"].value = "rastrigin"  # 121 minima: only the global one is marked
    assert list(gallery.view.minima.get_xdata()) == pytest.approx([0.0])
    assert "egg-box" in gallery.figure.get_suptitle()
    gallery.controls["landscape"].value = "saddle"
    assert len(gallery.view.minima.get_xdata()) == 0 and len(gallery.view.saddles.get_xdata()) == 1


def test_gradient_arrows_step_and_line_search(arrows, no_new_figures):
    arrows.controls["landscape"].value = "ravine"
    arrows.controls["x0"].value, arrows.controls["y0"].value = -4.0, 1.0
    set_and_check(arrows, "learning_rate", 0.05, arrows.path.path, no_new_figures)
    # Gradient of (0.2 x^2 + 16 y^2) / 2 is (0.2 x, 16 y): one step maps (x, y) to
    # ((1 - 0.2 lr) x, (1 - 16 lr) y).
    x, y = data(arrows.path.path)
    assert (x[1], y[1]) == pytest.approx((-4.0 * (1 - 0.01), 1.0 * (1 - 0.8)))
    (lr,), (ratio,) = data(arrows.dot)
    loss = lambda p: 0.5 * (0.2 * p[0] ** 2 + 16 * p[1] ** 2)
    assert ratio == pytest.approx(loss((x[1], y[1])) / loss((-4.0, 1.0)))
    set_and_check(arrows, "steps", 12, arrows.path.path, no_new_figures)
    assert len(arrows.path.path.get_xdata()) == 13
    set_and_check(arrows, "landscape", "bowl", arrows.path.path, no_new_figures)
    assert arrows.controls["x0"].value == pytest.approx(landscapes.bowl.default_start[0])
    arrows.controls["x0"].value = float("nan")
    assert "Cannot show this setting" in arrows.message.value
    arrows.controls["x0"].value = 1.0
    assert "Cannot" not in arrows.message.value


# --------------------------------------------------------------------------- drawing helpers


def test_exit_point_by_hand():
    box = ((-1.0, 1.0), (-2.0, 2.0))
    assert exit_point(np.array([[0.0, 0.0], [0.5, 1.0]]), box) is None
    np.testing.assert_allclose(exit_point(np.array([[0.0, 0.0], [2.0, 1.0]]), box), [1.0, 0.5])
    np.testing.assert_allclose(exit_point(np.array([[0.0, 0.0], [0.0, -4.0]]), box), [0.0, -2.0])
    np.testing.assert_allclose(exit_point(np.array([[0.0, 0.0], [0.5, 0.0], [np.nan, np.nan]]), box), [0.5, 0.0])


@settings(max_examples=50, deadline=None)
@given(st.tuples(st.floats(-0.99, 0.99), st.floats(-1.99, 1.99)),
       st.tuples(st.floats(-50, 50), st.floats(-50, 50)))
def test_exit_point_lies_on_the_edge_and_on_the_segment(a, b):
    box = ((-1.0, 1.0), (-2.0, 2.0))
    a, b = np.array(a), np.array(b)
    where = exit_point(np.array([a, b]), box)
    if inside(b, box):
        assert where is None
        return
    on_edge = np.isclose(abs(where[0]), 1.0) or np.isclose(abs(where[1]), 2.0)
    assert on_edge and inside(where, ((-1 - 1e-9, 1 + 1e-9), (-2 - 1e-9, 2 + 1e-9)))
    # where = a + s (b - a) for one s in [0, 1]
    d = b - a
    s = np.dot(where - a, d) / np.dot(d, d)
    assert -1e-9 <= s <= 1 + 1e-9
    np.testing.assert_allclose(where, a + s * d, atol=1e-9)


def test_precomputed_runs_are_deterministic():
    rates = [0.01, 0.1, 0.2]
    first = ld._SweepCache(opt.Adam(), landscapes.saddle, (-1.5, 1e-3), 40, rates)
    second = ld._SweepCache(opt.Adam(), landscapes.saddle, (-1.5, 1e-3), 40, rates)
    for lr in rates + [0.05]:  # 0.05 is off the grid: run on demand
        for a, b in zip(first.get(lr), second.get(lr)):
            np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("function", [ld.verdict, ld.escape_steps, exit_point])
def test_docstring_examples_of_the_helpers(function):
    # (The app builders' examples build whole apps; they are run by hand, not here.)
    import doctest
    import sys

    module = sys.modules[function.__module__]
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for test in doctest.DocTestFinder().find(function, globs=dict(vars(module))):
        runner.run(test)
    assert runner.failures == 0 and runner.tries > 0
