# -*- coding: utf-8 -*-
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A local emulator of the CBR backup-sharing API, IAM tokens and legacy VBS sharing.

It follows ../shared/api/CONTRACT.md (section 11 is its checklist, section 13 corrects it). Every
behaviour the contract marks UNCONFIRMED is one row of UNCONFIRMED below, with the contract line
it follows and its answer in each profile: `strict` (the default) takes the strictest reading,
`lenient` the generous one. It is deliberately independent of the collection's module_utils: it
verifies AK/SK signatures with its own code, so that a bug in the client signer cannot hide
behind the same bug here.

Two listeners share one state: the main address serves IAM and CBR v3; a second address serves
only the legacy VBS v2 sharing paths (CONTRACT.md 13.4: VBS is another host). A path of one
service sent to the other's address answers 404 like any unknown path.

Run it:  python3 tests/emulator/cbr_emulator.py --port 0 --fixture FILE [--latency-ms N]
                 [--profile strict|lenient] [--rate-limit N] [--url-file F] [--vbs-url-file F]
The first line on stdout is the base URL (http://127.0.0.1:PORT), the second the VBS URL.
With `-- COMMAND ...` it serves only while COMMAND runs, passes it the base URL in the
environment variable CBR_EMULATOR_URL and the VBS URL in CBR_EMULATOR_VBS_URL, and exits
with COMMAND's exit code.

Control endpoints (under a prefix no API path can start with), on both addresses:
  GET  /__emulator__/requests        the request log, oldest first
  DELETE /__emulator__/requests      clear the log only
  POST /__emulator__/reset           state back to the fixture, log and fault rules cleared
  POST /__emulator__/faults          add a fault rule (see FaultRule)
  POST /__emulator__/latency         {"ms": N}
  GET  /__emulator__/profile         the profile's name and its answer to every UNCONFIRMED row
  POST /__emulator__/profile         {"name": "strict"|"lenient"}
  POST /__emulator__/rate-limit      {"per_second": N}: a token bucket per user / access key, 0 = off
  POST /__emulator__/members         seed a share member: {"backup_id", "dest_project_id",
                                     "status", "vault_id", "image_id"} (no checks, no log entry)
  POST /__emulator__/tokens/revoke   every issued token becomes expired
  POST /__emulator__/backups/{id}/delete   delete a backup (later member calls answer 401)
  POST /__emulator__/shutdown        stop serving (the process exits)
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import copy
import datetime
import hashlib
import hmac
import json
import re
import os
import socket
import ssl
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import yaml

CONTROL_PREFIX = "/__emulator__"
TOKEN_LIFETIME = datetime.timedelta(hours=24)
SIGNATURE_MAX_SKEW = datetime.timedelta(minutes=15)
SERVER_PROVIDER_ID = "0daac4c5-6707-4851-97ba-169e36266b66"
PROVIDER_IDS = {
    "OS::Nova::Server": SERVER_PROVIDER_ID,
    "OS::Cinder::Volume": "d1603440-187d-4516-af25-121250c7cc97",
    "OS::Sfs::Turbo": "3f3c3220-245c-4805-b811-758870015881",
}
VAULT_TYPE_FOR_RESOURCE = {
    "OS::Nova::Server": "server",
    "OS::Cinder::Volume": "disk",
    "OS::Sfs::Turbo": "turbo",
}
MAX_SHARE_PROJECTS = 10
PROJECT_ID_RE = re.compile(r"^[0-9a-f]{32}$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

STRICT, LENIENT = "strict", "lenient"
PROFILES = (STRICT, LENIENT)


class Unconfirmed:
    """One behaviour no independent source settles: the contract line, and the answer of each profile."""

    def __init__(self, contract, strict, lenient, reading):
        self.contract = contract
        self.values = {STRICT: strict, LENIENT: lenient}
        self.reading = reading

    def as_dict(self, profile):
        return {"contract": self.contract, "value": self.values[profile], "reading": self.reading}


# Every emulator answer to an UNCONFIRMED point of CONTRACT.md, in one place. Strict is the default:
# the reading that leaves a client the fewest calls and the least information.
UNCONFIRMED = {
    "recipient_reads_member_api": Unconfirmed(
        "2.4, 13.1", False, True,
        "strict: a recipient's GET of the member list or of its own member record answers 404 "
        "BackupService.6200, as for any backup outside its project (the answer a client that treats 404 as "
        "'not shared' trips on; 13.1 says fall back on any 4xx). lenient: it may show its own record; "
        "listing stays 400 BackupService.6707."),
    "recipient_shows_pending_backup": Unconfirmed(
        "5, 13.1", False, True,
        "strict: a recipient can GET a shared backup by id only after it accepted the share (else 404 "
        "BackupService.6200); its documented read before that is GET backups?own_type=shared. "
        "lenient: also while pending or rejected."),
    "add_member_answer_has_count": Unconfirmed(
        "2.2, 13.10", False, True,
        "strict: AddMember answers {members} only, as the SDK model has it. lenient: plus count (OTC doc)."),
    "duplicate_add_code": Unconfirmed(
        "2.2, 13.7", "6703", "6714",
        "strict: a re-add answers 400 BackupService.6703 'The backup has been shared', the code a client that "
        "only knows 6714 mishandles (13.7: treat both alike). lenient: 6714, the contract's earlier choice."),
    "disk_backups_shareable": Unconfirmed(
        "0.8, 2.2, 13.2", False, True,
        "strict: only server backups, as the OTC API reference says: 400 BackupService.6700. "
        "lenient: disk backups too (Huawei pages, OTC manual)."),
    "encrypted_backups_shareable": Unconfirmed(
        "2.2, 13.2", False, True,
        "strict: 400 BackupService.6709 (OTC error table). lenient: shareable (OTC manual: once the KMS key "
        "is granted)."),
    "accept_capacity_size": Unconfirmed(
        "2.5, 6, 13.3", "resource_size", "backup_size",
        "strict: accepting needs room for resource_size (GB) in the vault, else 400 BackupService.6129. "
        "lenient: room for the backup's own size (fixture backup_size_gb, default resource_size_gb)."),
    "accepted_rejected_transitions": Unconfirmed(
        "2.5", False, True,
        "strict: once accepted or rejected, a share only takes the same status again: accepted->rejected, "
        "rejected->accepted and back to pending answer 400 BackupService.6706 (the status value is invalid "
        "for the record). lenient: any status to any status."),
    "wrong_party_member_write": Unconfirmed(
        "2.5", "6707", "6707",
        "both: the owner's PUT and a recipient's POST or DELETE answer 400 BackupService.6707 (emulator "
        "choice named in the contract; 9998 is a 500 and does not fit)."),
    "vbs_deleted_is_string": Unconfirmed(
        "4, 13.6", True, False,
        "strict: VBS `deleted` is the string 'false' / 'true' (golangsdk `Deleted string`). lenient: a JSON "
        "boolean."),
    "vbs_detail_lists_cancelled": Unconfirmed(
        "4, 13.6", True, False,
        "strict: cancelled shares stay in detail, show and count with deleted 'true' and deleted_at set "
        "(nothing says they are left out). lenient: they disappear."),
    "recipient_sees_vault_id": Unconfirmed(
        "5, 13.11", "recipient", "owner",
        "strict: a recipient's view of a shared backup has its own vault_id once accepted and none before "
        "(nothing of the owner's vaults). lenient: the owner's vault_id, always."),
    "throttle_status": Unconfirmed(
        "10", 429, 429,
        "both: beyond the per-identity rate limit, HTTP 429 with the APIG.0308 body (the status is 'very "
        "likely' 429)."),
    "add_member_batch": Unconfirmed(
        "2.2", "all-or-nothing", "all-or-nothing",
        "both: one bad project id refuses the whole AddMember request, nothing added."),
    "foreign_project_path": Unconfirmed(
        "11", 403, 403,
        "both: a path project other than the credential's answers 403 APIG.0302."),
    "accept_without_vault": Unconfirmed(
        "2.5", "6706", "6706", "both: accepting without vault_id answers 400 BackupService.6706."),
    "vault_full_code": Unconfirmed(
        "2.5", "6129", "6129", "both: a vault without room answers 400 BackupService.6129."),
}


# CONTRACT.md section 3; 6129 for a full vault is the contract's plausible candidate (UNCONFIRMED).
CBR_ERRORS = {
    "6105": (404, "The vault does not exist."),
    "6129": (400, "The maximum capacity of the destination vault has been reached."),
    "6200": (404, "The backup does not exist."),
    "6700": (400, "Only cloud server backups can be shared."),
    "6701": (400, "The maximum number of backups that can be shared has been reached."),
    "6702": (400, "Only backups in the Available status can be shared."),
    "6703": (400, "The backup has been shared."),
    "6704": (400, "Invalid project ID of the tenant for sharing."),
    "6705": (404, "The share member does not exist."),
    "6706": (400, "Invalid update parameter value for the share member."),
    "6707": (400, "Backup sharing is not allowed."),
    "6709": (400, "Backup sharing is not allowed for cloud servers using encrypted disks."),
    "6710": (400, "The shared backup has been used to register an image. Delete the image first."),
    "6712": (400, "Backup sharing is not allowed in the current vault status."),
    "6713": (400, "The type of the vault accepting the shared backup and the backup resource type are different."),
    "6714": (400, "A shared backup cannot be shared to the same member again."),
    "9900": (400, "Parameter verification failed."),
}


class ApiError(Exception):
    """An error answer: HTTP status plus the JSON body to send."""

    def __init__(self, status, body):
        super().__init__(status, body)
        self.status = status
        self.body = body


def cbr_error(code, detail=None):
    status, message = CBR_ERRORS[code]
    if detail:
        message = "%s %s" % (message, detail)
    return ApiError(status, {"error_code": "BackupService." + code, "error_msg": message})


def vbs_error(status, code, message):
    # VBS error body shape is UNCONFIRMED; the contract says to assume error_code/error_msg.
    return ApiError(status, {"error_code": code, "error_msg": message})


def auth_error(message, code="APIG.0301"):
    return ApiError(401, {"error_code": code, "error_msg": message})


def throttled_body(per_second):
    """The gateway's answer beyond a user's rate limit (CONTRACT.md 10)."""
    return {"error_code": "APIG.0308",
            "error_msg": "The throttling threshold has been reached: policy user over ratelimit,"
                         "limit:%s,time:1 second" % per_second}


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def api_timestamp(moment):
    """The form every example response shows: 2020-02-05T10:38:34.210+00:00 (CONTRACT.md 0.5)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03d+00:00" % (moment.microsecond // 1000)


def without_nulls(record):
    """CBR leaves null fields out of its responses (CONTRACT.md 0.5)."""
    return {k: v for k, v in record.items() if v is not None}


# ---------------------------------------------------------------- AK/SK verification (CONTRACT.md 8, 12)

def _sdk_quote(text):
    return quote(text, safe="~")


def canonical_request(method, path, query_pairs, headers, signed_headers, body):
    segments = [_sdk_quote(unquote(part)) for part in path.split("/")]
    uri = "/".join(segments)
    if not uri.endswith("/"):
        uri += "/"
    query = "&".join(
        "%s=%s" % (_sdk_quote(k), _sdk_quote(v)) for k, v in sorted(query_pairs)
    )
    lowered = {k.lower(): v.strip() for k, v in headers.items()}
    canonical_headers = "".join("%s:%s\n" % (name, lowered.get(name, "")) for name in signed_headers)
    body_hash = lowered.get("x-sdk-content-sha256") or hashlib.sha256(body).hexdigest()
    return "\n".join([method, uri, query, canonical_headers, ";".join(signed_headers), body_hash])


def expected_signature(secret_key, sdk_date, canonical):
    string_to_sign = "SDK-HMAC-SHA256\n%s\n%s" % (
        sdk_date, hashlib.sha256(canonical.encode("utf-8")).hexdigest())
    return hmac.new(secret_key.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


AUTHORIZATION_RE = re.compile(
    r"^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)$")


# ---------------------------------------------------------------- state

class State:
    """Everything the cloud remembers, behind one lock."""

    def __init__(self, fixture):
        self.fixture = fixture
        self.lock = threading.RLock()
        self.reset()

    def reset(self):
        with self.lock:
            fixture = copy.deepcopy(self.fixture)
            self.region = fixture.get("region", "eu-de")
            self.projects = {}
            self.backups = {}
            self.vaults = {}
            self.access_keys = {}
            for project in fixture.get("projects", []):
                pid = project["id"]
                self.projects[pid] = project
                for vault in project.get("vaults", []):
                    self.vaults[vault["id"]] = dict(vault, project_id=pid)
                for backup in project.get("backups", []):
                    self.backups[backup["id"]] = dict(backup, project_id=pid)
                for cred in project.get("credentials", []):
                    self.access_keys[cred["access_key"]] = dict(cred, project_id=pid)
            self.deleted_backups = set()
            self.members = {}
            self.sequence = 0
            for member in fixture.get("members", []):
                self.seed_member(member["backup_id"], member["dest_project_id"], member)
            self.shares = {}
            self.cancelled_shares = {}
            self.tokens = {}
            self.log = []
            self.faults = []

    def next_sequence(self):
        self.sequence += 1
        return self.sequence

    def seed_member(self, backup_id, dest_project_id, extra=None):
        """Put a member record in place as given (status, vault_id, image_id, ...), without any API check."""
        with self.lock:
            return self._add_member_record(backup_id, dest_project_id, extra)

    def _add_member_record(self, backup_id, dest_project_id, extra=None):
        now = utcnow()
        record = {
            "id": str(uuid.uuid4()),
            "backup_id": backup_id,
            "dest_project_id": dest_project_id,
            "status": "pending",
            "vault_id": None,
            "image_id": None,
            "created_at": api_timestamp(now),
            "updated_at": None,
            "_seq": self.next_sequence(),
        }
        for key in ("status", "vault_id", "image_id", "created_at", "updated_at", "id"):
            if extra and extra.get(key) is not None:
                record[key] = extra[key]
        self.members.setdefault(backup_id, {})[dest_project_id] = record
        return record

    def vault_used_mb(self, vault, size_gb):
        """Fixture usage plus the shared backups accepted into the vault, each counted as size_gb(backup)."""
        used = vault.get("used_mb", 0)
        for records in self.members.values():
            for record in records.values():
                if record["status"] == "accepted" and record["vault_id"] == vault["id"]:
                    used += size_gb(self.backups[record["backup_id"]]) * 1024
        return used


class FaultRule:
    """Answer the next `count` requests matching method and path regex with a fault.

    status: the HTTP status to answer (with `body`, default an APIG-style error, and
    `retry_after` seconds when set); drop: close the connection without an answer;
    after_apply: let the request take effect first, then fail (the ambiguous write);
    expire_tokens: every token issued so far expires just before this request is handled.
    """

    def __init__(self, spec):
        self.method = spec.get("method", "*").upper()
        self.path = re.compile(spec.get("path", ".*"))
        self.count = int(spec.get("count", 1))
        self.status = int(spec.get("status", 500))
        self.retry_after = spec.get("retry_after")
        self.drop = bool(spec.get("drop", False))
        self.after_apply = bool(spec.get("after_apply", False))
        self.expire_tokens = bool(spec.get("expire_tokens", False))
        self.body = spec.get("body") or self._default_body()

    def _default_body(self):
        if self.status == 429:
            return {"error_code": "APIG.0308",
                    "error_msg": "The throttling threshold has been reached: policy user over ratelimit,"
                                 "limit:20,time:1 second"}
        return {"error_code": "APIG.%04d" % self.status, "error_msg": "Injected fault %d." % self.status}

    def matches(self, method, path):
        return self.count > 0 and self.method in ("*", method) and self.path.search(path)


class RateLimiter:
    """A token bucket per identity (user name or access key): per_second requests a second, bursts of per_second.

    0 turns it off. `clock` is replaceable so that a test can freeze time and count exactly.
    """

    def __init__(self, per_second=0, clock=time.monotonic):
        self.per_second = per_second
        self.clock = clock
        self.lock = threading.Lock()
        self.buckets = {}

    def configure(self, per_second):
        with self.lock:
            self.per_second = per_second
            self.buckets = {}

    def clear(self):
        with self.lock:
            self.buckets = {}

    def allow(self, identity):
        with self.lock:
            if not self.per_second:
                return True
            now = self.clock()
            tokens, last = self.buckets.get(identity, (float(self.per_second), now))
            tokens = min(float(self.per_second), tokens + (now - last) * self.per_second)
            allowed = tokens >= 1
            self.buckets[identity] = (tokens - 1 if allowed else tokens, now)
            return allowed


# ---------------------------------------------------------------- HTTP layer

class Request:
    """What a handler needs from one HTTP request."""

    def __init__(self, method, path, query_pairs, headers, body):
        self.method = method
        self.path = path
        self.query_pairs = query_pairs
        self.query = {}
        for key, value in query_pairs:
            self.query.setdefault(key, []).append(value)
        self.headers = headers
        self.raw_body = body
        self.project_id = None
        self.auth_type = None
        self.identity = None
        self.listener = MAIN

    def arg(self, name, default=None):
        values = self.query.get(name)
        return values[0] if values else default

    def json(self):
        if not self.raw_body:
            raise cbr_error("9900", "The request body is empty.")
        try:
            return json.loads(self.raw_body.decode("utf-8"))
        except ValueError:
            raise cbr_error("9900", "The request body is not valid JSON.")


MAIN, VBS = "main", "vbs"


def positive_int(request, name, default, maximum=None):
    raw = request.arg(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < (0 if name == "offset" else 1):
        raise cbr_error("9900", "Invalid %s: %s." % (name, raw))
    value = int(raw)
    if maximum is not None and value > maximum:
        raise cbr_error("9900", "%s must be at most %d." % (name, maximum))
    return value


class Emulator:
    """Routes API requests to handlers; owns the state, the profile and the rate limit."""

    def __init__(self, fixture, latency_ms=0, profile=STRICT, rate_limit=0):
        self.state = State(fixture)
        self.latency_ms = latency_ms
        self.profile = None
        self.set_profile(profile)
        self.limiter = RateLimiter(rate_limit)
        self.base_url = None
        self.vbs_url = None
        self.server = None
        # The main address: IAM and CBR v3. create_token is the only route without authentication.
        self.routes = self._compile([
            ("POST", r"/v3/auth/tokens", self.create_token),
            ("GET", r"/v3/(?P<pid>[^/]+)/backups", self.list_backups),
            ("GET", r"/v3/(?P<pid>[^/]+)/backups/(?P<bid>[^/]+)", self.show_backup),
            ("GET", r"/v3/(?P<pid>[^/]+)/vaults", self.list_vaults),
            ("GET", r"/v3/(?P<pid>[^/]+)/vaults/(?P<vid>[^/]+)", self.show_vault),
            ("POST", r"/v3/(?P<pid>[^/]+)/backups/(?P<bid>[^/]+)/members", self.add_members),
            ("GET", r"/v3/(?P<pid>[^/]+)/backups/(?P<bid>[^/]+)/members", self.list_members),
            ("GET", r"/v3/(?P<pid>[^/]+)/backups/(?P<bid>[^/]+)/members/(?P<mid>[^/]+)", self.show_member),
            ("PUT", r"/v3/(?P<pid>[^/]+)/backups/(?P<bid>[^/]+)/members/(?P<mid>[^/]+)", self.update_member),
            ("DELETE", r"/v3/(?P<pid>[^/]+)/backups/(?P<bid>[^/]+)/members/(?P<mid>[^/]+)", self.delete_member),
        ])
        # The VBS address (CONTRACT.md 4, 13.4): legacy v2 sharing only.
        self.vbs_routes = self._compile([
            ("POST", r"/v2/(?P<pid>[^/]+)/os-vendor-backup-sharing", self.create_shares),
            ("GET", r"/v2/(?P<pid>[^/]+)/os-vendor-backup-sharing/detail", self.list_shares),
            ("GET", r"/v2/(?P<pid>[^/]+)/os-vendor-backup-sharing/count", self.count_shares),
            ("GET", r"/v2/(?P<pid>[^/]+)/os-vendor-backup-sharing/(?P<sid>[^/]+)", self.show_share),
            ("DELETE", r"/v2/(?P<pid>[^/]+)/os-vendor-backup-sharing/(?P<sid>[^/]+)", self.delete_share),
        ])

    @staticmethod
    def _compile(routes):
        return [(m, re.compile("^" + p + "/?$"), h) for m, p, h in routes]

    # -- profile (UNCONFIRMED)

    def set_profile(self, name):
        if name not in PROFILES:
            raise ValueError("unknown profile %r (one of %s)" % (name, ", ".join(PROFILES)))
        self.profile = name

    def reading(self, name):
        """This profile's answer to one UNCONFIRMED behaviour."""
        return UNCONFIRMED[name].values[self.profile]

    # -- dispatch

    def dispatch(self, request):
        """Return (status, headers, body-dict-or-None) for an API request."""
        known_path = False
        for method, pattern, handler in self.vbs_routes if request.listener == VBS else self.routes:
            match = pattern.match(request.path)
            if not match:
                continue
            known_path = True
            if method != request.method:
                continue
            params = match.groupdict()
            if handler != self.create_token:
                self.authenticate(request, params["pid"])
                self.throttle(request)
            return handler(request, **params)
        if known_path:
            raise ApiError(405, {"error_code": "APIG.0101", "error_msg": "Method not allowed."})
        raise ApiError(404, {"error_code": "APIG.0101",
                             "error_msg": "The API does not exist or has not been published in the environment."})

    def throttle(self, request):
        """The gateway's per-user limit (CONTRACT.md 10), counted per user name or access key."""
        if not self.limiter.allow(request.identity):
            raise ApiError(self.reading("throttle_status"), throttled_body(self.limiter.per_second))

    # -- authentication and project binding (CONTRACT.md 7, 8, 11)

    def authenticate(self, request, path_project_id):
        token = request.headers.get("x-auth-token")
        authorization = request.headers.get("authorization")
        if token:
            self._authenticate_token(request, token)
        elif authorization:
            self._authenticate_signature(request, authorization)
        else:
            raise auth_error("Incorrect IAM authentication information: the request is not authenticated.")
        if request.project_id != path_project_id:
            # UNCONFIRMED["foreign_project_path"]: a credential is bound to one project.
            raise ApiError(self.reading("foreign_project_path"), {"error_code": "APIG.0302",
                                 "error_msg": "The credential is not authorized for project %s." % path_project_id})

    def _authenticate_token(self, request, token):
        with self.state.lock:
            issued = self.state.tokens.get(token)
        if issued is None:
            raise auth_error("Incorrect IAM authentication information: decrypt token fail")
        if issued["expires_at"] <= utcnow():
            raise auth_error("Incorrect IAM authentication information: the token has expired")
        request.project_id = issued["project_id"]
        request.identity = issued["user"]
        request.auth_type = "token"

    def _authenticate_signature(self, request, authorization):
        match = AUTHORIZATION_RE.match(authorization.strip())
        if not match:
            raise auth_error("Incorrect IAM authentication information: invalid Authorization header")
        access_key, signed, signature = match.groups()
        with self.state.lock:
            credential = self.state.access_keys.get(access_key)
        if credential is None:
            raise auth_error("Incorrect IAM authentication information: unknown access key")
        sdk_date = request.headers.get("x-sdk-date", "")
        try:
            signed_at = datetime.datetime.strptime(sdk_date, "%Y%m%dT%H%M%SZ").replace(
                tzinfo=datetime.timezone.utc)
        except ValueError:
            raise auth_error("Incorrect IAM authentication information: invalid X-Sdk-Date")
        if abs(utcnow() - signed_at) > SIGNATURE_MAX_SKEW:
            raise auth_error("Incorrect IAM authentication information: X-Sdk-Date is out of range")
        signed_headers = signed.split(";")
        canonical = canonical_request(request.method, request.path, request.query_pairs,
                                      request.headers, signed_headers, request.raw_body)
        wanted = expected_signature(credential["secret_key"], sdk_date, canonical)
        if not hmac.compare_digest(wanted, signature):
            raise auth_error("Incorrect IAM authentication information: verify aksk signature fail")
        wanted_token = credential.get("security_token")
        if wanted_token and not hmac.compare_digest(
                wanted_token.encode("utf-8"), request.headers.get("x-security-token", "").encode("utf-8")):
            raise auth_error("Incorrect IAM authentication information: invalid security token")
        if wanted_token and "x-security-token" not in signed_headers:
            raise auth_error("Incorrect IAM authentication information: X-Security-Token is not signed")
        expires_at = credential.get("expires_at")
        if expires_at and datetime.datetime.fromisoformat(str(expires_at).replace("Z", "+00:00")) <= utcnow():
            raise auth_error("Incorrect IAM authentication information: the security token has expired")
        header_project = request.headers.get("x-project-id")
        if header_project and header_project != credential["project_id"]:
            raise ApiError(403, {"error_code": "APIG.0302",
                                 "error_msg": "The credential is not authorized for project %s." % header_project})
        request.project_id = credential["project_id"]
        request.identity = access_key
        request.auth_type = "aksk"

    # -- IAM (CONTRACT.md 7)

    def create_token(self, request):
        try:
            auth = json.loads(request.raw_body.decode("utf-8"))["auth"]
            user = auth["identity"]["password"]["user"]
            scope = auth["scope"]["project"]
        except (ValueError, KeyError, TypeError):
            raise ApiError(400, {"error": {"code": 400, "title": "Bad Request",
                                           "message": "The request body is not a valid password auth request."}})
        project = self._scoped_project(scope)
        if project is None:
            raise ApiError(401, {"error": {"code": 401, "title": "Unauthorized",
                                           "message": "The project in the scope does not exist."}})
        user_domain = (user.get("domain") or {}).get("name")
        users = {u["name"]: u["password"] for u in project.get("users", [])}
        if user_domain != project.get("domain") or users.get(user.get("name")) != user.get("password"):
            raise ApiError(401, {"error": {"code": 401, "title": "Unauthorized",
                                           "message": "The username or password is wrong."}})
        token = "emu-" + uuid.uuid4().hex + uuid.uuid4().hex
        issued_at = utcnow()
        expires_at = issued_at + TOKEN_LIFETIME
        with self.state.lock:
            self.state.tokens[token] = {"project_id": project["id"], "expires_at": expires_at, "user": user["name"]}
        request.project_id = project["id"]
        request.identity = user["name"]
        request.auth_type = "password"
        body = {"token": {
            "expires_at": expires_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "issued_at": issued_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "methods": ["password"],
            "user": {"name": user["name"], "domain": {"name": project["domain"]}},
            "project": {"id": project["id"], "name": project["name"],
                        "domain": {"id": project.get("domain_id", ""), "name": project["domain"]}},
            "roles": [{"name": "te_admin"}],
        }}
        if request.arg("nocatalog") != "true":
            body["token"]["catalog"] = self._catalog(project["id"])
        return 201, {"X-Subject-Token": token}, body

    def _scoped_project(self, scope):
        with self.state.lock:
            if scope.get("id"):
                return self.state.projects.get(scope["id"])
            domain = (scope.get("domain") or {}).get("name")
            for project in self.state.projects.values():
                if project["name"] == scope.get("name") and domain in (None, project.get("domain")):
                    return project
        return None

    def _catalog(self, project_id):
        def service(kind, url):
            return {"type": kind, "id": uuid.uuid4().hex, "name": kind, "endpoints": [{
                "id": uuid.uuid4().hex, "interface": "public", "region": self.state.region,
                "region_id": self.state.region, "url": url}]}
        # VBS is its own host (CONTRACT.md 4, 13.4): OTC lists vbsv2 with the project and volume-backup without.
        return [
            service("identity", self.base_url + "/v3"),
            service("cbr", "%s/v3/%s" % (self.base_url, project_id)),
            service("vbsv2", "%s/v2/%s" % (self.vbs_url, project_id)),
            service("volume-backup", "%s/v2/" % self.vbs_url),
        ]

    # -- backups and vaults (CONTRACT.md 5, 6)

    def _backup_view(self, backup, viewer):
        """The backup as the project `viewer` sees it."""
        vault_id = backup.get("vault_id")
        if viewer != backup["project_id"] and self.reading("recipient_sees_vault_id") == "recipient":
            membership = self.state.members.get(backup["id"], {}).get(viewer) or {}
            vault_id = membership.get("vault_id") if membership.get("status") == "accepted" else None
        return without_nulls({
            "id": backup["id"],
            "name": backup.get("name"),
            "description": backup.get("description", ""),
            "checkpoint_id": backup.get("checkpoint_id"),
            "created_at": backup.get("created_at", "2026-11-01T02:00:00.000+00:00"),
            "expired_at": backup.get("expired_at"),
            "updated_at": backup.get("updated_at"),
            "image_type": backup.get("image_type", "backup"),
            "project_id": backup["project_id"],
            "provider_id": PROVIDER_IDS.get(backup.get("resource_type"), SERVER_PROVIDER_ID),
            "resource_id": backup.get("resource_id"),
            "resource_name": backup.get("resource_name"),
            "resource_size": backup.get("resource_size_gb", 0),
            "resource_type": backup.get("resource_type", "OS::Nova::Server"),
            "status": backup.get("status", "available"),
            "vault_id": vault_id,
            "extend_info": {"encrypted": bool(backup.get("encrypted", False)),
                            "auto_trigger": False, "bootable": True},
        })

    def _visible_backup(self, project_id, backup_id):
        """The backup if the project owns it, or it is shared with the project (accepted, in strict)."""
        backup = self.state.backups.get(backup_id)
        if backup is None or backup_id in self.state.deleted_backups:
            return None
        if backup["project_id"] == project_id:
            return backup
        membership = self.state.members.get(backup_id, {}).get(project_id)
        if membership is None:
            return None
        if membership["status"] != "accepted" and not self.reading("recipient_shows_pending_backup"):
            return None
        return backup

    def list_backups(self, request, pid):
        limit = positive_int(request, "limit", 1000, maximum=1000)
        offset = positive_int(request, "offset", 0)
        own_type = request.arg("own_type", "private")
        if own_type not in ("private", "shared", "all_granted"):
            raise cbr_error("9900", "Invalid own_type: %s." % own_type)
        member_status = request.arg("member_status")
        statuses = request.query.get("status")
        with self.state.lock:
            selected = []
            for backup in self.state.backups.values():
                if backup["id"] in self.state.deleted_backups:
                    continue
                own = backup["project_id"] == pid
                membership = self.state.members.get(backup["id"], {}).get(pid)
                if own_type == "private" and not own:
                    continue
                if own_type == "shared" and membership is None:
                    continue
                if own_type == "all_granted" and not (own or membership):
                    continue
                if member_status and (membership is None or membership["status"] != member_status):
                    continue
                if statuses and backup.get("status", "available") not in statuses:
                    continue
                if request.arg("vault_id") and backup.get("vault_id") != request.arg("vault_id"):
                    continue
                if request.arg("name") and request.arg("name") not in backup.get("name", ""):
                    continue
                if request.arg("resource_type") and backup.get("resource_type") != request.arg("resource_type"):
                    continue
                selected.append(self._backup_view(backup, pid))
        page = selected[offset:offset + limit]
        return 200, {}, {"backups": page, "count": len(selected), "offset": offset, "limit": limit}

    def show_backup(self, request, pid, bid):
        with self.state.lock:
            backup = self._visible_backup(pid, bid)
            if backup is None:
                raise cbr_error("6200")
            return 200, {}, {"backup": self._backup_view(backup, pid)}

    def show_vault(self, request, pid, vid):
        with self.state.lock:
            vault = self.state.vaults.get(vid)
            if vault is None or vault["project_id"] != pid:
                raise cbr_error("6105")
            return 200, {}, {"vault": self._vault_view(vault)}

    def list_vaults(self, request, pid):
        limit = positive_int(request, "limit", 1000, maximum=1000)
        offset = positive_int(request, "offset", 0)
        wanted = {"object_type": request.arg("object_type"), "status": request.arg("status"),
                  "name": request.arg("name"), "id": request.arg("id")}
        with self.state.lock:
            vaults = []
            for vault in self.state.vaults.values():
                if vault["project_id"] != pid:
                    continue
                view = self._vault_view(vault)
                actual = {"object_type": view["billing"]["object_type"], "status": view["billing"]["status"],
                          "name": view["name"], "id": view["id"]}
                if all(value is None or actual[key] == value for key, value in wanted.items()):
                    vaults.append(view)
        page = vaults[offset:offset + limit]
        return 200, {}, {"vaults": page, "count": len(vaults), "limit": limit, "offset": offset}

    def _vault_view(self, vault):
        """The vault as show and list answer it (CONTRACT.md 6)."""
        object_type = vault.get("object_type", "server")
        pid = vault["project_id"]
        return {
            "id": vault["id"],
            "name": vault.get("name", ""),
            "description": vault.get("description", ""),
            "project_id": pid,
            "provider_id": {"server": SERVER_PROVIDER_ID}.get(object_type, PROVIDER_IDS["OS::Cinder::Volume"]),
            "created_at": vault.get("created_at", "2026-01-01T00:00:00.000+00:00"),
            "auto_bind": False,
            "auto_expand": False,
            "locked": False,
            "tags": [],
            "resources": [],
            "billing": {
                "allocated": 0,
                "charging_mode": "post_paid",
                "consistent_level": "crash_consistent",
                "object_type": object_type,
                "protect_type": "backup",
                "size": vault.get("size_gb", 100),
                "spec_code": "vault.backup.%s.normal" % {"disk": "volume"}.get(object_type, object_type),
                "status": vault.get("status", "available"),
                "used": self.state.vault_used_mb(vault, self._share_size_gb),
                "storage_unit": "",
            },
        }

    # -- members (CONTRACT.md 2)

    def _owned_backup(self, pid, bid, read=False):
        """The backup, owned by pid. A recipient is refused as its profile says; anyone else gets 6200."""
        if bid in self.state.deleted_backups:
            # CONTRACT.md 0.6: member calls on a deleted backup can answer this 401.
            raise ApiError(401, {"unauthorized": {"code": "401", "message": "Malformed request url"}})
        backup = self.state.backups.get(bid)
        if backup is None:
            raise cbr_error("6200")
        if backup["project_id"] != pid:
            recipient = pid in self.state.members.get(bid, {})
            if recipient and not (read and not self.reading("recipient_reads_member_api")):
                raise cbr_error(self.reading("wrong_party_member_write"),
                                "Only the owner of the backup can manage its share members.")
            raise cbr_error("6200")
        return backup

    def _shareable(self, backup):
        """Refuse a backup the profile does not let be shared (UNCONFIRMED disk / encrypted rows)."""
        resource_type = backup.get("resource_type", "OS::Nova::Server")
        if resource_type != "OS::Nova::Server" and not (
                resource_type == "OS::Cinder::Volume" and self.reading("disk_backups_shareable")):
            raise cbr_error("6700")
        if backup.get("status", "available") != "available":
            raise cbr_error("6702")
        if backup.get("encrypted") and not self.reading("encrypted_backups_shareable"):
            raise cbr_error("6709")

    def _share_size_gb(self, backup):
        """What accepting a shared backup takes from a vault (UNCONFIRMED["accept_capacity_size"])."""
        if self.reading("accept_capacity_size") == "backup_size":
            return backup.get("backup_size_gb", backup.get("resource_size_gb", 0))
        return backup.get("resource_size_gb", 0)

    def add_members(self, request, pid, bid):
        body = request.json()
        wanted = body.get("members") if isinstance(body, dict) else None
        if (not isinstance(wanted, list) or not 1 <= len(wanted) <= MAX_SHARE_PROJECTS
                or not all(isinstance(p, str) for p in wanted)):
            raise cbr_error("9900", "members must be a list of 1 to %d project IDs." % MAX_SHARE_PROJECTS)
        with self.state.lock:
            backup = self._owned_backup(pid, bid)
            self._shareable(backup)
            vault = self.state.vaults.get(backup.get("vault_id"))
            if vault is not None and vault.get("status", "available") != "available":
                raise cbr_error("6712")
            current = self.state.members.setdefault(bid, {})
            for dest in wanted:
                if dest == pid or not PROJECT_ID_RE.match(dest) or dest not in self.state.projects:
                    raise cbr_error("6704", "Project ID: %s." % dest)
            if len(set(wanted)) != len(wanted):
                raise cbr_error("9900", "members contains duplicates.")
            for dest in wanted:
                if dest in current:
                    raise cbr_error(self.reading("duplicate_add_code"), "Project ID: %s." % dest)
            if len(current) + len(wanted) > MAX_SHARE_PROJECTS:
                raise cbr_error("6701", "A backup can be shared with at most %d projects." % MAX_SHARE_PROJECTS)
            added = [self.state.seed_member(bid, dest) for dest in wanted]
            answer = {"members": [self._member_view(m) for m in added]}
            if self.reading("add_member_answer_has_count"):
                answer["count"] = len(current)
            return 200, {}, answer

    @staticmethod
    def _member_view(record):
        return without_nulls({k: v for k, v in record.items() if not k.startswith("_")})

    def list_members(self, request, pid, bid):
        limit = positive_int(request, "limit", 1000)
        offset = positive_int(request, "offset", 0)
        marker = request.arg("marker")
        sort_keys = self._sort_keys(request.arg("sort", "created_at:desc"))
        filters = {k: request.arg(k) for k in ("dest_project_id", "image_id", "status", "vault_id")
                   if request.arg(k) is not None}
        if "status" in filters and filters["status"] not in ("pending", "accepted", "rejected"):
            raise cbr_error("9900", "Invalid status: %s." % filters["status"])
        with self.state.lock:
            self._owned_backup(pid, bid, read=True)
            records = [m for m in self.state.members.get(bid, {}).values()
                       if all(m.get(k) == v for k, v in filters.items())]
            for key, descending in reversed(sort_keys):
                records.sort(key=lambda m, k=key: ((m.get(k) or ""), m["_seq"]), reverse=descending)
            if marker is not None:
                ids = [m["id"] for m in records]
                if marker not in ids:
                    raise cbr_error("9900", "Invalid marker: %s." % marker)
                records_after = records[ids.index(marker) + 1:]
            else:
                records_after = records
            page = records_after[offset:offset + limit]
            return 200, {}, {"members": [self._member_view(m) for m in page], "count": len(records)}

    @staticmethod
    def _sort_keys(sort):
        allowed = ("created_at", "updated_at", "dest_project_id", "status", "id", "vault_id")
        keys = []
        if len(sort) > 255:
            raise cbr_error("9900", "sort is longer than 255 characters.")
        for part in sort.split(","):
            key, direction = (part.split(":", 1) + [""])[:2]
            direction = direction or "desc"
            if key not in allowed or direction not in ("asc", "desc"):
                raise cbr_error("9900", "Invalid sort: %s." % sort)
            keys.append((key, direction == "desc"))
        return keys

    def show_member(self, request, pid, bid, mid):
        with self.state.lock:
            record = self.state.members.get(bid, {}).get(mid)
            if not (pid == mid and record is not None and self.reading("recipient_reads_member_api")):
                self._owned_backup(pid, bid, read=True)
            if record is None or bid in self.state.deleted_backups:
                raise cbr_error("6705")
            return 200, {}, {"member": self._member_view(record)}

    def update_member(self, request, pid, bid, mid):
        body = request.json()
        with self.state.lock:
            backup = self.state.backups.get(bid)
            if backup is None or bid in self.state.deleted_backups:
                raise cbr_error("6200")
            if backup["project_id"] == pid:
                raise cbr_error(self.reading("wrong_party_member_write"),
                                "Only the receiving project can accept or reject a share.")
            if mid != pid:
                raise cbr_error(self.reading("wrong_party_member_write"),
                                "A project can only update its own share membership.")
            record = self.state.members.get(bid, {}).get(mid)
            if record is None:
                raise cbr_error("6705")
            status = body.get("status") if isinstance(body, dict) else None
            if status not in ("accepted", "pending", "rejected"):
                raise cbr_error("6706", "status must be accepted, pending or rejected.")
            if record["status"] != "pending" and status != record["status"] \
                    and not self.reading("accepted_rejected_transitions"):
                raise cbr_error("6706", "A share that is %s cannot become %s." % (record["status"], status))
            vault_id = body.get("vault_id")
            if status == "accepted":
                self._check_accept_vault(pid, backup, vault_id, record)
            record["status"] = status
            record["vault_id"] = vault_id if status == "accepted" else None
            record["updated_at"] = api_timestamp(utcnow())
            return 200, {}, {"member": self._member_view(record)}

    def _check_accept_vault(self, pid, backup, vault_id, record):
        if not vault_id:
            raise cbr_error(self.reading("accept_without_vault"), "vault_id is required to accept a share.")
        vault = self.state.vaults.get(vault_id)
        if vault is None or vault["project_id"] != pid:
            raise cbr_error("6105")
        if vault.get("status", "available") != "available":
            raise cbr_error("6712")
        wanted_type = VAULT_TYPE_FOR_RESOURCE.get(backup.get("resource_type", "OS::Nova::Server"))
        if vault.get("object_type", "server") != wanted_type:
            raise cbr_error("6713")
        already_in_vault = record["status"] == "accepted" and record["vault_id"] == vault_id
        needed_mb = 0 if already_in_vault else self._share_size_gb(backup) * 1024
        if vault.get("size_gb", 100) * 1024 - self.state.vault_used_mb(vault, self._share_size_gb) < needed_mb:
            raise cbr_error(self.reading("vault_full_code"))

    def delete_member(self, request, pid, bid, mid):
        with self.state.lock:
            self._owned_backup(pid, bid)
            record = self.state.members.get(bid, {}).get(mid)
            if record is None:
                raise cbr_error("6705")
            if record.get("image_id"):
                raise cbr_error("6710")
            del self.state.members[bid][mid]
            return 204, {}, None

    # -- legacy VBS sharing (CONTRACT.md 4)

    def _share_view(self, share, with_backup):
        view = {k: share[k] for k in ("id", "backup_id", "to_project_id", "from_project_id",
                                      "created_at", "updated_at", "deleted", "deleted_at")}
        if self.reading("vbs_deleted_is_string"):
            view["deleted"] = "true" if share["deleted"] else "false"
        if with_backup:
            backup = self.state.backups[share["backup_id"]]
            view["backup"] = {
                "id": backup["id"], "name": backup.get("name"), "status": backup.get("status", "available"),
                "volume_id": backup.get("resource_id"), "size": backup.get("resource_size_gb", 0),
                "availability_zone": backup.get("availability_zone", self.state.region + "-01"),
            }
        return view

    def create_shares(self, request, pid):
        body = request.json()
        shared = body.get("shared") if isinstance(body, dict) else None
        if not isinstance(shared, dict) or not isinstance(shared.get("to_project_ids"), list) \
                or not shared.get("to_project_ids") or not isinstance(shared.get("backup_id"), str):
            raise vbs_error(400, "VolumeBackup.0002", "Invalid input: shared.backup_id and shared.to_project_ids "
                                                      "are required.")
        with self.state.lock:
            backup = self.state.backups.get(shared["backup_id"])
            if backup is None or backup["project_id"] != pid or backup["id"] in self.state.deleted_backups:
                raise vbs_error(404, "VolumeBackup.0004", "Backup %s could not be found." % shared["backup_id"])
            existing = {s["to_project_id"] for s in self.state.shares.values() if s["backup_id"] == backup["id"]}
            for dest in shared["to_project_ids"]:
                if dest == pid or dest not in self.state.projects:
                    raise vbs_error(400, "VolumeBackup.0047", "Invalid project ID for sharing: %s." % dest)
                if dest in existing:
                    raise vbs_error(400, "VolumeBackup.0048", "The backup has been shared to project %s." % dest)
            created = []
            now = api_timestamp(utcnow())
            for dest in shared["to_project_ids"]:
                share = {"id": str(uuid.uuid4()), "backup_id": backup["id"], "to_project_id": dest,
                         "from_project_id": pid, "created_at": now, "updated_at": None, "deleted": False,
                         "deleted_at": None, "_seq": self.state.next_sequence()}
                self.state.shares[share["id"]] = share
                # The create example answers with null timestamps and flags.
                created.append(dict(self._share_view(share, False), created_at=None, deleted=None))
            return 200, {}, {"shared": created}

    def _listed_shares(self):
        """Live shares, and cancelled ones where the profile keeps them (UNCONFIRMED["vbs_detail_lists_cancelled"])."""
        shares = list(self.state.shares.values())
        if self.reading("vbs_detail_lists_cancelled"):
            shares += list(self.state.cancelled_shares.values())
        return shares

    def _cancel_share(self, share):
        now = api_timestamp(utcnow())
        del self.state.shares[share["id"]]
        self.state.cancelled_shares[share["id"]] = dict(share, deleted=True, deleted_at=now, updated_at=now)

    def _filtered_shares(self, request, pid):
        if request.arg("share_to_me", "false").lower() == "true":
            shares = [s for s in self._listed_shares() if s["to_project_id"] == pid]
        else:
            shares = [s for s in self._listed_shares() if s["from_project_id"] == pid]
        for key in ("backup_id", "to_project_id", "from_project_id"):
            if request.arg(key):
                shares = [s for s in shares if s[key] == request.arg(key)]
        if request.arg("name"):
            shares = [s for s in shares if request.arg("name") in self.state.backups[s["backup_id"]].get("name", "")]
        return shares

    def list_shares(self, request, pid):
        limit = positive_int(request, "limit", 1000)
        offset = positive_int(request, "offset", 0)
        sort_key = request.arg("sort_key", "created_at")
        if sort_key not in ("created_at", "id", "backup_id", "to_project_id"):
            raise vbs_error(400, "VolumeBackup.0002", "Invalid sort_key: %s." % sort_key)
        descending = request.arg("sort_dir", "desc") == "desc"
        with self.state.lock:
            shares = self._filtered_shares(request, pid)
            shares.sort(key=lambda s: (s[sort_key] or "", s["_seq"]), reverse=descending)
            page = shares[offset:offset + limit]
            return 200, {}, {"shared": [self._share_view(s, True) for s in page]}

    def count_shares(self, request, pid):
        with self.state.lock:
            return 200, {}, {"count": len(self._filtered_shares(request, pid))}

    def show_share(self, request, pid, sid):
        with self.state.lock:
            share = {s["id"]: s for s in self._listed_shares()}.get(sid)
            if share is None or pid not in (share["from_project_id"], share["to_project_id"]):
                raise vbs_error(404, "VolumeBackup.0064", "Backup sharing %s could not be found." % sid)
            return 200, {}, {"shared": self._share_view(share, True)}

    def delete_share(self, request, pid, sid):
        with self.state.lock:
            if request.arg("is_backup_id", "false").lower() == "true":
                backup = self.state.backups.get(sid)
                if backup is None or backup["project_id"] != pid:
                    raise vbs_error(404, "VolumeBackup.0004", "Backup %s could not be found." % sid)
                for share in [s for s in self.state.shares.values() if s["backup_id"] == sid]:
                    self._cancel_share(share)
                return 200, {}, None
            share = self.state.shares.get(sid)
            if share is None or share["from_project_id"] != pid:
                raise vbs_error(404, "VolumeBackup.0064", "Backup sharing %s could not be found." % sid)
            self._cancel_share(share)
            return 200, {}, None

    # -- control endpoints

    def control(self, method, path, body):
        state = self.state
        if method == "GET" and path == "/requests":
            with state.lock:
                return 200, list(state.log)
        if method == "DELETE" and path == "/requests":
            with state.lock:
                state.log = []
            return 204, None
        if method == "POST" and path == "/reset":
            state.reset()
            self.limiter.clear()
            return 204, None
        if method == "GET" and path == "/profile":
            return 200, {"name": self.profile,
                         "rules": {name: rule.as_dict(self.profile) for name, rule in UNCONFIRMED.items()}}
        if method == "POST" and path == "/profile":
            name = (body or {}).get("name")
            if name not in PROFILES:
                return 400, {"error": "name must be one of %s" % ", ".join(PROFILES)}
            self.set_profile(name)
            return 204, None
        if method == "POST" and path == "/rate-limit":
            per_second = (body or {}).get("per_second")
            if not isinstance(per_second, (int, float)) or isinstance(per_second, bool) or per_second < 0:
                return 400, {"error": "per_second must be a number >= 0 (0 turns the limit off)"}
            self.limiter.configure(per_second)
            return 204, None
        if method == "POST" and path == "/members":
            return self._seed_member(body or {})
        if method == "POST" and path == "/faults":
            with state.lock:
                state.faults.append(FaultRule(body or {}))
            return 204, None
        if method == "POST" and path == "/latency":
            self.latency_ms = int((body or {}).get("ms", 0))
            return 204, None
        if method == "POST" and path == "/tokens/revoke":
            with state.lock:
                for issued in state.tokens.values():
                    issued["expires_at"] = utcnow()
            return 204, None
        if method == "POST" and path == "/shutdown" and self.server is not None:
            threading.Thread(target=self.server.shutdown, daemon=True).start()
            return 204, None
        match = re.match(r"^/backups/([^/]+)/delete$", path)
        if method == "POST" and match:
            with state.lock:
                if match.group(1) not in state.backups:
                    return 404, {"error": "no such backup"}
                state.deleted_backups.add(match.group(1))
            return 204, None
        return 404, {"error": "unknown control endpoint"}

    def _seed_member(self, body):
        """A member record as given, without the API's checks: for tests that start from a shared state."""
        with self.state.lock:
            if body.get("backup_id") not in self.state.backups:
                return 404, {"error": "no such backup: %s" % body.get("backup_id")}
            if body.get("dest_project_id") not in self.state.projects:
                return 404, {"error": "no such project: %s" % body.get("dest_project_id")}
            if body.get("status", "pending") not in ("pending", "accepted", "rejected"):
                return 400, {"error": "status must be pending, accepted or rejected"}
            record = self.state.seed_member(body["backup_id"], body["dest_project_id"], body)
            return 201, {"member": self._member_view(record)}

    def take_fault(self, method, path):
        with self.state.lock:
            for rule in self.state.faults:
                if rule.matches(method, path):
                    rule.count -= 1
                    return rule
        return None

    def record(self, request, status):
        with self.state.lock:
            # identity: the user name (password, token) or the access key id, never a secret;
            # scope_project (also project_id): the project the credential is scoped to.
            self.state.log.append({
                "method": request.method, "path": request.path,
                "query": {k: v if len(v) > 1 else v[0] for k, v in request.query.items()},
                "status": status, "project_id": request.project_id, "auth_type": request.auth_type,
                "identity": request.identity, "scope_project": request.project_id, "listener": request.listener,
            })


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "cbr-emulator/0.1"
    emulator = None  # set by make_server
    listener = MAIN  # or VBS

    def setup(self):
        super().setup()
        # Headers and body go out in two writes; without this, Nagle's algorithm and the client's
        # delayed ACK add about 40 ms to every answer on a kept-alive connection.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """Quiet: the request log is available at /__emulator__/requests."""

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status, headers, body):
        payload = b"" if body is None else json.dumps(body).encode("utf-8")
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if payload:
            self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _drop(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _handle(self):
        split = urlsplit(self.path)
        body = self._body()
        emulator = self.emulator
        if split.path.startswith(CONTROL_PREFIX):
            parsed = json.loads(body.decode("utf-8")) if body else None
            status, answer = emulator.control(self.command, split.path[len(CONTROL_PREFIX):], parsed)
            return self._send(status, {}, answer)
        headers = {k.lower(): v for k, v in self.headers.items()}
        request = Request(self.command, split.path, parse_qsl(split.query, keep_blank_values=True), headers, body)
        request.listener = self.listener
        if emulator.latency_ms:
            time.sleep(emulator.latency_ms / 1000.0)
        request_id = uuid.uuid4().hex
        fault = emulator.take_fault(request.method, request.path)
        if fault is not None and fault.expire_tokens:
            emulator.control("POST", "/tokens/revoke", None)
            fault = None
        if fault is not None and not fault.after_apply:
            emulator.record(request, "dropped" if fault.drop else fault.status)
            return self._fault(fault, request_id)
        try:
            status, extra_headers, answer = emulator.dispatch(request)
        except ApiError as error:
            status, extra_headers, answer = error.status, {}, error.body
        except Exception as error:  # pylint: disable=broad-except
            status, extra_headers, answer = 500, {}, {"error_code": "BackupService.9910",
                                                      "error_msg": "Unknown error: %s" % error}
        if fault is not None:
            emulator.record(request, "dropped" if fault.drop else fault.status)
            return self._fault(fault, request_id)
        emulator.record(request, status)
        extra_headers["X-Request-Id"] = request_id
        return self._send(status, extra_headers, answer)

    def _fault(self, fault, request_id):
        if fault.drop:
            return self._drop()
        headers = {"X-Request-Id": request_id}
        if fault.retry_after is not None:
            headers["Retry-After"] = str(fault.retry_after)
        return self._send(fault.status, headers, fault.body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle


def load_fixture(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


class EmulatorServer(ThreadingHTTPServer):
    """The main address; serving it also serves the VBS address (vbs_server) from a thread."""

    daemon_threads = True
    vbs_server = None
    vbs_thread = None

    def serve_forever(self, poll_interval=0.5):
        self.vbs_thread = threading.Thread(target=self.vbs_server.serve_forever, args=(poll_interval,), daemon=True)
        self.vbs_thread.start()
        super().serve_forever(poll_interval)

    def shutdown(self):
        if self.vbs_thread is not None:
            self.vbs_server.shutdown()
        super().shutdown()

    def server_close(self):
        self.vbs_server.server_close()
        super().server_close()


def _listen(server_class, emulator, listener, host, port, tls_context):
    handler = type("BoundHandler", (Handler,), {"emulator": emulator, "listener": listener})
    server = server_class((host, port), handler)
    server.daemon_threads = True
    if tls_context is not None:
        server.socket = tls_context.wrap_socket(server.socket, server_side=True)
    return server, "%s://%s:%d" % ("https" if tls_context else "http", host, server.server_address[1])


def make_server(fixture, host="127.0.0.1", port=0, latency_ms=0, tls_cert=None, tls_key=None, profile=STRICT,
                rate_limit=0, vbs_port=0):
    """A ready (not yet serving) server; its emulator is at server.emulator. HTTPS with tls_cert/tls_key.

    serve_forever / shutdown / server_close also run the VBS listener (server.vbs_server, emulator.vbs_url).
    """
    emulator = Emulator(fixture, latency_ms=latency_ms, profile=profile, rate_limit=rate_limit)
    context = None
    if tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tls_cert, tls_key)
    server, emulator.base_url = _listen(EmulatorServer, emulator, MAIN, host, port, context)
    server.vbs_server, emulator.vbs_url = _listen(ThreadingHTTPServer, emulator, VBS, host, vbs_port, context)
    server.emulator = emulator
    emulator.server = server
    return server


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--fixture", required=True, help="YAML fixture with projects, vaults and backups")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--latency-ms", type=int, default=0, help="delay added to every API request")
    parser.add_argument("--vbs-port", type=int, default=0, help="port of the VBS address; 0 picks a free port")
    parser.add_argument("--profile", choices=PROFILES, default=STRICT,
                        help="answers to what CONTRACT.md leaves UNCONFIRMED (see UNCONFIRMED)")
    parser.add_argument("--rate-limit", type=float, default=0,
                        help="requests per second per user or access key, beyond which 429 APIG.0308; 0 = off")
    parser.add_argument("--url-file", help="also write the base URL to this file, once serving")
    parser.add_argument("--vbs-url-file", help="also write the VBS URL to this file, once serving")
    parser.add_argument("--tls-cert", help="serve HTTPS with this PEM certificate (and --tls-key)")
    parser.add_argument("--tls-key", help="the PEM private key of --tls-cert")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND: serve only while it runs")
    args = parser.parse_args(argv)
    server = make_server(load_fixture(args.fixture), args.host, args.port, args.latency_ms, args.tls_cert,
                         args.tls_key, profile=args.profile, rate_limit=args.rate_limit, vbs_port=args.vbs_port)
    emulator = server.emulator
    print(emulator.base_url, flush=True)
    print(emulator.vbs_url, flush=True)
    # Two files, one URL each: readers take a url file whole (molecule's file lookup).
    for path, url in ((args.url_file, emulator.base_url), (args.vbs_url_file, emulator.vbs_url)):
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(url)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if command:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            env = dict(os.environ, CBR_EMULATOR_URL=emulator.base_url, CBR_EMULATOR_VBS_URL=emulator.vbs_url)
            return subprocess.call(command, env=env)
        finally:
            server.shutdown()
            server.server_close()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
