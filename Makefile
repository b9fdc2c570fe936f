# tjanste: make beslut CASE=<ärende> renders a case; make test runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installerad

.PHONY: ny ny-organisation visa beslut pdf protokoll diariefor arkiv alla diff check tillganglighet lint test test-snabb fuzz snapshots bench mallar clean

# An editable install does not compile tjanste's modules, as a regular pip install does; compileall does, so that a
# first command (and each process the tests start) does not compile them anew where PYTHONDONTWRITEBYTECODE is set.
$(INSTALLED): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test,dev]'
	@$(BIN)/python -m compileall -q src
	@touch $@

ny: $(INSTALLED)
	@test -n "$(RUBRIK)" || { echo 'ange en rubrik: make ny RUBRIK="Förstärkt budget för primärvården" [TYP=...] [ORGANISATION=...]' >&2; exit 2; }
	$(BIN)/tjanste ny "$(RUBRIK)" $(if $(TYP),--typ "$(TYP)") $(if $(ORGANISATION),--organisation "$(ORGANISATION)")

# A profile for a kommun or a region: make ny-organisation NAMN="Växjö kommun" (the id, the kind and the ort come from the name).
ny-organisation: $(INSTALLED)
	@test -n "$(NAMN)" || { echo 'ange organisationens namn: make ny-organisation NAMN="Växjö kommun" [TYP=kommun|region] [ORT=Växjö] [ID=vaxjo-kommun]' >&2; exit 2; }
	$(BIN)/tjanste ny-organisation $(if $(ID),"$(ID)") --namn "$(NAMN)" $(if $(TYP),--typ "$(TYP)") $(if $(ORT),--ort "$(ORT)")

visa: $(INSTALLED)
	@test -n "$(CASE)" || { echo "ange ett ärende: make visa CASE=2015-primarvard" >&2; exit 2; }
	$(BIN)/tjanste visa $(CASE)

beslut: $(INSTALLED)
	@test -n "$(CASE)" || { echo "ange ett ärende: make beslut CASE=2015-primarvard" >&2; exit 2; }
	$(BIN)/tjanste render $(CASE)

pdf: $(INSTALLED)
	@test -n "$(CASE)" || { echo "ange ett ärende: make pdf CASE=2015-primarvard" >&2; exit 2; }
	$(BIN)/tjanste render --pdf $(CASE)

protokoll: $(INSTALLED)
	@test -n "$(CASE)" || { echo "ange ett ärende: make protokoll CASE=2015-primarvard" >&2; exit 2; }
	$(BIN)/tjanste protokoll $(CASE)

diariefor: $(INSTALLED)
	@test -n "$(CASE)" -a -n "$(DNR)" || { echo "ange ärende och diarienummer: make diariefor CASE=2015-primarvard DNR=2015/00123 [DATUM=ÅÅÅÅ-MM-DD]" >&2; exit 2; }
	$(BIN)/tjanste diariefor $(CASE) --dnr "$(DNR)" $(if $(DATUM),--datum $(DATUM))

arkiv: $(INSTALLED)
	@test -n "$(CASE)" || { echo "ange ett ärende: make arkiv CASE=2018-patientmiljarden" >&2; exit 2; }
	$(BIN)/tjanste arkiv $(CASE)

alla: $(INSTALLED)
	$(BIN)/tjanste alla $(if $(PDF),--pdf)

# What changed in a case's papers (or, without CASE, every case's): FRAN (default HEAD) to TILL (default the working tree).
diff: $(INSTALLED)
	$(BIN)/tjanste diff $(if $(CASE),$(CASE),--alla) $(if $(FRAN),--fran "$(FRAN)") $(if $(TILL),--till "$(TILL)") $(if $(FORMAT),--format $(FORMAT))

tillganglighet: $(INSTALLED)
	$(BIN)/tjanste check --tillganglighet --diarieforda

check: $(INSTALLED)
	$(BIN)/tjanste check $(CASE)

# ruff check and mypy as configured in pyproject.toml; the tree is not yet run through ruff format.
lint: $(INSTALLED)
	$(BIN)/ruff check src tests tools
	$(BIN)/ruff format --check src tests tools
	$(BIN)/mypy

# Two workers (pytest-xdist), one per core; a test module runs on one worker, so its module fixtures
# (one LibreOffice call for all its documents) run once, and the fuzz inputs go to whichever is free (conftest.py).
PYTEST_PARALLEL := -n 2 --dist loadgroup

test: $(INSTALLED)
	$(BIN)/python -m pytest -q $(PYTEST_PARALLEL)

# The long fuzzing: the seeded mutations of test_fuzz.py drawn 10 000 times instead of make test's 500 (CI runs both).
fuzz: $(INSTALLED)
	TJANSTE_FUZZ_ANTAL=10000 $(BIN)/python -m pytest -q $(PYTEST_PARALLEL) tests/test_fuzz.py

# The edit loop: every test but the fuzzing and LibreOffice.
test-snabb: $(INSTALLED)
	TJANSTE_SNABB=1 $(BIN)/python -m pytest -q $(PYTEST_PARALLEL)

snapshots: $(INSTALLED)
	$(BIN)/python -m pytest -q tests/test_snapshots.py tests/test_arenden.py --snapshot-update

bench: $(INSTALLED)
	$(BIN)/python tools/bench.py

mallar: $(INSTALLED)
	$(BIN)/python tools/make_templates.py

clean:
	rm -rf build
