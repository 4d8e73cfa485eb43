# The two commands: `make demo` and `make test`. Each builds what it needs in .venv.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat .ci/requirements.txt requirements.txt | sha256sum | cut -c1-12)
LINK := collections/ansible_collections/cloudops/cbr
FIXTURE := tests/emulator/fixtures/demo.yml
export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/collections
export ANSIBLE_NOCOLOR := 1
export NO_COLOR := 1
export ANSIBLE_LOCALHOST_WARNING := false
export PATH := $(BIN):$(PATH)
ifneq ($(wildcard /etc/ssl/certs/ca-certificates.crt),)
export SSL_CERT_FILE ?= /etc/ssl/certs/ca-certificates.crt
endif

.PHONY: demo test unit lint sanity docs-check docs molecule bench bench-audit bench-uri venv clean

venv: $(STAMP) $(LINK)

$(STAMP): .ci/requirements.txt requirements.txt
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q uv || $(BIN)/pip install -q -U pip
	if [ -x $(BIN)/uv ]; then $(BIN)/uv pip install -q -p $(BIN)/python -r .ci/requirements.txt -r requirements.txt; \
	else $(BIN)/pip install -q -r .ci/requirements.txt -r requirements.txt; fi
	touch $@

# ansible finds the collection as ansible_collections/cloudops/cbr; this link makes the checkout one.
$(LINK):
	mkdir -p $(dir $(LINK))
	ln -sfn ../../.. $(LINK)

## demo: start the emulator with the demo fixture, share and accept through the collection, print the state
demo: venv
	$(BIN)/python tests/emulator/cbr_emulator.py --port 0 --fixture $(FIXTURE) -- \
	  $(BIN)/ansible-playbook -i playbooks/inventory/hosts.yml playbooks/demo.yml

## test: everything CI runs
test: unit molecule lint sanity docs-check docs

unit: venv
	$(BIN)/python -m pytest -n 2 -q -p no:randomly

molecule: venv
	$(BIN)/molecule test -s share_and_accept

lint: venv
	$(BIN)/ansible-lint
	$(BIN)/antsibull-changelog lint

docs-check: venv
	for module in plugins/modules/*.py; do \
	  $(BIN)/ansible-doc -t module cloudops.cbr.$$(basename $$module .py) > /dev/null || exit 1; done
	$(BIN)/antsibull-docs lint-collection-docs --plugin-docs .

## bench: request counts and wall time of the role (prints figures; not a test)
bench: venv
	$(BIN)/python benchmarks/role_requests.py
	$(BIN)/python benchmarks/role_requests.py --latency-ms 50

## bench-audit: the sharing audit over 1,000 backups with 50 ms latency, workers 1, 8, 16
bench-audit: venv
	$(BIN)/python benchmarks/audit.py

## docs: the antsibull-docs Sphinx site, offline, in docs/sphinx/build/html
docs: venv
	mkdir -p docs/sphinx/rst && chmod 700 docs/sphinx/rst
	$(BIN)/antsibull-docs --config-file docs/sphinx/antsibull-docs.cfg collection --cleanup everything \
	  --use-current --dest-dir docs/sphinx/rst cloudops.cbr
	$(BIN)/sphinx-build -M html docs/sphinx/rst docs/sphinx/build -c docs/sphinx -W --keep-going -q

## bench-uri: the role against hand-written uri tasks, 3 and 10 recipients, 50 ms latency
bench-uri: venv
	$(BIN)/python benchmarks/vs_uri.py

sanity: venv
	bash .ci/sanity

clean:
	rm -rf $(VENV) collections tests/output
