# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Print how tasks fare under the API gateway's per-user rate limit (emulator --rate-limit). Not a test.

    .venv/bin/python benchmarks/throttle.py [--scenarios audit share] [--backups 1000] [--share-backups 100]
        [--latency-ms 20] [--limit 20] [--workers 8] [--rate-limits none 20] [--collections DIR]

audit: the sharing audit (cbr_shared_backup_info) of --backups backups, as benchmarks/audit.py runs it.
share: cbr_share_member sharing --share-backups backups with 3 recipients in one task (backup_ids).
Each runs once without the rate_limit option and once per --rate-limits value. "request s" is the time from
the first to the last request the emulator saw; "bound s" is 1.25 x requests answered / limit. --collections
runs another checkout's modules (a directory holding ansible_collections/cloudops/cbr), e.g. an older commit's.
"""

import argparse
import os
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "emulator"))
sys.path.insert(0, os.path.join(ROOT, "tests"))

import cbr_emulator  # noqa: E402  pylint: disable=wrong-import-position,import-error
import runners  # noqa: E402  pylint: disable=wrong-import-position,import-error

OWNER = "0761a1f0e5b34c9b8c2f0f0a7d1e0001"
RECIPIENTS = ["0761a1f0e5b34c9b8c2f0f0a7d1e00%02d" % n for n in (2, 3, 4)]
VAULT = "3a1f0c1e-0000-4000-8000-000000000001"


def backup_id(number):
    return "a5200000-0000-4000-8000-%012d" % number


def fixture(backups):
    return {
        "projects": [
            {
                "id": OWNER,
                "name": "eu-de_source",
                "domain": "acme",
                "users": [{"name": "ops", "password": "pw"}],
                "vaults": [{"id": VAULT, "name": "vault", "object_type": "server", "size_gb": 100000}],
                "backups": [
                    {
                        "id": backup_id(n),
                        "name": "server-%05d" % n,
                        "vault_id": VAULT,
                        "resource_type": "OS::Nova::Server",
                        "resource_size_gb": 10,
                    }
                    for n in range(backups)
                ],
            }
        ]
        + [{"id": project, "name": "eu-de_r%d" % n, "domain": "acme"} for n, project in enumerate(RECIPIENTS)],
        "members": [{"backup_id": backup_id(n), "dest_project_id": RECIPIENTS[0]} for n in range(0, backups, 2)],
    }


def task(scenario, args, rate_limit, url):
    auth = {"auth_url": url + "/v3", "username": "ops", "password": "pw", "domain_name": "acme", "project_id": OWNER}
    if rate_limit is not None:
        auth["rate_limit"] = rate_limit
    if scenario == "audit":
        return {"cloudops.cbr.cbr_shared_backup_info": dict(auth, workers=args.workers)}
    return {
        "cloudops.cbr.cbr_share_member": dict(
            auth,
            backup_ids=[backup_id(n) for n in range(args.share_backups)],
            dest_project_ids=RECIPIENTS,
            workers=args.workers,
        )
    }


def run(scenario, args, rate_limit, server, times, work):
    """(failure message or None, requests, 429s, request seconds, wall seconds) of one task."""
    emulator = server.emulator
    emulator.state.reset()
    emulator.limiter.configure(args.limit)
    del times[:]
    started = time.monotonic()
    played = runners.play_tasks(
        work, [task(scenario, args, rate_limit, emulator.base_url)], env={"ANSIBLE_COLLECTIONS_PATH": args.collections}
    )
    wall = time.monotonic() - started
    result = played[0]
    failure = result.get("msg", "failed") if result.get("failed") else None
    with emulator.state.lock:
        statuses = [entry["status"] for entry in emulator.state.log]
    return failure, len(statuses), statuses.count(429), max(times) - min(times), wall


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--scenarios", nargs="+", default=["audit", "share"], choices=["audit", "share"])
    parser.add_argument("--backups", type=int, default=1000)
    parser.add_argument("--share-backups", type=int, default=100)
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument("--limit", type=float, default=20, help="the emulator's requests per second per user")
    parser.add_argument("--workers", type=int, default=8, help="the workers of each task")
    parser.add_argument(
        "--rate-limits",
        nargs="*",
        default=["none", "20"],
        help="the task's rate_limit option for each run (none: not set)",
    )
    parser.add_argument(
        "--collections", default=os.environ.get("ANSIBLE_COLLECTIONS_PATH", os.path.join(ROOT, "collections"))
    )
    args = parser.parse_args()
    server = cbr_emulator.make_server(fixture(args.backups), latency_ms=args.latency_ms)
    times = []
    record = server.emulator.record

    def timed_record(request, status):
        times.append(time.monotonic())
        record(request, status)

    server.emulator.record = timed_record
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(
        "emulator: %d backups, latency %d ms, rate limit %g requests/s per user; audit workers %d; modules from %s"
        % (args.backups, args.latency_ms, args.limit, args.workers, args.collections)
    )
    print(
        "%-6s %10s %9s %6s %7s %10s %8s %7s  %s"
        % ("task", "rate_limit", "requests", "429", "429 %", "request s", "bound s", "wall s", "result")
    )
    with tempfile.TemporaryDirectory() as work:
        for scenario in args.scenarios:
            for rate_limit in args.rate_limits:
                rate_limit = None if rate_limit == "none" else float(rate_limit)
                failure, sent, refused, span, wall = run(scenario, args, rate_limit, server, times, work)
                bound = 1.25 * (sent - refused) / args.limit
                print(
                    "%-6s %10s %9d %6d %6.1f%% %10.1f %8.1f %7.1f  %s"
                    % (
                        scenario,
                        "-" if rate_limit is None else "%g" % rate_limit,
                        sent,
                        refused,
                        100.0 * refused / sent,
                        span,
                        bound,
                        wall,
                        "FAILED: %s" % failure if failure else "ok",
                    )
                )
    server.shutdown()


if __name__ == "__main__":
    main()
