# -*- coding: utf-8 -*-
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every auth source and their precedence, through ansible-playbook and real HTTP to the emulator."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import yaml

from ansible_collections.cloudops.cbr.plugins.module_utils._connection import connect
from ansible_collections.cloudops.cbr.plugins.module_utils._http import CbrApiError
from demo_ids import OWNER, WEB  # pylint: disable=import-error

INFO = {"cloudops.cbr.cbr_share_member_info": {"backup_id": WEB}}
# Every variable any auth source may read, blanked so that the machine's environment cannot leak in.
BLANK_ENV = dict((name, "") for name in (
    "OS_CLOUD OS_CLIENT_CONFIG_FILE OS_AUTH_URL OS_USERNAME OS_PASSWORD OS_USER_DOMAIN_NAME OS_PROJECT_ID "
    "OS_PROJECT_NAME OS_REGION_NAME OS_TOKEN OS_ACCESS_KEY OS_SECRET_KEY OS_SECURITY_TOKEN HW_ACCESS_KEY "
    "HW_SECRET_KEY HW_SECURITY_TOKEN HW_REGION_NAME HW_PROJECT_ID HW_AUTH_TOKEN HUAWEICLOUD_SDK_AK "
    "HUAWEICLOUD_SDK_SK HUAWEICLOUD_SDK_SECURITY_TOKEN HUAWEICLOUD_SDK_PROJECT_ID HUAWEICLOUD_SDK_IAM_ENDPOINT"
).split())


def clouds(home, entries, secure=None):
    directory = home / ".config" / "openstack"
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "clouds.yaml").write_text(yaml.safe_dump({"clouds": entries}))
    if secure:
        (directory / "secure.yaml").write_text(yaml.safe_dump({"clouds": secure}))


def env(home, **values):
    return dict(BLANK_ENV, HOME=str(home), **values)


def auth_types(emulator):
    return [(e["path"] == "/v3/auth/tokens", e["auth_type"]) for e in emulator.requests(api_only=False)]


def test_clouds_yaml_in_home_with_secure_yaml_merged(emulator, play, tmp_path):
    clouds(tmp_path, {"source": {"auth": {"auth_url": emulator.url + "/v3", "username": "ops-source",
                                          "user_domain_name": "acme", "project_name": "eu-de_source"},
                                 "region_name": "eu-de"}},
           secure={"source": {"auth": {"password": "source-pass"}}})
    result = play([dict(INFO, **{"cloudops.cbr.cbr_share_member_info": {"backup_id": WEB, "cloud": "source"}}),
                   INFO], env=env(tmp_path, OS_CLOUD="source"))
    assert result[0]["count"] == 0 and result[1]["count"] == 0, result.results
    assert auth_types(emulator) == [(True, "password"), (False, "token")] * 2


def test_clouds_yaml_with_aksk_and_os_client_config_file(emulator, play, tmp_path):
    path = tmp_path / "elsewhere.yaml"
    path.write_text(yaml.safe_dump({"clouds": {"keys": {
        "auth": {"ak": "AKSOURCE0000000000001", "sk": "source-secret-key-0001", "project_id": OWNER},
        "region_name": "eu-de"}}}))
    result = play([{"cloudops.cbr.cbr_share_member_info": {"backup_id": WEB, "cloud": "keys",
                                                           "endpoint": emulator.url}}],
                  env=env(tmp_path, OS_CLIENT_CONFIG_FILE=str(path)))
    assert result[0]["count"] == 0, result[0]
    assert auth_types(emulator) == [(False, "aksk")]


def test_an_unknown_cloud_fails_naming_the_file(emulator, play, tmp_path):
    clouds(tmp_path, {"source": {}})
    result = play([INFO], env=env(tmp_path, OS_CLOUD="nope"))
    assert "cloud: cloud 'nope' is not in" in result[0]["msg"] and "clouds.yaml" in result[0]["msg"]
    assert emulator.requests(api_only=False) == []


@pytest.mark.parametrize("family", [
    {"OS_ACCESS_KEY": "AKSOURCE0000000000001", "OS_SECRET_KEY": "source-secret-key-0001", "OS_PROJECT_ID": OWNER},
    {"HW_ACCESS_KEY": "AKSOURCE0000000000001", "HW_SECRET_KEY": "source-secret-key-0001", "HW_PROJECT_ID": OWNER,
     "HW_REGION_NAME": "eu-de"},
    {"HUAWEICLOUD_SDK_AK": "AKSOURCETEMP000000001", "HUAWEICLOUD_SDK_SK": "source-temp-secret-0001",
     "HUAWEICLOUD_SDK_SECURITY_TOKEN": "source-temp-security-token-0001", "HUAWEICLOUD_SDK_PROJECT_ID": OWNER},
], ids=["OS", "HW", "HUAWEICLOUD_SDK-temporary"])
def test_each_environment_family(emulator, play, tmp_path, family):
    result = play([{"cloudops.cbr.cbr_share_member_info": {"backup_id": WEB, "endpoint": emulator.url}}],
                  env=env(tmp_path, **family))
    assert result[0]["count"] == 0, result[0]
    assert auth_types(emulator) == [(False, "aksk")]


def test_hw_auth_token_from_the_environment(emulator, play, tmp_path):
    token = connect({"auth_url": emulator.url + "/v3", "username": "ops-source", "password": "source-pass",
                     "domain_name": "acme", "project_id": OWNER}).session.auth.token
    emulator.clear_log()
    result = play([{"cloudops.cbr.cbr_share_member_info": {"backup_id": WEB, "endpoint": emulator.url}}],
                  env=env(tmp_path, HW_AUTH_TOKEN=token, HW_PROJECT_ID=OWNER))
    assert result[0]["count"] == 0 and auth_types(emulator) == [(False, "token")]


def test_precedence_explicit_then_environment_then_clouds_yaml(emulator, play, tmp_path):
    clouds(tmp_path, {"source": {"auth": {"auth_url": emulator.url + "/v3", "username": "ops-source",
                                          "password": "wrong-in-clouds-yaml", "user_domain_name": "acme",
                                          "project_id": OWNER}}})
    result = play([INFO,
                   {"cloudops.cbr.cbr_share_member_info": {"backup_id": WEB, "password": "source-pass"}}],
                  env=env(tmp_path, OS_CLOUD="source"))
    from_clouds_yaml, explicit = result.results
    assert from_clouds_yaml["failed"] is True and "username or password is wrong" in from_clouds_yaml["msg"]
    assert explicit["count"] == 0
    emulator.clear_log()
    result = play([INFO, {"cloudops.cbr.cbr_share_member_info": {"backup_id": WEB, "password": "wrong-explicit"}}],
                  env=env(tmp_path, OS_CLOUD="source", OS_PASSWORD="source-pass"))
    from_env, explicit_wins = result.results
    assert from_env["count"] == 0
    assert explicit_wins["failed"] is True and "username or password is wrong" in explicit_wins["msg"]


def test_clouds_yaml_verify_false_applies_unless_the_task_says_otherwise(emulator, play, tmp_path):
    clouds(tmp_path, {"source": {"auth": {"auth_url": emulator.url + "/v3", "username": "ops-source",
                                          "password": "source-pass", "user_domain_name": "acme",
                                          "project_id": OWNER}, "verify": False}})
    result = play([INFO], env=env(tmp_path, OS_CLOUD="source"))
    assert "validate_certs is false" in " ".join(result[0].get("warnings", []))


def test_an_expired_token_mid_run_logs_in_again_once(emulator):
    client = connect({"auth_url": emulator.url + "/v3", "username": "ops-source", "password": "source-pass",
                      "domain_name": "acme", "project_id": OWNER})
    emulator.emulator.control("POST", "/tokens/revoke", None)
    assert client.list_members(WEB) == []
    assert [(e["path"] == "/v3/auth/tokens", e["status"]) for e in emulator.requests(api_only=False)] == [
        (True, 201), (False, 401), (True, 201), (False, 200)]


def test_an_expired_given_token_says_so(emulator):
    token = connect({"auth_url": emulator.url + "/v3", "username": "ops-source", "password": "source-pass",
                     "domain_name": "acme", "project_id": OWNER}).session.auth.token
    emulator.emulator.control("POST", "/tokens/revoke", None)
    with pytest.raises(CbrApiError) as failure:
        connect({"token": token, "project_id": OWNER, "endpoint": emulator.url}).list_members(WEB)
    assert "the token has expired" in str(failure.value)
    assert "an IAM token expires after 24 hours" in str(failure.value)


def test_expired_temporary_credentials_say_so(emulator):
    for credential in emulator.state.access_keys.values():
        credential["expires_at"] = "2020-01-01T00:00:00Z"
    with pytest.raises(CbrApiError) as failure:
        connect({"access_key": "AKSOURCETEMP000000001", "secret_key": "source-temp-secret-0001",
                 "security_token": "source-temp-security-token-0001", "project_id": OWNER,
                 "endpoint": emulator.url}).list_members(WEB)
    assert "security token has expired" in str(failure.value)
    assert "temporary credentials and their security token expire" in str(failure.value)
