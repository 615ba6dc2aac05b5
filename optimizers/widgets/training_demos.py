"""Interactive figures about training rather than landscapes.

Three demos, each built by one function that returns an :class:`~._app.App`:

- :func:`batch_noise` (lesson 04): the same model trained with different batch
  sizes; loss per update against loss per epoch, and what one epoch costs.
- :func:`bias_correction` (lesson 07): Adam's moment estimates with and without
  the bias correction, and the step size that results.
- :func:`schedule_explorer` (lesson 10): the six learning-rate schedules of
  :mod:`optimizers.schedules`, their parameters, and the matching Keras call.

In a notebook::

    from optimizers import widgets
    app = widgets.batch_noise()
    app
"""

from __future__ import annotations

import inspect
import math
import numbers
import warnings

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator
from matplotlib.transforms import ScaledTranslation

from .. import schedules
from ..adam import Adam
from ..data import regression_line
from ..models import LinearRegression
from ..sgd import SGD
from ..training import evaluate, fit
from . import style
from ._app import App

__all__ = ["batch_noise", "bias_correction", "schedule_explorer"]

#: Width of the text in front of a control, wide enough for "initial_learning_rate".
_WIDE_LABEL = {"description_width": "initial"}


def _check_int(name, value, minimum, maximum=None):
    """``value`` as an int in [minimum, maximum]; the error names ``name`` and the range."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"`{name}` must be an integer, got {value!r} ({type(value).__name__}).")
    if value < minimum or (maximum is not None and value > maximum):
        upper = f" and <= {maximum}" if maximum is not None else ""
        raise ValueError(f"`{name}` must be an integer >= {minimum}{upper}, got {value!r}.")
    return int(value)


def _few_ticks(ax, n=4):
    """At most ``n`` tick labels per axis: fewer glyphs to draw, and a calmer picture.

    Log axes get decade ticks written as plain numbers ("0.01", "10"): easier to read
    for a learner than 10^-2, and cheaper to draw than math text.
    """
    ax.xaxis.set_major_locator(MaxNLocator(n, integer=True))
    if ax.get_yscale() == "log":
        ax.yaxis.set_major_locator(LogLocator(numticks=n + 1))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        ax.yaxis.set_minor_locator(NullLocator())
    else:
        ax.yaxis.set_major_locator(MaxNLocator(n))
    ax.tick_params(labelsize=8)


def _nice_ceiling(value):
    """The smallest "round" number >= ``value`` (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k).

    >>> _nice_ceiling(0.11), _nice_ceiling(7.0), _nice_ceiling(0.3)
    (0.12, 8.0, 0.3)
    """
    exponent = math.floor(math.log10(value))
    for mantissa in (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        # round() keeps 0.3 from becoming 0.30000000000000004, a hair above value.
        candidate = round(mantissa * 10.0**exponent, 12 - exponent)
        if candidate >= value:
            return candidate
    return 10.0 ** (exponent + 1)


# =========================================================================== batch noise


class BatchNoiseApp(App):
    """Loss per update and loss per epoch for one batch size; cost of an epoch for all.

    See :func:`batch_noise` for what it teaches and what the control does.
    """

    def __init__(self, n=64, epochs=10, learning_rate=0.3, seed=0):
        self.n = _check_int("n", n, 2, 4096)
        self.epochs = _check_int("epochs", epochs, 1, 200)
        self.learning_rate = SGD(learning_rate).learning_rate  # SGD checks the value
        if not isinstance(self.learning_rate, float):
            raise TypeError(f"`learning_rate` must be a number, got {learning_rate!r}.")
        self.seed = _check_int("seed", seed, 0)
        super().__init__()

        self.X, self.y = regression_line(n=self.n, noise=0.5, seed=self.seed)
        # Powers of two below n, then the full batch (passed to fit as None).
        self.batch_sizes = [2**k for k in range(int(math.log2(self.n)) + 1) if 2**k < self.n] + [self.n]
        options = [(str(b), b) for b in self.batch_sizes[:-1]] + [(f"{self.n} (full batch)", self.n)]
        # Every batch size is trained once, here: a slider move then only moves artists,
        # and the cost panel can compare the measured time of every batch size.
        self.histories = {b: self._train(b) for b in self.batch_sizes}
        self.initial_loss = evaluate(LinearRegression(1, seed=self.seed), self.X, self.y)[0]

        self.loss_ax, self.cost_ax = self.figure.subplots(1, 2, width_ratios=(1.7, 1))
        self._build_loss_panel()
        self._build_cost_panel()
        self.add_control("batch_size", widgets.SelectionSlider(
            options=options, value=min(4, self.batch_sizes[-2]), description="batch size",
            continuous_update=True, style=_WIDE_LABEL, layout=widgets.Layout(width="420px")))
        self.refresh()

    def _train(self, batch_size):
        """One run of :func:`~optimizers.training.fit` from the same initial weights."""
        model = LinearRegression(1, seed=self.seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # divergence is reported in the app
            return fit(model, SGD(self.learning_rate), self.X, self.y,
                       batch_size=None if batch_size == self.n else batch_size,
                       epochs=self.epochs, seed=self.seed, progress=False)

    def _epoch_curve(self, history):
        """Full-training-set loss at epochs 0 (before training), 1, ..., epochs_run."""
        return np.arange(history.epochs_run + 1), np.r_[self.initial_loss, history.epoch_train_loss]

    def _build_loss_panel(self):
        ax = self.loss_ax
        full = self.histories[self.n]
        (self.update_line,) = ax.plot([], [], color=style.BLUE, lw=0.8, alpha=0.75,
                                      label="loss of each mini-batch (one per update)")
        (self.epoch_line,) = ax.plot([], [], color=style.VERMILLION, lw=2.2, marker="o", ms=4,
                                     label="loss on all rows, after each epoch")
        ax.plot(*self._epoch_curve(full), color=style.GREY, lw=1.2, ls="--",
                label="full batch, after each epoch (reference)")
        # Drawn on the top edge (not clipped), but kept out of the layout computation:
        # an empty unclipped line would otherwise count as reaching the figure's corner.
        (self.diverged_marker,) = ax.plot([], [], color=style.VERMILLION, clip_on=False,
                                          in_layout=False, **style.DIVERGED_MARKER)
        ax.set_xlim(0, self.epochs)
        # A fixed scale: single-row losses spike far above the mean, so cap at a
        # multiple of the starting loss instead of following the spikes.
        ax.set_ylim(0, 2.2 * self.initial_loss)
        ax.set_xlabel("epoch (passes over the data)")
        ax.set_ylabel("loss (half MSE)")
        # Below the panels, where no curve can run under it: it stays in the static background.
        self.figure.legend(loc="outside lower center", ncols=3, fontsize=8, frameon=False)
        _few_ticks(ax, 5)
        self.loss_title = ax.set_title("", fontsize=10, y=1.0)
        self.animate(self.update_line, self.epoch_line, self.diverged_marker, self.loss_title)

    def _build_cost_panel(self):
        ax = self.cost_ax
        ms_per_epoch = [1e3 * self.histories[b].wall_time / max(self.histories[b].epochs_run, 1)
                        for b in self.batch_sizes]
        positions = np.arange(len(self.batch_sizes))
        self.bars = ax.bar(positions, ms_per_epoch, color=style.GREY, alpha=0.5, width=0.7)
        ax.set_yscale("log")
        ax.set_ylim(min(ms_per_epoch) / 2, max(ms_per_epoch) * 6)
        for x, b, ms in zip(positions, self.batch_sizes, ms_per_epoch):
            ax.text(x, ms * 1.15, str(self.histories[b].updates_per_epoch), ha="center",
                    va="bottom", fontsize=7.5)
        ax.set_xticks(positions, [str(b) for b in self.batch_sizes[:-1]] + ["full"])
        ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0), numticks=6))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        ax.yaxis.set_minor_locator(NullLocator())
        ax.tick_params(labelsize=8)
        ax.set_xlabel("batch size")
        ax.set_ylabel("wall time per epoch (ms)")
        ax.set_title(f"cost of one epoch ({self.n} row gradients each)\n"
                     "number on a bar = updates per epoch", fontsize=9, y=1.0)
        self.animate(*self.bars)  # the selected bar changes colour

    def update(self):
        b = self.controls["batch_size"].value
        if b not in self.histories:
            raise ValueError(f"`batch_size` must be one of {self.batch_sizes}, got {b!r}.")
        history = self.histories[b]
        per_epoch = history.updates_per_epoch
        # Update k is measured before it is applied, i.e. after k / per_epoch epochs.
        self.update_line.set_data(np.arange(history.n_updates) / per_epoch, history.loss)
        self.epoch_line.set_data(*self._epoch_curve(history))
        for bar, size in zip(self.bars, self.batch_sizes):
            selected = size == b
            bar.set_facecolor(style.BLUE if selected else style.GREY)
            bar.set_alpha(1.0 if selected else 0.4)
        regime = "batch GD" if b == self.n else "stochastic GD" if b == 1 else "mini-batch GD"
        self.loss_title.set_text(f"{regime}, batch size {b}: {per_epoch} update(s) per epoch, "
                                 f"lr={self.learning_rate:g}")
        # Where the run left the picture: the first epoch whose full-data loss is above
        # the plot (or not a number), or the update where fit stopped on NaN/inf.
        top = self.loss_ax.get_ylim()[1]
        epoch_loss = self._epoch_curve(history)[1]
        escaped = np.flatnonzero(~(epoch_loss <= top))
        if history.diverged or escaped.size:
            x = history.diverged_at / per_epoch if history.diverged else float(escaped[0])
            self.diverged_marker.set_data([x], [top])
            reason = history.message if history.diverged else (
                f"the loss grew beyond the plot (to {epoch_loss[escaped[0]]:.3g}) at epoch {escaped[0]}")
            self.warn(f"Batch size {b} diverged: {reason}. The learning rate {self.learning_rate:g} "
                      "is too large for it.")
        else:
            self.diverged_marker.set_data([], [])
            ms = 1e3 * history.wall_time / max(history.epochs_run, 1)
            self.warn(f"batch size {b}: {per_epoch} updates per epoch, {self.n} row gradients "
                      f"per epoch, {ms:.2g} ms wall time per epoch (measured once, on this machine)")


def batch_noise(n=64, epochs=10, learning_rate=0.3, seed=0):
    """Batch, mini-batch and stochastic gradient descent side by side.

    **What it teaches.** Linear regression on ``n`` noisy points, trained by plain
    SGD with learning rate ``learning_rate`` for ``epochs`` epochs. Every epoch
    evaluates each row's gradient exactly once, whatever the batch size; what the
    batch size changes is how those gradients are grouped into updates:

    - small batches make many cheap, *noisy* updates per epoch (the thin line,
      the loss of each mini-batch, jumps around), and get far in one epoch;
    - the full batch makes one exact update per epoch: a smooth but slow curve
      (the dashed reference);
    - the right panel shows the price: updates per epoch (number on each bar)
      and measured wall time per epoch, which grows with the number of updates
      because every update has a fixed overhead.

    **Control.** ``batch_size``: 1, 2, 4, ... and the full batch. All runs start from
    the same weights with the same seed and are trained once when the app is built.

    Args:
        n: number of data rows (2 to 4096).
        epochs: epochs per run (1 to 200).
        learning_rate: SGD learning rate (>= 0), the same for every batch size.
        seed: seeds the data, the initial weights and the shuffling.

    Returns:
        a :class:`BatchNoiseApp`; ``app.controls["batch_size"]``, ``app.figure``,
        ``app.histories[batch_size]`` (each a :class:`~optimizers.training.History`).

    >>> app = batch_noise(n=8, epochs=2)
    >>> app.controls["batch_size"].value = 1
    >>> len(app.update_line.get_xdata())    # 8 updates per epoch, 2 epochs
    16
    """
    return BatchNoiseApp(n=n, epochs=epochs, learning_rate=learning_rate, seed=seed)


# =========================================================================== bias correction


def adam_without_correction(gradients, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    """The "what if we skipped the correction" variant of Adam, for comparison only.

    Same moments as Adam, but the step uses them raw::

        m_t = beta_1 m_{t-1} + (1 - beta_1) g_t,    v_t = beta_2 v_{t-1} + (1 - beta_2) g_t^2
        step_t / lr = m_t / (sqrt(v_t) + epsilon)          (no 1 - beta^t factors)

    Args:
        gradients: 1-D array, the gradient at steps t = 1, 2, ...
        beta_1, beta_2, epsilon: as in :class:`optimizers.Adam`.

    Returns:
        ``(m, v, step)``: arrays of the same length as ``gradients``; ``step`` is the
        signed step divided by the learning rate (the parameter moves by ``-lr * step``).

    >>> m, v, step = adam_without_correction(np.ones(2), beta_1=0.5, beta_2=0.75, epsilon=0.0)
    >>> m.tolist(), v.tolist(), step.tolist()
    ([0.5, 0.75], [0.25, 0.4375], [1.0, 1.1338934190276817])
    """
    g = np.asarray(gradients, dtype=np.float64)
    m, v = np.empty_like(g), np.empty_like(g)
    m_prev = v_prev = 0.0
    for t, g_t in enumerate(g):  # a recursion in t: each value needs the previous one
        m_prev = m[t] = beta_1 * m_prev + (1 - beta_1) * g_t
        v_prev = v[t] = beta_2 * v_prev + (1 - beta_2) * g_t * g_t
    return m, v, m / (np.sqrt(v) + epsilon)


class BiasCorrectionApp(App):
    """Adam's moments and step, with and without the bias correction.

    See :func:`bias_correction` for what it teaches and what each control does.
    """

    #: Longest run the ``steps`` slider allows; the noisy gradients are drawn once for it.
    MAX_STEPS = 300
    LEARNING_RATE = 1e-3
    BETA_2_OPTIONS = (0.9, 0.99, 0.999, 0.9999)

    def __init__(self, steps=50, beta_1=0.9, beta_2=0.999, gradient="constant", seed=0):
        steps = _check_int("steps", steps, 1, self.MAX_STEPS)
        Adam(beta_1=beta_1, beta_2=beta_2)  # Adam checks the betas and names the bad one
        if beta_2 not in self.BETA_2_OPTIONS:
            raise ValueError(f"`beta_2` must be one of {self.BETA_2_OPTIONS}, got {beta_2!r}.")
        if gradient not in ("constant", "noisy"):
            raise ValueError(f"`gradient` must be 'constant' or 'noisy', got {gradient!r}.")
        self.seed = _check_int("seed", seed, 0)
        super().__init__()
        # The noisy gradient: mean 1, standard deviation 1, fixed by the seed.
        rng = np.random.default_rng(self.seed)
        self.gradients = {"constant": np.ones(self.MAX_STEPS),
                          "noisy": 1.0 + rng.standard_normal(self.MAX_STEPS)}
        self._cache = {}
        self.m_ax, self.v_ax, self.step_ax = self.figure.subplots(1, 3)
        self._build_artists()
        self.add_control("beta_1", widgets.FloatSlider(
            value=beta_1, min=0.0, max=0.99, step=0.01, description="beta_1",
            layout=widgets.Layout(width="260px")))
        self.add_control("beta_2", widgets.SelectionSlider(
            options=self.BETA_2_OPTIONS, value=beta_2, description="beta_2",
            layout=widgets.Layout(width="260px")))
        self.add_control("gradient", widgets.Dropdown(
            options=["constant", "noisy"], value=gradient, description="gradient",
            layout=widgets.Layout(width="200px")))
        self.add_control("steps", widgets.IntSlider(
            value=steps, min=1, max=self.MAX_STEPS, description="steps",
            layout=widgets.Layout(width="260px")))
        self.add_control("show", widgets.ToggleButtons(
            options=["both", "with correction (Adam)", "without correction"], value="both",
            description="show", style={"button_width": "auto"}))
        self.refresh()

    def _build_artists(self):
        # One look per meaning in all three panels, so a single legend explains them:
        # grey dots = the gradient, orange = with correction (Adam), dashed = without.
        grad_style = dict(color=style.GREY, marker=".", ms=3, ls="none")
        with_fix = dict(color=style.color_of("Adam"), lw=2)
        without_fix = dict(color=style.BLACK, lw=1.4, ls="--")

        ax = self.m_ax
        (self.g_points,) = ax.plot([], [], **grad_style)
        (self.m_raw,) = ax.plot([], [], **without_fix)
        (self.m_hat,) = ax.plot([], [], **with_fix)
        ax.set_title("first moment (average of $g$)\n"
                     r"$m_t$ and $\hat m_t = m_t\,/\,(1-\beta_1^t)$", fontsize=9, y=1.0)
        ax.set_ylabel("value")

        ax = self.v_ax
        (self.g2_points,) = ax.plot([], [], **grad_style)
        (self.v_raw,) = ax.plot([], [], **without_fix)
        (self.v_hat,) = ax.plot([], [], **with_fix)
        ax.set_yscale("log")
        ax.set_ylim(1e-5, 30)
        ax.set_title("second moment (average of $g^2$)\n"
                     r"$v_t$ and $\hat v_t = v_t\,/\,(1-\beta_2^t)$", fontsize=9, y=1.0)

        ax = self.step_ax
        lr_line = ax.axhline(1.0, color=style.GREY, lw=0.8, ls=":")
        (self.step_with,) = ax.plot([], [], **with_fix)
        (self.step_without,) = ax.plot([], [], **without_fix)
        ax.set_yscale("log")
        ax.set_ylim(1e-2, 1e2)
        ax.set_title("size of the step\n"
                     r"$|\theta_t - \theta_{t-1}|\ /\ \mathrm{lr}$", fontsize=9, y=1.0)

        for ax in (self.m_ax, self.v_ax, self.step_ax):
            ax.set_xlabel("step t")
            _few_ticks(ax)
        self.animate(self.g_points, self.m_raw, self.m_hat, self.g2_points, self.v_raw, self.v_hat,
                     self.step_with, self.step_without)
        self.figure.legend(
            [self.g_points, self.m_hat, self.m_raw, lr_line],
            ["gradient $g_t$ (left), $g_t^2$ (middle)", "with bias correction (optimizers.Adam)",
             "without correction (variant)", "step = lr"],
            loc="outside lower center", ncols=4, fontsize=8, frameon=False)

    def moments(self, beta_1, beta_2, gradient, steps):
        """Run ``optimizers.Adam`` on one parameter fed a fixed gradient sequence.

        Returns a dict of arrays over t = 1..steps: ``g``, raw ``m`` and ``v`` read
        from ``adam.state[0]`` after each step, ``step`` = parameter change / lr of
        Adam itself, and ``m_hat``, ``v_hat`` (the raw moments divided by
        ``1 - beta^t``). Cached: the values cycle through a few slider positions.
        """
        key = (beta_1, beta_2, gradient, steps)
        if key not in self._cache:
            if len(self._cache) >= 512:  # a long session of slider moves: start afresh
                self._cache.clear()
            g = self.gradients[gradient][:steps]
            adam = Adam(self.LEARNING_RATE, beta_1=beta_1, beta_2=beta_2)
            theta = np.zeros(1)
            m, v, step = np.empty(steps), np.empty(steps), np.empty(steps)
            for t in range(steps):  # Adam is a recursion in t; one tiny apply per step
                before = theta[0]
                adam.apply([g[t:t + 1]], [theta])
                m[t], v[t] = adam.state[0]["m"][0], adam.state[0]["v"][0]
                step[t] = (before - theta[0]) / self.LEARNING_RATE
            t = np.arange(1, steps + 1)
            self._cache[key] = dict(g=g, m=m, v=v, step=step,
                                    m_hat=m / (1 - beta_1**t), v_hat=v / (1 - beta_2**t))
        return self._cache[key]

    def update(self):
        beta_1 = self.controls["beta_1"].value
        beta_2 = self.controls["beta_2"].value
        gradient = self.controls["gradient"].value
        steps = self.controls["steps"].value
        Adam(beta_1=beta_1, beta_2=beta_2)  # a programmatic bad value gets Adam's message
        steps = _check_int("steps", steps, 1, self.MAX_STEPS)
        if gradient not in self.gradients:
            raise ValueError(f"`gradient` must be 'constant' or 'noisy', got {gradient!r}.")
        adam = self.moments(beta_1, beta_2, gradient, steps)
        m_var, v_var, step_var = adam_without_correction(adam["g"], beta_1, beta_2, Adam().epsilon)
        t = np.arange(1, steps + 1)

        self.g_points.set_data(t, adam["g"])
        self.m_raw.set_data(t, adam["m"])
        self.m_hat.set_data(t, adam["m_hat"])
        self.g2_points.set_data(t, adam["g"] ** 2)
        self.v_raw.set_data(t, adam["v"])
        self.v_hat.set_data(t, adam["v_hat"])
        self.step_with.set_data(t, np.abs(adam["step"]))
        self.step_without.set_data(t, np.abs(step_var))

        show = self.controls["show"].value
        for line in (self.m_hat, self.v_hat, self.step_with):
            line.set_visible(show != "without correction")
        for line in (self.m_raw, self.v_raw, self.step_without):
            line.set_visible(show != "with correction (Adam)")

        for ax in (self.m_ax, self.v_ax, self.step_ax):
            ax.set_xlim(0, steps + 1)
        self.m_ax.set_ylim((-0.1, 1.3) if gradient == "constant" else (-2.5, 4.0))
        ratio = abs(step_var[0]) / max(abs(adam["step"][0]), 1e-300)
        self.warn(f"beta_1={beta_1:g}, beta_2={beta_2:g}: at t=1 the uncorrected step is "
                  f"{ratio:.2g} times Adam's; the corrections fade as beta^t -> 0 "
                  f"(1 - beta_2^{steps} = {1 - beta_2**steps:.2g}).")


def bias_correction(steps=50, beta_1=0.9, beta_2=0.999, gradient="constant", seed=0):
    """Adam's bias correction, switched on and off.

    **What it teaches.** Adam keeps running averages ``m_t`` (of the gradient)
    and ``v_t`` (of its square), both started at 0. Early on they are pulled
    towards that 0 start: with ``beta_2=0.999``, ``v_1`` is only 0.001 g^2.
    Dividing by ``1 - beta^t`` removes exactly that pull (left and middle panels:
    the corrected curves sit on the gradient's level from the first step).
    Without the correction the step ``lr * m / sqrt(v)`` is badly scaled for the
    first hundreds of steps: several times too large when ``beta_2`` is closer to 1
    than ``beta_1`` (the usual case), far too small in the opposite case (right
    panel; Adam's own step stays near ``lr`` for a constant gradient).

    The corrected curves come from :class:`optimizers.Adam` (its stored ``m`` and
    ``v`` and the parameter changes it makes); the uncorrected step comes from
    :func:`adam_without_correction`, a few lines written only for this comparison.

    **Controls.**
    ``beta_1``: decay of the first moment. ``beta_2``: decay of the second moment.
    ``gradient``: a constant 1, or noisy (mean 1, standard deviation 1, seeded).
    ``steps``: how many steps to show. ``show``: both variants, or one of them.

    Args:
        steps, beta_1, beta_2, gradient: initial control values (``beta_2`` one of
            0.9, 0.99, 0.999, 0.9999; ``steps`` 1 to 300).
        seed: seeds the noisy gradient.

    >>> app = bias_correction(steps=3)
    >>> app.m_hat.get_ydata().round(6).tolist()    # a constant gradient of 1 is recovered at once
    [1.0, 1.0, 1.0]
    """
    return BiasCorrectionApp(steps=steps, beta_1=beta_1, beta_2=beta_2, gradient=gradient, seed=seed)


# =========================================================================== schedule explorer


def _float_text(value, name):
    return widgets.FloatText(value=value, description=name, style=_WIDE_LABEL,
                             layout=widgets.Layout(width="240px"))


def _slider(kind, value, low, high, step, name):
    return kind(value=value, min=low, max=high, step=step, description=name, style=_WIDE_LABEL,
                layout=widgets.Layout(width="300px"))


def _parse_numbers(name, text):
    """``"100, 300"`` -> ``[100, 300]`` (ints stay ints, so the Keras call reads naturally)."""
    if not isinstance(text, str):
        raise TypeError(f"`{name}` must be text such as '100, 300', got {type(text).__name__}.")
    numbers_ = []
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            value = float(part)
        except ValueError:
            raise ValueError(f"`{name}` must be numbers separated by commas, got {part!r} "
                             f"in {text!r}.") from None
        numbers_.append(int(value) if value.is_integer() and "." not in part and "e" not in part.lower()
                        else value)
    return numbers_


class ScheduleExplorerApp(App):
    """Learning rate against step for any of the six Keras schedules.

    See :func:`schedule_explorer` for what it teaches and what each control does.
    """

    #: The starting values shown the first time each schedule is chosen.
    PRESETS = {
        "ExponentialDecay": dict(initial_learning_rate=0.1, decay_steps=200, decay_rate=0.5,
                                 staircase=False),
        "PiecewiseConstantDecay": dict(boundaries="300, 600", values="0.1, 0.01, 0.001"),
        "InverseTimeDecay": dict(initial_learning_rate=0.1, decay_steps=100, decay_rate=1.0,
                                 staircase=False),
        "PolynomialDecay": dict(initial_learning_rate=0.1, decay_steps=800,
                                end_learning_rate=0.0001, power=2.0, cycle=False),
        "CosineDecay": dict(initial_learning_rate=0.0, decay_steps=900, alpha=0.0,
                            warmup_target="0.1", warmup_steps=100),
        "CosineDecayRestarts": dict(initial_learning_rate=0.1, first_decay_steps=100, t_mul=2.0,
                                    m_mul=0.8, alpha=0.0),
    }

    def __init__(self, schedule="CosineDecay", steps=1000):
        if schedule not in schedules.ALL:
            raise ValueError(f"`schedule` must be one of {sorted(schedules.ALL)}, got {schedule!r}.")
        steps = _check_int("steps", steps, 10, 10_000)
        super().__init__(figsize=(style.FIGSIZE[0], 3.4))
        self.ax = self.figure.subplots()
        (self.line,) = self.ax.plot([], [], color=style.BLUE, lw=2)
        (self.peak_marker,) = self.ax.plot([], [], color=style.VERMILLION, marker="o", ms=5, ls="none",
                                           clip_on=False, in_layout=False)
        self.summary = self.ax.text(0.99, 0.95, "", transform=self.ax.transAxes, ha="right",
                                    va="top", fontsize=8.5,
                                    bbox=dict(facecolor="white", edgecolor="none", alpha=0.85))
        self.call_text = self.ax.set_title("", fontsize=8.5, family="monospace", y=1.0)
        self.ax.set_xlabel("step (updates applied so far)")
        self.ax.set_ylabel("learning rate")
        # Tick labels change width with the scale ("0.1" vs "0.0001"): keep the label
        # far enough left for the widest, so it never moves or overlaps them.
        self.ax.yaxis.set_label_coords(0, 0.5, self.ax.transAxes + ScaledTranslation(
            -0.5, 0, self.figure.dpi_scale_trans))
        _few_ticks(self.ax, 5)
        self.animate(self.line, self.peak_marker, self.summary, self.call_text)

        self._saved = {}  # schedule name -> the values the learner left it with
        self._shown = None
        self.add_control("schedule", widgets.Dropdown(
            options=list(schedules.ALL), value=schedule, description="schedule",
            layout=widgets.Layout(width="320px")))
        self.add_control("steps", _slider(widgets.IntSlider, steps, 10, 10_000, 10, "steps shown"))
        self.add_control("log_scale", widgets.Checkbox(value=False, description="log y axis",
                                                       indent=False, layout=widgets.Layout(width="110px")))
        for name, control in self._parameter_controls().items():
            self.add_control(name, control)
        self._first_view = (schedule, steps)
        self.refresh()

    def reset(self):
        """Go back to the first view: the first schedule with its preset values and a
        linear y axis. Values remembered for the other schedules are forgotten."""
        schedule, steps = self._first_view
        with self.quiet():
            self._saved.clear()
            self._shown = None
            self.controls["schedule"].value = schedule
            self.controls["steps"].value = steps
            self.controls["log_scale"].value = False
        self.refresh()

    @staticmethod
    def _parameter_controls():
        def text(value, name, placeholder=""):
            return widgets.Text(value=value, placeholder=placeholder, description=name,
                                continuous_update=False, style=_WIDE_LABEL,
                                layout=widgets.Layout(width="300px"))

        return {
            "initial_learning_rate": _float_text(0.1, "initial_learning_rate"),
            "decay_steps": _slider(widgets.IntSlider, 200, 1, 5000, 1, "decay_steps"),
            "first_decay_steps": _slider(widgets.IntSlider, 100, 1, 2000, 1, "first_decay_steps"),
            "decay_rate": _slider(widgets.FloatSlider, 0.5, 0.05, 2.0, 0.05, "decay_rate"),
            "staircase": widgets.Checkbox(value=False, description="staircase"),
            "end_learning_rate": _float_text(0.0001, "end_learning_rate"),
            "power": _slider(widgets.FloatSlider, 1.0, 0.1, 5.0, 0.1, "power"),
            "cycle": widgets.Checkbox(value=False, description="cycle"),
            "alpha": _slider(widgets.FloatSlider, 0.0, 0.0, 1.0, 0.05, "alpha"),
            "warmup_target": text("", "warmup_target", placeholder="None"),
            "warmup_steps": _slider(widgets.IntSlider, 0, 0, 2000, 10, "warmup_steps"),
            "t_mul": _slider(widgets.FloatSlider, 2.0, 0.5, 3.0, 0.1, "t_mul"),
            "m_mul": _slider(widgets.FloatSlider, 1.0, 0.0, 1.5, 0.05, "m_mul"),
            "boundaries": text("300, 600", "boundaries"),
            "values": text("0.1, 0.01, 0.001", "values"),
        }

    @staticmethod
    def arguments(schedule):
        """Constructor arguments of a schedule class, in order (without ``name``)."""
        parameters = inspect.signature(schedules.ALL[schedule]).parameters
        return [p for p in parameters.values() if p.name != "name"]

    def _switch_to(self, schedule):
        """Show only the chosen schedule's controls, with its last (or preset) values."""
        with self.quiet():  # one refresh for the whole switch, not one per control
            if self._shown is not None:
                self._saved[self._shown] = {p.name: self.controls[p.name].value
                                            for p in self.arguments(self._shown)}
            for name, value in self._saved.get(schedule, self.PRESETS[schedule]).items():
                self.controls[name].value = value
            relevant = {p.name for p in self.arguments(schedule)}
            for name, control in self.controls.items():
                if name not in ("schedule", "steps", "log_scale"):
                    control.layout.display = None if name in relevant else "none"
        self._shown = schedule

    def build(self):
        """The schedule the controls describe, and the keyword arguments used."""
        schedule = self.controls["schedule"].value
        kwargs = {}
        for p in self.arguments(schedule):
            value = self.controls[p.name].value
            if p.name == "warmup_target":
                value = _parse_numbers("warmup_target", value) if value.strip().lower() not in ("", "none") else [None]
                if len(value) != 1:
                    raise ValueError(f"`warmup_target` must be one number or empty (None), got {len(value)} numbers.")
                value = value[0]
            elif p.name in ("boundaries", "values"):
                value = _parse_numbers(p.name, value)
            kwargs[p.name] = value
        return schedules.ALL[schedule](**kwargs), kwargs

    @staticmethod
    def keras_call(schedule, kwargs, parameters):
        """``keras.optimizers.schedules.Name(positional..., keyword=...)``; defaults left out."""
        parts = []
        for p in parameters:
            value = kwargs[p.name]
            if p.default is inspect.Parameter.empty:
                parts.append(repr(value))
            elif value != p.default:
                parts.append(f"{p.name}={value!r}")
        return f"keras.optimizers.schedules.{schedule}({', '.join(parts)})"

    def update(self):
        schedule_name = self.controls["schedule"].value
        if schedule_name not in schedules.ALL:
            raise ValueError(f"`schedule` must be one of {sorted(schedules.ALL)}, got {schedule_name!r}.")
        if schedule_name != self._shown:
            self._switch_to(schedule_name)
        steps = _check_int("steps", self.controls["steps"].value, 1)
        try:
            schedule, kwargs = self.build()
            t = np.arange(steps + 1)
            lr = schedule(t)
        except (ValueError, TypeError):
            # Keep the last valid curve, faded, so the picture does not vanish while typing.
            self.line.set_alpha(0.3)
            self.call_text.set_text(f"{schedule_name}: invalid settings (see the message above); "
                                    "last valid curve shown faded")
            raise
        self.line.set_alpha(1.0)
        self.line.set_data(t, lr)
        peak = int(np.argmax(lr))
        self.peak_marker.set_data([peak], [lr[peak]])
        self.summary.set_text(f"start {lr[0]:.3g}\npeak {lr[peak]:.3g} at step {peak}\n"
                              f"step {steps}: {lr[-1]:.3g}")
        self.call_text.set_text(self.keras_call(schedule_name, kwargs, self.arguments(schedule_name)))

        self.ax.set_xlim(0, steps)
        scale = "log" if self.controls["log_scale"].value else "linear"
        if scale != self.ax.get_yscale():
            self.ax.set_yscale(scale)
            _few_ticks(self.ax, 5)  # set_yscale resets the tick locators and formatters
            self.invalidate()
        self.ax.set_ylim(self._y_range(lr, scale))
        self.warn("")

    def _y_range(self, lr, scale):
        """Round y limits that change only when the curve outgrows them or shrinks a lot.

        A steady axis lets the eye compare curves; it also lets the app redraw only
        the curve, not the whole axes, for most slider moves.
        """
        low, high = self.ax.get_ylim()
        if scale == "log":
            positive = lr[lr > 0]
            if positive.size == 0:
                raise ValueError("every learning rate is 0: nothing to show on a log axis "
                                 "(untick `log y axis`).")
            # Half-decade steps (1, 3, 10, 30, ...) with a little room around the rates.
            def half_decades(value, up):
                k = (math.ceil if up else math.floor)(2 * math.log10(value))
                return 10.0 ** (k // 2) * (3.0 if k % 2 else 1.0)
            return half_decades(positive.min() / 1.2, up=False), half_decades(positive.max() * 1.2, up=True)
        top = float(np.max(lr))
        if top <= 0:
            return 0.0, high if high > 0 else 1.0
        if low != 0 or not 0.4 * high <= 1.05 * top <= high:
            high = _nice_ceiling(1.1 * top)
        return 0.0, high


def schedule_explorer(schedule="CosineDecay", steps=1000):
    """Explore the six learning-rate schedules of Keras (and of :mod:`optimizers.schedules`).

    **What it teaches.** A schedule is a function from the step count to the
    learning rate. Pick one and move its parameters: decay to a floor
    (exponential, 1/t, polynomial, cosine), drop in steps (piecewise constant,
    or ``staircase``), warm up before decaying (cosine with ``warmup_target``),
    or restart (cosine with restarts). The title is the Keras call that gives the
    same curve (arguments at their default are left out); the box gives the start,
    the peak (red dot) and the last rate. Invalid combinations, such as a
    ``warmup_target`` below ``initial_learning_rate``, show the schedule's own
    error message and leave the last valid curve, faded.

    **Controls.** ``schedule`` picks the class; only its arguments are shown, with
    the names Keras uses: ``initial_learning_rate``, ``decay_steps`` /
    ``first_decay_steps``, ``decay_rate``, ``staircase``, ``end_learning_rate``,
    ``power``, ``cycle``, ``alpha``, ``warmup_target`` (empty = None),
    ``warmup_steps``, ``t_mul``, ``m_mul``, and ``boundaries`` / ``values`` as
    comma-separated numbers. ``steps shown`` sets the x range; ``log y axis`` helps
    with exponential decays. Each schedule remembers your values when you switch away.

    Args:
        schedule: the schedule shown first (a name in ``optimizers.schedules.ALL``).
        steps: initial number of steps shown (10 to 10000).

    >>> app = schedule_explorer("ExponentialDecay")
    >>> app.call_text.get_text()
    'keras.optimizers.schedules.ExponentialDecay(0.1, 200, 0.5)'
    """
    return ScheduleExplorerApp(schedule=schedule, steps=steps)
