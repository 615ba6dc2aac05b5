# %% [markdown]
# # Exercise 08 · Diagnosing training curves
#
# This exercise follows lessons **10 · Hyperparameters and schedules** and **11 · Choosing
# an optimizer, and common mistakes**. The loss curve is the first thing to look at when
# training goes wrong. You will write two small diagnostic tools:
#
# | Task | You write | Points |
# |---|---|---|
# | 1 | `diagnose`: was the learning rate too high, too low, or good? | 3 |
# | 2 | `pick_learning_rate`: choose a rate from a learning-rate range test | 3 |
#
# There is no single formula to copy here: you decide the rule. The checks use curves from
# *real* training runs of the course library (linear regression and a small MLP, trained
# with mini-batch SGD at known learning rates), so a sensible rule passes.
#
# **How it works.** Replace each `raise NotImplementedError("Your code here")` with your
# code, run the cell, then run the `check(...)` cell below it for points and hints.

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np

import optimizers as opt
from optimizers.grading import check
from optimizers.models import LinearRegression
from optimizers.training import fit

# %% [markdown]
# ## What the three curves look like
#
# The cell below trains the same linear regression three times with mini-batch SGD,
# changing only the learning rate, and plots the loss of every mini-batch:
#
# - **too high**: the updates overshoot and the loss *grows*, usually exponentially, until
#   it overflows to `inf` or `nan` (`fit` then stops early and warns; we silence that here);
# - **too low**: the loss creeps down, nowhere near flat after the whole run;
# - **good**: the loss falls fast, then flattens out at a low level.
#
# Mini-batch losses are noisy: compare averages over a few updates (say, the first and the
# last tenth of the curve), not single points.

# %%
rng = np.random.default_rng(0)
X = rng.normal(size=(256, 4)) * np.array([0.5, 1.0, 1.5, 2.0])
y = X @ np.array([2.0, -1.0, 0.5, 3.0]) + 1.0 + 0.1 * rng.normal(size=256)

curves = {}
for label, lr in (("too high", 0.6), ("too low", 0.0005), ("good", 0.1)):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # the diverging run warns
        history = fit(LinearRegression(4, seed=1), opt.SGD(lr), X, y, batch_size=32, epochs=10,
                      seed=0, progress=False)
    curves[label] = history.loss

fig, axes = plt.subplots(1, 3, figsize=(10, 3))
for ax, (label, losses) in zip(axes, curves.items()):
    ax.plot(losses)
    ax.set_yscale("log")
    ax.set_title(f"{label}: {len(losses)} updates")
    ax.set_xlabel("update")
axes[0].set_ylabel("mini-batch loss")
plt.show()
for label, losses in curves.items():
    print(f"{label:>8}: first {losses[0]:.3g}, last {losses[-1]:.3g}")

# %% [markdown]
# ## Task 1 · Diagnose a training curve (3 points)
#
# Write `diagnose(losses)`. `losses` is a 1-D float array of per-update training losses
# (it may end in `inf` or `nan`). Return exactly one of the strings `"too_high"`,
# `"too_low"` or `"good"`.
#
# A workable plan: if any value is not finite (`np.isfinite`), the run blew up. Otherwise
# compare the mean of the last tenth of the curve with the mean of the first tenth: far
# above means too high; only a little below (say, more than half is left) means too low; a
# large drop means good. Careful: a comparison with `nan` is always `False`, so test for
# non-finite values first. The check shows you nine curves (three of each kind).

# %%
def diagnose(losses):
    """Say whether a training curve shows a learning rate that was too high, too low, or good.

    Args:
        losses: a 1-D array of per-update losses, possibly ending in inf or nan.

    Returns:
        "too_high", "too_low" or "good".
    """
    ### BEGIN SOLUTION
    losses = np.asarray(losses, dtype=np.float64)
    if not np.all(np.isfinite(losses)):
        return "too_high"
    tenth = max(1, len(losses) // 10)
    first, last = losses[:tenth].mean(), losses[-tenth:].mean()
    if last > 1.5 * first:
        return "too_high"
    if last > 0.5 * first:
        return "too_low"
    return "good"
    ### END SOLUTION


# %%
check("diagnose", diagnose)

# %%
try:
    for label, losses in curves.items():
        print(f"the {label!r} curve above is diagnosed as {diagnose(losses)!r}")
except NotImplementedError:
    print("Write diagnose above, then run this cell again.")

# %% [markdown]
# ## Task 2 · Pick a learning rate from a range test (3 points)
#
# A **learning-rate range test** (Leslie Smith, 2017) trains once while the learning rate
# grows by a constant factor every update, from far too small to far too large, and records
# the loss at each update. A growing rate is just a schedule: `ExponentialDecay` with a
# `decay_rate` above 1. Plotted against the rate on a log axis, the loss is flat at first
# (the rate is too small to matter), then falls, reaches a lowest point, and explodes.
#
# The lowest point is already at the edge of divergence, so do not pick it. Two common
# rules: take the rate where the loss **falls fastest** (the steepest downward slope of
# the smoothed curve), or take the rate of the lowest loss **divided by about 10**.
#
# Write `pick_learning_rate(learning_rates, losses)`: both are 1-D arrays of the same
# length, `losses[i]` measured while training at `learning_rates[i]` (increasing). The last
# losses may be `inf` or `nan`. Return one learning rate (a float) from within the tested
# range. The check trains a fresh model at your rate and passes if it learns about as well as
# the best constant rate does.

# %%
def pick_learning_rate(learning_rates, losses):
    """Choose a learning rate from a learning-rate range test.

    Args:
        learning_rates: 1-D array of increasing rates, one per update.
        losses: 1-D array of the loss at each update (may end in inf or nan).

    Returns:
        A learning rate, a float between learning_rates[0] and learning_rates[-1].
    """
    ### BEGIN SOLUTION
    losses = np.asarray(losses, dtype=np.float64)
    finite = np.isfinite(losses)
    # Mini-batch losses are noisy: smooth over 5 updates before looking for the minimum.
    smooth = np.convolve(np.where(finite, losses, np.inf), np.ones(5) / 5, mode="same")
    lowest = int(np.argmin(np.where(np.isfinite(smooth), smooth, np.inf)))
    return float(max(learning_rates[lowest] / 10, learning_rates[0]))
    ### END SOLUTION


# %%
check("pick_learning_rate", pick_learning_rate)

# %% [markdown]
# A range test on the regression above, and your pick (the dashed line):

# %%
updates, low, high = 150, 1e-4, 10.0
schedule = opt.ExponentialDecay(low, decay_steps=1, decay_rate=(high / low) ** (1 / (updates - 1)))
with warnings.catch_warnings():
    warnings.simplefilter("ignore", RuntimeWarning)   # the test ends by diverging, on purpose
    history = fit(LinearRegression(4, seed=1), opt.SGD(schedule), X, y, batch_size=32,
                  epochs=19, seed=0, progress=False)
rates, losses = history.learning_rate[:updates], history.loss[:updates]
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(rates, losses)
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("learning rate")
ax.set_ylabel("mini-batch loss")
try:
    pick = pick_learning_rate(rates, losses)
    ax.axvline(pick, color="tab:red", linestyle="--", label=f"your pick: {pick:.3g}")
    ax.legend()
except NotImplementedError:
    print("Write pick_learning_rate above, then run this cell again.")
plt.show()

# %% [markdown]
# ## Recap
#
# - Too high: the loss grows or turns `nan`. Too low: it creeps down. Good: a fast fall,
#   then a plateau. Judge on averages; single mini-batch losses are noisy.
# - A range test scans learning rates in one short run; pick below the lowest point, where
#   the loss falls fastest.
#
# Next: lesson 12 on optimizers beyond Adam, then exercise 09.
