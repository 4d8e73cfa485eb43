# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""cbr_share_member_info through ansible-playbook against the emulator."""

from demo_ids import DR, GOLDEN, OWNER, WEB  # pylint: disable=import-error

MODULE = "cloudops.cbr.cbr_share_member_info"


def owner_auth(emulator):
    return {
        "auth_url": emulator.url + "/v3",
        "username": "ops-source",
        "password": "source-pass",
        "domain_name": "acme",
        "project_name": "eu-de_source",
    }


def test_lists_every_member_with_auth_from_module_defaults(emulator, play):
    emulator.seed_member(WEB, DR)
    emulator.seed_member(WEB, GOLDEN, status="accepted", vault_id="3a1f0c1e-0000-4000-8000-000000000003")
    result = play(
        [
            {MODULE: {"backup_id": WEB}},
            {MODULE: {"backup_id": WEB, "status": "accepted"}},
            {MODULE: {"backup_id": WEB, "sort": "created_at:asc", "limit": 1}},
        ],
        defaults=owner_auth(emulator),
    )
    everything, accepted, first = result.results
    assert everything["changed"] is False and everything["count"] == 2
    assert [m["dest_project_id"] for m in everything["members"]] == [GOLDEN, DR]
    assert set(everything["members"][1]) == {"id", "backup_id", "dest_project_id", "status", "created_at"}
    assert [m["vault_id"] for m in accepted["members"]] == ["3a1f0c1e-0000-4000-8000-000000000003"]
    assert [m["dest_project_id"] for m in first["members"]] == [DR] and first["count"] == 1
    assert emulator.writes() == []


def test_check_mode_gives_the_same_answer_and_writes_nothing(emulator, play):
    emulator.seed_member(WEB, DR)
    result = play([{MODULE: {"backup_id": WEB}}], check=True, defaults=owner_auth(emulator))
    assert result[0]["count"] == 1 and result[0]["changed"] is False
    assert emulator.writes() == []


def test_one_destination_uses_the_show_call_and_not_shared_is_empty(emulator, play):
    emulator.seed_member(WEB, DR)
    result = play(
        [
            {MODULE: {"backup_id": WEB, "dest_project_id": DR}},
            {MODULE: {"backup_id": WEB, "dest_project_id": GOLDEN}},
        ],
        defaults=owner_auth(emulator),
    )
    shared, not_shared = result.results
    assert [m["dest_project_id"] for m in shared["members"]] == [DR]
    assert not_shared.get("failed") is not True and not_shared["members"] == [] and not_shared["count"] == 0
    assert [e["path"].rsplit("/", 1)[-1] for e in emulator.requests()] == [DR, GOLDEN]


def test_aksk_options_on_the_task(emulator, play):
    emulator.seed_member(WEB, DR)
    result = play(
        [
            {
                MODULE: {
                    "backup_id": WEB,
                    "access_key": "AKSOURCE0000000000001",
                    "secret_key": "source-secret-key-0001",
                    "project_id": OWNER,
                    "endpoint": emulator.url,
                }
            }
        ]
    )
    assert result[0]["count"] == 1
    assert {e["auth_type"] for e in emulator.requests(api_only=False)} == {"aksk"}


def test_a_missing_backup_fails_with_the_api_code_status_and_request_id(emulator, play):
    result = play([{MODULE: {"backup_id": "a5200000-0000-4000-8000-00000000ffff"}}], defaults=owner_auth(emulator))
    failed = result[0]
    assert failed["failed"] is True
    assert "BackupService.6200" in failed["msg"] and "a5200000-0000-4000-8000-00000000ffff" in failed["msg"]
    assert failed["status_code"] == 404 and failed["error_code"] == "BackupService.6200"
    assert len(failed["request_id"]) == 32
    assert "Traceback" not in result.output


def test_bad_input_fails_before_any_request_naming_the_option(emulator, play):
    result = play(
        [
            {MODULE: {"backup_id": "../../vaults"}},
            {MODULE: {"backup_id": WEB, "dest_project_id": "DR-PROJECT"}},
            {MODULE: {"backup_id": WEB, "status": "approved"}},
            {MODULE: {"backup_id": WEB, "sort": "created_at;drop"}},
            {MODULE: {"backup_id": WEB, "limit": 0}},
            {MODULE: {"backup_id": WEB, "vault_id": "vault-1"}},
        ],
        defaults=owner_auth(emulator),
    )
    for failed, option in zip(result.results, ("backup_id", "dest_project_id", "status", "sort", "limit", "vault_id")):
        assert failed["failed"] is True and option in failed["msg"], failed
    assert emulator.requests(api_only=False) == []


def test_missing_credentials_fail_before_any_request(emulator, play):
    result = play(
        [
            {MODULE: {"backup_id": WEB}},
            {MODULE: {"backup_id": WEB, "token": "abc", "region": "eu-de"}},
        ],
        env={"OS_PASSWORD": "", "OS_TOKEN": ""},
    )
    assert "no credentials" in result[0]["msg"]
    assert "project_id is required" in result[1]["msg"]
    assert emulator.requests(api_only=False) == []


def test_credentials_from_os_environment_variables(emulator, play):
    env = {
        "OS_AUTH_URL": emulator.url + "/v3",
        "OS_USERNAME": "ops-source",
        "OS_PASSWORD": "source-pass",
        "OS_USER_DOMAIN_NAME": "acme",
        "OS_PROJECT_ID": OWNER,
    }
    result = play([{MODULE: {"backup_id": WEB}}], env=env)
    assert result[0]["count"] == 0 and not result[0].get("failed")


def test_secrets_stay_out_of_verbose_output(emulator, play):
    result = play(
        [
            {MODULE: {"backup_id": WEB}},
            {
                MODULE: {
                    "backup_id": WEB,
                    "access_key": "AKSOURCE0000000000001",
                    "secret_key": "source-secret-key-0001",
                    "project_id": OWNER,
                    "endpoint": emulator.url,
                }
            },
        ],
        defaults=owner_auth(emulator),
        verbosity=3,
    )
    assert result[0]["count"] == 0 and result[1]["count"] == 0
    for secret in ("source-pass", "source-secret-key-0001", "emu-", "Signature="):
        assert secret not in result.output
        assert secret not in str(result.results)
