# -*- coding: utf-8 -*-
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""No secret in -vvv output, in results or in the emulator's log, for every module and the role and every auth type."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.cloudops.cbr.plugins.module_utils._connection import connect
from demo_ids import DR, OWNER, WEB  # pylint: disable=import-error

DISK = "a5200000-0000-4000-8000-000000000003"
SECRETS = ["source-pass", "dr-pass", "source-secret-key-0001", "source-temp-secret-0001",
           "source-temp-security-token-0001", "Signature=", "SDK-HMAC-SHA256 Access"]


def auth_forms(emulator):
    password = {"auth_url": emulator.url + "/v3", "username": "ops-source", "password": "source-pass",
                "domain_name": "acme", "project_id": OWNER}
    token = connect(password).session.auth.token
    return {
        "password": password,
        "token": {"token": token, "project_id": OWNER, "endpoint": emulator.url},
        "aksk": {"access_key": "AKSOURCE0000000000001", "secret_key": "source-secret-key-0001",
                 "project_id": OWNER, "endpoint": emulator.url},
        "temporary-aksk": {"access_key": "AKSOURCETEMP000000001", "secret_key": "source-temp-secret-0001",
                           "security_token": "source-temp-security-token-0001", "project_id": OWNER,
                           "endpoint": emulator.url},
    }


def every_module_task(emulator):
    return [
        {"cloudops.cbr.cbr_share_member_info": {"backup_id": WEB}},
        {"cloudops.cbr.cbr_share_member": {"backup_id": WEB, "dest_project_ids": [DR]}},
        {"cloudops.cbr.cbr_backup_info": {"backup_id": WEB}},
        {"cloudops.cbr.cbr_vault_info": {}},
        {"cloudops.cbr.cbr_shared_backup_info": {"workers": 2}},
        {"cloudops.cbr.cbr_backup_share": {"backup_id": DISK, "to_project_ids": [DR], "endpoint": emulator.vbs_url}},
        {"cloudops.cbr.cbr_share_member_info": {"backup_id": "a5200000-0000-4000-8000-00000000ffff"}},
    ]


@pytest.mark.parametrize("form", ["password", "token", "aksk", "temporary-aksk"])
def test_no_secret_reaches_output_results_or_the_emulator_log(emulator, play, form):
    defaults = auth_forms(emulator)[form]
    tasks = every_module_task(emulator)
    if form == "password":
        tasks.append(dict({"cloudops.cbr.cbr_auth": {}}, no_log=True))
    recipient = {"project_id": DR, "vault_id": "3a1f0c1e-0000-4000-8000-000000000002",
                 "auth": {"auth_url": emulator.url + "/v3", "username": "ops-dr", "password": "dr-pass",
                          "domain_name": "acme", "project_id": DR}}
    tasks.append({"ansible.builtin.include_role": {"name": "cloudops.cbr.share_and_accept"}, "vars": {
        "share_and_accept_owner_auth": defaults, "share_and_accept_backup_ids": [WEB],
        "share_and_accept_recipients": [recipient]}})
    result = play(tasks, defaults=defaults, verbosity=3)
    failures = [r for r in result.results[:6] if r.get("failed")]
    assert failures == [], failures
    assert result.results[6]["failed"] is True  # an API error: its message must be clean too
    assert "changed" in result.output and "TASK [cloudops.cbr.share_and_accept" in result.output
    log = json.dumps(emulator.requests(api_only=False))
    with emulator.state.lock:
        tokens = list(emulator.state.tokens)
    # cbr_auth's registered result holds the token by design (later tasks reuse it); no_log keeps it out of output.
    results = [r for r in result.results if "auth" not in r]
    for secret in SECRETS + tokens:
        assert secret not in result.output, secret
        assert secret not in json.dumps(results), secret
        assert secret not in log, secret
