# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic of _http: error bodies, retry policy, the query the signer signs."""

from urllib.parse import parse_qsl, urlsplit

import pytest

from ansible_collections.cloudops.cbr.plugins.module_utils._credentials import AkSkAuth, canonical_query
from ansible_collections.cloudops.cbr.plugins.module_utils._http import RetryPolicy, parse_error_body, query_string


@pytest.mark.parametrize(
    "body, expected",
    [
        (
            '{"error_code": "BackupService.6705", "error_msg": "The share member does not exist."}',
            ("BackupService.6705", "The share member does not exist."),
        ),
        ('{"code": "APIG.0308", "message": "throttled"}', ("APIG.0308", "throttled")),
        ('{"errorCode": "BackupService.6705", "errorMsg": "gone"}', ("BackupService.6705", "gone")),
        ('{"error": {"errorCode": "APIG.0301", "errorMsg": "locked"}}', ("APIG.0301", "locked")),
        ('{"error": {"code": 401, "title": "Unauthorized", "message": "bad password"}}', ("401", "bad password")),
        ('{"unauthorized": {"code": "401", "message": "Malformed request url"}}', ("401", "Malformed request url")),
        ("<html>Bad Gateway</html>", (None, "<html>Bad Gateway</html>")),
        ("", (None, None)),
        ("[]", (None, None)),
    ],
)
def test_every_error_body_form_is_parsed(body, expected):
    assert parse_error_body(body) == expected


@pytest.mark.parametrize(
    "method, status, retried",
    [
        ("GET", 500, True),
        ("GET", 503, True),
        ("GET", 429, True),
        ("GET", None, True),
        ("PUT", 502, True),
        ("DELETE", 504, True),
        ("DELETE", None, True),
        ("POST", 429, True),
        ("POST", 500, False),
        ("POST", 503, False),
        ("POST", None, False),
        ("GET", 400, False),
        ("GET", 401, False),
        ("GET", 404, False),
        ("GET", 501, False),
    ],
)
def test_retry_policy_retries_only_what_is_safe(method, status, retried):
    assert RetryPolicy().should_retry(method, status) is retried


def test_retry_delay_honours_retry_after_and_grows_with_jitter():
    policy = RetryPolicy(base_delay=1.0, max_delay=20.0)
    assert policy.delay(1, retry_after="3") == 3.0
    assert policy.delay(1, retry_after="600") == 20.0
    for attempt, ceiling in ((1, 1.0), (2, 2.0), (3, 4.0), (9, 20.0)):
        wait = policy.delay(attempt)
        assert ceiling / 2 <= wait <= ceiling


@pytest.mark.parametrize(
    "params",
    [
        {"name": "web 01 daily"},
        {"name": "a+b&c=d/e~f", "limit": 10},
        {"status": ["error", "available"], "own_type": "shared"},
        {"name": "caf\u00e9 nightly"},
    ],
)
def test_the_query_on_the_wire_is_the_canonical_query_the_signer_signs(params):
    wire = query_string(params)
    assert "+" not in wire.replace("%2B", "") and " " not in wire
    # What the signer signs is computed from the URL we send; it must be that very string.
    assert canonical_query(parse_qsl(wire, keep_blank_values=True)) == wire


def test_a_signed_url_with_a_space_signs_what_it_sends():
    auth = AkSkAuth("AK", "SK", project_id="0761a1f0e5b34c9b8c2f0f0a7d1e0001")
    url = "https://cbr.example.com/v3/p/backups?" + query_string({"name": "web 01"})
    assert urlsplit(url).query == "name=web%2001"
    assert "Authorization" in auth.headers("GET", url, b"")
