#!/usr/bin/python
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


DOCUMENTATION = r"""
module: cbr_backup_share
short_description: Share a backup with projects through the legacy VBS sharing API (v2)
version_added: 0.1.0
description:
  - Manages the shares of a backup through the v2 C(os-vendor-backup-sharing) API of the legacy Volume Backup
    Service (VBS), which has its own endpoint.
  - "B(Which API to use:) this v2 API shares at once: there is no accept step, and the receiving project can use
    the backup as soon as it is shared. VBS is available only to tenants that already use it. For Cloud Backup
    and Recovery (CBR) backups use M(cloudops.cbr.cbr_share_member) (the v3 members API): there each receiving
    project must accept the share into one of its vaults before it can restore from it."
  - The module reads the backup's current shares (every page), creates the missing ones in one request, and
    cancels each unwanted share by its own share ID, leaving the others untouched. A second run sends no write.
  - O(state=absent) without O(to_project_ids) cancels every share of the backup with the API's cancel-all call;
    the result says so with RV(cancelled_all).
author:
  - cloudops.cbr maintainers (@cloudops)
options:
  backup_id:
    description:
      - The ID of the backup to share, a UUID.
    type: str
    required: true
  to_project_ids:
    description:
      - The projects (32 hexadecimal characters each) to share the backup with, or, with O(state=absent), to stop
        sharing it with.
      - Required with O(state=present). An empty list is refused (to cancel every share, leave it out with
        O(state=absent)), and so is a project listed twice.
    type: list
    elements: str
  state:
    description:
      - V(present) shares the backup with O(to_project_ids). V(absent) cancels the shares with
        O(to_project_ids), or every share of the backup when O(to_project_ids) is not given.
    type: str
    choices: [present, absent]
    default: present
  purge:
    description:
      - With O(state=present), also cancel the shares with projects that are not in O(to_project_ids).
    type: bool
    default: false
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
    details: The projects the backup is shared with, before and after.
  platform:
    platforms: all
notes:
  - The endpoint is the C(vbs) service, never CBR's - O(endpoint), else the C(vbs) key of O(endpoints), else
    C(vbsv2) or C(volume-backup) in the token catalog, else the preset C(https://vbs.REGION...) of O(region).
"""

EXAMPLES = r"""
- name: Share a disk backup with two projects
  cloudops.cbr.cbr_backup_share:
    auth_url: https://iam.eu-de.otc.t-systems.com/v3
    username: ops-automation
    password: "{{ vault_iam_password }}"
    domain_name: acme
    project_name: eu-de
    backup_id: 066b1e37-9305-4057-97e5-2e99b21fc71d
    to_project_ids:
      - 722513ed0a324dadaabe5b2d0fe848c9
      - 722513ed0a324dadaabe5b2d0fe84919

- name: Share with exactly one project, cancelling the other shares
  module_defaults:
    group/cloudops.cbr.cbr:
      access_key: "{{ vault_access_key }}"
      secret_key: "{{ vault_secret_key }}"
      project_id: c13f5220dc1949b0b741ea81a7cd5554
      region: eu-de
  cloudops.cbr.cbr_backup_share:
    backup_id: 066b1e37-9305-4057-97e5-2e99b21fc71d
    to_project_ids:
      - 722513ed0a324dadaabe5b2d0fe848c9
    purge: true

- name: Stop sharing with one project
  cloudops.cbr.cbr_backup_share:
    backup_id: 066b1e37-9305-4057-97e5-2e99b21fc71d
    to_project_ids:
      - 722513ed0a324dadaabe5b2d0fe84919
    state: absent

- name: Cancel every share of the backup
  cloudops.cbr.cbr_backup_share:
    backup_id: 066b1e37-9305-4057-97e5-2e99b21fc71d
    state: absent
"""

RETURN = r"""
shares:
  description: The shares of the backup after the change (in check mode, as they are now).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The share ID.
      type: str
      sample: 8332443e-9866-41d8-8a58-a898cf5db030
    backup_id:
      description: The shared backup.
      type: str
      sample: 066b1e37-9305-4057-97e5-2e99b21fc71d
    to_project_id:
      description: The project the backup is shared with.
      type: str
      sample: 722513ed0a324dadaabe5b2d0fe848c9
    from_project_id:
      description: The project that shares the backup.
      type: str
      sample: c13f5220dc1949b0b741ea81a7cd5554
    created_at:
      description: When the share was made (the API leaves it null in its answer to a new share).
      type: str
    updated_at:
      description: When the share was last updated.
      type: str
    deleted:
      description:
        - Whether the share was cancelled, as the API gives it, a string (V("false"); golangsdk reads it as a
          string). Cancelled shares (V("true")) are left out of RV(shares) and are not counted as shared.
      type: str
      sample: "false"
    deleted_at:
      description: When the share was cancelled.
      type: str
created:
  description: The projects the backup was (or, in check mode, would be) shared with by this run.
  returned: always
  type: list
  elements: str
  sample: ["722513ed0a324dadaabe5b2d0fe848c9"]
cancelled:
  description: The projects whose share was (or would be) cancelled by this run.
  returned: always
  type: list
  elements: str
  sample: []
cancelled_all:
  description: True when every share was cancelled with the cancel-all call (O(state=absent) without O(to_project_ids)).
  returned: always
  type: bool
  sample: false
"""

from ansible_collections.cloudops.cbr.plugins.module_utils._checks import (
    list_problems,
    project_id_problem,
    uuid_problem,
)
from ansible_collections.cloudops.cbr.plugins.module_utils._module import CbrModule
from ansible_collections.cloudops.cbr.plugins.module_utils._plan import plan_set_change


class BackupShare(CbrModule):
    service = "vbs"
    argument_spec = dict(
        backup_id=dict(type="str", required=True),
        to_project_ids=dict(type="list", elements="str"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        purge=dict(type="bool", default=False),
    )
    module_kwargs = dict(
        supports_check_mode=True,
        required_if=[("state", "present", ["to_project_ids"])],
    )

    def validate(self):
        params = self.params
        problems = [uuid_problem("backup_id", params["backup_id"])]
        wanted = params["to_project_ids"]
        if wanted is not None and not wanted:
            problems.append(
                "to_project_ids must not be empty (to cancel every share, use state=absent without to_project_ids)"
            )
        if params["purge"] and params["state"] == "absent":
            problems.append("purge only applies to state=present")
        problems += list_problems("to_project_ids", wanted, project_id_problem, may_be_empty=True)
        if params["project_id"] and params["project_id"] in (wanted or []):
            problems.append(self._own_project_message(params["project_id"]))
        return [p for p in problems if p]

    @staticmethod
    def _own_project_message(project_id):
        return "to_project_ids must not contain the backup's own project (%s)" % project_id

    def run(self):
        params, client = self.params, self.client
        backup_id, wanted = params["backup_id"], params["to_project_ids"]
        if client.project_id in (wanted or []):
            self.module.fail_json(msg=self._own_project_message(client.project_id))
        current = client.list_shares(backup_id)
        cancel_all = params["state"] == "absent" and wanted is None
        plan = plan_set_change(
            [s["to_project_id"] for s in current],
            [s["to_project_id"] for s in current] if cancel_all else wanted,
            params["state"],
            params["purge"],
        )
        self.result.update(
            changed=bool(plan.to_add or plan.to_remove),
            created=plan.to_add,
            cancelled=plan.to_remove,
            cancelled_all=cancel_all and bool(plan.to_remove),
            diff=dict(before=dict(to_project_ids=plan.before), after=dict(to_project_ids=plan.after)),
        )
        shares = current
        if not self.check_mode:
            shares = self.apply(backup_id, plan, current, cancel_all)
        self.result["shares"] = shares

    def apply(self, backup_id, plan, current, cancel_all):
        """Send the writes of the plan; return the shares after them."""
        client = self.client
        if cancel_all and plan.to_remove:
            client.delete_all_shares(backup_id)
            return []
        for share in current:
            if share["to_project_id"] in plan.to_remove:
                client.delete_share(share["id"], share["to_project_id"])
        kept = [s for s in current if s["to_project_id"] not in plan.to_remove]
        if plan.to_add:
            kept += client.create_shares(backup_id, plan.to_add)
        return kept


def main():
    BackupShare().execute()


if __name__ == "__main__":
    main()
