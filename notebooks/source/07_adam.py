# %% [markdown]
# # Lesson 07: Adam
#
# Adam keeps two running averages for every weight, one of the gradient and one of its square, and
# steps by their ratio: momentum's direction with RMSprop's per-weight scale, plus a correction for the
# averages' cold start.
#
# **You will be able to:**
#
# - explain the two "moments" Adam tracks as exponential moving averages, and what each one is for;
# - derive why a moving average started at zero is biased, $\mathbb{E}[m_t] = (1-\beta_1^t)\,\mathbb{E}[g]$,
#   and how dividing by $1-\beta_1^t$ removes the bias;
# - write Adam's update in five lines of NumPy and check it against `opt.Adam` to round-off;
# - predict the size of Adam's steps: about `lr` per weight at first, smaller when the gradient is noisy;
# - explain how `epsilon` caps Adam's step where gradients are tiny, and why Keras and PyTorch numbers differ;
# - say what AMSGrad changes.
#
# **Article sections:** 8 (8.1, 8.2, 8.3) · **Study time:** about 30 minutes

# %%
import json

import matplotlib.pyplot as plt
import numpy as np

import optimizers as opt
from optimizers import landscapes
from optimizers.widgets import style

# %% [markdown]
# ## 1. Two running averages of a noisy gradient
#
# Lessons 05 and 06 each fixed one weakness of plain gradient descent. **Momentum** averages recent
# gradients, so noise and zig-zags cancel and a consistent direction builds up speed. **RMSprop** divides
# each weight's step by the typical size of that weight's gradient, so steep and shallow directions move
# at comparable speeds. Adam does both at once. Both ingredients are the same tool: an *exponential moving
# average* (EMA), which after each new value $x_t$ updates
#
# $$a_t = \beta\, a_{t-1} + (1-\beta)\, x_t, \qquad a_0 = 0 .$$
#
# Let us watch two of them follow a noisy gradient before writing any of Adam. Below, one weight receives
# gradients with mean 0.5 and standard deviation 1 (a mini-batch gradient is like that: right on average,
# noisy each time). We average $g_t$ with $\beta_1 = 0.9$ and $g_t^2$ with $\beta_2 = 0.999$, Adam's defaults.

# %%
rng = np.random.default_rng(0)
T = 300
g = 0.5 + rng.standard_normal(T)   # E[g] = 0.5, E[g^2] = 0.5^2 + 1 = 1.25

m, v = np.zeros(T + 1), np.zeros(T + 1)   # m[0] = v[0] = 0: both averages start at zero
for t in range(1, T + 1):
    m[t] = 0.9 * m[t - 1] + 0.1 * g[t - 1]
    v[t] = 0.999 * v[t - 1] + 0.001 * g[t - 1] ** 2

# %%
steps = np.arange(1, T + 1)
fig, (ax_m, ax_v) = plt.subplots(1, 2, figsize=(10, 3.6))
ax_m.plot(steps, g, ".", ms=3, color=style.GREY, label="gradient $g_t$")
ax_m.plot(steps, m[1:], color=style.color_of("Momentum"), lw=2, label=r"$m_t$ (EMA of $g$, $\beta_1=0.9$)")
ax_m.axhline(0.5, color=style.BLACK, ls="--", lw=1, label=r"true mean $\mathbb{E}[g] = 0.5$")
ax_m.set(title="First moment: a smoothed gradient", xlabel="step t", ylabel="value", ylim=(-2.5, 3.5))
ax_v.plot(steps, v[1:], color=style.color_of("RMSprop"), lw=2, label=r"$v_t$ (EMA of $g^2$, $\beta_2=0.999$)")
ax_v.axhline(1.25, color=style.BLACK, ls="--", lw=1, label=r"true mean $\mathbb{E}[g^2] = 1.25$")
ax_v.set(title="Second moment: the typical squared size", xlabel="step t", ylabel="value", ylim=(0, 1.5))
for ax in (ax_m, ax_v):
    ax.legend(loc="upper right", fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown]
# Two things to notice:
#
# - $m_t$ (left) follows the mean of the gradient with much less jitter than the gradient itself: that is
#   momentum's direction. It needs about 20 steps to climb from its zero start.
# - $v_t$ (right) should settle near $\mathbb{E}[g^2] = 1.25$, the typical squared size of the gradient:
#   that is RMSprop's scale. But with $\beta_2 = 0.999$ it remembers about 1,000 steps, and after 300 steps
#   it has only reached about a quarter of its target. **Both averages are biased towards their zero start**,
#   and $v$ badly so. Adam's step divides by $\sqrt{v_t}$, so a $v_t$ that is far too small would make the
#   early steps far too large.

# %% [markdown]
# ## 2. Bias correction, derived
#
# Unroll the recursion. Each new value adds $(1-\beta)$ times the newest gradient and shrinks everything
# older by $\beta$, so
#
# $$m_t = (1-\beta_1)\sum_{i=1}^{t} \beta_1^{\,t-i}\, g_i .$$
#
# Suppose the gradients have a steady mean, $\mathbb{E}[g_i] = \mathbb{E}[g]$ for every $i$. Taking
# expectations and summing the geometric series $\sum_{k=0}^{t-1}\beta_1^k = (1-\beta_1^t)/(1-\beta_1)$:
#
# $$\mathbb{E}[m_t] = (1-\beta_1)\,\mathbb{E}[g]\sum_{k=0}^{t-1}\beta_1^{k} = (1-\beta_1^{\,t})\,\mathbb{E}[g].$$
#
# The weights $(1-\beta_1)\beta_1^{t-i}$ on the real gradients add up to only $1-\beta_1^t$; the missing
# $\beta_1^t$ is the weight still sitting on the made-up starting value $m_0 = 0$. The fix is to divide it
# out:
#
# $$\hat m_t = \frac{m_t}{1-\beta_1^{\,t}}, \qquad \hat v_t = \frac{v_t}{1-\beta_2^{\,t}}
# \qquad\Longrightarrow\qquad \mathbb{E}[\hat m_t] = \mathbb{E}[g],\quad \mathbb{E}[\hat v_t] = \mathbb{E}[g^2].$$
#
# The correction is large at first ($1/(1-0.9) = 10$ at $t = 1$, $1/(1 - 0.999) = 1000$ for $v$) and fades to
# 1 as $\beta^t \to 0$. Note that $t$ counts from 1 at the first update; starting it at 0 would divide by zero.
#
# A claim about an expected value can be checked by averaging over many runs. Here are 100,000 independent
# gradient streams like the one above, all updated at once (one vectorised update per step).

# %%
rng = np.random.default_rng(1)
runs, T_check, beta_1 = 100_000, 50, 0.9
m_runs = np.zeros(runs)
mean_m = np.empty(T_check)
for t in range(1, T_check + 1):
    m_runs = beta_1 * m_runs + (1 - beta_1) * (0.5 + rng.standard_normal(runs))
    mean_m[t - 1] = m_runs.mean()   # average of m_t over all the runs

# %%
# NBVAL_CHECK_OUTPUT
print("  t   mean of m_t   (1 - 0.9^t) * 0.5   mean of m_t / (1 - 0.9^t)")
for t in (1, 5, 20, 50):
    print(f"{t:3d}   {mean_m[t - 1]:11.4f}   {(1 - beta_1**t) * 0.5:17.4f}   {mean_m[t - 1] / (1 - beta_1**t):25.4f}")

# %% [markdown]
# The simulated averages follow $(1-\beta_1^t)\,\mathbb{E}[g]$, far below 0.5 at first, and after the correction
# every row sits at the true mean 0.5 from the very first step. (The small leftover differences are the
# simulation's own sampling error: a few thousandths with 100,000 runs.)
#
# ## 3. Try it: bias correction on and off
#
# The widget feeds one weight a gradient (a constant 1, or noisy with mean 1) and runs `opt.Adam` on it.
# Left and middle: the raw averages $m_t$, $v_t$ (dashed) and the corrected $\hat m_t$, $\hat v_t$ (orange).
# Right: the size of each step divided by the learning rate, for Adam and for a variant that skips the
# correction. Try:
#
# - the defaults ($\beta_1 = 0.9$, $\beta_2 = 0.999$): without the correction the first steps are several
#   times too large, because $v$ starts even further below its target than $m$;
# - $\beta_2 = 0.9$, the same as $\beta_1$: now the uncorrected steps start too *small*. Both averages are
#   biased by the same factor $1-\beta^t$, but the step divides by the *square root* of $v$, which undoes only
#   half of it, so $m$'s bias wins;
# - the noisy gradient: the corrected curves settle on the gradient's level at once, the raw ones creep up.

# %%
# NBVAL_IGNORE_OUTPUT
from optimizers import widgets

app = widgets.bias_correction()
app

# %% [markdown]
# For readers without a running kernel, here is the right panel read off the app at the default settings
# (constant gradient, so Adam's corrected step is exactly `lr` every time).

# %%
# NBVAL_CHECK_OUTPUT
with app.quiet():
    app.controls["beta_1"].value, app.controls["beta_2"].value = 0.9, 0.999
    app.controls["gradient"].value = "constant"
app.controls["steps"].value = 50
with_fix, without_fix = app.step_with.get_ydata(), app.step_without.get_ydata()
for t in (1, 10, 50):
    print(f"t = {t:2d}: step / lr = {with_fix[t - 1]:.3f} with correction, {without_fix[t - 1]:.3f} without")

# %% [markdown]
# At $t = 1$ the uncorrected step is $0.1 / \sqrt{0.001} \approx 3.2$ times `lr`; it grows to about 6.5 times
# `lr` around $t = 10$, as $m$ catches up while $\sqrt{v}$ still lags, and after 50 steps it is still 4.5 times
# too large. For a network that would be a burst of oversized steps right when the weights are most random.
# The correction costs almost nothing (one scalar factor per step, in the form Keras uses, section 4), so Adam
# always applies it.

# %% [markdown]
# ## 4. The update rule, in math and in code
#
# For every weight $w$ (all operations element by element), at step $t = 1, 2, \dots$ with gradient $g_t$:
#
# $$
# \begin{aligned}
# m_t &= \beta_1\, m_{t-1} + (1-\beta_1)\, g_t && \text{first moment: momentum's direction}\\
# v_t &= \beta_2\, v_{t-1} + (1-\beta_2)\, g_t^2 && \text{second moment: RMSprop's scale}\\
# \hat m_t &= m_t / (1-\beta_1^{\,t}), \quad \hat v_t = v_t / (1-\beta_2^{\,t}) && \text{bias corrections}\\
# w_t &= w_{t-1} - \eta\, \frac{\hat m_t}{\sqrt{\hat v_t} + \hat\epsilon} && \text{the step}
# \end{aligned}
# $$
#
# with Keras's defaults $\eta = 0.001$, $\beta_1 = 0.9$, $\beta_2 = 0.999$, $\epsilon = 10^{-7}$. The small
# $\hat\epsilon$ keeps the division safe when $\hat v_t$ is zero; in Keras it is
# $\hat\epsilon = \epsilon / \sqrt{1-\beta_2^t}$, for a reason section 6 explains. Here is the whole rule:

# %%
def adam_step(w, g, m, v, t, lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, torch_style=False):
    """One Adam update of the array w at step t (t = 1 first), in place; m and v are updated too."""
    m[:] = beta_1 * m + (1 - beta_1) * g          # running average of the gradient
    v[:] = beta_2 * v + (1 - beta_2) * g**2       # running average of its square
    m_hat, v_hat = m / (1 - beta_1**t), v / (1 - beta_2**t)   # undo the pull towards the zero start
    eps_hat = epsilon if torch_style else epsilon / np.sqrt(1 - beta_2**t)   # see section 6
    w -= lr * m_hat / (np.sqrt(v_hat) + eps_hat)

# %% [markdown]
# Keras, and the library's rule in [`optimizers/adam.py`](../optimizers/adam.py), write the same step in a
# rearranged form that folds both corrections into one step size (the "efficient version" in section 2 of the
# Adam paper):
#
# $$\alpha_t = \eta\,\frac{\sqrt{1-\beta_2^{\,t}}}{1-\beta_1^{\,t}}, \qquad
# w_t = w_{t-1} - \alpha_t\, \frac{m_t}{\sqrt{v_t} + \epsilon}.$$
#
# Multiply out and you get our last line, with $\hat\epsilon = \epsilon/\sqrt{1-\beta_2^t}$. Does our function
# agree with the library? We walk 500 steps down Rosenbrock's curved valley with both.

# %%
start, lr = np.array([-1.5, 2.0]), 0.1
w, m, v = start.copy(), np.zeros(2), np.zeros(2)
ours = [w.copy()]
for t in range(1, 501):
    adam_step(w, landscapes.rosenbrock.grad(w), m, v, t, lr=lr)
    ours.append(w.copy())
library = opt.run(opt.Adam(learning_rate=lr), landscapes.rosenbrock, start, steps=500)

# %%
# NBVAL_CHECK_OUTPUT
gap = np.max(np.abs(np.array(ours) - library.points))
print(f"largest difference along the 500-step path is below 1e-12: {gap < 1e-12}")
print(f"final point ({library.final_points[0]:.4f}, {library.final_points[1]:.4f}), "
      f"loss {library.final_losses:.2e} (minimum at (1, 1), loss 0)")

# %% [markdown]
# ## 5. How big is an Adam step?
#
# **The first step.** At $t = 1$ the corrected moments are exactly $\hat m_1 = g_1$ and $\hat v_1 = g_1^2$, so
# the step is $\eta\, g_1 / (|g_1| + \hat\epsilon) \approx \eta \cdot \mathrm{sign}(g_1)$: **every weight moves
# by about `lr`, whatever the size of its gradient.** Plain SGD moves each weight in proportion to its
# gradient instead. One step on five weights whose gradients span twelve orders of magnitude:

# %%
# NBVAL_CHECK_OUTPUT
g_first = np.array([1000.0, 1.0, 1e-3, -1e-6, 1e-9])
w_sgd, w_adam = np.zeros(5), np.zeros(5)
opt.SGD(learning_rate=0.01).apply(g_first, w_sgd)
opt.Adam(learning_rate=0.01).apply(g_first, w_adam)
print("gradient        " + "".join(f"{x:>10.0e}" for x in g_first))
print("SGD  step / lr  " + "".join(f"{x:>10.3g}" for x in -w_sgd / 0.01))
print("Adam step / lr  " + "".join(f"{x:>10.3g}" for x in -w_adam / 0.01))

# %% [markdown]
# Adam's first step is `lr` for the three larger gradients, with the right sign. For the two tiny ones it is
# smaller: there $|g|$ is not large against $\hat\epsilon \approx 3\times 10^{-6}$. Keep that in mind for
# section 6.
#
# **Later steps.** Once the averages have settled, $\hat m_t \approx \mathbb{E}[g]$ and
# $\sqrt{\hat v_t} \approx \sqrt{\mathbb{E}[g^2]} = \sqrt{\mathbb{E}[g]^2 + \mathrm{Var}[g]}$. So the step is roughly
#
# $$|\Delta w| \approx \eta\, \frac{|\mathbb{E}[g]|}{\sqrt{\mathbb{E}[g]^2 + \mathrm{Var}[g]}} \le \eta ,$$
#
# a signal-to-noise ratio. A weight whose gradient points the same way every time moves at full speed
# `lr`; a weight whose gradient is mostly noise (as near a minimum, where the mean gradient fades) takes
# small steps automatically. Four streams, one weight each, 2,000 Adam steps in one vectorised run:

# %%
# NBVAL_CHECK_OUTPUT
means, stds = np.array([1.0, 1.0, 1.0, 0.0]), np.array([0.0, 1.0, 3.0, 1.0])
rng, adam, w = np.random.default_rng(2), opt.Adam(learning_rate=0.01), np.zeros(4)
step_sizes = []
for t in range(2000):
    before = w.copy()
    adam.apply(means + stds * rng.standard_normal(4), w)
    step_sizes.append(np.abs(w - before) / 0.01)
late = np.mean(step_sizes[1000:], axis=0)          # average over the last 1,000 steps
predicted = np.abs(means) / np.sqrt(means**2 + stds**2)
for mu, sd, got, expect in zip(means, stds, late, predicted):
    print(f"gradient mean {mu:.0f}, std {sd:.0f}: step / lr = {got:.2f}   (signal-to-noise {expect:.2f})")

# %% [markdown]
# The first three rows follow the formula. The last, pure noise, still moves by about 0.2 `lr` a step:
# $\hat m_t$ averages only the last ~10 gradients, so it keeps a leftover of noise even when the true mean
# is zero. Those steps point in random directions and mostly cancel, so the weight wanders rather than
# travels.
#
# **On a landscape.** The narrow ravine of lesson 05 has a steep direction (across the valley) and a flat
# one (along it). Here are momentum, RMSprop and Adam with the same learning rate, 0.05, for 150 steps.

# %%
contenders = {"Momentum": opt.SGD(learning_rate=0.05, momentum=0.9),
              "RMSprop": opt.RMSprop(learning_rate=0.05), "Adam": opt.Adam(learning_rate=0.05)}
paths = {name: opt.run(o, landscapes.ravine, steps=150) for name, o in contenders.items()}

X, Y, Z = landscapes.ravine.mesh(200)
fig, (ax_map, ax_loss) = plt.subplots(1, 2, figsize=(10, 3.6), width_ratios=[1.4, 1])
ax_map.contour(X, Y, Z, levels=np.geomspace(0.01, 60, 12), colors=style.GREY, linewidths=0.6)
for name, run in paths.items():
    ax_map.plot(*run.points.T, ".-", ms=3, lw=1, color=style.color_of(name), label=name)
    ax_loss.semilogy(run.losses, color=style.color_of(name), label=name)
ax_map.plot(0, 0, "k*", ms=10, label="minimum")
ax_map.set(title="Ravine, lr = 0.05: paths from (-4.5, 1.5)", xlabel="x", ylabel="y", xlim=(-5, 1.5))
ax_loss.set(title="Loss along the way", xlabel="step", ylabel="loss (log scale)")
ax_map.legend(fontsize=8, loc="lower right")
ax_loss.legend(fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown]
# Three different behaviours, and not the ranking the article might suggest:
#
# - **Momentum** takes steps proportional to the gradient. It swings across the steep direction, but along
#   the gentle floor its velocity builds up, and at this learning rate it is the fastest of the three.
# - **RMSprop** moves both coordinates by about `lr` per step from the start (its first steps head off at
#   45 degrees), drops to the valley floor and then travels along it at about `lr` per step. Near the bottom it
#   jitters, and around step 118 it even jumps: as the gradients shrink, so does $v$, so its steps stay about
#   `lr` long however close it is.
# - **Adam** follows RMSprop's route, but its first moment damps the jitter: the smoothest path of the three.
#   It is also the slowest here, and for a reason worth remembering: with its steps about `lr` long, the 4.5
#   units to the minimum take at least $4.5 / 0.05 = 90$ steps, however steep or flat the ground. **Adam's
#   learning rate is a distance per step, not a multiple of the gradient.**
#
# So which optimizer wins depends a lot on the learning rate each one gets; lesson 08 tunes them fairly before
# comparing.

# %% [markdown]
# ## 6. Beyond the article: epsilon caps Adam's step
#
# The article calls $\epsilon$ a guard against division by zero. It does more. Write the step as an effective
# learning rate per weight times the averaged gradient:
#
# $$\Delta w = -\frac{\eta}{\sqrt{\hat v_t} + \hat\epsilon}\, \hat m_t .$$
#
# Where gradients are large, $\sqrt{\hat v_t} \gg \hat\epsilon$ and $\epsilon$ does nothing. Where they are
# tiny, $\sqrt{\hat v_t} \ll \hat\epsilon$ and the effective learning rate is capped at $\eta/\hat\epsilon$:
# **Adam turns into plain SGD (with momentum) with learning rate about $\eta/\hat\epsilon$**, and its step shrinks in
# proportion to the gradient again.
#
# Without $\epsilon$, Adam would ignore the scale of the loss completely: multiplying the loss by $s$ multiplies
# $m$ by $s$ and $\sqrt v$ by $s$, and they cancel. Let us test that on the simplest loss,
# $L(w) = s\,w^2/2$ from $w = 1$, for scales $s$ from 1 down to $10^{-12}$. Adam updates each entry of an array
# independently, so one array holds all seven scales and one run does them all; we repeat for three values
# of $\epsilon$.

# %%
scales = 10.0 ** -np.arange(0, 13, 2)   # 1, 1e-2, ..., 1e-12: the gradient at the start is s * w = s
remaining = {}
for epsilon in (1e-7, 1e-8, 1e-12):
    w, adam = np.ones_like(scales), opt.Adam(learning_rate=0.01, epsilon=epsilon)
    for _ in range(500):
        adam.apply(scales * w, w)       # gradient of s * w^2 / 2
    remaining[epsilon] = np.abs(w)      # distance still to go to the minimum at 0

# %%
# NBVAL_CHECK_OUTPUT
print("distance |w| left after 500 steps (started at 1), lr = 0.01")
print("loss scale s     " + "".join(f"{s:>8.0e}" for s in scales))
for epsilon, left in remaining.items():
    print(f"epsilon = {epsilon:<7.0e} " + "".join(f"{x:>8.3f}" for x in left))

# %% [markdown]
# With $\epsilon = 10^{-7}$ (Keras's default), Adam solves the problem for every loss scale down to $10^{-6}$,
# then stalls: at $s = 10^{-8}$ the gradient is a tenth of $\epsilon$, and at $s = 10^{-10}$ the weight has
# barely moved. Each smaller $\epsilon$ moves the wall further down. Tiny gradients are not exotic: the first
# layers of a deep network with vanishing gradients live there (lesson 09), and so does any loss that happens
# to be measured on a small scale. Conversely, some practitioners *raise* $\epsilon$ (to $10^{-3}$ or even 1) on
# purpose, to make Adam behave more like momentum SGD and take calmer steps.
#
# The curve below shows the same cap on the very first step, computed from the formula
# $|\Delta w_1| / \eta = |g| / (|g| + \hat\epsilon)$ and checked against `opt.Adam` at a few points.

# %%
g_sizes = np.logspace(-12, 0, 121)
eps_keras_t1 = 1e-7 / np.sqrt(1 - 0.999)   # Keras: epsilon / sqrt(1 - beta_2^t) at t = 1
curves = {r"Keras, $\epsilon=10^{-7}$ ($\hat\epsilon \approx 3.2\times10^{-6}$ at t = 1)": (eps_keras_t1, style.ORANGE),
          r"PyTorch, $\epsilon=10^{-8}$ ($\hat\epsilon = \epsilon$)": (1e-8, style.BLUE)}
check, w_check = np.array([1e-9, 1e-7, 1e-5, 1e-3]), np.zeros(4)
opt.Adam(learning_rate=0.01).apply(check, w_check)   # one real first step, to compare with the formula

fig, ax = plt.subplots(figsize=(7.5, 3.6))
for label, (eps_hat, color) in curves.items():
    ax.loglog(g_sizes, g_sizes / (g_sizes + eps_hat), color=color, lw=2, label=label)
ax.loglog(check, -w_check / 0.01, "ko", label="opt.Adam, measured")
ax.loglog(g_sizes, g_sizes / eps_keras_t1, ":", color=style.GREY, label=r"SGD with lr $\eta/\hat\epsilon$ (slope 1)")
ax.set(title="Adam's first step: lr per weight, until the gradient nears epsilon", ylim=(1e-7, 3),
       xlabel="gradient size |g|", ylabel="first step / lr")
ax.legend(fontsize=8, loc="lower right")
plt.show()

# %% [markdown]
# **Keras and PyTorch place epsilon differently.** PyTorch adds $\epsilon$ to $\sqrt{\hat v_t}$, the corrected
# average: $\hat\epsilon = \epsilon = 10^{-8}$ by default. Keras adds $\epsilon$ to the raw $\sqrt{v_t}$ and folds
# both corrections into the step size, $\eta\sqrt{1-\beta_2^t}/(1-\beta_1^t)$; written in the corrected form that
# is $\hat\epsilon = \epsilon/\sqrt{1-\beta_2^t}$, about 32 times $\epsilon$ at the first step, shrinking to
# $\epsilon$ as training goes on. Together with the different defaults ($10^{-7}$ against $10^{-8}$), the same
# "Adam" caps small gradients differently in the two libraries. For ordinary gradients, much larger than
# $\hat\epsilon$, the two agree to many digits.
#
# The course's test data holds numbers computed by `torch.optim.Adam` itself (6 steps on two small arrays,
# `tests/data/torch_reference.json`). Our `adam_step` with `torch_style=True` reproduces them; `opt.Adam`, with
# Keras's placement and the same $\epsilon$, differs from them only in the tenth decimal.

# %%
# NBVAL_CHECK_OUTPUT
with open("../tests/data/torch_reference.json") as file:
    case = next(c for c in json.load(file)["cases"] if c["id"] == "torch_adam_default")
ours = [np.array(p) for p in case["params0"]]
slots = [(np.zeros_like(p), np.zeros_like(p)) for p in ours]
keras_like = [np.array(p) for p in case["params0"]]
keras_adam = opt.Adam(learning_rate=case["learning_rate"], epsilon=1e-8)
for t, grads in enumerate(case["grads"], start=1):
    for p, g, (m, v) in zip(ours, grads, slots):
        adam_step(p, np.array(g), m, v, t, lr=case["learning_rate"], epsilon=1e-8, torch_style=True)
    keras_adam.apply([np.array(g) for g in grads], keras_like)
torch_final = [np.array(p) for p in case["expected"][-1]]
print("adam_step(torch_style=True) vs torch, max difference < 1e-15:",
      max(np.abs(a - b).max() for a, b in zip(ours, torch_final)) < 1e-15)
print(f"opt.Adam (Keras placement) vs torch, max difference: "
      f"{max(np.abs(a - b).max() for a, b in zip(keras_like, torch_final)):.1e}")

# %% [markdown]
# ## 7. AMSGrad in one cell
#
# Because $v_t$ is a *moving* average, it can shrink: after a stretch of large gradients followed by small
# ones, $\sqrt{\hat v_t}$ falls and the effective learning rate $\eta/\sqrt{\hat v_t}$ climbs back up. Reddi et
# al. (2018) built problems where this makes Adam fail to converge, and proposed **AMSGrad**: divide by the
# running *maximum* of $v_t$ instead, so no weight's effective learning rate ever increases. In Keras (and
# here) it is `Adam(amsgrad=True)`. One weight sees gradient 1 for 500 steps, then 0.01 (with $\beta_2 = 0.99$,
# so that $v$ forgets within a few hundred steps rather than thousands):

# %%
# NBVAL_CHECK_OUTPUT
grad_stream = np.where(np.arange(1500) < 500, 1.0, 0.01)
for amsgrad in (False, True):
    adam, w, moves = opt.Adam(learning_rate=0.01, beta_2=0.99, amsgrad=amsgrad), np.zeros(1), []
    for g_t in grad_stream:
        before = w[0]
        adam.apply([np.array([g_t])], [w])
        moves.append((before - w[0]) / 0.01)
    print(f"amsgrad={amsgrad!s:5}: step / lr at t = 500, 501, 700, 1500: "
          + ", ".join(f"{moves[t - 1]:.3f}" for t in (500, 501, 700, 1500)))

# %% [markdown]
# Plain Adam slowly forgets the large gradients and its steps grow back towards `lr`; AMSGrad remembers the
# largest $v$ and keeps the steps for the small gradient small (it uses a third slot per weight for the
# maximum). In practice AMSGrad rarely changes results much, and Adam without it remains the common default.

# %% [markdown]
# ## 8. Why Adam is so popular, with the fine print
#
# The article gives Adam's reputation; here is what each claim means, and how far it goes:
#
# - **It adapts the step to each weight.** Yes: the first step is about `lr` for every weight, later steps
#   scale with each weight's signal-to-noise ratio (section 5). The scale of the loss barely matters, down
#   to the $\epsilon$ floor (section 6).
# - **It copes with noisy gradients.** The first moment averages noise away, and noisy weights take smaller
#   steps on their own.
# - **It needs little tuning.** The defaults $\beta_1 = 0.9$, $\beta_2 = 0.999$ rarely need changing, and a
#   useful learning rate is easier to find than for SGD, because the step size no longer depends on the
#   gradient's size. But the learning rate still matters: lesson 08 shows the default 0.001 is far from the
#   best on a small network trained briefly.
# - **It converges faster than SGD.** Often in training loss, at least early on. Whether it also ends with a
#   better *test* result is a separate question; lesson 08 measures both.
# - **The cost:** two extra numbers stored per weight (momentum SGD stores one), which matters for very large
#   models.
#
# Where it is the usual choice: transformers and other language models (mostly as AdamW, lesson 12), recurrent
# networks (RNNs, LSTMs), GANs (often with $\beta_1 = 0.5$ for less momentum), deep reinforcement learning, and
# large networks where tuning SGD for every layer would be costly. For image classifiers with long training
# schedules, well-tuned SGD with momentum remains a strong competitor.

# %% [markdown]
# ## Recap
#
# - Adam keeps, per weight, an exponential moving average of the gradient ($m_t$, momentum's direction) and of
#   its square ($v_t$, RMSprop's scale), and steps by $\eta\,\hat m_t / (\sqrt{\hat v_t} + \hat\epsilon)$.
# - Averages started at zero are biased: $\mathbb{E}[m_t] = (1-\beta^t)\,\mathbb{E}[g]$. Dividing by $1-\beta^t$
#   removes the bias; without it, early steps are several times too large.
# - The first step moves every weight by about `lr`; later steps shrink with the gradient's noise, roughly
#   $\eta\,|\mathbb{E}[g]|/\sqrt{\mathbb{E}[g^2]}$.
# - $\epsilon$ caps the effective learning rate at $\eta/\epsilon$: for gradients near or below $\epsilon$,
#   Adam becomes slow SGD. Keras adds $\epsilon$ before the bias correction of $v$, PyTorch after, and their
#   defaults differ ($10^{-7}$ vs $10^{-8}$).
# - AMSGrad divides by the running maximum of $v$, so effective learning rates never grow back.
#
# ## Your turn
#
# Open the exercise [`../exercises/05_adam.ipynb`](../exercises/05_adam.ipynb): you will write Adam's update
# rule yourself, in the rearranged form above and returning new arrays rather than updating in place, then an
# optimizer object that keeps $m$, $v$ and $t$ between calls. The checks catch the classic slips (a missing or
# off-by-one bias correction, epsilon in the wrong place, state not kept between calls).
#
# **Next:** [Lesson 08: Comparing optimizers](08_comparing_optimizers.ipynb), where Adam, RMSprop and SGD race
# on landscapes and on a real network, each with a fairly tuned learning rate.
