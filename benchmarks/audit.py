# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Print requests, wall time and the floor of the sharing audit (cbr_shared_backup_info) over
1,000 backups with 50 ms of emulator latency, for several worker counts. Not a test.

    make bench-audit    (or: .venv/bin/python benchmarks/audit.py [--backups N] [--latency-ms N] [--workers 1 8 16])

The floor is the round trips that must be sequential (login, backup list pages), plus the member
lists divided among the workers, times the latency.
"""

import argparse
import math
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

OWNER = "0761a1f0e5b34c9b8c2f0f0a7d1e0001"
DEST = "0761a1f0e5b34c9b8c2f0f0a7d1e0002"
PAGE = 1000


def fixture(backups):
    vault = "3a1f0c1e-0000-4000-8000-000000000001"
    return {
        "projects": [
            {
                "id": OWNER,
                "name": "eu-de_source",
                "domain": "acme",
                "users": [{"name": "ops", "password": "pw"}],
                "vaults": [{"id": vault, "name": "vault", "object_type": "server", "size_gb": 100000}],
                "backups": [
                    {
                        "id": "a5200000-0000-4000-8000-%012d" % n,
                        "name": "server-%05d" % n,
                        "vault_id": vault,
                        "resource_type": "OS::Nova::Server",
                        "resource_size_gb": 10,
                    }
                    for n in range(backups)
                ],
            },
            {"id": DEST, "name": "eu-de_dr", "domain": "acme"},
        ],
        "members": [
            {"backup_id": "a5200000-0000-4000-8000-%012d" % n, "dest_project_id": DEST} for n in range(0, backups, 2)
        ],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--backups", type=int, default=1000)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 8, 16])
    args = parser.parse_args()
    server = cbr_emulator.make_server(fixture(args.backups), latency_ms=args.latency_ms)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state, latency = server.emulator.state, args.latency_ms / 1000.0
    env = dict(
        os.environ,
        ANSIBLE_COLLECTIONS_PATH=os.environ.get("ANSIBLE_COLLECTIONS_PATH", os.path.join(ROOT, "collections")),
    )
    print("sharing audit: %d backups, emulator latency %d ms" % (args.backups, args.latency_ms))
    print("%7s %9s %9s %8s" % ("workers", "requests", "wall s", "floor s"))
    with tempfile.TemporaryDirectory() as work:
        for workers in args.workers:
            path = os.path.join(work, "audit.yml")
            auth = {
                "auth_url": server.emulator.base_url + "/v3",
                "username": "ops",
                "password": "pw",
                "domain_name": "acme",
                "project_id": OWNER,
            }
            with open(path, "w", encoding="utf-8") as handle:
                yaml.safe_dump(
                    [
                        {
                            "hosts": "localhost",
                            "gather_facts": False,
                            "tasks": [
                                {
                                    "cloudops.cbr.cbr_shared_backup_info": dict(auth, workers=workers),
                                    "register": "audit",
                                }
                            ],
                        }
                    ],
                    handle,
                )
            with state.lock:
                state.log = []
            started = time.monotonic()
            played = runners.run_playbook(path, env=env)
            assert played.rc == 0, played.output
            wall = time.monotonic() - started
            requests_sent = len(state.log)
            sequential = 1 + math.ceil((args.backups + 1) / PAGE)  # login + backup list pages
            floor = (sequential + math.ceil(args.backups / workers)) * latency
            print("%7d %9d %9.2f %8.2f" % (workers, requests_sent, wall, floor))
    server.shutdown()


if __name__ == "__main__":
    main()
