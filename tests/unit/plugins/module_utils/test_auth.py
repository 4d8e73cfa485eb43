# -*- coding: utf-8 -*-
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import hashlib

from ansible_collections.cloudops.cbr.plugins.module_utils._credentials import (
    AkSkAuth,
    canonical_request,
    canonical_uri,
    password_auth_body,
    signature,
)

# Huawei's published signing example (CONTRACT.md 8).
VECTOR_URL = ("https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs"
              "?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0")
VECTOR_HEADERS = {"Content-Type": "application/json", "Host": "service.region.example.com",
                  "X-Sdk-Date": "20191115T033655Z"}
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
    assert ("SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token,"
            in headers["Authorization"])
    assert "SK1" not in headers["Authorization"]


def test_password_body_scopes_by_id_or_by_name_and_domain():
    by_id = password_auth_body("u", "pw", "acme", project_id="a" * 32)
    assert by_id["auth"]["scope"] == {"project": {"id": "a" * 32}}
    by_name = password_auth_body("u", "pw", "acme", project_name="eu-de_dr")
    assert by_name["auth"]["scope"] == {"project": {"name": "eu-de_dr", "domain": {"name": "acme"}}}
    assert by_name["auth"]["identity"]["password"]["user"]["domain"] == {"name": "acme"}


def test_cloud_entry_maps_to_options_and_secure_yaml_merges(tmp_path):
    import yaml

    from ansible_collections.cloudops.cbr.plugins.module_utils._connection import cloud_options, load_cloud

    (tmp_path / "clouds.yaml").write_text(yaml.safe_dump({"clouds": {"otc": {
        "auth": {"auth_url": "https://iam.eu-de.otc.t-systems.com/v3", "username": "u", "user_domain_name": "acme",
                 "project_name": "eu-de", "password": "from-clouds"},
        "region_name": "eu-de", "verify": "/etc/ca.pem"}}}))
    (tmp_path / "secure.yaml").write_text(yaml.safe_dump({"clouds": {"otc": {"auth": {"password": "from-secure"}}}}))
    options = cloud_options(load_cloud("otc", dirs=[str(tmp_path)]))
    assert options == {"auth_url": "https://iam.eu-de.otc.t-systems.com/v3", "username": "u", "domain_name": "acme",
                       "project_name": "eu-de", "password": "from-secure", "region": "eu-de",
                       "validate_certs": True, "ca_cert": "/etc/ca.pem"}


def test_aksk_keys_of_a_cloud_entry():
    from ansible_collections.cloudops.cbr.plugins.module_utils._connection import cloud_options

    assert cloud_options({"auth": {"ak": "A", "sk": "S", "project_id": "p"}, "verify": False}) == {
        "access_key": "A", "secret_key": "S", "project_id": "p", "validate_certs": False}
