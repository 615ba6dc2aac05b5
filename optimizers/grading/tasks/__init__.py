"""The checks of the course's exercises, one module per exercise notebook.

Importing this package registers every task in :data:`optimizers.grading.TASKS`.
Module ``NN_topic`` holds the tasks of ``exercises/NN_topic.ipynb``; their names are
the names of the functions or classes the learner writes there, e.g. ``adam_step``.

The module names start with a digit (like the notebooks they belong to), which an
``import`` statement cannot spell, so they are imported by name here.
"""

import importlib

#: The exercises, in course order (each is also the module name of its tasks).
EXERCISES = (
    "01_gradient_descent",
    "02_minibatches",
    "03_momentum",
    "04_rmsprop",
    "05_adam",
    "06_schedules",
    "07_clipping",
    "08_diagnosing_training",
    "09_lion_adabelief",
    "10_capstone_digits",
)

for _exercise in EXERCISES:
    importlib.import_module(f"{__name__}.{_exercise}")
del _exercise
