# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shipped audit playbook with remediation: --check prints and publishes the plan and writes nothing, the real
run removes only the flagged members it may, the rerun writes nothing (the playbook layer is the point here)."""

import os

from demo_ids import CUSTOMER, DB, DR, DR_VAULT, GOLDEN, OWNER, WEB, password_auth  # pylint: disable=import-error

PLAYBOOK = os.path.join(os.path.dirname(__file__), "..", "..", "playbooks", "sharing_audit.yml")


def test_remediation_plans_in_check_mode_removes_for_real_then_has_nothing_left(emulator, run_playbook):
    emulator.seed_member(WEB, DR, status="accepted", vault_id=DR_VAULT)
    emulator.seed_member(WEB, CUSTOMER, status="accepted")
    emulator.seed_member(DB, GOLDEN)
    emulator.age(10 * 86400)
    emulator.seed_member(DB, DR)
    extra_vars = {
        "sharing_audit_auth": password_auth(emulator.url, OWNER),
        "sharing_audit_expected_projects": [DR],
        "sharing_audit_remediate": ["unexpected_project"],
    }
    emulator.clear_log()
    plan = run_playbook(PLAYBOOK, extra_vars=extra_vars, check=True)
    assert plan.rc == 0, plan.output
    assert emulator.writes() == []
    assert "would remove accepted backup %s shared with %s" % (WEB, CUSTOMER) in plan.stdout
    assert "sharing_audit_removal_plan" in plan.stdout or "would remove pending backup %s" % DB in plan.stdout

    done = run_playbook(
        PLAYBOOK,
        extra_vars=dict(extra_vars, sharing_audit_approved_removals=[{"backup_id": WEB, "dest_project_id": CUSTOMER}]),
    )
    assert done.rc != 0  # golden's share of DB was not approved: it stays flagged and fails the job
    assert sorted((e["method"], e["path"].split("/")[-1]) for e in emulator.writes()) == [("DELETE", CUSTOMER)]

    emulator.clear_log()
    rest = run_playbook(PLAYBOOK, extra_vars=extra_vars)
    assert rest.rc == 0, rest.output
    assert [e["path"].split("/")[-1] for e in emulator.writes()] == [GOLDEN]
    assert sorted(emulator.state.members[WEB]) == [DR] and sorted(emulator.state.members[DB]) == [DR]

    emulator.clear_log()
    again = run_playbook(PLAYBOOK, extra_vars=extra_vars)
    assert again.rc == 0 and emulator.writes() == [] and "Nothing to remove." in again.stdout
