# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The owner side of sharing, as pure decisions: which members a backup gets and loses, and why the API would
refuse it. cbr_share_member (owner side) and the share_and_accept role's plan both decide here, so each rule
and its message exist once. No request is made here: the callers read, plan, then write.

Private to this collection: the interface may change without notice.
"""

from typing import NamedTuple

from ansible_collections.cloudops.cbr.plugins.module_utils._plan import (
    MAX_SHARE_PROJECTS,
    SetPlan,
    api_may_refuse_share,
    backup_share_problems,
    backup_share_warnings,
)
from ansible_collections.cloudops.cbr.plugins.module_utils._removals import describe, owner_removals


class OwnerRequest(NamedTuple):
    """What the owner asks for every backup: the members to have (or, with state=absent, not to have)."""

    dest_project_ids: tuple
    state: str = "present"
    purge: bool = False
    option: str = "dest_project_ids"  # how messages name the list of projects
    expired_cutoff: object = None  # members of dest_project_ids made before it must end (older_than)
    pending_cutoff: object = None  # pending members of dest_project_ids made before it must end (pending_older_than)

    @property
    def aged(self):
        return self.expired_cutoff is not None or self.pending_cutoff is not None


class Removal(NamedTuple):
    project_id: str
    reason: str


class OwnerPlan(NamedTuple):
    """One backup: its members as read, the change, the removals with their reasons, and what stops or warns."""

    backup_id: str
    members: list
    change: SetPlan
    removals: tuple
    problems: tuple
    warnings: tuple
    api_decides: bool  # the sources disagree whether the API takes this share: written before the others

    @property
    def changed(self):
        return bool(self.change.to_add or self.change.to_remove)


def own_project_problem(request, owner_project_id):
    """The request lists the owner's own project (BackupService.6704), else None."""
    if owner_project_id and owner_project_id in request.dest_project_ids:
        return (
            "%s must not contain the backup's own project (%s): it lists the owner project itself, and a backup "
            "is shared with other projects (BackupService.6704)" % (request.option, owner_project_id)
        )
    return None


def removals(member_ids, request):
    """The members to remove, each with why: listed with state=absent, or not listed with purge=true."""
    have, want = sorted(set(member_ids)), set(request.dest_project_ids)
    if request.state == "absent":
        return tuple(Removal(p, "listed in %s with state=absent" % request.option) for p in have if p in want)
    if request.purge:
        return tuple(Removal(p, "not in %s (purge)" % request.option) for p in have if p not in want)
    return ()


def expiry(backup_id, members, request):
    """(removals, problems) of the ages (older_than, pending_older_than) for one backup's members.

    With state=absent only the members of dest_project_ids past an age go; with state=present a member the request
    keeps that is past an age is a problem (sharing it again would undo the expiry), see _removals.owner_removals.
    """
    if not request.aged:
        return (), ()
    in_window = None if request.state == "absent" else True
    found, problems = owner_removals(
        backup_id, members, request.dest_project_ids, in_window, request.expired_cutoff, request.pending_cutoff
    )
    return tuple(Removal(r.project_id, describe(r.reasons)) for r in found), tuple(problems)


def members_change(members, request, backup_id=""):
    """The SetPlan (to_add, to_remove, before, after; sorted) and the removals of one backup's members."""
    have = set(m["dest_project_id"] for m in members)
    removing = removals(have, request)
    if request.state == "absent" and request.aged:
        removing = expiry(backup_id, members, request)[0]
    to_add = set() if request.state == "absent" else set(request.dest_project_ids) - have
    to_remove = set(r.project_id for r in removing)
    after = (have | to_add) - to_remove
    return SetPlan(sorted(to_add), sorted(to_remove), sorted(have), sorted(after)), removing


def cap_problem(backup_id, change, option="dest_project_ids"):
    """More than MAX_SHARE_PROJECTS members after the change (BackupService.6701), else None.

    Counted before adding: 10 projects in total per backup (docs/api_notes.md §members.add)."""
    if len(change.after) <= MAX_SHARE_PROJECTS:
        return None
    room = max(MAX_SHARE_PROJECTS - len(change.before) + len(change.to_remove), 0)
    return (
        "%s: backup %s would be shared with %d projects; CBR allows %d (a backup can be shared with at most %d "
        "projects, BackupService.6701). It is shared with %d now, so %d more can be added."
        % (option, backup_id, len(change.after), MAX_SHARE_PROJECTS, MAX_SHARE_PROJECTS, len(change.before), room)
    )


def needs_backup(members, request):
    """Whether the plan needs the backup itself (its status and kind): only when members are added within the cap."""
    change, _removing = members_change(members, request)
    return bool(change.to_add) and cap_problem("", change) is None


def plan_owner_backup(request, backup_id, members, backup=None, owner_project_id=None):
    """The OwnerPlan of one backup from its members and, when needs_backup(), the backup as read (None: not found).

    Refused before any write: the cap of 10 projects (6701), a backup that does not exist (6200) or is not
    available (6702). The kind of backup (6700) and encryption (6709) are left to the API
    (docs/api_notes.md §members.shareable).
    """
    change, removing = members_change(members, request, backup_id)
    problems, warnings, api_decides = list(expiry(backup_id, members, request)[1]), [], False
    cap = cap_problem(backup_id, change, request.option)
    if cap:
        problems.append(cap)
    elif change.to_add:
        if backup is None:
            problems.append(
                "backup %s does not exist in project %s (BackupService.6200)" % (backup_id, owner_project_id)
            )
        else:
            refusals = backup_share_problems(backup)
            if refusals:
                problems.append("backup %s cannot be shared: %s" % (backup_id, "; ".join(refusals)))
            warnings += backup_share_warnings(backup)
            api_decides = api_may_refuse_share(backup)
    return OwnerPlan(backup_id, list(members), change, removing, tuple(problems), tuple(warnings), api_decides)


def window_plan(request, backup_id, members):
    """The OwnerPlan of a backup of the rolling window's scope that the selection left out: its members of
    dest_project_ids go (outside_window, with their time flags as further reasons)."""
    found, _problems = owner_removals(
        backup_id, members, request.dest_project_ids, False, request.expired_cutoff, request.pending_cutoff
    )
    return removal_plan(backup_id, members, [(r.project_id, describe(r.reasons)) for r in found])


def removal_plan(backup_id, members, removing):
    """The OwnerPlan that only removes members: removing is [(project_id, reason)] among the backup's members."""
    have = sorted(m["dest_project_id"] for m in members)
    to_remove = sorted(set(project_id for project_id, _reason in removing) & set(have))
    change = SetPlan([], to_remove, have, [p for p in have if p not in to_remove])
    removals = tuple(Removal(project_id, reason) for project_id, reason in removing if project_id in to_remove)
    return OwnerPlan(backup_id, list(members), change, removals, (), (), False)


def owner_result(plan, added, removed, members=None, check_mode=False):
    """What a run did to one backup (in check mode, would do), in the shape of the module's `backups` entries.

    members: as read after the writes; None when they were not read again (a failure): then the members as read
    before, without those removed and with those added (as pending), so that the result says every write made.
    """
    if check_mode:
        members, after = plan.members, plan.change.after
    else:
        if members is None:
            members = [m for m in plan.members if m["dest_project_id"] not in removed] + [
                dict(backup_id=plan.backup_id, dest_project_id=p, status="pending") for p in added
            ]
        after = sorted(m["dest_project_id"] for m in members)
    return dict(
        backup_id=plan.backup_id,
        changed=bool(added or removed),
        added=sorted(added),
        removed=sorted(removed),
        removals=[
            dict(dest_project_id=r.project_id, reason=r.reason) for r in plan.removals if r.project_id in removed
        ],
        members=members,
        diff=dict(before=dict(dest_project_ids=plan.change.before), after=dict(dest_project_ids=after)),
    )


def planned_result(plan):
    """The check-mode result of one backup: what would be added and removed."""
    return owner_result(plan, plan.change.to_add, plan.change.to_remove, check_mode=True)


def pending_projects(members, request):
    """The listed projects still pending among a backup's members (what wait=true waits for)."""
    return sorted(
        m["dest_project_id"]
        for m in members
        if m["dest_project_id"] in request.dest_project_ids and m.get("status") == "pending"
    )


def write_order(plans):
    """The plans in two batches: those the API may refuse first, then the rest (written only if the first pass)."""
    return [p for p in plans if p.api_decides], [p for p in plans if not p.api_decides]
