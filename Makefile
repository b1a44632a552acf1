# Every target wraps the commands the README documents; nothing here is needed by `jupyter-book build .`.
VENV    ?= .venv
PYTHON  := $(VENV)/bin/python
JB      := $(VENV)/bin/jupyter-book
# `make book HANDS_ON=0` builds the book without the hands-on notebook part.
HANDS_ON ?= 1
NO_HANDS_ON   := $(filter 0 no false,$(HANDS_ON))
# Without the hands-on part, the book is built from a one-off toc in _build/: no committed file changes.
ONE_OFF_TOC   := _build/_toc.no-hands-on.yml  # blogbook.converter.pipeline.ONE_OFF_TOC
CONVERT_FLAGS := $(if $(NO_HANDS_ON),--no-hands-on --toc-out $(ONE_OFF_TOC),)
BUILD_FLAGS   := -W -n --keep-going $(if $(NO_HANDS_ON),--toc $(ONE_OFF_TOC),)

.PHONY: book convert check test bench lab serve linkcheck clean venv

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt constraints.txt pyproject.toml
	@echo "Setting up $(VENV): Jupyter Book, the converter and the test tools (first run only; a few minutes)..."
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements.txt -c constraints.txt
	$(PYTHON) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PYTHON) -m ipykernel install --sys-prefix --name python3 >/dev/null
	@# The notebooks' kernel logs only errors: its "running over TCP" notice, once per notebook, is noise here.
	@mkdir -p $(VENV)/etc/ipython && echo 'c.IPKernelApp.log_level = "ERROR"' > $(VENV)/etc/ipython/ipython_kernel_config.py
	touch $@

convert: venv
	$(PYTHON) scripts/convert.py $(CONVERT_FLAGS)

check: venv
	$(PYTHON) scripts/convert.py --check

# -q: Sphinx's status lines and settings dumps stay quiet; its warnings still show.
book: convert
	@echo "Building the book (a first build also runs the hands-on notebooks: about a minute)..."
	$(JB) build . $(BUILD_FLAGS) -q
	@echo "The book is at $(CURDIR)/_build/html/index.html"
	@echo "Read it with \`make serve\` (live preview at http://127.0.0.1:$(PORT)/), or open that file."

test: venv
	$(PYTHON) -m pytest -n auto --dist load

bench: venv
	$(PYTHON) scripts/bench.py $(BENCH_FLAGS)

LAB_VENV ?= .venv-lab

$(LAB_VENV)/.installed: requirements-lab.txt constraints.txt
	python3 -m venv $(LAB_VENV)
	$(LAB_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LAB_VENV)/bin/python -m pip install --quiet -r requirements-lab.txt
	touch $@

lab: $(LAB_VENV)/.installed
	$(LAB_VENV)/bin/jupyter lab book/hands-on

clean:
	rm -rf _build

# `make serve PORT=8001` when 8000 is taken.
PORT ?= 8000

serve: venv
	$(PYTHON) scripts/serve.py --port $(PORT) $(CONVERT_FLAGS)

linkcheck: venv
	$(JB) build . --builder linkcheck
