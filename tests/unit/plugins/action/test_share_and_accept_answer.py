# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role's answers task: which options each run of cbr_share_member gets, that the runs overlap, each in a
temporary directory of its own, and how failures are reported."""

import threading
from types import SimpleNamespace

from ansible_collections.cloudops.cbr.plugins.action.share_and_accept_answer import (
    MODULE,
    ActionModule,
    answers_failure,
    module_args,
)

DR, GOLDEN, CUSTOMER = ("0" * 31 + str(n) for n in (2, 3, 4))
WEB = "a5200000-0000-4000-8000-000000000001"


def auth(project_id):
    return {"username": "ops-" + project_id[-1], "password": "pw-" + project_id[-1], "project_id": project_id}


def answer(project_id, status="accepted"):
    entry = {"project_id": project_id, "status": status, "backup_ids": [WEB]}
    if status == "accepted":
        entry["vault_id"] = "vault-" + project_id[-1]
    return entry


def test_an_acceptance_runs_with_its_vault_and_the_recipients_credentials_only():
    assert module_args(answer(DR), auth(DR), "warn") == dict(
        auth(DR), backup_ids=[WEB], status="accepted", vault_id="vault-2", capacity_check="warn"
    )


def test_a_rejection_names_no_vault():
    assert "vault_id" not in module_args(dict(answer(GOLDEN, "rejected"), vault_id="x"), auth(GOLDEN), "fail")


def test_the_failure_names_every_failed_recipient_with_the_api_facts_of_the_first():
    runs = [
        {"failed": True, "msg": "refused", "error_code": "BackupService.6799", "request_id": "r1", "backups": []},
        {"changed": True},
        {"failed": True, "msg": "timed out"},
    ]
    failure = answers_failure([answer(DR), answer(GOLDEN), answer(CUSTOMER)], runs)
    assert failure == {
        "msg": "recipient %s: refused; recipient %s: timed out" % (DR, CUSTOMER),
        "error_code": "BackupService.6799",
        "request_id": "r1",
    }
    assert answers_failure([answer(DR)], [{"changed": False}]) is None


def action_for(answers, recipients, workers=10):
    shell = SimpleNamespace(tmpdir=None)
    connection = SimpleNamespace(_shell=shell, become=None)
    task = SimpleNamespace(
        args={"answers": answers, "recipients": recipients, "capacity_check": "fail", "workers": workers},
        async_val=0,
        check_mode=False,
        action="cloudops.cbr.share_and_accept_answer",
    )
    return ActionModule(task, connection, None, None, None)


def reads(*project_ids):
    return [{"item": {"project_id": p}, "project_id": p, "auth": auth(p)} for p in project_ids]


def test_every_answer_runs_at_once_in_a_directory_of_its_own_and_a_failure_stops_no_other(monkeypatch):
    answers = [answer(DR), answer(GOLDEN, "rejected"), answer(CUSTOMER)]
    all_started = threading.Barrier(len(answers), timeout=5)
    runs, removed = [], []

    def execute(self, module_name, module_args, task_vars):
        self._connection._shell.tmpdir = "/tmp/ansible-tmp-" + module_args["project_id"]
        runs.append((module_name, module_args, self._connection._shell))
        all_started.wait()  # raises unless every run has started before any ends
        if module_args["project_id"] == GOLDEN:
            return {"failed": True, "msg": "refused", "status_code": 400}
        return {"changed": True, "diff": {"after": {"status": module_args["status"]}}}

    monkeypatch.setattr(ActionModule, "_configure_module", lambda self, **options: None)
    monkeypatch.setattr(ActionModule, "_execute_module", execute)
    monkeypatch.setattr(ActionModule, "_remove_tmp_path", lambda self, path: removed.append(path))
    action = action_for(answers, reads(CUSTOMER, DR, GOLDEN))
    result = action.run(task_vars={})

    assert sorted(args["project_id"] for _name, args, _shell in runs) == [DR, GOLDEN, CUSTOMER]
    assert all(name == MODULE for name, _args, _shell in runs)
    assert all(args["username"] == "ops-" + args["project_id"][-1] for _name, args, _shell in runs)
    assert len(set(id(shell) for _name, _args, shell in runs)) == 3 and action._connection._shell.tmpdir is None
    assert sorted(removed) == sorted("/tmp/ansible-tmp-" + p for p in (DR, GOLDEN, CUSTOMER))
    assert [run["item"] for run in result["results"]] == answers
    assert result["failed"] is True and result["changed"] is True
    assert result["msg"] == "recipient %s: refused" % GOLDEN and result["status_code"] == 400
    assert result["diff"] == [
        {"after": {"status": "accepted"}, "before_header": "recipient " + p, "after_header": "recipient " + p}
        for p in (DR, CUSTOMER)
    ]


def test_an_answer_without_a_read_recipient_fails_before_any_run(monkeypatch):
    def execute(self, **options):
        raise AssertionError("no run may start")

    monkeypatch.setattr(ActionModule, "_execute_module", execute)
    result = action_for([answer(DR), answer(GOLDEN)], reads(DR)).run(task_vars={})
    assert result["failed"] is True
    assert result["msg"] == "share_and_accept_answer: no credentials read for recipient %s" % GOLDEN


def test_workers_out_of_range_fail_before_any_run(monkeypatch):
    monkeypatch.setattr(ActionModule, "_execute_module", lambda self, **options: {})
    result = action_for([answer(DR)], reads(DR), workers=0).run(task_vars={})
    assert result["failed"] is True and result["msg"] == "share_and_accept_answer: workers must be from 1 to 64, got 0"
