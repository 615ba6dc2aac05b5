"""Interactive figures for the lessons: one function per demo, shown in one line.

    from optimizers import widgets
    app = widgets.lr_pitfalls()
    app                      # controls + figure; move the slider

Every app is an :class:`~optimizers.widgets._app.App`: its controls are in
``app.controls``, its matplotlib figure is ``app.figure``, and a control change moves
the existing artists and re-renders the picture (no new figure). ``APPS`` lists every
builder by name.
"""

from . import style
from ._app import App
from .landscape_demos import (gradient_arrows, landscape_gallery, lr_pitfalls, optimizer_race, plateau_crawl,
                              ravine_momentum, saddle_escape)
from .training_demos import batch_noise, bias_correction, schedule_explorer

#: Every app builder, by name (the benchmark and the tests build each of them).
APPS = {f.__name__: f for f in (lr_pitfalls, saddle_escape, plateau_crawl, ravine_momentum, optimizer_race,
                                landscape_gallery, gradient_arrows, batch_noise, bias_correction,
                                schedule_explorer)}

__all__ = ["App", "APPS", "style", *APPS]
