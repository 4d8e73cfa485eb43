# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The sharing audit's options and reads: every backup of the project with its members, each member flagged.

Used by cbr_shared_backup_info (which reports) and cbr_share_cleanup (which removes what is flagged), so that the
same options flag the same members. Private to this collection: the interface may change without notice.
"""

import datetime

from ansible_collections.cloudops.cbr.plugins.module_utils._api import MEMBER_STATUSES
from ansible_collections.cloudops.cbr.plugins.module_utils._checks import (
    list_problems,
    project_id_problem,
    shown,
    uuid_problem,
    workers_problem,
)
from ansible_collections.cloudops.cbr.plugins.module_utils._errors import CbrApiError, CbrNotFound
from ansible_collections.cloudops.cbr.plugins.module_utils._lists import map_concurrently
from ansible_collections.cloudops.cbr.plugins.module_utils._removals import age_cutoffs, member_flags
from ansible_collections.cloudops.cbr.plugins.module_utils._select import (
    has_name,
    parse_age,
    time_option_problem,
    utc_now,
)

BACKUP_FIELDS = ("id", "name", "project_id", "vault_id", "resource_type", "status")
AUDIT_ARGUMENT_SPEC = dict(
    vault_id=dict(type="str"),
    name=dict(type="str"),
    expected_projects=dict(type="list", elements="str"),
    pending_older_than=dict(type="str"),
    older_than=dict(type="str"),
    workers=dict(type="int", default=8),
)


def audit_problems(params):
    """What is wrong with the audit options (AUDIT_ARGUMENT_SPEC), each message naming its option."""
    problems = [uuid_problem("vault_id", params["vault_id"]) if params["vault_id"] is not None else None]
    problems += list_problems("expected_projects", params["expected_projects"], project_id_problem, may_be_empty=True)
    if params["pending_older_than"] is not None and parse_age(params["pending_older_than"], loose=True) is None:
        problems.append(
            "pending_older_than must be a number of seconds or a number with s, m, h, d or w "
            "(for example 7d), got %s" % shown(params["pending_older_than"])
        )
    problems.append(time_option_problem("older_than", params["older_than"], utc_now()))
    problems.append(workers_problem(params["workers"]))
    return [p for p in problems if p]


def audit_own_backups(client, params, member_status=None, on_read_error="fail"):
    """(backups, vanished): every backup of the project (vault_id, name) with its members, each with `flags`.

    Members are read concurrently by params["workers"]. A backup deleted since the list was read is left out
    and counted in vanished; any other failed read raises, or with on_read_error="report" puts the error on the
    backup (`error`) with no members.
    """
    expected = set(params["expected_projects"]) if params["expected_projects"] is not None else None
    pending_cutoff = None
    if params["pending_older_than"] is not None:
        pending_cutoff = datetime.datetime.now(datetime.timezone.utc) - parse_age(
            params["pending_older_than"], loose=True
        )
    expired_cutoff = age_cutoffs(params["older_than"], None, utc_now())[0]
    backups = [
        dict((k, b.get(k)) for k in BACKUP_FIELDS)
        for b in client.list_backups({"vault_id": params["vault_id"], "name": params["name"]})
        if has_name(b, params["name"])
    ]

    def read_members(backup):
        try:
            return client.list_members(backup["id"], {"status": member_status}), None
        except CbrNotFound:
            return None, None  # deleted since the backup list was read: not there, so not audited
        except CbrApiError as error:
            if on_read_error == "fail":
                raise
            return [], str(error)

    audited, vanished = [], 0
    for backup, (members, error) in zip(backups, map_concurrently(read_members, backups, params["workers"])):
        if members is None:
            vanished += 1
            continue
        for member in members:
            member["flags"] = member_flags(member, expected, pending_cutoff, expired_cutoff)
        backup["members"] = sorted(members, key=lambda member: member["dest_project_id"])
        if error:
            backup["error"] = error
        audited.append(backup)
    return audited, vanished


def summarize(backups, owner_view, vanished=0):
    """Counts by status and the flagged entries, from the audited backups."""
    by_status = dict((status, 0) for status in MEMBER_STATUSES)
    flagged, members, shared = [], 0, 0
    for backup in backups:
        entries = (
            backup.get("members", [])
            if owner_view
            else [dict(dest_project_id=backup["project_id"], status=backup["member_status"], flags=backup["flags"])]
        )
        shared += bool(entries)
        for entry in entries:
            members += 1
            status = entry.get("status") if entry.get("status") in MEMBER_STATUSES else "unknown"
            by_status[status] = by_status.get(status, 0) + 1
            if entry["flags"]:
                flagged.append(
                    dict(
                        backup_id=backup["id"],
                        project_id=entry["dest_project_id"],
                        status=entry.get("status"),
                        flags=entry["flags"],
                    )
                )
    return dict(
        backups=len(backups),
        shared_backups=shared,
        members=members,
        by_status=by_status,
        flagged=flagged,
        errors=sum(1 for backup in backups if "error" in backup),
        vanished=vanished,
    )
