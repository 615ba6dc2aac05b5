# %% [markdown]
# # Lesson 04: Batch, mini-batch and stochastic gradient descent
#
# One update rule, three ways to feed it a gradient: from all the data, from one example, or from a small batch.
#
# **You will be able to:**
#
# - say what *batch*, *mini-batch* and *stochastic* gradient descent mean, and why they are three uses of
#   the *same* optimizer rather than three optimizers;
# - count updates per epoch and explain what one update and one epoch cost;
# - measure how noisy a mini-batch gradient is, and predict how the noise shrinks with the batch size;
# - explain why a constant learning rate leaves stochastic training bouncing above the minimum;
# - explain why mini-batches are the default in practice (Keras's `fit` uses 32 rows unless told otherwise).
#
# **Article sections:** 4 (4.1, 4.2, 4.3) · **Study time:** about 25 minutes

# %% [markdown]
# ## Setup
#
# We train a small neural network (an MLP with one hidden layer of 32 units) to read the 8x8 handwritten
# digits that ship with scikit-learn. About 1,080 images are for training; the rest are held out.

# %%
import time

import matplotlib.pyplot as plt
import numpy as np

import optimizers as opt
from optimizers.models import LinearRegression, MLP
from optimizers.training import evaluate, fit
from optimizers.widgets import style

digits = opt.data.digits(seed=0)
X_train, y_train = digits.X_train, digits.y_train
n = len(y_train)
print(f"{n} training images, {X_train.shape[1]} pixels each, {digits.n_classes} classes")

# %% [markdown]
# ## 1. One function, three regimes
#
# Every training step computes a gradient and hands it to the optimizer. The gradient of the training loss
# is an **average over examples**: $\nabla L(w) = \frac{1}{n}\sum_{i=1}^{n} \nabla \ell_i(w)$, where
# $\ell_i$ is the loss on example $i$. The three regimes differ only in how many examples go into that
# average before we take a step:
#
# | regime | rows per gradient | updates per epoch ($n$ rows) | `fit(..., batch_size=...)` |
# |---|---|---|---|
# | batch GD | all $n$ | 1 | `None` |
# | mini-batch GD | $B$ (e.g. 32) | $\lceil n / B \rceil$ | `B` |
# | stochastic GD | 1 | $n$ | `1` |
#
# An **epoch** is one pass over the training rows. The update itself is the same in all three cases,
# $w \leftarrow w - \eta\, g$, with $g$ the average gradient over the rows of the current batch. So this
# is the most important sentence of the lesson:
#
# > **Batch, mini-batch and stochastic describe how the gradient is computed (the training loop's
# > `batch_size`), not which optimizer runs.** Below, all three use the very same `opt.SGD`; later lessons
# > use Adam or RMSprop with mini-batches in exactly the same way.
#
# Let us train the same network, from the same starting weights, in the three regimes for three epochs.
# Each regime gets its own learning rate: the best of a small grid we tried (0.1, 0.3, 1, 2 for the full
# batch; 0.03, 0.1, 0.3, 1 for 32 rows; 0.003, 0.01, 0.03, 0.1 for one row). Larger batches give more
# reliable gradients, so they tolerate larger steps.

# %%
EPOCHS = 3
REGIMES = {  # name: (batch_size, learning rate)
    "batch GD": (None, 1.0),
    "mini-batch GD (B=32)": (32, 0.3),
    "stochastic GD (B=1)": (1, 0.03),
}
histories = {}
for name, (batch_size, lr) in REGIMES.items():
    model = MLP([64, 32, 10], seed=0)  # same architecture, same starting weights every time
    histories[name] = fit(model, opt.SGD(learning_rate=lr), X_train, y_train,
                          batch_size=batch_size, epochs=EPOCHS, seed=0, progress=False,
                          validation_data=(digits.X_val, digits.y_val))

# %% [markdown]
# The table counts what happened. The number of *examples looked at* is the same for every regime
# ($3 \times n$): what differs is how many steps were taken with them.

# %%
# NBVAL_CHECK_OUTPUT
print(f"{'regime':22s} {'updates/epoch':>13s} {'updates':>8s} {'train loss':>10s} {'val accuracy':>12s}")
for name, h in histories.items():
    print(f"{name:22s} {h.updates_per_epoch:13d} {h.n_updates:8d} "
          f"{h.epoch_train_loss[-1]:10.3f} {h.epoch_val_metric[-1]:12.3f}")

# %% [markdown]
# Per epoch, stochastic GD is far ahead and batch GD has barely moved: three updates, however exact, are
# not much training. But an epoch is not the only price. The right panel plots the same runs against the
# wall-clock time they took on this machine (your times will differ; the shape should not).

# %%
initial_loss = evaluate(MLP([64, 32, 10], seed=0), X_train, y_train)[0]
fig, (ax_epoch, ax_time) = plt.subplots(1, 2, figsize=(10, 3.6), sharey=True)
for color, (name, h) in zip(style.SEQUENCE, histories.items()):
    epochs = np.arange(EPOCHS + 1)
    seconds = h.wall_time * epochs / EPOCHS  # the epochs take about equally long
    losses = [initial_loss, *h.epoch_train_loss]
    ax_epoch.plot(epochs, losses, "o-", color=color, label=name)
    ax_time.plot(seconds, losses, "o-", color=color, label=name)
ax_epoch.set(title="Progress per epoch (same data seen)", xlabel="epoch", ylabel="training loss")
ax_time.set(title="Progress per second of computing", xlabel="wall time (s, this machine)")
ax_epoch.legend()
plt.show()

# %% [markdown]
# - **Per epoch** (left), more updates win: stochastic GD makes $n \approx 1{,}080$ small steps per epoch.
# - **Per second** (right), mini-batches win: an epoch of 34 batches of 32 rows takes a fraction of the
#   time of 1,080 single-row updates, and gets nearly as far.
#
# Why is that? The next section measures the cost.

# %% [markdown]
# ## 2. What one update and one epoch cost
#
# Every epoch computes exactly $n$ per-example gradients, whatever the batch size, so you might expect every
# epoch to cost the same. It does not, because an update has a **fixed overhead** (calling functions,
# launching the matrix products, updating the weights) and because hardware computes one matrix product
# over 32 rows much faster than 32 products over one row each. A GPU makes this effect much stronger.
#
# We time single updates at several batch sizes and multiply by the number of updates in an epoch.

# %%
def seconds_per_update(batch_size):
    """Time of one update (gradient + SGD step) on `batch_size` rows: best of 5 averages."""
    model, sgd, best = MLP([64, 32, 10], seed=0), opt.SGD(0.01), np.inf
    Xb, yb = X_train[:batch_size], y_train[:batch_size]
    repeats = max(3, min(30, 1000 // batch_size))  # about 1,000 rows per measurement
    for _ in range(5):  # the best of 5 filters out moments when the machine was busy elsewhere
        start = time.perf_counter()
        for _ in range(repeats):
            loss, grads = model.loss_and_grads(Xb, yb)
            sgd.apply(grads, model.params)
        best = min(best, (time.perf_counter() - start) / repeats)
    return best

sizes = np.array([1, 4, 16, 64, 256, n])
per_update = np.array([seconds_per_update(b) for b in sizes])
per_epoch = per_update * np.ceil(n / sizes)

# %%
fig, (ax_u, ax_e) = plt.subplots(1, 2, figsize=(10, 3.4))
ax_u.loglog(sizes, 1e3 * per_update, "o-", color=style.BLUE, label="measured")
ax_u.loglog(sizes, 1e3 * per_update[0] * sizes, ":", color=style.GREY, label="if cost grew like B")
ax_u.set(title="Cost of one update", xlabel="batch size B (rows)", ylabel="ms per update")
ax_e.loglog(sizes, 1e3 * per_epoch, "o-", color=style.VERMILLION, label="measured")
ax_e.set(title=f"Cost of one epoch ({n} rows)", xlabel="batch size B (rows)", ylabel="ms per epoch")
for ax in (ax_u, ax_e):
    ax.legend()
plt.tight_layout()
plt.show()
print(f"one epoch: {1e3 * per_epoch[0]:.0f} ms with B=1, {1e3 * per_epoch[-1]:.1f} ms with the full batch")

# %% [markdown]
# The dotted line is what cost *proportional* to the batch size would look like. The measured cost of an
# update grows much more slowly, so an epoch of large batches is many times cheaper than an epoch of single
# rows. This is the article's "batch GD is slow" in a sharper form: per *update*, the full batch is the most
# expensive; per *epoch*, large batches are among the cheapest. Batch GD is slow because it needs so many
# epochs, each of which yields a single step.
#
# The article's other cost is memory. A network keeps the activations of every row of a batch for the
# backward pass, so memory grows with $B$. Our MLP on all rows needs $n \times 32$ hidden activations, a
# trifle; a real network on a million images, with millions of activations per image, cannot hold the full
# batch at all. Mini-batches keep the memory fixed however large the dataset grows.

# %% [markdown]
# ## 3. How noisy is a mini-batch gradient?
#
# A mini-batch gradient is an **estimate** of the full gradient. Because the loss is an average, the
# gradient of a batch is the average of its rows' gradients. So we can compute every row's gradient once,
# at the starting weights, and then form the gradient of any batch by averaging rows.

# %%
def flat(grads):
    """All of a model's gradient arrays as one long vector."""
    return np.concatenate([g.ravel() for g in grads])

model = MLP([64, 32, 10], seed=0)
g_full = flat(model.loss_and_grads(X_train, y_train)[1])
per_row = np.array([flat(model.loss_and_grads(X_train[i:i + 1], y_train[i:i + 1])[1]) for i in range(n)])

rows = np.arange(32)  # any batch: its gradient is the mean of its rows' gradients
print("batch gradient = mean of row gradients:",
      np.allclose(flat(model.loss_and_grads(X_train[rows], y_train[rows])[1]), per_row[rows].mean(axis=0)))

# %% [markdown]
# Now draw many random batches of $B$ distinct rows and measure the average squared distance between the
# batch gradient $g_B$ and the full gradient $g$. Each batch is a row of weights ($1/B$ on the chosen rows,
# 0 elsewhere), so all the batches of one size are a single matrix product.

# %%
rng = np.random.default_rng(0)

def batch_gradient_noise(B, draws=100):
    """Mean of ||g_B - g||^2 over `draws` random batches of B distinct rows."""
    chosen = rng.random((draws, n)).argsort(axis=1)[:, :B]  # B distinct rows per draw
    weights = np.zeros((draws, n))
    np.put_along_axis(weights, chosen, 1.0 / B, axis=1)
    g_B = weights @ per_row  # each row: the gradient of one batch
    return np.mean(np.sum((g_B - g_full) ** 2, axis=1))

batch_sizes = np.array([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024])
noise = np.array([batch_gradient_noise(B) for B in batch_sizes])

# %% [markdown]
# **What to expect.** Let $\sigma^2 = \frac{1}{n}\sum_i \lVert \nabla\ell_i - g \rVert^2$ be how much single
# rows disagree with the full gradient. Averaging $B$ independent rows divides that spread by $B$. Our rows
# are drawn *without* replacement from a finite set, which removes a little more; the exact result is
#
# $$\mathbb{E}\,\lVert g_B - g\rVert^2 = \frac{\sigma^2}{B}\cdot\frac{n - B}{n - 1},$$
#
# which is $\sigma^2$ for a single row and exactly 0 for the full batch.

# %%
sigma2 = np.mean(np.sum((per_row - g_full) ** 2, axis=1))
predicted = sigma2 / batch_sizes * (n - batch_sizes) / (n - 1)

fig, ax = plt.subplots(figsize=(7, 3.8))
ax.loglog(batch_sizes, noise, "o", color=style.BLUE, label="measured (100 random batches each)")
ax.loglog(batch_sizes, predicted, "-", color=style.VERMILLION, label=r"$\frac{\sigma^2}{B}\,\frac{n-B}{n-1}$")
ax.loglog(batch_sizes, sigma2 / batch_sizes, ":", color=style.GREY, label=r"$\sigma^2 / B$")
ax.set(title="Mini-batch gradient noise falls like 1/B", xlabel="batch size B",
       ylabel=r"mean $\|g_B - g\|^2$")
ax.legend()
plt.show()

# %%
# NBVAL_CHECK_OUTPUT
slope = np.polyfit(np.log(batch_sizes[:7]), np.log(noise[:7]), 1)[0]
print(f"log-log slope for B = 1..64: {slope:.2f}   (1/B would be -1)")
for B, measured, expected in zip(batch_sizes[[0, 5, 10]], noise[[0, 5, 10]], predicted[[0, 5, 10]]):
    print(f"B = {B:4d}: measured {measured:.3g}, predicted {expected:.3g}")

# %% [markdown]
# The *squared* error falls like $1/B$, so the typical error (its square root) falls only like
# $1/\sqrt{B}$: **four times the batch buys half the noise.** Going from 1 to 32 rows removes about 97 % of
# the squared error. In a large dataset, where $(n - B)/(n - 1) \approx 1$, going on from 32 to 1,024 rows
# costs 32 times more computation per update and shrinks the typical error only $\sqrt{32} \approx 5.7$-fold.
# (Here 1,024 rows are nearly all 1,079, so the last point drops further: the batch *is* almost the full
# set.) That diminishing return is one reason moderate batch sizes are the norm.

# %% [markdown]
# ## 4. Try it: batch size and noise
#
# The widget trains a linear regression on 64 noisy points with plain `SGD` and one fixed learning rate;
# only the batch size changes. The thin line is the loss of each mini-batch, one point per update; the
# thick line is the loss on all rows after each epoch; the dashed line is full-batch GD for reference. The
# right panel shows the measured time of one epoch for every batch size (the number on a bar is the
# updates per epoch).
#
# Move the slider from 1 to the full batch and watch two things: how much the thin line jitters, and how far
# the thick line gets in the first epoch.

# %%
# NBVAL_IGNORE_OUTPUT
from optimizers import widgets

app = widgets.batch_noise(n=64, epochs=10, learning_rate=0.3, seed=0)
app

# %% [markdown]
# For readers without a running kernel, here are the settings at the two ends, read off the app: the
# spread of the per-update losses in the last epoch, and the loss on all rows after the first epoch.

# %%
for b in (1, 64):
    app.controls["batch_size"].value = b
    h = app.histories[b]
    last_epoch = h.loss[-h.updates_per_epoch:]
    print(f"batch size {b:2d}: {h.updates_per_epoch:2d} updates/epoch, loss after epoch 1 = "
          f"{h.epoch_train_loss[0]:.3f}, spread of update losses in the last epoch = {np.std(last_epoch):.3f}")

# %% [markdown]
# ## 5. Why stochastic GD never quite settles
#
# The article says stochastic GD is "hard to converge smoothly". Here is the precise reason. Near the
# minimum the true gradient is almost zero, but a single row's gradient is not: each step still moves the
# weights by about $\eta$ times the noise. With a constant learning rate, the weights therefore keep
# bouncing around the minimum, and the loss hovers **above** its lowest value by an amount that, for small
# $\eta$, grows like $\eta / B$.
#
# Linear regression lets us check this, because its lowest possible loss $L^*$ can be computed exactly
# (least squares). We write the training loop by hand so that we can record the loss on *all* rows after
# *every* update (`fit` records it once per epoch).

# %%
X_line, y_line = opt.data.regression_line(n=200, noise=0.5, seed=0)
design = np.column_stack([X_line, np.ones(len(y_line))])
best_w_b = np.linalg.lstsq(design, y_line, rcond=None)[0]
L_star = 0.5 * np.mean((design @ best_w_b - y_line) ** 2)  # the bottom of the loss

def excess_loss_curve(batch_size, lr, steps=1500, seed=0):
    """L(w_t) - L* after each of `steps` SGD updates on random batches of `batch_size` rows."""
    model, sgd, rng = LinearRegression(1, seed=0), opt.SGD(learning_rate=lr), np.random.default_rng(seed)
    curve = np.empty(steps)
    for t in range(steps):
        rows = rng.choice(len(y_line), size=batch_size, replace=False)
        _, grads = model.loss_and_grads(X_line[rows], y_line[rows])
        sgd.apply(grads, model.params)
        curve[t] = model.loss(X_line, y_line) - L_star
    return curve

# %%
settings = [(1, 0.1), (1, 0.025), (16, 0.1)]  # (batch size, learning rate)
curves = {s: excess_loss_curve(*s) for s in settings}

window = np.ones(100) / 100  # a running mean over 100 updates shows the level under the jitter
fig, ax = plt.subplots(figsize=(8, 3.6))
for color, (B, lr) in zip(style.SEQUENCE, settings):
    ax.semilogy(curves[B, lr], color=color, lw=0.6, alpha=0.3)
    ax.semilogy(np.arange(99, 1500), np.convolve(curves[B, lr], window, "valid"), color=color, lw=2,
                label=f"B = {B}, lr = {lr} (running mean of 100)")
ax.set(title="Constant learning rate: the loss stops falling at a noise floor", ylim=(1e-5, 2),
       xlabel="update", ylabel=r"$L(w_t) - L^*$ (log scale)")
ax.legend(loc="upper right")
plt.show()

# %%
# NBVAL_CHECK_OUTPUT
for (B, lr), curve in curves.items():
    print(f"B = {B:2d}, lr = {lr:5.3f}: mean excess loss over the last 750 updates = {curve[750:].mean():.1e}")

# %% [markdown]
# With one row and `lr = 0.1` the loss settles about $10^{-2}$ above the bottom and jitters around it (the
# faint lines). Dividing the learning rate by 4 lowers the floor about fourfold (5x in this run); averaging 16
# rows per step lowers it about sixteenfold (20x here), as $\eta / B$ predicts. A smaller learning rate
# settles lower but travels more slowly (the orange curve takes hundreds of updates to get down), which is
# why training usually *decays* the learning rate over time (lesson 10).
#
# **What about "noise helps escape local minima"?** Sometimes it does: a noisy step can hop out of a shallow
# dip or off a saddle point. But the same noise is what keeps the loss above the floor here, and a step too
# noisy can also hop *out* of a good minimum. Lesson 09 shows both sides on landscapes where you can watch it
# happen.

# %% [markdown]
# ## 6. Why mini-batch is the default
#
# Putting the measurements together:
#
# - **Many updates per epoch**, like stochastic GD: progress does not wait for a full pass over the data.
# - **Much less noise than single rows**: the squared error falls like $1/B$, so 32 rows remove about 97 % of
#   it, enough to use a larger learning rate.
# - **Cheap per row**: one matrix product over $B$ rows uses the hardware far better than $B$ separate
#   products (measured above on a CPU; on a GPU the gap is much wider).
# - **Fixed memory**: it holds the activations of $B$ rows, however large the dataset is.
#
# Typical batch sizes are 16 to 512; Keras's `model.fit` uses 32 when you do not say.
#
# And once more: the regime is a property of the **training loop**, not of the optimizer. Here is the same
# network trained with Adam (lesson 07) on mini-batches of 32: nothing but the optimizer object changes.

# %%
# NBVAL_CHECK_OUTPUT
adam_run = fit(MLP([64, 32, 10], seed=0), opt.Adam(learning_rate=0.01), X_train, y_train,
               batch_size=32, epochs=EPOCHS, seed=0, progress=False,
               validation_data=(digits.X_val, digits.y_val))
print(f"Adam, mini-batches of 32: {adam_run.n_updates} updates, train loss {adam_run.epoch_train_loss[-1]:.3f}, "
      f"val accuracy {adam_run.epoch_val_metric[-1]:.3f}")

# %% [markdown]
# ## Recap
#
# - The gradient of the training loss is an average over examples. Batch GD averages all of them,
#   stochastic GD uses one, mini-batch GD uses $B$. That is the training loop's `batch_size`, not a
#   different optimizer: `SGD`, `Adam` or any other rule works with any batch size.
# - An epoch always computes $n$ row gradients, but it yields $\lceil n/B \rceil$ updates. More updates per
#   epoch means more progress per epoch; bigger batches mean less time per epoch.
# - The mean squared error of a mini-batch gradient is $\frac{\sigma^2}{B}\frac{n-B}{n-1}$: it falls like
#   $1/B$, and the typical error only like $1/\sqrt{B}$.
# - With a constant learning rate, noisy gradients leave the loss hovering above its minimum at a level
#   that grows like $\eta/B$; a smaller learning rate or a larger batch lowers it.
# - Mini-batches combine many updates per epoch, modest noise, efficient hardware use and fixed memory.
#
# ## Your turn
#
# Open the exercise [`../exercises/02_minibatches.ipynb`](../exercises/02_minibatches.ipynb): you will write
# the mini-batch loop yourself and check how the noise depends on the batch size.
#
# **Next:** [Lesson 05: SGD, momentum and Nesterov](05_sgd_momentum_nesterov.ipynb), where we make each
# update smarter instead of each gradient more accurate.
