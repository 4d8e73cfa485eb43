# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""cbr_backup_info's selection: time options, created_at parsing, newest per resource."""

import datetime

import pytest

from ansible_collections.cloudops.cbr.plugins.module_utils._select import (
    newest_per_resource,
    parse_created_at,
    parse_time_option,
)

NOW = datetime.datetime(2026, 11, 24, 8, 0, 0)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1d", datetime.datetime(2026, 11, 23, 8, 0, 0)),
        ("36h", datetime.datetime(2026, 11, 22, 20, 0, 0)),
        ("90m", datetime.datetime(2026, 11, 24, 6, 30, 0)),
        ("2w", datetime.datetime(2026, 11, 10, 8, 0, 0)),
        ("30s", datetime.datetime(2026, 11, 24, 7, 59, 30)),
        ("2026-11-01T02:00:00Z", datetime.datetime(2026, 11, 1, 2, 0, 0)),
        ("yesterday", None),
        ("1 d", None),
        ("2026-11-01 02:00:00", None),
        ("-1d", None),
    ],
)
def test_parse_time_option(value, expected):
    assert parse_time_option(value, NOW) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-11-01T02:00:00.000+00:00", datetime.datetime(2026, 11, 1, 2, 0, 0)),
        ("2026-11-01T02:00:00.209782", datetime.datetime(2026, 11, 1, 2, 0, 0)),
        ("2026-11-01T04:00:00+02:00", datetime.datetime(2026, 11, 1, 2, 0, 0)),
        ("2026-11-01T00:30:00-0130", datetime.datetime(2026, 11, 1, 2, 0, 0)),
        ("2026-11-01T02:00:00Z", datetime.datetime(2026, 11, 1, 2, 0, 0)),
        ("", None),
        (None, None),
    ],
)
def test_parse_created_at(value, expected):
    assert parse_created_at(value) == expected


def test_newest_per_resource_keeps_the_newest_of_each_resource_in_first_seen_order():
    backups = [
        {"id": "a1", "resource_id": "a", "created_at": "2026-11-01T02:00:00.000+00:00"},
        {"id": "b1", "resource_id": "b", "created_at": "2026-11-03T02:00:00.000+00:00"},
        {"id": "a3", "resource_id": "a", "created_at": "2026-11-03T02:00:00.000+00:00"},
        {"id": "a2", "resource_id": "a", "created_at": "2026-11-02T02:00:00.000+00:00"},
    ]
    assert [b["id"] for b in newest_per_resource(backups, 1)] == ["a3", "b1"]
    assert [b["id"] for b in newest_per_resource(backups, 2)] == ["a3", "a2", "b1"]


def test_backups_without_a_resource_id_are_not_lumped_together():
    backups = [
        {"id": "x1", "created_at": "2026-11-23T01:00:00.000+00:00"},
        {"id": "x2", "created_at": "2026-11-23T02:00:00.000+00:00"},
        {"id": "a1", "resource_id": "a", "created_at": "2026-11-23T01:00:00.000+00:00"},
    ]
    assert [b["id"] for b in newest_per_resource(backups, 1)] == ["x1", "x2", "a1"]
