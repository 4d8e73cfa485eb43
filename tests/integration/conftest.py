# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""tests/runners.py as fixtures: a module in this process; tasks or a playbook through ansible-playbook. And an
answer of the emulator a few tests change."""

import subprocess
import threading

import pytest

import cbr_emulator  # pylint: disable=import-error
import runners  # pylint: disable=import-error  # tests/runners.py, on sys.path through tests/conftest.py's directory


@pytest.fixture
def run_module():
    """run_module(name, args, check_mode=False, diff=False) -> the module's result dict, run in this process."""
    return runners.run_module


@pytest.fixture
def play(tmp_path):
    """play(tasks, check=False, diff=False, defaults=None, verbosity=0, env=None) -> PlayResult.

    Every task is registered (and may fail without stopping the play); result[i] is task i's registered
    result. `defaults` go to module_defaults of the action group.
    """

    def run(tasks, defaults=None, **options):
        return runners.play_tasks(tmp_path, tasks, defaults=defaults, **options)

    return run


@pytest.fixture
def run_playbook():
    """run_playbook(path, inventory="localhost,", extra_vars=None, check=False, ...) -> PlayResult."""
    return runners.run_playbook


@pytest.fixture
def shared_entries_without_owner(emulator):
    """For the test, the emulator's backup list leaves project_id (the owner) out of every entry."""
    handler = emulator.emulator.list_backups

    def without_owner(request, pid):
        status, headers, body = handler(request, pid)
        for backup in body["backups"]:
            backup.pop("project_id", None)
        return status, headers, body

    routes = emulator.emulator.routes
    (index,) = [n for n, route in enumerate(routes) if route[2] == handler]
    routes[index] = (routes[index][0], routes[index][1], without_owner)
    yield
    routes[index] = (routes[index][0], routes[index][1], handler)


@pytest.fixture(scope="module")
def tls_emulator(tmp_path_factory, demo_fixture):
    """The demo emulator over HTTPS with a self-signed certificate: (emulator, path of the certificate)."""
    work = tmp_path_factory.mktemp("tls")
    cert, key = str(work / "cert.pem"), str(work / "key.pem")
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            key,
            "-out",
            cert,
        ],
        check=True,
        capture_output=True,
    )
    server = cbr_emulator.make_server(demo_fixture, tls_cert=cert, tls_key=key)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()  # a short poll: a quick stop
    yield server.emulator, cert
    server.shutdown()
    server.server_close()
