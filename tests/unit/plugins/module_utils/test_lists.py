# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_lists: every page read once and bounded, and many items worked through at once in their order."""

import threading
import time

import pytest

from ansible_collections.cloudops.cbr.plugins.module_utils._errors import CbrApiError
from ansible_collections.cloudops.cbr.plugins.module_utils._lists import (
    iter_marker_pages,
    iter_offset_pages,
    map_concurrently,
)


def _pages(items, page_key="members"):
    calls = []

    def fetch_by_marker(marker, size):
        calls.append((marker, size))
        start = 0 if marker is None else [i["id"] for i in items].index(marker) + 1
        return {page_key: items[start : start + size]}

    def fetch_by_offset(offset, size):
        calls.append((offset, size))
        return {page_key: items[offset : offset + size]}

    return calls, fetch_by_marker, fetch_by_offset


ITEMS = [{"id": "id-%02d" % n} for n in range(7)]


def test_marker_paging_follows_pages_to_the_end():
    calls, by_marker = _pages(ITEMS)[:2]
    assert list(iter_marker_pages(by_marker, "members", page_size=3)) == ITEMS
    assert calls == [(None, 3), ("id-02", 3), ("id-05", 3)]


def test_marker_paging_asks_one_more_page_when_the_last_is_full():
    calls, by_marker = _pages(ITEMS[:6])[:2]
    assert list(iter_marker_pages(by_marker, "members", page_size=3)) == ITEMS[:6]
    assert calls == [(None, 3), ("id-02", 3), ("id-05", 3)]


def test_offset_paging_follows_pages_to_the_end():
    calls, by_offset = _pages(ITEMS)[::2]
    assert list(iter_offset_pages(by_offset, "members", page_size=3)) == ITEMS
    assert calls == [(0, 3), (3, 3), (6, 3)]


def test_paging_stops_at_the_limit():
    calls, by_marker, by_offset = _pages(ITEMS)
    assert list(iter_marker_pages(by_marker, "members", page_size=3, limit=4)) == ITEMS[:4]
    assert list(iter_offset_pages(by_offset, "members", page_size=3, limit=5)) == ITEMS[:5]
    assert calls == [(None, 3), ("id-02", 1), (0, 3), (3, 2)]


def test_an_item_on_two_pages_is_reported_once():
    pages = {0: ITEMS[0:3], 3: ITEMS[2:5], 6: ITEMS[5:7]}  # id-02 again: a backup created in front shifted the list
    assert list(iter_offset_pages(lambda offset, size: {"members": pages[offset]}, "members", page_size=3)) == ITEMS


def test_an_ignored_offset_is_an_error_not_a_loop():
    calls = []

    def same_page(offset, size):
        calls.append(offset)
        return {"backups": ITEMS[:3]}

    with pytest.raises(CbrApiError) as raised:
        list(iter_offset_pages(same_page, "backups", page_size=3, action="Failed to list backups"))
    assert calls == [0, 3]
    assert str(raised.value) == (
        "Failed to list backups: the page at offset 3 repeats only items already listed: the API does not page forward"
    )


def test_a_marker_that_comes_back_is_an_error_not_a_loop():
    cycle = {None: ITEMS[0:3], "id-02": ITEMS[3:6], "id-05": [ITEMS[6], ITEMS[0], ITEMS[2]]}
    with pytest.raises(CbrApiError) as raised:
        list(iter_marker_pages(lambda marker, size: {"members": cycle[marker]}, "members", page_size=3))
    assert "led back to marker id-02, which was already used" in str(raised.value)


def test_endless_pages_stop_at_the_page_and_item_bounds():
    def endless(offset, size):
        return {"backups": [{"id": "id-%d" % n} for n in range(offset, offset + size)]}

    with pytest.raises(CbrApiError) as pages:
        list(iter_offset_pages(endless, "backups", page_size=2, bounds=(5, 1000)))
    with pytest.raises(CbrApiError) as items:
        list(iter_offset_pages(endless, "backups", page_size=2, bounds=(1000, 7)))
    assert "still answering pages after 5 pages" in str(pages.value)
    assert "more than 7 items" in str(items.value)


def test_map_concurrently_starts_no_call_after_one_failed():
    started, lock = [], threading.Lock()

    def call(item):
        with lock:
            started.append(item)
        if item == 3:
            raise ValueError("locked key")
        time.sleep(0.01)
        return item

    with pytest.raises(ValueError):
        map_concurrently(call, list(range(200)), workers=4)
    # The calls already running finish; none starts after the failure was seen.
    assert len(started) <= 3 + 1 + 4 * 2


def test_map_concurrently_keeps_the_items_order():
    assert map_concurrently(lambda item: item * 2, list(range(50)), workers=8) == [item * 2 for item in range(50)]
