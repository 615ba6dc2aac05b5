# %% [markdown]
# # Lesson 06: RMSprop
#
# One learning rate cannot suit weights whose gradients differ a hundredfold; RMSprop gives each weight its
# own step size.
#
# **You will be able to:**
#
# - explain why plain gradient descent fails on a badly scaled problem, and measure it;
# - write RMSprop's update as math and as code, and check it against `opt.RMSprop`;
# - predict RMSprop's step size (about the learning rate, whatever the gradient's scale) and its side effects:
#   large first steps and bouncing near the minimum at a constant learning rate;
# - choose `rho` knowing what it remembers, and read `epsilon` the Keras way and the PyTorch way;
# - say what the momentum and centered variants change, and where RMSprop shines.
#
# **Article sections:** 7 (7.1 to 7.3) · **Study time:** about 30 minutes

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np

import optimizers as opt
from optimizers.landscapes import ravine
from optimizers.models import LinearRegression
from optimizers.training import fit
from optimizers.widgets import style

# %% [markdown]
# ## 1. A badly scaled problem
#
# Suppose we predict a quantity from two measurements, one recorded in metres and the other in centimetres,
# so the numbers in the second column are about 100 times larger. The true relation is
# $y = 2\,x_1 - 0.03\,x_2 + 0.5$ plus a little noise. Both features matter about equally for the prediction;
# only their units differ.

# %%
rng = np.random.default_rng(0)
n = 200
X = rng.normal(size=(n, 2)) * [1.0, 100.0]  # column 0 in metres, column 1 in centimetres
y = X @ np.array([2.0, -0.03]) + 0.5 + 0.1 * rng.normal(size=n)

design = np.column_stack([X, np.ones(n)])  # the best fit, by least squares, for reference
best_fit = np.linalg.lstsq(design, y, rcond=None)[0]
L_star = 0.5 * np.mean((design @ best_fit - y) ** 2)
curvatures = np.linalg.eigvalsh(design.T @ design / n)  # eigenvalues of the loss's Hessian
print(f"curvatures of the loss: {np.round(curvatures, 2)}; condition number {curvatures[-1] / curvatures[0]:,.0f}")

# %% [markdown]
# The loss is a quadratic bowl, but a very stretched one: the curvature along the centimetre weight is about
# 10,000 times the curvature along the others. From lesson 05 you know what that does to gradient descent:
# the learning rate must stay below $2/\lambda_{\max} \approx 2 \times 10^{-4}$, and at that rate the other
# weights crawl. Let us try three rates, one just above the limit.

# %%
def train(optimizer, epochs=500):
    """Full-batch training of a fresh model; returns (model, history)."""
    model = LinearRegression(2, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a diverging run is reported in history.message
        history = fit(model, optimizer, X, y, batch_size=None, epochs=epochs, progress=False)
    return model, history

gd_runs = {lr: train(opt.SGD(learning_rate=lr)) for lr in (1e-4, 1.9e-4, 2.1e-4)}

# %%
# NBVAL_CHECK_OUTPUT
print(f"best fit:             w = {best_fit[0]:.3f}, {best_fit[1]:.4f};  b = {best_fit[2]:.3f}")
for lr, (model, history) in gd_runs.items():
    blown_up = np.flatnonzero(~(history.loss < 1000 * history.loss[0]))  # also catches inf and NaN
    if blown_up.size:
        print(f"SGD lr = {lr:.1e}: diverges, the loss passes 1000 x its start at update {blown_up[0]}")
    else:
        w, b = model.params
        print(f"SGD lr = {lr:.1e}: w = {w[0]:.3f}, {w[1]:.4f};  b = {b[0]:.3f}   (after 500 updates)")

# %% [markdown]
# After 500 full-batch updates, gradient descent has found the centimetre weight ($-0.03$), but it has moved
# the metre weight only from 0 to 0.17 (the target is 2) and the bias barely at all. A slightly larger
# learning rate, $2.1 \times 10^{-4}$, already diverges. **One learning rate for all weights has to suit the
# steepest one.**
#
# For input features there is a simple fix: standardise them (subtract the mean, divide by the standard
# deviation) before training. Do that whenever you can! But inside a deep network, the gradients of
# different layers and units also differ by orders of magnitude, and they drift during training. No data
# preprocessing reaches them. That is the job of per-parameter step sizes.

# %% [markdown]
# ## 2. The idea: divide by each weight's typical gradient
#
# If a weight's gradients are typically 100 times larger, take steps 100 times smaller for it. RMSprop
# (Hinton, 2012, in a lecture of his Coursera course) measures "typical" as the **root mean square** of the
# weight's recent gradients, a moving average of squared gradients:
#
# $$v_t = \rho\, v_{t-1} + (1 - \rho)\, g_t^2, \qquad p_t = p_{t-1} - \eta\, \frac{g_t}{\sqrt{v_t + \epsilon}}, \qquad v_0 = 0.$$
#
# Everything is elementwise: every weight has its own $v$. Keras's defaults are $\eta = 0.001$,
# $\rho = 0.9$ and $\epsilon = 10^{-7}$. As code:

# %%
def rmsprop_step(p, g, v, lr, rho=0.9, epsilon=1e-7):
    """One RMSprop step (Keras's form). Returns the new (p, v)."""
    v = rho * v + (1 - rho) * g**2        # running mean of squared gradients, per weight
    p = p - lr * g / np.sqrt(v + epsilon)  # divide by their root: a step of about lr
    return p, v

p, v = ravine.default_start.copy(), np.zeros(2)
path = [p]
for _ in range(100):
    p, v = rmsprop_step(p, ravine.grad(p), v, lr=0.05)
    path.append(p)

# %%
# NBVAL_CHECK_OUTPUT
library = opt.run(opt.RMSprop(learning_rate=0.05), ravine, steps=100)
gap = np.max(np.abs(np.array(path) - library.points))
print("largest difference from opt.RMSprop:", "below 1e-12" if gap < 1e-12 else f"{gap:.2e}")

# %% [markdown]
# **The step is about $\eta$, whatever the gradient's size.** If a weight's gradient is steady, $g_t = g$,
# then $v_t \to g^2$ and the step tends to $\eta\, g/|g| = \eta \cdot \mathrm{sign}(g)$. Multiply the loss by
# 1,000 and every gradient grows 1,000-fold, but so does its root mean square: RMSprop takes the same path,
# up to a tiny difference caused by $\epsilon$. (Plain gradient descent would take 1,000 times longer steps,
# and diverge.)

# %%
def walk(optimizer, loss_scale, steps=100):
    """Path of `optimizer` on loss_scale * ravine, using the library's apply()."""
    p = ravine.default_start.copy()
    path = [p.copy()]
    for _ in range(steps):
        optimizer.apply(loss_scale * ravine.grad(p), p)  # updates p in place
        path.append(p.copy())
    return np.array(path)

# %%
# NBVAL_CHECK_OUTPUT
gap = np.max(np.abs(walk(opt.RMSprop(0.05), 1.0) - walk(opt.RMSprop(0.05), 1000.0)))
print("RMSprop on the loss and on 1000 x the loss: paths differ by",
      "less than 1e-5" if gap < 1e-5 else f"{gap:.1e}")

# %% [markdown]
# On the ravine this changes the shape of the path. Gradient descent follows the steep walls; RMSprop moves
# both coordinates at about the same speed at first, so it heads diagonally for the valley floor and then
# along it.

# %%
X_mesh, Y_mesh, Z_mesh = ravine.mesh(200)
fig, ax = plt.subplots(figsize=(9, 3.6))
ax.contour(X_mesh, Y_mesh, Z_mesh, levels=np.geomspace(0.02, 60, 12), cmap=style.CONTOUR_CMAP, linewidths=0.8)
for o in (opt.SGD(0.1), opt.RMSprop(0.1)):
    points = opt.run(o, ravine, steps=60).points
    key = style.style_key(o)
    ax.plot(*points.T, ".-", lw=1, ms=4, color=style.color_of(key), label=f"{style.optimizer_label(o)}, 60 steps")
ax.plot(*ravine.minima[0], "*", color="black", ms=12, label="minimum")
ax.set(title="Ravine: one global step size vs per-coordinate step sizes", xlabel="x (gentle floor)",
       ylabel="y (steep walls)", aspect="equal")
ax.legend(loc="upper right", fontsize=8)
plt.show()

# %% [markdown]
# ## 3. RMSprop on the badly scaled regression
#
# Back to metres and centimetres. RMSprop with its learning rate 0.01, the same code, no preprocessing:

# %%
rms_model, rms_history = train(opt.RMSprop(learning_rate=0.01))
cosine_model, cosine_history = train(opt.RMSprop(learning_rate=opt.CosineDecay(0.02, decay_steps=500)))

fig, ax = plt.subplots(figsize=(8, 3.6))
curves = [(gd_runs[1.9e-4][1], "SGD, lr 1.9e-4 (the best it can do)", style.color_of("SGD"), "-"),
          (rms_history, "RMSprop, lr 0.01", style.color_of("RMSprop"), "-"),
          (cosine_history, "RMSprop, lr 0.02 with cosine decay", style.color_of("RMSprop"), "--")]
for history, label, color, ls in curves:
    excess = np.maximum(np.array(history.epoch_train_loss) - L_star, 1e-12)  # round-off can dip below 0
    ax.semilogy(np.arange(1, 501), excess, color=color, ls=ls, label=label)
ax.set(title="Badly scaled linear regression (full batch)", xlabel="update",
       ylabel="loss above the best, $L - L^*$", ylim=(1e-6, 30))
ax.legend()
plt.show()

# %%
# NBVAL_CHECK_OUTPUT
for name, (model, history) in {"RMSprop, lr 0.01": (rms_model, rms_history),
                               "RMSprop, cosine decay": (cosine_model, cosine_history)}.items():
    w, b = model.params
    excess = max(history.epoch_train_loss[-1] - L_star, 0.0)  # round-off can dip a hair below 0
    print(f"{name:22s}: w = {w[0]:.3f}, {w[1]:.4f};  b = {b[0]:.3f};  L - L* = {excess:.4f}")

# %% [markdown]
# RMSprop finds the metre weight and the bias within a few hundred updates, where gradient descent was
# hopeless. But look at the solid green curve: with a constant learning rate it **stops improving** at about
# 0.13 above the best loss. That is the flip side of "the step is about $\eta$ whatever the gradient". Near
# the minimum the gradients shrink, but so does their root mean square, so the steps do **not** shrink. The
# steep centimetre weight keeps jumping back and forth across its optimum by about $\eta$, which costs
# roughly $\lambda_{\max}\,\eta^2/8 \approx 10^4 \times 0.01^2 / 8 \approx 0.13$ of loss.
#
# The cure is to let the learning rate decay (the dashed curve: a cosine schedule, lesson 10), or to use a
# smaller one. "Adaptive" adapts to the *scale* of the gradients, not to the distance from the minimum.

# %% [markdown]
# ## 4. Try it: a race on the ravine
#
# The race runs gradient descent, momentum and RMSprop on the ravine, each with a learning rate tuned for
# it, and the step slider (or the play button) replays the runs. Watch the RMSprop path head diagonally for
# the floor, and its loss curve: a fast descent, then a jump and a hover around $10^{-2}$, the bouncing of
# section 3. Then switch the landscape to `rosenbrock` (a curved valley whose steepness changes along the
# way) or add Adam to the list of optimizers, a preview of the next lesson.

# %%
# NBVAL_IGNORE_OUTPUT
from optimizers import widgets

app = widgets.optimizer_race("ravine", ["GD", "Momentum", "RMSprop"], steps=200)
app

# %%
import re

for step in (50, 100, 200):
    app.controls["step"].value = step
    print(re.sub("<[^>]+>", "", app.message.value))  # the app's summary line, without its HTML tags

# %% [markdown]
# ## 5. `rho`: how long RMSprop remembers
#
# $v_t$ is an exponential moving average: a gradient from $k$ steps ago still counts with weight
# $(1-\rho)\rho^k$, so the average covers about the last $1/(1-\rho)$ steps: 10 for Keras's default 0.9, 100 for
# PyTorch's default 0.99. This matters when the gradients change scale during training, for instance when the
# model leaves a steep region for a flat one, or when the data or the target drifts (the article's
# *non-stationary targets*).
#
# Here is such a change in a controlled form: a weight's gradient is 1 for 100 steps, then 0.01 from then
# on. We feed that sequence to the library's optimizers and record each step's size, relative to the
# learning rate. Adagrad (lesson 12), RMSprop's ancestor, is the same idea with $\rho = 1$: it sums all
# squared gradients and never forgets.

# %%
gradients = np.r_[np.ones(100), np.full(900, 0.01)]
contenders = {"SGD": opt.SGD(0.01), "RMSprop, rho 0.9": opt.RMSprop(0.01, rho=0.9),
              "RMSprop, rho 0.99": opt.RMSprop(0.01, rho=0.99), "Adagrad": opt.Adagrad(0.01)}
relative_steps = {}
for name, o in contenders.items():
    p, sizes = np.zeros(1), []
    for g in gradients:
        before = p.copy()
        o.apply(np.array([g]), p)
        sizes.append(abs(p - before)[0] / 0.01)  # step size in units of the learning rate
    relative_steps[name] = np.array(sizes)

# %%
fig, ax = plt.subplots(figsize=(9, 3.6))
colors = [style.color_of("SGD"), style.GREEN, style.SKY_BLUE, style.color_of("Adagrad")]
for color, (name, sizes) in zip(colors, relative_steps.items()):
    ax.semilogy(np.arange(1, 1001), sizes, color=color, label=name)
ax.axvline(100.5, color=style.GREY, ls=":", label="gradient drops from 1 to 0.01")
ax.set(title="Step size when the gradient suddenly shrinks 100-fold", xlabel="step",
       ylabel="|step| / learning rate (log scale)")
ax.legend(fontsize=8)
plt.show()

# %%
# NBVAL_CHECK_OUTPUT
for name, sizes in relative_steps.items():
    back = np.flatnonzero(sizes[100:] > 0.5)
    recovered = (f"back to half speed {back[0] + 1} steps after the drop" if back.size
                  else "never back to half speed")
    print(f"{name:18s}: first step {sizes[0]:6.3f} x lr; {recovered}")

# %% [markdown]
# Read the plot from left to right:
#
# - **The first steps are too large.** $v_1 = (1-\rho)\, g_1^2$ is only a fraction of $g_1^2$ because $v$
#   starts at 0, so the first step is $\eta/\sqrt{1-\rho}$: 3.2 times the learning rate for $\rho = 0.9$, 10
#   times for 0.99. Adam (lesson 07) removes this start-up bias with its *bias correction*.
# - **After the drop**, SGD's steps shrink 100-fold for good: its step is proportional to the gradient.
#   RMSprop's steps shrink too, but only until its average has forgotten the large gradients: about 80 steps
#   with $\rho = 0.9$, ten times longer with 0.99. Adagrad never forgets, so its steps stay tiny for ever.
#
# That forgetting is why RMSprop works well when conditions change during training: it keeps adapting,
# where Adagrad's steps only ever shrink. A larger $\rho$ gives a smoother estimate but reacts more slowly.

# %% [markdown]
# ## 6. `epsilon`: inside or outside the root?
#
# $\epsilon$ prevents a division by zero for weights whose gradients are (nearly) zero. Libraries put it in
# different places:
#
# - **Keras** (and this course): $\;p \leftarrow p - \eta\, g / \sqrt{v + \epsilon}$, with $\epsilon = 10^{-7}$;
# - **PyTorch** (`torch.optim.RMSprop`): $\;p \leftarrow p - \eta\, g / (\sqrt{v} + \epsilon)$, with
#   $\epsilon = 10^{-8}$ (and $\rho = 0.99$, which PyTorch calls `alpha`).
#
# For a steady gradient $g$ ($v \approx g^2$) the step is $\eta\,|g|/\sqrt{g^2 + \epsilon}$ in Keras's form and
# $\eta\,|g|/(|g| + \epsilon)$ in PyTorch's. Inside the root, $10^{-7}$ acts like a gradient of size
# $\sqrt{10^{-7}} \approx 3 \times 10^{-4}$: for weights with gradients smaller than that, Keras's RMSprop
# quietly turns back into plain gradient descent with a learning rate of $\eta/\sqrt{\epsilon} \approx 3{,}000\,\eta$.

# %%
g = np.geomspace(1e-10, 1, 200)
fig, ax = plt.subplots(figsize=(8, 3.6))
ax.loglog(g, g / np.sqrt(g**2 + 1e-7), color=style.GREEN, label=r"Keras: $\epsilon = 10^{-7}$ inside the root")
ax.loglog(g, g / (g + 1e-8), color=style.VERMILLION, ls="--", label=r"PyTorch: $\epsilon = 10^{-8}$ outside")
ax.set(title="RMSprop's steady-state step for a constant gradient", xlabel="gradient size |g|",
       ylabel="|step| / learning rate")
ax.legend()
plt.show()

# %%
# NBVAL_CHECK_OUTPUT
p, rms = np.zeros(1), opt.RMSprop(learning_rate=1.0)
for _ in range(300):  # a steady gradient of 1e-5, long enough for v to forget its zero start
    before = p.copy()
    rms.apply(np.array([1e-5]), p)
print(f"gradient 1e-5: opt.RMSprop steps {abs(p - before)[0]:.4f} x lr; "
      f"Keras formula {1e-5 / np.sqrt(1e-10 + 1e-7):.4f}; PyTorch formula {1e-5 / (1e-5 + 1e-8):.4f}")

# %% [markdown]
# Whether this matters depends on the model: gradients of $10^{-4}$ and below are common for some weights
# of large networks. When you port a recipe between frameworks, port $\epsilon$ *and* its placement: Keras's
# $\epsilon = 10^{-7}$ inside the root behaves like PyTorch's $\epsilon \approx 3 \times 10^{-4}$ outside it
# for small gradients.

# %% [markdown]
# ## 7. Two variants: momentum and centered
#
# Keras's `RMSprop` has two options (so does PyTorch's):
#
# - **`momentum`**: accumulate the RMSprop steps in a velocity, as in lesson 05:
#   $m_t = \mu\, m_{t-1} + \eta\, g_t / \sqrt{v_t + \epsilon}$, $\;p_t = p_{t-1} - m_t$.
# - **`centered=True`** (Graves, 2013): also keep a moving average $\bar g_t$ of the gradients themselves and
#   divide by $\sqrt{v_t - \bar g_t^2 + \epsilon}$, an estimate of the gradient's *standard deviation* rather
#   than its root mean square. Where the gradient is consistent (small spread), the step grows; where it is
#   noisy, it shrinks.
#
# On our regression, with learning rates picked by hand:

# %%
# NBVAL_CHECK_OUTPUT
variants = {"RMSprop, lr 0.01": opt.RMSprop(0.01),
            "RMSprop + momentum 0.9, lr 0.002": opt.RMSprop(0.002, momentum=0.9),
            "RMSprop centered, lr 0.01": opt.RMSprop(0.01, centered=True)}
for name, o in variants.items():
    model, history = train(o)
    losses = np.array(history.epoch_train_loss) - L_star
    print(f"{name:33s}: L - L* after 100 updates {losses[99]:.4f}, after 500 {losses[-1]:.4f}")

# %% [markdown]
# Momentum smooths the bouncing of the steep weight (oscillating steps cancel in the velocity, lesson 05),
# so this run keeps improving where plain RMSprop stalls. The centered variant gets down faster while the
# gradients point consistently one way (a small spread means larger steps), then stalls at the same floor as
# plain RMSprop: near the minimum the gradient's mean is small compared with its spread, and the two
# denominators agree. Adam (next lesson) is, roughly,
# RMSprop with momentum done as a moving average, plus a bias correction.

# %% [markdown]
# ## 8. When RMSprop shines (and when not)
#
# The article lists four situations. With what we measured:
#
# - **Gradients vary widely** between weights: yes. RMSprop's step does not depend on the gradient's scale
#   (section 2), so weights with very different gradients all move.
# - **Non-stationary targets**, where what the model must fit changes during training (reinforcement learning
#   is the classic case): yes. It forgets old gradient scales within about $1/(1-\rho)$ steps (section 5).
# - **Sequences and recurrent networks**: there, gradient sizes vary strongly between weights and over
#   training, the two situations above; RMSprop was a common choice for RNNs before Adam.
# - **Fast convergence without extensive tuning**: partly. It removes the need to match one learning rate to
#   every weight's scale, but the learning rate still sets how close to the minimum it can settle (section 3),
#   so a schedule or a smaller rate is still needed for precise convergence.

# %% [markdown]
# ## Recap
#
# - With one learning rate for all weights, gradient descent must respect the steepest direction
#   ($\eta < 2/\lambda_{\max}$), and badly scaled weights then barely move.
# - RMSprop divides each weight's gradient by the root of its recent mean square:
#   $v \leftarrow \rho v + (1-\rho) g^2$, $\;p \leftarrow p - \eta\, g / \sqrt{v + \epsilon}$. Steps are
#   about $\eta$ whatever the gradient's scale.
# - Side effects: the first steps are $1/\sqrt{1-\rho}$ times too large (no bias correction), and at a
#   constant learning rate the weights keep bouncing about $\eta$ around the minimum, so decay the rate.
# - `rho` sets the memory, about $1/(1-\rho)$ steps (Keras 0.9, PyTorch 0.99); `epsilon` sits inside the root
#   in Keras ($10^{-7}$) and outside in PyTorch ($10^{-8}$), which changes the behaviour for small gradients.
# - Variants: `momentum` accumulates the steps; `centered` divides by the gradient's spread instead.
#
# ## Your turn
#
# Open the exercise [`../exercises/04_rmsprop.ipynb`](../exercises/04_rmsprop.ipynb): you will implement
# RMSprop, and the checks will catch the common slips (epsilon in the wrong place, a state that is not kept
# between calls, squaring the average instead of averaging the squares).
#
# **Next:** [Lesson 07: Adam](07_adam.ipynb), which combines momentum and RMSprop and fixes their start-up bias.
