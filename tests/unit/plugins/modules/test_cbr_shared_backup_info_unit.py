# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""cbr_shared_backup_info's decisions without the network (the integration tests have the plain name)."""

import datetime

import pytest

from ansible_collections.cloudops.cbr.plugins.modules.cbr_shared_backup_info import (
    member_flags,
    parse_duration,
    parse_timestamp,
)

UTC = datetime.timezone.utc


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
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


def test_both_timestamp_forms_of_the_api_parse_as_utc():
    assert parse_timestamp("2020-02-05T10:38:34.210+00:00") == datetime.datetime(2020, 2, 5, 10, 38, 34, 210000, UTC)
    assert parse_timestamp("2020-02-05T10:38:34.209782") == datetime.datetime(2020, 2, 5, 10, 38, 34, 209782, UTC)


def test_member_flags():
    cutoff = datetime.datetime(2026, 1, 1, tzinfo=UTC)
    old_pending = {"dest_project_id": "a" * 32, "status": "pending", "created_at": "2025-12-01T00:00:00.000+00:00"}
    assert member_flags(old_pending, {"a" * 32}, cutoff) == ["pending_too_long"]
    assert member_flags(old_pending, {"b" * 32}, None) == ["unexpected_project"]
    assert member_flags(dict(old_pending, status="accepted"), None, cutoff) == []
    assert member_flags(dict(old_pending, created_at="2026-02-01T00:00:00.000+00:00"), None, cutoff) == []
