# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reads and writes of sharing around the pure planners (_owner_plan, _receiver_plan): read, plan, then write
only what the plan says, and report every write made, also when a later one fails.

Private to this collection: the interface may change without notice.
"""

import functools
import time

from ansible_collections.cloudops.cbr.plugins.module_utils import _http
from ansible_collections.cloudops.cbr.plugins.module_utils._api import MEMBER_STATUSES
from ansible_collections.cloudops.cbr.plugins.module_utils._errors import CbrApiError, CbrNotFound
from ansible_collections.cloudops.cbr.plugins.module_utils._lists import map_concurrently
from ansible_collections.cloudops.cbr.plugins.module_utils._owner_plan import (
    needs_backup,
    owner_result,
    pending_projects,
    plan_owner_backup,
    window_plan,
    write_order,
)
from ansible_collections.cloudops.cbr.plugins.module_utils._receiver_plan import (
    ReceiverPlan,
    answered_member,
    plan_receiver,
    share_views,
    unseen_backup_ids,
)
from ansible_collections.cloudops.cbr.plugins.module_utils._removals import still_being_made, window_scope
from ansible_collections.cloudops.cbr.plugins.module_utils._select import api_filters, select_backups

ADD_ATTEMPTS = 3
# A re-add answers one of these (docs/api_notes.md §members.duplicate): the POST was refused whole, nothing of it
# applied.
DUPLICATE_CODES = ("BackupService.6714", "BackupService.6703")


class SharingFailed(Exception):
    """A write failed: the message, the results true to what was written (every backup touched), and the API
    error behind it (its facts go to the task's result), if any."""

    def __init__(self, msg, results, error=None):
        super().__init__(msg)
        self.msg, self.results, self.error = msg, results, error

    def fail_kwargs(self):
        facts = self.error.fail_kwargs() if self.error is not None else {}
        return dict(facts, msg=self.msg)


# -- owner side


def read_owner_plans(client, request, backup_ids, workers, known=None):
    """The OwnerPlan of each backup (reads only: its members, and the backup itself when members are added,
    unless `known` {id: backup} already has it as read by this run)."""
    known = known or {}

    def read(backup_id):
        members = client.list_members(backup_id)
        backup = None
        if needs_backup(members, request):
            backup = known[backup_id] if backup_id in known else client.show_backup(backup_id)
        return plan_owner_backup(request, backup_id, members, backup, client.project_id)

    return map_concurrently(read, backup_ids, workers)


def read_window_plans(client, request, backup_ids, workers):
    """The plans of the rolling window's backups outside the selection: their members of the request's projects
    go (reads only)."""
    return map_concurrently(
        lambda backup_id: window_plan(request, backup_id, client.list_members(backup_id)), backup_ids, workers
    )


def read_selection(client, selection, window):
    """(selected, scope): the backups the selection options pick, and every backup of their scope (the same
    vault / servers, any age or status), from one read of the backup list."""
    scope_options = window_scope(selection)
    scope = select_backups(client.list_backups(api_filters(scope_options, (None, None))), scope_options, (None, None))
    return select_backups(scope, selection, window), scope


def poll_delays(timeout):
    """The waits between polls within `timeout` seconds: 1, 2, 4... up to 30 each (a fixed, finite schedule)."""
    delays, delay = [], 1.0
    while sum(delays) + delay <= timeout:
        delays.append(delay)
        delay = min(delay * 2, 30.0)
    return delays


def wait_until_made(client, backup_ids, known, timeout, workers):
    """{id: backup as last read} for backup_ids (read unless `known` {id: backup} has them): those a policy is
    still making (protecting, waiting_protect) are read again with backoff until none is, or `timeout` seconds
    passed. A backup that does not exist is None."""
    missing = [backup_id for backup_id in backup_ids if backup_id not in known]
    latest = dict((backup_id, known[backup_id]) for backup_id in backup_ids if backup_id in known)
    latest.update(zip(missing, map_concurrently(client.show_backup, missing, workers)))
    for delay in poll_delays(timeout):
        waiting = [backup["id"] for backup in still_being_made(latest.values())]
        if not waiting:
            break
        _http.sleep(delay)
        latest.update(zip(waiting, map_concurrently(client.show_backup, waiting, workers)))
    return latest


class _Written:
    """What one backup's writes did so far, kept when a later write fails."""

    def __init__(self):
        self.added, self.removed = [], []


def write_owner_plans(client, plans, workers):
    """Write every plan; the shares the API may refuse go first, and a refusal leaves the rest unwritten.

    Returns the results in the plans' order; on a failed write raises SharingFailed with every error and the
    results of every backup written, the failed ones with what was written before the failure.
    """
    results = []
    batches = write_order(plans)
    for number, batch in enumerate(batches):
        outcomes = map_concurrently(lambda plan: _write_owner_backup(client, plan), batch, workers)
        results += [result for result, _error in outcomes if result is not None]
        errors = [error for _result, error in outcomes if error is not None]
        if errors:
            unwritten = [p.backup_id for later in batches[number + 1 :] for p in later]
            msg = "; ".join(str(error) for error in errors)
            if unwritten:
                msg += ". Not written, to leave no half-done change: %s" % ", ".join(unwritten)
            raise SharingFailed(msg, _in_order(results, plans), errors[0])
    return _in_order(results, plans)


def _in_order(results, plans):
    order = dict((p.backup_id, index) for index, p in enumerate(plans))
    return sorted(results, key=lambda result: order[result["backup_id"]])


def _write_owner_backup(client, plan):
    """(result, None) when every write of the plan went through, else (result of what was written, error)."""
    written = _Written()
    try:
        for project_id in plan.change.to_remove:
            if _remove_member(client, plan.backup_id, project_id):
                written.removed.append(project_id)
        members = [m for m in plan.members if m["dest_project_id"] not in plan.change.to_remove]
        if plan.change.to_add:
            members = _add_members(client, plan.backup_id, plan.change.to_add, members, written)
    except CbrApiError as error:
        return owner_result(plan, written.added, written.removed), error
    return owner_result(plan, written.added, written.removed, members), None


def _add_members(client, backup_id, to_add, members, written):
    """POST the missing members; return the members after it, noting in `written` the projects this run added.

    A POST is never sent again blind: after an answer that may hide an applied write (5xx, no answer) or a
    duplicate (BackupService.6714 / 6703: another run added one of them first; the POST is then refused whole),
    the members are read again and only those still missing are sent.
    """
    missing = list(to_add)
    for attempt in range(1, ADD_ATTEMPTS + 1):
        try:
            answer = client.add_members(backup_id, missing)
            written.added += missing
            return members + answer
        except CbrApiError as error:
            maybe_applied = error.status_code is None or error.status_code >= 500
            if attempt == ADD_ATTEMPTS or not (maybe_applied or error.error_code in DUPLICATE_CODES):
                if error.error_code == "BackupService.6700":
                    error.error_msg = "%s (the cloud refuses to share this kind of backup)" % error.error_msg
                raise
        members = client.list_members(backup_id)
        present = set(m["dest_project_id"] for m in members)
        if maybe_applied:
            # The POST that got no clear answer was applied for those now present: this run added them.
            written.added += [project_id for project_id in missing if project_id in present]
        missing = [project_id for project_id in to_add if project_id not in present]
        if not missing:
            return members
    return members


def _remove_member(client, backup_id, project_id):
    """DELETE one member; True when this run removed it, False when it was already gone."""
    try:
        client.remove_member(backup_id, project_id)
    except CbrNotFound as error:
        if error.what != "member":
            raise
        # Already gone. After a try without a clear answer (a 5xx, no answer) it was that try: this run
        # removed it. At the first try another run did.
        return error.attempts > 1
    except CbrApiError as error:
        if error.error_code == "BackupService.6710":
            error.error_msg = (
                "%s Project %s registered an image from the shared backup: that image must be "
                "deleted before the member can be removed." % (error.error_msg, project_id)
            )
        raise
    return True


# -- receiving side


def _read_at_once(reads, workers):
    """[read() for read in reads], the reads sent at once (at most `workers` together)."""
    return map_concurrently(lambda read: read(), reads, min(workers, len(reads)))


def read_receiver_plan(client, request, workers, check_mode):
    """The ReceiverPlan from the documented reads of a receiving project (docs/api_notes.md §recipient.reads): the
    shared lists, the caller's vaults when accepting, and the backups asked for that it does not see as shared.

    The shared lists (one per member status, every page: all three, so that the planner can cross-check what the
    member_status filter returned) and the vaults are read at once: an answer run waits for one round trip, not two.
    """
    list_reads = [functools.partial(client.list_shared_backups, status) for status in MEMBER_STATUSES]
    reads = list_reads + ([client.list_vaults] if request.status == "accepted" else [])
    answers = _read_at_once(reads, workers)
    views, problems = share_views(request, dict(zip(MEMBER_STATUSES, answers)))
    if problems or unseen_backup_ids(request, views):
        # A share answered by another task while the lists were read shows under two statuses, or under none (one list
        # read before the answer, the other after it): read them once more, and only what is still so stops the task.
        again = _read_at_once(list_reads, workers)
        views, problems = share_views(request, dict(zip(MEMBER_STATUSES, again)))
    if problems:
        return ReceiverPlan([], (), tuple(problems), ())
    vaults = answers[len(MEMBER_STATUSES)] if request.status == "accepted" else []
    owned = []
    for backup_id in unseen_backup_ids(request, views):
        backup = client.show_backup(backup_id)
        if backup is not None and backup.get("project_id") == client.project_id:
            owned.append(backup_id)
    return plan_receiver(request, views, vaults, owned, check_mode)


def write_answers(client, plan, workers):
    """Send every answer of the plan; set each result's member to what the API answered.

    Every answer is tried; when one fails, SharingFailed carries the results with the answers that went through
    (the others as they were before) and the first error.
    """
    by_id = dict((r["backup_id"], r) for r in plan.results)

    def send(answer):
        try:
            return client.update_member_status(answer.backup_id, answer.status, answer.vault_id), None
        except CbrApiError as error:
            return None, error

    outcomes = map_concurrently(send, list(plan.answers), workers)
    errors = []
    for answer, (member, error) in zip(plan.answers, outcomes):
        result = by_id[answer.backup_id]
        if error is None:
            result["member"] = answered_member(result, answer, member)
            continue
        errors.append(error)
        result.update(changed=False, diff=dict(before=result["diff"]["before"], after=result["diff"]["before"]))
        if "vault_id" in result:
            result["vault_id"] = result["diff"]["before"]["vault_id"]
    if errors:
        raise SharingFailed("; ".join(str(error) for error in errors), plan.results, errors[0])
    return plan.results


def wait_for_answers(client, request, results, workers, timeout):
    """Poll the members of each backup (with backoff) until no listed project is pending or `timeout` seconds
    passed; sets each result's members and pending, and returns the results still pending (empty: all answered)."""
    deadline = time.time() + timeout
    delay = 2.0
    waiting = list(results)
    while True:
        members = map_concurrently(lambda r: client.list_members(r["backup_id"]), waiting, workers)
        for result, current in zip(waiting, members):
            result.update(members=current, pending=pending_projects(current, request))
        waiting = [r for r in waiting if r["pending"]]
        if not waiting or time.time() + delay > deadline:
            return waiting
        _http.sleep(delay)
        delay = min(delay * 2, 30.0)
