# %% [markdown]
# # Exercise 02 · Batch, mini-batch and stochastic gradients
#
# This exercise follows lesson **04 · Batch, mini-batch, stochastic**. The three regimes
# are not three optimizers: they differ only in how many training rows feed each gradient.
# You will write the one function that serves all three, then use it for an epoch of
# training.
#
# | Task | You write | Points |
# |---|---|---|
# | 1 | `updates_per_epoch`: how many updates one pass over the data makes | 1 |
# | 2 | `minibatch_indices`: the rows of every batch of one epoch | 3 |
# | 3 | `sgd_epoch`: one epoch of mini-batch gradient descent on linear regression | 3 |
#
# **How it works.** Replace each `raise NotImplementedError("Your code here")` with your
# code, run the cell, then run the `check(...)` cell below it: it tries your function on
# random inputs and prints points, expected vs returned values for failed cases, and a hint.
# Do not modify input arrays; return new ones.

# %%
import matplotlib.pyplot as plt
import numpy as np

from optimizers.grading import check
from optimizers.training import minibatches

# %% [markdown]
# ## Task 1 · Updates per epoch (1 point)
#
# An **epoch** is one pass over all $n$ training rows. With `batch_size`:
#
# | `batch_size` | regime | updates per epoch |
# |---|---|---|
# | `None` | batch gradient descent (all rows in one gradient) | $1$ |
# | $1$ | stochastic gradient descent | $n$ |
# | $k$ | mini-batch gradient descent | $\lceil n / k \rceil$ |
#
# The last mini-batch may be smaller than $k$, and it still makes an update. A `batch_size`
# larger than $n$ gives one batch of all rows.

# %%
def updates_per_epoch(n, batch_size):
    """Number of updates in one epoch over n rows.

    Math: 1 if batch_size is None, else ceil(n / batch_size).

    Args:
        n: the number of training rows, an int >= 1.
        batch_size: None (all rows at once) or an int >= 1.

    Returns:
        An int.

    >>> updates_per_epoch(10, None), updates_per_epoch(10, 1), updates_per_epoch(10, 4)
    (1, 10, 3)
    """
    ### BEGIN SOLUTION
    if batch_size is None:
        return 1
    return -(-n // batch_size)
    ### END SOLUTION


# %%
check("updates_per_epoch", updates_per_epoch)

# %% [markdown]
# ## Task 2 · The rows of each batch (3 points)
#
# Return the row indices of each batch of one epoch, as a list of integer NumPy arrays:
#
# - `batch_size=None`: one batch holding every row **in order**, `[np.arange(n)]`. The
#   full-batch gradient is an average over all rows, so shuffling would change nothing.
# - otherwise: draw a random order **once**, `order = rng.permutation(n)`, and cut it into
#   consecutive pieces of `batch_size` rows: `order[0:k]`, `order[k:2k]`, ... The last piece
#   holds what is left and may be smaller, so every row is used exactly once per epoch.
#
# Draw the order exactly as written (one call of `rng.permutation(n)`, nothing else from
# `rng`): the check replays the same random generator and expects the same batches.

# %%
def minibatch_indices(n, batch_size, rng):
    """Row indices of each batch of one epoch over n rows.

    Args:
        n: the number of rows, an int >= 1.
        batch_size: None (one batch of all rows, in order) or an int >= 1.
        rng: a np.random.Generator; when batch_size is not None the order of the rows is
            rng.permutation(n), drawn once.

    Returns:
        A list of int arrays; together they hold 0, ..., n - 1 once each.

    >>> minibatch_indices(5, None, np.random.default_rng(0))
    [array([0, 1, 2, 3, 4])]
    >>> [len(b) for b in minibatch_indices(5, 2, np.random.default_rng(0))]
    [2, 2, 1]
    """
    ### BEGIN SOLUTION
    if batch_size is None:
        return [np.arange(n)]
    order = rng.permutation(n)
    return [order[start:start + batch_size] for start in range(0, n, batch_size)]
    ### END SOLUTION


# %%
check("minibatch_indices", minibatch_indices)

# %% [markdown]
# ## Task 3 · One epoch of mini-batch gradient descent (3 points)
#
# Train a linear regression without bias, prediction $\hat y = X w$, on the loss of each
# batch $B$ (the rows the batch holds, $|B|$ of them):
#
# $$L_B(w) = \frac{1}{2|B|} \sum_{i \in B} (x_i \cdot w - y_i)^2, \qquad
# \nabla L_B(w) = \frac{1}{|B|} X_B^\top (X_B w - y_B)$$
#
# For each batch, in order: compute the batch's loss and gradient at the current $w$,
# record the loss, then update $w \leftarrow w - \eta \nabla L_B(w)$.
#
# Get the batches from `minibatches(len(y), batch_size, rng)` (imported above from the
# course library: it does exactly what your `minibatch_indices` does, so this task does not
# depend on Task 2). Divide by the rows *in the batch*, `len(rows)`: the last batch can be
# smaller than `batch_size`. Return the new `w` (a new array) and the losses as a NumPy array.

# %%
def sgd_epoch(w, X, y, batch_size, learning_rate, rng):
    """One epoch of mini-batch gradient descent on 0.5 * mean((X w - y)^2).

    Args:
        w: the weights, an ndarray of shape (d,). It is not modified.
        X: the inputs, shape (n, d).  y: the targets, shape (n,).
        batch_size: None (batch GD), 1 (stochastic) or k (mini-batch).
        learning_rate: the step size, a float > 0.
        rng: the np.random.Generator passed on to minibatches(...).

    Returns:
        (new_w, losses): the weights after the epoch, and an array with each batch's loss,
        measured before that batch's update (one entry per update).
    """
    ### BEGIN SOLUTION
    losses = []
    for rows in minibatches(len(y), batch_size, rng):
        residual = X[rows] @ w - y[rows]
        losses.append(0.5 * np.mean(residual**2))
        grad = X[rows].T @ residual / len(rows)
        w = w - learning_rate * grad
    return w, np.array(losses)
    ### END SOLUTION


# %%
check("sgd_epoch", sgd_epoch)

# %% [markdown]
# Compare the regimes on the same data, with the same number of epochs. Each dot is one
# update: stochastic makes $n$ noisy updates per epoch, batch gradient descent one smooth
# one, mini-batch sits in between.

# %%
try:
    data_rng = np.random.default_rng(0)
    X = data_rng.normal(size=(200, 3))
    y = X @ np.array([1.5, -2.0, 0.5]) + 0.3 * data_rng.normal(size=200)
    fig, ax = plt.subplots(figsize=(6.5, 3.5))
    for batch_size, lr in ((None, 0.3), (20, 0.1), (1, 0.02)):
        w, rng, curve = np.zeros(3), np.random.default_rng(1), []
        for epoch in range(3):
            w, losses = sgd_epoch(w, X, y, batch_size, lr, rng)
            curve.extend(losses)
        epochs = np.arange(1, len(curve) + 1) / updates_per_epoch(len(y), batch_size)
        ax.plot(epochs, curve, ".-" if batch_size is None else "-", lw=0.8,
                label=f"batch_size={batch_size}, {len(curve)} updates")
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("batch loss")
    ax.legend()
    plt.show()
except NotImplementedError:
    print("Write updates_per_epoch and sgd_epoch above, then run this cell again.")

# %% [markdown]
# ## Recap
#
# - Batch, mini-batch and stochastic gradient descent are one loop with one parameter,
#   `batch_size`; the update rule is the same.
# - Shuffle once per epoch and keep the short last batch, so each row counts once.
# - Average over the batch (divide by its size): then the learning rate means the same
#   thing whatever the batch size.
#
# Next: lesson 05 on momentum, then exercise 03.
