# The two commands: `make demo` and `make test`. Each installs what it needs in .venv:
# the demo only ansible-core, requests and PyYAML (.ci/requirements-demo.txt); the tests add the
# development toolchain on top (.ci/requirements.txt). Every other target is named for what it runs.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
# The Python that creates .venv, found before .venv/bin goes first on PATH.
HOST_PYTHON := $(shell command -v $(PYTHON))
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
UV_VERSION := 0.13.9
DEMO_REQUIREMENTS := .ci/requirements-demo.txt requirements.txt
TEST_REQUIREMENTS := .ci/requirements.txt $(DEMO_REQUIREMENTS)
DEMO_STAMP := $(VENV)/.demo-$(shell cat $(DEMO_REQUIREMENTS) | sha256sum | cut -c1-12)
TEST_STAMP := $(VENV)/.test-$(shell cat $(TEST_REQUIREMENTS) | sha256sum | cut -c1-12)
# awx.awx for the tests of extensions/awx/configure_awx.yml, apart from .venv's site-packages (see the file).
AWX_COLLECTIONS := $(VENV)/awx
AWX_STAMP := $(AWX_COLLECTIONS)/.done-$(shell cat .ci/requirements-awx.txt | sha256sum | cut -c1-12)
LINK := collections/ansible_collections/cloudops/cbr
FIXTURE := tests/emulator/fixtures/demo.yml
PYTEST_ARGS ?=
export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/collections
export ANSIBLE_NOCOLOR := 1
export NO_COLOR := 1
export ANSIBLE_LOCALHOST_WARNING := false
export PATH := $(BIN):$(PATH)
ifneq ($(wildcard /etc/ssl/certs/ca-certificates.crt),)
export SSL_CERT_FILE ?= /etc/ssl/certs/ca-certificates.crt
endif

# Bytecode in one cache under .venv, never in the source tree: where PYTHONDONTWRITEBYTECODE is set (this project's
# CI machines), every process would otherwise compile ansible-core and requests from source again, about twice a
# playbook's CPU time. Only what is imported is compiled, once; `make clean` removes it with the venv.
unexport PYTHONDONTWRITEBYTECODE
export PYTHONPYCACHEPREFIX := $(CURDIR)/.venv/pycache

# uv when it could be installed (2 s), else pip (about 20 s).
install = if [ -x $(BIN)/uv ]; then $(BIN)/uv pip install -q -p $(BIN)/python $(1); \
          else $(BIN)/python -m pip install -q $(1); fi

.PHONY: demo test venv demo-venv pytest lint ruff-format drop-py2-boilerplate pre-commit sanity sanity-oldest \
        sanity-2.20 sanity-newest cores core-2.20 core-2.21 docs-check docs galaxy-import galaxy-import-pre-publication \
        molecule bench bench-audit bench-uri bench-estate clean

## demo: start the emulator with the demo fixture, share and accept through the collection, print the state
demo: demo-venv
	$(BIN)/python tests/emulator/cbr_emulator.py --port 0 --fixture $(FIXTURE) -- \
	  $(BIN)/ansible-playbook -i playbooks/inventory/hosts.yml playbooks/demo.yml

## test: everything CI runs (`make -k test` reports every failing step)
test: lint pytest docs-check molecule sanity cores galaxy-import-pre-publication docs

## venv: the development venv (what `make test` installs)
venv: $(TEST_STAMP) $(AWX_STAMP) $(LINK)

## demo-venv: only what the demo needs
demo-venv: $(DEMO_STAMP) $(LINK)

# A venv without pip is ready in 0.1 s; the host's pip puts uv into it. Without a usable host pip
# (older than 22.3, or none), a venv with its own pip.
$(DEMO_STAMP): $(DEMO_REQUIREMENTS)
	rm -rf $(VENV)
	$(HOST_PYTHON) -m venv --without-pip $(VENV)
	$(HOST_PYTHON) -m pip --python $(BIN)/python install -q uv==$(UV_VERSION) 2>/dev/null \
	  || { rm -rf $(VENV) && $(HOST_PYTHON) -m venv $(VENV) && { $(BIN)/pip install -q uv==$(UV_VERSION) || true; }; }
	$(call install,$(foreach file,$(DEMO_REQUIREMENTS),-r $(file)))
	touch $@

$(TEST_STAMP): $(DEMO_STAMP) .ci/requirements.txt
	$(call install,-r .ci/requirements.txt -r requirements.txt)
	touch $@

$(AWX_STAMP): .ci/requirements-awx.txt $(DEMO_STAMP)
	rm -rf $(AWX_COLLECTIONS)
	$(call install,--no-deps --target $(AWX_COLLECTIONS) -r .ci/requirements-awx.txt)
	touch $@

# ansible finds the collection as ansible_collections/cloudops/cbr; this link makes the checkout one.
$(LINK):
	mkdir -p $(dir $(LINK))
	ln -sfn ../../.. $(LINK)

## pytest: unit, emulator and integration tests (exit code 5, "no tests collected", fails like any other); each
## file on one worker, so that a module-scoped playbook run that several tests assert on is made once
pytest: venv
	$(BIN)/python -m pytest -n 2 --dist loadfile -q -p no:randomly $(PYTEST_ARGS)

## lint: ansible-lint (production profile, offline; awx.awx from .venv/awx for extensions/awx/configure_awx.yml), the
## changelog fragments, ruff lint and format check
lint: venv
	ANSIBLE_COLLECTIONS_PATH=$(ANSIBLE_COLLECTIONS_PATH):$(CURDIR)/$(AWX_COLLECTIONS) $(BIN)/ansible-lint
	$(BIN)/antsibull-changelog lint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## ruff-format: reformat the Python files in place
ruff-format: venv
	$(BIN)/ruff format .

## drop-py2-boilerplate: remove `from __future__ import absolute_import, ...` and `__metaclass__ = type`
## from every tracked Python file (CONTRIBUTING.md says why; ruff's UP010 and UP001 keep them out)
drop-py2-boilerplate:
	$(HOST_PYTHON) .ci/drop_py2_boilerplate.py

## pre-commit: install the git hook that runs ruff on every commit (.pre-commit-config.yaml)
pre-commit: venv
	$(BIN)/pre-commit install

## sanity: ansible-test sanity on every supported ansible-core: 2.19 (the oldest), 2.20 and 2.21 (the newest)
sanity: sanity-oldest sanity-2.20 sanity-newest

## sanity-oldest: ansible-core from .ci/requirements-demo.txt (2.19), in .venv on its Python
sanity-oldest: venv
	.ci/sanity

## sanity-2.20: ansible-core from .ci/requirements-core-2.20.txt on Python 3.12+ (fails if none is found)
sanity-2.20: venv
	.ci/sanity .ci/requirements-core-2.20.txt

## sanity-newest: ansible-core from .ci/requirements-core-2.21.txt on Python 3.12+ (fails if none is found)
sanity-newest: venv
	.ci/sanity .ci/requirements-core-2.21.txt

## cores: the demo and a smoke test of the role (rerun and check mode change nothing) on ansible-core 2.20 and
## 2.21, each in a venv of its own (.ci/core-venv) on Python 3.12+; make demo and pytest run 2.19
cores: core-2.20 core-2.21

core-2.20: venv
	.ci/core-smoke .ci/requirements-core-2.20.txt

core-2.21: venv
	.ci/core-smoke .ci/requirements-core-2.21.txt

## docs-check: every module's and inventory plugin's ansible-doc renders (text, OS:: values intact) and antsibull-docs lints the docs
docs-check: venv
	for module in plugins/modules/*.py; do \
	  $(BIN)/ansible-doc -t module cloudops.cbr.$$(basename $$module .py) > /dev/null || exit 1; done
	for plugin in plugins/inventory/*.py; do \
	  $(BIN)/ansible-doc -t inventory cloudops.cbr.$$(basename $$plugin .py) > /dev/null || exit 1; done
	$(BIN)/ansible-doc -t role cloudops.cbr.share_and_accept > /dev/null
	$(BIN)/antsibull-docs lint-collection-docs --plugin-docs .

## galaxy-import: build the tarball and run galaxy-importer on it offline, as it would be uploaded; any error or
## warning fails. Fails while galaxy.yml names no repository (Galaxy requires one; no public one exists yet).
galaxy-import: venv
	.ci/galaxy-import

## galaxy-import-pre-publication: the same checks on a copy whose galaxy.yml names a stand-in repository, and says
## so (what make test runs until the collection has a public repository)
galaxy-import-pre-publication: venv
	.ci/galaxy-import --pre-publication

## molecule: the role on localhost against the emulator (converge, idempotence, verify)
molecule: venv
	$(BIN)/molecule test -s share_and_accept

## docs: the antsibull-docs Sphinx site, offline, in docs/sphinx/build/html (warnings fail)
docs: venv
	mkdir -p docs/sphinx/rst && chmod 700 docs/sphinx/rst
	$(BIN)/antsibull-docs --config-file docs/sphinx/antsibull-docs.cfg collection --cleanup everything \
	  --use-current --dest-dir docs/sphinx/rst cloudops.cbr
	$(BIN)/sphinx-build -M html docs/sphinx/rst docs/sphinx/build -c docs/sphinx -W --keep-going -q

## bench: request counts and wall time of the role (prints figures; not a test)
bench: venv
	$(BIN)/python benchmarks/role_requests.py
	$(BIN)/python benchmarks/role_requests.py --latency-ms 50

## bench-audit: the sharing audit over 1,000 backups with 50 ms latency, workers 1, 8, 16
bench-audit: venv
	$(BIN)/python benchmarks/audit.py

## bench-estate: an estate audit over the cbr_projects inventory, 50 projects x 200 backups, one AK/SK, forks 10, 20 ms
bench-estate: venv
	$(BIN)/python benchmarks/estate.py

## bench-uri: the role against hand-written uri tasks, 1 backup x 10 and 100 backups x 3 recipients, 50 ms latency
bench-uri: venv
	$(BIN)/python benchmarks/vs_uri.py

clean:
	rm -rf $(VENV) collections tests/output docs/sphinx/build
