# lagebild — two commands do all set-up on a fresh machine:
#   make demo   virtualenv + install + build the bundled examples/, print where results are
#   make test   virtualenv + install with test needs + run the whole suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out
SHARED ?= ../shared
GERMEVAL_DEV := $(SHARED)/data/germeval2014/NER-de-dev.tsv
# front-end files for `lagebild serve` (npm, pinned in package-lock.json; copied into the package, git-ignored)
ASSETS_STAMP := src/lagebild/web/static/vendor/.stamp

.PHONY: demo test install dev bench model clean assets chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

$(VENV)/.bench: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[bench]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

dev: $(VENV)/.dev assets

demo: install assets
	@mkdir -p $(OUT)
	@rm -f $(OUT)/demo.db $(OUT)/demo.db-wal $(OUT)/demo.db-shm
	$(BIN)/lagebild build examples --db $(OUT)/demo.db --out $(OUT) --quiet
	@echo
	@echo "Results:"
	@echo "  report:        $(OUT)/report.html   (opens offline; also $(OUT)/report.md)"
	@echo "  picture JSON:  $(OUT)/picture.json  (schema/picture.schema.json; what each file holds: docs/picture.md)"
	@echo "  exports:       $(OUT)/events.jsonl $(OUT)/graph.graphml $(OUT)/timeline.json $(OUT)/*.csv"
	@echo "  database:      $(OUT)/demo.db   (open with sqlite3 or Datasette; schema in docs/schema.md)"
	@echo "Try:"
	@echo "  $(BIN)/lagebild picture --db $(OUT)/demo.db --out $(OUT)   (rewrite the report from the database)"
	@echo "  $(BIN)/lagebild stats --db $(OUT)/demo.db"
	@echo "  $(BIN)/lagebild search pjongjang --db $(OUT)/demo.db"
	@echo "  $(BIN)/lagebild claims --entity gpe:kp --db $(OUT)/demo.db"
	@echo "  $(BIN)/lagebild quantities --db $(OUT)/demo.db"

test: dev chromium
	$(BIN)/python -m pytest

# htmx, vis-timeline, cytoscape, swagger-ui for the web app; re-run only when package-lock.json changes
assets: $(ASSETS_STAMP)

$(ASSETS_STAMP): package-lock.json scripts/vendor_assets.py
	@command -v npm >/dev/null 2>&1 || { echo "make assets: npm not found — install Node.js (npm) for the timeline and graph; the pages work without them"; exit 0; }; \
	npm ci --no-audit --no-fund --ignore-scripts && $(PYTHON) scripts/vendor_assets.py && touch $@

# Debian's chromium for the browser tests (tests/web/test_browser.py); Playwright never downloads a browser
chromium:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif ! command -v apt-get >/dev/null 2>&1; then echo "make test: chromium not found and no apt-get — browser tests will skip (set LAGEBILD_CHROMIUM=/path/to/chromium)"; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q chromium || echo "make test: installing chromium failed — browser tests will skip"; \
	elif command -v sudo >/dev/null 2>&1; then sudo apt-get update -q && sudo apt-get install -y -q chromium || echo "make test: installing chromium failed — browser tests will skip"; \
	else echo "make test: chromium not found and not root (no sudo) — browser tests will skip; install the chromium package"; fi

# installs the benchmarks' own needs (spaCy for the tokenizer floor, Dask), then runs the quick ingest benchmark;
# the others run as `$(BIN)/python bench/NAME.py` (bench/RESULTS.md gives each command)
bench: $(VENV)/.bench
	$(BIN)/python bench/ingest.py

# retrain the packaged NER model (src/lagebild/nlp/ner/data/de.crfsuite) from GermEval 2014 dev in $(SHARED)
# plus the team's annotated sentences in src/lagebild/nlp/ner/annotations/ and the Wikinews stand-off annotations
# (annotations/wikinews/*.tsv over $(SHARED)/data/wikinews_text), with word clusters built from unlabeled text in
# $(SHARED)/data (nlp/ner/data/clusters_de.txt) and subword-piece clusters from the installed sentence encoder's
# embeddings (nlp/ner/data/pieces_use.txt) (deterministic: same inputs, same bytes)
model: install
	@test -f $(GERMEVAL_DEV) || { echo "make model: $(GERMEVAL_DEV) not found — set SHARED=/path/to/shared (the folder with data/germeval2014/)"; exit 1; }
	$(BIN)/python -m lagebild.nlp.ner.clusters_build --shared $(SHARED) --out src/lagebild/nlp/ner/data/clusters_de.txt
	$(BIN)/python -m lagebild.nlp.ner.pieces_build --out src/lagebild/nlp/ner/data/pieces_use.txt
	$(BIN)/python -m lagebild.nlp.ner.train --data $(GERMEVAL_DEV) --wikinews $(SHARED)/data/wikinews_text --gnad $(SHARED)/data/10kgnad/test.csv --out src/lagebild/nlp/ner/data/de.crfsuite --manifest src/lagebild/nlp/ner/data/de.training.json

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache build *.egg-info src/*.egg-info node_modules src/lagebild/web/static/vendor test-artifacts
