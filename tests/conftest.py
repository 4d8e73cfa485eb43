# -*- coding: utf-8 -*-
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared pytest fixtures: the collection on sys.path, and a CBR emulator on 127.0.0.1:0."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import atexit
import os
import shutil
import sys
import tempfile
import threading

import pytest

TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(TESTS_DIR)
DEMO_FIXTURE = os.path.join(TESTS_DIR, "emulator", "fixtures", "demo.yml")


def _collections_root():
    """A directory X with X/ansible_collections/cloudops/cbr being this checkout.

    The checkout itself when it already sits in such a tree, else a temporary symlink farm.
    """
    parts = REPO_ROOT.split(os.sep)
    if len(parts) > 3 and parts[-3] == "ansible_collections":
        return os.sep.join(parts[:-3])
    root = tempfile.mkdtemp(prefix="cbr-collections-")
    atexit.register(shutil.rmtree, root, True)
    os.makedirs(os.path.join(root, "ansible_collections", "cloudops"))
    os.symlink(REPO_ROOT, os.path.join(root, "ansible_collections", "cloudops", "cbr"))
    return root


COLLECTIONS_ROOT = _collections_root()
if COLLECTIONS_ROOT not in sys.path:
    sys.path.insert(0, COLLECTIONS_ROOT)
sys.path.insert(0, os.path.join(TESTS_DIR, "emulator"))
# ansible-playbook run by the tests finds the collection here.
os.environ["ANSIBLE_COLLECTIONS_PATH"] = COLLECTIONS_ROOT

import cbr_emulator  # noqa: E402  pylint: disable=wrong-import-position


class RunningEmulator:
    """An emulator served from a thread, with helpers to read its request log."""

    def __init__(self, fixture):
        self.server = cbr_emulator.make_server(fixture)
        self.emulator = self.server.emulator
        self.url = self.emulator.base_url
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def state(self):
        return self.emulator.state

    def requests(self, api_only=True):
        """The request log (a copy), without IAM logins when api_only."""
        with self.state.lock:
            log = list(self.state.log)
        return [entry for entry in log if not api_only or entry["path"] != "/v3/auth/tokens"]

    def writes(self):
        return [entry for entry in self.requests() if entry["method"] in ("POST", "PUT", "DELETE")]

    def clear_log(self):
        with self.state.lock:
            self.state.log = []

    def add_fault(self, **rule):
        with self.state.lock:
            self.state.faults.append(cbr_emulator.FaultRule(rule))

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def demo_fixture():
    return cbr_emulator.load_fixture(DEMO_FIXTURE)


@pytest.fixture(scope="session")
def _emulator_server(demo_fixture):
    running = RunningEmulator(demo_fixture)
    yield running
    running.stop()


@pytest.fixture
def emulator(_emulator_server):
    """The demo-fixture emulator, reset to the fixture before each test."""
    _emulator_server.state.reset()
    _emulator_server.emulator.latency_ms = 0
    return _emulator_server


@pytest.fixture(scope="module")
def start_emulator():
    """start_emulator(fixture) -> a RunningEmulator for a fixture of the test's own; stopped after the module."""
    started = []

    def start(fixture):
        running = RunningEmulator(fixture)
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()
