#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, cloudops.cbr contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cbr_backup_info
short_description: Show CBR backups of a project, or the backups shared with it
version_added: 0.1.0
description:
  - With O(backup_id), returns that backup if the project owns it or it is shared with the project, else an empty
    list.
  - Without it, lists the project's backups (every page), or with O(own_type=shared) the backups other projects
    shared with it, optionally only those whose share is in O(member_status).
author:
  - cloudops.cbr maintainers (@cloudops)
options:
  backup_id:
    description:
      - The ID of one backup, a UUID.
    type: str
  own_type:
    description:
      - V(private) lists the project's own backups, V(shared) the backups shared with it, V(all_granted) both.
    type: str
    choices: [private, shared, all_granted]
    default: private
  member_status:
    description:
      - With O(own_type=shared), only backups whose share with this project is in this status.
    type: str
    choices: [pending, accepted, rejected]
  vault_id:
    description:
      - Only backups in this vault.
    type: str
  name:
    description:
      - Only backups whose name contains this text.
    type: str
  status:
    description:
      - Only backups in this status.
    type: str
    choices: [available, protecting, deleting, restoring, error, waiting_protect, waiting_delete, waiting_restore]
  resource_type:
    description:
      - Only backups of this resource type.
    type: str
    choices: ["OS::Nova::Server", "OS::Cinder::Volume", "OS::Sfs::Turbo"]
  limit:
    description:
      - Return at most this many backups. By default every page is read.
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

- name: List the backups other projects shared with us that we have not answered yet
  cloudops.cbr.cbr_backup_info:
    own_type: shared
    member_status: pending
  register: waiting
"""

RETURN = r"""
backups:
  description: The backups, with the API's field names.
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
    project_id:
      description: The project that owns the backup.
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
    vault_id:
      description: The vault that holds the backup.
      type: str
    extend_info:
      description: Extra details, among them C(encrypted).
      type: dict
count:
  description: The number of backups returned.
  returned: always
  type: int
  sample: 1
"""

from ansible_collections.cloudops.cbr.plugins.module_utils._checks import uuid_problem
from ansible_collections.cloudops.cbr.plugins.module_utils._module import CbrModule


class BackupInfo(CbrModule):
    argument_spec = dict(
        backup_id=dict(type="str"),
        own_type=dict(type="str", default="private", choices=["private", "shared", "all_granted"]),
        member_status=dict(type="str", choices=["pending", "accepted", "rejected"]),
        vault_id=dict(type="str"),
        name=dict(type="str"),
        status=dict(type="str", choices=["available", "protecting", "deleting", "restoring", "error",
                                         "waiting_protect", "waiting_delete", "waiting_restore"]),
        resource_type=dict(type="str", choices=["OS::Nova::Server", "OS::Cinder::Volume", "OS::Sfs::Turbo"]),
        limit=dict(type="int"),
    )
    module_kwargs = dict(supports_check_mode=True)

    def validate(self):
        params = self.params
        problems = [uuid_problem(name, params[name]) for name in ("backup_id", "vault_id") if params[name] is not None]
        if params["limit"] is not None and params["limit"] < 1:
            problems.append("limit must be 1 or more, got %d" % params["limit"])
        return [p for p in problems if p]

    def run(self):
        params = self.params
        if params["backup_id"]:
            backup = self.client.show_backup(params["backup_id"])
            backups = [backup] if backup else []
        else:
            filters = dict((k, params[k]) for k in ("own_type", "member_status", "vault_id", "name", "status",
                                                    "resource_type"))
            backups = self.client.list_backups(filters, limit=params["limit"])
        self.result.update(backups=backups, count=len(backups))


def main():
    BackupInfo().execute()


if __name__ == "__main__":
    main()
