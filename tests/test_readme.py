"""The README's Python examples run as written, so the front door stays true."""

from __future__ import annotations

import re
from pathlib import Path

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
BLOCKS = re.findall(r"```python\n(.*?)```", README, re.S)


def test_readme_has_python_examples():
    assert BLOCKS


def test_readme_python_examples_run():
    for block in BLOCKS:
        exec(compile(block, "README.md", "exec"), {})


def test_readme_lists_every_lesson_and_exercise():
    root = Path(__file__).resolve().parents[1]
    for folder in ("notebooks", "exercises"):
        for notebook in sorted((root / folder).glob("[0-9][0-9]_*.ipynb")):
            assert f"{folder}/{notebook.name}" in README, f"{folder}/{notebook.name} is missing from the README"
