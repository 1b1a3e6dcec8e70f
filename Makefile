# Two entry points: `make backfill` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CORES  ?= all

.PHONY: backfill test install dag clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

backfill: $(STAMP)
	$(BIN)/snakemake --cores $(CORES) all

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup

dag: $(STAMP)
	$(BIN)/snakemake --rulegraph | dot -Tsvg > docs/rulegraph.svg

clean:
	rm -rf markers warehouse exports logs reports .snakemake
