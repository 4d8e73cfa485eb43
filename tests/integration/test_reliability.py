# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Faults, races and TLS against the emulator: the modules in this process (their retries and the request log are
the point), forks through ansible-playbook."""

import json
import os
import subprocess
import sys

import certifi
import yaml

from ansible_collections.cloudops.cbr.plugins.module_utils import _http
from demo_ids import DR, DR_VAULT, GOLDEN, OWNER, WEB, password_auth  # pylint: disable=import-error
from runners import run_module, warning_texts  # pylint: disable=import-error

MODULE = "cloudops.cbr.cbr_share_member"


def as_project(emulator, project_id, module_args, module="cbr_share_member"):
    """The module run in this process with the project's demo user; the backup is WEB unless module_args say."""
    return run_module(module, dict(password_auth(emulator.url, project_id), backup_id=WEB, **module_args))


def statuses(emulator, method):
    return [e["status"] for e in emulator.requests() if e["method"] == method]


def test_throttling_5xx_and_dropped_connections_are_retried_and_the_run_is_right(emulator, monkeypatch):
    waits = []
    monkeypatch.setattr(_http, "sleep", waits.append)  # the backoffs are recorded, not waited for
    emulator.add_fault(method="GET", path="/members$", status=429, retry_after=1, count=1)
    emulator.add_fault(method="GET", path="/members$", status=503, count=1)
    emulator.add_fault(method="GET", path="/backups/[^/]+$", drop=True, count=1)
    emulator.add_fault(method="PUT", path="/members/", status=502, count=1)
    emulator.add_fault(method="PUT", path="/members/", drop=True, after_apply=True, count=1)
    emulator.add_fault(method="DELETE", path="/members/", status=504, count=1)
    emulator.add_fault(method="DELETE", path="/members/", drop=True, after_apply=True, count=1)
    results = [
        as_project(emulator, OWNER, {"dest_project_ids": [DR, GOLDEN]}),
        as_project(emulator, DR, {"status": "accepted", "vault_id": DR_VAULT}),
        as_project(emulator, OWNER, {"dest_project_ids": [GOLDEN], "state": "absent"}),
        as_project(emulator, OWNER, {}, module="cbr_share_member_info"),
    ]
    added, accepted, removed, seen = results
    assert not any(r.get("failed") for r in results), results
    assert added["changed"] and accepted["changed"] and removed["changed"]
    assert [(m["dest_project_id"], m["status"], m["vault_id"]) for m in seen["members"]] == [(DR, "accepted", DR_VAULT)]
    assert statuses(emulator, "PUT") == [502, "dropped", 200]
    assert statuses(emulator, "DELETE") == [504, "dropped", 404]
    assert statuses(emulator, "POST") == [200]
    assert waits and max(waits) >= 1  # Retry-After: 1 of the 429 was honoured
    assert "APIG.0308" not in json.dumps(results)  # no warning or message about the gateway's limit


def test_a_post_applied_then_dropped_is_not_sent_again_blind(emulator):
    emulator.add_fault(method="POST", path="/members$", drop=True, after_apply=True)
    first = as_project(emulator, OWNER, {"dest_project_ids": [DR, GOLDEN]})
    rerun = as_project(emulator, OWNER, {"dest_project_ids": [DR, GOLDEN]})
    assert first["changed"] is True and not first.get("failed")
    assert sorted(m["dest_project_id"] for m in first["members"]) == sorted([DR, GOLDEN])
    assert rerun["changed"] is False
    assert statuses(emulator, "POST") == ["dropped"]
    assert sorted(emulator.state.members[WEB]) == sorted([DR, GOLDEN])


def test_a_6714_race_sends_only_the_members_still_missing(emulator):
    # Another run adds DR between this run's read and its POST: the whole POST is refused with 6714.
    emulator.add_fault(
        method="POST",
        path="/members$",
        status=400,
        count=1,
        body={
            "error_code": "BackupService.6714",
            "error_msg": "A shared backup cannot be shared to the same member again.",
        },
    )
    emulator.seed_member(WEB, DR)
    emulator.state.members[WEB].pop(DR)  # invisible to the first read: the other run "adds" it below
    original = emulator.emulator.list_members

    def list_then_race(request, pid, bid):
        answer = original(request, pid, bid)
        if DR not in emulator.state.members.get(WEB, {}):
            emulator.seed_member(WEB, DR)
        return answer

    emulator.emulator.routes = [(m, p, list_then_race if h == original else h) for m, p, h in emulator.emulator.routes]
    try:
        result = as_project(emulator, OWNER, {"dest_project_ids": [DR, GOLDEN]})
    finally:
        emulator.emulator.routes = [
            (m, p, original if h == list_then_race else h) for m, p, h in emulator.emulator.routes
        ]
    assert not result.get("failed"), result
    assert statuses(emulator, "POST") == [400, 200]
    assert emulator.requests()[-1]["method"] == "POST"
    assert sorted(emulator.state.members[WEB]) == sorted([DR, GOLDEN])


def test_a_token_that_expires_mid_run_is_renewed_once(emulator):
    emulator.add_fault(method="GET", path="/members$", expire_tokens=True)
    result = as_project(emulator, OWNER, {"dest_project_ids": [DR]})
    assert result["changed"] is True and not result.get("failed")
    entries = [(e["path"] == "/v3/auth/tokens", e["status"]) for e in emulator.requests(api_only=False)]
    assert entries[:4] == [(True, 201), (False, 401), (True, 201), (False, 200)]
    assert sum(1 for entry in entries if entry[0]) == 2


def test_a_wrong_password_fails_once_without_a_retry_loop(emulator):
    result = as_project(emulator, OWNER, {"dest_project_ids": [DR], "password": "not-the-password"})
    assert result["failed"] is True and "The username or password is wrong" in result["msg"]
    assert len(emulator.requests(api_only=False)) == 1


def test_twelve_forks_share_and_accept_in_parallel(emulator, tmp_path):
    """12 hosts share one backup with overlapping project sets and accept in parallel; the result is the union.

    Each of the 6 projects is shared by 4 hosts at once and accepted by 2 (the races of a bigger estate, smaller)."""
    forks = 12
    extra = ["%032x" % n for n in range(1, 7)]
    for project_id in extra:
        emulator.state.add_project(
            {
                "id": project_id,
                "name": "eu-de_p%s" % project_id[-2:],
                "domain": "acme",
                "users": [{"name": "u" + project_id[-2:], "password": "pw"}],
            }
        )
        vault = {
            "id": "3a1f0c1e-0000-4000-8000-0000000001%s" % project_id[-2:],
            "project_id": project_id,
            "object_type": "server",
            "size_gb": 1000,
            "used_mb": 0,
        }
        emulator.state.vaults[vault["id"]] = vault
    hosts = dict(
        (
            "fork%02d" % n,
            {
                "ansible_connection": "local",
                "ansible_python_interpreter": sys.executable,
                "fork_projects": [extra[n % 6], extra[(n + 1) % 6]],
                "fork_recipient": extra[n % 6],
            },
        )
        for n in range(forks)
    )
    (tmp_path / "hosts.yml").write_text(yaml.safe_dump({"all": {"hosts": hosts}}))
    owner = password_auth(emulator.url, OWNER)
    recipient_auth = {
        "auth_url": emulator.url + "/v3",
        "username": "{{ 'u' ~ fork_recipient[-2:] }}",
        "password": "pw",
        "domain_name": "acme",
        "project_id": "{{ fork_recipient }}",
    }
    play = [
        {
            "hosts": "all",
            "gather_facts": False,
            "tasks": [
                {
                    "name": "Share",
                    MODULE: {"backup_id": WEB, "dest_project_ids": "{{ fork_projects }}"},
                    "module_defaults": {"group/cloudops.cbr.cbr": owner},
                },
                {
                    "name": "Accept",
                    MODULE: {
                        "backup_id": WEB,
                        "status": "accepted",
                        "vault_id": "3a1f0c1e-0000-4000-8000-0000000001{{ fork_recipient[-2:] }}",
                    },
                    "module_defaults": {"group/cloudops.cbr.cbr": recipient_auth},
                },
            ],
        }
    ]
    (tmp_path / "play.yml").write_text(yaml.safe_dump(play))
    process = subprocess.run(
        [
            os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
            "-i",
            str(tmp_path / "hosts.yml"),
            "-f",
            str(forks),
            str(tmp_path / "play.yml"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert process.returncode == 0, process.stdout[-3000:]
    assert "failed=0" in process.stdout and "failed=1" not in process.stdout
    members = emulator.state.members[WEB]
    assert sorted(members) == sorted(extra)
    assert all(m["status"] == "accepted" for m in members.values())
    posts = [e for e in emulator.requests() if e["method"] == "POST"]
    assert len([e for e in posts if e["status"] == 200]) <= 6


def test_tls_needs_the_certificate_or_warns_when_not_checked(tls_emulator, monkeypatch):
    """Also with REQUESTS_CA_BUNDLE set, which requests would let override ca_cert and validate_certs."""
    emulator, cert = tls_emulator
    url = emulator.base_url
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", certifi.where())
    info = dict(password_auth(url, OWNER), backup_id=WEB)
    refused, trusted, unchecked = [
        run_module("cbr_share_member_info", dict(info, **options))
        for options in ({}, {"ca_cert": cert}, {"validate_certs": False})
    ]
    assert url.startswith("https://")
    assert refused["failed"] is True and "TLS certificate verification failed" in refused["msg"]
    assert "ca_cert" in refused["msg"]
    assert trusted.get("count") == 0 and not trusted.get("failed"), trusted.get("msg")
    assert unchecked["count"] == 0 and "validate_certs is false" in " ".join(warning_texts(unchecked))
