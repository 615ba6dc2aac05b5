# %% [markdown]
# # Exercise 03 · SGD with momentum and Nesterov momentum
#
# This exercise follows lesson **05 · SGD and momentum (and Nesterov)**. You will write
# the momentum update as a pure function, then as an optimizer object that remembers its
# velocity from one call to the next, the way Keras optimizers do.
#
# | Task | You write | Points |
# |---|---|---|
# | 1 | `momentum_step`: one step of (Nesterov) momentum, Keras's form | 3 |
# | 2 | `MomentumSGD`: a class whose `apply(grad, param)` keeps the velocity between calls | 3 |
#
# **How it works.** Replace each `raise NotImplementedError("Your code here")` with your
# code, run the cell, then run the `check(...)` cell below it for points, failed cases and
# hints. `momentum_step` must not modify its inputs; `MomentumSGD.apply` *must* update
# `param` in place (that is its job).

# %%
import matplotlib.pyplot as plt
import numpy as np

from optimizers.grading import check

# %% [markdown]
# ## Task 1 · One momentum step (3 points)
#
# Momentum keeps a **velocity** $v$, a running sum of past steps, and moves the parameter
# by it. In Keras's form the velocity carries the learning rate:
#
# $$v_{\text{new}} = \mu\, v - \eta\, g, \qquad p_{\text{new}} = p + v_{\text{new}}$$
#
# With **Nesterov** momentum the parameter looks one step ahead along the new velocity:
#
# $$v_{\text{new}} = \mu\, v - \eta\, g, \qquad p_{\text{new}} = p + \mu\, v_{\text{new}} - \eta\, g$$
#
# Here $\mu$ is `momentum` and $\eta$ is `learning_rate`. At the very first step $v = 0$,
# so both forms take a plain gradient step.
#
# PyTorch writes momentum differently (a buffer $b = \mu b + g$ and $p \leftarrow p - \eta b$).
# At a constant learning rate both give the same path, but the *velocity* you return here
# must be Keras's $v$.
#
# Return `(new_param, new_velocity)`, both new arrays.

# %%
def momentum_step(param, grad, velocity, learning_rate, momentum, nesterov=False):
    """One step of SGD with momentum (Keras's form), returning new arrays.

    Math: v_new = momentum * velocity - learning_rate * grad;
          p_new = param + v_new                                    (classical)
          p_new = param + momentum * v_new - learning_rate * grad  (nesterov=True)

    Args:
        param, grad, velocity: ndarrays of the same shape and dtype; not modified.
        learning_rate: eta > 0.  momentum: mu in [0, 1).
        nesterov: use Nesterov's look-ahead step.

    Returns:
        (new_param, new_velocity).

    >>> momentum_step(np.array([1.0]), np.array([2.0]), np.array([0.5]), 0.1, 0.9)
    (array([1.25]), array([0.25]))
    """
    ### BEGIN SOLUTION
    new_velocity = momentum * velocity - learning_rate * grad
    if nesterov:
        new_param = param + momentum * new_velocity - learning_rate * grad
    else:
        new_param = param + new_velocity
    return new_param, new_velocity
    ### END SOLUTION


# %%
check("momentum_step", momentum_step)

# %% [markdown]
# ## Task 2 · An optimizer that remembers (3 points)
#
# In training, the velocity must survive from one update to the next. Optimizer objects
# keep such **state**. Complete the class below:
#
# - `__init__` is written for you; add the state you need (e.g. `self.velocity = None`).
# - `apply(grad, param)` (Keras's argument order) updates `param` **in place** with one
#   momentum step and returns nothing. On the first call, start from a zero velocity,
#   `np.zeros_like(param)`; keep the new velocity on `self` for the next call.
# - Read `self.learning_rate` at every call: a schedule may change it between calls.
#   With Keras's form, a changed learning rate affects only the new gradient term; the
#   velocity remembers the old steps as they were taken.
#
# To change an array in place, assign into it: `param[...] = new_values` (or `param += ...`).
# Each object serves one parameter array; two objects must not share a velocity.

# %%
class MomentumSGD:
    """SGD with momentum that keeps its velocity between calls, like keras.optimizers.SGD.

    >>> p = np.array([1.0])
    >>> sgd = MomentumSGD(learning_rate=0.1, momentum=0.9)
    >>> sgd.apply(np.array([2.0]), p); p
    array([0.8])
    >>> sgd.apply(np.array([2.0]), p); p     # v = 0.9 * (-0.2) - 0.2 = -0.38
    array([0.42])
    """

    def __init__(self, learning_rate=0.01, momentum=0.9, nesterov=False):
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.nesterov = nesterov
        ### BEGIN SOLUTION
        self.velocity = None
        ### END SOLUTION

    def apply(self, grad, param):
        """Update param in place with one momentum step; keep the velocity for the next call."""
        ### BEGIN SOLUTION
        if self.velocity is None:
            self.velocity = np.zeros_like(param)
        new_param, self.velocity = momentum_step(param, grad, self.velocity, self.learning_rate,
                                                 self.momentum, self.nesterov)
        param[...] = new_param
        ### END SOLUTION


# %%
check("MomentumSGD", MomentumSGD)

# %% [markdown]
# Your optimizer in the narrow valley $L(w) = (w_1^2 + 10\, w_2^2)/2$ of exercise 01,
# against plain gradient descent (momentum 0) at the same learning rate:

# %%
try:
    fig, ax = plt.subplots(figsize=(6, 3.5))
    u, v = np.meshgrid(np.linspace(-4.5, 1, 200), np.linspace(-2, 2, 200))
    ax.contour(u, v, (u**2 + 10 * v**2) / 2, levels=15, cmap="Greys")
    for mu, colour in ((0.0, "tab:red"), (0.7, "tab:blue")):
        w, optimizer, path = np.array([-4.0, 1.5]), MomentumSGD(0.05, momentum=mu), []
        for _ in range(40):
            path.append(w.copy())
            optimizer.apply(np.array([1.0, 10.0]) * w, w)
        path = np.array(path)
        ax.plot(path[:, 0], path[:, 1], "o-", color=colour, markersize=2,
                label=f"momentum={mu}: w_1 = {w[0]:.3f} after 40 steps")
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.legend(loc="lower right", fontsize=8)
    plt.show()
except NotImplementedError:
    print("Write momentum_step and MomentumSGD above, then run this cell again.")

# %% [markdown]
# ## Recap
#
# - Momentum accumulates a velocity, $v \leftarrow \mu v - \eta g$, and moves by it: steps
#   that agree add up, steps that alternate cancel.
# - Nesterov takes the gradient step from the point the velocity is about to reach.
# - An optimizer is a rule plus state; the state (here $v$) must persist across calls and
#   belong to one optimizer object.
#
# Next: lesson 06 on RMSprop, then exercise 04.
