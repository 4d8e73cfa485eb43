# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Control endpoints under /__emulator__: the table, and one small handler per row."""

import re
import threading

from .profiles import PROFILES, SWITCHES, UNCONFIRMED
from .state import FaultRule
from .wire import utcnow

# method, path (regex after /__emulator__), handler, what it does. The module docstring of cbr_emulator.py,
# `--help` and tests/emulator/README.md list this table.
CONTROL_ENDPOINTS = (
    ("GET", r"/requests", "read_log", "the request log, oldest first"),
    ("DELETE", r"/requests", "clear_log", "clear the log only"),
    ("POST", r"/reset", "reset", "state back to the fixture; log, fault rules and rate buckets cleared"),
    ("POST", r"/faults", "add_fault", "add a fault rule (see FaultRule)"),
    ("POST", r"/latency", "set_latency", '{"ms": N}: delay every API request'),
    ("GET", r"/profile", "describe_profile", "the profile's name and its answer to every UNCONFIRMED row"),
    ("POST", r"/profile", "choose_profile", '{"name": "strict"|"lenient"}'),
    (
        "POST",
        r"/switches",
        "set_switches",
        '{"name": true|false, ...}: turn field faults on (cbr_emu/profiles.py SWITCHES)',
    ),
    ("POST", r"/rate-limit", "set_rate_limit", '{"per_second": N}: a token bucket per user / access key; 0 = off'),
    (
        "POST",
        r"/members",
        "seed_member",
        'a share member as given, no API checks, no log entry: {"backup_id", "dest_project_id", "status", '
        '"vault_id", "image_id"}',
    ),
    ("POST", r"/tokens/revoke", "revoke_tokens", "every issued token becomes expired"),
    (
        "POST",
        r"/backups",
        "add_backup",
        'a backup as a policy makes it, no log entry: {"project_id", fixture fields; created_at defaults to now, '
        '"available_after_reads": N turns a protecting backup available after N reads of it}',
    ),
    (
        "POST",
        r"/age",
        "age",
        '{"seconds": N}: time passes - every backup and member is N seconds older (created_at, updated_at)',
    ),
    (
        "POST",
        r"/backups/(?P<backup_id>[^/]+)/delete",
        "delete_backup",
        "delete a backup (later member calls answer 401 Malformed request url)",
    ),
    ("POST", r"/shutdown", "shutdown", "stop serving (the process exits)"),
)


class ControlMixin:
    """What tests and demos use to set the emulator up and to look inside. A mixin of Emulator.

    Every handler takes the JSON body (a dict, possibly empty) and the path's named groups, and returns
    (status, answer).
    """

    control_routes = [(m, re.compile("^" + p + "$"), h) for m, p, h, _what in CONTROL_ENDPOINTS]

    def control(self, method, path, body):
        """Answer a control request: path is what follows /__emulator__."""
        for wanted, pattern, handler in self.control_routes:
            match = pattern.match(path)
            if match and wanted == method:
                return getattr(self, handler)(body or {}, **match.groupdict())
        return 404, {"error": "unknown control endpoint"}

    def read_log(self, body):
        with self.state.lock:
            return 200, list(self.state.log)

    def clear_log(self, body):
        with self.state.lock:
            self.state.log = []
        return 204, None

    def reset(self, body):
        self.state.reset()
        self.limiter.clear()
        return 204, None

    def add_fault(self, body):
        with self.state.lock:
            self.state.faults.append(FaultRule(body))
        return 204, None

    def set_latency(self, body):
        self.latency_ms = int(body.get("ms", 0))
        return 204, None

    def describe_profile(self, body):
        return 200, {
            "name": self.profile,
            "rules": {name: rule.as_dict(self.profile) for name, rule in UNCONFIRMED.items()},
        }

    def choose_profile(self, body):
        if body.get("name") not in PROFILES:
            return 400, {"error": "name must be one of %s" % ", ".join(PROFILES)}
        self.set_profile(body["name"])
        return 204, None

    def set_switches(self, body):
        unknown = sorted(set(body) - set(SWITCHES))
        if unknown:
            return 400, {"error": "unknown switch %s (one of %s)" % (", ".join(unknown), ", ".join(SWITCHES))}
        with self.state.lock:
            self.state.switches.update((name, bool(on)) for name, on in body.items())
        return 204, None

    def set_rate_limit(self, body):
        per_second = body.get("per_second")
        if not isinstance(per_second, (int, float)) or isinstance(per_second, bool) or per_second < 0:
            return 400, {"error": "per_second must be a number >= 0 (0 turns the limit off)"}
        self.limiter.configure(per_second)
        return 204, None

    def seed_member(self, body):
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

    def revoke_tokens(self, body):
        with self.state.lock:
            for issued in self.state.tokens.values():
                issued["expires_at"] = utcnow()
        return 204, None

    def add_backup(self, body):
        """A new backup of a project (the nightly policy ran), with fixture fields."""
        with self.state.lock:
            if body.get("project_id") not in self.state.projects:
                return 404, {"error": "no such project: %s" % body.get("project_id")}
            return 201, {"backup": dict(self.state.add_backup(body))}

    def age(self, body):
        seconds = body.get("seconds")
        if not isinstance(seconds, int) or isinstance(seconds, bool) or seconds < 0:
            return 400, {"error": "seconds must be a whole number >= 0"}
        self.state.age(seconds)
        return 204, None

    def delete_backup(self, body, backup_id):
        with self.state.lock:
            if backup_id not in self.state.backups:
                return 404, {"error": "no such backup"}
            self.state.deleted_backups.add(backup_id)
        return 204, None

    def shutdown(self, body):
        if self.server is None:
            return 404, {"error": "not serving"}
        threading.Thread(target=self.server.shutdown, daemon=True).start()
        return 204, None
