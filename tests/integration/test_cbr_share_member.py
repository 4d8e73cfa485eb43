# -*- coding: utf-8 -*-
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""cbr_share_member through ansible-playbook against the emulator, checked against its request log."""

from __future__ import absolute_import, division, print_function
from demo_ids import CUSTOMER, DR, DR_VAULT, GOLDEN, OWNER, WEB, password_auth  # pylint: disable=import-error

__metaclass__ = type

MODULE = "cloudops.cbr.cbr_share_member"
INFO = "cloudops.cbr.cbr_share_member_info"


def share(backup_id=WEB, **options):
    return {MODULE: dict(backup_id=backup_id, **options)}


def as_project(emulator, project_id, task):
    return dict(task, module_defaults={"group/cloudops.cbr.cbr": password_auth(emulator.url, project_id)})


def member_ids(emulator, backup_id=WEB):
    return sorted(emulator.state.members.get(backup_id, {}))


def preload(emulator, *project_ids, **fields):
    for project_id in project_ids:
        emulator.seed_member(WEB, project_id, **fields)


def methods(entries):
    return [e["method"] for e in entries]


def test_add_three_then_rerun_sends_no_write(emulator, play):
    result = play([share(dest_project_ids=[DR, GOLDEN, CUSTOMER])] * 2, defaults=password_auth(emulator.url, OWNER))
    first, second = result.results
    assert first["changed"] is True and first["added"] == sorted([DR, GOLDEN, CUSTOMER])
    assert sorted(m["dest_project_id"] for m in first["members"]) == sorted([DR, GOLDEN, CUSTOMER])
    assert all(m["status"] == "pending" for m in first["members"])
    assert second["changed"] is False and second["added"] == [] and second["removed"] == []
    assert methods(emulator.writes()) == ["POST"]
    assert member_ids(emulator) == sorted([DR, GOLDEN, CUSTOMER])
    # first run: list + backup pre-flight + POST; rerun: one list
    assert methods(emulator.requests()) == ["GET", "GET", "POST", "GET"]


def test_check_mode_reports_the_change_and_sends_no_write(emulator, play):
    preload(emulator, DR)
    result = play([share(dest_project_ids=[DR, GOLDEN]), share(dest_project_ids=[DR])], check=True, diff=True,
                  defaults=password_auth(emulator.url, OWNER))
    would_add, nothing = result.results
    assert would_add["changed"] is True and would_add["added"] == [GOLDEN]
    assert would_add["diff"] == {"before": {"dest_project_ids": [DR]}, "after": {"dest_project_ids": sorted([DR, GOLDEN])}}
    assert nothing["changed"] is False
    assert emulator.writes() == [] and member_ids(emulator) == [DR]
    real = play([share(dest_project_ids=[DR, GOLDEN])], defaults=password_auth(emulator.url, OWNER))
    assert real[0]["changed"] is True and real[0]["added"] == would_add["added"]


def test_purge_removes_unlisted_members_one_delete_each(emulator, play):
    preload(emulator, DR, GOLDEN, CUSTOMER)
    result = play([share(dest_project_ids=[DR], purge=True)] * 2, diff=True, defaults=password_auth(emulator.url, OWNER))
    purged, again = result.results
    assert purged["changed"] is True and purged["removed"] == sorted([GOLDEN, CUSTOMER]) and purged["added"] == []
    assert [m["dest_project_id"] for m in purged["members"]] == [DR]
    assert again["changed"] is False
    assert sorted(e["path"].rsplit("/", 1)[-1] for e in emulator.writes()) == sorted([GOLDEN, CUSTOMER])
    assert methods(emulator.writes()) == ["DELETE", "DELETE"] and member_ids(emulator) == [DR]


def test_absent_removes_only_the_listed_members(emulator, play):
    preload(emulator, DR, GOLDEN)
    result = play([share(dest_project_ids=[GOLDEN, CUSTOMER], state="absent")] * 2, defaults=password_auth(emulator.url, OWNER))
    removed, again = result.results
    assert removed["changed"] is True and removed["removed"] == [GOLDEN]
    assert again["changed"] is False
    assert methods(emulator.writes()) == ["DELETE"] and member_ids(emulator) == [DR]


def test_the_ten_project_cap_is_refused_before_any_write(emulator, play):
    extra = ["%032x" % n for n in range(1, 10)]
    for project_id in extra:
        emulator.state.projects[project_id] = {"id": project_id, "name": project_id, "domain": "acme"}
    preload(emulator, *extra)
    result = play([share(dest_project_ids=[DR, GOLDEN]), share(dest_project_ids=[DR, GOLDEN], purge=True)],
                  defaults=password_auth(emulator.url, OWNER))
    refused, purged = result.results
    assert refused["failed"] is True
    assert "at most 10" in refused["msg"] and "11 projects" in refused["msg"] and "1 more can be added" in refused["msg"]
    assert purged["changed"] is True and len(purged["removed"]) == 9
    assert methods(emulator.writes()) == ["DELETE"] * 9 + ["POST"]


def test_backup_preflight_failures_name_the_api_code_and_send_no_write(emulator, play):
    result = play([
        share("a5200000-0000-4000-8000-000000000003", dest_project_ids=[DR]),
        share("a5200000-0000-4000-8000-000000000005", dest_project_ids=[DR]),
        share("a5200000-0000-4000-8000-000000000004", dest_project_ids=[DR]),
    ], defaults=password_auth(emulator.url, OWNER))
    disk, protecting, encrypted = result.results
    assert "only cloud server backups can be shared (BackupService.6700)" in disk["msg"]
    assert "status is protecting, not available (BackupService.6702)" in protecting["msg"]
    assert "encrypted" in encrypted["msg"] and "BackupService.6709" in encrypted["msg"]
    assert emulator.writes() == []


def test_bad_destinations_fail_before_any_request(emulator, play):
    result = play([
        share(dest_project_ids=[OWNER]),
        share(dest_project_ids=["DR"]),
        share(dest_project_ids=[]),
        share(dest_project_ids=[DR], vault_id=DR_VAULT),
        share(status="accepted"),
        share(dest_project_ids=[DR], status="rejected"),
        share(status="rejected", purge=True),
    ], defaults=password_auth(emulator.url, OWNER))
    own, malformed, empty, vault, no_vault, both, purge = result.results
    assert "must not contain the backup's own project" in own["msg"] and "6704" in own["msg"]
    assert "dest_project_ids must be a project id of 32" in malformed["msg"]
    assert "dest_project_ids must not be empty" in empty["msg"]
    assert "vault_id is for the receiving side" in vault["msg"]
    assert "vault_id" in no_vault["msg"] and "status" in no_vault["msg"]
    assert "mutually exclusive" in both["msg"]
    assert "purge is for the owner side" in purge["msg"]
    assert emulator.requests(api_only=False) == []


def test_own_project_is_refused_when_scoped_by_name(emulator, play):
    owner_by_name = dict(password_auth(emulator.url, OWNER), project_id=None, project_name="eu-de_source")
    result = play([share(dest_project_ids=[OWNER])], defaults=owner_by_name)
    assert "must not contain the backup's own project" in result[0]["msg"]
    assert emulator.requests() == []


def test_full_cycle_owner_adds_receiver_accepts_owner_sees_the_vault(emulator, play):
    result = play([
        as_project(emulator, OWNER, share(dest_project_ids=[DR])),
        as_project(emulator, DR, share(status="accepted", vault_id=DR_VAULT)),
        as_project(emulator, DR, share(status="accepted", vault_id=DR_VAULT)),
        as_project(emulator, OWNER, {INFO: {"backup_id": WEB}}),
    ], diff=True)
    added, accepted, again, seen = result.results
    assert added["changed"] is True
    assert accepted["changed"] is True and accepted["member"]["status"] == "accepted"
    assert accepted["diff"] == {"before": {"status": "pending", "vault_id": None},
                                "after": {"status": "accepted", "vault_id": DR_VAULT}}
    assert again["changed"] is False
    assert [(m["dest_project_id"], m["status"], m["vault_id"]) for m in seen["members"]] == [(DR, "accepted", DR_VAULT)]
    puts = [e for e in emulator.writes() if e["method"] == "PUT"]
    assert len(puts) == 1 and puts[0]["project_id"] == DR and puts[0]["path"].endswith("/members/" + DR)
    assert puts[0]["path"].startswith("/v3/%s/" % DR)


def test_accept_in_check_mode_sends_no_write(emulator, play):
    preload(emulator, DR)
    result = play([share(status="accepted", vault_id=DR_VAULT)], check=True, defaults=password_auth(emulator.url, DR))
    assert result[0]["changed"] is True and result[0]["member"]["status"] == "pending"
    assert emulator.writes() == []


def test_accepting_into_an_unfit_vault_says_which_check_failed(emulator, play):
    preload(emulator, CUSTOMER)
    result = play([
        share(status="accepted", vault_id="3a1f0c1e-0000-4000-8000-000000000004"),
        share(status="accepted", vault_id="3a1f0c1e-0000-4000-8000-000000000005"),
        share(status="accepted", vault_id="3a1f0c1e-0000-4000-8000-000000000007"),
        share(status="accepted", vault_id="3a1f0c1e-0000-4000-8000-0000000000ff"),
    ], defaults=password_auth(emulator.url, CUSTOMER))
    wrong_type, full, frozen, missing = result.results
    assert "holds disk backups" in wrong_type["msg"] and "BackupService.6713" in wrong_type["msg"]
    assert "has 10240 MB free and the backup needs 40960 MB" in full["msg"]
    assert "frozen" in frozen["msg"] and "BackupService.6712" in frozen["msg"]
    assert "does not exist in project %s" % CUSTOMER in missing["msg"]
    assert emulator.writes() == []


def test_reject_then_reject_again(emulator, play):
    preload(emulator, GOLDEN)
    result = play([share(status="rejected")] * 2, defaults=password_auth(emulator.url, GOLDEN))
    rejected, again = result.results
    assert rejected["changed"] is True and rejected["member"]["status"] == "rejected"
    assert again["changed"] is False
    assert methods(emulator.writes()) == ["PUT"]


def test_accepting_with_the_owners_credentials_is_refused_clearly(emulator, play):
    preload(emulator, DR)
    result = play([share(status="accepted", vault_id=DR_VAULT)], defaults=password_auth(emulator.url, OWNER))
    assert "owns backup" in result[0]["msg"] and "receiving project" in result[0]["msg"]
    assert emulator.writes() == []


def test_accepting_a_share_that_is_not_there_fails(emulator, play):
    result = play([share(status="accepted", vault_id=DR_VAULT)], defaults=password_auth(emulator.url, DR))
    assert result[0]["msg"] == ("backup %s is not shared with project %s (never shared, or the owner removed the "
                                "share)" % (WEB, DR))
    assert emulator.writes() == []


def test_already_accepted_into_another_vault_moves_it(emulator, play):
    preload(emulator, CUSTOMER, status="accepted", vault_id="3a1f0c1e-0000-4000-8000-000000000005")
    result = play([share(status="accepted", vault_id="3a1f0c1e-0000-4000-8000-000000000006")],
                  defaults=password_auth(emulator.url, CUSTOMER))
    assert result[0]["changed"] is True and result[0]["member"]["vault_id"] == "3a1f0c1e-0000-4000-8000-000000000006"


def test_removing_a_member_with_an_image_says_to_delete_the_image(emulator, play):
    preload(emulator, DR, image_id="9d1e2c3b-0000-4000-8000-000000000001")
    result = play([share(dest_project_ids=[DR], state="absent")], defaults=password_auth(emulator.url, OWNER))
    assert "BackupService.6710" in result[0]["msg"] and "image must be deleted" in result[0]["msg"]
    assert result[0]["error_code"] == "BackupService.6710"


def test_a_post_that_was_applied_but_answered_500_is_not_sent_again(emulator, play):
    emulator.add_fault(method="POST", path="/members$", status=500, after_apply=True)
    result = play([share(dest_project_ids=[DR, GOLDEN])], defaults=password_auth(emulator.url, OWNER))
    assert result[0]["changed"] is True and not result[0].get("failed")
    assert methods(emulator.writes()) == ["POST"] and member_ids(emulator) == sorted([DR, GOLDEN])


def test_wait_returns_when_everyone_answered_and_times_out_naming_the_pending(emulator, play):
    preload(emulator, DR, status="accepted", vault_id=DR_VAULT)
    preload(emulator, GOLDEN)
    result = play([share(dest_project_ids=[DR], wait=True),
                   share(dest_project_ids=[DR, GOLDEN], wait=True, wait_timeout=1)],
                  defaults=password_auth(emulator.url, OWNER))
    answered, timed_out = result.results
    assert answered["pending"] == [] and not answered.get("failed")
    assert timed_out["failed"] is True and timed_out["pending"] == [GOLDEN]
    assert "still pending: %s" % GOLDEN in timed_out["msg"]
