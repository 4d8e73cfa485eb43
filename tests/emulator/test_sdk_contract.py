# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator against the official client: huaweicloudsdkcbr 3.1.219 signs with AK/SK, sends its own
requests and parses the answers into its models. Nothing here uses the collection's code."""

import huaweicloudsdkcbr.v1 as cbr_sdk
import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkcore.http.http_config import HttpConfig

from demo_ids import DB, DR, DR_VAULT, GOLDEN, OWNER, WEB  # pylint: disable=import-error

ACCESS_KEYS = {
    OWNER: ("AKSOURCE0000000000001", "source-secret-key-0001"),
    DR: ("AKDR00000000000000001", "dr-secret-key-0001"),
    GOLDEN: ("AKGOLDEN0000000000001", "golden-secret-key-0001"),
}


def sdk_client(emulator, project_id):
    """The official client, AK/SK of the project, pointed at the emulator's CBR address."""
    access_key, secret_key = ACCESS_KEYS[project_id]
    config = HttpConfig.get_default_config()
    config.retry_times = 0
    return (
        cbr_sdk.CbrClient.new_builder()
        .with_http_config(config)
        .with_credentials(BasicCredentials(access_key, secret_key, project_id))
        .with_endpoints([emulator.url])
        .build()
    )


@pytest.fixture
def owner_sdk(emulator):
    emulator.set_profile("strict")
    return sdk_client(emulator, OWNER)


def test_add_member_sends_the_sdk_body_and_parses_members(emulator, owner_sdk):
    request = cbr_sdk.AddMemberRequest(backup_id=WEB, body=cbr_sdk.AddMembersReq(members=[DR, GOLDEN]))
    response = owner_sdk.add_member(request)
    assert response.status_code == 200
    assert sorted(m.dest_project_id for m in response.members) == sorted([DR, GOLDEN])
    assert {m.status for m in response.members} == {"pending"} and all(m.id for m in response.members)
    entry = emulator.requests()[-1]
    assert (entry["method"], entry["path"], entry["identity"], entry["auth_type"]) == (
        "POST",
        "/v3/%s/backups/%s/members" % (OWNER, WEB),
        "AKSOURCE0000000000001",
        "aksk",
    )


def test_show_members_detail_pages_filters_and_counts(owner_sdk):
    owner_sdk.add_member(cbr_sdk.AddMemberRequest(backup_id=WEB, body=cbr_sdk.AddMembersReq(members=[DR, GOLDEN])))
    page = owner_sdk.show_members_detail(
        cbr_sdk.ShowMembersDetailRequest(backup_id=WEB, limit=1, sort="created_at:asc")
    )
    assert page.count == 2 and [m.dest_project_id for m in page.members] == [DR]
    rest = owner_sdk.show_members_detail(
        cbr_sdk.ShowMembersDetailRequest(backup_id=WEB, marker=page.members[0].id, sort="created_at:asc")
    )
    assert [m.dest_project_id for m in rest.members] == [GOLDEN]
    only = owner_sdk.show_members_detail(
        cbr_sdk.ShowMembersDetailRequest(backup_id=WEB, dest_project_id=GOLDEN, status="pending")
    )
    assert only.count == 1 and only.members[0].backup_id == WEB


def test_recipient_finds_accepts_and_the_owner_removes(emulator, owner_sdk):
    owner_sdk.add_member(cbr_sdk.AddMemberRequest(backup_id=WEB, body=cbr_sdk.AddMembersReq(members=[DR])))
    dr_sdk = sdk_client(emulator, DR)
    shared = dr_sdk.list_backups(cbr_sdk.ListBackupsRequest(own_type="shared", member_status="pending"))
    assert [b.id for b in shared.backups] == [WEB] and shared.count == 1 and shared.backups[0].project_id == OWNER
    accepted = dr_sdk.update_member_status(
        cbr_sdk.UpdateMemberStatusRequest(
            backup_id=WEB, member_id=DR, body=cbr_sdk.UpdateMember(status="accepted", vault_id=DR_VAULT)
        )
    )
    assert (accepted.member.status, accepted.member.vault_id, accepted.member.dest_project_id) == (
        "accepted",
        DR_VAULT,
        DR,
    )
    assert accepted.member.updated_at
    assert dr_sdk.list_backups(cbr_sdk.ListBackupsRequest(own_type="shared", member_status="pending")).count == 0
    deleted = owner_sdk.delete_member(cbr_sdk.DeleteMemberRequest(backup_id=WEB, member_id=DR))
    assert deleted.status_code == 204
    assert owner_sdk.show_members_detail(cbr_sdk.ShowMembersDetailRequest(backup_id=WEB)).count == 0
    assert [e["identity"] for e in emulator.writes()] == [
        "AKSOURCE0000000000001",
        "AKDR00000000000000001",
        "AKSOURCE0000000000001",
    ]


def test_list_backups_parses_every_backup_field(owner_sdk):
    listed = owner_sdk.list_backups(cbr_sdk.ListBackupsRequest(limit=2, offset=0))
    assert listed.count == 5 and listed.limit == 2 and listed.offset == 0 and len(listed.backups) == 2
    backup = listed.backups[0]
    assert backup.resource_type == "OS::Nova::Server" and backup.created_at and backup.extend_info is not None
    assert backup.vault_id and backup.project_id == OWNER and backup.id in (WEB, DB)


def test_list_backups_takes_the_sort_marker_and_image_type_the_client_sends(emulator, owner_sdk):
    """The parameters cbr_backup_info sends (sort, marker, image_type) as the SDK's ListBackupsRequest names them."""
    emulator.state.backups[WEB]["image_type"] = "replication"
    order = "created_at:asc,id:asc"
    first = owner_sdk.list_backups(cbr_sdk.ListBackupsRequest(limit=2, sort=order, image_type="backup"))
    rest = owner_sdk.list_backups(
        cbr_sdk.ListBackupsRequest(limit=1000, sort=order, image_type="backup", marker=first.backups[-1].id)
    )
    ids = [b.id for b in first.backups + rest.backups]
    assert len(ids) == len(set(ids)) == 4 and WEB not in ids
    assert all(b.image_type == "backup" for b in first.backups + rest.backups)
    queries = [e["query"] for e in emulator.requests()]
    assert queries[1] == {"limit": "1000", "sort": order, "image_type": "backup", "marker": first.backups[-1].id}


@pytest.mark.parametrize(
    "recipient_lists, status, code",
    [
        (True, 404, "BackupService.6200"),
        (False, 400, "BackupService.6703"),
    ],
)
def test_refusals_parse_into_the_sdk_exception(emulator, owner_sdk, recipient_lists, status, code):
    add = cbr_sdk.AddMemberRequest(backup_id=WEB, body=cbr_sdk.AddMembersReq(members=[DR]))
    owner_sdk.add_member(add)
    with pytest.raises(ClientRequestException) as refused:
        if recipient_lists:
            sdk_client(emulator, DR).show_members_detail(cbr_sdk.ShowMembersDetailRequest(backup_id=WEB))
        else:
            owner_sdk.add_member(add)
    assert (refused.value.status_code, refused.value.error_code) == (status, code)
    assert refused.value.error_msg and refused.value.request_id


def test_the_sdk_sees_the_rate_limit_as_429(emulator, owner_sdk):
    """urllib3 under the SDK has 429 in its retry status list: it raises before the SDK reads the body,
    so the SDK reports the status only (not the APIG.0308 code)."""
    emulator.emulator.limiter.clock = lambda: 0.0
    emulator.set_rate_limit(1)
    owner_sdk.list_backups(cbr_sdk.ListBackupsRequest())
    with pytest.raises(ClientRequestException) as refused:
        owner_sdk.list_backups(cbr_sdk.ListBackupsRequest())
    assert refused.value.status_code == 429
    statuses = [e["status"] for e in emulator.requests()]
    assert statuses == [200, 429]  # retry_times=0: one refusal, no retry
