#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cbr_share_member
short_description: Share a CBR backup with projects, or accept or reject a share
version_added: 0.1.0
description:
  - Manages the share members of a Cloud Backup and Recovery (CBR) backup through the v3 members API.
  - "Owner side (the project that owns the backup): with O(dest_project_ids), makes sure the backup is shared
    with those projects (O(state=present)) or no longer shared with them (O(state=absent)). With O(purge=true),
    members that are not listed are removed too."
  - "Receiving side (a destination project, with its own credentials): with O(status), accepts the share into
    one of its vaults (V(accepted), with O(vault_id)) or rejects it (V(rejected)). The request goes to the
    caller's own project, for its own membership."
  - The module reads the current members first and only writes what differs, so a second run sends no write.
    New members are added in one request; each removed member is one request.
  - "Before writing, it checks what the API would refuse: a backup that is not a cloud server backup
    (C(BackupService.6700)), not V(available) (C(6702)) or encrypted (C(6709)); a destination that is the owner's
    own project or not a project id (C(6704)); more than 10 projects in total (C(6701)); and when accepting, a
    vault that is missing, not V(available) (C(6712)), of the wrong type (C(6713)) or too small."
  - A new member is V(pending) until the receiving project accepts or rejects it. Use O(wait) to wait for that.
  - For the legacy volume backup (VBS) sharing API, which has no accept step, see M(cloudops.cbr.cbr_backup_share).
author:
  - cloudops.cbr maintainers (@cloudops)
options:
  backup_id:
    description:
      - The ID of the backup, a UUID.
    type: str
    required: true
  dest_project_ids:
    description:
      - Owner side. The projects (32 hexadecimal characters each) to share the backup with, or, with
        O(state=absent), to stop sharing it with.
      - A backup can be shared with at most 10 projects in total.
      - An empty list with O(purge=true) removes every member.
    type: list
    elements: str
  state:
    description:
      - Owner side. V(present) shares the backup with O(dest_project_ids); V(absent) removes those members.
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
      - Receiving side. V(accepted) accepts the share into O(vault_id); V(rejected) rejects it.
      - Runs with the receiving project's credentials.
    type: str
    choices: [accepted, rejected]
  vault_id:
    description:
      - Receiving side. The vault of the receiving project to accept the backup into. Required with
        O(status=accepted).
      - The vault must be V(available), hold the backup's type (server backups go to server vaults) and have room
        for the backup.
    type: str
  wait:
    description:
      - Owner side. After the change, wait until no listed member is V(pending) any more (each has accepted or
        rejected), polling with backoff.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait with O(wait=true) before failing with the list of members still pending.
    type: int
    default: 600
extends_documentation_fragment:
  - cloudops.cbr.auth
  - cloudops.cbr.attributes
  - cloudops.cbr.attributes.action_group
attributes:
  check_mode:
    support: full
    details: Makes the same reads, sends no write, and reports C(changed) as a real run would.
  diff_mode:
    support: full
    details: The member set (owner side) or the member's status and vault (receiving side).
  platform:
    platforms: all
notes:
  - The member id in the API's URLs is the destination project id.
  - Removing a member fails with C(BackupService.6710) when the receiving project registered an image from the
    shared backup; the image must be deleted first.
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
members:
  description:
    - Owner side. The members after the change (in check mode, the members as they are now).
  returned: owner side
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
  description: Owner side. The projects the backup was (or, in check mode, would be) shared with by this run.
  returned: owner side
  type: list
  elements: str
  sample: ["075e6035d300d48c2fd0c00b78b71ebf"]
removed:
  description: Owner side. The projects whose membership was (or would be) removed by this run.
  returned: owner side
  type: list
  elements: str
  sample: []
member:
  description: Receiving side. The caller's membership after the change (in check mode, as it is now).
  returned: receiving side
  type: dict
  contains:
    id:
      description: The ID of the share record.
      type: str
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
      description: The vault the backup was accepted into.
      type: str
      returned: when accepted
      sample: 3a1f0c1e-0000-4000-8000-000000000002
pending:
  description: Owner side with O(wait=true). The listed members still pending when the wait ended (empty on success).
  returned: when O(wait=true)
  type: list
  elements: str
  sample: []
"""

import time

from ansible_collections.cloudops.cbr.plugins.module_utils._checks import project_id_problem, uuid_problem
from ansible_collections.cloudops.cbr.plugins.module_utils import _http
from ansible_collections.cloudops.cbr.plugins.module_utils._http import CbrApiError, CbrNotFound
from ansible_collections.cloudops.cbr.plugins.module_utils._module import CbrModule
from ansible_collections.cloudops.cbr.plugins.module_utils._plan import (
    MAX_SHARE_PROJECTS,
    backup_share_problems,
    plan_set_change,
    status_needs_change,
    vault_accept_problems,
)


ADD_ATTEMPTS = 3


class ShareMember(CbrModule):
    argument_spec = dict(
        backup_id=dict(type="str", required=True),
        dest_project_ids=dict(type="list", elements="str"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        purge=dict(type="bool", default=False),
        status=dict(type="str", choices=["accepted", "rejected"]),
        vault_id=dict(type="str"),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=600),
    )
    module_kwargs = dict(
        supports_check_mode=True,
        required_if=[("status", "accepted", ["vault_id"])],
        mutually_exclusive=[("dest_project_ids", "status")],
        required_one_of=[("dest_project_ids", "status")],
    )

    def validate(self):
        params = self.params
        problems = [uuid_problem("backup_id", params["backup_id"])]
        if params["status"]:
            if params["vault_id"]:
                problems.append(uuid_problem("vault_id", params["vault_id"]))
            if params["status"] == "rejected" and params["vault_id"]:
                problems.append("vault_id is only used with status=accepted")
            for name, wrong in (("state", params["state"] == "absent"), ("purge", params["purge"]),
                                ("wait", params["wait"])):
                if wrong:
                    problems.append("%s is for the owner side (dest_project_ids) and cannot be used with status"
                                    % name)
            return [p for p in problems if p]
        if params["vault_id"]:
            problems.append("vault_id is for the receiving side (status=accepted), not with dest_project_ids")
        for project_id in params["dest_project_ids"]:
            problems.append(project_id_problem("dest_project_ids", project_id))
        if params["project_id"] and params["project_id"] in params["dest_project_ids"]:
            problems.append(self._own_project_message(params["project_id"]))
        if not params["dest_project_ids"] and not (params["state"] == "present" and params["purge"]):
            problems.append("dest_project_ids must not be empty (use an empty list only with purge=true, "
                            "to remove every member)")
        if params["purge"] and params["state"] == "absent":
            problems.append("purge only applies to state=present")
        if params["wait_timeout"] < 0:
            problems.append("wait_timeout must be 0 or more, got %d" % params["wait_timeout"])
        return [p for p in problems if p]

    def _own_project_message(self, project_id):
        return ("dest_project_ids must not contain the backup's own project (%s): a backup is shared with other "
                "projects (BackupService.6704)" % project_id)

    def run(self):
        if self.params["status"]:
            self.run_receiver()
        else:
            self.run_owner()

    # -- owner side

    def run_owner(self):
        params, client = self.params, self.client
        backup_id = params["backup_id"]
        if client.project_id in params["dest_project_ids"]:
            # The project id is only known here when the token was scoped by project name.
            self.module.fail_json(msg=self._own_project_message(client.project_id))
        current = client.list_members(backup_id)
        plan = plan_set_change([m["dest_project_id"] for m in current], params["dest_project_ids"],
                               params["state"], params["purge"])
        self.check_share_limit(plan)
        if plan.to_add:
            self.check_backup_can_be_shared(backup_id)
        self.result.update(changed=bool(plan.to_add or plan.to_remove), added=plan.to_add, removed=plan.to_remove,
                           diff=dict(before=dict(dest_project_ids=plan.before),
                                     after=dict(dest_project_ids=plan.after)))
        members = current
        if not self.check_mode:
            members = [m for m in current if m["dest_project_id"] not in plan.to_remove]
            for project_id in plan.to_remove:
                self.remove_member(backup_id, project_id)
            if plan.to_add:
                members = self.add_members(backup_id, plan.to_add, members)
        self.result["members"] = members
        if params["wait"] and params["state"] == "present" and not self.check_mode:
            self.wait_for_answers(backup_id, params["dest_project_ids"])

    def check_share_limit(self, plan):
        if len(plan.after) > MAX_SHARE_PROJECTS:
            self.module.fail_json(
                msg="dest_project_ids would share backup %s with %d projects, but a backup can be shared with at most "
                    "%d (BackupService.6701). It is shared with %d now, so %d more can be added."
                    % (self.params["backup_id"], len(plan.after), MAX_SHARE_PROJECTS, len(plan.before),
                       max(MAX_SHARE_PROJECTS - len(plan.before) + len(plan.to_remove), 0)))

    def check_backup_can_be_shared(self, backup_id):
        backup = self.client.show_backup(backup_id)
        if backup is None:
            self.module.fail_json(msg="backup_id %s: the backup does not exist in project %s (BackupService.6200)"
                                      % (backup_id, self.client.project_id))
        problems = backup_share_problems(backup)
        if problems:
            self.module.fail_json(msg="backup_id %s cannot be shared: %s" % (backup_id, "; ".join(problems)))

    def add_members(self, backup_id, to_add, members):
        """POST the missing members; return the members after it.

        A POST is never sent again blind: after an answer that may hide an applied write (5xx, no
        answer) or BackupService.6714 (another run added one of them first; the POST is then refused
        whole), the members are read again and only those still missing are sent.
        """
        missing = list(to_add)
        for attempt in range(1, ADD_ATTEMPTS + 1):
            try:
                return members + self.client.add_members(backup_id, missing)
            except CbrApiError as error:
                maybe_applied = error.status_code is None or error.status_code >= 500
                if attempt == ADD_ATTEMPTS or not (maybe_applied or error.error_code == "BackupService.6714"):
                    raise
            current = self.client.list_members(backup_id)
            present = set(m["dest_project_id"] for m in current)
            missing = [project_id for project_id in to_add if project_id not in present]
            if not missing:
                return current
            members = current
        return members

    def remove_member(self, backup_id, project_id):
        try:
            self.client.remove_member(backup_id, project_id)
        except CbrNotFound as error:
            if error.what != "member":
                raise
            return  # Already gone: a retried DELETE that had been applied, or another run removed it.
        except CbrApiError as error:
            if error.error_code == "BackupService.6710":
                error.error_msg = ("%s Project %s registered an image from the shared backup: that image must be "
                                   "deleted before the member can be removed." % (error.error_msg, project_id))
            raise

    def wait_for_answers(self, backup_id, project_ids):
        deadline = time.time() + self.params["wait_timeout"]
        delay = 2.0
        while True:
            members = self.client.list_members(backup_id)
            pending = sorted(m["dest_project_id"] for m in members
                             if m["dest_project_id"] in project_ids and m["status"] == "pending")
            self.result.update(members=members, pending=pending)
            if not pending:
                return
            if time.time() + delay > deadline:
                self.module.fail_json(msg="Timed out after %d seconds waiting for projects to accept or reject "
                                          "backup %s; still pending: %s"
                                          % (self.params["wait_timeout"], backup_id, ", ".join(pending)),
                                      **self.result)
            _http.sleep(delay)
            delay = min(delay * 2, 30.0)

    # -- receiving side

    def run_receiver(self):
        params, client = self.params, self.client
        backup_id, status, vault_id = params["backup_id"], params["status"], params["vault_id"]
        try:
            member = client.show_member(backup_id, client.project_id)
        except CbrApiError as error:
            # A backup that is not shared with the caller is not visible to it at all.
            if error.error_code != "BackupService.6200":
                raise
            member = None
        if member is None:
            self.fail_not_shared(backup_id)
        before = dict(status=member.get("status"), vault_id=member.get("vault_id"))
        changed = status_needs_change(member, status, vault_id)
        if changed and status == "accepted":
            self.check_vault_fits(backup_id, vault_id)
        self.result.update(changed=changed, member=member,
                           diff=dict(before=before, after=dict(status=status, vault_id=vault_id)))
        if changed and not self.check_mode:
            self.result["member"] = client.update_member_status(backup_id, status, vault_id)

    def fail_not_shared(self, backup_id):
        project_id = self.client.project_id
        backup = self.client.show_backup(backup_id)
        if backup is not None and backup.get("project_id") == project_id:
            self.module.fail_json(msg="project %s owns backup %s: accepting or rejecting a share runs as the receiving "
                                      "project, with its own credentials" % (project_id, backup_id))
        self.module.fail_json(msg="backup %s is not shared with project %s (never shared, or the owner removed the "
                                  "share)" % (backup_id, project_id))

    def check_vault_fits(self, backup_id, vault_id):
        project_id = self.client.project_id
        vault = self.client.show_vault(vault_id)
        if vault is None:
            self.module.fail_json(msg="vault_id %s does not exist in project %s (BackupService.6105)"
                                      % (vault_id, project_id))
        backup = self.client.show_backup(backup_id)
        if backup is None:
            self.fail_not_shared(backup_id)
        problems = vault_accept_problems(vault, backup)
        if problems:
            self.module.fail_json(msg="vault_id %s cannot take backup %s: %s" % (vault_id, backup_id, "; ".join(problems)))


def main():
    ShareMember().execute()


if __name__ == "__main__":
    main()
