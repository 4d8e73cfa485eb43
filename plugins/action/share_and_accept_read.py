# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The share_and_accept role's reads, for one credential set, on the controller (private to the role).

One task for the owner (with `auth`) and one for every recipient at once (with `recipients`, each read concurrently
under its own credentials): log in once per project (password credentials), then read what the role plans from:
the owner's backups and their members, or each recipient's vaults. Every project goes through the lifecycle of
module_utils/_lifecycle, as a module does. Returns `auth`, the options that later tasks of the
same project pass to module_defaults: the credentials as given (password, token, AK/SK, or empty for the
environment / cloud:), so each module resolves them exactly as this read did; no token of this read is returned.

Runs in the controller process (no module is sent), which makes a read cost its requests and little else; the
environment it reads credentials from is the controller's, as for the modules the role runs on localhost.
Never writes. The task must set no_log: the result holds the credentials as given.
"""

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.cloudops.cbr.plugins.module_utils._checks import workers_problem
from ansible_collections.cloudops.cbr.plugins.module_utils._lifecycle import run_lifecycle
from ansible_collections.cloudops.cbr.plugins.module_utils._lists import map_concurrently
from ansible_collections.cloudops.cbr.plugins.module_utils._select import (
    SELECTION_ARGUMENT_SPEC,
    list_selected,
    select_backups,
    selection_problems,
    selects_from_own_backups,
    utc_now,
)
from ansible_collections.cloudops.cbr.plugins.module_utils._sources import AUTH_ARGUMENT_SPEC

ARGUMENT_SPEC = dict(
    auth=dict(type="dict", default={}),
    recipients=dict(type="list", elements="dict"),
    backup_ids=dict(type="list", elements="str", default=[]),
    selection=dict(type="dict"),
    members=dict(type="bool", default=False),
    vaults=dict(type="bool", default=False),
    workers=dict(type="int", default=8),
)


def _validated(spec, values, name):
    """(values with defaults, problems) of a dict of options checked against an argument spec."""
    checked = ArgumentSpecValidator(spec).validate(dict(values or {}))
    return checked.validated_parameters, ["%s: %s" % (name, message) for message in checked.error_messages]


def read_owner(client, params, selection, window):
    """The backups asked for (by id and/or selection), each with `members` when asked, and the ids not found."""
    wanted = list(dict.fromkeys(params["backup_ids"]))
    own = client.list_backups({"own_type": "private"}) if wanted else None
    if not selection:
        backups = []
    elif own is not None and selects_from_own_backups(selection):
        backups = select_backups(own, selection, window)  # the list read for the ids serves the selection too
    else:
        backups = list_selected(client, selection, window)
    if wanted:
        by_id = dict((b["id"], b) for b in own)
        backups = [by_id[i] for i in wanted if i in by_id] + [b for b in backups if b["id"] not in wanted]
    missing = [i for i in wanted if i not in set(b["id"] for b in backups)]
    if params["members"]:
        members = map_concurrently(lambda b: client.list_members(b["id"]), backups, params["workers"])
        for backup, found in zip(backups, members):
            backup["members"] = found
    return backups, missing


def read_project(auth, params, selection=None, window=(None, None), pool_size=1):
    """(what the role needs of one project, failure as fail kwargs or None), through the one lifecycle."""
    result = {}

    def work(connection, client):
        # Later tasks get the credentials, never this read's token: they log in again when they need a token, so
        # one that expires meanwhile stops nothing, and no live token is kept in the registered result (hostvars).
        result.update(auth=auth, project_id=client.project_id)
        if params["backup_ids"] or selection:
            result["backups"], result["missing_backup_ids"] = read_owner(client, params, selection, window)
        if params["vaults"]:
            result["vaults"] = client.list_vaults()

    def resolved(connection):
        if connection.warnings:
            result["warnings"] = connection.warnings

    return result, run_lifecycle(auth, work, pool_size=pool_size, resolved=resolved)


def read_recipients(recipients, params):
    """Every recipient read at once, each under its own credentials: [(read, failure)], in the order given.

    Each read is {item: {project_id}, project_id (where its credentials act), auth, vaults}, the shape the
    role's plan takes; a recipient's credentials are never echoed back unless they are what later tasks use.
    """

    def read(recipient):
        auth, problems = _validated(AUTH_ARGUMENT_SPEC, recipient.get("auth"), "auth")
        if problems:
            return None, dict(msg="; ".join(problems))
        found, failure = read_project(auth, params)
        return dict(found, item=dict(project_id=recipient.get("project_id"))), failure

    return map_concurrently(read, recipients, params["workers"])


def _recipient_name(recipient):
    return "recipient %s" % recipient.get("project_id")


def recipients_failure(recipients, outcomes):
    """The failure of a task over the recipients (their reads, or their answers: action/share_and_accept_answer):
    every recipient that failed, named, and the API facts of the first. outcomes are (result, failure or None)."""
    failed = [(r, failure) for r, (_read, failure) in zip(recipients, outcomes) if failure]
    if not failed:
        return None
    facts = dict((k, v) for k, v in failed[0][1].items() if k != "msg")
    return dict(facts, msg="; ".join("%s: %s" % (_recipient_name(r), f["msg"]) for r, f in failed))


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        result["changed"] = False
        params, problems = _validated(ARGUMENT_SPEC, self._task.args, "share_and_accept_read")
        workers_wrong = workers_problem(params["workers"])
        if workers_wrong:
            problems.append(workers_wrong)
        if params["recipients"] is not None:
            if problems:
                return dict(result, failed=True, msg="; ".join(problems))
            recipients = params["recipients"]
            outcomes = read_recipients(recipients, params)
            failure = recipients_failure(recipients, outcomes)
            if failure:
                return dict(result, failed=True, **failure)
            return dict(result, recipients=[read for read, _failure in outcomes])
        auth, auth_problems = _validated(AUTH_ARGUMENT_SPEC, params["auth"], "auth")
        selection, window = None, (None, None)
        if params["selection"] is not None:
            selection, selection_errors = _validated(SELECTION_ARGUMENT_SPEC, params["selection"], "selection")
            if not selection_errors:
                selection_errors, window = selection_problems(selection, utc_now())
                selection_errors = ["selection: " + p for p in selection_errors]
            problems += selection_errors
        problems += auth_problems
        if problems:
            return dict(result, failed=True, msg="; ".join(problems))
        found, failure = read_project(auth, params, selection, window, pool_size=params["workers"])
        if failure:
            return dict(result, failed=True, **failure)
        return dict(result, **found)
