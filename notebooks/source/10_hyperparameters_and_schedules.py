# %% [markdown]
# # Lesson 10: Hyperparameters and schedules
#
# The settings you choose before training (learning rate, momentum, schedule, Adam's betas and
# epsilon) often matter more than the choice of optimizer. This lesson picks them by measurement.
#
# **You will be able to:**
#
# - find a good learning rate for a model with a learning-rate range test, and confirm it with a
#   few short runs;
# - explain how momentum and the learning rate interact, and why they are tuned together;
# - build a step-decay and a cosine-with-warmup schedule, and explain why decaying the rate gives a
#   lower final loss;
# - avoid three schedule pitfalls: the 0-based step count, the value *at* a boundary, and epochs
#   versus updates;
# - say what Adam's $\beta_1$, $\beta_2$ and $\epsilon$ change, with numbers.
#
# **Article sections:** 11 · **Study time:** about 30 minutes

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np

import optimizers as opt
from optimizers.landscapes import ravine
from optimizers.models import MLP, LinearRegression
from optimizers.training import fit
from optimizers.widgets import style
from optimizers.widgets.style import color_of

digits = opt.data.digits(seed=0)
X_train, y_train = digits.X_train, digits.y_train

# %% [markdown]
# ## 1. The learning rate, found by a range test
#
# The learning rate is the most important setting: too high and training diverges or thrashes, too
# low and it crawls (lessons 01 and 03). Its good range depends on the model, the data, the batch
# size and the optimizer, so it has to be *found*, not remembered.
#
# A **learning-rate range test** finds it in one short run. Start with a tiny rate and multiply it by
# a constant factor after every update, so that it sweeps many orders of magnitude, and record the
# loss at each update. That is exactly an exponential schedule with a decay rate above 1:
#
# $$\eta_t = \eta_0\, r^{\,t/T}, \qquad r > 1 .$$
#
# Below, $\eta$ grows from $10^{-4}$ to about 10 (a factor of 10 every $T$ updates) over 8 epochs
# of mini-batches of 32 digits, for SGD with momentum 0.9 on an MLP with one hidden layer of 32
# units. `History.learning_rate` records the rate each update used.

# %%
UPDATES = 8 * 34  # 8 epochs of ceil(1079 / 32) = 34 updates
growing = opt.ExponentialDecay(1e-4, decay_steps=UPDATES / 5, decay_rate=10.0)  # x 1e5 in all
with warnings.catch_warnings():  # if the largest rates blow the run up, History says so
    warnings.simplefilter("ignore", RuntimeWarning)
    probe = fit(MLP([64, 32, 10], seed=0), opt.SGD(learning_rate=growing, momentum=0.9),
                X_train, y_train, batch_size=32, epochs=8, seed=0, progress=False)


def smooth(values, beta=0.9):
    """Exponential moving average with bias correction (the same trick as Adam's m)."""
    average, out = 0.0, np.empty(len(values))
    for t, v in enumerate(values):
        average = beta * average + (1 - beta) * v
        out[t] = average / (1 - beta ** (t + 1))
    return out

# %% [markdown]
# The mini-batch losses are noisy, so we read a smoothed curve. The loss falls slowly while the rate
# is too small, falls fastest in the good range, reaches a minimum and then shoots up when the rate
# becomes too large. The usual rule: take a rate **3 to 10 times below** the one at the minimum.
# At the minimum itself the run is already on the edge of instability.

# %%
# NBVAL_CHECK_OUTPUT
smoothed = smooth(probe.loss)
k_best = int(np.argmin(smoothed))
lr_at_min = probe.learning_rate[k_best]
suggested = (lr_at_min / 10, lr_at_min / 3)
print(f"rates swept: {probe.learning_rate[0]:.0e} to {probe.learning_rate[-1]:.1f} in {probe.n_updates} updates")
print(f"smoothed loss is lowest ({smoothed[k_best]:.3f}) at lr = {lr_at_min:.3f}")
print(f"suggested learning rate: {suggested[0]:.3f} to {suggested[1]:.3f}")

# %% [markdown]
# Is the suggestion any good? We check it the slow way: ten separate short runs (3 epochs each) at
# fixed rates spread over the same range, from the same starting weights.

# %%
sweep_rates = np.geomspace(1e-3, 3.0, 10)
sweep_loss = []
for lr in sweep_rates:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        h = fit(MLP([64, 32, 10], seed=0), opt.SGD(learning_rate=lr, momentum=0.9),
                X_train, y_train, batch_size=32, epochs=3, seed=0, progress=False)
    sweep_loss.append(np.nan if h.diverged else h.epoch_train_loss[-1])
sweep_loss = np.array(sweep_loss)

# %%
for lr, loss in zip(sweep_rates, sweep_loss):
    mark = "  <- inside the suggested range" if suggested[0] <= lr <= suggested[1] else ""
    print(f"lr = {lr:7.4f}: training loss after 3 epochs {loss:.3f}{mark}")
print(f"best of the sweep: lr = {sweep_rates[np.nanargmin(sweep_loss)]:.4f}")

# %%
fig, (ax_test, ax_sweep) = plt.subplots(1, 2, figsize=(10, 3.6), sharex=True, layout="constrained")
ax_test.semilogx(probe.learning_rate, probe.loss, color=style.GREY, lw=0.6, label="mini-batch loss")
ax_test.semilogx(probe.learning_rate, smoothed, color=color_of("Momentum"), lw=2, label="smoothed")
ax_test.plot(lr_at_min, smoothed[k_best], "v", color=style.VERMILLION, ms=8, label="lowest smoothed loss")
ax_test.set(title="Range test: one run, growing learning rate", xlabel="learning rate of the update",
            ylabel="loss", ylim=(0, 4))
ax_sweep.semilogx(sweep_rates, sweep_loss, "o-", color=color_of("Momentum"), label="after 3 epochs")
ax_sweep.set(title="Check: ten runs at fixed rates", xlabel="learning rate", ylabel="training loss")
for ax in (ax_test, ax_sweep):
    ax.axvspan(*suggested, color=style.GREEN, alpha=0.2, label="suggested range")
    ax.legend(fontsize=8, loc="upper left")
plt.show()

# %% [markdown]
# The range test cost 272 updates; the sweep cost 1,020 and agrees with it: the best fixed rates
# lie in (or right next to) the suggested band, smaller rates learn slowly, and rates above 1 leave
# the network stuck near the loss of random guessing ($\ln 10 \approx 2.3$). The test is a
# heuristic: it measures which rates make progress *early* in training, and rerunning it after
# changing the batch size, the model or the optimizer is part of the job.
#
# ## 2. Momentum and the learning rate work together
#
# Momentum (lesson 05) keeps a running sum of past gradients. On a steady slope its step grows to
# $\eta/(1-\mu)$ times the gradient, so **the learning rate and the momentum are not independent
# knobs**: raising $\mu$ from 0.9 to 0.99 multiplies this effective step tenfold. On a quadratic,
# momentum also stays stable up to larger rates, $\eta < 2(1+\mu)/\lambda_{\max}$ instead of
# $2/\lambda_{\max}$, where $\lambda_{\max}$ is the steepest curvature (16 on our ravine).
#
# We measure how many steps each (learning rate, momentum) pair needs on the ravine until the loss
# drops below $10^{-3}$ *and stays there* (a run that swings through the minimum and out again has
# not converged). Each momentum value is one vectorised sweep of 37 rates.

# %%
def steps_to_settle(trajectory, threshold=1e-3):
    """Per run: the step after which the loss stays below `threshold` (-1 if it never settles)."""
    above = trajectory.losses > threshold  # (steps + 1, runs)
    last_above = np.where(above.any(axis=0), len(above) - 1 - np.argmax(above[::-1], axis=0), -1)
    settled = last_above + 1
    return np.where((settled > trajectory.steps) | trajectory.diverged, -1, settled)


MOMENTA = (0.0, 0.5, 0.9, 0.95)
ravine_rates = np.geomspace(1e-3, 0.3, 37)
settle = {mu: steps_to_settle(opt.sweep(opt.SGD(momentum=mu), ravine_rates, ravine, steps=800))
          for mu in MOMENTA}

# %%
# NBVAL_CHECK_OUTPUT
for mu, steps in settle.items():
    best = int(np.argmin(np.where(steps >= 0, steps, 10**9)))
    stable = ravine_rates[steps >= 0]
    print(f"momentum {mu:4}: fastest {steps[best]:3d} steps at lr = {ravine_rates[best]:.4f} "
          f"(lr/(1-mu) = {ravine_rates[best] / (1 - mu):.3f}); settles for lr up to {stable.max():.3f}, "
          f"theory < {2 * (1 + mu) / 16:.3f}")

# %%
fig, (ax_lr, ax_eff) = plt.subplots(1, 2, figsize=(10, 3.6), sharey=True, layout="constrained")
for colour, (mu, steps) in zip(style.SEQUENCE, settle.items()):
    shown = np.where(steps >= 0, steps, np.nan)
    ax_lr.loglog(ravine_rates, shown, "o-", ms=3, color=colour, label=f"momentum {mu}")
    ax_eff.loglog(ravine_rates / (1 - mu), shown, "o-", ms=3, color=colour, label=f"momentum {mu}")
ax_lr.set(title="Steps to settle on the ravine", xlabel="learning rate $\\eta$",
          ylabel="steps until loss stays < 1e-3", yticks=[50, 100, 200, 400, 800], yticklabels=[50, 100, 200, 400, 800])
ax_eff.set(title="Same runs against the effective rate", xlabel="$\\eta / (1 - \\mu)$")
ax_lr.legend(fontsize=8)
plt.show()

# %% [markdown]
# - Moderate momentum (0.5) is three times faster than none at its best rate, and tolerates larger
#   rates, close to the theoretical limit $2(1+\mu)/16$ (the grid is coarse).
# - More momentum is *not* always better here: at 0.9 and 0.95 the velocity overshoots the valley
#   floor and swings for a long time. Those swings shrink by a factor $\sqrt{\mu}$ per step whatever the
#   learning rate, hence the flat floors: bringing the distance to the minimum down about 140-fold (the
#   loss from 20 to $10^{-3}$) takes $\ln 140 / \ln(1/\sqrt{0.9}) \approx 94$ steps at $\mu = 0.9$ and about
#   190 at 0.95, as measured. Each curve's best rate moves left as $\mu$ grows.
# - On the right, against the effective rate $\eta/(1-\mu)$, the left parts of the curves line up:
#   where steps are small, momentum behaves like plain gradient descent with a rate $1/(1-\mu)$
#   times larger. So when you change the momentum, change the learning rate with it. The usual
#   default, $\mu = 0.9$, works well on real networks, whose gradients are noisy and whose valleys
#   are not exact quadratics: averaging over about 10 gradients also smooths the noise.
#
# ## 3. Schedules: change the learning rate over time
#
# Lessons 04 and 09 showed that with noisy gradients and a constant rate, the loss stops at a
# floor that grows with $\eta$. A large rate makes fast early progress; a small rate reaches a
# low floor. A **schedule** gets both by making $\eta$ a function of the update count $t$. Two
# popular ones:
#
# - **step decay** (Keras: `PiecewiseConstantDecay(boundaries, values)`): hold a value, then drop
#   (often by 10x) at chosen steps: $\eta_t = v_i$ for $b_{i-1} < t \le b_i$.
# - **cosine decay with warmup** (Keras: `CosineDecay(..., warmup_target, warmup_steps)`): climb
#   linearly from $\eta_0$ to the peak $\eta^*$ in $W$ steps, then follow half a cosine down to
#   $\alpha\eta^*$ over $T$ steps:
#   $\eta_t = \eta^*\big[(1-\alpha)\tfrac12\big(1 + \cos\tfrac{\pi (t - W)}{T}\big) + \alpha\big]$.
#
# (Lesson 05 showed that Keras's and PyTorch's momentum formulas, identical at a constant rate, react
# differently when a schedule changes the rate.) Both schedules are a few lines of code. Here is cosine
# decay with warmup, checked against the library's class:

# %%
def cosine_with_warmup(t, start, peak, warmup, decay, alpha=0.0):
    """Linear warmup from `start` to `peak` over `warmup` steps, then a half cosine to alpha * peak."""
    t = np.minimum(t, warmup + decay)  # after the decay the rate stays at the floor
    cosine = 0.5 * (1 + np.cos(np.pi * (t - warmup) / decay))
    return np.where(t < warmup, start + (peak - start) * t / warmup, peak * ((1 - alpha) * cosine + alpha))


t = np.arange(1200)
library = opt.CosineDecay(0.0, decay_steps=1000, warmup_target=0.1, warmup_steps=200)(t)
print("same as opt.CosineDecay:", np.allclose(cosine_with_warmup(t, 0.0, 0.1, 200, 1000), library))

# %% [markdown]
# The schedule explorer draws any of the six Keras schedules. The title is the Keras call that
# gives the same curve. Pick `PiecewiseConstantDecay`, then `CosineDecay` with and without a
# `warmup_target`, and find the setting of `CosineDecayRestarts` that makes each restart peak lower.

# %%
# NBVAL_IGNORE_OUTPUT
from optimizers import widgets

explorer = widgets.schedule_explorer()
explorer

# %% [markdown]
# The call for each schedule at the explorer's starting values:

# %%
calls = []
for name in ("PiecewiseConstantDecay", "CosineDecay", "ExponentialDecay"):
    explorer.controls["schedule"].value = name
    calls.append(explorer.call_text.get_text())
explorer.controls["schedule"].value = "CosineDecay"  # back to the first view
print("\n".join(calls))

# %% [markdown]
# ### A schedule lowers the floor
#
# Back to lesson 04's experiment: a line fitted by SGD on single rows (batch size 1), where the noise
# floor is easy to see because the lowest possible loss $L^*$ is known exactly. We compare two
# constant rates with a step decay and a cosine decay that start at the larger rate. Each run makes
# 1,200 updates; after each we record how far the loss is above $L^*$.

# %%
X_line, y_line = opt.data.regression_line(n=200, noise=0.5, seed=0)
design = np.column_stack([X_line, np.ones(len(y_line))])
L_star = 0.5 * np.mean((design @ np.linalg.lstsq(design, y_line, rcond=None)[0] - y_line) ** 2)


def excess_loss(learning_rate, updates=1200, seed=0):
    """L(w_t) - L* after each single-row SGD update with the given rate or schedule."""
    model, sgd = LinearRegression(1, seed=0), opt.SGD(learning_rate=learning_rate)
    rows = np.random.default_rng(seed).integers(len(y_line), size=updates)
    curve = np.empty(updates)
    for t, i in enumerate(rows):
        sgd.apply(model.loss_and_grads(X_line[i:i + 1], y_line[i:i + 1])[1], model.params)
        curve[t] = model.loss(X_line, y_line) - L_star
    return curve

# %%
RATES = {"constant 0.1": 0.1, "constant 0.01": 0.01,
         "step decay 0.1 > 0.01 > 0.001": opt.PiecewiseConstantDecay([400, 800], [0.1, 0.01, 0.001]),
         "cosine decay from 0.1": opt.CosineDecay(0.1, decay_steps=1200)}
excess = {name: excess_loss(rate) for name, rate in RATES.items()}

# %%
# NBVAL_CHECK_OUTPUT
for name, curve in excess.items():
    print(f"{name:30s} excess loss: after 100 updates {curve[99]:.1e}, mean of the last 100 {curve[-100:].mean():.1e}")

# %%
fig, (ax_loss, ax_rate) = plt.subplots(2, 1, figsize=(8, 5), sharex=True, height_ratios=[2, 1],
                                       layout="constrained")
steps = np.arange(1, 1201)
for colour, (name, rate) in zip(style.SEQUENCE, RATES.items()):
    running = np.convolve(excess[name], np.ones(25) / 25, mode="valid")  # mean of 25 updates
    ax_loss.semilogy(steps[24:], running, color=colour, label=name)
    ax_rate.semilogy(steps, rate(steps - 1) if callable(rate) else np.full(1200, rate), color=colour)
ax_loss.set(title="Single-row SGD on a line: a decaying rate gets closer to the best fit",
            ylabel="$L(w_t) - L^*$ (running mean)")
ax_rate.set(xlabel="update", ylabel="learning rate", ylim=(1e-4, 0.3))
ax_loss.legend(fontsize=8)
plt.show()

# %% [markdown]
# The large constant rate is fast at first and then stuck at its floor; the small constant rate has a
# lower floor but needs hundreds of updates to get there. Both schedules are as fast as the large
# rate at the start and end **orders of magnitude lower** than it, below the small rate's floor too.
# Step decay ends lowest here because it spends its last 400 updates at 0.001, while the cosine is
# below 0.01 only for its last 250 or so; with other budgets the order can flip. Both are common in
# practice; the cosine has fewer settings to choose (no boundaries, no values).
#
# ### Why warm up?
#
# Warmup starts with a *small* rate and raises it. At the start of training the weights are random
# and the gradients can be large and point in poor directions. Adam adds a twist: its first steps
# move *every* weight by about the full learning rate, whatever the size of its gradient (lesson 07),
# so at a high rate all weights jump at once. That can throw the network into a bad region that it
# needs many updates to leave. We train a 3-layer MLP with Adam at a high peak rate of 0.1 with a
# cosine decay over 4 epochs, with and without 50 updates of warmup, from three seeds.

# %%
def train_adam(schedule, seed):
    """A 3-layer MLP on the digits, Adam with the given schedule, 4 epochs of mini-batches of 32."""
    return fit(MLP([64, 48, 48, 10], seed=seed), opt.Adam(learning_rate=schedule), X_train, y_train,
               batch_size=32, epochs=4, seed=seed, progress=False, validation_data=(digits.X_val, digits.y_val))


TOTAL = 4 * 34
warm = {"no warmup": lambda: opt.CosineDecay(0.1, decay_steps=TOTAL),
        "50 steps of warmup": lambda: opt.CosineDecay(0.0, decay_steps=TOTAL - 50, warmup_target=0.1, warmup_steps=50)}
warm_runs = {name: [train_adam(make(), seed) for seed in range(3)] for name, make in warm.items()}

# %%
for name, runs in warm_runs.items():
    print(f"{name:18s} highest loss in the first 30 updates: {', '.join(f'{h.loss[:30].max():.2f}' for h in runs)};"
          f" final train loss {', '.join(f'{h.epoch_train_loss[-1]:.3f}' for h in runs)};"
          f" val accuracy {', '.join(f'{h.epoch_val_metric[-1]:.3f}' for h in runs)}")

# %%
fig, ax = plt.subplots(figsize=(8, 3.5))
for colour, (name, runs) in zip((style.VERMILLION, style.BLUE), warm_runs.items()):
    ax.plot(smooth(runs[0].loss, beta=0.8), color=colour, label=f"{name} (seed 0, smoothed)")
ax.axvline(50, color=style.GREY, ls=":", lw=1, label="end of warmup")
ax.set(title="Adam at peak rate 0.1: warmup avoids the early blow-up", xlabel="update",
       ylabel="mini-batch loss", ylim=(0, 4))
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# Without warmup the first updates at the full rate push the loss far above its starting value
# ($\ln 10 \approx 2.3$), and the runs end worse. With warmup the early loss stays near the start
# and every seed ends better. At a modest peak rate (try 0.01) the difference mostly disappears:
# warmup matters when the peak rate is aggressive, which is where it is used (large models, large
# batches).
#
# ## 4. Three schedule pitfalls
#
# Schedules are where many silent bugs live, because a wrong schedule still trains, only worse.
#
# **Pitfall 1: the schedule sees the 0-based step count.** An optimizer evaluates
# `learning_rate(iterations)`, where `iterations` counts the updates applied *so far*. The first
# update sees step 0, so a warmup that starts at `initial_learning_rate=0.0` makes the first update
# a no-op, and the peak is reached on update $W + 1$:

# %%
# NBVAL_CHECK_OUTPUT
schedule = opt.CosineDecay(0.0, decay_steps=100, warmup_target=0.1, warmup_steps=4)
sgd, w = opt.SGD(learning_rate=schedule), np.array([1.0])
for update in range(1, 7):
    step, lr = sgd.iterations, sgd.current_learning_rate()
    sgd.apply(np.array([1.0]), w)  # the gradient is 1, so w moves by exactly lr
    print(f"update {update}: schedule sees step {step}, lr = {lr:.3f}, w = {w[0]:.3f}")

# %% [markdown]
# Whether that wasted first update matters depends on the length of the warmup (not much over 1,000
# updates), but it explains the off-by-one that shows up when you compare logs. If you write your own
# schedule, write it as a function of the number of updates *already done*.
#
# **Pitfall 2: `PiecewiseConstantDecay` keeps the old value *at* the boundary.** Its rule is
# $t \le b$, so with `boundaries=[100]` the update that sees step 100 (the 101st update) still uses the
# old value. PyTorch's `MultiStepLR(milestones=[100])`, stepped once per update, switches one update
# earlier: after 100 calls its counter is 100, which already counts as past the milestone.

# %%
drop = opt.PiecewiseConstantDecay(boundaries=[100], values=[0.1, 0.01])
for step in (99, 100, 101):
    print(f"step {step} (update {step + 1}): Keras-style lr = {drop(step):.2f},"
          f" PyTorch MultiStepLR lr = {0.1 if step < 100 else 0.01:.2f}")

# %% [markdown]
# **Pitfall 3: epochs versus updates.** PyTorch schedulers count calls to `scheduler.step()`, which
# most code makes once per *epoch*: `StepLR(step_size=2, gamma=0.1)` there means "divide by 10 every
# 2 epochs". Keras schedules, and ours, count *updates* (mini-batches). Copying the number 2 across
# gives a schedule that decays every 2 updates. To convert, multiply by the updates per epoch,
# $\lceil n / B \rceil$. We train the same MLP for 6 epochs both ways:

# %%
per_epoch = opt.training.updates_per_epoch(len(y_train), 32)  # ceil(1079 / 32) = 34
MEANT = {"decay_steps=2 (copied)": 2, f"decay_steps=2*{per_epoch} (converted)": 2 * per_epoch}
decay_runs = {}
for name, decay_steps in MEANT.items():
    schedule = opt.ExponentialDecay(0.1, decay_steps=decay_steps, decay_rate=0.1, staircase=True)
    decay_runs[name] = fit(MLP([64, 32, 10], seed=0), opt.SGD(learning_rate=schedule, momentum=0.9),
                           X_train, y_train, batch_size=32, epochs=6, seed=0, progress=False)

# %%
for name, h in decay_runs.items():
    rate_per_epoch = h.learning_rate[::h.updates_per_epoch]  # the rate at the start of each epoch
    print(f"{name:28s} lr at epoch starts: {' '.join(f'{r:.0e}' for r in rate_per_epoch)};"
          f" final train loss {h.epoch_train_loss[-1]:.3f}")

# %% [markdown]
# The copied schedule has divided the rate by $10^{17}$ by the end of the first epoch: the
# network stops learning almost immediately and the loss stays high, with no error or warning.
# `History.learning_rate` (or a plot of your schedule against the *update* axis) catches it.
#
# ## 5. Adam's betas: how long the memory is
#
# Adam keeps two moving averages (lesson 07): $m$, of the gradient, with $\beta_1$ (default 0.9), and
# $v$, of the squared gradient, with $\beta_2$ (default 0.999). A moving average with factor $\beta$
# mostly remembers the last $1/(1-\beta)$ steps: about 10 gradients for $m$, 1,000 for $v$. The step
# is about $\eta\, m / \sqrt{v}$, so:
#
# - $\beta_1$ sets how much the direction is smoothed (momentum);
# - $\beta_2$ sets how quickly the *scale* $\sqrt{v}$ follows the gradient's size. While it lags,
#   the step is not $\approx\eta$.
#
# We feed Adam a gradient whose size changes abruptly: 0.01 for 400 steps (a flat region), then 1
# for 200 steps (a steep one), then 0.01 again, each with 30 % noise, and measure the step length
# $|\Delta w| / \eta$ for three values of $\beta_2$.

# %%
size = np.r_[np.full(400, 0.01), np.ones(200), np.full(400, 0.01)]
gradients = size * (1 + 0.3 * np.random.default_rng(0).standard_normal(size.size))
BETA_2 = (0.9, 0.99, 0.999)
relative_step = {}
for beta_2 in BETA_2:
    adam, w = opt.Adam(learning_rate=1e-3, beta_2=beta_2), np.zeros(1)
    trace = np.empty(size.size)
    for t, g in enumerate(gradients):
        before = w[0]
        adam.apply(np.array([g]), w)
        trace[t] = abs(w[0] - before) / 1e-3
    relative_step[beta_2] = trace

# %%
# NBVAL_CHECK_OUTPUT
for beta_2, s in relative_step.items():
    print(f"beta_2 = {beta_2:5}: step/lr late in the first flat phase {s[300:400].mean():.2f},"
          f" peak after the jump {s[400:600].max():.2f}, 100 steps after the drop {s[700]:.3f}")

# %%
fig, ax = plt.subplots(figsize=(8.5, 3.6))
for colour, (beta_2, s) in zip((style.GREEN, style.BLUE, style.ORANGE), relative_step.items()):
    ax.semilogy(s, color=colour, lw=1, label=rf"$\beta_2$ = {beta_2}")
for x in (400, 600):
    ax.axvline(x, color=style.GREY, ls=":", lw=1)
for x, label in ((200, "gradients ~0.01"), (500, "~1"), (800, "~0.01")):
    ax.text(x, 5, label, ha="center")
ax.set(title=r"Adam's step when the gradient's size jumps", xlabel="step", ylabel=r"$|\Delta w| / \eta$",
       ylim=(3e-3, 12))
ax.legend(fontsize=8, loc="lower left")
plt.show()

# %% [markdown]
# - With a long memory ($\beta_2 = 0.999$), $\sqrt v$ still remembers the small gradients when they
#   suddenly grow, so Adam's steps jump to almost 4 times $\eta$ and stay above $\eta$ through the
#   whole steep phase: exactly where the ground got steep. When the gradients shrink again, $\sqrt v$
#   remembers the large ones for hundreds of steps and Adam crawls at about 2 % of $\eta$.
# - With $\beta_2 = 0.99$ the overshoot is half as large and the crawl starts to end within a few
#   hundred steps; with 0.9 both effects are over within a few dozen steps, and the step is back at
#   about $\eta$.
#
# So why is the default the *long* memory? Staying at $\eta$ is not always what you want. Near a
# minimum, mini-batch gradients are mostly noise; a long memory still remembers the larger gradients
# from earlier and takes smaller steps there, which works like a gentle automatic decay. Adam on the
# noisy bowl of lesson 09 ($\sigma = 0.1$, 50 runs, $\eta = 0.05$) shows it:

# %%
lines = []
for beta_2 in BETA_2:
    runs = opt.run(opt.Adam(learning_rate=0.05, beta_2=beta_2), opt.landscapes.noisy("bowl", sigma=0.1, seed=0),
                   np.tile([2.0, 1.5], (50, 1)), steps=600)
    lines.append(f"beta_2 = {beta_2:5}: mean loss over the last 200 of 600 steps {runs.losses[-200:].mean():.1e}")
print("\n".join(lines))

# %% [markdown]
# The long memory settles about three to four times lower. The default 0.999 is a good start. Many
# large-model recipes lower $\beta_2$ to 0.98 or 0.95, because their gradient sizes change suddenly
# and the overshoot after a jump is one source of loss spikes. $\beta_1 = 0.9$ rarely needs
# changing: it plays the role of momentum, averaging about 10 gradients.
#
# ## 6. Epsilon, briefly
#
# Lesson 07 showed that $\epsilon$ does more than prevent a division by zero: it decides **how small
# a gradient Adam still answers with a full step**. At the first step (Keras form)
# $|\Delta w|/\eta = |g| / (|g| + \epsilon/\sqrt{1-\beta_2})$: about 1 for gradients well above
# $\epsilon/\sqrt{1-\beta_2}$, and proportional to $|g|$, like SGD, below it. So $\epsilon$ is a real
# hyperparameter, and one that rescales with the loss:

# %%
g = np.array([1e-6, 1e-4, 1e-2, 1.0])  # four weights with very different gradient sizes
for epsilon in (1e-7, 1e-3, 1.0):
    w = np.zeros_like(g)
    opt.Adam(learning_rate=1.0, epsilon=epsilon).apply(g, w)
    print(f"epsilon = {epsilon:<6g}: first step / lr for |g| = 1e-6, 1e-4, 1e-2, 1: "
          + ", ".join(f"{-x:.3f}" for x in w))

# %% [markdown]
# Keras's default $10^{-7}$ (PyTorch's $10^{-8}$, placed after the bias correction) gives nearly every
# gradient a full step. Raising it to $10^{-3}$ or even 1 calms the updates of weights with small
# gradients and moves Adam towards SGD with momentum; some models train more stably that way. If you
# multiply your loss by 1,000, the gradients grow 1,000-fold and the same $\epsilon$ matters 1,000 times
# less: keep that in mind when you change a loss's scale.
#
# ## Recap
#
# - Find the learning rate with a **range test** (one run with `ExponentialDecay(decay_rate > 1)`,
#   read the smoothed loss against `History.learning_rate`, take 3 to 10 times below the minimum),
#   and confirm with a few short runs.
# - **Momentum and learning rate** act together through $\eta/(1-\mu)$ at small steps; more momentum
#   is not always faster. Re-tune $\eta$ when you change $\mu$.
# - A **schedule** (step decay, cosine) keeps the early speed of a large rate and reaches the low
#   floor of a small one; **warmup** protects the first updates at an aggressive peak rate.
# - Pitfalls: schedules see the **0-based** update count; `PiecewiseConstantDecay` keeps the old value
#   **at** the boundary; Keras-style schedules count **updates**, PyTorch's are usually stepped per
#   **epoch**. Plot `History.learning_rate` to be sure.
# - Adam's $\beta_2$ sets how fast its step scale adapts: 0.999 adapts slowly (overshoots after a jump,
#   settles lower near a noisy minimum), 0.95 to 0.99 quickly. $\epsilon$ sets the smallest gradient
#   that still gets a full step.
#
# ## Your turn
#
# - Repeat the range test with `opt.Adam()` instead of SGD with momentum. How far apart are the two
#   suggested ranges?
# - In the warmup experiment, find the smallest peak rate at which warmup makes a clear difference.
# - The matching exercise is [`../exercises/06_schedules.ipynb`](../exercises/06_schedules.ipynb): you
#   implement step decay and cosine decay with warmup, with exactly Keras's conventions at the
#   boundaries. Exercise [`08_diagnosing_training`](../exercises/08_diagnosing_training.ipynb), after
#   lesson 11, turns this lesson's range test into a function that picks the rate for you.
#
# **Next:** [Lesson 11: Choosing an optimizer, and common mistakes](11_choosing_and_common_mistakes.ipynb).
