# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The owner side's decisions (module_utils/_owner_plan), one test per rule, no HTTP."""

import pytest

from ansible_collections.cloudops.cbr.plugins.module_utils._owner_plan import (
    OwnerRequest,
    members_change,
    needs_backup,
    own_project_problem,
    owner_result,
    pending_projects,
    plan_owner_backup,
    planned_result,
    removal_plan,
    removals,
    write_order,
)

OWNER, DR, GOLDEN, OTHER = "0" * 31 + "1", "0" * 31 + "2", "0" * 31 + "3", "0" * 31 + "9"
B1 = "a5200000-0000-4000-8000-000000000001"


def member(project_id, status="pending"):
    return {"backup_id": B1, "dest_project_id": project_id, "status": status}


def backup(**fields):
    return dict(
        {"id": B1, "status": "available", "resource_type": "OS::Nova::Server", "extend_info": {"encrypted": False}},
        **fields,
    )


def request(*project_ids, **options):
    return OwnerRequest(tuple(project_ids), **options)


# -- members to add and remove


@pytest.mark.parametrize(
    "have, options, to_add, to_remove",
    [
        ([], dict(), [DR, GOLDEN], []),
        ([DR], dict(), [GOLDEN], []),
        ([DR, OTHER], dict(), [GOLDEN], []),
        ([DR, OTHER], dict(purge=True), [GOLDEN], [OTHER]),
        ([DR, OTHER], dict(state="absent"), [], [DR]),
        ([OTHER], dict(state="absent"), [], []),
    ],
)
def test_members_change_adds_the_missing_and_removes_only_when_asked(have, options, to_add, to_remove):
    change, _removals = members_change([member(p) for p in have], request(DR, GOLDEN, **options))
    assert (change.to_add, change.to_remove) == (to_add, to_remove)
    assert change.before == sorted(have)
    assert change.after == sorted((set(have) | set(to_add)) - set(to_remove))


def test_every_removal_says_why():
    assert removals([DR, OTHER], request(DR, purge=True)) == ((OTHER, "not in dest_project_ids (purge)"),)
    assert removals([DR, OTHER], request(DR, state="absent")) == ((DR, "listed in dest_project_ids with state=absent"),)
    assert removals([DR, OTHER], request(DR)) == ()


def test_purge_with_an_empty_list_removes_every_member():
    change = members_change([member(DR), member(GOLDEN)], request(purge=True))[0]
    assert change.to_remove == [DR, GOLDEN] and change.after == []


# -- refusals before any write


def test_the_owner_project_in_the_list_is_refused_naming_the_option():
    assert own_project_problem(request(DR), OWNER) is None
    assert own_project_problem(request(DR), None) is None
    message = own_project_problem(request(DR, OWNER, option="share_and_accept_recipients"), OWNER)
    assert message.startswith("share_and_accept_recipients must not contain the backup's own project (%s)" % OWNER)
    assert "BackupService.6704" in message


def test_the_cap_of_ten_projects_says_how_many_more_fit():
    members = [member("%032x" % n) for n in range(100, 109)]
    plan = plan_owner_backup(request(DR, GOLDEN), B1, members, backup())
    assert len(plan.problems) == 1
    assert "backup %s would be shared with 11 projects; CBR allows 10" % B1 in plan.problems[0]
    assert "at most 10" in plan.problems[0] and "BackupService.6701" in plan.problems[0]
    assert "It is shared with 9 now, so 1 more can be added." in plan.problems[0]


def test_purge_makes_room_under_the_cap():
    members = [member("%032x" % n) for n in range(100, 110)]
    plan = plan_owner_backup(request(DR, purge=True), B1, members, backup())
    assert plan.problems == () and len(plan.change.to_remove) == 10 and plan.change.to_add == [DR]


def test_the_backup_is_needed_only_when_members_are_added_within_the_cap():
    assert needs_backup([], request(DR)) is True
    assert needs_backup([member(DR)], request(DR)) is False
    assert needs_backup([member("%032x" % n) for n in range(100, 110)], request(DR)) is False


def test_a_backup_that_does_not_exist_or_is_not_available_is_refused():
    missing = plan_owner_backup(request(DR), B1, [], None, OWNER)
    protecting = plan_owner_backup(request(DR), B1, [], backup(status="protecting"))
    assert missing.problems == ("backup %s does not exist in project %s (BackupService.6200)" % (B1, OWNER),)
    assert protecting.problems == (
        "backup %s cannot be shared: its status is protecting, not available (BackupService.6702)" % B1,
    )


def test_a_backup_not_available_is_no_problem_when_nothing_is_added():
    plan = plan_owner_backup(request(DR), B1, [member(DR)], backup(status="protecting"))
    assert plan.problems == () and not plan.changed


def test_disk_and_encrypted_backups_are_left_to_the_api_and_written_first():
    disk = plan_owner_backup(request(DR), B1, [], backup(resource_type="OS::Cinder::Volume"))
    encrypted = plan_owner_backup(request(DR), B1, [], backup(extend_info={"encrypted": True}))
    server = plan_owner_backup(request(DR), B1, [], backup())
    assert disk.problems == encrypted.problems == server.problems == ()
    assert (disk.api_decides, encrypted.api_decides, server.api_decides) == (True, True, False)
    assert disk.warnings == () and "KMS key" in encrypted.warnings[0]
    assert write_order([server, disk, encrypted]) == ([disk, encrypted], [server])


# -- results


def test_the_check_mode_result_is_the_plan():
    plan = plan_owner_backup(request(DR, purge=True), B1, [member(OTHER)], backup())
    result = planned_result(plan)
    assert result == dict(
        backup_id=B1,
        changed=True,
        added=[DR],
        removed=[OTHER],
        removals=[dict(dest_project_id=OTHER, reason="not in dest_project_ids (purge)")],
        members=[member(OTHER)],
        diff=dict(before=dict(dest_project_ids=[OTHER]), after=dict(dest_project_ids=[DR])),
    )


def test_a_result_after_a_failure_keeps_the_removals_made():
    plan = plan_owner_backup(request(DR, purge=True), B1, [member(OTHER), member(GOLDEN)], backup())
    result = owner_result(plan, added=[], removed=[GOLDEN, OTHER])
    assert result["changed"] is True and result["removed"] == [GOLDEN, OTHER] and result["added"] == []
    assert result["members"] == [] and result["diff"]["after"] == {"dest_project_ids": []}


def test_a_result_without_writes_is_unchanged():
    plan = plan_owner_backup(request(DR), B1, [member(DR)], backup())
    result = owner_result(plan, [], [], [member(DR)])
    assert result["changed"] is False and result["diff"]["before"] == result["diff"]["after"]


def test_pending_counts_only_the_listed_projects():
    members = [member(DR), member(GOLDEN, "accepted"), member(OTHER)]
    assert pending_projects(members, request(DR, GOLDEN)) == [DR]


def test_a_removal_plan_removes_only_present_members_with_their_reasons():
    plan = removal_plan("b1", [member(DR), member(OTHER)], [(OTHER, "expired"), (GOLDEN, "expired")])
    assert plan.change.to_remove == [OTHER] and plan.change.to_add == [] and plan.change.after == [DR]
    assert planned_result(plan)["removals"] == [dict(dest_project_id=OTHER, reason="expired")]
