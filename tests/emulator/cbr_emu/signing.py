# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AK/SK verification, the server side (docs/api_notes.md §aksk, §aksk.server), independent of the collection's
signer."""

import datetime
import hashlib
import hmac
import re
from urllib.parse import quote, unquote

SIGNATURE_MAX_SKEW = datetime.timedelta(minutes=15)


def _sdk_quote(text):
    return quote(text, safe="~")


def canonical_request(method, path, query_pairs, headers, signed_headers, body):
    segments = [_sdk_quote(unquote(part)) for part in path.split("/")]
    uri = "/".join(segments)
    if not uri.endswith("/"):
        uri += "/"
    query = "&".join("%s=%s" % (_sdk_quote(k), _sdk_quote(v)) for k, v in sorted(query_pairs))
    lowered = {k.lower(): v.strip() for k, v in headers.items()}
    canonical_headers = "".join("%s:%s\n" % (name, lowered.get(name, "")) for name in signed_headers)
    body_hash = lowered.get("x-sdk-content-sha256") or hashlib.sha256(body).hexdigest()
    return "\n".join([method, uri, query, canonical_headers, ";".join(signed_headers), body_hash])


def expected_signature(secret_key, sdk_date, canonical):
    string_to_sign = "SDK-HMAC-SHA256\n%s\n%s" % (sdk_date, hashlib.sha256(canonical.encode("utf-8")).hexdigest())
    return hmac.new(secret_key.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


AUTHORIZATION_RE = re.compile(
    r"^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)$"
)
