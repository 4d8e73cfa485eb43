# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where a task's credentials come from, proven by the identity and project the emulator saw for every request.

The table runs the modules in this process (the environment and HOME are the test's); ansible-playbook only
where module_defaults is the point.
"""

import pytest
import yaml

import runners  # pylint: disable=import-error
from ansible_collections.cloudops.cbr.plugins.module_utils import _sources
from ansible_collections.cloudops.cbr.plugins.module_utils._connection import connect
from ansible_collections.cloudops.cbr.plugins.module_utils._errors import CbrApiError
from demo_ids import DR, OWNER, USERS, WEB, password_auth  # pylint: disable=import-error

EVERY_VARIABLE = sorted(
    {name for _family, names in _sources.ENVIRONMENT_FAMILIES for group in names.values() for name in group}
    | {_sources.CLOUD_VARIABLE, _sources.CLOUD_FILE_VARIABLE, _sources.SECURE_FILE_VARIABLE}
)
# Every variable any auth source may read, blanked for ansible-playbook so that the machine's cannot leak in.
BLANK_ENV = dict.fromkeys(EVERY_VARIABLE, "")
KEYS = {OWNER: ("AKSOURCE0000000000001", "source-secret-key-0001"), DR: ("AKDR00000000000000001", "dr-secret-key-0001")}


@pytest.fixture
def clean_environment(monkeypatch, tmp_path):
    """No connection variable of the machine, and a HOME (and working directory) without clouds.yaml."""
    for name in EVERY_VARIABLE:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write_clouds(home, entries, secure=None):
    directory = home / ".config" / "openstack"
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "clouds.yaml").write_text(yaml.safe_dump({"clouds": entries}))
    if secure:
        (directory / "secure.yaml").write_text(yaml.safe_dump({"clouds": secure}))


def token_of(emulator, project_id):
    return connect(password_auth(emulator.url, project_id)).session.auth.token


def seen(emulator):
    """(identity, scope project) of every request the emulator answered, logins included."""
    return {(entry["identity"], entry["scope_project"]) for entry in emulator.requests(api_only=False)}


# -- the table: (level that gives the identity) x (level that gives the scope) x (auth kind)

LEVELS = ("task", "cloud", "OS_*", "HW_*", "HUAWEICLOUD_SDK_*")
# Where each level holds each kind of identity: option names in the order (user, password, domain) / (token,) /
# (access key, secret key).
IDENTITY_NAMES = {
    "task": {
        "password": ("username", "password", "domain_name"),
        "token": ("token",),
        "aksk": ("access_key", "secret_key"),
    },
    "cloud": {"password": ("username", "password", "user_domain_name"), "token": ("token",), "aksk": ("ak", "sk")},
    "OS_*": {
        "password": ("OS_USERNAME", "OS_PASSWORD", "OS_USER_DOMAIN_NAME"),
        "token": ("OS_TOKEN",),
        "aksk": ("OS_ACCESS_KEY", "OS_SECRET_KEY"),
    },
    "HW_*": {
        "password": ("HW_USER_NAME", "HW_USER_PASSWORD", "HW_DOMAIN_NAME"),
        "token": ("HW_AUTH_TOKEN",),
        "aksk": ("HW_ACCESS_KEY", "HW_SECRET_KEY"),
    },
    "HUAWEICLOUD_SDK_*": {"aksk": ("HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK")},
}
# (project id, project name) names of each level; the Huawei SDK has no project name.
SCOPE_NAMES = {
    "task": ("project_id", "project_name"),
    "cloud": ("project_id", "project_name"),
    "OS_*": ("OS_PROJECT_ID", "OS_PROJECT_NAME"),
    "HW_*": ("HW_PROJECT_ID", "HW_PROJECT_NAME"),
    "HUAWEICLOUD_SDK_*": ("HUAWEICLOUD_SDK_PROJECT_ID", None),
}
TABLE = [
    (identity, scope, kind)
    for identity in LEVELS
    for scope in LEVELS
    for kind in ("password", "token", "aksk")
    if kind in IDENTITY_NAMES[identity]
]


def identity_values(kind, project_id, tokens):
    if kind == "password":
        return USERS[project_id] + ("acme",)
    return (tokens[project_id],) if kind == "token" else KEYS[project_id]


class Levels:
    """What the task, the cloud of clouds.yaml and the environment hold."""

    def __init__(self):
        self.task, self.cloud, self.env = {}, {}, {}

    def put(self, level, names, values):
        where = self.task if level == "task" else self.cloud if level == "cloud" else self.env
        where.update(zip(names, values))


@pytest.mark.parametrize(("identity_level", "scope_level", "kind"), TABLE)
def test_every_request_runs_as_the_identity_and_project_of_one_credential_set(
    emulator, clean_environment, monkeypatch, identity_level, scope_level, kind
):
    """The recipient (DR) is given at one level; the owner's credentials and project sit at every level below.

    Merged option by option, the owner's token, keys or project would win; taken whole, none is used. A scope given
    below the identity's level belongs to another identity: it is never used, and the task fails before any request.
    """
    tokens = {OWNER: token_of(emulator, OWNER), DR: token_of(emulator, DR)}
    emulator.clear_log()
    levels = Levels()
    levels.put(identity_level, IDENTITY_NAMES[identity_level][kind], identity_values(kind, DR, tokens))
    for level in LEVELS[LEVELS.index(identity_level) + 1 :]:
        for decoy_kind, names in IDENTITY_NAMES[level].items():  # the token last: it would beat the others
            levels.put(level, names, identity_values(decoy_kind, OWNER, tokens))
    id_name, name_name = SCOPE_NAMES[scope_level]
    if kind == "password" and name_name:
        levels.put(scope_level, [name_name], ["eu-de_dr"])
    else:
        levels.put(scope_level, [id_name], [DR])
    for level in LEVELS[LEVELS.index(scope_level) + 1 :]:
        levels.put(level, [SCOPE_NAMES[level][0]], [OWNER])
    if levels.cloud:
        write_clouds(clean_environment, {"table": {"auth": levels.cloud}})
        monkeypatch.setenv("OS_CLOUD", "table")
    for name, value in levels.env.items():
        monkeypatch.setenv(name, value)

    result = runners.run_module(
        "cbr_vault_info", dict(levels.task, auth_url=emulator.url + "/v3", endpoint=emulator.url)
    )

    if LEVELS.index(scope_level) > LEVELS.index(identity_level):
        assert result.get("failed") and "below it, is not used: a project goes with its identity" in result["msg"]
        assert emulator.requests(api_only=False) == []
        return
    assert not result.get("failed"), result
    assert [vault["name"] for vault in result["vaults"]] == ["vault-dr-servers"]
    expected = "ops-dr" if kind != "aksk" else KEYS[DR][0]
    assert seen(emulator) == {(expected, DR)}
    assert [entry["path"] for entry in emulator.requests()] == ["/v3/%s/vaults" % DR]


# -- sources through ansible-playbook and in this process


def test_module_defaults_are_the_task_level_and_the_environment_only_fills_whole_groups(emulator, play, tmp_path):
    """The AWX pattern: the owner injected as OS_* variables, the recipient in module_defaults of its own block."""
    owner_env = {
        "OS_AUTH_URL": emulator.url + "/v3",
        "OS_USERNAME": "ops-source",
        "OS_PASSWORD": "source-pass",
        "OS_USER_DOMAIN_NAME": "acme",
        "OS_PROJECT_ID": OWNER,
        "OS_ACCESS_KEY": KEYS[OWNER][0],
        "OS_SECRET_KEY": KEYS[OWNER][1],
    }
    recipient = {"username": "ops-dr", "password": "dr-pass", "domain_name": "acme", "project_name": "eu-de_dr"}
    result = play(
        [
            {"cloudops.cbr.cbr_vault_info": {}, "module_defaults": {"group/cloudops.cbr.cbr": recipient}},
            {"cloudops.cbr.cbr_share_member_info": {"backup_id": WEB, "endpoint": emulator.url}},
        ],
        env=dict(BLANK_ENV, HOME=str(tmp_path), **owner_env),
    )
    recipient_vaults, owner_members = result.results
    assert [v["name"] for v in recipient_vaults["vaults"]] == ["vault-dr-servers"], recipient_vaults
    assert owner_members["count"] == 0, owner_members
    log = emulator.requests(api_only=False)
    assert [(e["path"].split("/")[-1], e["identity"], e["scope_project"]) for e in log] == [
        ("tokens", "ops-dr", DR),
        ("vaults", "ops-dr", DR),
        ("members", KEYS[OWNER][0], OWNER),  # the owner's own identity group is AK/SK (precedence over password)
    ]


def test_clouds_yaml_in_home_with_secure_yaml_merged(emulator, clean_environment, monkeypatch, run_module):
    write_clouds(
        clean_environment,
        {
            "source": {
                "auth": {
                    "auth_url": emulator.url + "/v3",
                    "username": "ops-source",
                    "user_domain_name": "acme",
                    "project_name": "eu-de_source",
                },
                "region_name": "eu-de",
            }
        },
        secure={"source": {"auth": {"password": "source-pass"}}},
    )
    assert run_module("cbr_share_member_info", {"backup_id": WEB, "cloud": "source"})["count"] == 0
    monkeypatch.setenv("OS_CLOUD", "source")
    assert run_module("cbr_share_member_info", {"backup_id": WEB})["count"] == 0
    assert [(e["auth_type"], e["identity"], e["scope_project"]) for e in emulator.requests(api_only=False)] == [
        ("password", "ops-source", OWNER),
        ("token", "ops-source", OWNER),
    ] * 2


def test_clouds_yaml_with_aksk_and_os_client_config_file(emulator, clean_environment, monkeypatch, run_module):
    path = clean_environment / "elsewhere.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "clouds": {
                    "keys": {
                        "auth": {"ak": KEYS[OWNER][0], "sk": KEYS[OWNER][1], "project_id": OWNER},
                        "cbr_endpoint_override": emulator.url + "/v3/%(project_id)s",
                    }
                }
            }
        )
    )
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(path))
    result = run_module("cbr_share_member_info", {"backup_id": WEB, "cloud": "keys"})
    assert result["count"] == 0, result
    assert [(e["auth_type"], e["identity"]) for e in emulator.requests(api_only=False)] == [("aksk", KEYS[OWNER][0])]


def test_clouds_yaml_auth_type_password_leaves_another_projects_keys_unused(
    emulator, clean_environment, monkeypatch, run_module
):
    """A cloud that logs in as the recipient, with the owner's AK/SK left in it: the AK/SK sign nothing."""
    user, password = USERS[DR]
    auth = {"auth_url": emulator.url + "/v3", "username": user, "password": password, "user_domain_name": "acme"}
    leftover = {"ak": KEYS[OWNER][0], "sk": KEYS[OWNER][1]}
    entry = {
        "auth_type": "password",
        "auth": dict(auth, project_id=DR, **leftover),
        "cbr_endpoint_override": emulator.url,
    }
    write_clouds(clean_environment, {"dr": entry})
    result = run_module("cbr_vault_info", {"cloud": "dr"})
    assert [vault["name"] for vault in result["vaults"]] == ["vault-dr-servers"], result
    assert seen(emulator) == {("ops-dr", DR)}


def test_a_project_name_that_is_not_project_id_fails_after_the_login_before_any_request(emulator, run_module):
    params = dict(password_auth(emulator.url, DR), project_name="eu-de_source", endpoint=emulator.url)
    result = run_module("cbr_vault_info", params)
    assert result["failed"] and "project_name 'eu-de_source' and project_id '%s'" % DR in result["msg"], result
    assert "are different projects" in result["msg"]
    assert [entry["path"] for entry in emulator.requests(api_only=False)] == ["/v3/auth/tokens"]


def test_an_unknown_cloud_fails_naming_the_file(emulator, clean_environment, monkeypatch, run_module):
    write_clouds(clean_environment, {"source": {}})
    monkeypatch.setenv("OS_CLOUD", "nope")
    result = run_module("cbr_share_member_info", {"backup_id": WEB})
    assert "cloud: cloud 'nope' is not in" in result["msg"] and "clouds.yaml" in result["msg"]
    assert emulator.requests(api_only=False) == []


def test_a_project_id_from_clouds_yaml_is_refused_and_never_reaches_a_path(emulator, clean_environment, run_module):
    write_clouds(
        clean_environment,
        {
            "evil": {
                "auth": dict(password_auth(emulator.url, OWNER), project_id="../../v3/other"),
                "region_name": "eu-de",
            }
        },
    )
    result = run_module("cbr_share_member_info", {"backup_id": WEB, "cloud": "evil"})
    assert result["msg"] == "project_id must be a project id of 32 lowercase hex characters, got '../../v3/other'"
    assert emulator.requests(api_only=False) == []


def test_clouds_yaml_verify_false_applies_unless_the_task_says_otherwise(emulator, clean_environment, run_module):
    write_clouds(clean_environment, {"source": {"auth": password_auth(emulator.url, OWNER), "verify": False}})
    result = run_module("cbr_share_member_info", {"backup_id": WEB, "cloud": "source"})
    assert "validate_certs is false" in repr(result.get("warnings"))
    result = run_module("cbr_share_member_info", {"backup_id": WEB, "cloud": "source", "validate_certs": True})
    assert not result.get("warnings")  # the task named the location group: nothing of it comes from the cloud


def test_os_cacert_is_the_ca_bundle(emulator, clean_environment, monkeypatch, run_module):
    monkeypatch.setenv("OS_CACERT", str(clean_environment / "missing-ca.pem"))
    monkeypatch.setenv("OS_TOKEN", "a-token-from-the-environment")
    monkeypatch.setenv("OS_PROJECT_ID", OWNER)
    result = run_module("cbr_share_member_info", {"backup_id": WEB})
    assert result["msg"].startswith("ca_cert must be a CA bundle file, got '/")
    assert emulator.requests(api_only=False) == []


def test_an_expired_token_mid_run_logs_in_again_once(emulator):
    client = connect(password_auth(emulator.url, OWNER))
    emulator.emulator.control("POST", "/tokens/revoke", None)
    assert client.list_members(WEB) == []
    assert [(e["path"] == "/v3/auth/tokens", e["status"]) for e in emulator.requests(api_only=False)] == [
        (True, 201),
        (False, 401),
        (True, 201),
        (False, 200),
    ]


def test_an_expired_given_token_says_so(emulator):
    token = token_of(emulator, OWNER)
    emulator.emulator.control("POST", "/tokens/revoke", None)
    with pytest.raises(CbrApiError) as failure:
        connect({"token": token, "project_id": OWNER, "endpoint": emulator.url}).list_members(WEB)
    assert "the token has expired" in str(failure.value)
    assert "an IAM token expires after 24 hours" in str(failure.value)


def test_expired_temporary_credentials_say_so(emulator):
    for credential in emulator.state.access_keys.values():
        credential["expires_at"] = "2020-01-01T00:00:00Z"
    with pytest.raises(CbrApiError) as failure:
        connect(
            {
                "access_key": "AKSOURCETEMP000000001",
                "secret_key": "source-temp-secret-0001",
                "security_token": "source-temp-security-token-0001",
                "project_id": OWNER,
                "endpoint": emulator.url,
            }
        ).list_members(WEB)
    assert "security token has expired" in str(failure.value)
    assert "temporary credentials and their security token expire" in str(failure.value)
