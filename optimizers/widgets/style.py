"""One look for every figure of the course: colours, labels and sizes.

Each optimizer keeps the same colour in every lesson, so a learner who has seen Adam
in orange once finds it in orange everywhere. The palette is Okabe and Ito's
colour-blind-safe set (Okabe and Ito, 2008, "Color Universal Design").
"""

from __future__ import annotations

#: Okabe-Ito colours, safe for the common forms of colour blindness.
BLACK, ORANGE, SKY_BLUE, GREEN, YELLOW, BLUE, VERMILLION, PURPLE = (
    "#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
GREY = "#7f7f7f"

#: The colour of each optimizer, by class name (and "GD" for plain gradient descent).
OPTIMIZER_COLORS = {
    "GD": BLACK,
    "SGD": BLACK,
    "Momentum": BLUE,
    "Nesterov": SKY_BLUE,
    "RMSprop": GREEN,
    "Adam": ORANGE,
    "AdamW": VERMILLION,
    "Nadam": PURPLE,
    # Okabe-Ito's yellow is too pale to see on a white page: a darker mustard instead.
    "Adagrad": "#b59a00",
    "Adadelta": GREY,
    "Adamax": "#8c564b",
    "Lion": "#a6761d",
    "RAdam": "#7570b3",  # not a green: RMSprop already is one
    "AdaBelief": "#e7298a",
    "Lookahead": "#666666",
}

#: Colours for a handful of curves that are not optimizers (learning rates, batch sizes).
SEQUENCE = (BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY_BLUE, YELLOW, BLACK)

#: Colour map for loss-landscape contours: light = low loss would fight with the paths,
#: so a perceptually uniform map with dark valleys is used and paths are drawn on top.
CONTOUR_CMAP = "viridis"

#: Landscape backgrounds in the widgets: pale shading (a light blue-grey in the valleys,
#: white on the heights) and thin grey contour lines, so that the saturated optimizer
#: colours of the paths drawn on top stand out.
BACKGROUND_LOW, BACKGROUND_HIGH = "#c9d9e8", "#ffffff"
CONTOUR_LINE_COLOR = "#8a8a8a"

#: Line style per optimizer where colour alone is not enough (Lookahead wraps another
#: optimizer: dashed). Anything not listed is drawn solid.
OPTIMIZER_LINESTYLES = {"Lookahead": "--", "Nesterov": "-."}

#: Marker for a run that diverged, drawn where it left the picture.
DIVERGED_MARKER = dict(marker="X", markersize=11, markeredgecolor="white", markeredgewidth=1.2, linestyle="none")

#: Default figure size (inches) and resolution for the widgets: small enough to redraw
#: in a few milliseconds, large enough to read.
FIGSIZE = (9.0, 3.8)
DPI = 90


#: Every colour above, in one tuple (the widgets keep them exact when they compress a frame).
ALL_COLORS = tuple(dict.fromkeys(
    (BLACK, ORANGE, SKY_BLUE, GREEN, YELLOW, BLUE, VERMILLION, PURPLE, GREY, "#ffffff",
     BACKGROUND_LOW, CONTOUR_LINE_COLOR, *OPTIMIZER_COLORS.values(), *SEQUENCE)))


def color_of(name: str) -> str:
    """The course colour for an optimizer name (``"Adam"``, ``"SGD"``, ...)."""
    return OPTIMIZER_COLORS.get(name, GREY)


def linestyle_of(name: str) -> str:
    """The course line style for an optimizer name (solid unless listed above)."""
    return OPTIMIZER_LINESTYLES.get(name, "-")


def optimizer_label(optimizer) -> str:
    """A short legend label: ``"Adam (lr=0.1)"``, ``"Momentum 0.9"``, ..."""
    name = type(optimizer).__name__
    lr = getattr(optimizer, "learning_rate", None)
    lr_text = f"lr={lr:g}" if isinstance(lr, float) else ""
    if name == "SGD" and getattr(optimizer, "momentum", 0):
        kind = "Nesterov" if optimizer.nesterov else "Momentum"
        return f"{kind} {optimizer.momentum:g} ({lr_text})" if lr_text else f"{kind} {optimizer.momentum:g}"
    if name == "SGD":
        name = "GD"
    return f"{name} ({lr_text})" if lr_text else name


def style_key(optimizer) -> str:
    """The key into :data:`OPTIMIZER_COLORS` for an optimizer instance."""
    name = type(optimizer).__name__
    if name == "SGD":
        if not getattr(optimizer, "momentum", 0):
            return "GD"
        return "Nesterov" if optimizer.nesterov else "Momentum"
    return name
