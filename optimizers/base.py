"""The Optimizer contract that every optimizer in this package follows.

An optimizer here has two halves:

* an **update rule**: a small function such as :func:`optimizers.adam.adam_update`
  that reads exactly like the math. It receives one parameter array, its gradient,
  its slot arrays (moving averages and the like) by name, the learning rate and the
  step number, and updates the parameter and the slots in place.
* a **shell**: a subclass of :class:`Optimizer` below. It checks the inputs, keeps the
  slots between calls, counts the steps, evaluates the learning-rate schedule, clips
  the gradients, applies weight decay, and feeds the rule large arrays in
  cache-sized blocks. All of that is written once, here, so that each rule stays
  the readable math.

One call of :meth:`Optimizer.apply` does, in Keras 3's order::

    g = clip(g)                       # clipnorm / clipvalue / global_clipnorm
    lr = learning_rate(iterations)    # a schedule sees the 0-based step count
    p -= p * weight_decay * lr        # decoupled weight decay (when set)
    rule(p, g, **slots, lr=lr, step=iterations + 1, ...)
    iterations += 1

Every check happens before anything is modified, so a call that raises leaves the
parameters and the optimizer's state exactly as they were.
"""

from __future__ import annotations

import copy
import functools
import inspect
import numbers
import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable

import numpy as np

from . import _checks, clipping

#: Bytes per block when a large array is updated piece by piece: 128 KiB, i.e. 32,768
#: float32 or 16,384 float64 entries. The parameter, gradient, two slots and the rule's
#: temporaries then all fit in a core's L2 cache, instead of streaming ten arrays of the
#: full size through main memory. (Measured on the course's 2-core machines: 64 KiB and
#: 128 KiB blocks are equally good; 256 KiB falls off the cache and is 2-3x slower.)
BLOCK_BYTES = 1 << 17

#: Arrays with at least this many entries have their blocks shared among threads.
#: NumPy releases the GIL inside its element-wise loops, so the cores work at once.
PARALLEL_MIN_SIZE = 1 << 20

#: Threads used for large arrays (1 turns the thread pool off). On two virtual cores
#: the second thread cost more than it gained in our measurements, so threads are used
#: from four cores up.
_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
NUM_THREADS = 1 if _CORES <= 2 else min(4, _CORES)

_pool: ThreadPoolExecutor | None = None


def _thread_pool() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=NUM_THREADS, thread_name_prefix="optimizers")
    return _pool


def _is_schedule(value) -> bool:
    return callable(value) and not isinstance(value, (np.ndarray, numbers.Number))


def check_learning_rate(value):
    """Return a valid learning rate: a float >= 0, a schedule, or a float ndarray >= 0.

    A list is accepted and turned into an array (``from_config`` produces lists).
    """
    if _is_schedule(value):
        return value
    if isinstance(value, (list, tuple)):
        value = np.asarray(value, dtype=np.float64)
    if isinstance(value, np.ndarray):
        if not np.issubdtype(value.dtype, np.number) or np.issubdtype(value.dtype, np.complexfloating):
            raise TypeError(f"`learning_rate` array must hold real numbers, got dtype {value.dtype}.")
        value = value.astype(np.float64)  # a private copy: later edits by the caller do not leak in
        if not np.all(np.isfinite(value)) or np.any(value < 0):
            raise ValueError("`learning_rate` array must hold finite numbers >= 0, "
                             f"got min {np.min(value)!r} and max {np.max(value)!r}.")
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError("`learning_rate` must be a number, a schedule (a callable of the step "
                        f"count) or an ndarray, got {value!r} ({type(value).__name__}).")
    return _checks.non_negative("learning_rate", value)


def _serialize_learning_rate(lr):
    if isinstance(lr, np.ndarray):
        return lr.tolist()
    if _is_schedule(lr):
        if hasattr(lr, "get_config"):
            return {"class_name": type(lr).__name__, "config": lr.get_config()}
        return lr  # a plain function: kept as is (not JSON-able, but still round-trips)
    return lr


def _deserialize_learning_rate(lr):
    if isinstance(lr, dict) and "class_name" in lr:
        from . import schedules
        return schedules.deserialize(lr)
    return lr


class Optimizer:
    """Base class: holds the state and runs an update rule on each parameter.

    Args:
        learning_rate: a float >= 0, a schedule (a callable taking the 0-based number
            of updates done so far and returning a float, such as
            :class:`optimizers.schedules.CosineDecay`), or an ndarray of rates >= 0 that
            broadcasts against every parameter (one update then advances many
            independent runs, e.g. a learning-rate sweep stacked along axis 0).
        weight_decay: if set, ``p -= p * weight_decay * lr`` before each update
            (decoupled weight decay, for every optimizer, as in Keras 3).
        clipnorm: clip each gradient tensor to this L2 norm.
        clipvalue: clip each gradient entry to ``[-clipvalue, clipvalue]``.
        global_clipnorm: clip all gradients together to this joint L2 norm.
        name: a label for plots and configs (defaults to the class name in lower case).

    Subclasses set :attr:`update_rule` and list their hyperparameters in
    :attr:`hyperparameter_names`; they override :meth:`slot_names` when some slots
    are optional and :meth:`initial_slot` when a slot does not start at zero.
    """

    #: The update rule: ``rule(param, grad, **slots, lr=..., step=..., **hyperparameters)``.
    update_rule: Callable
    #: Names of the constructor arguments passed on to the rule (and saved in configs).
    hyperparameter_names: tuple[str, ...] = ()

    def __init__(self, learning_rate, *, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, name=None):
        self.learning_rate = learning_rate  # checked by the property setter
        self.weight_decay = _checks.optional(_checks.non_negative, "weight_decay", weight_decay)
        self.clipnorm = _checks.optional(_checks.positive, "clipnorm", clipnorm)
        self.clipvalue = _checks.optional(_checks.positive, "clipvalue", clipvalue)
        self.global_clipnorm = _checks.optional(_checks.positive, "global_clipnorm", global_clipnorm)
        chosen = [n for n in ("clipnorm", "clipvalue", "global_clipnorm") if getattr(self, n) is not None]
        if len(chosen) > 1:
            raise ValueError(f"Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set, "
                             f"got {', '.join(f'`{n}`' for n in chosen)}.")
        self.name = type(self).__name__.lower() if name is None else str(name)
        self.iterations = 0
        #: One dict of slot arrays per parameter, e.g. ``adam.state[0]["m"]``.
        self.state: list[dict[str, np.ndarray]] = []
        self._layout: list[tuple] | None = None  # (shape, dtype) of each param, fixed by the first step

    # ------------------------------------------------------------------ learning rate
    @property
    def learning_rate(self):
        """The learning rate as given: a float, a schedule or an ndarray."""
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self._learning_rate = check_learning_rate(value)

    def current_learning_rate(self):
        """The learning rate the next update will use (a schedule evaluated now)."""
        lr = self._learning_rate
        if not _is_schedule(lr):
            return lr
        value = lr(self.iterations)
        if isinstance(value, np.ndarray) and value.ndim == 0:
            value = float(value)
        try:
            return check_learning_rate(value)
        except (TypeError, ValueError) as error:
            raise ValueError(f"`learning_rate` schedule {lr!r} returned {value!r} at step "
                             f"{self.iterations}: {error}") from None

    # ------------------------------------------------------------------ hooks for subclasses
    def slot_names(self) -> tuple[str, ...]:
        """Names of the slot arrays kept per parameter (in the rule's argument names)."""
        return ()

    def initial_slot(self, name: str, param: np.ndarray) -> np.ndarray:
        """A new slot array for ``param``: zeros unless a subclass says otherwise."""
        return np.zeros_like(param)

    def rule_arguments(self, step: int) -> dict:
        """Scalars passed to the rule besides ``lr`` and ``step``.

        Called once per :meth:`apply`, after all checks; a subclass that keeps a scalar
        across steps (Nadam's product of momentum factors) advances it here.
        """
        accepted = _keyword_names(type(self).update_rule)
        return {name: getattr(self, name) for name in self.hyperparameter_names if name in accepted}

    def _scalar_state(self) -> dict:
        """Scalars besides the slots that a checkpoint must keep (none by default)."""
        return {}

    def _load_scalar_state(self, scalars: dict) -> None:
        pass

    # ------------------------------------------------------------------ the update
    def apply(self, grads, params) -> None:
        """Update ``params`` in place with ``grads`` (Keras 3 argument order).

        Args:
            grads: one array or a list of arrays, one per parameter, same shapes.
            params: one float ndarray or a list of them; each keeps its dtype.
        """
        grads, params = self._check_inputs(grads, params)
        lr = self.current_learning_rate()
        if isinstance(lr, np.ndarray):
            for i, p in enumerate(params):
                try:
                    ok = np.broadcast_shapes(lr.shape, p.shape) == p.shape
                except ValueError:
                    ok = False
                if not ok:
                    raise ValueError(f"`learning_rate` array of shape {lr.shape} does not broadcast "
                                     f"against params[{i}] of shape {p.shape}.")
        if not self.state:
            new_state = [{n: self.initial_slot(n, p) for n in self.slot_names()} for p in params]
        else:  # possibly loaded from a checkpoint: make sure it fits these params
            new_state = self.state
            if len(new_state) != len(params):
                raise ValueError(f"The optimizer state holds slots for {len(new_state)} params, "
                                 f"but {len(params)} params were given.")
            for i, (p, slots) in enumerate(zip(params, new_state)):
                for k, v in slots.items():
                    if v.shape != p.shape:
                        raise ValueError(f"Slot {k!r} of params[{i}] has shape {v.shape}, but "
                                         f"params[{i}] has shape {p.shape}.")
        # From here on nothing can fail on bad input: commit.
        self.state = new_state
        self._layout = [(p.shape, p.dtype) for p in params]
        grads = self._clip(grads)
        step = self.iterations + 1
        arguments = self.rule_arguments(step)
        for i, (p, g, slots) in enumerate(zip(params, grads, self.state)):
            grad_finite, param_finite = self._update(p, g, slots, lr, step, arguments)
            if not (grad_finite and param_finite):
                cause = (f"grads[{i}] contains NaN or inf" if not grad_finite
                         else f"params[{i}] overflowed to NaN or inf")
                warnings.warn(
                    f"{type(self).__name__}: {cause} at step {step}. The run is diverging: try a "
                    "smaller learning rate or gradient clipping (clipnorm=...).",
                    RuntimeWarning, stacklevel=2)
        self.iterations += 1

    def apply_gradients(self, grads_and_vars: Iterable) -> None:
        """Keras-style ``apply_gradients(zip(grads, params))``."""
        pairs = list(grads_and_vars)
        if not pairs:
            raise ValueError("`grads_and_vars` is empty: pass zip(grads, params).")
        grads, params = zip(*pairs)
        self.apply(list(grads), list(params))

    def _check_inputs(self, grads, params):
        single = isinstance(params, np.ndarray)
        if single != isinstance(grads, np.ndarray) and not (single and np.isscalar(grads)):
            if single:
                raise TypeError("`params` is one array, so `grads` must be one array too, "
                                f"got {type(grads).__name__}.")
            raise TypeError(f"`params` must be an ndarray or a list of ndarrays, got {type(params).__name__}.")
        params = [params] if single else list(params)
        grads = [grads] if single else list(grads)
        if len(grads) != len(params):
            raise ValueError(f"Got {len(grads)} gradients for {len(params)} params: `grads` and "
                             "`params` must have one entry each, in the same order.")
        if not params:
            raise ValueError("`params` is empty.")
        if self._layout is not None and len(self._layout) != len(params):
            raise ValueError(f"This optimizer was built for {len(self._layout)} params and now got "
                             f"{len(params)}. Use a new optimizer for a new set of parameters.")
        checked = []
        for i, (g, p) in enumerate(zip(grads, params)):
            if not isinstance(p, np.ndarray):
                raise TypeError(f"params[{i}] must be an ndarray (it is updated in place), "
                                f"got {type(p).__name__}.")
            if p.dtype.kind != "f":
                raise TypeError(f"params[{i}] has dtype {p.dtype}; params must be float arrays "
                                "(float16, float32 or float64) because they are updated in place.")
            if not p.flags.writeable:
                raise ValueError(f"params[{i}] is read-only; params are updated in place.")
            g = np.asarray(g)
            if g.dtype.kind not in "fiu":
                raise TypeError(f"grads[{i}] must hold real numbers, got dtype {g.dtype}.")
            if g.shape != p.shape:
                raise ValueError(f"grads[{i}] has shape {g.shape} but params[{i}] has shape {p.shape}.")
            if self._layout is not None and self._layout[i] != (p.shape, p.dtype):
                shape, dtype = self._layout[i]
                raise ValueError(f"params[{i}] was {shape} {dtype} in earlier steps and is now "
                                 f"{p.shape} {p.dtype}. Use a new optimizer for a new set of parameters.")
            checked.append(g.astype(p.dtype, copy=False))  # compute in the parameter's dtype
        return checked, params

    def _clip(self, grads):
        if self.clipnorm is not None:
            return clipping.clip_by_norm(grads, self.clipnorm)
        if self.global_clipnorm is not None:
            return clipping.clip_by_global_norm(grads, self.global_clipnorm)
        if self.clipvalue is not None:
            return clipping.clip_by_value(grads, self.clipvalue)
        return grads

    def _update(self, p, g, slots, lr, step, arguments) -> tuple[bool, bool]:
        """Weight decay, then the rule, block by block.

        Returns whether the gradient and the updated parameter are all finite. NumPy's
        own overflow warnings are silenced here because :meth:`apply` reports a
        non-finite result itself, naming the parameter.
        """
        wd = self.weight_decay
        rule = type(self).update_rule

        def update_block(pb, gb, sb):
            if wd:
                pb -= pb * wd * lr
            rule(pb, gb, **sb, lr=lr, step=step, **arguments)
            return _all_finite(gb), _all_finite(pb)

        def update_range(start, stop):
            g_ok = p_ok = True
            with np.errstate(all="ignore"):  # per thread: NumPy's error state is thread-local
                for a in range(start, stop, block):
                    b = min(a + block, stop)
                    ok = update_block(flat_p[a:b], flat_g[a:b], {k: v[a:b] for k, v in flat_slots.items()})
                    g_ok, p_ok = g_ok and ok[0], p_ok and ok[1]
            return g_ok, p_ok

        # An array learning rate is broadcast against the whole parameter, and views of
        # a non-contiguous array cannot be cut into flat pieces: update those in one go.
        block = max(1, BLOCK_BYTES // p.itemsize)
        if isinstance(lr, np.ndarray) or p.size <= block or not _contiguous(p, g, slots):
            with np.errstate(all="ignore"):
                return update_block(p, g, slots)
        flat_p, flat_g = p.reshape(-1), g.reshape(-1)
        flat_slots = {k: v.reshape(-1) for k, v in slots.items()}
        n = p.size
        if NUM_THREADS > 1 and n >= PARALLEL_MIN_SIZE:
            # One contiguous range per thread, cut on block boundaries.
            per = -(-n // (NUM_THREADS * block)) * block
            results = [f.result() for f in [_thread_pool().submit(update_range, a, min(a + per, n))
                                            for a in range(0, n, per)]]
            return all(r[0] for r in results), all(r[1] for r in results)
        return update_range(0, n)

    # ------------------------------------------------------------------ config and checkpoints
    def get_config(self) -> dict:
        """The constructor arguments, enough to build an equal optimizer with :meth:`from_config`."""
        config = {"name": self.name, "learning_rate": _serialize_learning_rate(self._learning_rate),
                  "weight_decay": self.weight_decay, "clipnorm": self.clipnorm,
                  "clipvalue": self.clipvalue, "global_clipnorm": self.global_clipnorm}
        config.update({n: getattr(self, n) for n in self.hyperparameter_names})
        return config

    @classmethod
    def from_config(cls, config: dict):
        """Build an optimizer from :meth:`get_config` output (schedules included)."""
        config = dict(config)
        if "learning_rate" in config:
            config["learning_rate"] = _deserialize_learning_rate(config["learning_rate"])
        return cls(**config)

    def state_dict(self) -> dict:
        """A deep copy of everything that changes during training.

        Loading it with :meth:`load_state_dict` into an optimizer built with the same
        config continues the run bit for bit.
        """
        return {"class_name": type(self).__name__, "iterations": self.iterations,
                "slots": [{k: v.copy() for k, v in s.items()} for s in self.state],
                "scalars": copy.deepcopy(self._scalar_state())}

    def load_state_dict(self, state: dict) -> None:
        """Restore a :meth:`state_dict` (copied, so the snapshot can be reused)."""
        if not isinstance(state, dict) or not {"class_name", "iterations", "slots"} <= set(state):
            raise TypeError("`state` must be a dict made by state_dict(), with keys "
                            "'class_name', 'iterations' and 'slots'.")
        if state["class_name"] != type(self).__name__:
            raise ValueError(f"`state` was saved from a {state['class_name']}, not a {type(self).__name__}.")
        iterations = _checks.integer("state['iterations']", state["iterations"], 0)
        expected = set(self.slot_names())
        for i, slots in enumerate(state["slots"]):
            if set(slots) != expected:
                raise ValueError(f"`state['slots'][{i}]` has slots {sorted(slots)}, but this optimizer's "
                                 f"configuration uses {sorted(expected)}.")
        self.iterations = int(iterations)
        self.state = [{k: np.array(v, copy=True) for k, v in s.items()} for s in state["slots"]]
        self._layout = None  # re-read from the params at the next step
        self._load_scalar_state(copy.deepcopy(state.get("scalars", {})))

    def __repr__(self) -> str:
        lr = self._learning_rate
        lr_text = f"array{lr.shape}" if isinstance(lr, np.ndarray) else repr(lr)
        extras = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.hyperparameter_names)
        return f"{type(self).__name__}(learning_rate={lr_text}{', ' + extras if extras else ''})"


@functools.cache
def _keyword_names(rule) -> frozenset:
    """The rule's keyword arguments: a hyperparameter such as Adam's ``amsgrad`` that
    only decides which slots exist is not passed to the rule."""
    return frozenset(inspect.signature(rule).parameters)


def _contiguous(p, g, slots) -> bool:
    return p.flags.c_contiguous and g.flags.c_contiguous and all(v.flags.c_contiguous for v in slots.values())


def _all_finite(block: np.ndarray) -> bool:
    """Whether every entry is finite (called with NumPy's warnings silenced).

    One in-cache sum settles the usual case without allocating a boolean array; only
    when the sum is not finite (NaN/inf inside, or finite values that overflow the
    sum) are the entries checked one by one.
    """
    return bool(np.isfinite(np.add.reduce(block, axis=None))) or bool(np.isfinite(block).all())
