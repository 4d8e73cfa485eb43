# -*- coding: utf-8 -*-
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The share_and_accept role through ansible-playbook against the emulator."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys

import pytest
import yaml
from demo_ids import (  # pylint: disable=import-error
    password_auth,
    CUSTOMER,
    CUSTOMER_VAULT,
    DR,
    DR_VAULT,
    GOLDEN,
    GOLDEN_VAULT,
    OWNER,
    WEB,
)


def role_vars(emulator, recipients=(DR, GOLDEN, CUSTOMER), **extra):
    entries = []
    for project_id in recipients:
        entry = {"project_id": project_id, "auth": password_auth(emulator.url, project_id)}
        if project_id == DR:
            entry["vault_id"] = DR_VAULT
        entries.append(entry)
    variables = {"share_and_accept_owner_auth": password_auth(emulator.url, OWNER),
                 "share_and_accept_backup_ids": [WEB], "share_and_accept_recipients": entries}
    variables.update(extra)
    return variables


@pytest.fixture
def run_role(tmp_path):
    """run_role(variables, check=False) -> (rc, report or None, output)."""

    def run(variables, check=False):
        report_file = tmp_path / "report.json"
        if report_file.exists():
            report_file.unlink()
        playbook = [{"hosts": "localhost", "gather_facts": False, "vars": variables,
                     "roles": [{"role": "cloudops.cbr.share_and_accept"}],
                     "post_tasks": [{"name": "Write the report", "check_mode": False, "changed_when": False, "ansible.builtin.copy": {
                         "content": "{{ share_and_accept_report | to_json }}", "dest": str(report_file)}}]}]
        path = tmp_path / "role.yml"
        path.write_text(yaml.safe_dump(playbook))
        command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,", "-c",
                   "local", str(path), "-e", "ansible_python_interpreter=%s" % sys.executable]
        if check:
            command.append("--check")
        process = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False,
                                 env=dict(os.environ, ANSIBLE_NOCOLOR="1"))
        report = json.loads(report_file.read_text()) if report_file.exists() else None
        return process.returncode, report, process.stdout + process.stderr

    return run


def strip_check(entry):
    """A check-mode report entry as the real run should report it."""
    return dict(entry, action=entry["action"].replace("would ", ""))


def test_check_mode_is_an_audit_that_predicts_the_real_run(emulator, run_role):
    rc, predicted, output = run_role(role_vars(emulator), check=True)
    assert rc == 0, output
    assert emulator.writes() == []
    assert {(e["project_id"], e["action"]) for e in predicted} == {
        (DR, "would add and accept"), (GOLDEN, "would add and accept"), (CUSTOMER, "would add and accept")}
    emulator.clear_log()
    rc, real, output = run_role(role_vars(emulator))
    assert rc == 0, output
    assert [strip_check(e) for e in predicted] == real
    assert {(e["project_id"], e["status_after"], e["vault_id"]) for e in real} == {
        (DR, "accepted", DR_VAULT), (GOLDEN, "accepted", GOLDEN_VAULT), (CUSTOMER, "accepted", CUSTOMER_VAULT)}


def test_second_run_changes_nothing_and_sends_no_write(emulator, run_role):
    assert run_role(role_vars(emulator))[0] == 0
    emulator.clear_log()
    rc, report, output = run_role(role_vars(emulator))
    assert rc == 0, output
    assert emulator.writes() == []
    assert all(not e["changed"] and e["action"] == "none" and e["status_before"] == "accepted" for e in report)
    assert "changed=0" in output
    # Converged: the owner's one login and reads tell everything; no recipient logs in or reads.
    assert [e["project_id"] for e in emulator.requests(api_only=False) if e["path"] == "/v3/auth/tokens"] == [OWNER]
    assert {e["project_id"] for e in emulator.requests()} == {OWNER}
    assert len(emulator.requests()) == 2


def test_one_iam_token_per_credential_set_per_run(emulator, run_role):
    assert run_role(role_vars(emulator))[0] == 0
    logins = [e["project_id"] for e in emulator.requests(api_only=False) if e["path"] == "/v3/auth/tokens"]
    assert sorted(logins) == sorted([OWNER, DR, GOLDEN, CUSTOMER])
    assert {e["auth_type"] for e in emulator.requests()} == {"token"}


def test_aksk_recipients_need_no_login(emulator, run_role):
    variables = role_vars(emulator, recipients=(DR,))
    variables["share_and_accept_recipients"][0]["auth"] = {
        "access_key": "AKDR00000000000000001", "secret_key": "dr-secret-key-0001", "project_id": DR,
        "endpoint": emulator.url}
    rc, report, output = run_role(variables)
    assert rc == 0, output
    assert [e["project_id"] for e in emulator.requests(api_only=False) if e["path"] == "/v3/auth/tokens"] == [OWNER]
    assert report[0]["status_after"] == "accepted"
    assert "dr-secret-key-0001" not in output


def test_no_fitting_vault_fails_naming_the_recipient_and_each_refusal(emulator, run_role):
    emulator.state.vaults.pop(CUSTOMER_VAULT)
    rc, report, output = run_role(role_vars(emulator, recipients=(CUSTOMER,)))
    assert rc != 0 and report is None
    assert "No vault of project %s can take backup %s" % (CUSTOMER, WEB) in output
    for refusal in ("vault-customer-disks: it holds disk backups", "vault-customer-full: it has 10240 MB free",
                    "vault-customer-frozen: its status is frozen"):
        assert refusal in output
    assert emulator.writes() == []


def test_reject_list_and_purge(emulator, run_role):
    emulator.seed_member(WEB, CUSTOMER)
    rc, report, output = run_role(role_vars(emulator, recipients=(DR, GOLDEN), share_and_accept_reject=[GOLDEN],
                                            share_and_accept_purge=True))
    assert rc == 0, output
    assert {(e["project_id"], e["status_after"], e["action"]) for e in report} == {
        (DR, "accepted", "add and accept"), (GOLDEN, "rejected", "add and reject")}
    assert sorted(emulator.state.members[WEB]) == sorted([DR, GOLDEN])


def test_an_existing_acceptance_keeps_its_vault(emulator, run_role):
    emulator.seed_member(WEB, CUSTOMER, status="accepted", vault_id="3a1f0c1e-0000-4000-8000-000000000005")
    rc, report, output = run_role(role_vars(emulator, recipients=(CUSTOMER,)))
    assert rc == 0, output
    assert report == [{"backup_id": WEB, "project_id": CUSTOMER, "status_before": "accepted",
                       "status_after": "accepted", "vault_id": "3a1f0c1e-0000-4000-8000-000000000005",
                       "changed": False, "action": "none"}]
    assert emulator.writes() == []
