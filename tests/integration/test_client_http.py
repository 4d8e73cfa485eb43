# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module_utils client through real HTTP to the emulator: auth, endpoints, paging, errors, retries."""

from urllib.parse import parse_qsl

import pytest

from ansible_collections.cloudops.cbr.plugins.module_utils import _http
from ansible_collections.cloudops.cbr.plugins.module_utils._connection import connect
from ansible_collections.cloudops.cbr.plugins.module_utils._credentials import canonical_query
from ansible_collections.cloudops.cbr.plugins.module_utils._errors import CbrApiError, CbrNotFound
from demo_ids import CUSTOMER, DR, GOLDEN, OWNER, WEB  # pylint: disable=import-error

MEMBERS_PATH = "/v3/%s/backups/%s/members" % (OWNER, WEB)


@pytest.fixture
def sleeps(monkeypatch):
    """Make retry waits instant and record them."""
    waits = []
    monkeypatch.setattr(_http, "sleep", waits.append)
    return waits


def password_params(emulator, **overrides):
    params = dict(
        auth_url=emulator.url + "/v3",
        username="ops-source",
        password="source-pass",
        domain_name="acme",
        project_id=OWNER,
        validate_certs=True,
        timeout=10,
    )
    params.update(overrides)
    return params


def aksk_params(emulator, **overrides):
    params = dict(
        access_key="AKSOURCE0000000000001",
        secret_key="source-secret-key-0001",
        project_id=OWNER,
        endpoint=emulator.url,
        timeout=10,
    )
    params.update(overrides)
    return params


def share_with(emulator, *projects):
    for project_id in projects:
        emulator.seed_member(WEB, project_id)


def test_password_token_by_project_id_uses_the_catalog_endpoint(emulator):
    client = connect(password_params(emulator))
    assert (client.endpoint, client.project_id) == (emulator.url, OWNER)
    assert client.list_members(WEB) == []
    assert [(e["method"], e["path"], e["auth_type"]) for e in emulator.requests(api_only=False)] == [
        ("POST", "/v3/auth/tokens", "password"),
        ("GET", MEMBERS_PATH, "token"),
    ]


def test_password_token_by_project_name_reads_the_project_id_from_the_token(emulator):
    client = connect(password_params(emulator, project_id=None, project_name="eu-de_source"))
    assert client.project_id == OWNER
    assert client.list_members(WEB) == []


def test_wrong_password_fails_once_with_the_iam_message(emulator, sleeps):
    with pytest.raises(CbrApiError) as failure:
        connect(password_params(emulator, password="wrong"))
    assert failure.value.status_code == 401
    assert "username or password is wrong" in str(failure.value)
    assert "wrong" not in str(failure.value).replace("is wrong", "")
    # The refusal is of the login itself: no hint about a token that was never issued.
    assert "IAM refused the login" in str(failure.value) and "just issued" not in str(failure.value)
    assert len(emulator.requests(api_only=False)) == 1 and sleeps == []


def test_aksk_signed_requests_are_accepted(emulator):
    share_with(emulator, DR)
    client = connect(aksk_params(emulator))
    assert [m["dest_project_id"] for m in client.list_members(WEB)] == [DR]
    assert emulator.requests()[-1]["auth_type"] == "aksk"


def test_aksk_with_a_wrong_secret_is_refused(emulator):
    client = connect(aksk_params(emulator, secret_key="not-the-secret"))
    with pytest.raises(CbrApiError) as failure:
        client.list_members(WEB)
    assert (failure.value.status_code, failure.value.error_code) == (401, "APIG.0301")
    assert "not-the-secret" not in str(failure.value)


def test_temporary_aksk_with_security_token(emulator):
    client = connect(
        aksk_params(
            emulator,
            access_key="AKSOURCETEMP000000001",
            secret_key="source-temp-secret-0001",
            security_token="source-temp-security-token-0001",
        )
    )
    assert client.list_members(WEB) == []


def test_given_token_with_explicit_endpoint(emulator):
    token = connect(password_params(emulator)).session.auth.token
    client = connect(dict(token=token, project_id=OWNER, endpoint=emulator.url + "/v3/" + OWNER))
    assert client.list_members(WEB) == []


def test_another_projects_path_is_refused(emulator):
    client = connect(aksk_params(emulator, project_id=DR))
    with pytest.raises(CbrApiError) as failure:
        client.list_members(WEB)
    assert failure.value.status_code == 403


def test_paging_with_a_small_page_collects_every_member(emulator):
    share_with(emulator, DR, GOLDEN, CUSTOMER)
    client = connect(aksk_params(emulator))
    members = client.list_members(WEB, page_size=1)
    assert sorted(m["dest_project_id"] for m in members) == sorted([DR, GOLDEN, CUSTOMER])
    pages = [e["query"] for e in emulator.requests()]
    assert len(pages) == 4 and "marker" not in pages[0]
    assert [p["marker"] for p in pages[1:]] == [m["id"] for m in members]


def test_backups_created_while_the_list_is_paged_neither_shift_nor_repeat_it(emulator):
    emulator.set_switches(backup_created_per_page=True)  # a policy adds a backup after every page
    client = connect(aksk_params(emulator))
    before = set(emulator.state.backups)
    backups = client.list_backups(page_size=2)
    ids = [b["id"] for b in backups]
    assert len(ids) == len(set(ids)) and before <= set(ids)  # every backup there at the start, each once
    pages = [e["query"] for e in emulator.requests()]
    assert {p["sort"] for p in pages} == {"created_at:asc,id:asc"} and "offset" not in pages[0]
    assert [p.get("marker") for p in pages[1:]] == [ids[n] for n in range(1, 2 * len(pages) - 2, 2)]


def test_a_list_whose_offset_is_ignored_fails_instead_of_looping(emulator):
    for vault_number in range(3):
        emulator.state.vaults["3a1f0c1e-0000-4000-8000-0000000001%02d" % vault_number] = dict(
            id="3a1f0c1e-0000-4000-8000-0000000001%02d" % vault_number, project_id=OWNER, name="v%d" % vault_number
        )
    handler = emulator.emulator.list_vaults

    def offset_ignored(request, pid):
        request.query.pop("offset", None)
        return handler(request, pid)

    routes = emulator.emulator.routes
    index = next(n for n, route in enumerate(routes) if route[2] == handler)
    routes[index] = (routes[index][0], routes[index][1], offset_ignored)
    try:
        with pytest.raises(CbrApiError) as failure:
            connect(aksk_params(emulator)).list_vaults(page_size=2)
    finally:
        routes[index] = (routes[index][0], routes[index][1], handler)
    assert str(failure.value) == (
        "Failed to list vaults of project %s: the page at offset 2 repeats only items already listed: "
        "the API does not page forward" % OWNER
    )
    assert len(emulator.requests()) == 2


def test_filters_are_sent_to_the_api(emulator):
    share_with(emulator, DR, GOLDEN)
    emulator.state.members[WEB][GOLDEN]["status"] = "accepted"
    client = connect(aksk_params(emulator))
    members = client.list_members(WEB, {"status": "accepted", "vault_id": None})
    assert [m["dest_project_id"] for m in members] == [GOLDEN]
    assert emulator.requests()[-1]["query"] == {"status": "accepted", "limit": "1000"}


def test_show_member_returns_none_when_not_shared(emulator):
    share_with(emulator, DR)
    client = connect(aksk_params(emulator))
    assert client.show_member(WEB, DR)["dest_project_id"] == DR
    assert client.show_member(WEB, GOLDEN) is None


def test_a_missing_backup_is_reported_with_the_api_code_and_request_id(emulator):
    client = connect(aksk_params(emulator))
    with pytest.raises(CbrNotFound) as failure:
        client.list_members("a5200000-0000-4000-8000-00000000ffff")
    error = failure.value
    assert (error.status_code, error.error_code, error.what) == (404, "BackupService.6200", "backup")
    assert str(error) == (
        "Failed to list share members of backup a5200000-0000-4000-8000-00000000ffff: "
        "BackupService.6200 The backup does not exist."
    )
    assert len(error.request_id) == 32


def test_a_deleted_backup_is_not_found_not_bad_credentials(emulator, sleeps):
    emulator.state.deleted_backups.add(WEB)
    client = connect(password_params(emulator))
    with pytest.raises(CbrNotFound) as failure:
        client.list_members(WEB)
    assert "does not exist or was deleted" in str(failure.value) and failure.value.what == "backup"
    assert len(emulator.requests()) == 1 and sleeps == []
    assert client.show_backup(WEB) is None or client.show_backup(WEB)["id"] == WEB


@pytest.mark.parametrize(
    "status, code, message",
    [
        (401, "APIG.0301", "Incorrect IAM authentication information: the token has expired"),
        (403, "APIG.0302", "Forbidden"),
        (400, "BackupService.6707", "Backup sharing is not allowed."),
        (500, "BackupService.9910", "Unknown error"),
    ],
)
def test_only_the_not_found_table_is_not_found(emulator, sleeps, status, code, message):
    emulator.add_fault(
        method="GET", path="/members", status=status, body={"error_code": code, "error_msg": message}, count=20
    )
    client = connect(aksk_params(emulator))
    with pytest.raises(CbrApiError) as failure:
        client.list_members(WEB)
    assert not isinstance(failure.value, CbrNotFound) and failure.value.error_code == code
    with pytest.raises(CbrApiError) as failure:
        client.show_member(WEB, DR)
    assert not isinstance(failure.value, CbrNotFound)


def test_a_query_with_a_space_is_sent_exactly_as_signed(emulator):
    client = connect(aksk_params(emulator))
    sent_urls, send = [], client.session.http.request

    def recording(method, url, **kwargs):
        sent_urls.append(url)
        return send(method, url, **kwargs)

    client.session.http.request = recording
    client.list_backups({"name": "web 01+daily", "status": ["available", "error"]})
    query = sent_urls[-1].split("?", 1)[1]
    assert "name=web%2001%2Bdaily" in query and "+" not in query
    assert canonical_query(parse_qsl(query)) == query
    logged = emulator.requests()[-1]
    assert logged["status"] == 200 and logged["query"]["name"] == "web 01+daily"
