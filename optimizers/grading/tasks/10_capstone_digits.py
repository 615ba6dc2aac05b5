"""Checks for exercise 10, the capstone: train a model on the digits to a held-out accuracy.

The learner writes ``train(split) -> model``. The check calls it on a fresh split of
scikit-learn's digits whose *test labels are replaced by wrong ones*, then scores
the returned model on the true test labels. A model that learned from the test
rows learned the wrong labels for exactly the images it is scored on, and is caught.
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np

from ... import data
from ..core import Case, task
from ._common import check_result

EXERCISE = "10_capstone_digits"

#: Accuracy on the held-out test images that the capstone asks for. Small models
#: trained well reach 0.95-0.99 on the splits the check draws; 0.93 leaves room for
#: the split-to-split spread, so a good solution never fails by bad luck.
REQUIRED_ACCURACY = 0.93


class _FixedPredictions:
    """A stand-in model whose predictions are given: the check knows the right accuracy."""

    def __init__(self, X, labels):
        self._rows = {row.tobytes(): label for row, label in zip(X, labels)}

    def predict(self, X):
        return np.array([self._rows[row.tobytes()] for row in np.asarray(X, dtype=np.float64)],
                        dtype=np.int64)

    def __repr__(self):
        return "<model>"


@task("accuracy", exercise=EXERCISE, points=1,
      title="Accuracy: the fraction of rows whose predicted label is the true one")
def check_accuracy(student, rng):
    """Models with known predictions, from all right to all wrong."""
    for right in (float(rng.uniform(0.3, 0.95)), float(rng.uniform(0.3, 0.95)), 1.0, 0.0):
        n, k = int(rng.integers(20, 80)), int(rng.integers(2, 10))
        X = rng.normal(size=(n, 3))
        y = rng.integers(0, k, size=n)
        wrong = rng.random(n) >= right
        predictions = np.where(wrong, (y + rng.integers(1, k, size=n)) % k, y)
        model = _FixedPredictions(X, predictions)
        expected = float(np.mean(predictions == y))
        mistakes = {
            "Return a fraction between 0 and 1, not a percentage.": 100 * expected,
            "Return the fraction of correct rows (divide the count by len(y)).":
                float(np.sum(predictions == y)),
            "That is the error rate; accuracy is the fraction predicted *correctly*.": 1 - expected,
        }
        yield check_result(f"{n} rows, {k} classes, {int(np.sum(predictions == y))} predicted right",
                      student(model, X.copy(), y.copy()), expected, mistakes=mistakes)


@functools.lru_cache(maxsize=4)
def _digits(seed):
    """The digits split for ``seed``, read once (reading the images takes a moment)."""
    return data.digits(seed=seed)


def hidden_test_split(split, rng):
    """A copy of the split with every test label replaced by a wrong one (same images)."""
    shift = rng.integers(1, split.n_classes, size=len(split.y_test))
    copies = {name: getattr(split, name).copy() for name in
              ("X_train", "y_train", "X_val", "y_val", "X_test")}
    return dataclasses.replace(split, **copies, y_test=(split.y_test + shift) % split.n_classes)


@task("train", exercise=EXERCISE, points=5,
      title=f"Train a model on the digits to at least {REQUIRED_ACCURACY:.0%} test accuracy")
def check_train(student, rng):
    """One fresh split: predictions' format, test accuracy, and no learning from the test rows."""
    split = _digits(int(rng.integers(1, 2**31)))
    given = hidden_test_split(split, rng)
    model = student(given)
    n_test = len(split.y_test)
    predict = getattr(model, "predict", None)
    if not callable(predict):
        yield Case("train(split) returns a model with a predict(X) method", False,
                   "an object with predict(X)", model,
                   reason=f"got {type(model).__name__} without a predict method",
                   hint="Return the trained model itself, e.g. an optimizers.models.MLP.")
        return
    predictions = np.asarray(predict(split.X_test.copy()))
    shape_ok = predictions.shape == (n_test,) and predictions.dtype.kind in "iuf"
    yield Case(f"model.predict(X_test) on the {n_test} test images: one label each", shape_ok,
               f"an array of {n_test} labels", f"an array of shape {predictions.shape}, "
               f"dtype {predictions.dtype}",
               reason="" if shape_ok else "wrong shape or type of predictions",
               hint="" if shape_ok else "predict(X) must return one class label (0-9) per row, "
               "e.g. np.argmax(scores, axis=1), not probabilities.")
    if not shape_ok:
        return
    accuracy = float(np.mean(predictions == split.y_test))
    yield Case(f"accuracy on the {n_test} held-out test images >= {REQUIRED_ACCURACY}",
               accuracy >= REQUIRED_ACCURACY, f">= {REQUIRED_ACCURACY}", round(accuracy, 4),
               reason="" if accuracy >= REQUIRED_ACCURACY else f"test accuracy {accuracy:.4f}",
               hint="" if accuracy >= REQUIRED_ACCURACY else
               "Watch the validation accuracy per epoch (fit(..., validation_data=(split.X_val, "
               "split.y_val))): train longer, try a small MLP, tune the learning rate on the "
               "validation split, then train on train + validation.")
    agreement = float(np.mean(predictions == given.y_test))
    yield Case("the model did not learn from the test split (its labels were hidden: replaced "
               "by wrong ones)", agreement < 0.2, "agreement with the hidden labels < 0.2",
               round(agreement, 4),
               reason="" if agreement < 0.2 else
               f"the model agrees with the wrong test labels on {agreement:.0%} of the images",
               hint="" if agreement < 0.2 else
               "Train only on split.X_train (and split.X_val); the test split is for the final "
               "score only, never for training or tuning.")
