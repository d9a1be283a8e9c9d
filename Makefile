# Two commands do all set-up: `make demo` and `make test`. Both create .venv and install what is missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/ocop demo

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup

# The benchmarks that print figures beside their anchors (trafilatura, a bare Scrapy spider); they read
# the real pages and gold sets in ../shared/data. bench/archive_scale.py (20 minutes) is run by hand.
bench: $(STAMP)
	$(BIN)/python bench/facts_speed.py
	$(BIN)/python bench/articles.py
	$(BIN)/python bench/crawl_throughput.py
	$(BIN)/python bench/body_compression.py

clean:
	rm -rf $(VENV) build *.egg-info
