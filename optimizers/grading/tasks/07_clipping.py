"""Checks for exercise 07: gradient clipping by norm, per tensor and global."""

from __future__ import annotations

import numpy as np

from ...clipping import clip_by_global_norm, clip_by_norm, clip_by_value
from ..core import task
from ._common import pure_case, random_shape


def _gradients(rng, kind):
    """A list of gradient arrays (one per parameter), some long, some short.

    ``kind``: "mixed" (norms on both sides of the threshold), "all short", "zeros"
    (one all-zero gradient among others), "float32".
    """
    count = int(rng.integers(2, 5))
    dtype = np.float32 if kind == "float32" else np.float64
    grads = [(rng.normal(size=random_shape(rng)) * np.exp(rng.uniform(-1, 2))).astype(dtype)
             for _ in range(count)]
    if kind == "zeros":
        grads[int(rng.integers(count))][...] = 0.0
    norms = [float(np.linalg.norm(g)) for g in grads]
    if kind == "all short":
        threshold = 1.5 * float(np.sqrt(sum(n**2 for n in norms)))
    else:  # between the smallest and the largest norm, so some tensors get clipped
        positive = [n for n in norms if n > 0]
        threshold = float(rng.uniform(min(positive), max(positive))) if len(positive) > 1 else 1.0
    return grads, threshold


def _describe(grads, clipnorm=None):
    shapes = ", ".join(str(g.shape) for g in grads)
    norms = ", ".join(f"{np.linalg.norm(g):.3g}" for g in grads)
    text = f"{len(grads)} gradients {grads[0].dtype.name} of shapes {shapes}, norms {norms}"
    return text if clipnorm is None else f"{text}; clipnorm={clipnorm:.3g}"


def _always_rescale(grads, c):
    """Every tensor set to norm c, even the short ones (and 0/0 for a zero gradient)."""
    with np.errstate(all="ignore"):
        return [g * (c / np.linalg.norm(g)) for g in grads]


_KINDS = ("mixed", "mixed", "all short", "zeros", "float32")


@task("global_norm", exercise="07_clipping", points=1,
      title="The global norm of a list of gradients: sqrt of the sum of all squared entries")
def check_global_norm(student, rng):
    """Lists of gradients of mixed shapes, one all zero."""
    for kind in _KINDS:
        grads, _ = _gradients(rng, kind)
        expected = float(np.sqrt(sum(np.sum(g.astype(np.float64) ** 2) for g in grads)))
        mistakes = {
            "That is the sum of the separate norms; the global norm is sqrt(sum of ||g_i||**2), "
            "the norm of all entries as if they were one long vector.":
                float(sum(np.linalg.norm(g) for g in grads)),
            "The square root is missing: sqrt(sum of squares).": expected**2,
            "Use every gradient in the list, not only the first.": float(np.linalg.norm(grads[0])),
        }
        tolerance = dict(rtol=1e-5) if kind == "float32" else {}
        yield pure_case(_describe(grads), student, (grads,),
                        expected=expected, mistakes=mistakes, **tolerance)


@task("clip_by_norm", exercise="07_clipping", points=2,
      title="Clip each gradient separately: g * clipnorm / max(||g||, clipnorm)")
def check_clip_by_norm(student, rng):
    """Some tensors longer than the threshold, some shorter, one all zero, float32."""
    for kind in _KINDS:
        grads, c = _gradients(rng, kind)
        expected = clip_by_norm(grads, c)
        mistakes = {
            "Clip each tensor on its own (per tensor): g * clipnorm / max(||g||, clipnorm). "
            "Yours scaled them all by one common factor (global clipping).":
                clip_by_global_norm(grads, c),
            "Only gradients longer than clipnorm are shortened; a shorter one stays as it is "
            "(divide by max(||g||, clipnorm), not by ||g||).": _always_rescale(grads, c),
            "That clips each entry to [-clipnorm, clipnorm] (clip by value), which can turn the "
            "direction; clip by norm rescales the whole tensor.": clip_by_value(grads, c),
        }
        tolerance = dict(rtol=1e-5, atol=1e-7) if kind == "float32" else {}
        yield pure_case(_describe(grads, c), student, (grads, c), expected=expected,
                        mistakes=mistakes, **tolerance)


def _sum_of_norms_clip(grads, c):
    total = sum(float(np.linalg.norm(g)) for g in grads)
    return [g * (c / max(total, c)) for g in grads]


@task("clip_by_global_norm", exercise="07_clipping", points=3,
      title="Clip all gradients together by one factor: clipnorm / max(global norm, clipnorm)")
def check_clip_by_global_norm(student, rng):
    """Global norm above and below the threshold, one all-zero tensor, float32."""
    for kind in _KINDS + ("all zero",):
        if kind == "all zero":
            grads = [np.zeros(random_shape(rng)) for _ in range(2)]
            c = 1.0
        else:
            grads, c = _gradients(rng, kind)
            if kind != "all short":  # below the global norm, so the whole list gets clipped
                c = float(np.sqrt(sum(np.sum(g.astype(np.float64) ** 2) for g in grads))) \
                    * float(rng.uniform(0.2, 0.8))
        expected = clip_by_global_norm(grads, c)
        with np.errstate(all="ignore"):
            global_norm = float(np.sqrt(sum(np.sum(g.astype(np.float64) ** 2) for g in grads)))
            rescaled = [g * (c / np.float64(global_norm)) for g in grads]
        mistakes = {
            "Clip all tensors *together* by one factor clipnorm / max(global_norm, clipnorm). "
            "Yours clipped each tensor on its own (per tensor).": clip_by_norm(grads, c),
            "The global norm is sqrt(sum of ||g_i||**2), not the sum of the norms.":
                _sum_of_norms_clip(grads, c),
            "When the global norm is already below clipnorm nothing changes: divide by "
            "max(global_norm, clipnorm), not by global_norm.": rescaled,
        }
        tolerance = dict(rtol=1e-5, atol=1e-7) if kind == "float32" else {}
        yield pure_case(_describe(grads, c), student, (grads, c), expected=expected,
                        mistakes=mistakes, **tolerance)
