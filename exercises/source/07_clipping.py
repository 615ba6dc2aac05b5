# %% [markdown]
# # Exercise 07 · Gradient clipping by norm
#
# This exercise follows lesson **09 · What makes optimization hard**. Near a cliff in the
# loss landscape one gradient can be huge and throw the parameters far away. Clipping caps
# the *length* of the step while keeping its direction. Keras offers two kinds, and they
# are easy to confuse:
#
# - `clipnorm`: each gradient tensor (one per parameter) is clipped **on its own**;
# - `global_clipnorm`: all tensors are clipped **together**, by one common factor.
#
# | Task | You write | Points |
# |---|---|---|
# | 1 | `global_norm`: the length of all gradients together | 1 |
# | 2 | `clip_by_norm`: per-tensor clipping | 2 |
# | 3 | `clip_by_global_norm`: global clipping | 3 |
#
# **How it works.** Replace each `raise NotImplementedError("Your code here")` with your
# code, run the cell, then run the `check(...)` cell below it. `grads` is always a list of
# NumPy arrays of any shapes; return new arrays and leave the given ones unchanged.

# %%
import numpy as np

import optimizers as opt
from optimizers.grading import check

# %% [markdown]
# ## Task 1 · The global norm (1 point)
#
# The global norm treats all the gradient arrays as one long vector:
#
# $$\|G\| = \sqrt{\sum_i \|g_i\|^2} = \sqrt{\sum_i \sum_j g_{ij}^2}$$
#
# It is **not** the sum of the separate norms. Return a float.

# %%
def global_norm(grads):
    """The L2 norm of all entries of all arrays in grads, as if they were one vector.

    Math: sqrt(sum over arrays i and entries j of g_ij**2).

    Args:
        grads: a list of ndarrays (any shapes).

    Returns:
        A float >= 0.

    >>> global_norm([np.array([3.0]), np.array([[4.0, 0.0]])])
    5.0
    """
    ### BEGIN SOLUTION
    return float(np.sqrt(sum(np.sum(np.square(g)) for g in grads)))
    ### END SOLUTION


# %%
check("global_norm", global_norm)

# %% [markdown]
# ## Task 2 · Clip each tensor by its norm (2 points)
#
# Each gradient $g$ longer than the threshold $c$ (`clipnorm`) is shortened to length $c$;
# a shorter one stays as it is. One formula does both, without a branch:
#
# $$g_{\text{clipped}} = g \cdot \frac{c}{\max(\|g\|,\ c)}$$
#
# It also handles an all-zero gradient (no division by zero). The direction of each tensor
# is kept; unlike clipping each *entry* to $[-c, c]$, which can turn it. Return a list of
# new arrays, one per gradient, in the same order, each in its gradient's dtype.

# %%
def clip_by_norm(grads, clipnorm):
    """Clip each gradient separately to L2 norm at most clipnorm (Keras's `clipnorm`).

    Math: g * clipnorm / max(||g||, clipnorm) for each g in grads.

    Args:
        grads: a list of ndarrays. Not modified.
        clipnorm: the threshold c > 0.

    Returns:
        A list of new ndarrays, shaped like grads.

    >>> clip_by_norm([np.array([3.0, 4.0]), np.array([0.3, 0.4])], 1.0)
    [array([0.6, 0.8]), array([0.3, 0.4])]
    """
    ### BEGIN SOLUTION
    return [g * (clipnorm / max(float(np.sqrt(np.sum(np.square(g)))), clipnorm)) for g in grads]
    ### END SOLUTION


# %%
check("clip_by_norm", clip_by_norm)

# %% [markdown]
# ## Task 3 · Clip all tensors together (3 points)
#
# Global clipping rescales every tensor by the **same** factor, computed from the global
# norm $\|G\|$ of Task 1:
#
# $$g_{i,\text{clipped}} = g_i \cdot \frac{c}{\max(\|G\|,\ c)}$$
#
# So the direction of the *whole* update is kept, and the relative sizes of the parameters'
# steps too. Per-tensor clipping changes those relative sizes: a layer with a huge gradient
# is shortened, the others are not.

# %%
def clip_by_global_norm(grads, clipnorm):
    """Clip all gradients together by one factor so their global norm is at most clipnorm.

    Math: scale = clipnorm / max(||G||, clipnorm), ||G|| = sqrt(sum_i ||g_i||**2);
          every g_i becomes g_i * scale.

    Args:
        grads: a list of ndarrays. Not modified.
        clipnorm: the threshold c > 0 (Keras's `global_clipnorm`).

    Returns:
        A list of new ndarrays, shaped like grads.

    >>> clip_by_global_norm([np.array([3.0]), np.array([4.0])], 1.0)
    [array([0.6]), array([0.8])]
    """
    ### BEGIN SOLUTION
    scale = clipnorm / max(global_norm(grads), clipnorm)
    return [g * scale for g in grads]
    ### END SOLUTION


# %%
check("clip_by_global_norm", clip_by_global_norm)

# %% [markdown]
# The difference on one example: two parameters, one with a large gradient and one with a
# small one, clipped to $c = 1$.

# %%
try:
    grads = [np.array([6.0, 8.0]), np.array([0.3, 0.4])]
    for name, clipped in (("per tensor", clip_by_norm(grads, 1.0)),
                          ("global    ", clip_by_global_norm(grads, 1.0))):
        norms = ", ".join(f"{np.linalg.norm(g):.3f}" for g in clipped)
        print(f"{name}: norms {norms}; global norm {global_norm(clipped):.3f}")
except NotImplementedError:
    print("Write the three functions above, then run this cell again.")

# %% [markdown]
# In the course library (and in Keras) clipping is an optimizer option:
# `opt.SGD(0.1, clipnorm=1.0)` or `opt.SGD(0.1, global_clipnorm=1.0)`. Your functions give
# the same gradients the library's optimizers step with:

# %%
try:
    grads = [np.array([6.0, 8.0]), np.array([0.3, 0.4])]
    params = [np.zeros(2), np.zeros(2)]
    opt.SGD(1.0, global_clipnorm=1.0).apply(grads, params)
    same = all(np.allclose(-p, g) for p, g in zip(params, clip_by_global_norm(grads, 1.0)))
    print("library's global_clipnorm step == -clip_by_global_norm(grads):", same)
except NotImplementedError:
    print("Write clip_by_global_norm above, then run this cell again.")

# %% [markdown]
# ## Recap
#
# - Clipping by norm rescales a gradient to a maximum length and keeps its direction.
# - `clipnorm` clips each parameter's gradient on its own; `global_clipnorm` scales them all
#   by one factor from the global norm $\sqrt{\sum_i \|g_i\|^2}$.
# - $g \cdot c / \max(\|g\|, c)$ needs no branch and survives an all-zero gradient.
#
# Next: lesson 10 on hyperparameters and the learning-rate range test, then exercise 08.
