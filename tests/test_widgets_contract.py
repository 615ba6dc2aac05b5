"""The contract every interactive figure keeps, checked over widgets.APPS."""

from __future__ import annotations

import base64

import matplotlib.figure
import pytest

from optimizers import widgets


@pytest.fixture(scope="module", params=sorted(widgets.APPS))
def app(request):
    return widgets.APPS[request.param]()


def test_app_has_figure_controls_and_a_picture(app):
    assert isinstance(app.figure, matplotlib.figure.Figure)
    assert app.controls, "an app without controls is not interactive"
    assert app.image.value[:8] == b"\x89PNG\r\n\x1a\n"  # rendered at build time
    for ax in app.figure.axes:
        if ax.get_visible() and ax.has_data() and ax.name == "rectilinear":
            # a panel's title may name its y quantity when panels share one y label
            assert ax.get_xlabel() and (ax.get_ylabel() or ax.get_title()), f"unlabelled axes in {type(app).__name__}"
    assert any(ax.get_title() for ax in app.figure.axes) or app.figure.get_suptitle()


def test_static_readers_get_a_png_next_to_the_widget(app):
    bundle = app._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert base64.b64decode(bundle["image/png"])[:4] == b"\x89PNG"


def test_every_builder_says_what_it_teaches():
    for name, build in widgets.APPS.items():
        assert build.__doc__ and len(build.__doc__.split()) > 15, name
