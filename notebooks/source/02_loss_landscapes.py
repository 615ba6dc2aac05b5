# %% [markdown]
# # Lesson 02: Loss landscapes
#
# The loss over all possible weights forms a landscape, and its shape (bowls, narrow
# valleys, saddles, plateaus, fields of small pits) decides how hard an optimizer's job is.
#
# **You will be able to:**
#
# - read a loss landscape as a contour map and as a surface;
# - recognise the shapes optimizers meet: bowl, narrow valley, curved valley, several
#   minima, saddle, plateau, many local minima, cliff;
# - tell a local minimum from a global one, and show that the starting point decides
#   which one you reach;
# - classify a critical point as a minimum, maximum or saddle from the eigenvalues of
#   the Hessian;
# - explain, with a measurement, why in many dimensions almost every critical point is
#   a saddle and not a minimum.
#
# **Article sections:** 2 · **Study time:** about 25 minutes

# %%
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

import optimizers as opt
from optimizers import landscapes, widgets
from optimizers.widgets.style import SEQUENCE

# %% [markdown]
# Every map in this lesson marks the known landmarks the same way; this helper does it.

# %%
MARKS = {"minimum": dict(marker="*", markersize=13, color="white"),
         "saddle": dict(marker="D", markersize=6, color=SEQUENCE[1]),
         "maximum": dict(marker="^", markersize=7, color=SEQUENCE[3])}


def mark_landmarks(ax, landscape):
    """Draw a landscape's minima (stars), saddle points (diamonds) and maxima (triangles)."""
    if len(landscape.minima) > 10:  # Rastrigin: 441 landmarks would hide the map
        groups = [("minimum", landscape.minima, 0.4), ("minimum", landscape.minima[:1], 1.0)]
    else:
        groups = [("minimum", landscape.minima, 1.0), ("saddle", landscape.saddles, 1.0),
                  ("maximum", landscape.maxima, 1.0)]
    for kind, points, scale in groups:
        style = dict(MARKS[kind], markersize=MARKS[kind]["markersize"] * scale)
        ax.plot(points[:, 0], points[:, 1], linestyle="none", markeredgecolor="black",
                markeredgewidth=0.6, **style)

# %% [markdown]
# ## A real landscape: the line fit from lesson 01
#
# In lesson 01 we fitted a line $\hat y = w x + b$ to 50 points and drew its loss over
# the two weights $(w, b)$ as a coloured map. That map *is* a loss landscape: the weights
# are the position, the loss is the height. Below it is drawn twice: as a surface you
# look at from the side, and as a contour map you look at from above.
#
# On the map, each contour line joins weights with the same loss, like height lines on a
# hiking map. Where the lines crowd together the ground is steep; the lowest point sits
# inside the innermost ring.

# %%
X, y = opt.data.regression_line(n=50, slope=2.0, intercept=-1.0, noise=0.3, seed=0)
x = X[:, 0]

W, B = np.meshgrid(np.linspace(-1, 5, 91), np.linspace(-3, 1, 61))
residual = W[..., None] * x + B[..., None] - y  # shape (61, 91, 50): every model, every point
L_grid = 0.5 * np.mean(residual**2, axis=-1)

# %%
fig = plt.figure(figsize=(10, 4), layout="constrained")
surface = fig.add_subplot(1, 2, 1, projection="3d")
surface.plot_surface(W, B, L_grid, cmap="viridis", rcount=25, ccount=25, linewidth=0, antialiased=False)
surface.set(title="as a surface", xlabel="slope $w$", ylabel="intercept $b$", zlabel="loss")
top = fig.add_subplot(1, 2, 2)
lines = top.contour(W, B, L_grid, levels=np.geomspace(0.05, 8, 12), cmap="viridis")
top.clabel(lines, fontsize=7, fmt="%.2g")
top.set(title="as a contour map (seen from above)", xlabel="slope $w$", ylabel="intercept $b$")
fig.suptitle("The loss landscape of a two-weight line fit is a bowl")
plt.show()

# %% [markdown]
# ### Why a bowl, and how round?
#
# For a linear model with squared error the loss is a quadratic function of the weights,
# so near *any* point it is described exactly by its gradient and its **Hessian**, the
# matrix of second derivatives
#
# $$H = \begin{pmatrix} \partial^2 L/\partial w^2 & \partial^2 L/\partial w\,\partial b \\
# \partial^2 L/\partial b\,\partial w & \partial^2 L/\partial b^2 \end{pmatrix}
# = \begin{pmatrix} \overline{x^2} & \overline{x} \\ \overline{x} & 1 \end{pmatrix},$$
#
# where the bars are means over the data. Its **eigenvalues** are the curvatures along
# the bowl's two main axes. Both are positive, so the loss rises in every direction from
# the bottom: a bowl. Their ratio, the **condition number**, says how stretched the bowl
# is. Watch what happens if we only change the *units* of $x$ (say metres to
# decimetres, multiplying every $x$ by 10):

# %%
def hessian_of_line_fit(x):
    """Hessian of 0.5 * mean((w x + b - y)^2) over (w, b); it does not depend on y or the weights."""
    return np.array([[np.mean(x**2), np.mean(x)], [np.mean(x), 1.0]])


for scale in (1, 10):
    curvatures = np.linalg.eigvalsh(hessian_of_line_fit(scale * x))
    print(f"x times {scale:2d}: curvatures {curvatures[0]:.3f} and {curvatures[1]:.3f}, "
          f"condition number {curvatures[1] / curvatures[0]:.0f}")

# %% [markdown]
# Same data, same best line, but the bowl becomes a narrow valley: its condition number
# jumps from 3 to 35, so it curves 35 times more steeply across than along. Plain gradient descent struggles badly in such a
# valley (you will see why in lesson 03); lessons 05 and 06 show two cures, momentum and
# per-weight step sizes.
#
# ## A catalogue of shapes
#
# A real network's landscape has millions of dimensions and cannot be drawn. What we can
# do is study two-dimensional functions that each isolate one shape an optimizer meets.
# The course library has a catalogue of them in `opt.landscapes`. Each one knows its loss,
# its gradient, its Hessian, a plotting window and its landmarks (minima, saddle points,
# maxima).

# %%
def draw_landscape(ax, landscape, n=120):
    """Filled contours of a landscape with its minima, saddles and maxima marked."""
    X, Y, Z = landscape.mesh(n)
    if landscape.log_scale_contours:  # values spanning many orders of magnitude
        Z = np.log10(1 + Z - Z.min())
    ax.contourf(X, Y, Z, levels=14, cmap="viridis")
    mark_landmarks(ax, landscape)
    scale = " (log scale)" if landscape.log_scale_contours else ""
    ax.set(title=landscape.name + scale, xlabel="x", ylabel="y")

# %%
names = ["bowl", "ravine", "rosenbrock", "himmelblau", "saddle", "monkey_saddle",
         "plateau", "rastrigin", "cliff"]
fig, axes = plt.subplots(3, 3, figsize=(10, 9.5), layout="constrained")
for ax, name in zip(axes.flat, names):
    draw_landscape(ax, landscapes.ALL[name])
key = [Line2D([], [], linestyle="none", markeredgecolor="black", label=kind, **MARKS[kind]) for kind in MARKS]
fig.legend(handles=key, loc="outside lower center", ncol=3)
fig.suptitle("Nine landscapes, nine difficulties (dark = low loss)")
plt.show()

# %% [markdown]
# What each one teaches, and where the course deals with it:
#
# | landscape | shape | what it does to an optimizer | see lesson |
# |---|---|---|---|
# | `bowl` | round bowl | nothing hard: every downhill arrow points at the minimum | 03 |
# | `ravine` | long narrow valley | steep walls force small steps that zig-zag, while progress along the floor crawls | 03, 05, 06 |
# | `rosenbrock` | curved flat-bottomed valley | easy to fall into, slow to follow round the bend | 05, 08 |
# | `himmelblau` | four equal minima | where you start (and how you move) decides which one you reach | this lesson |
# | `saddle` | a minimum one way, a maximum the other | the slope vanishes near the centre: progress stalls | 05, 09 |
# | `monkey_saddle` | three valleys meeting at a flat point | even the curvature vanishes at the centre | 09 |
# | `plateau` | flat table with one well | tiny gradients far from the well: plain steps crawl | 07, 09 |
# | `rastrigin` | egg box on a bowl: a "chaotic" surface | 121 local minima; small steps stop in the nearest pit | 09 |
# | `cliff` | gentle bowl with a sudden wall | a huge gradient on the wall throws the weights far away | 09 |
#
# The library also has `beale` (steep walls and flat arms), not drawn above. The gallery
# below lets you browse all ten, each as a map and as a surface. Pick one from the menu.

# %%
# NBVAL_IGNORE_OUTPUT
gallery = widgets.landscape_gallery("rosenbrock")
gallery

# %% [markdown]
# ## Local and global minima
#
# A **global minimum** is the lowest point of the whole landscape; a **local minimum** is
# lowest only compared with its immediate neighbourhood. The goal of training is a low
# point, ideally the global minimum; in practice, any point whose loss is low enough (and,
# lesson 08 adds, that also does well on new data). Gradient descent only ever sees its
# neighbourhood, so it settles in whichever minimum's **basin** it starts in.
#
# Himmelblau's function has four minima, all with loss exactly 0. The next cell starts
# gradient descent from 3,721 points on a grid, all at once (the library runs many starts
# in one vectorised call), and colours each start by the minimum it ends in.

# %%
himmelblau = landscapes.himmelblau
grid = np.linspace(-5, 5, 61)
GX, GY = np.meshgrid(grid, grid)
starts = np.stack([GX.ravel(), GY.ravel()], axis=-1)  # shape (3721, 2)

runs = opt.run(opt.SGD(learning_rate=0.005), himmelblau, starts, steps=400)
distance = np.linalg.norm(runs.final_points[:, None, :] - himmelblau.minima[None], axis=-1)
basin = distance.argmin(axis=1)  # index of the minimum each start reached

# Four more runs, to draw: they start a little way from the hilltop, in four directions.
near_hill = himmelblau.maxima[0] + 0.4 * np.array([[1, 1], [-1, 1], [-1, -1], [1, -1]])
paths = opt.run(opt.SGD(learning_rate=0.005), himmelblau, near_hill, steps=400).points

# %%
# NBVAL_CHECK_OUTPUT
print(f"runs that diverged: {runs.diverged.sum()}; runs that ended within 1e-6 of a minimum: "
      f"{np.sum(distance.min(axis=1) < 1e-6)} of {len(starts)}")
for k, (mx, my) in enumerate(himmelblau.minima):
    print(f"minimum {k} at ({mx:6.3f}, {my:6.3f}) was reached from {np.sum(basin == k)} starts")

# %%
fig, ax = plt.subplots(figsize=(8, 5.2), layout="constrained")
ax.imshow(basin.reshape(GX.shape), origin="lower", extent=(-5, 5, -5, 5), interpolation="nearest",
          cmap=ListedColormap(SEQUENCE[:4]), alpha=0.45)
MX, MY, MZ = himmelblau.mesh(150)
ax.contour(MX, MY, np.log10(1 + MZ), levels=12, colors="grey", linewidths=0.6)
ax.plot(paths[:, :, 0], paths[:, :, 1], color="black", linewidth=1.2)
mark_landmarks(ax, himmelblau)
handles = [Patch(color=c, alpha=0.45, label=f"ends in minimum {k}") for k, c in enumerate(SEQUENCE[:4])]
ax.legend(handles=handles + [Line2D([], [], color="black", label="4 runs from near the hilltop")],
          loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=8)
ax.set(title="Himmelblau: where you start decides where you end", xlabel="x", ylabel="y")
plt.show()

# %% [markdown]
# Each coloured region is the basin of one minimum. The borders between basins run over
# the hilltop (triangle) and the saddle points (diamonds): four runs that start a short
# way from the hilltop, in four directions, end in four different minima. Here that is
# harmless, since all four minima are equally good.
#
# Rastrigin's function is the opposite case: 121 minima, and only the one at the origin is
# global. Let's start gradient descent from 1,000 random points.

# %%
# NBVAL_CHECK_OUTPUT
rastrigin = landscapes.rastrigin
rng = np.random.default_rng(0)
(x0, x1), (y0, y1) = rastrigin.bounds
random_starts = rng.uniform([x0, y0], [x1, y1], size=(1000, 2))
pits = opt.run(opt.SGD(learning_rate=0.002), rastrigin, random_starts, steps=300)
found_global = np.mean(pits.final_losses < 1e-6)
print(f"different minima reached: {len(np.unique(np.round(pits.final_points, 3), axis=0))}")
print(f"runs that found the global minimum: {found_global:.1%}")
print(f"median final loss: {np.median(pits.final_losses):.2f} (the global minimum is 0)")

# %% [markdown]
# Gradient descent stops in the nearest pit almost every time. This is the fear the
# article voices: an optimizer "stuck in a local minimum". It is real on this landscape,
# and lesson 09 shows how noise and momentum help. But is it what happens when training
# a network with millions of weights? The rest of this lesson says: mostly not. To see
# why, we first need a way to tell minima from other flat points.
#
# ## Minimum, maximum or saddle? Ask the Hessian
#
# A **critical point** is a point where the gradient is zero: a minimum, a maximum or a
# saddle point. Gradient descent slows down near all of them, since its steps are
# proportional to the gradient. To tell them apart, look at the curvature. Near a critical
# point $p$ the loss is, to second order,
#
# $$L(p + d) \approx L(p) + \tfrac12\, d^\top H\, d .$$
#
# Write $d$ along the eigenvectors $v_i$ of the Hessian $H$, with eigenvalues $\lambda_i$:
# moving a distance $t$ along $v_i$ changes the loss by $\tfrac12 \lambda_i t^2$. So
#
# - all $\lambda_i > 0$: the loss rises in every direction, a **minimum**;
# - all $\lambda_i < 0$: it falls in every direction, a **maximum**;
# - some positive, some negative: a **saddle point**, downhill along the negative ones;
# - some $\lambda_i = 0$ and no negative one: the second derivatives cannot decide (the
#   monkey saddle's Hessian is all zeros; its third derivatives make it a saddle).
#
# Four quadratics $\tfrac12(\lambda_1 u^2 + \lambda_2 v^2)$, with the axes turned by 30°,
# show the cases. Arrows are the eigenvectors, labelled with their eigenvalues.

# %%
angle = np.radians(30)
axes_uv = np.array([[np.cos(angle), np.sin(angle)], [-np.sin(angle), np.cos(angle)]])  # rows: v1, v2
QX, QY = np.meshgrid(np.linspace(-2, 2, 101), np.linspace(-2, 2, 101))
U = QX * axes_uv[0, 0] + QY * axes_uv[0, 1]  # coordinates along the turned axes
V = QX * axes_uv[1, 0] + QY * axes_uv[1, 1]
cases = {"minimum": (2.0, 1.0), "narrow valley": (2.0, 0.1), "saddle": (2.0, -1.0), "maximum": (-2.0, -1.0)}
fig, axes = plt.subplots(1, 4, figsize=(12, 3.4), layout="constrained")
for ax, (title, (lam1, lam2)) in zip(axes, cases.items()):
    ax.contourf(QX, QY, 0.5 * (lam1 * U**2 + lam2 * V**2), levels=15, cmap="viridis")
    for vector, lam, colour in zip(axes_uv, (lam1, lam2), (SEQUENCE[1], SEQUENCE[5])):
        ax.annotate("", xy=1.4 * vector, xytext=(0, 0),
                    arrowprops=dict(arrowstyle="-|>", color=colour, lw=2))
        ax.text(*(1.55 * vector), f"λ={lam:g}", color="white", fontsize=9, ha="center", va="center")
    ax.set(title=f"{title}: λ = {lam1:g}, {lam2:g}", xlabel="x", ylabel="y", aspect="equal")
fig.suptitle("The signs of the Hessian's eigenvalues decide the shape (dark = low)")
plt.show()

# %% [markdown]
# The test in code: `landscape.hessian(points)` gives one $2\times2$ Hessian per point,
# and `np.linalg.eigvalsh` (for symmetric matrices) their eigenvalues, sorted, for all
# points at once.

# %%
def classify(hessians, tolerance=1e-8):
    """Name each critical point from its Hessian's eigenvalues (vectorised over points)."""
    eigenvalues = np.linalg.eigvalsh(hessians)  # shape (..., n), smallest first
    smallest, largest = eigenvalues[..., 0], eigenvalues[..., -1]
    return np.select(
        [smallest > tolerance, largest < -tolerance, (smallest < -tolerance) & (largest > tolerance)],
        ["minimum", "maximum", "saddle"],
        default="undecided",  # a zero eigenvalue and no sign change
    )

# %% [markdown]
# Now check every landmark in the catalogue: is the gradient really zero there, and does
# the Hessian agree with the label the catalogue gives it?

# %%
# NBVAL_CHECK_OUTPUT
kinds = ["minimum", "saddle", "maximum", "undecided"]
print(f"{'':14s} {'catalogue':>15s} {'Hessian says':>21s}")
print(f"{'landscape':14s} {'min/saddle/max':>15s} {'min/saddle/max/undec.':>21s}  gradient 0?")
for name, landscape in landscapes.ALL.items():
    points = np.concatenate([landscape.minima, landscape.saddles, landscape.maxima])
    verdicts = classify(landscape.hessian(points))
    catalogue = f"{len(landscape.minima)}/{len(landscape.saddles)}/{len(landscape.maxima)}"
    hessian = "/".join(str(np.sum(verdicts == kind)) for kind in kinds)
    flat = np.abs(landscape.grad(points)).max() < 1e-10
    print(f"{name:14s} {catalogue:>15s} {hessian:>21s}  {flat}")

# %% [markdown]
# Every count matches the catalogue, and every gradient is zero up to round-off.
# Rastrigin alone has 121 minima, 220 saddles and 100 maxima inside its window. The
# monkey saddle is "undecided", as expected: its Hessian at the centre is the zero matrix.
#
# ## Beyond the article: in many dimensions, saddles win
#
# A critical point is a minimum only if **all** $n$ eigenvalues of its Hessian are
# positive. With two weights that is easy to arrange. With $n$ weights, every single one of
# $n$ curvatures must point up. If each sign were a coin flip, the chance would be
# $2^{-n}$ already. Real matrices are not coin flips, so let's *measure* the chance for
# random symmetric matrices, a standard model of "a Hessian we know nothing about"
# (the Gaussian orthogonal ensemble: symmetrise a matrix of independent normal numbers).
#
# A sanity check first: for $n = 2$ the exact answer is known, $(2 - \sqrt2)/4 \approx 0.146$.

# %%
def fraction_positive_definite(n, samples, seed=0):
    """Share of random symmetric n x n matrices (GOE) whose eigenvalues are all > 0."""
    rng = np.random.default_rng(seed)
    G = rng.normal(size=(samples, n, n))
    hessians = G + np.swapaxes(G, 1, 2)  # symmetric; the scale does not change the signs
    return np.mean(np.linalg.eigvalsh(hessians)[:, 0] > 0)


sizes, samples = np.arange(1, 7), 20_000
measured = np.array([fraction_positive_definite(n, samples, seed=int(n)) for n in sizes])

# %%
# NBVAL_CHECK_OUTPUT
print(f"n = 2: measured {measured[1]:.3f}, exact {(2 - np.sqrt(2)) / 4:.3f}")
print(f" n  minima (all eigenvalues > 0) out of {samples:,}   coin flips 2^-n")
for n, share in zip(sizes, measured):
    print(f"{n:2d}  {round(share * samples):6d}, a fraction of {share:.5f}   {2.0**-n:20.5f}")

# %%
fig, ax = plt.subplots(figsize=(6.5, 3.8), layout="constrained")
error = np.sqrt(measured * samples) / samples  # standard error of a count of rare hits
ax.errorbar(sizes, measured, yerr=[np.minimum(error, 0.9 * measured), error], fmt="o-", capsize=3,
            color=SEQUENCE[0], label=f"random symmetric matrices ({samples:,} per n)")
ax.semilogy(sizes, 2.0**-sizes, "--", color="grey", label="independent coin flips, $2^{-n}$")
ax.set(title="Chance that a critical point is a minimum", xlabel="number of weights n",
       ylabel="fraction with all eigenvalues > 0")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# The chance collapses, and much faster than coin flips: eigenvalues of a symmetric
# matrix repel each other, so "all of them on one side of zero" is rarer still. Theory
# says it decays like $e^{-c\,n^2}$ (the exponent grows with $n^2$, not $n$). At five and
# six weights only one or two random Hessians in 20,000 are minima: too few hits to pin the
# value down (hence the error bars), but the trend is plain. A network has millions of weights.
#
# What does a typical critical point look like instead? Count its **downhill directions**
# (negative eigenvalues) as a share of all directions:

# %%
rng = np.random.default_rng(1)
for n in (10, 50):
    G = rng.normal(size=(200, n, n))
    downhill_share = np.mean(np.linalg.eigvalsh(G + np.swapaxes(G, 1, 2)) < 0, axis=1)
    print(f"n = {n:2d}: downhill directions {downhill_share.mean():.2f} of all on average, "
          f"range {downhill_share.min():.2f} to {downhill_share.max():.2f} over 200 matrices")

# %% [markdown]
# About half the directions go down, and the larger $n$, the more tightly every matrix
# sits at one half: a random critical point is a saddle with many ways out, not a trap.
#
# **A fair caveat.** The Hessian at a critical point of a real network is not an
# arbitrary random matrix. Studies of real networks and of random smooth functions
# (Bray and Dean, 2007; Dauphin et al., 2014) found that the share of downhill directions
# goes with the loss: critical points with a *high* loss are saddles with many ways down,
# and the few with no way down, true minima, mostly have a loss close to the best. So the
# practical reading is:
#
# - when training stalls at a high loss, suspect a saddle point or a flat region before a
#   bad local minimum;
# - near a saddle the gradient is tiny, so plain gradient descent *slows down* there, even
#   though it is not trapped (lesson 03 measures this); momentum and adaptive methods
#   (lessons 05 to 07) leave faster, and lessons 08 and 09 time their escapes from saddles
#   and plateaus.
#
# ## Recap
#
# - A loss landscape is the loss as a function of the weights. Contour maps show it from
#   above: crowded lines mean steep ground.
# - The Hessian (second derivatives) describes the local shape; its eigenvalues are the
#   curvatures along the main axes, and their ratio (the condition number) says how
#   stretched a valley is. Merely rescaling an input turned a bowl into a ravine.
# - Gradient descent ends in the minimum whose basin it starts in: on Himmelblau that is
#   harmless, on Rastrigin it usually means a poor local minimum.
# - At a critical point: all eigenvalues positive = minimum, all negative = maximum,
#   mixed signs = saddle; a zero eigenvalue leaves the test undecided.
# - With many weights, a critical point with all curvatures positive is extremely rare:
#   saddles, not local minima, are the common obstacle at high loss.
#
# ## Your turn
#
# - Rerun the Himmelblau basin map with `learning_rate=0.02`. Do the basins keep their
#   shape? Which minimum you reach depends on the optimizer's steps too, not only on the
#   landscape.
# - In `fraction_positive_definite`, count the matrices whose eigenvalues are all
#   *negative* (maxima). Why is the answer about the same?
# - The matching exercise, [`../exercises/01_gradient_descent.ipynb`](../exercises/01_gradient_descent.ipynb),
#   goes with lesson 03, where you learn to compute gradients and step with them.
#
# **Next:** [Lesson 03: Gradients and gradient descent](03_gradient_descent.ipynb).
