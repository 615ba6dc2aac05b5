"""The training loop: batch, mini-batch and stochastic gradient descent.

One loop trains every model of :mod:`optimizers.models` with every optimizer of
this package. Each *update* is::

    loss, grads = model.loss_and_grads(X_batch, y_batch)   # gradient on some rows
    optimizer.apply(grads, model.params)                   # one step of the rule

and an *epoch* is one pass over the training rows. How many rows feed each
gradient is the only difference between the three classic regimes:

=================  ===================  ==========================
regime             ``batch_size``       updates per epoch (n rows)
=================  ===================  ==========================
batch GD           ``None``             1
mini-batch GD      ``k``                ceil(n / k)
stochastic GD      ``1``                n
=================  ===================  ==========================

So "batch", "mini-batch" and "stochastic" describe how the gradient is estimated,
not which optimizer runs: ``SGD``, ``Adam`` or any other rule can be used in all
three regimes.

Example
-------
>>> import numpy as np
>>> from optimizers import SGD
>>> from optimizers.models import LinearRegression
>>> X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0]])
>>> y = 2.0 * X[:, 0] + 1.0
>>> history = fit(LinearRegression(1), SGD(0.05), X, y, batch_size=2, epochs=3,
...               progress=False)
>>> history.updates_per_epoch, history.n_updates, len(history.epoch_train_loss)
(3, 9, 3)
"""

from __future__ import annotations

import math
import numbers
import sys
import time
import warnings
from dataclasses import dataclass, field

import numpy as np

__all__ = ["History", "fit", "evaluate", "minibatches", "updates_per_epoch"]

#: With ``progress="auto"`` a bar is shown in a notebook once a run has at least
#: this many updates: shorter runs finish before a bar would tell you anything.
PROGRESS_MIN_UPDATES = 2000


# ---------------------------------------------------------------------------
# Argument checks (each error names the argument and what is allowed)
# ---------------------------------------------------------------------------


def _check_int(name, value, minimum=None):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        allowed = "an integer" if minimum is None else f"an integer >= {minimum}"
        raise TypeError(f"`{name}` must be {allowed}, got {value!r} ({type(value).__name__}).")
    if minimum is not None and value < minimum:
        raise ValueError(f"`{name}` must be an integer >= {minimum}, got {value!r}.")
    return int(value)


def _check_batch_size(batch_size):
    if batch_size is None:
        return None
    if isinstance(batch_size, (bool, np.bool_)) or not isinstance(batch_size, numbers.Integral):
        raise TypeError("`batch_size` must be None (full batch) or an integer >= 1, "
                        f"got {batch_size!r} ({type(batch_size).__name__}).")
    if batch_size < 1:
        raise ValueError(f"`batch_size` must be None (full batch) or an integer >= 1, got {batch_size!r}.")
    return int(batch_size)


def _check_bool(name, value):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"`{name}` must be True or False, got {value!r}.")
    return bool(value)


def _as_inputs(X, y, x_name="X", y_name="y"):
    """Return ``X`` as a float64 (n, d) array and ``y`` as an array of n entries."""
    X = np.asarray(X)
    if X.dtype == np.bool_ or not (np.issubdtype(X.dtype, np.floating) or np.issubdtype(X.dtype, np.integer)):
        raise TypeError(f"`{x_name}` must be an array of real numbers, got dtype {X.dtype}.")
    if X.ndim != 2:
        hint = " (for a single feature use X.reshape(-1, 1))" if X.ndim == 1 else ""
        raise ValueError(f"`{x_name}` must be 2-D, one row per example, got shape {X.shape}{hint}.")
    if X.shape[0] == 0:
        raise ValueError(f"`{x_name}` must have at least one row, got shape {X.shape}.")
    y = np.asarray(y)
    if y.ndim == 0 or len(y) != len(X):
        got = "a scalar" if y.ndim == 0 else f"{len(y)} entries"
        raise ValueError(f"`{y_name}` must have one entry per row of `{x_name}` ({len(X)}), got {got}.")
    return X.astype(np.float64, copy=False), y


def _check_model(model):
    needed = ("params", "param_names", "loss_and_grads", "loss", "metric", "metric_name")
    missing = [a for a in needed if not hasattr(model, a)]
    if missing:
        raise TypeError(f"`model` must be a model from optimizers.models (with params, loss_and_grads, "
                        f"loss, metric...); {type(model).__name__} lacks {', '.join(missing)}.")


def _check_optimizer(optimizer):
    if not callable(getattr(optimizer, "apply", None)):
        raise TypeError(f"`optimizer` must be an optimizer such as optimizers.SGD(...), "
                        f"got {type(optimizer).__name__}.")


def _check_fits_model(model, X, y, argument=None):
    """Let the model check widths and labels once, up front, so errors come before any update.

    The model's own message names ``X``/``y``; for the validation set it is prefixed
    with ``argument`` so the learner knows which pair is meant.
    """
    try:
        model.loss(X, y)
    except (TypeError, ValueError) as error:
        if argument is None:
            raise
        raise type(error)(f"`{argument}`: {error}") from None


# ---------------------------------------------------------------------------
# Mini-batches
# ---------------------------------------------------------------------------


def updates_per_epoch(n, batch_size):
    """Number of updates in one epoch over ``n`` rows: ``1`` for ``None``, else ceil(n / batch_size).

    >>> updates_per_epoch(10, None), updates_per_epoch(10, 1), updates_per_epoch(10, 3)
    (1, 10, 4)
    """
    n = _check_int("n", n, 1)
    batch_size = _check_batch_size(batch_size)
    return 1 if batch_size is None else -(-n // batch_size)


def minibatches(n, batch_size, rng=None, shuffle=True):
    """Yield the row indices of each batch of one epoch over ``n`` rows.

    The rows ``0 .. n-1`` are put in an order (a fresh random permutation drawn
    from ``rng`` when ``shuffle``, else ``0, 1, ..., n-1``) and cut into
    consecutive batches of ``batch_size`` rows; the last batch holds the
    remainder and may be smaller. Together the batches use every row exactly once.

    ``batch_size=None`` yields one batch of all rows, in order: the full-batch
    gradient is an average over all rows, so shuffling would only change round-off.
    A ``batch_size`` larger than ``n`` also gives one batch.

    Args:
        n: number of rows (>= 1).
        batch_size: None (all rows), or an integer >= 1.
        rng: a ``np.random.Generator`` (one per training run, so each call, i.e.
            each epoch, draws a new order) or an int seed. Needed only to shuffle.
        shuffle: draw a random order (True) or keep the rows in order (False).

    Yields:
        int64 arrays of row indices.

    >>> [b.tolist() for b in minibatches(5, 2, shuffle=False)]
    [[0, 1], [2, 3], [4]]
    >>> rng = np.random.default_rng(0)
    >>> sorted(np.concatenate(list(minibatches(5, 2, rng))).tolist())
    [0, 1, 2, 3, 4]
    """
    n = _check_int("n", n, 1)
    batch_size = _check_batch_size(batch_size)
    shuffle = _check_bool("shuffle", shuffle)
    if batch_size is None:
        yield np.arange(n)
        return
    if shuffle:
        if rng is None:
            raise ValueError("`rng` is needed when `shuffle=True`: pass np.random.default_rng(seed) or a seed.")
        if not isinstance(rng, np.random.Generator):
            rng = np.random.default_rng(_check_int("rng", rng))
        order = rng.permutation(n)
    else:
        order = np.arange(n)
    for start in range(0, n, batch_size):
        yield order[start:start + batch_size]


# ---------------------------------------------------------------------------
# History
# ---------------------------------------------------------------------------


@dataclass
class History:
    """What :func:`fit` recorded, update by update and epoch by epoch.

    Per update (arrays of length ``n_updates``, index ``k`` = the k-th update, from 0):
        loss: the mini-batch loss the gradient was computed on (before the update).
        learning_rate: the rate that update used, ``optimizer.current_learning_rate()``
            read just before it (the mean, for an array learning rate).
        grad_norms: shape ``(n_updates, len(param_names))``; entry ``[k, j]`` is the
            L2 norm ``sqrt(sum(g_j**2))`` of the gradient of parameter
            ``param_names[j]`` at update ``k``. ``history.grad_norm("W1")`` picks a column.

    Per epoch (lists of length ``epochs_run``, measured on the full sets after the
    epoch's updates):
        epoch_train_loss, epoch_train_metric, epoch_val_loss, epoch_val_metric
        (the validation lists stay empty without ``validation_data``);
        metric_name says what the metric is ("accuracy" or "mse").

    Run:
        batch_size, updates_per_epoch, n_updates, epochs_run, wall_time (seconds).

    Divergence:
        diverged: True when a loss, gradient or parameter became NaN or infinite.
        diverged_at: index ``k`` of the last update recorded (``loss[k]`` is the last
            entry): its loss or gradient was non-finite, or the parameters or the
            training-set loss were right after it. diverged_epoch is its epoch. Both
            count from 0; both are None for a run that did not diverge.
        message: one sentence on how the run ended.
    """

    loss: np.ndarray
    learning_rate: np.ndarray
    grad_norms: np.ndarray
    param_names: list
    epoch_train_loss: list = field(default_factory=list)
    epoch_train_metric: list = field(default_factory=list)
    epoch_val_loss: list = field(default_factory=list)
    epoch_val_metric: list = field(default_factory=list)
    metric_name: str = ""
    batch_size: int | None = None
    updates_per_epoch: int = 0
    n_updates: int = 0
    epochs_run: int = 0
    wall_time: float = 0.0
    diverged: bool = False
    diverged_at: int | None = None
    diverged_epoch: int | None = None
    message: str = ""

    def grad_norm(self, name):
        """The gradient norms of parameter ``name`` over all updates (one column of ``grad_norms``)."""
        if name not in self.param_names:
            raise ValueError(f"`name` must be one of {self.param_names}, got {name!r}.")
        return self.grad_norms[:, self.param_names.index(name)]

    def summary(self):
        """A few lines for a human: the regime, final losses and metric, and how the run ended."""
        regime = ("batch GD" if self.batch_size is None else
                  "stochastic GD" if self.batch_size == 1 else f"mini-batch GD (batch_size={self.batch_size})")
        lines = [f"{regime}: {self.epochs_run} epoch(s), {self.n_updates} update(s) "
                 f"({self.updates_per_epoch} per epoch) in {self.wall_time:.2f} s"]
        if self.epoch_train_loss:
            lines.append(f"final train loss {self.epoch_train_loss[-1]:.4g}, "
                         f"{self.metric_name} {self.epoch_train_metric[-1]:.4g}")
        if self.epoch_val_loss:
            lines.append(f"final val   loss {self.epoch_val_loss[-1]:.4g}, "
                         f"{self.metric_name} {self.epoch_val_metric[-1]:.4g}")
        lines.append(("DIVERGED: " if self.diverged else "") + self.message)
        return "\n".join(lines)

    def to_dict(self):
        """Every field as plain Python values (lists, floats), e.g. for ``json.dump``."""
        out = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            out[name] = value.tolist() if isinstance(value, np.ndarray) else (
                list(value) if isinstance(value, list) else value)
        return out


# ---------------------------------------------------------------------------
# Helpers of the loop
# ---------------------------------------------------------------------------


def evaluate(model, X, y):
    """Return ``(loss, metric)`` of ``model`` on all rows of ``(X, y)``, as floats.

    The loss is the model's training loss averaged over the rows; the metric is
    ``model.metric`` (accuracy for classifiers, MSE for regression).

    >>> from optimizers.models import LinearRegression
    >>> model = LinearRegression(1)
    >>> model.params[0][...] = 1.0
    >>> evaluate(model, np.array([[1.0], [2.0]]), np.array([1.0, 4.0]))  # residuals 0, -2
    (1.0, 2.0)
    """
    return float(model.loss(X, y)), float(model.metric(X, y))


def _current_rate(optimizer):
    """The learning rate of the optimizer's next update, as one float (NaN if unknown)."""
    source = optimizer
    if not hasattr(source, "current_learning_rate") and hasattr(source, "inner"):
        source = source.inner  # a wrapper such as Lookahead steps with its inner optimizer's rate
    if hasattr(source, "current_learning_rate"):
        rate = source.current_learning_rate()
    else:
        rate = getattr(source, "learning_rate", math.nan)
    if isinstance(rate, numbers.Real) or np.ndim(rate) == 0:
        return float(rate)
    return float(np.mean(rate))


def _first_non_finite(arrays, names):
    """Name and the bad value's kind ("nan"/"inf") of the first array with a non-finite entry."""
    for name, a in zip(names, arrays):
        a = np.asarray(a)
        if not np.isfinite(a).all():
            return name, ("nan" if np.isnan(a).any() else "inf")
    return None


def _in_jupyter_kernel():
    """True inside a Jupyter kernel (a notebook or JupyterLab console), False elsewhere.

    IPython is only looked up if something already imported it: a plain script or
    pytest never did, and then we are certainly not in a kernel.
    """
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def _show_progress(progress, total_updates):
    if progress == "auto":
        return total_updates >= PROGRESS_MIN_UPDATES and _in_jupyter_kernel()
    return bool(progress)


# ---------------------------------------------------------------------------
# fit
# ---------------------------------------------------------------------------


def fit(model, optimizer, X, y, *, batch_size=None, epochs=1, validation_data=None, seed=0,
        shuffle=True, progress="auto", stop_on_divergence=True):
    """Train ``model`` in place with ``optimizer`` and return a :class:`History`.

    Each epoch cuts the training rows into batches (see :func:`minibatches`) and,
    for each batch B, does one update::

        loss, g = model.loss_and_grads(X[B], y[B])    # g = gradient of the mean loss over B
        optimizer.apply(g, model.params)              # e.g. SGD: p <- p - lr * g

    then measures loss and metric on the full training set (and on
    ``validation_data``). ``batch_size=None`` is batch gradient descent (one update
    per epoch on all rows), ``1`` is stochastic gradient descent (n updates),
    ``k`` is mini-batch gradient descent (ceil(n / k) updates, the last batch may be
    smaller; ``k > n`` gives one batch). These are properties of how the gradient is
    computed, not different optimizers: any optimizer works with any batch size.

    Args:
        model: a model from :mod:`optimizers.models`; its ``params`` are updated in place.
        optimizer: an optimizer of this package, e.g. ``SGD(0.1)`` or ``Adam()``.
        X: training inputs, a 2-D array (n, n_features).
        y: training targets, one per row of ``X``.
        batch_size: None, or an integer >= 1.
        epochs: number of passes over the data, an integer >= 1.
        validation_data: optional ``(X_val, y_val)``, evaluated after every epoch.
        seed: integer seed of the one generator that shuffles the rows, epoch after
            epoch: the same seed (and the same initial model and optimizer) gives
            bit-identical histories and parameters.
        shuffle: reshuffle the rows every epoch (True) or keep their order (False).
        progress: ``"auto"`` shows a tqdm bar over the epochs only inside a Jupyter
            kernel and when the run has at least ``PROGRESS_MIN_UPDATES`` updates;
            ``True`` always, ``False`` never. The bar is a widget whose output nbval
            cannot compare, so lessons pass ``progress=False`` in checked cells.
        stop_on_divergence: stop at the first NaN or infinite loss, gradient or
            parameter (True), or record it and keep going (False).

    Returns:
        a :class:`History`.

    Divergence: a NaN or infinite mini-batch loss or gradient, a parameter that
    overflows in an update, or a non-finite training-set loss at the end of an epoch
    sets ``history.diverged``, ``diverged_at`` and ``message`` (which suggests a
    smaller learning rate) and emits one ``RuntimeWarning`` with that message; the
    optimizer's own per-step warnings are silenced inside ``fit`` so the report comes
    once. No exception is raised. The history ends with update ``diverged_at``, and
    the parameters are left as they were when the problem was seen: a non-finite
    loss or gradient is not applied, so they keep the last finite (often huge)
    values; after an update that overflowed they hold its NaN/inf. Copy the model
    first (``model.copy()``) if you want to keep the initial weights.

    Every argument is checked before the first update; an error names the argument.
    """
    # -- checks, all before anything is changed -------------------------------
    _check_model(model)
    _check_optimizer(optimizer)
    X, y = _as_inputs(X, y)
    batch_size = _check_batch_size(batch_size)
    epochs = _check_int("epochs", epochs, 1)
    seed = _check_int("seed", seed)
    shuffle = _check_bool("shuffle", shuffle)
    stop_on_divergence = _check_bool("stop_on_divergence", stop_on_divergence)
    if not (progress == "auto" or isinstance(progress, (bool, np.bool_))):
        raise ValueError(f"`progress` must be 'auto', True or False, got {progress!r}.")
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise TypeError("`validation_data` must be a 2-tuple (X_val, y_val), got "
                            f"{type(validation_data).__name__}"
                            + (f" of length {len(validation_data)}" if hasattr(validation_data, "__len__") else "")
                            + ".")
        X_val, y_val = _as_inputs(*validation_data, x_name="validation_data[0]", y_name="validation_data[1]")
    with np.errstate(all="ignore"):
        _check_fits_model(model, X, y)
        if validation_data is not None:
            _check_fits_model(model, X_val, y_val, "validation_data")

    # -- the loop ---------------------------------------------------------------
    n = len(X)
    per_epoch = updates_per_epoch(n, batch_size)
    total = epochs * per_epoch
    names = list(model.param_names)
    losses = np.empty(total)
    rates = np.empty(total)
    norms = np.empty((total, len(names)))
    history = History(losses, rates, norms, names, metric_name=model.metric_name,
                      batch_size=batch_size, updates_per_epoch=per_epoch)
    rng = np.random.default_rng(seed)
    k = 0  # updates recorded so far
    stopped = False

    bar = None
    if _show_progress(progress, total):
        from tqdm.auto import tqdm  # imported only when a bar is shown
        bar = tqdm(total=epochs, desc="fit", unit="epoch")

    def diverge(cause, step, epoch, rate):
        if not history.diverged:
            history.diverged, history.diverged_at, history.diverged_epoch = True, step, epoch
            history.message = (f"diverged at update {step} (epoch {epoch}): {cause}; "
                               f"try a smaller learning rate (it was {rate:.3g})")

    start_time = time.perf_counter()
    try:
        # NumPy's overflow warnings and the optimizer's per-step warnings are silenced:
        # the loop detects non-finite values itself and reports them once, below.
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            for epoch in range(epochs):
                for rows in minibatches(n, batch_size, rng, shuffle):
                    if batch_size is None:
                        Xb, yb = X, y  # the full batch, in order: no copy needed
                    else:
                        Xb, yb = X[rows], y[rows]
                    loss, grads = model.loss_and_grads(Xb, yb)
                    rate = _current_rate(optimizer)
                    losses[k], rates[k] = loss, rate
                    norms[k] = [np.linalg.norm(g) for g in grads]
                    k += 1
                    bad = (None if math.isfinite(loss) else ("loss", "nan" if math.isnan(loss) else "inf"))
                    bad = bad or _first_non_finite(grads, [f"the gradient of {p!r}" for p in names])
                    if bad:
                        diverge(f"{bad[0]} became {bad[1]}", k - 1, epoch, rate)
                        if stop_on_divergence:
                            stopped = True
                            break
                    optimizer.apply(grads, model.params)
                    bad = _first_non_finite(model.params, [f"parameter {p!r}" for p in names])
                    if bad:
                        diverge(f"{bad[0]} became {bad[1]} after the update", k - 1, epoch, rate)
                        if stop_on_divergence:
                            stopped = True
                            break
                if stopped:
                    break
                train_loss, train_metric = evaluate(model, X, y)
                history.epoch_train_loss.append(train_loss)
                history.epoch_train_metric.append(train_metric)
                if validation_data is not None:
                    val_loss, val_metric = evaluate(model, X_val, y_val)
                    history.epoch_val_loss.append(val_loss)
                    history.epoch_val_metric.append(val_metric)
                if not math.isfinite(train_loss):
                    diverge(f"the training-set loss became {train_loss}", k - 1, epoch, rates[k - 1])
                    if stop_on_divergence:
                        break
                if bar is not None:
                    bar.set_postfix(loss=f"{train_loss:.4g}", refresh=False)
                    bar.update(1)
    finally:
        if bar is not None:
            bar.close()

    history.wall_time = time.perf_counter() - start_time
    history.loss, history.learning_rate, history.grad_norms = losses[:k], rates[:k], norms[:k]
    history.n_updates = k
    history.epochs_run = len(history.epoch_train_loss)
    if history.diverged:
        warnings.warn(history.message, RuntimeWarning, stacklevel=2)
    else:
        history.message = f"finished {history.epochs_run} epoch(s), {k} update(s)"
    return history
