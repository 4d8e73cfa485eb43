#!/usr/bin/python
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


DOCUMENTATION = r"""
module: cbr_backup_info
short_description: Select CBR backups of a project, or the backups shared with it
version_added: 0.1.0
description:
  - Selects backups the way they are made, daily by policies - by vault, server, age and status - and returns
    RV(backup_ids), which M(cloudops.cbr.cbr_share_member) and the P(cloudops.cbr.share_and_accept#role) role
    take as they are.
  - Lists the project's backups (every page), or with O(own_type=shared) the backups other projects shared with
    it, optionally only those whose share is in O(member_status). With O(backup_id), that one backup, if the
    project owns it or it is shared with the project (a receiving project finds a share it has not accepted yet in
    the list of backups shared with it, the read it is documented to make).
  - Pages are read in a stable order (oldest first, by marker), so a backup created while the list is read is
    neither skipped nor reported twice; each backup is reported once.
  - The filters the backup list API documents (O(vault_id), O(name), O(status), O(resource_type), one of
    O(resource_ids), O(resource_name), O(created_after), O(created_before), O(own_type), O(member_status)) are sent
    to the API; each is also checked again on what comes back, so the result means what this page says even where the
    API reads a filter more loosely. Several O(resource_ids) and O(newest_per_resource) are applied here.
  - Only backups by default, not the replication copies of backups made in another region (see O(image_types)).
author:
  - cloudops.cbr maintainers (@cloudops)
options:
  backup_id:
    description:
      - The ID of one backup, a UUID. The other filters still apply to it.
    type: str
  own_type:
    description:
      - V(private) lists the project's own backups, V(shared) the backups shared with it, V(all_granted) both.
    type: str
    choices: [private, shared, all_granted]
    default: private
  member_status:
    description:
      - With O(own_type=shared) or O(own_type=all_granted), only backups whose share with this project is in this
        status (API filter C(member_status)).
    type: str
    choices: [pending, accepted, rejected]
  vault_id:
    description:
      - Only backups in this vault (API filter C(vault_id)).
    type: str
  resource_ids:
    description:
      - Only backups of these resources (server or disk IDs). One ID is sent as the API filter C(resource_id);
        the API takes only one, so with several the list is read once and filtered here.
      - Each must be a resource ID (a UUID); a name is refused (use O(resource_name)). An empty list is refused
        rather than read as "every resource", and so is an ID listed twice.
    type: list
    elements: str
    aliases: [resource_id]
  resource_name:
    description:
      - Only backups of the resource with this name (API filter C(resource_name), compared exactly).
    type: str
  name:
    description:
      - Only the backups with exactly this name. CBR documents its C(name) filter as the backup name, with no
        partial match, so this is not a search.
    type: str
  status:
    description:
      - Only backups in one of these statuses (the API filter C(status), repeated).
      - With O(newest_per_resource), V(available) unless given. An empty list is refused.
    type: list
    elements: str
    choices: [available, protecting, deleting, restoring, error, waiting_protect, waiting_delete, waiting_restore]
  resource_type:
    description:
      - Only backups of this resource type.
    type: str
    choices: ["OS::Nova::Server", "OS::Cinder::Volume", "OS::Sfs::Turbo"]
  created_after:
    description:
      - Only backups created at or after this time (API filter C(start_time)).
      - Either a UTC time as C(2026-11-01T02:00:00Z) or an age back from now, a number and a unit
        (C(s), C(m), C(h), C(d), C(w)), for example V(36h) or V(7d).
    type: str
  created_before:
    description:
      - Only backups created at or before this time (API filter C(end_time)); same formats as O(created_after).
    type: str
  newest_per_resource:
    description:
      - Keep only the newest N backups of each resource (by C(created_at)), after the other filters.
      - O(status) defaults to V(available) with this option, so the result is what can be shared.
    type: int
  image_types:
    description:
      - Which kinds of entries to select (C(image_type) of each entry). V(backup) are backups made in this region;
        V(replication) are copies replicated from another region, listed alongside them on Huawei Cloud.
      - The API filter C(image_type) is sent when one kind is asked for; each entry is checked again here.
    type: list
    elements: str
    choices: [backup, replication]
    default: [backup]
    version_added: 1.1.0
  limit:
    description:
      - Return at most this many backups. By default every page is read.
      - The limit is applied here, after every filter, and never sent to the API with them (where the API matches a
        filter more loosely, a limit sent with it would return fewer than asked); pages are read until enough
        backups match.
    type: int
extends_documentation_fragment:
  - cloudops.cbr.auth
  - cloudops.cbr.attributes
  - cloudops.cbr.attributes.action_group
  - cloudops.cbr.attributes.info_module
"""

EXAMPLES = r"""
- name: Show one backup
  cloudops.cbr.cbr_backup_info:
    backup_id: 0b07081e-3ec7-4e77-8571-54e2947da422
  register: web_backup

- name: The newest available backup of each server in the production vault, made in the last day
  cloudops.cbr.cbr_backup_info:
    vault_id: 3a1f0c1e-0000-4000-8000-000000000001
    resource_type: "OS::Nova::Server"
    created_after: 1d
    newest_per_resource: 1
  register: last_night

- name: Share them all with the DR project in one task
  cloudops.cbr.cbr_share_member:
    backup_ids: "{{ last_night.backup_ids }}"
    dest_project_ids:
      - 0a1b2c3d4e5f60718293a4b5c6d7e8f9

- name: List the backups other projects shared with us that we have not answered yet
  cloudops.cbr.cbr_backup_info:
    own_type: shared
    member_status: pending
  register: waiting
"""

RETURN = r"""
backups:
  description: The backups, with the API's field names, newest first within each resource with O(newest_per_resource).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The backup ID.
      type: str
      sample: 0b07081e-3ec7-4e77-8571-54e2947da422
    name:
      description: The backup name.
      type: str
      sample: autobk_8a3f
    project_id:
      description: The project that owns the backup.
      type: str
    resource_id:
      description: The backed-up server or disk.
      type: str
    resource_name:
      description: Its name.
      type: str
    resource_type:
      description: C(OS::Nova::Server), C(OS::Cinder::Volume) or C(OS::Sfs::Turbo).
      type: str
    resource_size:
      description: The size of the backed-up resource in GB.
      type: int
      sample: 40
    status:
      description: The backup status.
      type: str
      sample: available
    created_at:
      description: When the backup was made.
      type: str
      sample: "2026-11-01T02:00:00.000+00:00"
    vault_id:
      description: The vault that holds the backup.
      type: str
    extend_info:
      description: Extra details, among them C(encrypted).
      type: dict
backup_ids:
  description: The IDs of RV(backups), in the same order, as M(cloudops.cbr.cbr_share_member) takes them.
  returned: always
  type: list
  elements: str
  sample: [0b07081e-3ec7-4e77-8571-54e2947da422]
count:
  description: The number of backups returned.
  returned: always
  type: int
  sample: 1
"""

from ansible_collections.cloudops.cbr.plugins.module_utils._checks import uuid_problem
from ansible_collections.cloudops.cbr.plugins.module_utils._module import CbrModule
from ansible_collections.cloudops.cbr.plugins.module_utils._select import (
    SELECTION_ARGUMENT_SPEC,
    list_selected,
    select_backups,
    selection_problems,
    utc_now,
)


class BackupInfo(CbrModule):
    argument_spec = dict(SELECTION_ARGUMENT_SPEC, backup_id=dict(type="str"))
    module_kwargs = dict(supports_check_mode=True)

    def validate(self):
        problems, self.window = selection_problems(self.params, utc_now())
        if self.params["backup_id"] is not None:
            problems.insert(0, uuid_problem("backup_id", self.params["backup_id"]))
        return [p for p in problems if p]

    def run(self):
        if self.params["backup_id"]:
            backup = self.client.show_backup(self.params["backup_id"]) or self.find_shared(self.params["backup_id"])
            backups = select_backups([backup] if backup else [], self.params, self.window)
        else:
            backups = list_selected(self.client, self.params, self.window)
        self.result.update(backups=backups, backup_ids=[b["id"] for b in backups], count=len(backups))

    def find_shared(self, backup_id):
        """The backup in the list of backups shared with this project, or None: a receiving project is documented
        to read that list, not the backup by id before it accepted (docs/api_notes.md §recipient.reads)."""
        shared = self.client.iter_backups({"own_type": "shared", "member_status": self.params["member_status"]})
        return next((backup for backup in shared if backup.get("id") == backup_id), None)


def main():
    BackupInfo().execute()


if __name__ == "__main__":
    main()
