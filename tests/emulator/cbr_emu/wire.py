# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every handler shares: error answers, timestamps, the parsed request, paging arguments."""

import datetime
import json

CONTROL_PREFIX = "/__emulator__"
# The two addresses: IAM and CBR v3 on the main one, legacy VBS v2 on its own (docs/api_notes.md §endpoints).
MAIN, VBS = "main", "vbs"

# docs/api_notes.md §errors.codes; 6129 for a full vault is the contract's plausible candidate (UNCONFIRMED).
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


def auth_error(message, code="APIG.0301"):
    return ApiError(401, {"error_code": code, "error_msg": message})


def throttled_body(per_second):
    """The gateway's answer beyond a user's rate limit (docs/api_notes.md §throttling)."""
    return {
        "error_code": "APIG.0308",
        "error_msg": "The throttling threshold has been reached: policy user over ratelimit,"
        "limit:%g,time:1 second" % per_second,
    }


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def api_timestamp(moment):
    """The form every example response shows: 2020-02-05T10:38:34.210+00:00 (docs/api_notes.md §timestamps)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03d+00:00" % (moment.microsecond // 1000)


def parse_api_timestamp(text):
    """An aware datetime from a timestamp in the API's forms (with or without fraction and offset; none is UTC)."""
    moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


def without_nulls(record):
    """CBR leaves null fields out of its responses (docs/api_notes.md §timestamps)."""
    return {k: v for k, v in record.items() if v is not None}


def route(method, path, public=False):
    """Mark a method as the handler of `method path` (a regex; its named groups become keyword arguments).

    A public route runs as it is (only IAM's token request). Every other route first authenticates the
    caller, binds it to the path's project ({pid}) and counts it against the rate limit.
    """

    def mark(handler):
        handler.route = (method, path)
        handler.public = public
        return handler

    return mark


class Request:
    """What a handler needs from one HTTP request.

    Authentication fills in project_id (the project the credential is scoped to), identity (the user name
    or the access key id, never a secret) and auth_type (password, token or aksk).
    """

    def __init__(self, method, path, query_pairs, headers, body):
        self.method = method
        self.path = path
        self.query_pairs = query_pairs
        self.query = {}
        for key, value in query_pairs:
            self.query.setdefault(key, []).append(value)
        self.headers = headers
        self.raw_body = body
        self.raw_path = path  # as sent, with the region's prefix: what an AK/SK signature covers
        self.project_id = None
        self.auth_type = None
        self.identity = None
        self.user_key = None  # (domain name, user name) of a user's token or key; None for a project's own key
        self.listener = MAIN
        self.region = None  # the region whose address was called

    def arg(self, name, default=None):
        values = self.query.get(name)
        return values[0] if values else default

    def json(self):
        if not self.raw_body:
            raise cbr_error("9900", "The request body is empty.")
        try:
            return json.loads(self.raw_body.decode("utf-8"))
        except ValueError:
            raise cbr_error("9900", "The request body is not valid JSON.") from None


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
