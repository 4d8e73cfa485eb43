# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One pace for all the requests of a session, learned from the API gateway's refusals.

The gateway limits each user to some requests per second and refuses the excess with 429 APIG.0308,
without saying when to come back (docs/api_notes.md §throttling). Every worker thread of a task shares one Throttle
(ApiSession owns it), so they slow down together instead of retrying together:

- No pace until the first 429, unless the user gave `rate_limit` (their quota): then that pace from the start.
- On a 429, the pace drops to BETA times itself (multiplicative decrease), once for all the requests that were
  already on their way when it dropped. The first pace is BETA times the answers of the last second.
- On each answer that had to wait for its turn, the pace grows by ALPHA / pace, that is by ALPHA requests
  per second every second (additive increase), never above `rate_limit`.

The throttle only decides; the caller sleeps, a retry's backoff first and then its turn, so that a backoff never
holds back the turns of other requests. `clock` is replaceable so that tests can run it on fake time.

Forks are separate processes, each with its own session: with a SharedPace, the throttles of every process on the
controller that act under one identity keep one pace, in a small file per identity (named by a hash of the identity,
holding numbers only) in a private directory, under a file lock. N forks then pace like one client with N times the
workers. The file is read and written around each decision; a pace untouched for STALE_AFTER seconds is forgotten.
The monotonic clock is system-wide (Linux, macOS), so its readings compare across processes.

Private to this collection: the interface may change without notice.
"""

import collections
import contextlib
import hashlib
import json
import os
import stat
import tempfile
import threading
import time

try:
    import fcntl
except ImportError:  # not on a POSIX controller: every process keeps its own pace
    fcntl = None


class Ticket:
    """One request's turn, given at `issued`: sleep `wait` seconds, then Throttle.confirm it.

    `paced`: it has to wait for its turn; `answers` and `decreases`: the throttle's counts when it was given.
    """

    def __init__(self, issued, wait, paced, answers, decreases):
        self.issued = issued
        self.wait = wait
        self.paced = paced
        self.answers = answers
        self.decreases = decreases


class Throttle:
    """Thread-safe pacing of one session's requests (see the module docstring)."""

    BETA = 0.7
    ALPHA = 2.0
    MIN_RATE = 1.0
    WINDOW = 1.0
    # Answers are counted per BUCKET seconds: a SharedPace file then holds some twenty counts, not a time per answer.
    BUCKET = 0.05

    # What a SharedPace keeps for all the processes of one identity.
    SHARED_FIELDS = ("rate", "next_slot", "decreased_at", "decreases", "answers", "recent")

    def __init__(self, rate_limit=None, clock=time.monotonic, shared=None):
        self.rate_limit = rate_limit
        self.rate = rate_limit
        self.clock = clock
        self.lock = threading.Lock()
        self.shared = shared
        self.next_slot = float("-inf")
        self.decreased_at = float("-inf")
        self.decreases = 0
        self.answers = 0
        self.recent = collections.deque()  # [bucket number, answers in it], oldest first

    @contextlib.contextmanager
    def _deciding(self):
        """Hold the thread lock and, with a SharedPace, the identity's file lock with its pace loaded."""
        with self.lock:
            if self.shared is None:
                yield
                return
            with self.shared.held(self.clock) as saved:
                if saved:
                    self._load(saved)
                yield
                saved.clear()
                saved.update((name, getattr(self, name)) for name in self.SHARED_FIELDS)
                saved["recent"] = list(self.recent)

    def _load(self, saved):
        for name in self.SHARED_FIELDS:
            setattr(self, name, saved[name])
        # Pairs only: a file written by an older release held one time per answer.
        self.recent = collections.deque(pair for pair in saved["recent"] if isinstance(pair, list) and len(pair) == 2)
        if self.rate_limit is not None:
            # The user's quota is this process's ceiling, whatever another process learned.
            self.rate = self.rate_limit if self.rate is None else min(self.rate, self.rate_limit)

    def reserve(self, now_please=False):
        """The Ticket of the next request: its turn at the pace, or right now with `now_please` (a retry at the
        server's Retry-After, which said when to come back); the turns after it keep the pace either way."""
        with self._deciding():
            now = slot = self.clock()
            if self.rate is not None:
                if not now_please:
                    slot = max(now, self.next_slot)
                self.next_slot = max(self.next_slot, slot + 1.0 / self.rate)
            return Ticket(now, slot - now, slot > now, self.answers, self.decreases)

    def confirm(self, ticket):
        """After sleeping ticket.wait: the same ticket, to send now, or a new one at the new pace if it dropped
        in the meantime (a turn given at the old pace would overrun the limit that was just found)."""
        with self._deciding():
            if ticket.decreases == self.decreases:
                ticket.wait = 0.0
                return ticket
        return self.reserve()

    def answered(self, ticket):
        """The request got through the gateway (any answer but 429)."""
        with self._deciding():
            self.answers += 1
            now = self.clock()
            bucket = int(now // self.BUCKET)
            if self.recent and self.recent[-1][0] == bucket:
                self.recent[-1][1] += 1
            else:
                self.recent.append([bucket, 1])
            self._forget_old_answers(now)
            if ticket.paced:
                # Only a request that waited for its turn shows that the pace, not the workers, was the limit.
                self.rate = min(self.rate + self.ALPHA / self.rate, self.rate_limit or float("inf"))

    def refused(self, ticket):
        """The gateway refused the request (429). Return whether other requests got answers since it was given:
        then the refusal is the shared limit's, and should not use up this request's retries."""
        with self._deciding():
            now = self.clock()
            # A request given its turn before the last decrease went at the old pace: its refusal is no news.
            if ticket.issued >= self.decreased_at:
                if self.rate is None:
                    # What got through in the last second is what the gateway allows us, at most.
                    self._forget_old_answers(now)
                    self.rate = sum(count for _bucket, count in self.recent) / self.WINDOW
                self.rate = max(self.MIN_RATE, self.BETA * self.rate)
                self.decreased_at = now
                self.decreases += 1
                self.next_slot = now + 1.0 / self.rate
            return self.answers > ticket.answers

    def _forget_old_answers(self, now):
        while self.recent and (self.recent[0][0] + 1) * self.BUCKET < now - self.WINDOW:
            self.recent.popleft()


class SharedPace:
    """The pace of one identity for every process of this user on the controller: one small JSON file, locked
    while a throttle decides. The file name is a hash of the identity; the file holds the pace's numbers only.

    `identity` is what the gateway counts a limit by (a user, an access key); never pass a secret as it is.
    """

    STALE_AFTER = 60.0

    def __init__(self, identity, directory=None):
        digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()
        self.path = os.path.join(directory or private_directory(), "pace-%s.json" % digest)

    @contextlib.contextmanager
    def held(self, clock):
        """The saved pace (a dict, empty when there is none or it is stale) under the file's lock; what the caller
        leaves in it is saved. The clock is read once the lock is held: a reading taken before could be older than
        the last writer's, and the pace would look stale."""
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(descriptor, "r+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                now = clock()
                text = handle.read()
                saved = self._parse(text, now)
                yield saved
                if saved:
                    # dumps, not dump: only a one-shot encoding takes json's C encoder (a tenth of the time). Padded
                    # with blanks over the old text rather than truncated: a truncate frees and allocates the file's
                    # block every time, milliseconds each on a busy disk.
                    handle.seek(0)
                    handle.write(json.dumps(dict(saved, updated=now)).ljust(len(text)))
                    handle.flush()
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _parse(self, text, now):
        try:
            saved = json.loads(text or "{}")
        except ValueError:
            return {}
        updated = saved.pop("updated", None)
        # Older than STALE_AFTER, or from before a reboot (the monotonic clock started again): forget it. A writer's
        # reading may be a little after this one's (another process read its clock later): that is no reboot.
        if not isinstance(updated, (int, float)) or not -1.0 <= now - updated <= self.STALE_AFTER:
            return {}
        return saved


def private_directory():
    """The directory of this user's shared paces (mode 0700), made on first use. Raises OSError when it is not
    a directory of this user's that only this user can open."""
    path = os.path.join(tempfile.gettempdir(), "cloudops.cbr-pace-%d" % os.getuid())
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    found = os.lstat(path)
    if not stat.S_ISDIR(found.st_mode) or found.st_uid != os.getuid() or found.st_mode & 0o077:
        raise OSError("%s is not a private directory of this user" % path)
    return path


def shared_pace(identity, directory=None):
    """A SharedPace for the identity, or None where processes cannot share one (no file locks, no private
    directory): then each process keeps its own pace, as before."""
    if fcntl is None:
        return None
    try:
        return SharedPace(identity, directory)
    except OSError:
        return None
