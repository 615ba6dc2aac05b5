"""Time a vectorised learning-rate sweep and one epoch of mini-batch training.

(a) 1,000 Adam runs of 200 steps on Rosenbrock, one learning rate each, in ONE
    vectorised call (``optimizers.sweep``), against the same runs done one by one in a
    Python loop; and 100 runs, the size a widget recomputes on a slider move.
(b) One epoch of mini-batch training (batch 32) of an MLP on the digits data.
(c) Batch, mini-batch and stochastic gradient descent on the same model and epochs:
    updates made and final loss.

Run:  python benchmarks/bench_sweep.py [--loop-runs N]
Writes benchmarks/results/sweep.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

import numpy as np

import optimizers as opt
from optimizers import data, landscapes, models

RESULTS = Path(__file__).parent / "results" / "sweep.md"
STEPS = 200


def seconds(work, repeats=3):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loop-runs", type=int, default=1000,
                        help="how many of the 1,000 runs to time one by one (scaled to 1,000)")
    args = parser.parse_args()
    rosenbrock = landscapes.rosenbrock
    rates = np.logspace(-4, 0, 1000)

    vectorised = seconds(lambda: opt.sweep(opt.Adam(), rates, rosenbrock, steps=STEPS))
    hundred = seconds(lambda: opt.sweep(opt.Adam(), rates[::10], rosenbrock, steps=STEPS), repeats=5)
    loop_rates = rates[:: max(1, 1000 // args.loop_runs)][: args.loop_runs]
    start = time.perf_counter()
    for lr in loop_rates:
        opt.run(opt.Adam(learning_rate=float(lr)), rosenbrock, steps=STEPS)
    loop = (time.perf_counter() - start) * 1000 / len(loop_rates)

    # The two give the same numbers, not just the same speed.
    check = opt.sweep(opt.Adam(), rates[:3], rosenbrock, steps=STEPS)
    for i, lr in enumerate(rates[:3]):
        single = opt.run(opt.Adam(learning_rate=float(lr)), rosenbrock, steps=STEPS)
        assert np.allclose(check.points[:, i], single.points, rtol=1e-12, atol=1e-15)

    split = data.digits(seed=0)
    mlp = models.MLP([64, 64, 10], activation="relu", seed=0)
    epoch = seconds(lambda: opt.fit(mlp.copy(), opt.Adam(learning_rate=1e-3), split.X_train, split.y_train,
                                    batch_size=32, epochs=1, seed=0, progress=False))

    regimes = []
    for label, batch_size in (("batch (None)", None), ("mini-batch (32)", 32), ("stochastic (1)", 1)):
        history = opt.fit(models.MLP([64, 32, 10], seed=0), opt.SGD(learning_rate=0.05), split.X_train,
                          split.y_train, batch_size=batch_size, epochs=5, seed=0, progress=False,
                          validation_data=(split.X_val, split.y_val))
        regimes.append((label, history.n_updates, history.epoch_train_loss[-1], history.epoch_val_metric[-1],
                        history.wall_time))

    lines = [
        "# Learning-rate sweeps and training speed",
        "",
        f"Written by `benchmarks/bench_sweep.py` on {platform.machine()}, {len(os.sched_getaffinity(0))} cores, "
        f"Python {platform.python_version()}, NumPy {np.__version__}; medians of repeated runs.",
        "",
        f"## (a) 1,000 Adam runs x {STEPS} steps on Rosenbrock, one learning rate each",
        "",
        "| how | time |",
        "|---|---:|",
        f"| one vectorised call, 1,000 runs (`opt.sweep`) | {vectorised * 1e3:.0f} ms |",
        f"| Python loop, one run at a time (timed on {len(loop_rates)} runs, per 1,000) | {loop:.1f} s |",
        f"| one vectorised call, 100 runs (what a widget recomputes) | {hundred * 1e3:.0f} ms |",
        "",
        f"**The vectorised sweep is {loop / vectorised:.0f}x faster than the loop**, and gives the same "
        "numbers (checked in the run).",
        "",
        "## (b) One epoch of mini-batch training on digits",
        "",
        f"MLP 64-64-10 (relu), Adam, batch 32, {len(split.y_train)} training images: "
        f"**{epoch * 1e3:.0f} ms per epoch** ({-(-len(split.y_train) // 32)} updates).",
        "",
        "## (c) Batch, mini-batch and stochastic gradient descent, same model, 5 epochs",
        "",
        "MLP 64-32-10, SGD(learning_rate=0.05), seed 0.",
        "",
        "| regime | updates | final train loss | validation accuracy | wall time |",
        "|---|---:|---:|---:|---:|",
    ]
    lines += [f"| {label} | {n:,} | {loss:.4f} | {acc:.3f} | {wall:.2f} s |" for label, n, loss, acc, wall in regimes]
    lines.append("")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
