# Press Archive: `make site` builds the site into site/, `make test` runs the whole test suite
# (about 9 minutes), `make check` its fast part (under 20 s: the tests not marked slow).
# Each creates .venv and installs the project first; they need Python >= 3.11 and make.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Material prints a notice about MkDocs 2.0 on every build. The project has decided (mkdocs<2 and
# Material <10 pinned, Zensical tested beside them: README, Builders), so make keeps it quiet;
# press-archive run by hand does not.
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test check serve generate golden bench clean

site: $(STAMP)
	$(BIN)/press-archive build

test: $(STAMP)
	$(BIN)/python -m tests.axe
	$(BIN)/python -m pytest

# The inner loop while editing: every test but those marked slow (pytest -m "not slow"): no
# MkDocs, Zensical, Pagefind or Chromium run, no big generated corpus, nothing over about a second.
check: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

serve: $(STAMP)
	$(BIN)/press-archive serve

generate: $(STAMP)
	$(BIN)/press-archive generate

# Regenerate the golden files in tests/golden/ after an intended change to page output.
golden: $(STAMP)
	$(BIN)/python -m tests.golden

# The scale benchmark at 1,000, 5,000 and 20,000 releases (about 90 minutes; needs Chromium
# for the search figures): bench/results/scale-N.json and the README's table in bench/results/scale.md.
bench: $(STAMP)
	$(BIN)/python -m bench.run

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is required") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

clean:
	rm -rf site build $(VENV)
