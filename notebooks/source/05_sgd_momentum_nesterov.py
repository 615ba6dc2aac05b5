# %% [markdown]
# # Lesson 05: SGD, momentum and Nesterov
#
# Plain gradient descent zig-zags in narrow valleys; a velocity that remembers past steps fixes much of it.
#
# **You will be able to:**
#
# - list what we ask of a good optimizer, and which techniques address which wish;
# - explain why plain SGD zig-zags across a narrow valley and crawls along it;
# - write the momentum update (Keras's form) as math and as code, and check it against `opt.SGD`;
# - explain what Nesterov momentum changes, and show that Keras's formula is Sutskever's in disguise;
# - recognise the other momentum formulas you will meet (PyTorch's, the averaged one) and know when they
#   agree and when a learning-rate schedule makes them differ;
# - judge when SGD with momentum is a good choice.
#
# **Article sections:** 5, 6 (6.1 to 6.4) · **Study time:** about 30 minutes

# %%
import json

import matplotlib.pyplot as plt
import numpy as np

import optimizers as opt
from optimizers.landscapes import ravine
from optimizers.widgets import style

# %% [markdown]
# ## 1. What makes a good optimizer?
#
# Before looking at any rule, here is the wish list (article section 5), with the idea that answers each
# wish and where this course shows it:
#
# | we want an optimizer that... | ideas that help | where |
# |---|---|---|
# | converges quickly | momentum, adaptive per-parameter steps | this lesson, 06, 07 |
# | does not stop at poor minima or saddles | momentum, gradient noise | this lesson, 09 |
# | copes with noisy gradients | averaging (momentum, moving averages) | 04, 06, 07 |
# | needs little tuning | adaptive steps, bias correction, sensible defaults | 06, 07, 10 |
# | works across many tasks and large datasets | mini-batches, cheap per-weight state | 04, 08, 11 |
# | generalises to unseen data | the right optimizer *and* schedule, checked on held-out data | 08 |
#
# The techniques the article names (momentum, adaptive learning rates, accumulated gradients, normalised
# updates, bias correction, step decay) are each one or two lines of code. This lesson is about the first
# one.

# %% [markdown]
# ## 2. Plain SGD in a narrow valley
#
# Keras calls plain gradient descent `SGD`: $p \leftarrow p - \eta\, g$, with $g$ the gradient of the loss on
# the current mini-batch (lesson 04). To see the geometry, we use a 2-D landscape with exact gradients, the
# **ravine**:
#
# $$f(x, y) = \tfrac12\,(0.2\,x^2 + 16\,y^2).$$
#
# The walls (the $y$ direction) are 80 times more curved than the floor (the $x$ direction). Gradient descent
# multiplies $y$ by $1 - 16\eta$ and $x$ by $1 - 0.2\eta$ every step. Two consequences:
#
# - for $y$ not to blow up, $|1 - 16\eta| < 1$, so $\eta < 2/16 = 0.125$: **the steepest direction caps the
#   learning rate**;
# - with such an $\eta$, $x$ shrinks by at most $1 - 0.2 \times 0.125 = 0.975$ per step: **the flattest
#   direction then crawls.**

# %%
def draw_ravine(ax, title):
    """Contours of the ravine, its minimum, and labelled axes."""
    X, Y, Z = ravine.mesh(200)
    ax.contour(X, Y, Z, levels=np.geomspace(0.02, 60, 12), cmap=style.CONTOUR_CMAP, linewidths=0.8)
    ax.plot(*ravine.minima[0], "*", color="black", ms=12, label="minimum")
    ax.set(title=title, xlabel="x (gentle floor)", ylabel="y (steep walls)", aspect="equal")

def draw_path(ax, trajectory, label, color):
    """A trajectory's points joined by lines."""
    ax.plot(*trajectory.points.T, ".-", color=color, lw=1, ms=4, label=label)

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.2))
for ax, lr in zip(axes, (0.02, 0.115)):
    draw_ravine(ax, f"SGD, lr = {lr}, 60 steps")
    draw_path(ax, opt.run(opt.SGD(learning_rate=lr), ravine, steps=60), f"SGD (lr={lr})", style.color_of("SGD"))
    ax.legend(loc="upper right", fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown]
# With a small learning rate (left) the path is smooth but slow. With a learning rate just under the limit
# (right) it bounces from wall to wall ($1 - 16 \times 0.115 = -0.84$ flips the sign of $y$ each step) and
# still crawls along the floor. No learning rate is good for both directions at once.
#
# To compare runs fairly we count **the steps until the loss drops below $10^{-3}$ and stays there** (it
# starts at 20). A path that merely swings *through* the minimum does not count.

# %%
def steps_to_settle(trajectory, level=1e-3):
    """First step after which the loss stays <= level; NaN if it is still above at the end."""
    above = trajectory.losses > level
    last_above = above.shape[0] - 1 - np.argmax(above[::-1], axis=0)  # last step still above
    settled = np.where(above.any(axis=0), last_above + 1, 0).astype(float)
    return np.where(above[-1], np.nan, settled)

# %%
# NBVAL_CHECK_OUTPUT
rates = [0.02, 0.05, 0.1, 0.115]
runs = opt.sweep(opt.SGD(), rates, ravine, steps=1000)  # one run per learning rate, all at once
for lr, steps in zip(rates, steps_to_settle(runs)):
    print(f"SGD lr = {lr:5.3f}: settles after {steps:.0f} steps")

# %% [markdown]
# Even the best learning rate needs over 160 steps. That number is set by the **condition number**, the
# ratio of the largest to the smallest curvature, here $16 / 0.2 = 80$: plain gradient descent needs a number
# of steps proportional to it. Real networks have condition numbers in the thousands or more.

# %% [markdown]
# ## 3. Momentum: let the steps build up speed
#
# Picture a heavy ball rolling in the valley instead of a walker who only looks at the slope under their
# feet. The ball carries a **velocity** $v$: each step adds the new gradient push to what is left of the
# old velocity, and the position moves by the velocity. In Keras's form (the one `opt.SGD` uses):
#
# $$v_t = \mu\, v_{t-1} - \eta\, g_t, \qquad p_t = p_{t-1} + v_t, \qquad v_0 = 0,$$
#
# where $\mu \in [0, 1)$ is the **momentum** (0.9 is the usual choice). With $\mu = 0$ this is plain SGD.
# Here is the rule as code, applied on the ravine, next to the library's `opt.SGD(momentum=...)`:

# %%
def momentum_step(p, g, v, lr, mu):
    """One step of SGD with momentum (Keras's form). Returns the new (p, v)."""
    v = mu * v - lr * g  # keep a fraction mu of the old velocity, add the new push
    p = p + v            # move by the velocity
    return p, v

p, v = ravine.default_start.copy(), np.zeros(2)
path = [p]
for _ in range(100):
    p, v = momentum_step(p, ravine.grad(p), v, lr=0.05, mu=0.9)
    path.append(p)

# %%
# NBVAL_CHECK_OUTPUT
library = opt.run(opt.SGD(learning_rate=0.05, momentum=0.9), ravine, steps=100)
gap = np.max(np.abs(np.array(path) - library.points))
print("largest difference from opt.SGD(momentum=0.9):", "below 1e-12" if gap < 1e-12 else f"{gap:.2e}")
print(f"final point: ({path[-1][0]:.6f}, {path[-1][1]:.6f})")

# %% [markdown]
# Why does this help in a ravine? Look at what the velocity does with two kinds of gradient sequences:
#
# - a gradient that keeps pointing the **same way** (the valley floor): the velocity grows towards
#   $\eta g / (1 - \mu)$, **10 times** the plain step for $\mu = 0.9$;
# - a gradient that **flips sign** every step (bouncing between the walls): the pushes largely cancel, and
#   the step settles at $\eta g / (1 + \mu)$, about **half** the plain step.

# %%
mu, lr, steps = 0.9, 0.1, 60
sequences = {"constant gradient (+1, +1, ...)": np.ones(steps),
             "alternating gradient (+1, -1, ...)": (-1.0) ** np.arange(steps)}
step_sizes = {}
for name, grads in sequences.items():
    v, sizes = 0.0, []
    for g in grads:
        v = mu * v - lr * g  # the momentum rule, on one number
        sizes.append(abs(v))
    step_sizes[name] = sizes

# %%
fig, ax = plt.subplots(figsize=(8, 3.4))
for color, (name, sizes) in zip(style.SEQUENCE, step_sizes.items()):
    ax.plot(sizes, color=color, label=name)
levels = {r"$\eta/(1-\mu)$": lr / (1 - mu), r"plain step $\eta$": lr, r"$\eta/(1+\mu)$": lr / (1 + mu)}
for text, level in levels.items():
    ax.axhline(level, color=style.GREY, ls=":", lw=1)
    ax.text(steps + 1, level, text, va="center", fontsize=9)
ax.set(title=f"Step size with momentum {mu}, lr {lr}", xlabel="step", ylabel="|step| (log scale)",
       yscale="log", xlim=(0, steps + 12), ylim=(1e-3, 3))
ax.legend(loc="lower right")
plt.show()

# %% [markdown]
# That is the whole trick: momentum **accelerates along consistent directions and damps oscillating ones**.
# On the ravine, the floor direction is consistent and the wall direction oscillates.

# %%
fig, ax = plt.subplots(figsize=(9, 3.6))
draw_ravine(ax, "The same learning rate (0.05), 100 steps")
draw_path(ax, opt.run(opt.SGD(0.05), ravine, steps=100), "SGD", style.color_of("SGD"))
draw_path(ax, library, "momentum 0.9", style.color_of("Momentum"))
ax.legend(loc="upper right", fontsize=8)
plt.show()

# %% [markdown]
# The momentum path overshoots the floor and swings past the minimum a few times, but it reaches the
# minimum long before plain SGD does. The swinging is the price of inertia; the next section reduces it.
#
# ## 4. Try it: the ravine and the momentum slider
#
# The app runs plain gradient descent (black) and SGD with momentum (blue) on the ravine, each with its own
# learning rate, for 150 steps. Things to try:
#
# - momentum 0, 0.5, 0.9, 0.99 at the momentum run's learning rate 0.02;
# - the same learning rate for both runs (say 0.1): momentum then swings wildly, because on a steady slope it
#   multiplies the step by $1/(1-\mu)$, so it wants a smaller learning rate;
# - a learning rate above 0.125 for gradient descent (it diverges) and for momentum (it does not, up to
#   about 0.24: section 5 explains why);
# - the Nesterov box, at learning rates 0.02 and 0.1.

# %%
# NBVAL_IGNORE_OUTPUT
from optimizers import widgets

app = widgets.ravine_momentum(steps=150, learning_rate=0.1, momentum_learning_rate=0.02, momentum=0.9)
app

# %% [markdown]
# For readers without a running kernel: the app's summary line for a few settings of the momentum run.

# %%
import re

for momentum, lr in [(0.0, 0.02), (0.5, 0.02), (0.9, 0.02), (0.9, 0.15)]:
    app.controls["momentum"].value, app.controls["momentum_learning_rate"].value = momentum, lr
    print(re.sub("<[^>]+>", "", app.message.value))  # the message is HTML: drop the tags

# %% [markdown]
# ## 5. Nesterov momentum: look before you leap
#
# Classical momentum computes the gradient where the ball **is**, then adds the velocity. But we already know
# the ball is about to move by roughly $\mu v$. Nesterov's idea (as Sutskever et al. wrote it for deep
# learning in 2013) is to take the gradient at that **look-ahead point** instead:
#
# $$v_t = \mu\, v_{t-1} - \eta\, \nabla f(\theta_{t-1} + \mu\, v_{t-1}), \qquad \theta_t = \theta_{t-1} + v_t.$$
#
# If the velocity is about to carry the ball up the opposite wall, the look-ahead gradient already points
# back, and the step is corrected one step earlier. That means less overshooting.
#
# Frameworks do not want to evaluate the gradient at a point other than the parameters they store. Keras
# therefore stores the look-ahead point itself, $p_t = \theta_t + \mu\, v_t$. A line of algebra turns the rule
# above into one that uses the gradient at the stored parameters:
#
# $$v_t = \mu\, v_{t-1} - \eta\, g_t, \qquad p_t = p_{t-1} + \mu\, v_t - \eta\, g_t, \qquad g_t = \nabla f(p_{t-1}).$$
#
# That is what `opt.SGD(momentum=0.9, nesterov=True)` computes. Let us check that it walks exactly through
# Sutskever's look-ahead points:

# %%
lr, mu = 0.05, 0.9
theta, v = ravine.default_start.copy(), np.zeros(2)
lookahead_points = [theta + mu * v]
for _ in range(100):
    v = mu * v - lr * ravine.grad(theta + mu * v)  # Sutskever: gradient at the look-ahead point
    theta = theta + v
    lookahead_points.append(theta + mu * v)

nesterov = opt.run(opt.SGD(learning_rate=lr, momentum=mu, nesterov=True), ravine, steps=100)

# %%
# NBVAL_CHECK_OUTPUT
gap = np.max(np.abs(np.array(lookahead_points) - nesterov.points))
same = "yes (to round-off)" if gap < 1e-12 else f"NO ({gap:.2e})"
print("Keras's Nesterov path = Sutskever's look-ahead points:", same)

# %%
fig, ax = plt.subplots(figsize=(8, 3.6))
for name, o in [("SGD", opt.SGD(0.05)), ("Momentum", opt.SGD(0.05, momentum=0.9)),
                ("Nesterov", opt.SGD(0.05, momentum=0.9, nesterov=True))]:
    ax.semilogy(opt.run(o, ravine, steps=150).losses, color=style.color_of(name), label=style.optimizer_label(o))
ax.axhline(1e-3, color=style.GREY, ls=":", lw=1)
ax.set(title="Loss on the ravine, learning rate 0.05", xlabel="step", ylabel="loss (log scale)")
ax.legend()
plt.show()

# %% [markdown]
# Classical momentum's loss jumps up and down at every step: the ball still bounces from wall to wall.
# Nesterov's look-ahead damps that bouncing, leaving only a slow swing back and forth along the floor (the
# smooth waves), and it gets below $10^{-3}$ much sooner.
#
# ### How much faster, and for which learning rates?
#
# A single learning rate can flatter any method. `opt.sweep` runs 41 learning rates at once for each
# method, and we count the steps each needs to settle below $10^{-3}$.

# %%
learning_rates = np.geomspace(0.005, 0.5, 41)
methods = {"SGD": opt.SGD(), "Momentum": opt.SGD(momentum=0.9), "Nesterov": opt.SGD(momentum=0.9, nesterov=True)}
settle = {name: steps_to_settle(opt.sweep(o, learning_rates, ravine, steps=1000)) for name, o in methods.items()}

fig, ax = plt.subplots(figsize=(8, 3.6))
for name, steps in settle.items():
    label = name if name == "SGD" else f"{name} 0.9"
    ax.loglog(learning_rates, steps, "o-", ms=3, color=style.color_of(name), label=label)
ax.set(title="Steps to settle on the ravine (gaps: diverged or not settled in 1000 steps)",
       xlabel="learning rate", ylabel="steps until loss stays < 1e-3")
ax.legend()
plt.show()

# %%
# NBVAL_CHECK_OUTPUT
for name, steps in settle.items():
    best = np.nanargmin(steps)
    works = learning_rates[~np.isnan(steps)]
    print(f"{name:9s} best: {steps[best]:4.0f} steps at lr {learning_rates[best]:.3f};  settles for lr in "
          f"[{works.min():.3f}, {works.max():.3f}]")

# %% [markdown]
# Three lessons in one picture:
#
# - **Momentum is faster** (about 90 instead of about 170 steps at best) and stays near its best over a wide
#   range of learning rates: a flat bottom means less tuning.
# - **Momentum tolerates larger learning rates.** On a quadratic, classical momentum stays stable for
#   $\eta\lambda < 2(1 + \mu)$, almost twice plain SGD's $\eta\lambda < 2$ (here $\lambda = 16$ is the wall
#   curvature, so the limits are 0.2375 and 0.125).
# - **Nesterov is fastest at its best here (about 50 steps), but it is not simply "better momentum".** Its
#   stability limit is lower, $\eta\lambda < 2(1+\mu)/(1+2\mu)$, about $0.085$ here: a learning rate tuned for
#   classical momentum (0.1 to 0.2 on this ravine) makes Nesterov diverge.
#
# Why can classical momentum with $\mu = 0.9$ not beat about 90 steps, whatever the learning rate? On a
# quadratic, the distance to the minimum can shrink by at best $\sqrt{\mu}$ per step, so the loss by at best
# $\mu$: going from 20 to $10^{-3}$ takes at least $\ln(20{,}000)/\ln(1/0.9) \approx 94$ steps, close to what
# we measured. Nesterov's look-ahead adds extra damping and escapes that bound. Tuning $\mu$ to the
# condition number (theory says about 0.64 for this ravine) also helps; in practice $\mu = 0.9$ is the robust
# default.

# %% [markdown]
# ## 6. Beyond the article: the momentum formulas you will meet
#
# Books, papers and libraries write momentum in different ways. Three are common:
#
# | name | state | update |
# |---|---|---|
# | Keras (velocity carries the learning rate) | $v$ | $v \leftarrow \mu v - \eta g$; $\;p \leftarrow p + v$ |
# | PyTorch (`torch.optim.SGD`) | $b$ | $b \leftarrow \mu b + g$; $\;p \leftarrow p - \eta b$ |
# | averaged ("dampened", an exponential moving average) | $m$ | $m \leftarrow \mu m + (1-\mu) g$; $\;p \leftarrow p - \eta m$ |
#
# At a **constant** learning rate the first two are the same algorithm: $v = -\eta b$ at every step. The third
# is the second with every gradient scaled by $1 - \mu$, so it takes 10 times smaller steps at the same $\eta$
# ($\mu = 0.9$) and matches the others only with $\eta / (1 - \mu)$. (PyTorch writes it with `dampening=0.9`.)
#
# Here are the PyTorch form and the averaged form as code, checked against the library (Keras form) at
# constant learning rate:

# %%
def run_rule(rule, lr_at, steps=100, mu=0.9):
    """Walk the ravine with `rule(p, g, state, lr, mu) -> (p, state)`; lr_at(t) gives the rate of step t."""
    p, state, path = ravine.default_start.copy(), np.zeros(2), [ravine.default_start.copy()]
    for t in range(steps):
        p, state = rule(p, ravine.grad(p), state, lr_at(t), mu)
        path.append(p)
    return np.array(path)

def pytorch_step(p, g, b, lr, mu):
    b = mu * b + g           # the buffer sums raw gradients: no learning rate inside
    return p - lr * b, b

def averaged_step(p, g, m, lr, mu):
    m = mu * m + (1 - mu) * g  # an average of recent gradients
    return p - lr * m, m

# %%
# NBVAL_CHECK_OUTPUT
constant = lambda t: 0.05
keras_path = run_rule(momentum_step, constant)
library_path = opt.run(opt.SGD(0.05, momentum=0.9), ravine, steps=100).points
checks = {"Keras form (our function) vs opt.SGD": keras_path - library_path,
          "PyTorch form vs Keras form": run_rule(pytorch_step, constant) - keras_path,
          "averaged form, lr/(1-mu), vs Keras form": run_rule(averaged_step, lambda t: 0.05 / 0.1) - keras_path}
for name, difference in checks.items():
    print(f"{name:45s}: {'same path' if np.max(np.abs(difference)) < 1e-9 else 'DIFFERENT'}")

# %% [markdown]
# ### Where they part: a learning-rate schedule
#
# Now drop the learning rate tenfold after 30 updates, a typical step decay (lesson 10). In Keras's form the
# velocity still holds steps taken with the **old**, large rate, and they fade out only at the pace of
# $\mu$. In PyTorch's form the buffer holds raw gradients, so the **new** rate applies to all of it at once.
#
# To see it cleanly we walk down a straight slope whose gradient is always 1, so that the steps grow towards
# $\eta/(1-\mu)$ before the drop. The Keras form is the library's `opt.SGD`; the PyTorch form is our
# function above.

# %%
schedule = opt.PiecewiseConstantDecay(boundaries=[30], values=[0.1, 0.01])
sgd, p_keras = opt.SGD(learning_rate=schedule, momentum=0.9), np.zeros(1)
p_torch, buffer = np.zeros(1), np.zeros(1)
keras_steps, torch_steps = [], []
for t in range(70):
    before = p_keras.copy()
    sgd.apply(np.ones(1), p_keras)  # gradient 1: a straight slope
    keras_steps.append(abs(p_keras - before)[0])
    new_p, buffer = pytorch_step(p_torch, np.ones(1), buffer, schedule(t), 0.9)
    torch_steps.append(abs(new_p - p_torch)[0])
    p_torch = new_p

# %%
fig, ax = plt.subplots(figsize=(8, 3.4))
ax.plot(keras_steps, ".-", color=style.BLUE, label="Keras form (opt.SGD)")
ax.plot(torch_steps, ".-", color=style.VERMILLION, label="PyTorch form")
ax.axvline(30.5, color=style.GREY, ls=":", label="learning rate 0.1 -> 0.01")
ax.set(title="Step length on a straight slope, momentum 0.9", ylabel="length of update t",
       xlabel="update number t (0-based, as the schedule sees it)")
ax.legend()
plt.show()

# %%
# NBVAL_CHECK_OUTPUT
print(f"distance travelled in the 39 updates after the drop: Keras form {sum(keras_steps[31:]):.2f}, "
      f"PyTorch form {sum(torch_steps[31:]):.2f}")

# %% [markdown]
# (A detail worth knowing: a schedule is called with the number of updates done so far, starting at 0, and
# `PiecewiseConstantDecay` keeps the old value *at* the boundary: updates 0 to 30 use 0.1, and update 31,
# the 32nd, is the first with 0.01.)
#
# The two forms agree step for step until the drop. Then the PyTorch form's step shrinks tenfold at once,
# while the Keras form coasts on its old velocity, whose extra length fades like $0.9^k$: in the 39 updates
# after the drop it travels three times as far. Neither is wrong; they are two algorithms, and a schedule tuned
# for one is not automatically right for the other.
#
# The same holds for the real libraries. The course ships numbers produced by `torch.optim.SGD` (constant
# rate) and by Keras's SGD (with an exponentially decaying rate) on the same kind of inputs; we replay their
# gradients through our two forms.

# %%
def replay(case, step_rule):
    """Feed a stored case's gradients through step_rule; return max |ours - stored| over all steps."""
    params = [np.array(p) for p in case["params0"]]
    state = [np.zeros_like(p) for p in params]
    lr = case["learning_rate"]
    lr_at = opt.schedules.deserialize(lr) if isinstance(lr, dict) else (lambda t: lr)
    worst = 0.0
    for t, (grads, expected) in enumerate(zip(case["grads"], case["expected"])):
        for i, g in enumerate(grads):
            params[i], state[i] = step_rule(params[i], np.array(g), state[i], lr_at(t), case["kwargs"]["momentum"])
            worst = max(worst, np.max(np.abs(params[i] - np.array(expected[i]))))
    return worst

# %%
# NBVAL_CHECK_OUTPUT
cases = {c["id"]: c for c in json.load(open("../tests/data/torch_reference.json"))["cases"]}
cases.update({c["id"]: c for c in json.load(open("../tests/data/keras_optimizers.json"))["cases"]})
stored = {"torch_sgd_momentum": "torch.optim.SGD, constant lr", "sgd_momentum_expdecay": "Keras SGD, decaying lr"}
for case_id, label in stored.items():
    for rule, form in [(momentum_step, "Keras form"), (pytorch_step, "PyTorch form")]:
        worst = replay(cases[case_id], rule)
        print(f"{label:30s} vs our {form:12s}: {'matches' if worst < 1e-12 else f'off by up to {worst:.3f}'}")

# %% [markdown]
# At a constant rate both forms reproduce PyTorch; under a decaying rate only the Keras form reproduces
# Keras. If you move a training recipe between frameworks, carry over the momentum convention with it.
#
# Nesterov has the same split: Keras's `p += mu*v - lr*g` and PyTorch's `p -= lr*(g + mu*b)` agree at a
# constant rate and differ under a schedule, and both are Sutskever's look-ahead method rewritten, as shown
# in section 5.

# %% [markdown]
# ## 7. When to use SGD (with momentum)
#
# The article recommends SGD when data is large, when you need stable generalisation, for CNNs on images,
# and when you prefer a classic, well-understood method. With some nuance:
#
# - **Large data**: every optimizer in this course works on mini-batches, so data size alone does not decide.
#   What SGD does save is **memory**: momentum keeps one number per weight, Adam keeps two (measured below).
#   For a model with billions of weights that difference is gigabytes.
# - **Generalisation**: many image-classification results (ResNets, for example) were obtained with SGD,
#   momentum 0.9 and a step-decay schedule, and some studies found it generalises better than adaptive methods
#   there. It is an observation about particular tasks and tuning budgets, not a law; lesson 08 tests it on
#   our digits with several seeds and a fair learning-rate search.
# - **Well understood**: yes. On a quadratic we can predict its stability limits and speed exactly, as this
#   lesson did. But it has to be tuned: the learning rate (and usually a schedule) matters more than for
#   adaptive methods, and plain SGD *without* momentum is rarely the right choice (lesson 11).

# %%
from optimizers.models import MLP

model = MLP([64, 32, 10], seed=0)  # the digit classifier of lesson 04
rng = np.random.default_rng(0)
_, grads = model.loss_and_grads(rng.random((8, 64)), np.arange(8))  # any batch: we only need the shapes
for o in (opt.SGD(0.1), opt.SGD(0.1, momentum=0.9), opt.Adam()):
    o.apply(grads, [p.copy() for p in model.params])  # one step creates the optimizer's state
    stored = sum(slot.size for slots in o.state for slot in slots.values())
    print(f"{style.optimizer_label(o):22s} keeps {stored:5d} extra numbers for {model.n_params} weights")

# %% [markdown]
# ## Recap
#
# - In a narrow valley, plain SGD's learning rate is capped by the steepest direction ($\eta < 2/\lambda_{\max}$),
#   so the flat directions crawl: the number of steps grows with the condition number.
# - Momentum, $v \leftarrow \mu v - \eta g$, $p \leftarrow p + v$, speeds up consistent directions (up to
#   $1/(1-\mu)$ times) and damps oscillating ones; on our ravine it settles in about 90 steps instead of 170.
# - Nesterov takes the gradient at the look-ahead point; Keras stores that point as the parameters, so its
#   rule reads $p \leftarrow p + \mu v - \eta g$. It overshoots less, but tolerates only smaller learning rates.
# - Keras's velocity includes the learning rate, PyTorch's buffer does not, and the averaged form scales the
#   gradient by $1-\mu$: identical paths at a constant rate (after rescaling), different ones under a schedule.
# - SGD with momentum is memory-light and well understood, but needs its learning rate and schedule tuned.
#
# ## Your turn
#
# Open the exercise [`../exercises/03_momentum.ipynb`](../exercises/03_momentum.ipynb): you will implement
# momentum and Nesterov yourself, and the checks will catch the usual slips (the sign, a velocity that is not
# kept between calls, the Nesterov step using the old velocity).
#
# **Next:** [Lesson 06: RMSprop](06_rmsprop.ipynb), which gives every parameter its own step size.
