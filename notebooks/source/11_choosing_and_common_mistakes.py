# %% [markdown]
# # Lesson 11: Choosing an optimizer, and common mistakes
#
# How Keras runs the optimizers you now know, how to pick one for a new problem, and the five mistakes
# that waste the most training runs, each reproduced so that you can spot it in a loss curve.
#
# **You will be able to:**
#
# - translate between this course's optimizers and Keras's: class names, arguments, defaults, and what Keras
#   does around the update rule;
# - check an implementation against reference numbers computed by the real library;
# - choose a first optimizer for a task, and say what evidence would make you change it;
# - recognise from training and validation curves a learning rate that is too high or too low, plain SGD
#   held back by missing momentum, a missing schedule, and an optimizer that trains well but generalises
#   badly.
#
# **Article sections:** 13, 14, 15 · **Study time:** about 30 minutes

# %%
import importlib.util
import json
import warnings

import matplotlib.pyplot as plt
import numpy as np
from threadpoolctl import threadpool_limits

import optimizers as opt
from optimizers.models import MLP, LinearRegression
from optimizers.training import fit
from optimizers.widgets import style

# Speed only: our matrices are tiny, and for them one BLAS thread is faster than several.
_ = threadpool_limits(1)

# %% [markdown]
# ## 1. How Keras runs an optimizer
#
# In Keras you give an optimizer object to `model.compile(optimizer=...)`, and `model.fit` does the rest:
# for every mini-batch it computes the gradients and calls `optimizer.apply(grads, model.trainable_variables)`.
# The optimizers of this course have the same method, with the arguments in the same order,
# `apply(grads, params)`, and one call does the same four things in the same order (see
# [`optimizers/base.py`](../optimizers/base.py)):
#
# 1. **clip** the gradients, if `clipnorm`, `clipvalue` or `global_clipnorm` is set (lesson 09);
# 2. **read the learning rate**: a number, or a schedule called with the number of updates done so far
#    (lesson 10);
# 3. **decay the weights**, if `weight_decay` $\lambda$ is set: $w \leftarrow w - \eta\lambda w$ (lesson 12);
# 4. **apply the update rule** of the optimizer, then add 1 to `iterations`.
#
# Only step 4 differs from one optimizer to the next. Steps 1 to 3 are shared, which is why every Keras
# optimizer accepts `weight_decay`, `clipnorm`, `clipvalue` and `global_clipnorm`. Here is every class of the
# course next to its Keras name, with Keras's default arguments:
#
# | this course | Keras 3 | arguments and defaults (besides the four shared ones) | lesson |
# |---|---|---|---|
# | `opt.SGD` | `keras.optimizers.SGD` | `learning_rate=0.01, momentum=0.0, nesterov=False` | 03, 05 |
# | `opt.RMSprop` | `keras.optimizers.RMSprop` | `learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False` | 06 |
# | `opt.Adam` | `keras.optimizers.Adam` | `learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False` | 07 |
# | `opt.AdamW` | `keras.optimizers.AdamW` | as Adam, and `weight_decay=0.004` | 12 |
# | `opt.Adagrad` | `keras.optimizers.Adagrad` | `learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7` | 12 |
# | `opt.Adadelta` | `keras.optimizers.Adadelta` | `learning_rate=0.001, rho=0.95, epsilon=1e-7` | 12 |
# | `opt.Adamax` | `keras.optimizers.Adamax` | `learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7` | 12 |
# | `opt.Nadam` | `keras.optimizers.Nadam` | `learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7` | 12 |
# | `opt.Lion` | `keras.optimizers.Lion` | `learning_rate=0.001, beta_1=0.9, beta_2=0.99` | 12 |
# | `opt.RAdam` | *not in Keras* (as `torch.optim.RAdam` computes it) | `learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8` | 12 |
# | `opt.AdaBelief` | *not in Keras* (from its paper) | `learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-16` | 12 |
# | `opt.Lookahead` | *not in Keras* (wraps any optimizer) | `inner, k=5, alpha=0.5` | 12 |
# | `opt.ExponentialDecay`, `opt.CosineDecay`, ... | `keras.optimizers.schedules.*` | the same names and arguments | 10 |
#
# One Keras habit to know: the string shortcut `model.compile(optimizer="adam")` builds the class with *all*
# defaults. To choose a learning rate you need the object, `optimizer=keras.optimizers.Adam(learning_rate=3e-3)`.
#
# The course's test data keeps what Keras 3 itself reports as its defaults (`get_config()` of each class
# built with no arguments). The table above, and our classes, agree with it:

# %%
# NBVAL_CHECK_OUTPUT
with open("../tests/data/keras_optimizers.json") as file:
    reference = json.load(file)   # numbers computed by Keras 3; see ../tests/data/README.md

for name, keras_config in reference["defaults"].items():
    ours = opt.ALL[name]().get_config()
    shared = [key for key in keras_config if key in ours]          # Keras has a few extras, listed below
    differ = [key for key in shared if ours[key] != keras_config[key]]
    print(f"{name:9s} {len(shared)} arguments compared, "
          + ("all defaults equal to Keras's" if not differ else f"DIFFERENT: {differ}"))

# %% [markdown]
# **What Keras does that this course leaves out.** None of it changes an update rule, so the course skips it:
# the optimizer's state lives on the accelerator (GPU or TPU) next to the weights; for *mixed precision*,
# `keras.optimizers.LossScaleOptimizer` multiplies the loss by a large factor before the gradients are
# computed, so that small float16 gradients do not round to zero, and divides the gradients by it again before
# the update; `use_ema=True` keeps a moving average of the weights themselves (often better for evaluation);
# `gradient_accumulation_steps` adds up the gradients of several batches before one update, to imitate a
# bigger batch. Keras also has optimizers this course does not cover: `Adafactor`, `Ftrl`, `Lamb`, `Muon` and
# `ScheduleFreeAdamW`.
#
# Keras's optimizers are well tested and hide these details, and hiding is convenient until you move between
# libraries, where the same name can mean different numbers. The differences this course has met:
#
# | | Keras 3 (and this course) | PyTorch | lesson |
# |---|---|---|---|
# | SGD momentum | $v \leftarrow \mu v - \eta g$, $w \leftarrow w + v$ | $b \leftarrow \mu b + g$, $w \leftarrow w - \eta b$: same path at a constant rate, a different one under a schedule | 05 |
# | RMSprop | `rho=0.9`; `epsilon=1e-7` inside the square root | `alpha=0.99`; `eps=1e-8` outside it | 06 |
# | Adam | `epsilon=1e-7`, added before the bias correction of $v$ | `eps=1e-8`, added after it | 07 |
# | `weight_decay` on Adam | decoupled: `Adam(weight_decay=x)` equals `AdamW(weight_decay=x)` | `Adam(weight_decay=x)` adds $x\,w$ to the gradient (an L2 penalty); only `AdamW` decouples by default | 12 |
# | AdamW | `weight_decay=0.004` | `weight_decay=0.01` | 12 |
# | Adagrad | accumulator starts at 0.1; epsilon inside the root | starts at 0; `eps=1e-10` outside | 12 |
# | Adadelta | `learning_rate=0.001` | `lr=1.0` (the paper's method) | 12 |
# | schedules | called with the number of *updates* | usually stepped once per *epoch* | 10 |
#
# When you port a training recipe from a paper or another library, check each of these lines.

# %% [markdown]
# ## 2. Checking our numbers against real Keras
#
# "Same rule as Keras" is a claim, and a claim can be tested. The file
# [`tests/data/keras_optimizers.json`](../tests/data/keras_optimizers.json) holds 46 small cases that Keras 3
# itself computed in float64 precision. Each case starts from two parameter arrays, applies six steps with
# given gradients, and stores the parameters Keras produced after every step. Between them, the cases cover
# every Keras optimizer we have, default and non-default arguments, schedules, weight decay, the three kinds of
# clipping, and gradients that are exactly zero. The test suite replays them in
# [`tests/test_reference_numbers.py`](../tests/test_reference_numbers.py); here we replay them ourselves.

# %%
def replay(case):
    """Run our optimizer on a stored case's inputs; return the parameters after its last step."""
    lr = case["learning_rate"]
    if isinstance(lr, dict):                                  # a schedule, stored as Keras serialises it
        lr = opt.schedules.deserialize(lr)
    optimizer = opt.ALL[case["optimizer"]](learning_rate=lr, **case["kwargs"])
    params = [np.array(p) for p in case["params0"]]
    for grads in case["grads"]:
        optimizer.apply([np.array(g) for g in grads], params)
    return params


def relative_gap(ours, keras_params):
    """Largest |ours - Keras| / |Keras| over all entries of all parameter arrays."""
    keras_params = [np.array(k) for k in keras_params]
    return max(np.max(np.abs(o - k) / np.maximum(np.abs(k), 1e-300)) for o, k in zip(ours, keras_params))

# %%
# NBVAL_CHECK_OUTPUT
by_class = {}
for case in reference["cases"]:
    by_class.setdefault(case["optimizer"], []).append(relative_gap(replay(case), case["expected"][-1]))
print("Keras class  cases  all final parameters within 1e-12 (relative) of Keras's")
for name, gaps in by_class.items():
    print(f"{name:11s} {len(gaps):6d}  {max(gaps) < 1e-12}")
print(f"{sum(map(len, by_class.values()))} cases in total")

# %% [markdown]
# Every case agrees to about the last digit of a float64 number (the largest gap is of the order of
# $10^{-15}$; the 1e-12 bound just leaves room for other machines). Two details made this possible that a
# natural implementation gets wrong: Keras calls a schedule with the update count *before* it is incremented,
# and it applies weight decay after clipping, with the same scheduled learning rate as the step.
#
# **Optional: compare with Keras live.** If Keras 3 is installed in your environment (with one of its backends:
# TensorFlow, JAX or PyTorch), the next cell runs `keras.optimizers.Adam` on one stored case and compares the
# result with `opt.Adam`. Keras computes in float32 by default, so expect agreement to about $10^{-7}$, the
# precision of float32. Without Keras the cell says so and skips; nothing else in the course needs Keras.

# %%
# NBVAL_IGNORE_OUTPUT
case = next(c for c in reference["cases"] if c["id"] == "adam_betas_epsilon")
if importlib.util.find_spec("keras") is None:
    print("Keras is not installed; skipping. (The stored Keras numbers above make the same check.)")
else:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")                          # backend start-up messages
            import keras
            variables = [keras.Variable(np.array(p)) for p in case["params0"]]   # Keras's default float type
            keras_adam = keras.optimizers.Adam(learning_rate=case["learning_rate"], **case["kwargs"])
            for grads in case["grads"]:
                keras_adam.apply([keras.ops.cast(np.array(g), variables[0].dtype) for g in grads], variables)
        gap = relative_gap(replay(case), [keras.ops.convert_to_numpy(v) for v in variables])
        print(f"keras {keras.__version__} ({keras.backend.backend()} backend, {variables[0].dtype}): "
              f"largest relative difference from opt.Adam after 6 steps: {gap:.1e}")
    except Exception as error:   # Keras is there, but its backend (TensorFlow, JAX or PyTorch) is not
        print(f"Keras is installed but could not run ({type(error).__name__}: {error}); skipping.")

# %% [markdown]
# ## 3. Choosing an optimizer
#
# No optimizer is best on every problem: in lesson 08 each landscape had a different winner, and on the
# digits network the tuned optimizers tied. What exists are good first choices, and reasons to change.
# The usual advice, with what this course measured about it:
#
# | situation | usual first choice | why | the fine print |
# |---|---|---|---|
# | a new problem, any architecture | **Adam**, or **AdamW** if you want weight decay | works over a wide range of learning rates (lesson 08); steps scale per weight | its default rate was 10 times too small for our digits network (lesson 08): run a range test (lesson 10) |
# | image classifiers (CNNs) with a long training budget | **SGD, momentum 0.9** (often Nesterov), a step or cosine schedule, weight decay | many of the best published image results used it; one slot per weight | needs its rate and schedule tuned; on our small network it only tied (lesson 08) |
# | transformers, language models | **AdamW** with warmup and cosine decay | decoupled decay (lesson 12); warmup calms the first steps (lesson 10) | at very large scale, memory for Adam's two slots per weight matters (Lion, lesson 12, keeps one) |
# | recurrent networks, sequences | **Adam** or **RMSprop**, with gradient clipping | per-weight steps cope with gradients whose size jumps around | clipping against exploding gradients (lesson 09) matters more than the choice between the two |
# | sparse or rare features (embeddings, word counts) | **Adam** or **Adagrad** | a weight that rarely gets a gradient still takes a full-size step when it does | Adagrad's steps shrink for ever (lesson 12) |
# | GANs | **Adam** with `beta_1=0.5` | less momentum follows the other network's moves faster | a convention from practice, not a theorem |
# | memory is tight | **SGD with momentum** or **Lion** | one slot per weight instead of Adam's two | both need their learning rates tuned with care |
#
# The article ends its advice with a common recipe: start with Adam for speed, then switch to SGD for better
# generalisation. It has been studied (Keskar and Socher, 2017, "SWATS") and can help, but it adds choices
# (when to switch, which SGD rate) and throws away Adam's memory at the switch. Today, AdamW with a decaying
# schedule is the more common way to get most of both.
#
# More useful than any table is a procedure:
#
# 1. Start from a standard recipe for your kind of model, if one exists.
# 2. Find the learning rate with a range test (lesson 10). It mattered more than the optimizer in lesson 08.
# 3. Add a schedule, with warmup if the peak rate is high.
# 4. Compare optimizers only fairly: each with its own tuned rate, on validation data, with several seeds.
# 5. Watch the training *and* the validation curves. The next section shows what they tell you.

# %% [markdown]
# ## 4. Five common mistakes, reproduced
#
# Each mistake below is made on purpose, so that you see the curve it produces. Most use the digit classifier
# of lessons 04 and 08: 8x8 images, a network with 64 inputs, 32 hidden ReLU units and 10 outputs, trained on
# mini-batches, with the validation rows held out.

# %%
digits = opt.data.digits(seed=0)

def train(optimizer, seed=0, epochs=15, batch_size=64):
    """Train a fresh 64-32-10 digit classifier with `optimizer`; return (model, History)."""
    model = MLP([64, 32, 10], seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # a run that blows up is reported in History.message
        history = fit(model, optimizer, digits.X_train, digits.y_train, batch_size=batch_size, epochs=epochs,
                      seed=seed, validation_data=(digits.X_val, digits.y_val), progress=False)
    return model, history

# %% [markdown]
# ### Mistakes 1 and 2: a learning rate that is too high, or too low
#
# SGD with momentum 0.9, 15 epochs, and four learning rates a factor of 3 to 100 apart. Besides the loss and
# accuracy we count the hidden units that are still *alive*, that is, that output something other than 0 for
# at least one training image.

# %%
RATES = {"too low": 0.001, "good": 0.1, "too high": 1.0, "far too high": 3.0}
lr_runs = {label: train(opt.SGD(lr, momentum=0.9)) for label, lr in RATES.items()}

def alive_units(model):
    """How many hidden ReLU units output a non-zero value for at least one training image."""
    W1, b1 = model.params[0], model.params[1]
    return int(np.count_nonzero((digits.X_train @ W1 + b1 > 0).any(axis=0)))

# %%
# NBVAL_CHECK_OUTPUT
print(f"{'':13s} {'lr':>5s} {'final train loss':>17s} {'val accuracy':>13s} {'alive units':>12s}")
for label, (model, history) in lr_runs.items():
    print(f"{label:13s} {RATES[label]:5g} {history.epoch_train_loss[-1]:17.2f} "
          f"{history.epoch_val_metric[-1]:13.2f} {alive_units(model):9d}/32")

# %%
fig, ax = plt.subplots(figsize=(9, 3.6))
for colour, (label, (_, history)) in zip(style.SEQUENCE, lr_runs.items()):
    ax.plot(history.loss, color=colour, lw=1.2, label=f"{label} (lr={RATES[label]:g})")
ax.axhline(np.log(10), color=style.GREY, ls=":", lw=1.2, label="ln 10: no better than guessing")
ax.set(yscale="log", xlabel="update (17 per epoch)", ylabel="mini-batch loss (log scale)",
       title="SGD with momentum on the digits: the same network, four learning rates")
ax.legend(fontsize=8, loc="lower left")
plt.show()

# %% [markdown]
# What each curve says:
#
# - **Too low** (0.001): the loss creeps down from its starting value, about $\ln 10 \approx 2.3$, to 1.8 in
#   15 epochs (54 % validation accuracy), and it is still falling at the same slow, steady pace at the end.
#   Nothing is broken; the run just needs many times more updates. *Cue:* a curve still going down at the same
#   slope when the run ends. Raise the rate 3 to 10 times, or find it with a range test.
# - **Good** (0.1): a fast fall, then a slower tail that flattens out.
# - **Too high** (1.0): the loss first falls, then spikes upward again and again, and ends almost where it
#   started. 31 of the 32 hidden units are dead.
# - **Far too high** (3.0): within a few updates the loss jumps to about 10, then settles on a flat line near
#   $\ln 10$, the loss of a network that gives every image the same answer. Every hidden unit is dead.
#
# The last two deserve a word. A ReLU unit outputs $\max(0, z)$. A few oversized steps can push its weights so
# far that $z < 0$ for *every* input. Then its output is always 0, its gradient is always 0, and no later update
# can revive it. With every unit dead, the network's output no longer depends on the image, and the best it can
# do is predict the class frequencies: a loss of about $\ln 10$ and an accuracy of 10 %. A flat loss at
# the "know-nothing" level, $\ln(\text{number of classes})$ for a classifier, looks like a run that never
# started; after an early spike, it is a dead network. *Cue:* spikes, or a jump up early on. Lower the rate 3
# to 10 times; warmup (lesson 10) and gradient clipping (lesson 09) also protect the first updates.
#
# In a model without such a floor, a too-large step makes the loss grow by the same factor at every update
# until the numbers overflow. A linear regression on a line, gradient descent with learning rate 3:

# %%
# NBVAL_CHECK_OUTPUT
X_line, y_line = opt.data.regression_line(n=100, seed=0)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", RuntimeWarning)   # we read the report from the History instead
    exploding = fit(LinearRegression(1), opt.SGD(3.0), X_line, y_line, epochs=1000, progress=False)
growth = exploding.loss[20:100] / exploding.loss[19:99]
print(exploding.message)
print(f"the loss grew by a factor of {np.median(growth):.2f} per update on the way")

# %% [markdown]
# The loss grows geometrically, by the factor $|1 - \eta\lambda|^2$ where $\lambda$ is the curvature of the
# steepest direction (lesson 03), until it no longer fits in a float64 number. The training loop
# notices, stops, and names the update and the learning rate. On a log plot, such a curve is a straight line
# going *up*.
#
# **Try it: the same four curves on a landscape.** The widget runs gradient descent on Himmelblau's function
# with the learning rate of the slider, next to four reference rates. The right panel shows the loss per step:
# compare its four reference curves (too small, good, too large, divergent) with the ones on the digits above.
# Then slide slowly from the "good" rate towards the "too large" one and watch where the oscillation starts.

# %%
# NBVAL_IGNORE_OUTPUT
from optimizers import widgets

pitfalls = widgets.lr_pitfalls("himmelblau")
pitfalls

# %% [markdown]
# For readers without a running kernel, the verdict the app gives at a few rates:

# %%
for lr in (0.0003, 0.015, 0.03, 0.05):
    pitfalls.controls["learning_rate"].value = lr
    print(f"lr = {lr:<6g} {pitfalls.ax_path.get_title():35s} {pitfalls.message.value[3:-4]}")

# %% [markdown]
# ### Mistake 3: plain SGD, without momentum
#
# "Plain SGD converges slowly" is easy to show unfairly, by giving both optimizers the same learning rate.
# Here each one gets its best rate. The problem is a linear regression whose four features have very
# different scales (1, 0.3, 0.1 and 0.03), the kind of badly scaled problem of lesson 06: its loss is a bowl
# about a thousand times steeper in one direction than in another. We use full-batch gradients, so no noise
# hides the effect, and try 21 learning rates from 0.1 to 10 at once: the learning rate can be an array, one
# rate per row of the weight matrix `W`, so one `apply` advances all 21 runs.

# %%
rng = np.random.default_rng(0)
X_scaled = rng.standard_normal((200, 4)) * np.array([1.0, 0.3, 0.1, 0.03])
y_scaled = X_scaled @ np.array([1.0, -2.0, 3.0, 0.5]) + 0.1 * rng.standard_normal(200)

def least_squares_path(optimizer, X, y, steps, runs=1):
    """Full-batch steps on L(w) = mean((X w - y)^2) / 2 for `runs` weight vectors at once, all from 0.

    Returns the weights after every step, shape (steps + 1, runs, n_features)."""
    W, path = np.zeros((runs, X.shape[1])), []
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)    # some runs blow up on purpose
        for _ in range(steps):
            path.append(W.copy())
            optimizer.apply((W @ X.T - y) @ X / len(y), W)  # the gradient of L, for every run
    return np.array(path + [W])

# %%
sweep_rates = np.geomspace(0.1, 10, 21)
L_best = 0.5 * np.mean((X_scaled @ np.linalg.lstsq(X_scaled, y_scaled, rcond=None)[0] - y_scaled) ** 2)
gap = {}   # loss above the best possible, after each step, for every rate
for name, sgd in {"SGD": opt.SGD(sweep_rates[:, None]),
                  "SGD + momentum 0.9": opt.SGD(sweep_rates[:, None], momentum=0.9)}.items():
    path = least_squares_path(sgd, X_scaled, y_scaled, steps=500, runs=len(sweep_rates))
    with np.errstate(all="ignore"):
        gap[name] = 0.5 * np.mean((path @ X_scaled.T - y_scaled) ** 2, axis=-1) - L_best

# %%
def best_rate(g, target=1e-10):
    """Index of the rate that first gets L - L* below `target` (if none does: the lowest final L - L*)."""
    below = g < target                                    # NaN (a run that blew up) counts as not below
    if below.any():
        return int(np.argmin(np.where(below.any(axis=0), below.argmax(axis=0), len(g))))
    return int(np.nanargmin(np.where(np.isfinite(g[-1]), g[-1], np.nan)))

best = {name: best_rate(g) for name, g in gap.items()}

# %%
# NBVAL_CHECK_OUTPUT
for name, g in gap.items():
    works = sweep_rates[np.isfinite(g[-1]) & (g[-1] < 1e-3)]
    reached = np.flatnonzero(g[:, best[name]] < 1e-10)
    when = f"after {reached[0]} steps" if reached.size else "never"
    final = g[-1, best[name]]
    final = f"{final:.1e}" if final > 1e-12 else "below 1e-12"               # smaller is round-off
    print(f"{name:19s} best lr {sweep_rates[best[name]]:.2f}: L - L* after 500 steps {final}, below 1e-10 {when};"
          f" rates that work: {works.min():.2f} to {works.max():.2f}")

# %%
fig, ax = plt.subplots(figsize=(9, 3.6))
i_sgd, i_mom = best["SGD"], best["SGD + momentum 0.9"]
ax.plot(gap["SGD"][:, i_sgd], color=style.color_of("SGD"), label=f"SGD, its best lr {sweep_rates[i_sgd]:.2f}")
ax.plot(gap["SGD"][:, i_sgd + 1], color=style.VERMILLION, ls="--",
        label=f"SGD, next rate up ({sweep_rates[i_sgd + 1]:.2f}): blows up")
ax.plot(gap["SGD + momentum 0.9"][:, i_mom], color=style.color_of("Momentum"),
        label=f"SGD + momentum 0.9, its best lr {sweep_rates[i_mom]:.2f}")
ax.set(yscale="log", ylim=(1e-16, 1e3), xlabel="step (full batch)", ylabel="$L(w) - L^*$ (log scale)",
       title="Badly scaled linear regression: each optimizer at its best learning rate")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# The symptom of missing momentum: **a fast drop, then a long straight slope on the log plot.** The drop is
# the steep direction, solved in a few steps. The slope is the flat directions, which plain SGD shrinks by only
# a small fixed fraction per step, and the learning rate cannot be raised to hurry them: the steep direction
# sets the limit $\eta < 2/\lambda_{\max}$ (lesson 05), and the next rate up blows up. Momentum keeps about
# the same limit but builds up speed along the flat directions: at its best rate it gets within $10^{-10}$ of
# the best possible loss in 200 steps, and to round-off soon after, while plain SGD at its best rate is still
# $10^{-5}$ above it after 500. Momentum also works over a band of rates 40 times wide, against 5 times for
# plain SGD. *Cue:* a straight, slow slope that gets steeper only by
# blowing up. Add momentum 0.9, or use an adaptive optimizer.
#
# How much momentum helps depends on the problem. On noisy mini-batches of a well-scaled problem it acts
# mostly like a learning rate about $1/(1-\mu) = 10$ times larger (lesson 10), and plain SGD with a tenfold
# rate gets close, if that rate is still stable. Try it on the digits: `train(opt.SGD(1.0))` against
# `train(opt.SGD(0.1, momentum=0.9))`.

# %% [markdown]
# ### Mistake 4: no learning-rate schedule
#
# With a constant learning rate and noisy mini-batch gradients, the weights never settle: they keep jumping
# around the minimum, further for a larger rate (lessons 04 and 10). So a constant rate forces a choice between
# a large rate (fast at first, then stuck bouncing) and a small one (calm, but slow). A schedule takes the
# large rate early and a small one late. We train with Adam, mini-batches of 32 rows for 10 epochs (340
# updates), from three seeds, with: a constant aggressive rate 0.05, a constant safe rate 0.01, and cosine decay
# from 0.05 down to 0 over the run.

# %%
UPDATES = 10 * 34   # 10 epochs of ceil(1079 / 32) = 34 mini-batches
SCHEDULES = {"constant 0.05": lambda: 0.05, "constant 0.01": lambda: 0.01,
             "cosine from 0.05": lambda: opt.CosineDecay(0.05, decay_steps=UPDATES)}
schedule_runs = {name: [train(opt.Adam(make()), seed=seed, epochs=10, batch_size=32)[1] for seed in (0, 1, 2)]
                 for name, make in SCHEDULES.items()}

# %%
# NBVAL_CHECK_OUTPUT
print(f"{'':17s} {'final train loss, seeds 0, 1, 2':>33s} {'val accuracy, seeds 0, 1, 2':>30s}")
for name, runs in schedule_runs.items():
    print(f"{name:17s} {', '.join(f'{h.epoch_train_loss[-1]:.3f}' for h in runs):>33s} "
          f"{', '.join(f'{h.epoch_val_metric[-1]:.3f}' for h in runs):>30s}")

# %%
fig, ax = plt.subplots(figsize=(9, 3.6))
for colour, (name, runs) in zip((style.VERMILLION, style.BLUE, style.GREEN), schedule_runs.items()):
    smooth = np.convolve(runs[0].loss, np.ones(17) / 17, mode="valid")   # mean of 17 mini-batches (half an epoch)
    ax.plot(np.arange(17, UPDATES + 1), smooth, color=colour, label=name)
ax.set(yscale="log", xlabel="update", ylabel="mini-batch loss, running mean (log)",
       title="Adam on the digits, seed 0: constant rates against a cosine decay")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# With the constant rate 0.05 the loss falls fast at first and then stops improving: it keeps bouncing in a
# band, and where a run ends depends on the last few batches, so the three seeds end far apart. The safe
# constant rate 0.01 is steadier and ends with better validation accuracy, but its training loss is still
# more than twice the cosine's. The cosine schedule starts as fast as the aggressive rate and then settles
# lowest of the three, with all three seeds agreeing. *Cue:* a loss that stops improving while the mini-batch
# losses stay noisy, and results that vary a lot between seeds. Decay the rate (cosine, or step decay).
#
# A schedule is not free, though. If a run is too short for the rate to have done its work, decaying it early
# can make things worse: schedules pay off when the peak rate is high enough to stall at the end, which is how
# long training runs are usually set up.

# %% [markdown]
# ### Mistake 5: assuming Adam always works best
#
# Lesson 08 already found two dents in Adam's reputation on the digits: at its default learning rate it fell
# far behind, and once every optimizer was tuned the three tied. The article's warning is about
# *generalisation*: sometimes SGD reaches better accuracy on new data. On real tasks that takes large models
# and long runs to show, but its mechanism fits in a small constructed problem, adapted from Wilson et al.
# (2017, "The marginal value of adaptive gradient methods in machine learning").
#
# Each row has a label $y = \pm 1$ (60 % of them $+1$) and these features:
#
# - feature 0 equals the label: a perfect predictor;
# - features 1 and 2 are always 1;
# - then a few "ID" features that belong to that row alone: one for a $+1$ row, five for a $-1$ row.
#
# A linear model can fit the 60 training rows in two ways: by reading feature 0, which works on new rows too,
# or by memorising each row through its ID features, which says nothing about a new row (its own ID features
# were never seen in training, so their weights are still 0). We fit the labels by least squares, from zero
# weights, with SGD with momentum and with Adam, for 400 full-batch steps, and check the predictions
# $\operatorname{sign}(x \cdot w)$ on 1,000 new rows.

# %%
def id_feature_rows(n, seed):
    """n rows of the constructed problem: label, two constant features, then per-row ID features."""
    y = np.where(np.random.default_rng(seed).random(n) < 0.6, 1.0, -1.0)
    X = np.zeros((n, 3 + 5 * n))
    X[:, 0], X[:, 1:3] = y, 1.0
    for i in range(n):
        X[i, 3 + 5 * i: 3 + 5 * i + (1 if y[i] > 0 else 5)] = 1.0   # this row's own features
    return X, y

X_id, y_id = id_feature_rows(60, seed=0)
X_new, y_new = id_feature_rows(1000, seed=1)
X_new = X_new[:, :3]   # a new row's ID features are unseen: their weights are 0, so only features 0-2 count

# %%
CONTENDERS = {"SGD + momentum": opt.SGD(0.01, momentum=0.9), "Adam": opt.Adam(0.01)}
id_paths = {name: least_squares_path(o, X_id, y_id, steps=400)[:, 0] for name, o in CONTENDERS.items()}

# %%
# NBVAL_CHECK_OUTPUT
for name, path in id_paths.items():
    w = path[-1]
    train_loss = 0.5 * np.mean((X_id @ w - y_id) ** 2)
    train_acc, new_acc = np.mean(np.sign(X_id @ w) == y_id), np.mean(np.sign(X_new @ w[:3]) == y_new)
    print(f"{name:15s} train loss < 1e-12: {train_loss < 1e-12}, train accuracy {train_acc:.3f}, "
          f"accuracy on new rows {new_acc:.3f}; weights of features 0, 1, 2: {np.round(w[:3], 3)}")
print(f"share of +1 labels among the new rows: {np.mean(y_new > 0):.3f}")

# %%
fig, (ax_train, ax_w) = plt.subplots(1, 2, figsize=(10, 3.6))
for name, path in id_paths.items():
    colour = style.color_of("Adam" if name == "Adam" else "Momentum")
    ax_train.plot(0.5 * np.mean((path @ X_id.T - y_id) ** 2, axis=1), color=colour, label=name)
    ax_w.plot(path[:, 0], color=colour, label=f"{name}: feature 0 (the label)")
    same = " (same as its feature 0)" if name == "Adam" else ""
    ax_w.plot(path[:, 1], color=colour, ls="--", lw=2.5, label=f"{name}: feature 1 (always 1){same}")
ax_train.set(yscale="log", ylim=(1e-16, 1), xlabel="step", ylabel="training loss (log scale)",
             title="Training rows: both fit them perfectly")
ax_w.set(xlabel="step", ylabel="weight", title="What they learned: two of the weights")
for ax in (ax_train, ax_w):
    ax.legend(fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown]
# Both optimizers drive the training loss to zero and classify every training row correctly; judged by the
# training curve alone, they did equally well. On new rows, SGD with momentum is always right, and Adam is right
# only for the $+1$ rows: it answers $+1$ for everything, no better than a model that ignores its input.
#
# The reason is in the weights (right). Adam moves every weight by about the same amount per step, whatever the
# size of its gradient (lesson 07), so the label feature and the two constant features grow at the same speed and
# end equal, at $0.25$ each; the ID features make up the rest of each training row's answer. For a new $-1$ row
# that gives $-0.25 + 0.25 + 0.25 > 0$: the wrong sign. SGD moves each weight in proportion to its gradient, and
# at the start the label feature's gradient is ten times the constant features' (the mean of $y^2$, which is 1,
# against the mean of $y$, which is 0.1 for these rows). More precisely: every gradient of this loss is a
# combination of training rows, so SGD from zero, with or without momentum, only ever adds multiples of training
# rows to $w$, and among all the weight vectors that fit the training set it ends at the shortest one. Here the
# shortest one generalises. Each optimizer has such an *implicit bias*, a preference among equally good fits, and
# it shows only on data the optimizer never saw. (Other learning rates, from 0.001 to 0.1, give the same
# picture.)
#
# A constructed example does not mean Adam generalises badly in general: on the digits it did not. It means
# that "best" depends on the problem and on what you measure. *Cue:* a training curve that looks perfect next
# to a validation curve that does not. Always hold out validation data, and when generalisation matters,
# compare with a tuned SGD with momentum (and weight decay, lesson 12).

# %% [markdown]
# ## 5. Reading a training curve: a checklist
#
# | what you see | likely cause | try first |
# |---|---|---|
# | loss jumps up or spikes early, or becomes `nan`/`inf` | learning rate too high | divide it by 3 to 10; add warmup or clipping |
# | loss flat at $\ln(\text{classes})$, accuracy at chance | dead network after too-large steps, or a rate so small nothing moved | look at the first updates to tell which; change the rate |
# | slow, steady decline, still falling at the end | learning rate too low, or too few updates | multiply it by 3 to 10; run a range test |
# | a quick drop, then a long straight slope on a log scale | badly scaled problem, plain SGD | momentum 0.9, or an adaptive optimizer |
# | loss stops improving but mini-batch losses stay noisy; seeds disagree | constant rate, too high for the end of training | a decaying schedule |
# | training loss excellent, validation poor | overfitting, or an unlucky implicit bias | weight decay, early stopping on validation data, compare a tuned SGD |
#
# ## Recap
#
# - Keras runs every optimizer the same way: clip, read the (scheduled) learning rate, decay the weights,
#   apply the rule. This course's classes share its names, arguments and defaults, and reproduce Keras's
#   stored numbers to float64 round-off.
# - Libraries differ in details hidden behind the same names (epsilon placement, momentum form, what
#   `weight_decay` means, defaults): check them when you port a recipe.
# - Good first choices: Adam or AdamW for most problems, SGD with momentum and a schedule for long image
#   classification runs; then tune the learning rate, which matters more than the choice.
# - The symptoms: spikes or a flat line at the know-nothing level (rate too high), a slow steady slope
#   (too low), a straight slow tail (missing momentum), a noisy stall (missing schedule), and a perfect training
#   curve next to a poor validation curve (an implicit bias that does not suit the data).
#
# ## Your turn
#
# Open the exercise [`../exercises/08_diagnosing_training.ipynb`](../exercises/08_diagnosing_training.ipynb):
# you will write `diagnose`, which reads a training curve and says whether its learning rate was too high, too
# low or good, and `pick_learning_rate`, which chooses a rate from a range test. The checks use curves from real
# training runs, so a rule based on the cues above passes.
#
# **Next:** [Lesson 12: Beyond Adam](12_beyond_adam.ipynb): Adagrad, Adadelta, Nadam, AdamW, AdaBelief, RAdam,
# Lookahead and Lion.
