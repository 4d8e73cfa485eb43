# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The check-your-cloud kit (playbooks/check_cloud.yml) against both emulator profiles: the reports differ exactly
where the profiles differ, the share is removed, and no credential reaches the report or the output."""

import os

import pytest
import yaml

from demo_ids import DR, DR_VAULT, OWNER, USERS, WEB  # pylint: disable=import-error

PLAYBOOK = os.path.join(os.path.dirname(__file__), "..", "..", "playbooks", "check_cloud.yml")
SECRETS = ("source-pass", "dr-secret-key-0001")


def kit_env(emulator, report):
    owner_user, owner_password = USERS[OWNER]
    return {
        "CBR_CHECK_OWNER_AUTH_URL": emulator.url + "/v3",
        "CBR_CHECK_OWNER_USERNAME": owner_user,
        "CBR_CHECK_OWNER_PASSWORD": owner_password,
        "CBR_CHECK_OWNER_DOMAIN_NAME": "acme",
        "CBR_CHECK_OWNER_PROJECT_ID": OWNER,
        # The recipient signs with AK/SK, as a second credential kind in one run.
        "CBR_CHECK_RECIPIENT_ACCESS_KEY": "AKDR00000000000000001",
        "CBR_CHECK_RECIPIENT_SECRET_KEY": SECRETS[1],
        "CBR_CHECK_RECIPIENT_PROJECT_ID": DR,
        "CBR_CHECK_RECIPIENT_ENDPOINT": emulator.url,
        "CBR_CHECK_BACKUP_ID": WEB,
        "CBR_CHECK_VAULT_ID": DR_VAULT,
        "CBR_CHECK_REPORT": str(report),
    }


@pytest.fixture
def run_kit(emulator, run_playbook, tmp_path):
    def run(profile, faults=()):
        emulator.restore_defaults()
        emulator.set_profile(profile)
        for fault in faults:
            emulator.add_fault(**fault)
        report = tmp_path / ("report-%s.yml" % profile)
        result = run_playbook(PLAYBOOK, env=kit_env(emulator, report))
        with open(report, encoding="utf-8") as handle:
            text = handle.read()
        return result, text, yaml.safe_load(text), emulator.requests()

    return run


def findings(report):
    return dict((o["probe"], o) for o in report["observations"])


def test_the_kit_reports_what_each_profile_does(emulator, run_kit):
    strict_run, strict_text, strict, strict_log = run_kit("strict")
    lenient_run, lenient_text, lenient, _lenient_log = run_kit("lenient")
    assert strict_run.rc == 0, strict_run.output[-3000:]
    assert lenient_run.rc == 0, lenient_run.output[-3000:]
    s, l_ = findings(strict), findings(lenient)
    assert len(s) == len(l_) == 10
    assert (
        s["member_status_filter"]["finding"]
        == l_["member_status_filter"]["finding"]
        == ("yes: listed under pending only")
    )
    assert {o["host"] for o in s.values()} == {"127.0.0.1"}  # the report names the hosts it talked to
    # Where the profiles differ (tests/emulator/cbr_emu/profiles.py), so do the reports.
    assert s["member_record"]["finding"].startswith("no:") and l_["member_record"]["finding"].startswith("yes:")
    assert s["pending_backup_by_id"]["finding"].startswith("no:")
    assert l_["pending_backup_by_id"]["finding"].startswith("yes:")
    assert s["duplicate_add"]["error_code"] == "BackupService.6703"
    assert l_["duplicate_add"]["error_code"] == "BackupService.6714"
    assert s["add_member"]["details"]["count_in_answer"] is False
    assert l_["add_member"]["details"]["count_in_answer"] is True
    assert s["accepted_vault_id"]["finding"].startswith("the receiving project's own vault")
    assert l_["accepted_vault_id"]["finding"].startswith("another vault")
    assert (s["member_list"]["error_code"], l_["member_list"]["error_code"]) == (
        "BackupService.6200",
        "BackupService.6707",
    )
    # Where they agree, so do the reports.
    assert s["member_list"]["finding"].startswith("no:") and l_["member_list"]["finding"].startswith("no:")
    assert s["shared_list"]["finding"] == l_["shared_list"]["finding"]
    assert s["shared_list"]["finding"] == "yes: listed with project_id, resource_size, resource_type, status"
    assert s["shared_list"]["details"]["vault_id_while_pending"] is None
    assert l_["shared_list"]["details"]["vault_id_while_pending"] is not None
    assert s["accept"]["details"]["accepted"] is True and s["accept"]["finding"].startswith("inconclusive")
    # The collection's own path works in both, and the share is removed at the end.
    for report in (strict, lenient):
        assert report["failure"] is None
        assert report["collection"]["receiver_view_finds_the_share"] is True
        assert report["collection"]["accept_planned_in_check_mode"] is True
        assert report["collection"]["rerun_after_accept_changed"] is False
        assert report["collection"]["owner_sees"] == [{"status": "accepted", "vault_id": DR_VAULT}]
        assert report["collection"]["share_removed"] is True
    assert emulator.state.members.get(WEB, {}) == {}
    assert ("DELETE", 204) in [(e["method"], e["status"]) for e in strict_log]
    for text in (strict_text, lenient_text, strict_run.output, lenient_run.output):
        assert not any(secret in text for secret in SECRETS)


def test_a_failed_step_is_reported_the_share_removed_and_the_run_fails(emulator, run_kit):
    result, _text, report, log = run_kit("strict", [dict(method="GET", path="/vaults$", status=500, count=10)])
    assert result.rc != 0
    assert report["failure"] and "Failed to list vaults" in report["failure"]
    assert report["collection"]["share_removed"] is True
    assert [e["method"] for e in log if e["method"] == "DELETE"] == ["DELETE"]
