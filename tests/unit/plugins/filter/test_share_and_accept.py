# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The share_and_accept role's planner: input checks, who is read, the plan, the report."""

import pathlib

import pytest
import yaml

from ansible_collections.cloudops.cbr.plugins.filter.share_and_accept import (
    ROLE_VARIABLES,
    input_problems,
    plan,
    recipients_to_read,
    report,
    selection,
)

OWNER, DR, GOLDEN, OTHER = "0" * 31 + "1", "0" * 31 + "2", "0" * 31 + "3", "0" * 31 + "9"
B1, B2 = "a5200000-0000-4000-8000-000000000001", "a5200000-0000-4000-8000-000000000002"
DR_VAULT, DR_DISKS, GOLDEN_VAULT = ("3a1f0c1e-0000-4000-8000-00000000000%d" % n for n in (2, 4, 3))
AUTH = {"username": "u", "password": "p"}
ARGUMENT_SPECS = pathlib.Path(__file__).parents[4] / "roles" / "share_and_accept" / "meta" / "argument_specs.yml"


def backup(backup_id, size=40, members=()):
    return {
        "id": backup_id,
        "resource_type": "OS::Nova::Server",
        "resource_size": size,
        "status": "available",
        "extend_info": {"encrypted": False},
        "members": list(members),
    }


def member(project_id, status="pending", vault_id=None):
    return {"dest_project_id": project_id, "status": status, "vault_id": vault_id}


def vault(vault_id, size_gb, object_type="server", status="available"):
    return {
        "id": vault_id,
        "name": "v" + vault_id[-1],
        "billing": {"object_type": object_type, "status": status, "size": size_gb, "used": 0},
    }


def recipient(project_id, vault_id=None):
    entry = {"project_id": project_id, "auth": AUTH}
    if vault_id:
        entry["vault_id"] = vault_id
    return entry


def read(project_id, vaults, acts_in=None):
    return {"item": recipient(project_id), "project_id": acts_in or project_id, "vaults": vaults}


def owner(*backups):
    return {"project_id": OWNER, "backups": list(backups), "missing_backup_ids": []}


# -- input checks: one message per mistake


@pytest.mark.parametrize(
    "args, message",
    [
        (
            dict(recipients=[recipient(DR)]),
            "share_and_accept_backup_ids or share_and_accept_backup_selection must name",
        ),
        (dict(recipients=[recipient(DR)], backup_ids=["nope"]), "share_and_accept_backup_ids[0] must be a UUID"),
        (dict(recipients=[], backup_ids=[B1]), "share_and_accept_recipients must list at least one"),
        (
            dict(recipients=[recipient(DR), recipient(DR)], backup_ids=[B1]),
            "share_and_accept_recipients[1].project_id " + DR + " is listed twice",
        ),
        (
            dict(recipients=[{"project_id": "x", "auth": AUTH}], backup_ids=[B1]),
            "share_and_accept_recipients[0].project_id must be a project id",
        ),
        (dict(recipients=[{"project_id": DR}], backup_ids=[B1]), "share_and_accept_recipients[0].auth must be"),
        (
            dict(recipients=[recipient(DR, "v1")], backup_ids=[B1]),
            "share_and_accept_recipients[0].vault_id must be a UUID",
        ),
        (
            dict(recipients=[recipient(DR)], backup_ids=[B1], reject=[GOLDEN]),
            "share_and_accept_reject names '%s', which is not in share_and_accept_recipients" % GOLDEN,
        ),
        (
            dict(recipients=[recipient(DR)], backup_ids=[B1], capacity_check="maybe"),
            "share_and_accept_capacity_check must be fail or warn",
        ),
        (dict(recipients=[recipient(DR)], selection={"own_type": "shared"}), "can only select the owner's own backups"),
    ],
)
def test_each_input_mistake_has_its_own_message(args, message):
    problems = input_problems(**args)
    assert len(problems) == 1 and message in problems[0], problems


@pytest.mark.parametrize(
    "args, message",
    [
        (
            dict(variable_names=["share_and_accept_recipients", "share_and_accept_rejects"]),
            "variable share_and_accept_rejects is not known (did you mean share_and_accept_reject?)",
        ),
        (
            dict(variable_names=["share_and_accept_purg", "share_and_accept__plan"]),
            "variable share_and_accept_purg is not known (did you mean share_and_accept_purge?)",
        ),
        (
            dict(recipients=[recipient(DR), {"project_id": GOLDEN, "auth": {"usrname": "u", "password": "p"}}]),
            "share_and_accept_recipients[1].auth (project %s): option usrname is not known (did you mean username?)"
            % GOLDEN,
        ),
        (
            dict(owner_auth={"acess_key": "AK", "secret_key": "SK"}),
            "share_and_accept_owner_auth: option acess_key is not known (did you mean access_key?)",
        ),
        (dict(backup_ids=[B1, B1]), "share_and_accept_backup_ids lists '%s' more than once" % B1),
        (dict(reject=[DR, DR]), "share_and_accept_reject lists '%s' more than once" % DR),
        (
            dict(backup_ids=[], selection={"vault": DR_VAULT}),
            "share_and_accept_backup_selection: option vault is not known (did you mean vault_id?)",
        ),
    ],
)
def test_misspelt_names_and_duplicates_are_refused(args, message):
    problems = input_problems(**dict(dict(recipients=[recipient(DR)], backup_ids=[B1]), **args))
    assert len(problems) == 1 and message in problems[0], problems
    assert "'p'" not in problems[0] and "SK" not in problems[0]


def test_the_known_variables_are_the_role_options_and_its_report():
    specs = yaml.safe_load(ARGUMENT_SPECS.read_text())["argument_specs"]["main"]["options"]
    assert sorted(ROLE_VARIABLES) == sorted(list(specs) + ["share_and_accept_report"])


def test_several_mistakes_give_several_messages():
    problems = input_problems([recipient(DR), recipient(DR)], backup_ids=[], reject=[GOLDEN])
    assert len(problems) == 3


def test_good_input_has_no_problem():
    assert input_problems([recipient(DR, DR_VAULT)], backup_ids=[B1], selection={"vault_id": DR_VAULT}) == []


# -- who is read


def test_only_recipients_with_something_to_answer_are_read():
    done = member(DR, "accepted", DR_VAULT)
    assert recipients_to_read(owner(backup(B1, members=[done])), [recipient(DR), recipient(GOLDEN)]) == [
        recipient(GOLDEN)
    ]
    assert recipients_to_read(owner(backup(B1, members=[done])), [recipient(DR)]) == []
    assert recipients_to_read(owner(backup(B1, members=[done])), [recipient(DR)], reject=[DR]) == [recipient(DR)]


# -- the plan


def test_first_run_plans_one_owner_write_and_one_answer_per_recipient_and_vault():
    result = plan(
        owner(backup(B1), backup(B2)),
        [read(DR, [vault(DR_VAULT, 1000)]), read(GOLDEN, [])],
        [recipient(DR), recipient(GOLDEN)],
        reject=[GOLDEN],
    )
    assert result["problems"] == []
    assert result["owner_backup_ids"] == [B1, B2]
    assert result["answers"] == [
        {"project_id": DR, "status": "accepted", "vault_id": DR_VAULT, "backup_ids": [B1, B2]},
        {"project_id": GOLDEN, "status": "rejected", "vault_id": None, "backup_ids": [B1, B2]},
    ]
    assert {(e["backup_id"], e["project_id"], e["action"]) for e in result["report"]} == {
        (B1, DR, "add and accept"),
        (B2, DR, "add and accept"),
        (B1, GOLDEN, "add and reject"),
        (B2, GOLDEN, "add and reject"),
    }


def test_two_backups_that_fit_alone_but_not_together_stop_the_plan():
    result = plan(
        owner(backup(B1, 150), backup(B2, 150)),
        [read(DR, [vault(DR_VAULT, 250)])],
        [recipient(DR)],
        capacity_check="fail",
    )
    assert len(result["problems"]) == 2
    assert result["problems"][0].startswith("project %s cannot accept backup %s: no vault can take it" % (DR, B2))
    # The hint, once: only a capacity shortfall changes with share_and_accept_capacity_check.
    assert result["problems"][1].startswith("share_and_accept_capacity_check=warn makes a capacity shortfall")


def test_capacity_is_a_warning_by_default():
    result = plan(owner(backup(B1, 150), backup(B2, 150)), [read(DR, [vault(DR_VAULT, 250)])], [recipient(DR)])
    assert result["problems"] == [] and len(result["warnings"]) == 1


def test_capacity_warn_places_both_with_a_warning():
    result = plan(
        owner(backup(B1, 150), backup(B2, 150)),
        [read(DR, [vault(DR_VAULT, 250)])],
        [recipient(DR)],
        capacity_check="warn",
    )
    assert result["problems"] == [] and len(result["warnings"]) == 1
    assert result["answers"][0]["backup_ids"] == [B1, B2]


def test_an_explicit_vault_of_the_wrong_type_is_a_problem():
    result = plan(
        owner(backup(B1)), [read(DR, [vault(DR_DISKS, 1000, "disk"), vault(DR_VAULT, 1000)])], [recipient(DR, DR_DISKS)]
    )
    assert len(result["problems"]) == 1 and "BackupService.6713" in result["problems"][0]


def test_credentials_of_another_project_are_a_problem_naming_both_ids():
    result = plan(owner(backup(B1)), [read(DR, [vault(DR_VAULT, 1000)], acts_in=OTHER)], [recipient(DR)])
    assert result["problems"] == [
        "the credentials of recipient %s act in project %s, not %s: give that recipient "
        "its own project's credentials" % (DR, OTHER, DR)
    ]


def test_missing_backups_and_an_empty_selection_are_problems():
    missing = dict(owner(), missing_backup_ids=[B2])
    assert plan(missing, [], [recipient(DR)])["problems"] == [
        "backup %s is not a backup of the owner project %s" % (B2, OWNER)
    ]
    assert "matches share_and_accept_backup_selection" in plan(owner(), [], [recipient(DR)])["problems"][0]


def test_the_owner_project_cannot_be_a_recipient():
    result = plan(owner(backup(B1, members=[member(OWNER, "accepted", DR_VAULT)])), [], [recipient(OWNER)])
    assert any("lists the owner project" in p for p in result["problems"])


def test_a_backup_that_cannot_be_shared_is_a_problem_only_when_members_are_added():
    protecting = dict(backup(B1), status="protecting")
    assert any(
        "BackupService.6702" in p
        for p in plan(owner(protecting), [read(DR, [vault(DR_VAULT, 1000)])], [recipient(DR)])["problems"]
    )
    shared = dict(protecting, members=[member(DR, "accepted", DR_VAULT)])
    assert plan(owner(shared), [], [recipient(DR)])["problems"] == []


def test_more_than_ten_projects_is_a_problem():
    members = [member("%032x" % n, "accepted", DR_VAULT) for n in range(100, 110)]
    result = plan(owner(backup(B1, members=members)), [read(DR, [vault(DR_VAULT, 1000)])], [recipient(DR)])
    assert any("would be shared with 11 projects; CBR allows 10" in p for p in result["problems"])


def test_converged_plan_writes_nothing():
    done = backup(B1, members=[member(DR, "accepted", DR_VAULT), member(GOLDEN, "rejected")])
    result = plan(owner(done), [], [recipient(DR), recipient(GOLDEN)], reject=[GOLDEN])
    assert (result["problems"], result["owner_backup_ids"], result["answers"]) == ([], [], [])
    assert [e["action"] for e in result["report"]] == ["none", "none"]


def test_an_accepted_share_keeps_its_vault_unless_another_is_given():
    accepted = backup(B1, members=[member(DR, "accepted", GOLDEN_VAULT)])
    assert plan(owner(accepted), [], [recipient(DR)])["answers"] == []
    moved = plan(owner(accepted), [read(DR, [vault(DR_VAULT, 1000)])], [recipient(DR, DR_VAULT)])
    assert moved["answers"] == [{"project_id": DR, "status": "accepted", "vault_id": DR_VAULT, "backup_ids": [B1]}]


def test_purge_removals_are_in_the_report_and_say_would_in_check_mode():
    shared = backup(B1, members=[member(DR, "accepted", DR_VAULT), member(OTHER, "pending")])
    planned = plan(owner(shared), [], [recipient(DR)], purge=True)
    assert planned["owner_backup_ids"] == [B1] and planned["answers"] == []
    removal = {
        "backup_id": B1,
        "project_id": OTHER,
        "status_before": "pending",
        "status_after": "absent",
        "vault_before": None,
        "vault_id": None,
        "changed": True,
        "action": "remove",
        "reason": "not in share_and_accept_recipients (purge)",
    }
    assert removal in planned["report"]
    assert dict(removal, action="would remove") in report(planned, True)
    assert removal in report(planned, False)
    assert plan(owner(shared), [], [recipient(DR)])["owner_backup_ids"] == []


# -- over time: the rolling window, the ages and the wait, as cbr_share_member takes them


@pytest.mark.parametrize(
    "ids, chosen, over_time, wanted",
    [
        ([], {}, {"rolling_window": True}, "share_and_accept_rolling_window keeps exactly the selected backups"),
        ([], {"newest_per_resource": 3}, {"rolling_window": True}, "rolling_window needs share_and_accept_backup_sel"),
        ([B1], {"vault_id": DR_VAULT}, {"rolling_window": True}, "not also share_and_accept_backup_ids"),
        ([B1], {}, {"older_than": "30 days"}, "share_and_accept_older_than must be a UTC time"),
        ([B1], {}, {"pending_older_than": "x"}, "share_and_accept_pending_older_than must be a UTC time"),
        ([B1], {}, {"backup_wait_timeout": -1}, "share_and_accept_backup_wait_timeout must be a number of seconds"),
    ],
)
def test_over_time_options_the_module_would_refuse_stop_the_role_before_any_request(ids, chosen, over_time, wanted):
    problems = input_problems([recipient(DR)], ids, chosen, over_time=over_time)
    assert any(wanted in problem for problem in problems), problems


def test_over_time_options_that_fit_pass():
    window = {"rolling_window": True, "older_than": "30d", "pending_older_than": "3d", "backup_wait_timeout": 600}
    assert input_problems([recipient(DR)], [], {"vault_id": DR_VAULT}, over_time=window) == []


def test_a_kept_share_past_older_than_stops_the_plan_and_a_young_one_does_not():
    old = dict(member(DR, "accepted", DR_VAULT), created_at="2020-01-01T00:00:00Z")
    stopped = plan(owner(backup(B1, members=[old])), [], [recipient(DR)], over_time={"older_than": "30d"})
    assert len(stopped["problems"]) == 1 and "sharing it again at the next run would undo it" in stopped["problems"][0]
    assert plan(owner(backup(B1, members=[old])), [], [recipient(DR)])["problems"] == []


def test_with_a_wait_a_backup_being_made_is_planned_and_the_selection_counts_it():
    made = dict(backup(B1), status="protecting")
    assert "not available" in plan(owner(made), [], [recipient(DR)], purge=False)["problems"][0]
    reads = [read(DR, [vault(DR_VAULT, 1000)])]
    waited = plan(owner(made), reads, [recipient(DR)], over_time={"backup_wait_timeout": 60})
    assert waited["problems"] == [] and waited["owner_backup_ids"] == [B1]
    assert selection({"vault_id": DR_VAULT}, {"backup_wait_timeout": 60})["status"] == [
        "available",
        "protecting",
        "waiting_protect",
    ]
    assert selection({"vault_id": DR_VAULT, "status": ["available"]}, {"backup_wait_timeout": 60})["status"] == [
        "available"
    ]
    assert "status" not in selection({"vault_id": DR_VAULT}, {"backup_wait_timeout": 0})


def test_the_report_adds_the_owner_tasks_further_removals_with_their_reasons_once():
    shared = backup(B1, members=[member(DR, "accepted", DR_VAULT), member(OTHER, "pending")])
    planned = plan(owner(shared), [], [recipient(DR)], purge=True)
    results = [
        {"backup_id": B1, "removals": [{"dest_project_id": OTHER, "reason": "not in share_and_accept_recipients"}]},
        {"backup_id": B2, "removals": [{"dest_project_id": DR, "reason": "its backup is no longer selected"}]},
    ]
    removed = [e for e in report(planned, True, results) if e["action"] == "would remove"]
    assert [(e["backup_id"], e["project_id"], e["status_before"]) for e in removed] == [
        (B1, OTHER, "pending"),
        (B2, DR, None),
    ]
    assert removed[1]["reason"] == "its backup is no longer selected"


def test_openstack_cloud_option_names_are_known_auth_options():
    auth = {"access_key": "AK", "secret_key": "SK", "project_id": DR, "region_name": "eu-de", "verify": True}
    assert input_problems([{"project_id": DR, "auth": auth}], backup_ids=[B1], owner_auth={"api_timeout": 5}) == []
