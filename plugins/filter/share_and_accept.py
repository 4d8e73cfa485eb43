# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The share_and_accept role's planning, in Python: input checks, who must be read, the plan and its report.

Private to the role (the filter names start with share_and_accept_). The owner's rules are those of
cbr_share_member, in module_utils/_owner_plan (plan_owner_backup: members to add and remove, the cap of 10 projects,
a backup that cannot be shared; own_project_problem); module_utils/_plan decides the answers still to give
(status_needs_change) and the vault of every backup to accept (assign_vaults, space added up per vault).
"""

from ansible_collections.cloudops.cbr.plugins.module_utils._checks import (
    list_problems,
    project_id_problem,
    shown,
    unknown_names_problems,
    uuid_problem,
)
from ansible_collections.cloudops.cbr.plugins.module_utils._owner_plan import (
    OwnerRequest,
    own_project_problem,
    plan_owner_backup,
)
from ansible_collections.cloudops.cbr.plugins.module_utils._plan import (
    assign_vaults,
    capacity_hint,
    status_needs_change,
)
from ansible_collections.cloudops.cbr.plugins.module_utils._removals import (
    BEING_MADE,
    age_cutoffs,
    window_scope_problem,
)
from ansible_collections.cloudops.cbr.plugins.module_utils._select import (
    SELECTION_ARGUMENT_SPEC,
    time_option_problem,
    utc_now,
)
from ansible_collections.cloudops.cbr.plugins.module_utils._sources import AUTH_OPTION_NAMES

CAPACITY_CHECKS = ("fail", "warn")
# The role's variables: its options (meta/argument_specs.yml) and the fact it publishes. Names that start with
# share_and_accept__ are the role's own registered results.
ROLE_VARIABLES = (
    "share_and_accept_owner_auth",
    "share_and_accept_backup_ids",
    "share_and_accept_backup_selection",
    "share_and_accept_recipients",
    "share_and_accept_purge",
    "share_and_accept_reject",
    "share_and_accept_capacity_check",
    "share_and_accept_rolling_window",
    "share_and_accept_older_than",
    "share_and_accept_pending_older_than",
    "share_and_accept_backup_wait_timeout",
    "share_and_accept_answer_workers",
    "share_and_accept_report",
)
INTERNAL_PREFIX = "share_and_accept__"


def _auth_problems(name, auth):
    """A credentials dict's option names: each must be one of the collection's auth options."""
    if not isinstance(auth, dict):
        return []
    return unknown_names_problems("%s: option" % name, auth, AUTH_OPTION_NAMES)


def input_problems(
    recipients,
    backup_ids=None,
    selection=None,
    reject=None,
    capacity_check="warn",
    owner_auth=None,
    variable_names=None,
    over_time=None,
):
    """One message per mistake in the role's variables (each naming the variable), before any request.

    variable_names: every variable named share_and_accept_* that the play defines; one the role does not know
    (a misspelt option) is refused, with the closest known name. over_time: the options passed on to the owner's
    cbr_share_member (rolling_window, older_than, pending_older_than, backup_wait_timeout).
    """
    problems = unknown_names_problems(
        "variable",
        [name for name in variable_names or [] if not name.startswith(INTERNAL_PREFIX)],
        ROLE_VARIABLES,
    )
    problems += _auth_problems("share_and_accept_owner_auth", owner_auth)
    ids, selection, recipients, reject = backup_ids or [], selection or {}, recipients or [], reject or []
    if not ids and not selection:
        problems.append(
            "share_and_accept_backup_ids or share_and_accept_backup_selection must name the backups "
            "to share; both are empty"
        )
    problems += [uuid_problem("share_and_accept_backup_ids[%d]" % n, i) for n, i in enumerate(ids)]
    problems += list_problems("share_and_accept_backup_ids", ids, may_be_empty=True)
    problems += list_problems("share_and_accept_reject", reject, may_be_empty=True)
    if isinstance(selection, dict):
        selection_options = list(SELECTION_ARGUMENT_SPEC) + ["resource_id"]
        problems += unknown_names_problems("share_and_accept_backup_selection: option", selection, selection_options)
    if not isinstance(selection, dict):
        problems.append(
            "share_and_accept_backup_selection must be a dict of cbr_backup_info options, got %s" % shown(selection)
        )
    elif selection.get("own_type", "private") != "private":
        problems.append(
            "share_and_accept_backup_selection can only select the owner's own backups (own_type "
            "private), got own_type %s" % shown(selection.get("own_type"))
        )
    if not recipients:
        problems.append("share_and_accept_recipients must list at least one receiving project")
    seen = set()
    for n, recipient in enumerate(recipients):
        name = "share_and_accept_recipients[%d]" % n
        if not isinstance(recipient, dict):
            problems.append("%s must be a dict with project_id and auth, got %s" % (name, shown(recipient)))
            continue
        problems.append(project_id_problem(name + ".project_id", recipient.get("project_id")))
        if recipient.get("project_id") in seen:
            problems.append(
                "%s.project_id %s is listed twice; list each receiving project once"
                % (name, recipient.get("project_id"))
            )
        seen.add(recipient.get("project_id"))
        if not isinstance(recipient.get("auth"), dict) or not recipient.get("auth"):
            problems.append(
                "%s.auth must be the receiving project's credentials (a dict of the collection's auth options)" % name
            )
        project = " (project %s)" % recipient.get("project_id") if recipient.get("project_id") else ""
        problems += _auth_problems(name + ".auth" + project, recipient.get("auth"))
        if recipient.get("vault_id") is not None:
            problems.append(uuid_problem(name + ".vault_id", recipient.get("vault_id")))
    for project_id in reject:
        if project_id not in seen:
            problems.append(
                "share_and_accept_reject names %s, which is not in share_and_accept_recipients" % shown(project_id)
            )
    if capacity_check not in CAPACITY_CHECKS:
        problems.append("share_and_accept_capacity_check must be fail or warn, got %s" % shown(capacity_check))
    problems += _over_time_problems(over_time or {}, ids, selection)
    return [p for p in problems if p]


def _over_time_problems(over_time, ids, selection):
    """What cbr_share_member would refuse of the over-time options, named as the role's variables."""
    now, problems = utc_now(), []
    for name in ("older_than", "pending_older_than"):
        problems.append(time_option_problem("share_and_accept_" + name, over_time.get(name), now))
    wait = over_time.get("backup_wait_timeout") or 0
    if not isinstance(wait, int) or isinstance(wait, bool) or wait < 0:
        problems.append(
            "share_and_accept_backup_wait_timeout must be a number of seconds, 0 or more, got %s" % shown(wait)
        )
    if over_time.get("rolling_window"):
        if not isinstance(selection, dict) or not selection:
            problems.append(
                "share_and_accept_rolling_window keeps exactly the selected backups shared: it needs "
                "share_and_accept_backup_selection"
            )
        else:
            scope = window_scope_problem(selection, "share_and_accept_backup_selection")
            if scope:
                problems.append("share_and_accept_" + scope)
        if ids:
            problems.append(
                "share_and_accept_rolling_window removes the shares of the backups its selection leaves out: give "
                "the backups by share_and_accept_backup_selection only, not also share_and_accept_backup_ids"
            )
    return problems


def _owner_request(recipients, purge, over_time=None):
    """The owner's request as cbr_share_member makes it, with the ages of over_time (a share the role keeps that is
    past an age is a problem before any write, as in the module)."""
    over_time = over_time or {}
    expired_cutoff, pending_cutoff = age_cutoffs(
        over_time.get("older_than"), over_time.get("pending_older_than"), utc_now()
    )
    return OwnerRequest(
        tuple(r["project_id"] for r in recipients),
        "present",
        purge,
        "share_and_accept_recipients",
        expired_cutoff,
        pending_cutoff,
    )


def _as_planned(backup, over_time):
    """The backup as the plan sees it: with backup_wait_timeout, one still being made is taken as it will be when
    the owner's task has waited for it (that task fails, before any write, if it never is)."""
    if (over_time or {}).get("backup_wait_timeout") and backup.get("status") in BEING_MADE:
        return dict(backup, status="available")
    return backup


def _member_plans(owner, recipients, reject, purge, over_time=None):
    """Per backup: the owner plan of its members (plan_owner_backup, the module's rules), and per recipient what it
    must answer and whether it is done."""
    request = _owner_request(recipients, purge, over_time)
    plans = []
    for backup in owner.get("backups", []):
        members = dict((m["dest_project_id"], m) for m in backup.get("members", []))
        owner_plan = plan_owner_backup(
            request, backup["id"], backup.get("members", []), _as_planned(backup, over_time), owner.get("project_id")
        )
        change = owner_plan.change
        pairs = []
        for recipient in recipients:
            member = members.get(recipient["project_id"])
            want = "rejected" if recipient["project_id"] in reject else "accepted"
            vault_id = recipient.get("vault_id")
            if want == "accepted" and vault_id is None and member and member.get("status") == "accepted":
                vault_id = member.get("vault_id")  # keep the vault a share is already accepted into
            done = member is not None and not status_needs_change(
                member, want, vault_id if want == "accepted" else None
            )
            pairs.append(
                dict(
                    project_id=recipient["project_id"],
                    want=want,
                    vault_id=vault_id,
                    done=done,
                    added=member is None,
                    status_before=member.get("status") if member else "absent",
                    vault_before=member.get("vault_id") if member else None,
                )
            )
        plans.append(dict(backup=backup, change=change, pairs=pairs, members=members, owner_plan=owner_plan))
    return plans


def recipients_to_read(owner, recipients, reject=None, purge=False, over_time=None):
    """The recipients with something to answer: only they are logged in and read."""
    busy = set()
    for plan in _member_plans(owner, recipients, reject or [], purge, over_time):
        busy.update(pair["project_id"] for pair in plan["pairs"] if not pair["done"])
    return [r for r in recipients if r["project_id"] in busy]


def plan(owner, reads, recipients, reject=None, purge=False, capacity_check="warn", over_time=None):
    """Everything the role will write, settled before the first write, or the problems that stop it.

    owner: the owner read (project_id, backups with members, missing_backup_ids); reads: the recipient reads
    (each with item.project_id, project_id and vaults). Returns problems, warnings, owner_backup_ids (backups whose
    members change), answers (one per recipient, status and vault: its backup_ids) and report (one entry per
    backup and recipient, plus one per member purge removes).
    """
    reject = reject or []
    problems, warnings = [], []
    owner_project = owner.get("project_id")
    for backup_id in owner.get("missing_backup_ids", []):
        problems.append("backup %s is not a backup of the owner project %s" % (backup_id, owner_project))
    if not owner.get("backups") and not owner.get("missing_backup_ids"):
        problems.append("no backup of the owner project %s matches share_and_accept_backup_selection" % owner_project)
    own_project = own_project_problem(_owner_request(recipients, purge, over_time), owner_project)
    if own_project:
        problems.append(own_project)
    read_by_project = dict((read["item"]["project_id"], read) for read in reads)
    for project_id, read in sorted(read_by_project.items()):
        if read.get("project_id") != project_id:
            problems.append(
                "the credentials of recipient %s act in project %s, not %s: give that recipient its own "
                "project's credentials" % (project_id, read.get("project_id"), project_id)
            )
    plans = _member_plans(owner, recipients, reject, purge, over_time)
    for entry in plans:
        problems += entry["owner_plan"].problems
    _settle_vaults(plans, recipients, read_by_project, capacity_check, problems, warnings)
    return dict(
        problems=problems,
        warnings=warnings,
        owner_backup_ids=[e["backup"]["id"] for e in plans if e["change"].to_add or e["change"].to_remove],
        answers=_answers(plans),
        report=_report(plans),
    )


def _settle_vaults(plans, recipients, read_by_project, capacity_check, problems, warnings):
    """Give every share to accept a vault with assign_vaults, per recipient, space added up across its backups."""
    all_choices = []
    for recipient in recipients:
        project_id = recipient["project_id"]
        todo = [
            (entry["backup"], pair)
            for entry in plans
            for pair in entry["pairs"]
            if pair["project_id"] == project_id and not pair["done"] and pair["want"] == "accepted"
        ]
        if not todo:
            continue
        if project_id not in read_by_project:
            problems.append("recipient %s was not read; its vaults are unknown" % project_id)
            continue
        choices = assign_vaults(
            [backup for backup, _pair in todo],
            read_by_project[project_id].get("vaults", []),
            fixed_vault_id=recipient.get("vault_id"),
            capacity_check=capacity_check,
        )
        for (backup, pair), choice in zip(todo, choices):
            problems += [
                "project %s cannot accept backup %s: %s" % (project_id, backup["id"], p) for p in choice.problems
            ]
            warnings += ["project %s, backup %s: %s" % (project_id, backup["id"], w) for w in choice.warnings]
            pair["vault_id"] = choice.vault_id
        all_choices += choices
    hint = capacity_hint(all_choices, "share_and_accept_capacity_check")
    if hint:
        problems.append(hint.strip(" ()"))


def _answers(plans):
    groups = {}
    for entry in plans:
        for pair in entry["pairs"]:
            if pair["done"]:
                continue
            key = (pair["project_id"], pair["want"], pair["vault_id"] if pair["want"] == "accepted" else None)
            group = groups.setdefault(key, dict(project_id=key[0], status=key[1], vault_id=key[2], backup_ids=[]))
            group["backup_ids"].append(entry["backup"]["id"])
    return [groups[key] for key in sorted(groups, key=lambda k: (k[0], k[1], k[2] or ""))]


def _report(plans):
    report = []
    for entry in plans:
        backup_id = entry["backup"]["id"]
        for pair in entry["pairs"]:
            verb = "accept" if pair["want"] == "accepted" else "reject"
            actions = (["add"] if pair["added"] else []) + ([] if pair["done"] else [verb])
            report.append(
                dict(
                    backup_id=backup_id,
                    project_id=pair["project_id"],
                    status_before=pair["status_before"],
                    status_after=pair["want"],
                    vault_before=pair["vault_before"],
                    vault_id=pair["vault_id"] if pair["want"] == "accepted" else None,
                    changed=bool(actions),
                    action=" and ".join(actions) or "none",
                )
            )
        reasons = dict(entry["owner_plan"].removals)
        for project_id in entry["change"].to_remove:
            member = entry["members"][project_id]
            report.append(
                dict(
                    backup_id=backup_id,
                    project_id=project_id,
                    status_before=member.get("status"),
                    status_after="absent",
                    vault_before=member.get("vault_id"),
                    vault_id=None,
                    changed=True,
                    action="remove",
                    reason=reasons.get(project_id),
                )
            )
    return report


def _removal_entry(backup_id, removal):
    """A removal the owner's task made that the plan did not read (rolling window): only what its result says."""
    return dict(
        backup_id=backup_id,
        project_id=removal["dest_project_id"],
        status_before=None,
        status_after="absent",
        vault_before=None,
        vault_id=None,
        changed=True,
        action="remove",
        reason=removal["reason"],
    )


def report(planned, check_mode, owner_results=None):
    """The published report: the plan's entries, then each further removal of the owner's task (owner_results, its
    `backups`, with their reasons), with "would " before each action in check mode."""
    entries = list(planned["report"])
    reported = set((e["backup_id"], e["project_id"]) for e in entries if e["action"] == "remove")
    for result in owner_results or []:
        for removal in result.get("removals", []):
            if (result["backup_id"], removal["dest_project_id"]) not in reported:
                entries.append(_removal_entry(result["backup_id"], removal))
    if not check_mode:
        return entries
    return [dict(entry, action="would " + entry["action"]) if entry["changed"] else entry for entry in entries]


def selection(backup_selection, over_time=None):
    """The selection as the owner's cbr_share_member reads it: with backup_wait_timeout and no status given, the
    backups still being made count too."""
    if backup_selection and (over_time or {}).get("backup_wait_timeout") and not backup_selection.get("status"):
        return dict(backup_selection, status=["available"] + list(BEING_MADE))
    return backup_selection


class FilterModule:
    def filters(self):
        return {
            "share_and_accept_input_problems": input_problems,
            "share_and_accept_recipients_to_read": recipients_to_read,
            "share_and_accept_plan": plan,
            "share_and_accept_report": report,
            "share_and_accept_selection": selection,
        }
