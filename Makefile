# Two commands on a fresh machine (see README.md):
#   make workflow   set up .venv, run the notebook workflow on the embedded data, track to mlruns/
#   make test       set up .venv, run the whole test suite (notebooks included)
# Both install the pinned stack from constraints.txt (uv, byte-compiled) the first time.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
UV_VERSION := 0.13.9
STAMP  := $(VENV)/.installed

# Two shared cores: OpenMP/BLAS spin-waiting makes threaded code far slower (design.md).
export OMP_NUM_THREADS ?= 1
export OPENBLAS_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1
export MLFLOW_DISABLE_TELEMETRY := true

.PHONY: setup workflow test bench lock clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(VENV)/bin/uv pip install --python $(PY) --compile-bytecode -c constraints.txt -e ".[notebooks,test]"
	touch $(STAMP)

workflow: $(STAMP)
	$(PY) notebooks/run_workflow.py

test: $(STAMP)
	$(PY) -m pytest

# Re-resolve the pinned versions (run deliberately, then commit constraints.txt).
lock:
	$(VENV)/bin/uv pip compile pyproject.toml --extra notebooks --extra test --python-version 3.11 --no-header -o constraints.txt

clean:
	rm -rf $(VENV) outputs .pytest_cache
