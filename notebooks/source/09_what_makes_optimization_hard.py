# %% [markdown]
# # Lesson 09: What makes optimization hard
#
# Five obstacles stand between a random start and a trained model: local minima, saddle points,
# vanishing and exploding gradients, flat regions and noise. This lesson measures each one, and
# one remedy, gradient clipping.
#
# **You will be able to:**
#
# - recognise each obstacle from a path or a loss curve, and say which ones are real problems for
#   large networks and which mostly for small ones;
# - predict how long gradient descent stays stuck near a saddle point, and explain why a little
#   gradient noise frees it;
# - read per-layer gradient norms of a deep network and diagnose vanishing or exploding gradients;
# - explain why plain gradient descent crawls across a plateau while momentum and Adam do not;
# - compute the loss floor that gradient noise leaves at a constant learning rate;
# - protect a run from a cliff with gradient clipping, and say what clipping costs.
#
# **Article sections:** 10 · **Study time:** about 30 minutes

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LinearSegmentedColormap

import optimizers as opt
from optimizers.landscapes import bowl, cliff, noisy, plateau, rastrigin, saddle
from optimizers.models import MLP
from optimizers.training import fit
from optimizers.widgets import style

# %%
# Landscape maps: filled contours, darker = lower, in the pale shades the widgets use.
PALE = LinearSegmentedColormap.from_list("pale", ["#6f97bd", style.BACKGROUND_LOW, style.BACKGROUND_HIGH])


def draw_map(ax, landscape, levels=12, bounds=None):
    """Filled contours of a 2-D landscape over `bounds` (default: its plotting window); darker = lower."""
    (x0, x1), (y0, y1) = landscape.bounds if bounds is None else bounds
    X, Y = np.meshgrid(np.linspace(x0, x1, 200), np.linspace(y0, y1, 200))
    ax.contourf(X, Y, landscape(np.stack([X, Y], axis=-1)), levels=levels, cmap=PALE)
    ax.set(xlim=(x0, x1), ylim=(y0, y1), xlabel="$x$", ylabel="$y$", aspect="equal")

# %% [markdown]
# ## 1. Local minima
#
# A **local minimum** is a point where every small move goes uphill, although somewhere else
# the loss is lower. Gradient descent only ever looks at the slope under its feet, so once it
# is in such a pit, it stays there.
#
# Rastrigin's function is built to be full of them: a bowl covered with an egg-box of bumps,
# 121 pits in the window and only one, at the origin, is the lowest. We drop 400 gradient-descent
# runs at random places and let each take 300 small steps.

# %%
rng = np.random.default_rng(0)
starts = rng.uniform(-5.12, 5.12, size=(400, 2))
pits = opt.run(opt.SGD(learning_rate=0.002), rastrigin, starts, steps=300)

distance_to_pits = np.linalg.norm(starts[:, None] - rastrigin.minima[None], axis=-1)
nearest_pit = rastrigin.minima[distance_to_pits.argmin(axis=1)]
stayed = np.linalg.norm(pits.final_points - nearest_pit, axis=1) < 0.05

# %%
# NBVAL_CHECK_OUTPUT
final = pits.final_losses
print(f"runs that found the global minimum (loss < 0.5): {np.mean(final < 0.5):.1%}")
print(f"runs that ended in the pit nearest to their start: {np.mean(stayed):.1%}")
print(f"final loss: median {np.median(final):.2f}, from {final.min():.2f} to {final.max():.2f}")

# %%
fig, (ax_map, ax_loss) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
draw_map(ax_map, rastrigin, levels=10)
for i in range(0, 400, 25):  # 16 of the paths
    ax_map.plot(*pits.points[:, i].T, color=style.VERMILLION, lw=1)
ax_map.plot(*pits.final_points[::25].T, "o", color=style.VERMILLION, ms=4, label="where a run stopped")
ax_map.plot(0, 0, "*", color="white", ms=14, mec="black", label="global minimum")
ax_map.set_title("Gradient descent stops in the nearest pit")
ax_map.legend(loc="lower left", fontsize=8, framealpha=0.9)
ax_loss.plot(np.linalg.norm(starts, axis=1), final, ".", color=style.BLUE, ms=4)
ax_loss.set(title="The start decides the result", xlabel="distance of the start from the origin",
            ylabel="final loss (400 runs)")
plt.show()

# %% [markdown]
# Almost every run ends in the pit it started in, and its final loss is set by how far from the
# origin that pit is. Nothing in the rule $w \leftarrow w - \eta\,g$ can climb out of a pit: at its
# bottom $g = 0$. Momentum and Adam, with reasonable learning rates, do no better here (try it:
# replace the optimizer above).
#
# ### Do local minima trap real networks?
#
# The article warns that local minima "can trap simple optimizers". In two dimensions they do.
# Two facts suggest that real networks are different. Lesson 02 showed that in many dimensions a
# point where the gradient vanishes is almost never a minimum (it needs *every* curvature
# to be positive) but a saddle. And we can test it directly: train the same network from several
# random starts and compare where the runs end. If bad local minima were common, the final losses
# would scatter as on Rastrigin.
#
# Below, two networks learn the three-armed spirals data set with Adam (200 full-batch epochs, five
# seeds each): a tiny one with 4 hidden units (27 weights) and a wider one with two hidden layers of
# 16 (371 weights).

# %%
X_spiral, y_spiral = opt.data.spirals(n=300, n_classes=3, noise=0.2, seed=0)
NETS = {"tiny: 4 hidden units": [2, 4, 3], "wider: 16 + 16 hidden units": [2, 16, 16, 3]}
seed_runs = {name: [] for name in NETS}
for name, sizes in NETS.items():
    for seed in range(5):
        model = MLP(sizes, activation="tanh", init="glorot", seed=seed)
        seed_runs[name].append(fit(model, opt.Adam(learning_rate=0.05), X_spiral, y_spiral,
                                   epochs=200, seed=seed, progress=False))

# %%
for name, runs in seed_runs.items():
    losses = [h.epoch_train_loss[-1] for h in runs]
    accuracies = [h.epoch_train_metric[-1] for h in runs]
    print(f"{name:28s} final loss per seed: {', '.join(f'{v:.3f}' for v in losses)}"
          f"   accuracy {min(accuracies):.3f} to {max(accuracies):.3f}")

# %%
fig, ax = plt.subplots(figsize=(7.5, 3.6))
for colour, (name, runs) in zip((style.VERMILLION, style.BLUE), seed_runs.items()):
    for i, h in enumerate(runs):
        ax.semilogy(np.arange(1, 201), h.epoch_train_loss, color=colour, lw=1.2,
                    label=name if i == 0 else None)
ax.set(title="Five random starts each: the tiny net ends at different heights",
       xlabel="epoch", ylabel="training loss (log scale)")
ax.legend()
plt.show()

# %% [markdown]
# The five wider networks end within a few thousandths of each other, at the same accuracy. The tiny
# one gets stuck at clearly different losses depending on its seed (one run much worse than the
# rest): with only 27 weights there are few ways around a bad region. This is the pattern seen in
# practice: in large networks, poor local minima are rare, and the low points that training finds
# are about equally good. What slows large networks down is mostly the next three obstacles.
#
# ## 2. Saddle points
#
# A **saddle point** has zero gradient but is not a minimum: the loss curves up in some directions
# and down in others (its Hessian has eigenvalues of both signs). The simplest one is
# $f(x, y) = x^2 - y^2$ at the origin. Gradient descent with learning rate $\eta$ on it is
#
# $$x \leftarrow x - \eta\cdot 2x = (1 - 2\eta)\,x, \qquad y \leftarrow y + \eta\cdot 2y = (1 + 2\eta)\,y .$$
#
# So $x$ shrinks (the run slides *towards* the saddle) while $y$ grows by a factor $1 + 2\eta$ per
# step (the run is slowly pushed off the ridge). Starting at height $y_0$, it needs about
#
# $$k \approx \frac{\ln(1 / y_0)}{\ln(1 + 2\eta)}$$
#
# steps to reach $|y| = 1$. The closer to the ridge it starts, the longer it lingers, and a start
# exactly on the ridge ($y_0 = 0$) never leaves: it converges to the saddle and stops there.

# %%
heights = np.array([1e-1, 1e-3, 1e-6, 1e-12, 0.0])
ridge = opt.run(opt.SGD(learning_rate=0.1), saddle, np.column_stack([np.full(5, -1.5), heights]), steps=200)
off_ridge = np.abs(ridge.points[..., 1]) > 1  # (steps + 1, runs)
escape_step = np.where(off_ridge.any(axis=0), off_ridge.argmax(axis=0), -1)

# %%
# NBVAL_CHECK_OUTPUT
for y0, k, closest in zip(heights, escape_step, np.linalg.norm(ridge.points, axis=-1).min(axis=0)):
    predicted = f"{np.log(1 / y0) / np.log(1.2):5.1f}" if y0 > 0 else "never"
    measured = f"{k:5d}" if k >= 0 else "never (stuck)"
    print(f"y0 = {y0:7.0e}: left the saddle at step {measured}, predicted {predicted};"
          f" closest approach {closest:.1e}")

# %%
fig, (ax_map, ax_dist) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
draw_map(ax_map, saddle)
ax_map.plot(0, 0, "X", color="black", ms=10, label="saddle point")
for colour, y0, i in zip(style.SEQUENCE, heights, range(5)):
    ax_map.plot(*ridge.points[:, i].T, ".-", color=colour, ms=3, lw=1, label=f"$y_0$ = {y0:g}")
    ax_dist.semilogy(np.linalg.norm(ridge.points[:, i], axis=1), color=colour, label=f"$y_0$ = {y0:g}")
ax_map.set_title("Gradient descent on $x^2 - y^2$")
ax_map.legend(loc="upper left", fontsize=7, framealpha=0.9)
ax_dist.set(title="Slide in, linger, leave", xlabel="step", ylabel="distance from the saddle point",
            ylim=(1e-13, 30))
plt.show()

# %% [markdown]
# Measured and predicted escape times agree, and every factor of 1,000 closer to the ridge costs the
# same number of extra steps (about 38 here). The flat lines at the top are runs that left the
# picture: `opt.run` stops a run once it is far outside the landscape's window.
#
# The $y_0 = 0$ run is the worrying case: its gradient shrinks to $10^{-19}$, so a rule such as
# "stop when the gradient is tiny" would declare it finished at a point that is not a minimum at all.
#
# **A small gradient does not mean a minimum.** In a network with millions of weights, training
# passes near many saddle points, and the time spent near each is what makes some phases of training
# slow.
#
# The widget races gradient descent, momentum, RMSprop and Adam off the same saddle, all with
# learning rate 0.05. Move `start y0` towards the ridge: gradient descent's escape step grows by
# the same amount for every factor of 10, while RMSprop and Adam hardly care, because they divide
# the tiny gradient by its own size. Try the monkey saddle too, where the curvature vanishes as well.

# %%
# NBVAL_IGNORE_OUTPUT
from optimizers import widgets

saddle_app = widgets.saddle_escape()
saddle_app

# %% [markdown]
# For readers without a running kernel, the escape steps read off the widget at three offsets:

# %%
readout = []
for y0 in (1e-1, 1e-2, 1e-4):
    saddle_app.controls["y0"].value = y0
    readout.append(f"y0 = {y0:g}: " + ", ".join(t.get_text() for t in saddle_app.escape_texts.values()))
saddle_app.controls["y0"].value = 1e-3  # back to the default view
print("\n".join(readout))

# %% [markdown]
# ### Noise frees a stuck run
#
# The run that started on the ridge is stuck only because its $y$ is *exactly* zero. Any push off
# the ridge gets amplified by $1 + 2\eta$ per step. Mini-batch gradients always carry such pushes
# (lesson 04). Here we add Gaussian noise of standard deviation $\sigma$ to every gradient
# (`landscapes.noisy`) and start 20 runs exactly on the ridge. The first step moves $y$ by about
# $\eta\sigma$, so we expect an escape after roughly $\ln(1/(\eta\sigma)) / \ln(1 + 2\eta)$ steps.

# %%
lines = []
for sigma in (1e-3, 1e-2, 1e-1):
    runs = opt.run(opt.SGD(learning_rate=0.1), noisy(saddle, sigma=sigma, seed=0),
                   np.tile([-1.5, 0.0], (20, 1)), steps=200)
    off = np.abs(runs.points[..., 1]) > 1
    steps_needed = np.where(off.any(axis=0), off.argmax(axis=0), -1)
    predicted = np.log(1 / (0.1 * sigma)) / np.log(1.2)
    lines.append(f"noise sigma = {sigma:g}: {np.mean(steps_needed >= 0):.0%} of 20 runs escaped, median after "
                 f"{np.median(steps_needed):.0f} steps (rough prediction {predicted:.0f})")
print("\n".join(lines))

# %% [markdown]
# Even noise of $10^{-3}$ frees every run, after about 50 steps, and stronger noise frees it sooner.
# This is one good side of stochastic gradients; section 5 shows the bad side.
#
# ## 3. Vanishing and exploding gradients
#
# In a deep network the gradient of the first layer is computed by passing the error backwards
# through every layer above it (the MLP's docstring writes out the steps). Each layer multiplies
# the backward signal by its weight matrix $W_l^\top$ and by the slope of its activation $f'(z)$:
#
# $$\frac{\partial L}{\partial z_{l-1}} = \Big(\frac{\partial L}{\partial z_l}\,W_l^\top\Big) \odot f'(z_{l-1}).$$
#
# If a typical layer shrinks the signal by a factor $r < 1$, the gradient of a layer $k$ layers
# below the top is about $r^k$ times smaller: it **vanishes**. If $r > 1$, it grows like $r^k$: it
# **explodes**. A layer of width $n$ with weights of standard deviation $s$ scales a vector by about
# $s\sqrt{n}$, and the sigmoid's slope is at most $1/4$. So for sigmoid layers
#
# $$r \approx s\,\sqrt{n}\cdot\tfrac14 .$$
#
# We build three networks with 8 hidden layers of 32 units for the digits data set and record the
# gradient norm of every layer (`History.grad_norms`) while training each with SGD for three epochs:
#
# - **sigmoid, small weights** ($s = 0.1$): $r \approx 0.1\cdot\sqrt{32}/4 \approx 0.14$, vanishing;
# - **ReLU, He initialisation** ($s = \sqrt{2/n}$, chosen to keep $r \approx 1$);
# - **ReLU, large weights** ($s = 0.5$): each layer doubles the signal, exploding.

# %%
digits = opt.data.digits(seed=0)
DEEP = [64] + [32] * 8 + [10]
INITS = {"sigmoid, small weights": ("sigmoid", 0.1), "ReLU, He init": ("relu", "he"),
         "ReLU, large weights": ("relu", 0.5)}
deep = {}
with warnings.catch_warnings():  # the exploding run diverges: History reports it, no warning needed
    warnings.simplefilter("ignore", RuntimeWarning)
    for name, (activation, init) in INITS.items():
        net = MLP(DEEP, activation=activation, init=init, seed=0)
        deep[name] = fit(net, opt.SGD(learning_rate=0.05), digits.X_train, digits.y_train,
                         batch_size=32, epochs=3, seed=0, progress=False)
layers = [f"W{l}" for l in range(1, len(DEEP))]

# %%
# NBVAL_CHECK_OUTPUT
for name, h in deep.items():
    first, last = h.grad_norm("W1")[0], h.grad_norm(layers[-1])[0]
    outcome = h.message if h.diverged else f"train loss after 3 epochs {h.epoch_train_loss[-1]:.3f}"
    print(f"{name:22s} |grad W1| = {first:8.2e}, |grad W9| = {last:8.2e}; {outcome}")
sigmoid_norms = np.array([deep["sigmoid, small weights"].grad_norm(w)[0] for w in layers])
factor = np.exp(np.polyfit(np.arange(9), np.log(sigmoid_norms), 1)[0])
print(f"sigmoid net: each layer down multiplies the gradient by {1 / factor:.3f} (predicted about 0.14)")

# %%
fig, (ax_layers, ax_loss) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
for colour, (name, h) in zip((style.VERMILLION, style.GREEN, style.PURPLE), deep.items()):
    ax_layers.semilogy(range(1, 10), [h.grad_norm(w)[0] for w in layers], "o-", color=colour, label=name)
    if not h.diverged:
        ax_loss.plot(h.loss, color=colour, lw=1, label=name)
blown = deep["ReLU, large weights"]
ax_loss.text(50, 2.75, f"ReLU, large weights: loss {blown.loss[0]:.0f} at the first update,\n"
             f"NaN at update {blown.diverged_at} (off the chart)", color=style.PURPLE, ha="center", fontsize=8)
ax_layers.set(title="Gradient norm per layer, first update", xlabel="layer (1 = next to the input)",
              ylabel="norm of the weight gradient")
ax_loss.set(title="Mini-batch loss while training", xlabel="update", ylabel="loss", ylim=(0, 3.1))
ax_layers.legend(fontsize=8)
ax_loss.legend(fontsize=8, loc="lower left")
plt.show()

# %% [markdown]
# - **Vanishing.** The sigmoid net's first layer gets a gradient millions of times smaller
#   than its last layer, shrinking by the predicted factor at every layer. Its lower layers
#   effectively do not learn, and the loss sits at $\ln 10 \approx 2.30$, the loss of guessing
#   uniformly among 10 classes.
# - **Healthy.** With ReLU and He initialisation every layer gets a gradient of similar size, and
#   the loss falls.
# - **Exploding.** With large weights, activations double at every layer on the way up and the
#   backward signal doubles on the way down: every gradient is hundreds of times too big. The first
#   updates throw the weights so far that the loss overflows within a handful of updates (the X).
#
# The cures are mostly about the network, not the optimizer: an initialisation that keeps $r$ near 1
# (He for ReLU, Glorot for tanh), activations whose slope does not collapse (ReLU rather than
# sigmoid in hidden layers), normalisation layers and residual connections in deeper models. For
# exploding gradients, the optimizer has one more safety net: clipping (section 6).
#
# ## 4. Flat regions
#
# On a **plateau** the loss barely changes over a wide area, so the gradient is tiny, and gradient
# descent's step $\eta\,\lVert g\rVert$ is tiny with it. Our `plateau` landscape is a nearly flat table
# with one well at the origin. At its default start the slope is only about 0.006, so gradient
# descent with $\eta = 0.1$ moves 0.0006 per step, with 2.6 units to go. The loss is almost 1
# there and the well's bottom is 0, so we count the steps until the loss first drops below 0.5.

# %%
CRAWLERS = {"GD": opt.SGD(learning_rate=0.1), "Momentum": opt.SGD(learning_rate=0.1, momentum=0.9),
            "Adam": opt.Adam(learning_rate=0.1)}
lines = [f"slope at the start: {np.linalg.norm(plateau.grad(plateau.default_start)):.4f}"]
for name, optimizer in CRAWLERS.items():
    path = opt.run(optimizer, plateau, steps=600)
    first_step = np.linalg.norm(path.points[1] - path.points[0])
    lines.append(f"{name:9s} first step {first_step:.4f}, steps to loss < 0.5: {path.steps_to_reach(0.5)}")
print("\n".join(lines))

# %% [markdown]
# Gradient descent needs about 400 steps to cross a table that Adam crosses in under 20 (lesson 08
# found the same order with a learning rate tuned for each optimizer).
#
# - **Momentum** keeps adding up gradients that point the same way. On a steady slope its velocity
#   grows towards $\eta\,g/(1-\mu)$, ten times the plain step for $\mu = 0.9$.
# - **Adam** divides the step by the gradient's own typical size $\sqrt{\hat v}$, so its step is
#   about $\eta$ per coordinate however gentle the slope: 0.14 here from the very first step
#   ($\eta$ in each of the two coordinates, $0.1\sqrt2$ in all). The catch: it takes such steps
#   where a small gradient *should* mean "stay calm" too, and once the gradient falls below
#   $\epsilon$ its step shrinks again (lesson 07).
#
# In the widget, move the shared learning rate and watch the middle panel: gradient descent's
# step lengths follow the slope, momentum's grow while the slope keeps its direction, and Adam's
# start near the learning rate and shrink only inside the well.

# %%
# NBVAL_IGNORE_OUTPUT
plateau_app = widgets.plateau_crawl()
plateau_app

# %% [markdown]
# ## 5. Noise: it helps, and it costs
#
# Real training estimates the gradient from a mini-batch, so each step's direction is off by a random
# error (lesson 04 measured its size: it shrinks like $1/B$ with the batch size $B$). The article says
# noise "can mislead optimizers, especially in large datasets". More exactly: the noise depends on
# the batch size and on how much examples disagree, not on how large the data set is. It had a
# good side on the saddle; here is the cost.
#
# On the bowl $f = x^2 + y^2$ with noise of standard deviation $\sigma$ in each gradient coordinate,
# one step is $x \leftarrow (1 - 2\eta)\,x - \eta\sigma\xi$ with $\xi$ a standard normal number. The
# pull towards the minimum and the random kicks balance at a variance of
# $\eta^2\sigma^2 / (1 - (1 - 2\eta)^2)$ per coordinate, so the loss settles, on average, at
#
# $$\mathbb{E}[L] = \frac{\eta\,\sigma^2}{2\,(1 - \eta)}$$
#
# instead of 0. It grows with the noise *and with the learning rate*. We check the formula on
# 200 runs per setting.

# %%
noise_settings = [(0.5, 0.1), (2.0, 0.1), (2.0, 0.02)]  # (sigma, learning rate)
floors = {}
for sigma, lr in noise_settings:
    runs = opt.run(opt.SGD(learning_rate=lr), noisy(bowl, sigma=sigma, seed=1),
                   np.tile(bowl.default_start, (200, 1)), steps=400)
    floors[sigma, lr] = runs.losses.mean(axis=1)  # average over the 200 runs, per step
clean = opt.run(opt.SGD(learning_rate=0.1), bowl, steps=400).losses

# %%
# NBVAL_CHECK_OUTPUT
for (sigma, lr), curve in floors.items():
    predicted = lr * sigma**2 / (2 * (1 - lr))
    print(f"sigma = {sigma}, lr = {lr:4}: mean loss over steps 200-400 = {curve[200:].mean():.4f},"
          f" formula {predicted:.4f}")

# %%
fig, ax = plt.subplots(figsize=(7.5, 3.6))
ax.semilogy(clean, color=style.BLACK, label="no noise, lr 0.1")
for colour, ((sigma, lr), curve) in zip(style.SEQUENCE, floors.items()):
    ax.semilogy(curve, color=colour, label=rf"$\sigma$ = {sigma}, lr {lr}")
    ax.axhline(lr * sigma**2 / (2 * (1 - lr)), color=colour, ls=":", lw=1)
ax.set(title="Noisy gradients: the loss stops at a floor (dotted: formula)", xlabel="step",
       ylabel="loss, mean of 200 runs", ylim=(1e-6, 20))
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# Without noise the loss keeps falling towards 0; with noise it stalls at the floor the formula
# predicts. Four times the noise (in $\sigma$) raises the floor sixteenfold; a five times smaller
# learning rate lowers it about fivefold, but the run then takes longer to get down. The way to have
# both, fast progress early and a low floor late, is to **lower the learning rate over time**: a
# schedule (lesson 10).
#
# ## 6. Cliffs, and gradient clipping
#
# Sometimes the loss rises very steeply over a short distance: a **cliff**. Deep and recurrent
# networks have them, and exploding gradients produce them. On our `cliff` landscape, a gentle bowl
# has a wall along $x = 1.5$ where the ground drops by 10 and the slope reaches 100, against
# about 4 elsewhere. A step of gradient descent that lands on the wall is $\eta \cdot 100$ long.
#
# **Gradient clipping** caps the gradient before the update. Clipping by norm (Keras's
# `clipnorm=c`) keeps the direction and shrinks only the length:
#
# $$g \leftarrow g\cdot\frac{c}{\max(\lVert g\rVert,\ c)},$$
#
# so no step is longer than $\eta c$. Clipping by value (`clipvalue=c`) clips every coordinate to
# $[-c, c]$ on its own, which can change the direction. In code, clipping by norm is two lines;
# we check them against the library's version:

# %%
def clip_by_norm(g, c):
    """Scale g down to length c if it is longer; leave it alone otherwise."""
    return g * c / max(np.linalg.norm(g), c)


wall = cliff.grad(np.array([1.5, 0.5]))  # on the wall: a huge gradient
print("gradient on the wall:", wall.round(2), " clipped:", clip_by_norm(wall, 1.0).round(4))
print("same as optimizers.clipping:", np.allclose(clip_by_norm(wall, 1.0),
                                                    opt.clipping.clip_by_norm([wall], 1.0)[0]))

# %% [markdown]
# Now three runs from the same start with $\eta = 0.1$: unclipped, `clipnorm=1` and `clipvalue=1`.

# %%
CLIMBERS = {"no clipping": opt.SGD(learning_rate=0.1), "clipnorm=1": opt.SGD(learning_rate=0.1, clipnorm=1.0),
            "clipvalue=1": opt.SGD(learning_rate=0.1, clipvalue=1.0)}
cliff_runs = {name: opt.run(o, cliff, steps=60) for name, o in CLIMBERS.items()}
jumps = {name: np.linalg.norm(np.diff(r.points, axis=0), axis=1) for name, r in cliff_runs.items()}

# %%
# NBVAL_CHECK_OUTPUT
for name, run in cliff_runs.items():
    rise = np.diff(run.losses).max()  # the largest increase of the loss in one step
    print(f"{name:12s} longest step {jumps[name].max():.3f}, largest loss increase in one step "
          f"{max(rise, 0):5.2f}, steps to loss < 0.01: {run.steps_to_reach(0.01)}")

# %%
fig, (ax_map, ax_jump) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
draw_map(ax_map, cliff, levels=15, bounds=((-6, 4), (-3, 3)))  # wider: the unclipped run lands far left
for colour, (name, run) in zip((style.BLACK, style.BLUE, style.ORANGE), cliff_runs.items()):
    ax_map.plot(*run.points.T, ".-", color=colour, ms=3, lw=1, label=name)
    ax_jump.semilogy(np.arange(1, 61), jumps[name], color=colour, label=name)
ax_map.axvline(1.5, color=style.GREY, ls="--", lw=1, label="the wall")
ax_map.set_title("Three runs on the cliff landscape")
ax_map.legend(loc="lower left", fontsize=7, framealpha=0.9)
ax_jump.set(title="Length of each step", xlabel="step", ylabel="step length (log scale)")
ax_jump.legend(fontsize=8)
plt.show()

# %% [markdown]
# The unclipped run reaches the wall after 8 steps, and its 9th step throws it about 7 units, past
# the minimum and out of the landscape's usual window. Its loss jumps from about 3 to almost 16,
# nearly back to where it started: one bad step undid most of its progress. In training this shows
# up as a **loss spike**. Clipped by norm, no step is longer
# than $\eta c = 0.1$: the run walks down the wall. Clipping by value also bounds the steps, but
# notice its first steps: with both coordinates clipped to 1, it moves diagonally instead of along
# the gradient.
#
# Clipping has a price: where large gradients are *legitimate*, it slows the run (the clipped runs'
# first steps are shorter than the plain one's). It is a guard rail, not a cure. The exploding
# network of section 3 shows both sides:

# %%
clipped = fit(MLP(DEEP, activation="relu", init=0.5, seed=0), opt.SGD(learning_rate=0.05, global_clipnorm=1.0),
              digits.X_train, digits.y_train, batch_size=32, epochs=3, seed=0, progress=False)


def per_epoch(h):
    return h.message if h.diverged else "loss per epoch " + ", ".join(f"{v:.2f}" for v in h.epoch_train_loss)


print("ReLU, large weights, no clipping       :", per_epoch(deep["ReLU, large weights"]))
print("ReLU, large weights, global_clipnorm=1 :", per_epoch(clipped))
print("ReLU, He init, no clipping             :", per_epoch(deep["ReLU, He init"]))

# %% [markdown]
# With `global_clipnorm` (all gradients of the model clipped together, keeping the direction of the
# whole update) the badly initialised network no longer diverges and its loss falls, but it is still
# far behind the same network with a sensible initialisation. Clipping is cheap insurance, and
# standard for recurrent networks and transformers; it does not fix what caused the large gradients.
#
# ## Recap
#
# - **Local minima** trap gradient descent on small, bumpy problems (Rastrigin: the start decides
#   the result). Wider networks trained from different seeds reach nearly the same loss: in high
#   dimensions, bad local minima are the exception.
# - **Saddle points** have zero gradient without being minima. Gradient descent lingers near one for
#   about $\ln(1/y_0)/\ln(1+2\eta)$ steps, forever if it starts exactly on the ridge; a little
#   gradient noise frees it. A small gradient does not prove a minimum.
# - **Vanishing and exploding gradients** come from multiplying by a factor $r$ per layer on the way
#   back; per-layer gradient norms (`History.grad_norms`) show it at once. Fix the network
#   (initialisation, activation), and clip as a safety net.
# - **Flat regions** make steps proportional to a tiny slope; momentum accumulates them, Adam
#   normalises them away.
# - **Noise** helps leave saddles but leaves the loss at a floor $\eta\sigma^2/(2(1-\eta))$ on a bowl:
#   lower the learning rate over time to get below it.
# - **Cliffs** fling unclipped runs far away; `clipnorm`, `global_clipnorm` or `clipvalue` cap the
#   step at the cost of slower progress where large gradients are real.
#
# ## Your turn
#
# - On Rastrigin, can a larger learning rate or momentum 0.9 with a larger learning rate carry runs
#   over the bumps into deeper pits? Measure the share that reaches the global minimum.
# - Find the largest sigmoid network weight scale $s$ at which the gradient of `W1` is no more than
#   10 times smaller than that of `W9`. Does $r \approx s\sqrt{n}/4 = 1$ predict it?
# - The matching exercise is [`../exercises/07_clipping.ipynb`](../exercises/07_clipping.ipynb): you
#   write the global norm and both kinds of clipping by norm, `clipnorm` (each gradient on its own)
#   and `global_clipnorm` (all gradients by one common factor), and check them against the library.
#
# **Next:** [Lesson 10: Hyperparameters and schedules](10_hyperparameters_and_schedules.ipynb), where
# we choose the learning rate with a measurement and lower it over time.
