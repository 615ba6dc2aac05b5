"""Time every interactive figure's update: a control change, recompute and Agg render.

For each app builder found in :mod:`optimizers.widgets` (the ``APPS`` dict when it
exists, otherwise the public builders of ``landscape_demos`` and ``training_demos``),
the benchmark builds the app with its defaults, then changes each visible control up
to ``--changes`` times (cycling through valid values: the options of a dropdown or
selection slider, evenly spaced slider positions, checkbox on/off) and times the
assignment ``control.value = v``, which runs ``app.refresh()`` (update + render to
PNG) through the control's observer, exactly as a slider move in a notebook does.
Other controls stay at their defaults.

It also times, per app, ``update()`` alone and ``render()`` alone, and a baseline:
the PNG of an empty figure of the default widget size. The baseline says how fast
this machine is right now: compare apps against it when the machine is shared.

Run:  python benchmarks/bench_widgets.py [--changes 50] [--budget 100] [--apps a,b]
Writes benchmarks/results/widgets.md.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import inspect
import io
import os
import platform
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import ipywidgets  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from optimizers.widgets import style  # noqa: E402
from optimizers.widgets._app import App  # noqa: E402

RESULTS = Path(__file__).parent / "results" / "widgets.md"
GOAL_MS = 50.0
DEMO_MODULES = ("landscape_demos", "training_demos")


# --------------------------------------------------------------------------- discovery


def discover_builders():
    """``{name: builder}`` of every public app builder that exists right now."""
    widgets_package = importlib.import_module("optimizers.widgets")
    apps = getattr(widgets_package, "APPS", None)
    if isinstance(apps, dict) and apps:
        return dict(apps)
    builders = {}
    for module_name in DEMO_MODULES:
        try:
            module = importlib.import_module(f"optimizers.widgets.{module_name}")
        except ImportError as error:
            print(f"skipping optimizers.widgets.{module_name}: {error}")
            continue
        for name in getattr(module, "__all__", []):
            function = getattr(module, name, None)
            if not inspect.isfunction(function):
                continue
            # An app builder can be called with no arguments (its defaults are the demo).
            required = [p for p in inspect.signature(function).parameters.values()
                        if p.default is inspect.Parameter.empty
                        and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
            if not required:
                builders[name] = function
    return builders


# --------------------------------------------------------------------------- control values


def _option_values(control):
    return [option[1] if isinstance(option, tuple) and len(option) == 2 else option
            for option in control.options]


def values_to_try(control, n):
    """Up to ``n`` valid values for ``control``, none equal to the current one in a row.

    Returns None for a control whose valid values cannot be guessed (free text).
    """
    current = control.value
    if isinstance(control, (ipywidgets.Dropdown, ipywidgets.SelectionSlider, ipywidgets.ToggleButtons,
                            ipywidgets.RadioButtons, ipywidgets.Select)):
        options = _option_values(control)
        if len(options) < 2:
            return None
        start = options.index(current) + 1 if current in options else 0
        return [options[(start + k) % len(options)] for k in range(n)]
    if isinstance(control, (ipywidgets.Checkbox, ipywidgets.ToggleButton)):
        return [(not current) if k % 2 == 0 else bool(current) for k in range(n)]
    if isinstance(control, ipywidgets.FloatLogSlider):
        exponents = np.linspace(control.min, control.max, n)
        return [float(control.base ** e) for e in exponents]
    if isinstance(control, (ipywidgets.IntSlider, ipywidgets.FloatSlider,
                            ipywidgets.BoundedIntText, ipywidgets.BoundedFloatText)):
        positions = np.linspace(control.min, control.max, n)
        if isinstance(control, (ipywidgets.IntSlider, ipywidgets.BoundedIntText)):
            return [int(round(p)) for p in positions]
        step = getattr(control, "step", None) or 0
        return [float(np.round(p / step) * step) if step else float(p) for p in positions]
    if isinstance(control, (ipywidgets.FloatText, ipywidgets.IntText)):
        base = current if current else (1 if isinstance(control, ipywidgets.IntText) else 0.1)
        factors = [0.5, 1.0, 2.0]
        kind = int if isinstance(control, ipywidgets.IntText) else float
        return [kind(base * factors[k % 3]) for k in range(n)]
    return None


def visible(control):
    layout = getattr(control, "layout", None)
    return getattr(layout, "display", None) != "none"


# --------------------------------------------------------------------------- timing


def median_ms(function, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return 1e3 * float(np.median(times))


def baseline_ms(repeats=5):
    """PNG of an empty widget-sized figure with one empty axes: this machine's floor."""
    figure = Figure(figsize=style.FIGSIZE, dpi=style.DPI)
    figure.add_subplot()

    def png():
        figure.savefig(io.BytesIO(), format="png", pil_kwargs={"compress_level": 1})

    png()
    return median_ms(png, repeats)


def python_loop_ms():
    """A fixed pure-Python workload, another gauge of the machine's current speed."""
    def loop():
        total = 0
        for k in range(200_000):
            total += k
        return total
    return median_ms(loop, 5)


def time_control(app, name, control, changes, deadline):
    """Timings (ms) of up to ``changes`` value changes of one control."""
    values = values_to_try(control, changes)
    if values is None:
        return None
    default = control.value
    times = []
    for value in values:
        if time.perf_counter() > deadline and len(times) >= 3:
            break
        if value == control.value:
            continue  # no change event, nothing to time
        start = time.perf_counter()
        control.value = value  # the observer runs app.refresh(): update + render
        times.append(1e3 * (time.perf_counter() - start))
    if control.value != default:
        control.value = default
    return times


def cpu_model():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def load_average():
    try:
        return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    except OSError:
        return "n/a"


# --------------------------------------------------------------------------- main


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=50, help="value changes per control")
    parser.add_argument("--budget", type=float, default=60.0,
                        help="seconds for the whole run; controls get fewer changes if needed")
    parser.add_argument("--apps", default="", help="comma-separated builder names (default: all)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    run_start = time.perf_counter()
    load_before = load_average()

    builders = discover_builders()
    if args.apps:
        wanted = [a.strip() for a in args.apps.split(",") if a.strip()]
        unknown = sorted(set(wanted) - set(builders))
        if unknown:
            parser.error(f"--apps: unknown {unknown}; found {sorted(builders)}")
        builders = {name: builders[name] for name in wanted}

    loop_ms = python_loop_ms()
    built = {}
    for name, builder in builders.items():
        start = time.perf_counter()
        app = builder()
        if not isinstance(app, App):
            print(f"skipping {name}: returned {type(app).__name__}, not an App")
            continue
        built[name] = (app, time.perf_counter() - start)
        print(f"built {name} in {built[name][1]:.2f} s")

    n_jobs = sum(visible(c) for app, _ in built.values() for c in app.controls.values())
    done = 0
    reserve = 3.0  # seconds per app for the floor and the update/render timings; re-measured below
    rows, summary, floors = [], [], []
    for name, (app, build_s) in built.items():
        # The machine's speed is measured next to each app, so a busy spell of a shared
        # machine shows up in the floor as well as in the app's numbers.
        start = time.perf_counter()
        floor_ms = baseline_ms()
        extras_s = time.perf_counter() - start
        floors.append(floor_ms)
        times_of_app = []
        for control_name, control in app.controls.items():
            if not visible(control):
                continue
            # Share what is left of the budget equally among the controls still to run.
            left = args.budget - (time.perf_counter() - run_start) - reserve * (len(built) - len(summary))
            deadline = time.perf_counter() + max(left / max(n_jobs - done, 1), 1.0)
            done += 1
            times = time_control(app, control_name, control, args.changes, deadline)
            if not times:
                rows.append((name, control_name, 0, None, None, None))
                continue
            times_of_app.extend(times)
            rows.append((name, control_name, len(times), float(np.median(times)),
                         float(np.percentile(times, 95)), max(times)))
            print(f"{name:>20} {control_name:<22} n={len(times):3d} median {rows[-1][3]:7.1f} ms "
                  f"p95 {rows[-1][4]:7.1f} ms")
        start = time.perf_counter()
        update_ms = median_ms(app.update, 3)
        render_ms = median_ms(app.render, 3)  # after update(): the blitted render of a change
        full_ms = median_ms(lambda: (app.invalidate(), app.render()), 2)  # everything redrawn
        reserve = max(reserve, extras_s + time.perf_counter() - start)
        p95 = float(np.percentile(times_of_app, 95)) if times_of_app else float("nan")
        median = float(np.median(times_of_app)) if times_of_app else float("nan")
        summary.append((name, build_s, len(times_of_app), median, p95, floor_ms, update_ms, render_ms,
                        full_ms))

    total_s = time.perf_counter() - run_start
    lines = [
        "# Widget update times",
        "",
        "Each row: a control of an app changed repeatedly (other controls at their defaults); the "
        "time of `control.value = v`, which runs `app.refresh()` (recompute, move artists, Agg "
        f"render to PNG). Goal: 95th percentile < {GOAL_MS:.0f} ms per app. "
        "Written by `benchmarks/bench_widgets.py`.",
        "",
        f"Run {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}, {total_s:.0f} s in all. "
        f"Machine: {cpu_model()}, {platform.machine()}, "
        f"{len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()} cores "
        f"available, load average {load_before} at the start and {load_average()} at the end; "
        f"Python {platform.python_version()}, NumPy {np.__version__}, matplotlib {matplotlib.__version__}, "
        f"ipywidgets {ipywidgets.__version__}.",
        "",
        f"Speed of the machine during the run: a 200,000-step Python loop takes {loop_ms:.1f} ms; an "
        f"empty {style.FIGSIZE[0]:g}x{style.FIGSIZE[1]:g} in figure at {style.DPI} dpi takes "
        f"{min(floors):.1f} to {max(floors):.1f} ms to render to PNG (column *empty figure*, measured "
        "just before each app). On a shared or busy machine every number grows with these; compare "
        "apps with each other and with the empty figure.",
        "",
        "## Per app",
        "",
        "| app | build (s) | changes | median (ms) | p95 (ms) | empty figure (ms) | p95 / empty figure "
        "| update only (ms) | render only (ms) | full redraw (ms) | p95 < 50 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for name, build_s, n, median, p95, floor_ms, update_ms, render_ms, full_ms in summary:
        ok = "yes" if p95 < GOAL_MS else "no"
        lines.append(f"| {name} | {build_s:.2f} | {n} | {median:.1f} | {p95:.1f} | {floor_ms:.1f} "
                     f"| {p95 / floor_ms:.1f}x | {update_ms:.1f} | {render_ms:.1f} | {full_ms:.1f} | {ok} |")
    lines += [
        "",
        "*render only*: the render after a change when the axes did not move (only the changing "
        "artists are redrawn over a cached background); *full redraw*: everything drawn again, "
        "as after a change of axis limits.",
    ]
    lines += [
        "",
        "## Per control",
        "",
        "| app | control | changes | median (ms) | p95 (ms) | max (ms) |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for name, control_name, n, median, p95, worst in rows:
        if median is None:
            lines.append(f"| {name} | {control_name} | skipped (no values to cycle automatically: free text, multi-select, play button) | | | |")
        else:
            lines.append(f"| {name} | {control_name} | {n} | {median:.1f} | {p95:.1f} | {worst:.1f} |")
    lines += [
        "",
        f"A control gets fewer than {args.changes} changes only when the run would otherwise exceed "
        f"its {args.budget:.0f} s budget (`--budget`). Controls hidden by the app (for example the "
        "parameters of schedules not currently chosen) are not changed.",
        "",
    ]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(lines))
    print(f"wrote {args.output} in {total_s:.0f} s")


if __name__ == "__main__":
    main()
