# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""cbr_backup_info's selection: time options, created_at parsing, newest per resource."""

import datetime

import pytest

from ansible_collections.cloudops.cbr.plugins.module_utils._select import (
    SELECTION_ARGUMENT_SPEC,
    list_selected,
    newest_per_resource,
    parse_age,
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


class ListingClient:
    """iter_backups as a generator that records how many entries were taken from it."""

    def __init__(self, backups):
        self.backups, self.taken = backups, 0

    def iter_backups(self, filters):
        self.filters = filters
        for backup in self.backups:
            self.taken += 1
            yield backup


def selection(**values):
    params = dict((name, spec.get("default")) for name, spec in SELECTION_ARGUMENT_SPEC.items())
    params.update(values)
    return params


def test_the_listing_stops_once_limit_backups_match_and_replication_copies_do_not_count():
    backups = [
        {"id": "r1", "image_type": "replication", "name": "web"},
        {"id": "b1", "name": "web-old"},  # a loose name match the API returned
        {"id": "b2", "image_type": "backup", "name": "web"},
        {"id": "b3", "image_type": "backup", "name": "web"},
        {"id": "b4", "image_type": "backup", "name": "web"},
    ]
    client = ListingClient(backups)
    chosen = list_selected(client, selection(name="web", limit=2), (None, None))
    assert [b["id"] for b in chosen] == ["b2", "b3"] and client.taken == 4
    assert client.filters["image_type"] == "backup" and "limit" not in client.filters
    both = list_selected(
        ListingClient(backups), selection(name="web", image_types=["backup", "replication"]), (None, None)
    )
    assert [b["id"] for b in both] == ["r1", "b2", "b3", "b4"]


@pytest.mark.parametrize(
    "text, seconds",
    [
        ("90", 90),
        ("15m", 900),
        ("12h", 43200),
        ("7d", 604800),
        ("2w", 1209600),
        (" 3 s ", 3),
        ("a week", None),
        ("-1d", None),
        ("", None),
        ("1y", None),
    ],
)
def test_a_loose_age_also_takes_seconds_and_spaces(text, seconds):
    """The grammar of the audit's pending_older_than."""
    expected = datetime.timedelta(seconds=seconds) if seconds is not None else None
    assert parse_age(text, loose=True) == expected
