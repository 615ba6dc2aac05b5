"""The small frame every interactive figure is built on.

An :class:`App` is a matplotlib figure plus named ipywidgets controls. When a control
changes, the app recomputes what it shows, moves the existing artists
(``line.set_data`` and friends, never a new figure), renders the figure with Agg and
shows the picture in an ``ipywidgets.Image``. Rendering with Agg in the kernel keeps
it independent of the notebook's matplotlib backend, so the same app works in
JupyterLab, in tests without a browser, and in nbval.

Drawing axes, tick labels and contour lines is most of the cost of a frame, yet they
rarely change. So an app marks the few artists that *do* change as animated
(:meth:`App.animate`). The first render draws everything else once and keeps that
picture (the *background*); later renders paste the background back and draw only
the animated artists on top ("blitting"). The background is redrawn only when an
axis range changes or the app calls :meth:`App.invalidate`.

For a reader without a running kernel (a notebook viewed on a code-hosting site) the
app's display also carries a PNG of its current state, which such viewers show in
place of the widget.
"""

from __future__ import annotations

import base64
import contextlib
import io
import time

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from . import style


def _rgb(color: str) -> tuple:
    """``"#rrggbb"`` -> (r, g, b) in 0..255."""
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))


def _snap_palette(image, exact, tolerance: int = 4):
    """Replace palette entries within ``tolerance`` of a colour in ``exact`` by that colour.

    The quantizer averages similar colours, so pure white may come out as (254, 254, 254);
    snapping keeps the page white and the course colours exact.
    """
    entries = np.array(image.getpalette()[: 3 * 256], dtype=int).reshape(-1, 3)
    targets = np.array(exact, dtype=int)
    distance = np.abs(entries[:, None, :] - targets[None, :, :]).max(axis=-1)
    nearest = distance.argmin(axis=1)
    close = distance[np.arange(len(entries)), nearest] <= tolerance
    entries[close] = targets[nearest[close]]
    image.putpalette(entries.ravel().tolist())
    return image


class App:
    """Base class of the course's interactive figures.

    Subclasses build their artists in ``__init__`` (after calling
    ``super().__init__``), register controls with :meth:`add_control`, and implement
    :meth:`update`, which reads ``self.controls[...]`` values, recomputes and calls
    ``set_data`` on existing artists. Anything expensive that does not depend on the
    controls (contour grids) is computed once in ``__init__``. Artists that change
    with the controls should be passed to :meth:`animate`, so a refresh redraws only
    them; when something static changes (a title, a new background), call
    :meth:`invalidate`.

    Attributes:
        figure: the matplotlib ``Figure`` (Agg canvas).
        controls: dict name -> ipywidget.
        message: an ``ipywidgets.HTML`` line for readable warnings (bad input, divergence).
        image: the ``ipywidgets.Image`` showing the rendered figure.
        widget: the whole app as one ipywidget (controls, message, image).
        last_update_seconds: time of the last :meth:`refresh` (compute + render).
    """

    #: After the first full draw the axes positions are kept (the layout engine is
    #: switched off), so later redraws are cheaper and the picture does not shift.
    freeze_layout = True

    def __init__(self, figsize=style.FIGSIZE, dpi=style.DPI, **subplot_kw):
        self.figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        FigureCanvasAgg(self.figure)
        self.controls: dict[str, widgets.Widget] = {}
        self.message = widgets.HTML(value="")
        self.image = widgets.Image(format="png")
        self.last_update_seconds = 0.0
        self._controls_box = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self.widget = widgets.VBox([self._controls_box, self.message, self.image])
        self._animated: list = []  # artists redrawn on every render
        self._sprites: dict = {}  # text artist -> {its text: its pixels}, see animate_text
        self._palette = None  # colours of the current background, for fast PNG encoding
        self._background = None  # the static part of the picture, pasted back each render
        self._limits = None  # axis ranges the background was drawn with
        self._relayout = True  # run the layout engine at the next full draw
        self._quiet = 0  # > 0 while controls are being set programmatically

    # ----------------------------------------------------------------- controls
    def add_control(self, name: str, control: widgets.Widget, observe: bool = True) -> widgets.Widget:
        """Register ``control`` under ``name`` and refresh the app when its value changes.

        ``observe=False`` only shows the widget (for a ``Play`` button linked to a
        slider that is itself observed, so one tick does not refresh twice).
        """
        self.controls[name] = control
        if observe:
            control.observe(self._on_change, names="value")
        self._controls_box.children = tuple(self.controls.values())
        return control

    def _on_change(self, change) -> None:
        if not self._quiet:
            self.refresh()

    @contextlib.contextmanager
    def quiet(self):
        """Set several controls without a refresh after each one.

        >>> # with app.quiet():
        >>> #     app.controls["x0"].max = 2.0; app.controls["x0"].value = 1.0
        """
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    # ----------------------------------------------------------------- updating
    def update(self) -> None:
        """Recompute from the controls and move the artists. Subclasses implement this."""
        raise NotImplementedError

    def refresh(self) -> None:
        """:meth:`update`, then render. A bad value shows a message instead of a traceback."""
        start = time.perf_counter()
        try:
            self.update()
        except (ValueError, TypeError) as error:
            self.warn(f"Cannot show this setting: {error}")
        else:
            if self.message.value.startswith("<b>Cannot"):
                self.warn("")
        self.render()
        self.last_update_seconds = time.perf_counter() - start

    def warn(self, text: str) -> None:
        """Show ``text`` above the figure (empty text clears it)."""
        self.message.value = f"<b>{text}</b>" if text.startswith("Cannot") else (text and f"<i>{text}</i>")

    # ----------------------------------------------------------------- drawing
    def animate(self, *artists):
        """Mark ``artists`` as the ones that change: each render redraws only these.

        Returns the artists (the first one alone when only one is given), so a
        subclass can write ``self.path = self.animate(ax.plot(...)[0])``.
        """
        for artist in artists:
            artist.set_animated(True)
            self._animated.append(artist)
        self.invalidate()
        return artists[0] if len(artists) == 1 else artists

    def animate_text(self, *texts):
        """Like :meth:`animate`, for texts whose place and look stay fixed (titles, labels).

        Drawing text is the slowest part of a frame (every glyph is rendered anew), so
        each distinct string of such a text is drawn once and its pixels are kept;
        showing the same string again pastes them back. The pixels include what lay
        under the text, so use it for texts outside the axes, over a static part of the
        picture, or on an opaque box (``bbox=dict(facecolor="white", alpha=1)``).
        """
        for text in texts:
            self._sprites[text] = {}
        return self.animate(*texts)

    def invalidate(self, relayout: bool = False) -> None:
        """Redraw the static background at the next render (``relayout``: re-run the layout)."""
        self._background = None
        self._palette = None
        for sprites in self._sprites.values():
            sprites.clear()
        self._relayout = self._relayout or relayout

    def _axis_limits(self):
        return tuple((ax.get_xlim(), ax.get_ylim()) for ax in self.figure.axes)

    def _draw_background(self) -> None:
        """Full draw of everything not animated; keep a copy of it."""
        figure = self.figure
        if self._relayout and self.freeze_layout:
            figure.set_layout_engine("constrained")
        figure.canvas.draw()
        if self.freeze_layout:
            # Keep the positions just computed: the layout pass costs as much as the draw.
            figure.set_layout_engine("none")
        self._relayout = False
        self._background = figure.canvas.copy_from_bbox(figure.bbox)
        self._limits = self._axis_limits()

    def render(self) -> None:
        """Draw the figure with Agg (blitting the animated artists) into the image widget."""
        canvas = self.figure.canvas
        if self._background is None or not self._animated or self._limits != self._axis_limits():
            self._draw_background()
        else:
            canvas.restore_region(self._background)
        for artist in self._animated:
            if artist.figure is None:  # skip artists a subclass has removed
                continue
            sprites = self._sprites.get(artist)
            if sprites is None:
                self.figure.draw_artist(artist)
            elif not artist.get_visible() or not artist.get_text():
                continue
            elif artist.get_text() in sprites:
                canvas.restore_region(sprites[artist.get_text()])
            else:
                self.figure.draw_artist(artist)
                patch = artist.get_bbox_patch()  # an opaque box around the text, if it has one
                box = (patch.get_window_extent() if patch is not None
                       else artist.get_window_extent(canvas.get_renderer())).padded(1)
                sprites[artist.get_text()] = canvas.copy_from_bbox(box)
        self.image.value = self._encode(canvas)

    def _encode(self, canvas) -> bytes:
        """The canvas' pixels as a PNG, reduced to a 256-colour palette.

        Plots use few colours, so the palette is visually lossless, and it makes the
        PNG several times faster to compress and smaller to send to the browser. The
        palette is chosen once per background (from the frame plus every course colour,
        so lines that appear later keep their colour) and reused, which is much faster
        than choosing it anew for every frame.
        """
        width, height = canvas.get_width_height()
        picture = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        picture = picture.convert("RGB")
        if self._palette is None or not self._animated:
            swatches = Image.new("RGB", (len(style.ALL_COLORS), 1))
            swatches.putdata([_rgb(color) for color in style.ALL_COLORS])
            sample = Image.new("RGB", (width, height + 1))
            sample.paste(picture, (0, 0))
            sample.paste(swatches, (0, height))
            palette = sample.quantize(256, method=Image.Quantize.FASTOCTREE)
            self._palette = _snap_palette(palette, [_rgb(color) for color in style.ALL_COLORS])
        picture = picture.quantize(palette=self._palette, dither=Image.Dither.NONE)
        buffer = io.BytesIO()
        picture.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    @contextlib.contextmanager
    def _everything_drawn(self):
        """Temporarily un-animate the animated artists so a ``savefig`` includes them."""
        for artist in self._animated:
            artist.set_animated(False)
        try:
            yield
        finally:
            for artist in self._animated:
                artist.set_animated(True)
            self.invalidate()

    def png(self) -> bytes:
        """The whole figure as full-colour PNG bytes (lightly compressed)."""
        buffer = io.BytesIO()
        with self._everything_drawn():
            self.figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
        return buffer.getvalue()

    # ----------------------------------------------------------------- display
    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude)
        if not isinstance(bundle, dict):
            bundle = {}
        # Static viewers cannot run widgets: give them the current picture.
        bundle["image/png"] = base64.b64encode(self.png()).decode("ascii")
        return bundle

    def save(self, path) -> None:
        """Save the current view as an image file (used for docs/images)."""
        with self._everything_drawn():
            self.figure.savefig(path, dpi=110)
