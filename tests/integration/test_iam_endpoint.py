# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""IAM calls after the login go to the IAM that issued the token, never to a host the user did not name."""

import pytest

from ansible_collections.cloudops.cbr.plugins.module_utils import _connection
from demo_ids import OWNER, password_auth  # pylint: disable=import-error
from runners import warning_texts  # pylint: disable=import-error


@pytest.fixture
def region_preset(monkeypatch, start_emulator, demo_fixture):
    """A second IAM standing for the region's preset host (iam.eu-de...): it must see no request."""
    preset = start_emulator(demo_fixture)
    preset.clear_log()
    real = _connection.preset_endpoint

    def preset_endpoint(service, region):
        return preset.url if service == "iam" else real(service, region)

    monkeypatch.setattr(_connection, "preset_endpoint", preset_endpoint)
    return preset


def test_cbr_auth_returns_the_iam_it_logged_in_to_and_the_audit_asks_only_there(emulator, region_preset, run_module):
    login = run_module("cbr_auth", dict(password_auth(emulator.url, OWNER), region="eu-de", endpoint=emulator.url))
    assert login["auth"]["auth_url"] == emulator.url + "/v3"
    audit = run_module("cbr_shared_backup_info", dict(login["auth"]))
    assert audit.get("failed") is not True, audit
    assert audit["names"]["projects"][OWNER] == "eu-de_source"
    assert "/v3/auth/projects" in [e["path"] for e in emulator.requests(api_only=False)]
    assert region_preset.requests(api_only=False) == []


def test_a_token_without_auth_url_reads_no_project_names_and_says_why(emulator, region_preset, run_module):
    login = run_module("cbr_auth", dict(password_auth(emulator.url, OWNER), endpoint=emulator.url))
    token_only = dict((k, v) for k, v in login["auth"].items() if k != "auth_url")
    audit = run_module("cbr_shared_backup_info", dict(token_only, region="eu-de"))
    assert audit.get("failed") is not True, audit
    assert audit["names"]["projects"] == {}
    assert "names.projects is empty: with a token" in str(audit.get("warnings"))
    assert region_preset.requests(api_only=False) == []
    assert "/v3/auth/projects" not in [e["path"] for e in emulator.requests(api_only=False)]


def test_a_task_that_falls_back_to_an_unconfirmed_swiss_host_is_warned(emulator, run_module, monkeypatch):
    # The emulator stands for the preset host (there is no network here); the module is warned after connecting.
    monkeypatch.setattr(_connection, "preset_endpoint", lambda service, region: emulator.url)
    result = run_module(
        "cbr_vault_info",
        {
            "access_key": "AKSOURCE0000000000001",
            "secret_key": "source-secret-key-0001",
            "project_id": OWNER,
            "region": "eu-ch2",
        },
    )
    assert not result.get("failed"), result
    assert [w for w in warning_texts(result) if "no public source confirms for eu-ch2" in w] == [
        "the cbr endpoint %s follows the region's pattern, which no public source confirms for eu-ch2: if it fails, "
        "set endpoints.cbr (or endpoint) to the address your cloud documents, or log in with a password so that the "
        "token catalog names it" % emulator.url
    ]
    assert [e["auth_type"] for e in emulator.requests()] == ["aksk"]
