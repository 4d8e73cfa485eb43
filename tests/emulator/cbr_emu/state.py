# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the cloud remembers (State), injected faults (FaultRule) and the rate limit (RateLimiter)."""

import copy
import datetime
import re
import threading
import time
import uuid

from .wire import api_timestamp, parse_api_timestamp, throttled_body, utcnow

# What a fixture backup without created_at shows (the backup view's default).
DEFAULT_BACKUP_CREATED_AT = "2026-11-01T02:00:00.000+00:00"


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
            self.switches = {}

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

    def add_backup(self, fields):
        """A backup as a policy makes it (fixture fields), created now unless created_at is given."""
        with self.lock:
            backup = dict(fields)
            backup.setdefault("id", str(uuid.uuid4()))
            backup.setdefault("created_at", api_timestamp(utcnow()))
            self.backups[backup["id"]] = backup
            return backup

    def age(self, seconds):
        """Time passes: every backup and member record was made (and changed) `seconds` earlier."""
        delta = datetime.timedelta(seconds=seconds)
        with self.lock:
            records = list(self.backups.values()) + [m for ms in self.members.values() for m in ms.values()]
            for record in records:
                record.setdefault("created_at", DEFAULT_BACKUP_CREATED_AT)
                for field in ("created_at", "updated_at"):
                    if record.get(field):
                        record[field] = api_timestamp(parse_api_timestamp(record[field]) - delta)

    def read_backup(self, backup):
        """Count one read of the backup: one made with available_after_reads turns available after that many."""
        left = backup.get("available_after_reads")
        if left is not None:
            backup["available_after_reads"] = left - 1
            if left <= 1:
                backup["status"] = "available"
                del backup["available_after_reads"]

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
            return throttled_body(20)
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
