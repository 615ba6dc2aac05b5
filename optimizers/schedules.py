"""Learning-rate schedules: the learning rate as a function of the update count.

A schedule is an object you call with ``step``, the number of updates applied so
far (0 for the very first update), and that returns the learning rate to use for
the next update. Pass one wherever a learning rate is expected::

    sgd = SGD(learning_rate=CosineDecay(0.1, decay_steps=1000))

Names, arguments, defaults and formulas follow ``keras.optimizers.schedules`` in
Keras 3, so a schedule written here reads the same in Keras. Every schedule also
accepts an array of steps and returns the whole curve in one vectorised call,
which is how the lessons plot them::

    lr = ExponentialDecay(0.1, 10, 0.5)(np.arange(100))

Steps may be integers (what an optimizer passes) or non-negative floats (handy for
smooth plots); a negative, NaN or infinite step is a ``ValueError``.
"""

from __future__ import annotations

import inspect
import math
import numbers

import numpy as np

from . import _checks

__all__ = [
    "LearningRateSchedule",
    "ExponentialDecay",
    "PiecewiseConstantDecay",
    "InverseTimeDecay",
    "PolynomialDecay",
    "CosineDecay",
    "CosineDecayRestarts",
    "serialize",
    "deserialize",
    "ALL",
]


# --------------------------------------------------------------------------- argument checks


def _real(name: str, value) -> float:
    """``value`` as a float; TypeError naming ``name`` if it is not a real number (bools too)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"`{name}` must be a real number, got {value!r} ({type(value).__name__}).")
    return float(value)


def _steps(name: str, value, *, allow_zero: bool = False):
    """A finite step count > 0 (or >= 0); an int stays an int so configs stay readable."""
    number = _real(name, value)
    low_ok = number >= 0 if allow_zero else number > 0
    if not (low_ok and math.isfinite(number)):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"`{name}` must be a finite number {bound}, got {value!r}.")
    return int(value) if isinstance(value, numbers.Integral) else number


def _fraction(name: str, value) -> float:
    """A fraction in the closed interval [0, 1] (``alpha``: the floor as a share of the peak)."""
    number = _real(name, value)
    if not 0.0 <= number <= 1.0:
        raise ValueError(f"`{name}` must be in [0, 1], got {value!r}.")
    return number


def _name(value) -> str:
    if not isinstance(value, str):
        raise TypeError(f"`name` must be a string, got {value!r} ({type(value).__name__}).")
    return value


def _as_steps(step):
    """Return ``(steps as a float64 array, whether the caller passed a single number)``."""
    scalar = not isinstance(step, (np.ndarray, list, tuple))
    if scalar and (isinstance(step, (bool, np.bool_)) or not isinstance(step, numbers.Real)):
        raise TypeError(f"`step` must be an int, a float or an array of them, "
                        f"got {step!r} ({type(step).__name__}).")
    array = np.asarray(step)
    if array.dtype == np.bool_ or not (np.issubdtype(array.dtype, np.integer)
                                       or np.issubdtype(array.dtype, np.floating)):
        raise TypeError(f"`step` array must hold integers or floats, got dtype {array.dtype}.")
    array = array.astype(np.float64)
    # One vectorised check covers negative, NaN and infinite steps at once.
    if not np.all((array >= 0) & np.isfinite(array)):
        bad = float(array[~((array >= 0) & np.isfinite(array))].flat[0])
        raise ValueError(f"`step` must be a finite number >= 0 (updates applied so far), "
                         f"got {bad!r}.")
    return array, scalar


# --------------------------------------------------------------------------- base class


class LearningRateSchedule:
    """Base class: a learning rate that depends on how many updates have been applied.

    ``schedule(step)`` returns the learning rate for the update that follows
    ``step`` earlier updates: a Python float for a single step, an ndarray of the
    same shape for an array of steps.

    To write your own schedule, either override ``__call__(step)`` (as in Keras),
    or implement ``_rate(s)``, which receives the steps as a float64 array that is
    already checked (finite, >= 0) and returns the rates as an array; the base class
    then handles single numbers and arrays for you. Implement ``get_config`` too so
    it can be saved.

    Example:
        >>> class Halving(LearningRateSchedule):
        ...     def __init__(self, lr):
        ...         self.lr = lr
        ...     def _rate(self, s):
        ...         return self.lr * 0.5 ** s
        ...     def get_config(self):
        ...         return {"lr": self.lr}
        >>> Halving(1.0)(3)
        0.125
        >>> Halving(1.0)
        Halving(lr=1.0)
    """

    def __call__(self, step):
        s, scalar = _as_steps(step)
        if scalar:
            # Evaluate a single step as a 1-element array, not a NumPy scalar: scalar
            # arithmetic takes other code paths (libm instead of NumPy's vector loops),
            # which can differ in the last bit from the same step inside a plotted curve.
            return float(np.asarray(self._rate(s.reshape(1)), dtype=np.float64)[0])
        return np.asarray(self._rate(s), dtype=np.float64)

    def _rate(self, s: np.ndarray) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__} must implement `_rate(s)` "
                                  "or override `__call__(step)`.")

    def get_config(self) -> dict:
        """The constructor arguments as a dict of plain Python values (JSON-able)."""
        raise NotImplementedError(f"{type(self).__name__} must implement `get_config()` "
                                  "to be saved and rebuilt.")

    @classmethod
    def from_config(cls, config: dict):
        """Rebuild a schedule from the output of :meth:`get_config`.

        Example:
            >>> s = ExponentialDecay(0.1, 10, 0.5)
            >>> ExponentialDecay.from_config(s.get_config())(20)
            0.025
        """
        if not isinstance(config, dict):
            raise TypeError(f"`config` must be a dict from get_config(), got {type(config).__name__}.")
        return cls(**config)

    def __repr__(self) -> str:
        config = self.get_config()
        # Leave out `name` while it is the default: it only adds noise to a printout.
        default = inspect.signature(type(self)).parameters.get("name")
        if default is not None and config.get("name") == default.default:
            config.pop("name")
        arguments = ", ".join(f"{key}={value!r}" for key, value in config.items())
        return f"{type(self).__name__}({arguments})"


# --------------------------------------------------------------------------- schedules


class ExponentialDecay(LearningRateSchedule):
    r"""Multiply the learning rate by ``decay_rate`` every ``decay_steps`` updates.

    .. math::  \eta(t) = \eta_0 \cdot r^{\,p}, \qquad p = t / T
               \quad (p = \lfloor t / T \rfloor \text{ if staircase})

    With ``staircase=True`` the rate drops in jumps (classic "step decay"); without,
    it shrinks smoothly by the same factor per ``decay_steps``. A ``decay_rate``
    above 1 makes the rate *grow*, which is what a learning-rate range test wants.

    Args:
        initial_learning_rate: :math:`\eta_0`, the rate at step 0 (>= 0).
        decay_steps: :math:`T`, updates per factor of ``decay_rate`` (> 0).
        decay_rate: :math:`r`, the factor applied per ``decay_steps`` (> 0).
        staircase: floor ``p`` so the rate changes only every ``decay_steps``.
            Default ``False``.
        name: label kept in the config. Default ``"ExponentialDecay"``.

    PyTorch: ``ExponentialLR(gamma)`` and ``StepLR(step_size, gamma)`` multiply the
    optimizer's stored rate each time you call ``scheduler.step()`` (usually once per
    epoch); here the rate is a pure function of the update count, never stored state.

    Example:
        >>> ExponentialDecay(0.1, 10, 0.5)(20)
        0.025
        >>> ExponentialDecay(0.1, 10, 0.5, staircase=True)(19)
        0.05
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 *, name="ExponentialDecay"):
        self.initial_learning_rate = _checks.non_negative("initial_learning_rate",
                                                          initial_learning_rate)
        self.decay_steps = _steps("decay_steps", decay_steps)
        self.decay_rate = _checks.positive("decay_rate", decay_rate)
        self.staircase = _checks.boolean("staircase", staircase)
        self.name = _name(name)

    def _rate(self, s):
        p = s / self.decay_steps
        if self.staircase:
            p = np.floor(p)
        return self.initial_learning_rate * self.decay_rate ** p

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


class PiecewiseConstantDecay(LearningRateSchedule):
    r"""A constant learning rate on each interval between step ``boundaries``.

    .. math::  \eta(t) = v_0 \text{ if } t \le b_0;\quad
               v_i \text{ if } b_{i-1} < t \le b_i;\quad
               v_n \text{ if } t > b_{n-1}

    **Off-by-one warning:** the comparisons are ``<=``. At ``step == boundaries[i]``
    the *old* value ``values[i]`` still applies; the new one starts one update
    later. With ``boundaries=[100]`` the 101st update (step 100) still uses
    ``values[0]``.

    Args:
        boundaries: strictly increasing steps (each >= 0) where the value changes.
        values: learning rates (each >= 0), one more than ``boundaries``.
        name: label kept in the config. Default ``"PiecewiseConstant"``.

    PyTorch: ``MultiStepLR(milestones, gamma)`` switches *at* the milestone (epoch
    ``>= milestone``) and multiplies by one ``gamma``; here you list every value and
    the switch happens one step after the boundary.

    Example:
        >>> schedule = PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
        >>> schedule(10), schedule(11), schedule(21)
        (1.0, 0.5, 0.1)
    """

    def __init__(self, boundaries, values, *, name="PiecewiseConstant"):
        for arg, sequence in (("boundaries", boundaries), ("values", values)):
            if not isinstance(sequence, (list, tuple, np.ndarray)):
                raise TypeError(f"`{arg}` must be a list of numbers, got {type(sequence).__name__}.")
        self.boundaries = [_steps("boundaries", b, allow_zero=True) for b in list(boundaries)]
        self.values = [_checks.non_negative("values", v) for v in list(values)]
        if any(b >= after for b, after in zip(self.boundaries, self.boundaries[1:])):
            raise ValueError(f"`boundaries` must be strictly increasing, got {self.boundaries}.")
        if len(self.values) != len(self.boundaries) + 1:
            raise ValueError(f"`values` must have one more entry than `boundaries` "
                             f"(len(boundaries)+1 = {len(self.boundaries) + 1}), "
                             f"got {len(self.values)} values.")
        self.name = _name(name)

    def _rate(self, s):
        # side="left" finds the first boundary >= s: exactly the "<=" rule above.
        interval = np.searchsorted(np.asarray(self.boundaries, dtype=np.float64), s, side="left")
        return np.asarray(self.values)[interval]

    def get_config(self):
        return {"boundaries": list(self.boundaries), "values": list(self.values),
                "name": self.name}


class InverseTimeDecay(LearningRateSchedule):
    r"""Divide the learning rate by a term that grows linearly with the step ("1/t decay").

    .. math::  \eta(t) = \frac{\eta_0}{1 + r\,p}, \qquad p = t / T
               \quad (p = \lfloor t / T \rfloor \text{ if staircase})

    Args:
        initial_learning_rate: :math:`\eta_0`, the rate at step 0 (>= 0).
        decay_steps: :math:`T`, the step scale (> 0).
        decay_rate: :math:`r`, how fast the denominator grows (> 0).
        staircase: floor ``p`` so the rate changes only every ``decay_steps``.
            Default ``False``.
        name: label kept in the config. Default ``"InverseTimeDecay"``.

    PyTorch has no class for it; the same curve is ``LambdaLR`` with
    ``lambda t: 1 / (1 + r * t / T)``.

    Example:
        >>> InverseTimeDecay(1.0, 10, 0.5)(20)
        0.5
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 *, name="InverseTimeDecay"):
        self.initial_learning_rate = _checks.non_negative("initial_learning_rate",
                                                          initial_learning_rate)
        self.decay_steps = _steps("decay_steps", decay_steps)
        self.decay_rate = _checks.positive("decay_rate", decay_rate)
        self.staircase = _checks.boolean("staircase", staircase)
        self.name = _name(name)

    def _rate(self, s):
        p = s / self.decay_steps
        if self.staircase:
            p = np.floor(p)
        return self.initial_learning_rate / (1.0 + self.decay_rate * p)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    r"""Go from ``initial_learning_rate`` to ``end_learning_rate`` along a power curve.

    .. math::  \eta(t) = (\eta_0 - \eta_{end})\,(1 - t / T')^{k} + \eta_{end}

    Without ``cycle``: :math:`t` is capped at :math:`T' = T`, so the rate stays at
    :math:`\eta_{end}` after ``decay_steps``. With ``cycle``:
    :math:`T' = T \lceil t / T \rceil` (the first multiple of ``decay_steps`` not
    below ``t``; :math:`T' = T` at step 0), so the rate reaches :math:`\eta_{end}`
    at each multiple of ``decay_steps`` and jumps back up one step later.
    ``power=1`` is a straight line.

    Args:
        initial_learning_rate: :math:`\eta_0`, the rate at step 0 (>= 0).
        decay_steps: :math:`T`, steps to reach the end rate (> 0).
        end_learning_rate: :math:`\eta_{end}` (>= 0). Default ``0.0001``.
        power: :math:`k`, the exponent (> 0). Default ``1.0``.
        cycle: restart the decay every ``decay_steps`` with a longer horizon.
            Default ``False``.
        name: label kept in the config. Default ``"PolynomialDecay"``.

    PyTorch: ``PolynomialLR(total_iters, power)`` always decays to 0 and has no
    end rate or cycling.

    Example:
        >>> PolynomialDecay(1.0, 10, end_learning_rate=0.0, power=2.0)(5)
        0.25
    """

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001,
                 power=1.0, cycle=False, *, name="PolynomialDecay"):
        self.initial_learning_rate = _checks.non_negative("initial_learning_rate",
                                                          initial_learning_rate)
        self.decay_steps = _steps("decay_steps", decay_steps)
        self.end_learning_rate = _checks.non_negative("end_learning_rate", end_learning_rate)
        self.power = _checks.positive("power", power)
        self.cycle = _checks.boolean("cycle", cycle)
        self.name = _name(name)

    def _rate(self, s):
        T = float(self.decay_steps)
        if self.cycle:
            horizon = T * np.where(s == 0, 1.0, np.ceil(s / T))
        else:
            s, horizon = np.minimum(s, T), T
        # Clip at 0 so round-off can never feed a negative base to a fractional power.
        remaining = np.maximum(1.0 - s / horizon, 0.0)
        start, end = self.initial_learning_rate, self.end_learning_rate
        lr = (start - end) * remaining ** self.power + end
        # (start - end) + end can round one ulp past start; keep the curve inside its ends.
        return np.clip(lr, min(start, end), max(start, end))

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "end_learning_rate": self.end_learning_rate,
                "power": self.power, "cycle": self.cycle, "name": self.name}


def _cosine_decay(s, decay_steps, peak, alpha):
    """Half a cosine from ``peak`` (at s = 0) down to ``alpha * peak`` (at s = decay_steps)."""
    cosine = 0.5 * (1.0 + np.cos(np.pi * (s / decay_steps)))
    return peak * ((1.0 - alpha) * cosine + alpha)


class CosineDecay(LearningRateSchedule):
    r"""Half a cosine wave from the peak rate down to ``alpha`` times it, with optional warmup.

    .. math::  \mathrm{decay}(s, \eta) = \eta\left[(1-\alpha)\tfrac12
               \left(1 + \cos\tfrac{\pi s}{T}\right) + \alpha\right]

    Without ``warmup_target``: :math:`\eta(t) = \mathrm{decay}(\min(t, T), \eta_0)`.

    With ``warmup_target`` :math:`\eta^*` and ``warmup_steps`` :math:`W`, let
    :math:`s = \min(t, W + T)`:

    .. math::  \eta(t) = \eta_0 + (\eta^* - \eta_0)\,s / W \quad (s < W), \qquad
               \eta(t) = \mathrm{decay}(s - W, \eta^*) \quad (s \ge W)

    So the rate climbs linearly from ``initial_learning_rate`` for ``warmup_steps``
    updates, is exactly ``warmup_target`` at step ``warmup_steps`` (the peak), then
    only decreases, and stays at ``alpha * peak`` after the decay: no rebound.
    With ``warmup_steps=0`` the decay starts from ``warmup_target`` at step 0.

    Args:
        initial_learning_rate: :math:`\eta_0` (>= 0): the peak without warmup, the
            starting rate with warmup.
        decay_steps: :math:`T`, length of the cosine decay (> 0).
        alpha: the final rate as a fraction of the peak, in [0, 1]. Default ``0.0``.
        warmup_target: :math:`\eta^*`, the peak reached by warmup, ``None`` for no
            warmup (then ``warmup_steps`` must be 0). Must be >= ``initial_learning_rate``
            so warmup never lowers the rate. Default ``None``.
        warmup_steps: :math:`W`, updates of linear warmup (>= 0). Default ``0``.
        name: label kept in the config. Default ``"CosineDecay"``.

    PyTorch: ``CosineAnnealingLR(T_max, eta_min)`` takes the floor as an absolute
    rate (not a fraction) and keeps following the cosine *back up* after ``T_max``;
    its warmup is a separate ``LinearLR`` chained with ``SequentialLR``.

    Example:
        >>> CosineDecay(1.0, 10)(5)
        0.5
        >>> warm = CosineDecay(0.0, 10, warmup_target=1.0, warmup_steps=4)
        >>> warm(2), warm(4), warm(100)
        (0.5, 1.0, 0.0)
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, warmup_target=None,
                 warmup_steps=0, *, name="CosineDecay"):
        self.initial_learning_rate = _checks.non_negative("initial_learning_rate",
                                                          initial_learning_rate)
        self.decay_steps = _steps("decay_steps", decay_steps)
        self.alpha = _fraction("alpha", alpha)
        self.warmup_target = _checks.optional(_checks.non_negative, "warmup_target",
                                              warmup_target)
        self.warmup_steps = _steps("warmup_steps", warmup_steps, allow_zero=True)
        self.name = _name(name)
        if self.warmup_target is None and self.warmup_steps != 0:
            raise ValueError(f"`warmup_steps` must be 0 when `warmup_target` is None (there is "
                             f"no target to warm up to), got warmup_steps={warmup_steps!r}.")
        if self.warmup_target is not None and self.warmup_target < self.initial_learning_rate:
            raise ValueError(f"`warmup_target` must be >= initial_learning_rate="
                             f"{self.initial_learning_rate!r} (warmup raises the rate), "
                             f"got {warmup_target!r}.")

    def _rate(self, s):
        T, alpha = self.decay_steps, self.alpha
        if self.warmup_target is None:
            return _cosine_decay(np.minimum(s, T), T, self.initial_learning_rate, alpha)
        W, start, peak = self.warmup_steps, self.initial_learning_rate, self.warmup_target
        s = np.minimum(s, W + T)
        decayed = _cosine_decay(s - W, T, peak, alpha)
        if W == 0:
            return decayed
        # min(..., peak) guards against start + (peak - start) rounding one ulp past the
        # peak, which would make the curve dip by a hair when warmup hands over to decay.
        warming = np.minimum(start + (peak - start) * (s / W), peak)
        return np.where(s < W, warming, decayed)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "alpha": self.alpha,
                "warmup_target": self.warmup_target, "warmup_steps": self.warmup_steps,
                "name": self.name}


def _geometric_sum(t_mul, n):
    """1 + t + t^2 + ... + t^(n-1): where restart n begins, in units of first_decay_steps."""
    return (1.0 - t_mul ** n) / (1.0 - t_mul)


class CosineDecayRestarts(LearningRateSchedule):
    r"""Cosine decay that restarts from a (possibly lower) peak: SGDR, "warm restarts".

    Measure time in periods: :math:`f = t / T_0`. Period :math:`i` (from 0) lasts
    :math:`T_0\,m_t^{\,i}` steps and starts at :math:`T_0(1 + m_t + \dots + m_t^{\,i-1})`,
    so with ``t_mul=2`` and :math:`T_0 = 10` restarts happen at steps 10, 30, 70, ...
    Find :math:`i` (:math:`i = \lfloor f \rfloor` when :math:`m_t = 1`, else
    :math:`i = \lfloor \log(1 - f(1 - m_t)) / \log m_t \rfloor`) and the fraction
    :math:`g \in [0, 1)` of period :math:`i` done, then

    .. math::  \eta(t) = \eta_0\left[(1-\alpha)\,\tfrac12\,m_m^{\,i}
               \left(1 + \cos \pi g\right) + \alpha\right]

    The peak of period :math:`i` is :math:`\eta_0[(1-\alpha)m_m^{\,i} + \alpha]`.

    Round-off at a restart: for ``t_mul != 1`` the logarithm can land just below a
    whole number exactly at a restart step (``t_mul=3``, :math:`T_0=10`, step 1210
    is one), and Keras then returns the *end* of the old period (the lowest rate)
    instead of the new peak. Here ``i`` is corrected by one whenever the geometric
    sum says so, so every restart step gets the new peak; only those exact steps
    can differ from Keras. With ``t_mul < 1`` the periods shrink and infinitely many
    restarts pile up before step :math:`T_0 / (1 - m_t)`; asking for a step there or
    later is a ``ValueError``.

    Args:
        initial_learning_rate: :math:`\eta_0`, the first peak (>= 0).
        first_decay_steps: :math:`T_0`, length of the first period (> 0).
        t_mul: :math:`m_t`, each period is ``t_mul`` times longer (> 0). Default ``2.0``.
        m_mul: :math:`m_m`, each peak is ``m_mul`` times the previous (>= 0).
            Default ``1.0``.
        alpha: the floor as a fraction of ``initial_learning_rate``, in [0, 1].
            Default ``0.0``.
        name: label kept in the config. Default ``"SGDRDecay"``.

    PyTorch: ``CosineAnnealingWarmRestarts(T_0, T_mult, eta_min)`` needs an integer
    ``T_mult >= 1``, has no peak factor like ``m_mul``, and takes the floor as an
    absolute rate.

    Example:
        >>> sgdr = CosineDecayRestarts(1.0, 10, t_mul=2.0, m_mul=0.5)
        >>> sgdr(5), sgdr(10), sgdr(30)
        (0.5, 0.5, 0.25)
    """

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0,
                 alpha=0.0, *, name="SGDRDecay"):
        self.initial_learning_rate = _checks.non_negative("initial_learning_rate",
                                                          initial_learning_rate)
        self.first_decay_steps = _steps("first_decay_steps", first_decay_steps)
        self.t_mul = _checks.positive("t_mul", t_mul)
        self.m_mul = _checks.non_negative("m_mul", m_mul)
        self.alpha = _fraction("alpha", alpha)
        self.name = _name(name)

    def _rate(self, s):
        t_mul, f = self.t_mul, s / self.first_decay_steps
        if t_mul == 1.0:
            i = np.floor(f)
            g = f - i
        else:
            beyond = f * (1.0 - t_mul) >= 1.0  # only possible when t_mul < 1
            if np.any(beyond):
                limit = self.first_decay_steps / (1.0 - t_mul)
                raise ValueError(f"`step` must be < first_decay_steps / (1 - t_mul) = {limit!r} "
                                 f"when t_mul < 1 (periods shrink to nothing there), "
                                 f"got {float(np.min(s[beyond]))!r}.")
            i = np.floor(np.log(1.0 - f * (1.0 - t_mul)) / np.log(t_mul))
            # Fix the log's round-off: period i must satisfy start(i) <= f < start(i + 1).
            i = i + (f >= _geometric_sum(t_mul, i + 1)) - (f < _geometric_sum(t_mul, i))
            g = (f - _geometric_sum(t_mul, i)) / t_mul ** i
        cosine = 0.5 * self.m_mul ** i * (1.0 + np.cos(np.pi * g))
        return self.initial_learning_rate * ((1.0 - self.alpha) * cosine + self.alpha)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "first_decay_steps": self.first_decay_steps, "t_mul": self.t_mul,
                "m_mul": self.m_mul, "alpha": self.alpha, "name": self.name}


# --------------------------------------------------------------------------- saving


ALL = {cls.__name__: cls for cls in (ExponentialDecay, PiecewiseConstantDecay, InverseTimeDecay,
                                     PolynomialDecay, CosineDecay, CosineDecayRestarts)}
"""Every built-in schedule by class name (what :func:`deserialize` can rebuild)."""


def serialize(schedule: LearningRateSchedule) -> dict:
    """Turn a schedule into a JSON-able dict ``{"class_name": ..., "config": ...}``.

    Example:
        >>> serialize(ExponentialDecay(0.1, 10, 0.5))["class_name"]
        'ExponentialDecay'
    """
    if not isinstance(schedule, LearningRateSchedule):
        raise TypeError(f"`schedule` must be a LearningRateSchedule, got {type(schedule).__name__}.")
    return {"class_name": type(schedule).__name__, "config": schedule.get_config()}


def deserialize(config: dict, custom_objects: dict | None = None) -> LearningRateSchedule:
    """Rebuild a schedule from :func:`serialize` output.

    Keras's extra keys (``module``, ``registered_name``) are ignored, so a dict saved
    by ``keras.optimizers.schedules.serialize`` loads too. ``custom_objects`` maps
    class names to your own schedule classes.

    Example:
        >>> deserialize(serialize(ExponentialDecay(0.1, 10, 0.5)))(20)
        0.025
    """
    if not isinstance(config, dict) or "class_name" not in config or "config" not in config:
        raise TypeError("`config` must be a dict with keys 'class_name' and 'config', "
                        f"got {config!r}.")
    known = {**ALL, **(custom_objects or {})}
    name = config["class_name"]
    if name not in known:
        raise ValueError(f"`class_name` must be one of {sorted(known)}, got {name!r}.")
    return known[name].from_config(dict(config["config"]))
