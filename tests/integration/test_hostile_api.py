# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A hostile or broken API: redirects, bodies cut, slow or huge. Asserted on the request log and on what
reached any other address (a Trap)."""

import pytest

from ansible_collections.cloudops.cbr.plugins.module_utils import _http
from ansible_collections.cloudops.cbr.plugins.module_utils._connection import connect
from ansible_collections.cloudops.cbr.plugins.module_utils._http import CbrApiError
from demo_ids import DR, OWNER, WEB, password_auth  # pylint: disable=import-error
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
