# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The receiving side of sharing, as pure decisions: what the caller's shares are, which to accept or reject, into
which vault, and what stops it. cbr_share_member (receiving side) decides here from what it read with the calls a
receiving project is documented to make: the lists of backups shared with it, one per member status
(GET /v3/{project}/backups?own_type=shared&member_status=...), its vaults, and the backup by id
(docs/api_notes.md §recipient.reads).

Private to this collection: the interface may change without notice.
"""

import collections
from typing import NamedTuple, Optional

from ansible_collections.cloudops.cbr.plugins.module_utils._api import MEMBER_STATUSES
from ansible_collections.cloudops.cbr.plugins.module_utils._plan import (
    assign_vaults,
    capacity_hint,
    status_needs_change,
)

BACKUP_INFO_FIELDS = ("id", "name", "project_id", "resource_type", "resource_size", "status")


class ReceiverRequest(NamedTuple):
    """What the receiving project asks: one answer (status, vault) for the backups named, or for every share still
    pending from the owner projects named."""

    project_id: str  # the caller's own project
    status: str  # accepted or rejected
    vault_id: Optional[str] = None
    capacity_check: str = "warn"
    backup_ids: tuple = ()
    owner_project_ids: Optional[tuple] = None


class ShareView(NamedTuple):
    """What the caller knows of one share from the shared lists: its status, the vault when the list names one of
    the caller's vaults (only once accepted, and only maybe), and the backup's own fields."""

    backup_id: str
    status: str
    vault_id: Optional[str]
    backup: dict


class Answer(NamedTuple):
    """One write: the accept/reject request for one backup."""

    backup_id: str
    status: str
    vault_id: Optional[str]


class ReceiverPlan(NamedTuple):
    results: list  # one per backup, in the module's `backups` shape
    answers: tuple  # the writes, Answer per backup, none when problems
    problems: tuple
    warnings: tuple


def share_views(request, lists):
    """({backup_id: ShareView} of the backups the request acts on, problems) from the shared lists by status.

    `lists` is {status: entries} as the member_status filter returned them. The filter is not trusted blindly
    (a loose filter would make a rejected share look pending): a backup listed under two statuses is a
    contradiction, and every such backup the request acts on is a problem, so that nothing is written.
    With owner_project_ids the request acts only on shares listed as pending, never on an accepted or
    rejected one.
    """
    statuses = collections.defaultdict(list)
    entries = {}
    for status in MEMBER_STATUSES:
        for entry in lists.get(status) or []:
            statuses[entry.get("id")].append(status)
            entries.setdefault((entry.get("id"), status), entry)
    if request.owner_project_ids is not None:
        owners = set(request.owner_project_ids)
        wanted = sorted(
            e.get("id") for e in lists.get("pending") or [] if e.get("project_id") in owners and e.get("id")
        )
    else:
        wanted = list(request.backup_ids)
    contradictions = [b for b in wanted if len(set(statuses[b])) > 1]
    problems = []
    if contradictions:
        problems.append(
            "the API's member_status filter contradicts itself, so no share was answered: %s (a share has one "
            "status; the lists by status must not overlap, docs/api_notes.md §backups.member_status). Rerun once no "
            "share changes while this task reads; if it persists, the cloud's member_status filter cannot be relied on."
            % "; ".join("backup %s is listed as %s" % (b, " and ".join(statuses[b])) for b in contradictions)
        )
        return {}, problems
    views = {}
    for backup_id in wanted:
        if statuses[backup_id]:
            status = statuses[backup_id][0]
            views[backup_id] = view_from_entry(entries[(backup_id, status)], status)
    return views, problems


def view_from_entry(entry, status):
    # The list entry's vault_id is the caller's own vault only once accepted, and only maybe
    # (docs/api_notes.md §recipient.vault_id): it counts when it names one of the caller's vaults (see share_result).
    return ShareView(
        entry.get("id"),
        status,
        entry.get("vault_id") if status == "accepted" else None,
        dict((k, entry.get(k)) for k in BACKUP_INFO_FIELDS),
    )


def unseen_backup_ids(request, views):
    """The backups asked for that the caller does not see as shared: the caller reads each by id, to tell its own
    backup (a mistake of credentials) from one not shared (yet)."""
    if request.owner_project_ids is not None:
        return []
    return [b for b in request.backup_ids if b not in views]


def share_result(request, view, own_vault_ids):
    """(result, warning or None) of one share the caller sees."""
    seen_vault = view.vault_id if view.vault_id in own_vault_ids else None
    current = dict(status=view.status, vault_id=seen_vault)
    warning = None
    if request.status == "accepted" and view.status == "accepted" and (request.vault_id is None or seen_vault is None):
        changed = False  # accepted already; with vault_id omitted any vault will do
        if request.vault_id is not None:
            warning = (
                "backup %s is accepted, but into which vault cannot be read with the calls a receiving project is "
                "documented to make (docs/api_notes.md §recipient.vault_id); it is left as it is" % view.backup_id
            )
    else:
        changed = status_needs_change(current, request.status, request.vault_id)
    member = dict(backup_id=view.backup_id, dest_project_id=request.project_id, status=view.status)
    if seen_vault:
        member["vault_id"] = seen_vault
    after = dict(current)
    if changed:
        after = dict(status=request.status, vault_id=request.vault_id if request.status == "accepted" else None)
    result = dict(backup_id=view.backup_id, changed=changed, member=member, diff=dict(before=current, after=after))
    return result, warning


def unseen_result(request, backup_id, owned, check_mode):
    """(result or None, problem or None, warning or None) of a backup asked for that is not shared with the caller."""
    if owned:
        problem = (
            "project %s owns backup %s: accepting or rejecting a share runs as the receiving project, with its own "
            "credentials" % (request.project_id, backup_id)
        )
        return None, problem, None
    if not check_mode:
        problem = "backup %s is not shared with project %s (never shared, or the owner removed the share)" % (
            backup_id,
            request.project_id,
        )
        return None, problem, None
    # In a check run an earlier task (the owner's share) reported but did not make the share.
    warning = "backup %s is not shared with project %s yet: would %s once shared" % (
        backup_id,
        request.project_id,
        "accept" if request.status == "accepted" else "reject",
    )
    result = dict(
        backup_id=backup_id,
        changed=True,
        member=None,
        diff=dict(
            before=dict(status=None, vault_id=None), after=dict(status=request.status, vault_id=request.vault_id)
        ),
    )
    return result, None, warning


def plan_receiver(request, views, vaults=(), owned_ids=(), check_mode=False):
    """The ReceiverPlan: a result per backup, the answers to send, and the problems that stop every write.

    views: share_views(); vaults: the caller's vaults (read when accepting); owned_ids: the unseen backups the caller
    turned out to own. The vault of every backup to accept is settled here, before any write (assign_vaults).
    """
    own_vault_ids = set(v.get("id") for v in vaults)
    wanted = sorted(views) if request.owner_project_ids is not None else list(request.backup_ids)
    results, problems, warnings, to_accept, shared = [], [], [], [], set()
    for backup_id in wanted:
        view = views.get(backup_id)
        if view is None:
            result, problem, warning = unseen_result(request, backup_id, backup_id in owned_ids, check_mode)
        else:
            (result, warning), problem = share_result(request, view, own_vault_ids), None
            shared.add(backup_id)
            if result["changed"] and request.status == "accepted":
                to_accept.append((result, view))
        problems += [problem] if problem else []
        warnings += [warning] if warning else []
        if result is not None:
            results.append(result)
    if request.status == "accepted" and request.vault_id and request.vault_id not in own_vault_ids:
        problems.append(
            "vault_id %s does not exist in project %s (BackupService.6105)" % (request.vault_id, request.project_id)
        )
    elif not problems:
        vault_problems, vault_warnings = choose_vaults(request, to_accept, vaults)
        problems += vault_problems
        warnings += vault_warnings
    if request.status == "accepted":
        for result in results:
            result["vault_id"] = result["diff"]["after"]["vault_id"]
    answers = ()
    if not problems:
        answers = tuple(
            Answer(r["backup_id"], request.status, r["diff"]["after"]["vault_id"])
            for r in results
            if r["changed"] and r["backup_id"] in shared
        )
    return ReceiverPlan(results, answers, tuple(problems), tuple(warnings))


def choose_vaults(request, to_accept, vaults):
    """(problems, warnings) of settling the vault of every share to accept; sets each result's vault."""
    if not to_accept:
        return [], []
    choices = assign_vaults(
        [view.backup for _result, view in to_accept],
        vaults,
        fixed_vault_id=request.vault_id,
        capacity_check=request.capacity_check,
    )
    problems, warnings = [], []
    for (result, _view), choice in zip(to_accept, choices):
        warnings += ["backup %s: %s" % (result["backup_id"], w) for w in choice.warnings]
        if choice.problems:
            problems.append(
                "vault_id %s cannot take backup %s: %s"
                % (request.vault_id, result["backup_id"], "; ".join(choice.problems))
                if request.vault_id
                else "backup %s: %s" % (result["backup_id"], "; ".join(choice.problems))
            )
        result["diff"]["after"]["vault_id"] = choice.vault_id
    if problems:
        problems[-1] += capacity_hint(choices)
    return problems, warnings


def answered_member(result, answer, member):
    """The caller's membership after its answer was written: the API's answer, else what was asked."""
    return member or dict(result["member"] or {}, status=answer.status, vault_id=answer.vault_id)
