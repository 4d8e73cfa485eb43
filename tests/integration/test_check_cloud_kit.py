# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The check-your-cloud kit: every probe of cbr_api_probe in the kit's order, in process, against both emulator
profiles (what each profile answers, and what the probe sent); then the kit itself (playbooks/check_cloud.yml)
once, with its whole report, and once with a failed step."""

import os

import pytest
import yaml

from demo_ids import (  # pylint: disable=import-error
    CUSTOMER,
    CUSTOMER_DISK_VAULT,
    CUSTOMER_FROZEN_VAULT,
    CUSTOMER_VAULT,
    OWNER,
    USERS,
    WEB,
    password_auth,
)

PLAYBOOK = os.path.join(os.path.dirname(__file__), "..", "..", "playbooks", "check_cloud.yml")
RECIPIENT_KEY = ("AKCUSTOMER00000000001", "customer-secret-key-0001")
SECRETS = ("source-pass", RECIPIENT_KEY[1])
CREATED = "2026-11-01T02:00:00.000+00:00"  # WEB's created_at (the fixture's default)

# The kit's probes in its order: (step, side, probe, options). The recipient is CUSTOMER, which has a vault of each
# kind the unfit-vault probes need.
KIT = (
    ("shared", "owner", "add_member", dict(dest_project_id=CUSTOMER)),
    ("duplicate", "owner", "duplicate_add", dict(dest_project_id=CUSTOMER)),
    ("name_filter", "owner", "name_filter", {}),
    ("time_filter", "owner", "time_filter", {}),
    ("member_record", "recipient", "member_record", {}),
    ("member_list", "recipient", "member_list", {}),
    ("pending_by_id", "recipient", "pending_backup_by_id", {}),
    ("member_status_filter", "recipient", "member_status_filter", {}),
    ("shared_list", "recipient", "shared_list", {}),
    ("shared_owner", "recipient", "shared_owner", dict(owner_project_id=OWNER)),
    ("wrong_type_vault", "recipient", "wrong_type_vault", dict(vault_id=CUSTOMER_DISK_VAULT)),
    ("unavailable_vault", "recipient", "unavailable_vault", dict(vault_id=CUSTOMER_FROZEN_VAULT)),
    ("accepted", "recipient", "accept", dict(vault_id=CUSTOMER_VAULT)),
    ("accepted_vault", "recipient", "accepted_vault_id", dict(vault_id=CUSTOMER_VAULT)),
    ("member_status_after_accept", "recipient", "member_status_filter", dict(member_status="accepted")),
    ("owner_member", "owner", "owner_member", dict(dest_project_id=CUSTOMER)),
    ("rejected_after_accept", "recipient", "reject_accepted", {}),
    ("member_status_after_reject", "recipient", "member_status_filter", dict(member_status="rejected")),
)
SAME = "same"
LOOSE_NAME = (
    "loose: the name's prefix and other case finds the backup too; the collection's exact re-check removes such matches"
)
TIMES_IGNORED = (
    "ignored (or another field): every window lists the backup; the collection's re-check removes what lies outside"
)
TIMES_ON_CREATED_AT = (
    "created_at, both bounds included, to the second: the API lists what the re-check keeps (it removes nothing)"
)
# What each profile answers, step by step (docs/docsite/rst/check_your_cloud.rst has the same table).
FINDINGS = {
    "shared": ("no: the answer has members only", "yes: the answer has count"),
    "duplicate": ("refused with 400 BackupService.6703", "refused with 400 BackupService.6714"),
    "name_filter": (
        LOOSE_NAME,
        "exact: only the exact name finds the backup; the collection's re-check removes nothing",
    ),
    "time_filter": (TIMES_IGNORED, TIMES_ON_CREATED_AT),
    "member_record": (
        "no: the receiving project cannot read its member record (404 BackupService.6200)",
        "yes: the receiving project can read its member record",
    ),
    "member_list": (
        "no: the receiving project cannot list the members (404 BackupService.6200)",
        "no: the receiving project cannot list the members (400 BackupService.6707)",
    ),
    "pending_by_id": (
        "no: a pending shared backup is not visible by id (404 BackupService.6200)",
        "yes: a pending shared backup is visible by id",
    ),
    "member_status_filter": ("yes: listed under pending only", SAME),
    "shared_list": ("yes: listed with project_id, resource_size, resource_type, status", SAME),
    "shared_owner": ("yes: every entry (1) has project_id, and this one names the owner", SAME),
    "wrong_type_vault": (
        "refused with 400 BackupService.6713: The type of the vault accepting the shared backup and the backup "
        "resource type are different.",
        SAME,
    ),
    "unavailable_vault": (
        "refused with 400 BackupService.6712: Backup sharing is not allowed in the current vault status.",
        SAME,
    ),
    "accepted": (
        "inconclusive: the vault had room for the whole resource_size (512000 MB free, 40 GB); use a fuller vault "
        "to tell the rules apart",
        SAME,
    ),
    "accepted_vault": (
        "the receiving project's own vault (the one it accepted into)",
        "another vault than the one accepted into (probably the owner's)",
    ),
    "member_status_after_accept": ("yes: listed under accepted only", SAME),
    "owner_member": ("status accepted, vault_id %s" % CUSTOMER_VAULT, SAME),
    "rejected_after_accept": ("yes: the accepted share is now rejected", SAME),
    "member_status_after_reject": ("yes: listed under rejected only", SAME),
}


def expected_findings(profile):
    return dict(
        (step, strict if profile == "strict" or lenient == SAME else lenient)
        for step, (strict, lenient) in FINDINGS.items()
    )


def observe(run_module, auth, probe, **options):
    result = run_module("cbr_api_probe", dict(auth, probe=probe, backup_id=WEB, **options))
    assert result.get("failed") is not True, result
    return result


def run_kit_in_process(emulator, run_module):
    """{step: (observation, changed, the requests it sent)} of the kit's probes, in process."""
    auth = dict(owner=password_auth(emulator.url, OWNER), recipient=password_auth(emulator.url, CUSTOMER))
    seen = {}
    for step, side, probe, options in KIT:
        emulator.clear_log()
        result = observe(run_module, auth[side], probe, **options)
        seen[step] = (result["observation"], result["changed"], emulator.requests())
    return seen


@pytest.mark.parametrize("profile", ["strict", "lenient"])
def test_each_probe_answers_what_the_profile_does(emulator, run_module, profile):
    emulator.set_profile(profile)
    seen = run_kit_in_process(emulator, run_module)
    assert dict((step, obs["finding"]) for step, (obs, _c, _log) in seen.items()) == expected_findings(profile)
    for step, (obs, _changed, log) in seen.items():
        side = dict((s, side) for s, side, _p, _o in KIT)[step]
        assert obs["host"] == "127.0.0.1" and obs["iam_host"] == "127.0.0.1", step
        assert obs["project_id"] == (OWNER if side == "owner" else CUSTOMER), step
        assert obs["question"].endswith(")") and "docs/api_notes.md §" in obs["question"], step
        assert {e["scope_project"] for e in log} == {obs["project_id"]}, step  # one identity per probe

    def sent(step):
        return [(e["method"], e["path"].split("/", 3)[-1], e["query"]) for e in seen[step][2]]

    # name_filter: the exact name, a prefix, the other case, each a list of the owner's own backups.
    assert sent("name_filter") == [("GET", "backups/" + WEB, {})] + [
        ("GET", "backups", {"name": name}) for name in ("web-01-daily", "web-01-dail", "WEB-01-DAILY")
    ]
    assert seen["name_filter"][0]["details"]["listed"] == (
        {"exact": True, "prefix": True, "other_case": True}
        if profile == "strict"
        else {"exact": True, "prefix": False, "other_case": False}
    )
    # time_filter: five windows around created_at, to the second; the collection keeps the first three.
    windows = seen["time_filter"][0]["details"]["windows"]
    assert [q for _m, path, q in sent("time_filter") if path == "backups"] == [
        {"start_time": "2026-11-01T01:59:59Z", "end_time": "2026-11-01T02:00:01Z"},
        {"start_time": "2026-11-01T02:00:00Z"},
        {"end_time": "2026-11-01T02:00:00Z"},
        {"start_time": "2026-11-01T02:00:01Z"},
        {"end_time": "2026-11-01T01:59:59Z"},
    ]
    assert [w["kept"] for w in windows.values()] == [True, True, True, False, False]
    assert [w["listed"] for w in windows.values()] == (
        [True] * 5 if profile == "strict" else [True, True, True, False, False]
    )
    assert seen["time_filter"][0]["details"]["created_at"] == CREATED
    # The reads write nothing; the unfit vaults were refused, so only the share, the accept and the reject changed.
    changed = [step for step, (_obs, was_changed, _log) in seen.items() if was_changed]
    assert changed == ["shared", "accepted", "rejected_after_accept"]
    assert [(m, p) for m, p, _q in sent("wrong_type_vault")] == [
        ("GET", "vaults/" + CUSTOMER_DISK_VAULT),
        ("PUT", "backups/%s/members/%s" % (WEB, CUSTOMER)),
    ]
    assert seen["wrong_type_vault"][0]["details"] == dict(
        object_type="disk", status="available", protect_type="backup", locked=False, accepted=False
    )
    assert seen["unavailable_vault"][0]["details"]["status"] == "frozen"
    assert [m for m, _p, _q in sent("shared_owner")] == ["GET"] and sent("shared_owner")[0][2] == {"own_type": "shared"}
    assert emulator.state.members[WEB][CUSTOMER]["status"] == "rejected"


def test_without_an_unfit_vault_nothing_is_sent_and_the_finding_says_not_asked(emulator, run_module):
    emulator.seed_member(WEB, CUSTOMER)
    for probe in ("wrong_type_vault", "unavailable_vault"):
        emulator.clear_log()
        result = observe(run_module, password_auth(emulator.url, CUSTOMER), probe)
        assert result["observation"]["finding"] == "not asked: no vault_id was given"
        assert result["observation"]["request"] is None and result["changed"] is False
        assert emulator.requests() == []


def test_an_unfit_vault_the_cloud_takes_is_reported_as_accepted(emulator, run_module):
    emulator.seed_member(WEB, CUSTOMER)
    result = observe(run_module, password_auth(emulator.url, CUSTOMER), "wrong_type_vault", vault_id=CUSTOMER_VAULT)
    assert result["changed"] is True and result["observation"]["finding"].startswith("accepted: the vault was not")
    assert emulator.state.members[WEB][CUSTOMER]["status"] == "accepted"


@pytest.mark.parametrize("loose", [False, True])
def test_after_the_accept_a_loose_member_status_filter_is_told(emulator, run_module, loose):
    emulator.seed_member(WEB, CUSTOMER, status="accepted", vault_id=CUSTOMER_VAULT)
    emulator.set_switches(loose_member_status=loose)
    auth = password_auth(emulator.url, CUSTOMER)
    finding = observe(run_module, auth, "member_status_filter", member_status="accepted")["observation"]["finding"]
    assert finding == (
        "no: the accepted backup is also listed under pending, rejected (a loose filter)"
        if loose
        else "yes: listed under accepted only"
    )


def test_a_refused_reject_is_the_observation(emulator, run_module):
    emulator.seed_member(WEB, CUSTOMER, status="accepted", vault_id=CUSTOMER_VAULT)
    body = {"error_code": "BackupService.6706", "error_msg": "A share that is accepted cannot become rejected."}
    emulator.add_fault(method="PUT", path="/members/", status=400, body=body)
    result = observe(run_module, password_auth(emulator.url, CUSTOMER), "reject_accepted")
    assert result["changed"] is False and result["observation"]["details"] == {"rejected": False}
    assert result["observation"]["finding"] == "no: the accepted share cannot be rejected (400 BackupService.6706)"


def test_shared_entries_without_an_owner_project_are_counted(emulator, run_module, shared_entries_without_owner):
    emulator.seed_member(WEB, CUSTOMER)
    result = observe(run_module, password_auth(emulator.url, CUSTOMER), "shared_owner", owner_project_id=OWNER)
    assert (
        result["observation"]["finding"] == "no: 1 of 1 entries have no project_id; owner_project_ids cannot match them"
    )


@pytest.mark.parametrize("fault", [dict(status=500), dict(drop=True)])
def test_a_probe_fails_when_the_question_got_no_answer(emulator, run_module, fault):
    # A POST is not retried after a 5xx or a dropped connection, so the failure comes at once.
    emulator.add_fault(method="POST", path="/members$", **fault)
    result = run_module(
        "cbr_api_probe",
        dict(password_auth(emulator.url, OWNER), probe="add_member", backup_id=WEB, dest_project_id=CUSTOMER),
    )
    assert result["failed"] is True and "observation" not in result, result


@pytest.mark.parametrize(
    "windows, finding",
    [
        (
            dict(until_created=dict(listed=False, kept=True), after_created=dict(listed=False, kept=False)),
            "the API leaves the backup out for until_created where the re-check keeps it: the collection misses such "
            "backups",
        ),
        (
            dict(
                from_created=dict(listed=True, kept=True),
                after_created=dict(listed=True, kept=False),
                before_created=dict(listed=False, kept=False),
            ),
            "the re-check removes what the API listed for after_created",
        ),
    ],
)
def test_the_time_finding_names_what_the_recheck_removes_and_what_it_misses(windows, finding):
    from ansible_collections.cloudops.cbr.plugins.modules.cbr_api_probe import (  # pylint: disable=import-outside-toplevel
        time_finding,
    )

    assert time_finding(windows) == finding


# -- the kit itself: ansible-playbook, once to the end and once with a failed step


def kit_env(emulator, report, vaults=True):
    owner_user, owner_password = USERS[OWNER]
    env = {
        "CBR_CHECK_OWNER_AUTH_URL": emulator.url + "/v3",
        "CBR_CHECK_OWNER_USERNAME": owner_user,
        "CBR_CHECK_OWNER_PASSWORD": owner_password,
        "CBR_CHECK_OWNER_DOMAIN_NAME": "acme",
        "CBR_CHECK_OWNER_PROJECT_ID": OWNER,
        # The recipient signs with AK/SK, as a second credential kind in one run.
        "CBR_CHECK_RECIPIENT_ACCESS_KEY": RECIPIENT_KEY[0],
        "CBR_CHECK_RECIPIENT_SECRET_KEY": RECIPIENT_KEY[1],
        "CBR_CHECK_RECIPIENT_PROJECT_ID": CUSTOMER,
        "CBR_CHECK_RECIPIENT_ENDPOINT": emulator.url,
        "CBR_CHECK_BACKUP_ID": WEB,
        "CBR_CHECK_VAULT_ID": CUSTOMER_VAULT,
        "CBR_CHECK_REPORT": str(report),
    }
    if vaults:
        env.update(
            CBR_CHECK_WRONG_TYPE_VAULT_ID=CUSTOMER_DISK_VAULT, CBR_CHECK_UNAVAILABLE_VAULT_ID=CUSTOMER_FROZEN_VAULT
        )
    return env


@pytest.fixture
def run_kit(emulator, run_playbook, tmp_path):
    def run(faults=()):
        for fault in faults:
            emulator.add_fault(**fault)
        report = tmp_path / "report.yml"
        result = run_playbook(PLAYBOOK, env=kit_env(emulator, report))
        with open(report, encoding="utf-8") as handle:
            text = handle.read()
        return result, text, yaml.safe_load(text), emulator.requests()

    return run


def test_the_kit_reports_every_probe_the_hosts_and_no_secret(emulator, run_kit):
    result, text, report, log = run_kit()
    assert result.rc == 0, result.output[-3000:]
    steps = [o["step"] for o in report["observations"]]
    assert steps == [step for step, _side, _probe, _options in KIT]
    findings = dict((o["step"], o["finding"]) for o in report["observations"])
    # The same answers as the probes in process.
    assert findings == expected_findings("strict")
    assert report["hosts"] == {"iam": ["127.0.0.1"], "cbr": ["127.0.0.1"]}
    by_step = dict((o["step"], o) for o in report["observations"])
    assert by_step["shared"]["iam_host"] == "127.0.0.1" and by_step["member_record"]["iam_host"] is None
    assert by_step["shared_owner"]["details"]["names_owner"] is True
    # The collection's own path works, and the share is removed at the end.
    assert report["failure"] is None
    assert report["collection"] == {
        "receiver_view_finds_the_share": True,
        "accept_planned_in_check_mode": True,
        "accept_plan_warnings": [],
        "rerun_after_accept_changed": False,
        "rerun_warnings": [],
        "owner_sees": [{"status": "accepted", "vault_id": CUSTOMER_VAULT}],
        "share_removed": True,
    }
    assert emulator.state.members.get(WEB, {}) == {}
    assert [(e["method"], e["status"]) for e in log if e["method"] == "DELETE"] == [("DELETE", 204)]
    with emulator.state.lock:
        tokens = list(emulator.state.tokens)
    assert tokens  # the owner logged in: its token must not show
    for secret in SECRETS + tuple(tokens) + ("Signature=", "X-Auth-Token"):
        assert secret not in text and secret not in result.output, secret


def test_a_failed_step_is_reported_the_share_removed_and_the_run_fails(emulator, run_kit):
    # The share is made but its answer is lost (a POST is not retried): the first step fails with the share in place.
    result, _text, report, log = run_kit([dict(method="POST", path="/members$", status=500, after_apply=True)])
    assert result.rc != 0
    assert report["failure"].startswith("Share the backup with the receiving project (raw AddMember, owner): ")
    assert "500" in report["failure"] and report["observations"] == []
    assert report["collection"]["share_removed"] is True
    assert [e["method"] for e in log if e["method"] == "DELETE"] == ["DELETE"]
    assert emulator.state.members.get(WEB, {}) == {}
