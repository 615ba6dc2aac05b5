"""Shared pytest set-up for the course's tests."""

import matplotlib

# Tests draw figures without a display; choose the file-only backend before
# any test imports pyplot.
matplotlib.use("Agg")
