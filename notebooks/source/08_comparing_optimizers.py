# %% [markdown]
# # Lesson 08: Comparing optimizers, on landscapes and on a real model
#
# "Adam converges faster, SGD generalises better": we turn such claims into measurements, and run them
# fairly, with a tuned learning rate for every optimizer, several seeds and held-out data.
#
# **You will be able to:**
#
# - set up a fair comparison: the same budget for everyone, each optimizer at its own tuned learning rate;
# - measure how fast gradient descent, momentum, RMSprop and Adam leave a saddle point and a plateau, and
#   explain each result from the update rule;
# - tell "trains faster" (training loss) from "generalises better" (accuracy on data never trained on), and
#   measure both;
# - report a result as a mean and a spread over seeds, and say what a small experiment can and cannot show.
#
# **Article sections:** 9, 12 · **Study time:** about 30 minutes

# %%
import matplotlib.pyplot as plt
import numpy as np
from threadpoolctl import threadpool_limits

import optimizers as opt
from optimizers import landscapes
from optimizers.models import MLP
from optimizers.training import fit
from optimizers.widgets import style

# Speed only: our matrices are tiny, and for them one BLAS thread is faster than several.
threadpool_limits(1);

# %% [markdown]
# ## 1. The claims
#
# The usual comparison of the three best-known optimizers reads like this:
#
# | optimizer | reputation |
# |---|---|
# | SGD | stable; generalises well; slow unless momentum is added |
# | RMSprop | adapts the step of every weight; copes with messy, noisy gradients; popular for recurrent networks |
# | Adam | momentum plus adaptive steps; converges fast; works on many tasks; a good default |
#
# and the choice of optimizer is said to affect how fast training goes, how well the model does on new
# data, how stable training is, the final accuracy, and whether training gets past difficult regions. A poor
# choice shows up as slow learning, results that vary a lot from run to run, training that never converges,
# or a model that overfits or underfits.
#
# Each of these is a claim we can test. The catch is that a comparison is only as fair as its setup: give
# one optimizer a good learning rate and another a poor one, and you measure the learning rates, not the
# optimizers. So in this lesson every optimizer gets **its own learning rate, tuned the same way**, and the
# same budget of steps.

# %% [markdown]
# ## 2. Try it: the optimizer race
#
# The widget runs several optimizers on one landscape, from the same start, each with a learning rate
# picked for that landscape in advance by a grid search (of the rates that cover 99 % of the way down to the
# minimum within 200 steps, the middle one). Press play, or drag the step slider, and watch the paths. Then:
#
# - on `rosenbrock`, see who finds the curved valley's floor and who follows it to $(1, 1)$;
# - on `plateau`, see who gets moving first, and who overshoots the well;
# - on `saddle`, drag `y0` to exactly 0 (section 3 explains what you see);
# - on `rastrigin`, see that nobody reaches the global minimum at $(0, 0)$ from the default start;
# - add more optimizers to the list (ctrl- or shift-click); lesson 12 introduces them.

# %%
# NBVAL_IGNORE_OUTPUT
from optimizers import widgets

app = widgets.optimizer_race()
app

# %% [markdown]
# For readers without a running kernel: the loss each optimizer has reached after 200 steps, read off the
# app on two landscapes.

# %%
# NBVAL_CHECK_OUTPUT
for name in ("rosenbrock", "ravine"):
    app.controls["landscape"].value = name
    app.controls["step"].value = 200
    print(f"{name:10s}", app.message.value.replace("<i>", "").replace("</i>", ""))

# %% [markdown]
# A different optimizer looks best on each landscape: momentum on Rosenbrock, Adam on the ravine (where, at
# the fixed rate 0.05 of lesson 07, it was the slowest of three). The learning rates in the legend differ by a
# factor of up to 300 between optimizers, and the rankings depend on them. The next section does the tuning
# itself, so that you can see how it is done.

# %% [markdown]
# ## 3. A fair race off a saddle and across a plateau
#
# The article names saddle points and flat regions among the places where training can stall (lesson 09
# studies them in depth). Here we time four optimizers on the two landscapes from lesson 02:
#
# - **saddle**: $x^2 - y^2$, starting at $(-1.5,\ 0.001)$, almost exactly on the ridge that leads into the
#   saddle point. We count the steps until the loss falls below $-1$: by then the run has rolled off.
# - **plateau**: a nearly flat table (loss close to 1) around a narrow well, starting 2.6 units from the well.
#   We count the steps until the loss falls below $0.5$ (it has left the plateau) and until it falls below
#   $10^{-4}$ *and stays there* (it has settled at the bottom of the well).
#
# **How we pick the learning rates.** A learning rate is chosen for a whole training run, not for one
# obstacle, and what limits it is the end of the run: too large, and the optimizer cannot settle at the
# bottom. So we tune each optimizer once, on the whole job on the plateau (leave it *and* settle), trying 15
# rates from 0.001 to about 3 (four per decade) with 1,000 steps each, and keep the fastest. The bottom of the
# well curves like $x^2 + y^2$, the same curvature as the saddle's stable direction ($x^2$), so the same rate
# is a sensible choice on the saddle too.

# %%
RIVALS = {"GD": lambda lr: opt.SGD(lr), "Momentum": lambda lr: opt.SGD(lr, momentum=0.9),
          "RMSprop": lambda lr: opt.RMSprop(lr), "Adam": lambda lr: opt.Adam(lr)}
rates = np.logspace(-3, 0.5, 15)   # 0.001 ... 3.2, four per decade

def steps_to_settle(run, level):
    """Per run: the step from which the loss stays <= level until the end (-1 if it is above at the end)."""
    above = run.losses > level                                   # (steps + 1, number of runs)
    last_above = above.shape[0] - 1 - np.argmax(above[::-1], axis=0)
    return np.where(above[-1], -1, last_above + 1)

settle = {name: steps_to_settle(opt.sweep(make(0.01), rates, landscapes.plateau, steps=1000), 1e-4)
          for name, make in RIVALS.items()}   # one vectorised sweep of 15 runs per optimizer
tuned = {name: rates[np.argmin(np.where(s > 0, s, np.inf))] for name, s in settle.items()}

# %%
fig, ax = plt.subplots(figsize=(9, 3.6))
for name, s in settle.items():
    ok = s > 0
    ax.plot(rates[ok], s[ok], "o-", color=style.color_of(name), label=name)
    ax.plot(tuned[name], s[rates == tuned[name]], "*", ms=15, color=style.color_of(name), mec="k")
ax.set(xscale="log", yscale="log", xlabel="learning rate", ylabel="steps to settle (loss < 1e-4 for good)",
       title="Plateau: steps to reach the bottom and stay, per learning rate (star = tuned)")
ax.legend(title="missing point:\nnot settled in\n1,000 steps", fontsize=8, title_fontsize=8,
          loc="upper left", bbox_to_anchor=(1.01, 1))
plt.tight_layout()
plt.show()

# %% [markdown]
# Before reading off the winners, look at the *widths* of the curves: the range of learning rates with which
# each optimizer finishes the job at all. That width is what "needs little tuning" means. Adam and momentum
# work over more than two decades of learning rates, plain gradient descent over one (about 0.06 to 0.6).
# RMSprop's range is narrow and far down: without momentum it cannot settle with a large rate, because near
# the bottom each of its steps is still about `lr` long, so it jitters around the minimum instead of reaching it.
#
# Now the race itself, every optimizer at its tuned rate:

# %%
# NBVAL_CHECK_OUTPUT
print(f"{'optimizer':10s} {'tuned lr':>8s} {'saddle: leave':>14s} {'plateau: leave':>15s} {'plateau: settle':>16s}")
for name, make in RIVALS.items():
    on_saddle = opt.run(make(tuned[name]), landscapes.saddle, steps=500)
    on_plateau = opt.run(make(tuned[name]), landscapes.plateau, steps=500)
    print(f"{name:10s} {tuned[name]:8.3g} {on_saddle.steps_to_reach(-1.0):14d} "
          f"{on_plateau.steps_to_reach(0.5):15d} {int(steps_to_settle(on_plateau, 1e-4)):16d}")

# %% [markdown]
# What the numbers say, and why:
#
# - **Leaving the plateau: Adam is fastest, gradient descent crawls.** The slope there is about 0.006, and
#   gradient descent's step is the learning rate *times the slope*. Adam's steps are about `lr` long whatever
#   the slope (lesson 07), and momentum multiplies a small but steady slope by up to $1/(1-0.9) = 10$ as its
#   velocity builds.
# - **Settling in the well: gradient descent wins.** Its tuned rate, 0.56, is close to 0.5, and at the bottom
#   of the well, where the loss is close to $x^2 + y^2$, a gradient step of 0.5 lands almost exactly on the
#   minimum ($w - 0.5 \cdot 2w = 0$). Momentum and Adam arrive with speed, overshoot and circle the minimum for
#   about 80 more steps. Leaving fast and finishing fast are different skills. And a quadratic with a single
#   curvature is gradient descent's best case: real losses have steep and flat directions at once (the ravine
#   of lessons 05 to 07), and no single rate then fits them all.
# - **The saddle is not the trap it is made out to be, for a tuned gradient descent.** Near the saddle point
#   the small offset $y$ grows by a factor $1 + 2\,\mathrm{lr}$ each step (the gradient in $y$ is $-2y$), so
#   $y$ grows *exponentially*: at lr = 0.56 it more than doubles every step, and $0.001 \to 1$ takes about 10 steps.
#   Momentum and Adam are only a little faster. A saddle stalls an optimizer for long only when the offset is
#   tiny and the learning rate small.
# - **RMSprop loses everywhere here, because of the rate it needs to settle.** At 0.01 all its steps are about
#   0.01 long. This is a weakness of plain RMSprop near a minimum, not of adaptive steps as such: Adam's first
#   moment averages the jitter away. (Keras's `RMSprop(momentum=...)` is another remedy.)
#
# One more experiment shows where the real danger of a saddle lies. Start *exactly* on the ridge, $y = 0$:

# %%
# NBVAL_CHECK_OUTPUT
for name, make in RIVALS.items():
    on_ridge = opt.run(make(tuned[name]), landscapes.saddle, start=[-1.5, 0.0], steps=500)
    x, y = on_ridge.final_points
    print(f"{name:9s} after 500 steps: distance to the saddle point {np.hypot(x, y):.3f}, y = {y:g}")

# %% [markdown]
# None of them escapes. On the ridge the gradient has no $y$ component at all, so no deterministic update
# rule, adaptive or not, can create one: $y$ stays exactly 0, and every optimizer slides into the saddle point
# and stays there (RMSprop jitters around it). What gets real networks off such ridges is noise, the
# mini-batch gradient's random error (lesson 04); and in many dimensions there are many directions to fall
# off along. Lesson 09 shows noise doing exactly that.

# %% [markdown]
# ## 4. Beyond the article: "Adam converges faster, SGD generalises better"
#
# Landscapes have two weights. Now a real model: the small network from lesson 04 (an MLP with 64 inputs,
# 32 hidden units and 10 outputs) reading scikit-learn's 8x8 handwritten digits. The data comes in three parts,
# each with its job:
#
# - **training** rows (1,079): the only ones the optimizer sees;
# - **validation** rows (359): used to choose each optimizer's learning rate;
# - **test** rows (359): looked at once, at the end, for the chosen settings only. Had we picked learning
#   rates by their test accuracy, the test accuracy would flatter us.
#
# **The protocol.** Three optimizers: SGD with momentum 0.9 (what "SGD" means in the generalisation debate),
# RMSprop and Adam. Each gets three learning rates, a factor of 3 apart, centred on its usual range. Every
# setting is trained with **three seeds** (the seed sets the initial weights and the order of the mini-batches),
# for 20 epochs with mini-batches of 64 rows. For each optimizer we keep the rate with the best mean validation
# accuracy, then report test accuracy as mean $\pm$ standard deviation over the seeds. That is
# $3 \times 3 \times 3 = 27$ training runs, a few seconds in total.

# %%
digits = opt.data.digits(seed=0)
CANDIDATES = {  # name: (how to build it from a learning rate, the rates tried)
    "SGD + momentum": (lambda lr: opt.SGD(lr, momentum=0.9), (0.03, 0.1, 0.3)),
    "RMSprop": (lambda lr: opt.RMSprop(lr), (0.003, 0.01, 0.03)),
    "Adam": (lambda lr: opt.Adam(lr), (0.003, 0.01, 0.03)),
}
SEEDS, EPOCHS, BATCH = (0, 1, 2), 20, 64
COLORS = {"SGD + momentum": style.color_of("Momentum"), "RMSprop": style.color_of("RMSprop"),
          "Adam": style.color_of("Adam"), "Adam, default lr": style.GREY}

# %%
runs = {}  # (name, lr, seed) -> (trained model, History)
for name, (make, lrs) in CANDIDATES.items():
    for lr in lrs:
        for seed in SEEDS:
            model = MLP([64, 32, 10], seed=seed)
            history = fit(model, make(lr), digits.X_train, digits.y_train, batch_size=BATCH,
                          epochs=EPOCHS, seed=seed, progress=False)
            runs[name, lr, seed] = (model, history)

# %% [markdown]
# First the tuning, on the validation rows only.

# %%
# NBVAL_CHECK_OUTPUT
def val_accuracy(name, lr):
    """Validation accuracy of the three seeds' models trained with (name, lr)."""
    return np.array([runs[name, lr, s][0].metric(digits.X_val, digits.y_val) for s in SEEDS])

chosen = {name: max(lrs, key=lambda lr: val_accuracy(name, lr).mean()) for name, (_, lrs) in CANDIDATES.items()}
for name, (_, lrs) in CANDIDATES.items():
    cells = [f"lr {lr:<5g}: {val_accuracy(name, lr).mean():.3f}{' *' if lr == chosen[name] else '  '}" for lr in lrs]
    print(f"{name:15s} " + "   ".join(cells))
print("(mean validation accuracy over 3 seeds; * = chosen)")

# %%
fig, ax = plt.subplots(figsize=(8, 3.4))
for name, (_, lrs) in CANDIDATES.items():
    acc = np.array([val_accuracy(name, lr) for lr in lrs])
    ax.errorbar(lrs, acc.mean(axis=1), yerr=acc.std(axis=1), fmt="o-", capsize=3, color=COLORS[name], label=name)
ax.set(xscale="log", xlabel="learning rate", ylabel="validation accuracy",
       title="Tuning: validation accuracy per learning rate (mean and std over 3 seeds)")
ax.legend(loc="lower left")
plt.show()

# %% [markdown]
# Each optimizer's best rate lies inside its grid, not at an edge, so the grids were wide enough. Around the
# best rate the curves are fairly flat: a factor of 3 either way costs at most about 1.5 points of validation
# accuracy, often less. Note where Adam's best rate is: 10 times Keras's default of 0.001. Is the default good enough, as "needs little
# tuning" suggests? For reference we also train Adam *untuned*, at `learning_rate=0.001`, with the same seeds.

# %%
for seed in SEEDS:   # the untuned reference: Adam at Keras's default learning rate
    model = MLP([64, 32, 10], seed=seed)
    history = fit(model, opt.Adam(), digits.X_train, digits.y_train, batch_size=BATCH,
                  epochs=EPOCHS, seed=seed, progress=False)
    runs["Adam, default lr", 0.001, seed] = (model, history)
chosen["Adam, default lr"] = 0.001

# %% [markdown]
# Now the test rows, for the chosen settings only, next to the training loss they reached:

# %%
# NBVAL_CHECK_OUTPUT
def summary(name):
    """Final training loss and test accuracy over the seeds, at the chosen rate."""
    models_histories = [runs[name, chosen[name], s] for s in SEEDS]
    train_loss = np.array([h.epoch_train_loss[-1] for _, h in models_histories])
    test_acc = np.array([m.metric(digits.X_test, digits.y_test) for m, _ in models_histories])
    return train_loss, test_acc

print(f"{'optimizer':17s} {'lr':>5s} {'final train loss':>18s} {'test accuracy':>16s}")
for name in chosen:
    train_loss, test_acc = summary(name)
    print(f"{name:17s} {chosen[name]:5g} {train_loss.mean():9.4f} ± {train_loss.std():.4f} "
          f"{test_acc.mean():9.3f} ± {test_acc.std():.3f}")

# %%
fig, ax = plt.subplots(figsize=(8, 3.6))
epochs = np.arange(1, EPOCHS + 1)
for name in chosen:
    curves = np.array([runs[name, chosen[name], s][1].epoch_train_loss for s in SEEDS])
    ax.fill_between(epochs, curves.min(axis=0), curves.max(axis=0), color=COLORS[name], alpha=0.2)
    ax.plot(epochs, curves.mean(axis=0), color=COLORS[name], lw=2, label=f"{name} (lr={chosen[name]:g})",
            ls="--" if "default" in name else "-")
ax.set(yscale="log", xlabel="epoch", ylabel="training loss (all training rows)", xticks=epochs[1::2],
       title="Training loss (line: mean of 3 seeds, band: min to max)")
ax.legend()
plt.show()

# %% [markdown]
# **What this shows, honestly.**
#
# - **"Adam converges faster"**: not here. With every optimizer tuned, the three training-loss curves stay close
#   together; SGD with momentum is slightly ahead for most of the run and Adam ends slightly behind. Adam's
#   reputation for speed comes largely from working over a wide range of learning rates (section 3), not from
#   beating a tuned SGD with momentum.
# - **"Adam needs little tuning"**: only partly. Untuned, at its default rate, Adam is far behind after 20 epochs
#   (the dashed line): its steps of about 0.001 are too short for this budget, and the model *underfits*
#   because of an optimizer setting, not because it is too small. The defaults of $\beta_1$, $\beta_2$ and
#   $\epsilon$ were fine; the learning rate still needed tuning.
# - **"SGD generalises better"**: not visible here. The tuned test accuracies differ by less than one percentage
#   point, less than their own spread over seeds. With 359 test images one image is 0.28 points, and three seeds
#   give only a rough idea of the spread: a gap this small could flip with other seeds.
# - **What the experiment does show**: the learning rate matters more than the choice among these three
#   optimizers, and a single run can mislead, since the seed alone moves the test accuracy by about a point.
#
# The generalisation claim comes from larger studies (for example Wilson et al., 2017, "The marginal value of
# adaptive gradient methods in machine learning"), including image classifiers trained for hundreds of epochs,
# where well-tuned SGD with momentum and a learning-rate schedule often ended with better test accuracy than
# Adam. Later work found that much of that gap closes with decoupled weight decay (AdamW, lesson 12) and with
# equally careful tuning of every optimizer's hyperparameters (for example Choi et al., 2019, "On empirical
# comparisons of optimizers for deep learning"). A small network on 8x8 digits cannot settle that debate, and
# it does not need to: the habit to take away is the protocol itself.

# %% [markdown]
# ## Recap
#
# - A fair comparison tunes each optimizer's learning rate the same way, on data it is not judged on, gives
#   everyone the same budget, and repeats runs over seeds.
# - On the plateau, Adam's steps of about `lr` beat gradient descent's steps proportional to a tiny slope;
#   momentum is in between. A tuned gradient descent leaves a saddle quickly, since the offset from the ridge
#   grows exponentially; exactly on the ridge, no deterministic optimizer leaves at all.
# - Plain RMSprop needs a small learning rate to settle at a minimum, which slows it everywhere else.
# - The width of the range of working learning rates is what "needs little tuning" means, and Adam's is wide.
# - On digits, tuned SGD with momentum, RMSprop and Adam reach the same test accuracy within the seed-to-seed
#   spread, while Adam at its default learning rate falls far behind: the learning rate mattered more than the
#   optimizer.
#
# ## Your turn
#
# This lesson's exercise is the capstone,
# [`../exercises/10_capstone_digits.ipynb`](../exercises/10_capstone_digits.ipynb): train a digit classifier, with
# the optimizer and schedule you choose, to at least 93 % accuracy on test images you never see. The protocol of
# section 4 is exactly what it needs: choose settings on the validation rows, never on the test rows. You may
# want to do it after lesson 10, which adds learning-rate schedules to your toolbox.
#
# **Next:** [Lesson 09: What makes optimization hard](09_what_makes_optimization_hard.ipynb): local minima,
# saddles, vanishing and exploding gradients, flat regions, noise, and gradient clipping.
