"""The exercises' checks: solutions score full marks, blanks score 0, mistakes are caught.

For every task of every exercise (optimizers/grading/tasks/NN_topic.py):

* the reference solution, taken from the single source exercises/source/NN_topic.py
  (solution version of its cells), scores full points, also with other seeds;
* the blank exercise (solution blocks replaced by NotImplementedError) is "not attempted";
* plausible wrong implementations written here score less than full points, and the
  printed feedback names the mistake;
* a function that returns one captured answer whatever its input fails.
"""

from __future__ import annotations

import ast
import copy
import functools
import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizers.grading import TASKS, check, exercise_tasks, grade

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "exercises" / "source"
EXERCISES = sorted(path.stem for path in SOURCES.glob("[0-9][0-9]_*.py"))
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"

# ---------------------------------------------------------------------------
# Reading the single-source exercises
# ---------------------------------------------------------------------------


def _cells(exercise):
    """(kind, source) of every cell of exercises/source/<exercise>.py."""
    cells = []
    for line in (SOURCES / f"{exercise}.py").read_text().splitlines():
        if line.startswith("# %%"):
            cells.append(["markdown" if "[markdown]" in line else "code", []])
        elif cells:
            cells[-1][1].append(line)
    return [(kind, "\n".join(lines)) for kind, lines in cells]


def _version(source, solution):
    """The cell as the solution (markers dropped) or the exercise (blocks -> raise) has it."""
    out, inside = [], False
    for line in source.splitlines():
        if line.strip() == BEGIN:
            inside = True
            if not solution:
                indent = line[: len(line) - len(line.lstrip())]
                out.append(f'{indent}raise NotImplementedError("Your code here")')
            continue
        if line.strip() == END:
            inside = False
            continue
        if solution or not inside:
            out.append(line)
    return "\n".join(out)


def _defines_only(source):
    """Whether a code cell only imports and defines (no checks, plots or training)."""
    tree = ast.parse(source)
    kinds = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)
    return bool(tree.body) and all(isinstance(node, kinds) for node in tree.body)


@functools.lru_cache(maxsize=None)
def namespace(exercise, solution=True):
    """The names the notebook defines, from its import and definition cells."""
    names = {"__name__": f"exercise_{exercise}"}
    for kind, source in _cells(exercise):
        if kind == "code" and _defines_only(source):
            exec(compile(_version(source, solution), f"{exercise}.py", "exec"), names)
    return names


def reference(task_name):
    task = TASKS[task_name]
    return namespace(task.exercise)[task.target]


def grade_quiet(task_name, student, seed=None):
    return grade(task_name, student, seed=seed)


def feedback(task_name, student, capsys):
    """The points and the text check() prints for ``student``."""
    result = check(task_name, student)
    return result, capsys.readouterr().out


ALL_TASKS = [name for exercise in EXERCISES for name in
             [t.name for t in exercise_tasks(exercise)]]
SLOW = {"train", "diagnose", "pick_learning_rate"}   # real training inside the check

# ---------------------------------------------------------------------------
# Structure: sources, tasks and points agree
# ---------------------------------------------------------------------------


def test_ten_exercises_each_with_two_to_four_tasks():
    assert len(EXERCISES) >= 10
    for exercise in EXERCISES:
        assert 2 <= len(exercise_tasks(exercise)) <= 4, exercise


@pytest.mark.parametrize("exercise", EXERCISES)
def test_source_checks_every_task_once_in_order_with_the_points_it_states(exercise):
    cells = _cells(exercise)
    checked = [m.group(1) for kind, source in cells if kind == "code"
               for m in re.finditer(r'^check\("(\w+)", (\w+)\)$', source, re.M)
               if m.group(1) == m.group(2)]
    tasks = exercise_tasks(exercise)
    assert checked == [t.name for t in tasks]
    # The task table in the first cell states each task's points.
    table = {m.group(1): float(m.group(2)) for m in
             re.finditer(r"^# \| \d+ \| `(\w+)`.*\| (\d+) \|$", cells[0][1], re.M)}
    assert table == {t.name: t.points for t in tasks}
    # Each check cell is one line, and nothing but solution blocks differs between versions.
    for kind, source in cells:
        if "check(" in source and kind == "code":
            assert len(source.strip().splitlines()) == 1
    assert all(source.count(BEGIN) == source.count(END) for _, source in cells)


# ---------------------------------------------------------------------------
# Solutions: full marks; blanks: not attempted
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("task_name", ALL_TASKS)
def test_solution_scores_full_points(task_name):
    result = grade_quiet(task_name, reference(task_name))
    assert result.status == "ok", result.message
    assert result.points == result.max_points == TASKS[task_name].points


@pytest.mark.parametrize("seed", [1, 2, 12345])
@pytest.mark.parametrize("task_name", [n for n in ALL_TASKS if n not in SLOW])
def test_solution_scores_full_points_with_other_seeds(task_name, seed):
    # The batch grader draws other cases (OPTIMIZERS_GRADING_SEED) than the notebook shows.
    result = grade_quiet(task_name, reference(task_name), seed=seed)
    assert result.status == "ok", result.message


@pytest.mark.parametrize("task_name", ALL_TASKS)
def test_blank_exercise_is_not_attempted(task_name, capsys):
    task = TASKS[task_name]
    blank = namespace(task.exercise, solution=False)[task.target]
    result, printed = feedback(task_name, blank, capsys)
    assert (result.status, result.points) == ("not attempted", 0)
    assert "not attempted" in printed


def test_runs_are_deterministic():
    first = grade_quiet("adam_step", reference("adam_step")).cases
    second = grade_quiet("adam_step", reference("adam_step")).cases
    assert [c.description for c in first] == [c.description for c in second]
    for a, b in zip(first, second):
        for x, y in zip(a.expected, b.expected):
            assert np.array_equal(x, y)


# ---------------------------------------------------------------------------
# A hard-coded answer fails
# ---------------------------------------------------------------------------

HARD_CODABLE = [n for n in ALL_TASKS if n not in SLOW | {"MomentumSGD", "AdamOptimizer"}]


@pytest.mark.parametrize("task_name", HARD_CODABLE)
def test_a_hard_coded_answer_fails(task_name):
    right = reference(task_name)
    captured = []

    def spy(*args, **kwargs):
        answer = right(*args, **kwargs)
        if not captured:
            captured.append(copy.deepcopy(answer))
        return answer

    grade_quiet(task_name, spy)
    result = grade_quiet(task_name, lambda *args, **kwargs: copy.deepcopy(captured[0]))
    assert result.points < result.max_points


def test_a_constant_learning_rate_pick_fails():
    assert grade_quiet("pick_learning_rate", lambda lrs, losses: 0.01).points < 3


# ---------------------------------------------------------------------------
# Common mistakes are caught, with the right hint
# ---------------------------------------------------------------------------

def assert_caught(task_name, wrong, keyword, capsys):
    result, printed = feedback(task_name, wrong, capsys)
    assert result.points < result.max_points, printed
    assert keyword.lower() in printed.lower(), printed


# -- 01 gradient descent -----------------------------------------------------

def gd_wrong_sign(param, grad, learning_rate):
    return param + learning_rate * grad


def gd_no_rate(param, grad, learning_rate):
    return param - grad


def gd_in_place(param, grad, learning_rate):
    param -= learning_rate * grad
    return param


def numgrad_forward(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        e = np.zeros(x.shape)
        e[i] = h
        grad[i] = (f(x + e) - f(x)) / h
    return grad


def numgrad_over_h(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        e = np.zeros(x.shape)
        e[i] = h
        grad[i] = (f(x + e) - f(x - e)) / h
    return grad


def numgrad_not_restored(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        x[i] += h
        plus = f(x)
        x[i] -= 2 * h
        grad[i] = (plus - f(x)) / (2 * h)   # and x[i] is left at x - h
    return grad


def descent_without_start(grad_fn, start, learning_rate, steps):
    w, path = start.copy(), []
    for _ in range(steps):
        w = w - learning_rate * grad_fn(w)
        path.append(w)
    return np.array(path).reshape(steps, *start.shape)


def descent_aliased(grad_fn, start, learning_rate, steps):
    w = start.copy()
    path = [w]
    for _ in range(steps):
        w -= learning_rate * grad_fn(w)     # the same array, changed in place
        path.append(w)
    return np.array(path)


# -- 02 mini-batches -----------------------------------------------------------

def updates_floor(n, batch_size):
    return 1 if batch_size is None else n // batch_size


def batches_drop_last(n, batch_size, rng):
    if batch_size is None:
        return [np.arange(n)]
    order = rng.permutation(n)
    return [order[i:i + batch_size] for i in range(0, n - batch_size + 1, batch_size)]


def batches_unshuffled(n, batch_size, rng):
    if batch_size is None:
        return [np.arange(n)]
    return [np.arange(n)[i:i + batch_size] for i in range(0, n, batch_size)]


def batches_shuffle_full(n, batch_size, rng):
    order = rng.permutation(n)
    size = n if batch_size is None else batch_size
    return [order[i:i + size] for i in range(0, n, size)]


def _epoch_variant(reduce="mean", by_batch_size=False, full=False, after=False, in_place=False):
    from optimizers.training import minibatches

    def sgd_epoch(w, X, y, batch_size, learning_rate, rng):
        if not in_place:
            w = w.copy()
        losses = []
        for rows in minibatches(len(y), batch_size, rng):
            Xb, yb = (X, y) if full else (X[rows], y[rows])
            count = batch_size if (by_batch_size and batch_size) else len(rows)
            scale = 1.0 if reduce == "sum" else 1.0 / count
            residual = Xb @ w - yb
            loss = 0.5 * np.sum(residual**2) * scale
            w -= learning_rate * (Xb.T @ residual) * scale
            if after:
                loss = 0.5 * np.sum((Xb @ w - yb) ** 2) * scale
            losses.append(loss)
        return w, np.array(losses)

    return sgd_epoch


# -- 03 momentum -----------------------------------------------------------------

def momentum_pytorch(param, grad, velocity, learning_rate, momentum, nesterov=False):
    buffer = momentum * velocity + grad
    return param - learning_rate * buffer, buffer


def momentum_ignores_nesterov(param, grad, velocity, learning_rate, momentum, nesterov=False):
    v = momentum * velocity - learning_rate * grad
    return param + v, v


def momentum_old_velocity(param, grad, velocity, learning_rate, momentum, nesterov=False):
    v = momentum * velocity - learning_rate * grad
    if nesterov:
        return param + momentum * velocity - learning_rate * grad, v
    return param + velocity, v


def momentum_in_place(param, grad, velocity, learning_rate, momentum, nesterov=False):
    velocity *= momentum
    velocity -= learning_rate * grad
    step = momentum * velocity - learning_rate * grad if nesterov else velocity
    return param + step, velocity


class MomentumForgets:
    def __init__(self, learning_rate=0.01, momentum=0.9, nesterov=False):
        self.learning_rate, self.momentum, self.nesterov = learning_rate, momentum, nesterov

    def apply(self, grad, param):
        velocity = np.zeros_like(param)          # recreated at every call
        velocity = self.momentum * velocity - self.learning_rate * grad
        param += self.momentum * velocity - self.learning_rate * grad if self.nesterov else velocity


class MomentumNotInPlace(MomentumForgets):
    def apply(self, grad, param):
        if not hasattr(self, "velocity"):
            self.velocity = np.zeros_like(param)
        self.velocity = self.momentum * self.velocity - self.learning_rate * grad
        param = param + self.velocity            # rebinds the name only
        return param


class MomentumShared(MomentumForgets):
    velocity = None                              # one velocity for every instance

    def apply(self, grad, param):
        if MomentumShared.velocity is None or MomentumShared.velocity.shape != param.shape:
            MomentumShared.velocity = np.zeros_like(param)
        MomentumShared.velocity = self.momentum * MomentumShared.velocity - self.learning_rate * grad
        v = MomentumShared.velocity
        param += self.momentum * v - self.learning_rate * grad if self.nesterov else v


class MomentumPytorch(MomentumForgets):
    def apply(self, grad, param):
        if not hasattr(self, "buffer"):
            self.buffer = np.zeros_like(param)
        self.buffer = self.momentum * self.buffer + grad
        if self.nesterov:
            param -= self.learning_rate * (grad + self.momentum * self.buffer)
        else:
            param -= self.learning_rate * self.buffer


# -- 04 RMSprop ----------------------------------------------------------------------

def rms_eps_outside(param, grad, v, learning_rate=0.001, rho=0.9, epsilon=1e-7):
    v = rho * v + (1 - rho) * grad**2
    return param - learning_rate * grad / (np.sqrt(v) + epsilon), v


def rms_swapped(param, grad, v, learning_rate=0.001, rho=0.9, epsilon=1e-7):
    v = (1 - rho) * v + rho * grad**2
    return param - learning_rate * grad / np.sqrt(v + epsilon), v


def rms_old_v(param, grad, v, learning_rate=0.001, rho=0.9, epsilon=1e-7):
    new_v = rho * v + (1 - rho) * grad**2
    return param - learning_rate * grad / np.sqrt(v + epsilon), new_v


def rms_in_place(param, grad, v, learning_rate=0.001, rho=0.9, epsilon=1e-7):
    v *= rho
    v += (1 - rho) * grad**2
    return param - learning_rate * grad / np.sqrt(v + epsilon), v


def centered_not_centered(param, grad, v, mg, learning_rate=0.001, rho=0.9, epsilon=1e-7):
    v = rho * v + (1 - rho) * grad**2
    mg = rho * mg + (1 - rho) * grad
    return param - learning_rate * grad / np.sqrt(v + epsilon), v, mg


def centered_old_mg(param, grad, v, mg, learning_rate=0.001, rho=0.9, epsilon=1e-7):
    new_v = rho * v + (1 - rho) * grad**2
    new_mg = rho * mg + (1 - rho) * grad
    with np.errstate(invalid="ignore"):
        return param - learning_rate * grad / np.sqrt(new_v - mg**2 + epsilon), new_v, new_mg


# -- 05 Adam ---------------------------------------------------------------------------

def _adam(correct=True, shift=0, eps_after=False, in_place=False, numpy_scalar=False):
    def adam_step(param, grad, m, v, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999,
                  epsilon=1e-7):
        if in_place:
            m *= beta_1
            m += (1 - beta_1) * grad
            v *= beta_2
            v += (1 - beta_2) * grad**2
        else:
            m = beta_1 * m + (1 - beta_1) * grad
            v = beta_2 * v + (1 - beta_2) * grad**2
        s = t + shift
        c1, c2 = (1 - beta_1**s, 1 - beta_2**s) if correct else (1.0, 1.0)
        if eps_after:
            return param - learning_rate * (m / c1) / (np.sqrt(v / c2) + epsilon), m, v
        root = np.sqrt(c2) if numpy_scalar else math.sqrt(c2)   # np.sqrt: a float64 scalar
        with np.errstate(all="ignore"):                          # NumPy's 0/0 is NaN
            return param - learning_rate * root / c1 * m / (np.sqrt(v) + epsilon), m, v
    return adam_step


class _AdamBase:
    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        self.learning_rate, self.beta_1, self.beta_2, self.epsilon = learning_rate, beta_1, beta_2, epsilon
        self.m = self.v = None
        self.t = 0

    def _step(self, grad, param, t, rule=_adam()):
        if self.m is None:
            self.m, self.v = np.zeros_like(param), np.zeros_like(param)
        new, self.m, self.v = rule(param, grad, self.m, self.v, t, self.learning_rate,
                                   self.beta_1, self.beta_2, self.epsilon)
        param[...] = new


class AdamForgets(_AdamBase):
    def apply(self, grad, param):
        self.m = None                            # state thrown away every call
        self.t += 1
        self._step(grad, param, self.t)


class AdamNoCount(_AdamBase):
    def apply(self, grad, param):
        self._step(grad, param, 1)               # t never advances


class AdamCountsFromZero(_AdamBase):
    def apply(self, grad, param):
        with np.errstate(all="ignore"):
            # t is used before it is incremented; NumPy scalars turn 0/0 into NaN
            self._step(grad, param, self.t, rule=_adam(numpy_scalar=True))
        self.t += 1


class AdamShared(_AdamBase):
    shared = {}

    def apply(self, grad, param):
        state = AdamShared.shared
        if state.get("shape") != param.shape:
            state.update(shape=param.shape, m=None, t=0)
        self.m, self.v = state["m"], state.get("v")
        state["t"] += 1
        self._step(grad, param, state["t"])
        state["m"], state["v"] = self.m, self.v


# -- 06 schedules ----------------------------------------------------------------------------

def step_decay_switches_at_boundary(step, boundaries, values):
    for boundary, value in zip(boundaries, values):
        if step < boundary:
            return value
    return values[-1]


def _warmup_cosine(from_zero=False, clamp=True, plus_one=False, absolute_floor=False):
    def warmup_cosine(step, peak_learning_rate, warmup_steps, decay_steps,
                      initial_learning_rate=0.0, alpha=0.0):
        W, T, peak, start = warmup_steps, decay_steps, peak_learning_rate, initial_learning_rate
        if step < W:
            return start + (peak - start) * (step + plus_one) / W
        d = step if from_zero else step - W
        d = min(d, T) if clamp else d
        cosine = 0.5 * (1 + math.cos(math.pi * d / T))
        if absolute_floor:
            return (peak - alpha) * cosine + alpha
        return peak * ((1 - alpha) * cosine + alpha)
    return warmup_cosine


# -- 07 clipping --------------------------------------------------------------------------------

def norm_sum_of_norms(grads):
    return float(sum(np.linalg.norm(g) for g in grads))


def clip_norm_globally(grads, clipnorm):
    total = math.sqrt(sum(float(np.sum(g**2)) for g in grads))
    return [g * clipnorm / max(total, clipnorm) for g in grads]


def clip_norm_always(grads, clipnorm):
    with np.errstate(all="ignore"):
        return [g * clipnorm / np.linalg.norm(g) for g in grads]


def clip_norm_by_value(grads, clipnorm):
    return [np.clip(g, -clipnorm, clipnorm) for g in grads]


def clip_global_per_tensor(grads, clipnorm):
    return [g * clipnorm / max(float(np.linalg.norm(g)), clipnorm) for g in grads]


def clip_global_sum_of_norms(grads, clipnorm):
    total = sum(float(np.linalg.norm(g)) for g in grads)
    return [g * clipnorm / max(total, clipnorm) for g in grads]


def clip_global_in_place(grads, clipnorm):
    scale = clipnorm / max(math.sqrt(sum(float(np.sum(g**2)) for g in grads)), clipnorm)
    for g in grads:
        g *= scale
    return grads


# -- 09 Lion and AdaBelief ------------------------------------------------------------------------

def _lion(new_m_first=False, swapped=False, no_sign=False, decay_without_rate=False):
    def lion_step(param, grad, m, learning_rate=1e-4, beta_1=0.9, beta_2=0.99, weight_decay=0.0):
        b1, b2 = (beta_2, beta_1) if swapped else (beta_1, beta_2)
        new_m = b2 * m + (1 - b2) * grad
        c = b1 * (new_m if new_m_first else m) + (1 - b1) * grad
        direction = c if no_sign else np.sign(c)
        decay = weight_decay * param if decay_without_rate else learning_rate * weight_decay * param
        return param - learning_rate * direction - decay, new_m
    return lion_step


def _adabelief(adam=False, old_m=False, eps_in_s=True, correct=True):
    def adabelief_step(param, grad, m, s, t, learning_rate=1e-3, beta_1=0.9, beta_2=0.999,
                       epsilon=1e-16):
        new_m = beta_1 * m + (1 - beta_1) * grad
        surprise = grad**2 if adam else (grad - (m if old_m else new_m)) ** 2
        new_s = beta_2 * s + (1 - beta_2) * surprise + (epsilon if eps_in_s else 0.0)
        c1, c2 = (1 - beta_1**t, 1 - beta_2**t) if correct else (1.0, 1.0)
        return param - learning_rate * (new_m / c1) / (np.sqrt(new_s / c2) + epsilon), new_m, new_s
    return adabelief_step


# -- 10 capstone ---------------------------------------------------------------------------------

class _Memory:
    """A 'model' that looks rows up in a table (cheap stand-ins for trained models)."""

    def __init__(self, X, labels, default=0):
        self.table = {row.tobytes(): int(label) for row, label in zip(X, labels)}
        self.default = default

    def predict(self, X):
        return np.array([self.table.get(row.tobytes(), self.default) for row in X])


def train_on_test_labels(split):
    # Memorises every split, the (hidden, wrong) test labels included.
    X = np.vstack([split.X_train, split.X_val, split.X_test])
    y = np.concatenate([split.y_train, split.y_val, split.y_test])
    return _Memory(X, y)


def train_nothing(split):
    return _Memory(split.X_train[:0], [], default=3)   # always predicts 3


def train_returns_probabilities(split):
    class Probabilities:
        def predict(self, X):
            return np.full((len(X), 10), 0.1)
    return Probabilities()


MISTAKES = [
    ("gradient_descent_step", gd_wrong_sign, "Wrong sign"),
    ("gradient_descent_step", gd_no_rate, "learning rate is missing"),
    ("gradient_descent_step", gd_in_place, "in place"),
    ("numerical_gradient", numgrad_forward, "forward difference"),
    ("numerical_gradient", numgrad_over_h, "divide by 2 * h"),
    ("numerical_gradient", numgrad_not_restored, "changed its input `x` in place"),
    ("gradient_descent", descent_without_start, "Row 0 must be the starting point"),
    ("gradient_descent", descent_aliased, "same array object"),
    ("updates_per_epoch", updates_floor, "round up"),
    ("minibatch_indices", batches_drop_last, "last batch is missing"),
    ("minibatch_indices", batches_unshuffled, "Shuffle"),
    ("minibatch_indices", batches_shuffle_full, "in order"),
    ("sgd_epoch", _epoch_variant(reduce="sum"), "Average over the batch"),
    ("sgd_epoch", _epoch_variant(by_batch_size=True), "divide by len(rows)"),
    ("sgd_epoch", _epoch_variant(full=True), "only its batch's rows"),
    ("sgd_epoch", _epoch_variant(after=True), "before"),
    ("sgd_epoch", _epoch_variant(in_place=True), "changed its input `w` in place"),
    ("momentum_step", momentum_pytorch, "PyTorch"),
    ("momentum_step", momentum_ignores_nesterov, "look ahead"),
    ("momentum_step", momentum_old_velocity, "new* velocity"),
    ("momentum_step", momentum_in_place, "changed its input `velocity` in place"),
    ("MomentumSGD", MomentumForgets, "not kept between calls"),
    ("MomentumSGD", MomentumNotInPlace, "did not change"),
    ("MomentumSGD", MomentumShared, "its own velocity"),
    ("MomentumSGD", MomentumPytorch, "PyTorch"),
    ("rmsprop_step", rms_eps_outside, "inside"),
    ("rmsprop_step", rms_swapped, "swapped"),
    ("rmsprop_step", rms_old_v, "new* v"),
    ("rmsprop_step", rms_in_place, "changed its input `v` in place"),
    ("rmsprop_centered_step", centered_not_centered, "subtracts the squared mean"),
    ("rmsprop_centered_step", centered_old_mg, "new* mean gradient"),
    ("adam_step", _adam(correct=False), "Bias correction is missing"),
    ("adam_step", _adam(shift=1), "off by one"),
    ("adam_step", _adam(shift=-1, numpy_scalar=True), "off by one"),  # NaN, not ZeroDivisionError
    ("adam_step", _adam(eps_after=True), "Epsilon placement"),
    ("adam_step", _adam(in_place=True), "changed its input `m` in place"),
    ("adam_step", _adam(numpy_scalar=True), "dtype"),
    ("AdamOptimizer", AdamForgets, "not kept between calls"),
    ("AdamOptimizer", AdamNoCount, "step count does not advance"),
    ("AdamOptimizer", AdamCountsFromZero, "t = 1"),
    ("AdamOptimizer", AdamShared, "its own m, v and t"),
    ("step_decay", step_decay_switches_at_boundary, "Off by one at the boundaries"),
    ("warmup_cosine", _warmup_cosine(from_zero=True), "start where warmup ends"),
    ("warmup_cosine", _warmup_cosine(clamp=False), "clamp"),
    ("warmup_cosine", _warmup_cosine(plus_one=True), "Warmup is off by one"),
    ("warmup_cosine", _warmup_cosine(absolute_floor=True), "fraction of the peak"),
    ("global_norm", norm_sum_of_norms, "sum of the separate norms"),
    ("clip_by_norm", clip_norm_globally, "per tensor"),
    ("clip_by_norm", clip_norm_always, "Only gradients longer than clipnorm"),
    ("clip_by_norm", clip_norm_by_value, "clip by value"),
    ("clip_by_global_norm", clip_global_per_tensor, "together"),
    ("clip_by_global_norm", clip_global_sum_of_norms, "not the sum of the norms"),
    ("clip_by_global_norm", clip_global_in_place, "changed its input `grads` in place"),
    ("lion_step", _lion(new_m_first=True), "*old* m"),
    ("lion_step", _lion(swapped=True), "betas are swapped"),
    ("lion_step", _lion(no_sign=True), "Take the sign"),
    ("lion_step", _lion(decay_without_rate=True), "scaled by the learning rate"),
    ("adabelief_step", _adabelief(adam=True), "Adam's second moment"),
    ("adabelief_step", _adabelief(old_m=True), "*new* m"),
    ("adabelief_step", _adabelief(eps_in_s=False), "added twice"),
    ("adabelief_step", _adabelief(correct=False), "Bias correction is missing"),
    ("accuracy", lambda model, X, y: 100 * float(np.mean(model.predict(X) == y)), "percentage"),
    ("accuracy", lambda model, X, y: float(np.sum(model.predict(X) == y)), "divide the count"),
    ("train", train_on_test_labels, "test split is for the final score only"),
    ("train", train_nothing, "validation accuracy"),
    ("train", train_returns_probabilities, "not probabilities"),
]


@pytest.mark.parametrize("task_name, wrong, keyword", MISTAKES,
                         ids=[f"{t}-{k[:30]}" for t, _, k in MISTAKES])
def test_common_mistake_is_caught_with_its_hint(task_name, wrong, keyword, capsys):
    assert_caught(task_name, wrong, keyword, capsys)


def test_every_task_has_a_mistake_test():
    covered = {name for name, _, _ in MISTAKES} | {"diagnose", "pick_learning_rate"}
    assert covered == set(ALL_TASKS)


# -- 08: diagnosing curves (each check trains a few small models, so only a few runs) --

def test_diagnose_always_good_fails_and_describes_the_curves(capsys):
    result, printed = feedback("diagnose", lambda losses: "good", capsys)
    assert result.points == 1          # 3 of 9 curves right: floor(3 * 3 / 9)
    assert "crawls" in printed and "stability limit" in printed


def test_diagnose_answer_of_the_wrong_kind_is_explained(capsys):
    result, printed = feedback("diagnose", lambda losses: losses[-1] > losses[0], capsys)
    assert result.points == 0
    assert "Return one of the strings" in printed


def test_pick_an_index_instead_of_a_rate(capsys):
    def index_of_minimum(lrs, losses):
        return int(np.argmin(np.where(np.isfinite(losses), losses, np.inf)))
    result, printed = feedback("pick_learning_rate", index_of_minimum, capsys)
    assert result.points == 0 and "index" in printed


def test_pick_the_largest_rate_is_told_to_back_off(capsys):
    result, printed = feedback("pick_learning_rate", lambda lrs, losses: float(lrs[-1]), capsys)
    assert result.points == 0 and "10x below" in printed


def test_pick_the_smallest_rate_is_too_small(capsys):
    result, printed = feedback("pick_learning_rate", lambda lrs, losses: float(lrs[0]), capsys)
    assert result.points == 0 and "too small" in printed


def test_generated_curves_show_their_label_and_come_from_real_runs():
    import importlib

    module = importlib.import_module("optimizers.grading.tasks.08_diagnosing_training")
    rng = np.random.default_rng(7)
    for label in module.LABELS:
        losses = module.training_curve(label, rng)
        assert losses.ndim == 1 and len(losses) >= 20
        if label != "too_high":
            assert np.all(np.isfinite(losses))
        first, last = module._tenths(losses) if np.all(np.isfinite(losses)) else (1.0, np.inf)
        assert {"too_high": last > 3 * first, "too_low": 0.6 * first < last < 0.95 * first,
                "good": last < 0.25 * first}[label]


def test_vectorised_rate_grid_matches_one_fit_per_rate():
    # The pick is judged with losses_after_training, which trains many rates at once;
    # it must agree with the library's own training loop run at each rate.
    import importlib
    import warnings

    from optimizers import SGD
    from optimizers.models import LinearRegression
    from optimizers.training import fit

    module = importlib.import_module("optimizers.grading.tasks.08_diagnosing_training")
    X, y, L = module._regression_problem(np.random.default_rng(3))
    rates = np.array([0.1, 1.0, 5.0]) / L
    grid = module.losses_after_training(X, y, 11, rates, updates=16)
    for rate, loss in zip(rates, grid):
        model = LinearRegression(X.shape[1], seed=11)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            history = fit(model, SGD(rate), X, y, batch_size=32, epochs=2, seed=1, progress=False)
        expected = np.inf if history.diverged else model.loss(X, y)
        assert loss == pytest.approx(expected, rel=1e-9)


# ---------------------------------------------------------------------------
# Helpers the checks rely on
# ---------------------------------------------------------------------------

def test_a_mistake_equal_to_the_answer_is_not_offered_as_the_hint():
    from optimizers.grading.tasks._common import check_result

    expected = np.array([1.0, 2.0])
    mistakes = {"same as the answer": expected + 1e-12, "sign": -expected}
    case = check_result("x", expected + 1e-12 + np.array([0.0, 5.0]), expected, mistakes=mistakes)
    assert not case.passed and case.hint != "same as the answer"
    assert check_result("x", -expected, expected, mistakes=mistakes).hint == "sign"


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_hidden_test_labels_are_all_wrong_and_the_images_unchanged(seed):
    import importlib

    module = importlib.import_module("optimizers.grading.tasks.10_capstone_digits")
    split = module._digits(1)
    hidden = module.hidden_test_split(split, np.random.default_rng(seed))
    assert np.all(hidden.y_test != split.y_test)
    assert np.all((hidden.y_test >= 0) & (hidden.y_test < split.n_classes))
    assert np.array_equal(hidden.X_test, split.X_test) and hidden.X_test is not split.X_test
    assert np.array_equal(hidden.y_train, split.y_train) and hidden.X_train is not split.X_train


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), max_size=st.integers(1, 40))
def test_random_shapes_stay_small(seed, max_size):
    from optimizers.grading.tasks._common import random_shape

    shape = random_shape(np.random.default_rng(seed), max_size=max_size)
    assert 1 <= len(shape) <= 3 and math.prod(shape) <= max_size and min(shape) >= 1
