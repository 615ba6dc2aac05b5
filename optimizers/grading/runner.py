"""Run one submitted notebook in a separate, limited process and collect its scores.

The batch grader never trusts a notebook's stored outputs and never runs it in its
own process. For each submission, :class:`Sandbox` copies the notebook into a fresh
temporary folder and starts ``python -m optimizers.grading.runner`` there. That
child process:

1. lowers its resource limits (CPU time, memory, size of any file it writes);
2. reads the notebook and imports the course's tasks;
3. when the grader runs as root, switches to the unprivileged ``nobody`` user, so
   the submission cannot change the course, other submissions or the grader
   (modules in folders ``nobody`` cannot reach, such as a Python installed under
   ``/root``, stay importable through folder handles opened before the switch);
4. runs the code cells in order in one namespace, like *Run All* (IPython
   ``%magics`` and ``!shell`` lines are skipped; a cell that raises is noted and
   the next cell runs); output is capped;
5. grades every task of the exercise on the objects the notebook defined and
   writes the results, one JSON line per task, to a file the parent named.

The parent enforces a wall-clock time limit and, at the end, kills the child's
whole process group and any process it started that tried to leave the group, so
no process outlives the grading.

Limits of the isolation: the submission runs as an ordinary user, not in a
container. Run the grader as root (e.g. in a throw-away container) to get the user
switch; run by an ordinary user, a submission has that user's permissions.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import io
import json
import linecache
import os
import re
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import types
from dataclasses import dataclass, field
from pathlib import Path

#: Notebooks larger than this are refused without being read.
MAX_NOTEBOOK_BYTES = 50 * 2**20
#: Text a submission may print before the rest of its output is dropped.
OUTPUT_LIMIT_BYTES = 2**20
#: Largest file a submission may write (a backstop for output written past Python).
FILE_LIMIT_BYTES = 16 * 2**20
#: Address-space limit of the grading process.
MEMORY_LIMIT_BYTES = 4 * 2**30
#: Processes the unprivileged user may have at once (stops fork bombs).
PROCESS_LIMIT = 256
#: Default wall-clock seconds for one submission.
DEFAULT_TIMEOUT = 120.0

_CHECK_CALL = re.compile(r"""\bcheck\(\s*["']([A-Za-z_]\w*)["']""")
# Cell magics whose body is still Python; any other (%%bash, %%html...) is skipped.
_PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun"}


# ---------------------------------------------------------------------------
# Reading a notebook (parent and child)
# ---------------------------------------------------------------------------

class InvalidNotebook(Exception):
    """The file is not a notebook the grader can run; the message says why."""


def read_notebook(path) -> dict:
    """Load and sanity-check a notebook file; raise :class:`InvalidNotebook` if it is not one."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_NOTEBOOK_BYTES:
            raise InvalidNotebook(f"the file is {size / 2**20:.0f} MB, more than the "
                                  f"{MAX_NOTEBOOK_BYTES // 2**20} MB a notebook may have")
        data = path.read_bytes()
    except OSError as error:
        raise InvalidNotebook(f"cannot read the file ({error.strerror or error})") from None
    try:
        notebook = json.loads(data)
    except UnicodeDecodeError:
        raise InvalidNotebook("the file is not text (not UTF-8)") from None
    except ValueError as error:
        raise InvalidNotebook(f"not valid JSON ({error})") from None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise InvalidNotebook("valid JSON but not a Jupyter notebook (no list of cells)")
    if not isinstance(notebook.get("nbformat"), int) or notebook["nbformat"] < 4:
        raise InvalidNotebook("not a Jupyter notebook in format 4 (open and save it in JupyterLab)")
    for number, cell in enumerate(notebook["cells"], start=1):
        source = cell.get("source") if isinstance(cell, dict) else None
        if not isinstance(cell, dict) or not isinstance(cell.get("cell_type"), str) or not (
                isinstance(source, str)
                or (isinstance(source, list) and all(isinstance(s, str) for s in source))):
            raise InvalidNotebook(f"cell {number} is malformed (no cell type or source text)")
    return notebook


def cell_text(cell) -> str:
    """A cell's source as one string (notebooks store it as a string or a list of lines)."""
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def code_cells(notebook) -> list[tuple[int, str]]:
    """``(cell number counting from 1, source)`` of each code cell, in order."""
    return [(number, cell_text(cell)) for number, cell in enumerate(notebook["cells"], start=1)
            if cell["cell_type"] == "code"]


def identify_exercise(notebook, tasks=None) -> str | None:
    """Which exercise a notebook is, from its content; never from its file name.

    First the notebook metadata ``{"optimizers_course": {"exercise": ...}}`` if it
    names an exercise with tasks; otherwise the exercise most of its
    ``check("task_name", ...)`` calls belong to; None if neither tells.
    """
    if tasks is None:
        from .core import TASKS as tasks
    exercises = {t.exercise for t in tasks.values()}
    course = notebook.get("metadata", {}) if isinstance(notebook.get("metadata"), dict) else {}
    course = course.get("optimizers_course")
    if isinstance(course, dict) and course.get("exercise") in exercises:
        return course["exercise"]
    votes: dict[str, int] = {}
    for _, source in code_cells(notebook):
        for name in _CHECK_CALL.findall(source):
            if name in tasks:
                votes[tasks[name].exercise] = votes.get(tasks[name].exercise, 0) + 1
    # Most votes wins; dict order (first seen) breaks ties.
    return max(votes, key=votes.get) if votes else None


def python_source(source: str) -> str:
    """A cell's code with IPython-only lines made harmless.

    ``%line magics`` and ``!shell commands`` become ``pass`` (keeping indentation,
    so a block stays valid); a cell magic such as ``%%time`` is dropped when its
    body is Python, and a non-Python cell (``%%bash``...) is skipped entirely.

    >>> print(python_source("%matplotlib inline\\nfor i in range(2):\\n    !ls\\nx = 1"))
    pass
    for i in range(2):
        pass
    x = 1
    """
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        magic = lines[0].lstrip()[2:].split(" ")[0].strip()
        if magic not in _PYTHON_CELL_MAGICS:
            return ""
        lines = lines[1:]
    kept = []
    for line in lines:
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")):
            line = line[: len(line) - len(stripped)] + "pass"
        kept.append(line)
    return "\n".join(kept)


# ---------------------------------------------------------------------------
# The parent side: one sandboxed process per submission
# ---------------------------------------------------------------------------

@dataclass
class RunReport:
    """What running one submission produced, as the parent saw it.

    ``status`` is ``"ok"`` (the notebook ran and every task was graded),
    ``"timeout"`` or ``"error"`` (``reason`` says what happened). ``tasks`` maps a
    task name to the runner's record (points, max_points, status, message) for the
    tasks graded before the process ended.
    """

    status: str
    reason: str = ""
    tasks: dict = field(default_factory=dict)
    cell_errors: list = field(default_factory=list)
    output_truncated: bool = False
    seconds: float = 0.0


def sandbox_user():
    """``(uid, gid)`` of ``nobody`` when running as root (submissions then run as it), else None."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    import pwd

    try:
        entry = pwd.getpwnam("nobody")
        return entry.pw_uid, entry.pw_gid
    except KeyError:
        return 65534, 65534


class Sandbox:
    """Temporary space where submissions run one after another; use it as a context manager.

    Args:
        timeout: wall-clock seconds allowed per submission (> 0).
        seed: seed of the grading cases (passed to every task).
        output_limit: bytes of printed output kept per submission.

    >>> with Sandbox(timeout=60, seed=1) as sandbox:      # doctest: +SKIP
    ...     report = sandbox.run("alice.ipynb", "05_adam")
    """

    def __init__(self, timeout=DEFAULT_TIMEOUT, seed=0, output_limit=OUTPUT_LIMIT_BYTES):
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
            raise ValueError(f"`timeout` must be a number of seconds > 0, got {timeout!r}.")
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise TypeError(f"`seed` must be an integer >= 0, got {seed!r}.")
        self.timeout = float(timeout)
        self.seed = seed
        self.output_limit = int(output_limit)
        self.user = sandbox_user()
        self.root = None
        self._runs = 0
        self._was_subreaper = None

    def __enter__(self):
        self.root = Path(tempfile.mkdtemp(prefix="optimizers-grading-"))
        # Others may pass through (to reach their own work folder) but not list it.
        self.root.chmod(0o711)
        # One matplotlib cache for every run: building its font list takes seconds.
        (self.root / "matplotlib").mkdir(mode=0o755)
        self._was_subreaper = _set_child_subreaper(True)
        return self

    def __exit__(self, *exc_info):
        if self._was_subreaper is False:
            _set_child_subreaper(False)
        _remove_tree(self.root)
        self.root = None

    def run(self, notebook_path, exercise) -> RunReport:
        """Run one notebook of ``exercise`` in a fresh folder and process; return its report."""
        if self.root is None:
            raise RuntimeError("Use the Sandbox in a `with` block.")
        notebook_path = Path(notebook_path)
        self._runs += 1
        private = self.root / f"run-{self._runs}"   # only the grader can read or write here
        work = self.root / f"work-{self._runs}"     # the submission's cwd and HOME
        private.mkdir(mode=0o700)
        work.mkdir(mode=0o700)
        try:
            copy = work / "submission.ipynb"
            shutil.copyfile(notebook_path, copy)
            if self.user is not None:
                os.chown(work, *self.user)
                os.chown(copy, *self.user)
            return self._run_child(copy, exercise, work, private)
        finally:
            _remove_tree(work)
            _remove_tree(private)

    def _run_child(self, notebook, exercise, work, private) -> RunReport:
        results = private / f"results-{secrets.token_hex(8)}.jsonl"
        command = [sys.executable, "-m", "optimizers.grading.runner",
                   "--notebook", str(notebook), "--exercise", exercise,
                   "--results", str(results), "--seed", str(self.seed),
                   "--cpu-seconds", str(int(self.timeout) + 5),
                   "--output-bytes", str(self.output_limit)]
        if self.user is not None:
            command += ["--user", f"{self.user[0]}:{self.user[1]}"]
        before = _descendants(os.getpid())
        output_path = private / "output.txt"
        start = time.monotonic()
        with open(output_path, "wb") as output:
            process = subprocess.Popen(command, cwd=work, env=self._environment(work),
                                       stdin=subprocess.DEVNULL, stdout=output,
                                       stderr=subprocess.STDOUT, start_new_session=True)
            timed_out = False
            try:
                process.wait(timeout=self.timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
            finally:  # also on Ctrl+C in the grader: nothing may outlive it
                _end_process_tree(process, before)
        report = _read_results(results, process.returncode, timed_out, self.timeout)
        report.seconds = time.monotonic() - start
        if output_path.stat().st_size >= FILE_LIMIT_BYTES:
            report.output_truncated = True
        return report

    def _environment(self, work):
        """A small, explicit environment: no secrets of the grader's leak into submissions."""
        package_parent = str(Path(__file__).resolve().parents[2])
        python_path = [package_parent] + [os.path.abspath(entry) for entry in
                                          os.environ.get("PYTHONPATH", "").split(os.pathsep) if entry]
        from .core import SEED_VARIABLE, TASK_MODULES_VARIABLE

        env = {
            "PATH": os.environ.get("PATH", os.defpath),
            "HOME": str(work), "TMPDIR": str(work),
            "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8",
            "PYTHONPATH": os.pathsep.join(dict.fromkeys(python_path)),
            "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0",
            "MPLBACKEND": "Agg", "MPLCONFIGDIR": str(self.root / "matplotlib"),
            # One BLAS thread: fair timing between submissions, and fewer processes.
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            SEED_VARIABLE: str(self.seed),
        }
        if os.environ.get(TASK_MODULES_VARIABLE):
            env[TASK_MODULES_VARIABLE] = os.environ[TASK_MODULES_VARIABLE]
        return env


def _read_results(path, returncode, timed_out, timeout) -> RunReport:
    """Turn the child's JSON lines and exit status into a :class:`RunReport`."""
    events = []
    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            for line in file:
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                if isinstance(event, dict):
                    events.append(event)
    except OSError:
        pass
    report = RunReport(status="ok")
    finished = False
    for event in events:
        kind = event.get("event")
        if kind == "task" and isinstance(event.get("name"), str):
            # The last record of a task wins: the runner writes it after the
            # learner's code has run, so a forged earlier line is overridden.
            report.tasks[event["name"]] = event
        elif kind == "cells" and isinstance(event.get("errors"), list):
            report.cell_errors = [str(error) for error in event["errors"]]
        elif kind == "done":
            finished = True
            report.output_truncated = bool(event.get("output_truncated"))
        elif kind == "fatal":
            report.status = "error"
            report.reason = f"the grader could not run this notebook ({event.get('error')})"
            return report
    if timed_out:
        report.status, report.reason = "timeout", f"no result after {timeout:g} s"
    elif finished:
        pass
    elif returncode is not None and returncode < 0:
        number = -returncode
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        if number == getattr(signal, "SIGXCPU", None):
            report.status, report.reason = "timeout", "CPU time limit reached"
        elif number == signal.SIGKILL:
            report.status, report.reason = "error", "the grading process was killed (out of memory?)"
        else:
            report.status, report.reason = "error", f"the grading process crashed ({name})"
    else:
        report.status = "error"
        report.reason = (f"the submission ended the grading process "
                         f"(exit code {returncode}, as os._exit does)")
    return report


def _set_child_subreaper(on: bool):
    """Make orphaned descendants our children (Linux), so a process that escapes
    the submission's process group can still be found and killed. Returns the
    previous setting, or None where this is not available."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        previous = ctypes.c_int(0)
        libc.prctl(37, ctypes.byref(previous), 0, 0, 0)  # PR_GET_CHILD_SUBREAPER
        if libc.prctl(36, int(on), 0, 0, 0) != 0:          # PR_SET_CHILD_SUBREAPER
            return None
        return bool(previous.value)
    except (OSError, AttributeError):
        return None


def _descendants(root_pid) -> set[int]:
    """Process ids below ``root_pid`` in the process tree (empty where /proc is missing)."""
    children: dict[int, list[int]] = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return set()
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as file:
                stat = file.read().decode("ascii", "replace")
            parent = int(stat[stat.rindex(")") + 2:].split()[1])
        except (OSError, ValueError, IndexError):
            continue  # the process ended while we looked
        children.setdefault(parent, []).append(int(name))
    found, todo = set(), [root_pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _end_process_tree(process, before):
    """Kill the submission's process group, then any stray descendant, and reap them."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    me = os.getpid()
    for _ in range(500):
        strays = _descendants(me) - before
        if not strays:
            break
        for pid in strays:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                os.waitpid(pid, os.WNOHANG)  # strays re-parented to us (subreaper)
            except ChildProcessError:
                pass
        time.sleep(0.01)


def _remove_tree(path):
    """Delete a folder even if a submission removed permissions inside it."""
    if path is None or not os.path.lexists(path):
        return

    def make_writable_and_retry(function, name, _):
        try:
            os.chmod(os.path.dirname(name), 0o700)
            os.chmod(name, 0o700)
            function(name)
        except OSError:
            pass

    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=make_writable_and_retry)
    else:
        shutil.rmtree(path, onerror=make_writable_and_retry)


# ---------------------------------------------------------------------------
# The child side: python -m optimizers.grading.runner ...
# ---------------------------------------------------------------------------

class _CappedOutput(io.TextIOBase):
    """A text stream that writes to a file descriptor until a shared byte budget is spent."""

    def __init__(self, fd, budget):
        self._fd = fd
        self._budget = budget

    @property
    def encoding(self):
        return "utf-8"

    def writable(self):
        return True

    def fileno(self):
        return self._fd

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        data = self._budget.take(text.encode("utf-8", "replace"))
        try:
            while data:
                data = data[os.write(self._fd, data):]
        except OSError:
            pass  # the file size limit was reached: drop the rest
        return len(text)


class _OutputBudget:
    """Bytes of output left for stdout and stderr together; notes when it ran out."""

    def __init__(self, limit):
        self.left = limit
        self.truncated = False

    def take(self, data: bytes) -> bytes:
        if self.truncated:
            return b""
        if len(data) <= self.left:
            self.left -= len(data)
            return data
        self.truncated = True
        return data[: self.left] + b"\n[output truncated by the grader]\n"


def _capture_output(limit) -> _OutputBudget:
    """Route Python-level stdout and stderr through one capped budget."""
    budget = _OutputBudget(limit)
    sys.stdout, sys.stderr = _CappedOutput(1, budget), _CappedOutput(2, budget)
    return budget


def _set_limits(cpu_seconds, file_bytes, memory_bytes, processes):
    """Lower this process's resource limits (never raise them)."""
    import resource

    def lower(kind, soft, hard=None):
        hard = soft if hard is None else hard
        _, old_hard = resource.getrlimit(kind)
        if old_hard != resource.RLIM_INFINITY:
            hard = min(hard, old_hard)
        try:
            resource.setrlimit(kind, (min(soft, hard), hard))
        except (ValueError, OSError):
            pass  # e.g. macOS refuses some limits; the wall-clock limit still holds

    lower(resource.RLIMIT_CPU, cpu_seconds, cpu_seconds + 5)  # SIGXCPU, then SIGKILL
    lower(resource.RLIMIT_FSIZE, file_bytes)
    lower(resource.RLIMIT_AS, memory_bytes)
    lower(resource.RLIMIT_CORE, 0)
    if processes is not None:
        lower(resource.RLIMIT_NPROC, processes)


def _become(uid, gid):
    """Drop root for good: no way back once the saved user id is not 0."""
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)
    if os.getuid() != uid or os.geteuid() != uid or os.getgid() != gid:
        raise RuntimeError("could not switch to the unprivileged user")


def _open_to_others(folder) -> bool:
    """Whether anyone may list and enter ``folder`` itself (mode bits only)."""
    try:
        mode = os.stat(folder).st_mode
    except OSError:
        return False
    return stat.S_ISDIR(mode) and bool(mode & stat.S_IROTH) and bool(mode & stat.S_IXOTH)


def _reachable_by_others(folder) -> bool:
    """Whether anyone may enter ``folder`` and every folder above it (mode bits only)."""
    path = os.path.abspath(folder)
    while True:
        try:
            if not os.stat(path).st_mode & stat.S_IXOTH:
                return False
        except OSError:
            return False
        parent = os.path.dirname(path)
        if parent == path:
            return True
        path = parent


class _FolderHandleFinder:
    """Imports pure-Python modules from folders the sandbox user cannot reach.

    Python itself may live where ``nobody`` may not go (e.g. pyenv under
    ``/root``). Before the user switch the runner opens a handle on each such
    folder of ``sys.path``; files opened *relative to a handle* need no right on
    the folders above it, so a module the notebook imports late (say
    ``fileinput``, deep inside scikit-learn) still loads. (The folder itself
    must be open to everyone; only the folders above it may be closed.) Compiled
    extension modules there are imported before the switch instead.
    """

    def __init__(self, folders):
        self.handles = {}
        for folder in folders:
            try:
                self.handles[folder] = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            except OSError:
                pass

    def _locate(self, path):
        """``(handle, path relative to its folder)`` for a path inside a handled folder."""
        path = os.path.abspath(path)
        for folder, handle in self.handles.items():
            if path == folder or path.startswith(folder + os.sep):
                return handle, os.path.relpath(path, folder)
        return None

    def _is_file(self, path):
        located = self._locate(path)
        if located is None:
            return False
        try:
            return stat.S_ISREG(os.stat(located[1], dir_fd=located[0]).st_mode)
        except OSError:
            return False

    def read(self, path) -> bytes:
        handle, relative = self._locate(path)
        fd = os.open(relative, os.O_RDONLY, dir_fd=handle)
        with os.fdopen(fd, "rb") as file:
            return file.read()

    def find_spec(self, fullname, path=None, target=None):
        name = fullname.rpartition(".")[2]
        for folder in (sys.path if path is None else path):
            if not isinstance(folder, str) or self._locate(folder or ".") is None:
                continue
            folder = os.path.abspath(folder or ".")
            package = os.path.join(folder, name, "__init__.py")
            module = os.path.join(folder, name + ".py")
            for filename, is_package in ((package, True), (module, False)):
                if self._is_file(filename):
                    loader = _FolderHandleLoader(fullname, filename, self)
                    locations = [os.path.dirname(filename)] if is_package else None
                    return importlib.util.spec_from_file_location(
                        fullname, filename, loader=loader, submodule_search_locations=locations)
        return None

    def invalidate_caches(self):
        pass


class _FolderHandleLoader(importlib.abc.SourceLoader):
    """Reads a module's source through a :class:`_FolderHandleFinder` (no bytecode cache)."""

    def __init__(self, fullname, path, finder):
        self.name, self.path, self.finder = fullname, path, finder

    def get_filename(self, fullname):
        return self.path

    def get_data(self, path):
        return self.finder.read(path)


def _prepare_unreachable_folders():
    """Before the user switch: load compiled modules and open handles for unreachable folders."""
    folders = [os.path.abspath(entry or ".") for entry in sys.path]
    # Open folders behind a closed one (e.g. /root/.pyenv/... under /root): a handle helps.
    unreachable = [f for f in dict.fromkeys(folders)
                   if _open_to_others(f) and not _reachable_by_others(f)]
    if not unreachable:
        return
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    for folder in unreachable:
        for entry in sorted(os.listdir(folder)):
            if entry.endswith(suffixes):
                name = entry.split(".")[0]
                if not name.startswith(_NEVER_PRELOAD_PREFIXES) and name not in sys.modules:
                    try:
                        importlib.import_module(name)
                    except Exception:
                        pass
    sys.meta_path.insert(0, _FolderHandleFinder(unreachable))


# Modules a notebook may import that are safe to load early (see _preload).
_THIRD_PARTY = {"numpy", "matplotlib", "optimizers", "sklearn", "scipy", "tqdm", "ipywidgets"}
_NEVER_PRELOAD = {"antigravity", "this", "turtle", "turtledemo", "tkinter", "idlelib", "__main__"}
# Compiled modules not worth loading ahead: tests, terminals, GUIs.
_NEVER_PRELOAD_PREFIXES = ("_test", "_xx", "xx", "_ctypes_test", "readline", "_curses", "_tkinter")


def _preload(sources):
    """Import what the notebook imports while the files are still readable.

    After the switch to ``nobody`` the Python installation may be unreadable (for
    example under root's home folder); modules already loaded keep working.
    """
    names = []
    for source in sources:
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.append(node.module)
                names += [f"{node.module}.{alias.name}" for alias in node.names]
    allowed = (set(sys.stdlib_module_names) | _THIRD_PARTY) - _NEVER_PRELOAD
    for name in dict.fromkeys(names):
        if name.split(".")[0] in allowed:
            try:
                importlib.import_module(name)
            except Exception:
                pass  # not a module (an attribute) or not installed: the cell will say


def _display(*objects, **_):
    """Stand-in for Jupyter's ``display``: print each object's repr."""
    for item in objects:
        print(repr(item))


def _cell_error(number, error) -> str:
    if isinstance(error, SystemExit):
        return f"cell {number} called sys.exit({error.code!r})"
    text = f"{type(error).__name__}: {str(error).strip()}".rstrip(": ")
    if len(text) > 300:
        text = text[:297] + "..."
    line = getattr(error, "lineno", None) if isinstance(error, SyntaxError) else None
    for frame in _traceback_frames(error):
        if frame.filename == f"<cell {number}>":
            line = frame.lineno
    return f"cell {number} raised {text}" + (f" (line {line})" if line else "")


def _traceback_frames(error):
    import traceback

    try:
        return traceback.extract_tb(error.__traceback__)
    except Exception:
        return []


def run_cells(cells, notebook_name="notebook.ipynb"):
    """Execute ``(number, source)`` cells in order in a fresh ``__main__`` namespace.

    Returns ``(namespace, errors)``: a cell that raises (SystemExit included) adds
    a line to ``errors`` and the next cell still runs, like *Run All* with errors
    allowed.
    """
    module = types.ModuleType("__main__")
    module.__dict__.update(__builtins__=builtins, display=_display)
    sys.modules["__main__"] = module
    sys.argv = [notebook_name]
    errors = []
    for number, source in cells:
        filename = f"<cell {number}>"
        # Lets tracebacks (and the checks' "where" line) quote the learner's code.
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        try:
            exec(compile(source, filename, "exec"), module.__dict__)
        except BaseException as error:  # noqa: B902 - exit() and Ctrl+C alike cost one cell
            errors.append(_cell_error(number, error))
        finally:
            _close_figures()
    return module.__dict__, errors


def _close_figures():
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        try:
            pyplot.close("all")
        except Exception:
            pass


class _Reporter:
    """Writes one JSON line per event to the results file, opened before the user switch."""

    def __init__(self, path):
        self._file = open(path, "a", encoding="utf-8")

    def emit(self, **event):
        try:
            self._file.write(json.dumps(event, default=str) + "\n")
            self._file.flush()
        except (OSError, ValueError):
            pass


def _child_arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m optimizers.grading.runner",
                                     description="Internal: run one notebook for the batch grader.")
    parser.add_argument("--notebook", required=True)
    parser.add_argument("--exercise", required=True)
    parser.add_argument("--results", required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cpu-seconds", type=int, default=int(DEFAULT_TIMEOUT) + 5)
    parser.add_argument("--output-bytes", type=int, default=OUTPUT_LIMIT_BYTES)
    parser.add_argument("--user", default=None, help="uid:gid to switch to (needs root)")
    return parser.parse_args(argv)


def main(argv=None):
    """Child entry point: run the notebook, grade it, write results, and exit."""
    args = _child_arguments(argv)
    user = tuple(int(part) for part in args.user.split(":")) if args.user else None
    if hasattr(signal, "SIGXFSZ"):
        # Past the file size limit a write should fail quietly, not kill the process.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    _set_limits(args.cpu_seconds, FILE_LIMIT_BYTES, MEMORY_LIMIT_BYTES,
                PROCESS_LIMIT if user else None)
    reporter = _Reporter(args.results)
    try:
        import warnings

        warnings.filterwarnings("ignore", message=".*non-interactive.*")  # plt.show() under Agg
        cells = [(number, python_source(source))
                 for number, source in code_cells(read_notebook(args.notebook))]
        from . import core

        core.load_task_modules()
        tasks = core.exercise_tasks(args.exercise)
        if not tasks:
            raise RuntimeError(f"no tasks are registered for exercise {args.exercise!r}")
        if user:
            _preload(source for _, source in cells)
            _prepare_unreachable_folders()
        output = _capture_output(args.output_bytes)
        if user:
            _become(*user)
        namespace, errors = run_cells(cells, Path(args.notebook).name)
        reporter.emit(event="cells", count=len(cells), errors=errors)
        missing = object()
        for the_task in tasks:
            student = namespace.get(the_task.target, missing)
            if student is missing:
                result = core.Result(the_task.name, 0, the_task.points, "not attempted", [],
                                     f"{the_task.name}: not attempted (0/{the_task.points:g} points)"
                                     f" - the notebook defines no `{the_task.target}`")
            else:
                try:
                    result = core.grade(the_task.name, student, seed=args.seed)
                except BaseException as error:  # e.g. KeyboardInterrupt raised by the learner
                    result = core.Result(the_task.name, 0, the_task.points, "error", [],
                                         f"{the_task.name}: error (0/{the_task.points:g} points)"
                                         f" - {type(error).__name__}")
            reporter.emit(event="task", name=result.name, points=result.points,
                          max_points=result.max_points, status=result.status,
                          passed=sum(case.passed for case in result.cases),
                          total=len(result.cases), message=result.message)
        reporter.emit(event="done", output_truncated=output.truncated)
    except BaseException as error:  # noqa: B902 - report anything, then exit
        reporter.emit(event="fatal", error=f"{type(error).__name__}: {error}")
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        # Skip atexit handlers and threads the submission may have left behind.
        os._exit(0)


if __name__ == "__main__":
    main()
