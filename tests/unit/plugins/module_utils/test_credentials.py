# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The credential kinds: signing against the published vector, validation without the network, headers."""

import datetime
import hashlib

import pytest

from ansible_collections.cloudops.cbr.plugins.module_utils._credentials import (
    AkSkAuth,
    PasswordAuth,
    TokenAuth,
    canonical_request,
    canonical_uri,
    iam_tokens_url,
    iam_url,
    password_auth_body,
    signature,
)

# Huawei's published signing example (docs/api_notes.md §aksk).
VECTOR_URL = (
    "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs"
    "?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0"
)
VECTOR_HEADERS = {
    "Content-Type": "application/json",
    "Host": "service.region.example.com",
    "X-Sdk-Date": "20191115T033655Z",
}
VECTOR_SK = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"
VECTOR_SIGNATURE = "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"


def test_canonical_request_matches_the_published_vector():
    canonical, signed = canonical_request("GET", VECTOR_URL, VECTOR_HEADERS, b"")
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    assert signed == ["content-type", "host", "x-sdk-date"]
    assert digest.startswith("b25362e6") and digest.endswith("a9bcd7a")


def test_signature_matches_the_published_vector():
    canonical = canonical_request("GET", VECTOR_URL, VECTOR_HEADERS, b"")[0]
    assert signature(VECTOR_SK, "20191115T033655Z", canonical) == VECTOR_SIGNATURE


def test_canonical_uri_always_ends_with_a_slash_and_encodes_segments():
    assert canonical_uri("/v3/p/backups") == "/v3/p/backups/"
    assert canonical_uri("/v3/p/backups/") == "/v3/p/backups/"
    assert canonical_uri("/v3/a b/x") == "/v3/a%20b/x/"


def test_aksk_headers_sign_project_and_security_token():
    def clock():
        return datetime.datetime(2026, 11, 23, 8, 0, 0, tzinfo=datetime.timezone.utc)

    auth = AkSkAuth("AK1", "SK1", security_token="ST1", project_id="p" * 32, clock=clock)
    headers = auth.headers("POST", "https://cbr.eu-de.example/v3/x/backups", b'{"a": 1}')
    assert headers["X-Sdk-Date"] == "20261123T080000Z"
    assert headers["X-Security-Token"] == "ST1"
    assert headers["X-Project-Id"] == "p" * 32
    assert headers["Host"] == "cbr.eu-de.example"
    assert "SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token," in headers["Authorization"]
    assert "SK1" not in headers["Authorization"]


def test_password_body_scopes_by_id_or_by_name_and_domain():
    by_id = password_auth_body("u", "pw", "acme", project_id="a" * 32)
    assert by_id["auth"]["scope"] == {"project": {"id": "a" * 32}}
    by_name = password_auth_body("u", "pw", "acme", project_name="eu-de_dr")
    assert by_name["auth"]["scope"] == {"project": {"name": "eu-de_dr", "domain": {"name": "acme"}}}
    assert by_name["auth"]["identity"]["password"]["user"]["domain"] == {"name": "acme"}


@pytest.mark.parametrize(
    ("credential", "problems"),
    [
        (TokenAuth("t0k3n"), []),
        (TokenAuth("a token"), ["token must be one word of printable ASCII characters (no spaces or line breaks)"]),
        (TokenAuth(""), ["token must not be empty"]),
        (AkSkAuth("AK", "SK", "ST"), []),
        (AkSkAuth("AK", None), ["AK/SK authentication needs secret_key"]),
        (AkSkAuth(None, "SK"), ["AK/SK authentication needs access_key"]),
        (
            AkSkAuth("AK", "SK", "ST\nX-Evil: 1"),
            ["security_token must be one word of printable ASCII characters (no spaces or line breaks)"],
        ),
        (PasswordAuth("u", "p", "d", "https://iam/v3", project_name="eu-de"), []),
        (
            PasswordAuth("u", None, None, "https://iam/v3", project_id="a" * 32),
            ["password authentication needs password and domain_name"],
        ),
        (
            PasswordAuth("u", "p", "d", None),
            [
                "password authentication needs auth_url (or region, for its IAM endpoint)",
                "password authentication needs project_id or project_name",
            ],
        ),
    ],
)
def test_each_kind_validates_itself_without_the_network(credential, problems):
    assert credential.problems() == problems


def test_a_password_sends_no_token_before_it_logged_in_and_its_token_after():
    credential = PasswordAuth("u", "p", "d", "https://iam/v3", project_name="eu-de")
    assert credential.headers("GET", "https://cbr/v3/x", b"") == {}
    credential.token = "issued"
    assert credential.headers("GET", "https://cbr/v3/x", b"") == {"X-Auth-Token": "issued"}


def test_problems_never_show_the_secret():
    for credential in (AkSkAuth(None, "the-secret", "the st"), PasswordAuth("u", "the-secret", None, None)):
        problems = " ".join(credential.problems())
        assert problems and "the-secret" not in problems and "the st" not in problems


def test_iam_tokens_url_accepts_base_or_v3_urls():
    assert iam_tokens_url("https://iam.example/v3") == "https://iam.example/v3/auth/tokens"
    assert iam_tokens_url("https://iam.example/") == "https://iam.example/v3/auth/tokens"
    assert iam_tokens_url("https://iam.example/v3/auth/tokens") == "https://iam.example/v3/auth/tokens"


def test_iam_urls_are_built_from_any_form_of_the_endpoint():
    for given in ("https://iam.example", "https://iam.example/v3/", "https://iam.example/v3/auth/tokens"):
        assert iam_url(given) == "https://iam.example/v3"
        assert iam_url(given, "auth", "projects") == "https://iam.example/v3/auth/projects"
