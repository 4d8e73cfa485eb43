# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input, table-driven over every module: each case fails before any request (so 0 writes), naming the option.

The modules run in this process (tests/runners.py); their auth points at the emulator, whose request log
proves that nothing was sent.
"""

import pytest

from demo_ids import DR, GOLDEN, OWNER, WEB, password_auth  # pylint: disable=import-error

VAULT = "3a1f0c1e-0000-4000-8000-000000000002"
LONG = "a" * 5000
UNICODE = "bäckup-ü-☃"

# (module, arguments, the option the message must name)
CASES = [
    ("cbr_share_member", {"backup_id": 12345, "dest_project_ids": [DR]}, "backup_id"),
    ("cbr_share_member", {"backup_id": "", "dest_project_ids": [DR]}, "backup_id"),
    ("cbr_share_member", {"backup_id": UNICODE, "dest_project_ids": [DR]}, "backup_id"),
    ("cbr_share_member", {"backup_id": LONG, "dest_project_ids": [DR]}, "backup_id"),
    ("cbr_share_member", {"backup_id": ["x"], "dest_project_ids": [DR]}, "backup_id"),
    ("cbr_share_member", {"backup_id": WEB, "dest_project_ids": "not-a-project"}, "dest_project_ids"),
    ("cbr_share_member", {"backup_id": WEB, "dest_project_ids": []}, "dest_project_ids"),
    ("cbr_share_member", {"backup_id": WEB, "dest_project_ids": [DR.upper()]}, "dest_project_ids"),
    ("cbr_share_member", {"backup_id": WEB, "dest_project_ids": ["é" * 32]}, "dest_project_ids"),
    ("cbr_share_member", {"backup_id": WEB, "dest_project_ids": [LONG]}, "dest_project_ids"),
    ("cbr_share_member", {"backup_id": WEB, "dest_project_ids": [OWNER]}, "dest_project_ids"),
    ("cbr_share_member", {"backup_id": WEB, "dest_project_ids": [{"id": DR}]}, "dest_project_ids"),
    ("cbr_share_member", {"backup_id": WEB, "dest_project_ids": [DR], "state": "gone"}, "state"),
    ("cbr_share_member", {"backup_id": WEB, "dest_project_ids": [DR], "purge": "maybe"}, "purge"),
    ("cbr_share_member", {"backup_id": WEB, "dest_project_ids": [DR], "state": "absent", "purge": True}, "purge"),
    ("cbr_share_member", {"backup_id": WEB, "dest_project_ids": [DR], "wait_timeout": "soon"}, "wait_timeout"),
    ("cbr_share_member", {"backup_id": WEB, "dest_project_ids": [DR], "wait_timeout": -1}, "wait_timeout"),
    ("cbr_share_member", {"backup_id": WEB, "dest_project_ids": [DR], "vault_id": VAULT}, "vault_id"),
    ("cbr_share_member", {"backup_id": WEB, "dest_project_ids": [DR], "status": "accepted"}, "status"),
    ("cbr_share_member", {"backup_id": WEB, "status": "ok"}, "status"),
    ("cbr_share_member", {"backup_id": WEB, "status": "accepted", "vault_id": "vault-1"}, "vault_id"),
    ("cbr_share_member", {"backup_id": WEB, "status": "rejected", "vault_id": VAULT}, "vault_id"),
    ("cbr_share_member", {"backup_id": WEB, "status": "rejected", "wait": True}, "wait"),
    ("cbr_share_member", {"backup_id": WEB}, "dest_project_ids"),
    ("cbr_share_member", {"dest_project_ids": [DR]}, "backup_id"),
    ("cbr_share_member", {"backup_id": WEB, "dest_project_ids": [DR], "bogus": 1}, "bogus"),
    ("cbr_share_member_info", {"backup_id": "nope"}, "backup_id"),
    ("cbr_share_member_info", {"backup_id": WEB, "dest_project_id": UNICODE}, "dest_project_id"),
    ("cbr_share_member_info", {"backup_id": WEB, "status": "approved"}, "status"),
    ("cbr_share_member_info", {"backup_id": WEB, "vault_id": LONG}, "vault_id"),
    ("cbr_share_member_info", {"backup_id": WEB, "image_id": "img"}, "image_id"),
    ("cbr_share_member_info", {"backup_id": WEB, "sort": "created_at; DROP"}, "sort"),
    ("cbr_share_member_info", {"backup_id": WEB, "sort": "created_at," * 30}, "sort"),
    ("cbr_share_member_info", {"backup_id": WEB, "limit": 0}, "limit"),
    ("cbr_share_member_info", {"backup_id": WEB, "limit": "many"}, "limit"),
    ("cbr_backup_share", {"backup_id": "x", "to_project_ids": [DR]}, "backup_id"),
    ("cbr_backup_share", {"backup_id": WEB, "to_project_ids": ["x"]}, "to_project_ids"),
    ("cbr_backup_share", {"backup_id": WEB, "to_project_ids": []}, "to_project_ids"),
    ("cbr_backup_share", {"backup_id": WEB}, "to_project_ids"),
    ("cbr_backup_share", {"backup_id": WEB, "to_project_ids": [OWNER]}, "to_project_ids"),
    ("cbr_backup_share", {"backup_id": WEB, "state": "absent", "purge": True}, "purge"),
    ("cbr_backup_info", {"backup_id": UNICODE}, "backup_id"),
    ("cbr_backup_info", {"vault_id": "v"}, "vault_id"),
    ("cbr_backup_info", {"own_type": "mine"}, "own_type"),
    ("cbr_backup_info", {"member_status": "done"}, "member_status"),
    ("cbr_backup_info", {"status": "ok"}, "status"),
    ("cbr_backup_info", {"resource_type": "server"}, "resource_type"),
    ("cbr_backup_info", {"limit": -5}, "limit"),
    ("cbr_vault_info", {"vault_id": LONG}, "vault_id"),
    ("cbr_vault_info", {"object_type": "tape"}, "object_type"),
    ("cbr_vault_info", {"backup": "not a dict"}, "backup"),
    ("cbr_vault_info", {"backup": {"resource_type": "OS::Nova::Server"}}, "backup"),
    ("cbr_vault_info", {"backup": {"resource_size": 40}}, "backup"),
    ("cbr_shared_backup_info", {"vault_id": "v"}, "vault_id"),
    ("cbr_shared_backup_info", {"expected_projects": ["nope"]}, "expected_projects"),
    ("cbr_shared_backup_info", {"pending_older_than": "a week"}, "pending_older_than"),
    ("cbr_shared_backup_info", {"pending_older_than": "7d", "shared_with_me": True}, "pending_older_than"),
    ("cbr_shared_backup_info", {"workers": 0}, "workers"),
    ("cbr_shared_backup_info", {"workers": 1000}, "workers"),
    ("cbr_shared_backup_info", {"member_status": "new"}, "member_status"),
    ("cbr_auth", {"access_key": "AK", "secret_key": "SK"}, "password"),
    ("cbr_share_member_info", {"backup_id": WEB, "project_id": "../../v3/other"}, "project_id"),
    ("cbr_share_member_info", {"backup_id": WEB, "endpoint": "cbr.example.com"}, "endpoint"),
    ("cbr_share_member_info", {"backup_id": WEB, "auth_url": "iam.example.com/v3"}, "auth_url"),
    ("cbr_share_member_info", {"backup_id": WEB, "timeout": 0}, "timeout"),
    ("cbr_share_member_info", {"backup_id": WEB, "timeout": "slow"}, "timeout"),
    ("cbr_share_member_info", {"backup_id": WEB, "validate_certs": "perhaps"}, "validate_certs"),
    # Issue 25: an empty list never widens, a duplicate is named, an id must match its format to the last character.
    ("cbr_share_member", {"backup_ids": [], "dest_project_ids": [DR]}, "backup_ids must not be empty"),
    ("cbr_share_member", {"backup_ids": [WEB, WEB], "dest_project_ids": [DR]}, "backup_ids lists '%s'" % WEB),
    ("cbr_share_member", {"backup_ids": [WEB + "\n"], "dest_project_ids": [DR]}, "backup_ids"),
    ("cbr_share_member", {"backup_id": WEB + "\n", "dest_project_ids": [DR]}, "backup_id"),
    ("cbr_share_member", {"backup_id": WEB, "dest_project_ids": [DR, GOLDEN, DR]}, "dest_project_ids lists '%s'" % DR),
    ("cbr_share_member", {"backup_id": WEB, "dest_project_ids": [DR + "\n"]}, "dest_project_ids"),
    ("cbr_share_member", {"owner_project_ids": [], "status": "rejected"}, "owner_project_ids must not be empty"),
    ("cbr_share_member", {"owner_project_ids": [DR, DR], "status": "rejected"}, "owner_project_ids lists"),
    ("cbr_share_member", {"backup_id": WEB, "status": "accepted", "vault_id": VAULT + "\n"}, "vault_id"),
    ("cbr_backup_share", {"backup_id": WEB, "to_project_ids": [DR, DR]}, "to_project_ids lists '%s'" % DR),
    ("cbr_backup_share", {"backup_id": WEB, "to_project_ids": [], "state": "absent"}, "to_project_ids"),
    ("cbr_backup_info", {"resource_ids": []}, "resource_ids must not be empty"),
    ("cbr_backup_info", {"resource_ids": ["web-01"]}, "resource_ids must be resource ids"),
    ("cbr_backup_info", {"resource_ids": [WEB, WEB]}, "resource_ids lists"),
    ("cbr_backup_info", {"resource_ids": [WEB + "\n"]}, "resource_ids"),
    ("cbr_backup_info", {"status": []}, "status must not be empty"),
    ("cbr_backup_info", {"backup_id": WEB + "\n"}, "backup_id"),
    ("cbr_shared_backup_info", {"expected_projects": [DR, DR]}, "expected_projects lists"),
    ("cbr_share_member_info", {"backup_id": WEB, "sort": "created_at:desc\n"}, "sort"),
    ("cbr_share_member_info", {"backup_id": WEB, "region": "eu-de\n"}, "region"),
]


@pytest.mark.parametrize(
    ("module", "args", "option"),
    CASES,
    ids=["%s-%s-%d" % (case[0], case[2], index) for index, case in enumerate(CASES)],
)
def test_bad_input_fails_before_any_request_naming_the_option(emulator, run_module, module, args, option):
    result = run_module(module, dict(password_auth(emulator.url, OWNER), **args))
    assert result.get("failed") is True, result
    assert option in result["msg"]
    assert len(result["msg"]) < 1000
    assert "Traceback" not in result["msg"]
    assert emulator.requests(api_only=False) == []
