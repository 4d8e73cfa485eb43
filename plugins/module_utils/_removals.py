# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sharing over time, as pure decisions: which share members are flagged, which must go and why, which stay.

Rolling window (shares of backups that fell out of a selection), expiry (members older than an age, pending
members older than an age) and the audit's flags (a project outside expected_projects). Ages take the syntax of
cbr_backup_info's created_after (module_utils/_select). Private to this collection.
"""

import collections
import datetime

from ansible_collections.cloudops.cbr.plugins.module_utils._select import parse_created_at, parse_time_option

# Each reason a member can be flagged or removed for, and how a report says it.
REASONS = collections.OrderedDict(
    [
        ("outside_window", "its backup is no longer among the selected backups of the same servers / vault"),
        ("expired", "shared longer than older_than"),
        ("pending_too_long", "still pending after pending_older_than"),
        ("unexpected_project", "the project is not in expected_projects"),
        ("age_unknown", "its created_at cannot be read, so its age is unknown"),
    ]
)
# What the audit flags and a cleanup may remove; age_unknown is flagged but never a reason to remove.
REMOVABLE_FLAGS = ("unexpected_project", "pending_too_long", "expired")
# A backup still being made (the SDK's BackupResp status enum has no "creating").
BEING_MADE = ("protecting", "waiting_protect")

MemberRemoval = collections.namedtuple("MemberRemoval", "backup_id project_id status created_at reasons")
Kept = collections.namedtuple("Kept", "backup_id project_id status flags why")


def age_cutoffs(older_than, pending_older_than, now):
    """(expired_cutoff, pending_cutoff): members created before them are too old; None where no age was given.

    Each value is an age such as 30d or 36h back from now, or a UTC time such as 2026-11-01T02:00:00Z, as
    cbr_backup_info's created_after (malformed values are refused by time_option_problem first).
    """
    return tuple(
        parse_time_option(value, now) if value is not None else None for value in (older_than, pending_older_than)
    )


def _naive_utc(moment):
    """Cutoffs compare with parse_created_at's naive UTC times; an aware cutoff is turned into one."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)


def time_flags(member, expired_cutoff, pending_cutoff):
    """The time flags of one member: expired, pending_too_long, or age_unknown when an age matters and its
    created_at cannot be read (never read as young: that would keep a share the user asked to end)."""
    expired_cutoff, pending_cutoff = _naive_utc(expired_cutoff), _naive_utc(pending_cutoff)
    pending_matters = pending_cutoff is not None and member.get("status") == "pending"
    if expired_cutoff is None and not pending_matters:
        return []
    created = parse_created_at(member.get("created_at"))
    if created is None:
        return ["age_unknown"]
    flags = []
    if expired_cutoff is not None and created < expired_cutoff:
        flags.append("expired")
    if pending_matters and created < pending_cutoff:
        flags.append("pending_too_long")
    return flags


def member_flags(member, expected_projects, pending_cutoff, expired_cutoff=None):
    """Every flag of one member as the audit shows it: unexpected_project first, then the time flags."""
    flags = []
    if expected_projects is not None and member["dest_project_id"] not in expected_projects:
        flags.append("unexpected_project")
    return flags + time_flags(member, expired_cutoff, pending_cutoff)


def describe(reasons):
    """The reasons as a report says them."""
    return "; ".join(REASONS[reason] for reason in reasons)


def _removal(backup_id, member, reasons):
    return MemberRemoval(backup_id, member["dest_project_id"], member.get("status"), member.get("created_at"), reasons)


def owner_removals(backup_id, members, project_ids, in_window, expired_cutoff=None, pending_cutoff=None):
    """(removals, problems) for the members of project_ids on one backup of the owner side.

    in_window: True when the task shares this backup with project_ids (state=present), False for a backup of
    the rolling window's scope outside the selection (each such member goes, reason outside_window, its time
    flags added), None with state=absent (only members with a time flag go when an age was given, all otherwise).
    A member the task shares that has a time flag is a problem, not a removal: sharing it again at the next run
    would undo the expiry. A member whose age is unknown is a problem wherever an age decides.
    """
    removals, problems = [], []
    aged = expired_cutoff is not None or pending_cutoff is not None
    for member in members:
        if member["dest_project_id"] not in project_ids:
            continue
        flags = time_flags(member, expired_cutoff, pending_cutoff)
        if "age_unknown" in flags and in_window is not False:
            problems.append(
                "backup %s: the share with %s has created_at %r, so its age is unknown; nothing is removed"
                % (backup_id, member["dest_project_id"], member.get("created_at"))
            )
        elif in_window is False:
            removals.append(_removal(backup_id, member, ["outside_window"] + [f for f in flags if f != "age_unknown"]))
        elif in_window and flags:
            problems.append(
                "backup %s is still selected to be shared with %s, but that share must end (%s): sharing it again "
                "at the next run would undo it - narrow the selection (for example created_after) or raise the age"
                % (backup_id, member["dest_project_id"], describe(flags))
            )
        elif in_window is None and (flags or not aged):
            removals.append(_removal(backup_id, member, flags))
    return removals, problems


def window_scope(selection):
    """The selection as the rolling window's scope (the same servers / vault): the options that only choose within
    it (age, newest_per_resource, status, name, limit) cleared."""
    narrowing = ("name", "status", "created_after", "created_before", "newest_per_resource", "limit")
    return dict(selection, **dict((name, None) for name in narrowing))


def window_scope_problem(selection, option="selection"):
    """Why the rolling window cannot run on this selection: no scope filter means every backup of the project."""
    if selection.get("vault_id") or selection.get("resource_ids") or selection.get("resource_name"):
        return None
    return (
        "rolling_window needs %s.vault_id, %s.resource_ids or %s.resource_name: they set the backups whose shares "
        "the window may remove (the same servers / vault), and without one that is every backup of the project"
        % (option, option, option)
    )


def empty_selection_problem(selected_ids, scope_members, project_ids, rolling_window, option="selection"):
    """A selection that matched nothing is refused: it is what a typo or a policy that did not run gives, and with
    the rolling window it would remove every share of the scope. scope_members: {backup_id: members}."""
    if selected_ids:
        return None
    if not rolling_window:
        return "%s matched no backup: nothing to share" % option
    shared = sum(1 for members in scope_members.values() if any(m["dest_project_id"] in project_ids for m in members))
    return (
        "%s matched no backup: with rolling_window that would remove every share of its scope (%d backups shared "
        "with these projects now); nothing is removed" % (option, shared)
    )


def cleanup_problems(remove, expected_projects, older_than, pending_older_than):
    """Why a cleanup cannot be planned as asked: each allowed flag needs the option that sets it."""
    problems = []
    if not remove:
        problems.append("remove must name at least one flag to act on: %s" % ", ".join(REMOVABLE_FLAGS))
    if "unexpected_project" in (remove or []) and not expected_projects:
        problems.append(
            "remove contains unexpected_project, but expected_projects is empty: every member would be "
            "unexpected. List the projects backups may be shared with"
        )
    if "expired" in (remove or []) and older_than is None:
        problems.append("remove contains expired, which needs older_than (for example 90d)")
    if "pending_too_long" in (remove or []) and pending_older_than is None:
        problems.append("remove contains pending_too_long, which needs pending_older_than (for example 7d)")
    return problems


def plan_cleanup(backups, remove, expected_projects, approved=None):
    """(removals, kept) from audited backups (each with members that carry flags), restricted to what is allowed.

    A member goes when it has a flag in `remove`, its project is not expected, and, when `approved` (a set of
    (backup_id, project_id)) is given, it was approved. Every other flagged member is kept, saying why.
    A member of an expected project is never removed.
    """
    expected = set(expected_projects or ())
    removals, kept = [], []
    for backup in backups:
        for member in backup.get("members") or []:
            flags = member.get("flags") or []
            if not flags:
                continue
            allowed = [flag for flag in flags if flag in remove and flag in REMOVABLE_FLAGS]
            pair = (backup["id"], member["dest_project_id"])
            if member["dest_project_id"] in expected:
                why = "expected project: never removed by a cleanup"
            elif not allowed:
                why = "no flag that remove allows"
            elif approved is not None and pair not in approved:
                why = "not in the approved plan"
            else:
                removals.append(_removal(backup["id"], member, allowed))
                continue
            kept.append(Kept(pair[0], pair[1], member.get("status"), flags, why))
    return removals, kept


def removal_report(removal):
    """One removal as a result shows it."""
    return dict(
        backup_id=removal.backup_id,
        dest_project_id=removal.project_id,
        status=removal.status,
        created_at=removal.created_at,
        reasons=list(removal.reasons),
        why=describe(removal.reasons),
    )


def still_being_made(backups):
    """The backups (API dicts) a policy is still making: worth waiting for before sharing."""
    return [backup for backup in backups if backup and backup.get("status") in BEING_MADE]
