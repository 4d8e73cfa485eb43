# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The API's lists read page by page, each item once, and many items worked through at once: no HTTP in here.

Private to this collection: the interface may change without notice.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.cloudops.cbr.plugins.module_utils._errors import CbrApiError

# Backups document 1000 as default and maximum page size; members document none (docs/api_notes.md §members.list).
PAGE_SIZE = 1000
# Bounds of one list against a broken or hostile API; no source gives any (docs/api_notes.md §paging).
MAX_PAGES = 1000
MAX_ITEMS = 100000


class _PageGuard:
    """Counts the pages and items of one list, drops items already listed, and stops a list that does not end."""

    def __init__(self, action, max_pages, max_items):
        self.action = action
        self.max_pages = max_pages
        self.max_items = max_items
        self.pages = 0
        self.seen = set()

    def fail(self, message):
        raise CbrApiError(self.action, message)

    def new_items(self, items, where):
        """The items of one page not listed before (each item reported once), after the bounds are checked."""
        self.pages += 1
        if self.pages > self.max_pages:
            self.fail(
                "the API is still answering pages after %d pages; stopped (at most %d pages)"
                % (self.max_pages, self.max_pages)
            )
        fresh = []
        for item in items:
            key = item.get("id") if isinstance(item, dict) else None
            if key is None or key not in self.seen:
                fresh.append(item)
                self.seen.add(key)
        if items and not fresh:
            self.fail("the page %s repeats only items already listed: the API does not page forward" % where)
        if len(self.seen) > self.max_items:
            self.fail("the list has more than %d items; stopped (narrow the selection)" % self.max_items)
        return fresh


def iter_marker_pages(fetch, key, page_size=PAGE_SIZE, limit=None, action="Failed to list", bounds=None):
    """Yield the items of every page, each once; fetch(marker, size) returns one page; the marker is the last id.

    A page shorter than asked for is the last one. With `limit`, stop after that many items. A marker the API
    sends back again, a page of items already listed and a list beyond `bounds` (pages, items; default
    MAX_PAGES, MAX_ITEMS) raise CbrApiError(action, ...) instead of looping.
    """
    guard = _PageGuard(action, *(bounds or (MAX_PAGES, MAX_ITEMS)))
    marker, markers, seen = None, set(), 0
    while True:
        size = page_size if limit is None else min(page_size, limit - seen)
        items = fetch(marker, size).get(key) or []
        fresh = guard.new_items(items, "after marker %s" % marker if marker else "first")
        yield from fresh
        seen += len(fresh)
        if len(items) < size or (limit is not None and seen >= limit) or items[-1].get("id") is None:
            return
        marker = items[-1]["id"]
        if marker in markers:
            guard.fail("the API led back to marker %s, which was already used: the pages go round in a circle" % marker)
        markers.add(marker)


def iter_offset_pages(fetch, key, page_size=PAGE_SIZE, limit=None, action="Failed to list", bounds=None):
    """Yield the items of every page, each once; fetch(offset, size) returns one page.

    A page shorter than asked for is the last one. With `limit`, stop after that many items. A full page of items
    already listed (an offset the API ignores) and a list beyond `bounds` (pages, items; default MAX_PAGES,
    MAX_ITEMS) raise CbrApiError(action, ...) instead of looping.
    """
    guard = _PageGuard(action, *(bounds or (MAX_PAGES, MAX_ITEMS)))
    offset, seen = 0, 0
    while True:
        size = page_size if limit is None else min(page_size, limit - seen)
        items = fetch(offset, size).get(key) or []
        fresh = guard.new_items(items, "at offset %d" % offset)
        yield from fresh
        seen += len(fresh)
        offset += len(items)
        if len(items) < size or (limit is not None and seen >= limit):
            return


def map_concurrently(function, items, workers):
    """[function(item) for item in items], computed by at most `workers` threads, in the items' order.

    The first exception raised by a call is raised here, after the calls already started finish; the calls
    not started yet are not made (a locked key or an expired token is not tried on every item left).
    The workers share the session's throttle through `function`.
    """
    if workers <= 1 or len(items) <= 1:
        return [function(item) for item in items]
    failed = threading.Event()

    def call_until_one_fails(item):
        if failed.is_set():
            return None  # never returned: an exception is raised for an item of this batch
        try:
            return function(item)
        except BaseException:
            failed.set()
            raise

    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        return list(pool.map(call_until_one_fails, items))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
