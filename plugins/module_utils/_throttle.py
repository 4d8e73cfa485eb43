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

Private to this collection: the interface may change without notice.
"""

import collections
import threading
import time


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

    def __init__(self, rate_limit=None, clock=time.monotonic):
        self.rate_limit = rate_limit
        self.rate = rate_limit
        self.clock = clock
        self.lock = threading.Lock()
        self.next_slot = float("-inf")
        self.decreased_at = float("-inf")
        self.decreases = 0
        self.answers = 0
        self.recent = collections.deque()

    def reserve(self, now_please=False):
        """The Ticket of the next request: its turn at the pace, or right now with `now_please` (a retry at the
        server's Retry-After, which said when to come back); the turns after it keep the pace either way."""
        with self.lock:
            now = slot = self.clock()
            if self.rate is not None:
                if not now_please:
                    slot = max(now, self.next_slot)
                self.next_slot = max(self.next_slot, slot + 1.0 / self.rate)
            return Ticket(now, slot - now, slot > now, self.answers, self.decreases)

    def confirm(self, ticket):
        """After sleeping ticket.wait: the same ticket, to send now, or a new one at the new pace if it dropped
        in the meantime (a turn given at the old pace would overrun the limit that was just found)."""
        with self.lock:
            if ticket.decreases == self.decreases:
                ticket.wait = 0.0
                return ticket
        return self.reserve()

    def answered(self, ticket):
        """The request got through the gateway (any answer but 429)."""
        with self.lock:
            self.answers += 1
            self.recent.append(self.clock())
            self._forget_old_answers(self.recent[-1])
            if ticket.paced:
                # Only a request that waited for its turn shows that the pace, not the workers, was the limit.
                self.rate = min(self.rate + self.ALPHA / self.rate, self.rate_limit or float("inf"))

    def refused(self, ticket):
        """The gateway refused the request (429). Return whether other requests got answers since it was given:
        then the refusal is the shared limit's, and should not use up this request's retries."""
        with self.lock:
            now = self.clock()
            # A request given its turn before the last decrease went at the old pace: its refusal is no news.
            if ticket.issued >= self.decreased_at:
                if self.rate is None:
                    # What got through in the last second is what the gateway allows us, at most.
                    self._forget_old_answers(now)
                    self.rate = len(self.recent) / self.WINDOW
                self.rate = max(self.MIN_RATE, self.BETA * self.rate)
                self.decreased_at = now
                self.decreases += 1
                self.next_slot = now + 1.0 / self.rate
            return self.answers > ticket.answers

    def _forget_old_answers(self, now):
        while self.recent and self.recent[0] < now - self.WINDOW:
            self.recent.popleft()
