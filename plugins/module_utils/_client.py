# -*- coding: utf-8 -*-
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""All HTTP of the collection: session, login, endpoints, retries, paging and errors.

Private to this collection: the interface may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import random
import re
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote, urlencode

from ansible_collections.cloudops.cbr.plugins.module_utils._auth import (
    AkSkAuth,
    TokenAuth,
    password_auth_body,
)

REQUESTS_IMPORT_ERROR = None
try:
    import requests
except ImportError:
    requests = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

HAS_REQUESTS = requests is not None
USER_AGENT = "cloudops.cbr/0.1.0"
# Backups document 1000 as default and maximum page size; members document none (CONTRACT.md 2.3).
PAGE_SIZE = 1000
SERVICE_TYPES = {"cbr": ("cbr",), "vbs": ("vbsv2", "vbs", "volume-backup")}
API_VERSIONS = {"cbr": "v3", "vbs": "v2"}
# Region -> cloud domain; every other region is Huawei Cloud's myhuaweicloud.com (CONTRACT.md 9).
REGION_DOMAINS = {
    "eu-de": "otc.t-systems.com",
    "eu-nl": "otc.t-systems.com",
    "eu-ch2": "sc.otc.t-systems.com",
    "eu-west-101": "myhuaweicloud.eu",
}
_TRAILING_PROJECT_RE = re.compile(r"/(\$\(tenant_id\)s|\{project_id\}|[0-9a-f]{32})$")
_TRAILING_VERSION_RE = re.compile(r"/v[0-9](\.[0-9])?$")

# Every wait goes through this name, so that tests can make it instant.
sleep = time.sleep


class CbrConfigError(Exception):
    """The connection options are incomplete or contradictory; nothing was sent."""


class CbrApiError(Exception):
    """A request failed: what we were doing, and what the API (or the network) said."""

    def __init__(self, action, error_msg, status_code=None, error_code=None, request_id=None):
        self.action = action
        self.error_msg = error_msg
        self.status_code = status_code
        self.error_code = error_code
        self.request_id = request_id
        super(CbrApiError, self).__init__(str(self))

    def __str__(self):
        said = " ".join(part for part in (self.error_code, self.error_msg) if part)
        return "%s: %s" % (self.action, said or "HTTP %s" % self.status_code)

    def fail_kwargs(self):
        """Keyword arguments for fail_json: the message plus the API's facts as separate keys."""
        return dict(msg=str(self), status_code=self.status_code, error_code=self.error_code,
                    error_msg=self.error_msg, request_id=self.request_id)


def is_malformed_url(message):
    """The 401 CBR answers for a deleted backup, which is no credential problem (CONTRACT.md 0.6)."""
    return "malformed request url" in (message or "").lower()


def parse_error_body(text):
    """Return (error_code, message) from any error body form the API uses (CONTRACT.md 1).

    Accepts {"error_code","error_msg"} and {"code","message"}, flat or nested one level
    ({"error": {...}}, {"unauthorized": {...}}); anything else gives (None, the text).
    """
    try:
        body = json.loads(text)
    except ValueError:
        return None, (text or "").strip()[:300] or None
    if not isinstance(body, dict):
        return None, None
    for candidate in [body] + [value for value in body.values() if isinstance(value, dict)]:
        code = candidate.get("error_code", candidate.get("code"))
        message = candidate.get("error_msg", candidate.get("message"))
        if code is not None or message is not None:
            return (None if code is None else str(code)), message
    return None, None


class RetryPolicy:
    """Which failures are retried, and how long to wait.

    GET, PUT and DELETE are retried on 429, 500, 502, 503, 504 and dropped connections. A POST
    is retried only on 429: after a 5xx or a dropped connection it may have been applied, so
    the caller re-reads instead. Waits grow exponentially with jitter, or follow Retry-After;
    at most `attempts` tries and `max_total` seconds of waiting in all.
    """

    RETRY_STATUSES = (429, 500, 502, 503, 504)
    IDEMPOTENT_METHODS = ("GET", "HEAD", "PUT", "DELETE")

    def __init__(self, attempts=5, base_delay=1.0, max_delay=20.0, max_total=60.0):
        self.attempts = attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.max_total = max_total

    def should_retry(self, method, status=None):
        """status None means the connection dropped or timed out before an answer."""
        if status == 429:
            return True
        if status is None or status in self.RETRY_STATUSES:
            return method.upper() in self.IDEMPOTENT_METHODS
        return False

    def delay(self, attempt, retry_after=None):
        """Seconds to wait before try number attempt + 1 (attempt counts from 1)."""
        try:
            if retry_after is not None:
                return min(max(float(retry_after), 0.0), self.max_delay)
        except ValueError:
            pass  # An HTTP date instead of seconds: fall back to backoff.
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return ceiling / 2 + random.uniform(0, ceiling / 2)


class ApiSession:
    """One requests.Session with credentials, TLS settings, timeouts and retries."""

    def __init__(self, auth=None, validate_certs=True, ca_cert=None, timeout=30, retry=None, pool_size=10):
        self.auth = auth
        # For credentials that can log in again (a password): called once, when a token is refused; it sets auth.
        self.relogin = None
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.http = requests.Session()
        # One kept-alive connection per concurrent worker, instead of urllib3's default of 10.
        adapter = requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=max(pool_size, 10))
        self.http.mount("https://", adapter)
        self.http.mount("http://", adapter)
        self.verify = (ca_cert or True) if validate_certs else False
        if not validate_certs:
            # The module warns once itself; urllib3 would warn on every request.
            requests.packages.urllib3.disable_warnings(requests.packages.urllib3.exceptions.InsecureRequestWarning)
        self.http.headers["User-Agent"] = USER_AGENT

    def call(self, method, url, action, params=None, body=None):
        """Send one request (retrying as the policy allows); return the response or raise CbrApiError."""
        if params:
            url = "%s?%s" % (url, urlencode(sorted(params.items()), doseq=True))
        data = json.dumps(body).encode("utf-8") if body is not None else b""
        attempt, waited = 0, 0.0
        while True:
            attempt += 1
            headers = {"Accept": "application/json"}
            if data:
                headers["Content-Type"] = "application/json;charset=UTF-8"
            if self.auth is not None:
                headers.update(self.auth.headers(method, url, data))
            status, retry_after, response, failure = None, None, None, None
            try:
                # verify is passed on each request: requests lets REQUESTS_CA_BUNDLE override Session.verify.
                response = self.http.request(method, url, data=data or None, headers=headers, timeout=self.timeout,
                                             verify=self.verify)
                status = response.status_code
                retry_after = response.headers.get("Retry-After")
                if status < 400:
                    return response
                if status == 401 and self.relogin is not None and not is_malformed_url(response.text):
                    # A refused request was not processed, so sending it again is safe, even a POST.
                    relogin, self.relogin = self.relogin, None
                    relogin()
                    attempt -= 1
                    continue
            except requests.exceptions.SSLError as error:
                raise CbrApiError(action, "TLS certificate verification failed for %s (%s). Set ca_cert to the "
                                          "CA bundle that signed the endpoint's certificate." % (url, error))
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as error:
                failure = error
            wait = self.retry.delay(attempt, retry_after)
            if (attempt >= self.retry.attempts or waited + wait > self.retry.max_total
                    or not self.retry.should_retry(method, status)):
                if response is None:
                    raise CbrApiError(action, "no answer from %s: %s" % (url, failure))
                raise self._api_error(action, response)
            sleep(wait)
            waited += wait

    def call_json(self, method, url, action, params=None, body=None):
        response = self.call(method, url, action, params=params, body=body)
        if not response.content:
            return {}
        try:
            return response.json()
        except ValueError:
            raise CbrApiError(action, "the answer is not JSON: %s" % response.text[:200],
                              status_code=response.status_code,
                              request_id=response.headers.get("X-Request-Id"))

    def _api_error(self, action, response):
        code, message = parse_error_body(response.text)
        if response.status_code == 401 and self.auth is not None and not is_malformed_url(message):
            message = "%s. %s" % ((message or "HTTP 401").rstrip("."), self.auth.refused_hint)
        return CbrApiError(action, message, status_code=response.status_code, error_code=code,
                           request_id=response.headers.get("X-Request-Id"))


def iter_marker_pages(fetch, key, page_size=PAGE_SIZE, limit=None):
    """Yield the items of every page; fetch(marker, size) returns one page; the marker is the last item's id.

    A page shorter than asked for is the last one. With `limit`, stop after that many items.
    """
    marker, seen = None, 0
    while True:
        size = page_size if limit is None else min(page_size, limit - seen)
        items = fetch(marker, size).get(key) or []
        yield from items
        seen += len(items)
        if len(items) < size or (limit is not None and seen >= limit) or items[-1].get("id") in (None, marker):
            return
        marker = items[-1]["id"]


def iter_offset_pages(fetch, key, page_size=PAGE_SIZE, limit=None):
    """Yield the items of every page; fetch(offset, size) returns one page.

    A page shorter than asked for is the last one. With `limit`, stop after that many items.
    """
    offset = 0
    while True:
        size = page_size if limit is None else min(page_size, limit - offset)
        items = fetch(offset, size).get(key) or []
        yield from items
        offset += len(items)
        if len(items) < size or (limit is not None and offset >= limit):
            return


def preset_endpoint(service, region):
    """The public endpoint of a service in a region, e.g. https://cbr.eu-de.otc.t-systems.com."""
    return "https://%s.%s.%s" % (service, region, REGION_DOMAINS.get(region, "myhuaweicloud.com"))


def service_root(url):
    """A service URL without the trailing project id and API version: the base we add /v3/{pid} to."""
    url = url.rstrip("/")
    url = _TRAILING_PROJECT_RE.sub("", url)
    return _TRAILING_VERSION_RE.sub("", url)


def catalog_endpoint(catalog, service, region=None):
    """The public URL of a service in the token's catalog (for the region, if one is given), or None."""
    for entry in catalog or []:
        if entry.get("type") not in SERVICE_TYPES[service]:
            continue
        for endpoint in entry.get("endpoints", []):
            if endpoint.get("interface") != "public":
                continue
            if region and region not in (endpoint.get("region_id"), endpoint.get("region")):
                continue
            return endpoint.get("url")
    return None


def iam_tokens_url(auth_url):
    base = auth_url.rstrip("/")
    if base.endswith("/auth/tokens"):
        return base
    if not base.endswith("/v3"):
        base += "/v3"
    return base + "/auth/tokens"


def auth_kind(params):
    """Which credentials the options give: 'token', 'aksk' or 'password' (in that order of precedence)."""
    if params.get("token"):
        return "token"
    if params.get("access_key") or params.get("secret_key"):
        if not (params.get("access_key") and params.get("secret_key")):
            raise CbrConfigError("access_key and secret_key must be given together")
        return "aksk"
    if params.get("username") or params.get("password"):
        missing = [name for name in ("username", "password", "domain_name") if not params.get(name)]
        if missing:
            raise CbrConfigError("password authentication needs %s" % ", ".join(missing))
        if not (params.get("auth_url") or params.get("region")):
            raise CbrConfigError("password authentication needs auth_url (or region, for its IAM endpoint)")
        if not (params.get("project_id") or params.get("project_name")):
            raise CbrConfigError("password authentication needs project_id or project_name")
        return "password"
    raise CbrConfigError("no credentials: set token, or access_key and secret_key, or username, password and "
                         "domain_name (or the matching OS_* environment variables)")


def check_connection_options(params):
    """Raise CbrConfigError when the options cannot work, before anything is sent."""
    kind = auth_kind(params)
    if kind != "password":
        if not params.get("project_id"):
            raise CbrConfigError("project_id is required with %s authentication"
                                 % ("token" if kind == "token" else "AK/SK"))
        if not (params.get("endpoint") or params.get("region")):
            raise CbrConfigError("endpoint or region is required with %s authentication (there is no token "
                                 "catalog to find the service in)" % ("token" if kind == "token" else "AK/SK"))
    return kind


def map_concurrently(function, items, workers):
    """[function(item) for item in items], computed by at most `workers` threads, in the items' order.

    The first exception raised by a call is raised here, after the calls already started finish.
    """
    if workers <= 1 or len(items) <= 1:
        return [function(item) for item in items]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(function, items))


def login(session, params):
    """Get an IAM token with the password options; set it as the session's auth and return the token body."""
    auth_url = params.get("auth_url") or preset_endpoint("iam", params["region"]) + "/v3"
    body = password_auth_body(params["username"], params["password"], params["domain_name"],
                              project_id=params.get("project_id"), project_name=params.get("project_name"))
    action = "Failed to get an IAM token for user %s" % params["username"]
    session.auth = None
    response = session.call("POST", iam_tokens_url(auth_url), action, body=body)
    token = response.headers.get("X-Subject-Token")
    if not token:
        raise CbrApiError(action, "the answer has no X-Subject-Token header", status_code=response.status_code)
    token_body = response.json().get("token", {})
    session.auth = TokenAuth(token, token_body.get("expires_at"))
    return token_body


def connect(params, service="cbr", pool_size=10):
    """Check the options, log in if they hold a password, and return a CbrClient for one project.

    The endpoint is the explicit `endpoint`, else the token catalog's, else the region preset.
    """
    kind = check_connection_options(params)
    session = ApiSession(validate_certs=params.get("validate_certs", True), ca_cert=params.get("ca_cert"),
                         timeout=params.get("timeout") or 30, pool_size=pool_size)
    project_id, catalog = params.get("project_id"), None
    if kind == "token":
        session.auth = TokenAuth(params["token"])
    elif kind == "aksk":
        session.auth = AkSkAuth(params["access_key"], params["secret_key"], params.get("security_token"),
                                project_id=project_id)
    else:
        token_body = login(session, params)
        session.relogin = lambda: login(session, params)
        project_id = (token_body.get("project") or {}).get("id") or project_id
        catalog = token_body.get("catalog")
    endpoint = params.get("endpoint") or catalog_endpoint(catalog, service, params.get("region"))
    if not endpoint and params.get("region"):
        endpoint = preset_endpoint(service, params["region"])
    if not endpoint:
        raise CbrConfigError("the token catalog has no public %s endpoint; set endpoint or region" % service)
    return CbrClient(session, service_root(endpoint), project_id, API_VERSIONS[service])


class CbrClient:
    """The calls the modules use, bound to one project and one service endpoint.

    CBR v3 calls need a client for the "cbr" service; legacy VBS sharing (v2) one for "vbs".
    """

    def __init__(self, session, endpoint, project_id, api_version="v3"):
        self.session = session
        self.endpoint = endpoint
        self.project_id = project_id
        self.api_version = api_version

    def url(self, *segments):
        path = "/".join(quote(str(segment), safe="") for segment in segments)
        return "%s/%s/%s/%s" % (self.endpoint, self.api_version, self.project_id, path)

    def _get_about_backup(self, backup_id, action, url, params=None):
        """A GET under a backup; the 401 'Malformed request url' of a deleted backup becomes a not-found error."""
        try:
            return self.session.call_json("GET", url, action, params=params)
        except CbrApiError as error:
            if error.status_code == 401 and is_malformed_url(error.error_msg):
                # CONTRACT.md 0.6: not an auth failure, so no re-login; say what it means.
                raise CbrApiError(action, "backup %s does not exist or was deleted (the API answered 401 "
                                          "'Malformed request url')" % backup_id,
                                  status_code=401, error_code=error.error_code, request_id=error.request_id)
            raise

    def list_members(self, backup_id, filters=None, limit=None, page_size=PAGE_SIZE):
        """Every share member of a backup (all pages), optionally filtered, at most `limit`."""
        action = "Failed to list share members of backup %s" % backup_id
        url = self.url("backups", backup_id, "members")

        def fetch(marker, size):
            params = dict((k, v) for k, v in (filters or {}).items() if v is not None)
            params["limit"] = size
            if marker:
                params["marker"] = marker
            return self._get_about_backup(backup_id, action, url, params)

        return list(iter_marker_pages(fetch, "members", page_size, limit))

    def show_member(self, backup_id, dest_project_id):
        """The member record for one destination project, or None when the backup is not shared with it."""
        action = "Failed to show share member %s of backup %s" % (dest_project_id, backup_id)
        try:
            # member_id in the URL is the destination project id (CONTRACT.md 0.1).
            body = self._get_about_backup(backup_id, action, self.url("backups", backup_id, "members", dest_project_id))
        except CbrApiError as error:
            if error.error_code == "BackupService.6705":
                return None
            raise
        return body.get("member")

    def add_members(self, backup_id, dest_project_ids):
        """Share the backup with projects in one POST (at most 10); return the new member records."""
        body = self.session.call_json("POST", self.url("backups", backup_id, "members"),
                                      "Failed to add share members to backup %s" % backup_id,
                                      body={"members": list(dest_project_ids)})
        return body.get("members") or []

    def remove_member(self, backup_id, dest_project_id):
        self.session.call("DELETE", self.url("backups", backup_id, "members", dest_project_id),
                          "Failed to remove share member %s from backup %s" % (dest_project_id, backup_id))

    def update_member_status(self, backup_id, status, vault_id=None):
        """Accept or reject a share as the receiving project: the member id is the caller's own project."""
        body = {"status": status}
        if vault_id:
            body["vault_id"] = vault_id
        answer = self.session.call_json(
            "PUT", self.url("backups", backup_id, "members", self.project_id),
            "Failed to set the share of backup %s to %s in project %s" % (backup_id, status, self.project_id),
            body=body)
        return answer.get("member")

    def show_backup(self, backup_id):
        """The backup (own, or shared with this project), or None when it is not visible here."""
        try:
            body = self.session.call_json("GET", self.url("backups", backup_id), "Failed to show backup %s" % backup_id)
        except CbrApiError as error:
            if error.error_code == "BackupService.6200":
                return None
            raise
        return body.get("backup")

    def _list_by_offset(self, resource, action, filters=None, limit=None, page_size=PAGE_SIZE):
        """Every item of GET /v3/{project}/{resource} (answer key = resource), paged by offset."""

        def fetch(offset, size):
            params = dict((k, v) for k, v in (filters or {}).items() if v is not None)
            params.update(limit=size, offset=offset)
            return self.session.call_json("GET", self.url(resource), action, params=params)

        return list(iter_offset_pages(fetch, resource, page_size, limit))

    def list_backups(self, filters=None, limit=None, page_size=PAGE_SIZE):
        """Backups of this project, or shared with it (own_type=shared), every page."""
        return self._list_by_offset("backups", "Failed to list backups of project %s" % self.project_id,
                                    filters, limit, page_size)

    def list_vaults(self, filters=None, page_size=PAGE_SIZE):
        """Vaults of this project, every page."""
        return self._list_by_offset("vaults", "Failed to list vaults of project %s" % self.project_id,
                                    filters, page_size=page_size)

    def show_vault(self, vault_id):
        """The vault of this project, or None when it does not exist here."""
        try:
            body = self.session.call_json("GET", self.url("vaults", vault_id), "Failed to show vault %s" % vault_id)
        except CbrApiError as error:
            if error.error_code == "BackupService.6105":
                return None
            raise
        return body.get("vault")

    # -- legacy VBS sharing (v2, CONTRACT.md 4)

    def list_shares(self, backup_id, page_size=PAGE_SIZE):
        """Every share of a backup made by this project (all pages, by offset)."""
        action = "Failed to list the shares of backup %s" % backup_id
        url = self.url("os-vendor-backup-sharing", "detail")

        def fetch(offset, size):
            params = {"backup_id": backup_id, "limit": size, "offset": offset}
            return self.session.call_json("GET", url, action, params=params)

        return list(iter_offset_pages(fetch, "shared", page_size))

    def create_shares(self, backup_id, to_project_ids):
        """Share a backup with projects in one POST; return the new share records."""
        body = self.session.call_json("POST", self.url("os-vendor-backup-sharing"),
                                      "Failed to share backup %s" % backup_id,
                                      body={"shared": {"backup_id": backup_id, "to_project_ids": list(to_project_ids)}})
        return body.get("shared") or []

    def delete_share(self, share_id, to_project_id):
        self.session.call("DELETE", self.url("os-vendor-backup-sharing", share_id),
                          "Failed to cancel share %s (to project %s)" % (share_id, to_project_id))

    def delete_all_shares(self, backup_id):
        """Cancel every share of a backup in one call (the is_backup_id form)."""
        self.session.call("DELETE", self.url("os-vendor-backup-sharing", backup_id),
                          "Failed to cancel all shares of backup %s" % backup_id, params={"is_backup_id": "true"})
