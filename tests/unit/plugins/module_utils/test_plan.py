# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_plan: set changes, and the vault each accepted backup goes to with space added up per vault."""

import pytest

from ansible_collections.cloudops.cbr.plugins.module_utils._plan import assign_vaults, capacity_hint, plan_set_change

SERVER, DISK = "OS::Nova::Server", "OS::Cinder::Volume"


def vault(vault_id, size_gb, used_gb=0, object_type="server", status="available", name=None):
    return {
        "id": vault_id,
        "name": name or "vault-" + vault_id,
        "billing": {"object_type": object_type, "status": status, "size": size_gb, "used": used_gb * 1024},
    }


def backup(backup_id, size_gb, resource_type=SERVER):
    return {"id": backup_id, "resource_type": resource_type, "resource_size": size_gb}


def test_two_backups_that_fit_alone_do_not_both_go_to_one_vault():
    choices = assign_vaults([backup("b1", 150), backup("b2", 150)], [vault("v1", 250)])
    assert [c.vault_id for c in choices] == ["v1", None]
    assert choices[0].problems == []
    assert "after 153600 MB placed there" in choices[1].problems[0]


def test_space_is_added_up_across_vaults():
    choices = assign_vaults([backup("b1", 150), backup("b2", 150)], [vault("v1", 250), vault("v2", 200)])
    assert sorted(c.vault_id for c in choices) == ["v1", "v2"]
    assert all(c.problems == [] for c in choices)


def test_the_fitting_vault_with_most_free_space_wins():
    choices = assign_vaults([backup("b1", 10)], [vault("v1", 100), vault("v2", 500, used_gb=100), vault("v3", 300)])
    assert choices[0].vault_id == "v2"


def test_largest_backups_are_placed_first_and_results_keep_the_given_order():
    # Smallest first would put b-small in v2 (more room) and leave b-big with nowhere to go.
    choices = assign_vaults([backup("b-small", 50), backup("b-big", 200)], [vault("v1", 100), vault("v2", 210)])
    assert [(c.backup_id, c.vault_id) for c in choices] == [("b-small", "v1"), ("b-big", "v2")]


def test_ties_go_to_the_lowest_vault_id():
    choices = assign_vaults([backup("b1", 10)], [vault("vb", 100), vault("va", 100)])
    assert choices[0].vault_id == "va"


def test_a_vault_of_the_wrong_type_or_status_is_never_chosen():
    vaults = [vault("v1", 1000, object_type="disk"), vault("v2", 1000, status="frozen")]
    choice = assign_vaults([backup("b1", 10)], vaults)[0]
    assert choice.vault_id is None
    assert "6713" in choice.problems[0] and "6712" in choice.problems[0]
    assert "v1 (vault-v1)" in choice.problems[0]


def test_disk_backups_go_to_disk_vaults():
    choice = assign_vaults([backup("b1", 10, DISK)], [vault("v1", 1000), vault("v2", 100, object_type="disk")])[0]
    assert choice.vault_id == "v2"


def test_fixed_vault_is_checked_for_type():
    choice = assign_vaults(
        [backup("b1", 10)], [vault("v1", 100, object_type="disk"), vault("v2", 100)], fixed_vault_id="v1"
    )[0]
    assert choice.vault_id is None
    assert len(choice.problems) == 1 and "BackupService.6713" in choice.problems[0]


def test_fixed_vault_capacity_is_added_up():
    choices = assign_vaults(
        [backup("b1", 60), backup("b2", 60)], [vault("v1", 100), vault("v2", 1000)], fixed_vault_id="v1"
    )
    assert [c.vault_id for c in choices] == ["v1", None]
    assert "needs 61440 MB" in choices[1].problems[0]


def test_fixed_vault_that_the_project_does_not_have():
    choice = assign_vaults([backup("b1", 10)], [vault("v1", 100)], fixed_vault_id="v9")[0]
    assert choice.problems == ["vault v9 is not one of the project's vaults"]


def test_no_vault_at_all():
    assert assign_vaults([backup("b1", 10)], [])[0].problems == ["the project has no vault"]


def test_capacity_warn_places_the_backup_with_a_warning():
    choices = assign_vaults([backup("b1", 150), backup("b2", 150)], [vault("v1", 250)], capacity_check="warn")
    assert [c.vault_id for c in choices] == ["v1", "v1"]
    assert [c.problems for c in choices] == [[], []]
    assert choices[0].warnings == [] and "may be too small" in choices[1].warnings[0]


def test_capacity_warn_still_refuses_the_wrong_type():
    choice = assign_vaults([backup("b1", 10)], [vault("v1", 1, object_type="disk")], capacity_check="warn")[0]
    assert choice.vault_id is None and "6713" in choice.problems[0]


def test_inputs_are_not_changed():
    vaults, backups = [vault("v1", 250)], [backup("b1", 150), backup("b2", 50)]
    assign_vaults(backups, vaults)
    assert vaults == [vault("v1", 250)] and backups == [backup("b1", 150), backup("b2", 50)]


def test_locked_and_replication_vaults_are_never_chosen():
    locked = dict(vault("v1", 1000), locked=True, sys_lock_source_service="SMB")
    replication = vault("v2", 1000)
    replication["billing"]["protect_type"] = "replication"
    choice = assign_vaults([backup("b1", 10)], [locked, replication], capacity_check="warn")[0]
    assert choice.vault_id is None and choice.capacity_only is False
    assert "it is locked (locked: true, by SMB)" in choice.problems[0]
    assert "it is a replication vault (protect_type)" in choice.problems[0]


def test_an_auto_expand_vault_takes_any_size():
    grows = dict(vault("v1", 1), auto_expand=True)
    choices = assign_vaults([backup("b1", 150), backup("b2", 150)], [grows], capacity_check="fail")
    assert [c.vault_id for c in choices] == ["v1", "v1"] and all(c.problems == [] for c in choices)


def test_the_capacity_hint_only_when_capacity_alone_refused():
    short = assign_vaults([backup("b1", 150)], [vault("v1", 100)])
    wrong_type = assign_vaults([backup("b1", 10)], [vault("v1", 1, object_type="disk")])
    assert short[0].capacity_only is True and "capacity_check=warn" in capacity_hint(short)
    assert wrong_type[0].capacity_only is False and capacity_hint(wrong_type) == ""
    assert capacity_hint(short + short).count("capacity_check") == 1


A, B, C = "a" * 32, "b" * 32, "c" * 32


@pytest.mark.parametrize(
    "current, wanted, state, purge, to_add, to_remove, after",
    [
        ([A], [A, B], "present", False, [B], [], [A, B]),
        ([A, C], [A, B], "present", False, [B], [], [A, B, C]),
        ([A, C], [A, B], "present", True, [B], [C], [A, B]),
        ([A, B], [A, B], "present", True, [], [], [A, B]),
        ([A, B], [B, C], "absent", False, [], [B], [A]),
        ([], [B], "absent", False, [], [], []),
        ([A, B], [], "present", True, [], [A, B], []),
    ],
)
def test_plan_set_change(current, wanted, state, purge, to_add, to_remove, after):
    plan = plan_set_change(current, wanted, state, purge)
    assert (plan.to_add, plan.to_remove, plan.before, plan.after) == (to_add, to_remove, sorted(current), after)
