# The two commands a person needs: `make run` and `make test`. Both build .venv on first use.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test lint bench chromium

$(STAMP): pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

run: $(STAMP)
	$(VENV)/bin/trainer $(ARGS)

test: $(STAMP) chromium
	$(VENV)/bin/python -m pytest $(ARGS)

# The browser test drives Debian's chromium; a fresh machine gets it here (as root, as CI runs).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "installing Debian's chromium for the browser test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint: $(STAMP)
	$(VENV)/bin/ruff check trainer tests bench
	$(VENV)/bin/ruff format --check trainer tests bench
	$(VENV)/bin/mypy

# trainer against Anki's backend on the same collections (10k and 100k cards; ARGS=--million
# adds 1M). Anki is installed into .venv from bench/requirements.txt, never a dependency of trainer.
bench: $(STAMP)
	$(VENV)/bin/python -m pip install --quiet -r bench/requirements.txt
	$(VENV)/bin/python bench/versus.py $(ARGS)
