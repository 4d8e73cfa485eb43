# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role's controller-side read: which backups it returns, and which requests it needs for that."""

import threading

from ansible_collections.cloudops.cbr.plugins.action import share_and_accept_read
from ansible_collections.cloudops.cbr.plugins.action.share_and_accept_read import (
    read_owner,
    read_recipients,
    recipients_failure,
)

B1, B2, B3 = ("a5200000-0000-4000-8000-00000000000%d" % n for n in (1, 2, 3))


class FakeClient:
    def __init__(self, backups):
        self.backups = backups
        self.calls = []

    def list_backups(self, filters=None, limit=None):
        self.calls.append(("list_backups", filters))
        return [dict(b) for b in self.backups]

    def list_members(self, backup_id):
        self.calls.append(("list_members", backup_id))
        return [{"dest_project_id": "p-" + backup_id[-1], "status": "pending"}]


def params(**values):
    return dict(dict(backup_ids=[], members=True, workers=1), **values)


def test_backups_by_id_come_in_the_given_order_from_one_listing_with_their_members():
    client = FakeClient([{"id": B1}, {"id": B2}, {"id": B3}])
    backups, missing = read_owner(client, params(backup_ids=[B3, B1, B3]), None, (None, None))
    assert [b["id"] for b in backups] == [B3, B1] and missing == []
    assert backups[0]["members"] == [{"dest_project_id": "p-3", "status": "pending"}]
    assert client.calls == [("list_backups", {"own_type": "private"}), ("list_members", B3), ("list_members", B1)]


def test_ids_the_owner_does_not_have_are_missing():
    backups, missing = read_owner(
        FakeClient([{"id": B1}]), params(backup_ids=[B1, B2], members=False), None, (None, None)
    )
    assert [b["id"] for b in backups] == [B1] and missing == [B2]


def test_ids_and_a_selection_of_own_backups_need_one_listing():
    client = FakeClient(
        [{"id": B1, "status": "available"}, {"id": B2, "status": "error"}, {"id": B3, "status": "available"}]
    )
    selection = dict(
        own_type="private",
        member_status=None,
        vault_id=None,
        name=None,
        resource_type=None,
        resource_name=None,
        resource_ids=None,
        status=["available"],
        image_types=["backup"],
        newest_per_resource=None,
        limit=None,
    )
    backups, missing = read_owner(client, params(backup_ids=[B2], members=False), selection, (None, None))
    assert [b["id"] for b in backups] == [B2, B1, B3] and missing == []
    assert client.calls == [("list_backups", {"own_type": "private"})]


# -- every recipient in one task


DR, GOLDEN = "0" * 31 + "2", "0" * 31 + "3"


def test_recipients_are_read_at_once_each_with_its_own_credentials(monkeypatch):
    started, release, seen = [], threading.Event(), []

    def fake_read_project(auth, params, *_args, **_kwargs):
        started.append(auth["username"])
        if len(started) == 2:
            release.set()
        assert release.wait(5), "the second recipient was not read while the first one was"
        seen.append(auth)
        return dict(auth=auth, project_id=auth["project_id"], vaults=[]), None

    monkeypatch.setattr(share_and_accept_read, "read_project", fake_read_project)
    recipients = [
        {"project_id": DR, "auth": {"username": "dr", "password": "p1", "project_id": DR}},
        {"project_id": GOLDEN, "auth": {"username": "golden", "password": "p2", "project_id": GOLDEN}},
    ]
    outcomes = read_recipients(recipients, dict(params(), vaults=True, workers=8))
    assert [read["item"] for read, _failure in outcomes] == [{"project_id": DR}, {"project_id": GOLDEN}]
    assert sorted(a["username"] for a in seen) == ["dr", "golden"]
    assert all(read["auth"]["username"] == r["auth"]["username"] for (read, _error), r in zip(outcomes, recipients))


def test_every_recipient_that_cannot_be_read_is_named_with_the_first_api_facts(monkeypatch):
    def fake_read_project(auth, params, *_args, **_kwargs):
        if auth["username"] == "dr":
            return {}, dict(msg="logging in: 401 wrong password", status_code=401, request_id="r1")
        return dict(project_id=GOLDEN, vaults=[]), None

    monkeypatch.setattr(share_and_accept_read, "read_project", fake_read_project)
    recipients = [
        {"project_id": DR, "auth": {"username": "dr", "password": "p"}},
        {"project_id": GOLDEN, "auth": {"usernme": "golden"}},
        {"project_id": "0" * 31 + "4", "auth": {"username": "other", "password": "p"}},
    ]
    failure = recipients_failure(recipients, read_recipients(recipients, dict(params(), vaults=True)))
    assert failure["msg"].startswith(
        "recipient %s: logging in: 401 wrong password; recipient %s: auth: " % (DR, GOLDEN)
    )
    assert "usernme" in failure["msg"] and "0" * 31 + "4" not in failure["msg"]
    assert (failure["status_code"], failure["request_id"]) == (401, "r1")
    assert recipients_failure(recipients[2:], read_recipients(recipients[2:], params())) is None
