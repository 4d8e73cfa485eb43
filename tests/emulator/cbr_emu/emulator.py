# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Emulator: one state, the profile, the rate limit, and the routing of requests to handlers."""

import re

from .cbr import CbrMixin
from .control import ControlMixin
from .iam import IamMixin
from .profiles import PROFILES, STRICT, UNCONFIRMED
from .state import RateLimiter, State
from .vbs import VbsMixin
from .wire import MAIN, VBS, ApiError, throttled_body

SERVICES = (IamMixin, CbrMixin, VbsMixin)


class Emulator(IamMixin, CbrMixin, VbsMixin, ControlMixin):
    """One cloud: the state, the profile, the rate limit, and the routing of each address to its handlers.

    The handlers live in their service's mixin (iam.py, cbr.py, vbs.py, control.py) and say their
    method and path with @route; each service says its address (listener).
    """

    def __init__(self, fixture, latency_ms=0, profile=STRICT, rate_limit=0):
        self.state = State(fixture)
        self.latency_ms = latency_ms
        self.profile = None
        self.set_profile(profile)
        self.limiter = RateLimiter(rate_limit)
        self.base_url = None
        self.vbs_url = None
        self.server = None
        # (method, compiled path, bound handler) per address; tests may swap a handler in these lists.
        self.routes = self._routes_of(MAIN)
        self.vbs_routes = self._routes_of(VBS)

    def _routes_of(self, listener):
        routes = []
        for service in SERVICES:
            if service.listener != listener:
                continue
            for name, function in vars(service).items():
                if hasattr(function, "route"):
                    method, path = function.route
                    routes.append((method, re.compile("^" + path + "/?$"), getattr(self, name)))
        return routes

    # -- regions: each has its own address, the base URL with the region's name as a path prefix

    def url_of(self, region, listener):
        """The address of a region on a listener (MAIN or VBS): the home region (the fixture's `region`, the
        first) at the listener's base URL, every region also at base/<region>."""
        base = self.base_url if listener == MAIN else self.vbs_url
        return base if region == self.state.region else "%s/%s" % (base, region)

    def split_region(self, path):
        """(region, path without the region's prefix) of a requested path."""
        first, _slash, rest = path.lstrip("/").partition("/")
        if first in self.state.regions:
            return first, "/" + rest
        return self.state.region, path

    # -- profile (UNCONFIRMED)

    def set_profile(self, name):
        if name not in PROFILES:
            raise ValueError("unknown profile %r (one of %s)" % (name, ", ".join(PROFILES)))
        self.profile = name

    def reading(self, name):
        """This profile's answer to one UNCONFIRMED behaviour."""
        return UNCONFIRMED[name].values[self.profile]

    def switch(self, name):
        """Whether a field fault of SWITCHES (cbr_emu/profiles.py) is turned on."""
        return self.state.switches.get(name, False)

    # -- dispatch

    def dispatch(self, request):
        """Return (status, headers, body-dict-or-None) for an API request on its address."""
        known_path = False
        for method, pattern, handler in self.vbs_routes if request.listener == VBS else self.routes:
            match = pattern.match(request.path)
            if not match:
                continue
            known_path = True
            if method != request.method:
                continue
            params = match.groupdict()
            if not getattr(handler, "public", False):
                self.authenticate(request, params["pid"])
                self.throttle(request)
            return handler(request, **params)
        if known_path:
            raise ApiError(405, {"error_code": "APIG.0101", "error_msg": "Method not allowed."})
        raise ApiError(
            404,
            {
                "error_code": "APIG.0101",
                "error_msg": "The API does not exist or has not been published in the environment.",
            },
        )

    def throttle(self, request):
        """The gateway's per-user limit (docs/api_notes.md §throttling), counted per user name or access key."""
        if not self.limiter.allow(request.identity):
            raise ApiError(self.reading("throttle_status"), throttled_body(self.limiter.per_second))

    def take_fault(self, method, path):
        with self.state.lock:
            for rule in self.state.faults:
                if rule.matches(method, path):
                    rule.count -= 1
                    return rule
        return None

    def record(self, request, status):
        """Append to the request log. identity is the user name or access key id, never a secret;
        scope_project (also under project_id) is the project the credential acts in (None for a domain token);
        region is the region whose address was called."""
        with self.state.lock:
            self.state.log.append(
                {
                    "method": request.method,
                    "path": request.path,
                    "query": {k: v if len(v) > 1 else v[0] for k, v in request.query.items()},
                    "status": status,
                    "project_id": request.project_id,
                    "auth_type": request.auth_type,
                    "identity": request.identity,
                    "scope_project": request.project_id,
                    "listener": request.listener,
                    "region": request.region,
                }
            )
