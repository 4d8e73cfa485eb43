# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""cbr_backup_share (legacy VBS v2 sharing) run in-process through real HTTP against the emulator's VBS listener."""

import pytest

from demo_ids import CUSTOMER, DR, GOLDEN, OWNER  # pylint: disable=import-error

BACKUP = "a5200000-0000-4000-8000-000000000003"
MODULE = "cloudops.cbr.cbr_backup_share"


class Results(list):
    @property
    def results(self):
        return self


@pytest.fixture
def play(run_module):
    """play(tasks, defaults, check=False, diff=False): each {MODULE: options} task run in this process, in order."""

    def run(tasks, defaults=None, check=False, diff=False):
        return Results(
            run_module(name.rsplit(".", 1)[1], dict(defaults or {}, **options), check_mode=check, diff=diff)
            for task in tasks
            for name, options in task.items()
        )

    return run


def owner_auth(emulator):
    return {
        "auth_url": emulator.url + "/v3",
        "username": "ops-source",
        "password": "source-pass",
        "domain_name": "acme",
        "project_id": OWNER,
    }


def share(**options):
    return {MODULE: dict({"backup_id": BACKUP}, **options)}


def shared_with(emulator):
    return sorted(s["to_project_id"] for s in emulator.state.shares.values())


def writes(emulator):
    return [(e["method"], e["path"].rsplit("/", 1)[-1], e["query"]) for e in emulator.writes()]


def test_share_rerun_add_remove_purge(emulator, play):
    result = play(
        [
            share(to_project_ids=[DR, GOLDEN]),
            share(to_project_ids=[DR, GOLDEN]),
            share(to_project_ids=[DR, GOLDEN, CUSTOMER]),
        ],
        diff=True,
        defaults=owner_auth(emulator),
    )
    first, rerun, third = result.results
    assert first["changed"] is True and first["created"] == sorted([DR, GOLDEN])
    assert sorted(s["to_project_id"] for s in first["shares"]) == sorted([DR, GOLDEN])
    assert all(s["from_project_id"] == OWNER and s["backup_id"] == BACKUP for s in first["shares"])
    assert rerun["changed"] is False and rerun["created"] == [] and rerun["cancelled"] == []
    assert third["created"] == [CUSTOMER]
    assert third["diff"] == {
        "before": {"to_project_ids": sorted([DR, GOLDEN])},
        "after": {"to_project_ids": sorted([DR, GOLDEN, CUSTOMER])},
    }
    assert [(w[0], w[2]) for w in writes(emulator)] == [("POST", {}), ("POST", {})]
    assert all(e["path"] == "/v2/%s/os-vendor-backup-sharing" % OWNER for e in emulator.writes())
    ids_before = {s["to_project_id"]: s["id"] for s in emulator.state.shares.values()}

    emulator.clear_log()
    result = play(
        [share(to_project_ids=[GOLDEN], state="absent"), share(to_project_ids=[DR], purge=True)],
        defaults=owner_auth(emulator),
    )
    removed, purged = result.results
    assert removed["cancelled"] == [GOLDEN] and removed["cancelled_all"] is False
    assert purged["cancelled"] == [CUSTOMER]
    assert writes(emulator) == [("DELETE", ids_before[GOLDEN], {}), ("DELETE", ids_before[CUSTOMER], {})]
    assert shared_with(emulator) == [DR]
    assert [s["id"] for s in emulator.state.shares.values()] == [ids_before[DR]]


def test_check_mode_sends_no_write(emulator, play):
    result = play([share(to_project_ids=[DR]), share(state="absent")], check=True, defaults=owner_auth(emulator))
    would_share, nothing_to_cancel = result.results
    assert would_share["changed"] is True and would_share["created"] == [DR]
    assert nothing_to_cancel["changed"] is False
    assert emulator.writes() == [] and shared_with(emulator) == []


def test_absent_without_projects_cancels_all_in_one_call_and_says_so(emulator, play):
    result = play(
        [share(to_project_ids=[DR, GOLDEN]), share(state="absent"), share(state="absent")],
        defaults=owner_auth(emulator),
    )
    cancelled, again = result.results[1:]
    assert cancelled["changed"] is True and cancelled["cancelled_all"] is True
    assert cancelled["cancelled"] == sorted([DR, GOLDEN]) and cancelled["shares"] == []
    assert again["changed"] is False and again["cancelled_all"] is False
    assert writes(emulator)[1:] == [("DELETE", BACKUP, {"is_backup_id": "true"})]
    assert shared_with(emulator) == []


def test_a_missing_backup_fails_with_the_api_code(emulator, play):
    result = play(
        [share(backup_id="a5200000-0000-4000-8000-00000000ffff", to_project_ids=[DR])], defaults=owner_auth(emulator)
    )
    assert result[0]["failed"] is True and "VolumeBackup.0004" in result[0]["msg"]
    assert result[0]["status_code"] == 404


def test_bad_input_fails_before_any_request(emulator, play):
    result = play(
        [
            share(to_project_ids=[OWNER]),
            share(to_project_ids=["not-a-project"]),
            share(to_project_ids=[]),
            share(),
            share(state="absent", purge=True),
        ],
        defaults=owner_auth(emulator),
    )
    own, malformed, empty, missing, purge = result.results
    assert "must not contain the backup's own project" in own["msg"]
    assert "to_project_ids must be a project id" in malformed["msg"]
    assert "to_project_ids must not be empty" in empty["msg"]
    assert "to_project_ids" in missing["msg"]
    assert "purge only applies to state=present" in purge["msg"]
    assert emulator.requests(api_only=False) == []


def test_endpoint_comes_from_the_vbs_catalog_entry(emulator, play):
    result = play([share(to_project_ids=[DR])], defaults=owner_auth(emulator))
    assert result[0]["changed"] is True
    assert {e["path"].split("/")[1] for e in emulator.requests()} == {"v2"}
    assert {e["listener"] for e in emulator.requests()} == {"vbs"}  # VBS's own address, not CBR's


def test_cancelled_shares_listed_with_deleted_true_do_not_count(emulator, play):
    """Strict profile: a cancelled share stays in detail with deleted "true" (docs/api_notes.md §vbs.deleted)."""
    result = play(
        [
            share(to_project_ids=[DR, GOLDEN]),
            share(to_project_ids=[GOLDEN], state="absent"),
            share(to_project_ids=[DR, GOLDEN]),
            share(to_project_ids=[DR, GOLDEN]),
        ],
        defaults=owner_auth(emulator),
    )
    _first, cancelled, again, rerun = result.results
    listed = [e for e in emulator.requests() if e["path"].endswith("/detail")]
    assert emulator.profile == "strict" and listed
    assert cancelled["cancelled"] == [GOLDEN]
    assert again["created"] == [GOLDEN] and [
        s["to_project_id"] for s in again["shares"] if s["to_project_id"] == GOLDEN
    ]
    assert all(s.get("deleted") in ("false", None, False) for s in again["shares"])
    assert rerun["changed"] is False
