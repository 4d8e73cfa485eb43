# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""cbr_share_member with many backups per task (backup_ids, owner_project_ids), in-process against the emulator
(strict profile), checked against its request log: requests per backup, no write on rerun, bounded concurrency."""

import copy
import threading
import time

import pytest

from ansible_collections.cloudops.cbr.plugins.module_utils import _api
from demo_ids import (  # pylint: disable=import-error
    CUSTOMER,
    CUSTOMER_VAULT,
    DB,
    DISK_BACKUP,
    DR,
    DR_VAULT,
    ENCRYPTED,
    GOLDEN,
    GOLDEN_VAULT,
    OWNER,
    PROTECTING,
    WEB,
    password_auth,
)

MODULE = "cbr_share_member"


@pytest.fixture
def share(emulator, run_module):
    def run(project_id, check_mode=False, **options):
        return run_module(
            MODULE, dict(password_auth(emulator.url, project_id), **options), check_mode=check_mode, diff=True
        )

    return run


def per_backup(entries):
    """{backup_id: [method, ...]} of the API requests, by the backup in their path."""
    found = {}
    for entry in entries:
        parts = entry["path"].split("/")
        if len(parts) > 4 and parts[3] == "backups":
            found.setdefault(parts[4], []).append(entry["method"])
    return found


def test_owner_shares_many_backups_in_one_task_and_reruns_without_a_write(emulator, share):
    check = share(OWNER, check_mode=True, backup_ids=[WEB, DB], dest_project_ids=[DR, GOLDEN])
    assert emulator.writes() == []
    emulator.clear_log()
    first = share(OWNER, backup_ids=[WEB, DB], dest_project_ids=[DR, GOLDEN])
    first_log = emulator.requests()
    emulator.clear_log()
    rerun = share(OWNER, backup_ids=[WEB, DB], dest_project_ids=[DR, GOLDEN])
    assert check["changed"] is True and first["changed"] is True and rerun["changed"] is False
    assert [b["backup_id"] for b in first["backups"]] == [WEB, DB]
    assert all(b["added"] == sorted([DR, GOLDEN]) and b["changed"] for b in first["backups"])
    assert (
        check["diff"]
        == first["diff"]
        == {
            "before": {WEB: {"dest_project_ids": []}, DB: {"dest_project_ids": []}},
            "after": {WEB: {"dest_project_ids": sorted([DR, GOLDEN])}, DB: {"dest_project_ids": sorted([DR, GOLDEN])}},
        }
    )
    assert "added" not in first and "members" not in first  # per backup only
    # Per backup: one member list, one backup read (pre-flight), one POST; rerun: one list each, nothing else.
    assert {b: sorted(m) for b, m in per_backup(first_log).items()} == {
        WEB: ["GET", "GET", "POST"],
        DB: ["GET", "GET", "POST"],
    }
    assert dict(per_backup(emulator.requests())) == {WEB: ["GET"], DB: ["GET"]}
    assert emulator.writes() == [] and all(not b["changed"] for b in rerun["backups"])


def test_one_backup_that_cannot_be_shared_stops_the_task_before_any_write(emulator, share):
    result = share(OWNER, backup_ids=[WEB, PROTECTING, DB], dest_project_ids=[DR])
    assert result["failed"] is True and PROTECTING in result["msg"] and "BackupService.6702" in result["msg"]
    assert emulator.writes() == []


def test_a_share_the_api_may_refuse_goes_first_and_its_refusal_leaves_the_rest_unwritten(emulator, share):
    """Encrypted and disk backups are the API's call (docs/api_notes.md §members.shareable; strict refuses both):
    written first."""
    emulator.set_switches(disk_backups_refused=True)
    result = share(OWNER, backup_ids=[WEB, ENCRYPTED, DISK_BACKUP], dest_project_ids=[DR])
    assert result["failed"] is True and result["changed"] is False
    assert "BackupService.6709" in result["msg"] and "BackupService.6700" in result["msg"], result["msg"]
    assert "Not written, to leave no half-done change: %s" % WEB in result["msg"]
    assert sorted(b for b, methods in per_backup(emulator.writes()).items()) == sorted([ENCRYPTED, DISK_BACKUP])


def test_the_receiver_accepts_a_list_choosing_vaults_and_reruns_without_a_write(emulator, share):
    for backup_id in (WEB, DB):
        emulator.seed_member(backup_id, CUSTOMER)
    check = share(CUSTOMER, check_mode=True, backup_ids=[WEB, DB], status="accepted")
    accepted = share(CUSTOMER, backup_ids=[WEB, DB], status="accepted")
    emulator.clear_log()
    rerun = share(CUSTOMER, backup_ids=[WEB, DB], status="accepted")
    assert check["changed"] is True and check["diff"] == accepted["diff"]
    assert [(b["backup_id"], b["vault_id"], b["member"]["status"]) for b in accepted["backups"]] == [
        (WEB, CUSTOMER_VAULT, "accepted"),
        (DB, CUSTOMER_VAULT, "accepted"),
    ]
    assert rerun["changed"] is False and emulator.writes() == []
    # Documented reads only on the rerun: the shared lists (every status, to cross-check them) and the vaults.
    assert sorted((e["path"].rsplit("/", 1)[-1], e["query"].get("member_status")) for e in emulator.requests()) == [
        ("backups", "accepted"),
        ("backups", "pending"),
        ("backups", "rejected"),
        ("vaults", None),
    ]


def test_every_pending_share_from_the_owner_projects(emulator, share):
    for backup_id in (WEB, DB):
        emulator.seed_member(backup_id, DR)
    accepted = share(DR, owner_project_ids=[OWNER], status="accepted", vault_id=DR_VAULT)
    accept_log = emulator.requests()
    emulator.clear_log()
    rerun = share(DR, owner_project_ids=[OWNER], status="accepted", vault_id=DR_VAULT)
    other_owner = share(DR, owner_project_ids=[GOLDEN], status="accepted", vault_id=DR_VAULT)
    assert sorted(b["backup_id"] for b in accepted["backups"]) == sorted([WEB, DB])
    assert all(b["changed"] and b["member"]["vault_id"] == DR_VAULT for b in accepted["backups"])
    assert [e["method"] for e in accept_log].count("PUT") == 2
    # the shared lists (every status, to cross-check them) and the vaults
    assert [e["method"] for e in accept_log if e["method"] == "GET"] == ["GET"] * 4
    assert rerun["changed"] is False and rerun["backups"] == [] and other_owner["backups"] == []
    assert emulator.writes() == []


def test_space_is_added_up_per_vault_before_any_write(emulator, share):
    # 120 GB free: WEB (40 GB) and DB (100 GB) each fit alone, not together.
    emulator.state.vaults[GOLDEN_VAULT]["used_mb"] = 80 * 1024
    for backup_id in (WEB, DB):
        emulator.seed_member(backup_id, GOLDEN)
    refused = share(GOLDEN, backup_ids=[WEB, DB], status="accepted", vault_id=GOLDEN_VAULT, capacity_check="fail")
    assert refused["failed"] is True and "computed from its resource_size" in refused["msg"]
    assert refused["msg"].count("capacity_check=warn") == 1
    assert "placed there for the other backups of this run" in refused["msg"]
    assert emulator.writes() == []
    warned = share(
        GOLDEN, backup_ids=[WEB, DB], status="accepted", vault_id=GOLDEN_VAULT, capacity_check="warn", workers=1
    )
    # With warn the API decides; the strict emulator counts resource_size too and refuses the one that no longer fits.
    assert warned["failed"] is True and warned["error_code"] == "BackupService.6129"
    assert sorted(e["status"] for e in emulator.writes()) == [200, 400]


def test_a_single_backup_id_keeps_todays_keys(emulator, share):
    result = share(OWNER, backup_id=WEB, dest_project_ids=[DR])
    assert result["added"] == [DR] and [m["dest_project_id"] for m in result["members"]] == [DR]
    assert result["diff"] == {"before": {"dest_project_ids": []}, "after": {"dest_project_ids": [DR]}}
    assert [b["backup_id"] for b in result["backups"]] == [WEB]


@pytest.fixture
def many_backups(start_emulator, demo_fixture):
    fixture = copy.deepcopy(demo_fixture)
    owner = next(p for p in fixture["projects"] if p["id"] == OWNER)
    template = next(b for b in owner["backups"] if b["id"] == WEB)
    owner["backups"] += [
        dict(template, id="b5200000-0000-4000-8000-%012d" % n, name="many-%02d" % n) for n in range(16)
    ]
    return start_emulator(fixture)


def test_reads_and_writes_run_concurrently_within_the_worker_bound(many_backups, run_module):
    emulator = many_backups
    backup_ids = ["b5200000-0000-4000-8000-%012d" % n for n in range(16)]
    in_flight, peak, lock = [0], [0], threading.Lock()
    routes = emulator.emulator.routes

    def slowed(handler):
        def handle(*args, **kwargs):
            with lock:
                in_flight[0] += 1
                peak[0] = max(peak[0], in_flight[0])
            try:
                time.sleep(0.05)
                return handler(*args, **kwargs)
            finally:
                with lock:
                    in_flight[0] -= 1

        handle.public = getattr(handler, "public", False)  # IAM login stays public
        return handle

    emulator.emulator.routes = [(m, p, slowed(h)) for m, p, h in routes]
    try:
        emulator.clear_log()
        result = run_module(
            MODULE, dict(password_auth(emulator.url, OWNER), backup_ids=backup_ids, dest_project_ids=[DR], workers=4)
        )
    finally:
        emulator.emulator.routes = routes
    assert not result.get("failed"), result
    assert 2 <= peak[0] <= 4
    assert sorted(per_backup(emulator.requests())) == sorted(backup_ids)
    assert all(sorted(m) == ["GET", "GET", "POST"] for m in per_backup(emulator.requests()).values())


# -- the member_status filter is cross-checked (issue 21): a loose filter never re-answers a share


def test_a_loose_member_status_filter_stops_the_receiver_naming_the_backups(emulator, share):
    emulator.seed_member(WEB, DR)
    emulator.seed_member(DB, DR, status="rejected")
    emulator.set_switches(loose_member_status=True)
    every_pending = share(DR, owner_project_ids=[OWNER], status="accepted", vault_id=DR_VAULT)
    named = share(DR, backup_ids=[WEB], status="accepted", vault_id=DR_VAULT)
    for result in (every_pending, named):
        assert result["failed"] is True and "member_status filter contradicts itself" in result["msg"]
        assert "backup %s is listed as pending and accepted and rejected" % WEB in result["msg"]
    assert DB in every_pending["msg"]
    assert emulator.writes() == []
    assert sorted(shared_list_reads(emulator)) == sorted(["pending", "accepted", "rejected"] * 4)  # twice each task
    assert emulator.state.members[DB][DR]["status"] == "rejected"


def shared_list_reads(emulator):
    return [e["query"].get("member_status") for e in emulator.requests() if e["query"].get("own_type") == "shared"]


def test_a_share_another_task_accepts_while_the_lists_are_read_is_read_again_not_refused(emulator, share, monkeypatch):
    emulator.seed_member(WEB, DR)
    real = _api.CbrClient.list_shared_backups
    moments = []

    def another_task_accepts_first(client, member_status=None, filters=None):
        if member_status == "accepted" and not moments:  # between the pending and the accepted list of the first round
            moments.append(member_status)
            emulator.seed_member(WEB, DR, status="accepted", vault_id=DR_VAULT)
        return real(client, member_status, filters)

    monkeypatch.setattr(_api.CbrClient, "list_shared_backups", another_task_accepts_first)
    result = share(DR, backup_ids=[WEB], status="accepted", vault_id=DR_VAULT, workers=1)
    assert not result.get("failed"), result
    assert result["changed"] is False and emulator.writes() == []
    assert shared_list_reads(emulator) == ["pending", "accepted", "rejected"] * 2


def test_a_share_another_task_accepts_between_the_lists_shows_in_neither_and_is_read_again(
    emulator, share, monkeypatch
):
    # The lists are read at once: the accepted list can be read before another task's answer, the pending list after.
    emulator.seed_member(WEB, DR)
    real = _api.CbrClient.list_shared_backups
    first_round = []

    def accepted_list_read_before_the_answer(client, member_status=None, filters=None):
        if len(first_round) == 3:
            return real(client, member_status, filters)
        first_round.append(member_status)
        if member_status == "pending":  # the other task accepts just before this list is read
            emulator.seed_member(WEB, DR, status="accepted", vault_id=DR_VAULT)
        found = real(client, member_status, filters)
        if member_status == "accepted":  # ... and just after this one was
            found = [backup for backup in found if backup["id"] != WEB]
        return found

    monkeypatch.setattr(_api.CbrClient, "list_shared_backups", accepted_list_read_before_the_answer)
    result = share(DR, backup_ids=[WEB], status="accepted", vault_id=DR_VAULT, workers=1)
    assert not result.get("failed"), result
    assert result["changed"] is False and emulator.writes() == []
    assert shared_list_reads(emulator) == ["pending", "accepted", "rejected"] * 2


def test_every_pending_share_leaves_rejected_and_accepted_shares_alone(emulator, share):
    emulator.seed_member(WEB, DR)
    emulator.seed_member(DB, DR, status="rejected")
    result = share(DR, owner_project_ids=[OWNER], status="accepted", vault_id=DR_VAULT)
    assert [b["backup_id"] for b in result["backups"]] == [WEB]
    assert [(e["method"], e["path"].rsplit("/", 3)[-3]) for e in emulator.writes()] == [("PUT", WEB)]
    assert emulator.state.members[DB][DR]["status"] == "rejected"
