# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shipped audit playbook over hosts that are projects: each host under its own scope (the injected identity, or
its own credentials from host vars and a vault), with forks, and one report for the run, parsed."""

import csv
import io
import json
import os
import sys

import awx_job  # pylint: disable=import-error
import pytest
import yaml
from ansible.parsing.vault import VaultLib, VaultSecret

from demo_ids import CUSTOMER, DB, DR, DR_VAULT, GOLDEN, OWNER, USERS, WEB, password_auth  # pylint: disable=import-error
from estate_ids import (  # pylint: disable=import-error
    ACME,
    APP_01,
    CRM_01,
    CRM_02,
    DB_01,
    DB_NL_01,
    ESTATE_OPS,
    GLOBEX,
    GLOBEX_OPS,
    PARTNER,
    WEB_01,
    WEB_NL_01,
)

PLAYBOOKS = os.path.join(os.path.dirname(__file__), "..", "..", "playbooks")
DR_AK, DR_SK = "AKDR00000000000000001", "dr-secret-key-0001"
GOLDEN_AK, GOLDEN_SK = awx_job.GOLDEN_AK, "golden-secret-key-0001"
ESTATE_NAMES = {OWNER: "source (inventory)", DR: "dr (inventory)", GOLDEN: "golden (inventory)"}
VAULT_PASSWORD = "estate-vault-pass"


def vaulted(tmp_path, name, value):
    """`name: !vault |...` as ansible-vault encrypt_string writes it (its VaultLib, its layout), and the password
    file."""
    password_file = tmp_path / "vault-pass"
    password_file.write_text(VAULT_PASSWORD)
    secret = VaultSecret(VAULT_PASSWORD.encode())
    ciphertext = VaultLib([("default", secret)]).encrypt(value, secret).decode()
    lines = ["%s: !vault |" % name] + [" " * 10 + line for line in ciphertext.splitlines()]
    return "\n".join(lines) + "\n", str(password_file)


@pytest.fixture
def estate_inventory(tmp_path):
    """Three projects as hosts: the source under the job's injected identity (only its scope is the host's), DR
    and golden each with an access key of their own (DR's secret key in a vault)."""
    inventory = tmp_path / "inventory"
    (inventory / "host_vars").mkdir(parents=True)
    hosts = {
        "eu-de_source": {"cbr_project_id": OWNER},
        "eu-de_dr": {"cbr_project_id": DR},
        "eu-de_golden": {"cbr_project_id": GOLDEN, "cbr_auth": {"access_key": GOLDEN_AK, "secret_key": GOLDEN_SK}},
    }
    for host_vars in hosts.values():
        host_vars["cbr_project_name"] = ESTATE_NAMES[host_vars["cbr_project_id"]]
    inventory_yaml = {
        "all": {
            "vars": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable},
            "hosts": hosts,
        }
    }
    (inventory / "hosts.yml").write_text(yaml.safe_dump(inventory_yaml))
    secret, password_file = vaulted(tmp_path, "secret_key", DR_SK)
    (inventory / "host_vars" / "eu-de_dr.yml").write_text(
        "cbr_auth:\n  access_key: %s\n  %s" % (DR_AK, secret.replace("\n", "\n  "))
    )
    return str(inventory), password_file


def run_audit(run_playbook, emulator, estate_inventory, reports, verbosity=0, **extra):
    inventory, password_file = estate_inventory
    extra_vars = dict({"sharing_audit_hosts": "all", "sharing_audit_report_dir": str(reports)}, **extra)
    env = dict(awx_job.injected_identity(emulator.url), ANSIBLE_VAULT_PASSWORD_FILE=password_file)
    return run_playbook(
        os.path.join(PLAYBOOKS, "sharing_audit.yml"), inventory=inventory, extra_vars=extra_vars, forks=3, env=env,
        verbosity=verbosity,
    )  # fmt: skip


def test_the_estate_audit_reads_each_project_under_its_own_scope_and_writes_one_report(
    emulator, run_playbook, estate_inventory, tmp_path
):
    emulator.seed_member(WEB, DR, status="accepted", vault_id=DR_VAULT)
    emulator.seed_member(WEB, GOLDEN)
    emulator.seed_member(DB, CUSTOMER, status="rejected")
    reports = tmp_path / "reports"
    run = run_audit(run_playbook, emulator, estate_inventory, reports, verbosity=3)  # -vvv: no secret in the output
    assert run.rc == 2, run.output  # CUSTOMER is neither an estate project nor expected
    assert emulator.writes() == []

    # Each project's requests under its own scope, with its own identity, about itself and nothing else.
    identities = {OWNER: USERS[OWNER][0], DR: DR_AK, GOLDEN: GOLDEN_AK}
    seen = set()
    for entry in emulator.requests(api_only=False):
        project = entry["scope_project"]
        assert entry["identity"] == identities[project], entry
        assert [part for part in entry["path"].split("/") if len(part) == 32 and part != project] == [], entry
        seen.add(project)
    assert seen == set(identities)

    report = json.loads((reports / "sharing-audit.json").read_text())
    assert report["audited_projects"] == sorted(identities)
    shares = [
        (backup["project_id"], backup["id"], member["dest_project_id"], member["status"], tuple(member["flags"]))
        for backup in report["backups"]
        for member in backup["members"]
    ]
    assert sorted(shares) == sorted(
        [
            (OWNER, WEB, DR, "accepted", ()),
            (OWNER, WEB, GOLDEN, "pending", ()),
            (OWNER, DB, CUSTOMER, "rejected", ("unexpected_project",)),
        ]
    )
    assert {p: report["projects"][p]["name"] for p in ESTATE_NAMES} == ESTATE_NAMES  # every estate project named
    assert (
        report["projects"][CUSTOMER]["name"] is None
        and "not an estate project" in (report["projects"][CUSTOMER]["why_unnamed"])
    )
    within = {(b["id"], m["dest_project_id"]): m["within_estate"] for b in report["backups"] for m in b["members"]}
    assert within == {(WEB, DR): True, (WEB, GOLDEN): True, (DB, CUSTOMER): False}
    rows = list(csv.DictReader(io.StringIO((reports / "sharing-audit.csv").read_text())))
    assert {(r["backup_id"], r["project_id"], r["within_estate"]) for r in rows if r["project_id"]} == {
        (WEB, DR, "yes"),
        (WEB, GOLDEN, "yes"),
        (DB, CUSTOMER, "no"),
    }
    assert "golden (inventory)" in (reports / "sharing-audit.html").read_text()

    texts = dict((name, (reports / name).read_text()) for name in os.listdir(reports))
    texts["output"] = run.output
    assert awx_job.leaked(texts, awx_job.DEMO_SECRETS + [VAULT_PASSWORD]) == []

    # Unchanged state: identical files, and nothing changed on any host.
    again = run_audit(run_playbook, emulator, estate_inventory, reports)
    assert again.rc == 2
    assert dict((name, (reports / name).read_text()) for name in os.listdir(reports)) == {
        name: text for name, text in texts.items() if name != "output"
    }
    recap = again.stdout[again.stdout.rindex("PLAY RECAP") :]
    assert recap.count("changed=0") == 3, recap


def test_shares_to_expected_projects_pass_and_a_failed_project_fails_the_job(
    emulator, run_playbook, estate_inventory, tmp_path
):
    emulator.seed_member(WEB, DR, status="accepted", vault_id=DR_VAULT)
    emulator.seed_member(DB, CUSTOMER, status="rejected")
    reports = tmp_path / "reports"
    expected = {CUSTOMER: "customer (given)"}
    run = run_audit(run_playbook, emulator, estate_inventory, reports, sharing_audit_expected_projects=expected)
    assert run.rc == 0, run.output
    report = json.loads((reports / "sharing-audit.json").read_text())
    assert report["summary"]["flagged"] == [] and report["projects"][CUSTOMER]["name"] == "customer (given)"

    inventory, password_file = estate_inventory
    broken = yaml.safe_load(open(os.path.join(inventory, "hosts.yml"), encoding="utf-8"))
    broken["all"]["hosts"]["eu-de_golden"]["cbr_auth"]["secret_key"] = "wrong-secret"
    with open(os.path.join(inventory, "hosts.yml"), "w", encoding="utf-8") as out:
        yaml.safe_dump(broken, out)
    run = run_audit(run_playbook, emulator, estate_inventory, reports, sharing_audit_expected_projects=expected)
    assert run.rc == 2, run.output
    report = json.loads((reports / "sharing-audit.json").read_text())
    assert report["audited_projects"] == sorted([OWNER, DR])  # golden could not be read: not audited
    assert report["projects"][GOLDEN] == {
        "name": "golden (inventory)",
        "why_unnamed": None,
        "estate": True,
        "audited": False,
    }


def test_share_and_accept_over_a_project_host_acts_for_the_host_project(emulator, run_playbook, estate_inventory):
    inventory, password_file = estate_inventory
    extra_vars = {
        "cbr_share_and_accept_hosts": "eu-de_source",
        "share_and_accept_backup_ids": [WEB],
        "share_and_accept_recipients": [{"project_id": DR, "auth": password_auth(emulator.url, DR)}],
    }
    env = dict(awx_job.injected_identity(emulator.url), ANSIBLE_VAULT_PASSWORD_FILE=password_file)
    playbook = os.path.join(PLAYBOOKS, "share_and_accept.yml")
    run = run_playbook(playbook, inventory=inventory, extra_vars=extra_vars, env=env, verbosity=3)
    assert run.rc == 0, run.output
    assert emulator.state.members[WEB][DR]["status"] == "accepted"
    owner_requests = [e for e in emulator.requests(api_only=False) if e["identity"] == USERS[OWNER][0]]
    assert owner_requests and {e["scope_project"] for e in owner_requests} == {OWNER}
    assert awx_job.leaked({"output": run.output}, awx_job.DEMO_SECRETS + [VAULT_PASSWORD]) == []

    # A scope in the play's options that is not the host's project is refused before any request.
    emulator.restore_defaults()
    extra_vars["share_and_accept_owner_auth"] = {"project_id": GOLDEN}
    run = run_playbook(playbook, inventory=inventory, extra_vars=extra_vars, env=env)
    assert run.rc == 2 and "this host stands for project %s" % OWNER in run.output, run.output
    assert emulator.requests(api_only=False) == []


# -- 12 projects of two accounts in two regions, from the cbr_projects inventory plugin


def two_account_inventory(tmp_path, estate):
    """acme's projects under the job's identity (the environment), globex's with globex's own key: its inventory
    source names it, and its hosts' cbr_auth comes from group_vars, the secret key in a vault."""
    inventory = tmp_path / "estate-inventory"
    (inventory / "group_vars").mkdir(parents=True)
    (inventory / "acme.cbr_projects.yml").write_text(
        yaml.safe_dump({"plugin": "cloudops.cbr.cbr_projects", "hostname": "domain_and_name"})
    )
    globex_where = {
        "auth_url": estate.url + "/{region}/v3",
        "region": "eu-de",
        "endpoints": {"cbr": estate.url + "/{region}", "vbs": estate.vbs_url + "/{region}"},
    }
    (inventory / "globex.cbr_projects.yml").write_text(
        yaml.safe_dump(
            dict(
                globex_where,
                plugin="cloudops.cbr.cbr_projects",
                hostname="domain_and_name",
                access_key=GLOBEX_OPS[2],
                secret_key=GLOBEX_OPS[3],
            )
        )
    )
    secret, password_file = vaulted(tmp_path, "secret_key", GLOBEX_OPS[3])
    (inventory / "group_vars" / "domain_globex.yml").write_text(
        "cbr_auth:\n  access_key: %s\n  %s" % (GLOBEX_OPS[2], secret.replace("\n", "\n  "))
    )
    env = {
        "OS_AUTH_URL": estate.url + "/v3",
        "OS_USERNAME": "estate-ops",
        "OS_PASSWORD": ESTATE_OPS[1],
        "OS_USER_DOMAIN_NAME": ESTATE_OPS[0],
        "ANSIBLE_VAULT_PASSWORD_FILE": password_file,
    }
    return str(inventory), env


def test_the_audit_over_12_projects_in_2_regions_reads_each_under_its_own_scope(estate_server, run_playbook, tmp_path):
    estate = estate_server
    estate.restore_defaults()
    inventory, env = two_account_inventory(tmp_path, estate)
    reports = tmp_path / "reports"
    extra_vars = {"sharing_audit_hosts": "all", "sharing_audit_report_dir": str(reports)}
    playbook = os.path.join(PLAYBOOKS, "sharing_audit.yml")
    run = run_playbook(playbook, inventory=inventory, extra_vars=extra_vars, forks=4, env=env, verbosity=3)
    assert run.rc == 2, run.output  # the partner project is outside the estate; golden's share is pending too long
    assert estate.writes() == []

    projects = dict(list(ACME.items()) + [("globex " + name, pid) for name, pid in GLOBEX.items()])
    identity = dict([(pid, "estate-ops") for pid in ACME.values()] + [(pid, GLOBEX_OPS[2]) for pid in GLOBEX.values()])
    audited = set()
    for entry in estate.requests():
        if "/auth/" in entry["path"]:
            continue  # IAM: the inventory listing the projects, the modules reading names
        project = entry["scope_project"]
        assert entry["identity"] == identity[project], entry
        assert [p for p in entry["path"].split("/") if len(p) == 32 and p != project] == [], entry
        assert entry["method"] == "GET", entry
        audited.add(project)
    assert audited == set(projects.values())  # every project read, each under its own scope

    report = json.loads((reports / "sharing-audit.json").read_text())
    assert report["audited_projects"] == sorted(projects.values())
    shares = sorted(
        (b["project_id"], b["id"], m["dest_project_id"], m["status"], tuple(m["flags"]), m["within_estate"])
        for b in report["backups"]
        for m in b["members"]
    )
    prod, dr, golden, nl_prod, nl_dr = (
        ACME[n] for n in ("eu-de_prod", "eu-de_dr", "eu-de_golden", "eu-nl_prod", "eu-nl_dr")
    )
    app = GLOBEX["eu-de_app"]
    assert shares == sorted(
        [
            (prod, WEB_01, dr, "accepted", (), True),
            (prod, WEB_01, golden, "pending", ("pending_too_long",), True),
            (prod, DB_01, dr, "accepted", (), True),
            (prod, DB_01, PARTNER, "pending", ("unexpected_project",), False),
            (prod, APP_01, app, "pending", (), True),
            (nl_prod, WEB_NL_01, nl_dr, "accepted", (), True),
            (nl_prod, DB_NL_01, nl_dr, "rejected", (), True),
            (app, CRM_01, prod, "accepted", (), True),
            (app, CRM_02, PARTNER, "accepted", ("unexpected_project",), False),
        ]
    )
    names = dict((pid, facts["name"]) for pid, facts in report["projects"].items())
    assert {pid: names[pid] for pid in projects.values()} == {
        pid: name.split(" ")[-1] for name, pid in projects.items()
    }
    assert names[PARTNER] is None and "not an estate project" in report["projects"][PARTNER]["why_unnamed"]
    texts = dict((name, (reports / name).read_text()) for name in os.listdir(reports))
    texts["output"] = run.output
    assert awx_job.leaked(texts, ["estate-pass", ESTATE_OPS[3], GLOBEX_OPS[3], VAULT_PASSWORD]) == []
