"""Interactive figures of optimizers walking on 2-D loss landscapes.

Each public function builds one app for a lesson and returns it; a notebook shows it
with ``app = lr_pitfalls(); app``. Every app precomputes the runs its sliders can ask
for (one vectorised :func:`optimizers.trajectory.sweep` or :func:`~optimizers.trajectory.run`
per optimizer), so moving a slider only looks results up and moves lines.

- :func:`landscape_gallery` (lesson 02): the ten landscapes, their minima and saddles.
- :func:`lr_pitfalls` (lesson 03): too small, good, too large and divergent learning rates.
- :func:`gradient_arrows` (lesson 03): the gradient field and what one step does.
- :func:`ravine_momentum` (lesson 05): zig-zag of gradient descent vs momentum and Nesterov.
- :func:`saddle_escape` (lesson 09): how long each optimizer is stuck near a saddle point.
- :func:`plateau_crawl` (lesson 09): step lengths on a nearly flat table.
- :func:`optimizer_race` (lesson 08): many optimizers on one landscape, step by step.
"""

from __future__ import annotations

import numbers
import textwrap

import ipywidgets as widgets
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from .. import landscapes as _landscapes
from .. import trajectory
from ..adabelief import AdaBelief
from ..adadelta import Adadelta
from ..adagrad import Adagrad
from ..adam import Adam, AdamW
from ..lion import Lion
from ..lookahead import Lookahead
from ..nadam import Nadam
from ..radam import RAdam
from ..rmsprop import RMSprop
from ..sgd import SGD
from . import style
from ._app import App
from ._landscape_plot import LandscapeView, RunArtists, inside, style_axes

__all__ = [
    "lr_pitfalls",
    "saddle_escape",
    "plateau_crawl",
    "ravine_momentum",
    "optimizer_race",
    "landscape_gallery",
    "gradient_arrows",
    "verdict",
    "escape_steps",
]


# ---------------------------------------------------------------------------
# Argument checks and small shared pieces
# ---------------------------------------------------------------------------


def _landscape(value, allowed=None):
    """A landscape from its name (or the object itself), checked against ``allowed`` names."""
    names = sorted(_landscapes.ALL) if allowed is None else list(allowed)
    if isinstance(value, _landscapes.Landscape):
        value = value.name
    if not isinstance(value, str):
        raise TypeError(f"`landscape` must be a landscape name such as {names[0]!r}, got {value!r}.")
    if value not in names:
        raise ValueError(f"`landscape` must be one of {names}, got {value!r}.")
    return _landscapes.ALL[value]


def _count(name: str, value, minimum: int = 1, maximum: int = 2000) -> int:
    """An integer in [minimum, maximum] (steps), or a ValueError/TypeError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"`{name}` must be a whole number, got {value!r}.")
    if not minimum <= value <= maximum:
        raise ValueError(f"`{name}` must be between {minimum} and {maximum}, got {value}.")
    return int(value)


def _finite(name: str, value) -> float:
    """A finite real number (a control value), or a ValueError/TypeError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"`{name}` must be a number, got {value!r}.")
    if not np.isfinite(value):
        raise ValueError(f"`{name}` must be a finite number, got {value!r}.")
    return float(value)


def _log_grid(low: float, high: float, per_decade: int = 50):
    """Exponents and values of a log slider from ``low`` to ``high`` (values in the grid).

    Returns ``(min_exponent, max_exponent, step, values)`` for an ``ipywidgets.FloatLogSlider``
    whose every position is one of ``values``.
    """
    step = 1.0 / per_decade
    first = np.floor(np.log10(low) * per_decade) / per_decade
    last = np.ceil(np.log10(high) * per_decade) / per_decade
    exponents = first + step * np.arange(int(round((last - first) / step)) + 1)
    return float(first), float(exponents[-1]), step, 10.0**exponents


class _SweepCache:
    """Runs of one optimizer for every learning rate a slider can show, done in one sweep.

    ``get(lr)`` returns ``(points, losses, diverged_at)`` for the grid rate closest to
    ``lr`` when they agree to 1e-9 (a slider position); any other rate is run on demand
    and remembered.
    """

    def __init__(self, optimizer, landscape, start, steps, rates):
        self.optimizer, self.landscape, self.start, self.steps = optimizer, landscape, start, steps
        self.rates = np.asarray(rates, dtype=float)
        result = trajectory.sweep(optimizer, self.rates, landscape, start, steps)
        self._points = result.points  # (steps + 1, n, 2)
        self._losses = result.losses
        self._diverged_at = result.diverged_at
        self._extra: dict[float, tuple] = {}

    def get(self, lr: float):
        i = int(np.argmin(np.abs(np.log(self.rates) - np.log(lr)))) if lr > 0 else 0
        if abs(self.rates[i] - lr) <= 1e-9 * lr:
            return self._points[:, i], self._losses[:, i], int(self._diverged_at[i])
        if lr not in self._extra:
            one = trajectory.sweep(self.optimizer, [lr], self.landscape, self.start, self.steps)
            self._extra[lr] = (one.points[:, 0], one.losses[:, 0], int(one.diverged_at[0]))
        return self._extra[lr]


def _gap(landscape, losses):
    """Loss above the lowest value (so a log axis works), NaN where not positive."""
    low = landscape.global_min_value
    gap = losses - (low if np.isfinite(low) and abs(low) > 1e-12 else 0.0)
    return np.where(gap > 0, gap, np.nan)


def _loss_label(landscape) -> str:
    low = landscape.global_min_value
    return "loss − lowest loss" if np.isfinite(low) and abs(low) > 1e-12 else "loss"


def _start_marker(ax, start, **kwargs):
    """A white circle at the start point (label "start")."""
    (marker,) = ax.plot([start[0]], [start[1]], marker="o", markersize=7, markerfacecolor="white",
                        markeredgecolor=style.BLACK, markeredgewidth=1.2, linestyle="none",
                        label="start", zorder=4, **kwargs)
    return marker


# ---------------------------------------------------------------------------
# Learning-rate pitfalls
# ---------------------------------------------------------------------------

#: Four reference learning rates per landscape, chosen by running gradient descent for
#: 150 steps from the landscape's default start: clearly too small, a good one, one
#: just below the divergence threshold (it oscillates) and one just above it.
#: (Rosenbrock is left out: no rate makes plain gradient descent look "good" there
#: within 150 steps, which is the race's lesson, not this one's.)
REFERENCE_RATES = {
    "ravine": {"too small": 0.002, "good": 0.1, "too large": 0.124, "divergent": 0.135},
    "bowl": {"too small": 0.004, "good": 0.25, "too large": 0.98, "divergent": 1.05},
    "himmelblau": {"too small": 0.0003, "good": 0.015, "too large": 0.03, "divergent": 0.05},
}


def verdict(points, losses, diverged_at, landscape) -> tuple[str, str]:
    """Describe a gradient-descent run in words: ``(short verdict, a sentence with numbers)``.

    The rules, in order:

    - it diverged -> ``"diverged"``;
    - in the last third of the run more than half of the steps reverse the previous
      step's direction (cosine < 0) and the steps are not negligibly small
      -> ``"too large: oscillating"``;
    - it is still more than 20 % of its start distance away from the nearest known
      minimum -> ``"too small: far from minimum"``;
    - otherwise ``"good"`` (``"good, overshoots at first"`` when more than half of its
      first ten steps reversed direction).

    Args:
        points: ``(T + 1, 2)`` path; losses: ``(T + 1,)``; diverged_at: step or -1.
        landscape: the landscape (for its minima and its window).

    >>> from optimizers.landscapes import bowl
    >>> path = np.array([[1.0, 0.0], [-0.9, 0.0], [0.81, 0.0], [-0.73, 0.0]])
    >>> verdict(path, bowl(path), -1, bowl)
    ('too large: oscillating', 'Loss 0.533 after 3 steps, still zig-zagging across the minimum.')
    """
    steps = len(points) - 1
    if diverged_at >= 0:
        return "diverged", (f"It left the picture at step {diverged_at}: every step overshoots "
                            "further than the last. Try a smaller learning rate.")
    d = np.diff(points, axis=0)
    length = np.linalg.norm(d, axis=1)
    (x0, x1), (y0, y1) = landscape.bounds
    tiny = 1e-6 * np.hypot(x1 - x0, y1 - y0)
    with np.errstate(invalid="ignore", divide="ignore"):
        cosine = np.sum(d[1:] * d[:-1], axis=1) / (length[1:] * length[:-1])
    moving = (length[1:] > tiny) & (length[:-1] > tiny)
    reverses = moving & (cosine < 0)
    late = slice(2 * len(reverses) // 3, None)
    loss = f"Loss {losses[-1]:.3g} after {steps} steps"
    if np.count_nonzero(moving[late]) and np.mean(reverses[late]) > 0.5:
        return "too large: oscillating", f"{loss}, still zig-zagging across the minimum."
    minima = np.asarray(landscape.minima)
    if len(minima):
        nearest = minima[np.argmin(np.linalg.norm(minima - points[-1], axis=1))]
        left = np.linalg.norm(points[-1] - nearest) / max(np.linalg.norm(points[0] - nearest), 1e-300)
        if left > 0.2:
            return "too small: far from minimum", f"{loss}, {left:.0%} of the way still to go."
    if np.mean(reverses[:10]) > 0.5:
        return "good, overshoots at first", f"{loss}, after a few overshoots."
    return "good", f"{loss}."


class LrPitfalls(App):
    """Gradient descent with one learning rate you choose, beside four reference rates.

    Teaches: the learning rate is the size of the step along the negative gradient.
    Too small crawls; a good one gets there; a bit too large overshoots the valley
    floor at every step and oscillates; past a threshold (2 / curvature) every step
    overshoots more than the last and the run diverges.

    Left: the path of gradient descent at the slider's rate on the landscape (dots are
    the iterates; an X marks where a diverging run left the picture). Right: its loss
    per step (log scale, black) beside the four reference runs (faint colours).
    The title gives the verdict.

    Controls:
        learning_rate: the step size of gradient descent (log scale).
    """

    def __init__(self, landscape, steps: int, learning_rate: float | None):
        super().__init__()
        self.landscape, self.steps = landscape, steps
        self.start = np.array(landscape.default_start)
        references = REFERENCE_RATES[landscape.name]
        (x0, x1), (y0, y1) = landscape.bounds
        wide = (x1 - x0) / (y1 - y0)
        ax_path, ax_loss = self.figure.subplots(1, 2, gridspec_kw=dict(width_ratios=[min(wide, 1.6), 1]))
        self.ax_path, self.ax_loss = ax_path, ax_loss
        LandscapeView(ax_path, landscape)
        _start_marker(ax_path, self.start)
        style_axes(ax_loss, xlabel="step", ylabel=_loss_label(landscape), log=True,
                   title="loss per step")
        # The four reference runs: one vectorised sweep, drawn once (static, faint).
        rates = list(references.values())
        ref = trajectory.sweep(SGD(), rates, landscape, self.start, steps)
        loss0 = float(_gap(landscape, ref.losses[:1, 0])[0])
        self.loss_limits = (loss0 * 1e-6, loss0 * 1e3)
        for i, (kind, lr) in enumerate(references.items()):
            gap = np.clip(_gap(landscape, ref.losses[:, i]), None, self.loss_limits[1] / 2)
            end = ref.diverged_at[i] if ref.diverged[i] else steps + 1
            ax_loss.plot(np.arange(end), gap[:end], color=style.SEQUENCE[i], lw=1.3, alpha=0.6,
                         label=f"{kind} (lr={lr:g})")
            if ref.diverged[i]:
                ax_loss.plot([end - 1], [gap[end - 1]], color=style.SEQUENCE[i], alpha=0.6,
                             **style.DIVERGED_MARKER)
        # Every rate the slider can show, in one sweep.
        first, last, step, grid = _log_grid(rates[0] / 3, rates[-1] * 3)
        self.cache = _SweepCache(SGD(), landscape, self.start, steps, grid)
        self.run = RunArtists(ax_path, ax_loss, style.color_of("GD"), "your lr", linewidth=1.8, zorder=5)
        ax_loss.set_xlim(0, steps)
        ax_loss.set_ylim(*self.loss_limits)
        ax_loss.legend(loc="lower left", fontsize=8, framealpha=0.9)
        ax_path.set_title(" ", fontsize=10)  # space for the verdict
        self.animate(*self.run.artists())
        self.animate_text(ax_path.title)
        default = references["good"] if learning_rate is None else learning_rate
        self.add_control("learning_rate", widgets.FloatLogSlider(
            value=default, base=10, min=first, max=last, step=step, readout_format=".3g",
            description="learning rate", continuous_update=True,
            style={"description_width": "initial"}, layout=widgets.Layout(width="420px")))
        self.refresh()

    def update(self) -> None:
        lr = _finite("learning_rate", self.controls["learning_rate"].value)
        if lr <= 0:
            raise ValueError(f"`learning_rate` must be > 0 (with {lr:g} gradient descent never moves).")
        points, losses, diverged_at = self.cache.get(lr)
        gap = np.clip(_gap(self.landscape, losses), None, self.loss_limits[1] / 2)
        self.run.show(points, gap, bounds=self.landscape.bounds, diverged_at=diverged_at)
        short, detail = verdict(points, losses, diverged_at, self.landscape)
        # The title is redrawn every frame, and text is the slowest thing to draw: keep it short.
        self.ax_path.set_title(f"verdict: {short}", fontsize=10)
        self.warn(f"Gradient descent with lr = {lr:.3g}. {detail}")


def lr_pitfalls(landscape: str = "ravine", steps: int = 150, learning_rate: float | None = None) -> LrPitfalls:
    """Learning-rate pitfalls: one slider from far too small to divergent (lesson 03).

    Shows gradient descent's path and loss curve at the slider's learning rate, the
    loss curves of four reference rates (too small, good, too large, divergent) and a
    verdict in words. On the default ``"ravine"`` the steep direction sets the largest
    stable rate (2 / 16 = 0.125) while the flat direction makes even that rate slow.

    Args:
        landscape: one of ``"ravine"``, ``"bowl"``, ``"himmelblau"``.
        steps: gradient-descent steps per run (1 to 2000, default 150).
        learning_rate: the slider's first value (default: the landscape's good rate).

    >>> app = lr_pitfalls()
    >>> app.controls["learning_rate"].value = 0.2
    >>> app.ax_path.get_title()
    'verdict: diverged'
    """
    landscape = _landscape(landscape, REFERENCE_RATES)
    steps = _count("steps", steps)
    if learning_rate is not None and not _finite("learning_rate", learning_rate) > 0:
        raise ValueError(f"`learning_rate` must be > 0, got {learning_rate!r}.")
    return LrPitfalls(landscape, steps, learning_rate)


# ---------------------------------------------------------------------------
# Saddle escape
# ---------------------------------------------------------------------------

#: How far below the saddle's value a run's loss must fall to count as escaped.
ESCAPE_DROP = 0.25

#: Per saddle landscape: the x0 slider's range and default, and the default y0.
_SADDLE_STARTS = {
    "saddle": dict(x_min=-1.8, x_max=0.0, x=-1.5),
    "monkey_saddle": dict(x_min=0.0, x_max=1.4, x=1.0),
}


def _saddle_optimizers(learning_rate: float):
    """The four contenders of :func:`saddle_escape`, all at the same learning rate."""
    return {
        "GD": SGD(learning_rate),
        "Momentum": SGD(learning_rate, momentum=0.9),
        "RMSprop": RMSprop(learning_rate),
        "Adam": Adam(learning_rate),
    }


def escape_steps(losses, saddle_value: float, drop: float = ESCAPE_DROP):
    """First step at which each run's loss is ``drop`` below the saddle's value (-1: never).

    ``losses`` is ``(T + 1,)`` or ``(T + 1, n)``. Falling below the saddle's own height
    means the run has left the saddle region downhill, whatever direction it took.

    >>> escape_steps(np.array([1.0, 0.1, -0.1, -0.3, -2.0]), 0.0)
    3
    >>> escape_steps(np.array([[1.0, 1.0], [0.0, -1.0]]), 0.0).tolist()
    [-1, 1]
    """
    below = np.asarray(losses) <= saddle_value - drop
    first = np.where(below.any(axis=0), below.argmax(axis=0), -1)
    return int(first) if np.ndim(first) == 0 else first


class SaddleEscape(App):
    """Gradient descent, momentum, RMSprop and Adam starting next to a saddle point.

    Teaches: at a saddle the gradient vanishes, so gradient descent slows to a crawl
    and leaves only as fast as the tiny offset ``y0`` from the ridge grows; the
    time it is stuck grows like ``log(1 / y0)``. Momentum builds up speed (on the monkey
    saddle it even coasts straight through); RMSprop and Adam divide the gradient by its
    own running size, so even a tiny slope gives a full-sized step and they leave almost
    at once.

    Left: the paths (the diamond is the saddle point). Right: each run's distance from
    the saddle per step (log scale): down while it approaches, a trough while it is
    stuck, then a straight rise as it escapes. The numbers give each optimizer's escape
    step: the first step at which its loss is 0.25 below the saddle's value.

    Controls:
        landscape: ``saddle`` (x^2 - y^2) or ``monkey_saddle`` (x^3 - 3xy^2).
        x0: where the start lies along the ridge (its distance from the saddle).
        y0: the start's small offset from the ridge (log scale); 0 would never escape.
    """

    def __init__(self, landscape, steps: int, learning_rate: float, y0: float):
        super().__init__()
        self.steps, self.learning_rate = steps, learning_rate
        ax_path, ax_dist = self.figure.subplots(1, 2, gridspec_kw=dict(width_ratios=[1, 1.15]))
        self.ax_path, self.ax_dist = ax_path, ax_dist
        self.view = LandscapeView(ax_path, landscape)
        ax_path.set_title("paths near the saddle point", fontsize=10)
        style_axes(ax_dist, xlabel="step", ylabel="distance from the saddle", log=True,
                   title=f"distance from the saddle point (all at lr = {learning_rate:g})")
        ax_dist.set_xlim(0, steps)
        self.optimizers = _saddle_optimizers(learning_rate)
        self.runs = {}
        self.escape_dots = {}
        self.escape_texts = {}
        for i, (name, optimizer) in enumerate(self.optimizers.items()):
            color = style.color_of(name)
            run = RunArtists(ax_path, ax_dist, color, name, markers=False, linewidth=1.7, zorder=3 + 0.1 * i)
            (dot,) = ax_dist.plot([], [], "o", color=color, markersize=6, markeredgecolor="white", zorder=6)
            self.runs[name], self.escape_dots[name] = run, dot
            self.animate(*run.artists(), dot)
        # The escape steps, one coloured line each in the map's lower-left corner. (Plain
        # texts: a legend would be neater but costs several times more to redraw.)
        # Opaque boxes: then each label can be pasted back as a picture (App.animate_text).
        label = dict(xy=(0, 0), xycoords="axes fraction", textcoords="offset points", fontsize=8,
                     zorder=6, bbox=dict(boxstyle="square,pad=0.25", facecolor="white", edgecolor="none"))
        ax_path.annotate("escape step", xytext=(5, 6 + 12 * len(self.optimizers)), fontweight="bold", **label)
        for i, name in enumerate(self.optimizers):
            self.escape_texts[name] = ax_path.annotate(
                "", xytext=(5, 6 + 12 * (len(self.optimizers) - 1 - i)), color=style.color_of(name), **label)
        self.animate_text(*self.escape_texts.values())
        self.start_marker = self.animate(_start_marker(ax_path, (0.0, 0.0)))
        ax_dist.legend(loc="lower right", fontsize=8, framealpha=0.9)
        self._grids: dict[str, dict] = {}
        self.y_min, self.y_max, self.y_step = -4.0, -0.3, 0.1  # log10 range of the y0 slider
        start = _SADDLE_STARTS[landscape.name]
        self.add_control("landscape", widgets.Dropdown(options=list(_SADDLE_STARTS), value=landscape.name,
                                                       description="landscape"))
        self.add_control("x0", widgets.FloatSlider(value=start["x"], min=start["x_min"], max=start["x_max"],
                                                   step=0.1, description="start x0", readout_format=".1f"))
        self.add_control("y0", widgets.FloatLogSlider(value=y0, base=10, min=self.y_min, max=self.y_max,
                                                      step=self.y_step, description="start y0",
                                                      readout_format=".1e"))
        self.refresh()

    def _grid(self, landscape) -> dict:
        """All runs for every (x0, y0) slider position of ``landscape``: one run per optimizer."""
        if landscape.name not in self._grids:
            limits = _SADDLE_STARTS[landscape.name]
            xs = np.round(np.arange(limits["x_min"], limits["x_max"] + 1e-9, 0.1), 10)
            exponents = np.arange(self.y_min, self.y_max + 1e-9, self.y_step)
            ys = 10.0**exponents
            X, Y = np.meshgrid(xs, ys, indexing="ij")
            starts = np.stack([X.ravel(), Y.ravel()], axis=-1)
            runs = {name: trajectory.run(optimizer, landscape, starts, self.steps)
                    for name, optimizer in self.optimizers.items()}
            # One fixed distance axis for the whole grid, in whole decades.
            saddle = np.asarray(landscape.saddles[0])
            distances = np.concatenate([np.linalg.norm(r.points - saddle, axis=-1).ravel()
                                        for r in runs.values()])
            low = 10.0 ** np.floor(np.log10(max(distances.min(), 1e-12)))
            high = 10.0 ** np.ceil(np.log10(min(distances.max(), 30.0)))
            self._grids[landscape.name] = dict(xs=xs, exponents=exponents, runs=runs,
                                               distance_range=(low, high))
        return self._grids[landscape.name]

    def _lookup(self, landscape, x0: float, y0: float):
        """``{name: (points, losses, diverged_at)}`` for the start (x0, y0)."""
        grid = self._grid(landscape)
        i = int(np.argmin(np.abs(grid["xs"] - x0)))
        j = int(np.argmin(np.abs(grid["exponents"] - np.log10(y0))))
        if abs(grid["xs"][i] - x0) < 1e-6 and abs(grid["exponents"][j] - np.log10(y0)) < 1e-6:
            k = i * len(grid["exponents"]) + j
            return {name: (r.points[:, k], r.losses[:, k], int(r.diverged_at[k]))
                    for name, r in grid["runs"].items()}
        start = np.array([x0, y0])  # off the slider grid (set from code): run it now
        result = {}
        for name, optimizer in self.optimizers.items():
            r = trajectory.run(optimizer, landscape, start, self.steps)
            result[name] = (r.points, r.losses, int(r.diverged_at))
        return result

    def update(self) -> None:
        name = self.controls["landscape"].value
        landscape = _landscape(name, _SADDLE_STARTS)
        if landscape is not self.view.landscape:
            limits = _SADDLE_STARTS[name]
            with self.quiet():  # a new x0 range; refresh once, below
                x0 = self.controls["x0"]
                x0.min, x0.max = -10.0, 10.0
                x0.min, x0.max, x0.value = limits["x_min"], limits["x_max"], limits["x"]
            self.view.show(landscape)
        grid = self._grid(landscape)
        self.ax_dist.set_ylim(*grid["distance_range"])
        x0 = _finite("x0", self.controls["x0"].value)
        y0 = _finite("y0", self.controls["y0"].value)
        if y0 <= 0:
            raise ValueError(f"`y0` must be > 0: at y0 = {y0:g} the start is on the ridge and no "
                             "gradient ever pushes it off.")
        saddle = np.asarray(landscape.saddles[0])
        saddle_value = float(landscape(saddle))
        self.start_marker.set_data([x0], [y0])
        notes = []
        for name, (points, losses, diverged_at) in self._lookup(landscape, x0, y0).items():
            distance = np.linalg.norm(points - saddle, axis=-1)
            # Leaving the window is the goal here (no minimum to find): no "diverged" X.
            self.runs[name].show(points, distance, bounds=landscape.bounds, diverged_at=diverged_at,
                                 mark=False)
            step = escape_steps(losses, saddle_value)
            if step >= 0:
                self.escape_dots[name].set_data([step], [distance[step]])
                self.escape_texts[name].set_text(f"{name}: {step}")
            else:
                self.escape_dots[name].set_data([], [])
                self.escape_texts[name].set_text(f"{name}: > {self.steps}")
                notes.append(name)
        if notes:
            self.warn(f"Still stuck after {self.steps} steps: {', '.join(notes)}.")
        else:
            self.warn("")


def saddle_escape(landscape: str = "saddle", steps: int = 100, learning_rate: float = 0.05,
                  y0: float = 1e-3) -> SaddleEscape:
    """Saddle point escape: GD vs momentum vs RMSprop vs Adam (lessons 09 and 02).

    Every optimizer uses the same learning rate and starts at ``(x0, y0)``: ``x0``
    along the ridge that leads into the saddle, ``y0`` a small offset off it. All runs
    for every slider position are computed when the app is built (one vectorised run
    per optimizer), so the sliders respond at once.

    Args:
        landscape: ``"saddle"`` or ``"monkey_saddle"``.
        steps: steps per run (1 to 2000, default 100).
        learning_rate: shared by the four optimizers (> 0, default 0.05).
        y0: first value of the offset slider (1e-4 to 0.5).

    >>> app = saddle_escape()
    >>> app.escape_texts["GD"].get_text(), app.escape_texts["RMSprop"].get_text()
    ('GD: 66', 'RMSprop: 8')
    """
    landscape = _landscape(landscape, _SADDLE_STARTS)
    steps = _count("steps", steps)
    learning_rate = _finite("learning_rate", learning_rate)
    if learning_rate <= 0:
        raise ValueError(f"`learning_rate` must be > 0, got {learning_rate:g}.")
    y0 = _finite("y0", y0)
    if not 1e-4 <= y0 <= 0.5:
        raise ValueError(f"`y0` must be between 1e-4 and 0.5, got {y0:g}.")
    return SaddleEscape(landscape, steps, learning_rate, y0)


# ---------------------------------------------------------------------------
# Plateau crawl
# ---------------------------------------------------------------------------


def _plateau_optimizers():
    """Gradient descent, momentum and Adam, learning rate set later (one sweep each)."""
    return {"GD": SGD(), "Momentum": SGD(momentum=0.9), "Adam": Adam()}


class PlateauCrawl(App):
    """Gradient descent, momentum and Adam crossing a nearly flat table to a narrow well.

    Teaches: where the loss is almost flat the gradient is tiny, and gradient descent's
    step is the learning rate times the gradient, so it crawls. Momentum adds up many
    small pushes in the same direction and speeds up. Adam divides the gradient by its
    running size, so its step stays close to the learning rate however flat the ground.
    The same learning rate therefore means very different steps for the three.

    Left: the paths (the well is at the star). Middle: length of each step (log scale).
    Right: total distance travelled so far (log scale).

    Controls:
        learning_rate: shared by the three optimizers (log scale).
    """

    def __init__(self, steps: int, learning_rate: float):
        super().__init__(figsize=(10.0, 3.6))
        landscape = _landscapes.plateau
        self.landscape, self.steps = landscape, steps
        start = np.array(landscape.default_start)
        ax_path, ax_step, ax_far = self.figure.subplots(1, 3, gridspec_kw=dict(width_ratios=[1.05, 1, 1]))
        self.ax_path, self.ax_step, self.ax_far = ax_path, ax_step, ax_far
        LandscapeView(ax_path, landscape)
        _start_marker(ax_path, start)
        ax_path.set_title("paths on the plateau", fontsize=10)
        style_axes(ax_step, xlabel="step", ylabel="step length", log=True, title="length of each step")
        style_axes(ax_far, xlabel="step", ylabel="distance travelled", log=True,
                   title="distance travelled so far")
        first, last, step, grid = _log_grid(1e-3, 1.0, per_decade=25)
        self.caches = {name: _SweepCache(optimizer, landscape, start, steps, grid)
                       for name, optimizer in _plateau_optimizers().items()}
        self.runs, self.far_lines = {}, {}
        for name in self.caches:
            color = style.color_of(name)
            self.runs[name] = RunArtists(ax_path, ax_step, color, name, markers=True, linewidth=1.5)
            (self.far_lines[name],) = ax_far.plot([], [], color=color, linewidth=1.5, label=name)
            self.animate(*self.runs[name].artists(), self.far_lines[name])
        for ax, limits in ((ax_step, (1e-6, 10.0)), (ax_far, (1e-4, 1e3))):
            ax.set_xlim(0, steps)
            ax.set_ylim(*limits)
        ax_far.legend(loc="lower right", fontsize=8, framealpha=0.9)
        self.add_control("learning_rate", widgets.FloatLogSlider(
            value=learning_rate, base=10, min=first, max=last, step=step, readout_format=".3g",
            description="learning rate", style={"description_width": "initial"},
            layout=widgets.Layout(width="420px")))
        self.refresh()

    def update(self) -> None:
        lr = _finite("learning_rate", self.controls["learning_rate"].value)
        if lr <= 0:
            raise ValueError(f"`learning_rate` must be > 0 (with {lr:g} nothing moves).")
        summary = []
        for name, cache in self.caches.items():
            points, losses, diverged_at = cache.get(lr)
            end = diverged_at if diverged_at >= 0 else len(points)
            lengths = np.linalg.norm(np.diff(points[:end], axis=0), axis=-1)
            # Step t's length is plotted at step t (1-based), the first point is step 0.
            steps_axis = np.arange(1, len(lengths) + 1)
            self.runs[name].show(points, None, bounds=self.landscape.bounds, diverged_at=diverged_at)
            self.runs[name].curve.set_data(steps_axis, np.where(lengths > 0, lengths, np.nan))
            self.far_lines[name].set_data(steps_axis, np.cumsum(lengths))
            reached = np.flatnonzero(losses[:end] < 0.5)
            if diverged_at >= 0:
                summary.append(f"{name} diverged at step {diverged_at}")
            elif len(reached):
                summary.append(f"{name} reached the well (loss < 0.5) at step {reached[0]}")
            else:
                summary.append(f"{name} did not reach the well in {self.steps} steps")
        self.warn(f"lr = {lr:.3g}: " + "; ".join(summary) + ".")


def plateau_crawl(steps: int = 150, learning_rate: float = 0.1) -> PlateauCrawl:
    """Plateau crawl: GD vs momentum vs Adam on a nearly flat region (lesson 09).

    On the ``plateau`` landscape (loss ``1 - exp(-(x^2 + y^2))``) from its default start,
    where the slope is only about 0.006. Every learning rate the slider can show is
    computed when the app is built (one vectorised sweep per optimizer).

    Args:
        steps: steps per run (1 to 2000, default 150).
        learning_rate: the slider's first value (1e-3 to 1, default 0.1).

    >>> app = plateau_crawl()
    >>> sorted(app.runs)
    ['Adam', 'GD', 'Momentum']
    """
    steps = _count("steps", steps)
    learning_rate = _finite("learning_rate", learning_rate)
    if not 1e-3 <= learning_rate <= 1.0:
        raise ValueError(f"`learning_rate` must be between 0.001 and 1, got {learning_rate:g}.")
    return PlateauCrawl(steps, learning_rate)


# ---------------------------------------------------------------------------
# Ravine: gradient descent vs momentum
# ---------------------------------------------------------------------------


class RavineMomentum(App):
    """Gradient descent against momentum (or Nesterov momentum) in a narrow valley.

    Teaches: in a ravine the gradient points mostly across the valley. Gradient descent
    with a rate large enough to make progress along the floor zig-zags from wall to
    wall and still crawls along it. Momentum adds up the steps: the pushes along the
    valley all point the same way and build up speed, the pushes across it alternate
    and partly cancel. Because momentum multiplies the step on a steady slope by
    ``1 / (1 - momentum)``, it needs a smaller learning rate: at the same rate as
    gradient descent it swings across the valley even more (try it), at a smaller one
    it glides down the valley in smooth waves and arrives long before. Nesterov
    momentum is steadier at moderate rates but becomes unstable at smaller rates.

    Left: both paths. Right: both loss curves (log scale).

    Controls:
        learning_rate: gradient descent's learning rate (log scale).
        momentum_learning_rate: the learning rate of the run with momentum (log scale).
        momentum: the momentum coefficient (0 is plain gradient descent).
        nesterov: use Nesterov's look-ahead form of momentum.
    """

    def __init__(self, steps: int, learning_rate: float, momentum_learning_rate: float, momentum: float,
                 nesterov: bool):
        super().__init__()
        landscape = _landscapes.ravine
        self.landscape, self.steps = landscape, steps
        self.start = np.array(landscape.default_start)
        ax_path, ax_loss = self.figure.subplots(1, 2, gridspec_kw=dict(width_ratios=[1.6, 1]))
        self.ax_path, self.ax_loss = ax_path, ax_loss
        LandscapeView(ax_path, landscape)
        _start_marker(ax_path, self.start)
        ax_path.set_title("paths in the ravine", fontsize=10)
        style_axes(ax_loss, xlabel="step", ylabel="loss", log=True, title="loss per step")
        self.first, self.last, self.step, self.grid = _log_grid(1e-3, 0.2, per_decade=25)
        self.gd = _SweepCache(SGD(), landscape, self.start, steps, self.grid)
        self._momentum_caches: dict[tuple, _SweepCache] = {}
        self.gd_run = RunArtists(ax_path, ax_loss, style.color_of("GD"), "gradient descent", linewidth=1.4)
        self.momentum_run = RunArtists(ax_path, ax_loss, style.color_of("Momentum"), "momentum",
                                       linewidth=1.8, zorder=4)
        self.animate(*self.gd_run.artists(), *self.momentum_run.artists())
        loss0 = float(landscape(self.start))
        ax_loss.set_xlim(0, steps)
        ax_loss.set_ylim(loss0 * 1e-12, loss0 * 1e3)
        self.loss_legend = ax_loss.legend(loc="lower left", fontsize=8, framealpha=0.9)
        rate = dict(base=10, min=self.first, max=self.last, step=self.step, readout_format=".3g",
                    style={"description_width": "initial"})
        self.add_control("learning_rate", widgets.FloatLogSlider(
            value=learning_rate, description="lr (gradient descent)", **rate))
        self.add_control("momentum_learning_rate", widgets.FloatLogSlider(
            value=momentum_learning_rate, description="lr (with momentum)", **rate))
        self.add_control("momentum", widgets.FloatSlider(
            value=momentum, min=0.0, max=0.99, step=0.01, description="momentum",
            continuous_update=False))
        self.add_control("nesterov", widgets.Checkbox(value=nesterov, description="Nesterov"))
        self.refresh()

    def _momentum(self, momentum: float, nesterov: bool) -> _SweepCache:
        """Runs with this momentum for every learning rate of the slider (one sweep, cached)."""
        key = (round(momentum, 6), nesterov)
        if key not in self._momentum_caches:
            optimizer = SGD(momentum=momentum, nesterov=nesterov)  # checks the values
            self._momentum_caches[key] = _SweepCache(optimizer, self.landscape, self.start, self.steps,
                                                     self.grid)
        return self._momentum_caches[key]

    def update(self) -> None:
        lr = _finite("learning_rate", self.controls["learning_rate"].value)
        lr_m = _finite("momentum_learning_rate", self.controls["momentum_learning_rate"].value)
        momentum = _finite("momentum", self.controls["momentum"].value)
        nesterov = bool(self.controls["nesterov"].value)
        for name, value in (("learning_rate", lr), ("momentum_learning_rate", lr_m)):
            if value <= 0:
                raise ValueError(f"`{name}` must be > 0 (with {value:g} nothing moves).")
        if nesterov and momentum == 0:
            raise ValueError("Nesterov momentum needs `momentum` > 0: raise the momentum slider "
                             "or untick Nesterov.")
        cache = self._momentum(momentum, nesterov)
        kind = "Nesterov" if nesterov else "momentum"
        color = style.color_of("Nesterov" if nesterov else "Momentum")
        for artist in self.momentum_run.artists():
            artist.set_color(color)
        if self.loss_legend.get_texts()[1].get_text() != kind:
            # The legend is part of the static background: redraw it only when the kind changes.
            self.loss_legend.get_texts()[1].set_text(kind)
            self.loss_legend.legend_handles[1].set_color(color)
            self.invalidate()
        label = f"{kind} {momentum:g}"
        bounds = self.landscape.bounds
        notes = []
        for name, rate, run, (points, losses, diverged_at) in (
                ("gradient descent", lr, self.gd_run, self.gd.get(lr)),
                (label, lr_m, self.momentum_run, cache.get(lr_m))):
            run.show(points, losses, bounds=bounds, diverged_at=diverged_at)
            if diverged_at >= 0:
                notes.append(f"{name} (lr {rate:.3g}) diverged at step {diverged_at} (X)")
            else:
                notes.append(f"{name} (lr {rate:.3g}): loss {losses[-1]:.2g}")
        self.warn(f"After {self.steps} steps: " + "; ".join(notes) + ".")


def ravine_momentum(steps: int = 150, learning_rate: float = 0.1, momentum_learning_rate: float = 0.02,
                    momentum: float = 0.9, nesterov: bool = False) -> RavineMomentum:
    """Ravine oscillation vs momentum: GD against SGD with (Nesterov) momentum (lesson 05).

    On the ``ravine`` landscape (curvature 16 across, 0.2 along the valley). The runs
    for every slider rate are computed when the app is built (one vectorised sweep
    each); a new momentum value costs one more sweep, then it is cached.

    Args:
        steps: steps per run (1 to 2000, default 150).
        learning_rate: gradient descent's first rate (0.001 to 0.2, default 0.1: it zig-zags).
        momentum_learning_rate: first rate of the momentum run (default 0.02).
        momentum: first value of the momentum slider (0 to 0.99, default 0.9).
        nesterov: start with Nesterov momentum.

    >>> app = ravine_momentum()
    >>> app.controls["momentum_learning_rate"].value = 0.1
    >>> app.controls["nesterov"].value = True   # Nesterov 0.9 at lr 0.1 is unstable here
    >>> "diverged" in app.message.value
    True
    """
    steps = _count("steps", steps)
    for name, value in (("learning_rate", learning_rate), ("momentum_learning_rate", momentum_learning_rate)):
        if not 1e-3 <= _finite(name, value) <= 0.2:
            raise ValueError(f"`{name}` must be between 0.001 and 0.2, got {value:g}.")
    momentum = _finite("momentum", momentum)
    if not 0 <= momentum <= 0.99:
        raise ValueError(f"`momentum` must be between 0 and 0.99, got {momentum:g}.")
    if not isinstance(nesterov, bool):
        raise TypeError(f"`nesterov` must be True or False, got {nesterov!r}.")
    return RavineMomentum(steps, float(learning_rate), float(momentum_learning_rate), momentum, nesterov)


# ---------------------------------------------------------------------------
# Optimizer race
# ---------------------------------------------------------------------------

#: The optimizers a race can include, each built from its learning rate.
RACE_OPTIMIZERS = {
    "GD": lambda lr: SGD(lr),
    "Momentum": lambda lr: SGD(lr, momentum=0.9),
    "Nesterov": lambda lr: SGD(lr, momentum=0.9, nesterov=True),
    "RMSprop": lambda lr: RMSprop(lr),
    "Adam": lambda lr: Adam(lr),
    "AdamW": lambda lr: AdamW(lr),
    "Nadam": lambda lr: Nadam(lr),
    "Lion": lambda lr: Lion(lr),
    "RAdam": lambda lr: RAdam(lr),
    "AdaBelief": lambda lr: AdaBelief(lr),
    "Adagrad": lambda lr: Adagrad(lr),
    "Adadelta": lambda lr: Adadelta(lr),
    "Lookahead(Adam)": lambda lr: Lookahead(Adam(lr)),
}

_SADDLE_RATES = dict.fromkeys(RACE_OPTIMIZERS, 0.05) | {"Adagrad": 0.5, "Adadelta": 3.0}

#: Learning rate of each optimizer on each landscape. For every landscape with a minimum
#: the rates were chosen by a grid search (4 rates per decade, 200 steps from the
#: landscape's default start): among the rates that bring the loss within 1 % of its
#: starting height above the minimum (above the nearest pit's, loss 17.9, on Rastrigin),
#: the middle one; where none does, the rate with the lowest final loss. They are fair
#: starting points, not the best rate for every start. On the two saddles (no minimum)
#: every optimizer gets 0.05, except Adagrad and Adadelta, whose steps start smaller.
RACE_RATES = {
    "bowl": {"GD": 0.1, "Momentum": 0.032, "Nesterov": 0.018, "RMSprop": 0.1, "Adam": 0.56, "AdamW": 0.56,
             "Nadam": 0.56, "Lion": 0.1, "RAdam": 0.56, "AdaBelief": 0.32, "Adagrad": 1.8, "Adadelta": 10,
             "Lookahead(Adam)": 1},
    "ravine": {"GD": 0.056, "Momentum": 0.032, "Nesterov": 0.018, "RMSprop": 0.056, "Adam": 0.56,
               "AdamW": 0.56, "Nadam": 0.56, "Lion": 0.1, "RAdam": 0.18, "AdaBelief": 0.32, "Adagrad": 1.8,
               "Adadelta": 10, "Lookahead(Adam)": 1},
    "rosenbrock": {"GD": 0.0032, "Momentum": 0.0018, "Nesterov": 0.0018, "RMSprop": 0.032, "Adam": 0.56,
                   "AdamW": 0.56, "Nadam": 1, "Lion": 0.018, "RAdam": 0.0056, "AdaBelief": 0.56,
                   "Adagrad": 1.8, "Adadelta": 10, "Lookahead(Adam)": 1.8},
    "himmelblau": {"GD": 0.0056, "Momentum": 0.0032, "Nesterov": 0.0018, "RMSprop": 0.1, "Adam": 0.56,
                   "AdamW": 0.56, "Nadam": 0.32, "Lion": 0.1, "RAdam": 0.1, "AdaBelief": 0.18, "Adagrad": 1,
                   "Adadelta": 10, "Lookahead(Adam)": 0.56},
    "beale": {"GD": 0.01, "Momentum": 0.0018, "Nesterov": 0.0018, "RMSprop": 0.1, "Adam": 0.32, "AdamW": 0.32,
              "Nadam": 0.32, "Lion": 0.1, "RAdam": 0.01, "AdaBelief": 0.32, "Adagrad": 1, "Adadelta": 10,
              "Lookahead(Adam)": 0.56},
    "saddle": _SADDLE_RATES,
    "monkey_saddle": _SADDLE_RATES,
    "plateau": {"GD": 0.56, "Momentum": 0.18, "Nesterov": 0.18, "RMSprop": 0.032, "Adam": 0.18, "AdamW": 0.18,
                "Nadam": 0.1, "Lion": 0.056, "RAdam": 0.56, "AdaBelief": 0.056, "Adagrad": 0.56,
                "Adadelta": 3.2, "Lookahead(Adam)": 0.18},
    "rastrigin": {"GD": 0.00056, "Momentum": 0.001, "Nesterov": 0.00056, "RMSprop": 0.01, "Adam": 0.056,
                  "AdamW": 0.056, "Nadam": 0.056, "Lion": 0.018, "RAdam": 0.01, "AdaBelief": 0.032,
                  "Adagrad": 0.18, "Adadelta": 5.6, "Lookahead(Adam)": 0.1},
    "cliff": {"GD": 0.18, "Momentum": 0.018, "Nesterov": 0.032, "RMSprop": 0.18, "Adam": 1, "AdamW": 1,
              "Nadam": 1, "Lion": 0.18, "RAdam": 1.8, "AdaBelief": 1, "Adagrad": 3.2, "Adadelta": 10,
              "Lookahead(Adam)": 1},
}

DEFAULT_RACE = ("GD", "Momentum", "RMSprop", "Adam")


def _style_name(name: str) -> str:
    """Key into the style tables: "Lookahead(Adam)" is drawn as Lookahead."""
    return "Lookahead" if name.startswith("Lookahead") else name


class OptimizerRace(App):
    """Several optimizers racing on one landscape, revealed step by step.

    Teaches: on each landscape a different optimizer looks best, and the paths show
    why: plain gradient descent follows the steepest slope, momentum overshoots and
    swings, the adaptive methods (RMSprop, Adam and relatives) take steps of roughly
    the learning rate in every coordinate, Lion moves by signs only, Adagrad's steps
    shrink over time. Every optimizer gets its own learning rate for the landscape
    (see ``RACE_RATES``), so the comparison is between reasonably tuned runs.

    Left: the paths up to the chosen step (big dot: where each one is now; X: where a
    run diverged). Right: loss per step (log scale of the height above the minimum;
    plain loss on the saddles, which have no minimum); the dotted line is the step.

    Controls:
        landscape: which of the ten landscapes to race on.
        optimizers: which optimizers run (ctrl/shift-click to pick several).
        x0, y0: the start point.
        step: show the paths up to this step; the play button animates it.
    """

    def __init__(self, landscape, names, steps: int, start):
        super().__init__()
        self.steps = steps
        ax_path, ax_loss = self.figure.subplots(1, 2, gridspec_kw=dict(width_ratios=[1.1, 1]))
        self.ax_path, self.ax_loss = ax_path, ax_loss
        self.view = LandscapeView(ax_path, landscape)
        self.start_marker = self.animate(_start_marker(ax_path, landscape.default_start))
        style_axes(ax_loss, xlabel="step", ylabel="loss", log=True, title="loss per step")
        ax_loss.set_xlim(0, steps)
        self.runs = {}
        for i, name in enumerate(RACE_OPTIMIZERS):
            key = _style_name(name)
            run = RunArtists(ax_path, ax_loss, style.color_of(key), name, linestyle=style.linestyle_of(key),
                             markers=False, head=True, linewidth=1.6, zorder=3 + 0.05 * i)
            self.runs[name] = run
            self.animate(*run.artists())
        self.now_line = self.animate(ax_loss.axvline(steps, color=style.GREY, linestyle=":", linewidth=1))
        self._results: dict[tuple, tuple] = {}
        self._shown: tuple | None = None
        self.legend = None
        (x0, x1), (y0, y1) = landscape.bounds
        self.add_control("landscape", widgets.Dropdown(options=list(RACE_RATES), value=landscape.name,
                                                       description="landscape"))
        self.add_control("optimizers", widgets.SelectMultiple(
            options=list(RACE_OPTIMIZERS), value=tuple(names), rows=5, description="optimizers"))
        slider = dict(step=0.05, readout_format=".2f", continuous_update=False)
        self.add_control("x0", widgets.FloatSlider(value=start[0], min=x0, max=x1, description="start x0", **slider))
        self.add_control("y0", widgets.FloatSlider(value=start[1], min=y0, max=y1, description="start y0", **slider))
        step = self.add_control("step", widgets.IntSlider(value=steps, min=0, max=steps, description="step"))
        play = widgets.Play(value=steps, min=0, max=steps, step=1, interval=60, description="play")
        widgets.link((play, "value"), (step, "value"))
        self.add_control("play", play, observe=False)  # it moves the step slider, which refreshes
        self.refresh()

    def _result(self, landscape, name: str, start: tuple):
        """``(points, losses, diverged_at)`` of one optimizer's run (cached)."""
        key = (landscape.name, name, start)
        if key not in self._results:
            optimizer = RACE_OPTIMIZERS[name](RACE_RATES[landscape.name][name])
            r = trajectory.run(optimizer, landscape, np.array(start), self.steps)
            self._results[key] = (r.points, r.losses, int(r.diverged_at))
        return self._results[key]

    def _prepare(self, landscape, names, start) -> None:
        """Runs, limits and legend for a new landscape, start or choice of optimizers."""
        if landscape is not self.view.landscape:
            (x0, x1), (y0, y1) = landscape.bounds
            with self.quiet():
                for control, low, high, value in ((self.controls["x0"], x0, x1, landscape.default_start[0]),
                                                  (self.controls["y0"], y0, y1, landscape.default_start[1])):
                    control.min, control.max = -1e9, 1e9
                    control.min, control.max, control.value = low, high, float(value)
            start = (round(float(landscape.default_start[0]), 6), round(float(landscape.default_start[1]), 6))
            self.view.show(landscape)
        self.start_marker.set_data([start[0]], [start[1]])
        bounded = np.isfinite(landscape.global_min_value)
        curves = []
        for name, run in self.runs.items():
            chosen = name in names
            for artist in run.artists():
                artist.set_visible(chosen)
            if chosen:
                points, losses, diverged_at = self._result(landscape, name, start)
                end = diverged_at if diverged_at >= 0 else len(losses)
                curves.append(_gap(landscape, losses[:end]) if bounded else losses[:end])
        values = np.concatenate(curves) if curves else np.array([1.0])
        values = values[np.isfinite(values)]
        if bounded:
            self.ax_loss.set_yscale("log")
            positive = values[values > 0]
            top = float(np.max(positive)) if positive.size else 1.0
            bottom = max(float(np.min(positive)) if positive.size else 1e-3, top * 1e-12)
            low, high = np.floor(np.log10(bottom)), np.ceil(np.log10(top))
            self.ax_loss.set_ylim(10**low, 10 ** max(high, low + 1))
            self.ax_loss.set_ylabel(_loss_label(landscape))
        else:
            self.ax_loss.set_yscale("linear")
            _, _, Z = landscape.mesh(40)
            self.ax_loss.set_ylim(float(Z.min()), max(float(values.max()), 0.0) * 1.1 + 0.1)
            self.ax_loss.set_ylabel("loss (no minimum: it falls forever)")
        self.ax_path.set_title(f"{landscape.name}: paths", fontsize=10)
        handles = [self.runs[name].path for name in RACE_OPTIMIZERS if name in names]
        labels = [f"{name} (lr={RACE_RATES[landscape.name][name]:g})" for name in RACE_OPTIMIZERS if name in names]
        old_labels = [t.get_text() for t in self.legend.get_texts()] if self.legend is not None else []
        if labels != old_labels:
            if self.legend is not None:
                self.legend.remove()
            # Beside the panel, not on it: the curves of a race go everywhere.
            self.legend = self.ax_loss.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.02, 1.0),
                                              fontsize=7.5, borderaxespad=0.0) if handles else None
        self.invalidate(relayout=labels != old_labels)  # make room for a legend of another size

    def update(self) -> None:
        landscape = _landscape(self.controls["landscape"].value, RACE_RATES)
        names = tuple(name for name in RACE_OPTIMIZERS if name in self.controls["optimizers"].value)
        start = (round(_finite("x0", self.controls["x0"].value), 6), round(_finite("y0", self.controls["y0"].value), 6))
        step = int(self.controls["step"].value)
        if not 0 <= step <= self.steps:
            raise ValueError(f"`step` must be between 0 and {self.steps}, got {step}.")
        if (landscape.name, names, start) != self._shown:
            self._prepare(landscape, names, start)
            # _prepare may have reset the start to the new landscape's default.
            start = (round(float(self.controls["x0"].value), 6), round(float(self.controls["y0"].value), 6))
            self._shown = (landscape.name, names, start)
        if not names:
            self.warn("Pick at least one optimizer (ctrl- or shift-click in the list).")
            return
        bounded = np.isfinite(landscape.global_min_value)
        self.now_line.set_xdata([step, step])
        notes = []
        for name in names:
            points, losses, diverged_at = self._result(landscape, name, start)
            values = _gap(landscape, losses) if bounded else losses
            self.runs[name].show(points, values, bounds=landscape.bounds, diverged_at=diverged_at, upto=step,
                                 mark=bounded)
            if bounded and 0 <= diverged_at <= step:
                notes.append(f"{name} diverged at step {diverged_at} (X)")
            else:
                notes.append(f"{name} {losses[min(step, len(losses) - 1)]:.3g}")
        self.warn(f"Loss at step {step}: " + ", ".join(notes) + ".")


def optimizer_race(landscape: str = "rosenbrock", optimizers=DEFAULT_RACE, steps: int = 200,
                   start=None) -> OptimizerRace:
    """The optimizer race: pick a landscape and optimizers, play the runs step by step (lesson 08).

    Each optimizer runs once per landscape and start (cached), with the learning rate
    ``RACE_RATES[landscape][name]``; moving the step slider or pressing play only
    shortens the lines already computed.

    Args:
        landscape: any name in ``RACE_RATES`` (the ten landscapes), default ``"rosenbrock"``.
        optimizers: names from ``RACE_OPTIMIZERS`` (default GD, Momentum, RMSprop, Adam).
        steps: steps per run (1 to 2000, default 200).
        start: ``(x0, y0)`` inside the landscape's window (default: its default start).

    >>> app = optimizer_race("bowl", ["GD", "Adam"])
    >>> app.controls["step"].value = 10
    >>> len(app.runs["Adam"].path.get_xdata())
    11
    """
    landscape = _landscape(landscape, RACE_RATES)
    if isinstance(optimizers, str):
        optimizers = [optimizers]
    unknown = [name for name in optimizers if name not in RACE_OPTIMIZERS]
    if unknown:
        raise ValueError(f"`optimizers` must be names from {list(RACE_OPTIMIZERS)}, got {unknown}.")
    steps = _count("steps", steps)
    start = landscape.default_start if start is None else start
    start = np.asarray(start, dtype=float)
    if start.shape != (2,) or not np.all(np.isfinite(start)):
        raise ValueError(f"`start` must be two finite numbers (x0, y0), got {start!r}.")
    if not inside(start, landscape.bounds):
        raise ValueError(f"`start` {tuple(start)} is outside the {landscape.name} window {landscape.bounds}.")
    return OptimizerRace(landscape, list(optimizers), steps, (round(start[0], 6), round(start[1], 6)))


# ---------------------------------------------------------------------------
# Landscape gallery
# ---------------------------------------------------------------------------


class LandscapeGallery(App):
    """The ten landscapes of the course, as a map and as a surface.

    Teaches: what the words mean - a bowl, a narrow valley (ravine), a curved valley
    (Rosenbrock), several minima (Himmelblau), a saddle point (a minimum one way, a
    maximum the other), a plateau, many local minima (Rastrigin), a cliff. Stars mark
    the minima, diamonds the saddle points, the circle the start the other demos use.

    Left: the contour map. Right: the same function as a 3-D surface (heights on a
    log scale where they span many orders of magnitude). Above: what it is.

    Controls:
        landscape: which landscape to show.
    """

    #: Fixed positions instead of the layout engine, which does not settle with a 3-D axes.
    freeze_layout = False

    def __init__(self, landscape):
        super().__init__(figsize=(9.0, 4.4))
        self.figure.set_layout_engine("none")
        ax_map = self.figure.add_axes((0.075, 0.11, 0.40, 0.70))
        ax_surface = self.figure.add_axes((0.50, 0.02, 0.47, 0.83), projection="3d")
        ax_surface.tick_params(labelsize=8, pad=1)
        self.ax_map, self.ax_surface = ax_map, ax_surface
        self.view = LandscapeView(ax_map, landscape)
        (self.start,) = ax_map.plot([], [], marker="o", markersize=7, markerfacecolor="white",
                                    markeredgecolor=style.BLACK, linestyle="none", label="default start", zorder=4)
        self.surface = None
        self.add_control("landscape", widgets.Dropdown(options=list(_landscapes.ALL), value=landscape.name,
                                                       description="landscape"))
        self.refresh()

    def update(self) -> None:
        landscape = _landscape(self.controls["landscape"].value)
        self.view.show(landscape)
        self.start.set_data([landscape.default_start[0]], [landscape.default_start[1]])
        self.ax_map.set_title(f"{landscape.name}: contour map", fontsize=10)
        few = len(self.view.minima.get_xdata()) < len(landscape.minima)
        self.view.minima.set_label("global minimum" if few else "minimum")
        marked = [h for h in (self.view.minima, self.view.saddles, self.start) if len(h.get_xdata())]
        self.ax_map.legend(handles=marked, loc="upper right", fontsize=7.5, framealpha=0.9)
        X, Y, Z = landscape.mesh(70 if landscape.name == "rastrigin" else 45)  # enough for its bumps
        if landscape.log_scale_contours:
            Z, zlabel = np.log10(1 + Z - landscape.global_min_value), "log10(1 + loss)"
        else:
            zlabel = "loss"
        if self.surface is not None:
            self.surface.remove()
        self.surface = self.ax_surface.plot_surface(X, Y, Z, cmap=style.CONTOUR_CMAP, linewidth=0,
                                                    antialiased=False, rcount=len(X), ccount=len(X))
        self.ax_surface.set_zlim(float(Z.min()), float(Z.max()))
        self.ax_surface.set(xlabel="x", ylabel="y")
        self.ax_surface.set_zlabel(zlabel, labelpad=8)
        for axis in (self.ax_surface.xaxis, self.ax_surface.yaxis, self.ax_surface.zaxis):
            axis.set_major_locator(MaxNLocator(4))
        self.ax_surface.set_title("as a surface", fontsize=10)
        self.figure.suptitle("\n".join(textwrap.wrap(landscape.description, 110)), fontsize=9)
        self.invalidate(relayout=True)


def landscape_gallery(landscape: str = "bowl") -> LandscapeGallery:
    """Browse the ten landscapes with their minima, saddle points and 3-D shape (lesson 02).

    Args:
        landscape: the first one shown (any name in ``optimizers.landscapes.ALL``).

    >>> app = landscape_gallery()
    >>> app.controls["landscape"].value = "himmelblau"
    >>> len(app.view.minima.get_xdata())
    4
    """
    return LandscapeGallery(_landscape(landscape))


# ---------------------------------------------------------------------------
# Gradient arrows: what one step of gradient descent does
# ---------------------------------------------------------------------------


class GradientArrows(App):
    """The gradient field and a few steps of gradient descent from a point you choose.

    Teaches: the gradient points uphill, across the contour lines; gradient descent
    steps the other way, by the learning rate times the gradient. A step that is too
    long lands higher up on the far side of the valley.

    Left: grey arrows show the downhill direction (minus the gradient) everywhere;
    the red arrow is minus the gradient at the start point, the black dots are the
    gradient-descent steps from there. Right: the loss after a single step of size
    η (eta) along minus the gradient, divided by the loss now; below the dotted line the
    step helps, above it the step overshoots. The dot marks the slider's rate.

    Controls:
        landscape: one of the three landscapes of the learning-rate demo.
        x0, y0: the start point.
        learning_rate: the step size (log scale).
        steps: how many steps to draw (1 to 20).
    """

    def __init__(self, landscape):
        super().__init__()
        ax_map, ax_line = self.figure.subplots(1, 2, gridspec_kw=dict(width_ratios=[1.3, 1]))
        self.ax_map, self.ax_line = ax_map, ax_line
        self.view = LandscapeView(ax_map, landscape)
        self.field = ax_map.quiver(np.zeros(169), np.zeros(169), np.zeros(169), np.zeros(169),
                                   color=style.GREY, alpha=0.6, angles="xy", scale_units="xy", width=0.004,
                                   zorder=1.5)
        self.path = RunArtists(ax_map, None, style.color_of("GD"), "gradient-descent steps", markers=True,
                               linewidth=1.4, zorder=5)
        self.arrow = ax_map.annotate("", xy=(0, 0), xytext=(0, 0), zorder=6,
                                     arrowprops=dict(arrowstyle="-|>", color=style.VERMILLION, lw=2))
        self.start_marker = _start_marker(ax_map, landscape.default_start)
        ax_map.legend(handles=[Line2D([], [], color=style.GREY, lw=1.2, label="downhill direction"),
                               Line2D([], [], color=style.VERMILLION, lw=2, label="−gradient at the start"),
                               Line2D([], [], color=style.BLACK, lw=1.4, marker="o", markersize=2.5,
                                      label="gradient-descent steps")],
                      loc="upper right", fontsize=7.5, framealpha=0.9)
        style_axes(ax_line, xlabel="step size η (the learning rate)", ylabel="loss after / loss now", log=True,
                   title="one step of size η along −gradient")
        ax_line.set_xscale("log")
        ax_line.axhline(1.0, color=style.GREY, linestyle=":", linewidth=1)
        (self.line,) = ax_line.plot([], [], color=style.BLACK, linewidth=1.5)
        (self.dot,) = ax_line.plot([], [], "o", color=style.VERMILLION, markersize=7, markeredgecolor="white")
        ax_line.set_ylim(1e-2, 1e2)
        self.animate(*self.path.artists(), self.arrow, self.start_marker, self.line, self.dot)
        references = REFERENCE_RATES[landscape.name]
        first, last, step, _ = _log_grid(references["too small"] / 3, references["divergent"] * 3)
        (x0, x1), (y0, y1) = landscape.bounds
        self.add_control("landscape", widgets.Dropdown(options=list(REFERENCE_RATES), value=landscape.name,
                                                       description="landscape"))
        slider = dict(step=0.05, readout_format=".2f")
        self.add_control("x0", widgets.FloatSlider(value=landscape.default_start[0], min=x0, max=x1,
                                                   description="start x0", **slider))
        self.add_control("y0", widgets.FloatSlider(value=landscape.default_start[1], min=y0, max=y1,
                                                   description="start y0", **slider))
        self.add_control("learning_rate", widgets.FloatLogSlider(
            value=references["good"], base=10, min=first, max=last, step=step, readout_format=".3g",
            description="learning rate", style={"description_width": "initial"}))
        self.add_control("steps", widgets.IntSlider(value=5, min=1, max=20, description="steps"))
        self._shown = None
        self.refresh()

    def _show_landscape(self, landscape) -> None:
        """Switch the map, the arrow field, the slider ranges and the eta axis."""
        self.view.show(landscape)
        (x0, x1), (y0, y1) = landscape.bounds
        X, Y = np.meshgrid(np.linspace(x0, x1, 15)[1:-1], np.linspace(y0, y1, 15)[1:-1])
        points = np.stack([X.ravel(), Y.ravel()], axis=-1)
        downhill = -landscape.grad(points)
        # Directions only: the gradient's size varies by orders of magnitude.
        downhill /= np.maximum(np.linalg.norm(downhill, axis=1, keepdims=True), 1e-300)
        length = 0.45 * min((x1 - x0), (y1 - y0)) / 13
        self.field.set_offsets(points)
        self.field.set_UVC(downhill[:, 0] * length, downhill[:, 1] * length)
        references = REFERENCE_RATES[landscape.name]
        first, last, step, _ = _log_grid(references["too small"] / 3, references["divergent"] * 3)
        with self.quiet():
            for name, low, high, value in (("x0", x0, x1, landscape.default_start[0]),
                                           ("y0", y0, y1, landscape.default_start[1])):
                control = self.controls[name]
                control.min, control.max = -1e9, 1e9
                control.min, control.max, control.value = low, high, float(value)
            rate = self.controls["learning_rate"]
            rate.min, rate.max = -9, 9
            rate.min, rate.max, rate.value = first, last, references["good"]
        self.etas = np.logspace(first, last, 200)
        self.ax_line.set_xlim(self.etas[0], self.etas[-1])
        self.ax_map.set_title(f"{landscape.name}: downhill directions and steps", fontsize=10)

    def update(self) -> None:
        landscape = _landscape(self.controls["landscape"].value, REFERENCE_RATES)
        if landscape is not self._shown:
            self._show_landscape(landscape)
            self._shown = landscape
        p0 = np.array([_finite("x0", self.controls["x0"].value), _finite("y0", self.controls["y0"].value)])
        lr = _finite("learning_rate", self.controls["learning_rate"].value)
        steps = _count("steps", self.controls["steps"].value, 1, 20)
        if lr <= 0:
            raise ValueError(f"`learning_rate` must be > 0 (with {lr:g} gradient descent never moves).")
        if not inside(p0, landscape.bounds):
            raise ValueError(f"the start {tuple(p0)} is outside the window {landscape.bounds}.")
        self.start_marker.set_data([p0[0]], [p0[1]])
        g = landscape.grad(p0)
        (x0, x1), (y0, y1) = landscape.bounds
        size = np.linalg.norm(g)
        tip = p0 - g / max(size, 1e-300) * 0.12 * min(x1 - x0, y1 - y0) if size > 0 else p0
        self.arrow.xy, self.arrow.xyann = tuple(tip), tuple(p0)
        run = trajectory.run(SGD(lr), landscape, p0, steps)
        self.path.show(run.points, bounds=landscape.bounds, diverged_at=int(run.diverged_at))
        f0 = float(landscape(p0))
        after = landscape(p0[None, :] - self.etas[:, None] * g[None, :])
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = after / f0 if f0 > 0 else np.full_like(self.etas, np.nan)
        self.line.set_data(self.etas, np.where(ratio > 0, ratio, np.nan))
        one = float(landscape(p0 - lr * g))
        self.dot.set_data([lr], [one / f0 if f0 > 0 and one > 0 else np.nan])
        self.warn(f"gradient at ({p0[0]:.2f}, {p0[1]:.2f}) = ({g[0]:.3g}, {g[1]:.3g}), length {size:.3g}; "
                  f"first step −lr·g = ({-lr * g[0]:.3g}, {-lr * g[1]:.3g}); loss {f0:.3g} → {one:.3g}.")


def gradient_arrows(landscape: str = "ravine") -> GradientArrows:
    """The gradient field and gradient-descent steps from an adjustable point (lesson 03).

    Args:
        landscape: ``"ravine"`` (default), ``"bowl"`` or ``"himmelblau"``.

    >>> app = gradient_arrows("bowl")
    >>> app.controls["steps"].value = 3
    >>> len(app.path.path.get_xdata())
    4
    """
    return GradientArrows(_landscape(landscape, REFERENCE_RATES))
