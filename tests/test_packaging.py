"""Packaging checks: one environment in two files, safe `make lab`, CI, notebooks.

- pyproject.toml and environment.yml list the same packages with the same bounds;
- `make lab` serves on 127.0.0.1 with token authentication on (checked on a live
  server), and neither the Makefile nor the README ever says to switch that off;
- .ci/run runs `make test`; every lesson notebook is valid nbformat 4;
- the nbval sanitizers hide what changes between runs and nothing else.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import shutil
import socket
import stat
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parent.parent

# PyPI name -> conda-forge name, only where they differ. conda-forge's
# "matplotlib" also pulls in a Qt GUI; "matplotlib-base" is the library alone.
CONDA_NAMES = {"matplotlib": "matplotlib-base"}

# In environment.yml but not a Python dependency of the package.
CONDA_ONLY = {"python", "pip"}

# pip lines in environment.yml that install this checkout itself.
LOCAL_INSTALLS = {"-e .", "."}

# Ways to switch off token authentication or listen on every network interface.
UNSAFE_SERVER_SETTINGS = [
    re.compile(r"\.token\s*=\s*(''|\"\"|(?=\s)|$)", re.MULTILINE),  # an empty token
    re.compile(r"\.password\s*=\s*(''|\"\"|(?=\s)|$)", re.MULTILINE),
    re.compile(r"0\.0\.0\.0"),
    re.compile(r"--ip\s*=\s*['\"]?\*"),
    re.compile(r"\.ip\s*=\s*['\"]?\*"),
    re.compile(r"disable_check_xsrf"),
]


# ----------------------------------------------------------------- helpers ---


def normalise(name: str) -> str:
    """Canonical package name: lower case, runs of '-', '_', '.' become one '-'."""
    return re.sub(r"[-_.]+", "-", name).lower()


def split_requirement(text: str) -> tuple[str, str]:
    """Split 'numpy >= 1.26' into ('numpy', '>=1.26'); works for pip and conda specs."""
    match = re.fullmatch(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*?)\s*", text)
    assert match, f"cannot read requirement {text!r}"
    name, spec = match.groups()
    assert "[" not in spec and ";" not in spec, (
        f"{text!r}: extras and markers are not handled by this test; extend it"
    )
    return normalise(name), spec.replace(" ", "")


def pyproject() -> dict:
    with open(REPO / "pyproject.toml", "rb") as file:
        return tomllib.load(file)


def environment() -> dict:
    with open(REPO / "environment.yml") as file:
        return yaml.safe_load(file)


def pyproject_requirements() -> dict[str, str]:
    """Runtime dependencies plus the `test` extra, as {conda name: version spec}."""
    project = pyproject()["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["test"]
    pairs = [split_requirement(line) for line in wanted]
    return {normalise(CONDA_NAMES.get(name, name)): spec for name, spec in pairs}


def environment_requirements() -> tuple[dict[str, str], list[str]]:
    """environment.yml's packages as {name: spec} (conda and pip sections alike),
    and the pip lines that install a local path."""
    packages, local = {}, []
    for entry in environment()["dependencies"]:
        if isinstance(entry, dict):
            for line in entry.get("pip", []):
                if line.strip() in LOCAL_INSTALLS:
                    local.append(line.strip())
                else:
                    name, spec = split_requirement(line)
                    packages[name] = spec
        else:
            name, spec = split_requirement(str(entry))
            packages[name] = spec
    return packages, local


def make(*args: str) -> str:
    """Run make in the repository (isolated from any make that runs this test)."""
    if shutil.which("make") is None:
        pytest.fail("make is not installed; the README's commands need it")
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    result = subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def unsafe_settings_in(text: str) -> list[str]:
    return [m.group(0) for pattern in UNSAFE_SERVER_SETTINGS for m in pattern.finditer(text)]


def notebook_files() -> list[Path]:
    return sorted(
        path for path in (REPO / "notebooks").rglob("*.ipynb")
        if ".ipynb_checkpoints" not in path.parts
    )


def sanitizers() -> list[tuple[str, str]]:
    """The (regex, replacement) pairs of tests/nbval.cfg, read the way nbval reads them."""
    text = (REPO / "tests" / "nbval.cfg").read_text()
    return re.findall(r"^regex: (.*)$\n^replace: (.*)$", text, flags=re.MULTILINE)


def sanitize(text: str) -> str:
    for regex, replacement in sanitizers():
        text = re.sub(regex, replacement, text)
    return text


# ------------------------------------------------------ the helpers' own test ---


def test_requirement_parsing_handles_pip_and_conda_spellings():
    assert split_requirement("numpy>=1.26") == ("numpy", ">=1.26")
    assert split_requirement("Scikit_Learn >= 1.3") == ("scikit-learn", ">=1.3")
    assert split_requirement("python>=3.11") == ("python", ">=3.11")
    assert split_requirement("ipykernel") == ("ipykernel", "")
    assert normalise("PyYAML") == "pyyaml"
    assert normalise("jupyter.server__x") == "jupyter-server-x"


# ------------------------------------------------- one environment, two files ---


def test_pyproject_declares_the_package():
    data = pyproject()
    project = data["project"]
    assert project["name"] == "optimizers-from-scratch"
    assert project["version"] == "0.1.0"
    assert project["requires-python"] == ">=3.11"
    assert data["build-system"]["build-backend"] == "setuptools.build_meta"
    assert data["tool"]["setuptools"]["packages"]["find"]["include"] == ["optimizers*"]
    assert (REPO / "optimizers" / "__init__.py").is_file()
    pytest_config = data["tool"]["pytest"]["ini_options"]
    assert pytest_config["testpaths"] == ["tests"]
    assert "--strict-markers" in pytest_config["addopts"]


def test_every_pyproject_dependency_is_in_environment_yml_with_the_same_bounds():
    env_packages, _ = environment_requirements()
    for name, spec in pyproject_requirements().items():
        assert name in env_packages, f"{name} is in pyproject.toml but not in environment.yml"
        assert env_packages[name] == spec, (
            f"{name}: pyproject.toml says {spec!r}, environment.yml says {env_packages[name]!r}"
        )


def test_environment_yml_has_nothing_that_pyproject_lacks():
    env_packages, _ = environment_requirements()
    extra = set(env_packages) - set(pyproject_requirements()) - CONDA_ONLY
    assert not extra, f"in environment.yml but not in pyproject.toml: {sorted(extra)}"


def test_environment_yml_uses_conda_forge_python_and_installs_the_package():
    env = environment()
    assert env["name"] == "optimizers-course"
    assert env["channels"] == ["conda-forge"]
    env_packages, local = environment_requirements()
    # An exact minor version (repo2docker picks its base image from it) that
    # pyproject's requires-python allows.
    minimum = pyproject()["project"]["requires-python"]
    assert re.fullmatch(r">=3\.\d+", minimum)
    pinned = re.fullmatch(r"=(3)\.(\d+)", env_packages["python"])
    assert pinned, f"python: want python=3.X in environment.yml, got {env_packages['python']!r}"
    assert int(pinned.group(2)) >= int(minimum.split(".")[1])
    assert "pip" in env_packages, "a pip section needs pip itself in the environment"
    assert local, "environment.yml must install the course package (pip: - -e .)"


# ------------------------------------------------------------- make lab ---


def test_lab_arguments_bind_localhost_and_keep_the_token():
    lab_args = shlex.split(make("-s", "print-LAB_ARGS"))
    assert "--ServerApp.ip=127.0.0.1" in lab_args
    assert "--ServerApp.root_dir=." in lab_args
    assert lab_args[0] == "notebooks/00_start_here.ipynb"
    assert (REPO / lab_args[0]).is_file()
    assert not unsafe_settings_in(" ".join(lab_args))
    assert not any("token" in arg.lower() for arg in lab_args)
    # --allow-root is only for root, who cannot start JupyterLab without it.
    assert ("--allow-root" in lab_args) == (os.geteuid() == 0)


def test_make_lab_runs_jupyter_lab_with_those_arguments():
    lab_args = make("-s", "print-LAB_ARGS").strip()
    commands = [line for line in make("-n", "lab").splitlines()
                if re.search(r"/bin/jupyter\"? lab ", line)]
    assert len(commands) == 1, commands
    assert commands[0].rstrip().endswith(lab_args)


def test_makefile_and_readme_never_switch_off_authentication():
    for name in ("Makefile", "README.md"):
        text = (REPO / name).read_text()
        assert not unsafe_settings_in(text), f"{name}: {unsafe_settings_in(text)}"


def test_the_unsafe_setting_detector_catches_what_it_should():
    for unsafe in (
        "--IdentityProvider.token=''",
        '--NotebookApp.token=""',
        "--ServerApp.token= --no-browser",
        "--ServerApp.token=",
        "--ip=0.0.0.0",
        "--ServerApp.ip='*'",
        "--ServerApp.disable_check_xsrf=True",
    ):
        assert unsafe_settings_in(unsafe), unsafe
    for safe in ("--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=3f9a", "?token=..."):
        assert not unsafe_settings_in(safe), safe


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_status(url: str, token: str | None = None) -> int:
    request = urllib.request.Request(url)
    if token is not None:
        request.add_header("Authorization", f"token {token}")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_make_lab_server_refuses_requests_without_the_token(tmp_path):
    pytest.importorskip("jupyterlab")
    lab_args = shlex.split(make("-s", "print-LAB_ARGS"))
    port = free_port()
    # The test's own token goes in through the environment, which the server reads
    # only as a default: anything in LAB_ARGS still wins, so an empty token there
    # would show up below as a 200 without the token. (`make lab` makes its own.)
    token = secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_TOKEN=token)
    # Own config and runtime folders, so a user's Jupyter config cannot change the outcome.
    for variable in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTERLAB_WORKSPACES_DIR"):
        folder = tmp_path / variable.lower()
        folder.mkdir()
        env[variable] = str(folder)
    command = [
        sys.executable, "-m", "jupyterlab", *lab_args, "--no-browser",
        f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
    ]
    log_path = tmp_path / "server.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, "JupyterLab exited:\n" + log_path.read_text()
            try:
                if http_status(f"{base}/api") == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "no answer in 60 s:\n" + log_path.read_text()
            time.sleep(0.2)

        assert http_status(f"{base}/api/contents") == 403
        assert http_status(f"{base}/api/contents", token="wrong-" + token) == 403
        assert http_status(f"{base}/api/contents", token=token) == 200
        assert http_status(f"{base}/api/contents?token={token}") == 200
        # What the server itself reports: the loopback address and the repository root.
        runtime = Path(env["JUPYTER_RUNTIME_DIR"])
        (info_file,) = runtime.glob(f"jpserver-{server.pid}.json")
        info = json.loads(info_file.read_text())
        assert info["hostname"] == "127.0.0.1"
        assert Path(info["root_dir"]).resolve() == REPO
        # The file browser starts at the repository root, so every folder is reachable.
        request = urllib.request.Request(f"{base}/api/contents")
        request.add_header("Authorization", f"token {token}")
        with urllib.request.urlopen(request, timeout=5) as response:
            listing = json.load(response)
        assert {"notebooks", "tests"} <= {item["name"] for item in listing["content"]}
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)


# ------------------------------------------------------------- make test ---


def test_make_test_runs_the_unit_tests_then_nbval_over_the_notebooks():
    commands = make("-n", "test").splitlines()
    unit = [i for i, line in enumerate(commands) if "-m pytest tests" in line]
    notebooks = [i for i, line in enumerate(commands) if "--nbval-lax" in line]
    assert unit and notebooks and unit[0] < notebooks[0], commands
    nbval = commands[notebooks[0]]
    for option in ("-p no:python", "--nbval-current-env",
                   "--nbval-sanitize-with tests/nbval.cfg", "--nbval-cell-timeout=120"):
        assert option in nbval
    assert nbval.rstrip().endswith(" notebooks exercises solutions")
    assert "PYTHONHASHSEED=0" in nbval and "PYTHONHASHSEED=0" in commands[unit[0]]
    assert "MPLBACKEND=Agg" in commands[unit[0]]


def test_ci_runs_exactly_make_test():
    script = REPO / ".ci" / "run"
    assert script.stat().st_mode & stat.S_IXUSR, ".ci/run must be executable"
    lines = [line.strip() for line in script.read_text().splitlines()]
    assert lines[0].startswith("#!") and "bash" in lines[0]
    assert "set -euo pipefail" in lines
    assert "make test" in lines


# ------------------------------------------------------------- notebooks ---


def test_the_first_lesson_exists():
    assert REPO / "notebooks" / "00_start_here.ipynb" in notebook_files()


@pytest.mark.parametrize("path", notebook_files(), ids=lambda p: p.name)
def test_notebook_is_valid_nbformat_4_with_the_python3_kernel(path):
    import nbformat

    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["nbformat"] == 4
    notebook = nbformat.reads(json.dumps(raw), as_version=nbformat.NO_CONVERT)
    nbformat.validate(notebook)
    assert notebook.metadata["kernelspec"]["name"] == "python3"


def test_start_here_is_stored_executed_with_its_checked_outputs():
    raw = json.loads((REPO / "notebooks" / "00_start_here.ipynb").read_text(encoding="utf-8"))
    code = [cell for cell in raw["cells"] if cell["cell_type"] == "code"]
    assert code and all(cell["execution_count"] for cell in code)
    outputs = [
        "".join("".join(output.get("text", "")) for output in cell["outputs"])
        for cell in code
        if "".join(cell["source"]).startswith("# NBVAL_CHECK_OUTPUT")
    ]
    assert "Environment OK\n" in outputs
    # w <- w - 0.3 * 2 (w - 3) shrinks (w - 3) by 0.4 a step: w5 = 3 - 4 * 0.4**5.
    w5 = 3 - 4 * 0.4**5
    assert f"after 5 steps: w = {w5:.4f}, loss = {(w5 - 3) ** 2:.4f}\n" in outputs


# ------------------------------------------------------ nbval sanitizers ---


def test_sanitizer_file_is_well_formed():
    pairs = sanitizers()
    assert len(pairs) >= 5
    for regex, replacement in pairs:
        re.compile(regex)
        assert regex == regex.rstrip() and replacement == replacement.rstrip()


def test_sanitizers_hide_what_changes_between_runs():
    same = [
        ("<Figure size 640x480 with 1 Axes>", "<Figure size 600x350 with 1 Axes>"),
        ("[<matplotlib.lines.Line2D at 0x7f3a2c1d90>]", "[<matplotlib.lines.Line2D at 0x55e0aa>]"),
        ("<function f at 0x7f00>", "<function f at 0x1234abcd>"),
        ("wall time 1.23 s", "wall time 0.87 s"),
        ("one update took 12 ms", "one update took 7.5 ms"),
        ("fit: 850us", "fit: 1200us"),
        ("saved 2025-01-31 12:00:01", "saved 2026-11-28 16:31:59.123"),
        ("epochs: 100%|██████████| 5/5 [00:01<00:00,  4.12it/s]",
         "epochs: 100%|██████████| 5/5 [00:02<00:00,  2.01it/s, loss=0.12]"),
    ]
    for first, second in same:
        assert sanitize(first) == sanitize(second), (first, second)


def test_sanitizers_leave_results_alone():
    for text in (
        "Environment OK",
        "after 5 steps: w = 2.9590, loss = 0.0017",
        "final loss 0.1234 after 10 epochs, 3 steps, 2 sigma",
        "accuracy 97.5 %",
        "lesson 2 shows the saddle",
    ):
        assert sanitize(text) == text


@settings(max_examples=50, deadline=None)
@given(
    seconds=st.floats(min_value=0, max_value=1e4, allow_nan=False),
    unit=st.sampled_from(["s", "ms", "us", "ns"]),
    width=st.integers(1, 5000),
    height=st.integers(1, 5000),
)
def test_sanitized_timings_and_figure_sizes_do_not_depend_on_the_numbers(seconds, unit, width, height):
    assert sanitize(f"took {seconds:.3f} {unit}") == sanitize(f"took 1.000 {unit}")
    assert sanitize(f"<Figure size {width}x{height} with 2 Axes>") == sanitize(
        "<Figure size 640x480 with 2 Axes>"
    )


@settings(max_examples=50, deadline=None)
@given(value=st.floats(allow_nan=False, allow_infinity=False, width=64))
def test_sanitizers_never_touch_a_printed_number(value):
    text = f"loss = {value:.4f}"
    assert sanitize(text) == text
