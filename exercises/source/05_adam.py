# %% [markdown]
# # Exercise 05 · Adam with bias correction
#
# This exercise follows lesson **07 · Adam**. Adam combines momentum (a moving average
# $m$ of the gradient) with RMSprop's scaling (a moving average $v$ of its square), and
# corrects both averages for starting at zero. You will write one step, then an optimizer
# object that counts its steps.
#
# | Task | You write | Points |
# |---|---|---|
# | 1 | `adam_step`: one Adam step at step number $t$ | 4 |
# | 2 | `AdamOptimizer`: a class that keeps $m$, $v$ and $t$ between calls | 3 |
#
# **How it works.** Replace each `raise NotImplementedError("Your code here")` with your
# code, run the cell, then run the `check(...)` cell below it for points, failed cases and
# hints. `adam_step` returns new arrays; `AdamOptimizer.apply` updates `param` in place.

# %%
import math

import matplotlib.pyplot as plt
import numpy as np

from optimizers.grading import check

# %% [markdown]
# ## Task 1 · One Adam step (4 points)
#
# At step $t$ ($t = 1$ for the first update), with gradient $g$:
#
# $$m_t = \beta_1 m_{t-1} + (1 - \beta_1)\, g, \qquad
# v_t = \beta_2 v_{t-1} + (1 - \beta_2)\, g^2$$
#
# Both averages start at zero, so early on they are too small by the factors
# $1 - \beta_1^t$ and $1 - \beta_2^t$. **Bias correction** divides those factors out.
# Keras (and the "efficient version" in section 2 of the Adam paper) folds both corrections
# into the step size:
#
# $$\alpha_t = \eta\, \frac{\sqrt{1 - \beta_2^t}}{1 - \beta_1^t}, \qquad
# p_t = p_{t-1} - \alpha_t\, \frac{m_t}{\sqrt{v_t} + \epsilon}$$
#
# This is the same as $\hat m / (\sqrt{\hat v} + \hat\epsilon)$ with
# $\hat m = m_t / (1 - \beta_1^t)$, $\hat v = v_t / (1 - \beta_2^t)$ and
# $\hat\epsilon = \epsilon / \sqrt{1 - \beta_2^t}$: **epsilon is added to $\sqrt{v_t}$
# before the correction**. The paper's Algorithm 1 and PyTorch add it after, to
# $\sqrt{\hat v}$. With the default $\epsilon = 10^{-7}$ the difference is tiny, but the
# check also tries large values of $\epsilon$, so follow the formula above.
#
# Return `(new_param, new_m, new_v)`, all new arrays, in the dtype of `param` (the check
# tries a float32 case). NumPy keeps float32 arrays float32 when you combine them with
# Python floats, but with NumPy 2 a NumPy float64 scalar such as `np.sqrt(1 - beta_2**t)`
# turns the result into float64: compute scalars with `math.sqrt` (imported above).

# %%
def adam_step(param, grad, m, v, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    """One Adam step at step number t (t = 1 for the first update), Keras 3's form.

    Math: m_t = beta_1 * m + (1 - beta_1) * grad
          v_t = beta_2 * v + (1 - beta_2) * grad**2
          alpha_t = learning_rate * sqrt(1 - beta_2**t) / (1 - beta_1**t)
          p_t = param - alpha_t * m_t / (sqrt(v_t) + epsilon)

    Args:
        param, grad, m, v: ndarrays of the same shape; m and v are the averages after step
            t - 1 (zeros before the first step). None of them is modified.
        t: the step number, an int >= 1.
        learning_rate: eta > 0.  beta_1, beta_2: decays in [0, 1).  epsilon: > 0.

    Returns:
        (new_param, new_m, new_v).

    >>> p, m, v = adam_step(np.zeros(2), np.array([3.0, -0.5]), np.zeros(2), np.zeros(2), 1, 0.1)
    >>> p.round(4)    # the first step moves each entry by about the learning rate
    array([-0.1,  0.1])
    """
    ### BEGIN SOLUTION
    new_m = beta_1 * m + (1 - beta_1) * grad
    new_v = beta_2 * v + (1 - beta_2) * grad**2
    alpha = learning_rate * math.sqrt(1 - beta_2**t) / (1 - beta_1**t)
    new_param = param - alpha * new_m / (np.sqrt(new_v) + epsilon)
    return new_param, new_m, new_v
    ### END SOLUTION


# %%
check("adam_step", adam_step)

# %% [markdown]
# ## Task 2 · An Adam optimizer object (3 points)
#
# Complete the class: `__init__` stores the hyperparameters (written for you) and creates
# the state; `apply(grad, param)` (Keras's order) updates `param` **in place** with one
# Adam step and returns nothing. The object must remember between calls:
#
# - `m` and `v`: zeros shaped like `param` before the first call;
# - the step count `t`: the first call uses $t = 1$, the next $t = 2$, and so on.
#
# Forgetting the state, or the count, is the most common Adam bug: the optimizer then takes
# "first steps" forever. Each object serves one parameter array; two objects must not share
# state. You may call your `adam_step`.

# %%
class AdamOptimizer:
    """Adam that keeps m, v and the step count between calls, like keras.optimizers.Adam.

    >>> p = np.array([1.0, 1.0])
    >>> adam = AdamOptimizer(learning_rate=0.1)
    >>> for _ in range(3):
    ...     adam.apply(np.array([2.0, -1.0]), p)
    >>> p.round(4), adam.t    # a steady gradient: about learning_rate per step
    (array([0.7, 1.3]), 3)
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        self.learning_rate = learning_rate
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        ### BEGIN SOLUTION
        self.m = None
        self.v = None
        self.t = 0
        ### END SOLUTION

    def apply(self, grad, param):
        """Update param in place with one Adam step; keep m, v and t for the next call."""
        ### BEGIN SOLUTION
        if self.m is None:
            self.m, self.v = np.zeros_like(param), np.zeros_like(param)
        self.t += 1
        new_param, self.m, self.v = adam_step(param, grad, self.m, self.v, self.t,
                                              self.learning_rate, self.beta_1, self.beta_2,
                                              self.epsilon)
        param[...] = new_param
        ### END SOLUTION


# %%
check("AdamOptimizer", AdamOptimizer)

# %% [markdown]
# What bias correction buys: with a steady gradient $g = 1$ and $\beta_1 = 0.9$, the raw
# average $m_t = 1 - 0.9^t$ needs dozens of steps to approach 1, while the corrected
# $\hat m_t = m_t / (1 - 0.9^t)$ is exactly 1 from the first step.

# %%
try:
    m, v, ms = np.zeros(1), np.zeros(1), []
    for t in range(1, 41):
        _, m, v = adam_step(np.zeros(1), np.ones(1), m, v, t)
        ms.append(m[0])
    t = np.arange(1, 41)
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.plot(t, ms, label="$m_t$ (raw average)")
    ax.plot(t, np.array(ms) / (1 - 0.9**t), label=r"$\hat m_t = m_t / (1 - \beta_1^t)$")
    ax.set_xlabel("step $t$")
    ax.legend()
    plt.show()
except NotImplementedError:
    print("Write adam_step above, then run this cell again.")

# %% [markdown]
# ## Recap
#
# - Adam = momentum on $g$ + RMSprop scaling by $\sqrt{v}$ + bias correction with
#   $1 - \beta^t$, where $t$ counts from 1.
# - The first step moves each entry by about $\eta$, whatever the gradient's size.
# - Keras adds $\epsilon$ to $\sqrt{v_t}$ before the bias correction, PyTorch after.
#
# Next: exercise 06 on learning-rate schedules, after lesson 10.
