# -*- coding: utf-8 -*-
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Credentials for the CBR API: an IAM token, or AK/SK request signing (SDK-HMAC-SHA256).

Private to this collection: the interface may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import hashlib
import hmac

from urllib.parse import parse_qsl, quote, unquote, urlsplit

SIGNING_ALGORITHM = "SDK-HMAC-SHA256"
SDK_DATE_FORMAT = "%Y%m%dT%H%M%SZ"


def _sdk_quote(text):
    return quote(text, safe="~")


def canonical_uri(path):
    """Each path segment URL-encoded, always ending with '/' (CONTRACT.md 8; Huawei's signer)."""
    uri = "/".join(_sdk_quote(unquote(segment)) for segment in path.split("/"))
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(pairs):
    return "&".join("%s=%s" % (_sdk_quote(key), _sdk_quote(value)) for key, value in sorted(pairs))


def canonical_request(method, url, headers, body):
    """Return (canonical request, signed header names) for a request about to be sent.

    Every header in `headers` is signed; the caller passes only the headers it sets itself
    (transport headers such as Accept-Encoding are added later and left unsigned).
    """
    split = urlsplit(url)
    lowered = dict((name.lower(), str(value).strip()) for name, value in headers.items())
    signed = sorted(lowered)
    canonical_headers = "".join("%s:%s\n" % (name, lowered[name]) for name in signed)
    body_hash = lowered.get("x-sdk-content-sha256") or hashlib.sha256(body or b"").hexdigest()
    parts = [
        method.upper(),
        canonical_uri(split.path),
        canonical_query(parse_qsl(split.query, keep_blank_values=True)),
        canonical_headers,
        ";".join(signed),
        body_hash,
    ]
    return "\n".join(parts), signed


def signature(secret_key, sdk_date, canonical):
    string_to_sign = "\n".join([SIGNING_ALGORITHM, sdk_date, hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
    return hmac.new(secret_key.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


class TokenAuth:
    """An IAM token sent as X-Auth-Token."""

    kind = "token"
    refused_hint = ("The token was refused: an IAM token expires after 24 hours, and earlier when the password or "
                    "permissions change. Get a new one.")

    def __init__(self, token, expires_at=None):
        self.token = token
        self.expires_at = expires_at

    def headers(self, method, url, body):
        return {"X-Auth-Token": self.token}


class AkSkAuth:
    """Signs each request with an access key / secret key pair, optionally temporary."""

    kind = "aksk"

    def __init__(self, access_key, secret_key, security_token=None, project_id=None, clock=None):
        self.access_key = access_key
        self._secret_key = secret_key
        self._security_token = security_token
        if security_token:
            self.refused_hint = ("The temporary AK/SK were refused: temporary credentials and their security token "
                                 "expire. Get new ones.")
        else:
            self.refused_hint = ("The AK/SK signature was refused: check access_key and secret_key (five bad "
                                 "signatures in a row lock the key for 5 minutes).")
        self.project_id = project_id
        self._clock = clock or (lambda: datetime.datetime.now(datetime.timezone.utc))

    def headers(self, method, url, body):
        """The headers to add to one request: X-Sdk-Date, Host, project, token and Authorization."""
        headers = {
            "Host": urlsplit(url).netloc,
            "X-Sdk-Date": self._clock().strftime(SDK_DATE_FORMAT),
        }
        if body:
            headers["Content-Type"] = "application/json;charset=UTF-8"
        if self.project_id:
            headers["X-Project-Id"] = self.project_id
        if self._security_token:
            headers["X-Security-Token"] = self._security_token
        canonical, signed = canonical_request(method, url, headers, body)
        headers["Authorization"] = "%s Access=%s, SignedHeaders=%s, Signature=%s" % (
            SIGNING_ALGORITHM, self.access_key, ";".join(signed),
            signature(self._secret_key, headers["X-Sdk-Date"], canonical))
        return headers


def password_auth_body(username, password, domain_name, project_id=None, project_name=None):
    """A Keystone v3 password request scoped to one project, by id or by name in the domain."""
    if project_id:
        scope = {"id": project_id}
    else:
        # The domain is not documented as required for a name scope; standard Keystone wants it.
        scope = {"name": project_name, "domain": {"name": domain_name}}
    return {"auth": {
        "identity": {
            "methods": ["password"],
            "password": {"user": {"name": username, "password": password, "domain": {"name": domain_name}}},
        },
        "scope": {"project": scope},
    }}
