# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""cbr_share_cleanup in-process against the emulator: check mode writes nothing, the real run removes only the
flagged members it may, a rerun writes nothing; checked against the request log."""

import pytest

from demo_ids import CUSTOMER, DB, DR, DR_VAULT, GOLDEN, OWNER, WEB, password_auth  # pylint: disable=import-error

DAY = 86400


@pytest.fixture
def cleanup(emulator, run_module):
    def run(check_mode=False, **options):
        return run_module("cbr_share_cleanup", dict(password_auth(emulator.url, OWNER), **options), check_mode, True)

    return run


@pytest.fixture
def shared(emulator):
    """Shares made 10 days ago: DR accepted (expected), DR pending on DB (expected, stale), the customer
    (unexpected, accepted) and golden (unexpected, pending); then a fresh customer share of DB."""
    emulator.seed_member(WEB, DR, status="accepted", vault_id=DR_VAULT)
    emulator.seed_member(DB, DR)
    emulator.seed_member(WEB, CUSTOMER, status="accepted")
    emulator.seed_member(WEB, GOLDEN)
    emulator.age(10 * DAY)
    emulator.seed_member(DB, CUSTOMER)
    emulator.clear_log()


def pairs(entries):
    return sorted((e["backup_id"], e["dest_project_id"]) for e in entries)


def deletes(emulator):
    return sorted((e["path"].split("/")[4], e["path"].split("/")[6]) for e in emulator.writes())


def test_check_mode_plans_then_the_run_removes_only_the_flagged_then_a_rerun_writes_nothing(emulator, cleanup, shared):
    options = dict(expected_projects=[DR], pending_older_than="7d", remove=["unexpected_project", "pending_too_long"])
    plan = cleanup(check_mode=True, **options)
    assert plan["changed"] is True and emulator.writes() == []
    assert pairs(plan["removed"]) == sorted([(DB, CUSTOMER), (WEB, CUSTOMER), (WEB, GOLDEN)])
    assert {(e["dest_project_id"], e["why"]) for e in plan["kept"]} == {
        (DR, "expected project: never removed by a cleanup")  # DR's stale pending share of DB stays
    }
    assert plan["diff"]["after"][WEB] == {"dest_project_ids": [DR]}

    done = cleanup(**options)
    assert done["changed"] is True and pairs(done["removed"]) == pairs(plan["removed"])
    assert deletes(emulator) == pairs(plan["removed"])
    assert {r["why"] for r in done["removed"]} == {
        "the project is not in expected_projects",
        "the project is not in expected_projects; still pending after pending_older_than",
    }
    assert sorted(emulator.state.members[WEB]) == [DR] and sorted(emulator.state.members[DB]) == [DR]

    emulator.clear_log()
    again = cleanup(**options)
    assert again["changed"] is False and again["removed"] == [] and emulator.writes() == []


def test_only_the_allowed_flags_and_the_approved_plan_are_removed(emulator, cleanup, shared):
    expired = cleanup(expected_projects=[DR], older_than="7d", remove=["expired"])
    # The fresh customer share of DB is young.
    assert pairs(expired["removed"]) == sorted([(WEB, CUSTOMER), (WEB, GOLDEN)])
    assert [r["reasons"] for r in expired["removed"]] == [["expired"], ["expired"]]
    emulator.seed_member(WEB, GOLDEN)
    emulator.clear_log()
    approved = cleanup(
        expected_projects=[DR],
        remove=["unexpected_project"],
        approved_removals=[{"backup_id": DB, "dest_project_id": CUSTOMER}],
    )
    assert pairs(approved["removed"]) == [(DB, CUSTOMER)] and deletes(emulator) == [(DB, CUSTOMER)]
    assert [(k["dest_project_id"], k["why"]) for k in approved["kept"]] == [(GOLDEN, "not in the approved plan")]


def test_a_member_removed_meanwhile_counts_as_done(emulator, cleanup, shared):
    emulator.add_fault(
        method="DELETE",
        path="/members/" + GOLDEN,
        status=404,
        body={"error_code": "BackupService.6705", "error_msg": "The member does not exist."},
    )
    result = cleanup(expected_projects=[DR, CUSTOMER], remove=["unexpected_project"])
    assert result["changed"] is False and result["removed"] == []


@pytest.mark.parametrize(
    "options, message",
    [
        (dict(remove=["unexpected_project"], expected_projects=[]), "expected_projects is empty"),
        (dict(remove=["unexpected_project"]), "expected_projects is empty"),
        (dict(remove=["expired"]), "needs older_than"),
        (dict(remove=["pending_too_long"], expected_projects=[DR]), "needs pending_older_than"),
        (dict(remove=[], expected_projects=[DR]), "at least one flag"),
        (dict(remove=["expired"], older_than="soon"), "older_than must be"),
        (
            dict(remove=["unexpected_project"], expected_projects=[DR], approved_removals=[{"backup_id": "x"}]),
            "approved_removals[0].backup_id",
        ),
    ],
)
def test_a_cleanup_that_could_widen_is_refused_before_any_request(emulator, cleanup, options, message):
    result = cleanup(**options)
    assert result["failed"] and message in result["msg"] and emulator.requests() == []
