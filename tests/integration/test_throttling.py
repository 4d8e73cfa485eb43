# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A task under the API gateway's sustained per-user rate limit (docs/api_notes.md §throttling): the emulator refuses
the excess with 429 APIG.0308, the task's workers slow down together and finish with few refusals."""

import multiprocessing
import os
import tempfile

import pytest

from ansible_collections.cloudops.cbr.plugins.module_utils._connection import connect
from demo_ids import CUSTOMER, DR, GOLDEN, OWNER, USERS, password_auth  # pylint: disable=import-error

RECIPIENTS = [DR, GOLDEN, CUSTOMER]
DEST = RECIPIENTS[0]
VAULT = "3a1f0c1e-0000-4000-8000-000000000001"
BACKUPS = 120
LIMIT = 20
MODULE = "cbr_shared_backup_info"
ACCESS_KEY, SECRET_KEY = "AKSOURCE0000000000001", "source-secret-key-0001"


def backup_id(number):
    return "a5200000-0000-4000-8000-%012d" % number


@pytest.fixture(scope="module")
def limited(start_emulator):
    backups = [
        {"id": backup_id(n), "name": "server-%03d" % n, "vault_id": VAULT, "resource_type": "OS::Nova::Server"}
        for n in range(BACKUPS)
    ]
    owner = {
        "id": OWNER,
        "name": "eu-de_source",
        "domain": "acme",
        "users": [{"name": USERS[OWNER][0], "password": USERS[OWNER][1]}],
        "credentials": [{"access_key": ACCESS_KEY, "secret_key": SECRET_KEY}],
        "vaults": [{"id": VAULT, "name": "vault", "object_type": "server", "size_gb": 10000}],
        "backups": backups,
    }
    members = [{"backup_id": backup_id(n), "dest_project_id": DEST} for n in range(0, BACKUPS, 2)]
    recipients = [{"id": p, "name": "eu-de_r%d" % n, "domain": "acme"} for n, p in enumerate(RECIPIENTS)]
    return start_emulator({"projects": [owner] + recipients, "members": members})


@pytest.fixture
def emulator(limited):
    limited.restore_defaults()
    limited.emulator.latency_ms = 20
    limited.set_rate_limit(LIMIT)
    return limited


def audit(run_module, emulator, **options):
    return run_module(MODULE, dict(password_auth(emulator.url, OWNER), workers=8, **options))


def member_reads(emulator):
    return [e for e in emulator.requests() if e["path"].endswith("/members")]


def test_audit_under_a_sustained_limit_learns_the_pace_and_reads_every_backup(run_module, emulator):
    result = audit(run_module, emulator)
    assert not result.get("failed"), result
    assert result["summary"]["backups"] == BACKUPS and result["summary"]["errors"] == 0
    assert result["summary"]["shared_backups"] == BACKUPS // 2
    reads = member_reads(emulator)
    answered = sorted(e["path"] for e in reads if e["status"] == 200)
    assert answered == sorted("/v3/%s/backups/%s/members" % (OWNER, backup_id(n)) for n in range(BACKUPS))
    statuses = [e["status"] for e in emulator.requests()]
    assert set(statuses) == {200, 429}
    # Some refusals teach the pace (8 workers at 20 ms would send 400 a second): about one per worker at the
    # start, when the first one comes back, and a few more each time the pace grows past the limit.
    assert 0 < statuses.count(429) <= 0.1 * len(statuses)
    assert {e["identity"] for e in emulator.requests()} == {USERS[OWNER][0]}


def test_audit_with_rate_limit_at_the_quota_is_never_refused(run_module, emulator):
    emulator.set_rate_limit(3 * LIMIT)
    result = audit(run_module, emulator, rate_limit=3 * LIMIT)
    assert not result.get("failed"), result
    assert result["summary"]["backups"] == BACKUPS and result["summary"]["errors"] == 0
    assert [e["status"] for e in emulator.requests()].count(429) == 0
    assert len(member_reads(emulator)) == BACKUPS


@pytest.mark.parametrize("rate_limit", [0, -5])
def test_rate_limit_must_be_positive(run_module, emulator, rate_limit):
    result = audit(run_module, emulator, rate_limit=rate_limit)
    assert result["failed"] and "rate_limit must be more than 0" in result["msg"]
    assert emulator.requests(api_only=False) == []


def test_sharing_many_backups_under_the_limit_writes_each_once(run_module, emulator):
    shared = [backup_id(n) for n in range(1, 40, 2)]  # 20 backups not shared yet
    # The pace is usually learned from the reads; make the gateway refuse some writes too.
    emulator.add_fault(method="POST", path="/members$", status=429, count=3)
    result = run_module(
        "cbr_share_member", dict(password_auth(emulator.url, OWNER), backup_ids=shared, dest_project_ids=RECIPIENTS)
    )
    assert not result.get("failed") and result["changed"], result
    assert {b: sorted(emulator.state.members[b]) for b in shared} == {b: RECIPIENTS for b in shared}
    posts = [e for e in emulator.requests() if e["method"] == "POST"]
    # A POST is sent again only when refused (429, nothing applied): one answered POST per backup.
    assert sorted(e["path"] for e in posts if e["status"] == 200) == sorted(
        "/v3/%s/backups/%s/members" % (OWNER, b) for b in shared
    )
    assert sorted(e["status"] for e in posts) == [200] * len(shared) + [429] * 3
    statuses = [e["status"] for e in emulator.requests()]
    assert statuses.count(429) <= 0.1 * len(statuses) + 8  # one round of the 8 workers before the pace is known


# -- forks: separate processes under one identity share its pace on the controller (_throttle.SharedPace)

FORKS = 4
READS_PER_FORK = 12


def fork_reads(url, pace_directory, results):
    """One fork: its own connection (its own session and throttle), READS_PER_FORK reads one after the other."""
    tempfile.tempdir = pace_directory
    client = connect(
        {"access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "project_id": OWNER, "endpoint": url, "rate_limit": LIMIT}
    )
    for _read in range(READS_PER_FORK):
        client.list_members(backup_id(0))
    results.put("done")


def run_forks(emulator, pace_directory):
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    forks = [context.Process(target=fork_reads, args=(emulator.url, pace_directory, results)) for _n in range(FORKS)]
    for fork in forks:
        fork.start()
    for fork in forks:
        fork.join(120)
    finished = [results.get(timeout=1) for _fork in forks]
    reads = member_reads(emulator)
    return finished, [e["status"] for e in reads]


def test_forks_of_one_identity_at_its_quota_pace_like_one_client(emulator, tmp_path):
    """4 forks with rate_limit at the quota: together they keep the quota, so the gateway refuses nothing."""
    emulator.emulator.latency_ms = 0
    finished, statuses = run_forks(emulator, str(tmp_path))
    assert finished == ["done"] * FORKS
    assert statuses.count(200) == FORKS * READS_PER_FORK and 429 not in statuses


def test_forks_that_cannot_share_a_pace_each_take_the_whole_quota(emulator, tmp_path):
    """The same forks where the pace directory is open to others (so not shared): each goes at the quota, the
    gateway refuses the excess (what the shared pace prevents)."""
    emulator.emulator.latency_ms = 0
    os.chmod(str(tmp_path), 0o777)
    os.mkdir(str(tmp_path / ("cloudops.cbr-pace-%d" % os.getuid())), 0o777)
    os.chmod(str(tmp_path / ("cloudops.cbr-pace-%d" % os.getuid())), 0o777)
    finished, statuses = run_forks(emulator, str(tmp_path))
    assert finished == ["done"] * FORKS and statuses.count(200) == FORKS * READS_PER_FORK
    assert statuses.count(429) > 0
