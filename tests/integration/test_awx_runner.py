# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX path: the shipped playbooks run by ansible-runner from a private data directory laid out as AWX lays it
out, with the owner's credential injected by the shipped credential type and recipients in extra vars."""

import copy
import json
import os
import re
import types

import awx_job  # pylint: disable=import-error
import pytest
import requests
import yaml

from ansible_collections.cloudops.cbr.plugins.module_utils import _select, _sources
from demo_ids import (  # pylint: disable=import-error
    CUSTOMER,
    CUSTOMER_VAULT,
    DB,
    DR,
    DR_VAULT,
    GOLDEN,
    OWNER,
    USERS,
    WEB,
)

CREDENTIAL_TYPE = awx_job.load_yaml(os.path.join(awx_job.AWX_DIR, "cbr_credential_type.yml"))
RECIPIENTS_TYPE = awx_job.load_yaml(os.path.join(awx_job.AWX_DIR, "cbr_recipients_credential_type.yml"))
RECIPIENTS_CREDENTIAL = awx_job.load_yaml(os.path.join(awx_job.AWX_DIR, "share_and_accept_recipients_credential.yml"))
EXTRA_VARS = awx_job.load_yaml(os.path.join(awx_job.AWX_DIR, "share_and_accept_extra_vars.yml"))
SURVEY = awx_job.load_yaml(os.path.join(awx_job.AWX_DIR, "share_and_accept_survey.yml"))
ROLE_OPTIONS = awx_job.load_yaml(os.path.join(awx_job.REPO, "roles", "share_and_accept", "meta", "argument_specs.yml"))[
    "argument_specs"
]["main"]["options"]
WRAPPER_VARS = awx_job.load_yaml(os.path.join(awx_job.AWX_DIR, "project", "share_and_accept.yml"))[0]["vars"]
RST = awx_job.rst_code_blocks(os.path.join(awx_job.REPO, "docs", "docsite", "rst", "awx.rst"))
OUTPUT_CAPTION = "Job output (excerpt)"
OPENSTACK_CAPTION = "Extra vars with AWX's OpenStack credential"
SECRETS, GOLDEN_AK, SOURCE_AK, SOURCE_SK = awx_job.DEMO_SECRETS, awx_job.GOLDEN_AK, awx_job.SOURCE_AK, awx_job.SOURCE_SK
SOURCE_VAULT = "3a1f0c1e-0000-4000-8000-000000000001"


@pytest.fixture(scope="session")
def awx_collections(tmp_path_factory):
    """The collection built and installed from its tarball, once per session (requirements_collections/)."""
    return awx_job.collection_once(tmp_path_factory)


def awx_job_in(
    root, awx_collections, playbook, credential_inputs, extra_vars, openstack_inputs=None, recipients_inputs=None
):
    """An AwxJob in the new private data dir `root`.

    credential_inputs: a CBR credential's inputs (None: no CBR credential attached); openstack_inputs: an
    OpenStack credential's, recipients_inputs: a CBR recipients credential's, when one is attached too.
    """
    root.mkdir()
    envvars = {}
    if credential_inputs is not None:
        envvars.update(awx_job.render_injectors(CREDENTIAL_TYPE, credential_inputs, str(root)))
    if openstack_inputs is not None:
        envvars.update(awx_job.openstack_credential_env(openstack_inputs, str(root)))
    if recipients_inputs is not None:
        envvars.update(awx_job.render_injectors(RECIPIENTS_TYPE, recipients_inputs, str(root)))
    return awx_job.AwxJob(root, awx_collections, playbook, envvars, extra_vars)


@pytest.fixture
def awx(tmp_path, awx_collections):
    """awx(playbook, credential_inputs, extra_vars, openstack_inputs=None, recipients_inputs=None) -> an AwxJob in a
    new private data dir (awx_job_in)."""
    count = []

    def make(playbook, credential_inputs, extra_vars, **credentials):
        count.append(1)
        root = tmp_path / ("job%d" % len(count))
        return awx_job_in(root, awx_collections, playbook, credential_inputs, extra_vars, **credentials)

    return make


def owner_password_credential(emulator):
    user, password = USERS[OWNER]
    return {
        "auth_url": emulator.url + "/v3",
        "username": user,
        "password": password,
        "domain_name": "acme",
        "project_id": OWNER,
    }


def assert_identities(emulator, expected):
    """Every request (logins too) acted in the project of its path as that project's expected identity."""
    log = emulator.requests(api_only=False)
    assert log
    for entry in log:
        if entry["path"].startswith("/v3/auth/"):  # IAM: the login and the user's project list
            assert entry["identity"] in expected.values(), entry
            continue
        path_project = entry["path"].split("/")[2]
        assert entry["scope_project"] == path_project, entry
        assert entry["identity"] == expected[path_project], entry


def assert_no_secret(job, secrets=None):
    awx_job.assert_no_secret(job, SECRETS if secrets is None else secrets)


# -- the credential type


def test_the_credential_type_is_one_awx_accepts():
    assert awx_job.credential_type_problems(CREDENTIAL_TYPE) == []
    broken = copy.deepcopy(CREDENTIAL_TYPE)
    broken["injectors"]["env"]["OS_REGION_NAME"] = "{{ region_name }}"
    broken["inputs"]["fields"][0]["kind"] = "string"
    assert len(awx_job.credential_type_problems(broken)) == 1
    del broken["inputs"]["fields"][0]["kind"]
    assert "region_name" in awx_job.credential_type_problems(broken)[0]


def test_every_injected_variable_is_one_the_collection_reads_for_that_field():
    """The OS_* family of the connection resolver reads each variable, as the option of the field it renders."""
    family = dict(_sources.ENVIRONMENT_FAMILIES)["OS_*"]
    option_of_field = {"cbr_endpoint": "endpoints.cbr", "vbs_endpoint": "endpoints.vbs"}
    fields = {field["id"]: field for field in CREDENTIAL_TYPE["inputs"]["fields"]}
    injected = CREDENTIAL_TYPE["injectors"]["env"]
    assert len(injected) == len(fields)
    for variable, template in injected.items():
        [field] = [name for name in fields if re.search(r"\b%s\b" % name, template)]
        assert variable in family[option_of_field.get(field, field)], (variable, field)
    assert {name for name, field in fields.items() if field.get("secret")} == set(_sources.SECRET_OPTIONS)


def test_empty_fields_inject_empty_variables_and_no_certificate_file(tmp_path):
    env = awx_job.render_injectors(CREDENTIAL_TYPE, {"access_key": SOURCE_AK, "secret_key": SOURCE_SK}, str(tmp_path))
    assert env["OS_ACCESS_KEY"] == SOURCE_AK and env["OS_SECRET_KEY"] == SOURCE_SK
    assert {name for name, value in env.items() if value} == {"OS_ACCESS_KEY", "OS_SECRET_KEY"}
    pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    env = awx_job.render_injectors(CREDENTIAL_TYPE, {"ca_cert": pem}, str(tmp_path))
    with open(env["OS_CACERT"], encoding="utf-8") as handle:
        assert handle.read() == pem


def test_an_injected_token_and_ca_certificate(tls_emulator, awx, tmp_path):
    """The token field, the CBR endpoint field and the CA certificate written by the file injector (OS_CACERT)."""
    emulator, cert = tls_emulator
    with open(cert, encoding="utf-8") as handle:
        pem = handle.read()
    user, password = USERS[OWNER]
    bundle = tmp_path / "ca.pem"
    bundle.write_text(pem)
    login = requests.post(
        emulator.base_url + "/v3/auth/tokens",
        verify=str(bundle),
        timeout=30,
        json={
            "auth": {
                "identity": {
                    "methods": ["password"],
                    "password": {"user": {"name": user, "password": password, "domain": {"name": "acme"}}},
                },
                "scope": {"project": {"id": OWNER}},
            }
        },
    )
    token = login.headers["X-Subject-Token"]
    credential = {"token": token, "project_id": OWNER, "cbr_endpoint": emulator.base_url}
    untrusted = awx("sharing_audit.yml", credential, {}).run()
    assert untrusted.status == "failed" and "certificate" in untrusted.stdout.read()
    with emulator.state.lock:
        emulator.state.log = []
    job = awx("sharing_audit.yml", dict(credential, ca_cert=pem), {})
    run = job.run(verbosity=3)
    assert (run.rc, run.status) == (0, "successful"), run.stdout.read()
    with emulator.state.lock:
        log = list(emulator.state.log)
    assert log and {(e["identity"], e["scope_project"]) for e in log} == {(user, OWNER)}
    assert_no_secret(job, SECRETS + [token])


# -- the survey


def test_the_survey_is_one_awx_accepts():
    assert awx_job.survey_problems(SURVEY) == []
    for breakage in ({"type": "checkbox"}, {"required": "yes"}, {"default": "maybe"}, {"variable": "2x"}):
        broken = copy.deepcopy(SURVEY)
        [choice] = [question for question in broken["spec"] if question["type"] == "multiplechoice"]
        choice.update(breakage)
        assert awx_job.survey_problems(broken), breakage
    broken = copy.deepcopy(SURVEY)
    broken["spec"].append(dict(broken["spec"][0]))
    assert "duplicated" in awx_job.survey_problems(broken)[0]


def test_the_survey_answers_feed_only_documented_role_variables():
    """The project's playbook turns every answer into documented variables of the role (the role checks their types
    at run time, which the runner tests below go through)."""
    assert set(WRAPPER_VARS) <= set(ROLE_OPTIONS)
    used = " ".join(str(template) for template in WRAPPER_VARS.values())
    for question in SURVEY["spec"]:
        assert re.search(r"\b%s\b" % question["variable"], used), question["variable"]
    # The selection is cbr_backup_info's selection options (the role documents it so).
    selected = set(re.findall(r"'(\w+)': cbr_", WRAPPER_VARS["share_and_accept_backup_selection"]))
    assert selected and selected <= set(_select.SELECTION_ARGUMENT_SPEC)


# -- share and accept


def pointed_at(emulator, data):
    """An example from extensions/awx/ with its cloud endpoints replaced by the emulator's (and nothing else)."""
    text = yaml.safe_dump(data)
    for host in ("https://iam.eu-de.otc.t-systems.com", "https://cbr.eu-de.otc.t-systems.com"):
        text = text.replace(host, emulator.url)
    return yaml.safe_load(text)


def recipients_credential(emulator):
    """The CBR recipients credential's inputs as shipped, pointed at the emulator."""
    return pointed_at(emulator, RECIPIENTS_CREDENTIAL)


def share_vars(emulator, **answers):
    """The job template's extra vars as shipped (recipients without secrets) and the survey's answers."""
    extra_vars = pointed_at(emulator, EXTRA_VARS)
    answers.setdefault("cbr_backup_ids", "%s, %s" % (WEB, DB))
    extra_vars.update(awx_job.survey_answers_to_extra_vars(SURVEY, answers))
    return extra_vars


SHARE_IDENTITIES = {OWNER: USERS[OWNER][0], DR: USERS[DR][0], GOLDEN: GOLDEN_AK, CUSTOMER: USERS[CUSTOMER][0]}


def test_share_and_accept_with_the_owner_and_the_recipients_injected_by_their_credentials(emulator, awx):
    """The check job of the same job template (at -vvv) runs in the test of AWX's OpenStack credential below."""
    shipped = json.dumps(EXTRA_VARS)
    assert EXTRA_VARS["share_and_accept_owner_auth"] == {} and all(
        "auth" not in r for r in EXTRA_VARS["cbr_recipients"]
    )
    assert not [secret for secret in awx_job.DEMO_SECRETS if secret in shipped]
    job = awx(
        "share_and_accept.yml",
        owner_password_credential(emulator),
        share_vars(emulator),
        recipients_inputs=recipients_credential(emulator),
    )
    real = job.run(diff=True)
    output = real.stdout.read()
    assert (real.rc, real.status) == (0, "successful"), output
    assert RST[OUTPUT_CAPTION] in output
    for backup in (WEB, DB):
        members = emulator.state.members[backup]
        assert sorted(members) == sorted([DR, GOLDEN, CUSTOMER])
        assert {member["status"] for member in members.values()} == {"accepted"}
        assert members[DR]["vault_id"] == DR_VAULT and members[CUSTOMER]["vault_id"] == CUSTOMER_VAULT
    assert_identities(emulator, SHARE_IDENTITIES)

    emulator.clear_log()
    rerun = job.run()
    assert (rerun.rc, rerun.status) == (0, "successful"), rerun.stdout.read()
    assert emulator.writes() == []
    assert not [e for e in awx_job.events(rerun, "runner_on_ok") if e["event_data"]["res"].get("changed")]
    assert_identities(emulator, SHARE_IDENTITIES)
    assert_no_secret(job)


# -- the sharing audit


@pytest.fixture(scope="module")
def ak_sk_audit(tmp_path_factory, awx_collections, _emulator_server):
    """The audit job as the injected AK/SK, run once for the tests below on the demo emulator (reset before and after):
    with DR expected, then as a check job at -vvv with DR and CUSTOMER expected. Its runs, outputs and request log."""
    emulator = _emulator_server
    emulator.restore_defaults()
    emulator.seed_member(WEB, DR, status="accepted", vault_id=DR_VAULT)
    emulator.seed_member(DB, CUSTOMER)
    credential = {"access_key": SOURCE_AK, "secret_key": SOURCE_SK, "project_id": OWNER, "cbr_endpoint": emulator.url}
    work = tmp_path_factory.mktemp("ak-sk-audit")
    flagged_job = awx_job_in(
        work / "flagged", awx_collections, "sharing_audit.yml", credential, {"sharing_audit_expected_projects": [DR]}
    )
    flagged = flagged_job.run()
    clean_job = awx_job_in(
        work / "clean",
        awx_collections,
        "sharing_audit.yml",
        credential,
        {"sharing_audit_expected_projects": [DR, CUSTOMER]},
    )
    clean = clean_job.run(check=True, verbosity=3)
    yield types.SimpleNamespace(
        flagged=flagged,
        clean_job=clean_job,
        clean=clean,
        clean_output=clean.stdout.read(),
        log=emulator.requests(api_only=False),
        writes=emulator.writes(),
    )
    emulator.restore_defaults()


def test_the_audit_job_reads_as_the_injected_ak_sk_and_fails_on_a_flag(ak_sk_audit):
    flagged = ak_sk_audit.flagged
    assert (flagged.rc, flagged.status) == (2, "failed")
    [audit] = awx_job.task_results(flagged, "Read every backup and whom it is shared with")
    assert [(f["backup_id"], f["project_id"]) for f in audit["summary"]["flagged"]] == [(DB, CUSTOMER)]

    run = ak_sk_audit.clean
    assert (run.rc, run.status) == (0, "successful"), ak_sk_audit.clean_output
    assert ak_sk_audit.writes == []
    assert {(e["identity"], e["scope_project"]) for e in ak_sk_audit.log} == {(SOURCE_AK, OWNER)}
    assert_no_secret(ak_sk_audit.clean_job)


def test_with_ak_sk_the_names_are_the_vaults_only(ak_sk_audit):
    run = ak_sk_audit.clean
    assert (run.rc, run.status) == (0, "successful"), ak_sk_audit.clean_output
    [audit] = awx_job.task_results(run, "Read every backup and whom it is shared with")
    assert audit["names"] == {"projects": {}, "vaults": {SOURCE_VAULT: "vault-source-servers"}}
    assert not [e for e in ak_sk_audit.log if e["path"] == "/v3/auth/projects"]
    assert json.dumps(audit).count(SOURCE_SK) == 0


def test_awx_builtin_openstack_credential_as_the_owner(emulator, awx):
    """AWX's OpenStack credential writes a clouds.yaml (cloud `devstack`) and sets OS_CLIENT_CONFIG_FILE; awx.rst's
    extra vars point the audit and the role's owner at it."""
    user, password = USERS[OWNER]
    openstack = {
        "host": emulator.url + "/v3",
        "username": user,
        "password": password,
        "project": "eu-de_source",
        "domain": "acme",
    }
    snippet = yaml.safe_load(RST[OPENSTACK_CAPTION])
    audit_job = awx("sharing_audit.yml", None, snippet, openstack_inputs=openstack)
    audit = audit_job.run(verbosity=3)
    assert (audit.rc, audit.status) == (0, "successful"), audit.stdout.read()
    [result] = awx_job.task_results(audit, "Read every backup and whom it is shared with")
    assert result["summary"]["backups"] == 5
    assert {e["identity"] for e in emulator.requests(api_only=False)} == {user}
    assert_no_secret(audit_job)

    share_job = awx(
        "share_and_accept.yml",
        None,
        dict(share_vars(emulator), **snippet),
        openstack_inputs=openstack,
        recipients_inputs=recipients_credential(emulator),
    )
    check = share_job.run(check=True, diff=True, verbosity=3)
    output = check.stdout.read()
    assert (check.rc, check.status) == (0, "successful"), output
    assert '"action": "would add and accept"' in output  # as awx.rst says of a check job
    assert emulator.writes() == []
    assert_identities(emulator, SHARE_IDENTITIES)
    assert_no_secret(share_job)


# -- awx.rst shows what these tests run


def test_every_file_awx_rst_shows_is_the_shipped_file_and_every_other_snippet_is_tested():
    files = [caption for caption in RST if os.path.isfile(os.path.join(awx_job.REPO, caption))]
    for caption in files:
        with open(os.path.join(awx_job.REPO, caption), encoding="utf-8") as handle:
            assert RST[caption] == handle.read(), caption
    shown_outside_the_project = [caption for caption in files if not caption.startswith("extensions/awx/project/")]
    assert sorted(shown_outside_the_project) == sorted(
        "extensions/awx/" + name for name in os.listdir(awx_job.AWX_DIR) if name.endswith(".yml")
    )
    assert len(files) == len(os.listdir(os.path.join(awx_job.AWX_DIR, "project"))) + len(shown_outside_the_project)
    assert set(RST) - set(files) == {OUTPUT_CAPTION, OPENSTACK_CAPTION}


def test_a_recipient_the_recipients_credential_does_not_hold_stops_the_job_before_any_request(emulator, awx):
    inputs = recipients_credential(emulator)
    auths = yaml.safe_load(inputs["recipients"])
    del auths[GOLDEN]
    job = awx(
        "share_and_accept.yml",
        owner_password_credential(emulator),
        share_vars(emulator),
        recipients_inputs={"recipients": yaml.safe_dump(auths)},
    )
    run = job.run()
    output = run.stdout.read()
    assert (run.rc, run.status) == (2, "failed"), output
    assert "The CBR recipients credential has no entry for project %s" % GOLDEN in output
    assert emulator.requests(api_only=False) == []
    assert_no_secret(job)
