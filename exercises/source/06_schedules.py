# %% [markdown]
# # Exercise 06 · Learning-rate schedules
#
# This exercise follows lesson **10 · Hyperparameters and schedules**. A schedule is the
# learning rate as a function of `step`, the number of updates done so far (0 for the very
# first update). You will write the two most used ones with exactly Keras's conventions,
# including the off-by-one details that trip up many implementations.
#
# | Task | You write | Points |
# |---|---|---|
# | 1 | `step_decay`: piecewise constant rates (Keras `PiecewiseConstantDecay`) | 3 |
# | 2 | `warmup_cosine`: linear warmup, then cosine decay (Keras `CosineDecay`) | 3 |
#
# **How it works.** Replace each `raise NotImplementedError("Your code here")` with your
# code, run the cell, then run the `check(...)` cell below it. The check evaluates your
# function at every step of a random schedule and compares the whole curve.

# %%
import math

import matplotlib.pyplot as plt
import numpy as np

from optimizers.grading import check

# %% [markdown]
# ## Task 1 · Step decay (3 points)
#
# Given increasing `boundaries` $b_0 < b_1 < \dots < b_{n-1}$ and `values`
# $v_0, \dots, v_n$ (one more value than boundaries):
#
# $$\eta(\text{step}) = \begin{cases}
# v_0 & \text{if step} \le b_0 \\
# v_i & \text{if } b_{i-1} < \text{step} \le b_i \\
# v_n & \text{if step} > b_{n-1}
# \end{cases}$$
#
# Mind the `<=`: **at** `step == boundaries[i]` the old value $v_i$ still applies, and the
# new one starts one update later. With `boundaries=[100]`, the 101st update (step 100)
# still uses `values[0]`. (PyTorch's `MultiStepLR` switches *at* the milestone instead.)
#
# `step` is an int >= 0; return a float.

# %%
def step_decay(step, boundaries, values):
    """Piecewise constant learning rate with Keras's boundary convention.

    Math: values[0] if step <= boundaries[0]; values[i] if boundaries[i-1] < step <= boundaries[i];
          values[-1] if step > boundaries[-1].

    Args:
        step: updates done so far, an int >= 0.
        boundaries: a list of increasing ints.
        values: a list of floats, one more than boundaries.

    Returns:
        The learning rate, a float.

    >>> [step_decay(s, [10, 20], [1.0, 0.5, 0.1]) for s in (0, 10, 11, 20, 21)]
    [1.0, 1.0, 0.5, 0.5, 0.1]
    """
    ### BEGIN SOLUTION
    for boundary, value in zip(boundaries, values):
        if step <= boundary:
            return float(value)
    return float(values[-1])
    ### END SOLUTION


# %%
check("step_decay", step_decay)

# %% [markdown]
# ## Task 2 · Linear warmup, then cosine decay (3 points)
#
# Large models often start with a **warmup**: the rate climbs linearly for $W$ updates,
# from `initial_learning_rate` $\eta_0$ to the peak $\eta^*$, and then decays along half a
# cosine over $T$ updates to a floor $\alpha \eta^*$, where it stays:
#
# $$\eta(s) = \eta_0 + (\eta^* - \eta_0)\, \frac{s}{W} \qquad \text{for } s < W$$
#
# $$\eta(s) = \eta^* \left[ (1 - \alpha)\, \tfrac12 \left(1 + \cos \frac{\pi d}{T}\right) + \alpha \right],
# \quad d = \min(s - W,\ T) \qquad \text{for } s \ge W$$
#
# So the rate is exactly the peak at $s = W$, only goes down afterwards, and never rises
# again after $s = W + T$ (that is what the $\min$ is for). With $W = 0$ there is no
# warmup: the decay starts at the peak at step 0. $\alpha$ is a *fraction* of the peak.
#
# In the code: $s$ is `step`, $\eta^*$ is `peak_learning_rate`, $W$ is `warmup_steps`,
# $T$ is `decay_steps`, $\eta_0$ is `initial_learning_rate` and $\alpha$ is `alpha`.
# Return a float.

# %%
def warmup_cosine(step, peak_learning_rate, warmup_steps, decay_steps, initial_learning_rate=0.0,
                  alpha=0.0):
    """Linear warmup to the peak, then cosine decay to alpha * peak (Keras 3's CosineDecay).

    Math: for step < W: initial + (peak - initial) * step / W;
          else: d = min(step - W, T), peak * ((1 - alpha) * 0.5 * (1 + cos(pi * d / T)) + alpha).

    Args:
        step: updates done so far, an int >= 0.
        peak_learning_rate: the rate reached at the end of warmup.
        warmup_steps: W, an int >= 0 (0: no warmup).
        decay_steps: T, an int > 0.
        initial_learning_rate: the rate at step 0 when W > 0.
        alpha: the final rate as a fraction of the peak, in [0, 1].

    Returns:
        The learning rate, a float.

    >>> [round(warmup_cosine(s, 1.0, 4, 10), 4) for s in (0, 2, 4, 9, 14, 20)]
    [0.0, 0.5, 1.0, 0.5, 0.0, 0.0]
    """
    ### BEGIN SOLUTION
    if step < warmup_steps:
        return initial_learning_rate + (peak_learning_rate - initial_learning_rate) * step / warmup_steps
    done = min(step - warmup_steps, decay_steps)
    cosine = 0.5 * (1 + math.cos(math.pi * done / decay_steps))
    return peak_learning_rate * ((1 - alpha) * cosine + alpha)
    ### END SOLUTION


# %%
check("warmup_cosine", warmup_cosine)

# %% [markdown]
# Both schedules over 120 updates. Zoom in on the corners: the step decay switches one
# update *after* each boundary, and the cosine starts exactly at the peak.

# %%
try:
    steps = np.arange(120)
    fig, ax = plt.subplots(figsize=(6.5, 3.5))
    ax.step(steps, [step_decay(s, [40, 80], [0.1, 0.03, 0.01]) for s in steps], where="post",
            label="step_decay([40, 80], [0.1, 0.03, 0.01])")
    ax.plot(steps, [warmup_cosine(s, 0.1, 15, 90, 0.01, alpha=0.05) for s in steps],
            label="warmup_cosine(peak 0.1, W=15, T=90)")
    ax.set_xlabel("step (updates done so far)")
    ax.set_ylabel("learning rate")
    ax.legend()
    plt.show()
except NotImplementedError:
    print("Write step_decay and warmup_cosine above, then run this cell again.")

# %% [markdown]
# Any function of the step can drive an optimizer of the course library: pass it as the
# learning rate, and the optimizer calls it with its 0-based update count before each
# update, as Keras does.

# %%
import optimizers as opt

try:
    sgd = opt.SGD(learning_rate=lambda step: warmup_cosine(step, 0.1, 3, 10))
    w = np.array([1.0])
    for _ in range(5):
        print(f"step {sgd.iterations}: learning rate {sgd.current_learning_rate():.4f}")
        sgd.apply(2 * w, w)
except NotImplementedError:
    print("Write warmup_cosine above, then run this cell again.")

# %% [markdown]
# ## Recap
#
# - A schedule maps the number of updates done so far (from 0) to a learning rate.
# - Keras's step decay keeps the old value *at* each boundary.
# - Warmup climbs linearly to the peak at exactly `warmup_steps`; the cosine then only goes
#   down and stays at its floor: no rebound.
#
# Next: exercise 07 on gradient clipping, after lesson 09.
