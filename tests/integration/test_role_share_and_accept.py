# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The share_and_accept role through ansible-playbook against the emulator."""

import json
import os
import re
import subprocess
import sys

import pytest
import yaml

import runners  # pylint: disable=import-error
from demo_ids import (  # pylint: disable=import-error
    CUSTOMER,
    CUSTOMER_DISK_VAULT,
    CUSTOMER_FULL_VAULT,
    CUSTOMER_VAULT,
    DB,
    DR,
    DR_VAULT,
    GOLDEN,
    GOLDEN_VAULT,
    OWNER,
    USERS,
    WEB,
    password_auth,
)
from runners import CALLBACK_PLUGINS  # pylint: disable=import-error


def role_vars(emulator, recipients=(DR, GOLDEN, CUSTOMER), **extra):
    entries = []
    for project_id in recipients:
        entry = {"project_id": project_id, "auth": password_auth(emulator.url, project_id)}
        if project_id == DR:
            entry["vault_id"] = DR_VAULT
        entries.append(entry)
    variables = {
        "share_and_accept_owner_auth": password_auth(emulator.url, OWNER),
        "share_and_accept_backup_ids": [WEB],
        "share_and_accept_recipients": entries,
    }
    variables.update(extra)
    return variables


def role_runner(workdir):
    """run(variables, check=False, env=None, post_tasks=()) -> (rc, report or None, output), in workdir."""

    def run(variables, check=False, env=None, post_tasks=()):
        report_file = workdir / "report.json"
        if report_file.exists():
            report_file.unlink()
        playbook = [
            {
                "hosts": "localhost",
                "gather_facts": False,
                "vars": variables,
                "roles": [{"role": "cloudops.cbr.share_and_accept"}],
                "post_tasks": [
                    {
                        # Written by tests/callback_plugins/cbr_test_results.py (a copy task costs a module run)
                        "name": "Collect the report",
                        "check_mode": False,
                        "no_log": True,
                        "ansible.builtin.set_stats": {
                            "data": {"cbr_test_results": "{{ share_and_accept_report }}"},
                            "per_host": False,
                            "aggregate": False,
                        },
                    }
                ]
                + list(post_tasks),
            }
        ]
        path = workdir / "role.yml"
        path.write_text(yaml.safe_dump(playbook))
        command = [
            os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
            "-i",
            "localhost,",
            "-c",
            "local",
            str(path),
            "-e",
            "ansible_python_interpreter=%s" % sys.executable,
        ]
        if check:
            command.append("--check")
        environment = dict(
            os.environ,
            ANSIBLE_NOCOLOR="1",
            ANSIBLE_CALLBACK_PLUGINS=CALLBACK_PLUGINS,
            ANSIBLE_CALLBACKS_ENABLED="cbr_test_results",
            CBR_TEST_RESULTS_FILE=str(report_file),
            **(env or {}),
        )
        process = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False, env=environment)
        report = json.loads(report_file.read_text()) if report_file.exists() else None
        return process.returncode, report, process.stdout + process.stderr

    return run


@pytest.fixture
def run_role(tmp_path):
    """run_role(variables, check=False, env=None, post_tasks=()) -> (rc, report or None, output)."""
    return role_runner(tmp_path)


class Run:
    """One role run on the shared emulator: rc, report, output, and the requests and tokens it caused."""

    def __init__(self, running, result, tokens_before):
        self.rc, self.report, self.output = result
        self.requests = running.requests(api_only=False)
        self.tokens = [token for token in running.state.tokens if token not in tokens_before]
        running.clear_log()


@pytest.fixture(scope="module")
def three_runs(start_emulator, demo_fixture, tmp_path_factory):
    """The role for the three recipients on an emulator of its own: in check mode, for real (printing hostvars after
    it), and again. Several tests assert on these runs, each on its part (a role run costs seconds); make pytest
    sends a file's tests to one xdist worker (--dist loadfile), so the runs are made once."""
    running = start_emulator(demo_fixture)
    run = role_runner(tmp_path_factory.mktemp("role"))
    runs = {}
    for name, options in (
        ("check", {"check": True}),
        ("first", {"post_tasks": [{"ansible.builtin.debug": {"var": "hostvars"}}]}),
        ("again", {}),
    ):
        tokens_before = set(running.state.tokens)
        runs[name] = Run(running, run(role_vars(running), **options), tokens_before)
    return runs


def logins(emulator):
    """The project of every IAM login, in order."""
    return login_projects(emulator.requests(api_only=False))


def login_projects(requests):
    return [e["project_id"] for e in requests if e["path"] == "/v3/auth/tokens"]


def api_requests(requests):
    """The requests but the IAM logins, as RunningEmulator.requests() lists them."""
    return [e for e in requests if e["path"] != "/v3/auth/tokens"]


def writers(emulator):
    """(method, identity, scope project) of every write, in order."""
    return [(e["method"], e["identity"], e["scope_project"]) for e in emulator.writes()]


def write_requests(requests):
    """(method, identity, scope project) of every write, as writers() gives them."""
    return [(e["method"], e["identity"], e["scope_project"]) for e in api_requests(requests) if e["method"] != "GET"]


def strip_check(entry):
    """A check-mode report entry as the real run should report it."""
    return dict(entry, action=entry["action"].replace("would ", ""))


# -- cases of one batched play: each case is a host with an emulator of its own (an ansible-playbook start costs about
# a second of CPU; the hosts run side by side). Cases that need an environment variable run alone.

ROLE_CASES = {}


def role_case(prepare):
    """Registers prepare(emulator) -> the role's variables (changing the emulator first if the case needs it) as a
    case of the batched play; the case's name is the function's."""
    ROLE_CASES[prepare.__name__] = prepare
    return prepare


class CaseRun:
    """One case of the batched play: its emulator, whether its host failed, its report (None when it failed) and
    the lines of the output about it."""

    def __init__(self, emulator, failed, report, output):
        self.emulator, self.failed, self.report, self.output = emulator, failed, report, output


def lines_about(output, hosts):
    """{host: the lines of the output about it}: the lines that name it, each with the lines before it that name no
    host (Ansible prints a task's error just before the host's "fatal:" line)."""
    about, pending = dict((host, []) for host in hosts), []
    for line in output.splitlines():
        named = [host for host in hosts if "[%s]" % host in line]
        if named:
            about[named[0]] += pending + [line]
            pending = []
        else:
            pending.append(line)
    return dict((host, "\n".join(lines)) for host, lines in about.items())


def failed_hosts(output):
    """The hosts the PLAY RECAP counts a failure for."""
    recap = output.split("PLAY RECAP", 1)[1]
    return set(re.findall(r"^(\S+)\s+:.* failed=[1-9]", recap, re.MULTILINE))


@pytest.fixture(scope="module")
def role_cases(start_emulator, demo_fixture, tmp_path_factory):
    """{case name: CaseRun} of every case of ROLE_CASES, run as the hosts of one play."""
    emulators = dict((name, start_emulator(demo_fixture)) for name in ROLE_CASES)
    hosts = dict(
        (name, dict(prepare(emulators[name]), ansible_connection="local", ansible_python_interpreter=sys.executable))
        for name, prepare in ROLE_CASES.items()
    )
    work = tmp_path_factory.mktemp("role-cases")
    results = work / "reports.json"
    (work / "inventory.yml").write_text(yaml.safe_dump({"all": {"hosts": hosts}}))
    collect = {
        "name": "Collect the report of every host",
        "no_log": True,
        "ansible.builtin.set_stats": {
            "data": {"cbr_test_results": "{{ {inventory_hostname: share_and_accept_report} }}"},
            "per_host": False,
            "aggregate": True,
        },
    }
    (work / "role.yml").write_text(
        yaml.safe_dump(
            [
                {
                    "hosts": "all",
                    "gather_facts": False,
                    "roles": ["cloudops.cbr.share_and_accept"],
                    "post_tasks": [collect],
                }
            ]
        )
    )
    env = dict(
        ANSIBLE_CALLBACK_PLUGINS=CALLBACK_PLUGINS,
        ANSIBLE_CALLBACKS_ENABLED="cbr_test_results",
        CBR_TEST_RESULTS_FILE=str(results),
    )
    run = runners.run_playbook(work / "role.yml", inventory=work / "inventory.yml", forks=len(hosts), env=env)
    reports = json.loads(results.read_text()) if results.exists() else {}
    failed, about = failed_hosts(run.output), lines_about(run.output, hosts)
    return dict((name, CaseRun(emulators[name], name in failed, reports.get(name), about[name])) for name in hosts)


def test_check_mode_is_an_audit_that_predicts_the_real_run(three_runs):
    check, first = three_runs["check"], three_runs["first"]
    assert check.rc == 0, check.output
    assert write_requests(check.requests) == []
    predicted = check.report
    assert {(e["project_id"], e["action"]) for e in predicted} == {
        (DR, "would add and accept"),
        (GOLDEN, "would add and accept"),
        (CUSTOMER, "would add and accept"),
    }
    assert first.rc == 0, first.output
    real = first.report
    assert [strip_check(e) for e in predicted] == real
    assert {(e["project_id"], e["status_after"], e["vault_id"]) for e in real} == {
        (DR, "accepted", DR_VAULT),
        (GOLDEN, "accepted", GOLDEN_VAULT),
        (CUSTOMER, "accepted", CUSTOMER_VAULT),
    }


def test_second_run_changes_nothing_and_sends_no_write(three_runs):
    assert three_runs["first"].rc == 0
    again = three_runs["again"]
    assert again.rc == 0, again.output
    assert write_requests(again.requests) == []
    assert all(not e["changed"] and e["action"] == "none" and e["status_before"] == "accepted" for e in again.report)
    assert "changed=0" in again.output
    # Converged: the owner's one login and reads tell everything; no recipient logs in or reads.
    assert login_projects(again.requests) == [OWNER]
    assert [(e["method"], e["path"].rsplit("/", 1)[-1]) for e in api_requests(again.requests)] == [
        ("GET", "backups"),
        ("GET", "members"),
    ]


def test_each_password_set_logs_in_for_the_reads_and_once_in_the_task_that_writes(three_runs):
    # Issue 25: no token is handed from the reads to the writes (hostvars keep none; an expiry stops nothing).
    first = three_runs["first"]
    assert first.rc == 0
    assert sorted(login_projects(first.requests)) == sorted([OWNER, DR, GOLDEN, CUSTOMER] * 2)
    assert {e["auth_type"] for e in api_requests(first.requests)} == {"token"}
    # Every recipient is read in one task (no loop item per recipient).
    reads = first.output.split("Log in once as each receiving project", 1)[1].split("TASK [", 1)[0]
    assert reads.count("ok: [localhost]") == 1 and "item=" not in reads, reads


@role_case
def token_expiry(emulator):
    # Every token issued by the reads expires just before the owner's first write.
    emulator.add_fault(method="POST", path="/members$", expire_tokens=True)
    return role_vars(emulator)


def test_password_recipients_survive_a_token_expiry_between_the_reads_and_the_writes(role_cases):
    case = role_cases["token_expiry"]
    assert not case.failed, case.output
    assert {(e["project_id"], e["status_after"]) for e in case.report} == {
        (DR, "accepted"),
        (GOLDEN, "accepted"),
        (CUSTOMER, "accepted"),
    }
    # The owner's sharing task finds its own token expired too and logs in again; the recipients' answer tasks log
    # in after the expiry, where the reads' tokens (refused from then on) would have stopped them.
    assert [(e["method"], e["status"]) for e in case.emulator.writes()] == [
        ("POST", 401),
        ("POST", 200),
        ("PUT", 200),
        ("PUT", 200),
        ("PUT", 200),
    ]


def test_no_live_token_is_in_hostvars_after_the_role(three_runs):
    first = three_runs["first"]  # run with a task printing hostvars after the role
    assert first.rc == 0, first.output
    assert "share_and_accept__owner" in first.output  # the role's registered results are printed
    assert len(first.tokens) == 8 and not any(token in first.output for token in first.tokens)


@role_case
def aksk_recipient(emulator):
    variables = role_vars(emulator, recipients=(DR,))
    variables["share_and_accept_recipients"][0]["auth"] = {
        "access_key": "AKDR00000000000000001",
        "secret_key": "dr-secret-key-0001",
        "project_id": DR,
        "endpoint": emulator.url,
    }
    return variables


def test_aksk_recipients_need_no_login(role_cases):
    case = role_cases["aksk_recipient"]
    assert not case.failed, case.output
    assert logins(case.emulator) == [OWNER, OWNER]  # the reads, then the owner's sharing task
    assert case.report[0]["status_after"] == "accepted"
    assert "dr-secret-key-0001" not in case.output


def test_every_write_is_sent_by_the_project_it_belongs_to(three_runs):
    first = three_runs["first"]
    assert first.rc == 0, first.output
    writes = write_requests(first.requests)
    # The owner shares first; the recipients then answer at once, in no set order.
    assert writes[0] == ("POST", "ops-source", OWNER)
    assert sorted(writes[1:]) == [
        ("PUT", "ops-customer", CUSTOMER),
        ("PUT", "ops-dr", DR),
        ("PUT", "ops-golden", GOLDEN),
    ]


@role_case
def two_backups_too_big_together(emulator):
    # 110 GB free in the golden vault: web (40 GB) and db (100 GB) each fit, both do not.
    emulator.state.vaults[GOLDEN_VAULT]["size_gb"] = 120
    return role_vars(
        emulator, recipients=(GOLDEN,), share_and_accept_backup_ids=[WEB, DB], share_and_accept_capacity_check="fail"
    )


def test_two_backups_that_fit_alone_but_not_together_fail_before_any_write(role_cases):
    case = role_cases["two_backups_too_big_together"]
    assert case.failed and case.report is None
    assert "project %s cannot accept backup %s: no vault can take it" % (GOLDEN, WEB) in case.output
    assert "after 102400 MB placed there for the other backups of this run" in case.output
    assert case.emulator.writes() == []


@role_case
def vault_of_the_wrong_type(emulator):
    variables = role_vars(emulator, recipients=(CUSTOMER,))
    variables["share_and_accept_recipients"][0]["vault_id"] = CUSTOMER_DISK_VAULT
    return variables


def test_an_explicit_vault_of_the_wrong_type_fails_before_any_write(role_cases):
    case = role_cases["vault_of_the_wrong_type"]
    assert case.failed and case.report is None
    assert (
        "project %s cannot accept backup %s: vault %s (vault-customer-disks): it holds disk backups"
        % (CUSTOMER, WEB, CUSTOMER_DISK_VAULT)
        in case.output
    )
    assert case.emulator.writes() == []


@role_case
def no_fitting_vault(emulator):
    emulator.state.vaults.pop(CUSTOMER_VAULT)
    return role_vars(emulator, recipients=(CUSTOMER,), share_and_accept_capacity_check="fail")


def test_no_fitting_vault_fails_naming_the_recipient_and_each_refusal(role_cases):
    case = role_cases["no_fitting_vault"]
    assert case.failed and case.report is None
    assert "project %s cannot accept backup %s: no vault can take it" % (CUSTOMER, WEB) in case.output
    for refusal in (
        "(vault-customer-disks): it holds disk backups",
        "(vault-customer-full): it has 10240 MB free",
        "(vault-customer-frozen): its status is frozen",
    ):
        assert refusal in case.output
    assert case.emulator.writes() == []


@role_case
def another_projects_credentials(emulator):
    variables = role_vars(emulator, recipients=(DR, GOLDEN))
    variables["share_and_accept_recipients"][1]["auth"] = password_auth(emulator.url, CUSTOMER)
    return variables


def test_a_recipient_with_another_projects_credentials_fails_naming_both_before_any_write(role_cases):
    case = role_cases["another_projects_credentials"]
    assert case.failed and case.report is None
    assert "the credentials of recipient %s act in project %s, not %s" % (GOLDEN, CUSTOMER, GOLDEN) in case.output
    assert case.emulator.writes() == []
    assert ("ops-customer", CUSTOMER) in case.emulator.identities()


@role_case
def refused_answer(emulator):
    emulator.add_fault(
        method="PUT",
        path="/members/" + GOLDEN,
        status=400,
        body={"error_code": "BackupService.6799", "error_msg": "Refused for the test."},
    )
    return role_vars(emulator)


def test_a_refused_answer_fails_naming_its_recipient_and_the_other_answers_are_still_given(role_cases):
    case = role_cases["refused_answer"]
    assert case.failed and case.report is None
    assert "recipient %s: " % GOLDEN in case.output and "BackupService.6799" in case.output
    assert "recipient %s: " % DR not in case.output and "recipient %s: " % CUSTOMER not in case.output
    members = case.emulator.state.members[WEB]
    statuses = dict((project, member["status"]) for project, member in members.items())
    assert statuses == {DR: "accepted", GOLDEN: "pending", CUSTOMER: "accepted"}


def test_owner_credentials_from_the_environment_log_in_once_per_task(emulator, run_role):
    user, password = USERS[OWNER]
    env = {
        "OS_AUTH_URL": emulator.url + "/v3",
        "OS_USERNAME": user,
        "OS_PASSWORD": password,
        "OS_USER_DOMAIN_NAME": "acme",
        "OS_PROJECT_ID": OWNER,
    }
    variables = role_vars(emulator, recipients=(DR,), share_and_accept_owner_auth={})
    rc, report, output = run_role(variables, env=env)
    assert rc == 0, output
    assert logins(emulator) == [OWNER, DR, OWNER, DR]  # the reads, then the task that writes
    assert writers(emulator) == [("POST", user, OWNER), ("PUT", "ops-dr", DR)]
    assert password not in output


def test_purge_in_check_mode_says_would_remove_and_the_real_run_removes(emulator, run_role):
    emulator.seed_member(WEB, CUSTOMER)
    variables = role_vars(
        emulator, recipients=(DR, GOLDEN), share_and_accept_reject=[GOLDEN], share_and_accept_purge=True
    )
    rc, predicted, output = run_role(variables, check=True)
    assert rc == 0, output
    assert emulator.writes() == []
    assert {(e["project_id"], e["status_after"], e["action"]) for e in predicted} == {
        (DR, "accepted", "would add and accept"),
        (GOLDEN, "rejected", "would add and reject"),
        (CUSTOMER, "absent", "would remove"),
    }
    rc, report, output = run_role(variables)
    assert rc == 0, output
    assert [strip_check(e) for e in predicted] == report
    assert sorted(emulator.state.members[WEB]) == sorted([DR, GOLDEN])


@role_case
def existing_acceptance(emulator):
    emulator.seed_member(WEB, CUSTOMER, status="accepted", vault_id=CUSTOMER_FULL_VAULT)
    return role_vars(emulator, recipients=(CUSTOMER,))


def test_an_existing_acceptance_keeps_its_vault(role_cases):
    case = role_cases["existing_acceptance"]
    assert not case.failed, case.output
    assert case.report == [
        {
            "backup_id": WEB,
            "project_id": CUSTOMER,
            "status_before": "accepted",
            "status_after": "accepted",
            "vault_before": CUSTOMER_FULL_VAULT,
            "vault_id": CUSTOMER_FULL_VAULT,
            "changed": False,
            "action": "none",
        }
    ]
    assert case.emulator.writes() == []


@role_case
def selection(emulator):
    return role_vars(
        emulator,
        recipients=(DR,),
        share_and_accept_backup_ids=[],
        share_and_accept_backup_selection={"name": "db-01-daily", "status": ["available"]},
    )


def test_backups_selected_like_cbr_backup_info(role_cases):
    case = role_cases["selection"]
    assert not case.failed, case.output
    assert [(e["backup_id"], e["action"]) for e in case.report] == [(DB, "add and accept")]
    listing = [e for e in case.emulator.requests() if e["path"].endswith("/backups")]
    assert listing[0]["query"]["name"] == "db-01-daily"


INPUT_MISTAKES = [
    ({"share_and_accept_backup_ids": []}, "share_and_accept_backup_ids or share_and_accept_backup_selection"),
    ({"share_and_accept_reject": [OWNER]}, "share_and_accept_reject names"),
    # Issue 25: a misspelt variable never falls back to the default (reject -> accept, purge -> nothing).
    ({"share_and_accept_rejects": [DR]}, "did you mean share_and_accept_reject?"),
    ({"share_and_accept_purg": True}, "did you mean share_and_accept_purge?"),
    ({"share_and_accept_backup_ids": [WEB, WEB]}, "share_and_accept_backup_ids lists"),
    ({"share_and_accept_backup_selection": {"resource_ids": []}}, "resource_ids must not be empty"),
    ({"share_and_accept_backup_selection": {"resource_ids": ["web-01"]}}, "'web-01'"),
    ({"share_and_accept_answer_workers": 11}, "share_and_accept_answer_workers"),
]


def input_mistake(change):
    return lambda emulator: role_vars(emulator, **change)


for number, (change, _message) in enumerate(INPUT_MISTAKES):
    ROLE_CASES["input_mistake_%d" % number] = input_mistake(change)


@pytest.mark.parametrize("number", range(len(INPUT_MISTAKES)))
def test_input_mistakes_fail_before_any_request(role_cases, number):
    case = role_cases["input_mistake_%d" % number]
    assert case.failed and INPUT_MISTAKES[number][1] in case.output
    assert case.emulator.requests(api_only=False) == []


@role_case
def recipient_auth_typo(emulator):
    variables = role_vars(emulator)
    auth = variables["share_and_accept_recipients"][1]["auth"]
    auth["usrname"] = auth.pop("username")
    return variables


def test_a_recipients_auth_typo_fails_before_the_owners_reads_naming_the_recipient(role_cases):
    case = role_cases["recipient_auth_typo"]
    assert case.failed
    assert "share_and_accept_recipients[1].auth (project %s): option usrname is not known" % GOLDEN in case.output
    assert "did you mean username?" in case.output
    assert case.emulator.requests(api_only=False) == []


def test_owner_aksk_from_the_environment_never_signs_for_a_recipient_given_by_project_name(emulator, run_role):
    # issue 11 items 2 and 3: an injected owner credential, a recipient by password and project_name.
    env = {
        "OS_ACCESS_KEY": "AKSOURCE0000000000001",
        "OS_SECRET_KEY": "source-secret-key-0001",
        "OS_PROJECT_ID": OWNER,
        "OS_CBR_ENDPOINT_OVERRIDE": emulator.url,
    }
    variables = role_vars(emulator, recipients=(GOLDEN,), share_and_accept_owner_auth={})
    auth = variables["share_and_accept_recipients"][0]["auth"]
    auth["project_name"] = "eu-de_golden"
    del auth["project_id"]
    rc, report, output = run_role(variables, env=env)
    assert rc == 0, output
    assert logins(emulator) == [GOLDEN, GOLDEN]  # the read, then the answer task
    assert writers(emulator) == [("POST", "AKSOURCE0000000000001", OWNER), ("PUT", "ops-golden", GOLDEN)]
    assert {(e["identity"], e["scope_project"]) for e in emulator.requests()} == {
        ("AKSOURCE0000000000001", OWNER),
        ("ops-golden", GOLDEN),
    }
    assert report[0]["vault_id"] == GOLDEN_VAULT
    assert "source-secret-key-0001" not in output


def test_owner_credentials_from_clouds_yaml_log_in_once_per_task(emulator, run_role, tmp_path):
    user, password = USERS[OWNER]
    clouds = tmp_path / "clouds.yaml"
    clouds.write_text(
        yaml.safe_dump(
            {
                "clouds": {
                    "source": {
                        "auth": {
                            "auth_url": emulator.url + "/v3",
                            "username": user,
                            "password": password,
                            "user_domain_name": "acme",
                            "project_id": OWNER,
                        }
                    }
                }
            }
        )
    )
    variables = role_vars(emulator, recipients=(DR,), share_and_accept_owner_auth={"cloud": "source"})
    rc, report, output = run_role(variables, env={"OS_CLIENT_CONFIG_FILE": str(clouds)})
    assert rc == 0, output
    assert logins(emulator) == [OWNER, DR, OWNER, DR]  # the reads, then the task that writes
    assert writers(emulator) == [("POST", user, OWNER), ("PUT", "ops-dr", DR)]
    assert password not in output


def test_the_rolling_window_removes_the_shares_that_fell_out_and_a_rerun_writes_nothing(emulator, run_role):
    server, nights = "5e7c0000-0000-4000-8000-0000000000a1", []
    for _night in range(4):
        nights.insert(0, emulator.add_backup(OWNER, resource_id=server, name="nightly")["id"])
        emulator.seed_member(nights[0], DR, status="accepted", vault_id=DR_VAULT)
        emulator.seed_member(nights[0], GOLDEN)
        emulator.age(86400)
    emulator.clear_log()
    variables = role_vars(
        emulator,
        recipients=(DR,),
        share_and_accept_backup_ids=[],
        share_and_accept_backup_selection={"resource_ids": [server], "newest_per_resource": 2},
        share_and_accept_rolling_window=True,
    )

    rc, report, output = run_role(variables)
    assert rc == 0, output
    fell_out = sorted(nights[2:])
    assert sorted((e["method"], e["path"].split("/")[4]) for e in emulator.writes()) == [
        ("DELETE", backup_id) for backup_id in fell_out
    ]
    assert all(emulator.state.members[backup_id].keys() == {GOLDEN} for backup_id in fell_out)  # GOLDEN is kept
    removed = [e for e in report if e["action"] == "remove"]
    assert sorted(e["backup_id"] for e in removed) == fell_out and {e["project_id"] for e in removed} == {DR}
    assert all(e["reason"].startswith("its backup is no longer among the selected backups") for e in removed)
    assert [(e["backup_id"], e["action"]) for e in report if e["action"] != "remove"] == [
        (b, "none") for b in nights[:2]
    ]

    emulator.clear_log()
    rc, report, output = run_role(variables)
    assert rc == 0, output
    assert emulator.writes() == [] and all(e["action"] == "none" for e in report)
