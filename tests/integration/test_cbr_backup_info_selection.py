# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""cbr_backup_info selects backups as operators think of them; the request log shows what went to the API."""

import copy
import datetime

import pytest

from demo_ids import DR, OWNER, password_auth  # pylint: disable=import-error

VAULT_A = "3a1f0c1e-0000-4000-8000-00000000000a"
VAULT_B = "3a1f0c1e-0000-4000-8000-00000000000b"
WEB, DB, DATA = (
    "5e4e0000-0000-4000-8000-000000000001",
    "5e4e0000-0000-4000-8000-000000000002",
    "5e4e0000-0000-4000-8000-000000000003",
)
NOW = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def backup_id(server, day):
    return "b000000%s-0000-4000-8000-%012d" % (server[-1], day)


def day_backup(server, name, day, vault, status="available", resource_type="OS::Nova::Server"):
    created = NOW - datetime.timedelta(days=day, hours=1)
    return {
        "id": backup_id(server, day),
        "name": "%s-%s" % (name, created.strftime("%Y%m%d")),
        "resource_id": server,
        "resource_name": name,
        "resource_type": resource_type,
        "status": status,
        "vault_id": vault,
        "resource_size_gb": 40,
        "created_at": created.strftime("%Y-%m-%dT%H:%M:%S.000+00:00"),
    }


def fixture():
    backups = [day_backup(WEB, "web-01", day, VAULT_A) for day in range(3)]
    backups += [day_backup(DB, "db-01", day, VAULT_A, status="error" if day == 0 else "available") for day in range(3)]
    backups += [day_backup(DATA, "data-01", day, VAULT_B, resource_type="OS::Cinder::Volume") for day in range(2)]
    return {
        "region": "eu-de",
        "projects": [
            {
                "id": OWNER,
                "name": "eu-de_source",
                "domain": "acme",
                "users": [{"name": "ops-source", "password": "source-pass"}],
                "vaults": [
                    {
                        "id": VAULT_A,
                        "name": "servers",
                        "object_type": "server",
                        "status": "available",
                        "size_gb": 500,
                        "used_mb": 0,
                    },
                    {
                        "id": VAULT_B,
                        "name": "disks",
                        "object_type": "disk",
                        "status": "available",
                        "size_gb": 500,
                        "used_mb": 0,
                    },
                ],
                "backups": backups,
            },
            {
                "id": DR,
                "name": "eu-de_dr",
                "domain": "acme",
                "users": [{"name": "ops-dr", "password": "dr-pass"}],
                "vaults": [],
            },
        ],
    }


@pytest.fixture(scope="module")
def selection_emulator(start_emulator):
    return start_emulator(fixture())


@pytest.fixture
def select(selection_emulator, run_module):
    def run(project=OWNER, **args):
        selection_emulator.clear_log()
        result = run_module("cbr_backup_info", dict(password_auth(selection_emulator.url, project), **args))
        queries = [entry["query"] for entry in selection_emulator.requests() if entry["path"].endswith("/backups")]
        return result, queries

    return run


def test_newest_available_backup_per_server_in_a_vault(select):
    result, queries = select(vault_id=VAULT_A, newest_per_resource=1)
    assert result["backup_ids"] == [backup_id(WEB, 0), backup_id(DB, 1)]
    assert [b["id"] for b in result["backups"]] == result["backup_ids"] and result["count"] == 2
    assert queries == [
        {
            "own_type": "private",
            "vault_id": VAULT_A,
            "status": "available",
            "image_type": "backup",
            "limit": "1000",
            "sort": "created_at:asc,id:asc",
        }
    ]


def test_newest_two_per_resource_keeps_the_asked_status(select):
    result, queries = select(resource_type="OS::Nova::Server", status=["available", "error"], newest_per_resource=2)
    assert result["backup_ids"] == [backup_id(WEB, 0), backup_id(WEB, 1), backup_id(DB, 0), backup_id(DB, 1)]
    assert queries[0]["status"] == ["available", "error"]
    assert queries[0]["resource_type"] == "OS::Nova::Server"


def test_created_after_an_age_is_sent_as_start_time(select):
    result, queries = select(created_after="12h", resource_ids=[WEB])
    assert result["backup_ids"] == [backup_id(WEB, 0)]
    start = datetime.datetime.strptime(queries[0]["start_time"], "%Y-%m-%dT%H:%M:%SZ")
    expected = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(hours=12)
    assert abs((start - expected).total_seconds()) < 60
    assert queries[0]["resource_id"] == WEB and "end_time" not in queries[0]


def test_created_between_two_times(select):
    after = (NOW - datetime.timedelta(days=1, hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    before = (NOW - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    result, queries = select(created_after=after, created_before=before)
    assert sorted(result["backup_ids"]) == sorted([backup_id(WEB, 1), backup_id(DB, 1), backup_id(DATA, 1)])
    assert (queries[0]["start_time"], queries[0]["end_time"]) == (after, before)


def test_several_resources_are_filtered_here_in_one_listing(select):
    result, queries = select(resource_ids=[WEB, DATA], status=["available"])
    assert sorted(result["backup_ids"]) == sorted(
        [backup_id(WEB, d) for d in range(3)] + [backup_id(DATA, d) for d in range(2)]
    )
    assert len(queries) == 1 and "resource_id" not in queries[0]


def test_name_is_exact_not_a_search(select):
    wanted = "web-01-%s" % (NOW - datetime.timedelta(hours=1)).strftime("%Y%m%d")
    result, queries = select(name=wanted)
    assert result["backup_ids"] == [backup_id(WEB, 0)]
    assert queries[0]["name"] == wanted
    assert select(name="web-01")[0]["backup_ids"] == []


def test_resource_name(select):
    result, queries = select(resource_name="data-01")
    assert sorted(result["backup_ids"]) == sorted(backup_id(DATA, d) for d in range(2))
    assert queries[0]["resource_name"] == "data-01"


def test_limit_is_applied_after_the_selection(select):
    result, queries = select(newest_per_resource=1, limit=1)
    assert result["count"] == 1 and queries[0]["limit"] == "1000"


def test_a_limit_with_a_filter_the_api_matches_loosely_still_returns_as_many_as_asked(select, selection_emulator):
    # The emulator's name filter is a substring match: "db-01-" also matches older days. Sending limit=1 with it
    # would bring back day 0 (status error, dropped here) and nothing else.
    result, queries = select(name="db-01-%s" % (NOW - datetime.timedelta(days=1, hours=1)).strftime("%Y%m%d"), limit=1)
    assert result["backup_ids"] == [backup_id(DB, 1)]
    result, queries = select(resource_name="db-01", status=["available"], limit=2)
    assert sorted(result["backup_ids"]) == sorted([backup_id(DB, 1), backup_id(DB, 2)])
    assert all(q["limit"] == "1000" for q in queries)  # the page size, never the user's limit


def test_replication_copies_are_left_out_unless_asked_for(select, selection_emulator):
    copy_id = backup_id(WEB, 1)
    selection_emulator.state.backups[copy_id]["image_type"] = "replication"
    try:
        backups, queries = select(resource_name="web-01")
        both, both_queries = select(resource_name="web-01", image_types=["backup", "replication"])
    finally:
        selection_emulator.state.reset()
    assert copy_id not in backups["backup_ids"] and len(backups["backup_ids"]) == 2
    assert queries[0]["image_type"] == "backup"
    assert copy_id in both["backup_ids"] and "image_type" not in both_queries[0]


def test_empty_image_types_is_refused_before_any_request(select):
    result, queries = select(image_types=[])
    assert result["failed"] is True and "image_types must name backup, replication or both" in result["msg"]
    assert queries == []


def test_by_id_the_receiving_project_finds_a_pending_share_in_the_shared_list(select, selection_emulator):
    selection_emulator.seed_member(backup_id(WEB, 0), DR)
    try:
        result, queries = select(project=DR, backup_id=backup_id(WEB, 0))
        paths = [e["path"] for e in selection_emulator.requests()]
    finally:
        selection_emulator.state.reset()
    assert result["backup_ids"] == [backup_id(WEB, 0)] and result["backups"][0]["project_id"] == OWNER
    # The by-id read answers 404 to a recipient that has not accepted (strict); the documented list has it.
    assert paths == ["/v3/%s/backups/%s" % (DR, backup_id(WEB, 0)), "/v3/%s/backups" % DR]
    assert queries == [{"own_type": "shared", "limit": "1000", "sort": "created_at:asc,id:asc"}]


def test_shared_backups_pending_for_the_recipient(select, selection_emulator):
    selection_emulator.seed_member(backup_id(WEB, 0), DR)
    selection_emulator.seed_member(backup_id(WEB, 1), DR, status="rejected")
    try:
        result, queries = select(project=DR, own_type="shared", member_status="pending")
    finally:
        selection_emulator.state.reset()
    assert result["backup_ids"] == [backup_id(WEB, 0)]
    assert queries == [
        {
            "own_type": "shared",
            "member_status": "pending",
            "image_type": "backup",
            "limit": "1000",
            "sort": "created_at:asc,id:asc",
        }
    ]


@pytest.mark.parametrize(
    "args, option",
    [
        ({"created_after": "yesterday"}, "created_after"),
        ({"created_before": "2026-11-01"}, "created_before"),
        ({"created_after": "1d", "created_before": "2d"}, "created_after (1d) is later than created_before (2d)"),
        ({"newest_per_resource": 0}, "newest_per_resource must be 1 or more"),
        ({"member_status": "pending"}, "member_status needs own_type shared"),
    ],
)
def test_bad_selection_fails_before_any_request(select, args, option):
    result, queries = select(**copy.deepcopy(args))
    assert result["failed"] and option in result["msg"]
    assert queries == []
