# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Credentials, one small class per kind: a given IAM token, AK/SK request signing (SDK-HMAC-SHA256), or a
password that logs in to IAM for a token. Each validates itself without the network and makes its headers.

Private to this collection: the interface may change without notice.
"""

import datetime
import hashlib
import hmac
import re
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from ansible_collections.cloudops.cbr.plugins.module_utils._errors import CbrApiError

SIGNING_ALGORITHM = "SDK-HMAC-SHA256"
SDK_DATE_FORMAT = "%Y%m%dT%H%M%SZ"


def _sdk_quote(text):
    return quote(text, safe="~")


def canonical_uri(path):
    """Each path segment URL-encoded, always ending with '/' (docs/api_notes.md §aksk; Huawei's signer)."""
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


# A header value must be one line of visible characters: a newline would end the header (header injection).
_HEADER_VALUE_RE = re.compile(r"^[\x21-\x7e]+\Z")


def _header_value_problem(name, value):
    if not _HEADER_VALUE_RE.match(value):
        return "%s must be one word of printable ASCII characters (no spaces or line breaks)" % name
    return None


def _missing(kind, values, names):
    missing = [name for name in names if not values.get(name)]
    return ["%s needs %s" % (kind, " and ".join(missing))] if missing else []


class TokenAuth:
    """An IAM token, sent as X-Auth-Token; nothing to log in."""

    kind = "token"
    refused_hint = (
        "The token was refused: an IAM token expires after 24 hours, and earlier when the password or "
        "permissions change. Get a new one."
    )

    def __init__(self, token, expires_at=None):
        self.token = token
        self.expires_at = expires_at

    def problems(self):
        if not self.token:
            return ["token must not be empty"]
        return [p for p in [_header_value_problem("token", self.token)] if p]

    @property
    def pace_identity(self):
        """Who the gateway counts this token's requests for, without the token itself (_throttle.SharedPace)."""
        return "token " + hashlib.sha256(self.token.encode("utf-8")).hexdigest()

    def headers(self, method, url, body):
        return {"X-Auth-Token": self.token}


class AkSkAuth:
    """Signs each request with an access key / secret key pair, optionally temporary (with a security token)."""

    kind = "aksk"

    def __init__(self, access_key, secret_key, security_token=None, project_id=None, clock=None):
        self.access_key = access_key
        self._secret_key = secret_key
        self._security_token = security_token
        if security_token:
            self.refused_hint = (
                "The temporary AK/SK were refused: temporary credentials and their security token expire. Get new ones."
            )
        else:
            self.refused_hint = (
                "The AK/SK signature was refused: check access_key and secret_key (five bad signatures in a row "
                "lock the key for 5 minutes)."
            )
        self.project_id = project_id
        self._clock = clock or (lambda: datetime.datetime.now(datetime.timezone.utc))

    def problems(self):
        values = {"access_key": self.access_key, "secret_key": self._secret_key}
        problems = _missing("AK/SK authentication", values, ("access_key", "secret_key"))
        if self.access_key:
            problems.append(_header_value_problem("access_key", self.access_key))
        if self._security_token:
            problems.append(_header_value_problem("security_token", self._security_token))
        return [p for p in problems if p]

    @property
    def pace_identity(self):
        return "access key " + self.access_key

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
            SIGNING_ALGORITHM,
            self.access_key,
            ";".join(signed),
            signature(self._secret_key, headers["X-Sdk-Date"], canonical),
        )
        return headers


def password_auth_body(username, password, domain_name, project_id=None, project_name=None, domain_id=None):
    """A Keystone v3 password request scoped to one project, by id or by name in the domain; to the user's domain
    (account) when neither is given (docs/api_notes.md §iam.scopes).

    The domain is named by domain_id when it is given, else by domain_name (keystoneauth's v3 password plugin does
    the same).
    """
    domain = {"id": domain_id} if domain_id else {"name": domain_name}
    if project_id:
        scope = {"project": {"id": project_id}}
    elif project_name:
        # The domain is not documented as required for a name scope; standard Keystone wants it (docs/api_notes.md
        # §iam.token).
        scope = {"project": {"name": project_name, "domain": domain}}
    else:
        scope = {"domain": domain}
    return {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {"user": {"name": username, "password": password, "domain": domain}},
            },
            "scope": scope,
        }
    }


def iam_url(auth_url, *path):
    """A URL of IAM's v3 API: the endpoint given as its base, its /v3 or its token URL, then `path`'s segments."""
    base = auth_url.rstrip("/")
    if base.endswith("/auth/tokens"):
        base = base[: -len("/auth/tokens")]
    if not base.endswith("/v3"):
        base += "/v3"
    return "/".join((base,) + path)


def iam_tokens_url(auth_url):
    """The token URL of an IAM endpoint given as its base, its /v3, or the token URL itself."""
    return iam_url(auth_url, "auth", "tokens")


class PasswordAuth:
    """A user name and password that log in to IAM for a project-scoped token (docs/api_notes.md §iam.token), or,
    with `domain_scoped`, for a token of the user's account when no project is named (§iam.scopes).

    login() gets the token (and the catalog); headers() then send it. The session calls login() once more when
    the token is refused mid-task (it expired).
    """

    kind = "password"

    # A request refused with the token of the login: the login was accepted, so the password is not the cause.
    refused_hint = (
        "The IAM token of the password login was refused: it expired or was revoked, and a new login (made once "
        "per task) did not help."
    )

    @property
    def login_refused_hint(self):
        return "IAM refused the login: check username, password and domain_name, and that the user has a role in %s" % (
            "project %s" % (self.project_id or self.project_name)
            if self.project_id or self.project_name
            else "a project of domain %s" % self.domain_name
        )

    def __init__(
        self,
        username,
        password,
        domain_name,
        auth_url,
        project_id=None,
        project_name=None,
        domain_id=None,
        domain_scoped=False,
    ):
        self.username = username
        self.domain_scoped = domain_scoped
        self._password = password
        self.domain_name = domain_name
        self.domain_id = domain_id
        self.auth_url = auth_url
        self.project_id = project_id
        self.project_name = project_name
        self.token = None
        self.expires_at = None
        self.token_body = {}

    def problems(self):
        # domain_id (a Keystone domain id) may stand for domain_name.
        domain = self.domain_name or self.domain_id
        values = {"username": self.username, "password": self._password, "domain_name": domain}
        problems = _missing("password authentication", values, ("username", "password", "domain_name"))
        if not self.auth_url:
            problems.append("password authentication needs auth_url (or region, for its IAM endpoint)")
        if not (self.project_id or self.project_name or self.domain_scoped):
            problems.append("password authentication needs project_id or project_name")
        return problems

    def login(self, session):
        """Get a token as this user, scoped to the project (or the domain); return the token body (project or domain,
        catalog, expiry)."""
        action = "Failed to get an IAM token for user %s" % self.username
        body = password_auth_body(
            self.username,
            self._password,
            self.domain_name,
            project_id=self.project_id,
            project_name=self.project_name,
            domain_id=self.domain_id,
        )
        # Sent without the old token; the workers go on using it until the new one is set.
        response = session.call("POST", iam_tokens_url(self.auth_url), action, body=body, authenticated=False)
        token = response.headers.get("X-Subject-Token")
        if not token:
            raise CbrApiError(action, "the answer has no X-Subject-Token header", status_code=response.status_code)
        self.token_body = response.json().get("token") or {}
        self.token, self.expires_at = token, self.token_body.get("expires_at")
        return self.token_body

    @property
    def pace_identity(self):
        return "user %s in domain %s" % (self.username, self.domain_name)

    def headers(self, method, url, body):
        return {"X-Auth-Token": self.token} if self.token else {}
