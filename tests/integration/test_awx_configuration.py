# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""extensions/awx/configure_awx.yml, AWX as code: every awx.awx task's arguments, as Ansible renders them, checked
against awx.awx's own modules (their argument specs and rules), and the objects tied together as awx.rst says.

No AWX is reachable: ansible-playbook runs the playbook with each awx.awx task turned into a set_fact of its
arguments (Ansible templates them as it would for the module), then awx_arguments.py runs each awx.awx module's
main() on them until the module would ask AWX. awx.awx comes from the PyPI "ansible" package (make: .venv/awx).
"""

import json
import os
import shutil
import subprocess
import sys

import awx_job  # pylint: disable=import-error
import pytest
import yaml

import runners  # pylint: disable=import-error

AWX_COLLECTIONS = os.path.join(awx_job.REPO, ".venv", "awx")
PLAYBOOK = os.path.join(awx_job.AWX_DIR, "configure_awx.yml")
SETTINGS = {
    "cbr_awx_scm_url": "https://git.example.com/ops/cbr-awx.git",
    "cbr_awx_image": "registry.example.com/ee-cbr:1.0.0",
    "cbr_awx_owner": {
        "auth_url": "https://iam.eu-de.otc.t-systems.com/v3",
        "username": "ops-source",
        "password": "not-a-real-password",
        "domain_name": "acme",
        "project_id": "0761a1f0e5b34c9b8c2f0f0a7d1e0001",
    },
    "cbr_awx_recipients": yaml.safe_load(
        awx_job.load_yaml(os.path.join(awx_job.AWX_DIR, "share_and_accept_recipients_credential.yml"))["recipients"]
    ),
    "cbr_awx_share_recipients": awx_job.load_yaml(os.path.join(awx_job.AWX_DIR, "share_and_accept_extra_vars.yml"))[
        "cbr_recipients"
    ],
    "cbr_awx_audit_expected_projects": ["0761a1f0e5b34c9b8c2f0f0a7d1e0002"],
    "cbr_awx_notification": {
        "notification_type": "webhook",
        "notification_configuration": {
            "url": "https://chat.example.com/hooks/cbr",
            "headers": {},
            "http_method": "POST",
            "disable_ssl_verification": False,
            "username": "",
            "password": "",
        },
    },
}


def awx_calls(tmp_path, settings):
    """[(module, args)] of configure_awx.yml's awx.awx tasks, as ansible-playbook renders them with these settings."""
    for name in os.listdir(awx_job.AWX_DIR):
        if os.path.isfile(os.path.join(awx_job.AWX_DIR, name)):
            shutil.copy(os.path.join(awx_job.AWX_DIR, name), str(tmp_path))
    [play] = awx_job.load_yaml(PLAYBOOK)
    modules = []
    for index, task in enumerate(play["tasks"]):
        [module] = [key for key in task if key.startswith("awx.awx.")]
        modules.append(module.split(".")[-1])
        task["ansible.builtin.set_fact"] = {"awx_call_%d" % index: task.pop(module)}
        task.pop("no_log", None)
    # Collected on the controller (tests/callback_plugins/cbr_test_results.py writes them): no module run.
    play["tasks"].append(
        {
            "name": "Collect the arguments",
            "ansible.builtin.set_stats": {
                "data": {"cbr_test_results": "{{ [%s] }}" % ", ".join("awx_call_%d" % n for n in range(len(modules)))},
                "per_host": False,
                "aggregate": False,
            },
        }
    )
    (tmp_path / "configure.yml").write_text(yaml.safe_dump([play]))
    (tmp_path / "settings.json").write_text(json.dumps(settings))
    process = subprocess.run(
        [
            os.path.join(awx_job.BIN, "ansible-playbook"),
            "-i",
            "localhost,",
            "-c",
            "local",
            "configure.yml",
            "-e",
            "@settings.json",
            "-e",
            "ansible_python_interpreter=" + sys.executable,
        ],
        cwd=str(tmp_path),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env=dict(
            awx_job.clean_environment(),
            ANSIBLE_CALLBACK_PLUGINS=runners.CALLBACK_PLUGINS,
            ANSIBLE_CALLBACKS_ENABLED="cbr_test_results",
            CBR_TEST_RESULTS_FILE=str(tmp_path / "out.json"),
        ),
    )
    assert process.returncode == 0, process.stdout + process.stderr
    return list(zip(modules, json.loads((tmp_path / "out.json").read_text())))


def awx_problems(calls):
    """What awx.awx's modules say of each call's arguments (None where a module accepts them)."""
    assert os.path.isdir(os.path.join(AWX_COLLECTIONS, "ansible_collections", "awx", "awx")), "run make venv"
    process = subprocess.run(
        [sys.executable, os.path.join(os.path.dirname(__file__), "awx_arguments.py"), AWX_COLLECTIONS],
        input=json.dumps(calls),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env=awx_job.clean_environment(),
    )
    assert process.returncode == 0, process.stderr
    return json.loads(process.stdout)


@pytest.fixture(scope="module")
def calls(tmp_path_factory):
    return awx_calls(tmp_path_factory.mktemp("configure-awx"), SETTINGS)


def broken_calls(calls):
    """A misspelled option, a wrong choice and a missing required option, each in a copy of one of the calls."""
    by_module = dict((module, args) for module, args in reversed(calls))
    return [
        ("job_template", dict(by_module["job_template"], survey=by_module["job_template"].get("survey_spec"))),
        ("credential_type", dict(by_module["credential_type"], kind="clouds")),
        ("schedule", dict((k, v) for k, v in by_module["schedule"].items() if k != "name")),
    ]


@pytest.fixture(scope="module")
def problems(calls):
    """awx_problems() of the calls, then of broken_calls(), from one run of awx.awx's modules."""
    return awx_problems(calls + broken_calls(calls))


def test_awx_awx_accepts_every_task_of_the_configuration(calls, problems):
    problems = problems[: len(calls)]
    assert [(module, problem) for (module, _args), problem in zip(calls, problems) if problem] == []
    assert [module for module, _args in calls] == [
        "credential_type",
        "credential_type",
        "credential",
        "credential",
        "execution_environment",
        "project",
        "inventory",
        "inventory_source",
        "job_template",
        "notification_template",
        "job_template",
        "schedule",
    ]


def test_the_checker_refuses_what_awx_awx_refuses(calls, problems):
    """A misspelled option, a wrong choice and a missing required option each fail, naming the option."""
    problems = problems[len(calls) :]
    assert len(problems) == len(broken_calls(calls))
    assert "Unsupported parameters" in problems[0] and "survey" in problems[0]
    assert "kind" in problems[1] and "clouds" in problems[1]
    assert "missing required arguments: name" in problems[2]


def test_the_objects_are_tied_together_as_awx_rst_says(calls):
    names = awx_job.load_yaml(PLAYBOOK)[0]["vars"]["cbr_awx_names"]
    given = [args for _module, args in calls]
    cbr_type, recipients_type, owner, recipients, ee, project = given[:6]
    inventory, source, share, notification, audit, schedule = given[6:]
    for given, shipped in (
        (cbr_type, "cbr_credential_type.yml"),
        (recipients_type, "cbr_recipients_credential_type.yml"),
    ):
        expected = awx_job.load_yaml(os.path.join(awx_job.AWX_DIR, shipped))
        assert {key: given[key] for key in ("name", "kind", "inputs", "injectors")} == {
            key: expected[key] for key in ("name", "kind", "inputs", "injectors")
        }
        assert awx_job.credential_type_problems(expected) == []
    assert owner["credential_type"] == cbr_type["name"] and owner["inputs"] == SETTINGS["cbr_awx_owner"]
    assert recipients["credential_type"] == recipients_type["name"]
    assert yaml.safe_load(recipients["inputs"]["recipients"]) == SETTINGS["cbr_awx_recipients"]
    assert project["default_environment"] == ee["name"] and ee["image"] == SETTINGS["cbr_awx_image"]
    assert (source["inventory"], source["source_project"], source["credential"]) == (
        inventory["name"],
        project["name"],
        owner["name"],
    )
    assert source["source"] == "scm" and source["source_path"].endswith(".cbr_projects.yml")
    assert share["credentials"] == [owner["name"], recipients["name"]]
    assert share["extra_vars"] == {
        "share_and_accept_owner_auth": {},
        "cbr_recipients": SETTINGS["cbr_awx_share_recipients"],
    }
    assert share["survey_spec"] == awx_job.load_yaml(os.path.join(awx_job.AWX_DIR, "share_and_accept_survey.yml"))
    assert audit["credentials"] == [owner["name"]] and audit["notification_templates_error"] == [notification["name"]]
    assert audit["extra_vars"]["sharing_audit_expected_projects"] == SETTINGS["cbr_awx_audit_expected_projects"]
    assert schedule["unified_job_template"] == audit["name"] == names["audit"]
    for template in (share, audit):
        assert os.path.isfile(os.path.join(awx_job.AWX_DIR, "project", template["playbook"]))
        assert (template["project"], template["inventory"], template["execution_environment"]) == (
            project["name"],
            inventory["name"],
            ee["name"],
        )
