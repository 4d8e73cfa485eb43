# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""cbr_auth, cbr_backup_info and cbr_vault_info against the emulator: in this process, and through ansible-playbook
where cbr_auth's output feeds module_defaults."""

import pytest
import yaml

from demo_ids import CUSTOMER, DB, DISK_BACKUP, DR, OWNER, WEB  # pylint: disable=import-error


def password(emulator, user, secret, project_id):
    return {
        "auth_url": emulator.url + "/v3",
        "username": user,
        "password": secret,
        "domain_name": "acme",
        "project_id": project_id,
    }


def test_cbr_auth_output_lets_every_module_of_the_group_reach_its_own_service(emulator, play):
    """One login; then CBR calls go to the CBR address and VBS calls to the VBS address, from module_defaults."""
    emulator.seed_member(WEB, DR)
    group = {"group/cloudops.cbr.cbr": "{{ result_0.auth }}"}
    result = play(
        [
            dict({"cloudops.cbr.cbr_auth": password(emulator, "ops-source", "source-pass", OWNER)}, no_log=True),
            {"cloudops.cbr.cbr_share_member_info": {"backup_id": WEB}, "module_defaults": group},
            {"cloudops.cbr.cbr_share_member": {"backup_id": WEB, "dest_project_ids": [DR]}, "module_defaults": group},
            {
                "cloudops.cbr.cbr_backup_share": {"backup_id": DISK_BACKUP, "to_project_ids": [DR]},
                "module_defaults": group,
            },
        ],
        verbosity=2,
    )
    login, info, member, vbs_share = result.results
    assert login["auth"]["project_id"] == OWNER and "endpoint" not in login["auth"]
    assert login["auth"]["endpoints"] == {"cbr": emulator.url, "vbs": emulator.vbs_url}
    assert login["expires_at"].endswith("Z")
    assert info["count"] == 1 and member["changed"] is False
    assert vbs_share.get("failed") is not True and vbs_share["created"] == [DR], vbs_share
    log = emulator.requests(api_only=False)
    assert len([e for e in log if e["path"] == "/v3/auth/tokens"]) == 1
    assert {(e["auth_type"], e["identity"], e["scope_project"]) for e in emulator.requests()} == {
        ("token", "ops-source", OWNER)
    }
    listeners = {(e["listener"], e["path"].split("/")[1]) for e in emulator.requests()}
    assert listeners == {("main", "v3"), ("vbs", "v2")}
    assert login["auth"]["token"] not in result.output


@pytest.mark.parametrize("source", ["task", "cloud", "OS_*", "HW_*"])
def test_cbr_auth_logs_in_with_a_password_from_every_source(emulator, run_module, monkeypatch, tmp_path, source):
    for name in (
        "OS_CLOUD",
        "OS_CLIENT_CONFIG_FILE",
        "OS_CLIENT_SECURE_FILE",
        "OS_TOKEN",
        "OS_ACCESS_KEY",
        "OS_SECRET_KEY",
        "HW_AUTH_TOKEN",
        "HW_ACCESS_KEY",
        "HW_SECRET_KEY",
        "HUAWEICLOUD_SDK_AK",
        "HUAWEICLOUD_SDK_SK",
        "OS_USERNAME",
        "OS_PASSWORD",
        "OS_PROJECT_ID",
        "OS_PROJECT_NAME",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    args = {}
    if source == "task":
        args = password(emulator, "ops-source", "source-pass", OWNER)
    elif source == "cloud":
        (tmp_path / "clouds.yaml").write_text(
            yaml.safe_dump(
                {
                    "clouds": {
                        "src": {
                            "auth": {
                                "auth_url": emulator.url + "/v3",
                                "username": "ops-source",
                                "password": "source-pass",
                                "user_domain_name": "acme",
                                "project_name": "eu-de_source",
                            },
                            "region_name": "eu-de",
                        }
                    }
                }
            )
        )
        monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(tmp_path / "clouds.yaml"))
        args = {"cloud": "src"}
    elif source == "OS_*":
        for name, value in {
            "OS_AUTH_URL": emulator.url + "/v3",
            "OS_USERNAME": "ops-source",
            "OS_PASSWORD": "source-pass",
            "OS_DOMAIN_NAME": "acme",
            "OS_PROJECT_ID": OWNER,
        }.items():
            monkeypatch.setenv(name, value)
    else:
        for name, value in {
            "HW_AUTH_URL": emulator.url + "/v3",
            "HW_USER_NAME": "ops-source",
            "HW_USER_PASSWORD": "source-pass",
            "HW_DOMAIN_NAME": "acme",
            "HW_PROJECT_NAME": "eu-de_source",
        }.items():
            monkeypatch.setenv(name, value)
    result = run_module("cbr_auth", args)
    assert result.get("failed") is not True, result
    assert result["auth"]["project_id"] == OWNER and result["auth"]["token"].startswith("emu-")
    assert result["auth"]["endpoints"] == {"cbr": emulator.url, "vbs": emulator.vbs_url}
    assert "source-pass" not in repr(result)
    assert [(e["path"], e["identity"]) for e in emulator.requests(api_only=False)] == [
        ("/v3/auth/tokens", "ops-source")
    ]


def test_cbr_auth_refuses_credentials_that_need_no_login(emulator, run_module):
    result = run_module("cbr_auth", {"access_key": "AK", "secret_key": "SK", "project_id": OWNER, "region": "eu-de"})
    assert "cbr_auth logs in with username and password only" in result["msg"]
    assert emulator.requests(api_only=False) == []


def test_cbr_backup_info_owner_and_receiver_views(emulator, run_module):
    emulator.seed_member(WEB, DR)
    emulator.seed_member(DB, DR, status="accepted")
    owner = password(emulator, "ops-source", "source-pass", OWNER)
    dr = password(emulator, "ops-dr", "dr-pass", DR)
    one, every, servers, pending, shared_one, not_visible = [
        run_module("cbr_backup_info", dict(auth, **options))
        for auth, options in (
            (owner, {"backup_id": WEB}),
            (owner, {}),
            (owner, {"resource_type": "OS::Nova::Server", "status": "available"}),
            (dr, {"own_type": "shared", "member_status": "pending"}),
            (dr, {"backup_id": DB}),
            (dr, {"backup_id": "a5200000-0000-4000-8000-000000000003"}),
        )
    ]
    assert one["backups"][0]["resource_size"] == 40 and one["backups"][0]["project_id"] == OWNER
    assert every["count"] == 5
    assert servers["count"] == 3
    assert [b["id"] for b in pending["backups"]] == [WEB]
    assert shared_one["backups"][0]["project_id"] == OWNER
    assert not_visible["backups"] == [] and not not_visible.get("failed")


def test_cbr_vault_info_says_which_vaults_fit_and_why_not(emulator, run_module):
    customer = password(emulator, "ops-customer", "customer-pass", CUSTOMER)
    backup = {"resource_type": "OS::Nova::Server", "resource_size": 40}
    fit, disks, missing = [
        run_module("cbr_vault_info", dict(customer, **options))
        for options in (
            {"backup": backup, "capacity_check": "fail"},
            {"object_type": "disk"},
            {"vault_id": "3a1f0c1e-0000-4000-8000-0000000000ff"},
        )
    ]
    by_name = {v["name"]: v for v in fit["vaults"]}
    assert [name for name, v in sorted(by_name.items()) if v["fits"]] == ["vault-customer-servers"]
    assert "BackupService.6713" in by_name["vault-customer-disks"]["refusals"][0]
    assert by_name["vault-customer-full"]["refusals"] == [
        "it has 10240 MB free and the backup needs 40960 MB (40 GB, computed from its resource_size, the size of the "
        "backed-up resource; the backup itself may be smaller)"
    ]
    assert "frozen" in by_name["vault-customer-frozen"]["refusals"][0]
    assert by_name["vault-customer-servers"]["free_mb"] == 500 * 1024
    assert [v["name"] for v in disks["vaults"]] == ["vault-customer-disks"] and "fits" not in disks["vaults"][0]
    assert missing["vaults"] == [] and missing["count"] == 0
