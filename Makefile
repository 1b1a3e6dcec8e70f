# Two entry points: `make backfill` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CORES  ?= all
# The BigQuery emulator has its own virtualenv: bqemulator 1.4.0 runs offline only on duckdb 1.5.5
# while nbaprops pins duckdb 2.0.1 (tests/emulators/requirements-bqemu.txt says more).
BQEMU_VENV  := .venv-bqemu
BQEMU_STAMP := $(BQEMU_VENV)/.installed

.PHONY: backfill test install bqemulator chromium graphviz dag clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(BQEMU_STAMP): tests/emulators/requirements-bqemu.txt tests/emulators/bqemu_home.py
	test -x $(BQEMU_VENV)/bin/python || $(PYTHON) -m venv $(BQEMU_VENV)
	echo '*' > $(BQEMU_VENV)/.gitignore
	$(BQEMU_VENV)/bin/python -m pip install --quiet -r tests/emulators/requirements-bqemu.txt
	$(BQEMU_VENV)/bin/python tests/emulators/bqemu_home.py $(BQEMU_VENV)/home
	touch $(BQEMU_STAMP)

install: $(STAMP)

bqemulator: $(BQEMU_STAMP)

backfill: $(STAMP)
	$(BIN)/snakemake --cores $(CORES) all

# Headless Chromium (Debian's package) for the HTML report's browser test (tests/test_report_html.py).
chromium:
	command -v chromium >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)

test: $(STAMP) $(BQEMU_STAMP) chromium
	$(BIN)/python -m pytest -n 2 --dist loadgroup

# Graphviz (Debian's package) for `dot`, which draws the plan; a fresh machine has none.
graphviz:
	command -v dot >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y graphviz)

dag: $(STAMP) graphviz
	$(BIN)/snakemake --rulegraph | dot -Tpng -Gdpi=110 > docs/rulegraph.png

clean:
	rm -rf markers warehouse exports logs reports models benchmarks .snakemake
