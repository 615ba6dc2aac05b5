# %% [markdown]
# # Lesson 01: What an optimizer does
#
# A model is a function with adjustable numbers inside it, the loss says how wrong it
# is, and the optimizer is the procedure that changes those numbers until the loss is low.
#
# **You will be able to:**
#
# - name the parts of training: model, weights, loss, gradient, update;
# - compute a model's loss for any choice of its weights, and read the loss as a
#   function of the weights;
# - explain, with a measurement you can rerun, why guessing weights at random stops
#   working as the number of weights grows, while gradient steps keep working;
# - write the training loop in six lines of NumPy and check it against the course library;
# - list the jobs an optimizer has to do.
#
# **Article sections:** 1 · **Study time:** about 20 minutes

# %%
import io

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display
from matplotlib.figure import Figure

import optimizers as opt
from optimizers.widgets.style import SEQUENCE, color_of

# %% [markdown]
# ## A tiny problem
#
# Here are 50 measured points $(x_i, y_i)$ that roughly follow a straight line.
# Our model predicts $y$ from $x$ with a line,
#
# $$\hat y = w\,x + b,$$
#
# so it has two adjustable numbers: the slope $w$ and the intercept $b$. These are the
# model's **weights** (or parameters). A neural network works the same way, except that
# it has thousands to billions of weights instead of two. Two weights have one big
# advantage for learning: every picture in this lesson can show all of them.
#
# Before training, weights are set to random numbers. Let's draw a random pair and see
# how good that line is.

# %%
X, y = opt.data.regression_line(n=50, slope=2.0, intercept=-1.0, noise=0.3, seed=0)
x = X[:, 0]  # the data set has one feature: X has shape (50, 1)

rng = np.random.default_rng(1)
w0, b0 = rng.normal(size=2)  # a random starting model
print(f"random start: w = {w0:.3f}, b = {b0:.3f}")

x_line = np.linspace(-1, 1, 2)
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.scatter(x, y, s=15, color="grey", label="data")
ax.plot(x_line, w0 * x_line + b0, color=SEQUENCE[3], label="random model")
ax.set(title="A model with random weights", xlabel="input $x$", ylabel="target $y$")
ax.legend()
plt.show()

# %% [markdown]
# The random line misses the points badly. Nothing about it will improve by itself:
# using the model (computing $\hat y$) reads the weights but never changes them.
#
# ## The loss: one number for "how wrong"
#
# To improve the model we first need to *measure* how wrong it is. The **loss** turns all
# 50 errors $\hat y_i - y_i$ into one number. Here we use half the mean squared error:
#
# $$L(w, b) = \frac{1}{2n}\sum_{i=1}^{n} \left(w\,x_i + b - y_i\right)^2 .$$
#
# Squaring makes every error count as positive and punishes big misses most; the mean keeps
# the loss from growing with the number of points; the factor $\tfrac12$ only tidies up the
# derivative later. The loss is zero only if every prediction is exact.
#
# The code below is that formula. It is written so that `w` and `b` may also be whole
# arrays of candidate weights (we use that in a moment to draw a map).

# %%
def predict(w, b, x):
    """The model: one prediction w * x + b per input."""
    return w * x + b


def loss(w, b):
    """Half mean squared error of the line (w, b) on the data (x, y)."""
    w, b = np.asarray(w)[..., None], np.asarray(b)[..., None]  # a trailing axis for the 50 points
    residual = predict(w, b, x) - y
    return 0.5 * np.mean(residual**2, axis=-1)

# %% [markdown]
# For a straight line there happens to be a formula for the best weights (least squares),
# so we can see how low the loss can go. This is a luxury: for a neural network no such
# formula exists, and an optimizer is the only way down. We also check that the course's
# `LinearRegression` model computes the same loss as our two functions.

# %%
design = np.column_stack([x, np.ones_like(x)])
w_best, b_best = np.linalg.lstsq(design, y, rcond=None)[0]

model = opt.models.LinearRegression(n_features=1)
model.params[0][...] = w0  # set the weights in place
model.params[1][...] = b0

print(f"loss of the random model: {float(loss(w0, b0)):.4f}")
print(f"library model, same weights: {model.loss(X, y):.4f}")
print(f"lowest possible loss: {float(loss(w_best, b_best)):.4f} at w = {w_best:.3f}, b = {b_best:.3f}")

# %% [markdown]
# The best line is close to the line the data was generated from ($w = 2$, $b = -1$);
# its loss is not zero because the points carry noise.
#
# ## The loss is a function of the weights
#
# The data are fixed. What we are free to change is $(w, b)$, and every choice gives a
# loss. So the loss is a function of the weights, and for two weights we can draw it as a
# map: each point of the right-hand plane below is one model, and its colour is that
# model's loss. Training means travelling on this map from the random start (the dot) to
# the lowest point (the star). Lesson 02 explores such maps, called **loss landscapes**.

# %%
W, B = np.meshgrid(np.linspace(-1, 5, 121), np.linspace(-3, 2, 101))
L_grid = loss(W, B)  # 12,221 models evaluated at once


def draw_map(ax):
    """Contour map of the loss over (w, b), with the best weights marked."""
    filled = ax.contourf(W, B, L_grid, levels=np.geomspace(0.04, 10, 15), cmap="viridis", extend="max")
    ax.plot(w_best, b_best, "*", color="white", markersize=14, markeredgecolor="black", label="lowest loss")
    ax.set(xlabel="slope $w$", ylabel="intercept $b$")
    return filled

# %%
def model_figure(w, b):
    """Left: the line (w, b) over the data. Right: its place on the loss map."""
    fig = Figure(figsize=(10, 3.6), layout="constrained")  # outside pyplot: the slider app redraws it
    left, right = fig.subplots(1, 2)
    left.scatter(x, y, s=15, color="grey", label="data")
    left.plot(x_line, predict(w, b, x_line), color=SEQUENCE[0], label="your model")
    left.set(title=f"loss = {float(loss(w, b)):.4f}", xlabel="input $x$", ylabel="target $y$")
    left.set_ylim(-4.5, 2.5)
    left.legend(loc="upper left")
    ticks = [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10]
    fig.colorbar(draw_map(right), ax=right, label="loss $L(w, b)$", ticks=ticks)
    right.plot(w, b, "o", color=SEQUENCE[0], markersize=9, label="your model")
    right.set_title("Every point is a model: the loss map")
    right.legend(loc="lower right", fontsize=8)
    return fig


display(model_figure(w0, b0))

# %% [markdown]
# ### Be the optimizer
#
# Before any algorithm, do the job yourself. Run the next cell and move the sliders: the
# picture is the one above, redrawn for your $(w, b)$. Try to get the loss below 0.05.
# (In a notebook viewer that does not run code you see no sliders: open the notebook in
# JupyterLab to play.)
#
# Notice what you do: you watch whether the loss goes up or down when you nudge a
# slider (a **direction**), and you decide how far to push (a **step size**). An optimizer
# does exactly this, automatically, for every weight at once.

# %%
# NBVAL_IGNORE_OUTPUT
w_slider = ipywidgets.FloatSlider(value=round(w0, 2), min=-1, max=5, step=0.05, description="slope w")
b_slider = ipywidgets.FloatSlider(value=round(b0, 2), min=-3, max=2, step=0.05, description="intercept b")
picture = ipywidgets.Image(format="png")


def redraw(change=None):
    """Draw the figure for the sliders' values and show it as a PNG."""
    buffer = io.BytesIO()
    model_figure(w_slider.value, b_slider.value).savefig(buffer, format="png", dpi=80)
    picture.value = buffer.getvalue()


w_slider.observe(redraw, names="value")
b_slider.observe(redraw, names="value")
redraw()
ipywidgets.VBox([ipywidgets.HBox([w_slider, b_slider]), picture])

# %% [markdown]
# ## No optimizer, no learning
#
# Could we skip the maths and just *guess*? The simplest learning method without any
# calculus is **random search**: nudge the weights in a random direction, keep the nudge if
# the loss went down, otherwise throw it away, and repeat. It needs nothing but the loss.
#
# Let's race it against **gradient descent**, which moves the weights in the downhill
# direction computed from the loss's derivatives (how is the topic of lesson 03). The race
# runs on linear-regression problems with $d = 2$, $20$ and $200$ weights. To be generous,
# random search gets 600 tries where gradient descent gets 200 steps (one gradient costs
# about as much as two or three loss evaluations), and it uses the best of four nudge sizes.

# %%
def make_problem(d, n=400, seed=0):
    """A linear-regression data set with d features and its loss and gradient."""
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(n, d))
    t = A @ rng.normal(size=d) + 0.1 * rng.normal(size=n)  # targets from hidden true weights
    loss_d = lambda v: 0.5 * np.mean((A @ v - t) ** 2)
    grad_d = lambda v: A.T @ (A @ v - t) / n  # derivative of loss_d (see lesson 03)
    return loss_d, grad_d

# %%
def random_search(loss_d, d, tries, nudge, seed=1):
    """Keep a random nudge of the weights whenever it lowers the loss."""
    rng = np.random.default_rng(seed)
    v, best = np.zeros(d), [loss_d(np.zeros(d))]
    for _ in range(tries):
        candidate = v + nudge * rng.normal(size=d)
        candidate_loss = loss_d(candidate)
        if candidate_loss < best[-1]:
            v = candidate
        best.append(min(best[-1], candidate_loss))
    return best

# %%
def gradient_descent(loss_d, grad_d, d, steps, learning_rate=0.5):
    """Step against the gradient; return the loss after every step."""
    v, history = np.zeros(d), [loss_d(np.zeros(d))]
    for _ in range(steps):
        v = v - learning_rate * grad_d(v)
        history.append(loss_d(v))
    return history


race = {}
for d in (2, 20, 200):
    loss_d, grad_d = make_problem(d)
    searches = [random_search(loss_d, d, tries=600, nudge=s) for s in (0.01, 0.03, 0.1, 0.3)]
    race[d] = (min(searches, key=lambda h: h[-1]), gradient_descent(loss_d, grad_d, d, steps=200))

# %%
# NBVAL_CHECK_OUTPUT
print("weights  start loss  random search (600 tries)  gradient descent (200 steps)")
for d, (search, descent) in race.items():
    print(f"{d:7d}  {search[0]:10.3f}  {search[-1]:25.4f}  {descent[-1]:28.4f}")

# %%
fig, axes = plt.subplots(1, 3, figsize=(11, 3.6), sharey=True, layout="constrained")
for ax, (d, (search, descent)) in zip(axes, race.items()):
    ax.semilogy(np.arange(601) / 3, search, color=SEQUENCE[1], label="random search")
    ax.semilogy(descent, color=color_of("GD"), label="gradient descent")
    ax.set_title(f"{d} weights")
axes[0].set_ylabel("training loss")
axes[0].legend()
fig.supxlabel("cost, in gradient steps (random search makes 3 tries per step)")
fig.suptitle("Guessing works with 2 weights and fails with 200; gradient steps work for all")
plt.show()

# %% [markdown]
# With 2 weights, guessing reaches the same answer as gradient descent, only later. With
# 200 weights it is still at a third of its starting loss after 600 tries, while gradient
# descent reaches the noise floor (about 0.005 here) in every case. Why? In many dimensions almost every random direction is
# nearly *sideways* to the downhill direction: it changes the loss very little, and half
# the time for the worse. The gradient points straight downhill at the cost of one extra
# backward computation. The cell below measures how much of a random unit nudge points
# downhill, on average, as the number of weights grows.

# %%
# NBVAL_CHECK_OUTPUT
rng = np.random.default_rng(0)
lines = []
for d in (2, 20, 200, 20_000):
    nudges = rng.normal(size=(200, d))
    downhill = np.abs(nudges[:, 0]) / np.linalg.norm(nudges, axis=1)  # cosine with one fixed direction
    lines.append(f"{d:6d} weights: on average {downhill.mean():.3f} of a random nudge points downhill")
print("\n".join(lines))

# %% [markdown]
# The useful part shrinks like $1/\sqrt{d}$: with a million weights, a random nudge is
# 99.9 % wasted. This is why training needs an optimizer that uses the gradient, and why
# "no optimizer, no learning" is not an exaggeration.
#
# ## The training loop in six lines
#
# Every training run, from this line to a large language model, repeats four moves:
#
# 1. **predict**: $\hat y_i = w\,x_i + b$ for the data;
# 2. **loss**: $L = \frac{1}{2n}\sum_i (\hat y_i - y_i)^2$;
# 3. **gradient**: how the loss changes with each weight. For this model
#    $\frac{\partial L}{\partial w} = \frac1n\sum_i(\hat y_i - y_i)\,x_i$ and
#    $\frac{\partial L}{\partial b} = \frac1n\sum_i(\hat y_i - y_i)$ (lesson 03 derives
#    and checks these);
# 4. **update**: move each weight a little against its gradient,
#    $w \leftarrow w - \eta\,\frac{\partial L}{\partial w}$, where $\eta$ is the **learning rate**.
#
# The optimizer is step 4. Everything before it only *measures*; step 4 is the only line
# that changes the model. Here is the loop, from the random start, with $\eta = 0.5$:

# %%
w, b = w0, b0  # the random start
learning_rate = 0.5
path = [(w, b)]
for step in range(100):
    y_hat = w * x + b  # 1. predict
    residual = y_hat - y  # 2. loss = 0.5 * mean(residual**2)
    dw, db = np.mean(residual * x), np.mean(residual)  # 3. gradient
    w = w - learning_rate * dw  # 4. update
    b = b - learning_rate * db
    path.append((w, b))
path = np.array(path)

# %%
# NBVAL_CHECK_OUTPUT
print(f"after 100 steps: w = {w:.4f}, b = {b:.4f}, loss = {float(loss(w, b)):.5f}")
print(f"least squares:   w = {w_best:.4f}, b = {b_best:.4f}, loss = {float(loss(w_best, b_best)):.5f}")

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
draw_map(left)
left.plot(path[:, 0], path[:, 1], ".-", color=color_of("GD"), markersize=3, label="gradient descent")
left.set_title("The path of the weights on the loss map")
right.scatter(x, y, s=12, color="grey", label="data")
for k, colour in zip((0, 3, 10, 100), SEQUENCE):
    left.plot(*path[k], "o", color=colour, markersize=7)
    right.plot(x_line, predict(*path[k], x_line), color=colour, label=f"after {k} steps")
left.legend(loc="lower right", fontsize=8)
right.set(title="The model improves step by step", xlabel="input $x$", ylabel="target $y$")
right.legend(fontsize=8)
plt.show()

# %% [markdown]
# The loop found the least-squares answer without ever being told the formula for it; it
# only followed the gradient. The same loop trains networks for which no formula exists.
#
# ### The same loop with the course library
#
# The `optimizers` package splits the loop the same way. A model's `loss_and_grads`
# does steps 1 to 3 (prediction, loss, gradient) and an optimizer's `apply` does step 4,
# updating the weights *in place*. Plain gradient descent is `opt.SGD` with its default
# `momentum=0`: its update is exactly $w \leftarrow w - \eta\, g$.

# %%
# NBVAL_CHECK_OUTPUT
model = opt.models.LinearRegression(n_features=1)
model.params[0][...], model.params[1][...] = w0, b0  # the same random start
sgd = opt.SGD(learning_rate=0.5)
for step in range(100):
    loss_value, grads = model.loss_and_grads(X, y)  # steps 1-3
    sgd.apply(grads, model.params)  # step 4, in place
w_lib, b_lib = model.params[0][0], model.params[1][0]
print(f"library: w = {w_lib:.4f}, b = {b_lib:.4f}, after {sgd.iterations} updates")
print("same as our loop (to round-off):", np.allclose([w_lib, b_lib], [w, b], rtol=1e-12, atol=0))

# %% [markdown]
# `opt.training.fit` runs this loop for you, with bookkeeping (a history of losses,
# divergence checks, validation data); lesson 04 uses it. From lesson 05 on, only the
# optimizer changes: `opt.SGD(momentum=0.9)`, `opt.RMSprop()`, `opt.Adam()` and others
# replace step 4, and steps 1 to 3 stay as they are.
#
# ## The jobs of an optimizer
#
# Step 4 looks trivial, but it carries every decision about *how* to move. An optimizer
# has four jobs:
#
# 1. **Direction.** Move the weights so that the loss goes down. The negative gradient
#    is the steepest way down right here; lessons 05 to 07 show why the best direction over
#    many steps is often something built from past gradients.
# 2. **Step size.** Decide how far to move, which sets how quickly (or whether) the model
#    learns. The cell below shows this one.
# 3. **Stability.** Keep training from blowing up or jittering: gradients can be noisy
#    (lesson 04), huge near a cliff (lesson 09), or tiny on a plateau.
# 4. **A good destination.** Avoid getting stuck where the loss is still high (saddles,
#    flat regions: lessons 02 and 09), and end at weights that work on *new* data, not
#    just the training data (generalisation: lesson 08).
#
# Here is job 2 in action: the same loop, 30 steps, four learning rates.

# %%
def train_line(learning_rate, steps=30):
    """The six-line loop from above, as a function; returns the loss after each step."""
    w, b, losses = w0, b0, []
    for _ in range(steps):
        residual = w * x + b - y
        w, b = w - learning_rate * np.mean(residual * x), b - learning_rate * np.mean(residual)
        losses.append(float(loss(w, b)))
    return losses


runs = {lr: train_line(lr) for lr in (0.05, 0.5, 1.9, 2.1)}

# %%
# NBVAL_CHECK_OUTPUT
floor = float(loss(w_best, b_best))
for lr, losses in runs.items():
    if losses[-1] > losses[0]:
        verdict = "growing: diverging"
    elif losses[-1] < 1.01 * floor:
        verdict = "at the lowest loss"
    else:
        verdict = "still on its way down"
    print(f"learning rate {lr:4}: loss after 30 steps = {losses[-1]:.4g} ({verdict})")

# %%
fig, ax = plt.subplots(figsize=(7, 3.6))
for colour, (lr, losses) in zip(SEQUENCE, runs.items()):
    ax.semilogy(np.arange(1, 31), losses, color=colour, label=f"learning rate {lr}")
ax.axhline(float(loss(w_best, b_best)), color="grey", linestyle=":", label="lowest possible loss")
ax.set(title="Same loop, same start: the step size decides everything", xlabel="step",
       ylabel="loss (log scale)", ylim=(0.01, 1e4))
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# Too small a step (0.05) is safe but slow, and 0.5 is quick. At 1.9 every step jumps
# past the bottom of the valley to the other side, a little less far each time, so it
# still settles, but slowly. At 2.1 each jump lands further out than the last, and the loss
# explodes. Lesson 03 explains exactly where the boundary between these lies.
#
# ## Recap
#
# - A model's **weights** are the numbers training may change; the **loss** is one number
#   that says how wrong the model is, and it is a function of the weights.
# - Training repeats: predict, compute the loss, compute the gradient, **update**. The
#   optimizer is the update, the only step that changes the model.
# - Random guessing works with 2 weights and fails with 200: a random direction is almost
#   sideways in high dimensions. The gradient gives the downhill direction directly.
# - Plain gradient descent, $w \leftarrow w - \eta\,g$, is `opt.SGD()`; our six-line loop
#   and the library agree to round-off.
# - An optimizer's jobs: direction, step size, stability, and a good destination
#   (low loss that also holds on new data).
#
# ## Your turn
#
# - Using `train_line`, find the largest learning rate that still converges, to two
#   decimals. (Lesson 03 shows how to predict it from the shape of the loss.)
# - In the random-search race, give random search 6,000 tries for $d = 200$. How far
#   does it get?
# - The matching exercise is [`../exercises/01_gradient_descent.ipynb`](../exercises/01_gradient_descent.ipynb),
#   where you write the update rule yourself; it goes with lesson 03, so do it after that lesson.
#
# **Next:** [Lesson 02: Loss landscapes](02_loss_landscapes.ipynb), where we map the terrain an
# optimizer has to cross.
