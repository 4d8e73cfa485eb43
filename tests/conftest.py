# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared pytest fixtures: the collection on sys.path, and a CBR emulator on 127.0.0.1:0."""

import atexit
import os
import shutil
import socketserver
import sys
import tempfile
import threading
import time

import pytest
from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder

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
# ansible's collection loader, as `ansible-test units` installs it: the collection imports through it, and ansible's
# plugin loader finds its plugins in this process (tests/runners.py's inventory_in_process()).
_AnsibleCollectionFinder(paths=[COLLECTIONS_ROOT])._install()  # pylint: disable=protected-access
sys.path.insert(0, os.path.join(TESTS_DIR, "emulator"))
# ansible-playbook run by the tests finds the collection here.
os.environ["ANSIBLE_COLLECTIONS_PATH"] = COLLECTIONS_ROOT
# The processes the tests start compile each module payload's sources once per test run (tests/payload_cache says why).
os.environ["PYTHONPATH"] = os.pathsep.join(
    [os.path.join(TESTS_DIR, "payload_cache")] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
)
if "CBR_PAYLOAD_CACHE" not in os.environ:
    if os.environ.get("PYTHONPYCACHEPREFIX"):  # make's bytecode cache (.venv/pycache)
        os.environ["CBR_PAYLOAD_CACHE"] = os.path.join(os.environ["PYTHONPYCACHEPREFIX"], "cbr-payloads")
    else:
        os.environ["CBR_PAYLOAD_CACHE"] = tempfile.mkdtemp(prefix="cbr-payload-cache-")
        atexit.register(shutil.rmtree, os.environ["CBR_PAYLOAD_CACHE"], True)

import cbr_emulator  # noqa: E402  pylint: disable=wrong-import-position

# Seconds a server thread waits between checks for shutdown (socketserver's default, 0.5, is what a stop waits).
SHUTDOWN_POLL = 0.05
# The profile every emulator of the run starts in (CBR_EMULATOR_PROFILE=lenient runs the suite against the lenient one).
DEFAULT_PROFILE = os.environ.get("CBR_EMULATOR_PROFILE", cbr_emulator.STRICT)


class RunningEmulator:
    """An emulator served from a thread (both addresses), with helpers to read its log and to set it up."""

    def __init__(self, fixture, profile=DEFAULT_PROFILE):
        self.server = cbr_emulator.make_server(fixture, profile=profile)
        self.emulator = self.server.emulator
        self.url = self.emulator.base_url
        self.vbs_url = self.emulator.vbs_url
        self.default_profile = profile
        # A short poll: stop() (shutdown) waits for it on both listeners, once per module.
        self.thread = threading.Thread(target=self.server.serve_forever, args=(SHUTDOWN_POLL,), daemon=True)
        self.thread.start()

    @property
    def state(self):
        return self.emulator.state

    def requests(self, api_only=True):
        """The request log (a copy), without IAM logins when api_only.

        Each entry: method, path, query, status, auth_type, identity (user name or access key id),
        scope_project (the credential's project; also under project_id) and listener ("main" or "vbs").
        """
        with self.state.lock:
            log = list(self.state.log)
        return [entry for entry in log if not api_only or entry["path"] != "/v3/auth/tokens"]

    def writes(self):
        return [entry for entry in self.requests() if entry["method"] in ("POST", "PUT", "DELETE")]

    def identities(self, api_only=True):
        """(identity, scope_project) of every logged request, in order."""
        return [(entry["identity"], entry["scope_project"]) for entry in self.requests(api_only)]

    def clear_log(self):
        with self.state.lock:
            self.state.log = []

    def add_fault(self, **rule):
        with self.state.lock:
            self.state.faults.append(cbr_emulator.FaultRule(rule))

    def seed_member(self, backup_id, dest_project_id, status="pending", vault_id=None, **fields):
        """A share member in place without the API's checks (POST /__emulator__/members); returns its view."""
        body = dict(fields, backup_id=backup_id, dest_project_id=dest_project_id, status=status, vault_id=vault_id)
        code, answer = self.emulator.control("POST", "/members", body)
        assert code == 201, answer
        return answer["member"]

    def add_backup(self, project_id, **fields):
        """A new backup of the project (POST /__emulator__/backups), fixture fields; created now by default."""
        code, answer = self.emulator.control("POST", "/backups", dict(fields, project_id=project_id))
        assert code == 201, answer
        return answer["backup"]

    def age(self, seconds):
        """Time passes (POST /__emulator__/age): every backup and member becomes `seconds` older."""
        code, answer = self.emulator.control("POST", "/age", {"seconds": seconds})
        assert code == 204, answer

    def set_profile(self, name):
        """strict or lenient (cbr_emulator.UNCONFIRMED); the emulator fixture restores the default per test."""
        self.emulator.set_profile(name)

    @property
    def profile(self):
        return self.emulator.profile

    def set_switches(self, **on):
        """Field faults of cbr_emulator.SWITCHES, on until the next reset (the emulator fixture resets per test)."""
        code, answer = self.emulator.control("POST", "/switches", on)
        assert code == 204, answer

    def set_rate_limit(self, per_second):
        """Requests per second per user / access key (0 = off); the emulator fixture turns it off per test."""
        self.emulator.limiter.configure(per_second)

    def restore_defaults(self):
        """Fixture state, empty log, no faults, no latency, default profile, no rate limit."""
        self.state.reset()
        self.emulator.latency_ms = 0
        self.emulator.set_profile(self.default_profile)
        self.emulator.limiter.configure(0)
        self.emulator.limiter.clock = time.monotonic

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def _own_pace_directory(tmp_path_factory, monkeypatch):
    """Each test keeps its own identities' paces (_throttle.SharedPace, under the temporary directory), in this
    process and in the ansible-playbook it starts: a pace learned in one test never slows the next."""
    directory = str(tmp_path_factory.mktemp("pace"))
    monkeypatch.setattr(tempfile, "tempdir", directory)
    monkeypatch.setenv("TMPDIR", directory)


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
    _emulator_server.restore_defaults()
    return _emulator_server


@pytest.fixture(scope="module")
def start_emulator():
    """start_emulator(fixture, profile=DEFAULT_PROFILE) -> a RunningEmulator for a fixture of the test's own.

    Stopped after the module.
    """
    started = []

    def start(fixture, profile=DEFAULT_PROFILE):
        running = RunningEmulator(fixture, profile)
        started.append(running)
        return running

    yield start
    # Each stop waits for its serving loops to notice (SHUTDOWN_POLL, both listeners): side by side, they wait once.
    stopping = [threading.Thread(target=running.stop) for running in started]
    for thread in stopping:
        thread.start()
    for thread in stopping:
        thread.join()


class Trap:
    """A listener on a free port of 127.0.0.1 that records every byte sent to it and answers 200 {}.

    Stands for "another host": a test points a redirect here and asserts that `received` stays empty.
    """

    def __init__(self):
        received = self.received = []

        class Recorder(socketserver.BaseRequestHandler):
            def handle(self):
                self.request.settimeout(2)
                data = b""
                try:
                    while b"\r\n\r\n" not in data:
                        chunk = self.request.recv(65536)
                        if not chunk:
                            break
                        data += chunk
                    received.append(data)
                    self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
                except OSError:
                    received.append(data)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Recorder)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        # A short poll: stop() (shutdown) waits for it, once per test.
        threading.Thread(target=self.server.serve_forever, args=(SHUTDOWN_POLL,), daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def estate_server(start_emulator):
    """The estate fixture's emulator (12 projects, 2 regions, 2 accounts), one per test module."""
    from estate_ids import ESTATE_FIXTURE  # pylint: disable=import-error,import-outside-toplevel

    return start_emulator(cbr_emulator.load_fixture(ESTATE_FIXTURE))


@pytest.fixture
def estate(estate_server):
    """The estate emulator, reset to its fixture before each test."""
    estate_server.restore_defaults()
    return estate_server


@pytest.fixture
def trap():
    """A Trap (another address): what reached it is in trap.received."""
    running = Trap()
    yield running
    running.stop()
