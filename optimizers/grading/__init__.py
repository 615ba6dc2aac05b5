"""Checks for the exercises, and the batch grader for submitted notebooks.

In an exercise notebook::

    from optimizers.grading import check
    check("adam_step", adam_step)     # prints points, failed cases and hints

For instructors, grading a folder of submissions (each in its own process, with a
time limit) into a table, a CSV file and one feedback file per submission::

    python -m optimizers.grading submissions/ --csv scores.csv --feedback feedback/

See :mod:`optimizers.grading.core` for writing a task and
:mod:`optimizers.grading.runner` for how a submission is run.
"""

from .core import (TASKS, Case, Result, Task, call_pure, check, compare, exercise_tasks,
                   format_result, grade, load_task_modules, task)

__all__ = ["check", "task", "compare", "call_pure", "TASKS", "Case", "Result", "Task",
           "exercise_tasks", "grade", "format_result", "load_task_modules"]

# The course's tasks register themselves when imported; this comes last because
# they import the names above from this package.
load_task_modules()
