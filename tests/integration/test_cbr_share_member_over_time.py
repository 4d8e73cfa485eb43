# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""cbr_share_member over time, in-process against the emulator: the rolling window, expiry and waiting for a
backup still being made; checked against the request log (the emulator's clock moves with POST /age)."""

import pytest

from ansible_collections.cloudops.cbr.plugins.module_utils import _http
from demo_ids import CUSTOMER, DB, DR, DR_VAULT, GOLDEN, OWNER, PROTECTING, WEB, password_auth  # noqa: I001

DAY = 86400
SERVERS = ("5e7c0000-0000-4000-8000-000000000001", "5e7c0000-0000-4000-8000-000000000002")


@pytest.fixture
def share(emulator, run_module):
    def run(check_mode=False, **options):
        return run_module("cbr_share_member", dict(password_auth(emulator.url, OWNER), **options), check_mode, True)

    return run


@pytest.fixture
def sleeps(monkeypatch):
    waits = []
    monkeypatch.setattr(_http, "sleep", waits.append)
    return waits


def writes(emulator):
    """(method, backup_id, project ids) of every write, in order."""
    found = []
    for entry in emulator.writes():
        parts = entry["path"].split("/")
        found.append((entry["method"], parts[4], parts[6] if len(parts) > 6 else None))
    return found


def nightly(emulator):
    """A policy's backup of each server, made now: {server: backup_id}."""
    return dict(
        (server, emulator.add_backup(OWNER, resource_id=server, name="nightly-" + server[-2:])["id"])
        for server in SERVERS
    )


@pytest.fixture
def seven_nights(emulator):
    """7 nightly backups of 2 servers, every one of them shared with DR when it was made (shares only grow), the
    oldest also with the golden project by hand. Returns each server's backups, newest first."""
    made = dict((server, []) for server in SERVERS)
    for _night in range(7):
        for server, backup_id in nightly(emulator).items():
            made[server].insert(0, backup_id)
            emulator.seed_member(backup_id, DR, status="accepted", vault_id=DR_VAULT)
        emulator.age(DAY)
    emulator.seed_member(made[SERVERS[0]][-1], GOLDEN)
    emulator.clear_log()
    return made


WINDOW = dict(
    selection=dict(resource_ids=list(SERVERS), newest_per_resource=3),
    rolling_window=True,
    dest_project_ids=[DR],
)


def test_rolling_window_keeps_exactly_the_newest_three_shared_night_after_night(emulator, share, seven_nights):
    fell_out = sorted(b for server in SERVERS for b in seven_nights[server][3:])
    plan = share(check_mode=True, **WINDOW)
    assert plan["changed"] is True and emulator.writes() == []
    planned = [b for b in plan["backups"] if b["removed"]]
    assert sorted(b["backup_id"] for b in planned) == fell_out and all(b["removed"] == [DR] for b in planned)
    assert planned[0]["removals"][0]["reason"].startswith("its backup is no longer among the selected backups")
    only_dr = seven_nights[SERVERS[1]][-1]  # the oldest of server 0 is also shared with GOLDEN
    assert plan["diff"]["after"][only_dr] == {"dest_project_ids": []}
    assert plan["diff"]["after"][seven_nights[SERVERS[0]][-1]] == {"dest_project_ids": [GOLDEN]}

    done = share(**WINDOW)
    assert sorted(writes(emulator)) == [("DELETE", b, DR) for b in fell_out]
    assert done["changed"] is True
    oldest = seven_nights[SERVERS[0]][-1]
    assert sorted(emulator.state.members[oldest]) == [GOLDEN]  # another project's share is left alone

    emulator.clear_log()
    assert share(**WINDOW)["changed"] is False and emulator.writes() == []

    # A night later: a new backup of each server, and retention deleted the oldest of each.
    emulator.age(DAY)
    new = nightly(emulator)
    for server in SERVERS:
        emulator.emulator.control("POST", "/backups/%s/delete" % seven_nights[server][-1], {})
    emulator.clear_log()
    share(**WINDOW)
    dropped = sorted(seven_nights[server][2] for server in SERVERS)
    assert sorted(writes(emulator)) == sorted(
        [("POST", new[server], None) for server in SERVERS] + [("DELETE", b, DR) for b in dropped]
    )
    emulator.clear_log()
    assert share(**WINDOW)["changed"] is False and emulator.writes() == []


def test_rolling_window_refuses_a_selection_that_matched_nothing_and_one_without_scope(emulator, share, seven_nights):
    nothing = share(**dict(WINDOW, selection=dict(resource_ids=list(SERVERS), created_after="1h")))
    assert nothing["failed"] and "matched no backup" in nothing["msg"] and "14 backups shared" in nothing["msg"]
    read = len(emulator.requests())  # the backup list and the members of the scope's backups
    unscoped = share(**dict(WINDOW, selection=dict(newest_per_resource=3)))
    assert unscoped["failed"] and "rolling_window needs selection.vault_id" in unscoped["msg"]
    assert emulator.writes() == [] and len(emulator.requests()) == read == 15


@pytest.fixture
def aged_shares(emulator):
    """Made 3 days ago: DR accepted and golden pending on WEB, the customer pending on DB; then DR pending on DB."""
    emulator.seed_member(WEB, DR, status="accepted", vault_id=DR_VAULT)
    emulator.seed_member(WEB, GOLDEN)
    emulator.seed_member(DB, CUSTOMER)
    emulator.age(3 * DAY)
    emulator.seed_member(DB, DR)
    emulator.clear_log()


def test_expiry_removes_the_old_pending_members_then_the_old_accepted_ones(emulator, share, aged_shares):
    stale = dict(backup_ids=[WEB, DB], dest_project_ids=[DR, GOLDEN, CUSTOMER], state="absent", pending_older_than="2d")
    plan = share(check_mode=True, **stale)
    assert emulator.writes() == [] and {b["backup_id"]: b["removed"] for b in plan["backups"]} == {
        WEB: [GOLDEN],
        DB: [CUSTOMER],
    }
    share(**stale)
    assert sorted(writes(emulator)) == sorted([("DELETE", WEB, GOLDEN), ("DELETE", DB, CUSTOMER)])
    emulator.clear_log()
    assert share(**stale)["changed"] is False and emulator.writes() == []

    expired = share(backup_ids=[WEB, DB], dest_project_ids=[DR], state="absent", older_than="2d")
    assert writes(emulator) == [("DELETE", WEB, DR)]  # DR's share of DB is fresh
    assert expired["backups"][0]["removals"] == [dict(dest_project_id=DR, reason="shared longer than older_than")]


def test_a_share_kept_by_the_task_but_expired_fails_before_any_write(emulator, share, aged_shares):
    result = share(backup_ids=[WEB, DB], dest_project_ids=[DR, GOLDEN], older_than="1d")
    assert result["failed"] and "backup %s is still selected to be shared with %s" % (WEB, DR) in result["msg"]
    assert emulator.writes() == []


def test_sharing_waits_for_a_backup_being_made(emulator, share, sleeps):
    backup = emulator.add_backup(OWNER, resource_id=SERVERS[0], status="protecting", available_after_reads=2)
    result = share(backup_id=backup["id"], dest_project_ids=[DR], backup_wait_timeout=60)
    assert result["changed"] is True and writes(emulator) == [("POST", backup["id"], None)]
    assert sleeps == [1.0, 2.0]
    gets = [e for e in emulator.requests() if e["path"].endswith(backup["id"])]
    assert len(gets) == 3  # read, then twice more until it was available


def test_a_backup_that_is_never_made_fails_clearly_and_nothing_is_written(emulator, share, sleeps):
    result = share(backup_ids=[WEB, PROTECTING], dest_project_ids=[DR], backup_wait_timeout=20)
    assert result["failed"] and result["msg"] == (
        "backup %s is still protecting after waiting 20 seconds (backup_wait_timeout): nothing was written" % PROTECTING
    )
    assert sleeps == [1.0, 2.0, 4.0, 8.0] and emulator.writes() == []


def test_a_selection_with_a_wait_counts_tonights_backup_being_made(emulator, share, sleeps):
    emulator.add_backup(OWNER, resource_id=SERVERS[0])
    emulator.age(DAY)
    tonight = emulator.add_backup(OWNER, resource_id=SERVERS[0], status="protecting", available_after_reads=2)
    emulator.clear_log()
    result = share(
        selection=dict(resource_ids=[SERVERS[0]], newest_per_resource=1),
        dest_project_ids=[DR],
        backup_wait_timeout=60,
    )
    assert [b["backup_id"] for b in result["backups"]] == [tonight["id"]]
    assert writes(emulator) == [("POST", tonight["id"], None)]
