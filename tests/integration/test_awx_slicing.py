# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AWX job slicing over an inventory of projects, run the way AWX runs it (ansible-runner, each slice with its share
of the hosts as AWX's inventory script), and the slices' audits merged by the next workflow node into one report:
the same report, byte for byte, as one job over every project."""

import json
import os

import awx_job  # pylint: disable=import-error
import pytest

from demo_ids import CUSTOMER, DB, DR, DR_VAULT, GOLDEN, OWNER, WEB  # pylint: disable=import-error

NAMES = {OWNER: "eu-de_source", DR: "eu-de_dr", GOLDEN: "eu-de_golden"}
KEYS = {DR: ("AKDR00000000000000001", "dr-secret-key-0001"), GOLDEN: (awx_job.GOLDEN_AK, "golden-secret-key-0001")}


def estate_inventory():
    """The inventory as AWX holds it after syncing the inventory source (Inventory.get_script_data): one host per
    project; the estate on `all` (inventory variables reach every slice)."""
    hostvars = {}
    for project_id, name in NAMES.items():
        host = {"cbr_project_id": project_id, "cbr_project_name": name, "ansible_connection": "local"}
        if project_id in KEYS:  # the demo fixture's keys act in one project each
            host["cbr_auth"] = dict(zip(("access_key", "secret_key"), KEYS[project_id]))
        hostvars[name] = host
    return {
        "all": {"hosts": sorted(hostvars), "vars": {"sharing_audit_estate": NAMES}},
        "eu_de": {"hosts": sorted(hostvars)},
        "_meta": {"hostvars": hostvars},
    }


@pytest.fixture
def awx_run(tmp_path, tmp_path_factory, emulator):
    collections = awx_job.collection_once(tmp_path_factory)
    credential = awx_job.injected_identity(emulator.url)
    jobs = []

    def run(playbook, extra_vars, inventory=None):
        root = tmp_path / ("job%d" % len(jobs))
        root.mkdir()
        job = awx_job.AwxJob(root, collections, playbook, credential, extra_vars, inventory=inventory)
        jobs.append(job)
        return job.run()

    return run


def report_files(directory):
    return dict((name, (directory / name).read_text()) for name in sorted(os.listdir(directory)))


def test_two_slices_audit_their_own_projects_and_the_merge_gives_the_one_job_report(emulator, awx_run, tmp_path):
    emulator.seed_member(WEB, DR, status="accepted", vault_id=DR_VAULT)
    emulator.seed_member(WEB, GOLDEN)
    emulator.seed_member(DB, CUSTOMER, status="rejected")
    inventory = estate_inventory()
    audit_vars = {"sharing_audit_hosts": "all"}

    whole = awx_run("sharing_audit.yml", dict(audit_vars, sharing_audit_report_dir=str(tmp_path / "whole")), inventory)
    assert whole.rc == 2, whole.stdout.read()  # CUSTOMER is outside the estate and not expected

    emulator.clear_log()
    slices = [awx_run("sharing_audit.yml", audit_vars, awx_job.inventory_slice(inventory, n, 2)) for n in (1, 2)]
    # The hosts sorted by name, every second one: eu-de_dr and eu-de_source, then eu-de_golden.
    assert [sorted(awx_job.artifacts(run)) for run in slices] == [
        sorted(["sharing_audit_csv", "sharing_audit_summary"] + ["sharing_audit_project_" + p for p in (OWNER, DR)]),
        ["sharing_audit_csv", "sharing_audit_project_" + GOLDEN, "sharing_audit_summary"],
    ]
    # The slice with the source fails on CUSTOMER only: GOLDEN, audited in the other slice, is an estate project.
    assert [run.rc for run in slices] == [2, 0]
    assert [f["project_id"] for f in awx_job.artifacts(slices[0])["sharing_audit_summary"]["flagged"]] == [CUSTOMER]
    assert {e["scope_project"] for e in emulator.requests(api_only=False)} == set(NAMES)

    merged_vars = dict(awx_job.workflow_artifacts(slices), sharing_audit_report_dir=str(tmp_path / "merged"))
    merge = awx_run("sharing_audit_merge.yml", merged_vars)
    merge_output = merge.stdout.read()
    assert merge.rc == 2 and "Flagged shares" in merge_output, merge_output  # the merged verdict: CUSTOMER flagged
    assert report_files(tmp_path / "merged") == report_files(tmp_path / "whole")
    report = json.loads((tmp_path / "merged" / "sharing-audit.json").read_text())
    assert report["audited_projects"] == sorted(NAMES) and report["summary"]["members"] == 3
    assert awx_job.artifacts(merge)["sharing_audit_csv"] == (tmp_path / "merged" / "sharing-audit.csv").read_text()


def test_the_merge_refuses_to_run_without_any_audit(awx_run):
    run = awx_run("sharing_audit_merge.yml", {"sharing_audit_project_oops": {}})
    assert run.rc == 2
    assert "No sharing_audit_project_<ID> variable" in run.stdout.read()
