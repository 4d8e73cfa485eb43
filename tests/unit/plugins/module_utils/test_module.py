# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""CbrModule in this process, without the network: secrets from every source hidden, failures that say what."""

import sys

import pytest
import yaml
from ansible.module_utils._internal import _traceback

import runners  # pylint: disable=import-error
from ansible_collections.cloudops.cbr.plugins.module_utils import _api, _sources

OWNER = "0761a1f0e5b34c9b8c2f0f0a7d1e0001"
TOKEN = {"token": "task-token-secret", "project_id": OWNER, "endpoint": "https://cbr.example.invalid"}
EVERY_VARIABLE = sorted(
    {name for _family, names in _sources.ENVIRONMENT_FAMILIES for group in names.values() for name in group}
    | {_sources.CLOUD_VARIABLE, _sources.CLOUD_FILE_VARIABLE, _sources.SECURE_FILE_VARIABLE}
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    """No connection variable of the machine, and a HOME without clouds.yaml."""
    for name in EVERY_VARIABLE:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)


def test_an_unexpected_exception_fails_saying_what_the_module_was_doing(monkeypatch):
    def broken(*_args, **_kwargs):
        raise KeyError("vault")

    monkeypatch.setattr(_api.CbrClient, "list_vaults", broken)
    # As with ANSIBLE_DISPLAY_TRACEBACK=error: ansible-core 2.19+ returns a module's traceback only when asked to.
    monkeypatch.setattr(_traceback, "_is_traceback_enabled", lambda event: True)
    result = runners.run_module("cbr_vault_info", dict(TOKEN))
    assert result["failed"] is True
    assert result["msg"] == "cbr_vault_info failed unexpectedly while working with the cbr API: KeyError: 'vault'"
    assert "Traceback" in result["exception"] and "in broken" in result["exception"]
    assert "task-token-secret" not in repr(result)


def test_a_broken_endpoint_url_is_a_clear_option_error():
    result = runners.run_module("cbr_vault_info", dict(TOKEN, endpoint="http://[abc"))
    assert result["failed"] is True and "exception" not in result
    assert result["msg"] == "endpoint must be an http:// or https:// URL, got 'http://[abc' (Invalid IPv6 URL)"


def test_cloud_without_pyyaml_says_which_library_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "yaml", None)  # import yaml raises ImportError
    result = runners.run_module("cbr_vault_info", {"cloud": "source"})
    assert result["failed"] is True
    assert "Failed to import the required Python library (PyYAML)" in result["msg"]
    assert "to read clouds.yaml (the cloud option)" in result["msg"]


SECRETS = {
    "OS_PASSWORD": "os-pass-secret",
    "HW_USER_PASSWORD": "hw-pass-secret",
    "OS_TOKEN": "os-token-secret",
    "HW_AUTH_TOKEN": "hw-token-secret",
    "OS_SECRET_KEY": "os-sk-secret",
    "HW_SECRET_KEY": "hw-sk-secret",
    "HUAWEICLOUD_SDK_SK": "sdk-sk-secret",
    "OS_SECURITY_TOKEN": "os-st-secret",
    "HW_SECURITY_TOKEN": "hw-st-secret",
    "HUAWEICLOUD_SDK_SECURITY_TOKEN": "sdk-st-secret",
}
# The variables that make each secret the one in use (identity group of its family).
WITH = {
    "OS_PASSWORD": {"OS_USERNAME": "u", "OS_USER_DOMAIN_NAME": "acme"},
    "HW_USER_PASSWORD": {"HW_USER_NAME": "u", "HW_DOMAIN_NAME": "acme"},
    "OS_SECRET_KEY": {"OS_ACCESS_KEY": "AK"},
    "HW_SECRET_KEY": {"HW_ACCESS_KEY": "AK"},
    "HUAWEICLOUD_SDK_SK": {"HUAWEICLOUD_SDK_AK": "AK"},
    "OS_SECURITY_TOKEN": {"OS_ACCESS_KEY": "AK", "OS_SECRET_KEY": "sk-x"},
    "HW_SECURITY_TOKEN": {"HW_ACCESS_KEY": "AK", "HW_SECRET_KEY": "sk-x"},
    "HUAWEICLOUD_SDK_SECURITY_TOKEN": {"HUAWEICLOUD_SDK_AK": "AK", "HUAWEICLOUD_SDK_SK": "sk-x"},
}


@pytest.mark.parametrize("variable", sorted(SECRETS))
def test_a_secret_from_the_environment_never_reaches_the_result(monkeypatch, variable):
    monkeypatch.setenv(variable, SECRETS[variable])
    for name, value in WITH.get(variable, {}).items():
        monkeypatch.setenv(name, value)
    # limit=0 fails after the connection options were resolved (into invocation.module_args) and before any request.
    args = {"project_id": OWNER, "region": "eu-de", "backup_id": "a5200000-0000-4000-8000-000000000001", "limit": 0}
    result = runners.run_module("cbr_share_member_info", args)
    assert result["failed"] is True and "limit" in result["msg"]
    module_args = result["invocation"]["module_args"]
    assert SECRETS[variable] not in repr(result)
    secret_option = {"PASSWORD": "password", "TOKEN": "token", "KEY": "secret_key", "SK": "secret_key"}
    option = "security_token" if "SECURITY" in variable else secret_option[variable.rsplit("_", 1)[-1]]
    assert module_args[option] not in (None, SECRETS[variable])  # filled in, and masked


@pytest.mark.parametrize("where", ["clouds.yaml", "secure.yaml"])
def test_secrets_from_clouds_yaml_and_secure_yaml_never_reach_the_result(tmp_path, where):
    auth = {"username": "u", "user_domain_name": "acme", "project_id": OWNER, "auth_url": "https://iam.example/v3"}
    secret = {"password": "cloud-pass-secret"}
    directory = tmp_path / ".config" / "openstack"
    directory.mkdir(parents=True)
    clouds = {"clouds": {"src": {"auth": dict(auth, **(secret if where == "clouds.yaml" else {}))}}}
    (directory / "clouds.yaml").write_text(yaml.safe_dump(clouds))
    if where == "secure.yaml":
        (directory / "secure.yaml").write_text(yaml.safe_dump({"clouds": {"src": {"auth": secret}}}))
    result = runners.run_module("cbr_share_member_info", {"cloud": "src", "backup_id": "x"})
    assert result["failed"] is True and "backup_id" in result["msg"]
    assert result["invocation"]["module_args"]["username"] == "u"
    assert "cloud-pass-secret" not in repr(result)
