# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The share_and_accept role's answers (private to the role): cloudops.cbr.cbr_share_member run once for every
receiving project that has something to answer, all in one task, the runs overlapping.

Each run is the public module itself, sent to the task's host as a loop item would send it, with the module options
of one answer (backup_ids, status, vault_id, capacity_check) and that project's credentials (`auth` of the
recipients' read), nothing else: one credential set per run, taken whole. What the loop paid once per recipient
in Ansible (about 0.35 s per item, one after the other) is paid once; the runs themselves go on at once, at most
`workers` together, each in a temporary directory of its own on the host.

Every answer runs, whatever the others do (as in a loop). Returns `results` (each run's result, with the answer as
`item`, in the order given), `changed` when any run changed something, the runs' diffs, and on failure every
failed recipient, named, with the API's facts of the first.
"""

import contextvars
import copy
from concurrent.futures import ThreadPoolExecutor

from ansible.errors import AnsibleError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.cloudops.cbr.plugins.action.share_and_accept_read import recipients_failure
from ansible_collections.cloudops.cbr.plugins.module_utils._checks import workers_problem

MODULE = "cloudops.cbr.cbr_share_member"
API_FACTS = ("status_code", "error_code", "error_msg", "request_id")
ARGUMENT_SPEC = dict(
    answers=dict(type="list", elements="dict", required=True),
    recipients=dict(type="list", elements="dict", required=True),
    capacity_check=dict(type="str", required=True),
    # Each run is a Python process of about 35 MB: the role's share_and_accept_answer_workers (default 4) bounds them.
    workers=dict(type="int", default=4),
)


def module_args(answer, auth, capacity_check):
    """The options of one run: the answer, and the credentials of the project that gives it."""
    args = dict(auth, backup_ids=answer["backup_ids"], status=answer["status"], capacity_check=capacity_check)
    if answer["status"] == "accepted":
        args["vault_id"] = answer["vault_id"]
    return args


def named_diff(diff, project_id):
    """A run's diff, headed with the recipient it belongs to (the runs of one task print their diffs together)."""
    header = "recipient %s" % project_id
    if "backup_id" in diff:
        header += ", backup %s" % diff["backup_id"]
    return dict(diff, before_header=header, after_header=header)


def answers_failure(answers, results):
    """The failure of the task (as the recipients' read words it): every recipient whose run failed, named, and
    the API facts of the first."""
    failures = [
        dict(((key, run[key]) for key in API_FACTS if key in run), msg=run.get("msg")) if run.get("failed") else None
        for run in results
    ]
    return recipients_failure(answers, list(zip(results, failures)))


class ActionModule(ActionBase):
    TRANSFERS_FILES = False  # each run makes and removes a temporary directory of its own
    _supports_check_mode = False
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        checked = ArgumentSpecValidator(ARGUMENT_SPEC).validate(dict(self._task.args))
        params = checked.validated_parameters
        problems = ["share_and_accept_answer: %s" % message for message in checked.error_messages]
        workers_wrong = None if checked.error_messages else workers_problem(params["workers"])
        if workers_wrong:
            problems.append("share_and_accept_answer: %s" % workers_wrong)
        auth_of = dict((read["item"]["project_id"], read["auth"]) for read in params.get("recipients") or [])
        answers = params.get("answers") or []
        problems += [
            "share_and_accept_answer: no credentials read for recipient %s" % answer.get("project_id")
            for answer in answers
            if answer.get("project_id") not in auth_of
        ]
        if problems:
            return dict(result, failed=True, msg="; ".join(problems))
        runs = [module_args(answer, auth_of[answer["project_id"]], params["capacity_check"]) for answer in answers]
        self._discover_interpreter(runs, task_vars)
        # Templating needs the task's context in every thread: one copy of it for each run.
        contexts = [contextvars.copy_context() for _run in runs]
        # A run that fails returns its failure (_run_alone), so every answer runs.
        with ThreadPoolExecutor(max_workers=min(params["workers"], len(runs) or 1)) as pool:
            results = list(
                pool.map(lambda index: contexts[index].run(self._run_alone, runs[index], task_vars), range(len(runs)))
            )
        for answer, run in zip(answers, results):
            run["item"] = answer
        result.update(changed=any(run.get("changed") for run in results), results=results)
        diffs = [
            named_diff(diff, answer["project_id"])
            for answer, run in zip(answers, results)
            if run.get("changed") and run.get("diff")
            for diff in (run["diff"] if isinstance(run["diff"], list) else [run["diff"]])
        ]
        if diffs:
            result["diff"] = diffs
        if self._discovered_interpreter_key:
            result["ansible_facts"] = {self._discovered_interpreter_key: self._discovered_interpreter}
        failure = answers_failure(answers, results)
        if failure:
            result.update(failed=True, **failure)
        return result

    def _discover_interpreter(self, runs, task_vars):
        """Build the first run's module once here, so that an interpreter to discover is discovered once, before
        the runs start (each would otherwise discover it)."""
        if runs:
            self._configure_module(module_name=MODULE, module_args=dict(runs[0]), task_vars=task_vars)

    def _run_alone(self, args, task_vars):
        """One run of the module, in a temporary directory of its own: the runs overlap, and the action's
        connection keeps the one temporary directory a task uses."""
        action = copy.copy(self)
        action._connection = copy.copy(self._connection)
        action._connection._shell = copy.copy(self._connection._shell)
        action._connection._shell.tmpdir = None
        if self._connection.become is not None:
            action._connection.become = copy.copy(self._connection.become)  # it keeps the prompt of its command
        try:
            return action._execute_module(module_name=MODULE, module_args=args, task_vars=task_vars)
        except AnsibleError as error:
            return dict(failed=True, msg="cbr_share_member could not run: %s" % error)
        finally:
            action._remove_tmp_path(action._connection._shell.tmpdir)
