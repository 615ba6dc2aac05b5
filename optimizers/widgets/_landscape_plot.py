"""Drawing helpers shared by the landscape widgets.

A landscape picture has a static part, computed once per landscape and cached
(pale shading, contour lines, the known minima and saddle points), and moving parts
(the paths of the optimizers, a start marker). :class:`LandscapeView` draws the static
part and can switch to another landscape by updating its artists in place;
:class:`RunArtists` is the set of lines that show one run: its path on the map, its
curve in a side panel and the marker where it diverged.
"""

from __future__ import annotations

from dataclasses import dataclass

import contourpy
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.ticker import LogLocator, MaxNLocator, NullLocator

from . import style

#: Grid points per side for the shading and the contour lines.
GRID = 240
#: Number of contour lines.
LEVELS = 14
#: Landscapes with more minima than this show only the global one (Rastrigin has 121).
MAX_LANDMARKS = 10

_SHADE = LinearSegmentedColormap.from_list("landscape", [style.BACKGROUND_LOW, style.BACKGROUND_HIGH])


@dataclass(frozen=True)
class Background:
    """Everything static about one landscape's picture, computed once.

    Attributes:
        extent: ``(xmin, xmax, ymin, ymax)`` of the plotting window.
        shade: ``(GRID, GRID)`` values in [0, 1] for the background image (0 = lowest).
        contours: list of ``(k, 2)`` polylines, the contour lines at :attr:`levels`.
        levels: the contour values.
    """

    extent: tuple
    shade: np.ndarray
    contours: list
    levels: np.ndarray


_CACHE: dict[str, Background] = {}


def level_scale(landscape):
    """How to space contour levels: ``"log"``, ``"square"`` or ``"linear"``.

    Values that span orders of magnitude (Rosenbrock, Beale) need logarithmic levels.
    Bowl-like functions with a known lowest value get levels growing like the square
    of the level index, which puts the rings of a quadratic at equal distances apart.
    Functions unbounded below (the saddles) get evenly spaced levels.
    """
    if landscape.log_scale_contours:
        return "log"
    return "square" if np.isfinite(landscape.global_min_value) else "linear"


def background(landscape) -> Background:
    """The cached :class:`Background` of ``landscape`` (computed on first use).

    The shading is banded: constant between two contour levels, one step lighter per
    level (like a filled contour plot). Few distinct colours keep the live picture's
    256-colour compression free of stray bands.
    """
    key = landscape.name
    if key in _CACHE:
        return _CACHE[key]
    X, Y, Z = landscape.mesh(GRID)
    low, high = float(np.min(Z)), float(np.max(Z))
    scale = level_scale(landscape)
    if scale == "log":
        # Levels from a little above the lowest value to the highest, evenly in log(Z - low).
        floor = max((high - low) * 1e-5, 1e-12)
        levels = low - floor + np.geomspace(floor * 10, high - low + floor, LEVELS)
    elif scale == "square":
        levels = low + (high - low) * (np.arange(1, LEVELS + 1) / (LEVELS + 1)) ** 2
    else:
        levels = np.linspace(low, high, LEVELS + 2)[1:-1]
    shade = np.digitize(Z, levels) / len(levels)  # 0 in the lowest band, 1 above the top level
    generator = contourpy.contour_generator(X, Y, Z)
    contours = [line for level in levels for line in generator.lines(level) if len(line) > 1]
    (x0, x1), (y0, y1) = landscape.bounds
    result = Background((x0, x1, y0, y1), shade, contours, levels)
    _CACHE[key] = result
    return result


def landmarks(landscape):
    """The minima and saddle points worth marking: ``(minima, saddles)``, each ``(k, 2)``.

    With more than :data:`MAX_LANDMARKS` of them (Rastrigin's egg box) only the global
    minimum is kept, so the markers do not hide the paths.
    """
    minima, saddles = np.asarray(landscape.minima), np.asarray(landscape.saddles)
    if len(minima) > MAX_LANDMARKS:
        return minima[:1], np.empty((0, 2))
    return minima, saddles


class LandscapeView:
    """The static picture of a landscape on ``ax``: shading, contours, minima, saddles.

    :meth:`show` switches to another landscape by updating these artists in place
    (the grids come from the cache), and fixes the axis limits to its ``bounds``.
    """

    def __init__(self, ax, landscape, *, shade: bool = True, marks: bool = True):
        self.ax = ax
        self.image = ax.imshow(np.zeros((2, 2)), origin="lower", cmap=_SHADE, vmin=0.0, vmax=1.0,
                               interpolation="nearest", aspect="auto", zorder=0, visible=shade)
        self.lines = LineCollection([], colors=style.CONTOUR_LINE_COLOR, linewidths=0.6, zorder=1)
        ax.add_collection(self.lines)
        marker = dict(linestyle="none", zorder=2.5, markeredgecolor=style.BLACK, markeredgewidth=0.9)
        (self.minima,) = ax.plot([], [], marker="*", markersize=11, markerfacecolor="white",
                                 label="minimum", visible=marks, **marker)
        (self.saddles,) = ax.plot([], [], marker="D", markersize=5.5, markerfacecolor="white",
                                  label="saddle point", visible=marks, **marker)
        for artist in (self.image, self.lines, self.minima, self.saddles):
            # Drawn inside the axes anyway; measuring them for the layout is slow.
            artist.set_in_layout(False)
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.xaxis.set_major_locator(MaxNLocator(5))
        ax.yaxis.set_major_locator(MaxNLocator(5))
        self.landscape = None
        self.show(landscape)

    def show(self, landscape) -> None:
        """Draw ``landscape`` (a no-op when it is already shown)."""
        if landscape is self.landscape:
            return
        self.landscape = landscape
        bg = background(landscape)
        self.image.set_data(bg.shade)
        self.image.set_extent(bg.extent)
        self.lines.set_segments(bg.contours)
        minima, saddles = landmarks(landscape)
        self.minima.set_data(minima[:, 0], minima[:, 1])
        self.saddles.set_data(saddles[:, 0], saddles[:, 1])
        x0, x1, y0, y1 = bg.extent
        self.ax.set_xlim(x0, x1)
        self.ax.set_ylim(y0, y1)
        self.ax.set_aspect("equal", adjustable="box")


def inside(points, bounds) -> np.ndarray:
    """Whether each point of ``points`` (..., 2) lies in the window ``bounds``."""
    (x0, x1), (y0, y1) = bounds
    x, y = points[..., 0], points[..., 1]
    return (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)


def exit_point(points, bounds):
    """Where the polyline ``points`` (T, 2) first leaves the window, or ``None``.

    The point returned lies on the window's edge, on the segment that crosses it, so
    a marker drawn there shows where the run left the picture.

    >>> exit_point(np.array([[0.0, 0.0], [0.5, 0.0], [3.0, 0.0]]), ((-1, 1), (-1, 1)))
    array([1., 0.])
    >>> exit_point(np.array([[0.0, 0.0], [0.5, 0.5]]), ((-1, 1), (-1, 1))) is None
    True
    """
    points = np.asarray(points, dtype=float)
    outside = ~inside(points, bounds) | ~np.all(np.isfinite(points), axis=-1)
    if not outside.any():
        return None
    i = int(np.argmax(outside))
    if i == 0:
        return points[0]
    a, b = points[i - 1], points[i]
    if not np.all(np.isfinite(b)):
        return a
    # The fraction s of the segment a -> b at which each violated edge is crossed;
    # the first crossing is the exit.
    lows = np.array([bounds[0][0], bounds[1][0]])
    highs = np.array([bounds[0][1], bounds[1][1]])
    d = b - a
    with np.errstate(all="ignore"):
        s_low = np.where(b < lows, (lows - a) / d, np.inf)
        s_high = np.where(b > highs, (highs - a) / d, np.inf)
    s = float(np.clip(min(s_low.min(), s_high.min()), 0.0, 1.0))
    return a + s * d


def style_axes(ax, *, xlabel: str, ylabel: str, log: bool = False, title: str | None = None) -> None:
    """Labels, light grid and few ticks for a side panel (loss, distance, step length)."""
    if log:
        ax.set_yscale("log")
        # Labels on a few decades only, no minor ticks: readable, and each tick label
        # is a text to lay out and draw whenever the background is redrawn.
        ax.yaxis.set_major_locator(LogLocator(base=10, numticks=6))
        ax.yaxis.set_minor_locator(NullLocator())
    else:
        ax.yaxis.set_major_locator(MaxNLocator(5))
    ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, which="major", color="#e5e5e5", linewidth=0.6)
    if title:
        ax.set_title(title, fontsize=10)


class RunArtists:
    """The artists of one optimizer run: path on the map, curve in a side panel.

    Args:
        path_ax: the landscape axes.
        curve_ax: the side panel (loss or distance vs step), or ``None``.
        color, label, linestyle: from :mod:`style`.
        markers: draw a small dot at every iterate (shows the step sizes).
        head: draw a bigger dot at the last point shown (for the race).
        linewidth, alpha: line look (reference runs are drawn faint).
        animated: the artists change with the controls (see :meth:`App.animate`).
    """

    def __init__(self, path_ax, curve_ax, color, label, *, linestyle="-", markers=True, head=False,
                 linewidth=1.6, alpha=1.0, zorder=3):
        line = dict(color=color, linestyle=linestyle, linewidth=linewidth, alpha=alpha, zorder=zorder)
        (self.path,) = path_ax.plot([], [], marker="o" if markers else None, markersize=2.5,
                                    label=label, **line)
        (self.head,) = path_ax.plot([], [], marker="o", markersize=6, markeredgecolor="white",
                                    color=color, linestyle="none", zorder=zorder + 0.2, visible=head)
        (self.exit,) = path_ax.plot([], [], color=color, zorder=zorder + 0.5, **style.DIVERGED_MARKER)
        self.curve = self.curve_exit = None
        if curve_ax is not None:
            (self.curve,) = curve_ax.plot([], [], label=label, **line)
            (self.curve_exit,) = curve_ax.plot([], [], color=color, zorder=zorder + 0.5,
                                               **style.DIVERGED_MARKER)
        for artist in self.artists():
            artist.set_in_layout(False)  # data inside the axes: nothing for the layout to make room for

    def artists(self) -> list:
        """All artists of this run (to hand to :meth:`App.animate`)."""
        return [a for a in (self.path, self.head, self.exit, self.curve, self.curve_exit) if a is not None]

    def show(self, points, values=None, *, bounds, diverged_at=-1, upto=None, mark=True) -> None:
        """Show a run's ``points`` (T+1, 2) and its curve ``values`` (T+1,) up to step ``upto``.

        The lines stop where a diverged run (``diverged_at >= 0``) was frozen. With
        ``mark``, the diverged marker is drawn where the run left the window (or at its
        last good point if it blew up inside) and at the end of its curve; without it
        (landscapes with no minimum, where leaving is expected) nothing is marked.
        """
        last = len(points) - 1 if upto is None else min(int(upto), len(points) - 1)
        gone = 0 <= diverged_at <= last
        if gone:
            # From diverged_at on, the run repeats its last good point: stop the lines there.
            last = max(diverged_at - 1, 0)
        shown = points[: last + 1]
        self.path.set_data(shown[:, 0], shown[:, 1])
        self.head.set_data(shown[-1:, 0], shown[-1:, 1])
        where = None
        if gone and mark:
            where = exit_point(shown, bounds)
            if where is None:  # it blew up inside the window
                where = shown[-1]
        self.exit.set_data(*([[where[0]], [where[1]]] if where is not None else [[], []]))
        if self.curve is not None and values is not None:
            self.curve.set_data(np.arange(last + 1), values[: last + 1])
            if gone and mark:
                self.curve_exit.set_data([last], [values[last]])
            else:
                self.curve_exit.set_data([], [])
