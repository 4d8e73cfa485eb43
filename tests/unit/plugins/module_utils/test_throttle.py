# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The throttle on fake time, and ApiSession's use of it with fake answers (no network, no real sleep)."""

import json
import os
import threading

import pytest

from ansible_collections.cloudops.cbr.plugins.module_utils import _http, _throttle
from ansible_collections.cloudops.cbr.plugins.module_utils._errors import CbrApiError
from ansible_collections.cloudops.cbr.plugins.module_utils._http import ApiSession
from ansible_collections.cloudops.cbr.plugins.module_utils._lists import map_concurrently
from ansible_collections.cloudops.cbr.plugins.module_utils._throttle import SharedPace, Throttle, shared_pace


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def go(throttle, clock, now_please=False):
    """Take a turn as ApiSession.call does; return (the ticket, the seconds waited for it)."""
    started = clock.now
    ticket = throttle.reserve(now_please)
    while ticket.wait > 0:
        clock.sleep(ticket.wait)
        ticket = throttle.confirm(ticket)
    return ticket, clock.now - started


@pytest.fixture
def clock():
    return FakeClock()


def test_without_a_429_or_rate_limit_nothing_waits(clock):
    throttle = Throttle(clock=clock)
    for _round in range(100):
        ticket, waited = go(throttle, clock)
        throttle.answered(ticket)
    assert waited == 0 and throttle.rate is None


def test_rate_limit_paces_from_the_first_request(clock):
    throttle = Throttle(rate_limit=4.0, clock=clock)
    starts = []
    for _round in range(5):
        go(throttle, clock)
        starts.append(clock.now - 1000.0)
    assert starts == [0.0, 0.25, 0.5, 0.75, 1.0]


def test_a_429_sets_the_pace_below_what_got_through_in_the_last_second(clock):
    throttle = Throttle(clock=clock)
    for _round in range(20):
        clock.sleep(0.01)
        throttle.answered(throttle.reserve())
    throttle.refused(throttle.reserve())
    assert throttle.rate == pytest.approx(Throttle.BETA * 20)


def test_refusals_of_requests_sent_before_the_drop_do_not_drop_it_again(clock):
    throttle = Throttle(rate_limit=10.0, clock=clock)
    in_flight = [go(throttle, clock)[0] for _round in range(4)]
    for ticket in in_flight:
        throttle.refused(ticket)
    assert throttle.rate == pytest.approx(10.0 * Throttle.BETA)  # one drop
    ticket, _answer = go(throttle, clock)
    throttle.refused(ticket)  # given its turn after the drop: news
    assert throttle.decreases == 2


def test_the_pace_never_drops_below_the_minimum(clock):
    throttle = Throttle(rate_limit=2.0, clock=clock)
    for _round in range(10):
        throttle.refused(go(throttle, clock)[0])
    assert throttle.rate == Throttle.MIN_RATE


def test_answers_that_waited_raise_the_pace_by_alpha_per_second_up_to_rate_limit(clock):
    throttle = Throttle(rate_limit=12.0, clock=clock)
    throttle.rate = 8.0
    clock.sleep(1.0)
    started = clock.now
    while clock.now - started < 1.0:
        ticket, _answer = go(throttle, clock)
        throttle.answered(ticket)
    assert throttle.rate == pytest.approx(8.0 + Throttle.ALPHA, abs=0.3)
    for _round in range(200):
        ticket, _answer = go(throttle, clock)
        throttle.answered(ticket)
    assert throttle.rate == 12.0


def test_answers_that_did_not_wait_leave_the_pace_alone(clock):
    throttle = Throttle(rate_limit=10.0, clock=clock)
    throttle.rate = 5.0
    for _round in range(10):
        clock.sleep(1.0)  # slower than the pace: the workers, not the pace, are the limit
        ticket, waited = go(throttle, clock)
        throttle.answered(ticket)
        assert waited == 0
    assert throttle.rate == 5.0


def test_a_turn_given_before_a_drop_is_taken_again_at_the_new_pace(clock):
    throttle = Throttle(rate_limit=10.0, clock=clock)
    first = throttle.reserve()
    queued = throttle.reserve()
    assert queued.wait == pytest.approx(0.1)
    throttle.refused(first)  # drops to 7 per second: the next turn is 1/7 s from now
    clock.sleep(queued.wait)
    again = throttle.confirm(queued)
    assert again is not queued and again.wait == pytest.approx(1 / 7.0 - 0.1)


def test_a_turn_with_no_drop_in_between_is_kept(clock):
    throttle = Throttle(rate_limit=10.0, clock=clock)
    throttle.reserve()
    queued = throttle.reserve()
    clock.sleep(queued.wait)
    assert throttle.confirm(queued) is queued and queued.wait == 0


def test_each_429_drops_the_pace_to_beta_times_itself(clock):
    throttle = Throttle(rate_limit=20.0, clock=clock)
    for expected in (14.0, 9.8, 6.86):
        throttle.refused(go(throttle, clock)[0])
        assert throttle.rate == pytest.approx(expected)


def test_a_retry_at_the_servers_retry_after_goes_at_once_and_the_pace_counts_from_it(clock):
    throttle = Throttle(rate_limit=1.0, clock=clock)
    go(throttle, clock)
    clock.sleep(0.25)  # the Retry-After
    assert go(throttle, clock, now_please=True)[1] == 0
    assert go(throttle, clock)[1] == pytest.approx(1.0)


def test_a_refusal_says_whether_other_requests_were_answered_meanwhile(clock):
    throttle = Throttle(clock=clock)
    mine, other = throttle.reserve(), throttle.reserve()
    throttle.answered(other)
    assert throttle.refused(mine) is True
    assert throttle.refused(throttle.reserve()) is False


def test_threads_sharing_a_throttle_never_take_the_same_turn():
    clock = FakeClock()
    throttle = Throttle(rate_limit=50.0, clock=clock)
    slots, lock = [], threading.Lock()

    def take():
        for _round in range(100):
            ticket = throttle.reserve()
            with lock:
                slots.append(ticket.issued + ticket.wait)

    threads = [threading.Thread(target=take) for _round in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    slots.sort()
    assert len(slots) == 800
    assert min(b - a for a, b in zip(slots, slots[1:])) == pytest.approx(1 / 50.0)


# -- ApiSession with the throttle: answers from a script, sleeps on the fake clock


class FakeBody:
    """The streamed body of a FakeResponse, as ApiSession reads it (read1)."""

    def __init__(self, data):
        self.data = data

    def read1(self, size):
        chunk, self.data = self.data[:size], self.data[size:]
        return chunk


class FakeResponse:
    def __init__(self, status, headers=None):
        self.status_code = status
        self.headers = headers or {}
        self.text = '{"error_code": "APIG.0308", "error_msg": "throttled"}' if status == 429 else "{}"
        self.content = self.text.encode()
        self.raw = FakeBody(self.content)


class ScriptedHttp:
    """Answers requests from a list of statuses; each request is logged with the fake time it was sent."""

    def __init__(self, clock, statuses, meanwhile=None):
        self.clock = clock
        self.statuses = list(statuses)
        self.meanwhile = meanwhile
        self.sent = []
        self.headers = {}

    def request(self, method, url, **_):
        self.sent.append((method, self.clock.now))
        if self.meanwhile:
            self.meanwhile()
        return FakeResponse(self.statuses.pop(0))

    def mount(self, *_):
        pass


@pytest.fixture
def session(monkeypatch, clock):
    monkeypatch.setattr(_http, "sleep", clock.sleep)

    def make(statuses, rate_limit=None, meanwhile=None):
        api = ApiSession(rate_limit=rate_limit)
        api.throttle.clock = clock
        api.http = ScriptedHttp(clock, statuses, meanwhile)
        return api

    return make


def test_a_lone_request_refused_five_times_gives_up(session):
    api = session([429] * 5)
    with pytest.raises(CbrApiError) as failure:
        api.call("GET", "http://api/x", "Failed to read x")
    assert failure.value.error_code == "APIG.0308" and len(api.http.sent) == 5


def test_refusals_while_other_requests_are_answered_do_not_use_up_the_attempts(session):
    def another_worker_gets_an_answer():
        api.throttle.answered(api.throttle.reserve())

    api = session([429] * 12 + [200], meanwhile=another_worker_gets_an_answer)
    assert api.call("GET", "http://api/x", "Failed to read x").status_code == 200
    assert len(api.http.sent) == 13


def test_refusals_still_give_up_after_max_total_seconds_of_backoff(session):
    def another_worker_gets_an_answer():
        api.throttle.answered(api.throttle.reserve())

    api = session([429] * 1000, meanwhile=another_worker_gets_an_answer)
    api.retry.max_total = 10.0
    with pytest.raises(CbrApiError):
        api.call("GET", "http://api/x", "Failed to read x")
    assert 10 <= len(api.http.sent) <= 22  # backoffs of 0.5 to 1 s each, 10 s in all


def test_a_retry_backoff_does_not_hold_back_the_turns_of_other_requests(session, clock, monkeypatch):
    api = session([429, 200], rate_limit=10.0)
    others = []

    def backoff_while_another_worker_asks_for_its_turn(seconds):
        others.append(api.throttle.reserve().wait)
        clock.sleep(seconds)

    monkeypatch.setattr(_http, "sleep", backoff_while_another_worker_asks_for_its_turn)
    api.call("GET", "http://api/x", "Failed to read x")
    assert others[0] <= 1 / 7.0  # its turn at the new pace, not after this request's backoff of 0.5 s or more


def test_a_post_is_retried_on_429_at_the_new_pace_and_never_on_500(session, clock):
    api = session([429, 201], rate_limit=10.0)
    api.call("POST", "http://api/x", "Failed to add x", body={"a": 1})
    (_url1, first), (_url2, second) = api.http.sent
    assert 0.5 <= second - first <= 1.0  # the first backoff; the new pace (7/s) asks less
    api = session([500])
    with pytest.raises(CbrApiError):
        api.call("POST", "http://api/x", "Failed to add x", body={"a": 1})
    assert len(api.http.sent) == 1


def test_map_concurrently_drops_the_calls_not_started_after_a_failure():
    started = []

    def work(item):
        started.append(item)
        if item == 0:
            raise ValueError("first item fails")
        threading.Event().wait(0.05)
        return item

    with pytest.raises(ValueError):
        map_concurrently(work, list(range(100)), workers=4)
    assert len(started) < 100


# -- one pace for the processes of one identity (SharedPace): two throttles stand for two forks


def forks(clock, tmp_path, count=2, rate_limit=None, identity="AKSHARED"):
    return [
        Throttle(rate_limit=rate_limit, clock=clock, shared=SharedPace(identity, str(tmp_path))) for _n in range(count)
    ]


def test_forks_of_one_identity_take_turns_at_one_pace(clock, tmp_path):
    first, second = forks(clock, tmp_path, rate_limit=4.0)
    starts = []
    for _round in range(3):
        for throttle in (first, second):
            go(throttle, clock)
            starts.append(clock.now - 1000.0)
    assert starts == [0.0, 0.25, 0.5, 0.75, 1.0, 1.25]


def test_a_429_in_one_fork_slows_the_other(clock, tmp_path):
    first, second = forks(clock, tmp_path)
    for _round in range(10):
        clock.sleep(0.05)
        ticket, _waited = go(second, clock)
        second.answered(ticket)
    ticket, _waited = go(first, clock)
    first.refused(ticket)
    assert first.rate == pytest.approx(0.7 * 10)
    _ticket, waited = go(second, clock)
    assert second.rate == first.rate and waited == pytest.approx(1 / first.rate)


def test_another_identity_keeps_its_own_pace(clock, tmp_path):
    (limited,) = forks(clock, tmp_path, count=1, identity="AKONE")
    (other,) = forks(clock, tmp_path, count=1, identity="AKTWO")
    go(limited, clock)
    limited.refused(limited.reserve())
    assert limited.rate is not None and go(other, clock)[1] == 0 and other.rate is None


def test_the_shared_file_holds_numbers_only_under_a_hash_of_the_identity(clock, tmp_path):
    (throttle,) = forks(clock, tmp_path, count=1, rate_limit=5.0, identity="estate-ops@acme")
    ticket, _waited = go(throttle, clock)
    throttle.answered(ticket)
    (path,) = tmp_path.iterdir()
    text = path.read_text()
    assert "estate-ops" not in path.name and "estate-ops" not in text and "acme" not in text
    saved = json.loads(text)
    assert set(saved) == set(Throttle.SHARED_FIELDS) | {"updated"} and saved["rate"] == 5.0
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)


def test_a_pace_untouched_for_a_minute_is_forgotten(clock, tmp_path):
    first, second = forks(clock, tmp_path)
    for _round in range(10):
        clock.sleep(0.05)
        ticket, _waited = go(first, clock)
        first.answered(ticket)
    first.refused(first.reserve())
    clock.sleep(SharedPace.STALE_AFTER + 1)
    assert go(second, clock)[1] == 0 and second.rate is None


def test_no_shared_pace_in_a_directory_others_can_open(tmp_path, monkeypatch):
    monkeypatch.setattr(_throttle.tempfile, "gettempdir", lambda: str(tmp_path))
    assert shared_pace("AK") is not None
    os.chmod(str(tmp_path / ("cloudops.cbr-pace-%d" % os.getuid())), 0o777)
    assert shared_pace("AK") is None


def test_a_pace_written_a_moment_later_by_another_fork_still_counts(clock, tmp_path):
    """Two forks' clock readings interleave: one may read its clock before the other writes a later reading."""
    later = FakeClock()
    later.now = clock.now + 0.2
    (ahead,) = [Throttle(clock=later, shared=SharedPace("AK", str(tmp_path)))]
    (behind,) = [Throttle(clock=clock, shared=SharedPace("AK", str(tmp_path)))]
    for _round in range(10):
        later.sleep(0.05)
        ticket, _waited = go(ahead, later)
        ahead.answered(ticket)
    ahead.refused(ahead.reserve())
    go(behind, clock)
    assert behind.rate is not None
    assert behind.rate == ahead.rate


def test_the_shared_file_counts_answers_per_bucket_and_is_rewritten_in_place(clock, tmp_path):
    first, second = forks(clock, tmp_path)
    for _round in range(500):  # 500 answers in one second, from two forks
        clock.sleep(0.002)
        for throttle in (first, second):
            throttle.answered(go(throttle, clock)[0])
    (path,) = tmp_path.iterdir()
    saved = json.loads(path.read_text())
    assert len(saved["recent"]) <= 1 / Throttle.BUCKET + 1 and sum(n for _b, n in saved["recent"]) == 1000
    first.refused(first.reserve())
    assert first.rate == pytest.approx(0.7 * 1000, rel=0.06)  # the answers of the last second, both forks'
    clock.sleep(2)
    second.answered(go(second, clock)[0])  # the old buckets are forgotten: a shorter text, padded over the old one
    assert json.loads(path.read_text())["recent"] == [[int(clock.now // Throttle.BUCKET), 1]]


def test_a_pace_file_of_an_older_release_is_read_without_its_answer_times(clock, tmp_path):
    (throttle,) = forks(clock, tmp_path, count=1)
    throttle.answered(go(throttle, clock)[0])
    (path,) = tmp_path.iterdir()
    saved = json.loads(path.read_text())
    path.write_text(json.dumps(dict(saved, recent=[clock.now - 0.5, clock.now - 0.1])))
    throttle.answered(go(throttle, clock)[0])
    assert json.loads(path.read_text())["recent"] == [[int(clock.now // Throttle.BUCKET), 1]]
