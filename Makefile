# Two commands do all set-up on a fresh clone: `make compare` (the main job) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: compare test install browser reference catalogue validation-record burn-in screen posterior clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Browser tests drive Debian's chromium through playwright (no browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q chromium; \
	  else sudo apt-get update -q && sudo apt-get install -y -q chromium; fi; }

compare: $(STAMP)
	$(BIN)/berdaya compare

# Lint and formatting first (ruff, configured in pyproject.toml), then the whole suite, with the
# property tests on a fixed set of cases (the "ci" profile of tests/conftest.py). pytest-xdist runs
# TEST_WORKERS test files at a time (a file's tests stay together, so its module fixtures run once):
# half the suite's time is waiting on browsers, servers and child processes, which two files overlap.
TEST_WORKERS ?= 2
test: $(STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest --hypothesis-profile=ci -n $(TEST_WORKERS) --dist loadfile

# After a change that is meant to move the default comparison's results: rewrite the reference
# (tests/reference/compare_summary.json), then quote the printed digest in a CHANGELOG.md entry.
reference: $(STAMP)
	BERDAYA_UPDATE_REFERENCE=1 $(BIN)/python -m pytest -q -s -p no:cacheprovider tests/test_reference.py -k matches

# After adding or changing an English label in analysis/i18n.py (or writing one with its "id"):
# move the Indonesian into the catalogue, re-extract the template, update and compile the catalogue.
# docs/translating.md says how an editor then translates in Poedit or Weblate.
catalogue: $(STAMP)
	$(BIN)/python -m analysis.catalogue

# After a change that moves the field patterns: rerun `berdaya validate-patterns` at the defaults and
# ship its counts (analysis/validation_record.json), which the comparison report opens with.
validation-record: $(STAMP)
	rm -rf runs/validation-record
	$(BIN)/berdaya validate-patterns --out runs/validation-record
	cp runs/validation-record/validation.json analysis/validation_record.json

# How long the burn-in must be: the baseline's drift from its drawn start over 600 months, 32 seeds
# (docs/ODD.md §5 quotes it for burn_in_months).
burn-in: $(STAMP)
	$(BIN)/python -m analysis.burn_in

# Which parameters the calibration rows inform (a Morris screen against dummies): the stored
# analysis/screen.csv that tests/test_screen.py holds the schema's calibrate marks to.
screen: $(STAMP)
	$(BIN)/berdaya calibrate --method screen --params all --trajectories 48 --workers $(WORKERS) --seed 2026 --out runs/screen
	cp runs/screen/screen.csv analysis/screen.csv

# Calibrate and ship, unattended and resumable (a rerun continues the calibration stored in
# POSTERIOR_RUN): ABC-SMC to BUDGET evaluations, then the posterior and its record into experiments/,
# its medians into sim/calibrated.toml (the calibrated defaults), then the validation record and the
# reference at those defaults. docs/validation.md §6 quotes experiments/calibration.md.
POSTERIOR_RUN ?= runs/posterior
BUDGET ?= 2000
WORKERS ?= 2
posterior: $(STAMP)
	$(BIN)/berdaya calibrate --budget $(BUDGET) --workers $(WORKERS) --seed 2026 --out $(POSTERIOR_RUN) \
	  $$(test -f $(POSTERIOR_RUN)/abc.db && echo --resume)
	$(BIN)/python -m analysis.ship $(POSTERIOR_RUN)
	$(MAKE) validation-record
	$(MAKE) reference

clean:
	rm -rf $(VENV) runs .pytest_cache sim/__pycache__
