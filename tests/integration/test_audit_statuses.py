# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The sharing audit and answers it cannot read: statuses it does not know, shared entries without an owner."""

import os

import pytest

from demo_ids import DB, DR, GOLDEN, OWNER, WEB, password_auth  # pylint: disable=import-error

PLAYBOOK = os.path.join(os.path.dirname(__file__), "..", "..", "playbooks", "sharing_audit.yml")


def odd_statuses(emulator):
    emulator.seed_member(WEB, DR, status="accepted", vault_id="3a1f0c1e-0000-4000-8000-000000000002")
    emulator.seed_member(WEB, GOLDEN)
    emulator.seed_member(DB, DR)
    emulator.state.members[WEB][GOLDEN]["status"] = None  # left out of the answer, as every null field
    emulator.state.members[DB][DR]["status"] = "frozen"


@pytest.mark.parametrize("cause", ["null", "unknown value"])
def test_a_member_status_the_audit_does_not_know_is_flagged(emulator, run_module, cause):
    odd_statuses(emulator)
    audit = run_module("cbr_shared_backup_info", dict(password_auth(emulator.url, OWNER), names=False))
    assert audit.get("failed") is not True, audit
    members = {(b["id"], m["dest_project_id"]): m for b in audit["backups"] for m in b["members"]}
    odd = (WEB, GOLDEN) if cause == "null" else (DB, DR)
    assert members[odd]["flags"] == ["unknown_status"]
    assert members[(WEB, DR)]["flags"] == []
    assert audit["summary"]["by_status"] == {"pending": 0, "accepted": 1, "rejected": 0, "unknown": 2}
    assert {(f["backup_id"], f["project_id"]) for f in audit["summary"]["flagged"]} == {(WEB, GOLDEN), (DB, DR)}


def test_the_shipped_audit_playbook_fails_on_an_unknown_status(emulator, run_playbook):
    odd_statuses(emulator)
    result = run_playbook(
        PLAYBOOK,
        extra_vars={"sharing_audit_auth": password_auth(emulator.url, OWNER), "sharing_audit_expected_projects": [DR]},
    )
    assert result.rc != 0, result.output
    assert "unknown_status" in result.stdout and "Nothing flagged." not in result.stdout


def test_a_shared_entry_without_an_owner_project_is_flagged_not_a_crash(
    emulator, run_module, shared_entries_without_owner
):
    emulator.seed_member(WEB, DR)
    args = dict(password_auth(emulator.url, DR), shared_with_me=True, expected_projects=[OWNER], names=False)
    audit = run_module("cbr_shared_backup_info", args)
    assert audit.get("failed") is not True, audit
    assert [(b["id"], b["project_id"], b["flags"]) for b in audit["backups"]] == [(WEB, None, ["unexpected_project"])]


@pytest.mark.parametrize("loose, finding", [(False, "yes: listed under pending only"), (True, "no: the pending")])
def test_the_probe_tells_a_loose_member_status_filter_and_names_the_host(emulator, run_module, loose, finding):
    emulator.seed_member(WEB, DR)
    emulator.set_switches(loose_member_status=loose)
    result = run_module(
        "cbr_api_probe", dict(password_auth(emulator.url, DR), probe="member_status_filter", backup_id=WEB)
    )
    observation = result["observation"]
    assert observation["finding"].startswith(finding), observation
    assert observation["host"] == "127.0.0.1"
    assert emulator.writes() == []


@pytest.mark.parametrize("profile", ["strict", "lenient"])
def test_the_audit_keeps_only_the_exact_name_whatever_the_api_matches(emulator, run_module, profile):
    # Strict matches names loosely (any case, any part): "web-01-daily" also finds "Web-01-Daily-copy".
    emulator.set_profile(profile)
    copy = emulator.add_backup(OWNER, name="Web-01-Daily-copy", vault_id="3a1f0c1e-0000-4000-8000-000000000001")["id"]
    for backup in (WEB, copy):
        emulator.seed_member(backup, DR)
    views = {
        "owner": password_auth(emulator.url, OWNER),
        "receiver": dict(password_auth(emulator.url, DR), shared_with_me=True),
    }
    for view, args in views.items():
        everything = run_module("cbr_shared_backup_info", dict(args, names=False))
        assert sorted(b["id"] for b in everything["backups"] if b["id"] in (WEB, copy)) == sorted([WEB, copy]), view
        emulator.clear_log()
        audit = run_module("cbr_shared_backup_info", dict(args, names=False, name="web-01-daily"))
        assert [b["id"] for b in audit["backups"]] == [WEB], (view, audit)
        lists = [e for e in emulator.requests() if e["path"].endswith("/backups")]
        assert lists and all(e["query"]["name"] == "web-01-daily" for e in lists)
