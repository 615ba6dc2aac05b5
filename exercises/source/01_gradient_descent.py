# %% [markdown]
# # Exercise 01 · Gradient descent and a numerical gradient
#
# This exercise follows lesson **03 · Gradients and gradient descent**. You will write
# the three smallest pieces of every optimizer:
#
# | Task | You write | Points |
# |---|---|---|
# | 1 | `gradient_descent_step`: one update $w \leftarrow w - \eta\, g$ | 2 |
# | 2 | `numerical_gradient`: a gradient from central differences | 3 |
# | 3 | `gradient_descent`: many steps, returning the whole path | 2 |
#
# **How it works.** Each task gives a function with its exact signature and a docstring
# that says what to return. Replace the line `raise NotImplementedError("Your code here")`
# with your code, run the cell, then run the `check(...)` cell below it. The check calls
# your function on random inputs and prints your points; for a case that failed it shows
# what was expected, what you returned, and a hint about the likely mistake. Run it as
# often as you like. Your functions must not change their input arrays: return new ones.
#
# Run the next cell first: it imports NumPy and the checker.

# %%
import matplotlib.pyplot as plt
import numpy as np

from optimizers.grading import check

# %% [markdown]
# ## Task 1 · One step of gradient descent (2 points)
#
# The gradient $g = \nabla L(w)$ points uphill, in the direction in which the loss grows
# fastest. Gradient descent takes a step of size $\eta$ (the learning rate) the other way:
#
# $$w_{\text{new}} = w - \eta\, g$$
#
# `param` and `grad` are NumPy arrays of the same shape (any shape); `learning_rate` is a
# float. Return the new parameter as a **new** array of the same shape and dtype: do not
# modify `param` in place (`param -= ...` would change the caller's array).

# %%
def gradient_descent_step(param, grad, learning_rate):
    """Return param - learning_rate * grad, a new array (param is not modified).

    Args:
        param: the current parameter, an ndarray.
        grad: the gradient of the loss at param, same shape.
        learning_rate: the step size eta, a float > 0.

    Returns:
        The updated parameter, an ndarray of param's shape and dtype.

    >>> gradient_descent_step(np.array([1.0, 2.0]), np.array([0.5, -1.0]), 0.1)
    array([0.95, 2.1 ])
    """
    ### BEGIN SOLUTION
    return param - learning_rate * grad
    ### END SOLUTION


# %%
check("gradient_descent_step", gradient_descent_step)

# %% [markdown]
# ## Task 2 · A numerical gradient (3 points)
#
# Backpropagation is easy to get subtly wrong, so we test it against the *definition* of
# a derivative. For each entry $x_i$, nudge it by $\pm h$ (with $e_i$ the array that is 1
# at entry $i$ and 0 elsewhere) and measure how $f$ changes:
#
# $$\frac{\partial f}{\partial x_i} \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h}$$
#
# This **central** difference has an error that shrinks like $h^2$; the one-sided
# $(f(x + h e_i) - f(x)) / h$ only like $h$.
#
# `f` takes an array shaped like `x` and returns a float; `x` can have any shape. Return a
# float64 array shaped like `x`. Work on copies: after your function returns, `x` must hold
# exactly the values it had before. `np.ndindex(x.shape)` walks over every index of an
# array of any shape.

# %%
def numerical_gradient(f, x, h=1e-5):
    """Estimate the gradient of f at x by central differences, one entry at a time.

    Math: g_i = (f(x + h e_i) - f(x - h e_i)) / (2 h) for every entry i of x.

    Args:
        f: a function of an array shaped like x, returning a float.
        x: the point, a float ndarray of any shape. It is not modified.
        h: the step, a small float > 0.

    Returns:
        A float64 ndarray of x's shape.

    >>> numerical_gradient(lambda v: float(np.sum(v**2)), np.array([1.0, -2.0])).round(6)
    array([ 2., -4.])
    """
    ### BEGIN SOLUTION
    grad = np.zeros(x.shape, dtype=np.float64)
    for index in np.ndindex(x.shape):
        step = np.zeros(x.shape)
        step[index] = h
        grad[index] = (f(x + step) - f(x - step)) / (2 * h)
    return grad
    ### END SOLUTION


# %%
check("numerical_gradient", numerical_gradient)

# %% [markdown]
# Try it against an analytic gradient. For $f(x) = \sum_i x_i^3$ the gradient is
# $3x^2$; the relative error should be around $10^{-10}$ (with float64 and $h = 10^{-5}$):

# %%
try:
    x = np.array([0.5, -1.0, 2.0])
    numeric = numerical_gradient(lambda v: float(np.sum(v**3)), x)
    analytic = 3 * x**2
    error = np.max(np.abs(numeric - analytic) / (np.abs(numeric) + np.abs(analytic)))
    print(f"numeric  {numeric}\nanalytic {analytic}\nrelative error {error:.1e}")
except NotImplementedError:
    print("Write numerical_gradient above, then run this cell again.")

# %% [markdown]
# ## Task 3 · Run gradient descent (2 points)
#
# Now repeat the step. Starting from $w_0$ = `start`, take `steps` updates
#
# $$w_{k+1} = w_k - \eta\, \nabla L(w_k), \qquad k = 0, 1, \dots, \text{steps} - 1$$
#
# where `grad_fn(w)` returns $\nabla L(w)$. Return the **path**: an array of shape
# `(steps + 1, *start.shape)` whose row $k$ is $w_k$, so row 0 is the start itself and the
# last row is where the run ended. Use your `gradient_descent_step` if you like.
#
# A classic bug: appending `w` to a list and then changing `w` in place fills the list with
# the same array many times. Make a new array at each step (`w = w - ...`).

# %%
def gradient_descent(grad_fn, start, learning_rate, steps):
    """Run `steps` steps of gradient descent from `start` and return every point visited.

    Math: w_0 = start, w_{k+1} = w_k - learning_rate * grad_fn(w_k).

    Args:
        grad_fn: a function returning the gradient at a point (an ndarray like start).
        start: the starting point, an ndarray. It is not modified.
        learning_rate: the step size, a float > 0.
        steps: the number of updates, an int >= 0.

    Returns:
        An ndarray of shape (steps + 1, *start.shape); row k is w_k.

    >>> gradient_descent(lambda w: 2 * w, np.array([1.0]), 0.25, 2)
    array([[1.  ],
           [0.5 ],
           [0.25]])
    """
    ### BEGIN SOLUTION
    path = [np.array(start, dtype=np.float64)]
    for _ in range(steps):
        path.append(gradient_descent_step(path[-1], grad_fn(path[-1]), learning_rate))
    return np.array(path)
    ### END SOLUTION


# %%
check("gradient_descent", gradient_descent)

# %% [markdown]
# Here is your descent on the loss $L(w) = (w_1^2 + 10\, w_2^2) / 2$, a narrow valley.
# With $\eta = 0.18$ the steep $w_2$ direction overshoots back and forth (each step
# multiplies $w_2$ by $1 - 10\eta = -0.8$) while the flat $w_1$ direction crawls (factor
# $1 - \eta = 0.82$). Lesson 05 shows how momentum fixes this.

# %%
try:
    path = gradient_descent(lambda w: np.array([1.0, 10.0]) * w, np.array([-4.0, 1.5]), 0.18, 25)
    u, v = np.meshgrid(np.linspace(-4.5, 1, 200), np.linspace(-2, 2, 200))
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.contour(u, v, (u**2 + 10 * v**2) / 2, levels=15, cmap="Greys")
    ax.plot(path[:, 0], path[:, 1], "o-", color="tab:red", markersize=3)
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.set_title("Gradient descent in a narrow valley")
    plt.show()
    print(f"after 25 steps: w = {path[-1].round(4)}")
except NotImplementedError:
    print("Write gradient_descent above, then run this cell again.")

# %% [markdown]
# ## Recap
#
# - A gradient-descent step is one line: $w \leftarrow w - \eta g$. Everything else in this
#   course changes *which* $g$ and *which* $\eta$.
# - Central differences check any gradient you derive by hand, to about $10^{-10}$.
# - Too large a learning rate overshoots in steep directions while flat ones still crawl.
#
# Next: lesson 04 on batch, mini-batch and stochastic gradients, then exercise 02.
