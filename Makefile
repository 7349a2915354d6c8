# lagebild — two commands do all set-up on a fresh machine:
#   make demo   virtualenv + install + build the bundled examples/, print where results are
#   make test   virtualenv + install with test needs + run the whole suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out
SHARED ?= ../shared
GERMEVAL_DEV := $(SHARED)/data/germeval2014/NER-de-dev.tsv

.PHONY: demo test install dev bench model clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

dev: $(VENV)/.dev

demo: install
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

test: dev
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/ingest.py

# retrain the packaged NER model (src/lagebild/nlp/ner/data/de.crfsuite) from GermEval 2014 dev in $(SHARED)
# plus the team's annotated sentences in src/lagebild/nlp/ner/annotations/ (deterministic: same inputs, same bytes)
model: install
	@test -f $(GERMEVAL_DEV) || { echo "make model: $(GERMEVAL_DEV) not found — set SHARED=/path/to/shared (the folder with data/germeval2014/)"; exit 1; }
	$(BIN)/python -m lagebild.nlp.ner.train --data $(GERMEVAL_DEV) --out src/lagebild/nlp/ner/data/de.crfsuite

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache build *.egg-info src/*.egg-info
