# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_sources without the network: levels and groups, the environment families, clouds.yaml."""

import sys

import pytest
import yaml

from ansible_collections.cloudops.cbr.plugins.module_utils._connection import resolve
from ansible_collections.cloudops.cbr.plugins.module_utils._errors import CbrConfigError
from ansible_collections.cloudops.cbr.plugins.module_utils._sources import CbrMissingLibrary, cloud_options, load_cloud

OWNER, DR = "0761a1f0e5b34c9b8c2f0f0a7d1e0001", "0761a1f0e5b34c9b8c2f0f0a7d1e0002"
OWNER_ENV = {
    "OS_AUTH_URL": "https://iam.eu-de.otc.t-systems.com/v3",
    "OS_USERNAME": "owner",
    "OS_PASSWORD": "owner-pass",
    "OS_USER_DOMAIN_NAME": "acme",
    "OS_PROJECT_ID": OWNER,
    "OS_ACCESS_KEY": "AKOWNER",
    "OS_SECRET_KEY": "owner-secret",
    "OS_SECURITY_TOKEN": "owner-security-token",
}
RECIPIENT = {"username": "dr", "password": "dr-pass", "domain_name": "acme", "project_name": "eu-de_dr"}


def resolved(params, environ=None):
    return resolve(params, environ or {})


def test_a_task_naming_its_own_user_gets_no_key_token_or_project_from_the_environment():
    connection = resolved(RECIPIENT, OWNER_ENV)
    options = connection.options
    assert (options["username"], options["password"], options["project_name"]) == ("dr", "dr-pass", "eu-de_dr")
    assert options["access_key"] is options["secret_key"] is options["security_token"] is None
    assert options["project_id"] is None
    assert connection.credential().kind == "password"
    # Location was not named by the task: the injected IAM endpoint is where the recipient logs in too.
    assert options["auth_url"] == "https://iam.eu-de.otc.t-systems.com/v3"
    assert connection.sources == {
        "identity": "the task's options",
        "scope": "the task's options",
        "location": "the environment (OS_*)",
    }


def test_a_task_naming_only_a_scope_keeps_the_injected_identity():
    connection = resolved({"project_id": DR}, dict(OWNER_ENV, OS_ACCESS_KEY="", OS_SECRET_KEY="", OS_SECURITY_TOKEN=""))
    assert connection.options["username"] == "owner" and connection.options["project_id"] == DR
    assert connection.sources["identity"] == "the environment (OS_*)"
    assert connection.sources["scope"] == "the task's options"


def test_project_name_in_the_task_is_not_overridden_by_a_project_id_from_the_environment():
    options = resolved({"project_name": "eu-de_dr"}, OWNER_ENV).options
    assert options["project_name"] == "eu-de_dr" and options["project_id"] is None


def test_a_family_is_taken_whole_and_never_mixed_with_another():
    connection = resolved({}, {"OS_USERNAME": "u", "HW_USER_PASSWORD": "hw-pass", "OS_PROJECT_ID": OWNER})
    assert connection.options["password"] is None
    problems = connection.problems()
    assert (
        "password authentication needs password and domain_name (the identity comes from the environment (OS_*))"
        in (problems)
    )


@pytest.mark.parametrize(
    ("environ", "kind", "source"),
    [
        ({"HW_USER_NAME": "u", "HW_USER_PASSWORD": "p", "HW_DOMAIN_NAME": "d"}, "password", "HW_*"),
        ({"HW_AUTH_TOKEN": "t"}, "token", "HW_*"),
        ({"HW_ACCESS_KEY": "a", "HW_SECRET_KEY": "s"}, "aksk", "HW_*"),
        ({"HUAWEICLOUD_SDK_AK": "a", "HUAWEICLOUD_SDK_SK": "s"}, "aksk", "HUAWEICLOUD_SDK_*"),
        ({"OS_TOKEN": "t", "HW_ACCESS_KEY": "a", "HW_SECRET_KEY": "s"}, "token", "OS_*"),
        (
            {"HW_ACCESS_KEY": "a", "HW_SECRET_KEY": "s", "HUAWEICLOUD_SDK_AK": "b", "HUAWEICLOUD_SDK_SK": "t"},
            "aksk",
            "HW_*",
        ),
    ],
)
def test_the_first_family_that_sets_the_identity_gives_all_of_it(environ, kind, source):
    connection = resolved({}, environ)
    assert connection.credential().kind == kind
    assert connection.sources["identity"] == "the environment (%s)" % source


@pytest.mark.parametrize(
    ("variable", "option", "value"),
    [
        ("OS_CACERT", "ca_cert", "/etc/ssl/ca.pem"),
        ("OS_USER_DOMAIN_NAME", "domain_name", "acme"),
        ("OS_DOMAIN_NAME", "domain_name", "acme"),
        ("OS_PROJECT_DOMAIN_NAME", "domain_name", "acme"),
        ("HW_DOMAIN_NAME", "domain_name", "acme"),
        ("HW_USER_NAME", "username", "u"),
        ("HW_USER_PASSWORD", "password", "p"),
        ("HW_PROJECT_NAME", "project_name", "eu-de_dr"),
        ("HW_PROJECT_ID", "project_id", DR),
        ("HW_AUTH_URL", "auth_url", "https://iam.example/v3"),
        ("HW_REGION_NAME", "region", "eu-de"),
        ("HUAWEICLOUD_SDK_IAM_ENDPOINT", "auth_url", "https://iam.example"),
        ("HUAWEICLOUD_SDK_PROJECT_ID", "project_id", DR),
        ("HUAWEICLOUD_SDK_SECURITY_TOKEN", "security_token", "st"),
    ],
)
def test_environment_variables_users_already_have(variable, option, value):
    assert resolved({}, {variable: value}).options[option] == value


@pytest.mark.parametrize(
    ("variable", "service"),
    [
        ("OS_CBR_ENDPOINT_OVERRIDE", "cbr"),
        ("OS_VBS_ENDPOINT_OVERRIDE", "vbs"),
        ("OS_VBSV2_ENDPOINT_OVERRIDE", "vbs"),
        ("OS_VOLUME_BACKUP_ENDPOINT_OVERRIDE", "vbs"),
    ],
)
def test_openstacksdk_endpoint_overrides_per_service(variable, service):
    connection = resolved({}, {variable: "https://%s.example/v2/%%(project_id)s" % service})
    assert connection.options["endpoints"] == {service: "https://%s.example/v2/%%(project_id)s" % service}
    assert connection.endpoint(service) == "https://%s.example/v2/%%(project_id)s" % service
    other = "vbs" if service == "cbr" else "cbr"
    assert connection.endpoint(other) is None


def test_an_empty_environment_variable_counts_as_unset():
    assert resolved({}, {"OS_PROJECT_ID": "", "HW_PROJECT_ID": DR}).options["project_id"] == DR


def clouds_file(tmp_path, entries, secure=None):
    (tmp_path / "clouds.yaml").write_text(yaml.safe_dump({"clouds": entries}))
    environ = {"OS_CLIENT_CONFIG_FILE": str(tmp_path / "clouds.yaml")}
    if secure:
        (tmp_path / "secure.yaml").write_text(yaml.safe_dump({"clouds": secure}))
        environ["OS_CLIENT_SECURE_FILE"] = str(tmp_path / "secure.yaml")
    return environ


def test_the_cloud_is_above_the_environment_and_below_the_task(tmp_path):
    environ = clouds_file(
        tmp_path,
        {"dr": {"auth": {"username": "dr", "user_domain_name": "acme", "project_id": DR}, "region_name": "eu-nl"}},
        secure={"dr": {"auth": {"password": "dr-pass"}}},
    )
    environ.update(OWNER_ENV, OS_CLOUD="dr")
    connection = resolved({}, environ)
    assert (connection.options["username"], connection.options["password"]) == ("dr", "dr-pass")
    assert connection.options["project_id"] == DR and connection.options["region"] == "eu-nl"
    assert connection.options["auth_url"] is None  # the location group came whole from the cloud
    assert connection.auth_url() == "https://iam.eu-nl.otc.t-systems.com/v3"
    assert sorted(connection.secrets()) == ["dr-pass"]
    task = resolved({"token": "task-token", "project_id": OWNER}, environ)
    assert task.credential().kind == "token" and task.options["username"] is None
    assert task.options["project_id"] == OWNER and task.sources["scope"] == "the task's options"


def test_a_project_id_from_clouds_yaml_is_validated_like_any_other(tmp_path):
    environ = clouds_file(
        tmp_path, {"x": {"auth": {"token": "t", "project_id": "../../v3/other"}, "region_name": "eu-de"}}
    )
    problems = resolved({"cloud": "x"}, environ).problems()
    assert problems == ["project_id must be a project id of 32 lowercase hex characters, got '../../v3/other'"]


def test_cloud_entry_maps_to_options_and_secure_yaml_merges(tmp_path):
    (tmp_path / "clouds.yaml").write_text(
        yaml.safe_dump(
            {
                "clouds": {
                    "otc": {
                        "auth": {
                            "auth_url": "https://iam.eu-de.otc.t-systems.com/v3",
                            "username": "u",
                            "user_domain_name": "acme",
                            "project_name": "eu-de",
                            "password": "from-clouds",
                        },
                        "region_name": "eu-de",
                        "verify": "/etc/ca.pem",
                        "volume_backup_endpoint_override": "https://vbs.example/v2/%(project_id)s",
                    }
                }
            }
        )
    )
    (tmp_path / "secure.yaml").write_text(yaml.safe_dump({"clouds": {"otc": {"auth": {"password": "from-secure"}}}}))
    options = cloud_options(load_cloud("otc", dirs=[str(tmp_path)]))
    assert options == {
        "auth_url": "https://iam.eu-de.otc.t-systems.com/v3",
        "username": "u",
        "domain_name": "acme",
        "project_name": "eu-de",
        "password": "from-secure",
        "region": "eu-de",
        "validate_certs": True,
        "ca_cert": "/etc/ca.pem",
        "endpoints": {"vbs": "https://vbs.example/v2/%(project_id)s"},
    }


def test_aksk_keys_of_a_cloud_entry():
    assert cloud_options({"auth": {"ak": "A", "sk": "S", "project_id": "p"}, "verify": False}) == {
        "access_key": "A",
        "secret_key": "S",
        "project_id": "p",
        "validate_certs": False,
    }


def test_an_unknown_cloud_names_the_file(tmp_path):
    environ = clouds_file(tmp_path, {"source": {}})
    with pytest.raises(CbrConfigError, match="cloud 'nope' is not in .*clouds.yaml"):
        resolved({"cloud": "nope"}, environ)


def test_without_pyyaml_a_cloud_needs_the_library(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "yaml", None)  # import yaml raises ImportError
    with pytest.raises(CbrMissingLibrary) as failure:
        resolved({"cloud": "x"}, clouds_file(tmp_path, {}))
    assert failure.value.library == "PyYAML"
    assert resolved({"token": "t"}).credential().kind == "token"  # without cloud, PyYAML is not needed


# -- a credential set is coherent: no scope from below its identity, auth_type honoured, no contradictions


@pytest.mark.parametrize(
    ("params", "environ", "below"),
    [
        ({"access_key": "AK", "secret_key": "SK"}, OWNER_ENV, "the environment (OS_*)"),
        ({"token": "t"}, OWNER_ENV, "the environment (OS_*)"),
        ({"username": "dr", "password": "p", "domain_name": "acme"}, OWNER_ENV, "the environment (OS_*)"),
        (
            {},
            {"HW_ACCESS_KEY": "AK", "HW_SECRET_KEY": "SK", "HUAWEICLOUD_SDK_PROJECT_ID": OWNER},
            "the environment (HUAWEICLOUD_SDK_*)",
        ),
    ],
)
def test_an_identity_never_takes_a_project_from_a_level_below_it(params, environ, below):
    connection = resolved(dict(params, region="eu-de"), environ)
    assert connection.options["project_id"] is None and connection.options["project_name"] is None
    assert connection.sources["scope"] is None and connection.unused_scope == below
    problems = connection.problems()
    assert any("a project from %s, below it, is not used" % below in problem for problem in problems), problems


def test_a_cloud_identity_takes_no_project_from_the_environment(tmp_path):
    environ = clouds_file(tmp_path, {"dr": {"auth": {"ak": "AK", "sk": "SK"}, "region_name": "eu-de"}})
    environ.update(OS_CLOUD="dr", OS_PROJECT_ID=OWNER)
    connection = resolved({}, environ)
    assert connection.options["project_id"] is None and connection.unused_scope == "the environment (OS_*)"
    assert resolved({"project_id": DR}, environ).options["project_id"] == DR  # the task points it elsewhere


def test_a_scope_above_the_identity_points_it_at_another_project():
    environ = {"HW_ACCESS_KEY": "AK", "HW_SECRET_KEY": "SK", "OS_PROJECT_ID": DR, "HW_PROJECT_ID": OWNER}
    connection = resolved({"region": "eu-de"}, environ)
    assert connection.sources == {
        "identity": "the environment (HW_*)",
        "scope": "the environment (OS_*)",
        "location": "the task's options",
    }
    assert connection.options["project_id"] == DR and connection.problems() == []


@pytest.mark.parametrize(
    ("params", "environ", "source"),
    [
        ({"token": "t", "access_key": "AK", "secret_key": "SK", "project_id": OWNER}, {}, "the task's options"),
        (
            {"region": "eu-de"},
            {"OS_TOKEN": "t", "OS_ACCESS_KEY": "AK", "OS_SECRET_KEY": "SK", "OS_PROJECT_ID": OWNER},
            "the environment (OS_*)",
        ),
        ({"token": "t", "security_token": "st", "project_id": OWNER}, {}, "the task's options"),
    ],
)
def test_a_token_and_aksk_together_are_refused_naming_where_they_come_from(params, environ, source):
    problems = resolved(dict(params, region="eu-de"), environ).problems()
    assert len(problems) == 1 and problems[0].startswith("the identity has both a token (token) and AK/SK ("), problems
    assert problems[0].endswith("give one of them (the identity comes from %s)" % source)


def test_with_aksk_project_id_is_the_scope_and_project_name_is_not_used():
    """module_defaults and the task are merged option by option, so both may be set: AK/SK signs for project_id."""
    params = {"access_key": "AK", "secret_key": "SK", "project_id": OWNER, "project_name": "eu-de_dr"}
    connection = resolved(dict(params, region="eu-de"))
    assert connection.problems() == [] and connection.credential().project_id == OWNER


def test_a_password_login_checks_project_name_against_the_token_of_project_id():
    connection = resolved(dict(RECIPIENT, project_id=DR, region="eu-de"))
    assert connection.scope_problem({"id": DR, "name": "eu-de_dr"}) is None
    problem = connection.scope_problem({"id": DR, "name": "eu-de_source"})
    assert problem.startswith(
        "project_name 'eu-de_dr' and project_id '%s' (the scope comes from the task's options) " % DR
    )
    assert "is for project 'eu-de_source'" in problem
    assert resolved(dict(RECIPIENT, region="eu-de")).scope_problem({"name": "anything"}) is None


LEFTOVERS = {"username": "u", "password": "p", "user_domain_name": "acme", "token": "t", "ak": "AK", "sk": "SK"}


@pytest.mark.parametrize(
    ("auth_type", "kept"),
    [
        ("password", {"username", "password", "domain_name"}),
        ("v3password", {"username", "password", "domain_name"}),
        ("token", {"token", "domain_name"}),
        ("v3token", {"token", "domain_name"}),
        ("aksk", {"access_key", "secret_key", "domain_name"}),
    ],
)
def test_clouds_yaml_auth_type_selects_the_credential_and_leftovers_are_not_used(auth_type, kept):
    options = cloud_options({"auth_type": auth_type, "auth": dict(LEFTOVERS, project_id=OWNER)})
    assert set(options) - {"project_id"} == kept


def test_an_unknown_auth_type_is_refused():
    with pytest.raises(CbrConfigError, match="cloud: auth_type 'v3oidcpassword' is not one this collection can use"):
        cloud_options({"auth_type": "v3oidcpassword", "auth": {"username": "u"}})
