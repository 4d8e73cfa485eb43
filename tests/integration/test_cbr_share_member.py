# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""cbr_share_member run in-process through real HTTP against the emulator, checked against its request log.

The emulator runs in its strict default profile: a receiving project may only list the backups shared with it,
show a backup it accepted, read its own vaults and send the PUT (docs/api_notes.md §recipient.reads). The last tests
repeat the
receiving side in the lenient profile, where the faster member-record read answers, and show the same results.
"""

import pytest

from demo_ids import (  # pylint: disable=import-error
    CUSTOMER,
    CUSTOMER_DISK_VAULT,
    CUSTOMER_FROZEN_VAULT,
    CUSTOMER_FULL_VAULT,
    CUSTOMER_VAULT,
    DISK_BACKUP,
    DR,
    DR_VAULT,
    ENCRYPTED,
    GOLDEN,
    OWNER,
    PROTECTING,
    WEB,
    password_auth,
)
from runners import warning_texts  # pylint: disable=import-error

MODULE = "cbr_share_member"


@pytest.fixture
def share(emulator, run_module):
    """share(project, check_mode=False, diff=True, backup_id=WEB, **options) -> the module's result."""

    def run(project_id, check_mode=False, diff=True, **options):
        if "backup_ids" not in options and "owner_project_ids" not in options:
            options.setdefault("backup_id", WEB)
        return run_module(
            MODULE, dict(password_auth(emulator.url, project_id), **options), check_mode=check_mode, diff=diff
        )

    return run


def member_ids(emulator, backup_id=WEB):
    return sorted(emulator.state.members.get(backup_id, {}))


def preload(emulator, *project_ids, **fields):
    for project_id in project_ids:
        emulator.seed_member(WEB, project_id, **fields)


def methods(entries):
    return [e["method"] for e in entries]


def calls(emulator):
    """(method, path without /v3/{project}, member_status or None, status) of every API request."""
    return [
        (e["method"], e["path"].split("/", 3)[3], e["query"].get("member_status"), e["status"])
        for e in emulator.requests()
    ]


# Documented for a receiving project (docs/api_notes.md §recipient.reads): the shared list, its vaults, the backup once
# accepted, PUT.
def documented_for_recipient(entry):
    method, path, member_status, _status = entry
    return (
        (method, path) in (("GET", "backups"), ("GET", "vaults"))
        and (path != "backups" or member_status)
        or method == "PUT"
        or (method == "GET" and path.startswith("backups/") and "/members" not in path)
    )


# -- owner side


def test_add_three_then_rerun_sends_no_write(emulator, share):
    first = share(OWNER, dest_project_ids=[DR, GOLDEN, CUSTOMER])
    second = share(OWNER, dest_project_ids=[DR, GOLDEN, CUSTOMER])
    assert first["changed"] is True and first["added"] == sorted([DR, GOLDEN, CUSTOMER])
    assert sorted(m["dest_project_id"] for m in first["members"]) == sorted([DR, GOLDEN, CUSTOMER])
    assert all(m["status"] == "pending" for m in first["members"])
    assert first["backups"][0]["backup_id"] == WEB and first["backups"][0]["added"] == first["added"]
    assert second["changed"] is False and second["added"] == [] and second["removed"] == []
    assert member_ids(emulator) == sorted([DR, GOLDEN, CUSTOMER])
    # first run: list + backup pre-flight + POST; rerun: one list
    assert methods(emulator.requests()) == ["GET", "GET", "POST", "GET"]


def test_check_mode_reports_the_change_and_sends_no_write(emulator, share):
    preload(emulator, DR)
    would_add = share(OWNER, check_mode=True, dest_project_ids=[DR, GOLDEN])
    nothing = share(OWNER, check_mode=True, dest_project_ids=[DR])
    assert would_add["changed"] is True and would_add["added"] == [GOLDEN]
    assert would_add["diff"] == {
        "before": {"dest_project_ids": [DR]},
        "after": {"dest_project_ids": sorted([DR, GOLDEN])},
    }
    assert nothing["changed"] is False
    assert emulator.writes() == [] and member_ids(emulator) == [DR]
    real = share(OWNER, dest_project_ids=[DR, GOLDEN])
    assert real["changed"] is True and real["added"] == would_add["added"] and real["diff"] == would_add["diff"]


def test_purge_removes_unlisted_members_one_delete_each(emulator, share):
    preload(emulator, DR, GOLDEN, CUSTOMER)
    purged = share(OWNER, dest_project_ids=[DR], purge=True)
    again = share(OWNER, dest_project_ids=[DR], purge=True)
    assert purged["changed"] is True and purged["removed"] == sorted([GOLDEN, CUSTOMER]) and purged["added"] == []
    assert [m["dest_project_id"] for m in purged["members"]] == [DR]
    assert again["changed"] is False
    assert sorted(e["path"].rsplit("/", 1)[-1] for e in emulator.writes()) == sorted([GOLDEN, CUSTOMER])
    assert methods(emulator.writes()) == ["DELETE", "DELETE"] and member_ids(emulator) == [DR]


def test_absent_removes_only_the_listed_members(emulator, share):
    preload(emulator, DR, GOLDEN)
    removed = share(OWNER, dest_project_ids=[GOLDEN, CUSTOMER], state="absent")
    again = share(OWNER, dest_project_ids=[GOLDEN, CUSTOMER], state="absent")
    assert removed["changed"] is True and removed["removed"] == [GOLDEN]
    assert again["changed"] is False
    assert methods(emulator.writes()) == ["DELETE"] and member_ids(emulator) == [DR]


def test_a_member_already_gone_is_not_reported_as_removed_by_this_run(emulator, share):
    preload(emulator, DR, GOLDEN)
    emulator.add_fault(
        method="DELETE",
        path="/members/" + GOLDEN,
        status=404,
        body={"error_code": "BackupService.6705", "error_msg": "The share member does not exist."},
    )
    result = share(OWNER, dest_project_ids=[DR, GOLDEN], state="absent")
    assert not result.get("failed") and result["removed"] == [DR] and result["changed"] is True
    assert result["diff"]["after"] == {"dest_project_ids": []}


def test_the_ten_project_cap_is_refused_before_any_write(emulator, share):
    extra = ["%032x" % n for n in range(1, 10)]
    for project_id in extra:
        emulator.state.projects[project_id] = {"id": project_id, "name": project_id, "domain": "acme"}
    preload(emulator, *extra)
    refused = share(OWNER, dest_project_ids=[DR, GOLDEN])
    purged = share(OWNER, dest_project_ids=[DR, GOLDEN], purge=True)
    assert refused["failed"] is True
    assert (
        "at most 10" in refused["msg"] and "11 projects" in refused["msg"] and "1 more can be added" in refused["msg"]
    )
    assert purged["changed"] is True and len(purged["removed"]) == 9
    assert methods(emulator.writes()) == ["DELETE"] * 9 + ["POST"]


def test_a_backup_not_available_is_refused_before_any_write(emulator, share):
    protecting = share(OWNER, backup_id=PROTECTING, dest_project_ids=[DR])
    assert "status is protecting, not available (BackupService.6702)" in protecting["msg"]
    assert emulator.writes() == []


def test_the_api_decides_about_disk_and_encrypted_backups(emulator, share):
    """A cloud that refuses both (6700, 6709): the module sends the share and reports the API's answer."""
    emulator.set_switches(disk_backups_refused=True)
    disk = share(OWNER, backup_id=DISK_BACKUP, dest_project_ids=[DR])
    encrypted = share(OWNER, backup_id=ENCRYPTED, dest_project_ids=[DR])
    assert disk["failed"] is True and disk["error_code"] == "BackupService.6700" and disk["status_code"] == 400
    assert "the cloud refuses to share this kind of backup" in disk["msg"]
    assert encrypted["failed"] is True and encrypted["error_code"] == "BackupService.6709"
    assert [(e["method"], e["status"]) for e in emulator.writes()] == [("POST", 400), ("POST", 400)]
    assert member_ids(emulator, DISK_BACKUP) == [] and member_ids(emulator, ENCRYPTED) == []


def test_where_the_cloud_shares_disk_and_encrypted_backups_so_does_the_module(emulator, share):
    emulator.set_profile("lenient")
    disk = share(OWNER, backup_id=DISK_BACKUP, dest_project_ids=[DR])
    encrypted = share(OWNER, backup_id=ENCRYPTED, dest_project_ids=[DR])
    assert disk["changed"] is True and warning_texts(disk) == []
    assert encrypted["changed"] is True
    assert any("only once the KMS key is granted to them" in w for w in warning_texts(encrypted))
    assert member_ids(emulator, DISK_BACKUP) == [DR] and member_ids(emulator, ENCRYPTED) == [DR]


@pytest.mark.parametrize(
    "options, message",
    [
        (dict(dest_project_ids=[OWNER]), "must not contain the backup's own project"),
        (dict(dest_project_ids=["DR"]), "dest_project_ids must be a project id of 32"),
        (dict(dest_project_ids=[]), "dest_project_ids must not be empty"),
        (dict(dest_project_ids=[DR], vault_id=DR_VAULT), "vault_id is for the receiving side"),
        (dict(dest_project_ids=[DR], status="rejected"), "mutually exclusive"),
        (dict(status="rejected", purge=True), "purge is for the owner side"),
        (dict(status="rejected", vault_id=DR_VAULT), "vault_id is only used with status=accepted"),
        (dict(status="accepted", owner_project_ids=["nope"]), "owner_project_ids must be a project id"),
        (dict(dest_project_ids=[DR], owner_project_ids=[OWNER]), "mutually exclusive"),
        (dict(dest_project_ids=[DR], backup_ids=[]), "backup_ids must not be empty"),
        (dict(dest_project_ids=[DR], backup_ids=["nope"]), "backup_ids must be"),
        (dict(dest_project_ids=[DR], workers=0), "workers must be from 1 to 64"),
        (dict(status="accepted", capacity_check="maybe"), "capacity_check"),
    ],
)
def test_bad_input_fails_before_any_request(emulator, share, options, message):
    result = share(OWNER, **options)
    assert result["failed"] is True and message in result["msg"], result["msg"]
    assert emulator.requests(api_only=False) == []


def test_own_project_is_refused_when_scoped_by_name(emulator, run_module):
    owner_by_name = dict(password_auth(emulator.url, OWNER), project_id=None, project_name="eu-de_source")
    result = run_module(MODULE, dict(owner_by_name, backup_id=WEB, dest_project_ids=[OWNER]))
    assert "must not contain the backup's own project" in result["msg"]
    assert emulator.requests() == []


def test_removing_a_member_with_an_image_says_to_delete_the_image(emulator, share):
    preload(emulator, DR, image_id="9d1e2c3b-0000-4000-8000-000000000001")
    result = share(OWNER, dest_project_ids=[DR], state="absent")
    assert "BackupService.6710" in result["msg"] and "image must be deleted" in result["msg"]
    assert result["error_code"] == "BackupService.6710"


def test_a_post_that_was_applied_but_answered_500_is_not_sent_again(emulator, share):
    emulator.add_fault(method="POST", path="/members$", status=500, after_apply=True)
    result = share(OWNER, dest_project_ids=[DR, GOLDEN])
    assert result["changed"] is True and not result.get("failed")
    assert result["added"] == sorted([DR, GOLDEN])  # applied by this run, although its answer was lost
    assert methods(emulator.writes()) == ["POST"] and member_ids(emulator) == sorted([DR, GOLDEN])


def test_a_duplicate_answer_means_another_run_added_them_not_this_one(emulator, share):
    """Strict profile: a re-add answers 6703 (docs/api_notes.md §members.duplicate), handled like 6714; added says what
    this run did."""
    original = emulator.emulator.list_members
    seen = []

    def list_then_race(request, pid, bid):
        answer = original(request, pid, bid)
        if not seen:
            seen.append(1)
            emulator.seed_member(WEB, DR)  # another run adds DR right after this run's first read
        return answer

    emulator.emulator.routes = [(m, p, list_then_race if h == original else h) for m, p, h in emulator.emulator.routes]
    try:
        result = share(OWNER, dest_project_ids=[DR, GOLDEN])
    finally:
        emulator.emulator.routes = [
            (m, p, original if h == list_then_race else h) for m, p, h in emulator.emulator.routes
        ]
    assert not result.get("failed"), result
    posts = [e for e in emulator.writes() if e["method"] == "POST"]
    assert [e["status"] for e in posts] == [400, 200]
    assert result["added"] == [GOLDEN] and result["changed"] is True
    assert sorted(m["dest_project_id"] for m in result["members"]) == sorted([DR, GOLDEN])


def test_wait_returns_when_everyone_answered_and_times_out_naming_the_pending(emulator, share):
    preload(emulator, DR, status="accepted", vault_id=DR_VAULT)
    preload(emulator, GOLDEN)
    answered = share(OWNER, dest_project_ids=[DR], wait=True)
    timed_out = share(OWNER, dest_project_ids=[DR, GOLDEN], wait=True, wait_timeout=1)
    assert answered["pending"] == [] and not answered.get("failed")
    assert timed_out["failed"] is True and timed_out["pending"] == [GOLDEN]
    assert "backup %s: %s" % (WEB, GOLDEN) in timed_out["msg"]


# -- receiving side (strict profile: documented calls only)


def test_full_cycle_owner_adds_receiver_accepts_owner_sees_the_vault(emulator, share, run_module):
    added = share(OWNER, dest_project_ids=[DR])
    emulator.clear_log()
    accepted = share(DR, status="accepted", vault_id=DR_VAULT)
    accept_calls = calls(emulator)
    emulator.clear_log()
    again = share(DR, status="accepted", vault_id=DR_VAULT)
    rerun_calls = calls(emulator)
    seen = run_module("cbr_share_member_info", dict(password_auth(emulator.url, OWNER), backup_id=WEB))
    assert added["changed"] is True
    assert accepted["changed"] is True and accepted["member"]["status"] == "accepted"
    assert accepted["diff"] == {
        "before": {"status": "pending", "vault_id": None},
        "after": {"status": "accepted", "vault_id": DR_VAULT},
    }
    assert again["changed"] is False and again["member"]["vault_id"] == DR_VAULT
    assert [(m["dest_project_id"], m["status"], m["vault_id"]) for m in seen["members"]] == [(DR, "accepted", DR_VAULT)]
    # Documented calls only (issue 21): no member-record read, the three shared lists and the vaults, then the PUT.
    assert all(documented_for_recipient(c) for c in accept_calls), accept_calls
    assert [c for c in accept_calls if c[0] == "PUT"] == [("PUT", "backups/%s/members/%s" % (WEB, DR), None, 200)]
    assert sorted(c[2] for c in accept_calls if c[1] == "backups") == ["accepted", "pending", "rejected"]
    assert all(documented_for_recipient(c) for c in rerun_calls) and "PUT" not in [c[0] for c in rerun_calls]


def test_accept_in_check_mode_sends_no_write(emulator, share):
    preload(emulator, DR)
    result = share(DR, check_mode=True, status="accepted", vault_id=DR_VAULT)
    assert result["changed"] is True and result["member"]["status"] == "pending"
    assert emulator.writes() == []


def test_check_mode_before_the_share_exists_would_accept_once_shared(emulator, share):
    check = share(DR, check_mode=True, status="accepted", vault_id=DR_VAULT)
    real = share(DR, status="accepted", vault_id=DR_VAULT)
    assert check["changed"] is True and not check.get("failed")
    assert any("not shared with project %s yet: would accept once shared" % DR in w for w in warning_texts(check))
    assert real["failed"] is True
    assert real["msg"] == (
        "backup %s is not shared with project %s (never shared, or the owner removed the share)" % (WEB, DR)
    )
    assert emulator.writes() == []


def test_accepting_into_an_unfit_vault_says_which_check_failed(emulator, share):
    preload(emulator, CUSTOMER)
    wrong_type = share(CUSTOMER, status="accepted", vault_id=CUSTOMER_DISK_VAULT)
    full = share(CUSTOMER, status="accepted", vault_id=CUSTOMER_FULL_VAULT, capacity_check="fail")
    frozen = share(CUSTOMER, status="accepted", vault_id=CUSTOMER_FROZEN_VAULT)
    missing = share(CUSTOMER, status="accepted", vault_id="3a1f0c1e-0000-4000-8000-0000000000ff")
    assert "holds disk backups" in wrong_type["msg"] and "BackupService.6713" in wrong_type["msg"]
    assert "has 10240 MB free and the backup needs 40960 MB" in full["msg"]
    assert "computed from its resource_size" in full["msg"] and "capacity_check=warn" in full["msg"]
    assert "frozen" in frozen["msg"] and "BackupService.6712" in frozen["msg"]
    # The capacity_check hint only where capacity_check changes the outcome (issue 25 item 8).
    assert "capacity_check" not in wrong_type["msg"] and "capacity_check" not in frozen["msg"]
    assert "does not exist in project %s" % CUSTOMER in missing["msg"]
    assert emulator.writes() == []


def test_capacity_check_warn_lets_the_api_decide(emulator, share):
    """Strict profile: the cloud compares resource_size too, so the API refuses (6129) after the warning."""
    preload(emulator, CUSTOMER)
    result = share(CUSTOMER, status="accepted", vault_id=CUSTOMER_FULL_VAULT, capacity_check="warn")
    assert result["failed"] is True and result["error_code"] == "BackupService.6129"
    assert [e["method"] for e in emulator.writes()] == ["PUT"]


def test_capacity_check_warn_accepts_where_the_cloud_counts_the_backup_itself(emulator, share):
    emulator.set_profile("lenient")
    emulator.state.backups[WEB]["backup_size_gb"] = 5
    preload(emulator, CUSTOMER)
    result = share(CUSTOMER, status="accepted", vault_id=CUSTOMER_FULL_VAULT, capacity_check="warn")
    assert result["changed"] is True and result["member"]["vault_id"] == CUSTOMER_FULL_VAULT
    assert any("computed from its resource_size" in w for w in warning_texts(result))


def test_reject_then_reject_again(emulator, share):
    preload(emulator, GOLDEN)
    rejected = share(GOLDEN, status="rejected")
    again = share(GOLDEN, status="rejected")
    assert rejected["changed"] is True and rejected["member"]["status"] == "rejected"
    assert again["changed"] is False
    assert methods(emulator.writes()) == ["PUT"]


def test_accepting_with_the_owners_credentials_is_refused_clearly(emulator, share):
    preload(emulator, DR)
    result = share(OWNER, status="accepted", vault_id=DR_VAULT)
    assert "owns backup" in result["msg"] and "receiving project" in result["msg"]
    assert emulator.writes() == []


def test_already_accepted_into_another_vault_moves_it(emulator, share):
    preload(emulator, CUSTOMER, status="accepted", vault_id=CUSTOMER_FULL_VAULT)
    result = share(CUSTOMER, status="accepted", vault_id=CUSTOMER_VAULT)
    assert result["changed"] is True and result["member"]["vault_id"] == CUSTOMER_VAULT
    assert result["diff"]["before"] == {"status": "accepted", "vault_id": CUSTOMER_FULL_VAULT}


def test_accept_without_vault_id_chooses_a_fitting_vault(emulator, share):
    preload(emulator, CUSTOMER)
    result = share(CUSTOMER, status="accepted")
    again = share(CUSTOMER, status="accepted")
    assert result["changed"] is True and result["member"]["vault_id"] == CUSTOMER_VAULT
    assert result["backups"][0]["vault_id"] == CUSTOMER_VAULT
    assert again["changed"] is False and methods(emulator.writes()) == ["PUT"]


# -- the same receiving side in the lenient profile: the same documented calls (issue 21: no member-record read)


def _receiver_story(emulator, share):
    preload(emulator, DR)
    preload(emulator, GOLDEN)
    preload(emulator, CUSTOMER, status="accepted", vault_id=CUSTOMER_FULL_VAULT)
    return [
        share(DR, check_mode=True, status="accepted", vault_id=DR_VAULT),
        share(DR, status="accepted", vault_id=DR_VAULT),
        share(DR, status="accepted", vault_id=DR_VAULT),
        share(GOLDEN, status="rejected"),
        share(GOLDEN, status="rejected"),
        share(CUSTOMER, status="accepted", vault_id=CUSTOMER_VAULT),
        share(CUSTOMER, status="accepted", vault_id=CUSTOMER_VAULT),
    ]


def test_both_profiles_use_documented_calls_only_and_never_guess_a_vault(emulator, share):
    strict = _receiver_story(emulator, share)
    strict_calls = calls(emulator)
    emulator.restore_defaults()
    emulator.set_profile("lenient")
    lenient = _receiver_story(emulator, share)
    lenient_calls = calls(emulator)
    assert all(documented_for_recipient(c) for c in strict_calls + lenient_calls)
    assert not any("/members/" in c[1] and c[0] == "GET" for c in strict_calls + lenient_calls)
    assert [r["changed"] for r in strict] == [True, True, False, True, False, True, False]
    # Lenient: the shared list names the owner's vault, so an accepted share's vault is unknown: warned, left.
    assert [r["changed"] for r in lenient] == [True, True, False, True, False, False, False]
    assert any("into which vault cannot be read" in w for w in warning_texts(lenient[5]))
    assert [c for c in lenient_calls if c[0] == "PUT"] == [c for c in strict_calls if c[0] == "PUT"][:2]


# -- results true to the request log after a failure (issue 25)


def test_removals_made_before_a_failed_add_are_in_the_result(emulator, share):
    preload(emulator, GOLDEN, CUSTOMER)
    emulator.add_fault(
        method="POST",
        path="/members$",
        status=400,
        body={"error_code": "BackupService.6701", "error_msg": "Too many members."},
    )
    result = share(OWNER, dest_project_ids=[DR], purge=True)
    batch = share(OWNER, backup_ids=[WEB], dest_project_ids=[DR], purge=True)
    assert result["failed"] is True and result["error_code"] == "BackupService.6701"
    assert result["changed"] is True and result["removed"] == sorted([GOLDEN, CUSTOMER]) and result["added"] == []
    assert result["diff"] == {
        "before": {"dest_project_ids": sorted([GOLDEN, CUSTOMER])},
        "after": {"dest_project_ids": []},
    }
    assert result["backups"][0]["removed"] == result["removed"] and result["members"] == []
    # The fault answers once: the rerun has nothing left to remove and adds DR.
    assert batch["changed"] is True and batch["backups"][0]["removed"] == [] and batch["backups"][0]["added"] == [DR]
    assert [(e["method"], e["status"]) for e in emulator.writes()] == [
        ("DELETE", 204),
        ("DELETE", 204),
        ("POST", 400),
        ("POST", 200),
    ]


def test_an_answer_that_fails_keeps_the_answers_made_in_the_result(emulator, share):
    for backup_id in (WEB, DISK_BACKUP):
        emulator.seed_member(backup_id, GOLDEN)
    emulator.add_fault(
        method="PUT",
        path="%s/members" % DISK_BACKUP,
        status=400,
        body={"error_code": "BackupService.6706", "error_msg": "Refused."},
    )
    result = share(GOLDEN, backup_ids=[WEB, DISK_BACKUP], status="rejected")
    assert result["failed"] is True and result["error_code"] == "BackupService.6706"
    assert result["changed"] is True
    assert [(b["backup_id"], b["changed"], b["member"]["status"]) for b in result["backups"]] == [
        (WEB, True, "rejected"),
        (DISK_BACKUP, False, "pending"),
    ]
    assert result["diff"]["after"][WEB] == {"status": "rejected", "vault_id": None}
    assert result["diff"]["after"][DISK_BACKUP] == {"status": "pending", "vault_id": None}
