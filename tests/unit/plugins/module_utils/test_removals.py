# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""module_utils/_removals: flags, expiry, rolling window and cleanup decisions, as pure functions."""

import datetime

import pytest

from ansible_collections.cloudops.cbr.plugins.module_utils._removals import (
    age_cutoffs,
    cleanup_problems,
    empty_selection_problem,
    member_flags,
    owner_removals,
    plan_cleanup,
    still_being_made,
    time_flags,
    window_scope_problem,
)

NOW = datetime.datetime(2026, 12, 3, 2, 0, 0)
DR, GOLDEN, CUSTOMER = "0" * 31 + "2", "0" * 31 + "3", "0" * 31 + "4"


def member(project_id, status="accepted", days=0, created_at=None):
    moment = NOW - datetime.timedelta(days=days)
    return dict(
        dest_project_id=project_id,
        status=status,
        created_at=created_at or moment.strftime("%Y-%m-%dT%H:%M:%S.000+00:00"),
    )


def test_ages_use_the_backup_info_syntax_and_absolute_times():
    assert age_cutoffs("30d", "36h", NOW) == (NOW - datetime.timedelta(days=30), NOW - datetime.timedelta(hours=36))
    assert age_cutoffs("2026-11-01T00:00:00Z", None, NOW) == (datetime.datetime(2026, 11, 1), None)


@pytest.mark.parametrize(
    "days, status, expected",
    [
        (31, "accepted", ["expired"]),
        (29, "accepted", []),
        (3, "pending", ["pending_too_long"]),
        (31, "pending", ["expired", "pending_too_long"]),
        (1, "pending", []),
        (3, "rejected", []),
    ],
)
def test_time_flags_compare_the_members_created_at(days, status, expected):
    expired, pending = age_cutoffs("30d", "2d", NOW)
    assert time_flags(member(DR, status, days), expired, pending) == expected


def test_an_unreadable_created_at_is_age_unknown_never_young():
    expired, pending = age_cutoffs("30d", None, NOW)
    assert time_flags(member(DR, created_at="yesterday"), expired, pending) == ["age_unknown"]
    assert time_flags(member(DR, created_at="yesterday"), None, None) == []  # no age asked: age does not matter


def test_member_flags_put_unexpected_project_first():
    expired = age_cutoffs("30d", None, NOW)[0]
    assert member_flags(member(CUSTOMER, days=40), {DR}, None, expired) == ["unexpected_project", "expired"]
    assert member_flags(member(CUSTOMER, days=40), None, None, None) == []


def test_outside_the_window_every_member_of_the_projects_goes_with_its_reasons():
    expired = age_cutoffs("30d", None, NOW)[0]
    members = [member(DR, days=40), member(GOLDEN, days=1), member(CUSTOMER, days=90)]
    removals, problems = owner_removals("b1", members, [DR, GOLDEN], False, expired, None)
    assert problems == []
    assert [(r.project_id, r.reasons) for r in removals] == [
        (DR, ["outside_window", "expired"]),
        (GOLDEN, ["outside_window"]),
    ]


def test_inside_the_window_an_expired_share_is_a_problem_not_a_removal():
    expired, pending = age_cutoffs("30d", "2d", NOW)
    members = [member(DR, days=40), member(GOLDEN, "pending", days=3), member(CUSTOMER, days=90)]
    removals, problems = owner_removals("b1", members, [DR, GOLDEN], True, expired, pending)
    assert removals == []
    assert len(problems) == 2 and "shared longer than older_than" in problems[0] and "still pending" in problems[1]


def test_state_absent_with_an_age_removes_only_the_old_members():
    pending = age_cutoffs(None, "2d", NOW)[1]
    members = [member(DR, "pending", days=3), member(GOLDEN, "pending", days=1), member(DR + "x", "pending", days=9)]
    removals, problems = owner_removals("b1", members, [DR, GOLDEN], None, None, pending)
    assert problems == [] and [(r.project_id, r.reasons) for r in removals] == [(DR, ["pending_too_long"])]
    everything = owner_removals("b1", members, [DR, GOLDEN], None)[0]
    assert [r.project_id for r in everything] == [DR, GOLDEN]


def test_an_unknown_age_stops_a_removal_decided_by_age():
    expired = age_cutoffs("30d", None, NOW)[0]
    removals, problems = owner_removals("b1", [member(DR, created_at="?")], [DR], None, expired, None)
    assert removals == [] and "age is unknown" in problems[0]


def test_the_window_needs_a_scope_and_a_selection_that_matched():
    no_scope = window_scope_problem({"newest_per_resource": 3, "vault_id": None})
    assert "vault_id" in no_scope and "every backup of the project" in no_scope
    assert window_scope_problem({"resource_ids": ["srv"]}) is None
    scope_members = {"b1": [member(DR)], "b2": [member(DR)], "b3": [member(CUSTOMER)]}
    assert empty_selection_problem([], scope_members, [DR], True) == (
        "selection matched no backup: with rolling_window that would remove every share of its scope "
        "(2 backups shared with these projects now); nothing is removed"
    )
    assert empty_selection_problem([], scope_members, [DR], False) == "selection matched no backup: nothing to share"
    assert empty_selection_problem(["b1"], scope_members, [DR], True) is None


def test_cleanup_refuses_flags_without_the_option_that_sets_them():
    assert len(cleanup_problems([], [DR], None, None)) == 1
    problems = cleanup_problems(["unexpected_project", "expired", "pending_too_long"], [], None, None)
    assert [p.split(",")[0] for p in problems] == [
        "remove contains unexpected_project",
        "remove contains expired",
        "remove contains pending_too_long",
    ]
    assert cleanup_problems(["unexpected_project"], [DR], None, None) == []


def audited(*members_by_backup):
    return [dict(id=backup_id, members=members) for backup_id, members in members_by_backup]


def flagged(project_id, *flags, **fields):
    return dict(member(project_id, **fields), flags=list(flags))


def test_cleanup_removes_only_allowed_flags_and_never_an_expected_project():
    backups = audited(
        ("b1", [flagged(DR, "pending_too_long", status="pending"), flagged(CUSTOMER, "unexpected_project")]),
        ("b2", [flagged(GOLDEN, "unexpected_project", "expired"), flagged(DR)]),
        ("b3", [flagged(GOLDEN, "age_unknown")]),
    )
    removals, kept = plan_cleanup(backups, ["unexpected_project", "pending_too_long"], [DR])
    assert [(r.backup_id, r.project_id, r.reasons) for r in removals] == [
        ("b1", CUSTOMER, ["unexpected_project"]),
        ("b2", GOLDEN, ["unexpected_project"]),
    ]
    assert [(k.backup_id, k.project_id, k.why) for k in kept] == [
        ("b1", DR, "expected project: never removed by a cleanup"),
        ("b3", GOLDEN, "no flag that remove allows"),
    ]


def test_cleanup_with_an_approved_plan_removes_nothing_else():
    backups = audited(
        ("b1", [flagged(CUSTOMER, "unexpected_project")]), ("b2", [flagged(GOLDEN, "unexpected_project")])
    )
    removals, kept = plan_cleanup(backups, ["unexpected_project"], [DR], approved={("b2", GOLDEN)})
    assert [r.backup_id for r in removals] == ["b2"] and [(k.backup_id, k.why) for k in kept] == [
        ("b1", "not in the approved plan")
    ]


def test_backups_still_being_made_are_protecting_or_waiting_protect():
    backups = [
        dict(id="a", status="protecting"),
        dict(id="b", status="available"),
        dict(id="c", status="waiting_protect"),
    ]
    assert [b["id"] for b in still_being_made(backups + [None, dict(id="d", status="error")])] == ["a", "c"]


def test_member_flags_of_the_audit():
    cutoff = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    old_pending = {"dest_project_id": "a" * 32, "status": "pending", "created_at": "2025-12-01T00:00:00.000+00:00"}
    assert member_flags(old_pending, {"a" * 32}, cutoff) == ["pending_too_long"]
    assert member_flags(old_pending, {"b" * 32}, None) == ["unexpected_project"]
    assert member_flags(dict(old_pending, status="accepted"), None, cutoff) == []
    assert member_flags(dict(old_pending, created_at="2026-02-01T00:00:00.000+00:00"), None, cutoff) == []
