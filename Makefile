# Optimizers from scratch: everything a learner needs is `make lab` and `make test`.
# Both set up a local virtual environment on first use (and reuse it afterwards).
# Run `make` or `make help` for the full list.

PYTHON ?= python3
VENV ?= .venv
# Folders of notebooks that `make test` runs with nbval; add exercises/ solutions/ here.
NOTEBOOK_DIRS ?= notebooks exercises solutions
FIRST_NOTEBOOK ?= notebooks/00_start_here.ipynb

VENV_PY := $(VENV)/bin/python
# Touched after a successful install; redone whenever pyproject.toml changes.
STAMP := $(VENV)/.installed
KERNEL_NAME := optimizers-course
KERNEL_DISPLAY_NAME := Python 3 (Optimizers from scratch)

# JupyterLab refuses to start as root unless told so; containers and CI machines run as root.
ifeq ($(shell id -u 2>/dev/null),0)
ROOT_FLAG := --allow-root
endif

# Arguments of `jupyter lab`, in one place so tests/test_packaging.py can read them
# (`make -s print-LAB_ARGS`). The server listens on this machine only, and token
# authentication stays on: JupyterLab opens the browser with the token itself.
# root_dir keeps the whole repository in the file browser (given only a file,
# JupyterLab would serve just that file's folder).
LAB_ARGS := $(FIRST_NOTEBOOK) --ServerApp.root_dir=. --ServerApp.ip=127.0.0.1 $(ROOT_FLAG)

# Headless plots and a fixed hash seed, so test runs are repeatable. Notebooks
# keep Jupyter's own inline backend (already headless), as in JupyterLab: under
# Agg, plt.show() would draw nothing and never close the figure.
TEST_ENV := MPLBACKEND=Agg PYTHONHASHSEED=0 OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
NOTEBOOK_TEST_ENV := env -u MPLBACKEND PYTHONHASHSEED=0 OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
NBVAL_ARGS := -p no:python --nbval-lax --nbval-current-env \
	--nbval-sanitize-with tests/nbval.cfg --nbval-cell-timeout=120

.DEFAULT_GOAL := help
.PHONY: help setup lab test test-unit test-notebooks bench clean

help:
	@echo "Optimizers from scratch"
	@echo ""
	@echo "  make lab             set up (first time only) and open JupyterLab on the first lesson"
	@echo "  make test            set up (first time only) and run the whole test suite"
	@echo ""
	@echo "  make setup           only create $(VENV)/, install the course and register its kernel"
	@echo "  make test-unit       only the pytest unit tests in tests/"
	@echo "  make test-notebooks  only run the notebooks in: $(NOTEBOOK_DIRS)"
	@echo "  make bench           run the benchmarks in benchmarks/"
	@echo "  make clean           delete $(VENV)/ and caches (the next command sets up again)"
	@echo ""
	@echo "Needs Python 3.11 or newer as '$(PYTHON)'; pick another with e.g. make lab PYTHON=python3.12"

setup: $(STAMP)

$(STAMP): pyproject.toml
	@if [ ! -x "$(VENV_PY)" ]; then \
		if ! command -v "$(PYTHON)" >/dev/null 2>&1; then \
			echo "error: '$(PYTHON)' was not found. Install Python 3.11 or newer, or name it: make $(MAKECMDGOALS) PYTHON=python3.12" >&2; \
			exit 1; \
		fi; \
		if ! "$(PYTHON)" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then \
			echo "error: the course needs Python 3.11 or newer, but '$(PYTHON)' is $$("$(PYTHON)" -V 2>&1)." >&2; \
			echo "       Name a newer one, e.g.: make $(MAKECMDGOALS) PYTHON=python3.12" >&2; \
			exit 1; \
		fi; \
		echo "Creating the virtual environment $(VENV)/ with $$("$(PYTHON)" -V 2>&1) ..."; \
		if ! "$(PYTHON)" -m venv "$(VENV)"; then \
			echo "error: could not create $(VENV)/. On Debian or Ubuntu: sudo apt install python3-venv" >&2; \
			exit 1; \
		fi; \
	fi
	@if ! "$(VENV_PY)" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then \
		echo "error: $(VENV)/ was made with $$("$(VENV_PY)" -V 2>&1); the course needs 3.11 or newer." >&2; \
		echo "       Remove it with 'make clean' and run the command again." >&2; \
		exit 1; \
	fi
	@echo "Installing the course package and its dependencies into $(VENV)/ (a minute or two the first time) ..."
	@"$(VENV_PY)" -m pip install --quiet --upgrade pip || echo "warning: could not upgrade pip; carrying on with the one in $(VENV)/"
	@"$(VENV_PY)" -m pip install --quiet -e '.[test]'
	@if [ -f "$(VENV)/share/jupyter/kernels/$(KERNEL_NAME)/kernel.json" ]; then \
		echo "Kernel '$(KERNEL_DISPLAY_NAME)' already registered."; \
	else \
		"$(VENV_PY)" -m ipykernel install --sys-prefix --name "$(KERNEL_NAME)" \
			--display-name "$(KERNEL_DISPLAY_NAME)"; \
	fi
	@touch "$@"
	@echo "Setup done."

lab: $(STAMP)
	@echo "Starting JupyterLab on $(FIRST_NOTEBOOK). If no browser opens, copy the"
	@echo "http://127.0.0.1:...?token=... link printed below. Stop it with Ctrl+C."
	"$(VENV)/bin/jupyter" lab $(LAB_ARGS)

test: test-unit test-notebooks

test-unit: $(STAMP)
	$(TEST_ENV) "$(VENV_PY)" -m pytest tests

# Only the folders that exist yet, so adding one to NOTEBOOK_DIRS early does no harm.
NOTEBOOK_PATHS = $(wildcard $(NOTEBOOK_DIRS))

test-notebooks: $(STAMP)
	@if [ -z "$(strip $(NOTEBOOK_PATHS))" ]; then \
		echo "No notebook folders found (NOTEBOOK_DIRS = $(NOTEBOOK_DIRS))." >&2; \
		exit 1; \
	fi
	$(NOTEBOOK_TEST_ENV) "$(VENV_PY)" -m pytest $(NBVAL_ARGS) $(NOTEBOOK_PATHS)

# Every benchmarks/*.py script, in name order; files starting with "_" are helpers.
bench: $(STAMP)
	@found=no; \
	for script in benchmarks/*.py; do \
		[ -f "$$script" ] || continue; \
		case "$$(basename "$$script")" in _*) continue ;; esac; \
		found=yes; \
		echo "== $$script"; \
		"$(VENV_PY)" "$$script" || exit 1; \
	done; \
	if [ "$$found" = no ]; then echo "No benchmarks yet (nothing in benchmarks/*.py)."; fi

clean:
	rm -rf "$(VENV)" .pytest_cache .hypothesis build dist *.egg-info
	find . -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

# `make -s print-VARIABLE` prints a variable's value (the tests read LAB_ARGS this way).
print-%:
	@echo '$($*)'
