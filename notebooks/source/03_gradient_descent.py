# %% [markdown]
# # Lesson 03: Gradients and gradient descent
#
# The gradient tells each weight which way is uphill and how steep it is; gradient descent
# steps the other way, and the learning rate decides whether that step helps or hurts.
#
# **You will be able to:**
#
# - explain a gradient as a set of slopes, one per weight, and read its sign;
# - compute a gradient numerically with central differences, and check a hand-derived
#   gradient against it with the relative error;
# - say in a paragraph what backpropagation does and why training needs it;
# - write the gradient-descent update as maths and as code, and show that `opt.SGD`
#   computes exactly the same numbers;
# - predict from the curvature whether a learning rate is too small, good, oscillating or
#   divergent;
# - name the weaknesses of plain gradient descent and the lesson that treats each one.
#
# **Article sections:** 3 · **Study time:** about 30 minutes

# %%
import time

import matplotlib.pyplot as plt
import numpy as np

import optimizers as opt
from optimizers import landscapes, widgets
from optimizers.gradcheck import numerical_gradient, relative_error
from optimizers.widgets.style import SEQUENCE, color_of

# %% [markdown]
# ## A slope, measured by nudging
#
# Back to the line fit of lesson 01: the model $\hat y = w x + b$ and its loss
# $L(w, b) = \frac{1}{2n}\sum_i (w x_i + b - y_i)^2$. Fix $b = -1$ and ask: if we nudge
# the slope $w$ by a small amount $h$, how much does the loss change, per unit of nudge?
# We try it at $w = 0.5$ (below the best slope, about 2.08) and at $w = 3.5$ (above it).

# %%
X, y = opt.data.regression_line(n=50, slope=2.0, intercept=-1.0, noise=0.3, seed=0)
x = X[:, 0]


def loss(w, b):
    """Half mean squared error of the line w * x + b."""
    return 0.5 * np.mean((w * x + b - y) ** 2)

# %%
b = -1.0
for w in (0.5, 3.5):
    slopes = [(loss(w + h, b) - loss(w, b)) / h for h in (1.0, 0.1, 0.01, 0.001)]
    exact = np.mean((w * x + b - y) * x)  # the derivative, derived below
    print(f"w = {w}: (change in loss) / h for h = 1, 0.1, 0.01, 0.001: "
          + ", ".join(f"{s:+.4f}" for s in slopes) + f"  ->  exact {exact:+.4f}")

# %% [markdown]
# As $h$ shrinks, the ratio settles on one number: the **derivative**
# $\partial L / \partial w$, the slope of the loss in the $w$ direction. Its sign is the
# useful part:
#
# - at $w = 0.5$ it is **negative**: increasing $w$ *lowers* the loss;
# - at $w = 3.5$ it is **positive**: increasing $w$ *raises* the loss, so we should decrease $w$.
#
# Either way, moving $w$ *against* the sign of the slope goes downhill. Its size says how
# steep the ground is.
#
# For this loss the derivative can be worked out by hand with the chain rule. With the
# residuals $r_i = w x_i + b - y_i$, the loss is $\frac{1}{2n}\sum_i r_i^2$, and
# $\partial r_i/\partial w = x_i$, $\partial r_i / \partial b = 1$, so
#
# $$\frac{\partial L}{\partial w} = \frac1n \sum_i r_i\, x_i, \qquad
# \frac{\partial L}{\partial b} = \frac1n \sum_i r_i .$$
#
# (The $\tfrac12$ in the loss is there to cancel the 2 from differentiating the square.)
#
# ## The gradient: one slope per weight
#
# A model with many weights has one such slope per weight. Stacked into a vector they form
# the **gradient**, $\nabla L = (\partial L/\partial w,\ \partial L/\partial b, \dots)$.
# Two facts make it the optimizer's compass:
#
# - it points in the direction in which the loss rises **fastest**, and its length is that
#   steepest rate of rise; so $-\nabla L$ is the direction of steepest *descent*;
# - it is perpendicular to the contour lines of the landscape.
#
# "Steepest" is local, though. In the widget below, the grey arrows show $-\nabla L$ across
# the `ravine` landscape of lesson 02. Notice that they point mostly *across* the valley,
# not along it towards the minimum: the steepest way down is not the shortest way to the
# bottom. Move the start point and the learning rate to see the first steps of gradient
# descent, and, on the right, how the loss after a single step depends on the step size.

# %%
# NBVAL_IGNORE_OUTPUT
arrows = widgets.gradient_arrows("ravine")
arrows

# %% [markdown]
# ## Numerical gradients: the check for every hand-derived gradient
#
# The nudging experiment is a method in its own right. For each weight $\theta_i$,
#
# $$\text{forward difference:}\quad \frac{L(\theta + h e_i) - L(\theta)}{h}, \qquad
# \text{central difference:}\quad \frac{L(\theta + h e_i) - L(\theta - h e_i)}{2h},$$
#
# where $e_i$ is the unit vector along weight $i$. A Taylor expansion shows the forward
# difference is off by a term proportional to $h$, while in the central one the $h$ terms
# cancel and the error is proportional to $h^2$. So: make $h$ tiny? Not quite, because
# computers round. Subtracting two nearly equal losses loses digits, and that round-off
# error grows like $\varepsilon / h$ ($\varepsilon \approx 2\times10^{-16}$ in float64).
# Let's measure both errors on Rosenbrock's function at its usual start $(-1.2, 1)$, where
# the exact gradient is known from the formula.

# %%
rosenbrock = landscapes.rosenbrock
point = np.array([-1.2, 1.0])
exact = rosenbrock.grad(point)[0]  # d/dx, from the analytic formula
hs = np.logspace(-14, -1, 53)
step = hs[:, None] * np.array([1.0, 0.0])  # one nudge along x per h, all at once
forward = (rosenbrock(point + step) - rosenbrock(point)) / hs
central = (rosenbrock(point + step) - rosenbrock(point - step)) / (2 * hs)
errors = {"forward": np.abs(forward - exact) / abs(exact), "central": np.abs(central - exact) / abs(exact)}

# %%
for name, error in errors.items():
    best = error.argmin()
    print(f"{name:8s} difference: smallest relative error {error[best]:.0e}, at h = {hs[best]:.0e}")

# %%
fig, ax = plt.subplots(figsize=(7, 3.8), layout="constrained")
for (name, error), colour in zip(errors.items(), SEQUENCE):
    ax.loglog(hs, np.maximum(error, 1e-16), "o-", markersize=3, color=colour, label=f"{name} difference")
round_off = np.finfo(float).eps * abs(rosenbrock(point)) / (hs * abs(exact))  # lost digits, relative to L'
ax.loglog(hs, round_off, ":", color="grey", label="round-off estimate, $\\varepsilon L / (h L')$")
ax.set(title="Numerical derivative of Rosenbrock: error against step h", xlabel="step h",
       ylabel="relative error", ylim=(1e-13, 10))
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# Read the plot from the right: the error first falls as $h$ shrinks (slope 1 for forward,
# slope 2 for central, the Taylor terms), then rises again once round-off dominates, and
# for very small $h$ the answer is garbage. The central difference gets about 100 times
# closer at its best, and its best $h$ (around $10^{-6}$) is less fragile than the forward
# difference's (around $10^{-8}$). That is why gradient checks use central differences with
# $h \approx 10^{-6}$, as `opt.gradcheck` does.
#
# ### Relative error: how to compare two gradients
#
# To compare a hand-derived gradient $a$ with a numerical one $b$ we use a scale-free
# measure, entry by entry, and report the worst entry:
#
# $$\text{rel}(a, b) = \max_i \frac{|a_i - b_i|}{\max(|a_i| + |b_i|,\ \text{tiny})}.$$
#
# A rough guide in float64 with $h = 10^{-6}$: around $10^{-7}$ or below, the gradient is
# right; around $10^{-4}$, something is suspicious; above $10^{-2}$, it is wrong. The course's
# models compute their gradients by hand (next section), and `opt.gradcheck.gradcheck`
# compares them with central differences. Here is the check on all three models, each on a
# small random batch.

# %%
rng = np.random.default_rng(0)
batch, values, labels = rng.normal(size=(20, 4)), rng.normal(size=20), rng.integers(0, 3, size=20)
checks = {
    "LinearRegression": (opt.models.LinearRegression(4), values),
    "LogisticRegression (3 classes)": (opt.models.LogisticRegression(4, n_classes=3), labels),
    "MLP 4-16-16-3, tanh": (opt.models.MLP([4, 16, 16, 3], activation="tanh", seed=0), labels),
}
for name, (model, targets) in checks.items():
    error = opt.gradcheck.gradcheck(model, batch, targets)
    verdict = "right" if error < 1e-6 else "suspicious" if error < 1e-2 else "wrong"
    print(f"{name:30s} relative error {error:.1e}: {verdict}")

# %% [markdown]
# All three are right. The network's error is the largest because its worst entry is a
# small number, for which round-off weighs more; with `h=1e-5` it drops several-fold
# (try it: `opt.gradcheck.gradcheck(model, batch, labels, h=1e-5)`). Networks with many small gradient entries often land near $10^{-7}$ to
# $10^{-6}$ for that reason alone.
#
# And here is what mistakes look like. Two classic bugs in the line fit's gradient:
# forgetting the $\frac1n$ (a sum instead of a mean) and flipping the sign.

# %%
# NBVAL_CHECK_OUTPUT
model = opt.models.LinearRegression(1, seed=0)
_, (grad_w, grad_b) = model.loss_and_grads(X, y)
numeric_w = numerical_gradient(lambda _: model.loss(X, y), model.params[0])
print(f"correct gradient:     relative error below 1e-7? {relative_error(grad_w, numeric_w) < 1e-7}")
print(f"forgot the 1/n:       relative error {relative_error(len(y) * grad_w, numeric_w):.3f}")
print(f"wrong sign:           relative error {relative_error(-grad_w, numeric_w):.3f}")

# %% [markdown]
# Forgetting the $\frac1n$ makes every entry $n$ times too large, so the relative error is
# $(n-1)/(n+1) = 49/51 \approx 0.961$; a sign error gives exactly 1. Both are far above the
# $10^{-2}$ alarm line. (The exercise's checks look for exactly these mistakes.)
#
# ## Backpropagation, in one paragraph
#
# A numerical gradient costs two loss evaluations *per weight*: for a network with a million
# weights, two million forward passes for a single step. **Backpropagation** gets the exact
# gradient for about the price of two or three forward passes, whatever the number of
# weights. It is the chain rule applied in a clever order: the forward pass stores each
# layer's intermediate results; then, starting from the loss, the backward pass computes
# how the loss changes with each layer's output, and turns that into the gradients of the
# layer's weights and of the layer's input, one layer at a time, reusing the previous
# layer's result instead of recomputing it. The models in `optimizers/models.py` do this
# by hand in `loss_and_grads` (the `MLP` backward pass is a short loop over layers), and
# the check above confirms they are right. Deep-learning frameworks do the same thing
# automatically ("autodiff"). How much faster is it?

# %%
# NBVAL_IGNORE_OUTPUT
net = opt.models.MLP([64, 32, 10], seed=0)
inputs, digits = rng.normal(size=(100, 64)), rng.integers(0, 10, size=100)
net.loss_and_grads(inputs, digits)  # a first call to warm up, not timed
start = time.perf_counter()
net.loss_and_grads(inputs, digits)
backprop = time.perf_counter() - start
start = time.perf_counter()
some = net.params[0][:2]  # a view of 64 entries of W1: timing all 2,410 weights takes too long
numerical_gradient(lambda _: net.loss(inputs, digits), some)
numeric = (time.perf_counter() - start) * net.n_params / some.size  # scaled up to all the weights
print(f"{net.n_params} weights: numerical about {numeric:.2f} s, backprop {backprop * 1e3:.2f} ms, "
      f"roughly {numeric / backprop:,.0f} times faster")

# %% [markdown]
# (Your numbers will differ; the ratio grows in proportion to the number of weights.)
#
# ## Gradient descent
#
# With a gradient in hand, the update of lesson 01 is
#
# $$\theta_{t+1} = \theta_t - \eta\, \nabla L(\theta_t),$$
#
# where $\theta$ holds all the weights, $t$ counts the steps and $\eta$ (eta) is the
# **learning rate**. In code, on any landscape of the course:

# %%
def gradient_descent(landscape, start, learning_rate, steps):
    """Plain gradient descent; returns the path, start included, shape (steps + 1, 2)."""
    theta = np.array(start, dtype=float)
    path = [theta]
    for _ in range(steps):
        theta = theta - learning_rate * landscape.grad(theta)  # the whole algorithm
        path.append(theta)
    return np.array(path)

# %% [markdown]
# The library's `opt.SGD` with its default `momentum=0` is exactly this rule, and
# `opt.run` drives any optimizer over a landscape and records the path. Same start, same
# learning rate, 500 steps on Rosenbrock:

# %%
# NBVAL_CHECK_OUTPUT
ours = gradient_descent(rosenbrock, rosenbrock.default_start, learning_rate=0.001, steps=500)
library = opt.run(opt.SGD(learning_rate=0.001), rosenbrock, steps=500)
print("identical paths, bit for bit:", np.array_equal(ours, library.points))
print(f"loss: {library.losses[0]:.3f} at the start, {library.final_losses:.4f} after 500 steps")

# %% [markdown]
# ## Choosing the learning rate
#
# Gradient descent has one knob, and it matters more than anything else. Take the simplest
# landscape with one weight, $L(w) = \tfrac{a}{2} w^2$, whose curvature (second derivative)
# is $a$. Its gradient is $a w$, so one step gives
#
# $$w_{t+1} = w_t - \eta\, a\, w_t = (1 - \eta a)\, w_t .$$
#
# Every step multiplies the distance to the minimum by the same factor $1 - \eta a$, and
# that factor tells the whole story:
#
# | learning rate | factor $1 - \eta a$ | what happens |
# |---|---|---|
# | $0 < \eta < 1/a$ | between 0 and 1 | creeps towards the minimum from one side; *too small* when $\eta \ll 1/a$ |
# | $\eta = 1/a$ | 0 | lands on the minimum in one step |
# | $1/a < \eta < 2/a$ | between -1 and 0 | jumps across the minimum each step and *oscillates*, but still converges |
# | $\eta > 2/a$ | below -1 | every jump lands further out: *divergence* |
#
# The bowl $x^2 + y^2$ has curvature $a = 2$ in every direction, so the limits are
# $\eta = 0.5$ (one step) and $\eta = 1$ (divergence). The loss shrinks by $(1 - 2\eta)^2$
# per step, so from the start loss $L_0$ we can *predict* how many steps it takes to get
# below a target: the smallest $k$ with $L_0 (1 - 2\eta)^{2k} \le$ target. Let's test the
# prediction on four learning rates, run together in one `opt.sweep` call.

# %%
bowl = landscapes.bowl
rates = [0.02, 0.3, 0.85, 1.05]
sweep = opt.sweep(opt.SGD(), rates, bowl, steps=200)  # one run per learning rate
L0, target = float(bowl(bowl.default_start)), 1e-4

# %%
# NBVAL_CHECK_OUTPUT
reached = sweep.steps_to_reach(target)
for i, lr in enumerate(rates):
    factor = abs(1 - 2 * lr)  # per step, on the distance to the minimum
    predicted = "never" if factor >= 1 else f"step {np.ceil(np.log(L0 / target) / (-2 * np.log(factor))):.0f}"
    if sweep.diverged[i]:
        outcome = f"diverged, left the picture at step {sweep.diverged_at[i]}"
    else:
        outcome = f"reached loss 1e-4 at step {reached[i]}"
    print(f"lr = {lr:4}: predicted {predicted:>8}; measured: {outcome}")

# %%
fig, ax = plt.subplots(figsize=(8, 3.6), layout="constrained")
labels = ["too small", "good", "too large: oscillates", "divergent"]
for i, (lr, label) in enumerate(zip(rates, labels)):
    end = sweep.diverged_at[i] if sweep.diverged[i] else 31
    ax.plot(np.arange(end), sweep.points[:end, i, 0], "o-", markersize=3, color=SEQUENCE[i],
            label=f"lr = {lr} ({label})")
ax.axhline(0, color="grey", linewidth=0.8)
ax.set(title="Gradient descent on the bowl: the x coordinate, step by step", xlabel="step",
       ylabel="x (the minimum is at 0)", xlim=(0, 30), ylim=(-8, 8))
ax.legend(fontsize=8, ncol=2, loc="lower right")
plt.show()

# %% [markdown]
# Measured and predicted step counts agree exactly. The picture shows the four behaviours:
# a slow creep (blue), a quick arrival (orange), a zig-zag across the minimum that slowly
# dies out (green), and a zig-zag that grows until the run leaves the picture (red).
#
# ### Many weights: the steepest direction sets the limit
#
# With many weights, every main axis of the Hessian (lesson 02) has its own curvature
# $\lambda_i$ and its own factor $1 - \eta\lambda_i$. One learning rate must serve them all:
#
# - stability needs $\eta < 2/\lambda_{\max}$, set by the **steepest** direction;
# - at that rate the **flattest** direction shrinks only by $1 - \eta\lambda_{\min} > 1 - 2\lambda_{\min}/\lambda_{\max}$
#   per step, which is close to 1 when the condition number $\lambda_{\max}/\lambda_{\min}$ is large.
#
# The `ravine` has curvatures 16 across and 0.2 along the valley (condition number 80): it
# diverges above $\eta = 2/16 = 0.125$, and even just below that limit the valley floor is
# covered at 2.5 % per step. Try it in the widget: the slider sets the learning rate, the
# faint curves are four reference rates.

# %%
# NBVAL_IGNORE_OUTPUT
pitfalls = widgets.lr_pitfalls("ravine")
pitfalls

# %% [markdown]
# The same four regimes, measured with `opt.sweep` (200 steps each), with the stability
# limit 0.125 between the last two rates:

# %%
# NBVAL_CHECK_OUTPUT
ravine_rates = [0.01, 0.1, 0.12, 0.13]
ravine = opt.sweep(opt.SGD(), ravine_rates, landscapes.ravine, steps=200)
for i, lr in enumerate(ravine_rates):
    across = abs(1 - 16 * lr)  # the factor per step across the valley
    if ravine.diverged[i]:
        verdict = f"diverged at step {ravine.diverged_at[i]}"
    else:
        verdict = f"final loss {ravine.final_losses[i]:.2e}"
    print(f"lr = {lr:4}: factor across the valley {across:.2f}, {verdict}")

# %% [markdown]
# Just below the limit (0.12) the run zig-zags across the valley for a long time, and yet it
# ends *lower* than 0.1: its steps along the flat floor are 20 % longer. On badly
# conditioned problems the best learning rate sits right next to the one that diverges,
# which is what makes plain gradient descent so touchy there.
#
# ## Why plain gradient descent is not enough
#
# The article lists the weaknesses of plain gradient descent. Each one can be *measured* on
# a landscape from lesson 02, and each is the reason for a later lesson:
#
# 1. **It can get stuck in local minima.** On Rastrigin it stops in the nearest pit.
#    (Lesson 02 showed that in many dimensions saddles are the more common obstacle.)
# 2. **It is slow in flat regions.** Steps are proportional to the gradient, so where the
#    ground is nearly flat (a plateau, or near a saddle point) it crawls.
# 3. **It struggles with noisy or sparse gradients.** Real gradients are estimated from a
#    few examples (lesson 04) and are noisy; with a fixed step the weights keep jittering
#    around the minimum. Sparse gradients (most entries zero most of the time, as for
#    rare words) need per-weight step sizes (lessons 06, 07 and 12).
# 4. **It overshoots if the learning rate is too high,** and
# 5. **it takes forever if the learning rate is too low**: both measured above, and worst
#    on badly conditioned problems such as the ravine.
#
# The cell below measures the first three.

# %%
stuck = opt.run(opt.SGD(learning_rate=0.002), landscapes.rastrigin, steps=500)
crawl = opt.run(opt.SGD(learning_rate=0.1), landscapes.plateau, steps=1000)
near_saddle = {y0: opt.run(opt.SGD(learning_rate=0.05), landscapes.saddle, [-1.5, y0], steps=1000)
               for y0 in (1e-3, 1e-6, 1e-9)}  # starts ever closer to the ridge line y = 0
noisy_bowl = landscapes.noisy(landscapes.bowl, sigma=2.0, seed=0)
jitter = opt.run(opt.SGD(learning_rate=0.1), noisy_bowl, steps=300)
careful = opt.run(opt.SGD(learning_rate=0.01), noisy_bowl, steps=300)

# %%
# NBVAL_CHECK_OUTPUT
x_end, y_end = stuck.final_points
on_bowl = opt.run(opt.SGD(learning_rate=0.1), bowl).steps_to_reach(0.5)
report = [f"1. local minimum: Rastrigin, final loss {stuck.final_losses:.2f} at ({x_end:.2f}, {y_end:.2f}); "
          "the global minimum is 0 at (0, 0)",
          f"2. plateau: {crawl.steps_to_reach(0.5)} steps to get the loss from {crawl.losses[0]:.3f} "
          f"below 0.5 (the same learning rate needs {on_bowl} on the bowl)"]
for y0, run in near_saddle.items():
    report.append(f"   saddle, starting {y0:.0e} off the ridge: {run.steps_to_reach(-1.0)} steps to get away "
                  "(loss below -1)")
for name, run in (("lr 0.1 ", jitter), ("lr 0.01", careful)):
    report.append(f"3. noisy gradients, {name}: mean loss over the last 100 steps "
                  f"{run.losses[-100:].mean():.3f}, first below 0.5 at step {run.steps_to_reach(0.5)}")
print("\n".join(report))

# %% [markdown]
# Reading the numbers:
#
# 1. Rastrigin: gradient descent settled in a pit near $(3, -3)$ with loss about 18.
# 2. The plateau costs about 400 steps for a drop the bowl makes in 7. Near a saddle, each
#    1000-fold smaller offset from the ridge costs the same extra number of steps (about 72
#    here): the run escapes eventually, but it lingers, and a tiny gradient looks just like
#    convergence on a loss curve.
# 3. With noisy gradients a large step arrives fast but keeps jittering at a loss around
#    0.2; a small step jitters less but arrives ten times later. Shrinking the step over
#    time (a schedule, lesson 10) gets both.
#
# The paths:

# %%
def draw_path(ax, landscape, path, title, window=None):
    """Contour lines of a landscape (over `window`, default its bounds) with one path on top."""
    (x0, x1), (y0, y1) = window or landscape.bounds
    X, Y = np.meshgrid(np.linspace(x0, x1, 120), np.linspace(y0, y1, 120))
    Z = landscape(np.stack([X, Y], axis=-1))
    ax.contour(X, Y, Z, levels=10, colors="grey", linewidths=0.6)
    ax.plot(path[:, 0], path[:, 1], ".-", color=color_of("GD"), markersize=2, linewidth=0.6,
            label="gradient descent")
    ax.plot(*path[0], "o", color=SEQUENCE[1], markersize=7, label="start")
    ax.set(title=title, xlabel="x", ylabel="y")

# %%
fig, axes = plt.subplots(1, 3, figsize=(12, 3.8), layout="constrained")
zoom = ((1.5, 4.5), (-4.5, -1.5))
draw_path(axes[0], landscapes.rastrigin, stuck.points, "Rastrigin (zoomed): stuck in a pit", zoom)
draw_path(axes[1], landscapes.plateau, crawl.points, "Plateau: 1000 steps")
draw_path(axes[2], landscapes.bowl, jitter.points, "Noisy bowl, lr 0.1: jitter")
axes[0].legend(fontsize=8, loc="lower left")
plt.show()

# %% [markdown]
# On the plateau the dots sit so close together that they merge into a thick line:
# hundreds of tiny steps across the flat table before the well is reached. That is the
# "slow in flat regions" weakness, seen directly.
#
# Where the course fixes each weakness:
#
# | weakness | remedy | lesson |
# |---|---|---|
# | zig-zag in narrow valleys, slow on flat floors | momentum | 05 |
# | one step size for weights with very different curvatures or gradient sizes | per-weight scaling (RMSprop, Adam) | 06, 07 |
# | noisy gradients | mini-batches, decaying learning rates | 04, 10 |
# | saddles, plateaus, cliffs, poor local minima | momentum, adaptive steps, clipping, noise | 09 |
# | choosing the learning rate | learning-rate range test, schedules | 10 |
#
# ## Recap
#
# - The gradient collects one slope per weight; $-\nabla L$ is the steepest way down
#   *locally*, which in a narrow valley is mostly across it, not along it.
# - Central differences, $(L(\theta + h e_i) - L(\theta - h e_i)) / 2h$ with
#   $h \approx 10^{-6}$, check hand-derived gradients; a relative error below $10^{-7}$
#   means right, above $10^{-2}$ means wrong.
# - Backpropagation computes the exact gradient for the cost of a few forward passes;
#   numerical gradients cost two per weight.
# - Gradient descent is $\theta \leftarrow \theta - \eta\,\nabla L(\theta)$; `opt.SGD()`
#   computes it bit for bit.
# - Along a direction of curvature $a$ each step multiplies the error by $1 - \eta a$:
#   creep below $1/a$, oscillate between $1/a$ and $2/a$, diverge above $2/a$. The steepest
#   direction sets the limit, so badly conditioned problems are slow.
#
# ## Your turn
#
# Open the exercise [`../exercises/01_gradient_descent.ipynb`](../exercises/01_gradient_descent.ipynb).
# You will write the gradient-descent update and a gradient yourself, and its checks give
# you instant feedback, including the bugs shown above. Before that, try predicting: on the
# bowl, how many steps does `learning_rate=0.45` need to reach a loss of $10^{-4}$? Check
# your answer with `opt.run`.
#
# **Next:** [Lesson 04: Batch, mini-batch, stochastic](04_batch_minibatch_stochastic.ipynb), where
# the gradient itself becomes an estimate.
