# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""clouds.yaml as Open Telekom Cloud users have it, and openstack.cloud's option names, against the emulator.

The samples are the ones of the otcextensions configuration page (doc/source/install/configuration.rst) and of the
opentelekomcloud.cloud README, with their placeholders filled with the demo fixture's user and the emulator's address
given the documented way: as auth.auth_url, or as cbr_endpoint_override (openstacksdk's per-service override).
Their '<AK_VALUE>' / '<SK_VALUE>' stay: they are the OBS keys, and a login must not use them.
"""

import copy
import os

import pytest
import yaml

from ansible_collections.cloudops.cbr.plugins.module_utils._connection import resolve
from ansible_collections.cloudops.cbr.plugins.module_utils._errors import CbrConfigError
from demo_ids import DR, OWNER, WEB  # pylint: disable=import-error
from runners import warning_texts  # pylint: disable=import-error

DEMO_FIXTURE = os.path.join(os.path.dirname(os.path.dirname(__file__)), "emulator", "fixtures", "demo.yml")
DOMAIN_ID = "a3d9c0e1f2b34c5d6e7f8091a2b3c4d5"

# The otcextensions configuration page's clouds.yaml (the opentelekomcloud.cloud README has the same cloud).
OTCEXTENSIONS_SAMPLE = """
clouds:
  otc:
    profile: otc
    auth:
      username: 'ops-source'
      password: 'source-pass'
      project_name: 'eu-de_source'
      # or project_id: '<123456_PROJECT_ID>'
      user_domain_name: 'acme'
      # or user_domain_id: '<123456_DOMAIN_ID>'
      auth_url: 'EMULATOR/v3'
    interface: 'public'
    identity_api_version: 3 # !Important
    ak: '<AK_VALUE>' # AK/SK pair for access to OBS
    sk: '<SK_VALUE>'
"""


@pytest.fixture
def clean_home(monkeypatch, tmp_path):
    for name in ("OS_CLOUD", "OS_CLIENT_CONFIG_FILE", "OS_CLIENT_SECURE_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".config" / "openstack").mkdir(parents=True)
    return tmp_path / ".config" / "openstack"


def sample(url, text=OTCEXTENSIONS_SAMPLE):
    return yaml.safe_load(text.replace("EMULATOR", url))


def logins_and_reads(emulator):
    return [(e["method"], e["auth_type"], e["identity"], e["scope_project"]) for e in emulator.requests(api_only=False)]


def test_the_otcextensions_sample_logs_in_with_its_password_not_its_obs_keys(emulator, clean_home, run_module):
    (clean_home / "clouds.yaml").write_text(yaml.safe_dump(sample(emulator.url)))
    result = run_module("cbr_share_member_info", {"backup_id": WEB, "cloud": "otc"})
    assert result["count"] == 0 and not warning_texts(result), result
    assert logins_and_reads(emulator) == [
        ("POST", "password", "ops-source", OWNER),
        ("GET", "token", "ops-source", OWNER),
    ]


def test_the_sample_split_into_clouds_and_secure_yaml_logs_in(emulator, clean_home, run_module):
    clouds = sample(emulator.url)
    del clouds["clouds"]["otc"]["auth"]["password"]
    (clean_home / "clouds.yaml").write_text(yaml.safe_dump(clouds))
    (clean_home / "secure.yaml").write_text(yaml.safe_dump({"clouds": {"otc": {"auth": {"password": "source-pass"}}}}))
    assert run_module("cbr_share_member_info", {"backup_id": WEB, "cloud": "otc"})["count"] == 0
    assert logins_and_reads(emulator)[0] == ("POST", "password", "ops-source", OWNER)


def test_the_sample_with_its_id_alternatives_logs_in(start_emulator, clean_home, run_module):
    with open(DEMO_FIXTURE, encoding="utf-8") as handle:
        fixture = yaml.safe_load(handle)
    for project in fixture["projects"]:
        project["domain_id"] = DOMAIN_ID
    emulator = start_emulator(fixture)
    clouds = sample(emulator.url)
    auth = clouds["clouds"]["otc"]["auth"]
    del auth["project_name"], auth["user_domain_name"]
    auth.update(project_id=OWNER, user_domain_id=DOMAIN_ID)
    (clean_home / "clouds.yaml").write_text(yaml.safe_dump(clouds))
    assert run_module("cbr_share_member_info", {"backup_id": WEB, "cloud": "otc"})["count"] == 0
    login = emulator.requests(api_only=False)[0]
    assert (login["auth_type"], login["identity"], login["scope_project"]) == ("password", "ops-source", OWNER)
    auth["user_domain_id"] = "f" * 32  # the wrong domain is refused: the id is what the login sends
    (clean_home / "clouds.yaml").write_text(yaml.safe_dump(clouds))
    assert run_module("cbr_share_member_info", {"backup_id": WEB, "cloud": "otc"})["status_code"] == 401


def test_top_level_aksk_of_otcextensions_sign_when_the_cloud_has_no_other_identity(emulator, clean_home, run_module):
    clouds = {
        "clouds": {
            "dr": {
                "profile": "otc",
                "auth": {"project_id": DR},
                "ak": "AKDR00000000000000001",
                "sk": "dr-secret-key-0001",
                "cbr_endpoint_override": emulator.url,
            }
        }
    }
    (clean_home / "clouds.yaml").write_text(yaml.safe_dump(clouds))
    assert run_module("cbr_vault_info", {"cloud": "dr"})["count"] > 0
    assert logins_and_reads(emulator) == [("GET", "aksk", "AKDR00000000000000001", DR)]


def test_keys_the_modules_do_not_read_are_named_in_a_warning(emulator, clean_home, run_module):
    clouds = sample(emulator.url)
    clouds["clouds"]["otc"]["auth"]["target_agency_name"] = "ops-agency"
    clouds["clouds"]["otc"]["key"] = "/etc/client.key"
    (clean_home / "clouds.yaml").write_text(yaml.safe_dump(clouds))
    result = run_module("cbr_share_member_info", {"backup_id": WEB, "cloud": "otc"})
    assert result["count"] == 0
    assert warning_texts(result) == [
        "cloud 'otc': auth.target_agency_name, key are not read by cloudops.cbr and ignored "
        "(see the cloud option for what it reads)"
    ]


@pytest.mark.parametrize(
    "aliases, canonical",
    [
        ({"region_name": "eu-de"}, {"region": "eu-de"}),
        ({"verify": False}, {"validate_certs": False}),
        ({"cacert": "CA"}, {"ca_cert": "CA"}),
        ({"api_timeout": 7.5}, {"timeout": 7.5}),
    ],
)
def test_openstack_cloud_option_names_are_aliases(emulator, run_module, tmp_path, aliases, canonical):
    if canonical.get("ca_cert") == "CA":
        (tmp_path / "ca.pem").write_text("not used: the emulator speaks http\n")
        aliases, canonical = {"cacert": str(tmp_path / "ca.pem")}, {"ca_cert": str(tmp_path / "ca.pem")}
    args = dict(
        access_key="AKDR00000000000000001", secret_key="dr-secret-key-0001", project_id=DR, endpoint=emulator.url
    )
    result = run_module("cbr_vault_info", dict(args, **aliases))
    assert result["count"] > 0, result
    invocation = result["invocation"]["module_args"]
    for name, value in canonical.items():
        assert invocation[name] == value


@pytest.mark.parametrize(
    "changes, iam, cbr",
    [
        ({}, "https://iam.eu-de.otc.t-systems.com/v3", "https://cbr.eu-de.otc.t-systems.com"),
        ({"region_name": "eu-nl"}, "https://iam.eu-nl.otc.t-systems.com/v3", "https://cbr.eu-nl.otc.t-systems.com"),
        (
            {"profile": "otc-swiss"},
            "https://iam-pub.eu-ch2.sc.otc.t-systems.com/v3",
            "https://cbr.eu-ch2.sc.otc.t-systems.com",
        ),
        (
            {"profile": "huaweicloud", "region_name": "ap-southeast-1"},
            "https://iam.ap-southeast-1.myhuaweicloud.com/v3",
            "https://cbr.ap-southeast-1.myhuaweicloud.com",
        ),
    ],
)
def test_a_profile_without_auth_url_gives_iam_and_cbr_of_its_region(clean_home, changes, iam, cbr):
    cloud = dict(copy.deepcopy(sample("unused")["clouds"]["otc"]), **changes)
    del cloud["auth"]["auth_url"]
    (clean_home / "clouds.yaml").write_text(yaml.safe_dump({"clouds": {"otc": cloud}}))
    connection = resolve({"cloud": "otc"}, environ={})
    assert connection.auth_url() == iam and connection.endpoint("cbr") == cbr
    assert connection.credential().kind == "password" and connection.problems() == []


@pytest.mark.parametrize(
    "changes, message",
    [
        (
            {"profile": "rackspace"},
            "profile 'rackspace' is not one cloudops.cbr knows (huaweicloud, otc, otc-swiss); "
            "set auth.auth_url and region_name instead",
        ),
        ({"profile": "huaweicloud"}, "profile 'huaweicloud' has no default region; set region_name"),
        ({"region_name": "eu-ch2"}, "region_name 'eu-ch2' is not a region of profile 'otc' (eu-de, eu-nl)"),
        ({"regions": ["eu-nl"], "region_name": "eu-de"}, "region_name 'eu-de' is not a region of the cloud (eu-nl)"),
    ],
)
def test_a_profile_or_region_that_cannot_be_right_fails_before_any_request(clean_home, changes, message):
    cloud = dict(copy.deepcopy(sample("unused")["clouds"]["otc"]), **changes)
    (clean_home / "clouds.yaml").write_text(yaml.safe_dump({"clouds": {"otc": cloud}}))
    with pytest.raises(CbrConfigError) as failure:
        resolve({"cloud": "otc"}, environ={})
    assert str(failure.value) == "cloud: " + message
