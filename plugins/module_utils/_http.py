# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP for every service: the session, retries, answers read whole and the API's errors read.

The errors it raises are in _errors, paging and concurrency in _lists: the controller's filters import those
without importing an HTTP library.

Private to this collection: the interface may change without notice.
"""

import json
import random
import threading
import time
import traceback
from urllib.parse import quote, urlencode

from ansible_collections.cloudops.cbr.plugins.module_utils._errors import NOT_FOUND_CODES, CbrApiError, CbrNotFound
from ansible_collections.cloudops.cbr.plugins.module_utils._throttle import Throttle, shared_pace

REQUESTS_IMPORT_ERROR = None
try:
    import requests
except ImportError:
    requests = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

HAS_REQUESTS = requests is not None
USER_AGENT = "cloudops.cbr/1.0.0"
# No answer of these APIs comes near this (a page of 1000 backups is a few MB): a larger body is not read.
MAX_BODY_BYTES = 32 * 1024 * 1024
READ_SIZE = 65536

# Every wait goes through this name, so that tests can make it instant.
sleep = time.sleep


def is_malformed_url(message):
    """The 401 CBR answers for a deleted backup, which is no credential problem (docs/api_notes.md
    §errors.deleted-backup)."""
    return "malformed request url" in (message or "").lower()


class BrokenAnswer(Exception):
    """The answer's body did not arrive whole: cut off, or not complete by the deadline."""


class AnswerTooLarge(Exception):
    """The answer's body is larger than MAX_BODY_BYTES."""


def read_body(response, deadline, limit=MAX_BODY_BYTES):
    """The whole body of a streamed response, read by `deadline` (time.monotonic) and at most `limit` bytes.

    Each read returns what one receive brought (urllib3 2's read1; older urllib3 reads READ_SIZE at a time), so
    that an answer trickling in byte by byte is stopped at the deadline; the size counts decoded bytes, so that a
    small compressed body cannot expand into a huge one. The connection is closed when the body is not read whole.
    """
    declared = response.headers.get("Content-Length", "")
    read = getattr(response.raw, "read1", None) or response.raw.read
    chunks, size = [], 0
    try:
        if declared.isdigit() and int(declared) > limit:
            raise AnswerTooLarge("it announces %s bytes" % declared)
        while True:
            if time.monotonic() > deadline:
                raise BrokenAnswer("it was not complete within the timeout")
            chunk = read(READ_SIZE)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > limit:
                raise AnswerTooLarge("more than %d bytes arrived" % limit)
            chunks.append(chunk)
    except (AnswerTooLarge, BrokenAnswer):
        response.close()
        raise
    except (requests.packages.urllib3.exceptions.HTTPError, OSError, ValueError) as error:
        response.close()
        raise BrokenAnswer("the connection broke while it was read (%s)" % error) from error


def redirect_error(action, url, response):
    """The error for a 3xx answer, naming where it pointed; the request is not sent there."""
    return CbrApiError(
        action,
        "%s answered HTTP %d, a redirect to %s. Redirects are not followed, so that no credential goes to another "
        "address: set auth_url or endpoint to the address that answers itself"
        % (url.split("?", 1)[0], response.status_code, response.headers.get("Location") or "(no Location header)"),
        status_code=response.status_code,
        request_id=response.headers.get("X-Request-Id"),
    )


def parse_error_body(text):
    """Return (error_code, message) from any error body form the API uses (docs/api_notes.md §errors.body).

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
        # huaweicloudsdkcore also reads the camel-case pair (docs/api_notes.md §errors.body).
        code = _first_of(candidate, ("error_code", "errorCode", "code"))
        message = _first_of(candidate, ("error_msg", "errorMsg", "message"))
        if code is not None or message is not None:
            return (None if code is None else str(code)), message
    return None, None


def _first_of(mapping, keys):
    return next((mapping[key] for key in keys if mapping.get(key) is not None), None)


def _sdk_quote(text, safe="", encoding=None, errors=None):
    """Percent-encode as the signer's canonical query does: a space is %20, never + (docs/api_notes.md §aksk.query)."""
    return quote(text, safe="~", encoding=encoding, errors=errors)


def query_string(params):
    """The query string exactly as AK/SK signing canonicalises it: pairs sorted, %20 for a space, lists repeated."""
    pairs = []
    for key, value in params.items():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            pairs.append((str(key), str(item)))
    return urlencode(sorted(pairs), quote_via=_sdk_quote)


class RetryPolicy:
    """Which failures are retried, and how long to wait.

    GET, PUT and DELETE are retried on 429, 500, 502, 503, 504 and dropped connections. A POST
    is retried only on 429: after a 5xx or a dropped connection it may have been applied, so
    the caller re-reads instead. Waits grow exponentially with jitter, or follow Retry-After;
    at most `attempts` tries and `max_total` seconds of waiting in all. A 429 while other requests
    of the session get answers is the shared rate limit's doing, not this request's: it does not
    use up an attempt (its wait still counts).
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

    def __init__(
        self, auth=None, validate_certs=True, ca_cert=None, timeout=30, retry=None, pool_size=10, rate_limit=None
    ):
        self.auth = auth
        # For credentials that can log in again (a password): called when a token is refused; it sets auth.
        # One re-login serves every worker: relogins counts them, and a request refused with the token of an
        # earlier count is sent again with the new token instead of logging in once more.
        self.relogin = None
        self.relogins = 0
        self.relogin_lock = threading.Lock()
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        # One pace for every thread that uses this session (map_concurrently's workers).
        self.throttle = Throttle(rate_limit)
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

    def share_pace(self, identity):
        """Keep one pace with the other processes of this controller that act as `identity` (forks; see
        _throttle.SharedPace). Where processes cannot share one, this session keeps its own."""
        self.throttle.shared = shared_pace(identity)

    def renew_token(self, refused_with):
        """After a 401 to a request sent with the token of re-login count `refused_with`: True when it may be sent
        again, with a newer token (another worker got it meanwhile, or this call logs in again, once a session)."""
        with self.relogin_lock:
            if self.relogins != refused_with:
                return True
            if self.relogin is None or self.relogins >= 1:
                return False
            self.relogin()
            self.relogins += 1
            return True

    def call(self, method, url, action, params=None, body=None, authenticated=True):
        """Send one request (retrying as the policy allows); return the response or raise CbrApiError.

        authenticated=False sends it without the session's credentials (the login itself).
        """
        if params:
            url = "%s?%s" % (url, query_string(params))
        data = json.dumps(body).encode("utf-8") if body is not None else b""
        attempt, waited, retry_after, renewed = 0, 0.0, None, False
        while True:
            attempt += 1
            # A retry has slept its backoff; now it waits for its turn, unless the server said when to come back.
            ticket = self.throttle.reserve(now_please=retry_after is not None)
            while ticket.wait > 0:
                sleep(ticket.wait)
                ticket = self.throttle.confirm(ticket)
            headers = {"Accept": "application/json"}
            if data:
                headers["Content-Type"] = "application/json;charset=UTF-8"
            sent_with = self.relogins
            if self.auth is not None and authenticated:
                headers.update(self.auth.headers(method, url, data))
            status, retry_after, response, failure, shared_limit = None, None, None, None, False
            deadline = time.monotonic() + self.timeout
            try:
                # verify is passed on each request: requests lets REQUESTS_CA_BUNDLE override Session.verify.
                # No redirect is followed: requests would resend X-Auth-Token, X-Security-Token and a login's
                # password body to wherever the answer points.
                response = self.http.request(
                    method,
                    url,
                    data=data or None,
                    headers=headers,
                    timeout=self.timeout,
                    verify=self.verify,
                    allow_redirects=False,
                    stream=True,
                )
                if 300 <= response.status_code < 400:
                    response.close()
                    raise redirect_error(action, url, response)
                response._content = read_body(response, deadline)
                status = response.status_code
                retry_after = response.headers.get("Retry-After")
                if status == 429:
                    shared_limit = self.throttle.refused(ticket)
                else:
                    self.throttle.answered(ticket)
                if status < 400:
                    return response
                if (
                    status == 401
                    and authenticated
                    and not renewed
                    and not is_malformed_url(response.text)
                    and self.renew_token(sent_with)
                ):
                    # A refused request was not processed, so sending it again is safe, even a POST.
                    renewed = True
                    attempt -= 1
                    continue
            except requests.exceptions.SSLError as error:
                raise CbrApiError(
                    action,
                    "TLS certificate verification failed for %s (%s). Set ca_cert to the "
                    "CA bundle that signed the endpoint's certificate." % (url, error),
                ) from error
            except AnswerTooLarge as error:
                raise CbrApiError(
                    action,
                    "the answer of %s is too large to be an answer of this API (%s); it was not read"
                    % (url.split("?", 1)[0], error),
                    status_code=response.status_code,
                    request_id=response.headers.get("X-Request-Id"),
                ) from None
            except BrokenAnswer as error:
                # Like no answer at all: a GET, PUT or DELETE is sent again; a POST may have been applied.
                failure, response, status = "HTTP %d, but %s" % (response.status_code, error), None, None
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as error:
                failure = error
            wait = self.retry.delay(attempt, retry_after)
            if shared_limit:
                attempt -= 1  # Other requests get answers: the limit is shared, this request is not at fault.
            if (
                attempt >= self.retry.attempts
                or waited + wait > self.retry.max_total
                or not self.retry.should_retry(method, status)
            ):
                error = (
                    CbrApiError(action, "no complete answer from %s: %s" % (url, failure))
                    if response is None
                    else self._api_error(action, response, authenticated)
                )
                error.attempts = attempt  # > 1: an earlier try may have been applied (a 5xx or no answer)
                raise error
            sleep(wait)
            waited += wait

    def call_json(self, method, url, action, params=None, body=None):
        """The answer of call() as a JSON object (a dict); anything else is a CbrApiError."""
        response = self.call(method, url, action, params=params, body=body)
        if not response.content:
            return {}
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise CbrApiError(
                action,
                "the answer is not a JSON object: %s" % response.text[:200],
                status_code=response.status_code,
                request_id=response.headers.get("X-Request-Id"),
            )
        return answer

    def _api_error(self, action, response, authenticated=True):
        code, message = parse_error_body(response.text)
        facts = dict(status_code=response.status_code, error_code=code, request_id=response.headers.get("X-Request-Id"))
        if code in NOT_FOUND_CODES:
            return CbrNotFound(NOT_FOUND_CODES[code], action, message, **facts)
        if response.status_code == 401 and is_malformed_url(message):
            # docs/api_notes.md §errors.deleted-backup: a deleted backup, not an auth failure (so no re-login); say what
            # it means.
            return CbrNotFound(
                "backup",
                action,
                "the backup does not exist or was deleted (the API answered 401 'Malformed request url')",
                **facts,
            )
        if response.status_code == 401 and self.auth is not None:
            hint = self.auth.refused_hint if authenticated else self.auth.login_refused_hint
            message = "%s. %s" % ((message or "HTTP 401").rstrip("."), hint)
        return CbrApiError(action, message, **facts)
