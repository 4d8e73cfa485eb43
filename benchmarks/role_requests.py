# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Print the wall time and the requests of the share_and_accept role: 1 backup x 3 recipients,
first run and converged rerun, against the emulator (optionally with latency). Not a test.

    make bench    (or: .venv/bin/python benchmarks/role_requests.py [--latency-ms 50])
"""

import argparse
import collections
import os
import sys
import tempfile
import threading
import time

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "emulator"))
sys.path.insert(0, os.path.join(ROOT, "tests"))

import cbr_emulator  # noqa: E402  pylint: disable=wrong-import-position,import-error
import runners  # noqa: E402  pylint: disable=wrong-import-position,import-error

PROJECTS = {
    "0761a1f0e5b34c9b8c2f0f0a7d1e0001": ("ops-source", "source-pass"),
    "0761a1f0e5b34c9b8c2f0f0a7d1e0002": ("ops-dr", "dr-pass"),
    "0761a1f0e5b34c9b8c2f0f0a7d1e0003": ("ops-golden", "golden-pass"),
    "0761a1f0e5b34c9b8c2f0f0a7d1e0004": ("ops-customer", "customer-pass"),
}


def auth(url, project_id):
    user, password = PROJECTS[project_id]
    return {
        "auth_url": url + "/v3",
        "username": user,
        "password": password,
        "domain_name": "acme",
        "project_id": project_id,
    }


def playbook(url):
    owner, *recipients = PROJECTS
    return [
        {
            "hosts": "localhost",
            "gather_facts": False,
            "roles": ["cloudops.cbr.share_and_accept"],
            "vars": {
                "share_and_accept_owner_auth": auth(url, owner),
                "share_and_accept_backup_ids": ["a5200000-0000-4000-8000-000000000001"],
                "share_and_accept_recipients": [{"project_id": p, "auth": auth(url, p)} for p in recipients],
            },
        }
    ]


def count(log):
    kinds = collections.Counter()
    for entry in log:
        if entry["path"] == "/v3/auth/tokens":
            kinds["logins"] += 1
        elif entry["method"] == "GET":
            kinds["reads"] += 1
        else:
            kinds["writes"] += 1
    return kinds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--latency-ms", type=int, default=0)
    args = parser.parse_args()
    fixture = cbr_emulator.load_fixture(os.path.join(ROOT, "tests", "emulator", "fixtures", "demo.yml"))
    server = cbr_emulator.make_server(fixture, latency_ms=args.latency_ms)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state = server.emulator.state
    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, "play.yml")
        with open(path, "w", encoding="utf-8") as handle:
            yaml.safe_dump(playbook(server.emulator.base_url), handle)
        print("share_and_accept, 1 backup x 3 recipients, emulator latency %d ms" % args.latency_ms)
        print("%-10s %8s %7s %6s %7s %6s" % ("run", "wall s", "logins", "reads", "writes", "total"))
        for run in ("first", "rerun"):
            with state.lock:
                state.log = []
            started = time.monotonic()
            collections_path = os.environ.get("ANSIBLE_COLLECTIONS_PATH", os.path.join(ROOT, "collections"))
            played = runners.run_playbook(path, env=dict(ANSIBLE_COLLECTIONS_PATH=collections_path))
            assert played.rc == 0, played.output
            wall = time.monotonic() - started
            kinds = count(state.log)
            print(
                "%-10s %8.2f %7d %6d %7d %6d"
                % (run, wall, kinds["logins"], kinds["reads"], kinds["writes"], sum(kinds.values()))
            )
    server.shutdown()


if __name__ == "__main__":
    main()
