# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The receiving side's decisions (module_utils/_receiver_plan), one test per rule, no HTTP."""

from ansible_collections.cloudops.cbr.plugins.module_utils._receiver_plan import (
    Answer,
    ReceiverRequest,
    answered_member,
    plan_receiver,
    share_views,
    unseen_backup_ids,
)

OWNER, ME, OTHER_OWNER = "0" * 31 + "1", "0" * 31 + "2", "0" * 31 + "7"
B1, B2, B3 = ("a5200000-0000-4000-8000-00000000000%d" % n for n in (1, 2, 3))
VAULT, SMALL, DISKS = ("3a1f0c1e-0000-4000-8000-00000000000%d" % n for n in (2, 5, 4))


def entry(backup_id, project_id=OWNER, vault_id=None, size=40):
    return {
        "id": backup_id,
        "name": "b",
        "project_id": project_id,
        "resource_type": "OS::Nova::Server",
        "resource_size": size,
        "status": "available",
        "vault_id": vault_id,
    }


def vault(vault_id, size_gb=1000, object_type="server"):
    return {"id": vault_id, "billing": {"object_type": object_type, "status": "available", "size": size_gb, "used": 0}}


def request(status="accepted", backup_ids=(B1,), **options):
    return ReceiverRequest(project_id=ME, status=status, backup_ids=tuple(backup_ids), **options)


def plan(req, lists, vaults=None, owned=(), check_mode=False):
    views, problems = share_views(req, lists)
    assert problems == []
    return plan_receiver(req, views, [vault(VAULT)] if vaults is None else list(vaults), owned, check_mode)


# -- the member_status filter is cross-checked


def test_a_backup_under_two_statuses_stops_everything_naming_it():
    lists = {"pending": [entry(B1), entry(B2)], "accepted": [], "rejected": [entry(B1)]}
    views, problems = share_views(request(backup_ids=(B1, B2)), lists)
    assert views == {} and len(problems) == 1
    assert "backup %s is listed as pending and rejected" % B1 in problems[0] and B2 not in problems[0]


def test_a_loose_filter_cannot_make_a_rejected_share_pending_for_owner_project_ids():
    everything = [entry(B1), entry(B2)]
    lists = {"pending": everything, "accepted": [], "rejected": everything}
    views, problems = share_views(request(backup_ids=(), owner_project_ids=(OWNER,)), lists)
    assert views == {} and B1 in problems[0] and B2 in problems[0]


def test_owner_project_ids_act_on_pending_shares_of_those_owners_only():
    lists = {
        "pending": [entry(B1), entry(B2, project_id=OTHER_OWNER)],
        "accepted": [entry(B3, vault_id=VAULT)],
        "rejected": [],
    }
    views, problems = share_views(request(backup_ids=(), owner_project_ids=(OWNER,)), lists)
    assert problems == [] and list(views) == [B1] and views[B1].status == "pending"


def test_a_share_known_under_one_status_is_no_contradiction_and_other_backups_do_not_matter():
    lists = {"pending": [entry(B1), entry(B2)], "accepted": [entry(B2, vault_id=VAULT)], "rejected": []}
    views, problems = share_views(request(backup_ids=(B1,)), lists)
    assert problems == [] and views[B1].status == "pending" and views[B1].vault_id is None


def test_the_listed_vault_counts_only_once_accepted():
    lists = {"pending": [entry(B1, vault_id=VAULT)], "accepted": [entry(B2, vault_id=VAULT)], "rejected": []}
    views = share_views(request(backup_ids=(B1, B2)), lists)[0]
    assert (views[B1].vault_id, views[B2].vault_id) == (None, VAULT)


# -- what to answer


def test_a_pending_share_is_accepted_into_the_vault_that_fits():
    result = plan(request(), {"pending": [entry(B1)]})
    assert result.problems == () and result.answers == (Answer(B1, "accepted", VAULT),)
    assert result.results[0]["diff"] == {
        "before": {"status": "pending", "vault_id": None},
        "after": {"status": "accepted", "vault_id": VAULT},
    }
    assert result.results[0]["vault_id"] == VAULT


def test_an_accepted_share_is_done_when_any_vault_will_do():
    result = plan(request(), {"accepted": [entry(B1, vault_id=VAULT)]})
    assert result.answers == () and result.results[0]["changed"] is False
    assert result.results[0]["member"]["vault_id"] == VAULT


def test_an_accepted_share_moves_only_into_a_named_vault_it_is_known_not_to_be_in():
    moved = plan(request(vault_id=SMALL), {"accepted": [entry(B1, vault_id=VAULT)]}, [vault(VAULT), vault(SMALL)])
    unknown = plan(request(vault_id=VAULT), {"accepted": [entry(B1, vault_id="owner-vault")]})
    assert moved.answers == (Answer(B1, "accepted", SMALL),)
    assert unknown.answers == () and "into which vault cannot be read" in unknown.warnings[0]


def test_rejecting_twice_answers_once():
    assert plan(request("rejected"), {"pending": [entry(B1)]}, ()).answers == (Answer(B1, "rejected", None),)
    assert plan(request("rejected"), {"rejected": [entry(B1)]}, ()).answers == ()


def test_a_backup_not_shared_fails_a_real_run_and_warns_in_check_mode():
    real = plan(request(), {})
    check = plan(request(), {}, check_mode=True)
    assert real.problems == (
        "backup %s is not shared with project %s (never shared, or the owner removed the share)" % (B1, ME),
    )
    assert real.answers == ()
    assert check.problems == () and check.answers == () and check.results[0]["changed"] is True
    assert "would accept once shared" in check.warnings[0]


def test_the_callers_own_backup_says_to_use_the_receiving_projects_credentials():
    result = plan(request(), {}, owned=[B1])
    assert "owns backup %s" % B1 in result.problems[0] and result.answers == ()
    assert unseen_backup_ids(request(backup_ids=(B1, B2)), {B2: None}) == [B1]
    assert unseen_backup_ids(request(backup_ids=(), owner_project_ids=(OWNER,)), {}) == []


def test_a_named_vault_that_is_not_the_callers_is_refused():
    result = plan(request(vault_id=SMALL), {"pending": [entry(B1)]})
    assert result.problems == ("vault_id %s does not exist in project %s (BackupService.6105)" % (SMALL, ME),)
    assert result.answers == ()


def test_an_unfit_vault_stops_every_answer_and_only_capacity_mentions_capacity_check():
    lists = {"pending": [entry(B1), entry(B2, size=2000)]}
    wrong_type = plan(request(backup_ids=(B1, B2), vault_id=DISKS), lists, [vault(DISKS, 10000, "disk")])
    too_small = plan(request(backup_ids=(B1, B2), vault_id=VAULT, capacity_check="fail"), lists)
    assert wrong_type.answers == too_small.answers == ()
    assert "BackupService.6713" in wrong_type.problems[0] and "capacity_check=warn" not in "".join(wrong_type.problems)
    assert len(too_small.problems) == 1 and B2 in too_small.problems[0]
    assert too_small.problems[0].endswith(
        "(capacity_check=warn makes a capacity shortfall computed from resource_size a warning)"
    )


def test_capacity_check_warn_answers_with_a_warning():
    result = plan(request(), {"pending": [entry(B1, size=2000)]})  # warn is the default
    assert result.problems == () and result.answers == (Answer(B1, "accepted", VAULT),)
    # The warning says what is short, not the option again for each backup (issue 25 item 8).
    assert "may be too small" in result.warnings[0] and "capacity_check" not in result.warnings[0]


def test_the_answered_member_is_the_apis_answer_else_what_was_asked():
    result = plan(request(), {"pending": [entry(B1)]}).results[0]
    answer = Answer(B1, "accepted", VAULT)
    assert answered_member(result, answer, {"id": "x", "status": "accepted"}) == {"id": "x", "status": "accepted"}
    assert answered_member(result, answer, None) == {
        "backup_id": B1,
        "dest_project_id": ME,
        "status": "accepted",
        "vault_id": VAULT,
    }
