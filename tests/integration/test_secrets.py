# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""No secret in -vvv output, in results or in the emulator's log: every module, the role, every auth type, and
every source (task, clouds.yaml, secure.yaml, each environment family)."""

import json

import pytest
import yaml

import runners  # pylint: disable=import-error
from ansible_collections.cloudops.cbr.plugins.module_utils._connection import connect
from demo_ids import CUSTOMER, DB, DR, DR_VAULT, GOLDEN, GOLDEN_VAULT, OWNER, USERS, WEB  # pylint: disable=import-error

DISK = "a5200000-0000-4000-8000-000000000003"
SECRETS = [
    "source-pass",
    "dr-pass",
    "golden-pass",
    "source-secret-key-0001",
    "source-temp-secret-0001",
    "source-temp-security-token-0001",
    "Signature=",
    "SDK-HMAC-SHA256 Access",
]


def auth_forms(emulator):
    password = {
        "auth_url": emulator.url + "/v3",
        "username": "ops-source",
        "password": "source-pass",
        "domain_name": "acme",
        "project_id": OWNER,
    }
    token = connect(password).session.auth.token
    return {
        "password": password,
        "token": {"token": token, "project_id": OWNER, "endpoint": emulator.url},
        "aksk": {
            "access_key": "AKSOURCE0000000000001",
            "secret_key": "source-secret-key-0001",
            "project_id": OWNER,
            "endpoint": emulator.url,
        },
        "temporary-aksk": {
            "access_key": "AKSOURCETEMP000000001",
            "secret_key": "source-temp-secret-0001",
            "security_token": "source-temp-security-token-0001",
            "project_id": OWNER,
            "endpoint": emulator.url,
        },
    }


# Each credential form's role run shares its own backup with its own recipient, which accepts, so that every form
# writes on both sides; each form also shares the disk backup through VBS:
# (backup, recipient project, recipient vault, options of the VBS share, the owner's identity in the request log).
FORM_CASES = {
    "password": (WEB, DR, DR_VAULT, {"to_project_ids": [DR]}, "ops-source"),
    "token": (WEB, GOLDEN, GOLDEN_VAULT, {"to_project_ids": [GOLDEN]}, "ops-source"),
    "aksk": (DB, DR, DR_VAULT, {"to_project_ids": [CUSTOMER]}, "AKSOURCE0000000000001"),
    "temporary-aksk": (DB, GOLDEN, GOLDEN_VAULT, {"to_project_ids": [DR], "state": "absent"}, "AKSOURCETEMP000000001"),
}
MISSING = "a5200000-0000-4000-8000-00000000ffff"


def form_tasks(emulator, form, defaults):
    """The tasks of one credential form, with its credentials in module_defaults: the VBS share, an API error, the
    role. Every module takes the connection options from one argument spec: each of them (and cbr_auth) runs with the
    password; cbr_share_member runs with every form in the role (the role's owner task runs it with the form's own
    credentials: share_and_accept_read hands them on, never a token)."""
    backup_id, recipient, vault_id, vbs_share, _identity = FORM_CASES[form]
    tasks = []
    if form == "password":
        tasks += [
            {"cloudops.cbr.cbr_share_member_info": {"backup_id": WEB}},
            {"cloudops.cbr.cbr_backup_info": {"backup_id": WEB}},
            {"cloudops.cbr.cbr_vault_info": {}},
            {"cloudops.cbr.cbr_shared_backup_info": {"workers": 2}},
            dict({"cloudops.cbr.cbr_auth": {}}, no_log=True),
        ]
    tasks += [
        {"cloudops.cbr.cbr_backup_share": dict(vbs_share, backup_id=DISK, endpoint=emulator.vbs_url)},
        {"cloudops.cbr.cbr_share_member_info": {"backup_id": MISSING}},
    ]
    tasks = [dict(task, module_defaults={"group/cloudops.cbr.cbr": defaults}) for task in tasks]
    user, password = USERS[recipient]
    auth = {"auth_url": emulator.url + "/v3", "username": user, "password": password, "domain_name": "acme"}
    tasks.append(
        {
            "ansible.builtin.include_role": {"name": "cloudops.cbr.share_and_accept"},
            "vars": {
                "share_and_accept_owner_auth": defaults,
                "share_and_accept_backup_ids": [backup_id],
                "share_and_accept_recipients": [
                    {"project_id": recipient, "vault_id": vault_id, "auth": dict(auth, project_id=recipient)}
                ],
            },
        }
    )
    return tasks


@pytest.fixture(scope="module")
def every_form_at_vvv(start_emulator, demo_fixture, tmp_path_factory):
    """One ansible-playbook run at -vvv: every credential form's tasks one after the other.

    Returns (emulator, PlayResult, {form: its registered results}); results are checked once the run is over."""
    emulator = start_emulator(demo_fixture)
    forms = auth_forms(emulator)
    tasks_of = {form: form_tasks(emulator, form, defaults) for form, defaults in forms.items()}
    workdir = tmp_path_factory.mktemp("every_form")
    tasks = [task for form_tasks_ in tasks_of.values() for task in form_tasks_]
    result = runners.play_tasks(workdir, tasks, verbosity=3, env={"TMPDIR": str(workdir)})
    results_of, start = {}, 0
    for form, form_tasks_ in tasks_of.items():
        results_of[form] = result.results[start : start + len(form_tasks_)]
        start += len(form_tasks_)
    return emulator, result, results_of


@pytest.mark.parametrize("form", list(FORM_CASES))
def test_no_secret_reaches_output_results_or_the_emulator_log(every_form_at_vvv, form):
    emulator, result, results_of = every_form_at_vvv
    results = results_of[form]
    *succeeded, api_error, _role = results
    failures = [r for r in succeeded if r.get("failed")]
    assert failures == [], failures
    assert succeeded[-1]["changed"] is True  # this form's VBS share wrote
    assert api_error["failed"] is True  # an API error: its message must be clean too
    assert "changed" in result.output and "TASK [cloudops.cbr.share_and_accept" in result.output
    backup_id, recipient, _vault_id, _vbs_share, identity = FORM_CASES[form]
    # This form's role run shared as the form's owner, and the recipient accepted.
    shares = [
        (e["identity"], e["status"]) for e in emulator.requests() if e["method"] == "POST" and backup_id in e["path"]
    ]
    assert (identity, 200) in shares, shares
    assert emulator.state.members[backup_id][recipient]["status"] == "accepted"
    # cbr_auth's registered result holds the token by design (later tasks reuse it); no_log keeps it out of output.
    scan(result, emulator, [r for r in results if "auth" not in r])


def scan(result, emulator, registered):
    """Assert that no secret and no token the emulator issued is in the output, the results or the request log."""
    log = json.dumps(emulator.requests(api_only=False))
    with emulator.state.lock:
        tokens = list(emulator.state.tokens)
    for secret in SECRETS + tokens:
        assert secret not in result.output, secret
        assert secret not in json.dumps(registered), secret
        assert secret not in log, secret


TEMPORARY = ("AKSOURCETEMP000000001", "source-temp-secret-0001", "source-temp-security-token-0001")


def write_clouds(home, url):
    """clouds.yaml with a password in it, a password in secure.yaml, and temporary AK/SK in secure.yaml."""
    directory = home / ".config" / "openstack"
    directory.mkdir(parents=True)
    auth = {"auth_url": url + "/v3", "username": "ops-source", "user_domain_name": "acme", "project_id": OWNER}
    clouds = {
        "in-clouds": {"auth": dict(auth, password="source-pass")},
        "in-secure": {"auth": auth},
        "keys-in-secure": {"auth": {"project_id": OWNER}, "cbr_endpoint_override": url},
    }
    secure = {
        "in-secure": {"auth": {"password": "source-pass"}},
        "keys-in-secure": {"auth": {"ak": TEMPORARY[0], "sk": TEMPORARY[1], "security_token": TEMPORARY[2]}},
    }
    (directory / "clouds.yaml").write_text(yaml.safe_dump({"clouds": clouds}))
    (directory / "secure.yaml").write_text(yaml.safe_dump({"clouds": secure}))


def family_environment(family, url):
    """The owner's credentials as one environment family injects them (AWX puts them in the process environment)."""
    if family == "OS_*":
        return {
            "OS_AUTH_URL": url + "/v3",
            "OS_USERNAME": "ops-source",
            "OS_PASSWORD": "source-pass",
            "OS_USER_DOMAIN_NAME": "acme",
            "OS_PROJECT_ID": OWNER,
        }
    if family == "HW_*":
        # Location from another family: groups are taken whole, families need not give all of them.
        return {
            "HW_ACCESS_KEY": TEMPORARY[0],
            "HW_SECRET_KEY": TEMPORARY[1],
            "HW_SECURITY_TOKEN": TEMPORARY[2],
            "HW_PROJECT_ID": OWNER,
            "OS_CBR_ENDPOINT_OVERRIDE": url,
        }
    return {
        "HUAWEICLOUD_SDK_AK": TEMPORARY[0],
        "HUAWEICLOUD_SDK_SK": TEMPORARY[1],
        "HUAWEICLOUD_SDK_SECURITY_TOKEN": TEMPORARY[2],
        "HUAWEICLOUD_SDK_PROJECT_ID": OWNER,
        "OS_CBR_ENDPOINT_OVERRIDE": url + "/v3/$(tenant_id)s",
    }


@pytest.mark.parametrize("family", ["OS_*", "HW_*", "HUAWEICLOUD_SDK_*"])
def test_no_secret_from_an_environment_family_clouds_yaml_or_secure_yaml_at_vvv(emulator, play, tmp_path, family):
    """The owner injected by one family; with OS_*, tasks also take theirs from clouds.yaml and secure.yaml.

    At -vvv each task's module_args show the credentials filled in from their source, masked.
    """
    missing = "a5200000-0000-4000-8000-00000000ffff"
    tasks = [
        {"cloudops.cbr.cbr_share_member_info": {"backup_id": WEB}},
        {"cloudops.cbr.cbr_share_member_info": {"backup_id": missing}},  # an API error must be clean too
    ]
    if family == "OS_*":
        write_clouds(tmp_path, emulator.url)
        tasks += [
            {"cloudops.cbr.cbr_share_member_info": {"backup_id": WEB, "cloud": cloud}}
            for cloud in ("in-clouds", "in-secure", "keys-in-secure")
        ]
        tasks.append(dict({"cloudops.cbr.cbr_auth": {}}, no_log=True))
    env = dict(family_environment(family, emulator.url), HOME=str(tmp_path))
    result = play(tasks, verbosity=3, env=env)
    read, error = result.results[:2]
    assert read.get("failed") is not True and read["count"] == 0, read
    assert error["failed"] is True and error["status_code"], error
    assert all(r.get("failed") is not True for r in result.results[2:]), result.results[2:]
    assert '"password": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"' in result.output or family != "OS_*"
    assert '"secret_key": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"' in result.output or family == "OS_*"
    identities = {e["identity"] for e in emulator.requests()}
    assert identities == ({"ops-source", TEMPORARY[0]} if family == "OS_*" else {TEMPORARY[0]})
    registered = [r for r in result.results if "auth" not in r]  # cbr_auth's holds the token by design
    scan(result, emulator, registered)
