"""Time one update of every optimizer on 10 million float32 parameters.

Next to them, in the same run: a straightforward NumPy Adam that allocates a new
array for every intermediate result (the way most tutorials write it), and, where
PyTorch is installed, ``torch.optim.Adam(fused=True)``.

For each optimizer it also records the largest temporary allocation made during one
update (with ``tracemalloc``, which NumPy reports its buffers to): the blocked updates
of this library should stay at a few blocks, far below the 40 MB of one full array.

Run:  python benchmarks/bench_step.py [--size N] [--repeats R]
Writes benchmarks/results/step.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
import tracemalloc
from pathlib import Path

import numpy as np

import optimizers as opt
import optimizers.base as base

RESULTS = Path(__file__).parent / "results" / "step.md"


def naive_adam_step(p, g, m, v, t, lr=1e-3, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    """Adam as tutorials write it: every line allocates full-size arrays."""
    m = beta_1 * m + (1 - beta_1) * g
    v = beta_2 * v + (1 - beta_2) * g * g
    m_hat = m / (1 - beta_1**t)
    v_hat = v / (1 - beta_2**t)
    p = p - lr * m_hat / (np.sqrt(v_hat) + epsilon)
    return p, m, v


def median_ms(step, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def peak_temporary_mb(step):
    tracemalloc.start()
    step()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def make_optimizers():
    made = {name: cls() for name, cls in opt.ALL.items() if name != "Lookahead"}
    made["Lookahead(Adam)"] = opt.Lookahead(opt.Adam())
    made["SGD(momentum=0.9)"] = opt.SGD(momentum=0.9)
    return made


def torch_fused_adam(p_np, g_np, repeats):
    try:
        import torch
    except ImportError:
        return None, None
    torch.set_num_threads(len(os.sched_getaffinity(0)))
    p = torch.nn.Parameter(torch.from_numpy(p_np.copy()))
    p.grad = torch.from_numpy(g_np.copy())
    adam = torch.optim.Adam([p], lr=1e-3, fused=True)
    adam.step()
    return median_ms(adam.step, repeats), torch.__version__


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--threads", type=int, default=base.NUM_THREADS,
                        help="threads for large arrays (default: the library's choice for this machine)")
    args = parser.parse_args()
    base.NUM_THREADS = args.threads
    n, repeats = args.size, args.repeats

    rng = np.random.default_rng(0)
    params = rng.standard_normal(n, dtype=np.float32)
    grads = rng.standard_normal(n, dtype=np.float32)

    # The straightforward version, measured in the same run.
    state = {"p": params.copy(), "m": np.zeros_like(params), "v": np.zeros_like(params)}

    def naive():
        state["p"], state["m"], state["v"] = naive_adam_step(state["p"], grads, state["m"], state["v"], 1)

    naive()
    naive_peak = peak_temporary_mb(naive)

    # Adam and the straightforward version are timed in alternation, so a slow patch of
    # the machine (shared virtual CPUs) hits both and their ratio stays fair.
    adam, adam_params = opt.Adam(), params.copy()
    adam.apply(grads, adam_params)
    naive_times, adam_times = [], []
    for _ in range(repeats):
        naive_times.append(median_ms(naive, 1))
        adam_times.append(median_ms(lambda: adam.apply(grads, adam_params), 1))
    naive_ms, alternating_adam_ms = statistics.median(naive_times), statistics.median(adam_times)

    rows = []
    for name, optimizer in make_optimizers().items():
        p = params.copy()
        optimizer.apply(grads, p)  # creates the slots, outside the timing
        ms = alternating_adam_ms if name == "Adam" else median_ms(lambda: optimizer.apply(grads, p), repeats)
        peak = peak_temporary_mb(lambda: optimizer.apply(grads, p))
        rows.append((name, ms, peak))

    torch_ms, torch_version = torch_fused_adam(params, grads, repeats)
    adam_ms = dict((r[0], r[1]) for r in rows)["Adam"]

    lines = [
        "# One optimizer update on 10 million float32 parameters" if n == 10_000_000
        else f"# One optimizer update on {n:,} float32 parameters",
        "",
        f"Median of {repeats} updates after a warm-up update (Adam and the straightforward version "
        "timed in alternation); peak temporary = largest extra memory allocated during one update "
        "(tracemalloc). Written by `benchmarks/bench_step.py`.",
        "",
        f"Machine: {platform.machine()}, {len(os.sched_getaffinity(0))} cores, Python "
        f"{platform.python_version()}, NumPy {np.__version__}; blocks of {base.BLOCK_BYTES // 1024} KiB, "
        f"{base.NUM_THREADS} thread{'s' if base.NUM_THREADS > 1 else ''}.",
        "",
        "| optimizer | ms per update | peak temporary (MB) |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {ms:.1f} | {peak:.2f} |" for name, ms, peak in rows]
    lines += [
        f"| straightforward NumPy Adam (allocating) | {naive_ms:.1f} | {naive_peak:.1f} |",
    ]
    if torch_ms is not None:
        lines.append(f"| torch.optim.Adam(fused=True), torch {torch_version} | {torch_ms:.1f} | - |")
    lines += [
        "",
        f"**Adam: {naive_ms / adam_ms:.1f}x faster than the straightforward NumPy version**"
        + (f", {adam_ms / torch_ms:.2f}x the time of PyTorch's fused Adam." if torch_ms else
           " (PyTorch not installed, so no fused-Adam comparison in this run)."),
        "",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
