# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""cbr_share_member_info against the emulator: its decisions in this process, and one ansible-playbook run for
what the playbook layer does (module_defaults of the action group, credentials from the environment, -vvv)."""

import pytest

import runners  # pylint: disable=import-error
from demo_ids import DB, DR, GOLDEN, OWNER, WEB  # pylint: disable=import-error

MODULE = "cloudops.cbr.cbr_share_member_info"
MISSING = "a5200000-0000-4000-8000-00000000ffff"
AKSK_ON_THE_TASK = {"access_key": "AKSOURCE0000000000001", "secret_key": "source-secret-key-0001", "project_id": OWNER}


def owner_auth(emulator):
    return {
        "auth_url": emulator.url + "/v3",
        "username": "ops-source",
        "password": "source-pass",
        "domain_name": "acme",
        "project_name": "eu-de_source",
    }


def info(emulator, check_mode=False, **options):
    return runners.run_module("cbr_share_member_info", dict(owner_auth(emulator), **options), check_mode=check_mode)


def seed_two_members(emulator):
    """WEB shared with DR (pending), then with GOLDEN (accepted into a vault)."""
    emulator.seed_member(WEB, DR)
    emulator.seed_member(WEB, GOLDEN, status="accepted", vault_id="3a1f0c1e-0000-4000-8000-000000000003")


@pytest.fixture(scope="module")
def verbose_play(start_emulator, demo_fixture, tmp_path_factory):
    """One ansible-playbook run at -vvv, with the owner's credentials in the OS_* environment, for the tests of the
    playbook layer. Task 0 takes its auth from module_defaults; task 1 from the environment; tasks 2-3 are the
    -vvv case (module_defaults, then AK/SK on the task). Returns (emulator, PlayResult, writes)."""
    emulator = start_emulator(demo_fixture)
    seed_two_members(emulator)
    with_defaults = {"module_defaults": {"group/cloudops.cbr.cbr": owner_auth(emulator)}}
    aksk = dict(AKSK_ON_THE_TASK, backup_id=DB, endpoint=emulator.url)
    workdir = tmp_path_factory.mktemp("verbose_play")
    result = runners.play_tasks(
        workdir,
        [
            dict({MODULE: {"backup_id": WEB}}, **with_defaults),
            {MODULE: {"backup_id": DB}},
            dict({MODULE: {"backup_id": DB}}, **with_defaults),
            {MODULE: aksk},
        ],
        verbosity=3,
        env={
            "OS_AUTH_URL": emulator.url + "/v3",
            "OS_USERNAME": "ops-source",
            "OS_PASSWORD": "source-pass",
            "OS_USER_DOMAIN_NAME": "acme",
            "OS_PROJECT_ID": OWNER,
            "TMPDIR": str(workdir),
        },
    )
    return emulator, result, emulator.writes()


# The three tests of verbose_play come first, next to each other: pytest-xdist hands out neighbours together, so
# the play usually runs once (twice when a batch boundary falls between them).
def test_lists_every_member_with_auth_from_module_defaults(verbose_play):
    _emulator, result, writes = verbose_play
    everything = result[0]
    assert everything["changed"] is False and everything["count"] == 2
    assert [m["dest_project_id"] for m in everything["members"]] == [GOLDEN, DR]
    assert set(everything["members"][1]) == {"id", "backup_id", "dest_project_id", "status", "created_at"}
    assert writes == []


def test_credentials_from_os_environment_variables(verbose_play):
    _emulator, result, _writes = verbose_play
    from_environment = result[1]
    assert from_environment["count"] == 0 and not from_environment.get("failed")


def test_secrets_stay_out_of_verbose_output(verbose_play):
    _emulator, result, _writes = verbose_play
    with_defaults, aksk = result.results[2:4]
    assert with_defaults["count"] == 0 and aksk["count"] == 0
    for secret in ("source-pass", "source-secret-key-0001", "emu-", "Signature="):
        assert secret not in result.output
        assert secret not in str(result.results)


def test_status_sort_and_limit_choose_the_members(emulator):
    seed_two_members(emulator)
    accepted = info(emulator, backup_id=WEB, status="accepted")
    first = info(emulator, backup_id=WEB, sort="created_at:asc", limit=1)
    assert [m["vault_id"] for m in accepted["members"]] == ["3a1f0c1e-0000-4000-8000-000000000003"]
    assert [m["dest_project_id"] for m in first["members"]] == [DR] and first["count"] == 1
    assert emulator.writes() == []


def test_check_mode_gives_the_same_answer_and_writes_nothing(emulator):
    emulator.seed_member(WEB, DR)
    result = info(emulator, check_mode=True, backup_id=WEB)
    assert result["count"] == 1 and result["changed"] is False
    assert emulator.writes() == []


def test_one_destination_uses_the_show_call_and_not_shared_is_empty(emulator):
    emulator.seed_member(WEB, DR)
    shared = info(emulator, backup_id=WEB, dest_project_id=DR)
    not_shared = info(emulator, backup_id=WEB, dest_project_id=GOLDEN)
    assert [m["dest_project_id"] for m in shared["members"]] == [DR]
    assert not_shared.get("failed") is not True and not_shared["members"] == [] and not_shared["count"] == 0
    assert [e["path"].rsplit("/", 1)[-1] for e in emulator.requests()] == [DR, GOLDEN]


def test_aksk_options_on_the_task(emulator):
    emulator.seed_member(WEB, DR)
    result = runners.run_module("cbr_share_member_info", dict(AKSK_ON_THE_TASK, backup_id=WEB, endpoint=emulator.url))
    assert result["count"] == 1
    assert {e["auth_type"] for e in emulator.requests(api_only=False)} == {"aksk"}


def test_a_missing_backup_fails_with_the_api_code_status_and_request_id(emulator):
    # run_module lets an exception out of main() (a MODULE FAILURE with a traceback under ansible-playbook).
    failed = info(emulator, backup_id=MISSING)
    assert failed["failed"] is True
    assert "BackupService.6200" in failed["msg"] and MISSING in failed["msg"]
    assert failed["status_code"] == 404 and failed["error_code"] == "BackupService.6200"
    assert len(failed["request_id"]) == 32


@pytest.mark.parametrize(
    "option, value",
    [
        ("backup_id", "../../vaults"),
        ("dest_project_id", "DR-PROJECT"),
        ("status", "approved"),
        ("sort", "created_at;drop"),
        ("limit", 0),
        ("vault_id", "vault-1"),
    ],
)
def test_bad_input_fails_before_any_request_naming_the_option(emulator, option, value):
    failed = info(emulator, **dict({"backup_id": WEB}, **{option: value}))
    assert failed["failed"] is True and option in failed["msg"], failed
    assert emulator.requests(api_only=False) == []


def test_missing_credentials_fail_before_any_request(emulator, monkeypatch):
    monkeypatch.setenv("OS_PASSWORD", "")
    monkeypatch.setenv("OS_TOKEN", "")
    no_credentials = runners.run_module("cbr_share_member_info", {"backup_id": WEB})
    no_project = runners.run_module("cbr_share_member_info", {"backup_id": WEB, "token": "abc", "region": "eu-de"})
    assert "no credentials" in no_credentials["msg"]
    assert "project_id is required" in no_project["msg"]
    assert emulator.requests(api_only=False) == []
