# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Backup selection as cbr_backup_info offers it: the options, their checks, the API query, the local filters.

Used by cbr_backup_info and by the share_and_accept role's controller-side read. Private to this collection.
"""

import datetime
import itertools
import re

from ansible_collections.cloudops.cbr.plugins.module_utils._api import MEMBER_STATUSES
from ansible_collections.cloudops.cbr.plugins.module_utils._checks import (
    list_problems,
    resource_id_problem,
    shown,
    uuid_problem,
)

BACKUP_STATUSES = [
    "available",
    "protecting",
    "deleting",
    "restoring",
    "error",
    "waiting_protect",
    "waiting_delete",
    "waiting_restore",
]
SELECTION_ARGUMENT_SPEC = dict(
    own_type=dict(type="str", default="private", choices=["private", "shared", "all_granted"]),
    member_status=dict(type="str", choices=list(MEMBER_STATUSES)),
    vault_id=dict(type="str"),
    resource_ids=dict(type="list", elements="str", aliases=["resource_id"]),
    resource_name=dict(type="str"),
    name=dict(type="str"),
    status=dict(type="list", elements="str", choices=BACKUP_STATUSES),
    resource_type=dict(type="str", choices=["OS::Nova::Server", "OS::Cinder::Volume", "OS::Sfs::Turbo"]),
    created_after=dict(type="str"),
    created_before=dict(type="str"),
    image_types=dict(type="list", elements="str", choices=["backup", "replication"], default=["backup"]),
    newest_per_resource=dict(type="int"),
    limit=dict(type="int"),
)

API_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"  # start_time / end_time (docs/api_notes.md §backups)
AGE_UNITS = {"": "seconds", "s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
AGE_RE = re.compile(r"^(\d+)([smhdw])\Z")
# The audit's pending_older_than has always also taken a bare number of seconds and spaces (" 3 s ", "90").
LOOSE_AGE_RE = re.compile(r"^\s*(\d+)\s*([smhdw]?)\s*\Z")
# created_at comes as 2020-02-05T10:38:34.210+00:00 in the examples and 2020-02-05T10:38:34.209782 in the
# field description (docs/api_notes.md §timestamps); no zone means UTC.
CREATED_AT_RE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:?\d\d)?$")


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0, tzinfo=None)


def parse_age(text, loose=False):
    """The timedelta of an age such as 30s, 90m, 36h, 7d or 2w (with loose, also a bare number of seconds and
    spaces), or None when text is not one."""
    age = (LOOSE_AGE_RE if loose else AGE_RE).match(text or "")
    return datetime.timedelta(**{AGE_UNITS[age.group(2)]: int(age.group(1))}) if age else None


def parse_time_option(value, now):
    """The UTC datetime a created_after / created_before value means, or None when it is malformed."""
    age = parse_age(value.strip())
    if age is not None:
        return now - age
    try:
        return datetime.datetime.strptime(value.strip(), API_TIME_FORMAT)
    except ValueError:
        return None


def time_option_problem(name, value, now):
    """A message naming the option when value is given and is neither a UTC time nor an age, else None."""
    if value is not None and parse_time_option(value, now) is None:
        return "%s must be a UTC time such as 2026-11-01T02:00:00Z or an age such as 36h or 7d, got %s" % (
            name,
            shown(value),
        )
    return None


def parse_created_at(value):
    """created_at as a naive UTC datetime, or None when the API sent something else."""
    match = CREATED_AT_RE.match(value or "")
    if not match:
        return None
    moment = datetime.datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S")
    zone = (match.group(2) or "Z").replace(":", "")
    if zone != "Z":
        offset = datetime.timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
        moment = moment - offset if zone[0] == "+" else moment + offset
    return moment


def selection_problems(params, now):
    """(problems, window): what is wrong with the selection options, and the (after, before) datetimes.

    Also sets status to [available] when newest_per_resource is given without a status.
    """
    problems = [uuid_problem("vault_id", params["vault_id"]) if params["vault_id"] is not None else None]
    problems += list_problems("resource_ids", params["resource_ids"], resource_id_problem)
    problems += list_problems("status", params["status"])
    for name in ("limit", "newest_per_resource"):
        if params[name] is not None and params[name] < 1:
            problems.append("%s must be 1 or more, got %d" % (name, params[name]))
    if not params["image_types"]:
        problems.append("image_types must name backup, replication or both; it is empty")
    if params["member_status"] and params["own_type"] == "private":
        problems.append(
            "member_status needs own_type shared or all_granted: a project's own backups have "
            "no share status towards it"
        )
    window = []
    for name in ("created_after", "created_before"):
        problems.append(time_option_problem(name, params[name], now))
        window.append(parse_time_option(params[name], now) if params[name] is not None else None)
    if all(window) and window[0] > window[1]:
        problems.append(
            "created_after (%s) is later than created_before (%s): nothing can match"
            % (params["created_after"], params["created_before"])
        )
    if params["newest_per_resource"] and not params["status"]:
        params["status"] = ["available"]
    return [p for p in problems if p], tuple(window)


def api_filters(params, window):
    """The query the backup list API documents (docs/api_notes.md §backups) for these options."""
    start, end = window
    resource_ids = params["resource_ids"] or []
    image_types = params["image_types"] or []
    return {
        "image_type": image_types[0] if len(image_types) == 1 else None,
        "own_type": params["own_type"],
        "member_status": params["member_status"],
        "vault_id": params["vault_id"],
        "name": params["name"],
        "status": params["status"],
        "resource_type": params["resource_type"],
        "resource_name": params["resource_name"],
        "resource_id": resource_ids[0] if len(resource_ids) == 1 else None,
        "start_time": start.strftime(API_TIME_FORMAT) if start else None,
        "end_time": end.strftime(API_TIME_FORMAT) if end else None,
    }


def has_name(backup, name):
    """Whether the backup has exactly this name (None: any name). The API's name filter may match loosely
    (docs/api_notes.md §backups), so every list that sends it checks it again here."""
    return name is None or backup.get("name") == name


def created_in_window(backup, window):
    """Whether created_at lies in the (after, before) window, both bounds included, to the second (None: open)."""
    start, end = window
    if not (start or end):
        return True
    created = parse_created_at(backup.get("created_at"))
    return created is not None and not ((start and created < start) or (end and created > end))


def _matches(backup, params, window):
    exact = (
        ("vault_id", "vault_id"),
        ("resource_type", "resource_type"),
        ("resource_name", "resource_name"),
    )
    if any(params[option] is not None and backup.get(field) != params[option] for option, field in exact):
        return False
    if not has_name(backup, params["name"]):
        return False
    if params["status"] and backup.get("status") not in params["status"]:
        return False
    if params["resource_ids"] and backup.get("resource_id") not in params["resource_ids"]:
        return False
    # A replication copy (image_type replication) is no backup of this project's resources (docs/api_notes.md
    # §backups); an entry without image_type is a backup.
    if backup.get("image_type", "backup") not in params["image_types"]:
        return False
    return created_in_window(backup, window)


def newest_per_resource(backups, count):
    """The newest `count` backups of each resource (by created_at), newest first, resources in first-seen order."""
    by_resource = {}
    for backup in backups:
        # A backup whose resource is not named is a group of its own, never lumped with the other unnamed ones.
        by_resource.setdefault(backup.get("resource_id") or ("backup", backup.get("id")), []).append(backup)
    kept = []
    for group in by_resource.values():
        group.sort(
            key=lambda b: (parse_created_at(b.get("created_at")) or datetime.datetime.min, b.get("id")), reverse=True
        )
        kept.extend(group[:count])
    return kept


def select_backups(backups, params, window):
    """What the options select among the backups the API returned."""
    selected = [backup for backup in backups if _matches(backup, params, window)]
    if params["newest_per_resource"]:
        selected = newest_per_resource(selected, params["newest_per_resource"])
    return selected[: params["limit"]] if params["limit"] else selected


def selects_from_own_backups(params):
    """True when the selection can be made here from the project's own backup list (nothing only the API filters)."""
    return params["own_type"] == "private" and params["member_status"] is None


def list_selected(client, params, window):
    """The backups the selection options pick, read through client.iter_backups.

    Every filter is checked again here, so no `limit` goes to the API (a name it matches loosely would leave fewer
    than asked, docs/api_notes.md §backups): pages are read until `limit` backups match, or to the end.
    """
    backups = client.iter_backups(api_filters(params, window))
    if params["newest_per_resource"]:
        return select_backups(list(backups), params, window)
    matching = (backup for backup in backups if _matches(backup, params, window))
    return list(itertools.islice(matching, params["limit"]))
