# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The role's controller-side read: which backups it returns, and which requests it needs for that."""

from ansible_collections.cloudops.cbr.plugins.action.share_and_accept_read import read_owner

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
