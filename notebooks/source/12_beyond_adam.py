# %% [markdown]
# # Lesson 12: Beyond Adam
#
# Adagrad, Adadelta, Nadam, AdamW, AdaBelief, RAdam, Lookahead and Lion: what each one changes in the
# optimizers you already know, an experiment that shows the change at work, and where each one fits.
#
# **You will be able to:**
#
# - place each optimizer in the family: which part of SGD, RMSprop or Adam it changes, and why;
# - explain why Adagrad's steps only shrink, and why that helps rare features;
# - show that an L2 penalty inside Adam decays each weight at a different rate, while AdamW's decoupled
#   decay is the same for all, and know what `weight_decay` means in Keras and in PyTorch;
# - read RAdam's rectification factor as an automatic warmup, Lookahead as slow weights that average the fast
#   ones, and Lion as a sign update that needs a smaller learning rate;
# - compare the newcomers fairly, on landscapes and on a real model, and say what the result does and does
#   not show.
#
# **Article sections:** 16 (and the Keras optimizers named in 13) · **Study time:** about 30 minutes

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np
from threadpoolctl import threadpool_limits

import optimizers as opt
from optimizers import landscapes
from optimizers.models import MLP
from optimizers.radam import rectification
from optimizers.training import fit
from optimizers.widgets import style

# Speed only: our matrices are tiny, and for them one BLAS thread is faster than several.
_ = threadpool_limits(1)

# %% [markdown]
# ## 1. A family tree
#
# Every optimizer in this lesson changes one piece of an optimizer you have already met. Read the table as
# "take this one, change that":
#
# | optimizer | year | starts from | what it changes | slots per weight | in Keras |
# |---|---|---|---|---|---|
# | Adagrad | 2011 | SGD | divides by the root of the *sum* of all past squared gradients | 1 | yes |
# | Adadelta | 2012 | Adagrad | a moving average instead of the sum, and a step measured in the weight's own units | 2 | yes |
# | RMSprop | 2012 | Adagrad | a moving average instead of the sum (lesson 06) | 1 | yes |
# | Adam | 2014 | RMSprop + momentum | both moments, with bias correction (lesson 07) | 2 | yes |
# | Adamax | 2015 | Adam | a decaying *maximum* of $\lvert g\rvert$ instead of the root mean square | 2 | yes |
# | Nadam | 2016 | Adam | Nesterov's look-ahead in the momentum | 2 | yes |
# | AdamW | 2017 | Adam | weight decay applied outside the adaptive step | 2 | yes |
# | Lookahead | 2019 | any optimizer | slow weights that follow the fast ones every $k$ steps | +1 | no |
# | RAdam | 2019 | Adam | switches the adaptive step on gradually, as its estimate becomes reliable | 2 | no |
# | AdaBelief | 2020 | Adam | divides by the spread of $g$ around its average, not by the size of $g$ | 2 | no |
# | Lion | 2023 | momentum | moves every weight by exactly $\pm\eta$: the sign of a momentum | 1 | yes |
#
# The article's "future" list ends with AdaBelief, RAdam, Lookahead and Lion; the first four rows are the
# older members of Keras's collection. All are in the library, with Keras's names and arguments (lesson 11's
# table). We take them in order.

# %% [markdown]
# ## 2. Adagrad: every gradient counts for ever
#
# Adagrad was the first optimizer to give every weight its own step size. It adds up the squares of all the
# gradients a weight has seen, and divides by the root of that sum:
#
# $$G_t = G_{t-1} + g_t^2, \qquad w_t = w_{t-1} - \eta\,\frac{g_t}{\sqrt{G_t + \epsilon}},
# \qquad G_0 = 0.1 \text{ in Keras.}$$
#
# In code, for one array of weights:
#
# ```python
# G += g**2
# w -= lr * g / np.sqrt(G + epsilon)
# ```
#
# Because $G$ only grows, each weight's step only shrinks: with a steady gradient, roughly as $1/\sqrt t$. That
# is a built-in learning-rate decay, welcome on convex problems and a handicap in long training runs (lesson
# 06 showed that Adagrad never recovers after a period of large gradients). Its strength is **rare features**.
# A weight whose feature shows up in few rows has a small sum $G$, so each time its feature does appear, it takes
# a large step. Plain SGD cannot do that: its one learning rate is capped by the frequent features.
#
# Here is such a problem: rows of three binary "words" that appear in 90 %, 5 % and 0.5 % of 2,000 rows, and a
# target that is a weighted sum of the words present. We make one pass over the rows in mini-batches of 50 (40
# updates) and try 15 learning rates at once for each optimizer (one array of rates, one weight row per rate).

# %%
rng = np.random.default_rng(0)
FREQUENCY = np.array([0.9, 0.05, 0.005])               # how often each word appears in a row
X_words = (rng.random((2000, 3)) < FREQUENCY).astype(float)
w_words = np.array([1.0, -1.0, 2.0])                   # the weights to learn
y_words = X_words @ w_words + 0.1 * rng.standard_normal(2000)

def one_pass(optimizer, rates, batch=50):
    """One pass over the rows in mini-batches, for every learning rate in `rates` at once; final weights."""
    W, optimizer.learning_rate = np.zeros((len(rates), 3)), rates[:, None]
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)          # the largest rates blow up on purpose
        for start in range(0, len(y_words), batch):
            Xb, yb = X_words[start:start + batch], y_words[start:start + batch]
            optimizer.apply((W @ Xb.T - yb) @ Xb / batch, W)     # gradient of the mean squared error / 2
    return W

# %%
# NBVAL_CHECK_OUTPUT
rates = np.geomspace(0.01, 30, 15)
print(f"rows containing each word: {X_words.sum(axis=0).astype(int)}")
print(f"{'':9s} {'best lr':>8s}   error on the weight of the frequent, uncommon, rare word")
for name, optimizer in {"SGD": opt.SGD(), "Adagrad": opt.Adagrad(), "Adam": opt.Adam()}.items():
    errors = np.abs(one_pass(optimizer, rates) - w_words)
    total = np.where(np.isfinite(errors.sum(axis=1)), errors.sum(axis=1), np.inf)
    i = int(np.argmin(total))
    print(f"{name:9s} {rates[i]:8.3g}   " + "  ".join(f"{e:6.3f}" for e in errors[i]))

# %% [markdown]
# At its best rate, SGD learns the frequent and the uncommon word well and gets the rare word's weight only a
# third of the way (error 1.3 out of 2): a larger rate would help the rare word, but the frequent word makes
# every larger rate blow up. Adagrad and Adam learn all three. Notice Adagrad's best rate: more than ten
# thousand times Keras's default of 0.001, because its steps shrink as $\sqrt{G}$ grows. A default
# learning rate is a starting point for a typical problem, nothing more.

# %% [markdown]
# ## 3. Adadelta: a step with the right units
#
# Adadelta (Zeiler, 2012) fixes Adagrad's ever-shrinking steps with a moving average of $g^2$, as RMSprop does,
# and adds a second idea. In $\eta\, g/\sqrt{\mathbb{E}[g^2]}$ the units of $g$ cancel, so the step has the units
# of $\eta$, not of the weight. Adadelta replaces $\eta$ by the root mean square of its own recent *steps*:
#
# $$\Delta w_t = -\frac{\sqrt{\mathbb{E}[\Delta w^2]_{t-1} + \epsilon}}{\sqrt{\mathbb{E}[g^2]_t + \epsilon}}\; g_t,
# \qquad \mathbb{E}[\Delta w^2]_t = \rho\, \mathbb{E}[\Delta w^2]_{t-1} + (1-\rho)\, \Delta w_t^2,
# \qquad w_t = w_{t-1} + \eta\,\Delta w_t .$$
#
# The paper's method has no learning rate at all ($\eta = 1$). Keras keeps an $\eta$ and sets its default to
# 0.001, which turns Adadelta into a crawl. There is a second brake: at the start $\mathbb{E}[\Delta w^2] = 0$,
# so the first $\Delta w$ is only about $\sqrt{\epsilon/(1-\rho)}$ per weight (0.0014 with Keras's values), and
# the steps grow only as the average of past steps builds up. Distance still to go to the minimum of the bowl
# $x^2 + y^2$, from 3.2 away:

# %%
# NBVAL_CHECK_OUTPUT
settings = {"Keras default: lr 0.001, epsilon 1e-7": opt.Adadelta(),
            "the paper: lr 1, epsilon 1e-6": opt.Adadelta(1.0, epsilon=1e-6),
            "lr 1, epsilon 1e-7": opt.Adadelta(1.0),
            "lr 10, epsilon 1e-7": opt.Adadelta(10.0)}
for name, adadelta in settings.items():
    run = opt.run(adadelta, landscapes.bowl, steps=500)
    left = np.linalg.norm(run.points[[1, 100, 500]], axis=1)
    print(f"{name:38s} first step {np.linalg.norm(run.points[1] - run.points[0]):.1e}; "
          f"distance left after 100 steps {left[1]:.2f}, after 500 {left[2]:.2g}")

# %% [markdown]
# With Keras's defaults Adadelta does not visibly move in 500 steps. The paper's settings get it going (its larger
# $\epsilon$ makes the first steps three times longer), but after 500 steps it has covered only four fifths of the
# way; a learning rate of 10 reaches the minimum. If you meet Adadelta in a recipe, check which library's defaults
# the recipe assumed (PyTorch's are `lr=1.0, rho=0.9, eps=1e-6`). Today it is rarely the first choice; RMSprop and
# Adam took its place.

# %% [markdown]
# ## 4. Nadam: Adam with a look-ahead
#
# Nesterov momentum (lesson 05) takes the gradient at the point the momentum is about to carry the weights to,
# and so corrects an overshoot one step earlier. Dozat (2016) carried the idea into Adam. Adam's step direction
# is $\hat m_t$, a mixture of the old momentum and the new gradient. Nadam uses the momentum that the *next*
# step will apply instead, which puts more weight on the newest gradient:
#
# $$\hat m_t^{\text{Nadam}} = \frac{\beta_1\, m_t}{1-\beta_1^{t+1}} + \frac{(1-\beta_1)\, g_t}{1-\beta_1^{t}},
# \qquad w_t = w_{t-1} - \eta\,\frac{\hat m_t^{\text{Nadam}}}{\sqrt{\hat v_t} + \epsilon}.$$
#
# Keras's Nadam (and ours, in [`optimizers/nadam.py`](../optimizers/nadam.py)) also warms the momentum up, with
# $\beta_1$ replaced by $\mu_t = \beta_1\,(1 - 0.5 \cdot 0.96^{t})$, which climbs from about $0.52\,\beta_1$ to
# $\beta_1$ over the first hundred or so steps. Does the look-ahead help? Steps until the loss is within $10^{-3}$
# of the minimum, for Adam and Nadam at two learning rates, on four landscapes:

# %%
# NBVAL_CHECK_OUTPUT
print(f"{'landscape':11s} {'lr 0.05: Adam':>14s} {'Nadam':>6s} {'lr 0.2: Adam':>14s} {'Nadam':>6s}")
for name in ("bowl", "ravine", "himmelblau", "beale"):
    land, cells = landscapes.ALL[name], []
    for lr in (0.05, 0.2):
        for o in (opt.Adam(lr), opt.Nadam(lr)):
            cells.append(opt.run(o, land, steps=300).steps_to_reach(land.global_min_value + 1e-3))
    print(f"{name:11s} {cells[0]:14d} {cells[1]:6d} {cells[2]:14d} {cells[3]:6d}")

# %% [markdown]
# At the larger rate, where Adam overshoots and circles the minimum, Nadam settles sooner on all four landscapes
# (on Himmelblau in about half the steps). At the smaller rate there is little overshoot to correct, and Nadam is
# a few steps slower (neither reaches the mark on Beale in 300 steps). That matches its reputation: a small, cheap
# improvement (the same two slots as Adam), not a different league. Keras also has **Adamax** from the Adam paper,
# which divides by a slowly decaying maximum of $\lvert g\rvert$ instead of the root mean square; it is less
# sensitive to rare huge gradients and otherwise behaves like Adam.

# %% [markdown]
# ## 5. AdamW: weight decay that stays weight decay
#
# *Weight decay* pulls every weight a little towards zero at each step, which keeps weights small and usually
# helps a model generalise. For plain SGD two ways of doing it are the same thing:
#
# - **L2 regularisation**: add $\frac{\lambda}{2}\lVert w\rVert^2$ to the loss. Its gradient $\lambda w$ joins
#   the data's gradient, and SGD's step gains $-\eta\lambda w$.
# - **decoupled weight decay**: leave the loss alone and shrink the weights directly:
#   $w \leftarrow w - \eta\lambda w$.
#
# In Adam they differ. With L2, the extra gradient $\lambda w$ goes through Adam's division by $\sqrt{\hat v}$,
# like everything else in the gradient. A weight whose data gradients are typically large, say of size
# $\sigma$, then decays by only about $\eta\lambda/\sigma$ of itself per step, and a weight with small data
# gradients decays much faster. Loshchilov and Hutter (2019) proposed to decouple the decay from the adaptive step
# instead, and called the result **AdamW**:
#
# $$w_t = w_{t-1} - \eta\lambda\, w_{t-1} - \eta\,\frac{\hat m_t}{\sqrt{\hat v_t} + \hat\epsilon}.$$
#
# In code it is one extra line before Adam's step (as in Keras, and in our
# [`optimizers/base.py`](../optimizers/base.py)): `w -= lr * weight_decay * w`.
#
# **An experiment.** Four groups of 1,000 weights, all starting at 1. Each weight's data gradient is pure noise
# with mean zero, so on average the data do not move it, with a different size $\sigma$ per group: 0.01, 0.1, 1
# and 10. Any steady pull towards zero therefore comes from the decay. We run Adam with an L2 term
# ($\lambda = 0.1$ added to the loss) and AdamW with `weight_decay=0.1`, both at learning rate 0.01 for 1,000
# steps, and follow the *average* weight of each group.

# %%
rng = np.random.default_rng(1)
SIGMAS, LR, LAMBDA, STEPS = np.array([0.01, 0.1, 1.0, 10.0]), 0.01, 0.1, 1000
w_l2, w_decoupled = np.ones((4, 1000)), np.ones((4, 1000))
adam_l2, adamw = opt.Adam(LR), opt.AdamW(LR, weight_decay=LAMBDA)
mean_l2, mean_decoupled = [np.ones(4)], [np.ones(4)]
for t in range(STEPS):
    noise = SIGMAS[:, None] * rng.standard_normal((4, 1000))   # the data's gradient: zero on average
    adam_l2.apply(noise + LAMBDA * w_l2, w_l2)                  # L2: the penalty's gradient goes through Adam
    adamw.apply(noise, w_decoupled)                             # AdamW: the decay is applied outside it
    mean_l2.append(w_l2.mean(axis=1))
    mean_decoupled.append(w_decoupled.mean(axis=1))
mean_l2, mean_decoupled = np.array(mean_l2), np.array(mean_decoupled)

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 3.6), sharey=True)
for ax, means, title in zip(axes, (mean_l2, mean_decoupled), ("Adam + L2 penalty in the loss", "AdamW (decoupled)")):
    for colour, sigma, curve in zip(style.SEQUENCE, SIGMAS, means.T):
        ax.plot(curve, color=colour, label=f"gradient noise $\\sigma$ = {sigma:g}")
    ax.set(title=f"{title}, $\\lambda$ = 0.1, lr = 0.01", xlabel="step")
axes[1].plot((1 - LR * LAMBDA) ** np.arange(STEPS + 1), color=style.BLACK, ls=":", label="$(1 - \\eta\\lambda)^t$")
axes[0].set_ylabel("average weight (all start at 1)")
for ax in axes:
    ax.legend(fontsize=8)
plt.tight_layout()
plt.show()

# %%
# NBVAL_CHECK_OUTPUT
print(f"average weight after {STEPS} steps; AdamW should give (1 - lr lambda)^t = {(1 - LR * LAMBDA) ** STEPS:.3f}")
for sigma, l2, decoupled in zip(SIGMAS, mean_l2[-1], mean_decoupled[-1]):
    estimate = np.exp(-STEPS * LR * LAMBDA / sigma)                  # the L2 decay rate lr lambda / sigma
    print(f"sigma {sigma:5g}:  Adam + L2 {round(l2, 3) + 0.0:6.3f} (about exp(-t lr lambda / sigma) = "
          f"{estimate:.3f})   AdamW {decoupled:.3f}")

# %% [markdown]
# With the L2 penalty, the same $\lambda$ gives four different decays: the weights with the smallest gradients are
# gone within a few hundred steps, and those with the largest lose only a tenth of their size. Where $\sigma$ is
# large, the decay follows the estimate $e^{-t\eta\lambda/\sigma}$; where $\sigma$ is small, the penalty's
# gradient dominates and Adam moves the weight by about `lr` per step, its largest step. That is the opposite of
# what regularisation is for: the weights the data pushes hardest are the least regularised. AdamW decays every
# group by the same factor $(1-\eta\lambda)^t$, whatever its gradients. Loshchilov and Hutter found that this
# makes the best weight decay easier to find (it no longer interacts with the learning rate and the gradient
# sizes) and that it closes much of the generalisation gap between Adam and SGD on image classification; AdamW is
# now the standard choice for training transformers.
#
# **Which one does `weight_decay` give you?** In Keras 3, and in this course, `weight_decay` is always decoupled,
# for every optimizer, so `Adam(weight_decay=x)` *is* AdamW. L2 in Keras is a `kernel_regularizer` on a layer,
# which adds to the loss. In PyTorch, `torch.optim.Adam(weight_decay=x)` adds $x\,w$ to the gradient: L2, not
# AdamW. The same words, different optimizers. Our Adam with `weight_decay` and our AdamW on the same numbers:

# %%
rng = np.random.default_rng(2)
w_adam, w_adamw = np.ones(5), np.ones(5)
adam_decay, adamw_decay = opt.Adam(0.01, weight_decay=0.1), opt.AdamW(0.01, weight_decay=0.1)
for _ in range(100):
    g = rng.standard_normal(5)
    adam_decay.apply(g, w_adam)
    adamw_decay.apply(g, w_adamw)
print("Adam(weight_decay=0.1) and AdamW(weight_decay=0.1) give identical weights:", np.array_equal(w_adam, w_adamw))

# %% [markdown]
# ## 6. AdaBelief: divide by the surprise
#
# Adam divides $\hat m_t$ by the root mean square of the gradient, $\sqrt{\hat v_t}$: its steps are small where
# gradients are large. AdaBelief (Zhuang et al., 2020) divides by how much the gradient *differs from its own
# average* instead:
#
# $$s_t = \beta_2\, s_{t-1} + (1-\beta_2)\,(g_t - m_t)^2 + \epsilon, \qquad
# w_t = w_{t-1} - \eta\,\frac{\hat m_t}{\sqrt{\hat s_t} + \epsilon},$$
#
# with $m_t$, $\hat m_t$ and the bias corrections as in Adam. The name comes from reading $m_t$ as the
# optimizer's *belief* about the next gradient. If the gradient arrives as predicted, $(g - m)^2$ is small and
# the step is large; if it is a surprise, the step is small. (Note the two $\epsilon$: one inside $s$, one
# outside the root, as in the paper's algorithm. You will implement it in the exercise.)
#
# The same four gradient streams as in lesson 07: one weight each, gradients with mean 1 and spread 0, 1 and 3,
# and pure noise (mean 0, spread 1). The size of each step, divided by the learning rate:

# %%
means, spreads = np.array([1.0, 1.0, 1.0, 0.0]), np.array([0.0, 1.0, 3.0, 1.0])
for name, optimizer in {"Adam": opt.Adam(0.01), "AdaBelief": opt.AdaBelief(0.01)}.items():
    rng, w, sizes = np.random.default_rng(3), np.zeros(4), []
    for t in range(2000):
        before = w.copy()
        optimizer.apply(means + spreads * rng.standard_normal(4), w)
        sizes.append(np.abs(w - before) / 0.01)
    sizes = np.array(sizes)
    print(f"{name:9s} step / lr, steps 1000-2000, for (mean, spread) = (1, 0), (1, 1), (1, 3), (0, 1): "
          + ", ".join(f"{s:.2f}" for s in sizes[1000:].mean(axis=0)))

# %% [markdown]
# On the noisy streams the two take similar steps (AdaBelief's a little longer where the signal is strong).
# The difference is the steady gradient: Adam's step stays at `lr`,
# while AdaBelief's keeps growing, to many times `lr`, because a gradient that never changes is never a surprise.
# That is the point of the method: on a long, even slope (a plateau, or the floor of a valley) it speeds up. On a
# real loss the gradient changes as the weights move, so $(g - m)^2$ does not vanish and the steps stay bounded;
# still, AdaBelief usually wants a somewhat smaller learning rate than Adam. Its authors report Adam-like speed
# with SGD-like generalisation on image and language tasks; independent comparisons since have been mixed.

# %% [markdown]
# ## 7. RAdam: a warmup built into Adam
#
# Lesson 10 showed that Adam at a high learning rate can blow up in its first updates, and that a warmup fixes
# it. Liu et al. (2020) traced the problem to Adam's second moment: after a handful of steps, $\hat v_t$ averages
# only a few squared gradients, so the adaptive step size $1/\sqrt{\hat v_t}$ is a very noisy estimate. Their
# **Rectified Adam** measures how many gradients the average effectively holds,
#
# $$\rho_\infty = \frac{2}{1-\beta_2} - 1, \qquad \rho_t = \rho_\infty - \frac{2t\,\beta_2^{\,t}}{1-\beta_2^{\,t}},$$
#
# and while $\rho_t \le 5$ (the first 5 steps for $\beta_2 = 0.999$) it takes plain momentum steps,
# $w \leftarrow w - \eta\,\hat m_t$. After that it takes Adam's step multiplied by a *rectification factor*
#
# $$r_t = \sqrt{\frac{(\rho_t - 4)(\rho_t - 2)\,\rho_\infty}{(\rho_\infty - 4)(\rho_\infty - 2)\,\rho_t}},$$
#
# which shrinks the step in proportion to the estimate's noise. The library's function
# `optimizers.radam.rectification` computes $r_t$ (our RAdam follows PyTorch's `torch.optim.RAdam`, which uses the
# threshold 5 where the paper says 4). Here it is:

# %%
steps = np.arange(1, 10_001)
fig, ax = plt.subplots(figsize=(9, 3.4))
for colour, beta_2 in zip((style.color_of("RAdam"), style.ORANGE), (0.999, 0.99)):
    r = np.array([rectification(beta_2, int(t)) or np.nan for t in steps])   # None (not yet rectified) -> gap
    ax.plot(steps, r, color=colour, label=f"$r_t$ for $\\beta_2$ = {beta_2}")
ax.set(xscale="log", xlabel="step t (log scale)", ylabel="$r_t$ (multiplies Adam's step)",
       title="RAdam's rectification: a warmup whose length is set by $\\beta_2$")
ax.legend()
plt.show()

# %%
# NBVAL_CHECK_OUTPUT
for t in (5, 6, 10, 100, 1000):
    r = rectification(0.999, t)
    print(f"t = {t:4d}: " + ("momentum step, not rectified yet" if r is None else f"r_t = {r:.3f}"))

# %% [markdown]
# For $\beta_2 = 0.999$, RAdam's adaptive step starts at 3 % of Adam's, reaches half of it after about 550 steps
# and 90 % after about 2,700; for $\beta_2 = 0.99$ ten times sooner. A warmup, with its length set by how long
# $v$ remembers rather than by a schedule you tune.
# Does it work like one? Lesson 10's experiment: a 3-layer network on the digits with Adam at a high rate, 0.1,
# for 4 epochs, from three seeds. Adam with no warmup, Adam with 50 steps of linear warmup (then constant), and
# RAdam with no schedule at all:

# %%
digits = opt.data.digits(seed=0)

def train(optimizer, seed, layers=(64, 32, 10), epochs=10, batch_size=64):
    """Train a fresh MLP on the digits training rows; return (model, History)."""
    model = MLP(list(layers), seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # a run that blows up is reported, not warned about
        history = fit(model, optimizer, digits.X_train, digits.y_train, batch_size=batch_size, epochs=epochs,
                      seed=seed, validation_data=(digits.X_val, digits.y_val), progress=False)
    return model, history

# %%
warmup = lambda: opt.CosineDecay(0.0, decay_steps=1000, warmup_target=0.1, warmup_steps=50, alpha=1.0)  # then flat
STARTS = {"Adam, no warmup": lambda: opt.Adam(0.1), "Adam, 50 steps of warmup": lambda: opt.Adam(warmup()),
          "RAdam, no schedule": lambda: opt.RAdam(0.1)}
start_runs = {name: [train(make(), seed, layers=(64, 48, 48, 10), epochs=4, batch_size=32)[1] for seed in range(3)]
              for name, make in STARTS.items()}

# %%
# NBVAL_CHECK_OUTPUT
print(f"{'':25s} {'highest loss, updates 1-30':>27s} {'val accuracy after 4 epochs':>30s}")
for name, runs in start_runs.items():
    print(f"{name:25s} {', '.join(f'{h.loss[:30].max():.2f}' for h in runs):>27s} "
          f"{', '.join(f'{h.epoch_val_metric[-1]:.3f}' for h in runs):>30s}")

# %% [markdown]
# Without warmup, Adam's first updates throw the loss well above its starting value ($\ln 10 \approx 2.3$) and
# the runs end worst. Warmup and RAdam both keep the start calm, and here RAdam, which also keeps shrinking
# its steps for longer, ends best. At a moderate rate (try 0.03) the three are about even: like warmup, RAdam
# matters when the rate is aggressive.
#
# Two cautions. RAdam's first five steps are plain momentum steps, $\eta\,\hat m_t$, *not* divided by
# $\sqrt{\hat v_t}$: with gradients in the hundreds (the steep walls of Rosenbrock's function, for instance) an
# Adam-sized learning rate makes them huge, which is why the race in section 10 gives RAdam a small rate there.
# And RAdam's warmup costs speed in short runs: in section 10's 10-epoch runs it needs a higher rate than Adam.

# %% [markdown]
# ## 8. Lookahead: slow weights that follow the fast ones
#
# Lookahead (Zhang, Lucas, Hinton and Ba, 2019) wraps any optimizer. The inner optimizer updates the weights
# as usual (the *fast* weights $\theta$). A second copy, the *slow* weights $\phi$, waits. Every $k$ steps the
# slow weights move a fraction $\alpha$ of the way towards the fast ones, and the fast weights restart from there:
#
# $$\phi \leftarrow \phi + \alpha\,(\theta - \phi), \qquad \theta \leftarrow \phi
# \qquad \text{every } k \text{ steps (default } k = 5,\ \alpha = 0.5).$$
#
# ```python
# if step % k == 0:
#     slow += alpha * (fast - slow)
#     fast[...] = slow
# ```
#
# The fast weights explore; the slow weights average where the exploration went. If the fast weights zig-zag
# across a valley, the zig and the zag partly cancel in the average. Gradient descent on the ravine of lesson 05
# is stable only for learning rates below $2/16 = 0.125$. At 0.13 it blows up; wrapped in Lookahead it does not:

# %%
fast = opt.run(opt.Lookahead(opt.SGD(0.13), k=5, alpha=0.5), landscapes.ravine, steps=150)
plain = opt.run(opt.SGD(0.13), landscapes.ravine, steps=150)
X, Y, Z = landscapes.ravine.mesh(200)
fig, ax = plt.subplots(figsize=(9, 4))
ax.contour(X, Y, Z, levels=np.geomspace(0.05, 60, 12), colors=style.GREY, linewidths=0.6)
ax.plot(*plain.points[:13].T, "--", color=style.BLACK, lw=0.8,
        label=f"gradient descent alone: first 12 steps (it leaves the picture at step {plain.diverged_at})")
ax.plot(*fast.points.T, "-", color=style.BLUE, lw=0.6, label="Lookahead: fast weights (inner gradient descent)")
ax.plot(*fast.points[::5].T, "o-", color=style.VERMILLION, ms=4, lw=1.2,
        label="Lookahead: slow weights, every 5 steps")
ax.plot(0, 0, "k*", ms=12, label="minimum")
ax.set(xlim=(-5, 1), ylim=(-2.5, 2.5), xlabel="x", ylabel="y",
       title="Ravine $0.1x^2 + 8y^2$, learning rate 0.13 (gradient descent's limit: 0.125), 150 steps")
ax.legend(fontsize=8, loc="lower right")
plt.show()

# %% [markdown]
# Between synchronisations the fast weights swing further out at every step, as plain gradient descent does.
# But every fifth step the slow weights take the midpoint of where they were and where the fast weights got to,
# and across the valley those two points lie on opposite sides: the midpoint lands close to the valley floor.
# How far does this stretch the usable learning rates? Loss after 150 steps:

# %%
# NBVAL_CHECK_OUTPUT
lrs = np.array([0.05, 0.1, 0.12, 0.13, 0.14, 0.15])
for name, o in {"gradient descent": opt.SGD(), "Lookahead(gradient descent)": opt.Lookahead(opt.SGD())}.items():
    result = opt.sweep(o, lrs, landscapes.ravine, steps=150)
    cells = ["diverged" if bad else f"{loss:.1e}" for loss, bad in zip(result.final_losses, result.diverged)]
    print(f"{name:28s} " + "  ".join(f"lr {lr:<4g} {cell:>8s}" for lr, cell in zip(lrs, cells)))

# %% [markdown]
# Lookahead still converges at 0.13 and is at the edge at 0.14 (for $k = 5$ and $\alpha = 0.5$ the limit can be
# worked out: $(1 + 3^{1/5})/16 \approx 0.140$). But at the rates where plain gradient descent works well it is
# *slower*, since every synchronisation throws away half of the fast weights' progress. That is the trade
# Lookahead offers: more robustness to the choice of learning rate and less noise, for some speed. It is often
# combined with RAdam (the combination is known as "Ranger"). In the library, `opt.Lookahead(inner, k, alpha)`
# works with every optimizer.

# %% [markdown]
# ## 9. Lion: only the sign
#
# Lion ("EvoLved Sign Momentum", Chen et al., 2023) was not designed by hand: it was found by a program that
# searched through many candidate update rules, and then simplified. It keeps one momentum and steps by its
# **sign**:
#
# $$c_t = \beta_1\, m_{t-1} + (1-\beta_1)\, g_t, \qquad w_t = w_{t-1} - \eta\,\big(\operatorname{sign}(c_t) + \lambda\, w_{t-1}\big),
# \qquad m_t = \beta_2\, m_{t-1} + (1-\beta_2)\, g_t,$$
#
# with defaults $\beta_1 = 0.9$, $\beta_2 = 0.99$. Two different betas: the sign uses a mix with more weight on
# the new gradient than the momentum that is carried forward. The consequences:
#
# - **every weight moves by exactly $\eta$ at every step** (or 0, where $c_t = 0$), whatever the size of its
#   gradient: even more uniform than Adam's first steps;
# - **one slot per weight** (Adam has two): less memory, which matters for very large models;
# - because the steps are large and never shrink near a minimum, Lion wants a learning rate **3 to 10 times
#   smaller than Adam's**, and its authors use a correspondingly larger weight decay $\lambda$.
#
# One Lion step on five weights with gradients from $10^{-6}$ to $10^{3}$:

# %%
w = np.zeros(5)
opt.Lion(learning_rate=0.01).apply(np.array([1e3, 1.0, -1e-3, 1e-6, -50.0]), w)
print("step / lr:", -w / 0.01)

# %% [markdown]
# Since every step has length $\eta$ in each coordinate, Lion cannot settle closer to a minimum than about
# $\eta$: near the bottom it keeps stepping over it. A sweep of learning rates on the ravine shows both effects,
# with the average loss over the last 50 of 300 steps. We add Lion with a cosine decay of its rate, which lets
# the steps shrink:

# %%
sweep_rates = np.geomspace(1e-3, 1, 13)
late_loss = {}   # mean loss over the last 50 steps, per learning rate
for name, o in {"Adam": opt.Adam(), "Lion": opt.Lion()}.items():
    result = opt.sweep(o, sweep_rates, landscapes.ravine, steps=300)       # all 13 rates in one run
    late_loss[name] = np.where(result.diverged, np.nan, result.losses[-50:].mean(axis=0))
late_loss["Lion + cosine decay"] = np.array([   # a schedule per peak rate: one run each
    opt.run(opt.Lion(opt.CosineDecay(lr, decay_steps=300)), landscapes.ravine, steps=300).losses[-50:].mean()
    for lr in sweep_rates])

# %%
fig, ax = plt.subplots(figsize=(8.5, 3.6))
for name, losses in late_loss.items():
    colour = style.color_of(name.split()[0])
    ax.loglog(sweep_rates, losses, marker="o", color=colour, ls="--" if "cosine" in name else "-", label=name)
ax.set(xlabel="learning rate (peak rate for the cosine decay)", ylabel="mean loss, steps 251-300",
       title="Ravine, 300 steps: Lion wants a smaller rate, and a decay to settle")
ax.legend()
plt.show()

# %%
for name, losses in late_loss.items():
    i = int(np.nanargmin(losses))
    print(f"{name:20s} best learning rate {sweep_rates[i]:.3g}, mean loss at the end {losses[i]:.1e}")

# %% [markdown]
# Lion's best constant rate is several times smaller than Adam's, and even at its best it ends orders of
# magnitude above Adam: its steps never shrink, so it rattles around the minimum at a distance of about its
# learning rate. With a decaying rate its last steps are short and the floor drops about three hundredfold,
# though on this smooth bowl Adam, whose steps shrink by themselves, still ends far lower. That is why Lion is
# used with a schedule (its authors use cosine decay) and a small peak rate. On large vision and language models
# its authors found it as good as or better than AdamW for less memory; in other comparisons the gain is small.
# You will implement it from the paper's pseudo-code in this lesson's exercise.

# %% [markdown]
# ## 10. The newcomers side by side
#
# **On landscapes.** The optimizer race of lesson 08, with the newcomers. Each optimizer has its own learning
# rate for each landscape, picked in advance by a grid search. Switch landscapes, press play, and compare the
# paths; add GD, momentum or Adagrad from the list for reference.

# %%
# NBVAL_IGNORE_OUTPUT
from optimizers import widgets

race = widgets.optimizer_race("rosenbrock", ["Adam", "Nadam", "RAdam", "AdaBelief", "Lion", "Lookahead(Adam)"])
race

# %% [markdown]
# For readers without a running kernel: the loss each one reaches after 200 steps, read off the app.

# %%
for name in ("rosenbrock", "ravine", "beale"):
    race.controls["landscape"].value = name
    race.controls["step"].value = 200
    print(f"{name:10s}", race.message.value.replace("<i>", "").replace("</i>", ""))

# %% [markdown]
# No optimizer leads everywhere: Adam and AdaBelief are best on Rosenbrock's curved valley, Nadam and Lookahead
# shine on the ravine, Lion never gets very close to a minimum (its constant-size steps, section 9), and RAdam
# lags on Rosenbrock and Beale, where its unscaled first steps forced a small rate.
#
# **On a real model.** The digit classifier of lessons 08 and 11 (64-32-10, ReLU), 10 epochs of mini-batches of
# 64 rows. Each optimizer gets three learning rates, a factor of 3 apart, around its usual range; we keep the
# one with the best validation accuracy for seed 0, then train two more seeds with it and report accuracy on the
# **test** rows, which played no part in the choice. SGD with momentum and Adam are there for reference. Fifty
# training runs, a few seconds.

# %%
CANDIDATES = {  # name: (build it from a learning rate, the three rates tried)
    "SGD + momentum": (lambda lr: opt.SGD(lr, momentum=0.9), (0.03, 0.1, 0.3)),
    "Adam": (lambda lr: opt.Adam(lr), (0.01, 0.03, 0.1)),
    "AdamW": (lambda lr: opt.AdamW(lr, weight_decay=0.1), (0.01, 0.03, 0.1)),
    "Nadam": (lambda lr: opt.Nadam(lr), (0.01, 0.03, 0.1)),
    "RAdam": (lambda lr: opt.RAdam(lr), (0.03, 0.1, 0.3)),
    "AdaBelief": (lambda lr: opt.AdaBelief(lr), (0.01, 0.03, 0.1)),
    "Lion": (lambda lr: opt.Lion(lr), (0.003, 0.01, 0.03)),
    "Lookahead(Adam)": (lambda lr: opt.Lookahead(opt.Adam(lr)), (0.03, 0.1, 0.3)),
    "Adagrad": (lambda lr: opt.Adagrad(lr), (0.1, 0.3, 1.0)),
    "Adadelta": (lambda lr: opt.Adadelta(lr), (3.0, 10.0, 30.0)),
}

# %%
tuning, chosen, finals = {}, {}, {}
for name, (make, lrs) in CANDIDATES.items():
    tuning[name] = {lr: train(make(lr), seed=0) for lr in lrs}           # seed 0 chooses the rate ...
    chosen[name] = max(lrs, key=lambda lr: tuning[name][lr][1].epoch_val_metric[-1])
    finals[name] = [tuning[name][chosen[name]]] + [train(make(chosen[name]), seed) for seed in (1, 2)]

# %%
# NBVAL_CHECK_OUTPUT
print(f"{'optimizer':16s} {'val accuracy at the 3 rates (seed 0)':>38s} {'chosen':>7s} "
      f"{'test accuracy, 3 seeds':>23s}")
for name, (_, lrs) in CANDIDATES.items():
    val = "  ".join(f"{lr:g}: {tuning[name][lr][1].epoch_val_metric[-1]:.3f}" for lr in lrs)
    test = np.array([model.metric(digits.X_test, digits.y_test) for model, _ in finals[name]])
    print(f"{name:16s} {val:>38s} {chosen[name]:7g} {test.mean():14.3f} ± {test.std():.3f}")

# %%
fig, ax = plt.subplots(figsize=(9, 3.8))
for y, name in enumerate(CANDIDATES):
    test = np.array([model.metric(digits.X_test, digits.y_test) for model, _ in finals[name]])
    colour = style.color_of("Momentum" if name.startswith("SGD") else name.split("(")[0])
    ax.plot(test, [y] * 3, "o", color=colour, alpha=0.5)
    ax.errorbar(test.mean(), y, xerr=test.std(), fmt="D", color=colour, capsize=4, ms=7)
ax.set(yticks=range(len(CANDIDATES)), yticklabels=[f"{n} (lr {chosen[n]:g})" for n in CANDIDATES],
       xlabel="test accuracy (circles: seeds; diamond and bar: mean and std)",
       title="Digits, 10 epochs, each optimizer at its tuned learning rate")
ax.invert_yaxis()
plt.tight_layout()
plt.show()

# %% [markdown]
# **What this shows, honestly.** Once each optimizer has its own tuned learning rate, they all land within about
# 1.5 points of each other on test accuracy (5 of the 359 test images), a gap that a different seed, or a
# slightly different grid of rates, could reorder. On this small problem and budget, none of the newcomers beats
# a tuned Adam or SGD with momentum by a margin we can trust. What the
# experiment does show is that **the learning rates differ a lot**: Lion's best is three times smaller than
# Adam's, Adadelta's is 10,000 times its Keras default, Adagrad's is hundreds of times its default. Swapping one
# optimizer for another without retuning the rate is the mistake to avoid; the choice among them is second-order.
#
# The published benefits (AdamW's generalisation, RAdam's robustness at high rates, Lion's memory savings and
# results on large models, Lookahead's stability) show up at scales or in conditions our few-second runs do not
# reach, and sections 5 to 9 showed each mechanism in a setting where it matters.

# %% [markdown]
# ## 11. What comes next
#
# The article closes with wishes for future optimizers. Here is where research stands on each, in brief:
#
# - **Avoiding poor minima, and generalising**: the implicit bias of lesson 11 is now studied directly, and
#   methods such as sharpness-aware minimisation (SAM, Foret et al., 2021) explicitly look for wide, flat minima,
#   which tend to generalise better.
# - **Spending less energy and memory**: Lion keeps one slot instead of two; Adafactor (Shazeer and Stern, 2018)
#   stores the second moment of a weight matrix as one row and one column of averages; "8-bit" optimizers
#   (Dettmers et al., 2022) store the slots in 8 bits instead of 32. For models with billions of weights the
#   optimizer's state is a large share of the memory, so this is where savings come from.
# - **Stronger convergence guarantees**: AMSGrad (lesson 07) repaired a known gap in Adam's proof; schedule-free
#   methods (Defazio et al., 2024) replace the learning-rate schedule with an averaging scheme that has guarantees
#   and needs no stopping time fixed in advance. Keras 3 already ships `ScheduleFreeAdamW`.
# - **Optimizing with the architecture in mind**: LAMB (You et al., 2020) scales each layer's step by the size of
#   that layer's weights, for very large batches; Muon (Jordan et al., 2024) treats each weight *matrix* as a
#   whole and orthogonalises its momentum before stepping. Both are in Keras 3 (`Lamb`, `Muon`).
# - **Optimizers found by search**: Lion came out of a program search, and "learned optimizers" (for example
#   VeLO, Metz et al., 2022) are neural networks trained to produce updates.
#
# Whatever comes next will arrive as an update rule with slots and hyperparameters, and you now have the tools to
# judge it: write the rule from the paper, test it against reference numbers, find its learning rate, and
# compare it fairly, with several seeds and held-out data.

# %% [markdown]
# ## Recap
#
# - **Adagrad** divides by the root of the sum of all squared gradients: steps only shrink; rare features get
#   large steps. **Adadelta** uses moving averages and steps in the weight's own units; its Keras default
#   learning rate (0.001) makes it crawl.
# - **Nadam** puts Nesterov's look-ahead into Adam: a modest gain at larger rates. **Adamax** divides by a
#   decaying maximum of $\lvert g\rvert$.
# - **AdamW** decays the weights outside the adaptive step, so every weight decays by $(1-\eta\lambda)$ per step;
#   an L2 penalty inside Adam decays weights with large gradients far less. In Keras `weight_decay` is always
#   decoupled; in PyTorch, `Adam(weight_decay=...)` is L2.
# - **AdaBelief** divides by the spread of the gradient around its average: large steps on steady slopes.
#   **RAdam** scales Adam's step by $r_t$, an automatic warmup. **Lookahead** averages fast weights into slow
#   ones every $k$ steps: more stable, a bit slower. **Lion** steps by the sign of a momentum: one slot, a 3 to 10
#   times smaller learning rate, and a decaying schedule to settle.
# - Tuned fairly on a small network, all of them are within the seed-to-seed spread of each other; their
#   learning rates are not.
#
# ## Your turn
#
# Open the exercise [`../exercises/09_lion_adabelief.ipynb`](../exercises/09_lion_adabelief.ipynb): you will
# implement Lion and AdaBelief from their papers' algorithms, and the checks compare your code with the library on
# random inputs (watch the two places where AdaBelief adds $\epsilon$, and which value of $m$ each line of Lion
# uses).
#
# Then the capstone, [`../exercises/10_capstone_digits.ipynb`](../exercises/10_capstone_digits.ipynb): train a
# digit classifier with any optimizer and schedule of the course, choosing everything on validation data.
# That was the last lesson. Lessons 08, 10 and 11 have the tools you need.
