"""Optimizers from scratch: a small NumPy library for learning how neural-network optimizers work.

The optimizers follow Keras 3's names, defaults and update rules::

    import optimizers as opt
    adam = opt.Adam(learning_rate=0.001)
    adam.apply(grads, params)        # updates params in place

Each optimizer is a thin shell (:mod:`optimizers.base`) around an update rule that
reads like the math, e.g. :func:`optimizers.adam.adam_update`.
"""

from .adabelief import AdaBelief
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .adamax import Adamax
from .base import Optimizer
from .lion import Lion
from .lookahead import Lookahead
from .nadam import Nadam
from .radam import RAdam
from .rmsprop import RMSprop
from .sgd import SGD

from . import data, gradcheck, landscapes, models, schedules  # noqa: E402  (used as opt.landscapes.bowl)
from .schedules import (CosineDecay, CosineDecayRestarts, ExponentialDecay, InverseTimeDecay,  # noqa: E402
                        PiecewiseConstantDecay, PolynomialDecay)
from .trajectory import Trajectory, run, sweep  # noqa: E402
from .training import History, fit  # noqa: E402
from . import training  # noqa: E402

#: Every optimizer class by name (Lookahead wraps another optimizer).
ALL = {cls.__name__: cls for cls in (SGD, RMSprop, Adam, AdamW, Adagrad, Adadelta, Adamax, Nadam,
                                     Lion, RAdam, AdaBelief, Lookahead)}

__version__ = "0.1.0"
