# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The sharing audit people can look at: names next to IDs, the HTML report (parsed) and the CSV, through the AWX
path (ansible-runner) against the emulator, and the IAM project list the names come from."""

import copy
import csv
import html.parser
import io
import os

import awx_job  # pylint: disable=import-error
import pytest
import requests

from ansible_collections.cloudops.cbr.plugins.filter.sharing_audit_report import (
    sharing_audit_csv,
    sharing_audit_html,
)
from demo_ids import (  # pylint: disable=import-error
    CUSTOMER,
    DB,
    DISK_BACKUP,
    DR,
    DR_VAULT,
    GOLDEN,
    OWNER,
    USERS,
    WEB,
)

OWNER_USER, OWNER_PASSWORD = USERS[OWNER]
SECRETS = awx_job.DEMO_SECRETS
SOURCE_VAULT = "3a1f0c1e-0000-4000-8000-000000000001"


class ReportParser(html.parser.HTMLParser):
    """The report's tables: rows of (attributes, cells), each cell (attributes, text); and whether it loads
    anything from outside."""

    def __init__(self):
        super().__init__()
        self.tables, self.external, self._row, self._cell = {}, [], None, None
        self._table = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "link", "img", "iframe") or attrs.get("src") or attrs.get("href"):
            self.external.append((tag, attrs))
        if tag == "table":
            self._table = self.tables.setdefault(attrs.get("id"), [])
        elif tag == "tr" and self._table is not None:
            self._row = (attrs, [])
            self._table.append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = (attrs, [])
            self._row[1].append(self._cell)

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._cell = None
        elif tag == "tr":
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[1].append(data)


def parse(page):
    parser = ReportParser()
    parser.feed(page)
    parser.close()
    assert parser.external == []
    return parser


def cell_text(cell):
    return " ".join(part.strip() for part in cell[1] if part.strip())


def matrix_rows(parser):
    """{backup_id: {project_id: (status, flags, class)}} and the backups in page order."""
    rows, order = {}, []
    for attrs, cells in parser.tables["matrix"]:
        if "data-backup-id" not in attrs:
            continue
        order.append(attrs["data-backup-id"])
        rows[attrs["data-backup-id"]] = dict(
            (cell[0]["data-project-id"], (cell[0].get("data-status"), cell[0].get("data-flags"), cell[0].get("class")))
            for cell in cells
            if cell[0].get("data-status")
        )
    return rows, order


AUDIT = {
    "backups": [
        {
            "id": WEB,
            "name": "web-01-daily",
            "project_id": OWNER,
            "vault_id": SOURCE_VAULT,
            "status": "available",
            "resource_type": "OS::Nova::Server",
            "members": [
                {"dest_project_id": DR, "status": "accepted", "flags": []},
                {"dest_project_id": GOLDEN, "status": "pending", "flags": ["pending_too_long"]},
            ],
        },
        {
            "id": DB,
            "name": "<b>db</b> & co",
            "project_id": OWNER,
            "vault_id": SOURCE_VAULT,
            "status": "available",
            "resource_type": "OS::Nova::Server",
            "members": [],
        },
        {
            "id": DISK_BACKUP,
            "name": "data-disk-01",
            "project_id": OWNER,
            "vault_id": SOURCE_VAULT,
            "status": "available",
            "resource_type": "OS::Cinder::Volume",
            "members": [{"dest_project_id": CUSTOMER, "status": "rejected", "flags": ["unexpected_project"]}],
        },
    ],
    "summary": {
        "backups": 3,
        "shared_backups": 2,
        "members": 3,
        "by_status": {"pending": 1, "accepted": 1, "rejected": 1},
        "errors": 0,
        "flagged": [
            {"backup_id": WEB, "project_id": GOLDEN, "status": "pending", "flags": ["pending_too_long"]},
            {"backup_id": DISK_BACKUP, "project_id": CUSTOMER, "status": "rejected", "flags": ["unexpected_project"]},
        ],
    },
    "names": {"projects": {OWNER: "eu-de_source", DR: "eu-de_dr"}, "vaults": {SOURCE_VAULT: "vault-source-servers"}},
}


def test_the_html_report_holds_every_backup_and_member_with_flags_marked_and_flagged_first():
    parser = parse(sharing_audit_html(AUDIT, generated_at="2026-11-24T08:00:00+00:00"))
    rows, order = matrix_rows(parser)
    assert order == [DISK_BACKUP, WEB, DB]  # flagged (by name), then shared, then the rest
    assert rows[WEB] == {DR: ("accepted", "", "accepted"), GOLDEN: ("pending", "pending_too_long", "flagged")}
    assert rows[DISK_BACKUP] == {CUSTOMER: ("rejected", "unexpected_project", "flagged")}
    assert rows[DB] == {}
    flagged = [attrs for attrs, _cells in parser.tables["flagged"] if "data-backup-id" in attrs]
    assert [(a["data-backup-id"], a["data-project-id"]) for a in flagged] == [(WEB, GOLDEN), (DISK_BACKUP, CUSTOMER)]
    summary = dict((cell_text(cells[0]), cell_text(cells[1])) for _attrs, cells in parser.tables["summary"])
    assert summary["Backups"] == "3" and summary["Flagged"] == "2" and summary["Members pending"] == "1"
    assert summary["Project"] == "eu-de_source %s" % OWNER
    header = [cell_text(cell) for cell in parser.tables["matrix"][0][1]]
    assert header[2:] == ["eu-de_dr %s" % DR, GOLDEN, CUSTOMER]  # named projects first, then by ID
    page = sharing_audit_html(AUDIT)
    assert "<b>db</b>" not in page and "&lt;b&gt;db&lt;/b&gt; &amp; co" in page


def test_the_csv_has_one_row_per_backup_and_member_with_names():
    rows = list(csv.DictReader(io.StringIO(sharing_audit_csv(AUDIT))))
    assert [(r["backup_id"], r["project_id"], r["status"], r["flags"]) for r in rows] == [
        (WEB, DR, "accepted", ""),
        (WEB, GOLDEN, "pending", "pending_too_long"),
        (DB, "", "", ""),
        (DISK_BACKUP, CUSTOMER, "rejected", "unexpected_project"),
    ]
    assert rows[0]["project_name"] == "eu-de_dr" and rows[0]["vault_name"] == "vault-source-servers"
    assert rows[1]["project_name"] == "" and rows[2]["backup_name"] == "<b>db</b> & co"


# -- the IAM project list and the names, against the emulator


@pytest.fixture(scope="module")
def named_emulator(start_emulator, demo_fixture):
    """The demo fixture in which the owner's user also works in the DR project (so it sees two project names)."""
    fixture = copy.deepcopy(demo_fixture)
    [dr] = [project for project in fixture["projects"] if project["id"] == DR]
    dr["users"].append({"name": OWNER_USER, "password": OWNER_PASSWORD})
    return start_emulator(fixture)


def owner_token(emulator):
    body = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {"user": {"name": OWNER_USER, "password": OWNER_PASSWORD, "domain": {"name": "acme"}}},
            },
            "scope": {"project": {"id": OWNER}},
        }
    }
    return requests.post(emulator.url + "/v3/auth/tokens", json=body, timeout=10).headers["X-Subject-Token"]


def test_the_emulator_lists_the_token_users_projects_and_refuses_other_callers(named_emulator):
    emulator = named_emulator
    emulator.restore_defaults()
    answer = requests.get(
        emulator.url + "/v3/auth/projects", headers={"X-Auth-Token": owner_token(emulator)}, timeout=10
    )
    assert answer.status_code == 200
    assert sorted((p["id"], p["name"]) for p in answer.json()["projects"]) == [
        (OWNER, "eu-de_source"),
        (DR, "eu-de_dr"),
    ]
    assert requests.get(emulator.url + "/v3/auth/projects", timeout=10).status_code == 401
    assert (
        requests.get(emulator.url + "/v3/auth/projects", headers={"X-Auth-Token": "emu-forged"}, timeout=10).status_code
        == 401
    )
    assert emulator.requests()[-1]["identity"] is None


@pytest.fixture
def awx(tmp_path, tmp_path_factory):
    awx_collections = awx_job.collection_once(tmp_path_factory)

    def make(credential_inputs, extra_vars):
        root = tmp_path / "job"
        root.mkdir()
        credential_type = awx_job.load_yaml(os.path.join(awx_job.AWX_DIR, "cbr_credential_type.yml"))
        envvars = awx_job.render_injectors(credential_type, credential_inputs, str(root))
        return awx_job.AwxJob(root, awx_collections, "sharing_audit.yml", envvars, extra_vars)

    return make


def test_the_audit_job_writes_the_report_with_names_and_no_credential(named_emulator, awx, tmp_path):
    emulator = named_emulator
    emulator.restore_defaults()
    emulator.seed_member(WEB, DR, status="accepted", vault_id=DR_VAULT)
    emulator.seed_member(WEB, GOLDEN)
    emulator.seed_member(DB, CUSTOMER, status="rejected")
    reports = tmp_path / "reports" / "sharing"  # not there yet: the playbook makes it
    credential = {
        "auth_url": emulator.url + "/v3",
        "username": OWNER_USER,
        "password": OWNER_PASSWORD,
        "domain_name": "acme",
        "project_id": OWNER,
    }
    job = awx(credential, {"sharing_audit_expected_projects": [DR, GOLDEN], "sharing_audit_report_dir": str(reports)})
    run = job.run(check=True, verbosity=3)
    output = run.stdout.read()
    assert (run.rc, run.status) == (2, "failed"), output  # CUSTOMER is not expected
    assert emulator.writes() == []
    assert {(e["identity"], e["scope_project"]) for e in emulator.requests(api_only=False)} == {(OWNER_USER, OWNER)}
    assert "eu-de_dr" in output  # the printed table names the projects the caller can see

    page = (reports / "sharing-audit.html").read_text()
    rows, order = matrix_rows(parse(page))
    backups = [b for b in emulator.state.backups.values() if b["project_id"] == OWNER]
    assert sorted(order) == sorted(b["id"] for b in backups) and order[0] == DB
    assert rows[WEB] == {DR: ("accepted", "", "accepted"), GOLDEN: ("pending", "", "pending")}
    assert rows[DB] == {CUSTOMER: ("rejected", "unexpected_project", "flagged")}
    assert "eu-de_dr" in page and "eu-de_source" in page and "vault-source-servers" in page
    assert "eu-de_golden" not in page  # the owner's user cannot see that project's name

    table = list(csv.DictReader(io.StringIO((reports / "sharing-audit.csv").read_text())))
    assert {(r["backup_id"], r["project_id"], r["status"]) for r in table if r["project_id"]} == {
        (WEB, DR, "accepted"),
        (WEB, GOLDEN, "pending"),
        (DB, CUSTOMER, "rejected"),
    }
    assert len({r["backup_id"] for r in table}) == len(backups)
    [stats] = awx_job.events(run, "playbook_on_stats")
    assert stats["event_data"]["artifact_data"]["sharing_audit_csv"] == (reports / "sharing-audit.csv").read_text()

    texts = {"html": page, "csv": (reports / "sharing-audit.csv").read_text()}
    assert awx_job.leaked(texts, SECRETS) == []
    awx_job.assert_no_secret(job)
