"""Generate reference numbers from real Keras 3 and PyTorch, as JSON test fixtures.

Our ``optimizers`` package claims to reproduce Keras 3's optimizers and
learning-rate schedules to float64 round-off, and RAdam as ``torch.optim.RAdam``
computes it.  This script produces the numbers those claims are tested
against.  It is *not* run by the test suite: it needs keras, torch and jax,
which the course itself does not depend on.  Run it in a scratch virtualenv::

    python3 -m venv /tmp/venvref
    /tmp/venvref/bin/pip install torch==2.13.0 numpy keras jax
    /tmp/venvref/bin/python tests/data/make_reference.py

It writes three files next to itself (or into ``--out DIR``):

* ``keras_optimizers.json`` - every case runs a Keras optimizer for a few
  steps on two float64 variables, shapes (3,) and (2, 2), and records the
  variables after each step.
* ``keras_schedules.json`` - learning-rate schedules evaluated at given steps.
* ``torch_reference.json`` - torch.optim.RAdam (plus Adam and SGD, for the
  lesson comparing conventions), same case format as the Keras file.

Everything is float64 and deterministic: the inputs of case number ``i``
come from ``np.random.default_rng(i)`` and are written into the JSON, so the
tests never need to regenerate them.  Python's ``json`` writes floats with
``repr`` precision, which round-trips float64 exactly.

Keras runs on its torch backend.  One wrinkle: on that backend
``keras.ops.maximum`` / ``keras.ops.minimum`` quietly return float32 for
float64 inputs, and gradient clipping by norm (``clipnorm``,
``global_clipnorm``) goes through them, so those cases would carry float32
round-off.  The script probes for this and recomputes exactly the affected
cases on Keras's JAX backend (64-bit mode), in a child process, where those
ops keep float64.  Each case records the backend it came from.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

# --------------------------------------------------------------------------
# Command line.  Parsed before importing keras, because Keras picks its
# backend once, at import time, from the KERAS_BACKEND environment variable.
# --------------------------------------------------------------------------
PRIMARY_BACKEND = "torch"
FALLBACK_BACKEND = "jax"

_parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
_parser.add_argument(
    "--out",
    type=Path,
    default=Path(__file__).resolve().parent,
    help="directory to write the JSON files into (default: next to this script)",
)
# Internal: how the script calls itself for the cases it hands to the JAX
# backend.  --only lists case ids, --emit is where to write their records.
_parser.add_argument("--keras-backend", default=PRIMARY_BACKEND, help=argparse.SUPPRESS)
_parser.add_argument("--only", help=argparse.SUPPRESS)
_parser.add_argument("--emit", type=Path, help=argparse.SUPPRESS)
ARGS = _parser.parse_args()
os.environ["KERAS_BACKEND"] = ARGS.keras_backend
if ARGS.keras_backend == "jax":
    # JAX silently computes in float32 unless 64-bit mode is switched on.
    os.environ["JAX_ENABLE_X64"] = "1"

import keras  # noqa: E402  (must come after KERAS_BACKEND is set)
import torch  # noqa: E402

keras.config.set_floatx("float64")
schedules = keras.optimizers.schedules

N_STEPS = 6  # steps per Keras optimizer case
N_STEPS_RADAM = 10  # RAdam's rectification needs a few steps to switch on
SHAPES = [(3,), (2, 2)]  # the two variables every case optimizes


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------
def to_numpy(x):
    """Return a Keras/torch tensor or variable as a float64 NumPy array, checking its dtype."""
    if isinstance(x, torch.Tensor):
        arr = x.detach().cpu().numpy()
    else:
        arr = keras.ops.convert_to_numpy(x)
    arr = np.asarray(arr)
    # The whole point of the fixtures is float64 round-off: fail loudly if a
    # float32 value sneaked in anywhere.
    assert arr.dtype == np.float64, f"expected float64, got {arr.dtype}"
    return arr


def as_list(arr):
    """Turn a NumPy array into nested lists of plain Python floats (JSON-ready)."""
    return np.asarray(arr, dtype=np.float64).tolist()


def make_inputs(seed, n_steps, grad_scales=None, zero_grads=()):
    """Draw the initial parameters and per-step gradients of one case.

    params0 ~ 0.5 * N(0, 1), grads ~ N(0, 1), both float64 from
    ``np.random.default_rng(seed)``.  ``grad_scales[t]`` multiplies every
    gradient of step t (used to switch clipping on and off); each
    ``(step, var)`` in ``zero_grads`` makes that gradient exactly zero.
    """
    rng = np.random.default_rng(seed)
    params0 = [rng.standard_normal(shape) * 0.5 for shape in SHAPES]
    grads = [[rng.standard_normal(shape) * 1.0 for shape in SHAPES] for _ in range(n_steps)]
    if grad_scales is not None:
        assert len(grad_scales) == n_steps
        grads = [[g * s for g in step] for step, s in zip(grads, grad_scales)]
    for step, var in zero_grads:
        grads[step][var] = np.zeros(SHAPES[var])
    return params0, grads


def plain_config(config):
    """Make a Keras config JSON-friendly (tuples -> lists, NumPy scalars -> Python)."""
    return json.loads(json.dumps(config, default=lambda o: o.item() if hasattr(o, "item") else str(o)))


def make_schedule(spec):
    """Build a keras.optimizers.schedules object from {"class_name", "config"}."""
    return getattr(schedules, spec["class_name"])(**spec["config"])


# The keras.ops functions each gradient-clipping rule of Keras's optimizer base
# class goes through, with the kind of second operand it passes (a tensor or
# a Python float).
CLIP_OPS = {
    "clipnorm": ["square", "sum", "sqrt", "where", "multiply", "divide", "maximum"],
    "global_clipnorm": ["square", "sum", "stack", "sqrt", "add", "subtract", "multiply", "divide", "minimum"],
    "clipvalue": ["clip"],
}


def downcasting_ops():
    """Return the names of keras.ops (from CLIP_OPS) that give float32 for float64 inputs here.

    Each op is tried with a float64 tensor as second operand and with a
    Python float, the two ways the clipping code calls them.
    """
    x = keras.ops.convert_to_tensor(np.array([0.25, 4.0]), dtype="float64")
    calls = {
        "square": [lambda: keras.ops.square(x)],
        "sum": [lambda: keras.ops.sum(x)],
        "sqrt": [lambda: keras.ops.sqrt(x)],
        "stack": [lambda: keras.ops.stack([x, x])],
        "where": [lambda: keras.ops.where(x > 1.0, x, x)],
        "clip": [lambda: keras.ops.clip(x, -0.5, 0.5)],
    }
    for name in ["add", "subtract", "multiply", "divide", "maximum", "minimum"]:
        op = getattr(keras.ops, name)
        calls[name] = [lambda op=op: op(x, x), lambda op=op: op(x, 0.7), lambda op=op: op(0.7, x)]
    leaky = set()
    for name, tries in calls.items():
        for call in tries:
            if keras.backend.standardize_dtype(call().dtype) != "float64":
                leaky.add(name)
    return sorted(leaky)


def clip_ops_needed(spec):
    """The keras.ops a case's clipping options make the optimizer call."""
    needed = set()
    for option, ops_used in CLIP_OPS.items():
        if spec["kwargs"].get(option):
            needed.update(ops_used)
    return needed


# --------------------------------------------------------------------------
# Keras optimizer cases
# --------------------------------------------------------------------------
# Each spec: id, optimizer (Keras class name), kwargs (everything except the
# learning rate), learning_rate (a float, a schedule spec, or absent = leave
# Keras's default), and optionally grad_scales / zero_grads for make_inputs.
LR = 0.01

# Per-step gradient multipliers for the clipping cases: the large steps make
# clipping bite, the small ones (x0.1, x0.05) leave gradients untouched and
# the middle one (x0.3) sits near the thresholds, so both branches of every
# clipping rule get exercised, sometimes within a single step.
CLIP_SCALES = [1.0, 0.1, 3.0, 0.3, 0.05, 2.0]

# The zero-gradient edge case: variable 0 gets an exactly-zero gradient on the
# very first step (all optimizer state still zero, so 0/(0+eps) territory),
# variable 1 on step 4 (state non-zero and decaying).
ZERO_GRADS = [(0, 0), (3, 1)]


def _exp_decay(initial, decay_steps=2, decay_rate=0.5):
    """Schedule spec for an ExponentialDecay (halving every 2 steps by default)."""
    return {
        "class_name": "ExponentialDecay",
        "config": {"initial_learning_rate": initial, "decay_steps": decay_steps, "decay_rate": decay_rate},
    }


def keras_optimizer_specs():
    """List every Keras optimizer case (order fixes the seeds: seed = index)."""
    specs = []

    def add(case_id, optimizer, kwargs=None, learning_rate=LR, **extra):
        spec = {"id": case_id, "optimizer": optimizer, "kwargs": kwargs or {}, "learning_rate": learning_rate}
        spec.update(extra)
        specs.append(spec)

    # --- SGD -------------------------------------------------------------
    add("sgd_default", "SGD")
    add("sgd_momentum", "SGD", {"momentum": 0.9})
    add("sgd_nesterov", "SGD", {"momentum": 0.9, "nesterov": True})
    add("sgd_momentum_expdecay", "SGD", {"momentum": 0.9}, _exp_decay(0.1))
    add("sgd_nesterov_expdecay", "SGD", {"momentum": 0.9, "nesterov": True}, _exp_decay(0.1))
    # --- RMSprop ---------------------------------------------------------
    add("rmsprop_default", "RMSprop")
    add("rmsprop_rho_momentum", "RMSprop", {"rho": 0.8, "momentum": 0.5})
    add("rmsprop_centered", "RMSprop", {"centered": True})
    add("rmsprop_centered_momentum", "RMSprop", {"centered": True, "momentum": 0.9})
    # --- Adam ------------------------------------------------------------
    add("adam_default", "Adam", learning_rate=None)  # Keras's default lr too
    add("adam_betas_epsilon", "Adam", {"beta_1": 0.8, "beta_2": 0.95, "epsilon": 1e-3})
    add("adam_amsgrad", "Adam", {"amsgrad": True})
    add(
        "adam_cosine_warmup",
        "Adam",
        learning_rate={
            "class_name": "CosineDecay",
            "config": {
                "initial_learning_rate": 0.0,
                "decay_steps": 4,
                "warmup_target": 0.05,
                "warmup_steps": 2,
            },
        },
    )
    # --- AdamW -----------------------------------------------------------
    add("adamw_default", "AdamW")
    add("adamw_weight_decay", "AdamW", {"weight_decay": 0.1})
    # --- Adagrad ---------------------------------------------------------
    add("adagrad_default", "Adagrad")
    add("adagrad_accumulator_epsilon", "Adagrad", {"initial_accumulator_value": 0.5, "epsilon": 1e-3})
    # --- Adadelta --------------------------------------------------------
    add("adadelta_default", "Adadelta")
    add("adadelta_lr1_rho", "Adadelta", {"rho": 0.9}, learning_rate=1.0)
    # --- Adamax ----------------------------------------------------------
    add("adamax_default", "Adamax")
    add("adamax_beta2", "Adamax", {"beta_2": 0.9})
    # --- Nadam -----------------------------------------------------------
    add("nadam_default", "Nadam")
    add("nadam_beta1", "Nadam", {"beta_1": 0.8})
    # --- Lion ------------------------------------------------------------
    add("lion_default", "Lion")
    add("lion_betas", "Lion", {"beta_1": 0.5, "beta_2": 0.9})

    # --- Cross-cutting options, on Adam and on SGD(momentum=0.9) ---------
    for name, base in [("adam", ("Adam", {})), ("sgd_momentum", ("SGD", {"momentum": 0.9}))]:
        opt, base_kwargs = base
        add(f"{name}_weight_decay", opt, {**base_kwargs, "weight_decay": 0.05})
        add(f"{name}_clipnorm", opt, {**base_kwargs, "clipnorm": 0.5}, grad_scales=CLIP_SCALES)
        add(f"{name}_clipvalue", opt, {**base_kwargs, "clipvalue": 0.3}, grad_scales=CLIP_SCALES)
        add(f"{name}_global_clipnorm", opt, {**base_kwargs, "global_clipnorm": 0.7}, grad_scales=CLIP_SCALES)
        add(
            f"{name}_wd_clipnorm_expdecay",
            opt,
            {**base_kwargs, "weight_decay": 0.05, "clipnorm": 0.5},
            _exp_decay(0.05),
            grad_scales=CLIP_SCALES,
        )

    # --- Zero-gradient edge case, one per optimizer ----------------------
    zero_cases = [
        ("sgd", "SGD", {"momentum": 0.9}),  # plain SGD would make a zero grad trivial
        ("rmsprop", "RMSprop", {}),
        ("adam", "Adam", {}),
        ("adamw", "AdamW", {}),
        ("adagrad", "Adagrad", {}),
        ("adadelta", "Adadelta", {}),
        ("adamax", "Adamax", {}),
        ("nadam", "Nadam", {}),
        ("lion", "Lion", {}),
    ]
    for name, opt, kwargs in zero_cases:
        add(f"{name}_zero_grad", opt, kwargs, zero_grads=ZERO_GRADS)
    # Norm-based clipping is where a zero gradient is a real edge case
    # (a norm of 0 must not turn into 0/0).
    add("adam_clipnorm_zero_grad", "Adam", {"clipnorm": 0.5}, zero_grads=ZERO_GRADS)
    # For the global norm, also zero *every* gradient of the third step, so
    # the global norm itself is 0 there.
    add(
        "sgd_momentum_global_clipnorm_zero_grad",
        "SGD",
        {"momentum": 0.9, "global_clipnorm": 0.7},
        zero_grads=ZERO_GRADS + [(2, 0), (2, 1)],
    )
    return specs


def clipping_activity(spec, grads):
    """Say, per step, whether the case's clipping rule changed any gradient.

    Worked out here in NumPy straight from the definitions (documentation for
    the test writer, and a check that the clip cases really clip).
    """
    kw = spec["kwargs"]
    active = []
    for step in grads:
        if kw.get("clipnorm"):
            active.append([bool(np.sqrt(np.sum(g**2)) > kw["clipnorm"]) for g in step])
        elif kw.get("global_clipnorm"):
            total = np.sqrt(sum(np.sum(g**2) for g in step))
            active.append([bool(total > kw["global_clipnorm"])] * len(step))
        elif kw.get("clipvalue"):
            active.append([bool(np.any(np.abs(g) > kw["clipvalue"])) for g in step])
        else:
            return None
    return active


def run_keras_case(index, spec):
    """Run one Keras optimizer case and return its JSON-ready record."""
    params0, grads = make_inputs(index, N_STEPS, spec.get("grad_scales"), spec.get("zero_grads", ()))

    variables = [
        keras.Variable(p.copy(), dtype="float64", name=f"var{i}") for i, p in enumerate(params0)
    ]
    opt_cls = getattr(keras.optimizers, spec["optimizer"])
    kwargs = dict(spec["kwargs"])
    lr_spec = spec["learning_rate"]
    if isinstance(lr_spec, dict):
        kwargs["learning_rate"] = make_schedule(lr_spec)
    elif lr_spec is not None:
        kwargs["learning_rate"] = float(lr_spec)
    optimizer = opt_cls(**kwargs)

    expected, lrs_used = [], []
    for step_grads in grads:
        # Before apply(): the learning rate the coming update will use
        # (a schedule is evaluated at the not-yet-incremented iteration count).
        lrs_used.append(float(to_numpy(optimizer.learning_rate)))
        tensors = [keras.ops.convert_to_tensor(g, dtype="float64") for g in step_grads]
        assert all(to_numpy(t).dtype == np.float64 for t in tensors)
        optimizer.apply(tensors, variables)
        assert all(v.dtype == "float64" for v in variables)
        expected.append([as_list(to_numpy(v)) for v in variables])

    # Optimizer state after the last step, keyed by the variable path minus the
    # optimizer's own prefix (e.g. "var0_momentum").  The learning-rate
    # variable and the step counter are reported separately.
    slots = {}
    for v in optimizer.variables:
        if v.name in ("iteration", "learning_rate"):
            continue
        key = v.path.split("/", 1)[-1]
        if v is getattr(optimizer, "_u_product", None):
            # Nadam's running product of momentum-cache factors is an unnamed
            # scalar ("variable_<n>", n counting up across instances); give it
            # a stable name.
            key = "u_product"
        slots[key] = as_list(to_numpy(v))
    config = optimizer.get_config()
    config.pop("name", None)  # auto-generated ("adam_12"), depends on run order
    if isinstance(lr_spec, dict):
        lr_record = {"class_name": lr_spec["class_name"], "config": plain_config(make_schedule(lr_spec).get_config())}
    else:
        lr_record = float(config["learning_rate"])

    extra = {
        "keras_backend": keras.backend.backend(),
        "iterations": int(keras.ops.convert_to_numpy(optimizer.iterations)),
        "learning_rates_used": lrs_used,
        "slots": slots,
        "keras_config": plain_config(config),
    }
    if lr_spec is None:
        extra["note"] = "learning_rate left at the Keras default"
    activity = clipping_activity(spec, grads)
    if activity is not None:
        assert any(any(s) for s in activity), f"{spec['id']}: clipping never active"
        assert not all(all(s) for s in activity), f"{spec['id']}: clipping always active"
        extra["clip_active"] = activity
    if spec.get("grad_scales"):
        extra["grad_scales"] = spec["grad_scales"]
    if spec.get("zero_grads"):
        extra["zero_grads"] = [list(z) for z in spec["zero_grads"]]

    return {
        "id": spec["id"],
        "optimizer": spec["optimizer"],
        "kwargs": spec["kwargs"],
        "learning_rate": lr_record,
        "seed": index,
        "params0": [as_list(p) for p in params0],
        "grads": [[as_list(g) for g in step] for step in grads],
        "expected": expected,
        "extra": extra,
    }


def keras_defaults():
    """Each optimizer's constructor defaults, as Keras's get_config() reports them."""
    names = ["SGD", "RMSprop", "Adam", "AdamW", "Adagrad", "Adadelta", "Adamax", "Nadam", "Lion"]
    out = {}
    for name in names:
        config = plain_config(getattr(keras.optimizers, name)().get_config())
        config.pop("name", None)  # auto-generated ("adam_3"), not a default
        out[name] = config
    return out


# --------------------------------------------------------------------------
# Keras schedule cases
# --------------------------------------------------------------------------
def keras_schedule_specs():
    """List every schedule case: class name, config, steps to evaluate at."""
    specs = []
    for staircase in (False, True):
        specs.append(
            ("ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 3, "decay_rate": 0.5, "staircase": staircase}, range(11))
        )
    specs.append(("PiecewiseConstantDecay", {"boundaries": [3, 6], "values": [1.0, 0.5, 0.1]}, range(10)))
    for staircase in (False, True):
        specs.append(
            ("InverseTimeDecay", {"initial_learning_rate": 0.1, "decay_steps": 2, "decay_rate": 0.5, "staircase": staircase}, range(11))
        )
    for power in (1.0, 2.0):
        for cycle in (False, True):
            specs.append(
                (
                    "PolynomialDecay",
                    {"initial_learning_rate": 0.1, "decay_steps": 5, "end_learning_rate": 0.01, "power": power, "cycle": cycle},
                    range(16),  # well past decay_steps, through two more cycles
                )
            )
    for alpha in (0.0, 0.1):
        specs.append(("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 8, "alpha": alpha}, range(13)))
        specs.append(
            (
                "CosineDecay",
                {
                    "initial_learning_rate": 0.0 if alpha == 0.0 else 0.01,
                    "decay_steps": 8,
                    "alpha": alpha,
                    "warmup_target": 0.5,
                    "warmup_steps": 4,
                },
                range(17),  # warmup 0..4, peak at 4, decay 4..12, flat after
            )
        )
    for t_mul in (1.0, 2.0):
        for m_mul in (1.0, 0.5):
            specs.append(
                (
                    "CosineDecayRestarts",
                    {"initial_learning_rate": 0.1, "first_decay_steps": 5, "t_mul": t_mul, "m_mul": m_mul, "alpha": 0.1},
                    range(41),
                )
            )
    return specs


def run_schedule_case(class_name, config, steps):
    """Evaluate one schedule at the given steps, the way an optimizer would call it."""
    schedule = getattr(schedules, class_name)(**config)
    values = []
    for step in steps:
        # Optimizers hand the schedule their integer iteration counter.
        result = schedule(keras.ops.convert_to_tensor(step, dtype="int32"))
        values.append(float(to_numpy(result)))
    return {
        "class_name": class_name,
        "config": plain_config(schedule.get_config()),
        "steps": list(steps),
        "values": values,
    }


# --------------------------------------------------------------------------
# PyTorch cases
# --------------------------------------------------------------------------
def radam_rho(beta_2, n_steps):
    """RAdam's SMA length rho_t for t = 1..n_steps (from the paper's formula).

    rho_inf = 2 / (1 - beta_2) - 1,  rho_t = rho_inf - 2 t beta_2^t / (1 - beta_2^t);
    the rectified (adaptive) update is used only when rho_t > 5.
    """
    rho_inf = 2.0 / (1.0 - beta_2) - 1.0
    t = np.arange(1, n_steps + 1, dtype=np.float64)
    return rho_inf - 2.0 * t * beta_2**t / (1.0 - beta_2**t)


def torch_specs():
    """List the torch cases; kwargs use our Keras-style names."""
    specs = []
    for case_id, lr, beta_2, wd in [
        ("radam_default", 1e-3, 0.999, 0.0),
        ("radam_lr", 1e-2, 0.999, 0.0),
        ("radam_weight_decay", 1e-2, 0.999, 0.1),
        # beta_2 = 0.9 still switches on at step 6 (rho_6 = 5.39);
        ("radam_beta2", 1e-2, 0.9, 0.0),
        # beta_2 = 0.6 gives rho_inf = 4 < 5, so it never does.
        ("radam_never_rectified", 1e-2, 0.6, 0.0),
    ]:
        specs.append(
            {
                "id": case_id,
                "optimizer": "RAdam",
                "kwargs": {"beta_1": 0.9, "beta_2": beta_2, "epsilon": 1e-8, "weight_decay": wd},
                "learning_rate": lr,
                "steps": N_STEPS_RADAM,
                "torch_kwargs": {
                    "lr": lr,
                    "betas": [0.9, beta_2],
                    "eps": 1e-8,
                    "weight_decay": wd,
                    "decoupled_weight_decay": True,
                },
            }
        )
    specs.append(
        {
            "id": "torch_adam_default",
            "optimizer": "Adam",
            "kwargs": {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-8},
            "learning_rate": 1e-3,
            "steps": N_STEPS,
            "torch_kwargs": {"lr": 1e-3, "betas": [0.9, 0.999], "eps": 1e-8},
        }
    )
    for nesterov in (False, True):
        specs.append(
            {
                "id": "torch_sgd_nesterov" if nesterov else "torch_sgd_momentum",
                "optimizer": "SGD",
                "kwargs": {"momentum": 0.9, "nesterov": nesterov},
                "learning_rate": 0.1,
                "steps": N_STEPS,
                "torch_kwargs": {"lr": 0.1, "momentum": 0.9, "nesterov": nesterov},
            }
        )
    return specs


def run_torch_case(index, spec):
    """Run one torch.optim case and return its JSON-ready record."""
    params0, grads = make_inputs(index, spec["steps"])
    params = [torch.tensor(p, dtype=torch.float64) for p in params0]
    torch_cls = getattr(torch.optim, spec["optimizer"])
    # foreach=False: the plain per-tensor code path, the easiest to read.
    optimizer = torch_cls(params, foreach=False, **spec["torch_kwargs"])

    expected = []
    for step_grads in grads:
        for p, g in zip(params, step_grads):
            p.grad = torch.tensor(g, dtype=torch.float64)  # set by hand, no autograd
        optimizer.step()
        expected.append([as_list(to_numpy(p)) for p in params])

    state = {}
    for i, p in enumerate(params):
        for key, value in optimizer.state[p].items():
            if key == "step":
                state[f"var{i}_step"] = float(value)
            else:
                state[f"var{i}_{key}"] = as_list(to_numpy(value))
    extra = {"torch_state": state}
    if spec["optimizer"] == "RAdam":
        rho = radam_rho(spec["kwargs"]["beta_2"], spec["steps"])
        rectified = [bool(r > 5.0) for r in rho]
        extra["rho_t"] = as_list(rho)
        extra["rectified"] = rectified
        extra["first_rectified_step"] = rectified.index(True) + 1 if any(rectified) else None
    if spec["optimizer"] == "Adam":
        extra["note"] = (
            "torch adds eps to sqrt(v_hat) (bias-corrected); Keras adds epsilon to "
            "sqrt(v) and folds the bias corrections into the step size"
        )
    if spec["optimizer"] == "SGD":
        extra["note"] = (
            "torch keeps buf = momentum*buf + g and steps p -= lr*buf (nesterov: "
            "p -= lr*(g + momentum*buf)); Keras keeps v = momentum*v - lr*g"
        )

    return {
        "id": spec["id"],
        "optimizer": spec["optimizer"],
        "torch_class": f"torch.optim.{spec['optimizer']}",
        "kwargs": spec["kwargs"],
        "learning_rate": spec["learning_rate"],
        "torch_kwargs": spec["torch_kwargs"],
        "seed": index,
        "params0": [as_list(p) for p in params0],
        "grads": [[as_list(g) for g in step] for step in grads],
        "expected": expected,
        "extra": extra,
    }


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------
def package_version(name):
    """Installed version of a distribution, or None."""
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def source_string(with_keras=True):
    """Describe the library versions the numbers came from."""
    parts = []
    if with_keras:
        parts.append(f"keras {keras.__version__} (backend {PRIMARY_BACKEND}, floatx {keras.config.floatx()})")
        parts.append(f"jax {package_version('jax')} (x64, for the {FALLBACK_BACKEND}-backend cases)")
    parts.append(f"torch {torch.__version__}")
    parts.append(f"numpy {np.__version__}")
    parts.append(f"python {platform.python_version()}")
    return ", ".join(parts)


def write_json(path, data):
    """Write data as pretty JSON and check it reads back bit-for-bit."""
    text = json.dumps(data, indent=1, allow_nan=False)
    assert json.loads(text) == data, f"{path}: JSON round trip changed the data"
    path.write_text(text + "\n")


def max_differences(a, b):
    """Largest absolute and relative elementwise difference of two nested float lists."""
    a = np.concatenate([np.ravel(np.asarray(x, dtype=np.float64)) for step in a for x in step])
    b = np.concatenate([np.ravel(np.asarray(x, dtype=np.float64)) for step in b for x in step])
    diff = np.abs(a - b)
    scale = np.maximum(np.maximum(np.abs(a), np.abs(b)), np.finfo(np.float64).tiny)
    return float(diff.max()), float((diff / scale).max())


def run_on_fallback_backend(case_ids):
    """Compute the given Keras optimizer cases on the fallback backend, in a child process."""
    with tempfile.TemporaryDirectory() as tmp:
        emit = Path(tmp) / "cases.json"
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--keras-backend",
            FALLBACK_BACKEND,
            "--only",
            ",".join(case_ids),
            "--emit",
            str(emit),
        ]
        subprocess.run(command, check=True)
        return {c["id"]: c for c in json.loads(emit.read_text())}


def child_main():
    """Child-process mode: run only the listed Keras optimizer cases and write their records."""
    wanted = ARGS.only.split(",")
    leaky = downcasting_ops()
    records = []
    for index, spec in enumerate(keras_optimizer_specs()):
        if spec["id"] not in wanted:
            continue
        bad = sorted(clip_ops_needed(spec) & set(leaky))
        assert not bad, f"{spec['id']}: {bad} lose float64 on the {keras.backend.backend()} backend too"
        records.append(run_keras_case(index, spec))
    assert len(records) == len(wanted), "unknown case id"
    ARGS.emit.write_text(json.dumps(records))
    return 0


def main():
    """Generate all three fixture files and print a summary."""
    if ARGS.emit:
        return child_main()
    out = ARGS.out
    out.mkdir(parents=True, exist_ok=True)
    command = "python tests/data/make_reference.py"

    # --- Keras optimizers ---------------------------------------------------
    specs = keras_optimizer_specs()
    assert len({s["id"] for s in specs}) == len(specs), "duplicate case id"
    leaky = downcasting_ops()
    opt_cases = [run_keras_case(i, spec) for i, spec in enumerate(specs)]
    # Cases whose clipping goes through an op that drops to float32 here get
    # recomputed on the fallback backend.  The primary-backend numbers are
    # kept only as a measured difference, to show what the float32 cost.
    affected = [s["id"] for s in specs if clip_ops_needed(s) & set(leaky)]
    if affected:
        redone = run_on_fallback_backend(affected)
        for k, case in enumerate(opt_cases):
            if case["id"] in redone:
                new = redone[case["id"]]
                assert new["params0"] == case["params0"] and new["grads"] == case["grads"]
                abs_diff, rel_diff = max_differences(case["expected"], new["expected"])
                new["extra"]["why_this_backend"] = (
                    f"on the {PRIMARY_BACKEND} backend keras.ops {', '.join(leaky)} return float32 for "
                    f"float64 inputs, so clipping there is float32-rounded (torch-backend results differ from these by up to "
                    f"{abs_diff:.1e} absolute, {rel_diff:.1e} relative)"
                )
                opt_cases[k] = new
    write_json(
        out / "keras_optimizers.json",
        {
            "source": source_string(),
            "command": command,
            "backend_note": (
                f"cases come from Keras's {PRIMARY_BACKEND} backend except those whose "
                f"extra.keras_backend says {FALLBACK_BACKEND}: see extra.why_this_backend"
            ),
            "cases": opt_cases,
            "defaults": keras_defaults(),
        },
    )

    # --- Keras schedules ----------------------------------------------------
    sched_cases = [run_schedule_case(*spec) for spec in keras_schedule_specs()]
    write_json(out / "keras_schedules.json", {"source": source_string(), "command": command, "cases": sched_cases})

    # --- PyTorch ------------------------------------------------------------
    torch_cases = [run_torch_case(i, spec) for i, spec in enumerate(torch_specs())]
    write_json(
        out / "torch_reference.json",
        {"source": source_string(with_keras=False), "command": command, "cases": torch_cases},
    )

    # --- Summary ------------------------------------------------------------
    print(f"source: {source_string()}")
    print(f"keras ops losing float64 on the {PRIMARY_BACKEND} backend: {', '.join(leaky) or 'none'}")
    print(f"keras_optimizers.json: {len(opt_cases)} cases")
    for c in opt_cases:
        print(f"  {c['id']:<40} {c['optimizer']:<9} {c['extra']['keras_backend']:<6} {json.dumps(c['kwargs'])}")
    print(f"keras_schedules.json:  {len(sched_cases)} cases")
    for c in sched_cases:
        print(f"  {c['class_name']:<24} {json.dumps(c['config'])}")
    print(f"torch_reference.json:  {len(torch_cases)} cases")
    for c in torch_cases:
        first = c["extra"].get("first_rectified_step")
        tail = ""
        if c["optimizer"] == "RAdam":
            tail = f"  (rectified from step {first})" if first else "  (never rectified)"
        print(f"  {c['id']:<40} {c['torch_class']}{tail}")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
