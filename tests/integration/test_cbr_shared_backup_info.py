# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The sharing audit against backups over 2 vaults: at scale (1,200 backups, two pages) in this process, its options,
views and failure modes on 120 backups of the same patterns, and the shipped playbook's pass and fail on 12."""

import collections
import os

import pytest
import requests

from demo_ids import OWNER  # pylint: disable=import-error

RECIPIENTS = ["0761a1f0e5b34c9b8c2f0f0a7d1e00%02d" % n for n in (2, 3, 4)]
STRANGER = "0761a1f0e5b34c9b8c2f0f0a7d1e0099"
VAULTS = ["3a1f0c1e-0000-4000-8000-00000000000%d" % n for n in (1, 2)]
BACKUPS = 1200  # the scale test's: more than one page of the backup list (1,000)
SMALL = 120  # every other in-process test's, with the same patterns
TINY = 12  # the shipped playbook's pass and fail (ansible-playbook runs): every status, an old share, the stranger
OLD = "2020-02-05T10:38:34.210+00:00"
AUDIT_AK = "AKAUDIT00000000000001"
PLAYBOOK = os.path.join(os.path.dirname(__file__), "..", "..", "playbooks", "sharing_audit.yml")


def backup_id(number):
    return "a5200000-0000-4000-8000-%012d" % number


def planned_members(backups):
    """(backup, project) -> (status, created_at): every status, some old, some with a stranger."""
    members = {}
    for number in range(backups):
        if number % 3 == 0:
            continue  # a third of the backups are not shared
        for index, project in enumerate(RECIPIENTS[: 1 + number % 3]):
            status = ("pending", "accepted", "rejected")[(number + index) % 3]
            created = OLD if number % 10 == 1 else None
            members[(backup_id(number), project)] = (status, created)
        if number % 100 == 7:
            members[(backup_id(number), STRANGER)] = ("pending", None)
    return members


def audit_fixture(backups):
    def project(pid, name):
        return {"id": pid, "name": name, "domain": "acme", "users": [{"name": name, "password": name + "-pass"}]}

    owner = project(OWNER, "eu-de_source")
    owner["credentials"] = [{"access_key": AUDIT_AK, "secret_key": "audit-secret-key-0001"}]
    owner["vaults"] = [
        {"id": v, "name": "vault-%d" % i, "object_type": "server", "size_gb": 100000} for i, v in enumerate(VAULTS)
    ]
    owner["backups"] = [
        {
            "id": backup_id(n),
            "name": "server-%04d" % n,
            "resource_type": "OS::Nova::Server",
            "status": "available",
            "vault_id": VAULTS[n % 2],
            "resource_size_gb": 10,
        }
        for n in range(backups)
    ]
    projects = [owner] + [project(p, "eu-de_r%d" % i) for i, p in enumerate(RECIPIENTS + [STRANGER])]
    members = [
        {"backup_id": b, "dest_project_id": p, "status": s, "created_at": c}
        for (b, p), (s, c) in planned_members(backups).items()
    ]
    for member in members:
        if member["status"] == "accepted":
            member["vault_id"] = "3a1f0c1e-0000-4000-8000-0000000000ff"
    return {"region": "eu-de", "projects": projects, "members": members}


@pytest.fixture(scope="module")
def big(start_emulator):
    return start_emulator(audit_fixture(BACKUPS))


@pytest.fixture(scope="module")
def small_server(start_emulator):
    return start_emulator(audit_fixture(SMALL))


@pytest.fixture(scope="module")
def tiny_server(start_emulator):
    return start_emulator(audit_fixture(TINY))


def _reset(server):
    server.restore_defaults()
    yield server
    server.restore_defaults()


@pytest.fixture
def small(small_server):
    """The 120 backups' emulator, reset to its fixture before and after each test."""
    yield from _reset(small_server)


@pytest.fixture
def tiny(tiny_server):
    """The 12 backups' emulator, reset to its fixture before and after each test."""
    yield from _reset(tiny_server)


def login(emulator, project_id=OWNER, name="eu-de_source"):
    return {
        "auth_url": emulator.url + "/v3",
        "username": name,
        "password": name + "-pass",
        "domain_name": "acme",
        "project_id": project_id,
    }


def test_owner_audit_reports_every_backup_and_member_once_with_flags(big, run_module):
    big.clear_log()
    options = dict(login(big), expected_projects=RECIPIENTS, pending_older_than="30d", workers=8)
    audit = run_module("cbr_shared_backup_info", options, check_mode=True)
    assert audit["changed"] is False and not audit.get("failed"), audit
    ids = [b["id"] for b in audit["backups"]]
    assert len(ids) == BACKUPS and len(set(ids)) == BACKUPS
    assert ids == [backup_id(n) for n in range(BACKUPS)]  # sorted by name, then id
    reported = {(b["id"], m["dest_project_id"]): m for b in audit["backups"] for m in b["members"]}
    planned = planned_members(BACKUPS)
    assert sum(len(b["members"]) for b in audit["backups"]) == len(planned) == len(reported)
    assert {key: m["status"] for key, m in reported.items()} == {key: value[0] for key, value in planned.items()}
    for (backup, project), member in reported.items():
        status, created = planned[(backup, project)]
        wanted = (["unexpected_project"] if project == STRANGER else []) + (
            ["pending_too_long"] if status == "pending" and created == OLD else []
        )
        assert member["flags"] == wanted, (backup, project)
    summary = audit["summary"]
    assert summary["backups"] == BACKUPS and summary["shared_backups"] == 800 and summary["errors"] == 0
    assert summary["by_status"] == dict(collections.Counter(value[0] for value in planned.values()))
    assert len(summary["flagged"]) == sum(1 for b in audit["backups"] for m in b["members"] if m["flags"])
    lists = [e for e in big.requests() if e["path"].endswith("/backups")]
    # Two pages by marker in a stable order (oldest first): the second starts after the first page's last id.
    # Every backup has the same created_at here, so the order is by id: the second page follows the 1000th.
    assert [e["query"].get("marker") for e in lists] == [None, backup_id(999)]
    assert {e["query"]["sort"] for e in lists} == {"created_at:asc,id:asc"}
    assert len([e for e in big.requests() if e["path"].endswith("/members")]) == BACKUPS
    assert big.writes() == []


def test_owner_audit_of_one_vault_and_one_status(small, run_module):
    audit = run_module(
        "cbr_shared_backup_info", dict(login(small), vault_id=VAULTS[1], member_status="accepted", workers=16)
    )
    assert len(audit["backups"]) == SMALL // 2
    assert all(b["vault_id"] == VAULTS[1] for b in audit["backups"])
    assert set(audit["summary"]["by_status"].items()) >= {("pending", 0), ("rejected", 0)}
    planned = planned_members(SMALL)
    wanted = sum(1 for key, value in planned.items() if value[0] == "accepted" and int(key[0][-12:]) % 2 == 1)
    assert audit["summary"]["members"] == wanted


def test_receiver_view_lists_exactly_what_was_shared_with_it(small, run_module):
    project = RECIPIENTS[1]
    receiver = dict(login(small, project, "eu-de_r1"), shared_with_me=True)
    every = run_module("cbr_shared_backup_info", dict(receiver, expected_projects=[OWNER]))
    pending = run_module("cbr_shared_backup_info", dict(receiver, member_status="pending"))
    planned = {key[0]: value[0] for key, value in planned_members(SMALL).items() if key[1] == project}
    assert {b["id"]: b["member_status"] for b in every["backups"]} == planned
    assert all(b["project_id"] == OWNER and b["flags"] == [] for b in every["backups"])
    assert sorted(b["id"] for b in pending["backups"]) == sorted(b for b, s in planned.items() if s == "pending")
    assert every["summary"]["members"] == len(planned) and every["summary"]["flagged"] == []
    # Only the receiving project's documented read (docs/api_notes.md §recipient.reads): the shared list by status,
    # every page.
    assert small.profile == "strict"
    backup_reads = [e for e in small.requests() if "/backups" in e["path"]]
    assert {(e["method"], e["path"], e["query"]["own_type"]) for e in backup_reads} == {
        ("GET", "/v3/%s/backups" % project, "shared")
    }
    assert sorted({e["query"]["member_status"] for e in backup_reads}) == ["accepted", "pending", "rejected"]
    # Besides: its own vaults (names) and IAM's project list, nothing else.
    assert {e["path"] for e in small.requests() if "/backups" not in e["path"]} <= {
        "/v3/%s/vaults" % project,
        "/v3/auth/projects",
    }


@pytest.mark.parametrize(
    "options, option",
    [
        ({"pending_older_than": "a week"}, "pending_older_than"),
        ({"workers": 0}, "workers"),
        ({"shared_with_me": True, "pending_older_than": "7d"}, "pending_older_than"),
        ({"expected_projects": ["nope"]}, "expected_projects"),
    ],
)
def test_bad_audit_options_fail_before_any_request(small, run_module, options, option):
    failed = run_module("cbr_shared_backup_info", dict(login(small), **options))
    assert failed["failed"] is True and option in failed["msg"]
    assert small.requests(api_only=False) == []


def test_the_audit_playbook_fails_the_job_only_when_something_is_flagged(tiny, run_playbook):
    def run(expected):
        extra = {
            "sharing_audit_auth": login(tiny),
            "sharing_audit_expected_projects": expected,
            "sharing_audit_pending_older_than": "100000d",
        }
        return run_playbook(PLAYBOOK, extra_vars=extra)

    flagged = run(RECIPIENTS)
    assert flagged.rc != 0 and "Flagged shares" in flagged.stdout and STRANGER in flagged.stdout
    assert "server-0007" in flagged.stdout and "unexpected_project" in flagged.stdout
    clean = run(RECIPIENTS + [STRANGER])
    assert clean.rc == 0, clean.stdout
    assert "Nothing flagged." in clean.stdout and "12 backups, 8 shared" in clean.stdout


def token_auth(emulator):
    """A token of the owner, given as is (no password to log in again with), as cbr_auth hands it on."""
    answer = requests.post(
        emulator.url + "/v3/auth/tokens",
        json={
            "auth": {
                "identity": {
                    "methods": ["password"],
                    "password": {
                        "user": {"name": "eu-de_source", "password": "eu-de_source-pass", "domain": {"name": "acme"}}
                    },
                },
                "scope": {"project": {"id": OWNER}},
            }
        },
        timeout=10,
    )
    return {"token": answer.headers["X-Subject-Token"], "project_id": OWNER, "endpoint": emulator.url}


def aksk_auth(emulator):
    return {
        "access_key": AUDIT_AK,
        "secret_key": "audit-secret-key-0001",
        "project_id": OWNER,
        "endpoint": emulator.url,
    }


LOCKED_KEY = {
    "error_code": "APIG.0301",
    "error_msg": "Incorrect IAM authentication information: the access key is locked",
}


def break_reads(emulator, cause, first=30, backups=SMALL):
    """Mid-audit: the token expires at backup `first`'s member read (30), or member reads of that backup and up
    answer 'key locked'."""
    if cause == "token expires":
        emulator.add_fault(method="GET", path=backup_id(first) + "/members$", expire_tokens=True)
    else:
        later = "|".join(backup_id(number) for number in range(first, backups))
        emulator.add_fault(method="GET", path="(%s)/members$" % later, status=401, body=LOCKED_KEY, count=100000)


@pytest.mark.parametrize("cause, auth", [("token expires", token_auth), ("key locked", aksk_auth)])
def test_an_audit_that_cannot_read_fails_and_stops_reading(small, run_module, cause, auth):
    options = dict(auth(small), workers=4)
    break_reads(small, cause)
    result = run_module("cbr_shared_backup_info", options)
    assert result["failed"] is True and result["status_code"] == 401, result
    assert "Failed to list share members of backup" in result["msg"] and "flagged" not in result
    # The reads not started yet when the first one failed are not made.
    reads = [e for e in small.requests() if e["path"].endswith("/members")]
    assert len(reads) < SMALL - 10 and len([e for e in reads if e["status"] == 401]) <= 2 * 4 + 2


@pytest.mark.parametrize("cause, auth", [("token expires", token_auth), ("key locked", aksk_auth)])
def test_on_read_error_report_counts_the_unreadable_backups(small, run_module, cause, auth):
    break_reads(small, cause)
    result = run_module("cbr_shared_backup_info", dict(auth(small), workers=1, on_read_error="report"))
    refused = [e for e in small.requests() if e["path"].endswith("/members") and e["status"] == 401]
    assert not result.get("failed") and result["summary"]["errors"] == len(refused) > 0
    unreadable = [b for b in result["backups"] if "error" in b]
    assert len(unreadable) == len(refused) and all("APIG.0301" in b["error"] for b in unreadable)
    assert result["summary"]["backups"] == SMALL


def test_a_backup_deleted_during_the_audit_is_left_out_not_an_error(small, run_module):
    small.add_fault(
        method="GET",
        path=backup_id(5) + "/members$",
        status=404,
        body={"error_code": "BackupService.6200", "error_msg": "The backup does not exist."},
    )
    small.add_fault(
        method="GET",
        path=backup_id(6) + "/members$",
        status=401,
        body={"unauthorized": {"code": "401", "message": "Malformed request url"}},
    )
    result = run_module("cbr_shared_backup_info", dict(login(small), workers=4))
    assert not result.get("failed"), result
    assert result["summary"]["vanished"] == 2 and result["summary"]["errors"] == 0
    assert {backup_id(5), backup_id(6)}.isdisjoint(b["id"] for b in result["backups"])
    assert result["summary"]["backups"] == SMALL - 2


@pytest.mark.parametrize("cause, auth", [("token expires", token_auth), ("key locked", aksk_auth)])
def test_the_audit_playbook_fails_when_backups_could_not_be_read(tiny, run_playbook, cause, auth):
    break_reads(tiny, cause, first=3, backups=TINY)
    result = run_playbook(
        PLAYBOOK,
        extra_vars={
            "sharing_audit_auth": auth(tiny),
            "sharing_audit_expected_projects": RECIPIENTS + [STRANGER],
            "sharing_audit_pending_older_than": "100000d",
            "sharing_audit_workers": 8,
        },
    )
    assert result.rc != 0, result.output
    assert "backups could not be read, so the audit is incomplete" in result.stdout
    assert "Nothing flagged." not in result.stdout
    assert "audit-secret-key-0001" not in result.output
