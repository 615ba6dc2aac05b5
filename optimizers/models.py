"""Small models with hand-written backpropagation.

Three models, all float64, all with the same small contract that the training
loop and the optimizers rely on:

- ``model.params``: a list of ndarrays. They are the *same* array objects for
  the model's whole life, because an optimizer updates them in place.
- ``model.param_names``: one name per parameter, e.g. ``["W1", "b1", "W2", "b2"]``.
- ``model.loss_and_grads(X, y) -> (loss, grads)``: the loss averaged over the
  batch and one gradient per parameter, same shapes. Nothing is modified.
- ``model.loss(X, y)``, ``model.predict(X)``, ``model.metric(X, y)`` with
  ``model.metric_name`` ("accuracy" or "mse"), and ``model.copy()``.

Every model is "scores, then a loss head": a forward pass turns ``X`` into
scores (a prediction, a logit, or a row of logits), a head turns scores and
targets into a loss and ``dloss/dscores``, and the backward pass pushes that
gradient back to the parameters with the chain rule.

Example
-------
>>> import numpy as np
>>> model = MLP([2, 8, 3], activation="tanh", seed=0)
>>> X = np.array([[0.5, -1.0], [1.5, 2.0]])
>>> y = np.array([0, 2])
>>> loss, grads = model.loss_and_grads(X, y)
>>> [g.shape for g in grads]
[(2, 8), (8,), (8, 3), (3,)]
"""

from __future__ import annotations

import copy as _copy
import numbers

import numpy as np

from . import _checks

__all__ = [
    "sigmoid",
    "log_softmax",
    "softmax",
    "Model",
    "LinearRegression",
    "LogisticRegression",
    "MLP",
    "ACTIVATIONS",
]


# ---------------------------------------------------------------------------
# Numerically stable building blocks
# ---------------------------------------------------------------------------


def sigmoid(z):
    """Logistic function, computed without overflow.

    Math: sigmoid(z) = 1 / (1 + exp(-z)) = exp(-log(1 + exp(-z))).

    The second form uses ``np.logaddexp(0, -z) = log(1 + exp(-z))``, which
    never overflows, so even ``z = -1000`` gives a clean 0.0 and no warning.

    >>> sigmoid(np.array([0.0, -1000.0, 1000.0]))
    array([0.5, 0. , 1. ])
    """
    z = np.asarray(z, dtype=np.float64)
    return np.exp(-np.logaddexp(0.0, -z))


def log_softmax(Z):
    """Log of the softmax over the last axis, stable for huge logits.

    Math: log softmax(z)_k = z_k - log sum_j exp(z_j)
                           = (z_k - m) - log sum_j exp(z_j - m),  m = max_j z_j.

    Subtracting the row maximum m changes nothing mathematically but keeps
    every ``exp`` argument <= 0, so nothing overflows (the log-sum-exp trick).

    >>> log_softmax(np.array([[0.0, 0.0]]))
    array([[-0.69314718, -0.69314718]])
    """
    Z = np.asarray(Z, dtype=np.float64)
    shifted = Z - Z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softmax(Z):
    """Softmax over the last axis: probabilities that are positive and sum to 1.

    Math: softmax(z)_k = exp(z_k) / sum_j exp(z_j), computed as exp(log_softmax(z)).

    >>> softmax(np.array([[1.0, 1.0, 1.0, 1.0]]))
    array([[0.25, 0.25, 0.25, 0.25]])
    """
    return np.exp(log_softmax(Z))


# Loss heads: each takes scores and targets and returns (loss, dloss/dscores).
# Dividing the gradient by n is the derivative of the 1/n in "mean over the batch".


def _mse_head(pred, y):
    """Half mean squared error: L = 0.5 * mean((pred - y)^2); dL/dpred = (pred - y) / n."""
    residual = pred - y
    n = residual.shape[0]
    return 0.5 * float(np.mean(residual**2)), residual / n


def _binary_head(z, y):
    """Binary cross-entropy on logits z with labels y in {0, 1}.

    L = mean(log(1 + exp(z)) - y * z)   (the same as -y log p - (1-y) log(1-p), p = sigmoid(z))
    dL/dz = (sigmoid(z) - y) / n
    """
    n = z.shape[0]
    loss = float(np.mean(np.logaddexp(0.0, z) - y * z))
    return loss, (sigmoid(z) - y) / n


def _softmax_head(Z, y):
    """Softmax cross-entropy on logits Z (n, K) with integer labels y.

    L = -mean_i log softmax(Z_i)[y_i]
    dL/dZ = (softmax(Z) - onehot(y)) / n
    """
    n = Z.shape[0]
    logp = log_softmax(Z)
    rows = np.arange(n)
    loss = -float(np.mean(logp[rows, y]))
    dZ = np.exp(logp)
    dZ[rows, y] -= 1.0
    return loss, dZ / n


# ---------------------------------------------------------------------------
# Input checks shared by every model
# ---------------------------------------------------------------------------




def _as_matrix(X, n_features):
    """Check ``X`` is a finite (n, n_features) numeric array; return it as float64."""
    try:
        X = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise TypeError(f"X must be a numeric array of shape (n, {n_features}): {err}") from None
    if X.ndim != 2:
        hint = " (for one feature use X.reshape(-1, 1))" if X.ndim == 1 else ""
        raise ValueError(f"X must be 2-D with shape (n, {n_features}), got shape {X.shape}{hint}")
    if X.shape[1] != n_features:
        raise ValueError(
            f"X must have {n_features} features (columns), got shape {X.shape}"
        )
    if X.shape[0] == 0:
        raise ValueError("X must have at least one row, got an empty batch")
    if not np.all(np.isfinite(X)):
        raise ValueError("X contains NaN or infinite values; all inputs must be finite")
    return X


def _as_targets(y, n_rows, n_classes):
    """Check ``y`` matches ``X``: float targets, or integer labels in [0, n_classes).

    ``n_classes=None`` means regression (real-valued targets).
    """
    try:
        y = np.asarray(y)
        if n_classes is None:
            y = y.astype(np.float64, copy=False)
    except (TypeError, ValueError) as err:
        raise TypeError(f"y must be a numeric array of shape ({n_rows},): {err}") from None
    if y.ndim != 1:
        hint = " (use y.ravel())" if y.ndim == 2 and 1 in y.shape else ""
        raise ValueError(f"y must be 1-D with shape ({n_rows},), got shape {y.shape}{hint}")
    if y.shape[0] != n_rows:
        raise ValueError(f"y has {y.shape[0]} entries but X has {n_rows} rows; they must match")
    if n_classes is None:
        if not np.all(np.isfinite(y)):
            raise ValueError("y contains NaN or infinite values; all targets must be finite")
        return y
    # Classification: labels must be whole numbers 0 .. n_classes - 1.
    if y.dtype == bool or not np.issubdtype(y.dtype, np.number):
        raise TypeError(f"y must hold integer class labels 0..{n_classes - 1}, got dtype {y.dtype}")
    if not np.issubdtype(y.dtype, np.integer):
        if not np.all(np.isfinite(y)) or np.any(y != np.round(y)):
            raise ValueError(
                f"y must hold integer class labels 0..{n_classes - 1}, got non-integer values"
            )
    if np.any(y < 0) or np.any(y >= n_classes):
        raise ValueError(
            f"y must hold class labels in 0..{n_classes - 1}, got values from "
            f"{y.min()} to {y.max()}"
        )
    return y.astype(np.int64, copy=False)


# ---------------------------------------------------------------------------
# The shared model shell
# ---------------------------------------------------------------------------


class Model:
    """Base class: everything a model needs except its forward and backward pass.

    A subclass sets ``params``, ``param_names``, ``n_features``, ``n_classes``
    (None for regression) and ``metric_name``, and implements:

    - ``_scores(X)``: the forward pass, returning what the loss head consumes;
    - ``_head(scores, y)``: the loss and its gradient with respect to the scores;
    - ``loss_and_grads(X, y)``: forward, loss head, backward;
    - ``predict(X)``: labels or values.

    ``loss``, ``metric``, ``copy`` and the input checks are written once here.
    """

    params: list
    param_names: list
    n_features: int
    n_classes: int | None
    metric_name: str

    # -- the parts a subclass provides ------------------------------------
    def _scores(self, X):
        raise NotImplementedError

    def _head(self, scores, y):
        raise NotImplementedError

    def loss_and_grads(self, X, y):
        """Return ``(loss, grads)``: the batch-mean loss and one gradient per param."""
        raise NotImplementedError

    def predict(self, X):
        """Return predictions for the rows of ``X``."""
        raise NotImplementedError

    # -- shared ------------------------------------------------------------
    def _check(self, X, y):
        """Validate and convert a batch; errors name ``X`` or ``y``."""
        X = _as_matrix(X, self.n_features)
        y = _as_targets(y, X.shape[0], self.n_classes)
        return X, y

    def loss(self, X, y):
        """Return the batch-mean loss only (a forward pass, no gradients)."""
        X, y = self._check(X, y)
        loss, _ = self._head(self._scores(X), y)
        return loss

    def metric(self, X, y):
        """Return the model's metric on ``(X, y)``: accuracy for classifiers, MSE for regression.

        Note that the "mse" metric is the plain mean of squared errors, twice the
        regression *loss* (which carries a factor 1/2 to simplify its gradient).
        """
        X, y = self._check(X, y)
        prediction = self.predict(X)
        if self.metric_name == "accuracy":
            return float(np.mean(prediction == y))
        return float(np.mean((prediction - y) ** 2))

    def copy(self):
        """Return an independent deep copy (new parameter arrays, same values)."""
        return _copy.deepcopy(self)

    @property
    def n_params(self):
        """Total number of scalar parameters."""
        return int(sum(p.size for p in self.params))

    def __repr__(self):
        named = zip(self.param_names, self.params)
        shapes = ", ".join(f"{name}{tuple(p.shape)}" for name, p in named)
        return f"{type(self).__name__}({shapes})"


# ---------------------------------------------------------------------------
# Linear and logistic regression
# ---------------------------------------------------------------------------


class LinearRegression(Model):
    """Linear regression trained on half the mean squared error.

    Math (n rows, targets y):
        prediction  p = X w + b
        loss        L = 0.5 * mean_i (p_i - y_i)^2
        gradients   dL/dp = (p - y) / n,  dL/dw = X^T dL/dp,  dL/db = sum_i dL/dp_i

    The factor 1/2 is a convention that cancels the 2 from differentiating the
    square, so the gradient is simply the mean residual times the input.
    ``metric`` reports the usual MSE (without the 1/2).

    Args:
        n_features: number of input columns of X.
        seed: seeds the small random initial weights (std 0.01); b starts at 0.

    Parameters: ``w`` of shape (n_features,) and ``b`` of shape (1,).

    >>> model = LinearRegression(1)
    >>> model.params[0][...] = 2.0          # set w in place, never rebind it
    >>> model.predict(np.array([[1.0], [3.0]]))
    array([2., 6.])
    """

    metric_name = "mse"
    n_classes = None

    def __init__(self, n_features, seed=0):
        self.n_features = _checks.integer("n_features", n_features, 1)
        rng = np.random.default_rng(seed)
        self.w = rng.normal(0.0, 0.01, size=self.n_features)
        self.b = np.zeros(1)
        self.params = [self.w, self.b]
        self.param_names = ["w", "b"]

    def _scores(self, X):
        return X @ self.w + self.b[0]

    def _head(self, scores, y):
        return _mse_head(scores, y)

    def predict(self, X):
        """Return the predicted values X w + b, shape (n,)."""
        return self._scores(_as_matrix(X, self.n_features))

    def loss_and_grads(self, X, y):
        """Return ``(0.5 * mean((Xw + b - y)^2), [dL/dw, dL/db])``."""
        X, y = self._check(X, y)
        loss, dp = _mse_head(self._scores(X), y)
        return loss, [X.T @ dp, np.array([dp.sum()])]


class LogisticRegression(Model):
    """Logistic regression: binary (sigmoid) for 2 classes, softmax for more.

    Binary, ``n_classes=2`` (labels 0/1, parameters ``w`` (n_features,), ``b`` (1,)):
        logit  z = X w + b,  p = sigmoid(z) = P(y = 1 | x)
        loss   L = mean_i [log(1 + exp(z_i)) - y_i z_i]      (binary cross-entropy)
        grads  dL/dz = (sigmoid(z) - y) / n,  dL/dw = X^T dL/dz,  dL/db = sum dL/dz

    Softmax, ``n_classes=K > 2`` (labels 0..K-1, parameters ``W`` (n_features, K), ``b`` (K,)):
        logits Z = X W + b
        loss   L = -mean_i log softmax(Z_i)[y_i]             (cross-entropy)
        grads  dL/dZ = (softmax(Z) - onehot(y)) / n,  dL/dW = X^T dL/dZ,  dL/db = column sums

    Both losses are computed from logits with ``logaddexp`` / log-sum-exp, so
    huge logits give a finite loss and no overflow warning.

    Args:
        n_features: number of input columns of X.
        n_classes: 2 (binary) or more (softmax).
        seed: seeds the small random initial weights (std 0.01); biases start at 0.

    >>> model = LogisticRegression(3, n_classes=4)
    >>> [p.shape for p in model.params]
    [(3, 4), (4,)]
    """

    metric_name = "accuracy"

    def __init__(self, n_features, n_classes=2, seed=0):
        self.n_features = _checks.integer("n_features", n_features, 1)
        self.n_classes = _checks.integer("n_classes", n_classes, 2)
        self.binary = self.n_classes == 2
        rng = np.random.default_rng(seed)
        if self.binary:
            self.W = rng.normal(0.0, 0.01, size=self.n_features)
            self.b = np.zeros(1)
            self.param_names = ["w", "b"]
        else:
            self.W = rng.normal(0.0, 0.01, size=(self.n_features, self.n_classes))
            self.b = np.zeros(self.n_classes)
            self.param_names = ["W", "b"]
        self.params = [self.W, self.b]

    def _scores(self, X):
        # Binary: one logit per row, shape (n,). Softmax: K logits per row, shape (n, K).
        return X @ self.W + (self.b[0] if self.binary else self.b)

    def _head(self, scores, y):
        return _binary_head(scores, y) if self.binary else _softmax_head(scores, y)

    def predict_proba(self, X):
        """Class probabilities, shape (n, n_classes); each row sums to 1."""
        scores = self._scores(_as_matrix(X, self.n_features))
        if self.binary:
            p1 = sigmoid(scores)
            return np.column_stack([1.0 - p1, p1])
        return softmax(scores)

    def predict(self, X):
        """Most probable class for each row, as int64 labels."""
        scores = self._scores(_as_matrix(X, self.n_features))
        if self.binary:
            return (scores > 0).astype(np.int64)  # sigmoid(z) > 1/2 exactly when z > 0
        return np.argmax(scores, axis=1).astype(np.int64)

    def loss_and_grads(self, X, y):
        """Return ``(cross-entropy, [dL/dW, dL/db])``; see the class docstring for the math."""
        X, y = self._check(X, y)
        loss, dZ = self._head(self._scores(X), y)
        dW = X.T @ dZ
        db = np.array([dZ.sum()]) if self.binary else dZ.sum(axis=0)
        return loss, [dW, db]


# ---------------------------------------------------------------------------
# Multi-layer perceptron
# ---------------------------------------------------------------------------

# Each activation is (f, f') with the derivative written in terms of the
# layer's *input* z and *output* a = f(z), whichever is cheaper.


def _relu(z):
    return np.maximum(z, 0.0)


def _relu_grad(z, a):
    return (z > 0).astype(np.float64)  # slope 1 where active, 0 elsewhere (0 at the kink)


def _tanh_grad(z, a):
    return 1.0 - a**2  # d tanh(z)/dz = 1 - tanh(z)^2


def _sigmoid_grad(z, a):
    return a * (1.0 - a)  # d sigmoid(z)/dz = s (1 - s), at most 1/4: why deep sigmoid nets vanish


ACTIVATIONS = {
    "relu": (_relu, _relu_grad),
    "tanh": (np.tanh, _tanh_grad),
    "sigmoid": (sigmoid, _sigmoid_grad),
}


def _init_std(init, fan_in, fan_out):
    """Standard deviation of the normal initialisation for one weight matrix.

    He:     std = sqrt(2 / fan_in)             (keeps ReLU activations' scale)
    Glorot: std = sqrt(2 / (fan_in + fan_out)) (Xavier normal, for tanh/sigmoid)
    float:  that std, as given.
    """
    if init == "he":
        return np.sqrt(2.0 / fan_in)
    if init == "glorot":
        return np.sqrt(2.0 / (fan_in + fan_out))
    return float(init)


def _check_mlp_args(layer_sizes, activation, init, task):
    """Validate the MLP constructor's arguments; return layer_sizes as a list of ints."""
    if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
        raise TypeError(f"layer_sizes must be a list of ints like [64, 32, 10], got {layer_sizes!r}")
    if len(layer_sizes) < 2:
        raise ValueError(
            f"layer_sizes needs at least an input and an output size, got {list(layer_sizes)!r}"
        )
    sizes = [_checks.integer("layer_sizes entries", d, 1) for d in layer_sizes]
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
    if task not in ("classification", "regression"):
        raise ValueError(f"task must be 'classification' or 'regression', got {task!r}")
    allowed = f"init must be 'he', 'glorot' or a float std >= 0, got {init!r}"
    if isinstance(init, str):
        if init not in ("he", "glorot"):
            raise ValueError(allowed)
    elif isinstance(init, bool) or not isinstance(init, numbers.Real):
        raise TypeError(allowed)
    elif not np.isfinite(init) or init < 0:
        raise ValueError(allowed)
    if task == "classification" and sizes[-1] < 2:
        raise ValueError(
            "layer_sizes must end with the number of classes (>= 2) for classification, "
            f"got {sizes[-1]}"
        )
    if task == "regression" and sizes[-1] != 1:
        raise ValueError(
            f"layer_sizes must end with 1 for regression (one target), got {sizes[-1]}"
        )
    return sizes


class MLP(Model):
    """A fully connected network with hand-written backpropagation.

    ``layer_sizes = [d_0, d_1, ..., d_L]``: d_0 inputs, d_L outputs, L layers.
    Layer l (1..L) has weights ``Wl`` of shape (d_{l-1}, d_l) and bias ``bl`` (d_l,).

    Forward (a_0 = X; f is the activation; the last layer has no activation):
        z_l = a_{l-1} W_l + b_l
        a_l = f(z_l)            for l < L,    scores = z_L

    Loss head:
        task="classification": softmax cross-entropy on integer labels 0..d_L-1
        task="regression":     0.5 * mean((z_L - y)^2), with d_L = 1 and y of shape (n,)

    Backward (the chain rule, one layer at a time, from the loss down):
        dz_L = dL/dscores                       (from the loss head)
        dW_l = a_{l-1}^T dz_l                   (z_l is linear in W_l)
        db_l = sum over rows of dz_l
        da_{l-1} = dz_l W_l^T                   (z_l is linear in a_{l-1})
        dz_{l-1} = da_{l-1} * f'(z_{l-1})       (elementwise: a = f(z))

    Each layer multiplies the gradient by W_l^T and by f'; when those factors are
    mostly below 1 (sigmoid's f' <= 1/4, tiny init) the first layers' gradients
    vanish, and when they are above 1 (large init) they explode.

    Args:
        layer_sizes: list of at least two positive ints, input dimension first.
        activation: "relu", "tanh" or "sigmoid" for every hidden layer.
        init: "he", "glorot", or a float >= 0, the std of N(0, std^2) weights.
            Biases start at zero.
        seed: seeds the weight initialisation.
        task: "classification" or "regression".

    >>> net = MLP([4, 16, 16, 3], activation="relu", init="he", seed=1)
    >>> net.param_names
    ['W1', 'b1', 'W2', 'b2', 'W3', 'b3']
    """

    def __init__(self, layer_sizes, activation="relu", init="he", seed=0, task="classification"):
        sizes = _check_mlp_args(layer_sizes, activation, init, task)
        self.layer_sizes = sizes
        self.activation = activation
        self.init = init
        self.task = task
        self.n_features = sizes[0]
        self.n_classes = sizes[-1] if task == "classification" else None
        self.metric_name = "accuracy" if task == "classification" else "mse"
        self._f, self._f_grad = ACTIVATIONS[activation]

        rng = np.random.default_rng(seed)
        self.weights, self.biases = [], []
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
            std = _init_std(init, fan_in, fan_out)
            self.weights.append(rng.normal(0.0, 1.0, size=(fan_in, fan_out)) * std)
            self.biases.append(np.zeros(fan_out))
        self.params, self.param_names = [], []
        for l, (W, b) in enumerate(zip(self.weights, self.biases), start=1):
            self.params += [W, b]
            self.param_names += [f"W{l}", f"b{l}"]

    @property
    def n_layers(self):
        """Number of weight layers L (hidden layers plus the output layer)."""
        return len(self.weights)

    def _forward(self, X):
        """Forward pass keeping what backprop needs: inputs a_{l-1} and pre-activations z_l."""
        a, zs, activations = X, [], [X]
        for l, (W, b) in enumerate(zip(self.weights, self.biases)):
            z = a @ W + b
            zs.append(z)
            if l < self.n_layers - 1:  # hidden layer: apply the nonlinearity
                a = self._f(z)
                activations.append(a)
        return zs, activations

    def _scores(self, X):
        zs, _ = self._forward(X)
        # Regression has one output column; the target is 1-D, so drop the column.
        return zs[-1][:, 0] if self.task == "regression" else zs[-1]

    def _head(self, scores, y):
        return _softmax_head(scores, y) if self.task == "classification" else _mse_head(scores, y)

    def predict_proba(self, X):
        """Class probabilities (classification only), shape (n, n_classes)."""
        if self.task != "classification":
            raise ValueError("predict_proba needs task='classification'; this MLP does regression")
        return softmax(self._scores(_as_matrix(X, self.n_features)))

    def predict(self, X):
        """Class labels (int64) for classification, predicted values (n,) for regression."""
        scores = self._scores(_as_matrix(X, self.n_features))
        if self.task == "classification":
            return np.argmax(scores, axis=1).astype(np.int64)
        return scores

    def loss_and_grads(self, X, y):
        """Return ``(loss, grads)`` with grads ordered like ``params`` (W1, b1, W2, b2, ...)."""
        X, y = self._check(X, y)
        zs, activations = self._forward(X)
        scores = zs[-1][:, 0] if self.task == "regression" else zs[-1]
        loss, dscores = self._head(scores, y)

        # dz holds dL/dz_l for the current layer l, starting at the output.
        dz = dscores[:, None] if self.task == "regression" else dscores
        grads_W, grads_b = [None] * self.n_layers, [None] * self.n_layers
        for l in reversed(range(self.n_layers)):
            grads_W[l] = activations[l].T @ dz  # dW_l = a_{l-1}^T dz_l
            grads_b[l] = dz.sum(axis=0)  # db_l = sum over the batch
            if l > 0:
                da = dz @ self.weights[l].T  # da_{l-1} = dz_l W_l^T
                dz = da * self._f_grad(zs[l - 1], activations[l])  # through f at layer l-1

        grads = []
        for dW, db in zip(grads_W, grads_b):
            grads += [dW, db]
        return loss, grads

    def __repr__(self):
        return (
            f"MLP({self.layer_sizes}, activation={self.activation!r}, "
            f"init={self.init!r}, task={self.task!r})"
        )
