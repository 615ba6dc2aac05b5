# %% [markdown]
# # Exercise 04 · RMSprop
#
# This exercise follows lesson **06 · RMSProp**. RMSprop divides each gradient entry by
# the root of its recent mean square, so steep and shallow directions move at similar
# speeds. You will write its update, then the *centered* variant.
#
# | Task | You write | Points |
# |---|---|---|
# | 1 | `rmsprop_step`: one RMSprop step (Keras's form) | 3 |
# | 2 | `rmsprop_centered_step`: one centered RMSprop step | 2 |
#
# **How it works.** Replace each `raise NotImplementedError("Your code here")` with your
# code, run the cell, then run the `check(...)` cell below it for points, failed cases and
# hints. Return new arrays; do not modify the inputs.

# %%
import matplotlib.pyplot as plt
import numpy as np

from optimizers.grading import check

# %% [markdown]
# ## Task 1 · One RMSprop step (3 points)
#
# RMSprop keeps $v$, an exponential moving average of the squared gradient, entry by entry,
# and scales the step by its inverse square root:
#
# $$v_{\text{new}} = \rho\, v + (1 - \rho)\, g^2, \qquad
# p_{\text{new}} = p - \eta\, \frac{g}{\sqrt{v_{\text{new}} + \epsilon}}$$
#
# All operations are element-wise. Note two conventions, both Keras's:
#
# - divide by the **new** $v$ (update the average first, then step);
# - $\epsilon$ sits **inside** the square root. PyTorch adds it outside,
#   $g / (\sqrt{v} + \epsilon)$; with a large $\epsilon$ the two differ visibly, and the
#   check uses some large ones.
#
# Return `(new_param, new_v)`.

# %%
def rmsprop_step(param, grad, v, learning_rate=0.001, rho=0.9, epsilon=1e-7):
    """One RMSprop step (Keras 3's form), returning new arrays.

    Math: v_new = rho * v + (1 - rho) * grad**2
          p_new = param - learning_rate * grad / sqrt(v_new + epsilon)

    Args:
        param, grad, v: ndarrays of the same shape; v is the mean square so far
            (zeros before the first step). None of them is modified.
        learning_rate: eta > 0.  rho: decay of the average, in [0, 1).
        epsilon: > 0, added to v inside the square root.

    Returns:
        (new_param, new_v).

    >>> p, v = rmsprop_step(np.array([1.0]), np.array([2.0]), np.zeros(1), 0.1, epsilon=0.0)
    >>> v, p.round(6)        # v = 0.1 * 4;  step = 0.1 * 2 / sqrt(0.4)
    (array([0.4]), array([0.683772]))
    """
    ### BEGIN SOLUTION
    new_v = rho * v + (1 - rho) * grad**2
    new_param = param - learning_rate * grad / np.sqrt(new_v + epsilon)
    return new_param, new_v
    ### END SOLUTION


# %%
check("rmsprop_step", rmsprop_step)

# %% [markdown]
# ## Task 2 · Centered RMSprop (2 points)
#
# Plain RMSprop divides by the root mean square of $g$. *Centered* RMSprop also tracks the
# mean gradient $\bar g$ and divides by an estimate of the standard deviation instead:
#
# $$v_{\text{new}} = \rho\, v + (1 - \rho)\, g^2, \qquad
# \bar g_{\text{new}} = \rho\, \bar g + (1 - \rho)\, g$$
#
# $$p_{\text{new}} = p - \eta\, \frac{g}{\sqrt{v_{\text{new}} - \bar g_{\text{new}}^{\,2} + \epsilon}}$$
#
# Update both averages first, then step with the new ones. In the code the mean gradient
# $\bar g$ is called `mg`. Return `(new_param, new_v, new_mg)`.

# %%
def rmsprop_centered_step(param, grad, v, mg, learning_rate=0.001, rho=0.9, epsilon=1e-7):
    """One centered RMSprop step (Keras 3's `centered=True`), returning new arrays.

    Math: v_new = rho * v + (1 - rho) * grad**2
          mg_new = rho * mg + (1 - rho) * grad
          p_new = param - learning_rate * grad / sqrt(v_new - mg_new**2 + epsilon)

    Args:
        param, grad, v, mg: ndarrays of the same shape; v is the mean square and mg the
            mean gradient so far (zeros before the first step). None is modified.
        learning_rate: eta > 0.  rho: in [0, 1).  epsilon: > 0, inside the square root.

    Returns:
        (new_param, new_v, new_mg).
    """
    ### BEGIN SOLUTION
    new_v = rho * v + (1 - rho) * grad**2
    new_mg = rho * mg + (1 - rho) * grad
    new_param = param - learning_rate * grad / np.sqrt(new_v - new_mg**2 + epsilon)
    return new_param, new_v, new_mg
    ### END SOLUTION


# %%
check("rmsprop_centered_step", rmsprop_centered_step)

# %% [markdown]
# Why it helps: on the narrow valley $L(w) = (w_1^2 + 10\, w_2^2)/2$ gradient descent must
# keep $\eta$ small enough for the steep $w_2$ direction, so $w_1$ crawls. RMSprop's steps
# are about $\eta$ in *every* direction, whatever the slope:

# %%
try:
    fig, ax = plt.subplots(figsize=(6, 3.5))
    u, w2 = np.meshgrid(np.linspace(-4.5, 1, 200), np.linspace(-2, 2, 200))
    ax.contour(u, w2, (u**2 + 10 * w2**2) / 2, levels=15, cmap="Greys")
    w, v, path = np.array([-4.0, 1.5]), np.zeros(2), [np.array([-4.0, 1.5])]
    for _ in range(40):
        w, v = rmsprop_step(w, np.array([1.0, 10.0]) * w, v, learning_rate=0.15)
        path.append(w)
    path = np.array(path)
    ax.plot(path[:, 0], path[:, 1], "o-", color="tab:green", markersize=2,
            label=f"RMSprop: w = {path[-1].round(3)} after 40 steps")
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.legend(loc="lower right", fontsize=8)
    plt.show()
except NotImplementedError:
    print("Write rmsprop_step above, then run this cell again.")

# %% [markdown]
# ## Recap
#
# - RMSprop divides each entry's gradient by the root of its recent mean square, so the
#   step size no longer depends on how steep that direction is.
# - Keras adds $\epsilon$ inside the root, PyTorch outside; it matters where $v$ is tiny.
# - Centered RMSprop divides by an estimate of the gradient's spread instead.
#
# Next: lesson 07 on Adam, then exercise 05.
