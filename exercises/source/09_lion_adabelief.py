# %% [markdown]
# # Exercise 09 · Lion and AdaBelief, from their papers
#
# This exercise follows lesson **12 · Beyond Adam**. New optimizers are published as
# pseudo-code; turning it into working code, exactly, is a skill of its own. You will
# implement two recent ones from their papers' algorithms.
#
# | Task | You write | Points |
# |---|---|---|
# | 1 | `lion_step`: Lion (Chen et al., 2023, Algorithm 2) | 3 |
# | 2 | `adabelief_step`: AdaBelief (Zhuang et al., 2020, Algorithm 2) | 3 |
#
# **How it works.** Replace each `raise NotImplementedError("Your code here")` with your
# code, run the cell, then run the `check(...)` cell below it for points, failed cases and
# hints. Return new arrays; do not modify the inputs.

# %%
import matplotlib.pyplot as plt
import numpy as np

import optimizers as opt
from optimizers.grading import check

# %% [markdown]
# ## Task 1 · Lion (3 points)
#
# Lion ("EvoLved Sign Momentum", found by a program search) keeps a single momentum $m$
# and moves every entry by exactly $\eta$, in the direction of a *sign*. The paper's
# Algorithm 2, for one step with gradient $g$, learning rate $\eta$ and weight decay
# $\lambda$:
#
# $$c = \beta_1 m + (1 - \beta_1)\, g \qquad \text{(interpolate: with the old } m\text{)}$$
#
# $$p_{\text{new}} = p - \eta \left( \operatorname{sign}(c) + \lambda\, p \right)$$
#
# $$m_{\text{new}} = \beta_2 m + (1 - \beta_2)\, g \qquad \text{(then update the momentum)}$$
#
# Two betas with two jobs: $\beta_1$ mixes the gradient into the direction of *this* step,
# $\beta_2$ decays the momentum kept for the *next* ones. `np.sign` gives $-1$, $0$ or
# $+1$ per entry. Return `(new_param, new_m)`.

# %%
def lion_step(param, grad, m, learning_rate=1e-4, beta_1=0.9, beta_2=0.99, weight_decay=0.0):
    """One Lion step (Chen et al., 2023, Algorithm 2), returning new arrays.

    Math: c = beta_1 * m + (1 - beta_1) * grad
          p_new = param - learning_rate * (sign(c) + weight_decay * param)
          m_new = beta_2 * m + (1 - beta_2) * grad

    Args:
        param, grad, m: ndarrays of the same shape (m: zeros before the first step).
            None of them is modified.
        learning_rate: eta > 0.  beta_1, beta_2: in [0, 1).  weight_decay: lambda >= 0.

    Returns:
        (new_param, new_m).

    >>> p, m = lion_step(np.zeros(3), np.array([0.2, -5.0, 0.0]), np.zeros(3), 0.1)
    >>> p, m.round(3)
    (array([-0.1,  0.1,  0. ]), array([ 0.002, -0.05 ,  0.   ]))
    """
    ### BEGIN SOLUTION
    c = beta_1 * m + (1 - beta_1) * grad
    new_param = param - learning_rate * (np.sign(c) + weight_decay * param)
    new_m = beta_2 * m + (1 - beta_2) * grad
    return new_param, new_m
    ### END SOLUTION


# %%
check("lion_step", lion_step)

# %% [markdown]
# ## Task 2 · AdaBelief (3 points)
#
# AdaBelief is Adam with one change: instead of the mean of $g^2$ it tracks
# $s$, the mean of $(g - m)^2$: how far the gradient strays from its prediction $m$ (the
# "belief"). When gradients agree with the trend, $s$ is small and the step is large.
# The paper's Algorithm 2, at step $t$ ($t = 1$ first):
#
# $$m_t = \beta_1 m_{t-1} + (1 - \beta_1)\, g$$
#
# $$s_t = \beta_2 s_{t-1} + (1 - \beta_2)\, (g - m_t)^2 + \epsilon$$
#
# $$\hat m_t = \frac{m_t}{1 - \beta_1^t}, \qquad \hat s_t = \frac{s_t}{1 - \beta_2^t}, \qquad
# p_t = p_{t-1} - \eta\, \frac{\hat m_t}{\sqrt{\hat s_t} + \epsilon}$$
#
# Note the details the pseudo-code pins down: the surprise uses the **new** $m_t$, and
# $\epsilon$ appears **twice**, added to $s_t$ and again to $\sqrt{\hat s_t}$.
# Return `(new_param, new_m, new_s)`.

# %%
def adabelief_step(param, grad, m, s, t, learning_rate=1e-3, beta_1=0.9, beta_2=0.999,
                   epsilon=1e-16):
    """One AdaBelief step at step number t (Zhuang et al., 2020, Algorithm 2), new arrays.

    Math: m_t = beta_1 * m + (1 - beta_1) * grad
          s_t = beta_2 * s + (1 - beta_2) * (grad - m_t)**2 + epsilon
          p_t = param - learning_rate * m_hat / (sqrt(s_hat) + epsilon),
          with m_hat = m_t / (1 - beta_1**t) and s_hat = s_t / (1 - beta_2**t).

    Args:
        param, grad, m, s: ndarrays of the same shape (m, s: zeros before the first step).
            None of them is modified.
        t: the step number, an int >= 1.
        learning_rate: eta > 0.  beta_1, beta_2: in [0, 1).  epsilon: > 0.

    Returns:
        (new_param, new_m, new_s).
    """
    ### BEGIN SOLUTION
    new_m = beta_1 * m + (1 - beta_1) * grad
    new_s = beta_2 * s + (1 - beta_2) * (grad - new_m) ** 2 + epsilon
    m_hat = new_m / (1 - beta_1**t)
    s_hat = new_s / (1 - beta_2**t)
    new_param = param - learning_rate * m_hat / (np.sqrt(s_hat) + epsilon)
    return new_param, new_m, new_s
    ### END SOLUTION


# %%
check("adabelief_step", adabelief_step)

# %% [markdown]
# Your two optimizers against the library's Adam on the Rosenbrock valley, from the same
# start, 300 steps each. Lion's steps all have the same size per coordinate, so it wants a
# smaller learning rate than Adam.

# %%
try:
    landscape = opt.landscapes.rosenbrock
    start = np.array([-1.5, 2.0])
    paths = {}
    p, m = start.copy(), np.zeros(2)
    path = [p]
    for _ in range(300):
        p, m = lion_step(p, landscape.grad(p), m, learning_rate=0.01)
        path.append(p)
    paths["Lion (lr 0.01)"] = np.array(path)
    p, m, s = start.copy(), np.zeros(2), np.zeros(2)
    path = [p]
    for t in range(1, 301):
        p, m, s = adabelief_step(p, landscape.grad(p), m, s, t, learning_rate=0.05)
        path.append(p)
    paths["AdaBelief (lr 0.05)"] = np.array(path)
    paths["Adam (lr 0.05)"] = opt.run(opt.Adam(0.05), landscape, start, steps=300).points

    u, v = np.meshgrid(np.linspace(-2, 2, 200), np.linspace(-1, 3, 200))
    fig, ax = plt.subplots(figsize=(6, 4.5))
    ax.contour(u, v, landscape(np.stack([u, v], axis=-1)), levels=np.logspace(-1, 3, 15),
               cmap="Greys")
    for label, path in paths.items():
        ax.plot(path[:, 0], path[:, 1], lw=1.2,
                label=f"{label}: loss {landscape(path[-1]):.3g}")
    ax.plot(1, 1, "k*", markersize=10)
    ax.legend(fontsize=8)
    plt.show()
except NotImplementedError:
    print("Write lion_step and adabelief_step above, then run this cell again.")

# %% [markdown]
# ## Recap
#
# - Lion: the sign of an interpolated momentum, so every entry moves by exactly $\eta$;
#   use a learning rate 3-10x smaller than Adam's.
# - AdaBelief: Adam with $(g - m)^2$ in place of $g^2$, and $\epsilon$ in two places.
# - Reading pseudo-code: note which value of each variable (old or new) every line uses.
#
# Next: the capstone, exercise 10.
