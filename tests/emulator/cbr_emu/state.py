# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the cloud remembers (State), injected faults (FaultRule) and the rate limit (RateLimiter)."""

import copy
import datetime
import hashlib
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
            self.region = fixture.get("region") or (fixture.get("regions") or ["eu-de"])[0]
            self.regions = list(dict.fromkeys([self.region] + list(fixture.get("regions") or [])))
            self.projects = {}
            self.backups = {}
            self.vaults = {}
            self.access_keys = {}
            self.domains = {}
            self.users = {}
            for account in fixture.get("accounts", []):
                self._add_domain(account["name"], account.get("id"))
            for project in fixture.get("projects", []):
                self.add_project(project)
            for account in fixture.get("accounts", []):
                for user in account.get("users", []):
                    self._add_account_user(account["name"], user)
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

    # -- IAM: domains (accounts), users with roles in projects, access keys of users or of one project

    def _add_domain(self, name, domain_id=None):
        """A domain by name; its id is the fixture's or one derived from the name (32 hex, like the real ones)."""
        if name not in self.domains:
            self.domains[name] = {"name": name, "id": domain_id or hashlib.md5(name.encode("utf-8")).hexdigest()}
        elif domain_id and self.domains[name]["id"] != domain_id:
            raise ValueError("fixture: domain %s has two ids" % name)
        return self.domains[name]

    def add_project(self, project):
        """A project as the fixture gives it (also for a test that adds one later). Its region is the part of its
        name before '_' unless it says its own (on Huawei Cloud and OTC a project is named after its region:
        eu-de, eu-de_dr)."""
        pid = project["id"]
        self.lock.acquire()  # reentrant: reset() holds it already
        try:
            self._add_project(pid, project)
        finally:
            self.lock.release()

    def _add_project(self, pid, project):
        domain = self._add_domain(project.get("domain", "default"), project.get("domain_id"))
        project["domain"], project["domain_id"] = domain["name"], domain["id"]
        project.setdefault("region", project["name"].split("_")[0])
        if project["region"] not in self.regions:
            raise ValueError(
                "fixture: project %s is in region %s, not one of %s" % (pid, project["region"], self.regions)
            )
        self.projects[pid] = project
        for vault in project.get("vaults", []):
            self.vaults[vault["id"]] = dict(vault, project_id=pid)
        for backup in project.get("backups", []):
            self.backups[backup["id"]] = dict(backup, project_id=pid)
        # A project's own users and keys (the first fixture format): a user of that name has a role in the
        # project; the key works for this project only.
        for user in project.get("users", []):
            self._user(domain["name"], user["name"], user.get("password"))["projects"].add(pid)
        for cred in project.get("credentials", []):
            self.access_keys[cred["access_key"]] = dict(cred, project_id=pid, user=None)

    def _user(self, domain_name, name, password=None):
        user = self.users.setdefault(
            (domain_name, name), {"name": name, "domain": domain_name, "passwords": set(), "projects": set()}
        )
        if password:
            user["passwords"].add(password)
        return user

    def _add_account_user(self, domain_name, spec):
        """A user of an account: a password and/or access keys, and a role in the projects it names (by id or
        name, `"*"` for every project of the account). Its keys reach every project it has a role in."""
        user = self._user(domain_name, spec["name"], spec.get("password"))
        wanted = spec.get("projects", [])
        for project in self.projects.values():
            if project["domain"] == domain_name and (
                wanted == "*" or project["id"] in wanted or project["name"] in wanted
            ):
                user["projects"].add(project["id"])
        for cred in spec.get("access_keys", []):
            self.access_keys[cred["access_key"]] = dict(cred, project_id=None, user=(domain_name, spec["name"]))

    def region_of(self, project_id):
        """The region of a project (the home region for a project a test put into `projects` by hand)."""
        return self.projects[project_id].get("region", self.region)

    def projects_of(self, user_key):
        """The projects the user (domain name, user name) has a role in, in fixture order."""
        user = self.users.get(user_key)
        return [p for p in self.projects.values() if user and p["id"] in user["projects"]]

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
    expire_tokens: every token issued so far expires just before this request is handled;
    redirect: answer a redirect (status default 307) whose Location is this URL.

    Faults of the answer (the request takes effect, its answer is mangled; logged as the fault's name):
    cut_body: the headers and half the body (chunked), then the connection closes ("cut");
    slow_body: seconds between two bytes of the body ("slow");
    huge_body_mb: a 200 with a JSON object of that many MiB instead of the answer, without Content-Length
    unless length_header ("huge").
    """

    def __init__(self, spec):
        self.method = spec.get("method", "*").upper()
        self.path = re.compile(spec.get("path", ".*"))
        self.count = int(spec.get("count", 1))
        self.redirect = spec.get("redirect")
        self.status = int(spec.get("status", 307 if self.redirect else 500))
        self.retry_after = spec.get("retry_after")
        self.drop = bool(spec.get("drop", False))
        self.after_apply = bool(spec.get("after_apply", False))
        self.expire_tokens = bool(spec.get("expire_tokens", False))
        self.body = spec.get("body") or (None if self.redirect else self._default_body())
        self.cut_body = bool(spec.get("cut_body", False))
        self.slow_body = float(spec.get("slow_body") or 0)
        self.huge_body_mb = int(spec.get("huge_body_mb") or 0)
        self.length_header = bool(spec.get("length_header", False))

    @property
    def answer_fault(self):
        """The log name of a fault of the answer, or None."""
        for name, on in (("cut", self.cut_body), ("slow", self.slow_body), ("huge", self.huge_body_mb)):
            if on:
                return name
        return None

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
