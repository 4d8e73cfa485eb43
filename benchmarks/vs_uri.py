# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The share_and_accept role against hand-written uri tasks (benchmarks/uri_baseline.yml), in the same run:
1 backup x 10 recipients and 100 backups x 3 recipients, each recipient accepting into its vault; first run
and converged rerun; emulator latency 50 ms. Prints wall time (median), requests (logins/reads/writes) and
the floor. Also the import time of the module_utils and the per-task overhead of a module against
ansible.builtin.ping. Not a test.

    make bench-uri    (or: .venv/bin/python benchmarks/vs_uri.py [--repeat 3] [--latency-ms 50]
                            [--scenarios 1x10 100x3])

The floor is the requests strictly needed, one after the other, times the latency. First run: one login
per project, one POST per backup, one PUT per backup and recipient. Converged rerun: one login, the backup
list and one member list per backup. Requests sent concurrently can beat it.

Installed packages load from bytecode, as in an installation (pip writes it at install, Python at the first import),
from a cache of the benchmark's own (PYTHONPYCACHEPREFIX; nothing is written to the venv or the repository), filled
by a warm-up run of each tool that is not counted. A module's payload is compiled on every run in both cases
(Ansible ships module_utils in a zip without bytecode). --no-bytecode measures as on a machine with
PYTHONDONTWRITEBYTECODE=1 and no .pyc anywhere: every process then compiles everything it imports (requests in
each cbr module run, ansible in each ansible-playbook), which weighs on tools by the libraries they import.
"""

import argparse
import collections
import contextlib
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTIONS = os.environ.get("ANSIBLE_COLLECTIONS_PATH", os.path.join(ROOT, "collections"))
sys.path.insert(0, os.path.join(ROOT, "tests", "emulator"))

import cbr_emulator  # noqa: E402  pylint: disable=wrong-import-position,import-error

OWNER = "0761a1f0e5b34c9b8c2f0f0a7d1e0001"
PLAYBOOK = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
TOOLS = ("role", "uri")
# The environment of every process the benchmark starts: main() sets it from python_environment().
ENVIRONMENT = {}


def python_environment(work, bytecode):
    """With bytecode, installed packages load from a bytecode cache under `work` (written on first import);
    without, nothing is compiled ahead or kept."""
    environment = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS)
    if bytecode:
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
        environment["PYTHONPYCACHEPREFIX"] = os.path.join(work, "pycache")
    else:
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        environment.pop("PYTHONPYCACHEPREFIX", None)
    return environment


def recipient(number):
    return {
        "project_id": "%032x" % (0x100 + number),
        "username": "ops-%d" % number,
        "password": "pw-%d" % number,
        "domain": "acme",
        "vault_id": "3a1f0c1e-0000-4000-8000-%012d" % (100 + number),
    }


def backup_ids(count):
    return ["a5200000-0000-4000-8000-%012d" % (1 + number) for number in range(count)]


def fixture(backups, recipients):
    projects = [
        {
            "id": OWNER,
            "name": "eu-de_source",
            "domain": "acme",
            "users": [{"name": "ops-source", "password": "source-pass"}],
            "backups": [
                {
                    "id": backup_id,
                    "name": "web-%d" % number,
                    "resource_type": "OS::Nova::Server",
                    "resource_size_gb": 40,
                }
                for number, backup_id in enumerate(backups)
            ],
        }
    ]
    for entry in recipients:
        projects.append(
            {
                "id": entry["project_id"],
                "name": "eu-de_" + entry["username"],
                "domain": "acme",
                "users": [{"name": entry["username"], "password": entry["password"]}],
                "vaults": [{"id": entry["vault_id"], "name": "v", "object_type": "server", "size_gb": 100000}],
            }
        )
    return {"projects": projects}


def password_auth(url, entry):
    return {
        "auth_url": url + "/v3",
        "username": entry["username"],
        "password": entry["password"],
        "domain_name": "acme",
        "project_id": entry["project_id"],
    }


def role_play(url, backups, recipients):
    owner = {"username": "ops-source", "password": "source-pass", "project_id": OWNER}
    return [
        {
            "hosts": "localhost",
            "gather_facts": False,
            "roles": ["cloudops.cbr.share_and_accept"],
            "vars": {
                "share_and_accept_owner_auth": password_auth(url, owner),
                "share_and_accept_backup_ids": backups,
                "share_and_accept_recipients": [
                    {"project_id": r["project_id"], "vault_id": r["vault_id"], "auth": password_auth(url, r)}
                    for r in recipients
                ],
            },
        }
    ]


def uri_vars(url, backups, recipients):
    return {
        "baseline_iam_url": url,
        "baseline_cbr_url": url,
        "baseline_backup_ids": backups,
        "baseline_owner": {"username": "ops-source", "password": "source-pass", "domain": "acme", "project_id": OWNER},
        "baseline_recipients": recipients,
    }


def run_playbook(path, extra_vars_file=None):
    """(wall seconds, CPU seconds of ansible-playbook and every process it started)."""
    command = [
        PLAYBOOK,
        "-i",
        "localhost,",
        "-c",
        "local",
        path,
        "-e",
        "ansible_python_interpreter=%s" % sys.executable,
    ]
    if extra_vars_file:
        command += ["-e", "@" + extra_vars_file]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=ENVIRONMENT)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def split(log):
    kinds = collections.Counter()
    for entry in log:
        kinds[
            "logins" if entry["path"] == "/v3/auth/tokens" else "reads" if entry["method"] == "GET" else "writes"
        ] += 1
    return kinds


@contextlib.contextmanager
def serving(fixture_, latency_ms=0, profile="strict"):
    """An emulator on a free port for the block: its Emulator (base_url, state)."""
    server = cbr_emulator.make_server(fixture_, latency_ms=latency_ms, profile=profile)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.emulator
    finally:
        server.shutdown()
        server.server_close()


def attempt(work, tool, backup_count, count, latency_ms, profile):
    """{run: (wall, cpu, request split)} for the first run and the rerun of `tool` on a fresh emulator."""
    recipients = [recipient(n) for n in range(count)]
    backups = backup_ids(backup_count)
    with serving(fixture(backups, recipients), latency_ms, profile) as emulator:
        return run_both(work, tool, emulator, backups, recipients)


def run_both(work, tool, emulator, backups, recipients):
    """The first run and the rerun of `tool` against the emulator; every share ends accepted."""
    url, state = emulator.base_url, emulator.state
    if tool == "role":
        path, extra = os.path.join(work, "role.yml"), None
        with open(path, "w", encoding="utf-8") as handle:
            yaml.safe_dump(role_play(url, backups, recipients), handle)
    else:
        path, extra = os.path.join(ROOT, "benchmarks", "uri_baseline.yml"), os.path.join(work, "vars.yml")
        with open(extra, "w", encoding="utf-8") as handle:
            yaml.safe_dump(uri_vars(url, backups, recipients), handle)
    measured = {}
    for run in ("first", "rerun"):
        with state.lock:
            state.log = []
        wall, cpu = run_playbook(path, extra)
        with state.lock:
            measured[run] = (wall, cpu, split(state.log))
    accepted = [m["status"] for backup_id in backups for m in state.members.get(backup_id, {}).values()]
    assert accepted == ["accepted"] * (len(recipients) * len(backups)), accepted
    return measured


def measure(work, backup_count, count, repeat, latency_ms, profile):
    """{tool: {run: (median wall, median cpu, request split)}}, the tools taking turns on fresh emulators, so that
    the load of other processes weighs on both alike."""
    attempts = dict((tool, []) for tool in TOOLS)
    for _attempt in range(repeat):
        for tool in TOOLS:
            attempts[tool].append(attempt(work, tool, backup_count, count, latency_ms, profile))
    return dict(
        (
            tool,
            dict(
                (
                    run,
                    (
                        statistics.median(a[run][0] for a in attempts[tool]),
                        statistics.median(a[run][1] for a in attempts[tool]),
                        attempts[tool][-1][run][2],
                    ),
                )
                for run in ("first", "rerun")
            ),
        )
        for tool in TOOLS
    )


def import_time_ms(module):
    """Milliseconds to import a module in a fresh interpreter (median of 5)."""
    code = "import time; t = time.perf_counter(); import %s; print((time.perf_counter() - t) * 1000)" % module
    times = [
        float(
            subprocess.run(
                [sys.executable, "-c", code],
                check=True,
                capture_output=True,
                text=True,
                env=dict(ENVIRONMENT, PYTHONPATH=COLLECTIONS),
            ).stdout
        )
        for attempt in range(5)
    ]
    return statistics.median(times)


def per_item(work, tasks_by_name, loop):
    """{name: seconds per task}: a play of 10 such tasks (with `loop`, of one task looping over 10 items), less an
    empty play (median of 3)."""
    empty = os.path.join(work, "empty.yml")
    with open(empty, "w", encoding="utf-8") as handle:
        yaml.safe_dump([{"hosts": "localhost", "gather_facts": False, "tasks": []}], handle)
    seconds = {}
    for name, task in tasks_by_name.items():
        path = os.path.join(work, "%s.yml" % name)
        with open(path, "w", encoding="utf-8") as handle:
            tasks = [dict(task, loop=list(range(10)))] if loop else [task] * 10
            play = {"hosts": "localhost", "gather_facts": False, "tasks": tasks}
            yaml.safe_dump([play], handle)
        seconds[name] = (
            statistics.median([run_playbook(path)[0] for attempt in range(3)])
            - statistics.median([run_playbook(empty)[0] for attempt in range(3)])
        ) / 10
    return seconds


def task_overhead(work, url):
    """Seconds per task: 10 x cbr_share_member_info (login + 1 GET) against 10 x ansible.builtin.ping."""
    owner = {"username": "ops-source", "password": "source-pass", "project_id": OWNER}
    info = dict(password_auth(url, owner), backup_id=backup_ids(1)[0])
    tasks = {
        "ping": {"ansible.builtin.ping": {}},
        "cbr_share_member_info": {"cloudops.cbr.cbr_share_member_info": info},
    }
    return per_item(work, tasks, loop=False)


def login_items(work, url):
    """Seconds per loop item of one login (the same request; 10 items): ansible.builtin.uri against
    cloudops.cbr.cbr_auth. What a loop item of a cbr module costs more than one of uri (the role answers in a loop)."""
    login = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {"user": {"name": "ops-source", "password": "source-pass", "domain": {"name": "acme"}}},
            },
            "scope": {"project": {"id": OWNER}},
        }
    }
    uri = {"url": url + "/v3/auth/tokens", "method": "POST", "body_format": "json", "body": login, "status_code": [201]}
    owner = {"username": "ops-source", "password": "source-pass", "project_id": OWNER}
    return per_item(
        work,
        {
            "uri": {"ansible.builtin.uri": uri, "no_log": True},
            "cbr_auth": {"cloudops.cbr.cbr_auth": password_auth(url, owner), "no_log": True},
        },
        loop=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per scenario with fewer than 100 backups")
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--scenarios", nargs="+", default=["1x10", "100x3"], help="BACKUPSxRECIPIENTS")
    parser.add_argument("--no-overhead", action="store_true", help="skip the import and per-task figures")
    parser.add_argument("--profile", default="strict", choices=["strict", "lenient"], help="the emulator's profile")
    parser.add_argument(
        "--no-bytecode", action="store_true", help="no bytecode of installed packages: every process compiles them"
    )
    args = parser.parse_args()
    latency = args.latency_ms / 1000.0
    print(
        "share and accept, emulator latency %d ms, wall and CPU (all processes) = median of %d runs, the tools taking "
        "turns (1 run from 100 backups); installed packages %s"
        % (
            args.latency_ms,
            args.repeat,
            "compiled in every process (--no-bytecode)" if args.no_bytecode else "from bytecode",
        )
    )
    print(
        "%-8s %-11s %-6s %7s %7s %7s %6s %7s %7s %6s"
        % ("backups", "tool", "run", "wall s", "cpu s", "logins", "reads", "writes", "floor s", "x uri")
    )
    with tempfile.TemporaryDirectory() as work:
        ENVIRONMENT.clear()
        ENVIRONMENT.update(python_environment(work, not args.no_bytecode))
        if not args.no_bytecode:
            measure(work, 1, 1, 1, 0, args.profile)  # fills the bytecode cache; not counted
        for scenario in args.scenarios:
            backup_count, count = (int(part) for part in scenario.split("x"))
            repeat = 1 if backup_count >= 100 else args.repeat
            floors = {
                "first": (1 + count + backup_count + backup_count * count) * latency,
                "rerun": (2 + backup_count) * latency,
            }
            measured = measure(work, backup_count, count, repeat, args.latency_ms, args.profile)
            for tool in TOOLS:
                for run, (wall, cpu, kinds) in sorted(measured[tool].items()):
                    print(
                        "%-8s %-11s %-6s %7.2f %7.2f %7d %6d %7d %7.2f %6.2f"
                        % (
                            scenario,
                            "cbr role" if tool == "role" else "uri tasks",
                            run,
                            wall,
                            cpu,
                            kinds["logins"],
                            kinds["reads"],
                            kinds["writes"],
                            floors[run],
                            wall / measured["uri"][run][0],
                        ),
                        flush=True,
                    )
        if args.no_overhead:
            return
        print(
            "import of module_utils: %.0f ms (median of 5, fresh interpreter); alone, requests %.0f ms and "
            "ansible.module_utils.basic %.0f ms"
            % (
                import_time_ms("ansible_collections.cloudops.cbr.plugins.module_utils._module"),
                import_time_ms("requests"),
                import_time_ms("ansible.module_utils.basic"),
            )
        )
        with serving(fixture(backup_ids(1), [])) as emulator:
            per_task = task_overhead(work, emulator.base_url)
        print(
            "per task: ansible.builtin.ping %.2f s, cbr_share_member_info %.2f s (login + 1 GET, no latency)"
            % (per_task["ping"], per_task["cbr_share_member_info"])
        )
        with serving(fixture(backup_ids(1), []), args.latency_ms) as emulator:
            logins = login_items(work, emulator.base_url)
        print(
            "per loop item of one login, %d ms latency: ansible.builtin.uri %.2f s, cloudops.cbr.cbr_auth %.2f s"
            % (args.latency_ms, logins["uri"], logins["cbr_auth"])
        )


if __name__ == "__main__":
    main()
