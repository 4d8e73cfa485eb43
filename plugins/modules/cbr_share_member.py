#!/usr/bin/python
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


DOCUMENTATION = r"""
module: cbr_share_member
short_description: Share CBR backups with projects, or accept or reject shares
version_added: 0.1.0
description:
  - Manages the share members of Cloud Backup and Recovery (CBR) backups through the v3 members API, for one backup
    (O(backup_id)) or many in one task (O(backup_ids)), read and written concurrently by at most O(workers) threads.
  - "Owner side (the project that owns the backups): with O(dest_project_ids), makes sure each backup is shared
    with those projects (O(state=present)) or no longer shared with them (O(state=absent)). With O(purge=true),
    members that are not listed are removed too. Each backup is planned on its own, with the same rules."
  - "Receiving side (a destination project, with its own credentials): with O(status), accepts shares into its
    vaults (V(accepted)) or rejects them (V(rejected)), for O(backup_id), O(backup_ids), or every pending share from
    O(owner_project_ids). The request goes to the caller's own project, for its own membership."
  - "The receiving side uses only the calls a receiving project is documented to make: the list of backups shared
    with it (C(GET /v3/{project}/backups?own_type=shared&member_status=...), every page), the backup by id once
    accepted, its own vaults, and the accept/reject request. For one backup it first tries to read its member
    record and the backup by id, which answer faster where the cloud allows it; any 4xx there falls back on the
    documented reads."
  - The module reads the current state first and only writes what differs, so a second run sends no write.
    New members of a backup are added in one request; each removed member is one request.
  - "Before the first write to any backup, it checks what the API documents refusing: a backup that is not
    V(available) (C(BackupService.6702)); a destination that is the owner's own project or not a project id
    (C(6704)); more than 10 projects in total (C(6701)); and when accepting, a vault that is missing, not
    V(available) (C(6712)), locked, a replication vault, of the wrong type (C(6713)), or, with
    O(capacity_check=fail), too small by the backup's C(resource_size)."
  - "The API decides what the sources disagree on: whether a disk backup can be shared (a refusal comes back as
    C(BackupService.6700) with the API's message) and whether an encrypted one can (the module warns that the KMS
    key must be granted to the receiving projects). With O(backup_ids), such backups are written first; when the
    API refuses one, the task fails with every refusal and writes none of the other backups."
  - A new member is V(pending) until the receiving project accepts or rejects it. Use O(wait) to wait for that.
  - For the legacy volume backup (VBS) sharing API, which has no accept step, see M(cloudops.cbr.cbr_backup_share).
author:
  - cloudops.cbr maintainers (@cloudops)
options:
  backup_id:
    description:
      - The ID of one backup, a UUID. The results are also at the top level (RV(members), RV(added), RV(member)...).
      - Exactly one of O(backup_id), O(backup_ids) and O(owner_project_ids) is required.
    type: str
  backup_ids:
    description:
      - Many backups in one task, each with the same semantics as O(backup_id); per-backup results are in
        RV(backups).
    type: list
    elements: str
  owner_project_ids:
    description:
      - Receiving side. Every share still V(pending) whose backup belongs to one of these projects (32 hexadecimal
        characters each), instead of listing backups.
    type: list
    elements: str
  dest_project_ids:
    description:
      - Owner side. The projects (32 hexadecimal characters each) to share the backups with, or, with
        O(state=absent), to stop sharing them with.
      - A backup can be shared with at most 10 projects in total.
      - An empty list with O(purge=true) removes every member.
    type: list
    elements: str
  state:
    description:
      - Owner side. V(present) shares the backups with O(dest_project_ids); V(absent) removes those members.
    type: str
    choices: [present, absent]
    default: present
  purge:
    description:
      - Owner side, with O(state=present). Also remove the members that are not in O(dest_project_ids).
    type: bool
    default: false
  status:
    description:
      - Receiving side. V(accepted) accepts the shares into a vault; V(rejected) rejects them.
      - Runs with the receiving project's credentials.
    type: str
    choices: [accepted, rejected]
  vault_id:
    description:
      - Receiving side, with O(status=accepted). The vault of the receiving project to accept every backup into.
      - When omitted, the module chooses a vault per backup among the caller's vaults (the fitting vault with the
        most room, largest backups first), adding up what it places into each vault.
      - The vault must be V(available), not locked, a backup vault (not a replication vault), hold the backup's
        type (server backups go to server vaults) and have room for the backup (see O(capacity_check)): the rules of
        M(cloudops.cbr.cbr_vault_info). A O(vault_id) that cannot take a backup fails the task before any write.
      - A share already accepted counts as done when O(vault_id) is omitted. With O(vault_id), one accepted into
        another of the caller's vaults is accepted again into O(vault_id).
    type: str
  capacity_check:
    description:
      - Receiving side. The vault capacity rule ("the vault's remaining space must be greater than the size of the
        backup", CBR user guide) is computed from the backup's C(resource_size), the size of the backed-up resource.
        Which size the service compares is not documented, and an incremental backup is often much smaller.
      - V(warn) (the default) warns and goes on (the API then decides); V(fail) refuses before any write when a
        vault is too small by that measure (the check kit in the docs reports what your cloud compares).
      - A vault with C(auto_expand) grows by itself and is never too small.
    type: str
    choices: [fail, warn]
    default: warn
  wait:
    description:
      - Owner side. After the change, wait until no listed member of any backup is V(pending) any more (each has
        accepted or rejected), polling with backoff.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait with O(wait=true) before failing with the members still pending.
    type: int
    default: 600
  workers:
    description:
      - How many backups are read or written at once, from 1 to 64.
    type: int
    default: 8
extends_documentation_fragment:
  - cloudops.cbr.auth
  - cloudops.cbr.attributes
  - cloudops.cbr.attributes.action_group
attributes:
  check_mode:
    support: full
    details:
      - Makes the same reads, sends no write, and reports C(changed) as a real run would, per backup.
      - On the receiving side, a share that does not exist yet (an earlier task of the same check run would
        create it) is reported as C(changed) with a warning ("not shared yet - would accept once shared"); a real
        run fails on it.
  diff_mode:
    support: full
    details:
      - The member set (owner side) or the caller's status and vault (receiving side); with O(backup_ids) or
        O(owner_project_ids), one entry per backup ID.
  platform:
    platforms: all
notes:
  - The member id in the API's URLs is the destination project id.
  - Removing a member fails with C(BackupService.6710) when the receiving project registered an image from the
    shared backup; the image must be deleted first.
  - Which vault a receiving project sees in its view of an accepted backup is not documented. When it is not one
    of the caller's vaults, the module cannot tell which vault an accepted share is in, warns, and leaves it.
"""

EXAMPLES = r"""
- name: Share the nightly web backup with the DR project (owner's credentials)
  module_defaults:
    group/cloudops.cbr.cbr:
      auth_url: https://iam.eu-de.otc.t-systems.com/v3
      username: ops-automation
      password: "{{ vault_source_password }}"
      domain_name: acme
      project_name: eu-de
  cloudops.cbr.cbr_share_member:
    backup_id: 0b07081e-3ec7-4e77-8571-54e2947da422
    dest_project_ids:
      - 075e6035d300d48c2fd0c00b78b71ebf

- name: Share last night's backups with the DR project in one task
  cloudops.cbr.cbr_share_member:
    backup_ids: "{{ nightly.backups | map(attribute='id') | list }}"
    dest_project_ids:
      - 075e6035d300d48c2fd0c00b78b71ebf

- name: Accept the share into the DR vault (DR project's credentials)
  module_defaults:
    group/cloudops.cbr.cbr:
      access_key: "{{ vault_dr_access_key }}"
      secret_key: "{{ vault_dr_secret_key }}"
      project_id: 075e6035d300d48c2fd0c00b78b71ebf
      region: eu-de
  cloudops.cbr.cbr_share_member:
    backup_id: 0b07081e-3ec7-4e77-8571-54e2947da422
    status: accepted
    vault_id: 3a1f0c1e-0000-4000-8000-000000000002

- name: Accept every pending share from the production project, the module choosing the vaults
  cloudops.cbr.cbr_share_member:
    owner_project_ids:
      - 0761a1f0e5b34c9b8c2f0f0a7d1e0001
    status: accepted
    capacity_check: warn

- name: Share with exactly these projects, removing any other member
  cloudops.cbr.cbr_share_member:
    backup_id: 0b07081e-3ec7-4e77-8571-54e2947da422
    dest_project_ids:
      - 075e6035d300d48c2fd0c00b78b71ebf
      - 0761a1f0e5b34c9b8c2f0f0a7d1e0003
    purge: true

- name: Share and wait until both projects have answered
  cloudops.cbr.cbr_share_member:
    backup_id: 0b07081e-3ec7-4e77-8571-54e2947da422
    dest_project_ids:
      - 075e6035d300d48c2fd0c00b78b71ebf
      - 0761a1f0e5b34c9b8c2f0f0a7d1e0003
    wait: true
    wait_timeout: 1800

- name: Stop sharing with the customer project
  cloudops.cbr.cbr_share_member:
    backup_id: 0b07081e-3ec7-4e77-8571-54e2947da422
    dest_project_ids:
      - 0761a1f0e5b34c9b8c2f0f0a7d1e0004
    state: absent

- name: Reject a share on the receiving side
  cloudops.cbr.cbr_share_member:
    backup_id: 0b07081e-3ec7-4e77-8571-54e2947da422
    status: rejected
"""

RETURN = r"""
backups:
  description:
    - One entry per backup, in the order given (O(owner_project_ids) - by backup ID), with what this run did to it.
    - Owner side entries have C(backup_id), C(changed), C(added), C(removed), C(members), C(diff) and, with
      O(wait=true), C(pending). Receiving side entries have C(backup_id), C(changed), C(member), C(diff) and, with
      O(status=accepted), C(vault_id).
  returned: always
  type: list
  elements: dict
  sample:
    - backup_id: 0b07081e-3ec7-4e77-8571-54e2947da422
      changed: true
      added: ["075e6035d300d48c2fd0c00b78b71ebf"]
      removed: []
      members: [{"dest_project_id": "075e6035d300d48c2fd0c00b78b71ebf", "status": "pending"}]
      diff: {"before": {"dest_project_ids": []}, "after": {"dest_project_ids": ["075e6035d300d48c2fd0c00b78b71ebf"]}}
  contains:
    backup_id:
      description: The backup.
      type: str
    changed:
      description: Whether this run changed (in check mode, would change) the backup's sharing.
      type: bool
    vault_id:
      description:
        - Receiving side with O(status=accepted). The vault the backup was (or would be) accepted into, given or
          chosen; for a share left as it was, the vault it is known to be in, or null when that cannot be read.
      type: str
members:
  description:
    - Owner side. The members after the change, read again after a race (in check mode, the members as they are
      now).
  returned: owner side with O(backup_id)
  type: list
  elements: dict
  contains:
    id:
      description: The ID of the share record.
      type: str
      sample: 3c5a3015-c3a0-4dc6-a1e2-917b90f62319
    backup_id:
      description: The shared backup.
      type: str
      sample: 0b07081e-3ec7-4e77-8571-54e2947da422
    dest_project_id:
      description: The project the backup is shared with.
      type: str
      sample: 075e6035d300d48c2fd0c00b78b71ebf
    status:
      description: V(pending), V(accepted) or V(rejected).
      type: str
      sample: pending
    vault_id:
      description: The destination project's vault the backup was accepted into.
      type: str
      returned: when accepted
    created_at:
      description: When the backup was shared.
      type: str
      sample: "2020-02-05T10:38:34.210+00:00"
    updated_at:
      description: When the member's status last changed.
      type: str
      returned: when the status changed
added:
  description:
    - Owner side. The projects this run shared the backup with (in check mode, would share it with).
    - After a race these are what this run did, not what it planned. A project another run added first (the API
      answered C(BackupService.6714) or C(6703)) is not in it; a project whose add was applied although the answer
      was lost (a 5xx or no answer, then found on the re-read) is.
  returned: owner side with O(backup_id)
  type: list
  elements: str
  sample: ["075e6035d300d48c2fd0c00b78b71ebf"]
removed:
  description:
    - Owner side. The projects whose membership this run removed (in check mode, would remove). A member already
      gone at the first try of its removal (C(BackupService.6705), another run removed it) is not in it; one
      whose removal was retried after a 5xx or no answer, then found gone, is.
  returned: owner side with O(backup_id)
  type: list
  elements: str
  sample: []
member:
  description:
    - Receiving side. The caller's membership after the change (in check mode, as it is now).
    - The answer of the accept/reject request when one was sent, the member record when the cloud let the caller
      read it, and otherwise what the list of backups shared with the caller says (then without C(id)). Null in
      check mode when the backup is not shared yet.
  returned: receiving side with O(backup_id)
  type: dict
  contains:
    id:
      description: The ID of the share record.
      type: str
      returned: when the record itself was read or written
    backup_id:
      description: The shared backup.
      type: str
    dest_project_id:
      description: The receiving project, the caller's own.
      type: str
    status:
      description: V(pending), V(accepted) or V(rejected).
      type: str
      sample: accepted
    vault_id:
      description: The vault the backup was accepted into, when known.
      type: str
      returned: when accepted and known
      sample: 3a1f0c1e-0000-4000-8000-000000000002
pending:
  description:
    - Owner side with O(wait=true) and O(state=present), in a real run (check mode does not wait). The listed
      projects still V(pending) when the wait ended.
    - Empty when every listed project answered. When the wait timed out the task fails, and this lists the
      projects still pending. With O(backup_ids) it is in each entry of RV(backups).
  returned: owner side with O(wait=true), O(state=present) and O(backup_id), not in check mode
  type: list
  elements: str
  sample: []
"""

import time

from ansible_collections.cloudops.cbr.plugins.module_utils import _http
from ansible_collections.cloudops.cbr.plugins.module_utils._checks import project_id_problem, uuid_problem
from ansible_collections.cloudops.cbr.plugins.module_utils._http import CbrApiError, CbrNotFound, map_concurrently
from ansible_collections.cloudops.cbr.plugins.module_utils._module import CbrModule
from ansible_collections.cloudops.cbr.plugins.module_utils._plan import (
    MAX_SHARE_PROJECTS,
    api_may_refuse_share,
    assign_vaults,
    backup_share_problems,
    backup_share_warnings,
    capacity_hint,
    plan_set_change,
    status_needs_change,
)

ADD_ATTEMPTS = 3
# A re-add answers one of these (CONTRACT.md 2.2, 13.7): the POST was refused whole, nothing of it applied.
DUPLICATE_CODES = ("BackupService.6714", "BackupService.6703")
SHARE_STATUSES = ("pending", "accepted", "rejected")
BACKUP_INFO_FIELDS = ("id", "name", "project_id", "resource_type", "resource_size", "status")


def _is_client_error(error):
    return error.status_code is not None and 400 <= error.status_code < 500


class ShareMember(CbrModule):
    argument_spec = dict(
        backup_id=dict(type="str"),
        backup_ids=dict(type="list", elements="str"),
        owner_project_ids=dict(type="list", elements="str"),
        dest_project_ids=dict(type="list", elements="str"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        purge=dict(type="bool", default=False),
        status=dict(type="str", choices=["accepted", "rejected"]),
        vault_id=dict(type="str"),
        capacity_check=dict(type="str", default="warn", choices=["fail", "warn"]),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=600),
        workers=dict(type="int", default=8),
    )
    module_kwargs = dict(
        supports_check_mode=True,
        mutually_exclusive=[
            ("dest_project_ids", "status"),
            ("backup_id", "backup_ids", "owner_project_ids"),
            ("dest_project_ids", "owner_project_ids"),
        ],
        required_one_of=[("dest_project_ids", "status"), ("backup_id", "backup_ids", "owner_project_ids")],
    )

    def validate(self):
        params = self.params
        problems = [uuid_problem("backup_id", params["backup_id"]) if params["backup_id"] is not None else None]
        problems += [uuid_problem("backup_ids", b) for b in params["backup_ids"] or []]
        if params["backup_ids"] is not None and not params["backup_ids"]:
            problems.append("backup_ids must not be empty")
        if not 1 <= params["workers"] <= 64:
            problems.append("workers must be from 1 to 64, got %d" % params["workers"])
        if params["status"]:
            return [p for p in problems + self._receiver_problems() if p]
        if params["vault_id"]:
            problems.append("vault_id is for the receiving side (status=accepted), not with dest_project_ids")
        for project_id in params["dest_project_ids"]:
            problems.append(project_id_problem("dest_project_ids", project_id))
        if params["project_id"] and params["project_id"] in params["dest_project_ids"]:
            problems.append(self._own_project_message(params["project_id"]))
        if not params["dest_project_ids"] and not (params["state"] == "present" and params["purge"]):
            problems.append(
                "dest_project_ids must not be empty (use an empty list only with purge=true, to remove every member)"
            )
        if params["purge"] and params["state"] == "absent":
            problems.append("purge only applies to state=present")
        if params["wait_timeout"] < 0:
            problems.append("wait_timeout must be 0 or more, got %d" % params["wait_timeout"])
        return [p for p in problems if p]

    def _receiver_problems(self):
        params = self.params
        problems = []
        if params["vault_id"]:
            problems.append(uuid_problem("vault_id", params["vault_id"]))
        if params["status"] == "rejected" and params["vault_id"]:
            problems.append("vault_id is only used with status=accepted")
        problems += [project_id_problem("owner_project_ids", p) for p in params["owner_project_ids"] or []]
        if params["owner_project_ids"] is not None and not params["owner_project_ids"]:
            problems.append("owner_project_ids must not be empty")
        for name, wrong in (
            ("state", params["state"] == "absent"),
            ("purge", params["purge"]),
            ("wait", params["wait"]),
        ):
            if wrong:
                problems.append("%s is for the owner side (dest_project_ids) and cannot be used with status" % name)
        return problems

    def _own_project_message(self, project_id):
        return (
            "dest_project_ids must not contain the backup's own project (%s): a backup is shared with other "
            "projects (BackupService.6704)" % project_id
        )

    def concurrency(self):
        return self.params["workers"]

    def backup_ids(self):
        if self.params["backup_id"] is not None:
            return [self.params["backup_id"]]
        return list(dict.fromkeys(self.params["backup_ids"] or []))

    def run(self):
        if self.params["status"]:
            results = self.run_receiver()
        else:
            results = self.run_owner()
        self.result.update(changed=any(r["changed"] for r in results), backups=results)
        if self.params["backup_id"] is not None:
            # One backup: today's result keys at the top level.
            self.result.update((k, v) for k, v in results[0].items() if k not in ("backup_id", "changed", "vault_id"))
        else:
            self.result["diff"] = dict(
                before=dict((r["backup_id"], r["diff"]["before"]) for r in results),
                after=dict((r["backup_id"], r["diff"]["after"]) for r in results),
            )

    def fail(self, msg, **extra):
        self.module.fail_json(msg=msg, **extra)

    # -- owner side

    def run_owner(self):
        params, client = self.params, self.client
        if client.project_id in params["dest_project_ids"]:
            # The project id is only known here when the token was scoped by project name.
            self.fail(self._own_project_message(client.project_id))
        plans = map_concurrently(self.read_owner_backup, self.backup_ids(), params["workers"])
        # Never half-write: every backup's refusals are known before the first write to any of them.
        problems = [problem for plan in plans for problem in plan["problems"]]
        if problems:
            self.fail("; ".join(problems))
        for plan in plans:
            for warning in plan["warnings"]:
                self.module.warn(warning)
        if self.check_mode:
            results = [
                self.owner_result(plan, plan["current"], plan["plan"].to_add, plan["plan"].to_remove) for plan in plans
            ]
        else:
            results = self.write_owner_backups(plans)
        if params["wait"] and params["state"] == "present" and not self.check_mode:
            self.wait_for_answers(results)
        return results

    def read_owner_backup(self, backup_id):
        """The members now, the plan, and why the API would refuse it, for one backup (reads only)."""
        params = self.params
        current = self.client.list_members(backup_id)
        plan = plan_set_change(
            [m["dest_project_id"] for m in current], params["dest_project_ids"], params["state"], params["purge"]
        )
        problems, warnings, uncertain = [], [], False
        if len(plan.after) > MAX_SHARE_PROJECTS:
            problems.append(
                "dest_project_ids would share backup %s with %d projects, but a backup can be shared with at most "
                "%d (BackupService.6701). It is shared with %d now, so %d more can be added."
                % (
                    backup_id,
                    len(plan.after),
                    MAX_SHARE_PROJECTS,
                    len(plan.before),
                    max(MAX_SHARE_PROJECTS - len(plan.before) + len(plan.to_remove), 0),
                )
            )
        elif plan.to_add:
            backup = self.client.show_backup(backup_id)
            if backup is None:
                problems.append(
                    "backup_id %s: the backup does not exist in project %s (BackupService.6200)"
                    % (backup_id, self.client.project_id)
                )
            else:
                refusals = backup_share_problems(backup)
                if refusals:
                    problems.append("backup_id %s cannot be shared: %s" % (backup_id, "; ".join(refusals)))
                warnings += backup_share_warnings(backup)
                uncertain = api_may_refuse_share(backup)
        return dict(
            backup_id=backup_id, current=current, plan=plan, problems=problems, warnings=warnings, uncertain=uncertain
        )

    def write_owner_backups(self, plans):
        """Write every plan; the shares the API may refuse go first, and a refusal stops the rest unwritten.

        A failed write fails the task with every backup's error and what was written (changed, backups).
        """
        if len(plans) == 1:
            return [self.write_owner_backup(plans[0])]
        results = []
        for batch in ([p for p in plans if p["uncertain"]], [p for p in plans if not p["uncertain"]]):
            outcomes = map_concurrently(self.try_write_owner_backup, batch, self.params["workers"])
            results += [outcome for outcome in outcomes if not isinstance(outcome, CbrApiError)]
            errors = [outcome for outcome in outcomes if isinstance(outcome, CbrApiError)]
            if errors:
                self.run_result_on_failure(results)
                unwritten = [p["backup_id"] for p in plans if p not in batch and not p["uncertain"]]
                self.fail(
                    "; ".join(str(error) for error in errors)
                    + (". Not written, to leave no half-done change: %s" % ", ".join(unwritten) if unwritten else ""),
                    **dict(self.result, **dict((k, v) for k, v in errors[0].fail_kwargs().items() if k != "msg")),
                )
        order = dict((p["backup_id"], index) for index, p in enumerate(plans))
        return sorted(results, key=lambda result: order[result["backup_id"]])

    def try_write_owner_backup(self, plan):
        """write_owner_backup's result, or the CbrApiError that stopped it (so that every backup is tried)."""
        try:
            return self.write_owner_backup(plan)
        except CbrApiError as error:
            return error

    def owner_result(self, plan, members, added, removed):
        """What this run did to one backup (in check mode, would do): from the members read after the writes."""
        before = plan["plan"].before
        if self.check_mode:
            after = plan["plan"].after
        else:
            after = sorted(m["dest_project_id"] for m in members)
        return dict(
            backup_id=plan["backup_id"],
            changed=bool(added or removed),
            added=sorted(added),
            removed=sorted(removed),
            members=members,
            diff=dict(before=dict(dest_project_ids=before), after=dict(dest_project_ids=after)),
        )

    def write_owner_backup(self, plan):
        backup_id, to_remove, to_add = plan["backup_id"], plan["plan"].to_remove, plan["plan"].to_add
        removed = [project_id for project_id in to_remove if self.remove_member(backup_id, project_id)]
        members = [m for m in plan["current"] if m["dest_project_id"] not in to_remove]
        added = []
        if to_add:
            members, added = self.add_members(backup_id, to_add, members)
        return self.owner_result(plan, members, added, removed)

    def add_members(self, backup_id, to_add, members):
        """POST the missing members; return (the members after it, the projects this run added).

        A POST is never sent again blind: after an answer that may hide an applied write (5xx, no
        answer) or a duplicate (BackupService.6714 / 6703: another run added one of them first; the
        POST is then refused whole), the members are read again and only those still missing are sent.
        """
        missing, added = list(to_add), []
        for attempt in range(1, ADD_ATTEMPTS + 1):
            try:
                return members + self.client.add_members(backup_id, missing), added + missing
            except CbrApiError as error:
                maybe_applied = error.status_code is None or error.status_code >= 500
                if attempt == ADD_ATTEMPTS or not (maybe_applied or error.error_code in DUPLICATE_CODES):
                    if error.error_code == "BackupService.6700":
                        error.error_msg = "%s (the cloud refuses to share this kind of backup)" % error.error_msg
                    raise
            members = self.client.list_members(backup_id)
            present = set(m["dest_project_id"] for m in members)
            if maybe_applied:
                # The POST that got no clear answer was applied for those now present: this run added them.
                added += [project_id for project_id in missing if project_id in present]
            missing = [project_id for project_id in to_add if project_id not in present]
            if not missing:
                return members, added
        return members, added

    def remove_member(self, backup_id, project_id):
        """DELETE one member; True when this run removed it, False when it was already gone."""
        try:
            self.client.remove_member(backup_id, project_id)
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

    def wait_for_answers(self, results):
        project_ids = self.params["dest_project_ids"]
        deadline = time.time() + self.params["wait_timeout"]
        delay = 2.0
        waiting = list(results)
        while True:
            members = map_concurrently(
                lambda r: self.client.list_members(r["backup_id"]), waiting, self.params["workers"]
            )
            for result, current in zip(waiting, members):
                result.update(
                    members=current,
                    pending=sorted(
                        m["dest_project_id"]
                        for m in current
                        if m["dest_project_id"] in project_ids and m["status"] == "pending"
                    ),
                )
            waiting = [r for r in waiting if r["pending"]]
            if not waiting:
                return
            if time.time() + delay > deadline:
                self.run_result_on_failure(results)
                self.fail(
                    "Timed out after %d seconds waiting for projects to accept or reject; still pending: %s"
                    % (
                        self.params["wait_timeout"],
                        "; ".join("backup %s: %s" % (r["backup_id"], ", ".join(r["pending"])) for r in waiting),
                    ),
                    **self.result,
                )
            _http.sleep(delay)
            delay = min(delay * 2, 30.0)

    def run_result_on_failure(self, results):
        self.result.update(changed=any(r["changed"] for r in results), backups=results)
        if self.params["backup_id"] is not None:
            self.result.update((k, v) for k, v in results[0].items() if k not in ("backup_id", "changed"))

    # -- receiving side

    def run_receiver(self):
        params, client = self.params, self.client
        status = params["status"]
        views = self.find_shares()
        wanted = self.backup_ids() if params["owner_project_ids"] is None else sorted(views)
        vaults = client.list_vaults() if status == "accepted" else []
        own_vault_ids = set(v.get("id") for v in vaults)
        results, to_accept = [], []
        for backup_id in wanted:
            view = views.get(backup_id)
            if view is None:
                results.append(self.not_shared_result(backup_id))
                continue
            result = self.receiver_result(view, own_vault_ids)
            results.append(result)
            if result["changed"] and status == "accepted":
                to_accept.append((result, view))
        if params["vault_id"] and params["vault_id"] not in own_vault_ids:
            self.fail(
                "vault_id %s does not exist in project %s (BackupService.6105)"
                % (params["vault_id"], client.project_id)
            )
        self.choose_vaults(to_accept, vaults)
        if not self.check_mode:
            to_write = [r for r in results if r["changed"] and r.get("shared", True)]
            for result, member in zip(to_write, map_concurrently(self.write_status, to_write, params["workers"])):
                result["member"] = member
        for result in results:
            result.pop("shared", None)
            result.pop("backup", None)
            if status == "accepted":
                result["vault_id"] = result["diff"]["after"]["vault_id"]
        return results

    def find_shares(self):
        """{backup_id: what the caller knows of its share} for the backups asked about (or every pending share
        from owner_project_ids), from the calls a receiving project is documented to make (CONTRACT.md 13.1)."""
        params = self.params
        if params["owner_project_ids"] is not None:
            owners = set(params["owner_project_ids"])
            return dict(
                (entry["id"], self.view_from_entry(entry, "pending"))
                for entry in self.client.list_shared_backups("pending")
                if entry.get("project_id") in owners
            )
        wanted = set(self.backup_ids())
        views = {}
        if len(wanted) == 1:
            view = self.shortcut_view(next(iter(wanted)))
            if view is not None:
                return {view["backup_id"]: view}
        for status in SHARE_STATUSES:
            for entry in self.client.list_shared_backups(status):
                if entry["id"] in wanted:
                    views[entry["id"]] = self.view_from_entry(entry, status)
            if wanted <= set(views):
                break
        return views

    def shortcut_view(self, backup_id):
        """The caller's member record and the backup by id: one read each, but neither is documented for a
        receiving project (CONTRACT.md 13.1). None on any 4xx, and the documented reads decide."""
        try:
            member = self.client.show_member(backup_id, self.client.project_id)
            backup = self.client.show_backup(backup_id) if member else None
        except CbrApiError as error:
            if _is_client_error(error):
                return None
            raise
        if member is None or backup is None or backup.get("project_id") == self.client.project_id:
            return None
        return dict(
            backup_id=backup_id,
            status=member.get("status"),
            vault_id=member.get("vault_id"),
            vault_known=True,
            member=member,
            backup=dict((k, backup.get(k)) for k in BACKUP_INFO_FIELDS),
        )

    @staticmethod
    def view_from_entry(entry, status):
        # The list entry's vault_id is the caller's own vault only once accepted, and only maybe (CONTRACT.md
        # 13.11): it counts when it names one of the caller's vaults (see receiver_result).
        return dict(
            backup_id=entry["id"],
            status=status,
            vault_id=entry.get("vault_id") if status == "accepted" else None,
            vault_known=False,
            member=None,
            backup=dict((k, entry.get(k)) for k in BACKUP_INFO_FIELDS),
        )

    def receiver_result(self, view, own_vault_ids):
        params, me = self.params, self.client.project_id
        status, vault_id = params["status"], params["vault_id"]
        seen_vault = view["vault_id"] if view["vault_known"] or view["vault_id"] in own_vault_ids else None
        current = dict(status=view["status"], vault_id=seen_vault)
        if status == "accepted" and view["status"] == "accepted" and (vault_id is None or seen_vault is None):
            changed = False  # accepted already; with vault_id omitted any vault will do
            if vault_id is not None:
                self.module.warn(
                    "backup %s is accepted, but into which vault cannot be read with the calls a "
                    "receiving project is documented to make (CONTRACT.md 13.11); it is left as it is"
                    % view["backup_id"]
                )
        else:
            changed = status_needs_change(current, status, vault_id)
        member = view["member"] or dict(backup_id=view["backup_id"], dest_project_id=me, status=view["status"])
        if view["member"] is None and seen_vault:
            member["vault_id"] = seen_vault
        after = dict(status=status, vault_id=vault_id if status == "accepted" else None)
        if not changed:
            after = dict(current)
        return dict(
            backup_id=view["backup_id"],
            changed=changed,
            member=member,
            backup=view["backup"],
            diff=dict(before=current, after=after),
        )

    def not_shared_result(self, backup_id):
        """A backup asked about that the caller does not see as shared: the owner's own, or not shared (yet)."""
        project_id, status = self.client.project_id, self.params["status"]
        backup = self.client.show_backup(backup_id)
        if backup is not None and backup.get("project_id") == project_id:
            self.fail(
                "project %s owns backup %s: accepting or rejecting a share runs as the receiving project, "
                "with its own credentials" % (project_id, backup_id)
            )
        if not self.check_mode:
            self.fail(
                "backup %s is not shared with project %s (never shared, or the owner removed the share)"
                % (backup_id, project_id)
            )
        # In a check run an earlier task (the owner's share) reported but did not make the share.
        self.module.warn(
            "backup %s is not shared with project %s yet: would %s once shared"
            % (backup_id, project_id, "accept" if status == "accepted" else "reject")
        )
        return dict(
            backup_id=backup_id,
            changed=True,
            shared=False,
            member=None,
            diff=dict(
                before=dict(status=None, vault_id=None), after=dict(status=status, vault_id=self.params["vault_id"])
            ),
        )

    def choose_vaults(self, to_accept, vaults):
        """Settle the vault of every backup to accept before any write (never half-write)."""
        if not to_accept:
            return
        choices = assign_vaults(
            [view["backup"] for _result, view in to_accept],
            vaults,
            fixed_vault_id=self.params["vault_id"],
            capacity_check=self.params["capacity_check"],
        )
        problems = []
        for (result, _view), choice in zip(to_accept, choices):
            for warning in choice.warnings:
                self.module.warn("backup %s: %s" % (result["backup_id"], warning))
            if choice.problems:
                problems.append(
                    "vault_id %s cannot take backup %s: %s"
                    % (self.params["vault_id"], result["backup_id"], "; ".join(choice.problems))
                    if self.params["vault_id"]
                    else "backup %s: %s" % (result["backup_id"], "; ".join(choice.problems))
                )
            result["vault_id"] = choice.vault_id
            result["diff"]["after"]["vault_id"] = choice.vault_id
        if problems:
            self.fail("; ".join(problems) + capacity_hint(choices))

    def write_status(self, result):
        status = self.params["status"]
        vault_id = result["diff"]["after"]["vault_id"] if status == "accepted" else None
        member = self.client.update_member_status(result["backup_id"], status, vault_id)
        return member or dict(result["member"], status=status, vault_id=vault_id)


def main():
    ShareMember().execute()


if __name__ == "__main__":
    main()
