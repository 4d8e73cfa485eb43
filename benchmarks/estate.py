# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Print how an estate audit fares: hosts from the cbr_projects inventory, one AK/SK, forks. Not a test.

    .venv/bin/python benchmarks/estate.py [--projects 50] [--backups 200] [--shared 0.1] [--latency-ms 20]
        [--limit 20] [--forks 10] [--workers 8] [--scenarios unlimited limited unshared slices]

The estate (tests/emulator/cbr_emu/estate.py make_estate) has --projects projects in eu-de and eu-nl, each with
--backups server backups of which --shared are shared within the estate. Every project host runs the owner audit
(cbr_shared_backup_info: the backup list and every backup's members) with the AK/SK from the environment and its
scope and location from the inventory's host variables. Scenarios:

  unlimited  no rate limit: one job, --forks forks
  limited    the emulator limits the identity to --limit requests/s: one job, --forks forks (one shared pace)
  unshared   as limited, but each fork keeps its own pace (the pace directory is not private: no sharing)
  slices     as limited, in two job slices at once, as on two AWX execution nodes (nothing shared between them),
             each with rate_limit = --limit / 2 (what the README says to set)

"requests" counts what the emulator saw (logins included); "floor s" is the least time the requests answered
can take: answered / limit under a limit, else requests x latency / (forks x workers). "peak MB" is the largest
resident memory of the ansible-playbook process trees (polled every 0.2 s).
"""

import argparse
import json
import os
import re
import subprocess
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

ACCESS_KEY = "AKESTATE0000000000000"
PLAYBOOK_BIN = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")


def playbook(workers):
    task = {"name": "Audit the project's sharing", "cloudops.cbr.cbr_shared_backup_info": {"workers": workers}}
    return runners.project_hosts_play([task], rate_limit="{{ estate_rate_limit | default(omit) }}")


def tree_rss(root):
    """Resident memory (bytes) of a process and all its descendants, from /proc."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except OSError:
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            with open("/proc/%d/statm" % pid) as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            continue
    return total


def run_jobs(jobs):
    """Start the ansible-playbook commands at once; (seconds until the last ended, [rc], [output], peak bytes)."""
    started = time.monotonic()
    processes = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for command, env in jobs
    ]
    outputs = [None] * len(processes)

    def drain(index, process):
        outputs[index] = process.stdout.read()

    readers = [threading.Thread(target=drain, args=(i, p)) for i, p in enumerate(processes)]
    for reader in readers:
        reader.start()
    peak = 0
    while any(process.poll() is None for process in processes):
        peak = max(peak, sum(tree_rss(process.pid) for process in processes if process.poll() is None))
        time.sleep(0.2)
    for reader in readers:
        reader.join()
    return time.monotonic() - started, [p.returncode for p in processes], outputs, peak


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--projects", type=int, default=50)
    parser.add_argument("--backups", type=int, default=200)
    parser.add_argument("--shared", type=float, default=0.1)
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument("--limit", type=float, default=20, help="the emulator's requests per second per identity")
    parser.add_argument("--forks", type=int, default=10)
    parser.add_argument("--workers", type=int, default=8, help="the audit's workers in each task")
    parser.add_argument(
        "--scenarios",
        nargs="+",
        default=["unlimited", "limited", "unshared", "slices"],
        choices=["unlimited", "limited", "unshared", "slices"],
    )
    args = parser.parse_args()
    fixture = cbr_emulator.make_estate(projects=args.projects, backups=args.backups, shared=args.shared)
    server = cbr_emulator.make_server(fixture, latency_ms=args.latency_ms)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    emulator, url, vbs_url = server.emulator, server.emulator.base_url, server.emulator.vbs_url
    print(
        "estate: %d projects x %d backups (%g shared) in eu-de and eu-nl, one AK/SK; latency %d ms; forks %d, "
        "audit workers %d" % (args.projects, args.backups, args.shared, args.latency_ms, args.forks, args.workers)
    )
    print(
        "%-9s %6s %7s %9s %6s %6s %8s %7s %8s  %s"
        % ("scenario", "limit", "slices", "requests", "429", "429 %", "floor s", "wall s", "peak MB", "result")
    )
    with tempfile.TemporaryDirectory() as work:
        config = os.path.join(work, "estate.cbr_projects.yml")
        with open(config, "w") as handle:
            yaml.safe_dump(
                {
                    "plugin": "cloudops.cbr.cbr_projects",
                    "auth_url": url + "/{region}/v3",
                    "region": "eu-de",
                    "endpoints": {"cbr": url + "/{region}", "vbs": vbs_url + "/{region}"},
                },
                handle,
            )
        play = os.path.join(work, "estate.yml")
        with open(play, "w") as handle:
            yaml.safe_dump(playbook(args.workers), handle, sort_keys=False)
        hosts = sorted(project["name"] for project in fixture["projects"])
        base_env = dict(
            (name, value) for name, value in os.environ.items() if not name.startswith(("OS_", "HW_", "HUAWEICLOUD_"))
        )
        base_env.update(
            ANSIBLE_COLLECTIONS_PATH=os.environ.get("ANSIBLE_COLLECTIONS_PATH", os.path.join(ROOT, "collections")),
            ANSIBLE_INVENTORY_UNPARSED_FAILED="true",
            ANSIBLE_NOCOLOR="1",
            ANSIBLE_RETRY_FILES_ENABLED="false",
            OS_ACCESS_KEY=ACCESS_KEY,
            OS_SECRET_KEY=ACCESS_KEY.lower() + "-secret",
        )
        for scenario in args.scenarios:
            limit = 0 if scenario == "unlimited" else args.limit
            emulator.state.reset()
            emulator.limiter.configure(limit)
            slices = 2 if scenario == "slices" else 1
            jobs = []
            for number in range(slices):
                pace_dir = os.path.join(work, "%s-node%d" % (scenario, number))
                os.mkdir(pace_dir, 0o700)
                if scenario == "unshared":
                    # Not private: no fork shares a pace (_throttle.private_directory refuses it).
                    os.chmod(pace_dir, 0o777)
                    os.mkdir(os.path.join(pace_dir, "cloudops.cbr-pace-%d" % os.getuid()), 0o777)
                    os.chmod(os.path.join(pace_dir, "cloudops.cbr-pace-%d" % os.getuid()), 0o777)
                command = [PLAYBOOK_BIN, "-i", config, play, "-f", str(args.forks)]
                if slices > 1:
                    # AWX's job slicing: slice n of N gets every N-th host.
                    command += ["--limit", ",".join(hosts[number::slices])]
                    command += ["-e", json.dumps({"estate_rate_limit": args.limit / slices})]
                jobs.append((command, dict(base_env, TMPDIR=pace_dir)))
            wall, codes, outputs, peak = run_jobs(jobs)
            with emulator.state.lock:
                statuses = [entry["status"] for entry in emulator.state.log]
            sent, refused = len(statuses), statuses.count(429)
            answered = sent - refused
            floor = answered / limit if limit else sent * args.latency_ms / 1000.0 / (args.forks * args.workers)
            failed = [output for code, output in zip(codes, outputs) if code != 0]
            ok = sum(len(re.findall(r"ok=1\s+changed=0\s+unreachable=0\s+failed=0", output)) for output in outputs)
            print(
                "%-9s %6s %7d %9d %6d %5.1f%% %8.1f %7.1f %8.0f  %s"
                % (
                    scenario,
                    "%g" % limit if limit else "-",
                    slices,
                    sent,
                    refused,
                    100.0 * refused / max(sent, 1),
                    floor,
                    wall,
                    peak / 1e6,
                    "FAILED" if failed else "ok (%d hosts)" % ok,
                )
            )
            for output in failed:
                print(output[-3000:])
    server.shutdown()


if __name__ == "__main__":
    main()
