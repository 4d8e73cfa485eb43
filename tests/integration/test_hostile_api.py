# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A hostile or broken API: redirects, bodies cut, slow or huge. Asserted on the request log and on what
reached any other address (a Trap)."""

import time
import tracemalloc

import pytest

from ansible_collections.cloudops.cbr.plugins.module_utils import _http
from ansible_collections.cloudops.cbr.plugins.module_utils._connection import connect
from ansible_collections.cloudops.cbr.plugins.module_utils._errors import CbrApiError
from ansible_collections.cloudops.cbr.plugins.module_utils._lists import map_concurrently
from demo_ids import DR, GOLDEN, OWNER, WEB, password_auth  # pylint: disable=import-error
from runners import run_module  # pylint: disable=import-error

TEMPORARY_AKSK = dict(
    access_key="AKSOURCETEMP000000001",
    secret_key="source-temp-secret-0001",
    security_token="source-temp-security-token-0001",
    project_id=OWNER,
)


@pytest.fixture
def sleeps(monkeypatch):
    waits = []
    monkeypatch.setattr(_http, "sleep", waits.append)
    return waits


def logged(emulator, api_only=False):
    return [(e["method"], e["path"].split("/")[-1], e["status"]) for e in emulator.requests(api_only=api_only)]


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirected_login_sends_the_password_nowhere_else(emulator, trap, sleeps, status):
    emulator.add_fault(method="POST", path="/auth/tokens$", redirect=trap.url + "/v3/auth/tokens", status=status)
    with pytest.raises(CbrApiError) as failure:
        connect(dict(password_auth(emulator.url, OWNER), timeout=5))
    assert trap.received == []
    assert failure.value.status_code == status
    assert "redirect to %s/v3/auth/tokens" % trap.url in str(failure.value)
    assert "source-pass" not in str(failure.value)
    assert logged(emulator) == [("POST", "tokens", status)] and sleeps == []


@pytest.mark.parametrize(
    "credential, service, call",
    [
        ("password", "cbr", lambda client: client.list_members(WEB)),
        ("password", "cbr", lambda client: client.add_members(WEB, [DR])),
        ("password", "vbs", lambda client: client.list_shares(WEB)),
        ("aksk", "cbr", lambda client: client.show_backup(WEB)),
        ("aksk", "cbr", lambda client: client.remove_member(WEB, DR)),
    ],
    ids=["token-get", "token-post", "token-vbs", "aksk-get", "aksk-delete"],
)
def test_a_redirected_api_call_sends_no_credential_elsewhere(emulator, trap, sleeps, credential, service, call):
    if credential == "password":
        params = password_auth(emulator.url, OWNER)
    else:
        params = dict(TEMPORARY_AKSK, endpoint=emulator.url)
    client = connect(dict(params, timeout=5), service=service)
    emulator.clear_log()
    emulator.add_fault(path="/v[23]/%s/" % OWNER, redirect=trap.url + "/collect", status=307)
    with pytest.raises(CbrApiError) as failure:
        call(client)
    assert trap.received == []
    assert "a redirect to %s/collect" % trap.url in str(failure.value)
    assert [status for _method, _path, status in logged(emulator)] == [307]
    assert emulator.writes() == [] or emulator.writes()[0]["status"] == 307
    assert sleeps == []


def test_a_module_fails_on_a_redirect_naming_it(emulator, trap):
    emulator.add_fault(method="GET", path="/members$", redirect=trap.url + "/elsewhere", status=302)
    result = run_module(
        "cbr_share_member",
        dict(password_auth(emulator.url, OWNER), backup_id=WEB, dest_project_ids=[DR]),
    )
    assert result["failed"] and result["status_code"] == 302
    assert "redirect to %s/elsewhere" % trap.url in result["msg"]
    assert trap.received == [] and emulator.writes() == []


# -- bodies cut, odd, slow or huge


def owner_client(emulator, timeout=5):
    return connect(dict(password_auth(emulator.url, OWNER), timeout=timeout))


def test_a_get_whose_body_is_cut_is_sent_again(emulator, sleeps):
    emulator.seed_member(WEB, DR)
    client = owner_client(emulator)
    emulator.clear_log()
    emulator.add_fault(method="GET", path="/members$", cut_body=True)
    assert [m["dest_project_id"] for m in client.list_members(WEB)] == [DR]
    assert logged(emulator) == [("GET", "members", "cut"), ("GET", "members", 200)]


def test_a_post_whose_answer_is_cut_is_not_sent_again_blind_and_its_writes_are_reported(emulator, sleeps):
    emulator.add_fault(method="POST", path="/members$", cut_body=True)
    result = run_module(
        "cbr_share_member", dict(password_auth(emulator.url, OWNER), backup_id=WEB, dest_project_ids=[DR, GOLDEN])
    )
    assert not result.get("failed"), result
    assert result["changed"] is True
    assert sorted(m["dest_project_id"] for m in result["members"]) == sorted([DR, GOLDEN])
    assert [(e["method"], e["status"]) for e in emulator.writes()] == [("POST", "cut")]
    assert sorted(emulator.state.members[WEB]) == sorted([DR, GOLDEN])


def test_a_post_whose_answer_is_cut_says_so(emulator, sleeps):
    client = owner_client(emulator)
    emulator.add_fault(method="POST", path="/members$", cut_body=True)
    with pytest.raises(CbrApiError) as failure:
        client.add_members(WEB, [DR])
    assert failure.value.status_code is None and failure.value.attempts == 1
    assert "no complete answer" in str(failure.value) and "HTTP 200, but the connection broke" in str(failure.value)
    assert [status for _m, _p, status in logged(emulator, api_only=True)] == ["cut"]


@pytest.mark.parametrize(
    "body, says",
    [
        (
            {"members": [{"id": "m1", "status": "pending"}], "count": 1},
            "members holds a record without dest_project_id",
        ),
        ({"members": ["0761a1f0e5b34c9b8c2f0f0a7d1e0002"]}, "members holds a record without dest_project_id"),
        ([{"dest_project_id": DR}], "the answer is not a JSON object"),
        ("plain text", "the answer is not a JSON object"),
    ],
    ids=["member-without-project", "member-not-an-object", "json-list", "json-string"],
)
def test_odd_bodies_are_a_clear_error_of_the_module(emulator, body, says):
    emulator.add_fault(method="GET", path="/members$", status=200, body=body)
    result = run_module(
        "cbr_share_member", dict(password_auth(emulator.url, OWNER), backup_id=WEB, dest_project_ids=[DR])
    )
    assert result["failed"] is True
    assert says in result["msg"] and "Failed to list share members of backup %s" % WEB in result["msg"]
    assert emulator.writes() == []


def test_a_byte_a_second_answer_times_out_and_is_sent_again(emulator, sleeps):
    # The read timeout (0.5 s) ends the slow answer at once; the second answer has 0.5 s to arrive whole.
    emulator.seed_member(WEB, DR)
    client = owner_client(emulator, timeout=0.5)
    emulator.clear_log()
    emulator.add_fault(method="GET", path="/members$", slow_body=1)
    started = time.monotonic()
    assert [m["dest_project_id"] for m in client.list_members(WEB)] == [DR]
    assert time.monotonic() - started < 3
    assert logged(emulator) == [("GET", "members", "slow"), ("GET", "members", 200)]


def test_a_trickling_answer_to_a_post_fails_at_the_deadline(emulator, sleeps):
    # A byte every 0.2 s never trips the per-read timeout of 0.6 s: only the total deadline can end it.
    client = owner_client(emulator, timeout=0.6)
    emulator.add_fault(method="POST", path="/members$", slow_body=0.2)
    started = time.monotonic()
    with pytest.raises(CbrApiError) as failure:
        client.add_members(WEB, [DR])
    assert time.monotonic() - started < 3
    assert "not complete within the timeout" in str(failure.value)


@pytest.mark.parametrize("length_header", [True, False], ids=["announced", "unannounced"])
def test_a_300_mb_body_is_not_read_whole(emulator, sleeps, length_header):
    client = owner_client(emulator)
    emulator.add_fault(method="GET", path="/members$", huge_body_mb=300, length_header=length_header)
    tracemalloc.start()
    try:
        with pytest.raises(CbrApiError) as failure:
            client.list_members(WEB)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "too large to be an answer of this API" in str(failure.value)
    assert peak < 2 * _http.MAX_BODY_BYTES
    assert [status for _m, _p, status in logged(emulator, api_only=True)] == ["huge"]


# -- token expiry with several workers


def test_one_relogin_serves_every_worker_and_requests_in_flight_are_sent_again(emulator):
    client = owner_client(emulator)
    emulator.emulator.latency_ms = 200
    emulator.emulator.control("POST", "/tokens/revoke", {})
    emulator.clear_log()
    answers = map_concurrently(lambda _n: client.list_members(WEB), list(range(8)), 8)
    assert answers == [[]] * 8
    log = emulator.requests(api_only=False)
    assert [e["path"] for e in log].count("/v3/auth/tokens") == 1
    refused = [e for e in log if e["status"] == 401]
    assert len(refused) >= 2  # several workers were in flight with the expired token
    assert [e["status"] for e in log if e["path"].endswith("/members")].count(200) == 8


def test_a_token_that_expires_again_says_so_and_does_not_blame_the_password(emulator, sleeps):
    client = owner_client(emulator)
    emulator.add_fault(method="GET", path="/members$", expire_tokens=True, count=2)
    with pytest.raises(CbrApiError) as failure:
        client.list_members(WEB)
    assert failure.value.status_code == 401
    assert "expired or was revoked" in str(failure.value)
    assert "password" not in str(failure.value).replace("password login", "")
    assert [e["path"] for e in emulator.requests(api_only=False)].count("/v3/auth/tokens") == 2
