# Two commands on a fresh machine (see README.md):
#   make workflow   set up .venv, run the notebook workflow on the embedded data, track to mlruns/
#   make test       set up .venv, run the whole test suite (notebooks, doctests, docs site included)
#   make docs       the documentation site, warnings as errors, into docs/_build/html/
#   make dist       the wheel and the sdist, into dist/
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

.PHONY: setup browser workflow test docs dist bench serve lock clean

setup: $(STAMP)

# Headless Chromium and its driver (Debian packages) for the browser tests of the HTML reports
# and the JupyterLab editor; browser downloads by test tools are not possible here.
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver; \
	fi

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(VENV)/bin/uv pip install --python $(PY) --compile-bytecode -c constraints.txt -e ".[notebooks,test,spark,docs]"
	touch $(STAMP)

$(VENV)/.bench: $(STAMP)
	$(VENV)/bin/uv pip install --python $(PY) --compile-bytecode -c constraints.txt -e ".[notebooks,test,spark,bench]"
	touch $@

workflow: $(STAMP)
	$(PY) notebooks/run_workflow.py

# tests/test_docs.py builds the site with warnings as errors (as make docs does) and opens it in Chromium
test: $(STAMP) browser
	$(PY) -m pytest

docs: $(STAMP)
	$(PY) -m sphinx -W --keep-going -b html docs docs/_build/html
	@echo "open docs/_build/html/index.html"

dist: $(STAMP)
	$(PY) -m build --outdir dist .

bench: $(VENV)/.bench
	$(PY) bench/run.py
	$(PY) bench/scoring.py
	$(PY) bench/decision.py
	$(PY) bench/fit.py --only ours optbinning toad duckdb
	$(PY) bench/report.py --out bench/results/report.json

# The decision service (scorecard.service) on 127.0.0.1:$(PORT), model from a registry alias or a JSON file.
MODEL ?= models:/cross_credit@champion
PORT  ?= 8080
serve: $(STAMP)
	$(PY) -m scorecard.service --model "$(MODEL)" --port $(PORT)

# Re-resolve the pinned versions (run deliberately, then commit constraints.txt).
lock:
	$(VENV)/bin/uv pip compile pyproject.toml --extra notebooks --extra test --extra spark --extra docs --extra bench --python-version 3.11 --no-header -o constraints.txt

clean:
	rm -rf $(VENV) outputs .pytest_cache docs/_build docs/api docs/user-guide/notebooks build dist
