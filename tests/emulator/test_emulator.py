# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator against the contract, with plain requests and the official Huawei SDK signer."""

import copy
import datetime
import os
import subprocess
import sys
import time

import pytest
import requests

from demo_ids import (  # pylint: disable=import-error
    CUSTOMER,
    CUSTOMER_DISK_VAULT,
    CUSTOMER_FROZEN_VAULT,
    CUSTOMER_FULL_VAULT,
    CUSTOMER_VAULT,
    DISK_BACKUP,
    DR,
    DR_VAULT,
    ENCRYPTED,
    GOLDEN,
    OWNER,
    PROTECTING,
    USERS,
    WEB,
)


def login(emulator, project_id, password=None, scope=None):
    user, right_password = USERS[project_id]
    body = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {"name": user, "password": password or right_password, "domain": {"name": "acme"}}
                },
            },
            "scope": {"project": scope or {"id": project_id}},
        }
    }
    return requests.post(emulator.url + "/v3/auth/tokens", json=body, timeout=5)


class Api:
    """Plain HTTP calls as one project, with its token."""

    def __init__(self, emulator, project_id):
        self.base = "%s/v3/%s" % (emulator.url, project_id)
        self.v2 = "%s/v2/%s/os-vendor-backup-sharing" % (emulator.vbs_url, project_id)
        self.headers = {"X-Auth-Token": login(emulator, project_id).headers["X-Subject-Token"]}

    def __call__(self, method, url, **kwargs):
        return requests.request(method, url, headers=self.headers, timeout=5, **kwargs)

    def add(self, backup_id, *projects):
        return self("POST", "%s/backups/%s/members" % (self.base, backup_id), json={"members": list(projects)})

    def members(self, backup_id, **params):
        return self("GET", "%s/backups/%s/members" % (self.base, backup_id), params=params)

    def member(self, method, backup_id, member_id, **kwargs):
        return self(method, "%s/backups/%s/members/%s" % (self.base, backup_id, member_id), **kwargs)


def error_code(response):
    return response.json()["error_code"]


@pytest.fixture
def owner(emulator):
    return Api(emulator, OWNER)


@pytest.fixture(autouse=True)
def _strict_unless_a_test_says_otherwise(request):
    """These tests state the strict default, whatever CBR_EMULATOR_PROFILE the run uses."""
    if "emulator" in request.fixturenames:
        request.getfixturevalue("emulator").set_profile("strict")


# ------------------------------------------------------------------ IAM


def test_command_line_prints_its_base_url_first(tmp_path):
    script = os.path.join(os.path.dirname(__file__), "cbr_emulator.py")
    fixture = os.path.join(os.path.dirname(__file__), "fixtures", "demo.yml")
    process = subprocess.Popen(
        [sys.executable, script, "--port", "0", "--fixture", fixture], stdout=subprocess.PIPE, text=True
    )
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        assert requests.get(url + "/__emulator__/requests", timeout=5).json() == []
    finally:
        process.terminate()
        process.wait(10)


def test_token_by_project_id_has_a_catalog_pointing_at_the_emulator(emulator):
    response = login(emulator, OWNER)
    assert response.status_code == 201
    assert response.headers["X-Subject-Token"]
    token = response.json()["token"]
    assert token["project"]["id"] == OWNER
    assert datetime.datetime.strptime(token["expires_at"], "%Y-%m-%dT%H:%M:%S.%fZ")
    urls = {entry["type"]: entry["endpoints"][0]["url"] for entry in token["catalog"]}
    assert urls["cbr"] == "%s/v3/%s" % (emulator.url, OWNER)
    assert urls["vbsv2"] == "%s/v2/%s" % (emulator.vbs_url, OWNER)
    assert urls["volume-backup"] == "%s/v2/" % emulator.vbs_url
    assert emulator.vbs_url != emulator.url


def test_token_by_project_name_and_domain(emulator):
    response = login(emulator, DR, scope={"name": "eu-de_dr", "domain": {"name": "acme"}})
    assert response.status_code == 201
    assert response.json()["token"]["project"]["id"] == DR


def test_scope_by_project_name_needs_the_domain_in_strict(emulator):
    assert login(emulator, DR, scope={"name": "eu-de_dr"}).status_code == 401
    emulator.set_profile("lenient")
    assert login(emulator, DR, scope={"name": "eu-de_dr"}).status_code == 201


def test_auth_projects_takes_a_token_and_aksk_as_the_sdk_sends_it(emulator, owner):
    """The SDK signs KeystoneListAuthProjects with AK/SK (UNCONFIRMED["auth_projects_token_only"]): a project's
    own key lists that project; an unsigned request is refused."""
    path = "/v3/auth/projects"
    listed = owner("GET", emulator.url + path).json()["projects"]
    assert [p["id"] for p in listed] == [OWNER]
    url, headers = _sdk_signed(emulator, "GET", path, "AKSOURCE0000000000001", "source-secret-key-0001")
    assert [p["id"] for p in requests.get(url, headers=headers, timeout=5).json()["projects"]] == [OWNER]
    url, headers = _sdk_signed(emulator, "GET", path, "AKSOURCE0000000000001", "a-wrong-secret")
    assert requests.get(url, headers=headers, timeout=5).status_code == 401
    assert requests.get(emulator.url + path, timeout=5).status_code == 401


def test_wrong_password_is_401(emulator):
    response = login(emulator, OWNER, password="wrong")
    assert response.status_code == 401
    assert "X-Subject-Token" not in response.headers


def test_unknown_token_is_401(emulator):
    response = requests.get("%s/v3/%s/backups" % (emulator.url, OWNER), headers={"X-Auth-Token": "forged"}, timeout=5)
    assert response.status_code == 401
    assert error_code(response) == "APIG.0301"


def test_revoked_token_is_refused_as_expired(emulator, owner):
    requests.post(emulator.url + "/__emulator__/tokens/revoke", timeout=5)
    response = owner.members(WEB)
    assert response.status_code == 401
    assert "expired" in response.json()["error_msg"]


def test_another_projects_path_is_refused(emulator, owner):
    response = owner("GET", "%s/v3/%s/backups" % (emulator.url, DR))
    assert response.status_code == 403
    assert emulator.writes() == []


# ------------------------------------------------------------------ AK/SK


def _sdk_signed(
    emulator,
    method,
    path,
    access_key,
    secret_key,
    query=None,
    body="",
    project_id=OWNER,
    sdk_date=None,
    extra_headers=None,
):
    """Sign with the official huaweicloudsdkcore signer and return (url, headers) to send."""
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.sdk_request import SdkRequest
    from huaweicloudsdkcore.signer.signer import Signer

    headers = {
        "Content-Type": "application/json;charset=utf-8" if body else "application/json",
        "X-Project-Id": project_id,
        "User-Agent": "huaweicloud-usdk-python/3.0",
    }
    headers.update(extra_headers or {})
    if sdk_date:
        headers["X-Sdk-Date"] = sdk_date
    host = emulator.url.split("//", 1)[1]
    request = SdkRequest(
        method=method,
        schema="http",
        host=host,
        resource_path=path,
        query_params=list((query or {}).items()),
        header_params=headers,
        body=body,
    )
    Signer(BasicCredentials(access_key, secret_key)).sign(request)
    return "http://%s%s" % (host, request.uri), request.header_params


def test_requests_signed_by_the_official_sdk_are_accepted(emulator):
    url, headers = _sdk_signed(
        emulator,
        "GET",
        "/v3/%s/backups" % OWNER,
        "AKSOURCE0000000000001",
        "source-secret-key-0001",
        query={"limit": 2, "own_type": "private"},
    )
    response = requests.get(url, headers=headers, timeout=5)
    assert response.status_code == 200, response.text
    assert len(response.json()["backups"]) == 2
    assert emulator.requests()[-1]["auth_type"] == "aksk"


def test_sdk_signed_post_with_a_body_is_accepted(emulator):
    body = '{"members": ["%s"]}' % DR
    url, headers = _sdk_signed(
        emulator,
        "POST",
        "/v3/%s/backups/%s/members" % (OWNER, WEB),
        "AKSOURCE0000000000001",
        "source-secret-key-0001",
        body=body,
    )
    response = requests.post(url, headers=headers, data=body, timeout=5)
    assert response.status_code == 200, response.text


def test_a_tampered_signature_is_refused(emulator):
    url, headers = _sdk_signed(
        emulator, "GET", "/v3/%s/backups" % OWNER, "AKSOURCE0000000000001", "source-secret-key-0001"
    )
    headers["Authorization"] = headers["Authorization"][:-4] + "0000"
    response = requests.get(url, headers=headers, timeout=5)
    assert response.status_code == 401
    assert "signature" in response.json()["error_msg"]


def test_a_signature_for_another_path_is_refused(emulator):
    url, headers = _sdk_signed(
        emulator, "GET", "/v3/%s/backups" % OWNER, "AKSOURCE0000000000001", "source-secret-key-0001"
    )
    response = requests.get(url.replace("/backups", "/backups/%s" % WEB), headers=headers, timeout=5)
    assert response.status_code == 401


def test_a_stale_sdk_date_is_refused(emulator):
    stale = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=20)).strftime("%Y%m%dT%H%M%SZ")
    url, headers = _sdk_signed(
        emulator, "GET", "/v3/%s/backups" % OWNER, "AKSOURCE0000000000001", "source-secret-key-0001", sdk_date=stale
    )
    assert requests.get(url, headers=headers, timeout=5).status_code == 401


def test_temporary_credentials_need_their_security_token(emulator):
    path = "/v3/%s/backups" % OWNER
    url, headers = _sdk_signed(emulator, "GET", path, "AKSOURCETEMP000000001", "source-temp-secret-0001")
    assert requests.get(url, headers=headers, timeout=5).status_code == 401
    url, headers = _sdk_signed(
        emulator,
        "GET",
        path,
        "AKSOURCETEMP000000001",
        "source-temp-secret-0001",
        extra_headers={"X-Security-Token": "source-temp-security-token-0001"},
    )
    assert requests.get(url, headers=headers, timeout=5).status_code == 200


def test_aksk_of_one_project_cannot_reach_another(emulator):
    url, headers = _sdk_signed(
        emulator, "GET", "/v3/%s/backups" % DR, "AKSOURCE0000000000001", "source-secret-key-0001", project_id=OWNER
    )
    assert requests.get(url, headers=headers, timeout=5).status_code == 403


# ------------------------------------------------------------------ members: add


@pytest.mark.parametrize("profile, count", [("strict", None), ("lenient", 2)])
def test_add_members_answers_200_with_pending_members_and_the_total_only_when_lenient(emulator, owner, profile, count):
    emulator.set_profile(profile)
    response = owner.add(WEB, DR, GOLDEN)
    assert response.status_code == 200
    body = response.json()
    assert body.get("count") == count
    assert [m["status"] for m in body["members"]] == ["pending", "pending"]
    assert {m["dest_project_id"] for m in body["members"]} == {DR, GOLDEN}
    assert all("vault_id" not in m and "updated_at" not in m for m in body["members"])
    assert body["members"][0]["created_at"].endswith("+00:00")
    assert "X-Request-Id" in response.headers


@pytest.mark.parametrize(
    "backup_id, members, code",
    [
        (WEB, [OWNER], "BackupService.6704"),
        (WEB, ["ffffffffffffffffffffffffffffffff"], "BackupService.6704"),
        (WEB, ["not-a-project"], "BackupService.6704"),
        (WEB, [], "BackupService.9900"),
        (WEB, ["%032x" % n for n in range(11)], "BackupService.9900"),
        (DISK_BACKUP, [DR], "BackupService.6700"),
        (PROTECTING, [DR], "BackupService.6702"),
        (ENCRYPTED, [DR], "BackupService.6709"),
    ],
)
def test_add_members_is_refused_with_the_contract_codes(emulator, owner, backup_id, members, code):
    emulator.set_switches(disk_backups_refused=True)  # the OTC API reference's 6700 (no profile has it)
    response = owner.add(backup_id, *members)
    assert response.status_code == 400
    assert error_code(response) == code
    assert emulator.state.members.get(backup_id, {}) == {}


@pytest.mark.parametrize("profile, code", [("strict", "BackupService.6703"), ("lenient", "BackupService.6714")])
def test_adding_a_member_twice_is_refused_all_or_nothing(emulator, owner, profile, code):
    emulator.set_profile(profile)
    owner.add(WEB, DR)
    response = owner.add(WEB, GOLDEN, DR)
    assert (response.status_code, error_code(response)) == (400, code)
    assert [m["dest_project_id"] for m in owner.members(WEB).json()["members"]] == [DR]


def test_more_than_ten_share_projects_in_total_is_6701(emulator, owner):
    extra = ["%032x" % n for n in range(1, 10)]
    for project_id in extra:
        emulator.state.projects[project_id] = {"id": project_id, "name": project_id, "domain": "acme"}
    assert owner.add(WEB, *extra).status_code == 200
    assert owner.add(WEB, DR).status_code == 200
    response = owner.add(WEB, GOLDEN)
    assert error_code(response) == "BackupService.6701"
    assert owner.members(WEB).json()["count"] == 10


def test_a_recipient_cannot_add_or_remove_members(emulator, owner):
    owner.add(WEB, DR)
    dr = Api(emulator, DR)
    assert (
        error_code(dr("POST", "%s/backups/%s/members" % (dr.base, WEB), json={"members": [GOLDEN]}))
        == "BackupService.6707"
    )
    assert error_code(dr.member("DELETE", WEB, DR)) == "BackupService.6707"


# ------------------------------------------------------------------ members: list and show


def test_list_pages_by_limit_and_marker_and_counts_the_total(owner):
    owner.add(WEB, DR, GOLDEN, CUSTOMER)
    first = owner.members(WEB, limit=3).json()
    assert first["count"] == 3 and len(first["members"]) == 3
    second = owner.members(WEB, limit=3, marker=first["members"][-1]["id"]).json()
    ids = [m["dest_project_id"] for m in first["members"] + second["members"]]
    assert sorted(ids) == sorted([DR, GOLDEN, CUSTOMER])
    by_offset = owner.members(WEB, limit=2, offset=2).json()["members"]
    assert [m["dest_project_id"] for m in by_offset] == ids[2:]


def test_list_is_newest_first_by_default_and_sorts_on_request(owner):
    for project_id in (DR, GOLDEN, CUSTOMER):
        owner.add(WEB, project_id)
    newest_first = [m["dest_project_id"] for m in owner.members(WEB).json()["members"]]
    assert newest_first == [CUSTOMER, GOLDEN, DR]
    oldest_first = [m["dest_project_id"] for m in owner.members(WEB, sort="created_at:asc").json()["members"]]
    assert oldest_first == [DR, GOLDEN, CUSTOMER]


def test_list_filters_by_status_and_destination(emulator, owner):
    owner.add(WEB, DR, GOLDEN)
    Api(emulator, DR).member("PUT", WEB, DR, json={"status": "accepted", "vault_id": DR_VAULT})
    accepted = owner.members(WEB, status="accepted").json()
    assert [m["dest_project_id"] for m in accepted["members"]] == [DR] and accepted["count"] == 1
    assert owner.members(WEB, dest_project_id=GOLDEN).json()["members"][0]["status"] == "pending"
    assert owner.members(WEB, vault_id=DR_VAULT).json()["count"] == 1
    assert error_code(owner.members(WEB, status="bogus")) == "BackupService.9900"


def test_show_member_by_destination_project_and_404_6705(owner):
    owner.add(WEB, DR)
    assert owner.member("GET", WEB, DR).json()["member"]["dest_project_id"] == DR
    response = owner.member("GET", WEB, GOLDEN)
    assert response.status_code == 404 and error_code(response) == "BackupService.6705"


def test_members_of_a_missing_backup_are_6200(owner):
    response = owner.members("a5200000-0000-4000-8000-00000000ffff")
    assert response.status_code == 404 and error_code(response) == "BackupService.6200"


def test_members_of_a_deleted_backup_answer_401_malformed_url(emulator, owner):
    requests.post("%s/__emulator__/backups/%s/delete" % (emulator.url, WEB), timeout=5)
    response = owner.members(WEB)
    assert response.status_code == 401
    assert response.json() == {"unauthorized": {"code": "401", "message": "Malformed request url"}}


# ------------------------------------------------------------------ members: accept, reject, delete


def test_recipient_accepts_into_its_vault_and_the_owner_sees_it(emulator, owner):
    owner.add(WEB, DR)
    response = Api(emulator, DR).member("PUT", WEB, DR, json={"status": "accepted", "vault_id": DR_VAULT})
    assert response.status_code == 200
    member = response.json()["member"]
    assert member["status"] == "accepted" and member["vault_id"] == DR_VAULT and "updated_at" in member
    assert owner.member("GET", WEB, DR).json()["member"]["vault_id"] == DR_VAULT


def test_accepting_uses_up_room_in_the_vault(emulator, owner):
    owner.add(WEB, CUSTOMER)
    customer = Api(emulator, CUSTOMER)
    before = customer("GET", "%s/vaults/%s" % (customer.base, CUSTOMER_VAULT)).json()["vault"]["billing"]["used"]
    customer.member("PUT", WEB, CUSTOMER, json={"status": "accepted", "vault_id": CUSTOMER_VAULT})
    after = customer("GET", "%s/vaults/%s" % (customer.base, CUSTOMER_VAULT)).json()["vault"]["billing"]["used"]
    assert after - before == 40 * 1024


@pytest.mark.parametrize(
    "body, status, code",
    [
        ({"status": "accepted"}, 400, "BackupService.6706"),
        ({"status": "maybe"}, 400, "BackupService.6706"),
        ({"status": "accepted", "vault_id": CUSTOMER_DISK_VAULT}, 400, "BackupService.6713"),
        ({"status": "accepted", "vault_id": CUSTOMER_FULL_VAULT}, 400, "BackupService.6129"),
        ({"status": "accepted", "vault_id": CUSTOMER_FROZEN_VAULT}, 400, "BackupService.6712"),
        ({"status": "accepted", "vault_id": DR_VAULT}, 404, "BackupService.6105"),
    ],
)
def test_accepting_into_an_unfit_vault_is_refused(emulator, owner, body, status, code):
    owner.add(WEB, CUSTOMER)
    response = Api(emulator, CUSTOMER).member("PUT", WEB, CUSTOMER, json=body)
    assert (response.status_code, error_code(response)) == (status, code)
    assert owner.member("GET", WEB, CUSTOMER).json()["member"]["status"] == "pending"


def test_only_the_recipient_can_accept(emulator, owner):
    owner.add(WEB, DR)
    response = owner.member("PUT", WEB, DR, json={"status": "accepted", "vault_id": DR_VAULT})
    assert error_code(response) == "BackupService.6707"
    golden = Api(emulator, GOLDEN)
    assert error_code(golden.member("PUT", WEB, GOLDEN, json={"status": "rejected"})) == "BackupService.6705"


def test_reject_needs_no_vault_and_clears_it(emulator, owner):
    emulator.set_profile("lenient")
    owner.add(WEB, DR)
    dr = Api(emulator, DR)
    dr.member("PUT", WEB, DR, json={"status": "accepted", "vault_id": DR_VAULT})
    member = dr.member("PUT", WEB, DR, json={"status": "rejected"}).json()["member"]
    assert member["status"] == "rejected" and "vault_id" not in member


def test_delete_member_is_204_then_404(owner):
    owner.add(WEB, DR)
    response = owner.member("DELETE", WEB, DR)
    assert response.status_code == 204 and response.content == b""
    assert error_code(owner.member("DELETE", WEB, DR)) == "BackupService.6705"


def test_a_member_with_a_registered_image_cannot_be_removed(emulator, owner):
    owner.add(WEB, DR)
    emulator.state.members[WEB][DR]["image_id"] = "9d1e2c3b-0000-4000-8000-000000000001"
    assert error_code(owner.member("DELETE", WEB, DR)) == "BackupService.6710"


# ------------------------------------------------------------------ backups and vaults


def test_receiving_side_lists_backups_shared_with_it_by_member_status(emulator, owner):
    owner.add(WEB, DR)
    owner.add("a5200000-0000-4000-8000-000000000002", DR)
    dr = Api(emulator, DR)
    dr.member("PUT", WEB, DR, json={"status": "accepted", "vault_id": DR_VAULT})
    shared = dr("GET", dr.base + "/backups", params={"own_type": "shared"}).json()
    assert shared["count"] == 2 and {b["project_id"] for b in shared["backups"]} == {OWNER}
    pending = dr("GET", dr.base + "/backups", params={"own_type": "shared", "member_status": "pending"}).json()
    assert [b["id"] for b in pending["backups"]] == ["a5200000-0000-4000-8000-000000000002"]
    assert dr("GET", dr.base + "/backups").json()["count"] == 0
    assert dr("GET", "%s/backups/%s" % (dr.base, WEB)).json()["backup"]["project_id"] == OWNER


def test_backup_list_pages_by_offset(owner):
    first = owner("GET", owner.base + "/backups", params={"limit": 2}).json()
    rest = owner("GET", owner.base + "/backups", params={"limit": 2, "offset": 2}).json()
    assert first["count"] == 5 and len(first["backups"]) == 2 and len(rest["backups"]) == 2
    assert not {b["id"] for b in first["backups"]} & {b["id"] for b in rest["backups"]}


def test_backup_list_sorts_and_pages_by_marker(owner):
    everything = owner("GET", owner.base + "/backups", params={"sort": "name:asc"}).json()["backups"]
    names = [b["name"] for b in everything]
    assert names == sorted(names)
    first = owner("GET", owner.base + "/backups", params={"sort": "name:asc", "limit": 2}).json()["backups"]
    rest = owner(
        "GET", owner.base + "/backups", params={"sort": "name:asc", "limit": 1000, "marker": first[-1]["id"]}
    ).json()["backups"]
    assert [b["id"] for b in first + rest] == [b["id"] for b in everything]
    unknown = owner("GET", owner.base + "/backups", params={"marker": "a5200000-0000-4000-8000-00000000ffff"})
    assert (unknown.status_code, error_code(unknown)) == (400, "BackupService.9900")
    assert owner("GET", owner.base + "/backups", params={"sort": "size"}).status_code == 400


def test_backup_list_filters_replication_copies_by_image_type(emulator, owner):
    emulator.state.backups[WEB]["image_type"] = "replication"
    copies = owner("GET", owner.base + "/backups", params={"image_type": "replication"}).json()["backups"]
    backups = owner("GET", owner.base + "/backups", params={"image_type": "backup"}).json()["backups"]
    assert [b["id"] for b in copies] == [WEB] and copies[0]["image_type"] == "replication"
    assert WEB not in {b["id"] for b in backups} and len(backups) == 4


def test_switch_loose_member_status_lists_every_share_under_any_status(emulator, owner):
    owner.add(WEB, DR)
    dr = Api(emulator, DR)
    accepted = {"own_type": "shared", "member_status": "accepted"}
    assert dr("GET", dr.base + "/backups", params=accepted).json()["backups"] == []
    emulator.set_switches(loose_member_status=True)
    assert [b["id"] for b in dr("GET", dr.base + "/backups", params=accepted).json()["backups"]] == [WEB]
    emulator.restore_defaults()
    assert emulator.state.switches == {}


def test_switch_backup_created_per_page_shifts_offset_pages_but_not_sorted_marker_pages(emulator, owner):
    emulator.set_switches(backup_created_per_page=True)
    first = owner("GET", owner.base + "/backups", params={"limit": 2}).json()["backups"]
    second = owner("GET", owner.base + "/backups", params={"limit": 2, "offset": 2}).json()["backups"]
    assert {b["id"] for b in first} & {b["id"] for b in second}  # the new backup pushed one back onto page 2
    stable = {"sort": "created_at:asc,id:asc", "limit": 2}
    seen, marker = [], None
    while True:
        page = owner("GET", owner.base + "/backups", params=dict(stable, **({"marker": marker} if marker else {})))
        items = page.json()["backups"]
        seen += [b["id"] for b in items]
        if len(items) < 2:
            break
        marker = items[-1]["id"]
    assert len(seen) == len(set(seen))  # each once; the new ones, newest, come at the end


def test_unknown_switch_is_refused(emulator):
    response = requests.post(emulator.url + "/__emulator__/switches", json={"loose": True}, timeout=5)
    assert response.status_code == 400 and "loose_member_status" in response.json()["error"]


def test_vault_fields_auto_expand_locked_and_protect_type_come_from_the_fixture(emulator):
    emulator.state.vaults[DR_VAULT].update(auto_expand=True, locked=True, protect_type="replication")
    dr = Api(emulator, DR)
    vault = dr("GET", dr.base + "/vaults/" + DR_VAULT).json()["vault"]
    assert (vault["auto_expand"], vault["locked"], vault["billing"]["protect_type"]) == (True, True, "replication")


@pytest.mark.parametrize(
    "fields, code",
    [
        ({"locked": True}, "BackupService.6712"),
        ({"protect_type": "replication"}, "BackupService.6713"),
    ],
)
def test_accept_refuses_a_locked_or_replication_vault(emulator, owner, fields, code):
    owner.add(WEB, DR)
    emulator.state.vaults[DR_VAULT].update(fields)
    dr = Api(emulator, DR)
    response = dr.member("PUT", WEB, DR, json={"status": "accepted", "vault_id": DR_VAULT})
    assert (response.status_code, error_code(response)) == (400, code)


def test_accept_into_an_auto_expand_vault_needs_no_room(emulator, owner):
    owner.add(WEB, DR)
    emulator.state.vaults[DR_VAULT].update(size_gb=1, used_mb=1024)
    dr = Api(emulator, DR)
    full = dr.member("PUT", WEB, DR, json={"status": "accepted", "vault_id": DR_VAULT})
    assert error_code(full) == "BackupService.6129"
    emulator.state.vaults[DR_VAULT]["auto_expand"] = True
    assert dr.member("PUT", WEB, DR, json={"status": "accepted", "vault_id": DR_VAULT}).status_code == 200


def test_show_vault_reports_billing_and_404_6105(owner):
    vault = owner("GET", owner.base + "/vaults/3a1f0c1e-0000-4000-8000-000000000001").json()["vault"]
    assert vault["billing"]["object_type"] == "server" and vault["billing"]["size"] == 500
    response = owner("GET", owner.base + "/vaults/" + DR_VAULT)
    assert (response.status_code, error_code(response)) == (404, "BackupService.6105")


# ------------------------------------------------------------------ legacy v2 VBS sharing


def test_v2_create_list_show_count_and_delete(emulator, owner):
    emulator.set_profile("lenient")  # cancelled shares disappear (strict keeps them: the next test)
    created = owner("POST", owner.v2, json={"shared": {"backup_id": WEB, "to_project_ids": [DR, GOLDEN]}})
    assert created.status_code == 200
    records = created.json()["shared"]
    assert {r["to_project_id"] for r in records} == {DR, GOLDEN}
    assert all(r["from_project_id"] == OWNER and r["created_at"] is None for r in records)
    detail = owner("GET", owner.v2 + "/detail", params={"backup_id": WEB}).json()["shared"]
    assert len(detail) == 2 and detail[0]["backup"]["id"] == WEB
    assert owner("GET", owner.v2 + "/count").json() == {"count": 2}
    assert owner("GET", "%s/%s" % (owner.v2, records[0]["id"])).json()["shared"]["id"] == records[0]["id"]
    assert owner("DELETE", "%s/%s" % (owner.v2, records[0]["id"])).status_code == 200
    assert owner("GET", owner.v2 + "/count").json() == {"count": 1}
    assert owner("DELETE", "%s/%s" % (owner.v2, WEB), params={"is_backup_id": "true"}).status_code == 200
    assert owner("GET", owner.v2 + "/detail").json() == {"shared": []}


def test_v2_cancelled_shares_stay_listed_with_deleted_as_a_string_in_strict(emulator, owner):
    created = owner("POST", owner.v2, json={"shared": {"backup_id": WEB, "to_project_ids": [DR, GOLDEN]}})
    cancelled_id = created.json()["shared"][0]["id"]
    assert owner("DELETE", "%s/%s" % (owner.v2, cancelled_id)).status_code == 200
    detail = {r["id"]: r for r in owner("GET", owner.v2 + "/detail").json()["shared"]}
    assert len(detail) == 2 and detail[cancelled_id]["deleted"] == "true" and detail[cancelled_id]["deleted_at"]
    assert [r["deleted"] for i, r in detail.items() if i != cancelled_id] == ["false"]
    assert owner("GET", owner.v2 + "/count").json() == {"count": 2}
    assert owner("GET", "%s/%s" % (owner.v2, cancelled_id)).json()["shared"]["deleted"] == "true"
    again = owner(
        "POST", owner.v2, json={"shared": {"backup_id": WEB, "to_project_ids": [detail[cancelled_id]["to_project_id"]]}}
    )
    assert again.status_code == 200
    emulator.set_profile("lenient")
    lenient = owner("GET", owner.v2 + "/detail").json()["shared"]
    assert len(lenient) == 2 and {r["deleted"] for r in lenient} == {False}


def test_v2_share_to_me_and_duplicate(emulator, owner):
    owner("POST", owner.v2, json={"shared": {"backup_id": WEB, "to_project_ids": [DR]}})
    again = owner("POST", owner.v2, json={"shared": {"backup_id": WEB, "to_project_ids": [DR]}})
    assert again.status_code == 400
    dr = Api(emulator, DR)
    assert len(dr("GET", dr.v2 + "/detail", params={"share_to_me": "true"}).json()["shared"]) == 1
    assert dr("GET", dr.v2 + "/detail").json()["shared"] == []


# ------------------------------------------------------------------ control: log and faults


def test_request_log_records_method_path_query_status_and_project(emulator, owner):
    emulator.clear_log()
    owner.members(WEB, limit=5)
    assert emulator.requests() == [
        {
            "method": "GET",
            "path": "/v3/%s/backups/%s/members" % (OWNER, WEB),
            "query": {"limit": "5"},
            "status": 200,
            "project_id": OWNER,
            "auth_type": "token",
            "identity": "ops-source",
            "scope_project": OWNER,
            "listener": "main",
            "region": "eu-de",
        }
    ]


def test_fault_rules_fire_for_the_next_n_matching_requests(emulator, owner):
    requests.post(
        emulator.url + "/__emulator__/faults",
        timeout=5,
        json={"method": "GET", "path": "/members$", "count": 2, "status": 429, "retry_after": 2},
    )
    first = owner.members(WEB)
    assert first.status_code == 429 and first.headers["Retry-After"] == "2"
    assert error_code(first) == "APIG.0308"
    assert owner.members(WEB).status_code == 429
    assert owner.members(WEB).status_code == 200
    assert owner.add(WEB, DR).status_code == 200


def test_a_dropped_connection_fault_closes_without_an_answer(emulator, owner):
    emulator.add_fault(method="GET", path="/members$", drop=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        owner.members(WEB)
    assert owner.members(WEB).status_code == 200


def test_a_redirect_fault_answers_307_with_the_location_and_applies_nothing(emulator, owner):
    emulator.add_fault(method="POST", path="/members$", redirect="http://127.0.0.1:9/elsewhere")
    answer = owner("POST", "%s/backups/%s/members" % (owner.base, WEB), json={"members": [DR]}, allow_redirects=False)
    assert (answer.status_code, answer.headers["Location"]) == (307, "http://127.0.0.1:9/elsewhere")
    assert owner.members(WEB).json()["count"] == 0


def test_an_after_apply_fault_applies_the_write_then_fails(emulator, owner):
    emulator.add_fault(method="POST", path="/members$", status=500, after_apply=True)
    assert owner.add(WEB, DR).status_code == 500
    assert owner.members(WEB).json()["count"] == 1


def test_reset_restores_the_fixture(emulator, owner):
    owner.add(WEB, DR)
    requests.post(emulator.url + "/__emulator__/reset", timeout=5)
    assert emulator.state.members == {}
    assert emulator.requests(api_only=False) == []


def test_vault_list_filters_and_pages(emulator):
    customer = Api(emulator, CUSTOMER)
    every = customer("GET", customer.base + "/vaults").json()
    assert every["count"] == 4 and every["limit"] == 1000 and every["offset"] == 0
    servers = customer("GET", customer.base + "/vaults", params={"object_type": "server", "status": "available"})
    assert sorted(v["id"] for v in servers.json()["vaults"]) == [CUSTOMER_FULL_VAULT, CUSTOMER_VAULT]
    page = customer("GET", customer.base + "/vaults", params={"limit": 3, "offset": 3}).json()
    assert page["count"] == 4 and len(page["vaults"]) == 1


# ------------------------------------------------------------------ request log identity


def test_request_log_names_the_user_or_access_key_and_never_a_secret(emulator, owner):
    login(emulator, DR, password="wrong")
    owner.members(WEB)
    url, headers = _sdk_signed(
        emulator, "GET", "/v3/%s/backups" % OWNER, "AKSOURCE0000000000001", "source-secret-key-0001"
    )
    requests.get(url, headers=headers, timeout=5)
    requests.get("%s/v3/%s/backups" % (emulator.url, OWNER), headers={"X-Auth-Token": "forged"}, timeout=5)
    log = emulator.requests(api_only=False)
    assert [(e["identity"], e["scope_project"], e["auth_type"], e["status"]) for e in log] == [
        ("ops-source", OWNER, "password", 201),  # the owner fixture's login
        (None, None, None, 401),  # a failed login names nobody
        ("ops-source", OWNER, "token", 200),
        ("AKSOURCE0000000000001", OWNER, "aksk", 200),
        (None, None, None, 401),
    ]
    text = repr(log)
    with emulator.state.lock:
        tokens = list(emulator.state.tokens)
    for secret in ["source-pass", "source-secret-key-0001", "Signature="] + tokens:
        assert secret not in text


# ------------------------------------------------------------------ profiles (UNCONFIRMED)


def test_every_unconfirmed_row_cites_the_notes_and_has_both_answers():
    import cbr_emulator  # pylint: disable=import-error,import-outside-toplevel

    for name, rule in cbr_emulator.UNCONFIRMED.items():
        assert rule.notes.startswith("§") and rule.reading.startswith(("strict:", "both:")), name
        assert set(rule.values) == {"strict", "lenient"}, name


def test_profile_control_endpoint_switches_and_describes_the_rules(emulator):
    answer = requests.get(emulator.url + "/__emulator__/profile", timeout=5).json()
    assert answer["name"] == "strict"
    assert answer["rules"]["duplicate_add_code"] == {
        "notes": "§members.duplicate",
        "value": "6703",
        "reading": answer["rules"]["duplicate_add_code"]["reading"],
    }
    assert requests.post(emulator.url + "/__emulator__/profile", json={"name": "lenient"}, timeout=5).status_code == 204
    assert emulator.profile == "lenient"
    assert requests.post(emulator.url + "/__emulator__/profile", json={"name": "sloppy"}, timeout=5).status_code == 400


def test_strict_recipient_cannot_read_member_records_or_list_members(emulator, owner):
    owner.add(WEB, DR)
    dr = Api(emulator, DR)
    for response in (dr.member("GET", WEB, DR), dr.members(WEB)):
        assert (response.status_code, error_code(response)) == (404, "BackupService.6200")
    assert owner.member("GET", WEB, DR).status_code == 200
    emulator.set_profile("lenient")
    assert dr.member("GET", WEB, DR).json()["member"]["status"] == "pending"
    assert error_code(dr.members(WEB)) == "BackupService.6707"


def test_strict_recipient_sees_a_shared_backup_by_id_only_after_accepting(emulator, owner):
    owner.add(WEB, DR)
    dr = Api(emulator, DR)
    pending = dr("GET", "%s/backups/%s" % (dr.base, WEB))
    assert (pending.status_code, error_code(pending)) == (404, "BackupService.6200")
    listed = dr("GET", dr.base + "/backups", params={"own_type": "shared", "member_status": "pending"}).json()
    assert [b["id"] for b in listed["backups"]] == [WEB] and "vault_id" not in listed["backups"][0]
    dr.member("PUT", WEB, DR, json={"status": "accepted", "vault_id": DR_VAULT})
    accepted = dr("GET", "%s/backups/%s" % (dr.base, WEB)).json()["backup"]
    assert accepted["project_id"] == OWNER and accepted["vault_id"] == DR_VAULT
    emulator.set_profile("lenient")
    assert (
        dr("GET", "%s/backups/%s" % (dr.base, WEB)).json()["backup"]["vault_id"]
        == "3a1f0c1e-0000-4000-8000-000000000001"
    )


@pytest.mark.parametrize(
    "profile, found",
    [
        ("strict", {"web-01-daily": True, "web-01": True, "WEB-01-DAILY": True, "window": True, "after": True}),
        ("lenient", {"web-01-daily": True, "web-01": False, "WEB-01-DAILY": False, "window": True, "after": False}),
    ],
)
def test_the_backup_list_name_and_time_filters_follow_the_profile(emulator, owner, profile, found):
    # WEB is web-01-daily, created at the fixture's default 2026-11-01T02:00:00.000+00:00.
    emulator.set_profile(profile)
    queries = {
        "web-01-daily": {"name": "web-01-daily"},
        "web-01": {"name": "web-01"},
        "WEB-01-DAILY": {"name": "WEB-01-DAILY"},
        "window": {"start_time": "2026-11-01T02:00:00Z", "end_time": "2026-11-01T02:00:00Z"},
        "after": {"start_time": "2026-11-01T02:00:01Z"},
    }
    listed = {}
    for label, query in queries.items():
        answer = owner("GET", owner.base + "/backups", params=query).json()
        listed[label] = WEB in [b["id"] for b in answer["backups"]]
    assert listed == found
    bad = owner("GET", owner.base + "/backups", params={"start_time": "yesterday"})
    assert (bad.status_code, error_code(bad)) == (400, "BackupService.9900")


def test_lenient_lets_disk_and_encrypted_backups_be_shared(emulator, owner):
    emulator.set_profile("lenient")
    assert owner.add(DISK_BACKUP, CUSTOMER).status_code == 200
    assert owner.add(ENCRYPTED, DR).status_code == 200
    customer = Api(emulator, CUSTOMER)
    accepted = customer.member(
        "PUT", DISK_BACKUP, CUSTOMER, json={"status": "accepted", "vault_id": CUSTOMER_DISK_VAULT}
    )
    assert accepted.status_code == 200, accepted.text


@pytest.mark.parametrize("profile, answer", [("strict", (400, "BackupService.6706")), ("lenient", (200, None))])
def test_accepted_may_become_rejected_but_rejected_not_accepted_in_strict(emulator, owner, profile, answer):
    emulator.set_profile(profile)
    owner.add(WEB, DR)
    dr = Api(emulator, DR)
    accept = {"status": "accepted", "vault_id": DR_VAULT}
    assert [dr.member("PUT", WEB, DR, json=accept).status_code for _round in range(2)] == [200, 200]
    # accepted -> rejected: terraform-provider-huaweicloud's accepter does it on destroy, in both profiles.
    assert dr.member("PUT", WEB, DR, json={"status": "rejected"}).status_code == 200
    response = dr.member("PUT", WEB, DR, json=accept)
    assert (response.status_code, response.json().get("error_code")) == answer


def test_disk_backups_are_shared_unless_the_switch_refuses_them(emulator, owner):
    assert owner.add(DISK_BACKUP, DR).status_code == 200
    emulator.set_switches(disk_backups_refused=True)
    refused = owner.add(DISK_BACKUP, GOLDEN)
    assert (refused.status_code, error_code(refused)) == (400, "BackupService.6700")


def test_capacity_counts_resource_size_in_strict_and_backup_size_in_lenient(start_emulator, demo_fixture):
    fixture = copy.deepcopy(demo_fixture)
    fixture["projects"][0]["backups"][0]["backup_size_gb"] = 5  # WEB: a 40 GB server, a 5 GB incremental backup
    running = start_emulator(fixture, "strict")
    owner_api = Api(running, OWNER)
    owner_api.add(WEB, CUSTOMER)
    customer = Api(running, CUSTOMER)
    body = {"status": "accepted", "vault_id": CUSTOMER_FULL_VAULT}  # 10 GB free
    assert error_code(customer.member("PUT", WEB, CUSTOMER, json=body)) == "BackupService.6129"
    running.set_profile("lenient")
    assert customer.member("PUT", WEB, CUSTOMER, json=body).status_code == 200


# ------------------------------------------------------------------ the VBS address


def test_each_address_serves_only_its_own_service(emulator, owner):
    on_vbs = owner("GET", "%s/v3/%s/backups" % (emulator.vbs_url, OWNER))
    on_cbr = owner("GET", "%s/v2/%s/os-vendor-backup-sharing/detail" % (emulator.url, OWNER))
    iam_on_vbs = requests.post(emulator.vbs_url + "/v3/auth/tokens", json={}, timeout=5)
    assert [r.status_code for r in (on_vbs, on_cbr, iam_on_vbs)] == [404, 404, 404]
    assert owner("GET", owner.v2 + "/detail").status_code == 200
    assert [e["listener"] for e in emulator.requests(api_only=False)][-4:] == ["vbs", "main", "vbs", "vbs"]


def test_command_line_prints_and_writes_both_urls_and_passes_them_to_the_command(tmp_path):
    script = os.path.join(os.path.dirname(__file__), "cbr_emulator.py")
    fixture = os.path.join(os.path.dirname(__file__), "fixtures", "demo.yml")
    url_file, vbs_file = tmp_path / "url", tmp_path / "vbs"
    result = subprocess.run(
        [
            sys.executable,
            script,
            "--fixture",
            fixture,
            "--profile",
            "lenient",
            "--url-file",
            str(url_file),
            "--vbs-url-file",
            str(vbs_file),
            "--",
            sys.executable,
            "-c",
            "import os, urllib.request, json; u = os.environ['CBR_EMULATOR_URL']; "
            "print(os.environ['CBR_EMULATOR_VBS_URL']); "
            "print(json.load(urllib.request.urlopen(u + '/__emulator__/profile'))['name'])",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    url, vbs_url, seen_vbs, profile = result.stdout.split()
    assert url_file.read_text() == url and vbs_file.read_text() == vbs_url == seen_vbs
    assert url != vbs_url and profile == "lenient"


# ------------------------------------------------------------------ rate limit


def test_rate_limit_answers_429_beyond_the_burst_per_identity(emulator, owner):
    clock = [1000.0]
    emulator.emulator.limiter.clock = lambda: clock[0]
    requests.post(emulator.url + "/__emulator__/rate-limit", json={"per_second": 3}, timeout=5)
    statuses = [owner.members(WEB).status_code for _round in range(5)]
    dr = Api(emulator, DR)
    assert statuses == [200, 200, 200, 429, 429]
    assert dr("GET", dr.base + "/vaults").status_code == 200  # another user has its own bucket
    refused = owner.members(WEB)
    assert refused.json() == {
        "error_code": "APIG.0308",
        "error_msg": ("The throttling threshold has been reached: policy user over ratelimit,limit:3,time:1 second"),
    }
    clock[0] += 0.5  # 1.5 requests' worth of refill
    assert [owner.members(WEB).status_code for _round in range(2)] == [200, 429]
    log = [(e["identity"], e["status"]) for e in emulator.requests()]
    assert log.count(("ops-source", 429)) == 4 and log.count(("ops-source", 200)) == 4
    requests.post(emulator.url + "/__emulator__/rate-limit", json={"per_second": 0}, timeout=5)
    assert owner.members(WEB).status_code == 200


def test_a_real_burst_is_cut_to_the_burst_plus_what_the_elapsed_time_refills(emulator, owner):
    emulator.set_rate_limit(5)
    started = time.monotonic()
    statuses = [owner.members(WEB).status_code for _round in range(30)]
    elapsed = time.monotonic() - started
    assert set(statuses) <= {200, 429}
    assert 5 <= statuses.count(200) <= 5 + 5 * elapsed + 1


# ------------------------------------------------------------------ seeding


def test_seed_member_puts_a_record_in_place_without_the_api(emulator, owner):
    member = emulator.seed_member(WEB, DR, status="accepted", vault_id=DR_VAULT)
    assert member["status"] == "accepted" and member["vault_id"] == DR_VAULT
    response = requests.post(
        emulator.url + "/__emulator__/members", timeout=5, json={"backup_id": WEB, "dest_project_id": GOLDEN}
    )
    assert response.status_code == 201 and response.json()["member"]["status"] == "pending"
    assert {m["dest_project_id"] for m in owner.members(WEB).json()["members"]} == {DR, GOLDEN}
    assert [e["method"] for e in emulator.requests()] == ["GET"]  # seeding leaves no trace in the log
    missing = requests.post(
        emulator.url + "/__emulator__/members",
        timeout=5,
        json={"backup_id": "a5200000-0000-4000-8000-00000000ffff", "dest_project_id": DR},
    )
    assert missing.status_code == 404


def test_a_new_backup_shows_in_the_list_created_now(emulator, owner):
    answer = requests.post(
        emulator.url + "/__emulator__/backups",
        timeout=5,
        json={"project_id": OWNER, "name": "web-01-nightly", "resource_id": "srv-web-01", "status": "available"},
    )
    assert answer.status_code == 201
    backup_id = answer.json()["backup"]["id"]
    listed = {b["id"]: b for b in owner("GET", owner.base + "/backups").json()["backups"]}
    created = datetime.datetime.fromisoformat(listed[backup_id]["created_at"])
    assert abs((datetime.datetime.now(datetime.timezone.utc) - created).total_seconds()) < 60
    assert (
        requests.post(emulator.url + "/__emulator__/backups", timeout=5, json={"project_id": "0" * 32}).status_code
        == 404
    )


def test_a_protecting_backup_turns_available_after_its_reads(emulator, owner):
    backup = emulator.add_backup(OWNER, status="protecting", available_after_reads=2)
    url = "%s/backups/%s" % (owner.base, backup["id"])
    statuses = [owner("GET", url).json()["backup"]["status"] for _read in range(3)]
    assert statuses == ["protecting", "protecting", "available"]
    never = "%s/backups/%s" % (owner.base, PROTECTING)  # a fixture backup without available_after_reads
    assert {owner("GET", never).json()["backup"]["status"] for _read in range(5)} == {"protecting"}


def test_age_makes_backups_and_members_older(emulator, owner):
    emulator.seed_member(WEB, DR, created_at="2026-11-02T02:00:00.000+00:00")
    assert requests.post(emulator.url + "/__emulator__/age", json={"seconds": 86400}, timeout=5).status_code == 204
    backup = owner("GET", "%s/backups/%s" % (owner.base, WEB)).json()["backup"]
    assert backup["created_at"] == "2026-10-31T02:00:00.000+00:00"  # the fixture's default, a day earlier
    assert owner.members(WEB).json()["members"][0]["created_at"] == "2026-11-01T02:00:00.000+00:00"
    assert requests.post(emulator.url + "/__emulator__/age", json={"seconds": -1}, timeout=5).status_code == 400


# ------------------------------------------------------------------ documentation


def test_readme_lists_every_unconfirmed_row_and_control_endpoint():
    import cbr_emulator  # pylint: disable=import-error,import-outside-toplevel

    with open(os.path.join(os.path.dirname(__file__), "README.md"), encoding="utf-8") as handle:
        readme = handle.read()
    missing = [
        name for name in list(cbr_emulator.UNCONFIRMED) + list(cbr_emulator.SWITCHES) if "| `%s` |" % name not in readme
    ]
    missing += [
        path
        for _method, path, _handler, _what in cbr_emulator.CONTROL_ENDPOINTS
        if "`/__emulator__%s`" % path.replace("(?P<backup_id>[^/]+)", "{backup_id}") not in readme
    ]
    assert missing == []
